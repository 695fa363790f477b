//! The fields a self-evaluation layout may print (`form: project-selfeval` /
//! `department-selfeval`, spec `selfeval.md`): what the declaration gives, with the name,
//! department and goal taken from the target when this file leaves them out, and what
//! [`evaluate`] works out from it — execution rates, scores, the total and the grade. A layout
//! prints a computed score exactly as the rules check it: both come from the one evaluation.
//!
//! Kept apart from [`super::fields`] (the target forms' registry), which only dispatches here.

use rust_decimal::Decimal;

use super::fields::Value;
use crate::selfeval::evaluate::{Actual, Evaluation, Scored, evaluate};
use crate::selfeval::{SelfEvalForm, Signoff};
use crate::declaration::{Entry, Text};

fn text(t: &Text) -> Value {
    match t.as_ref().map(|l| l.value.trim()) {
        Some(s) if !s.is_empty() => Value::Text(s.to_string()),
        _ => Value::Blank,
    }
}

fn money(e: &Entry<Decimal>) -> Value {
    e.value().map_or(Value::Blank, Value::Money)
}

/// 分值: a whole number prints as one (`10`), a fraction with two places.
pub fn points(p: Option<Decimal>) -> Value {
    match p {
        Some(p) if p.fract().is_zero() => u32::try_from(p.normalize().mantissa())
            .map_or(Value::Score(p), Value::Count),
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
    ("year", |f, _| f.year().map_or(Value::Blank, |y| Value::Text(y.to_string())), true),
    ("unit", |f, _| text(f.unit()), true),
    ("name", |f, _| text(f.name()), true),
    ("code", |f, _| text(&f.code), true),
    ("department", |f, _| text(f.department()), true),
    ("implementer", |f, _| text(f.implementer()), true),
    ("goal", |f, _| text(f.goal()), true),
    ("goal_result", |f, _| text(&f.goal_result), true),
    ("execution.points", |_, e| points(Some(e.execution.points)), false),
    ("execution.rate", |_, e| e.execution.rate.map_or(Value::Blank, Value::Percent), false),
    ("execution.score", |_, e| score(e.execution.score), false),
    ("execution.reason", |f, _| text(&f.execution.reason), true),
    ("total.points", |_, e| points(Some(e.total_points)), false),
    ("total.score", |_, e| Value::Score(e.total), false),
    ("grade", |_, e| Value::Text(e.grade.to_string()), false),
    ("conclusion.summary", |f, _| text(&f.conclusion.summary), true),
    ("conclusion.problems", |f, _| text(&f.conclusion.problems), true),
    ("conclusion.measures", |f, _| text(&f.conclusion.measures), true),
    ("signoff.project_head", |f, _| signoff(f, |s| &s.project_head), true),
    ("signoff.finance_head", |f, _| signoff(f, |s| &s.finance_head), true),
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
pub const ROW_FIELDS: &[&str] = &["name", "initial", "budget", "spent", "rate", "points", "score", "reason"];

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

/// The result cells of every indicator, in the order the indicator table prints them (the
/// scheme's canonical order, as [`evaluate`] pairs them): `[actual, points, score, reason]`.
pub fn results(f: &SelfEvalForm) -> Vec<[Value; 4]> {
    evaluate(f)
        .rows
        .iter()
        .map(|r| {
            [
                actual(r),
                points(r.points),
                score(r.printed),
                r.result.map_or(Value::Blank, |res| text(&res.reason)),
            ]
        })
        .collect()
}

/// The 指标明细 sheet's result of every indicator (same order as [`results`]).
pub fn detail(f: &SelfEvalForm) -> Vec<crate::layout::grid::IndicatorResult> {
    evaluate(f)
        .rows
        .iter()
        .map(|r| crate::layout::grid::IndicatorResult {
            actual: match actual(r) {
                Value::Text(t) => t,
                _ => String::new(),
            },
            points: r.points,
            score: r.printed,
        })
        .collect()
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
