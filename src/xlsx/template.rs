//! `jixiao template`: a form's layout as a workbook to fill in Excel or WPS.
//!
//! The form sheet is the layout's Grid of a blank declaration (every block printed, empty task
//! rows, a few empty indicator rows under every 二级 of the scheme), written by the same writer
//! as a rendered form, so it prints like one. On top of it: the labels stay locked (the sheet is
//! protected, without a password), the cells to fill are unlocked and lightly shaded, each
//! carries an input message with the field's meaning (from the key table of
//! `src/authoring/keys.rs`) and a data validation (amounts decimals ≥ 0, head counts whole
//! numbers, yes/no and tick boxes as lists, 一级/二级 names as lists fed from the hidden sheet
//! `选项`, the 二级 list depending on the row's 一级). A filled template reads back through
//! [`super::read`].

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, Formula, ProtectionOptions, Workbook, Worksheet,
    XlsxError,
};

use super::read::{self, Shape};
use crate::authoring::keys::{self, Key, Ty};
use crate::declaration::FormKind;
use crate::declaration::scheme::{Level1, Level2};
use crate::layout::{Cell, Content, Grid};
use crate::layouts::{Layout, interp};

/// The light shade of a cell to fill (Excel's pale yellow of input cells).
pub const INPUT_SHADE: u32 = 0xFFF2CC;
/// The hidden sheet the 一级/二级 lists come from.
pub const OPTIONS_SHEET: &str = "选项";
/// The sheet that says how to fill the form.
pub const HELP_SHEET: &str = "填写说明";

/// The blank declaration a template shows: `items` empty tasks and 年度履职目标, two empty
/// further sources, `rows` empty indicators under every 二级 of the scheme (on the 中期 side of
/// a paired table too), an empty sign-off.
fn blank_yaml(kind: FormKind, layout: &str, rows: usize, items: usize) -> String {
    let mut y = format!("form: {}\nsignoff:\n  preparer:\n", kind.key());
    match kind {
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval => {
            y.push_str("execution:\n  rows:\n");
            for name in execution_rows(kind, layout) {
                y.push_str(&format!("    - name: {name}\n"));
            }
        }
        FormKind::Department => {
            for (list, key) in [("tasks", "name"), ("duties", "function")] {
                y.push_str(&format!("{list}:\n"));
                for _ in 0..items {
                    y.push_str(&format!("  - {key}:\n"));
                }
            }
        }
        _ => y.push_str("funds:\n  sources:\n    - name: \"\"\n    - name: \"\"\n"),
    }
    let sides: &[&str] = match kind {
        FormKind::Project => &["indicators", "midterm_indicators"],
        _ => &["indicators"],
    };
    for side in sides {
        y.push_str(&format!("{side}:\n"));
        for l1 in Level1::ALL {
            y.push_str(&format!("  {}:\n", l1.name()));
            for l2 in l1.children() {
                y.push_str(&format!("    {}:\n", l2.name()));
                for _ in 0..rows {
                    y.push_str("      - name: \"\"\n        value: \"\"\n");
                }
            }
        }
    }
    y
}

/// The execution rows a self-evaluation template names (年度资金总额 first, then its parts), as
/// the layout's form has them; a layout of one's own gets the ministry's.
fn execution_rows(kind: FormKind, layout: &str) -> &'static [&'static str] {
    match (kind, layout) {
        (FormKind::DepartmentSelfeval, _) => &["年度资金总额", "基本支出", "项目支出"],
        (_, "sichuan-2023") => &[
            "总额",
            "其中：财政资金",
            "财政专户管理资金",
            "单位资金",
            "其他资金",
        ],
        (_, "transfer") => &["年度资金总额", "其中：中央补助", "地方资金", "其他资金"],
        _ => &[
            "年度资金总额",
            "其中：当年财政拨款",
            "上年结转资金",
            "其他资金",
        ],
    }
}

/// A self-evaluation's 分值 and 得分 (decimals ≥ 0, never amounts).
fn is_points(path: &str) -> bool {
    matches!(
        path,
        "indicators.points" | "indicators.score" | "execution.points" | "execution.rows.points"
    )
}

/// The key of declaration field `path` (`funds.total`, `tasks.amount`, `indicators.value`).
fn key_of(kind: FormKind, path: &str) -> Option<&'static Key> {
    let mut table = keys::form_keys(kind);
    // An execution row's 分值 and 原因 are the block's (on the first row).
    let path = match path {
        "execution.rows.points" => "execution.points",
        "execution.rows.reason" => "execution.reason",
        p => p,
    };
    let mut parts = path.split('.').peekable();
    if path.starts_with("indicators.") || path.starts_with("midterm_indicators.") {
        parts.next();
        table = match kind {
            FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval => keys::SELFEVAL_INDICATOR,
            _ => keys::INDICATOR,
        };
    }
    while let Some(part) = parts.next() {
        // `history.1.year`: the item of a list is its key table again.
        if part.parse::<u32>().is_ok() {
            continue;
        }
        let key = table.iter().find(|k| k.key == part)?;
        if parts.peek().is_none() {
            return Some(key);
        }
        table = match key.ty {
            Ty::Block(t) | Ty::List(t) => t,
            _ => return None,
        };
    }
    None
}

/// A furniture text with its `{field}`s left blank, to be filled in.
fn without_fields(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let (Some(open), Some(close)) = (rest.find('{'), rest.find('}')) {
        if close < open {
            break;
        }
        out.push_str(&rest[..open]);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// At most `n` characters (Excel's limits on input titles and messages).
fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Writes the template of `layout` as a workbook.
pub fn write(layout: &Layout, rows: usize, items: usize) -> Result<Vec<u8>, XlsxError> {
    let decl = crate::declaration::parse(&blank_yaml(
        layout.kind,
        &layout.name,
        rows.clamp(1, 50),
        items.clamp(1, 100),
    ))
    .declaration
    .ok_or_else(|| XlsxError::ParameterError("the blank declaration does not parse".into()))?;
    let grid = interp::build_with(&decl, layout, true)
        .map_err(|p| XlsxError::ParameterError(format!("layout {}: {}", layout.name, p.en)))?;
    let mut workbook = Workbook::new();
    workbook.set_properties(&super::properties(&grid)?);
    let sheet = workbook.add_worksheet();
    super::form_sheet(sheet, &grid)?;
    inputs(sheet, &grid, layout)?;
    help_sheet(workbook.add_worksheet(), &grid)?;
    let options = workbook.add_worksheet();
    options_sheet(options)?;
    for (i, l1) in Level1::ALL.iter().enumerate() {
        let n = l1.children().count();
        let col = interp::letter(i + 1);
        workbook.define_name(l1.name(), &format!("={OPTIONS_SHEET}!${col}$1:${col}${n}"))?;
    }
    workbook.save_to_buffer()
}

/// Unlocks, shades and validates every cell to fill; protects the rest.
fn inputs(sheet: &mut Worksheet, grid: &Grid, layout: &Layout) -> Result<(), XlsxError> {
    let plan = super::plan(grid);
    let ticks = read::ticks_of(&layout.def);
    let yuan = layout.def.money.unit.value == "元";
    for cell in grid
        .cells
        .iter()
        .filter(|c| c.field.is_some() && !read::is_computed(grid, c))
    {
        let path = cell.field.as_deref().unwrap_or("");
        // An execution row's part prints `—` for the block's 分值 and 得分: its 分值, 得分 and
        // 原因 are the block's, on the first row; nothing to fill on a part.
        let part = || {
            grid.cells.iter().any(|c| {
                c.row == cell.row
                    && c.field
                        .as_deref()
                        .is_some_and(|f| f.starts_with("execution.rows."))
                    && matches!(&c.content, Content::Text(t) if t == "—")
            })
        };
        if matches!(
            path,
            "execution.rows.points" | "execution.rows.score" | "execution.rows.reason"
        ) && part()
        {
            continue;
        }
        let shape = read::shape_of(cell, &ticks, yuan);
        let (first, last) = plan.rows_of(cell);
        let (r, c) = (first as u32, cell.col as u16);
        let (r2, c2) = (last as u32, cell.last_col() as u16);
        let content = match shape {
            // 分值 and 得分 as typed (7.5, not 8.00 nor 7.50 of an amount).
            _ if is_points(path) => Content::Blank,
            Shape::Money { .. } => cell.content.clone(),
            Shape::Percent => Content::Percent(Default::default()),
            Shape::Count => Content::Count(0),
            _ => Content::Text(String::new()),
        };
        let format = super::cell_format(grid, cell.role, &content, false)
            .set_unlocked()
            .set_background_color(INPUT_SHADE);
        match &cell.content {
            // The 一级/二级 names of the blank rows stay filled in: a row the user leaves
            // empty is skipped when read.
            Content::Text(t)
                if matches!(
                    path,
                    "indicators.level1"
                        | "indicators.level2"
                        | "midterm_indicators.level2"
                        | "execution.rows.name"
                ) =>
            {
                sheet.write_string_with_format(r, c, t, &format)?
            }
            _ => sheet.write_blank(r, c, &format)?,
        };
        let label = read::label_for(grid, cell);
        let meaning = match path {
            // The indicator tree has no key of its own for these two columns.
            "indicators.level1" => {
                "从下拉列表中选一级指标（产出指标、成本指标、效益指标、满意度指标）"
            }
            "indicators.level2" | "midterm_indicators.level2" => {
                "从下拉列表中选二级指标；列表随本行的一级指标变化"
            }
            "indicators.nature" => "从下拉列表中选指标性质：≥、≤、=、>、< 或 定性",
            "indicators.number" => "指标值：定量指标填数值（单位写在度量单位栏），定性指标填文字",
            _ => key_of(layout.kind, path).map_or("", |k| k.description),
        };
        let message = if meaning.is_empty() {
            label.clone()
        } else {
            meaning.to_string()
        };
        let v = validation(&shape, path, cell, &plan, grid)?
            .set_input_title(clip(&label, 32))?
            .set_input_message(clip(&message, 250))?;
        sheet.add_data_validation(r, c, r2, c2, &v)?;
    }
    // The year, unit and sign-off lines are typed into as text.
    let st = &grid.styles;
    let top = u32::from(!grid.annex.is_empty());
    let line = |style| {
        super::line_format(style)
            .set_unlocked()
            .set_background_color(INPUT_SHADE)
    };
    let f = &layout.def.furniture;
    if let Some(year) = &f.year {
        let text = year.value.replace("{year}", "    ");
        sheet.write_string_with_format(top + 1, 0, &text, &line(&st.year))?;
        let v = DataValidation::new()
            .allow_any_value()
            .set_input_title("年度")?
            .set_input_message(format!(
                "在空白处填写年度，如 {}",
                year.value.replace("{year}", "2025")
            ))?;
        sheet.add_data_validation(top + 1, 0, top + 1, 0, &v)?;
    }
    if let Some(left) = &f.above.left
        && left.value.contains('{')
    {
        let text = without_fields(&left.value);
        let format = line(&st.line).set_align(rust_xlsxwriter::FormatAlign::Left);
        sheet.write_string_with_format(top + 2, 0, &text, &format)?;
        let v = DataValidation::new()
            .allow_any_value()
            .set_input_title("填报单位")?
            .set_input_message(format!("在“{text}”之后填写"))?;
        sheet.add_data_validation(top + 2, 0, top + 2, 0, &v)?;
    }
    // The right of the unit line, when it takes a field (hunan-2017's 单位负责人（签名）：, hubei-2021's
    // 填报日期：), as the writer places it: in the last two columns.
    let last_col = grid.columns_mm.len().saturating_sub(1) as u16;
    if let Some(right) = &f.above.right
        && right.value.contains('{')
        && last_col >= 1
    {
        let text = without_fields(&right.value);
        let c = last_col.saturating_sub(2).min(last_col - 1) + 1;
        let format = line(&st.line).set_align(rust_xlsxwriter::FormatAlign::Right);
        sheet.write_string_with_format(top + 2, c, &text, &format)?;
        let v = DataValidation::new()
            .allow_any_value()
            .set_input_title(clip(text.trim_end_matches(['：', ':']), 32))?
            .set_input_message(format!("在“{text}”之后填写"))?;
        sheet.add_data_validation(top + 2, c, top + 2, c, &v)?;
    }
    // The lines under the table (hunan-2017's 填报人：　　　联系电话：), after the sign-off line.
    let first = plan.first[grid.rows] as u32 + u32::from(!grid.signoff.is_empty());
    for (r, (left, right)) in (first..).zip(&grid.under) {
        let text = if right.is_empty() {
            left.clone()
        } else {
            format!("{left}　　　{right}")
        };
        if text.contains('：') {
            let format = line(&st.line).set_align(rust_xlsxwriter::FormatAlign::Left);
            sheet.write_string_with_format(r, 0, &text, &format)?;
            let v = DataValidation::new()
                .allow_any_value()
                .set_input_title("签署")?
                .set_input_message("在每个“：”之后填写，保留各项的标签")?;
            sheet.add_data_validation(r, 0, r, 0, &v)?;
        }
    }
    if !grid.signoff.is_empty() {
        let r = plan.first[grid.rows] as u32;
        let text: Vec<String> = grid.signoff.iter().map(|(l, _)| format!("{l}：")).collect();
        let format = line(&st.line).set_align(rust_xlsxwriter::FormatAlign::Left);
        sheet.write_string_with_format(r, 0, text.join("　　　　"), &format)?;
        let v = DataValidation::new()
            .allow_any_value()
            .set_input_title("签署")?
            .set_input_message("在每个“：”之后填写，保留各项的标签")?;
        sheet.add_data_validation(r, 0, r, 0, &v)?;
    }
    // Long texts of the form (年度总体目标, 部门职能简述 …) get room to write in; list rows stay
    // low, so that the indicator table fits on few pages.
    let long = |c: &&Cell| {
        c.role == crate::layout::Role::LongText
            && c.rowspan == 1
            && !c.field.as_deref().is_some_and(|f| {
                f.contains('.')
                    && [
                        "indicators.",
                        "midterm_indicators.",
                        "tasks.",
                        "duties.",
                        "execution.rows.",
                    ]
                    .iter()
                    .any(|p| f.starts_with(p))
            })
    };
    for cell in grid.cells.iter().filter(|c| c.field.is_some()).filter(long) {
        let (first, _) = plan.rows_of(cell);
        if plan.heights[first] < 48.0 {
            sheet.set_row_height(first as u32, 48.0)?;
        }
    }
    let options = ProtectionOptions {
        select_locked_cells: true,
        select_unlocked_cells: true,
        format_rows: true,
        format_columns: true,
        insert_rows: true,
        delete_rows: true,
        ..ProtectionOptions::default()
    };
    sheet.protect_with_options(&options);
    Ok(())
}

/// The data validation of a cell to fill.
fn validation(
    shape: &Shape,
    path: &str,
    cell: &Cell,
    plan: &super::SheetPlan,
    grid: &Grid,
) -> Result<DataValidation, XlsxError> {
    let v = DataValidation::new();
    if is_points(path) {
        return v
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_title("应填数值")?
            .set_error_message("分值、得分是不小于 0 的数（可有小数，如 7.5）");
    }
    Ok(match shape {
        Shape::Money { .. } | Shape::Percent => v
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_title("应填数值")?
            .set_error_message("请填写不小于 0 的数（金额以版式的单位计）")?,
        Shape::Count => v
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_title("应填整数")?
            .set_error_message("人数是不小于 0 的整数")?,
        Shape::Check => v.allow_list_strings(&["是", "否"])?,
        Shape::Ticks(options) => v.allow_list_strings(options)?,
        Shape::Text if path == "indicators.level1" => v.allow_list_formula(Formula::new(format!(
            "={OPTIONS_SHEET}!$A$1:$A${}",
            Level1::ALL.len()
        ))),
        Shape::Text if path == "indicators.nature" => {
            v.allow_list_strings(&["≥", "≤", "=", ">", "<", "定性"])?
        }
        Shape::Text if path == "indicators.weight" => v
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_title("应填数值")?
            .set_error_message("权重是不小于 0 的数")?,
        Shape::Text if matches!(path, "indicators.level2" | "midterm_indicators.level2") => {
            // The 一级 cell of the same row: the list of its 二级 is the defined name it holds.
            let level1 = grid.cells.iter().find(|c| {
                c.field.as_deref() == Some("indicators.level1")
                    && c.row <= cell.row
                    && c.last_row() >= cell.row
            });
            match level1 {
                Some(l1) => {
                    let row = plan.rows_of(l1).0 + 1;
                    v.allow_list_formula(Formula::new(format!(
                        "=INDIRECT(${}${row})",
                        interp::letter(l1.col)
                    )))
                }
                None => v.allow_any_value(),
            }
        }
        Shape::Text => v.allow_any_value(),
    })
}

/// The hidden sheet of names: 一级 in column A, each 一级's 二级 in the next columns.
fn options_sheet(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_name(OPTIONS_SHEET)?;
    for (i, l1) in Level1::ALL.iter().enumerate() {
        sheet.write_string(i as u32, 0, l1.name())?;
        for (j, l2) in l1.children().enumerate() {
            sheet.write_string(j as u32, (i + 1) as u16, l2.name())?;
        }
    }
    debug_assert!(
        Level2::ALL
            .iter()
            .all(|l| Level1::ALL.contains(&l.parent()))
    );
    sheet.set_hidden(true);
    Ok(())
}

/// How to fill the form, on a sheet of its own.
fn help_sheet(sheet: &mut Worksheet, grid: &Grid) -> Result<(), XlsxError> {
    sheet.set_name(HELP_SHEET)?;
    let head = Format::new()
        .set_bold()
        .set_font_size(12)
        .set_font_name(super::HEADING_FONT);
    let body = Format::new()
        .set_text_wrap()
        .set_font_name(super::BODY_FONT)
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    sheet.set_column_width(0, 90)?;
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    let lines = [
        format!("{}：填写说明", grid.title),
        "1. 只在浅黄色的单元格中填写；标签已锁定（工作表保护没有密码，如需改版式可取消保护，但读回时标签须与版式一致）。".to_string(),
        "2. 选中单元格可看到该栏的含义；金额为不小于 0 的数，人数为整数；“是/否”与项目属性从下拉列表中选。".to_string(),
        "3. 年度、填报单位与签署行：在括号或“：”之后填写，保留原有文字。".to_string(),
        "4. 绩效指标：每个二级指标下预留了几行，不用的行留空即可（读回时跳过）。一级、二级指标名称可从下拉列表中选，二级列表随本行的一级变化。".to_string(),
        "5. 行不够时：选中某个二级指标块中间的一行，右键“插入”整行，一级、二级的合并单元格会随之扩展；插在块下方的新行，一级、二级留空即沿用上一行。年度主要任务、年度履职目标同理，在其中的行之间插入。".to_string(),
        "6. 填好后：jixiao check 本文件.xlsx 检查（问题定位到“工作表!单元格”），jixiao render 本文件.xlsx -o out 出 PDF，jixiao import 本文件.xlsx -o 本文件.yaml 转为 YAML。".to_string(),
    ];
    let mut lines = lines.to_vec();
    let shows =
        |f: &dyn Fn(&str) -> bool| grid.cells.iter().any(|c| c.field.as_deref().is_some_and(f));
    if shows(&|f| f.starts_with("midterm_indicators.")) {
        lines.push("7. 中期与年度并列：左侧填中期指标，右侧填年度指标，一级指标两侧共用；一侧不用的行留空即可。".to_string());
    }
    // A project's own field beside its indicators: one band per project (sichuan-2023).
    let banded = grid.cells.iter().any(|c| {
        c.field.as_deref() == Some("name")
            && grid.cells.iter().any(|i| {
                i.row == c.row
                    && i.field
                        .as_deref()
                        .is_some_and(|f| f.starts_with("indicators."))
            })
    });
    if banded {
        lines.push("7. 一表多项目：再加一个项目，就在表下（签署行之前）插入行，在第一行填上项目名称、预算数、年度目标（单位名称与填报单位相同时可留空）和它的指标，一级、二级照填。".to_string());
    }
    if matches!(
        grid.kind,
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval
    ) {
        lines.push(format!("{}. 自评表：资金各行填年初预算数、全年预算数、全年执行数，第一行（年度资金总额）另填分值（默认 10）；每个指标填实际完成值、分值，得分可不填（由 jixiao 按规则算出），填了会被核对；执行率、资金的得分、总分和自评等级由 jixiao 计算，单元格锁定，填在那里的数不读取。", lines.len()));
    }
    for (i, l) in lines.iter().enumerate() {
        sheet.write_string_with_format(i as u32, 0, l, if i == 0 { &head } else { &body })?;
        sheet.set_row_height(i as u32, if i == 0 { 24 } else { 48 })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_a_self_evaluation_template_asks_for_has_a_meaning() {
        for (id, kind) in [
            ("mof-2020", FormKind::ProjectSelfeval),
            ("mof-2020", FormKind::DepartmentSelfeval),
            ("sichuan-2023", FormKind::ProjectSelfeval),
            ("transfer", FormKind::ProjectSelfeval),
        ] {
            let layout = crate::layouts::builtin(id, kind).unwrap();
            let decl = crate::declaration::parse(&blank_yaml(kind, id, 1, 1))
                .declaration
                .unwrap();
            let grid = interp::build_with(&decl, &layout, true).unwrap();
            for cell in grid
                .cells
                .iter()
                .filter(|c| c.field.is_some() && !read::is_computed(&grid, c))
            {
                let path = cell.field.as_deref().unwrap();
                if matches!(path, "indicators.level1" | "indicators.level2") {
                    continue;
                }
                if matches!(
                    path,
                    "indicators.nature" | "indicators.number" | "indicators.unit"
                ) {
                    continue;
                }
                let key = key_of(kind, path);
                assert!(
                    key.is_some_and(|k| !k.description.is_empty()),
                    "{id} {kind:?} {path}"
                );
            }
        }
    }

    #[test]
    fn every_field_a_layout_prints_has_a_meaning() {
        for kind in [FormKind::Project, FormKind::Department] {
            for path in crate::layouts::fields::all_paths(kind) {
                if matches!(
                    path.as_str(),
                    "indicators.level1"
                        | "indicators.level2"
                        | "indicators.nature"
                        | "indicators.number"
                        | "indicators.unit"
                        // A `show: field` column shows the project field its `field` names.
                        | "indicators.field"
                ) || path.ends_with("_share")
                // 占比 is computed, never typed.
                {
                    continue;
                }
                assert!(
                    key_of(kind, &path).is_some_and(|k| !k.description.is_empty()),
                    "{kind:?} {path}"
                );
            }
        }
    }
}
