//! `jixiao init project-selfeval --target FILE`: a starter self-evaluation with every indicator
//! of the target under `results`, its target value in a comment, ready to fill.
//!
//! Without `--target`, the starter lists one inline indicator to show the shape.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::declaration::{Declaration, FormKind};

/// The starter without a target file: inline indicators.
pub fn inline_template(kind: FormKind) -> String {
    let form = kind.key();
    format!(
        "# {title}（年度自评）：没有目标申报表文件时，在 indicators 下逐项写出指标及完成情况。\n\
         # 有目标申报表时，用 jixiao init {form} --target 目标申报表.yaml 生成。\n\
         form: {form}\n\
         year:                 # 年度，如 2023\n\
         name:                 # {name}\n\
         goal:                 # 年度总体目标（预期目标）\n\
         goal_result:          # 年度总体目标 实际完成情况\n\
         execution:\n\
         \x20 points: 10           # 预算执行分值\n\
         \x20 rows:                # 第一行为 年度资金总额，其后为其中各项\n\
         \x20   - name: 年度资金总额\n\
         \x20     initial:        # 年初预算数（万元）\n\
         \x20     budget:         # 全年预算数（万元）\n\
         \x20     spent:          # 全年执行数（万元）\n\
         \x20 reason:             # 执行率低于 90% 或预算调整时必填\n\
         indicators:\n\
         \x20 产出指标:\n\
         \x20   数量指标:\n\
         \x20     - name:         # 三级指标\n\
         \x20       value:        # 年度指标值，如 ≥7500家\n\
         \x20       actual:       # 实际完成值，如 7425家\n\
         \x20       points:       # 分值\n\
         \x20       score:        # 得分（可不填，自动计算）\n\
         \x20       reason:       # 得分低于分值时必填：偏差原因分析及改进措施\n",
        title = kind.title(),
        name = if kind == FormKind::DepartmentSelfeval {
            "部门（单位）名称"
        } else {
            "项目名称"
        },
    )
}

/// Why no starter could be made from the target.
#[derive(Debug)]
pub struct StarterError(pub String);

impl std::fmt::Display for StarterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The starter of a `kind` self-evaluation following the declaration at `target`, to be written
/// at `out` (the `target:` it writes is relative to `out`'s folder; to the current folder when
/// printed).
pub fn starter(kind: FormKind, target: &Path, out: Option<&Path>) -> Result<String, StarterError> {
    let source = crate::inputs::read(target).map_err(|e| StarterError(format!("error: {e}")))?;
    let outcome = crate::declaration::parse(&source.text);
    let Some(decl) = outcome.declaration else {
        return Err(StarterError(format!(
            "error: {}: 目标申报表无法读取，请先运行 jixiao check {} (the target cannot be read; run check on it)",
            target.display(),
            target.display()
        )));
    };
    let wanted = if kind == FormKind::DepartmentSelfeval {
        FormKind::Department
    } else {
        FormKind::Project
    };
    if decl.kind() != wanted {
        return Err(StarterError(format!(
            "error: {}: 目标申报表是{}，{}需要{} (the target is a `{}` form; `{}` needs a `{}` one)",
            target.display(),
            decl.kind().title(),
            kind.title(),
            wanted.title(),
            decl.kind().key(),
            kind.key(),
            wanted.key()
        )));
    }
    let base = out.and_then(Path::parent).unwrap_or(Path::new(""));
    let written = relative(target, base);
    let mut y = String::new();
    let common = decl.common();
    let _ = writeln!(
        y,
        "# {}：按目标申报表 {} 生成。",
        kind.title(),
        target.display()
    );
    let _ = writeln!(
        y,
        "# 名称、部门、目标和指标取自目标申报表；在下面填写实际完成情况。得分可不填（自动计算），填了会被核对。"
    );
    let _ = writeln!(y, "form: {}", kind.key());
    let _ = writeln!(y, "target: {}", quote(&written.to_string_lossy()));
    match common.year.value() {
        Some(year) => {
            let _ = writeln!(y, "year: {year}");
        }
        None => y.push_str("year:                       # 年度，如 2023\n"),
    }
    y.push_str("execution:\n  points: 10                 # 预算执行分值\n  rows:                      # 第一行为 年度资金总额，其后为其中各项（全年预算数、全年执行数必填）\n");
    let rows: Vec<(&str, Option<rust_decimal::Decimal>)> = match &decl {
        Declaration::Project(p) => vec![
            ("年度资金总额", p.funds.total.value()),
            ("其中：财政拨款", p.funds.fiscal.value()),
            ("其他资金", p.funds.other.value()),
        ],
        Declaration::Department(d) => vec![
            ("年度资金总额", d.budget.expense.total.value()),
            ("基本支出", None),
            ("项目支出", d.budget.expense.project.value()),
        ],
        Declaration::SelfEval(_) => Vec::new(),
    };
    for (name, initial) in rows {
        let _ = writeln!(y, "    - name: {name}");
        match initial {
            Some(v) => {
                let _ = writeln!(
                    y,
                    "      initial: {v}           # 年初预算数（目标申报表所填）"
                );
            }
            None => y.push_str("      initial:               # 年初预算数（万元）\n"),
        }
        y.push_str("      budget:                # 全年预算数（万元）\n      spent:                 # 全年执行数（万元）\n");
    }
    y.push_str("  reason:                    # 执行率低于 90% 或预算调整时必填\n");
    y.push_str("goal_result:                 # 年度总体目标 实际完成情况\n");
    y.push_str("results:\n");
    // Free-text indicators (no value to score) are not evaluated.
    for p in decl.indicators().canonical() {
        let Some(level2) = p.level2 else { continue };
        let ind = p.indicator;
        let name = ind.name.value.trim();
        let target_value = ind.value.value.display();
        let _ = writeln!(
            y,
            "  {}:   # {} / {}：指标值 {}",
            quote(name),
            p.level1.name(),
            level2.name(),
            target_value
        );
        let hint = if ind.value.value.number().is_some() {
            format!(
                "实际完成值，数字和单位同指标值（如 {}）",
                ind.value
                    .value
                    .unit()
                    .map_or(String::new(), |u| format!("…{u}"))
            )
        } else {
            "达成年度指标 / 部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差".to_string()
        };
        let _ = writeln!(y, "    actual:                  # {hint}");
        match ind.weight.value() {
            Some(w) => {
                let _ = writeln!(
                    y,
                    "    points: {w}               # 分值（目标申报表的权重）"
                );
            }
            None => y.push_str(
                "    points:                  # 分值（指标分值合计 + 预算执行分值 = 100）\n",
            ),
        }
        y.push_str("    score:                   # 得分：可不填，自动计算；定性指标请按档次填写\n");
        y.push_str("    reason:                  # 得分低于分值时必填：偏差原因分析及改进措施\n");
    }
    y.push_str("conclusion:\n  summary:                   # 评价结论\n  problems:                  # 存在问题\n  measures:                  # 改进措施\n");
    y.push_str("signoff:\n  project_head:              # 项目负责人\n  finance_head:              # 财务负责人\n  preparer:                  # 填报人\n  date:                      # 填报日期\n");
    Ok(y)
}

/// A key or value quoted when YAML would read it as something else.
fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`≥≤<>= ".contains(c))
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':');
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// `target` as seen from the folder `base` (both as given, relative to the current folder or
/// absolute).
fn relative(target: &Path, base: &Path) -> PathBuf {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (t, b) = (abs(target), abs(base));
    let t: Vec<Component> = t.components().collect();
    let b: Vec<Component> = b.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_lists_every_indicator_and_parses() {
        let target = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/chaisang-2023-project.yaml"
        ));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sub/self.yaml");
        let text = starter(FormKind::ProjectSelfeval, target, Some(&out)).unwrap();
        assert!(
            text.contains("2023年全年新开办企业家数:   # 产出指标 / 数量指标：指标值 ≥7500家"),
            "{text}"
        );
        let parsed = crate::declaration::parse(&text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let Some(Declaration::SelfEval(f)) = parsed.declaration else {
            panic!()
        };
        assert_eq!(f.results.len(), 13);
        // The target is found from where the starter is written.
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        std::fs::write(&out, &text).unwrap();
        let mut f = f;
        assert_eq!(
            super::super::resolve::resolve(&mut f, &out, &crate::validate::AllGlyphs),
            vec![]
        );
        assert!(f.target.is_some());
        assert!(starter(FormKind::DepartmentSelfeval, target, None).is_err());
        assert_eq!(
            relative(Path::new("/a/b/c.yaml"), Path::new("/a/d")),
            PathBuf::from("../b/c.yaml")
        );
    }
}
