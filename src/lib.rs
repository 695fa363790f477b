//! jixiao (绩效): YAML declarations of Chinese budget performance-target forms
//! (绩效目标申报表) → validated, laid out in the official merged-cell format, printed to PDF
//! and XLSX.
//!
//! The pipeline runs one way:
//!
//! ```text
//! YAML ─declaration::parse─▶ Declaration ─validate─▶ Diagnostics
//!                                 └─layout─▶ Grid ─▶ pdf / xlsx
//! ```

pub mod declaration;
pub mod diagnostic;
pub mod layout;
pub mod layouts;
pub mod metrics;
pub mod render;
pub mod xlsx;
pub mod pdf;
pub mod validate;
pub mod app;
pub mod authoring;
pub mod check;
pub mod report;
pub mod inputs;
pub mod output;
pub mod sample;
pub mod workbook;
pub mod encoding;
pub mod pipe;
pub mod terminal;
pub mod messages;
pub mod watch;
pub mod selfeval;
pub mod bundle;
pub mod merge;
