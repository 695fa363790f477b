//! A self-evaluation, scored: each indicator paired with its result, read and scored by
//! [`super::score`]; the budget execution; the total and the grade.
//!
//! The one place the numbers are worked out: the rules compare what the user wrote with it, the
//! layouts print it, the batch workbook's 汇总 row quotes it — so they cannot disagree.

use rust_decimal::Decimal;

use super::score::{self, Achievement, Direction, Policy};
use super::{ResultEntry, SelfEvalForm};
use crate::declaration::value::{Comparator, IndicatorValue, Quantity};
use crate::declaration::{Indicator, Loc, Placed};

/// How an indicator is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number target: the score is computed.
    Quantitative {
        direction: Direction,
        target: Decimal,
    },
    /// A text target: the user grades it.
    Qualitative,
}

/// What the 实际完成值 says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actual {
    /// Not given (or no result at all).
    Blank,
    /// A number, with its unit as written (a negative number counts as 0 when scored).
    Number { value: Decimal, unit: String },
    /// A qualitative grade.
    Grade(Achievement),
    /// Anything else (reported when the indicator needs a number or a grade).
    Text(String),
}

impl Actual {
    /// Reads an actual: `7425家`, `-3`, `98.5%`, `达成年度指标`, or a text.
    pub fn parse(text: &str) -> Actual {
        let t = text.trim();
        if t.is_empty() {
            return Actual::Blank;
        }
        if let Some(grade) = Achievement::parse(t) {
            return Actual::Grade(grade);
        }
        let (negative, rest) = match t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        // An actual may repeat the comparator of its target (`≥7600家`): it is ignored.
        let rest = Comparator::strip(rest).map_or(rest, |(_, r)| r.trim_start());
        match IndicatorValue::parse(rest).quantity {
            Quantity::Number { value, unit } => Actual::Number {
                value: if negative { -value } else { value },
                unit,
            },
            Quantity::Text(_) => Actual::Text(t.to_string()),
        }
    }
}

/// Why an actual cannot be scored against its target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The target is a number and the actual is not (or has another unit): `result.unit`.
    Unit { target_unit: String, actual: String },
    /// The target is qualitative and the actual is not one of the three grades: `score.band`.
    NotAGrade,
}

/// One 三级 indicator, scored.
#[derive(Debug, Clone)]
pub struct Scored<'a> {
    pub placed: Placed<'a>,
    /// Its result, when the declaration gives one.
    pub result: Option<&'a ResultEntry>,
    pub kind: Kind,
    pub actual: Actual,
    /// 分值: the result's, else the target's 权重.
    pub points: Option<Decimal>,
    /// The score the rules compute (quantitative indicators), rounded.
    pub computed: Option<Decimal>,
    /// The score given in the declaration.
    pub given: Option<Decimal>,
    /// The score printed: the computed one; for a qualitative indicator the one given, else the
    /// band's top ([`Scored::suggested`]).
    pub printed: Option<Decimal>,
    /// Whether `printed` is a suggestion (qualitative, no score given).
    pub suggested: bool,
    pub problem: Option<Problem>,
}

impl Scored<'_> {
    pub fn indicator(&self) -> &Indicator {
        self.placed.indicator
    }

    /// Where a diagnostic about this indicator's result points: the result's entry.
    pub fn result_loc(&self) -> Option<Loc> {
        self.result.map(|r| r.name.loc)
    }

    /// The working that gives the computed score, in numbers (`7425 ÷ 7500 × 10 = 9.90`).
    pub fn working(&self, policy: &Policy) -> Option<String> {
        let (
            Kind::Quantitative {
                direction,
                target: t,
            },
            Actual::Number { value, .. },
            Some(w),
            Some(s),
        ) = (self.kind, &self.actual, self.points, self.computed)
        else {
            return None;
        };
        let a = (*value).max(Decimal::ZERO);
        let (t, w, s, a) = (t.normalize(), w.normalize(), show(s), a.normalize());
        Some(match direction {
            Direction::Equal if t.is_zero() => {
                if a.is_zero() {
                    format!("{a} = 0 → {s}")
                } else {
                    format!("{a} ≠ 0 → {s}")
                }
            }
            Direction::Positive | Direction::Equal if a >= t => format!("{a} ≥ {t} → {w} = {s}"),
            Direction::Positive | Direction::Equal => format!("{a} ÷ {t} × {w} = {s}"),
            Direction::Reverse if a <= t => format!("{a} ≤ {t} → {w} = {s}"),
            Direction::Reverse => match policy.reverse {
                score::ReverseRule::Linear if a >= t * Decimal::TWO => {
                    format!("{a} ≥ 2 × {t} → {s}")
                }
                score::ReverseRule::Linear => format!("(1 − ({a} − {t}) ÷ {t}) × {w} = {s}"),
                score::ReverseRule::Ratio => format!("{t} ÷ {a} × {w} = {s}"),
            },
        })
    }
}

/// Budget execution, scored (from the 年度资金总额 row, the first).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecutionScore {
    /// 执行率 in percent, rounded to 0.01%.
    pub rate: Option<Decimal>,
    /// 分值.
    pub points: Decimal,
    /// 得分, rounded.
    pub score: Option<Decimal>,
    /// Whether 全年预算数 differs from 年初预算数 (the budget was adjusted).
    pub adjusted: bool,
}

/// A whole self-evaluation, scored.
#[derive(Debug, Clone)]
pub struct Evaluation<'a> {
    pub rows: Vec<Scored<'a>>,
    /// Results that name no indicator.
    pub unknown: Vec<&'a ResultEntry>,
    pub execution: ExecutionScore,
    /// Σ 分值 of the indicators (a missing 分值 counts 0).
    pub indicator_points: Decimal,
    /// Σ 分值 + execution 分值: 100 normally.
    pub total_points: Decimal,
    /// Σ printed scores + execution score.
    pub total: Decimal,
    pub grade: &'static str,
}

/// The sum of printed scores (every one already rounded, so the sum is exact and needs none).
pub fn total(scores: impl IntoIterator<Item = Decimal>) -> Decimal {
    scores
        .into_iter()
        .fold(Decimal::ZERO, |a, s| a.checked_add(s).unwrap_or(a))
}

/// Scores `form`.
pub fn evaluate(form: &SelfEvalForm) -> Evaluation<'_> {
    let policy = &form.policy;
    // A free-text indicator has no value to score: it is not evaluated (docs/rules.md).
    let placed: Vec<_> = form
        .indicators()
        .canonical()
        .into_iter()
        .filter(|p| !p.is_free_text())
        .collect();
    let mut used = vec![false; form.results.len()];
    let mut rows = Vec::with_capacity(placed.len());
    // Inline indicators carry their own result, located at the indicator: two inline
    // indicators of the same name each get theirs, whatever order the scheme prints them in.
    let inline = form.target.is_none();
    for p in placed {
        let name = p.indicator.name.value.trim();
        let found = form
            .results
            .iter()
            .enumerate()
            .filter(|(i, r)| !used[*i] && r.name.value == name)
            .min_by_key(|(_, r)| !(inline && r.name.loc == p.indicator.loc))
            .map(|(i, r)| {
                used[i] = true;
                r
            });
        rows.push(score_one(p, found, policy));
    }
    let unknown = form
        .results
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(r, _)| r)
        .collect();
    let execution = execution(form);
    let indicator_points = total(rows.iter().map(|r| r.points.unwrap_or_default()));
    let total_points = indicator_points + execution.points;
    let sum = total(
        rows.iter()
            .map(|r| r.printed.unwrap_or_default())
            .chain(execution.score),
    );
    Evaluation {
        rows,
        unknown,
        execution,
        indicator_points,
        total_points,
        total: sum,
        grade: score::grade(sum, policy),
    }
}

fn score_one<'a>(
    placed: Placed<'a>,
    result: Option<&'a ResultEntry>,
    policy: &Policy,
) -> Scored<'a> {
    let ind = placed.indicator;
    let target = &ind.value.value;
    let kind = match target.number() {
        Some(t) => Kind::Quantitative {
            direction: direction(target, ind),
            target: t,
        },
        None => Kind::Qualitative,
    };
    let actual = result
        .and_then(|r| r.actual.as_ref())
        .map_or(Actual::Blank, |a| Actual::parse(&a.value));
    let points = result
        .and_then(|r| r.points.value())
        .or_else(|| ind.weight.value());
    let given = result.and_then(|r| r.score.value());
    let mut scored = Scored {
        placed,
        result,
        kind,
        actual,
        points,
        computed: None,
        given,
        printed: None,
        suggested: false,
        problem: None,
    };
    match (kind, &scored.actual) {
        (_, Actual::Blank) => {}
        (
            Kind::Quantitative {
                direction,
                target: t,
            },
            Actual::Number { value, unit },
        ) => {
            let target_unit = target.unit().unwrap_or_default();
            if !unit.is_empty() && unit != target_unit {
                scored.problem = Some(Problem::Unit {
                    target_unit: target_unit.to_string(),
                    actual: format!("{}{unit}", value.normalize()),
                });
            } else if let Some(w) = points {
                scored.computed = score::quantitative(direction, t, *value, w, policy);
                scored.printed = scored.computed;
            }
        }
        (Kind::Quantitative { .. }, other) => {
            let shown = match other {
                Actual::Grade(g) => g.wording().to_string(),
                Actual::Text(t) => t.clone(),
                _ => String::new(),
            };
            scored.problem = Some(Problem::Unit {
                target_unit: target.unit().unwrap_or_default().to_string(),
                actual: shown,
            });
        }
        (Kind::Qualitative, Actual::Grade(grade)) => match (given, points) {
            (Some(s), _) => scored.printed = Some(s),
            (None, Some(w)) => {
                scored.printed = Some(grade.suggested(w));
                scored.suggested = true;
            }
            (None, None) => {}
        },
        (Kind::Qualitative, _) => scored.problem = Some(Problem::NotAGrade),
    }
    scored
}

/// 正向/反向 as written wins; otherwise the comparator decides (a bare number counts as `=`).
fn direction(target: &IndicatorValue, ind: &Indicator) -> Direction {
    match ind.direction.as_ref().map(|d| d.value.trim()) {
        Some("正向") => return Direction::Positive,
        Some("反向") => return Direction::Reverse,
        _ => {}
    }
    match target.comparator {
        Some(Comparator::Ge | Comparator::Gt) => Direction::Positive,
        Some(Comparator::Le | Comparator::Lt) => Direction::Reverse,
        Some(Comparator::Eq) | None => Direction::Equal,
    }
}

fn execution(form: &SelfEvalForm) -> ExecutionScore {
    let e = &form.execution;
    let points = e.points.value().unwrap_or(form.policy.execution_points);
    let Some(first) = e.rows.first() else {
        return ExecutionScore {
            points,
            ..ExecutionScore::default()
        };
    };
    let rate = match (first.spent.value(), first.budget.value()) {
        (Some(spent), Some(budget)) => score::execution_rate(spent, budget),
        _ => None,
    };
    let adjusted =
        matches!((first.initial.value(), first.budget.value()), (Some(i), Some(b)) if i != b);
    ExecutionScore {
        rate,
        points,
        score: rate.and_then(|r| score::execution_score(r, points, &form.policy)),
        adjusted,
    }
}

/// A score as printed: two places.
pub fn show(value: Decimal) -> String {
    crate::declaration::amount::format_money(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::{Declaration, parse};
    use proptest::prelude::*;

    fn form(text: &str) -> SelfEvalForm {
        match parse(text).declaration {
            Some(Declaration::SelfEval(s)) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn actuals_read_as_numbers_grades_or_text() {
        assert_eq!(
            Actual::parse("7425家"),
            Actual::Number {
                value: Decimal::from(7425),
                unit: "家".into()
            }
        );
        assert_eq!(
            Actual::parse("-3次"),
            Actual::Number {
                value: Decimal::from(-3),
                unit: "次".into()
            }
        );
        assert_eq!(
            Actual::parse("≥7600家"),
            Actual::Number {
                value: Decimal::from(7600),
                unit: "家".into()
            }
        );
        assert_eq!(
            Actual::parse("部分达成年度指标并具有一定效果"),
            Actual::Grade(Achievement::Partial)
        );
        assert_eq!(Actual::parse("良好"), Actual::Text("良好".into()));
        assert_eq!(Actual::parse(" "), Actual::Blank);
    }

    #[test]
    fn an_inline_form_scores_and_totals() {
        let f = form(
            "form: project-selfeval\nexecution:\n  rows:\n    - name: 年度资金总额\n      initial: 150\n      budget: 150\n      spent: 148.5\nindicators:\n  产出指标:\n    数量指标:\n      - {name: 家数, value: ≥7500家, actual: 7425家, points: 50}\n      - {name: 时长, value: ≤30分钟, actual: 36分钟, points: 20}\n  效益指标:\n    社会效益指标:\n      - {name: 环境, value: 良好, actual: 部分达成年度指标并具有一定效果, points: 20}\n",
        );
        let e = evaluate(&f);
        let printed: Vec<_> = e
            .rows
            .iter()
            .map(|r| r.printed.unwrap().to_string())
            .collect();
        // 7425 ÷ 7500 × 50 = 49.50; (2×30 − 36) ÷ 30 × 20 = 16.00; band top of [12, 16) = 15.99.
        assert_eq!(printed, ["49.50", "16", "15.99"]);
        assert!(e.rows[2].suggested);
        assert_eq!(e.execution.rate, Some("99.00".parse().unwrap()));
        assert_eq!(e.execution.score, Some("9.90".parse().unwrap()));
        assert_eq!(e.total, "91.39".parse::<Decimal>().unwrap());
        assert_eq!(e.total_points, Decimal::from(100));
        assert_eq!(e.grade, "优");
        assert_eq!(
            e.rows[0].working(&f.policy).unwrap(),
            "7425 ÷ 7500 × 50 = 49.50"
        );
        assert_eq!(
            e.rows[1].working(&f.policy).unwrap(),
            "(1 − (36 − 30) ÷ 30) × 20 = 16.00"
        );
    }

    proptest! {
        /// Random targets and actuals through the whole evaluation: every printed score lies in
        /// [0, 分值], and the total is the sum of the printed scores.
        #[test]
        fn printed_scores_in_range_and_the_total_adds_them(
            rows in prop::collection::vec((0usize..5, 0u32..100_000, 0u32..200_000, 1u32..30, 0usize..3), 1..12),
            spent in 0u32..300_000,
        ) {
            let ops = ["≥", "≤", "=", ">", "<"];
            let grades = ["达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差"];
            let mut yaml = format!("form: project-selfeval\nexecution:\n  rows:\n    - {{name: 年度资金总额, budget: 1500, spent: {}}}\nindicators:\n  产出指标:\n    数量指标:\n", Decimal::new(spent.into(), 2));
            for (i, (op, t, a, w, g)) in rows.iter().enumerate() {
                let t = Decimal::new((*t).into(), 2);
                let a = Decimal::new((*a).into(), 2);
                if *op == 4 && *g == 2 {
                    yaml.push_str(&format!("      - {{name: q{i}, value: 良好, actual: {}, points: {w}}}\n", grades[i % 3]));
                } else {
                    yaml.push_str(&format!("      - {{name: n{i}, value: '{}{t}次', actual: {a}次, points: {w}}}\n", ops[*op]));
                }
            }
            let f = form(&yaml);
            let e = evaluate(&f);
            let mut sum = Decimal::ZERO;
            for r in &e.rows {
                let s = r.printed.unwrap();
                let w = r.points.unwrap();
                prop_assert!(s >= Decimal::ZERO && s <= w, "{s} of {w}");
                prop_assert_eq!(s, score::round2(s));
                sum += s;
            }
            let exec = e.execution.score.unwrap();
            prop_assert!(exec >= Decimal::ZERO && exec <= Decimal::TEN);
            prop_assert_eq!(e.total, sum + exec);
        }
    }
}
