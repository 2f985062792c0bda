//! The achievement summary, as the awarding bodies' RF10 form gives it: per
//! assessed unit, whether it is achieved, the date of the last decision
//! that completed it, and the assessor's and the IQA's sign-off (who, and
//! the date of their latest decision on the unit's evidence). Read from the
//! coverage and the decisions; nothing is worked out twice.

use super::Usable;
use crate::coverage::Status;
use crate::date::Date;
use crate::decisions::Decided;
use serde::Serialize;
use std::collections::BTreeSet;

/// One unit's row of the summary.
#[derive(Debug, Clone, Serialize)]
pub struct UnitAchievement {
    /// "Unit 214".
    pub short_title: String,
    pub title: String,
    /// "UAN T/506/2157".
    pub reference: String,
    pub achieved: bool,
    /// "Achieved" / "Not yet achieved".
    pub achieved_text: String,
    /// "7 of 12 criteria met".
    pub criteria_met: String,
    /// The date of the last accepting decision on the unit's evidence, when
    /// the unit is achieved.
    pub completed: Option<Date>,
    /// `completed` as printed, or "—".
    pub completed_text: String,
    /// "J. Patel, 26 May 2026", or "No decision yet".
    pub assessor: String,
    /// "R. Obi, 28 April 2026", or "Not sampled".
    pub iqa: String,
}

/// A decision on an item: who, when, and whether it accepts.
struct Said {
    by: String,
    date: Date,
    accepts: bool,
}

/// The decisions on portfolio item `e` by `role` (`assessor` or `iqa`)
/// that count: signed ones whose signature is good, and for the assessor a
/// typed `[assessment]` when that is how the item's acceptance was decided.
fn decisions_on(p: &Usable<'_>, e: usize, role: &str) -> Vec<Said> {
    let c = p.c;
    let mut out: Vec<Said> = c
        .coverage
        .decisions
        .of_item(e)
        .into_iter()
        .filter(|d| d.verdict.signed_ok())
        .filter_map(|d| d.record.as_ref())
        .filter(|r| r.role == role)
        .filter_map(|r| {
            Some(Said {
                by: r.by.clone(),
                date: Date::parse(&r.date)?,
                accepts: r.decision == "accepted" || r.decision == "confirmed",
            })
        })
        .collect();
    let typed = c.coverage.decided.get(e).copied().flatten() == Some(Decided::Typed);
    if role == "assessor"
        && typed
        && let Some(a) = &c.portfolio.items[e].assessment
        && let Some(date) = a.date
    {
        out.push(Said {
            by: a
                .by
                .clone()
                .unwrap_or_else(|| c.portfolio.settings.assessor.name.clone()),
            date,
            accepts: a.decision == crate::evidence::Decision::Accepted,
        });
    }
    out
}

/// "J. Patel, 26 May 2026": the signer of the latest decision and its date
/// (several signers on that day are named together).
fn latest(said: &[Said]) -> Option<String> {
    let date = said.iter().map(|s| s.date).max()?;
    let by: BTreeSet<&str> = said.iter().filter(|s| s.date == date).map(|s| s.by.as_str()).collect();
    Some(format!(
        "{}, {}",
        by.into_iter().collect::<Vec<_>>().join(", "),
        date.long()
    ))
}

/// One row per framework the portfolio assesses, in catalogue order.
pub(super) fn achievement(p: &Usable<'_>) -> Vec<UnitAchievement> {
    let c = p.c;
    let mut out = Vec::new();
    for (f, fw) in c.criteria.frameworks.iter().enumerate() {
        let rows: Vec<&crate::coverage::CriterionCoverage> = c
            .coverage
            .criteria
            .iter()
            .filter(|r| r.assessed && c.criteria.entry(r.id).framework == f)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let required: Vec<_> = rows.iter().filter(|r| r.required).collect();
        let met = required.iter().filter(|r| r.status == Status::Met).count();
        let achieved = !required.is_empty() && met == required.len();
        let items: BTreeSet<usize> = rows
            .iter()
            .flat_map(|r| r.evidence.iter().copied())
            .filter(|&e| c.portfolio.items.get(e).is_some_and(|i| i.usable))
            .collect();
        let assessor: Vec<Said> = items.iter().flat_map(|&e| decisions_on(p, e, "assessor")).collect();
        let iqa: Vec<Said> = items.iter().flat_map(|&e| decisions_on(p, e, "iqa")).collect();
        let completed = achieved
            .then(|| {
                items
                    .iter()
                    .filter(|&&e| c.coverage.accepted.get(e).copied().unwrap_or(false))
                    .flat_map(|&e| decisions_on(p, e, "assessor"))
                    .filter(|s| s.accepts)
                    .map(|s| s.date)
                    .max()
            })
            .flatten();
        out.push(UnitAchievement {
            short_title: fw.short_title.clone(),
            title: fw.title.clone(),
            reference: format!("{} {}", fw.reference_label, fw.reference),
            achieved,
            achieved_text: if achieved { "Achieved" } else { "Not yet achieved" }.to_string(),
            criteria_met: format!(
                "{met} of {} {} met",
                required.len(),
                if required.len() == 1 { "criterion" } else { "criteria" }
            ),
            completed,
            completed_text: completed.map_or_else(|| "—".to_string(), Date::long),
            assessor: latest(&assessor).unwrap_or_else(|| "No decision yet".to_string()),
            iqa: latest(&iqa).unwrap_or_else(|| "Not sampled".to_string()),
        });
    }
    out
}
