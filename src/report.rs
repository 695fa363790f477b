//! Showing diagnostics: to a person (like a compiler: `file:line:col`, the source line, a caret
//! under the node) or to a program (one JSON array for the whole run).
//!
//! `jixiao check` and `jixiao render` both print a file's diagnostics through [`human`] (or
//! [`json`]), so the two commands word them identically.
//!
//! ```text
//! data/x.yaml:34:12: error[budget.income-sum]: 合计与分项不符：收入合计 1203.78 ≠ …
//!    |
//! 34 |     total: 1203.78
//!    |            ^^^^^^^
//! ```

use std::fmt::Write as _;

use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

use crate::check::Checked;
use crate::diagnostic::{Diagnostic, Lang, Loc, lines};
use crate::messages::{Msg, plural};

/// Tabs in a source line are shown as spaces up to the next multiple of this.
const TAB_STOP: usize = 4;
/// A source line longer than this many characters is shown as a window around the caret.
const MAX_SHOWN_CHARS: usize = 120;

/// At most this many diagnostics of one file are shown to a person; the rest are counted in an
/// "and N more" line (a font without 汉字 can give tens of thousands of `text.glyph` errors, which
/// would bury everything else). `--format json` is for programs and keeps every diagnostic.
pub const MAX_SHOWN_PER_FILE: usize = 100;

/// Where each line of a text starts and ends, found in one pass, so that showing many
/// diagnostics of a large file costs one scan of it rather than one per diagnostic.
pub struct LineIndex<'a> {
    text: &'a str,
    /// (start, end) byte offsets of each line, without its line end.
    lines: Vec<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let base = text.as_ptr() as usize;
        let lines = lines(text)
            .map(|l| {
                (
                    l.as_ptr() as usize - base,
                    l.as_ptr() as usize - base + l.len(),
                )
            })
            .collect();
        LineIndex { text, lines }
    }

    /// The text of 1-based line `n`, without its line end or a leading byte-order mark.
    pub fn line(&self, n: u32) -> Option<&'a str> {
        let &(start, end) = self.lines.get((n as usize).checked_sub(1)?)?;
        let line = &self.text[start..end];
        Some(if n == 1 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        })
    }
}

/// Every diagnostic of one file (up to [`MAX_SHOWN_PER_FILE`], then how many more), each with
/// its source line and caret, then the file's summary line. Ends with a newline.
pub fn human(checked: &Checked, lang: Lang) -> String {
    let mut out = String::new();
    let path = crate::inputs::shown(&checked.path);
    let index = LineIndex::new(&checked.text);
    for d in checked.diagnostics.iter().take(MAX_SHOWN_PER_FILE) {
        match &d.file {
            // About another file (a self-evaluation's target): its path, its line.
            Some(other) => {
                let other_index = LineIndex::new(&other.text);
                out.push_str(&diagnostic(
                    &crate::inputs::shown(&other.path),
                    &other_index,
                    d,
                    lang,
                ));
            }
            None => out.push_str(&located(checked, &path, &index, d, lang)),
        }
    }
    if let Some(hidden) = checked
        .diagnostics
        .get(MAX_SHOWN_PER_FILE..)
        .filter(|h| !h.is_empty())
    {
        let (n, errors) = (hidden.len(), hidden.iter().filter(|d| d.is_error()).count());
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!(
                    "{path}：另有 {n} 条诊断未显示（其中 {errors} 个错误）；--format json 列出全部"
                ),
                Lang::En => format!(
                    "{path}: and {n} more diagnostics not shown ({errors} errors); --format json lists them all"
                ),
            }
        );
    }
    out.push_str(&file_summary(checked, lang));
    out.push('\n');
    out
}

/// One diagnostic of `checked`: [`diagnostic`] for a YAML file; for a workbook the line
/// `path:工作表!D7: severity[code]: message` (the cell the diagnostic is about).
pub fn located(
    checked: &Checked,
    path: &str,
    index: &LineIndex,
    d: &Diagnostic,
    lang: Lang,
) -> String {
    match (&checked.cells, &d.file) {
        (Some(cells), None) => format!(
            "{path}:{}!{}: {}[{}]: {}\n",
            cells.sheet,
            cells.name(d.loc),
            d.severity.as_str(),
            d.code,
            d.message(lang)
        ),
        // A workbook that could not be read as a form: no line, no cell to point at.
        (None, None) if checked.text.is_empty() && crate::check::is_workbook(&checked.path) => {
            format!(
                "{path}: {}[{}]: {}\n",
                d.severity.as_str(),
                d.code,
                d.message(lang)
            )
        }
        _ => diagnostic(path, index, d, lang),
    }
}

/// One diagnostic: the `path:line:col: severity[code]: message` line and the source excerpt.
pub fn diagnostic(path: &str, index: &LineIndex, d: &Diagnostic, lang: Lang) -> String {
    let mut out = format!(
        "{path}:{}:{}: {}[{}]: {}\n",
        d.loc.line,
        d.loc.column,
        d.severity.as_str(),
        d.code,
        d.message(lang)
    );
    if let Some(line) = index.line(d.loc.line) {
        out.push_str(&snippet_of_line(line, d.loc));
    }
    out
}

/// The source line at `loc` with a line-number gutter and a caret under the node, e.g.
///
/// ```text
///    |
/// 34 |     total: 1203.78
///    |            ^^^^^^^
/// ```
///
/// Empty when the file has no such line. Carets line up under CJK text (two columns a character)
/// and tabs.
pub fn snippet(text: &str, loc: Loc) -> String {
    match LineIndex::new(text).line(loc.line) {
        Some(line) => snippet_of_line(line, loc),
        None => String::new(),
    }
}

/// [`snippet`] for the line itself (`loc.line` is only printed).
fn snippet_of_line(line: &str, loc: Loc) -> String {
    let count = line.chars().count();
    let col = (loc.column as usize).saturating_sub(1).min(count);
    // Show a window of very long lines (a 10 MB string on one line stays readable).
    let (start, end) = if count > MAX_SHOWN_CHARS {
        let start = col.saturating_sub(MAX_SHOWN_CHARS / 2);
        (start, (start + MAX_SHOWN_CHARS).min(count))
    } else {
        (0, count)
    };
    // Only the window's characters are collected (indices below stay those of the line).
    let window: Vec<char> = line.chars().skip(start).take(end - start).collect();
    let at = |i: usize| window[i - start];
    let rest: Vec<char> = (col..end.max(col)).map(at).collect();
    let mut shown = String::new();
    let mut caret_at = 0;
    let mut width = 0;
    let mut marked_width = 0;
    let token = token_len(&rest);
    if start > 0 {
        shown.push('…');
        width += 1;
    }
    for i in start..end {
        let c = at(i);
        if i == col {
            caret_at = width;
        }
        let w = if c == '\t' {
            let w = TAB_STOP - width % TAB_STOP;
            shown.extend(std::iter::repeat_n(' ', w));
            w
        } else {
            // Control characters would act on the terminal: show their printable pictures.
            let c = if c.is_control() {
                control_picture(c)
            } else {
                c
            };
            let w = char_width(c);
            shown.push(c);
            w
        };
        if i >= col && i < col + token {
            marked_width += w;
        }
        width += w;
    }
    if col >= end {
        caret_at = width;
    }
    if end < count {
        shown.push('…');
    }
    let number = loc.line.to_string();
    let pad = " ".repeat(number.len());
    let mut out = String::new();
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{number} | {shown}");
    let _ = writeln!(
        out,
        "{pad} | {}{}",
        " ".repeat(caret_at),
        "^".repeat(marked_width.max(1))
    );
    out
}

/// `\u{7}` → `␇` (Unicode's Control Pictures block); other controls → `�`.
fn control_picture(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    UnicodeWidthStr::width(&*c.encode_utf8(&mut buf))
}

/// How many characters of `rest` (the line from the node on) the caret should underline: a
/// quoted scalar up to its closing quote; otherwise the plain scalar or key, up to a comment, a
/// `: ` that ends a key, or the line end, without trailing blanks.
fn token_len(rest: &[char]) -> usize {
    match rest.first() {
        None => 0,
        // A stray tab or blank (YAML's complaint is the character itself).
        Some(c) if c.is_whitespace() => 1,
        Some(&q @ ('"' | '\'')) => rest[1..]
            .iter()
            .position(|&c| c == q)
            .map_or(rest.len(), |p| p + 2),
        Some(_) => {
            let mut end = rest.len();
            for i in 0..rest.len() {
                let next_blank = rest.get(i + 1).is_none_or(|c| c.is_whitespace());
                if (rest[i] == '#' && i > 0 && rest[i - 1].is_whitespace())
                    || (rest[i] == ':' && next_blank)
                {
                    end = i;
                    break;
                }
            }
            let mut n = end;
            while n > 0 && rest[n - 1].is_whitespace() {
                n -= 1;
            }
            n
        }
    }
}

/// Error and warning counts of one file.
fn counts(checked: &Checked) -> (usize, usize) {
    let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, checked.diagnostics.len() - errors)
}

/// `path：1 个错误，2 个警告` / `path: 1 error, 2 warnings`.
pub fn file_summary(checked: &Checked, lang: Lang) -> String {
    let (e, w) = counts(checked);
    Msg::CheckFileSummary.text(
        lang,
        &[
            ("path", &crate::inputs::shown(&checked.path)),
            ("errors", &e),
            ("errors_word", &plural(e, "error", "errors")),
            ("warnings", &w),
            ("warnings_word", &plural(w, "warning", "warnings")),
        ],
    )
}

/// The closing line of a run: how many files were checked, how many have errors, how many could
/// not be read, and the totals. `walk_problems`: folders or entries the walk could not list
/// (each one counted as an unreadable file; a file that could not be read is a failed file
/// with an `input.*` diagnostic, counted from `checked`).
pub fn summary(checked: &[Checked], walk_problems: usize, lang: Lang) -> String {
    let files = checked.len() + walk_problems;
    let unreadable = checked.iter().filter(|c| c.unread()).count() + walk_problems;
    let failed = checked.iter().filter(|c| c.has_errors()).count();
    let (e, w) = checked
        .iter()
        .map(counts)
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let unreadable = if unreadable > 0 {
        Msg::CheckSummaryUnreadable.text(lang, &[("count", &unreadable)])
    } else {
        String::new()
    };
    Msg::CheckSummary.text(
        lang,
        &[
            ("files", &files),
            ("files_word", &plural(files, "file", "files")),
            ("failed", &failed),
            ("unreadable", &unreadable),
            ("errors", &e),
            ("errors_word", &plural(e, "error", "errors")),
            ("warnings", &w),
            ("warnings_word", &plural(w, "warning", "warnings")),
        ],
    )
}

/// One JSON object per diagnostic of one file: `file`, `line`, `column`, `severity`
/// (`"error"`/`"warning"`), `code`, `message`.
pub fn json_diagnostics(checked: &Checked, lang: Lang) -> Vec<Value> {
    // JSON escapes control characters itself; the name is only decoded (GBK names readable).
    let file = crate::output::lossless(checked.path.as_os_str());
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let mut o = json!({
                "file": d.file.as_ref().map_or_else(|| file.clone(), |f| f.path.display().to_string()),
                "line": d.loc.line,
                "column": d.loc.column,
                "severity": d.severity.as_str(),
                "code": d.code.as_str(),
                "message": d.message(lang),
            });
            // A workbook: the sheet and cell, and the cell's row and column as line and column.
            if let (Some(cells), None) = (&checked.cells, &d.file) {
                let (row, col) = cells.cell(d.loc);
                o["sheet"] = json!(cells.sheet);
                o["cell"] = json!(cells.name(d.loc));
                o["line"] = json!(row + 1);
                o["column"] = json!(col + 1);
            }
            o
        })
        .collect()
}

/// The whole run as ONE JSON array (what `--format json` prints on stdout).
pub fn json(checked: &[Checked], lang: Lang) -> Value {
    Value::Array(
        checked
            .iter()
            .flat_map(|c| json_diagnostics(c, lang))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Diagnostic};
    use std::path::PathBuf;

    fn checked(text: &str, diagnostics: Vec<Diagnostic>) -> Checked {
        Checked {
            path: PathBuf::from("x.yaml"),
            text: text.to_string(),
            declaration: None,
            diagnostics,
            cells: None,
        }
    }

    #[test]
    fn caret_under_a_number() {
        let s = snippet(
            "a: 1\nbudget:\n    total: 1203.78  # 收入合计\n",
            Loc::new(3, 12),
        );
        assert_eq!(
            s,
            "  |\n3 |     total: 1203.78  # 收入合计\n  |            ^^^^^^^\n"
        );
    }

    #[test]
    fn carets_line_up_under_cjk_text() {
        // `      - 家数: ≥7500家`: the value starts at character 13 but display column 15.
        let s = snippet("x\n      - 家数: ≥7500家\n", Loc::new(2, 13));
        let lines: Vec<&str> = s.lines().collect();
        let caret = lines[2].find('^').unwrap();
        let src = lines[1];
        let value = src.find('≥').unwrap();
        assert_eq!(UnicodeWidthStr::width(&src[..value]), caret, "{s}");
        // ≥ is one column, 7500 four, 家 two.
        assert_eq!(lines[2].matches('^').count(), 7);
        // A key is underlined up to its colon.
        let s = snippet("      - 家数: ≥7500家\n", Loc::new(1, 9));
        assert!(s.ends_with("        ^^^^\n"), "{s:?}");
    }

    #[test]
    fn tabs_and_crlf_and_bom() {
        let s = snippet("\u{feff}a:\tb\r\n", Loc::new(1, 4));
        assert_eq!(s, "  |\n1 | a:  b\n  |     ^\n");
        let s = snippet("x\r\n\tk: v\r\n", Loc::new(2, 5));
        assert_eq!(s, "  |\n2 |     k: v\n  |        ^\n");
        // A tab itself is underlined across the columns it takes.
        let s = snippet("x\n\tk: v\n", Loc::new(2, 1));
        assert_eq!(s, "  |\n2 |     k: v\n  | ^^^^\n");
    }

    #[test]
    fn lines_end_as_yaml_says() {
        let got: Vec<&str> = lines("a\nb\r\nc\rd").collect();
        assert_eq!(got, ["a", "b", "c", "d"]);
        assert_eq!(lines("a\n").collect::<Vec<_>>(), ["a", ""]);
        assert_eq!(
            snippet("k: 1\rv: 2\r", Loc::new(2, 4)),
            "  |\n2 | v: 2\n  |    ^\n"
        );
    }

    #[test]
    fn control_characters_are_shown_as_pictures() {
        let s = snippet("k: a\u{7}b\u{1b}[2J\n", Loc::new(1, 4));
        assert!(s.contains("a␇b␛[2J"), "{s:?}");
        assert!(!s.contains('\u{1b}'));
    }

    #[test]
    fn quoted_blank_and_out_of_range() {
        assert!(snippet("k: \"a b\" # c\n", Loc::new(1, 4)).ends_with("   ^^^^^\n"));
        assert!(snippet("k:\n", Loc::new(1, 3)).ends_with("  ^\n"));
        assert_eq!(snippet("k: v\n", Loc::new(9, 1)), "");
        assert_eq!(snippet("", Loc::START), "  |\n1 | \n  | ^\n");
    }

    #[test]
    fn long_lines_show_a_window() {
        let line = format!("k: {}", "字".repeat(5000));
        let s = snippet(&line, Loc::new(1, 4000));
        let shown = s.lines().nth(1).unwrap();
        assert!(
            shown.chars().count() < 2 * MAX_SHOWN_CHARS,
            "{}",
            shown.len()
        );
        assert!(shown.contains('…'));
    }

    #[test]
    fn human_output_like_a_compiler_in_both_languages() {
        let d = Diagnostic::error(
            Code::BudgetIncomeSum,
            Loc::new(2, 4),
            "合计不符",
            "sum is off",
        );
        let w = Diagnostic::warning(Code::BudgetPartMissing, Loc::new(1, 1), "为空", "blank");
        let c = checked("a:\nb: 1\n", vec![w, d]);
        let zh = human(&c, Lang::Zh);
        assert!(
            zh.starts_with("x.yaml:1:1: warning[budget.part-missing]: 为空\n"),
            "{zh}"
        );
        assert!(
            zh.contains(
                "x.yaml:2:4: error[budget.income-sum]: 合计不符\n  |\n2 | b: 1\n  |    ^\n"
            ),
            "{zh}"
        );
        assert!(zh.ends_with("x.yaml：1 个错误，1 个警告\n"));
        let en = human(&c, Lang::En);
        assert!(en.contains("error[budget.income-sum]: sum is off"));
        assert!(en.ends_with("x.yaml: 1 error, 1 warning\n"));
        assert_eq!(
            summary(std::slice::from_ref(&c), 0, Lang::Zh),
            "共检查 1 个文件：1 个有错误；合计 1 个错误，1 个警告"
        );
        assert_eq!(
            summary(std::slice::from_ref(&c), 1, Lang::En),
            "checked 2 files: 1 with errors, 1 unreadable; 1 error, 1 warning in total"
        );
        let missing =
            crate::check::unreadable(&crate::inputs::InputError::Missing("m.yaml".into()));
        assert_eq!(
            summary(&[c, missing], 0, Lang::En),
            "checked 2 files: 2 with errors, 1 unreadable; 2 errors, 1 warning in total"
        );
    }

    #[test]
    fn a_flood_of_diagnostics_is_capped_with_a_count() {
        let flood: Vec<Diagnostic> = (0..60_000)
            .map(|_| Diagnostic::error(Code::TextGlyph, Loc::new(1, 4), "缺字", "missing glyph"))
            .collect();
        let c = checked("k: 镕\n", flood);
        let en = human(&c, Lang::En);
        assert_eq!(en.matches("error[text.glyph]").count(), MAX_SHOWN_PER_FILE);
        assert!(
            en.contains("x.yaml: and 59900 more diagnostics not shown (59900 errors)"),
            "{}",
            &en[en.len() - 300..]
        );
        // The summary still counts them all, and JSON keeps every one.
        assert!(en.ends_with("x.yaml: 60000 errors, 0 warnings\n"));
        assert_eq!(json(&[c], Lang::En).as_array().unwrap().len(), 60_000);
    }

    #[test]
    fn a_large_file_is_indexed_once_not_rescanned_per_diagnostic() {
        // 9 MB in 300,000 lines, 500 diagnostics near its end (100 of them shown). Each snippet used to rescan
        // the file from its start (seconds); the line index makes it one pass.
        let text: String = (0..300_000)
            .map(|i| format!("key{i:06}: a value of about thirty chars\n"))
            .collect();
        assert!(text.len() > 9_000_000);
        let diags = (0..500u32)
            .map(|i| Diagnostic::error(Code::YamlType, Loc::new(299_400 + i, 1), "x", "x"))
            .collect();
        let c = checked(&text, diags);
        let start = std::time::Instant::now();
        let out = human(&c, Lang::En);
        let took = start.elapsed();
        assert!(
            out.contains("key299450"),
            "the lines near the end are shown"
        );
        assert!(took < std::time::Duration::from_millis(1500), "{took:?}");
    }

    #[test]
    fn json_has_the_contract_keys() {
        let d = Diagnostic::error(Code::FundsSum, Loc::new(3, 10), "不符", "off");
        let v = json(
            &[checked("", vec![d.clone()]), checked("", vec![d])],
            Lang::En,
        );
        let arr = v.as_array().unwrap();
        assert_eq!(arr.len(), 2);
        assert_eq!(
            arr[0],
            json!({"file": "x.yaml", "line": 3, "column": 10, "severity": "error", "code": "funds.sum", "message": "off"})
        );
    }
}
