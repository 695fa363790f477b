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
    /// The layout the form was laid out with: a built-in id (`chaisang-2023`) or the path of a
    /// definition file, as the declaration or `--layout` named it.
    pub layout: String,
    /// A small label above the title (`附件2-1`); empty when the layout has none.
    pub annex: String,
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
    /// The row after the last row of the table the repeated header heads, when rows that are
    /// not the table's follow it (a review box): a page never starts with those under a
    /// repeated header, which would head nothing. `None`: the table runs to the last row. Not
    /// sent to the template (the page plan already applies it).
    #[serde(skip)]
    pub repeat_end: Option<usize>,
    /// Groups of rows that belong together (a 一级/二级 block or a task block): the PDF keeps a
    /// short group on one page and splits a long one, repeating its label cells.
    pub groups: Vec<RowGroup>,
    /// The sign-off line under the table (`填报人：… 联系电话：…`), when given.
    pub signoff: Vec<(String, String)>,
    /// Lines printed under the sign-off line, each as its left and right part
    /// (`财政部门审核意见（盖章）` … `年  月  日`).
    pub under: Vec<(String, String)>,
    /// How each role prints (face, size, weight, alignment): the template and the XLSX writer
    /// both read it here, so a layout states its look once.
    pub styles: Styles,
    pub page: PageSetup,
    pub meta: Meta,
    /// The page plan both renderers follow, once it is decided (by the PDF engine's
    /// measurement, `pdf::Engine::plan`); `None` before that. Not sent to the template.
    #[serde(skip)]
    pub plan: Option<PagePlan>,
    /// Every printed indicator as data, in print order (the rows of the table's indicator
    /// block, one per 三级指标): the XLSX writer's `指标明细` sheet lists them for import into
    /// the bureau's systems. Not a description of the form's shape.
    pub indicators: Vec<IndicatorRow>,
}

/// Where the printed form's pages break and how tall each part is, decided once from the
/// heights measured with the real fonts, so that the PDF and the XLSX print on the same pages:
/// the XLSX writer gives its rows these heights and these manual breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct PagePlan {
    /// Height (pt) every cell needs, in the order of the Grid's cells after
    /// `pdf::paginate::clip_to_header`.
    pub cells_pt: Vec<f64>,
    /// Height (pt) of every table row.
    pub rows_pt: Vec<f64>,
    /// The block above the table (annex, title, year line, the line above the table, the gap).
    pub head_pt: f64,
    /// The lines under the table (sign-off and further lines).
    pub foot_pt: f64,
    /// Table rows (0-based) that start a new page.
    pub breaks: Vec<usize>,
    /// The pages the form prints on.
    pub pages: usize,
    /// The sign-off and the lines under the table start a new page.
    pub signoff_page: bool,
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
    /// The declaration field the cell shows (`funds.total`, `tasks.name`), for value cells;
    /// `None` for printed labels and headers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
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
    /// Money in another unit or precision than [`Content::Amount`]'s (the layout's `money`):
    /// `value` is already in the printed unit (元 = 万元 × 10000).
    Money {
        #[serde(with = "rust_decimal::serde::str")]
        value: Decimal,
        places: u32,
        /// Thousands separators (`3,309,840.00`).
        separators: bool,
    },
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
            Content::Money {
                value,
                places,
                separators,
            } => format_fixed(*value, *places, *separators),
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
    /// A review box (`财政部门审核意见`): room to write, the stamp and date lines at its foot,
    /// right-aligned.
    Review,
}

impl Role {
    /// Every role, in the order of [`Styles`]' fields.
    pub const ALL: [Role; 7] = [
        Role::Label,
        Role::Header,
        Role::Value,
        Role::LongText,
        Role::Amount,
        Role::Group,
        Role::Review,
    ];

    /// The role's name in layouts and in the template's data (`long-text`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Label => "label",
            Role::Header => "header",
            Role::Value => "value",
            Role::LongText => "long-text",
            Role::Amount => "amount",
            Role::Group => "group",
            Role::Review => "review",
        }
    }
}

/// A typeface of the bundled pair: 宋体 (Song, serif) or 黑体 (Hei, sans).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Face {
    Song,
    Hei,
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
}

/// How one role prints.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Style {
    pub face: Face,
    /// Size in pt (10.5 is 五号).
    pub size: f64,
    pub bold: bool,
    pub align: Align,
}

impl Style {
    const fn new(face: Face, size: f64, bold: bool, align: Align) -> Style {
        Style {
            face,
            size,
            bold,
            align,
        }
    }
}

/// The look of every cell role and of the page furniture. The defaults are the seed forms'
/// (spec `forms.md` §6): 五号宋体 cells, 黑体 bold headers, a 小二 黑体 title, a 四号 year line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Styles {
    pub label: Style,
    pub header: Style,
    pub value: Style,
    pub long_text: Style,
    pub amount: Style,
    pub group: Style,
    pub review: Style,
    /// The title.
    pub title: Style,
    /// The year line under the title.
    pub year: Style,
    /// The annex label above the title.
    pub annex: Style,
    /// The lines above and under the table (填报单位, sign-off, review lines).
    pub line: Style,
    /// The page footer (`第 1 页 共 2 页`).
    pub footer: Style,
}

impl Default for Styles {
    fn default() -> Styles {
        use Align::*;
        use Face::*;
        let body = 10.5;
        Styles {
            label: Style::new(Song, body, false, Center),
            header: Style::new(Hei, body, true, Center),
            value: Style::new(Song, body, false, Center),
            long_text: Style::new(Song, body, false, Left),
            amount: Style::new(Song, body, false, Right),
            group: Style::new(Song, body, false, Center),
            review: Style::new(Song, body, false, Right),
            title: Style::new(Hei, 18.0, true, Center),
            year: Style::new(Song, 14.0, false, Center),
            annex: Style::new(Hei, body, false, Left),
            line: Style::new(Song, body, false, Left),
            footer: Style::new(Song, 9.0, false, Center),
        }
    }
}

impl Styles {
    /// The style of a cell role.
    pub fn of(&self, role: Role) -> &Style {
        match role {
            Role::Label => &self.label,
            Role::Header => &self.header,
            Role::Value => &self.value,
            Role::LongText => &self.long_text,
            Role::Amount => &self.amount,
            Role::Group => &self.group,
            Role::Review => &self.review,
        }
    }

    /// The style named `name` (a role or a furniture part), to change it.
    pub fn named_mut(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "label" => &mut self.label,
            "header" => &mut self.header,
            "value" => &mut self.value,
            "long-text" => &mut self.long_text,
            "amount" => &mut self.amount,
            "group" => &mut self.group,
            "review" => &mut self.review,
            "title" => &mut self.title,
            "year" => &mut self.year,
            "annex" => &mut self.annex,
            "line" => &mut self.line,
            "footer" => &mut self.footer,
            _ => return None,
        })
    }

    /// Every name [`Styles::named_mut`] knows.
    pub const NAMES: [&'static str; 12] = [
        "label",
        "header",
        "value",
        "long-text",
        "amount",
        "group",
        "review",
        "title",
        "year",
        "annex",
        "line",
        "footer",
    ];
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

/// `value` with `places` decimals (half away from zero), with thousands separators when asked
/// (`3309840` → `3,309,840.00`).
pub fn format_fixed(value: Decimal, places: u32, separators: bool) -> String {
    let mut v =
        value.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    v.rescale(places);
    let text = v.to_string();
    if !separators {
        return text;
    }
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |d| ("-", d));
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::with_capacity(text.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}
