//! Issue 13, page furniture: every text the page furniture prints (title, 填报单位 line, sign-off
//! line, lines under the table, annex label) wraps within the page, like table cells, even a
//! long unbroken token; nothing runs off the page or over its neighbour.

mod pdf_common;

use jixiao::pdf::PdfOptions;
use pdf_common::*;

/// Every text run of the first page: (baseline y, left x, right x) in pt.
fn runs(doc: &typst_layout::PagedDocument) -> Vec<(f64, f64, f64)> {
    use typst::layout::{Frame, FrameItem, Point};
    fn walk(frame: &Frame, origin: Point, out: &mut Vec<(f64, f64, f64)>) {
        for (pos, item) in frame.items() {
            let at = origin + *pos;
            match item {
                FrameItem::Group(g) => walk(&g.frame, at, out),
                FrameItem::Text(t) => {
                    out.push((at.y.to_pt(), at.x.to_pt(), (at.x + t.width()).to_pt()))
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&doc.pages()[0].frame, Point::zero(), &mut out);
    out
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The project example with `edit` applied, laid out: every text run inside the page body, no
/// two runs of one line overlapping, and `token` printed whole.
fn assert_within_page(edit: impl Fn(&mut jixiao::layout::Grid), token: &str) {
    let mut grid = seed_grid("chaisang-2023-project");
    edit(&mut grid);
    let doc = engine()
        .layout(&grid, jixiao::pdf::document_date(&grid))
        .unwrap();
    let left = grid.page.margin_left_mm * 72.0 / 25.4;
    let right = (210.0 - grid.page.margin_right_mm) * 72.0 / 25.4;
    let runs = runs(&doc);
    for &(y, x0, x1) in &runs {
        assert!(
            x0 >= left - 0.5 && x1 <= right + 0.5,
            "a run at y {y:.1} spans {x0:.1}..{x1:.1} pt, the page body {left:.1}..{right:.1}"
        );
    }
    for (i, a) in runs.iter().enumerate() {
        for b in &runs[i + 1..] {
            if (a.0 - b.0).abs() < 0.5 {
                assert!(
                    a.2 <= b.1 + 0.5 || b.2 <= a.1 + 0.5,
                    "runs overlap on the line at y {:.1}: {a:?} {b:?}",
                    a.0
                );
            }
        }
    }
    let pdf = engine().render(&grid, &PdfOptions::default()).unwrap();
    let printed = squash(&pdf_text(&pdf));
    assert!(!printed.contains('\u{200B}'));
    assert!(
        printed.contains(token),
        "{token} not printed whole: {printed}"
    );
}

const CODE: &str = "91360429MA35XY1234ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUV";

#[test]
fn a_long_token_in_the_unit_line_wraps_left_of_the_amount_unit() {
    assert_within_page(
        |g| g.unit_line = format!("填报单位（盖章）：{CODE}{CODE}"),
        CODE,
    );
}

#[test]
fn a_long_token_in_the_amount_unit_part_wraps_too() {
    assert_within_page(|g| g.amount_unit_line = format!("金额单位：{CODE}"), CODE);
}

#[test]
fn a_long_token_in_the_title_wraps() {
    assert_within_page(|g| g.title = format!("项目支出绩效目标申报表{CODE}"), CODE);
}

#[test]
fn a_long_token_in_the_signoff_line_stays_in_its_column() {
    assert_within_page(
        |g| {
            g.signoff = vec![
                ("填报人".into(), CODE.into()),
                (
                    "联系电话".into(),
                    "0792-1234567890123456789012345678901234567890".into(),
                ),
                ("单位负责人".into(), "张三".into()),
                ("填报日期".into(), "2023-01-10".into()),
            ]
        },
        CODE,
    );
}

#[test]
fn a_long_token_in_the_annex_and_under_lines_wraps() {
    assert_within_page(
        |g| {
            g.annex = format!("附件{CODE}");
            g.under = vec![(format!("财政部门审核意见{CODE}"), "年  月  日".into())];
        },
        CODE,
    );
}
