//! The PDF through the `jixiao` binary: `render` writes it, two runs give the same bytes, the
//! date comes from SOURCE_DATE_EPOCH (never the clock), `--pdf-standard a-2b` and `--template`
//! work, and `check` reports characters no font can draw.

mod pdf_common;

use std::path::Path;
use std::process::{Command, Output};

use pdf_common::*;

fn jixiao(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    cmd.args(args).env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("the jixiao binary runs")
}

fn render_seeds(out: &Path, extra: &[&str], envs: &[(&str, &str)]) {
    let data = data_dir();
    let mut args = vec![
        "render",
        data.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "pdf",
    ];
    args.extend_from_slice(extra);
    let o = jixiao(&args, envs);
    assert!(
        o.status.success(),
        "render failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

const PDFS: [&str; 2] = ["chaisang-2023-project.pdf", "chaisang-2023-department.pdf"];

#[test]
fn two_runs_write_identical_pdfs() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    render_seeds(a.path(), &[], &[]);
    render_seeds(b.path(), &[], &[]);
    for name in PDFS {
        let x = std::fs::read(a.path().join(name)).unwrap();
        let y = std::fs::read(b.path().join(name)).unwrap();
        assert!(x.starts_with(b"%PDF-"), "{name} is a PDF");
        assert!(x == y, "{name} differs between runs");
        // No sign-off date in the seeds and no SOURCE_DATE_EPOCH: the fixed fallback date.
        assert!(poppler_info(&x).contains("CreationDate:    Sat Jan  1 00:00:00 2000 UTC"));
    }
}

#[test]
fn source_date_epoch_sets_the_date() {
    let dir = tempfile::tempdir().unwrap();
    // 1700000000 = 2023-11-14 22:13:20 UTC; the PDF keeps the date.
    render_seeds(dir.path(), &[], &[("SOURCE_DATE_EPOCH", "1700000000")]);
    let pdf = std::fs::read(dir.path().join(PDFS[0])).unwrap();
    let info = poppler_info(&pdf);
    assert!(
        info.contains("CreationDate:    Tue Nov 14 00:00:00 2023 UTC"),
        "{info}"
    );
}

#[test]
fn pdf_standard_a_2b() {
    let dir = tempfile::tempdir().unwrap();
    render_seeds(dir.path(), &["--pdf-standard", "a-2b"], &[]);
    for name in PDFS {
        let pdf = std::fs::read(dir.path().join(name)).unwrap();
        let raw = String::from_utf8_lossy(&pdf);
        assert!(
            raw.contains("pdfaid:part>2<") || raw.contains("pdfaid:part=\"2\""),
            "{name}: not PDF/A-2"
        );
    }
}

#[test]
fn a_custom_template_is_used_and_its_errors_reported() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.typ");
    std::fs::write(
        &good,
        "#let g = json(\"/grid.json\")\n#set text(font: \"Noto Sans SC\")\n自定义模板：#g.title\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    render_seeds(&out, &["--template", good.to_str().unwrap()], &[]);
    let text = pdf_text(&std::fs::read(out.join(PDFS[0])).unwrap());
    assert!(
        squash(&text).contains("自定义模板：项目支出绩效目标申报表"),
        "{text}"
    );

    let bad = dir.path().join("bad.typ");
    std::fs::write(&bad, "#let g = json(\"/grid.json\")\n#g.no_such_field\n").unwrap();
    let data = data_dir().join("chaisang-2023-project.yaml");
    let o = jixiao(
        &[
            "render",
            data.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--format",
            "pdf",
            "--template",
            bad.to_str().unwrap(),
        ],
        &[],
    );
    assert!(!o.status.success());
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        all.contains("form.typ:2:"),
        "the template line is named: {all}"
    );
}

#[test]
fn check_reports_a_character_no_font_covers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ext-b.yaml");
    let text = std::fs::read_to_string(data_dir().join("chaisang-2023-project.yaml"))
        .unwrap()
        .replace("implementer: 区行政审批局", "implementer: 区行政审批局𠀀");
    std::fs::write(&path, text).unwrap();
    let o = jixiao(&["check", path.to_str().unwrap()], &[]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("text.glyph") && out.contains("U+20000"),
        "{out}"
    );
    assert!(out.contains("ext-b.yaml:9:"), "at the 实施单位 line: {out}");
}
