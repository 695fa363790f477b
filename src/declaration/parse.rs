//! YAML text → [`Declaration`], with located diagnostics for whatever cannot be read.
//!
//! Three steps, none of which stops at the first problem it can step past:
//! [`tree::load`](super::tree::load) reads the text into located nodes under one YAML policy
//! (syntax errors explained, tags, aliases, a second document, limits); [`raw`] reads that tree
//! against the key table (unknown keys, keys given twice, values of the wrong kind: each
//! reported, left out, and the walk goes on); then each field is typed here (amounts, counts,
//! years, booleans, 指标值, indicator names), reporting every field it cannot read. Only a
//! syntax error or a limit ends the reading early.

use rust_decimal::Decimal;

use super::amount::{parse_amount, parse_count, parse_percent};
use super::raw::{self, Field, Reader};
use super::scheme::{self, Level1};
use super::tree::{self, Kind};
use super::value::{Comparator, IndicatorValue};
use super::*;
use crate::authoring::keys;
use crate::diagnostic::{Code, Diagnostic};

/// Limits on a declaration's YAML (each breach is a `yaml.limit` error).
pub mod limits {
    /// Largest declaration file accepted, in bytes.
    pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
    /// Deepest nesting of mappings and lists (a declaration needs 6).
    pub const MAX_DEPTH: usize = 32;
    /// Most YAML nodes in one file, counting what aliases expand to. A form at the content
    /// limits (500 indicators in the full mapping form) needs under 10,000; the bound is low
    /// enough that an alias bomb is refused in milliseconds.
    pub const MAX_NODES: usize = 100_000;
    /// Most aliases (`*ref`) in one file.
    pub const MAX_ALIASES: usize = 1_000;
    /// Most bytes of scalar text in one file, counting what aliases expand to.
    pub const MAX_SCALAR_BYTES: usize = 2 * MAX_FILE_BYTES;
}

/// What parsing one file gives: the declaration when its shape could be read, and every
/// problem found on the way.
#[derive(Debug, Clone)]
pub struct ParseOutcome {
    pub declaration: Option<Declaration>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses the text of one declaration file.
pub fn parse(text: &str) -> ParseOutcome {
    let mut cx = Cx::default();
    let declaration = parse_into(text, &mut cx);
    ParseOutcome {
        declaration,
        diagnostics: cx.diags,
    }
}

fn parse_into(text: &str, cx: &mut Cx) -> Option<Declaration> {
    if text.len() > limits::MAX_FILE_BYTES {
        cx.diags.push(Diagnostic::error(
            Code::YamlLimit,
            Loc::START,
            format!(
                "文件过大：{} 字节，上限 {} 字节",
                text.len(),
                limits::MAX_FILE_BYTES
            ),
            format!(
                "file too large: {} bytes, the limit is {} bytes",
                text.len(),
                limits::MAX_FILE_BYTES
            ),
        ));
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let loaded = tree::load(text);
    cx.diags.extend(loaded.diagnostics);
    let root = loaded.root?;
    if let Kind::Scalar(_) | Kind::Seq(_) = root.kind {
        let mut reader = Reader::new(keys::PROJECT);
        reader.record(root, keys::PROJECT, ("文件", "a declaration"));
        cx.diags.extend(reader.diags);
        return None;
    }
    let kind = form_kind(&raw::form_field(&root), cx)?;
    let mut reader = Reader::new(keys::form_keys(kind));
    let record = reader.record(root, keys::form_keys(kind), ("文件", "a declaration"));
    let declaration = match kind {
        FormKind::Project => {
            let r = raw::Project::read(&mut reader, record);
            cx.diags.append(&mut reader.diags);
            Declaration::Project(project(r, cx))
        }
        FormKind::Department => {
            let r = raw::Department::read(&mut reader, record);
            cx.diags.append(&mut reader.diags);
            Declaration::Department(department(r, cx))
        }
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval => {
            let r = crate::selfeval::raw::SelfEval::read(&mut reader, record);
            cx.diags.append(&mut reader.diags);
            Declaration::SelfEval(crate::selfeval::parse::form(r, kind, cx))
        }
    };
    Some(declaration)
}

/// Which form the `form` key names.
fn form_kind(form: &Field, cx: &mut Cx) -> Option<FormKind> {
    let loc = form.loc.unwrap_or(Loc::START);
    match form.written() {
        Some(name) if keys::PROJECT_FORM_NAMES.contains(&name) => Some(FormKind::Project),
        Some(name) if keys::DEPARTMENT_FORM_NAMES.contains(&name) => Some(FormKind::Department),
        Some(name) if keys::PROJECT_SELFEVAL_FORM_NAMES.contains(&name) => {
            Some(FormKind::ProjectSelfeval)
        }
        Some(name) if keys::DEPARTMENT_SELFEVAL_FORM_NAMES.contains(&name) => {
            Some(FormKind::DepartmentSelfeval)
        }
        Some(other) => {
            cx.diags.push(Diagnostic::error(
                Code::YamlType,
                loc,
                format!("表单 “{other}” 未知：应为 project（项目支出）、department（部门整体支出）、project-selfeval 或 department-selfeval（自评表）"),
                format!("unknown form `{other}`: expected `project`, `department`, `project-selfeval` or `department-selfeval`"),
            ));
            None
        }
        None => {
            cx.diags.push(Diagnostic::error(
                Code::FieldRequired,
                loc,
                "缺少表单类型：请写 form: project（项目支出）或 form: department（部门整体支出）",
                "missing form: write `form: project` or `form: department`",
            ));
            None
        }
    }
}

/// A field with nothing to read: blank, or invalid when its value was of the wrong kind
/// (already reported by [`raw`]).
fn unwritten<T>(f: &Field) -> Entry<T> {
    match f.loc {
        Some(loc) if f.invalid => Entry::Invalid(loc),
        _ => Entry::Blank,
    }
}

/// Collects diagnostics while typing fields.
#[derive(Default)]
pub(crate) struct Cx {
    pub(crate) diags: Vec<Diagnostic>,
}

impl Cx {
    pub(crate) fn text(&mut self, f: &Field) -> Text {
        let text = f.written()?;
        Some(Located::new(text.to_string(), f.loc.unwrap_or(Loc::START)))
    }

    /// An amount in 万元 (`amount.format` when unreadable).
    pub(crate) fn amount(&mut self, f: &Field, label: &str) -> Entry<Decimal> {
        let Some(text) = f.written() else {
            return unwritten(f);
        };
        let loc = f.loc.unwrap_or(Loc::START);
        match parse_amount(text) {
            Ok(v) => Entry::Given(Located::new(v, loc)),
            Err(e) => {
                self.diags.push(Diagnostic::error(
                    Code::AmountFormat,
                    loc,
                    format!("{label}：{}", e.zh(text)),
                    format!("{label}: {}", e.en(text)),
                ));
                Entry::Invalid(loc)
            }
        }
    }

    pub(crate) fn percent(&mut self, f: &Field, label: &str) -> Entry<Decimal> {
        let Some(text) = f.written() else {
            return unwritten(f);
        };
        let loc = f.loc.unwrap_or(Loc::START);
        match parse_percent(text) {
            Some(v) => Entry::Given(Located::new(v, loc)),
            None => {
                self.diags.push(Diagnostic::error(
                    Code::AmountFormat,
                    loc,
                    format!("{label} 应为百分比（如 97.5%），而不是 “{text}”"),
                    format!("{label} must be a percentage such as 97.5%, not `{text}`"),
                ));
                Entry::Invalid(loc)
            }
        }
    }

    fn count(&mut self, f: &Field, label: &str) -> Entry<u32> {
        let Some(text) = f.written() else {
            return unwritten(f);
        };
        let loc = f.loc.unwrap_or(Loc::START);
        match parse_count(text) {
            Some(v) => Entry::Given(Located::new(v, loc)),
            None => {
                self.diags.push(Diagnostic::error(
                    Code::YamlType,
                    loc,
                    format!("{label} 应为不小于 0 的整数人数，而不是 “{text}”"),
                    format!("{label} must be a whole number of people, not `{text}`"),
                ));
                Entry::Invalid(loc)
            }
        }
    }

    pub(crate) fn year(&mut self, f: &Field) -> Entry<u16> {
        let Some(text) = f.written() else {
            return unwritten(f);
        };
        let loc = f.loc.unwrap_or(Loc::START);
        match text.trim_end_matches('年').parse::<u16>() {
            Ok(y) if (1900..=2999).contains(&y) => Entry::Given(Located::new(y, loc)),
            _ => {
                self.diags.push(Diagnostic::error(
                    Code::YamlType,
                    loc,
                    format!("年度应为四位年份（如 2023），而不是 “{text}”"),
                    format!("year must be a four-digit year such as 2023, not `{text}`"),
                ));
                Entry::Invalid(loc)
            }
        }
    }

    fn boolean(&mut self, f: &Field, label: &str) -> Entry<bool> {
        let Some(text) = f.written() else {
            return unwritten(f);
        };
        let loc = f.loc.unwrap_or(Loc::START);
        let value = match text {
            "true" | "True" | "TRUE" | "yes" | "是" | "■是 □否" | "■是□否" => {
                Some(true)
            }
            "false" | "False" | "FALSE" | "no" | "否" | "□是 ■否" | "□是■否" => {
                Some(false)
            }
            _ => None,
        };
        match value {
            Some(v) => Entry::Given(Located::new(v, loc)),
            None => {
                self.diags.push(Diagnostic::error(
                    Code::YamlType,
                    loc,
                    format!("{label} 应为 是/否（true/false），而不是 “{text}”"),
                    format!("{label} must be true or false (是/否), not `{text}`"),
                ));
                Entry::Invalid(loc)
            }
        }
    }

    fn common(
        &mut self,
        year: &Field,
        unit: &Field,
        name: &Field,
        indicators: raw::Block<raw::Level1Map>,
        signoff: raw::Block<raw::Signoff>,
    ) -> Common {
        Common {
            year: self.year(year),
            unit: self.text(unit),
            name: self.text(name),
            indicators: self.indicators(indicators),
            signoff: signoff.loc.map(|_| Signoff {
                preparer: self.text(&signoff.value.preparer),
                phone: self.text(&signoff.value.phone),
                head: self.text(&signoff.value.head),
                date: self.text(&signoff.value.date),
                project_head: self.text(&signoff.value.project_head),
                liaison: self.text(&signoff.value.liaison),
            }),
            // Filled in by the caller, who knows the form's own top-level keys.
            blanks: Blanks::default(),
            layout: None,
            amount_unit: Entry::Blank,
            precision: Entry::Blank,
        }
    }

    /// `amount_unit`: 万元 or 元.
    fn amount_unit(&mut self, f: &Field) -> Entry<AmountUnit> {
        let Some(text) = f.written() else {
            return unwritten(f);
        };
        let loc = f.loc.unwrap_or(Loc::START);
        match AmountUnit::parse(text) {
            Some(u) => Entry::Given(Located::new(u, loc)),
            None => {
                self.diags.push(Diagnostic::error(
                    Code::YamlType,
                    loc,
                    format!("金额单位应为 万元 或 元，而不是 “{text}”"),
                    format!("amount_unit must be 万元 or 元, not `{text}`"),
                ));
                Entry::Invalid(loc)
            }
        }
    }

    /// `precision`: 0 to 4 decimal places.
    fn precision(&mut self, f: &Field) -> Entry<u32> {
        let Some(text) = f.written() else {
            return unwritten(f);
        };
        let loc = f.loc.unwrap_or(Loc::START);
        match parse_count(text) {
            Some(v) if v <= 4 => Entry::Given(Located::new(v, loc)),
            _ => {
                self.diags.push(Diagnostic::error(
                    Code::YamlType,
                    loc,
                    format!("金额小数位数应为 0 到 4 的整数，而不是 “{text}”"),
                    format!("precision must be a whole number from 0 to 4, not `{text}`"),
                ));
                Entry::Invalid(loc)
            }
        }
    }

    fn indicators(&mut self, block: raw::Block<raw::Level1Map>) -> Indicators {
        let mut out = Indicators {
            loc: block.loc.unwrap_or(Loc::START),
            groups: Vec::new(),
        };
        for (key, level2s) in block.value.entries {
            let name = Located::new(key.value, key.loc);
            let level1 = Level1::from_name(&name.value);
            let texts = level2s
                .value
                .texts
                .into_iter()
                .map(|t| {
                    let loc = t.loc;
                    let text = t.value.written().unwrap_or("").to_string();
                    Indicator {
                        loc,
                        name: Located::new(text, loc),
                        value: Located::new(IndicatorValue::parse(""), loc),
                        weight: Entry::Blank,
                        direction: None,
                        note: None,
                        explanation: None,
                        standard: None,
                    }
                })
                .collect();
            let groups = level2s
                .value
                .groups
                .entries
                .into_iter()
                .map(|(key2, items)| {
                    let name2 = Located::new(key2.value, key2.loc);
                    let resolved = level1.map(|l1| scheme::resolve_level2(l1, &name2.value));
                    let items = items
                        .value
                        .into_iter()
                        .map(|item| self.indicator(item))
                        .collect();
                    Level2Group {
                        name: name2,
                        resolved,
                        items,
                    }
                })
                .collect();
            out.groups.push(Level1Group {
                name,
                level1,
                groups,
                texts,
            });
        }
        out
    }

    pub(crate) fn indicator(&mut self, item: raw::At<raw::Indicator>) -> Indicator {
        let loc = item.loc;
        let raw = item.value;
        let name_loc = raw.name.loc.unwrap_or(loc);
        let value_loc = raw.value.loc.unwrap_or(name_loc);
        let op = match raw.op.written() {
            None | Some("定性") => None,
            Some(text) => {
                let parsed = Comparator::parse(text);
                if parsed.is_none() {
                    self.diags.push(Diagnostic::error(
                        Code::YamlType,
                        raw.op.loc.unwrap_or(loc),
                        format!("指标性质应为 ≥、≤、=、>、< 或 定性，而不是 “{text}”"),
                        format!("op must be one of ≥ ≤ = > < or 定性, not `{text}`"),
                    ));
                }
                parsed
            }
        };
        let written = raw.value.written().unwrap_or("");
        let value = if raw.op.written().is_some() || raw.unit.written().is_some() {
            IndicatorValue::from_parts(op, written, raw.unit.written())
        } else {
            IndicatorValue::parse(written)
        };
        Indicator {
            loc,
            name: Located::new(raw.name.written().unwrap_or("").to_string(), name_loc),
            value: Located::new(value, value_loc),
            weight: self.percent(&raw.weight, "权重"),
            direction: self.text(&raw.direction),
            note: self.text(&raw.note),
            explanation: self.text(&raw.explanation),
            standard: self.text(&raw.standard),
        }
    }
}

/// The keys among `fields` written with an empty value, and where.
pub(crate) fn blanks(fields: &[(&'static str, &Field)]) -> Blanks {
    Blanks(
        fields
            .iter()
            .filter_map(|(key, f)| {
                f.loc
                    .filter(|_| f.written().is_none())
                    .map(|loc| (*key, loc))
            })
            .collect(),
    )
}

fn block_loc<T>(b: &raw::Block<T>, parent: Loc) -> Loc {
    b.loc.unwrap_or(parent)
}

fn project(mut r: raw::Project, cx: &mut Cx) -> ProjectForm {
    let items = std::mem::take(&mut r.projects.value);
    let funds_loc = block_loc(&r.funds, Loc::START);
    let f = &r.funds.value;
    let funds = Funds {
        loc: funds_loc,
        total: cx.amount(&f.total, "年度资金总额"),
        fiscal: cx.amount(&f.fiscal, "财政拨款"),
        other: cx.amount(&f.other, "其他资金"),
        sources: f
            .sources
            .iter()
            .map(|s| {
                let loc = s.loc;
                let name = s.value.name.written().unwrap_or("其他来源").to_string();
                Source {
                    name: Located::new(name.clone(), s.value.name.loc.unwrap_or(loc)),
                    amount: cx.amount(&s.value.amount, &name),
                }
            })
            .collect(),
        blanks: blanks(&[
            ("total", &f.total),
            ("fiscal", &f.fiscal),
            ("other", &f.other),
        ]),
    };
    let m = &r.midterm_funds.value;
    let midterm_funds = Funds {
        loc: block_loc(&r.midterm_funds, Loc::START),
        total: cx.amount(&m.total, "中期资金总额"),
        fiscal: cx.amount(&m.fiscal, "中期财政拨款"),
        other: cx.amount(&m.other, "中期其他资金"),
        sources: Vec::new(),
        blanks: blanks(&[
            ("total", &m.total),
            ("fiscal", &m.fiscal),
            ("other", &m.other),
        ]),
    };
    let mut form = ProjectForm {
        department: cx.text(&r.department),
        implementer: cx.text(&r.implementer),
        attribute: cx.text(&r.attribute),
        period: cx.text(&r.period),
        goal: cx.text(&r.goal),
        funds,
        midterm_funds,
        midterm_goal: cx.text(&r.midterm_goal),
        midterm_indicators: cx.indicators(r.midterm_indicators),
        projects: Vec::new(),
        department_code: cx.text(&r.department_code),
        costs_loc: block_loc(&r.costs, Loc::START),
        costs: r
            .costs
            .value
            .iter()
            .map(|c| Cost {
                loc: c.loc,
                item: cx.text(&c.value.item),
                amount: cx.amount(&c.value.amount, "成本金额"),
                basis: cx.text(&c.value.basis),
                prior: cx.amount(&c.value.prior, "前两年实际执行数"),
            })
            .collect(),
        common: Common {
            blanks: blanks(&[("year", &r.year), ("name", &r.name), ("goal", &r.goal)]),
            layout: cx.text(&r.layout),
            amount_unit: cx.amount_unit(&r.amount_unit),
            precision: cx.precision(&r.precision),
            ..cx.common(&r.year, &r.unit, &r.name, r.indicators, r.signoff)
        },
    };
    form.projects = items
        .into_iter()
        .map(|item| further(item, &form, cx))
        .collect();
    form
}

/// One further project of `projects`: typed like the file's own, with the file's year, unit of
/// amounts and precision (and its unit, unless the item names one). A required key the item
/// leaves out is reported at the item, not at the top of the file.
fn further(item: raw::At<raw::Project>, first: &ProjectForm, cx: &mut Cx) -> ProjectForm {
    let at = item.loc;
    let mut p = project(item.value, cx);
    let c = &mut p.common;
    c.year = first.common.year.clone();
    c.amount_unit = first.common.amount_unit.clone();
    c.precision = first.common.precision.clone();
    if c.unit.is_none() {
        c.unit = first.common.unit.clone();
    }
    for key in ["name", "goal"] {
        if c.blanks.get(key).is_none() {
            c.blanks.0.push((key, at));
        }
    }
    if c.indicators.loc == Loc::START {
        c.indicators.loc = at;
    }
    if p.funds.loc == Loc::START {
        p.funds.loc = at;
    }
    p
}

fn department(r: raw::Department, cx: &mut Cx) -> DepartmentForm {
    let s = &r.staff.value;
    let staff = Staff {
        loc: block_loc(&r.staff, Loc::START),
        quota: cx.count(&s.quota, "编制控制数"),
        total: cx.count(&s.total, "在职人员总数"),
        administrative: cx.count(&s.administrative, "行政编制人数"),
        institutional: cx.count(&s.institutional, "事业编制人数"),
        extra: cx.count(&s.extra, "编外人数"),
        blanks: blanks(&[
            ("quota", &s.quota),
            ("total", &s.total),
            ("administrative", &s.administrative),
            ("institutional", &s.institutional),
            ("extra", &s.extra),
        ]),
    };
    let l = &r.last_year.value;
    let last_year = LastYear {
        loc: block_loc(&r.last_year, Loc::START),
        approved: cx.amount(&l.approved, "批复数"),
        adjusted: cx.amount(&l.adjusted, "调整数"),
        actual: cx.amount(&l.actual, "实际支出数"),
        rate: cx.percent(&l.rate, "执行率"),
        carryover: cx.amount(&l.carryover, "年末结转结余数"),
    };
    let budget_loc = block_loc(&r.budget, Loc::START);
    let budget = Budget {
        loc: budget_loc,
        income: income(&r.budget.value.income, budget_loc, cx),
        expense: expense(&r.budget.value.expense, budget_loc, cx),
    };
    let history = r
        .history
        .value
        .iter()
        .map(|h| PriorYear {
            loc: h.loc,
            year: cx.year(&h.value.year),
            income: income(&h.value.income, h.loc, cx),
            expense: expense(&h.value.expense, h.loc, cx),
        })
        .collect();
    let d = &r.decomposition.value;
    let decomposition = Decomposition {
        functions: cx.text(&d.functions),
        midterm: cx.text(&d.midterm),
        annual: cx.text(&d.annual),
    };
    let tasks_loc = block_loc(&r.tasks, Loc::START);
    let tasks = r
        .tasks
        .value
        .iter()
        .map(|t| {
            let loc = t.loc;
            let t = &t.value;
            Task {
                loc,
                name: cx.text(&t.name),
                content: cx.text(&t.content),
                goal: cx.text(&t.goal),
                amount: cx.amount(&t.amount, "预算金额"),
                fiscal: cx.amount(&t.fiscal, "财政"),
                other: cx.amount(&t.other, "其他"),
            }
        })
        .collect();
    let duties_loc = block_loc(&r.duties, Loc::START);
    let duties = r
        .duties
        .value
        .iter()
        .map(|t| {
            let loc = t.loc;
            let t = &t.value;
            Duty {
                loc,
                function: cx.text(&t.function),
                target: cx.text(&t.target),
                project: cx.text(&t.project),
                amount: cx.amount(&t.amount, "预算金额"),
            }
        })
        .collect();
    DepartmentForm {
        contact: cx.text(&r.contact),
        phone: cx.text(&r.phone),
        basis: cx.text(&r.basis),
        functions: cx.text(&r.functions),
        functions_changed: cx.boolean(&r.functions_changed, "近三年单位职能是否出现过重大变化"),
        first_level_unit: cx.boolean(&r.first_level_unit, "部门是否为一级预算主管部门"),
        field: cx.text(&r.field),
        subordinates: cx.text(&r.subordinates),
        divisions: cx.text(&r.divisions),
        staff,
        last_year,
        budget,
        remarks: cx.text(&r.remarks),
        decomposition,
        tasks,
        tasks_loc,
        budget_code: cx.text(&r.budget_code),
        goal: cx.text(&r.goal),
        duties,
        duties_loc,
        history,
        common: Common {
            blanks: blanks(&[("year", &r.year), ("name", &r.name)]),
            layout: cx.text(&r.layout),
            amount_unit: cx.amount_unit(&r.amount_unit),
            precision: cx.precision(&r.precision),
            ..cx.common(&r.year, &r.unit, &r.name, r.indicators, r.signoff)
        },
    }
}

/// 收入 (当年预算, or one year of 近两年收支金额); `parent`: where a left-out block points.
fn income(i: &raw::Block<raw::Income>, parent: Loc, cx: &mut Cx) -> Income {
    let v = &i.value;
    Income {
        loc: block_loc(i, parent),
        total: cx.amount(&v.total, "收入合计"),
        superior: cx.amount(&v.superior, "上级财政拨款"),
        local: cx.amount(&v.local, "本级财政安排"),
        other: cx.amount(&v.other, "其他"),
        general: cx.amount(&v.general, "公共财政拨款"),
        nontax: cx.amount(&v.nontax, "纳入预算管理的非税收入拨款"),
        fund: cx.amount(&v.fund, "政府性基金拨款"),
        special_account: cx.amount(&v.special_account, "纳入专户管理的非税收入拨款"),
        fiscal: cx.amount(&v.fiscal, "财政拨款"),
        blanks: blanks(&[
            ("total", &v.total),
            ("superior", &v.superior),
            ("local", &v.local),
            ("other", &v.other),
            ("general", &v.general),
            ("nontax", &v.nontax),
            ("fund", &v.fund),
            ("special_account", &v.special_account),
            ("fiscal", &v.fiscal),
        ]),
    }
}

/// 支出 (当年预算, or one year of 近两年收支金额).
fn expense(e: &raw::Block<raw::Expense>, parent: Loc, cx: &mut Cx) -> Expense {
    let v = &e.value;
    Expense {
        loc: block_loc(e, parent),
        total: cx.amount(&v.total, "支出合计"),
        personnel: cx.amount(&v.personnel, "人员经费"),
        public: cx.amount(&v.public, "公用经费"),
        project: cx.amount(&v.project, "项目经费"),
        basic: cx.amount(&v.basic, "基本支出"),
        other: cx.amount(&v.other, "其他支出"),
        blanks: blanks(&[
            ("total", &v.total),
            ("personnel", &v.personnel),
            ("public", &v.public),
            ("project", &v.project),
            ("basic", &v.basic),
            ("other", &v.other),
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(text: &str) -> (ProjectForm, Vec<Diagnostic>) {
        let out = parse(text);
        match out.declaration {
            Some(Declaration::Project(p)) => (p, out.diagnostics),
            other => panic!("not a project: {other:?} {:?}", out.diagnostics),
        }
    }

    #[test]
    fn amounts_keep_their_exact_text_and_location() {
        let (p, diags) = project("form: project\nfunds:\n  total: 463.79\n  fiscal: '1,200'\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            p.funds.total,
            Entry::Given(Located::new("463.79".parse().unwrap(), Loc::new(3, 10)))
        );
        assert_eq!(p.funds.fiscal.value(), Some("1200".parse().unwrap()));
        // A block is located where its content starts (the line after `funds:`).
        assert_eq!(p.funds.loc.line, 3);
        assert!(p.funds.other.is_blank());
        assert_eq!(
            p.funds.blanks,
            Blanks::default(),
            "`other` was left out, not written empty"
        );
        let (p, _) = project("form: project\nname:\nfunds:\n  total: 1\n  other:   # blank\n");
        assert_eq!(p.funds.blanks.get("other"), Some(Loc::new(5, 8)));
        assert_eq!(p.common.blanks.get("name"), Some(Loc::new(2, 5)));
        assert_eq!(p.common.blanks.get("year"), None);
    }

    #[test]
    fn chinese_labels_are_keys_too() {
        let (p, diags) = project("表单: project\n项目名称: 刻章\n项目资金:\n  年度资金总额: 150\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(p.common.name.unwrap().value, "刻章");
        assert_eq!(p.funds.total.value(), Some("150".parse().unwrap()));
    }

    #[test]
    fn indicators_shorthand_full_and_locations() {
        let text = "form: project\nindicators:\n  产出指标:\n    数量指标:\n      - 家数: ≥7500家\n      - name: 刻章数\n        value: =4枚\n        weight: 10\n";
        let (p, diags) = project(text);
        assert!(diags.is_empty(), "{diags:?}");
        let l1 = &p.common.indicators.groups[0];
        assert_eq!(l1.name.loc, Loc::new(3, 3));
        let items = &l1.groups[0].items;
        assert_eq!(items[0].name.value, "家数");
        assert_eq!(items[0].name.loc, Loc::new(5, 9));
        assert_eq!(items[0].value.value.display(), "≥7500家");
        assert_eq!(items[1].name.value, "刻章数");
        assert_eq!(items[1].value.loc.line, 7);
        assert_eq!(items[1].weight.value(), Some("10".parse().unwrap()));
    }

    #[test]
    fn free_text_under_a_level1_in_flow_and_block_lists_under_any_label() {
        let text = "form: project\n绩效指标:\n  产出指标:\n    - 指标1：完成高标准农田2.6万亩\n    - \"指标2: 合格率100%\"\n  效益指标: [指标1：粮食增产]\n  满意度指标:\n    服务对象满意度指标:\n      - 满意度: ≥95%\n";
        let (p, diags) = project(text);
        assert!(diags.is_empty(), "{diags:?}");
        let ind = &p.common.indicators;
        assert_eq!(ind.count(), 4);
        assert!(ind.has_free_text());
        let out = &ind.groups[0];
        assert!(out.groups.is_empty());
        assert_eq!(out.texts.len(), 2);
        assert_eq!(out.texts[0].name.value, "指标1：完成高标准农田2.6万亩");
        assert_eq!(out.texts[0].name.loc, Loc::new(4, 7));
        assert_eq!(out.texts[1].name.value, "指标2: 合格率100%");
        assert!(out.texts[0].value.value.is_empty());
        assert_eq!(ind.groups[1].texts[0].name.value, "指标1：粮食增产");
        // Free text first in its 一级, canonically placed, without a 二级.
        let placed = ind.canonical();
        assert_eq!(placed.len(), 4);
        assert!(placed[0].is_free_text() && placed[0].names() == ("产出指标", ""));
        assert!(!placed[3].is_free_text());
        // The 二级 form still reads as before.
        assert!(ind.groups[2].texts.is_empty() && ind.groups[2].groups.len() == 1);
    }

    #[test]
    fn a_mapping_under_free_text_is_a_located_error_in_words() {
        // `指标1: …` with a half-width colon reads as a key: said so, the item left out, the
        // rest of the list read.
        let text = "form: project\nindicators:\n  产出指标:\n    - 指标1: 完成高标准农田\n    - 指标2：验收\n    - [a, b]\n";
        let (p, diags) = project(text);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert_eq!(diags[0].code, Code::YamlType);
        assert_eq!(diags[0].loc, Loc::new(4, 7));
        assert!(diags[0].zh.contains("全角 “：”") && diags[0].zh.contains("“指标1: …”"));
        assert!(diags[0].en.contains("either free text or 二级 groups"));
        assert_eq!(diags[1].loc, Loc::new(6, 7));
        // Kept, so that the 一级 does not also read as empty: one slip, one error.
        assert_eq!(p.common.indicators.groups[0].texts.len(), 3);
        // A 三级 written without its 二级: the same error (free text and 二级 do not mix).
        let (_, diags) = project("form: project\nindicators:\n  产出指标:\n    - 家数: ≥10家\n");
        assert_eq!(diags.len(), 1);
        assert!(diags[0].zh.contains("写在二级指标下"));
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let out = parse("form: project\nnmae: x\n");
        let d = &out.diagnostics[0];
        assert_eq!(d.code, Code::YamlUnknownKey);
        assert_eq!(d.loc.line, 2);
        assert!(d.en.contains("`name`"), "{}", d.en);
    }

    #[test]
    fn bad_amount_is_located_and_blank_stays_blank() {
        let (p, diags) = project("form: project\nfunds:\n  total: -5\n  other:\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::AmountFormat);
        assert_eq!(diags[0].loc, Loc::new(3, 10));
        assert!(p.funds.total.is_invalid());
        assert!(p.funds.other.is_blank());
    }

    #[test]
    fn shape_errors_speak_the_users_language() {
        let d = &parse("form: project\nfunds: 150\n").diagnostics[0];
        assert_eq!((d.code, d.loc.line), (Code::YamlType, 2));
        assert!(
            d.zh.contains("映射") && !d.en.contains("mapping start"),
            "{} / {}",
            d.zh,
            d.en
        );
        let d = &parse("form: project\nname: a\nname: b\n").diagnostics[0];
        assert_eq!(
            d.en,
            "duplicate key `name` (already on line 2): a key may appear once in a mapping; delete one"
        );
        assert_eq!(d.loc, Loc::new(3, 1));
    }

    #[test]
    fn every_problem_of_a_file_in_one_pass_in_source_order() {
        // Six misspellings at four levels, a type error and a rule (funds.sum): all in one run.
        let text = "form: project\nnmae: 测试\nyaer: 2023\nfunds:\n  totl: 1\n  fiscal: 2\n  toal: 3\n  total: 1\n\
                    goal: [a, b]\nindicators:\n  产出指标:\n    数量指标:\n      - name: 家数\n        valeu: 1\n\
                    signoff:\n  prepaer: 张三\n";
        let c = crate::check::check_source(
            crate::inputs::SourceFile {
                path: "t.yaml".into(),
                text: text.into(),
                diagnostics: Vec::new(),
            },
            &crate::validate::AllGlyphs,
        );
        let unknown: Vec<u32> = c
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::YamlUnknownKey)
            .map(|d| d.loc.line)
            .collect();
        assert_eq!(unknown, [2, 3, 5, 7, 14, 16], "{:?}", c.diagnostics);
        assert!(
            c.diagnostics
                .iter()
                .any(|d| d.code == Code::YamlType && d.loc.line == 9),
            "{:?}",
            c.diagnostics
        );
        assert!(
            c.diagnostics.iter().any(|d| d.code == Code::FundsSum),
            "{:?}",
            c.diagnostics
        );
        let lines: Vec<u32> = c.diagnostics.iter().map(|d| d.loc.line).collect();
        assert!(lines.is_sorted(), "{lines:?}");
    }

    #[test]
    fn a_key_and_its_label_are_one_key_at_every_level() {
        for (text, line) in [
            ("form: project\nname: a\n项目名称: b\n", 3),
            ("form: project\nfunds:\n  total: 1\n  年度资金总额: 1\n", 4),
            (
                "form: project\nindicators:\n  产出指标:\n    数量指标:\n      - value: 1\n        指标值: 2\n",
                6,
            ),
            (
                "form: project\nindicators:\n  产出指标:\n    数量指标:\n      - name: a\n        三级指标: b\n",
                6,
            ),
            (
                "form: project\nindicators:\n  产出指标:\n    数量指标:\n      - op: ≥\n        指标性质: ≤\n",
                6,
            ),
            (
                "form: project\nindicators:\n  产出指标:\n    数量指标:\n      - weight: 1\n        权重: 2\n",
                6,
            ),
            (
                "form: project\nindicators:\n  产出指标:\n    数量指标:\n      - a: 1\n  产出指标:\n",
                6,
            ),
        ] {
            let out = parse(text);
            let d = out
                .diagnostics
                .iter()
                .find(|d| d.code == Code::YamlDuplicateKey);
            assert_eq!(
                d.map(|d| d.loc.line),
                Some(line),
                "{text}: {:?}",
                out.diagnostics
            );
        }
        let d = &parse("form: project\nname: a\n项目名称: b\n").diagnostics[0];
        assert!(
            d.zh.contains("同一个键") && d.en.contains("same key as `name` on line 2"),
            "{d:?}"
        );
    }

    #[test]
    fn parser_messages_are_in_the_users_words() {
        for (text, code, words) in [
            ("form: project\n~: x\n", Code::YamlType, "key is missing"),
            (
                "form: project\n---\nform: project\n",
                Code::YamlSyntax,
                "second document",
            ),
            (
                "form: project\nname: !!binary 5Yi756ug\n",
                Code::YamlTag,
                "not supported",
            ),
            (
                "form: project\nfunds:\n  total: 1e400\n",
                Code::AmountFormat,
                "without an exponent",
            ),
            (
                "form: project\nfunds:\n  total: .inf\n",
                Code::AmountFormat,
                "infinity",
            ),
            (
                "form: project\nfunds:\n  total: .nan\n",
                Code::AmountFormat,
                "not-a-number",
            ),
            (
                "form: project\nfunds:\n  total: 123456789012345678901234567890\n",
                Code::AmountFormat,
                "too large",
            ),
            (
                "form: project\nfunds:\n  total: 1.1234567890123456789012345678901\n",
                Code::AmountFormat,
                "has 31",
            ),
            (
                "form: project\nfunds: 150\n",
                Code::YamlType,
                "must be a mapping",
            ),
        ] {
            let out = parse(text);
            let d = out
                .diagnostics
                .iter()
                .find(|d| d.code == code)
                .unwrap_or_else(|| panic!("{text}: {:?}", out.diagnostics));
            assert!(d.en.contains(words), "{text}: {}", d.en);
            for leak in [
                "from_str",
                "Option<",
                "serde",
                "invalid type",
                "budget breached",
            ] {
                assert!(
                    !d.en.contains(leak) && !d.zh.contains(leak),
                    "{text}: {d:?}"
                );
            }
        }
    }

    #[test]
    fn duplicate_keys_and_syntax() {
        assert_eq!(
            parse("form: project\nname: a\nname: b\n").diagnostics[0].code,
            Code::YamlDuplicateKey
        );
        assert_eq!(
            parse("form: project\nname: [a\n").diagnostics[0].code,
            Code::YamlSyntax
        );
    }

    #[test]
    fn seed_examples_parse() {
        for f in [
            "chaisang-2023-project.yaml",
            "chaisang-2023-department.yaml",
        ] {
            let text = std::fs::read_to_string(format!("{}/data/{f}", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
            let out = parse(&text);
            assert!(out.diagnostics.is_empty(), "{f}: {:?}", out.diagnostics);
            let decl = out.declaration.unwrap();
            let n = decl.indicators().count();
            assert_eq!(n, if f.contains("project") { 13 } else { 21 }, "{f}");
        }
    }
}
