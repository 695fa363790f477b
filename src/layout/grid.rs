//! The Grid: a form's shape, independent of any output format.
//!
//! A [`Grid`] is a table of `columns.len()` columns and `rows` rows covered by [`Cell`]s (each
//! slot by exactly one cell), plus what is printed around the table: title, year line, the
//! 填报单位/金额单位 line, an optional sign-off line, and the page setup. The XLSX writer and the
//! Typst template both draw a Grid and nothing else, so a form is described once.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::declaration::FormKind;

/// A laid-out form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grid {
    pub kind: FormKind,
    /// `项目支出绩效目标申报表`.
    pub title: String,
    /// `（2023年度）`; empty when the year is blank.
    pub year_line: String,
    /// `填报单位（盖章）：柴桑区行政审批局` (left of the line above the table).
    pub unit_line: String,
    /// `金额单位：万元` (right of the same line).
    pub amount_unit_line: String,
    /// Column widths in millimetres; their sum is the table's width.
    pub columns_mm: Vec<f64>,
    /// Number of table rows.
    pub rows: usize,
    /// Cells in reading order (row, then column).
    pub cells: Vec<Cell>,
    /// Table rows (0-based, half-open) that repeat at the top of every page: the indicator
    /// header row. `None` when nothing repeats.
    pub repeat_rows: Option<(usize, usize)>,
    /// Groups of rows that belong together (a 一级/二级 block or a task block): the PDF keeps a
    /// short group on one page and splits a long one, repeating its label cells.
    pub groups: Vec<RowGroup>,
    /// The sign-off line under the table (`填报人：… 联系电话：…`), when given.
    pub signoff: Vec<(String, String)>,
    pub page: PageSetup,
    pub meta: Meta,
    /// Every printed indicator as data, in print order (the rows of the table's indicator
    /// block, one per 三级指标): the XLSX writer's `指标明细` sheet lists them for import into
    /// the bureau's systems. Not a description of the form's shape.
    pub indicators: Vec<IndicatorRow>,
}

/// One 三级 indicator as data, with its value split the way budget systems keep it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    /// 一级指标, canonical name.
    pub level1: String,
    /// 二级指标, canonical name.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 指标性质: `≥`, `≤`, `=`, `>`, `<` or `定性`.
    pub nature: String,
    /// 指标值 as printed (`≥7500家`).
    pub value: String,
    /// The target's number, when it has one (7500 for `≥7500家`).
    #[serde(with = "rust_decimal::serde::str_option")]
    pub number: Option<Decimal>,
    /// 度量单位 (`家`); empty for a text target.
    pub unit: String,
    /// 权重, when given.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub weight: Option<Decimal>,
    /// 指标方向性 (正向/反向) as written; empty when not given.
    pub direction: String,
    /// The value exactly as the declaration wrote it (`≧36次`).
    pub written: String,
    /// A self-evaluation's result for the indicator; `None` on target forms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<IndicatorResult>,
}

/// What a self-evaluation adds to an indicator's data row (the 指标明细 sheet's last columns).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorResult {
    /// 实际完成值 as printed.
    pub actual: String,
    /// 分值.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub points: Option<Decimal>,
    /// 得分 as printed.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub score: Option<Decimal>,
}

/// One cell: its top-left slot, its span, what it holds and how it looks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// 0-based row of the top-left slot.
    pub row: usize,
    /// 0-based column of the top-left slot.
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    pub content: Content,
    pub role: Role,
}

impl Cell {
    /// Last row covered (inclusive).
    pub fn last_row(&self) -> usize {
        self.row + self.rowspan - 1
    }

    /// Last column covered (inclusive).
    pub fn last_col(&self) -> usize {
        self.col + self.colspan - 1
    }
}

/// What a cell holds. Numbers stay exact until a renderer formats them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Content {
    Blank,
    Text(String),
    /// Money in 万元, printed with 2 decimals.
    Amount(#[serde(with = "rust_decimal::serde::str")] Decimal),
    /// A rate in percent (397.25 means 397.25%), printed with 2 decimals and `%`.
    Percent(#[serde(with = "rust_decimal::serde::str")] Decimal),
    /// A head count.
    Count(u32),
    /// A check-box pair: `■是 □否` when true, `□是 ■否` when false.
    Check(bool),
}

impl Content {
    /// The text as printed on the form.
    pub fn display(&self) -> String {
        use crate::declaration::amount::{format_money, format_percent};
        match self {
            Content::Blank => String::new(),
            Content::Text(t) => t.clone(),
            Content::Amount(v) => format_money(*v),
            Content::Percent(v) => format_percent(*v),
            Content::Count(n) => n.to_string(),
            Content::Check(true) => "■是 □否".to_string(),
            Content::Check(false) => "□是 ■否".to_string(),
        }
    }
}

/// What a cell is for; decides font, weight, alignment and wrapping in both renderers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A printed label such as 项目名称 (centred, regular).
    Label,
    /// A column header such as 一级指标 (centred, bold/黑体).
    Header,
    /// A short value (centred).
    Value,
    /// A long text such as 年度总体目标 (left-aligned, wrapped).
    LongText,
    /// Money or a rate (right-aligned).
    Amount,
    /// A 一级/二级 group label spanning its rows (centred).
    Group,
}

/// Rows that belong together. Groups nest: a 一级 block's group comes first and contains the
/// groups of its 二级 blocks; the task block (department form) is one group. The label cells
/// to repeat when a group is split are the [`Role::Group`] cells that span it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowGroup {
    /// First row (0-based).
    pub start: usize,
    /// One past the last row.
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    Portrait,
    Landscape,
}

/// Paper, orientation and margins (mm).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageSetup {
    /// Paper name; always `a4` for these forms.
    pub paper: &'static str,
    pub orientation: Orientation,
    pub margin_top_mm: f64,
    pub margin_bottom_mm: f64,
    pub margin_left_mm: f64,
    pub margin_right_mm: f64,
}

impl PageSetup {
    /// A4 portrait with the margins the official templates use.
    pub fn a4_portrait() -> Self {
        PageSetup {
            paper: "a4",
            orientation: Orientation::Portrait,
            margin_top_mm: 20.0,
            margin_bottom_mm: 20.0,
            margin_left_mm: 18.0,
            margin_right_mm: 18.0,
        }
    }

    /// Width available to the table, in mm.
    pub fn content_width_mm(&self) -> f64 {
        let paper = match self.orientation {
            Orientation::Portrait => 210.0,
            Orientation::Landscape => 297.0,
        };
        paper - self.margin_left_mm - self.margin_right_mm
    }
}

/// Document metadata: PDF title and author, workbook properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// `柴桑区行政审批局2023年新开办企业免费刻章业务经费 项目支出绩效目标申报表`.
    pub title: String,
    /// The unit that fills the form.
    pub author: String,
    /// The 填报日期 as written (`2023-01-10`), when given; renderers use it for the document date.
    pub date: Option<String>,
}
