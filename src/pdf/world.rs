//! The Typst world of one document: a sandbox holding exactly the template, the Grid as JSON
//! and the fonts of the run.
//!
//! `World::file` is Typst's only door to files, packages, images and imports, so answering
//! from a two-entry whitelist makes the sandbox complete: a template (or a declaration text,
//! which only ever arrives as JSON data) cannot read the disk, the network or the clock.

use std::sync::{Arc, LazyLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use super::fonts::FontSet;

/// Where the template lives in the virtual project (named in Typst's error messages).
pub const TEMPLATE_PATH: &str = "/form.typ";
/// Where the Grid JSON lives; the template reads it with `json("/grid.json")`.
pub const GRID_PATH: &str = "/grid.json";

fn project_file(path: &str) -> FileId {
    // Both paths are constant and valid, so this cannot fail.
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("valid virtual path")).intern()
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
        FormWorld { shared, grid: Bytes::new(grid_json), today }
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
