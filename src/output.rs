//! Every path a run writes, decided in one place before anything is written; and the writing
//! itself (atomic, with temporary files removed when the run is interrupted).
//!
//! - [`form_output`] names a form's PDF and XLSX after its input, losslessly ([`stem`]): a file
//!   name that is not UTF-8 (a zip from a Chinese Windows unpacked on Linux gives GBK bytes) is
//!   decoded as GB18030 when it decodes cleanly, else its stray bytes are written as `%XX`, so
//!   two inputs never collapse onto one name through `�`.
//! - [`plan`] checks the whole run first: two inputs whose outputs would share a path, an output
//!   that is an input, a single output (`--workbook`, and `--merge`'s PDF through
//!   [`Single::MergedPdf`]) that would replace an output of the run or an input, or an existing
//!   file that is not a previous jixiao output of the same kind (unless `--force`). Each is an
//!   error naming both paths; nothing has been written when it is found.
//! - [`write_atomically`] writes through a hidden temporary file renamed over the target; the
//!   temporary files alive at any moment are registered, and [`remove_temp_files_on_signal`]
//!   deletes them when SIGINT or SIGTERM ends the run.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::diagnostic::Lang;
use crate::inputs::shown;

/// The name a form's outputs take from its input: the file stem, as text, without loss.
pub fn stem(input: &Path) -> String {
    let stem = input.file_stem().unwrap_or_default();
    lossless(stem)
}

/// An OS file name as text: itself when UTF-8, decoded as GB18030 (GBK) when it decodes
/// cleanly, else its valid parts kept and every stray byte written `%XX`.
pub fn lossless(name: &OsStr) -> String {
    let bytes = name.as_encoded_bytes();
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    if let Some(text) =
        encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
    {
        return text.into_owned();
    }
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The path of one per-form output: `<out_dir>/<stem>.<extension>`.
pub fn form_output(out_dir: &Path, input: &Path, extension: &str) -> PathBuf {
    out_dir.join(format!("{}.{extension}", stem(input)))
}

/// An output made once per run, from all the forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Single {
    /// `--workbook FILE.xlsx`: the bureau's workbook.
    Workbook,
    /// `--merge FILE.pdf`: every form in one PDF (made by the batch's merge step).
    MergedPdf,
}

/// The title jixiao writes into its workbook's properties (`workbook.rs`); how a previous
/// workbook is recognised. A test renders a workbook and checks that it is.
const WORKBOOK_TITLE: &str = "绩效目标申报表汇总";

impl Single {
    fn flag(self) -> &'static str {
        match self {
            Single::Workbook => "--workbook",
            Single::MergedPdf => "--merge",
        }
    }

    /// Whether the file at `path` is a jixiao output of this kind, which a new run may replace.
    pub fn is_previous_output(self, path: &Path) -> bool {
        match self {
            Single::Workbook => workbook_title(path).is_some_and(|t| t == WORKBOOK_TITLE),
            // jixiao's PDFs carry `jixiao <version>` as their creator (`pdf::PdfOptions`).
            Single::MergedPdf => std::fs::read(path)
                .is_ok_and(|b| b.starts_with(b"%PDF-") && b.windows(7).any(|w| w == b"jixiao ")),
        }
    }
}

/// The `<dc:title>` of an XLSX file's properties, if it is a readable XLSX.
fn workbook_title(path: &Path) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
    let mut core = zip.by_name("docProps/core.xml").ok()?;
    let mut xml = String::new();
    // The part is a few hundred bytes; bound the read all the same.
    std::io::Read::read_to_string(&mut std::io::Read::take(&mut core, 1 << 20), &mut xml).ok()?;
    let start = xml.find("<dc:title>")? + "<dc:title>".len();
    let end = xml[start..].find("</dc:title>")? + start;
    Some(xml[start..end].to_string())
}

/// What the run may write, found before anything is written.
#[derive(Debug, Default)]
pub struct Plan {
    /// For each input (in order): why it may not be rendered (its outputs clash), if so.
    pub blocked: Vec<Option<String>>,
    /// Problems with the single outputs: the run writes nothing (exit status 2).
    pub fatal: Vec<String>,
}

/// Where a path points, for comparing two spellings of it (`out/../out/x.pdf`, a link).
fn identity(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    if let (Some(parent), Some(name)) = (path.parent(), path.file_name()) {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(p) = std::fs::canonicalize(parent) {
            return p.join(name);
        }
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Checks every output of a run against every other and against the inputs.
///
/// `extensions`: the per-form outputs (`pdf`, `xlsx`); `singles`: the run's single outputs.
/// An input whose outputs would replace another input's, or an input, is blocked (the first
/// input keeps the name); a single output that would replace an output of the run, an input
/// or another single output, or an existing file that is not its kind's previous output
/// (unless `force`), is fatal.
pub fn plan(
    inputs: &[PathBuf],
    out_dir: &Path,
    extensions: &[&str],
    singles: &[(Single, &Path)],
    force: bool,
    lang: Lang,
) -> Plan {
    let input_ids: BTreeMap<PathBuf, &Path> =
        inputs.iter().map(|p| (identity(p), p.as_path())).collect();
    let mut owners: BTreeMap<PathBuf, (&Path, PathBuf)> = BTreeMap::new();
    let mut plan = Plan {
        blocked: vec![None; inputs.len()],
        fatal: Vec::new(),
    };
    for (i, input) in inputs.iter().enumerate() {
        let outputs: Vec<PathBuf> = extensions
            .iter()
            .map(|e| form_output(out_dir, input, e))
            .collect();
        let mut problem = None;
        for out in &outputs {
            let id = identity(out);
            if let Some(other) = input_ids.get(&id) {
                problem = Some(match lang {
                    Lang::Zh => format!(
                        "{}：其输出 {} 就是输入文件 {}，不能覆盖；请换一个输出文件夹",
                        shown(input),
                        shown(out),
                        shown(other)
                    ),
                    Lang::En => format!(
                        "{}: its output {} is the input {}, which must not be overwritten; choose another output folder",
                        shown(input),
                        shown(out),
                        shown(other)
                    ),
                });
            } else if let Some((first, _)) = owners.get(&id) {
                problem = Some(match lang {
                    Lang::Zh => format!(
                        "{} 与 {} 的输出都会是 {}：后者会覆盖前者，故未生成；请给其中一个改名",
                        shown(input),
                        shown(first),
                        shown(out)
                    ),
                    Lang::En => format!(
                        "{} and {} would both write {}; the second is not rendered so that it does not overwrite the first: rename one of them",
                        shown(first),
                        shown(input),
                        shown(out)
                    ),
                });
            }
            if problem.is_some() {
                break;
            }
        }
        match problem {
            Some(p) => plan.blocked[i] = Some(p),
            None => {
                for out in outputs {
                    owners.insert(identity(&out), (input.as_path(), out));
                }
            }
        }
    }
    let mut taken: Vec<(PathBuf, Single, &Path)> = Vec::new();
    for &(kind, target) in singles {
        let id = identity(target);
        let clash = if let Some(input) = input_ids.get(&id) {
            Some(match lang {
                Lang::Zh => format!(
                    "{} {}：这是输入文件 {}，不能覆盖；请换一个文件名",
                    kind.flag(),
                    shown(target),
                    shown(input)
                ),
                Lang::En => format!(
                    "{} {}: this is the input {}, which must not be overwritten; choose another name",
                    kind.flag(),
                    shown(target),
                    shown(input)
                ),
            })
        } else if let Some((input, out)) = owners.get(&id) {
            let ext = out
                .extension()
                .map(|e| e.to_string_lossy().to_uppercase())
                .unwrap_or_default();
            Some(match lang {
                Lang::Zh => format!(
                    "{} {}：会覆盖本次为 {} 生成的 {ext}（{}）；请换一个文件名或文件夹",
                    kind.flag(),
                    shown(target),
                    shown(input),
                    shown(out)
                ),
                Lang::En => format!(
                    "{} {}: would overwrite the {ext} of {} ({}), written by this run; choose another name or folder",
                    kind.flag(),
                    shown(target),
                    shown(input),
                    shown(out)
                ),
            })
        } else if let Some((_, other, path)) = taken.iter().find(|(t, _, _)| *t == id) {
            Some(match lang {
                Lang::Zh => format!(
                    "{} 与 {} 是同一个文件 {}；请换一个文件名",
                    kind.flag(),
                    other.flag(),
                    shown(path)
                ),
                Lang::En => format!(
                    "{} and {} name the same file {}; choose another name",
                    kind.flag(),
                    other.flag(),
                    shown(path)
                ),
            })
        } else if !force && target.is_file() && !kind.is_previous_output(target) {
            Some(match lang {
                Lang::Zh => format!(
                    "{} {}：文件已存在，且不是 jixiao 先前生成的同类文件；确需替换请加 --force，或换一个文件名",
                    kind.flag(),
                    shown(target)
                ),
                Lang::En => format!(
                    "{} {}: the file exists and is not a previous jixiao output of this kind; add --force to replace it, or choose another name",
                    kind.flag(),
                    shown(target)
                ),
            })
        } else {
            None
        };
        match clash {
            Some(c) => plan.fatal.push(c),
            None => taken.push((id, kind, target)),
        }
    }
    plan
}

/// The temporary files being written, and whether the run is being stopped by a signal.
struct Temps {
    live: BTreeSet<PathBuf>,
    stopping: bool,
}

static TEMPS: Mutex<Temps> = Mutex::new(Temps {
    live: BTreeSet::new(),
    stopping: false,
});

fn temps() -> MutexGuard<'static, Temps> {
    TEMPS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Writes `bytes` to `target` atomically (see [`write_atomically_with`]).
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(target, |file| file.write_all(bytes))
}

/// Writes a file so that no truncated file ever sits under its name: `write` fills a hidden
/// temporary file in the same folder (same file system, so the rename is atomic), which is
/// flushed and renamed over `target`. The temporary file is removed when anything fails, and
/// by the signal handler when the run is interrupted.
pub fn write_atomically_with<Err: From<std::io::Error>>(
    target: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), Err>,
) -> Result<(), Err> {
    let (temp, mut file) = create_temp(target)?;
    let result = write(&mut file).and_then(|()| {
        file.flush()?;
        file.sync_all()?;
        drop(file);
        Ok(std::fs::rename(&temp, target)?)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    forget_temp(&temp);
    result
}

/// Creates the hidden temporary file that is to be renamed over `target` (same folder, so the
/// rename is atomic), registered so that [`remove_temp_files_on_signal`] deletes it. The caller
/// renames or removes it, then calls [`forget_temp`]. For a file written over a whole run (the
/// merged PDF) as much as for one written at once ([`write_atomically_with`]).
pub fn create_temp(target: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = lossless(target.file_name().unwrap_or_default());
    // Unique per write, not only per target: two writes of one path never share a temporary
    // file (when they did, one form's bytes could be renamed under the other's name).
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
    // Created under the lock, so the handler either sees it registered or runs first and
    // refuses it: no temporary file is created after the cleanup.
    let mut t = temps();
    if t.stopping {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "interrupted",
        ));
    }
    let file = std::fs::File::create(&temp)?;
    t.live.insert(temp.clone());
    Ok((temp, file))
}

/// Stops tracking a temporary file of [`create_temp`] (renamed into place, or removed).
pub fn forget_temp(temp: &Path) {
    temps().live.remove(temp);
}

/// Removes every temporary file being written, and refuses new ones.
fn remove_temp_files() {
    let mut t = temps();
    t.stopping = true;
    for path in std::mem::take(&mut t.live) {
        let _ = std::fs::remove_file(path);
    }
}

/// On SIGINT or SIGTERM, deletes the temporary files being written, then lets the signal end
/// the process as it would have (so the exit status still says which signal). Once per process.
pub fn remove_temp_files_on_signal() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use signal_hook::consts::{SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("signals".into())
                .spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        remove_temp_files();
                        let _ = signal_hook::low_level::emulate_default_handler(signal);
                        std::process::exit(128 + signal);
                    }
                });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn os(bytes: &[u8]) -> PathBuf {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(OsStr::from_bytes(bytes))
    }

    #[cfg(unix)]
    #[test]
    fn gbk_names_decode_and_stray_bytes_are_kept() {
        // 刻章 in GBK: BF CC D5 C2.
        assert_eq!(stem(&os(b"dir/\xbf\xcc\xd5\xc2.yaml")), "刻章");
        // Not GBK either: the valid part kept, the bytes escaped.
        assert_eq!(stem(&os(b"a\xff\xfeb.yaml")), "a%FF%FEb");
        let names: std::collections::HashSet<String> =
            [&b"\xbf\xcc.yaml"[..], b"\xbf\xcd.yaml", b"\xbf\xce.yaml"]
                .iter()
                .map(|b| stem(&os(b)))
                .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }

    #[test]
    fn same_stems_clash_and_the_first_keeps_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = vec![
            dir.path().join("a/x.yaml"),
            dir.path().join("b/x.yml"),
            dir.path().join("c/y.yaml"),
        ];
        let out = dir.path().join("out");
        let plan = plan(&inputs, &out, &["pdf", "xlsx"], &[], false, Lang::En);
        assert!(plan.blocked[0].is_none() && plan.blocked[2].is_none());
        let msg = plan.blocked[1].as_deref().unwrap();
        assert!(
            msg.contains("a/x.yaml") && msg.contains("b/x.yml") && msg.contains("x.pdf"),
            "{msg}"
        );
    }

    #[test]
    fn an_output_onto_an_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("x.yaml");
        std::fs::write(&input, "form: project\n").unwrap();
        // `-o` the input's folder with an input named like an output: x.yaml → x.yaml? Not with
        // these extensions; but a workbook named as the input is.
        let plan = plan(
            std::slice::from_ref(&input),
            dir.path(),
            &["pdf"],
            &[(Single::Workbook, &input)],
            false,
            Lang::En,
        );
        assert_eq!(plan.fatal.len(), 1);
        assert!(plan.fatal[0].contains("is the input"), "{}", plan.fatal[0]);
    }

    #[test]
    fn a_single_output_refuses_a_file_that_is_not_its_kind_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("汇总.xlsx");
        std::fs::write(&target, b"my own notes").unwrap();
        let p = plan(
            &[],
            dir.path(),
            &[],
            &[(Single::Workbook, &target)],
            false,
            Lang::En,
        );
        assert!(p.fatal[0].contains("--force"), "{:?}", p.fatal);
        assert!(
            plan(
                &[],
                dir.path(),
                &[],
                &[(Single::Workbook, &target)],
                true,
                Lang::En
            )
            .fatal
            .is_empty()
        );
        // A workbook's output path taken by a form's XLSX.
        let input = dir.path().join("汇总.yaml");
        let p = plan(
            std::slice::from_ref(&input),
            dir.path(),
            &["xlsx"],
            &[(Single::Workbook, &target)],
            true,
            Lang::En,
        );
        assert!(p.fatal[0].contains("would overwrite"), "{:?}", p.fatal);
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x.xlsx");
        std::fs::write(&target, b"old").unwrap();
        write_atomically(&target, b"new bytes").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new bytes");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("x.xlsx")]);
        // Into a folder that does not exist: an error, and nothing left behind.
        assert!(write_atomically(&dir.path().join("missing/x.xlsx"), b"x").is_err());
        assert!(temps().live.is_empty());
    }
}
