//! `portfolio batch`: a whole cohort, with a progress bar on a terminal and
//! the cohort dashboard, CSV and JSON at the end.

use super::build_cmd::OutputFormat;
use super::{Global, Require};
use crate::batch::cohort::{cohort_csv, cohort_json};
use crate::batch::{Options, discover, run};
use crate::build::write::write_atomic;
use crate::date::Date;
use crate::error::Error;
use crate::render::html::HtmlRenderer;
use clap::Args;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The cohort folder: every sub-folder with a portfolio.toml is one learner.
    #[arg(default_value = ".")]
    pub cohort: PathBuf,
    /// Where to write each learner's folder (`<ULN or id>-<name>`) and the
    /// cohort files (cohort.html, cohort.csv, cohort.json). A learner who
    /// cannot be built gets NOT-BUILT.txt in place of earlier outputs.
    #[arg(short, long, value_name = "OUT", default_value = "out")]
    pub out: PathBuf,
    /// How to write the CSV: excel (UTF-8 with a byte-order mark and CRLF
    /// line ends, so Excel on Windows keeps accented names intact) or plain
    /// (UTF-8, LF line ends, for scripts).
    #[arg(long, value_enum, value_name = "STYLE", default_value_t = crate::report::CsvStyle::Excel)]
    pub csv_style: crate::report::CsvStyle,
    /// How many learners to build at once (default: the number of cores).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Which files to write for each learner, comma-separated, as `build
    /// --outputs` takes (html, pdf, json, ics). Formerly `--format`, still
    /// accepted.
    #[arg(long = "outputs", alias = "format", value_name = "LIST", value_enum, value_delimiter = ',', default_values_t = [OutputFormat::Html, OutputFormat::Pdf, OutputFormat::Json, OutputFormat::Ics])]
    pub outputs: Vec<OutputFormat>,
    /// The status every assessed criterion must reach for a learner to be complete.
    #[arg(long, value_enum, default_value_t = Require::Claimed)]
    pub require: Require,
    /// A folder of Tera templates that replace the built-in ones file by file.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The centre's roster of assessors and IQAs (an OpenSSH allowed_signers
    /// file): only decisions signed by a key it lists for the role's
    /// namespace (portfolio-assessor, portfolio-iqa) count.
    #[arg(long, value_name = "FILE")]
    pub signers: Option<PathBuf>,
    /// Also list the sub-folders skipped because they are not portfolios.
    #[arg(short, long)]
    pub verbose: bool,
    #[command(flatten)]
    pub criteria: super::CriteriaOpt,
    #[command(flatten)]
    pub redact: super::RedactOpt,
    #[command(flatten)]
    pub quiet: super::QuietOpt,
}

pub fn run_batch(global: &Global, args: BatchArgs) -> Result<u8, Error> {
    let criteria = crate::pipeline::criteria(global.criteria.as_deref())?;
    let html = HtmlRenderer::new(args.templates.as_deref())?;
    let (folders, skipped) = discover(&args.cohort)?;
    if args.verbose {
        for (folder, reason) in &skipped {
            eprintln!("skipped {folder}: {reason}");
        }
    }
    let formats = OutputFormat::formats(&args.outputs, false);
    crate::build::write::prepare_out_dir(&args.out, &args.cohort)?;
    // One batch into a folder at a time; what a killed one left is cleaned.
    let _lock = crate::build::out_dir::lock(&args.out)?;
    crate::build::out_dir::clean_write_temps(&args.out);
    crate::build::out_dir::clean_work_folders(&args.out);
    let options = Options {
        out: args.out.clone(),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        formats,
        require: args.require.into(),
        today: Date::today(),
        source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
        redact: global.redact,
        signers: args
            .signers
            .as_deref()
            .map(crate::decisions::signers::Signers::read)
            .transpose()?,
    };
    let show_bar = !global.quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let bar = if show_bar {
        let bar = indicatif::ProgressBar::new(folders.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} learners  {per_sec}  eta {eta}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let result = run(&folders, skipped, &criteria, &html, &options, &|| bar.inc(1))?;
    bar.finish_and_clear();

    for (wanted, given) in result.renamed.iter().filter(|_| !global.quiet) {
        eprintln!("note: two learners would share the folder {wanted}; the later one is {given}");
    }
    for l in result.learners.iter().filter(|l| !l.built) {
        eprintln!(
            "failed: {}: {}",
            args.cohort.join(&l.source).display(),
            l.failure_message.as_deref().unwrap_or("not built")
        );
        for p in &l.failure {
            eprintln!(
                "  {}{}: {}",
                p.file.as_deref().unwrap_or(""),
                p.line.map(|n| format!(":{n}")).unwrap_or_default(),
                p.message
            );
        }
    }
    let assessed: Vec<bool> = {
        let default = criteria.default_assessed();
        criteria
            .ids()
            .map(|id| default.contains(&criteria.entry(id).framework))
            .collect()
    };
    let cohort = cohort_json(&result, &criteria, &assessed);
    let mut json = serde_json::to_vec_pretty(&cohort)?;
    json.push(b'\n');
    write_atomic(&args.out.join("cohort.json"), &json)?;
    write_atomic(&args.out.join("cohort.csv"), &cohort_csv(&cohort, args.csv_style)?)?;
    write_atomic(
        &args.out.join("cohort.html"),
        html.render_cohort(&cohort, formats)?.as_bytes(),
    )?;
    let s = &cohort.summary;
    // -q: errors only; the failed learners above are the errors.
    if !global.quiet {
        eprintln!(
            "Built {} of {} learners ({} complete, {} with gaps); {} failed. Dashboard: {}",
            s.built,
            s.learners,
            s.complete,
            s.with_gaps,
            s.failed,
            args.out.join("cohort.html").display()
        );
    }
    Ok(if s.failed > 0 { 2 } else { 0 })
}
