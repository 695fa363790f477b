//! `-` on the command line: one declaration read from standard input (`check -`, `render -`),
//! or the one document written to standard output (`render FILE -o -`).
//!
//! The name it goes by (`--stdin-name`, default `<stdin>`) stands in the list of inputs in
//! place of `-`, so every message, and the output files of `render - -o DIR`, use it like the
//! name of a file. It is registered once per process because the inputs are read deep inside
//! a batch that only passes paths around.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::exit;
use crate::inputs::{InputError, SourceFile};
use crate::messages::{self, Msg};
use crate::render::{Outputs, RenderOptions};

/// The name standard input goes by when `--stdin-name` is not given.
pub const DEFAULT_NAME: &str = "<stdin>";

static NAME: OnceLock<PathBuf> = OnceLock::new();

/// Makes `name` stand for standard input from now on and returns it as the input's path.
/// Standard input can be read once, so a second registration under another name is refused.
pub fn register(name: &str) -> Result<PathBuf, PathBuf> {
    let path = NAME.get_or_init(|| PathBuf::from(name));
    if path == Path::new(name) {
        Ok(path.clone())
    } else {
        Err(path.clone())
    }
}

/// Whether `path` is the name registered for standard input.
pub fn is_stdin(path: &Path) -> bool {
    NAME.get().is_some_and(|name| name == path)
}

/// Reads the declaration on standard input (bounded and decoded like a file).
pub fn read() -> Result<SourceFile, InputError> {
    let name = NAME.get().map_or(Path::new(DEFAULT_NAME), PathBuf::as_path);
    crate::inputs::read_from(name, std::io::stdin().lock())
}

/// `jixiao render FILE -o -`: checks one declaration and writes its PDF (its XLSX with
/// `--format xlsx`) to standard output, for pipelines (`… -o - | lp`). The diagnostics go to
/// standard error, which keeps standard output for the document alone.
pub fn render_to_stdout(opts: &RenderOptions) -> u8 {
    use std::io::{IsTerminal, Write};
    let lang = opts.lang;
    let fail = |message: String| {
        eprintln!("{}", messages::error(lang, message));
        exit::USAGE
    };
    if opts.workbook.is_some() {
        return fail(Msg::StdoutNoWorkbook.plain(lang));
    }
    let expanded = crate::inputs::expand(&opts.paths);
    if let Some(e) = expanded.problems.first() {
        return fail(messages::input_error(e, lang));
    }
    let files = expanded.files;
    let [path] = files.as_slice() else {
        return fail(Msg::StdoutOneFile.text(lang, &[("count", &files.len())]));
    };
    // One document: the PDF unless only the XLSX was asked for.
    let outputs = if opts.outputs == Outputs::Xlsx {
        Outputs::Xlsx
    } else {
        Outputs::Pdf
    };
    let format = if outputs == Outputs::Xlsx {
        "xlsx"
    } else {
        "pdf"
    };
    if std::io::stdout().is_terminal() {
        return fail(Msg::StdoutIsTerminal.text(lang, &[("format", &format)]));
    }
    let ctx = match crate::render::context(&RenderOptions {
        outputs,
        ..opts.clone()
    }) {
        Ok(ctx) => ctx,
        Err(e) => return fail(e),
    };
    let source = match crate::inputs::read(path) {
        Ok(source) => source,
        Err(e) => return fail(messages::input_error(&e, lang)),
    };
    let checked =
        crate::check::check_source_with(source, ctx.glyphs.as_ref(), opts.layout.as_deref());
    if !checked.diagnostics.is_empty() || checked.declaration.is_none() {
        eprint!(
            "{}",
            crate::terminal::diagnostics(&checked, lang, crate::terminal::stderr_colored())
        );
    }
    let Some(decl) = checked.renderable() else {
        eprintln!(
            "{}",
            messages::error(
                lang,
                Msg::RenderHasErrors.text(lang, &[("path", &path.display())])
            )
        );
        return exit::FAILED;
    };
    // The layout was checked with the file: it reads and tiles this declaration.
    let Ok(mut grid) = crate::layouts::grid_for(decl, path, opts.layout.as_deref()) else {
        return exit::FAILED;
    };
    if let Some(planner) = &ctx.planner {
        grid.plan = planner.plan(&grid).ok();
    }
    let Some(output) = ctx.outputs.first() else {
        return exit::USAGE;
    };
    match (output.produce)(&grid) {
        Ok(bytes) => {
            let mut out = std::io::stdout().lock();
            match out.write_all(&bytes).and_then(|()| out.flush()) {
                Ok(()) => exit::OK,
                Err(e) => fail(Msg::FileNotWritten.text(lang, &[("path", &"-"), ("error", &e)])),
            }
        }
        Err(e) => {
            let args: [(&str, &dyn std::fmt::Display); 3] = [
                ("path", &path.display()),
                ("format", &format),
                ("error", &e),
            ];
            eprintln!(
                "{}",
                messages::error(lang, Msg::RenderCannotMake.text(lang, &args))
            );
            exit::FAILED
        }
    }
}
