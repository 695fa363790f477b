//! Layouts as data: a form's printed shape is a definition file (YAML), not code.
//!
//! A definition (reference and a complete example: `docs/layouts.md`) states the paper, the
//! column widths, the page furniture (annex label, title, year line, the line above the table,
//! the lines under it), the look of each role and the body as blocks of rows whose cells name
//! the declaration fields they show. [`load`] reads one with located diagnostics
//! (`layout.syntax`, `layout.unknown-key` with the nearest valid name, `layout.field`,
//! `layout.span`, `layout.value`); [`build`] lays a declaration out as the [`Grid`] both
//! renderers draw. The built-in layouts are definitions of the same language, embedded in the
//! binary ([`BUILTINS`]), so they prove that the language is enough.
//!
//! Choosing: a declaration's `layout:` (a built-in id or a path relative to the declaration), or
//! `--layout` for a whole batch (it wins over the declarations'); by default `chaisang-2023`
//! (`mof-2020` for a self-evaluation).

pub mod def;
pub mod fields;
pub mod interp;
pub mod selfeval;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde_saphyr::Spanned;

use crate::declaration::{Declaration, FormKind};
use crate::diagnostic::{Code, Diagnostic, Loc};
use crate::layout::{Grid, Role};
use def::{Block, CellDef, Definition};

/// The default layout id of the target forms.
pub const DEFAULT: &str = "chaisang-2023";
/// The default layout id of the self-evaluations.
pub const DEFAULT_SELFEVAL: &str = "mof-2020";

/// The default layout id of `kind`.
pub fn default_for(kind: FormKind) -> &'static str {
    match kind {
        FormKind::Project | FormKind::Department => DEFAULT,
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval => DEFAULT_SELFEVAL,
    }
}

/// The built-in definitions: (id, form kind, text).
pub const BUILTINS: &[(&str, FormKind, &str)] = &[
    (
        "chaisang-2023",
        FormKind::Project,
        include_str!("builtin/chaisang-2023-project.yaml"),
    ),
    (
        "chaisang-2023",
        FormKind::Department,
        include_str!("builtin/chaisang-2023-department.yaml"),
    ),
    (
        "mof-2015",
        FormKind::Project,
        include_str!("builtin/mof-2015-project.yaml"),
    ),
    (
        "mof-2015",
        FormKind::Department,
        include_str!("builtin/mof-2015-department.yaml"),
    ),
    (
        "annual",
        FormKind::Project,
        include_str!("builtin/annual-project.yaml"),
    ),
    (
        "hunan-2017",
        FormKind::Department,
        include_str!("builtin/hunan-2017-department.yaml"),
    ),
    (
        "fujian-2019",
        FormKind::Department,
        include_str!("builtin/fujian-2019-department.yaml"),
    ),
    (
        "hubei-2021",
        FormKind::Department,
        include_str!("builtin/hubei-2021-department.yaml"),
    ),
    (
        "sichuan-2023",
        FormKind::Project,
        include_str!("builtin/sichuan-2023-project.yaml"),
    ),
    (
        "mof-2020",
        FormKind::ProjectSelfeval,
        include_str!("builtin/mof-2020-project-selfeval.yaml"),
    ),
    (
        "mof-2020",
        FormKind::DepartmentSelfeval,
        include_str!("builtin/mof-2020-department-selfeval.yaml"),
    ),
    (
        "sichuan-2023",
        FormKind::ProjectSelfeval,
        include_str!("builtin/sichuan-2023-project-selfeval.yaml"),
    ),
    (
        "transfer",
        FormKind::ProjectSelfeval,
        include_str!("builtin/transfer-project-selfeval.yaml"),
    ),
];

/// A checked layout definition.
#[derive(Debug, Clone)]
pub struct Layout {
    /// As the declaration or `--layout` named it: a built-in id, or the file's path.
    pub name: String,
    pub kind: FormKind,
    pub def: Definition,
}

/// One problem in a definition (its location is in the definition file), or in laying a
/// declaration out with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub loc: Loc,
    pub zh: String,
    pub en: String,
}

impl Problem {
    pub fn new(code: Code, loc: Loc, zh: impl Into<String>, en: impl Into<String>) -> Problem {
        Problem {
            code,
            loc,
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Why a layout cannot be used: where it is (a file path, or `built-in ID`) and its problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutError {
    pub origin: String,
    pub problems: Vec<Problem>,
}

impl LayoutError {
    /// Where a problem is: `file:line:col` in a definition file, or the name alone (a built-in
    /// id that does not exist, a file that cannot be read).
    fn place(&self, p: &Problem) -> String {
        if p.loc == Loc::START && !self.origin.ends_with(".yaml") && !self.origin.ends_with(".yml")
        {
            self.origin.clone()
        } else {
            format!("{}:{}:{}", self.origin, p.loc.line, p.loc.column)
        }
    }

    /// The problems as diagnostics of the declaration, at `at` (its `layout:` key, or the
    /// document start for `--layout`), each message saying where in the definition it is.
    pub fn diagnostics(&self, at: Loc) -> Vec<Diagnostic> {
        self.problems
            .iter()
            .map(|p| {
                let place = self.place(p);
                Diagnostic::error(
                    p.code,
                    at,
                    format!("版式 {place}：{}", p.zh),
                    format!("layout {place}: {}", p.en),
                )
            })
            .collect()
    }
}

impl std::fmt::Display for LayoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: error[{}]: {}", self.place(p), p.code, p.en)?;
        }
        Ok(())
    }
}

/// Lays `decl` out with the default layout of its kind.
pub fn build_default(decl: &Declaration) -> Grid {
    let layout = builtin(default_for(decl.kind()), decl.kind())
        .expect("the default layout exists for every form kind");
    interp::build(decl, &layout)
        .expect("the default layouts tile every declaration (tests/layout_props.rs)")
}

/// Lays `decl` out with `layout`; Err when the layout's cells do not tile its table.
pub fn build(decl: &Declaration, layout: &Layout) -> Result<Grid, Problem> {
    interp::build(decl, layout)
}

/// The built-in `id` for `kind`, parsed once.
pub fn builtin(id: &str, kind: FormKind) -> Option<Arc<Layout>> {
    static PARSED: OnceLock<Vec<Arc<Layout>>> = OnceLock::new();
    let all = PARSED.get_or_init(|| {
        BUILTINS
            .iter()
            .map(|(id, kind, text)| {
                Arc::new(
                    load(text, id, Some(*kind))
                        .unwrap_or_else(|e| panic!("built-in layout {id} is broken: {e}")),
                )
            })
            .collect()
    });
    all.iter().find(|l| l.name == id && l.kind == kind).cloned()
}

/// The ids of the built-in layouts, each once.
pub fn builtin_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = BUILTINS.iter().map(|(id, _, _)| *id).collect();
    ids.dedup();
    ids
}

/// Whether a layout name is a file path rather than a built-in id.
pub fn is_path(name: &str) -> bool {
    name.starts_with("./")
        || name.starts_with("../")
        || name.starts_with('/')
        || name.ends_with(".yaml")
        || name.ends_with(".yml")
        || name.contains('/')
}

/// The layout `name` for a declaration of `kind` in folder `base` (a path is relative to it).
pub fn resolve(
    name: &str,
    base: Option<&Path>,
    kind: FormKind,
) -> Result<Arc<Layout>, LayoutError> {
    let name = name.trim();
    if !is_path(name) {
        return builtin(name, kind).ok_or_else(|| {
            let ids = builtin_ids();
            let hint = crate::declaration::scheme::nearest(name, ids.iter().copied());
            let (zh, en) = match hint {
                Some(h) => (
                    format!("，是否应为 “{h}”？"),
                    format!("; did you mean `{h}`?"),
                ),
                None => (
                    format!("；内置版式：{}", ids.join("、")),
                    format!("; the built-in layouts are: {}", ids.join(", ")),
                ),
            };
            LayoutError {
                origin: name.to_string(),
                problems: vec![Problem::new(
                    Code::LayoutUnknown,
                    Loc::START,
                    format!("没有 {} 表的版式 “{name}”{zh}", kind.key()),
                    format!("no {} layout `{name}`{en}", kind.key()),
                )],
            }
        });
    }
    let path: PathBuf = match base {
        Some(dir) if Path::new(name).is_relative() => dir.join(name),
        _ => PathBuf::from(name),
    };
    let origin = path.display().to_string();
    // The same bounded reader as declarations: a size limit, UTF-8.
    let source = crate::inputs::read(&path).map_err(|e| LayoutError {
        origin: origin.clone(),
        problems: vec![Problem::new(
            Code::LayoutUnknown,
            Loc::START,
            format!("无法读取版式文件：{e}"),
            format!("cannot read the layout file: {e}"),
        )],
    })?;
    load(&source.text, &origin, Some(kind)).map(Arc::new)
}

/// The layout `decl` (read from `path`) prints with: `--layout` (`cli`, relative to the
/// working folder) wins, else the declaration's `layout:` (relative to its folder), else the
/// default. Also returns where a problem with it is reported in the declaration.
pub fn choose(
    decl: &Declaration,
    path: &Path,
    cli: Option<&str>,
) -> (Result<Arc<Layout>, LayoutError>, Loc) {
    if let Some(name) = cli {
        return (resolve(name, None, decl.kind()), Loc::START);
    }
    match &decl.common().layout {
        Some(l) if !l.value.trim().is_empty() => {
            (resolve(&l.value, path.parent(), decl.kind()), l.loc)
        }
        _ => (
            builtin(default_for(decl.kind()), decl.kind())
                .ok_or_else(|| unreachable_default(decl.kind())),
            Loc::START,
        ),
    }
}

fn unreachable_default(kind: FormKind) -> LayoutError {
    LayoutError {
        origin: default_for(kind).into(),
        problems: vec![Problem::new(
            Code::LayoutUnknown,
            Loc::START,
            format!("缺少默认的 {} 版式", kind.key()),
            format!("no default {} layout", kind.key()),
        )],
    }
}

/// What the chosen layout says about `decl`, before anything is rendered: its problems as
/// errors (it cannot be read, names a field the form does not have, does not tile), and a
/// `layout.unprinted` warning for each field the declaration fills and the layout does not print.
pub fn check(decl: &Declaration, path: &Path, cli: Option<&str>) -> Vec<Diagnostic> {
    let (layout, at) = choose(decl, path, cli);
    let layout = match layout {
        Ok(l) => l,
        Err(e) => return e.diagnostics(at),
    };
    if let Err(p) = interp::build(decl, &layout) {
        return LayoutError {
            origin: layout.name.clone(),
            problems: vec![p],
        }
        .diagnostics(at);
    }
    let printed = printed_fields(&layout.def);
    let mut out = weight_sums(decl, &layout);
    out.extend(
        fields::filled(decl)
            .into_iter()
            .filter(|f| !printed.iter().any(|p| p == f))
            .map(|f| {
                Diagnostic::warning(
                    Code::LayoutUnprinted,
                    fields::locate(decl, &f).unwrap_or(at),
                    format!("字段 {f} 已填写，但版式 {} 不打印它", layout.name),
                    format!(
                        "field {f} is filled in but layout {} does not print it",
                        layout.name
                    ),
                )
            }),
    );
    out
}

/// `indicator.weight-sum`: when the layout's indicator table says what the 权重 add up to
/// (`weights: 90`), each project's given 权重 must add up to it.
fn weight_sums(decl: &Declaration, layout: &Layout) -> Vec<Diagnostic> {
    fn target(blocks: &[Block]) -> Option<u32> {
        blocks.iter().find_map(|b| match b {
            Block::Indicators(i) => i.weights.as_ref().map(|w| w.value),
            Block::Group(g) => target(&g.body),
            _ => None,
        })
    }
    let Some(target) = target(&layout.def.body) else {
        return Vec::new();
    };
    let forms: Vec<(&str, &crate::declaration::Indicators)> = match decl {
        Declaration::Project(p) => p
            .all()
            .map(|f| {
                (
                    f.common.name.as_ref().map_or("", |n| n.value.as_str()),
                    &f.common.indicators,
                )
            })
            .collect(),
        _ => vec![("", decl.indicators())],
    };
    let mut out = Vec::new();
    for (name, indicators) in forms {
        let weights: Vec<&crate::declaration::Located<rust_decimal::Decimal>> = indicators
            .groups
            .iter()
            .flat_map(|g| &g.groups)
            .flat_map(|g| &g.items)
            .filter_map(|i| match &i.weight {
                crate::declaration::Entry::Given(w) => Some(w),
                _ => None,
            })
            .collect();
        let Some(first) = weights.first() else {
            continue;
        };
        let sum = weights
            .iter()
            .try_fold(rust_decimal::Decimal::ZERO, |acc, w| {
                acc.checked_add(w.value)
            });
        if sum == Some(rust_decimal::Decimal::from(target)) {
            continue;
        }
        let shown = sum.map_or_else(|| "?".to_string(), |s| s.normalize().to_string());
        let (zh_name, en_name) = if name.is_empty() {
            (String::new(), String::new())
        } else {
            (format!("项目 “{name}” 的"), format!(" of `{name}`"))
        };
        out.push(Diagnostic::error(
            Code::IndicatorWeightSum,
            first.loc,
            format!(
                "{zh_name}指标权重合计 {shown}，版式 {} 要求合计 {target}",
                layout.name
            ),
            format!(
                "the indicator weights{en_name} add up to {shown}; layout {} requires {target}",
                layout.name
            ),
        ));
    }
    out
}

/// The Grid of `decl` (read from `path`) with its chosen layout ([`choose`]).
pub fn grid_for(decl: &Declaration, path: &Path, cli: Option<&str>) -> Result<Grid, LayoutError> {
    let layout = choose(decl, path, cli).0?;
    interp::build(decl, &layout).map_err(|p| LayoutError {
        origin: layout.name.clone(),
        problems: vec![p],
    })
}

/// Visits every cell of `blocks` (rows, headers, groups' bodies, list rows) in order, and every
/// indicator table.
pub fn each_cell<'a>(
    blocks: &'a [Block],
    cell: &mut impl FnMut(&'a CellDef),
    indicators: &mut impl FnMut(&'a def::IndicatorsDef),
) {
    for b in blocks {
        match b {
            Block::Row(c) | Block::Header(c) => c.iter().for_each(&mut *cell),
            Block::Rows(r) => r.rows.iter().flatten().for_each(&mut *cell),
            Block::Group(g) => each_cell(&g.body, cell, indicators),
            Block::Each(e) => e.row.iter().for_each(&mut *cell),
            Block::Indicators(i) => indicators(i),
            Block::Review(_) => {}
        }
    }
}

/// Whether a layout that prints `printed` ([`printed_fields`]) prints the declaration field
/// `field`, named as the key table nests it (`tasks.name`, `history.income.total`,
/// `projects.goal`): a year of `history` is printed when its column is (`history.1.…`), a
/// further project's field when the layout prints the further projects and that field.
/// `amount_unit` and `precision` are settings, never unprinted.
pub fn prints(printed: &[String], field: &str) -> bool {
    if matches!(field, "amount_unit" | "precision") {
        return true;
    }
    if let Some(rest) = field.strip_prefix("history.") {
        return printed.iter().any(|p| {
            p.strip_prefix("history.")
                .and_then(|r| r.split_once('.'))
                .is_some_and(|(_, leaf)| leaf == rest)
        });
    }
    if let Some(rest) = field.strip_prefix("projects.") {
        return printed.iter().any(|p| p == "projects") && prints(printed, rest);
    }
    printed.iter().any(|p| p == field)
}

/// The fields an indicator table prints: its columns' (a column may name a field of its own),
/// the further projects when it has a band per project, `indicators.value` when 指标性质, 指标值
/// and 度量单位 print the whole value split, and the 中期 indicators of a paired table.
fn indicator_fields(i: &def::IndicatorsDef) -> Vec<String> {
    let mut out: Vec<String> = i
        .columns
        .iter()
        .chain(
            i.sides
                .iter()
                .filter(|s| s.source.value != "midterm")
                .flat_map(|s| &s.columns),
        )
        .map(|c| match &c.field {
            Some(f) => f.value.clone(),
            None => format!("indicators.{}", c.show.value),
        })
        .collect();
    if i.by_project() {
        out.push("projects".into());
    }
    let shows = |what: &str| {
        i.columns
            .iter()
            .chain(i.sides.iter().flat_map(|s| &s.columns))
            .any(|c| c.show.value == what)
    };
    if shows("nature") && shows("number") && shows("unit") {
        out.push("indicators.value".into());
    }
    if i.sides.iter().any(|s| s.source.value == "midterm") {
        out.push("midterm_indicators".into());
    }
    out
}

/// Every field path a definition prints: its cells, sums' lists, furniture `{field}`s, sign-off
/// parts and indicator columns.
pub fn printed_fields(def: &Definition) -> Vec<String> {
    // A set more than a list (callers ask whether a field is in it): cells, then indicators.
    let (mut out, mut columns) = (Vec::new(), Vec::new());
    each_cell(
        &def.body,
        &mut |c| {
            out.extend(c.field.as_ref().map(|f| f.value.clone()));
            out.extend(
                c.text
                    .as_ref()
                    .into_iter()
                    .flat_map(|t| template_fields(&t.value)),
            );
        },
        &mut |i| columns.extend(indicator_fields(i)),
    );
    out.extend(columns);
    let f = &def.furniture;
    let texts = [
        Some(&f.title),
        f.annex.as_ref(),
        f.year.as_ref(),
        f.above.left.as_ref(),
        f.above.right.as_ref(),
    ]
    .into_iter()
    .flatten()
    .chain(
        f.under
            .iter()
            .flat_map(|l| [l.left.as_ref(), l.right.as_ref()])
            .flatten(),
    );
    for t in texts {
        out.extend(template_fields(&t.value));
    }
    out.extend(
        f.signoff
            .iter()
            .filter_map(|p| p.field.as_ref())
            .map(|f| f.value.clone()),
    );
    let aliases: Vec<String> = out
        .iter()
        .filter_map(|p| selfeval::also_printed(p))
        .collect();
    out.extend(aliases);
    // 指标性质 + 指标值 (the number, or a 定性 value's text) + 度量单位 print the whole value,
    // split. (The catalogue branch, issue 14, says the same in its indicator arm: keep one.)
    if ["nature", "number", "unit"]
        .iter()
        .all(|c| out.iter().any(|p| *p == format!("indicators.{c}")))
    {
        out.push("indicators.value".into());
    }
    out
}

/// The fields a text names as `{field}` (`自评等级：{grade}` → `grade`), in order.
pub fn template_fields(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(rest[open + 1..open + close].to_string());
        rest = &rest[open + close + 1..];
    }
    out
}

/// Reads and checks one definition; `kind`: the form kind it must lay out (None: any).
pub fn load(text: &str, name: &str, kind: Option<FormKind>) -> Result<Layout, LayoutError> {
    let err = |problems| LayoutError {
        origin: name.to_string(),
        problems,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let def: Definition = serde_saphyr::from_str_with_options(text, options())
        .map_err(|e| err(vec![yaml_problem(&e)]))?;
    let mut problems = Vec::new();
    let form = match def.form.value.as_str() {
        "project" => Some(FormKind::Project),
        "department" => Some(FormKind::Department),
        "project-selfeval" => Some(FormKind::ProjectSelfeval),
        "department-selfeval" => Some(FormKind::DepartmentSelfeval),
        other => {
            problems.push(Problem::new(
                Code::LayoutValue,
                loc(&def.form),
                format!("form 应为 project、department、project-selfeval 或 department-selfeval，而不是 “{other}”"),
                format!("form must be project, department, project-selfeval or department-selfeval, not `{other}`"),
            ));
            None
        }
    };
    if let (Some(want), Some(have)) = (kind, form)
        && want != have
    {
        problems.push(Problem::new(
            Code::LayoutForm,
            loc(&def.form),
            format!("这个版式用于 {} 表，不能排 {} 表", have.key(), want.key()),
            format!(
                "this layout is for {} forms, not {} forms",
                have.key(),
                want.key()
            ),
        ));
    }
    if let Some(form) = form {
        Checker {
            kind: form,
            ncols: def.columns.value.len(),
            problems: &mut problems,
        }
        .definition(&def);
    }
    if !problems.is_empty() {
        return Err(err(problems));
    }
    let kind = form.expect("checked above");
    let layout = Layout {
        name: name.to_string(),
        kind,
        def,
    };
    // Every built-in and user layout is tried on an empty declaration, so a definition whose
    // cells do not tile its table is refused when it is read, not when a form meets it.
    let empty = match kind {
        FormKind::Project => Declaration::Project(Default::default()),
        FormKind::Department => Declaration::Department(Default::default()),
        FormKind::ProjectSelfeval => Declaration::SelfEval(Default::default()),
        FormKind::DepartmentSelfeval => Declaration::SelfEval(crate::selfeval::SelfEvalForm {
            side: crate::selfeval::Side::Department,
            ..Default::default()
        }),
    };
    interp::build_with(&empty, &layout, true).map_err(|p| err(vec![p]))?;
    Ok(layout)
}

fn options() -> serde_saphyr::Options {
    use crate::declaration::parse::limits;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = limits::MAX_DEPTH;
    budget.max_nodes = limits::MAX_NODES;
    budget.max_aliases = limits::MAX_ALIASES;
    budget.max_total_scalar_bytes = limits::MAX_FILE_BYTES * 2;
    let mut opts = serde_saphyr::options! { budget: Some(budget) };
    // Aliases may not expand a definition beyond the nodes a declaration may have.
    opts.alias_limits.max_total_replayed_events = limits::MAX_NODES;
    opts
}

/// A serde-saphyr error as a located problem: an unknown key with the nearest valid one.
fn yaml_problem(e: &serde_saphyr::Error) -> Problem {
    use serde_saphyr::Error as E;
    let inner = e.without_snippet();
    let at = e.location().map(|l| location(&l)).unwrap_or(Loc::START);
    let first = inner
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    let suggest = |written: &str, expected: &[&'static str]| {
        let hint = crate::declaration::scheme::nearest(written, expected.iter().copied());
        match hint {
            Some(h) => (
                format!("，是否应为 “{h}”？"),
                format!("; did you mean `{h}`?"),
            ),
            None => (
                format!("；此处可用：{}", expected.join("、")),
                format!("; expected one of: {}", expected.join(", ")),
            ),
        }
    };
    match inner {
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let (zh, en) = suggest(field, expected);
            Problem::new(
                Code::LayoutUnknownKey,
                at,
                format!("未知的键 “{field}”{zh}"),
                format!("unknown key `{field}`{en}"),
            )
        }
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let (zh, en) = suggest(variant, expected);
            Problem::new(
                Code::LayoutUnknownKey,
                at,
                format!("未知的块 “{variant}”{zh}"),
                format!("unknown block `{variant}`{en}"),
            )
        }
        E::SerdeMissingField { field, .. } => Problem::new(
            Code::LayoutSyntax,
            at,
            format!("缺少键 “{field}”"),
            format!("missing key `{field}`"),
        ),
        _ => Problem::new(
            Code::LayoutSyntax,
            at,
            format!("版式文件不是合法的写法：{first}"),
            format!("not a valid layout definition: {first}"),
        ),
    }
}

/// Where a spanned value is in its file.
pub fn loc<T>(s: &Spanned<T>) -> Loc {
    location(&s.referenced)
}

fn location(l: &serde_saphyr::Location) -> Loc {
    if l.line() == 0 {
        return Loc::START;
    }
    Loc::new(
        u32::try_from(l.line()).unwrap_or(u32::MAX),
        u32::try_from(l.column()).unwrap_or(u32::MAX),
    )
}

/// `B` → (1, 1), `B:F` → (1, 5); None when not column letters.
pub fn cols_of(at: &str) -> Option<(usize, usize)> {
    let one = |s: &str| -> Option<usize> {
        let s = s.trim();
        if s.is_empty() || s.len() > 3 || !s.chars().all(|c| c.is_ascii_uppercase()) {
            return None;
        }
        Some(
            s.chars()
                .fold(0usize, |n, c| n * 26 + (c as usize - 'A' as usize + 1))
                - 1,
        )
    };
    match at.split_once(':') {
        Some((a, b)) => {
            let (a, b) = (one(a)?, one(b)?);
            (a <= b).then_some((a, b))
        }
        None => one(at).map(|a| (a, a)),
    }
}

/// A role by its name in layouts.
pub fn role_of(name: &str) -> Option<Role> {
    Role::ALL.into_iter().find(|r| r.name() == name)
}

/// The static checks of a definition: every name it uses exists for its form kind, every span
/// lies inside its columns, every value is one the language knows.
struct Checker<'a> {
    kind: FormKind,
    ncols: usize,
    problems: &'a mut Vec<Problem>,
}

impl Checker<'_> {
    fn push(&mut self, code: Code, at: Loc, zh: String, en: String) {
        self.problems.push(Problem::new(code, at, zh, en));
    }

    fn choice(&mut self, value: &Spanned<String>, what: &str, allowed: &[&str]) {
        if !allowed.contains(&value.value.as_str()) {
            let hint = crate::declaration::scheme::nearest(&value.value, allowed.iter().copied());
            let (zh, en) = match hint {
                Some(h) => (
                    format!("，是否应为 “{h}”？"),
                    format!("; did you mean `{h}`?"),
                ),
                None => (
                    format!("；可用：{}", allowed.join("、")),
                    format!("; expected one of: {}", allowed.join(", ")),
                ),
            };
            self.push(
                Code::LayoutValue,
                loc(value),
                format!("{what} 不能是 “{}”{zh}", value.value),
                format!("{what} cannot be `{}`{en}", value.value),
            );
        }
    }

    fn definition(&mut self, def: &Definition) {
        let columns = &def.columns;
        if columns.value.is_empty() || columns.value.iter().any(|w| !w.is_finite() || *w <= 0.0) {
            self.push(
                Code::LayoutValue,
                loc(columns),
                "columns 要列出每一列的宽度（毫米，大于 0）".into(),
                "columns must list each column's width in mm (greater than 0)".into(),
            );
        }
        self.choice(&def.paper.size, "paper.size", &["a4"]);
        self.choice(
            &def.paper.orientation,
            "paper.orientation",
            &["portrait", "landscape"],
        );
        let m = &def.paper.margins;
        let paper_w = if def.paper.orientation.value == "landscape" {
            297.0
        } else {
            210.0
        };
        let room = paper_w - m.left - m.right;
        let total: f64 = columns.value.iter().sum();
        if [m.top, m.bottom, m.left, m.right]
            .iter()
            .any(|v| !v.is_finite() || *v < 0.0 || *v > 80.0)
        {
            self.push(
                Code::LayoutValue,
                loc(&def.paper.size),
                "页边距要在 0 到 80 毫米之间".into(),
                "margins must be between 0 and 80 mm".into(),
            );
        } else if total > room + 0.5 {
            self.push(
                Code::LayoutSpan,
                loc(columns),
                format!("各列宽度合计 {total} 毫米，超过版心宽度 {room} 毫米"),
                format!("the columns add up to {total} mm, wider than the page's {room} mm"),
            );
        }
        self.choice(&def.money.unit, "money.unit", &["万元", "元"]);
        if def.money.places > 6 {
            self.push(
                Code::LayoutValue,
                loc(&def.money.unit),
                "money.places 最多 6 位".into(),
                "money.places is at most 6".into(),
            );
        }
        for s in &def.styles {
            self.choice(&s.role, "styles.role", &crate::layout::Styles::NAMES);
            if let Some(face) = &s.face {
                self.choice(face, "face", &["song", "hei"]);
            }
            if let Some(align) = &s.align {
                self.choice(align, "align", &["left", "center", "right"]);
            }
            if s.size
                .is_some_and(|v| !v.is_finite() || !(5.0..=40.0).contains(&v))
            {
                self.push(
                    Code::LayoutValue,
                    loc(&s.role),
                    "size 要在 5 到 40 磅之间".into(),
                    "size must be between 5 and 40 pt".into(),
                );
            }
        }
        let f = &def.furniture;
        for text in [
            Some(&f.title),
            f.annex.as_ref(),
            f.year.as_ref(),
            f.above.left.as_ref(),
            f.above.right.as_ref(),
        ]
        .into_iter()
        .flatten()
        .chain(
            f.under
                .iter()
                .flat_map(|l| [l.left.as_ref(), l.right.as_ref()])
                .flatten(),
        ) {
            self.template(text);
        }
        for part in &f.signoff {
            if let Some(field) = &part.field {
                self.scalar(field);
            }
        }
        self.blocks(&def.body, None);
    }

    /// Every `{field}` of a furniture text names a field.
    fn template(&mut self, text: &Spanned<String>) {
        for path in template_fields(&text.value) {
            if fields::scalar_known(self.kind, &path).is_none() {
                self.unknown_field(loc(text), &path);
            }
        }
    }

    fn unknown_field(&mut self, at: Loc, path: &str) {
        let all = fields::all_paths(self.kind);
        let hint = crate::declaration::scheme::nearest(path, all.iter().map(String::as_str));
        let (zh, en) = match hint {
            Some(h) => (
                format!("，是否应为 “{h}”？"),
                format!("; did you mean `{h}`?"),
            ),
            None => (String::new(), String::new()),
        };
        self.push(
            Code::LayoutField,
            at,
            format!("{} 表的声明没有字段 “{path}”{zh}", self.kind.key()),
            format!(
                "{} declarations have no field `{path}`{en}",
                self.kind.key()
            ),
        );
    }

    fn scalar(&mut self, field: &Spanned<String>) {
        if fields::scalar_known(self.kind, &field.value).is_none() {
            self.unknown_field(loc(field), &field.value);
        }
    }

    fn span(&mut self, at: &Spanned<String>) {
        match cols_of(&at.value) {
            None => self.push(
                Code::LayoutSpan,
                loc(at),
                format!("at 应写列字母，如 B 或 B:F，而不是 “{}”", at.value),
                format!(
                    "at must be column letters such as B or B:F, not `{}`",
                    at.value
                ),
            ),
            Some((_, last)) if last >= self.ncols => self.push(
                Code::LayoutSpan,
                loc(at),
                format!(
                    "“{}” 超出了最后一列 {}（版式共 {} 列）",
                    at.value,
                    interp::letter(self.ncols.saturating_sub(1)),
                    self.ncols
                ),
                format!(
                    "`{}` runs past the last column {} (the layout has {} columns)",
                    at.value,
                    interp::letter(self.ncols.saturating_sub(1)),
                    self.ncols
                ),
            ),
            Some(_) => {}
        }
    }

    fn role(&mut self, role: &Option<Spanned<String>>) {
        if let Some(r) = role {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
            self.choice(r, "role", &names);
        }
    }

    fn blocks(&mut self, blocks: &[Block], list: Option<&str>) {
        for b in blocks {
            match b {
                Block::Row(cells) | Block::Header(cells) => self.cells(cells, list, 1),
                Block::Rows(r) => {
                    for (i, cells) in r.rows.iter().enumerate() {
                        self.cells(cells, list, r.rows.len() - i);
                    }
                }
                Block::Group(g) => {
                    self.span(&g.at);
                    self.role(&g.role);
                    self.blocks(&g.body, list);
                }
                Block::Each(e) => {
                    if !fields::lists(self.kind).contains(&e.list.value.as_str()) {
                        let lists = fields::lists(self.kind);
                        self.push(
                            Code::LayoutField,
                            loc(&e.list),
                            format!(
                                "{} 表的声明没有列表 “{}”；可用：{}",
                                self.kind.key(),
                                e.list.value,
                                lists.join("、")
                            ),
                            format!(
                                "{} declarations have no list `{}`; lists: {}",
                                self.kind.key(),
                                e.list.value,
                                lists.join(", ")
                            ),
                        );
                        continue;
                    }
                    self.cells(&e.row, Some(&e.list.value), 1);
                }
                Block::Indicators(ind) => {
                    if let Some(p) = ind
                        .projects
                        .as_ref()
                        .filter(|p| p.value && self.kind != FormKind::Project)
                    {
                        self.push(
                            Code::LayoutField,
                            loc(p),
                            "只有项目表的声明有多个项目（projects），部门表不能按项目分段".into(),
                            "only project declarations hold several projects (projects): a department table cannot have one band per project".into(),
                        );
                    }
                    if let Some(order) = &ind.order {
                        self.choice(order, "order", &["canonical", "declared"]);
                    }
                    for side in &ind.sides {
                        self.choice(&side.source, "source", &["annual", "midterm"]);
                        if side.source.value == "midterm" && self.kind != FormKind::Project {
                            self.push(
                                Code::LayoutField,
                                loc(&side.source),
                                "只有项目表的声明有中期指标（midterm_indicators），不能打印中期一侧".into(),
                                "only project declarations have midterm indicators (midterm_indicators): the midterm side cannot be printed".into(),
                            );
                        }
                    }
                    for c in ind
                        .columns
                        .iter()
                        .chain(ind.sides.iter().flat_map(|s| &s.columns))
                    {
                        self.span(&c.at);
                        self.role(&c.role);
                        if self.result_column(&c.show) {
                            continue;
                        }
                        self.choice(&c.show, "show", fields::INDICATOR_COLUMNS);
                        match (&c.field, c.show.value == "field") {
                            (Some(f), true) => self.scalar(f),
                            (None, true) => self.push(
                                Code::LayoutSyntax,
                                loc(&c.show),
                                "show: field 的列要写 field（如 field: name）".into(),
                                "a `show: field` column needs its `field` (e.g. `field: name`)"
                                    .into(),
                            ),
                            (Some(f), false) => self.push(
                                Code::LayoutValue,
                                loc(f),
                                "只有 show: field 的列才写 field".into(),
                                "only a `show: field` column has a `field`".into(),
                            ),
                            (None, false) => {}
                        }
                    }
                }
                Block::Review(r) => {
                    self.span(&r.at);
                    self.span(&r.area);
                }
            }
        }
    }

    /// Whether `show` is a result column (实际完成值, 分值, 得分, 偏差原因): checked here, as only a
    /// self-evaluation has results.
    fn result_column(&mut self, show: &Spanned<String>) -> bool {
        if !selfeval::RESULT_COLUMNS.contains(&show.value.as_str()) {
            return false;
        }
        if !matches!(
            self.kind,
            FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval
        ) {
            self.push(
                Code::LayoutField,
                loc(show),
                format!(
                    "只有自评表的指标有 “{}” 这一列（{} 表没有完成情况）",
                    show.value,
                    self.kind.key()
                ),
                format!(
                    "only self-evaluation indicators have a `{}` column ({} forms have no results)",
                    show.value,
                    self.kind.key()
                ),
            );
        }
        true
    }

    fn cells(&mut self, cells: &[CellDef], list: Option<&str>, rows_left: usize) {
        for c in cells {
            self.span(&c.at);
            self.role(&c.role);
            if let Some(down) = &c.down
                && (down.value == 0 || down.value > rows_left)
            {
                self.push(
                    Code::LayoutSpan,
                    loc(down),
                    format!(
                        "down: {} 超出了所在的 rows 块（这一行起还有 {rows_left} 行）",
                        down.value
                    ),
                    format!(
                        "down: {} runs past its rows block ({rows_left} rows from here)",
                        down.value
                    ),
                );
            }
            if let Some(text) = &c.text {
                self.template(text);
            }
            let given = [
                c.label.is_some(),
                c.field.is_some(),
                c.sum.is_some(),
                c.text.is_some(),
            ]
            .iter()
            .filter(|b| **b)
            .count();
            if given > 1 {
                self.push(
                    Code::LayoutValue,
                    loc(&c.at),
                    "一个单元格只能有 label、field、sum、text 之一".into(),
                    "a cell has one of label, field, sum and text".into(),
                );
            }
            if let Some(field) = &c.field {
                let in_list = list.is_some_and(|l| {
                    field
                        .value
                        .strip_prefix(l)
                        .and_then(|r| r.strip_prefix('.'))
                        .is_some_and(|leaf| fields::item_fields(l).contains(&leaf))
                });
                if !in_list {
                    self.scalar(field);
                }
            }
            if let Some(sum) = &c.sum {
                let ok = sum.value.rsplit_once('.').is_some_and(|(l, leaf)| {
                    fields::lists(self.kind).contains(&l)
                        && fields::item_fields(l).contains(&leaf)
                        && fields::is_numeric(&sum.value)
                });
                if !ok {
                    self.unknown_field(loc(sum), &sum.value);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use crate::declaration::{Declaration, DepartmentForm, Entry, ProjectForm};
    use crate::layout::{Cell, Content, Grid, Role, RowGroup};

    fn build(decl: &Declaration) -> Grid {
        super::build_default(decl)
    }

    fn load(path: &str) -> Declaration {
        let text = std::fs::read_to_string(path).unwrap();
        let outcome = crate::declaration::parse(&text);
        outcome.declaration.expect("the seed example parses")
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// The cell whose top-left slot is (row, col).
    fn at(g: &Grid, row: usize, col: usize) -> &Cell {
        g.cells
            .iter()
            .find(|c| c.row == row && c.col == col)
            .unwrap_or_else(|| panic!("no cell at {row},{col}"))
    }

    fn txt(c: &Cell) -> String {
        c.content.display()
    }

    /// Every slot covered by exactly one cell.
    fn assert_tiled(g: &Grid) {
        let mut owner = vec![vec![0u32; g.columns_mm.len()]; g.rows];
        for c in &g.cells {
            for row in &mut owner[c.row..=c.last_row()] {
                for slot in &mut row[c.col..=c.last_col()] {
                    *slot += 1;
                }
            }
        }
        for (r, row) in owner.iter().enumerate() {
            for (k, n) in row.iter().enumerate() {
                assert_eq!(*n, 1, "slot {r},{k} covered {n} times");
            }
        }
    }

    #[test]
    fn project_seed_rows_labels_and_merges() {
        let g = build(&load("data/chaisang-2023-project.yaml"));
        assert_tiled(&g);
        // 7 rows above the header, the header, 13 indicators.
        assert_eq!(g.rows, 7 + 1 + 13);
        assert_eq!(g.title, "项目支出绩效目标申报表");
        assert_eq!(g.year_line, "（2023年度）");
        assert_eq!(g.unit_line, "填报单位（盖章）：柴桑区行政审批局");
        assert_eq!(g.amount_unit_line, "金额单位：万元");
        let name = at(&g, 0, 1);
        assert_eq!(
            (name.colspan, txt(name).as_str()),
            (5, "柴桑区行政审批局2023年新开办企业免费刻章业务经费")
        );
        let funds = at(&g, 3, 0);
        assert_eq!(
            (funds.rowspan, txt(funds).as_str()),
            (3, "项目资金（万元）")
        );
        assert_eq!(at(&g, 3, 3).content, Content::Amount(dec("150")));
        assert_eq!(txt(at(&g, 3, 3)), "150.00");
        assert_eq!(at(&g, 5, 3).content, Content::Blank);
        assert_eq!(at(&g, 5, 3).colspan, 3);
        assert_eq!(txt(at(&g, 6, 0)), "年度总体目标");
        assert_eq!(at(&g, 6, 1).role, Role::LongText);
        // Header row, repeated on every page.
        assert_eq!(g.repeat_rows, Some((7, 8)));
        assert_eq!(txt(at(&g, 7, 2)), "三级指标");
        assert_eq!(at(&g, 7, 2).colspan, 3);
        // 产出指标 spans its 7 indicators; 数量指标 its 2; 满意度 prints the canonical 二级 name.
        let output = at(&g, 8, 0);
        assert_eq!((output.rowspan, txt(output).as_str()), (7, "产出指标"));
        assert_eq!(
            (at(&g, 8, 1).rowspan, txt(at(&g, 8, 1)).as_str()),
            (2, "数量指标")
        );
        assert_eq!(txt(at(&g, 8, 5)), "≥7500家");
        assert_eq!(txt(at(&g, 12, 5)), "≤半小时");
        assert_eq!(
            (at(&g, 15, 0).rowspan, txt(at(&g, 15, 0)).as_str()),
            (5, "效益指标")
        );
        assert_eq!(txt(at(&g, 20, 1)), "服务对象满意度指标");
        assert_eq!(txt(at(&g, 20, 2)), "刻章企业满意度");
        // Groups: 3 一级 blocks and 9 二级 blocks.
        assert_eq!(g.groups.len(), 3 + 9);
        assert!(g.groups.contains(&RowGroup { start: 8, end: 15 }));
        assert!(g.groups.contains(&RowGroup { start: 8, end: 10 }));
        assert_eq!(g.indicators.len(), 13);
        assert_eq!(g.indicators[0].nature, "≥");
        assert_eq!(g.indicators[0].number, Some(dec("7500")));
        assert_eq!(g.indicators[0].unit, "家");
        let width: f64 = g.columns_mm.iter().sum();
        assert!((width - g.page.content_width_mm()).abs() < 1e-9);
    }

    #[test]
    fn department_seed_rows_labels_and_merges() {
        let g = build(&load("data/chaisang-2023-department.yaml"));
        assert_tiled(&g);
        // 17 rows of facts, the 分解 header, task header + 2 tasks + 合计, indicator header + 21.
        assert_eq!(g.rows, 17 + 1 + 4 + 1 + 21);
        assert_eq!(g.title, "部门整体支出绩效目标设置申报表");
        let functions = at(&g, 2, 5);
        assert_eq!(
            (functions.rowspan, functions.colspan, functions.role),
            (3, 3, Role::LongText)
        );
        assert_eq!(at(&g, 2, 4).rowspan, 3);
        assert_eq!(txt(at(&g, 3, 2)), "□是 ■否");
        assert_eq!(txt(at(&g, 4, 2)), "■是 □否");
        assert_eq!(at(&g, 7, 2).content, Content::Count(32));
        assert_eq!(at(&g, 7, 2).rowspan, 2);
        assert_eq!(txt(at(&g, 10, 7)), "397.25%");
        assert_eq!(at(&g, 9, 0).rowspan, 3);
        assert_eq!(at(&g, 12, 0).rowspan, 4);
        assert_eq!(txt(at(&g, 12, 5)), "其中：上级财政拨款");
        assert_eq!(at(&g, 12, 7).content, Content::Amount(dec("0")));
        assert_eq!(txt(at(&g, 17, 5)), "部门年度绩效目标");
        // Tasks: header at 18, two tasks, 合计 at 21 adding up to 1203.78.
        let tasks = at(&g, 18, 0);
        assert_eq!((tasks.rowspan, txt(tasks).as_str()), (4, "年度主要任务"));
        assert_eq!(txt(at(&g, 19, 1)), "政务服务大厅");
        assert_eq!(
            (at(&g, 21, 1).colspan, txt(at(&g, 21, 1)).as_str()),
            (5, "合计")
        );
        assert_eq!(at(&g, 21, 6).content, Content::Amount(dec("1203.78")));
        // Indicators: header at 22 (repeated), 21 rows.
        assert_eq!(g.repeat_rows, Some((22, 23)));
        assert_eq!(
            (at(&g, 22, 0).rowspan, txt(at(&g, 22, 0)).as_str()),
            (22, "年度绩效指标")
        );
        assert_eq!(
            (at(&g, 23, 1).rowspan, txt(at(&g, 23, 1)).as_str()),
            (15, "产出指标")
        );
        assert_eq!(
            (at(&g, 23, 2).rowspan, txt(at(&g, 23, 2)).as_str()),
            (6, "数量指标")
        );
        assert_eq!(at(&g, 23, 3).colspan, 4);
        assert_eq!(txt(at(&g, 28, 7)), "≥36次");
        assert!(g.groups.contains(&RowGroup { start: 18, end: 22 }));
        let width: f64 = g.columns_mm.iter().sum();
        assert!((width - g.page.content_width_mm()).abs() < 1e-9);
    }

    #[test]
    fn an_empty_declaration_still_lays_out_as_a_blank_form() {
        for decl in [
            Declaration::Project(ProjectForm::default()),
            Declaration::Department(DepartmentForm::default()),
        ] {
            let g = build(&decl);
            assert_tiled(&g);
            assert_eq!(g.year_line, "", "no year, no year line");
            assert_eq!(g.unit_line, "填报单位（盖章）：");
            assert_eq!(g.meta.title, decl.kind().title());
            assert!(g.indicators.is_empty() && g.signoff.is_empty());
            // Only the header row follows the last fixed row; the labels are all there.
            let (header, body) = g.repeat_rows.unwrap();
            assert_eq!((body, g.rows), (header + 1, header + 1));
            assert!(g.cells.iter().any(|c| c.content.display() == "三级指标"));
        }
    }

    #[test]
    fn rate_is_computed_when_not_given_as_printed() {
        let mut ly = crate::declaration::LastYear::default();
        let loc = crate::diagnostic::Loc::START;
        let given = |v: &str| Entry::Given(crate::diagnostic::Located::new(dec(v), loc));
        ly.approved = given("463.79");
        ly.actual = given("1842.41");
        // The validator checks a given rate against this same value (LastYear::computed_rate),
        // and the workbook stores what the form prints: 397.25%, not 397.2491…%.
        let rate = ly.execution_rate().unwrap();
        assert_eq!(rate, dec("397.25"));
        ly.approved = given("0");
        assert_eq!(ly.execution_rate(), None);
        ly.rate = given("12.5");
        assert_eq!(ly.execution_rate(), Some(dec("12.5")));
    }
}

#[cfg(test)]
mod language_tests {
    use super::*;

    const MINIMAL: &str = "id: t\nform: project\ncolumns: [30, 30, 30]\nfurniture:\n  title: 表\nbody:\n  - row:\n      - {label: 项目名称, at: A}\n      - {field: name, at: B:C}\n";

    fn problems(text: &str) -> Vec<Problem> {
        load(text, "t.yaml", Some(FormKind::Project))
            .err()
            .map(|e| e.problems)
            .unwrap_or_default()
    }

    fn project(yaml: &str) -> Declaration {
        crate::declaration::parse(yaml).declaration.expect("parses")
    }

    #[test]
    fn a_minimal_definition_lays_out() {
        let layout = load(MINIMAL, "t.yaml", Some(FormKind::Project)).unwrap();
        let g = build(&project("form: project\nname: 甲\n"), &layout).unwrap();
        assert_eq!((g.rows, g.columns_mm.len(), g.title.as_str()), (1, 3, "表"));
        assert_eq!(g.cells[1].field.as_deref(), Some("name"));
        assert_eq!(g.cells[1].content.display(), "甲");
        assert_eq!(g.cells[0].field, None);
    }

    #[test]
    fn a_misspelt_key_is_located_with_the_nearest_name() {
        let p = problems(&MINIMAL.replace("columns:", "colums:"));
        assert_eq!(p[0].code, Code::LayoutUnknownKey, "{p:?}");
        assert!(p[0].en.contains("did you mean `columns`"), "{}", p[0].en);
        assert_eq!(p[0].loc.line, 3);
        let p = problems(&MINIMAL.replace("- row:", "- rwo:"));
        assert_eq!(p[0].code, Code::LayoutUnknownKey);
        assert!(p[0].en.contains("`row`"), "{}", p[0].en);
        assert_eq!(problems("id: [\n")[0].code, Code::LayoutSyntax);
    }

    #[test]
    fn a_field_the_form_does_not_have_is_refused_with_a_hint() {
        let p = problems(&MINIMAL.replace("field: name", "field: nmae"));
        assert_eq!(
            (p[0].code, p[0].loc),
            (Code::LayoutField, Loc::new(9, 17)),
            "{p:?}"
        );
        assert!(p[0].en.contains("did you mean `name`"), "{}", p[0].en);
        // A department field in a project layout.
        assert_eq!(
            problems(&MINIMAL.replace("field: name", "field: contact"))[0].code,
            Code::LayoutField
        );
        let p = problems(&MINIMAL.replace("title: 表", "title: 表{nmae}"));
        assert_eq!(p[0].code, Code::LayoutField);
    }

    #[test]
    fn a_span_past_the_last_column_or_a_gap_is_refused() {
        let p = problems(&MINIMAL.replace("B:C", "B:D"));
        assert_eq!((p[0].code, p[0].loc.line), (Code::LayoutSpan, 9), "{p:?}");
        assert!(p[0].en.contains("past the last column C"), "{}", p[0].en);
        // A row that leaves column C empty, and one that covers B twice.
        let p = problems(&MINIMAL.replace("B:C", "B"));
        assert_eq!(p[0].code, Code::LayoutSpan);
        assert!(p[0].en.contains("column C has no cell"), "{}", p[0].en);
        let p = problems(&MINIMAL.replace("at: A}", "at: A:B}"));
        assert!(p[0].en.contains("covered by two cells"), "{}", p[0].en);
        // Columns wider than the page.
        assert_eq!(
            problems(&MINIMAL.replace("[30, 30, 30]", "[100, 100, 30]"))[0].code,
            Code::LayoutSpan
        );
    }

    #[test]
    fn a_layout_for_the_other_form_is_refused() {
        let e = load(MINIMAL, "t.yaml", Some(FormKind::Department)).unwrap_err();
        assert!(e.problems.iter().any(|p| p.code == Code::LayoutForm));
        let e = resolve("chaisang-2032", None, FormKind::Project).unwrap_err();
        assert_eq!(e.problems[0].code, Code::LayoutUnknown);
        assert!(e.problems[0].en.contains("did you mean `chaisang-2023`"));
    }

    #[test]
    fn empty_blocks_print_no_rows_unless_always() {
        let text = MINIMAL.to_string()
            + "  - row:\n      - {label: 其他资金, at: A}\n      - {field: funds.other, at: B:C}\n"
            + "  - indicators:\n      columns:\n        - {show: level1, at: A, header: 一级}\n        - {show: name, at: B, header: 三级}\n        - {show: value, at: C, header: 值}\n";
        let layout = load(&text, "t.yaml", Some(FormKind::Project)).unwrap();
        let g = build(&project("form: project\nname: 甲\n"), &layout).unwrap();
        assert_eq!(
            g.rows, 1,
            "the empty money row and the empty indicator table print nothing"
        );
        let g = build(
            &project("form: project\nname: 甲\nfunds: {other: 5}\n"),
            &layout,
        )
        .unwrap();
        assert_eq!(g.rows, 2);
        let always = load(
            &text.replace("columns: [", "print_empty: true\ncolumns: ["),
            "t.yaml",
            Some(FormKind::Project),
        )
        .unwrap();
        let g = build(&project("form: project\nname: 甲\n"), &always).unwrap();
        assert_eq!(g.rows, 3, "blank money row and the indicator header");
    }

    #[test]
    fn money_prints_in_the_layouts_unit_and_ticks_fill_the_named_box() {
        let text = MINIMAL
            .replace("columns: [", "money: {unit: 元, places: 2, separators: true}\ncolumns: [")
            .replace("{field: name, at: B:C}", "{field: funds.total, at: B}\n      - {field: attribute, at: C, ticks: [新增, 延续]}");
        let layout = load(&text, "t.yaml", Some(FormKind::Project)).unwrap();
        let g = build(
            &project("form: project\nfunds: {total: 330.984}\nattribute: 延续项目\n"),
            &layout,
        )
        .unwrap();
        assert_eq!(g.cells[1].content.display(), "3,309,840.00");
        assert_eq!(g.cells[1].role, Role::Amount);
        assert_eq!(g.cells[2].content.display(), "□新增 ■延续");
        let g = build(&project("form: project\nattribute: 其他类\n"), &layout).unwrap();
        assert_eq!(
            g.cells[2].content.display(),
            "□新增 □延续 （其他类）",
            "a value naming no box is kept"
        );
    }

    #[test]
    fn a_filled_field_the_layout_does_not_print_is_a_warning() {
        let dir = std::path::Path::new("x.yaml");
        let decl = project(
            "form: project\nname: 甲\nindicators:\n  产出指标:\n    数量指标:\n      - {name: 户数, value: ≥1户, note: 按登记数}\n",
        );
        let d = check(&decl, dir, None);
        let unprinted: Vec<_> = d
            .iter()
            .filter(|d| d.code == Code::LayoutUnprinted)
            .collect();
        assert_eq!(unprinted.len(), 1, "{d:?}");
        assert!(
            unprinted[0].en.contains("indicators.note")
                && unprinted[0].en.contains("chaisang-2023")
        );
        assert_eq!(unprinted[0].loc.line, 6, "at the note");
        assert!(!unprinted[0].is_error());
        // The Shaanxi layout prints 备注.
        let shaanxi = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/layouts/shaanxi-project.yaml"
        );
        let d = check(&decl, dir, Some(shaanxi));
        assert!(d.iter().all(|d| d.code != Code::LayoutUnprinted), "{d:?}");
    }

    #[test]
    fn every_builtin_and_the_shaanxi_example_load() {
        for (id, kind, _) in BUILTINS {
            assert!(builtin(id, *kind).is_some());
        }
        let shaanxi = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/layouts/shaanxi-project.yaml"
        );
        let layout = resolve(shaanxi, None, FormKind::Project).unwrap();
        assert_eq!(layout.def.id.value, "shaanxi-project");
    }

    #[test]
    fn thousands_separators() {
        use crate::layout::grid::format_fixed;
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(format_fixed(d("3309840"), 2, true), "3,309,840.00");
        assert_eq!(format_fixed(d("968.19185"), 4, false), "968.1919");
        assert_eq!(format_fixed(d("-1234.5"), 0, true), "-1,235");
        assert_eq!(format_fixed(d("999"), 2, true), "999.00");
    }
}
