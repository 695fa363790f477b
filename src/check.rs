//! Checking one declaration file: parse, then validate, collecting every diagnostic.

use std::path::PathBuf;

use crate::declaration::{self, Declaration};
use crate::diagnostic::{self, Diagnostic, Loc};
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

/// Parses and validates one file, with the layout it names (or the default).
pub fn check_source(source: SourceFile, glyphs: &dyn GlyphCoverage) -> Checked {
    check_source_with(source, glyphs, None)
}

/// Parses and validates one file, and checks it against its layout: `layout` (`--layout`)
/// when given, else the one the file names ([`crate::layouts::choose`]).
pub fn check_source_with(source: SourceFile, glyphs: &dyn GlyphCoverage, layout: Option<&str>) -> Checked {
    // Text that could not be decoded is not parsed: its replacement characters would only add
    // noise after the located `input.encoding` error.
    if source.diagnostics.iter().any(Diagnostic::is_error) {
        return Checked {
            path: source.path,
            text: source.text,
            declaration: None,
            diagnostics: source.diagnostics,
        };
    }
    let mut outcome = declaration::parse(&source.text);
    let mut diagnostics = outcome.diagnostics;
    // A self-evaluation reads its target relative to this file before its rules run.
    if let Some(Declaration::SelfEval(form)) = &mut outcome.declaration {
        diagnostics.extend(crate::selfeval::resolve::resolve(form, &source.path, glyphs));
    }
    if let Some(decl) = &outcome.declaration {
        diagnostics.extend(validate::validate(decl, glyphs));
        diagnostics.extend(crate::layouts::check(decl, &source.path, layout));
    }
    // A diagnostic about the whole document (a missing top-level field) points at its first
    // line of content rather than at a leading comment.
    let start = document_start(&source.text);
    for d in diagnostics.iter_mut().filter(|d| d.file.is_none()) {
        if d.loc == Loc::START {
            d.loc = start;
        }
    }
    // Reading's notes (the encoding used) keep their own place, after the remapping above.
    diagnostics.extend(source.diagnostics);
    diagnostic::sort(&mut diagnostics);
    Checked { path: source.path, text: source.text, declaration: outcome.declaration, diagnostics }
}

/// Where the document's content starts: the first line that is not blank, a comment, a
/// directive or `---` (line 1 when there is none).
fn document_start(text: &str) -> Loc {
    crate::report::lines(text)
        .position(|line| {
            let t = line.trim_start_matches('\u{feff}').trim();
            !(t.is_empty() || t.starts_with('#') || t.starts_with('%') || t == "---")
        })
        .and_then(|i| u32::try_from(i + 1).ok())
        .map_or(Loc::START, |line| Loc::new(line, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::validate::AllGlyphs;

    fn check(text: &str) -> Checked {
        check_source(
            SourceFile {
                path: PathBuf::from("t.yaml"),
                text: text.to_string(),
                diagnostics: Vec::new(),
            },
            &AllGlyphs,
        )
    }

    #[test]
    fn whole_document_problems_point_at_the_first_content_line() {
        let c = check("# a comment\n\n---\nform: project\nname: x\n");
        let goal = c.diagnostics.iter().find(|d| d.code == Code::FieldRequired).unwrap();
        assert_eq!(goal.loc, Loc::new(4, 1));
        // Nothing but comments: line 1.
        let c = check("# only a comment\n");
        assert_eq!(c.diagnostics[0].loc, Loc::START);
        assert!(c.has_errors() && c.renderable().is_none());
    }

    #[test]
    fn diagnostics_come_sorted_by_position() {
        let c = check("form: project\nyear: 2023\nname: x\ngoal: y\nfunds:\n  total: 1\n  fiscal: 2\nindicators:\n  产出目标:\n");
        let locs: Vec<Loc> = c.diagnostics.iter().map(|d| d.loc).collect();
        let mut sorted = locs.clone();
        sorted.sort();
        assert_eq!(locs, sorted);
        assert!(locs.len() >= 2);
    }
}
