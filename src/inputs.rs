//! Finding and reading declaration files.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::declaration::parse::limits::MAX_FILE_BYTES;

/// One declaration file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user will recognise it.
    pub path: PathBuf,
    pub text: String,
    /// What reading found before parsing: the `input.encoding` warning or error
    /// ([`crate::encoding`]).
    pub diagnostics: Vec<crate::diagnostic::Diagnostic>,
}

/// Why an input could not be read (a usage or I/O problem: exit status 2).
#[derive(Debug)]
pub enum InputError {
    Missing(PathBuf),
    Unreadable(PathBuf, std::io::Error),
    TooLarge(PathBuf, u64),
}

impl fmt::Display for InputError {
    /// The English message of the catalogue (what a user reads is [`crate::messages::input_error`]
    /// in their language).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::messages::input_error(
            self,
            crate::diagnostic::Lang::En,
        ))
    }
}

/// A path as it may be printed on a terminal: the name decoded as [`crate::output::lossless`]
/// does (GBK names readable), and every control or bidirectional-formatting character escaped
/// (`\u{1b}`), so that a file name can neither run an escape sequence nor reorder the line.
pub fn shown(path: &Path) -> String {
    let text = crate::output::lossless(path.as_os_str());
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let format = matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}');
        if c.is_control() || format {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

impl std::error::Error for InputError {}

/// The declaration files named by the command line, and the entries that could not be read.
#[derive(Debug, Default)]
pub struct Expanded {
    pub files: Vec<PathBuf>,
    /// Paths that do not exist, folders or entries that cannot be read: each reported on its
    /// own (exit status 2) while the rest is still checked.
    pub problems: Vec<InputError>,
}

/// Expands files and folders into the declaration files they name: folders are searched
/// recursively for `*.yaml` and `*.yml` (in any case: `A.YAML`, `b.Yml`), in sorted order. A
/// file named twice is listed once. An entry that cannot be read is a problem of its own; the
/// walk goes on past it.
pub fn expand(paths: &[PathBuf]) -> Expanded {
    expand_listing(paths, false)
}

/// [`expand`]; with `list_unreadable`, a path named on the command line that cannot be looked at
/// (missing, permission denied) is listed as a file rather than a problem: `check` and `render`
/// then read it and report it as that file's `input.*` diagnostic, in its place in the batch.
fn expand_listing(paths: &[PathBuf], list_unreadable: bool) -> Expanded {
    let mut seen = BTreeSet::new();
    let mut out = Expanded::default();
    for path in paths {
        if crate::pipe::is_stdin(path) {
            out.files.push(path.clone());
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(_) if list_unreadable => {
                if seen.insert(path.clone()) {
                    out.files.push(path.clone());
                }
                continue;
            }
            Err(e) => {
                out.problems.push(match e.kind() {
                    std::io::ErrorKind::NotFound => InputError::Missing(path.clone()),
                    _ => InputError::Unreadable(path.clone(), e),
                });
                continue;
            }
        };
        let mut found = Vec::new();
        if meta.is_dir() {
            walk(path, &mut found, &mut out.problems);
            found.sort();
        } else {
            found.push(path.clone());
        }
        for file in found {
            let key = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            if seen.insert(key) {
                out.files.push(file);
            }
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, problems: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return problems.push(InputError::Unreadable(dir.to_path_buf(), e)),
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(InputError::Unreadable(dir.to_path_buf(), e));
                continue;
            }
        };
        let path = entry.path();
        match entry.file_type() {
            // A folder named `layouts` holds layout definitions (docs/layouts.md), which
            // declarations name; they are not declarations themselves.
            Ok(t) if t.is_dir() && entry.file_name() == "layouts" => {}
            Ok(t) if t.is_dir() => walk(&path, out, problems),
            Ok(_) if is_declaration(&path) && !is_special(&path) => out.push(path),
            Ok(_) => {}
            Err(e) => problems.push(InputError::Unreadable(path, e)),
        }
    }
}

/// A `*.yaml` found in a folder that is a named pipe, socket or device: reading it could wait
/// forever for a writer, so a folder walk skips it. (Named on the command line, it is read.)
/// A link that cannot be followed is kept, for `read` to report.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file())
}

/// `*.yaml` or `*.yml`, in any case (Windows tools write `A.YAML`).
fn is_declaration(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// [`expand`], with its problems printed on stderr: the files, and how many entries could
/// not be read. A path named on the command line that cannot be looked at is one of the files
/// (reading it gives its `input.*` diagnostic). `None` (after saying so) when no declaration file
/// was found at all.
pub fn expand_or_explain(
    paths: &[PathBuf],
    lang: crate::diagnostic::Lang,
) -> Option<(Vec<PathBuf>, usize)> {
    let expanded = expand_listing(paths, true);
    for problem in &expanded.problems {
        eprintln!(
            "{}",
            crate::messages::error(lang, crate::messages::input_error(problem, lang))
        );
    }
    if expanded.files.is_empty() {
        let named: Vec<String> = paths.iter().map(|p| shown(p)).collect();
        let what = match lang {
            crate::diagnostic::Lang::Zh => {
                format!("没有找到申报文件（*.yaml、*.yml）：{}", named.join("、"))
            }
            crate::diagnostic::Lang::En => format!(
                "no declaration files (*.yaml, *.yml) in {}",
                named.join(", ")
            ),
        };
        eprintln!("{}", crate::messages::error(lang, what));
        return None;
    }
    Some((expanded.files, expanded.problems.len()))
}

/// Reads one declaration file: at most [`MAX_FILE_BYTES`], in any encoding that
/// [`crate::encoding`] reads (`-` given on the command line: standard input, see [`crate::stdin`]).
pub fn read(path: &Path) -> Result<SourceFile, InputError> {
    if crate::pipe::is_stdin(path) {
        return crate::pipe::read();
    }
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => InputError::Missing(path.to_path_buf()),
        _ => InputError::Unreadable(path.to_path_buf(), e),
    })?;
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(InputError::TooLarge(path.to_path_buf(), meta.len()));
    }
    let file =
        std::fs::File::open(path).map_err(|e| InputError::Unreadable(path.to_path_buf(), e))?;
    read_from(path, file)
}

/// Reads a workbook's bytes: at most [`MAX_WORKBOOK_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => InputError::Missing(path.to_path_buf()),
        _ => InputError::Unreadable(path.to_path_buf(), e),
    })?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_WORKBOOK_BYTES as u64 + 1),
        &mut bytes,
    )
    .map_err(|e| InputError::Unreadable(path.to_path_buf(), e))?;
    if bytes.len() > MAX_WORKBOOK_BYTES {
        return Err(InputError::TooLarge(path.to_path_buf(), bytes.len() as u64));
    }
    Ok(bytes)
}

/// The largest workbook read as a declaration: the same bound as a declaration file (and the
/// limit the too-large message names); a filled form is tens of kilobytes.
pub const MAX_WORKBOOK_BYTES: usize = MAX_FILE_BYTES;

/// Reads a declaration named `path` from `reader`: at most [`MAX_FILE_BYTES`], decoded by
/// [`crate::encoding::decode`].
pub fn read_from(path: &Path, reader: impl std::io::Read) -> Result<SourceFile, InputError> {
    // The size in the metadata is 0 for a pipe or a device (`/dev/stdin`, `/dev/zero`): bound
    // the read itself, or such an input grows memory without end.
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(reader, MAX_FILE_BYTES as u64 + 1),
        &mut bytes,
    )
    .map_err(|e| InputError::Unreadable(path.to_path_buf(), e))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(InputError::TooLarge(path.to_path_buf(), bytes.len() as u64));
    }
    let decoded = crate::encoding::decode(bytes);
    Ok(SourceFile {
        path: path.to_path_buf(),
        text: decoded.text,
        diagnostics: decoded.diagnostics,
    })
}
