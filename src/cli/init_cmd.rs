//! `portfolio init DIR`: write a new portfolio and say what to do next.

use super::Global;
use crate::error::Error;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder for the new portfolio (created if it does not exist).
    pub dir: PathBuf,
    /// Write the built-in HTML templates into DIR (for `build --templates
    /// DIR`) instead of a portfolio. Existing files are left alone. Formerly
    /// `--templates`, still accepted.
    #[arg(long = "write-templates", alias = "templates", id = "write_templates")]
    pub write_templates: bool,
    /// The unit the portfolio is for: its id in the criteria (with
    /// `--criteria DIR` for a unit of your own). The examples are one per
    /// method that unit lists. Default: the built-in Unit 214.
    #[arg(long, value_name = "ID")]
    pub unit: Option<String>,
    #[command(flatten)]
    pub quiet: super::QuietOpt,
    #[command(flatten)]
    pub criteria: super::CriteriaOpt,
}

pub fn run(global: &Global, args: InitArgs) -> Result<u8, Error> {
    if args.write_templates {
        let written = write_default_templates(&args.dir).map_err(|source| Error::Write {
            path: args.dir.clone(),
            source,
        })?;
        if !global.quiet {
            eprintln!("Wrote {} templates to {}.", written.len(), args.dir.display());
            eprintln!(
                "Edit them, then build with `portfolio build --templates {} DIR`.",
                args.dir.display()
            );
        }
        return Ok(0);
    }
    let written = match &args.unit {
        None => crate::init::init(&args.dir)?,
        Some(unit) => {
            let criteria = crate::pipeline::criteria(global.criteria.as_deref())?;
            let fw = criteria
                .framework_index(unit)
                .map(|f| &criteria.frameworks[f])
                .filter(|fw| fw.kind == "unit")
                .ok_or_else(|| Error::UnknownUnit {
                    unit: unit.clone(),
                    known: criteria
                        .frameworks
                        .iter()
                        .filter(|f| f.kind == "unit")
                        .map(|f| format!("`{}`", f.id))
                        .collect::<Vec<_>>()
                        .join(", "),
                })?;
            if fw.source.starts_with("embedded:") {
                crate::init::init(&args.dir)?
            } else {
                crate::init::write_files(&args.dir, &crate::init::unit::files(&criteria, fw))?
            }
        }
    };
    if !global.quiet {
        eprintln!(
            "Started a portfolio in {} ({} files).",
            args.dir.display(),
            written.len()
        );
        eprintln!("Next: edit portfolio.toml, copy an example from examples/ into evidence/ and rewrite it,");
        eprintln!("then run `portfolio check {}`.", args.dir.display());
    }
    Ok(0)
}

/// Writes the embedded templates into `dir` for editing; existing files are
/// left alone. Returns the files written.
fn write_default_templates(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, text) in crate::render::html::TEMPLATES {
        let path = dir.join(name);
        if !path.exists() {
            std::fs::write(&path, text)?;
            written.push(path);
        }
    }
    Ok(written)
}
