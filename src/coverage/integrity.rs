//! Integrity: whether an item can be trusted at all, before any criterion
//! is weighed: who accepted it (`decision-invalid`), who witnessed it
//! (`witness-not-independent`, `witness-is-assessor`), and when it was made
//! (`date-in-future`, `before-registration`, `before-valid-from`).
//!
//! A decision in a learner's own file counts towards `met` only when an
//! assessor named in `portfolio.toml` made it, on a date from the item's
//! own to today, and only when no roster of signers (`--signers`) is given:
//! with a roster, only signed decisions count ([`crate::decisions`]).

use crate::criteria::Criteria;
use crate::date::Date;
use crate::decisions::outcome::{CriterionDecision, People, outcome};
use crate::decisions::{Decided, Decisions};
use crate::diagnostic::{Location, Problem, Rule};
use crate::evidence::{Decision, Item, PORTFOLIO_FILE, Portfolio};
use crate::names::{may_be_same_person, same_name};
use std::collections::BTreeSet;

/// What the rules need to know about one item.
#[derive(Debug, Clone, Default)]
pub struct ItemFacts {
    /// Why the item counts for no criterion at all, if it does not.
    pub excluded: Option<Rule>,
    /// It carries an acceptance that counts.
    pub accepted: bool,
    /// How that acceptance was decided.
    pub decided: Option<Decided>,
    /// Frameworks (indices) whose `valid_from` is after the item's date.
    pub too_early_for: Vec<usize>,
    /// When a signed decision names some of the item's criteria: what was
    /// decided for each criterion it is tagged with; `accepted` and
    /// `decided` then say whether any of them is accepted. Empty: the
    /// decision is on the whole item.
    pub per_criterion: Vec<CriterionDecision>,
}

/// The facts of every item (unusable ones get defaults), and the problems
/// that explain them.
pub(super) fn item_facts(
    portfolio: &Portfolio,
    decisions: &Decisions,
    criteria: &Criteria,
    today: Date,
    problems: &mut Vec<Problem>,
) -> Vec<ItemFacts> {
    let settings = &portfolio.settings;
    let learner = settings.learner.name.as_str();
    let assessors: Vec<&str> = settings.assessors.iter().map(|a| a.name.as_str()).collect();
    for a in &assessors {
        if !learner.is_empty() && may_be_same_person(a, learner) {
            problems.push(
                Problem::new(
                    Rule::DecisionInvalid,
                    format!(
                        "{PORTFOLIO_FILE} names {a}, the learner, as an assessor: a learner cannot assess their own evidence, so no decision by {a} counts."
                    ),
                )
                .at(Location::file(PORTFOLIO_FILE))
                .with_hint("name your assessor under [assessor], as your centre registered them"),
            );
        }
    }
    portfolio
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            if item.usable {
                let mut f = facts(
                    item,
                    criteria,
                    learner,
                    &assessors,
                    settings.learner.registered,
                    today,
                    problems,
                );
                let people = People {
                    learner,
                    assessors: &assessors,
                };
                let signed = outcome(decisions, i, item, criteria, &people, today, problems);
                let typed = f.accepted.then_some(Decided::Typed);
                f.decided = if signed.signed {
                    // Signed records decide: a typed acceptance is ignored.
                    if typed.is_some() && signed.accepted.is_none() {
                        problems.push(typed_ignored(item, decisions));
                    }
                    signed.accepted
                } else if decisions.roster {
                    // With a roster, text typed into a file never makes anything met.
                    None
                } else {
                    typed
                };
                f.accepted = f.decided.is_some();
                if signed.signed {
                    f.per_criterion = signed.per_criterion;
                }
                if signed.referred && f.excluded.is_none() {
                    f.excluded = Some(Rule::Referred);
                }
                f
            } else {
                ItemFacts::default()
            }
        })
        .collect()
}

/// `decision-invalid` on a typed acceptance that signed records outrank.
fn typed_ignored(item: &Item, decisions: &Decisions) -> Problem {
    let files: Vec<String> = decisions
        .naming(&item.id)
        .iter()
        .map(|r| crate::diagnostic::display_path(&r.file))
        .collect();
    Problem::new(
        Rule::DecisionInvalid,
        format!(
            "The acceptance typed into this file is ignored: the item has signed decision records ({}), and they decide: none of them is an acceptance that counts, so this typed one makes nothing met.",
            files.join(", ")
        ),
    )
    .at(Location::at(&item.path, item.lines.decision.unwrap_or(1), 1))
    .for_item(&item.id)
    .with_hint("a typed [assessment] can lower an item (a referral) but never outvote a signed record; ask the assessor to decide again with `portfolio assess`")
}

fn facts(
    item: &Item,
    criteria: &Criteria,
    learner: &str,
    assessors: &[&str],
    registered: Option<Date>,
    today: Date,
    problems: &mut Vec<Problem>,
) -> ItemFacts {
    let mut facts = ItemFacts::default();
    let mut exclude = |rule: Rule| {
        if facts.excluded.is_none() {
            facts.excluded = Some(rule);
        }
    };
    if item.decision() == Some(Decision::Referred) {
        exclude(Rule::Referred);
    }
    let witness = item.witness.as_ref().filter(|_| item.method.is_testimony());
    if item.method.is_testimony() && !witness.is_some_and(|w| w.is_named()) {
        exclude(Rule::WitnessMissing);
    }
    let witness_line = Location::at(&item.path, item.lines.witness.unwrap_or(item.lines.method), 1);
    if let Some(name) = witness.and_then(|w| w.name.as_deref()) {
        if !learner.is_empty() && may_be_same_person(name, learner) {
            exclude(Rule::WitnessNotIndependent);
            problems.push(
                Problem::new(
                    Rule::WitnessNotIndependent,
                    format!(
                        "The witness, {name}, is you, the learner: a witness testimony must come from someone else who saw you work. It does not count."
                    ),
                )
                .at(witness_line.clone())
                .for_item(&item.id)
                .with_hint("ask a colleague or manager who saw it to give the testimony, with their name and role"),
            );
        } else if let Some(a) = assessors.iter().find(|a| may_be_same_person(name, a)) {
            problems.push(
                Problem::new(
                    Rule::WitnessIsAssessor,
                    format!(
                        "The witness, {name}, is your assessor ({a}): what an assessor sees is an observation, not a witness testimony. It still counts."
                    ),
                )
                .at(witness_line)
                .for_item(&item.id)
                .with_hint("ask your assessor to record it as method = \"observation\""),
            );
        }
    }
    if item.date > today {
        exclude(Rule::DateInFuture);
    }
    // Recognition of prior learning is, by definition, from before.
    let prior = item.method == crate::method::Method::PriorLearning;
    if let Some(registered) = registered.filter(|r| item.date < *r && !prior) {
        exclude(Rule::BeforeRegistration);
        problems.push(
            Problem::new(
                Rule::BeforeRegistration,
                format!(
                    "The item is dated {}, before you were registered ({registered}): evidence must come from your time on the qualification. It does not count.",
                    item.date
                ),
            )
            .at(Location::at(&item.path, item.lines.date, 1))
            .for_item(&item.id)
            .with_hint("check the date; if it is right, ask your assessor about recognition of prior learning"),
        );
    }
    facts.too_early_for = too_early_for(item, criteria);
    for &f in &facts.too_early_for {
        let fw = &criteria.frameworks[f];
        let from = fw.valid_from.map(|d| d.to_string()).unwrap_or_default();
        problems.push(
            Problem::new(
                Rule::BeforeValidFrom,
                format!(
                    "The item is dated {}, before {} came into use ({from}): it does not count for {}.",
                    item.date, fw.short_title, fw.short_title
                ),
            )
            .at(Location::at(&item.path, item.lines.date, 1))
            .for_item(&item.id)
            .with_hint("check the date: evidence must be current"),
        );
    }
    if item.decision() == Some(Decision::Accepted) {
        let failed = acceptance_failures(item, learner, assessors, today);
        if failed.is_empty() {
            facts.accepted = true;
        } else {
            problems.push(
                Problem::new(
                    Rule::DecisionInvalid,
                    format!(
                        "This acceptance does not count: {}. The item stays claimed until your assessor accepts it.",
                        failed.join("; ")
                    ),
                )
                .at(Location::at(&item.path, item.lines.decision.unwrap_or(1), 1))
                .for_item(&item.id)
                .with_hint(
                    "only your assessor records a decision: by = their name as in portfolio.toml, date = the day they decided",
                ),
            );
        }
    }
    facts
}

/// Why an `accepted` decision does not count, if it does not.
fn acceptance_failures(item: &Item, learner: &str, assessors: &[&str], today: Date) -> Vec<String> {
    let Some(a) = &item.assessment else {
        return Vec::new();
    };
    let mut failed = Vec::new();
    match a.by.as_deref() {
        None => failed.push("it does not say who made it (`by`)".to_string()),
        Some(by) if !learner.is_empty() && may_be_same_person(by, learner) => failed.push(format!(
            "it is by {by}, the learner; you cannot accept your own evidence"
        )),
        Some(by) if assessors.is_empty() => {
            failed.push(format!("it is by {by}, but {PORTFOLIO_FILE} names no assessor"))
        }
        Some(by) if !assessors.iter().any(|s| same_name(s, by)) => failed.push(format!(
            "it is by {by}, who is not an assessor named in {PORTFOLIO_FILE} ({})",
            assessors.join(", ")
        )),
        Some(_) => {}
    }
    match a.date {
        None => failed.push("it has no date".to_string()),
        Some(d) if d < item.date => failed.push(format!(
            "it is dated {d}, before the evidence it accepts ({})",
            item.date
        )),
        Some(d) if d > today => failed.push(format!("it is dated {d}, after today ({today})")),
        Some(_) => {}
    }
    failed
}

/// Frameworks that the item's criteria belong to, or map into, whose
/// `valid_from` is after the item's date.
fn too_early_for(item: &Item, criteria: &Criteria) -> Vec<usize> {
    let mut frameworks = BTreeSet::new();
    for id in item.criteria() {
        frameworks.insert(criteria.entry(id).framework);
        for m in &criteria.maps_to[id.0] {
            frameworks.insert(criteria.entry(*m).framework);
        }
    }
    frameworks
        .into_iter()
        .filter(|&f| criteria.frameworks[f].valid_from.is_some_and(|from| item.date < from))
        .collect()
}
