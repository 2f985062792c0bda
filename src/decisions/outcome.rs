//! What an item's signed decisions mean for coverage: the latest assessor
//! decision with a good signature decides, unless a later IQA decision
//! returned it; an acceptance whose item changed since does not count
//! (`changed-since-decision`).

use super::{Decisions, Recorded, Verdict};
use crate::date::Date;
use crate::diagnostic::{Location, Problem, Rule};
use crate::evidence::Item;
use crate::names::{may_be_same_person, same_name};

/// The signed decisions' effect on one item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// A signed acceptance that counts.
    pub accepted: bool,
    /// The latest signed assessor decision refers the item.
    pub referred: bool,
}

/// Who may decide when no roster is given: the plain-file rules.
pub struct People<'a> {
    pub learner: &'a str,
    pub assessors: &'a [&'a str],
}

/// Whether a principal names an assessor of `portfolio.toml`: the same
/// name, or the part of an address before `@` ("j.patel@centre.example" is
/// "J. Patel").
pub fn names_assessor(principal: &str, assessors: &[&str]) -> bool {
    let local = principal.split('@').next().unwrap_or(principal);
    assessors.iter().any(|a| same_name(a, principal) || same_name(a, local))
}

/// The outcome for item `i`, with the problems that explain it.
pub fn outcome(
    decisions: &Decisions,
    i: usize,
    item: &Item,
    people: &People<'_>,
    today: Date,
    problems: &mut Vec<Problem>,
) -> Outcome {
    let list = decisions.of_item(i);
    let good: Vec<&Recorded> = list.into_iter().filter(|r| r.verdict.signed_ok()).collect();
    let role = |r: &&Recorded, role: &str| r.record.as_ref().is_some_and(|x| x.role == role);
    let Some(last) = good.iter().rev().find(|r| role(r, "assessor")).copied() else {
        return Outcome::default();
    };
    let Some(record) = last.record.as_ref() else {
        return Outcome::default();
    };
    let returned = good
        .iter()
        .rfind(|r| role(r, "iqa") && (r.date(), r.seq) > (last.date(), last.seq))
        .and_then(|r| r.record.as_ref())
        .filter(|r| r.decision == "returned");
    let mut out = Outcome::default();
    if last.verdict == Verdict::ChangedSince {
        if record.decision == "accepted" {
            problems.push(
                Problem::new(
                    Rule::ChangedSinceDecision,
                    format!(
                        "The assessor's signed acceptance of {} ({}) no longer counts: {} changed after it was signed, so its criteria fall back to claimed.",
                        record.item,
                        record.date,
                        last.changed.join(", ")
                    ),
                )
                .at(Location::at(&item.path, 1, 1))
                .for_item(&item.id)
                .with_hint("ask your assessor to look at the item again and decide with `portfolio assess`"),
            );
        }
        return out;
    }
    let mut failed = Vec::new();
    if !decisions.roster {
        if may_be_same_person(&record.by, people.learner) {
            failed.push(format!("it is signed by {}, the learner", record.by));
        } else if !names_assessor(&record.by, people.assessors) {
            failed.push(format!(
                "it is signed by {}, who is not an assessor named in portfolio.toml, and no roster (--signers) was given",
                record.by
            ));
        }
    }
    match last.date() {
        Some(d) if d < item.date => failed.push(format!("it is dated {d}, before the evidence ({})", item.date)),
        Some(d) if d > today => failed.push(format!("it is dated {d}, after today ({today})")),
        _ => {}
    }
    if !failed.is_empty() {
        problems.push(
            Problem::new(
                Rule::DecisionInvalid,
                format!(
                    "The signed decision in {} does not count: {}.",
                    last.file.display(),
                    failed.join("; ")
                ),
            )
            .at(Location::at(&last.file, 1, 1))
            .for_item(&item.id)
            .with_hint("the assessor signs with the principal the centre's roster lists, on the day they decide"),
        );
        return out;
    }
    out.referred = record.decision == "referred";
    out.accepted = record.decision == "accepted" && returned.is_none();
    out
}
