//! Arbitrary bytes → parse → validate (→ layout and XLSX when the declaration has no error).
//!
//! Whatever a declaration file holds, jixiao must answer with diagnostics, never a panic, an
//! overflow or a stall. Bytes that are not UTF-8 never reach the parser in the real program
//! (inputs::read rejects them), so they are skipped here rather than mangled.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    common::parse_validate_layout(text);
});
