//! YAML text → [`Declaration`], with located diagnostics for whatever cannot be read.
//!
//! Two steps: serde-saphyr reads the text into the [`raw`](super::raw) shape (syntax, types,
//! unknown and duplicate keys, resource limits), then each field is typed here (amounts, counts,
//! years, booleans, 指标值, indicator names). The first step stops at the first problem, as a YAML
//! parser must; the second reports every field it cannot read and carries on.

use rust_decimal::Decimal;
use serde_saphyr::{Budget as YamlBudget, Error as YamlError, Options};

use super::amount::{parse_amount, parse_count, parse_percent};
use super::raw::{self, Field, loc_of};
use super::scheme::{self, Level1};
use super::value::{Comparator, IndicatorValue};
use super::*;
use crate::diagnostic::{Code, Diagnostic};

/// Limits on a declaration's YAML (each breach is a `yaml.limit` error).
pub mod limits {
    /// Largest declaration file accepted, in bytes.
    pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
    /// Deepest nesting of mappings and lists (a declaration needs 6).
    pub const MAX_DEPTH: usize = 32;
    /// Most YAML nodes in one file, counting what aliases expand to. A form at the content
    /// limits (500 indicators in the full mapping form) needs under 10,000; the bound is low
    /// enough that an alias bomb is refused in milliseconds.
    pub const MAX_NODES: usize = 100_000;
    /// Most events replayed from aliases in one file (each `*ref` replays its anchor's events).
    pub const MAX_REPLAYED_EVENTS: usize = 100_000;
    /// Most aliases (`*ref`) in one file.
    pub const MAX_ALIASES: usize = 1_000;
}

/// What parsing one file gives: the declaration when its shape could be read, and every
/// problem found on the way.
#[derive(Debug, Clone)]
pub struct ParseOutcome {
    pub declaration: Option<Declaration>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses the text of one declaration file.
pub fn parse(text: &str) -> ParseOutcome {
    let mut cx = Cx::default();
    let declaration = parse_into(text, &mut cx);
    ParseOutcome { declaration, diagnostics: cx.diags }
}

fn parse_into(text: &str, cx: &mut Cx) -> Option<Declaration> {
    if text.len() > limits::MAX_FILE_BYTES {
        cx.diags.push(Diagnostic::error(
            Code::YamlLimit,
            Loc::START,
            format!("文件过大：{} 字节，上限 {} 字节", text.len(), limits::MAX_FILE_BYTES),
            format!("file too large: {} bytes, the limit is {} bytes", text.len(), limits::MAX_FILE_BYTES),
        ));
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let probe: raw::Probe = match serde_saphyr::from_str_with_options(text, options()) {
        Ok(p) => p,
        Err(e) => {
            cx.diags.push(yaml_error(&e, &[], text));
            return None;
        }
    };
    let kind = form_kind(&probe.form, cx)?;
    match kind {
        FormKind::Project => match serde_saphyr::from_str_with_options::<raw::Project>(text, options()) {
            Ok(r) => Some(Declaration::Project(project(r, cx))),
            Err(e) => {
                cx.diags.push(yaml_error(&e, PROJECT_KEYS, text));
                None
            }
        },
        FormKind::Department => {
            match serde_saphyr::from_str_with_options::<raw::Department>(text, options()) {
                Ok(r) => Some(Declaration::Department(department(r, cx))),
                Err(e) => {
                    cx.diags.push(yaml_error(&e, DEPARTMENT_KEYS, text));
                    None
                }
            }
        }
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval => crate::selfeval::parse::parse(text, kind, cx),
    }
}

pub(crate) fn options() -> Options {
    let mut budget = YamlBudget::default();
    budget.max_depth = limits::MAX_DEPTH;
    budget.max_nodes = limits::MAX_NODES;
    budget.max_aliases = limits::MAX_ALIASES;
    budget.max_total_scalar_bytes = limits::MAX_FILE_BYTES * 2;
    let mut opts = serde_saphyr::options! { budget: Some(budget) };
    opts.alias_limits.max_total_replayed_events = limits::MAX_REPLAYED_EVENTS;
    opts
}

/// Keys (English and form labels) offered as "did you mean" candidates.
const PROJECT_KEYS: &[&str] = &[
    "form", "year", "unit", "name", "department", "implementer", "attribute", "period", "funds",
    "goal", "indicators", "signoff", "total", "fiscal", "other", "sources", "preparer", "phone",
    "head", "date", "项目名称", "年度资金总额", "年度总体目标", "主管部门及代码", "实施单位",
    "项目属性", "项目日期范围", "财政拨款", "其他资金",
];
const DEPARTMENT_KEYS: &[&str] = &[
    "form", "year", "unit", "name", "contact", "phone", "basis", "functions", "functions_changed",
    "first_level_unit", "field", "subordinates", "divisions", "staff", "last_year", "budget",
    "remarks", "decomposition", "tasks", "indicators", "signoff", "quota", "total",
    "administrative", "institutional", "extra", "approved", "adjusted", "actual", "rate",
    "carryover", "income", "expense", "superior", "local", "other", "personnel", "public",
    "project", "midterm", "annual", "content", "goal", "amount", "fiscal", "preparer", "head",
    "date", "收入合计", "支出合计", "批复数", "调整数", "实际支出数", "执行率", "编制控制数",
    "在职人员总数", "人员经费", "公用经费", "项目经费",
];

/// Which form the `form` key names.
fn form_kind(form: &Field, cx: &mut Cx) -> Option<FormKind> {
    let loc = form.loc.unwrap_or(Loc::START);
    match form.written() {
        Some("project" | "项目" | "项目支出" | "项目支出绩效目标申报表") => Some(FormKind::Project),
        Some("department" | "部门" | "部门整体支出" | "部门整体支出绩效目标设置申报表") => {
            Some(FormKind::Department)
        }
        Some("project-selfeval" | "项目支出绩效自评表" | "项目自评") => Some(FormKind::ProjectSelfeval),
        Some("department-selfeval" | "部门整体支出绩效自评表" | "部门自评") => Some(FormKind::DepartmentSelfeval),
        Some(other) => {
            cx.diags.push(Diagnostic::error(
                Code::YamlType,
                loc,
                format!("表单 “{other}” 未知：应为 project（项目支出）、department（部门整体支出）、project-selfeval 或 department-selfeval（自评表）"),
                format!("unknown form `{other}`: expected `project`, `department`, `project-selfeval` or `department-selfeval`"),
            ));
            None
        }
        None => {
            cx.diags.push(Diagnostic::error(
                Code::FieldRequired,
                loc,
                "缺少表单类型：请写 form: project（项目支出）或 form: department（部门整体支出）",
                "missing form: write `form: project` or `form: department`",
            ));
            None
        }
    }
}

/// Turns a serde-saphyr error into a located diagnostic with a stable code.
pub(crate) fn yaml_error(err: &YamlError, known_keys: &[&str], source: &str) -> Diagnostic {
    let inner = err.without_snippet();
    let mut loc = err.location().map(|l| loc_of(&l)).filter(|l| *l != Loc::new(0, 0)).unwrap_or(Loc::START);
    let text = without_location(&first_line(&inner.to_string()));
    if text.contains("found a tab") {
        // The scanner reports the scalar before the tab; point at the tab itself.
        loc = tab_after(source, loc).unwrap_or(loc);
    }
    match inner {
        YamlError::SerdeUnknownField { field, expected, .. } => {
            let candidates: Vec<&str> = expected.iter().copied().chain(known_keys.iter().copied()).collect();
            let hint = scheme::nearest(field, candidates.iter().copied());
            let (zh_hint, en_hint) = match hint {
                Some(h) => (format!("，是否应为 “{h}”？"), format!("; did you mean `{h}`?")),
                None => (
                    format!("；此处可用的键：{}", expected.join("、")),
                    format!("; expected one of: {}", expected.join(", ")),
                ),
            };
            Diagnostic::error(
                Code::YamlUnknownKey,
                loc,
                format!("未知的键 “{field}”{zh_hint}"),
                format!("unknown key `{field}`{en_hint}"),
            )
        }
        YamlError::DuplicateMappingKey { .. } => {
            // "duplicate mapping key: total, set DuplicateKeyPolicy …": keep the key, drop the
            // advice meant for programmers.
            let key = text
                .strip_prefix("duplicate mapping key: ")
                .map(|k| k.split(", set ").next().unwrap_or(k).trim().to_string());
            let (zh, en) = match key {
                Some(k) => (format!("键 “{k}” 重复：同一层级中同一个键只能写一次"), format!("duplicate key `{k}`: a key may appear once in a mapping")),
                None => (format!("键重复：同一层级中同一个键只能写一次（{text}）"), format!("duplicate key: a key may appear once in a mapping ({text})")),
            };
            Diagnostic::error(Code::YamlDuplicateKey, loc, zh, en)
        }
        _ if is_limit(inner, &text) => {
            let (zh, en) = limit_words(&text);
            Diagnostic::error(Code::YamlLimit, loc, format!("{zh}（{text}）"), format!("{en} ({text})"))
        }
        YamlError::SerdeInvalidType { .. }
        | YamlError::SerdeInvalidValue { .. }
        | YamlError::SerdeInvalidLength { .. }
        | YamlError::SerdeMissingField { .. }
        | YamlError::NullIntoString { .. }
        | YamlError::Unexpected { .. }
        | YamlError::Message { .. }
        | YamlError::UnexpectedValueForUnit { .. } => {
            let (zh, en) = type_words(&text);
            Diagnostic::error(Code::YamlType, loc, zh, en)
        }
        _ => Diagnostic::error(
            Code::YamlSyntax,
            loc,
            format!("YAML 语法错误：{text}"),
            format!("YAML syntax error: {text}"),
        ),
    }
}

/// The deserializer's type complaints, in the words of a form.
fn type_words(text: &str) -> (String, String) {
    match text {
        "expected mapping start" => (
            "类型不符：此处应为一组 “键: 值”（映射），而不是单个值或列表".to_string(),
            "wrong type: expected a mapping (`key: value` lines) here, not a single value or a list".to_string(),
        ),
        "expected string scalar" | "expected scalar" => (
            "类型不符：此处应为单个值（文本或数字），而不是映射或列表".to_string(),
            "wrong type: expected a single value (text or number) here, not a mapping or a list".to_string(),
        ),
        "expected sequence start" => (
            "类型不符：此处应为列表（以 “- ” 开头的各行）".to_string(),
            "wrong type: expected a list (lines starting with `- `) here".to_string(),
        ),
        _ => (format!("类型不符：{text}"), format!("wrong type: {text}")),
    }
}

/// Which limit a budget breach is, in words a user can act on.
fn limit_words(text: &str) -> (String, String) {
    use limits::*;
    if text.contains("Depth") {
        (format!("嵌套超过 {MAX_DEPTH} 层：申报表只需要 6 层"), format!("nested deeper than {MAX_DEPTH} levels: a declaration needs 6"))
    } else if text.contains("replay") || text.contains("Alias") || text.contains("alias") {
        (
            format!("别名（*引用）展开过多（别名 ≤ {MAX_ALIASES} 个，展开 ≤ {MAX_REPLAYED_EVENTS} 个事件）：申报表很少需要别名"),
            format!("aliases (*refs) expand too far (≤ {MAX_ALIASES} aliases, ≤ {MAX_REPLAYED_EVENTS} replayed events): a declaration rarely needs any"),
        )
    } else if text.contains("Nodes") {
        (format!("YAML 节点超过 {MAX_NODES} 个（含别名展开）"), format!("more than {MAX_NODES} YAML nodes (aliases expanded)"))
    } else {
        ("超出 YAML 解析限制".to_string(), "YAML limit exceeded".to_string())
    }
}

fn is_limit(err: &YamlError, text: &str) -> bool {
    matches!(
        err,
        YamlError::AliasExpansionLimitExceeded { .. }
            | YamlError::AliasReplayLimitExceeded { .. }
            | YamlError::AliasReplayStackDepthExceeded { .. }
            | YamlError::AliasReplayCounterOverflow { .. }
    ) || text.contains("budget")
        || text.contains("Budget")
        || text.contains("limit")
}

/// The message without its trailing `at line N, column M …`: the diagnostic carries the location
/// (and may have moved it, see [`tab_after`]), so the text must not contradict it.
fn without_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].trim_end().to_string(),
        None => message.to_string(),
    }
}

/// The first tab at or after `from` that stands in a line's indentation or right after a value
/// (where YAML forbids it), as a location.
fn tab_after(source: &str, from: Loc) -> Option<Loc> {
    source.split('\n').enumerate().skip(from.line.saturating_sub(1) as usize).find_map(|(i, line)| {
        let skip = if i + 1 == from.line as usize { from.column.saturating_sub(1) as usize } else { 0 };
        let col = line.chars().enumerate().skip(skip).find(|(_, c)| *c == '\t')?.0;
        Some(Loc::new(u32::try_from(i + 1).ok()?, u32::try_from(col + 1).ok()?))
    })
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// Collects diagnostics while typing fields.
#[derive(Default)]
pub(crate) struct Cx {
    pub(crate) diags: Vec<Diagnostic>,
}

impl Cx {
    pub(crate) fn text(&mut self, f: &Field) -> Text {
        let text = f.written()?;
        Some(Located::new(text.to_string(), f.loc.unwrap_or(Loc::START)))
    }

    /// An amount in 万元 (`amount.format` when unreadable).
    pub(crate) fn amount(&mut self, f: &Field, label: &str) -> Entry<Decimal> {
        let Some(text) = f.written() else { return Entry::Blank };
        let loc = f.loc.unwrap_or(Loc::START);
        match parse_amount(text) {
            Ok(v) => Entry::Given(Located::new(v, loc)),
            Err(e) => {
                self.diags.push(Diagnostic::error(
                    Code::AmountFormat,
                    loc,
                    format!("{label}：{}", e.zh(text)),
                    format!("{label}: {}", e.en(text)),
                ));
                Entry::Invalid(loc)
            }
        }
    }

    pub(crate) fn percent(&mut self, f: &Field, label: &str) -> Entry<Decimal> {
        let Some(text) = f.written() else { return Entry::Blank };
        let loc = f.loc.unwrap_or(Loc::START);
        match parse_percent(text) {
            Some(v) => Entry::Given(Located::new(v, loc)),
            None => {
                self.diags.push(Diagnostic::error(
                    Code::AmountFormat,
                    loc,
                    format!("{label} 应为百分比（如 97.5%），而不是 “{text}”"),
                    format!("{label} must be a percentage such as 97.5%, not `{text}`"),
                ));
                Entry::Invalid(loc)
            }
        }
    }

    fn count(&mut self, f: &Field, label: &str) -> Entry<u32> {
        let Some(text) = f.written() else { return Entry::Blank };
        let loc = f.loc.unwrap_or(Loc::START);
        match parse_count(text) {
            Some(v) => Entry::Given(Located::new(v, loc)),
            None => {
                self.diags.push(Diagnostic::error(
                    Code::YamlType,
                    loc,
                    format!("{label} 应为不小于 0 的整数人数，而不是 “{text}”"),
                    format!("{label} must be a whole number of people, not `{text}`"),
                ));
                Entry::Invalid(loc)
            }
        }
    }

    pub(crate) fn year(&mut self, f: &Field) -> Entry<u16> {
        let Some(text) = f.written() else { return Entry::Blank };
        let loc = f.loc.unwrap_or(Loc::START);
        match text.trim_end_matches('年').parse::<u16>() {
            Ok(y) if (1900..=2999).contains(&y) => Entry::Given(Located::new(y, loc)),
            _ => {
                self.diags.push(Diagnostic::error(
                    Code::YamlType,
                    loc,
                    format!("年度应为四位年份（如 2023），而不是 “{text}”"),
                    format!("year must be a four-digit year such as 2023, not `{text}`"),
                ));
                Entry::Invalid(loc)
            }
        }
    }

    fn boolean(&mut self, f: &Field, label: &str) -> Entry<bool> {
        let Some(text) = f.written() else { return Entry::Blank };
        let loc = f.loc.unwrap_or(Loc::START);
        let value = match text {
            "true" | "True" | "TRUE" | "yes" | "是" | "■是 □否" | "■是□否" => Some(true),
            "false" | "False" | "FALSE" | "no" | "否" | "□是 ■否" | "□是■否" => Some(false),
            _ => None,
        };
        match value {
            Some(v) => Entry::Given(Located::new(v, loc)),
            None => {
                self.diags.push(Diagnostic::error(
                    Code::YamlType,
                    loc,
                    format!("{label} 应为 是/否（true/false），而不是 “{text}”"),
                    format!("{label} must be true or false (是/否), not `{text}`"),
                ));
                Entry::Invalid(loc)
            }
        }
    }

    fn common(&mut self, year: &Field, unit: &Field, name: &Field, indicators: raw::Block<raw::Level1Map>, signoff: raw::Block<raw::Signoff>) -> Common {
        Common {
            year: self.year(year),
            unit: self.text(unit),
            name: self.text(name),
            indicators: self.indicators(indicators),
            signoff: signoff.loc.map(|_| Signoff {
                preparer: self.text(&signoff.value.preparer),
                phone: self.text(&signoff.value.phone),
                head: self.text(&signoff.value.head),
                date: self.text(&signoff.value.date),
            }),
            // Filled in by the caller, who knows the form's own top-level keys.
            blanks: Blanks::default(),
        }
    }

    fn indicators(&mut self, block: raw::Block<raw::Level1Map>) -> Indicators {
        let mut out = Indicators { loc: block.loc.unwrap_or(Loc::START), groups: Vec::new() };
        for (key, level2s) in block.value.entries {
            let name = Located::new(key.value.0.trim().to_string(), loc_of(&key.referenced));
            let level1 = Level1::from_name(&name.value);
            let groups = level2s
                .value
                .entries
                .into_iter()
                .map(|(key2, items)| {
                    let name2 = Located::new(key2.value.0.trim().to_string(), loc_of(&key2.referenced));
                    let resolved = level1.map(|l1| scheme::resolve_level2(l1, &name2.value));
                    let items = items.value.into_iter().map(|item| self.indicator(item)).collect();
                    Level2Group { name: name2, resolved, items }
                })
                .collect();
            out.groups.push(Level1Group { name, level1, groups });
        }
        out
    }

    pub(crate) fn indicator(&mut self, item: serde_saphyr::Spanned<raw::Indicator>) -> Indicator {
        let loc = loc_of(&item.referenced);
        let raw = item.value;
        let name_loc = raw.name.loc.unwrap_or(loc);
        let value_loc = raw.value.loc.unwrap_or(name_loc);
        let op = match raw.op.written() {
            None | Some("定性") => None,
            Some(text) => {
                let parsed = Comparator::parse(text);
                if parsed.is_none() {
                    self.diags.push(Diagnostic::error(
                        Code::YamlType,
                        raw.op.loc.unwrap_or(loc),
                        format!("指标性质应为 ≥、≤、=、>、< 或 定性，而不是 “{text}”"),
                        format!("op must be one of ≥ ≤ = > < or 定性, not `{text}`"),
                    ));
                }
                parsed
            }
        };
        let written = raw.value.written().unwrap_or("");
        let value = if raw.op.written().is_some() || raw.unit.written().is_some() {
            IndicatorValue::from_parts(op, written, raw.unit.written())
        } else {
            IndicatorValue::parse(written)
        };
        Indicator {
            loc,
            name: Located::new(raw.name.written().unwrap_or("").to_string(), name_loc),
            value: Located::new(value, value_loc),
            weight: self.percent(&raw.weight, "权重"),
            direction: self.text(&raw.direction),
            note: self.text(&raw.note),
        }
    }
}

/// The keys among `fields` written with an empty value, and where.
pub(crate) fn blanks(fields: &[(&'static str, &Field)]) -> Blanks {
    Blanks(
        fields
            .iter()
            .filter_map(|(key, f)| f.loc.filter(|_| f.written().is_none()).map(|loc| (*key, loc)))
            .collect(),
    )
}

fn block_loc<T>(b: &raw::Block<T>, parent: Loc) -> Loc {
    b.loc.unwrap_or(parent)
}

fn project(r: raw::Project, cx: &mut Cx) -> ProjectForm {
    let funds_loc = block_loc(&r.funds, Loc::START);
    let f = &r.funds.value;
    let funds = Funds {
        loc: funds_loc,
        total: cx.amount(&f.total, "年度资金总额"),
        fiscal: cx.amount(&f.fiscal, "财政拨款"),
        other: cx.amount(&f.other, "其他资金"),
        sources: f
            .sources
            .iter()
            .map(|s| {
                let loc = loc_of(&s.referenced);
                let name = s.value.name.written().unwrap_or("其他来源").to_string();
                Source {
                    name: Located::new(name.clone(), s.value.name.loc.unwrap_or(loc)),
                    amount: cx.amount(&s.value.amount, &name),
                }
            })
            .collect(),
        blanks: blanks(&[("total", &f.total), ("fiscal", &f.fiscal), ("other", &f.other)]),
    };
    ProjectForm {
        department: cx.text(&r.department),
        implementer: cx.text(&r.implementer),
        attribute: cx.text(&r.attribute),
        period: cx.text(&r.period),
        goal: cx.text(&r.goal),
        funds,
        common: Common {
            blanks: blanks(&[("year", &r.year), ("name", &r.name), ("goal", &r.goal)]),
            ..cx.common(&r.year, &r.unit, &r.name, r.indicators, r.signoff)
        },
    }
}

fn department(r: raw::Department, cx: &mut Cx) -> DepartmentForm {
    let s = &r.staff.value;
    let staff = Staff {
        loc: block_loc(&r.staff, Loc::START),
        quota: cx.count(&s.quota, "编制控制数"),
        total: cx.count(&s.total, "在职人员总数"),
        administrative: cx.count(&s.administrative, "行政编制人数"),
        institutional: cx.count(&s.institutional, "事业编制人数"),
        extra: cx.count(&s.extra, "编外人数"),
        blanks: blanks(&[
            ("quota", &s.quota),
            ("total", &s.total),
            ("administrative", &s.administrative),
            ("institutional", &s.institutional),
            ("extra", &s.extra),
        ]),
    };
    let l = &r.last_year.value;
    let last_year = LastYear {
        loc: block_loc(&r.last_year, Loc::START),
        approved: cx.amount(&l.approved, "批复数"),
        adjusted: cx.amount(&l.adjusted, "调整数"),
        actual: cx.amount(&l.actual, "实际支出数"),
        rate: cx.percent(&l.rate, "执行率"),
        carryover: cx.amount(&l.carryover, "年末结转结余数"),
    };
    let budget_loc = block_loc(&r.budget, Loc::START);
    let i = &r.budget.value.income;
    let e = &r.budget.value.expense;
    let budget = Budget {
        loc: budget_loc,
        income: Income {
            loc: block_loc(i, budget_loc),
            total: cx.amount(&i.value.total, "收入合计"),
            superior: cx.amount(&i.value.superior, "上级财政拨款"),
            local: cx.amount(&i.value.local, "本级财政安排"),
            other: cx.amount(&i.value.other, "其他"),
            blanks: blanks(&[
                ("total", &i.value.total),
                ("superior", &i.value.superior),
                ("local", &i.value.local),
                ("other", &i.value.other),
            ]),
        },
        expense: Expense {
            loc: block_loc(e, budget_loc),
            total: cx.amount(&e.value.total, "支出合计"),
            personnel: cx.amount(&e.value.personnel, "人员经费"),
            public: cx.amount(&e.value.public, "公用经费"),
            project: cx.amount(&e.value.project, "项目经费"),
            blanks: blanks(&[
                ("total", &e.value.total),
                ("personnel", &e.value.personnel),
                ("public", &e.value.public),
                ("project", &e.value.project),
            ]),
        },
    };
    let d = &r.decomposition.value;
    let decomposition = Decomposition {
        functions: cx.text(&d.functions),
        midterm: cx.text(&d.midterm),
        annual: cx.text(&d.annual),
    };
    let tasks_loc = block_loc(&r.tasks, Loc::START);
    let tasks = r
        .tasks
        .value
        .iter()
        .map(|t| {
            let loc = loc_of(&t.referenced);
            let t = &t.value;
            Task {
                loc,
                name: cx.text(&t.name),
                content: cx.text(&t.content),
                goal: cx.text(&t.goal),
                amount: cx.amount(&t.amount, "预算金额"),
                fiscal: cx.amount(&t.fiscal, "财政"),
                other: cx.amount(&t.other, "其他"),
            }
        })
        .collect();
    DepartmentForm {
        contact: cx.text(&r.contact),
        phone: cx.text(&r.phone),
        basis: cx.text(&r.basis),
        functions: cx.text(&r.functions),
        functions_changed: cx.boolean(&r.functions_changed, "近三年单位职能是否出现过重大变化"),
        first_level_unit: cx.boolean(&r.first_level_unit, "部门是否为一级预算主管部门"),
        field: cx.text(&r.field),
        subordinates: cx.text(&r.subordinates),
        divisions: cx.text(&r.divisions),
        staff,
        last_year,
        budget,
        remarks: cx.text(&r.remarks),
        decomposition,
        tasks,
        tasks_loc,
        common: Common {
            blanks: blanks(&[("year", &r.year), ("name", &r.name)]),
            ..cx.common(&r.year, &r.unit, &r.name, r.indicators, r.signoff)
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(text: &str) -> (ProjectForm, Vec<Diagnostic>) {
        let out = parse(text);
        match out.declaration {
            Some(Declaration::Project(p)) => (p, out.diagnostics),
            other => panic!("not a project: {other:?} {:?}", out.diagnostics),
        }
    }

    #[test]
    fn amounts_keep_their_exact_text_and_location() {
        let (p, diags) = project("form: project\nfunds:\n  total: 463.79\n  fiscal: '1,200'\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(p.funds.total, Entry::Given(Located::new("463.79".parse().unwrap(), Loc::new(3, 10))));
        assert_eq!(p.funds.fiscal.value(), Some("1200".parse().unwrap()));
        // A block is located where its content starts (the line after `funds:`).
        assert_eq!(p.funds.loc.line, 3);
        assert!(p.funds.other.is_blank());
        assert_eq!(p.funds.blanks, Blanks::default(), "`other` was left out, not written empty");
        let (p, _) = project("form: project\nname:\nfunds:\n  total: 1\n  other:   # blank\n");
        assert_eq!(p.funds.blanks.get("other"), Some(Loc::new(5, 8)));
        assert_eq!(p.common.blanks.get("name"), Some(Loc::new(2, 5)));
        assert_eq!(p.common.blanks.get("year"), None);
    }

    #[test]
    fn chinese_labels_are_keys_too() {
        let (p, diags) = project("表单: project\n项目名称: 刻章\n项目资金:\n  年度资金总额: 150\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(p.common.name.unwrap().value, "刻章");
        assert_eq!(p.funds.total.value(), Some("150".parse().unwrap()));
    }

    #[test]
    fn indicators_shorthand_full_and_locations() {
        let text = "form: project\nindicators:\n  产出指标:\n    数量指标:\n      - 家数: ≥7500家\n      - name: 刻章数\n        value: =4枚\n        weight: 10\n";
        let (p, diags) = project(text);
        assert!(diags.is_empty(), "{diags:?}");
        let l1 = &p.common.indicators.groups[0];
        assert_eq!(l1.name.loc, Loc::new(3, 3));
        let items = &l1.groups[0].items;
        assert_eq!(items[0].name.value, "家数");
        assert_eq!(items[0].name.loc, Loc::new(5, 9));
        assert_eq!(items[0].value.value.display(), "≥7500家");
        assert_eq!(items[1].name.value, "刻章数");
        assert_eq!(items[1].value.loc.line, 7);
        assert_eq!(items[1].weight.value(), Some("10".parse().unwrap()));
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let out = parse("form: project\nnmae: x\n");
        let d = &out.diagnostics[0];
        assert_eq!(d.code, Code::YamlUnknownKey);
        assert_eq!(d.loc.line, 2);
        assert!(d.en.contains("`name`"), "{}", d.en);
    }

    #[test]
    fn bad_amount_is_located_and_blank_stays_blank() {
        let (p, diags) = project("form: project\nfunds:\n  total: -5\n  other:\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::AmountFormat);
        assert_eq!(diags[0].loc, Loc::new(3, 10));
        assert!(p.funds.total.is_invalid());
        assert!(p.funds.other.is_blank());
    }

    #[test]
    fn shape_errors_speak_the_users_language() {
        let d = &parse("form: project\nfunds: 150\n").diagnostics[0];
        assert_eq!((d.code, d.loc.line), (Code::YamlType, 2));
        assert!(d.zh.contains("映射") && !d.en.contains("mapping start"), "{} / {}", d.zh, d.en);
        let d = &parse("form: project\nname: a\nname: b\n").diagnostics[0];
        assert_eq!(d.en, "duplicate key `name`: a key may appear once in a mapping");
    }

    #[test]
    fn duplicate_keys_and_syntax() {
        assert_eq!(parse("form: project\nname: a\nname: b\n").diagnostics[0].code, Code::YamlDuplicateKey);
        assert_eq!(parse("form: project\nname: [a\n").diagnostics[0].code, Code::YamlSyntax);
    }

    #[test]
    fn a_tab_in_the_indentation_is_pointed_at() {
        let d = &parse("form: project\nfunds:\n  total: 150\n\tfiscal: 150\n").diagnostics[0];
        assert_eq!(d.code, Code::YamlSyntax);
        assert_eq!(d.loc, Loc::new(4, 1));
        assert!(!d.en.contains("at line"), "{}", d.en);
    }

    #[test]
    fn seed_examples_parse() {
        for f in ["chaisang-2023-project.yaml", "chaisang-2023-department.yaml"] {
            let text = std::fs::read_to_string(format!("{}/data/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            let out = parse(&text);
            assert!(out.diagnostics.is_empty(), "{f}: {:?}", out.diagnostics);
            let decl = out.declaration.unwrap();
            let n = decl.indicators().count();
            assert_eq!(n, if f.contains("project") { 13 } else { 21 }, "{f}");
        }
    }
}
