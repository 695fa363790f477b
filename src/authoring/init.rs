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
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval => {
            crate::selfeval::init::inline_template(kind).into()
        }
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
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file name",
        ))
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        match std::fs::hard_link(&tmp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(WriteError::Exists(path.to_path_buf()))
            }
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

/// The starter of `kind` for `layout` (`jixiao init KIND --layout ID`): the form's starter with
/// `layout:` set, without the fields the layout does not print (a required one stays), and with
/// every field it prints that the starter lacks, left blank with its description (from the key
/// table): filled in, nothing is `layout.unprinted`.
pub fn template_for_layout(
    kind: FormKind,
    name: &str,
    def: &crate::layouts::def::Definition,
) -> String {
    let printed = crate::layouts::printed_fields(def);
    let shows = |path: &str| {
        printed.iter().any(|p| {
            p == path
                || p.strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    };
    let table = crate::authoring::keys::form_keys(kind);
    let keep = |path: &str| {
        matches!(path, "form" | "year" | "layout" | "indicators")
            || required(table, path)
            || shows(path)
    };
    // The starter's lines, each with the key path it writes (`budget.income.total`), dropping
    // a key the layout does not print together with the lines under it.
    let mut lines: Vec<(Option<String>, String)> = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut dropping: Option<usize> = None;
    for line in template(kind).lines() {
        let indent = line.len() - line.trim_start().len();
        if let Some(d) = dropping {
            if line.trim().is_empty() {
                // Blank lines between blocks stay (runs of them are folded below).
                lines.push((None, String::new()));
                continue;
            }
            if indent > d {
                continue;
            }
            dropping = None;
        }
        let Some((key_indent, key)) = key_of(line) else {
            lines.push((None, line.to_string()));
            continue;
        };
        while stack.last().is_some_and(|(i, _)| *i >= key_indent) {
            stack.pop();
        }
        let path = stack
            .iter()
            .map(|(_, k)| k.as_str())
            .chain([key])
            .collect::<Vec<_>>()
            .join(".");
        if !keep(&path) {
            dropping = Some(indent);
            // The comment lines that introduce it go with it.
            while lines
                .last()
                .is_some_and(|(p, l)| p.is_none() && l.trim_start().starts_with('#'))
            {
                lines.pop();
            }
            continue;
        }
        stack.push((key_indent, key.to_string()));
        lines.push((Some(path.clone()), line.to_string()));
        if path == "form" {
            lines.push((
                Some("layout".into()),
                format!(
                    "layout: {name}                      # 版式（jixiao layouts 列出内置版式）"
                ),
            ));
        }
    }
    // What the layout prints that the starter does not write: blank, with its description.
    let mut missing: Vec<String> = Vec::new();
    for p in &printed {
        if let Some(key) = declared_path(table, p)
            && !missing.contains(&key)
        {
            missing.push(key);
        }
    }
    for path in missing {
        add(table, &mut lines, &path);
    }
    let mut out: String = lines.into_iter().map(|(_, l)| l + "\n").collect();
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out
}

/// Writes the line of `path` (and of its blocks, when they are not written) into `lines`:
/// after the last line of its block, or, at the top level, before the indicators.
fn add(
    table: &'static [crate::authoring::keys::Key],
    lines: &mut Vec<(Option<String>, String)>,
    path: &str,
) {
    if lines.iter().any(|(p, _)| p.as_deref() == Some(path)) {
        return;
    }
    let Some(k) = key_at(table, path) else { return };
    let (parent, leaf) = path.rsplit_once('.').unwrap_or(("", path));
    if !parent.is_empty() {
        add(table, lines, parent);
    }
    let inside = |p: &str| p == parent || p.starts_with(&format!("{parent}."));
    let siblings = lines
        .iter()
        .filter(|(p, _)| p.as_deref().is_some_and(|p| p != parent && inside(p)))
        .count();
    // Blocks indent by two; a list item's keys by two more, the first behind `- `.
    let mut indent = 0;
    let mut prefix = String::new();
    for part in path.split('.').take(path.split('.').count() - 1) {
        prefix = if prefix.is_empty() {
            part.to_string()
        } else {
            format!("{prefix}.{part}")
        };
        indent += if list_at(table, &prefix) { 4 } else { 2 };
    }
    let lead = if list_at(table, parent) && siblings == 0 {
        format!("{}- ", " ".repeat(indent - 2))
    } else {
        " ".repeat(indent)
    };
    let width = lead.chars().count() + leaf.len() + 1;
    let text = format!(
        "{lead}{leaf}:{}# {}",
        " ".repeat(37usize.saturating_sub(width).max(1)),
        k.description
    );
    let at = if parent.is_empty() {
        // Before the comment lines that open the indicators.
        let i = lines
            .iter()
            .position(|(p, _)| p.as_deref() == Some("indicators"))
            .unwrap_or(lines.len());
        lines[..i]
            .iter()
            .rposition(|(p, _)| p.is_some())
            .map_or(i, |j| j + 1)
    } else {
        lines
            .iter()
            .rposition(|(p, _)| p.as_deref().is_some_and(inside))
            .map_or(lines.len(), |j| j + 1)
    };
    lines.insert(at, (Some(path.to_string()), text));
}

/// `(indent of the key, key)` of a line `  key: …` or `  - key: …` with an ASCII key.
fn key_of(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    let mut indent = line.len() - trimmed.len();
    let rest = match trimmed.strip_prefix("- ") {
        Some(r) => {
            indent += 2;
            r
        }
        None => trimmed,
    };
    let key = &rest[..rest.find(':')?];
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .then_some((indent, key))
}

/// The key at `path` (`budget.income.general`) of `table`, through blocks and lists.
fn key_at(
    table: &'static [crate::authoring::keys::Key],
    path: &str,
) -> Option<&'static crate::authoring::keys::Key> {
    use crate::authoring::keys::Ty;
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    let k = table.iter().find(|k| k.key == head)?;
    if rest.is_empty() {
        return Some(k);
    }
    match k.ty {
        Ty::Block(inner) | Ty::List(inner) => key_at(inner, rest),
        _ => None,
    }
}

fn list_at(table: &'static [crate::authoring::keys::Key], path: &str) -> bool {
    key_at(table, path).is_some_and(|k| matches!(k.ty, crate::authoring::keys::Ty::List(_)))
}

fn required(table: &'static [crate::authoring::keys::Key], path: &str) -> bool {
    key_at(table, path).is_some_and(|k| k.required)
}

/// The declaration key a printed layout path stands for: itself when the key table has it
/// (`midterm_indicators`, `projects` too); a year of 近两年收支金额 (`history.1.income.total`)
/// the key of a `history` item; none (`None`) for computed paths (`…_share`) and the indicator
/// columns, which belong to the indicators.
fn declared_path(table: &'static [crate::authoring::keys::Key], printed: &str) -> Option<String> {
    if printed.starts_with("indicators.") || printed.ends_with("_share") {
        return None;
    }
    // `history.1.income.total`: the key `history.income.total` of a list item.
    let path = match printed
        .strip_prefix("history.")
        .and_then(|r| r.split_once('.'))
    {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => format!("history.{rest}"),
        _ => printed.to_string(),
    };
    key_at(table, &path).map(|_| path)
}
