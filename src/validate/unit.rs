//! `amount.unit`: amounts that look like they are in the other unit than the one declared (a
//! 10,000× misstatement once printed). A warning: the figures may be right after all.

use rust_decimal::Decimal;

use super::show;
use crate::declaration::{AmountUnit, Declaration, Entry};
use crate::diagnostic::{Code, Diagnostic};

/// Below this, a project or department total in 元 is implausible: it reads as 万元.
const YUAN_FLOOR: i64 = 1_000;
/// From this up, a total in 万元 (10 billion 元) is implausible for one of these forms: it reads
/// as 元.
const WAN_CEILING: i64 = 1_000_000;

pub(super) fn check(decl: &Declaration, out: &mut Vec<Diagnostic>) {
    let (label, total): (&str, &Entry<Decimal>) = match decl {
        Declaration::Project(p) => ("年度资金总额", &p.funds.total),
        Declaration::Department(d) => {
            if d.budget.expense.total.is_blank() {
                ("收入合计", &d.budget.income.total)
            } else {
                ("支出合计", &d.budget.expense.total)
            }
        }
        Declaration::SelfEval(_) => return,
    };
    let Entry::Given(total) = total else { return };
    let common = decl.common();
    let unit = common.unit_of_amounts();
    let value = total.value;
    let shown = show(value);
    match unit {
        AmountUnit::Yuan if value > Decimal::ZERO && value < Decimal::from(YUAN_FLOOR) => {
            out.push(Diagnostic::warning(
                Code::AmountUnit,
                total.loc,
                format!("{label} {shown} 元不足一千元，像是按万元写的：若是万元，请删去 amount_unit: 元（或写 万元）"),
                format!("{label} {shown} 元 is under a thousand 元 and looks like 万元: if it is, remove `amount_unit: 元` (or write 万元)"),
            ));
        }
        AmountUnit::Wan if value >= Decimal::from(WAN_CEILING) => {
            let declared = common.amount_unit.is_blank();
            let (zh_how, en_how) = if declared {
                (
                    "（未写 amount_unit，按万元读）",
                    " (no amount_unit: read as 万元)",
                )
            } else {
                ("", "")
            };
            out.push(Diagnostic::warning(
                Code::AmountUnit,
                total.loc,
                format!("{label} {shown} 万元{zh_how}即一百亿元以上，像是按元写的：若是元，请写 amount_unit: 元"),
                format!("{label} {shown} 万元{en_how} is ten billion 元 or more and looks like 元: if it is, write `amount_unit: 元`"),
            ));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::validate::test_support::*;

    #[test]
    fn yuan_under_a_thousand_warns_at_the_total() {
        let text = project("amount_unit: 元\nfunds:\n  total: 999.99\n");
        let d = with_code(&text, Code::AmountUnit);
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert_eq!(d[0].loc.line, 7);
        assert!(
            d[0].zh.contains("999.99 元") && d[0].en.contains("looks like 万元"),
            "{:?}",
            d[0]
        );
        assert!(
            with_code(
                &project("amount_unit: 元\nfunds:\n  total: 1000\n"),
                Code::AmountUnit
            )
            .is_empty()
        );
        // The same figure in 万元 is ordinary.
        assert!(with_code(&project("funds:\n  total: 999.99\n"), Code::AmountUnit).is_empty());
    }

    #[test]
    fn wan_from_ten_billion_warns_also_under_its_label() {
        let text = project("金额单位: 万元\nfunds:\n  total: 1000000\n");
        let d = with_code(&text, Code::AmountUnit);
        assert_eq!(d.len(), 1, "{:?}", diags(&text));
        assert!(d[0].en.contains("looks like 元"), "{}", d[0].en);
        assert!(with_code(&project("funds:\n  total: 999999.99\n"), Code::AmountUnit).is_empty());
        let d = with_code(
            &department("budget:\n  expense:\n    total: 3309840\n"),
            Code::AmountUnit,
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].zh.contains("未写 amount_unit"), "{}", d[0].zh);
        assert!(
            with_code(
                &department("amount_unit: 元\nbudget:\n  expense:\n    total: 3309840\n"),
                Code::AmountUnit
            )
            .is_empty()
        );
    }

    #[test]
    fn an_unknown_unit_is_a_located_type_error() {
        let out =
            crate::declaration::parse("form: project\nyear: 2023\nname: a\namount_unit: 千元\n");
        let d: Vec<_> = out
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::YamlType)
            .collect();
        assert_eq!(d.len(), 1, "{:?}", out.diagnostics);
        assert_eq!(d[0].loc.line, 4);
        assert!(d[0].zh.contains("千元") && d[0].en.contains("万元 or 元"));
    }
}
