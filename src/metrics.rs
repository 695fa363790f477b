//! Text measurement with the bundled body face: how wide a text is and how many lines it wraps
//! to. Both renderers use it: the XLSX writer for row heights, the PDF engine to know which
//! cells' heights need no layout ([`crate::pdf::fit`], with [`line_count_with`] bracketing
//! what a typesetter may do).
//!
//! No spreadsheet program fits the height of a merged row to its wrapped text, and LibreOffice
//! and WPS do not size rows that carry no height, so the writer stores a height for every row.
//! That height comes from the text measured with real advances: those of the bundled Noto Serif
//! SC, the face the PDF prints with and a close stand-in for 宋体 (both draw every CJK
//! character one em wide; Latin letters and digits are narrower and vary). SimSun's Latin and
//! digits are narrower still (half an em), so the measure errs on the tall side in Excel.

use std::sync::LazyLock;

use unicode_width::UnicodeWidthChar;

/// Advances (in em) of the characters below U+3000 that the bundled body face has; everything
/// else is measured by its East Asian width.
struct Advances {
    narrow: Vec<Option<f32>>,
}

const TABLE_END: u32 = 0x3000;

/// Read once per process from the bundled Noto Serif SC Regular, the face the PDF prints the
/// body with. The font bytes are the PDF's own (already compiled into the binary and parsed
/// once), not a second 15 MB copy.
static ADVANCES: LazyLock<Advances> = LazyLock::new(|| {
    use typst::text::FontWeight;
    let mut narrow = vec![None; TABLE_END as usize];
    let fonts = crate::fonts::FontSet::bundled();
    let body = fonts.fonts().iter().find(|f| {
        f.info().family == crate::fonts::SONG && f.info().variant.weight == FontWeight::REGULAR
    });
    // The font is part of the source tree: if it were missing, measuring falls back to East
    // Asian widths (a generous 0.6 em for Latin) rather than failing a render.
    if let Some(face) =
        body.and_then(|f| ttf_parser::Face::parse(f.data().as_slice(), f.index()).ok())
    {
        let upem = f32::from(face.units_per_em());
        for (code, slot) in narrow.iter_mut().enumerate() {
            let Some(c) = char::from_u32(code as u32) else {
                continue;
            };
            if let Some(id) = face.glyph_index(c) {
                *slot = face.glyph_hor_advance(id).map(|a| f32::from(a) / upem);
            }
        }
    }
    Advances { narrow }
});

/// The advance of `c` in em.
pub fn advance_em(c: char) -> f64 {
    if c.is_control() {
        return 0.0;
    }
    if let Some(Some(a)) = ADVANCES.narrow.get(c as usize) {
        return f64::from(*a);
    }
    // CJK ideographs, kana, full-width forms: one em. Anything else the font lacks: a
    // generous Latin width.
    match c.width() {
        Some(2) => 1.0,
        Some(0) => 0.0,
        _ => 0.6,
    }
}

/// Width of `text` in em.
pub fn width_em(text: &str) -> f64 {
    text.chars().map(advance_em).sum()
}

/// Whether a line may break before or after `c` anywhere (CJK text breaks between any two
/// characters; Latin words and numbers do not).
fn breaks_anywhere(c: char) -> bool {
    c.width() == Some(2)
}

/// The number of lines `text` wraps to in a box `width_em` wide (at least 1, also when empty):
/// greedy, breaking CJK text between any two characters, Latin words at spaces, a word longer
/// than the line between its characters, and at every newline.
pub fn line_count(text: &str, width_em: f64) -> usize {
    line_count_with(text, width_em, Widths::MEASURED)
}

/// How characters are taken to be set when counting lines: their advances and the usual
/// break rules, or widths scaled and breaks allowed anywhere to bracket what a typesetter may
/// do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Widths {
    /// Factor on the advance of a character that is not one em wide (Latin, digits, spaces).
    pub narrow: f64,
    /// Factor on the advance of CJK punctuation, which a typesetter may set half wide at the
    /// end of a line or squeeze to justify one.
    pub cjk_punctuation: f64,
    /// A line may break between any two characters (the most break opportunities there can
    /// be), and CJK punctuation is trimmed wherever a typesetter may trim it: a count under
    /// this is a lower bound for any line breaker.
    pub anywhere: bool,
}

impl Widths {
    /// The advances as measured, the usual break rules.
    pub const MEASURED: Widths = Widths {
        narrow: 1.0,
        cjk_punctuation: 1.0,
        anywhere: false,
    };

    fn advance(self, c: char) -> f64 {
        let a = advance_em(c);
        if is_cjk_punctuation(c) {
            a * self.cjk_punctuation
        } else if c.width() == Some(2) {
            a
        } else {
            a * self.narrow
        }
    }
}

/// Full-width punctuation, and the quotes and dashes Chinese text sets full width.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
        || "“”‘’—…·".contains(c)
}

/// [`line_count`] with the characters' widths scaled by `widths`.
pub fn line_count_with(text: &str, width_em: f64, widths: Widths) -> usize {
    let width = width_em.max(1.0);
    let mut total = 0;
    for paragraph in text.split('\n') {
        total += paragraph_lines(paragraph, width, widths);
    }
    total.max(1)
}

/// Punctuation that Chinese line breaking never puts at the start of a line (it pulls the
/// character before it along), and brackets it never leaves at the end of one.
const NO_LINE_START: &str = "，。、；：？！）》」』】〕〉”’·…—%％,.;:?!)]}";
const NO_LINE_END: &str = "（《「『【〔〈“‘([{";

fn tokens(paragraph: &str, widths: Widths) -> Vec<(f64, bool)> {
    // Tokens: a CJK character, a run of spaces, or a Latin word (unbreakable). Punctuation
    // that may not start a line joins the token before it; an opening bracket joins the token
    // after it; so a greedy count over them breaks where Excel, WPS and LibreOffice break.
    let mut tokens: Vec<(f64, bool)> = Vec::new(); // (width, is_space)
    let mut word = 0.0;
    let mut carry = 0.0; // an opening bracket waiting for the next token
    let flush = |word: &mut f64, tokens: &mut Vec<(f64, bool)>| {
        if *word > 0.0 {
            tokens.push((*word, false));
            *word = 0.0;
        }
    };
    for c in paragraph.chars() {
        if c == ' ' || c == '\t' {
            flush(&mut word, &mut tokens);
            tokens.push((widths.advance(' '), true));
        } else if NO_LINE_START.contains(c)
            && word == 0.0
            && matches!(tokens.last(), Some((_, true)))
        {
            // No break before closing punctuation even after a space: the spaces and the mark
            // join the token before them.
            let mut w = widths.advance(c);
            while let Some(&(space, true)) = tokens.last() {
                w += space;
                tokens.pop();
            }
            match tokens.last_mut() {
                Some(last) => last.0 += w,
                None => tokens.push((w, false)),
            }
        } else if NO_LINE_START.contains(c) && word > 0.0 {
            // Closing punctuation after a word stays with it.
            word += widths.advance(c);
        } else if NO_LINE_START.contains(c) && matches!(tokens.last(), Some((_, false))) {
            if let Some(last) = tokens.last_mut() {
                last.0 += widths.advance(c);
            }
        } else if NO_LINE_END.contains(c) && word > 0.0 {
            // No break between a word and an opening bracket right after it (`abc（`, `95%（`).
            word += widths.advance(c);
        } else if NO_LINE_END.contains(c) {
            flush(&mut word, &mut tokens);
            carry += widths.advance(c);
        } else if breaks_anywhere(c) {
            flush(&mut word, &mut tokens);
            tokens.push((widths.advance(c) + carry, false));
            carry = 0.0;
        } else {
            word += widths.advance(c) + carry;
            carry = 0.0;
        }
    }
    flush(&mut word, &mut tokens);
    if carry > 0.0 {
        tokens.push((carry, false));
    }
    tokens
}

/// The width of the widest piece of `text` that the usual break rules never break (a Latin
/// word with the punctuation attached to it, or a CJK character with its punctuation).
pub fn widest_unbreakable_em(text: &str, widths: Widths) -> f64 {
    text.split('\n')
        .flat_map(|p| tokens(p, widths))
        .filter(|t| !t.1)
        .map(|t| t.0)
        .fold(0.0, f64::max)
}

/// The fewest lines a paragraph could take: a break allowed before any character, and CJK
/// punctuation set half wide wherever a typesetter may trim it (closing punctuation ending a
/// line, opening punctuation anywhere but after an ideograph, the first of two marks in a
/// row).
fn fewest_lines(paragraph: &str, width: f64, widths: Widths) -> usize {
    let chars: Vec<char> = paragraph.chars().collect();
    let mut lines = 1;
    let mut used = 0.0;
    for (i, &c) in chars.iter().enumerate() {
        let mut w = widths.advance(c);
        if c == ' ' || c == '\t' {
            used += w;
            continue;
        }
        let punctuation = is_cjk_punctuation(c);
        let after_ideograph =
            i > 0 && chars[i - 1].width() == Some(2) && !is_cjk_punctuation(chars[i - 1]);
        if punctuation
            && (chars
                .get(i + 1)
                .is_some_and(|&next| is_cjk_punctuation(next))
                || (NO_LINE_END.contains(c) && !after_ideograph))
        {
            w = w.min(advance_em(c) * 0.5);
        }
        let trim_end = if punctuation && NO_LINE_START.contains(c) {
            w * 0.5
        } else {
            0.0
        };
        let trim_start = if punctuation && NO_LINE_END.contains(c) {
            w * 0.5
        } else {
            0.0
        };
        if used > 0.0 && used + w - trim_end > width {
            lines += 1;
            used = w - trim_start;
        } else if used == 0.0 {
            used = w - trim_start;
        } else {
            used += w;
        }
    }
    lines
}

fn paragraph_lines(paragraph: &str, width: f64, widths: Widths) -> usize {
    if widths.anywhere {
        return fewest_lines(paragraph, width, widths);
    }
    let tokens = tokens(paragraph, widths);
    let mut lines = 1;
    let mut used = 0.0;
    for (w, space) in tokens {
        if space {
            // A space at the end of a line does not push to the next one.
            used += w;
            continue;
        }
        if used > 0.0 && used + w > width {
            lines += 1;
            used = 0.0;
        }
        if w > width {
            // An overlong word breaks between its characters.
            let extra = (w / width).ceil() as usize - 1;
            lines += extra;
            used = w - extra as f64 * width;
        } else {
            used += w;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_is_one_em_and_digits_are_narrower() {
        assert_eq!(advance_em('审'), 1.0);
        assert_eq!(advance_em('，'), 1.0);
        let digit = advance_em('7');
        assert!(digit > 0.3 && digit < 0.7, "digit advance {digit}");
        assert!(
            advance_em('i') < advance_em('W'),
            "advances come from the font, not a constant"
        );
    }

    #[test]
    fn lines_wrap_by_measured_width() {
        // Ten ideographs: one line in 10 em, two in 9.99 em, four in 3 em.
        let ten = "柴桑区行政审批局新开";
        assert_eq!(line_count(ten, 10.0), 1);
        assert_eq!(line_count(ten, 9.99), 2);
        assert_eq!(line_count(ten, 3.0), 4);
        assert_eq!(line_count("", 5.0), 1);
        assert_eq!(line_count("一\n二\n三", 5.0), 3);
        // A Latin word is not split while it fits a line on its own.
        let w = width_em("abcdef");
        assert_eq!(line_count("abcdef abcdef", w * 1.5), 2);
        assert_eq!(line_count("abcdef", w / 2.0 + 0.01), 2);
    }

    #[test]
    fn punctuation_never_starts_a_line() {
        // Four ideographs fill a 4 em line; the full stop cannot start the next line, so the
        // last ideograph moves down with it: still two lines, but the second holds two tokens.
        assert_eq!(line_count("一二三四。", 4.0), 2);
        assert_eq!(line_count("一二三四。五六七", 4.0), 3);
        // An opening bracket stays with what follows it.
        assert_eq!(line_count("一二三（四", 4.0), 2);
        assert_eq!(line_count("一二三四", 4.0), 1);
    }
}
