//! `portfolio init DIR`: write a new portfolio and say what to do next.

use super::Global;
use crate::error::Error;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder for the new portfolio (created if it does not exist).
    pub dir: PathBuf,
    /// Write the built-in templates into DIR (for `--templates DIR`) instead
    /// of a portfolio. Existing files are left alone.
    #[arg(long = "templates", id = "write_templates")]
    pub templates: bool,
    #[command(flatten)]
    pub quiet: super::QuietOpt,
}

pub fn run(global: &Global, args: InitArgs) -> Result<u8, Error> {
    if args.templates {
        let written = crate::render::html::write_default_templates(&args.dir).map_err(|source| Error::Write {
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
    let written = crate::init::init(&args.dir)?;
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
