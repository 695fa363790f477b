//! The catalogue of built-in layouts (issue 14): every built-in layout tiles its table for its
//! example in `data/` and for generated declarations (with the catalogue's fields: 中期 side,
//! budget by nature, 年度履职目标, 指标解释); the paired 中期 | 年度 indicator table; amounts in
//! the declaration's unit printed in the layout's; the catalogue's fields under their labels.

mod cli_common;
mod decl_common;

use std::path::Path;

use decl_common::{amount, at, indicators, text, with_free_text};
use jixiao::declaration::scheme::{Level1, Level2};
use jixiao::declaration::{
    AmountUnit, Common, Declaration, DepartmentForm, Duty, Entry, ProjectForm, Task, parse,
};
use jixiao::diagnostic::Code;
use jixiao::layout::{Content, Grid};
use jixiao::layouts::{self, BUILTINS, Layout, interp};
use jixiao::validate::{AllGlyphs, validate};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn repo(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn parse_ok(yaml: &str) -> Declaration {
    let out = parse(yaml);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    out.declaration.expect("parsed")
}

/// Every slot covered by exactly one cell, every span inside the grid.
fn assert_tiling(g: &Grid) -> Result<(), TestCaseError> {
    decl_common::assert_tiles(g)?;
    let width: f64 = g.columns_mm.iter().sum();
    prop_assert!(width <= g.page.content_width_mm() + 0.5);
    // The XLSX rows leave room for every cell's text.
    let plan = jixiao::xlsx::plan(g);
    for cell in &g.cells {
        let (first, last) = plan.rows_of(cell);
        let have: f64 = plan.heights[first..=last].iter().sum();
        let need = jixiao::xlsx::needed_height(g, cell);
        prop_assert!(have + 1e-6 >= need, "{cell:?}: {have} pt < {need} pt");
    }
    Ok(())
}

/// The cells showing `field`, in reading order.
fn cells_of<'g>(g: &'g Grid, field: &str) -> Vec<&'g jixiao::layout::Cell> {
    g.cells
        .iter()
        .filter(|c| c.field.as_deref() == Some(field))
        .collect()
}

fn layout(id: &str, kind: jixiao::declaration::FormKind) -> std::sync::Arc<Layout> {
    layouts::builtin(id, kind).unwrap_or_else(|| panic!("no built-in {id} for {kind:?}"))
}

// ---------------------------------------------------------------------------------------------
// The examples

/// `data/<id>-<form>.yaml` for each built-in layout of a target form other than the seed's
/// (the self-evaluation layouts and their examples are tests/selfeval_layouts.rs's).
fn examples() -> Vec<(&'static str, jixiao::declaration::FormKind, String)> {
    BUILTINS
        .iter()
        .filter(|(id, kind, _)| *id != layouts::DEFAULT && is_target_form(*kind))
        .map(|(id, kind, _)| (*id, *kind, format!("data/{id}-{}.yaml", kind.key())))
        .collect()
}

#[test]
fn every_catalogue_layout_has_a_clean_example_that_tiles() {
    let all = examples();
    assert!(all.len() >= 5, "{all:?}");
    for (id, kind, file) in all {
        let path = repo(&file);
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let decl = parse_ok(&source);
        assert_eq!(decl.kind(), kind, "{file}");
        assert_eq!(
            decl.common().layout.as_ref().map(|l| l.value.as_str()),
            Some(id),
            "{file}"
        );
        let rules = validate(&decl, &AllGlyphs);
        assert!(rules.is_empty(), "{file}: {rules:?}");
        let said = layouts::check(&decl, Path::new(&path), None);
        assert!(said.is_empty(), "{file}: {said:?}");
        let g = layouts::grid_for(&decl, Path::new(&path), None).unwrap();
        assert_eq!(g.layout, id);
        assert_tiling(&g).unwrap();
        // Every 三级 the declaration writes is printed once (those of its further projects too).
        let written: usize = match &decl {
            Declaration::Project(p) => p.all().map(|f| f.common.indicators.count()).sum(),
            _ => decl.indicators().count(),
        };
        assert_eq!(cells_of(&g, "indicators.name").len(), written, "{file}");
    }
}

#[test]
fn the_mof_2015_example_pads_the_shorter_side_inside_its_band() {
    let path = repo("data/mof-2015-project.yaml");
    let decl = parse_ok(&std::fs::read_to_string(&path).unwrap());
    let g = layouts::grid_for(&decl, Path::new(&path), None).unwrap();
    let Declaration::Project(p) = &decl else {
        panic!()
    };
    // Both sides print every indicator they have.
    assert_eq!(
        cells_of(&g, "midterm_indicators.name").len(),
        p.midterm_indicators.count()
    );
    assert_eq!(
        cells_of(&g, "indicators.name").len(),
        p.common.indicators.count()
    );
    // 产出指标: 中期 4 rows, 年度 5: the band is 5 rows and the 中期 side ends in one blank row.
    let output = g
        .cells
        .iter()
        .find(|c| {
            c.field.as_deref() == Some("indicators.level1")
                && c.content == Content::Text("产出指标".into())
        })
        .unwrap();
    assert_eq!(output.rowspan, 5);
    let mid_names: Vec<usize> = cells_of(&g, "midterm_indicators.name")
        .iter()
        .filter(|c| c.row >= output.row && c.row <= output.last_row())
        .map(|c| c.row)
        .collect();
    assert_eq!(mid_names.len(), 4);
    let pad = g
        .cells
        .iter()
        .find(|c| c.row == output.row + 4 && c.col == 3)
        .expect("the 中期 三级 column of the band's last row");
    assert_eq!(pad.content, Content::Blank);
    assert!(pad.field.is_none());
    // Money: 中期 and 年度 side by side.
    assert_eq!(
        cells_of(&g, "midterm_funds.total")[0].content,
        Content::Amount(Decimal::from(1860))
    );
    assert_eq!(
        cells_of(&g, "funds.total")[0].content,
        Content::Amount(Decimal::from(620))
    );
}

// ---------------------------------------------------------------------------------------------
// Generated declarations, laid out by every built-in layout of their kind

fn counts() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(
        prop_oneof![3 => Just(0usize), 3 => 1usize..3, 1 => 3usize..7],
        Level2::ALL.len(),
    )
}

/// Free-text indicators per 一级 (most often none).
fn free_counts() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(
        prop_oneof![3 => Just(0usize), 1 => 1usize..4],
        Level1::ALL.len(),
    )
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z0-9 ]{1,12}",
        "[政务服务大厅管理及运行维护提高政治站位落实意识形态工作主体责任]{1,80}",
    ]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(any_text())
}

prop_compose! {
    fn project()(
        counts in counts(), mid_counts in counts(), free in free_counts(), mid_free in free_counts(),
        names in prop::collection::vec(any_text(), 1..5),
        name in opt_text(), goal in opt_text(), midterm_goal in opt_text(),
        total in prop::option::of(0u32..10_000_000), mid in prop::option::of(0u32..10_000_000),
        yuan in any::<bool>(),
        further in prop::collection::vec((counts(), opt_text(), prop::option::of(0u32..10_000_000)), 0..3),
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
        p.common.indicators = with_free_text(indicators(&counts, &names), &free, &names);
        p.midterm_indicators = with_free_text(indicators(&mid_counts, &names), &mid_free, &names);
        p.projects = further
            .into_iter()
            .map(|(c, n, t)| {
                let mut f = ProjectForm { common: Common { name: text(n), ..Common::default() }, ..ProjectForm::default() };
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
        counts in counts(), free in free_counts(),
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
        d.common.indicators = with_free_text(indicators(&counts, &names), &free, &names);
        Declaration::Department(d)
    }
}

/// Lays `decl` out with every built-in of its kind: each tiles, and prints each indicator once.
fn every_builtin(decl: &Declaration) -> Result<(), TestCaseError> {
    for (id, kind, _) in BUILTINS.iter().filter(|(_, k, _)| *k == decl.kind()) {
        let l = layout(id, *kind);
        let g = interp::build(decl, &l).map_err(|p| TestCaseError::fail(format!("{id}: {p:?}")))?;
        assert_tiling(&g)?;
        // Every 三级 printed once: the file's project's, and in a layout with one band per
        // project, those of its further projects too.
        // A free-text indicator prints once as an `indicators.text` cell, instead of a 三级.
        let split = |i: &jixiao::declaration::Indicators| {
            let all = i.canonical();
            let free = all.iter().filter(|p| p.is_free_text()).count();
            (all.len() - free, free)
        };
        let (mut expected, mut free) = split(decl.indicators());
        if let Declaration::Project(p) = decl
            && id == &"sichuan-2023"
        {
            for f in &p.projects {
                let (n, t) = split(&f.common.indicators);
                expected += n;
                free += t;
            }
            prop_assert_eq!(cells_of(&g, "name").len(), 1 + p.projects.len());
        }
        prop_assert_eq!(cells_of(&g, "indicators.name").len(), expected, "{}", id);
        prop_assert_eq!(cells_of(&g, "indicators.text").len(), free, "{}", id);
        let paired = id == &"mof-2015";
        let mid_free = match decl {
            Declaration::Project(p) if paired => split(&p.midterm_indicators).1,
            _ => 0,
        };
        prop_assert_eq!(
            cells_of(&g, "midterm_indicators.text").len(),
            mid_free,
            "{}",
            id
        );
        if let Declaration::Project(p) = decl {
            let mid = cells_of(&g, "midterm_indicators.name").len();
            prop_assert_eq!(
                mid,
                if paired {
                    split(&p.midterm_indicators).0
                } else {
                    0
                }
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_project_layout_tiles(decl in project()) {
        every_builtin(&decl)?;
    }

    #[test]
    fn every_department_layout_tiles(decl in department()) {
        every_builtin(&decl)?;
    }

    /// mof-2015's paired table: each 一级 band is as tall as its longer side, and each side's
    /// rows start at the band's top.
    #[test]
    fn paired_bands_are_as_tall_as_the_longer_side(decl in project()) {
        let Declaration::Project(p) = &decl else { unreachable!() };
        let g = interp::build(&decl, &layout("mof-2015", decl.kind())).unwrap();
        let annual = p.common.indicators.canonical();
        let midterm = p.midterm_indicators.canonical();
        for l1 in Level1::ALL {
            let a = annual.iter().filter(|x| x.level1 == l1).count();
            let m = midterm.iter().filter(|x| x.level1 == l1).count();
            let band = g.cells.iter().find(|c| {
                c.field.as_deref() == Some("indicators.level1") && c.content == Content::Text(l1.name().into())
            });
            match band {
                None => prop_assert_eq!(a.max(m), 0),
                Some(b) => {
                    prop_assert_eq!(b.rowspan, a.max(m));
                    // A row holds a 三级 name, or a free-text indicator's text.
                    let rows = |side: &str| {
                        let mut rows: Vec<usize> = ["name", "text"].iter().flat_map(|leaf| cells_of(&g, &format!("{side}.{leaf}"))).filter(|c| c.row >= b.row && c.row <= b.last_row()).map(|c| c.row).collect();
                        rows.sort_unstable();
                        rows
                    };
                    prop_assert_eq!(rows("indicators"), (b.row..b.row + a).collect::<Vec<_>>());
                    prop_assert_eq!(rows("midterm_indicators"), (b.row..b.row + m).collect::<Vec<_>>());
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Money: the declaration's unit, the layout's unit

/// A project layout printing amounts in `unit` with `places` and separators.
fn money_layout(unit: &str, places: u32, separators: bool) -> Layout {
    let text = format!(
        "id: money\nform: project\ncolumns: [40, 134]\nmoney: {{unit: {unit}, places: {places}, separators: {separators}}}\n\
         furniture:\n  title: t\n  above: {{right: 金额单位：{unit}}}\nbody:\n  - row: [{{label: 年度资金总额, at: A}}, {{field: funds.total, at: B}}]\n"
    );
    layouts::load(&text, "money.yaml", None).unwrap()
}

fn total_printed(yaml_funds: &str, l: &Layout) -> (String, String) {
    let decl = parse_ok(&format!(
        "form: project\nyear: 2024\nname: a\ngoal: b\n{yaml_funds}"
    ));
    let g = interp::build(&decl, l).unwrap();
    (
        cells_of(&g, "funds.total")[0].content.display(),
        g.amount_unit_line.clone(),
    )
}

#[test]
fn an_amount_in_wan_prints_ten_thousandfold_under_a_yuan_unit_line() {
    let yuan = money_layout("元", 2, true);
    assert_eq!(
        total_printed("funds:\n  total: 330.984\n", &yuan),
        ("3,309,840.00".to_string(), "金额单位：元".to_string())
    );
    // Written in 元, printed in 元: as written, never multiplied again.
    assert_eq!(
        total_printed("amount_unit: 元\nfunds:\n  total: 3309840\n", &yuan).0,
        "3,309,840.00"
    );
}

#[test]
fn an_amount_in_yuan_converts_to_wan_without_losing_a_place() {
    let wan = money_layout("万元", 2, false);
    // 3,309,840 元 = 330.984 万元: the third place is kept, not rounded to 330.98.
    assert_eq!(
        total_printed("amount_unit: 元\nfunds:\n  total: 3309840\n", &wan).0,
        "330.984"
    );
    assert_eq!(
        total_printed("amount_unit: 元\nfunds:\n  total: 1500000\n", &wan).0,
        "150.00"
    );
    // The same figure written in 万元 is printed as written.
    assert_eq!(total_printed("funds:\n  total: 150\n", &wan).0, "150.00");
}

#[test]
fn precision_is_the_places_the_declaration_asks_for() {
    let wan = money_layout("万元", 2, false);
    assert_eq!(
        total_printed("precision: 4\nfunds:\n  total: 968.1918\n", &wan).0,
        "968.1918"
    );
    assert_eq!(
        total_printed("金额小数位数: 0\nfunds:\n  total: 150\n", &wan).0,
        "150"
    );
    // Without it, the layout's two places (and amount.rounded warns, as before).
    assert_eq!(
        total_printed("funds:\n  total: 968.1918\n", &wan).0,
        "968.19"
    );
    let decl = parse_ok(
        "form: project\nyear: 2024\nname: a\ngoal: b\nprecision: 4\nfunds:\n  total: 968.1918\n",
    );
    assert!(
        validate(&decl, &AllGlyphs)
            .iter()
            .all(|d| d.code != Code::AmountRounded)
    );
    let decl = parse_ok(
        "form: project\nyear: 2024\nname: a\ngoal: b\nprecision: 3\nfunds:\n  total: 968.1918\n",
    );
    let rounded: Vec<_> = validate(&decl, &AllGlyphs)
        .into_iter()
        .filter(|d| d.code == Code::AmountRounded)
        .collect();
    assert_eq!(rounded.len(), 1);
    assert!(
        rounded[0].zh.contains("按3 位小数打印为 968.192"),
        "{}",
        rounded[0].zh
    );
    assert_eq!(rounded[0].loc.line, 7);
}

// ---------------------------------------------------------------------------------------------
// Fields under their printed labels; layout problems with the new fields

#[test]
fn the_catalogue_fields_are_read_under_their_printed_labels() {
    let decl = parse_ok(
        "表单: department\n年度: 2024\n部门（单位）名称: 某局\n部门预算编码: '301001'\n整体绩效目标: 目标1：甲\n\
         当年预算:\n  按收入性质分:\n    资金总额: 100\n    公共财政拨款: 60\n    纳入预算管理的非税收入拨款: 10\n    政府性基金拨款: 10\n    纳入专户管理的非税收入拨款: 10\n    其他资金: 10\n\
         \x20 按支出性质分:\n    支出合计: 100\n    基本支出: 70\n    项目支出: 30\n\
         年度履职目标:\n  - 部门职能: 职能\n    年度目标任务: 任务\n    支出项目名称: 项目\n    预算金额: 100\n\
         年度主要任务:\n  - 任务名称: 甲\n    主要内容: 内容\n    总额: 100\n    财政拨款: 90\n    其他资金: 10\n\
         年度绩效指标:\n  产出指标:\n    数量指标:\n      - 三级指标: 家数\n        指标值: ≥10家\n        指标解释: 全年家数\n        绩效标准: 计划标准\n\
         \x20 效益指标:\n    社会效益指标:\n      - 环境: 良好\n  满意度指标:\n    服务对象满意度指标:\n      - 满意度: ≥95%\n\
         签署:\n  单位负责人: 甲\n  项目负责人: 乙\n  绩效管理联络员: 丙\n",
    );
    let Declaration::Department(d) = &decl else {
        panic!()
    };
    let v = |e: &Entry<Decimal>| e.value().unwrap();
    assert_eq!(d.budget_code.as_ref().unwrap().value, "301001");
    assert_eq!(d.goal.as_ref().unwrap().value, "目标1：甲");
    let i = &d.budget.income;
    assert_eq!(
        [
            v(&i.total),
            v(&i.general),
            v(&i.nontax),
            v(&i.fund),
            v(&i.special_account),
            v(&i.other)
        ],
        [100, 60, 10, 10, 10, 10].map(Decimal::from)
    );
    assert_eq!(
        [v(&d.budget.expense.basic), v(&d.budget.expense.project)],
        [70, 30].map(Decimal::from)
    );
    assert_eq!(d.duties[0].project.as_ref().unwrap().value, "项目");
    assert_eq!(v(&d.duties[0].amount), Decimal::from(100));
    assert_eq!(
        [
            v(&d.tasks[0].amount),
            v(&d.tasks[0].fiscal),
            v(&d.tasks[0].other)
        ],
        [100, 90, 10].map(Decimal::from)
    );
    let ind = &d.common.indicators.groups[0].groups[0].items[0];
    assert_eq!(ind.explanation.as_ref().unwrap().value, "全年家数");
    assert_eq!(ind.standard.as_ref().unwrap().value, "计划标准");
    let s = d.common.signoff.as_ref().unwrap();
    assert_eq!(s.project_head.as_ref().unwrap().value, "乙");
    assert_eq!(s.liaison.as_ref().unwrap().value, "丙");
    // And it is consistent: every sum adds up.
    let errors: Vec<_> = validate(&decl, &AllGlyphs)
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    let decl = parse_ok(
        "表单: project\n年度: 2024\n项目名称: a\n年度目标: b\n中期目标: c\n金额单位: 元\n\
         中期资金:\n  中期资金总额: 3000\n  财政拨款: 2000\n  其他资金: 1000\n项目资金:\n  年度资金总额: 1000\n\
         中期绩效指标:\n  产出指标:\n    数量指标:\n      - 家数: ≥30家\n",
    );
    let Declaration::Project(p) = &decl else {
        panic!()
    };
    assert_eq!(p.common.unit_of_amounts(), AmountUnit::Yuan);
    assert_eq!(p.midterm_goal.as_ref().unwrap().value, "c");
    assert_eq!(v(&p.midterm_funds.total), Decimal::from(3000));
    assert_eq!(p.midterm_indicators.count(), 1);
}

#[test]
fn a_field_the_layout_does_not_print_is_reported_where_it_is_filled() {
    let path = repo("data/fujian-2019-department.yaml");
    let source = std::fs::read_to_string(&path).unwrap();
    // The seed layout prints neither the 年度履职目标 nor the 指标解释 column.
    let decl = parse_ok(&source.replace("layout: fujian-2019", "layout: chaisang-2023"));
    let said = layouts::check(&decl, Path::new(&path), None);
    let unprinted: Vec<&str> = said
        .iter()
        .filter(|d| d.code == Code::LayoutUnprinted)
        .map(|d| d.en.split(' ').nth(1).unwrap())
        .collect();
    for f in [
        "budget_code",
        "goal",
        "duties.function",
        "duties.amount",
        "indicators.explanation",
    ] {
        assert!(unprinted.contains(&f), "{f} not reported: {unprinted:?}");
    }
    let explanation = said
        .iter()
        .find(|d| d.en.contains("indicators.explanation"))
        .unwrap();
    let line = source
        .lines()
        .position(|l| l.contains("explanation:"))
        .unwrap()
        + 1;
    assert_eq!(explanation.loc.line as usize, line, "at the first 指标解释");
    // A 中期 side on a project form that has 中期 indicators but a layout without that side.
    let path = repo("data/mof-2015-project.yaml");
    let source = std::fs::read_to_string(&path).unwrap();
    let decl = parse_ok(&source.replace("layout: mof-2015", "layout: annual"));
    let said = layouts::check(&decl, Path::new(&path), None);
    for f in ["midterm_indicators", "midterm_goal", "midterm_funds.total"] {
        assert!(
            said.iter()
                .any(|d| d.code == Code::LayoutUnprinted && d.en.contains(&format!("field {f} "))),
            "{f}: {said:?}"
        );
    }
}

#[test]
fn a_midterm_side_is_refused_in_a_department_layout() {
    let text = "id: x\nform: department\ncolumns: [30, 30, 30, 30]\nfurniture: {title: t}\nbody:\n  - indicators:\n      columns: [{show: level1, at: A, header: 一级}]\n      sides:\n        - source: midterm\n          columns: [{show: name, at: B, header: 中期}]\n        - source: annual\n          columns: [{show: name, at: C:D, header: 年度}]\n";
    let err = layouts::load(text, "x.yaml", None).unwrap_err();
    assert_eq!(err.problems.len(), 1, "{err:?}");
    assert_eq!(err.problems[0].code, Code::LayoutField);
    assert_eq!(err.problems[0].loc.line, 9);
    // The same table in a project layout is accepted, and so is a 指标解释 column.
    let project = text
        .replace("form: department", "form: project")
        .replace("show: name, at: C:D", "show: explanation, at: C:D");
    assert!(layouts::load(&project, "x.yaml", None).is_ok());
}

#[test]
fn hubei_prints_two_prior_years_and_computes_each_share() {
    let path = repo("data/hubei-2021-department.yaml");
    let source = std::fs::read_to_string(&path).unwrap();
    let decl = parse_ok(&source);
    let g = layouts::grid_for(&decl, Path::new(&path), None).unwrap();
    let one = |f: &str| cells_of(&g, f)[0].content.display();
    assert_eq!(one("history.1.year"), "2023年");
    assert_eq!(one("history.2.income.total"), "948.0530", "precision: 4");
    assert_eq!(one("budget.income.fiscal"), "968.1918");
    // 968.1918 ÷ 1020.4918 = 94.875…%: computed, not declared.
    assert_eq!(one("budget.income.fiscal_share"), "94.88%");
    assert_eq!(one("budget.expense.total_share"), "100.00%");
    // A year's parts that do not add up are an error at that year's total.
    let bad = source.replace(
        "expense: {total: 948.053, basic: 668.33",
        "expense: {total: 948.053, basic: 668.34",
    );
    let d: Vec<_> = validate(&parse_ok(&bad), &AllGlyphs)
        .into_iter()
        .filter(|d| d.code == Code::BudgetExpenseSum)
        .collect();
    assert_eq!(d.len(), 1, "{d:?}");
    let line = bad
        .lines()
        .position(|l| l.contains("basic: 668.34"))
        .unwrap()
        + 1;
    assert_eq!(d[0].loc.line as usize, line);
    assert!(
        d[0].zh.contains("基本支出 668.34 + 项目支出 279.723"),
        "{}",
        d[0].zh
    );
    // A third year has no column: it is reported, not dropped.
    let third = source.replace(
        "  - year: 2022\n",
        "  - year: 2021\n    income: {total: 1}\n  - year: 2022\n",
    );
    let said = layouts::check(&parse_ok(&third), Path::new(&path), None);
    assert!(
        said.iter()
            .any(|d| d.code == Code::LayoutUnprinted && d.en.contains("field history.3 ")),
        "{said:?}"
    );
    // The computed shares are no declared field: other layouts do not report them.
    let seed = parse_ok(&source.replace("layout: hubei-2021", "layout: chaisang-2023"));
    let said = layouts::check(&seed, Path::new(&path), None);
    assert!(said.iter().all(|d| !d.en.contains("_share")), "{said:?}");
}

// ---------------------------------------------------------------------------------------------
// sichuan-2023: several projects on one sheet, in 元

#[test]
fn sichuan_prints_each_project_as_a_band_in_yuan() {
    let path = repo("data/sichuan-2023-project.yaml");
    let source = std::fs::read_to_string(&path).unwrap();
    let decl = parse_ok(&source);
    let g = layouts::grid_for(&decl, Path::new(&path), None).unwrap();
    assert_eq!(g.amount_unit_line, "金额单位：元");
    let names = cells_of(&g, "name");
    assert_eq!(names.len(), 2, "one 项目名称 cell per project");
    assert_eq!(
        names[0].content.display(),
        "2024年城市社区公共服务设施运行维护经费"
    );
    assert_eq!(names[0].rowspan, 7, "merged over its seven indicators");
    assert_eq!(names[1].row, names[0].row + 7);
    assert_eq!(names[1].rowspan, 5);
    let budget: Vec<String> = cells_of(&g, "funds.total")
        .iter()
        .map(|c| c.content.display())
        .collect();
    assert_eq!(budget, ["3,309,840.00", "860,000.00"]);
    // The second project has no unit of its own: the file's.
    let units: Vec<String> = cells_of(&g, "unit")
        .iter()
        .map(|c| c.content.display())
        .collect();
    assert_eq!(units, ["某市住房和城乡建设局", "某市住房和城乡建设局"]);
    // 指标性质 | 指标值 | 度量单位 split the value.
    let row = cells_of(&g, "indicators.name")[0].row;
    let at = |f: &str| {
        g.cells
            .iter()
            .find(|c| c.row == row && c.field.as_deref() == Some(f))
            .unwrap()
            .content
            .display()
    };
    assert_eq!(
        [
            at("indicators.nature"),
            at("indicators.number"),
            at("indicators.unit"),
            at("indicators.weight")
        ],
        ["≥", "120", "个", "20"]
    );
    assert_eq!(cells_of(&g, "indicators.name").len(), 12);

    // The same declaration in 万元 prints the same figures in 元: never a 10,000× misstatement.
    let wan = source
        .replace("amount_unit: 元\n", "")
        .replace("total: 3309840", "total: 330.984")
        .replace("total: 860000", "total: 86");
    let g = layouts::grid_for(&parse_ok(&wan), Path::new(&path), None).unwrap();
    let budget: Vec<String> = cells_of(&g, "funds.total")
        .iter()
        .map(|c| c.content.display())
        .collect();
    assert_eq!(budget, ["3,309,840.00", "860,000.00"]);
    // And a 元 declaration printed by a 万元 layout reads 330.984, not 3309840.
    let g = layouts::grid_for(
        &parse_ok(&source.replace("layout: sichuan-2023", "layout: annual")),
        Path::new(&path),
        None,
    )
    .unwrap();
    assert_eq!(cells_of(&g, "funds.total")[0].content.display(), "330.984");
    assert_eq!(g.amount_unit_line, "金额单位：万元");
}

#[test]
fn each_further_project_is_checked_where_it_is_written() {
    let path = repo("data/sichuan-2023-project.yaml");
    let source = std::fs::read_to_string(&path).unwrap();
    // Its funds: a source that does not add up.
    let bad = source.replace(
        "      total: 860000\n",
        "      total: 860000\n      fiscal: 800000\n      other: 50000\n",
    );
    let d: Vec<_> = validate(&parse_ok(&bad), &AllGlyphs)
        .into_iter()
        .filter(|d| d.code == Code::FundsSum)
        .collect();
    assert_eq!(d.len(), 1, "{d:?}");
    let line = bad
        .lines()
        .position(|l| l.contains("total: 860000"))
        .unwrap()
        + 1;
    assert_eq!(d[0].loc.line as usize, line);
    assert!(
        d[0].zh
            .contains("财政拨款 800000.00 + 其他资金 50000.00 = 850000.00"),
        "{}",
        d[0].zh
    );
    // A further project without a name or goal: reported at the item, not at the file's top.
    let nameless = source.replace(
        "  - name: 2024年老旧小区改造项目前期工作经费\n    funds:",
        "  - funds:",
    );
    let d: Vec<_> = validate(&parse_ok(&nameless), &AllGlyphs)
        .into_iter()
        .filter(|d| d.code == Code::FieldRequired)
        .collect();
    assert_eq!(d.len(), 1, "{d:?}");
    let item = nameless.lines().position(|l| l == "  - funds:").unwrap() + 1;
    assert_eq!(d[0].loc.line as usize, item);
    // 权重 adding up to 89 in the second project: an error at its first 权重.
    let light = source.replace(
        "weight: 30, direction: 正向}",
        "weight: 29, direction: 正向}",
    );
    let said = layouts::check(&parse_ok(&light), Path::new(&path), None);
    let w: Vec<_> = said
        .iter()
        .filter(|d| d.code == Code::IndicatorWeightSum)
        .collect();
    assert_eq!(w.len(), 1, "{said:?}");
    assert!(w[0].is_error());
    assert!(
        w[0].zh.contains("2024年老旧小区改造项目前期工作经费")
            && w[0].zh.contains("合计 89")
            && w[0].en.contains("requires 90"),
        "{}",
        w[0].zh
    );
    let line = light
        .lines()
        .position(|l| l.contains("weight: 29"))
        .unwrap()
        + 1;
    assert_eq!(w[0].loc.line as usize, line);
    // Another layout does not print the further projects: reported, not dropped.
    let said = layouts::check(
        &parse_ok(&source.replace("layout: sichuan-2023", "layout: chaisang-2023")),
        Path::new(&path),
        None,
    );
    assert!(
        said.iter()
            .any(|d| d.code == Code::LayoutUnprinted && d.en.contains("field projects ")),
        "{said:?}"
    );
    assert!(
        said.iter().all(|d| d.code != Code::IndicatorWeightSum),
        "no weights rule without the layout's"
    );
}

// ---------------------------------------------------------------------------------------------
// `jixiao init KIND --layout ID`

/// A spring target form (project, department), not a self-evaluation.
fn is_target_form(kind: jixiao::declaration::FormKind) -> bool {
    use jixiao::declaration::FormKind;
    matches!(kind, FormKind::Project | FormKind::Department)
}

#[test]
fn the_starter_of_every_layout_writes_what_it_prints_and_nothing_else() {
    // A self-evaluation's starter comes from its target (`init --target`), not from a layout.
    for (id, kind, _) in BUILTINS.iter().filter(|(_, kind, _)| is_target_form(*kind)) {
        let l = layout(id, *kind);
        let starter = jixiao::authoring::init::template_for_layout(*kind, id, &l.def);
        let out = parse(&cli_common::fill_in(&starter));
        assert!(
            out.diagnostics.is_empty(),
            "{id} {kind:?}: {:?}\n{starter}",
            out.diagnostics
        );
        let decl = out.declaration.unwrap();
        assert_eq!(decl.common().layout.as_ref().unwrap().value, *id);
        // Filled in, nothing it holds goes unprinted, and it has no error.
        let said = layouts::check(&decl, Path::new("starter.yaml"), None);
        assert!(said.is_empty(), "{id} {kind:?}: {said:?}\n{starter}");
        let errors: Vec<_> = validate(&decl, &AllGlyphs)
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(errors.is_empty(), "{id} {kind:?}: {errors:?}\n{starter}");
        // Every declared field the layout prints has its line.
        for p in layouts::printed_fields(&l.def) {
            let key = p.rsplit('.').next().unwrap();
            if p.starts_with("indicators.") || p.ends_with("_share") || p.starts_with("signoff.") {
                continue;
            }
            assert!(
                starter.contains(&format!("{key}:")),
                "{id} {kind:?}: no line for {p}\n{starter}"
            );
        }
    }
    // The department starter of hunan-2017 asks for the budget by type, not the seed's split.
    let l = layout("hunan-2017", jixiao::declaration::FormKind::Department);
    let starter = jixiao::authoring::init::template_for_layout(
        jixiao::declaration::FormKind::Department,
        "hunan-2017",
        &l.def,
    );
    assert!(
        starter.contains("  income:")
            && starter.contains("    general:")
            && starter.contains("    basic:"),
        "{starter}"
    );
    assert!(
        !starter.contains("superior:")
            && !starter.contains("tasks:")
            && !starter.contains("basis:"),
        "{starter}"
    );
}

#[test]
fn init_with_a_layout_on_the_command_line() {
    let bin = env!("CARGO_BIN_EXE_jixiao");
    let o = std::process::Command::new(bin)
        .args(["init", "department", "--layout", "fujian-2019"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("layout: fujian-2019"), "{text}");
    let at = text
        .lines()
        .position(|l| l.starts_with("duties:"))
        .expect("duties");
    assert!(
        text.lines()
            .nth(at + 1)
            .unwrap()
            .starts_with("  - function:"),
        "{text}"
    );
    assert!(
        !text.contains("年度主要任务"),
        "no word of what the layout does not print: {text}"
    );
    // An unknown layout names the nearest, and writes nothing.
    let o = std::process::Command::new(bin)
        .args(["init", "project", "--layout", "mof-2016"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("mof-2015"),
        "{o:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Older placements: printed where and as written by a layout that says so

#[test]
fn annual_prints_older_placements_as_declared_the_seed_layout_canonically() {
    let yaml = "form: project\nyear: 2024\nname: 测试项目\ngoal: 目标\nfunds:\n  total: 10\nindicators:\n  产出指标:\n    数量指标:\n      - 家数: ≥10家\n  效益指标:\n    环境效益指标:\n      - 水质: 达标\n    服务对象满意度指标:\n      - 满意度: ≥90%\n";
    let decl = parse_ok(yaml);
    // Accepted with warnings at the 二级 names, not an error.
    let d = validate(&decl, &AllGlyphs);
    assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
    let alias: Vec<u32> = d
        .iter()
        .filter(|d| d.code == Code::IndicatorAlias)
        .map(|d| d.loc.line)
        .collect();
    assert_eq!(alias, [12, 14]);
    let group = |g: &Grid, field: &str| -> Vec<(String, usize)> {
        cells_of(g, field)
            .iter()
            .map(|c| (c.content.display(), c.rowspan))
            .collect()
    };
    let annual = interp::build(&decl, &layout("annual", decl.kind())).unwrap();
    assert_eq!(
        group(&annual, "indicators.level1"),
        [("产出指标".into(), 1), ("效益指标".into(), 2)]
    );
    assert_eq!(
        group(&annual, "indicators.level2"),
        [
            ("数量指标".into(), 1),
            ("环境效益指标".into(), 1),
            ("服务对象满意度指标".into(), 1)
        ]
    );
    let seed = interp::build(&decl, &layout("chaisang-2023", decl.kind())).unwrap();
    assert_eq!(
        group(&seed, "indicators.level1"),
        [
            ("产出指标".into(), 1),
            ("效益指标".into(), 1),
            ("满意度指标".into(), 1)
        ]
    );
    assert_eq!(
        group(&seed, "indicators.level2"),
        [
            ("数量指标".into(), 1),
            ("生态效益指标".into(), 1),
            ("服务对象满意度指标".into(), 1)
        ]
    );
}

#[test]
fn the_schema_of_a_catalogue_layout_warns_only_on_what_it_does_not_print() {
    use jixiao::authoring::schema::{Printed, schema_for};
    use jixiao::declaration::FormKind;
    let schema = |id: &str, kind: FormKind| {
        let l = layout(id, kind);
        schema_for(&[Printed {
            form: kind,
            layout: id.into(),
            fields: layouts::printed_fields(&l.def),
        }])
    };
    let warned = |s: &serde_json::Value, def: &str, key: &str| {
        s["definitions"][def]["properties"][key]
            .get("deprecationMessage")
            .is_some()
    };
    // Settings are no fields: never warned on.
    let s = schema("chaisang-2023", FormKind::Project);
    assert!(!warned(&s, "project", "amount_unit") && !warned(&s, "project", "precision"));
    assert!(
        warned(&s, "project", "midterm_goal"),
        "chaisang-2023 prints no 中期目标"
    );
    // hubei-2021 prints each year of 近两年收支金额 and its 财政拨款, not its 公共财政拨款.
    let s = schema("hubei-2021", FormKind::Department);
    assert!(!warned(&s, "department.history.item", "year"));
    assert!(!warned(&s, "department.history.item.income", "fiscal"));
    assert!(warned(&s, "department.history.item.income", "general"));
    // sichuan-2023 prints a further project's name, budget and goal, not its 主管部门.
    let s = schema("sichuan-2023", FormKind::Project);
    assert!(
        !warned(&s, "project.projects.item", "name")
            && !warned(&s, "project.projects.item", "goal")
    );
    assert!(warned(&s, "project.projects.item", "department"));
    let s = schema("annual", FormKind::Project);
    assert!(
        warned(&s, "project.projects.item", "name"),
        "annual prints one project"
    );
}

#[test]
fn a_user_layout_prints_the_cost_build_up_with_its_column_sums() {
    let text = "id: hubei-project\nform: project\ncolumns: [30, 50, 30, 34, 30]\nfurniture: {title: 项目支出绩效目标申报表}\nbody:\n  - row: [{label: 项目名称, at: A}, {field: name, at: B:C}, {label: 主管部门编码, at: D}, {field: department_code, at: E}]\n  - group:\n      label: 成本测算\n      at: A\n      body:\n        - header: [{label: 成本构成, at: B}, {label: 金额, at: C}, {label: 测算依据, at: D}, {label: 前两年实际执行数, at: E}]\n        - each:\n            list: costs\n            row: [{field: costs.item, at: B}, {field: costs.amount, at: C}, {field: costs.basis, at: D}, {field: costs.prior, at: E}]\n        - row: [{label: 合计, at: B}, {sum: costs.amount, at: C}, {at: D}, {sum: costs.prior, at: E}]\n  - indicators:\n      columns: [{show: level1, at: A, header: 一级指标}, {show: level2, at: B, header: 二级指标}, {show: name, at: C:D, header: 三级指标}, {show: value, at: E, header: 指标值}]\n";
    let l = layouts::load(text, "hubei-project.yaml", None).unwrap();
    let decl = parse_ok(
        "form: project\nyear: 2024\nname: 某项目\n主管部门编码: '311001'\ngoal: 目标\nfunds:\n  total: 100\n成本测算:\n  - {成本构成: 设备购置, 金额: 60, 测算依据: 120台×0.5万元, 前两年实际执行数: 55.5}\n  - {成本构成: 运行维护, 金额: 40, 测算依据: 全年, 前两年实际执行数: 30}\nindicators:\n  产出指标:\n    数量指标:\n      - 台数: ≥120台\n  效益指标:\n    社会效益指标:\n      - 运行: 良好\n",
    );
    assert!(validate(&decl, &AllGlyphs).iter().all(|d| !d.is_error()));
    let g = interp::build(&decl, &l).unwrap();
    assert_eq!(
        cells_of(&g, "department_code")[0].content.display(),
        "311001"
    );
    let sums: Vec<String> = g
        .cells
        .iter()
        .filter(|c| matches!(c.field.as_deref(), Some("costs.amount" | "costs.prior")))
        .map(|c| c.content.display())
        .collect();
    assert_eq!(
        sums,
        ["60.00", "55.50", "40.00", "30.00", "100.00", "85.50"]
    );
    // It prints every cost column and the code; the goal and the funds it leaves out are reported.
    let printed = layouts::printed_fields(&l.def);
    let unprinted: Vec<String> = layouts::fields::filled(&decl)
        .into_iter()
        .filter(|f| !printed.contains(f))
        .collect();
    assert_eq!(unprinted, ["year", "goal", "funds.total"]);
}

/// tests/fixtures/hunan-2017-freetext.yaml (issue 14): checks clean, and in hunan-2017 each
/// free-text indicator is one cell from the 二级 column to the 指标值 column, under its 一级 cell
/// merged over its rows; the 满意度 一级 keeps its 二级 and 三级 cells.
#[test]
fn hunan_free_text_spans_the_level2_to_value_columns_under_its_level1() {
    let yaml = std::fs::read_to_string(repo("tests/fixtures/hunan-2017-freetext.yaml")).unwrap();
    let decl = parse_ok(&yaml);
    assert!(validate(&decl, &AllGlyphs).is_empty());
    let g = interp::build(&decl, &layout("hunan-2017", decl.kind())).unwrap();
    assert_tiling(&g).unwrap();
    let texts = cells_of(&g, "indicators.text");
    assert_eq!(texts.len(), 6);
    let level2_col = |g: &Grid| {
        g.cells
            .iter()
            .find(|c| c.field.as_deref() == Some("indicators.level2"))
            .map(|c| c.col)
            .unwrap()
    };
    let value = cells_of(&g, "indicators.value")[0];
    for t in &texts {
        assert_eq!((t.col, t.last_col()), (level2_col(&g), value.last_col()));
        assert_eq!(t.rowspan, 1);
    }
    assert_eq!(
        texts[0].content,
        Content::Text("指标1：粮食播种面积稳定在52万亩以上".into())
    );
    let level1: Vec<_> = cells_of(&g, "indicators.level1")
        .into_iter()
        .map(|c| (c.content.display(), c.row, c.rowspan))
        .collect();
    assert_eq!(
        level1,
        vec![
            ("产出指标".to_string(), texts[0].row, 3),
            ("效益指标".to_string(), texts[3].row, 3),
            ("满意度指标".to_string(), texts[5].row + 1, 1),
        ]
    );
    assert_eq!(cells_of(&g, "indicators.name").len(), 1);
}

/// sichuan-2023 prints the value in parts (指标性质 | 指标值 | 度量单位): a free-text indicator
/// spans them with the 二级 and 三级 columns; 权重 and 指标方向性 stay blank cells of their own.
#[test]
fn sichuan_free_text_spans_the_value_in_parts() {
    let decl = parse_ok(
        "form: project\nyear: 2024\nname: 农田\nfunds:\n  total: 300\ngoal: 建设\nindicators:\n  产出指标:\n    - 指标1：新建高标准农田2.6万亩\n  效益指标:\n    社会效益指标:\n      - 粮食安全: 提升\n",
    );
    let g = interp::build(&decl, &layout("sichuan-2023", decl.kind())).unwrap();
    assert_tiling(&g).unwrap();
    let col = |field: &str| cells_of(&g, field)[0].col;
    let text = cells_of(&g, "indicators.text");
    assert_eq!(text.len(), 1);
    assert_eq!(
        (text[0].col, text[0].last_col()),
        (col("indicators.level2"), col("indicators.unit"))
    );
    let row = text[0].row;
    let blanks = g
        .cells
        .iter()
        .filter(|c| c.row == row && c.col > text[0].last_col())
        .count();
    assert_eq!(blanks, 2, "权重 and 指标方向性");
}
