//! The README's tour, replayed as written: its shell commands are read from README.md itself
//! (so the two cannot drift apart) and run one by one in a fresh, empty folder with the built
//! `jixiao` first on PATH, the way a newcomer types them. The one step a person does by hand,
//! filling in the starter, is done as step 2 tells: each `【请填写…，如 示例】` becomes its example.
//! The tour must end with a clean batch and its workbook.

#[path = "cli_common/mod.rs"]
mod cli_common;

use std::path::Path;
use std::time::Duration;

use cli_common::{code, fill_in, run_timed, stderr, stdout};

/// The section of README.md holding the tour.
const TOUR: &str = "## 五分钟上手";

/// The tour's code blocks in order: (language, lines).
fn tour_blocks() -> Vec<(String, Vec<String>)> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find(TOUR).expect("README has the tour");
    let section = &readme[start + TOUR.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut blocks = Vec::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in section.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(lang)) => current = Some((lang.trim().to_string(), Vec::new())),
            (Some(_), Some(_)) => blocks.push(current.take().unwrap()),
            (Some((_, lines)), None) => lines.push(line.to_string()),
            (None, None) => {}
        }
    }
    blocks
}

/// The commands of a `sh` block: comments (from ` #` on) and blank lines dropped.
fn commands(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            l.find(" #")
                .map_or(l.as_str(), |i| &l[..i])
                .trim()
                .to_string()
        })
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Runs one command line of the tour in `dir` with the built jixiao first on PATH.
fn sh(dir: &Path, command: &str) -> std::process::Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_jixiao")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    run_timed(
        "sh",
        dir,
        &["-c", command],
        &[("PATH", &path)],
        Duration::from_secs(300),
    )
}

#[test]
fn the_readme_tour_runs_as_written_in_a_fresh_folder() {
    let blocks = tour_blocks();
    let shell: Vec<Vec<String>> = blocks
        .iter()
        .filter(|(lang, _)| lang == "sh")
        .map(|(_, l)| commands(l))
        .collect();
    // init (+ schema), check, render one, render the folder with a workbook, the merged PDF and
    // the check's workbook, the Excel path.
    assert_eq!(shell.len(), 6, "the tour's sh blocks changed: {shell:?}");
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();

    for command in &shell[0] {
        let o = sh(dir, command);
        assert_eq!(code(&o), 0, "{command}: {}", stderr(&o));
    }
    let declaration = shell[1]
        .first()
        .and_then(|c| c.strip_prefix("jixiao check ").map(str::to_string))
        .expect("step 3 checks one file");
    let path = dir.join(&declaration);
    assert!(path.exists(), "step 1 did not make {declaration}");

    // Before step 2, the check shows what the README's example output shows, word for word.
    let o = sh(dir, &shell[1][0]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let shown = &blocks
        .iter()
        .find(|(lang, _)| lang == "text")
        .expect("the example output")
        .1;
    for line in shown.iter().filter(|l| l.contains("error[")) {
        assert!(
            stdout(&o).contains(line.as_str()),
            "README shows\n{line}\nbut check prints\n{}",
            stdout(&o)
        );
    }

    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, fill_in(&text)).unwrap();
    for command in shell[1..].iter().flatten() {
        let o = sh(dir, command);
        assert_eq!(code(&o), 0, "{command}:\n{}\n{}", stdout(&o), stderr(&o));
        assert!(!stdout(&o).contains("error["), "{command}: {}", stdout(&o));
    }
    // What steps 4 and 5 (and the batch's two commands) promise.
    let stem = Path::new(&declaration)
        .file_stem()
        .unwrap()
        .to_str()
        .unwrap();
    for name in [
        format!("out/{stem}.pdf"),
        format!("out/{stem}.xlsx"),
        "out/汇总.xlsx".to_string(),
        "out/全部.pdf".to_string(),
        "检查结果.xlsx".to_string(),
        // Step 6: the template, the workbook rendered again, and imported as YAML.
        "项目模板.xlsx".to_string(),
        format!("重印/{stem}.pdf"),
        format!("{stem}-导入.yaml"),
    ] {
        assert!(dir.join(&name).is_file(), "no {name}");
    }
}

#[test]
fn filling_in_takes_each_placeholders_example() {
    assert_eq!(
        fill_in("year: 【请填写年度，如 2024】 # 【请填写…】"),
        "year: 2024 # 【请填写…】"
    );
}

/// Runs the built jixiao with `args` in `dir`.
fn jixiao(dir: &Path, args: &[&str]) -> std::process::Output {
    run_timed(
        env!("CARGO_BIN_EXE_jixiao"),
        dir,
        args,
        &[],
        Duration::from_secs(300),
    )
}

#[test]
fn template_source_prints_the_built_in_template() {
    let dir = tempfile::tempdir().unwrap();
    let o = jixiao(dir.path(), &["template-source"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), jixiao::pdf::TEMPLATE);
    // What it prints is a working template: rendering with it gives the built-in PDF.
    std::fs::write(dir.path().join("form.typ"), &o.stdout).unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/chaisang-2023-project.yaml");
    let example = example.to_str().unwrap();
    for (out, extra) in [("a", &["--template", "form.typ"][..]), ("b", &[][..])] {
        let mut args = vec!["render", example, "-o", out, "--outputs", "pdf"];
        args.extend(extra);
        let o = jixiao(dir.path(), &args);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    let pdf =
        |d: &str| std::fs::read(dir.path().join(d).join("chaisang-2023-project.pdf")).unwrap();
    assert!(
        pdf("a") == pdf("b"),
        "the printed template draws another PDF"
    );
}

#[test]
fn render_outputs_is_the_option_and_format_still_works_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/chaisang-2023-project.yaml");
    let example = example.to_str().unwrap();
    let o = jixiao(
        dir.path(),
        &["render", example, "-o", "new", "--outputs", "xlsx"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("--outputs"), "{}", stderr(&o));
    assert_eq!(
        cli_common::names(&dir.path().join("new")),
        ["chaisang-2023-project.xlsx"]
    );

    let o = jixiao(
        dir.path(),
        &["render", example, "-o", "old", "--format", "xlsx"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("render --format is now --outputs"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        cli_common::names(&dir.path().join("old")),
        ["chaisang-2023-project.xlsx"]
    );

    // Both at once is a usage error, not a silent choice.
    let o = jixiao(
        dir.path(),
        &[
            "render",
            example,
            "-o",
            "both",
            "--format",
            "pdf",
            "--outputs",
            "xlsx",
        ],
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
}
