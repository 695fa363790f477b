//! The YAML shape of a self-evaluation (spec `selfeval.md`, "Declaration"), read from the YAML
//! tree against its key table ([`keys::SELFEVAL`]) by the target forms' [`Reader`].
//!
//! Built from the target forms' leaves ([`Field`], [`Block`], [`NamedMap`]) so that every value
//! arrives as located text; every key is also accepted under its printed label, and an unknown
//! key, a key given twice or a value of the wrong kind is reported as in the target forms.

use crate::authoring::keys;
use crate::declaration::raw::{At, Block, Field, NamedMap, Reader, Record};
use crate::declaration::tree::{Kind, Node};

#[derive(Debug, Default)]
pub struct SelfEval {
    pub layout: Field,
    pub target: Field,
    pub scoring: Block<Scoring>,
    pub year: Field,
    pub unit: Field,
    pub name: Field,
    pub code: Field,
    pub department: Field,
    pub implementer: Field,
    pub goal: Field,
    pub goal_result: Field,
    pub execution: Block<Execution>,
    pub results: Block<NamedMap<Block<Result>>>,
    pub indicators: Block<Level1Map>,
    pub conclusion: Block<Conclusion>,
    pub signoff: Block<Signoff>,
}

impl SelfEval {
    pub fn read(r: &mut Reader, mut m: Record) -> SelfEval {
        let results = match m.take("results") {
            None => Block::default(),
            Some(node) => {
                let loc = node.loc;
                let value = r.named_map(node, |r, v| {
                    let loc = v.loc;
                    let rec = r.record(v, keys::RESULT, ("实际完成", "a result"));
                    Block {
                        loc: Some(loc),
                        value: Result::read(r, rec),
                    }
                });
                Block {
                    loc: Some(loc),
                    value,
                }
            }
        };
        let indicators = match m.take("indicators") {
            None => Block::default(),
            Some(node) => inline_indicators(r, node),
        };
        SelfEval {
            layout: m.field("layout"),
            target: m.field("target"),
            scoring: r.block(&mut m, "scoring", keys::SCORING, Scoring::read),
            year: m.field("year"),
            unit: m.field("unit"),
            name: m.field("name"),
            code: m.field("code"),
            department: m.field("department"),
            implementer: m.field("implementer"),
            goal: m.field("goal"),
            goal_result: m.field("goal_result"),
            execution: r.block(&mut m, "execution", keys::EXECUTION, Execution::read),
            results,
            indicators,
            conclusion: r.block(&mut m, "conclusion", keys::CONCLUSION, Conclusion::read),
            signoff: r.block(&mut m, "signoff", keys::SELFEVAL_SIGNOFF, Signoff::read),
        }
    }
}

/// 一级 → 二级 → inline indicators (each a full mapping with its result).
pub type Level1Map = NamedMap<Block<NamedMap<Block<Vec<At<Indicator>>>>>>;

/// `indicators:` of a self-evaluation: the target form's tree, each 三级 a mapping of the
/// indicator's keys and its result's ([`keys::SELFEVAL_INDICATOR`]); a bare name or the
/// shorthand `名称: 指标值` is read as in the target forms (with no result).
fn inline_indicators(r: &mut Reader, node: Node) -> Block<Level1Map> {
    let loc = node.loc;
    let value = r.named_map(node, |r, level2s| {
        let loc = level2s.loc;
        let value = r.named_map(level2s, |r, items| {
            let loc = items.loc;
            let list = match items.kind {
                Kind::Seq(list) => list,
                Kind::Null => Vec::new(),
                other => {
                    r.wrong_kind(
                        &Node { loc, kind: other },
                        ("二级指标", "a 二级 group"),
                        (
                            "三级指标的列表（以 “- ” 开头的各行）",
                            "a list of indicators (lines starting with `- `)",
                        ),
                    );
                    Vec::new()
                }
            };
            let value = list
                .into_iter()
                .map(|item| At {
                    loc: item.loc,
                    value: indicator(r, item),
                })
                .collect();
            Block {
                loc: Some(loc),
                value,
            }
        });
        Block {
            loc: Some(loc),
            value,
        }
    });
    Block {
        loc: Some(loc),
        value,
    }
}

fn indicator(r: &mut Reader, item: Node) -> Indicator {
    let first_is_key = match &item.kind {
        Kind::Map(entries) => entries
            .first()
            .and_then(|(k, _)| k.text())
            .is_some_and(|t| {
                keys::SELFEVAL_INDICATOR
                    .iter()
                    .any(|key| key.names().any(|n| n == t.trim()))
            }),
        _ => false,
    };
    if !first_is_key {
        let i = r.indicator(item);
        return Indicator {
            name: i.name,
            value: i.value,
            op: i.op,
            unit: i.unit,
            weight: i.weight,
            direction: i.direction,
            note: i.note,
            ..Indicator::default()
        };
    }
    let mut m = r.record(item, keys::SELFEVAL_INDICATOR, ("三级指标", "an indicator"));
    Indicator {
        name: m.field("name"),
        value: m.field("value"),
        op: m.field("op"),
        unit: m.field("unit"),
        weight: m.field("weight"),
        direction: m.field("direction"),
        note: m.field("note"),
        actual: m.field("actual"),
        points: m.field("points"),
        score: m.field("score"),
        reason: m.field("reason"),
    }
}

#[derive(Debug, Default)]
pub struct Scoring {
    /// `linear` (default) or `ratio`.
    pub reverse: Field,
    /// `capped` (default) or `uncapped`.
    pub execution: Field,
    /// 分值 of budget execution when `execution.points` is not given: 10 (default) or 20.
    pub execution_points: Field,
    /// `90/80/60` (default) or `80/70/60`: lowest totals of 优, 良, 中.
    pub grades: Field,
    /// `1.2` or `1.3`: an actual at this multiple of a 正向 target needs a reason.
    pub over_achievement: Field,
}

impl Scoring {
    fn read(_: &mut Reader, mut m: Record) -> Scoring {
        Scoring {
            reverse: m.field("reverse"),
            execution: m.field("execution"),
            execution_points: m.field("execution_points"),
            grades: m.field("grades"),
            over_achievement: m.field("over_achievement"),
        }
    }
}

#[derive(Debug, Default)]
pub struct Execution {
    pub points: Field,
    pub score: Field,
    pub rows: Vec<At<ExecutionRow>>,
    pub reason: Field,
}

impl Execution {
    fn read(r: &mut Reader, mut m: Record) -> Execution {
        Execution {
            points: m.field("points"),
            score: m.field("score"),
            rows: r
                .list(&mut m, "rows", keys::EXECUTION_ROW, ExecutionRow::read)
                .value,
            reason: m.field("reason"),
        }
    }
}

#[derive(Debug, Default)]
pub struct ExecutionRow {
    pub name: Field,
    pub initial: Field,
    pub budget: Field,
    pub spent: Field,
    pub rate: Field,
}

impl ExecutionRow {
    fn read(_: &mut Reader, mut m: Record) -> ExecutionRow {
        ExecutionRow {
            name: m.field("name"),
            initial: m.field("initial"),
            budget: m.field("budget"),
            spent: m.field("spent"),
            rate: m.field("rate"),
        }
    }
}

/// One indicator's result, under its name in `results`.
#[derive(Debug, Default)]
pub struct Result {
    pub actual: Field,
    pub points: Field,
    pub score: Field,
    pub reason: Field,
}

impl Result {
    fn read(_: &mut Reader, mut m: Record) -> Result {
        Result {
            actual: m.field("actual"),
            points: m.field("points"),
            score: m.field("score"),
            reason: m.field("reason"),
        }
    }
}

/// An indicator written inline: the target form's keys and the result's.
#[derive(Debug, Default)]
pub struct Indicator {
    pub name: Field,
    pub value: Field,
    pub op: Field,
    pub unit: Field,
    pub weight: Field,
    pub direction: Field,
    pub note: Field,
    pub actual: Field,
    pub points: Field,
    pub score: Field,
    pub reason: Field,
}

#[derive(Debug, Default)]
pub struct Conclusion {
    pub summary: Field,
    pub problems: Field,
    pub measures: Field,
}

impl Conclusion {
    fn read(_: &mut Reader, mut m: Record) -> Conclusion {
        Conclusion {
            summary: m.field("summary"),
            problems: m.field("problems"),
            measures: m.field("measures"),
        }
    }
}

#[derive(Debug, Default)]
pub struct Signoff {
    pub project_head: Field,
    pub finance_head: Field,
    pub preparer: Field,
    pub phone: Field,
    pub date: Field,
}

impl Signoff {
    fn read(_: &mut Reader, mut m: Record) -> Signoff {
        Signoff {
            project_head: m.field("project_head"),
            finance_head: m.field("finance_head"),
            preparer: m.field("preparer"),
            phone: m.field("phone"),
            date: m.field("date"),
        }
    }
}
