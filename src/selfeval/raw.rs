//! The YAML shape of a self-evaluation (spec `selfeval.md`, "Declaration"), as serde types.
//!
//! Built from the target forms' leaves ([`Field`], [`Block`], [`NamedMap`]) so that every value
//! arrives as located text; every key is also accepted under its printed label, and an unknown
//! key is `yaml.unknown-key` as in the target forms.

use serde_saphyr::Spanned;

use crate::declaration::raw::{Block, Field, NamedMap};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfEval {
    /// Read by the probe; kept so `deny_unknown_fields` accepts it.
    #[serde(default, alias = "表单")]
    #[allow(dead_code)]
    pub form: Field,
    #[serde(default, alias = "版式")]
    pub layout: Field,
    #[serde(default, alias = "目标申报表", alias = "绩效目标")]
    pub target: Field,
    #[serde(default, alias = "评分规则", alias = "评分")]
    pub scoring: Block<Scoring>,
    #[serde(default, alias = "年度")]
    pub year: Field,
    #[serde(default, alias = "填报单位", alias = "填报单位（盖章）")]
    pub unit: Field,
    #[serde(
        default,
        alias = "项目名称",
        alias = "部门（单位）名称",
        alias = "部门名称"
    )]
    pub name: Field,
    #[serde(default, alias = "项目代码")]
    pub code: Field,
    #[serde(default, alias = "主管部门", alias = "主管部门及代码")]
    pub department: Field,
    #[serde(default, alias = "实施单位")]
    pub implementer: Field,
    #[serde(default, alias = "年度总体目标", alias = "预期目标")]
    pub goal: Field,
    #[serde(default, alias = "实际完成情况", alias = "年度总体目标完成情况")]
    pub goal_result: Field,
    #[serde(
        default,
        alias = "项目资金",
        alias = "项目资金（万元）",
        alias = "预算执行情况"
    )]
    pub execution: Block<Execution>,
    #[serde(default, alias = "实际完成", alias = "完成情况")]
    pub results: Block<NamedMap<Block<Result>>>,
    #[serde(default, alias = "绩效指标", alias = "年度绩效指标")]
    pub indicators: Block<Level1Map>,
    #[serde(default, alias = "评价结论")]
    pub conclusion: Block<Conclusion>,
    #[serde(default, alias = "签署")]
    pub signoff: Block<Signoff>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// `linear` (default) or `ratio`.
    #[serde(default, alias = "反向指标")]
    pub reverse: Field,
    /// `capped` (default) or `uncapped`.
    #[serde(default, alias = "预算执行")]
    pub execution: Field,
    /// 分值 of budget execution when `execution.points` is not given: 10 (default) or 20.
    #[serde(default, alias = "预算执行分值")]
    pub execution_points: Field,
    /// `90/80/60` (default) or `80/70/60`: lowest totals of 优, 良, 中.
    #[serde(default, alias = "等级")]
    pub grades: Field,
    /// `1.2` or `1.3`: an actual at this multiple of a 正向 target needs a reason.
    #[serde(default, alias = "超额完成")]
    pub over_achievement: Field,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Execution {
    #[serde(default, alias = "分值")]
    pub points: Field,
    #[serde(default, alias = "得分")]
    pub score: Field,
    #[serde(default, alias = "资金")]
    pub rows: Vec<Spanned<ExecutionRow>>,
    #[serde(default, alias = "原因", alias = "偏差原因")]
    pub reason: Field,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecutionRow {
    #[serde(default, alias = "名称")]
    pub name: Field,
    #[serde(default, alias = "年初预算数", alias = "年初预算")]
    pub initial: Field,
    #[serde(default, alias = "全年预算数", alias = "调整后预算数")]
    pub budget: Field,
    #[serde(default, alias = "全年执行数", alias = "预算执行数")]
    pub spent: Field,
    #[serde(default, alias = "执行率", alias = "预算执行率")]
    pub rate: Field,
}

/// One indicator's result, under its name in `results`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Result {
    #[serde(default, alias = "实际完成值", alias = "全年完成值", alias = "完成值")]
    pub actual: Field,
    #[serde(default, alias = "分值", alias = "权重")]
    pub points: Field,
    #[serde(default, alias = "得分")]
    pub score: Field,
    #[serde(
        default,
        alias = "偏差原因分析及改进措施",
        alias = "未完成原因分析",
        alias = "原因"
    )]
    pub reason: Field,
}

/// 一级 → 二级 → inline indicators (each a full mapping with its result).
pub type Level1Map = NamedMap<Block<NamedMap<Block<Vec<Spanned<Indicator>>>>>>;

/// An indicator written inline: the target form's keys and the result's.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    #[serde(default, alias = "三级指标", alias = "名称")]
    pub name: Field,
    #[serde(default, alias = "指标值", alias = "年度指标值")]
    pub value: Field,
    #[serde(default, alias = "指标性质")]
    pub op: Field,
    #[serde(default, alias = "度量单位")]
    pub unit: Field,
    #[serde(default, alias = "权重")]
    pub weight: Field,
    #[serde(default, alias = "指标方向性")]
    pub direction: Field,
    #[serde(default, alias = "备注")]
    pub note: Field,
    #[serde(default, alias = "实际完成值", alias = "全年完成值", alias = "完成值")]
    pub actual: Field,
    #[serde(default, alias = "分值")]
    pub points: Field,
    #[serde(default, alias = "得分")]
    pub score: Field,
    #[serde(
        default,
        alias = "偏差原因分析及改进措施",
        alias = "未完成原因分析",
        alias = "原因"
    )]
    pub reason: Field,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conclusion {
    #[serde(default, alias = "评价结论")]
    pub summary: Field,
    #[serde(default, alias = "存在问题")]
    pub problems: Field,
    #[serde(default, alias = "改进措施")]
    pub measures: Field,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    #[serde(default, alias = "项目负责人", alias = "单位负责人")]
    pub project_head: Field,
    #[serde(default, alias = "财务负责人")]
    pub finance_head: Field,
    #[serde(default, alias = "填报人")]
    pub preparer: Field,
    #[serde(default, alias = "联系电话")]
    pub phone: Field,
    #[serde(default, alias = "填报日期")]
    pub date: Field,
}
