//! A qualification's rules of combination over its units: every mandatory
//! unit, enough credits in each optional group, the credit total; and each
//! unit's own completeness.

use super::{CriterionCoverage, Status, Summary};
use crate::criteria::Criteria;
use crate::diagnostic::{Location, Problem, Rule};
use crate::evidence::{PORTFOLIO_FILE, Settings};
use serde::Serialize;

/// How a portfolio stands against its qualification.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct QualificationCoverage {
    pub id: String,
    pub title: String,
    pub reference: String,
    pub units: Vec<UnitCoverage>,
    /// Credits of the mandatory and chosen units.
    pub credits: u32,
    pub total_credits: u32,
    pub groups: Vec<GroupCredits>,
    /// The rules of combination hold (whatever the units' evidence).
    pub combination_ok: bool,
    /// The rules hold and every unit is complete.
    pub complete: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct UnitCoverage {
    pub id: String,
    pub short_title: String,
    pub title: String,
    pub credit: Option<u32>,
    /// `mandatory`, or the optional group's name.
    pub group: String,
    pub summary: Summary,
    pub complete: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GroupCredits {
    pub name: String,
    pub credits: u32,
    pub min_credits: u32,
}

/// The qualification's standing; `None` when the portfolio names none.
pub(super) fn evaluate(
    settings: &Settings,
    criteria: &Criteria,
    results: &[CriterionCoverage],
    require: Status,
    problems: &mut Vec<Problem>,
) -> Option<QualificationCoverage> {
    let qual = criteria.qualification(settings.qualification.as_deref()?)?;
    let unit = |id: &str, group: &str| -> UnitCoverage {
        let f = criteria.framework_index(id);
        let fw = f.map(|f| &criteria.frameworks[f]);
        let mine: Vec<&CriterionCoverage> = results
            .iter()
            .filter(|r| Some(criteria.entry(r.id).framework) == f)
            .collect();
        UnitCoverage {
            id: id.to_string(),
            short_title: fw.map(|f| f.short_title.clone()).unwrap_or_else(|| id.to_string()),
            title: fw.map(|f| f.title.clone()).unwrap_or_default(),
            credit: fw.and_then(|f| f.credit),
            group: group.to_string(),
            summary: Summary::of(mine.iter().map(|r| r.status)),
            complete: f.is_some() && mine.iter().filter(|r| r.required).all(|r| r.status >= require),
        }
    };
    let mut units: Vec<UnitCoverage> = qual.mandatory.iter().map(|u| unit(u, "mandatory")).collect();
    let mut groups = Vec::new();
    for g in &qual.groups {
        let chosen: Vec<UnitCoverage> = g
            .units
            .iter()
            .filter(|u| settings.chosen_units.contains(u))
            .map(|u| unit(u, &g.name))
            .collect();
        groups.push(GroupCredits {
            name: g.name.clone(),
            credits: chosen.iter().filter_map(|u| u.credit).sum(),
            min_credits: g.min_credits,
        });
        units.extend(chosen);
    }
    let credits: u32 = units.iter().filter_map(|u| u.credit).sum();
    let mut combination_ok = true;
    let mut fail = |message: String| {
        combination_ok = false;
        problems.push(
            Problem::new(Rule::QualificationRules, message)
                .at(Location::file(PORTFOLIO_FILE))
                .with_hint("choose optional units with units = [\"...\"] in portfolio.toml"),
        );
    };
    for g in &groups {
        if g.credits < g.min_credits {
            fail(format!(
                "{}: the chosen units give {} credits; the group needs at least {}.",
                g.name, g.credits, g.min_credits
            ));
        }
    }
    if credits < qual.total_credits {
        fail(format!(
            "The units give {credits} credits; {} needs at least {}.",
            qual.title, qual.total_credits
        ));
    }
    let complete = combination_ok && units.iter().all(|u| u.complete);
    Some(QualificationCoverage {
        id: qual.id.clone(),
        title: qual.title.clone(),
        reference: qual.reference.clone(),
        units,
        credits,
        total_credits: qual.total_credits,
        groups,
        combination_ok,
        complete,
    })
}
