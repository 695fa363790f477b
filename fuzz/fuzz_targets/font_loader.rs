//! The `--font-dir` loader (`fonts::faces`): any bytes, as a font file's content, are
//! either skipped with a reason or handed on within the bounds, never a panic, a hang or a
//! runaway allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::font_loader(data);
});
