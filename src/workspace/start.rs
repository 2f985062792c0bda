//! "Start a portfolio": the files `portfolio init` writes, with the
//! learner's own names filled in and without the commented examples, for
//! the built-in unit or any unit the loaded criteria hold.

use crate::criteria::Criteria;
use serde::{Deserialize, Serialize};
use toml_edit::{DocumentMut, value};

/// What the "Start a portfolio" form asks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StartForm {
    /// The learner's name.
    pub name: String,
    /// The training provider's learner reference.
    pub reference: String,
    /// The Unique Learner Number, if known.
    pub uln: String,
    pub centre: String,
    pub assessor: String,
    /// The unit's framework id; empty for the built-in unit.
    pub unit: String,
}

/// Why the form cannot start a portfolio; each names the field to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    #[error("Enter your {0}")]
    Missing(&'static str),
    #[error("There is no unit `{unit}`; choose one of: {known}")]
    UnknownUnit { unit: String, known: String },
}

impl StartError {
    /// The form field the message belongs beside.
    pub fn field(&self) -> &'static str {
        match self {
            StartError::Missing("name") => "name",
            StartError::Missing("reference or ULN") => "reference",
            StartError::Missing(_) => "centre",
            StartError::UnknownUnit { .. } => "unit",
        }
    }
}

/// The files of a new portfolio for `form`, as (path, contents): the
/// portfolio.toml with the names given, the reflection to fill in and the
/// folders' notes. Every field is checked, so the first error returned is
/// the first field to fix; see [`check`] for all of them.
pub fn files(criteria: &Criteria, form: &StartForm) -> Result<Vec<(String, String)>, Vec<StartError>> {
    let errors = check(criteria, form);
    if !errors.is_empty() {
        return Err(errors);
    }
    let unit = form.unit.trim();
    let base: Vec<(String, String)> = match criteria
        .framework_index(unit)
        .map(|f| &criteria.frameworks[f])
        .filter(|fw| !unit.is_empty() && fw.kind == "unit" && fw.id != "unit-214")
    {
        Some(fw) => crate::init::unit::files(criteria, fw),
        None => crate::init::with_schema(
            crate::init::FILES
                .iter()
                .map(|(p, c)| (p.to_string(), c.to_string()))
                .collect(),
        ),
    };
    Ok(base
        .into_iter()
        .filter(|(path, _)| !path.starts_with("examples/"))
        .map(|(path, text)| {
            if path == "portfolio.toml" {
                (path, filled(&text, form))
            } else {
                (path, text)
            }
        })
        .collect())
}

/// Every mistake in the form at once.
pub fn check(criteria: &Criteria, form: &StartForm) -> Vec<StartError> {
    let mut errors = Vec::new();
    if form.name.trim().is_empty() {
        errors.push(StartError::Missing("name"));
    }
    if form.reference.trim().is_empty() && form.uln.trim().is_empty() {
        // Signed decisions bind to the learner by reference or ULN.
        errors.push(StartError::Missing("reference or ULN"));
    }
    if form.centre.trim().is_empty() {
        errors.push(StartError::Missing("training centre"));
    }
    let unit = form.unit.trim();
    let known: Vec<&str> = criteria
        .frameworks
        .iter()
        .filter(|f| f.kind == "unit")
        .map(|f| f.id.as_str())
        .collect();
    if !unit.is_empty() && !known.contains(&unit) {
        errors.push(StartError::UnknownUnit {
            unit: unit.to_string(),
            known: known.join(", "),
        });
    }
    errors
}

/// The init template's portfolio.toml with the form's names in place of
/// the placeholders; its comments stay as guidance.
fn filled(template: &str, form: &StartForm) -> String {
    let Ok(mut doc) = template.parse::<DocumentMut>() else {
        return template.to_string();
    };
    doc["learner"]["name"] = value(form.name.trim());
    match form.reference.trim() {
        "" => {
            if let Some(t) = doc["learner"].as_table_like_mut() {
                t.remove("id");
            }
        }
        r => doc["learner"]["id"] = value(r),
    }
    if !form.uln.trim().is_empty() {
        doc["learner"]["uln"] = value(form.uln.trim());
    }
    doc["centre"]["name"] = value(form.centre.trim());
    match form.assessor.trim() {
        // Not known yet: the placeholder stays, and check says so.
        "" => {}
        a => doc["assessor"]["name"] = value(a),
    }
    doc.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> StartForm {
        StartForm {
            name: "Amira Khan".into(),
            reference: "L-0042".into(),
            uln: "9000000421".into(),
            centre: "Northgate Training".into(),
            assessor: "J. Patel".into(),
            unit: String::new(),
        }
    }

    #[test]
    fn the_files_are_inits_without_examples_and_with_the_names() {
        let criteria = crate::criteria::load_criteria(None).unwrap();
        let files = files(&criteria, &form()).unwrap();
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "portfolio.toml",
                "reflection.md",
                "evidence/README.md.txt",
                "attachments/README.txt",
                ".schema/portfolio.schema.json"
            ]
        );
        let toml = &files[0].1;
        assert!(toml.starts_with("#:schema ./.schema/portfolio.schema.json\n"), "{toml}");
        assert!(toml.contains("name = \"Amira Khan\""), "{toml}");
        assert!(toml.contains("uln = \"9000000421\""), "{toml}");
        assert!(toml.contains("name = \"Northgate Training\""), "{toml}");
        assert!(toml.contains("[assessor]\nname = \"J. Patel\""), "{toml}");
        assert!(!toml.contains("Your Name"), "{toml}");
        // The engine reads it as written.
        let mut problems = Vec::new();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("portfolio.toml"), toml).unwrap();
        let settings = crate::evidence::read_settings(dir.path(), &criteria, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.learner.name, "Amira Khan");
    }

    #[test]
    fn every_missing_field_is_said_at_once() {
        let criteria = crate::criteria::load_criteria(None).unwrap();
        let errors = files(
            &criteria,
            &StartForm {
                unit: "unit-999".into(),
                ..StartForm::default()
            },
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(StartError::field).collect();
        assert_eq!(fields, ["name", "reference", "centre", "unit"]);
        assert!(errors[3].to_string().contains("unit-214"), "{}", errors[3]);
    }
}
