//! YAML → [`SelfEvalForm`], on the target forms' machinery: the same YAML loader and limits,
//! the same typing of amounts, percentages, years and 指标值 ([`crate::declaration::parse`]),
//! so a slip reads the same in either kind of file.

use rust_decimal::Decimal;

use super::raw;
use super::score::{Policy, ReverseRule};
use super::*;
use crate::declaration::parse::{Cx, blanks};
use crate::declaration::raw::{At, Field};
use crate::declaration::scheme::{self, Level1};
use crate::declaration::{FormKind, Level1Group, Level2Group};
use crate::diagnostic::{Code, Diagnostic};

/// Types a self-evaluation of `kind` (one of the two self-evaluation kinds) read by [`raw`].
pub(crate) fn form(r: raw::SelfEval, kind: FormKind, cx: &mut Cx) -> SelfEvalForm {
    let side = if kind == FormKind::DepartmentSelfeval {
        Side::Department
    } else {
        Side::Project
    };
    let policy = policy(&r.scoring.value, cx);
    let e = &r.execution.value;
    let execution_loc = r.execution.loc.unwrap_or(Loc::START);
    let execution = Execution {
        loc: execution_loc,
        points: cx.amount(&e.points, "分值"),
        score: cx.amount(&e.score, "得分"),
        rows: e
            .rows
            .iter()
            .map(|row| {
                let loc = row.loc;
                let v = &row.value;
                ExecutionRow {
                    loc,
                    name: cx.text(&v.name),
                    initial: cx.amount(&v.initial, "年初预算数"),
                    budget: cx.amount(&v.budget, "全年预算数"),
                    spent: cx.amount(&v.spent, "全年执行数"),
                    rate: cx.percent(&v.rate, "执行率"),
                }
            })
            .collect(),
        reason: cx.text(&e.reason),
    };
    let mut results: Vec<ResultEntry> = r
        .results
        .value
        .entries
        .into_iter()
        .map(|(key, entry)| {
            result(
                Located::new(key.value.trim().to_string(), key.loc),
                &entry.value,
                cx,
            )
        })
        .collect();
    let (indicators, inline) = inline_indicators(r.indicators, cx);
    results.extend(inline);
    let c = &r.conclusion.value;
    let s = &r.signoff.value;
    SelfEvalForm {
        side,
        common: Common {
            // A built-in id or a definition file, resolved as a target form's (`crate::layouts`).
            layout: cx.text(&r.layout),
            year: cx.year(&r.year),
            unit: cx.text(&r.unit),
            name: cx.text(&r.name),
            indicators,
            signoff: None,
            blanks: blanks(&[("year", &r.year), ("name", &r.name)]),
            ..Common::default()
        },
        policy,
        target_path: cx.text(&r.target),
        target: None,
        code: cx.text(&r.code),
        department: cx.text(&r.department),
        implementer: cx.text(&r.implementer),
        goal: cx.text(&r.goal),
        goal_result: cx.text(&r.goal_result),
        execution,
        results,
        results_loc: r.results.loc.unwrap_or(Loc::START),
        conclusion: Conclusion {
            summary: cx.text(&c.summary),
            problems: cx.text(&c.problems),
            measures: cx.text(&c.measures),
        },
        signoff: r.signoff.loc.map(|_| Signoff {
            project_head: cx.text(&s.project_head),
            finance_head: cx.text(&s.finance_head),
            preparer: cx.text(&s.preparer),
            phone: cx.text(&s.phone),
            date: cx.text(&s.date),
        }),
    }
}

fn result(name: Located<String>, r: &raw::Result, cx: &mut Cx) -> ResultEntry {
    ResultEntry {
        name,
        actual: cx.text(&r.actual),
        points: cx.amount(&r.points, "分值"),
        score: cx.amount(&r.score, "得分"),
        reason: cx.text(&r.reason),
    }
}

/// The inline indicators as a target form's tree, and their results (named by the indicator,
/// located at it).
fn inline_indicators(
    block: crate::declaration::raw::Block<raw::Level1Map>,
    cx: &mut Cx,
) -> (Indicators, Vec<ResultEntry>) {
    let mut out = Indicators {
        loc: block.loc.unwrap_or(Loc::START),
        groups: Vec::new(),
    };
    let mut results = Vec::new();
    for (key, level2s) in block.value.entries {
        let name = Located::new(key.value.trim().to_string(), key.loc);
        let level1 = Level1::from_name(&name.value);
        let mut groups = Vec::new();
        for (key2, items) in level2s.value.entries {
            let name2 = Located::new(key2.value.trim().to_string(), key2.loc);
            let resolved = level1.map(|l1| scheme::resolve_level2(l1, &name2.value));
            let mut list = Vec::new();
            for item in items.value {
                let At { loc, value: v } = item;
                let indicator = cx.indicator(At {
                    loc,
                    value: crate::declaration::raw::Indicator {
                        name: v.name,
                        value: v.value,
                        op: v.op,
                        unit: v.unit,
                        weight: v.weight,
                        direction: v.direction,
                        note: v.note,
                        ..Default::default()
                    },
                });
                let r = raw::Result {
                    actual: v.actual,
                    points: v.points,
                    score: v.score,
                    reason: v.reason,
                };
                results.push(result(
                    Located::new(indicator.name.value.trim().to_string(), indicator.loc),
                    &r,
                    cx,
                ));
                list.push(indicator);
            }
            groups.push(Level2Group {
                name: name2,
                resolved,
                items: list,
            });
        }
        out.groups.push(Level1Group {
            name,
            level1,
            groups,
            texts: Vec::new(),
        });
    }
    (out, results)
}

/// The scoring policy: each option by name, the `mof-2020` default for whatever is left out.
fn policy(s: &raw::Scoring, cx: &mut Cx) -> Policy {
    let mut p = Policy::default();
    let mut bad = |f: &Field, expected: &str, en: &str| {
        let text = f.written().unwrap_or_default();
        cx.diags.push(Diagnostic::error(
            Code::YamlType,
            f.loc.unwrap_or(Loc::START),
            format!("评分规则 “{text}” 未知：应为 {expected}"),
            format!("unknown scoring option `{text}`: expected {en}"),
        ));
    };
    match s.reverse.written() {
        None | Some("linear" | "线性") => {}
        Some("ratio" | "比值") => p.reverse = ReverseRule::Ratio,
        Some(_) => bad(
            &s.reverse,
            "linear（线性）或 ratio（比值）",
            "linear or ratio",
        ),
    }
    match s.execution.written() {
        None | Some("capped" | "封顶") => {}
        Some("uncapped" | "不封顶") => p.execution_capped = false,
        Some(_) => bad(
            &s.execution,
            "capped（封顶）或 uncapped（不封顶）",
            "capped or uncapped",
        ),
    }
    match s.execution_points.written() {
        None | Some("10") => {}
        Some("20") => p.execution_points = Decimal::from(20),
        Some(_) => bad(&s.execution_points, "10 或 20", "10 or 20"),
    }
    match s.grades.written() {
        None | Some("90/80/60") => {}
        Some("80/70/60") => p.grades = [Decimal::from(80), Decimal::from(70), Decimal::from(60)],
        Some(_) => bad(&s.grades, "90/80/60 或 80/70/60", "90/80/60 or 80/70/60"),
    }
    match s.over_achievement.written() {
        None => {}
        Some(t @ ("1.2" | "1.3")) => p.over_achievement = t.parse().ok(),
        Some(_) => bad(&s.over_achievement, "1.2 或 1.3", "1.2 or 1.3"),
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::parse as parse_text;

    fn form(text: &str) -> (SelfEvalForm, Vec<Diagnostic>) {
        let out = parse_text(text);
        match out.declaration {
            Some(Declaration::SelfEval(s)) => (s, out.diagnostics),
            other => panic!("not a self-evaluation: {other:?} {:?}", out.diagnostics),
        }
    }

    #[test]
    fn keys_and_labels_read_the_same() {
        let en = "form: project-selfeval\ntarget: a.yaml\nyear: 2023\nexecution:\n  points: 10\n  rows:\n    - name: 年度资金总额\n      initial: 150\n      budget: 150\n      spent: 148.5\nresults:\n  家数:\n    actual: 7425家\n    points: 10\n    reason: 少\n";
        let zh = "表单: 项目支出绩效自评表\n目标申报表: a.yaml\n年度: 2023\n项目资金:\n  分值: 10\n  资金:\n    - 名称: 年度资金总额\n      年初预算数: 150\n      全年预算数: 150\n      全年执行数: 148.5\n实际完成:\n  家数:\n    实际完成值: 7425家\n    分值: 10\n    偏差原因分析及改进措施: 少\n";
        let (a, da) = form(en);
        let (b, db) = form(zh);
        assert!(da.is_empty() && db.is_empty(), "{da:?} {db:?}");
        assert_eq!(a.target_path.as_ref().unwrap().value, "a.yaml");
        assert_eq!(
            a.execution.rows[0].spent.value(),
            Some("148.5".parse().unwrap())
        );
        assert_eq!(
            a.results[0].name,
            Located::new("家数".to_string(), Loc::new(12, 3))
        );
        assert_eq!(
            a.execution.rows[0].spent.value(),
            b.execution.rows[0].spent.value()
        );
        assert_eq!(
            a.results[0].actual.as_ref().map(|t| &t.value),
            b.results[0].actual.as_ref().map(|t| &t.value)
        );
        assert_eq!(
            a.results[0].reason.as_ref().map(|t| &t.value),
            b.results[0].reason.as_ref().map(|t| &t.value)
        );
    }

    #[test]
    fn inline_indicators_carry_their_results() {
        let (s, d) = form(
            "form: department-selfeval\nindicators:\n  产出指标:\n    数量指标:\n      - name: 家数\n        value: ≥10家\n        actual: 9家\n        points: 20\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s.side, Side::Department);
        assert_eq!(s.indicators().count(), 1);
        assert_eq!(s.results[0].name.value, "家数");
        assert_eq!(s.results[0].name.loc, Loc::new(5, 9));
        assert_eq!(s.results[0].points.value(), Some(Decimal::from(20)));
    }

    /// Read by the target forms' loader: every problem of the file in one pass, each where it
    /// stands (a key and its label given twice, an unknown key, a list where a value goes).
    #[test]
    fn every_shape_problem_in_one_pass() {
        let out = parse_text(
            "form: project-selfeval\nexecution:\n  points: [10]\n  rows:\n    - name: 合计\n      colour: red\nresults:\n  家数:\n    actual: 9家\n    实际完成值: 9家\n",
        );
        // In file order, as `check` prints them.
        let mut got: Vec<_> = out.diagnostics.iter().map(|d| (d.loc, d.code)).collect();
        got.sort();
        let got: Vec<_> = got.into_iter().map(|(loc, code)| (code, loc)).collect();
        assert_eq!(
            got,
            [
                (Code::YamlType, Loc::new(3, 11)),
                (Code::YamlUnknownKey, Loc::new(6, 7)),
                (Code::YamlDuplicateKey, Loc::new(10, 5)),
            ],
            "{:?}",
            out.diagnostics
        );
        let Some(Declaration::SelfEval(s)) = out.declaration else {
            panic!("not read")
        };
        assert_eq!(
            s.results[0].actual.as_ref().map(|t| t.value.as_str()),
            Some("9家")
        );
    }

    #[test]
    fn policies_by_name_and_unknown_ones() {
        let (s, d) = form(
            "form: project-selfeval\nscoring:\n  reverse: ratio\n  execution: uncapped\n  execution_points: 20\n  grades: 80/70/60\n  over_achievement: 1.3\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s.policy.reverse, ReverseRule::Ratio);
        assert!(!s.policy.execution_capped);
        assert_eq!(s.policy.execution_points, Decimal::from(20));
        assert_eq!(s.policy.grades[0], Decimal::from(80));
        assert_eq!(s.policy.over_achievement, Some("1.3".parse().unwrap()));
        let (_, d) = form("form: project-selfeval\nscoring:\n  reverse: sideways\n");
        assert_eq!((d[0].code, d[0].loc), (Code::YamlType, Loc::new(3, 12)));
        let out = parse_text("form: project-selfeval\nresult:\n  x:\n");
        assert_eq!(out.diagnostics[0].code, Code::YamlUnknownKey);
        assert!(
            out.diagnostics[0].en.contains("`results`"),
            "{}",
            out.diagnostics[0].en
        );
    }
}
