//! An IQA sampling plan across a cohort (`portfolio sample`), in the CAVA
//! style internal quality assurers plan with: Candidates, Assessors,
//! Methods, Assessment sites, over time. The population is every assessed
//! item (the latest assessor decision on it, signed or typed); the plan
//! first covers every stratum (each assessor, method, outcome, site and
//! quarter is sampled at least once), then fills each assessor's quota —
//! the rate, doubled for an assessor with returned decisions and raised by
//! half for one with few verified decisions. Choices within a stratum go by
//! a hash of the seed and the item, so a seed always gives the same plan.
//! `docs/sampling.md` explains it.

pub mod page;
#[cfg(test)]
mod tests;

use crate::criteria::Criteria;
use crate::decisions::outcome::names_assessor;
use crate::decisions::signers::Signers;
use crate::decisions::{Verdict, load};
use crate::evidence::load_portfolio;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// One assessed item of the cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The learner's folder name in the cohort.
    pub folder: String,
    pub learner: String,
    pub item: String,
    pub assessor: String,
    pub method: String,
    pub outcome: String,
    pub date: String,
    pub site: String,
    /// A signed decision verified against the roster.
    pub verified: bool,
    /// An IQA returned a decision on this item.
    pub returned: bool,
}

impl Candidate {
    /// "2026-Q1" from the decision's date.
    pub fn quarter(&self) -> String {
        let month: u32 = self.date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
        format!(
            "{}-Q{}",
            self.date.get(0..4).unwrap_or("????"),
            month.saturating_sub(1) / 3 + 1
        )
    }
}

/// One assessor's share of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessorPlan {
    pub assessor: String,
    pub decisions: usize,
    pub verified: usize,
    pub returned: usize,
    /// 1, 1.5 or 2 (and why).
    pub weight: f64,
    pub why: String,
    pub sampled: usize,
}

/// The plan: the sampled items, each with the reasons it was chosen.
#[derive(Debug, Clone)]
pub struct Plan {
    pub rate: f64,
    pub seed: u64,
    pub roster: bool,
    pub population: usize,
    pub assessors: Vec<AssessorPlan>,
    /// Indices into `candidates`, sorted, with the reasons.
    pub chosen: Vec<(usize, Vec<String>)>,
    pub candidates: Vec<Candidate>,
    /// Learner folders that could not be read.
    pub unread: Vec<String>,
}

/// Reads every learner of the cohort into candidates.
pub fn population(
    folders: &[PathBuf],
    criteria: &Criteria,
    roster: Option<&Signers>,
    today: crate::date::Date,
) -> (Vec<Candidate>, Vec<String>) {
    let mut out = Vec::new();
    let mut unread = Vec::new();
    for folder in folders {
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(portfolio) = load_portfolio(folder, criteria) else {
            unread.push(name);
            continue;
        };
        let decisions = load(&portfolio, roster, today);
        let named: Vec<&str> = portfolio.settings.assessors.iter().map(|a| a.name.as_str()).collect();
        let site = portfolio.settings.centre.name.clone();
        for (i, item) in portfolio.items.iter().enumerate().filter(|(_, i)| i.usable) {
            let signed = decisions.of_item(i);
            let good: Vec<_> = signed.iter().filter(|d| d.verdict.signed_ok()).collect();
            let role = |d: &&&crate::decisions::Recorded, r: &str| d.record.as_ref().is_some_and(|x| x.role == r);
            let returned = good
                .iter()
                .any(|d| role(d, "iqa") && d.record.as_ref().is_some_and(|r| r.decision == "returned"));
            let latest = good.iter().rev().find(|d| role(d, "assessor"));
            let (assessor, outcome, date, verified) = match (latest.and_then(|d| d.record.as_ref()), &item.assessment) {
                (Some(r), _) => {
                    let who = named
                        .iter()
                        .find(|n| names_assessor(&r.by, &[n]))
                        .map_or_else(|| r.by.clone(), |n| n.to_string());
                    let verified = latest.is_some_and(|d| d.verdict == Verdict::Verified);
                    (who, r.decision.clone(), r.date.clone(), verified)
                }
                (None, Some(a)) if a.by.is_some() => (
                    a.by.clone().unwrap_or_default(),
                    format!("{:?}", a.decision).to_lowercase(),
                    a.date.map(|d| d.to_string()).unwrap_or_else(|| item.date.to_string()),
                    false,
                ),
                _ => continue,
            };
            out.push(Candidate {
                folder: name.clone(),
                learner: portfolio.settings.learner.name.clone(),
                item: item.id.clone(),
                assessor,
                method: item.method.label().to_string(),
                outcome,
                date,
                site: site.clone(),
                verified,
                returned,
            });
        }
    }
    (out, unread)
}

/// A stable pseudo-random rank of a candidate for a seed.
fn rank(seed: u64, c: &Candidate) -> [u8; 8] {
    let mut h = Sha256::new();
    h.update(seed.to_le_bytes());
    h.update(c.folder.as_bytes());
    h.update([0]);
    h.update(c.item.as_bytes());
    let d = h.finalize();
    let mut r = [0; 8];
    r.copy_from_slice(&d[..8]);
    r
}

/// Plans the sample of `candidates` at `rate` for `seed`.
pub fn plan(candidates: Vec<Candidate>, rate: f64, seed: u64, roster: bool) -> Plan {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|&i| (rank(seed, &candidates[i]), i));
    let mut reasons: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    // 1. Every stratum at least once: the first-ranked candidate of each.
    type Key = fn(&Candidate) -> String;
    let strata: [(&str, Key); 5] = [
        ("assessor", |c| c.assessor.clone()),
        ("method", |c| c.method.clone()),
        ("outcome", |c| c.outcome.clone()),
        ("site", |c| c.site.clone()),
        ("quarter", |c| c.quarter()),
    ];
    for (name, key) in strata {
        let values: BTreeSet<String> = candidates.iter().map(key).collect();
        for v in values {
            if order
                .iter()
                .any(|&i| reasons.contains_key(&i) && key(&candidates[i]) == v)
            {
                continue;
            }
            if let Some(&i) = order.iter().find(|&&i| key(&candidates[i]) == v) {
                reasons.entry(i).or_default().push(format!("covers {name} {v}"));
            }
        }
    }
    // 2. Each assessor's quota, weighted by risk.
    let mut assessors: BTreeMap<String, AssessorPlan> = BTreeMap::new();
    for c in &candidates {
        let a = assessors.entry(c.assessor.clone()).or_insert_with(|| AssessorPlan {
            assessor: c.assessor.clone(),
            decisions: 0,
            verified: 0,
            returned: 0,
            weight: 1.0,
            why: String::new(),
            sampled: 0,
        });
        a.decisions += 1;
        a.verified += usize::from(c.verified);
        a.returned += usize::from(c.returned);
    }
    for a in assessors.values_mut() {
        if a.returned > 0 {
            a.weight = 2.0;
            a.why = format!("{} returned by an IQA", a.returned);
        } else if roster && a.verified * 2 < a.decisions {
            a.weight = 1.5;
            a.why = format!("only {} of {} decisions verified", a.verified, a.decisions);
        } else {
            a.why = "standard rate".to_string();
        }
        let quota = ((a.decisions as f64) * rate * a.weight).ceil().max(1.0) as usize;
        let mut have = order
            .iter()
            .filter(|&&i| reasons.contains_key(&i) && candidates[i].assessor == a.assessor)
            .count();
        for &i in order.iter().filter(|&&i| candidates[i].assessor == a.assessor) {
            if have >= quota.min(a.decisions) {
                break;
            }
            if !reasons.contains_key(&i) {
                reasons.entry(i).or_default().push(format!(
                    "{} quota ({:.0}% × {})",
                    a.assessor,
                    rate * 100.0,
                    a.weight
                ));
                have += 1;
            }
        }
        a.sampled = have;
    }
    Plan {
        rate,
        seed,
        roster,
        population: candidates.len(),
        assessors: assessors.into_values().collect(),
        chosen: reasons.into_iter().collect(),
        candidates,
        unread: Vec::new(),
    }
}

/// The plan as CSV: one row per sampled item, in `style`.
pub fn csv(plan: &Plan, style: crate::report::CsvStyle) -> Result<Vec<u8>, csv::Error> {
    let mut w = crate::report::csv_writer(style, Vec::new())?;
    w.write_record([
        "learner_folder",
        "learner",
        "item",
        "assessor",
        "method",
        "outcome",
        "decided",
        "quarter",
        "site",
        "verified",
        "returned",
        "why",
    ])?;
    for (i, why) in &plan.chosen {
        let c = &plan.candidates[*i];
        let cells = [
            c.folder.clone(),
            c.learner.clone(),
            c.item.clone(),
            c.assessor.clone(),
            c.method.clone(),
            c.outcome.clone(),
            c.date.clone(),
            c.quarter(),
            c.site.clone(),
            c.verified.to_string(),
            c.returned.to_string(),
            why.join("; "),
        ];
        w.write_record(cells.iter().map(|s| crate::report::text::neutralise_formula(s)))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
