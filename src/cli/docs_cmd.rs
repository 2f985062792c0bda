//! `portfolio completions SHELL` and `portfolio man`: the shell completion
//! scripts (clap_complete) and the manual pages (clap_mangen), both made
//! from the same clap definitions as `--help`, so they never drift from it.

use super::Cli;
use crate::error::Error;
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write portfolio.1 and one page per command (portfolio-check.1, …)
    /// into DIR instead of printing portfolio.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn completions(args: CompletionsArgs) -> Result<u8, Error> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "portfolio", &mut out);
    print(&out)
}

pub fn man(args: ManArgs) -> Result<u8, Error> {
    let cmd = Cli::command();
    match args.out {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            print(&out)
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
                path: dir.clone(),
                source,
            })?;
            clap_mangen::generate_to(cmd, &dir).map_err(|source| Error::Write { path: dir, source })?;
            Ok(0)
        }
    }
}

/// Prints `bytes` on stdout; a closed pipe (`| head`) is not an error.
fn print(bytes: &[u8]) -> Result<u8, Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        other => other.map(|()| 0).map_err(Error::Report),
    }
}
