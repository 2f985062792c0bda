//! The command line: clap definitions (their doc comments are the `--help`)
//! and the dispatch to one small module per subcommand.

mod assess_cmd;
mod batch_cmd;
mod build_cmd;
mod check_cmd;
mod criteria_cmd;
mod decisions_cmd;
mod docs_cmd;
mod generate_cmd;
mod import_cmd;
mod init_cmd;
pub mod input;
mod pack_cmd;
mod sample_cmd;
mod serve_cmd;

use crate::coverage::Status;
use crate::error::Error;
use crate::report::{Style, render_diagnostics};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Compile NVQ portfolio evidence: check it against the unit's assessment
/// rules, see what is missing, and build the portfolio to hand in.
///
/// Built in, and the default: Unit 214 "Carry out customer service
/// handovers" (UAN T/506/2157) with its standard CFACSB16. Any other unit
/// is a criteria file given with --criteria DIR (or imported from Moodle or
/// Mahara with `portfolio import`); a qualification file there combines
/// units.
///
/// Start with `portfolio init my-portfolio`, write evidence in
/// my-portfolio/evidence/, then run `portfolio check my-portfolio`.
#[derive(Debug, Parser)]
#[command(name = "portfolio", version, max_term_width = 100, after_help = EXIT_STATUSES)]
pub struct Cli {
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is
    /// set), always or never.
    #[arg(long, value_enum, global = true, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

/// The exit statuses, as `--help` shows them (and the README lists).
pub const EXIT_STATUSES: &str = "\
Exit status:
  0   complete (or the command did what it was asked)
  1   gaps remain (check, build), or a decision does not count (decisions)
  2   input errors in the portfolio, a learner of the cohort, the criteria,
      the templates or the roster: each is reported with its file and line
  64  the command line was wrong: an unknown option, a missing argument, a
      value the command cannot use (EX_USAGE)
  74  a file or folder could not be read or written (EX_IOERR)";

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// `--criteria DIR`, on the commands that read criteria.
#[derive(Debug, Clone, Default, Args)]
pub struct CriteriaOpt {
    /// A folder of criteria files (one unit or standard per .toml file, and
    /// qualification files) to load beside the built-in ones; a framework
    /// with the id of a built-in one replaces it. A portfolio shows only the
    /// units it assesses or cites: without `assess`, the units of this
    /// folder.
    #[arg(long, value_name = "DIR")]
    pub criteria: Option<PathBuf>,
}

/// `--signers FILE`, on the commands that count decisions towards `met`.
#[derive(Debug, Clone, Default, Args)]
pub struct SignersOpt {
    /// The centre's roster of assessors and IQAs (an OpenSSH allowed_signers
    /// file): only decisions signed by a key it lists for the role's
    /// namespace (portfolio-assessor, portfolio-iqa) count; decisions typed into evidence files are
    /// shown but make nothing met.
    #[arg(long, value_name = "FILE")]
    pub signers: Option<PathBuf>,
}

/// `--redact`, on the commands that show a portfolio's content.
#[derive(Debug, Clone, Default, Args)]
pub struct RedactOpt {
    /// Mask what looks like customers' personal data (e-mail addresses,
    /// phone numbers, postcodes, card and NI numbers, declared references)
    /// in every output, keeping its kind visible: "[phone removed]". Every
    /// text field and name shown is masked (ids, file and attachment
    /// names); attachments are withheld, except PNG and JPEG images, which
    /// are embedded with their metadata stripped.
    #[arg(long)]
    pub redact: bool,
}

/// `--quiet`, on the commands that say what they did on stderr.
#[derive(Debug, Clone, Default, Args)]
pub struct QuietOpt {
    /// Errors only on stderr: no warnings, notes, progress or summary.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The options a command acts on, gathered from its arguments: each
/// command offers only those it uses (`--redact` is not offered by `init`).
#[derive(Debug, Clone, Default)]
pub struct Global {
    pub criteria: Option<PathBuf>,
    pub redact: bool,
    pub quiet: bool,
}

impl Global {
    fn of(criteria: Option<&CriteriaOpt>, redact: Option<&RedactOpt>, quiet: Option<&QuietOpt>) -> Global {
        Global {
            criteria: criteria.and_then(|c| c.criteria.clone()),
            redact: redact.is_some_and(|r| r.redact),
            quiet: quiet.is_some_and(|q| q.quiet),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a portfolio: the status of every criterion, the gaps, and each
    /// problem with its file and line.
    ///
    /// Exit status: 0 when complete, 1 when gaps remain, 2 on input errors
    /// (64 for a wrong command line, 74 when a file cannot be read or
    /// written). The report goes to stdout; diagnostics go to stderr.
    Check(check_cmd::CheckArgs),
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
    /// Write a synthetic cohort of made-up learners into DIR (one portfolio
    /// folder each), to try `batch` on or to measure it.
    GenerateCohort(generate_cmd::GenerateArgs),
    /// List the loaded frameworks, their criteria, rules and the unit-to-NOS mapping.
    Criteria(criteria_cmd::CriteriaArgs),
    /// Record an assessor's or IQA's decision on one item, signed with their
    /// OpenSSH key (SSHSIG, namespace portfolio-assessor or portfolio-iqa) over the item's
    /// exact bytes, in DIR/assessment/. Never changes the evidence.
    Assess(assess_cmd::AssessArgs),
    /// List every signed decision (item, role, principal, date, verdict);
    /// with --export, write each signed message and its signature so that
    /// anyone can check it with `ssh-keygen -Y verify`.
    Decisions(decisions_cmd::DecisionsArgs),
    /// Plan an IQA sample across a cohort: every assessor, method, outcome,
    /// site and quarter sampled, riskier assessors more; deterministic for a
    /// seed. Writes OUT/sample.csv and OUT/sample.html.
    Sample(sample_cmd::SampleArgs),
    /// Write the EQA's pack of a cohort as one zip: each learner's built
    /// portfolio (HTML, PDF, coverage JSON), every signed decision as its
    /// message and signature, the roster, the IQA sampling plan and its
    /// outcomes, and VERIFY.txt with the `sha256sum` and `ssh-keygen -Y
    /// verify` commands that check all of it offline. Deterministic.
    Pack(pack_cmd::PackArgs),
    /// Start a new portfolio: portfolio.toml, a reflection and one commented
    /// example item per evidence method. With --write-templates, write the
    /// built-in HTML templates into DIR instead, for a centre's own branding.
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
    /// Print a completion script for SHELL on stdout, e.g.
    /// `portfolio completions bash > ~/.local/share/bash-completion/completions/portfolio`
    /// (zsh: a file `_portfolio` in a folder of your $fpath; fish:
    /// ~/.config/fish/completions/portfolio.fish; PowerShell: add
    /// `portfolio completions powershell | Out-String | Invoke-Expression`
    /// to your $PROFILE).
    Completions(docs_cmd::CompletionsArgs),
    /// Print the manual page (roff) on stdout, e.g.
    /// `portfolio man > portfolio.1 && man ./portfolio.1`; with --out DIR,
    /// write one page per command there (portfolio.1, portfolio-check.1, …).
    Man(docs_cmd::ManArgs),
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
    input: &input::Input,
    require: Status,
    signers: Option<&std::path::Path>,
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
    let roster = signers.map(crate::decisions::signers::Signers::read).transpose()?;
    let outcome = crate::pipeline::check_shown_from(&*input.files, &criteria, options, roster.as_ref())?;
    // -q: errors only, no gaps or warnings.
    let shown: Vec<crate::diagnostic::Problem> = if global.quiet {
        outcome
            .coverage
            .problems
            .iter()
            .filter(|p| p.is_error())
            .cloned()
            .collect()
    } else {
        outcome.coverage.problems.clone()
    };
    let _ = write!(
        std::io::stderr().lock(),
        "{}",
        render_diagnostics(&shown, Some(&input.shown), !global.quiet, Style::for_stderr())
    );
    if let Some(note) = crate::report::roster_note(&outcome.portfolio, &outcome.coverage).filter(|_| !global.quiet) {
        eprintln!("note: {note}");
    }
    Ok((outcome.criteria.into_owned(), outcome.portfolio, outcome.coverage))
}

/// Parses the process arguments, runs the command and maps the outcome to
/// an exit status. A closed stdout (`check --format json | head`) ends the
/// program quietly, as Unix tools do.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; everything else clap
            // refuses is a usage error, 64 (clap's own is 2, which scripts
            // would take for the portfolio's input errors).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                crate::error::exit::USAGE
            } else {
                crate::error::exit::COMPLETE
            });
        }
    };
    crate::report::Style::set_choice(match cli.color {
        ColorWhen::Auto => None,
        ColorWhen::Always => Some(true),
        ColorWhen::Never => Some(false),
    });
    let quiet = global_of(&cli.command).quiet;
    if !quiet {
        for note in deprecated_spellings(&cli.command, std::env::args_os()) {
            eprintln!("note: {note}");
        }
    }
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.is_broken_pipe() => ExitCode::from(e.exit_code()),
        Err(e) => {
            use std::io::Write;
            let problems = e.problems();
            let mut stderr = std::io::stderr().lock();
            if !problems.is_empty() {
                let _ = write!(
                    stderr,
                    "{}",
                    render_diagnostics(problems, None, !quiet, Style::for_stderr())
                );
            }
            let _ = writeln!(
                stderr,
                "{} {e}",
                Style::for_stderr().severity(crate::diagnostic::Severity::Error, "error:")
            );
            ExitCode::from(e.exit_code())
        }
    }
}

/// The options `command` was given.
fn global_of(command: &Command) -> Global {
    match command {
        Command::Check(a) => Global::of(Some(&a.criteria), Some(&a.redact), Some(&a.quiet)),
        Command::Build(a) => Global::of(Some(&a.criteria), Some(&a.redact), Some(&a.quiet)),
        Command::Batch(a) => Global::of(Some(&a.criteria), Some(&a.redact), Some(&a.quiet)),
        Command::GenerateCohort(a) => Global::of(None, None, Some(&a.quiet)),
        Command::Criteria(a) => Global::of(Some(&a.criteria), None, None),
        Command::Init(a) => Global::of(Some(&a.criteria), None, Some(&a.quiet)),
        Command::Import(a) => Global::of(None, None, Some(&a.quiet)),
        Command::Assess(a) => Global::of(
            Some(&CriteriaOpt {
                criteria: a.criteria_dir.clone(),
            }),
            None,
            Some(&a.quiet),
        ),
        Command::Decisions(a) => Global::of(Some(&a.criteria), None, Some(&a.quiet)),
        Command::Sample(a) => Global::of(Some(&a.criteria), None, Some(&a.quiet)),
        Command::Pack(a) => Global::of(Some(&a.criteria), None, Some(&a.quiet)),
        Command::Serve(a) => Global::of(Some(&a.criteria), Some(&a.redact), Some(&a.quiet)),
        Command::Completions(_) | Command::Man(_) => Global::default(),
    }
}

/// The old spellings of renamed options still accepted, each with a note
/// to say the new one: `build --format` (now `--outputs`), `init
/// --templates` (now `--write-templates`).
fn deprecated_spellings(command: &Command, args: impl Iterator<Item = std::ffi::OsString>) -> Vec<String> {
    let (old, new) = match command {
        Command::Build(_) | Command::Batch(_) => ("--format", "--outputs"),
        Command::Init(_) => ("--templates", "--write-templates"),
        _ => return Vec::new(),
    };
    let used = args.skip(1).take_while(|a| a != "--").any(|a| {
        a.to_str()
            .is_some_and(|a| a == old || a.starts_with(&format!("{old}=")))
    });
    if used {
        vec![format!(
            "`{old}` is now spelt `{new}`; the old spelling still works but will be removed"
        )]
    } else {
        Vec::new()
    }
}

/// Runs a parsed command; `Ok` carries the exit status.
pub fn run(cli: Cli) -> Result<u8, Error> {
    let global = global_of(&cli.command);
    match cli.command {
        Command::Check(args) => check_cmd::run(&global, args),
        Command::Build(args) => build_cmd::run(&global, args),
        Command::Batch(args) => batch_cmd::run_batch(&global, args),
        Command::GenerateCohort(args) => generate_cmd::run(&global, args),
        Command::Criteria(args) => criteria_cmd::run(&global, args),
        Command::Init(args) => init_cmd::run(&global, args),
        Command::Import(args) => import_cmd::run(&global, args),
        Command::Assess(args) => assess_cmd::run(&global, args),
        Command::Decisions(args) => decisions_cmd::run(&global, args),
        Command::Sample(args) => sample_cmd::run(&global, args),
        Command::Pack(args) => pack_cmd::run_pack(&global, args),
        Command::Serve(args) => serve_cmd::run(&global, args),
        Command::Completions(args) => docs_cmd::completions(args),
        Command::Man(args) => docs_cmd::man(args),
    }
}
