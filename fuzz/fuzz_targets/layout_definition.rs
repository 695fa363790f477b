//! Arbitrary bytes → a layout definition → (when it loads) the seed declaration of its form laid
//! out with it, the Grid's contract checked and the XLSX written (see `common::layout_definition`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    common::layout_definition(text);
});
