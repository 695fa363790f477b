//! Reading a filled workbook back as a declaration (`check`/`render`/`import` of an `.xlsx`).
//!
//! The form sheet is read by its printed layout, as the budget systems import their forms: the
//! layout lays out a *skeleton* declaration (every field filled, two items in every list, two
//! indicators) with every block printed, which says which cell shows which field. Walking that
//! Grid down the sheet, the rows with labels are anchors (a block the workbook leaves out is
//! skipped when the next anchor matches), and list rows (sources, tasks, indicators) are read
//! down until the next anchor, so rows added in Excel are found. The values become YAML text
//! that goes through the SAME parser and rules as a YAML declaration; [`CellMap`] maps each of
//! its lines back to the cell it came from, so every diagnostic is located at `工作表!D7`.
//!
//! Numbers are read as Decimal through their shortest text (`150`, `0.1`), never summed as f64.
//! A workbook that jixiao wrote also has the 指标明细 sheet: when it lists the same indicators
//! as the form, it gives back their 权重 and 方向 (which the form itself may not print).

use std::io::Cursor;
use std::str::FromStr;
use std::sync::Arc;

use calamine::{Data, Dimensions, Range, Reader, Xlsx};
use rust_decimal::Decimal;

use crate::declaration::FormKind;
use crate::diagnostic::{Code, Diagnostic, Loc};
use crate::layout::{Cell, Content, Grid};
use crate::layouts::{Layout, fields, interp};

/// Where the lines of the YAML read from a workbook came from: the sheet, and per line the cell
/// (0-based row, column). Lines past the text's end stand for cells that have no line of their
/// own (a label that was edited), so their diagnostics are located too.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CellMap {
    pub sheet: String,
    /// (1-based YAML line, sheet row, sheet column), in line order.
    lines: Vec<(u32, u32, u32)>,
}

impl CellMap {
    /// The cell a YAML position came from: its line's, else the nearest line above that has
    /// one (a block's key line is mapped to its first field), else A1.
    pub fn cell(&self, loc: Loc) -> (u32, u32) {
        let i = self.lines.partition_point(|(l, _, _)| *l <= loc.line);
        match i.checked_sub(1).and_then(|i| self.lines.get(i)) {
            Some((_, r, c)) => (*r, *c),
            None => (0, 0),
        }
    }

    /// `D7` for a YAML position.
    pub fn name(&self, loc: Loc) -> String {
        let (r, c) = self.cell(loc);
        cell_name(r, c)
    }

    fn add(&mut self, line: u32, at: (u32, u32)) {
        if self.lines.last().is_some_and(|(l, _, _)| *l >= line) {
            return;
        }
        self.lines.push((line, at.0, at.1));
    }
}

/// `D7` for 0-based (row, column).
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", interp::letter(col as usize), row + 1)
}

/// What reading a workbook gives: the declaration as YAML text, where its lines came from, and
/// what reading found (each located by a line of the text or a line past its end).
#[derive(Debug, Clone)]
pub struct Read {
    pub yaml: String,
    pub cells: Arc<CellMap>,
    pub diagnostics: Vec<Diagnostic>,
    pub kind: FormKind,
    /// The layout the form was read with (a built-in id, or the definition's path).
    pub layout: String,
}

/// Why a workbook could not be read as a form at all (`xlsx.read`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub zh: String,
    pub en: String,
}

/// The rows of a sheet read as a form: more than the longest form needs (1,205 indicators
/// fit many times), few enough that a hostile sheet cannot make reading slow.
pub const MAX_ROWS: u32 = 20_000;
/// The most a workbook may unpack to (a filled form unpacks to well under a megabyte).
pub const MAX_UNPACKED_BYTES: u64 = 256 << 20;
/// Merged cells indexed per row, at most (a merge counts once for each row it covers).
const MAX_MERGE_ROWS: usize = 2_000_000;

/// One sheet's values, formulas and merged ranges.
struct Sheet {
    name: String,
    values: Range<Data>,
    formulas: Range<String>,
    merges: Vec<Dimensions>,
    /// The merges that cover each row (indices into `merges`), for rows up to [`MAX_ROWS`].
    by_row: Vec<Vec<u32>>,
}

impl Sheet {
    /// `None` when the sheet has more merged cells than reading indexes.
    fn new(
        name: String,
        values: Range<Data>,
        formulas: Range<String>,
        merges: Vec<Dimensions>,
    ) -> Option<Sheet> {
        let rows = values
            .end()
            .map_or(0, |(r, _)| r)
            .max(merges.iter().map(|m| m.end.0).max().unwrap_or(0))
            .min(MAX_ROWS);
        let mut by_row = vec![Vec::new(); rows as usize + 1];
        let mut entries = 0usize;
        for (i, m) in merges.iter().enumerate() {
            for r in m.start.0..=m.end.0.min(rows) {
                entries += 1;
                if entries > MAX_MERGE_ROWS {
                    return None;
                }
                by_row[r as usize].push(i as u32);
            }
        }
        Some(Sheet {
            name,
            values,
            formulas,
            merges,
            by_row,
        })
    }

    fn merge_at(&self, row: u32, col: u32) -> Option<&Dimensions> {
        self.by_row
            .get(row as usize)?
            .iter()
            .map(|i| &self.merges[*i as usize])
            .find(|m| m.contains(row, col))
    }

    /// The value shown at (row, col): a merged range's top-left value anywhere in the range.
    fn shown(&self, row: u32, col: u32) -> &Data {
        let (r, c) = self.merge_at(row, col).map_or((row, col), |m| m.start);
        self.values.get_value((r, c)).unwrap_or(&Data::Empty)
    }

    /// The text shown at (row, col), without any white space (labels compare that way: a
    /// label wrapped with a line break in Excel is the same label).
    fn label(&self, row: u32, col: u32) -> String {
        squeeze(&plain(self.shown(row, col)))
    }

    fn formula(&self, row: u32, col: u32) -> Option<&str> {
        self.formulas
            .get_value((row, col))
            .map(String::as_str)
            .filter(|f| !f.trim().is_empty())
    }

    /// The last row read (at most [`MAX_ROWS`]).
    fn last_row(&self) -> u32 {
        self.by_row.len().saturating_sub(1) as u32
    }
}

/// A cell's value as text, the way it shows (numbers in their shortest form).
fn plain(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => shortest(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => serial_date(dt.as_f64()).unwrap_or_else(|| shortest(dt.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e}"),
    }
}

/// The shortest text that reads back as `f` (Rust's `Display` for f64: `0.1`, `150`, never
/// an exponent): the exact decimal a person typed, not the binary float's expansion.
fn shortest(f: f64) -> String {
    format!("{f}")
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// An Excel date serial (1900 system) as `YYYY-MM-DD`.
fn serial_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Days since 1899-12-30 (Excel's 1900-02-29 that never was is before any date a form has).
    let days = serial.floor() as i64 - 25_569; // to days since 1970-01-01
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// How a field's cell is read, from what the skeleton shows there.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    Text,
    /// Tick boxes (`■新增 □延续`) over these options.
    Ticks(Vec<String>),
    /// Money; the layout prints it in 元 when `yuan` (and the declaration read from it is in 元).
    Money {
        yuan: bool,
    },
    Percent,
    Count,
    Check,
}

/// How the field of a skeleton (or template) cell is read and validated: tick boxes when the
/// layout prints it so, else by what the field holds.
pub(crate) fn shape_of(cell: &Cell, ticks: &[(String, Vec<String>)], yuan: bool) -> Shape {
    let path = cell.field.as_deref().unwrap_or("");
    if let Some((_, options)) = ticks.iter().find(|(p, _)| p == path) {
        return Shape::Ticks(options.clone());
    }
    match &cell.content {
        Content::Amount(_) | Content::Money { .. } => Shape::Money { yuan },
        Content::Percent(_) => Shape::Percent,
        Content::Count(_) => Shape::Count,
        Content::Check(_) => Shape::Check,
        _ if fields::is_numeric(path) && path != "last_year.rate" => Shape::Money { yuan },
        _ if path == "last_year.rate" => Shape::Percent,
        _ if path.starts_with("staff.") => Shape::Count,
        _ if matches!(path, "functions_changed" | "first_level_unit") => Shape::Check,
        _ => Shape::Text,
    }
}

/// One segment of the skeleton, top to bottom.
#[derive(Debug)]
enum Segment<'a> {
    /// A row of the skeleton (its index) that the sheet has once.
    Fixed(usize),
    /// The row pattern of a list (`tasks`, `funds.sources`, `indicators`), read for as many
    /// sheet rows as the list has.
    Repeat(&'static str, Vec<&'a Cell>),
}

/// The skeleton declaration of `kind`: every field filled, two items in each list, two
/// indicators.
fn skeleton_yaml(kind: FormKind) -> String {
    skeleton_yaml_with(kind, true)
}

/// [`skeleton_yaml`], or without `scalars`: only the lists and indicators (what every form
/// prints, for [`optional_rows`]).
fn skeleton_yaml_with(kind: FormKind, scalars: bool) -> String {
    if is_selfeval(kind) {
        return selfeval_skeleton_yaml(kind, scalars);
    }
    let mut tree = Tree::default();
    for path in fields::scalars(kind).into_iter().filter(|_| scalars) {
        // 占比 is computed, never read; 近两年收支金额 is a list of years (below).
        if path.ends_with("_share") || path.starts_with("history.") {
            continue;
        }
        let v = match path {
            "year" => "2023",
            "functions_changed" | "first_level_unit" => "true",
            "last_year.rate" => "1%",
            p if p.starts_with("staff.") => "1",
            p if fields::is_numeric(p) => "1",
            _ => "x",
        };
        tree.set(path, Y::scalar(v));
    }
    for list in fields::lists(kind) {
        let items = (1..=2)
            .map(|i| {
                let mut m = Tree::default();
                for leaf in fields::item_fields(list) {
                    let numeric = fields::is_numeric(&format!("{list}.{leaf}"));
                    m.set(
                        leaf,
                        Y::scalar(if numeric {
                            if i == 1 { "1" } else { "2" }
                        } else {
                            "x"
                        }),
                    );
                }
                Y::Map(m.0)
            })
            .collect();
        tree.set(list, Y::Seq(items));
    }
    if scalars
        && fields::scalars(kind)
            .iter()
            .any(|p| p.starts_with("history."))
    {
        let years = ["2022", "2021"]
            .map(|year| {
                let mut m = Tree::default();
                m.set("year", Y::scalar(year));
                for side in ["income", "expense"] {
                    let (a, b) = if side == "income" {
                        ("fiscal", "other")
                    } else {
                        ("basic", "project")
                    };
                    m.set(&format!("{side}.total"), Y::scalar("2"));
                    m.set(&format!("{side}.{a}"), Y::scalar("1"));
                    m.set(&format!("{side}.{b}"), Y::scalar("1"));
                }
                Y::Map(m.0)
            })
            .to_vec();
        tree.set("history", Y::Seq(years));
    }
    let mut yaml = format!("form: {}\n", kind.key());
    let two = "\n  产出指标:\n    数量指标:\n      - a: \"1\"\n      - b: \"2\"";
    tree.0.push(("indicators".into(), Y::Raw(two.into())));
    if kind == FormKind::Project {
        // The 中期 side of a paired table (mof-2015), as tall as the 年度 side.
        tree.0
            .push(("midterm_indicators".into(), Y::Raw(two.into())));
    }
    Emitter::default().map(&tree.0, 0, &mut yaml);
    yaml
}

/// Whether `kind` is a self-evaluation (`project-selfeval`, `department-selfeval`).
fn is_selfeval(kind: FormKind) -> bool {
    matches!(
        kind,
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval
    )
}

/// A self-evaluation's fields that are worked out, never typed: execution rates and scores,
/// the totals and the grade (an execution row's `points` on the first row is the block's 分值,
/// which is typed).
fn selfeval_computed(path: &str) -> bool {
    matches!(
        path,
        "execution.rate"
            | "execution.score"
            | "execution.rows.rate"
            | "execution.rows.score"
            | "total.points"
            | "total.score"
            | "grade"
    )
}

/// The skeleton of a self-evaluation: every scalar the declaration writes, two execution rows,
/// two inline indicators with their results.
fn selfeval_skeleton_yaml(kind: FormKind, scalars: bool) -> String {
    let mut tree = Tree::default();
    for path in fields::scalars(kind).into_iter().filter(|_| scalars) {
        if selfeval_computed(path) {
            continue;
        }
        let v = match path {
            "year" => "2023",
            "execution.points" => "10",
            _ => "x",
        };
        tree.set(path, Y::scalar(v));
    }
    let rows = (1..=2)
        .map(|i| {
            let mut m = Tree::default();
            let n = if i == 1 { "1" } else { "2" };
            m.set("name", Y::scalar("x"));
            for leaf in ["initial", "budget", "spent"] {
                m.set(leaf, Y::scalar(n));
            }
            Y::Map(m.0)
        })
        .collect();
    tree.set(crate::layouts::selfeval::EXECUTION_ROWS, Y::Seq(rows));
    let mut yaml = format!("form: {}\n", kind.key());
    let two = "\n  产出指标:\n    数量指标:\n      - {name: a, value: \"1\", actual: \"1\", points: 1, score: 1, reason: x}\n      - {name: b, value: \"2\", actual: \"2\", points: 1, score: 1, reason: x}";
    tree.0.push(("indicators".into(), Y::Raw(two.into())));
    Emitter::default().map(&tree.0, 0, &mut yaml);
    yaml
}

/// The skeleton laid out with `layout`, every block printed.
fn skeleton(layout: &Layout) -> Option<Grid> {
    let decl = crate::declaration::parse(&skeleton_yaml(layout.kind)).declaration?;
    interp::build_with(&decl, layout, true).ok()
}

/// Per row of the skeleton `grid`: whether it has labels and the layout may leave it out (an
/// empty row of a layout that does not print empty blocks, as `annual` leaves out 其中：财政拨款
/// when the money comes from named sources): its labels are not on a form without scalars.
fn optional_rows(layout: &Layout, grid: &Grid) -> Vec<bool> {
    let minimal = crate::declaration::parse(&skeleton_yaml_with(layout.kind, false))
        .declaration
        .and_then(|d| interp::build(&d, layout).ok());
    let Some(minimal) = minimal else {
        return vec![false; grid.rows];
    };
    let signature = |g: &Grid, row: usize| -> Vec<(usize, String)> {
        labels(g, row)
            .into_iter()
            .map(|(c, t)| (c.col, t))
            .collect()
    };
    let always: std::collections::HashSet<Vec<(usize, String)>> =
        (0..minimal.rows).map(|r| signature(&minimal, r)).collect();
    (0..grid.rows)
        .map(|r| {
            let s = signature(grid, r);
            !s.is_empty() && !always.contains(&s)
        })
        .collect()
}

/// The lists a form's rows may show, one item a row (the 中期 indicators of a paired table share
/// their rows with the 年度 ones).
const LISTS: [&str; 7] = [
    "indicators",
    "midterm_indicators",
    "funds.sources",
    "tasks",
    "duties",
    "costs",
    "execution.rows",
];

/// The list a field path belongs to (`tasks.name` → `tasks`), if any.
fn list_of(field: &str) -> Option<&'static str> {
    LISTS.into_iter().find(|l| {
        field
            .strip_prefix(l)
            .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// Whether a cell of `grid` is a sum over a list (`sum: tasks.amount`, in the 合计 row): a
/// list's field in a row that has a label of its own (an item row has none).
pub(crate) fn is_sum(grid: &Grid, cell: &Cell) -> bool {
    let list = cell.field.as_deref().and_then(list_of);
    list.is_some_and(|l| !l.ends_with("indicators")) && !labels(grid, cell.row).is_empty()
}

/// Whether a cell of `grid` is computed from other cells, never typed: a sum over a list, or a
/// part's 占比 of its 合计 (hubei-2021). Reading skips it (the rules recompute what it shows),
/// and a template does not ask for it.
pub(crate) fn is_computed(grid: &Grid, cell: &Cell) -> bool {
    is_sum(grid, cell)
        || cell
            .field
            .as_deref()
            .is_some_and(|f| f.ends_with("_share") || selfeval_computed(f))
}

/// The list a cell of `grid` shows an item of, if any.
fn item_list(grid: &Grid, cell: &Cell) -> Option<&'static str> {
    cell.field
        .as_deref()
        .and_then(list_of)
        .filter(|_| !is_sum(grid, cell))
}

fn segments(grid: &Grid) -> Vec<Segment<'_>> {
    let mut out: Vec<Segment<'_>> = Vec::new();
    for row in 0..grid.rows {
        let cells: Vec<&Cell> = grid.cells.iter().filter(|c| c.row == row).collect();
        // A paired table's rows are the 年度 and the 中期 indicators' at once.
        let list = cells.iter().find_map(|c| item_list(grid, c)).map(|l| {
            if l == "midterm_indicators" {
                "indicators"
            } else {
                l
            }
        });
        match list {
            Some(list) => {
                if !matches!(out.last(), Some(Segment::Repeat(l, _)) if *l == list) {
                    out.push(Segment::Repeat(list, cells));
                }
            }
            None => out.push(Segment::Fixed(row)),
        }
    }
    out
}

/// The labels of skeleton row `row` (cells that start there and show printed text).
fn labels(grid: &Grid, row: usize) -> Vec<(&Cell, String)> {
    grid.cells
        .iter()
        .filter(|c| c.row == row && c.field.is_none())
        .filter_map(|c| match &c.content {
            Content::Text(t) if !squeeze(t).is_empty() => Some((c, squeeze(t))),
            _ => None,
        })
        .collect()
}

/// A value read from one cell, for one field.
#[derive(Debug, Clone, PartialEq)]
struct Got {
    /// The YAML scalar (already quoted when it is text); None when blank.
    yaml: Option<String>,
    at: (u32, u32),
    label: String,
}

/// A small ordered tree of YAML values.
#[derive(Debug, Clone, PartialEq, Default)]
struct Tree(Vec<(String, Y)>);

#[derive(Debug, Clone, PartialEq)]
enum Y {
    Scalar(Got),
    Map(Vec<(String, Y)>),
    Seq(Vec<Y>),
    /// Text emitted as is after the key (the skeleton's indicators).
    Raw(String),
}

impl Y {
    fn scalar(text: &str) -> Y {
        Y::Scalar(Got {
            yaml: Some(text.to_string()),
            at: (0, 0),
            label: String::new(),
        })
    }
}

impl Tree {
    /// Sets `path` (dotted) to `value`, creating the maps on the way in first-seen order.
    fn set(&mut self, path: &str, value: Y) {
        let mut map = &mut self.0;
        let parts: Vec<&str> = path.split('.').collect();
        for (i, part) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            let at = match map.iter().position(|(k, _)| k == part) {
                Some(at) => at,
                None => {
                    map.push((part.to_string(), Y::Map(Vec::new())));
                    map.len() - 1
                }
            };
            if last {
                map[at].1 = value;
                return;
            }
            if !matches!(map[at].1, Y::Map(_)) {
                map[at].1 = Y::Map(Vec::new());
            }
            let Y::Map(next) = &mut map[at].1 else { return };
            map = next;
        }
    }
}

/// Writes a [`Tree`] as YAML, recording which cell each line came from.
#[derive(Default)]
struct Emitter {
    line: u32,
    cells: CellMap,
}

impl Emitter {
    fn push(&mut self, out: &mut String, text: &str, at: Option<(u32, u32)>) {
        self.line += 1;
        if let Some(at) = at {
            self.cells.add(self.line, at);
        }
        out.push_str(text);
        out.push('\n');
    }

    fn map(&mut self, entries: &[(String, Y)], indent: usize, out: &mut String) {
        for (key, value) in entries {
            self.entry(&" ".repeat(indent), key, value, indent, out);
        }
    }

    /// `key: value` (or `key:` and the block under it), after `lead` (indent or `- `).
    fn entry(&mut self, lead: &str, key: &str, value: &Y, indent: usize, out: &mut String) {
        let key = yaml_key(key);
        match value {
            Y::Scalar(g) => {
                let mut text = format!("{lead}{key}:");
                if let Some(v) = &g.yaml {
                    text.push(' ');
                    text.push_str(v);
                }
                if !g.label.is_empty() {
                    text.push_str("  # ");
                    text.push_str(&g.label.replace('\n', " "));
                }
                self.push(out, &text, Some(g.at));
            }
            Y::Raw(raw) => {
                out.push_str(&format!("{lead}{key}:{raw}\n"));
                self.line += raw.matches('\n').count() as u32 + 1;
            }
            Y::Map(entries) => {
                self.push(out, &format!("{lead}{key}:"), first_cell(value));
                self.map(entries, indent + 2, out);
            }
            Y::Seq(items) => {
                self.push(out, &format!("{lead}{key}:"), first_cell(value));
                for item in items {
                    self.item(item, indent + 2, out);
                }
            }
        }
    }

    fn item(&mut self, item: &Y, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match item {
            Y::Map(entries) if !entries.is_empty() => {
                for (i, (k, v)) in entries.iter().enumerate() {
                    let lead = if i == 0 {
                        format!("{pad}- ")
                    } else {
                        format!("{pad}  ")
                    };
                    self.entry(&lead, k, v, indent + 2, out);
                }
            }
            Y::Scalar(g) => {
                let text = format!("{pad}- {}", g.yaml.as_deref().unwrap_or(""));
                self.push(out, &text, Some(g.at));
            }
            _ => self.push(out, &format!("{pad}-"), first_cell(item)),
        }
    }
}

fn first_cell(y: &Y) -> Option<(u32, u32)> {
    match y {
        Y::Scalar(g) => Some(g.at),
        Y::Map(entries) => entries.iter().find_map(|(_, v)| first_cell(v)),
        Y::Seq(items) => items.iter().find_map(first_cell),
        Y::Raw(_) => None,
    }
}

/// A key as YAML: plain when it is a simple word, else double-quoted (a 一级 name typed in a
/// cell may hold `: ` or `#`).
fn yaml_key(key: &str) -> String {
    let simple = !key.is_empty()
        && key.chars().all(|c| {
            c.is_alphanumeric()
                || c == '_'
                || (!c.is_ascii() && !c.is_whitespace() && !"：，、".contains(c))
        })
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if simple { key.to_string() } else { quote(key) }
}

/// A string as a YAML scalar that reads back as exactly this text: plain when YAML cannot take
/// it for anything else (`柴桑区行政审批局`, `≥12次`), else double-quoted (JSON's escapes are
/// YAML's), so that an imported file stays readable.
fn quote(s: &str) -> String {
    if plain_safe(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

/// Whether `s` written plain reads back as the same text: no YAML indicator first, no `: ` or
/// ` #` inside, no white space at either end, nothing YAML reads as null or a boolean.
fn plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let words = [
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
    ];
    !"-?:,[]{}#&*!|>'\"%@`=".contains(first)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && s.chars().all(|c| !c.is_control() && c != '\u{feff}')
        && s.trim() == s
        && !words.contains(&s.to_ascii_lowercase().as_str())
        && !s.starts_with(|c: char| c.is_whitespace())
}

/// Reads `bytes` (a workbook) as a declaration. `layout`: `--layout` (a built-in id or a
/// definition file); without it every built-in layout is tried and the one whose labels the
/// sheet has wins.
pub fn read(bytes: &[u8], layout: Option<&str>) -> Result<Read, ReadError> {
    // A small file can unpack to gigabytes (a zip bomb): refuse before anything is unpacked.
    if let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) {
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            total = total.saturating_add(zip.by_index_raw(i).map_or(0, |f| f.size()));
        }
        if total > MAX_UNPACKED_BYTES {
            return Err(ReadError {
                zh: format!(
                    "工作簿解压后有 {} MB，超过 {} MB 的上限，不读取",
                    total >> 20,
                    MAX_UNPACKED_BYTES >> 20
                ),
                en: format!(
                    "the workbook unpacks to {} MB, over the limit of {} MB: not read",
                    total >> 20,
                    MAX_UNPACKED_BYTES >> 20
                ),
            });
        }
    }
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError {
        zh: format!("不是可读的 XLSX 工作簿：{e}"),
        en: format!("not a readable XLSX workbook: {e}"),
    })?;
    let candidates = candidates(layout)?;
    let names = book.sheet_names();
    let mut sheets = Vec::new();
    for name in &names {
        if name == super::DETAIL_SHEET {
            continue;
        }
        let Ok(values) = book.worksheet_range(name) else {
            continue;
        };
        let formulas = book.worksheet_formula(name).unwrap_or_default();
        let merges = book.merge_cells_by_sheet_name(name).unwrap_or_default();
        match Sheet::new(name.clone(), values, formulas, merges) {
            Some(sheet) => sheets.push(sheet),
            None => {
                return Err(ReadError {
                    zh: format!("工作表 {name} 的合并单元格多得不合理，不按申报表读取"),
                    en: format!(
                        "sheet {name} has unreasonably many merged cells: not read as a form"
                    ),
                });
            }
        }
    }
    let detail = names
        .iter()
        .any(|n| n == super::DETAIL_SHEET)
        .then(|| book.worksheet_range(super::DETAIL_SHEET).ok())
        .flatten();
    // The sheet and layout whose labels match best.
    let mut best: Option<(i64, Walk)> = None;
    for sheet in &sheets {
        for layout in &candidates {
            let Some(grid) = skeleton(layout) else {
                continue;
            };
            let walk = walk(sheet, &grid, &optional_rows(layout, &grid), layout);
            let score = walk.matched as i64 * 2 - walk.label_problems as i64;
            if walk.matched > 0 && best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, walk));
            }
        }
    }
    let Some((_, walk)) = best else {
        return Err(ReadError {
            zh: format!(
                "工作簿中没有可识别的绩效目标表（工作表：{}）",
                names.join("、")
            ),
            en: format!(
                "no sheet of this workbook is a form jixiao knows (sheets: {})",
                names.join(", ")
            ),
        });
    };
    let precision = book
        .worksheet_style(&walk.sheet)
        .ok()
        .and_then(|styles| precision(&walk, &styles));
    Ok(walk.finish(detail.as_ref(), precision))
}

/// The places every amount of the form shows (its number format, `0.0000`), when they all have
/// such a format, agree, and are not the layout's own: a form printed with `precision: 4` reads
/// back with it. (Typed into cells without a number format, amounts say nothing.)
fn precision(walk: &Walk, styles: &calamine::StyleRange) -> Option<u32> {
    let places: Vec<Option<u32>> = walk
        .amounts
        .iter()
        .map(|at| {
            let code = &styles.get(*at)?.number_format.as_ref()?.format_code;
            let first = code.split(';').next().unwrap_or("");
            first.contains('0').then(|| {
                first.split_once('.').map_or(0, |(_, d)| {
                    d.chars().take_while(|c| *c == '0').count() as u32
                })
            })
        })
        .collect();
    let p = (*places.first()?)?;
    (places.iter().all(|q| *q == Some(p)) && p != walk.places && p <= 4).then_some(p)
}

/// The layouts to try: `--layout`'s, else every built-in of the target forms.
fn candidates(layout: Option<&str>) -> Result<Vec<Arc<Layout>>, ReadError> {
    let kinds = [
        FormKind::Project,
        FormKind::Department,
        FormKind::ProjectSelfeval,
        FormKind::DepartmentSelfeval,
    ];
    match layout {
        Some(name) if crate::layouts::is_path(name) => {
            let text = std::fs::read_to_string(name).map_err(|e| ReadError {
                zh: format!("无法读取版式文件 {name}：{e}"),
                en: format!("cannot read the layout file {name}: {e}"),
            })?;
            crate::layouts::load(&text, name, None)
                .map(|l| vec![Arc::new(l)])
                .map_err(|e| ReadError {
                    zh: format!("版式 {name} 有误：{e}"),
                    en: format!("layout {name} is not usable: {e}"),
                })
        }
        Some(id) => {
            let found: Vec<_> = kinds
                .iter()
                .filter_map(|k| crate::layouts::builtin(id, *k))
                .collect();
            if found.is_empty() {
                return Err(ReadError {
                    zh: format!("没有内置版式 “{id}”"),
                    en: format!("no built-in layout `{id}`"),
                });
            }
            Ok(found)
        }
        None => Ok(crate::layouts::BUILTINS
            .iter()
            .filter(|(_, k, _)| kinds.contains(k))
            .filter_map(|(id, k, _)| crate::layouts::builtin(id, *k))
            .collect()),
    }
}

/// One indicator row as read: its 一级 and 二级 (from the row, or carried on from the row
/// above), and its other fields (`name`, `value` …).
struct IndicatorRead {
    level1: Got,
    level2: Got,
    fields: Vec<(String, Got)>,
    /// The project it belongs to: 0 the file's own, n its `projects[n - 1]` (sichuan-2023).
    band: usize,
    /// On the 中期 side of a paired table (mof-2015).
    midterm: bool,
    /// A free-text indicator: one cell from the 二级 column across the 三级 and 指标值
    /// columns, its text in `fields` as `text`.
    free: bool,
}

/// What 指标明细 adds to an indicator row: (key, value) pairs.
type Extra = Vec<(String, Got)>;

/// A 二级 group being collected: its name and its items.
type Level2Items = (String, Vec<Y>);

/// What walking one sheet with one layout found.
struct Walk {
    sheet: String,
    kind: FormKind,
    layout: String,
    /// Labels found where the layout has them.
    matched: usize,
    label_problems: usize,
    tree: Tree,
    /// The first sheet row of the indicator table's rows (where an empty table is reported).
    indicator_top: Option<(u32, u32)>,
    /// Indicator rows, in sheet order.
    indicators: Vec<IndicatorRead>,
    /// The further projects' own fields (`projects`), band by band.
    projects: Vec<Tree>,
    /// The layout prints amounts in 元 (the declaration read says `amount_unit: 元`).
    yuan: bool,
    /// The cells of amounts read as numbers (for the places they show).
    amounts: Vec<(u32, u32)>,
    /// The places the layout prints amounts with.
    places: u32,
    /// The table's cells that were read or compared (top-left of a merge).
    read: std::collections::HashSet<(u32, u32)>,
    /// Diagnostics with the cell they are about (located once the text is written).
    found: Vec<(Diagnostic, (u32, u32))>,
}

/// Walks `sheet` down the skeleton `grid` of `layout`.
fn walk(sheet: &Sheet, grid: &Grid, optional: &[bool], layout: &Layout) -> Walk {
    let def = &layout.def;
    let yuan = def.money.unit.value == "元";
    let segs = segments(grid);
    let mut w = Walk {
        sheet: sheet.name.clone(),
        kind: layout.kind,
        layout: layout.name.clone(),
        matched: 0,
        label_problems: 0,
        tree: Tree::default(),
        indicators: Vec::new(),
        projects: Vec::new(),
        yuan,
        amounts: Vec::new(),
        places: def.money.places,
        indicator_top: None,
        found: Vec::new(),
        read: std::collections::HashSet::new(),
    };
    // The labels of every skeleton row, found once: rows are compared with them many times.
    let label_rows: Vec<Vec<(u32, String)>> = (0..grid.rows)
        .map(|i| {
            labels(grid, i)
                .into_iter()
                .map(|(c, t)| (c.col as u32, t))
                .collect()
        })
        .collect();
    let full = |i: usize, r: u32| {
        let ls = &label_rows[i];
        !ls.is_empty() && ls.iter().all(|(c, t)| sheet.label(r, *c) == *t)
    };
    let ticks = ticks_of(def);
    let shape = |cell: &Cell| shape_of(cell, &ticks, yuan);
    // Where the table starts: the first anchor, searched in the rows above where the writer
    // puts it (title lines), else where the writer puts it.
    let first_anchor = segs.iter().find_map(|s| match s {
        Segment::Fixed(i) if !label_rows[*i].is_empty() => Some(*i),
        _ => None,
    });
    let top = super::TABLE_TOP as u32 + u32::from(!grid.annex.is_empty());
    let mut r = first_anchor
        .and_then(|i| (0..=top + 8).find(|r| full(i, *r)))
        .unwrap_or(top);
    let table_top = r;
    let last = sheet.last_row();
    let nsegs = segs.len();
    let mut k = 0;
    while k < nsegs && r <= last + 1 {
        match &segs[k] {
            Segment::Fixed(i) => {
                let i = *i;
                let ls = labels(grid, i);
                if !full(i, r) {
                    // A block the workbook leaves out (an empty block jixiao did not print):
                    // the next anchor is here.
                    if let Some(j) =
                        (k + 1..nsegs).find(|j| matches!(segs[*j], Segment::Fixed(x) if full(x, r)))
                    {
                        k = j;
                        continue;
                    }
                    // Or the table has ended (a line under it, or the sheet's end) before this
                    // block, which the workbook leaves out: nothing more to read in the table.
                    if r > last || furniture_row(sheet, grid, r) {
                        k += 1;
                        continue;
                    }
                    // Or a list follows, and this row, which the layout may leave out, is not
                    // here at all (none of its labels): the list's rows start here.
                    let none = ls.iter().all(|(c, t)| sheet.label(r, c.col as u32) != *t);
                    if optional.get(i).copied().unwrap_or(false)
                        && none
                        && matches!(segs.get(k + 1), Some(Segment::Repeat(..)))
                    {
                        k += 1;
                        continue;
                    }
                }
                for (c, t) in &ls {
                    w.read.insert((r, c.col as u32));
                    let got = sheet.label(r, c.col as u32);
                    if got == *t {
                        w.matched += 1;
                    } else {
                        w.label_problems += 1;
                        let at = (r, c.col as u32);
                        let shown = plain(sheet.shown(r, c.col as u32));
                        w.found.push((
                            Diagnostic::warning(
                                Code::XlsxLabel,
                                Loc::START,
                                format!("这里应是标签“{t}”，读到“{}”：表格是否被改动过？其右侧/下方的值仍按版式读取", shown.trim()),
                                format!("the label here should be `{t}` but reads `{}`: was the form edited? the values next to it are still read by the layout", shown.trim()),
                            ),
                            at,
                        ));
                    }
                }
                let height = row_height(sheet, grid, i, r);
                for cell in grid
                    .cells
                    .iter()
                    .filter(|c| c.row == i && c.field.is_some())
                {
                    let at = (r, cell.col as u32);
                    // A sum or a 占比 is computed, never read: its cell is not an unread one
                    // either.
                    w.read.insert(at);
                    if is_computed(grid, cell) {
                        continue;
                    }
                    let label = label_for(grid, cell);
                    let got = w.value(sheet, cell, at, &shape(cell), &label);
                    w.merged(sheet, grid, cell, at, height);
                    let path = cell.field.clone().unwrap_or_default();
                    w.tree.set(&path, Y::Scalar(got));
                }
                r += height;
                k += 1;
            }
            Segment::Repeat(list, pattern) => {
                let anchors: Vec<usize> = (k + 1..nsegs)
                    .filter_map(|j| match &segs[j] {
                        Segment::Fixed(x) if !label_rows[*x].is_empty() => Some(*x),
                        _ => None,
                    })
                    .collect();
                let columns: Vec<u32> = pattern.iter().map(|c| c.col as u32).collect();
                // The list ends at a row that is not one of its rows: a later block's labels
                // (also when one of them was edited: text of its own in a column where the
                // list's rows have none), or a line under the table.
                let ended = |r: u32| {
                    anchors.iter().any(|x| full(*x, r))
                        || furniture_row(sheet, grid, r)
                        || (0..grid.columns_mm.len() as u32).any(|c| {
                            !columns.contains(&c)
                                && sheet.merge_at(r, c).is_none_or(|m| m.start.0 == r)
                                && !plain(sheet.shown(r, c)).trim().is_empty()
                                && pattern
                                    .iter()
                                    .all(|p| !(p.col as u32..=p.last_col() as u32).contains(&c))
                        })
                };
                if *list == "indicators" {
                    w.indicator_top
                        .get_or_insert((r, pattern.first().map_or(0, |c| c.col as u32)));
                }
                let mut items = Vec::new();
                // The 一级/二级 carried on, per side: 年度 (0) and 中期 (1, a paired table's).
                let mut carry: [(Option<Got>, Option<Got>); 2] = Default::default();
                // One band per project (sichuan-2023): the project's fields merge down beside
                // its indicators; a row where they start again starts a band.
                let mut band = 0usize;
                let mut band_rows = 0usize;
                while r <= last && !ended(r) {
                    let mut sides: [Vec<(String, Got)>; 2] = Default::default();
                    let mut l1 = None;
                    let mut l2: [Option<Got>; 2] = Default::default();
                    let mut band_cells: Vec<(String, Got)> = Vec::new();
                    let mut banded = false;
                    // Per side, a free-text indicator's cell: its 二级 cell merged on this row
                    // alone across the 三级 and 指标值 columns (the last column it covers).
                    let free_end: [Option<(u32, u32)>; 2] = [0, 1].map(|side| {
                        free_text_end(
                            sheet,
                            pattern,
                            r,
                            if side == 1 {
                                "midterm_indicators"
                            } else {
                                list
                            },
                        )
                    });
                    let mut free: [Option<Got>; 2] = Default::default();
                    for cell in pattern.iter().filter(|c| c.field.is_some()) {
                        let path = cell.field.as_deref().unwrap_or("");
                        let (side, leaf) = match path.strip_prefix("midterm_indicators.") {
                            Some(leaf) => (Some(1), leaf),
                            None => match path.strip_prefix(list).and_then(|p| p.strip_prefix('.'))
                            {
                                Some(leaf) => (Some(0), leaf),
                                None => (None, path),
                            },
                        };
                        let at = (r, cell.col as u32);
                        if is_computed(grid, cell) {
                            // An execution row's 执行率 and 得分: worked out, never read.
                            w.read.insert(at);
                            continue;
                        }
                        // 一级/二级 cells span their indicators: the value is the range's.
                        let top_at = sheet.merge_at(r, cell.col as u32).map_or(at, |m| m.start);
                        w.read.insert(at);
                        let label = label_for(grid, cell);
                        let Some(side) = side else {
                            // A project's own field beside its indicators, read where it starts.
                            if top_at == at {
                                let got = w.value(sheet, cell, at, &shape(cell), &label);
                                band_cells.push((path.to_string(), got));
                                // Merged down over the band's rows: a band starts here.
                                banded |= sheet
                                    .merge_at(r, cell.col as u32)
                                    .is_some_and(|m| m.end.0 > r);
                            }
                            continue;
                        };
                        if let Some((l2col, end)) = free_end[side]
                            && ((l2col..=end).contains(&(cell.col as u32)) || leaf == "level2")
                        {
                            if leaf == "level2" && top_at == at {
                                let got = w.value(sheet, cell, at, &shape(cell), &label);
                                free[side] = Some(got);
                            }
                            continue;
                        }
                        let got = if top_at == at {
                            w.merged(sheet, grid, cell, at, 1);
                            w.value(sheet, cell, at, &shape(cell), &label)
                        } else if matches!(leaf, "level1" | "level2") {
                            Got {
                                yaml: Some(quote(plain(sheet.shown(r, cell.col as u32)).trim())),
                                at: top_at,
                                label,
                            }
                        } else if plain(sheet.shown(r, cell.col as u32)).trim().is_empty() {
                            // Merged into a blank cell (the shorter side of a paired band is
                            // padded so): nothing here to lose.
                            Got {
                                yaml: None,
                                at,
                                label,
                            }
                        } else {
                            // Merged into another cell: whatever shows here is that cell's.
                            let (name, into) =
                                (cell_name(at.0, at.1), cell_name(top_at.0, top_at.1));
                            w.note(
                                Code::XlsxMerge,
                                at,
                                format!("单元格 {name} 被合并进 {into}，{label}读作空白"),
                                format!(
                                    "cell {name} is merged into {into}: {label} is read as blank"
                                ),
                            );
                            Got {
                                yaml: None,
                                at,
                                label,
                            }
                        };
                        match leaf {
                            "level1" => l1 = Some(got),
                            "level2" => l2[side] = Some(got),
                            _ => sides[side].push((leaf.to_string(), got)),
                        }
                    }
                    r += 1;
                    if !band_cells.is_empty() {
                        // A band starts where its cells start again, merged down over its
                        // rows or (one row, or rows added in Excel) with something in them.
                        let starts = banded || band_cells.iter().any(|(_, g)| g.yaml.is_some());
                        if band_rows > 0 && starts {
                            band += 1;
                        }
                        if band_rows == 0 || starts {
                            let tree = if band == 0 {
                                &mut w.tree
                            } else {
                                if w.projects.len() < band {
                                    w.projects.push(Tree::default());
                                }
                                &mut w.projects[band - 1]
                            };
                            for (path, got) in band_cells {
                                tree.set(&path, Y::Scalar(got));
                            }
                        }
                    }
                    band_rows += 1;
                    for (side, item) in sides.into_iter().enumerate() {
                        if let Some(text) = free[side].take()
                            && text.yaml.is_some()
                            && *list == "indicators"
                        {
                            let (level1, level2) = &mut carry[side];
                            let l1 = l1
                                .clone()
                                .filter(|g| g.yaml.is_some())
                                .or_else(|| level1.clone());
                            let at = text.at;
                            let a = l1.unwrap_or(Got {
                                yaml: None,
                                at,
                                label: String::new(),
                            });
                            *level1 = Some(a.clone());
                            // A row added under free text continues no 二级.
                            *level2 = None;
                            w.indicators.push(IndicatorRead {
                                level1: a,
                                level2: Got {
                                    yaml: None,
                                    at,
                                    label: String::new(),
                                },
                                fields: vec![("text".into(), text)],
                                band,
                                midterm: side == 1,
                                free: true,
                            });
                            continue;
                        }
                        if item.iter().all(|(_, g)| g.yaml.is_none()) {
                            // A blank row (a template's spare row, or the shorter side of a
                            // paired band).
                            continue;
                        }
                        // A row added below a 二级 block (not merged into it) continues it.
                        let (level1, level2) = &mut carry[side];
                        let l1 = l1
                            .clone()
                            .filter(|g| g.yaml.is_some())
                            .or_else(|| level1.clone());
                        let l2 = l2[side]
                            .take()
                            .filter(|g| g.yaml.is_some())
                            .or_else(|| level2.clone());
                        if *list == "indicators" {
                            let blank = |at| Got {
                                yaml: None,
                                at,
                                label: String::new(),
                            };
                            let at = item.first().map_or((r - 1, 0), |(_, g)| g.at);
                            let (a, b) = (l1.unwrap_or(blank(at)), l2.unwrap_or(blank(at)));
                            *level1 = Some(a.clone());
                            *level2 = Some(b.clone());
                            w.indicators.push(IndicatorRead {
                                level1: a,
                                level2: b,
                                fields: item,
                                band,
                                midterm: side == 1,
                                free: false,
                            });
                        } else {
                            items.push(Y::Map(
                                item.into_iter().map(|(k, g)| (k, Y::Scalar(g))).collect(),
                            ));
                        }
                    }
                }
                if *list != "indicators" {
                    w.tree.set(list, Y::Seq(items));
                }
                k += 1;
            }
        }
    }
    w.furniture(sheet, grid, layout, table_top, r);
    w.unread(sheet, table_top, r);
    w
}

/// How many sheet rows skeleton row `i` takes at sheet row `r`: one, unless its cells were
/// merged down over more (a row taller than Excel's 409 pt).
fn row_height(sheet: &Sheet, grid: &Grid, i: usize, r: u32) -> u32 {
    grid.cells
        .iter()
        .filter(|c| c.row == i && c.rowspan == 1)
        .map(|c| match sheet.merge_at(r, c.col as u32) {
            Some(m) if m.start.0 == r => m.end.0 - r + 1,
            _ => 1,
        })
        .min()
        .unwrap_or(1)
        .max(1)
}

/// A line under the table: one text across the table's whole width.
fn furniture_row(sheet: &Sheet, grid: &Grid, r: u32) -> bool {
    let last = grid.columns_mm.len().saturating_sub(1) as u32;
    sheet
        .merge_at(r, 0)
        .is_some_and(|m| m.start == (r, 0) && m.end == (r, last))
        && last > 0
}

/// The field paths a definition prints as tick boxes, with their options.
pub(crate) fn ticks_of(def: &crate::layouts::def::Definition) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    crate::layouts::each_cell(
        &def.body,
        &mut |c| {
            if let (Some(f), Some(t)) = (&c.field, &c.ticks) {
                out.push((f.value.clone(), t.clone()));
            }
        },
        &mut |_| {},
    );
    out
}

/// The label a field cell answers to: the nearest label left of it in its row, else the
/// header above it; for import's comments and messages.
pub(crate) fn label_for(grid: &Grid, cell: &Cell) -> String {
    let left = grid
        .cells
        .iter()
        .filter(|c| {
            c.field.is_none()
                && c.row <= cell.row
                && c.last_row() >= cell.row
                && c.last_col() < cell.col
        })
        .filter_map(|c| match &c.content {
            Content::Text(t) if !t.trim().is_empty() => Some((c.last_col(), c.row, t)),
            _ => None,
        })
        .max_by_key(|(col, _, _)| *col);
    // A block's label reaching down from a row above (mof-2015's 总体目标 beside 中期目标 |
    // 年度目标) names the block; the header right above names the cell.
    let block = left.is_some_and(|(_, row, _)| row < cell.row);
    let left = left.map(|(_, _, t)| t.clone());
    let above = || {
        grid.cells
            .iter()
            .filter(|c| {
                c.field.is_none()
                    && c.last_row() < cell.row
                    && c.col <= cell.col
                    && c.last_col() >= cell.col
            })
            .filter_map(|c| match &c.content {
                Content::Text(t) if !t.trim().is_empty() => Some((c.row, t)),
                _ => None,
            })
            .max_by_key(|(row, _)| *row)
            .map(|(_, t)| t.clone())
    };
    // A list's item answers to its column header, not to the block's label beside it.
    // So does a year of 近两年收支金额, a column header under the block's header.
    let table = matches!(
        cell.field.as_deref().and_then(list_of),
        Some("tasks" | "duties" | "costs" | "indicators" | "midterm_indicators" | "execution.rows")
    ) || cell
        .field
        .as_deref()
        .is_some_and(|f| f.starts_with("history.") && f.ends_with(".year"));
    let label = if table || block {
        above().or(left)
    } else {
        left.or_else(above)
    };
    label.unwrap_or_default().replace('\n', "")
}

impl Walk {
    /// `xlsx.unread`: every cell of the table's rows that holds something the layout has no
    /// field or label for (a note typed into an empty filler cell, or beside the table), so
    /// that nothing typed is lost without a word.
    fn unread(&mut self, sheet: &Sheet, top: u32, end: u32) {
        let Some((r0, c0)) = sheet.values.start() else {
            return;
        };
        let mut cells: Vec<(u32, u32, String)> = sheet
            .values
            .used_cells()
            .map(|(r, c, v)| (r as u32 + r0, c as u32 + c0, plain(v)))
            .filter(|(r, c, v)| {
                (top..end).contains(r) && !v.trim().is_empty() && !self.read.contains(&(*r, *c))
            })
            .filter(|(r, c, _)| sheet.merge_at(*r, *c).is_none_or(|m| m.start == (*r, *c)))
            .collect();
        cells.sort();
        for (r, c, v) in cells {
            let name = cell_name(r, c);
            let v: String = v.trim().chars().take(40).collect();
            self.note(
                Code::XlsxUnread,
                (r, c),
                format!("单元格 {name} 有内容“{v}”，但版式在这里没有要填的栏：没有读取"),
                format!("cell {name} holds `{v}` but the layout has no field there: not read"),
            );
        }
    }

    fn note(&mut self, code: Code, at: (u32, u32), zh: String, en: String) {
        self.found
            .push((Diagnostic::warning(code, Loc::START, zh, en), at));
    }

    /// `xlsx.merge`: a field's cell merged otherwise than the layout merges it.
    fn merged(&mut self, sheet: &Sheet, grid: &Grid, cell: &Cell, at: (u32, u32), height: u32) {
        let want = (cell.colspan as u32, height);
        let have = match sheet.merge_at(at.0, at.1) {
            Some(m) if m.start == at => (m.end.1 - m.start.1 + 1, m.end.0 - m.start.0 + 1),
            Some(_) => (0, 0),
            None => (1, 1),
        };
        // Rows are only compared for a cell the layout does not span down (list rows may grow).
        let item = item_list(grid, cell).is_some();
        let rows_ok = cell.rowspan > 1 || have.1 == want.1 || item;
        // A row inserted in Excel copies the formats above it but not the merges: a list row
        // whose cells are not merged at all is such a row, not a mistake.
        let inserted = item && have == (1, 1);
        if (have.0 != want.0 || !rows_ok) && !inserted {
            let name = cell_name(at.0, at.1);
            let end = cell_name(at.0 + want.1 - 1, at.1 + want.0 - 1);
            let expected = if want == (1, 1) {
                name.clone()
            } else {
                format!("{name}:{end}")
            };
            self.note(
                Code::XlsxMerge,
                at,
                format!("单元格 {name} 的合并方式与版式不同（版式为 {expected}）：值仍从 {name} 读取"),
                format!("cell {name} is merged otherwise than the layout ({expected}): its value is still read from {name}"),
            );
        }
    }

    /// The value of a field cell as a YAML scalar, with the notes reading it needs.
    fn value(
        &mut self,
        sheet: &Sheet,
        cell: &Cell,
        at: (u32, u32),
        shape: &Shape,
        label: &str,
    ) -> Got {
        let name = cell_name(at.0, at.1);
        let data = sheet.values.get_value(at).cloned().unwrap_or(Data::Empty);
        if let Some(f) = sheet.formula(at.0, at.1) {
            let cached = plain(&data);
            let (zh, en) = if cached.is_empty() {
                (
                    "没有保存计算结果，按空白读取".to_string(),
                    "has no saved result: read as blank".to_string(),
                )
            } else {
                (
                    format!("按保存的计算结果 {cached} 读取"),
                    format!("its saved result {cached} is read"),
                )
            };
            self.note(
                Code::XlsxFormula,
                at,
                format!("{label}（{name}）是公式 ={f}：{zh}；请填写数值"),
                format!("{label} ({name}) is a formula ={f}: {en}; type the value instead"),
            );
        }
        let field = cell.field.as_deref().unwrap_or("");
        let yaml = match (&data, shape) {
            (Data::Empty, _) => None,
            // The `—` an execution row's part prints for the block's 分值 and 得分.
            (Data::String(s), _) if s.trim() == "—" && field.starts_with("execution.rows.") => {
                None
            }
            (Data::String(s), _) if s.trim().is_empty() => None,
            (Data::DateTime(_) | Data::DateTimeIso(_), Shape::Text | Shape::Ticks(_)) => {
                let text = plain(&data);
                self.note(
                    Code::XlsxType,
                    at,
                    format!("{label}（{name}）是日期单元格，按文字 {text} 读取；请把单元格设为文本格式"),
                    format!("{label} ({name}) is a date cell, read as the text {text}; format the cell as text"),
                );
                Some(quote(&text))
            }
            (Data::Float(_) | Data::Int(_), Shape::Text | Shape::Ticks(_)) => {
                let text = plain(&data);
                // An indicator's name or value, or a year of 近两年收支金额, may well be a number.
                let may = ["indicators.", "midterm_indicators.", "history."]
                    .iter()
                    .any(|p| field.starts_with(p));
                if !may {
                    self.note(
                        Code::XlsxType,
                        at,
                        format!("{label}（{name}）应填文字，读到数值 {text}，按文字读取"),
                        format!(
                            "{label} ({name}) takes text but holds the number {text}: read as text"
                        ),
                    );
                }
                Some(quote(&text))
            }
            (_, Shape::Text) => Some(quote(plain(&data).trim())),
            (_, Shape::Ticks(options)) => ticked(&plain(&data), options).map(|t| quote(&t)),
            // In the layout's unit: a form in 元 reads as a declaration in 元.
            (Data::Float(_) | Data::Int(_), Shape::Money { .. }) => Some(match number(&data) {
                Some(d) => {
                    self.amounts.push(at);
                    d.normalize().to_string()
                }
                None => quote(&plain(&data)),
            }),
            (Data::Float(_) | Data::Int(_), Shape::Percent) => Some(match number(&data) {
                Some(d) => format!("{}%", (d * Decimal::ONE_HUNDRED).normalize()),
                None => quote(&plain(&data)),
            }),
            (Data::Float(_) | Data::Int(_), Shape::Count) => Some(plain(&data)),
            (Data::Bool(b), Shape::Check) => Some(b.to_string()),
            (_, Shape::Check) => {
                let t = squeeze(&plain(&data));
                Some(match t.as_str() {
                    "■是□否" | "是" | "☑是☐否" => "true".into(),
                    "□是■否" | "否" | "☐是☑否" => "false".into(),
                    "□是□否" => {
                        return Got {
                            yaml: None,
                            at,
                            label: label.into(),
                        };
                    }
                    _ => quote(&plain(&data)),
                })
            }
            (_, Shape::Money { .. } | Shape::Percent | Shape::Count) => {
                let text = plain(&data);
                self.note(
                    Code::XlsxType,
                    at,
                    format!("{label}（{name}）应填数值，读到文字“{}”", text.trim()),
                    format!(
                        "{label} ({name}) takes a number but holds the text `{}`",
                        text.trim()
                    ),
                );
                Some(quote(text.trim()))
            }
        };
        Got {
            yaml,
            at,
            label: label.to_string(),
        }
    }

    /// The lines around the table: the year and unit lines above it, the sign-off line under.
    fn furniture(&mut self, sheet: &Sheet, grid: &Grid, layout: &Layout, top: u32, end: u32) {
        let f = &layout.def.furniture;
        let mut above: Vec<(u32, u32, String)> = Vec::new();
        for r in 0..top {
            for c in 0..grid.columns_mm.len() as u32 {
                if sheet.merge_at(r, c).is_some_and(|m| m.start != (r, c)) {
                    continue;
                }
                let t = plain(sheet.shown(r, c));
                if !t.trim().is_empty() {
                    above.push((r, c, t));
                }
            }
        }
        let templates = [
            f.year.as_ref(),
            f.above.left.as_ref(),
            f.above.right.as_ref(),
            f.annex.as_ref(),
        ];
        for t in templates.into_iter().flatten() {
            for (r, c, text) in &above {
                if let Some(found) = unfill(&t.value, text) {
                    for (path, value) in found {
                        if fields::scalar_known(layout.kind, &path).is_some() {
                            let v = value.trim();
                            let yaml = if v.is_empty() {
                                None
                            } else if path == "year" && v.parse::<u16>().is_ok() {
                                Some(v.to_string())
                            } else {
                                Some(quote(v))
                            };
                            let label = t.value.replace(&format!("{{{path}}}"), "…");
                            self.tree.set(
                                &path,
                                Y::Scalar(Got {
                                    yaml,
                                    at: (*r, *c),
                                    label,
                                }),
                            );
                        }
                    }
                    break;
                }
            }
        }
        // The lines under the table (hunan-2017: `填报人：…　　　联系电话：…`), as written.
        for line in &f.under {
            let template = match (&line.left, &line.right) {
                (Some(l), Some(r)) => format!("{}　　　{}", l.value, r.value),
                (Some(t), None) | (None, Some(t)) => t.value.clone(),
                (None, None) => continue,
            };
            if !template.contains('{') {
                continue;
            }
            for r in end..=sheet.last_row() {
                let Some(found) = unfill(&template, &plain(sheet.shown(r, 0))) else {
                    continue;
                };
                for (path, value) in found {
                    if fields::scalar_known(layout.kind, &path).is_some() {
                        let v = value.trim();
                        self.tree.set(
                            &path,
                            Y::Scalar(Got {
                                yaml: (!v.is_empty()).then(|| quote(v)),
                                at: (r, 0),
                                label: template_label(&template, &path),
                            }),
                        );
                    }
                }
                break;
            }
        }
        // The sign-off line: `填报人：费雪松　　　联系电话：…`.
        let Some(first) = f.signoff.first() else {
            return;
        };
        let lead = format!("{}：", first.label);
        for r in end..=sheet.last_row() {
            let text = plain(sheet.shown(r, 0));
            if !text.trim_start().starts_with(&lead) {
                continue;
            }
            let mut rest = text.trim().to_string();
            let parts: Vec<_> = f.signoff.iter().collect();
            for (i, part) in parts.iter().enumerate() {
                let head = format!("{}：", part.label);
                let Some(start) = rest.find(&head) else {
                    continue;
                };
                let after = &rest[start + head.len()..];
                let stop = parts[i + 1..]
                    .iter()
                    .filter_map(|p| after.find(&format!("{}：", p.label)))
                    .min()
                    .unwrap_or(after.len());
                let value = after[..stop]
                    .trim_matches(|c: char| c.is_whitespace())
                    .to_string();
                if let Some(field) = &part.field {
                    let yaml = (!value.is_empty()).then(|| quote(&value));
                    self.tree.set(
                        &field.value,
                        Y::Scalar(Got {
                            yaml,
                            at: (r, 0),
                            label: part.label.clone(),
                        }),
                    );
                }
                rest = after[stop..].to_string();
            }
            break;
        }
    }

    /// The YAML text, its cell map, and the notes located. `precision`: the places the form's
    /// amounts show, when not the layout's own (`precision: 4` of a hubei-2021 form).
    fn finish(mut self, detail: Option<&Range<Data>>, precision: Option<u32>) -> Read {
        let extra = self.detail(detail);
        let mut tree = std::mem::take(&mut self.tree);
        for (at, what) in execution_rows(&mut tree) {
            let name = cell_name(at.0, at.1);
            self.note(
                Code::XlsxUnread,
                at,
                format!("单元格 {name} 有内容“{what}”，但分项行没有分值、原因（它们属于第一行 年度资金总额）：没有读取"),
                format!("cell {name} holds `{what}` but a part's row has no 分值 or reason (they are the first row's): not read"),
            );
        }
        // 指标明细 lists the 年度 indicators of every project, in the form's order.
        let mut annual = 0;
        let rows: Vec<(&IndicatorRead, Option<&Extra>)> = self
            .indicators
            .iter()
            .map(|row| {
                if row.midterm {
                    (row, None)
                } else {
                    annual += 1;
                    (row, extra.get(annual - 1))
                }
            })
            .collect();
        let of = |band: usize, midterm: bool| {
            indicator_tree(
                rows.iter()
                    .filter(|(r, _)| r.band == band && r.midterm == midterm)
                    .copied(),
            )
        };
        let indicators = of(0, false);
        let midterm = of(0, true);
        history(&mut tree);
        // The year and unit (read from the lines above the table) first, as a YAML file has them.
        tree.0.sort_by_key(|(k, _)| match k.as_str() {
            "year" => 0,
            "unit" => 1,
            _ => 2,
        });
        let setting = |key: &str, value: String, label: &str| {
            (
                key.to_string(),
                Y::Scalar(Got {
                    yaml: Some(value),
                    at: (0, 0),
                    label: label.into(),
                }),
            )
        };
        let at = tree
            .0
            .iter()
            .take_while(|(k, _)| k == "year" || k == "unit")
            .count();
        let selfeval = is_selfeval(self.kind);
        if let Some(p) = precision.filter(|_| !selfeval) {
            tree.0
                .insert(at, setting("precision", p.to_string(), "金额小数位数"));
        }
        if self.yuan && !selfeval {
            // The form's amounts are in 元: so is the declaration read from it.
            tree.0
                .insert(at, setting("amount_unit", "元".into(), "金额单位"));
        }
        // The sign-off block last, after the indicators.
        let signoff = tree
            .0
            .iter()
            .position(|(k, _)| k == "signoff")
            .map(|i| tree.0.remove(i));
        tree.0.push((
            "indicators".into(),
            if indicators.is_empty() {
                // An empty table: `indicators:` left blank, at the table's first row.
                Y::Scalar(Got {
                    yaml: None,
                    at: self.indicator_top.unwrap_or((0, 0)),
                    label: String::new(),
                })
            } else {
                Y::Map(indicators)
            },
        ));
        if !midterm.is_empty() {
            tree.0.push(("midterm_indicators".into(), Y::Map(midterm)));
        }
        // The further projects (sichuan-2023): a project's unit is the file's unless it differs.
        let unit = tree
            .0
            .iter()
            .find(|(k, _)| k == "unit")
            .and_then(|(_, v)| match v {
                Y::Scalar(g) => g.yaml.clone(),
                _ => None,
            });
        let projects: Vec<Y> = std::mem::take(&mut self.projects)
            .into_iter()
            .enumerate()
            .map(|(i, mut t)| {
                t.0.retain(|(k, v)| {
                    !(k == "unit"
                        && matches!(v, Y::Scalar(g) if g.yaml.is_none() || g.yaml == unit))
                });
                let ind = of(i + 1, false);
                if !ind.is_empty() {
                    t.0.push(("indicators".into(), Y::Map(ind)));
                }
                Y::Map(t.0)
            })
            .collect();
        if !projects.is_empty() {
            tree.0.push(("projects".into(), Y::Seq(projects)));
        }
        tree.0.extend(signoff);
        let mut yaml = format!("form: {}\n", self.kind.key());
        let mut e = Emitter {
            line: 1,
            cells: CellMap {
                sheet: self.sheet.clone(),
                lines: vec![(1, 0, 0)],
            },
        };
        if !crate::layouts::is_path(&self.layout) {
            e.push(&mut yaml, &format!("layout: {}", self.layout), None);
        }
        e.map(&tree.0, 0, &mut yaml);
        // Each note about a cell without a line of its own gets a line past the end.
        let mut diagnostics = Vec::new();
        let mut line = e.line;
        for (mut d, at) in self.found {
            line += 1;
            e.cells.add(line, at);
            d.loc = Loc::new(line, 1);
            diagnostics.push(d);
        }
        Read {
            yaml,
            cells: Arc::new(e.cells),
            diagnostics,
            kind: self.kind,
            layout: self.layout,
        }
    }

    /// 权重 and 方向 of each indicator from the 指标明细 sheet, when it lists the same
    /// indicators (一级, 二级, 三级) in the same order as the form; else nothing.
    fn detail(&self, sheet: Option<&Range<Data>>) -> Vec<Vec<(String, Got)>> {
        let Some(sheet) = sheet else {
            return Vec::new();
        };
        let text = |r: u32, c: u32| {
            plain(sheet.get_value((r, c)).unwrap_or(&Data::Empty))
                .trim()
                .to_string()
        };
        let head: Vec<String> = (0..super::DETAIL_COLUMNS.len() as u32)
            .map(|c| text(0, c))
            .collect();
        if head
            .iter()
            .zip(super::DETAIL_COLUMNS.iter())
            .any(|(h, (n, _))| h != n)
        {
            return Vec::new();
        }
        let annual: Vec<&IndicatorRead> = self.indicators.iter().filter(|r| !r.midterm).collect();
        let rows = annual.len() as u32;
        let same = annual.iter().enumerate().all(|(i, row)| {
            let r = i as u32 + 1;
            let name = row
                .fields
                .iter()
                .find(|(k, _)| k == "name")
                .and_then(|(_, g)| g.yaml.as_deref())
                .map(unquote)
                .unwrap_or_default();
            row.level1.yaml.as_deref().map(unquote).unwrap_or_default() == text(r, 0)
                && row.level2.yaml.as_deref().map(unquote).unwrap_or_default() == text(r, 1)
                && name == text(r, 2)
        });
        if !same || !text(rows + 1, 2).is_empty() {
            return Vec::new();
        }
        (1..=rows)
            .map(|r| {
                let at = annual[r as usize - 1]
                    .fields
                    .first()
                    .map_or((0, 0), |(_, g)| g.at);
                let mut out = Vec::new();
                if let Some(w) = sheet.get_value((r, 6)).and_then(number) {
                    out.push((
                        "weight".to_string(),
                        Got {
                            yaml: Some(w.normalize().to_string()),
                            at,
                            label: "权重（指标明细）".into(),
                        },
                    ));
                }
                // A self-evaluation's 分值 and 得分 (the columns after the target's), for a form
                // that does not print them (transfer): a row's own cells come first.
                for (c, key, name) in [(10, "points", "分值"), (11, "score", "得分")] {
                    if text(0, c) != name {
                        continue;
                    }
                    if let Some(v) = sheet.get_value((r, c)).and_then(number) {
                        out.push((
                            key.to_string(),
                            Got {
                                yaml: Some(v.normalize().to_string()),
                                at,
                                label: format!("{name}（指标明细）"),
                            },
                        ));
                    }
                }
                let written = text(r, 8);
                if !written.is_empty() {
                    out.push((
                        "written".to_string(),
                        Got {
                            yaml: Some(quote(&written)),
                            at,
                            label: "原文（指标明细）".into(),
                        },
                    ));
                }
                let d = text(r, 7);
                if !d.is_empty() {
                    out.push((
                        "direction".to_string(),
                        Got {
                            yaml: Some(quote(&d)),
                            at,
                            label: "指标方向性（指标明细）".into(),
                        },
                    ));
                }
                out
            })
            .collect()
    }
}

/// The first and last columns of the free-text cell at row `r` of the indicator list `list` (its 二级
/// cell merged on this row alone across the 三级 and 指标值 columns), if the row has one.
fn free_text_end(sheet: &Sheet, pattern: &[&Cell], r: u32, list: &str) -> Option<(u32, u32)> {
    let of = |leaf: &str| {
        pattern
            .iter()
            .find(|c| c.field.as_deref() == Some(&format!("{list}.{leaf}")))
    };
    let level2 = of("level2")?;
    let last = crate::layouts::interp::FREE_TEXT_COLUMNS
        .iter()
        .filter(|l| **l != "level2")
        .filter_map(|l| of(l))
        .map(|c| c.last_col() as u32)
        .max()?;
    let at = (r, level2.col as u32);
    let m = sheet.merge_at(at.0, at.1)?;
    (m.start == at && m.end.0 == r && m.end.1 >= last).then_some((at.1, m.end.1))
}

/// Indicator rows as the YAML tree: 一级 → 二级 → items, in the order met (a name met again
/// joins its group); `extra`: what 指标明细 adds to a row (权重, 方向).
fn indicator_tree<'a>(
    rows: impl Iterator<Item = (&'a IndicatorRead, Option<&'a Extra>)>,
) -> Vec<(String, Y)> {
    // Per 一级: its 二级 groups and its free-text indicators.
    let mut l1s: Vec<(String, Vec<Level2Items>, Vec<Y>)> = Vec::new();
    for (row, extra) in rows {
        let k1 = row.level1.yaml.as_deref().map(unquote).unwrap_or_default();
        let k2 = row.level2.yaml.as_deref().map(unquote).unwrap_or_default();
        let pos1 = l1s.iter().position(|(k, ..)| *k == k1).unwrap_or_else(|| {
            l1s.push((k1.clone(), Vec::new(), Vec::new()));
            l1s.len() - 1
        });
        if row.free {
            l1s[pos1]
                .2
                .extend(row.fields.iter().map(|(_, g)| Y::Scalar(g.clone())));
            continue;
        }
        let groups = &mut l1s[pos1].1;
        let pos2 = groups
            .iter()
            .position(|(k, _)| *k == k2)
            .unwrap_or_else(|| {
                groups.push((k2.clone(), Vec::new()));
                groups.len() - 1
            });
        let mut entries: Vec<(String, Got)> = row.fields.clone();
        for (k, g) in extra.into_iter().flatten() {
            if !entries.iter().any(|(e, _)| e == k) {
                entries.push((k.clone(), g.clone()));
            }
        }
        split_value(&mut entries);
        as_written(&mut entries);
        // The full form needs `name` first.
        entries.sort_by_key(|(k, _)| {
            [
                "name",
                "op",
                "value",
                "unit",
                "weight",
                "direction",
                "note",
                "explanation",
                "standard",
            ]
            .iter()
            .position(|n| n == k)
            .unwrap_or(9)
        });
        groups[pos2].1.push(Y::Map(
            entries
                .into_iter()
                .map(|(k, g)| (k, Y::Scalar(g)))
                .collect(),
        ));
    }
    l1s.into_iter()
        .map(|(k1, groups, mut texts)| {
            let groups: Vec<(String, Y)> = groups
                .into_iter()
                .map(|(k2, items)| (k2, Y::Seq(items)))
                .collect();
            if texts.is_empty() {
                return (k1, Y::Map(groups));
            }
            // Free text and 二级 groups under one 一级 (an edited workbook): the groups follow
            // as items of the list, which reading the declaration reports (`yaml.type`).
            texts.extend(groups.into_iter().map(|g| Y::Map(vec![g])));
            (k1, Y::Seq(texts))
        })
        .collect()
}

/// An indicator's value printed in parts (sichuan-2023: 指标性质 | 指标值 | 度量单位) as the
/// declaration's parts: `op` (the 性质 when it is a comparator; 定性 has none), `value`, `unit`.
fn split_value(entries: &mut Vec<(String, Got)>) {
    let take = |entries: &mut Vec<(String, Got)>, key: &str| {
        entries
            .iter()
            .position(|(k, _)| k == key)
            .map(|i| entries.remove(i).1)
    };
    let nature = take(entries, "nature");
    let number = take(entries, "number");
    if let Some(mut n) = nature {
        let text = n.yaml.as_deref().map(unquote).unwrap_or_default();
        if !text.is_empty() && text != "定性" {
            n.yaml = Some(quote(&text));
            entries.push(("op".into(), n));
        }
    }
    if let Some(number) = number
        && !entries.iter().any(|(k, _)| k == "value")
    {
        entries.push(("value".into(), number));
    }
}

/// The value as the declaration wrote it (指标明细's 原文, `written`), when it says what the form
/// shows (`≧36次` for `≥36次`, `≤639.70万元` for ≤ | 639.7 | 万元; a number without a comparator
/// for 指标性质 `=`): the text goes back as written, else the form's value stands.
fn as_written(entries: &mut Vec<(String, Got)>) {
    use crate::declaration::value::{Comparator, IndicatorValue, Quantity};
    let Some(i) = entries.iter().position(|(k, _)| k == "written") else {
        return;
    };
    let written = entries.remove(i).1;
    let Some(w) = written
        .yaml
        .as_deref()
        .map(unquote)
        .filter(|w| !w.is_empty())
    else {
        return;
    };
    let get = |k: &str| {
        entries
            .iter()
            .find(|(e, _)| e == k)
            .and_then(|(_, g)| g.yaml.as_deref())
            .map(unquote)
    };
    let Some(value) = get("value") else {
        return;
    };
    let op = match get("op") {
        Some(op) => match Comparator::strip(op.trim()) {
            Some((c, rest)) if rest.trim().is_empty() => Some(c),
            _ => return,
        },
        None => None,
    };
    let shown = IndicatorValue::from_parts(op, &value, get("unit").as_deref());
    let original = IndicatorValue::parse(&w);
    let same_op = shown.comparator == original.comparator
        || (shown.comparator == Some(Comparator::Eq)
            && original.comparator.is_none()
            && matches!(original.quantity, Quantity::Number { .. }));
    if !same_op || shown.quantity != original.quantity {
        return;
    }
    entries.retain(|(k, _)| !matches!(k.as_str(), "op" | "unit"));
    if let Some((_, g)) = entries.iter_mut().find(|(k, _)| k == "value") {
        g.yaml = Some(quote(&w));
    }
}

/// A self-evaluation's execution rows as the declaration has them: the first row's 分值 and 原因
/// are the block's (`execution.points`, `execution.reason`); a part's are its `—`. Returns what
/// a part's row holds there (not read: the cell and its text).
fn execution_rows(tree: &mut Tree) -> Vec<((u32, u32), String)> {
    let mut dropped = Vec::new();
    let Some(execution) = tree.0.iter_mut().find(|(k, _)| k == "execution") else {
        return dropped;
    };
    let Y::Map(block) = &mut execution.1 else {
        return dropped;
    };
    let Some(rows) = block.iter_mut().find(|(k, _)| k == "rows") else {
        return dropped;
    };
    let Y::Seq(items) = &mut rows.1 else {
        return dropped;
    };
    let mut lifted = Vec::new();
    for (i, item) in items.iter_mut().enumerate() {
        let Y::Map(fields) = item else { continue };
        let mut kept = Vec::new();
        for (k, v) in std::mem::take(fields) {
            match k.as_str() {
                "points" | "reason" => {
                    if i == 0 {
                        lifted.push((k, v));
                    } else if let Y::Scalar(Got {
                        yaml: Some(text),
                        at,
                        ..
                    }) = &v
                    {
                        dropped.push((*at, unquote(text)));
                    }
                }
                _ => kept.push((k, v)),
            }
        }
        *fields = kept;
    }
    for (k, v) in lifted {
        if filled(&v) {
            match block.iter_mut().find(|(e, _)| *e == k) {
                Some(e) if !filled(&e.1) => e.1 = v,
                Some(_) => {}
                None => block.insert(0, (k, v)),
            }
        }
    }
    dropped
}

/// 近两年收支金额 read as `history.1.…`, `history.2.…` (one column a year) → the `history` list,
/// each year's `2023年` header as its `year: 2023`; years left blank at the end are left out.
fn history(tree: &mut Tree) {
    let Some(i) = tree.0.iter().position(|(k, _)| k == "history") else {
        return;
    };
    let Y::Map(years) = tree.0[i].1.clone() else {
        return;
    };
    let mut items: Vec<(u32, Y)> = years
        .into_iter()
        .filter_map(|(k, v)| Some((k.parse::<u32>().ok()?, v)))
        .collect();
    items.sort_by_key(|(n, _)| *n);
    let mut items: Vec<Y> = items
        .into_iter()
        .map(|(_, mut year)| {
            if let Y::Map(entries) = &mut year {
                for (k, v) in entries.iter_mut() {
                    if let (true, Y::Scalar(g)) = (k == "year", v) {
                        g.yaml = g.yaml.as_deref().map(|y| {
                            let y = unquote(y);
                            let y = y.trim().trim_end_matches('年').trim();
                            if y.parse::<u16>().is_ok() {
                                y.to_string()
                            } else {
                                quote(y)
                            }
                        });
                    }
                }
            }
            year
        })
        .collect();
    while items.last().is_some_and(|y| !filled(y)) {
        items.pop();
    }
    let (key, _) = tree.0.remove(i);
    if !items.is_empty() {
        // After this year's budget, as a declaration has it (the years head their columns, so
        // they are met first).
        let at = tree
            .0
            .iter()
            .position(|(k, _)| k == "budget")
            .map_or(i, |b| b + 1);
        tree.0.insert(at.min(tree.0.len()), (key, Y::Seq(items)));
    }
}

/// Whether any value of `y` is given.
fn filled(y: &Y) -> bool {
    match y {
        Y::Scalar(g) => g.yaml.is_some(),
        Y::Map(entries) => entries.iter().any(|(_, v)| filled(v)),
        Y::Seq(items) => items.iter().any(filled),
        Y::Raw(_) => true,
    }
}

/// A number cell as an exact Decimal, through its shortest text.
fn number(d: &Data) -> Option<Decimal> {
    match d {
        Data::Float(f) if f.is_finite() => Decimal::from_str(&shortest(*f)).ok(),
        Data::Int(i) => Some(Decimal::from(*i)),
        _ => None,
    }
}

fn unquote(s: &str) -> String {
    serde_json::from_str::<String>(s).unwrap_or_else(|_| s.to_string())
}

/// The option a tick-box text names: `■新增 □延续` → 新增; `□新增 □延续（其他）` → 其他; plain
/// text (typed over the boxes) as it is; None when nothing is ticked.
fn ticked(text: &str, options: &[String]) -> Option<String> {
    let t = text.trim();
    if !t.contains(['■', '□']) {
        return (!t.is_empty()).then(|| t.to_string());
    }
    if let Some(o) = options.iter().find(|o| t.contains(&format!("■{o}"))) {
        return Some(o.clone());
    }
    let open = t.find('（')?;
    let close = t.rfind('）')?;
    (close > open)
        .then(|| t[open + '（'.len_utf8()..close].to_string())
        .filter(|s| !s.is_empty())
}

/// The label of `{path}` in a furniture text: the words before it (`联系电话：{signoff.phone}` →
/// `联系电话`).
fn template_label(template: &str, path: &str) -> String {
    let head = template.split(&format!("{{{path}}}")).next().unwrap_or("");
    let head = head.rsplit('}').next().unwrap_or(head);
    head.trim().trim_end_matches(['：', ':']).trim().to_string()
}

/// The fields a furniture text with `{field}`s was filled with, if `text` is that template
/// filled in: `（{year}年度）` and `（2023年度）` → year = 2023.
fn unfill(template: &str, text: &str) -> Option<Vec<(String, String)>> {
    // Literal parts and fields, alternating, starting with a literal.
    let mut lits = Vec::new();
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        lits.push(&rest[..open]);
        names.push(rest[open + 1..close].to_string());
        rest = &rest[close + 1..];
    }
    lits.push(rest);
    if names.is_empty() {
        return None;
    }
    let text = text.trim();
    let mut at = text.strip_prefix(lits[0])?;
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let lit = lits[i + 1];
        let (value, next) = if i + 1 == names.len() {
            (at.strip_suffix(lit)?, "")
        } else if lit.is_empty() {
            return None;
        } else {
            let p = at.find(lit)?;
            (&at[..p], &at[p + lit.len()..])
        };
        out.push((name.clone(), value.to_string()));
        at = next;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers_read_exactly() {
        assert_eq!(serial_date(44936.0).as_deref(), Some("2023-01-10"));
        assert_eq!(serial_date(1.0).as_deref(), Some("1899-12-31"));
        assert_eq!(
            number(&Data::Float(0.1)),
            Some(Decimal::from_str("0.1").unwrap())
        );
        assert_eq!(
            number(&Data::Float(1053.78)),
            Some(Decimal::from_str("1053.78").unwrap())
        );
        assert_eq!(number(&Data::Float(f64::NAN)), None);
    }

    #[test]
    fn furniture_texts_give_their_fields_back() {
        assert_eq!(
            unfill("（{year}年度）", "（2023年度）"),
            Some(vec![("year".into(), "2023".into())])
        );
        assert_eq!(
            unfill("填报单位（盖章）：{unit}", "填报单位（盖章）：柴桑区"),
            Some(vec![("unit".into(), "柴桑区".into())])
        );
        assert_eq!(unfill("（{year}年度）", "金额单位：万元"), None);
        assert_eq!(unfill("金额单位：万元", "金额单位：万元"), None);
    }

    #[test]
    fn texts_read_back_as_written_plain_or_quoted() {
        use crate::declaration::tree::{Kind, load};
        let texts = [
            "柴桑区行政审批局",
            "≥12次",
            "=4枚",
            "100%",
            "2023.01-2023.12",
            "0",
            "007",
            "1e3",
            "yes",
            "No",
            "null",
            "~",
            "- x",
            "a: b",
            "a #b",
            "x:",
            "#x",
            "  x",
            "x ",
            "'x'",
            "\"x\"",
            "[x]",
            "{x}",
            "*x",
            "&x",
            "!x",
            "|x",
            ">x",
            "%x",
            "@x",
            "`x`",
            "a\tb",
            "a\nb",
            "深化\"放管服\"改革",
            "：全角",
            "?x",
            "——",
        ];
        for t in texts {
            let doc = load(&format!("k: {}\n", quote(t))).root.unwrap();
            let Kind::Map(entries) = doc.kind else {
                panic!("{t}")
            };
            assert_eq!(
                entries[0].1.kind,
                Kind::Scalar(t.to_string()),
                "{t:?} as {}",
                quote(t)
            );
        }
        assert_eq!(quote("柴桑区行政审批局"), "柴桑区行政审批局");
    }

    #[test]
    fn tick_boxes_name_their_option() {
        let o = vec!["新增".to_string(), "延续".to_string()];
        assert_eq!(ticked("□新增 ■延续", &o).as_deref(), Some("延续"));
        assert_eq!(ticked("□新增 □延续", &o), None);
        assert_eq!(ticked("□新增 □延续 （其他）", &o).as_deref(), Some("其他"));
        assert_eq!(ticked("延续项目", &o).as_deref(), Some("延续项目"));
    }

    #[test]
    fn the_skeletons_parse_without_errors() {
        for kind in [FormKind::Project, FormKind::Department] {
            let out = crate::declaration::parse(&skeleton_yaml(kind));
            let errors: Vec<_> = out
                .diagnostics
                .iter()
                .filter(|d| {
                    d.code == Code::YamlSyntax
                        || d.code == Code::YamlUnknownKey
                        || d.code == Code::YamlType
                })
                .collect();
            assert!(
                errors.is_empty(),
                "{kind:?}: {errors:?}\n{}",
                skeleton_yaml(kind)
            );
            let layout = crate::layouts::builtin(crate::layouts::DEFAULT, kind).unwrap();
            let grid = skeleton(&layout).unwrap();
            let segs = segments(&grid);
            assert!(
                segs.iter()
                    .any(|s| matches!(s, Segment::Repeat("indicators", _)))
            );
        }
    }
}
