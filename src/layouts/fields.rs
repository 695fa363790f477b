//! The declaration fields a layout may print, by form kind: each field's path as layouts name
//! it (`funds.total`, `tasks.name`), how it reads from a [`Declaration`], and which of them a
//! declaration actually fills (for `layout.unprinted`).
//!
//! A new field of a form kind is one line in its table here; the layout language itself does
//! not change.

use rust_decimal::Decimal;

use crate::declaration::{
    Declaration, DepartmentForm, Entry, FormKind, ProjectForm, Source, Task, Text,
};

/// A field's value, before the layout decides how it prints.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Blank,
    Text(String),
    /// 万元.
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
    ("budget.expense.total", |d| money(&d.budget.expense.total)),
    ("budget.expense.personnel", |d| {
        money(&d.budget.expense.personnel)
    }),
    ("budget.expense.public", |d| money(&d.budget.expense.public)),
    ("budget.expense.project", |d| {
        money(&d.budget.expense.project)
    }),
    ("remarks", |d| text(&d.remarks)),
    ("decomposition.functions", |d| {
        text(&d.decomposition.functions)
    }),
    ("decomposition.midterm", |d| text(&d.decomposition.midterm)),
    ("decomposition.annual", |d| text(&d.decomposition.annual)),
];

const TASK: &[(&str, Get<Task>)] = &[
    ("name", |t| text(&t.name)),
    ("content", |t| text(&t.content)),
    ("goal", |t| text(&t.goal)),
    ("amount", |t| money(&t.amount)),
    ("fiscal", |t| money(&t.fiscal)),
    ("other", |t| money(&t.other)),
];

const SOURCE: &[(&str, Get<Source>)] = &[
    ("name", |s| Value::Text(s.name.value.trim().to_string())),
    ("amount", |s| money(&s.amount)),
];

/// What an indicator column may show. `explanation` (指标解释) and `standard` (绩效标准) belong
/// to layouts of `variants.md` whose declarations do not have them yet: a layout naming them is
/// refused with `layout.field` until they do.
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
];

/// The indicator columns the declaration has.
pub const INDICATOR_DECLARED: &[&str] = &[
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
];

/// The lists a form kind has, each with its item fields.
pub fn lists(kind: FormKind) -> &'static [&'static str] {
    match kind {
        FormKind::Project => &["funds.sources"],
        FormKind::Department => &["tasks"],
        FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval => &[super::selfeval::EXECUTION_ROWS],
    }
}

/// The item fields of `list`.
pub fn item_fields(list: &str) -> Vec<&'static str> {
    match list {
        "tasks" => TASK.iter().map(|(n, _)| *n).collect(),
        "funds.sources" => SOURCE.iter().map(|(n, _)| *n).collect(),
        super::selfeval::EXECUTION_ROWS => super::selfeval::ROW_FIELDS.to_vec(),
        _ => Vec::new(),
    }
}

/// Every scalar field path of a form kind.
pub fn scalars(kind: FormKind) -> Vec<&'static str> {
    if matches!(kind, FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval) {
        return super::selfeval::scalars();
    }
    let own: Vec<&'static str> = match kind {
        FormKind::Project => PROJECT.iter().map(|(n, _)| *n).collect(),
        FormKind::Department => DEPARTMENT.iter().map(|(n, _)| *n).collect(),
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
    out.extend(INDICATOR_DECLARED.iter().map(|c| format!("indicators.{c}")));
    if matches!(kind, FormKind::ProjectSelfeval | FormKind::DepartmentSelfeval) {
        out.extend(super::selfeval::RESULT_COLUMNS.iter().map(|c| format!("indicators.{c}")));
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
            .find(|(n, _)| *n == path)
            .map(|(_, get)| get(d)),
        Declaration::SelfEval(_) => None,
    }
}

/// The number of items of `list`.
pub fn list_len(decl: &Declaration, list: &str) -> usize {
    match (decl, list) {
        (Declaration::Project(p), "funds.sources") => p.funds.sources.len(),
        (Declaration::Department(d), "tasks") => d.tasks.len(),
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
    let mut out: Vec<String> = scalars(kind)
        .into_iter()
        .filter(|p| scalar(decl, p).is_some_and(|v| !v.is_blank()))
        .map(String::from)
        .collect();
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
    for i in indicators {
        any = true;
        note |= i.note.as_ref().is_some_and(|n| !n.value.trim().is_empty());
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
    out
}

/// Whether `path` holds money or a rate (its cells print right-aligned as amounts by default).
pub fn is_numeric(path: &str) -> bool {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    (path.starts_with("funds.") && path != "funds.sources.name")
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
        (_, "indicators.note") => first(
            &mut decl
                .indicators()
                .groups
                .iter()
                .flat_map(|g| &g.groups)
                .flat_map(|g| &g.items)
                .map(|i| i.note.as_ref().map(|n| n.loc)),
        ),
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
