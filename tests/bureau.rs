//! The bureau's batch (issue 16), through the binary: `render --merge` read back with lopdf (page
//! count, bookmarks, page labels, tags, each form's own text and footer), the batch workbook read
//! back with calamine (every input in 汇总, failed and unreadable ones too; 指标明细 one row per
//! indicator with numbers as numbers; 诊断 one row per diagnostic), unreadable inputs as
//! `input.*` diagnostics in JSON, the cross-form `bundle.*` warnings, and `check --format xlsx`.

use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use lopdf::{Document, Object};
use serde_json::Value;

mod cli_common;

use cli_common::{code, run_in as run, sample, stderr, stdout, write};

const SEED_DEPARTMENT: &str = "data/chaisang-2023-department.yaml";
const SEED_PROJECT: &str = "data/chaisang-2023-project.yaml";

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn seed(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap()
}

/// The 项目/部门名称 of a declaration (`name: "…"` or `name: …`).
fn name_of(text: &str) -> String {
    let line = text.lines().find(|l| l.starts_with("name: ")).unwrap();
    let v = line["name: ".len()..].trim();
    serde_json::from_str::<String>(v)
        .unwrap_or_else(|_| v.split(" #").next().unwrap().trim().to_string())
}

/// A PDF text string (UTF-16BE with a mark, or bytes) as text.
fn pdf_text(o: &Object) -> String {
    let bytes = o.as_str().unwrap();
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).unwrap()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> &'a lopdf::Dictionary {
    doc.dereference(o).unwrap().1.as_dict().unwrap()
}

/// An outline entry: its title, its first page number and its children (title, page).
type Bookmark = (String, u32, Vec<(String, u32)>);

/// The outline as (title, first page number, children).
fn outline(doc: &Document) -> Vec<Bookmark> {
    let pages: std::collections::BTreeMap<lopdf::ObjectId, u32> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let page_of = |item: &lopdf::Dictionary| {
        let dest = item.get(b"Dest").unwrap().as_array().unwrap();
        pages[&dest[0].as_reference().unwrap()]
    };
    let children = |parent: &lopdf::Dictionary| {
        let mut out = Vec::new();
        let mut next = parent.get(b"First").ok().cloned();
        while let Some(o) = next {
            let item = dict(doc, &o);
            out.push(item.clone());
            next = item.get(b"Next").ok().cloned();
        }
        out
    };
    let root = dict(doc, doc.catalog().unwrap().get(b"Outlines").unwrap());
    children(root)
        .iter()
        .map(|folder| {
            let forms = children(folder)
                .iter()
                .map(|f| (pdf_text(f.get(b"Title").unwrap()), page_of(f)))
                .collect();
            (
                pdf_text(folder.get(b"Title").unwrap()),
                page_of(folder),
                forms,
            )
        })
        .collect()
}

/// The text of pages `numbers` (1-based) of a PDF, through poppler's pdftotext when installed,
/// else lopdf's extractor.
fn page_text(path: &Path, doc: &Document, number: u32) -> String {
    let n = number.to_string();
    if let Ok(o) = Command::new("pdftotext")
        .args(["-f", &n, "-l", &n, "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        && o.status.success()
    {
        return String::from_utf8_lossy(&o.stdout).into_owned();
    }
    doc.extract_text(&[number]).unwrap_or_default()
}

/// Text without any whitespace (extractors break lines and put spaces where they like).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_merged_pdf_holds_every_rendered_form_in_input_order_with_bookmarks_labels_and_tags() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Input order: in/a/1-project, in/a/2-department, in/b/3-project, in/b/4-broken (fails),
    // in/c/chaisang-2023-department, in/c/chaisang-2023-project.
    let texts = [sample(0), sample(1), sample(2)];
    write(d, "in/a/1-project.yaml", &texts[0]);
    write(d, "in/a/2-department.yaml", &texts[1]);
    write(d, "in/b/3-project.yaml", &texts[2]);
    write(d, "in/b/4-broken.yaml", "form: project\nname: [unclosed\n");
    write(
        d,
        "in/c/chaisang-2023-department.yaml",
        seed(SEED_DEPARTMENT),
    );
    write(d, "in/c/chaisang-2023-project.yaml", seed(SEED_PROJECT));
    let o = run(d, &["render", "in", "-o", "out", "--merge", "all.pdf"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("all.pdf"), "{}", stderr(&o));

    let forms = [
        ("in/a", "1-project", name_of(&texts[0])),
        ("in/a", "2-department", name_of(&texts[1])),
        ("in/b", "3-project", name_of(&texts[2])),
        (
            "in/c",
            "chaisang-2023-department",
            name_of(&seed(SEED_DEPARTMENT)),
        ),
        (
            "in/c",
            "chaisang-2023-project",
            name_of(&seed(SEED_PROJECT)),
        ),
    ];
    // Each form's own PDF: its page count and its pages' text.
    let mut own = Vec::new();
    for (_, stem, _) in &forms {
        let path = d.join(format!("out/{stem}.pdf"));
        let doc = Document::load(&path).unwrap();
        let n = doc.get_pages().len() as u32;
        let texts: Vec<String> = (1..=n).map(|p| page_text(&path, &doc, p)).collect();
        own.push((n, texts, doc));
    }
    let path = d.join("all.pdf");
    let merged = Document::load(&path).unwrap();
    let total: u32 = own.iter().map(|(n, ..)| n).sum();
    assert_eq!(merged.get_pages().len() as u32, total);

    // Bookmarks: one per folder, the forms' names under them, each at the form's first page.
    let got = outline(&merged);
    let mut first = 1;
    let mut expected: Vec<Bookmark> = Vec::new();
    for ((folder, _, name), (n, ..)) in forms.iter().zip(&own) {
        match expected.last_mut() {
            Some((f, _, items)) if f == folder => items.push((name.clone(), first)),
            _ => expected.push((folder.to_string(), first, vec![(name.clone(), first)])),
        }
        first += n;
    }
    assert_eq!(got, expected);

    // Every form's pages carry its own text (title, name, its own footer), in order.
    let mut page = 1;
    for ((_, _, name), (n, texts, _)) in forms.iter().zip(&own) {
        for (i, text) in texts.iter().enumerate() {
            let merged_text = page_text(&path, &merged, page);
            assert_eq!(squeeze(&merged_text), squeeze(text), "page {page}");
            assert!(
                squeeze(&merged_text).contains(&format!("第{}页共{n}页", i + 1)),
                "page {page}: {merged_text}"
            );
            page += 1;
        }
        let first_page = squeeze(&texts[0]);
        assert!(first_page.contains("绩效目标"), "{first_page}");
        assert!(
            first_page.contains(&squeeze(name)[..squeeze(name).len().min(24)]),
            "{name} not in {first_page}"
        );
    }

    // Page labels: form N's pages are N-1, N-2 …
    let catalog = merged.catalog().unwrap();
    let labels = dict(&merged, catalog.get(b"PageLabels").unwrap());
    let nums = labels.get(b"Nums").unwrap().as_array().unwrap();
    assert_eq!(nums.len(), 2 * forms.len());
    let mut first = 0;
    for (i, (n, ..)) in own.iter().enumerate() {
        assert_eq!(nums[2 * i].as_i64().unwrap(), first);
        let label = dict(&merged, &nums[2 * i + 1]);
        assert_eq!(pdf_text(label.get(b"P").unwrap()), format!("{}-", i + 1));
        first += *n as i64;
    }

    // Tags: one structure root whose children are the forms' own, and a parent tree entry for
    // every tagged page of every form.
    let root = dict(&merged, catalog.get(b"StructTreeRoot").unwrap());
    let kids_of = |root: &lopdf::Dictionary| match root.get(b"K").unwrap() {
        Object::Array(a) => a.len(),
        _ => 1,
    };
    let own_kids: usize = own
        .iter()
        .map(|(_, _, doc)| {
            kids_of(dict(
                doc,
                doc.catalog().unwrap().get(b"StructTreeRoot").unwrap(),
            ))
        })
        .sum();
    assert!(own_kids >= forms.len());
    assert_eq!(kids_of(root), own_kids);
    let entries = |doc: &Document, root: &lopdf::Dictionary| {
        dict(doc, root.get(b"ParentTree").unwrap())
            .get(b"Nums")
            .map_or(0, |n| n.as_array().unwrap().len() / 2)
    };
    let own_entries: usize = own
        .iter()
        .map(|(_, _, doc)| {
            entries(
                doc,
                dict(doc, doc.catalog().unwrap().get(b"StructTreeRoot").unwrap()),
            )
        })
        .sum();
    assert_eq!(entries(&merged, root), own_entries);
    assert!(
        dict(&merged, catalog.get(b"MarkInfo").unwrap())
            .get(b"Marked")
            .unwrap()
            .as_bool()
            .unwrap()
    );
    // Every page's StructParents is a key of the merged parent tree, and they are all distinct.
    let keys: std::collections::BTreeSet<i64> = dict(&merged, root.get(b"ParentTree").unwrap())
        .get(b"Nums")
        .unwrap()
        .as_array()
        .unwrap()
        .chunks(2)
        .map(|c| c[0].as_i64().unwrap())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for id in merged.get_pages().values() {
        let key = merged
            .get_dictionary(*id)
            .unwrap()
            .get(b"StructParents")
            .unwrap()
            .as_i64()
            .unwrap();
        assert!(
            keys.contains(&key) && seen.insert(key),
            "page {id:?}: key {key}"
        );
    }

    // The same inputs give the same bytes.
    let again = run(d, &["render", "in", "-o", "out2", "--merge", "again.pdf"]);
    assert_eq!(code(&again), 1);
    assert_eq!(
        std::fs::read(d.join("all.pdf")).unwrap(),
        std::fs::read(d.join("again.pdf")).unwrap()
    );
    assert!(cli_common::names(d).iter().all(|n| !n.ends_with(".tmp")));
}

#[test]
fn a_merged_pdf_a_declares_pdf_a_2b_and_keeps_the_output_intent() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "in/a.yaml", sample(0));
    write(d, "in/b.yaml", sample(1));
    // Only the merged PDF: no per-form files.
    let o = run(
        d,
        &[
            "render",
            "in",
            "-o",
            "out",
            "--format",
            "xlsx",
            "--pdf-standard",
            "a-2b",
            "--merge",
            "all.pdf",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!d.join("out/a.pdf").exists());
    let doc = Document::load(d.join("all.pdf")).unwrap();
    let catalog = doc.catalog().unwrap();
    let intents = doc
        .dereference(catalog.get(b"OutputIntents").unwrap())
        .unwrap()
        .1
        .as_array()
        .unwrap();
    let intent = dict(&doc, &intents[0]);
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
    assert!(intent.get(b"DestOutputProfile").is_ok());
    let meta = doc
        .get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap();
    let xmp = String::from_utf8_lossy(&meta.content);
    assert!(
        xmp.contains("<pdfaid:part>2</pdfaid:part>")
            && xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{xmp}"
    );
    assert!(doc.trailer.get(b"ID").is_ok());
    // qpdf, when installed, finds nothing wrong with the structure.
    if let Ok(o) = Command::new("qpdf")
        .arg("--check")
        .arg(d.join("all.pdf"))
        .output()
    {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    }
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn the_batch_workbook_accounts_for_every_input_and_lists_every_indicator_and_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "in/a-project.yaml", sample(0));
    write(d, "in/b-department.yaml", sample(1));
    write(d, "in/c-syntax.yaml", "form: project\nname: [unclosed\n");
    write(
        d,
        "in/d-binary.yaml",
        b"form: project\nname: \xff\x80\xff\n",
    );
    write(d, "in/e-project.yaml", sample(2));
    let o = run(
        d,
        &[
            "render",
            "in",
            "missing.yaml",
            "-o",
            "out",
            "--workbook",
            "all.xlsx",
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let mut book: Xlsx<_> = calamine::open_workbook(d.join("all.xlsx")).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(&sheets[..3], ["汇总", "指标明细", "诊断"]);
    assert_eq!(sheets.len(), 3 + 3, "{sheets:?}");

    let summary = book.worksheet_range("汇总").unwrap();
    assert_eq!(summary.height(), 1 + 6, "every input has a row");
    let files: Vec<String> = (1..=6).map(|r| cell(&summary, r, 8).to_string()).collect();
    let in_ = |f: &str| Path::new("in").join(f).display().to_string();
    assert_eq!(
        files,
        [
            in_("a-project.yaml"),
            in_("b-department.yaml"),
            in_("c-syntax.yaml"),
            in_("d-binary.yaml"),
            in_("e-project.yaml"),
            "missing.yaml".into()
        ]
    );
    let status: Vec<String> = (1..=6).map(|r| cell(&summary, r, 13).to_string()).collect();
    assert_eq!(
        status,
        [
            "已生成",
            "已生成",
            "有错误",
            "无法读取",
            "已生成",
            "无法读取"
        ]
    );
    // Failed files: their error count and first error.
    assert_eq!(number(&cell(&summary, 3, 14)), 1.0);
    assert!(cell(&summary, 3, 15).to_string().contains("yaml.syntax"));
    assert!(
        cell(&summary, 4, 15).to_string().contains("input.encoding"),
        "{:?}",
        cell(&summary, 4, 15)
    );
    assert!(cell(&summary, 6, 15).to_string().contains("input.missing"));
    // A rendered form links to its sheet; a failed one has no sheet.
    assert_eq!(cell(&summary, 1, 9).to_string(), sheets[3]);
    assert_eq!(cell(&summary, 3, 9), Data::Empty);

    // 指标明细: one row per indicator of every rendered form, numbers as numbers.
    let detail = book.worksheet_range("指标明细").unwrap();
    let rendered: f64 = (1..=6)
        .filter(|&r| status[r as usize - 1] == "已生成")
        .map(|r| number(&cell(&summary, r, 6)))
        .sum();
    assert!(rendered > 10.0);
    assert_eq!(detail.height() as f64, 1.0 + rendered);
    let headers: Vec<String> = (0..16).map(|c| cell(&detail, 0, c).to_string()).collect();
    assert_eq!(
        &headers[..6],
        ["文件", "填报单位", "项目/部门名称", "年度", "表单", "版式"]
    );
    let mut numbers = 0;
    for r in 1..detail.height() as u32 {
        let written = cell(&detail, r, 15).to_string();
        match cell(&detail, r, 10) {
            Data::Float(v) => {
                numbers += 1;
                // The number is the one written (`≥7500家` → 7500).
                let digits: String = written
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                assert_eq!(v, digits.parse::<f64>().unwrap(), "row {r}: {written}");
            }
            Data::Empty => {
                assert!(
                    !written.chars().any(|c| c.is_ascii_digit()) || written.contains('年'),
                    "row {r}: {written}"
                )
            }
            other => panic!("row {r}: 数值 is {other:?}"),
        }
        assert!(
            matches!(cell(&detail, r, 3), Data::Float(_)),
            "年度 as a number"
        );
    }
    assert!(numbers > 5);

    // 诊断: one row per diagnostic of the batch.
    let diagnostics = book.worksheet_range("诊断").unwrap();
    let counted: f64 = (1..=6)
        .map(|r| number(&cell(&summary, r, 14)) + number(&cell(&summary, r, 7)))
        .sum();
    assert_eq!(diagnostics.height() as f64 - 1.0, counted);
    let codes: Vec<String> = (1..diagnostics.height() as u32)
        .map(|r| cell(&diagnostics, r, 4).to_string())
        .collect();
    assert!(
        codes.contains(&"input.missing".to_string()) && codes.contains(&"yaml.syntax".to_string()),
        "{codes:?}"
    );
}

#[test]
fn self_evaluations_have_their_scores_in_the_batch_workbook_and_their_pages_in_the_merged_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The four examples: two target forms and the self-evaluations that read them.
    // In the folder's sorted order (`-` sorts before `.`).
    let stems = [
        "chaisang-2023-department-selfeval",
        "chaisang-2023-department",
        "chaisang-2023-project-selfeval",
        "chaisang-2023-project",
    ];
    for stem in stems {
        write(
            d,
            &format!("in/{stem}.yaml"),
            seed(&format!("data/{stem}.yaml")),
        );
    }
    let o = run(
        d,
        &[
            "render",
            "in",
            "-o",
            "out",
            "--workbook",
            "all.xlsx",
            "--merge",
            "all.pdf",
            "--lang",
            "en",
        ],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let mut book: Xlsx<_> = calamine::open_workbook(d.join("all.xlsx")).unwrap();
    let summary = book.worksheet_range("汇总").unwrap();
    let header: Vec<String> = (0..16).map(|c| cell(&summary, 0, c).to_string()).collect();
    assert_eq!(
        &header[10..],
        ["执行率", "总分", "等级", "状态", "错误数", "首个错误"]
    );
    assert_eq!(summary.height(), 1 + 4);
    for (r, stem) in (1..).zip(stems) {
        assert_eq!(cell(&summary, r, 13).to_string(), "已生成", "{stem}");
        let checked = jixiao::check::check_source(
            jixiao::inputs::read(&d.join(format!("in/{stem}.yaml"))).unwrap(),
            &jixiao::validate::AllGlyphs,
        );
        let decl = checked
            .renderable()
            .unwrap_or_else(|| panic!("{stem} does not render"));
        assert_eq!(
            cell(&summary, r, 0).to_string(),
            decl.kind().title(),
            "{stem}"
        );
        // A self-evaluation's name and unit are its target's.
        assert_eq!(
            cell(&summary, r, 1).to_string(),
            "柴桑区行政审批局",
            "{stem}"
        );
        let name = cell(&summary, r, 2).to_string();
        assert!(name.starts_with("柴桑区行政审批局"), "{stem}: {name}");
        match decl {
            jixiao::declaration::Declaration::SelfEval(form) => {
                let e = jixiao::selfeval::evaluate::evaluate(form);
                // 总分 and 等级 as the engine computes them; 执行率 a number (a fraction: 0.00%).
                assert_eq!(
                    number(&cell(&summary, r, 11)).to_string(),
                    e.total.normalize().to_string(),
                    "{stem}"
                );
                assert_eq!(cell(&summary, r, 12).to_string(), e.grade, "{stem}");
                let rate = e.execution.rate.expect("the examples give their execution");
                assert!(
                    (number(&cell(&summary, r, 10)) * 100.0
                        - rate.to_string().parse::<f64>().unwrap())
                    .abs()
                        < 1e-9
                );
            }
            _ => {
                for c in 10..=12 {
                    assert_eq!(cell(&summary, r, c), Data::Empty, "{stem}: column {c}");
                }
            }
        }
    }

    // 指标明细: every indicator of the four; a self-evaluation's rows carry their results.
    let detail = book.worksheet_range("指标明细").unwrap();
    let indicators: f64 = (1..=4).map(|r| number(&cell(&summary, r, 6))).sum();
    assert_eq!(detail.height() as f64, 1.0 + indicators);
    let header: Vec<String> = (16..19).map(|c| cell(&detail, 0, c).to_string()).collect();
    assert_eq!(header, ["实际完成值", "分值", "得分"]);
    let mut results = 0;
    for r in 1..detail.height() as u32 {
        let form = cell(&detail, r, 4).to_string();
        if form.ends_with("-selfeval") {
            results += 1;
            assert_eq!(cell(&detail, r, 5).to_string(), "mof-2020", "row {r}: 版式");
            assert!(
                !cell(&detail, r, 16).to_string().is_empty(),
                "row {r}: 实际完成值"
            );
            let (points, score) = (number(&cell(&detail, r, 17)), number(&cell(&detail, r, 18)));
            assert!(
                (0.0..=points).contains(&score),
                "row {r}: 得分 {score} of {points}"
            );
        } else {
            assert_eq!(
                cell(&detail, r, 5).to_string(),
                "chaisang-2023",
                "row {r}: 版式"
            );
            for c in 16..=18 {
                assert_eq!(cell(&detail, r, c), Data::Empty, "row {r}: column {c}");
            }
        }
    }
    assert!(results >= 10, "{results}");

    // The merged PDF holds the four forms, the self-evaluations' landscape pages too.
    let doc = Document::load(d.join("all.pdf")).unwrap();
    let pages: usize = stems
        .iter()
        .map(|stem| {
            Document::load(d.join(format!("out/{stem}.pdf")))
                .unwrap()
                .get_pages()
                .len()
        })
        .sum();
    assert_eq!(doc.get_pages().len(), pages);
    let titles: Vec<String> = outline(&doc)
        .into_iter()
        .flat_map(|(_, _, forms)| forms)
        .map(|(t, _)| t)
        .collect();
    // Each bookmark is the form's name (a self-evaluation's, its target's), in the 汇总's order.
    let names: Vec<String> = (1..=4).map(|r| cell(&summary, r, 2).to_string()).collect();
    assert_eq!(titles, names);
}

fn check_json(dir: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let mut all = vec!["check", "--format", "json", "--lang", "en"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    let json: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)));
    (code(&o), json.as_array().unwrap().clone())
}

#[test]
fn unreadable_inputs_are_diagnostics_of_their_file_and_the_others_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a-binary.yaml", b"form: project\nname: \xff\x80\xff\n");
    write(d, "b-bad.yaml", "form: project\nnmae: x\n");
    std::fs::create_dir_all(d.join("c-folder.yaml")).unwrap();
    let (status, diags) = check_json(d, &["nowhere/missing.yaml", "a-binary.yaml", "b-bad.yaml"]);
    assert_eq!(status, 1);
    let found: Vec<(String, String, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        found.contains(&("nowhere/missing.yaml".into(), "input.missing".into(), 1)),
        "{found:?}"
    );
    // Located at the line of the bytes that do not decode.
    assert!(
        found.contains(&("a-binary.yaml".into(), "input.encoding".into(), 2)),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(f, c, _)| f == "b-bad.yaml" && c == "yaml.unknown-key"),
        "{found:?}"
    );

    // The summary counts them; render goes on with the others too.
    let o = run(
        d,
        &[
            "check",
            "--lang",
            "en",
            "nowhere/missing.yaml",
            "b-bad.yaml",
        ],
    );
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("nowhere/missing.yaml:1:1: error[input.missing]"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("checked 2 files: 2 with errors, 1 unreadable"),
        "{}",
        stdout(&o)
    );
    write(d, "good/x.yaml", sample(0));
    let o = run(d, &["render", "nowhere/missing.yaml", "good", "-o", "out"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(d.join("out/x.pdf").exists());
    assert!(
        stdout(&o).contains("error[input.missing]"),
        "{}",
        stdout(&o)
    );
}

/// The line (1-based) and the column after `key` of the line that starts with `key` in `text`.
fn line_of(text: &str, key: &str) -> (u64, u64) {
    let i = text
        .lines()
        .position(|l| l.starts_with(key))
        .unwrap_or_else(|| panic!("no {key:?}"));
    (i as u64 + 1, key.chars().count() as u64 + 1)
}

#[test]
fn a_department_whose_project_funds_disagree_with_its_projects_gets_a_bundle_warning_at_the_field()
{
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The seed pair agrees: 项目经费 150 = the 刻章 project's 150, and the task 企业免费刻章 too.
    let (status, diags) = check_json(&repo("."), &["data/"]);
    assert_eq!(status, 0);
    assert!(
        diags
            .iter()
            .all(|d| !d["code"].as_str().unwrap().starts_with("bundle.")),
        "{diags:?}"
    );

    // 项目经费 170 (and the 支出 parts kept adding up), the project still 150.
    let department = seed(SEED_DEPARTMENT)
        .replace("    project: 150 ", "    project: 170 ")
        .replace("    personnel: 755.10 ", "    personnel: 735.10 ");
    assert_ne!(department, seed(SEED_DEPARTMENT));
    let path = write(d, "局/department.yaml", &department);
    write(d, "局/project.yaml", seed(SEED_PROJECT));
    let (status, diags) = check_json(d, &["局"]);
    assert_eq!(status, 0, "{diags:?}");
    let bundle: Vec<&Value> = diags.iter().filter(|d| d["code"] == "bundle.sum").collect();
    assert_eq!(bundle.len(), 1, "{diags:?}");
    let (line, column) = line_of(&department, "    project: ");
    assert_eq!(
        (
            bundle[0]["line"].as_u64().unwrap(),
            bundle[0]["column"].as_u64().unwrap()
        ),
        (line, column)
    );
    assert_eq!(
        bundle[0]["file"],
        Path::new("局")
            .join("department.yaml")
            .display()
            .to_string()
    );
    assert_eq!(bundle[0]["severity"], "warning");
    let message = bundle[0]["message"].as_str().unwrap();
    assert!(
        message.contains("170.00")
            && message.contains("150.00")
            && message.contains("project.yaml"),
        "{message}"
    );
    assert!(path.exists());

    // The task 企业免费刻章 says 150; the project now 140 (and its sum kept): a task finding at
    // the task's amount, and the sum finding.
    let project = seed(SEED_PROJECT)
        .replace("  total: 150", "  total: 140")
        .replace("  fiscal: 150", "  fiscal: 140");
    write(d, "局/project.yaml", &project);
    let (_, diags) = check_json(d, &["局"]);
    let task: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "bundle.task")
        .collect();
    assert_eq!(task.len(), 1, "{diags:?}");
    let amount_line = department
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("    amount: 150"))
        .map(|(i, _)| i as u64 + 1)
        .next()
        .unwrap();
    assert_eq!(task[0]["line"].as_u64().unwrap(), amount_line);

    // Render reports it too, on the department's file, and the forms still render.
    let o = run(d, &["render", "局", "-o", "out"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("warning[bundle.sum]"), "{}", stdout(&o));
}

#[test]
fn check_writes_the_diagnostics_of_a_batch_as_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "in/a.yaml", sample(0));
    write(d, "in/b-bad.yaml", "form: project\nnmae: x\n");
    let (_, diags) = check_json(d, &["in", "missing.yaml"]);
    let o = run(
        d,
        &[
            "check",
            "in",
            "missing.yaml",
            "--format",
            "xlsx",
            "-o",
            "检查结果.xlsx",
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let mut book: Xlsx<_> = calamine::open_workbook(d.join("检查结果.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["汇总", "诊断"]);
    let summary = book.worksheet_range("汇总").unwrap();
    assert_eq!(summary.height(), 1 + 3);
    assert_eq!(cell(&summary, 1, 13).to_string(), "通过");
    assert_eq!(cell(&summary, 2, 13).to_string(), "有错误");
    assert_eq!(cell(&summary, 3, 13).to_string(), "无法读取");
    let sheet = book.worksheet_range("诊断").unwrap();
    assert_eq!(sheet.height() - 1, diags.len());
    for (r, d) in diags.iter().enumerate() {
        let r = r as u32 + 1;
        assert_eq!(cell(&sheet, r, 4).to_string(), d["code"].as_str().unwrap());
        assert_eq!(number(&cell(&sheet, r, 1)), d["line"].as_f64().unwrap());
    }
    // Without -o: a usage error.
    assert_eq!(code(&run(d, &["check", "in", "--format", "xlsx"])), 2);
}
