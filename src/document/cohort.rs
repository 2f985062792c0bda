//! The cohort model: what `cohort.json` (schema `portfolio-cohort/1`),
//! `cohort.csv` and the `cohort.html` dashboard show. Built by
//! [`crate::batch`] from the learners' results; read by the renderers.

use crate::coverage::Status;
use crate::date::Date;
use crate::evidence::Learner;
use crate::report::ProblemJson;
use serde::Serialize;
use std::collections::BTreeMap;

pub const SCHEMA: &str = "portfolio-cohort/1";

#[derive(Debug, Clone, Serialize)]
pub struct CohortJson {
    pub schema: &'static str,
    pub summary: CohortSummary,
    /// The criteria, in the order of every learner's `statuses`.
    pub criteria: Vec<CriterionColumn>,
    pub learners: Vec<LearnerJson>,
    pub skipped: Vec<Skipped>,
    pub renamed: Vec<Renamed>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CohortSummary {
    pub learners: usize,
    pub built: usize,
    pub complete: usize,
    pub with_gaps: usize,
    pub failed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CriterionColumn {
    pub code: String,
    pub display_code: String,
    pub framework: String,
    pub assessed: bool,
    pub met: usize,
    pub claimed: usize,
    pub insufficient: usize,
    pub missing: usize,
    /// Whole percentages of the built learners: met, claimed, insufficient, missing.
    pub percent: [usize; 4],
}

#[derive(Debug, Clone, Serialize)]
pub struct LearnerJson {
    pub source: String,
    /// The output folder inside OUT; null when nothing was built.
    pub folder: Option<String>,
    pub built: bool,
    pub learner: Learner,
    pub assessor: String,
    pub complete: bool,
    /// The learner's `portfolio-check/1` summary (with `met_by`).
    pub summary: crate::report::SummaryJson,
    pub percent_claimed: usize,
    pub percent_met: usize,
    pub gaps: usize,
    pub errors: usize,
    pub warnings: usize,
    pub last_evidence: Option<Date>,
    /// Progress in each assessed unit.
    pub units: Vec<UnitProgress>,
    pub statuses: Vec<Status>,
    /// Keyed by qualified code (`unit-214:3.2`), for convenience.
    pub status_by_code: BTreeMap<String, Status>,
    pub failure: Option<String>,
    pub problems: Vec<ProblemJson>,
    /// Narratives near-copies of another learner's in the cohort
    /// (`copied-from-another-learner`).
    pub copied_from_another_learner: Vec<CopyAcross>,
}

/// One learner's narrative that is a near-copy of another learner's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyAcross {
    /// The learner's own item file (relative to their portfolio folder).
    pub file: String,
    pub line: usize,
    /// The other learner's folder in the cohort, and their item file.
    pub other_learner: String,
    pub other_file: String,
    /// Whole percentage of word sequences shared (names set aside).
    pub percent: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub folder: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Renamed {
    pub wanted: String,
    pub given: String,
}

/// One assessed unit's progress for one learner.
#[derive(Debug, Clone, Serialize)]
pub struct UnitProgress {
    pub id: String,
    pub short_title: String,
    pub percent_claimed: usize,
    pub percent_met: usize,
    pub complete: bool,
}
