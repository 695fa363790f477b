//! `jixiao check` through the binary: output formats, languages and exit statuses.

mod cli_common;

use std::path::Path;
use std::process::Output;

use cli_common::jixiao;
use serde_json::Value;

const AS_PRINTED: &str = "tests/fixtures/seed-department-as-printed.yaml";

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The 1-based line of the first line containing `needle` after a line containing `after`.
fn line_of(path: &str, after: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    let start = text.lines().position(|l| l.contains(after)).unwrap();
    (text
        .lines()
        .skip(start)
        .position(|l| l.contains(needle))
        .unwrap()
        + start
        + 1) as u64
}

fn diagnostics<'a>(json: &'a Value, code: &str) -> Vec<&'a Value> {
    json.as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

#[test]
fn the_examples_pass_with_the_warnings_the_seed_deserves() {
    let o = jixiao(&["check", "data/"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("chaisang-2023-department.yaml:30:9: warning[lastyear.rate-high]: 执行率 397.25% 超过 100%"), "{out}");
    assert!(out.contains("= 100.00%"), "the rate against 调整数: {out}");
    assert!(out.contains(
        "warning[indicator.alias]: 二级指标 “满意度指标” 是旧称，按 “服务对象满意度指标” 打印"
    ));
    assert!(!out.contains("error["), "{out}");
    // The two seeds, their two self-evaluations, the Shaanxi example (data/layouts/ holds a
    // layout, not a declaration), the sichuan-2023 and transfer self-evaluations and the
    // transfer's target, and one example per catalogue layout (issue 14: mof-2015 project and
    // department, annual, hunan-2017, fujian-2019, hubei-2021, sichuan-2023), which have no
    // warning.
    assert!(
        out.trim_end()
            .ends_with("共检查 15 个文件：0 个有错误；合计 0 个错误，3 个警告"),
        "{out}"
    );
}

#[test]
fn json_reports_the_seeds_doubled_income_at_the_income_block() {
    let o = jixiao(&["check", "--format", "json", AS_PRINTED]);
    assert_eq!(o.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&o.stdout).expect("one JSON value on stdout");
    let all = json.as_array().expect("an array");
    for d in all {
        let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(
            keys,
            ["code", "column", "file", "line", "message", "severity"]
        );
        assert!(d["severity"] == "error" || d["severity"] == "warning");
        assert_eq!(d["file"], AS_PRINTED);
    }
    let income = diagnostics(&json, "budget.income-sum");
    assert_eq!(income.len(), 1, "{json:#}");
    assert_eq!(income[0]["severity"], "error");
    assert_eq!(
        income[0]["line"],
        line_of(AS_PRINTED, "  income:", "total: 1203.78")
    );
    assert_eq!(
        income[0]["message"],
        "合计与分项不符：收入合计 1203.78 ≠ 上级财政拨款 1203.78 + 本级财政安排 1203.78 + 其他 0.00 = 2407.56"
    );
    let missing = diagnostics(&json, "budget.part-missing");
    let messages: Vec<&str> = missing
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(missing.len(), 2, "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("人员经费 为空") && m.ends_with("应为 755.10")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("事业编制人数 为空") && m.ends_with("应为 25")),
        "{messages:?}"
    );
    assert!(missing.iter().all(|d| d["severity"] == "warning"));
    // Each blank part is pointed at where it was written empty.
    let personnel = missing
        .iter()
        .find(|d| d["message"].as_str().unwrap().starts_with("人员经费"))
        .unwrap();
    assert_eq!(
        personnel["line"],
        line_of(AS_PRINTED, "  expense:", "personnel:")
    );
    let institutional = missing
        .iter()
        .find(|d| d["message"].as_str().unwrap().starts_with("事业编制人数"))
        .unwrap();
    assert_eq!(
        institutional["line"],
        line_of(AS_PRINTED, "staff:", "institutional:")
    );
    assert_eq!(diagnostics(&json, "lastyear.rate-high").len(), 1);
    // Only the doubled income is an error.
    assert_eq!(all.iter().filter(|d| d["severity"] == "error").count(), 1);
}

#[test]
fn human_output_shows_the_line_and_a_caret_in_english_with_lang_en() {
    let o = jixiao(&["check", "--lang", "en", AS_PRINTED]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let line = line_of(AS_PRINTED, "  income:", "total: 1203.78");
    let head = format!(
        "{AS_PRINTED}:{line}:12: error[budget.income-sum]: the parts do not add up to the total: 收入合计 1203.78"
    );
    let at = out
        .find(&head)
        .unwrap_or_else(|| panic!("{head}\n---\n{out}"));
    let excerpt: Vec<&str> = out[at..].lines().skip(1).take(3).collect();
    assert_eq!(
        excerpt[1],
        format!("{line} |     total: 1203.78                   # 收入合计")
    );
    assert_eq!(excerpt[2], "   |            ^^^^^^^");
    assert!(
        out.contains("人员经费 is blank: 755.10 would balance"),
        "{out}"
    );
    assert!(
        out.contains(&format!("{AS_PRINTED}: 1 error, 4 warnings")),
        "{out}"
    );
    assert!(
        out.trim_end()
            .ends_with("checked 1 file: 1 with errors; 1 error, 4 warnings in total"),
        "{out}"
    );
}

#[test]
fn one_json_array_for_the_whole_run() {
    let o = jixiao(&["check", "--format", "json", "data/", AS_PRINTED]);
    assert_eq!(o.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: std::collections::BTreeSet<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 3, "{files:?}");
    let en: Value = serde_json::from_slice(
        &jixiao(&["check", "--format", "json", "--lang", "en", "data/"]).stdout,
    )
    .unwrap();
    assert!(
        en.as_array()
            .unwrap()
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("legacy name"))
    );
}

#[test]
fn exit_statuses() {
    // Usage problems: no path, an unknown option.
    assert_eq!(jixiao(&["check"]).status.code(), Some(2));
    assert_eq!(
        jixiao(&["check", "--format", "xml", "data/"]).status.code(),
        Some(2)
    );
    // A missing path: an error of that path (exit 1).
    let o = jixiao(&["check", "no/such/file.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("no/such/file.yaml:1:1: error[input.missing]"));
    // An unreadable file is exit 1, and the other files are still checked.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a-bad.yaml"),
        b"form: project\nname: caf\xe9\n",
    )
    .unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(AS_PRINTED),
        dir.path().join("b-printed.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink("a-loop.yaml", dir.path().join("a-loop.yaml")).unwrap();
    let o = jixiao(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("a-loop.yaml:1:1: error[input.unreadable]"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("a-bad.yaml:2:10: error[input.encoding]"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("error[budget.income-sum]"),
        "the readable file is still checked"
    );
    assert!(stdout(&o).contains("2 个无法读取"), "{}", stdout(&o));
    // Warnings only: 0; an error: 1.
    assert_eq!(
        jixiao(&["check", "data/chaisang-2023-department.yaml"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(jixiao(&["check", AS_PRINTED]).status.code(), Some(1));
}
