//! The commands behind the `jixiao` binary, as library functions: each takes its options and
//! returns the process exit status, so tests can drive them without spawning a process.

use std::path::PathBuf;

use crate::diagnostic::Lang;
pub use crate::exit;
use crate::inputs::shown;
use crate::messages::{self, Msg};
pub use crate::render::{Outputs, RenderOptions};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    #[default]
    Human,
    Json,
    /// A workbook (汇总 and 诊断) written to [`CheckOptions::out`].
    Xlsx,
}

/// Options of `jixiao check`.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub format: OutputFormat,
    pub lang: Lang,
    /// Extra fonts for this run (they widen what `text.glyph` accepts).
    pub font_dirs: Vec<PathBuf>,
    /// `--layout`: the layout of every file of the run (a built-in id or a definition file).
    pub layout: Option<String>,
    /// Where `--format xlsx` writes its workbook.
    pub out: Option<PathBuf>,
}

/// `jixiao check`: parse and validate every declaration; print diagnostics.
///
/// Human output goes to stdout file by file, then one summary line; `--format json` prints ONE
/// array for the whole run; `--format xlsx -o FILE` writes the diagnostics as a workbook (one
/// 汇总 row per file, one 诊断 row per diagnostic) and prints the summary line. Cross-form
/// `bundle.*` warnings ([`crate::bundle`]) join the department file's diagnostics. A file that
/// cannot be read is a failed file with one `input.*` diagnostic (exit status 1), and the other
/// files are still checked; a folder that cannot be listed is said on stderr (exit status 2).
pub fn check(opts: &CheckOptions) -> u8 {
    use std::io::Write;

    let lang = opts.lang;
    let Some((files, walk_problems)) = crate::inputs::expand_or_explain(&opts.paths, opts.lang)
    else {
        return exit::USAGE;
    };
    // `text.glyph` against the fonts a render of this run would have: bundled plus --font-dir.
    let glyphs = match crate::fonts::FontSet::with_dirs(&opts.font_dirs) {
        Ok(fonts) => {
            fonts.print_warnings(opts.lang);
            fonts
        }
        Err(e) => {
            eprintln!(
                "{}",
                messages::error(lang, Msg::FontsUnusable.text(lang, &[("error", &e)]))
            );
            return exit::USAGE;
        }
    };
    let colored = crate::terminal::stdout_colored();
    let mut checked: Vec<crate::check::Checked> = files
        .iter()
        .map(|path| {
            let started = std::time::Instant::now();
            // A YAML declaration, or a filled workbook read by its layout.
            let result = match crate::check::check_path(path, &*glyphs, opts.layout.as_deref()) {
                Ok(checked) => checked,
                Err(e) => crate::check::unreadable(&e),
            };
            if crate::terminal::verbose() {
                let ms = started.elapsed().as_millis();
                eprintln!(
                    "{}",
                    Msg::CheckFileTime.text(lang, &[("path", &path.display()), ("ms", &ms)])
                );
            }
            result
        })
        .collect();
    // Cross-form checks need every form of the batch: they are added before anything prints.
    let members: Vec<crate::bundle::Member> = checked
        .iter()
        .filter_map(|c| crate::bundle::Member::of(&c.path, c.declaration.as_ref()?))
        .collect();
    let bundles = crate::bundle::check(&members);
    for c in &mut checked {
        c.add(bundles.of(&c.path));
    }
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    if opts.format == OutputFormat::Human {
        for c in &checked {
            // A closed pipe (`jixiao check … | head`) is not worth a panic.
            let _ = stdout.write_all(crate::terminal::diagnostics(c, lang, colored).as_bytes());
        }
    }
    match opts.format {
        OutputFormat::Human if crate::terminal::quiet() => {}
        OutputFormat::Human => {
            let _ = writeln!(
                stdout,
                "{}",
                crate::report::summary(&checked, walk_problems, opts.lang)
            );
        }
        OutputFormat::Json => {
            let json = crate::report::json(&checked, opts.lang);
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_else(|_| "[]".into())
            );
        }
        OutputFormat::Xlsx => {
            let Some(target) = &opts.out else {
                eprintln!(
                    "{}",
                    messages::error(lang, Msg::CheckXlsxNeedsOut.plain(lang))
                );
                return exit::USAGE;
            };
            let mut book = crate::workbook::Builder::diagnostics_only(lang);
            for c in &checked {
                let entry = crate::workbook::Entry::new(
                    c,
                    crate::workbook::Status::of(c, false),
                    None,
                    lang,
                );
                if let Err(e) = entry.and_then(|entry| book.push(entry).map(|_| ())) {
                    let text = Msg::WorkbookAddFailed
                        .text(lang, &[("path", &shown(&c.path)), ("error", &e)]);
                    eprintln!("{}", messages::error(lang, text));
                    return exit::FAILED;
                }
            }
            if let Err(e) = book.save(target) {
                let text =
                    Msg::WorkbookNotWritten.text(lang, &[("path", &shown(target)), ("error", &e)]);
                eprintln!("{}", messages::error(lang, text));
                return exit::USAGE;
            }
            let _ = writeln!(
                stdout,
                "{}",
                crate::report::summary(&checked, walk_problems, opts.lang)
            );
        }
    }
    let _ = stdout.flush();
    // A folder or entry the walk could not read is not a file with diagnostics: said on stderr
    // (by expand_or_explain), exit status 2.
    if walk_problems > 0 {
        exit::USAGE
    } else if checked.iter().any(crate::check::Checked::has_errors) {
        exit::FAILED
    } else {
        exit::OK
    }
}

/// `jixiao render`: check, lay out and write every declaration (see [`crate::render`]).
pub fn render(opts: &RenderOptions) -> u8 {
    crate::render::run(opts)
}

/// `jixiao init`: prints the starter declaration of `form`, or writes it to `out` (never over an
/// existing file; exit status 2 then).
pub fn init(
    form: crate::declaration::FormKind,
    out: Option<&std::path::Path>,
    target: Option<&std::path::Path>,
    layout: Option<&str>,
) -> u8 {
    use crate::authoring::{init, schema::SCHEMA_FILE_NAME};
    use crate::declaration::FormKind;
    let lang = messages::resolve(None).unwrap_or_default();
    let text: std::borrow::Cow<str> = match target {
        Some(t)
            if matches!(
                form,
                FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval
            ) =>
        {
            match crate::selfeval::init::starter(form, t, out) {
                Ok(text) => text.into(),
                Err(e) => {
                    eprintln!("{e}");
                    return exit::USAGE;
                }
            }
        }
        Some(_) => {
            eprintln!(
                "error: --target 只用于 project-selfeval / department-selfeval (--target is for self-evaluations only)"
            );
            return exit::USAGE;
        }
        None => match layout {
            None => init::template(form),
            Some(_)
                if matches!(
                    form,
                    FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval
                ) =>
            {
                eprintln!(
                    "error: --layout 只用于 project / department (--layout is for target forms only)"
                );
                return exit::USAGE;
            }
            Some(name) => match crate::layouts::resolve(name, None, form) {
                Ok(l) => init::template_for_layout(form, name.trim(), &l.def).into(),
                Err(e) => {
                    eprintln!("{e}");
                    return exit::USAGE;
                }
            },
        },
    };
    let Some(path) = out else {
        use std::io::Write;
        // A closed pipe (`jixiao init project | head`) is not worth a panic.
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        return exit::OK;
    };
    match init::write_new(path, &text) {
        Ok(()) => {
            // Tell a newcomer what to do next, on stderr so that stdout stays clean for scripts.
            if !crate::terminal::quiet() {
                eprintln!(
                    "{}",
                    Msg::InitWritten.text(lang, &[("path", &path.display())])
                );
                eprintln!(
                    "{}",
                    Msg::InitSchemaHint.text(lang, &[("schema", &SCHEMA_FILE_NAME)])
                );
            }
            exit::OK
        }
        Err(e) => {
            let text = match &e {
                init::WriteError::Exists(p) => {
                    Msg::InitExists.text(lang, &[("path", &p.display())])
                }
                init::WriteError::Io(p, e) => {
                    Msg::FileNotWritten.text(lang, &[("path", &p.display()), ("error", e)])
                }
            };
            eprintln!("{}", messages::error(lang, text));
            exit::USAGE
        }
    }
}

/// `jixiao import FILE.xlsx`: the workbook's form as a YAML declaration (labels as
/// comments), on standard output or into `out`; what checking it finds is printed on stderr
/// (located at the workbook's cells). Status 1 when the workbook cannot be read as a form.
pub fn import(
    path: &std::path::Path,
    out: Option<&std::path::Path>,
    layout: Option<&str>,
    force: bool,
    lang: Lang,
) -> u8 {
    use std::io::Write;
    let bytes = match crate::inputs::read_bytes(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}", messages::error(lang, messages::input_error(&e, lang)));
            return exit::USAGE;
        }
    };
    let read = match crate::xlsx::read::read(&bytes, layout) {
        Ok(r) => r,
        Err(e) => {
            let text = match lang {
                Lang::Zh => e.zh,
                Lang::En => e.en,
            };
            eprintln!(
                "{}",
                messages::error(lang, format!("{}: {text}", crate::inputs::shown(path)))
            );
            return exit::FAILED;
        }
    };
    let glyphs = crate::validate::AllGlyphs;
    let checked = crate::check::check_workbook(path, &bytes, &glyphs, layout);
    if !checked.diagnostics.is_empty() {
        eprint!(
            "{}",
            crate::terminal::diagnostics(&checked, lang, crate::terminal::stderr_colored())
        );
    }
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let text = format!(
        "# 由 jixiao import 读自 {name}（工作表 {}，版式 {}）；注释是表上的标签\n# Read by jixiao import from {name} (sheet {}, layout {}); comments are the form's labels\n{}",
        read.cells.sheet, read.layout, read.cells.sheet, read.layout, read.yaml
    );
    let Some(out) = out else {
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        return exit::OK;
    };
    if !force && out.symlink_metadata().is_ok() {
        let text = match lang {
            Lang::Zh => format!("{}：文件已存在；加 --force 覆盖", crate::inputs::shown(out)),
            Lang::En => format!(
                "{}: the file exists; add --force to replace it",
                crate::inputs::shown(out)
            ),
        };
        eprintln!("{}", messages::error(lang, text));
        return exit::USAGE;
    }
    match crate::output::write_atomically(out, text.as_bytes()) {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!(
                "{}",
                messages::error(
                    lang,
                    Msg::FileNotWritten.text(lang, &[("path", &out.display()), ("error", &e)])
                )
            );
            exit::USAGE
        }
    }
}

/// `jixiao template FORM -o FILE.xlsx`: a fill-in workbook ([`crate::xlsx::template`]).
pub fn template(
    form: crate::declaration::FormKind,
    out: &std::path::Path,
    layout: Option<&str>,
    rows: usize,
    items: usize,
    force: bool,
) -> u8 {
    let lang = messages::resolve(None).unwrap_or_default();
    let fail = |text: String| {
        eprintln!("{}", messages::error(lang, text));
        exit::USAGE
    };
    let layout = match crate::layouts::resolve(
        layout.unwrap_or(crate::layouts::default_for(form)),
        None,
        form,
    ) {
        Ok(l) => l,
        Err(e) => return fail(e.to_string()),
    };
    if !force && out.symlink_metadata().is_ok() {
        return fail(match lang {
            Lang::Zh => format!("{}：文件已存在；加 --force 覆盖", crate::inputs::shown(out)),
            Lang::En => format!(
                "{}: the file exists; add --force to replace it",
                crate::inputs::shown(out)
            ),
        });
    }
    let bytes = match crate::xlsx::template::write(&layout, rows, items) {
        Ok(b) => b,
        Err(e) => return fail(e.to_string()),
    };
    match crate::output::write_atomically(out, &bytes) {
        Ok(()) => exit::OK,
        Err(e) => fail(Msg::FileNotWritten.text(lang, &[("path", &out.display()), ("error", &e)])),
    }
}

/// `jixiao schema [--layout ID|FILE]`: prints the JSON Schema of declarations (for
/// yaml-language-server), for one layout's forms when asked.
pub fn schema(layout: Option<&str>) -> u8 {
    use crate::authoring::schema::{Printed, schema_for};
    use crate::declaration::FormKind;
    use std::io::Write;
    let text = match layout {
        None => crate::authoring::schema::schema_text(),
        Some(name) => {
            let mut printed = Vec::new();
            let mut problems = Vec::new();
            for kind in [
                FormKind::Project,
                FormKind::Department,
                FormKind::ProjectSelfeval,
                FormKind::DepartmentSelfeval,
            ] {
                match crate::layouts::resolve(name, None, kind) {
                    Ok(l) => printed.push(Printed {
                        form: kind,
                        layout: l.name.clone(),
                        fields: crate::layouts::printed_fields(&l.def),
                    }),
                    Err(e) => problems.push(e),
                }
            }
            if printed.is_empty() {
                // No form: the layout is unknown or broken (a file of one form only would have
                // given one).
                for e in problems.iter().take(1) {
                    eprintln!("{e}");
                }
                return exit::USAGE;
            }
            let mut text = serde_json::to_string_pretty(&schema_for(&printed))
                .expect("a JSON value always serialises");
            text.push('\n');
            text
        }
    };
    // A closed pipe (`jixiao schema | head`) is not worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    exit::OK
}

/// `jixiao template-source`: prints the built-in Typst template, the starting point of a
/// `--template` of one's own (`jixiao template-source > 我的模板.typ`), so that nobody needs a
/// source checkout to change how forms look.
pub fn template_source() -> u8 {
    use std::io::Write;
    // A closed pipe (`jixiao template-source | head`) is not worth a panic.
    let _ = std::io::stdout()
        .lock()
        .write_all(crate::pdf::TEMPLATE.as_bytes());
    exit::OK
}

/// `jixiao sample`: writes `count` generated declarations into `out`.
pub fn sample(count: usize, out: &std::path::Path, seed: u64) -> u8 {
    let lang = messages::resolve(None).unwrap_or_default();
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!(
            "{}",
            messages::error(
                lang,
                Msg::FolderNotCreated.text(lang, &[("path", &out.display()), ("error", &e)])
            )
        );
        return exit::USAGE;
    }
    for index in 0..count {
        let (name, text) = crate::sample::generate(seed, index);
        let path = out.join(name);
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!(
                "{}",
                messages::error(
                    lang,
                    Msg::FileNotWritten.text(lang, &[("path", &path.display()), ("error", &e)])
                )
            );
            return exit::USAGE;
        }
    }
    if !crate::terminal::quiet() {
        eprintln!(
            "{}",
            Msg::SampleWritten.text(lang, &[("count", &count), ("path", &out.display())])
        );
    }
    exit::OK
}

/// `jixiao layouts`: the built-in layouts, one line each (id, form, description).
pub fn layouts_list() -> u8 {
    use std::io::Write;
    let mut out = String::new();
    for (id, kind, _) in crate::layouts::BUILTINS {
        let description = crate::layouts::builtin(id, *kind)
            .map(|l| l.def.description.clone())
            .unwrap_or_default();
        let default = if *id == crate::layouts::default_for(*kind) {
            " (default)"
        } else {
            ""
        };
        out.push_str(&format!(
            "{id:<16} {:<19} {description}{default}\n",
            kind.key()
        ));
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    exit::OK
}

/// `jixiao layouts show ID|FILE [--form KIND]`: prints the definition. A built-in id prints
/// each of its forms' definitions unless `form` picks one; a file is checked first (its
/// problems are printed, exit 1).
pub fn layouts_show(name: &str, form: Option<crate::declaration::FormKind>) -> u8 {
    use std::io::Write;
    if crate::layouts::is_path(name) {
        let path = std::path::Path::new(name);
        let text = match crate::inputs::read(path) {
            Ok(s) => s.text,
            Err(e) => {
                eprintln!("error: {e}");
                return exit::USAGE;
            }
        };
        if let Err(e) = crate::layouts::load(&text, name, form) {
            eprintln!("{e}");
            return exit::FAILED;
        }
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        return exit::OK;
    }
    let texts: Vec<&str> = crate::layouts::BUILTINS
        .iter()
        .filter(|(id, kind, _)| *id == name && form.is_none_or(|f| f == *kind))
        .map(|(_, _, text)| *text)
        .collect();
    if texts.is_empty() {
        let ids = crate::layouts::builtin_ids();
        eprintln!(
            "error: no built-in layout `{name}`; the built-in layouts are: {}",
            ids.join(", ")
        );
        return exit::USAGE;
    }
    // Several forms: YAML documents one after the other, each readable on its own.
    let _ = std::io::stdout()
        .lock()
        .write_all(texts.join("---\n").as_bytes());
    exit::OK
}
