//! Which cells the measuring pass can skip: those that surely print on one line.
//!
//! Measuring a cell means laying it out in Typst, and the measuring pass used to lay out every
//! cell, which cost as much as drawing the whole form. Most cells of a form (labels, headers,
//! amounts, short 指标值) are one short line, and a one-line cell's height does not depend on
//! its text: Typst's line box runs from the font's cap height to its baseline, so every line
//! of one face at one size has the same height. The measuring pass therefore measures one
//! sample line per role and lays out only the cells that may wrap; the program gives every
//! other cell the height of its role's line.
//!
//! "Surely" is judged conservatively with the bundled faces' advances ([`crate::metrics`]):
//! a cell qualifies only when every character is in the face its role prints with (a fallback
//! face has other vertical metrics), it holds no line break, and its text fills at most
//! [`FILL`] of the line. A wrong judgement could only make the page plan optimistic by a line;
//! the test `skipped_cells_measure_as_one_line` in `tests/pdf_long.rs` holds the judgement to
//! what Typst measures.

use typst::text::{Font, FontWeight};

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
    let widening = if cell.role == Role::Header { BOLD_WIDENING } else { 1.0 };
    let text_pt = crate::metrics::width_em(text) * widening * BODY_SIZE_PT;
    let cell_mm: f64 = grid.columns_mm.iter().skip(cell.col).take(cell.colspan).sum();
    let line_pt = cell_mm * 72.0 / 25.4 - 2.0 * INSET_X_PT;
    text_pt <= FILL * line_pt
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
}
