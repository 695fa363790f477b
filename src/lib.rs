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

pub mod app;
pub mod authoring;
pub mod bundle;
pub mod check;
pub mod declaration;
pub mod diagnostic;
pub mod encoding;
pub mod exit;
pub mod fonts;
pub mod inputs;
pub mod layout;
pub mod layouts;
pub mod merge;
pub mod messages;
pub mod metrics;
pub mod output;
pub mod pdf;
pub mod pipe;
pub mod render;
pub mod report;
pub mod sample;
pub mod selfeval;
pub mod terminal;
pub mod validate;
pub mod watch;
pub mod workbook;
pub mod xlsx;
