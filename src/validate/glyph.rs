//! `text.glyph`: every character must be drawable by a font of this run.
//!
//! A plain PDF export draws a missing glyph as an empty box without a word, so the check runs
//! before rendering, over every text the declaration gives (names, values, goal, tasks, labels
//! of extra fund sources, sign-off…), against the fonts the render will use. The diagnostic is
//! at the field's YAML position and names the character and its code point; one diagnostic per
//! distinct character per field.

use super::GlyphCoverage;
use crate::declaration::{Declaration, Located, Text};
use crate::diagnostic::{Code, Diagnostic, Loc};

/// A text to check: the form's label for it, where it is, and the text as printed.
struct Field<'a> {
    label: &'a str,
    loc: Loc,
    text: std::borrow::Cow<'a, str>,
}

fn push<'a>(fields: &mut Vec<Field<'a>>, label: &'a str, text: &'a Text) {
    if let Some(t) = text {
        fields.push(Field {
            label,
            loc: t.loc,
            text: t.value.as_str().into(),
        });
    }
}

fn push_located<'a>(fields: &mut Vec<Field<'a>>, label: &'a str, text: &'a Located<String>) {
    fields.push(Field {
        label,
        loc: text.loc,
        text: text.value.as_str().into(),
    });
}

/// Every user-given text of the declaration, with its label and location.
fn fields(decl: &Declaration) -> Vec<Field<'_>> {
    let mut f = Vec::new();
    let common = decl.common();
    push(&mut f, "填报单位", &common.unit);
    match decl {
        Declaration::Project(p) => {
            push(&mut f, "项目名称", &common.name);
            push(&mut f, "主管部门及代码", &p.department);
            push(&mut f, "实施单位", &p.implementer);
            push(&mut f, "项目属性", &p.attribute);
            push(&mut f, "项目日期范围", &p.period);
            for source in &p.funds.sources {
                push_located(&mut f, "资金来源", &source.name);
            }
            push(&mut f, "年度总体目标", &p.goal);
        }
        Declaration::Department(d) => {
            push(&mut f, "部门（单位）名称", &common.name);
            push(&mut f, "联系人", &d.contact);
            push(&mut f, "联系电话", &d.phone);
            push(&mut f, "部门职能依据", &d.basis);
            push(&mut f, "部门职能简述", &d.functions);
            push(&mut f, "所属部门领域", &d.field);
            push(&mut f, "直属部门包括", &d.subordinates);
            push(&mut f, "内设职能部门", &d.divisions);
            push(&mut f, "其他需要说明的事项", &d.remarks);
            push(&mut f, "部门职能分解", &d.decomposition.functions);
            push(&mut f, "部门中期目标", &d.decomposition.midterm);
            push(&mut f, "部门年度绩效目标", &d.decomposition.annual);
            for task in &d.tasks {
                push(&mut f, "任务名称", &task.name);
                push(&mut f, "工作内容", &task.content);
                push(&mut f, "对应年度绩效目标和内容", &task.goal);
            }
        }
        Declaration::SelfEval(s) => {
            for (label, text) in s.texts() {
                push(&mut f, label, text);
            }
        }
    }
    for l1 in &common.indicators.groups {
        push_located(&mut f, "一级指标", &l1.name);
        for item in &l1.texts {
            push_located(&mut f, "指标", &item.name);
        }
        for l2 in &l1.groups {
            push_located(&mut f, "二级指标", &l2.name);
            for item in &l2.items {
                push_located(&mut f, "三级指标", &item.name);
                // The value as printed (a typed `≧` prints as `≥`).
                f.push(Field {
                    label: "指标值",
                    loc: item.value.loc,
                    text: item.value.value.display().into(),
                });
                push(&mut f, "指标方向性", &item.direction);
                push(&mut f, "备注", &item.note);
            }
        }
    }
    if let Some(s) = &common.signoff {
        push(&mut f, "填报人", &s.preparer);
        push(&mut f, "联系电话", &s.phone);
        push(&mut f, "单位负责人", &s.head);
        push(&mut f, "填报日期", &s.date);
    }
    f
}

pub(super) fn text_glyph(
    decl: &Declaration,
    glyphs: &dyn GlyphCoverage,
    out: &mut Vec<Diagnostic>,
) {
    for field in fields(decl) {
        let mut seen: Vec<char> = Vec::new();
        for c in field.text.chars() {
            if seen.contains(&c) || glyphs.covers(c) {
                continue;
            }
            seen.push(c);
            let code = format!("U+{:04X}", c as u32);
            out.push(Diagnostic::error(
                Code::TextGlyph,
                field.loc,
                format!("{}：“{c}” ({code}) 无法用内置字体显示，打印时会成为空框；请改用常用字，或用 --font-dir 提供含此字的字体", field.label),
                format!(
                    "{}: \"{c}\" ({code}) cannot be drawn by any font of this run and would print as an empty box; use a common character or add a font with --font-dir",
                    field.label
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    fn check(yaml: &str, glyphs: &dyn GlyphCoverage) -> Vec<Diagnostic> {
        let outcome = crate::declaration::parse(yaml);
        let decl = outcome.declaration.expect("the test declaration parses");
        let mut out = Vec::new();
        text_glyph(&decl, glyphs, &mut out);
        out
    }

    const PROJECT: &str = "form: project\nyear: 2023\nname: 刻章项目\nfunds:\n  total: 150\n\
goal: 为企业𠀀提供免费刻章𠀀，王𠀁\nindicators:\n  产出指标:\n    数量指标:\n      - 刻章数: ≥7500家\n";

    #[test]
    fn the_tick_marks_forms_use_print_from_the_bundled_fonts() {
        let fonts = crate::fonts::FontSet::bundled();
        let marks = "□ ■ ☐ ☑ ☒ ✓ ✔ ✗ ✘ √ ○ ●";
        let yaml = PROJECT.replace(
            "goal: 为企业𠀀提供免费刻章𠀀，王𠀁",
            &format!("goal: {marks}"),
        );
        assert_eq!(check(&yaml, &*fonts), vec![]);
        // The check itself still fires on a mark no bundled face has (⛝ U+26DD).
        assert_eq!(check(&yaml.replace("□ ■", "⛝"), &*fonts).len(), 1);
    }

    #[test]
    fn ext_b_character_is_an_error_at_its_field() {
        let fonts = crate::fonts::FontSet::bundled();
        let diags = check(PROJECT, &*fonts);
        assert_eq!(
            diags.len(),
            2,
            "one per distinct character of the field: {diags:#?}"
        );
        let d = &diags[0];
        assert_eq!(d.code, Code::TextGlyph);
        assert!(d.is_error());
        assert_eq!(
            (d.loc.line, d.loc.column),
            (6, 7),
            "the goal's value position"
        );
        assert!(
            d.zh.contains("“𠀀” (U+20000) 无法用内置字体显示"),
            "{}",
            d.zh
        );
        assert!(d.zh.contains("年度总体目标"));
        assert!(d.en.contains("U+20000"));
        assert!(diags[1].zh.contains("U+20001"));
    }

    #[test]
    fn common_and_rare_name_characters_are_covered() {
        let fonts = crate::fonts::FontSet::bundled();
        // 镕 喆 堃 玥 珺: name characters GB2312 fonts miss; ≥ ≤ ■ □ and line breaks print too.
        let yaml = PROJECT.replace(
            "为企业𠀀提供免费刻章𠀀，王𠀁",
            "\"朱镕基 张喆 李堃 王玥 刘珺 ≥≤■□ ①\\nABC abc 123\"",
        );
        assert!(check(&yaml, &*fonts).is_empty());
    }

    #[test]
    fn coverage_decides_every_field() {
        /// Covers only ASCII: every Chinese text is missing.
        struct OnlyAscii;
        impl GlyphCoverage for OnlyAscii {
            fn covers(&self, c: char) -> bool {
                c.is_ascii()
            }
        }
        let diags = check(PROJECT, &OnlyAscii);
        let labels: Vec<&str> = diags
            .iter()
            .map(|d| d.zh.split('：').next().unwrap())
            .collect();
        for label in [
            "项目名称",
            "年度总体目标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
        ] {
            assert!(labels.contains(&label), "{label} not checked: {labels:?}");
        }
    }
}
