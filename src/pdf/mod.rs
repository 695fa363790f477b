//! PDF: a [`Grid`] drawn by a Typst template compiled in-process.
//!
//! An [`Engine`] holds what every document of a run shares (the standard library, the parsed
//! template, the fonts) and renders one Grid at a time:
//!
//! 1. the Grid goes into a sandboxed [`world::FormWorld`] as JSON (`/grid.json`), never as
//!    Typst source, so a declaration's text prints literally;
//! 2. a measuring pass of the template gives the height every cell needs (laying out only
//!    the cells whose line count is not sure, see [`fit`]), and [`paginate`] plans the page
//!    breaks (long 一级/二级 groups cut and their labels repeated, short ones kept whole);
//! 3. the template draws the paginated Grid, and typst-pdf writes it with a fixed date,
//!    identifier and font list, so the same input gives the same bytes.

pub mod fit;
pub mod paginate;
pub mod world;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::introspection::{Introspector, MetadataElem};
use typst::syntax::Source;
use typst::utils::{LazyHash, PicoStr};
use typst::{Library, LibraryExt, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfStandard, PdfStandards, Timestamp};

pub use crate::fonts::{FontError, FontSet};
pub use paginate::{Measurements, PrintGrid};

use crate::layout::Grid;
use world::{FormWorld, Shared};

/// The template compiled into the binary.
pub const TEMPLATE: &str = include_str!("../../templates/form.typ");

/// The date used when neither the form nor `SOURCE_DATE_EPOCH` gives one (a fixed date, so
/// output never depends on the clock).
pub const FALLBACK_DATE: (i32, u8, u8) = (2000, 1, 1);

/// The label of the template's measuring metadata.
const MEASURE_LABEL: &str = "jixiao-measure";

/// The most pages one form may print on. A real form takes one to three; the content limits
/// (`validate::limits`) let a form reach about a hundred, and nobody submits such a form on
/// purpose: past this, the PDF is refused with a message that says what to shorten.
pub const MAX_PAGES: usize = 60;

/// Options of one PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfOptions {
    /// Export PDF/A-2b (archival).
    pub pdf_a: bool,
    /// Refuse a form that prints on more pages than this (default [`MAX_PAGES`]).
    pub max_pages: usize,
}

impl Default for PdfOptions {
    fn default() -> PdfOptions {
        PdfOptions {
            pdf_a: false,
            max_pages: MAX_PAGES,
        }
    }
}

/// Why a PDF could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// The template failed to compile or lay out; each message says where (`form.typ:12:3`).
    Template(Vec<String>),
    /// Typst laid the document out but the PDF could not be written (e.g. a PDF/A rule).
    Export(Vec<String>),
    /// The Grid could not be turned into JSON (not expected for a valid Grid).
    Data(String),
    /// The form prints on more pages than [`PdfOptions::max_pages`].
    TooManyPages { pages: usize, limit: usize },
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (what, messages) = match self {
            PdfError::Template(m) => ("the template failed", m),
            PdfError::Export(m) => ("the PDF could not be written", m),
            PdfError::Data(m) => return write!(f, "the form data could not be prepared: {m}"),
            PdfError::TooManyPages { pages, limit } => {
                return write!(
                    f,
                    "the form would print on {pages} pages, more than the {limit} one form may have \
                     (表格共 {pages} 页，超过上限 {limit} 页): shorten its long texts or split its \
                     indicators over several forms"
                );
            }
        };
        write!(f, "{what}: {}", messages.join("; "))
    }
}

impl std::error::Error for PdfError {}

/// Renders Grids to PDF; build once per run and share (it is `Send + Sync`).
pub struct Engine {
    shared: Shared,
    /// Whether the template was given for this run: it may not have a measuring pass, and
    /// then its first pass is the document.
    custom: bool,
    /// The faces the built-in template prints cells with, for [`fit`]'s judgements.
    faces: fit::Faces,
    /// Documents laid out so far, for [`Engine::forget_old`].
    documents: AtomicUsize,
    /// Line and block heights measured, by the shape of the blocks around the table
    /// ([`fit::head_shape`]).
    shapes: Mutex<HashMap<String, Heights>>,
    /// Template compilations so far (measuring and drawing passes), for [`Engine::compilations`].
    compilations: AtomicUsize,
}

/// Typst's memo cache is trimmed once per this many documents. Trimming walks the whole cache
/// (4 % of the render time when done after every document), while the entries a form leaves
/// behind are a few megabytes: trimming every eighth document keeps memory flat at a fraction
/// of the cost.
pub const EVICT_EVERY: usize = 8;

impl Engine {
    /// An engine drawing with `template` (Typst source; `None`: the built-in template).
    pub fn new(fonts: Arc<FontSet>, template: Option<String>) -> Engine {
        let custom = template.is_some();
        let text = template.unwrap_or_else(|| TEMPLATE.to_string());
        let faces = fit::Faces::of(&fonts);
        let shared = Shared {
            // No `sys.inputs`: the data comes only through `/grid.json`.
            library: LazyHash::new(Library::builder().build()),
            template: Source::new(world::template_id(), text),
            fonts,
            families: world::MissingFamilies::default(),
        };
        Engine {
            shared,
            custom,
            faces,
            documents: AtomicUsize::new(0),
            shapes: Mutex::new(HashMap::new()),
            compilations: AtomicUsize::new(0),
        }
    }

    /// How many times this engine has compiled the template (a measuring pass and a drawing
    /// pass count one each): what a form costs, without timing it.
    ///
    /// ```
    /// use jixiao::pdf::{Engine, FontSet};
    /// let engine = Engine::new(FontSet::bundled(), None);
    /// assert_eq!(engine.compilations(), 0);
    /// ```
    pub fn compilations(&self) -> usize {
        self.compilations.load(Ordering::Relaxed)
    }

    /// Counts a document laid out and, every [`EVICT_EVERY`] documents, drops the results
    /// Typst memoised that the last ones did not use, so a long batch runs in flat memory.
    /// [`Engine::render`] calls it; call it after each [`Engine::draw`] of a batch.
    pub fn forget_old(&self) {
        if self.documents.fetch_add(1, Ordering::Relaxed) % EVICT_EVERY == EVICT_EVERY - 1 {
            // An entry unused since the previous trim goes: what common labels, headers and
            // the template need stays warm.
            typst::comemo::evict(1);
        }
    }

    /// The font families the template asked for and no font of the run has, noted since the
    /// last call (each family once per engine), for the caller to warn about.
    pub fn missing_families(&self) -> Vec<world::MissingFamily> {
        self.shared.families.take()
    }

    /// The fonts this engine draws with.
    pub fn fonts(&self) -> &Arc<FontSet> {
        &self.shared.fonts
    }

    /// Renders one Grid to PDF bytes.
    pub fn render(&self, grid: &Grid, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
        let date = document_date(grid);
        let doc = self.layout_within(grid, date, options.max_pages);
        self.forget_old();
        let doc = doc?;
        if doc.pages().len() > options.max_pages {
            return Err(PdfError::TooManyPages {
                pages: doc.pages().len(),
                limit: options.max_pages,
            });
        }
        self.export(&doc, grid, date, options)
    }

    /// Lays a Grid out (measuring pass, pagination, drawing pass) without writing the PDF.
    pub fn layout(&self, grid: &Grid, date: Datetime) -> Result<PagedDocument, PdfError> {
        self.layout_within(grid, date, usize::MAX)
    }

    /// [`Engine::layout`], refusing before the drawing pass a form whose page plan already has
    /// more than `max_pages` pages (the drawing pass of a hundred pages is most of the work).
    fn layout_within(
        &self,
        grid: &Grid,
        date: Datetime,
        max_pages: usize,
    ) -> Result<PagedDocument, PdfError> {
        let clipped = paginate::clip_to_header(grid);
        if !self.custom {
            // A Grid planned by this engine already carries its measurements.
            let m = match &grid.plan {
                Some(p) if p.cells_pt.len() == clipped.cells.len() => Measurements {
                    cells: p.cells_pt.clone(),
                    head: p.head_pt,
                    signoff: p.foot_pt,
                },
                _ => self.measurements(&clipped)?,
            };
            let print = paginate::paginate(&clipped, &m);
            // Each planned break starts a page; rows taller than a page only add more.
            if print.breaks.len() + 1 > max_pages {
                return Err(PdfError::TooManyPages {
                    pages: print.breaks.len() + 1,
                    limit: max_pages,
                });
            }
            return self.draw_planned(clipped, print, date);
        }
        // A custom template may have no measuring pass: then its first pass is the document.
        let predicted = vec![None; clipped.cells.len()];
        let (first, reported) = self.measuring_pass(&clipped, &predicted, date)?;
        match reported.and_then(|r| r.resolve(&clipped, &predicted)) {
            Some(m) => {
                let print = paginate::paginate(&clipped, &m);
                self.draw_planned(clipped, print, date)
            }
            None => Ok(first),
        }
    }

    /// Draws the Grid paginated as `print` plans it.
    fn draw_planned(
        &self,
        clipped: Grid,
        print: PrintGrid,
        date: Datetime,
    ) -> Result<PagedDocument, PdfError> {
        let doc = self.draw(&print, date)?;
        if !overflows(&doc) {
            return Ok(doc);
        }
        // Safety net: a kept chunk was taller than its page after all (the measurements were
        // wrong) and its overflow is off the page. Draw again keeping nothing: labels may then
        // be missing on a continuation page, but every row is printed.
        self.compile(&PrintGrid::unpaginated(clipped), None, date)
    }

    /// The heights of `clipped`'s cells and of the blocks around the table. When every cell's
    /// line count is known and the blocks' shape was measured before, nothing is laid out:
    /// the heights follow from that shape's line heights ([`fit::head_shape`]). Otherwise the
    /// measuring pass lays out the cells that need it, and its line heights are kept for the
    /// next form of the same shape.
    fn measurements(&self, clipped: &Grid) -> Result<Measurements, PdfError> {
        let predicted = self.predicted_lines(clipped);
        let shape = fit::head_shape(clipped, &self.faces);
        if let Some(shape) = &shape
            && predicted.iter().all(Option::is_some)
            && let Some(known) = self
                .shapes
                .lock()
                .ok()
                .and_then(|shapes| shapes.get(shape).cloned())
            && let Some(m) = known.resolve(&[], clipped, &predicted)
        {
            return Ok(m);
        }
        let (_, reported) = self.measuring_pass(clipped, &predicted, document_date(clipped))?;
        let reported = reported.ok_or_else(no_measurements)?;
        let m = reported
            .resolve(clipped, &predicted)
            .ok_or_else(no_measurements)?;
        if let (Some(shape), Ok(mut shapes)) = (shape, self.shapes.lock()) {
            // Line heights by role add up over forms: a later form may have roles this one lacks.
            shapes.entry(shape).or_default().add(reported.heights);
        }
        Ok(m)
    }

    /// The drawing pass alone: the template's document for an already paginated Grid. This
    /// and [`Engine::export`] are all that a bare Typst compile of the form would do.
    pub fn draw(&self, print: &PrintGrid, date: Datetime) -> Result<PagedDocument, PdfError> {
        self.compile(print, None, date)
    }

    /// The page plan of `grid`, which the XLSX writer follows too (see
    /// [`crate::layout::PagePlan`]). A custom template's plan is the built-in template's.
    pub fn plan(&self, grid: &Grid) -> Result<crate::layout::PagePlan, PdfError> {
        let clipped = paginate::clip_to_header(grid);
        let m = self.measurements(&clipped)?;
        Ok(paginate::plan(&clipped, &m))
    }

    /// The paginated Grid the drawing pass receives (for tests and for inspecting breaks).
    pub fn paginate(&self, grid: &Grid) -> Result<PrintGrid, PdfError> {
        let m = self.measure(grid)?;
        Ok(paginate::paginate(&paginate::clip_to_header(grid), &m))
    }

    /// The heights the page plan uses for the cells of `clip_to_header(grid)`: measured, or
    /// computed from line counts that are sure (see [`fit`]).
    pub fn measure(&self, grid: &Grid) -> Result<Measurements, PdfError> {
        self.measurements(&paginate::clip_to_header(grid))
    }

    /// The measuring pass laying out every cell, predicting none (to check predictions against).
    pub fn measure_every_cell(&self, grid: &Grid) -> Result<Measurements, PdfError> {
        let clipped = paginate::clip_to_header(grid);
        let predicted = vec![None; clipped.cells.len()];
        let (_, reported) = self.measuring_pass(&clipped, &predicted, document_date(&clipped))?;
        reported
            .and_then(|r| r.resolve(&clipped, &predicted))
            .ok_or_else(no_measurements)
    }

    /// The template's measuring pass over `clipped`, laying out the cells `predicted` has no
    /// line count for: the document it made (a custom template's may be the form itself) and
    /// what it reported, if anything.
    fn measuring_pass(
        &self,
        clipped: &Grid,
        predicted: &[Option<usize>],
        date: Datetime,
    ) -> Result<(PagedDocument, Option<Reported>), PdfError> {
        let doc = self.compile(
            &PrintGrid::unpaginated(clipped.clone()),
            Some(predicted),
            date,
        )?;
        let reported = read_reported(&doc);
        Ok((doc, reported))
    }

    /// Per cell: how many lines it surely takes, so that the measuring pass may skip it (an
    /// empty cell is one empty line of its role's face); `None`: it is measured. Never
    /// predicted with a custom template, whose sizes and insets are its own.
    pub fn predicted_lines(&self, grid: &Grid) -> Vec<Option<usize>> {
        if self.custom {
            return vec![None; grid.cells.len()];
        }
        grid.cells
            .iter()
            .map(|c| {
                let text = c.content.display();
                if text.is_empty() {
                    Some(1)
                } else {
                    fit::surely_lines(grid, c, &text, &self.faces)
                }
            })
            .collect()
    }

    /// Compiles the template over `print`; `predicted` asks for the measuring pass and says
    /// which cells it need not lay out (those whose line count is known).
    fn compile(
        &self,
        print: &PrintGrid,
        predicted: Option<&[Option<usize>]>,
        date: Datetime,
    ) -> Result<PagedDocument, PdfError> {
        let json = grid_json(print, predicted)?;
        self.compilations.fetch_add(1, Ordering::Relaxed);
        let world = FormWorld::new(&self.shared, json, date);
        let warned = typst::compile::<PagedDocument>(&world);
        self.shared.families.note(&world, &warned.warnings);
        warned
            .output
            .map_err(|errors| PdfError::Template(describe(&world, &errors)))
    }

    /// Writes a laid-out document as PDF bytes, with a fixed date and identifier.
    pub fn export(
        &self,
        doc: &PagedDocument,
        grid: &Grid,
        date: Datetime,
        options: &PdfOptions,
    ) -> Result<Vec<u8>, PdfError> {
        let standards = if options.pdf_a {
            PdfStandards::new(&[PdfStandard::A_2b])
                .map_err(|e| PdfError::Export(vec![e.message().to_string()]))?
        } else {
            PdfStandards::default()
        };
        let pdf_options = typst_pdf::PdfOptions {
            // The document identifier is derived from the form, not from a random source.
            ident: Smart::Custom(format!("jixiao/{}/{}", grid.kind.key(), grid.meta.title)),
            creator: Smart::Custom(Some(format!("jixiao {}", env!("CARGO_PKG_VERSION")))),
            timestamp: Some(Timestamp::new_utc(date)),
            standards,
            ..typst_pdf::PdfOptions::default()
        };
        let world = FormWorld::new(&self.shared, Vec::new(), date);
        typst_pdf::pdf(doc, &pdf_options)
            .map_err(|errors| PdfError::Export(describe(&world, &errors)))
    }
}

/// Whether something was placed below the bottom of the frame holding it: what Typst does,
/// without a warning, with the rows of an unbreakable chunk that is taller than its page (they
/// are drawn off the page, so a PDF reader never shows them).
pub fn overflows(doc: &PagedDocument) -> bool {
    use typst::layout::{Abs, Frame, FrameItem};
    fn walk(frame: &Frame) -> bool {
        let limit = frame.height() + Abs::pt(0.5);
        frame.items().any(|(pos, item)| match item {
            FrameItem::Group(g) => pos.y > limit || walk(&g.frame),
            FrameItem::Text(_) | FrameItem::Shape(..) | FrameItem::Image(..) => pos.y > limit,
            _ => false,
        })
    }
    doc.pages().iter().any(|p| walk(&p.frame))
}

/// The JSON the template reads: the Grid's own fields, each cell with its printed `text` (words
/// too long for the cell made breakable, see [`fit::breakable`]) and its `keep` flag, and
/// `print.measure`. In the measuring pass (`predicted` given), each cell also gets `measure`:
/// false when its line count is known.
fn grid_json(print: &PrintGrid, predicted: Option<&[Option<usize>]>) -> Result<Vec<u8>, PdfError> {
    let mut value = serde_json::to_value(&print.grid).map_err(|e| PdfError::Data(e.to_string()))?;
    if let Some(Value::Array(cells)) = value.get_mut("cells") {
        for (i, (cell, grid_cell)) in cells.iter_mut().zip(&print.grid.cells).enumerate() {
            if let Value::Object(map) = cell {
                let text = fit::breakable(&print.grid, grid_cell, &grid_cell.content.display());
                map.insert("text".into(), Value::String(text));
                map.insert("keep".into(), Value::Bool(print.keep[i]));
                if let Some(predicted) = predicted {
                    map.insert("measure".into(), Value::Bool(predicted[i].is_none()));
                }
            }
        }
    }
    if let Value::Object(map) = &mut value {
        // The drawing pass follows the plan: a table per page, and the sign-off on a page of
        // its own when planned so (the template's `form-table`).
        map.insert(
            "print".into(),
            json!({
                "measure": predicted.is_some(),
                "breaks": print.breaks,
                "signoff_page": print.signoff_page,
            }),
        );
        furniture_json(&print.grid, map);
    }
    serde_json::to_vec(&value).map_err(|e| PdfError::Data(e.to_string()))
}

/// The page furniture's texts with break opportunities in words too long for their line
/// ([`fit::breakable_line`]): the title and year line take the page's width, the line above
/// the table shares it between its parts, each sign-off part has its column.
fn furniture_json(grid: &Grid, map: &mut serde_json::Map<String, Value>) {
    let st = &grid.styles;
    let gutter = 2.0 * st.line.size;
    let line = |text: &str, style, share, gutter| {
        Value::String(fit::breakable_line(grid, text, style, share, gutter))
    };
    map.insert("title".into(), line(&grid.title, &st.title, 1.0, 0.0));
    map.insert("annex".into(), line(&grid.annex, &st.annex, 1.0, 0.0));
    map.insert(
        "year_line".into(),
        line(&grid.year_line, &st.year, 1.0, 0.0),
    );
    // The right part (金额单位) takes up to half the width when it is long.
    let right_share = if grid.amount_unit_line.is_empty() {
        0.0
    } else {
        0.5
    };
    map.insert(
        "unit_line".into(),
        line(
            &grid.unit_line,
            &st.line,
            1.0 - right_share,
            if right_share > 0.0 { gutter / 2.0 } else { 0.0 },
        ),
    );
    map.insert(
        "amount_unit_line".into(),
        line(
            &grid.amount_unit_line,
            &st.line,
            right_share.max(0.01),
            gutter / 2.0,
        ),
    );
    let columns = grid.signoff.len().max(1) as f64;
    let signoff: Vec<Value> = grid
        .signoff
        .iter()
        .map(|(label, value)| {
            json!([
                label,
                fit::breakable_line(grid, value, &st.line, 1.0 / columns, st.line.size)
            ])
        })
        .collect();
    map.insert("signoff".into(), Value::Array(signoff));
    let under: Vec<Value> = grid
        .under
        .iter()
        .map(|(l, r)| {
            json!([
                fit::breakable_line(grid, l, &st.line, 0.5, gutter / 2.0),
                fit::breakable_line(grid, r, &st.line, 0.5, gutter / 2.0)
            ])
        })
        .collect();
    map.insert("under".into(), Value::Array(under));
}

/// What the measuring pass reports: per cell a height, or none when it was not measured, and
/// the heights the others are computed from.
#[derive(Debug, Clone, serde::Deserialize)]
struct Reported {
    cells: Vec<Option<f64>>,
    #[serde(flatten)]
    heights: Heights,
}

impl Reported {
    /// The measurements of `grid`'s cells; see [`Heights::resolve`].
    fn resolve(&self, grid: &Grid, predicted: &[Option<usize>]) -> Option<Measurements> {
        self.heights.resolve(&self.cells, grid, predicted)
    }
}

/// The heights of one and of two lines by role, and of the blocks above and under the table:
/// all a form's heights need besides the cells that were measured.
#[derive(Debug, Clone, Default, serde::Deserialize)]
struct Heights {
    #[serde(default)]
    one_line: std::collections::BTreeMap<String, f64>,
    #[serde(default)]
    two_lines: std::collections::BTreeMap<String, f64>,
    head: f64,
    #[serde(default)]
    signoff: f64,
}

impl Heights {
    /// The measurements of `grid`'s cells: `measured[i]` when there is one, else computed from
    /// the predicted line count (the role's line height plus the line pitch for each further
    /// line). None when something needed is missing.
    fn resolve(
        &self,
        measured: &[Option<f64>],
        grid: &Grid,
        predicted: &[Option<usize>],
    ) -> Option<Measurements> {
        if predicted.len() != grid.cells.len() {
            return None;
        }
        let cells = (0..grid.cells.len())
            .map(
                |i| match (measured.get(i).copied().flatten(), predicted[i]) {
                    (Some(h), _) => Some(h),
                    (None, Some(n)) => {
                        let role = serde_json::to_value(grid.cells[i].role).ok()?;
                        let one = *self.one_line.get(role.as_str()?)?;
                        let two = *self.two_lines.get(role.as_str()?)?;
                        Some(one + (two - one) * (n as f64 - 1.0))
                    }
                    (None, None) => None,
                },
            )
            .collect::<Option<Vec<f64>>>()?;
        Some(Measurements {
            cells,
            head: self.head,
            signoff: self.signoff,
        })
    }

    /// Takes in another form's heights of the same shape (its roles may be others).
    fn add(&mut self, other: Heights) {
        self.one_line.extend(other.one_line);
        self.two_lines.extend(other.two_lines);
        (self.head, self.signoff) = (other.head, other.signoff);
    }
}

/// What the template's measuring pass reported; none when it reported nothing usable.
fn read_reported(doc: &PagedDocument) -> Option<Reported> {
    let label = typst::foundations::Label::new(PicoStr::intern(MEASURE_LABEL))?;
    let content = doc.introspector().query_label(label).ok()?;
    let meta = content.to_packed::<MetadataElem>()?;
    let json = serde_json::to_value(&meta.value).ok()?;
    serde_json::from_value(json).ok()
}

fn no_measurements() -> PdfError {
    PdfError::Template(vec![
        "the template's measuring pass gave no usable measurements".into(),
    ])
}

/// Typst's diagnostics as `form.typ:LINE:COL: message (hint: …)`.
fn describe(world: &FormWorld<'_>, errors: &[SourceDiagnostic]) -> Vec<String> {
    errors
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let place = d.span.id().and_then(|id| {
                let range = world.range(d.span)?;
                let source = typst::World::source(world, id).ok()?;
                let (line, col) = source.lines().byte_to_line_column(range.start)?;
                Some(format!(
                    "{}:{}:{}: ",
                    id.get().vpath().get_without_slash(),
                    line + 1,
                    col + 1
                ))
            });
            let mut text = format!("{}{}", place.unwrap_or_default(), d.message);
            // Hints about the typst command line (`--root`) do not apply to jixiao.
            for hint in d.hints.iter().filter(|h| !h.v.contains("--")) {
                text.push_str(&format!(" (hint: {})", hint.v));
            }
            text
        })
        .collect()
}

/// The document's date: the sign-off date (`2023-01-10`), else `SOURCE_DATE_EPOCH`, else
/// [`FALLBACK_DATE`]. Never the clock.
pub fn document_date(grid: &Grid) -> Datetime {
    grid.meta
        .date
        .as_deref()
        .and_then(parse_date)
        .or_else(source_date_epoch)
        .or_else(|| Datetime::from_ymd(FALLBACK_DATE.0, FALLBACK_DATE.1, FALLBACK_DATE.2))
        .expect("the fallback date is valid")
}

/// Reads `2023-01-10`, `2023/1/10`, `2023.01.10` or `2023年1月10日`.
pub fn parse_date(text: &str) -> Option<Datetime> {
    let parts: Vec<&str> = text
        .trim()
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    Datetime::from_ymd(
        y.trim().parse().ok()?,
        m.trim().parse().ok()?,
        d.trim().parse().ok()?,
    )
}

fn source_date_epoch() -> Option<Datetime> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm), UTC.
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = i32::try_from(yoe + era * 400 + i64::from(month <= 2)).ok()?;
    // A date, like the sign-off date: the time of day would add nothing to a form.
    Datetime::from_ymd(year, month, day)
}

/// The text of every page of a laid-out document, in reading order per text run (for tests
/// and for checking that every cell was drawn without going through a PDF reader).
pub fn page_texts(doc: &PagedDocument) -> Vec<String> {
    use typst::layout::{Frame, FrameItem};
    fn walk(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, out),
                FrameItem::Text(t) => {
                    out.push_str(&t.text);
                    out.push('\n');
                }
                _ => {}
            }
        }
    }
    doc.pages()
        .iter()
        .map(|p| {
            let mut s = String::new();
            walk(&p.frame, &mut s);
            s
        })
        .collect()
}
