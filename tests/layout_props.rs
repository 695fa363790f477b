//! Properties of `layouts::build_default` over generated declarations of both forms: the Grid is a
//! proper tiling (every slot covered by exactly one cell, spans inside the grid), the indicator
//! block follows the scheme's canonical order with 一级/二级 cells spanning their groups, and
//! the XLSX row heights leave room for every cell's text.

mod decl_common;

use decl_common::{amount, at, indicators, text};
use jixiao::declaration::scheme::{Level1, Level2};
use jixiao::declaration::{Common, Declaration, DepartmentForm, Entry, ProjectForm, Source, Task};
use jixiao::layout::{Content, Grid, Role};
use jixiao::layouts;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Short and long texts, with and without CJK, sometimes empty.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z0-9 ]{1,12}",
        "[柴桑区行政审批局新开办企业免费刻章，、（）0-9]{1,20}",
        "[政务服务大厅管理及运行维护提高政治站位落实意识形态工作主体责任]{40,160}",
    ]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        8 => any_text(),
        // Long enough to need more than Excel's 409 pt in one row.
        1 => "[为新开办企业提供免费刻章每户四枚章元预计全年新开办企业户共需资金万元。]{1200,2500}",
    ])
}

/// Indicator counts per 二级 (in `Level2::ALL` order), mostly small, often zero.
fn counts() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(
        prop_oneof![3 => Just(0usize), 3 => 1usize..3, 1 => 3usize..9],
        Level2::ALL.len(),
    )
}

prop_compose! {
    fn project()(
        counts in counts(),
        names in prop::collection::vec(any_text(), 1..6),
        name in opt_text(), department in opt_text(), goal in opt_text(), period in opt_text(),
        total in prop::option::of(0u32..10_000_000), other in prop::option::of(0u32..100),
        sources in prop::collection::vec((any_text(), prop::option::of(0u32..100_000)), 0..3),
    ) -> Declaration {
        let mut p = ProjectForm {
            common: Common { year: Entry::Given(at(2023)), name: text(name), ..Common::default() },
            department: text(department),
            goal: text(goal),
            period: text(period),
            ..ProjectForm::default()
        };
        p.funds.total = amount(total);
        p.funds.other = amount(other);
        p.funds.sources = sources
            .into_iter()
            .map(|(n, a)| Source { name: at(n), amount: amount(a) })
            .collect();
        p.common.indicators = indicators(&counts, &names);
        Declaration::Project(p)
    }
}

prop_compose! {
    fn department()(
        counts in counts(),
        names in prop::collection::vec(any_text(), 1..6),
        name in opt_text(), functions in opt_text(), remarks in opt_text(),
        tasks in prop::collection::vec((opt_text(), opt_text(), prop::option::of(0u32..1_000_000)), 0..6),
        decomposition in prop::option::of((opt_text(), opt_text())),
        approved in prop::option::of(0u32..1_000_000), actual in prop::option::of(0u32..1_000_000),
    ) -> Declaration {
        let mut d = DepartmentForm {
            common: Common { year: Entry::Given(at(2023)), name: text(name), ..Common::default() },
            functions: text(functions),
            remarks: text(remarks),
            ..DepartmentForm::default()
        };
        d.tasks = tasks
            .into_iter()
            .map(|(n, c, a)| Task { name: text(n), content: text(c), amount: amount(a), ..Task::default() })
            .collect();
        if let Some((f, m)) = decomposition {
            d.decomposition.functions = text(f.or(Some("x".into())));
            d.decomposition.midterm = text(m);
        }
        d.last_year.approved = amount(approved);
        d.last_year.actual = amount(actual);
        d.common.indicators = indicators(&counts, &names);
        Declaration::Department(d)
    }
}

/// Every slot covered by exactly one cell, every span inside the grid, cells in reading order.
fn assert_tiling(g: &Grid) -> Result<(), TestCaseError> {
    decl_common::assert_tiles(g)?;
    prop_assert!(
        g.cells
            .windows(2)
            .all(|w| (w[0].row, w[0].col) < (w[1].row, w[1].col)),
        "cells out of order"
    );
    let width: f64 = g.columns_mm.iter().sum();
    prop_assert!((width - g.page.content_width_mm()).abs() < 1e-6);
    Ok(())
}

/// The indicator block: after the repeated header row, one row per indicator in canonical
/// order; each 一级/二级 cell spans exactly its indicators.
fn assert_indicator_block(g: &Grid, decl: &Declaration) -> Result<(), TestCaseError> {
    let placed = decl.indicators().canonical();
    let (header, body) = g.repeat_rows.expect("the indicator header repeats");
    prop_assert_eq!(body, header + 1);
    prop_assert_eq!(g.rows, body + placed.len());
    let header_cells: Vec<_> = g
        .cells
        .iter()
        .filter(|c| c.row == header && c.role == Role::Header)
        .collect();
    prop_assert_eq!(header_cells.len(), 4);
    // Canonical order: 一级, then 二级, never going back.
    let order: Vec<(Level1, Option<Level2>)> =
        placed.iter().map(|p| (p.level1, p.level2)).collect();
    prop_assert!(order.windows(2).all(|w| w[0] <= w[1]));
    prop_assert_eq!(g.indicators.len(), placed.len());
    for (i, p) in placed.iter().enumerate() {
        prop_assert_eq!(&g.indicators[i].level2, p.level2.map_or("", |l| l.name()));
        let row = body + i;
        let value_cell = g
            .cells
            .iter()
            .find(|c| c.row == row && c.last_col() == g.columns_mm.len() - 1)
            .unwrap();
        let shown = p.indicator.value.value.display();
        prop_assert_eq!(value_cell.content.display(), shown);
    }
    // Group cells: one per run of equal 一级 and one per run of equal 二级.
    let groups: Vec<_> = g.cells.iter().filter(|c| c.role == Role::Group).collect();
    let l1_runs = order.chunk_by(|a, b| a.0 == b.0).count();
    let l2_runs = order.chunk_by(|a, b| a == b).count();
    prop_assert_eq!(groups.len(), l1_runs + l2_runs);
    // The 一级 column is the leftmost group column; 二级 is the next one.
    let l1_col = groups.iter().map(|c| c.col).min().unwrap_or(0);
    let name_of = |p: &jixiao::declaration::Placed<'_>, level1: bool| {
        if level1 {
            p.level1.name()
        } else {
            p.level2.map_or("", |l| l.name())
        }
    };
    for cell in groups {
        let level1 = cell.col == l1_col;
        let (first, last) = (cell.row - body, cell.last_row() - body);
        let name = cell.content.display();
        // 成本指标 is both a 一级 (2021 scheme) and a 二级 (old scheme): compare by column, and
        // a 二级 run also ends where its 一级 changes.
        let l1 = placed[first].level1;
        let all_match = placed[first..=last]
            .iter()
            .all(|p| name_of(p, level1) == name && p.level1 == l1);
        prop_assert!(all_match, "{name} spans rows of another group");
        // And it spans the whole run: the rows just outside belong elsewhere.
        for outside in [first.checked_sub(1), Some(last + 1)].into_iter().flatten() {
            if let Some(p) = placed.get(outside) {
                let same = name_of(p, level1) == name
                    && p.level1 == l1
                    && (level1 || p.level2 == placed[first].level2);
                prop_assert!(!same, "{name} stops short of its run");
            }
        }
    }
    // Row groups nest (two groups are disjoint or one holds the other) and come outer first.
    for (i, a) in g.groups.iter().enumerate() {
        for b in &g.groups[i + 1..] {
            let disjoint = a.end <= b.start || b.end <= a.start;
            let a_holds_b = a.start <= b.start && b.end <= a.end;
            prop_assert!(
                disjoint || a_holds_b,
                "groups {a:?} and {b:?} overlap or come inner first"
            );
            prop_assert!(a.start <= b.start, "groups out of order");
        }
    }
    // Row groups stay inside the grid and are not empty.
    for grp in &g.groups {
        prop_assert!(grp.start < grp.end && grp.end <= g.rows);
    }
    Ok(())
}

/// The stored row heights give every cell at least the height its text needs: a row that needs
/// more than Excel's 409 pt is spread over several sheet rows, so nothing is clipped.
fn assert_heights(g: &Grid) -> Result<(), TestCaseError> {
    let plan = jixiao::xlsx::plan(g);
    prop_assert_eq!(plan.first.len(), g.rows + 1);
    for cell in &g.cells {
        let (first, last) = plan.rows_of(cell);
        let have: f64 = plan.heights[first..=last].iter().sum();
        let need = jixiao::xlsx::needed_height(g, cell);
        prop_assert!(have + 1e-6 >= need, "{cell:?}: {have} pt < {need} pt");
    }
    Ok(())
}

/// Page breaks: increasing, never inside a merged block of at most half a page, and no page
/// holds more than fits (a page of one row excepted).
fn assert_page_breaks(g: &Grid) -> Result<(), TestCaseError> {
    use jixiao::xlsx::{TABLE_TOP, page_breaks, page_capacity_pt, plan};
    let plan = plan(g);
    let heights = &plan.heights;
    let breaks = page_breaks(g, &plan);
    let capacity = page_capacity_pt(g);
    prop_assert!(
        heights.iter().all(|h| *h <= jixiao::xlsx::MAX_ROW_PT),
        "a sheet row over 409 pt"
    );
    prop_assert!(
        breaks.windows(2).all(|w| w[0] < w[1]),
        "breaks not increasing: {breaks:?}"
    );
    prop_assert!(
        breaks.iter().all(|b| *b > TABLE_TOP && *b < heights.len()),
        "{breaks:?}"
    );
    for cell in &g.cells {
        let (first, last) = plan.rows_of(cell);
        let h: f64 = heights[first..=last].iter().sum();
        if h <= capacity / 2.0 {
            prop_assert!(
                !breaks.iter().any(|b| *b > first && *b <= last),
                "break inside {cell:?}"
            );
        }
    }
    let (hs, he) = g.repeat_rows.map(|(s, e)| plan.range(s, e)).unwrap();
    let header: f64 = heights[hs..he].iter().sum();
    let mut starts = vec![0];
    starts.extend(&breaks);
    let mut ends = breaks.clone();
    ends.push(heights.len());
    for (s, e) in starts.into_iter().zip(ends) {
        let repeated = if s >= he { header } else { 0.0 };
        let used: f64 = heights[s..e].iter().sum::<f64>() + repeated;
        prop_assert!(
            used <= capacity + 1e-6 || e - s == 1,
            "page {s}..{e} holds {used} pt of {capacity}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn project_grids_tile_and_follow_the_scheme(decl in project()) {
        let g = layouts::build_default(&decl);
        assert_tiling(&g)?;
        assert_indicator_block(&g, &decl)?;
        assert_heights(&g)?;
        assert_page_breaks(&g)?;
        let Declaration::Project(p) = &decl else { unreachable!() };
        // Funds: the three fixed rows plus one per further source, under one label.
        let funds = g.cells.iter().find(|c| c.content == Content::Text("项目资金（万元）".into())).unwrap();
        prop_assert_eq!(funds.rowspan, 3 + p.funds.sources.len());
    }

    #[test]
    fn department_grids_tile_and_follow_the_scheme(decl in department()) {
        let g = layouts::build_default(&decl);
        assert_tiling(&g)?;
        assert_indicator_block(&g, &decl)?;
        assert_heights(&g)?;
        assert_page_breaks(&g)?;
        let Declaration::Department(d) = &decl else { unreachable!() };
        // 年度主要任务: header + one row per task + 合计.
        let tasks = g.cells.iter().find(|c| c.content == Content::Text("年度主要任务".into())).unwrap();
        prop_assert_eq!(tasks.rowspan, d.tasks.len() + 2);
        let total_row = tasks.last_row();
        let total = g.cells.iter().find(|c| c.row == total_row && c.role == Role::Amount).unwrap();
        let given: Vec<Decimal> = d.tasks.iter().filter_map(|t| t.amount.value()).collect();
        let expected = if given.is_empty() { Content::Blank } else { Content::Amount(given.iter().sum()) };
        prop_assert_eq!(&total.content, &expected);
    }
}
