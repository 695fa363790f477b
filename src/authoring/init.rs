//! `jixiao init`: a starter declaration with a comment on every field.
//!
//! The starters are the YAML files beside this one, embedded at build time. Every value the
//! user must supply is a placeholder `【请填写…，如 示例】`: the file parses as written, and
//! `jixiao check` reports each placeholder left with its line and column (`field.placeholder` for
//! text; `amount.format` / `yaml.type` for numbers, years and yes/no, which quote it).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::declaration::FormKind;

const PROJECT: &str = include_str!("project.yaml");
const DEPARTMENT: &str = include_str!("department.yaml");

/// The starter declaration of a form, as `init` prints it.
pub fn template(kind: FormKind) -> std::borrow::Cow<'static, str> {
    match kind {
        FormKind::Project => PROJECT.into(),
        FormKind::Department => DEPARTMENT.into(),
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval => crate::selfeval::init::inline_template(kind).into(),
    }
}

/// Why `init -o FILE` wrote nothing.
#[derive(Debug)]
pub enum WriteError {
    /// The file is there already; `init` never overwrites (the user's work could be in it).
    Exists(PathBuf),
    /// Creating or writing the file failed.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Exists(p) => write!(
                f,
                "{}: 文件已存在，init 不会覆盖它；请换一个文件名，或先删除它 \
                 (file exists; init never overwrites: choose another name or delete it first)",
                p.display()
            ),
            WriteError::Io(p, e) => write!(f, "{}: 无法写入 (cannot write): {e}", p.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// Writes `text` to `path` atomically, refusing to replace an existing file. Missing parent
/// folders are created (`init -o 新文件夹/x.yaml`), as a newcomer starting a folder expects.
///
/// The text goes to a temporary file in the same folder first, which is then hard-linked to
/// `path`: linking fails when `path` exists, so the check and the write are one step and a reader
/// never sees a half-written file. Where hard links are not supported, the temporary file is
/// renamed into place after an existence check instead.
pub fn write_new(path: &Path, text: &str) -> Result<(), WriteError> {
    let io = |e: std::io::Error| WriteError::Io(path.to_path_buf(), e);
    if path.symlink_metadata().is_ok() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let file_name = path.file_name().ok_or_else(|| {
        io(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        match std::fs::hard_link(&tmp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(WriteError::Exists(path.to_path_buf())),
            Err(_) => {
                if path.symlink_metadata().is_ok() {
                    return Err(WriteError::Exists(path.to_path_buf()));
                }
                std::fs::rename(&tmp, path).map_err(io)
            }
        }
    })();
    // The temporary file is gone after a rename; after a link (or a failure) it is removed here.
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Finds the placeholders `【请…】` in `text`, as (byte offset, placeholder) pairs.
///
/// A placeholder is a 【…】 bracket whose content starts with 请, the form `init` writes. Other
/// 【…】 text is left alone: 文号 such as 柴办字【2020】21号 are real values.
pub fn placeholders(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("【请").map(|i| i + from) {
        match text[start..].find('】') {
            Some(len) => {
                let end = start + len + '】'.len_utf8();
                out.push((start, &text[start..end]));
                from = end;
            }
            None => break,
        }
    }
    out
}
