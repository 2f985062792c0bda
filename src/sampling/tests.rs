//! The plan's promises: coverage of every stratum, risk weighting, and the
//! same plan for the same seed.

use super::{Candidate, plan};
use crate::report::CsvStyle;
use std::collections::BTreeSet;

fn candidates() -> Vec<Candidate> {
    let methods = ["observation", "witness testimony", "professional discussion", "product"];
    let mut out = Vec::new();
    for n in 0..200 {
        let assessor = ["A. Risky", "B. Steady", "C. Rare"][if n % 50 == 0 { 2 } else { n % 2 }];
        out.push(Candidate {
            folder: format!("learner-{:03}", n / 10),
            learner: format!("Learner {}", n / 10),
            item: format!("item-{n}"),
            assessor: assessor.to_string(),
            method: methods[n % 4].to_string(),
            outcome: if n == 77 { "referred" } else { "accepted" }.to_string(),
            date: format!("2026-{:02}-10", n % 12 + 1),
            site: if n == 133 { "Second site" } else { "Main site" }.to_string(),
            verified: assessor != "C. Rare",
            returned: assessor == "A. Risky" && n % 20 == 0,
        });
    }
    out
}

#[test]
fn every_assessor_method_outcome_site_and_quarter_is_sampled() {
    let p = plan(candidates(), 0.05, 3, true);
    let chosen: Vec<&Candidate> = p.chosen.iter().map(|(i, _)| &p.candidates[*i]).collect();
    let set = |f: fn(&Candidate) -> String| chosen.iter().map(|c| f(c)).collect::<BTreeSet<_>>();
    let all = |f: fn(&Candidate) -> String| p.candidates.iter().map(f).collect::<BTreeSet<_>>();
    assert_eq!(set(|c| c.assessor.clone()), all(|c| c.assessor.clone()));
    assert_eq!(set(|c| c.method.clone()), all(|c| c.method.clone()));
    assert_eq!(set(|c| c.outcome.clone()), all(|c| c.outcome.clone()));
    assert_eq!(set(|c| c.site.clone()), all(|c| c.site.clone()));
    assert_eq!(set(|c| c.quarter()), all(|c| c.quarter()));
    assert!(p.chosen.iter().all(|(_, why)| !why.is_empty()));
}

#[test]
fn assessors_with_returned_or_few_verified_decisions_are_sampled_more() {
    let p = plan(candidates(), 0.1, 3, true);
    let a = |name: &str| p.assessors.iter().find(|a| a.assessor == name).unwrap().clone();
    let (risky, steady, rare) = (a("A. Risky"), a("B. Steady"), a("C. Rare"));
    assert_eq!(risky.weight, 2.0);
    assert_eq!(steady.weight, 1.0);
    assert_eq!(rare.weight, 1.5, "none of C. Rare's decisions is verified");
    let share = |x: &super::AssessorPlan| x.sampled as f64 / x.decisions as f64;
    assert!(share(&risky) > share(&steady), "{risky:?} {steady:?}");
    // Without a roster nobody is weighted for unverified decisions.
    let p = plan(candidates(), 0.1, 3, false);
    assert_eq!(
        p.assessors.iter().find(|a| a.assessor == "C. Rare").unwrap().weight,
        1.0
    );
}

#[test]
fn the_same_seed_gives_the_same_plan_and_another_seed_another() {
    let one = plan(candidates(), 0.1, 42, true);
    let again = plan(candidates(), 0.1, 42, true);
    assert_eq!(one.chosen, again.chosen);
    assert_eq!(
        super::csv(&one, CsvStyle::Excel).unwrap(),
        super::csv(&again, CsvStyle::Excel).unwrap()
    );
    let other = plan(candidates(), 0.1, 43, true);
    assert_ne!(one.chosen, other.chosen);
}

#[test]
fn a_rate_of_zero_still_samples_every_assessor_once() {
    let p = plan(candidates(), 0.0, 1, true);
    assert!(p.assessors.iter().all(|a| a.sampled >= 1));
    let empty = plan(Vec::new(), 0.5, 1, true);
    assert!(empty.chosen.is_empty());
}
