//! The Excel path (issue 18): a workbook jixiao wrote reads back to the declaration it came
//! from (the examples in data/ and 40 generated samples, every built-in layout and the Shaanxi
//! layout), and a filled template checks like the same YAML, every diagnostic at its cell.

use std::path::{Path, PathBuf};

use jixiao::check::{Checked, check_source_with, check_workbook};
mod decl_common;

use decl_common::{amount, at, indicators, text};
use jixiao::declaration::scheme::Level2;
use jixiao::declaration::value::Quantity;
use jixiao::declaration::{
    self, AmountUnit, Common, Declaration, DepartmentForm, Duty, Entry, FormKind, ProjectForm, Task,
};
use jixiao::diagnostic::Code;
use jixiao::inputs::SourceFile;
use jixiao::layouts::{self, fields, fields::Value};
use jixiao::validate::AllGlyphs;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn parse(yaml: &str) -> Declaration {
    declaration::parse(yaml)
        .declaration
        .expect("the declaration parses")
}

/// What a layout shows of a declaration, field by field: the scalars and list items it
/// prints, and every printed indicator as (一级, 二级, 三级, 指标值 as compared by the rules,
/// 权重, 方向, and the 备注 / 指标解释 / 绩效标准 the layout prints); the 中期 indicators and the
/// further projects of a layout that prints them. Two declarations that give the same view
/// print the same form.
/// A declaration as its layout shows it: (field, value) pairs.
type View = Vec<(String, String)>;

fn view(decl: &Declaration, layout: &layouts::Layout) -> View {
    let printed = layouts::printed_fields(&layout.def);
    let prints = |p: &str| printed.iter().any(|x| x == p);
    let yuan = decl.common().unit_of_amounts() == AmountUnit::Yuan;
    let shown = |v: Value| match v {
        // Amounts compare by value in 万元 (150 = 150.00, 1,500,000 元 = 150 万元), as the
        // form prints them.
        Value::Money(d) => {
            let d = if yuan { d / Decimal::from(10_000) } else { d };
            format!("money {}", d.normalize())
        }
        Value::Percent(d) => format!("percent {}", d.normalize()),
        other => format!("{other:?}"),
    };
    let mut out = Vec::new();
    for path in fields::scalars(decl.kind()) {
        if prints(path) {
            let mut v = shown(fields::scalar(decl, path).unwrap());
            // Tick boxes print which option the text starts with (延续项目 ticks 延续).
            if path == "attribute" && layout.name.contains("shaanxi") {
                v = v.replace("延续项目", "延续").replace("新增项目", "新增");
            }
            out.push((path.to_string(), v));
        }
    }
    for list in fields::lists(decl.kind()) {
        let n = fields::list_len(decl, list);
        let leaves: Vec<_> = fields::item_fields(list)
            .into_iter()
            .filter(|leaf| prints(&format!("{list}.{leaf}")))
            .collect();
        // An item the layout shows nothing of does not print (nor count).
        let mut k = 0;
        for i in 0..n {
            let item: Vec<_> = leaves
                .iter()
                .map(|leaf| {
                    (
                        format!("{list}[{k}].{leaf}"),
                        shown(fields::item(decl, list, i, leaf)),
                    )
                })
                .collect();
            if item.iter().any(|(_, v)| v != "Blank") {
                out.extend(item);
                k += 1;
            }
        }
    }
    let indicators = |out: &mut View, side: &str, ind: &jixiao::declaration::Indicators| {
        for p in ind.canonical() {
            let i = p.indicator;
            let v = &i.value.value;
            // A row with nothing on it is not on the form.
            let given = |on: bool, t: &jixiao::declaration::Text| {
                on && t.as_ref().is_some_and(|t| !t.value.trim().is_empty())
            };
            if i.name.value.trim().is_empty()
                && v.is_empty()
                && !given(prints("indicators.note"), &i.note)
                && !given(prints("indicators.explanation"), &i.explanation)
                && !given(prints("indicators.standard"), &i.standard)
                && !given(prints("indicators.direction"), &i.direction)
                && !(prints("indicators.weight") && i.weight.value().is_some())
            {
                continue;
            }
            let mut comparator = v.comparator;
            // 指标性质 prints `=` for a number without a comparator.
            if prints("indicators.nature") && comparator.is_none() && v.number().is_some() {
                comparator = Some(jixiao::declaration::value::Comparator::Eq);
            }
            let text = |on: bool, t: &jixiao::declaration::Text| {
                if on {
                    t.as_ref().map(|n| n.value.trim().to_string())
                } else {
                    None
                }
            };
            out.push((
                format!(
                    "{side} {} / {} / {}",
                    p.level1.name(),
                    p.level2.map_or("", |l| l.name()),
                    i.name.value.trim()
                ),
                format!(
                    "{:?} {} weight {:?} direction {:?} note {:?} explanation {:?} standard {:?}",
                    comparator,
                    // Numbers by value (639.70 = 639.7), as the rules compare them.
                    match &v.quantity {
                        Quantity::Number { value, unit } =>
                            format!("number {} unit {unit:?}", value.normalize()),
                        Quantity::Text(t) => format!("text {t:?}"),
                    },
                    i.weight.value().map(|w| w.normalize()),
                    i.direction.as_ref().map(|d| d.value.trim().to_string()),
                    text(prints("indicators.note"), &i.note),
                    text(prints("indicators.explanation"), &i.explanation),
                    text(prints("indicators.standard"), &i.standard),
                ),
            ));
        }
    };
    indicators(&mut out, "indicator", decl.indicators());
    if let Declaration::Project(p) = decl {
        if prints("midterm_indicators") {
            indicators(&mut out, "midterm", &p.midterm_indicators);
        }
        if prints("projects") {
            for (n, f) in p.projects.iter().enumerate() {
                for path in fields::scalars(decl.kind()) {
                    if prints(path) {
                        let v = fields::project_scalar(f, path).unwrap_or(Value::Blank);
                        out.push((format!("projects[{n}].{path}"), shown(v)));
                    }
                }
                indicators(&mut out, &format!("projects[{n}]"), &f.common.indicators);
            }
        }
    }
    out
}

/// YAML → Grid → XLSX → read back: the view of both, and the read-back check.
fn round_trip(yaml: &str, layout: &layouts::Layout, cli: Option<&str>) -> (View, View, Checked) {
    round_trip_of(&parse(yaml), layout, cli)
}

fn round_trip_of(
    original: &Declaration,
    layout: &layouts::Layout,
    cli: Option<&str>,
) -> (View, View, Checked) {
    let grid = layouts::build(original, layout).expect("the layout lays it out");
    let bytes = jixiao::xlsx::write(&grid).unwrap();
    let checked = check_workbook(Path::new("t.xlsx"), &bytes, &AllGlyphs, cli);
    let back = checked
        .declaration
        .clone()
        .unwrap_or_else(|| panic!("the workbook reads back: {:?}", checked.diagnostics));
    (view(original, layout), view(&back, layout), checked)
}

fn assert_same(yaml: &str, layout: &layouts::Layout, cli: Option<&str>, what: &str) {
    let (a, _, _) = round_trip(yaml, layout, cli);
    assert!(a.len() > 10, "{what}: the view has the form's fields");
    assert_same_of(&parse(yaml), layout, cli, what, true);
}

/// `original` printed in `layout` reads back to the same view, with nothing said about the
/// workbook; `again`: printed again, it is the same workbook byte for byte.
fn assert_same_of(
    original: &Declaration,
    layout: &layouts::Layout,
    cli: Option<&str>,
    what: &str,
    again: bool,
) {
    let (a, b, checked) = round_trip_of(original, layout, cli);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "{what}: read back differs\n{}", checked.text);
    }
    assert_eq!(
        a.len(),
        b.len(),
        "{what}: read back has other fields\n{}",
        checked.text
    );
    // Reading a workbook jixiao wrote finds nothing to say about the workbook itself.
    let xlsx = xlsx_notes(&checked);
    assert!(xlsx.is_empty(), "{what}: {xlsx:?}");
    // And the form it prints again is the same workbook, byte for byte.
    let print = |d: &Declaration| jixiao::xlsx::write(&layouts::build(d, layout).unwrap()).unwrap();
    assert!(
        !again || print(original) == print(checked.declaration.as_ref().unwrap()),
        "{what}: printed again, the workbook differs\n{}",
        checked.text
    );
}

fn default_layout(kind: FormKind) -> std::sync::Arc<layouts::Layout> {
    layouts::builtin(layouts::DEFAULT, kind).unwrap()
}

/// The built-in layouts of the target forms, each with its example in `data/`
/// (`data/<id>-<form>.yaml`; the self-evaluation examples are [`SELFEVAL_EXAMPLES`]).
fn examples() -> Vec<(&'static str, FormKind, String)> {
    layouts::BUILTINS
        .iter()
        .filter(|(_, kind, _)| matches!(kind, FormKind::Project | FormKind::Department))
        .map(|(id, kind, _)| (*id, *kind, format!("data/{id}-{}.yaml", kind.key())))
        .collect()
}

#[test]
fn the_examples_read_back_to_the_same_declaration() {
    let all = examples();
    assert!(all.len() >= 9, "{all:?}");
    let failed: Vec<String> = all
        .iter()
        .filter_map(|(id, kind, file)| {
            let yaml =
                std::fs::read_to_string(repo(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            let layout = layouts::builtin(id, *kind).unwrap();
            failure(|| assert_same(&yaml, &layout, None, file))
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// The message of `f`'s panic, if it panics (to report every layout that fails, not the first).
fn failure(f: impl FnOnce()) -> Option<String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .err()
        .map(|e| {
            e.downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        })
}

#[test]
fn forty_samples_read_back_through_every_layout_of_their_form() {
    let mut failed = Vec::new();
    let mut runs = 0;
    for i in 0..40 {
        let (name, yaml) = jixiao::sample::generate(18, i);
        let kind = parse(&yaml).kind();
        for (id, k, _) in layouts::BUILTINS.iter().filter(|(_, k, _)| *k == kind) {
            let layout = layouts::builtin(id, *k).unwrap();
            runs += 1;
            let what = format!("{name} in {id}");
            failed.extend(failure(|| assert_same(&yaml, &layout, None, &what)));
        }
    }
    assert!(runs >= 40 * 4, "{runs}");
    assert!(
        failed.is_empty(),
        "{} of {runs} fail:\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}

#[test]
fn a_layout_of_its_own_reads_back_with_layout() {
    let file = repo("data/layouts/shaanxi-project.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let name = file.to_str().unwrap();
    let layout = layouts::load(&text, name, Some(FormKind::Project)).unwrap();
    let yaml = std::fs::read_to_string(repo("data/shaanxi-2024-project.yaml")).unwrap();
    // The declaration names its layout relative to itself: read with --layout instead.
    let yaml: String = yaml
        .lines()
        .filter(|l| !l.starts_with("layout:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_same(&yaml, &layout, Some(name), "shaanxi");
}

#[test]
fn a_layout_with_the_cost_build_up_reads_it_back() {
    // No built-in layout prints 成本测算 (`costs`); a user's layout does (tests/catalogue.rs),
    // with its column sums under it.
    let text = "id: hubei-project\nform: project\ncolumns: [30, 50, 30, 34, 30]\nfurniture: {title: 项目支出绩效目标申报表}\nbody:\n  - row: [{label: 项目名称, at: A}, {field: name, at: B:C}, {label: 主管部门编码, at: D}, {field: department_code, at: E}]\n  - group:\n      label: 成本测算\n      at: A\n      body:\n        - header: [{label: 成本构成, at: B}, {label: 金额, at: C}, {label: 测算依据, at: D}, {label: 前两年实际执行数, at: E}]\n        - each:\n            list: costs\n            row: [{field: costs.item, at: B}, {field: costs.amount, at: C}, {field: costs.basis, at: D}, {field: costs.prior, at: E}]\n        - row: [{label: 合计, at: B}, {sum: costs.amount, at: C}, {at: D}, {sum: costs.prior, at: E}]\n  - indicators:\n      columns: [{show: level1, at: A, header: 一级指标}, {show: level2, at: B, header: 二级指标}, {show: name, at: C:D, header: 三级指标}, {show: value, at: E, header: 指标值}]\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hubei-project.yaml");
    std::fs::write(&file, text).unwrap();
    let name = file.to_str().unwrap();
    let layout = layouts::load(text, name, Some(FormKind::Project)).unwrap();
    let yaml = "form: project\nyear: 2024\nname: 某项目\n主管部门编码: '311001'\ngoal: 目标\nfunds:\n  total: 100\n成本测算:\n  - {成本构成: 设备购置, 金额: 60, 测算依据: 120台×0.5万元, 前两年实际执行数: 55.5}\n  - {成本构成: 运行维护, 金额: 40, 测算依据: 全年, 前两年实际执行数: 30}\n  - {成本构成: 其他, 金额: 0.01}\nindicators:\n  产出指标:\n    数量指标:\n      - 台数: ≥120台\n  效益指标:\n    社会效益指标:\n      - 运行: 良好\n";
    assert_same(yaml, &layout, Some(name), "costs");
    let (a, _, checked) = round_trip(yaml, &layout, Some(name));
    assert!(
        a.contains(&("costs[2].amount".into(), "money 0.01".into())),
        "{a:?}"
    );
    let Some(Declaration::Project(p)) = &checked.declaration else {
        panic!()
    };
    assert_eq!(p.costs.len(), 3, "{}", checked.text);
}

#[test]
fn forty_samples_read_back_to_the_same_declaration() {
    for i in 0..40 {
        let (name, yaml) = jixiao::sample::generate(18, i);
        let kind = parse(&yaml).kind();
        assert_same(&yaml, &default_layout(kind), None, &name);
    }
}

/// Sample `i` with the catalogue's fields added: a project's 中期 side and a further project,
/// a department's 年度履职目标 and 近两年收支金额 (amounts varying with `i`).
fn with_catalogue_fields(i: usize, yaml: &str, kind: FormKind) -> String {
    let n = i + 1;
    let extra = match kind {
        FormKind::Project => format!(
            "midterm_funds:\n  total: {t}\n  fiscal: {f}\n  other: {o}\nmidterm_goal: 三年内完成第{n}期建设\n\
             midterm_indicators:\n  产出指标:\n    数量指标:\n      - 中期建设数量: ≥{n}个\n      \
             - 中期覆盖范围: 全县\n  满意度指标:\n    服务对象满意度指标:\n      - 中期满意度: ≥9{m}%\n\
             projects:\n  - name: 第{n}个其他项目\n    funds:\n      total: {t2}\n    goal: 完成第{n}项任务\n    \
             indicators:\n      产出指标:\n        数量指标:\n          \
             - {{name: 其他项目数量, op: ≥, value: {n}, unit: 个, weight: 60, direction: 正向}}\n      \
             满意度指标:\n        服务对象满意度指标:\n          \
             - {{name: 其他项目满意度, op: ≥, value: 90, unit: \"%\", weight: 30, direction: 正向}}\n",
            t = 100 + n,
            f = 90 + n,
            o = 10,
            m = n % 10,
            t2 = 3 * n,
        ),
        _ => format!(
            "duties:\n  - function: 第{n}项职能\n    target: 完成第{n}项目标\n    project: 第{n}个项目\n    \
             amount: {a}.5\n  - function: 综合管理\n    target: 保障运转\n    amount: {b}\n\
             history:\n  - year: 2023\n    income: {{total: {t}, fiscal: {f}, other: 3}}\n    \
             expense: {{total: {t}, basic: {f}, project: 3}}\n  - year: 2022\n    \
             income: {{total: {t}.25, fiscal: {f}.25, other: 3}}\n    \
             expense: {{total: {t}.25, basic: {f}, project: 3.25}}\n",
            a = 10 + n,
            b = 2 * n,
            t = 200 + n,
            f = 197 + n,
        ),
    };
    format!("{}\n{extra}", yaml.trim_end())
}

#[test]
fn forty_samples_with_the_catalogue_fields_read_back_through_every_layout() {
    let mut failed = Vec::new();
    let mut runs = 0;
    for i in 0..40 {
        let (name, yaml) = jixiao::sample::generate(18, i);
        let kind = parse(&yaml).kind();
        let yaml = with_catalogue_fields(i, &yaml, kind);
        let out = declaration::parse(&yaml);
        assert!(
            out.diagnostics.is_empty(),
            "{name}: {:?}\n{yaml}",
            out.diagnostics
        );
        for (id, k, _) in layouts::BUILTINS.iter().filter(|(_, k, _)| *k == kind) {
            let layout = layouts::builtin(id, *k).unwrap();
            runs += 1;
            let what = format!("{name} (catalogue fields) in {id}");
            failed.extend(failure(|| assert_same(&yaml, &layout, None, &what)));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {runs} fail:\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Declarations generated as tests/catalogue.rs generates them (texts with spaces, blank names and
// values, indicators written out of order, 元 and 万元, further projects), through every layout

fn counts() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(
        prop_oneof![3 => Just(0usize), 3 => 1usize..3, 1 => 3usize..5],
        Level2::ALL.len(),
    )
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z0-9 ]{1,12}",
        "[政务服务大厅管理及运行维护提高政治站位落实意识形态工作主体责任]{1,40}",
    ]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(any_text())
}

/// A further project's name (the form tells a one-row project by it).
fn project_name() -> impl Strategy<Value = String> {
    "[项目经费运行维护]{2,12}"
}

prop_compose! {
    fn project()(
        counts in counts(), mid_counts in counts(),
        names in prop::collection::vec(any_text(), 1..5),
        name in opt_text(), goal in opt_text(), midterm_goal in opt_text(),
        total in prop::option::of(0u32..10_000_000), mid in prop::option::of(0u32..10_000_000),
        yuan in any::<bool>(),
        further in prop::collection::vec((counts(), project_name(), prop::option::of(0u32..10_000_000)), 0..3),
    ) -> Declaration {
        let mut p = ProjectForm {
            common: Common { year: Entry::Given(at(2024)), name: text(name), ..Common::default() },
            goal: text(goal),
            midterm_goal: text(midterm_goal),
            ..ProjectForm::default()
        };
        if yuan {
            p.common.amount_unit = Entry::Given(at(AmountUnit::Yuan));
        }
        p.funds.total = amount(total);
        p.midterm_funds.total = amount(mid);
        p.common.indicators = indicators(&counts, &names);
        p.midterm_indicators = indicators(&mid_counts, &names);
        p.projects = further
            .into_iter()
            .map(|(c, n, t)| {
                let mut f = ProjectForm {
                    // What the parser gives a further project: the file's year and unit of amounts.
                    common: Common {
                        year: p.common.year.clone(),
                        name: text(Some(n)),
                        amount_unit: p.common.amount_unit.clone(),
                        ..Common::default()
                    },
                    ..ProjectForm::default()
                };
                f.funds.total = amount(t);
                f.common.indicators = indicators(&c, &names);
                f
            })
            .collect();
        Declaration::Project(p)
    }
}

prop_compose! {
    fn department()(
        counts in counts(),
        names in prop::collection::vec(any_text(), 1..5),
        name in opt_text(), functions in opt_text(), goal in opt_text(),
        tasks in prop::collection::vec((opt_text(), prop::option::of(0u32..1_000_000), prop::option::of(0u32..1_000_000)), 0..5),
        duties in prop::collection::vec((opt_text(), opt_text(), prop::option::of(0u32..1_000_000)), 0..5),
        general in prop::option::of(0u32..1_000_000), basic in prop::option::of(0u32..1_000_000),
    ) -> Declaration {
        let mut d = DepartmentForm {
            common: Common { year: Entry::Given(at(2024)), name: text(name), ..Common::default() },
            functions: text(functions),
            goal: text(goal),
            ..DepartmentForm::default()
        };
        d.tasks = tasks
            .into_iter()
            .map(|(n, a, f)| Task { name: text(n), amount: amount(a), fiscal: amount(f), ..Task::default() })
            .collect();
        d.duties = duties
            .into_iter()
            .map(|(f, t, a)| Duty { function: text(f), target: text(t), amount: amount(a), ..Duty::default() })
            .collect();
        d.budget.income.general = amount(general);
        d.budget.expense.basic = amount(basic);
        d.common.indicators = indicators(&counts, &names);
        Declaration::Department(d)
    }
}

/// `decl` through every built-in layout of its kind reads back to the same view; printed again,
/// the same workbook, unless its amounts are in another unit than the layout's (converted, they
/// show more places than the declaration read back prints: docs/excel.md) or it has an indicator
/// without name and value or a list item without anything (an empty row, not read back).
fn reads_back_through_every_layout(decl: &Declaration) -> Result<(), TestCaseError> {
    let unit = decl.common().unit_of_amounts();
    let mut all = vec![decl.indicators()];
    if let Declaration::Project(p) = decl {
        all.push(&p.midterm_indicators);
        all.extend(p.projects.iter().map(|f| &f.common.indicators));
    }
    let empty_row = all.iter().any(|ind| {
        ind.canonical()
            .iter()
            .any(|p| p.indicator.name.value.trim().is_empty() && p.indicator.value.value.is_empty())
    });
    for (id, kind, _) in layouts::BUILTINS
        .iter()
        .filter(|(_, k, _)| *k == decl.kind())
    {
        let layout = layouts::builtin(id, *kind).unwrap();
        let printed = layouts::printed_fields(&layout.def);
        // A list item the layout prints nothing of (an empty row).
        let empty_item = fields::lists(decl.kind()).iter().any(|list| {
            (0..fields::list_len(decl, list)).any(|i| {
                fields::item_fields(list)
                    .iter()
                    .filter(|leaf| printed.contains(&format!("{list}.{leaf}")))
                    .all(|leaf| fields::item(decl, list, i, leaf).is_blank())
            })
        });
        let same_unit = (layout.def.money.unit.value == "元") == (unit == AmountUnit::Yuan);
        let again = same_unit && !empty_row && !empty_item;
        if let Some(e) = failure(|| assert_same_of(decl, &layout, None, id, again)) {
            return Err(TestCaseError::fail(e));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn generated_projects_read_back_through_every_layout(decl in project()) {
        reads_back_through_every_layout(&decl)?;
    }

    #[test]
    fn generated_departments_read_back_through_every_layout(decl in department()) {
        reads_back_through_every_layout(&decl)?;
    }
}

#[test]
fn amounts_read_back_exactly() {
    // Amounts whose binary floats are not exact (0.1 + 0.2 ≠ 0.3 in f64) still add up.
    let yaml = std::fs::read_to_string(repo("data/chaisang-2023-project.yaml")).unwrap();
    let yaml = yaml
        .replace("total: 150 ", "total: 0.3 ")
        .replace("fiscal: 150 ", "fiscal: 0.1 ")
        .replace("other:    ", "other: 0.2 ");
    let (a, b, checked) = round_trip(&yaml, &default_layout(FormKind::Project), None);
    assert!(
        a.contains(&("funds.other".into(), "money 0.2".into())),
        "{a:?}"
    );
    assert_eq!(a, b);
    assert!(
        !checked.diagnostics.iter().any(|d| d.code == Code::FundsSum),
        "{:?}",
        checked.diagnostics
    );
}

/// The template of the default layout of `kind`, filled by `edit`.
fn fill_template(
    kind: FormKind,
    edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet, &calamine::Range<calamine::Data>),
) -> Vec<u8> {
    fill_template_of(&default_layout(kind), edit)
}

/// The template of `layout` (2 rows under each 二级, 3 list items), filled by `edit`.
fn fill_template_of(
    layout: &layouts::Layout,
    edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet, &calamine::Range<calamine::Data>),
) -> Vec<u8> {
    let bytes = jixiao::xlsx::template::write(layout, 2, 3).unwrap();
    // A filled copy: every value of the template again, with the test's values typed into its
    // input cells, as a person would in Excel.
    rewrite(bytes, |_| true, edit)
}

/// The form sheet of `bytes` written again by rust_xlsxwriter: its values and the merges
/// `keep` keeps, then `edit`.
fn rewrite(
    bytes: Vec<u8>,
    keep: impl Fn(&calamine::Dimensions) -> bool,
    edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet, &calamine::Range<calamine::Data>),
) -> Vec<u8> {
    rewrite_inserting(bytes, &[], keep, edit)
}

/// [`rewrite`], with an empty row inserted before each row of `before` (0-based, ascending, in
/// the sheet as it was) as Excel inserts one: the rows below move down, a merge across the
/// place grows by the row, the new row has no merges. `edit` sees the rows as moved.
fn rewrite_inserting(
    bytes: Vec<u8>,
    before: &[u32],
    keep: impl Fn(&calamine::Dimensions) -> bool,
    edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet, &calamine::Range<calamine::Data>),
) -> Vec<u8> {
    let moved = |r: u32| r + before.iter().filter(|b| **b <= r).count() as u32;
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let merges = book.merge_cells_by_sheet_name(&name).unwrap();
    let mut out = Workbook::new();
    let sheet = out.add_worksheet();
    sheet.set_name(&name).unwrap();
    for m in merges.iter().filter(|m| m.start != m.end && keep(m)) {
        let format = rust_xlsxwriter::Format::new();
        // A row inserted inside a merge (not before its first row) makes it one row longer.
        let grows = before
            .iter()
            .filter(|b| **b > m.start.0 && **b <= m.end.0)
            .count() as u32;
        let (first, last) = (
            moved(m.start.0),
            moved(m.end.0).max(moved(m.start.0) + (m.end.0 - m.start.0) + grows),
        );
        sheet
            .merge_range(first, m.start.1 as u16, last, m.end.1 as u16, "", &format)
            .unwrap();
    }
    let (r0, c0) = range.start().unwrap();
    for (r, c, v) in range.used_cells() {
        let (r, c) = (moved(r as u32 + r0), (c as u32 + c0) as u16);
        match v {
            calamine::Data::String(s) => sheet.write_string(r, c, s).unwrap(),
            calamine::Data::Float(f) => sheet.write_number(r, c, *f).unwrap(),
            _ => sheet,
        };
    }
    edit(sheet, &range);
    out.save_to_buffer().unwrap()
}

/// (row, col) of the first cell whose text is `label`, and its row's next cell to the right.
fn find(range: &calamine::Range<calamine::Data>, label: &str) -> (u32, u16) {
    let (r0, c0) = range.start().unwrap();
    range
        .used_cells()
        .find(|(_, _, v)| matches!(v, calamine::Data::String(s) if s == label))
        .map(|(r, c, _)| (r as u32 + r0, (c as u32 + c0) as u16))
        .unwrap_or_else(|| panic!("{label} is on the template"))
}

#[test]
fn a_filled_template_checks_like_the_same_yaml() {
    use jixiao::xlsx::read::cell_name;
    let yaml = "form: project\nyear: 2024\nunit: 测试局\nname: 测试项目\ngoal: 完成测试\nfunds:\n  total: 100\n  fiscal: 60.01\n  other: 40\nindicators:\n  产出指标:\n    数量指标:\n      - 测试次数: ≥12次\n  效益指标:\n    社会效益指标:\n      - 群众满意: 良好\n  满意度指标:\n    服务对象满意度指标:\n      - 满意度: ≥95%\n";
    let bytes = fill_template(FormKind::Project, |sheet, range| {
        let at = |label: &str| find(range, label);
        let (r, _) = at("项目名称");
        sheet.write_string(r, 1, "测试项目").unwrap();
        let (r, _) = at("年度总体目标");
        sheet.write_string(r, 1, "完成测试").unwrap();
        let (r, _) = at("年度资金总额");
        sheet.write_number(r, 3, 100.0).unwrap();
        let (r, _) = at("其中：财政拨款");
        // Off by 0.01: 60.01 + 40 ≠ 100.
        sheet.write_number(r, 3, 60.01).unwrap();
        let (r, _) = at("其他资金");
        sheet.write_number(r, 3, 40.0).unwrap();
        let (r, c) = at("（    年度）");
        sheet.write_string(r, c, "（2024年度）").unwrap();
        let (r, c) = at("填报单位（盖章）：");
        sheet
            .write_string(r, c, "填报单位（盖章）：测试局")
            .unwrap();
        // The first row under 数量指标, 社会效益指标 and 服务对象满意度指标.
        for (l2, name, value) in [
            ("数量指标", "测试次数", "≥12次"),
            ("社会效益指标", "群众满意", "良好"),
            ("服务对象满意度指标", "满意度", "≥95%"),
        ] {
            let (r, _) = at(l2);
            sheet.write_string(r, 2, name).unwrap();
            sheet.write_string(r, 5, value).unwrap();
        }
    });
    let (from_xlsx, from_yaml) = check_both(&bytes, yaml);
    assert_eq!(
        rule_codes(&from_xlsx),
        rule_codes(&from_yaml),
        "{}",
        from_xlsx.text
    );
    // funds.sum is located at the cell of 年度资金总额's value (D…), sheet and cell named.
    let sum = from_xlsx
        .diagnostics
        .iter()
        .find(|d| d.code == Code::FundsSum)
        .expect("funds.sum");
    let cells = from_xlsx.cells.as_ref().unwrap();
    let (r, c) = cells.cell(sum.loc);
    assert_eq!(cell_name(r, c), "D7", "{}", from_xlsx.text);
    let human = jixiao::report::human(&from_xlsx, jixiao::diagnostic::Lang::En);
    assert!(
        human.contains("filled.xlsx:项目支出绩效目标申报表!D7: error[funds.sum]"),
        "{human}"
    );
    let json = jixiao::report::json_diagnostics(&from_xlsx, jixiao::diagnostic::Lang::En);
    let j = json.iter().find(|j| j["code"] == "funds.sum").unwrap();
    assert_eq!(
        (j["sheet"].as_str(), j["cell"].as_str(), j["line"].as_u64()),
        (Some("项目支出绩效目标申报表"), Some("D7"), Some(7))
    );
}

/// The notes a check made about the workbook itself (`xlsx.*`).
fn xlsx_notes(c: &Checked) -> Vec<&jixiao::diagnostic::Diagnostic> {
    c.diagnostics
        .iter()
        .filter(|d| d.code.as_str().starts_with("xlsx."))
        .collect()
}

/// A filled workbook and the `yaml` it should equal, each checked as `check` would.
fn check_both(bytes: &[u8], yaml: &str) -> (Checked, Checked) {
    let from_xlsx = check_workbook(Path::new("filled.xlsx"), bytes, &AllGlyphs, None);
    let from_yaml = check_source_with(
        SourceFile {
            path: "filled.yaml".into(),
            text: yaml.into(),
            diagnostics: Vec::new(),
        },
        &AllGlyphs,
        None,
    );
    (from_xlsx, from_yaml)
}

/// The rule codes (and messages) of a check, without the workbook's own notes.
fn rule_codes(c: &Checked) -> Vec<(Code, String)> {
    let mut v: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| !d.code.as_str().starts_with("xlsx."))
        .map(|d| (d.code, d.zh.clone()))
        .collect();
    v.sort();
    v
}

#[test]
fn a_filled_catalogue_template_with_a_list_checks_like_the_same_yaml() {
    use jixiao::xlsx::read::cell_name;
    // fujian-2019: 年度履职目标 off by 0.01 from 资金总额 (60.01 + 40 ≠ 100), an indicator with
    // its 指标解释.
    let yaml = "form: department\nlayout: fujian-2019\nyear: 2024\nunit: 测试局\nname: 测试局\n\
        goal: 完成测试\nbudget:\n  expense:\n    total: 100\nduties:\n  - function: 职能一\n    \
        target: 目标一\n    project: 项目一\n    amount: 60.01\n  - function: 职能二\n    \
        target: 目标二\n    project: 项目二\n    amount: 40\nindicators:\n  产出指标:\n    \
        数量指标:\n      - name: 测试次数\n        value: ≥12次\n        explanation: 全年测试的次数\n  \
        效益指标:\n    社会效益指标:\n      - 群众满意: 良好\n  满意度指标:\n    服务对象满意度指标:\n      \
        - 满意度: ≥95%\n";
    let layout = layouts::builtin("fujian-2019", FormKind::Department).unwrap();
    let mut first_duty = (0, 0);
    let bytes = fill_template_of(&layout, |sheet, range| {
        let at = |label: &str| find(range, label);
        let (r, _) = at("部门（单位）名称");
        sheet.write_string(r, 2, "测试局").unwrap();
        let (r, _) = at("资金总额");
        sheet.write_number(r, 3, 100.0).unwrap();
        let (r, _) = at("年度总体目标");
        sheet.write_string(r, 1, "完成测试").unwrap();
        let (r, c) = at("（    年度）");
        sheet.write_string(r, c, "（2024年度）").unwrap();
        let (r, c) = at("填报单位（盖章）：");
        sheet
            .write_string(r, c, "填报单位（盖章）：测试局")
            .unwrap();
        // The two rows under the 年度履职目标 header; the third is left blank.
        let (r, _) = at("部门职能");
        first_duty = (r + 1, 1);
        for (i, (f, t, p, a)) in [
            ("职能一", "目标一", "项目一", 60.01),
            ("职能二", "目标二", "项目二", 40.0),
        ]
        .into_iter()
        .enumerate()
        {
            let r = r + 1 + i as u32;
            sheet.write_string(r, 1, f).unwrap();
            sheet.write_string(r, 2, t).unwrap();
            sheet.write_string(r, 4, p).unwrap();
            sheet.write_number(r, 5, a).unwrap();
        }
        for (l2, name, explanation, value) in [
            ("数量指标", "测试次数", "全年测试的次数", "≥12次"),
            ("社会效益指标", "群众满意", "", "良好"),
            ("服务对象满意度指标", "满意度", "", "≥95%"),
        ] {
            let (r, _) = at(l2);
            sheet.write_string(r, 3, name).unwrap();
            if !explanation.is_empty() {
                sheet.write_string(r, 4, explanation).unwrap();
            }
            sheet.write_string(r, 5, value).unwrap();
        }
    });
    // The same rule codes and declaration as the YAML, nothing said about the workbook.
    let from_xlsx = checks_alike(&bytes, yaml, &layout);
    // budget.duties-sum is located at the list's first row (its 部门职能 cell).
    let sum = from_xlsx
        .diagnostics
        .iter()
        .find(|d| d.code == Code::BudgetDutiesSum)
        .unwrap_or_else(|| panic!("budget.duties-sum: {:#?}", from_xlsx.diagnostics));
    let (r, c) = from_xlsx.cells.as_ref().unwrap().cell(sum.loc);
    assert_eq!(
        cell_name(r, c),
        cell_name(first_duty.0, first_duty.1),
        "{}",
        from_xlsx.text
    );
}

/// Checks `bytes` and `yaml` alike: the same rule codes, nothing said about the workbook
/// itself, the same view in `layout`.
fn checks_alike(bytes: &[u8], yaml: &str, layout: &layouts::Layout) -> Checked {
    let (from_xlsx, from_yaml) = check_both(bytes, yaml);
    assert!(
        from_yaml.declaration.is_some(),
        "{:?}",
        from_yaml.diagnostics
    );
    assert_eq!(
        rule_codes(&from_xlsx),
        rule_codes(&from_yaml),
        "{}",
        from_xlsx.text
    );
    let xlsx = xlsx_notes(&from_xlsx);
    assert!(xlsx.is_empty(), "{xlsx:?}");
    assert_eq!(
        view(from_xlsx.declaration.as_ref().unwrap(), layout),
        view(from_yaml.declaration.as_ref().unwrap(), layout),
        "{}",
        from_xlsx.text
    );
    from_xlsx
}

/// (row, col) of the first cell whose text starts with `prefix`.
fn find_prefix(range: &calamine::Range<calamine::Data>, prefix: &str) -> (u32, u16) {
    let (r0, c0) = range.start().unwrap();
    range
        .used_cells()
        .find(|(_, _, v)| matches!(v, calamine::Data::String(s) if s.starts_with(prefix)))
        .map(|(r, c, _)| (r as u32 + r0, (c as u32 + c0) as u16))
        .unwrap_or_else(|| panic!("{prefix}… is on the template"))
}

#[test]
fn a_filled_paired_template_checks_like_the_same_yaml() {
    use jixiao::xlsx::read::cell_name;
    // mof-2015: the 中期 side and the 年度 side, typed apart; 年度 funds off by 0.01.
    let yaml = "form: project\nlayout: mof-2015\nyear: 2024\nunit: 测试局\nname: 测试项目\n\
        midterm_funds:\n  total: 300\n  fiscal: 200\n  other: 100\nfunds:\n  total: 100\n  \
        fiscal: 60.01\n  other: 40\nmidterm_goal: 三年目标\ngoal: 年度目标\nmidterm_indicators:\n  \
        产出指标:\n    数量指标:\n      - 中期数量: ≥30个\n  效益指标:\n    社会效益指标:\n      \
        - 中期效益: 明显提升\nindicators:\n  产出指标:\n    数量指标:\n      - 年度数量: ≥10个\n  \
        满意度指标:\n    服务对象满意度指标:\n      - 满意度: ≥95%\n";
    let layout = layouts::builtin("mof-2015", FormKind::Project).unwrap();
    let mut total = (0u32, 0u32);
    let bytes = fill_template_of(&layout, |sheet, range| {
        let at = |label: &str| find(range, label);
        let (r, c) = at("（    年度）");
        sheet.write_string(r, c, "（2024年度）").unwrap();
        let (r, c) = at("填报单位（盖章）：");
        sheet
            .write_string(r, c, "填报单位（盖章）：测试局")
            .unwrap();
        let (r, _) = at("项目名称");
        sheet.write_string(r, 2, "测试项目").unwrap();
        for (label, mid, annual) in [
            ("中期资金总额", 300.0, 100.0),
            ("其中：财政拨款", 200.0, 60.01),
            ("其他资金", 100.0, 40.0),
        ] {
            let (r, _) = at(label);
            sheet.write_number(r, 4, mid).unwrap();
            sheet.write_number(r, 7, annual).unwrap();
            if label == "中期资金总额" {
                total = (r, 7);
            }
        }
        let (r, _) = at("中期目标");
        sheet.write_string(r + 1, 1, "三年目标").unwrap();
        sheet.write_string(r + 1, 5, "年度目标").unwrap();
        // 中期 in D:E, 年度 in G:H, each under its own 二级 (C, F).
        let (r, _) = at("数量指标");
        sheet.write_string(r, 3, "中期数量").unwrap();
        sheet.write_string(r, 4, "≥30个").unwrap();
        sheet.write_string(r, 6, "年度数量").unwrap();
        sheet.write_string(r, 7, "≥10个").unwrap();
        let (r, _) = at("社会效益指标");
        sheet.write_string(r, 3, "中期效益").unwrap();
        sheet.write_string(r, 4, "明显提升").unwrap();
        let (r, _) = at("服务对象满意度指标");
        sheet.write_string(r, 6, "满意度").unwrap();
        sheet.write_string(r, 7, "≥95%").unwrap();
    });
    let checked = checks_alike(&bytes, yaml, &layout);
    let sum = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::FundsSum)
        .unwrap_or_else(|| panic!("funds.sum: {:#?}", checked.diagnostics));
    let (r, c) = checked.cells.as_ref().unwrap().cell(sum.loc);
    assert_eq!(
        cell_name(r, c),
        cell_name(total.0, total.1),
        "{}",
        checked.text
    );
}

#[test]
fn a_project_added_to_a_sichuan_template_reads_as_a_further_project() {
    // sichuan-2023, in 元: the template's one project, and a second one typed into a row
    // inserted under the table (its unit left blank: the file's).
    let yaml = "form: project\nlayout: sichuan-2023\nyear: 2024\nunit: 测试局\namount_unit: 元\n\
        name: 测试项目\nfunds:\n  total: 100000\ngoal: 完成测试\nindicators:\n  产出指标:\n    \
        数量指标:\n      - {name: 测试数量, op: ≥, value: 10, unit: 个, weight: 60, direction: 正向}\n  \
        满意度指标:\n    服务对象满意度指标:\n      \
        - {name: 满意度, op: ≥, value: 95, unit: \"%\", weight: 30, direction: 正向}\n\
        projects:\n  - name: 第二个项目\n    funds:\n      total: 50000.5\n    goal: 第二个目标\n    \
        indicators:\n      产出指标:\n        数量指标:\n          \
        - {name: 第二数量, op: \"=\", value: 5, unit: 个, weight: 90, direction: 正向}\n";
    let layout = layouts::builtin("sichuan-2023", FormKind::Project).unwrap();
    let template = jixiao::xlsx::template::write(&layout, 1, 1).unwrap();
    let signoff = {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::Xlsx::new(std::io::Cursor::new(template.clone())).unwrap();
        let name = book.sheet_names()[0].clone();
        find_prefix(&book.worksheet_range(&name).unwrap(), "填报人：").0
    };
    let bytes = rewrite_inserting(
        template,
        &[signoff],
        |_| true,
        |sheet, range| {
            let at = |label: &str| find(range, label);
            let (r, c) = at("（    年度）");
            sheet.write_string(r, c, "（2024年度）").unwrap();
            let (r, c) = at("填报单位：");
            sheet.write_string(r, c, "填报单位：测试局").unwrap();
            let (r, _) = at("数量指标");
            sheet.write_string(r, 0, "测试局").unwrap();
            sheet.write_string(r, 1, "测试项目").unwrap();
            sheet.write_number(r, 2, 100000.0).unwrap();
            sheet.write_string(r, 3, "完成测试").unwrap();
            for (l2, name, number, unit, weight) in [
                ("数量指标", "测试数量", 10.0, "个", 60.0),
                ("服务对象满意度指标", "满意度", 95.0, "%", 30.0),
            ] {
                let (r, _) = at(l2);
                sheet.write_string(r, 6, name).unwrap();
                sheet.write_string(r, 7, "≥").unwrap();
                sheet.write_number(r, 8, number).unwrap();
                sheet.write_string(r, 9, unit).unwrap();
                sheet.write_number(r, 10, weight).unwrap();
                sheet.write_string(r, 11, "正向").unwrap();
            }
            // The inserted row (where the sign-off line was).
            let r = signoff;
            sheet.write_string(r, 1, "第二个项目").unwrap();
            sheet.write_number(r, 2, 50000.5).unwrap();
            sheet.write_string(r, 3, "第二个目标").unwrap();
            sheet.write_string(r, 4, "产出指标").unwrap();
            sheet.write_string(r, 5, "数量指标").unwrap();
            sheet.write_string(r, 6, "第二数量").unwrap();
            sheet.write_string(r, 7, "=").unwrap();
            sheet.write_number(r, 8, 5.0).unwrap();
            sheet.write_string(r, 9, "个").unwrap();
            sheet.write_number(r, 10, 90.0).unwrap();
            sheet.write_string(r, 11, "正向").unwrap();
        },
    );
    let checked = checks_alike(&bytes, yaml, &layout);
    let Some(Declaration::Project(p)) = &checked.declaration else {
        panic!()
    };
    assert_eq!(p.projects.len(), 1, "{}", checked.text);
    assert_eq!(
        p.projects[0].funds.total.value(),
        Some(Decimal::new(500005, 1)),
        "in 元, as typed"
    );
}

#[test]
fn a_filled_hubei_template_reads_its_years_and_ignores_a_typed_share() {
    use jixiao::xlsx::read::cell_name;
    // hubei-2021: the year before typed as a number over its column, its income off by 0.01;
    // a 占比 typed over the computed cell changes nothing.
    let yaml = "form: department\nlayout: hubei-2021\nyear: 2024\nunit: 测试局\nname: 测试局\n\
        budget:\n  income:\n    total: 100\n    fiscal: 90\n    other: 10\nhistory:\n  - year: 2023\n    \
        income:\n      total: 100.01\n      fiscal: 90\n      other: 10\nfunctions: 测试职能\n\
        indicators:\n  产出指标:\n    数量指标:\n      - 测试次数: ≥12次\n  效益指标:\n    社会效益指标:\n      \
        - 群众满意: 良好\n  满意度指标:\n    服务对象满意度指标:\n      - 满意度: ≥95%\n\
        signoff:\n  preparer: 张三\n  date: 2024-01-12\n";
    let layout = layouts::builtin("hubei-2021", FormKind::Department).unwrap();
    let mut income_rows = 0..0;
    let bytes = fill_template_of(&layout, |sheet, range| {
        let at = |label: &str| find(range, label);
        let (r, c) = at("（    年度）");
        sheet.write_string(r, c, "（2024年度）").unwrap();
        let (r, c) = at("填报单位（盖章）：");
        sheet
            .write_string(r, c, "填报单位（盖章）：测试局")
            .unwrap();
        let (r, c) = at("填报日期：");
        sheet.write_string(r, c, "填报日期：2024-01-12").unwrap();
        let (r, _) = at("部门（单位）名称");
        sheet.write_string(r, 1, "测试局").unwrap();
        sheet.write_string(r, 4, "张三").unwrap();
        let (r, _) = at("近两年收支金额");
        sheet.write_number(r + 1, 4, 2023.0).unwrap();
        let (first, _) = at("财政拨款");
        for (i, (now, before)) in [(90.0, 90.0), (10.0, 10.0), (100.0, 100.01)]
            .into_iter()
            .enumerate()
        {
            let r = first + i as u32;
            sheet.write_number(r, 3, now).unwrap();
            sheet.write_number(r, 4, before).unwrap();
        }
        // 占比 typed (wrongly) over the computed cell.
        sheet.write_string(first, 6, "50%").unwrap();
        income_rows = first..first + 3;
        let (r, _) = at("部门职能概述");
        sheet.write_string(r, 1, "测试职能").unwrap();
        for (l2, name, value) in [
            ("数量指标", "测试次数", "≥12次"),
            ("社会效益指标", "群众满意", "良好"),
            ("服务对象满意度指标", "满意度", "≥95%"),
        ] {
            let (r, _) = at(l2);
            sheet.write_string(r, 3, name).unwrap();
            sheet.write_string(r, 6, value).unwrap();
        }
    });
    let checked = checks_alike(&bytes, yaml, &layout);
    let sum = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::BudgetIncomeSum)
        .unwrap_or_else(|| panic!("budget.income-sum: {:#?}", checked.diagnostics));
    // At the year's column (E), on one of its income rows.
    let (r, c) = checked.cells.as_ref().unwrap().cell(sum.loc);
    assert!(
        c == 4 && income_rows.contains(&r),
        "{} {}",
        cell_name(r, c),
        checked.text
    );
}

#[test]
fn what_is_wrong_in_a_workbook_is_said_at_its_cell() {
    let bytes = fill_template(FormKind::Project, |sheet, range| {
        let at = |label: &str| find(range, label);
        let (r, _) = at("项目名称");
        // A number where text is expected.
        sheet.write_number(r, 1, 12345.0).unwrap();
        let (r, _) = at("年度总体目标");
        sheet.write_string(r, 0, "年度目标").unwrap(); // a label edited
        let (r, _) = at("项目日期范围");
        // A date cell for a text field.
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 1, 10).unwrap();
        sheet
            .write_datetime_with_format(
                r,
                4,
                &date,
                &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd"),
            )
            .unwrap();
        let (r, _) = at("年度资金总额");
        // A formula: its cached value is read.
        sheet
            .write_formula(
                r,
                3,
                rust_xlsxwriter::Formula::new("=60+40").set_result("100"),
            )
            .unwrap();
        let (r, _) = at("其中：财政拨款");
        // Text where a number is expected.
        sheet.write_string(r, 3, "六十").unwrap();
    });
    let checked = check_workbook(Path::new("bad.xlsx"), &bytes, &AllGlyphs, None);
    let cells = checked.cells.clone().unwrap();
    let at = |code: Code| {
        let d = checked
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .collect::<Vec<_>>();
        assert!(!d.is_empty(), "{code}: {:#?}", checked.diagnostics);
        d.iter().map(|d| cells.name(d.loc)).collect::<Vec<_>>()
    };
    assert_eq!(at(Code::XlsxLabel), ["A12"]);
    assert!(at(Code::XlsxType).contains(&"B4".to_string()), "name");
    assert!(at(Code::XlsxType).contains(&"E6".to_string()), "date");
    assert!(
        at(Code::XlsxType).contains(&"D8".to_string()),
        "text in an amount"
    );
    assert_eq!(at(Code::XlsxFormula), ["D7"]);
    let decl = checked.declaration.clone().unwrap();
    let Declaration::Project(p) = &decl else {
        panic!()
    };
    assert_eq!(
        p.funds.total.value(),
        Some(Decimal::from(100)),
        "the formula's cached value"
    );
    assert_eq!(
        p.period.as_ref().map(|t| t.value.as_str()),
        Some("2024-01-10")
    );
    assert_eq!(
        p.common.name.as_ref().map(|t| t.value.as_str()),
        Some("12345")
    );
}

#[test]
fn a_cell_merged_otherwise_is_said() {
    let layout = default_layout(FormKind::Project);
    let yaml = std::fs::read_to_string(repo("data/chaisang-2023-project.yaml")).unwrap();
    let grid = layouts::build(&parse(&yaml), &layout).unwrap();
    let bytes = jixiao::xlsx::write(&grid).unwrap();
    // Rewrite the form with 主管部门及代码's value cell (B5:C5) unmerged.
    let bytes = rewrite(bytes, |m| m.start != (4, 1), |_, _| {});
    let checked = check_workbook(Path::new("m.xlsx"), &bytes, &AllGlyphs, None);
    let cells = checked.cells.clone().unwrap();
    let merged: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::XlsxMerge)
        .map(|d| cells.name(d.loc))
        .collect();
    assert_eq!(merged, ["B5"], "{:#?}", checked.diagnostics);
}

#[test]
fn a_file_that_is_not_a_workbook_is_an_error() {
    let checked = check_workbook(Path::new("x.xlsx"), b"form: project\n", &AllGlyphs, None);
    assert!(checked.declaration.is_none());
    assert_eq!(checked.diagnostics[0].code, Code::XlsxRead);
    let human = jixiao::report::human(&checked, jixiao::diagnostic::Lang::En);
    assert!(
        human.starts_with("x.xlsx: error[xlsx.read]: not a readable XLSX workbook"),
        "{human}"
    );
}

#[test]
fn import_writes_yaml_that_reads_back_to_the_same_declaration() {
    let dir = tempfile::tempdir().unwrap();
    for (id, kind, file) in examples() {
        let yaml = std::fs::read_to_string(repo(&file)).unwrap();
        let layout = layouts::builtin(id, kind).unwrap();
        let original = parse(&yaml);
        let xlsx = dir.path().join("form.xlsx");
        std::fs::write(
            &xlsx,
            jixiao::xlsx::write(&layouts::build(&original, &layout).unwrap()).unwrap(),
        )
        .unwrap();
        let out = dir.path().join(format!("{id}-{}.yaml", kind.key()));
        assert_eq!(
            jixiao::app::import(&xlsx, Some(&out), None, false, jixiao::diagnostic::Lang::En),
            0
        );
        let text = std::fs::read_to_string(&out).unwrap();
        // The form's labels are the comments.
        let label = match (id, kind) {
            ("chaisang-2023", FormKind::Project) => "# 年度资金总额",
            ("chaisang-2023", _) => "# 收入合计",
            ("hubei-2021", _) => "# 近两年收支金额",
            ("sichuan-2023", _) => "# 预算数",
            ("fujian-2019", _) => "# 部门职能",
            ("annual", _) => "# 指标内容",
            // Its 中期 goal answers to the header above it, not to the block's 总体目标.
            ("mof-2015", FormKind::Project) => "# 中期目标",
            _ => "# 三级指标",
        };
        assert!(text.contains(label), "{id}: {label}\n{text}");
        assert_eq!(
            view(&parse(&text), &layout),
            view(&original, &layout),
            "{text}"
        );
        // An existing file is replaced only with --force.
        assert_eq!(
            jixiao::app::import(&xlsx, Some(&out), None, false, jixiao::diagnostic::Lang::En),
            2
        );
        assert_eq!(
            jixiao::app::import(&xlsx, Some(&out), None, true, jixiao::diagnostic::Lang::En),
            0
        );
    }
}

/// A part of an XLSX package as text.
fn part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn a_template_locks_its_labels_and_validates_its_input_cells() {
    for (id, kind, _) in examples() {
        let layout = layouts::builtin(id, kind).unwrap();
        let bytes = jixiao::xlsx::template::write(&layout, 3, 5).unwrap();
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        // Protected, without a password; rows may be inserted (to add indicators or tasks).
        let protection = sheet
            .split("<sheetProtection")
            .nth(1)
            .unwrap()
            .split('>')
            .next()
            .unwrap();
        assert!(!protection.contains("password"), "{protection}");
        assert!(protection.contains("insertRows=\"0\""), "{protection}");
        // Input cells are unlocked (and shaded); labels keep the default lock.
        let styles = part(&bytes, "xl/styles.xml");
        assert!(styles.contains("<protection locked=\"0\"/>"));
        assert!(styles.contains("FFFFF2CC"));
        // Amounts as decimals ≥ 0, with the field's meaning as the input message.
        assert!(sheet.contains("type=\"decimal\" operator=\"greaterThanOrEqual\""));
        assert!(sheet.contains("promptTitle=\"") && sheet.contains("prompt=\""));
        // 一级 from the hidden sheet, 二级 depending on the row's 一级.
        assert!(
            sheet.contains("<formula1>选项!$A$1:$A$4</formula1>"),
            "level1 list"
        );
        assert!(
            sheet.contains("<formula1>INDIRECT($"),
            "dependent level2 list"
        );
        let book = part(&bytes, "xl/workbook.xml");
        assert!(
            book.contains("name=\"选项\"") && book.contains("state=\"hidden\""),
            "{book}"
        );
        assert!(
            book.contains("<definedName name=\"产出指标\">选项!$B$1:$B$4</definedName>"),
            "{book}"
        );
        // The 填写说明 sheet says how to fill a paired table and add a project.
        let strings = part(&bytes, "xl/sharedStrings.xml");
        assert_eq!(
            strings.contains("中期与年度并列"),
            (id, kind) == ("mof-2015", FormKind::Project),
            "{id}"
        );
        assert_eq!(strings.contains("一表多项目"), id == "sichuan-2023", "{id}");
        if id == "sichuan-2023" {
            assert!(
                sheet.contains("<formula1>\"≥,≤,=,&gt;,&lt;,定性\"</formula1>"),
                "指标性质 from a list"
            );
        }
        if kind == FormKind::Department && id == layouts::DEFAULT {
            assert!(sheet.contains("type=\"whole\""), "head counts");
            assert!(sheet.contains("<formula1>\"是,否\"</formula1>"), "yes/no");
        }
        // An unfilled template reads back: blank, every blank row skipped, nothing unread.
        let checked = check_workbook(Path::new("t.xlsx"), &bytes, &AllGlyphs, None);
        let xlsx = xlsx_notes(&checked);
        assert!(xlsx.is_empty(), "{id} {kind:?}: {xlsx:?}");
        let decl = checked.declaration.expect("the template reads");
        assert_eq!(decl.indicators().count(), 0, "{id} {kind:?}");
        for list in fields::lists(kind) {
            assert_eq!(fields::list_len(&decl, list), 0, "{id} {kind:?} {list}");
        }
        if let Declaration::Project(p) = &decl {
            assert_eq!(p.midterm_indicators.count(), 0, "{id}");
            assert!(p.projects.is_empty(), "{id}");
        }
    }
}

#[test]
fn computed_cells_are_not_input_cells_of_a_template() {
    use calamine::Reader;
    // hubei-2021: 当年金额 (D) is typed, 占比 (G) is computed; mof-2015's 金额合计 row too.
    for (id, kind, header, rows, typed, computed) in [
        ("hubei-2021", FormKind::Department, "占比", 2..8, 3, 6),
        ("mof-2015", FormKind::Department, "金额合计", 0..1, 1, 3),
    ] {
        let layout = layouts::builtin(id, kind).unwrap();
        let bytes = jixiao::xlsx::template::write(&layout, 1, 1).unwrap();
        let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let name = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&name).unwrap();
        let styles = book.worksheet_style(&name).unwrap();
        let (top, _) = find(&range, header);
        let locked = |r: u32, c: u32| {
            styles
                .get((r, c))
                .and_then(|s| s.protection.as_ref())
                .is_none_or(|p| p.locked)
        };
        for r in rows.map(|r| top + r) {
            // mof-2015's 金额合计 row: 任务 amounts above it are typed (B is the row's label:
            // the typed cell is the task row's name above it).
            let typed_at = if id == "mof-2015" {
                (r - 1, typed)
            } else {
                (r, typed)
            };
            assert!(
                !locked(typed_at.0, typed_at.1),
                "{id}: {typed_at:?} is typed"
            );
            assert!(locked(r, computed), "{id}: ({r}, {computed}) is computed");
        }
    }
}

#[test]
fn a_cell_far_down_the_sheet_is_not_read_as_a_form_row() {
    // A stray value a million rows down: reading stops at xlsx::read::MAX_ROWS, and quickly.
    let bytes = fill_template(FormKind::Department, |sheet, _| {
        sheet.write_string(1_000_000, 3, "x").unwrap();
        sheet
            .merge_range(900_000, 0, 900_001, 3, "y", &rust_xlsxwriter::Format::new())
            .unwrap();
    });
    let started = std::time::Instant::now();
    let checked = check_workbook(Path::new("far.xlsx"), &bytes, &AllGlyphs, None);
    assert!(checked.declaration.is_some(), "{:?}", checked.diagnostics);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn rows_added_in_excel_are_read() {
    let yaml = std::fs::read_to_string(repo("data/chaisang-2023-department.yaml")).unwrap();
    let layout = default_layout(FormKind::Department);
    let bytes = jixiao::xlsx::write(&layouts::build(&parse(&yaml), &layout).unwrap()).unwrap();
    let (tasks_row, last_indicator) = {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let name = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&name).unwrap();
        let (header, _) = find(&range, "任务名称");
        let (last, _) = find(&range, "上级主管部门对政务服务测评");
        (header + 2, last)
    };
    // A row inside the task block (after its first task), and one under the last indicator:
    // the new task is typed into unmerged cells, the new indicator leaves 一级/二级 blank.
    let before = [tasks_row, last_indicator + 1];
    let bytes = rewrite_inserting(
        bytes,
        &before,
        |_| true,
        |sheet, _| {
            let r = tasks_row;
            sheet.write_string(r, 1, "新增任务").unwrap();
            sheet.write_string(r, 2, "新增的工作内容").unwrap();
            sheet.write_string(r, 4, "新增的目标").unwrap();
            sheet.write_number(r, 6, 12.5).unwrap();
            let r = last_indicator + 2;
            sheet.write_string(r, 3, "新增满意度指标").unwrap();
            sheet.write_string(r, 7, "≥90%").unwrap();
        },
    );
    let checked = check_workbook(Path::new("added.xlsx"), &bytes, &AllGlyphs, None);
    let Some(Declaration::Department(d)) = &checked.declaration else {
        panic!("{:?}", checked.diagnostics)
    };
    let names: Vec<_> = d
        .tasks
        .iter()
        .map(|t| t.name.as_ref().unwrap().value.clone())
        .collect();
    assert_eq!(
        names,
        ["政务服务大厅", "新增任务", "企业免费刻章"],
        "{}",
        checked.text
    );
    assert_eq!(d.tasks[1].amount.value(), Some(Decimal::new(125, 1)));
    let last = d.common.indicators.canonical().last().map(|p| {
        (
            p.level2.map_or("", |l| l.name()),
            p.indicator.name.value.clone(),
        )
    });
    assert_eq!(
        last,
        Some(("服务对象满意度指标", "新增满意度指标".to_string())),
        "{}",
        checked.text
    );
    // The added task makes the tasks add up to more than 支出合计: the rule says so, at its cell.
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.code == Code::BudgetTasksSum),
        "{:#?}",
        checked.diagnostics
    );
    // Unmerged cells of an added row are not a merge problem.
    assert!(
        !checked
            .diagnostics
            .iter()
            .any(|d| d.code == Code::XlsxMerge),
        "{:#?}",
        checked.diagnostics
    );
}

#[test]
fn a_damaged_workbook_is_an_error_never_a_panic() {
    let yaml = std::fs::read_to_string(repo("data/chaisang-2023-project.yaml")).unwrap();
    let layout = default_layout(FormKind::Project);
    let bytes = jixiao::xlsx::write(&layouts::build(&parse(&yaml), &layout).unwrap()).unwrap();
    // Cut short anywhere, or with bytes flipped here and there: read or refused, never a panic.
    for cut in (0..bytes.len()).step_by(bytes.len() / 40) {
        let checked = check_workbook(Path::new("cut.xlsx"), &bytes[..cut], &AllGlyphs, None);
        assert!(
            checked.declaration.is_none() && checked.diagnostics[0].code == Code::XlsxRead,
            "cut at {cut}"
        );
    }
    for at in (100..bytes.len()).step_by(97) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x5a;
        let _ = check_workbook(Path::new("flip.xlsx"), &damaged, &AllGlyphs, None);
    }
}

#[test]
fn what_the_layout_has_no_field_for_is_said_not_lost() {
    let yaml = std::fs::read_to_string(repo("data/chaisang-2023-department.yaml")).unwrap();
    let layout = default_layout(FormKind::Department);
    let bytes = jixiao::xlsx::write(&layouts::build(&parse(&yaml), &layout).unwrap()).unwrap();
    let bytes = rewrite(
        bytes,
        |_| true,
        |sheet, range| {
            // The empty filler cell right of 编外人数 (G:H), and a cell beside the table.
            let (r, _) = find(range, "编外人数");
            sheet.write_string(r, 6, "另有临时人员3人").unwrap();
            sheet.write_string(r + 2, 9, "备注：见附件").unwrap();
        },
    );
    let checked = check_workbook(Path::new("notes.xlsx"), &bytes, &AllGlyphs, None);
    let cells = checked.cells.clone().unwrap();
    let unread: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::XlsxUnread)
        .map(|d| cells.name(d.loc))
        .collect();
    assert_eq!(unread, ["G12", "J14"], "{:#?}", checked.diagnostics);
}

/// The self-evaluation examples in `data/`, each with the layout it is printed in.
const SELFEVAL_EXAMPLES: [&str; 4] = [
    "data/chaisang-2023-project-selfeval.yaml",
    "data/chaisang-2023-department-selfeval.yaml",
    "data/sichuan-2023-project-selfeval.yaml",
    "data/transfer-2023-project-selfeval.yaml",
];

/// A declaration checked from `path` (its `target:` resolved), without errors.
fn checked_example(path: &Path) -> Declaration {
    let source = jixiao::inputs::read(path).expect("the example reads");
    let checked = jixiao::check::check_source(source, &AllGlyphs);
    assert!(!checked.has_errors(), "{path:?}: {:?}", checked.diagnostics);
    checked.declaration.expect("parses")
}

/// What a self-evaluation works out: each indicator's 分值 and 得分, the execution rate and
/// score, the totals and the grade.
fn scores(decl: &Declaration) -> String {
    let Declaration::SelfEval(f) = decl else {
        panic!("not a self-evaluation")
    };
    let e = jixiao::selfeval::evaluate::evaluate(f);
    let rows: Vec<String> = e
        .rows
        .iter()
        .map(|r| {
            format!(
                "{} {:?} {:?}",
                r.indicator().name.value,
                r.points.map(|p| p.normalize()),
                r.printed.map(|p| p.normalize())
            )
        })
        .collect();
    format!(
        "{rows:?} execution {:?} {:?} {} total {} of {} {}",
        e.execution.rate.map(|d| d.normalize()),
        e.execution.score.map(|d| d.normalize()),
        e.execution.points.normalize(),
        e.total.normalize(),
        e.total_points.normalize(),
        e.grade
    )
}

/// A self-evaluation's workbook reads back (as an inline self-evaluation: the indicators and
/// their target values as printed, `target:` gone) to what prints the same Grid and the same
/// workbook byte for byte, and works out the same scores and grade; nothing is said about the
/// workbook, and the declaration read has no errors.
#[test]
fn the_self_evaluation_examples_read_back_to_the_same_form() {
    let failed: Vec<String> = SELFEVAL_EXAMPLES
        .iter()
        .filter_map(|file| {
            failure(|| {
                let path = repo(file);
                let original = checked_example(&path);
                let grid = layouts::grid_for(&original, &path, None).unwrap();
                let bytes = jixiao::xlsx::write(&grid).unwrap();
                let checked = check_workbook(Path::new("t.xlsx"), &bytes, &AllGlyphs, None);
                assert!(!checked.has_errors(), "{file}: {:?}", checked.diagnostics);
                let xlsx = xlsx_notes(&checked);
                assert!(xlsx.is_empty(), "{file}: {xlsx:?}");
                assert!(!checked.text.contains("target:"), "{file}: inline");
                let back = checked.declaration.clone().unwrap();
                assert!(
                    matches!(
                        back.kind(),
                        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval
                    ) && back.kind() == original.kind(),
                    "{file}: {:?}",
                    back.kind()
                );
                let again = layouts::grid_for(&back, Path::new("t.xlsx"), None).unwrap();
                same_grid(&grid, &again, &format!("{file}\n{}", checked.text));
                assert!(
                    jixiao::xlsx::write(&again).unwrap() == bytes,
                    "{file}: printed again, the workbook differs\n{}",
                    checked.text
                );
                assert_eq!(scores(&original), scores(&back), "{file}\n{}", checked.text);
            })
            .map(|m| format!("{file}: {m}"))
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// The same Grid, the first difference said: a cell, an indicator (指标明细), or a field.
fn same_grid(a: &jixiao::layout::Grid, b: &jixiao::layout::Grid, what: &str) {
    // Numbers by value (1180.40 = 1180.4: the workbook shows both as 1180.40).
    fn by_value(v: &mut serde_json::Value) {
        use std::str::FromStr;
        let number = |v: &mut serde_json::Value| {
            if let Some(d) = v.as_str().and_then(|t| Decimal::from_str(t).ok()) {
                *v = serde_json::Value::String(d.normalize().to_string());
            }
        };
        for cell in v["cells"].as_array_mut().unwrap() {
            if cell["content"]["type"] != "text" {
                number(&mut cell["content"]["value"]);
            }
        }
        for i in v["indicators"].as_array_mut().unwrap() {
            number(&mut i["number"]);
            number(&mut i["weight"]);
            if i["result"].is_object() {
                number(&mut i["result"]["points"]);
                number(&mut i["result"]["score"]);
            }
        }
    }
    let (mut a, mut b) = (
        serde_json::to_value(a).unwrap(),
        serde_json::to_value(b).unwrap(),
    );
    by_value(&mut a);
    by_value(&mut b);
    for list in ["cells", "indicators"] {
        let (x, y) = (a[list].as_array().unwrap(), b[list].as_array().unwrap());
        for (p, q) in x.iter().zip(y) {
            assert_eq!(p, q, "{list}: {what}");
        }
        assert_eq!(x.len(), y.len(), "{list}: {what}");
    }
    for key in a.as_object().unwrap().keys() {
        assert_eq!(a[key], b[key], "Grid.{key}: {what}");
    }
    assert_eq!(a, b, "{what}");
}

/// A filled self-evaluation template (mof-2020): a typed 得分 that differs from the one worked
/// out is `score.mismatch` at its cell, as in the same YAML; what the form works out (the
/// execution 得分, the 总分) is not read, so a wrong number typed there changes nothing.
#[test]
fn a_filled_self_evaluation_template_checks_like_the_same_yaml() {
    use jixiao::xlsx::read::cell_name;
    let yaml = "form: project-selfeval\nyear: 2024\nunit: 测试局\nname: 测试项目\ngoal: 完成测试\ngoal_result: 基本完成\nexecution:\n  points: 10\n  rows:\n    - {name: 年度资金总额, initial: 100, budget: 100, spent: 95}\n    - {name: 其中：当年财政拨款, initial: 100, budget: 100, spent: 95}\n    - {name: 上年结转资金}\n    - {name: 其他资金}\nindicators:\n  产出指标:\n    数量指标:\n      - {name: 测试次数, value: ≥10次, actual: 9次, points: 90, score: 80, reason: 少一次}\n";
    let layout = layouts::builtin("mof-2020", FormKind::ProjectSelfeval).unwrap();
    let mut score_at = (0, 0);
    let bytes = fill_template_of(&layout, |sheet, range| {
        let at = |label: &str| find(range, label);
        let (r, _) = at("项目名称");
        sheet.write_string(r, 2, "测试项目").unwrap();
        let (r, c) = at("（    年度）");
        sheet.write_string(r, c, "（2024年度）").unwrap();
        let (r, c) = at("填报单位（盖章）：");
        sheet
            .write_string(r, c, "填报单位（盖章）：测试局")
            .unwrap();
        for name in ["年度资金总额", "其中：当年财政拨款"] {
            let (r, _) = at(name);
            for (c, v) in [(4, 100.0), (5, 100.0), (6, 95.0)] {
                sheet.write_number(r, c, v).unwrap();
            }
        }
        let (r, _) = at("年度资金总额");
        sheet.write_number(r, 7, 10.0).unwrap();
        // The execution 得分 is worked out (95 % × 10 = 9.50): a 3 typed there is not read.
        sheet.write_number(r, 9, 3.0).unwrap();
        let (r, _) = at("预期目标");
        sheet.write_string(r + 1, 1, "完成测试").unwrap();
        sheet.write_string(r + 1, 6, "基本完成").unwrap();
        // 9 of ≥10 worth 90 is 81.00: 80 typed.
        let (r, _) = at("数量指标");
        for (c, v) in [(3, "测试次数"), (4, "≥10次"), (5, "9次"), (8, "少一次")] {
            sheet.write_string(r, c, v).unwrap();
        }
        sheet.write_number(r, 6, 90.0).unwrap();
        sheet.write_number(r, 7, 80.0).unwrap();
        score_at = (r, 7);
        // The 总分 is worked out too: 50 typed there is not read.
        let (r, _) = at("总分");
        sheet.write_number(r, 7, 50.0).unwrap();
    });
    let from_xlsx = checks_alike_selfeval(&bytes, yaml);
    let mismatch: Vec<_> = from_xlsx
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::ScoreMismatch)
        .collect();
    assert_eq!(mismatch.len(), 1, "{:?}", from_xlsx.diagnostics);
    let cells = from_xlsx.cells.as_ref().unwrap();
    let (r, c) = cells.cell(mismatch[0].loc);
    assert_eq!(
        cell_name(r, c),
        cell_name(score_at.0, score_at.1 as u32),
        "{}",
        from_xlsx.text
    );
    // Read back, it prints the worked-out numbers, as the YAML does: 81.00 (the typed 80 is
    // the error), 9.50, 总分 90.50 (优), not the 3 and 50 typed.
    let back = from_xlsx.declaration.as_ref().unwrap();
    assert!(
        scores(back).contains("Some(9.5) 10 total 90.5 of 100 优"),
        "{}",
        scores(back)
    );
}

/// A filled self-evaluation workbook and `yaml` check alike (the rules' diagnostics, nothing
/// said about the workbook) and work out the same scores.
fn checks_alike_selfeval(bytes: &[u8], yaml: &str) -> Checked {
    let (from_xlsx, from_yaml) = check_both(bytes, yaml);
    assert_eq!(
        rule_codes(&from_xlsx),
        rule_codes(&from_yaml),
        "{}",
        from_xlsx.text
    );
    let xlsx = xlsx_notes(&from_xlsx);
    assert!(xlsx.is_empty(), "{xlsx:?}\n{}", from_xlsx.text);
    assert_eq!(
        scores(from_xlsx.declaration.as_ref().unwrap()),
        scores(from_yaml.declaration.as_ref().unwrap()),
        "{}",
        from_xlsx.text
    );
    from_xlsx
}

/// A self-evaluation template: the execution block's 分值 and the indicators' 分值 and 得分 are
/// typed (decimals ≥ 0), 执行率, the execution 得分, the parts' `—` and the 总分 are locked; every
/// self-evaluation layout's blank template reads back as its form, with nothing said about it.
#[test]
fn a_self_evaluation_template_asks_for_what_is_typed_only() {
    use calamine::Reader;
    let layout = layouts::builtin("mof-2020", FormKind::ProjectSelfeval).unwrap();
    let bytes = jixiao::xlsx::template::write(&layout, 1, 1).unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let styles = book.worksheet_style(&name).unwrap();
    let locked = |(r, c): (u32, u16)| {
        styles
            .get((r, c as u32))
            .and_then(|s| s.protection.as_ref())
            .is_none_or(|p| p.locked)
    };
    let (total, _) = find(&range, "年度资金总额");
    let (part, _) = find(&range, "其中：当年财政拨款");
    let (indicator, _) = find(&range, "数量指标");
    let (sum, _) = find(&range, "总分");
    // E–H of 年度资金总额 (initial, budget, spent, 分值); G, H of an indicator (分值, 得分).
    for at in [
        (total, 4),
        (total, 7),
        (part, 4),
        (indicator, 6),
        (indicator, 7),
    ] {
        assert!(!locked(at), "{at:?} is typed");
    }
    // 执行率 and 得分 of the block, the parts' `—`, the 总分's 分值 and 得分.
    for at in [
        (total, 8),
        (total, 9),
        (part, 7),
        (part, 9),
        (sum, 6),
        (sum, 7),
    ] {
        assert!(locked(at), "{at:?} is worked out");
    }
    let xml = part_of_sheet(&bytes);
    assert!(
        xml.contains("分值、得分是不小于 0 的数"),
        "the 分值/得分 validation"
    );
    // Every self-evaluation layout's template is read back as its own form.
    for (id, kind) in [
        ("mof-2020", FormKind::ProjectSelfeval),
        ("mof-2020", FormKind::DepartmentSelfeval),
        ("sichuan-2023", FormKind::ProjectSelfeval),
        ("transfer", FormKind::ProjectSelfeval),
    ] {
        let layout = layouts::builtin(id, kind).unwrap();
        let bytes = jixiao::xlsx::template::write(&layout, 2, 1).unwrap();
        let read = jixiao::xlsx::read::read(&bytes, None).unwrap();
        assert_eq!(
            (read.kind, read.layout.as_str()),
            (kind, id),
            "{}",
            read.yaml
        );
        assert!(read.diagnostics.is_empty(), "{id}: {:?}", read.diagnostics);
        assert!(read.yaml.contains("- name: 年度资金总额") || read.yaml.contains("- name: 总额"));
    }
}

/// The form sheet's XML of a workbook.
fn part_of_sheet(bytes: &[u8]) -> String {
    part(bytes, "xl/worksheets/sheet1.xml")
}

/// A part's row of the execution block has no 分值 of its own (it prints `—`): a number typed
/// there is said (`xlsx.unread`, at its cell) and not read; the scores stay the same.
#[test]
fn a_part_rows_points_are_said_not_read() {
    use jixiao::xlsx::read::cell_name;
    let path = repo(SELFEVAL_EXAMPLES[0]);
    let original = checked_example(&path);
    let grid = layouts::grid_for(&original, &path, None).unwrap();
    let mut typed = (0, 0);
    let bytes = rewrite(
        jixiao::xlsx::write(&grid).unwrap(),
        |_| true,
        |sheet, range| {
            let (r, _) = find(range, "其中：当年财政拨款");
            sheet.write_number(r, 7, 5.0).unwrap();
            typed = (r, 7u32);
        },
    );
    let checked = check_workbook(Path::new("t.xlsx"), &bytes, &AllGlyphs, None);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let unread: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::XlsxUnread)
        .map(|d| {
            let (r, c) = checked.cells.as_ref().unwrap().cell(d.loc);
            cell_name(r, c)
        })
        .collect();
    assert_eq!(
        unread,
        vec![cell_name(typed.0, typed.1)],
        "{}",
        checked.text
    );
    assert_eq!(
        scores(checked.declaration.as_ref().unwrap()),
        scores(&original)
    );
}

/// Free-text indicators (issue 14) in every built-in layout of the target forms: the text
/// spans the 二级/三级/指标值 columns and reads back as free text under its 一级, with nothing
/// said about the workbook; 指标明细 lists it in the 指标值 column, 二级 and 三级 blank.
#[test]
fn free_text_indicators_read_back_through_every_layout() {
    let department = std::fs::read_to_string(repo("tests/fixtures/hunan-2017-freetext.yaml"))
        .unwrap()
        .replace("layout: hunan-2017\n", "");
    let project = "form: project\nyear: 2024\nname: 高标准农田建设\nfunds:\n  total: 300\n  fiscal: 300\n\
                   goal: 新建高标准农田2.6万亩\nmidterm_goal: 三年建成8万亩\n\
                   midterm_indicators:\n  产出指标:\n    - 指标1：三年建成8万亩\n  效益指标:\n    经济效益指标:\n      - 粮食增产: ≥3万吨\n\
                   indicators:\n  产出指标:\n    - 指标1：新建高标准农田2.6万亩\n    - 指标2：项目竣工验收合格率100%\n\
                   \x20 效益指标:\n    - 指标1：粮食增产1万吨\n  满意度指标:\n    服务对象满意度指标:\n      - 农户满意度: ≥90%\n";
    let mut failed = Vec::new();
    let mut layouts_seen = 0;
    for (id, kind, _) in layouts::BUILTINS {
        let yaml = match kind {
            FormKind::Project => project.to_string(),
            FormKind::Department => department.clone(),
            _ => continue,
        };
        layouts_seen += 1;
        let layout = layouts::builtin(id, *kind).unwrap();
        let decl = parse(&yaml);
        assert!(decl.indicators().has_free_text());
        let what = format!("{id} {}", kind.key());
        failed.extend(failure(|| {
            assert_same_of(&decl, &layout, None, &what, true)
        }));
        // The free texts are in the view compared: 5 of them in the project, 6 in the department.
        let texts = view(&decl, &layout)
            .iter()
            .filter(|(k, _)| k.contains(" /  / 指标"))
            .count();
        let expected = match kind {
            FormKind::Project if *id == "mof-2015" => 4,
            FormKind::Project => 3,
            _ => 6,
        };
        if texts != expected {
            failed.push(format!("{what}: {texts} free texts in the view"));
        }
    }
    assert!(layouts_seen >= 9);
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
    // 指标明细: 一级, blank 二级 and 三级, the text under 指标值.
    let decl = parse(&department);
    let grid = layouts::build(&decl, &default_layout(FormKind::Department)).unwrap();
    let row = &grid.indicators[0];
    assert_eq!(
        (
            row.level1.as_str(),
            row.level2.as_str(),
            row.name.as_str(),
            row.value.as_str()
        ),
        ("产出指标", "", "", "指标1：粮食播种面积稳定在52万亩以上")
    );
}
