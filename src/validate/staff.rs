//! 人员: `staff.sum` (在职人员总数 = 行政 + 事业 + 编外) and `staff.over-quota`
//! (在职人员总数 > 编制控制数). A blank head count that would balance the sum is named with
//! `budget.part-missing`, as for money: the seed leaves 事业编制人数 blank (it would be 25).

use rust_decimal::Decimal;

use super::{SumRule, Term, show_count};
use crate::declaration::{DepartmentForm, Entry};
use crate::diagnostic::{Code, Diagnostic};

pub(super) fn check(d: &DepartmentForm, out: &mut Vec<Diagnostic>) {
    let s = &d.staff;
    let people = |e: &Entry<u32>| match e {
        Entry::Blank => Entry::Blank,
        Entry::Given(l) => Entry::Given(l.clone().map(Decimal::from)),
        Entry::Invalid(loc) => Entry::Invalid(*loc),
    };
    SumRule {
        code: Code::StaffSum,
        total: Term::new("在职人员总数", people(&s.total)),
        parts: vec![
            Term::new("行政编制人数", people(&s.administrative))
                .blank_at(s.blanks.get("administrative")),
            Term::new("事业编制人数", people(&s.institutional))
                .blank_at(s.blanks.get("institutional")),
            Term::new("编外人数", people(&s.extra)).blank_at(s.blanks.get("extra")),
        ],
        block: s.loc,
        fmt: show_count,
    }
    .check(out);
    if let (Entry::Given(total), Some(quota)) = (&s.total, s.quota.value())
        && total.value > quota
    {
        out.push(Diagnostic::warning(
            Code::StaffOverQuota,
            total.loc,
            format!("在职人员总数 {} 超过编制控制数 {quota}", total.value),
            format!(
                "在职人员总数 {} is over the 编制控制数 {quota}",
                total.value
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Loc};
    use crate::validate::test_support::*;

    fn staff(quota: &str, total: &str, admin: &str, inst: &str, extra: &str) -> String {
        department(&format!(
            "staff:\n  quota: {quota}\n  total: {total}\n  administrative: {admin}\n  institutional: {inst}\n  extra: {extra}\n"
        ))
    }

    #[test]
    fn head_counts_add_up() {
        assert!(with_code(&staff("46", "32", "7", "25", "0"), Code::StaffSum).is_empty());
        let d = with_code(&staff("46", "32", "7", "26", "0"), Code::StaffSum);
        assert_eq!(d.len(), 1);
        assert!(d[0].is_error());
        assert_eq!(d[0].loc, Loc::new(6, 10));
        assert_eq!(
            d[0].zh,
            "合计与分项不符：在职人员总数 32 ≠ 行政编制人数 7 + 事业编制人数 26 + 编外人数 0 = 33"
        );
        assert_eq!(
            with_code(&staff("46", "32", "7", "24", "0"), Code::StaffSum).len(),
            1
        );
    }

    #[test]
    fn the_seeds_blank_count_is_named() {
        let text = staff("46", "32", "7", "", "0");
        assert!(with_code(&text, Code::StaffSum).is_empty());
        let d = with_code(&text, Code::BudgetPartMissing);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].zh.starts_with("事业编制人数 为空") && d[0].zh.ends_with("应为 25"),
            "{}",
            d[0].zh
        );
        assert_eq!(d[0].loc.line, 8, "at the blank 事业编制人数");
    }

    #[test]
    fn over_quota_warns_at_one_over() {
        assert!(with_code(&staff("32", "32", "7", "25", "0"), Code::StaffOverQuota).is_empty());
        let d = with_code(&staff("31", "32", "7", "25", "0"), Code::StaffOverQuota);
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert!(d[0].zh.contains("32") && d[0].zh.contains("31"));
    }
}
