//! The Typst world is a sandbox: declaration texts are data and print literally; a template
//! reaches no file but the Grid, no package, no clock; a broken template gives located errors.

mod pdf_common;

use jixiao::pdf::{Engine, FontSet, PdfError, PdfOptions};
use pdf_common::*;

/// Texts that would do something if they were pasted into Typst source.
const HOSTILE: [&str; 7] = [
    "#read(\"/etc/passwd\")",
    "$x$",
    "*x*",
    "#import \"@preview/cetz:0.3.0\": *",
    "#panic(\"boom\")",
    "_em_ `raw` <lbl> @ref",
    "]) #eval(\"1+1\") [",
];

fn hostile_declaration() -> String {
    let mut y = String::from(
        "form: project\nyear: 2023\nunit: 测试单位\nfunds:\n  total: 150\n  fiscal: 150\n  other: 0\n",
    );
    // Single-quoted YAML keeps every character as typed.
    y.push_str(&format!("name: '{}'\n", HOSTILE[0]));
    y.push_str(&format!("goal: '{}'\n", HOSTILE[1..].join(" ")));
    y.push_str("indicators:\n  产出指标:\n    数量指标:\n");
    for (i, t) in HOSTILE.iter().enumerate() {
        y.push_str(&format!("      - name: '{t}'\n        value: '≥{i}家'\n"));
    }
    y.push_str("  效益指标:\n    社会效益指标:\n      - 优化营商环境: 良好\n");
    y
}

#[test]
fn declaration_texts_print_literally() {
    let grid = grid_of(&hostile_declaration());
    let pdf = engine()
        .render(&grid, &PdfOptions::default())
        .expect("hostile text is only text");
    let text = squash(&pdf_text(&pdf));
    for t in HOSTILE {
        assert!(text.contains(&squash(t)), "{t:?} is not printed as typed");
    }
    // Nothing was read or evaluated: no line of /etc/passwd, no result of 1+1 beside the text.
    assert!(!text.contains("root:"), "a file was read");
}

#[test]
fn a_template_cannot_read_files() {
    let template = "#let g = json(\"/grid.json\")\n#g.title\n#read(\"/etc/passwd\")\n";
    let engine = Engine::new(FontSet::bundled(), Some(template.into()));
    let err = engine
        .render(&seed_grid("chaisang-2023-project"), &PdfOptions::default())
        .unwrap_err();
    let PdfError::Template(messages) = &err else {
        panic!("{err:?}")
    };
    let all = messages.join("\n");
    assert!(
        all.contains("form.typ:3:"),
        "the error names the template line: {all}"
    );
    assert!(all.contains("not found"), "{all}");
    assert!(!all.contains("root:"), "{all}");
}

#[test]
fn a_template_cannot_load_packages_or_relative_files() {
    for (source, expect) in [
        ("#import \"@preview/cetz:0.3.0\": *\n", "access denied"),
        ("#image(\"../../../../etc/hostname\")\n", "escape"),
        ("#image(\"/etc/hostname\")\n", "not found"),
        ("#include \"/grid.json\"\n", "not"),
    ] {
        let engine = Engine::new(FontSet::bundled(), Some(source.into()));
        let err = engine
            .render(&seed_grid("chaisang-2023-project"), &PdfOptions::default())
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("form.typ:1:"), "{source}: {text}");
        assert!(text.to_lowercase().contains(expect), "{source}: {text}");
    }
}

#[test]
fn a_broken_template_reports_its_line() {
    let template = "#let g = json(\"/grid.json\")\n\n#table(columns: g.columns_mm.len(),\n";
    let engine = Engine::new(FontSet::bundled(), Some(template.into()));
    let err = engine
        .render(&seed_grid("chaisang-2023-project"), &PdfOptions::default())
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, PdfError::Template(_)));
    assert!(text.contains("form.typ:3:"), "{text}");
}

#[test]
fn a_custom_template_without_measuring_still_renders() {
    // A minimal template that ignores `print.measure`: it draws in the first pass.
    let template = "#let g = json(\"/grid.json\")\n#set text(font: \"Noto Serif SC\")\n= #g.title\n\
                    #for c in g.cells [#c.text \\ ]\n#datetime.today().display()\n";
    let engine = Engine::new(FontSet::bundled(), Some(template.into()));
    let mut grid = seed_grid("chaisang-2023-project");
    grid.meta.date = Some("2023-01-10".into());
    let pdf = engine.render(&grid, &PdfOptions::default()).unwrap();
    let text = squash(&pdf_text(&pdf));
    assert!(text.contains("项目支出绩效目标申报表"));
    assert!(text.contains("刻章企业满意度"));
    // `today()` is the form's date, not the clock.
    assert!(text.contains("2023-01-10"), "{text}");
}

#[test]
fn font_dir_errors_are_clear() {
    let empty = tempfile::tempdir().unwrap();
    let err = FontSet::with_dirs(&[empty.path().to_path_buf()]).unwrap_err();
    assert!(err.to_string().contains("no TTF, OTF or TTC font"), "{err}");
    let missing = empty.path().join("nope");
    let err = FontSet::with_dirs(&[missing]).unwrap_err();
    assert!(err.to_string().contains("cannot read fonts"), "{err}");

    // A folder with a font adds it to the run.
    let dir = tempfile::tempdir().unwrap();
    let font =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoSansSC_700Bold.ttf");
    std::fs::copy(font, dir.path().join("extra.TTF")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a font").unwrap();
    let set = FontSet::with_dirs(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(set.fonts().len(), FontSet::bundled().fonts().len() + 1);
}

#[test]
fn a_font_dir_widens_what_prints_and_what_check_accepts() {
    // Any TTF not bundled will do; DejaVu is on most Linux systems. Skip where it is not.
    let Some(font) = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    ]
    .iter()
    .map(std::path::Path::new)
    .find(|p| p.exists()) else {
        eprintln!("skipped: no DejaVuSans.ttf on this system");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(font, dir.path().join("DejaVuSans.ttf")).unwrap();
    let bundled = FontSet::bundled();
    let wider = FontSet::with_dirs(&[dir.path().to_path_buf()]).unwrap();
    use jixiao::validate::GlyphCoverage;
    // A letter the extra font has and the bundled ones lack.
    let extra = ('\u{100}'..'\u{3000}')
        .find(|&c| c.is_alphabetic() && wider.covers(c) && !bundled.covers(c))
        .expect("DejaVu covers some letter the CJK faces do not");

    let yaml = format!(
        "form: project\nyear: 2023\nname: 字体测试{extra}\nfunds:\n  total: 1\ngoal: 测试\n\
         indicators:\n  产出指标:\n    数量指标:\n      - 刻章数: ≥1家\n  效益指标:\n    社会效益指标:\n      - 优化营商环境: 良好\n"
    );
    let decl = jixiao::declaration::parse(&yaml).declaration.unwrap();
    let glyph_errors = |g: &dyn GlyphCoverage| {
        jixiao::validate::validate(&decl, g)
            .iter()
            .filter(|d| d.code.as_str() == "text.glyph")
            .count()
    };
    assert_eq!(
        glyph_errors(&*bundled),
        1,
        "{extra:?} is reported without the font"
    );
    assert_eq!(
        glyph_errors(&*wider),
        0,
        "{extra:?} is accepted with --font-dir"
    );

    // And the render draws it with the extra font, embedded and subset like the others.
    let engine = Engine::new(wider, None);
    let pdf = engine
        .render(
            &jixiao::layouts::build_default(&decl),
            &PdfOptions::default(),
        )
        .unwrap();
    assert!(pdf_text(&pdf).contains(&format!("字体测试{extra}")));
    let fonts = pdf_fonts(&pdf);
    assert!(
        fonts
            .lines()
            .any(|l| l.contains("+DejaVuSans") && l.contains("yes yes")),
        "{fonts}"
    );
}
