//! Layout: a validated [`Declaration`](crate::declaration::Declaration) → a [`Grid`].

pub mod build;
pub mod grid;

pub use build::build;
pub use grid::{Cell, Content, Grid, IndicatorRow, Meta, Orientation, PageSetup, Role, RowGroup};
