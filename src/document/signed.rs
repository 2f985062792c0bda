//! The signed decisions as the portfolio shows them: per item, who decided
//! what and when and whether it verified; for the declaration, the IQA's
//! sampling of this learner.

use super::model::SignedDecisionDoc;
use crate::decisions::{Decisions, Verdict};
use crate::evidence::Item;
use std::collections::BTreeMap;

/// The decisions on the item with id `id`, oldest first.
pub fn of_item(decisions: &Decisions, id: &str) -> Vec<SignedDecisionDoc> {
    let mut list: Vec<_> = decisions
        .list
        .iter()
        .filter_map(|d| d.record.as_ref().filter(|r| r.item == id).map(|r| (d, r)))
        .collect();
    list.sort_by_key(|(d, _)| d.order());
    list.into_iter()
        .map(|(d, r)| {
            let (verdict, verdict_text) = match &d.verdict {
                Verdict::Verified => ("verified", "signature verified against the roster".to_string()),
                Verdict::Valid => ("valid", "signature valid; not checked against a roster".to_string()),
                Verdict::ChangedSince => (
                    "changed-since",
                    format!("the item changed since it was signed ({})", d.changed.join(", ")),
                ),
                Verdict::Unverified(why) => ("unverified", format!("not verified: {why}")),
            };
            SignedDecisionDoc {
                role: if r.role == "iqa" { "IQA" } else { "Assessor" }.to_string(),
                decision: match r.criteria.as_deref() {
                    Some(codes) if !codes.is_empty() => format!("{} for {}", r.decision, codes.join(", ")),
                    _ => r.decision.clone(),
                },
                by: r.by.clone(),
                date: r.date.clone(),
                feedback: r.feedback.clone(),
                verdict,
                verdict_text,
            }
        })
        .collect()
}

/// One line per IQA: the items they sampled and what they decided.
pub fn iqa_sampling(decisions: &Decisions, items: &[&Item]) -> Vec<String> {
    let number = |id: &str| items.iter().position(|i| i.id == id).map(|n| n + 1);
    let mut by_iqa: BTreeMap<&str, Vec<(String, usize, String)>> = BTreeMap::new();
    for d in decisions.list.iter().filter(|d| d.verdict.signed_ok()) {
        let Some(r) = d.record.as_ref().filter(|r| r.role == "iqa") else {
            continue;
        };
        if let Some(n) = number(&r.item) {
            by_iqa
                .entry(r.by.as_str())
                .or_default()
                .push((r.decision.clone(), n, r.date.clone()));
        }
    }
    by_iqa
        .into_iter()
        .map(|(iqa, mut list)| {
            list.sort_by_key(|x| x.1);
            let parts: Vec<String> = list
                .iter()
                .map(|(decision, n, date)| format!("item {n} {decision} on {date}"))
                .collect();
            format!(
                "{iqa} (IQA) sampled {} item{}: {}.",
                list.len(),
                if list.len() == 1 { "" } else { "s" },
                parts.join("; ")
            )
        })
        .collect()
}
