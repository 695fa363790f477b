//! `jixiao render … --merge FILE.pdf`: every rendered form in one PDF, in input order.
//!
//! Each form is rendered to its own PDF as usual (its footer counts its own pages, its text is
//! tagged, PDF/A-2b when asked), and the [`Merger`] copies the finished PDFs into one file as
//! they arrive, in input order:
//!
//! - every object a form's pages and structure tree reach is written to the output at once,
//!   renumbered; the form's PDF is then dropped, so memory holds only what the end of the file
//!   needs (an offset per object, a reference per page, a line per bookmark), never the forms;
//! - a bookmark per form (its name) under one per folder, and page labels `N-1`, `N-2` … (form
//!   N's own page numbers, as its footer prints them);
//! - the forms' structure trees (tags) become the children of one structure tree root, their
//!   parent-tree keys shifted past the forms before them, so screen readers and text extraction
//!   read each form as Typst tagged it;
//! - with PDF/A-2b, the first form's output intent and an XMP packet that declares PDF/A-2b
//!   and agrees with the document information (title, dates, producer).
//!
//! Why not one Typst document of every form: it would keep all the forms' layouts in memory
//! until the end (Typst lays out a document whole) and would need the template and the
//! measuring passes changed to reset per form. Why not hand Typst's PDF exporter a document of
//! pages from several compilations: its tags and introspection belong to one compilation.
//! Copying finished PDFs keeps every form exactly as its own PDF prints it.
//!
//! Each form embeds its own font subsets (a form's PDF is about 40–80 KB of font data): the
//! merged file is about the sum of the forms' PDFs.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat, Writer};

/// A rendered form on its way into the merged PDF.
#[derive(Debug, Clone)]
pub struct Part {
    /// The declaration file (for messages).
    pub file: String,
    /// The folder the file is in: the bookmark the form's bookmark sits under.
    pub folder: String,
    /// The form's bookmark: its 项目/部门名称, else the file's stem.
    pub title: String,
    /// The form's own PDF.
    pub pdf: Vec<u8>,
}

impl Part {
    /// The form read from `path`, named `name` (blank: the file's stem), printed as `pdf`.
    pub fn new(path: &Path, name: &str, pdf: Vec<u8>) -> Part {
        let title = match name.trim() {
            "" => path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            name => name.to_string(),
        };
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
            _ => ".".to_string(),
        };
        Part {
            file: path.display().to_string(),
            folder,
            title,
            pdf,
        }
    }
}

/// Why a form could not be merged, or the merged PDF not written.
#[derive(Debug)]
pub enum MergeError {
    Io(std::io::Error),
    /// A form's PDF could not be read back (not expected of Typst's output).
    Pdf(String),
}

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MergeError::Io(e) => write!(f, "{e}"),
            MergeError::Pdf(e) => write!(f, "the form's PDF could not be read: {e}"),
        }
    }
}

impl std::error::Error for MergeError {}

impl From<std::io::Error> for MergeError {
    fn from(e: std::io::Error) -> Self {
        MergeError::Io(e)
    }
}

impl From<lopdf::Error> for MergeError {
    fn from(e: lopdf::Error) -> Self {
        MergeError::Pdf(e.to_string())
    }
}

/// What [`Merger::finish`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    pub forms: usize,
    pub pages: usize,
}

/// Object numbers of the merged file's fixed objects: the forms' objects refer to the page
/// tree and the structure tree root before they are written at the end.
const CATALOG: u32 = 1;
const PAGES: u32 = 2;
const STRUCT_ROOT: u32 = 3;
const FIRST_FREE: u32 = 4;

/// A form's place in the merged file, for its bookmark and page labels.
struct Mark {
    title: String,
    folder: String,
    first_page: usize,
}

/// A writer that counts the bytes written (object offsets for the cross-reference table).
struct Counting<W> {
    inner: W,
    at: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.at += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes forms' PDFs into one file as they come (see the module documentation).
pub struct Merger {
    target: PathBuf,
    temp: PathBuf,
    out: Option<Counting<BufWriter<File>>>,
    pdf_a: bool,
    /// Byte offset of object `n` at index `n - 1` (0 until written).
    offsets: Vec<u64>,
    pages: Vec<u32>,
    marks: Vec<Mark>,
    /// The structure elements directly under the root, in order.
    struct_kids: Vec<u32>,
    /// The parent tree: key → the object it maps to.
    parent_tree: Vec<(i64, Object)>,
    next_key: i64,
    role_map: Dictionary,
    /// Structure element IDs → their element (an ID tree), prefixed per form.
    ids: BTreeMap<Vec<u8>, Object>,
    /// The catalog entries taken from the first form: output intents (PDF/A), language.
    output_intents: Option<Object>,
    lang: Option<Object>,
    /// The first form's creation date, for the document information and XMP.
    date: Option<Vec<u8>>,
    /// Feeds the file identifier: the same forms give the same identifier.
    ident: std::hash::DefaultHasher,
}

impl Merger {
    /// Starts the merged PDF at `target` (written to a temporary file in the same folder and
    /// renamed over `target` by [`Merger::finish`]; removed if the merger is dropped unfinished).
    pub fn create(target: &Path, pdf_a: bool) -> std::io::Result<Merger> {
        let (temp, file) = crate::output::create_temp(target)?;
        let mut out = Counting {
            inner: BufWriter::new(file),
            at: 0,
        };
        // The binary comment tells transfer programs that the file is binary (PDF/A needs it).
        out.write_all(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(Merger {
            target: target.to_path_buf(),
            temp,
            out: Some(out),
            pdf_a,
            offsets: vec![0; (FIRST_FREE - 1) as usize],
            pages: Vec::new(),
            marks: Vec::new(),
            struct_kids: Vec::new(),
            parent_tree: Vec::new(),
            next_key: 0,
            role_map: Dictionary::new(),
            ids: BTreeMap::new(),
            output_intents: None,
            lang: None,
            date: None,
            ident: std::hash::DefaultHasher::new(),
        })
    }

    /// The number of forms added.
    pub fn forms(&self) -> usize {
        self.marks.len()
    }

    fn out(&mut self) -> std::io::Result<&mut Counting<BufWriter<File>>> {
        self.out
            .as_mut()
            .ok_or_else(|| std::io::Error::other("the merged PDF is already finished"))
    }

    /// A new object number.
    fn allocate(&mut self) -> u32 {
        self.offsets.push(0);
        self.offsets.len() as u32
    }

    /// Writes object `id` now.
    fn write_object(&mut self, id: u32, object: &Object) -> std::io::Result<()> {
        let out = self.out()?;
        let at = out.at;
        writeln!(out, "{id} 0 obj")?;
        Writer::write_object(out, object).map_err(|e| std::io::Error::other(e.to_string()))?;
        out.write_all(b"\nendobj\n")?;
        self.offsets[(id - 1) as usize] = at;
        Ok(())
    }

    /// Appends one form: its pages, and every object they and its structure tree reach.
    pub fn add(&mut self, part: Part) -> Result<(), MergeError> {
        use std::hash::Hash;
        let doc = Document::load_mem(&part.pdf)?;
        let catalog = doc.catalog()?.clone();
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        if pages.is_empty() {
            return Err(MergeError::Pdf("it has no page".into()));
        }
        let form = self.marks.len() + 1;

        // Objects that become the merged file's own: the page tree's nodes and the structure
        // tree root (references to them are redirected), the catalog (dropped).
        let mut fixed: BTreeMap<ObjectId, u32> = BTreeMap::new();
        for id in doc.objects.keys() {
            if let Ok(Object::Dictionary(d)) = doc.get_object(*id)
                && d.has_type(b"Pages")
            {
                fixed.insert(*id, PAGES);
            }
        }
        let struct_root = catalog
            .get(b"StructTreeRoot")
            .and_then(Object::as_reference)
            .ok();
        if let Some(id) = struct_root {
            fixed.insert(id, STRUCT_ROOT);
        }
        if let Ok(id) = doc.trailer.get(b"Root").and_then(Object::as_reference) {
            fixed.insert(id, CATALOG);
        }

        // The structure tree: its top elements, parent tree, role map and IDs.
        let mut roots: Vec<ObjectId> = pages.clone();
        let mut kids = Vec::new();
        let mut parent_entries = Vec::new();
        let mut ids = Vec::new();
        let mut key_base = self.next_key;
        if let Some(root) = struct_root.and_then(|id| doc.get_dictionary(id).ok()) {
            for kid in array_or_one(root.get(b"K").ok()) {
                if let Object::Reference(id) = kid {
                    kids.push(*id);
                    roots.push(*id);
                }
            }
            let mut max_key = -1;
            number_tree(&doc, root.get(b"ParentTree").ok(), &mut |key, value| {
                max_key = max_key.max(key);
                if let Object::Reference(id) = value {
                    roots.push(*id);
                }
                parent_entries.push((key, value.clone()));
            });
            let next = root
                .get(b"ParentTreeNextKey")
                .and_then(Object::as_i64)
                .unwrap_or(0);
            self.next_key += next.max(max_key + 1);
            if let Ok(map) = root.get(b"RoleMap").and_then(|o| deref(&doc, o).as_dict()) {
                for (k, v) in map.iter() {
                    self.role_map.set(k.clone(), v.clone());
                }
            }
            name_tree(&doc, root.get(b"IDTree").ok(), &mut |key, value| {
                ids.push((key.to_vec(), value.clone()))
            });
        } else {
            key_base = 0;
        }
        // The first form's output intents (PDF/A), written with its objects and remapped below.
        let mut intents_of_first = None;
        if self.marks.is_empty() {
            self.lang = catalog.get(b"Lang").ok().map(|o| deref(&doc, o).clone());
            if self.pdf_a
                && let Ok(intents) = catalog.get(b"OutputIntents")
            {
                let intents = deref(&doc, intents).clone();
                for o in array_or_one(Some(&intents)) {
                    if let Object::Reference(id) = o {
                        roots.push(*id);
                    }
                }
                intents_of_first = Some(intents);
            }
            self.date = doc
                .trailer
                .get(b"Info")
                .ok()
                .and_then(|o| deref(&doc, o).as_dict().ok())
                .and_then(|info| info.get(b"CreationDate").ok())
                .and_then(|d| d.as_str().ok())
                .map(<[u8]>::to_vec);
        }

        // Everything reachable from those roots, numbered anew in the order of the old numbers.
        let mut reached: BTreeSet<ObjectId> = BTreeSet::new();
        let mut todo = roots.clone();
        while let Some(id) = todo.pop() {
            if fixed.contains_key(&id) || !reached.insert(id) {
                continue;
            }
            if let Ok(object) = doc.get_object(id) {
                references(object, &mut todo);
            }
        }
        let mut map = fixed.clone();
        for id in &reached {
            let new = self.allocate();
            map.insert(*id, new);
        }
        let page_set: BTreeSet<ObjectId> = pages.iter().copied().collect();
        let id_prefix = format!("f{form}-").into_bytes();
        for id in &reached {
            let Ok(object) = doc.get_object(*id) else {
                continue;
            };
            let mut object = object.clone();
            if page_set.contains(id)
                && let Object::Dictionary(page) = &mut object
            {
                inherit(&doc, *id, page);
                page.set("Parent", Object::Reference((PAGES, 0)));
                shift_key(page, b"StructParents", key_base);
            }
            if let Object::Dictionary(d) = &mut object {
                // An annotation's key into the parent tree.
                shift_key(d, b"StructParent", key_base);
                // Structure element IDs are unique per form only.
                if d.has(b"S") && d.has(b"P") {
                    prefix_ids(d, &id_prefix);
                }
            }
            if let Object::Stream(s) = &mut object {
                s.dict
                    .set("Length", Object::Integer(s.content.len() as i64));
            }
            remap(&mut object, &map);
            self.write_object(map[id], &object)?;
        }

        if let Some(mut intents) = intents_of_first {
            remap(&mut intents, &map);
            self.output_intents = Some(intents);
        }
        for id in &pages {
            self.pages.push(map[id]);
        }
        for id in kids {
            self.struct_kids.push(map[&id]);
        }
        for (key, mut value) in parent_entries {
            remap(&mut value, &map);
            self.parent_tree.push((key + key_base, value));
        }
        for (key, mut value) in ids {
            remap(&mut value, &map);
            self.ids
                .insert([id_prefix.as_slice(), &key].concat(), value);
        }
        let first_page = self.pages.len() - pages.len();
        (&part.title, &part.folder, pages.len(), part.pdf.len()).hash(&mut self.ident);
        self.marks.push(Mark {
            title: part.title,
            folder: part.folder,
            first_page,
        });
        Ok(())
    }

    /// Writes the page tree, bookmarks, page labels, structure tree root, catalog and
    /// cross-reference table, then puts the file in place of the target.
    pub fn finish(mut self) -> Result<Merged, MergeError> {
        use std::hash::Hasher;
        let merged = Merged {
            forms: self.marks.len(),
            pages: self.pages.len(),
        };
        let kids = self
            .pages
            .iter()
            .map(|&id| Object::Reference((id, 0)))
            .collect();
        let pages = Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(kids)),
            ("Count", Object::Integer(self.pages.len() as i64)),
        ]);
        self.write_object(PAGES, &Object::Dictionary(pages))?;

        let outlines = self.write_outlines()?;
        let labels = self.page_labels();

        let mut struct_root = Dictionary::from_iter([
            ("Type", Object::Name(b"StructTreeRoot".to_vec())),
            (
                "K",
                Object::Array(
                    self.struct_kids
                        .iter()
                        .map(|&id| Object::Reference((id, 0)))
                        .collect(),
                ),
            ),
        ]);
        let nums = std::mem::take(&mut self.parent_tree)
            .into_iter()
            .flat_map(|(k, v)| [Object::Integer(k), v])
            .collect();
        let parent_tree = self.allocate();
        self.write_object(
            parent_tree,
            &Object::Dictionary(Dictionary::from_iter([("Nums", Object::Array(nums))])),
        )?;
        struct_root.set("ParentTree", Object::Reference((parent_tree, 0)));
        struct_root.set("ParentTreeNextKey", Object::Integer(self.next_key));
        if !self.role_map.is_empty() {
            struct_root.set(
                "RoleMap",
                Object::Dictionary(std::mem::take(&mut self.role_map)),
            );
        }
        if !self.ids.is_empty() {
            // A name tree's keys are in byte order: the BTreeMap's.
            let names = std::mem::take(&mut self.ids)
                .into_iter()
                .flat_map(|(k, v)| [Object::String(k, StringFormat::Literal), v])
                .collect();
            let tree = self.allocate();
            self.write_object(
                tree,
                &Object::Dictionary(Dictionary::from_iter([("Names", Object::Array(names))])),
            )?;
            struct_root.set("IDTree", Object::Reference((tree, 0)));
        }
        self.write_object(STRUCT_ROOT, &Object::Dictionary(struct_root))?;

        // Document information and its XMP twin (PDF/A wants them equal).
        let title = "绩效目标申报表（合并）";
        let producer = format!("jixiao {}", env!("CARGO_PKG_VERSION"));
        let date = self
            .date
            .clone()
            .unwrap_or_else(|| b"D:20000101000000Z".to_vec());
        let info = self.allocate();
        self.write_object(
            info,
            &Object::Dictionary(Dictionary::from_iter([
                ("Title", text_string(title)),
                ("Creator", text_string(&producer)),
                ("Producer", text_string(&producer)),
                (
                    "CreationDate",
                    Object::String(date.clone(), StringFormat::Literal),
                ),
                (
                    "ModDate",
                    Object::String(date.clone(), StringFormat::Literal),
                ),
            ])),
        )?;
        let xmp = xmp(title, &producer, &xmp_date(&date), self.pdf_a);
        let metadata = self.allocate();
        let stream = lopdf::Stream::new(
            Dictionary::from_iter([
                ("Type", Object::Name(b"Metadata".to_vec())),
                ("Subtype", Object::Name(b"XML".to_vec())),
                ("Length", Object::Integer(xmp.len() as i64)),
            ]),
            xmp.into_bytes(),
        );
        self.write_object(metadata, &Object::Stream(stream))?;

        let mut catalog = Dictionary::from_iter([
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference((PAGES, 0))),
            ("PageLabels", labels),
            ("StructTreeRoot", Object::Reference((STRUCT_ROOT, 0))),
            (
                "MarkInfo",
                Object::Dictionary(Dictionary::from_iter([("Marked", Object::Boolean(true))])),
            ),
            ("Metadata", Object::Reference((metadata, 0))),
            (
                "ViewerPreferences",
                Object::Dictionary(Dictionary::from_iter([(
                    "DisplayDocTitle",
                    Object::Boolean(true),
                )])),
            ),
        ]);
        if let Some(outlines) = outlines {
            catalog.set("Outlines", Object::Reference((outlines, 0)));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        if let Some(lang) = self.lang.take() {
            catalog.set("Lang", lang);
        }
        if let Some(intents) = self.output_intents.take() {
            catalog.set("OutputIntents", intents);
        }
        self.write_object(CATALOG, &Object::Dictionary(catalog))?;

        // Cross-reference table and trailer.
        let ident = format!(
            "{:016x}{:016x}",
            self.ident.finish(),
            merged.pages as u64 ^ self.offsets.len() as u64
        );
        let offsets = std::mem::take(&mut self.offsets);
        let out = self.out()?;
        let xref = out.at;
        write!(out, "xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1)?;
        for at in &offsets {
            writeln!(out, "{at:010} 00000 n ")?;
        }
        write!(
            out,
            "trailer\n<< /Size {} /Root {CATALOG} 0 R /Info {info} 0 R /ID [<{ident}> <{ident}>] >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )?;
        let out = self.out.take().expect("written above");
        let file = out.inner.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        let renamed = std::fs::rename(&self.temp, &self.target);
        if renamed.is_err() {
            let _ = std::fs::remove_file(&self.temp);
        }
        crate::output::forget_temp(&self.temp);
        renamed?;
        Ok(merged)
    }

    /// The bookmarks: one per folder (in the order folders first appear), each form's under it,
    /// each pointing at the form's first page. Returns the outline root, if any form was added.
    fn write_outlines(&mut self) -> std::io::Result<Option<u32>> {
        if self.marks.is_empty() {
            return Ok(None);
        }
        let mut folders: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, mark) in self.marks.iter().enumerate() {
            match folders.iter_mut().find(|(f, _)| *f == mark.folder) {
                Some((_, forms)) => forms.push(i),
                None => folders.push((mark.folder.clone(), vec![i])),
            }
        }
        let root = self.allocate();
        let folder_ids: Vec<u32> = folders.iter().map(|_| self.allocate()).collect();
        let dest = |page: u32| {
            Object::Array(vec![
                Object::Reference((page, 0)),
                Object::Name(b"Fit".to_vec()),
            ])
        };
        let siblings = |ids: &[u32], i: usize, d: &mut Dictionary| {
            if i > 0 {
                d.set("Prev", Object::Reference((ids[i - 1], 0)));
            }
            if i + 1 < ids.len() {
                d.set("Next", Object::Reference((ids[i + 1], 0)));
            }
        };
        let mut visible = folders.len();
        for (f, (folder, forms)) in folders.iter().enumerate() {
            let form_ids: Vec<u32> = forms.iter().map(|_| self.allocate()).collect();
            for (j, &m) in forms.iter().enumerate() {
                let mark = &self.marks[m];
                let mut d = Dictionary::from_iter([
                    ("Title", text_string(&mark.title)),
                    ("Parent", Object::Reference((folder_ids[f], 0))),
                    ("Dest", dest(self.pages[mark.first_page])),
                ]);
                siblings(&form_ids, j, &mut d);
                self.write_object(form_ids[j], &Object::Dictionary(d))?;
            }
            let first = &self.marks[forms[0]];
            let mut d = Dictionary::from_iter([
                ("Title", text_string(folder)),
                ("Parent", Object::Reference((root, 0))),
                ("Dest", dest(self.pages[first.first_page])),
                ("First", Object::Reference((form_ids[0], 0))),
                ("Last", Object::Reference((form_ids[form_ids.len() - 1], 0))),
                // Open: the forms show under their folder.
                ("Count", Object::Integer(form_ids.len() as i64)),
            ]);
            visible += form_ids.len();
            siblings(&folder_ids, f, &mut d);
            self.write_object(folder_ids[f], &Object::Dictionary(d))?;
        }
        let d = Dictionary::from_iter([
            ("Type", Object::Name(b"Outlines".to_vec())),
            ("First", Object::Reference((folder_ids[0], 0))),
            (
                "Last",
                Object::Reference((folder_ids[folder_ids.len() - 1], 0)),
            ),
            ("Count", Object::Integer(visible as i64)),
        ]);
        self.write_object(root, &Object::Dictionary(d))?;
        Ok(Some(root))
    }

    /// Page labels: form N's pages are `N-1`, `N-2` … (its own page numbers, as its footer
    /// prints them, after its place in the batch).
    fn page_labels(&self) -> Object {
        let nums = self
            .marks
            .iter()
            .enumerate()
            .flat_map(|(i, m)| {
                let label = Dictionary::from_iter([
                    ("S", Object::Name(b"D".to_vec())),
                    (
                        "P",
                        Object::String(format!("{}-", i + 1).into_bytes(), StringFormat::Literal),
                    ),
                ]);
                [
                    Object::Integer(m.first_page as i64),
                    Object::Dictionary(label),
                ]
            })
            .collect();
        Object::Dictionary(Dictionary::from_iter([("Nums", Object::Array(nums))]))
    }
}

impl Drop for Merger {
    fn drop(&mut self) {
        // Unfinished (an error, or the batch stopped): no partial file is left behind.
        if self.out.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
            crate::output::forget_temp(&self.temp);
        }
    }
}

/// A PDF text string: UTF-16BE with its byte-order mark (titles are Chinese).
fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// `D:20230110000000Z` (or with `+08'00'`) → `2023-01-10T00:00:00Z`, as XMP writes dates.
fn xmp_date(pdf: &[u8]) -> String {
    let text = String::from_utf8_lossy(pdf);
    let digits: String = text
        .trim_start_matches("D:")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.len() < 8 {
        return "2000-01-01T00:00:00Z".into();
    }
    let part =
        |a: usize, b: usize, default: &'static str| digits.get(a..b).unwrap_or(default).to_string();
    let rest = &text.trim_start_matches("D:")[digits.len()..];
    let zone = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let z: String = rest.chars().filter(char::is_ascii_digit).collect();
            format!(
                "{sign}{}:{}",
                z.get(0..2).unwrap_or("00"),
                z.get(2..4).unwrap_or("00")
            )
        }
        _ => "Z".into(),
    };
    format!(
        "{}-{}-{}T{}:{}:{}{zone}",
        part(0, 4, "2000"),
        part(4, 6, "01"),
        part(6, 8, "01"),
        part(8, 10, "00"),
        part(10, 12, "00"),
        part(12, 14, "00")
    )
}

/// The XMP packet of the merged file: title, producer, dates, and the PDF/A-2b claim.
fn xmp(title: &str, producer: &str, date: &str, pdf_a: bool) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let (title, producer) = (escape(title), escape(producer));
    let pdfa = if pdf_a {
        "\n   <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n    <pdfaid:part>2</pdfaid:part>\n    <pdfaid:conformance>B</pdfaid:conformance>\n   </rdf:Description>"
    } else {
        ""
    };
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
 <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
   <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n\
    <dc:format>application/pdf</dc:format>\n\
    <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n\
   </rdf:Description>\n\
   <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n\
    <xmp:CreatorTool>{producer}</xmp:CreatorTool>\n\
    <xmp:CreateDate>{date}</xmp:CreateDate>\n\
    <xmp:ModifyDate>{date}</xmp:ModifyDate>\n\
   </rdf:Description>\n\
   <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n\
    <pdf:Producer>{producer}</pdf:Producer>\n\
   </rdf:Description>{pdfa}\n\
 </rdf:RDF>\n\
</x:xmpmeta>\n\
<?xpacket end=\"w\"?>"
    )
}

/// `object`, or the object it refers to.
fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map(|(_, o)| o).unwrap_or(object)
}

/// The elements of an array, or the one object that stands for an array of one.
fn array_or_one(object: Option<&Object>) -> Vec<&Object> {
    match object {
        Some(Object::Array(items)) => items.iter().collect(),
        Some(Object::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

/// Calls `f` with every entry of a number tree (its `Nums` and its `Kids`' entries).
fn number_tree(doc: &Document, node: Option<&Object>, f: &mut dyn FnMut(i64, &Object)) {
    let Some(Ok(node)) = node.map(|n| deref(doc, n).as_dict()) else {
        return;
    };
    if let Ok(Object::Array(nums)) = node.get(b"Nums").map(|o| deref(doc, o)) {
        for pair in nums.chunks(2) {
            if let [Object::Integer(key), value] = pair {
                f(*key, value);
            }
        }
    }
    if let Ok(Object::Array(kids)) = node.get(b"Kids").map(|o| deref(doc, o)) {
        for kid in kids {
            number_tree(doc, Some(kid), f);
        }
    }
}

/// Calls `f` with every entry of a name tree.
fn name_tree(doc: &Document, node: Option<&Object>, f: &mut dyn FnMut(&[u8], &Object)) {
    let Some(Ok(node)) = node.map(|n| deref(doc, n).as_dict()) else {
        return;
    };
    if let Ok(Object::Array(names)) = node.get(b"Names").map(|o| deref(doc, o)) {
        for pair in names.chunks(2) {
            if let [Object::String(key, _), value] = pair {
                f(key, value);
            }
        }
    }
    if let Ok(Object::Array(kids)) = node.get(b"Kids").map(|o| deref(doc, o)) {
        for kid in kids {
            name_tree(doc, Some(kid), f);
        }
    }
}

/// Every object number `object` refers to.
fn references(object: &Object, out: &mut Vec<ObjectId>) {
    match object {
        Object::Reference(id) => out.push(*id),
        Object::Array(items) => items.iter().for_each(|o| references(o, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, o)| references(o, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, o)| references(o, out)),
        _ => {}
    }
}

/// Renumbers the references in `object` (a reference to an object not copied becomes null).
fn remap(object: &mut Object, map: &BTreeMap<ObjectId, u32>) {
    match object {
        Object::Reference(id) => {
            *object = match map.get(id) {
                Some(&new) => Object::Reference((new, 0)),
                None => Object::Null,
            }
        }
        Object::Array(items) => items.iter_mut().for_each(|o| remap(o, map)),
        Object::Dictionary(d) => d.iter_mut().for_each(|(_, o)| remap(o, map)),
        Object::Stream(s) => s.dict.iter_mut().for_each(|(_, o)| remap(o, map)),
        _ => {}
    }
}

/// Gives a page the attributes it inherits from its page tree (its tree is not copied).
fn inherit(doc: &Document, page: ObjectId, dict: &mut Dictionary) {
    let mut parent = doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Parent").and_then(Object::as_reference).ok());
    let mut depth = 0;
    while let Some(id) = parent
        && depth < 64
    {
        let Ok(node) = doc.get_dictionary(id) else {
            break;
        };
        for key in [&b"Resources"[..], b"MediaBox", b"CropBox", b"Rotate"] {
            if !dict.has(key)
                && let Ok(value) = node.get(key)
            {
                dict.set(key.to_vec(), value.clone());
            }
        }
        parent = node.get(b"Parent").and_then(Object::as_reference).ok();
        depth += 1;
    }
}

/// Adds `by` to the integer at `key`, if there is one.
fn shift_key(dict: &mut Dictionary, key: &[u8], by: i64) {
    if let Ok(Object::Integer(n)) = dict.get_mut(key) {
        *n += by;
    }
}

/// Prefixes a structure element's `ID` and the IDs its attributes' `Headers` name.
fn prefix_ids(element: &mut Dictionary, prefix: &[u8]) {
    if let Ok(Object::String(id, _)) = element.get_mut(b"ID") {
        id.splice(0..0, prefix.iter().copied());
    }
    let Ok(attributes) = element.get_mut(b"A") else {
        return;
    };
    let prefix_headers = |a: &mut Object| {
        if let Object::Dictionary(d) = a
            && let Ok(Object::Array(headers)) = d.get_mut(b"Headers")
        {
            for h in headers {
                if let Object::String(id, _) = h {
                    id.splice(0..0, prefix.iter().copied());
                }
            }
        }
    };
    match attributes {
        Object::Array(items) => items.iter_mut().for_each(prefix_headers),
        other => prefix_headers(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_xmp_form() {
        assert_eq!(xmp_date(b"D:20230110000000Z"), "2023-01-10T00:00:00Z");
        assert_eq!(
            xmp_date(b"D:20230110083000+08'00'"),
            "2023-01-10T08:30:00+08:00"
        );
        assert_eq!(xmp_date(b"D:2023"), "2000-01-01T00:00:00Z");
    }

    #[test]
    fn text_strings_are_utf16_with_a_mark() {
        assert_eq!(
            text_string("表"),
            Object::String(vec![0xFE, 0xFF, 0x88, 0x68], StringFormat::Hexadecimal)
        );
    }
}
