//! The XLSX of both seed forms, read back (calamine for values, merges and styles; the sheet XML
//! for row heights, print titles and page setup) and compared with the Grid it came from.

use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read};

use calamine::{BorderStyle, Data, HorizontalAlignment, Reader, Xlsx};
use jixiao::declaration::{self, Declaration};
use jixiao::layout::{Content, Grid, Role};
use jixiao::layouts;
use jixiao::xlsx::{self, TABLE_TOP};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

const PROJECT: &str = "data/chaisang-2023-project.yaml";
const DEPARTMENT: &str = "data/chaisang-2023-department.yaml";

fn declaration(yaml: &str) -> Declaration {
    let outcome = declaration::parse(yaml);
    outcome.declaration.expect("the declaration parses")
}

fn grid_of(path: &str) -> Grid {
    layouts::build_default(&declaration(&std::fs::read_to_string(path).unwrap()))
}

fn workbook(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes.to_vec())).expect("the workbook opens")
}

/// A part of the XLSX package as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut file = zip
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} is in the package"));
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

/// Every element named `tag` in `xml`: its attributes and its text.
fn elements(xml: &str, tag: &str) -> Vec<(HashMap<String, String>, String)> {
    use quick_xml::events::{BytesStart, Event};
    fn attributes(e: &BytesStart<'_>) -> HashMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value().unwrap().into_owned(),
                )
            })
            .collect()
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut inside = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == tag.as_bytes() => {
                out.push((attributes(&e), String::new()));
                inside = true;
            }
            Event::Empty(e) if e.name().as_ref() == tag.as_bytes() => {
                out.push((attributes(&e), String::new()))
            }
            Event::Text(t) if inside => out.last_mut().unwrap().1.push_str(&t.unescape().unwrap()),
            Event::End(e) if e.name().as_ref() == tag.as_bytes() => inside = false,
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn decimal_f64(v: Decimal) -> f64 {
    v.to_f64().unwrap()
}

/// The value calamine must read for a Grid cell.
fn expected_value(content: &Content) -> Data {
    match content {
        Content::Blank => Data::Empty,
        Content::Text(_) | Content::Check(_) => Data::String(content.display()),
        Content::Amount(v) | Content::Money { value: v, .. } => Data::Float(decimal_f64(*v)),
        Content::Percent(v) => Data::Float(decimal_f64(*v / Decimal::ONE_HUNDRED)),
        Content::Count(n) => Data::Float(f64::from(*n)),
    }
}

/// Reads one form back and compares it with its Grid.
fn compare(path: &str) {
    let grid = grid_of(path);
    compare_grid(path, &grid);
}

/// Reads the workbook of `grid` back and compares it with the Grid.
fn compare_grid(path: &str, grid: &Grid) {
    let bytes = xlsx::write(grid).unwrap();
    let sheet = xlsx::sheet_name(grid);
    let plan = xlsx::plan(grid);
    let mut wb = workbook(&bytes);
    assert_eq!(
        wb.sheet_names(),
        vec![sheet.clone(), xlsx::DETAIL_SHEET.to_string()]
    );

    // Merged ranges: exactly the Grid's spanning cells (in the table's rows).
    let merges: BTreeSet<((u32, u32), (u32, u32))> = wb
        .merge_cells_by_sheet_name(&sheet)
        .unwrap()
        .into_iter()
        .map(|d| (d.start, d.end))
        .filter(|(start, _)| {
            (start.0 as usize) >= TABLE_TOP && (start.0 as usize) < plan.first[grid.rows]
        })
        .collect();
    let expected: BTreeSet<((u32, u32), (u32, u32))> = grid
        .cells
        .iter()
        .filter(|c| {
            let (first, last) = plan.rows_of(c);
            last > first || c.colspan > 1
        })
        .map(|c| {
            let (first, last) = plan.rows_of(c);
            (
                (first as u32, c.col as u32),
                (last as u32, c.last_col() as u32),
            )
        })
        .collect();
    assert_eq!(merges, expected, "{path}: merged ranges");

    // Values: texts as strings, amounts, rates and counts as numbers.
    let range = wb.worksheet_range(&sheet).unwrap();
    let value = |r: usize, c: usize| {
        range
            .get_value((r as u32, c as u32))
            .cloned()
            .unwrap_or(Data::Empty)
    };
    assert_eq!(value(0, 0), Data::String(grid.title.clone()));
    assert_eq!(value(1, 0), Data::String(grid.year_line.clone()));
    assert_eq!(value(2, 0), Data::String(grid.unit_line.clone()));
    let mut amounts = 0;
    for cell in &grid.cells {
        let got = value(plan.rows_of(cell).0, cell.col);
        let want = expected_value(&cell.content);
        match (&got, &want) {
            (Data::Float(a), Data::Float(b)) => {
                assert!((a - b).abs() < 1e-12, "{path} {cell:?}: {a} != {b}")
            }
            _ => assert_eq!(got, want, "{path}: cell {cell:?}"),
        }
        if matches!(cell.content, Content::Amount(_)) {
            assert!(
                matches!(got, Data::Float(_)),
                "an amount is stored as a number"
            );
            amounts += 1;
        }
    }
    assert!(amounts >= 2, "{path}: the seed form has amounts");

    // Styles: fonts by role, borders on every slot of every cell, number formats.
    let styles = wb.worksheet_style(&sheet).unwrap();
    let title = styles.get((0, 0)).and_then(|s| s.font.clone()).unwrap();
    assert_eq!(
        (title.name.as_deref(), title.size, title.is_bold()),
        (Some(xlsx::HEADING_FONT), Some(18.0), true)
    );
    let year = styles.get((1, 0)).and_then(|s| s.font.clone()).unwrap();
    assert_eq!(
        (year.name.as_deref(), year.size),
        (Some(xlsx::BODY_FONT), Some(14.0))
    );
    for cell in &grid.cells {
        let top = (plan.rows_of(cell).0 as u32, cell.col as u32);
        let style = styles
            .get(top)
            .unwrap_or_else(|| panic!("{path}: no style at {top:?}"));
        let font = style.font.as_ref().unwrap();
        let (name, bold) = if cell.role == Role::Header {
            (xlsx::HEADING_FONT, true)
        } else {
            (xlsx::BODY_FONT, false)
        };
        assert_eq!(
            (font.name.as_deref(), font.size, font.is_bold()),
            (Some(name), Some(10.5), bold),
            "{cell:?}"
        );
        let align = style.alignment.as_ref().unwrap();
        let want = match cell.role {
            Role::LongText => HorizontalAlignment::Left,
            Role::Amount => HorizontalAlignment::Right,
            _ => HorizontalAlignment::Center,
        };
        assert_eq!(align.horizontal, want, "{cell:?}");
        assert!(align.wrap_text, "{cell:?} wraps");
        match cell.content {
            Content::Amount(_) => {
                assert_eq!(style.number_format.as_ref().unwrap().format_code, "0.00")
            }
            Content::Percent(_) => {
                assert_eq!(style.number_format.as_ref().unwrap().format_code, "0.00%")
            }
            _ => {}
        }
        let (first, last) = plan.rows_of(cell);
        for r in first..=last {
            for c in cell.col..=cell.last_col() {
                let b = styles
                    .get((r as u32, c as u32))
                    .and_then(|s| s.borders.clone());
                let b = b.unwrap_or_else(|| panic!("{path}: no borders at ({r},{c})"));
                for side in [&b.left, &b.right, &b.top, &b.bottom] {
                    assert_eq!(side.style, BorderStyle::Thin, "{path}: border at ({r},{c})");
                }
            }
        }
    }

    // Row heights: every row of the sheet has an explicit one, as computed.
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    let heights = &plan.heights;
    let rows = elements(&xml, "row");
    assert_eq!(rows.len(), heights.len(), "{path}: one <row> per sheet row");
    for (i, (attrs, _)) in rows.iter().enumerate() {
        assert_eq!(
            attrs.get("r").map(String::as_str),
            Some((i + 1).to_string().as_str())
        );
        assert_eq!(
            attrs.get("customHeight").map(String::as_str),
            Some("1"),
            "{path}: row {}",
            i + 1
        );
        let ht: f64 = attrs["ht"].parse().unwrap();
        // Stored in whole pixels (0.75 pt).
        assert!(
            (ht - heights[i]).abs() <= 0.75,
            "{path}: row {} is {ht} pt, computed {}",
            i + 1,
            heights[i]
        );
    }
    // A wrapped long text gets more than one line's height.
    assert!(heights.iter().any(|h| *h > 30.0));

    // Page setup: A4 portrait, one page wide, centred, footer, margins.
    let setup = &elements(&xml, "pageSetup")[0].0;
    assert_eq!(setup.get("paperSize").map(String::as_str), Some("9"));
    assert_eq!(
        setup.get("orientation").map(String::as_str),
        Some("portrait")
    );
    assert_eq!(setup.get("fitToHeight").map(String::as_str), Some("0"));
    assert_eq!(
        elements(&xml, "pageSetUpPr")[0]
            .0
            .get("fitToPage")
            .map(String::as_str),
        Some("1")
    );
    assert_eq!(
        elements(&xml, "printOptions")[0]
            .0
            .get("horizontalCentered")
            .map(String::as_str),
        Some("1")
    );
    assert_eq!(elements(&xml, "oddFooter")[0].1, "&C第 &P 页 共 &N 页");
    let margins = &elements(&xml, "pageMargins")[0].0;
    let left: f64 = margins["left"].parse().unwrap();
    assert!((left * 25.4 - grid.page.margin_left_mm).abs() < 0.01);

    // Print titles (the indicator header row) and print area, in the workbook's defined names.
    let names: HashMap<String, String> = elements(&part(&bytes, "xl/workbook.xml"), "definedName")
        .into_iter()
        .filter(|(a, _)| a.get("localSheetId").map(String::as_str) == Some("0"))
        // Excel quotes a sheet name only when it must; compare without the quotes.
        .map(|(a, text)| (a["name"].clone(), text.replace('\'', "")))
        .collect();
    let (header, _) = grid.repeat_rows.unwrap();
    let header_row = plan.first[header] + 1;
    assert_eq!(
        names["_xlnm.Print_Titles"],
        format!("{sheet}!${header_row}:${header_row}")
    );
    let last_col = (b'A' + grid.columns_mm.len() as u8 - 1) as char;
    assert_eq!(
        names["_xlnm.Print_Area"],
        format!("{sheet}!$A$1:${last_col}${}", heights.len())
    );

    // Column widths follow the Grid's millimetres (at 96 px per inch).
    // (rust_xlsxwriter stores pixels ÷ 7, the max digit width of the default Calibri 11.)
    let mut widths_px = vec![0u32; grid.columns_mm.len()];
    for (attrs, _) in elements(&xml, "col") {
        let (min, max): (usize, usize) =
            (attrs["min"].parse().unwrap(), attrs["max"].parse().unwrap());
        let width: f64 = attrs["width"].parse().unwrap();
        for px in &mut widths_px[min - 1..max] {
            *px = (width * 7.0).round() as u32;
        }
    }
    let want_px: Vec<u32> = grid
        .columns_mm
        .iter()
        .map(|mm| (mm * 96.0 / 25.4).round() as u32)
        .collect();
    assert_eq!(widths_px, want_px, "{path}: column widths");

    // The indicator sheet: one row per indicator under a frozen, filtered header.
    let detail = wb.worksheet_range(xlsx::DETAIL_SHEET).unwrap();
    assert_eq!(detail.height(), grid.indicators.len() + 1);
    let header_names: Vec<String> = (0..9)
        .map(|c| detail.get_value((0, c)).unwrap().to_string())
        .collect();
    let want: Vec<&str> = xlsx::DETAIL_COLUMNS.iter().map(|(n, _)| *n).collect();
    assert_eq!(header_names, want);
    for (i, ind) in grid.indicators.iter().enumerate() {
        let r = (i + 1) as u32;
        assert_eq!(
            detail.get_value((r, 2)),
            Some(&Data::String(ind.name.clone()))
        );
        assert_eq!(
            detail.get_value((r, 3)),
            Some(&Data::String(ind.nature.clone()))
        );
        let want = match ind.number {
            Some(n) => Data::Float(decimal_f64(n)),
            None => Data::String(ind.value.clone()),
        };
        assert_eq!(detail.get_value((r, 4)), Some(&want));
        assert_eq!(
            detail.get_value((r, 8)),
            Some(&Data::String(ind.written.clone()))
        );
    }
    let detail_xml = part(&bytes, "xl/worksheets/sheet2.xml");
    let pane = &elements(&detail_xml, "pane")[0].0;
    assert_eq!(
        (pane["ySplit"].as_str(), pane["state"].as_str()),
        ("1", "frozen")
    );
    let filter = &elements(&detail_xml, "autoFilter")[0].0;
    assert_eq!(filter["ref"], format!("A1:I{}", grid.indicators.len() + 1));
}

#[test]
fn project_workbook_matches_its_grid() {
    compare(PROJECT);
}

#[test]
fn department_workbook_matches_its_grid() {
    compare(DEPARTMENT);
    // The seed's specific numbers, as numbers.
    let grid = grid_of(DEPARTMENT);
    let bytes = xlsx::write(&grid).unwrap();
    let mut wb = workbook(&bytes);
    let range = wb.worksheet_range(&xlsx::sheet_name(&grid)).unwrap();
    let plan = xlsx::plan(&grid);
    let rate = range.get_value((plan.first[10] as u32, 7)).unwrap();
    assert_eq!(rate, &Data::Float(3.9725));
    let total = range.get_value((plan.first[12] as u32, 4)).unwrap();
    assert_eq!(total, &Data::Float(1203.78));
}

#[test]
fn a_row_taller_than_excel_allows_spreads_over_several_sheet_rows() {
    // A 年度总体目标 of 2,400 characters needs about 64 lines: far more than 409 pt.
    let long = "为新开办企业提供免费刻章，每户四枚章200元，预计全年新开办企业7500户。".repeat(60);
    let yaml = std::fs::read_to_string(PROJECT)
        .unwrap()
        .replace("goal: 为新开办企业", &format!("goal: {long} # "));
    let grid = layouts::build_default(&declaration(&yaml));
    let plan = xlsx::plan(&grid);
    let goal = grid.cells.iter().find(|c| matches!(&c.content, Content::Text(t) if t.starts_with("为新开办企业提供免费刻章，"))).unwrap();
    let (first, last) = plan.rows_of(goal);
    assert!(last > first, "the goal row takes several sheet rows");
    assert!(plan.heights.iter().all(|h| *h <= xlsx::MAX_ROW_PT));
    let have: f64 = plan.heights[first..=last].iter().sum();
    assert!(have >= xlsx::needed_height(&grid, goal) && have > 2.0 * xlsx::MAX_ROW_PT * 0.9);
    // Read back: the label and the text are merged down over those rows, all else as usual.
    compare_grid("long goal", &grid);
}

#[test]
fn identical_input_gives_identical_bytes() {
    for path in [PROJECT, DEPARTMENT] {
        let a = xlsx::write(&grid_of(path)).unwrap();
        let b = xlsx::write(&grid_of(path)).unwrap();
        assert!(a == b, "{path}: two writes differ");
    }
}

#[test]
fn formula_looking_text_stays_a_string() {
    let yaml = std::fs::read_to_string(PROJECT)
        .unwrap()
        .replace("goal: 为新开办企业", "goal: \"=1+1\" # ")
        .replace(
            "implementer: 区行政审批局",
            "implementer: \"=HYPERLINK(\\\"http://x\\\")\"",
        );
    let grid = layouts::build_default(&declaration(&yaml));
    let bytes = xlsx::write(&grid).unwrap();
    let mut wb = workbook(&bytes);
    let range = wb.worksheet_range(&xlsx::sheet_name(&grid)).unwrap();
    let goal_row = grid
        .cells
        .iter()
        .find(|c| c.content.display() == "年度总体目标")
        .unwrap()
        .row;
    let plan = xlsx::plan(&grid);
    assert_eq!(
        range.get_value((plan.first[goal_row] as u32, 1)),
        Some(&Data::String("=1+1".into()))
    );
    assert_eq!(
        range.get_value((plan.first[1] as u32, 4)),
        Some(&Data::String("=HYPERLINK(\"http://x\")".into()))
    );
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(elements(&xml, "f").is_empty(), "no formula in the sheet");
}

#[test]
fn render_writes_both_workbooks_and_skips_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    for path in [PROJECT, DEPARTMENT] {
        std::fs::copy(
            path,
            inputs.join(std::path::Path::new(path).file_name().unwrap()),
        )
        .unwrap();
    }
    std::fs::write(inputs.join("broken.yaml"), "form: project\nyear: [oops\n").unwrap();
    let out = dir.path().join("out/nested");
    let status = jixiao::app::render(&jixiao::app::RenderOptions {
        paths: vec![inputs.clone()],
        out_dir: out.clone(),
        outputs: jixiao::app::Outputs::Xlsx,
        ..Default::default()
    });
    assert_eq!(status, jixiao::app::exit::FAILED, "one file has errors");
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "chaisang-2023-department.xlsx",
            "chaisang-2023-project.xlsx"
        ]
    );
    // What render wrote is what the writer makes of the Grid.
    let bytes = std::fs::read(out.join("chaisang-2023-project.xlsx")).unwrap();
    // Render plans the pages once (the PDF engine's measurement) and the XLSX follows the plan.
    let mut planned = grid_of(PROJECT);
    planned.plan = Some(
        jixiao::pdf::Engine::new(jixiao::pdf::FontSet::bundled(), None)
            .plan(&planned)
            .unwrap(),
    );
    assert!(bytes == xlsx::write(&planned).unwrap());

    // A missing input is a failed file (its `input.missing` error), and nothing is written for it.
    let status = jixiao::app::render(&jixiao::app::RenderOptions {
        paths: vec![dir.path().join("nope.yaml")],
        out_dir: out.clone(),
        outputs: jixiao::app::Outputs::Xlsx,
        ..Default::default()
    });
    assert_eq!(status, jixiao::app::exit::FAILED);
    assert!(!out.join("nope.xlsx").exists());
}
