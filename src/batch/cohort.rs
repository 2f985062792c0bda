//! The cohort outputs: `cohort.json` (schema `portfolio-cohort/1`),
//! `cohort.csv` (one row per built learner) and the model of the
//! `cohort.html` dashboard. Learners keep the cohort folder's order.

use super::{BatchResult, LearnerResult};
use crate::coverage::{Status, Summary};
use crate::criteria::{CritId, Criteria};
use crate::report::text::neutralise_formula;

pub use crate::document::cohort::*;

/// Builds the cohort model (JSON, and the dashboard's data).
pub fn cohort_json(result: &BatchResult, criteria: &Criteria, assessed: &[bool]) -> CohortJson {
    let built: Vec<&LearnerResult> = result.learners.iter().filter(|l| l.built).collect();
    // The criteria some learner's portfolio shows: a built-in unit nobody
    // assesses or cites gets no column.
    let shown: Vec<CritId> = criteria
        .ids()
        .filter(|id| result.learners.iter().any(|l| l.statuses[id.0].is_some()))
        .collect();
    let status = |l: &LearnerResult, id: CritId| l.statuses[id.0].unwrap_or(Status::Missing);
    let columns = shown
        .iter()
        .map(|&id| {
            let counts = Summary::of(built.iter().filter_map(|l| l.statuses[id.0]));
            CriterionColumn {
                code: criteria.criterion(id).code.clone(),
                display_code: criteria.display_code(id),
                framework: criteria.framework_of(id).id.clone(),
                assessed: assessed[id.0],
                met: counts.met,
                claimed: counts.claimed,
                insufficient: counts.insufficient,
                missing: counts.missing,
                percent: counts.percent(),
            }
        })
        .collect();
    let learners = result
        .learners
        .iter()
        .map(|l| LearnerJson {
            source: l.source.clone(),
            folder: l.built.then(|| l.folder.clone()),
            built: l.built,
            learner: l.learner.clone(),
            assessor: l.assessor.clone(),
            complete: l.complete,
            summary: crate::report::SummaryJson {
                counts: l.summary,
                met_by: l.met_by,
            },
            percent_claimed: l.summary.percent_claimed(),
            percent_met: l.summary.percent_met(),
            gaps: l.gaps,
            errors: l.errors,
            warnings: l.warnings,
            last_evidence: l.last_evidence,
            units: l.units.clone(),
            statuses: shown.iter().map(|&id| status(l, id)).collect(),
            status_by_code: shown
                .iter()
                .map(|&id| (criteria.qualified_code(id), status(l, id)))
                .collect(),
            failure: l.failure_message.clone(),
            problems: l.failure.clone(),
            copied_from_another_learner: l.copies.clone(),
        })
        .collect();
    CohortJson {
        schema: SCHEMA,
        summary: CohortSummary {
            learners: result.learners.len(),
            built: built.len(),
            complete: built.iter().filter(|l| l.complete).count(),
            with_gaps: built.iter().filter(|l| !l.complete).count(),
            failed: result.failed(),
        },
        criteria: columns,
        learners,
        skipped: result
            .skipped
            .iter()
            .map(|(f, r)| Skipped {
                folder: f.clone(),
                reason: r.clone(),
            })
            .collect(),
        renamed: result
            .renamed
            .iter()
            .map(|(w, g)| Renamed {
                wanted: w.clone(),
                given: g.clone(),
            })
            .collect(),
    }
}

/// `cohort.csv`: a header row, then one row per built learner, in `style`.
pub fn cohort_csv(cohort: &CohortJson, style: crate::report::CsvStyle) -> Result<Vec<u8>, csv::Error> {
    let mut w = crate::report::csv_writer(style, Vec::new())?;
    let mut header: Vec<String> = [
        "folder",
        "name",
        "id",
        "uln",
        "assessor",
        "complete",
        "total",
        "met",
        "claimed",
        "insufficient",
        "missing",
        "percent_claimed",
        "percent_met",
        "gaps",
        "errors",
        "warnings",
        "last_evidence",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(cohort.criteria.iter().map(|c| format!("{}:{}", c.framework, c.code)));
    w.write_record(&header)?;
    for l in cohort.learners.iter().filter(|l| l.built) {
        let mut row: Vec<String> = vec![
            l.folder.clone().unwrap_or_default(),
            l.learner.name.clone(),
            l.learner.id.clone().unwrap_or_default(),
            l.learner.uln.clone().unwrap_or_default(),
            l.assessor.clone(),
            if l.complete { "yes" } else { "no" }.to_string(),
            l.summary.counts.total.to_string(),
            l.summary.counts.met.to_string(),
            l.summary.counts.claimed.to_string(),
            l.summary.counts.insufficient.to_string(),
            l.summary.counts.missing.to_string(),
            l.percent_claimed.to_string(),
            l.percent_met.to_string(),
            l.gaps.to_string(),
            l.errors.to_string(),
            l.warnings.to_string(),
            l.last_evidence.map(|d| d.to_string()).unwrap_or_default(),
        ];
        row.extend(l.statuses.iter().map(|s| s.word().to_string()));
        w.write_record(row.iter().map(|c| neutralise_formula(c)))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
