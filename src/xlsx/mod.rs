//! XLSX: a [`Grid`] written as a workbook for the finance bureau (rust_xlsxwriter).
//!
//! The first sheet is the form as printed: the title, year and unit lines, then the table with
//! its merged ranges (bordered on every edge), numbers stored as numbers, an explicit height for
//! every row, and the page set up to print like the PDF. The second sheet, `指标明细`, lists the
//! indicators one per row for import into the bureau's systems.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::layout::{Align, Cell, Content, Face, Grid, Orientation, Role, Style};

pub use rust_xlsxwriter::XlsxError as Error;

pub mod read;
pub mod template;

/// Body font (spec §6): 宋体, which Excel and WPS on Chinese systems have.
pub const BODY_FONT: &str = "宋体";
/// Heading font: 黑体.
pub const HEADING_FONT: &str = "黑体";
/// The GB2312 character set: tells Excel and WPS that 宋体/黑体 are Chinese faces, as their own
/// files say, so a system without the face substitutes a Chinese one.
const GB2312: u8 = 134;
/// 五号: the body of the 指标明细 sheet (the form sheet's sizes are the Grid's styles).
pub const BODY_PT: f64 = 10.5;
/// Excel's largest row height.
pub const MAX_ROW_PT: f64 = 409.0;
/// The name of the indicator sheet.
pub const DETAIL_SHEET: &str = "指标明细";

/// Line height as a multiple of the font size. Noto Serif/Sans CJK (what LibreOffice falls back
/// to without 宋体) set lines at 1.45 em; SimSun needs less, so Excel and WPS get some air.
const LINE_EM: f64 = 1.45;
/// Space above and below the text of a cell, in points.
const CELL_PAD_PT: f64 = 5.0;
/// Horizontal space a cell loses to its padding and borders, in points (Excel keeps about
/// 2 px each side; LibreOffice a little more).
const CELL_INSET_PT: f64 = 7.0;
/// Width (pt) one indent level takes from an indented cell (Excel indents by about the width of
/// a character of the default font per level; LibreOffice by a little less).
const INDENT_PT: f64 = 10.0;
/// A table row is never lower than this: the official forms have roomy rows to write in.
const MIN_TABLE_ROW_PT: f64 = 22.0;
/// Rows of the form sheet above the table: title, year line, unit line. The table starts at
/// this sheet row; where each Grid row lands is in [`SheetPlan::first`].
pub const TABLE_TOP: usize = 3;

/// Writes `grid` as an XLSX workbook. Output is byte-identical for identical input.
pub fn write(grid: &Grid) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(grid)?);
    let sheet = workbook.add_worksheet();
    form_sheet(sheet, grid)?;
    let detail = workbook.add_worksheet();
    detail_sheet(detail, grid)?;
    workbook.save_to_buffer()
}

/// Writes the form sheet of `grid` (the first sheet of [`write`]) into `sheet`, for a workbook
/// of many forms (`render --workbook`). The sheet is named by [`sheet_name`]; the caller may
/// rename it afterwards (print area and repeated rows follow the name at save time).
pub fn write_sheet(sheet: &mut Worksheet, grid: &Grid) -> Result<(), XlsxError> {
    form_sheet(sheet, grid)
}

/// The name of the form's sheet: the form's title (valid: ≤ 31 characters, none of `[]:*?/\`).
pub fn sheet_name(grid: &Grid) -> String {
    let name: String = grid
        .title
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if name.trim().is_empty() {
        "申报表".to_string()
    } else {
        name
    }
}

/// Workbook properties with a creation time fixed by the form (its 填报日期, else its year, else
/// 2000-01-01), never the clock: the same declaration gives the same bytes.
fn properties(grid: &Grid) -> Result<DocProperties, XlsxError> {
    let date = grid
        .meta
        .date
        .as_deref()
        .and_then(parse_ymd)
        .or_else(|| year_of(grid).map(|y| (y, 1, 1)))
        .unwrap_or((2000, 1, 1));
    let created = ExcelDateTime::from_ymd(date.0, date.1, date.2)
        .or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1))?;
    Ok(DocProperties::new()
        .set_title(&grid.meta.title)
        .set_author(&grid.meta.author)
        .set_creation_datetime(&created))
}

/// `2023-01-10` → (2023, 1, 10); None unless a valid date between 1900 and 9999.
fn parse_ymd(text: &str) -> Option<(u16, u8, u8)> {
    let mut parts = text.trim().split(['-', '.', '/']);
    let y: u16 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    let ok = parts.next().is_none()
        && (1900..=9999).contains(&y)
        && ExcelDateTime::from_ymd(y, m, d).is_ok();
    ok.then_some((y, m, d))
}

/// The year from the year line `（2023年度）`.
fn year_of(grid: &Grid) -> Option<u16> {
    let digits: String = grid
        .year_line
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|y| (1900..=9999).contains(y))
}

fn mm_to_pt(mm: f64) -> f64 {
    mm * 72.0 / 25.4
}

fn mm_to_px(mm: f64) -> u32 {
    (mm * 96.0 / 25.4).round() as u32
}

fn mm_to_inch(mm: f64) -> f64 {
    mm / 25.4
}

/// The font a style names: 宋体 or 黑体.
fn font_name(face: Face) -> &'static str {
    match face {
        Face::Song => BODY_FONT,
        Face::Hei => HEADING_FONT,
    }
}

/// The font, size and weight a style prints with.
fn font_of(style: &Style) -> (&'static str, f64, bool) {
    (font_name(style.face), style.size, style.bold)
}

/// A borderless text format in `style`, aligned as the style says.
fn line_format(style: &Style) -> Format {
    let (font, size, bold) = font_of(style);
    let f = Format::new()
        .set_font_name(font)
        .set_font_charset(GB2312)
        .set_font_size(size)
        .set_align(horizontal(style.align))
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    if bold { f.set_bold() } else { f }
}

fn horizontal(align: Align) -> FormatAlign {
    match align {
        Align::Left => FormatAlign::Left,
        Align::Center => FormatAlign::Center,
        Align::Right => FormatAlign::Right,
    }
}

/// The format of a table cell: font and alignment by role, number format by content.
fn cell_format(grid: &Grid, role: Role, content: &Content, split: bool) -> Format {
    let style = grid.styles.of(role);
    let (font, size, bold) = font_of(style);
    let mut f = Format::new()
        .set_font_name(font)
        .set_font_charset(GB2312)
        .set_font_size(size)
        .set_border(FormatBorder::Thin)
        // A merged cell cut by a page break shows its text at the top, on the block's first
        // page, rather than centred across the break where the cut may run through it.
        .set_align(if split {
            FormatAlign::Top
        } else {
            FormatAlign::VerticalCenter
        })
        .set_text_wrap();
    if bold {
        f = f.set_bold();
    }
    // An indent keeps left- and right-aligned text off the border, as the printed forms do.
    f = match style.align {
        Align::Left => f.set_align(FormatAlign::Left).set_indent(1),
        Align::Right => f.set_align(FormatAlign::Right).set_indent(1),
        Align::Center => f.set_align(FormatAlign::Center),
    };
    if role == Role::Review {
        f = f.set_align(FormatAlign::Bottom);
    }
    match content {
        Content::Amount(_) => f.set_num_format("0.00"),
        Content::Money {
            places, separators, ..
        } => {
            let decimals = if *places == 0 {
                String::new()
            } else {
                format!(".{}", "0".repeat(*places as usize))
            };
            f.set_num_format(if *separators {
                format!("#,##0{decimals}")
            } else {
                format!("0{decimals}")
            })
        }
        Content::Percent(_) => f.set_num_format("0.00%"),
        Content::Count(_) => f.set_num_format("0"),
        // Text stays text even when it looks like a number or a date.
        Content::Text(_) | Content::Check(_) => f.set_num_format("@"),
        Content::Blank => f,
    }
}

/// The f64 written for an exact amount: the only place a Decimal becomes a float.
fn to_f64(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

/// Writes a cell's content into its top-left slot with `format`.
fn put(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    content: &Content,
    format: &Format,
) -> Result<(), XlsxError> {
    match content {
        Content::Blank => sheet.write_blank(row, col, format)?,
        Content::Amount(v) | Content::Money { value: v, .. } => {
            sheet.write_number_with_format(row, col, to_f64(*v), format)?
        }
        // 397.25 (percent) is stored as 3.9725 so that `0.00%` shows 397.25% and formulas work.
        Content::Percent(v) => {
            let fraction = v.checked_div(Decimal::ONE_HUNDRED).unwrap_or_default();
            sheet.write_number_with_format(row, col, to_f64(fraction), format)?
        }
        Content::Count(n) => sheet.write_number_with_format(row, col, f64::from(*n), format)?,
        // write_string: text such as `=1+1` is stored as a string, never as a formula.
        Content::Text(_) | Content::Check(_) => {
            sheet.write_string_with_format(row, col, content.display(), format)?
        }
    };
    Ok(())
}

/// The height (pt) a cell needs for its text, over its merged width.
pub fn needed_height(grid: &Grid, cell: &Cell) -> f64 {
    let width_mm: f64 = grid.columns_mm[cell.col..=cell.last_col()].iter().sum();
    let style = grid.styles.of(cell.role);
    let (_, size, bold) = font_of(style);
    let text = cell.content.display();
    // Left- and right-aligned text is indented from the border.
    let indent = if style.align == Align::Center {
        0.0
    } else {
        INDENT_PT
    };
    text_height(&text, mm_to_pt(width_mm) - indent, size, bold)
}

/// The height (pt) `text` needs in a box `width_pt` wide at `size_pt`.
pub(crate) fn text_height(text: &str, width_pt: f64, size_pt: f64, bold: bool) -> f64 {
    // Bold faces run a little wider; measure them as such rather than risk a clipped header.
    let scale = if bold { 1.05 } else { 1.0 };
    let usable_em = (width_pt - CELL_INSET_PT).max(size_pt) / (size_pt * scale);
    let lines = crate::metrics::line_count(text, usable_em);
    lines as f64 * size_pt * LINE_EM + CELL_PAD_PT
}

/// The height (pt) of every table row: the tallest single-row cell of the row, at least
/// [`MIN_TABLE_ROW_PT`]; then each merged cell that is still too short for its text gets the
/// missing height spread evenly over its rows. A row may need more than Excel's 409 pt (a long
/// 年度总体目标): [`plan`] then spreads it over several sheet rows.
pub fn table_row_heights(grid: &Grid) -> Vec<f64> {
    let mut heights = vec![MIN_TABLE_ROW_PT; grid.rows];
    let mut spanning: Vec<&Cell> = Vec::new();
    for cell in &grid.cells {
        if cell.rowspan == 1 {
            heights[cell.row] = heights[cell.row].max(needed_height(grid, cell));
        } else {
            spanning.push(cell);
        }
    }
    // Shorter spans first, so a long span sees the rows its inner spans already grew.
    spanning.sort_by_key(|c| (c.rowspan, c.row, c.col));
    for cell in spanning {
        let rows = cell.row..=cell.last_row();
        let have: f64 = heights[rows.clone()].iter().sum();
        let need = needed_height(grid, cell);
        if need > have {
            let extra = (need - have) / cell.rowspan as f64;
            for h in &mut heights[rows] {
                *h += extra;
            }
        }
    }
    for h in &mut heights {
        *h = quarter_up(*h);
    }
    heights
}

/// Whole quarter points, rounding up: what Excel stores anyway, and it keeps files reproducible.
fn quarter_up(h: f64) -> f64 {
    (h * 4.0).ceil() / 4.0
}

/// Where each Grid row lands on the form sheet, and the height of every sheet row.
///
/// A Grid row is one sheet row, unless its text needs more than Excel's 409 pt: then it takes
/// as many sheet rows as it needs, and every cell of it is merged down over them, so the text
/// is never clipped (the Grid's shape is unchanged: the cell is still one cell).
#[derive(Debug, Clone, PartialEq)]
pub struct SheetPlan {
    /// `first[r]`: the sheet row where Grid row `r` starts; `first[grid.rows]` is the sheet row
    /// after the table.
    pub first: Vec<usize>,
    /// The height (pt) of every sheet row, top to bottom: the title, year and unit lines, the
    /// table and, when there is one, the sign-off line. None exceeds [`MAX_ROW_PT`].
    pub heights: Vec<f64>,
}

impl SheetPlan {
    /// The sheet rows (first, last; inclusive) a cell covers.
    pub fn rows_of(&self, cell: &Cell) -> (usize, usize) {
        (self.first[cell.row], self.first[cell.last_row() + 1] - 1)
    }

    /// The sheet rows (half-open) of the Grid rows `start..end`.
    pub fn range(&self, start: usize, end: usize) -> (usize, usize) {
        (self.first[start], self.first[end])
    }
}

/// The sheet rows of a Grid: see [`SheetPlan`]. A Grid with a page plan (the PDF's, see
/// [`crate::layout::PagePlan`]) gets the plan's heights: the table rows exactly, the lines above
/// and under the table sharing the plan's head and foot heights; without one, heights are
/// estimated here.
pub fn plan(grid: &Grid) -> SheetPlan {
    let width_pt = mm_to_pt(grid.columns_mm.iter().sum());
    let st = &grid.styles;
    let annex = (!grid.annex.is_empty())
        .then(|| text_height(&grid.annex, width_pt, st.annex.size, st.annex.bold).max(20.0));
    let mut head: Vec<f64> = annex
        .into_iter()
        .chain([
            text_height(&grid.title, width_pt, st.title.size, st.title.bold).max(32.0),
            text_height(&grid.year_line, width_pt, st.year.size, st.year.bold).max(24.0),
            text_height(&grid.unit_line, width_pt * 0.7, st.line.size, st.line.bold).max(22.0),
        ])
        .collect();
    let mut foot: Vec<f64> = Vec::new();
    if !grid.signoff.is_empty() {
        foot.push(text_height(&signoff_text(grid), width_pt, st.line.size, st.line.bold).max(26.0));
    }
    for (left, right) in &grid.under {
        foot.push(
            text_height(
                &format!("{left}　　{right}"),
                width_pt,
                st.line.size,
                st.line.bold,
            )
            .max(26.0),
        );
    }
    let planned = grid.plan.as_ref().filter(|p| p.rows_pt.len() == grid.rows);
    let rows = match planned {
        Some(p) => {
            // The PDF's heights: each share of the head and foot in proportion to what its line
            // needs here, so the sheet's pages hold what the PDF's do.
            share(&mut head, p.head_pt);
            share(&mut foot, p.foot_pt);
            p.rows_pt.clone()
        }
        None => table_row_heights(grid),
    };
    let round = |h: f64| {
        if planned.is_some() {
            nearest_quarter(h)
        } else {
            quarter_up(h)
        }
    };
    let mut heights: Vec<f64> = head.into_iter().map(|h| round(h).min(MAX_ROW_PT)).collect();
    let mut first = Vec::with_capacity(grid.rows + 1);
    for h in rows {
        first.push(heights.len());
        let parts = (h / MAX_ROW_PT).ceil().max(1.0);
        let each = round(h / parts).min(MAX_ROW_PT);
        heights.extend(std::iter::repeat_n(each, parts as usize));
    }
    first.push(heights.len());
    heights.extend(foot.into_iter().map(|h| round(h).min(MAX_ROW_PT)));
    SheetPlan { first, heights }
}

/// Scales `parts` to add up to `total` (when they add up to anything).
fn share(parts: &mut [f64], total: f64) {
    let sum: f64 = parts.iter().sum();
    if sum > 0.0 && total > 0.0 {
        for p in parts.iter_mut() {
            *p *= total / sum;
        }
    }
}

/// The nearest quarter point: following a plan, rounding every row up would add up to more
/// than the PDF's page.
fn nearest_quarter(h: f64) -> f64 {
    (h * 4.0).round() / 4.0
}

/// Every row height of the form sheet, top to bottom (see [`SheetPlan::heights`]).
pub fn sheet_row_heights(grid: &Grid) -> Vec<f64> {
    plan(grid).heights
}

/// Height (pt) a page offers the sheet: A4 in the form's orientation less its margins, less a
/// little for the renderers' rounding of row heights to pixels.
pub fn page_capacity_pt(grid: &Grid) -> f64 {
    let p = &grid.page;
    let paper = match p.orientation {
        Orientation::Portrait => 297.0,
        Orientation::Landscape => 210.0,
    };
    mm_to_pt(paper - p.margin_top_mm - p.margin_bottom_mm) * 0.97
}

/// Manual page breaks (sheet rows that start a new page) that keep merged blocks whole: no
/// break falls inside a merged cell whose rows fit in half a page (a 二级 group, the task block,
/// 上年预算 …), so its label is never cut in two; longer blocks (a 一级 group, 年度绩效指标) break
/// between rows. Pages after the indicator header repeat it, which the budget counts.
pub fn page_breaks(grid: &Grid, plan: &SheetPlan) -> Vec<usize> {
    // The PDF's page plan, when there is one: the same breaks at the same rows.
    if let Some(p) = grid.plan.as_ref().filter(|p| p.rows_pt.len() == grid.rows) {
        let foot = !grid.signoff.is_empty() || !grid.under.is_empty();
        return p
            .breaks
            .iter()
            .filter(|b| **b < grid.rows)
            .map(|b| plan.first[*b])
            // The sheet row after the table holds the sign-off.
            .chain((p.signoff_page && foot).then(|| plan.first[grid.rows]))
            .collect();
    }
    let capacity = page_capacity_pt(grid);
    let heights = &plan.heights;
    let total = heights.len();
    // blocked[b]: a break before sheet row b would cut a block that should stay whole.
    let mut blocked = vec![false; total + 1];
    for cell in &grid.cells {
        let (first, last) = plan.rows_of(cell);
        if first == last {
            continue;
        }
        let height: f64 = heights[first..=last].iter().sum();
        if height <= capacity / 2.0 {
            for b in &mut blocked[first + 1..=last] {
                *b = true;
            }
        }
    }
    // The title lines stay with the first table rows.
    for b in blocked
        .iter_mut()
        .take(plan.first.first().copied().unwrap_or(TABLE_TOP) + 1)
    {
        *b = true;
    }
    let header = grid.repeat_rows.map(|(s, e)| plan.range(s, e));
    let header_height = |start: usize| match header {
        Some((s, e)) if start >= e => heights[s..e].iter().sum(),
        _ => 0.0,
    };
    let mut breaks = Vec::new();
    let mut start = 0;
    let mut used = 0.0;
    let mut row = 0;
    while row < total {
        if used + heights[row] <= capacity - header_height(start) || row == start {
            used += heights[row];
            row += 1;
            continue;
        }
        // Row `row` does not fit: break at the last allowed boundary after the page's start.
        let at = (start + 1..=row)
            .rev()
            .find(|b| !blocked[*b])
            .unwrap_or(row);
        breaks.push(at);
        start = at;
        used = 0.0;
        row = at;
    }
    breaks
}

/// `填报人：费雪松　　联系电话：　　…`: the sign-off line as one text.
fn signoff_text(grid: &Grid) -> String {
    grid.signoff
        .iter()
        .map(|(label, value)| format!("{label}：{value}"))
        .collect::<Vec<_>>()
        .join("　　　")
}

fn row_num(row: usize) -> Result<u32, XlsxError> {
    u32::try_from(row).map_err(|_| XlsxError::RowColumnLimitError)
}

fn col_num(col: usize) -> Result<u16, XlsxError> {
    u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)
}

/// Writes text over `cols` of `row` (merged when more than one column) without borders.
fn line(
    sheet: &mut Worksheet,
    row: u32,
    cols: (u16, u16),
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if cols.0 == cols.1 {
        sheet.write_string_with_format(row, cols.0, text, format)?;
    } else {
        sheet.merge_range(row, cols.0, row, cols.1, text, format)?;
    }
    Ok(())
}

fn form_sheet(sheet: &mut Worksheet, grid: &Grid) -> Result<(), XlsxError> {
    sheet.set_name(sheet_name(grid))?;
    let ncols = grid.columns_mm.len();
    if ncols == 0 {
        return Err(XlsxError::ParameterError(
            "a form has at least one column".into(),
        ));
    }
    let last_col = col_num(ncols - 1)?;
    for (i, mm) in grid.columns_mm.iter().enumerate() {
        sheet.set_column_width_pixels(col_num(i)?, mm_to_px(*mm))?;
    }

    // Annex label, title, year line, unit line.
    let st = &grid.styles;
    let plain = line_format(&st.line);
    let top = u32::from(!grid.annex.is_empty());
    if top == 1 {
        line(
            sheet,
            0,
            (0, last_col),
            &grid.annex,
            &line_format(&st.annex),
        )?;
    }
    line(
        sheet,
        top,
        (0, last_col),
        &grid.title,
        &line_format(&st.title),
    )?;
    line(
        sheet,
        top + 1,
        (0, last_col),
        &grid.year_line,
        &line_format(&st.year),
    )?;
    // The unit takes the width left of the last two columns; 金额单位 sits right in those two.
    let split = last_col.saturating_sub(2);
    if last_col >= 1 {
        line(
            sheet,
            top + 2,
            (0, split.min(last_col - 1)),
            &grid.unit_line,
            &plain.clone().set_align(FormatAlign::Left),
        )?;
        line(
            sheet,
            top + 2,
            (split.min(last_col - 1) + 1, last_col),
            &grid.amount_unit_line,
            &plain.clone().set_align(FormatAlign::Right),
        )?;
    } else {
        line(
            sheet,
            top + 2,
            (0, 0),
            &format!("{}　{}", grid.unit_line, grid.amount_unit_line),
            &plain,
        )?;
    }

    let plan = plan(grid);
    let breaks = page_breaks(grid, &plan);

    // The table.
    for cell in &grid.cells {
        let (first, last) = plan.rows_of(cell);
        let (r, c) = (row_num(first)?, col_num(cell.col)?);
        // Not a cell that reaches into the repeated header row: printed again on later pages,
        // that row would show the top of its text cut off at the row's foot.
        let repeats = grid
            .repeat_rows
            .is_some_and(|(s, e)| cell.row < e && cell.last_row() >= s);
        let split = !repeats && breaks.iter().any(|b| *b > first && *b <= last);
        let format = cell_format(grid, cell.role, &cell.content, split);
        if last > first || cell.colspan > 1 {
            let (r2, c2) = (row_num(last)?, col_num(cell.last_col())?);
            // Merge with formatted blanks (borders on every edge), then the value on top with
            // the same format: a number must not go through merge_range's string.
            sheet.merge_range(r, c, r2, c2, "", &format)?;
        }
        put(sheet, r, c, &cell.content, &format)?;
    }
    let mut last_row = plan.first[grid.rows] - 1;
    if !grid.signoff.is_empty() {
        last_row += 1;
        line(
            sheet,
            row_num(last_row)?,
            (0, last_col),
            &signoff_text(grid),
            &plain.clone().set_align(FormatAlign::Left),
        )?;
    }
    for (left, right) in &grid.under {
        last_row += 1;
        let text = if right.is_empty() {
            left.clone()
        } else {
            format!("{left}　　　{right}")
        };
        line(
            sheet,
            row_num(last_row)?,
            (0, last_col),
            &text,
            &plain.clone().set_align(FormatAlign::Left),
        )?;
    }

    for (i, h) in plan.heights.iter().enumerate() {
        sheet.set_row_height(row_num(i)?, *h)?;
    }
    let breaks: Vec<u32> = breaks.into_iter().map(row_num).collect::<Result<_, _>>()?;
    if !breaks.is_empty() {
        sheet.set_page_breaks(&breaks)?;
    }

    // On screen too the sheet looks like the form: only the table's own borders.
    sheet.set_screen_gridlines(false);

    // Print setup: A4, the form's orientation, its margins, one page wide, centred.
    sheet.set_paper_size(9);
    match grid.page.orientation {
        Orientation::Portrait => sheet.set_portrait(),
        Orientation::Landscape => sheet.set_landscape(),
    };
    let p = &grid.page;
    sheet.set_margins(
        mm_to_inch(p.margin_left_mm),
        mm_to_inch(p.margin_right_mm),
        mm_to_inch(p.margin_top_mm),
        mm_to_inch(p.margin_bottom_mm),
        0.3,
        0.3,
    );
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    // 共 N 页 counts the form's own pages: `&N` would count every sheet of the workbook when
    // it is printed whole. The planned count is the PDF's.
    match &grid.plan {
        Some(p) => sheet.set_footer(format!("&C第 &P 页 共 {} 页", p.pages)),
        None => sheet.set_footer("&C第 &P 页 共 &N 页"),
    };
    if let Some((start, end)) = grid.repeat_rows.filter(|(s, e)| e > s) {
        let (first, end) = plan.range(start, end);
        sheet.set_repeat_rows(row_num(first)?, row_num(end - 1)?)?;
    }
    sheet.set_print_area(0, 0, row_num(last_row)?, last_col)?;
    Ok(())
}

/// The columns of the 指标明细 sheet, with their widths in characters.
pub const DETAIL_COLUMNS: [(&str, f64); 9] = [
    ("一级指标", 12.0),
    ("二级指标", 18.0),
    ("三级指标", 48.0),
    ("指标性质", 10.0),
    ("指标值", 14.0),
    ("度量单位", 10.0),
    ("权重", 8.0),
    ("指标方向性", 12.0),
    ("原文", 18.0),
];

/// The columns a self-evaluation adds to the 指标明细 sheet (after [`DETAIL_COLUMNS`]).
pub const RESULT_COLUMNS: [(&str, f64); 3] = [("实际完成值", 18.0), ("分值", 8.0), ("得分", 8.0)];

fn detail_sheet(sheet: &mut Worksheet, grid: &Grid) -> Result<(), XlsxError> {
    let results = grid.indicators.iter().any(|i| i.result.is_some());
    let columns: Vec<(&str, f64)> = DETAIL_COLUMNS
        .iter()
        .chain(if results { &RESULT_COLUMNS[..] } else { &[] })
        .copied()
        .collect();
    sheet.set_name(DETAIL_SHEET)?;
    let head = Format::new()
        .set_font_name(HEADING_FONT)
        .set_font_charset(GB2312)
        .set_font_size(BODY_PT)
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let text = Format::new()
        .set_font_name(BODY_FONT)
        .set_font_charset(GB2312)
        .set_font_size(BODY_PT)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_num_format("@");
    let number = Format::new()
        .set_font_name(BODY_FONT)
        .set_font_charset(GB2312)
        .set_font_size(BODY_PT)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    // A score prints as the form prints it, two places (19.80, 5.00).
    let score = number.clone().set_num_format("0.00");
    for (i, (name, width)) in columns.iter().enumerate() {
        let col = col_num(i)?;
        sheet.set_column_width(col, *width)?;
        sheet.write_string_with_format(0, col, *name, &head)?;
    }
    sheet.set_row_height(0, 20.0)?;
    // A column `w` characters wide is `w` × 7 px (Calibri 11's digit) = `w` × 5.25 pt.
    let width_pt = |col: usize| columns[col].1 * 5.25;
    for (i, ind) in grid.indicators.iter().enumerate() {
        let r = row_num(i + 1)?;
        // Like the form, every row gets a height that shows its wrapped texts whole (a
        // qualitative 实际完成值 wraps too).
        let height = [(2, &ind.name), (8, &ind.written), (1, &ind.level2)]
            .into_iter()
            .chain(ind.result.as_ref().map(|res| (9, &res.actual)))
            .map(|(col, t)| text_height(t, width_pt(col), BODY_PT, false))
            .fold(20.0_f64, f64::max)
            .min(MAX_ROW_PT);
        sheet.set_row_height(r, (height * 4.0).ceil() / 4.0)?;
        sheet.write_string_with_format(r, 0, &ind.level1, &text)?;
        sheet.write_string_with_format(r, 1, &ind.level2, &text)?;
        sheet.write_string_with_format(r, 2, &ind.name, &text)?;
        sheet.write_string_with_format(r, 3, &ind.nature, &text)?;
        // 指标值: the number when the target has one (so the systems can compare), else its text.
        match ind.number {
            Some(n) => sheet.write_number_with_format(r, 4, to_f64(n), &number)?,
            None => sheet.write_string_with_format(r, 4, &ind.value, &text)?,
        };
        sheet.write_string_with_format(r, 5, &ind.unit, &text)?;
        match ind.weight {
            Some(w) => sheet.write_number_with_format(r, 6, to_f64(w), &number)?,
            None => sheet.write_blank(r, 6, &number)?,
        };
        sheet.write_string_with_format(r, 7, &ind.direction, &text)?;
        sheet.write_string_with_format(r, 8, &ind.written, &text)?;
        if let Some(res) = &ind.result {
            sheet.write_string_with_format(r, 9, &res.actual, &text)?;
            for (col, value, format) in [(10, res.points, &number), (11, res.score, &score)] {
                match value {
                    Some(v) => sheet.write_number_with_format(r, col, to_f64(v), format)?,
                    None => sheet.write_blank(r, col, &number)?,
                };
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    // Printed, the list is a landscape table one page wide with its header on every page.
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    let last = row_num(grid.indicators.len())?;
    sheet.autofilter(0, 0, last, col_num(columns.len() - 1)?)?;
    Ok(())
}
