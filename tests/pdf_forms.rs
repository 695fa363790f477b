//! The PDF of the forms in data/: it compiles, has the expected pages, prints every cell
//! of the Grid, embeds subset fonts only, carries the form's title and author, and is the same
//! bytes every time.

mod pdf_common;

use jixiao::layout::Grid;
use jixiao::pdf::{Engine, FontSet, PdfOptions};
use pdf_common::*;

const SEEDS: [&str; 2] = ["chaisang-2023-project", "chaisang-2023-department"];

fn render(grid: &Grid) -> Vec<u8> {
    engine()
        .render(grid, &PdfOptions::default())
        .expect("the seed form renders")
}

#[test]
fn seed_forms_have_the_expected_page_count() {
    // The project form fits one page; the department form's indicator block goes to a second.
    assert_eq!(page_count(&render(&seed_grid("chaisang-2023-project"))), 1);
    assert_eq!(
        page_count(&render(&seed_grid("chaisang-2023-department"))),
        2
    );
}

#[test]
fn every_cell_text_of_the_grid_is_printed() {
    for name in SEEDS {
        let grid = seed_grid(name);
        let pdf = render(&grid);
        let text = squash(&pdf_text(&pdf));
        let mut checked = 0;
        for cell in &grid.cells {
            let printed = squash(&cell.content.display());
            if printed.is_empty() {
                continue;
            }
            assert!(
                text.contains(&printed),
                "{name}: cell {},{} {printed:?} is not in the PDF text",
                cell.row,
                cell.col
            );
            checked += 1;
        }
        assert!(checked > 40, "{name}: only {checked} cells checked");
        for line in [
            &grid.title,
            &grid.year_line,
            &grid.unit_line,
            &grid.amount_unit_line,
        ] {
            assert!(
                text.contains(&squash(line)),
                "{name}: {line:?} is not printed"
            );
        }
        let pages = page_count(&pdf);
        assert!(
            text.contains(&format!("第1页共{pages}页")),
            "{name}: no page footer"
        );
    }
}

#[test]
fn every_cell_text_is_in_the_laid_out_frames() {
    // The same check without a PDF reader: the text runs of Typst's own frames.
    let grid = seed_grid("chaisang-2023-department");
    let doc = engine()
        .layout(&grid, jixiao::pdf::document_date(&grid))
        .unwrap();
    let text = squash(&jixiao::pdf::page_texts(&doc).concat());
    for cell in &grid.cells {
        let printed = squash(&cell.content.display());
        assert!(
            text.contains(&printed),
            "cell {},{} {printed:?} missing from the frames",
            cell.row,
            cell.col
        );
    }
}

#[test]
fn fonts_are_embedded_and_subset() {
    for name in SEEDS {
        let pdf = render(&seed_grid(name));
        let listing = pdf_fonts(&pdf);
        let rows: Vec<&str> = listing
            .lines()
            .skip(2)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(
            rows.len() >= 2,
            "{name}: body and heading faces expected:\n{listing}"
        );
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let font = cols[0];
            let (prefix, base) = font
                .split_once('+')
                .unwrap_or_else(|| panic!("{name}: {font} is not a subset name"));
            assert!(
                prefix.len() == 6 && prefix.chars().all(|c| c.is_ascii_uppercase()),
                "{font}"
            );
            assert!(
                base.starts_with("NotoSerifSC") || base.starts_with("NotoSansSC"),
                "{name}: unexpected font {font}"
            );
            // name type… encoding emb sub uni id gen: the three flags before the object id.
            let n = cols.len();
            assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{name}: {row}");
        }
        // Subsetting keeps the file small: the bundled faces are 10–15 MB each.
        assert!(pdf.len() < 400_000, "{name}: {} bytes", pdf.len());
    }
}

#[test]
fn title_and_author_come_from_the_form() {
    let grid = seed_grid("chaisang-2023-project");
    let info = poppler_info(&render(&grid));
    assert!(
        info.contains(&format!("Title:           {}", grid.meta.title)),
        "{info}"
    );
    assert!(
        info.contains(&format!("Author:          {}", grid.meta.author)),
        "{info}"
    );
    assert!(grid.meta.title.contains("新开办企业免费刻章"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    for name in SEEDS {
        let grid = seed_grid(name);
        let a = render(&grid);
        let b = render(&grid);
        // A second engine (a second run) with its own font set gives the same bytes too.
        let other = Engine::new(FontSet::with_dirs(&[]).unwrap(), None);
        let c = other.render(&grid, &PdfOptions::default()).unwrap();
        assert!(a == b && b == c, "{name}: renders differ");
    }
}

#[test]
fn the_date_comes_from_the_sign_off_never_the_clock() {
    let mut grid = seed_grid("chaisang-2023-project");
    grid.meta.date = Some("2023-01-10".into());
    let info = poppler_info(&render(&grid));
    assert!(
        info.contains("CreationDate:    Tue Jan 10 00:00:00 2023 UTC"),
        "{info}"
    );
    assert_eq!(
        jixiao::pdf::parse_date("2023年1月10日"),
        jixiao::pdf::parse_date("2023-01-10")
    );
    assert_eq!(jixiao::pdf::parse_date("不详"), None);
}

#[test]
fn sign_off_line_is_printed_under_the_table() {
    let mut grid = seed_grid("chaisang-2023-project");
    grid.signoff = vec![
        ("填报人".into(), "费雪松".into()),
        ("联系电话".into(), "0792-1234567".into()),
        ("单位负责人".into(), "张三".into()),
        ("填报日期".into(), "2023-01-10".into()),
    ];
    let text = squash(&pdf_text(&render(&grid)));
    for part in [
        "填报人：费雪松",
        "联系电话：0792-1234567",
        "单位负责人：张三",
        "填报日期：2023-01-10",
    ] {
        assert!(text.contains(part), "{part} not printed");
    }
    // Under the table: after the last indicator.
    assert!(text.find("填报人：").unwrap() > text.find("刻章企业满意度").unwrap());
}

#[test]
fn pdf_a_2b_export_declares_its_conformance() {
    let pdf = engine()
        .render(
            &seed_grid("chaisang-2023-department"),
            &PdfOptions {
                pdf_a: true,
                ..PdfOptions::default()
            },
        )
        .unwrap();
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("pdfaid:part>2<") || raw.contains("pdfaid:part=\"2\""),
        "no PDF/A part 2 in the XMP"
    );
    assert!(raw.contains("pdfaid:conformance>B<") || raw.contains("pdfaid:conformance=\"B\""));
    let plain = render(&seed_grid("chaisang-2023-department"));
    assert!(!String::from_utf8_lossy(&plain).contains("pdfaid:part"));
}

#[test]
fn page_setup_comes_from_the_grid() {
    let mut grid = seed_grid("chaisang-2023-project");
    let info = poppler_info(&render(&grid));
    assert!(
        info.contains("Page size:       595.276 x 841.89 pts (A4)"),
        "{info}"
    );
    grid.page.orientation = jixiao::layout::Orientation::Landscape;
    // Wider paper, wider table: the columns grow with it.
    let scale = grid.page.content_width_mm() / grid.columns_mm.iter().sum::<f64>();
    grid.columns_mm.iter_mut().for_each(|w| *w *= scale);
    let pdf = render(&grid);
    let info = poppler_info(&pdf);
    assert!(
        info.contains("Page size:       841.89 x 595.276 pts (A4)"),
        "{info}"
    );
    let text = squash(&pdf_text(&pdf));
    assert!(text.contains("刻章企业满意度"));
}

#[test]
fn a_form_over_the_page_limit_is_refused_with_its_page_count() {
    let grid = seed_grid("chaisang-2023-department");
    let two = PdfOptions {
        max_pages: 2,
        ..PdfOptions::default()
    };
    assert!(
        engine().render(&grid, &two).is_ok(),
        "two pages are within a limit of two"
    );
    let one = PdfOptions {
        max_pages: 1,
        ..PdfOptions::default()
    };
    let err = engine().render(&grid, &one).unwrap_err();
    assert_eq!(
        err,
        jixiao::pdf::PdfError::TooManyPages { pages: 2, limit: 1 }
    );
    assert!(
        err.to_string().contains("2 pages") && err.to_string().contains("超过上限 1 页"),
        "{err}"
    );
}

/// Every target-form example in data/, planned as `render` plans it: the repeated indicator
/// header is never alone at a page foot, and no page under it starts with rows that are not
/// its table's (hunan-2017's review box once went over alone, under a header heading nothing).
#[test]
fn the_plans_of_the_examples_keep_the_repeated_header_with_its_table() {
    let mut checked = 0;
    for entry in std::fs::read_dir(data_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".yaml") || name.contains("selfeval") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let decl = jixiao::declaration::parse(&text).declaration.unwrap();
        let grid = jixiao::layouts::grid_for(&decl, &path, None).expect("lays out");
        let Some((hs, he)) = grid.repeat_rows else {
            continue;
        };
        let plan = engine().plan(&grid).expect("plans");
        let mut start = 0;
        for &b in &plan.breaks {
            assert!(
                b != he || hs == start,
                "{name}: header row alone above the break at {b}"
            );
            if let Some(end) = grid.repeat_end {
                assert!(
                    !(b >= end && start < end),
                    "{name}: page from row {b} holds only rows after the table (it ends at {end})"
                );
            }
            start = b;
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked} examples checked");
}
