//! The year-end self-evaluation (绩效自评表): `form: project-selfeval` and
//! `form: department-selfeval` (spec `selfeval.md`).
//!
//! A self-evaluation reuses its spring declaration (`target:`): the name, department, goal and
//! indicators come from there, and the year-end file adds what was achieved, the budget spent and
//! the scores. The pieces, in pipeline order:
//!
//! - [`raw`] and [`parse`]: YAML → [`SelfEvalForm`] (on the target forms' raw leaves);
//! - [`resolve`]: reads the target through [`crate::inputs::read`], relative to the declaration;
//! - [`evaluate`]: pairs the indicators with their results and scores them with [`score`];
//! - [`rules`]: the `score.*`, `result.*` and `execution.*` diagnostics;
//! - [`init`]: a starter from a target.
//!
//! The printed forms are layout definitions (`crate::layouts`, built-ins `mof-2020`, …); the
//! fields they print, scores included, are `crate::layouts::selfeval`.

pub mod evaluate;
pub mod init;
pub mod parse;
pub(crate) mod raw;
pub mod resolve;
pub mod rules;
pub mod score;

use std::path::PathBuf;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::declaration::{Common, Declaration, Entry, Indicators, Loc, Located, Text};
use crate::diagnostic::OtherFile;
pub use score::Policy;

/// Which spring form a self-evaluation follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    #[default]
    Project,
    Department,
}

/// A self-evaluation as declared.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SelfEvalForm {
    pub side: Side,
    /// Year, unit, name, the inline indicators (empty with a target) and the blanks.
    pub common: Common,
    pub policy: Policy,
    /// `target:` as written.
    pub target_path: Text,
    /// The target, once [`resolve`]d (`None` without `target:` or when it could not be used).
    pub target: Option<Target>,
    /// 项目代码 (printed by `sichuan-2023`).
    pub code: Text,
    /// 主管部门 (overrides the target's).
    pub department: Text,
    /// 实施单位 (overrides the target's).
    pub implementer: Text,
    /// 年度总体目标 / 预期目标 (overrides the target's).
    pub goal: Text,
    /// 年度总体目标 实际完成情况.
    pub goal_result: Text,
    pub execution: Execution,
    /// One entry per 三级 indicator, by its name (inline indicators give theirs here too).
    pub results: Vec<ResultEntry>,
    /// Where `results` is (or the file start).
    pub results_loc: Loc,
    pub conclusion: Conclusion,
    pub signoff: Option<Signoff>,
}

/// A target declaration, read and parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The file, as diagnostics about it name it.
    pub file: Arc<OtherFile>,
    pub declaration: Box<Declaration>,
}

/// 项目资金 / 预算执行情况.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Execution {
    /// Where the block is (or the file start).
    pub loc: Loc,
    /// 分值 (the policy's, 10 by default, when not given).
    pub points: Entry<Decimal>,
    /// 得分, when written (checked).
    pub score: Entry<Decimal>,
    /// 年度资金总额 first, then its parts.
    pub rows: Vec<ExecutionRow>,
    /// 原因 (偏差原因).
    pub reason: Text,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExecutionRow {
    pub loc: Loc,
    pub name: Text,
    /// 年初预算数.
    pub initial: Entry<Decimal>,
    /// 全年预算数 (调整后预算数).
    pub budget: Entry<Decimal>,
    /// 全年执行数.
    pub spent: Entry<Decimal>,
    /// 执行率 as written, in percent (checked).
    pub rate: Entry<Decimal>,
}

/// One indicator's result.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultEntry {
    /// The indicator's name, where the entry is.
    pub name: Located<String>,
    /// 实际完成值 as written (a value like `7425家`, or a qualitative grade).
    pub actual: Text,
    /// 分值 (defaults to the target's 权重).
    pub points: Entry<Decimal>,
    /// 得分, when written (checked).
    pub score: Entry<Decimal>,
    /// 偏差原因分析及改进措施.
    pub reason: Text,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conclusion {
    pub summary: Text,
    pub problems: Text,
    pub measures: Text,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Signoff {
    pub project_head: Text,
    pub finance_head: Text,
    pub preparer: Text,
    pub phone: Text,
    pub date: Text,
}

impl SelfEvalForm {
    /// The indicators scored: the target's, or the inline ones.
    pub fn indicators(&self) -> &Indicators {
        match self.target.as_ref().map(|t| &*t.declaration) {
            Some(d) => d.indicators(),
            None => &self.common.indicators,
        }
    }

    /// A text field of this file, else of the target.
    fn own_or_target<'a>(
        &'a self,
        own: &'a Text,
        of_target: impl Fn(&'a Declaration) -> &'a Text,
    ) -> &'a Text {
        match (own, &self.target) {
            (Some(_), _) | (None, None) => own,
            (None, Some(t)) => of_target(&t.declaration),
        }
    }

    /// 项目名称 / 部门（单位）名称.
    pub fn name(&self) -> &Text {
        self.own_or_target(&self.common.name, |d| &d.common().name)
    }

    /// 填报单位.
    pub fn unit(&self) -> &Text {
        self.own_or_target(&self.common.unit, |d| &d.common().unit)
    }

    /// 主管部门.
    pub fn department(&self) -> &Text {
        self.own_or_target(&self.department, |d| match d {
            Declaration::Project(p) => &p.department,
            _ => &None,
        })
    }

    /// 实施单位.
    pub fn implementer(&self) -> &Text {
        self.own_or_target(&self.implementer, |d| match d {
            Declaration::Project(p) => &p.implementer,
            _ => &None,
        })
    }

    /// 年度总体目标 (预期目标): a project's goal, a department's 部门年度绩效目标.
    pub fn goal(&self) -> &Text {
        self.own_or_target(&self.goal, |d| match d {
            Declaration::Project(p) => &p.goal,
            Declaration::Department(d) => &d.decomposition.annual,
            Declaration::SelfEval(_) => &None,
        })
    }

    /// Every text this file gives, with its printed label (for the glyph, placeholder and
    /// length rules, which point at them here).
    pub fn texts(&self) -> Vec<(&'static str, &Text)> {
        let mut t: Vec<(&'static str, &Text)> = vec![
            ("填报单位", &self.common.unit),
            ("名称", &self.common.name),
            ("项目代码", &self.code),
            ("主管部门", &self.department),
            ("实施单位", &self.implementer),
            ("预期目标", &self.goal),
            ("实际完成情况", &self.goal_result),
            ("预算执行原因", &self.execution.reason),
            ("评价结论", &self.conclusion.summary),
            ("存在问题", &self.conclusion.problems),
            ("改进措施", &self.conclusion.measures),
        ];
        t.extend(self.execution.rows.iter().map(|r| ("资金名称", &r.name)));
        for r in &self.results {
            t.push(("实际完成值", &r.actual));
            t.push(("偏差原因分析及改进措施", &r.reason));
        }
        if let Some(s) = &self.signoff {
            t.extend([
                ("项目负责人", &s.project_head),
                ("财务负责人", &s.finance_head),
                ("填报人", &s.preparer),
                ("联系电话", &s.phone),
                ("填报日期", &s.date),
            ]);
        }
        t
    }

    /// The year: this file's, else the target's.
    pub fn year(&self) -> Option<u16> {
        self.common.year.value().or_else(|| {
            self.target
                .as_ref()
                .and_then(|t| t.declaration.common().year.value())
        })
    }
}

/// Where a diagnostic about the target file points: that file, at `loc`.
pub fn in_target(
    d: crate::diagnostic::Diagnostic,
    target: &Target,
) -> crate::diagnostic::Diagnostic {
    d.in_file(target.file.clone())
}

/// The path of the target relative to the declaration's folder.
pub fn target_path(declaration: &std::path::Path, written: &str) -> PathBuf {
    declaration
        .parent()
        .unwrap_or(std::path::Path::new(""))
        .join(written)
}
