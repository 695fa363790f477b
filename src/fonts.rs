//! The fonts a render can use: the bundled Song and Hei faces, compiled into the binary, plus
//! the fonts of `--font-dir` folders for one run.
//!
//! Parsing a 10–15 MB CJK font takes a few milliseconds and its cmap is consulted for every
//! character the validator checks, so a [`FontSet`] is built once and shared (`Arc`) by every
//! document of a run. The bundled faces are parsed once per process ([`FontSet::bundled`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use crate::diagnostic::Lang;
use crate::validate::GlyphCoverage;

/// The body face (宋体 style) family name, as the font file registers it.
pub const SONG: &str = "Noto Serif SC";
/// The heading face (黑体 style) family name, as the font file registers it.
pub const HEI: &str = "Noto Sans SC";

/// The fonts compiled into the binary: (file name, bytes). Only these reach a PDF unless
/// `--font-dir` adds more, so a binary copied to a machine without fonts prints the same.
/// Exactly what the built-in template uses: the body in Song regular, titles and headers in
/// Hei bold, and the tick marks the two lack (a bold Song face would add 15 MB to the binary for nothing it draws; a custom
/// template that wants one can bring it with `--font-dir`).
static BUNDLED: &[(&str, &[u8])] = &[
    (
        "NotoSerifSC_400Regular.ttf",
        include_bytes!("../fonts/NotoSerifSC_400Regular.ttf"),
    ),
    (
        "NotoSansSC_700Bold.ttf",
        include_bytes!("../fonts/NotoSansSC_700Bold.ttf"),
    ),
    // The tick marks forms use that the CJK faces lack (☐ ☑ ☒ ✔ ✗ ✘): a 12 KB subset of DejaVu
    // Sans, reached by Typst's font fallback (fonts/LICENSE-DejaVu.txt).
    (
        "DejaVuSans-marks.ttf",
        include_bytes!("../fonts/DejaVuSans-marks.ttf"),
    ),
];

/// Parsed once per process: every `FontSet` starts from these (a `Font` is a cheap handle).
static BUNDLED_FONTS: LazyLock<Vec<Font>> = LazyLock::new(|| {
    BUNDLED
        .iter()
        .flat_map(|(name, data)| {
            let fonts: Vec<Font> = Font::iter(Bytes::new(*data)).collect();
            // The files are part of the source tree; a broken one is a build mistake.
            assert!(!fonts.is_empty(), "bundled font {name} does not parse");
            fonts
        })
        .collect()
});

/// The most bytes one `--font-dir` file may have. The largest real CJK collections (Source Han
/// Sans/Serif as one OTC, all weights and regions) are about 120 MB; anything past this is not a
/// font anyone meant to hand in, and reading it would only fill memory.
pub const MAX_FONT_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// The most bytes all `--font-dir` files of a run may have together (they are held in memory).
pub const MAX_FONT_BYTES_TOTAL: u64 = 1024 * 1024 * 1024;
/// The most font files one run loads (a folder of system fonts has a few hundred).
pub const MAX_FONT_FILES: usize = 2_000;
/// The most faces loaded from one collection (`.ttc`/`.otc`; real ones have up to a few dozen).
/// Typst would try every index the header claims, which is up to 2³² for a 12-byte file.
pub const MAX_FACES_PER_FILE: u32 = 256;
/// The deepest folder nesting followed under a `--font-dir`.
pub const MAX_FONT_DIR_DEPTH: usize = 32;
/// The most code points the character maps of one face may list, all subtables together. Typst
/// collects every listed code point into one vector before compressing it, so a corrupt range
/// (`0..=0xFFFFFFFF`) would allocate 16 GB; a real face lists each Unicode scalar at most a few
/// times (a format 4 and a format 12 subtable list the BMP twice).
pub const MAX_CMAP_CODE_POINTS: u64 = 4 * 0x11_0000;

/// A problem loading `--font-dir` fonts that stops the run.
#[derive(Debug)]
pub enum FontError {
    /// The folder itself could not be read.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The folder holds no font Typst can load (TTF, OTF, TTC; WOFF is not supported).
    NoFonts { path: PathBuf },
}

impl std::fmt::Display for FontError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FontError::Io { path, error } => {
                write!(f, "{}: cannot read fonts: {error}", path.display())
            }
            FontError::NoFonts { path } => {
                write!(
                    f,
                    "{}: no TTF, OTF or TTC font found in this folder",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for FontError {}

/// Why a file (or one face of it) under a `--font-dir` was skipped. The run goes on without it.
#[derive(Debug)]
pub enum Skip {
    /// Not a regular file (a named pipe, a device, a socket): reading it could block or never end.
    NotRegular,
    /// Larger than [`MAX_FONT_FILE_BYTES`].
    TooLarge {
        bytes: u64,
    },
    /// The run's fonts already reach [`MAX_FONT_FILES`] files or [`MAX_FONT_BYTES_TOTAL`] bytes.
    RunFull,
    /// A folder already walked (a symbolic link back up the tree), or one nested deeper than
    /// [`MAX_FONT_DIR_DEPTH`].
    Loop,
    TooDeep,
    /// Reading failed (permissions, a symbolic-link loop, an I/O error).
    Unreadable(std::io::Error),
    /// A collection whose header claims more faces than the file can hold.
    BadCollection {
        claimed: u32,
    },
    /// A collection with more faces than [`MAX_FACES_PER_FILE`]: only the first ones are loaded.
    ManyFaces {
        claimed: u32,
    },
    /// One face is broken: `face` is its index in the file, `why` what is wrong.
    BadFace {
        face: u32,
        why: String,
    },
}

/// A file or face of a `--font-dir` that the run skipped: printed as a warning naming the file.
#[derive(Debug)]
pub struct FontWarning {
    pub path: PathBuf,
    pub skip: Skip,
}

impl FontWarning {
    /// The warning in `lang`, naming the file.
    pub fn message(&self, lang: Lang) -> String {
        let path = self.path.display();
        let max_mb = MAX_FONT_FILE_BYTES / (1024 * 1024);
        match (&self.skip, lang) {
            (Skip::NotRegular, Lang::Zh) => format!("{path}：不是普通文件（管道、设备等），已跳过"),
            (Skip::NotRegular, Lang::En) => {
                format!("{path}: not a regular file (a pipe, a device…); skipped")
            }
            (Skip::TooLarge { bytes }, Lang::Zh) => {
                format!("{path}：字体文件有 {bytes} 字节，超过上限 {max_mb} MiB，已跳过")
            }
            (Skip::TooLarge { bytes }, Lang::En) => {
                format!(
                    "{path}: the font file has {bytes} bytes, more than the {max_mb} MiB limit; skipped"
                )
            }
            (Skip::RunFull, Lang::Zh) => format!(
                "{path}：本次已加载 {MAX_FONT_FILES} 个字体文件或 {} MiB 字体，其余字体已跳过",
                MAX_FONT_BYTES_TOTAL / (1024 * 1024)
            ),
            (Skip::RunFull, Lang::En) => format!(
                "{path}: this run already loads {MAX_FONT_FILES} font files or {} MiB of fonts; the rest are skipped",
                MAX_FONT_BYTES_TOTAL / (1024 * 1024)
            ),
            (Skip::Loop, Lang::Zh) => {
                format!("{path}：文件夹已经搜索过（符号链接指回上层），已跳过")
            }
            (Skip::Loop, Lang::En) => format!(
                "{path}: folder already searched (a symbolic link back up the tree); skipped"
            ),
            (Skip::TooDeep, Lang::Zh) => {
                format!("{path}：文件夹嵌套超过 {MAX_FONT_DIR_DEPTH} 层，已跳过")
            }
            (Skip::TooDeep, Lang::En) => {
                format!("{path}: folders nested deeper than {MAX_FONT_DIR_DEPTH} levels; skipped")
            }
            (Skip::Unreadable(e), Lang::Zh) => format!("{path}：无法读取（{e}），已跳过"),
            (Skip::Unreadable(e), Lang::En) => format!("{path}: cannot read ({e}); skipped"),
            (Skip::BadCollection { claimed }, Lang::Zh) => {
                format!("{path}：字体集声称有 {claimed} 个字体，文件装不下，已跳过（文件已损坏）")
            }
            (Skip::BadCollection { claimed }, Lang::En) => {
                format!(
                    "{path}: the collection claims {claimed} faces, more than the file can hold (corrupt); skipped"
                )
            }
            (Skip::ManyFaces { claimed }, Lang::Zh) => {
                format!("{path}：字体集有 {claimed} 个字体，只加载前 {MAX_FACES_PER_FILE} 个")
            }
            (Skip::ManyFaces { claimed }, Lang::En) => {
                format!(
                    "{path}: the collection has {claimed} faces; only the first {MAX_FACES_PER_FILE} are loaded"
                )
            }
            (Skip::BadFace { face, why }, Lang::Zh) => {
                format!("{path}：第 {} 个字体已损坏（{why}），已跳过", face + 1)
            }
            (Skip::BadFace { face, why }, Lang::En) => {
                format!("{path}: face {} is broken ({why}); skipped", face + 1)
            }
        }
    }
}

/// The fonts of one run, in a fixed order (bundled first, then `--font-dir` files sorted by
/// path), so the same inputs pick the same fonts and give the same PDF bytes.
pub struct FontSet {
    fonts: Vec<Font>,
    book: LazyHash<FontBook>,
    /// The union of the fonts' cmaps as sorted, disjoint code point ranges (inclusive), built on
    /// first use: the validator asks for every character of every file.
    coverage: std::sync::OnceLock<Vec<(u32, u32)>>,
    /// What the `--font-dir` walk skipped, for the caller to print.
    warnings: Vec<FontWarning>,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let families: Vec<&str> = self
            .fonts
            .iter()
            .map(|f| f.info().family.as_str())
            .collect();
        f.debug_struct("FontSet")
            .field("families", &families)
            .finish()
    }
}

impl FontSet {
    /// The bundled fonts only, shared by the whole process.
    pub fn bundled() -> Arc<FontSet> {
        static SET: LazyLock<Arc<FontSet>> =
            LazyLock::new(|| Arc::new(FontSet::from_fonts(BUNDLED_FONTS.clone(), Vec::new())));
        SET.clone()
    }

    /// The bundled fonts plus every TTF/OTF/TTC file found (recursively) in `dirs`. With no
    /// folder this is [`FontSet::bundled`].
    ///
    /// Everything under the folders is bounded ([`MAX_FONT_FILE_BYTES`] and the other limits
    /// above): only regular files are read, each folder is walked once, and each face is checked
    /// ([`faces`]) before Typst sees it. What is skipped is kept in [`FontSet::warnings`]; only a
    /// folder that cannot be read or that yields no font at all is an error.
    pub fn with_dirs(dirs: &[PathBuf]) -> Result<Arc<FontSet>, FontError> {
        if dirs.is_empty() {
            return Ok(FontSet::bundled());
        }
        let mut fonts = BUNDLED_FONTS.clone();
        let mut warnings = Vec::new();
        let mut walk = Walk::default();
        for dir in dirs {
            // The folder named on the command line must be readable; what is inside it is skipped
            // with a warning when it is not.
            std::fs::read_dir(dir).map_err(|error| FontError::Io {
                path: dir.clone(),
                error,
            })?;
            let mut files = Vec::new();
            walk.collect(dir, 0, &mut files, &mut warnings);
            files.sort();
            let before = fonts.len();
            for file in files {
                match walk.read(&file) {
                    Ok(data) => {
                        let (found, skipped) = faces(data);
                        fonts.extend(found);
                        warnings.extend(skipped.into_iter().map(|skip| FontWarning {
                            path: file.clone(),
                            skip,
                        }));
                    }
                    Err(skip) => warnings.push(FontWarning { path: file, skip }),
                }
            }
            if fonts.len() == before {
                return Err(FontError::NoFonts { path: dir.clone() });
            }
        }
        Ok(Arc::new(FontSet::from_fonts(fonts, warnings)))
    }

    fn from_fonts(fonts: Vec<Font>, warnings: Vec<FontWarning>) -> FontSet {
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        FontSet {
            fonts,
            book,
            coverage: std::sync::OnceLock::new(),
            warnings,
        }
    }

    /// The font book Typst selects from.
    pub fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    /// The font at `index` of the book.
    pub fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    /// Every font, in book order.
    pub fn fonts(&self) -> &[Font] {
        &self.fonts
    }

    /// The files and faces of the `--font-dir` folders that were skipped, in walk order.
    pub fn warnings(&self) -> &[FontWarning] {
        &self.warnings
    }

    /// Prints [`FontSet::warnings`] on stderr, one `warning:` line each.
    pub fn print_warnings(&self, lang: Lang) {
        for w in &self.warnings {
            eprintln!("warning: {}", w.message(lang));
        }
    }
}

impl GlyphCoverage for FontSet {
    fn covers(&self, c: char) -> bool {
        // Line breaks, tabs and spaces are laid out, never drawn as glyphs. The coverage is the
        // font's cmap, which is also what Typst's font fallback consults.
        if c.is_whitespace() || c.is_control() {
            return true;
        }
        let ranges = self
            .coverage
            .get_or_init(|| union_of_coverages(&self.fonts));
        let c = c as u32;
        // The last range starting at or before `c` covers it, or none does.
        let i = ranges.partition_point(|&(start, _)| start <= c);
        i > 0 && ranges[i - 1].1 >= c
    }
}

/// Every code point some font maps, as merged inclusive ranges.
fn union_of_coverages(fonts: &[Font]) -> Vec<(u32, u32)> {
    let mut points: Vec<u32> = fonts
        .iter()
        .flat_map(|f| f.info().coverage.iter())
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for p in points {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == p => *end = p,
            _ => ranges.push((p, p)),
        }
    }
    ranges
}

/// The faces of one font file that are safe to hand to Typst, and what was skipped.
///
/// A collection's face count is checked against the file (each face needs a 4-byte offset) and
/// capped at [`MAX_FACES_PER_FILE`]; each face must parse and pass [`check_face`] before
/// `Font::new` (which computes the coverage Typst keeps) runs on it. This is the whole door from
/// user bytes to Typst's font code, and what `fuzz_targets/font_loader.rs` fuzzes.
pub fn faces(data: Vec<u8>) -> (Vec<Font>, Vec<Skip>) {
    let data = Bytes::new(data);
    let mut skipped = Vec::new();
    let count = match ttf_parser::fonts_in_collection(&data) {
        None => 1,
        Some(claimed) => {
            // `ttcf`, version, count, then one u32 offset per face.
            let room = (data.len().saturating_sub(12) / 4) as u64;
            if u64::from(claimed) > room {
                return (Vec::new(), vec![Skip::BadCollection { claimed }]);
            }
            if claimed > MAX_FACES_PER_FILE {
                skipped.push(Skip::ManyFaces { claimed });
            }
            claimed.min(MAX_FACES_PER_FILE)
        }
    };
    let mut fonts = Vec::new();
    for index in 0..count {
        match check_face(&data, index).and_then(|()| {
            Font::new(data.clone(), index)
                .ok_or_else(|| "no family name, or a table Typst cannot read".to_string())
        }) {
            Ok(font) => fonts.push(font),
            Err(why) => skipped.push(Skip::BadFace { face: index, why }),
        }
    }
    (fonts, skipped)
}

/// Checks what Typst's `FontInfo` would walk without a bound: the face must parse, and its
/// character maps together may list at most [`MAX_CMAP_CODE_POINTS`] code points (Typst pushes
/// each one into a vector). The count is computed from the subtables' ranges, never by walking
/// them, so a corrupt range costs nothing.
pub fn check_face(data: &[u8], index: u32) -> Result<(), String> {
    let face = ttf_parser::Face::parse(data, index).map_err(|e| format!("not a font face: {e}"))?;
    let listed = cmap_code_points(&face)?;
    if listed > MAX_CMAP_CODE_POINTS {
        return Err(format!(
            "its character map (cmap) lists {listed} code points; Unicode has 1114112"
        ));
    }
    Ok(())
}

/// How many code points Typst's `FontInfo` would collect from `face`'s Unicode subtables.
/// Formats whose walk is bounded by their own bytes (0, 2, 6, 10) are walked; formats 4, 12 and
/// 13 are ranges that a few bytes can make billions long, so their ranges are added up from the
/// raw table instead (the same ranges ttf-parser's walk would visit).
///
/// A subtable whose count of groups (or characters, or records) needs more bytes than it has is
/// an error: ttf-parser asserts, in debug builds such as the README's `cargo run`, that no read
/// passes 4 GiB, and a few bytes can claim billions of 12-byte groups.
fn cmap_code_points(face: &ttf_parser::Face) -> Result<u64, String> {
    use ttf_parser::cmap::Format;
    let (Some(table), Some(raw)) = (
        face.tables().cmap,
        face.raw_face().table(ttf_parser::Tag::from_bytes(b"cmap")),
    ) else {
        return Ok(0);
    };
    let u16_at = |d: &[u8], at: usize| d.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let u32_at = |d: &[u8], at: usize| {
        d.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let mut total = 0u64;
    for i in 0..table.subtables.len() {
        // The subtable's bytes: record `i` (8 bytes after the 4-byte header) holds its offset.
        let sub = u32_at(raw, 4 + usize::from(i) * 8 + 4)
            .and_then(|o| raw.get(o as usize..))
            .unwrap_or_default();
        // Formats with a 32-bit count: where it stands, and the bytes per item after the header.
        let counted = match u16_at(sub, 0) {
            Some(10) => Some((16, 20, 2)),
            Some(12 | 13) => Some((12, 16, 12)),
            Some(14) => Some((6, 10, 11)),
            _ => None,
        };
        if let Some((at, header, each)) = counted
            && let Some(count) = u32_at(sub, at)
            && header + u64::from(count) * each > sub.len() as u64
        {
            return Err(format!(
                "its character map (cmap) subtable {i} claims {count} entries, more than its {} bytes hold",
                sub.len()
            ));
        }
        let Some(subtable) = table.subtables.get(i).filter(|s| s.is_unicode()) else {
            continue;
        };
        let n = match subtable.format {
            // Segments: end codes, then (after a pad) start codes, up to the 0xFFFF end marker.
            Format::SegmentMappingToDeltaValues(_) => {
                let segments = usize::from(u16_at(sub, 6).unwrap_or(0) / 2);
                let mut n = 0u64;
                for s in 0..segments {
                    let (Some(end), Some(start)) = (
                        u16_at(sub, 14 + 2 * s),
                        u16_at(sub, 16 + 2 * segments + 2 * s),
                    ) else {
                        break;
                    };
                    if start == 0xFFFF && end == 0xFFFF {
                        break;
                    }
                    n += u64::from(end.saturating_sub(start)) + u64::from(end >= start);
                }
                n
            }
            // Groups of (start, end, glyph), 12 bytes each after a 16-byte header.
            Format::SegmentedCoverage(_) | Format::ManyToOneRangeMappings(_) => {
                let groups =
                    u64::from(u32_at(sub, 12).unwrap_or(0)).min((sub.len() / 12) as u64) as usize;
                (0..groups)
                    .map_while(|g| Some((u32_at(sub, 16 + 12 * g)?, u32_at(sub, 20 + 12 * g)?)))
                    .fold(0u64, |n, (start, end)| {
                        n.saturating_add(
                            u64::from(end.saturating_sub(start)) + u64::from(end >= start),
                        )
                    })
            }
            _ => {
                let mut n = 0u64;
                subtable.codepoints(|_| n += 1);
                n
            }
        };
        total = total.saturating_add(n);
    }
    Ok(total)
}

fn is_font_file(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("ttf" | "otf" | "ttc" | "otc")
    )
}

/// The state of one run's `--font-dir` walk: the folders seen (by their resolved path, so a
/// symbolic link back up the tree is walked once) and the files and bytes read so far.
#[derive(Default)]
struct Walk {
    seen: std::collections::HashSet<PathBuf>,
    files: usize,
    bytes: u64,
}

impl Walk {
    /// Collects the font files under `dir` (each folder once, at most [`MAX_FONT_DIR_DEPTH`] deep).
    fn collect(
        &mut self,
        dir: &Path,
        depth: usize,
        out: &mut Vec<PathBuf>,
        warnings: &mut Vec<FontWarning>,
    ) {
        let warn = |warnings: &mut Vec<FontWarning>, path: &Path, skip| {
            warnings.push(FontWarning {
                path: path.to_path_buf(),
                skip,
            })
        };
        if depth > MAX_FONT_DIR_DEPTH {
            return warn(warnings, dir, Skip::TooDeep);
        }
        match std::fs::canonicalize(dir) {
            Ok(real) => {
                if !self.seen.insert(real) {
                    return warn(warnings, dir, Skip::Loop);
                }
            }
            Err(e) => return warn(warnings, dir, Skip::Unreadable(e)),
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return warn(warnings, dir, Skip::Unreadable(e)),
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            // Follows symbolic links: a link to a font or a folder is honoured; the loop check
            // above and the regular-file check below keep that bounded.
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.collect(&path, depth + 1, out, warnings),
                Ok(_) if !is_font_file(&path) => {}
                Ok(meta) if !meta.is_file() => warn(warnings, &path, Skip::NotRegular),
                Ok(_) => out.push(path),
                // A dangling link or a link loop with a font's name is reported; others are not ours.
                Err(e) if is_font_file(&path) => warn(warnings, &path, Skip::Unreadable(e)),
                Err(_) => {}
            }
        }
    }

    /// Reads one font file within the per-file and per-run bounds.
    fn read(&mut self, path: &Path) -> Result<Vec<u8>, Skip> {
        use std::io::Read;
        let file = std::fs::File::open(path).map_err(Skip::Unreadable)?;
        let meta = file.metadata().map_err(Skip::Unreadable)?;
        // Checked again on the open file: the walk's answer may be stale.
        if !meta.is_file() {
            return Err(Skip::NotRegular);
        }
        if meta.len() > MAX_FONT_FILE_BYTES {
            return Err(Skip::TooLarge { bytes: meta.len() });
        }
        if self.files >= MAX_FONT_FILES || self.bytes + meta.len() > MAX_FONT_BYTES_TOTAL {
            return Err(Skip::RunFull);
        }
        let mut data = Vec::with_capacity(meta.len() as usize);
        // Bounded even if the file grows while it is read.
        file.take(MAX_FONT_FILE_BYTES + 1)
            .read_to_end(&mut data)
            .map_err(Skip::Unreadable)?;
        if data.len() as u64 > MAX_FONT_FILE_BYTES {
            return Err(Skip::TooLarge {
                bytes: data.len() as u64,
            });
        }
        self.files += 1;
        self.bytes += data.len() as u64;
        Ok(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_agrees_with_each_fonts_cmap() {
        let set = FontSet::bundled();
        let fonts = set.fonts();
        // Every code point of the BMP and the start of plane 2: the merged ranges answer exactly
        // what asking each font would.
        for c in (0u32..0x1_0000)
            .chain(0x2_0000..0x2_0100)
            .filter_map(char::from_u32)
        {
            let direct = c.is_whitespace()
                || c.is_control()
                || fonts.iter().any(|f| f.info().coverage.contains(c as u32));
            assert_eq!(set.covers(c), direct, "{c:?} U+{:04X}", c as u32);
        }
        assert!(set.covers('镕') && set.covers('≥') && set.covers('\n'));
        assert!(!set.covers('\u{20000}'));
    }

    #[test]
    fn bundled_families_are_the_ones_the_template_names() {
        let set = FontSet::bundled();
        let families: Vec<&str> = set
            .fonts()
            .iter()
            .map(|f| f.info().family.as_str())
            .collect();
        assert!(
            families.contains(&SONG) && families.contains(&HEI),
            "{families:?}"
        );
        assert!(
            crate::pdf::TEMPLATE.contains(&format!("\"{SONG}\""))
                && crate::pdf::TEMPLATE.contains(&format!("\"{HEI}\""))
        );
    }
}
