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

impl std::error::Error for InputError {}

/// Expands files and folders into the declaration files they name: folders are searched
/// recursively for `*.yaml` and `*.yml`, in sorted order. A file named twice is listed once.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for path in paths {
        if crate::pipe::is_stdin(path) {
            out.push(path.clone());
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => InputError::Missing(path.clone()),
            _ => InputError::Unreadable(path.clone(), e),
        })?;
        let mut found = Vec::new();
        if meta.is_dir() {
            walk(path, &mut found)?;
            found.sort();
        } else {
            found.push(path.clone());
        }
        for file in found {
            let key = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            if seen.insert(key) {
                out.push(file);
            }
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let entries = std::fs::read_dir(dir).map_err(|e| InputError::Unreadable(dir.to_path_buf(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| InputError::Unreadable(dir.to_path_buf(), e))?;
        let path = entry.path();
        let file_type = entry.file_type().map_err(|e| InputError::Unreadable(path.clone(), e))?;
        if file_type.is_dir() {
            walk(&path, out)?;
        } else if is_declaration(&path) && !is_special(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// A `*.yaml` found in a folder that is a named pipe, socket or device: reading it could wait
/// forever for a writer, so a folder walk skips it. (Named on the command line, it is read.)
/// A link that cannot be followed is kept, for `read` to report.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file())
}

fn is_declaration(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
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
