//! The interpreter: a checked [`Layout`] and a [`Declaration`] → the [`Grid`].
//!
//! Blocks are laid out top to bottom from row 0; each cell goes where its `at` says, tagged with
//! the field it shows. A block whose fields the declaration leaves empty prints no rows unless
//! the layout prints it always (`print_empty`, `always`). The result must tile the table: a
//! slot covered twice or not at all is a `layout.span` error naming the cells.

use rust_decimal::Decimal;

use super::def::{Block, CellDef, ColumnDef, IndicatorsDef};
use super::fields::{self, Value};
use super::{Layout, Problem, cols_of, role_of};
use crate::declaration::{AmountUnit, Declaration, Placed};
use crate::diagnostic::{Code, Loc};
use crate::layout::{
    Cell, Content, Grid, IndicatorRow, Meta, Orientation, PageSetup, Role, RowGroup,
};

/// Lays `decl` out with `layout`. Works on any declaration, also one with errors (a missing or
/// invalid value prints blank); Err when the layout's cells do not tile the table.
pub fn build(decl: &Declaration, layout: &Layout) -> Result<Grid, Problem> {
    build_with(decl, layout, false)
}

/// [`build`]; with `every_block`, blocks print even when empty (to check that every block of
/// a definition tiles the table, whatever a declaration fills).
pub fn build_with(decl: &Declaration, layout: &Layout, every_block: bool) -> Result<Grid, Problem> {
    let def = &layout.def;
    let mut b = Builder {
        decl,
        layout,
        cells: Vec::new(),
        origins: Vec::new(),
        row: 0,
        groups: Vec::new(),
        repeat: None,
        repeat_end: None,
        placed: Vec::new(),
        every_block,
    };
    b.blocks(&def.body);
    let rows = b.row;
    let ncols = def.columns.value.len();
    b.check_tiling(rows, ncols)?;
    let Builder {
        mut cells,
        repeat,
        repeat_end,
        groups,
        placed,
        ..
    } = b;
    cells.sort_by_key(|c| (c.row, c.col));

    let plain = |path: &str| display(&fields::scalar(decl, path).unwrap_or(Value::Blank));
    let name = plain("name");
    let unit = plain("unit");
    let f = &def.furniture;
    let title = f.title.value.clone();
    let year_line = match &f.year {
        Some(t) if !(t.value.contains("{year}") && plain("year").is_empty()) => {
            fill(decl, &t.value)
        }
        _ => String::new(),
    };
    let signoff = if fields::has_signoff(decl) || f.signoff_always {
        f.signoff
            .iter()
            .map(|p| {
                (
                    p.label.clone(),
                    p.field
                        .as_ref()
                        .map_or_else(String::new, |field| plain(&field.value)),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let side = |t: &Option<serde_saphyr::Spanned<String>>| {
        t.as_ref()
            .map_or_else(String::new, |t| fill(decl, &t.value))
    };
    let mut styles = crate::layout::Styles::default();
    for s in &def.styles {
        if let Some(style) = styles.named_mut(&s.role.value) {
            if let Some(face) = &s.face {
                style.face = if face.value == "hei" {
                    crate::layout::Face::Hei
                } else {
                    crate::layout::Face::Song
                };
            }
            if let Some(size) = s.size {
                style.size = size;
            }
            if let Some(bold) = s.bold {
                style.bold = bold;
            }
            if let Some(align) = &s.align {
                style.align = match align.value.as_str() {
                    "left" => crate::layout::Align::Left,
                    "right" => crate::layout::Align::Right,
                    _ => crate::layout::Align::Center,
                };
            }
        }
    }
    let p = &def.paper;
    let mut indicators = indicator_rows(&placed);
    if let Declaration::SelfEval(form) = decl {
        // The 指标明细 sheet gains 实际完成值, 分值 and 得分.
        let detail = super::selfeval::detail(form);
        for (row, p) in indicators.iter_mut().zip(&placed) {
            row.result = super::selfeval::of(&detail, p.indicator).cloned();
        }
    }
    Ok(Grid {
        kind: decl.kind(),
        layout: layout.name.clone(),
        annex: f
            .annex
            .as_ref()
            .map_or_else(String::new, |a| fill(decl, &a.value)),
        year_line,
        unit_line: side(&f.above.left),
        amount_unit_line: side(&f.above.right),
        columns_mm: def.columns.value.clone(),
        rows,
        cells,
        repeat_rows: repeat,
        repeat_end: repeat_end.filter(|&end| end < rows),
        groups,
        signoff,
        under: f
            .under
            .iter()
            .map(|l| (side(&l.left), side(&l.right)))
            .collect(),
        styles,
        page: PageSetup {
            paper: "a4",
            orientation: if p.orientation.value == "landscape" {
                Orientation::Landscape
            } else {
                Orientation::Portrait
            },
            margin_top_mm: p.margins.top,
            margin_bottom_mm: p.margins.bottom,
            margin_left_mm: p.margins.left,
            margin_right_mm: p.margins.right,
        },
        meta: Meta {
            title: if name.is_empty() {
                title.clone()
            } else {
                format!("{name} {title}")
            },
            author: if unit.is_empty() { name } else { unit },
            date: Some(plain("signoff.date")).filter(|d| !d.is_empty()),
        },
        title,
        plan: None,
        indicators,
    })
}

/// `text` with every `{field}` replaced by the field's printed value (blank: nothing).
pub fn fill(decl: &Declaration, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let path = &rest[open + 1..open + close];
        out.push_str(&display(
            &fields::scalar(decl, path).unwrap_or(Value::Blank),
        ));
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// A value as printed in a line of text (money as the seed prints it).
fn display(v: &Value) -> String {
    content(v, &super::def::Money::default(), AmountUnit::Wan, None).display()
}

/// A value as a cell's content, money in the layout's unit and precision (the declaration's
/// amounts are in `from`; `precision` is the declaration's own, when it gives one).
fn content(
    v: &Value,
    money: &super::def::Money,
    from: AmountUnit,
    precision: Option<u32>,
) -> Content {
    match v {
        Value::Blank => Content::Blank,
        Value::Text(t) => Content::Text(t.clone()),
        Value::Money(m) => money_content(*m, money, from, precision),
        Value::Percent(p) => Content::Percent(*p),
        Value::Count(n) => Content::Count(*n),
        Value::Check(b) => Content::Check(*b),
        Value::Score(s) => Content::Amount(*s),
    }
}

/// An amount written in `from`, printed in the layout's unit: 元 = 万元 × 10,000, exactly. The
/// places are the declaration's `precision`, else the layout's; an amount converted from 元 to
/// 万元 keeps every place it has (330.984 万元 from 3,309,840 元 is not rounded to 330.98), so a
/// conversion never changes a figure. 万元 at 2 places without separators is the seed's
/// [`Content::Amount`]; anything else is [`Content::Money`].
fn money_content(
    v: Decimal,
    money: &super::def::Money,
    from: AmountUnit,
    precision: Option<u32>,
) -> Content {
    let yuan = money.unit.value == "元";
    let wan = Decimal::from(10_000);
    let (value, converted) = match (from, yuan) {
        (AmountUnit::Wan, true) => (v.checked_mul(wan), true),
        (AmountUnit::Yuan, false) => (v.checked_div(wan), true),
        _ => (Some(v), false),
    };
    let Some(value) = value else {
        return Content::Blank;
    };
    let mut places = precision.unwrap_or(money.places);
    if converted {
        places = places.max(value.normalize().scale().min(8));
    }
    if !yuan && places == 2 && !money.separators {
        return Content::Amount(value);
    }
    Content::Money {
        value,
        places,
        separators: money.separators,
    }
}

/// The indicators of one band of the table, and the project they belong to (when the table
/// has one band per project).
struct Band<'a> {
    form: Option<&'a crate::declaration::ProjectForm>,
    placed: Vec<Placed<'a>>,
}

struct Builder<'a> {
    decl: &'a Declaration,
    layout: &'a Layout,
    cells: Vec<Cell>,
    /// Per cell: where the layout defines it (for `layout.span`).
    origins: Vec<Loc>,
    row: usize,
    groups: Vec<RowGroup>,
    repeat: Option<(usize, usize)>,
    /// The row after the indicator table.
    repeat_end: Option<usize>,
    placed: Vec<Placed<'a>>,
    /// Print every block, empty or not.
    every_block: bool,
}

impl<'a> Builder<'a> {
    /// Places one cell: the arguments are a [`Cell`]'s fields, plus where the layout defines it.
    #[allow(clippy::too_many_arguments)]
    fn put(
        &mut self,
        row: usize,
        cols: (usize, usize),
        rowspan: usize,
        content: Content,
        role: Role,
        field: Option<String>,
        at: Loc,
    ) {
        self.cells.push(Cell {
            row,
            col: cols.0,
            rowspan,
            colspan: cols.1 - cols.0 + 1,
            content,
            role,
            field,
        });
        self.origins.push(at);
    }

    /// The unit the declaration's amounts are written in.
    fn from(&self) -> AmountUnit {
        self.decl.common().unit_of_amounts()
    }

    /// The declaration's own `precision`, when it gives one.
    fn precision(&self) -> Option<u32> {
        self.decl.common().precision.value()
    }

    fn always(&self, own: Option<bool>) -> bool {
        self.every_block || own.unwrap_or(self.layout.def.print_empty)
    }

    fn blocks(&mut self, blocks: &'a [Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &'a Block) {
        match block {
            Block::Row(cells) => {
                if self.prints(block) {
                    self.row_of(cells, Role::Label, None, 1);
                    self.row += 1;
                }
            }
            Block::Header(cells) => {
                self.row_of(cells, Role::Header, None, 1);
                self.row += 1;
            }
            Block::Rows(rows) => {
                if self.prints(block) {
                    let n = rows.rows.len();
                    for (i, cells) in rows.rows.iter().enumerate() {
                        self.row_of(cells, Role::Label, None, n - i);
                        self.row += 1;
                    }
                }
            }
            Block::Group(g) => {
                if !self.always(g.always) && self.empty(block) {
                    return;
                }
                let start = self.row;
                let group_index = self.groups.len();
                self.blocks(&g.body);
                if self.row > start {
                    let role = g
                        .role
                        .as_ref()
                        .map_or(Role::Label, |r| role_of(&r.value).unwrap_or(Role::Label));
                    let cols = cols_of(&g.at.value).unwrap_or((0, 0));
                    self.put(
                        start,
                        cols,
                        self.row - start,
                        Content::Text(g.label.clone()),
                        role,
                        None,
                        super::loc(&g.at),
                    );
                    if g.keep {
                        self.groups.insert(
                            group_index,
                            RowGroup {
                                start,
                                end: self.row,
                            },
                        );
                    }
                }
            }
            Block::Each(each) => {
                for i in 0..fields::list_len(self.decl, &each.list.value) {
                    self.row_of(&each.row, Role::Label, Some((&each.list.value, i)), 1);
                    self.row += 1;
                }
            }
            Block::Indicators(ind) => {
                if self.always(ind.always) || self.has_indicators(ind) {
                    self.indicators(ind);
                    self.repeat_end = Some(self.row);
                }
            }
            Block::Review(r) => {
                let foot = r.foot.join("\n");
                let text = format!("{}{foot}", "\n".repeat(r.room));
                let label = cols_of(&r.at.value).unwrap_or((0, 0));
                let area = cols_of(&r.area.value).unwrap_or((0, 0));
                self.put(
                    self.row,
                    label,
                    1,
                    Content::Text(r.label.clone()),
                    Role::Label,
                    None,
                    super::loc(&r.at),
                );
                let content = if text.trim().is_empty() {
                    Content::Blank
                } else {
                    Content::Text(text)
                };
                self.put(
                    self.row,
                    area,
                    1,
                    content,
                    Role::Review,
                    None,
                    super::loc(&r.area),
                );
                self.row += 1;
            }
        }
    }

    /// Whether the table has an indicator to show (on its 中期 side too, when it has one).
    fn has_indicators(&self, ind: &IndicatorsDef) -> bool {
        !self.decl.indicators().canonical().is_empty()
            || (ind.sides.iter().any(|s| s.source.value == "midterm")
                && fields::midterm_indicators(self.decl).is_some_and(|m| !m.canonical().is_empty()))
    }

    /// Whether a row block prints: always, or some field it shows is filled (a row with no
    /// field, such as a header, always prints).
    fn prints(&self, block: &Block) -> bool {
        let own = match block {
            Block::Rows(r) => r.always,
            _ => None,
        };
        self.always(own) || !self.empty(block)
    }

    /// Whether a block shows data and every datum is blank.
    fn empty(&self, block: &Block) -> bool {
        match self.data(block) {
            Some(any) => !any,
            None => false,
        }
    }

    /// `None`: the block shows no declaration data; `Some(filled)`: whether any is filled.
    fn data(&self, block: &Block) -> Option<bool> {
        let cells = |cells: &[CellDef]| -> Option<bool> {
            let mut shows = false;
            let mut filled = false;
            for c in cells {
                if let Some(f) = &c.field {
                    shows = true;
                    filled |= !fields::scalar(self.decl, &f.value)
                        .unwrap_or(Value::Blank)
                        .is_blank();
                }
                if let Some(s) = &c.sum {
                    shows = true;
                    filled |= self.sum(&s.value).is_some();
                }
                if let Some(t) = &c.text {
                    for path in super::template_fields(&t.value) {
                        shows = true;
                        filled |= !fields::scalar(self.decl, &path)
                            .unwrap_or(Value::Blank)
                            .is_blank();
                    }
                }
            }
            shows.then_some(filled)
        };
        match block {
            Block::Row(c) | Block::Header(c) => cells(c),
            Block::Rows(r) => {
                let all: Vec<Option<bool>> = r.rows.iter().map(|c| cells(c)).collect();
                merge(all)
            }
            Block::Group(g) => merge(g.body.iter().map(|b| self.data(b)).collect()),
            Block::Each(e) => Some(fields::list_len(self.decl, &e.list.value) > 0),
            Block::Indicators(i) => Some(self.has_indicators(i)),
            Block::Review(_) => None,
        }
    }

    /// One row of cells at `self.row`; `item`: the list item the row shows; `rows_left`: rows
    /// of the block from here (a cell's `down` may not reach past them).
    fn row_of(
        &mut self,
        cells: &'a [CellDef],
        label_role: Role,
        item: Option<(&str, usize)>,
        rows_left: usize,
    ) {
        for c in cells {
            let cols = cols_of(&c.at.value).unwrap_or((0, 0));
            let down = c.down.as_ref().map_or(1, |d| d.value.clamp(1, rows_left));
            let role = declared_role(&c.role);
            let at = super::loc(&c.at);
            let money = &self.layout.def.money;
            if let Some(label) = &c.label {
                self.put(
                    self.row,
                    cols,
                    down,
                    Content::Text(label.clone()),
                    role.unwrap_or(label_role),
                    None,
                    at,
                );
            } else if let Some(field) = &c.field {
                let path = field.value.as_str();
                let value = match item {
                    Some((list, i))
                        if path.starts_with(list) && path[list.len()..].starts_with('.') =>
                    {
                        fields::item(self.decl, list, i, &path[list.len() + 1..])
                    }
                    _ => fields::scalar(self.decl, path).unwrap_or(Value::Blank),
                };
                let content = match &c.ticks {
                    Some(options) => ticks(&value, options),
                    None => content(&value, money, self.from(), self.precision()),
                };
                // A `—` or other text in a numeric column prints centred, as a value.
                let default = if fields::is_numeric(path) && !matches!(value, Value::Text(_)) {
                    Role::Amount
                } else {
                    Role::Value
                };
                self.put(
                    self.row,
                    cols,
                    down,
                    content,
                    role.unwrap_or(default),
                    Some(path.to_string()),
                    at,
                );
            } else if let Some(template) = &c.text {
                self.put(
                    self.row,
                    cols,
                    down,
                    Content::Text(fill(self.decl, &template.value)),
                    role.unwrap_or(Role::Value),
                    super::template_fields(&template.value).into_iter().next(),
                    at,
                );
            } else if let Some(sum) = &c.sum {
                let content = self.sum(&sum.value).map_or(Content::Blank, |v| {
                    money_content(v, money, self.from(), self.precision())
                });
                self.put(
                    self.row,
                    cols,
                    down,
                    content,
                    role.unwrap_or(Role::Amount),
                    Some(sum.value.clone()),
                    at,
                );
            } else {
                self.put(
                    self.row,
                    cols,
                    down,
                    Content::Blank,
                    role.unwrap_or(Role::Value),
                    None,
                    at,
                );
            }
        }
    }

    /// The sum of `list.leaf` over the list's items; `None` when no item gives it (or it
    /// overflows).
    fn sum(&self, path: &str) -> Option<Decimal> {
        let (list, leaf) = path.rsplit_once('.')?;
        let given: Vec<Decimal> = (0..fields::list_len(self.decl, list))
            .filter_map(|i| match fields::item(self.decl, list, i, leaf) {
                Value::Money(v) => Some(v),
                _ => None,
            })
            .collect();
        if given.is_empty() {
            return None;
        }
        given
            .into_iter()
            .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
    }

    /// The indicator table: its header row, then one row per 三级 in the scheme's canonical
    /// order, 一级 and 二级 cells spanning their groups.
    fn indicators(&mut self, ind: &'a IndicatorsDef) {
        if ind.sides.iter().any(|s| s.source.value == "midterm") {
            self.paired(ind);
            return;
        }
        let columns: Vec<&ColumnDef> = ind
            .columns
            .iter()
            .chain(
                ind.sides
                    .iter()
                    .filter(|s| s.source.value == "annual")
                    .flat_map(|s| &s.columns),
            )
            .collect();
        self.indicator_header(ind, columns.iter().copied());
        let order = |i: &'a crate::declaration::Indicators| {
            if ind.declared() {
                i.as_declared()
            } else {
                i.canonical()
            }
        };
        // One band per project (sichuan-2023), else one band for the whole table.
        let bands: Vec<Band<'a>> = match self.decl {
            Declaration::Project(p) if ind.by_project() => p
                .all()
                .map(|form| Band {
                    form: Some(form),
                    placed: order(&form.common.indicators),
                })
                .collect(),
            _ => vec![Band {
                form: None,
                placed: order(self.decl.indicators()),
            }],
        };
        for band in bands {
            let start = self.row;
            // A project without indicators still shows its name and budget on one row.
            let height = if band.form.is_some() {
                band.placed.len().max(1)
            } else {
                band.placed.len()
            };
            for c in columns.iter().filter(|c| c.show.value == "field") {
                let Some(field) = &c.field else { continue };
                if height == 0 {
                    continue;
                }
                let value = match band.form {
                    Some(form) => fields::project_scalar(form, &field.value),
                    None => fields::scalar(self.decl, &field.value),
                }
                .unwrap_or(Value::Blank);
                let default = if fields::is_numeric(&field.value) {
                    Role::Amount
                } else {
                    Role::LongText
                };
                let role = declared_role(&c.role);
                let content = content(
                    &value,
                    &self.layout.def.money,
                    self.from(),
                    self.precision(),
                );
                self.put(
                    start,
                    cols_of(&c.at.value).unwrap_or((0, 0)),
                    height,
                    content,
                    role.unwrap_or(default),
                    Some(field.value.clone()),
                    super::loc(&c.at),
                );
            }
            if band.placed.is_empty() && height > 0 {
                for c in columns.iter().filter(|c| c.show.value != "field") {
                    self.put(
                        start,
                        cols_of(&c.at.value).unwrap_or((0, 0)),
                        1,
                        Content::Blank,
                        Role::Value,
                        None,
                        super::loc(&c.at),
                    );
                }
            }
            self.indicator_rows(&columns, &band.placed, start);
            self.row = start + height;
            self.placed.extend(band.placed);
        }
    }

    /// The indicator table's header row (unless `header: false`), repeated on every page
    /// unless `repeat: false`.
    fn indicator_header(
        &mut self,
        ind: &IndicatorsDef,
        columns: impl Iterator<Item = &'a ColumnDef>,
    ) {
        if !ind.header {
            return;
        }
        for c in columns {
            self.put(
                self.row,
                cols_of(&c.at.value).unwrap_or((0, 0)),
                1,
                Content::Text(c.header.clone()),
                Role::Header,
                None,
                super::loc(&c.at),
            );
        }
        if ind.repeat {
            self.repeat = Some((self.row, self.row + 1));
        }
        self.row += 1;
    }

    /// The rows of `placed` from row `start`: 一级 and 二级 cells spanning their groups, one
    /// row per 三级.
    fn indicator_rows(&mut self, columns: &[&'a ColumnDef], placed: &[Placed<'a>], start: usize) {
        // A self-evaluation's results, by indicator.
        let results = match self.decl {
            Declaration::SelfEval(f) => super::selfeval::results(f),
            _ => Vec::new(),
        };
        let col = |show: &str| columns.iter().find(|c| c.show.value == show).copied();
        let level1 = col("level1");
        let level2 = col("level2");
        let mut i = 0;
        while i < placed.len() {
            // As written (`order: declared`) a band is a run of one written 一级 name.
            let l1 = (placed[i].level1, placed[i].names().0);
            let l1_end = i + placed[i..]
                .iter()
                .take_while(|p| (p.level1, p.names().0) == l1)
                .count();
            if let Some(c) = level1 {
                let cols = cols_of(&c.at.value).unwrap_or((0, 0));
                let role = declared_role(&c.role).unwrap_or(Role::Group);
                self.put(
                    start + i,
                    cols,
                    l1_end - i,
                    Content::Text(l1.1.into()),
                    role,
                    Some("indicators.level1".into()),
                    super::loc(&c.at),
                );
            }
            self.groups.push(RowGroup {
                start: start + i,
                end: start + l1_end,
            });
            let mut j = i;
            while j < l1_end {
                let l2 = (placed[j].level2, placed[j].names().1);
                let l2_end = j + placed[j..l1_end]
                    .iter()
                    .take_while(|p| (p.level2, p.names().1) == l2)
                    .count();
                // Free-text indicators: the text spans the 二级, 三级 and 指标值 columns.
                if l2.0.is_none()
                    && let Some(span) = free_span(columns.iter().copied())
                {
                    for (k, p) in placed[j..l2_end].iter().enumerate() {
                        self.free_text_row(start + j + k, columns, span, p, "indicators");
                    }
                    j = l2_end;
                    continue;
                }
                if let Some(c) = level2 {
                    let cols = cols_of(&c.at.value).unwrap_or((0, 0));
                    let role = declared_role(&c.role).unwrap_or(Role::Group);
                    self.put(
                        start + j,
                        cols,
                        l2_end - j,
                        Content::Text(l2.1.into()),
                        role,
                        Some("indicators.level2".into()),
                        super::loc(&c.at),
                    );
                }
                self.groups.push(RowGroup {
                    start: start + j,
                    end: start + l2_end,
                });
                for (k, p) in placed[j..l2_end].iter().enumerate() {
                    let row = start + j + k;
                    for c in columns
                        .iter()
                        .filter(|c| !matches!(c.show.value.as_str(), "level1" | "level2" | "field"))
                    {
                        let cols = cols_of(&c.at.value).unwrap_or((0, 0));
                        let (content, default) = super::selfeval::of(&results, p.indicator)
                            .and_then(|result| result_cell(result, &c.show.value))
                            .unwrap_or_else(|| indicator_cell(p, &c.show.value));
                        let role = declared_role(&c.role).unwrap_or(default);
                        self.put(
                            row,
                            cols,
                            1,
                            content,
                            role,
                            Some(format!("indicators.{}", c.show.value)),
                            super::loc(&c.at),
                        );
                    }
                }
                j = l2_end;
            }
            i = l1_end;
        }
    }

    /// One free-text indicator's row: its text over `span`, the other indicator columns blank
    /// (not the 一级 and field columns, which span their bands).
    fn free_text_row(
        &mut self,
        row: usize,
        columns: &[&'a ColumnDef],
        span: (usize, usize),
        p: &Placed<'a>,
        prefix: &str,
    ) {
        let Some(first) = columns
            .iter()
            .find(|c| FREE_TEXT_COLUMNS.contains(&c.show.value.as_str()))
        else {
            return;
        };
        let text = p.indicator.name.value.trim();
        self.put(
            row,
            span,
            1,
            if text.is_empty() {
                Content::Blank
            } else {
                Content::Text(text.to_string())
            },
            Role::LongText,
            Some(format!("{prefix}.text")),
            super::loc(&first.at),
        );
        for c in columns
            .iter()
            .filter(|c| !matches!(c.show.value.as_str(), "level1" | "field"))
        {
            let cols = cols_of(&c.at.value).unwrap_or((0, 0));
            if cols.0 >= span.0 && cols.1 <= span.1 {
                continue;
            }
            self.put(
                row,
                cols,
                1,
                Content::Blank,
                Role::Value,
                None,
                super::loc(&c.at),
            );
        }
    }

    /// A paired table (财预〔2015〕88号 附1): the shared columns (一级) on the left, then one set
    /// of columns per side, 中期 from the declaration's `midterm_indicators`, 年度 from its
    /// `indicators`. Each 一级 is one band as tall as its longer side; each side merges its own
    /// 二级 cells, and the shorter side is padded with blank cells inside the band.
    fn paired(&mut self, ind: &'a IndicatorsDef) {
        let shared: Vec<&ColumnDef> = ind.columns.iter().collect();
        self.indicator_header(
            ind,
            shared
                .iter()
                .copied()
                .chain(ind.sides.iter().flat_map(|s| &s.columns)),
        );
        let annual = self.decl.indicators().canonical();
        let midterm =
            fields::midterm_indicators(self.decl).map_or_else(Vec::new, |m| m.canonical());
        let by_side: Vec<&[Placed<'a>]> = ind
            .sides
            .iter()
            .map(|s| {
                if s.source.value == "midterm" {
                    &midterm[..]
                } else {
                    &annual[..]
                }
            })
            .collect();
        let mut level1s: Vec<crate::declaration::scheme::Level1> =
            annual.iter().chain(&midterm).map(|p| p.level1).collect();
        level1s.sort();
        level1s.dedup();
        let mut row = self.row;
        for l1 in level1s {
            let height = by_side
                .iter()
                .map(|items| items.iter().filter(|p| p.level1 == l1).count())
                .max()
                .unwrap_or(0);
            for c in shared.iter().filter(|c| c.show.value == "level1") {
                let role = declared_role(&c.role).unwrap_or(Role::Group);
                self.put(
                    row,
                    cols_of(&c.at.value).unwrap_or((0, 0)),
                    height,
                    Content::Text(l1.name().into()),
                    role,
                    Some("indicators.level1".into()),
                    super::loc(&c.at),
                );
            }
            self.groups.push(RowGroup {
                start: row,
                end: row + height,
            });
            for (side, all) in ind.sides.iter().zip(&by_side) {
                let items: Vec<&Placed<'a>> = all.iter().filter(|p| p.level1 == l1).collect();
                let prefix = if side.source.value == "midterm" {
                    "midterm_indicators"
                } else {
                    "indicators"
                };
                let mut j = 0;
                while j < items.len() {
                    let l2 = items[j].level2;
                    let end = j + items[j..].iter().take_while(|p| p.level2 == l2).count();
                    let side_columns: Vec<&ColumnDef> = side.columns.iter().collect();
                    let Some(l2) = l2 else {
                        // Free text spans the side's 二级, 三级 and 指标值 columns.
                        if let Some(span) = free_span(side_columns.iter().copied()) {
                            for (k, p) in items[j..end].iter().enumerate() {
                                self.free_text_row(row + j + k, &side_columns, span, p, prefix);
                            }
                        }
                        j = end;
                        continue;
                    };
                    for c in &side.columns {
                        let cols = cols_of(&c.at.value).unwrap_or((0, 0));
                        let own = declared_role(&c.role);
                        if c.show.value == "level2" {
                            self.put(
                                row + j,
                                cols,
                                end - j,
                                Content::Text(l2.name().into()),
                                own.unwrap_or(Role::Group),
                                Some(format!("{prefix}.level2")),
                                super::loc(&c.at),
                            );
                            continue;
                        }
                        for (k, p) in items[j..end].iter().enumerate() {
                            let (content, default) = indicator_cell(p, &c.show.value);
                            self.put(
                                row + j + k,
                                cols,
                                1,
                                content,
                                own.unwrap_or(default),
                                Some(format!("{prefix}.{}", c.show.value)),
                                super::loc(&c.at),
                            );
                        }
                    }
                    j = end;
                }
                if items.len() < height {
                    for c in &side.columns {
                        self.put(
                            row + items.len(),
                            cols_of(&c.at.value).unwrap_or((0, 0)),
                            height - items.len(),
                            Content::Blank,
                            Role::Value,
                            None,
                            super::loc(&c.at),
                        );
                    }
                }
            }
            row += height;
        }
        self.row = row;
        self.placed.extend(annual);
    }

    /// Every slot covered by exactly one cell, else the first slot that is not.
    fn check_tiling(&self, rows: usize, ncols: usize) -> Result<(), Problem> {
        let mut owner: Vec<Option<usize>> = vec![None; rows * ncols];
        for (i, c) in self.cells.iter().enumerate() {
            for r in c.row..=c.last_row() {
                for k in c.col..=c.last_col() {
                    let Some(slot) = owner.get_mut(r * ncols + k) else {
                        continue;
                    };
                    if let Some(other) = *slot {
                        let (a, b) = (self.origins[other], self.origins[i]);
                        return Err(Problem::new(
                            Code::LayoutSpan,
                            b,
                            format!(
                                "表格第 {} 行 {} 列被两个单元格占用（另一个在第 {} 行第 {} 列定义）",
                                r + 1,
                                letter(k),
                                a.line,
                                a.column
                            ),
                            format!(
                                "table row {}, column {} is covered by two cells (the other is defined at line {}, column {})",
                                r + 1,
                                letter(k),
                                a.line,
                                a.column
                            ),
                        ));
                    }
                    *slot = Some(i);
                }
            }
        }
        if let Some(free) = owner.iter().position(Option::is_none) {
            let (r, k) = (free / ncols, free % ncols);
            let near = self
                .cells
                .iter()
                .position(|c| c.row <= r && r <= c.last_row())
                .map_or(Loc::START, |i| self.origins[i]);
            return Err(Problem::new(
                Code::LayoutSpan,
                near,
                format!(
                    "表格第 {} 行 {} 列没有单元格：这一行的单元格（含向下合并的）要正好覆盖每一列",
                    r + 1,
                    letter(k)
                ),
                format!(
                    "table row {}, column {} has no cell: the cells of a row (with those reaching down into it) must cover every column once",
                    r + 1,
                    letter(k)
                ),
            ));
        }
        Ok(())
    }
}

/// Combines the data of several blocks: `None` when none shows data.
fn merge(parts: Vec<Option<bool>>) -> Option<bool> {
    let shown: Vec<bool> = parts.into_iter().flatten().collect();
    if shown.is_empty() {
        None
    } else {
        Some(shown.into_iter().any(|b| b))
    }
}

/// Column letter of a 0-based index (A…Z, then AA…).
pub fn letter(mut k: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (k % 26) as u8) as char);
        if k < 26 {
            return s;
        }
        k = k / 26 - 1;
    }
}

/// `■新增 □延续`: the box of the option the value starts with is filled; a value that names none is
/// printed after the boxes, so nothing is lost.
fn ticks(value: &Value, options: &[String]) -> Content {
    let written = match value {
        Value::Text(t) => t.trim().to_string(),
        Value::Blank => String::new(),
        other => content(other, &super::def::Money::default(), AmountUnit::Wan, None).display(),
    };
    // `延续项目` ticks `延续`.
    let names = |o: &String| !written.is_empty() && written.starts_with(o.trim());
    let mut out: Vec<String> = options
        .iter()
        .map(|o| format!("{}{o}", if names(o) { '■' } else { '□' }))
        .collect();
    if !written.is_empty() && !options.iter().any(names) {
        out.push(format!("（{written}）"));
    }
    Content::Text(out.join(" "))
}

/// One indicator's cell for column `show`, and the column's default role.
fn indicator_cell(p: &Placed<'_>, show: &str) -> (Content, Role) {
    let text = |s: &str| {
        if s.trim().is_empty() {
            Content::Blank
        } else {
            Content::Text(s.trim().to_string())
        }
    };
    let row = indicator_row(p);
    match show {
        "name" => (text(&p.indicator.name.value), Role::LongText),
        "value" => {
            let value = p.indicator.value.value.display();
            (
                if value.is_empty() {
                    Content::Blank
                } else {
                    Content::Text(value)
                },
                Role::Value,
            )
        }
        "note" => (
            p.indicator
                .note
                .as_ref()
                .map_or(Content::Blank, |n| text(&n.value)),
            Role::LongText,
        ),
        "weight" => (
            row.weight
                .map_or(Content::Blank, |w| Content::Text(w.normalize().to_string())),
            Role::Value,
        ),
        "direction" => (text(&row.direction), Role::Value),
        "explanation" => (
            p.indicator
                .explanation
                .as_ref()
                .map_or(Content::Blank, |n| text(&n.value)),
            Role::LongText,
        ),
        "standard" => (
            p.indicator
                .standard
                .as_ref()
                .map_or(Content::Blank, |n| text(&n.value)),
            Role::Value,
        ),
        "nature" => (text(&row.nature), Role::Value),
        "unit" => (text(&row.unit), Role::Value),
        // A bare number; a 定性 value (良好) has none and prints as written, so that 指标性质 +
        // 指标值 + 度量单位 always carry the whole value.
        "number" => (
            match row.number {
                Some(n) => Content::Text(n.normalize().to_string()),
                None => text(&row.value),
            },
            Role::Value,
        ),
        _ => (Content::Blank, Role::Value),
    }
}

/// A self-evaluation's result column `show` of one indicator (`[actual, points, score,
/// reason]`, [`super::selfeval::results`]), and the column's default role; `None` for a column
/// of the target's indicator.
fn result_cell(result: &[Value; 4], show: &str) -> Option<(Content, Role)> {
    let (i, role) = match show {
        "actual" => (0, Role::Value),
        "points" => (1, Role::Value),
        "score" => (2, Role::Amount),
        "reason" => (3, Role::LongText),
        _ => return None,
    };
    // Scores and texts: no money, so no unit to convert.
    Some((
        content(
            &result[i],
            &super::def::Money::default(),
            AmountUnit::Wan,
            None,
        ),
        role,
    ))
}

/// The columns a free-text indicator's text spans (from the first to the last of them): the
/// 二级, the 三级 and the 指标值, whole (`value`) or in parts (指标性质 | 指标值 | 度量单位 of an
/// integrated-system sheet).
pub const FREE_TEXT_COLUMNS: [&str; 6] = ["level2", "name", "value", "nature", "number", "unit"];

/// The columns a free-text indicator's text spans: from the first of [`FREE_TEXT_COLUMNS`] to
/// the last, with whatever lies between. None when the table has none of them.
fn free_span<'c>(columns: impl Iterator<Item = &'c ColumnDef>) -> Option<(usize, usize)> {
    columns
        .filter(|c| FREE_TEXT_COLUMNS.contains(&c.show.value.as_str()))
        .filter_map(|c| cols_of(&c.at.value))
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
}

/// The 指标明细 rows of the printed indicators.
fn indicator_rows(placed: &[Placed<'_>]) -> Vec<IndicatorRow> {
    placed.iter().map(indicator_row).collect()
}

fn indicator_row(p: &Placed<'_>) -> IndicatorRow {
    let v = &p.indicator.value.value;
    if p.is_free_text() {
        // 指标明细: blank 二级 and 三级, the text in the 指标值 column.
        let text = p.indicator.name.value.trim().to_string();
        return IndicatorRow {
            level1: p.level1.name().to_string(),
            level2: String::new(),
            name: String::new(),
            nature: String::new(),
            value: text.clone(),
            number: None,
            unit: String::new(),
            weight: None,
            result: None,
            direction: String::new(),
            written: text,
        };
    }
    IndicatorRow {
        level1: p.level1.name().to_string(),
        level2: p.level2.map_or("", |l| l.name()).to_string(),
        name: p.indicator.name.value.trim().to_string(),
        nature: if v.is_empty() {
            String::new()
        } else {
            v.nature().to_string()
        },
        value: v.display(),
        number: v.number(),
        unit: v.unit().unwrap_or("").to_string(),
        weight: p.indicator.weight.value(),
        result: None,
        direction: p
            .indicator
            .direction
            .as_ref()
            .map(|d| d.value.trim().to_string())
            .unwrap_or_default(),
        written: v.written.clone(),
    }
}

/// The role a cell or column of the definition names, when it names a known one.
fn declared_role(role: &Option<serde_saphyr::Spanned<String>>) -> Option<Role> {
    role.as_ref().and_then(|r| role_of(&r.value))
}
