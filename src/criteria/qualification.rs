//! Qualifications: units combined by rules of combination — mandatory
//! units, optional groups with minimum credits, a credit total — as data,
//! in a criteria folder beside the units (`schema =
//! "portfolio-qualification/1"`).

use crate::diagnostic::{Problem, Rule};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const SCHEMA: &str = "portfolio-qualification/1";

/// A qualification and its rules of combination. Units are named by
/// framework id.
#[derive(Debug, Clone, Serialize)]
pub struct Qualification {
    pub id: String,
    pub title: String,
    pub reference: String,
    pub level: Option<u32>,
    /// Credits the chosen units must add up to, at least.
    pub total_credits: u32,
    pub mandatory: Vec<String>,
    pub groups: Vec<OptionalGroup>,
    pub source: String,
}

/// A group of optional units, of which a learner takes at least
/// `min_credits` credits.
#[derive(Debug, Clone, Serialize)]
pub struct OptionalGroup {
    pub name: String,
    pub min_credits: u32,
    pub units: Vec<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawQualification {
    #[allow(dead_code)]
    schema: String,
    id: String,
    title: String,
    #[serde(default)]
    reference: String,
    level: Option<u32>,
    total_credits: u32,
    #[serde(default)]
    mandatory: Vec<String>,
    #[serde(default)]
    optional: Vec<RawGroup>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: String,
    #[serde(default)]
    min_credits: u32,
    units: Vec<String>,
}

/// The JSON Schema of a qualification file (see [`crate::schemas`]).
pub fn schema() -> schemars::Schema {
    crate::json_schema::titled(
        crate::json_schema::generator().into_root_schema_for::<RawQualification>(),
        "Qualification file",
        "A qualification: its mandatory units, optional groups and credits (schema = \"portfolio-qualification/1\").",
    )
}

/// Whether a criteria folder's file is a qualification rather than a unit.
pub fn is_qualification(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with("schema"))
        .is_some_and(|l| l.contains("portfolio-qualification/"))
}

/// Parses a qualification file; problems are located in it.
pub fn parse(file: &Path, text: &str, problems: &mut Vec<Problem>) -> Option<Qualification> {
    let raw: RawQualification = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(crate::fields::toml_problem(Rule::InvalidCriteria, file, text, 0, &e));
            return None;
        }
    };
    if raw.schema != SCHEMA {
        problems.push(
            Problem::new(Rule::InvalidCriteria, format!("Unsupported schema `{}`.", raw.schema))
                .at_offset(file, text, 0)
                .with_hint(format!("write schema = \"{SCHEMA}\"")),
        );
        return None;
    }
    Some(Qualification {
        id: raw.id.trim().to_string(),
        title: raw.title,
        reference: raw.reference,
        level: raw.level,
        total_credits: raw.total_credits,
        mandatory: raw.mandatory.iter().map(|u| u.trim().to_lowercase()).collect(),
        groups: raw
            .optional
            .into_iter()
            .map(|g| OptionalGroup {
                name: g.name,
                min_credits: g.min_credits,
                units: g.units.iter().map(|u| u.trim().to_lowercase()).collect(),
            })
            .collect(),
        source: file.display().to_string(),
    })
}

impl Qualification {
    /// Every unit the qualification names, mandatory first.
    pub fn units(&self) -> impl Iterator<Item = &str> {
        self.mandatory
            .iter()
            .chain(self.groups.iter().flat_map(|g| g.units.iter()))
            .map(String::as_str)
    }
}
