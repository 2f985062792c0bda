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

pub use csv::{BOM, CsvStyle, csv_writer, write_csv};
pub use headline::Headline;
pub use json::{CheckJson, ProblemJson, SummaryJson, check_json, schema as check_json_schema};
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

pub use crate::diagnostic::display_path;

/// What every output says when decisions were not checked against the
/// centre's roster of signers: `None` with a roster, or with no decisions.
pub fn roster_note(portfolio: &Portfolio, coverage: &Coverage) -> Option<String> {
    if coverage.decisions.roster {
        return None;
    }
    let signed = coverage.decisions.list.len();
    let typed = portfolio.items.iter().filter(|i| i.assessment.is_some()).count();
    (signed + typed > 0).then(|| {
        format!(
            "Decisions were not verified against a roster of signers ({signed} signed, {typed} typed in evidence files): give the centre's allowed_signers file with --signers to count only decisions its assessors signed."
        )
    })
}
