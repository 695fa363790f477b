//! Cross-form checks within a batch: a department's form and its projects' forms.
//!
//! A department submits one bundle: its 部门整体支出 form and one 项目支出 form per project. A
//! department form and the project forms in the same folder are one bundle; when both forms
//! give a 主管部门 code (the project's `department: 311001 区行政审批局`, a code in the department
//! form's name or unit), the code decides instead, across folders. A folder with several
//! department forms and no codes to tell them apart makes no bundle (nothing is guessed).
//!
//! Within a bundle, each a warning located at the department form's field and naming the
//! project files:
//! - `bundle.sum`: 项目经费 (支出 项目经费, printed 项目支出 on some layouts) ≠ Σ the projects'
//!   年度资金总额;
//! - `bundle.task`: a 年度主要任务 whose name names one project (one name contains the other)
//!   has a 预算金额 other than that project's 年度资金总额;
//! - `bundle.duplicate`: two project forms of the bundle have the same 项目名称.
//!
//! The checks need every form of the batch before the first is reported, so [`scan`] reads and
//! parses the batch once up front (a small fraction of a render) and keeps only what they need
//! of each form; the findings are then added to the department file's own diagnostics, so they
//! print, count and reach the workbook like any other warning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::declaration::amount::format_money;
use crate::declaration::{Declaration, Text};
use crate::diagnostic::{Code, Diagnostic, Loc};

/// The `bundle.*` diagnostics of a batch, by the file they belong to.
#[derive(Debug, Clone, Default)]
pub struct Findings(BTreeMap<PathBuf, Vec<Diagnostic>>);

impl Findings {
    /// The findings about `path` (none for most files).
    pub fn of(&self, path: &Path) -> Vec<Diagnostic> {
        self.0.get(path).cloned().unwrap_or_default()
    }

    /// How many diagnostics there are in all.
    pub fn len(&self) -> usize {
        self.0.values().map(Vec::len).sum()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What the bundle checks need of one form.
#[derive(Debug, Clone)]
pub struct Member {
    pub path: PathBuf,
    /// The folder the file is in (`""` for a file named without one).
    pub folder: PathBuf,
    /// The 主管部门 code the form gives, if any.
    pub code: Option<String>,
    /// The units the form names, without codes: a department's name and 填报单位; a project's
    /// 主管部门 and 填报单位. A folder bundles a project with a department only when these agree.
    pub units: Vec<String>,
    pub form: MemberForm,
}

/// The form-specific part of a [`Member`].
#[derive(Debug, Clone)]
pub enum MemberForm {
    Department {
        /// 项目经费 and where it is written.
        project_funds: Option<(Decimal, Loc)>,
        /// Where to report what has no field of its own: 项目经费, else the name, else line 1.
        anchor: Loc,
        /// 年度主要任务: name, 预算金额, where the amount (else the task) is.
        tasks: Vec<(String, Option<Decimal>, Loc)>,
    },
    Project {
        /// 项目名称, trimmed (empty when blank).
        name: String,
        /// 年度资金总额.
        total: Option<Decimal>,
    },
}

impl Member {
    /// What the checks need of `decl`, read from `path`; `None` for a self-evaluation (it
    /// reports on a year's results, not a budget the department's form adds up).
    pub fn of(path: &Path, decl: &Declaration) -> Option<Member> {
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = decl.common().name.as_ref();
        let (code, form) = match decl {
            Declaration::Department(d) => {
                let project_funds = d
                    .budget
                    .expense
                    .project
                    .value()
                    .zip(d.budget.expense.project.loc());
                let anchor = project_funds
                    .map(|(_, loc)| loc)
                    .or(name.map(|n| n.loc))
                    .unwrap_or(Loc::START);
                let tasks = d
                    .tasks
                    .iter()
                    .filter_map(|t| {
                        let name = t.name.as_ref()?.value.trim().to_string();
                        Some((name, t.amount.value(), t.amount.loc().unwrap_or(t.loc)))
                    })
                    .collect();
                let code = code_in(&d.common.name).or_else(|| code_in(&d.common.unit));
                (
                    code,
                    MemberForm::Department {
                        project_funds,
                        anchor,
                        tasks,
                    },
                )
            }
            Declaration::Project(p) => {
                let name = name.map(|n| n.value.trim().to_string()).unwrap_or_default();
                (
                    code_in(&p.department),
                    MemberForm::Project {
                        name,
                        total: p.funds.total.value(),
                    },
                )
            }
            Declaration::SelfEval(_) => return None,
        };
        let units = match decl {
            Declaration::Project(p) => [&p.department, &decl.common().unit],
            _ => [&decl.common().name, &decl.common().unit],
        }
        .into_iter()
        .filter_map(|t| {
            let text: String = t
                .as_ref()?
                .value
                .chars()
                .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
                .collect();
            (text.chars().count() >= 2).then_some(text)
        })
        .collect();
        Some(Member {
            path: path.to_path_buf(),
            folder,
            code,
            units,
            form,
        })
    }

    fn is_department(&self) -> bool {
        matches!(self.form, MemberForm::Department { .. })
    }
}

/// A 主管部门 code in a text: its first run of at least three ASCII digits (`311001` in
/// `311001 区行政审批局`).
fn code_in(text: &Text) -> Option<String> {
    let text = &text.as_ref()?.value;
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() >= 3)
        .map(str::to_string)
}

/// Reads and parses every file of a batch (in parallel) and runs the bundle checks. Files that
/// cannot be read or parsed are left out: their own diagnostics say why. So is standard input
/// (`-`): it can be read only once, by the render itself.
pub fn scan(files: &[PathBuf]) -> Findings {
    let members: Vec<Member> = files
        .par_iter()
        .filter(|path| !crate::pipe::is_stdin(path))
        .filter_map(|path| {
            let source = crate::inputs::read(path).ok()?;
            let decl = crate::declaration::parse(&source.text).declaration?;
            Member::of(path, &decl)
        })
        .collect();
    check(&members)
}

/// The bundles of `members` (each department with its projects) and their findings.
pub fn check(members: &[Member]) -> Findings {
    let departments: Vec<&Member> = members.iter().filter(|m| m.is_department()).collect();
    let mut bundles: BTreeMap<usize, Vec<&Member>> = BTreeMap::new();
    for project in members.iter().filter(|m| !m.is_department()) {
        if let Some(d) = department_of(project, &departments) {
            bundles.entry(d).or_default().push(project);
        }
    }
    let mut findings = Findings::default();
    for (d, projects) in bundles {
        let department = departments[d];
        let diagnostics = check_bundle(department, &projects);
        if !diagnostics.is_empty() {
            findings
                .0
                .entry(department.path.clone())
                .or_default()
                .extend(diagnostics);
        }
    }
    findings
}

/// The index in `departments` of the department `project` belongs to: the only one with its
/// code, else the only one in its folder (unless both give codes and they differ).
fn department_of(project: &Member, departments: &[&Member]) -> Option<usize> {
    if let Some(code) = &project.code
        && let Some(i) =
            only((0..departments.len()).filter(|&i| departments[i].code.as_ref() == Some(code)))
    {
        return Some(i);
    }
    let i = only((0..departments.len()).filter(|&i| departments[i].folder == project.folder))?;
    match (&project.code, &departments[i].code) {
        (Some(a), Some(b)) if a != b => None,
        _ if !same_units(project, departments[i]) => None,
        _ => Some(i),
    }
}

/// Whether a project names the department's unit: some unit of one contains some unit of the
/// other (主管部门 `311001 区行政审批局` and the department 柴桑区行政审批局). A side that names
/// none does not contradict. (Another department's project put in the same folder names another
/// unit, and is not compared.)
fn same_units(project: &Member, department: &Member) -> bool {
    project.units.is_empty()
        || department.units.is_empty()
        || project.units.iter().any(|p| {
            department
                .units
                .iter()
                .any(|d| p.contains(d.as_str()) || d.contains(p.as_str()))
        })
}

/// The one item of `found`; none when it has none or several.
fn only(mut found: impl Iterator<Item = usize>) -> Option<usize> {
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The file name shown in a message (the path as given).
fn shown(m: &Member) -> String {
    m.path.display().to_string()
}

fn check_bundle(department: &Member, projects: &[&Member]) -> Vec<Diagnostic> {
    let MemberForm::Department {
        project_funds,
        anchor,
        tasks,
    } = &department.form
    else {
        return Vec::new();
    };
    let project = |m: &Member| match &m.form {
        MemberForm::Project { name, total } => Some((name.clone(), *total)),
        MemberForm::Department { .. } => None,
    };
    let projects: Vec<(&Member, String, Option<Decimal>)> = projects
        .iter()
        .filter_map(|m| project(m).map(|(n, t)| (*m, n, t)))
        .collect();
    let mut out = Vec::new();

    // 项目经费 = Σ 年度资金总额, when every project gives its total.
    if let Some((funds, loc)) = project_funds
        && let Some(totals) = projects
            .iter()
            .map(|(_, _, t)| *t)
            .collect::<Option<Vec<Decimal>>>()
    {
        let sum: Decimal = totals.iter().copied().sum();
        if sum != *funds {
            let parts: Vec<String> = projects
                .iter()
                .map(|(m, _, t)| format!("{} {}", shown(m), format_money(t.unwrap_or_default())))
                .collect();
            out.push(Diagnostic::warning(
                Code::BundleSum,
                *loc,
                format!(
                    "项目经费 {} ≠ 同一批中本部门项目表的年度资金总额之和 {}（{}）",
                    format_money(*funds),
                    format_money(sum),
                    parts.join(" + ")
                ),
                format!(
                    "项目经费 {} ≠ {}, the sum of the 年度资金总额 of this department's project forms in the batch ({})",
                    format_money(*funds),
                    format_money(sum),
                    parts.join(" + ")
                ),
            ));
        }
    }

    // A task that names exactly one project agrees with its amount.
    for (task, amount, loc) in tasks {
        if task.chars().count() < 2 {
            continue;
        }
        let mut named = projects.iter().filter(|(_, name, _)| {
            !name.is_empty() && (name.contains(task.as_str()) || task.contains(name.as_str()))
        });
        let (Some((m, name, Some(total))), None, Some(amount)) =
            (named.next(), named.next(), amount)
        else {
            continue;
        };
        if amount != total {
            out.push(Diagnostic::warning(
                Code::BundleTask,
                *loc,
                format!(
                    "年度主要任务“{task}”的预算金额 {} ≠ 项目“{name}”的年度资金总额 {}（{}）",
                    format_money(*amount),
                    format_money(*total),
                    shown(m)
                ),
                format!(
                    "the 预算金额 {} of the task “{task}” ≠ the 年度资金总额 {} of the project “{name}” ({})",
                    format_money(*amount),
                    format_money(*total),
                    shown(m)
                ),
            ));
        }
    }

    // Two project forms with the same name.
    let mut by_name: BTreeMap<&str, Vec<&Member>> = BTreeMap::new();
    for (m, name, _) in &projects {
        if !name.is_empty() {
            by_name.entry(name.as_str()).or_default().push(m);
        }
    }
    for (name, files) in by_name.into_iter().filter(|(_, f)| f.len() > 1) {
        let files: Vec<String> = files.iter().map(|m| shown(m)).collect();
        out.push(Diagnostic::warning(
            Code::BundleDuplicate,
            *anchor,
            format!(
                "本部门有 {} 张同名的项目表“{name}”：{}",
                files.len(),
                files.join("、")
            ),
            format!(
                "{} project forms of this department have the same name “{name}”: {}",
                files.len(),
                files.join(", ")
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(path: &str, yaml: &str) -> Member {
        let decl = crate::declaration::parse(yaml)
            .declaration
            .expect("a declaration");
        Member::of(Path::new(path), &decl).expect("a target form")
    }

    fn department(project_funds: &str) -> String {
        format!(
            "form: department\nyear: 2023\nname: 某局\nbudget:\n  expense:\n    total: 300\n    project: {project_funds}\n\
             tasks:\n  - name: 免费刻章\n    amount: 120\n"
        )
    }

    fn project(name: &str, total: &str, code: &str) -> String {
        format!(
            "form: project\nyear: 2023\nname: {name}\ndepartment: {code}\nfunds:\n  total: {total}\n"
        )
    }

    fn codes(f: &Findings, path: &str) -> Vec<(&'static str, Loc)> {
        f.of(Path::new(path))
            .iter()
            .map(|d| (d.code.as_str(), d.loc))
            .collect()
    }

    #[test]
    fn a_bundle_whose_sums_agree_has_no_finding() {
        let m = [
            member("d/a.yaml", &department("150")),
            member(
                "d/b.yaml",
                &project("某局新开办企业免费刻章经费", "120", ""),
            ),
            member("d/c.yaml", &project("其他项目", "30", "")),
        ];
        let mut m = m.to_vec();
        // 120 + 30 = 150, and the task 免费刻章 is the 120 project.
        assert!(check(&m).is_empty(), "{:?}", check(&m));
        // Out of the folder, nothing is bundled.
        m[2].folder = PathBuf::from("e");
        assert_eq!(
            codes(&check(&m), "d/a.yaml"),
            [("bundle.sum", Loc::new(7, 14))]
        );
    }

    #[test]
    fn sum_task_and_duplicate_are_located_at_the_department_form() {
        let m = vec![
            member("d/a.yaml", &department("200")),
            member("d/b.yaml", &project("免费刻章经费", "100", "")),
            member("d/c.yaml", &project("免费刻章经费", "30", "")),
        ];
        let f = check(&m);
        let got = f.of(Path::new("d/a.yaml"));
        let found: Vec<_> = got.iter().map(|d| (d.code.as_str(), d.loc)).collect();
        // The sum at 项目经费 (line 7); no task finding (two projects named alike); the duplicate.
        assert_eq!(
            found,
            [
                ("bundle.sum", Loc::new(7, 14)),
                ("bundle.duplicate", Loc::new(7, 14))
            ]
        );
        assert!(
            got[0].zh.contains("d/b.yaml 100.00 + d/c.yaml 30.00"),
            "{}",
            got[0].zh
        );
        assert!(got[1].en.contains("d/b.yaml, d/c.yaml"), "{}", got[1].en);
        assert!(f.of(Path::new("d/b.yaml")).is_empty());

        let m = vec![
            member("d/a.yaml", &department("100")),
            member("d/b.yaml", &project("免费刻章经费", "100", "")),
        ];
        // The task says 120, the project 100: at the task's amount (line 10).
        assert_eq!(
            codes(&check(&m), "d/a.yaml"),
            [("bundle.task", Loc::new(10, 13))]
        );
    }

    #[test]
    fn codes_bundle_across_folders_and_keep_apart_within_one() {
        let mut d = member("x/a.yaml", &department("100"));
        d.code = Some("311001".into());
        // (A project the department's task 免费刻章 does not name: only the sum is compared.)
        let p = member(
            "y/b.yaml",
            &project("档案数字化", "50", "311001 区行政审批局"),
        );
        assert_eq!(p.code.as_deref(), Some("311001"));
        assert_eq!(
            codes(&check(&[d.clone(), p]), "x/a.yaml"),
            [("bundle.sum", Loc::new(7, 14))]
        );
        // Same folder, different codes: not one bundle.
        let p = member("x/b.yaml", &project("刻章", "50", "999001 别的局"));
        assert!(check(&[d.clone(), p.clone()]).is_empty());
        // Same folder, no code on the department's side, but the project names another unit
        // (another department's project put beside it): not one bundle.
        let mut d_plain = member("x/a.yaml", &department("100"));
        d_plain.code = None;
        let other = member(
            "x/b.yaml",
            &project("刻章", "50", "611001 某市行政审批服务局"),
        );
        assert!(check(&[d_plain.clone(), other]).is_empty());
        let own = member("x/b.yaml", &project("档案数字化", "50", "311001 某局"));
        assert_eq!(
            codes(&check(&[d_plain, own]), "x/a.yaml"),
            [("bundle.sum", Loc::new(7, 14))]
        );
        // Two departments in a folder and no code to choose: nothing is guessed.
        let mut d2 = member("x/c.yaml", &department("100"));
        d.code = None;
        d2.code = None;
        let p = member("x/b.yaml", &project("刻章", "50", ""));
        assert!(check(&[d, d2, p]).is_empty());
    }
}
