//! The pieces the schemas are made of, for the modules whose serde types
//! they describe (evidence, criteria, handover, report): the generators,
//! [`titled`], and the schemas of the types serde reads in its own way
//! ([`TomlDate`], dates, methods, rule ids). A leaf: it imports only leaf
//! modules, so the readers can use it without reaching up to
//! [`crate::schemas`], which assembles every schema from them and sits above
//! the report.

use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings, json_schema};
use std::borrow::Cow;

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
