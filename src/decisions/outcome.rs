//! What an item's signed decisions mean for coverage: the latest assessor
//! decision with a good signature decides, unless a later IQA decision
//! returned it; an acceptance whose item changed since does not count
//! (`changed-since-decision`).
//!
//! A decision may name some of the item's criteria (a version-3 record):
//! then it decides those only, and each criterion the item is tagged with
//! is decided by the latest record that covers it (one that names it, or
//! an item-wide one). An acceptance for 3.1 never makes 3.5 met; a referral
//! for 3.5 never lowers 3.1.

use super::{Decided, Decisions, Recorded, Verdict};
use crate::criteria::{CritId, Criteria};
use crate::date::Date;
use crate::diagnostic::{Location, Problem, Rule};
use crate::evidence::Item;
use crate::names::{may_be_same_person, same_name};

/// The signed decisions' effect on one item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// A signed acceptance that counts, and how strongly: verified against
    /// the roster or not (with `per_criterion`, the strongest of them).
    pub accepted: Option<Decided>,
    /// The latest signed assessor decision refers the item (with
    /// `per_criterion`: every criterion it is tagged with is referred).
    pub referred: bool,
    /// The item has signed decision records (whatever their verdict): then
    /// they decide, and a decision typed into the evidence file is ignored.
    pub signed: bool,
    /// When a record names criteria: what was decided for each criterion
    /// the item is tagged with, in tag order. Empty: item-wide decisions.
    pub per_criterion: Vec<CriterionDecision>,
}

/// What the signed decisions decided for one criterion of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CriterionDecision {
    /// A criterion the item is tagged with.
    pub criterion: CritId,
    /// An acceptance of it that counts, and how it was decided.
    pub accepted: Option<Decided>,
    /// The latest decision covering it refers it.
    pub referred: bool,
}

/// How item decisions apply to criterion `id`, of which `is_source` tells
/// the criteria that count for it (itself and those mapped to it):
/// `whole` when the decisions are item-wide (`per` empty); else the
/// strongest acceptance among the item's tags that count for `id`, none
/// when any of them is referred (lowering wins). The second value: one of
/// them is referred.
pub fn for_criterion(
    per: &[CriterionDecision],
    whole: Option<Decided>,
    is_source: impl Fn(CritId) -> bool,
) -> (Option<Decided>, bool) {
    if per.is_empty() {
        return (whole, false);
    }
    let mine = per.iter().filter(|d| is_source(d.criterion));
    let mut best = None;
    for d in mine {
        if d.referred {
            return (None, true);
        }
        best = best.max(d.accepted);
    }
    (best, false)
}

/// The criterion the code `code` names among the item's tags: `3.1`
/// (compared as codes are: case, spaces and an `AC` prefix ignored) or
/// `unit-214:3.1`. Err: what to say.
pub fn criterion_of(criteria: &Criteria, item: &Item, code: &str) -> Result<CritId, String> {
    use crate::criteria::code_key;
    let code = code.trim();
    let (fw, bare) = match code.split_once(':') {
        Some((fw, bare)) => (Some(fw.trim()), bare),
        None => (None, code),
    };
    let key = code_key(bare);
    let mut found: Vec<CritId> = Vec::new();
    for t in &item.tags {
        let id = t.criterion;
        if found.contains(&id) || code_key(&criteria.criterion(id).code) != key {
            continue;
        }
        if fw.is_none_or(|fw| criteria.framework_of(id).id.eq_ignore_ascii_case(fw)) {
            found.push(id);
        }
    }
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let mut tagged: Vec<String> = Vec::new();
            for t in &item.tags {
                let c = criteria.display_code(t.criterion);
                if !tagged.contains(&c) {
                    tagged.push(c);
                }
            }
            Err(format!(
                "the item `{}` is not tagged with {code}: a decision names only criteria of the item ({})",
                item.id,
                if tagged.is_empty() {
                    "it is tagged with none".to_string()
                } else {
                    format!("it is tagged with {}", tagged.join(", "))
                }
            ))
        }
        many => Err(format!(
            "{code} is a code of several frameworks the item is tagged with: write {}",
            many.iter()
                .map(|id| criteria.qualified_code(*id))
                .collect::<Vec<_>>()
                .join(" or ")
        )),
    }
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
    criteria: &Criteria,
    people: &People<'_>,
    today: Date,
    problems: &mut Vec<Problem>,
) -> Outcome {
    let all = decisions.naming(&item.id);
    let signed = !all.is_empty();
    let names = |r: &Recorded| r.record.as_ref().is_some_and(|x| x.criteria.is_some());
    if !all.iter().any(|r| names(r)) {
        let (accepted, referred) = decide(decisions, i, item, &all, None, people, today, problems);
        return Outcome {
            accepted,
            referred,
            signed,
            per_criterion: Vec::new(),
        };
    }
    // Each criterion the item is tagged with, decided by the records that
    // cover it; a problem that several criteria raise is said once.
    let mut tags: Vec<CritId> = Vec::new();
    for t in &item.tags {
        if !tags.contains(&t.criterion) {
            tags.push(t.criterion);
        }
    }
    let mut said: Vec<Problem> = Vec::new();
    let mut per_criterion = Vec::with_capacity(tags.len());
    for &c in &tags {
        let covering: Vec<&Recorded> = all.iter().copied().filter(|r| covers(criteria, item, r, c)).collect();
        let mut found = Vec::new();
        let (accepted, referred) = decide(decisions, i, item, &covering, Some(criteria), people, today, &mut found);
        for p in found {
            if !said.iter().any(|q| q.rule == p.rule && q.message == p.message) {
                said.push(p);
            }
        }
        per_criterion.push(CriterionDecision {
            criterion: c,
            accepted,
            referred,
        });
    }
    problems.extend(said);
    Outcome {
        accepted: per_criterion.iter().filter_map(|d| d.accepted).max(),
        referred: !per_criterion.is_empty() && per_criterion.iter().all(|d| d.referred),
        signed,
        per_criterion,
    }
}

/// Whether record `r` decides criterion `c` of `item`: an item-wide
/// record, or one that names it. A record naming a code the item is not
/// tagged with covers every criterion (it is refused when it decides, and
/// a lowering one still lowers).
fn covers(criteria: &Criteria, item: &Item, r: &Recorded, c: CritId) -> bool {
    match r.record.as_ref().and_then(|x| x.criteria.as_ref()) {
        None => true,
        Some(codes) => codes.iter().any(|code| match criterion_of(criteria, item, code) {
            Ok(id) => id == c,
            Err(_) => true,
        }),
    }
}

/// The acceptance that counts and whether the item is referred, from the
/// records `all` (oldest first) that decide one scope: the item, or one of
/// its criteria (then `criteria` is given, to check the codes named).
#[allow(clippy::too_many_arguments)]
fn decide(
    decisions: &Decisions,
    i: usize,
    item: &Item,
    all: &[&Recorded],
    criteria: Option<&Criteria>,
    people: &People<'_>,
    today: Date,
    problems: &mut Vec<Problem>,
) -> (Option<Decided>, bool) {
    let mut out = Outcome::default();
    let role = |r: &Recorded, role: &str| r.record.as_ref().is_some_and(|x| x.role == role);
    let Some(at) = all
        .iter()
        .rposition(|r| r.item == Some(i) && r.verdict.signed_ok() && role(r, "assessor"))
    else {
        return (out.accepted, out.referred);
    };
    let last = all[at];
    let Some(record) = last.record.as_ref() else {
        return (out.accepted, out.referred);
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
        return (out.accepted, out.referred);
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
    if let (Some(criteria), Some(codes)) = (criteria, record.criteria.as_ref()) {
        for code in codes {
            if let Err(why) = criterion_of(criteria, item, code) {
                failed.push(why);
            }
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
        return (out.accepted, out.referred);
    }
    out.referred = record.decision == "referred";
    if record.decision == "accepted" && decisions.order_broken_after(&item.id, record.sequence.unwrap_or(0)) {
        // A record may be missing after it, or another claims its place:
        // `decision-order` says which.
        return (out.accepted, out.referred);
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
    (out.accepted, out.referred)
}
