//! `jixiao watch FILE|DIR -o OUT`: the PDF follows the text. Every declaration is checked and
//! rendered once, then again each time it is saved, with its diagnostics printed each time.
//!
//! A version with errors writes nothing, so the last good PDF and XLSX stay in place (a viewer
//! that reloads on change keeps showing them) until a fix is saved. Fonts and the template are
//! loaded once for the whole session ([`crate::render::context`]), which is what makes a
//! re-render take tens of milliseconds rather than the half second of a cold start.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_mini::notify::RecursiveMode;

use crate::diagnostic::Lang;
use crate::exit;
use crate::messages::{self, Msg};
use crate::render::Context;
use crate::render::RenderOptions;

/// How long the watcher waits for a burst of file events (an editor's save is several) to end.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Runs `jixiao watch` until the process is stopped; returns only on a usage or watcher error.
pub fn run(opts: &RenderOptions) -> u8 {
    let lang = opts.lang;
    let fail = |message: String| {
        eprintln!("{}", messages::error(lang, message));
        exit::USAGE
    };
    let Some(target) = opts.paths.first() else {
        return exit::USAGE;
    };
    let meta = match std::fs::metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return fail(Msg::InputMissing.text(lang, &[("path", &target.display())]));
        }
        Err(e) => {
            return fail(
                Msg::InputUnreadable.text(lang, &[("path", &target.display()), ("error", &e)]),
            );
        }
    };
    let folder = meta.is_dir();
    if !folder && !is_declaration(target) {
        return fail(Msg::WatchNotDeclaration.text(lang, &[("path", &target.display())]));
    }
    let ctx = match crate::render::context(opts) {
        Ok(ctx) => ctx,
        Err(e) => return fail(e),
    };
    if let Err(e) = std::fs::create_dir_all(&ctx.out_dir) {
        return fail(
            Msg::FolderNotCreated.text(lang, &[("path", &ctx.out_dir.display()), ("error", &e)]),
        );
    }
    // What each file was when last rendered: reading a file is itself a file event, so an
    // event on a file that has not changed since must not render it again (or it loops).
    let mut seen: HashMap<PathBuf, Option<Stamp>> = HashMap::new();
    let expanded = crate::inputs::expand(std::slice::from_ref(target));
    if let Some(e) = expanded.problems.first() {
        return fail(messages::input_error(e, lang));
    }
    expanded.files.iter().for_each(|f| {
        seen.insert(f.clone(), stamp(f));
        render(f, &ctx);
    });

    // A file is watched through its folder: editors save by writing a new file and renaming it
    // over the old one, and a watch on the old file would end with it.
    let (watched, mode) = if folder {
        (target.clone(), RecursiveMode::Recursive)
    } else {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        (parent.to_path_buf(), RecursiveMode::NonRecursive)
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = match notify_debouncer_mini::new_debouncer(DEBOUNCE, tx) {
        Ok(d) => d,
        Err(e) => {
            return fail(
                Msg::WatchFailed.text(lang, &[("path", &target.display()), ("error", &e)]),
            );
        }
    };
    if let Err(e) = debouncer.watcher().watch(&watched, mode) {
        return fail(Msg::WatchFailed.text(lang, &[("path", &target.display()), ("error", &e)]));
    }
    if !crate::terminal::quiet() {
        let args: [(&str, &dyn std::fmt::Display); 2] =
            [("path", &target.display()), ("out", &ctx.out_dir.display())];
        eprintln!("{}", Msg::WatchStarted.text(lang, &args));
    }
    // Event paths are absolute: map them back onto the path the user typed.
    let base = std::fs::canonicalize(&watched).unwrap_or_else(|_| watched.clone());
    let single =
        (!folder).then(|| std::fs::canonicalize(target).unwrap_or_else(|_| target.clone()));
    for events in rx {
        let events = match events {
            Ok(events) => events,
            Err(e) => {
                eprintln!(
                    "{}",
                    messages::error(
                        lang,
                        Msg::WatchFailed.text(lang, &[("path", &target.display()), ("error", &e)])
                    )
                );
                continue;
            }
        };
        let changed: BTreeSet<PathBuf> = events
            .into_iter()
            .filter_map(|event| {
                let relative = event.path.strip_prefix(&base).ok()?;
                let shown = if folder {
                    target.join(relative)
                } else {
                    target.clone()
                };
                let wanted = match &single {
                    Some(file) => base.join(relative) == *file,
                    None => is_declaration(&event.path) && !is_hidden(relative),
                };
                (wanted && event.path.is_file()).then_some(shown)
            })
            .collect();
        for file in changed {
            let now = stamp(&file);
            if seen.get(&file) != Some(&now) {
                seen.insert(file.clone(), now);
                render(&file, &ctx);
            }
        }
    }
    exit::USAGE
}

/// Checks and renders one file, and says what came of it.
fn render(path: &Path, ctx: &Context) {
    use std::io::Write;
    let report = crate::render::render_file(path, ctx);
    let lang: Lang = ctx.lang;
    if !report.diagnostics.is_empty() {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(report.diagnostics.as_bytes());
        let _ = out.flush();
    }
    for m in &report.messages {
        eprintln!("{m}");
    }
    if report.status == exit::OK {
        if !crate::terminal::quiet() {
            let names: Vec<String> = report
                .written
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            let ms = report.elapsed.as_millis();
            let files = names.join(&Msg::RenderFileSeparator.plain(lang));
            let args: [(&str, &dyn std::fmt::Display); 3] =
                [("path", &path.display()), ("files", &files), ("ms", &ms)];
            eprintln!("{}", Msg::WatchRendered.text(lang, &args));
        }
    } else if report.written.is_empty() {
        eprintln!(
            "{}",
            messages::note(
                lang,
                Msg::WatchKept.text(lang, &[("path", &path.display())])
            )
        );
    }
}

/// A file's modification time and length: what tells a save from a mere read, without reading.
type Stamp = (std::time::SystemTime, u64);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn is_declaration(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// An editor's lock or backup file (`.#x.yaml`, `.x.yaml.swp`) or anything in a hidden folder.
fn is_hidden(relative: &Path) -> bool {
    relative
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}
