//! The declaration fields a layout may print, by form kind: each field's path as layouts name
//! it (`funds.total`, `tasks.name`), how it reads from a [`Declaration`], and which of them a
//! declaration actually fills (for `layout.unprinted`).
//!
//! A new field of a form kind is one line in its table here; the layout language itself does
//! not change.

use rust_decimal::Decimal;

use crate::declaration::{
    Declaration, DepartmentForm, Duty, Entry, FormKind, Indicators, ProjectForm, Source, Task, Text,
};

/// A field's value, before the layout decides how it prints.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Blank,
    Text(String),
    /// An amount in the declaration's `amount_unit` (万元 unless it says 元).
    Money(Decimal),
    /// Percent (397.25 means 397.25 %).
    Percent(Decimal),
    Count(u32),
    Check(bool),
    /// A score or a fractional 分值 (self-evaluations): two places, whatever the money unit.
    Score(Decimal),
}

impl Value {
    pub fn is_blank(&self) -> bool {
        matches!(self, Value::Blank)
    }
}

pub(super) fn text(t: &Text) -> Value {
    match t.as_ref().map(|l| l.value.trim()) {
        Some(s) if !s.is_empty() => Value::Text(s.to_string()),
        _ => Value::Blank,
    }
}

pub(super) fn money(e: &Entry<Decimal>) -> Value {
    e.value().map_or(Value::Blank, Value::Money)
}

fn count(e: &Entry<u32>) -> Value {
    e.value().map_or(Value::Blank, Value::Count)
}

fn check(e: &Entry<bool>) -> Value {
    e.value().map_or(Value::Blank, Value::Check)
}

type Get<F> = fn(&F) -> Value;

/// Fields both forms have.
const COMMON: &[(&str, Get<crate::declaration::Common>)] = &[
    ("year", |c| {
        c.year
            .value()
            .map_or(Value::Blank, |y| Value::Text(y.to_string()))
    }),
    ("unit", |c| text(&c.unit)),
    ("name", |c| text(&c.name)),
    ("signoff.preparer", |c| {
        c.signoff
            .as_ref()
            .map_or(Value::Blank, |s| text(&s.preparer))
    }),
    ("signoff.phone", |c| {
        c.signoff.as_ref().map_or(Value::Blank, |s| text(&s.phone))
    }),
    ("signoff.head", |c| {
        c.signoff.as_ref().map_or(Value::Blank, |s| text(&s.head))
    }),
    ("signoff.date", |c| {
        c.signoff.as_ref().map_or(Value::Blank, |s| text(&s.date))
    }),
    ("signoff.project_head", |c| {
        c.signoff
            .as_ref()
            .map_or(Value::Blank, |s| text(&s.project_head))
    }),
    ("signoff.liaison", |c| {
        c.signoff
            .as_ref()
            .map_or(Value::Blank, |s| text(&s.liaison))
    }),
];

const PROJECT: &[(&str, Get<ProjectForm>)] = &[
    ("department", |p| text(&p.department)),
    ("implementer", |p| text(&p.implementer)),
    ("attribute", |p| text(&p.attribute)),
    ("period", |p| text(&p.period)),
    ("goal", |p| text(&p.goal)),
    ("funds.total", |p| money(&p.funds.total)),
    ("funds.fiscal", |p| money(&p.funds.fiscal)),
    ("funds.other", |p| money(&p.funds.other)),
    ("midterm_funds.total", |p| money(&p.midterm_funds.total)),
    ("midterm_funds.fiscal", |p| money(&p.midterm_funds.fiscal)),
    ("midterm_funds.other", |p| money(&p.midterm_funds.other)),
    ("midterm_goal", |p| text(&p.midterm_goal)),
    ("department_code", |p| text(&p.department_code)),
];

const COST: &[(&str, Get<crate::declaration::Cost>)] = &[
    ("item", |c| text(&c.item)),
    ("amount", |c| money(&c.amount)),
    ("basis", |c| text(&c.basis)),
    ("prior", |c| money(&c.prior)),
];

const DEPARTMENT: &[(&str, Get<DepartmentForm>)] = &[
    ("contact", |d| text(&d.contact)),
    ("phone", |d| text(&d.phone)),
    ("basis", |d| text(&d.basis)),
    ("functions", |d| text(&d.functions)),
    ("functions_changed", |d| check(&d.functions_changed)),
    ("first_level_unit", |d| check(&d.first_level_unit)),
    ("field", |d| text(&d.field)),
    ("subordinates", |d| text(&d.subordinates)),
    ("divisions", |d| text(&d.divisions)),
    ("staff.quota", |d| count(&d.staff.quota)),
    ("staff.total", |d| count(&d.staff.total)),
    ("staff.administrative", |d| count(&d.staff.administrative)),
    ("staff.institutional", |d| count(&d.staff.institutional)),
    ("staff.extra", |d| count(&d.staff.extra)),
    ("last_year.approved", |d| money(&d.last_year.approved)),
    ("last_year.adjusted", |d| money(&d.last_year.adjusted)),
    ("last_year.actual", |d| money(&d.last_year.actual)),
    // The rate printed is the one given, else the one computed from the form.
    ("last_year.rate", |d| {
        d.last_year
            .execution_rate()
            .map_or(Value::Blank, Value::Percent)
    }),
    ("last_year.carryover", |d| money(&d.last_year.carryover)),
    ("budget.income.total", |d| money(&d.budget.income.total)),
    ("budget.income.superior", |d| {
        money(&d.budget.income.superior)
    }),
    ("budget.income.local", |d| money(&d.budget.income.local)),
    ("budget.income.other", |d| money(&d.budget.income.other)),
    ("budget.income.general", |d| money(&d.budget.income.general)),
    ("budget.income.nontax", |d| money(&d.budget.income.nontax)),
    ("budget.income.fund", |d| money(&d.budget.income.fund)),
    ("budget.income.special_account", |d| {
        money(&d.budget.income.special_account)
    }),
    ("budget.income.fiscal", |d| money(&d.budget.income.fiscal)),
    ("budget.expense.total", |d| money(&d.budget.expense.total)),
    ("budget.expense.personnel", |d| {
        money(&d.budget.expense.personnel)
    }),
    ("budget.expense.public", |d| money(&d.budget.expense.public)),
    ("budget.expense.project", |d| {
        money(&d.budget.expense.project)
    }),
    ("budget.expense.basic", |d| money(&d.budget.expense.basic)),
    ("budget.expense.other", |d| money(&d.budget.expense.other)),
    ("budget_code", |d| text(&d.budget_code)),
    ("goal", |d| text(&d.goal)),
    ("remarks", |d| text(&d.remarks)),
    ("decomposition.functions", |d| {
        text(&d.decomposition.functions)
    }),
    ("decomposition.midterm", |d| text(&d.decomposition.midterm)),
    ("decomposition.annual", |d| text(&d.decomposition.annual)),
    // 占比: each part's share of its 合计, computed (hubei-2021).
    ("budget.income.fiscal_share", |d| {
        share(&d.budget.income.fiscal, &d.budget.income.total)
    }),
    ("budget.income.other_share", |d| {
        share(&d.budget.income.other, &d.budget.income.total)
    }),
    ("budget.income.total_share", |d| {
        share(&d.budget.income.total, &d.budget.income.total)
    }),
    ("budget.expense.basic_share", |d| {
        share(&d.budget.expense.basic, &d.budget.expense.total)
    }),
    ("budget.expense.project_share", |d| {
        share(&d.budget.expense.project, &d.budget.expense.total)
    }),
    ("budget.expense.total_share", |d| {
        share(&d.budget.expense.total, &d.budget.expense.total)
    }),
];

/// `part` ÷ `total` in percent, rounded to 0.01% (blank when either is blank or the total 0).
fn share(part: &Entry<Decimal>, total: &Entry<Decimal>) -> Value {
    part.value()
        .zip(total.value())
        .and_then(|(p, t)| crate::declaration::amount::rate_percent(p, t))
        .map_or(Value::Blank, Value::Percent)
}

/// Year `n` (1-based, as written) of 近两年收支金额.
fn prior(d: &DepartmentForm, n: usize) -> Option<&crate::declaration::PriorYear> {
    d.history.get(n - 1)
}

/// The fields of years 1 and 2 of 近两年收支金额: `history.1.year` (printed `2023年`, for a
/// column header), `history.1.income.total|fiscal|other`, `history.1.expense.total|basic|project`.
macro_rules! history {
    ($($n:literal),*) => {
        &[$(
            (concat!("history.", $n, ".year"), |d| {
                prior(d, $n)
                    .and_then(|p| p.year.value())
                    .map_or(Value::Blank, |y| Value::Text(format!("{y}年")))
            }),
            (concat!("history.", $n, ".income.total"), |d| prior(d, $n).map_or(Value::Blank, |p| money(&p.income.total))),
            (concat!("history.", $n, ".income.fiscal"), |d| prior(d, $n).map_or(Value::Blank, |p| money(&p.income.fiscal))),
            (concat!("history.", $n, ".income.other"), |d| prior(d, $n).map_or(Value::Blank, |p| money(&p.income.other))),
            (concat!("history.", $n, ".expense.total"), |d| prior(d, $n).map_or(Value::Blank, |p| money(&p.expense.total))),
            (concat!("history.", $n, ".expense.basic"), |d| prior(d, $n).map_or(Value::Blank, |p| money(&p.expense.basic))),
            (concat!("history.", $n, ".expense.project"), |d| prior(d, $n).map_or(Value::Blank, |p| money(&p.expense.project))),
        )*]
    };
}

const HISTORY: &[(&str, Get<DepartmentForm>)] = history!(1, 2);

const TASK: &[(&str, Get<Task>)] = &[
    ("name", |t| text(&t.name)),
    ("content", |t| text(&t.content)),
    ("goal", |t| text(&t.goal)),
    ("amount", |t| money(&t.amount)),
    ("fiscal", |t| money(&t.fiscal)),
    ("other", |t| money(&t.other)),
];

const DUTY: &[(&str, Get<Duty>)] = &[
    ("function", |t| text(&t.function)),
    ("target", |t| text(&t.target)),
    ("project", |t| text(&t.project)),
    ("amount", |t| money(&t.amount)),
];

const SOURCE: &[(&str, Get<Source>)] = &[
    ("name", |s| Value::Text(s.name.value.trim().to_string())),
    ("amount", |s| money(&s.amount)),
];

/// What an indicator column may show.
pub const INDICATOR_COLUMNS: &[&str] = &[
    "level1",
    "level2",
    "name",
    "value",
    "note",
    "weight",
    "direction",
    "nature",
    "unit",
    "number",
    "explanation",
    "standard",
    "field",
];

/// The 中期 indicators of a project declaration (mof-2015's paired table); `None` for a
/// department.
pub fn midterm_indicators(decl: &Declaration) -> Option<&Indicators> {
    match decl {
        Declaration::Project(p) => Some(&p.midterm_indicators),
        _ => None,
    }
}

/// The lists a form kind has, each with its item fields.
pub fn lists(kind: FormKind) -> &'static [&'static str] {
    match kind {
        FormKind::Project => &["funds.sources", "costs"],
        FormKind::Department => &["tasks", "duties"],
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval => {
            &[super::selfeval::EXECUTION_ROWS]
        }
    }
}

/// The item fields of `list`.
pub fn item_fields(list: &str) -> Vec<&'static str> {
    match list {
        "tasks" => TASK.iter().map(|(n, _)| *n).collect(),
        "duties" => DUTY.iter().map(|(n, _)| *n).collect(),
        "costs" => COST.iter().map(|(n, _)| *n).collect(),
        "funds.sources" => SOURCE.iter().map(|(n, _)| *n).collect(),
        super::selfeval::EXECUTION_ROWS => super::selfeval::ROW_FIELDS.to_vec(),
        _ => Vec::new(),
    }
}

/// Every scalar field path of a form kind.
pub fn scalars(kind: FormKind) -> Vec<&'static str> {
    if matches!(
        kind,
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval
    ) {
        return super::selfeval::scalars();
    }
    let own: Vec<&'static str> = match kind {
        FormKind::Project => PROJECT.iter().map(|(n, _)| *n).collect(),
        FormKind::Department => DEPARTMENT.iter().chain(HISTORY).map(|(n, _)| *n).collect(),
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval => Vec::new(),
    };
    COMMON.iter().map(|(n, _)| *n).chain(own).collect()
}

/// Every field path a layout may name for `kind` (scalars and `list.item` paths), for the
/// nearest-name hint.
pub fn all_paths(kind: FormKind) -> Vec<String> {
    let mut out: Vec<String> = scalars(kind).into_iter().map(String::from).collect();
    for list in lists(kind) {
        out.extend(item_fields(list).into_iter().map(|f| format!("{list}.{f}")));
    }
    out.extend(INDICATOR_COLUMNS.iter().map(|c| format!("indicators.{c}")));
    if matches!(
        kind,
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval
    ) {
        out.extend(
            super::selfeval::RESULT_COLUMNS
                .iter()
                .map(|c| format!("indicators.{c}")),
        );
    }
    out
}

/// The value of scalar field `path`; `None` when the form has no such field.
pub fn scalar(decl: &Declaration, path: &str) -> Option<Value> {
    if let Declaration::SelfEval(f) = decl {
        return super::selfeval::scalar(f, path);
    }
    if let Some((_, get)) = COMMON.iter().find(|(n, _)| *n == path) {
        return Some(get(decl.common()));
    }
    match decl {
        Declaration::Project(p) => PROJECT
            .iter()
            .find(|(n, _)| *n == path)
            .map(|(_, get)| get(p)),
        Declaration::Department(d) => DEPARTMENT
            .iter()
            .chain(HISTORY)
            .find(|(n, _)| *n == path)
            .map(|(_, get)| get(d)),
        Declaration::SelfEval(_) => None,
    }
}

/// The value of scalar field `path` of one project (the file's or one of its `projects`).
pub fn project_scalar(p: &ProjectForm, path: &str) -> Option<Value> {
    COMMON
        .iter()
        .find(|(n, _)| *n == path)
        .map(|(_, get)| get(&p.common))
        .or_else(|| {
            PROJECT
                .iter()
                .find(|(n, _)| *n == path)
                .map(|(_, get)| get(p))
        })
}

/// The number of items of `list`.
pub fn list_len(decl: &Declaration, list: &str) -> usize {
    match (decl, list) {
        (Declaration::Project(p), "funds.sources") => p.funds.sources.len(),
        (Declaration::Project(p), "costs") => p.costs.len(),
        (Declaration::Department(d), "tasks") => d.tasks.len(),
        (Declaration::Department(d), "duties") => d.duties.len(),
        (Declaration::SelfEval(f), super::selfeval::EXECUTION_ROWS) => f.execution.rows.len(),
        _ => 0,
    }
}

/// Field `leaf` of item `index` of `list`.
pub fn item(decl: &Declaration, list: &str, index: usize, leaf: &str) -> Value {
    match (decl, list) {
        (Declaration::Project(p), "funds.sources") => p.funds.sources.get(index).and_then(|s| {
            SOURCE
                .iter()
                .find(|(n, _)| *n == leaf)
                .map(|(_, get)| get(s))
        }),
        (Declaration::Department(d), "tasks") => d
            .tasks
            .get(index)
            .and_then(|t| TASK.iter().find(|(n, _)| *n == leaf).map(|(_, get)| get(t))),
        (Declaration::Project(p), "costs") => p
            .costs
            .get(index)
            .and_then(|c| COST.iter().find(|(n, _)| *n == leaf).map(|(_, get)| get(c))),
        (Declaration::Department(d), "duties") => d
            .duties
            .get(index)
            .and_then(|t| DUTY.iter().find(|(n, _)| *n == leaf).map(|(_, get)| get(t))),
        (Declaration::SelfEval(f), super::selfeval::EXECUTION_ROWS) => {
            Some(super::selfeval::row(f, index, leaf))
        }
        _ => None,
    }
    .unwrap_or(Value::Blank)
}

/// The fields a declaration fills (non-blank), as layout paths, for `layout.unprinted`: scalars,
/// `list.item` paths filled in some item, and the indicator columns some indicator fills.
/// `weight` and `direction` are left out: every layout's workbook lists them (指标明细).
pub fn filled(decl: &Declaration) -> Vec<String> {
    if let Declaration::SelfEval(f) = decl {
        let mut out = super::selfeval::filled(f);
        if !decl.indicators().canonical().is_empty() {
            out.extend(["level1", "level2", "name", "value"].map(|c| format!("indicators.{c}")));
        }
        return out;
    }
    let kind = decl.kind();
    // 占比 is computed, not declared: a layout without it loses nothing.
    let mut out: Vec<String> = scalars(kind)
        .into_iter()
        .filter(|p| !p.ends_with("_share"))
        .filter(|p| scalar(decl, p).is_some_and(|v| !v.is_blank()))
        .map(String::from)
        .collect();
    // Layouts print two years of 近两年收支金额; a third one is reported, not dropped.
    if let Declaration::Department(d) = decl {
        out.extend((3..=d.history.len()).map(|n| format!("history.{n}")));
    }
    // Further projects print only in a layout with one band per project.
    if let Declaration::Project(p) = decl
        && !p.projects.is_empty()
    {
        out.push("projects".into());
    }
    for list in lists(kind) {
        for leaf in item_fields(list) {
            if (0..list_len(decl, list)).any(|i| !item(decl, list, i, leaf).is_blank()) {
                out.push(format!("{list}.{leaf}"));
            }
        }
    }
    let indicators = decl
        .indicators()
        .groups
        .iter()
        .flat_map(|g| &g.groups)
        .flat_map(|g| &g.items);
    let mut any = false;
    let mut note = false;
    let mut explanation = false;
    let mut standard = false;
    let given = |t: &Text| t.as_ref().is_some_and(|n| !n.value.trim().is_empty());
    for i in indicators {
        any = true;
        note |= given(&i.note);
        explanation |= given(&i.explanation);
        standard |= given(&i.standard);
    }
    if any {
        out.extend(
            [
                "indicators.level1",
                "indicators.level2",
                "indicators.name",
                "indicators.value",
            ]
            .map(String::from),
        );
    }
    if note {
        out.push("indicators.note".into());
    }
    if explanation {
        out.push("indicators.explanation".into());
    }
    if standard {
        out.push("indicators.standard".into());
    }
    // The 中期 side as one field: a layout prints it whole (a `midterm` side) or not at all.
    if midterm_indicators(decl).is_some_and(|m| m.count() > 0) {
        out.push("midterm_indicators".into());
    }
    out
}

/// Whether `path` holds money or a rate (its cells print right-aligned as amounts by default).
pub fn is_numeric(path: &str) -> bool {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    (path.starts_with("funds.") && path != "funds.sources.name")
        || path.starts_with("midterm_funds.")
        || path == "duties.amount"
        || path == "costs.amount"
        || path == "costs.prior"
        || path.starts_with("last_year.")
        || path.starts_with("budget.")
        || (path.starts_with("tasks.") && matches!(leaf, "amount" | "fiscal" | "other"))
        || is_numeric_selfeval(path)
}

/// A self-evaluation's amounts, rates and scores (a `—` among them still prints centred).
fn is_numeric_selfeval(path: &str) -> bool {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    (path.starts_with("execution.") && !matches!(leaf, "name" | "reason" | "points"))
        || path == "total.score"
}

/// Whether the declaration has a sign-off block (the sign-off line prints then).
pub fn has_signoff(decl: &Declaration) -> bool {
    match decl {
        Declaration::SelfEval(f) => f.signoff.is_some(),
        _ => decl.common().signoff.is_some(),
    }
}

/// `Some(())` when `kind` has scalar field `path`.
pub fn scalar_known(kind: FormKind, path: &str) -> Option<()> {
    scalars(kind).contains(&path).then_some(())
}

/// Where the declaration fills `path` (the first item that fills it, for a list field); `None`
/// when that is not recorded.
pub fn locate(decl: &Declaration, path: &str) -> Option<crate::diagnostic::Loc> {
    let first =
        |locs: &mut dyn Iterator<Item = Option<crate::diagnostic::Loc>>| locs.flatten().next();
    if let Declaration::SelfEval(f) = decl {
        return super::selfeval::locate(f, path);
    }
    match (decl, path) {
        (_, "indicators.note" | "indicators.explanation" | "indicators.standard") => first(
            &mut decl
                .indicators()
                .groups
                .iter()
                .flat_map(|g| &g.groups)
                .flat_map(|g| &g.items)
                .map(|i| {
                    match path {
                        "indicators.note" => &i.note,
                        "indicators.explanation" => &i.explanation,
                        _ => &i.standard,
                    }
                    .as_ref()
                    .map(|n| n.loc)
                }),
        ),
        (Declaration::Project(p), "midterm_indicators") => Some(p.midterm_indicators.loc),
        (Declaration::Project(p), "midterm_goal") => p.midterm_goal.as_ref().map(|t| t.loc),
        (Declaration::Project(p), m) if m.starts_with("midterm_funds.") => {
            Some(p.midterm_funds.loc)
        }
        (Declaration::Department(d), p) if p.starts_with("duties.") => Some(d.duties_loc),
        (Declaration::Project(p), c) if c.starts_with("costs.") => Some(p.costs_loc),
        (Declaration::Department(d), "goal") => d.goal.as_ref().map(|t| t.loc),
        (Declaration::Department(d), "budget_code") => d.budget_code.as_ref().map(|t| t.loc),
        (Declaration::Department(d), p) if p.starts_with("tasks.") => {
            let leaf = &p["tasks.".len()..];
            first(&mut d.tasks.iter().map(|t| match leaf {
                "fiscal" => t.fiscal.loc(),
                "other" => t.other.loc(),
                "amount" => t.amount.loc(),
                "name" => t.name.as_ref().map(|n| n.loc),
                "content" => t.content.as_ref().map(|n| n.loc),
                "goal" => t.goal.as_ref().map(|n| n.loc),
                _ => None,
            }))
        }
        _ => None,
    }
}
