//! The `portfolio-check/1` JSON: the stable interface of `check --format
//! json` and `coverage.json`. Field names and status words never change;
//! fields may be added.

use super::{Checked, display_path};
use crate::coverage::{Status, Summary};
use crate::date::Date;
use crate::diagnostic::{Problem, Rule, Severity};
use crate::evidence::{Decision, Learner};
use crate::method::Method;
use serde::Serialize;

pub const SCHEMA: &str = "portfolio-check/1";

/// The JSON Schema of `coverage.json` and `check --format json` (see [`crate::schemas`]).
pub fn schema() -> schemars::Schema {
    crate::json_schema::titled(
        crate::json_schema::output_generator().into_root_schema_for::<CheckJson>(),
        "coverage.json (portfolio-check/1)",
        "What check --format json prints and build writes as coverage.json.",
    )
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckJson {
    pub schema: &'static str,
    pub learner: Learner,
    pub centre: Option<String>,
    pub assessor: Option<String>,
    pub complete: bool,
    pub require: Status,
    pub summary: SummaryJson,
    pub frameworks: Vec<FrameworkJson>,
    pub criteria: Vec<CriterionJson>,
    pub items: Vec<ItemJson>,
    /// Which items record the same occasion (handover, meeting…).
    pub occasions: Vec<OccasionJson>,
    /// The qualification, its units and rules of combination, when named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualification: Option<crate::coverage::qualification::QualificationCoverage>,
    pub problems: Vec<ProblemJson>,
    /// The signed decisions and whether they were checked against a roster.
    pub decisions: DecisionsJson,
}

/// The counts over the assessed criteria, and how the `met` ones were decided.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SummaryJson {
    #[serde(flatten)]
    pub counts: Summary,
    /// `met` split by how it was decided: `signed_verified`,
    /// `signed_unverified`, `typed` (they add up to `met`).
    pub met_by: crate::decisions::MetBy,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DecisionsJson {
    pub verified_against_roster: bool,
    /// Said when the decisions were not checked against a roster.
    pub note: Option<String>,
    pub list: Vec<DecisionJson>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DecisionJson {
    pub file: String,
    pub item: Option<String>,
    pub role: Option<String>,
    pub decision: Option<String>,
    pub by: Option<String>,
    pub date: Option<String>,
    /// The record's signed place in its item's history (version 2).
    pub sequence: Option<u32>,
    #[serde(flatten)]
    pub verdict: crate::decisions::Verdict,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FrameworkJson {
    pub id: String,
    pub title: String,
    pub reference: String,
    pub assessed: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CriterionJson {
    pub code: String,
    pub framework: String,
    pub assessed: bool,
    pub status: Status,
    /// How a `met` was decided: `signed-verified` (against the centre's
    /// roster), `signed-unverified`, `typed`; `null` unless met.
    pub decided: Option<crate::decisions::Decided>,
    pub evidence: Vec<String>,
    pub problems: Vec<Rule>,
    /// Occasions counted towards `occasions_needed`.
    pub occasions: usize,
    pub occasions_needed: usize,
    /// Every occasion of the evidence that counts, counted or not, and why not.
    pub occasion_list: Vec<OccasionUseJson>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OccasionJson {
    pub name: String,
    pub labels: Vec<String>,
    pub dates: Vec<Date>,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OccasionUseJson {
    pub occasion: String,
    pub counted: bool,
    pub items: Vec<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ItemJson {
    pub id: String,
    pub file: String,
    pub title: String,
    pub date: Date,
    pub method: Method,
    pub occasion: String,
    pub criteria: Vec<String>,
    pub decision: Option<Decision>,
    /// Whether the decision counts: an acceptance by a named assessor, dated
    /// from the item's date to the day of the check.
    pub decision_counts: bool,
    /// How the decision that counts was made (`null` when none counts).
    pub decided: Option<crate::decisions::Decided>,
    /// The item's criteria (as in `criteria`) its acceptance that counts
    /// is for: all of them for an item-wide acceptance, only those named
    /// for a signed decision that names criteria.
    pub accepted_for: Vec<String>,
    /// The item's criteria a signed decision naming criteria referred (an
    /// item-wide referral: `decision`, and `decision_counts` false).
    pub referred_for: Vec<String>,
    pub usable: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ProblemJson {
    pub rule: Rule,
    pub severity: Severity,
    pub criterion: Option<String>,
    pub framework: Option<String>,
    pub item: Option<String>,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl From<&Problem> for ProblemJson {
    fn from(p: &Problem) -> Self {
        ProblemJson {
            rule: p.rule,
            severity: p.severity,
            criterion: p.criterion.as_ref().map(|c| c.1.clone()),
            framework: p.criterion.as_ref().map(|c| c.0.clone()),
            item: p.item.clone(),
            file: p.location.as_ref().map(|l| display_path(&l.file)),
            line: p.location.as_ref().and_then(|l| l.line),
            column: p.location.as_ref().and_then(|l| l.column),
            message: p.message.clone(),
            hint: p.hint.clone(),
        }
    }
}

/// Builds the JSON model of a checked portfolio.
pub fn check_json(c: Checked<'_>) -> CheckJson {
    let settings = &c.portfolio.settings;
    let items = &c.portfolio.items;
    CheckJson {
        schema: SCHEMA,
        learner: settings.learner.clone(),
        centre: Some(settings.centre.name.clone()).filter(|s| !s.is_empty()),
        assessor: Some(settings.assessor.name.clone()).filter(|s| !s.is_empty()),
        complete: c.coverage.complete,
        require: c.coverage.require,
        summary: SummaryJson {
            counts: c.coverage.summary,
            met_by: c.coverage.met_by,
        },
        frameworks: c
            .criteria
            .frameworks
            .iter()
            .enumerate()
            .map(|(i, f)| FrameworkJson {
                id: f.id.clone(),
                title: f.title.clone(),
                reference: f.reference.clone(),
                assessed: settings.assessed.contains(&i),
            })
            .collect(),
        criteria: c
            .coverage
            .criteria
            .iter()
            .map(|r| CriterionJson {
                code: c.criteria.criterion(r.id).code.clone(),
                framework: c.criteria.framework_of(r.id).id.clone(),
                assessed: r.assessed,
                status: r.status,
                decided: r.decided,
                evidence: r.evidence.iter().map(|&i| items[i].id.clone()).collect(),
                problems: r.problems.clone(),
                occasions: r.occasions,
                occasions_needed: c.criteria.min_occasions(r.id),
                occasion_list: r
                    .occasion_uses
                    .iter()
                    .map(|u| OccasionUseJson {
                        occasion: c.coverage.occasions.list[u.occasion].name.clone(),
                        counted: u.counted,
                        items: u.items.iter().map(|&i| items[i].id.clone()).collect(),
                        reason: u.reason.clone(),
                    })
                    .collect(),
                next: r.next.clone(),
            })
            .collect(),
        items: items
            .iter()
            .enumerate()
            .map(|(n, i)| ItemJson {
                id: i.id.clone(),
                file: display_path(&i.path),
                title: i.title.clone(),
                date: i.date,
                method: i.method,
                occasion: i.occasion.clone(),
                criteria: i
                    .criteria()
                    .into_iter()
                    .map(|id| c.criteria.qualified_code(id))
                    .collect(),
                decision: i.decision(),
                decision_counts: c.coverage.accepted.get(n).copied().unwrap_or(false),
                decided: c.coverage.decided.get(n).copied().flatten(),
                accepted_for: decided_for(c, n, i, |d| d.accepted.is_some()),
                referred_for: decided_for(c, n, i, |d| d.referred),
                usable: i.usable,
            })
            .collect(),
        qualification: c.coverage.qualification.clone(),
        occasions: c
            .coverage
            .occasions
            .list
            .iter()
            .map(|o| OccasionJson {
                name: o.name.clone(),
                labels: o.labels.clone(),
                dates: o.dates.clone(),
                items: o.items.iter().map(|&i| items[i].id.clone()).collect(),
            })
            .collect(),
        problems: c.coverage.problems.iter().map(ProblemJson::from).collect(),
        decisions: DecisionsJson {
            verified_against_roster: c.coverage.decisions.roster,
            note: super::roster_note(c.portfolio, c.coverage),
            list: c
                .coverage
                .decisions
                .list
                .iter()
                .map(|d| {
                    let r = d.record.as_ref();
                    DecisionJson {
                        file: display_path(&d.file),
                        item: r.map(|r| r.item.clone()),
                        role: r.map(|r| r.role.clone()),
                        decision: r.map(|r| r.decision.clone()),
                        by: r.map(|r| r.by.clone()),
                        date: r.map(|r| r.date.clone()),
                        sequence: r.and_then(|r| r.sequence),
                        verdict: d.verdict.clone(),
                    }
                })
                .collect(),
        },
    }
}

/// The qualified codes of item `n`'s criteria for which `pick` holds (for
/// an item-wide decision: all of them when its acceptance counts, for
/// acceptances; none, for referrals).
fn decided_for(
    c: Checked<'_>,
    n: usize,
    item: &crate::evidence::Item,
    pick: impl Fn(&crate::decisions::outcome::CriterionDecision) -> bool,
) -> Vec<String> {
    let per = c.coverage.per_criterion.get(n).map_or(&[][..], Vec::as_slice);
    if per.is_empty() {
        let whole = pick(&crate::decisions::outcome::CriterionDecision {
            criterion: crate::criteria::CritId(0),
            accepted: c.coverage.decided.get(n).copied().flatten(),
            referred: false,
        });
        return if whole {
            item.criteria()
                .into_iter()
                .map(|id| c.criteria.qualified_code(id))
                .collect()
        } else {
            Vec::new()
        };
    }
    per.iter()
        .filter(|d| pick(d))
        .map(|d| c.criteria.qualified_code(d.criterion))
        .collect()
}
