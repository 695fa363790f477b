//! Self-evaluations through the binary: `check` and `render` of the examples in `data/`, a
//! diagnostic in the target file, and `init project-selfeval --target`.

mod cli_common;

use std::path::Path;

use cli_common::{code, jixiao, stderr, stdout, write};
use serde_json::Value;

const PROJECT: &str = "data/chaisang-2023-project-selfeval.yaml";
const DEPARTMENT: &str = "data/chaisang-2023-department-selfeval.yaml";

#[test]
fn the_examples_check_clean() {
    let o = jixiao(&["check", "--format", "json", PROJECT, DEPARTMENT]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 0, "{json:#}");
}

#[test]
fn the_examples_render_landscape_with_their_scores() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = jixiao(&["render", PROJECT, DEPARTMENT, "-o", out]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    for stem in [
        "chaisang-2023-project-selfeval",
        "chaisang-2023-department-selfeval",
    ] {
        let pdf = std::fs::read(dir.path().join(format!("{stem}.pdf"))).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        // A4 landscape: 842 × 595 pt.
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains("MediaBox[0 0 841.8898 595.2756]"),
            "{stem}: not landscape"
        );
        let xlsx = std::fs::read(dir.path().join(format!("{stem}.xlsx"))).unwrap();
        assert!(xlsx.starts_with(b"PK"));
    }
    // The grid's scores, through the library: the hand-computed totals (see the closing note).
    for (path, total, grade) in [(PROJECT, "96.89", "优"), (DEPARTMENT, "97.59", "优")] {
        let checked = jixiao::check::check_source(
            jixiao::inputs::read(Path::new(path)).unwrap(),
            &jixiao::validate::AllGlyphs,
        );
        let Some(jixiao::declaration::Declaration::SelfEval(form)) = checked.renderable() else {
            panic!("{path}")
        };
        let e = jixiao::selfeval::evaluate::evaluate(form);
        assert_eq!(
            (e.total.to_string(), e.grade),
            (total.to_string(), grade),
            "{path}"
        );
        assert_eq!(e.total_points, rust_decimal::Decimal::ONE_HUNDRED);
    }
}

#[test]
fn a_target_indicator_without_a_result_points_into_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/chaisang-2023-project.yaml"),
    )
    .unwrap();
    write(dir.path(), "t/target.yaml", &seed);
    let own = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(PROJECT)).unwrap();
    // Drop 刻章企业满意度's result (the last one) and point at the copy of the target.
    let cut = own.find("  刻章企业满意度:").unwrap();
    let end = own.find("conclusion:").unwrap();
    let text = format!("{}{}", &own[..cut], &own[end..]).replace(
        "target: chaisang-2023-project.yaml",
        "target: t/target.yaml",
    );
    let file = write(dir.path(), "self.yaml", text);
    let o = jixiao(&["check", file.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "{out}");
    let line = seed
        .lines()
        .position(|l| l.contains("刻章企业满意度"))
        .unwrap()
        + 1;
    let expected = format!(
        "{}:{line}:9: error[result.missing]: 指标 “刻章企业满意度” 没有完成情况",
        dir.path().join("t/target.yaml").display()
    );
    assert!(out.contains(&expected), "{expected}\n{out}");
    assert!(out.contains("error[score.points-sum]"), "{out}");
}

#[test]
fn init_lists_every_indicator_of_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("self.yaml");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/chaisang-2023-department.yaml");
    let o = jixiao(&[
        "init",
        "department-selfeval",
        "--target",
        target.to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("  中介超市运行管理及维护:   # 产出指标 / 数量指标：指标值 ≥36次"),
        "{text}"
    );
    // As written, it names its 21 indicators' results as missing (nothing is filled in yet).
    let o = jixiao(&["check", "--format", "json", file.to_str().unwrap()]);
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let missing = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "result.missing")
        .count();
    assert_eq!(missing, 21, "{json:#}");
}
