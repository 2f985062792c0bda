//! `portfolio.toml`: who the learner is, the centre, the assessor, and which
//! frameworks decide completeness.

use crate::criteria::Criteria;
use crate::diagnostic::{Location, Problem, Rule, did_you_mean};
use serde::{Deserialize, Serialize};
use std::path::Path;
use toml::Spanned;

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Learner {
    pub name: String,
    pub id: Option<String>,
    pub uln: Option<String>,
    /// The day the learner was registered for the qualification: evidence
    /// dated before it does not count (`before-registration`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered: Option<crate::date::Date>,
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
    /// The first assessor named: the one shown on the cover.
    pub assessor: Assessor,
    /// Every assessor named (`[assessor]` or `[[assessor]]` entries): only
    /// their decisions count towards `met`.
    pub assessors: Vec<Assessor>,
    /// Indices of the frameworks that decide completeness.
    pub assessed: Vec<usize>,
    /// The qualification's id, when the portfolio names one.
    pub qualification: Option<String>,
    /// The optional units chosen, by framework id.
    pub chosen_units: Vec<String>,
    /// The personal-data scanner, with the centre's reference patterns and
    /// the learner's allow-list.
    pub scanner: crate::privacy::Scanner,
    /// Set by `--redact` ([`super::redact`]): attachments are withheld, or
    /// images stripped of their metadata, when the document is built.
    pub redacted: bool,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawPortfolio {
    #[schemars(description = "[learner]: who you are: name, id or uln, and the day you were registered.")]
    learner: RawLearner,
    #[schemars(description = "[centre]: your training centre: name and number.")]
    centre: Option<RawCentre>,
    /// `[assessor]` (one table) or `[[assessor]]` (several).
    #[schemars(with = "Option<Assessors>")]
    #[schemars(
        description = "[assessor] (one table) or [[assessor]] (one for each): the assessors whose decisions count towards met."
    )]
    assessor: Option<Spanned<toml::Value>>,
    #[schemars(with = "Option<Vec<String>>")]
    #[schemars(
        description = "Which frameworks decide whether the portfolio is complete, by id, e.g. [\"unit-214\", \"cfacsb16\"]. Default: the unit alone."
    )]
    assess: Option<Vec<Spanned<String>>>,
    /// The qualification the learner is registered for (a
    /// `portfolio-qualification/1` file in the criteria folder)...
    #[schemars(with = "Option<String>")]
    #[schemars(
        description = "The qualification you are registered for, by id (a qualification file in the --criteria folder)."
    )]
    qualification: Option<Spanned<String>>,
    /// ... and the optional units they chose.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    #[schemars(description = "The optional units you chose for the qualification, by id.")]
    units: Vec<Spanned<String>>,
    #[schemars(with = "Option<RawPrivacy>")]
    #[schemars(
        description = "[privacy]: what else counts as personal data (the centre's reference patterns) and what does not."
    )]
    privacy: Option<Spanned<RawPrivacy>>,
}

/// `[privacy]`: what else counts as personal data, and what does not.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawPrivacy {
    /// The centre's account or case reference patterns (`ACC-`, `CUS-######`).
    #[serde(default)]
    #[schemars(description = "The centre's account or case reference patterns, e.g. \"ACC-\" or \"CUS-######\".")]
    references: Vec<String>,
    /// Values that look like personal data but are not (a public switchboard).
    #[serde(default)]
    #[schemars(description = "Values that look like personal data but are not, e.g. a public switchboard number.")]
    allow: Vec<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawLearner {
    #[schemars(with = "String")]
    #[schemars(description = "Your name, as it appears on the cover.")]
    name: Spanned<String>,
    #[schemars(description = "Your training provider's learner reference.")]
    id: Option<String>,
    #[serde(alias = "ULN")]
    #[schemars(description = "Your Unique Learner Number (10 digits), if you know it.")]
    uln: Option<String>,
    #[schemars(with = "Option<crate::json_schema::TomlDate>")]
    #[schemars(description = "The day you were registered: evidence dated before it does not count.")]
    registered: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawCentre {
    #[schemars(description = "The centre's name.")]
    name: String,
    #[schemars(description = "The centre's number with the awarding organisation.")]
    number: Option<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAssessor {
    #[schemars(description = "The assessor's name: only decisions by a named assessor count.")]
    name: String,
    /// The design's example puts `assess` after `[assessor]`, which makes it
    /// part of that table; both places are accepted.
    /// Read from a `toml::Value`, which carries no spans: problems point at
    /// the `[assessor]` table.
    #[schemars(description = "Which frameworks decide completeness (also accepted here, after [assessor]).")]
    assess: Option<Vec<String>>,
}

/// `[assessor]` (one table) or `[[assessor]]` (several), as the schema
/// describes it; read from a `toml::Value` by [`read_settings`].
#[derive(schemars::JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum Assessors {
    One(RawAssessor),
    Several(Vec<RawAssessor>),
}

/// The JSON Schema of `portfolio.toml` (see [`crate::schemas`]).
pub fn schema() -> schemars::Schema {
    crate::json_schema::titled(
        crate::json_schema::generator().into_root_schema_for::<RawPortfolio>(),
        "portfolio.toml",
        "A learner's portfolio: who the learner is, the centre, the assessor, and which frameworks decide completeness (docs/evidence-format.md).",
    )
}

pub const FILE: &str = "portfolio.toml";

/// Reads `root/portfolio.toml` on disk (see [`read_settings_from`]).
pub fn read_settings(root: &Path, criteria: &Criteria, problems: &mut Vec<Problem>) -> Settings {
    read_settings_from(&crate::source::DiskSource::new(root), criteria, problems)
}

/// Reads `portfolio.toml` in `files`. Problems are pushed; the settings
/// returned are usable (defaults fill what could not be read).
pub fn read_settings_from(
    files: &dyn crate::source::Source,
    criteria: &Criteria,
    problems: &mut Vec<Problem>,
) -> Settings {
    let mut settings = Settings {
        assessed: criteria.default_assessed(),
        ..Settings::default()
    };
    let file = Path::new(FILE);
    let bytes = match files.read(Path::new(FILE)) {
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
            problems.push(crate::fields::toml_problem(Rule::InvalidPortfolio, file, &text, 0, &e));
            return settings;
        }
    };
    let registered = raw.learner.registered.as_ref().and_then(|r| {
        let date = crate::date::Date::from_toml(r.get_ref());
        if date.is_none() {
            problems.push(
                Problem::new(
                    Rule::InvalidPortfolio,
                    format!("`registered` is {}, which is not a calendar date.", r.get_ref()),
                )
                .at_offset(file, &text, r.span().start)
                .with_hint(match r.get_ref() {
                    // `registered = "12 January 2026"`: the learner's own date.
                    toml::Value::String(s) => crate::date::meant(s).map_or_else(
                        || "write the date as YYYY-MM-DD, e.g. registered = 2026-01-12".to_string(),
                        |m| format!("{} (a date, without quotes)", m.hint("registered")),
                    ),
                    _ => "write the date as YYYY-MM-DD, e.g. registered = 2026-01-12".to_string(),
                }),
            );
        }
        date
    });
    if raw.learner.name.get_ref().trim().is_empty() {
        // Every identity rule compares with the learner's name: a blank one
        // would make every witness and every signer "not the learner".
        problems.push(
            Problem::new(
                Rule::InvalidPortfolio,
                "[learner] name is blank: the portfolio must say whose it is.".to_string(),
            )
            .at_offset(file, &text, raw.learner.name.span().start)
            .with_hint("write the learner's full name, e.g. name = \"Amira Khan\""),
        );
    }
    settings.learner = Learner {
        name: raw.learner.name.get_ref().trim().to_string(),
        id: non_empty(raw.learner.id),
        uln: non_empty(raw.learner.uln),
        registered,
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
    if let Some(value) = &raw.assessor {
        let tables: Vec<toml::Value> = match value.get_ref() {
            toml::Value::Array(list) => list.clone(),
            other => vec![other.clone()],
        };
        for table in tables {
            let a: RawAssessor = match table.try_into() {
                Ok(a) => a,
                Err(e) => {
                    // In the documentation's words, as every other key's error.
                    let raw = e.message().trim().replace('\n', " ");
                    let said = crate::fields::explain(Rule::InvalidPortfolio, &text, value.span().start, &raw);
                    problems.push(
                        Problem::new(Rule::InvalidPortfolio, said.message)
                            .at_offset(file, &text, value.span().start)
                            .with_hint(said.hint),
                    );
                    continue;
                }
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
                let at = value.span();
                assess = a
                    .assess
                    .map(|list| list.into_iter().map(|f| Spanned::new(at.clone(), f)).collect());
            }
            let name = a.name.trim().to_string();
            if !name.is_empty() {
                settings.assessors.push(Assessor { name });
            }
        }
        if let Some(first) = settings.assessors.first() {
            settings.assessor = first.clone();
        }
    }
    let explicit_assess = assess.is_some();
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
    if let Some(q) = &raw.qualification {
        read_qualification(q, &raw.units, &text, criteria, explicit_assess, &mut settings, problems);
    } else if let Some(u) = raw.units.first() {
        problems.push(
            Problem::new(
                Rule::InvalidPortfolio,
                "`units` chooses optional units, but no `qualification` is named.",
            )
            .at_offset(file, &text, u.span().start)
            .with_hint("add qualification = \"...\" (its id in the criteria folder), or remove `units`"),
        );
    }
    settings
}

/// `qualification = "id"` and `units = [...]`: the mandatory units and the
/// chosen optional ones are assessed (unless `assess` says otherwise).
fn read_qualification(
    q: &Spanned<String>,
    units: &[Spanned<String>],
    text: &str,
    criteria: &Criteria,
    explicit_assess: bool,
    settings: &mut Settings,
    problems: &mut Vec<Problem>,
) {
    let file = Path::new(FILE);
    let Some(qual) = criteria.qualification(q.get_ref()) else {
        let known: Vec<&str> = criteria.qualifications.iter().map(|q| q.id.as_str()).collect();
        problems.push(
            Problem::new(
                Rule::InvalidPortfolio,
                format!("`qualification` names `{}`, which is not loaded.", q.get_ref()),
            )
            .at_offset(file, text, q.span().start)
            .with_hint(if known.is_empty() {
                "give the folder that holds the qualification file with --criteria DIR".to_string()
            } else {
                format!("the loaded qualifications are {}", known.join(", "))
            }),
        );
        return;
    };
    settings.qualification = Some(qual.id.clone());
    for u in units {
        let id = u.get_ref().trim().to_lowercase();
        if qual.groups.iter().any(|g| g.units.contains(&id)) {
            if !settings.chosen_units.contains(&id) {
                settings.chosen_units.push(id);
            }
        } else {
            let optional: Vec<&str> = qual
                .groups
                .iter()
                .flat_map(|g| g.units.iter().map(String::as_str))
                .collect();
            problems.push(
                Problem::new(
                    Rule::InvalidPortfolio,
                    format!("`{}` is not an optional unit of {}.", u.get_ref(), qual.title),
                )
                .at_offset(file, text, u.span().start)
                .with_hint(format!("the optional units are {}", optional.join(", "))),
            );
        }
    }
    if !explicit_assess {
        let mut assessed: Vec<usize> = qual
            .mandatory
            .iter()
            .chain(&settings.chosen_units)
            .filter_map(|u| criteria.framework_index(u))
            .collect();
        assessed.sort_unstable();
        assessed.dedup();
        if !assessed.is_empty() {
            settings.assessed = assessed;
        }
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}
