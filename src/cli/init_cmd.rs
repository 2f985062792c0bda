//! `portfolio init DIR`: write a new portfolio and say what to do next.

use super::Global;
use crate::error::Error;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder for the new portfolio (created if it does not exist).
    pub dir: PathBuf,
}

pub fn run(global: &Global, args: InitArgs) -> Result<u8, Error> {
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
