//! Exit statuses of the `jixiao` commands (a contract with scripts).

/// No file has an error (warnings allowed).
pub const OK: u8 = 0;
/// At least one file has an error (or failed to render).
pub const FAILED: u8 = 1;
/// A usage or I/O problem.
pub const USAGE: u8 = 2;
