//! The self-evaluation layouts: the Grid of each `mof-2020` example, cell by cell, against a
//! fixture (`tests/fixtures/selfeval-grids/`), so that a change on the printed form is a visible
//! change of a fixture.
//!
//! The fixtures were first written by the Rust layout (commit 74ac90b); the layout-language
//! definition reproduced them unchanged (8834166). They were rewritten once since, on purpose
//! (3b8f72d: column widths, the execution reason and the conclusion printed when given).
//! `JIXIAO_BLESS=1 cargo test --test selfeval_layouts` rewrites them. Cells are compared without
//! their `field` tag: the Rust layout did not tag its cells.

use std::path::Path;

use jixiao::check::check_source;
use jixiao::layout::Grid;
use jixiao::validate::AllGlyphs;
use serde_json::Value;

fn grid(path: &str) -> Grid {
    let source = jixiao::inputs::read(Path::new(path)).expect("the example reads");
    let checked = check_source(source, &AllGlyphs);
    assert!(!checked.has_errors(), "{path}: {:?}", checked.diagnostics);
    let decl = checked.declaration.expect("parses");
    jixiao::layouts::grid_for(&decl, Path::new(path), None).expect("lays out")
}

/// The Grid as JSON, cells without their field tags.
fn comparable(g: &Grid) -> Value {
    let mut v = serde_json::to_value(g).unwrap();
    for cell in v["cells"].as_array_mut().unwrap() {
        cell.as_object_mut().unwrap().remove("field");
    }
    v
}

fn same_as_fixture(example: &str, fixture: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/selfeval-grids")
        .join(fixture);
    let now = comparable(&grid(example));
    if std::env::var_os("JIXIAO_BLESS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
        return;
    }
    let then: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    // The first differing cell first, so that a failure says where on the form it is.
    let (a, b) = (
        then["cells"].as_array().unwrap(),
        now["cells"].as_array().unwrap(),
    );
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x, y, "{example}: first differing cell");
    }
    assert_eq!(a.len(), b.len(), "{example}: number of cells");
    for key in then.as_object().unwrap().keys() {
        assert_eq!(then[key], now[key], "{example}: Grid.{key}");
    }
    assert_eq!(then, now, "{example}");
}

#[test]
fn the_project_example_prints_as_before() {
    same_as_fixture(
        "data/chaisang-2023-project-selfeval.yaml",
        "mof-2020-project.json",
    );
}

#[test]
fn the_department_example_prints_as_before() {
    same_as_fixture(
        "data/chaisang-2023-department-selfeval.yaml",
        "mof-2020-department.json",
    );
}
