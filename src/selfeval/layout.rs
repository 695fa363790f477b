//! The self-evaluation forms as a [`Grid`] (spec `selfeval.md`, "Layouts"): A4 landscape,
//! ten columns A–J, the scores of [`evaluate`](super::evaluate) printed as numbers.
//!
//! Written as code for now; the layout language (issue 12) will turn it into a definition file.
//! Every row below reads like the spec's row diagram.

use rust_decimal::Decimal;

use super::evaluate::{Actual, Evaluation, Scored, evaluate};
use super::{SelfEvalForm, Side};
use crate::declaration::{Entry, FormKind, Text};
use crate::layout::grid::IndicatorResult;
use crate::layout::{
    Cell, Content, Grid, IndicatorRow, Meta, Orientation, PageSetup, Role, RowGroup, Styles,
};

/// Column widths (mm), A–J: A the block labels (绩效指标), B 一级, C 二级, D 三级 (the longest
/// texts), E 年度指标值, F 实际完成值, G 分值, H 得分, I:J the reasons. They add up to the A4
/// landscape content width (297 − 2 × 18 mm).
pub const COLUMNS_MM: [f64; 10] = [18.0, 22.0, 26.0, 56.0, 26.0, 26.0, 16.0, 16.0, 27.0, 28.0];

/// Lays out a self-evaluation in its layout.
pub fn build(form: &SelfEvalForm) -> Grid {
    let eval = evaluate(form);
    mof_2020(form, &eval)
}

/// A text field as a cell's content.
fn text(t: &Text) -> Content {
    match t.as_ref().map(|l| l.value.trim()) {
        Some(s) if !s.is_empty() => Content::Text(s.to_string()),
        _ => Content::Blank,
    }
}

/// A text field as a plain string (empty when blank).
fn plain(t: &Text) -> String {
    t.as_ref().map(|l| l.value.trim().to_string()).unwrap_or_default()
}

/// An amount field (万元) as a cell's content.
fn amount(e: &Entry<Decimal>) -> Content {
    e.value().map_or(Content::Blank, Content::Amount)
}

/// Cells by absolute position.
struct Cells(Vec<Cell>);

impl Cells {
    fn put(
        &mut self,
        row: usize,
        cols: (usize, usize),
        rowspan: usize,
        content: Content,
        role: Role,
    ) {
        self.0.push(Cell {
            row,
            col: cols.0,
            rowspan,
            colspan: cols.1 - cols.0 + 1,
            content,
            role,
            // Not tagged yet: the self-evaluation layouts are still code (issue 12 converts them).
            field: None,
        });
    }

    fn label(&mut self, row: usize, cols: (usize, usize), rowspan: usize, text: &str) {
        self.put(row, cols, rowspan, Content::Text(text.into()), Role::Label);
    }

    fn header(&mut self, row: usize, cols: (usize, usize), text: &str) {
        self.put(row, cols, 1, Content::Text(text.into()), Role::Header);
    }
}

/// 分值: a whole number prints as one (`10`), a fraction with two places.
fn points(p: Option<Decimal>) -> Content {
    match p {
        Some(p) if p.fract().is_zero() => {
            u32::try_from(p.normalize().mantissa()).map_or(Content::Amount(p), Content::Count)
        }
        Some(p) => Content::Amount(p),
        None => Content::Blank,
    }
}

fn score(s: Option<Decimal>) -> Content {
    s.map_or(Content::Blank, Content::Amount)
}

/// 实际完成值 as printed: the grade's wording, or the text as written.
fn actual(row: &Scored<'_>) -> Content {
    match &row.actual {
        Actual::Blank => Content::Blank,
        Actual::Grade(g) => Content::Text(g.wording().into()),
        _ => row.result.map_or(Content::Blank, |r| text(&r.actual)),
    }
}

/// 财预〔2020〕10号 附1 项目支出绩效自评表 / 附2 部门整体支出绩效自评表.
fn mof_2020(form: &SelfEvalForm, eval: &Evaluation<'_>) -> Grid {
    const A: usize = 0;
    const B: usize = 1;
    const C: usize = 2;
    const D: usize = 3;
    const E: usize = 4;
    const F: usize = 5;
    const G: usize = 6;
    const H: usize = 7;
    const I: usize = 8;
    const J: usize = 9;
    let mut s = Cells(Vec::new());
    let mut row = 0;
    let project = form.side == Side::Project;

    if project {
        s.label(row, (A, B), 1, "项目名称");
        s.put(row, (C, J), 1, text(form.name()), Role::Value);
        row += 1;
        s.label(row, (A, B), 1, "主管部门");
        s.put(row, (C, E), 1, text(form.department()), Role::Value);
        s.label(row, (F, G), 1, "实施单位");
        s.put(row, (H, J), 1, text(form.implementer()), Role::Value);
        row += 1;
    } else {
        s.label(row, (A, B), 1, "部门（单位）名称");
        s.put(row, (C, J), 1, text(form.name()), Role::Value);
        row += 1;
    }

    // 项目资金 / 部门预算执行情况: a header row, then 年度资金总额 and its parts. The project form
    // puts 分值 before 执行率; the department form after.
    let x = &form.execution;
    let (c_points, c_rate) = if project { (H, I) } else { (I, H) };
    let label = if project {
        "项目资金（万元）"
    } else {
        "部门预算执行情况（万元）"
    };
    s.label(row, (A, B), 1 + x.rows.len(), label);
    s.put(row, (C, D), 1, Content::Blank, Role::Header);
    s.header(row, (E, E), "年初预算数");
    s.header(row, (F, F), "全年预算数");
    s.header(row, (G, G), "全年执行数");
    s.header(row, (c_points, c_points), "分值");
    s.header(row, (c_rate, c_rate), "执行率");
    s.header(row, (J, J), "得分");
    row += 1;
    for (i, r) in x.rows.iter().enumerate() {
        s.label(row, (C, D), 1, &plain(&r.name));
        s.put(row, (E, E), 1, amount(&r.initial), Role::Amount);
        s.put(row, (F, F), 1, amount(&r.budget), Role::Amount);
        s.put(row, (G, G), 1, amount(&r.spent), Role::Amount);
        let rate = match (r.spent.value(), r.budget.value()) {
            (Some(spent), Some(budget)) => super::score::execution_rate(spent, budget),
            _ => None,
        };
        s.put(
            row,
            (c_rate, c_rate),
            1,
            rate.map_or(Content::Blank, Content::Percent),
            Role::Amount,
        );
        if i == 0 {
            s.put(
                row,
                (c_points, c_points),
                1,
                points(Some(eval.execution.points)),
                Role::Value,
            );
            s.put(row, (J, J), 1, score(eval.execution.score), Role::Amount);
        } else {
            s.put(
                row,
                (c_points, c_points),
                1,
                Content::Text("—".into()),
                Role::Value,
            );
            s.put(row, (J, J), 1, Content::Text("—".into()), Role::Value);
        }
        row += 1;
    }

    // 年度总体目标: 预期目标 | 实际完成情况.
    let goal_label = if project {
        "年度总体目标"
    } else {
        "年度总体目标完成情况"
    };
    s.label(row, (A, A), 2, goal_label);
    s.header(row, (B, F), "预期目标");
    s.header(row, (G, J), "实际完成情况");
    row += 1;
    s.put(row, (B, F), 1, text(form.goal()), Role::LongText);
    s.put(row, (G, J), 1, text(&form.goal_result), Role::LongText);
    row += 1;

    // 绩效指标: header, then one row per 三级 indicator.
    let header = row;
    s.label(row, (A, A), 1 + eval.rows.len(), "绩效指标");
    s.header(row, (B, B), "一级指标");
    s.header(row, (C, C), "二级指标");
    s.header(row, (D, D), "三级指标");
    s.header(row, (E, E), "年度指标值");
    s.header(row, (F, F), "实际完成值");
    s.header(row, (G, G), "分值");
    s.header(row, (H, H), "得分");
    s.header(row, (I, J), "偏差原因分析及改进措施");
    row += 1;
    let start = row;
    let mut groups = Vec::new();
    let rows = &eval.rows;
    let mut i = 0;
    while i < rows.len() {
        let level1 = rows[i].placed.level1;
        let l1_end = i + rows[i..]
            .iter()
            .take_while(|r| r.placed.level1 == level1)
            .count();
        s.put(
            start + i,
            (B, B),
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
            let level2 = rows[j].placed.level2;
            let l2_end = j + rows[j..l1_end]
                .iter()
                .take_while(|r| r.placed.level2 == level2)
                .count();
            s.put(
                start + j,
                (C, C),
                l2_end - j,
                Content::Text(level2.name().into()),
                Role::Group,
            );
            groups.push(RowGroup {
                start: start + j,
                end: start + l2_end,
            });
            j = l2_end;
        }
        i = l1_end;
    }
    for (k, r) in rows.iter().enumerate() {
        let at = start + k;
        s.put(
            at,
            (D, D),
            1,
            Content::Text(r.indicator().name.value.trim().into()),
            Role::LongText,
        );
        let target = r.indicator().value.value.display();
        s.put(
            at,
            (E, E),
            1,
            if target.is_empty() {
                Content::Blank
            } else {
                Content::Text(target)
            },
            Role::Value,
        );
        s.put(at, (F, F), 1, actual(r), Role::Value);
        s.put(at, (G, G), 1, points(r.points), Role::Value);
        s.put(at, (H, H), 1, score(r.printed), Role::Amount);
        s.put(
            at,
            (I, J),
            1,
            r.result.map_or(Content::Blank, |res| text(&res.reason)),
            Role::LongText,
        );
    }
    row = start + rows.len();

    // 总分 and the grade.
    s.label(row, (A, F), 1, "总分");
    s.put(row, (G, G), 1, points(Some(eval.total_points)), Role::Value);
    s.put(row, (H, H), 1, Content::Amount(eval.total), Role::Amount);
    s.put(
        row,
        (I, J),
        1,
        Content::Text(format!("自评等级：{}", eval.grade)),
        Role::Value,
    );
    row += 1;

    let kind = if project {
        FormKind::ProjectSelfeval
    } else {
        FormKind::DepartmentSelfeval
    };
    let mut cells = s.0;
    cells.sort_by_key(|c| (c.row, c.col));
    let mut grid = frame(form, kind, row, cells);
    grid.repeat_rows = Some((header, header + 1));
    grid.groups = groups;
    grid.indicators = indicator_rows(eval);
    grid
}

/// The indicators as data rows for the 指标明细 sheet, with 实际完成值, 分值 and 得分.
fn indicator_rows(eval: &Evaluation<'_>) -> Vec<IndicatorRow> {
    eval.rows
        .iter()
        .map(|r| {
            let v = &r.indicator().value.value;
            IndicatorRow {
                level1: r.placed.level1.name().to_string(),
                level2: r.placed.level2.name().to_string(),
                name: r.indicator().name.value.trim().to_string(),
                nature: if v.is_empty() {
                    String::new()
                } else {
                    v.nature().to_string()
                },
                value: v.display(),
                number: v.number(),
                unit: v.unit().unwrap_or("").to_string(),
                weight: r.indicator().weight.value(),
                direction: plain(&r.indicator().direction),
                written: v.written.clone(),
                result: Some(IndicatorResult {
                    actual: actual(r).display(),
                    points: r.points,
                    score: r.printed,
                }),
            }
        })
        .collect()
}

/// Title, year, unit, sign-off, landscape page and metadata.
fn frame(form: &SelfEvalForm, kind: FormKind, rows: usize, cells: Vec<Cell>) -> Grid {
    let name = plain(form.name());
    let unit = plain(form.unit());
    let signoff = form.signoff.as_ref().map_or_else(Vec::new, |s| {
        let head = if form.side == Side::Project {
            "项目负责人"
        } else {
            "单位负责人"
        };
        [
            (head, &s.project_head),
            ("财务负责人", &s.finance_head),
            ("填报人", &s.preparer),
            ("联系电话", &s.phone),
            ("填报日期", &s.date),
        ]
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(label, value)| (label.to_string(), plain(value)))
        .collect()
    });
    let date = form
        .signoff
        .as_ref()
        .map(|s| plain(&s.date))
        .filter(|d| !d.is_empty());
    let title = kind.title().to_string();
    Grid {
        kind,
        year_line: form
            .year()
            .map_or_else(String::new, |y| format!("（{y}年度）")),
        unit_line: format!("填报单位（盖章）：{unit}"),
        amount_unit_line: "金额单位：万元".to_string(),
        columns_mm: COLUMNS_MM.to_vec(),
        rows,
        cells,
        repeat_rows: None,
        groups: Vec::new(),
        signoff,
        page: PageSetup {
            orientation: Orientation::Landscape,
            ..PageSetup::a4_portrait()
        },
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
        layout: form.layout.key().into(),
        annex: String::new(),
        under: Vec::new(),
        styles: Styles::default(),
        plan: None,
    }
}
