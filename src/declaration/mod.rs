//! The declaration: one filled form, as typed data.
//!
//! [`parse`](parse::parse) reads YAML into these types (spec `declarations.md`); nothing here
//! knows about rules, layout or output. Amounts are exact [`Decimal`]s in 万元. A field the user
//! left out or left empty is [`Entry::Blank`]; one whose text could not be read as the type it
//! needs is [`Entry::Invalid`] (the parser has already reported it, and rules skip it).

pub mod amount;
pub mod parse;
pub(crate) mod raw;
pub mod scheme;
mod slips;
pub mod tree;
pub mod value;

use rust_decimal::Decimal;

pub use crate::diagnostic::{Loc, Located};
pub use parse::{ParseOutcome, parse};
use scheme::{Level1, Level2};
use value::IndicatorValue;

/// A typed field: blank, given, or given but unreadable.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Entry<T> {
    /// Left out or left empty: prints as a blank cell. `Loc` is where the key (or, when the key
    /// is absent, its block) is.
    #[default]
    Blank,
    Given(Located<T>),
    /// Written, but not readable as the type the form needs (already reported).
    Invalid(Loc),
}

impl<T> Entry<T> {
    pub fn get(&self) -> Option<&T> {
        match self {
            Entry::Given(l) => Some(&l.value),
            _ => None,
        }
    }

    pub fn loc(&self) -> Option<Loc> {
        match self {
            Entry::Given(l) => Some(l.loc),
            Entry::Invalid(loc) => Some(*loc),
            Entry::Blank => None,
        }
    }

    pub fn is_blank(&self) -> bool {
        matches!(self, Entry::Blank)
    }

    pub fn is_invalid(&self) -> bool {
        matches!(self, Entry::Invalid(_))
    }
}

impl<T: Copy> Entry<T> {
    pub fn value(&self) -> Option<T> {
        self.get().copied()
    }
}

/// Where fields were written with an empty value (`personnel:`), by their English key. A blank
/// [`Entry`] has no value of its own to point at; rules about it point here (just after the
/// colon) when the key was written, and at the field's block when it was left out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Blanks(pub Vec<(&'static str, Loc)>);

impl Blanks {
    /// Where `key` was written empty, if it was.
    pub fn get(&self, key: &str) -> Option<Loc> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, loc)| *loc)
    }
}

/// A text field; `None` when blank.
pub type Text = Option<Located<String>>;

/// One declaration file's content.
// One value per file, never in bulk: boxing the larger form would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Declaration {
    Project(ProjectForm),
    Department(DepartmentForm),
    /// A year-end self-evaluation, of either side ([`crate::selfeval`]).
    SelfEval(crate::selfeval::SelfEvalForm),
}

/// Which form a declaration fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FormKind {
    Project,
    Department,
    #[serde(rename = "project-selfeval")]
    ProjectSelfeval,
    #[serde(rename = "department-selfeval")]
    DepartmentSelfeval,
}

impl FormKind {
    /// The form's printed title.
    pub fn title(self) -> &'static str {
        match self {
            FormKind::Project => "项目支出绩效目标申报表",
            FormKind::Department => "部门整体支出绩效目标设置申报表",
            FormKind::ProjectSelfeval => "项目支出绩效自评表",
            FormKind::DepartmentSelfeval => "部门整体支出绩效自评表",
        }
    }

    /// The key used in declarations (`form: project`).
    pub fn key(self) -> &'static str {
        match self {
            FormKind::Project => "project",
            FormKind::Department => "department",
            FormKind::ProjectSelfeval => "project-selfeval",
            FormKind::DepartmentSelfeval => "department-selfeval",
        }
    }
}

impl Declaration {
    pub fn kind(&self) -> FormKind {
        match self {
            Declaration::Project(_) => FormKind::Project,
            Declaration::Department(_) => FormKind::Department,
            Declaration::SelfEval(s) => match s.side {
                crate::selfeval::Side::Project => FormKind::ProjectSelfeval,
                crate::selfeval::Side::Department => FormKind::DepartmentSelfeval,
            },
        }
    }

    pub fn common(&self) -> &Common {
        match self {
            Declaration::Project(p) => &p.common,
            Declaration::Department(d) => &d.common,
            Declaration::SelfEval(s) => &s.common,
        }
    }

    pub fn indicators(&self) -> &Indicators {
        match self {
            Declaration::SelfEval(s) => s.indicators(),
            _ => &self.common().indicators,
        }
    }

    /// 项目名称 / 部门（单位）名称 as printed: a self-evaluation's own, else its target's.
    pub fn name(&self) -> &Text {
        match self {
            Declaration::SelfEval(s) => s.name(),
            _ => &self.common().name,
        }
    }

    /// 填报单位 as printed: a self-evaluation's own, else its target's.
    pub fn unit(&self) -> &Text {
        match self {
            Declaration::SelfEval(s) => s.unit(),
            _ => &self.common().unit,
        }
    }

    /// 年度 as printed: a self-evaluation's own, else its target's.
    pub fn year(&self) -> Option<u16> {
        match self {
            Declaration::SelfEval(s) => s.year(),
            _ => self.common().year.value(),
        }
    }
}

/// What both forms have.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Common {
    pub year: Entry<u16>,
    /// 填报单位（盖章）.
    pub unit: Text,
    /// 项目名称 / 部门（单位）名称.
    pub name: Text,
    pub indicators: Indicators,
    pub signoff: Option<Signoff>,
    /// The layout named by `layout:` (a built-in id or a path relative to the declaration).
    pub layout: Text,
    /// Top-level keys written empty (`year`, `name`, and the project's `goal`).
    pub blanks: Blanks,
    /// `amount_unit` (金额单位): the unit every amount of the file is written in.
    pub amount_unit: Entry<AmountUnit>,
    /// `precision` (金额小数位数): places amounts print with (0–4), else the layout's.
    pub precision: Entry<u32>,
}

impl Common {
    /// The unit the file's amounts are in (万元 unless `amount_unit` says 元).
    pub fn unit_of_amounts(&self) -> AmountUnit {
        self.amount_unit.value().unwrap_or_default()
    }
}

/// The unit of a declaration's amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AmountUnit {
    /// 万元, the format's default.
    #[default]
    Wan,
    /// 元.
    Yuan,
}

impl AmountUnit {
    /// As printed: `万元` or `元`.
    pub fn name(self) -> &'static str {
        match self {
            AmountUnit::Wan => "万元",
            AmountUnit::Yuan => "元",
        }
    }

    /// One of [`crate::authoring::keys::AMOUNT_UNITS`]; `None` for anything else.
    pub fn parse(text: &str) -> Option<AmountUnit> {
        match text.trim() {
            "万元" | "万" | "wan" => Some(AmountUnit::Wan),
            "元" | "yuan" => Some(AmountUnit::Yuan),
            _ => None,
        }
    }
}

/// 项目支出绩效目标申报表.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProjectForm {
    pub common: Common,
    /// 主管部门及代码.
    pub department: Text,
    /// 实施单位.
    pub implementer: Text,
    /// 项目属性.
    pub attribute: Text,
    /// 项目日期范围 / 项目期.
    pub period: Text,
    pub funds: Funds,
    /// 年度总体目标.
    pub goal: Text,
    /// 中期资金 (the 中期 side of 财预〔2015〕88号 附1); `sources` stays empty.
    pub midterm_funds: Funds,
    /// 中期目标.
    pub midterm_goal: Text,
    /// 中期绩效指标.
    pub midterm_indicators: Indicators,
    /// Further projects printed on the same sheet (`projects`), each with the file's year, unit
    /// and unit of amounts unless it gives its own unit.
    pub projects: Vec<ProjectForm>,
    /// 主管部门编码.
    pub department_code: Text,
    /// 成本测算.
    pub costs: Vec<Cost>,
    /// Where the `costs` list is.
    pub costs_loc: Loc,
}

/// One row of 成本测算 (成本构成 | 金额 | 测算依据 | 前两年实际执行数).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cost {
    pub loc: Loc,
    pub item: Text,
    pub amount: Entry<Decimal>,
    pub basis: Text,
    pub prior: Entry<Decimal>,
}

impl ProjectForm {
    /// This project, then the further ones of `projects`.
    pub fn all(&self) -> impl Iterator<Item = &ProjectForm> {
        std::iter::once(self).chain(&self.projects)
    }
}

/// 项目资金（万元）.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Funds {
    /// Where the `funds` block is (or the file start when it is missing).
    pub loc: Loc,
    /// 年度资金总额.
    pub total: Entry<Decimal>,
    /// 其中：财政拨款.
    pub fiscal: Entry<Decimal>,
    /// 其他资金.
    pub other: Entry<Decimal>,
    /// Further named sources, added to the sum (an extension: `sources: [{name, amount}]`).
    pub sources: Vec<Source>,
    /// Keys of this block written empty.
    pub blanks: Blanks,
}

/// A further source of project funds.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub name: Located<String>,
    pub amount: Entry<Decimal>,
}

/// 部门整体支出绩效目标设置申报表.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DepartmentForm {
    pub common: Common,
    /// 联系人.
    pub contact: Text,
    /// 联系电话.
    pub phone: Text,
    /// 部门职能依据（三定方案批文号）.
    pub basis: Text,
    /// 部门职能简述.
    pub functions: Text,
    /// 近三年单位职能是否出现过重大变化.
    pub functions_changed: Entry<bool>,
    /// 部门是否为一级预算主管部门.
    pub first_level_unit: Entry<bool>,
    /// 所属部门领域.
    pub field: Text,
    /// 直属部门包括.
    pub subordinates: Text,
    /// 内设职能部门.
    pub divisions: Text,
    pub staff: Staff,
    pub last_year: LastYear,
    pub budget: Budget,
    /// 其他需要说明的事项.
    pub remarks: Text,
    pub decomposition: Decomposition,
    /// 年度主要任务.
    pub tasks: Vec<Task>,
    /// Where the `tasks` list is.
    pub tasks_loc: Loc,
    /// 部门预算编码.
    pub budget_code: Text,
    /// 年度总体目标 / 整体绩效目标.
    pub goal: Text,
    /// 年度履职目标.
    pub duties: Vec<Duty>,
    /// 近两年收支金额: the years before this one, as written (most recent first, by convention).
    pub history: Vec<PriorYear>,
    /// Where the `duties` list is.
    pub duties_loc: Loc,
}

/// One year of 近两年收支金额.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriorYear {
    pub loc: Loc,
    pub year: Entry<u16>,
    pub income: Income,
    pub expense: Expense,
}

/// One 年度履职目标 (部门职能 | 年度目标任务 | 支出项目名称 | 预算金额).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Duty {
    pub loc: Loc,
    pub function: Text,
    pub target: Text,
    pub project: Text,
    pub amount: Entry<Decimal>,
}

/// Head counts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Staff {
    pub loc: Loc,
    /// 编制控制数.
    pub quota: Entry<u32>,
    /// 在职人员总数.
    pub total: Entry<u32>,
    /// 行政编制人数.
    pub administrative: Entry<u32>,
    /// 事业编制人数.
    pub institutional: Entry<u32>,
    /// 编外人数.
    pub extra: Entry<u32>,
    /// Keys of this block written empty.
    pub blanks: Blanks,
}

/// 上年预算（万元）.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LastYear {
    pub loc: Loc,
    /// 批复数.
    pub approved: Entry<Decimal>,
    /// 调整数.
    pub adjusted: Entry<Decimal>,
    /// 实际支出数.
    pub actual: Entry<Decimal>,
    /// 执行率, in percent (397.25 means 397.25%).
    pub rate: Entry<Decimal>,
    /// 年末结转结余数.
    pub carryover: Entry<Decimal>,
}

impl LastYear {
    /// 执行率 computed from the form: 实际支出数 ÷ 批复数, in percent rounded to 0.01%
    /// (`None` when either is blank or 批复数 is 0).
    pub fn computed_rate(&self) -> Option<Decimal> {
        amount::rate_percent(self.actual.value()?, self.approved.value()?)
    }

    /// The 执行率 to print: the one given, else the computed one.
    pub fn execution_rate(&self) -> Option<Decimal> {
        self.rate.value().or_else(|| self.computed_rate())
    }
}

/// 当年预算（万元）.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Budget {
    pub loc: Loc,
    pub income: Income,
    pub expense: Expense,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Income {
    pub loc: Loc,
    /// 收入合计.
    pub total: Entry<Decimal>,
    /// 其中：上级财政拨款.
    pub superior: Entry<Decimal>,
    /// 本级财政安排.
    pub local: Entry<Decimal>,
    /// 其他 / 其他资金.
    pub other: Entry<Decimal>,
    /// 按收入性质: 公共财政拨款.
    pub general: Entry<Decimal>,
    /// 纳入预算管理的非税收入拨款.
    pub nontax: Entry<Decimal>,
    /// 政府性基金拨款.
    pub fund: Entry<Decimal>,
    /// 纳入专户管理的非税收入拨款.
    pub special_account: Entry<Decimal>,
    /// 财政拨款 (all fiscal allocations together).
    pub fiscal: Entry<Decimal>,
    /// Keys of this block written empty.
    pub blanks: Blanks,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expense {
    pub loc: Loc,
    /// 支出合计.
    pub total: Entry<Decimal>,
    /// 其中：人员经费.
    pub personnel: Entry<Decimal>,
    /// 公用经费.
    pub public: Entry<Decimal>,
    /// 项目经费 / 项目支出.
    pub project: Entry<Decimal>,
    /// 基本支出 (= 人员经费 + 公用经费).
    pub basic: Entry<Decimal>,
    /// 其他支出.
    pub other: Entry<Decimal>,
    /// Keys of this block written empty.
    pub blanks: Blanks,
}

/// The optional content row under 部门职能分解 / 部门中期目标 / 部门年度绩效目标.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decomposition {
    pub functions: Text,
    pub midterm: Text,
    pub annual: Text,
}

impl Decomposition {
    pub fn is_empty(&self) -> bool {
        self.functions.is_none() && self.midterm.is_none() && self.annual.is_none()
    }
}

/// One 年度主要任务.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Task {
    pub loc: Loc,
    /// 任务名称.
    pub name: Text,
    /// 工作内容.
    pub content: Text,
    /// 对应年度绩效目标和内容.
    pub goal: Text,
    /// 预算金额（万元）.
    pub amount: Entry<Decimal>,
    /// Optional split: 财政.
    pub fiscal: Entry<Decimal>,
    /// Optional split: 其他.
    pub other: Entry<Decimal>,
}

/// The optional sign-off line under the table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Signoff {
    /// 填报人.
    pub preparer: Text,
    /// 联系电话.
    pub phone: Text,
    /// 单位负责人.
    pub head: Text,
    /// 填报日期, as written (`2023-01-10`).
    pub date: Text,
    /// 项目负责人.
    pub project_head: Text,
    /// 绩效管理联络员.
    pub liaison: Text,
}

/// 绩效指标: 一级 → 二级 → 三级, in the order written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Indicators {
    /// Where the `indicators` block is (or the file start when it is missing).
    pub loc: Loc,
    pub groups: Vec<Level1Group>,
}

/// The 一级 name as written, and what it resolved to.
#[derive(Debug, Clone, PartialEq)]
pub struct Level1Group {
    pub name: Located<String>,
    /// `None` when the name is outside the scheme (reported as `indicator.level1`).
    pub level1: Option<Level1>,
    pub groups: Vec<Level2Group>,
    /// Free-text indicators written right under the 一级 (`- 指标1：…`, no 二级 names): each
    /// an [`Indicator`] whose `name` is the text and whose value is empty. A 一级 holds either
    /// these or `groups`, never both.
    pub texts: Vec<Indicator>,
}

/// The 二级 name as written, what it resolved to, and its 三级 indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct Level2Group {
    pub name: Located<String>,
    pub resolved: Option<scheme::Resolved>,
    pub items: Vec<Indicator>,
}

impl Level2Group {
    /// The canonical 二级 this group prints as, when it has one.
    pub fn level2(&self) -> Option<Level2> {
        match self.resolved? {
            scheme::Resolved::Canonical(l2) | scheme::Resolved::Alias(l2) => Some(l2),
            scheme::Resolved::Misplaced(_) | scheme::Resolved::Unknown => None,
        }
    }
}

/// One 三级 indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Where the list item starts.
    pub loc: Loc,
    /// 三级指标 name (empty when left empty: reported as `indicator.empty`).
    pub name: Located<String>,
    /// 指标值 (empty text when left empty).
    pub value: Located<IndicatorValue>,
    /// 权重.
    pub weight: Entry<Decimal>,
    /// 指标方向性 (正向/反向), as written.
    pub direction: Text,
    /// 备注.
    pub note: Text,
    /// 指标解释.
    pub explanation: Text,
    /// 绩效标准.
    pub standard: Text,
}

/// An indicator placed in its canonical 一级/二级, for printing.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'a> {
    pub level1: Level1,
    /// `None` for a free-text indicator, whose text (`indicator.name`) spans the 二级, 三级
    /// and 指标值 columns.
    pub level2: Option<Level2>,
    pub indicator: &'a Indicator,
    /// The 一级 and 二级 names as written, when the indicator prints where and as the
    /// declaration puts it ([`Indicators::as_declared`]).
    pub written: Option<(&'a str, &'a str)>,
}

impl<'a> Placed<'a> {
    /// The 一级 and 二级 names printed: as written for [`Indicators::as_declared`], else the
    /// canonical ones.
    pub fn names(&self) -> (&'a str, &'a str) {
        self.written
            .unwrap_or((self.level1.name(), self.level2.map_or("", Level2::name)))
    }

    /// Whether this is a free-text indicator (no 二级, no 三级 name, no value: one text).
    pub fn is_free_text(&self) -> bool {
        self.level2.is_none()
    }
}

impl Indicators {
    /// Every indicator whose 二级 resolved, grouped in the scheme's canonical order
    /// (一级, then 二级), keeping the written order inside a 二级. Aliases that move a group to
    /// another 一级 (社会公众或服务对象满意度指标 under 效益指标) land under their canonical 一级.
    pub fn canonical(&self) -> Vec<Placed<'_>> {
        let mut placed: Vec<(usize, Placed<'_>)> = Vec::new();
        for l1 in &self.groups {
            if let Some(level1) = l1.level1 {
                for item in &l1.texts {
                    placed.push((
                        placed.len(),
                        Placed {
                            level1,
                            level2: None,
                            indicator: item,
                            written: None,
                        },
                    ));
                }
            }
            for l2 in &l1.groups {
                let Some(level2) = l2.level2() else { continue };
                for item in &l2.items {
                    placed.push((
                        placed.len(),
                        Placed {
                            level1: level2.parent(),
                            level2: Some(level2),
                            indicator: item,
                            written: None,
                        },
                    ));
                }
            }
        }
        // Stable sort: written order survives inside a 二级.
        placed.sort_by_key(|(i, p)| (p.level1, p.level2, *i));
        placed.into_iter().map(|(_, p)| p).collect()
    }

    /// The same indicators as [`Indicators::canonical`], where and as the declaration writes
    /// them: in written order, under the 一级 and with the 二级 names written (older forms keep
    /// 服务对象满意度指标 under 效益指标, and 环境效益指标 as such).
    pub fn as_declared(&self) -> Vec<Placed<'_>> {
        let mut placed = Vec::new();
        for l1 in &self.groups {
            let Some(level1) = l1.level1 else { continue };
            for item in &l1.texts {
                placed.push(Placed {
                    level1,
                    level2: None,
                    indicator: item,
                    written: Some((l1.name.value.trim(), "")),
                });
            }
            for l2 in &l1.groups {
                let Some(level2) = l2.level2() else { continue };
                for item in &l2.items {
                    placed.push(Placed {
                        level1,
                        level2: Some(level2),
                        indicator: item,
                        written: Some((l1.name.value.trim(), l2.name.value.trim())),
                    });
                }
            }
        }
        placed
    }

    /// The number of 三级 indicators written, free-text ones included.
    pub fn count(&self) -> usize {
        self.groups
            .iter()
            .flat_map(|g| &g.groups)
            .map(|g| g.items.len())
            .sum::<usize>()
            + self.groups.iter().map(|g| g.texts.len()).sum::<usize>()
    }

    /// Whether any indicator is written as free text.
    pub fn has_free_text(&self) -> bool {
        self.groups.iter().any(|g| !g.texts.is_empty())
    }
}
