//! 当年预算 of the department form: `budget.income-sum`, `budget.expense-sum`,
//! `budget.part-missing`, `budget.balance` and `budget.tasks-sum` (the tasks add up to 支出合计,
//! and a task's optional 财政/其他 split adds up to its 预算金额).

use super::{SumRule, Term, checked_sum, out_of_range, show};
use rust_decimal::Decimal;

use crate::declaration::{DepartmentForm, Entry, Expense, Income};
use crate::diagnostic::{Code, Diagnostic};

pub(super) fn check(d: &DepartmentForm, out: &mut Vec<Diagnostic>) {
    income(&d.budget.income, out);
    expense(&d.budget.expense, out);
    // 近两年收支金额: each year's income and spending add up the same way.
    for h in &d.history {
        income(&h.income, out);
        expense(&h.expense, out);
    }
    balance(d, out);
    tasks(d, out);
    task_splits(d, out);
    duties(d, out);
}

/// 收入合计 is split one way or more (by level: 上级财政拨款 + 本级财政安排 + 其他, the seed's; by
/// type: 公共财政拨款 + 纳入预算管理的非税收入拨款 + 政府性基金拨款 + 纳入专户管理的非税收入拨款 +
/// 其他资金; or 财政拨款 + 其他资金). `other` is the non-fiscal rest in every split, so each split
/// the declaration uses (some part of it given) must add up with it; with none of the newer
/// splits used, the seed's split is checked as before.
fn income(i: &Income, out: &mut Vec<Diagnostic>) {
    let given = |es: &[&Entry<Decimal>]| es.iter().any(|e| !e.is_blank());
    let other = || Term::new("其他", i.other.clone()).blank_at(i.blanks.get("other"));
    let by_type = given(&[&i.general, &i.nontax, &i.fund, &i.special_account]);
    let fiscal = given(&[&i.fiscal]);
    let by_level = given(&[&i.superior, &i.local]);
    let rule = |parts: Vec<Term<'static>>| SumRule {
        code: Code::BudgetIncomeSum,
        total: Term::new("收入合计", i.total.clone()),
        parts,
        block: i.loc,
        fmt: show,
    };
    if by_level || !(by_type || fiscal) {
        rule(vec![
            Term::new("上级财政拨款", i.superior.clone()).blank_at(i.blanks.get("superior")),
            Term::new("本级财政安排", i.local.clone()).blank_at(i.blanks.get("local")),
            other(),
        ])
        .check(out);
    }
    if by_type {
        rule(vec![
            Term::new("公共财政拨款", i.general.clone()).blank_at(i.blanks.get("general")),
            Term::new("纳入预算管理的非税收入拨款", i.nontax.clone())
                .blank_at(i.blanks.get("nontax")),
            Term::new("政府性基金拨款", i.fund.clone()).blank_at(i.blanks.get("fund")),
            Term::new("纳入专户管理的非税收入拨款", i.special_account.clone())
                .blank_at(i.blanks.get("special_account")),
            other(),
        ])
        .check(out);
    }
    if fiscal {
        rule(vec![
            Term::new("财政拨款", i.fiscal.clone()).blank_at(i.blanks.get("fiscal")),
            other(),
        ])
        .check(out);
    }
}

/// 支出合计 = 人员经费 + 公用经费 + 项目经费 (the seed's split), or, when 基本支出 or 其他支出 is
/// given, 基本支出 + 项目支出 + 其他支出, with 基本支出 = 人员经费 + 公用经费 where those are given.
fn expense(e: &Expense, out: &mut Vec<Diagnostic>) {
    if e.basic.is_blank() && e.other.is_blank() {
        SumRule {
            code: Code::BudgetExpenseSum,
            total: Term::new("支出合计", e.total.clone()),
            parts: vec![
                Term::new("人员经费", e.personnel.clone()).blank_at(e.blanks.get("personnel")),
                Term::new("公用经费", e.public.clone()).blank_at(e.blanks.get("public")),
                Term::new("项目经费", e.project.clone()).blank_at(e.blanks.get("project")),
            ],
            block: e.loc,
            fmt: show,
        }
        .check(out);
        return;
    }
    SumRule {
        code: Code::BudgetExpenseSum,
        total: Term::new("支出合计", e.total.clone()),
        parts: vec![
            Term::new("基本支出", e.basic.clone()).blank_at(e.blanks.get("basic")),
            Term::new("项目支出", e.project.clone()).blank_at(e.blanks.get("project")),
            Term::new("其他支出", e.other.clone()).blank_at(e.blanks.get("other")),
        ],
        block: e.loc,
        fmt: show,
    }
    .check(out);
    SumRule {
        code: Code::BudgetExpenseSum,
        total: Term::new("基本支出", e.basic.clone()),
        parts: vec![
            Term::new("人员经费", e.personnel.clone()).blank_at(e.blanks.get("personnel")),
            Term::new("公用经费", e.public.clone()).blank_at(e.blanks.get("public")),
        ],
        block: e.loc,
        fmt: show,
    }
    .check(out);
}

/// A task's optional split (财政 / 其他) adds up to its 预算金额: the column is printed as
/// `预算金额（万元，其中：财政，其他）`, so a split that does not add up prints a contradiction.
fn task_splits(d: &DepartmentForm, out: &mut Vec<Diagnostic>) {
    for (n, t) in d.tasks.iter().enumerate() {
        let name = t
            .name
            .as_ref()
            .map_or_else(|| format!("任务{}", n + 1), |l| l.value.clone());
        let total = format!("{name} 预算金额");
        SumRule {
            code: Code::BudgetTasksSum,
            total: Term::new(&total, t.amount.clone()),
            parts: vec![
                Term::new("财政", t.fiscal.clone()),
                Term::new("其他", t.other.clone()),
            ],
            block: t.loc,
            fmt: show,
        }
        .check(out);
    }
}

/// `budget.balance`: 收入合计 ≠ 支出合计 (a warning: a deficit or surplus may be intended).
fn balance(d: &DepartmentForm, out: &mut Vec<Diagnostic>) {
    let (Entry::Given(income), Entry::Given(expense)) =
        (&d.budget.income.total, &d.budget.expense.total)
    else {
        return;
    };
    if income.value != expense.value {
        let (a, b) = (show(income.value), show(expense.value));
        out.push(Diagnostic::warning(
            Code::BudgetBalance,
            expense.loc,
            format!("收支不平衡：收入合计 {a} ≠ 支出合计 {b}"),
            format!("income and expense differ: 收入合计 {a} ≠ 支出合计 {b}"),
        ));
    }
}

/// `budget.tasks-sum`: the 预算金额 of the 年度主要任务 add up to 支出合计.
fn tasks(d: &DepartmentForm, out: &mut Vec<Diagnostic>) {
    let items: Vec<(String, &Entry<Decimal>)> = d
        .tasks
        .iter()
        .enumerate()
        .map(|(n, t)| {
            (
                t.name
                    .as_ref()
                    .map_or_else(|| format!("任务{}", n + 1), |l| l.value.clone()),
                &t.amount,
            )
        })
        .collect();
    adds_up_to_spending(
        d,
        &items,
        ("年度主要任务", Code::BudgetTasksSum, d.tasks_loc),
        out,
    );
}

/// `budget.duties-sum`: the 预算金额 of the 年度履职目标 add up to 支出合计.
fn duties(d: &DepartmentForm, out: &mut Vec<Diagnostic>) {
    let items: Vec<(String, &Entry<Decimal>)> = d
        .duties
        .iter()
        .enumerate()
        .map(|(n, t)| {
            let name = t.project.as_ref().or(t.target.as_ref());
            (
                name.map_or_else(|| format!("第{}项", n + 1), |l| l.value.clone()),
                &t.amount,
            )
        })
        .collect();
    adds_up_to_spending(
        d,
        &items,
        ("年度履职目标", Code::BudgetDutiesSum, d.duties_loc),
        out,
    );
}

/// The amounts of a list (`(name, amount)` per item) add up to 支出合计. Checked when every
/// amount is given; with blank amounts only an excess is certain. `list`: its label, the code
/// and where the list is.
fn adds_up_to_spending(
    d: &DepartmentForm,
    items: &[(String, &Entry<Decimal>)],
    list: (&str, Code, crate::declaration::Loc),
    out: &mut Vec<Diagnostic>,
) {
    let (label, code, at) = list;
    let Entry::Given(total) = &d.budget.expense.total else {
        return;
    };
    if items.is_empty() || items.iter().any(|(_, a)| a.is_invalid()) {
        return;
    }
    let all_given = items.iter().all(|(_, a)| a.get().is_some());
    let Some(sum) = checked_sum(items.iter().filter_map(|(_, a)| a.value())) else {
        out.push(out_of_range(at, label));
        return;
    };
    if sum == total.value || (!all_given && sum < total.value) {
        return;
    }
    let addends: Vec<String> = items
        .iter()
        .map(|(name, a)| format!("{name} {}", show(a.value().unwrap_or_default())))
        .collect();
    let equation = format!(
        "{} = {} ≠ 支出合计 {}",
        addends.join(" + "),
        show(sum),
        show(total.value)
    );
    out.push(Diagnostic::error(
        code,
        at,
        format!("{label}的预算金额与支出合计不符：{equation}"),
        format!("the 预算金额 of the {label} do not add up to 支出合计: {equation}"),
    ));
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Loc};
    use crate::validate::test_support::*;

    fn income(total: &str, superior: &str, local: &str, other: &str) -> String {
        department(&format!(
            "budget:\n  income:\n    total: {total}\n    superior: {superior}\n    local: {local}\n    other: {other}\n"
        ))
    }

    #[test]
    fn the_seed_as_printed_is_an_income_error_at_the_income_block() {
        let text = income("1203.78", "1203.78", "1203.78", "");
        let d = with_code(&text, Code::BudgetIncomeSum);
        assert_eq!(d.len(), 1);
        assert!(d[0].is_error());
        assert_eq!(d[0].loc, Loc::new(6, 12));
        assert_eq!(
            d[0].zh,
            "合计与分项不符：收入合计 1203.78 ≠ 上级财政拨款 1203.78 + 本级财政安排 1203.78 + 其他 0.00 = 2407.56"
        );
        assert!(d[0].en.contains("= 2407.56"));
    }

    #[test]
    fn income_exact_passes_a_cent_off_fails_either_way() {
        assert!(with_code(&income("100", "40", "59.99", "0.01"), Code::BudgetIncomeSum).is_empty());
        assert_eq!(
            with_code(&income("100", "40", "59.99", "0.02"), Code::BudgetIncomeSum).len(),
            1
        );
        assert_eq!(
            with_code(&income("100", "40", "59.99", "0"), Code::BudgetIncomeSum).len(),
            1
        );
    }

    #[test]
    fn expense_with_a_blank_part_says_what_balances() {
        // The seed: 1203.78 = (blank) + 298.68 + 150 → 人员经费 755.10.
        let text = department(
            "budget:\n  expense:\n    total: 1203.78\n    personnel:\n    public: 298.68\n    project: 150\n",
        );
        assert!(with_code(&text, Code::BudgetExpenseSum).is_empty());
        let d = with_code(&text, Code::BudgetPartMissing);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].loc,
            Loc::new(7, 14),
            "points at the blank 人员经费 (its colon)"
        );
        assert_eq!(
            d[0].zh,
            "人员经费 为空：按 支出合计 1203.78 − 公用经费 298.68 − 项目经费 150.00，应为 755.10"
        );
        assert!(
            d[0].en
                .starts_with("人员经费 is blank: 755.10 would balance")
        );
    }

    #[test]
    fn expense_exact_passes_a_cent_off_fails() {
        let ok = department(
            "budget:\n  expense:\n    total: 10\n    personnel: 5\n    public: 3\n    project: 2\n",
        );
        assert!(with_code(&ok, Code::BudgetExpenseSum).is_empty());
        let bad = ok.replace("project: 2", "project: 2.01");
        let d = with_code(&bad, Code::BudgetExpenseSum);
        assert_eq!(d.len(), 1);
        assert!(d[0].zh.contains("= 10.01"));
    }

    #[test]
    fn balance_warns_only_when_totals_differ() {
        let both = |i: &str, e: &str| {
            department(&format!(
                "budget:\n  income:\n    total: {i}\n  expense:\n    total: {e}\n"
            ))
        };
        assert!(with_code(&both("10", "10.00"), Code::BudgetBalance).is_empty());
        let d = with_code(&both("10", "10.01"), Code::BudgetBalance);
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert!(d[0].zh.contains("收入合计 10.00 ≠ 支出合计 10.01"));
    }

    fn tasks(total: &str, a: &str, b: &str) -> String {
        department(&format!(
            "budget:\n  expense:\n    total: {total}\ntasks:\n  - name: 政务服务大厅\n    amount: {a}\n  - name: 企业免费刻章\n    amount: {b}\n"
        ))
    }

    #[test]
    fn a_tasks_split_adds_up_to_its_amount() {
        let split = |f: &str, o: &str| {
            department(&format!(
                "tasks:\n  - name: 大厅\n    amount: 100\n    fiscal: {f}\n    other: {o}\n"
            ))
        };
        assert!(with_code(&split("99.99", "0.01"), Code::BudgetTasksSum).is_empty());
        let d = with_code(&split("99.99", "0.02"), Code::BudgetTasksSum);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, Loc::new(6, 13));
        assert_eq!(
            d[0].zh,
            "合计与分项不符：大厅 预算金额 100.00 ≠ 财政 99.99 + 其他 0.02 = 100.01"
        );
        let d = with_code(&split("60", ""), Code::BudgetPartMissing);
        assert!(
            d[0].zh.starts_with("其他 为空") && d[0].zh.ends_with("应为 40.00"),
            "{}",
            d[0].zh
        );
        // No split given: nothing to check.
        assert!(diags(&department("tasks:\n  - name: 大厅\n    amount: 100\n")).is_empty());
    }

    #[test]
    fn income_by_type_adds_up_with_its_other() {
        let by_type = |g: &str, o: &str| {
            department(&format!(
                "budget:\n  income:\n    total: 100\n    general: {g}\n    nontax: 10\n    fund: 10\n    special_account: 0\n    other: {o}\n"
            ))
        };
        assert!(with_code(&by_type("70", "10"), Code::BudgetIncomeSum).is_empty());
        let d = with_code(&by_type("70", "10.01"), Code::BudgetIncomeSum);
        assert_eq!(d.len(), 1, "only the split in use is checked");
        assert_eq!(d[0].loc, Loc::new(6, 12));
        assert!(
            d[0].zh
                .contains("公共财政拨款 70.00 + 纳入预算管理的非税收入拨款 10.00")
                && d[0].zh.ends_with("= 100.01"),
            "{}",
            d[0].zh
        );
        assert!(
            d[0].en.starts_with("the parts do not add up"),
            "{}",
            d[0].en
        );
        // Under the printed labels.
        let labels = department(
            "budget:\n  按收入性质分:\n    资金总额: 100\n    财政拨款: 90\n    其他资金: 10\n",
        );
        assert!(diags(&labels).is_empty(), "{:?}", diags(&labels));
        let d = with_code(
            &labels.replace("财政拨款: 90", "财政拨款: 89"),
            Code::BudgetPartMissing,
        );
        assert!(d.is_empty(), "both parts given: a mismatch, not a blank");
        assert_eq!(
            with_code(
                &labels.replace("财政拨款: 90", "财政拨款: 89"),
                Code::BudgetIncomeSum
            )
            .len(),
            1
        );
        // A split by type with a blank part says what would balance it.
        let d = with_code(&by_type("", "10"), Code::BudgetPartMissing);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].zh.starts_with("公共财政拨款 为空") && d[0].zh.ends_with("应为 70.00"),
            "{}",
            d[0].zh
        );
    }

    #[test]
    fn expense_by_nature_and_basic_by_kind() {
        let nature = |b: &str, p: &str| {
            department(&format!(
                "budget:\n  expense:\n    total: 100\n    basic: {b}\n    project: {p}\n    other: 0\n"
            ))
        };
        assert!(with_code(&nature("70", "30"), Code::BudgetExpenseSum).is_empty());
        let d = with_code(&nature("70", "30.01"), Code::BudgetExpenseSum);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].zh,
            "合计与分项不符：支出合计 100.00 ≠ 基本支出 70.00 + 项目支出 30.01 + 其他支出 0.00 = 100.01"
        );
        // 基本支出 = 人员经费 + 公用经费 where they are given.
        let basic = |pe: &str| {
            department(&format!(
                "budget:\n  expense:\n    total: 100\n    basic: 70\n    personnel: {pe}\n    public: 20\n    project: 30\n"
            ))
        };
        assert!(with_code(&basic("50"), Code::BudgetExpenseSum).is_empty());
        let d = with_code(&basic("50.5"), Code::BudgetExpenseSum);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc.line, 7, "at 基本支出");
        assert!(
            d[0].zh
                .contains("基本支出 70.00 ≠ 人员经费 50.50 + 公用经费 20.00"),
            "{}",
            d[0].zh
        );
    }

    fn duties(total: &str, a: &str, b: &str) -> String {
        department(&format!(
            "budget:\n  expense:\n    total: {total}\nduties:\n  - project: 基本支出\n    amount: {a}\n  - 支出项目名称: 学生资助\n    预算金额: {b}\n"
        ))
    }

    #[test]
    fn duties_add_up_to_the_expense_total() {
        assert!(with_code(&duties("100", "90", "10"), Code::BudgetDutiesSum).is_empty());
        let d = with_code(&duties("100", "90", "10.01"), Code::BudgetDutiesSum);
        assert_eq!(d.len(), 1);
        assert!(d[0].is_error());
        assert_eq!(d[0].loc, Loc::new(8, 3), "at the duties list");
        assert_eq!(
            d[0].zh,
            "年度履职目标的预算金额与支出合计不符：基本支出 90.00 + 学生资助 10.01 = 100.01 ≠ 支出合计 100.00"
        );
        assert!(d[0].en.contains("年度履职目标 do not add up"));
        assert_eq!(
            with_code(&duties("100", "90", "9.99"), Code::BudgetDutiesSum).len(),
            1
        );
        // A blank amount: only an excess is certain.
        assert!(with_code(&duties("100", "90", ""), Code::BudgetDutiesSum).is_empty());
        assert_eq!(
            with_code(&duties("80", "90", ""), Code::BudgetDutiesSum).len(),
            1
        );
    }

    #[test]
    fn tasks_add_up_to_the_expense_total() {
        assert!(with_code(&tasks("1203.78", "1053.78", "150"), Code::BudgetTasksSum).is_empty());
        let d = with_code(&tasks("1203.78", "1053.78", "150.01"), Code::BudgetTasksSum);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc.line, 8);
        assert!(
            d[0].zh
                .contains("企业免费刻章 150.01 = 1203.79 ≠ 支出合计 1203.78"),
            "{}",
            d[0].zh
        );
        assert_eq!(
            with_code(&tasks("1203.78", "1053.77", "150"), Code::BudgetTasksSum).len(),
            1
        );
        // A blank task amount: only an excess is certain.
        assert!(with_code(&tasks("1203.78", "1053.78", ""), Code::BudgetTasksSum).is_empty());
        assert_eq!(
            with_code(&tasks("1000", "1053.78", ""), Code::BudgetTasksSum).len(),
            1
        );
    }
}
