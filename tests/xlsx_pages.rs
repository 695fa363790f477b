//! The spreadsheet prints on the PDF's pages (issue 12): the form sheet of every example and of
//! 40 generated forms, printed by LibreOffice (what many users print an XLSX with), takes as
//! many pages as the PDF, and every 三级指标 lands on the same page in both.
//!
//! Needs `soffice` (libreoffice-calc-nogui) and `pdftotext` (poppler-utils), which `.ci/run`
//! installs. One `soffice` call converts all the workbooks (about 40 s on 2 cores).

use std::path::{Path, PathBuf};
use std::process::Command;

use jixiao::layout::Grid;
use jixiao::pdf::{Engine, FontSet, PdfOptions};

/// One form: its name, its Grid (planned) and its PDF.
struct Form {
    name: String,
    grid: Grid,
    pdf: Vec<u8>,
}

fn form(engine: &Engine, name: &str, path: &Path, yaml: &str) -> Form {
    let decl = jixiao::declaration::parse(yaml)
        .declaration
        .unwrap_or_else(|| panic!("{name} parses"));
    let mut grid = jixiao::layouts::grid_for(&decl, path, None).expect("lays out");
    // As `render` does: one plan for both outputs.
    grid.plan = Some(engine.plan(&grid).expect("plans"));
    let pdf = engine
        .render(&grid, &PdfOptions::default())
        .expect("renders");
    Form {
        name: name.to_string(),
        grid,
        pdf,
    }
}

fn forms(engine: &Engine) -> Vec<Form> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for example in [
        "data/chaisang-2023-project.yaml",
        "data/chaisang-2023-department.yaml",
        "data/shaanxi-2024-project.yaml",
        // The catalogue's built-in layouts (issue 14).
        "data/mof-2015-project.yaml",
        "data/mof-2015-department.yaml",
        "data/annual-project.yaml",
        "data/hunan-2017-department.yaml",
        "data/fujian-2019-department.yaml",
        "data/hubei-2021-department.yaml",
        "data/sichuan-2023-project.yaml",
    ] {
        let path = root.join(example);
        let yaml = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        out.push(form(engine, &name, &path, &yaml));
    }
    // The self-evaluations, landscape, read with their targets as `check` reads them.
    for example in [
        "data/chaisang-2023-project-selfeval.yaml",
        "data/chaisang-2023-department-selfeval.yaml",
        "data/sichuan-2023-project-selfeval.yaml",
        "data/transfer-2023-project-selfeval.yaml",
    ] {
        let path = root.join(example);
        let source = jixiao::inputs::read(&path).unwrap();
        let checked = jixiao::check::check_source(source, &jixiao::validate::AllGlyphs);
        let decl = checked
            .declaration
            .unwrap_or_else(|| panic!("{example} parses"));
        let mut grid = jixiao::layouts::grid_for(&decl, &path, None).expect("lays out");
        grid.plan = Some(engine.plan(&grid).expect("plans"));
        let pdf = engine
            .render(&grid, &PdfOptions::default())
            .expect("renders");
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        out.push(Form { name, grid, pdf });
    }
    for index in 1..=40 {
        let (name, yaml) = jixiao::sample::generate(1, index);
        let name = name.trim_end_matches(".yaml").to_string();
        out.push(form(engine, &name, &root.join(&name), &yaml));
    }
    out
}

/// A workbook holding the form sheet only (the 指标明细 sheet would add pages of its own).
fn form_sheet_only(grid: &Grid) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    jixiao::xlsx::write_sheet(sheet, grid).unwrap();
    workbook.save_to_buffer().unwrap()
}

/// The text of each page of a PDF file, by `pdftotext` with page breaks as form feeds.
fn pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    let text = String::from_utf8_lossy(&out.stdout);
    let mut pages: Vec<String> = text.split('\u{c}').map(|p| p.replace(' ', "")).collect();
    // The text ends with a form feed after the last page.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The page (0-based) on which each printed 三级指标 of `grid` appears as a line of its own
/// (`None`: not found), for the names that appear once in the form (a generated name may repeat).
fn indicator_pages(grid: &Grid, pages: &[String]) -> Vec<(String, Option<usize>)> {
    grid.indicators
        .iter()
        .map(|i| i.name.replace(' ', ""))
        .filter(|n| {
            grid.indicators
                .iter()
                .filter(|j| j.name.replace(' ', "") == *n)
                .count()
                == 1
        })
        .map(|n| {
            // A whole line: a name may also be the start of a longer text elsewhere.
            let page = pages.iter().position(|p| p.lines().any(|l| l == n));
            (n, page)
        })
        .collect()
}

#[test]
fn libreoffice_prints_the_form_sheet_on_the_pdfs_pages() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(FontSet::bundled(), None);
    let forms = forms(&engine);
    let mut workbooks: Vec<PathBuf> = Vec::new();
    for f in &forms {
        std::fs::write(dir.path().join(format!("{}.pdf", f.name)), &f.pdf).unwrap();
        let xlsx = dir.path().join(format!("{}.xlsx", f.name));
        std::fs::write(&xlsx, form_sheet_only(&f.grid)).unwrap();
        workbooks.push(xlsx);
    }
    let lo = dir.path().join("lo");
    let status = Command::new("soffice")
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&lo)
        .args(&workbooks)
        // Its own profile: a user's running LibreOffice would otherwise take the job.
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .output()
        .expect("soffice runs (apt-get install libreoffice-calc-nogui)");
    assert!(status.status.success(), "{status:?}");

    let mut problems = Vec::new();
    let mut compared = 0;
    for f in &forms {
        let ours = pages(&dir.path().join(format!("{}.pdf", f.name)));
        let theirs = pages(&lo.join(format!("{}.pdf", f.name)));
        let planned = f.grid.plan.as_ref().unwrap().pages;
        if ours.len() != planned || theirs.len() != planned {
            problems.push(format!(
                "{}: planned {planned} pages, PDF {}, LibreOffice {}",
                f.name,
                ours.len(),
                theirs.len()
            ));
            continue;
        }
        let a = indicator_pages(&f.grid, &ours);
        let b = indicator_pages(&f.grid, &theirs);
        // A name that wraps in its cell (here or in LibreOffice, whose fallback font differs)
        // is not found as a line of the extracted text: it is left out.
        for ((name, p), (_, q)) in a.iter().zip(&b) {
            if p.is_none() || q.is_none() {
                continue;
            }
            compared += 1;
            if p != q {
                problems.push(format!(
                    "{}: {name} on PDF page {p:?}, LibreOffice page {q:?}",
                    f.name
                ));
            }
        }
    }
    eprintln!("{compared} indicators compared on {} forms", forms.len());
    assert!(compared > 500, "only {compared} indicators compared");
    assert!(
        problems.is_empty(),
        "{} problems in {} forms:\n{}",
        problems.len(),
        forms.len(),
        problems.join("\n")
    );
}
