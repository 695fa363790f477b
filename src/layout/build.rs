//! Building a [`Grid`] from a [`Declaration`]: the rows, labels and merges of spec `forms.md`
//! §1 (project form) and §2 (department form).
//!
//! Rows are placed with absolute indices by small helpers; each form's function reads like the
//! spec's row diagrams, so a change to the form is a change to one line here.

use rust_decimal::Decimal;

use super::grid::{Cell, Content, Grid, IndicatorRow, Meta, PageSetup, Role, RowGroup};
use crate::declaration::{
    Common, Declaration, DepartmentForm, Entry, FormKind, Placed, ProjectForm, Text,
};

/// Column widths (mm) of the project form, A–F. A holds 一级指标 and the row labels (主管部门及代码
/// fits one line), B the 二级 names (可持续影响指标 fits one line, 服务对象满意度指标 takes
/// two), C:E the 三级 names (about 22 characters a line) and F the targets. They add up to the
/// A4 portrait content width (174 mm).
pub const PROJECT_COLUMNS_MM: [f64; 6] = [30.0, 30.0, 28.0, 28.0, 28.0, 30.0];

/// Column widths (mm) of the department form, A–H. A is the narrow column of the block
/// labels (年度主要任务, 年度绩效指标) that span many rows; [A:B] holds the long row labels
/// (近三年单位职能是否出现过重大变化 wraps to two lines); D:G hold the 三级 names; H the targets
/// and the right-hand amounts, wide enough that `≤903.78万元` stays on one line.
pub const DEPARTMENT_COLUMNS_MM: [f64; 8] = [12.0, 22.0, 24.0, 22.0, 22.0, 24.0, 20.0, 28.0];

/// Lays out a declaration as its official form.
///
/// Works on any declaration, also one with errors: an invalid or missing value prints as a
/// blank cell, and an indicator whose 一级/二级 did not resolve is left out (the validator
/// reports both; such a file is not rendered).
pub fn build(decl: &Declaration) -> Grid {
    match decl {
        Declaration::Project(p) => project(p),
        Declaration::Department(d) => department(d),
        Declaration::SelfEval(s) => crate::selfeval::layout::build(s),
    }
}

/// Cells placed by absolute position.
struct Sheet {
    cols: usize,
    cells: Vec<Cell>,
}

impl Sheet {
    fn new(cols: usize) -> Self {
        Sheet {
            cols,
            cells: Vec::new(),
        }
    }

    /// A cell at `row`, columns `cols.0..=cols.1`, spanning `rowspan` rows.
    fn put(
        &mut self,
        row: usize,
        cols: (usize, usize),
        rowspan: usize,
        content: Content,
        role: Role,
    ) {
        debug_assert!(cols.1 < self.cols && cols.0 <= cols.1 && rowspan >= 1);
        self.cells.push(Cell {
            row,
            col: cols.0,
            rowspan,
            colspan: cols.1 - cols.0 + 1,
            content,
            role,
        });
    }

    /// A printed label.
    fn label(&mut self, row: usize, cols: (usize, usize), rowspan: usize, text: &str) {
        self.put(
            row,
            cols,
            rowspan,
            Content::Text(text.to_string()),
            Role::Label,
        );
    }

    /// A column header.
    fn header(&mut self, row: usize, cols: (usize, usize), text: &str) {
        self.put(row, cols, 1, Content::Text(text.to_string()), Role::Header);
    }

    fn finish(mut self) -> Vec<Cell> {
        self.cells.sort_by_key(|c| (c.row, c.col));
        self.cells
    }
}

/// A text field as a cell's content.
pub(crate) fn text(t: &Text) -> Content {
    match t.as_ref().map(|l| l.value.trim()) {
        Some(s) if !s.is_empty() => Content::Text(s.to_string()),
        _ => Content::Blank,
    }
}

/// A text field as a plain string (empty when blank).
pub(crate) fn plain(t: &Text) -> String {
    t.as_ref()
        .map(|l| l.value.trim().to_string())
        .unwrap_or_default()
}

/// An amount field (万元) as a cell's content.
pub(crate) fn amount(e: &Entry<Decimal>) -> Content {
    e.value().map_or(Content::Blank, Content::Amount)
}

fn count(e: &Entry<u32>) -> Content {
    e.value().map_or(Content::Blank, Content::Count)
}

fn check(e: &Entry<bool>) -> Content {
    e.value().map_or(Content::Blank, Content::Check)
}

/// The parts every form has around its table.
fn frame(kind: FormKind, common: &Common, columns: &[f64], rows: usize, cells: Vec<Cell>) -> Grid {
    let name = plain(&common.name);
    let unit = plain(&common.unit);
    let signoff = common.signoff.as_ref().map_or_else(Vec::new, |s| {
        [
            ("填报人", &s.preparer),
            ("联系电话", &s.phone),
            ("单位负责人", &s.head),
            ("填报日期", &s.date),
        ]
        .into_iter()
        .map(|(label, value)| (label.to_string(), plain(value)))
        .collect()
    });
    let date = common
        .signoff
        .as_ref()
        .map(|s| plain(&s.date))
        .filter(|d| !d.is_empty());
    let title = kind.title().to_string();
    Grid {
        kind,
        year_line: common
            .year
            .value()
            .map_or_else(String::new, |y| format!("（{y}年度）")),
        unit_line: format!("填报单位（盖章）：{unit}"),
        amount_unit_line: "金额单位：万元".to_string(),
        columns_mm: columns.to_vec(),
        rows,
        cells,
        repeat_rows: None,
        groups: Vec::new(),
        signoff,
        page: PageSetup::a4_portrait(),
        meta: Meta {
            title: if name.is_empty() {
                title.clone()
            } else {
                format!("{name} {title}")
            },
            author: if unit.is_empty() { name } else { unit },
            date,
        },
        title,
        indicators: Vec::new(),
    }
}

/// Where the indicator block's columns are.
struct IndicatorColumns {
    level1: usize,
    level2: usize,
    /// 三级指标, inclusive range.
    name: (usize, usize),
    value: usize,
}

/// Lays out the indicator rows from `start`, in the scheme's canonical order: one row per 三级,
/// the 一级 and 二级 cells spanning their groups. Returns the number of rows and the groups
/// (each 一级 block, then the 二级 blocks inside it).
fn indicator_block(
    sheet: &mut Sheet,
    start: usize,
    placed: &[Placed<'_>],
    cols: &IndicatorColumns,
) -> (usize, Vec<RowGroup>) {
    let mut groups = Vec::new();
    let mut i = 0;
    while i < placed.len() {
        let level1 = placed[i].level1;
        let l1_end = i + placed[i..]
            .iter()
            .take_while(|p| p.level1 == level1)
            .count();
        sheet.put(
            start + i,
            (cols.level1, cols.level1),
            l1_end - i,
            Content::Text(level1.name().into()),
            Role::Group,
        );
        groups.push(RowGroup {
            start: start + i,
            end: start + l1_end,
        });
        let mut j = i;
        while j < l1_end {
            let level2 = placed[j].level2;
            let l2_end = j + placed[j..l1_end]
                .iter()
                .take_while(|p| p.level2 == level2)
                .count();
            sheet.put(
                start + j,
                (cols.level2, cols.level2),
                l2_end - j,
                Content::Text(level2.name().into()),
                Role::Group,
            );
            groups.push(RowGroup {
                start: start + j,
                end: start + l2_end,
            });
            for (k, p) in placed[j..l2_end].iter().enumerate() {
                let row = start + j + k;
                let name = p.indicator.name.value.trim();
                let name = if name.is_empty() {
                    Content::Blank
                } else {
                    Content::Text(name.into())
                };
                sheet.put(row, cols.name, 1, name, Role::LongText);
                let value = p.indicator.value.value.display();
                let value = if value.is_empty() {
                    Content::Blank
                } else {
                    Content::Text(value)
                };
                sheet.put(row, (cols.value, cols.value), 1, value, Role::Value);
            }
            j = l2_end;
        }
        i = l1_end;
    }
    (placed.len(), groups)
}

/// The indicators as data rows for the detail sheet.
fn indicator_rows(placed: &[Placed<'_>]) -> Vec<IndicatorRow> {
    placed
        .iter()
        .map(|p| {
            let v = &p.indicator.value.value;
            IndicatorRow {
                level1: p.level1.name().to_string(),
                level2: p.level2.name().to_string(),
                name: p.indicator.name.value.trim().to_string(),
                nature: if v.is_empty() {
                    String::new()
                } else {
                    v.nature().to_string()
                },
                value: v.display(),
                number: v.number(),
                unit: v.unit().unwrap_or("").to_string(),
                weight: p.indicator.weight.value(),
                direction: plain(&p.indicator.direction),
                written: v.written.clone(),
                result: None,
            }
        })
        .collect()
}

/// 项目支出绩效目标申报表 (spec §1): six columns A–F.
fn project(p: &ProjectForm) -> Grid {
    const A: usize = 0;
    const B: usize = 1;
    const C: usize = 2;
    const D: usize = 3;
    const E: usize = 4;
    const F: usize = 5;
    let mut s = Sheet::new(6);

    s.label(0, (A, A), 1, "项目名称");
    s.put(0, (B, F), 1, text(&p.common.name), Role::Value);

    s.label(1, (A, A), 1, "主管部门及代码");
    s.put(1, (B, C), 1, text(&p.department), Role::Value);
    s.label(1, (D, D), 1, "实施单位");
    s.put(1, (E, F), 1, text(&p.implementer), Role::Value);

    s.label(2, (A, A), 1, "项目属性");
    s.put(2, (B, C), 1, text(&p.attribute), Role::Value);
    s.label(2, (D, D), 1, "项目日期范围");
    s.put(2, (E, F), 1, text(&p.period), Role::Value);

    // 项目资金: the three fixed sources, then any further named source (an extension of the
    // declaration format), all under one 项目资金（万元） label.
    let funds = &p.funds;
    let mut rows: Vec<(String, Content)> = vec![
        ("年度资金总额".into(), amount(&funds.total)),
        ("其中：财政拨款".into(), amount(&funds.fiscal)),
        ("其他资金".into(), amount(&funds.other)),
    ];
    rows.extend(
        funds
            .sources
            .iter()
            .map(|src| (src.name.value.trim().to_string(), amount(&src.amount))),
    );
    let mut row = 3;
    s.label(row, (A, A), rows.len(), "项目资金（万元）");
    for (label, value) in rows {
        s.label(row, (B, C), 1, &label);
        s.put(row, (D, F), 1, value, Role::Amount);
        row += 1;
    }

    s.label(row, (A, A), 1, "年度总体目标");
    s.put(row, (B, F), 1, text(&p.goal), Role::LongText);
    row += 1;

    let header = row;
    s.header(row, (A, A), "一级指标");
    s.header(row, (B, B), "二级指标");
    s.header(row, (C, E), "三级指标");
    s.header(row, (F, F), "指标值");
    row += 1;

    let placed = p.common.indicators.canonical();
    let cols = IndicatorColumns {
        level1: A,
        level2: B,
        name: (C, E),
        value: F,
    };
    let (n, groups) = indicator_block(&mut s, row, &placed, &cols);
    row += n;

    let mut grid = frame(
        FormKind::Project,
        &p.common,
        &PROJECT_COLUMNS_MM,
        row,
        s.finish(),
    );
    grid.repeat_rows = Some((header, header + 1));
    grid.groups = groups;
    grid.indicators = indicator_rows(&placed);
    grid
}


/// 部门整体支出绩效目标设置申报表 (spec §2): eight columns A–H.
fn department(d: &DepartmentForm) -> Grid {
    const A: usize = 0;
    const B: usize = 1;
    const C: usize = 2;
    const D: usize = 3;
    const E: usize = 4;
    const F: usize = 5;
    const G: usize = 6;
    const H: usize = 7;
    let mut s = Sheet::new(8);

    s.label(0, (A, B), 1, "部门（单位）名称");
    s.put(0, (C, H), 1, text(&d.common.name), Role::Value);

    s.label(1, (A, B), 1, "联系人");
    s.put(1, (C, D), 1, text(&d.contact), Role::Value);
    s.label(1, (E, F), 1, "联系电话");
    s.put(1, (G, H), 1, text(&d.phone), Role::Value);

    s.label(2, (A, B), 1, "部门职能依据（三定方案批文号）");
    s.put(2, (C, D), 1, text(&d.basis), Role::Value);
    s.label(2, (E, E), 3, "部门职能简述");
    s.put(2, (F, H), 3, text(&d.functions), Role::LongText);
    s.label(3, (A, B), 1, "近三年单位职能是否出现过重大变化");
    s.put(3, (C, D), 1, check(&d.functions_changed), Role::Value);
    s.label(4, (A, B), 1, "部门是否为一级预算主管部门");
    s.put(4, (C, D), 1, check(&d.first_level_unit), Role::Value);

    s.label(5, (A, B), 1, "所属部门领域");
    s.put(5, (C, D), 1, text(&d.field), Role::Value);
    s.label(5, (E, E), 1, "直属部门包括");
    s.put(5, (F, H), 1, text(&d.subordinates), Role::Value);

    s.label(6, (A, B), 1, "内设职能部门");
    s.put(6, (C, D), 1, text(&d.divisions), Role::LongText);
    s.label(6, (E, E), 1, "编制控制数");
    s.put(6, (F, H), 1, count(&d.staff.quota), Role::Value);

    s.label(7, (A, B), 2, "在职人员总数");
    s.put(7, (C, C), 2, count(&d.staff.total), Role::Value);
    s.label(7, (D, D), 2, "其中");
    s.label(7, (E, E), 1, "行政编制人数");
    s.put(7, (F, F), 1, count(&d.staff.administrative), Role::Value);
    s.label(7, (G, G), 1, "事业编制人数");
    s.put(7, (H, H), 1, count(&d.staff.institutional), Role::Value);
    s.label(8, (E, E), 1, "编外人数");
    s.put(8, (F, F), 1, count(&d.staff.extra), Role::Value);
    s.put(8, (G, H), 1, Content::Blank, Role::Value);

    let ly = &d.last_year;
    s.label(9, (A, B), 3, "上年预算（万元）");
    s.label(9, (C, D), 1, "批复数");
    s.put(9, (E, E), 1, amount(&ly.approved), Role::Amount);
    s.label(9, (F, G), 1, "调整数");
    s.put(9, (H, H), 1, amount(&ly.adjusted), Role::Amount);
    s.label(10, (C, D), 1, "实际支出数");
    s.put(10, (E, E), 1, amount(&ly.actual), Role::Amount);
    s.label(10, (F, G), 1, "执行率");
    s.put(
        10,
        (H, H),
        1,
        ly.execution_rate().map_or(Content::Blank, Content::Percent),
        Role::Amount,
    );
    s.label(11, (C, D), 1, "年末结转结余数");
    s.put(11, (E, E), 1, amount(&ly.carryover), Role::Amount);
    s.put(11, (F, H), 1, Content::Blank, Role::Value);

    let (inc, exp) = (&d.budget.income, &d.budget.expense);
    s.label(12, (A, B), 4, "当年预算（万元）");
    for (row, left, left_value, right, right_value) in [
        (
            12,
            "收入合计",
            &inc.total,
            "其中：上级财政拨款",
            &inc.superior,
        ),
        (13, "本级财政安排", &inc.local, "其他", &inc.other),
        (14, "支出合计", &exp.total, "其中：人员经费", &exp.personnel),
        (15, "公用经费", &exp.public, "项目经费", &exp.project),
    ] {
        s.label(row, (C, D), 1, left);
        s.put(row, (E, E), 1, amount(left_value), Role::Amount);
        s.label(row, (F, G), 1, right);
        s.put(row, (H, H), 1, amount(right_value), Role::Amount);
    }

    s.label(16, (A, B), 1, "其他需要说明的事项");
    s.put(16, (C, H), 1, text(&d.remarks), Role::LongText);

    s.header(17, (A, B), "部门职能分解");
    s.header(17, (C, E), "部门中期目标");
    s.header(17, (F, H), "部门年度绩效目标");
    let mut row = 18;
    if !d.decomposition.is_empty() {
        let dec = &d.decomposition;
        s.put(row, (A, B), 1, text(&dec.functions), Role::LongText);
        s.put(row, (C, E), 1, text(&dec.midterm), Role::LongText);
        s.put(row, (F, H), 1, text(&dec.annual), Role::LongText);
        row += 1;
    }

    // 年度主要任务: a header row, one row per task, and the 合计 row.
    let tasks_start = row;
    s.label(row, (A, A), d.tasks.len() + 2, "年度主要任务");
    s.header(row, (B, B), "任务名称");
    s.header(row, (C, D), "工作内容");
    s.header(row, (E, F), "对应年度绩效目标和内容");
    s.header(row, (G, H), "预算金额（万元）");
    row += 1;
    for task in &d.tasks {
        s.put(row, (B, B), 1, text(&task.name), Role::Value);
        s.put(row, (C, D), 1, text(&task.content), Role::LongText);
        s.put(row, (E, F), 1, text(&task.goal), Role::LongText);
        s.put(row, (G, H), 1, amount(&task.amount), Role::Amount);
        row += 1;
    }
    s.label(row, (B, F), 1, "合计");
    s.put(
        row,
        (G, H),
        1,
        tasks_total(d).map_or(Content::Blank, Content::Amount),
        Role::Amount,
    );
    row += 1;
    let mut groups = vec![RowGroup {
        start: tasks_start,
        end: row,
    }];

    // 年度绩效指标: its header row (repeated on every page), then the indicators.
    let placed = d.common.indicators.canonical();
    let header = row;
    s.label(row, (A, A), placed.len() + 1, "年度绩效指标");
    s.header(row, (B, B), "一级指标");
    s.header(row, (C, C), "二级指标");
    s.header(row, (D, G), "三级指标");
    s.header(row, (H, H), "指标值");
    row += 1;
    let cols = IndicatorColumns {
        level1: B,
        level2: C,
        name: (D, G),
        value: H,
    };
    let (n, indicator_groups) = indicator_block(&mut s, row, &placed, &cols);
    row += n;
    groups.extend(indicator_groups);

    let mut grid = frame(
        FormKind::Department,
        &d.common,
        &DEPARTMENT_COLUMNS_MM,
        row,
        s.finish(),
    );
    grid.repeat_rows = Some((header, header + 1));
    grid.groups = groups;
    grid.indicators = indicator_rows(&placed);
    grid
}

/// 合计 of the task amounts; blank when no task gives one.
fn tasks_total(d: &DepartmentForm) -> Option<Decimal> {
    let given: Vec<Decimal> = d.tasks.iter().filter_map(|t| t.amount.value()).collect();
    if given.is_empty() {
        return None;
    }
    given
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Content;

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
