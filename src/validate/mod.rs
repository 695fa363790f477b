//! Validate: the rules of spec `forms.md` §5 over a parsed [`Declaration`].
//!
//! STUB (to be written for issue 3): only the glyph rule hook exists.

mod glyph;

use crate::declaration::Declaration;
use crate::diagnostic::Diagnostic;

/// Which characters the fonts of this run can draw (for `text.glyph`).
pub trait GlyphCoverage {
    fn covers(&self, c: char) -> bool;
}

/// Every rule, over one declaration. Parse-stage diagnostics are not repeated here.
pub fn validate(decl: &Declaration, glyphs: &dyn GlyphCoverage) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    glyph::text_glyph(decl, glyphs, &mut out);
    out
}
