//! 绩效指标: `indicator.level1`, `indicator.level2`, `indicator.alias`, `indicator.required`,
//! `indicator.empty`, `indicator.duplicate`, `indicator.percent` and `indicator.cost`.

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::{checked_sum, out_of_range, show};
use crate::declaration::scheme::{self, Level1, Level2, Resolved};
use crate::declaration::value::Quantity;
use crate::declaration::{Declaration, Entry, Indicator, Indicators, Loc};
use crate::diagnostic::{Code, Diagnostic};

pub(super) fn check(decl: &Declaration, out: &mut Vec<Diagnostic>) {
    let ind = decl.indicators();
    names(ind, out);
    empty(ind, out);
    duplicates(ind, out);
    required(ind, out);
    percent(ind, out);
    cost(decl, out);
}

/// The 中期 indicators (mof-2015): their names resolve and none is empty or given twice. The
/// annual rules on required groups, percentages and cost do not apply to the 中期 side, which
/// real forms often leave empty.
pub(super) fn check_midterm(ind: &Indicators, out: &mut Vec<Diagnostic>) {
    names(ind, out);
    empty(ind, out);
    duplicates(ind, out);
}

/// `indicator.level1` / `indicator.level2` / `indicator.alias`.
fn names(ind: &Indicators, out: &mut Vec<Diagnostic>) {
    for g1 in &ind.groups {
        let written = &g1.name.value;
        let Some(level1) = g1.level1 else {
            let hint = level1_hint(written);
            out.push(Diagnostic::error(
                Code::IndicatorLevel1,
                g1.name.loc,
                format!("一级指标 “{written}” 不在指标体系中{}", hint.0),
                format!(
                    "一级指标 `{written}` is not in the indicator scheme{}",
                    hint.1
                ),
            ));
            continue;
        };
        for g2 in &g1.groups {
            let name2 = &g2.name.value;
            let l1 = level1.name();
            match g2.resolved {
                Some(Resolved::Canonical(_)) | None => {}
                Some(Resolved::Alias(canonical)) => {
                    let c = canonical.name();
                    let p = canonical.parent().name();
                    let (zh, en) = if canonical.parent() == level1 {
                        (
                            format!(
                                "二级指标 “{name2}” 是旧称，按 “{c}” 打印（按原样打印的版式，如 annual，照写）"
                            ),
                            format!(
                                "二级指标 `{name2}` is a legacy name; printed as `{c}` (layouts that print as declared, such as annual, keep it as written)"
                            ),
                        )
                    } else if name2.trim() == c {
                        // The name is today's; only the place is the older forms'.
                        (
                            format!(
                                "二级指标 “{c}” 按旧口径写在 {l1} 下：按 {p} 下打印（按原样打印的版式，如 annual，印在所写的位置）"
                            ),
                            format!(
                                "二级指标 `{c}` is under {l1} as older forms put it: printed under {p} (layouts that print as declared, such as annual, keep it where it is written)"
                            ),
                        )
                    } else {
                        (
                            format!(
                                "二级指标 “{name2}” 是旧称，按 {p} 下的 “{c}” 打印（按原样打印的版式，如 annual，照写）"
                            ),
                            format!(
                                "二级指标 `{name2}` is a legacy name; printed as `{c}` under {p} (layouts that print as declared, such as annual, keep it as written)"
                            ),
                        )
                    };
                    out.push(Diagnostic::warning(
                        Code::IndicatorAlias,
                        g2.name.loc,
                        zh,
                        en,
                    ));
                }
                Some(Resolved::Misplaced(l2)) => {
                    let p = l2.parent().name();
                    out.push(Diagnostic::error(
                        Code::IndicatorLevel2,
                        g2.name.loc,
                        format!("二级指标 “{name2}” 属于一级指标 {p}，不能写在 {l1} 下"),
                        format!("二级指标 `{name2}` belongs under {p}, not under {l1}"),
                    ));
                }
                Some(Resolved::Unknown) => {
                    let hint = level2_hint(level1, name2);
                    out.push(Diagnostic::error(
                        Code::IndicatorLevel2,
                        g2.name.loc,
                        format!("二级指标 “{name2}” 不在 {l1} 的指标体系中{}", hint.0),
                        format!("二级指标 `{name2}` is not a 二级 of {l1}{}", hint.1),
                    ));
                }
            }
        }
    }
}

fn level1_hint(written: &str) -> (String, String) {
    match scheme::nearest_level1(written) {
        Some(n) => (
            format!("，是否应为 “{n}”？"),
            format!("; did you mean `{n}`?"),
        ),
        None => {
            let all: Vec<&str> = Level1::ALL.iter().map(|l| l.name()).collect();
            (
                format!("；可用：{}", all.join("、")),
                format!("; expected one of: {}", all.join(", ")),
            )
        }
    }
}

fn level2_hint(level1: Level1, written: &str) -> (String, String) {
    if let Some(n) = scheme::nearest_level2(level1, written) {
        return (
            format!("，是否应为 “{n}”？"),
            format!("; did you mean `{n}`?"),
        );
    }
    // Close to a 二级 of another 一级: say where that one belongs.
    if let Some(n) = scheme::nearest(written, Level2::ALL.iter().map(|l| l.name())) {
        let p = Level2::ALL
            .iter()
            .find(|l| l.name() == n)
            .map_or("", |l| l.parent().name());
        return (
            format!("，是否应为 “{n}”（属于 {p}）？"),
            format!("; did you mean `{n}` (under {p})?"),
        );
    }
    let all: Vec<&str> = level1.children().map(|l| l.name()).collect();
    (
        format!("；可用：{}", all.join("、")),
        format!("; expected one of: {}", all.join(", ")),
    )
}

/// `indicator.empty`: a 一级 with no 二级, a 二级 with no 三级, a 三级 with an empty name or value.
fn empty(ind: &Indicators, out: &mut Vec<Diagnostic>) {
    for g1 in &ind.groups {
        let n = &g1.name.value;
        if g1.groups.is_empty() && g1.texts.is_empty() {
            out.push(Diagnostic::error(
                Code::IndicatorEmpty,
                g1.name.loc,
                format!("一级指标 {n} 下没有二级指标（也没有按文字写的指标）"),
                format!("一级指标 {n} has no 二级指标 (nor free-text indicators)"),
            ));
        }
        for item in &g1.texts {
            if item.name.value.trim().is_empty() {
                out.push(Diagnostic::error(
                    Code::IndicatorEmpty,
                    item.loc,
                    format!("{n} 下有一个按文字写的指标是空的"),
                    format!("a free-text indicator under {n} is empty"),
                ));
            }
        }
        for g2 in &g1.groups {
            let n = &g2.name.value;
            if g2.items.is_empty() {
                out.push(Diagnostic::error(
                    Code::IndicatorEmpty,
                    g2.name.loc,
                    format!("二级指标 {n} 下没有三级指标"),
                    format!("二级指标 {n} has no 三级指标"),
                ));
            }
            for item in &g2.items {
                if item.name.value.trim().is_empty() {
                    out.push(Diagnostic::error(
                        Code::IndicatorEmpty,
                        item.name.loc,
                        format!("{n} 下有一个三级指标没有名称"),
                        format!("a 三级指标 under {n} has no name"),
                    ));
                }
                // A comparator alone (`≥`) is as empty as nothing: there is no target.
                let v = &item.value.value;
                if v.is_empty() || matches!(&v.quantity, Quantity::Text(t) if t.trim().is_empty()) {
                    let who = item.name.value.trim();
                    out.push(Diagnostic::error(
                        Code::IndicatorEmpty,
                        item.value.loc,
                        format!("三级指标 “{who}” 没有指标值"),
                        format!("三级指标 `{who}` has no 指标值"),
                    ));
                }
            }
        }
    }
}

/// `indicator.duplicate`: the same 三级 name twice in one 二级 (as printed: groups that resolve
/// to the same canonical 二级 print as one).
fn duplicates(ind: &Indicators, out: &mut Vec<Diagnostic>) {
    let mut seen: HashSet<(GroupKey, &str)> = HashSet::new();
    for (i1, g1) in ind.groups.iter().enumerate() {
        for item in &g1.texts {
            let text = item.name.value.trim();
            let key = match g1.level1 {
                Some(l1) => GroupKey::Free(l1),
                None => GroupKey::Written(i1, usize::MAX),
            };
            if !text.is_empty() && !seen.insert((key, text)) {
                let n = &g1.name.value;
                out.push(Diagnostic::warning(
                    Code::IndicatorDuplicate,
                    item.loc,
                    format!("按文字写的指标 “{text}” 在 {n} 中重复出现"),
                    format!("the free-text indicator `{text}` appears twice in {n}"),
                ));
            }
        }
        for (i2, g2) in g1.groups.iter().enumerate() {
            let key = match g2.level2() {
                Some(l2) => GroupKey::Canonical(l2),
                None => GroupKey::Written(i1, i2),
            };
            for item in &g2.items {
                let name = item.name.value.trim();
                if name.is_empty() {
                    continue;
                }
                if !seen.insert((key, name)) {
                    let n = &g2.name.value;
                    out.push(Diagnostic::warning(
                        Code::IndicatorDuplicate,
                        item.name.loc,
                        format!("三级指标 “{name}” 在 {n} 中重复出现"),
                        format!("三级指标 `{name}` appears twice in {n}"),
                    ));
                }
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum GroupKey {
    Canonical(Level2),
    /// The free-text indicators of a 一级.
    Free(Level1),
    Written(usize, usize),
}

/// `indicator.required`: no 产出 or no 效益 indicator is an error; no 满意度 one, a warning.
/// Not repeated when the whole block is missing (`field.required` says so), nor for a 一级 whose
/// indicators the user did write but under a name already reported (`indicator.level1` with
/// this 一级 as the nearest name, or `indicator.level2` inside it): one slip, one error.
fn required(ind: &Indicators, out: &mut Vec<Diagnostic>) {
    if ind.groups.is_empty() {
        return;
    }
    let mut present: HashSet<Level1> = ind.canonical().iter().map(|p| p.level1).collect();
    for g1 in &ind.groups {
        match g1.level1 {
            None => {
                present.extend(scheme::nearest_level1(&g1.name.value).and_then(Level1::from_name))
            }
            Some(l1) if g1.groups.iter().any(|g2| g2.level2().is_none()) => {
                present.insert(l1);
            }
            Some(_) => {}
        }
    }
    for (level1, error) in [
        (Level1::Output, true),
        (Level1::Benefit, true),
        (Level1::Satisfaction, false),
    ] {
        if present.contains(&level1) {
            continue;
        }
        let n = level1.name();
        let zh = format!("没有 {n}：绩效目标至少应有一个{n}下的三级指标");
        let en =
            format!("no {n}: a performance target needs at least one 三级 indicator under {n}");
        out.push(if error {
            Diagnostic::error(Code::IndicatorRequired, ind.loc, zh, en)
        } else {
            Diagnostic::warning(Code::IndicatorRequired, ind.loc, zh, en)
        });
    }
}

/// `indicator.percent`: a target in % over 100.
fn percent(ind: &Indicators, out: &mut Vec<Diagnostic>) {
    for item in all_items(ind) {
        let v = &item.value.value;
        if let Quantity::Number { value, unit } = &v.quantity
            && matches!(unit.as_str(), "%" | "％")
            && *value > Decimal::ONE_HUNDRED
        {
            let (name, written) = (item.name.value.trim(), &v.written);
            out.push(Diagnostic::warning(
                Code::IndicatorPercent,
                item.value.loc,
                format!("三级指标 “{name}” 的指标值 {written} 超过 100%"),
                format!("三级指标 `{name}`: the target {written} is over 100%"),
            ));
        }
    }
}

/// `indicator.cost`: cost targets in 万元 adding up to more than the funds they spend
/// (project: 年度资金总额; department: 支出合计).
fn cost(decl: &Declaration, out: &mut Vec<Diagnostic>) {
    let (funds, label) = match decl {
        Declaration::Project(p) => (&p.funds.total, "年度资金总额"),
        Declaration::Department(d) => (&d.budget.expense.total, "支出合计"),
        Declaration::SelfEval(_) => return,
    };
    let Entry::Given(funds) = funds else { return };
    // Cost targets are written in 万元; the funds in the declaration's own unit.
    let funds_wan = match decl.common().unit_of_amounts() {
        crate::declaration::AmountUnit::Wan => Some(funds.value),
        crate::declaration::AmountUnit::Yuan => funds.value.checked_div(Decimal::from(10_000)),
    };
    let Some(funds_wan) = funds_wan else { return };
    let costs: Vec<(&Indicator, Decimal)> = decl
        .indicators()
        .canonical()
        .into_iter()
        .filter(|p| p.level2.is_some_and(Level2::is_cost))
        .filter_map(|p| match &p.indicator.value.value.quantity {
            Quantity::Number { value, unit } if unit == "万元" => Some((p.indicator, *value)),
            _ => None,
        })
        .collect();
    let Some(first) = costs.first() else { return };
    let Some(sum) = checked_sum(costs.iter().map(|(_, v)| *v)) else {
        out.push(out_of_range(first_loc(first.0), "成本指标"));
        return;
    };
    if sum <= funds_wan {
        return;
    }
    let terms: Vec<String> = costs.iter().map(|(_, v)| show(*v)).collect();
    let equation = format!(
        "{} = {} > {label} {}",
        terms.join(" + "),
        show(sum),
        show(funds_wan)
    );
    out.push(Diagnostic::warning(
        Code::IndicatorCost,
        first_loc(first.0),
        format!("成本指标（万元）合计超过资金：{equation}"),
        format!("the cost targets (万元) add up to more than the funds: {equation}"),
    ));
}

fn first_loc(item: &Indicator) -> Loc {
    item.value.loc
}

fn all_items(ind: &Indicators) -> impl Iterator<Item = &Indicator> {
    ind.groups
        .iter()
        .flat_map(|g| &g.groups)
        .flat_map(|g| &g.items)
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Loc};
    use crate::validate::test_support::*;

    fn form(indicators: &str) -> String {
        format!(
            "form: project\nyear: 2023\nname: x\ngoal: y\nfunds:\n  total: 150\nindicators:\n{indicators}"
        )
    }

    const REST: &str = "  效益指标:\n    社会效益指标:\n      - 营商环境: 良好\n  满意度指标:\n    服务对象满意度指标:\n      - 满意度: 95%\n";

    #[test]
    fn unknown_level1_says_the_nearest() {
        let text = form(&format!(
            "  产出目标:\n    数量指标:\n      - a: 1\n  产出指标:\n    数量指标:\n      - b: 1\n{REST}"
        ));
        let d = with_code(&text, Code::IndicatorLevel1);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, Loc::new(8, 3));
        assert!(
            d[0].zh.contains("产出目标") && d[0].zh.contains("是否应为 “产出指标”"),
            "{}",
            d[0].zh
        );
        assert!(d[0].en.contains("did you mean `产出指标`"));
    }

    #[test]
    fn unknown_and_misplaced_level2() {
        let text = form(&format!(
            "  产出指标:\n    数量目标:\n      - a: 1\n    经济效益指标:\n      - b: 1\n    数量指标:\n      - c: 1\n{REST}"
        ));
        let d = with_code(&text, Code::IndicatorLevel2);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].loc, Loc::new(9, 5));
        assert!(d[0].zh.contains("是否应为 “数量指标”"), "{}", d[0].zh);
        assert_eq!(d[1].loc, Loc::new(11, 5));
        assert_eq!(
            d[1].zh,
            "二级指标 “经济效益指标” 属于一级指标 效益指标，不能写在 产出指标 下"
        );
    }

    #[test]
    fn legacy_names_warn_with_the_canonical_name() {
        let text = form(
            "  产出指标:\n    数量指标:\n      - a: 1\n  效益指标:\n    环境效益指标:\n      - b: 良好\n  满意度指标:\n    满意度指标:\n      - c: 95%\n",
        );
        let d = with_code(&text, Code::IndicatorAlias);
        assert_eq!(d.len(), 2);
        assert!(!d[0].is_error());
        assert!(d[0].zh.contains("“生态效益指标”"));
        assert_eq!(d[1].loc, Loc::new(15, 5));
        assert!(d[1].zh.contains("“服务对象满意度指标”"));
        assert!(with_code(&text, Code::IndicatorLevel2).is_empty());
    }

    #[test]
    fn required_output_benefit_and_satisfaction() {
        let only_output = form("  产出指标:\n    数量指标:\n      - a: 1\n");
        let d = with_code(&only_output, Code::IndicatorRequired);
        assert_eq!(d.len(), 2);
        assert!(d[0].is_error() && d[0].zh.contains("效益指标"));
        assert!(!d[1].is_error() && d[1].zh.contains("满意度指标"));
        assert_eq!(d[0].loc, Loc::new(8, 3));
        let complete = form(&format!("  产出指标:\n    数量指标:\n      - a: 1\n{REST}"));
        assert!(with_code(&complete, Code::IndicatorRequired).is_empty());
        // An alias moved under 满意度指标 counts as satisfaction.
        let moved = form(
            "  产出指标:\n    数量指标:\n      - a: 1\n  效益指标:\n    社会公众或服务对象满意度指标:\n      - b: 95%\n",
        );
        let d = with_code(&moved, Code::IndicatorRequired);
        assert_eq!(d.len(), 1);
        assert!(d[0].zh.contains("没有 效益指标"));
        // A misspelt or misplaced group is reported once, not again as a missing 一级.
        let misspelt = form(
            "  产出指标:\n    数量指标:\n      - a: 1\n  效果指标:\n    社会效益指标:\n      - b: 良好\n",
        );
        let codes: Vec<_> = diags(&misspelt)
            .into_iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect();
        assert_eq!(codes, [Code::IndicatorLevel1]);
        let misplaced = form(
            "  产出指标:\n    数量指标:\n      - a: 1\n  效益指标:\n    质量指标:\n      - b: 良好\n",
        );
        let codes: Vec<_> = diags(&misplaced)
            .into_iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect();
        assert_eq!(codes, [Code::IndicatorLevel2]);
    }

    #[test]
    fn empty_groups_names_and_values() {
        let text = form(&format!(
            "  产出指标:\n    数量指标:\n    质量指标:\n      - name: \"\"\n        value: 良好\n      - 响应: \"\"\n{REST}"
        ));
        let d = with_code(&text, Code::IndicatorEmpty);
        let lines: Vec<u32> = d.iter().map(|d| d.loc.line).collect();
        assert_eq!(lines, [9, 11, 13], "{d:?}");
        assert!(d[0].zh.contains("数量指标 下没有三级指标"));
        assert!(d[2].zh.contains("“响应” 没有指标值"));
        let bare = form(&format!(
            "  产出指标:\n    数量指标:\n      - 家数: ≥\n{REST}"
        ));
        let d = with_code(&bare, Code::IndicatorEmpty);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, Loc::new(10, 13));
        let l1 = form(&format!("  产出指标:\n{REST}"));
        assert_eq!(with_code(&l1, Code::IndicatorEmpty).len(), 1);
    }

    #[test]
    fn duplicate_names_within_one_level2_only() {
        let text = form(&format!(
            "  产出指标:\n    数量指标:\n      - a: 1\n      - a: 2\n    质量指标:\n      - a: 良好\n{REST}"
        ));
        let d = with_code(&text, Code::IndicatorDuplicate);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, Loc::new(11, 9));
    }

    #[test]
    fn percent_over_100() {
        let at = |v: &str| {
            form(&format!(
                "  产出指标:\n    质量指标:\n      - 率: {v}\n{REST}"
            ))
        };
        assert!(with_code(&at("100%"), Code::IndicatorPercent).is_empty());
        assert!(with_code(&at("≥100.00%"), Code::IndicatorPercent).is_empty());
        let d = with_code(&at("100.01%"), Code::IndicatorPercent);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, Loc::new(10, 12));
        assert_eq!(with_code(&at("≥101%"), Code::IndicatorPercent).len(), 1);
        assert!(with_code(&at("101次"), Code::IndicatorPercent).is_empty());
    }

    #[test]
    fn cost_in_wanyuan_against_the_funds() {
        let at = |a: &str, b: &str| {
            form(&format!(
                "  产出指标:\n    成本指标:\n      - 单价: 200元\n      - 经费: {a}\n      - 运维: {b}\n{REST}"
            ))
        };
        assert!(with_code(&at("≤100万元", "50万元"), Code::IndicatorCost).is_empty());
        let d = with_code(&at("≤100万元", "50.01万元"), Code::IndicatorCost);
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert!(
            d[0].zh
                .contains("100.00 + 50.01 = 150.01 > 年度资金总额 150.00"),
            "{}",
            d[0].zh
        );
        assert_eq!(d[0].loc.line, 11);
        // Department: against 支出合计 (the seed: 300 + 903.78 = 1203.78).
        let dep = |b: &str| {
            department("budget:\n  expense:\n    total: 1203.78\n").replace(
                "      - 家数: ≥10家\n",
                &format!(
                    "      - 家数: ≥10家\n    成本指标:\n      - a: ≤300万元\n      - b: ≤{b}万元\n"
                ),
            )
        };
        assert!(with_code(&dep("903.78"), Code::IndicatorCost).is_empty());
        assert_eq!(with_code(&dep("903.79"), Code::IndicatorCost).len(), 1);
    }

    /// Free-text indicators (`- 指标1：…` right under a 一级, issue 14).
    const FREE: &str = "  产出指标:\n    - 指标1：完成高标准农田2.6万亩\n    - 指标2：验收合格率100%\n  效益指标:\n    - 指标1：粮食增产\n";

    #[test]
    fn free_text_counts_for_its_level1_and_no_level2_rule_misfires() {
        let text = form(&format!(
            "{FREE}  满意度指标:\n    服务对象满意度指标:\n      - 满意度: ≥95%\n"
        ));
        let d = diags(&text);
        assert!(d.is_empty(), "{d:?}");
        // 产出 and 效益 in free text only, no 满意度: the satisfaction warning still applies.
        let d = diags(&form(FREE));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::IndicatorRequired);
        assert!(!d[0].is_error());
        // Without the 效益 texts, 效益 is missing again.
        let d = with_code(
            &form("  产出指标:\n    - 指标1：完成高标准农田2.6万亩\n"),
            Code::IndicatorRequired,
        );
        assert!(
            d[0].is_error() && d[0].zh.contains("没有 效益指标"),
            "{d:?}"
        );
    }

    #[test]
    fn an_empty_or_repeated_free_text_is_reported_where_it_is() {
        let text = form(&format!("{FREE}    - \n    - 指标1：粮食增产\n"));
        let d = with_code(&text, Code::IndicatorEmpty);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].loc, Loc::new(13, 7));
        assert!(d[0].zh.contains("效益指标 下有一个按文字写的指标是空的"));
        assert!(
            d[0].en
                .contains("free-text indicator under 效益指标 is empty")
        );
        let d = with_code(&text, Code::IndicatorDuplicate);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].loc, Loc::new(14, 7));
        // The same text under another 一级 is no repeat.
        let other =
            form("  产出指标:\n    - 指标1：粮食增产\n  效益指标:\n    - 指标1：粮食增产\n");
        assert!(with_code(&other, Code::IndicatorDuplicate).is_empty());
    }

    #[test]
    fn a_free_text_in_wan_under_the_cost_level1_is_no_cost_target() {
        // 成本指标 as a 一级 in free text: `indicator.cost` reads 二级 cost groups only.
        let text = form(&format!(
            "{FREE}  成本指标:\n    - 指标1：总成本 ≤900万元\n    - '900万元'\n"
        ));
        assert!(with_code(&text, Code::IndicatorCost).is_empty());
        assert!(with_code(&text, Code::IndicatorPercent).is_empty());
        // The same value as a 三级 under 经济成本指标 is one (funds 150).
        let text = form(&format!(
            "{FREE}  成本指标:\n    经济成本指标:\n      - 总成本: 900万元\n"
        ));
        assert_eq!(with_code(&text, Code::IndicatorCost).len(), 1);
    }

    #[test]
    fn a_free_text_is_held_to_500_characters() {
        let at = form(&format!("{FREE}    - '{}'\n", "字".repeat(500)));
        assert!(with_code(&at, Code::YamlLimit).is_empty());
        let over = form(&format!("{FREE}    - '{}'\n", "字".repeat(501)));
        let d = with_code(&over, Code::YamlLimit);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].loc, Loc::new(13, 7));
        assert_eq!(d[0].zh, "指标 过长：501 个字符，上限 500 个");
    }
}
