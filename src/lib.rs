//! `portfolio`: a compiler for NVQ portfolio evidence.
//!
//! The pipeline, one module a stage, data flowing forward:
//! [`criteria`] → [`evidence`] → [`coverage`] → [`report`] → renderers,
//! with [`cli`] as the glue the binary calls. Every stage reads its files
//! through [`source::Source`] (a folder on disk, or files in memory). See
//! `docs/ARCHITECTURE.md`.

pub mod archive;
#[cfg(feature = "native")]
pub mod batch;
pub mod build;
#[cfg(feature = "native")]
pub mod cli;
pub mod coverage;
pub mod criteria;
pub mod date;
pub mod decisions;
pub mod decode;
pub mod diagnostic;
pub mod document;
pub mod error;
pub mod evidence;
pub mod fields;
pub mod handover;
pub mod import;
pub mod init;
pub mod json_schema;
pub mod method;
pub mod names;
pub mod pack;
pub mod pipeline;
pub mod privacy;
pub mod render;
pub mod report;
pub mod sampling;
pub mod schemas;
#[cfg(feature = "native")]
pub mod serve;
pub mod source;
pub mod toml_path;
pub mod workspace;

pub use error::Error;
