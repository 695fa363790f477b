//! The scoring engine of a self-evaluation (spec `selfeval.md`, "Scoring"), in exact decimals.
//!
//! Pure functions of numbers: the evaluation ([`super::evaluate`]) feeds them a declaration's
//! targets and actuals, the rules compare what the user wrote with what they return, and the
//! layouts print what they return. Every indicator's score is rounded half away from zero to two
//! places *before* it is summed, because the form prints the rounded scores and a reader adds up
//! what is printed.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds a score the way the form prints it: half away from zero, two places.
pub fn round2(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Which way an indicator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// ≥, >, or 正向: more is better.
    Positive,
    /// =: scored as 正向, except that a target of 0 means "none at all".
    Equal,
    /// ≤, <, or 反向: less is better.
    Reverse,
}

/// How a 反向 indicator that missed its target loses points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReverseRule {
    /// `mof-2020`: (1 − (A−T)/T) × W, reaching 0 at A = 2T.
    #[default]
    Linear,
    /// Some provinces: T/A × W.
    Ratio,
}

/// A scoring policy (`scoring:`): the defaults are the Ministry's (`mof-2020`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub reverse: ReverseRule,
    /// Whether the execution score stops at its points (执行率 above 100% earns nothing more).
    pub execution_capped: bool,
    /// The 分值 of budget execution when the declaration does not give one (10, or 20 where the
    /// indicators are worth 80).
    pub execution_points: Decimal,
    /// Lowest totals of 优, 良 and 中 (below the last: 差).
    pub grades: [Decimal; 3],
    /// When set, an actual at or above this multiple of a 正向 target needs a reason (1.2 or 1.3).
    pub over_achievement: Option<Decimal>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            reverse: ReverseRule::Linear,
            execution_capped: true,
            execution_points: Decimal::TEN,
            grades: [Decimal::from(90), Decimal::from(80), Decimal::from(60)],
            over_achievement: None,
        }
    }
}

/// The score of a quantitative indicator, rounded: target `t`, actual `a` (a negative actual
/// counts as 0), points `w`. `None` only when the arithmetic overflows.
pub fn quantitative(
    direction: Direction,
    t: Decimal,
    a: Decimal,
    w: Decimal,
    policy: &Policy,
) -> Option<Decimal> {
    let a = a.max(Decimal::ZERO);
    let raw = match direction {
        Direction::Equal if t.is_zero() => {
            if a <= Decimal::ZERO {
                w
            } else {
                Decimal::ZERO
            }
        }
        Direction::Positive | Direction::Equal => {
            if a >= t {
                w
            } else {
                // 0 ≤ a < t, so t > 0.
                a.checked_mul(w)?.checked_div(t)?
            }
        }
        Direction::Reverse => {
            if a <= t {
                w
            } else {
                match policy.reverse {
                    // t < a; at a ≥ 2t nothing is left (also when t = 0).
                    ReverseRule::Linear => {
                        if a >= t.checked_mul(Decimal::TWO)? {
                            Decimal::ZERO
                        } else {
                            // (1 − (a−t)/t) × w = (2t − a) × w ÷ t, multiplied first to keep digits.
                            (t.checked_mul(Decimal::TWO)? - a)
                                .checked_mul(w)?
                                .checked_div(t)?
                        }
                    }
                    // a > t ≥ 0, so a > 0.
                    ReverseRule::Ratio => t.checked_mul(w)?.checked_div(a)?,
                }
            }
        }
    };
    Some(round2(raw))
}

/// The grade a user gives a qualitative indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Achievement {
    /// 达成年度指标: [0.8W, W].
    Achieved,
    /// 部分达成年度指标并具有一定效果: [0.6W, 0.8W).
    Partial,
    /// 未达成年度指标且效果较差: [0, 0.6W).
    Missed,
}

impl Achievement {
    /// Reads a grade in its printed wording or its short form.
    pub fn parse(text: &str) -> Option<Achievement> {
        let t = text.trim();
        // Longest wordings first: 部分达成… and 未达成… both contain 达成.
        if t.starts_with("部分达成") {
            Some(Achievement::Partial)
        } else if t.starts_with("未达成") {
            Some(Achievement::Missed)
        } else if t.starts_with("达成") || t == "已达成" {
            Some(Achievement::Achieved)
        } else {
            None
        }
    }

    /// The wording printed on the form.
    pub fn wording(self) -> &'static str {
        match self {
            Achievement::Achieved => "达成年度指标",
            Achievement::Partial => "部分达成年度指标并具有一定效果",
            Achievement::Missed => "未达成年度指标且效果较差",
        }
    }

    /// The band of scores this grade allows with points `w`: (low, high, whether high is in it).
    pub fn band(self, w: Decimal) -> (Decimal, Decimal, bool) {
        let at = |p: &str| w * p.parse::<Decimal>().unwrap_or_default();
        match self {
            Achievement::Achieved => (at("0.8"), w, true),
            Achievement::Partial => (at("0.6"), at("0.8"), false),
            Achievement::Missed => (Decimal::ZERO, at("0.6"), false),
        }
    }

    /// Whether a score lies in this grade's band.
    pub fn allows(self, score: Decimal, w: Decimal) -> bool {
        let (low, high, closed) = self.band(w);
        score >= low && (score < high || (closed && score == high))
    }

    /// The score suggested when the user gives none: the highest two-place score in the band
    /// (W for 达成; just under the upper edge of a half-open band, e.g. 7.99 of 10 for 部分达成).
    pub fn suggested(self, w: Decimal) -> Decimal {
        let (_, high, closed) = self.band(w);
        if closed {
            return round2(high);
        }
        let step = Decimal::new(1, 2);
        // The largest multiple of 0.01 strictly below `high`.
        let below = (high * Decimal::ONE_HUNDRED).ceil() / Decimal::ONE_HUNDRED - step;
        below.max(Decimal::ZERO)
    }
}

/// 执行率 in percent, rounded to 0.01%: 全年执行数 ÷ 全年预算数. `None` when the budget is 0.
pub fn execution_rate(spent: Decimal, budget: Decimal) -> Option<Decimal> {
    crate::declaration::amount::rate_percent(spent, budget)
}

/// The execution score, rounded: min(执行率, 100%) × points (uncapped: 执行率 × points).
pub fn execution_score(rate_percent: Decimal, points: Decimal, policy: &Policy) -> Option<Decimal> {
    let rate = if policy.execution_capped {
        rate_percent.min(Decimal::ONE_HUNDRED)
    } else {
        rate_percent
    };
    Some(round2(
        rate.max(Decimal::ZERO)
            .checked_mul(points)?
            .checked_div(Decimal::ONE_HUNDRED)?,
    ))
}

/// The grade of a total: 优, 良, 中 or 差.
pub fn grade(total: Decimal, policy: &Policy) -> &'static str {
    let [excellent, good, fair] = policy.grades;
    if total >= excellent {
        "优"
    } else if total >= good {
        "良"
    } else if total >= fair {
        "中"
    } else {
        "差"
    }
}

/// Whether a 正向 actual reaches the over-achievement threshold that asks for a reason.
pub fn over_achieved(direction: Direction, t: Decimal, a: Decimal, policy: &Policy) -> bool {
    let Some(factor) = policy.over_achievement else {
        return false;
    };
    matches!(direction, Direction::Positive | Direction::Equal)
        && t > Decimal::ZERO
        && t.checked_mul(factor).is_some_and(|limit| a >= limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn q(dir: Direction, t: &str, a: &str, w: &str) -> Decimal {
        quantitative(dir, d(t), d(a), d(w), &Policy::default()).unwrap()
    }

    #[test]
    fn positive_at_and_just_below_the_target() {
        assert_eq!(q(Direction::Positive, "7500", "7500", "10"), d("10"));
        assert_eq!(
            q(Direction::Positive, "7500", "9000", "10"),
            d("10"),
            "no bonus above the target"
        );
        // 7425 ÷ 7500 × 10 = 9.9 exactly.
        assert_eq!(q(Direction::Positive, "7500", "7425", "10"), d("9.90"));
        // Just below: 7499 ÷ 7500 × 10 = 9.99866… → 10.00 after rounding, still below W before.
        assert_eq!(q(Direction::Positive, "7500", "7499", "10"), d("10.00"));
        assert_eq!(q(Direction::Positive, "100", "99.99", "10"), d("10.00"));
        assert_eq!(q(Direction::Positive, "100", "99.9", "10"), d("9.99"));
        assert_eq!(q(Direction::Positive, "3", "1", "10"), d("3.33"));
        assert_eq!(
            q(Direction::Positive, "8", "1", "1"),
            d("0.13"),
            "0.125 rounds half away from zero"
        );
        assert_eq!(
            q(Direction::Positive, "10", "-5", "10"),
            d("0"),
            "a negative actual counts as 0"
        );
    }

    #[test]
    fn equal_is_positive_except_at_zero() {
        assert_eq!(q(Direction::Equal, "4", "4", "5"), d("5"));
        assert_eq!(q(Direction::Equal, "4", "3", "5"), d("3.75"));
        assert_eq!(q(Direction::Equal, "0", "0", "5"), d("5"));
        assert_eq!(q(Direction::Equal, "0", "-1", "5"), d("5"));
        assert_eq!(q(Direction::Equal, "0", "0.01", "5"), d("0"));
        assert_eq!(q(Direction::Equal, "0", "1", "5"), d("0"));
    }

    #[test]
    fn reverse_linear_to_zero_at_twice_the_target() {
        assert_eq!(q(Direction::Reverse, "30", "30", "10"), d("10"));
        assert_eq!(q(Direction::Reverse, "30", "20", "10"), d("10"));
        assert_eq!(q(Direction::Reverse, "30", "36", "10"), d("8.00"));
        assert_eq!(q(Direction::Reverse, "30", "59.99", "10"), d("0.00"));
        assert_eq!(q(Direction::Reverse, "30", "59.9", "10"), d("0.03"));
        assert_eq!(q(Direction::Reverse, "30", "60", "10"), d("0"));
        assert_eq!(q(Direction::Reverse, "30", "90", "10"), d("0"));
        assert_eq!(q(Direction::Reverse, "0", "0", "10"), d("10"));
        assert_eq!(q(Direction::Reverse, "0", "1", "10"), d("0"));
    }

    #[test]
    fn reverse_as_a_ratio() {
        let ratio = Policy {
            reverse: ReverseRule::Ratio,
            ..Policy::default()
        };
        let r = |t: &str, a: &str| {
            quantitative(Direction::Reverse, d(t), d(a), d("10"), &ratio).unwrap()
        };
        assert_eq!(r("30", "30"), d("10"));
        assert_eq!(r("30", "36"), d("8.33"));
        assert_eq!(r("30", "60"), d("5.00"), "the ratio does not reach 0 at 2T");
        assert_eq!(r("0", "1"), d("0"));
    }

    #[test]
    fn qualitative_band_edges() {
        let w = d("10");
        assert!(Achievement::Achieved.allows(d("10"), w));
        assert!(Achievement::Achieved.allows(d("8"), w));
        assert!(!Achievement::Achieved.allows(d("7.99"), w));
        assert!(!Achievement::Achieved.allows(d("10.01"), w));
        assert!(Achievement::Partial.allows(d("6"), w));
        assert!(Achievement::Partial.allows(d("7.99"), w));
        assert!(!Achievement::Partial.allows(d("8"), w));
        assert!(!Achievement::Partial.allows(d("5.99"), w));
        assert!(Achievement::Missed.allows(d("0"), w));
        assert!(Achievement::Missed.allows(d("5.99"), w));
        assert!(!Achievement::Missed.allows(d("6"), w));
        assert_eq!(Achievement::Achieved.suggested(w), d("10"));
        assert_eq!(Achievement::Partial.suggested(w), d("7.99"));
        assert_eq!(Achievement::Missed.suggested(w), d("5.99"));
        // W = 5: 部分达成 is [3, 4); 未达成 [0, 3).
        assert_eq!(Achievement::Partial.suggested(d("5")), d("3.99"));
        assert!(Achievement::Partial.allows(Achievement::Partial.suggested(d("7.5")), d("7.5")));
        assert_eq!(
            Achievement::parse("部分达成年度指标并具有一定效果"),
            Some(Achievement::Partial)
        );
        assert_eq!(
            Achievement::parse("未达成年度指标且效果较差"),
            Some(Achievement::Missed)
        );
        assert_eq!(
            Achievement::parse("达成年度指标"),
            Some(Achievement::Achieved)
        );
        assert_eq!(Achievement::parse("良好"), None);
    }

    #[test]
    fn execution_at_ninety_percent_and_above_a_hundred() {
        let p = Policy::default();
        let rate = execution_rate(d("135"), d("150")).unwrap();
        assert_eq!(rate, d("90.00"));
        assert_eq!(execution_score(rate, d("10"), &p), Some(d("9.00")));
        assert_eq!(execution_rate(d("148.5"), d("150")), Some(d("99.00")));
        assert_eq!(
            execution_rate(d("1"), d("3")),
            Some(d("33.33")),
            "執行率 at 0.01%"
        );
        assert_eq!(execution_score(d("33.33"), d("10"), &p), Some(d("3.33")));
        let over = execution_rate(d("165"), d("150")).unwrap();
        assert_eq!(over, d("110.00"));
        assert_eq!(
            execution_score(over, d("10"), &p),
            Some(d("10.00")),
            "capped at its points"
        );
        let uncapped = Policy {
            execution_capped: false,
            ..Policy::default()
        };
        assert_eq!(execution_score(over, d("10"), &uncapped), Some(d("11.00")));
        assert_eq!(
            execution_score(d("90"), d("20"), &p),
            Some(d("18.00")),
            "execution worth 20"
        );
        assert_eq!(execution_rate(d("1"), d("0")), None);
    }

    #[test]
    fn grade_edges() {
        let p = Policy::default();
        assert_eq!(grade(d("90"), &p), "优");
        assert_eq!(grade(d("89.99"), &p), "良");
        assert_eq!(grade(d("80"), &p), "良");
        assert_eq!(grade(d("79.99"), &p), "中");
        assert_eq!(grade(d("60"), &p), "中");
        assert_eq!(grade(d("59.99"), &p), "差");
        let other = Policy {
            grades: [d("80"), d("70"), d("60")],
            ..Policy::default()
        };
        assert_eq!(grade(d("80"), &other), "优");
        assert_eq!(grade(d("79.99"), &other), "良");
        assert_eq!(grade(d("70"), &other), "良");
        assert_eq!(grade(d("69.99"), &other), "中");
        assert_eq!(grade(d("59.99"), &other), "差");
    }

    #[test]
    fn over_achievement_threshold() {
        let p12 = Policy {
            over_achievement: Some(d("1.2")),
            ..Policy::default()
        };
        let p13 = Policy {
            over_achievement: Some(d("1.3")),
            ..Policy::default()
        };
        assert!(!over_achieved(
            Direction::Positive,
            d("100"),
            d("200"),
            &Policy::default()
        ));
        assert!(over_achieved(Direction::Positive, d("100"), d("120"), &p12));
        assert!(!over_achieved(
            Direction::Positive,
            d("100"),
            d("119.99"),
            &p12
        ));
        assert!(!over_achieved(
            Direction::Positive,
            d("100"),
            d("120"),
            &p13
        ));
        assert!(over_achieved(Direction::Positive, d("100"), d("130"), &p13));
        assert!(!over_achieved(Direction::Reverse, d("100"), d("130"), &p13));
    }

    fn decimal(max_cents: i64) -> impl Strategy<Value = Decimal> {
        (0..=max_cents).prop_map(|c| Decimal::new(c, 2))
    }

    fn direction() -> impl Strategy<Value = Direction> {
        prop_oneof![
            Just(Direction::Positive),
            Just(Direction::Equal),
            Just(Direction::Reverse)
        ]
    }

    proptest! {
        /// For random targets and actuals every score lies in [0, W], and the total the form
        /// prints is the sum of the scores it prints.
        #[test]
        fn scores_stay_in_range_and_totals_add_up(
            rows in prop::collection::vec((direction(), decimal(10_000_000), decimal(20_000_000), 1i64..=40), 1..20),
            ratio in any::<bool>(),
            spent in decimal(30_000_000),
            budget in decimal(20_000_000),
        ) {
            let policy = Policy { reverse: if ratio { ReverseRule::Ratio } else { ReverseRule::Linear }, ..Policy::default() };
            let mut printed = Vec::new();
            for (dir, t, a, w) in rows {
                let w = Decimal::from(w);
                let s = quantitative(dir, t, a, w, &policy).unwrap();
                prop_assert!(s >= Decimal::ZERO && s <= w, "{dir:?} t={t} a={a} w={w}: {s}");
                prop_assert_eq!(s, round2(s));
                printed.push(s);
            }
            let exec = execution_rate(spent, budget)
                .and_then(|r| execution_score(r, Decimal::TEN, &policy))
                .unwrap_or(Decimal::ZERO);
            prop_assert!(exec >= Decimal::ZERO && exec <= Decimal::TEN);
            let total = super::super::evaluate::total(printed.iter().copied().chain([exec]));
            let by_hand: Decimal = printed.iter().sum::<Decimal>() + exec;
            prop_assert_eq!(total, by_hand);
        }
    }
}
