//! The in-process half of the batch benchmark (benches/bench.sh runs it; not a timed test).
//!
//! ```text
//! cargo bench --bench pipeline -- DIR [-j N]
//! ```
//!
//! 1. Reads every declaration of DIR, checks it and lays it out (not timed: this is what
//!    `jixiao render` does before Typst).
//! 2. **Bare Typst**: what `typst compile` of the finished documents would cost — one compile
//!    of the template over each already paginated Grid, and the PDF export — with one shared
//!    [`Engine`], on N threads taking files in order, as `jixiao render` does, writing nothing.
//!    This is the floor the whole pipeline is compared with: per-form time of `render` ÷
//!    per-form time here. Everything else (reading, checking, layout, the measuring pass,
//!    pagination, XLSX, writing files) is what jixiao adds.
//! 3. **Stages**, on one thread, one pass per stage over the same files, in CPU time: read +
//!    parse + validate, layout, XLSX, PDF (measuring compile, drawing compile, export), so the
//!    cost of everything that is not Typst has a name.
//!
//! Prints one `key: value` line per figure (bench.sh copies them into docs/performance.md).

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jixiao::check::check_source;
use jixiao::layout::Grid;
use jixiao::pdf::{Engine, FontSet, PdfOptions, PrintGrid};
use typst::foundations::Datetime;

// The binary's allocator, so that bare Typst here and `jixiao render` are compared alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut dir = None;
    let mut jobs = 0usize;
    while let Some(a) = args.next() {
        match a.as_str() {
            "-j" | "--jobs" => jobs = args.next().and_then(|n| n.parse().ok()).expect("-j N"),
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.expect("usage: cargo bench --bench pipeline -- DIR [-j N]");
    if jobs == 0 {
        jobs = std::thread::available_parallelism().map_or(1, usize::from);
    }

    let t = Instant::now();
    let fonts = FontSet::bundled();
    let engine = Engine::new(fonts.clone(), None);
    println!("setup_ms: {:.1}", ms(t.elapsed()));

    let files = jixiao::inputs::expand(&[dir]).files;
    let grids: Vec<Grid> = files
        .iter()
        .filter_map(|path| {
            let checked = check_source(jixiao::inputs::read(path).expect("readable"), &*fonts);
            checked.renderable().map(jixiao::layouts::build_default)
        })
        .collect();
    assert_eq!(
        grids.len(),
        files.len(),
        "every file of the benchmark folder must render"
    );
    let n = grids.len();
    println!("forms: {n}");
    println!("jobs: {jobs}");

    // Bare Typst: what `typst compile` of the finished documents would do — compile the
    // template over each paginated Grid and export the PDF — with the same engine, threads and
    // order as `jixiao render`. The pagination (measuring pass included) is prepared here, not
    // timed: it is part of what the ratio charges to jixiao.
    let prints: Vec<(PrintGrid, Datetime)> = grids
        .iter()
        .map(|g| {
            (
                engine.paginate(g).expect("paginated"),
                jixiao::pdf::document_date(g),
            )
        })
        .collect();
    typst::comemo::evict(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .expect("threads");
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let (t, c) = (Instant::now(), cpu());
    pool.scope(|s| {
        for _ in 0..jobs {
            s.spawn(|_| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((print, date)) = prints.get(i) else {
                        break;
                    };
                    let doc = engine.draw(print, *date).expect("the document");
                    engine.forget_old();
                    let pdf = engine
                        .export(&doc, &grids[i], *date, &PdfOptions::default())
                        .expect("the PDF");
                    bytes.fetch_add(pdf.len(), Ordering::Relaxed);
                }
            });
        }
    });
    let (wall, cpu_time) = (t.elapsed(), cpu() - c);
    println!("typst_only_s: {:.3}", wall.as_secs_f64());
    println!(
        "typst_only_forms_per_s: {:.1}",
        n as f64 / wall.as_secs_f64()
    );
    println!("typst_only_ms_per_form: {:.2}", ms(wall) / n as f64);
    println!("typst_only_cpu_ms_per_form: {:.2}", ms(cpu_time) / n as f64);
    println!("pdf_mb: {:.1}", bytes.load(Ordering::Relaxed) as f64 / 1e6);

    // Stages on this thread, one pass each over the folder, in CPU time (robust to a busy
    // machine, unlike wall time): read + parse + validate, layout, XLSX, and inside the PDF the
    // measuring compile alone, both compiles (layout) and everything (render); drawing =
    // layout − measure, export = render − layout. Typst's cache is emptied before each pass so
    // that no pass finds the previous one's results, and trimmed as `Engine::render` trims it
    // (`Engine::forget_old`; `render` calls it itself).
    let pass = |f: &mut dyn FnMut(usize)| {
        typst::comemo::evict(0);
        let c = cpu();
        for i in 0..n {
            f(i);
        }
        (cpu() - c).as_secs_f64() * 1000.0 / n as f64
    };
    let mut checked = Vec::with_capacity(n);
    let check = pass(&mut |i| {
        checked.push(check_source(
            jixiao::inputs::read(&files[i]).expect("readable"),
            &*fonts,
        ))
    });
    let layout = pass(&mut |i| {
        std::hint::black_box(jixiao::layouts::build_default(
            checked[i].renderable().expect("valid"),
        ));
    });
    let xlsx = pass(&mut |i| {
        std::hint::black_box(jixiao::xlsx::write(&grids[i]).expect("the XLSX"));
    });
    let measure = pass(&mut |i| {
        std::hint::black_box(engine.measure(&grids[i]).expect("measured"));
        engine.forget_old();
    });
    let lay = pass(&mut |i| {
        let g = &grids[i];
        std::hint::black_box(
            engine
                .layout(g, jixiao::pdf::document_date(g))
                .expect("laid out"),
        );
        engine.forget_old();
    });
    let render = pass(&mut |i| {
        std::hint::black_box(
            engine
                .render(&grids[i], &PdfOptions::default())
                .expect("the PDF"),
        );
    });
    println!("cpu_read_check_ms_per_form: {check:.2}");
    println!("cpu_layout_ms_per_form: {layout:.2}");
    println!("cpu_xlsx_ms_per_form: {xlsx:.2}");
    println!("cpu_pdf_ms_per_form: {render:.2}");
    println!("cpu_pdf_measure_ms_per_form: {measure:.2}");
    println!("cpu_pdf_draw_ms_per_form: {:.2}", lay - measure);
    println!("cpu_pdf_export_ms_per_form: {:.2}", render - lay);
    println!("peak_rss_mb: {:.1}", peak_rss_kb() as f64 / 1024.0);
}

/// CPU time used by the whole process so far (user + system), from /proc/self/stat, whose
/// unit is the clock tick (100 Hz on Linux): coarse, so only ever compared over whole passes.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<u64> = after
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The process's peak resident set (VmHWM), in KiB; 0 when /proc is not there.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
