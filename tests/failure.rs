//! Failure tests: the `jixiao` binary facing bad inputs, hostile files and broken output folders.
//!
//! A bureau runs jixiao unattended over hundreds of files. Each test here gives it one thing
//! that goes wrong in practice and checks what the user gets: a clear message naming the file
//! (and line, for a declaration's content), the documented exit status (0 ok, 1 a file failed,
//! 2 usage or I/O), no panic, no stall, and no half-written output. docs/reliability.md lists
//! the same cases for users.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod cli_common;

use cli_common::{code, names, stderr, stdout, write};

const BIN: &str = env!("CARGO_BIN_EXE_jixiao");

/// A stall is a failure too: every run gets this long (test builds are unoptimised for our
/// crate and the machine may be busy), then it is killed.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Runs jixiao with `args` in `dir`, killing it after [`TIMEOUT`].
fn run(dir: &Path, args: &[&str]) -> Output {
    cli_common::run_timed(BIN, dir, args, &[], TIMEOUT)
}

/// A panic prints "panicked at"; no failure case may end that way.
fn assert_no_panic(o: &Output) {
    let e = stderr(o);
    assert!(!e.contains("panicked"), "panic: {e}");
    assert_ne!(
        o.status.code(),
        Some(101),
        "exit status 101 is Rust's panic status: {e}"
    );
}

/// `jixiao check --format json …`: the diagnostics as JSON objects.
fn check_json(dir: &Path, paths: &[&str]) -> (i32, Vec<Value>, String) {
    let mut args = vec!["check", "--format", "json", "--lang", "en"];
    args.extend_from_slice(paths);
    let o = run(dir, &args);
    assert_no_panic(&o);
    let json: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            stdout(&o),
            stderr(&o)
        )
    });
    let Value::Array(diags) = json else {
        panic!("not an array: {json}")
    };
    (code(&o), diags, stderr(&o))
}

fn codes_of(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

/// A valid project declaration with `goal` as its 年度总体目标 and `items` as its 数量指标 list.
fn project(goal: &str, items: &str) -> String {
    format!(
        "form: project\nyear: 2023\nunit: 测试局\nname: 测试项目\nfunds:\n  total: 150\n  fiscal: 150\n  other: 0\n\
         goal: {goal}\nindicators:\n  产出指标:\n    数量指标:\n{items}  效益指标:\n    社会效益指标:\n      - 营商环境: 良好\n\
         \x20 满意度指标:\n    服务对象满意度指标:\n      - 满意度: ≥95%\n"
    )
}

fn good() -> String {
    project("为新开办企业提供免费刻章", "      - 家数: ≥7500家\n")
}

/// [`good`] with one misspelt key (`unti`): exactly one `yaml.unknown-key`, and nothing else
/// (every problem of a file is reported in one pass, so a file missing its required keys would
/// also report those).
fn misspelt() -> String {
    good().replace("unit: 测试局", "unti: 测试局")
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

#[test]
fn a_good_declaration_checks_clean() {
    // The baseline every other test departs from: if this fails, the others prove nothing.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.yaml", good());
    let (status, diags, err) = check_json(dir.path(), &["good.yaml"]);
    assert_eq!(status, 0, "{diags:?} {err}");
    assert!(diags.iter().all(|d| d["severity"] != "error"), "{diags:?}");
}

#[test]
fn a_missing_input_is_an_error_of_that_path() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        dir.path(),
        &["check", "--lang", "en", "nowhere/missing.yaml"],
    );
    assert_no_panic(&o);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(
        out.contains("nowhere/missing.yaml:1:1: error[input.missing]")
            && out.contains("no such file"),
        "{out}"
    );
}

#[test]
fn an_unreadable_file_is_an_io_error_and_the_other_files_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "decls/a-good.yaml", good());
    write(dir.path(), "decls/b-bad.yaml", misspelt());

    // A symbolic link to itself cannot be read by anyone, root included: the tests run as root
    // in CI, where `chmod 000` does not stop a read.
    std::os::unix::fs::symlink("c-loop.yaml", dir.path().join("decls/c-loop.yaml")).unwrap();
    let (status, diags, err) = check_json(dir.path(), &["decls"]);
    assert_eq!(status, 1, "{err}");
    // The unreadable file does not stop the run: the bad file's error is still reported.
    assert_eq!(
        codes_of(&diags),
        ["yaml.unknown-key", "input.unreadable"],
        "{diags:?}"
    );
    assert!(
        diags[1]["file"].as_str().unwrap().ends_with("c-loop.yaml"),
        "{diags:?}"
    );
    assert!(
        diags[1]["message"]
            .as_str()
            .unwrap()
            .contains("cannot read"),
        "{diags:?}"
    );
    std::fs::remove_file(dir.path().join("decls/c-loop.yaml")).unwrap();

    // A file without read permission, where permissions bind (not as root).
    use std::os::unix::fs::PermissionsExt;
    let locked = write(dir.path(), "decls/d-locked.yaml", good());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let privileged = std::fs::read(&locked).is_ok();
    let (status, diags, err) = check_json(dir.path(), &["decls/d-locked.yaml"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    if privileged {
        // root reads it anyway, and so does jixiao: the file is simply checked.
        assert_eq!(status, 0, "{err}");
    } else {
        assert_eq!(status, 1, "{err}");
        assert_eq!(codes_of(&diags), ["input.permission"], "{diags:?}");
    }
}

#[test]
fn a_gbk_file_is_read_and_an_undecodable_one_is_located_without_stopping_the_run() {
    let dir = tempfile::tempdir().unwrap();
    // `project("…", …)` saved as GBK, as Windows tools of the bureau save it by default.
    let text = project("目标", "      - 数量: 10个\n");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    write(dir.path(), "a-gbk.yaml", &gbk[..]);
    // Latin-1 `café` then a line end: neither UTF-8 nor GB18030 (0xE9 needs a second byte).
    write(
        dir.path(),
        "b-latin1.yaml",
        b"form: project\nname: caf\xe9\n",
    );
    write(dir.path(), "c-bad.yaml", misspelt());
    let (status, diags, err) =
        check_json(dir.path(), &["a-gbk.yaml", "b-latin1.yaml", "c-bad.yaml"]);
    assert_eq!(status, 1, "{err}");
    let of = |file: &str| {
        diags
            .iter()
            .filter(|d| d["file"].as_str().unwrap().ends_with(file))
            .collect::<Vec<_>>()
    };
    let gbk = of("a-gbk.yaml");
    assert_eq!(gbk.len(), 1, "{gbk:?}");
    assert_eq!(
        (gbk[0]["code"].as_str(), gbk[0]["severity"].as_str()),
        (Some("input.encoding"), Some("warning"))
    );
    let latin1 = of("b-latin1.yaml");
    assert_eq!(latin1.len(), 1, "{latin1:?}");
    assert_eq!(
        (latin1[0]["line"].as_u64(), latin1[0]["column"].as_u64()),
        (Some(2), Some(10))
    );
    assert_eq!(
        (latin1[0]["code"].as_str(), latin1[0]["severity"].as_str()),
        (Some("input.encoding"), Some("error"))
    );
    assert_eq!(of("c-bad.yaml")[0]["code"], "yaml.unknown-key");
}

#[test]
fn a_declaration_named_twice_is_checked_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "decls/one.yaml", misspelt());
    std::os::unix::fs::symlink("one.yaml", dir.path().join("decls/alias.yaml")).unwrap();
    // The same file by its name, by another spelling of its path, through its folder and
    // through a symbolic link.
    let (status, diags, err) = check_json(
        dir.path(),
        &[
            "decls/one.yaml",
            "./decls/one.yaml",
            "decls",
            "decls/../decls/one.yaml",
        ],
    );
    assert_eq!(status, 1, "{err}");
    assert_eq!(
        codes_of(&diags),
        ["yaml.unknown-key"],
        "reported more than once: {diags:?}"
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let limit = jixiao::declaration::parse::limits::MAX_FILE_BYTES;
    let mut text = good().into_bytes();
    text.resize(limit + 1, b'#');
    write(dir.path(), "big.yaml", &text);
    let o = run(dir.path(), &["check", "big.yaml"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 1);
    let e = stdout(&o);
    assert!(e.contains("big.yaml:1:1: error[input.too-large]"), "{e}");
    assert!(
        e.contains(&format!("{}", limit + 1)) && e.contains(&limit.to_string()),
        "{e}"
    );

    // Exactly at the limit the file is read and checked (a comment tail is harmless).
    let mut text = good().into_bytes();
    text.push(b'#');
    text.resize(limit, b'#');
    write(dir.path(), "big.yaml", &text);
    let (status, _, err) = check_json(dir.path(), &["big.yaml"]);
    assert_eq!(status, 0, "{err}");
}

// ---------------------------------------------------------------------------------------------
// YAML resource limits (parse.rs) and content limits (validate/limits.rs)
// ---------------------------------------------------------------------------------------------

/// Checks one file that must fail with `yaml.limit`, and returns that diagnostic.
fn one_limit_error(text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "x.yaml", text);
    let start = Instant::now();
    let (status, diags, err) = check_json(dir.path(), &["x.yaml"]);
    // Limits exist so that a hostile file is answered at once, not after a long grind.
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(status, 1, "{diags:?} {err}");
    let limits: Vec<&Value> = diags.iter().filter(|d| d["code"] == "yaml.limit").collect();
    assert!(!limits.is_empty(), "no yaml.limit: {diags:?}");
    assert_eq!(limits[0]["severity"], "error");
    assert!(limits[0]["line"].as_u64().unwrap() >= 1, "{diags:?}");
    limits[0].clone()
}

#[test]
fn nesting_deeper_than_the_limit_is_a_located_error() {
    let depth = jixiao::declaration::parse::limits::MAX_DEPTH + 8;
    let text = format!(
        "form: project\nname: x\nunit: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let d = one_limit_error(&text);
    assert_eq!(d["line"], 3, "{d}");
}

#[test]
fn too_many_nodes_is_a_limit_error() {
    let n = jixiao::declaration::parse::limits::MAX_NODES + 10;
    let text = format!(
        "form: project\nname: x\nextra: [{}]\n",
        vec!["0"; n].join(",")
    );
    one_limit_error(&text);
}

#[test]
fn too_many_aliases_is_a_limit_error() {
    let n = jixiao::declaration::parse::limits::MAX_ALIASES + 10;
    let text = format!(
        "form: project\nname: &n x\nextra: [{}]\n",
        vec!["*n"; n].join(",")
    );
    one_limit_error(&text);
}

#[test]
fn an_alias_bomb_is_answered_at_once() {
    // "Billion laughs": 9 levels of 10 references each expand to 10^9 strings from ~1 KB.
    let mut text = String::from("form: project\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    one_limit_error(&text);
}

#[test]
fn a_cell_text_over_the_limit_is_located_at_its_line() {
    let goal = "目".repeat(5_001);
    let d = one_limit_error(&project(&goal, "      - 家数: ≥7500家\n"));
    assert_eq!(d["line"], 9, "{d}");
    assert!(
        d["message"].as_str().unwrap().contains("5001 characters"),
        "{d}"
    );
}

#[test]
fn too_many_indicators_is_located_at_the_first_one_past_the_limit() {
    let items: String = (0..600)
        .map(|i| format!("      - 指标{i}: ≥{i}家\n"))
        .collect();
    let d = one_limit_error(&project("目标", &items));
    // 数量指标's first item is on line 13; the 501st is 500 lines below.
    assert_eq!(d["line"], 13 + 500, "{d}");
}

// ---------------------------------------------------------------------------------------------
// Outputs (`jixiao render`)
// ---------------------------------------------------------------------------------------------

#[test]
fn a_form_over_the_page_limit_gets_no_pdf_and_a_message_with_its_page_count() {
    // Within every content limit, but 480 indicators of 190 characters print on about a
    // hundred pages: the PDF is refused, the XLSX (which has no pages to count) still written.
    let name = "为".repeat(190);
    let items: String = (0..480)
        .map(|i| format!("      - {name}{i:04}: ≥{i}家\n"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "huge.yaml", project("目标", &items));
    let o = run(
        dir.path(),
        &["render", "huge.yaml", "-o", "out", "--lang", "en"],
    );
    assert_no_panic(&o);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("huge.yaml") && err.contains("more than the 60 one form may have"),
        "{err}"
    );
    assert_eq!(
        names(&dir.path().join("out")),
        vec!["huge.xlsx".to_string()]
    );
}

/// A declaration with a real error (年度资金总额 ≠ 财政拨款 + 其他资金).
fn bad_sum() -> String {
    good().replace("  fiscal: 150\n", "  fiscal: 100\n")
}

/// A complete PDF ends with `%%EOF` (possibly followed by a line break).
fn assert_complete_pdf(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{}: no PDF header",
        path.display()
    );
    let tail = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(32)..])
        .trim_end()
        .to_string();
    assert!(
        tail.ends_with("%%EOF"),
        "{}: truncated PDF (ends {tail:?})",
        path.display()
    );
}

/// A complete XLSX is a zip whose central directory lists the workbook.
fn assert_complete_xlsx(path: &Path) {
    let file = std::fs::File::open(path).unwrap();
    let mut zip =
        zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{}: not a zip: {e}", path.display()));
    assert!(
        zip.by_name("xl/workbook.xml").is_ok(),
        "{}: no workbook",
        path.display()
    );
}

#[test]
fn an_output_folder_that_cannot_be_created_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.yaml", good());
    // A folder cannot be made under a regular file, whoever runs the test (root included).
    write(dir.path(), "blocker", "a regular file");
    let o = run(
        dir.path(),
        &["render", "good.yaml", "-o", "blocker/out", "--lang", "en"],
    );
    assert_no_panic(&o);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("blocker/out") && e.contains("cannot create the folder"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("blocker")).unwrap(),
        "a regular file"
    );
}

#[test]
fn an_output_path_that_is_a_folder_is_left_alone_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.yaml", good());
    // out/good.pdf is a folder with something in it: jixiao must not replace or empty it.
    write(dir.path(), "out/good.pdf/keep.txt", "precious");
    let o = run(
        dir.path(),
        &["render", "good.yaml", "-o", "out", "--lang", "en"],
    );
    assert_no_panic(&o);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("good.pdf") && e.contains("cannot write"), "{e}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/good.pdf/keep.txt")).unwrap(),
        "precious"
    );
    // The other output of the same file is still written, and no temporary file is left over.
    assert_eq!(names(&dir.path().join("out")), ["good.pdf", "good.xlsx"]);
    assert_complete_xlsx(&dir.path().join("out/good.xlsx"));
}

#[test]
fn a_folder_mixing_good_and_bad_declarations_writes_only_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in/a-good.yaml", good());
    write(dir.path(), "in/b-sum.yaml", bad_sum());
    write(
        dir.path(),
        "in/c-syntax.yaml",
        "form: project\nname: [unclosed\n",
    );
    write(
        dir.path(),
        "in/sub/d-good.yml",
        good().replace("测试项目", "另一个项目"),
    );
    write(dir.path(), "in/notes.txt", "not a declaration");
    let o = run(dir.path(), &["render", "in", "-o", "out", "--lang", "en"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = dir.path().join("out");
    assert_eq!(
        names(&out),
        ["a-good.pdf", "a-good.xlsx", "d-good.pdf", "d-good.xlsx"]
    );
    for n in ["a-good", "d-good"] {
        assert_complete_pdf(&out.join(format!("{n}.pdf")));
        assert_complete_xlsx(&out.join(format!("{n}.xlsx")));
    }
    // Each bad file is named with the reason, at its line.
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        text.contains("b-sum.yaml:6:") && text.contains("funds.sum"),
        "{text}"
    );
    assert!(
        text.contains("c-syntax.yaml:2:") && text.contains("yaml.syntax"),
        "{text}"
    );
}

#[test]
fn texts_that_look_like_formulas_are_stored_as_text_in_the_xlsx() {
    use calamine::{Data, Reader, Xlsx};
    const FORMULAS: [&str; 6] = [
        "=1+1",
        "+A1",
        "@SUM(A1)",
        "-2+3",
        "=HYPERLINK(\"http://x\")",
        "=cmd|' /C calc'!A0",
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut text = good()
        .replace("unit: 测试局", &format!("unit: '{}'", FORMULAS[2]))
        .replace("name: 测试项目", &format!("name: '{}'", FORMULAS[0]))
        .replace(
            "goal: 为新开办企业提供免费刻章",
            &format!("goal: '{}'", FORMULAS[1]),
        );
    text = text.replace(
        "      - 家数: ≥7500家\n",
        &format!(
            "      - 家数: '{}'\n      - '{}': 良好\n      - 链接: '{}'\n",
            FORMULAS[3],
            FORMULAS[4].replace('\'', "''"),
            FORMULAS[5].replace('\'', "''"),
        ),
    );
    write(dir.path(), "f.yaml", &text);
    let o = run(
        dir.path(),
        &[
            "render", "f.yaml", "-o", "out", "--format", "xlsx", "--lang", "en",
        ],
    );
    assert_no_panic(&o);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let path = dir.path().join("out/f.xlsx");

    // Every formula-like text is in some cell, as a string.
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let mut found = std::collections::BTreeSet::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for cell in range.used_cells() {
            let s = match cell.2 {
                Data::String(s) => s.clone(),
                _ => continue,
            };
            for f in FORMULAS {
                if s.contains(f) {
                    found.insert(f);
                }
            }
        }
        // calamine reports formulas apart: there must be none.
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|c| c.2.is_empty()),
            "{name}: formulas {:?}",
            formulas
        );
    }
    assert_eq!(
        found.len(),
        FORMULAS.len(),
        "not all stored as text: found {found:?}"
    );

    // And the sheet XML has no formula element at all.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let sheets: Vec<String> = zip
        .file_names()
        .filter(|n| n.starts_with("xl/worksheets/"))
        .map(String::from)
        .collect();
    assert!(!sheets.is_empty());
    for s in sheets {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(&s).unwrap(), &mut xml).unwrap();
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "{s} has a formula element"
        );
    }
}

#[test]
fn an_interrupted_batch_leaves_no_truncated_file_under_a_final_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = interrupt_batch(dir.path(), libc::SIGINT);
    assert_interrupted_cleanly(&out);
}

/// After an interrupted batch: no temporary file left, every output under a final name complete.
fn assert_interrupted_cleanly(out: &Path) {
    let all = names(out);
    // The temporary files being written when the signal came were removed by its handler.
    assert!(
        all.iter().all(|n| !n.starts_with('.')),
        "temporary files left: {all:?}"
    );
    assert!(all.len() >= 4 && all.len() < 800, "{} outputs", all.len());
    for n in &all {
        let p = out.join(n);
        match p.extension().and_then(|e| e.to_str()) {
            Some("pdf") => assert_complete_pdf(&p),
            Some("xlsx") => assert_complete_xlsx(&p),
            _ => panic!("unexpected output {n}"),
        }
    }
}

#[test]
fn a_named_pipe_in_a_folder_is_skipped_rather_than_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "decls/a.yaml", misspelt());
    // A pipe with no writer: reading it would wait forever.
    let made = Command::new("mkfifo")
        .arg(dir.path().join("decls/b.yaml"))
        .status()
        .unwrap();
    assert!(made.success());
    let start = Instant::now();
    let (status, diags, err) = check_json(dir.path(), &["decls"]);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(status, 1, "{err}");
    assert_eq!(codes_of(&diags), ["yaml.unknown-key"], "{diags:?}");
}

#[test]
fn an_endless_device_is_refused_at_the_size_limit() {
    // /dev/zero reports a size of 0 but never ends: the read itself must be bounded, or memory
    // grows until the machine gives out.
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["check", "--lang", "en", "/dev/zero"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 1);
    let e = stdout(&o);
    assert!(
        e.contains("/dev/zero:1:1: error[input.too-large]")
            && e.contains("limited to 10485760 bytes"),
        "{e}"
    );
}

#[test]
fn a_declaration_named_twice_is_rendered_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in/one.yaml", good());
    std::os::unix::fs::symlink("one.yaml", dir.path().join("in/link.yaml")).unwrap();
    let o = run(
        dir.path(),
        &[
            "render",
            "in/one.yaml",
            "./in/one.yaml",
            "in",
            "-o",
            "out",
            "--lang",
            "en",
        ],
    );
    assert_no_panic(&o);
    // Rendered once: not reported as a name clash with itself (exit 1), nor written twice.
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(names(&dir.path().join("out")), ["one.pdf", "one.xlsx"]);
    let e = stderr(&o);
    assert!(e.contains("1 files") || e.contains("1 file"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Output names, clashes and replacing files (src/output.rs)
// ---------------------------------------------------------------------------------------------

/// A file name from raw bytes (a zip made on a Chinese Windows and unpacked on Linux keeps
/// its names in GBK).
fn raw_name(dir: &Path, bytes: &[u8], text: &str) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let path = dir.join(std::ffi::OsStr::from_bytes(bytes));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn three_gbk_file_names_in_one_folder_give_three_outputs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    // 刻章, 审批, 服务 in GBK: each would print as `����` and, before, all three wrote `����.xlsx`.
    for (name, goal) in [
        (&b"\xbf\xcc\xd5\xc2.yaml"[..], "甲"),
        (b"\xc9\xf3\xc5\xfa.yaml", "乙"),
        (b"\xb7\xfe\xce\xf1.yaml", "丙"),
    ] {
        raw_name(
            &dir.path().join("in"),
            name,
            &project(goal, "      - 家数: ≥7500家\n"),
        );
    }
    // Not GBK either: its stray bytes are kept, escaped.
    raw_name(&dir.path().join("in"), b"x\xff.yaml", &good());
    let o = run(
        dir.path(),
        &[
            "render", "in", "-o", "out", "--format", "xlsx", "--lang", "en",
        ],
    );
    assert_no_panic(&o);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        names(&dir.path().join("out")),
        ["x%FF.xlsx", "刻章.xlsx", "审批.xlsx", "服务.xlsx"]
    );
    // Each output holds its own form (its goal), not another's.
    for (name, goal) in [("刻章", "甲"), ("审批", "乙"), ("服务", "丙")] {
        let bytes = std::fs::read(dir.path().join(format!("out/{name}.xlsx"))).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut strings = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
            &mut strings,
        )
        .unwrap();
        assert!(
            strings.contains(goal),
            "{name}.xlsx does not hold its goal {goal}"
        );
    }
    // The names are printed decoded, never as raw bytes.
    assert!(stderr(&o).contains("刻章.xlsx"), "{}", stderr(&o));
}

#[test]
fn two_inputs_with_one_output_name_are_caught_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/x.yaml", good());
    write(dir.path(), "b/x.YML", good());
    let o = run(
        dir.path(),
        &[
            "render", "a", "b", "-o", "out", "--format", "xlsx", "--lang", "en",
        ],
    );
    assert_no_panic(&o);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("a/x.yaml") && e.contains("b/x.YML") && e.contains("x.xlsx"),
        "{e}"
    );
    assert_eq!(names(&dir.path().join("out")), ["x.xlsx"]);
}

#[test]
fn the_workbook_never_replaces_an_input_an_output_of_the_run_or_a_foreign_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in/good.yaml", good());
    let render = |extra: &[&str]| {
        let mut args = vec![
            "render", "in", "-o", "out", "--format", "xlsx", "--lang", "en",
        ];
        args.extend_from_slice(extra);
        run(dir.path(), &args)
    };
    // Onto a declaration of the batch.
    let o = render(&["--workbook", "in/good.yaml"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("is the input"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("in/good.yaml")).unwrap(),
        good()
    );
    // Onto a form's own XLSX.
    let o = render(&["--workbook", "out/good.xlsx"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("would overwrite"), "{}", stderr(&o));
    // Onto a file of the user's: refused, nothing written, the file intact...
    write(dir.path(), "汇总.xlsx", "my own notes");
    let o = render(&["--workbook", "汇总.xlsx"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("汇总.xlsx")).unwrap(),
        "my own notes"
    );
    assert!(names(&dir.path().join("out")).is_empty());
    // ...unless --force; and a workbook jixiao wrote may be replaced by the next run.
    let o = render(&["--workbook", "汇总.xlsx", "--force"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = render(&["--workbook", "汇总.xlsx"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_complete_xlsx(&dir.path().join("汇总.xlsx"));
}

/// Sends `signal` to a 400-file batch once some outputs exist; returns the output folder.
fn interrupt_batch(dir: &Path, signal: i32) -> std::path::PathBuf {
    use std::os::unix::process::ExitStatusExt;
    let o = run(dir, &["sample", "--count", "400", "--out", "in"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = dir.join("out");
    let mut render = Command::new(BIN);
    render
        .args(["render", "in", "-o", "out", "-j", "2", "--lang", "en"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // A process started in the background by a non-interactive shell ignores SIGINT, and so
    // would jixiao, inheriting that: give it the default disposition, as a terminal's Ctrl-C
    // would find it.
    // SAFETY: `signal` is async-signal-safe, so it may run between fork and exec.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut render, || {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = render.spawn().unwrap();
    let start = Instant::now();
    while names(&out).iter().filter(|n| !n.starts_with('.')).count() < 4 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the batch ended before it could be interrupted"
        );
        assert!(start.elapsed() < TIMEOUT, "no output after {TIMEOUT:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
    let still_running = child.try_wait().unwrap().is_none();
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            child.kill().ok();
            panic!("jixiao did not stop after signal {signal}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        still_running,
        "the batch finished before the signal: nothing was interrupted"
    );
    // Ended by the signal itself, as the shell expects of an interrupted program.
    assert_eq!(status.signal(), Some(signal), "{status:?}");
    out
}

#[test]
fn sigterm_leaves_no_temporary_file_and_no_truncated_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = interrupt_batch(dir.path(), libc::SIGTERM);
    assert_interrupted_cleanly(&out);
}

// ---------------------------------------------------------------------------------------------
// Finding inputs (src/inputs.rs)
// ---------------------------------------------------------------------------------------------

#[test]
fn extensions_are_matched_in_any_case() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "decls/A.YAML", misspelt());
    write(dir.path(), "decls/B.Yml", misspelt());
    write(dir.path(), "decls/c.yaml.txt", misspelt());
    let (status, diags, err) = check_json(dir.path(), &["decls"]);
    assert_eq!(status, 1, "{err}");
    let files: Vec<&str> = diags.iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["decls/A.YAML", "decls/B.Yml"], "{diags:?}");
}

#[test]
fn a_folder_without_declarations_is_a_usage_error_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty/notes.txt", "nothing here");
    for cmd in ["check", "render"] {
        let o = run(dir.path(), &[cmd, "empty", "--lang", "en"]);
        assert_no_panic(&o);
        assert_eq!(code(&o), 2, "{cmd}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("no declaration files") && stderr(&o).contains("empty"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn an_unreadable_path_is_reported_on_its_own_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "decls/a.yaml", misspelt());
    write(dir.path(), "decls/locked/b.yaml", misspelt());
    let locked = dir.path().join("decls/locked");
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let binds = std::fs::read_dir(&locked).is_err();
    // A missing path among the inputs: that file's `input.missing` error, in the JSON like any
    // other file's (exit 1). A folder that cannot be listed (where permissions bind: not as
    // root) is no file: said on stderr, exit 2. Every other file is still checked.
    let (status, diags, err) = check_json(dir.path(), &["missing.yaml", "decls"]);
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    assert_eq!(status, if binds { 2 } else { 1 }, "{err}");
    let missing = diags
        .iter()
        .find(|d| d["file"] == "missing.yaml")
        .expect("missing.yaml reported");
    assert_eq!(missing["code"], "input.missing", "{diags:?}");
    assert!(
        missing["message"]
            .as_str()
            .unwrap()
            .contains("no such file"),
        "{diags:?}"
    );
    let files: Vec<&str> = diags.iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(files.contains(&"decls/a.yaml"), "{diags:?}");
    if binds {
        assert!(
            err.contains("decls/locked") && err.contains("cannot read"),
            "{err}"
        );
    }
}

#[test]
fn control_characters_in_a_file_name_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad\x1b[2J\u{202e}.yaml", misspelt());
    let o = run(dir.path(), &["check", ".", "--lang", "en"]);
    assert_no_panic(&o);
    for text in [stdout(&o), stderr(&o)] {
        assert!(
            !text.contains('\x1b') && !text.contains('\u{202e}'),
            "raw escape printed: {text:?}"
        );
    }
    assert!(
        stdout(&o).contains("bad\\u{1b}[2J\\u{202e}.yaml"),
        "{}",
        stdout(&o)
    );
}
