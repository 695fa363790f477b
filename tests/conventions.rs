//! Meeting users where they are (issue 17): declarations saved as GBK or UTF-16, standard input
//! and output, colour, quiet and verbose, shell completions, the language of every message, and
//! `jixiao watch`. Each test runs the real binary.

mod cli_common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use cli_common::{code, stderr, stdout, write};

const PROJECT: &str = "data/chaisang-2023-project.yaml";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The binary with a neutral environment: no colour or language settings inherited.
fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    c.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for var in [
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "JIXIAO_LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
    ] {
        c.env_remove(var);
    }
    c
}

fn run(args: &[&str]) -> Output {
    command(args).output().unwrap()
}

fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    text.encode_utf16()
        .for_each(|u| out.extend(u.to_le_bytes()));
    out
}

fn utf16be(text: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    text.encode_utf16()
        .for_each(|u| out.extend(u.to_be_bytes()));
    out
}

/// `text` in GBK proper (not the GB18030 four-byte forms): every character must have a GBK code.
fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "the example has characters outside GBK");
    bytes.into_owned()
}

#[test]
fn gbk_and_utf16_declarations_render_exactly_as_their_utf8_twin() {
    // The example's one character outside GBK is in a comment (an OCR note).
    let text = std::fs::read_to_string(repo(PROJECT))
        .unwrap()
        .replace('≪', "<<");
    let dir = tempfile::tempdir().unwrap();
    let twins = [
        ("utf8", text.as_bytes().to_vec(), None),
        ("gbk", gbk(&text), Some("GB18030")),
        ("utf16le", utf16le(&text), Some("UTF-16LE")),
        ("utf16be", utf16be(&text), Some("UTF-16BE")),
    ];
    let mut outputs = Vec::new();
    for (name, bytes, encoding) in &twins {
        // The same file name in its own folder, so the outputs are comparable byte for byte.
        let input = write(&dir.path().join(name), "form.yaml", bytes);
        let out = dir.path().join(format!("out-{name}"));
        let o = run(&[
            "render",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--lang",
            "en",
        ]);
        assert_eq!(code(&o), 0, "{name}: {}{}", stdout(&o), stderr(&o));
        let check = run(&["check", "--format", "json", input.to_str().unwrap()]);
        let diags: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
        let notes: Vec<&serde_json::Value> = diags
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "input.encoding")
            .collect();
        match encoding {
            None => assert!(notes.is_empty(), "{diags}"),
            Some(enc) => {
                assert_eq!(notes.len(), 1, "{name}: {diags}");
                assert_eq!(notes[0]["severity"], "warning");
                assert!(
                    notes[0]["message"].as_str().unwrap().contains(enc),
                    "{}",
                    notes[0]
                );
            }
        }
        outputs.push((
            name,
            std::fs::read(out.join("form.pdf")).unwrap(),
            std::fs::read(out.join("form.xlsx")).unwrap(),
        ));
    }
    let (_, pdf, xlsx) = &outputs[0];
    for (name, p, x) in &outputs[1..] {
        assert!(p == pdf, "{name}: the PDF differs from the UTF-8 twin's");
        assert!(x == xlsx, "{name}: the XLSX differs from the UTF-8 twin's");
    }
}

#[test]
fn diagnostics_of_a_gbk_file_are_located_in_its_decoded_text() {
    let dir = tempfile::tempdir().unwrap();
    // A misspelt key on line 3, column 1, after two lines of Chinese.
    let path = write(
        dir.path(),
        "x.yaml",
        gbk("form: project\nname: 某某项目名称\n项目名成: x\n"),
    );
    let o = run(&["check", path.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(out.contains("x.yaml:3:1: error[yaml.unknown-key]"), "{out}");
    assert!(
        out.contains("3 | 项目名成: x"),
        "the source line is shown decoded: {out}"
    );
    assert!(
        out.contains("warning[input.encoding]") && out.contains("GB18030"),
        "{out}"
    );
    // Bytes that are no encoding jixiao reads: a located error, not an I/O failure.
    let path = write(dir.path(), "bad.yaml", b"form: project\nname: \xFF\xFF\n");
    let o = run(&["check", "--lang", "en", path.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("bad.yaml:2:7: error[input.encoding]"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn check_and_render_read_standard_input() {
    let text = std::fs::read(repo(PROJECT)).unwrap();
    let o = run_with_stdin(
        &[
            "check",
            "-",
            "--stdin-name",
            "申报.yaml",
            "--format",
            "json",
        ],
        &text,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let diags: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        diags
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["file"] == "申报.yaml"),
        "{diags}"
    );
    // Without a name, `<stdin>`; an error is located there.
    let o = run_with_stdin(&["check", "-"], b"form: project\nnmae: x\n");
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("<stdin>:2:1: error[yaml.unknown-key]"),
        "{}",
        stdout(&o)
    );
    // `render -` names its outputs after --stdin-name.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = run_with_stdin(
        &["render", "-", "--stdin-name", "a/申报.yaml", "-o", out],
        &text,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(cli_common::names(dir.path()), ["申报.pdf", "申报.xlsx"]);
    // … and refuses to guess one.
    let o = run_with_stdin(&["render", "-", "-o", out], &text);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--stdin-name"), "{}", stderr(&o));
}

#[test]
fn render_to_standard_output_writes_the_one_pdf() {
    let o = run(&["render", PROJECT, "-o", "-"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        o.stdout.starts_with(b"%PDF-"),
        "{:?}",
        &o.stdout[..o.stdout.len().min(16)]
    );
    // The same bytes as the file `render` writes.
    let dir = tempfile::tempdir().unwrap();
    let o2 = run(&[
        "render",
        PROJECT,
        "-o",
        dir.path().to_str().unwrap(),
        "--format",
        "pdf",
    ]);
    assert_eq!(code(&o2), 0);
    assert!(std::fs::read(dir.path().join("chaisang-2023-project.pdf")).unwrap() == o.stdout);
    // Standard input to standard output.
    let o = run_with_stdin(
        &["render", "-", "-o", "-"],
        &std::fs::read(repo(PROJECT)).unwrap(),
    );
    assert!(
        code(&o) == 0 && o.stdout.starts_with(b"%PDF-"),
        "{}",
        stderr(&o)
    );
    // One document only.
    let o = run(&["render", "data", "-o", "-"]);
    assert_eq!(code(&o), 2);
    assert!(o.stdout.is_empty());
}

#[test]
fn colour_is_chosen_by_the_flag_and_no_color() {
    let bad = "data/chaisang-2023-department.yaml"; // warnings
    let always = run(&["check", "--color", "always", PROJECT, bad]);
    let out = stdout(&always);
    assert!(out.contains("\u{1b}["), "{out}");
    assert!(
        out.contains("\u{1b}[1m\u{1b}[93mwarning["),
        "a coloured severity: {out:?}"
    );
    let never = run(&["check", "--color", "never", PROJECT, bad]);
    assert!(!stdout(&never).contains('\u{1b}') && !stderr(&never).contains('\u{1b}'));
    // Without escapes, the same text.
    assert_eq!(
        anstream::adapter::strip_str(&out).to_string(),
        stdout(&never)
    );
    // auto: a pipe is not a terminal, and NO_COLOR is honoured.
    let auto = command(&["check", bad])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&auto).contains('\u{1b}'));
    let forced = command(&["check", bad])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(stdout(&forced).contains('\u{1b}'));
}

#[test]
fn completions_generate_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = run(&["completions", shell]);
        assert_eq!(code(&o), 0, "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for word in ["jixiao", "watch", "completions", "stdin-name", "color"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    assert_eq!(code(&run(&["completions", "tcsh"])), 2);
}

#[test]
fn quiet_prints_errors_only_and_verbose_more() {
    let warned = "data/chaisang-2023-department.yaml";
    let normal = run(&["check", warned]);
    assert!(stdout(&normal).contains("warning["));
    let quiet = run(&["check", "-q", warned]);
    assert_eq!(code(&quiet), 0);
    assert_eq!(stdout(&quiet), "", "no warnings, no summary");
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.yaml", "form: project\nnmae: x\n");
    let quiet = run(&["check", "--quiet", bad.to_str().unwrap(), warned]);
    assert_eq!(code(&quiet), 1);
    let out = stdout(&quiet);
    assert!(
        out.contains("error[yaml.unknown-key]")
            && !out.contains("warning[")
            && !out.contains("共检查"),
        "{out}"
    );
    let out_dir = dir.path().join("out");
    let quiet = run(&["render", "-q", warned, "-o", out_dir.to_str().unwrap()]);
    assert_eq!(
        (
            code(&quiet),
            stderr(&quiet).as_str(),
            stdout(&quiet).as_str()
        ),
        (0, "", "")
    );
    let verbose = run(&["render", "-v", warned, "-o", out_dir.to_str().unwrap()]);
    assert!(stderr(&verbose).contains("毫秒"), "{}", stderr(&verbose));
    assert_eq!(
        code(&run(&["check", "-q", "-v", warned])),
        2,
        "-q and -v conflict"
    );
}

#[test]
fn messages_follow_the_flag_then_jixiao_lang_then_lang() {
    // A missing input is that file's `input.missing` error, in the report on stdout.
    let missing = |c: &mut Command| stdout(&c.output().unwrap());
    let zh = missing(&mut command(&["check", "no/such.yaml"]));
    assert!(
        zh.contains("no/such.yaml")
            && zh.contains("input.missing")
            && zh.contains("没有这个文件或文件夹"),
        "{zh}"
    );
    let en = missing(&mut command(&["check", "--lang", "en", "no/such.yaml"]));
    assert!(
        en.contains("no/such.yaml") && en.contains("input.missing") && en.contains("no such file"),
        "{en}"
    );
    assert!(
        missing(command(&["check", "no/such.yaml"]).env("LANG", "en_US.UTF-8"))
            .contains("no such file")
    );
    assert!(
        missing(
            command(&["check", "no/such.yaml"])
                .env("LANG", "en_US.UTF-8")
                .env("JIXIAO_LANG", "zh")
        )
        .contains("没有这个文件")
    );
    assert!(
        missing(command(&["check", "--lang", "zh", "no/such.yaml"]).env("JIXIAO_LANG", "en"))
            .contains("没有这个文件")
    );
    let bad = command(&["check", "no/such.yaml"])
        .env("JIXIAO_LANG", "fr")
        .output()
        .unwrap();
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("JIXIAO_LANG=fr"));
    // Usage mistakes too, before the details clap gives.
    let usage = run(&["check", "--frobnicate", "x.yaml"]);
    assert_eq!(code(&usage), 2);
    assert!(
        stderr(&usage).starts_with("错误：无法识别的参数 --frobnicate"),
        "{}",
        stderr(&usage)
    );
    let usage = run(&["check", "--lang", "en", "--frobnicate", "x.yaml"]);
    assert!(
        stderr(&usage).starts_with("error: unexpected argument --frobnicate"),
        "{}",
        stderr(&usage)
    );
    // Summaries.
    let o = command(&["check", PROJECT])
        .env("JIXIAO_LANG", "en")
        .output()
        .unwrap();
    assert!(
        stdout(&o).contains("checked 1 file: 0 with errors"),
        "{}",
        stdout(&o)
    );
    let o = run(&["check", PROJECT]);
    assert!(stdout(&o).contains("共检查 1 个文件"), "{}", stdout(&o));
}

/// Waits up to `limit` for `ready`, polling.
fn wait_for(limit: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Kills the watcher however the test ends.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn watch_renders_again_on_save_and_keeps_the_last_good_pdf_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo(PROJECT)).unwrap();
    let input = write(dir.path(), "form.yaml", &text);
    let out = dir.path().join("out");
    let pdf = out.join("form.pdf");
    let child = command(&[
        "watch",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "pdf",
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let _watcher = Killed(child);
    assert!(
        wait_for(Duration::from_secs(20), || pdf.is_file()),
        "the first render"
    );
    let first = std::fs::read(&pdf).unwrap();

    // A change of the project's name: a new PDF.
    let renamed = text.replacen("name: ", "name: 改名后的", 1);
    assert_ne!(renamed, text);
    let changed_at = Instant::now();
    std::fs::write(&input, &renamed).unwrap();
    assert!(
        wait_for(Duration::from_secs(20), || std::fs::read(&pdf)
            .is_ok_and(|b| !b.is_empty() && b != first)),
        "no new PDF within 20 s of the save"
    );
    println!(
        "watch: new PDF {} ms after the save (debounce included)",
        changed_at.elapsed().as_millis()
    );
    // Nothing saved since, nothing rendered (reading the file is an event too: it must not loop).
    std::thread::sleep(Duration::from_millis(500));
    let modified = || std::fs::metadata(&pdf).unwrap().modified().unwrap();
    let before = modified();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(modified(), before, "rendered again without a save");
    let second = std::fs::read(&pdf).unwrap();

    // An error: the last good PDF stays.
    std::fs::write(&input, "form: project\nnmae: x\n").unwrap();
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        std::fs::read(&pdf).unwrap() == second,
        "a version with errors replaced the PDF"
    );
    // Fixed again: rendered again (the first text: the first PDF, byte for byte).
    std::fs::write(&input, &text).unwrap();
    assert!(
        wait_for(Duration::from_secs(20), || std::fs::read(&pdf)
            .is_ok_and(|b| b == first)),
        "not rendered after the fix"
    );
}
