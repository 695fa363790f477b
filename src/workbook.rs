//! `jixiao render --workbook FILE.xlsx` (and `jixiao check --format xlsx`): one workbook for the
//! finance bureau, accounting for every input file of the batch.
//!
//! - [`SUMMARY_SHEET`] (`汇总`, always first): one row per input file in input order, failed and
//!   unreadable ones too: the form, its unit, its name, its amounts (numbers, `0.00`), its
//!   indicator and warning counts, the file it came from and a link to its sheet (forms that
//!   rendered), a self-evaluation's 执行率, 总分 and 等级, then its status, error count and first
//!   error.
//! - [`DETAIL_SHEET`] (`指标明细`): every indicator of every rendered form, one row each, with the
//!   file, unit, name, year, form and layout beside it and the 指标值 split into comparator,
//!   number (a number cell), unit and the text as printed, so a bureau can filter and pivot
//!   indicators across forms; a self-evaluation's rows also carry 实际完成值, 分值 and 得分.
//! - [`DIAGNOSTICS_SHEET`] (`诊断`): every diagnostic of the batch (file, line, column, severity,
//!   code, message).
//! - Then one sheet per rendered form, drawn by the single-form writer
//!   ([`crate::xlsx::write_sheet`]), so a form looks the same in both workbooks.
//!
//! Each form's [`Entry`] (its sheet the expensive part) is built by the thread that rendered
//! the form; the [`Builder`] writes its rows as it is pushed, names the sheets (unique, valid for
//! Excel) and assembles them in input order. The workbook's creation time is fixed, so the same
//! inputs give the same bytes.

use std::collections::HashSet;
use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Url, Workbook, Worksheet,
    XlsxError,
};

use crate::check::Checked;
use crate::declaration::{Declaration, FormKind};
use crate::diagnostic::{Lang, Severity};
use crate::layout::{Grid, IndicatorRow};

/// The name of the summary sheet (always the first sheet).
pub const SUMMARY_SHEET: &str = "汇总";

/// The name of the batch's indicator sheet (as the single-form workbook names its own).
pub const DETAIL_SHEET: &str = crate::xlsx::DETAIL_SHEET;

/// The name of the sheet listing every diagnostic.
pub const DIAGNOSTICS_SHEET: &str = "诊断";

/// Excel's longest sheet name, in UTF-16 code units (what Excel and rust_xlsxwriter count).
pub const MAX_SHEET_NAME: usize = 31;

/// The summary's columns: header and width in characters.
pub const SUMMARY_COLUMNS: [(&str, f64); 16] = [
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
    ("状态", 12.0),
    ("错误数", 8.0),
    ("首个错误", 80.0),
];

/// The columns of [`DETAIL_SHEET`]: header and width in characters (a self-evaluation's
/// results in the last three, blank for target forms).
pub const DETAIL_COLUMNS: [(&str, f64); 19] = [
    ("文件", 30.0),
    ("填报单位", 24.0),
    ("项目/部门名称", 36.0),
    ("年度", 8.0),
    ("表单", 14.0),
    ("版式", 14.0),
    ("一级指标", 12.0),
    ("二级指标", 18.0),
    ("三级指标", 40.0),
    ("比较符", 8.0),
    ("数值", 12.0),
    ("度量单位", 10.0),
    ("指标值（印出）", 16.0),
    ("权重", 8.0),
    ("指标方向性", 10.0),
    ("原文", 16.0),
    ("实际完成值", 18.0),
    ("分值", 8.0),
    ("得分", 8.0),
];

/// The columns of [`DIAGNOSTICS_SHEET`]: header and width in characters.
pub const DIAGNOSTIC_COLUMNS: [(&str, f64); 6] = [
    ("文件", 36.0),
    ("行", 6.0),
    ("列", 6.0),
    ("级别", 8.0),
    ("代码", 22.0),
    ("消息", 100.0),
];

/// The creation time written into the workbook: fixed, never the clock, so that the same
/// inputs give byte-identical files (a batch has no single date of its own).
const CREATED: (u16, u8, u8) = (2000, 1, 1);

/// What became of one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Checked without error and every output written.
    Rendered,
    /// Checked without error (`jixiao check`: nothing was to be rendered).
    Passed,
    /// Read, but with errors: nothing written.
    Errors,
    /// Could not be read at all (an `input.*` diagnostic).
    Unreadable,
    /// Checked without error, but an output could not be made or written.
    Failed,
}

impl Status {
    /// The word in the 状态 column.
    pub fn label(self) -> &'static str {
        match self {
            Status::Rendered => "已生成",
            Status::Passed => "通过",
            Status::Errors => "有错误",
            Status::Unreadable => "无法读取",
            Status::Failed => "生成失败",
        }
    }

    /// The status of a checked file, before any output is attempted.
    pub fn of(checked: &Checked, rendered: bool) -> Status {
        if checked.unread() {
            Status::Unreadable
        } else if checked.has_errors() {
            Status::Errors
        } else if rendered {
            Status::Rendered
        } else {
            Status::Passed
        }
    }
}

/// One input file's row of the `汇总` sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// The form, when the file could be read as one.
    pub kind: Option<FormKind>,
    /// 填报单位 (empty when blank).
    pub unit: String,
    /// 项目名称 or 部门（单位）名称 (empty when blank).
    pub name: String,
    /// 年度, when given.
    pub year: Option<u16>,
    /// The layout the form was laid out with (the 版式 column of 指标明细: the Grid's, a
    /// built-in id or a definition file); empty when it was not laid out.
    pub layout: String,
    /// Project: 年度资金总额. Department: 当年预算 支出合计.
    pub total: Option<Decimal>,
    /// Project: 财政拨款. Department: 上级财政拨款 + 本级财政安排 (both are fiscal money).
    pub fiscal: Option<Decimal>,
    /// Project: 其他资金 plus any further named sources. Department: 收入 其他.
    pub other: Option<Decimal>,
    /// The number of 三级 indicators.
    pub indicators: usize,
    /// The number of errors and of warnings `check` reported for the file.
    pub errors: usize,
    pub warnings: usize,
    pub status: Status,
    /// The first error, `line:column code message` (or what stopped an output); empty if none.
    pub first_error: String,
    /// The declaration file, as given on the command line (or found in a folder).
    pub file: String,
    /// A self-evaluation's 执行率 (percent), 总分 and 等级.
    pub scores: Option<(Option<Decimal>, Decimal, &'static str)>,
}

impl SummaryRow {
    /// The summary row of a checked file, in `status`, its messages in `lang`.
    pub fn new(checked: &Checked, status: Status, lang: Lang) -> SummaryRow {
        let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
        let first_error = checked
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .map(|d| {
                format!(
                    "{}:{} {} {}",
                    d.loc.line,
                    d.loc.column,
                    d.code,
                    d.message(lang)
                )
            })
            .unwrap_or_default();
        let mut row = SummaryRow {
            kind: None,
            unit: String::new(),
            name: String::new(),
            year: None,
            layout: String::new(),
            total: None,
            fiscal: None,
            other: None,
            indicators: 0,
            errors,
            warnings: checked.warnings(),
            status,
            first_error,
            file: checked.path.display().to_string(),
            scores: None,
        };
        if let Some(decl) = &checked.declaration {
            row.fill(decl);
        }
        row
    }

    /// The columns that come from the declaration.
    fn fill(&mut self, decl: &Declaration) {
        let text = |t: &crate::declaration::Text| {
            t.as_ref()
                .map(|l| l.value.trim().to_string())
                .unwrap_or_default()
        };
        (self.total, self.fiscal, self.other) = match decl {
            Declaration::Project(p) => {
                let f = &p.funds;
                let sources = f.sources.iter().map(|s| s.amount.value());
                (
                    f.total.value(),
                    f.fiscal.value(),
                    sum_given(std::iter::once(f.other.value()).chain(sources)),
                )
            }
            Declaration::Department(d) => {
                let b = &d.budget;
                (
                    b.expense.total.value(),
                    sum_given([b.income.superior.value(), b.income.local.value()]),
                    b.income.other.value(),
                )
            }
            Declaration::SelfEval(s) => (
                s.execution.rows.first().and_then(|r| r.budget.value()),
                None,
                None,
            ),
        };
        if let Declaration::SelfEval(s) = decl {
            let e = crate::selfeval::evaluate::evaluate(s);
            self.scores = Some((e.execution.rate, e.total, e.grade));
        }
        self.kind = Some(decl.kind());
        // A self-evaluation's name, unit and year are its target's unless it gives its own.
        self.unit = text(decl.unit());
        self.name = text(decl.name());
        self.year = decl.year();
        self.indicators = decl.indicators().count();
    }

    /// The row of a file whose outputs failed after it was checked: `message` says why.
    pub fn output_failed(mut self, message: &str) -> SummaryRow {
        self.status = Status::Failed;
        if self.first_error.is_empty() {
            self.first_error = message.to_string();
        }
        self
    }
}

/// The sum of the amounts given; `None` when none is.
fn sum_given(amounts: impl IntoIterator<Item = Option<Decimal>>) -> Option<Decimal> {
    amounts.into_iter().flatten().reduce(|a, b| a + b)
}

/// One diagnostic as the 诊断 sheet lists it.
#[derive(Debug, Clone, PartialEq)]
struct DiagnosticRow {
    line: u32,
    column: u32,
    severity: Severity,
    code: &'static str,
    message: String,
}

/// One input file, ready for the workbook: its summary row, its diagnostics, and for a rendered
/// form its sheet (not yet named) and its indicators.
pub struct Entry {
    pub row: SummaryRow,
    sheet: Option<Worksheet>,
    indicators: Vec<IndicatorRow>,
    diagnostics: Vec<DiagnosticRow>,
}

impl Entry {
    /// The entry of a checked file; `grid`: the form rendered, its sheet is built (the
    /// expensive part, done by the rendering thread) and its indicators listed.
    pub fn new(
        checked: &Checked,
        status: Status,
        grid: Option<&Grid>,
        lang: Lang,
    ) -> Result<Entry, XlsxError> {
        let sheet = match grid {
            Some(grid) => {
                let mut sheet = Worksheet::new();
                crate::xlsx::write_sheet(&mut sheet, grid)?;
                Some(sheet)
            }
            None => None,
        };
        let diagnostics = checked
            .diagnostics
            .iter()
            .map(|d| DiagnosticRow {
                line: d.loc.line,
                column: d.loc.column,
                severity: d.severity,
                code: d.code.as_str(),
                message: d.message(lang).to_string(),
            })
            .collect();
        let mut row = SummaryRow::new(checked, status, lang);
        if let Some(grid) = grid {
            row.layout = grid.layout.clone();
        }
        Ok(Entry {
            row,
            sheet,
            indicators: grid.map(|g| g.indicators.clone()).unwrap_or_default(),
            diagnostics,
        })
    }

    /// The entry of a file that was not rendered for a reason of the batch's, not of its
    /// content (its name clashes with another's, an internal error): `message` says why.
    pub fn not_rendered(file: &Path, message: &str, lang: Lang) -> Entry {
        let checked = Checked {
            path: file.to_path_buf(),
            text: String::new(),
            declaration: None,
            diagnostics: Vec::new(),
            cells: None,
        };
        let row = SummaryRow::new(&checked, Status::Failed, lang).output_failed(message);
        Entry {
            row,
            sheet: None,
            indicators: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// The entry of a file whose outputs failed after it was checked: no sheet, no indicators.
    pub fn output_failed(self, message: &str) -> Entry {
        Entry {
            row: self.row.output_failed(message),
            sheet: None,
            indicators: Vec::new(),
            ..self
        }
    }
}

/// The cell formats of the batch sheets.
struct Formats {
    head: Format,
    text: Format,
    /// Text that wraps in its column (the 汇总 columns capped at [`MAX_TEXT_COLUMN`]).
    wrapped: Format,
    percent: Format,
    money: Format,
    count: Format,
    number: Format,
    link: Format,
}

impl Formats {
    fn new() -> Formats {
        use crate::xlsx::{BODY_FONT, BODY_PT, HEADING_FONT};
        let head = Format::new()
            .set_font_name(HEADING_FONT)
            .set_font_size(BODY_PT)
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let base = Format::new()
            .set_font_name(BODY_FONT)
            .set_font_size(BODY_PT)
            .set_border(FormatBorder::Thin);
        // Text stays text even when it looks like a number, a date or a formula.
        let text = base.clone().set_num_format("@");
        let link = text
            .clone()
            .set_font_color(rust_xlsxwriter::Color::Blue)
            .set_underline(rust_xlsxwriter::FormatUnderline::Single);
        Formats {
            head,
            wrapped: text
                .clone()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            percent: base.clone().set_num_format("0.00%"),
            money: base.clone().set_num_format("0.00"),
            count: base.clone().set_num_format("0"),
            // A target's number as written: as many decimals as it has.
            number: base.set_num_format("General"),
            text,
            link,
        }
    }
}

/// A sheet of the batch (汇总, 指标明细, 诊断) being filled row by row.
struct Table {
    sheet: Worksheet,
    /// Rows written below the header.
    rows: u32,
    columns: u16,
}

impl Table {
    fn new(name: &str, columns: &[(&str, f64)], formats: &Formats) -> Result<Table, XlsxError> {
        let mut sheet = Worksheet::new();
        sheet.set_name(name)?;
        for (col, (header, width)) in columns.iter().enumerate() {
            let col = col as u16;
            sheet.set_column_width(col, *width)?;
            sheet.write_string_with_format(0, col, *header, &formats.head)?;
        }
        sheet.set_row_height(0, 30.0)?;
        sheet.set_freeze_panes(1, 0)?;
        sheet.set_paper_size(9);
        sheet.set_landscape();
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(0, 0)?;
        Ok(Table {
            sheet,
            rows: 0,
            columns: columns.len() as u16,
        })
    }

    /// The sheet row of the next data row.
    fn next(&mut self) -> Result<u32, XlsxError> {
        self.rows = self
            .rows
            .checked_add(1)
            .ok_or(XlsxError::RowColumnLimitError)?;
        Ok(self.rows)
    }

    /// The finished sheet, with a filter over its rows.
    fn finish(mut self) -> Result<Worksheet, XlsxError> {
        self.sheet.autofilter(0, 0, self.rows, self.columns - 1)?;
        Ok(self.sheet)
    }
}

/// Writes `value` as a number cell, or a blank cell with the same format.
fn number_or_blank(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Decimal>,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        Some(v) => sheet.write_number_with_format(row, col, to_f64(v), format)?,
        None => sheet.write_blank(row, col, format)?,
    };
    Ok(())
}

/// Assembles the workbook from entries pushed in input order.
pub struct Builder {
    formats: Formats,
    summary: Table,
    /// `None`: the workbook of `jixiao check`, which renders nothing.
    details: Option<Table>,
    diagnostics: Table,
    sheets: Vec<Worksheet>,
    /// Names taken so far, lower-cased (Excel compares sheet names without case).
    taken: HashSet<String>,
    lang: Lang,
    /// The 汇总 columns' widths so far (see [`SummaryWidths`]), set when the workbook is built.
    widths: SummaryWidths,
}

impl Builder {
    /// An empty workbook of a render: 汇总, 指标明细 and 诊断, then the forms' sheets.
    pub fn new(lang: Lang) -> Builder {
        Builder::with_details(true, lang)
    }

    /// An empty workbook of `jixiao check`: 汇总 and 诊断 only.
    pub fn diagnostics_only(lang: Lang) -> Builder {
        Builder::with_details(false, lang)
    }

    fn with_details(details: bool, lang: Lang) -> Builder {
        let formats = Formats::new();
        let table = |name, columns| {
            Table::new(name, columns, &formats)
                .expect("the batch sheets' fixed names and headers are valid")
        };
        let summary = table(SUMMARY_SHEET, &SUMMARY_COLUMNS);
        let details = details.then(|| table(DETAIL_SHEET, &DETAIL_COLUMNS));
        let diagnostics = table(DIAGNOSTICS_SHEET, &DIAGNOSTIC_COLUMNS);
        let mut taken = HashSet::new();
        for name in [SUMMARY_SHEET, DETAIL_SHEET, DIAGNOSTICS_SHEET] {
            taken.insert(name.to_lowercase());
        }
        // Excel reserves `History` for its change tracking.
        taken.insert("history".to_string());
        Builder {
            formats,
            summary,
            details,
            diagnostics,
            sheets: Vec::new(),
            taken,
            lang,
            widths: SummaryWidths::new(),
        }
    }

    /// The number of form sheets (rendered forms) pushed.
    pub fn forms(&self) -> usize {
        self.sheets.len()
    }

    /// Adds the next file (rows appear in the order pushed); returns its sheet's name, if it
    /// has a sheet.
    pub fn push(&mut self, entry: Entry) -> Result<Option<String>, XlsxError> {
        let Entry {
            row,
            sheet,
            indicators,
            diagnostics,
        } = entry;
        let name = match sheet {
            Some(mut sheet) => {
                let base = if row.name.is_empty() {
                    Path::new(&row.file)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default()
                } else {
                    row.name.clone()
                };
                let name = unique_name(&base, self.sheets.len() + 1, &mut self.taken);
                sheet.set_name(&name)?;
                self.sheets.push(sheet);
                Some(name)
            }
            None => None,
        };
        self.summary_row(&row, name.as_deref())?;
        if let Some(details) = &mut self.details {
            detail_rows(details, &self.formats, &row, &indicators)?;
        }
        let (f, lang) = (&self.formats, self.lang);
        let t = &mut self.diagnostics;
        for d in &diagnostics {
            let r = t.next()?;
            t.sheet.write_string_with_format(r, 0, &row.file, &f.text)?;
            t.sheet
                .write_number_with_format(r, 1, d.line as f64, &f.count)?;
            t.sheet
                .write_number_with_format(r, 2, d.column as f64, &f.count)?;
            let severity = match (lang, d.severity) {
                (Lang::Zh, Severity::Error) => "错误",
                (Lang::Zh, Severity::Warning) => "警告",
                (Lang::En, s) => s.as_str(),
            };
            t.sheet.write_string_with_format(r, 3, severity, &f.text)?;
            t.sheet.write_string_with_format(r, 4, d.code, &f.text)?;
            t.sheet
                .write_string_with_format(r, 5, &d.message, &f.text)?;
        }
        Ok(name)
    }

    fn summary_row(&mut self, row: &SummaryRow, sheet_name: Option<&str>) -> Result<(), XlsxError> {
        let f = &self.formats;
        let t = &mut self.summary;
        let r = t.next()?;
        let s = &mut t.sheet;
        let height = self.widths.add(row, sheet_name.unwrap_or_default());
        s.set_row_height(r, height)?;
        s.write_string_with_format(r, 0, row.kind.map_or("", FormKind::title), &f.wrapped)?;
        s.write_string_with_format(r, 1, &row.unit, &f.wrapped)?;
        s.write_string_with_format(r, 2, &row.name, &f.wrapped)?;
        for (col, amount) in [(3, row.total), (4, row.fiscal), (5, row.other)] {
            number_or_blank(s, r, col, amount, &f.money)?;
        }
        number_or_blank(
            s,
            r,
            6,
            row.kind.map(|_| Decimal::from(row.indicators)),
            &f.count,
        )?;
        number_or_blank(s, r, 7, Some(Decimal::from(row.warnings)), &f.count)?;
        s.write_string_with_format(r, 8, &row.file, &f.wrapped)?;
        match sheet_name {
            // Sheet names never hold an apostrophe (see `unique_name`), so quoting is enough.
            Some(name) => {
                let url = Url::new(format!("internal:'{name}'!A1")).set_text(name);
                s.write_url_with_format(r, 9, url, &f.link)?;
            }
            None => {
                s.write_blank(r, 9, &f.text)?;
            }
        }
        if let Some((rate, total, grade)) = row.scores {
            number_or_blank(s, r, 10, rate.map(|v| v / Decimal::ONE_HUNDRED), &f.percent)?;
            number_or_blank(s, r, 11, Some(total), &f.money)?;
            s.write_string_with_format(r, 12, grade, &f.text)?;
        } else {
            for col in 10..=12 {
                s.write_blank(r, col, &f.text)?;
            }
        }
        s.write_string_with_format(r, 13, row.status.label(), &f.text)?;
        number_or_blank(s, r, 14, Some(Decimal::from(row.errors)), &f.count)?;
        s.write_string_with_format(r, 15, &row.first_error, &f.wrapped)?;
        Ok(())
    }

    /// The workbook: `汇总`, `指标明细` (a render's), `诊断`, then every form's sheet in the
    /// order pushed.
    pub fn build(self) -> Result<Workbook, XlsxError> {
        let mut workbook = Workbook::new();
        let created = ExcelDateTime::from_ymd(CREATED.0, CREATED.1, CREATED.2)?;
        let title = if self.details.is_some() {
            "绩效目标申报表汇总"
        } else {
            "绩效目标申报表检查结果"
        };
        workbook.set_properties(
            &DocProperties::new()
                .set_title(title)
                .set_creation_datetime(&created),
        );
        let mut summary = self.summary.finish()?;
        for (col, width) in self.widths.widths.iter().enumerate() {
            summary.set_column_width(col as u16, *width)?;
        }
        summary.set_active(true);
        workbook.push_worksheet(summary);
        if let Some(details) = self.details {
            workbook.push_worksheet(details.finish()?);
        }
        workbook.push_worksheet(self.diagnostics.finish()?);
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
        crate::output::write_atomically_with(target, |file| {
            workbook.save_to_writer(file).map_err(SaveError::Xlsx)
        })
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

/// The 指标明细 rows of one rendered form.
fn detail_rows(
    t: &mut Table,
    f: &Formats,
    row: &SummaryRow,
    indicators: &[IndicatorRow],
) -> Result<(), XlsxError> {
    for ind in indicators {
        let r = t.next()?;
        let s = &mut t.sheet;
        s.write_string_with_format(r, 0, &row.file, &f.text)?;
        s.write_string_with_format(r, 1, &row.unit, &f.text)?;
        s.write_string_with_format(r, 2, &row.name, &f.text)?;
        number_or_blank(s, r, 3, row.year.map(Decimal::from), &f.count)?;
        s.write_string_with_format(r, 4, row.kind.map_or("", FormKind::key), &f.text)?;
        s.write_string_with_format(r, 5, &row.layout, &f.text)?;
        s.write_string_with_format(r, 6, &ind.level1, &f.text)?;
        s.write_string_with_format(r, 7, &ind.level2, &f.text)?;
        s.write_string_with_format(r, 8, &ind.name, &f.text)?;
        s.write_string_with_format(r, 9, &ind.nature, &f.text)?;
        number_or_blank(s, r, 10, ind.number, &f.number)?;
        s.write_string_with_format(r, 11, &ind.unit, &f.text)?;
        s.write_string_with_format(r, 12, &ind.value, &f.text)?;
        number_or_blank(s, r, 13, ind.weight, &f.number)?;
        s.write_string_with_format(r, 14, &ind.direction, &f.text)?;
        s.write_string_with_format(r, 15, &ind.written, &f.text)?;
        match &ind.result {
            Some(res) => {
                s.write_string_with_format(r, 16, &res.actual, &f.text)?;
                number_or_blank(s, r, 17, res.points, &f.number)?;
                number_or_blank(s, r, 18, res.score, &f.number)?;
            }
            None => {
                for col in 16..=18 {
                    s.write_blank(r, col, &f.text)?;
                }
            }
        }
    }
    Ok(())
}

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
        .map(|c| {
            if c.is_control() || c.is_whitespace() {
                ' '
            } else {
                c
            }
        })
        // An apostrophe is allowed inside a name but not at its ends; links quote names with
        // it, so it is simpler never to have one.
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\''))
        .collect();
    let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean = if clean.is_empty() {
        format!("表{ordinal}")
    } else {
        clean
    };
    let mut name = cut(&clean, MAX_SHEET_NAME).trim_end().to_string();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = format!(
            "{}{suffix}",
            cut(&clean, MAX_SHEET_NAME - utf16_len(&suffix)).trim_end()
        );
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

fn to_f64(v: Decimal) -> f64 {
    v.to_f64().unwrap_or(0.0)
}

/// The widest the 填报单位, name, 文件 and 首个错误 columns grow (characters); longer texts wrap.
const MAX_TEXT_COLUMN: f64 = 60.0;

/// The 汇总 columns' widths in characters, grown row by row as rows are written: the number
/// columns as [`SUMMARY_COLUMNS`] says; the text columns as wide as their widest text (a column
/// `w` characters wide holds `w / 2` em of 10.5 pt text), up to [`MAX_TEXT_COLUMN`]; the 工作表
/// column always wide enough for its links, so no link text runs past the table (a sheet name
/// has at most 31 characters).
struct SummaryWidths {
    widths: [f64; SUMMARY_COLUMNS.len()],
}

/// The text columns whose width follows their texts, and whether they are capped.
const FITTED: [(usize, bool); 6] = [
    (0, true),
    (1, true),
    (2, true),
    (8, true),
    (9, false),
    (15, true),
];

impl SummaryWidths {
    fn new() -> SummaryWidths {
        let mut widths = SUMMARY_COLUMNS.map(|(_, w)| w);
        for (col, _) in FITTED {
            widths[col] = 10.0;
        }
        SummaryWidths { widths }
    }

    /// Widens the columns for `row` and returns the row's height in points: a text longer than
    /// its column's cap wraps, and its row is as tall as it needs. (A text within the cap fits
    /// on one line, whatever later rows do: columns only grow.)
    fn add(&mut self, row: &SummaryRow, sheet: &str) -> f64 {
        use crate::xlsx::{BODY_PT, MAX_ROW_PT, text_height};
        let chars = |t: &str| (crate::metrics::width_em(t) * 2.0 + 2.0).ceil();
        let mut height = 16.0_f64;
        for (col, capped) in FITTED {
            let text = match col {
                0 => row.kind.map_or("", FormKind::title),
                1 => &row.unit,
                2 => &row.name,
                8 => &row.file,
                9 => sheet,
                _ => &row.first_error,
            };
            let wanted = chars(text);
            let width = if capped {
                wanted.min(MAX_TEXT_COLUMN)
            } else {
                wanted
            };
            self.widths[col] = self.widths[col].max(width);
            if capped && wanted > MAX_TEXT_COLUMN {
                height = height.max(text_height(text, MAX_TEXT_COLUMN * 5.25, BODY_PT, false));
            }
        }
        (height.min(MAX_ROW_PT) * 4.0).ceil() / 4.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(bases: &[&str]) -> Vec<String> {
        let mut taken = HashSet::new();
        taken.insert(SUMMARY_SHEET.to_lowercase());
        bases
            .iter()
            .enumerate()
            .map(|(i, b)| unique_name(b, i + 1, &mut taken))
            .collect()
    }

    #[test]
    fn sheet_names_are_valid_unique_and_short_enough() {
        let long = "柴桑区行政审批局2023年新开办企业免费刻章业务经费项目支出绩效目标申报表";
        let got = names(&[
            long,
            long,
            long,
            "a[b]:c*d?e/f\\g'h",
            "",
            "汇总",
            "Abc",
            "aBC",
            "x\ny",
        ]);
        assert_eq!(got[0], cut(long, 31));
        assert_eq!(utf16_len(&got[0]), 31);
        assert!(
            got[1].ends_with(" (2)") && utf16_len(&got[1]) <= 31,
            "{}",
            got[1]
        );
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
            kind: Some(FormKind::Project),
            unit: "柴桑区行政审批局".into(),
            name: "项目".into(),
            year: Some(2023),
            layout: "chaisang-2023".into(),
            total: None,
            fiscal: None,
            other: None,
            indicators: 1,
            errors: 0,
            warnings: 0,
            status: Status::Rendered,
            first_error: String::new(),
            file: file.into(),
            scores: None,
        };
        let path = "申报/2024/柴桑区/行政审批局/chaisang-2023-project.yaml";
        let sheet = "柴桑区行政审批局2023年新开办企业免费刻章业务"; // 25 characters
        let mut widths = SummaryWidths::new();
        assert_eq!(
            widths.add(&row(path), sheet),
            16.0,
            "a text within its cap keeps the row one line high"
        );
        // A column w characters wide holds w / 2 em of the body text: the path and the link fit.
        assert!(
            widths.widths[8] >= crate::metrics::width_em(path) * 2.0,
            "{:?}",
            widths.widths
        );
        assert!(
            widths.widths[9] >= crate::metrics::width_em(sheet) * 2.0,
            "{:?}",
            widths.widths
        );
        // A path longer than the cap wraps instead of widening the sheet without end, and its
        // row grows; the earlier, wider link column stays.
        let long = "很长的文件夹/".repeat(30) + "x.yaml";
        assert!(widths.add(&row(&long), "x") > 16.0);
        assert_eq!(widths.widths[8], MAX_TEXT_COLUMN);
        assert!(widths.widths[9] >= crate::metrics::width_em(sheet) * 2.0);
        // The number columns keep their widths.
        assert_eq!(widths.widths[3], SUMMARY_COLUMNS[3].1);
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
