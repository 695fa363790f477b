//! The fields a self-evaluation layout may print (`form: project-selfeval` /
//! `department-selfeval`, spec `selfeval.md`): what the declaration gives, with the name,
//! department and goal taken from the target when this file leaves them out, and what
//! [`evaluate`] works out from it — execution rates, scores, the total and the grade. A layout
//! prints a computed score exactly as the rules check it: both come from the one evaluation.
//!
//! Kept apart from [`super::fields`] (the target forms' registry), which only dispatches here.

use rust_decimal::Decimal;

use super::fields::{Value, money, text};
use crate::declaration::{Indicator, Text};
use crate::selfeval::evaluate::{Actual, Evaluation, Scored, evaluate};
use crate::selfeval::{SelfEvalForm, Signoff};

/// 分值: a whole number prints as one (`10`), a fraction with two places.
pub fn points(p: Option<Decimal>) -> Value {
    match p {
        Some(p) if p.fract().is_zero() => {
            u32::try_from(p.normalize().mantissa()).map_or(Value::Score(p), Value::Count)
        }
        Some(p) => Value::Score(p),
        None => Value::Blank,
    }
}

fn score(s: Option<Decimal>) -> Value {
    s.map_or(Value::Blank, Value::Score)
}

fn signoff(f: &SelfEvalForm, get: fn(&Signoff) -> &Text) -> Value {
    f.signoff.as_ref().map_or(Value::Blank, |s| text(get(s)))
}

type Get = fn(&SelfEvalForm, &Evaluation<'_>) -> Value;

/// The scalar fields: (path, value, whether the declaration writes it). A computed field
/// (`total.score`) is never "filled" for `layout.unprinted`: only what the user wrote is.
const SCALARS: &[(&str, Get, bool)] = &[
    (
        "year",
        |f, _| {
            f.year()
                .map_or(Value::Blank, |y| Value::Text(y.to_string()))
        },
        true,
    ),
    ("unit", |f, _| text(f.unit()), true),
    ("name", |f, _| text(f.name()), true),
    ("code", |f, _| text(&f.code), true),
    ("department", |f, _| text(f.department()), true),
    ("implementer", |f, _| text(f.implementer()), true),
    ("goal", |f, _| text(f.goal()), true),
    ("goal_result", |f, _| text(&f.goal_result), true),
    (
        "execution.points",
        |_, e| points(Some(e.execution.points)),
        false,
    ),
    (
        "execution.rate",
        |_, e| e.execution.rate.map_or(Value::Blank, Value::Percent),
        false,
    ),
    ("execution.score", |_, e| score(e.execution.score), false),
    ("execution.reason", |f, _| text(&f.execution.reason), true),
    ("total.points", |_, e| points(Some(e.total_points)), false),
    ("total.score", |_, e| Value::Score(e.total), false),
    ("grade", |_, e| Value::Text(e.grade.to_string()), false),
    (
        "conclusion.summary",
        |f, _| text(&f.conclusion.summary),
        true,
    ),
    (
        "conclusion.problems",
        |f, _| text(&f.conclusion.problems),
        true,
    ),
    (
        "conclusion.measures",
        |f, _| text(&f.conclusion.measures),
        true,
    ),
    (
        "signoff.project_head",
        |f, _| signoff(f, |s| &s.project_head),
        true,
    ),
    (
        "signoff.finance_head",
        |f, _| signoff(f, |s| &s.finance_head),
        true,
    ),
    ("signoff.preparer", |f, _| signoff(f, |s| &s.preparer), true),
    ("signoff.phone", |f, _| signoff(f, |s| &s.phone), true),
    ("signoff.date", |f, _| signoff(f, |s| &s.date), true),
];

/// The list of budget execution rows: 年度资金总额 first, then its parts.
pub const EXECUTION_ROWS: &str = "execution.rows";

/// The item fields of `execution.rows`. `rate` is computed (全年执行数 ÷ 全年预算数; a given rate
/// is checked against it by `execution.rate`). `points` and `score` are the block's 分值 and 得分 on
/// the first row (年度资金总额) and `—` on its parts, as the forms print them; `reason` is the
/// block's 原因 on the first row.
pub const ROW_FIELDS: &[&str] = &[
    "name", "initial", "budget", "spent", "rate", "points", "score", "reason",
];

/// The indicator columns only a self-evaluation has: 实际完成值, 分值, 得分, 偏差原因.
pub const RESULT_COLUMNS: &[&str] = &["actual", "points", "score", "reason"];

/// Every scalar field path.
pub fn scalars() -> Vec<&'static str> {
    SCALARS.iter().map(|(n, _, _)| *n).collect()
}

/// The value of scalar `path`; `None` when there is no such field.
pub fn scalar(f: &SelfEvalForm, path: &str) -> Option<Value> {
    let (_, get, _) = SCALARS.iter().find(|(n, _, _)| *n == path)?;
    Some(get(f, &evaluate(f)))
}

/// Field `leaf` of execution row `index`.
pub fn row(f: &SelfEvalForm, index: usize, leaf: &str) -> Value {
    let Some(r) = f.execution.rows.get(index) else {
        return Value::Blank;
    };
    let first = index == 0;
    let dash = || Value::Text("—".into());
    match leaf {
        "name" => text(&r.name),
        "initial" => money(&r.initial),
        "budget" => money(&r.budget),
        "spent" => money(&r.spent),
        "rate" => match (r.spent.value(), r.budget.value()) {
            (Some(spent), Some(budget)) => crate::selfeval::score::execution_rate(spent, budget)
                .map_or(Value::Blank, Value::Percent),
            _ => Value::Blank,
        },
        "points" if first => points(Some(evaluate(f).execution.points)),
        "score" if first => score(evaluate(f).execution.score),
        "points" | "score" => dash(),
        "reason" if first => text(&f.execution.reason),
        _ => Value::Blank,
    }
}

/// 实际完成值 as printed: the grade's wording, or the text as written.
fn actual(row: &Scored<'_>) -> Value {
    match &row.actual {
        Actual::Blank => Value::Blank,
        Actual::Grade(g) => Value::Text(g.wording().into()),
        _ => row.result.map_or(Value::Blank, |r| text(&r.actual)),
    }
}

/// The result cells of every indicator, `[actual, points, score, reason]`, by indicator (a
/// table may print its indicators in another order than the scheme's: look them up with [`of`]).
pub fn results(f: &SelfEvalForm) -> Vec<(&Indicator, [Value; 4])> {
    evaluate(f)
        .rows
        .iter()
        .map(|r| {
            (
                r.placed.indicator,
                [
                    actual(r),
                    points(r.points),
                    score(r.printed),
                    r.result.map_or(Value::Blank, |res| text(&res.reason)),
                ],
            )
        })
        .collect()
}

/// The 指标明细 sheet's result of every indicator, by indicator ([`of`]).
pub fn detail(f: &SelfEvalForm) -> Vec<(&Indicator, crate::layout::grid::IndicatorResult)> {
    evaluate(f)
        .rows
        .iter()
        .map(|r| {
            (
                r.placed.indicator,
                crate::layout::grid::IndicatorResult {
                    actual: match actual(r) {
                        Value::Text(t) => t,
                        _ => String::new(),
                    },
                    points: r.points,
                    score: r.printed,
                },
            )
        })
        .collect()
}

/// What `by` holds for `indicator` (the same indicator of the declaration, not one of the same
/// name: two indicators may share a name).
pub fn of<'a, T>(by: &'a [(&Indicator, T)], indicator: &Indicator) -> Option<&'a T> {
    by.iter()
        .find(|(i, _)| std::ptr::eq(*i, indicator))
        .map(|(_, t)| t)
}

/// The fields the declaration fills, as layout paths (for `layout.unprinted`): what it writes,
/// never what is computed.
pub fn filled(f: &SelfEvalForm) -> Vec<String> {
    let eval = evaluate(f);
    let mut out: Vec<String> = SCALARS
        .iter()
        .filter(|(_, get, written)| *written && !get(f, &eval).is_blank())
        .map(|(n, _, _)| n.to_string())
        .collect();
    let rows = &f.execution.rows;
    for (leaf, given) in [
        ("name", rows.iter().any(|r| r.name.is_some())),
        ("initial", rows.iter().any(|r| r.initial.value().is_some())),
        ("budget", rows.iter().any(|r| r.budget.value().is_some())),
        ("spent", rows.iter().any(|r| r.spent.value().is_some())),
        ("rate", rows.iter().any(|r| r.rate.value().is_some())),
    ] {
        if given {
            out.push(format!("{EXECUTION_ROWS}.{leaf}"));
        }
    }
    // `execution.reason` prints in a layout either as the scalar or on the first row.
    let has = |get: fn(&crate::selfeval::ResultEntry) -> bool| f.results.iter().any(get);
    for (column, given) in [
        ("actual", has(|r| r.actual.is_some())),
        ("points", has(|r| r.points.value().is_some())),
        ("score", has(|r| r.score.value().is_some())),
        ("reason", has(|r| r.reason.is_some())),
    ] {
        if given {
            out.push(format!("indicators.{column}"));
        }
    }
    out
}

/// The fields a printed path also prints: an execution row's `points`, `score` and `reason` are
/// the block's own `execution.points`, `execution.score` and `execution.reason`.
pub fn also_printed(path: &str) -> Option<String> {
    let leaf = path.strip_prefix(EXECUTION_ROWS)?.strip_prefix('.')?;
    matches!(leaf, "points" | "score" | "reason").then(|| format!("execution.{leaf}"))
}

/// Where the declaration writes `path` (for a `layout.unprinted` warning at the field).
pub fn locate(f: &SelfEvalForm, path: &str) -> Option<crate::diagnostic::Loc> {
    let at = |t: &Text| t.as_ref().map(|l| l.loc);
    let first_result = |get: fn(&crate::selfeval::ResultEntry) -> bool| {
        f.results.iter().find(|r| get(r)).map(|r| r.name.loc)
    };
    match path {
        "code" => at(&f.code),
        "department" => at(&f.department),
        "implementer" => at(&f.implementer),
        "goal" => at(&f.goal),
        "goal_result" => at(&f.goal_result),
        "execution.reason" => at(&f.execution.reason),
        "conclusion.summary" => at(&f.conclusion.summary),
        "conclusion.problems" => at(&f.conclusion.problems),
        "conclusion.measures" => at(&f.conclusion.measures),
        "indicators.actual" => first_result(|r| r.actual.is_some()),
        "indicators.points" => first_result(|r| r.points.value().is_some()),
        "indicators.score" => first_result(|r| r.score.value().is_some()),
        "indicators.reason" => first_result(|r| r.reason.is_some()),
        _ => {
            let leaf = path.strip_prefix("signoff.")?;
            let s = f.signoff.as_ref()?;
            at(match leaf {
                "project_head" => &s.project_head,
                "finance_head" => &s.finance_head,
                "preparer" => &s.preparer,
                "phone" => &s.phone,
                "date" => &s.date,
                _ => return None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{build, check, load};
    use crate::declaration::{Declaration, FormKind};
    use crate::diagnostic::Code;
    use crate::layout::{Content, Grid, Role};

    /// An inline self-evaluation (no target): one indicator ≥10户 worth 90, 9户 achieved, so
    /// 9 ÷ 10 × 90 = 81.00; execution 45 of 50 spent = 90.00 %, × 10 = 9.00; total 90.00 → 优.
    const DECL: &str = "form: project-selfeval\nname: 甲\nyear: 2023\nexecution:\n  rows:\n    - {name: 年度资金总额, initial: 50, budget: 50, spent: 45}\n    - {name: 其中：财政拨款, initial: 50, budget: 50, spent: 45}\nindicators:\n  产出指标:\n    数量指标:\n      - {name: 户数, value: ≥10户, actual: 9户, points: 90, score: 81, reason: 少}\n";

    /// A definition using every self-evaluation addition.
    const LAYOUT: &str = "id: t\nform: project-selfeval\ncolumns: [30, 30, 30, 30]\nfurniture:\n  title: 自评\n  signoff: [{label: 填报人, field: signoff.preparer}]\nbody:\n  - each:\n      list: execution.rows\n      row:\n        - {field: execution.rows.name, at: A, role: label}\n        - {field: execution.rows.rate, at: B}\n        - {field: execution.rows.points, at: C}\n        - {field: execution.rows.score, at: D}\n  - indicators:\n      columns:\n        - {show: name, at: A, header: 三级指标}\n        - {show: actual, at: B, header: 实际完成值}\n        - {show: points, at: C, header: 分值}\n        - {show: score, at: D, header: 得分}\n  - row:\n      - {label: 总分, at: A}\n      - {field: total.points, at: B}\n      - {field: total.score, at: C}\n      - {text: \"自评等级：{grade}\", at: D}\n";

    fn decl(text: &str) -> Declaration {
        crate::declaration::parse(text).declaration.expect("parses")
    }

    fn cell(g: &Grid, row: usize, col: usize) -> (String, Role) {
        let c = g
            .cells
            .iter()
            .find(|c| c.row == row && c.col == col)
            .expect("a cell there");
        (c.content.display(), c.role)
    }

    #[test]
    fn a_self_evaluation_layout_prints_the_computed_numbers() {
        let layout = load(LAYOUT, "t.yaml", Some(FormKind::ProjectSelfeval)).unwrap();
        let g = build(&decl(DECL), &layout).unwrap();
        // Execution: the total row carries 分值 and 得分, its part a dash, both their rates.
        assert_eq!(cell(&g, 0, 1), ("90.00%".into(), Role::Amount));
        assert_eq!(cell(&g, 0, 2), ("10".into(), Role::Value));
        assert_eq!(cell(&g, 0, 3), ("9.00".into(), Role::Amount));
        assert_eq!(cell(&g, 1, 3), ("—".into(), Role::Value), "a dash centres");
        // Indicator header at 2, the indicator at 3.
        assert_eq!(cell(&g, 3, 1).0, "9户");
        assert_eq!(cell(&g, 3, 2).0, "90");
        assert_eq!(cell(&g, 3, 3), ("81.00".into(), Role::Amount));
        assert_eq!(cell(&g, 4, 1).0, "100");
        assert_eq!(cell(&g, 4, 2).0, "90.00");
        assert_eq!(cell(&g, 4, 3).0, "自评等级：优");
        let grade = g.cells.iter().find(|c| c.row == 4 && c.col == 3).unwrap();
        assert_eq!(grade.field.as_deref(), Some("grade"));
        // The 指标明细 rows carry the results.
        let result = g.indicators[0].result.as_ref().expect("a result");
        assert_eq!(
            (result.actual.as_str(), result.score),
            ("9户", Some(rust_decimal::Decimal::from(81)))
        );
        // No sign-off block, no sign-off line.
        assert!(g.signoff.is_empty());
        let signed = build(
            &decl(&format!("{DECL}signoff: {{preparer: 李华}}\n")),
            &layout,
        )
        .unwrap();
        assert_eq!(
            signed.signoff,
            vec![("填报人".to_string(), "李华".to_string())]
        );
    }

    #[test]
    fn a_changed_actual_changes_the_printed_score() {
        let layout = load(LAYOUT, "t.yaml", Some(FormKind::ProjectSelfeval)).unwrap();
        // 7 of 10: 63.00, total 72.00 → 中.
        let g = build(
            &decl(&DECL.replace(
                "actual: 9户, points: 90, score: 81",
                "actual: 7户, points: 90",
            )),
            &layout,
        )
        .unwrap();
        assert_eq!(cell(&g, 3, 3).0, "63.00");
        assert_eq!(cell(&g, 4, 2).0, "72.00");
        assert_eq!(cell(&g, 4, 3).0, "自评等级：中");
        assert!(matches!(
            g.cells
                .iter()
                .find(|c| c.row == 4 && c.col == 2)
                .unwrap()
                .content,
            Content::Amount(_)
        ));
    }

    #[test]
    fn each_indicator_prints_its_own_result_when_two_share_a_name() {
        // 户数 under 数量指标 (9 of 10 → 40.50 of 45) and under 质量指标 (10 of 10 → 45).
        let text = DECL
            .replace("points: 90, score: 81, reason: 少}", "points: 45, reason: 少}")
            .replace("    数量指标:\n", "    质量指标:\n      - {name: 户数, value: ≥10户, actual: 10户, points: 45}\n    数量指标:\n");
        let layout = load(LAYOUT, "t.yaml", Some(FormKind::ProjectSelfeval)).unwrap();
        let g = build(&decl(&text), &layout).unwrap();
        // The scheme prints 数量指标 before 质量指标: rows 3 and 4.
        assert_eq!(
            (cell(&g, 3, 1).0, cell(&g, 3, 3).0),
            ("9户".to_string(), "40.50".to_string())
        );
        assert_eq!(
            (cell(&g, 4, 1).0, cell(&g, 4, 3).0),
            ("10户".to_string(), "45.00".to_string())
        );
        let scores: Vec<_> = g
            .indicators
            .iter()
            .map(|i| i.result.as_ref().and_then(|r| r.score))
            .collect();
        assert_eq!(
            scores,
            vec![
                Some(rust_decimal::Decimal::new(4050, 2)),
                Some(rust_decimal::Decimal::from(45))
            ]
        );
    }

    #[test]
    fn result_columns_and_self_evaluation_fields_belong_to_self_evaluations() {
        let as_project = LAYOUT.replace("form: project-selfeval", "form: project");
        let e = load(&as_project, "t.yaml", Some(FormKind::Project)).unwrap_err();
        let codes: Vec<Code> = e.problems.iter().map(|p| p.code).collect();
        assert!(codes.iter().all(|c| *c == Code::LayoutField), "{e}");
        assert!(
            e.problems.iter().any(|p| p
                .en
                .contains("only self-evaluation indicators have a `actual` column")),
            "{e}"
        );
        assert!(
            e.problems
                .iter()
                .any(|p| p.en.contains("no list `execution.rows`")),
            "{e}"
        );
        // A misspelt self-evaluation field has the nearest name, in a text cell too.
        let e = load(&LAYOUT.replace("{grade}", "{grdae}"), "t.yaml", None).unwrap_err();
        assert!(e.problems[0].en.contains("did you mean `grade`"), "{e}");
        // The other self-evaluation kind is refused.
        let e = load(LAYOUT, "t.yaml", Some(FormKind::DepartmentSelfeval)).unwrap_err();
        assert_eq!(e.problems[0].code, Code::LayoutForm);
    }

    #[test]
    fn a_result_the_layout_does_not_print_is_reported_at_the_result() {
        let without_scores = LAYOUT
            .replace("        - {show: score, at: D, header: 得分}\n", "")
            .replace(
                "{show: points, at: C, header: 分值}",
                "{show: points, at: C:D, header: 分值}",
            );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.yaml");
        std::fs::write(&path, &without_scores).unwrap();
        let d = check(
            &decl(DECL),
            std::path::Path::new("x.yaml"),
            Some(path.to_str().unwrap()),
        );
        let score = |d: &[crate::diagnostic::Diagnostic]| {
            d.iter()
                .filter(|d| {
                    d.code == Code::LayoutUnprinted && d.en.contains("field indicators.score ")
                })
                .map(|d| d.loc.line)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            score(&d),
            vec![11],
            "once, at the indicator that gives it: {d:?}"
        );
        // The full layout prints it: no warning. (Neither prints the reason: warned either way.)
        assert!(d.iter().any(|d| d.en.contains("field indicators.reason ")));
        std::fs::write(&path, LAYOUT).unwrap();
        let d = check(
            &decl(DECL),
            std::path::Path::new("x.yaml"),
            Some(path.to_str().unwrap()),
        );
        assert_eq!(score(&d), Vec::<u32>::new(), "{d:?}");
    }
}
