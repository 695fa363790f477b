//! The in-process half of the batch benchmark (benches/bench.sh runs it; not a timed test).
//!
//! ```text
//! cargo bench --bench pipeline -- DIR [-j N]
//! ```
//!
//! 1. Reads every declaration of DIR, checks it and lays it out (not timed: this is what
//!    `jixiao render` does before Typst).
//! 2. **Bare Typst**: renders every Grid to PDF bytes with one shared [`Engine`], on N threads
//!    taking files in order, as `jixiao render` does, and writes nothing. This is the floor the
//!    whole pipeline is compared with: per-form time of `render` ÷ per-form time here.
//! 3. **Stages**, on one thread, over the same files: read + parse + validate, layout, XLSX,
//!    PDF, each summed, so the cost of everything that is not Typst has a name.
//!
//! Prints one `key: value` line per figure (bench.sh copies them into docs/performance.md).

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jixiao::check::check_source;
use jixiao::layout::Grid;
use jixiao::pdf::{Engine, FontSet, PdfOptions};

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

    let files = jixiao::inputs::expand(&[dir]).expect("the folder");
    let grids: Vec<Grid> = files
        .iter()
        .filter_map(|path| {
            let checked = check_source(jixiao::inputs::read(path).expect("readable"), &*fonts);
            checked.renderable().map(jixiao::layout::build)
        })
        .collect();
    assert_eq!(grids.len(), files.len(), "every file of the benchmark folder must render");
    let n = grids.len();
    println!("forms: {n}");
    println!("jobs: {jobs}");

    // Bare Typst: the same engine, the same threads, the same order as `jixiao render`.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().expect("threads");
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let t = Instant::now();
    pool.scope(|s| {
        for _ in 0..jobs {
            s.spawn(|_| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(grid) = grids.get(i) else { break };
                    let pdf = engine.render(grid, &PdfOptions::default()).expect("the PDF");
                    bytes.fetch_add(pdf.len(), Ordering::Relaxed);
                }
            });
        }
    });
    let typst = t.elapsed();
    println!("typst_only_s: {:.3}", typst.as_secs_f64());
    println!("typst_only_forms_per_s: {:.1}", n as f64 / typst.as_secs_f64());
    println!("typst_only_ms_per_form: {:.2}", ms(typst) / n as f64);
    println!("pdf_mb: {:.1}", bytes.load(Ordering::Relaxed) as f64 / 1e6);

    // Stages on one thread (CPU time per form, summed over the folder).
    let (mut check, mut layout, mut xlsx, mut pdf) = (Duration::ZERO, Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for path in &files {
        let t = Instant::now();
        let checked = check_source(jixiao::inputs::read(path).expect("readable"), &*fonts);
        check += t.elapsed();
        let decl = checked.renderable().expect("valid");
        let t = Instant::now();
        let grid = jixiao::layout::build(decl);
        layout += t.elapsed();
        let t = Instant::now();
        std::hint::black_box(jixiao::xlsx::write(&grid).expect("the XLSX"));
        xlsx += t.elapsed();
        let t = Instant::now();
        std::hint::black_box(engine.render(&grid, &PdfOptions::default()).expect("the PDF"));
        pdf += t.elapsed();
    }
    for (name, d) in [("read_check", check), ("layout", layout), ("xlsx", xlsx), ("pdf", pdf)] {
        println!("stage_{name}_ms_per_form: {:.3}", ms(d) / n as f64);
    }

    // Inside the PDF stage, one thread, one pass each (so that no pass finds the previous one's
    // results in Typst's cache): the measuring compile alone, both compiles (layout), and
    // everything (render); drawing = layout − measure, export = render − layout.
    let pass = |f: &dyn Fn(&Grid)| {
        typst::comemo::evict(0);
        let t = Instant::now();
        for grid in &grids {
            f(grid);
            // As render does: keep the cache from growing over the folder.
            typst::comemo::evict(4);
        }
        t.elapsed()
    };
    let measure = pass(&|g| {
        std::hint::black_box(engine.measure(g).expect("measured"));
    });
    let lay = pass(&|g| {
        std::hint::black_box(engine.layout(g, jixiao::pdf::document_date(g)).expect("laid out"));
    });
    let render = pass(&|g| {
        std::hint::black_box(engine.render(g, &PdfOptions::default()).expect("the PDF"));
    });
    let per = |d: Duration| ms(d) / n as f64;
    println!("pdf_measure_ms_per_form: {:.3}", per(measure));
    println!("pdf_draw_ms_per_form: {:.3}", per(lay.saturating_sub(measure)));
    println!("pdf_export_ms_per_form: {:.3}", per(render.saturating_sub(lay)));
    println!("peak_rss_mb: {:.1}", peak_rss_kb() as f64 / 1024.0);
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
