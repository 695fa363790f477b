//! The shape of a layout definition file, as serde reads it (reference: `docs/layouts.md`).
//!
//! Every mapping denies unknown keys, so a misspelt key is a located `layout.unknown-key` with
//! the nearest valid name; values whose meaning is checked later (column letters, field names,
//! role names) keep their location ([`Spanned`]) so that the check can point at them.

use serde::Deserialize;
use serde_saphyr::Spanned;

/// One layout definition: one printed form of one form kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// The id a declaration names (`layout: chaisang-2023`); for a file, informative.
    pub id: Spanned<String>,
    /// The form kind it lays out: `project`, `department`, `project-selfeval` or
    /// `department-selfeval`.
    pub form: Spanned<String>,
    /// One line for `jixiao layouts`.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub paper: Paper,
    /// Column widths in mm, left to right (columns are named A, B, C, …).
    pub columns: Spanned<Vec<f64>>,
    /// How amounts print.
    #[serde(default)]
    pub money: Money,
    /// Whether blocks the declaration leaves empty still print their (blank) rows; a block's
    /// own `always` overrides it.
    #[serde(default)]
    pub print_empty: bool,
    pub furniture: Furniture,
    /// Changes to the default look, by role (`header`, `long-text`, …) or furniture part.
    #[serde(default)]
    pub styles: Vec<StyleDef>,
    /// The table, top to bottom.
    pub body: Vec<Block>,
}

/// Paper and margins.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paper {
    /// Only `a4` for now.
    #[serde(default = "a4")]
    pub size: Spanned<String>,
    /// `portrait` or `landscape`.
    #[serde(default = "portrait")]
    pub orientation: Spanned<String>,
    /// Margins in mm.
    #[serde(default)]
    pub margins: Margins,
}

fn a4() -> Spanned<String> {
    Spanned::new(
        "a4".into(),
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

fn portrait() -> Spanned<String> {
    Spanned::new(
        "portrait".into(),
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

impl Default for Paper {
    fn default() -> Paper {
        Paper {
            size: a4(),
            orientation: portrait(),
            margins: Margins::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    pub top: f64,
    pub bottom: f64,
    pub left: f64,
    pub right: f64,
}

impl Default for Margins {
    /// The official templates' margins.
    fn default() -> Margins {
        Margins {
            top: 20.0,
            bottom: 20.0,
            left: 18.0,
            right: 18.0,
        }
    }
}

/// How amounts print: declarations hold 万元; a layout in 元 multiplies by 10,000.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// `万元` or `元`.
    #[serde(default = "wanyuan")]
    pub unit: Spanned<String>,
    /// Decimal places.
    #[serde(default = "two")]
    pub places: u32,
    /// Thousands separators.
    #[serde(default)]
    pub separators: bool,
}

fn wanyuan() -> Spanned<String> {
    Spanned::new(
        "万元".into(),
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

fn two() -> u32 {
    2
}

impl Default for Money {
    fn default() -> Money {
        Money {
            unit: wanyuan(),
            places: 2,
            separators: false,
        }
    }
}

/// What is printed around the table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Furniture {
    /// A small label above the title (`附件2-1`).
    #[serde(default)]
    pub annex: Option<Spanned<String>>,
    pub title: Spanned<String>,
    /// The year line; `{year}` is replaced by the declaration's year, and the line is left
    /// out when the year is blank.
    #[serde(default)]
    pub year: Option<Spanned<String>>,
    /// The line between the title and the table.
    #[serde(default)]
    pub above: LeftRight,
    /// The sign-off line under the table: printed when the declaration has a `signoff` block
    /// (or always, with `signoff_always`).
    #[serde(default)]
    pub signoff: Vec<SignoffPart>,
    #[serde(default)]
    pub signoff_always: bool,
    /// Further lines under the table, e.g. `{left: 财政部门审核意见（盖章）, right: 年  月  日}`.
    #[serde(default)]
    pub under: Vec<LeftRight>,
}

/// A line with a left and a right part; each may name fields as `{unit}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeftRight {
    #[serde(default)]
    pub left: Option<Spanned<String>>,
    #[serde(default)]
    pub right: Option<Spanned<String>>,
}

/// One part of the sign-off line: its label and the field printed after it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignoffPart {
    pub label: String,
    #[serde(default)]
    pub field: Option<Spanned<String>>,
}

/// A change to one style.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StyleDef {
    /// A role (`label`, `header`, `value`, `long-text`, `amount`, `group`, `review`) or a
    /// furniture part (`title`, `year`, `annex`, `line`, `footer`).
    pub role: Spanned<String>,
    /// `song` or `hei`.
    #[serde(default)]
    pub face: Option<Spanned<String>>,
    /// Size in pt.
    #[serde(default)]
    pub size: Option<f64>,
    #[serde(default)]
    pub bold: Option<bool>,
    /// `left`, `center` or `right`.
    #[serde(default)]
    pub align: Option<Spanned<String>>,
}

/// One block of the body.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Block {
    /// One row of cells.
    Row(Vec<CellDef>),
    /// A row of column headers (label cells print as `header`).
    Header(Vec<CellDef>),
    /// Several rows placed together; a cell may reach down over the next ones (`down`).
    Rows(RowsDef),
    /// Blocks beside a label that spans all their rows (`项目资金（万元）`, `年度主要任务`).
    Group(GroupDef),
    /// One row per item of a list (tasks, funds.sources).
    Each(EachDef),
    /// The indicator table.
    Indicators(IndicatorsDef),
    /// A review box: a label and a tall cell with the stamp and date lines at its foot.
    Review(ReviewDef),
}

/// Rows placed together.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowsDef {
    pub rows: Vec<Vec<CellDef>>,
    /// Print even when every field of the rows is blank.
    #[serde(default)]
    pub always: Option<bool>,
}

/// One cell of a row.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellDef {
    /// Columns: `B` or `B:F`.
    pub at: Spanned<String>,
    /// Rows the cell reaches down over, counting its own (inside `rows`).
    #[serde(default)]
    pub down: Option<Spanned<usize>>,
    /// Printed text.
    #[serde(default)]
    pub label: Option<String>,
    /// The declaration field shown (`funds.total`, `tasks.name`).
    #[serde(default)]
    pub field: Option<Spanned<String>>,
    /// The sum of a list's amounts (`tasks.amount`), blank when none is given.
    #[serde(default)]
    pub sum: Option<Spanned<String>>,
    /// Printed text with fields in it, as in the furniture: `自评等级：{grade}`.
    #[serde(default)]
    pub text: Option<Spanned<String>>,
    /// Tick boxes: the field's value printed as `■新增 □延续`.
    #[serde(default)]
    pub ticks: Option<Vec<String>>,
    /// The role (look) of the cell; by default `label` for a label, `amount` for money,
    /// `value` otherwise.
    #[serde(default)]
    pub role: Option<Spanned<String>>,
}

/// Blocks beside a spanning label.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupDef {
    pub label: String,
    /// The label's columns.
    pub at: Spanned<String>,
    /// The label cell's role (default `label`).
    #[serde(default)]
    pub role: Option<Spanned<String>>,
    /// Keep the group's rows on one page when they fit a share of it.
    #[serde(default)]
    pub keep: bool,
    #[serde(default)]
    pub always: Option<bool>,
    pub body: Vec<Block>,
}

/// One row per item of a list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EachDef {
    /// `tasks` or `funds.sources`.
    pub list: Spanned<String>,
    pub row: Vec<CellDef>,
}

/// The indicator table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorsDef {
    /// The columns, each with its header.
    #[serde(default)]
    pub columns: Vec<ColumnDef>,
    /// Two sides side by side (中期 | 年度): each with its own columns; the 一级 column
    /// (`columns`, shared) is on the left.
    #[serde(default)]
    pub sides: Vec<SideDef>,
    /// Print the header row (default true).
    #[serde(default = "yes")]
    pub header: bool,
    /// Repeat the header row on every page (default true).
    #[serde(default = "yes")]
    pub repeat: bool,
    #[serde(default)]
    pub always: Option<bool>,
    /// One band of rows per project of the declaration (the file's, then its `projects`), the
    /// `show: field` columns spanning their project's band (sichuan-2023).
    #[serde(default)]
    pub projects: Option<Spanned<bool>>,
    /// `canonical` (default: the scheme's order and names) or `declared` (where and as the
    /// declaration writes them).
    #[serde(default)]
    pub order: Option<Spanned<String>>,
    /// What the 权重 of each project's indicators must add up to (sichuan-2023: 90, the other 10
    /// belong to budget execution), checked when some 权重 is given (`indicator.weight-sum`).
    #[serde(default)]
    pub weights: Option<Spanned<u32>>,
}

impl IndicatorsDef {
    /// Whether indicators print where and as the declaration writes them.
    pub fn declared(&self) -> bool {
        self.order.as_ref().is_some_and(|o| o.value == "declared")
    }

    /// Whether the table has one band per project.
    pub fn by_project(&self) -> bool {
        self.projects.as_ref().is_some_and(|p| p.value)
    }
}

fn yes() -> bool {
    true
}

/// One side of a paired indicator table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SideDef {
    /// `annual` (the declaration's indicators) or `midterm`.
    pub source: Spanned<String>,
    pub columns: Vec<ColumnDef>,
}

/// One column of the indicator table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnDef {
    /// What it shows: `level1`, `level2`, `name`, `value`, `note`, `weight`, `direction`,
    /// `nature`, `unit`, `number`, `explanation`, `standard`; or `field`: the project's `field`
    /// printed once beside all its indicators.
    pub show: Spanned<String>,
    /// With `show: field`: the declaration field (`name`, `funds.total`, `goal`).
    #[serde(default)]
    pub field: Option<Spanned<String>>,
    pub at: Spanned<String>,
    /// The header text (`三级指标`, `指标内容`).
    pub header: String,
    #[serde(default)]
    pub role: Option<Spanned<String>>,
}

/// A review box.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewDef {
    pub label: String,
    /// The label's columns.
    pub at: Spanned<String>,
    /// The box's columns.
    #[serde(rename = "box")]
    pub area: Spanned<String>,
    /// Lines printed at the foot of the box, right-aligned (`（盖章）`, `年  月  日`).
    #[serde(default)]
    pub foot: Vec<String>,
    /// Empty lines above the foot, room to write.
    #[serde(default = "three")]
    pub room: usize,
}

fn three() -> usize {
    3
}
