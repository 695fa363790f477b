//! Resource bounds on what the user hands in besides declarations (issue 13 item 4): the fonts
//! of `--font-dir`, a `--template`, and the page limit judged from the page plan. Each case
//! runs the built binary (or the engine) under a watchdog: a stall or a runaway allocation is a
//! failure, not a hung test run.

#[path = "cli_common/mod.rs"]
mod cli_common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use cli_common::{code, run_timed, stderr, write};

const BIN: &str = env!("CARGO_BIN_EXE_jixiao");
const TIMEOUT: Duration = Duration::from_secs(120);

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn run(dir: &Path, args: &[&str]) -> Output {
    run_timed(BIN, dir, args, &[], TIMEOUT)
}

/// `check` of the project example with `--font-dir fonts`, in `dir`.
fn check_with_fonts(dir: &Path) -> Output {
    let example = repo("data/chaisang-2023-project.yaml");
    let o = run(
        dir,
        &[
            "check",
            example.to_str().unwrap(),
            "--font-dir",
            "fonts",
            "--lang",
            "en",
        ],
    );
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    o
}

/// A font file made by hand: the tables ttf-parser requires (head, hhea, maxp), a name table
/// giving `family`, and a format 12 cmap with `groups` (start, end) mapped to glyph 1.
fn tiny_font(family: &str, groups: &[(u32, u32)]) -> Vec<u8> {
    let be16 = |v: u16| v.to_be_bytes().to_vec();
    let be32 = |v: u32| v.to_be_bytes().to_vec();
    let mut cmap = [be16(0), be16(1), be16(3), be16(10), be32(12)].concat();
    cmap.extend(
        [
            be16(12),
            be16(0),
            be32(16 + 12 * groups.len() as u32),
            be32(0),
            be32(groups.len() as u32),
        ]
        .concat(),
    );
    for &(start, end) in groups {
        cmap.extend([be32(start), be32(end), be32(1)].concat());
    }
    let mut head = vec![0u8; 54];
    head[..4].copy_from_slice(&[0, 1, 0, 0]);
    head[12..16].copy_from_slice(&0x5F0F_3CF5u32.to_be_bytes());
    head[18..20].copy_from_slice(&1000u16.to_be_bytes());
    let mut hhea = vec![0u8; 36];
    hhea[..4].copy_from_slice(&[0, 1, 0, 0]);
    hhea[4..6].copy_from_slice(&800u16.to_be_bytes());
    hhea[34..36].copy_from_slice(&1u16.to_be_bytes());
    let maxp = [be32(0x0000_5000), be16(2)].concat();
    let utf16: Vec<u8> = family.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let mut name = [
        be16(0),
        be16(1),
        be16(18),
        be16(3),
        be16(1),
        be16(0x409),
        be16(1),
        be16(utf16.len() as u16),
        be16(0),
    ]
    .concat();
    name.extend(utf16);
    // Table records sorted by tag, as the format requires (and ttf-parser's lookup assumes).
    let tables: [(&[u8; 4], Vec<u8>); 5] = [
        (b"cmap", cmap),
        (b"head", head),
        (b"hhea", hhea),
        (b"maxp", maxp),
        (b"name", name),
    ];
    let mut font = [be32(0x0001_0000), be16(5), be16(64), be16(2), be16(16)].concat();
    let mut offset = 12 + 16 * tables.len();
    let mut data = Vec::new();
    for (tag, table) in &tables {
        font.extend(
            [
                tag.to_vec(),
                be32(0),
                be32(offset as u32),
                be32(table.len() as u32),
            ]
            .concat(),
        );
        let mut padded = table.clone();
        padded.resize(table.len().div_ceil(4) * 4, 0);
        offset += padded.len();
        data.extend(padded);
    }
    font.extend(data);
    font
}

/// A folder `fonts/` in a fresh temporary folder, holding a copy of a bundled face (so that the
/// folder always has one good font) and whatever `setup` adds.
fn font_folder(setup: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    std::fs::copy(repo("fonts/NotoSansSC_700Bold.ttf"), fonts.join("good.ttf")).unwrap();
    setup(&fonts);
    dir
}

#[test]
fn a_good_font_and_a_tiny_valid_one_load_without_a_warning() {
    // The baseline: the checks below must not refuse real fonts or a small well-formed one.
    let dir = font_folder(|fonts| {
        std::fs::write(
            fonts.join("tiny.ttf"),
            tiny_font("Tiny Test", &[(0x41, 0x5A)]),
        )
        .unwrap();
    });
    let o = check_with_fonts(dir.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    let set = jixiao::pdf::FontSet::with_dirs(&[dir.path().join("fonts")]).unwrap();
    assert!(
        set.fonts().iter().any(|f| f.info().family == "Tiny Test"),
        "{set:?}"
    );
    assert!(set.warnings().is_empty());
}

#[test]
fn a_collection_claiming_four_billion_faces_is_a_warning_not_a_long_loop() {
    // 12 bytes: `ttcf`, version 1.0, 0xFFFFFFFF faces. Typst would try each index.
    let dir = font_folder(|fonts| {
        std::fs::write(
            fonts.join("bomb.ttc"),
            [b"ttcf".as_slice(), &[0, 1, 0, 0], &[0xFF; 4]].concat(),
        )
        .unwrap();
    });
    let start = Instant::now();
    let o = check_with_fonts(dir.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("bomb.ttc") && stderr(&o).contains("4294967295 faces"),
        "{}",
        stderr(&o)
    );
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn a_face_whose_cmap_lists_billions_of_code_points_is_skipped_with_a_warning() {
    // One corrupt cmap group (0 ..= 0x0FFFFFFF): Typst would push 268 million code points into
    // one vector (1 GB; 16 GB for 0 ..= 0xFFFFFFFF) before looking at the glyphs.
    let dir = font_folder(|fonts| {
        std::fs::write(
            fonts.join("corrupt.ttf"),
            tiny_font("Corrupt", &[(0x41, 0x5A), (0, 0x0FFF_FFFF)]),
        )
        .unwrap();
    });
    let o = check_with_fonts(dir.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("corrupt.ttf") && err.contains("face 1 is broken") && err.contains("cmap"),
        "{err}"
    );
    let set = jixiao::pdf::FontSet::with_dirs(&[dir.path().join("fonts")]).unwrap();
    assert!(!set.fonts().iter().any(|f| f.info().family == "Corrupt"));
}

#[test]
fn a_font_file_over_the_size_limit_is_not_read() {
    let dir = font_folder(|fonts| {
        // Sparse: no disk space taken, but the size says 257 MiB.
        let f = std::fs::File::create(fonts.join("huge.otf")).unwrap();
        f.set_len(jixiao::fonts::MAX_FONT_FILE_BYTES + 1024 * 1024)
            .unwrap();
    });
    let o = check_with_fonts(dir.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("huge.otf") && stderr(&o).contains("MiB limit"),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_pipes_and_devices_under_a_font_dir_are_skipped() {
    use std::os::unix::fs::symlink;
    let dir = font_folder(|fonts| {
        // Two links back to the folder: without a loop check the walk doubles at every level.
        symlink(fonts, fonts.join("again")).unwrap();
        symlink(fonts, fonts.join("once-more")).unwrap();
        // An endless device and a named pipe with no writer, both named like fonts.
        symlink("/dev/zero", fonts.join("zero.ttf")).unwrap();
        let fifo = std::ffi::CString::new(fonts.join("pipe.ttf").to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        // A link to itself (ELOOP) named like a font.
        symlink(fonts.join("self.ttf"), fonts.join("self.ttf")).unwrap();
    });
    let o = check_with_fonts(dir.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    for name in [
        "zero.ttf: not a regular file",
        "pipe.ttf: not a regular file",
        "self.ttf: cannot read",
        "folder already searched",
    ] {
        assert!(err.contains(name), "{name}: {err}");
    }
    // The good font was loaded once, not once per path that reaches it.
    let set = jixiao::pdf::FontSet::with_dirs(&[dir.path().join("fonts")]).unwrap();
    assert_eq!(
        set.fonts().len(),
        jixiao::pdf::FontSet::bundled().fonts().len() + 1
    );
}

/// The built-in template with its body face replaced by `family`.
fn template_asking_for(family: &str) -> String {
    let t = jixiao::pdf::TEMPLATE;
    assert!(
        t.contains("#let song = (\"Noto Serif SC\",)"),
        "the template's body face moved"
    );
    t.replace(
        "#let song = (\"Noto Serif SC\",)",
        &format!("#let song = (\"{family}\",)"),
    )
}

#[test]
fn a_font_family_nobody_provides_is_a_warning_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "fang.typ", template_asking_for("FandolFang R"));
    let example = repo("data/chaisang-2023-project.yaml");
    let args = [
        "render",
        example.to_str().unwrap(),
        "-o",
        "out",
        "--outputs",
        "pdf",
        "--template",
        "fang.typ",
        "--lang",
        "en",
    ];
    let o = run(dir.path(), &args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning") && err.contains("\"FandolFang R\""),
        "{err}"
    );
    // Once per run, with where the template asks for it.
    assert_eq!(err.matches("FandolFang R").count(), 1, "{err}");
    // Located in the template the user gave, at the line that asks for the font.
    assert!(err.contains("warning: fang.typ:"), "{err}");

    // With a font of that family in --font-dir, nothing to warn about.
    std::fs::create_dir(dir.path().join("fonts")).unwrap();
    std::fs::write(
        dir.path().join("fonts/fang.ttf"),
        tiny_font("FandolFang R", &[(0x41, 0x5A)]),
    )
    .unwrap();
    let mut with_dir = args.to_vec();
    with_dir.extend(["--font-dir", "fonts"]);
    let o = run(dir.path(), &with_dir);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("FandolFang"), "{}", stderr(&o));
}

#[test]
fn a_template_over_the_size_limit_is_refused_before_it_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!(
        "{}\n{}",
        jixiao::pdf::TEMPLATE,
        "// padding\n".repeat(100_000)
    );
    assert!(big.len() as u64 > jixiao::pdf::world::MAX_TEMPLATE_BYTES);
    write(dir.path(), "big.typ", big);
    let example = repo("data/chaisang-2023-project.yaml");
    let o = run(
        dir.path(),
        &[
            "render",
            example.to_str().unwrap(),
            "-o",
            "out",
            "--template",
            "big.typ",
        ],
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("big.typ") && stderr(&o).contains("1048576-byte limit"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("out/chaisang-2023-project.pdf").exists());
}

/// `render` of the project example with the template `text`, under the limits in `env`.
fn render_with_template(text: &str, env: &[(&str, &str)]) -> (Output, Duration) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "t.typ", text);
    let example = repo("data/chaisang-2023-project.yaml");
    let start = Instant::now();
    let args = [
        "render",
        example.to_str().unwrap(),
        "-o",
        "out",
        "--outputs",
        "pdf",
        "--template",
        "t.typ",
        "--lang",
        "en",
    ];
    let o = run_timed(BIN, dir.path(), &args, env, TIMEOUT);
    (o, start.elapsed())
}

#[test]
fn a_template_that_runs_too_long_ends_the_run_with_a_message() {
    // Ten billion loop turns and no allocation: hours, without a time limit.
    let endless = "#for i in range(100000) { for j in range(100000) { } }\n";
    let (o, took) = render_with_template(endless, &[("JIXIAO_TEMPLATE_SECONDS", "2")]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("t.typ") && err.contains("more than 2 s"),
        "{err}"
    );
    assert!(took < Duration::from_secs(60), "took {took:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_template_that_allocates_too_much_ends_the_run_with_a_message() {
    // Twenty million values: about 600 MB, past the limit set here.
    let greedy = "#let a = range(20000000)\n#a.len()\n";
    let (o, _) = render_with_template(greedy, &[("JIXIAO_TEMPLATE_MEGABYTES", "250")]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("t.typ") && err.contains("more than 250 MiB"),
        "{err}"
    );
}

#[test]
fn a_form_over_the_page_limit_is_refused_from_its_page_plan_without_drawing_it() {
    use jixiao::pdf::{Engine, FontSet, PdfError, PdfOptions};
    // Within every content limit, about a hundred pages (as in tests/failure.rs).
    let name = "为".repeat(190);
    let items: String = (0..480)
        .map(|i| format!("      - {name}{i:04}: ≥{i}家\n"))
        .collect();
    let yaml = format!(
        "form: project\nyear: 2023\nunit: 测试局\nname: 测试项目\nfunds:\n  total: 150\n  fiscal: 150\n  other: 0\n\
         goal: 目标\nindicators:\n  产出指标:\n    数量指标:\n{items}  效益指标:\n    社会效益指标:\n      - 营商环境: 良好\n"
    );
    let decl = jixiao::declaration::parse(&yaml)
        .declaration
        .expect("parses");
    let grid = jixiao::layouts::build_default(&decl);

    // The whole layout: measure, plan, draw.
    let full = Engine::new(FontSet::bundled(), None);
    let print = full.paginate(&grid).unwrap();
    let pages = full
        .draw(&print, jixiao::pdf::document_date(&grid))
        .unwrap()
        .pages()
        .len();
    assert!(pages > 60, "{pages} pages");
    let drawn = full.compilations();

    let judge = Engine::new(FontSet::bundled(), None);
    match judge.render(&grid, &PdfOptions::default()) {
        Err(PdfError::TooManyPages {
            pages: planned,
            limit: 60,
        }) => {
            assert!(
                planned > 60 && planned <= pages,
                "planned {planned}, drawn {pages}"
            )
        }
        other => panic!("{other:?}"),
    }
    // Refused from the plan: the measuring pass ran, the drawing pass (most of the work) did not.
    assert_eq!(
        judge.compilations(),
        drawn - 1,
        "the whole layout compiled {drawn} times"
    );
}
