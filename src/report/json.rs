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

#[derive(Debug, Clone, Serialize)]
pub struct CheckJson {
    pub schema: &'static str,
    pub learner: Learner,
    pub centre: Option<String>,
    pub assessor: Option<String>,
    pub complete: bool,
    pub require: Status,
    pub summary: Summary,
    pub frameworks: Vec<FrameworkJson>,
    pub criteria: Vec<CriterionJson>,
    pub items: Vec<ItemJson>,
    pub problems: Vec<ProblemJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkJson {
    pub id: String,
    pub title: String,
    pub reference: String,
    pub assessed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CriterionJson {
    pub code: String,
    pub framework: String,
    pub assessed: bool,
    pub status: Status,
    pub evidence: Vec<String>,
    pub problems: Vec<Rule>,
    pub occasions: usize,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemJson {
    pub id: String,
    pub file: String,
    pub title: String,
    pub date: Date,
    pub method: Method,
    pub occasion: String,
    pub criteria: Vec<String>,
    pub decision: Option<Decision>,
    pub usable: bool,
}

#[derive(Debug, Clone, Serialize)]
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
        summary: c.coverage.summary,
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
                evidence: r.evidence.iter().map(|&i| items[i].id.clone()).collect(),
                problems: r.problems.clone(),
                occasions: r.occasions,
                next: r.next.clone(),
            })
            .collect(),
        items: items
            .iter()
            .map(|i| ItemJson {
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
                usable: i.usable,
            })
            .collect(),
        problems: c.coverage.problems.iter().map(ProblemJson::from).collect(),
    }
}
