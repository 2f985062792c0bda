//! `portfolio init`: a new portfolio folder with `portfolio.toml`, a
//! reflection to fill in, and one commented example item per evidence method
//! in `examples/` (copy one into `evidence/` to start; nothing in `examples/`
//! counts towards the unit). portfolio.toml starts with a `#:schema` line
//! naming `.schema/portfolio.schema.json`, written beside it, for editors.

use crate::error::Error;
use std::path::{Path, PathBuf};

pub mod unit;

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

/// Writes a new portfolio into `dir` (created if needed). Refuses when `dir`
/// already has a portfolio.toml, and never overwrites any file.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let files: Vec<(String, String)> = FILES.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect();
    write_files(dir, &with_schema(files))
}

/// `files` with the portfolio's JSON Schema added (`.schema/`) and a
/// `#:schema` line naming it at the top of portfolio.toml, so that editors
/// with Even Better TOML (taplo) complete and check its keys offline.
pub fn with_schema(mut files: Vec<(String, String)>) -> Vec<(String, String)> {
    for (path, contents) in &mut files {
        if path == "portfolio.toml" {
            *contents = format!("{}\n{contents}", crate::schemas::PORTFOLIO_SCHEMA_LINE);
        }
    }
    files.push((
        crate::schemas::PORTFOLIO_SCHEMA_PATH.to_string(),
        crate::schemas::PORTFOLIO_SCHEMA.to_string(),
    ));
    files
}

/// Writes `files` (path in the portfolio, contents) into `dir`, as [`init`].
pub fn write_files(dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>, Error> {
    if dir.join("portfolio.toml").exists() {
        return Err(Error::AlreadyPortfolio {
            path: dir.to_path_buf(),
        });
    }
    let mut written = Vec::new();
    for (rel, contents) in files {
        let path = dir.join(rel);
        if path.exists() {
            continue;
        }
        let write = |path: &Path| -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, contents)
        };
        write(&path).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}
