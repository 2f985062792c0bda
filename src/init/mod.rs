//! `portfolio init`: a new portfolio folder with `portfolio.toml`, a
//! reflection to fill in, and one commented example item per evidence method
//! in `examples/` (copy one into `evidence/` to start; nothing in `examples/`
//! counts towards the unit). portfolio.toml starts with a `#:schema` line
//! naming `.schema/portfolio.schema.json`, written beside it, for editors.

use crate::error::Error;
use std::path::{Path, PathBuf};

pub mod files;
pub mod unit;

pub use files::{FILES, with_schema};

/// Writes a new portfolio into `dir` (created if needed). Refuses when `dir`
/// already has a portfolio.toml, and never overwrites any file.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let files: Vec<(String, String)> = FILES.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect();
    write_files(dir, &with_schema(files))
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
