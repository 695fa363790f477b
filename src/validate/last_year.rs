//! 上年预算: `lastyear.rate` (a given 执行率 equals 实际支出数 ÷ 批复数 at 0.01%) and
//! `lastyear.rate-high` (执行率 over 100%, with the rate against 调整数).

use rust_decimal::Decimal;

use crate::declaration::amount::{format_percent, rate_percent};
use crate::declaration::{DepartmentForm, Entry};
use crate::diagnostic::{Code, Diagnostic};

pub(super) fn check(d: &DepartmentForm, out: &mut Vec<Diagnostic>) {
    let l = &d.last_year;
    let computed = l.computed_rate();
    let (Some(actual), Some(approved)) = (l.actual.value(), l.approved.value()) else {
        high(d, None, out);
        return;
    };
    if let (Entry::Given(rate), Some(computed)) = (&l.rate, computed) {
        // The printed rate has 2 decimals: it must be exactly the rounded quotient.
        if rate.value != computed {
            let (a, b) = (super::show(actual), super::show(approved));
            out.push(Diagnostic::error(
                Code::LastyearRate,
                rate.loc,
                format!(
                    "执行率 {} ≠ 实际支出数 {a} ÷ 批复数 {b} = {}",
                    format_percent(rate.value),
                    format_percent(computed)
                ),
                format!(
                    "执行率 {} does not match 实际支出数 {a} ÷ 批复数 {b} = {}",
                    format_percent(rate.value),
                    format_percent(computed)
                ),
            ));
        }
    }
    high(d, computed, out);
}

/// `lastyear.rate-high`: the rate (given, else computed) is over 100%.
fn high(d: &DepartmentForm, computed: Option<Decimal>, out: &mut Vec<Diagnostic>) {
    let l = &d.last_year;
    let (rate, loc) = match (&l.rate, computed) {
        (Entry::Given(r), _) => (r.value, r.loc),
        (Entry::Blank, Some(c)) => (c, l.actual.loc().unwrap_or(l.loc)),
        _ => return,
    };
    if rate <= Decimal::ONE_HUNDRED {
        return;
    }
    let shown = format_percent(rate);
    let against_adjusted = match (l.actual.value(), l.adjusted.value()) {
        (Some(actual), Some(adjusted)) => {
            rate_percent(actual, adjusted).map(|r| (r, actual, adjusted))
        }
        _ => None,
    };
    let (zh, en) = match against_adjusted {
        Some((r, actual, adjusted)) => {
            let (a, j, r) = (
                super::show(actual),
                super::show(adjusted),
                format_percent(r),
            );
            (
                format!(
                    "执行率 {shown} 超过 100%：按调整数计算为 实际支出数 {a} ÷ 调整数 {j} = {r}"
                ),
                format!(
                    "执行率 {shown} is over 100%; against 调整数 it is 实际支出数 {a} ÷ 调整数 {j} = {r}"
                ),
            )
        }
        None => (
            format!("执行率 {shown} 超过 100%（未填调整数，无法按调整数计算）"),
            format!("执行率 {shown} is over 100% (调整数 is blank, so no rate against it)"),
        ),
    };
    out.push(Diagnostic::warning(Code::LastyearRateHigh, loc, zh, en));
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Loc};
    use crate::validate::test_support::*;

    fn last_year(rate: &str) -> String {
        department(&format!(
            "last_year:\n  approved: 463.79\n  adjusted: 1842.41\n  actual: 1842.41\n  rate: {rate}\n"
        ))
    }

    #[test]
    fn rate_at_a_hundredth_of_a_percent() {
        // 1842.41 ÷ 463.79 = 3.97251... → 397.25%.
        assert!(with_code(&last_year("397.25%"), Code::LastyearRate).is_empty());
        assert!(with_code(&last_year("397.250"), Code::LastyearRate).is_empty());
        let d = with_code(&last_year("397.26%"), Code::LastyearRate);
        assert_eq!(d.len(), 1);
        assert!(d[0].is_error());
        assert_eq!(d[0].loc, Loc::new(8, 9));
        assert_eq!(
            d[0].zh,
            "执行率 397.26% ≠ 实际支出数 1842.41 ÷ 批复数 463.79 = 397.25%"
        );
        assert_eq!(
            with_code(&last_year("397.24%"), Code::LastyearRate).len(),
            1
        );
    }

    #[test]
    fn over_100_gives_the_rate_against_the_adjusted_budget() {
        let d = with_code(&last_year("397.25%"), Code::LastyearRateHigh);
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert_eq!(d[0].loc.line, 8);
        assert!(
            d[0].zh.contains("397.25%") && d[0].zh.contains("= 100.00%"),
            "{}",
            d[0].zh
        );
    }

    #[test]
    fn computed_rate_is_checked_when_none_is_given() {
        let text = department("last_year:\n  approved: 100\n  actual: 100.01\n");
        let d = with_code(&text, Code::LastyearRateHigh);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, Loc::new(6, 11), "points at 实际支出数");
        assert!(d[0].zh.contains("100.01%") && d[0].zh.contains("未填调整数"));
        let exact = department("last_year:\n  approved: 100\n  actual: 100\n  rate: 100%\n");
        assert!(with_code(&exact, Code::LastyearRateHigh).is_empty());
        assert!(with_code(&exact, Code::LastyearRate).is_empty());
    }

    #[test]
    fn zero_approved_budget_is_not_divided_by() {
        let text = department("last_year:\n  approved: 0\n  actual: 5\n  rate: 50%\n");
        assert!(with_code(&text, Code::LastyearRate).is_empty());
    }
}
