//! Reports of a checked portfolio for machines and people: the
//! `portfolio-check/1` JSON, CSV, and the text report of `check`, plus the
//! diagnostics printed on stderr.
//!
//! Everything here reads the [`Checked`] bundle; nothing recomputes coverage.

mod csv;
pub mod headline;
mod json;
mod style;
pub mod text;

pub use csv::write_csv;
pub use headline::Headline;
pub use json::{CheckJson, ProblemJson, check_json};
pub use style::Style;
pub use text::{render_diagnostics, render_text};

use crate::coverage::Coverage;
use crate::criteria::Criteria;
use crate::evidence::Portfolio;

/// A portfolio with its coverage and the criteria it was checked against:
/// what every report and renderer reads.
#[derive(Debug, Clone, Copy)]
pub struct Checked<'a> {
    pub criteria: &'a Criteria,
    pub portfolio: &'a Portfolio,
    pub coverage: &'a Coverage,
}

/// A path as shown in reports: forward slashes on every platform.
pub fn display_path(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
