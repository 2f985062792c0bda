//! What a piece of evidence is worth for a criterion, as the mapping grid and
//! the location sheet mark it: accepted, awaiting a decision, supporting
//! only, referred, or not counted. The marks and the legend are chosen here,
//! once, so HTML and PDF print the same characters (all in DejaVu Sans).

use crate::coverage::CriterionCoverage;
use crate::criteria::{CritId, Criteria};
use crate::evidence::{Decision, Item};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Worth {
    /// Accepted by the assessor and able to show the criterion: counts for `met`.
    Accepted,
    /// Able to show the criterion, no counting decision yet: counts for `claimed`.
    Awaiting,
    /// A * method, or one the outcome does not list: supports, never shows alone.
    SupportingOnly,
    /// The assessor referred it.
    Referred,
    /// Does not count for this criterion (dated after today, a simulation
    /// where real work is required, …): the item's problems say why.
    NotCounted,
}

impl Worth {
    pub const ALL: [Worth; 5] = [
        Worth::Accepted,
        Worth::Awaiting,
        Worth::SupportingOnly,
        Worth::Referred,
        Worth::NotCounted,
    ];

    /// The grid mark.
    pub fn mark(self) -> &'static str {
        match self {
            Worth::Accepted => "●",
            Worth::Awaiting => "○",
            Worth::SupportingOnly => "◇",
            Worth::Referred => "✗",
            Worth::NotCounted => "–",
        }
    }

    /// The legend's words for the mark.
    pub fn meaning(self) -> &'static str {
        match self {
            Worth::Accepted => "accepted by the assessor (counts towards met)",
            Worth::Awaiting => "awaiting the assessor's decision (counts towards claimed)",
            Worth::SupportingOnly => "supporting only: a * method, or one the outcome does not list",
            Worth::Referred => "referred by the assessor",
            Worth::NotCounted => "does not count here (see the item's problems)",
        }
    }

    /// The location sheet's decision column.
    pub fn decision_words(self) -> &'static str {
        match self {
            Worth::Accepted => "accepted",
            Worth::Awaiting => "awaiting decision",
            Worth::SupportingOnly => "supporting only",
            Worth::Referred => "referred",
            Worth::NotCounted => "not counted",
        }
    }
}

/// The legend of the marks, in order.
#[derive(Debug, Clone, Serialize)]
pub struct LegendEntry {
    pub worth: Worth,
    pub mark: &'static str,
    pub meaning: &'static str,
}

pub fn legend() -> Vec<LegendEntry> {
    Worth::ALL
        .iter()
        .map(|w| LegendEntry {
            worth: *w,
            mark: w.mark(),
            meaning: w.meaning(),
        })
        .collect()
}

/// What item `e` (an index into the portfolio's items) is worth for the
/// criterion of `r`.
pub fn worth(criteria: &Criteria, r: &CriterionCoverage, item: &Item, e: usize, accepted: bool) -> Worth {
    if item.assessment.as_ref().map(|a| a.decision) == Some(Decision::Referred) {
        return Worth::Referred;
    }
    let counts = r.unassigned.contains(&e) || r.occasion_uses.iter().any(|u| u.items.contains(&e));
    if !counts {
        return Worth::NotCounted;
    }
    if !stands_alone(criteria, r.id, item, accepted) {
        return Worth::SupportingOnly;
    }
    if accepted { Worth::Accepted } else { Worth::Awaiting }
}

/// As coverage decides it: a listed method that is not a * method, or an
/// unlisted one an assessor validly accepted.
fn stands_alone(criteria: &Criteria, id: CritId, item: &Item, accepted: bool) -> bool {
    let methods = criteria.methods(id);
    !criteria.framework_of(id).rules.supporting_only.contains(&item.method)
        && (methods.is_empty() || methods.contains(&item.method) || accepted)
}
