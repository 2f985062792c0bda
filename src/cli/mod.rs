//! The command line: clap definitions (their doc comments are the `--help`)
//! and the dispatch to one small module per subcommand.

mod batch_cmd;
mod build_cmd;
mod check;
mod criteria_cmd;
mod generate_cmd;
mod import_cmd;
mod init_cmd;
mod serve_cmd;

use crate::coverage::Status;
use crate::error::Error;
use crate::report::{Style, render_diagnostics};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Compile NVQ portfolio evidence: check it against the unit's assessment
/// rules, see what is missing, and build the portfolio to hand in.
///
/// The default qualification is Unit 214 "Carry out customer service
/// handovers" (UAN T/506/2157) with its standard CFACSB16; both are built in.
///
/// Start with `portfolio init my-portfolio`, write evidence in
/// my-portfolio/evidence/, then run `portfolio check my-portfolio`.
#[derive(Debug, Parser)]
#[command(name = "portfolio", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct Global {
    /// A folder of criteria files (one framework per .toml file) to load
    /// beside the built-in ones; a framework with the id of a built-in one
    /// replaces it.
    #[arg(long, global = true, value_name = "DIR")]
    pub criteria: Option<PathBuf>,
    /// Mask what looks like customers' personal data (e-mail addresses,
    /// phone numbers, postcodes, card and NI numbers, declared references)
    /// in every output, keeping its kind visible: "[phone removed]".
    #[arg(long, global = true)]
    pub redact: bool,
    /// Print less: errors only on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a portfolio: the status of every criterion, the gaps, and each
    /// problem with its file and line.
    ///
    /// Exit status: 0 when complete, 1 when gaps remain, 2 on input errors.
    /// The report goes to stdout; diagnostics go to stderr.
    Check(check::CheckArgs),
    /// Build the portfolio to hand in: portfolio.html (one self-contained
    /// file), portfolio.pdf (typeset for A4), coverage.json and
    /// follow-ups.ics, in OUT (./out unless -o says otherwise).
    ///
    /// Writes nothing when the evidence has input errors (exit status 2).
    /// Otherwise exits 0 when complete, 1 while gaps remain; the portfolio is
    /// written either way, with its gaps shown. Files are written atomically.
    Build(build_cmd::BuildArgs),
    /// Build a whole cohort: every sub-folder of COHORT with a
    /// portfolio.toml is one learner, built into OUT/<ULN or id>-<name>/ in
    /// parallel, plus cohort.html (caseload dashboard), cohort.csv and
    /// cohort.json.
    ///
    /// A learner whose evidence has input errors is reported and gets no
    /// output folder; the others are built. Exit status: 0 when every
    /// learner was built, 2 when any failed.
    Batch(batch_cmd::BatchArgs),
    /// Write a synthetic cohort (for benchmarks and scale tests).
    #[command(hide = true)]
    GenerateCohort(generate_cmd::GenerateArgs),
    /// List the loaded frameworks, their criteria, rules and the unit-to-NOS mapping.
    Criteria(criteria_cmd::CriteriaArgs),
    /// Start a new portfolio: portfolio.toml, a reflection and one commented
    /// example item per evidence method. With --templates, write the built-in
    /// HTML templates into DIR instead, for a centre's own branding.
    Init(init_cmd::InitArgs),
    /// Write a criteria file from a framework kept in Moodle (competency
    /// framework CSV) or Mahara (SmartEvidence .matrix JSON), keeping the
    /// source's ids as codes. Says on stderr what the source could not carry
    /// (evidence methods, occasions) and where in OUT to add it.
    Import(import_cmd::ImportArgs),
    /// Serve the portfolio on this machine (127.0.0.1 only) and keep it up
    /// to date while you write: every change to its files is checked and
    /// shown in the open page within a second, with a problems panel
    /// linking each error to its file and line. Ctrl-C stops it.
    Serve(serve_cmd::ServeArgs),
}

/// The status a portfolio must reach to be complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Require {
    /// Every assessed criterion claimed by evidence that is not referred (the learner's view).
    Claimed,
    /// Every assessed criterion met by accepted evidence (the assessor's sign-off view).
    Met,
}

impl From<Require> for Status {
    fn from(r: Require) -> Status {
        match r {
            Require::Claimed => Status::Claimed,
            Require::Met => Status::Met,
        }
    }
}

/// Loads the criteria, checks the portfolio at `dir` and prints its
/// diagnostics on stderr: the start of `check` and `build`.
fn check_and_report(
    global: &Global,
    dir: &std::path::Path,
    require: Status,
) -> Result<
    (
        crate::criteria::Criteria,
        crate::evidence::Portfolio,
        crate::coverage::Coverage,
    ),
    Error,
> {
    let criteria = crate::pipeline::criteria(global.criteria.as_deref())?;
    let options = crate::pipeline::CheckOptions {
        require,
        today: crate::date::Date::today(),
        redact: global.redact,
    };
    let outcome = crate::pipeline::check_shown(dir, &criteria, options)?;
    eprint!(
        "{}",
        render_diagnostics(
            &outcome.coverage.problems,
            Some(dir),
            !global.quiet,
            Style::for_stderr()
        )
    );
    Ok((outcome.criteria.into_owned(), outcome.portfolio, outcome.coverage))
}

/// Parses the process arguments, runs the command and maps the outcome to
/// an exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let quiet = cli.global.quiet;
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let problems = e.problems();
            if !problems.is_empty() {
                eprint!("{}", render_diagnostics(problems, None, !quiet, Style::for_stderr()));
            }
            eprintln!(
                "{} {e}",
                Style::for_stderr().severity(crate::diagnostic::Severity::Error, "error:")
            );
            ExitCode::from(e.exit_code())
        }
    }
}

/// Runs a parsed command; `Ok` carries the exit status.
pub fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Check(args) => check::run(&cli.global, args),
        Command::Build(args) => build_cmd::run(&cli.global, args),
        Command::Batch(args) => batch_cmd::run_batch(&cli.global, args),
        Command::GenerateCohort(args) => generate_cmd::run(&cli.global, args),
        Command::Criteria(args) => criteria_cmd::run(&cli.global, args),
        Command::Init(args) => init_cmd::run(&cli.global, args),
        Command::Import(args) => import_cmd::run(&cli.global, args),
        Command::Serve(args) => serve_cmd::run(&cli.global, args),
    }
}
