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
    /// A signed acceptance that counts, and how strongly: verified against
    /// the roster or not.
    pub accepted: Option<super::Decided>,
    /// The latest signed assessor decision refers the item.
    pub referred: bool,
    /// The item has signed decision records (whatever their verdict): then
    /// they decide, and a decision typed into the evidence file is ignored.
    pub signed: bool,
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

/// Whether a principal is the learner: the same person by name, or by the
/// part of an address before `@`.
pub fn is_learner(principal: &str, learner: &str) -> bool {
    let local = principal.split('@').next().unwrap_or(principal);
    !learner.trim().is_empty() && (may_be_same_person(principal, learner) || may_be_same_person(local, learner))
}

/// The outcome for item `i`, with the problems that explain it.
///
/// The latest assessor decision with a good signature decides. Anything
/// signed after it that lowers — an IQA's `returned`, or a referral or
/// return whose signature does not verify — stops an acceptance counting:
/// unverified input may lower a status, never raise it.
pub fn outcome(
    decisions: &Decisions,
    i: usize,
    item: &Item,
    people: &People<'_>,
    today: Date,
    problems: &mut Vec<Problem>,
) -> Outcome {
    let all = decisions.naming(&item.id);
    let mut out = Outcome {
        signed: !all.is_empty(),
        ..Outcome::default()
    };
    let role = |r: &Recorded, role: &str| r.record.as_ref().is_some_and(|x| x.role == role);
    let Some(at) = all
        .iter()
        .rposition(|r| r.item == Some(i) && r.verdict.signed_ok() && role(r, "assessor"))
    else {
        return out;
    };
    let last = all[at];
    let Some(record) = last.record.as_ref() else {
        return out;
    };
    // What comes after the deciding record and lowers it, verified or not.
    let lowered_by = all[at + 1..].iter().find(|r| {
        r.record
            .as_ref()
            .is_some_and(|x| x.decision == "returned" || x.decision == "referred")
    });
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
    if is_learner(&record.by, people.learner) {
        failed.push(format!("it is signed by {}, the learner", record.by));
    } else if !names_assessor(&record.by, people.assessors) {
        failed.push(format!(
            "it is signed by {}, who is not an assessor of this learner (portfolio.toml names {})",
            record.by,
            if people.assessors.is_empty() {
                "none".to_string()
            } else {
                people.assessors.join(", ")
            }
        ));
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
    if record.decision == "accepted" && decisions.order_broken_after(&item.id, record.sequence.unwrap_or(0)) {
        // A record may be missing after it, or another claims its place:
        // `decision-order` says which.
        return out;
    }
    if record.decision == "accepted" {
        match lowered_by {
            Some(later) => {
                if let Some(x) = later.record.as_ref().filter(|_| !later.verdict.signed_ok()) {
                    problems.push(
                        Problem::new(
                            Rule::DecisionInvalid,
                            format!(
                                "The signed acceptance of {} ({}) does not count: a later record, {}, {} it, and although that record does not verify, a decision that lowers is never outvoted by one that raises.",
                                record.item,
                                record.date,
                                later.file.display(),
                                x.decision
                            ),
                        )
                        .at(Location::at(&later.file, 1, 1))
                        .for_item(&item.id)
                        .with_hint("ask the assessor to look at the item again and decide with `portfolio assess`"),
                    );
                }
            }
            None => {
                out.accepted = Some(if last.verdict == Verdict::Verified {
                    super::Decided::SignedVerified
                } else {
                    super::Decided::SignedUnverified
                });
            }
        }
    }
    out
}
