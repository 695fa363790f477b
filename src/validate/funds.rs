//! `funds.sum`: 年度资金总额 = 其中：财政拨款 + 其他资金 (+ any further sources); the same for
//! 中期资金; `funds.costs-sum`: the 金额 of the 成本测算 add up to 年度资金总额.

use super::{SumRule, Term, checked_sum, out_of_range, show};
use crate::declaration::{Entry, ProjectForm};
use crate::diagnostic::{Code, Diagnostic};

pub(super) fn sum(p: &ProjectForm, out: &mut Vec<Diagnostic>) {
    let f = &p.funds;
    let mut parts = vec![
        Term::new("财政拨款", f.fiscal.clone()).blank_at(f.blanks.get("fiscal")),
        Term::new("其他资金", f.other.clone()).blank_at(f.blanks.get("other")),
    ];
    parts.extend(
        f.sources
            .iter()
            .map(|s| Term::new(s.name.value.as_str(), s.amount.clone())),
    );
    SumRule {
        code: Code::FundsSum,
        total: Term::new("年度资金总额", f.total.clone()),
        parts,
        block: f.loc,
        fmt: show,
    }
    .check(out);
    let m = &p.midterm_funds;
    SumRule {
        code: Code::FundsSum,
        total: Term::new("中期资金总额", m.total.clone()),
        parts: vec![
            Term::new("财政拨款", m.fiscal.clone()).blank_at(m.blanks.get("fiscal")),
            Term::new("其他资金", m.other.clone()).blank_at(m.blanks.get("other")),
        ],
        block: m.loc,
        fmt: show,
    }
    .check(out);
    costs(p, out);
}

/// `funds.costs-sum`: the 成本测算 amounts add up to 年度资金总额 (checked when every amount is
/// given; with blank amounts only an excess is certain).
fn costs(p: &ProjectForm, out: &mut Vec<Diagnostic>) {
    let Entry::Given(total) = &p.funds.total else {
        return;
    };
    if p.costs.is_empty() || p.costs.iter().any(|c| c.amount.is_invalid()) {
        return;
    }
    let all_given = p.costs.iter().all(|c| c.amount.get().is_some());
    let Some(sum) = checked_sum(p.costs.iter().filter_map(|c| c.amount.value())) else {
        out.push(out_of_range(p.costs_loc, "成本测算"));
        return;
    };
    if sum == total.value || (!all_given && sum < total.value) {
        return;
    }
    let addends: Vec<String> = p
        .costs
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let name = c
                .item
                .as_ref()
                .map_or_else(|| format!("第{}项", n + 1), |l| l.value.clone());
            format!("{name} {}", show(c.amount.value().unwrap_or_default()))
        })
        .collect();
    let equation = format!(
        "{} = {} ≠ 年度资金总额 {}",
        addends.join(" + "),
        show(sum),
        show(total.value)
    );
    out.push(Diagnostic::error(
        Code::FundsCostsSum,
        p.costs_loc,
        format!("成本测算的金额与年度资金总额不符：{equation}"),
        format!("the amounts of the 成本测算 do not add up to 年度资金总额: {equation}"),
    ));
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Loc};
    use crate::validate::test_support::*;

    #[test]
    fn exact_sum_passes_off_by_a_cent_fails() {
        assert!(
            with_code(
                &project("funds:\n  total: 150\n  fiscal: 149.99\n  other: 0.01\n"),
                Code::FundsSum
            )
            .is_empty()
        );
        let text = project("funds:\n  total: 150\n  fiscal: 149.99\n  other: 0.02\n");
        let d = with_code(&text, Code::FundsSum);
        assert_eq!(d.len(), 1);
        assert!(d[0].is_error());
        assert_eq!(d[0].loc, Loc::new(6, 10));
        assert_eq!(
            d[0].zh,
            "合计与分项不符：年度资金总额 150.00 ≠ 财政拨款 149.99 + 其他资金 0.02 = 150.01"
        );
    }

    #[test]
    fn a_blank_part_reads_as_zero_when_it_balances() {
        // The seed: 150 = 150 + (blank).
        let text = project("funds:\n  total: 150\n  fiscal: 150\n  other:\n");
        assert!(with_code(&text, Code::FundsSum).is_empty());
        assert!(with_code(&text, Code::BudgetPartMissing).is_empty());
    }

    #[test]
    fn a_blank_part_that_would_balance_is_named() {
        let text = project("funds:\n  total: 150\n  fiscal: 120\n  other:\n");
        let d = with_code(&text, Code::BudgetPartMissing);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, Loc::new(8, 8), "the colon of `other:`");
        // Left out rather than written empty: the block.
        let d = with_code(
            &project("funds:\n  total: 150\n  fiscal: 120\n"),
            Code::BudgetPartMissing,
        );
        assert_eq!(d[0].loc, Loc::new(6, 3));
        assert!(!d[0].is_error());
        assert!(
            d[0].zh.contains("其他资金 为空") && d[0].zh.contains("应为 30.00"),
            "{}",
            d[0].zh
        );
        // Given parts already over the total: no blank value can balance it.
        let d = with_code(
            &project("funds:\n  total: 150\n  fiscal: 150.01\n"),
            Code::FundsSum,
        );
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn midterm_funds_add_up_too_under_their_labels() {
        let mid = |f: &str| {
            project(&format!(
                "funds:\n  total: 1\n中期资金:\n  中期资金总额: 300\n  财政拨款: {f}\n  其他资金: 100\n"
            ))
        };
        assert!(with_code(&mid("200"), Code::FundsSum).is_empty());
        let d = with_code(&mid("200.01"), Code::FundsSum);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, Loc::new(8, 11));
        assert_eq!(
            d[0].zh,
            "合计与分项不符：中期资金总额 300.00 ≠ 财政拨款 200.01 + 其他资金 100.00 = 300.01"
        );
        assert!(d[0].en.contains("中期资金总额 300.00 ≠"));
    }

    #[test]
    fn midterm_indicator_names_are_checked_where_written() {
        let text = project(
            "funds:\n  total: 1\nmidterm_indicators:\n  产出指标:\n    数最指标:\n      - 家数: ≥10家\n",
        );
        let d = with_code(&text, Code::IndicatorLevel2);
        assert_eq!(d.len(), 1, "{:?}", diags(&text));
        assert_eq!(d[0].loc.line, 9);
        // A 中期 side may leave out 效益 and 满意度: no indicator.required for it.
        assert!(with_code(&text, Code::IndicatorRequired).is_empty());
    }

    #[test]
    fn the_cost_build_up_adds_up_to_the_funds() {
        let costs = |a: &str, b: &str| {
            project(&format!(
                "funds:\n  total: 100\n成本测算:\n  - 成本构成: 设备\n    金额: {a}\n    前两年实际执行数: 80\n  - item: 运维\n    amount: {b}\n"
            ))
        };
        assert!(with_code(&costs("60", "40"), Code::FundsCostsSum).is_empty());
        let d = with_code(&costs("60", "40.01"), Code::FundsCostsSum);
        assert_eq!(d.len(), 1);
        assert!(d[0].is_error());
        assert_eq!(d[0].loc, Loc::new(8, 3), "at the list");
        assert_eq!(
            d[0].zh,
            "成本测算的金额与年度资金总额不符：设备 60.00 + 运维 40.01 = 100.01 ≠ 年度资金总额 100.00"
        );
        assert!(d[0].en.contains("成本测算 do not add up"));
        assert_eq!(
            with_code(&costs("60", "39.99"), Code::FundsCostsSum).len(),
            1
        );
        assert!(
            with_code(&costs("60", ""), Code::FundsCostsSum).is_empty(),
            "a blank amount: only an excess"
        );
        assert_eq!(
            with_code(&costs("100.01", ""), Code::FundsCostsSum).len(),
            1
        );
    }

    #[test]
    fn further_sources_are_added() {
        let text = project(
            "funds:\n  total: 10\n  fiscal: 5\n  other: 3\n  sources:\n    - name: 专项债\n      amount: 2\n",
        );
        assert!(with_code(&text, Code::FundsSum).is_empty());
        let text = project(
            "funds:\n  total: 10\n  fiscal: 5\n  other: 3\n  sources:\n    - name: 专项债\n      amount: 1.99\n",
        );
        let d = with_code(&text, Code::FundsSum);
        assert!(d[0].zh.contains("专项债 1.99"), "{}", d[0].zh);
    }
}
