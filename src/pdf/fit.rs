//! How text fits its cell in the built-in template, judged before Typst lays it out.
//!
//! **Lines for sure.** Measuring a cell means laying it out in Typst, and the measuring pass
//! used to lay out every cell, which cost as much as drawing the whole form. But the height of
//! a cell in one face at one size follows from its number of lines: Typst's line box runs from
//! the font's cap height to its baseline, and lines are a fixed leading apart. The measuring
//! pass therefore measures one and two sample lines per role, and lays out only the cells
//! whose line count the program cannot tell for sure ([`surely_lines`]): the count is taken
//! from the bundled faces' advances ([`crate::metrics`]) only when every character is in the
//! face its role prints with (a fallback face has other vertical metrics), there is no line
//! break, and the count does not change between the narrowest and the widest the text could
//! be set. `predicted_heights_are_what_typst_measures` in `tests/pdf_long.rs` holds the
//! prediction to what Typst measures; a wrong one could only make the page plan off by a line,
//! which the drawing pass absorbs (kept chunks move whole, and the safety net in
//! [`super::Engine::layout`] redraws anything that would overflow).
//!
//! **Words longer than the cell.** Typst breaks a line only where Unicode line breaking allows,
//! and a token such as an 18-character 统一社会信用代码 `11360429MB1234567X` or a long run of
//! Latin letters allows none: the line would run over the cell's border, into the next cell or
//! off the page. Such a word gets a zero-width space after each character
//! ([`breakable`]), so Typst breaks it where the line is full, as spreadsheet programs do in a
//! wrapped cell. Shorter words are left whole.

use typst::text::{Font, FontWeight};
use unicode_width::UnicodeWidthChar;

use crate::fonts::FontSet;
use crate::fonts::{HEI, SONG};
use crate::layout::{Cell, Face, Grid, Role};

/// The template's body text size (`body-size`, pt).
pub const BODY_SIZE_PT: f64 = 10.5;
/// The template's horizontal cell inset (`inset.x`, pt), on each side.
pub const INSET_X_PT: f64 = 4.0;
/// How far off the advances of Latin letters and digits may be (they are the Song face's;
/// a header prints in bold Hei, judged wider by [`BOLD_WIDENING`] first).
pub const MARGIN: f64 = 0.05;
/// Headers print in the bold Hei face, whose Latin letters and digits are wider than the Song
/// advances the measure uses (CJK is one em in both).
pub const BOLD_WIDENING: f64 = 1.2;

/// The faces the built-in template prints cells with, to check coverage against.
pub struct Faces {
    song: Option<Font>,
    hei: Option<Font>,
}

impl Faces {
    /// The bundled Song regular and Hei bold faces of `fonts`.
    pub fn of(fonts: &FontSet) -> Faces {
        let find = |family: &str, weight: FontWeight| {
            fonts
                .fonts()
                .iter()
                .find(|f| f.info().family == family && f.info().variant.weight == weight)
                .cloned()
        };
        Faces {
            song: find(SONG, FontWeight::REGULAR),
            hei: find(HEI, FontWeight::BOLD),
        }
    }

    /// The face a cell of `role` prints in, when it is one whose advances the program reads
    /// (Song regular or Hei bold); `None` otherwise (its cells are measured).
    fn for_role(&self, grid: &Grid, role: Role) -> Option<&Font> {
        let style = grid.styles.of(role);
        match (style.face, style.bold) {
            (Face::Hei, true) => self.hei.as_ref(),
            (Face::Song, false) => self.song.as_ref(),
            _ => None,
        }
    }
}

/// Whether `face` has every character of `text` (spaces are laid out, not drawn): a fallback
/// face would have other vertical metrics.
fn prints_in(face: &Font, text: &str) -> bool {
    text.chars()
        .all(|c| c == ' ' || face.info().coverage.contains(c as u32))
}

/// Quotes, dashes, the ellipsis and the middle dot change glyph in Chinese text (the face's
/// localised forms are full width; the advances read are the default ones).
const LOCALISED: [char; 8] = ['“', '”', '‘', '’', '—', '–', '…', '·'];

/// Whether `text` is all ideographs and full-width punctuation, one em wide in every face:
/// what is known of a bold Hei text, whose advances are not read.
fn all_one_em(text: &str) -> bool {
    text.chars()
        .all(|c| c.width() == Some(2) && breaks_alike(c))
}

/// How many lines `cell`, printing `text`, surely takes in its role's face in the built-in
/// template; `None` when that is not sure (then the cell is measured) or the cell is empty.
///
/// The count is sure when two greedy counts ([`crate::metrics::line_count_with`]) agree: the
/// fewest lines the text could take (Latin advances [`MARGIN`] narrower, CJK punctuation half
/// wide where Typst may trim it — at a line's ends, two marks in a row, anywhere in justified
/// text —, a break allowed between any two characters) and the most (Latin [`MARGIN`] wider,
/// punctuation whole, breaks only between CJK characters, never before closing punctuation or
/// after opening, and at spaces). Any line breaker's count lies in between. A text close to a
/// line boundary is measured.
pub fn surely_lines(grid: &Grid, cell: &Cell, text: &str, faces: &Faces) -> Option<usize> {
    use crate::metrics::{Widths, line_count_with};
    if text.is_empty() || text.contains(['\n', '\r']) {
        return None;
    }
    let hei = grid.styles.of(cell.role).face == Face::Hei;
    if !prints_in(faces.for_role(grid, cell.role)?, text)
        || (hei && !all_one_em(text))
        || text.contains(LOCALISED)
    {
        return None;
    }
    // A word made breakable is broken by Typst where the line is full: not predicted.
    if breakable(grid, cell, text) != text {
        return None;
    }
    let line = line_em(grid, cell);
    let narrow = narrow_widening(grid, cell);
    // Fewest: narrowest widths, a break allowed anywhere; most: widest widths, breaks only
    // where every Chinese line breaker allows them. Typst's lines lie in between.
    // Justified text (a long text) may also squeeze its punctuation anywhere on a line.
    let squeeze = if cell.role == Role::LongText {
        0.5
    } else {
        1.0
    };
    let fewest = line_count_with(
        text,
        line,
        Widths {
            narrow: narrow * (1.0 - MARGIN),
            cjk_punctuation: squeeze,
            anywhere: true,
        },
    );
    let widest = Widths {
        narrow: narrow * (1.0 + MARGIN),
        cjk_punctuation: 1.0,
        anywhere: false,
    };
    let most = line_count_with(text, line, widest);
    // The count of most lines cuts a piece wider than the line anywhere; Typst may not.
    if crate::metrics::widest_unbreakable_em(text, widest) > line {
        return None;
    }
    // Past one line, where a line may break matters, and line breakers disagree on quotes,
    // dashes, signs such as ≥ and most ASCII punctuation: such a text is measured.
    if most > 1 && !text.chars().all(breaks_alike) {
        return None;
    }
    (fewest == most).then_some(most)
}

/// Characters around which every Chinese line breaker allows and forbids the same breaks:
/// ideographs, full-width punctuation, ASCII letters and digits, spaces, `.` and `%`.
fn breaks_alike(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, ' ' | '.' | '%')
        || matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF5E)
        || (c.width() == Some(2) && !matches!(c as u32, 0x2000..=0x2BFF))
}

/// The width of `cell`'s line in em of its role's size.
fn line_em(grid: &Grid, cell: &Cell) -> f64 {
    let cell_mm: f64 = grid
        .columns_mm
        .iter()
        .skip(cell.col)
        .take(cell.colspan)
        .sum();
    let line_pt = cell_mm * 72.0 / 25.4 - 2.0 * INSET_X_PT;
    line_pt / grid.styles.of(cell.role).size
}

/// How much wider than the Song advances `cell`'s Latin letters and digits print: bold Hei
/// ones (headers) by [`BOLD_WIDENING`] (CJK is one em in every face).
fn narrow_widening(grid: &Grid, cell: &Cell) -> f64 {
    if grid.styles.of(cell.role).face == Face::Hei {
        BOLD_WIDENING
    } else {
        1.0
    }
}

/// What the height of the block above the table and of the sign-off under it depends on, when
/// every line of them surely fits one line: the page setup and which lines there are. Forms
/// of one shape share those heights, so the program measures them once per shape. `None`
/// when some line may wrap (then they are measured with the form).
pub fn head_shape(grid: &Grid, faces: &Faces) -> Option<String> {
    let body_pt = super::paginate::body_width_pt(grid);
    let song = faces.song.as_ref()?;
    // Surely one line of the Song face at `size` in `width` pt.
    let fits = |text: &str, size: f64, width: f64| {
        prints_in(song, text)
            && !text.contains(['\n', '\r'])
            && !text.contains(LOCALISED)
            && crate::metrics::width_em(text) * size * (1.0 + MARGIN) <= width
    };
    let st = &grid.styles;
    // Lines the program cannot judge (an annex label, lines under the table, faces other than
    // the seed's) are measured with the form.
    if !grid.annex.is_empty()
        || !grid.under.is_empty()
        || st.year.face != Face::Song
        || st.line.face != Face::Song
    {
        return None;
    }
    // CJK is one em in every face.
    let title_fits =
        all_one_em(&grid.title) && grid.title.chars().count() as f64 * st.title.size <= body_pt;
    let units = format!("{}{}", grid.unit_line, grid.amount_unit_line);
    // Two gutters' worth of room between the unit lines, and between the sign-off columns.
    let gutter = 2.0 * st.line.size;
    let columns = grid.signoff.len().max(1) as f64;
    // The template prints the parts in equal columns when each fits its column, else at their
    // natural widths with the free space between them: one line either way while the parts
    // and a gutter between each two fit the line.
    let parts: Vec<String> = grid
        .signoff
        .iter()
        .map(|(label, value)| format!("{label}：{value}"))
        .collect();
    let natural = parts
        .iter()
        .map(|p| crate::metrics::width_em(p) * st.line.size * (1.0 + MARGIN))
        .sum::<f64>()
        + (columns - 1.0) * gutter;
    let signoff_fits = parts
        .iter()
        .all(|p| fits(p, st.line.size, body_pt / columns - gutter))
        || (parts.iter().all(|p| fits(p, st.line.size, body_pt)) && natural <= body_pt);
    let all_fit = title_fits
        && fits(&grid.year_line, st.year.size, body_pt)
        && fits(&units, st.line.size, body_pt - gutter)
        && signoff_fits;
    // An empty line may print no line box: which lines are empty is part of the shape.
    let empty = [&grid.year_line, &grid.unit_line, &grid.amount_unit_line].map(|l| l.is_empty());
    all_fit.then(|| {
        format!(
            "{:?}/{empty:?}/{}/{:?}",
            grid.page,
            grid.signoff.len(),
            grid.styles
        )
    })
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
    // Words hold no CJK: their width scales with the face's Latin advances.
    breakable_within(
        text,
        TOO_LONG * line_em(grid, cell) / narrow_widening(grid, cell),
    )
}

/// A furniture text (title, 填报单位 line, sign-off part…) made breakable like a cell's, for a
/// line `share` of the page body wide, less `gutter_pt`, in `style`: a long unbroken token
/// then wraps at the page edge instead of running off it or over its neighbour.
pub fn breakable_line(
    grid: &Grid,
    text: &str,
    style: &crate::layout::Style,
    share: f64,
    gutter_pt: f64,
) -> String {
    let width_pt = super::paginate::body_width_pt(grid) * share - gutter_pt;
    let widening = if style.face == Face::Hei {
        BOLD_WIDENING
    } else {
        1.0
    };
    breakable_within(
        text,
        TOO_LONG * width_pt.max(style.size) / style.size / widening,
    )
}

/// `text` with a [`ZERO_WIDTH_SPACE`] after each character of every word wider than
/// `limit` em (see [`breakable`]).
pub fn breakable_within(text: &str, limit: f64) -> String {
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
        Cell {
            row: 0,
            col: 0,
            rowspan: 1,
            colspan,
            role,
            content: Content::Blank,
            field: None,
        }
    }

    fn grid() -> Grid {
        // Its first two columns are 30 mm wide.
        crate::pdf::paginate::tests_support::empty_grid()
    }

    #[test]
    fn lines_are_predicted_only_away_from_a_line_boundary() {
        let (g, faces) = (grid(), Faces::of(&FontSet::bundled()));
        // 30 mm = 85 pt, less 8 pt of insets: 77 pt, 7.3 ideographs at 10.5 pt: seven a line.
        assert!(surely_lines(&g, &cell(Role::Value, 1), "新开办企业", &faces) == Some(1));
        assert!(surely_lines(&g, &cell(Role::Value, 1), "新开办企业数量", &faces) == Some(1));
        assert!(surely_lines(&g, &cell(Role::Value, 2), "新开办企业数量", &faces) == Some(1));
        assert_eq!(
            surely_lines(&g, &cell(Role::Value, 1), &"国".repeat(14), &faces),
            Some(2)
        );
        assert_eq!(
            surely_lines(&g, &cell(Role::Value, 1), &"国".repeat(15), &faces),
            Some(3)
        );
        // Six ideographs and two commas: eight em, seven and a half with the last comma trimmed
        // at the line's end: two lines. Justified, Typst may squeeze both commas to fit seven
        // em on one line: measured.
        assert_eq!(
            surely_lines(&g, &cell(Role::Value, 1), "国国国国国，国，", &faces),
            Some(2)
        );
        assert_eq!(
            surely_lines(&g, &cell(Role::LongText, 1), "国国国国国，国，", &faces),
            None
        );
        // Latin close to the end of a line: measured.
        let w = crate::metrics::width_em("a");
        let n = (7.33 / w) as usize;
        assert_eq!(
            surely_lines(&g, &cell(Role::Value, 1), &"a".repeat(n), &faces),
            None
        );
        assert!(surely_lines(&g, &cell(Role::Value, 1), "一\n二", &faces).is_none());
        assert!(surely_lines(&g, &cell(Role::Value, 1), "", &faces).is_none());
        // Headers are judged wider, and a character outside the face needs measuring.
        assert!(surely_lines(&g, &cell(Role::Value, 1), "1234567890", &faces) == Some(1));
        assert!(surely_lines(&g, &cell(Role::Header, 1), "12345678901234", &faces) != Some(1));
        assert!(surely_lines(&g, &cell(Role::Value, 1), "\u{20000}", &faces).is_none());
    }

    #[test]
    fn sizes_are_the_templates() {
        // The judgements above are made before Typst runs, with the built-in template's sizes:
        // they must be the template's own.
        let t = crate::pdf::TEMPLATE;
        assert!(t.contains(&format!("#let body-size = {BODY_SIZE_PT}pt")));
        // Cell and furniture sizes are the Grid's styles, which the template reads.
        assert!(t.contains("#let styles = g.styles"));
        let st = crate::layout::Styles::default();
        assert_eq!(
            (st.value.size, st.title.size, st.year.size),
            (BODY_SIZE_PT, 18.0, 14.0)
        );
        assert!(t.contains(&format!("#let inset = (x: {INSET_X_PT}pt,")));
    }

    #[test]
    fn only_words_wider_than_the_line_get_break_opportunities() {
        let g = grid();
        let value = cell(Role::Value, 1);
        // 30 mm: 7.3 em of line. An 18-character credit code is about 10 em; a period such as
        // 2023.01-2023.12 may break at its hyphen; a short code, and CJK text of any length,
        // stay as they are.
        let code = breakable(&g, &value, "代码11360429MB1234567X号");
        assert_eq!(
            code,
            "代码1\u{200B}1\u{200B}3\u{200B}6\u{200B}0\u{200B}4\u{200B}2\u{200B}9\u{200B}M\u{200B}B\u{200B}1\u{200B}2\u{200B}3\u{200B}4\u{200B}5\u{200B}6\u{200B}7\u{200B}X号"
        );
        assert_eq!(
            code.replace(ZERO_WIDTH_SPACE, ""),
            "代码11360429MB1234567X号"
        );
        assert_eq!(breakable(&g, &value, "≥7500家 abc"), "≥7500家 abc");
        assert_eq!(breakable(&g, &value, "2023.01-2023.12"), "2023.01-2023.12");
        let cjk = "为新开办企业提供免费刻章".repeat(5);
        assert_eq!(breakable(&g, &value, &cjk), cjk);
        // Wider cells leave longer words alone.
        assert_eq!(
            breakable(&g, &cell(Role::Value, 3), "11360429MB1234567X"),
            "11360429MB1234567X"
        );
        // A combining mark stays with its letter.
        let accented = "e\u{301}".repeat(20);
        assert!(!breakable(&g, &value, &accented).contains("\u{200B}\u{301}"));
    }
}
