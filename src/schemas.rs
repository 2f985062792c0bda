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
//! The pieces (generators, [`titled`](crate::json_schema::titled), the
//! schemas of dates and the like) are in [`crate::json_schema`], a leaf the
//! readers use; this module assembles the files and sits above the report.

/// The folder of the checked-in schemas, in the repository.
pub const DIR: &str = "schemas";

pub use crate::json_schema::{PORTFOLIO_SCHEMA, PORTFOLIO_SCHEMA_LINE, PORTFOLIO_SCHEMA_PATH};

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
