//! `portfolio build`: check, then write the portfolio's outputs.

use super::check_cmd::exit_status;
use super::{Global, Require};
use crate::build::build;
use crate::error::Error;
use crate::render::Formats;
use crate::render::html::HtmlRenderer;
use crate::report::Checked;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The portfolio folder (the one with portfolio.toml), or a zip of it.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Where to write the outputs; created if missing. One build writes
    /// into it at a time (a second waits) and replaces its outputs as one
    /// set. Files already there that build does not write are left alone.
    #[arg(short, long, value_name = "OUT", default_value = "out")]
    pub out: PathBuf,
    /// Which files to write, comma-separated: html (portfolio.html), pdf
    /// (portfolio.pdf), json (coverage.json, as `check --format json`), ics
    /// (reminders and action deadlines from the handover records, written
    /// only when there are some: follow-ups.ics as to-dos for task apps and
    /// follow-ups-events.ics as all-day events for calendar apps). Formerly
    /// `--format`, still accepted.
    #[arg(long = "outputs", alias = "format", value_name = "LIST", value_enum, value_delimiter = ',', default_values_t = [OutputFormat::Html, OutputFormat::Pdf, OutputFormat::Json, OutputFormat::Ics])]
    pub outputs: Vec<OutputFormat>,
    /// A folder of Tera templates that replace the built-in ones file by
    /// file, for a centre's branding (write the defaults out with
    /// `portfolio init --write-templates DIR`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The date the portfolio is compiled on, printed on the cover
    /// ("Compiled 1 June 2026"); by default the latest evidence or decision
    /// date ("Evidence up to …"), or SOURCE_DATE_EPOCH when set. Never the
    /// clock, so the same evidence gives the same bytes.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<crate::date::Date>,
    /// The status every assessed criterion must reach for the portfolio to
    /// be complete: decides the exit status, the headline and the gaps
    /// section (claimed: evidence in place; met: accepted by the assessor).
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
pub enum OutputFormat {
    Html,
    Pdf,
    Json,
    Ics,
}

impl OutputFormat {
    /// The files `--outputs` asks for; `sync`: flush each to disk before
    /// renaming it into place (build does, batch only for its cohort files).
    pub fn formats(list: &[OutputFormat], sync: bool) -> Formats {
        Formats {
            html: list.contains(&OutputFormat::Html),
            pdf: list.contains(&OutputFormat::Pdf),
            json: list.contains(&OutputFormat::Json),
            ics: list.contains(&OutputFormat::Ics),
            sync,
        }
    }
}

pub fn run(global: &Global, args: BuildArgs) -> Result<u8, Error> {
    let html = HtmlRenderer::new(args.templates.as_deref())?;
    let input = super::input::open(&args.dir)?;
    let (criteria, portfolio, coverage) =
        super::check_and_report(global, &input, args.require.into(), args.signers.signers.as_deref())?;
    let checked = Checked {
        criteria: &criteria,
        portfolio: &portfolio,
        coverage: &coverage,
    };
    let formats = OutputFormat::formats(&args.outputs, true);
    // --date wins over SOURCE_DATE_EPOCH: both set the date as seconds.
    let epoch = match args.date {
        Some(d) => Some((d.days_since_epoch() * 86_400).to_string()),
        None => std::env::var("SOURCE_DATE_EPOCH").ok(),
    };
    let written = build(checked, &*input.files, &args.out, formats, &html, epoch.as_deref())?;
    if !global.quiet {
        let s = &coverage.summary;
        let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        eprintln!("Wrote {}.", names.join(", "));
        eprintln!(
            "{}. {} met, {} claimed, {} insufficient, {} missing of {}.",
            crate::report::Headline::of(&coverage).text,
            s.met,
            s.claimed,
            s.insufficient,
            s.missing,
            s.total
        );
    }
    Ok(exit_status(&coverage))
}

/// `--date`: a calendar date, with the reason when it is not one.
fn parse_date(text: &str) -> Result<crate::date::Date, String> {
    crate::date::Date::parse(text.trim()).ok_or_else(|| match crate::date::why_not_a_date(text.trim()) {
        Some(why) => format!("`{text}` is not a calendar date: {why}"),
        None => format!("`{text}` is not a calendar date written as YYYY-MM-DD, e.g. 2026-06-01"),
    })
}
