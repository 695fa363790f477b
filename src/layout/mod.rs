//! Layout: the [`Grid`], the one description of a printed form that both renderers draw.
//! The Grid is made from a declaration by a layout definition ([`crate::layouts`]).

pub mod grid;

pub use grid::{
    Align, Cell, Content, Face, Grid, IndicatorRow, Meta, Orientation, PagePlan, PageSetup, Role,
    RowGroup, Style, Styles,
};
