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

use crate::validate::GlyphCoverage;

/// The body face (宋体 style) family name, as the font file registers it.
pub const SONG: &str = "Noto Serif SC";
/// The heading face (黑体 style) family name, as the font file registers it.
pub const HEI: &str = "Noto Sans SC";

/// The fonts compiled into the binary: (file name, bytes). Only these reach a PDF unless
/// `--font-dir` adds more, so a binary copied to a machine without fonts prints the same.
/// Exactly what the built-in template uses: the body in Song regular, titles and headers in
/// Hei bold (a bold Song face would add 15 MB to the binary for nothing it draws; a custom
/// template that wants one can bring it with `--font-dir`).
static BUNDLED: &[(&str, &[u8])] = &[
    ("NotoSerifSC_400Regular.ttf", include_bytes!("../../fonts/NotoSerifSC_400Regular.ttf")),
    ("NotoSansSC_700Bold.ttf", include_bytes!("../../fonts/NotoSansSC_700Bold.ttf")),
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

/// A problem loading `--font-dir` fonts.
#[derive(Debug)]
pub enum FontError {
    /// The folder (or a file in it) could not be read.
    Io { path: PathBuf, error: std::io::Error },
    /// The folder holds no font Typst can load (TTF, OTF, TTC; WOFF is not supported).
    NoFonts { path: PathBuf },
}

impl std::fmt::Display for FontError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FontError::Io { path, error } => write!(f, "{}: cannot read fonts: {error}", path.display()),
            FontError::NoFonts { path } => {
                write!(f, "{}: no TTF, OTF or TTC font found in this folder", path.display())
            }
        }
    }
}

impl std::error::Error for FontError {}

/// The fonts of one run, in a fixed order (bundled first, then `--font-dir` files sorted by
/// path), so the same inputs pick the same fonts and give the same PDF bytes.
pub struct FontSet {
    fonts: Vec<Font>,
    book: LazyHash<FontBook>,
    /// The union of the fonts' cmaps as sorted, disjoint code point ranges (inclusive), built on
    /// first use: the validator asks for every character of every file.
    coverage: std::sync::OnceLock<Vec<(u32, u32)>>,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let families: Vec<&str> = self.fonts.iter().map(|f| f.info().family.as_str()).collect();
        f.debug_struct("FontSet").field("families", &families).finish()
    }
}

impl FontSet {
    /// The bundled fonts only, shared by the whole process.
    pub fn bundled() -> Arc<FontSet> {
        static SET: LazyLock<Arc<FontSet>> = LazyLock::new(|| Arc::new(FontSet::from_fonts(BUNDLED_FONTS.clone())));
        SET.clone()
    }

    /// The bundled fonts plus every TTF/OTF/TTC file found (recursively) in `dirs`. With no
    /// folder this is [`FontSet::bundled`].
    pub fn with_dirs(dirs: &[PathBuf]) -> Result<Arc<FontSet>, FontError> {
        if dirs.is_empty() {
            return Ok(FontSet::bundled());
        }
        let mut fonts = BUNDLED_FONTS.clone();
        for dir in dirs {
            let mut files = Vec::new();
            collect_font_files(dir, &mut files)?;
            files.sort();
            let before = fonts.len();
            for file in files {
                let data = std::fs::read(&file).map_err(|error| FontError::Io { path: file.clone(), error })?;
                // A file that does not parse is skipped, like a font manager would.
                fonts.extend(Font::iter(Bytes::new(data)));
            }
            if fonts.len() == before {
                return Err(FontError::NoFonts { path: dir.clone() });
            }
        }
        Ok(Arc::new(FontSet::from_fonts(fonts)))
    }

    fn from_fonts(fonts: Vec<Font>) -> FontSet {
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        FontSet { fonts, book, coverage: std::sync::OnceLock::new() }
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
}

impl GlyphCoverage for FontSet {
    fn covers(&self, c: char) -> bool {
        // Line breaks, tabs and spaces are laid out, never drawn as glyphs. The coverage is the
        // font's cmap, which is also what Typst's font fallback consults.
        if c.is_whitespace() || c.is_control() {
            return true;
        }
        let ranges = self.coverage.get_or_init(|| union_of_coverages(&self.fonts));
        let c = c as u32;
        // The last range starting at or before `c` covers it, or none does.
        let i = ranges.partition_point(|&(start, _)| start <= c);
        i > 0 && ranges[i - 1].1 >= c
    }
}

/// Every code point some font maps, as merged inclusive ranges.
fn union_of_coverages(fonts: &[Font]) -> Vec<(u32, u32)> {
    let mut points: Vec<u32> = fonts.iter().flat_map(|f| f.info().coverage.iter()).collect();
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

fn is_font_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("ttf" | "otf" | "ttc" | "otc")
    )
}

fn collect_font_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), FontError> {
    let entries = std::fs::read_dir(dir).map_err(|error| FontError::Io { path: dir.to_path_buf(), error })?;
    for entry in entries {
        let entry = entry.map_err(|error| FontError::Io { path: dir.to_path_buf(), error })?;
        let path = entry.path();
        if path.is_dir() {
            collect_font_files(&path, out)?;
        } else if is_font_file(&path) {
            out.push(path);
        }
    }
    Ok(())
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
        for c in (0u32..0x1_0000).chain(0x2_0000..0x2_0100).filter_map(char::from_u32) {
            let direct = c.is_whitespace() || c.is_control() || fonts.iter().any(|f| f.info().coverage.contains(c as u32));
            assert_eq!(set.covers(c), direct, "{c:?} U+{:04X}", c as u32);
        }
        assert!(set.covers('镕') && set.covers('≥') && set.covers('\n'));
        assert!(!set.covers('\u{20000}'));
    }

    #[test]
    fn bundled_families_are_the_ones_the_template_names() {
        let set = FontSet::bundled();
        let families: Vec<&str> = set.fonts().iter().map(|f| f.info().family.as_str()).collect();
        assert!(families.contains(&SONG) && families.contains(&HEI), "{families:?}");
        assert!(crate::pdf::TEMPLATE.contains(&format!("\"{SONG}\"")) && crate::pdf::TEMPLATE.contains(&format!("\"{HEI}\"")));
    }
}
