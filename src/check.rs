//! Checking one declaration file: parse, then validate, collecting every diagnostic.

use std::path::PathBuf;

use crate::declaration::{self, Declaration};
use crate::diagnostic::{self, Diagnostic};
use crate::inputs::SourceFile;
use crate::validate::{self, GlyphCoverage};

/// The outcome of checking one file.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The file as the user named it (printed in every diagnostic).
    pub path: PathBuf,
    /// The file's text (for showing source lines under diagnostics).
    pub text: String,
    /// The declaration, when its YAML shape could be read.
    pub declaration: Option<Declaration>,
    /// Parse and validation diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Whether the file may be rendered: it was read and has no error.
    pub fn renderable(&self) -> Option<&Declaration> {
        if self.has_errors() { None } else { self.declaration.as_ref() }
    }

    /// Whether the file cannot be rendered: its YAML shape could not be read, or some
    /// diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.declaration.is_none() || self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// How many warnings the file has.
    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.is_error()).count()
    }
}

/// Parses and validates one file.
pub fn check_source(source: SourceFile, glyphs: &dyn GlyphCoverage) -> Checked {
    let outcome = declaration::parse(&source.text);
    let mut diagnostics = outcome.diagnostics;
    if let Some(decl) = &outcome.declaration {
        diagnostics.extend(validate::validate(decl, glyphs));
    }
    diagnostic::sort(&mut diagnostics);
    Checked { path: source.path, text: source.text, declaration: outcome.declaration, diagnostics }
}
