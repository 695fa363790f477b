//! Self-evaluations through the binary: `check` and `render` of the examples in `data/`, a
//! diagnostic in the target file, and `init project-selfeval --target`.

mod cli_common;

use std::path::Path;

use cli_common::{code, jixiao, stderr, stdout, write};
use serde_json::Value;

const PROJECT: &str = "data/chaisang-2023-project-selfeval.yaml";
const DEPARTMENT: &str = "data/chaisang-2023-department-selfeval.yaml";
/// Layout sichuan-2023, indicators inline.
const SICHUAN: &str = "data/sichuan-2023-project-selfeval.yaml";
/// Layout transfer, with a target that gives the 权重.
const TRANSFER: &str = "data/transfer-2023-project-selfeval.yaml";

#[test]
fn the_examples_check_clean() {
    let o = jixiao(&[
        "check", "--format", "json", PROJECT, DEPARTMENT, SICHUAN, TRANSFER,
    ]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 0, "{json:#}");
}

#[test]
fn the_examples_render_landscape_with_their_scores() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = jixiao(&["render", PROJECT, DEPARTMENT, SICHUAN, TRANSFER, "-o", out]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    for stem in [
        "chaisang-2023-project-selfeval",
        "chaisang-2023-department-selfeval",
        "sichuan-2023-project-selfeval",
        "transfer-2023-project-selfeval",
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
    for (path, total, grade) in [
        (PROJECT, "96.89", "优"),
        (DEPARTMENT, "97.59", "优"),
        (SICHUAN, "94.73", "优"),
        (TRANSFER, "98.21", "优"),
    ] {
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

#[test]
fn the_layouts_print_their_own_columns_and_the_summary_names_the_target() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let book = dir.path().join("all.xlsx");
    let o = jixiao(&[
        "render",
        PROJECT,
        SICHUAN,
        TRANSFER,
        "-o",
        out,
        "--workbook",
        book.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    // The sichuan-2023 form sheet has its headings and its total; transfer has no score column.
    let mut sichuan: calamine::Xlsx<_> =
        calamine::open_workbook(dir.path().join("sichuan-2023-project-selfeval.xlsx")).unwrap();
    let first = sichuan.sheet_names()[0].clone();
    let sheet = sichuan.worksheet_range(&first).unwrap();
    let texts: Vec<String> = sheet.cells().map(|(_, _, d)| d.to_string()).collect();
    for heading in [
        "预算执行情况（10分）",
        "绩效指标（90分）",
        "未完成原因分析",
        "510122-23-000125",
        "自评等级：优",
    ] {
        assert!(
            texts.iter().any(|t| t == heading),
            "sichuan-2023: {heading}"
        );
    }
    let mut transfer: calamine::Xlsx<_> =
        calamine::open_workbook(dir.path().join("transfer-2023-project-selfeval.xlsx")).unwrap();
    let first = transfer.sheet_names()[0].clone();
    let sheet = transfer.worksheet_range(&first).unwrap();
    let texts: Vec<String> = sheet.cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(texts.iter().any(|t| t == "未完成原因和改进措施"));
    assert!(
        texts
            .iter()
            .all(|t| t != "得分" && !t.starts_with("自评等级")),
        "transfer prints no score"
    );
    // 汇总: a self-evaluation with a target is named by its target's unit and name.
    let mut all: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    let summary = all.worksheet_range("汇总").unwrap();
    let row = |r: usize| -> Vec<String> {
        (0..13)
            .map(|c| {
                summary
                    .get((r, c))
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            })
            .collect()
    };
    let project = row(1);
    assert_eq!(
        (project[1].as_str(), project[2].as_str()),
        (
            "柴桑区行政审批局",
            "柴桑区行政审批局2023年新开办企业免费刻章业务经费"
        )
    );
    assert_eq!(project[11], "96.89");
    let transfer = row(3);
    assert_eq!(
        transfer[2],
        "2023年中央财政城镇保障性安居工程补助资金（城镇老旧小区改造）"
    );
    assert_eq!(
        (transfer[11].as_str(), transfer[12].as_str()),
        ("98.21", "优")
    );
}
