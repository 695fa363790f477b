//! Batch tests: `jixiao render` over a folder, as a bureau runs it, and `--workbook`.
//!
//! Through the binary: a folder mixing good and bad declarations (good outputs written, bad
//! ones not, exit 1, no temporary file left), reports in input order whatever the number of
//! jobs, plain progress lines and a summary when stderr is not a terminal, and the consolidated
//! workbook read back with calamine (sheets, 汇总 rows, numbers stored as numbers, same bytes
//! for the same inputs).

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};

mod cli_common;

use cli_common::{code, names, run_in as run, sample, stderr, stdout, write};

/// A valid project declaration that draws one warning (a legacy 二级 name, normalised).
fn with_warning() -> String {
    let text = sample(0);
    assert!(
        text.contains("    服务对象满意度指标:\n"),
        "the generator changed: {text}"
    );
    text.replace("    服务对象满意度指标:\n", "    满意度指标:\n")
}

/// A valid declaration turned invalid: 年度资金总额 no longer adds up.
fn bad_sum() -> String {
    let text = sample(0);
    let total = yaml_value(&text, "  total: ");
    text.replace(
        &format!("  total: {total}\n"),
        &format!("  total: {}\n", total + 1.0),
    )
}

/// The number after `key` at the start of a line.
fn yaml_value(text: &str, key: &str) -> f64 {
    let line = text
        .lines()
        .find(|l| l.starts_with(key))
        .unwrap_or_else(|| panic!("no {key:?} in {text}"));
    line[key.len()..].trim().parse().unwrap()
}

/// The folder every batch test uses: in input (sorted) order a good project, a bad sum, a
/// good department, a YAML syntax error, a project with a warning.
fn mixed_folder(dir: &Path) {
    write(dir, "in/a-project.yaml", sample(0));
    write(dir, "in/b-bad-sum.yaml", bad_sum());
    write(dir, "in/c-department.yaml", sample(1));
    write(dir, "in/d-syntax.yaml", "form: project\nname: [unclosed\n");
    write(dir, "in/e-warning.yaml", with_warning());
}

#[test]
fn a_bad_file_does_not_stop_the_batch_and_no_temporary_file_is_left() {
    let dir = tempfile::tempdir().unwrap();
    mixed_folder(dir.path());
    let o = run(
        dir.path(),
        &[
            "render",
            "in",
            "-o",
            "out",
            "-j",
            "2",
            "--lang",
            "en",
            "--workbook",
            "out/all.xlsx",
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(
        names(&dir.path().join("out")),
        [
            "a-project.pdf",
            "a-project.xlsx",
            "all.xlsx",
            "c-department.pdf",
            "c-department.xlsx",
            "e-warning.pdf",
            "e-warning.xlsx"
        ],
        "{}",
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(
        err.contains("b-bad-sum.yaml: has errors, nothing written"),
        "{err}"
    );
    assert!(
        err.contains("d-syntax.yaml: has errors, nothing written"),
        "{err}"
    );
    // The summary counts what happened.
    let last = err.lines().last().unwrap();
    assert!(
        last.starts_with("done: 5 files, 3 rendered (1 with warnings), 2 failed, "),
        "{last}"
    );
    assert!(last.ends_with("files/s)"), "{last}");
    assert!(
        err.contains("note: the workbook has no sheet for the 2 files that failed"),
        "{err}"
    );
}

#[test]
fn reports_come_in_input_order_whatever_the_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    mixed_folder(dir.path());
    let one = run(
        dir.path(),
        &["render", "in", "-o", "out1", "-j", "1", "--lang", "en"],
    );
    let two = run(
        dir.path(),
        &["render", "in", "-o", "out2", "-j", "2", "--lang", "en"],
    );
    assert_eq!(code(&one), 1);
    assert_eq!(code(&two), 1);
    // Diagnostics (stdout) are identical and in file order.
    let text = stdout(&two);
    assert_eq!(stdout(&one), text);
    let b = text.find("b-bad-sum.yaml").expect("b's diagnostics");
    let d = text.find("d-syntax.yaml").expect("d's diagnostics");
    let e = text.find("e-warning.yaml").expect("e's warning");
    assert!(b < d && d < e, "{text}");
    // Not a terminal: one numbered line per file that wrote something, in order.
    let progress: Vec<String> = stderr(&two)
        .lines()
        .filter(|l| l.starts_with('['))
        .map(String::from)
        .collect();
    assert_eq!(progress.len(), 3, "{}", stderr(&two));
    assert!(
        progress[0].starts_with("[1/5] wrote out2/a-project.pdf, out2/a-project.xlsx"),
        "{progress:?}"
    );
    assert!(
        progress[1].starts_with("[3/5] wrote out2/c-department.pdf"),
        "{progress:?}"
    );
    assert!(
        progress[2].starts_with("[5/5] wrote out2/e-warning.pdf"),
        "{progress:?}"
    );
    // Parallelism never changes an output.
    for name in [
        "a-project.pdf",
        "a-project.xlsx",
        "c-department.pdf",
        "e-warning.xlsx",
    ] {
        let a = std::fs::read(dir.path().join("out1").join(name)).unwrap();
        let b = std::fs::read(dir.path().join("out2").join(name)).unwrap();
        assert!(a == b, "{name} differs between -j 1 and -j 2");
    }
}

#[test]
fn the_summary_is_in_chinese_by_default() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in/a.yaml", sample(0));
    write(dir.path(), "in/b.yaml", "form: project\nname: [unclosed\n");
    let o = run(
        dir.path(),
        &["render", "in", "-o", "out", "--format", "xlsx"],
    );
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    let last = err.lines().last().unwrap();
    assert!(
        last.starts_with("完成：共 2 个文件，已生成 1 个（其中 0 个有警告），失败 1 个，用时 "),
        "{last}"
    );
    assert!(err.contains("[1/2] 已写出 out/a.xlsx"), "{err}");
}

/// The cell at (row, col) of a range (0-based, relative to A1).
fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

#[test]
fn the_workbook_has_a_summary_and_one_sheet_per_form_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    mixed_folder(dir.path());
    // A second form with the same 项目名称 as the first: its sheet name must differ.
    write(dir.path(), "in/f-same-name.yaml", sample(0));
    let o = run(
        dir.path(),
        &[
            "render",
            "in",
            "-o",
            "out",
            "--lang",
            "en",
            "--workbook",
            "all.xlsx",
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        names(dir.path()).iter().all(|n| !n.ends_with(".tmp")),
        "{:?}",
        names(dir.path())
    );
    let path = dir.path().join("all.xlsx");
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(sheets.len(), 3 + 4, "{sheets:?}");
    assert_eq!(&sheets[..3], ["汇总", "指标明细", "诊断"]);
    // The forms' sheets follow the batch's three.
    let sheets = &sheets[2..];
    let project_name = |text: &str| {
        let line = text.lines().find(|l| l.starts_with("name: ")).unwrap();
        serde_json::from_str::<String>(line["name: ".len()..].trim()).unwrap()
    };
    let name0 = project_name(&sample(0));
    let expected0: String = name0.chars().take(31).collect();
    assert_eq!(sheets[1], expected0);
    assert_eq!(
        sheets[2],
        project_name(&sample(1))
            .chars()
            .take(31)
            .collect::<String>()
    );
    // e-warning and f-same-name have the same name as a-project: suffixed, still ≤ 31.
    assert!(
        sheets[3].ends_with(" (2)") && sheets[4].ends_with(" (3)"),
        "{sheets:?}"
    );
    for s in sheets {
        assert!(s.encode_utf16().count() <= 31, "{s}");
        assert!(!s.contains(['[', ']', ':', '*', '?', '/', '\\']), "{s}");
    }

    let summary = book.worksheet_range("汇总").unwrap();
    assert_eq!(
        summary.height(),
        1 + 6,
        "one header row and one row per input file, failed ones too"
    );
    assert_eq!(cell(&summary, 0, 0), Data::String("表单".into()));
    assert_eq!(cell(&summary, 0, 7), Data::String("警告数".into()));
    // Row 1: a-project.
    let a = sample(0);
    assert_eq!(
        cell(&summary, 1, 0),
        Data::String("项目支出绩效目标申报表".into())
    );
    assert_eq!(cell(&summary, 1, 2), Data::String(name0.clone()));
    assert_eq!(
        cell(&summary, 1, 3),
        Data::Float(yaml_value(&a, "  total: "))
    );
    assert_eq!(
        cell(&summary, 1, 4),
        Data::Float(yaml_value(&a, "  fiscal: "))
    );
    assert_eq!(
        cell(&summary, 1, 5),
        Data::Float(yaml_value(&a, "  other: "))
    );
    let indicators = a.lines().filter(|l| l.starts_with("      - ")).count() as f64;
    assert_eq!(cell(&summary, 1, 6), Data::Float(indicators));
    assert_eq!(cell(&summary, 1, 7), Data::Float(0.0));
    assert_eq!(
        cell(&summary, 1, 8),
        Data::String(Path::new("in").join("a-project.yaml").display().to_string())
    );
    assert_eq!(cell(&summary, 1, 9), Data::String(sheets[1].clone()));
    // Row 2: b-bad-sum, failed: its status and first error, no sheet.
    assert_eq!(cell(&summary, 2, 13), Data::String("有错误".into()));
    assert!(matches!(cell(&summary, 2, 15), Data::String(s) if s.contains("funds.sum")));
    assert_eq!(cell(&summary, 2, 9), Data::Empty);
    // Row 3: c-department: 支出合计, 财政拨款 = 上级 + 本级, 其他.
    let c = sample(1);
    assert_eq!(
        cell(&summary, 3, 0),
        Data::String("部门整体支出绩效目标设置申报表".into())
    );
    let expense = c.split("expense:\n").nth(1).unwrap();
    assert_eq!(
        cell(&summary, 3, 3),
        Data::Float(yaml_value(expense, "    total: "))
    );
    let fiscal = yaml_value(&c, "    superior: ") + yaml_value(&c, "    local: ");
    match cell(&summary, 3, 4) {
        Data::Float(v) => assert!((v - fiscal).abs() < 1e-9, "{v} vs {fiscal}"),
        other => panic!("财政拨款 stored as {other:?}"),
    }
    // Row 5: e-warning, with its warning counted.
    assert_eq!(cell(&summary, 5, 7), Data::Float(1.0));
    // Amounts carry the 0.00 format.
    let styles = book.worksheet_style("汇总").unwrap();
    let style = styles.get((1, 3)).expect("a style on the amount cell");
    let fmt = style.number_format.as_ref().expect("a number format");
    assert_eq!(fmt.format_code, "0.00");

    // Each form's sheet is the form: its title on top.
    for (sheet, title) in [
        (&sheets[1], "项目支出绩效目标申报表"),
        (&sheets[2], "部门整体支出绩效目标设置申报表"),
    ] {
        let range = book.worksheet_range(sheet).unwrap();
        match cell(&range, 0, 0) {
            Data::String(s) => assert!(s.contains(title), "{sheet}: {s}"),
            other => panic!("{sheet}: A1 is {other:?}"),
        }
    }
}

#[test]
fn the_same_inputs_give_the_same_workbook_bytes() {
    let dir = tempfile::tempdir().unwrap();
    mixed_folder(dir.path());
    let a = run(
        dir.path(),
        &[
            "render",
            "in",
            "-o",
            "out",
            "--format",
            "xlsx",
            "-j",
            "1",
            "--workbook",
            "a.xlsx",
        ],
    );
    let b = run(
        dir.path(),
        &[
            "render",
            "in",
            "-o",
            "out",
            "--format",
            "xlsx",
            "-j",
            "2",
            "--workbook",
            "b.xlsx",
        ],
    );
    assert_eq!(code(&a), 1);
    assert_eq!(code(&b), 1);
    let a = std::fs::read(dir.path().join("a.xlsx")).unwrap();
    let b = std::fs::read(dir.path().join("b.xlsx")).unwrap();
    assert!(a == b, "the workbook depends on the run");
}

#[test]
fn a_workbook_that_cannot_be_written_is_reported_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in/a.yaml", sample(0));
    // The workbook's path is a folder with something in it: refused, left alone.
    write(dir.path(), "book.xlsx/keep.txt", "precious");
    let o = run(
        dir.path(),
        &[
            "render",
            "in",
            "-o",
            "out",
            "--format",
            "xlsx",
            "--lang",
            "en",
            "--workbook",
            "book.xlsx",
        ],
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("book.xlsx: cannot write the workbook"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("book.xlsx/keep.txt")).unwrap(),
        "precious"
    );
    assert_eq!(names(dir.path()), ["book.xlsx", "in", "out"]);
    // The form itself was written.
    assert_eq!(names(&dir.path().join("out")), ["a.xlsx"]);
}

#[test]
fn a_workbook_over_a_form_output_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in/a.yaml", sample(0));
    let o = run(
        dir.path(),
        &[
            "render",
            "in",
            "-o",
            "out",
            "--lang",
            "en",
            "--workbook",
            "out/a.xlsx",
        ],
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("would overwrite the XLSX of in/a.yaml"),
        "{}",
        stderr(&o)
    );
    assert!(names(&dir.path().join("out")).is_empty());
}

#[test]
fn the_generator_covers_5_to_60_indicators_and_varied_texts_all_valid() {
    use jixiao::check::check_source;
    use jixiao::inputs::SourceFile;
    let fonts = jixiao::pdf::FontSet::bundled();
    let mut counts = std::collections::BTreeSet::new();
    let mut lengths = Vec::new();
    for index in 0..1000 {
        let (name, text) = jixiao::sample::generate(1, index);
        let checked = check_source(
            SourceFile {
                path: PathBuf::from(&name),
                text,
                diagnostics: Vec::new(),
            },
            &*fonts,
        );
        assert!(!checked.has_errors(), "{name}: {:?}", checked.diagnostics);
        let decl = checked.declaration.as_ref().unwrap();
        counts.insert(decl.indicators().count());
        let long = match decl {
            jixiao::declaration::Declaration::Project(p) => {
                p.goal.as_ref().unwrap().value.chars().count()
            }
            jixiao::declaration::Declaration::Department(d) => {
                d.functions.as_ref().unwrap().value.chars().count()
            }
            jixiao::declaration::Declaration::SelfEval(_) => {
                unreachable!("the sampler writes target forms")
            }
        };
        lengths.push(long);
    }
    assert_eq!(counts.first(), Some(&5));
    assert_eq!(counts.last(), Some(&60));
    assert!(
        counts.len() >= 50,
        "only {} distinct indicator counts",
        counts.len()
    );
    lengths.sort();
    let (short, long) = (lengths[0], lengths[lengths.len() - 1]);
    assert!(
        short < 40 && long > 150,
        "long texts range only {short}..{long} characters"
    );
}
