//! Layout: a validated [`Declaration`](crate::declaration::Declaration) → a [`Grid`].

pub mod grid;

pub use grid::{Cell, Content, Grid, Meta, Orientation, PageSetup, Role, RowGroup};
