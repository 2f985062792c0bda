//! `portfolio.toml`: who the learner is, the centre, the assessor, and which
//! frameworks decide completeness.

use crate::criteria::Criteria;
use crate::diagnostic::{Location, Problem, Rule, did_you_mean, toml_problem};
use serde::{Deserialize, Serialize};
use std::path::Path;
use toml::Spanned;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Learner {
    pub name: String,
    pub id: Option<String>,
    pub uln: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Centre {
    pub name: String,
    pub number: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Assessor {
    pub name: String,
}

/// The people and settings of `portfolio.toml`.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub learner: Learner,
    pub centre: Centre,
    pub assessor: Assessor,
    /// Indices of the frameworks that decide completeness.
    pub assessed: Vec<usize>,
    /// The personal-data scanner, with the centre's reference patterns and
    /// the learner's allow-list.
    pub scanner: crate::privacy::Scanner,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPortfolio {
    learner: RawLearner,
    centre: Option<RawCentre>,
    assessor: Option<RawAssessor>,
    assess: Option<Vec<Spanned<String>>>,
    privacy: Option<Spanned<RawPrivacy>>,
}

/// `[privacy]`: what else counts as personal data, and what does not.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrivacy {
    /// The centre's account or case reference patterns (`ACC-`, `CUS-######`).
    #[serde(default)]
    references: Vec<String>,
    /// Values that look like personal data but are not (a public switchboard).
    #[serde(default)]
    allow: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLearner {
    name: String,
    id: Option<String>,
    #[serde(alias = "ULN")]
    uln: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCentre {
    name: String,
    number: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssessor {
    name: String,
    /// The design's example puts `assess` after `[assessor]`, which makes it
    /// part of that table; both places are accepted.
    assess: Option<Vec<Spanned<String>>>,
}

pub const FILE: &str = "portfolio.toml";

/// Reads `root/portfolio.toml`. Problems are pushed; the settings returned
/// are usable (defaults fill what could not be read).
pub fn read_settings(root: &Path, criteria: &Criteria, problems: &mut Vec<Problem>) -> Settings {
    let mut settings = Settings {
        assessed: criteria.default_assessed(),
        ..Settings::default()
    };
    let file = Path::new(FILE);
    let bytes = match std::fs::read(root.join(FILE)) {
        Ok(b) => b,
        Err(e) => {
            let message = if e.kind() == std::io::ErrorKind::NotFound {
                format!("There is no {FILE} here, so this is not a portfolio folder yet.")
            } else {
                format!("Cannot read {FILE}: {e}.")
            };
            problems.push(
                Problem::new(Rule::InvalidPortfolio, message)
                    .at(Location::file(file))
                    .with_hint(
                        "run `portfolio init DIR` to start a portfolio, or point at the folder that has portfolio.toml",
                    ),
            );
            return settings;
        }
    };
    let text = match super::front_matter::decode(&bytes) {
        Ok(t) => t,
        Err(e) => {
            problems.push(
                Problem::new(Rule::InvalidPortfolio, e.message)
                    .at(Location::file(file))
                    .with_hint_opt(e.hint),
            );
            return settings;
        }
    };
    let raw: RawPortfolio = match toml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(toml_problem(Rule::InvalidPortfolio, file, &text, 0, &e));
            return settings;
        }
    };
    settings.learner = Learner {
        name: raw.learner.name.trim().to_string(),
        id: non_empty(raw.learner.id),
        uln: non_empty(raw.learner.uln),
    };
    if let Some(c) = raw.centre {
        settings.centre = Centre {
            name: c.name.trim().to_string(),
            number: non_empty(c.number),
        };
    }
    if let Some(p) = &raw.privacy {
        match crate::privacy::Scanner::new(&p.get_ref().references, &p.get_ref().allow) {
            Ok(scanner) => settings.scanner = scanner,
            Err(message) => problems.push(
                Problem::new(Rule::InvalidPortfolio, format!("[privacy]: {message}"))
                    .at_offset(file, &text, p.span().start)
                    .with_hint(
                        "a reference pattern is a prefix such as \"ACC-\", or uses # for a digit, @ for a letter",
                    ),
            ),
        }
    }
    let mut assess = raw.assess;
    if let Some(a) = raw.assessor {
        settings.assessor = Assessor {
            name: a.name.trim().to_string(),
        };
        if a.assess.is_some() {
            if assess.is_some() {
                problems.push(
                    Problem::new(
                        Rule::InvalidPortfolio,
                        "`assess` is given twice, at the top and under [assessor].",
                    )
                    .at(Location::file(file))
                    .with_hint("keep one of them"),
                );
            }
            assess = a.assess;
        }
    }
    if let Some(list) = assess {
        let mut assessed = Vec::new();
        for name in &list {
            match criteria.framework_index(name.get_ref()) {
                Some(f) if !assessed.contains(&f) => assessed.push(f),
                Some(_) => {}
                None => {
                    let ids: Vec<&str> = criteria.frameworks.iter().map(|f| f.id.as_str()).collect();
                    let near = crate::diagnostic::closest(name.get_ref(), ids.iter().copied());
                    problems.push(
                        Problem::new(
                            Rule::InvalidPortfolio,
                            format!("`assess` names `{}`, which is not a loaded framework.", name.get_ref()),
                        )
                        .at_offset(file, &text, name.span().start)
                        .with_hint(
                            did_you_mean(&near)
                                .unwrap_or_else(|| format!("the loaded frameworks are {}", ids.join(", "))),
                        ),
                    );
                }
            }
        }
        if !assessed.is_empty() {
            assessed.sort_unstable();
            settings.assessed = assessed;
        }
    }
    settings
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}
