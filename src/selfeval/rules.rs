//! The rules of a self-evaluation (spec `selfeval.md`, "Rules"): each compares what the
//! declaration says with the [`evaluate`](super::evaluate) of it and points at the YAML node —
//! a result's entry, a score, an execution row; for a target indicator without a result, the
//! indicator in the target file. Messages show the numbers.

use rust_decimal::Decimal;

use super::evaluate::{Actual, Evaluation, Kind, Problem, Scored, evaluate, show};
use super::{ExecutionRow, SelfEvalForm, in_target};
use crate::declaration::{Entry, Loc, scheme};
use crate::diagnostic::{Code, Diagnostic};

/// Every self-evaluation rule over `form` (its target already resolved).
pub fn check(form: &SelfEvalForm) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    required(form, &mut out);
    let eval = evaluate(form);
    for row in &eval.rows {
        indicator(form, row, &mut out);
    }
    unknown(form, &eval, &mut out);
    points_sum(form, &eval, &mut out);
    execution(form, &eval, &mut out);
    out
}

fn required(form: &SelfEvalForm, out: &mut Vec<Diagnostic>) {
    if form.target_path.is_none() && form.common.indicators.groups.is_empty() {
        out.push(Diagnostic::error(
            Code::FieldRequired,
            form.common.indicators.loc,
            "缺少目标申报表：请写 target: 春季申报表的文件，或在 indicators 下逐项写出指标及其完成值",
            "missing target: write `target:` (the spring declaration's file) or list the indicators inline under `indicators`",
        ));
    }
    if form.execution.rows.is_empty() {
        out.push(Diagnostic::error(
            Code::FieldRequired,
            form.execution.loc,
            "缺少预算执行情况：execution.rows 的第一行应为 年度资金总额（年初预算数、全年预算数、全年执行数）",
            "missing budget execution: the first of `execution.rows` is 年度资金总额 (initial, budget, spent)",
        ));
    } else if let Some(first) = form.execution.rows.first() {
        for (entry, label, key) in [
            (&first.budget, "全年预算数", "budget"),
            (&first.spent, "全年执行数", "spent"),
        ] {
            if entry.is_blank() {
                out.push(Diagnostic::error(
                    Code::FieldRequired,
                    first.loc,
                    format!("年度资金总额 缺少 {label}：执行率由它算出"),
                    format!("年度资金总额 has no `{key}` ({label}): the execution rate is computed from it"),
                ));
            }
        }
    }
}

/// The rules about one indicator and its result.
fn indicator(form: &SelfEvalForm, row: &Scored<'_>, out: &mut Vec<Diagnostic>) {
    let name = row.indicator().name.value.trim();
    let Some(result) = row.result else {
        let d = Diagnostic::error(
            Code::ResultMissing,
            row.indicator().loc,
            format!("指标 “{name}” 没有完成情况：请在 results 下写 {name}: {{actual: …}}"),
            format!(
                "indicator `{name}` has no result: add `{name}: {{actual: …}}` under `results`"
            ),
        );
        out.push(match &form.target {
            Some(t) => in_target(d, t),
            None => d,
        });
        return;
    };
    let at = result.name.loc;
    let actual_at = result.actual.as_ref().map_or(at, |a| a.loc);
    let score_at = result.score.loc().unwrap_or(at);
    if matches!(row.actual, Actual::Blank) {
        out.push(Diagnostic::error(
            Code::ResultMissing,
            at,
            format!("指标 “{name}” 的实际完成值为空"),
            format!("indicator `{name}` has no actual value (`actual`)"),
        ));
    }
    let Some(points) = row.points else {
        out.push(Diagnostic::error(
            Code::ScorePointsSum,
            at,
            format!("指标 “{name}” 没有分值：请写 points，或在目标申报表里写权重"),
            format!(
                "indicator `{name}` has no points: write `points`, or its weight in the target"
            ),
        ));
        return;
    };
    match &row.problem {
        Some(Problem::Unit { target_unit, actual }) => {
            let target = row.indicator().value.value.display();
            out.push(Diagnostic::error(
                Code::ResultUnit,
                actual_at,
                format!("实际完成值 “{actual}” 与指标值 {target} 的单位（{target_unit}）不一致，应写数字和同一单位"),
                format!("the actual `{actual}` does not match the target {target}: write a number in its unit ({target_unit})"),
            ));
        }
        Some(Problem::NotAGrade) => out.push(Diagnostic::error(
            Code::ScoreBand,
            actual_at,
            format!(
                "定性指标 “{name}” 的实际完成值应为 达成年度指标、部分达成年度指标并具有一定效果 或 未达成年度指标且效果较差，而不是 “{}”",
                result.actual.as_ref().map_or("", |a| a.value.as_str())
            ),
            format!("qualitative indicator `{name}`: the actual must be one of 达成年度指标, 部分达成年度指标并具有一定效果, 未达成年度指标且效果较差"),
        )),
        None => {}
    }
    if let Some(given) = row.given
        && (given > points || given < Decimal::ZERO)
    {
        out.push(Diagnostic::error(
            Code::ScoreOverPoints,
            score_at,
            format!("得分 {} 超过分值 {}", show(given), show(points)),
            format!("score {} is above the points {}", show(given), show(points)),
        ));
    }
    match (row.kind, &row.actual) {
        (Kind::Quantitative { .. }, _) => {
            if let (Some(given), Some(computed), Some(working)) =
                (row.given, row.computed, row.working(&form.policy))
                && (given - computed).abs() > Decimal::new(1, 2)
            {
                out.push(Diagnostic::error(
                    Code::ScoreMismatch,
                    score_at,
                    format!("得分 {} ≠ {working}", show(given)),
                    format!("score {} ≠ {working}", show(given)),
                ));
            }
        }
        (Kind::Qualitative, Actual::Grade(grade)) => {
            let (low, high, closed) = grade.band(points);
            let band = format!(
                "[{}, {}{}",
                show(low),
                show(high),
                if closed { "]" } else { ")" }
            );
            match row.given {
                Some(given) if !grade.allows(given, points) => out.push(Diagnostic::error(
                    Code::ScoreBand,
                    score_at,
                    format!(
                        "得分 {} 不在 “{}” 的区间 {band} 内（分值 {}）",
                        show(given),
                        grade.wording(),
                        show(points)
                    ),
                    format!(
                        "score {} is outside the band {band} of `{}` (points {})",
                        show(given),
                        grade.wording(),
                        show(points)
                    ),
                )),
                None if row.suggested => {
                    let s = row.printed.map(show).unwrap_or_default();
                    out.push(Diagnostic::warning(
                        Code::ScoreBand,
                        actual_at,
                        format!("定性指标 “{name}” 未给得分：按 “{}” 区间 {band} 的上限打印 {s}；请核定后写 score", grade.wording()),
                        format!("qualitative indicator `{name}` has no score: printed as {s}, the top of `{}`'s band {band}; write `score` once decided", grade.wording()),
                    ));
                }
                _ => {}
            }
        }
        (Kind::Qualitative, _) => {}
    }
    if let Some(printed) = row.printed
        && printed < points
        && result.reason.is_none()
        && row.problem.is_none()
    {
        out.push(Diagnostic::error(
                Code::ResultReasonRequired,
                at,
                format!("指标 “{name}” 得分 {} < 分值 {}：请在 reason 写偏差原因分析及改进措施", show(printed), show(points)),
                format!("indicator `{name}` scores {} < {} points: give the reason for the shortfall (`reason`)", show(printed), show(points)),
            ));
    }
    if let (Kind::Quantitative { direction, target }, Actual::Number { value, .. }) =
        (row.kind, &row.actual)
        && result.reason.is_none()
        && super::score::over_achieved(direction, target, *value, &form.policy)
    {
        let factor = form.policy.over_achievement.unwrap_or_default();
        out.push(Diagnostic::error(
                Code::ResultReasonRequired,
                at,
                format!("指标 “{name}” 实际完成值 {} ≥ {factor} × 指标值 {}：超额完成须说明原因", value.normalize(), target.normalize()),
                format!("indicator `{name}`: the actual {} ≥ {factor} × the target {}: over-achievement needs a reason", value.normalize(), target.normalize()),
            ));
    }
}

/// `result.unknown`: a result for an indicator the target does not have.
fn unknown(form: &SelfEvalForm, eval: &Evaluation<'_>, out: &mut Vec<Diagnostic>) {
    let names: Vec<&str> = eval
        .rows
        .iter()
        .map(|r| r.indicator().name.value.trim())
        .collect();
    for r in &eval.unknown {
        let hint = scheme::nearest(&r.name.value, names.iter().copied());
        let (zh, en) = match hint {
            Some(h) => (
                format!("，是否应为 “{h}”？"),
                format!("; did you mean `{h}`?"),
            ),
            None => (String::new(), String::new()),
        };
        let whose = if form.target.is_some() {
            "目标申报表"
        } else {
            "本表"
        };
        out.push(Diagnostic::error(
            Code::ResultUnknown,
            r.name.loc,
            format!("{whose}没有指标 “{}”{zh}", r.name.value),
            format!(
                "no indicator `{}` in the {}{en}",
                r.name.value,
                if form.target.is_some() {
                    "target"
                } else {
                    "form"
                }
            ),
        ));
    }
}

/// `score.points-sum`: Σ 分值 + execution 分值 = 100.
fn points_sum(form: &SelfEvalForm, eval: &Evaluation<'_>, out: &mut Vec<Diagnostic>) {
    let hundred = Decimal::ONE_HUNDRED;
    if eval.total_points == hundred || eval.rows.is_empty() {
        return;
    }
    let at = if form.target.is_none() {
        form.common.indicators.loc
    } else {
        form.results_loc
    };
    let (i, e, t) = (
        eval.indicator_points.normalize(),
        eval.execution.points.normalize(),
        eval.total_points.normalize(),
    );
    out.push(Diagnostic::error(
        Code::ScorePointsSum,
        at,
        format!("分值合计应为 100：指标分值 {i} + 预算执行分值 {e} = {t}"),
        format!("the points must add up to 100: indicators {i} + budget execution {e} = {t}"),
    ));
}

/// `execution.sum`, `execution.rate`, the execution score and its reason.
fn execution(form: &SelfEvalForm, eval: &Evaluation<'_>, out: &mut Vec<Diagnostic>) {
    let e = &form.execution;
    let Some((total, parts)) = e.rows.split_first() else {
        return;
    };
    let column = |label: &'static str,
                  get: fn(&ExecutionRow) -> &Entry<Decimal>,
                  out: &mut Vec<Diagnostic>| {
        let Entry::Given(t) = get(total) else { return };
        if parts.is_empty()
            || parts.iter().any(|p| get(p).is_invalid())
            || parts.iter().all(|p| get(p).is_blank())
        {
            return;
        }
        let sum: Decimal = parts.iter().filter_map(|p| get(p).value()).sum();
        if sum != t.value {
            let terms: Vec<String> = parts
                .iter()
                .map(|p| {
                    format!(
                        "{} {}",
                        p.name.as_ref().map_or("", |n| n.value.as_str()),
                        show(get(p).value().unwrap_or_default())
                    )
                })
                .collect();
            let eq = format!(
                "{label} {} ≠ {} = {}",
                show(t.value),
                terms.join(" + "),
                show(sum)
            );
            out.push(Diagnostic::error(
                Code::ExecutionSum,
                t.loc,
                format!("年度资金总额与分项不符：{eq}"),
                format!("the parts do not add up to 年度资金总额: {eq}"),
            ));
        }
    };
    column("年初预算数", |r| &r.initial, out);
    column("全年预算数", |r| &r.budget, out);
    column("全年执行数", |r| &r.spent, out);
    for row in &e.rows {
        let (Entry::Given(given), Some(spent), Some(budget)) =
            (&row.rate, row.spent.value(), row.budget.value())
        else {
            continue;
        };
        let Some(computed) = super::score::execution_rate(spent, budget) else {
            continue;
        };
        if given.value != computed {
            let eq = format!(
                "{} ≠ {} ÷ {} = {}%",
                show(given.value),
                show(spent),
                show(budget),
                show(computed)
            );
            out.push(Diagnostic::error(
                Code::ExecutionRate,
                given.loc,
                format!("执行率 {eq}"),
                format!("execution rate {eq}"),
            ));
        }
    }
    let x = &eval.execution;
    if let (Entry::Given(given), Some(score), Some(rate)) = (&e.score, x.score, x.rate) {
        if given.value > x.points {
            out.push(Diagnostic::error(
                Code::ScoreOverPoints,
                given.loc,
                format!(
                    "预算执行得分 {} 超过分值 {}",
                    show(given.value),
                    show(x.points)
                ),
                format!(
                    "the budget execution score {} is above its points {}",
                    show(given.value),
                    show(x.points)
                ),
            ));
        } else if (given.value - score).abs() > Decimal::new(1, 2) {
            let capped = if form.policy.execution_capped {
                "min(执行率, 100%)"
            } else {
                "执行率"
            };
            let working = format!(
                "{capped} {}% × {} = {}",
                show(rate),
                x.points.normalize(),
                show(score)
            );
            out.push(Diagnostic::error(
                Code::ScoreMismatch,
                given.loc,
                format!("预算执行得分 {} ≠ {working}", show(given.value)),
                format!("budget execution score {} ≠ {working}", show(given.value)),
            ));
        }
    }
    if e.reason.is_none() {
        let low = x.rate.filter(|r| *r < Decimal::from(90));
        if low.is_some() || x.adjusted {
            let (zh, en) = match low {
                Some(r) => (
                    format!("执行率 {}% 低于 90%", show(r)),
                    format!("the execution rate {}% is below 90%", show(r)),
                ),
                None => (
                    "预算作过调整（全年预算数 ≠ 年初预算数）".to_string(),
                    "the budget was adjusted (budget ≠ initial)".to_string(),
                ),
            };
            let at: Loc = total.loc;
            out.push(Diagnostic::error(
                Code::ResultReasonRequired,
                at,
                format!("{zh}：请在 execution.reason 写原因"),
                format!("{en}: give the reason in `execution.reason`"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::{Declaration, parse};

    /// A form with inline indicators (points 90 in all) and execution 150/150/148.5.
    fn diags(indicators: &str, extra: &str) -> Vec<Diagnostic> {
        let text = format!(
            "form: project-selfeval\nexecution:\n  rows:\n    - name: 年度资金总额\n      initial: 150\n      budget: 150\n      spent: 148.5\n{extra}indicators:\n  产出指标:\n    数量指标:\n{indicators}"
        );
        let out = parse(&text);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        match out.declaration {
            Some(Declaration::SelfEval(s)) => check(&s),
            other => panic!("{other:?}"),
        }
    }

    fn codes(d: &[Diagnostic]) -> Vec<(Code, u32)> {
        d.iter().map(|d| (d.code, d.loc.line)).collect()
    }

    #[test]
    fn a_consistent_form_is_clean() {
        let d = diags(
            "      - {name: 家数, value: ≥7500家, actual: 7425家, points: 90, score: 89.10, reason: 经济形势}\n",
            "",
        );
        assert_eq!(d, vec![]);
    }

    #[test]
    fn a_wrong_score_shows_the_working() {
        let d = diags(
            "      - {name: 家数, value: ≥7500家, actual: 7425家, points: 90, score: 85, reason: 少}\n",
            "",
        );
        assert_eq!(codes(&d), vec![(Code::ScoreMismatch, 11)]);
        assert_eq!(d[0].zh, "得分 85.00 ≠ 7425 ÷ 7500 × 90 = 89.10");
        assert_eq!(d[0].en, "score 85.00 ≠ 7425 ÷ 7500 × 90 = 89.10");
        // Within 0.01 is accepted.
        assert_eq!(
            diags(
                "      - {name: 家数, value: ≥7500家, actual: 7425家, points: 90, score: 89.11, reason: 少}\n",
                ""
            ),
            vec![]
        );
    }

    #[test]
    fn over_points_unit_band_reason_and_sum() {
        let d = diags(
            "      - {name: 家数, value: ≥7500家, actual: 7500家, points: 90, score: 95}\n",
            "",
        );
        assert!(codes(&d).contains(&(Code::ScoreOverPoints, 11)), "{d:?}");
        let d = diags(
            "      - {name: 家数, value: ≥7500家, actual: 7500户, points: 90}\n",
            "",
        );
        assert_eq!(codes(&d), vec![(Code::ResultUnit, 11)]);
        let d = diags(
            "      - {name: 家数, value: ≥7500家, actual: 很多, points: 90}\n",
            "",
        );
        assert_eq!(codes(&d), vec![(Code::ResultUnit, 11)]);
        let d = diags(
            "      - {name: 家数, value: ≥7500家, actual: 7000家, points: 90}\n",
            "",
        );
        assert_eq!(codes(&d), vec![(Code::ResultReasonRequired, 11)]);
        let d = diags(
            "      - {name: 环境, value: 良好, actual: 达成年度指标, points: 90, score: 70}\n",
            "",
        );
        assert_eq!(
            codes(&d),
            vec![(Code::ScoreBand, 11), (Code::ResultReasonRequired, 11)]
        );
        assert!(d[0].zh.contains("[72.00, 90.00]"), "{}", d[0].zh);
        let d = diags(
            "      - {name: 环境, value: 良好, actual: 达成年度指标, points: 90}\n",
            "",
        );
        assert_eq!(codes(&d), vec![(Code::ScoreBand, 11)]);
        assert!(!d[0].is_error());
        let d = diags(
            "      - {name: 环境, value: 良好, actual: 好, points: 90}\n",
            "",
        );
        assert_eq!(codes(&d), vec![(Code::ScoreBand, 11)]);
        let d = diags(
            "      - {name: 家数, value: ≥7500家, actual: 7500家, points: 80}\n",
            "",
        );
        assert_eq!(codes(&d), vec![(Code::ScorePointsSum, 9)]);
        assert!(d[0].zh.contains("80 + 预算执行分值 10 = 90"), "{}", d[0].zh);
        let d = diags(
            "      - {name: 家数, value: ≥7500家, actual: 9000家, points: 90}\n",
            "scoring:\n  over_achievement: 1.2\n",
        );
        assert_eq!(codes(&d), vec![(Code::ResultReasonRequired, 13)]);
    }

    #[test]
    fn execution_sum_rate_score_and_reason() {
        let row = "      - {name: 家数, value: ≥7500家, actual: 7500家, points: 90}\n";
        let text = |rows: &str, extra: &str| {
            format!(
                "form: project-selfeval\nexecution:\n{extra}  rows:\n{rows}indicators:\n  产出指标:\n    数量指标:\n{row}"
            )
        };
        let run = |t: String| match parse(&t).declaration {
            Some(Declaration::SelfEval(s)) => check(&s),
            _ => panic!(),
        };
        let d = run(text(
            "    - {name: 年度资金总额, initial: 150, budget: 150, spent: 148.5}\n    - {name: 其中：财政拨款, initial: 140, budget: 150, spent: 148.5}\n",
            "",
        ));
        assert_eq!(codes(&d), vec![(Code::ExecutionSum, 4)]);
        assert!(
            d[0].zh
                .contains("年初预算数 150.00 ≠ 其中：财政拨款 140.00 = 140.00"),
            "{}",
            d[0].zh
        );
        let d = run(text(
            "    - {name: 年度资金总额, initial: 150, budget: 150, spent: 148.5, rate: 98%}\n",
            "",
        ));
        assert_eq!(codes(&d), vec![(Code::ExecutionRate, 4)]);
        assert_eq!(d[0].zh, "执行率 98.00 ≠ 148.50 ÷ 150.00 = 99.00%");
        let d = run(text(
            "    - {name: 年度资金总额, initial: 150, budget: 150, spent: 148.5}\n",
            "  score: 10\n",
        ));
        assert_eq!(codes(&d), vec![(Code::ScoreMismatch, 3)]);
        let d = run(text(
            "    - {name: 年度资金总额, initial: 150, budget: 150, spent: 134.99}\n",
            "",
        ));
        assert_eq!(codes(&d), vec![(Code::ResultReasonRequired, 4)]);
        let d = run(text(
            "    - {name: 年度资金总额, initial: 150, budget: 150, spent: 135}\n",
            "",
        ));
        assert_eq!(codes(&d), vec![], "90% exactly needs no reason");
        let d = run(text(
            "    - {name: 年度资金总额, initial: 140, budget: 150, spent: 150}\n",
            "",
        ));
        assert_eq!(
            codes(&d),
            vec![(Code::ResultReasonRequired, 4)],
            "an adjusted budget needs a reason"
        );
        let d = run(text(
            "    - {name: 年度资金总额, initial: 140, budget: 150, spent: 150}\n",
            "  reason: 追加预算\n",
        ));
        assert_eq!(codes(&d), vec![]);
    }
}
