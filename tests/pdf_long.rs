//! Long groups and long rows: 120 indicators in one 二级 and a 5,000-character 年度总体目标.
//! No row is ever lost at a page break, and a split group's labels are repeated.

mod pdf_common;

use jixiao::pdf::PdfOptions;
use pdf_common::*;

#[test]
fn no_indicator_is_lost_in_a_group_longer_than_a_page() {
    let grid = grid_of(&long_declaration(120, 5000));
    let pdf = engine().render(&grid, &PdfOptions::default()).unwrap();
    let raw = pdf_text(&pdf);
    let text = squash(&raw);
    for i in 1..=120 {
        let name = format!("第{i}号新开办企业刻章数量指标");
        // Exactly once: drawn, and not drawn twice by a repeated chunk.
        assert_eq!(
            text.matches(&name).count(),
            1,
            "{name} printed {} times",
            text.matches(&name).count()
        );
        assert!(
            text.contains(&format!("{name}≥{i}家")),
            "the value of {name} is not beside it"
        );
    }
    for other in ["印章材料质量", "优化营商环境", "刻章企业满意度"] {
        assert!(text.contains(other), "{other} lost");
    }
    // The whole goal, although it is one row over several pages.
    let goal: String = "为新开办企业提供免费刻章服务，每户四枚章200元，预计全年新开办企业7500户。"
        .chars()
        .cycle()
        .take(5000)
        .collect();
    let pages = page_count(&pdf);
    // The row continues across pages: take the page footers out of the running text.
    let mut running = text.clone();
    for p in 1..=pages {
        running = running.replace(&format!("第{p}页共{pages}页"), "");
    }
    assert!(
        running.contains(&squash(&goal)),
        "the goal is not printed whole"
    );

    // 5,000 characters at about 38 a line take about three pages, 120 rows at about 40 a page
    // another three or four: anything outside 5..=8 means rows overflowed or pages were wasted.
    assert!((5..=8).contains(&pages), "{pages} pages");
    // Every page after the first indicator page repeats the header and the split labels.
    let continued = text.matches("产出指标（续）").count();
    assert!(
        continued >= 2,
        "the 一级 label is repeated on continuation pages ({continued})"
    );
    assert_eq!(text.matches("数量指标（续）").count(), continued);
    assert!(text.matches("一级指标二级指标三级指标指标值").count() > continued);
}

#[test]
fn each_page_holds_a_whole_number_of_rows_and_its_labels() {
    let grid = grid_of(&long_declaration(120, 5000));
    let doc = engine()
        .layout(&grid, jixiao::pdf::document_date(&grid))
        .unwrap();
    let pages = jixiao::pdf::page_texts(&doc);
    let mut seen = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        let page = squash(page);
        let here: Vec<usize> = (1..=120)
            .filter(|i| page.contains(&format!("第{i}号新开办企业刻章数量指标")))
            .collect();
        if here.is_empty() {
            continue;
        }
        // A page with indicators names their 一级 and 二级 on that page (first or continued).
        assert!(
            page.contains("产出指标"),
            "page {} has indicators {:?}.. but no 一级 label",
            p + 1,
            here.first()
        );
        assert!(
            page.contains("数量指标"),
            "page {} has no 二级 label",
            p + 1
        );
        seen.extend(here);
    }
    assert_eq!(
        seen,
        (1..=120).collect::<Vec<_>>(),
        "every indicator on exactly one page, in order"
    );
}

#[test]
fn the_plan_splits_the_long_group_and_keeps_chunks_within_a_page() {
    let grid = grid_of(&long_declaration(120, 5000));
    let print = engine().paginate(&grid).unwrap();
    assert!(print.breaks.len() >= 2, "{:?}", print.breaks);
    let labels: Vec<_> = print
        .grid
        .cells
        .iter()
        .filter(|c| c.content.display() == "数量指标" || c.content.display() == "数量指标（续）")
        .collect();
    assert_eq!(
        labels.len(),
        print.breaks.len() + 1,
        "one 二级 label per chunk"
    );
    // The chunks cover the 120 rows exactly.
    assert_eq!(labels.iter().map(|c| c.rowspan).sum::<usize>(), 120);
    // The goal row (taller than a page) stays breakable; the indicator chunks are kept whole.
    for (cell, keep) in print.grid.cells.iter().zip(&print.keep) {
        if cell.content.display().starts_with("为新开办企业") {
            assert!(!keep, "a row taller than a page must stay breakable");
        }
        if labels.iter().any(|l| std::ptr::eq(*l, cell)) {
            assert!(keep, "chunk at row {} is not kept on one page", cell.row);
        }
    }
}

/// Checks that the heights the engine plans `grid`'s pages with (predicted where it can) are
/// what laying out every cell measures; gives the engine's line counts per cell.
fn assert_predictions_exact(
    engine: &jixiao::pdf::Engine,
    grid: &jixiao::layout::Grid,
    what: &str,
) -> Vec<Option<usize>> {
    let clipped = jixiao::pdf::paginate::clip_to_header(grid);
    let predicted = engine.predicted_lines(&clipped);
    let quick = engine.measure(grid).unwrap();
    let full = engine.measure_every_cell(grid).unwrap();
    assert_eq!(quick.cells.len(), full.cells.len());
    for (i, (q, f)) in quick.cells.iter().zip(&full.cells).enumerate() {
        let text = clipped.cells[i].content.display();
        assert!(
            (q - f).abs() < 0.01,
            "{what}: cell {i} {text:?}: {q} pt predicted, {f} pt measured"
        );
    }
    assert_eq!((quick.head, quick.signoff), (full.head, full.signoff));
    predicted
}

#[test]
fn predicted_heights_are_what_typst_measures() {
    // The measuring pass lays out only the cells whose line count the program cannot tell for
    // sure, and computes the others' heights from it: for the examples, a long form and
    // generated forms of both kinds, that must be exactly what laying out every cell measures.
    let engine = jixiao::pdf::Engine::new(jixiao::pdf::FontSet::bundled(), None);
    let mut grids = vec![
        seed_grid("chaisang-2023-project"),
        seed_grid("chaisang-2023-department"),
    ];
    grids.push(grid_of(&long_declaration(40, 200)));
    for index in 0..40 {
        grids.push(grid_of(&jixiao::sample::generate(7, index).1));
    }
    let (mut skipped, mut cells, mut unmeasured) = (0, 0, 0);
    let faces = jixiao::pdf::fit::Faces::of(engine.fonts());
    for grid in &grids {
        let predicted = assert_predictions_exact(&engine, grid, &grid.title);
        // Forms whose heights all follow from their shape's, measured before: no layout at all.
        let clipped = jixiao::pdf::paginate::clip_to_header(grid);
        if predicted.iter().all(Option::is_some)
            && jixiao::pdf::fit::head_shape(&clipped, &faces).is_some()
        {
            unmeasured += 1;
        }
        skipped += predicted.iter().filter(|p| p.is_some()).count();
        cells += predicted.len();
    }
    // The point of predicting: most cells of a form need no layout to know their height.
    assert!(
        skipped * 10 > cells * 8,
        "only {skipped} of {cells} cells predicted"
    );
    eprintln!(
        "{skipped} of {cells} cells predicted; {unmeasured} of {} forms not laid out to measure",
        grids.len()
    );
    // Most forms skip the measuring compile: both kinds, whichever way the sign-off line is
    // laid out (equal columns, or natural widths for the department's four parts).
    assert!(
        unmeasured * 2 > grids.len(),
        "only {unmeasured} of {} forms computed from their shape",
        grids.len()
    );
}

#[test]
fn predicted_heights_hold_for_random_texts() {
    // The same as above over texts no form would hold: random runs of ideographs, full-width
    // punctuation, quotes, Latin words, digits and signs, in every cell of both seed forms.
    use jixiao::layout::Content;
    let engine = jixiao::pdf::Engine::new(jixiao::pdf::FontSet::bundled(), None);
    let pieces = [
        "国", "家", "企业", "管理", "，", "。", "、", "；", "：", "（", "）", "《", "》", "“", "”",
        "！", "abc", "Typst", "XYZ", " ", "2023", "95%", "≥", "-", "/", "1.5", "万元", "…", "—",
    ];
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let (mut predicted, mut cells) = (0, 0);
    for round in 0..24 {
        let mut grid = seed_grid(if round % 2 == 0 {
            "chaisang-2023-project"
        } else {
            "chaisang-2023-department"
        });
        for cell in &mut grid.cells {
            let len = 1 + next(40);
            let text: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
            cell.content = Content::Text(text.trim().to_string());
        }
        let lines = assert_predictions_exact(&engine, &grid, &format!("round {round}"));
        predicted += lines.iter().filter(|p| p.is_some()).count();
        cells += lines.len();
    }
    eprintln!("{predicted} of {cells} random cells predicted");
    // Random texts are long and mixed with punctuation, so most are measured; still, some are
    // predicted (a tenth when this was written).
    assert!(
        predicted * 20 > cells,
        "only {predicted} of {cells} cells predicted"
    );
}

#[test]
fn a_wrong_measurement_never_loses_a_row() {
    // The built-in template with its measuring pass lying (every height a hundredth of the
    // truth): the plan then keeps the 120 rows together as if they fitted one page. Typst would
    // drop the overflow silently; the safety net must notice and draw every row.
    let lying = jixiao::pdf::TEMPLATE.replace(
        "#let measure-cell(c) = measure(block(width: cell-width(c), inset: inset, cell-body(c))).height / 1pt",
        "#let measure-cell(c) = measure(block(width: cell-width(c), inset: inset, cell-body(c))).height / 1pt / 100",
    );
    assert_ne!(lying, jixiao::pdf::TEMPLATE, "the measuring line was found");
    let engine = jixiao::pdf::Engine::new(jixiao::pdf::FontSet::bundled(), Some(lying));
    let grid = grid_of(&long_declaration(120, 200));
    // The plan is indeed wrong: no break in 120 rows.
    let plan = engine.paginate(&grid).unwrap();
    assert!(plan.breaks.is_empty(), "{:?}", plan.breaks);
    let pdf = engine.render(&grid, &PdfOptions::default()).unwrap();
    let text = squash(&pdf_text(&pdf));
    for i in 1..=120 {
        assert!(
            text.contains(&format!("第{i}号新开办企业刻章数量指标≥{i}家")),
            "indicator {i} lost"
        );
    }
}

/// The right edge (pt from the page's left) of the rightmost text on each page.
fn rightmost_text(doc: &typst_layout::PagedDocument) -> Vec<f64> {
    use typst::layout::{Frame, FrameItem, Point};
    fn walk(frame: &Frame, origin: Point, right: &mut f64) {
        for (pos, item) in frame.items() {
            let at = origin + *pos;
            match item {
                FrameItem::Group(g) => walk(&g.frame, at, right),
                FrameItem::Text(t) => *right = right.max((at.x + t.width()).to_pt()),
                _ => {}
            }
        }
    }
    doc.pages()
        .iter()
        .map(|p| {
            let mut right = 0.0;
            walk(&p.frame, Point::zero(), &mut right);
            right
        })
        .collect()
}

#[test]
fn a_word_longer_than_its_cell_wraps_inside_it() {
    // An 18-character 统一社会信用代码 as an 指标值 (the narrow last column) and 300 Latin
    // letters without a space as the goal: neither may run past the table's right edge.
    let text = std::fs::read_to_string(data_dir().join("chaisang-2023-project.yaml"))
        .unwrap()
        .replace("各1枚", "11360429MB1234567X")
        .replace(
            "goal: 为新开办企业提供免费刻章（4枚），每户四枚章200元，预计全年新开办企业7500户，共需资金150万元。",
            &format!("goal: {}", "abcdefghij".repeat(30)),
        );
    assert!(text.contains("11360429MB1234567X") && text.contains("abcdefghijabcdefghij"));
    let grid = grid_of(&text);
    let table_right_pt =
        (grid.page.margin_left_mm + grid.columns_mm.iter().sum::<f64>()) * 72.0 / 25.4;
    let doc = engine()
        .layout(&grid, jixiao::pdf::document_date(&grid))
        .unwrap();
    for (page, right) in rightmost_text(&doc).into_iter().enumerate() {
        assert!(
            right <= table_right_pt,
            "page {}: text reaches {right:.1} pt, the table ends at {table_right_pt:.1} pt",
            page + 1
        );
    }
    // Printed whole and in order; the break opportunities print nothing, not even an
    // invisible character that a copy would carry.
    let pdf = engine().render(&grid, &PdfOptions::default()).unwrap();
    let printed = squash(&pdf_text(&pdf));
    assert!(!printed.contains('\u{200B}'));
    assert!(printed.contains("11360429MB1234567X"), "{printed}");
    assert!(printed.contains(&"abcdefghij".repeat(30)));
}

#[test]
fn no_page_ends_with_a_row_of_column_headings() {
    use jixiao::layout::Role;
    let engine = engine();
    let mut breaks = 0;
    // Sample 45 (a department form) would end its first page with the headings of 部门职能分解.
    for index in 0..60 {
        let grid = grid_of(&jixiao::sample::generate(1, index).1);
        let plan = engine.plan(&grid).unwrap();
        for &b in &plan.breaks {
            breaks += 1;
            let above: Vec<_> = grid.cells.iter().filter(|c| c.row == b - 1).collect();
            assert!(
                !above
                    .iter()
                    .all(|c| c.role == Role::Header && c.rowspan == 1),
                "sample {index}: the page before row {b} ends with headings {:?}",
                above
                    .iter()
                    .map(|c| c.content.display())
                    .collect::<Vec<_>>()
            );
        }
    }
    assert!(breaks > 20, "only {breaks} breaks looked at");
}
