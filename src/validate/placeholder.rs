//! `field.placeholder`: a text field or an indicator's name or value still holds a placeholder
//! `【请填写…】` left by `jixiao init`. It is an error, so an unfinished file is never printed.
//!
//! Number fields (amounts, counts, the year, yes/no) holding a placeholder are already reported by
//! the parser (`amount.format`, `yaml.type`, quoting the placeholder) and are `Invalid` here.

use crate::authoring::init::placeholders;
use crate::declaration::{Declaration, Loc, Text};
use crate::diagnostic::{Code, Diagnostic};

/// Reports every text field and indicator name/value that holds a placeholder.
pub(super) fn field_placeholder(decl: &Declaration, out: &mut Vec<Diagnostic>) {
    let mut texts: Vec<(&str, &Text)> = Vec::new();
    let common = decl.common();
    match decl {
        Declaration::Project(p) => {
            texts.extend([
                ("填报单位", &common.unit),
                ("项目名称", &common.name),
                ("主管部门及代码", &p.department),
                ("实施单位", &p.implementer),
                ("项目属性", &p.attribute),
                ("项目日期范围", &p.period),
                ("年度总体目标", &p.goal),
            ]);
            for source in &p.funds.sources {
                report(out, "其他资金来源", &source.name.value, source.name.loc);
            }
        }
        Declaration::SelfEval(s) => texts.extend(s.texts()),
        Declaration::Department(d) => {
            texts.extend([
                ("填报单位", &common.unit),
                ("部门（单位）名称", &common.name),
                ("联系人", &d.contact),
                ("联系电话", &d.phone),
                ("部门职能依据", &d.basis),
                ("部门职能简述", &d.functions),
                ("所属部门领域", &d.field),
                ("直属部门包括", &d.subordinates),
                ("内设职能部门", &d.divisions),
                ("其他需要说明的事项", &d.remarks),
                ("部门职能分解", &d.decomposition.functions),
                ("部门中期目标", &d.decomposition.midterm),
                ("部门年度绩效目标", &d.decomposition.annual),
            ]);
            for task in &d.tasks {
                texts.extend([
                    ("任务名称", &task.name),
                    ("工作内容", &task.content),
                    ("对应年度绩效目标和内容", &task.goal),
                ]);
            }
        }
    }
    if let Some(s) = &common.signoff {
        texts.extend([
            ("填报人", &s.preparer),
            ("联系电话", &s.phone),
            ("单位负责人", &s.head),
            ("填报日期", &s.date),
        ]);
    }
    for (label, text) in texts {
        if let Some(t) = text {
            report(out, label, &t.value, t.loc);
        }
    }
    for level1 in &decl.indicators().groups {
        report(out, "一级指标", &level1.name.value, level1.name.loc);
        for item in &level1.texts {
            report(out, "指标", &item.name.value, item.name.loc);
        }
        for level2 in &level1.groups {
            report(out, "二级指标", &level2.name.value, level2.name.loc);
            for item in &level2.items {
                report(out, "三级指标名称", &item.name.value, item.name.loc);
                report(out, "指标值", &item.value.value.written, item.value.loc);
                for (label, text) in [("指标方向性", &item.direction), ("备注", &item.note)]
                {
                    if let Some(t) = text {
                        report(out, label, &t.value, t.loc);
                    }
                }
            }
        }
    }
}

/// One error for the first placeholder in `text` (one per field is enough to find it).
fn report(out: &mut Vec<Diagnostic>, label: &str, text: &str, loc: Loc) {
    if let Some((_, placeholder)) = placeholders(text).first() {
        out.push(Diagnostic::error(
            Code::FieldPlaceholder,
            loc,
            format!("{label}仍是占位符 “{placeholder}”：请换成实际内容"),
            format!("{label} still holds the placeholder `{placeholder}`: replace it with the real value"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::parse;

    fn placeholder_diags(yaml: &str) -> Vec<Diagnostic> {
        let decl = parse(yaml).declaration.expect("parses");
        let mut out = Vec::new();
        field_placeholder(&decl, &mut out);
        out
    }

    #[test]
    fn text_fields_and_indicators_with_placeholders_are_located_errors() {
        let yaml = "form: project\nyear: 2024\nname: 【请填写项目名称，如 某项目】\ngoal: 真实目标\n\
                    indicators:\n  产出指标:\n    数量指标:\n      - 【请填写名称】: ≥1家\n      - 家数: 【请填写指标值】\n";
        let diags = placeholder_diags(yaml);
        let found: Vec<(Code, u32, u32)> = diags
            .iter()
            .map(|d| (d.code, d.loc.line, d.loc.column))
            .collect();
        assert_eq!(
            found,
            vec![
                (Code::FieldPlaceholder, 3, 7),
                (Code::FieldPlaceholder, 8, 9),
                (Code::FieldPlaceholder, 9, 13)
            ]
        );
        assert!(diags.iter().all(Diagnostic::is_error));
        assert!(
            diags[0].zh.contains("项目名称")
                && diags[0].zh.contains("【请填写项目名称，如 某项目】")
        );
    }

    #[test]
    fn document_numbers_in_brackets_are_not_placeholders() {
        let yaml = "form: department\nyear: 2024\nname: 某局\nbasis: 柴办字【2020】21号\n\
                    indicators:\n  产出指标:\n    数量指标:\n      - 次数: ≥12次\n";
        assert_eq!(placeholder_diags(yaml), vec![]);
    }
}
