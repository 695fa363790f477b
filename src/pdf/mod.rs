//! PDF: a [`Grid`](crate::layout::Grid) drawn by a Typst template compiled in-process.
//!
//! STUB (to be written for issue 5).
