//! `text.glyph`: every character must be drawable by a font of this run.
//!
//! STUB (to be written for issue 5).

use super::GlyphCoverage;
use crate::declaration::Declaration;
use crate::diagnostic::Diagnostic;

pub(super) fn text_glyph(decl: &Declaration, glyphs: &dyn GlyphCoverage, out: &mut Vec<Diagnostic>) {
    let _ = (decl, glyphs, out);
}
