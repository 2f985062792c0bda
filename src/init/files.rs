//! The files `portfolio init` writes for the built-in unit, embedded: a
//! leaf that the rules read too (the `template-text` check compares
//! evidence with them), so it imports nothing but the portfolio's schema
//! (the leaf [`crate::json_schema`]).

/// The files written, as (path in the portfolio, contents).
pub const FILES: &[(&str, &str)] = &[
    ("portfolio.toml", include_str!("portfolio.toml")),
    ("reflection.md", include_str!("reflection.md")),
    ("evidence/README.md.txt", include_str!("evidence-readme.txt")),
    (
        "attachments/README.txt",
        "Put images and documents that your evidence items refer to here.\nRefer to them from an item as attachments = [\"attachments/FILE\"].\n",
    ),
    ("examples/observation.md", include_str!("examples/observation.md")),
    (
        "examples/witness-testimony.md",
        include_str!("examples/witness-testimony.md"),
    ),
    (
        "examples/professional-discussion.md",
        include_str!("examples/professional-discussion.md"),
    ),
    ("examples/questioning.md", include_str!("examples/questioning.md")),
    (
        "examples/reflective-account.md",
        include_str!("examples/reflective-account.md"),
    ),
    ("examples/product.md", include_str!("examples/product.md")),
    (
        "examples/customer-record.md",
        include_str!("examples/customer-record.md"),
    ),
    ("examples/service-offer.md", include_str!("examples/service-offer.md")),
    ("examples/documentation.md", include_str!("examples/documentation.md")),
    (
        "examples/policy-and-legislation.md",
        include_str!("examples/policy-and-legislation.md"),
    ),
];

/// `files` with the portfolio's JSON Schema added (`.schema/`) and a
/// `#:schema` line naming it at the top of portfolio.toml, so that editors
/// with Even Better TOML (taplo) complete and check its keys offline.
pub fn with_schema(mut files: Vec<(String, String)>) -> Vec<(String, String)> {
    use crate::json_schema::{PORTFOLIO_SCHEMA, PORTFOLIO_SCHEMA_LINE, PORTFOLIO_SCHEMA_PATH};
    for (path, contents) in &mut files {
        if path == "portfolio.toml" {
            *contents = format!("{PORTFOLIO_SCHEMA_LINE}\n{contents}");
        }
    }
    files.push((PORTFOLIO_SCHEMA_PATH.to_string(), PORTFOLIO_SCHEMA.to_string()));
    files
}
