//! The corpus of malformed declarations (tests/corpus/*.yaml): each file states what `check` must
//! say about it in its first comment lines, so adding a case is adding a file:
//!
//! ```text
//! # expect: budget.income-sum line 14 exit 1     (code, line and exit status)
//! # expect: budget.part-missing line 20          (further diagnostics the file must give)
//! # expect: input.too-large line 1 exit 1        (a file `check` cannot read at all: an input.* code)
//! # expect-message: 请给整个值加引号              (text some diagnostic's message must hold, zh or en)
//! ```
//!
//! Every case runs twice: in-process under `catch_unwind` (no panic) and through the binary
//! (exit status, JSON output). A 10 MB string and an 11 MB file are generated here, not committed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use jixiao::check::{Checked, check_source};
use jixiao::inputs::{SourceFile, read};
use jixiao::validate::AllGlyphs;

/// No case may come near this (the brief measures speed; this only catches a hang).
const HANG_GUARD: Duration = Duration::from_secs(10);

#[derive(Debug)]
struct Expectation {
    /// (code, line) pairs that must all be reported.
    diagnostics: Vec<(String, u32)>,
    /// Texts that must each appear in some diagnostic's message (Chinese or English).
    messages: Vec<String>,
    exit: u8,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn cases() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Reads the `# expect:` lines at the top of a case (after an optional BOM).
fn expectation(bytes: &[u8], path: &Path) -> Expectation {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let mut diagnostics = Vec::new();
    let mut messages = Vec::new();
    let mut exit = None;
    for line in jixiao::diagnostic::lines(&head) {
        if let Some(text) = line.strip_prefix("# expect-message:") {
            messages.push(text.trim().to_string());
            continue;
        }
        let Some(rest) = line.strip_prefix("# expect:") else {
            break;
        };
        let words: Vec<&str> = rest.split_whitespace().collect();
        let mut i = 0;
        while i < words.len() {
            match words[i] {
                "exit" => {
                    exit = Some(words[i + 1].parse().unwrap());
                    i += 2;
                }
                code => {
                    assert_eq!(
                        words.get(i + 1),
                        Some(&"line"),
                        "{}: `{line}`",
                        path.display()
                    );
                    diagnostics.push((code.to_string(), words[i + 2].parse().unwrap()));
                    i += 3;
                }
            }
        }
    }
    let exit = exit.unwrap_or_else(|| panic!("{}: no `# expect: … exit N` line", path.display()));
    Expectation {
        diagnostics,
        messages,
        exit,
    }
}

fn found(checked: &Checked) -> Vec<(String, u32)> {
    checked
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str().to_string(), d.loc.line))
        .collect()
}

/// Checks one file in-process, under `catch_unwind`; returns the outcome and the time taken.
fn in_process(path: &Path) -> (Result<Checked, String>, Duration) {
    let start = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| match read(path) {
        Ok(source) => Ok(check_source(source, &AllGlyphs)),
        // What the commands report for a file they cannot read.
        Err(e) => Ok(jixiao::check::unreadable(&e)),
    }))
    .unwrap_or_else(|_| panic!("{}: check panicked", path.display()));
    (outcome, start.elapsed())
}

fn binary_json(path: &Path) -> (u8, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    let status = out
        .status
        .code()
        .unwrap_or_else(|| panic!("{}: killed by a signal", path.display()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "{}: the binary panicked: {stderr}",
        path.display()
    );
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{}: stdout is not one JSON value ({e})", path.display()));
    (status as u8, json)
}

fn json_found(json: &serde_json::Value) -> Vec<(String, u32)> {
    json.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap() as u32,
            )
        })
        .collect()
}

#[test]
fn corpus_cases_give_their_code_line_and_exit_status() {
    let files = cases();
    assert!(
        files.len() >= 40,
        "the corpus has {} cases, the brief asks for at least 40",
        files.len()
    );
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, PathBuf::new());
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(path).unwrap();
        let expect = expectation(&bytes, path);

        let (outcome, took) = in_process(path);
        if took > slowest.0 {
            slowest = (took, path.clone());
        }
        match &outcome {
            Ok(checked) => {
                let got = found(checked);
                for want in &expect.diagnostics {
                    if !got.contains(want) {
                        failures.push(format!(
                            "{name}: in-process: expected {want:?}, got {got:?}"
                        ));
                    }
                }
                for text in &expect.messages {
                    if !checked
                        .diagnostics
                        .iter()
                        .any(|d| d.zh.contains(text.as_str()) || d.en.contains(text.as_str()))
                    {
                        let said: Vec<&str> =
                            checked.diagnostics.iter().map(|d| d.zh.as_str()).collect();
                        failures.push(format!("{name}: no message holds {text:?}; said {said:?}"));
                    }
                }
                let status = u8::from(checked.has_errors());
                if status != expect.exit {
                    failures.push(format!(
                        "{name}: in-process: status {status}, expected {} ({got:?})",
                        expect.exit
                    ));
                }
            }
            Err(e) => failures.push(format!("{name}: unreadable: {e}")),
        }

        let (status, json) = binary_json(path);
        if status != expect.exit {
            failures.push(format!(
                "{name}: binary exit {status}, expected {}",
                expect.exit
            ));
        }
        let got = json_found(&json);
        for want in &expect.diagnostics {
            if !got.contains(want) {
                failures.push(format!("{name}: binary: expected {want:?}, got {got:?}"));
            }
        }
    }
    eprintln!(
        "corpus: {} cases; slowest in-process: {} in {:?}",
        files.len(),
        slowest.1.file_name().unwrap().to_string_lossy(),
        slowest.0
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(slowest.0 < HANG_GUARD, "{slowest:?}");
}

/// A valid project declaration whose 年度总体目标 is `goal`.
fn project_with_goal(goal: &str) -> String {
    format!(
        "form: project\nyear: 2023\nname: 测试项目\ngoal: {goal}\nfunds:\n  total: 1\nindicators:\n  产出指标:\n    数量指标:\n      - a: 1\n  效益指标:\n    社会效益指标:\n      - b: 良好\n  满意度指标:\n    服务对象满意度指标:\n      - c: 95%\n"
    )
}

#[test]
fn a_ten_megabyte_string_is_a_located_limit_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge-goal.yaml");
    let text = project_with_goal(&"长".repeat(10_000_000 / 3));
    assert!(text.len() > 9_900_000 && text.len() < 10 * 1024 * 1024);
    std::fs::write(&path, &text).unwrap();

    let start = Instant::now();
    let checked = catch_unwind(|| {
        check_source(
            SourceFile {
                path: path.clone(),
                text: text.clone(),
                diagnostics: Vec::new(),
            },
            &AllGlyphs,
        )
    })
    .expect("no panic");
    let took = start.elapsed();
    eprintln!("10 MB string: checked in {took:?}");
    assert!(took < HANG_GUARD, "{took:?}");
    assert!(
        found(&checked).contains(&("yaml.limit".to_string(), 4)),
        "{:?}",
        found(&checked)
    );

    let (status, json) = binary_json(&path);
    assert_eq!(status, 1);
    assert!(json_found(&json).contains(&("yaml.limit".to_string(), 4)));
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("too-big.yaml");
    let text = project_with_goal(&"x".repeat(11 * 1024 * 1024));
    std::fs::write(&path, &text).unwrap();
    // Through the binary: the file's `input.too-large` error in the one JSON array (exit 1).
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["check", "--format", "json", "--lang", "en"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json_found(&json), [("input.too-large".to_string(), 1)]);
    assert!(
        json[0]["message"].as_str().unwrap().contains("bytes"),
        "{json}"
    );
    // In-process, text handed over directly: a located yaml.limit error.
    let checked = check_source(
        SourceFile {
            path,
            text,
            diagnostics: Vec::new(),
        },
        &AllGlyphs,
    );
    assert_eq!(found(&checked), [("yaml.limit".to_string(), 1)]);
}

mod mutations {
    //! Random edits of the seed examples: whatever the edit, checking never panics, every
    //! diagnostic points inside the file, and the report renders.

    use super::*;
    use proptest::prelude::*;

    /// Characters that matter to YAML, to the value parsers and to the report's caret.
    const ALPHABET: &[char] = &[
        ':', '-', ' ', '\n', '\t', '"', '\'', '[', ']', '{', '}', '&', '*', '#', '|', '>', '!',
        '%', ',', '.', '0', '9', '≥', '≧', '万', '元', '\r', '\u{feff}', '\u{7}', '𠀀',
    ];

    fn seeds() -> [String; 2] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        [
            std::fs::read_to_string(dir.join("chaisang-2023-project.yaml")).unwrap(),
            std::fs::read_to_string(dir.join("chaisang-2023-department.yaml")).unwrap(),
        ]
    }

    /// Applies (position, action, character) edits on character boundaries.
    fn mutate(text: &str, edits: &[(usize, u8, usize)]) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for &(pos, action, c) in edits {
            let at = pos % (chars.len() + 1);
            let c = ALPHABET[c % ALPHABET.len()];
            match action % 3 {
                0 => chars.insert(at, c),
                1 if at < chars.len() => {
                    chars.remove(at);
                }
                _ if at < chars.len() => chars[at] = c,
                _ => chars.push(c),
            }
        }
        chars.into_iter().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn random_edits_never_panic_and_stay_located(
            which in 0usize..2,
            edits in prop::collection::vec((0usize..20_000, 0u8..3, 0usize..64), 1..8),
        ) {
            let text = mutate(&seeds()[which], &edits);
            let lines = jixiao::diagnostic::lines(&text).count() as u32;
            let checked = catch_unwind(AssertUnwindSafe(|| {
                check_source(SourceFile { path: PathBuf::from("m.yaml"), text: text.clone(), diagnostics: Vec::new() }, &AllGlyphs)
            }));
            prop_assert!(checked.is_ok(), "check panicked on {text:?}");
            let checked = checked.unwrap();
            for d in &checked.diagnostics {
                prop_assert!(d.loc.line >= 1 && d.loc.line <= lines, "{d:?} outside {lines} lines");
            }
            let human = catch_unwind(AssertUnwindSafe(|| jixiao::report::human(&checked, jixiao::diagnostic::Lang::Zh)));
            prop_assert!(human.is_ok(), "report panicked on {text:?}");
        }
    }
}
