//! One learner's line in an assessor's caseload: their name, progress,
//! items awaiting a decision, open referrals and whether the assessor
//! deciding may decide for them. The same line for `serve COHORT`'s
//! Caseload page and the static web build's, from the checked portfolio
//! and its document.

use super::{Document, ItemDoc};
use crate::report::Checked;

/// One learner of a caseload.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CaseloadRow {
    /// The learner's name, once portfolio.toml could be read.
    pub name: Option<String>,
    pub met: usize,
    pub total: usize,
    /// Items awaiting an assessor's decision (`None`: the portfolio has
    /// errors, so it is not known).
    pub awaiting: Option<usize>,
    /// Items whose latest assessor decision is a referral.
    pub referrals: Option<usize>,
    /// The decider is named as this learner's assessor in their
    /// portfolio.toml: they may decide for this learner.
    pub may_decide: bool,
}

impl CaseloadRow {
    /// The line for a checked portfolio, decided by `decider` (a principal
    /// as in the roster, deciding as an assessor); the counts that need
    /// the document are filled in by [`CaseloadRow::counted`].
    pub fn of(checked: Checked<'_>, decider: Option<&str>) -> CaseloadRow {
        let settings = &checked.portfolio.settings;
        let named: Vec<&str> = settings.assessors.iter().map(|a| a.name.as_str()).collect();
        CaseloadRow {
            name: Some(settings.learner.name.clone()),
            met: checked.coverage.summary.met,
            total: checked.coverage.summary.total,
            awaiting: None,
            referrals: None,
            may_decide: decider.is_some_and(|by| crate::decisions::outcome::names_assessor(by, &named)),
        }
    }

    /// The line with the items awaiting a decision and the open referrals
    /// of `doc` (a portfolio without errors).
    pub fn counted(self, doc: &Document) -> CaseloadRow {
        CaseloadRow {
            awaiting: Some(doc.awaiting.len()),
            referrals: Some(doc.items.iter().filter(|i| referred(i)).count()),
            ..self
        }
    }
}

/// Whether the latest assessor decision on `item` that counts (signed and
/// verified or valid; else the typed one) is a referral.
pub fn referred(item: &ItemDoc) -> bool {
    let signed = item
        .decisions
        .iter()
        .rev()
        .find(|d| d.role == "Assessor" && matches!(d.verdict, "verified" | "valid"));
    match signed {
        Some(d) => d.decision.starts_with("referred"),
        None => item
            .assessment
            .as_ref()
            .is_some_and(|a| a.decision == crate::evidence::Decision::Referred),
    }
}
