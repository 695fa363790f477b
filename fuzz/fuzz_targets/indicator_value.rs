//! The 指标值 parser: any text parses, and what it prints reads back as the same target.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    common::indicator_value_round_trip(text);
});
