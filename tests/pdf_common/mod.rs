//! Helpers shared by the PDF tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, LazyLock};

use jixiao::layout::Grid;
use jixiao::pdf::{Engine, FontSet};

/// One engine for the whole test binary, as a batch render would share it.
pub fn engine() -> &'static Engine {
    static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::new(FontSet::bundled(), None));
    &ENGINE
}

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// Parses a declaration text and lays it out; panics with the diagnostics when it has errors.
pub fn grid_of(text: &str) -> Grid {
    let outcome = jixiao::declaration::parse(text);
    let decl = outcome
        .declaration
        .unwrap_or_else(|| panic!("declaration unreadable: {:?}", outcome.diagnostics));
    jixiao::layouts::build_default(&decl)
}

/// The Grid of `data/<name>.yaml`.
pub fn seed_grid(name: &str) -> Grid {
    let text = std::fs::read_to_string(data_dir().join(format!("{name}.yaml"))).unwrap();
    grid_of(&text)
}

/// Writes `pdf` to a temporary file and returns the directory guard and path.
pub fn write_temp(pdf: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, pdf).unwrap();
    (dir, path)
}

/// Runs a poppler tool on a PDF and returns its stdout.
pub fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let (_dir, path) = write_temp(pdf);
    let out = Command::new(tool).args(args).arg(&path).arg("-").output();
    let out = match out {
        Ok(o) => o,
        Err(e) => panic!("{tool} is needed by this test (poppler-utils): {e}"),
    };
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of the PDF as pdftotext reads it (raw order).
pub fn pdf_text(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-raw", "-enc", "UTF-8"], pdf)
}

/// Number of pages as pdfinfo reports it.
pub fn page_count(pdf: &[u8]) -> usize {
    let (_dir, path) = write_temp(pdf);
    let out = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo (poppler-utils) is needed");
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .expect("pdfinfo gives a page count")
}

/// Removes whitespace, so a text wrapped over lines still matches.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn shared_fonts() -> Arc<FontSet> {
    FontSet::bundled()
}

/// A project declaration with `n` indicators in one 二级 (数量指标) and a goal of `goal_chars`
/// characters: the case where a group and a row are each taller than a page.
pub fn long_declaration(n: usize, goal_chars: usize) -> String {
    let sentence = "为新开办企业提供免费刻章服务，每户四枚章200元，预计全年新开办企业7500户。";
    let goal: String = sentence.chars().cycle().take(goal_chars).collect();
    let mut y = format!(
        "form: project\nyear: 2023\nunit: 测试单位\nname: 长表测试项目\ndepartment: 311001 区行政审批局\n\
         implementer: 区行政审批局\nperiod: 2023.01-2023.12\nfunds:\n  total: 150\n  fiscal: 150\n  other: 0\n\
         goal: {goal}\nindicators:\n  产出指标:\n    数量指标:\n"
    );
    for i in 1..=n {
        y.push_str(&format!("      - 第{i}号新开办企业刻章数量指标: ≥{i}家\n"));
    }
    y.push_str("    质量指标:\n      - 印章材料质量: 良好\n  效益指标:\n    社会效益指标:\n      - 优化营商环境: 良好\n");
    y.push_str("  满意度指标:\n    服务对象满意度指标:\n      - 刻章企业满意度: ≥95%\n");
    y
}

/// pdfinfo's report.
pub fn poppler_info(pdf: &[u8]) -> String {
    let (_dir, path) = write_temp(pdf);
    let out = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo (poppler-utils) is needed");
    String::from_utf8(out.stdout).unwrap()
}

/// pdffonts's listing.
pub fn pdf_fonts(pdf: &[u8]) -> String {
    let (_dir, path) = write_temp(pdf);
    let out = Command::new("pdffonts")
        .arg(&path)
        .output()
        .expect("pdffonts (poppler-utils) is needed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}
