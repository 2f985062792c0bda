//! `portfolio sample`: an IQA sampling plan across a cohort, as CSV and HTML.

use super::Global;
use crate::build::write::write_atomic;
use crate::decisions::signers::Signers;
use crate::error::Error;
use crate::sampling::{page, plan, population};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// The cohort folder: every sub-folder with a portfolio.toml is one learner.
    #[arg(default_value = ".")]
    pub cohort: PathBuf,
    /// The centre's roster (allowed_signers): only verified signed decisions
    /// count as verified, and assessors with few of them are sampled more.
    #[arg(long, value_name = "FILE")]
    pub signers: Option<PathBuf>,
    /// The share of each assessor's decisions to sample, from 0 to 1, before
    /// weighting (at least one each).
    #[arg(long, value_name = "R", default_value_t = 0.1, value_parser = parse_rate)]
    pub rate: f64,
    /// The seed: the same seed and cohort always give the same plan.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Where to write sample.csv and sample.html.
    #[arg(short, long, value_name = "OUT", default_value = "iqa-sample")]
    pub out: PathBuf,
    /// How to write the CSV: excel (UTF-8 with a byte-order mark and CRLF
    /// line ends, so Excel on Windows keeps accented names intact) or plain
    /// (UTF-8, LF line ends, for scripts).
    #[arg(long, value_enum, value_name = "STYLE", default_value_t = crate::report::CsvStyle::Excel)]
    pub csv_style: crate::report::CsvStyle,
    #[command(flatten)]
    pub criteria: super::CriteriaOpt,
    #[command(flatten)]
    pub quiet: super::QuietOpt,
}

pub(super) fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("`{s}` is not a rate from 0 to 1 (0.1 is 10%)")),
    }
}

pub fn run(global: &Global, args: SampleArgs) -> Result<u8, Error> {
    let criteria = crate::pipeline::criteria(global.criteria.as_deref())?;
    let roster = args.signers.as_deref().map(Signers::read).transpose()?;
    let (folders, _) = crate::batch::discover(&args.cohort)?;
    let (candidates, unread) = population(&folders, &criteria, roster.as_ref(), crate::date::Date::today());
    let mut plan = plan(candidates, args.rate, args.seed, roster.is_some());
    plan.unread = unread;
    crate::build::write::prepare_out_dir(&args.out, &args.cohort)?;
    write_atomic(
        &args.out.join("sample.csv"),
        &crate::sampling::csv(&plan, args.csv_style)?,
    )?;
    write_atomic(&args.out.join("sample.html"), page::html(&plan).as_bytes())?;
    if !global.quiet {
        eprintln!(
            "Sampled {} of {} assessed items across {} assessors: {}",
            plan.chosen.len(),
            plan.population,
            plan.assessors.len(),
            args.out.join("sample.html").display()
        );
    }
    Ok(0)
}
