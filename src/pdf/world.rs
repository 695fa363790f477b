//! The Typst world of one document: a sandbox holding exactly the template, the Grid as JSON
//! and the fonts of the run.
//!
//! `World::file` is Typst's only door to files, packages, images and imports, so answering
//! from a two-entry whitelist makes the sandbox complete: a template (or a declaration text,
//! which only ever arrives as JSON data) cannot read the disk, the network or the clock.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, Weak};
use std::time::{Duration, Instant};

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World, WorldExt};

use crate::diagnostic::Lang;

use crate::fonts::FontSet;

/// Where the template lives in the virtual project (named in Typst's error messages).
pub const TEMPLATE_PATH: &str = "/form.typ";
/// Where the Grid JSON lives; the template reads it with `json("/grid.json")`.
pub const GRID_PATH: &str = "/grid.json";

fn project_file(path: &str) -> FileId {
    // Both paths are constant and valid, so this cannot fail.
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("valid virtual path"),
    )
    .intern()
}

/// The file id of the template.
pub fn template_id() -> FileId {
    static ID: LazyLock<FileId> = LazyLock::new(|| project_file(TEMPLATE_PATH));
    *ID
}

/// The file id of the Grid JSON.
pub fn grid_id() -> FileId {
    static ID: LazyLock<FileId> = LazyLock::new(|| project_file(GRID_PATH));
    *ID
}

/// The parts shared by every document of a run: the standard library, the parsed template
/// and the fonts. Built once by the engine.
pub struct Shared {
    /// Typst's standard library (no `sys.inputs`).
    pub library: LazyHash<Library>,
    /// The template, parsed once: the main source of every document.
    pub template: Source,
    /// The fonts of the run.
    pub fonts: Arc<FontSet>,
    /// Font families the template asked for that no font of the run has.
    pub families: MissingFamilies,
}

/// One document's world: the shared parts plus this document's Grid JSON and date.
pub struct FormWorld<'a> {
    shared: &'a Shared,
    grid: Bytes,
    today: Datetime,
}

impl<'a> FormWorld<'a> {
    /// A world whose `/grid.json` holds `grid_json` and whose `today()` is `today`.
    pub fn new(shared: &'a Shared, grid_json: Vec<u8>, today: Datetime) -> Self {
        FormWorld {
            shared,
            grid: Bytes::new(grid_json),
            today,
        }
    }
}

impl World for FormWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.shared.fonts.book()
    }

    fn main(&self) -> FileId {
        template_id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == template_id() {
            Ok(self.shared.template.clone())
        } else if id == grid_id() {
            // Data, never code: importing or including the JSON as Typst is refused.
            Err(FileError::NotSource)
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == grid_id() {
            Ok(self.grid.clone())
        } else if id == template_id() {
            Ok(Bytes::from_string(self.shared.template.text().to_owned()))
        } else if matches!(id.get().root(), VirtualRoot::Package(_)) {
            // No package is reachable: nothing is downloaded and nothing is read from a cache.
            Err(FileError::AccessDenied)
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // The document's own date, never the clock: the same input gives the same bytes.
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_with_slash().into())
}

/// The largest template `--template` reads (the built-in one is under 10 KB).
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// Reads a `--template` file: at most [`MAX_TEMPLATE_BYTES`], UTF-8. Err: a message naming the
/// file (zh and en).
pub fn read_template(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let shown = path.display();
    let file = std::fs::File::open(path)
        .map_err(|e| format!("{shown}: 无法读取模板 (cannot read the template): {e}"))?;
    // The read itself is bounded: a pipe or a device reports no size.
    let mut bytes = Vec::new();
    file.take(MAX_TEMPLATE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{shown}: 无法读取模板 (cannot read the template): {e}"))?;
    if bytes.len() as u64 > MAX_TEMPLATE_BYTES {
        return Err(format!(
            "{shown}: 模板超过 {MAX_TEMPLATE_BYTES} 字节的上限 (the template is larger than the {MAX_TEMPLATE_BYTES}-byte limit)"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{shown}: 模板不是 UTF-8 文本（第 {} 字节） (the template is not UTF-8 text: invalid byte at offset {})",
            e.utf8_error().valid_up_to(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// A family a template asked for (`text(font: …)`) that neither the bundled fonts nor
/// `--font-dir` provide: Typst then quietly draws with its fallback, so the PDF looks like the
/// default one. Reported once per family and run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingFamily {
    /// The family as the template spells it.
    pub family: String,
    /// Where the template asks for it (`form.typ:18:13`).
    pub place: String,
}

impl MissingFamily {
    /// The warning in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let (place, family) = (&self.place, &self.family);
        match lang {
            Lang::Zh => format!(
                "{place}: 模板要求的字体 “{family}” 在内置字体和 --font-dir 里都没有，已改用默认字体；\
                 把含有它的字体文件所在文件夹用 --font-dir 加上"
            ),
            Lang::En => format!(
                "{place}: the template asks for the font family \"{family}\", which neither the bundled fonts \
                 nor --font-dir provide; the default font is used instead. Add the folder holding it with --font-dir"
            ),
        }
    }
}

/// The [`MissingFamily`] warnings of a run: each family once, kept until the caller takes them.
#[derive(Debug, Default)]
pub struct MissingFamilies {
    seen: Mutex<BTreeSet<String>>,
    pending: Mutex<Vec<MissingFamily>>,
}

impl MissingFamilies {
    /// Notes the "unknown font family" warnings among `warnings` of a compile in `world`.
    pub fn note(&self, world: &FormWorld<'_>, warnings: &[SourceDiagnostic]) {
        for w in warnings {
            let Some(lower) = w.message.strip_prefix("unknown font family: ") else {
                continue;
            };
            let Ok(mut seen) = self.seen.lock() else {
                return;
            };
            if !seen.insert(lower.to_string()) {
                continue;
            }
            let source = w.span.id().and_then(|id| World::source(world, id).ok());
            // Where the font list is used (`text(font: song)`), as line:column in the template.
            let place = source
                .as_ref()
                .and_then(|source| {
                    let range = world.range(w.span)?;
                    let (line, col) = source.lines().byte_to_line_column(range.start)?;
                    Some(format!(
                        "{}:{}:{}",
                        source.id().vpath().get_without_slash(),
                        line + 1,
                        col + 1
                    ))
                })
                .unwrap_or_else(|| TEMPLATE_PATH.trim_start_matches('/').to_string());
            // Typst names the family in lower case; the template's own spelling reads better.
            let family = source
                .as_ref()
                .and_then(|source| {
                    let text = source.text();
                    let at = text.to_lowercase().find(&format!("\"{lower}\""))?;
                    text.get(at + 1..at + 1 + lower.len()).map(str::to_string)
                })
                .unwrap_or_else(|| lower.to_string());
            if let Ok(mut pending) = self.pending.lock() {
                pending.push(MissingFamily { family, place });
            }
        }
    }

    /// The warnings noted since the last call.
    pub fn take(&self) -> Vec<MissingFamily> {
        self.pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }
}

/// How long and how large one compile of a `--template` may get. Typst has no limits of its
/// own (a loop over `range(100000)` inside another runs for hours, `range(1e9)` allocates tens
/// of gigabytes) and no way to cancel a compile, so the [`Watchdog`] ends the run instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateLimits {
    /// Seconds one document's compile may take.
    pub seconds: u64,
    /// Resident memory of the whole process, in MiB, while a compile runs (Linux only).
    pub megabytes: u64,
}

impl TemplateLimits {
    /// 60 s and 4 GiB (a real form compiles in well under a second and 300 MB); the variables
    /// `JIXIAO_TEMPLATE_SECONDS` and `JIXIAO_TEMPLATE_MEGABYTES` change them.
    pub fn from_env() -> TemplateLimits {
        let var = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse().ok())
                .filter(|&v| v > 0)
                .unwrap_or(default)
        };
        TemplateLimits {
            seconds: var("JIXIAO_TEMPLATE_SECONDS", 60),
            megabytes: var("JIXIAO_TEMPLATE_MEGABYTES", 4096),
        }
    }
}

/// Watches the compiles of a custom template: when one runs past [`TemplateLimits::seconds`], or
/// the process grows past [`TemplateLimits::megabytes`] while one runs, it prints why (naming the
/// template and the form) and exits the process with status 1. A Typst compile cannot be
/// stopped from outside, so ending the run is the only bound there is; outputs already written
/// stay complete (they are renamed into place whole).
pub struct Watchdog {
    inner: Arc<WatchInner>,
}

struct WatchInner {
    template: PathBuf,
    limits: TemplateLimits,
    next: AtomicU64,
    running: Mutex<HashMap<u64, (Instant, String)>>,
}

/// One compile being watched; dropping it ends the watch.
pub struct Watched<'a> {
    dog: &'a Watchdog,
    id: u64,
}

impl Drop for Watched<'_> {
    fn drop(&mut self) {
        if let Ok(mut running) = self.dog.inner.running.lock() {
            running.remove(&self.id);
        }
    }
}

impl Watchdog {
    /// Starts the watching thread (it ends when the watchdog is dropped).
    pub fn start(template: &Path, limits: TemplateLimits) -> Watchdog {
        let inner = Arc::new(WatchInner {
            template: template.to_path_buf(),
            limits,
            next: AtomicU64::new(0),
            running: Mutex::new(HashMap::new()),
        });
        let weak: Weak<WatchInner> = Arc::downgrade(&inner);
        let _ = std::thread::Builder::new()
            .name("template-watchdog".into())
            .spawn(move || {
                while let Some(inner) = weak.upgrade() {
                    inner.check();
                    drop(inner);
                    std::thread::sleep(Duration::from_millis(50));
                }
            });
        Watchdog { inner }
    }

    /// Watches the compile of the form titled `form` until the guard is dropped.
    pub fn watch(&self, form: &str) -> Watched<'_> {
        let id = self.inner.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut running) = self.inner.running.lock() {
            running.insert(id, (Instant::now(), form.to_string()));
        }
        Watched { dog: self, id }
    }
}

impl WatchInner {
    fn check(&self) {
        let Ok(running) = self.running.lock() else {
            return;
        };
        let Some((started, form)) = running.values().min_by_key(|(started, _)| *started) else {
            return;
        };
        let template = self.template.display();
        let TemplateLimits { seconds, megabytes } = self.limits;
        if started.elapsed() > Duration::from_secs(seconds) {
            eprintln!(
                "error: {template}: 模板处理《{form}》超过 {seconds} 秒，已停止本次运行 \
                 (the template ran for more than {seconds} s on “{form}”; the run is stopped). \
                 检查模板里的循环 (look for loops in the template); JIXIAO_TEMPLATE_SECONDS 可调整上限"
            );
            std::process::exit(1);
        }
        if let Some(rss) = resident_megabytes()
            && rss > megabytes
        {
            eprintln!(
                "error: {template}: 模板处理《{form}》时内存超过 {megabytes} MiB（{rss} MiB），已停止本次运行 \
                 (the template made the process use {rss} MiB, more than {megabytes} MiB, on “{form}”; the run is stopped); \
                 JIXIAO_TEMPLATE_MEGABYTES 可调整上限"
            );
            std::process::exit(1);
        }
    }
}

/// The process's resident memory in MiB (Linux `/proc`; None elsewhere).
fn resident_megabytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
