//! Renderers: the [`crate::document::Document`] as HTML and as PDF. They
//! read only the document model; they never walk the disk or recompute
//! coverage.

pub mod html;
pub mod pdf;
