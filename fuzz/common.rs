#![allow(dead_code)] // each target uses its own half of this file
//! What the fuzz targets run, shared with `tests/fuzz_regressions.rs` (included there with
//! `#[path]`), so a committed regression input replays exactly the code path that crashed.

use jixiao::declaration::value::{IndicatorValue, Quantity};
use jixiao::validate::{self, GlyphCoverage};

/// Every character drawable: the fuzzers look for panics, not for missing glyphs, and the
/// layout stage is only reached by declarations without errors.
pub struct AllGlyphs;

impl GlyphCoverage for AllGlyphs {
    fn covers(&self, _: char) -> bool {
        true
    }
}

/// Parse → validate → (layout when there is no error), as `jixiao check` and `render` do.
pub fn parse_validate_layout(text: &str) {
    let outcome = jixiao::declaration::parse(text);
    let Some(decl) = outcome.declaration else {
        // A file whose shape could not be read must say why.
        assert!(
            !outcome.diagnostics.is_empty(),
            "no declaration and no diagnostic"
        );
        return;
    };
    let mut diagnostics = outcome.diagnostics;
    diagnostics.extend(validate::validate(&decl, &AllGlyphs));
    for d in &diagnostics {
        // Every diagnostic points into the file (1-based).
        assert!(d.loc.line >= 1 && d.loc.column >= 1, "{d:?}");
        assert!(!d.zh.is_empty() && !d.en.is_empty(), "{d:?}");
    }
    if diagnostics.iter().any(|d| d.is_error()) {
        // The renderer never lays out a file with an error.
        return;
    }
    let grid = jixiao::layouts::build_default(&decl);
    check_grid(&grid);
    // A declaration without errors must render: the XLSX writer is cheap enough to run on
    // every input (the PDF engine is not, at tens of milliseconds a form).
    if let Err(e) = jixiao::xlsx::write(&grid) {
        panic!("a declaration without errors fails in the XLSX writer: {e}");
    }
}

/// The Grid's contract (layout/grid.rs): every slot of the table is covered by exactly one
/// cell, cells come in reading order, and the row ranges it names lie inside the table. Both
/// renderers index by these numbers, so a broken Grid is a crash or a garbled form later.
pub fn check_grid(grid: &jixiao::layout::Grid) {
    let cols = grid.columns_mm.len();
    assert!(cols > 0, "a grid without columns");
    assert!(
        grid.columns_mm.iter().all(|w| w.is_finite() && *w > 0.0),
        "{:?}",
        grid.columns_mm
    );
    let mut covered = vec![0u8; grid.rows * cols];
    let mut previous = None;
    for c in &grid.cells {
        assert!(c.rowspan >= 1 && c.colspan >= 1, "empty span: {c:?}");
        assert!(
            c.last_row() < grid.rows && c.last_col() < cols,
            "cell outside the table: {c:?}"
        );
        assert!(
            previous < Some((c.row, c.col)),
            "cells out of reading order at {c:?}"
        );
        previous = Some((c.row, c.col));
        for r in c.row..=c.last_row() {
            for k in c.col..=c.last_col() {
                covered[r * cols + k] += 1;
            }
        }
        let _ = c.content.display();
    }
    if let Some(slot) = covered.iter().position(|n| *n != 1) {
        panic!(
            "slot (row {}, col {}) covered {} times",
            slot / cols,
            slot % cols,
            covered[slot]
        );
    }
    for g in &grid.groups {
        assert!(
            g.start < g.end && g.end <= grid.rows,
            "group outside the table: {g:?}"
        );
    }
    if let Some((a, b)) = grid.repeat_rows {
        assert!(
            a < b && b <= grid.rows,
            "repeat rows outside the table: {a}..{b}"
        );
    }
}

/// The 指标值 parser accepts any text, and what it prints reads back as the same target:
/// a printed form that a re-read would understand differently is a form that lies.
pub fn indicator_value_round_trip(text: &str) {
    let v = IndicatorValue::parse(text);
    let printed = v.display();
    let again = IndicatorValue::parse(&printed);
    assert_eq!(
        again.comparator, v.comparator,
        "comparator changed: {text:?} printed as {printed:?}"
    );
    match (&v.quantity, &again.quantity) {
        (Quantity::Number { value: a, unit: ua }, Quantity::Number { value: b, unit: ub }) => {
            assert_eq!(a, b, "number changed: {text:?} printed as {printed:?}");
            assert_eq!(ua, ub, "unit changed: {text:?} printed as {printed:?}");
        }
        (a, b) => assert_eq!(a, b, "quantity changed: {text:?} printed as {printed:?}"),
    }
    // Printing is a fixed point: printing the re-read value gives the same text.
    assert_eq!(
        again.display(),
        printed,
        "display is not stable for {text:?}"
    );
    let _ = (v.nature(), v.number(), v.unit(), v.is_empty());
}

/// The `--font-dir` loader on one file's bytes: whatever it hands on to Typst is within the
/// bounds (faces per file, code points per face), and the parts of a face Typst reads while
/// laying out and embedding text (glyph lookup, advances, outlines, metrics) can be read.
pub fn font_loader(data: &[u8]) {
    use jixiao::fonts::{MAX_CMAP_CODE_POINTS, MAX_FACES_PER_FILE, faces};
    let (fonts, skipped) = faces(data.to_vec());
    assert!(fonts.len() <= MAX_FACES_PER_FILE as usize);
    for font in &fonts {
        let listed = font
            .info()
            .coverage
            .iter()
            .take(MAX_CMAP_CODE_POINTS as usize + 1)
            .count();
        assert!(
            listed as u64 <= MAX_CMAP_CODE_POINTS,
            "{listed} code points passed the check"
        );
        // What Typst does before laying text out with a face: metrics, math constants, variations.
        let instance = font.clone().instantiate(
            font.info().variant,
            typst::layout::Abs::pt(12.0),
            &typst::text::FontVariations::default(),
        );
        let _ = instance.metrics();
        let ttf = instance.ttf();
        for c in ['A', 'g', '0', '国', '≥', '（'] {
            if let Some(glyph) = ttf.glyph_index(c) {
                let _ = ttf.glyph_hor_advance(glyph);
                let _ = ttf.glyph_bounding_box(glyph);
            }
        }
    }
    for skip in skipped {
        let warning = jixiao::fonts::FontWarning {
            path: "x.ttf".into(),
            skip,
        };
        assert!(
            warning
                .message(jixiao::diagnostic::Lang::En)
                .starts_with("x.ttf: ")
        );
    }
}

/// Arbitrary text as a layout definition (`layout: ./x.yaml`, `--layout`): `load` answers with
/// located problems, or a layout that lays out the seed declarations of its form into a Grid
/// that keeps the contract and that the XLSX writer takes. (A definition is the bureau's text,
/// not the program's: it must never crash the run of every department that uses it.)
pub fn layout_definition(text: &str) {
    use jixiao::declaration::FormKind;
    let layout = match jixiao::layouts::load(text, "fuzz.yaml", None) {
        Ok(layout) => layout,
        Err(e) => {
            assert!(
                !e.problems.is_empty(),
                "a refused definition without a problem"
            );
            for p in &e.problems {
                assert!(p.loc.line >= 1 && p.loc.column >= 1, "{p:?}");
                assert!(!p.zh.is_empty() && !p.en.is_empty(), "{p:?}");
            }
            return;
        }
    };
    let seed = match layout.kind {
        FormKind::Project => include_str!("../data/chaisang-2023-project.yaml"),
        FormKind::Department => include_str!("../data/chaisang-2023-department.yaml"),
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval => return,
    };
    let decl = jixiao::declaration::parse(seed)
        .declaration
        .expect("the seed parses");
    match jixiao::layouts::build(&decl, &layout) {
        Ok(grid) => {
            check_grid(&grid);
            if let Err(e) = jixiao::xlsx::write(&grid) {
                panic!("a layout that loads fails in the XLSX writer: {e}");
            }
        }
        Err(p) => assert!(p.loc.line >= 1 && !p.en.is_empty(), "{p:?}"),
    }
}
