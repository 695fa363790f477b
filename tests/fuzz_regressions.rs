//! Replays every input the fuzzers ever crashed on (fuzz/regressions/<target>/), and the seed
//! corpus, through the same code the fuzz targets run (fuzz/common.rs), in-process: parse →
//! validate → layout (with the Grid's invariants checked), and the 指标值 round trip. A fixed
//! finding that comes back fails here, in a plain `cargo test`, without cargo-fuzz or nightly.

#[path = "../fuzz/common.rs"]
mod common;

use std::path::{Path, PathBuf};

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// Runs `f` on each input (as the fuzz target does: UTF-8 or skipped), naming the input that
/// panics so the failure points at the file to look at.
fn replay(paths: &[PathBuf], f: fn(&str)) -> usize {
    let mut ran = 0;
    for p in paths {
        let bytes = std::fs::read(p).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if std::panic::catch_unwind(|| f(text)).is_err() {
            panic!(
                "{} panics again (replay it with `cargo fuzz run <target> {}`)",
                p.display(),
                p.display()
            );
        }
        ran += 1;
    }
    ran
}

#[test]
fn parse_validate_regressions_and_seeds_do_not_panic() {
    let regressions = files("fuzz/regressions/parse_validate");
    let seeds: Vec<PathBuf> = files("fuzz/corpus/parse_validate")
        .into_iter()
        .filter(|p| file_name(p).starts_with("seed-"))
        .collect();
    // The seeds are committed: if they vanished, this test would prove nothing.
    assert!(seeds.len() >= 10, "seed corpus missing: {seeds:?}");
    replay(&regressions, common::parse_validate_layout);
    assert_eq!(replay(&seeds, common::parse_validate_layout), seeds.len());
}

#[test]
fn indicator_value_regressions_and_seeds_hold_the_round_trip() {
    let regressions = files("fuzz/regressions/indicator_value");
    let seeds: Vec<PathBuf> = files("fuzz/corpus/indicator_value")
        .into_iter()
        .filter(|p| file_name(p).starts_with("seed-"))
        .collect();
    assert!(seeds.len() >= 10, "seed corpus missing: {seeds:?}");
    replay(&regressions, common::indicator_value_round_trip);
    replay(&seeds, common::indicator_value_round_trip);
}

#[test]
fn font_loader_regressions_and_seeds_stay_within_bounds() {
    let inputs: Vec<PathBuf> = files("fuzz/regressions/font_loader")
        .into_iter()
        .chain(
            files("fuzz/corpus/font_loader")
                .into_iter()
                .filter(|p| file_name(p).starts_with("seed-")),
        )
        .collect();
    assert!(inputs.len() >= 4, "font seeds missing: {inputs:?}");
    for p in &inputs {
        let bytes = std::fs::read(p).unwrap();
        if std::panic::catch_unwind(|| common::font_loader(&bytes)).is_err() {
            panic!(
                "{} panics again (replay it with `cargo fuzz run font_loader {}`)",
                p.display(),
                p.display()
            );
        }
    }
}

#[test]
fn layout_definition_regressions_and_seeds_do_not_panic() {
    let regressions = files("fuzz/regressions/layout_definition");
    let seeds: Vec<PathBuf> = files("fuzz/corpus/layout_definition")
        .into_iter()
        .filter(|p| file_name(p).starts_with("seed-"))
        .collect();
    assert!(seeds.len() >= 4, "seed corpus missing: {seeds:?}");
    replay(&regressions, common::layout_definition);
    assert_eq!(replay(&seeds, common::layout_definition), seeds.len());
    // The seeds load: the target reaches the interpreter, not only the YAML reader.
    for p in &seeds {
        let text = std::fs::read_to_string(p).unwrap();
        jixiao::layouts::load(&text, "seed.yaml", None)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    }
}

#[test]
fn the_seed_examples_reach_the_layout_and_keep_the_grid_contract() {
    // The replay above only lays out files without errors; make sure that path is really taken,
    // or the Grid checks would never run.
    for f in [
        "chaisang-2023-project.yaml",
        "chaisang-2023-department.yaml",
    ] {
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(f))
                .unwrap();
        let outcome = jixiao::declaration::parse(&text);
        let decl = outcome.declaration.unwrap();
        let errors = jixiao::validate::validate(&decl, &common::AllGlyphs)
            .into_iter()
            .filter(|d| d.is_error())
            .count();
        assert_eq!(errors, 0, "{f}");
        let grid = jixiao::layouts::build_default(&decl);
        assert!(grid.rows > 10 && !grid.cells.is_empty(), "{f}");
        common::check_grid(&grid);
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}
