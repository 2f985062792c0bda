//! `portfolio check`: load, evaluate, print the report in the chosen format.

use super::{Global, Require};
use crate::error::Error;
use crate::report::{Checked, Style, check_json, render_text, write_csv};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The portfolio folder (the one with portfolio.toml), or a zip of it.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// How to print the report: text for people, json (schema
    /// portfolio-check/1) or csv (one row per criterion) for machines.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// How to write the CSV: excel (UTF-8 with a byte-order mark and CRLF
    /// line ends, so Excel on Windows keeps accented names intact) or plain
    /// (UTF-8, LF line ends, for scripts).
    #[arg(long, value_enum, value_name = "STYLE", default_value_t = crate::report::CsvStyle::Excel)]
    pub csv_style: crate::report::CsvStyle,
    /// The status every assessed criterion must reach for the portfolio to be complete.
    #[arg(long, value_enum, default_value_t = Require::Claimed)]
    pub require: Require,
    #[command(flatten)]
    pub signers: super::SignersOpt,
    #[command(flatten)]
    pub criteria: super::CriteriaOpt,
    #[command(flatten)]
    pub redact: super::RedactOpt,
    #[command(flatten)]
    pub quiet: super::QuietOpt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
}

pub fn run(global: &Global, args: CheckArgs) -> Result<u8, Error> {
    let input = super::input::open(&args.dir)?;
    let (criteria, portfolio, coverage) =
        super::check_and_report(global, &input, args.require.into(), args.signers.signers.as_deref())?;
    let checked = Checked {
        criteria: &criteria,
        portfolio: &portfolio,
        coverage: &coverage,
    };
    let write = || -> Result<(), Error> {
        let mut out = std::io::stdout().lock();
        match args.format {
            Format::Text => out.write_all(render_text(checked, Style::for_stdout()).as_bytes())?,
            Format::Json => {
                serde_json::to_writer_pretty(&mut out, &check_json(checked))?;
                out.write_all(b"\n")?;
            }
            Format::Csv => write_csv(checked, &mut out, args.csv_style)?,
        }
        out.flush()?;
        Ok(())
    };
    match write() {
        // The reader stopped reading (`| head`): the check itself still stands.
        Err(e) if e.is_broken_pipe() => {}
        other => other?,
    }
    Ok(exit_status(&coverage))
}

/// 2 on input errors, 1 while gaps remain, 0 when complete.
pub fn exit_status(coverage: &crate::coverage::Coverage) -> u8 {
    if coverage.has_errors() {
        2
    } else if coverage.complete {
        0
    } else {
        1
    }
}
