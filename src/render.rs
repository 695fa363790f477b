//! `jixiao render`: each declaration file → checked → laid out → its output files.
//!
//! Per file: read, [`check_source`](crate::check::check_source) (parse and validate), print the
//! diagnostics as `check` prints them; a file with errors writes nothing. Otherwise
//! [`layouts::build`](crate::layouts::build) makes the Grid with the file's layout and every
//! requested [`Output`] turns it into bytes, written atomically as `<out>/<stem>.<extension>`.
//! One bad file never stops the others.
//!
//! A batch ([`run`]) renders files in parallel with one [`Context`] (fonts, parsed template,
//! outputs) shared by every thread, reports them in input order as they finish (a progress bar
//! on a terminal, one line per file otherwise), optionally assembles the bureau's workbook
//! ([`crate::workbook`]: 汇总 lists every input, failed ones too) and the merged PDF
//! ([`crate::merge`], `--merge`), and ends with a summary line: rendered, with warnings,
//! failed, time. Cross-form `bundle.*` warnings ([`crate::bundle`]) are found by one scan of
//! the batch before rendering, and printed with the department file's diagnostics.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::check::{Checked, check_path};
use crate::diagnostic::Lang;
use crate::exit;
use crate::inputs::shown;
use crate::layout::Grid;
use crate::messages::{self, Msg};
use crate::output::Single;
use crate::validate::GlyphCoverage;
use crate::workbook::{Builder, Entry, SaveError, Status};

/// Which files `jixiao render` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Outputs {
    #[default]
    Both,
    Pdf,
    Xlsx,
}

impl Outputs {
    pub fn pdf(self) -> bool {
        matches!(self, Outputs::Both | Outputs::Pdf)
    }
    pub fn xlsx(self) -> bool {
        matches!(self, Outputs::Both | Outputs::Xlsx)
    }
}

/// Options of `jixiao render`.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub paths: Vec<PathBuf>,
    pub out_dir: PathBuf,
    pub outputs: Outputs,
    pub lang: Lang,
    /// Replaces the embedded Typst template for this run.
    pub template: Option<PathBuf>,
    /// Extra fonts for this run.
    pub font_dirs: Vec<PathBuf>,
    /// Export PDF/A-2b.
    pub pdf_a: bool,
    /// Parallel jobs (0: all cores).
    pub jobs: usize,
    /// One consolidated workbook for the bureau.
    pub workbook: Option<PathBuf>,
    /// Replace an existing single output (`--workbook`) even when it is not a previous jixiao
    /// output of its kind.
    pub force: bool,
    /// `--layout`: the layout of every file of the run (a built-in id or a definition file).
    pub layout: Option<String>,
    /// Every rendered form in one PDF ([`crate::merge`]).
    pub merge: Option<PathBuf>,
}

/// What one output format makes of a Grid.
pub type Produce = Box<dyn Fn(&Grid) -> Result<Vec<u8>, String> + Send + Sync>;

/// One output made for every declaration: `<stem>.<extension>` made by `produce`.
pub struct Output {
    /// File extension without the dot (`xlsx`, `pdf`).
    pub extension: &'static str,
    pub produce: Produce,
    /// Whether the file is written; false for a PDF made only for `--merge`.
    pub save: bool,
}

/// The XLSX output.
pub fn xlsx_output() -> Output {
    Output {
        extension: "xlsx",
        produce: Box::new(|grid| crate::xlsx::write(grid).map_err(|e| e.to_string())),
        save: true,
    }
}

/// What a run shares across files.
pub struct Context {
    /// The outputs requested, in the order they are written.
    pub outputs: Vec<Output>,
    /// The fonts that decide `text.glyph`.
    pub glyphs: Arc<dyn GlyphCoverage + Send + Sync>,
    pub out_dir: PathBuf,
    pub lang: Lang,
    /// `--layout` for every file, when given.
    pub layout: Option<String>,
    /// Plans every form's pages once, for the PDF and the XLSX alike.
    pub planner: Option<Arc<crate::pdf::Engine>>,
    /// Whether each form's PDF is kept for `--merge`.
    pub merge: bool,
    /// Cross-form (`bundle.*`) diagnostics, by the file they belong to ([`crate::bundle`]).
    pub bundles: crate::bundle::Findings,
}

/// The outputs and fonts of a run, from its options. Err: a usage problem (the line to print).
pub fn context(opts: &RenderOptions) -> Result<Context, String> {
    let lang = opts.lang;
    let fonts = crate::fonts::FontSet::with_dirs(&opts.font_dirs)
        .map_err(|e| messages::error(lang, Msg::FontsUnusable.text(lang, &[("error", &e)])))?;
    fonts.print_warnings(lang);
    let mut outputs = Vec::new();
    // The engine that plans the pages of both outputs: the PDF's own, unless a custom
    // template draws the PDF (then the built-in template plans the XLSX's pages). A PDF made
    // only for --merge is a PDF like the others.
    let mut planner: Option<Arc<crate::pdf::Engine>> = None;
    let makes_pdf = opts.outputs.pdf() || opts.merge.is_some();
    let custom = opts.template.is_some() && makes_pdf;
    if makes_pdf {
        use crate::pdf::world::{TemplateLimits, Watchdog, read_template};
        let template = opts
            .template
            .as_deref()
            .map(read_template)
            .transpose()
            .map_err(|e| messages::error(lang, e))?;
        // A custom template is bounded in time and memory by ending the run (Typst cannot be
        // cancelled); the built-in one is known to be quick.
        let watchdog = opts
            .template
            .as_deref()
            .map(|path| Watchdog::start(path, TemplateLimits::from_env()));
        let engine = Arc::new(crate::pdf::Engine::new(fonts.clone(), template));
        if !custom {
            planner = Some(engine.clone());
        }
        let options = crate::pdf::PdfOptions {
            pdf_a: opts.pdf_a,
            ..crate::pdf::PdfOptions::default()
        };
        // Typst knows the template as `form.typ`; the user knows it by the path they gave.
        let shown = opts.template.as_ref().map(|p| p.display().to_string());
        outputs.push(Output {
            extension: "pdf",
            produce: Box::new(move |grid| {
                let watched = watchdog.as_ref().map(|w| w.watch(&grid.meta.title));
                let pdf = engine.render(grid, &options).map_err(|e| e.to_string());
                drop(watched);
                for mut missing in engine.missing_families() {
                    if let Some(path) = &shown {
                        missing.place = missing.place.replacen(
                            crate::pdf::world::TEMPLATE_PATH.trim_start_matches('/'),
                            path,
                            1,
                        );
                    }
                    eprintln!("warning: {}", missing.message(lang));
                }
                pdf
            }),
            save: opts.outputs.pdf(),
        });
    }
    if opts.outputs.xlsx() {
        outputs.push(xlsx_output());
        if planner.is_none() {
            planner = Some(Arc::new(crate::pdf::Engine::new(fonts.clone(), None)));
        }
    }
    let out_dir = if opts.out_dir.as_os_str().is_empty() {
        PathBuf::from("out")
    } else {
        opts.out_dir.clone()
    };
    Ok(Context {
        outputs,
        glyphs: fonts,
        out_dir,
        lang: opts.lang,
        layout: opts.layout.clone(),
        planner,
        merge: opts.merge.is_some(),
        bundles: crate::bundle::Findings::default(),
    })
}

/// What happened to one file.
#[derive(Debug, Default)]
pub struct FileReport {
    /// For stdout: the diagnostics, as `check` prints them.
    pub diagnostics: String,
    /// For stderr: what went wrong (the files written are in `written`).
    pub messages: Vec<String>,
    /// The files written.
    pub written: Vec<PathBuf>,
    /// The number of warnings in the file (its errors, if any, make `status` non-zero).
    pub warnings: usize,
    /// `exit::OK`, `exit::FAILED` (errors in the file, or an output could not be made) or
    /// `exit::USAGE` (the file or an output could not be read or written).
    pub status: u8,
    /// How long the file took (shown with `-v` and by `watch`).
    pub elapsed: Duration,
}

/// One finished file, kept by the batch only until its turn to be reported (input order).
struct Done {
    index: usize,
    report: FileReport,
    /// With `--workbook`: its 汇总 row, diagnostics, and its sheet when it rendered.
    entry: Option<Entry>,
    /// With `--merge`: its PDF, when it rendered.
    part: Option<crate::merge::Part>,
}

/// Runs `jixiao render`; returns the exit status.
///
/// Files are rendered by `opts.jobs` threads (0: one per core) that take the next file in
/// input order, so finished files arrive almost in order: each is reported (diagnostics on
/// stdout, progress on stderr) as soon as every file before it has been, and then only its
/// counts (and, with `--workbook`, its rows and sheet; with `--merge`, its pages, copied into the
/// merged file at once) are kept. Memory stays flat over any number of
/// files; the Typst cache is trimmed every few documents by [`crate::pdf::Engine::render`].
pub fn run(opts: &RenderOptions) -> u8 {
    let started = Instant::now();
    let lang = opts.lang;
    crate::output::remove_temp_files_on_signal();
    let Some((files, unreadable)) = crate::inputs::expand_or_explain(&opts.paths, lang) else {
        return exit::USAGE;
    };
    let mut ctx = match context(opts) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return exit::USAGE;
        }
    };
    // A PDF made only for --merge is not written, so it cannot clash.
    let extensions: Vec<&str> = ctx
        .outputs
        .iter()
        .filter(|o| o.save)
        .map(|o| o.extension)
        .collect();
    let singles: Vec<(Single, &Path)> = opts
        .workbook
        .iter()
        .map(|w| (Single::Workbook, w.as_path()))
        .chain(opts.merge.iter().map(|m| (Single::MergedPdf, m.as_path())))
        .collect();
    // Every output path is known, and checked against every other and the inputs, before
    // anything is written.
    let plan = crate::output::plan(
        &files,
        &ctx.out_dir,
        &extensions,
        &singles,
        opts.force,
        lang,
    );
    if !plan.fatal.is_empty() {
        for problem in &plan.fatal {
            eprintln!("{}", messages::error(lang, problem));
        }
        return exit::USAGE;
    }
    if let Err(e) = std::fs::create_dir_all(&ctx.out_dir) {
        let args: [(&str, &dyn std::fmt::Display); 2] =
            [("path", &shown(&ctx.out_dir)), ("error", &e)];
        eprintln!(
            "{}",
            messages::error(lang, Msg::FolderNotCreated.text(lang, &args))
        );
        return exit::USAGE;
    }
    let merger = match &opts.merge {
        Some(target) => match crate::merge::Merger::create(target, opts.pdf_a) {
            Ok(m) => Some(m),
            Err(e) => {
                let args: [(&str, &dyn std::fmt::Display); 2] =
                    [("path", &shown(target)), ("error", &e)];
                eprintln!(
                    "{}",
                    messages::error(lang, Msg::FileNotWritten.text(lang, &args))
                );
                return exit::USAGE;
            }
        },
        None => None,
    };
    ctx.bundles = crate::bundle::scan(&files);
    let want_entries = opts.workbook.is_some();
    let work = |index: usize| {
        let path = &files[index];
        match &plan.blocked[index] {
            Some(clash) => {
                let message = messages::error(lang, clash);
                let entry = want_entries.then(|| Entry::not_rendered(path, &message, ctx.lang));
                let report = FileReport {
                    messages: vec![message],
                    status: exit::FAILED,
                    ..FileReport::default()
                };
                Done {
                    index,
                    report,
                    entry,
                    part: None,
                }
            }
            None => {
                let (report, entry, part) = render_guarded(path, &ctx, want_entries);
                Done {
                    index,
                    report,
                    entry,
                    part,
                }
            }
        }
    };

    let mut batch = Batch::new(files.len(), ctx.lang, want_entries, merger);
    let jobs = worker_count(
        opts.jobs,
        files.len(),
        std::thread::available_parallelism().map_or(1, usize::from),
    );
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => {
            let next = AtomicUsize::new(0);
            // Bounded: a slow reporter (a terminal, a pipe) holds the workers back instead of
            // letting finished files pile up.
            let (tx, rx) = mpsc::sync_channel::<Done>(jobs * 2);
            pool.in_place_scope(|scope| {
                for _ in 0..jobs {
                    let tx = tx.clone();
                    let (next, work, count) = (&next, &work, files.len());
                    scope.spawn(move |_| {
                        loop {
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            if index >= count || tx.send(work(index)).is_err() {
                                break;
                            }
                        }
                    });
                }
                drop(tx);
                // Files finish out of order by at most a few places: hold those until their turn.
                let mut waiting: BTreeMap<usize, Done> = BTreeMap::new();
                for done in rx {
                    waiting.insert(done.index, done);
                    while let Some(done) = waiting.remove(&batch.reported) {
                        batch.report(done);
                    }
                }
            });
        }
        // No thread could be started: the same work, one file after another.
        Err(_) => (0..files.len()).for_each(|i| batch.report(work(i))),
    }
    if let Some(target) = &opts.workbook {
        batch.write_workbook(target);
    }
    if let Some(target) = &opts.merge {
        batch.write_merged(target);
    }
    if unreadable > 0 {
        batch.status = exit::USAGE;
    }
    batch.finish(started.elapsed())
}

/// How many workers render `files` files when `-j requested` is asked for (0: one per core):
/// never more than the cores or the files. A worker more than the cores only adds its stack and
/// its share of Typst's caches (`-j 10000` once started 10,000 threads and took 2.3 GB).
fn worker_count(requested: usize, files: usize, cores: usize) -> usize {
    let cores = cores.max(1);
    let wanted = if requested == 0 {
        cores
    } else {
        requested.min(cores)
    };
    wanted.clamp(1, files.max(1))
}

/// [`render_one`], with a panic (a bug, in jixiao or in Typst) turned into a failed file so that
/// the rest of the batch still renders.
fn render_guarded(path: &Path, ctx: &Context, want_entry: bool) -> Rendered {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        render_one(path, ctx, want_entry)
    }))
    .unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let text = Msg::RenderInternal.text(ctx.lang, &[("path", &shown(path)), ("error", &what)]);
        let message = messages::error(ctx.lang, text);
        let entry = want_entry.then(|| Entry::not_rendered(path, &message, ctx.lang));
        let report = FileReport {
            messages: vec![message],
            status: exit::FAILED,
            ..FileReport::default()
        };
        (report, entry, None)
    })
}

/// How the batch shows its progress on stderr.
enum Progress {
    /// A terminal: a bar, with messages printed above it.
    Bar(ProgressBar),
    /// Not a terminal (a log, a pipe, a CI job): one plain line per file.
    Lines,
}

/// What the reporting thread keeps of a batch: counts, the workbook's rows and forms, the merged
/// PDF being written, the exit status.
struct Batch {
    total: usize,
    /// Files reported so far; also the index of the next one to report.
    reported: usize,
    rendered: usize,
    with_warnings: usize,
    failed: usize,
    status: u8,
    lang: Lang,
    progress: Progress,
    book: Option<Builder>,
    merger: Option<crate::merge::Merger>,
}

impl Batch {
    fn new(
        total: usize,
        lang: Lang,
        workbook: bool,
        merger: Option<crate::merge::Merger>,
    ) -> Batch {
        let progress = if std::io::stderr().is_terminal() && !crate::terminal::quiet() {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(&Msg::RenderProgressBar.plain(lang)) {
                bar.set_style(style.progress_chars("=> "));
            }
            Progress::Bar(bar)
        } else {
            Progress::Lines
        };
        Batch {
            total,
            reported: 0,
            rendered: 0,
            with_warnings: 0,
            failed: 0,
            status: exit::OK,
            lang,
            progress,
            book: workbook.then(|| Builder::new(lang)),
            merger,
        }
    }

    /// A line on stderr that does not tear the bar.
    fn say(&self, line: &str) {
        match &self.progress {
            Progress::Bar(bar) => bar.suspend(|| eprintln!("{line}")),
            Progress::Lines => eprintln!("{line}"),
        }
    }

    /// Reports the next file in input order and keeps only what the end of the run needs.
    fn report(&mut self, done: Done) {
        let Done {
            report,
            entry,
            part,
            ..
        } = done;
        self.reported += 1;
        if !report.diagnostics.is_empty() {
            let write = || {
                let mut out = std::io::stdout().lock();
                // A closed pipe is not worth a panic.
                let _ = out.write_all(report.diagnostics.as_bytes());
                let _ = out.flush();
            };
            match &self.progress {
                Progress::Bar(bar) => bar.suspend(write),
                Progress::Lines => write(),
            }
        }
        for m in &report.messages {
            self.say(m);
        }
        let verbose = crate::terminal::verbose();
        if (verbose || matches!(self.progress, Progress::Lines))
            && !crate::terminal::quiet()
            && !report.written.is_empty()
        {
            let names: Vec<String> = report.written.iter().map(|p| shown(p)).collect();
            let files = names.join(&Msg::RenderFileSeparator.plain(self.lang));
            let (n, total, ms) = (self.reported, self.total, report.elapsed.as_millis());
            let args: [(&str, &dyn std::fmt::Display); 4] =
                [("n", &n), ("total", &total), ("files", &files), ("ms", &ms)];
            self.say(
                &if verbose {
                    Msg::RenderWroteTimed
                } else {
                    Msg::RenderWrote
                }
                .text(self.lang, &args),
            );
        }
        let mut status = report.status;
        // Every file has its 汇总 row, failed ones too.
        if let (Some(book), Some(entry)) = (&mut self.book, entry) {
            let file = entry.row.file.clone();
            if let Err(e) = book.push(entry) {
                let text =
                    Msg::WorkbookAddFailed.text(self.lang, &[("path", &file), ("error", &e)]);
                self.say(&messages::error(self.lang, text));
                status = status.max(exit::FAILED);
            }
        }
        if let (Some(merger), Some(part)) = (&mut self.merger, part)
            && status == exit::OK
        {
            let file = part.file.clone();
            if let Err(e) = merger.add(part) {
                let text = Msg::MergeAddFailed.text(self.lang, &[("path", &file), ("error", &e)]);
                self.say(&messages::error(self.lang, text));
                status = exit::FAILED;
            }
        }
        if status == exit::OK {
            self.rendered += 1;
            if report.warnings > 0 {
                self.with_warnings += 1;
            }
        } else {
            self.failed += 1;
        }
        self.status = self.status.max(status);
        if let Progress::Bar(bar) = &self.progress {
            bar.inc(1);
        }
    }

    /// Writes the consolidated workbook (every file in 汇总; a sheet for each form that rendered).
    fn write_workbook(&mut self, target: &Path) {
        let Some(book) = self.book.take() else { return };
        if let Progress::Bar(bar) = &self.progress {
            bar.set_message(Msg::WorkbookWriting.plain(self.lang));
        }
        let sheets = book.forms();
        match book.save(target) {
            Ok(()) => {
                if !crate::terminal::quiet() {
                    self.say(
                        &Msg::WorkbookWritten
                            .text(self.lang, &[("path", &shown(target)), ("sheets", &sheets)]),
                    );
                }
            }
            Err(e) => {
                let text = Msg::WorkbookNotWritten
                    .text(self.lang, &[("path", &shown(target)), ("error", &e)]);
                self.say(&messages::error(self.lang, text));
                self.status = self.status.max(match e {
                    SaveError::Io(_) => exit::USAGE,
                    SaveError::Xlsx(_) => exit::FAILED,
                });
            }
        }
        if self.failed > 0 {
            self.say(&messages::note(
                self.lang,
                Msg::WorkbookLeavesOut.text(self.lang, &[("failed", &self.failed)]),
            ));
        }
    }

    /// Finishes the merged PDF (the forms that rendered, in input order).
    fn write_merged(&mut self, target: &Path) {
        let Some(merger) = self.merger.take() else {
            return;
        };
        if let Progress::Bar(bar) = &self.progress {
            bar.set_message(Msg::MergeWriting.plain(self.lang));
        }
        match merger.finish() {
            Ok(done) => {
                if !crate::terminal::quiet() {
                    let args: [(&str, &dyn std::fmt::Display); 3] = [
                        ("path", &shown(target)),
                        ("forms", &done.forms),
                        ("pages", &done.pages),
                    ];
                    self.say(&Msg::MergeWritten.text(self.lang, &args));
                }
            }
            Err(e) => {
                let args: [(&str, &dyn std::fmt::Display); 2] =
                    [("path", &shown(target)), ("error", &e)];
                self.say(&messages::error(
                    self.lang,
                    Msg::FileNotWritten.text(self.lang, &args),
                ));
                self.status = self.status.max(exit::USAGE);
            }
        }
        if self.failed > 0 {
            self.say(&messages::note(
                self.lang,
                Msg::MergeLeavesOut.text(self.lang, &[("failed", &self.failed)]),
            ));
        }
    }

    /// Clears the bar, prints the summary line and returns the exit status.
    fn finish(self, elapsed: Duration) -> u8 {
        if let Progress::Bar(bar) = &self.progress {
            bar.finish_and_clear();
        }
        let secs = elapsed.as_secs_f64();
        let rate = if secs > 0.0 {
            self.total as f64 / secs
        } else {
            0.0
        };
        let (n, ok, warned, failed) = (self.total, self.rendered, self.with_warnings, self.failed);
        if !crate::terminal::quiet() {
            let (secs, rate) = (format!("{secs:.2}"), format!("{rate:.1}"));
            let args: [(&str, &dyn std::fmt::Display); 6] = [
                ("n", &n),
                ("ok", &ok),
                ("warned", &warned),
                ("failed", &failed),
                ("secs", &secs),
                ("rate", &rate),
            ];
            eprintln!("{}", Msg::RenderSummary.text(self.lang, &args));
        }
        self.status
    }
}

/// Renders one declaration file into `ctx.out_dir`.
pub fn render_file(path: &Path, ctx: &Context) -> FileReport {
    render_one(path, ctx, false).0
}

/// What rendering one file gives the batch: its report, its workbook entry (when asked for)
/// and its PDF for `--merge` (when it rendered).
type Rendered = (FileReport, Option<Entry>, Option<crate::merge::Part>);

/// Renders one declaration file into `ctx.out_dir`; with `want_entry`, also builds its workbook
/// entry (a rendered form's with its sheet).
fn render_one(path: &Path, ctx: &Context, want_entry: bool) -> Rendered {
    let started = Instant::now();
    let (report, entry, part) = render_steps(path, ctx, want_entry);
    (
        FileReport {
            elapsed: started.elapsed(),
            ..report
        },
        entry,
        part,
    )
}

fn render_steps(path: &Path, ctx: &Context, want_entry: bool) -> Rendered {
    let lang = ctx.lang;
    let mut report = FileReport::default();
    // A file that cannot be read is a failed file with its `input.*` diagnostic (exit status 1).
    // A YAML declaration, or a filled workbook read by its layout.
    let checked = match check_path(path, ctx.glyphs.as_ref(), ctx.layout.as_deref()) {
        Ok(mut checked) => {
            checked.add(ctx.bundles.of(path));
            checked
        }
        Err(e) => crate::check::unreadable(&e),
    };
    report.diagnostics = diagnostics_text(&checked, ctx.lang);
    report.warnings = checked.warnings();
    let entry = |grid: Option<&Grid>, status: Status, report: &mut FileReport| -> Option<Entry> {
        if !want_entry {
            return None;
        }
        match Entry::new(&checked, status, grid, lang) {
            Ok(entry) => Some(entry),
            Err(e) => {
                let text =
                    Msg::WorkbookSheetFailed.text(lang, &[("path", &shown(path)), ("error", &e)]);
                let message = messages::error(lang, text);
                report.messages.push(message.clone());
                report.status = report.status.max(exit::FAILED);
                Some(Entry::not_rendered(path, &message, lang))
            }
        }
    };
    let Some(decl) = checked.renderable() else {
        report.messages.push(messages::error(
            lang,
            Msg::RenderHasErrors.text(lang, &[("path", &shown(path))]),
        ));
        report.status = exit::FAILED;
        let entry = entry(None, Status::of(&checked, false), &mut report);
        return (report, entry, None);
    };
    // The layout was checked with the file: it reads and tiles this declaration.
    let mut grid = match crate::layouts::grid_for(decl, path, ctx.layout.as_deref()) {
        Ok(grid) => grid,
        Err(e) => {
            let message = format!("error: {}: {e}", shown(path));
            report.messages.push(message.clone());
            report.status = exit::FAILED;
            let entry = entry(None, Status::Failed, &mut report).map(|e| e.output_failed(&message));
            return (report, entry, None);
        }
    };
    if let Some(planner) = &ctx.planner {
        // Without a plan (the measuring failed) the PDF measures again and reports why, and
        // the XLSX estimates its own pages.
        grid.plan = planner.plan(&grid).ok();
    }
    let mut pdf = None;
    for output in &ctx.outputs {
        let target = crate::output::form_output(&ctx.out_dir, path, output.extension);
        let bytes = match (output.produce)(&grid) {
            Ok(b) => b,
            Err(e) => {
                let args: [(&str, &dyn std::fmt::Display); 3] = [
                    ("path", &shown(path)),
                    ("format", &output.extension),
                    ("error", &e),
                ];
                report.messages.push(messages::error(
                    lang,
                    Msg::RenderCannotMake.text(lang, &args),
                ));
                report.status = report.status.max(exit::FAILED);
                continue;
            }
        };
        if output.save {
            match crate::output::write_atomically(&target, &bytes) {
                Ok(()) => report.written.push(target),
                Err(e) => {
                    let args: [(&str, &dyn std::fmt::Display); 2] =
                        [("path", &shown(&target)), ("error", &e)];
                    report
                        .messages
                        .push(messages::error(lang, Msg::FileNotWritten.text(lang, &args)));
                    report.status = exit::USAGE;
                }
            }
        }
        if ctx.merge && output.extension == "pdf" {
            pdf = Some(bytes);
        }
    }
    let part = match pdf {
        Some(pdf) if report.status == exit::OK => {
            let name = decl.name().as_ref().map_or("", |n| n.value.as_str());
            Some(crate::merge::Part::new(path, name, pdf))
        }
        _ => None,
    };
    let entry = if report.status == exit::OK {
        entry(Some(&grid), Status::Rendered, &mut report)
    } else {
        let why = report.messages.first().cloned().unwrap_or_default();
        entry(None, Status::Failed, &mut report).map(|e| e.output_failed(&why))
    };
    (report, entry, part)
}

/// The file's diagnostics as `check` prints them (nothing when there are none).
fn diagnostics_text(checked: &Checked, lang: Lang) -> String {
    if checked.diagnostics.is_empty() && checked.declaration.is_some() {
        return String::new();
    }
    crate::terminal::diagnostics(checked, lang, crate::terminal::stdout_colored())
}
