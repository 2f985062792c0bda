//! JSON Schemas of the files people write — `portfolio.toml`, an evidence
//! item's front matter, a criteria (unit) file and a qualification file —
//! and of the `coverage.json` that `build` writes, generated from the very
//! serde types that read and write them (`schemars`), so a key the reader
//! accepts is a key the schema offers.
//!
//! They are checked in under `schemas/` (a test fails when those files
//! differ from what [`all`] generates; `UPDATE_SCHEMAS=1 cargo test --lib
//! schemas` rewrites them), and `portfolio init` writes the portfolio's
//! schema beside `portfolio.toml` with a `#:schema` line pointing at it, so
//! editors with Even Better TOML (taplo) complete and check its keys.
//!
//! Draft 7: the draft that taplo and most editors' validators implement.

use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings, json_schema};
use std::borrow::Cow;

/// The folder of the checked-in schemas, in the repository.
pub const DIR: &str = "schemas";

/// Where `portfolio init` puts the portfolio's schema, relative to
/// `portfolio.toml`, and the `#:schema` line that names it.
pub const PORTFOLIO_SCHEMA_PATH: &str = ".schema/portfolio.schema.json";
pub const PORTFOLIO_SCHEMA_LINE: &str = "#:schema ./.schema/portfolio.schema.json";

/// The portfolio schema as checked in (and as `init` writes it).
pub const PORTFOLIO_SCHEMA: &str = include_str!("../schemas/portfolio.schema.json");

/// The generator the schemas of files people write are made with.
pub fn generator() -> SchemaGenerator {
    SchemaSettings::draft07().into_generator()
}

/// The generator for what the program writes (`coverage.json`): the
/// serialised shape, where an absent value is `null`.
pub fn output_generator() -> SchemaGenerator {
    SchemaSettings::draft07().for_serialize().into_generator()
}

/// Gives a root schema its title and description (instead of the Rust
/// type's name and doc comment, which say nothing to a learner).
pub fn titled(mut schema: Schema, title: &str, description: &str) -> Schema {
    schema.insert("title".into(), title.into());
    schema.insert("description".into(), description.into());
    schema
}

/// Every schema: (file name under `schemas/`, pretty JSON ending in a newline).
pub fn all() -> Vec<(&'static str, String)> {
    // TOML has no null: an optional key is one that may be left out, so the
    // inputs' schemas do not offer `null` (schemars adds it for `Option`).
    let inputs = [
        ("portfolio.schema.json", crate::evidence::portfolio_schema()),
        ("evidence.schema.json", crate::evidence::front_matter_schema()),
        ("criteria.schema.json", crate::criteria::framework_schema()),
        ("qualification.schema.json", crate::criteria::qualification_schema()),
    ]
    .map(|(name, schema)| {
        let mut value = schema.to_value();
        without_null(&mut value);
        (name, value)
    });
    let outputs = [("coverage.schema.json", crate::report::check_json_schema().to_value())];
    inputs
        .into_iter()
        .chain(outputs)
        .map(|(name, value)| {
            // Keys come in the order schemars inserts them: the same every run.
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            (name, text)
        })
        .collect()
}

/// Removes `null` from every `type` list and every `anyOf` of `value`, and
/// unwraps an `anyOf` left with one schema (a `$ref` goes into `allOf`, so
/// that a description beside it still counts in draft 7).
fn without_null(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| s.get("type").is_none_or(|t| t != "null"));
                if any.len() == 1 {
                    let only = any.remove(0);
                    map.remove("anyOf");
                    match only {
                        Value::Object(inner) if inner.contains_key("$ref") => {
                            map.insert("allOf".into(), Value::Array(vec![Value::Object(inner)]));
                        }
                        Value::Object(inner) => {
                            for (k, v) in inner {
                                map.entry(k).or_insert(v);
                            }
                        }
                        other => {
                            map.insert("anyOf".into(), Value::Array(vec![other]));
                        }
                    }
                }
            }
            for v in map.values_mut() {
                without_null(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(without_null),
        _ => {}
    }
}

/// A date as the readers take it: a TOML date (`2026-03-14`), the date part
/// of a date-time, or the same in quotes. Editors see TOML dates as strings.
pub struct TomlDate;

impl JsonSchema for TomlDate {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date written YYYY-MM-DD, e.g. 2026-03-14 (a TOML date, without quotes).",
            "type": "string",
            "pattern": "^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}"
        })
    }
}

impl JsonSchema for crate::date::Date {
    fn schema_name() -> Cow<'static, str> {
        "IsoDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date, YYYY-MM-DD.",
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

impl JsonSchema for crate::method::Method {
    fn schema_name() -> Cow<'static, str> {
        "Method".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = crate::method::Method::ALL.iter().map(|m| m.name()).collect();
        json_schema!({
            "description": "An assessment method, by its canonical name.",
            "type": "string",
            "enum": names
        })
    }
}

impl JsonSchema for crate::diagnostic::Rule {
    fn schema_name() -> Cow<'static, str> {
        "Rule".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // Not an enum: rules are added over time (docs/rules.md lists them).
        json_schema!({
            "description": "A rule id, e.g. min-occasions (docs/rules.md).",
            "type": "string",
            "pattern": "^[a-z]+(-[a-z]+)*$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The checked-in schemas are the generated ones. On a change of the
    /// serde types, rerun with UPDATE_SCHEMAS=1 to rewrite them.
    #[test]
    fn checked_in_schemas_are_the_generated_ones() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
        let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
        let mut stale = Vec::new();
        for (name, text) in all() {
            let path = dir.join(name);
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &text).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(name);
            }
        }
        assert!(
            stale.is_empty(),
            "schemas/{stale:?} differ from the serde types: run `UPDATE_SCHEMAS=1 cargo test --lib schemas` and commit"
        );
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), all().len(), "a schema file no longer generated: {names:?}");
    }

    #[test]
    fn portfolio_schema_knows_its_keys_and_refuses_others() {
        let (_, text) = all().into_iter().find(|(n, _)| *n == "portfolio.schema.json").unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(schema["additionalProperties"], false);
        let props = schema["properties"].as_object().unwrap();
        for key in [
            "learner",
            "centre",
            "assessor",
            "assess",
            "qualification",
            "units",
            "privacy",
        ] {
            assert!(props.contains_key(key), "{key} missing");
        }
        assert_eq!(schema["required"], serde_json::json!(["learner"]));
        assert_eq!(PORTFOLIO_SCHEMA, text);
        assert!(!text.contains("null"), "TOML has no null");
    }

    #[test]
    fn null_is_taken_out_of_types_and_any_of() {
        let mut v = serde_json::json!({
            "a": {"type": ["string", "null"]},
            "b": {"description": "d", "anyOf": [{"$ref": "#/definitions/X"}, {"type": "null"}]},
            "c": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}
        });
        without_null(&mut v);
        assert_eq!(
            v,
            serde_json::json!({
                "a": {"type": "string"},
                "b": {"description": "d", "allOf": [{"$ref": "#/definitions/X"}]},
                "c": {"anyOf": [{"type": "string"}, {"type": "integer"}]}
            })
        );
    }
}
