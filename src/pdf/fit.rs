//! How text fits its cell in the built-in template, judged before Typst lays it out.
//!
//! **One line for sure.** Measuring a cell means laying it out in Typst, and the measuring
//! pass used to lay out every cell, which cost as much as drawing the whole form. Most cells of
//! a form (labels, headers, amounts, short 指标值) are one short line, and a one-line cell's
//! height does not depend on its text: Typst's line box runs from the font's cap height to its
//! baseline, so every line of one face at one size has the same height. The measuring pass
//! therefore measures one sample line per role and lays out only the cells that may wrap; the
//! program gives every other cell the height of its role's line ([`surely_one_line`]).
//! "Surely" is judged conservatively with the bundled faces' advances ([`crate::metrics`]):
//! every character in the face its role prints with (a fallback face has other vertical
//! metrics), no line break, and at most [`FILL`] of the line. A wrong judgement could only make
//! the page plan optimistic by a line; `skipped_cells_measure_as_one_line` in
//! `tests/pdf_long.rs` holds the judgement to what Typst measures.
//!
//! **Words longer than the cell.** Typst breaks a line only where Unicode line breaking allows,
//! and a token such as an 18-character 统一社会信用代码 `11360429MB1234567X` or a long run of
//! Latin letters allows none: the line would run over the cell's border, into the next cell or
//! off the page. Such a word gets a zero-width space after each character
//! ([`breakable`]), so Typst breaks it where the line is full, as spreadsheet programs do in a
//! wrapped cell. Shorter words are left whole.

use typst::text::{Font, FontWeight};
use unicode_width::UnicodeWidthChar;

use super::FontSet;
use super::fonts::{HEI, SONG};
use crate::layout::{Cell, Grid, Role};

/// The template's body text size (`body-size`, pt).
pub const BODY_SIZE_PT: f64 = 10.5;
/// The template's horizontal cell inset (`inset.x`, pt), on each side.
pub const INSET_X_PT: f64 = 4.0;
/// The share of a line a text may fill and still count as surely one line.
pub const FILL: f64 = 0.85;
/// Headers print in the bold Hei face, whose Latin letters and digits are wider than the Song
/// advances the measure uses (CJK is one em in both).
const BOLD_WIDENING: f64 = 1.2;

/// The faces the built-in template prints cells with, to check coverage against.
pub struct Faces {
    song: Option<Font>,
    hei: Option<Font>,
}

impl Faces {
    /// The bundled Song regular and Hei bold faces of `fonts`.
    pub fn of(fonts: &FontSet) -> Faces {
        let find = |family: &str, weight: FontWeight| {
            fonts.fonts().iter().find(|f| f.info().family == family && f.info().variant.weight == weight).cloned()
        };
        Faces { song: find(SONG, FontWeight::REGULAR), hei: find(HEI, FontWeight::BOLD) }
    }

    fn for_role(&self, role: Role) -> Option<&Font> {
        if role == Role::Header { self.hei.as_ref() } else { self.song.as_ref() }
    }
}

/// Whether `cell`, printing `text`, surely takes exactly one line of its role's face in the
/// built-in template. An empty cell is not one line (it is measured, or given the blank height).
pub fn surely_one_line(grid: &Grid, cell: &Cell, text: &str, faces: &Faces) -> bool {
    if text.is_empty() || text.contains(['\n', '\r']) {
        return false;
    }
    let Some(face) = faces.for_role(cell.role) else { return false };
    let coverage = &face.info().coverage;
    if !text.chars().all(|c| c == ' ' || coverage.contains(c as u32)) {
        return false;
    }
    crate::metrics::width_em(text) <= FILL * line_em(grid, cell)
}

/// The width of `cell`'s line in em of the body size, as the Song advances measure it: a
/// header's bold Hei text is judged wider by [`BOLD_WIDENING`].
fn line_em(grid: &Grid, cell: &Cell) -> f64 {
    let cell_mm: f64 = grid.columns_mm.iter().skip(cell.col).take(cell.colspan).sum();
    let line_pt = cell_mm * 72.0 / 25.4 - 2.0 * INSET_X_PT;
    let widening = if cell.role == Role::Header { BOLD_WIDENING } else { 1.0 };
    line_pt / BODY_SIZE_PT / widening
}

/// A break opportunity that prints nothing.
pub const ZERO_WIDTH_SPACE: char = '\u{200B}';

/// A word at least this share of the line is made breakable (the advances are the Song face's,
/// a little off for bold or fallback text).
pub const TOO_LONG: f64 = 0.95;

/// `text` with a [`ZERO_WIDTH_SPACE`] after each character of every word that is wider than
/// [`TOO_LONG`] of `cell`'s line. A word is a run of characters that are neither spaces nor
/// CJK (between CJK characters a line may break anyway), ending after a hyphen or a slash
/// (where Typst may break too).
pub fn breakable(grid: &Grid, cell: &Cell, text: &str) -> String {
    let limit = TOO_LONG * line_em(grid, cell);
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if crate::metrics::width_em(word) > limit {
            let mut chars = word.chars().peekable();
            while let Some(c) = chars.next() {
                out.push(c);
                // Not before a combining mark, which belongs to the character before it.
                if chars.peek().is_some_and(|next| next.width() != Some(0)) {
                    out.push(ZERO_WIDTH_SPACE);
                }
            }
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() || c.width() == Some(2) {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
            if matches!(c, '-' | '/' | '‐' | '–') {
                flush(&mut word, &mut out);
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Content;

    fn cell(role: Role, colspan: usize) -> Cell {
        Cell { row: 0, col: 0, rowspan: 1, colspan, role, content: Content::Blank }
    }

    fn grid() -> Grid {
        // Its first two columns are 30 mm wide.
        crate::pdf::paginate::tests_support::empty_grid()
    }

    #[test]
    fn short_text_is_one_line_and_long_or_broken_text_is_not() {
        let (g, faces) = (grid(), Faces::of(&FontSet::bundled()));
        // 30 mm = 85 pt, less 8 pt of insets: 77 pt, 7.3 ideographs at 10.5 pt.
        assert!(surely_one_line(&g, &cell(Role::Value, 1), "新开办企业", &faces));
        assert!(!surely_one_line(&g, &cell(Role::Value, 1), "新开办企业数量", &faces));
        assert!(surely_one_line(&g, &cell(Role::Value, 2), "新开办企业数量", &faces));
        assert!(!surely_one_line(&g, &cell(Role::Value, 1), "一\n二", &faces));
        assert!(!surely_one_line(&g, &cell(Role::Value, 1), "", &faces));
        // Headers are judged wider, and a character outside the face needs measuring.
        assert!(surely_one_line(&g, &cell(Role::Value, 1), "1234567890", &faces));
        assert!(!surely_one_line(&g, &cell(Role::Header, 1), "12345678901234", &faces));
        assert!(!surely_one_line(&g, &cell(Role::Value, 1), "\u{20000}", &faces));
    }

    #[test]
    fn only_words_wider_than_the_line_get_break_opportunities() {
        let g = grid();
        let value = cell(Role::Value, 1);
        // 30 mm: 7.3 em of line. An 18-character credit code is about 10 em; a period such as
        // 2023.01-2023.12 may break at its hyphen; a short code, and CJK text of any length,
        // stay as they are.
        let code = breakable(&g, &value, "代码11360429MB1234567X号");
        assert_eq!(code, "代码1\u{200B}1\u{200B}3\u{200B}6\u{200B}0\u{200B}4\u{200B}2\u{200B}9\u{200B}M\u{200B}B\u{200B}1\u{200B}2\u{200B}3\u{200B}4\u{200B}5\u{200B}6\u{200B}7\u{200B}X号");
        assert_eq!(code.replace(ZERO_WIDTH_SPACE, ""), "代码11360429MB1234567X号");
        assert_eq!(breakable(&g, &value, "≥7500家 abc"), "≥7500家 abc");
        assert_eq!(breakable(&g, &value, "2023.01-2023.12"), "2023.01-2023.12");
        let cjk = "为新开办企业提供免费刻章".repeat(5);
        assert_eq!(breakable(&g, &value, &cjk), cjk);
        // Wider cells leave longer words alone.
        assert_eq!(breakable(&g, &cell(Role::Value, 3), "11360429MB1234567X"), "11360429MB1234567X");
        // A combining mark stays with its letter.
        let accented = "e\u{301}".repeat(20);
        assert!(!breakable(&g, &value, &accented).contains("\u{200B}\u{301}"));
    }
}
