//! `amount.rounded`: an amount that changes when printed at 2 decimals (the form prints 万元 with
//! 2 decimals, so `100.005` would print as `100.01` while the sums use the exact value). 执行率 is
//! printed with 2 decimals as well and is checked the same way.

use rust_decimal::Decimal;

use super::show;
use crate::declaration::amount::{format_money, format_percent, round2};
use crate::declaration::{Declaration, Entry};
use crate::diagnostic::{Code, Diagnostic};

pub(super) fn amounts(decl: &Declaration, out: &mut Vec<Diagnostic>) {
    // `precision` (0–4) is the places the declaration asks amounts to print with.
    let places = decl.common().precision.value().unwrap_or(2);
    let mut check = |label: &str, entry: &Entry<Decimal>| amount(label, entry, places, out);
    match decl {
        Declaration::SelfEval(_) => {}
        Declaration::Project(p) => {
            check("年度资金总额", &p.funds.total);
            check("财政拨款", &p.funds.fiscal);
            check("其他资金", &p.funds.other);
            for s in &p.funds.sources {
                check(&s.name.value, &s.amount);
            }
            for c in &p.costs {
                check("成本金额", &c.amount);
                check("前两年实际执行数", &c.prior);
            }
            check("中期资金总额", &p.midterm_funds.total);
            check("中期财政拨款", &p.midterm_funds.fiscal);
            check("中期其他资金", &p.midterm_funds.other);
        }
        Declaration::Department(d) => {
            let l = &d.last_year;
            check("批复数", &l.approved);
            check("调整数", &l.adjusted);
            check("实际支出数", &l.actual);
            check("年末结转结余数", &l.carryover);
            let i = &d.budget.income;
            check("收入合计", &i.total);
            check("上级财政拨款", &i.superior);
            check("本级财政安排", &i.local);
            check("其他", &i.other);
            check("公共财政拨款", &i.general);
            check("纳入预算管理的非税收入拨款", &i.nontax);
            check("政府性基金拨款", &i.fund);
            check("纳入专户管理的非税收入拨款", &i.special_account);
            check("财政拨款", &i.fiscal);
            let e = &d.budget.expense;
            check("支出合计", &e.total);
            check("人员经费", &e.personnel);
            check("公用经费", &e.public);
            check("项目经费", &e.project);
            check("基本支出", &e.basic);
            check("其他支出", &e.other);
            for t in &d.tasks {
                check("预算金额", &t.amount);
                check("财政", &t.fiscal);
                check("其他", &t.other);
            }
            for t in &d.duties {
                check("预算金额", &t.amount);
            }
            for h in &d.history {
                for (label, e) in [
                    ("收入合计", &h.income.total),
                    ("财政拨款", &h.income.fiscal),
                    ("其他资金", &h.income.other),
                    ("支出合计", &h.expense.total),
                    ("基本支出", &h.expense.basic),
                    ("项目支出", &h.expense.project),
                ] {
                    check(label, e);
                }
            }
            rate(&l.rate, out);
        }
    }
}

/// One amount, printed with `places` decimals.
fn amount(label: &str, entry: &Entry<Decimal>, places: u32, out: &mut Vec<Diagnostic>) {
    let Entry::Given(v) = entry else { return };
    let rounded = v
        .value
        .round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    if rounded != v.value {
        let (printed, zh_places) = if places == 2 {
            (format_money(v.value), "两位".to_string())
        } else {
            let mut r = rounded;
            r.rescale(places);
            (r.to_string(), format!("{places} 位"))
        };
        let exact = show(v.value);
        out.push(Diagnostic::warning(
            Code::AmountRounded,
            v.loc,
            format!("{label} {exact} 按{zh_places}小数打印为 {printed}（合计校验仍按 {exact} 计算）"),
            format!("{label} {exact} prints as {printed} at {places} decimals (sums are checked with {exact})"),
        ));
    }
}

/// 执行率, printed as a percentage with 2 decimals too.
fn rate(entry: &Entry<Decimal>, out: &mut Vec<Diagnostic>) {
    let Entry::Given(rate) = entry else { return };
    if round2(rate.value) != rate.value {
        let (exact, printed) = (
            format!("{}%", rate.value.normalize()),
            format_percent(rate.value),
        );
        out.push(Diagnostic::warning(
            Code::AmountRounded,
            rate.loc,
            format!("执行率 {exact} 按两位小数打印为 {printed}"),
            format!("执行率 {exact} prints as {printed} at 2 decimals"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Loc};
    use crate::validate::test_support::*;

    #[test]
    fn two_places_pass_a_third_nonzero_place_warns() {
        assert!(with_code(&project("funds:\n  total: 100.01\n"), Code::AmountRounded).is_empty());
        // Trailing zeros do not change the printed value.
        assert!(
            with_code(
                &project("funds:\n  total: 100.010000\n"),
                Code::AmountRounded
            )
            .is_empty()
        );
        let text = project("funds:\n  total: 100.005\n");
        let d = with_code(&text, Code::AmountRounded);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, Loc::new(6, 10));
        assert!(
            d[0].zh.contains("年度资金总额 100.005") && d[0].zh.contains("100.01"),
            "{}",
            d[0].zh
        );
    }

    #[test]
    fn a_rate_with_a_third_decimal_warns() {
        let rate = |r: &str| department(&format!("last_year:\n  rate: {r}\n"));
        assert!(with_code(&rate("97.25%"), Code::AmountRounded).is_empty());
        let d = with_code(&rate("97.255%"), Code::AmountRounded);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].zh, "执行率 97.255% 按两位小数打印为 97.26%");
    }

    #[test]
    fn department_amounts_and_tasks_are_covered() {
        let text = department(
            "budget:\n  expense:\n    public: 1.001\ntasks:\n  - name: a\n    amount: 0.009\n",
        );
        let d = with_code(&text, Code::AmountRounded);
        let labels: Vec<_> = d.iter().map(|d| d.zh.split(' ').next().unwrap()).collect();
        assert_eq!(labels, ["公用经费", "预算金额"]);
    }
}
