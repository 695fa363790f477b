//! `jixiao render --workbook FILE.xlsx`: one workbook for the finance bureau.
//!
//! The first sheet, [`SUMMARY_SHEET`] (`汇总`), lists one row per form in input order: the form,
//! its unit, its name, its amounts (numbers, `0.00`), its indicator and warning counts, the
//! file it came from and a link to its sheet. Then one sheet per form, drawn by the single-form
//! writer ([`crate::xlsx::write_sheet`]), so a form looks the same in both workbooks.
//!
//! Each form's sheet is built by the thread that rendered the form ([`Form::new`]); the
//! [`Builder`] only names the sheets (unique, valid for Excel) and assembles them in input
//! order. The workbook's creation time is fixed, so the same inputs give the same bytes.

use std::collections::HashSet;
use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Url, Workbook, Worksheet, XlsxError,
};

use crate::declaration::{Declaration, FormKind};
use crate::layout::Grid;

/// The name of the summary sheet (always the first sheet).
pub const SUMMARY_SHEET: &str = "汇总";

/// Excel's longest sheet name, in UTF-16 code units (what Excel and rust_xlsxwriter count).
pub const MAX_SHEET_NAME: usize = 31;

/// The summary's columns: header and width in characters.
pub const SUMMARY_COLUMNS: [(&str, f64); 13] = [
    ("表单", 30.0),
    ("填报单位", 28.0),
    ("项目/部门名称", 44.0),
    ("年度资金总额/支出合计（万元）", 16.0),
    ("财政拨款（万元）", 14.0),
    ("其他资金（万元）", 14.0),
    ("指标数", 8.0),
    ("警告数", 8.0),
    ("文件", 30.0),
    ("工作表", 30.0),
    ("执行率", 10.0),
    ("总分", 8.0),
    ("等级", 6.0),
];

/// The creation time written into the workbook: fixed, never the clock, so that the same
/// inputs give byte-identical files (a batch has no single date of its own).
const CREATED: (u16, u8, u8) = (2000, 1, 1);

/// One form's row of the `汇总` sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    pub kind: FormKind,
    /// 填报单位 (empty when blank).
    pub unit: String,
    /// 项目名称 or 部门（单位）名称 (empty when blank).
    pub name: String,
    /// Project: 年度资金总额. Department: 当年预算 支出合计.
    pub total: Option<Decimal>,
    /// Project: 财政拨款. Department: 上级财政拨款 + 本级财政安排 (both are fiscal money).
    pub fiscal: Option<Decimal>,
    /// Project: 其他资金 plus any further named sources. Department: 收入 其他.
    pub other: Option<Decimal>,
    /// The number of 三级 indicators.
    pub indicators: usize,
    /// The number of warnings `check` reported for the file.
    pub warnings: usize,
    /// The declaration file, as given on the command line (or found in a folder).
    pub file: String,
    /// A self-evaluation's 执行率 (percent), 总分 and 等级.
    pub scores: Option<(Option<Decimal>, Decimal, &'static str)>,
}

impl SummaryRow {
    /// The summary row of a declaration that had `warnings` warnings.
    pub fn new(decl: &Declaration, warnings: usize, file: &Path) -> SummaryRow {
        let common = decl.common();
        let text = |t: &crate::declaration::Text| t.as_ref().map(|l| l.value.trim().to_string()).unwrap_or_default();
        let (total, fiscal, other) = match decl {
            Declaration::Project(p) => {
                let f = &p.funds;
                let sources = f.sources.iter().map(|s| s.amount.value());
                (f.total.value(), f.fiscal.value(), sum_given(std::iter::once(f.other.value()).chain(sources)))
            }
            Declaration::Department(d) => {
                let b = &d.budget;
                (
                    b.expense.total.value(),
                    sum_given([b.income.superior.value(), b.income.local.value()]),
                    b.income.other.value(),
                )
            }
            Declaration::SelfEval(s) => (s.execution.rows.first().and_then(|r| r.budget.value()), None, None),
        };
        SummaryRow {
            kind: decl.kind(),
            unit: text(&common.unit),
            name: text(&common.name),
            total,
            fiscal,
            other,
            indicators: decl.indicators().count(),
            warnings,
            file: file.display().to_string(),
            scores: match decl {
                Declaration::SelfEval(s) => {
                    let e = crate::selfeval::evaluate::evaluate(s);
                    Some((e.execution.rate, e.total, e.grade))
                }
                _ => None,
            },
        }
    }
}

/// The sum of the amounts given; `None` when none is.
fn sum_given(amounts: impl IntoIterator<Item = Option<Decimal>>) -> Option<Decimal> {
    amounts.into_iter().flatten().reduce(|a, b| a + b)
}

/// One rendered form, ready for the workbook: its summary row and its sheet (not yet named).
pub struct Form {
    pub row: SummaryRow,
    sheet: Worksheet,
}

impl Form {
    /// Builds the form's sheet from its Grid (the expensive part, done by the rendering thread).
    pub fn new(row: SummaryRow, grid: &Grid) -> Result<Form, XlsxError> {
        let mut sheet = Worksheet::new();
        crate::xlsx::write_sheet(&mut sheet, grid)?;
        Ok(Form { row, sheet })
    }
}

/// Assembles the workbook from forms pushed in input order.
#[derive(Default)]
pub struct Builder {
    rows: Vec<(SummaryRow, String)>,
    sheets: Vec<Worksheet>,
    /// Names taken so far, lower-cased (Excel compares sheet names without case).
    taken: HashSet<String>,
}

impl Builder {
    /// An empty workbook (only the `汇总` name is taken).
    pub fn new() -> Builder {
        let mut taken = HashSet::new();
        taken.insert(SUMMARY_SHEET.to_lowercase());
        // Excel reserves `History` for its change tracking.
        taken.insert("history".to_string());
        Builder { rows: Vec::new(), sheets: Vec::new(), taken }
    }

    /// The number of forms pushed.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no form was pushed.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Adds the next form (forms appear in the order pushed); returns its sheet's name.
    pub fn push(&mut self, form: Form) -> Result<String, XlsxError> {
        let Form { row, mut sheet } = form;
        let base = if row.name.is_empty() {
            Path::new(&row.file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
        } else {
            row.name.clone()
        };
        let name = unique_name(&base, self.rows.len() + 1, &mut self.taken);
        sheet.set_name(&name)?;
        self.sheets.push(sheet);
        self.rows.push((row, name.clone()));
        Ok(name)
    }

    /// The workbook: `汇总`, then every form's sheet in the order pushed.
    pub fn build(self) -> Result<Workbook, XlsxError> {
        let mut workbook = Workbook::new();
        let created = ExcelDateTime::from_ymd(CREATED.0, CREATED.1, CREATED.2)?;
        workbook.set_properties(
            &DocProperties::new().set_title("绩效目标申报表汇总").set_creation_datetime(&created),
        );
        let mut summary = Worksheet::new();
        summary_sheet(&mut summary, &self.rows)?;
        summary.set_active(true);
        workbook.push_worksheet(summary);
        for sheet in self.sheets {
            workbook.push_worksheet(sheet);
        }
        Ok(workbook)
    }

    /// Writes the workbook to `target` atomically: a temporary file in the same folder, synced,
    /// then renamed over the target (removed on any failure), as every output of a render is.
    pub fn save(self, target: &Path) -> Result<(), SaveError> {
        let mut workbook = self.build().map_err(SaveError::Xlsx)?;
        // Straight to the file: a workbook of thousands of sheets never sits in memory twice.
        crate::output::write_atomically_with(target, |file| workbook.save_to_writer(file).map_err(SaveError::Xlsx))
    }
}

impl From<std::io::Error> for SaveError {
    fn from(e: std::io::Error) -> Self {
        SaveError::Io(e)
    }
}

/// Why the workbook could not be written.
#[derive(Debug)]
pub enum SaveError {
    /// The file could not be created, written or renamed.
    Io(std::io::Error),
    /// The workbook could not be assembled.
    Xlsx(XlsxError),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::Io(e) => write!(f, "{e}"),
            SaveError::Xlsx(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SaveError {}

/// The length Excel counts in a sheet name.
fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// `text` cut to at most `max` UTF-16 units (never inside a character).
fn cut(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in text.chars() {
        len += c.len_utf16();
        if len > max {
            break;
        }
        out.push(c);
    }
    out
}

/// A sheet name for `base` that Excel accepts and that no earlier sheet has: without
/// `[]:*?/\`, apostrophes or control characters, at most 31 units, not blank; a repeated name
/// gets ` (2)`, ` (3)` … (the base shortened to make room). `ordinal` names a blank base.
pub fn unique_name(base: &str, ordinal: usize, taken: &mut HashSet<String>) -> String {
    let clean: String = base
        .chars()
        .map(|c| if c.is_control() || c.is_whitespace() { ' ' } else { c })
        // An apostrophe is allowed inside a name but not at its ends; links quote names with
        // it, so it is simpler never to have one.
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\''))
        .collect();
    let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean = if clean.is_empty() { format!("表{ordinal}") } else { clean };
    let mut name = cut(&clean, MAX_SHEET_NAME).trim_end().to_string();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = format!("{}{suffix}", cut(&clean, MAX_SHEET_NAME - utf16_len(&suffix)).trim_end());
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

fn to_f64(v: Decimal) -> f64 {
    v.to_f64().unwrap_or(0.0)
}

/// The widest the 填报单位, name and 文件 columns grow (characters); longer texts wrap.
const MAX_TEXT_COLUMN: f64 = 60.0;

/// The 汇总 columns' widths in characters: the number columns as [`SUMMARY_COLUMNS`] says; the
/// text columns as wide as their widest text (a column `w` characters wide holds `w / 2` em of
/// 10.5 pt text), up to [`MAX_TEXT_COLUMN`]; the 工作表 column always wide enough for its
/// links, so no link text runs past the table (a sheet name has at most 31 characters).
fn summary_widths(rows: &[(SummaryRow, String)]) -> [f64; SUMMARY_COLUMNS.len()] {
    let mut widths = SUMMARY_COLUMNS.map(|(_, w)| w);
    let chars = |t: &str| (crate::metrics::width_em(t) * 2.0 + 2.0).ceil();
    let texts = |col: usize, row: &SummaryRow, sheet: &str| -> String {
        match col {
            0 => row.kind.title().to_string(),
            1 => row.unit.clone(),
            2 => row.name.clone(),
            8 => row.file.clone(),
            _ => sheet.to_string(),
        }
    };
    for col in [0, 1, 2, 8, 9] {
        let widest = rows.iter().map(|(row, sheet)| chars(&texts(col, row, sheet))).fold(10.0_f64, f64::max);
        widths[col] = if col == 9 { widest } else { widest.min(MAX_TEXT_COLUMN) };
    }
    widths
}

fn summary_sheet(sheet: &mut Worksheet, rows: &[(SummaryRow, String)]) -> Result<(), XlsxError> {
    use crate::xlsx::{BODY_FONT, BODY_PT, HEADING_FONT};
    sheet.set_name(SUMMARY_SHEET)?;
    let head = Format::new()
        .set_font_name(HEADING_FONT)
        .set_font_size(BODY_PT)
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let base = Format::new().set_font_name(BODY_FONT).set_font_size(BODY_PT).set_border(FormatBorder::Thin);
    // Text stays text even when it looks like a number, a date or a formula.
    let text = base.clone().set_num_format("@");
    let money = base.clone().set_num_format("0.00");
    let count = base.clone().set_num_format("0");
    let link = text.clone().set_font_color(rust_xlsxwriter::Color::Blue).set_underline(rust_xlsxwriter::FormatUnderline::Single);
    let widths = summary_widths(rows);
    for (col, (name, _)) in SUMMARY_COLUMNS.iter().enumerate() {
        sheet.set_column_width(col as u16, widths[col])?;
        sheet.write_string_with_format(0, col as u16, *name, &head)?;
    }
    sheet.set_row_height(0, 30.0)?;
    // Texts wider than their column's cap wrap, and their row is as tall as they need.
    let text = text.set_text_wrap().set_align(FormatAlign::VerticalCenter);
    for (i, (row, sheet_name)) in rows.iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        let height = [(1, &row.unit), (2, &row.name), (8, &row.file)]
            .iter()
            .map(|(col, t)| crate::xlsx::text_height(t, widths[*col] * 5.25, BODY_PT, false))
            .fold(16.0_f64, f64::max)
            .min(crate::xlsx::MAX_ROW_PT);
        sheet.set_row_height(r, (height * 4.0).ceil() / 4.0)?;
        sheet.write_string_with_format(r, 0, row.kind.title(), &text)?;
        sheet.write_string_with_format(r, 1, &row.unit, &text)?;
        sheet.write_string_with_format(r, 2, &row.name, &text)?;
        for (col, amount) in [(3, row.total), (4, row.fiscal), (5, row.other)] {
            match amount {
                Some(v) => sheet.write_number_with_format(r, col, to_f64(v), &money)?,
                None => sheet.write_blank(r, col, &money)?,
            };
        }
        sheet.write_number_with_format(r, 6, row.indicators as f64, &count)?;
        sheet.write_number_with_format(r, 7, row.warnings as f64, &count)?;
        sheet.write_string_with_format(r, 8, &row.file, &text)?;
        // Sheet names never hold an apostrophe (see `unique_name`), so quoting is enough.
        let url = Url::new(format!("internal:'{sheet_name}'!A1")).set_text(sheet_name);
        sheet.write_url_with_format(r, 9, url, &link)?;
        if let Some((rate, total, grade)) = row.scores {
            let percent = money.clone().set_num_format("0.00%");
            match rate {
                Some(v) => sheet.write_number_with_format(r, 10, to_f64(v / Decimal::ONE_HUNDRED), &percent)?,
                None => sheet.write_blank(r, 10, &money)?,
            };
            sheet.write_number_with_format(r, 11, to_f64(total), &money)?;
            sheet.write_string_with_format(r, 12, grade, &text)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last = u32::try_from(rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    sheet.autofilter(0, 0, last, (SUMMARY_COLUMNS.len() - 1) as u16)?;
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(bases: &[&str]) -> Vec<String> {
        let mut taken = HashSet::new();
        taken.insert(SUMMARY_SHEET.to_lowercase());
        bases.iter().enumerate().map(|(i, b)| unique_name(b, i + 1, &mut taken)).collect()
    }

    #[test]
    fn sheet_names_are_valid_unique_and_short_enough() {
        let long = "柴桑区行政审批局2023年新开办企业免费刻章业务经费项目支出绩效目标申报表";
        let got = names(&[long, long, long, "a[b]:c*d?e/f\\g'h", "", "汇总", "Abc", "aBC", "x\ny"]);
        assert_eq!(got[0], cut(long, 31));
        assert_eq!(utf16_len(&got[0]), 31);
        assert!(got[1].ends_with(" (2)") && utf16_len(&got[1]) <= 31, "{}", got[1]);
        assert!(got[2].ends_with(" (3)"), "{}", got[2]);
        assert_eq!(got[3], "abcdefgh");
        assert_eq!(got[4], "表5");
        assert_eq!(got[5], "汇总 (2)");
        assert_eq!(got[6], "Abc");
        // Excel compares names without case.
        assert_eq!(got[7], "aBC (2)");
        assert_eq!(got[8], "x y");
        let mut seen = HashSet::new();
        for n in &got {
            assert!(seen.insert(n.to_lowercase()), "duplicate {n}");
            let mut ws = Worksheet::new();
            assert!(ws.set_name(n).is_ok(), "rust_xlsxwriter refuses {n:?}");
        }
    }

    #[test]
    fn summary_text_columns_fit_their_paths_and_links() {
        let row = |file: &str| SummaryRow {
            kind: FormKind::Project,
            unit: "柴桑区行政审批局".into(),
            name: "项目".into(),
            total: None,
            fiscal: None,
            other: None,
            indicators: 1,
            warnings: 0,
            file: file.into(),
            scores: None,
        };
        let path = "申报/2024/柴桑区/行政审批局/chaisang-2023-project.yaml";
        let sheet = "柴桑区行政审批局2023年新开办企业免费刻章业务"; // 25 characters
        let widths = summary_widths(&[(row(path), sheet.into())]);
        // A column w characters wide holds w / 2 em of the body text: the path and the link fit.
        assert!(widths[8] >= crate::metrics::width_em(path) * 2.0, "{widths:?}");
        assert!(widths[9] >= crate::metrics::width_em(sheet) * 2.0, "{widths:?}");
        // A path longer than the cap wraps instead of widening the sheet without end.
        let long = "很长的文件夹/".repeat(30) + "x.yaml";
        let widths = summary_widths(&[(row(&long), "x".into())]);
        assert_eq!(widths[8], MAX_TEXT_COLUMN);
        // The number columns keep their widths.
        assert_eq!(widths[3], SUMMARY_COLUMNS[3].1);
    }

    #[test]
    fn names_never_split_a_surrogate_pair() {
        // 31 units: 15 astral characters are 30 units; the 16th would make 32.
        let base: String = std::iter::repeat_n('𠀀', 20).collect();
        let got = names(&[&base]);
        assert_eq!(got[0].chars().count(), 15);
        assert!(utf16_len(&got[0]) <= 31);
    }
}
