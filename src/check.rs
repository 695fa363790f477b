//! Checking one declaration file: parse, then validate, collecting every diagnostic.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::declaration::{self, Declaration};
use crate::diagnostic::{self, Code, Diagnostic, Loc};
use crate::inputs::{InputError, SourceFile};
use crate::validate::{self, GlyphCoverage};
use crate::xlsx::read::CellMap;

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
    /// For a workbook read as a declaration: where each line of `text` (the YAML read from
    /// it) came from, so diagnostics are shown at `工作表!D7`. `None` for a YAML file.
    pub cells: Option<Arc<CellMap>>,
}

impl Checked {
    /// Whether the file may be rendered: it was read and has no error.
    pub fn renderable(&self) -> Option<&Declaration> {
        if self.has_errors() {
            None
        } else {
            self.declaration.as_ref()
        }
    }

    /// Whether the file cannot be rendered: its YAML shape could not be read, or some
    /// diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.declaration.is_none() || self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Adds diagnostics found outside the file itself (the batch's cross-form `bundle.*`
    /// checks), keeping the order by position.
    pub fn add(&mut self, extra: Vec<Diagnostic>) {
        if !extra.is_empty() {
            self.diagnostics.extend(extra);
            diagnostic::sort(&mut self.diagnostics);
        }
    }

    /// Whether the file could not be read at all (its one diagnostic is an `input.*` error).
    pub fn unread(&self) -> bool {
        self.declaration.is_none() && self.diagnostics.iter().any(|d| d.code.is_input())
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
pub fn check_source_with(
    source: SourceFile,
    glyphs: &dyn GlyphCoverage,
    layout: Option<&str>,
) -> Checked {
    // Text that could not be decoded is not parsed: its replacement characters would only add
    // noise after the located `input.encoding` error.
    if source.diagnostics.iter().any(Diagnostic::is_error) {
        return Checked {
            path: source.path,
            text: source.text,
            declaration: None,
            diagnostics: source.diagnostics,
            cells: None,
        };
    }
    let mut outcome = declaration::parse(&source.text);
    let mut diagnostics = outcome.diagnostics;
    // A self-evaluation reads its target relative to this file before its rules run.
    if let Some(Declaration::SelfEval(form)) = &mut outcome.declaration {
        diagnostics.extend(crate::selfeval::resolve::resolve(
            form,
            &source.path,
            glyphs,
        ));
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
    Checked {
        path: source.path,
        text: source.text,
        declaration: outcome.declaration,
        diagnostics,
        cells: None,
    }
}

/// Whether `path` names a workbook (`*.xlsx`, in any case) rather than a YAML declaration.
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Reads and checks one input: a YAML declaration, or a workbook (`*.xlsx`) read by its
/// printed layout ([`crate::xlsx::read`]) and then checked exactly like the YAML it gives.
pub fn check_path(
    path: &Path,
    glyphs: &dyn GlyphCoverage,
    layout: Option<&str>,
) -> Result<Checked, crate::inputs::InputError> {
    if !is_workbook(path) || crate::pipe::is_stdin(path) {
        return crate::inputs::read(path).map(|source| check_source_with(source, glyphs, layout));
    }
    let bytes = crate::inputs::read_bytes(path)?;
    Ok(check_workbook(path, &bytes, glyphs, layout))
}

/// Checks the workbook `bytes` (named `path`): its form sheet as a declaration, every
/// diagnostic located at the cell it is about.
pub fn check_workbook(
    path: &Path,
    bytes: &[u8],
    glyphs: &dyn GlyphCoverage,
    layout: Option<&str>,
) -> Checked {
    let read = match crate::xlsx::read::read(bytes, layout) {
        Ok(r) => r,
        Err(e) => {
            return Checked {
                path: path.to_path_buf(),
                text: String::new(),
                declaration: None,
                diagnostics: vec![Diagnostic::error(
                    diagnostic::Code::XlsxRead,
                    Loc::START,
                    e.zh,
                    e.en,
                )],
                cells: None,
            };
        }
    };
    let source = SourceFile {
        path: path.to_path_buf(),
        text: read.yaml,
        diagnostics: Vec::new(),
    };
    let mut checked = check_source_with(source, glyphs, layout);
    checked.diagnostics.extend(read.diagnostics);
    diagnostic::sort(&mut checked.diagnostics);
    checked.cells = Some(read.cells);
    checked
}

/// A file that could not be read, as a checked file with one error diagnostic (`input.*`) at
/// its line 1, so that every report (human, JSON, the workbook's 汇总 and 诊断) accounts for
/// it like any other failed file and the rest of the batch goes on.
pub fn unreadable(error: &InputError) -> Checked {
    use std::io::ErrorKind;
    let (path, code) = match error {
        InputError::Missing(p) => (p, Code::InputMissing),
        InputError::TooLarge(p, _) => (p, Code::InputTooLarge),
        InputError::Unreadable(p, e) => (
            p,
            match e.kind() {
                ErrorKind::NotFound => Code::InputMissing,
                ErrorKind::PermissionDenied => Code::InputPermission,
                ErrorKind::IsADirectory | ErrorKind::NotADirectory => Code::InputNotFile,
                _ => Code::InputUnreadable,
            },
        ),
    };
    // The catalogue's message, without the file in front (the report puts it there).
    let text = |lang| {
        let m = crate::messages::input_error(error, lang);
        let shown = crate::inputs::shown(path);
        let prefixes = [format!("{shown}: "), format!("{shown}：")];
        prefixes
            .iter()
            .find_map(|p| m.strip_prefix(p.as_str()))
            .unwrap_or(&m)
            .to_string()
    };
    let (zh, en) = (
        text(crate::diagnostic::Lang::Zh),
        text(crate::diagnostic::Lang::En),
    );
    let diagnostic = Diagnostic::error(code, Loc::START, zh, en);
    Checked {
        path: path.clone(),
        text: String::new(),
        declaration: None,
        diagnostics: vec![diagnostic],
        cells: None,
    }
}

/// Where the document's content starts: the first line that is not blank, a comment, a
/// directive or `---` (line 1 when there is none).
fn document_start(text: &str) -> Loc {
    crate::diagnostic::lines(text)
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
        let goal = c
            .diagnostics
            .iter()
            .find(|d| d.code == Code::FieldRequired)
            .unwrap();
        assert_eq!(goal.loc, Loc::new(4, 1));
        // Nothing but comments: line 1.
        let c = check("# only a comment\n");
        assert_eq!(c.diagnostics[0].loc, Loc::START);
        assert!(c.has_errors() && c.renderable().is_none());
    }

    #[test]
    fn an_unreadable_file_is_a_failed_file_with_an_input_code() {
        let cases = [
            (InputError::Missing("a.yaml".into()), "input.missing"),
            (
                InputError::TooLarge("a.yaml".into(), 99_000_000),
                "input.too-large",
            ),
            (
                InputError::Unreadable(
                    "a.yaml".into(),
                    std::io::ErrorKind::PermissionDenied.into(),
                ),
                "input.permission",
            ),
            (
                InputError::Unreadable("a.yaml".into(), std::io::ErrorKind::IsADirectory.into()),
                "input.not-file",
            ),
            (
                InputError::Unreadable("a.yaml".into(), std::io::ErrorKind::Other.into()),
                "input.unreadable",
            ),
        ];
        for (error, code) in cases {
            let c = unreadable(&error);
            assert!(c.has_errors() && c.renderable().is_none());
            assert_eq!(c.path, PathBuf::from("a.yaml"));
            assert_eq!(c.diagnostics.len(), 1);
            let d = &c.diagnostics[0];
            assert_eq!((d.code.as_str(), d.loc), (code, Loc::START));
            assert!(!d.en.starts_with("a.yaml"), "{}", d.en);
        }
    }

    #[test]
    fn diagnostics_come_sorted_by_position() {
        let c = check(
            "form: project\nyear: 2023\nname: x\ngoal: y\nfunds:\n  total: 1\n  fiscal: 2\nindicators:\n  产出目标:\n",
        );
        let locs: Vec<Loc> = c.diagnostics.iter().map(|d| d.loc).collect();
        let mut sorted = locs.clone();
        sorted.sort();
        assert_eq!(locs, sorted);
        assert!(locs.len() >= 2);
    }
}
