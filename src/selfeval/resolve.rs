//! `target:`: reading the spring declaration a self-evaluation follows.
//!
//! The target is read with [`crate::inputs::read`] (the same size bound and UTF-8 check as any
//! input), relative to the folder of the declaration that names it, then parsed and validated
//! like any declaration. Whatever stops it from being used is one located error at `target:`:
//! unreadable (`target.read`), with errors of its own (`target.invalid`, quoting the first),
//! not the spring form of the same side (`target.form`), or a self-evaluation whose chain of
//! targets comes back (`target.cycle`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{SelfEvalForm, Side, Target, target_path};
use crate::declaration::{Declaration, FormKind, Loc};
use crate::diagnostic::{Code, Diagnostic, OtherFile};
use crate::validate::GlyphCoverage;

/// How many self-evaluations a chain of targets may pass through before it is called a cycle
/// (a real chain has none: a target is a spring form).
const MAX_CHAIN: usize = 8;

/// Reads and attaches the target of `form` (declared in the file at `path`). Returns the
/// diagnostics about it (errors at `target:`).
pub fn resolve(
    form: &mut SelfEvalForm,
    path: &Path,
    glyphs: &dyn GlyphCoverage,
) -> Vec<Diagnostic> {
    let Some(written) = form.target_path.clone() else {
        return Vec::new();
    };
    let loc = written.loc;
    let file = target_path(path, &written.value);
    let err = |code, zh: String, en: String| vec![Diagnostic::error(code, loc, zh, en)];
    let source = match crate::inputs::read(&file) {
        Ok(s) => s,
        Err(e) => {
            return err(
                Code::TargetRead,
                format!("无法读取目标申报表：{e}"),
                format!("cannot read the target declaration: {e}"),
            );
        }
    };
    let outcome = crate::declaration::parse(&source.text);
    let Some(decl) = outcome.declaration else {
        let first = outcome.diagnostics.first();
        return err(
            Code::TargetInvalid,
            format!(
                "目标申报表 {} 无法读取：{}",
                file.display(),
                first.map_or(String::new(), |d| where_(d, &file, &d.zh))
            ),
            format!(
                "the target declaration {} cannot be read: {}",
                file.display(),
                first.map_or(String::new(), |d| where_(d, &file, &d.en))
            ),
        );
    };
    let wanted = match form.side {
        Side::Project => FormKind::Project,
        Side::Department => FormKind::Department,
    };
    if let Declaration::SelfEval(next) = &decl
        && chain_returns(path, &file, next)
    {
        return err(
            Code::TargetCycle,
            format!(
                "目标申报表 {} 又以自评表引回本文件：目标应为{}",
                file.display(),
                wanted.title()
            ),
            format!(
                "the target {} refers back to this file: the target must be a {} declaration",
                file.display(),
                wanted.key()
            ),
        );
    }
    if decl.kind() != wanted {
        return err(
            Code::TargetForm,
            format!(
                "目标申报表 {} 是{}，而{}应以{}为目标",
                file.display(),
                decl.kind().title(),
                wanted_self(form.side),
                wanted.title()
            ),
            format!(
                "the target {} is a `{}` form; this self-evaluation needs a `{}` declaration",
                file.display(),
                decl.kind().key(),
                wanted.key()
            ),
        );
    }
    let mut diagnostics = outcome.diagnostics;
    diagnostics.extend(crate::validate::validate(&decl, glyphs));
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    if let Some(first) = errors.first() {
        return err(
            Code::TargetInvalid,
            format!(
                "目标申报表 {} 有 {} 个错误，先改正它（jixiao check {}）；第一个：{}",
                file.display(),
                errors.len(),
                file.display(),
                where_(first, &file, &first.zh)
            ),
            format!(
                "the target declaration {} has {} error(s); fix it first (jixiao check {}); the first: {}",
                file.display(),
                errors.len(),
                file.display(),
                where_(first, &file, &first.en)
            ),
        );
    }
    form.target = Some(Target {
        file: Arc::new(OtherFile {
            path: file,
            text: source.text,
        }),
        declaration: Box::new(decl),
    });
    Vec::new()
}

fn wanted_self(side: Side) -> &'static str {
    match side {
        Side::Project => FormKind::ProjectSelfeval.title(),
        Side::Department => FormKind::DepartmentSelfeval.title(),
    }
}

/// `file:line:col [code] message`.
fn where_(d: &Diagnostic, file: &Path, message: &str) -> String {
    let Loc { line, column } = d.loc;
    format!("{}:{line}:{column} [{}] {message}", file.display(), d.code)
}

/// Whether following `next`'s targets (from `file`) comes back to a file already on the way.
fn chain_returns(start: &Path, file: &Path, next: &SelfEvalForm) -> bool {
    let key = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut seen: Vec<PathBuf> = vec![key(start), key(file)];
    let mut here = file.to_path_buf();
    let mut form = next.clone();
    for _ in 0..MAX_CHAIN {
        let Some(written) = &form.target_path else {
            return false;
        };
        let there = target_path(&here, &written.value);
        if seen.contains(&key(&there)) {
            return true;
        }
        let Ok(source) = crate::inputs::read(&there) else {
            return false;
        };
        let Some(Declaration::SelfEval(f)) = crate::declaration::parse(&source.text).declaration
        else {
            return false;
        };
        seen.push(key(&there));
        here = there;
        form = f;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::AllGlyphs;

    fn form_at(dir: &Path, name: &str, text: &str) -> (SelfEvalForm, PathBuf) {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        match crate::declaration::parse(text).declaration {
            Some(Declaration::SelfEval(s)) => (s, path),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_invalid_wrong_and_cyclic_targets_are_located_errors() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let codes = |name: &str, text: &str| {
            let (mut f, path) = form_at(d, name, text);
            let diags = resolve(&mut f, &path, &AllGlyphs);
            (
                diags.iter().map(|x| (x.code, x.loc)).collect::<Vec<_>>(),
                f.target.is_some(),
            )
        };
        assert_eq!(
            codes("a.yaml", "form: project-selfeval\ntarget: nowhere.yaml\n"),
            (vec![(Code::TargetRead, Loc::new(2, 9))], false)
        );
        std::fs::write(d.join("bad.yaml"), "form: project\nname: x\n").unwrap();
        assert_eq!(
            codes("b.yaml", "form: project-selfeval\ntarget: bad.yaml\n").0,
            vec![(Code::TargetInvalid, Loc::new(2, 9))]
        );
        std::fs::write(d.join("dept.yaml"), "form: department\nname: x\n").unwrap();
        assert_eq!(
            codes("c.yaml", "form: project-selfeval\ntarget: dept.yaml\n").0,
            vec![(Code::TargetForm, Loc::new(2, 9))]
        );
        assert_eq!(
            codes("self.yaml", "form: project-selfeval\ntarget: self.yaml\n").0,
            vec![(Code::TargetCycle, Loc::new(2, 9))]
        );
        std::fs::write(d.join("y.yaml"), "form: project-selfeval\ntarget: x.yaml\n").unwrap();
        assert_eq!(
            codes("x.yaml", "form: project-selfeval\ntarget: y.yaml\n").0,
            vec![(Code::TargetCycle, Loc::new(2, 9))]
        );
        let seed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/chaisang-2023-project.yaml"
        ))
        .unwrap();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("sub/t.yaml"), seed).unwrap();
        assert_eq!(
            codes("ok.yaml", "form: project-selfeval\ntarget: sub/t.yaml\n"),
            (vec![], true)
        );
    }
}
