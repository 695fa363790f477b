//! `field.required`: what a form cannot be printed without (spec `declarations.md`: `form`,
//! `year`, `name`, `indicators`; a project also needs `funds.total` and `goal`). `form` itself is
//! checked by the parser, which cannot choose the form's shape without it.

use crate::declaration::{Declaration, Entry, Loc};
use crate::diagnostic::{Code, Diagnostic};

pub(super) fn required(decl: &Declaration, out: &mut Vec<Diagnostic>) {
    let common = decl.common();
    // A top-level field written empty points just after its colon; one left out, at the
    // document (it has no block of its own).
    let at = |key: &str| common.blanks.get(key).unwrap_or(Loc::START);
    if common.year.is_blank() {
        out.push(missing(at("year"), "年度", "year"));
    }
    if common.name.is_none() {
        let label = match decl {
            Declaration::Project(_) => "项目名称",
            Declaration::Department(_) | Declaration::SelfEval(_) => "部门（单位）名称",
        };
        out.push(missing(at("name"), label, "name"));
    }
    if common.indicators.groups.is_empty() {
        out.push(missing(common.indicators.loc, "绩效指标", "indicators"));
    }
    if let Declaration::Project(p) = decl {
        if matches!(p.funds.total, Entry::Blank) {
            out.push(missing(
                p.funds.blanks.get("total").unwrap_or(p.funds.loc),
                "年度资金总额",
                "funds.total",
            ));
        }
        if p.goal.is_none() {
            out.push(missing(at("goal"), "年度总体目标", "goal"));
        }
    }
}

fn missing(loc: Loc, label: &str, key: &str) -> Diagnostic {
    Diagnostic::error(
        Code::FieldRequired,
        loc,
        format!("缺少必填项 {label}（{key}）：表格不能没有它"),
        format!("{label} (`{key}`) is required: the form cannot be printed without it"),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Loc};
    use crate::validate::test_support::*;

    #[test]
    fn complete_forms_need_nothing() {
        assert!(with_code(&department(""), Code::FieldRequired).is_empty());
        assert!(with_code(&project("funds:\n  total: 5\n"), Code::FieldRequired).is_empty());
    }

    #[test]
    fn each_required_field_is_reported() {
        let d = with_code("form: department\n", Code::FieldRequired);
        let keys: Vec<_> = d
            .iter()
            .map(|d| d.en.split('`').nth(1).unwrap().to_string())
            .collect();
        assert_eq!(keys, ["year", "name", "indicators"]);
        let p = with_code("form: project\nyear: 2023\nname: x\n", Code::FieldRequired);
        let keys: Vec<_> = p
            .iter()
            .map(|d| d.en.split('`').nth(1).unwrap().to_string())
            .collect();
        assert_eq!(keys, ["indicators", "funds.total", "goal"]);
        assert!(p[0].zh.contains("绩效指标"));
    }

    #[test]
    fn a_blank_total_points_at_itself_or_the_funds_block() {
        let text = project("funds:\n  fiscal: 5\n  total:\n");
        let d = with_code(&text, Code::FieldRequired);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].loc, Loc::new(7, 8), "the colon of `total:`");
        let text = project("funds:\n  fiscal: 5\n");
        let d = with_code(&text, Code::FieldRequired);
        assert_eq!(
            d[0].loc,
            Loc::new(6, 3),
            "the block, where `total` is missing"
        );
        assert!(d[0].zh.contains("年度资金总额"));
        // An empty name is as blank as a missing one; it points after its colon.
        let d = with_code(
            &project("funds:\n  total: 5\n").replace("name: 测试项目", "name: \"  \""),
            Code::FieldRequired,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, Loc::new(3, 7));
        assert!(d[0].zh.contains("项目名称"));
        let d = with_code(
            &project("funds:\n  total: 5\n").replace("name: 测试项目\n", ""),
            Code::FieldRequired,
        );
        assert_eq!(d[0].loc, Loc::START);
    }
}
