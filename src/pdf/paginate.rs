//! Print pagination: how a Grid's merged groups meet page breaks.
//!
//! Typst splits a rowspan that crosses a page and draws its text only on the first part
//! (typst#4707), so the 一级/二级 label would be missing on the next page; and a cell marked
//! `breakable: false` that is taller than a page overflows and its rows vanish without a
//! warning. Neither is acceptable on a form, so the PDF does not leave those decisions to Typst:
//!
//! 1. The template measures, with the real fonts, the height every cell needs at its width
//!    (the measuring pass), and the height of the title block above the table.
//! 2. [`paginate`] replays Typst's row layout with those heights and decides where pages
//!    break: a short group (at most [`SHORT_GROUP`] of a page) moves whole to the next page;
//!    a long one is cut at the page break, and every merged cell crossing the break is split
//!    in two, the second part repeating the label with `（续）`.
//! 3. Every cell of the result whose rows fit a page is marked `keep` (`breakable: false`), so
//!    Typst moves rather than splits it (a two-line indicator is not cut between its lines,
//!    a chunk is not cut when the estimate is off by a line); a row that cannot fit a page
//!    (a 5,000-character goal) stays breakable and flows over pages, so nothing can vanish.
//!
//! The Grid stays the single description of the form's shape; this is a transformation of it
//! for one output (print), like a printer's imposition.

use crate::layout::{Cell, Content, Grid, Role};

/// A group at most this share of the page body is kept whole on one page.
pub const SHORT_GROUP: f64 = 0.4;
/// Room left unused at the bottom of each page (pt), against rounding in the estimate.
pub const SAFETY_PT: f64 = 2.0;
/// What a row split by Typst over pages loses, on average, at each break (half a line).
pub const LINE_LOSS_PT: f64 = 8.0;
/// What a continuation label gets appended.
pub const CONTINUED: &str = "（续）";

/// Heights (pt) measured by the template's measuring pass.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Measurements {
    /// The height each cell needs (content plus insets), in the order of `grid.cells`.
    pub cells: Vec<f64>,
    /// The title block above the table, with its gap.
    pub head: f64,
    /// The sign-off block under the table.
    #[serde(default)]
    pub signoff: f64,
}

/// A Grid ready to print: cells possibly split at page breaks, and which merged cells must
/// stay on one page.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintGrid {
    /// The Grid with merged cells cut at the planned page breaks.
    pub grid: Grid,
    /// Per cell of `grid.cells`: its rows stay on one page.
    pub keep: Vec<bool>,
    /// Rows (0-based) that start a new page, as planned.
    pub breaks: Vec<usize>,
    /// The pages the plan fills (more than `breaks.len() + 1` when a row taller than a page
    /// flows over several).
    pub pages: usize,
    /// The sign-off and the lines under the table start a page of their own (they do not fit
    /// under the last row).
    pub signoff_page: bool,
}

impl PrintGrid {
    /// The Grid as it is, nothing kept together: for a template that does not measure.
    pub fn unpaginated(grid: Grid) -> PrintGrid {
        let keep = vec![false; grid.cells.len()];
        PrintGrid {
            grid,
            keep,
            breaks: Vec::new(),
            pages: 1,
            signoff_page: false,
        }
    }
}

/// Height of the page body (pt): paper minus top and bottom margins.
pub fn body_height_pt(grid: &Grid) -> f64 {
    let (_, paper_mm) = paper_mm(grid);
    (paper_mm - grid.page.margin_top_mm - grid.page.margin_bottom_mm) * 72.0 / 25.4
}

/// Width of the page body (pt): paper minus left and right margins.
pub fn body_width_pt(grid: &Grid) -> f64 {
    let (paper_mm, _) = paper_mm(grid);
    (paper_mm - grid.page.margin_left_mm - grid.page.margin_right_mm) * 72.0 / 25.4
}

/// A4 as the Grid turns it: (width, height) in mm.
fn paper_mm(grid: &Grid) -> (f64, f64) {
    match grid.page.orientation {
        crate::layout::Orientation::Portrait => (210.0, 297.0),
        crate::layout::Orientation::Landscape => (297.0, 210.0),
    }
}

/// A repeated header must be whole rows: a cell that starts in the header and runs on into the
/// body (the department form's `年度绩效指标` label beside its indicator header) is cut at the
/// header's edge. A block label keeps its text in the body part, where the form prints it
/// (centred beside its block, repeated with `（续）` when the block is split); the header part
/// above it is left blank. A header cell keeps its text in the header.
pub fn clip_to_header(grid: &Grid) -> Grid {
    let Some((hs, he)) = grid.repeat_rows else {
        return grid.clone();
    };
    let mut out = grid.clone();
    out.cells.clear();
    for cell in &grid.cells {
        let mut cuts: Vec<usize> = [hs, he]
            .into_iter()
            .filter(|&b| cell.row < b && b <= cell.last_row())
            .collect();
        cuts.dedup();
        if cuts.is_empty() {
            out.cells.push(cell.clone());
            continue;
        }
        let ends: Vec<usize> = cuts.into_iter().chain([cell.last_row() + 1]).collect();
        let starts: Vec<usize> = std::iter::once(cell.row)
            .chain(ends[..ends.len() - 1].iter().copied())
            .collect();
        let in_header = |row: usize| row >= hs && row < he;
        let text_at = if cell.role == Role::Header {
            starts.iter().copied().find(|&r| in_header(r))
        } else {
            starts.iter().copied().find(|&r| !in_header(r))
        }
        .unwrap_or(cell.row);
        for (&start, &end) in starts.iter().zip(&ends) {
            let content = if start == text_at {
                cell.content.clone()
            } else {
                Content::Blank
            };
            out.cells.push(Cell {
                row: start,
                rowspan: end - start,
                content,
                ..cell.clone()
            });
        }
    }
    sort_cells(&mut out.cells);
    out
}

fn sort_cells(cells: &mut [Cell]) {
    cells.sort_by_key(|c| (c.row, c.col));
}

/// Row heights (pt) as Typst's table gives them: the tallest single-row cell of each row, then
/// a merged cell that needs more than its rows grows its last row.
pub fn row_heights(grid: &Grid, m: &Measurements) -> Vec<f64> {
    let mut h = vec![0.0_f64; grid.rows];
    for (cell, &need) in grid.cells.iter().zip(&m.cells) {
        if cell.rowspan == 1 && cell.row < grid.rows {
            h[cell.row] = h[cell.row].max(need);
        }
    }
    let mut spans: Vec<(&Cell, f64)> = grid
        .cells
        .iter()
        .zip(m.cells.iter().copied())
        .filter(|(c, _)| c.rowspan > 1)
        .collect();
    spans.sort_by_key(|(c, _)| (c.last_row(), c.row));
    for (cell, need) in spans {
        // A cell outside the table (not produced by layout::build) is ignored, never a panic.
        if cell.row >= grid.rows {
            continue;
        }
        let last = cell.last_row().min(grid.rows - 1);
        let have: f64 = h[cell.row..=last].iter().sum();
        if need > have {
            h[last] += need - have;
        }
    }
    h
}

/// The height of rows `[a, b)`, clamped to the table.
fn span_height(h: &[f64], a: usize, b: usize) -> f64 {
    h.get(a.min(h.len())..b.min(h.len()))
        .map_or(0.0, |rows| rows.iter().sum())
}

/// A range of rows `[start, end)` that belong together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

/// The groups to keep or split: the Grid's groups plus every merged cell's rows (a merged
/// label is a group even when the layout did not list it), outside the repeated header.
/// Groups that overlap without nesting are merged, so the result is a forest.
fn groups(grid: &Grid) -> Vec<Span> {
    let header = grid.repeat_rows.unwrap_or((0, 0));
    let mut spans: Vec<Span> = grid
        .groups
        .iter()
        .map(|g| Span {
            start: g.start,
            end: g.end.min(grid.rows),
        })
        .chain(grid.cells.iter().filter(|c| c.rowspan > 1).map(|c| Span {
            start: c.row,
            end: c.last_row() + 1,
        }))
        .filter(|s| s.end > s.start + 1)
        .filter(|s| s.end <= header.0 || s.start >= header.1)
        .collect();
    loop {
        let mut merged = false;
        'outer: for i in 0..spans.len() {
            for j in 0..spans.len() {
                let (a, b) = (spans[i], spans[j]);
                let overlap = a.start < b.end && b.start < a.end;
                let nested = (a.start <= b.start && b.end <= a.end)
                    || (b.start <= a.start && a.end <= b.end);
                if i != j && overlap && !nested {
                    spans[i] = Span {
                        start: a.start.min(b.start),
                        end: a.end.max(b.end),
                    };
                    spans.remove(j);
                    merged = true;
                    break 'outer;
                }
            }
        }
        if !merged {
            break;
        }
    }
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    spans.dedup();
    spans
}

/// What is placed on a page as one piece.
#[derive(Debug, Clone, Copy)]
struct Unit {
    start: usize,
    end: usize,
    /// The repeated header rows.
    header: bool,
    /// The long group this unit is a piece of (for orphan control).
    parent: Option<usize>,
}

/// Cuts `[start, end)` into units: short groups whole, long groups into their subgroups and
/// rows, other rows one by one.
fn units_of(
    start: usize,
    end: usize,
    parent: Option<usize>,
    groups: &[Span],
    height: &dyn Fn(usize, usize) -> f64,
    short: f64,
    out: &mut Vec<Unit>,
) {
    let mut r = start;
    while r < end {
        // The outermost group starting here inside this range (groups are sorted outer first).
        let group = groups
            .iter()
            .find(|g| g.start == r && g.end <= end && !(g.start == start && g.end == end));
        match group {
            Some(g) if height(g.start, g.end) <= short => {
                out.push(Unit {
                    start: g.start,
                    end: g.end,
                    header: false,
                    parent,
                });
                r = g.end;
            }
            Some(g) => {
                units_of(g.start, g.end, Some(g.start), groups, height, short, out);
                r = g.end;
            }
            None => {
                out.push(Unit {
                    start: r,
                    end: r + 1,
                    header: false,
                    parent,
                });
                r += 1;
            }
        }
    }
}

/// Plans the page breaks of `grid` (already [`clip_to_header`]ed and measured) and returns it
/// with merged cells split at the breaks and their labels repeated.
pub fn paginate(grid: &Grid, m: &Measurements) -> PrintGrid {
    let h = row_heights(grid, m);
    let height = |a: usize, b: usize| -> f64 { span_height(&h, a, b) };
    let avail = body_height_pt(grid) - SAFETY_PT;
    let (hs, he) = grid.repeat_rows.unwrap_or((0, 0));
    let header_h = height(hs, he);
    let groups = groups(grid);

    let mut units = Vec::new();
    let short = (avail * SHORT_GROUP).min(avail - header_h);
    if he > hs {
        units_of(0, hs, None, &groups, &height, short, &mut units);
        units.push(Unit {
            start: hs,
            end: he,
            header: true,
            parent: None,
        });
        units_of(he, grid.rows, None, &groups, &height, short, &mut units);
    } else {
        units_of(0, grid.rows, None, &groups, &height, short, &mut units);
    }

    let mut breaks: Vec<usize> = Vec::new();
    let mut y = m.head;
    let mut page_start = 0usize; // first row on the current page
    let mut header_active = false;
    // Pages added by rows that flow over page ends (not planned breaks).
    let mut flowed = 0usize;
    for (i, unit) in units.iter().enumerate() {
        let uh = height(unit.start, unit.end);
        // A header is never left alone at the foot of a page: it needs its first piece.
        let need = if unit.header {
            uh + units.get(i + 1).map_or(0.0, |n| {
                let nh = height(n.start, n.end);
                if nh <= avail - uh {
                    nh
                } else {
                    span_height(&h, n.start, n.start + 1)
                }
            })
        } else {
            uh
        };
        let top = if header_active { header_h } else { 0.0 };
        // A unit taller than an empty page is one row (a group that tall is never a unit): Typst
        // splits it where it stands, so it starts here and flows over the next pages.
        let flows = uh > avail - top;
        if y + need > avail && unit.start > page_start && !flows {
            // Orphan control: do not leave a single row of a long group above the break.
            let mut b = unit.start;
            if let Some(p) = unit.parent
                && b > p
                && b - p < 2
                && p > page_start
            {
                b = p;
            }
            // A page under the repeated header starts with a row of the table it heads: rows
            // after the table (a review box) take the table's last piece over with them, and
            // when that piece is the table's first, the header goes too (never left alone).
            if let Some(end) = grid.repeat_end
                && header_active
                && b >= end
                && page_start < end
                && let Some(last) = units[..i]
                    .iter()
                    .rev()
                    .find(|u| !u.header && u.start < end)
                    .map(|u| if u.start <= he { hs } else { u.start })
                    .filter(|&last| last > page_start)
            {
                b = last;
            }
            // Never a header row alone at a page foot (a block's column headings, such as
            // 部门职能分解 | 部门中期目标 | 部门年度绩效目标): it goes over with what it heads.
            while b > page_start + 1 && is_header_row(grid, b - 1) {
                b -= 1;
            }
            breaks.push(b);
            page_start = b;
            y = top + height(b, unit.start);
        }
        y += uh;
        // A unit taller than what is left of an empty page is a row Typst splits itself.
        if y > avail {
            // Each page the row crosses takes a page less the repeated header, and loses about
            // half a line to line granularity. (Computed, not looped: a header as tall as a page
            // would make a loop endless.)
            let top = if header_active || unit.header {
                header_h
            } else {
                0.0
            };
            let per_page = (avail - LINE_LOSS_PT - top).max(avail / 2.0);
            let over = y - avail;
            let pages = (over / per_page).ceil();
            flowed += pages as usize;
            y = over - (pages - 1.0) * per_page + LINE_LOSS_PT + top;
            page_start = unit.end.saturating_sub(1).max(page_start);
        }
        if unit.header {
            header_active = true;
        }
    }

    // The sign-off and the lines under the table follow the last row, on a page of their own
    // when they do not fit under it.
    let signoff_page = y + m.signoff > avail && m.signoff > 0.0;
    if signoff_page {
        flowed += 1;
    }
    let mut print = split_at_breaks(grid, &h, &breaks, avail - header_h);
    print.pages = 1 + breaks.len() + flowed;
    print.signoff_page = signoff_page;
    print
}

/// Whether table row `row` holds column headings only: every cell starting in it is a
/// one-row header cell.
fn is_header_row(grid: &Grid, row: usize) -> bool {
    let mut starting = grid.cells.iter().filter(|c| c.row == row).peekable();
    starting.peek().is_some() && starting.all(|c| c.role == Role::Header && c.rowspan == 1)
}

/// The page plan of `grid` (already [`clip_to_header`]ed) measured as `m`: what both renderers
/// follow.
pub fn plan(grid: &Grid, m: &Measurements) -> crate::layout::PagePlan {
    let print = paginate(grid, m);
    crate::layout::PagePlan {
        cells_pt: m.cells.clone(),
        rows_pt: row_heights(grid, m),
        head_pt: m.head,
        foot_pt: m.signoff,
        breaks: print.breaks,
        pages: print.pages,
        signoff_page: print.signoff_page,
    }
}

/// Splits every merged cell crossing a break; the parts after the first repeat a label with
/// `（续）` and leave a value blank (a repeated amount would read as a second amount).
fn split_at_breaks(grid: &Grid, h: &[f64], breaks: &[usize], page_room: f64) -> PrintGrid {
    let mut cells = Vec::with_capacity(grid.cells.len());
    for cell in &grid.cells {
        let cuts: Vec<usize> = breaks
            .iter()
            .copied()
            .filter(|&b| cell.row < b && b <= cell.last_row())
            .collect();
        let mut start = cell.row;
        for end in cuts.into_iter().chain([cell.last_row() + 1]) {
            let content = if start == cell.row {
                cell.content.clone()
            } else {
                continued(&cell.content, cell.role)
            };
            cells.push(Cell {
                row: start,
                rowspan: end - start,
                content,
                ..cell.clone()
            });
            start = end;
        }
    }
    sort_cells(&mut cells);
    // Every cell whose rows fit a page is kept on one page: Typst then moves a row (or a chunk)
    // that does not fit instead of splitting it, as planned above. Only a row taller than a page
    // stays breakable, and so does any merged cell over it.
    let keep = cells
        .iter()
        .map(|c| span_height(h, c.row, c.last_row() + 1) <= page_room)
        .collect();
    PrintGrid {
        grid: Grid {
            cells,
            ..grid.clone()
        },
        keep,
        breaks: breaks.to_vec(),
        pages: breaks.len() + 1,
        signoff_page: false,
    }
}

fn continued(content: &Content, role: Role) -> Content {
    match (content, role) {
        (Content::Text(t), Role::Group | Role::Label | Role::Header) if !t.is_empty() => {
            let base = t.strip_suffix(CONTINUED).unwrap_or(t);
            Content::Text(format!("{base}{CONTINUED}"))
        }
        _ => Content::Blank,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::RowGroup;

    /// A form with 2 top rows, a header row, then one 一级 group of `n` rows split into 二级
    /// groups of the given sizes (columns: 一级, 二级, 三级, 指标值).
    fn indicator_grid(level2: &[usize]) -> Grid {
        let mut cells = vec![Cell {
            row: 0,
            col: 0,
            rowspan: 2,
            colspan: 1,
            content: Content::Text("项目资金".into()),
            role: Role::Label,
            field: None,
        }];
        for r in 0..2 {
            cells.push(Cell {
                row: r,
                col: 1,
                rowspan: 1,
                colspan: 3,
                content: Content::Text(format!("值{r}")),
                role: Role::Value,
                field: None,
            });
        }
        for (c, t) in ["一级指标", "二级指标", "三级指标", "指标值"]
            .iter()
            .enumerate()
        {
            cells.push(Cell {
                row: 2,
                col: c,
                rowspan: 1,
                colspan: 1,
                content: Content::Text(t.to_string()),
                role: Role::Header,
                field: None,
            });
        }
        let n: usize = level2.iter().sum();
        let mut groups = vec![RowGroup {
            start: 3,
            end: 3 + n,
        }];
        cells.push(Cell {
            row: 3,
            col: 0,
            rowspan: n,
            colspan: 1,
            content: Content::Text("产出指标".into()),
            role: Role::Group,
            field: None,
        });
        let mut row = 3;
        for (g, &len) in level2.iter().enumerate() {
            groups.push(RowGroup {
                start: row,
                end: row + len,
            });
            cells.push(Cell {
                row,
                col: 1,
                rowspan: len,
                colspan: 1,
                content: Content::Text(format!("二级{g}")),
                role: Role::Group,
                field: None,
            });
            for r in row..row + len {
                cells.push(Cell {
                    row: r,
                    col: 2,
                    rowspan: 1,
                    colspan: 1,
                    content: Content::Text(format!("指标{r}")),
                    role: Role::LongText,
                    field: None,
                });
                cells.push(Cell {
                    row: r,
                    col: 3,
                    rowspan: 1,
                    colspan: 1,
                    content: Content::Text("≥1".into()),
                    role: Role::Value,
                    field: None,
                });
            }
            row += len;
        }
        cells.sort_by_key(|c| (c.row, c.col));
        Grid {
            rows: row,
            cells,
            repeat_rows: Some((2, 3)),
            groups,
            ..super::tests_support::empty_grid()
        }
    }

    /// Every cell 20 pt tall, the title block 60 pt.
    fn flat(grid: &Grid) -> Measurements {
        Measurements {
            cells: vec![20.0; grid.cells.len()],
            head: 60.0,
            signoff: 0.0,
        }
    }

    /// Which cell covers each slot; panics when a slot is covered twice or not at all.
    fn coverage(grid: &Grid) -> Vec<Vec<usize>> {
        let mut owner = vec![vec![usize::MAX; grid.columns_mm.len()]; grid.rows];
        for (i, c) in grid.cells.iter().enumerate() {
            for (r, row) in owner[c.row..=c.last_row()].iter_mut().enumerate() {
                for (col, slot) in row[c.col..=c.last_col()].iter_mut().enumerate() {
                    let (r, col) = (c.row + r, c.col + col);
                    assert_eq!(*slot, usize::MAX, "slot {r},{col} covered twice");
                    *slot = i;
                }
            }
        }
        assert!(
            owner.iter().flatten().all(|&o| o != usize::MAX),
            "a slot is not covered"
        );
        owner
    }

    /// `indicator_grid` of `n` one-row 二级 groups, then a review box across the table.
    fn table_then_review(n: usize, end_known: bool, review_pt: f64) -> (Grid, Measurements) {
        let mut grid = indicator_grid(&vec![1; n]);
        let end = grid.rows;
        grid.cells.push(Cell {
            row: end,
            col: 0,
            rowspan: 1,
            colspan: 4,
            content: Content::Text("财政部门审核意见".into()),
            role: Role::Label,
            field: None,
        });
        grid.rows += 1;
        grid.repeat_end = end_known.then_some(end);
        let mut m = flat(&grid);
        *m.cells.last_mut().unwrap() = review_pt;
        (grid, m)
    }

    #[test]
    fn a_page_under_the_repeated_header_starts_with_a_row_of_its_table() {
        // The largest table whose rows all fit the first page, the review box not.
        let n = (1..200)
            .take_while(|&n| {
                let (grid, m) = table_then_review(n, false, 200.0);
                paginate(&grid, &m)
                    .breaks
                    .first()
                    .is_none_or(|&b| b == 3 + n)
            })
            .last()
            .unwrap();
        let (grid, m) = table_then_review(n, false, 200.0);
        let end = 3 + n;
        // Without the table's end, the review box alone goes over, under a header heading
        // nothing.
        assert_eq!(paginate(&grid, &m).breaks, vec![end]);
        // With it, the table's last row goes over with the box.
        let (grid, m) = table_then_review(n, true, 200.0);
        let print = paginate(&grid, &m);
        assert_eq!(print.breaks, vec![end - 1]);
        coverage(&print.grid);

        // A table short enough to be kept whole goes over whole, and its header with it: the
        // header row is not left alone at the foot of the first page.
        let (grid, _) = table_then_review(3, true, 0.0);
        let room = body_height_pt(&grid) - SAFETY_PT - 100.0;
        let (grid, m) = table_then_review(3, true, room);
        assert_eq!(paginate(&grid, &m).breaks, vec![2]);
        let (grid, m) = table_then_review(3, false, room);
        assert_eq!(paginate(&grid, &m).breaks, vec![3 + 3]);
    }

    #[test]
    fn a_form_that_fits_one_page_is_left_alone() {
        let grid = indicator_grid(&[4, 3, 2]);
        let print = paginate(&grid, &flat(&grid));
        assert!(print.breaks.is_empty());
        assert_eq!(print.grid.cells, grid.cells);
        // Everything fits a page, so everything is kept whole.
        assert!(print.keep.iter().all(|&k| k));
    }

    #[test]
    fn a_long_group_is_cut_at_the_page_and_its_labels_repeated() {
        // 100 rows of 20 pt: a page body holds about 36 of them.
        let grid = indicator_grid(&[100]);
        let print = paginate(&grid, &flat(&grid));
        coverage(&print.grid);
        assert!(print.breaks.len() >= 2, "{:?}", print.breaks);
        let avail = body_height_pt(&grid) - SAFETY_PT;
        // First page: title block, two rows, header, then rows up to the first break.
        let first = 60.0 + 20.0 * print.breaks[0] as f64;
        assert!(
            first <= avail && first + 20.0 > avail,
            "first page filled: {first} of {avail}"
        );
        for label in ["产出指标", "二级0"] {
            let parts: Vec<&Cell> = print
                .grid
                .cells
                .iter()
                .filter(|c| c.content.display().starts_with(label))
                .collect();
            assert_eq!(parts.len(), print.breaks.len() + 1, "{label}");
            assert_eq!(parts[0].content.display(), label);
            assert!(
                parts[1..]
                    .iter()
                    .all(|c| c.content.display() == format!("{label}（续）"))
            );
            // Each part starts at a break, and together they span the group.
            let starts: Vec<usize> = parts[1..].iter().map(|c| c.row).collect();
            assert_eq!(starts, print.breaks);
            assert_eq!(parts.iter().map(|c| c.rowspan).sum::<usize>(), 100);
        }
        // Every part fits a page under the repeated header, so every part is kept whole.
        assert!(print.keep.iter().all(|&k| k));
    }

    #[test]
    fn a_short_group_that_does_not_fit_moves_whole() {
        // 30 rows of one 二级, then a 二级 of 5 rows that would straddle the first page's end.
        let grid = indicator_grid(&[28, 5, 3]);
        let print = paginate(&grid, &flat(&grid));
        coverage(&print.grid);
        assert_eq!(print.breaks.len(), 1, "{:?}", print.breaks);
        // The break falls at the start of the second 二级 group (row 3 + 28), never inside it.
        assert_eq!(print.breaks[0], 31);
        let second: Vec<&Cell> = print
            .grid
            .cells
            .iter()
            .filter(|c| c.col == 1 && c.content.display().starts_with("二级1"))
            .collect();
        assert_eq!(second.len(), 1, "the short group is not split");
        // The 一级 label spans the break: repeated.
        assert!(
            print
                .grid
                .cells
                .iter()
                .any(|c| c.content.display() == "产出指标（续）" && c.row == 31)
        );
    }

    #[test]
    fn a_row_taller_than_a_page_stays_breakable() {
        let grid = indicator_grid(&[3, 2]);
        let mut m = flat(&grid);
        // The 三级 text of row 4 needs two pages.
        let tall = grid
            .cells
            .iter()
            .position(|c| c.row == 4 && c.col == 2)
            .unwrap();
        m.cells[tall] = 1500.0;
        let print = paginate(&grid, &m);
        coverage(&print.grid);
        for (c, &keep) in print.grid.cells.iter().zip(&print.keep) {
            if c.row <= 4 && 4 <= c.last_row() {
                assert!(
                    !keep,
                    "cell at {},{} over the tall row must stay breakable",
                    c.row, c.col
                );
            }
        }
        // Rows after it are planned on a later page.
        assert!(
            print.breaks.iter().all(|&b| b != 4),
            "no break planned before a row that flows"
        );
    }

    #[test]
    fn a_header_taller_than_a_page_does_not_hang_the_plan() {
        // A pathological Grid (a repeated header taller than the page) once made the estimate
        // of a flowing row loop for ever; the plan must end, whatever the heights.
        let grid = indicator_grid(&[3, 2]);
        let mut m = flat(&grid);
        for (i, c) in grid.cells.iter().enumerate() {
            if c.row == 2 || (c.row == 4 && c.col == 2) {
                m.cells[i] = 1500.0;
            }
        }
        let print = paginate(&grid, &m);
        coverage(&print.grid);
    }

    #[test]
    fn a_cell_running_into_the_header_is_clipped() {
        let mut grid = indicator_grid(&[3]);
        // The department form's 年度绩效指标: one cell over the header row and the body.
        grid.columns_mm.insert(0, 12.0);
        for c in &mut grid.cells {
            c.col += 1;
        }
        grid.cells.push(Cell {
            row: 2,
            col: 0,
            rowspan: 4,
            colspan: 1,
            content: Content::Text("年度绩效指标".into()),
            role: Role::Label,
            field: None,
        });
        grid.cells.push(Cell {
            row: 0,
            col: 0,
            rowspan: 2,
            colspan: 1,
            content: Content::Blank,
            role: Role::Label,
            field: None,
        });
        sort_cells(&mut grid.cells);
        let clipped = clip_to_header(&grid);
        coverage(&clipped);
        let parts: Vec<&Cell> = clipped
            .cells
            .iter()
            .filter(|c| c.col == 0 && c.row >= 2)
            .collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].row, parts[0].rowspan, parts[0].content.clone()),
            (2, 1, Content::Blank)
        );
        assert_eq!(
            (
                parts[1].row,
                parts[1].rowspan,
                parts[1].content.display().as_str()
            ),
            (3, 3, "年度绩效指标")
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// An indicator table: 一级 blocks of 二级 blocks of rows, each row with its own height.
    fn arb_table() -> impl Strategy<Value = (Vec<Vec<usize>>, Vec<f64>)> {
        prop::collection::vec(prop::collection::vec(1usize..40, 1..5), 1..4).prop_flat_map(
            |blocks| {
                let rows: usize = blocks.iter().flatten().sum();
                // Mostly ordinary rows, sometimes a tall one, rarely one taller than a page.
                let height =
                    prop_oneof![8 => 15.0f64..40.0, 2 => 40.0f64..300.0, 1 => 700.0f64..1600.0];
                (Just(blocks), prop::collection::vec(height, rows + 3))
            },
        )
    }

    fn build(blocks: &[Vec<usize>], heights: &[f64]) -> (Grid, Measurements) {
        let mut grid = super::tests_support::empty_grid();
        let mut cells = vec![
            Cell {
                row: 0,
                col: 0,
                rowspan: 2,
                colspan: 1,
                content: Content::Text("项目资金".into()),
                role: Role::Label,
                field: None,
            },
            Cell {
                row: 0,
                col: 1,
                rowspan: 1,
                colspan: 3,
                content: Content::Text("a".into()),
                role: Role::Value,
                field: None,
            },
            Cell {
                row: 1,
                col: 1,
                rowspan: 1,
                colspan: 3,
                content: Content::Text("b".into()),
                role: Role::Value,
                field: None,
            },
        ];
        for c in 0..4 {
            cells.push(Cell {
                row: 2,
                col: c,
                rowspan: 1,
                colspan: 1,
                content: Content::Text(format!("h{c}")),
                role: Role::Header,
                field: None,
            });
        }
        let mut row = 3;
        for (i, l2s) in blocks.iter().enumerate() {
            let n: usize = l2s.iter().sum();
            grid.groups.push(crate::layout::RowGroup {
                start: row,
                end: row + n,
            });
            cells.push(Cell {
                row,
                col: 0,
                rowspan: n,
                colspan: 1,
                content: Content::Text(format!("一级{i}")),
                role: Role::Group,
                field: None,
            });
            for (j, &len) in l2s.iter().enumerate() {
                grid.groups.push(crate::layout::RowGroup {
                    start: row,
                    end: row + len,
                });
                cells.push(Cell {
                    row,
                    col: 1,
                    rowspan: len,
                    colspan: 1,
                    content: Content::Text(format!("二级{i}.{j}")),
                    role: Role::Group,
                    field: None,
                });
                for r in row..row + len {
                    cells.push(Cell {
                        row: r,
                        col: 2,
                        rowspan: 1,
                        colspan: 1,
                        content: Content::Text(format!("指标{r}")),
                        role: Role::LongText,
                        field: None,
                    });
                    cells.push(Cell {
                        row: r,
                        col: 3,
                        rowspan: 1,
                        colspan: 1,
                        content: Content::Amount(1.into()),
                        role: Role::Amount,
                        field: None,
                    });
                }
                row += len;
            }
        }
        cells.sort_by_key(|c| (c.row, c.col));
        grid.rows = row;
        grid.repeat_rows = Some((2, 3));
        // Each row's height sits in its 三级 cell; the others are short.
        let m = Measurements {
            cells: cells
                .iter()
                .map(|c| {
                    if c.col == 2 && c.rowspan == 1 {
                        heights[c.row]
                    } else {
                        15.0
                    }
                })
                .collect(),
            head: 60.0,
            signoff: 0.0,
        };
        grid.cells = cells;
        (grid, m)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn pagination_never_loses_or_overfills((blocks, heights) in arb_table()) {
            let (grid, m) = build(&blocks, &heights);
            let print = paginate(&grid, &m);
            let out = &print.grid;

            // Every slot is covered exactly once: no row or cell vanished, none doubled.
            let mut owner = vec![vec![0u8; 4]; out.rows];
            for c in &out.cells {
                for row in &mut owner[c.row..=c.last_row()] {
                    for slot in &mut row[c.col..=c.last_col()] {
                        *slot += 1;
                    }
                }
            }
            prop_assert!(owner.iter().flatten().all(|&n| n == 1));
            // The 三级 texts and values are untouched, one per row.
            for r in 3..out.rows {
                let expected = Content::Text(format!("指标{}", r));
                prop_assert!(out.cells.iter().any(|c| c.row == r && c.col == 2 && c.content == expected));
            }
            // Breaks are increasing, inside the table body.
            prop_assert!(print.breaks.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(print.breaks.iter().all(|&b| b > 0 && b < out.rows));

            // A kept cell's rows fit a page under the repeated header: Typst can always place it.
            let h = row_heights(&grid, &m);
            let room = body_height_pt(&grid) - SAFETY_PT - h[2];
            for (c, &keep) in out.cells.iter().zip(&print.keep) {
                if keep {
                    prop_assert!(span_height(&h, c.row, c.last_row() + 1) <= room + 1e-6);
                }
                // A part after a break repeats a label, and only a label.
                if let Content::Text(t) = &c.content && t.ends_with(CONTINUED) {
                    prop_assert!(c.role == Role::Group || c.role == Role::Label);
                    prop_assert!(print.breaks.contains(&c.row));
                }
            }
            // A merged cell crossing a planned break would lose its label on the next page: none does.
            for c in &out.cells {
                prop_assert!(!print.breaks.iter().any(|&b| c.row < b && b <= c.last_row()));
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use crate::declaration::FormKind;
    use crate::layout::{Grid, Meta, PageSetup};

    /// A four-column A4 Grid with nothing in it.
    pub fn empty_grid() -> Grid {
        Grid {
            kind: FormKind::Project,
            layout: "test".into(),
            annex: String::new(),
            under: Vec::new(),
            styles: Default::default(),
            title: "表".into(),
            year_line: String::new(),
            unit_line: String::new(),
            amount_unit_line: String::new(),
            columns_mm: vec![30.0, 30.0, 80.0, 34.0],
            rows: 0,
            cells: Vec::new(),
            repeat_rows: None,
            repeat_end: None,
            groups: Vec::new(),
            signoff: Vec::new(),
            page: PageSetup::a4_portrait(),
            meta: Meta {
                title: "表".into(),
                author: String::new(),
                date: None,
            },
            plan: None,
            indicators: Vec::new(),
        }
    }
}
