//! `portfolio assess`: sign one decision on one item and store it under
//! `assessment/`. The evidence files are read, never written.

use super::Global;
use crate::date::Date;
use crate::decisions::sign::{Decide, SignError, signed_record, store};
use crate::error::Error;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The portfolio folder (the one with portfolio.toml).
    pub dir: PathBuf,
    /// The item's id (its file name without .md, unless it sets `id`).
    pub item: String,
    /// The decision: accepted, referred or pending for an assessor;
    /// confirmed or returned for an IQA.
    #[arg(long, value_enum)]
    pub decision: DecisionArg,
    /// Who decides: the principal as in the centre's allowed_signers file
    /// (e.g. j.patel@centre.example).
    #[arg(long, value_name = "PRINCIPAL")]
    pub by: String,
    /// The decider's OpenSSH private key file: Ed25519 (as `ssh-keygen -t
    /// ed25519` makes it), ECDSA or RSA; the one you use for git will do.
    /// With a passphrase: signed through ssh-agent when the agent holds the
    /// key (`ssh-add KEYFILE`), else the passphrase is asked for on the
    /// terminal (not echoed, never stored). Give the private file, not
    /// the .pub.
    #[arg(long, value_name = "KEYFILE")]
    pub key: PathBuf,
    /// Decide only these of the item's criteria, comma-separated
    /// (`--criteria 3.1,3.2`): accept an item for some criteria and refer it
    /// for others with two decisions. Each must be a criterion the item is
    /// tagged with (`unit-214:3.1` where two units share the code). Left
    /// out: the decision is on the whole item. Assessors only.
    #[arg(long = "criteria", value_name = "CODES", value_delimiter = ',')]
    pub decide_criteria: Vec<String>,
    /// Feedback to the learner (required for returned).
    #[arg(long, value_name = "TEXT")]
    pub feedback: Option<String>,
    /// The day of the decision, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<Date>,
    /// Whose decision: the assessor's, or an IQA's countersignature.
    #[arg(long, value_enum, default_value_t = RoleArg::Assessor)]
    pub role: RoleArg,
    /// The centre's roster (OpenSSH allowed_signers): refuse, writing
    /// nothing, when it does not let this key sign in this role today.
    #[arg(long, value_name = "FILE")]
    pub signers: Option<PathBuf>,
    /// A folder of criteria files to load beside the built-in ones (what
    /// `--criteria DIR` is for the other commands; here `--criteria` names
    /// the criteria decided).
    #[arg(long = "criteria-dir", value_name = "DIR")]
    pub criteria_dir: Option<PathBuf>,
    #[command(flatten)]
    pub quiet: super::QuietOpt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DecisionArg {
    Accepted,
    Referred,
    Pending,
    Confirmed,
    Returned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Assessor,
    Iqa,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date as YYYY-MM-DD"))
}

pub fn run(global: &Global, args: AssessArgs) -> Result<u8, Error> {
    let criteria = crate::pipeline::criteria(global.criteria.as_deref())?;
    let portfolio = crate::evidence::load_portfolio(&args.dir, &criteria).map_err(|source| Error::PortfolioDir {
        path: args.dir.clone(),
        source,
    })?;
    // The id names the folder the record goes into: a name, never a path
    // that leaves `assessment/` (`..`, `/etc`, `a/../../b`). An item whose
    // file name makes such an id is refused here by name; any other such
    // id names no item, and is refused with the item it most likely means.
    if !crate::evidence::valid_id(&args.item) && portfolio.items.iter().any(|i| i.id == args.item) {
        return Err(SignError::Invalid(format!(
            "`{}` is not an item id: ids are letters, digits, `-`, `_`, `.` and `/` between names (never `.` or `..`); rename the item's file or give it an `id`",
            args.item
        ))
        .into());
    }
    let today = Date::today();
    let date = args.date.unwrap_or(today);
    if date > today {
        return Err(SignError::Invalid(format!("--date {date} is after today ({today})")).into());
    }
    let decide = Decide {
        item: args.item.clone(),
        role: word(args.role),
        decision: word(args.decision),
        by: args.by.clone(),
        date,
        feedback: args.feedback.clone(),
        criteria: args.decide_criteria.clone(),
    };
    let key = crate::decisions::keys::open(&args.key, &mut || ask_passphrase(&args.key))?;
    let roster = args
        .signers
        .as_deref()
        .map(crate::decisions::signers::Signers::read)
        .transpose()?;
    let record = signed_record(&portfolio, &criteria, &decide, &key, roster.as_ref(), today)?;
    let path = store(&args.dir, &record)?;
    if !global.quiet {
        eprintln!(
            "Recorded: {} {} {} by {} on {}, signed with {} by {} ({}).",
            record.item,
            record.role,
            record.decision,
            record.by,
            record.date,
            key.fingerprint(),
            key.how(),
            args.dir.join(path).display()
        );
    }
    Ok(0)
}

/// The key's passphrase, read from the terminal without echo; `None` when
/// there is no terminal to ask on (then ssh-agent is the way).
fn ask_passphrase(key: &std::path::Path) -> Option<String> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return None;
    }
    rpassword::prompt_password(format!("Passphrase for {}: ", key.display())).ok()
}

/// The value as typed on the command line: `accepted`, `iqa`.
fn word<V: ValueEnum>(v: V) -> String {
    v.to_possible_value()
        .map(|p| p.get_name().to_string())
        .unwrap_or_default()
}
