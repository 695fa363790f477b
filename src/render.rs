//! `jixiao render`: each declaration file → checked → laid out → its output files.
//!
//! Per file: read, [`check_source`](crate::check::check_source) (parse and validate), print the
//! diagnostics as `check` prints them; a file with errors writes nothing. Otherwise
//! [`layout::build`](crate::layout::build) makes the Grid and every requested [`Output`] turns it
//! into bytes, written atomically as `<out>/<stem>.<extension>`. One bad file never stops the
//! others.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::app::{RenderOptions, exit};
use crate::check::{Checked, check_source};
use crate::diagnostic::Lang;
use crate::layout::Grid;
use crate::validate::GlyphCoverage;

/// What one output format makes of a Grid.
pub type Produce = Box<dyn Fn(&Grid) -> Result<Vec<u8>, String> + Send + Sync>;

/// One output written for every declaration: `<stem>.<extension>` made by `produce`.
pub struct Output {
    /// File extension without the dot (`xlsx`, `pdf`).
    pub extension: &'static str,
    pub produce: Produce,
}

/// The XLSX output.
pub fn xlsx_output() -> Output {
    Output { extension: "xlsx", produce: Box::new(|grid| crate::xlsx::write(grid).map_err(|e| e.to_string())) }
}

/// What a run shares across files.
pub struct Context {
    /// The outputs requested, in the order they are written.
    pub outputs: Vec<Output>,
    /// The fonts that decide `text.glyph`.
    pub glyphs: Arc<dyn GlyphCoverage + Send + Sync>,
    pub out_dir: PathBuf,
    pub lang: Lang,
}

/// The outputs and fonts of a run, from its options. Err: a usage problem (message).
pub fn context(opts: &RenderOptions) -> Result<Context, String> {
    let fonts = crate::pdf::FontSet::with_dirs(&opts.font_dirs).map_err(|e| e.to_string())?;
    let mut outputs = Vec::new();
    if opts.outputs.pdf() {
        let template = match &opts.template {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: cannot read the template: {e}", path.display()))?,
            ),
            None => None,
        };
        let engine = crate::pdf::Engine::new(fonts.clone(), template);
        let options = crate::pdf::PdfOptions { pdf_a: opts.pdf_a };
        outputs.push(Output {
            extension: "pdf",
            produce: Box::new(move |grid| engine.render(grid, &options).map_err(|e| e.to_string())),
        });
    }
    if opts.outputs.xlsx() {
        outputs.push(xlsx_output());
    }
    let out_dir = if opts.out_dir.as_os_str().is_empty() { PathBuf::from("out") } else { opts.out_dir.clone() };
    Ok(Context { outputs, glyphs: fonts, out_dir, lang: opts.lang })
}

/// What happened to one file.
#[derive(Debug, Default)]
pub struct FileReport {
    /// For stdout: the diagnostics, as `check` prints them.
    pub diagnostics: String,
    /// For stderr: what was written or what went wrong.
    pub messages: Vec<String>,
    /// The files written.
    pub written: Vec<PathBuf>,
    /// `exit::OK`, `exit::FAILED` (errors in the file, or an output could not be made) or
    /// `exit::USAGE` (the file or an output could not be read or written).
    pub status: u8,
}

/// Runs `jixiao render`; returns the exit status.
pub fn run(opts: &RenderOptions) -> u8 {
    let files = match crate::inputs::expand(&opts.paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let ctx = match context(opts) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    if let Err(e) = std::fs::create_dir_all(&ctx.out_dir) {
        eprintln!("error: {}: cannot create the folder: {e}", ctx.out_dir.display());
        return exit::USAGE;
    }
    let clashes = stem_clashes(&files);
    let work = |path: &PathBuf| match clashes.get(path) {
        Some(first) => FileReport {
            messages: vec![format!(
                "error: {}: has the same name as {}, whose output it would overwrite; rename one of them",
                path.display(),
                first.display()
            )],
            status: exit::FAILED,
            ..FileReport::default()
        },
        None => render_file(path, &ctx),
    };
    let reports: Vec<FileReport> = match rayon::ThreadPoolBuilder::new().num_threads(opts.jobs).build() {
        Ok(pool) => pool.install(|| files.par_iter().map(work).collect()),
        Err(_) => files.iter().map(work).collect(),
    };

    // Printed in input order whatever order the files finished in.
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let mut status = exit::OK;
    for report in &reports {
        // A closed pipe is not worth a panic.
        let _ = stdout.write_all(report.diagnostics.as_bytes());
        for m in &report.messages {
            eprintln!("{m}");
        }
        status = status.max(report.status);
    }
    let _ = stdout.flush();
    let written: usize = reports.iter().map(|r| r.written.len()).sum();
    let failed = reports.iter().filter(|r| r.status != exit::OK).count();
    match ctx.lang {
        Lang::Zh => eprintln!("共 {} 个文件：写出 {written} 个输出，{failed} 个文件失败", reports.len()),
        Lang::En => eprintln!("{} files: {written} outputs written, {failed} files failed", reports.len()),
    }
    status
}

/// Input files whose stem another input already has (`a/x.yaml` and `b/x.yml` would both write
/// `x.xlsx`): each later one mapped to the first.
fn stem_clashes(files: &[PathBuf]) -> BTreeMap<PathBuf, PathBuf> {
    let mut first: BTreeMap<std::ffi::OsString, &PathBuf> = BTreeMap::new();
    let mut clashes = BTreeMap::new();
    for f in files {
        let stem = f.file_stem().unwrap_or_default().to_os_string();
        match first.get(&stem) {
            Some(earlier) => {
                clashes.insert(f.clone(), (*earlier).clone());
            }
            None => {
                first.insert(stem, f);
            }
        }
    }
    clashes
}

/// Renders one declaration file into `ctx.out_dir`.
pub fn render_file(path: &Path, ctx: &Context) -> FileReport {
    let mut report = FileReport::default();
    let source = match crate::inputs::read(path) {
        Ok(s) => s,
        Err(e) => {
            report.messages.push(format!("error: {e}"));
            report.status = exit::USAGE;
            return report;
        }
    };
    let checked = check_source(source, ctx.glyphs.as_ref());
    report.diagnostics = diagnostics_text(&checked, ctx.lang);
    let Some(decl) = checked.renderable() else {
        report.messages.push(match ctx.lang {
            Lang::Zh => format!("{}：有错误，未生成", path.display()),
            Lang::En => format!("{}: has errors, nothing written", path.display()),
        });
        report.status = exit::FAILED;
        return report;
    };
    let grid = crate::layout::build(decl);
    let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
    for output in &ctx.outputs {
        let target = ctx.out_dir.join(format!("{stem}.{}", output.extension));
        let bytes = match (output.produce)(&grid) {
            Ok(b) => b,
            Err(e) => {
                report.messages.push(format!("error: {}: cannot make the {}: {e}", path.display(), output.extension));
                report.status = report.status.max(exit::FAILED);
                continue;
            }
        };
        match write_atomically(&target, &bytes) {
            Ok(()) => {
                report.messages.push(match ctx.lang {
                    Lang::Zh => format!("已写出 {}", target.display()),
                    Lang::En => format!("wrote {}", target.display()),
                });
                report.written.push(target);
            }
            Err(e) => {
                report.messages.push(format!("error: {}: cannot write: {e}", target.display()));
                report.status = exit::USAGE;
            }
        }
    }
    report
}

/// The file's diagnostics as `check` prints them (nothing when there are none).
fn diagnostics_text(checked: &Checked, lang: Lang) -> String {
    if checked.diagnostics.is_empty() && checked.declaration.is_some() {
        return String::new();
    }
    crate::report::human(checked, lang)
}

/// Writes `bytes` to `target` so that no truncated file ever sits under its name: a temporary
/// file in the same folder (same file system, so the rename is atomic), flushed, then renamed
/// over the target. The temporary file is removed when anything fails.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x.xlsx");
        std::fs::write(&target, b"old").unwrap();
        write_atomically(&target, b"new bytes").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new bytes");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("x.xlsx")]);
        // Into a folder that does not exist: an error, and nothing left behind.
        assert!(write_atomically(&dir.path().join("missing/x.xlsx"), b"x").is_err());
    }

    #[test]
    fn same_stems_clash() {
        let files = vec![PathBuf::from("a/x.yaml"), PathBuf::from("b/x.yml"), PathBuf::from("c/y.yaml")];
        let clashes = stem_clashes(&files);
        assert_eq!(clashes.len(), 1);
        assert_eq!(clashes.get(Path::new("b/x.yml")), Some(&PathBuf::from("a/x.yaml")));
    }
}
