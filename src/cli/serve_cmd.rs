//! `portfolio serve`: the portfolio live in the browser (see [`crate::serve`]).

use super::assess_cmd::RoleArg;
use super::{Global, Require};
use crate::error::Error;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(
    after_help = "Only you can use the page: serve prints a link with this run's secret \
(http://127.0.0.1:PORT/?token=…); open it in your browser (--open does). Anyone else, \
another account on this machine included, gets 401 and no page. Keep the link to yourself; \
after a restart, open the new one.

A cohort (a folder of learners' folders, as `batch` reads it) is served as a caseload: `portfolio serve COHORT --signers allowed_signers --key ~/.ssh/id_ed25519 --as j.patel@centre.example` lists every learner (progress, items awaiting a decision, open referrals, days since the last change; sort by a heading, filter by name) and links each to their portfolio at /l/FOLDER/. Decision forms appear only for the learners whose portfolio.toml names you as their assessor; the others are read-only. With --role iqa the Sample page (/sample) shows the plan `portfolio sample` makes (--rate, --seed), each sampled item linked, with Confirm / Return and Feedback, signed in the IQA role; an IQA can never accept or refer (refused, nothing written).

A zip of a portfolio (`portfolio serve p.zip`) is served read-only, exactly as its folder, read from memory with check's limits and read again when the zip file changes: the page and the attachments, no workspace and no decisions (each refused, nothing written; --key with a zip is refused at start). Unzip it and serve the folder to add items or record decisions. See docs/serve.md."
)]
pub struct ServeArgs {
    /// The portfolio folder (the one with portfolio.toml), a zip of one
    /// (served read-only), or a cohort: a folder whose sub-folders are
    /// learners' portfolios (served as a caseload).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The port on 127.0.0.1 to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8214)]
    pub port: u16,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// A folder of Tera templates that replace the built-in ones file by
    /// file, as `build --templates` takes; watched too.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The status every assessed criterion must reach for the portfolio to
    /// be complete (as `build --require`).
    #[arg(long, value_enum, default_value_t = Require::Claimed)]
    pub require: Require,
    /// The centre's roster of assessors and IQAs, as `build --signers`
    /// takes: only decisions signed by a key it lists count. Watched too.
    #[arg(long, value_name = "FILE")]
    pub signers: Option<PathBuf>,
    /// The assessor's view: your OpenSSH private key file (Ed25519, ECDSA or
    /// RSA, as `assess --key` takes). Each item then gets a form that
    /// records a signed decision, as `portfolio assess` does. Read once at
    /// start; a key with a passphrase is signed with by ssh-agent when it
    /// holds it, else the page asks for the passphrase the first time
    /// (held in memory only). Without --key the page is read-only.
    #[arg(long, value_name = "KEYFILE", requires = "by")]
    pub key: Option<PathBuf>,
    /// Who decides in the page: the principal as in the --signers roster
    /// (e.g. j.patel@centre.example). Needs --key. With --signers, serve
    /// does not start unless the roster lets this key sign as PRINCIPAL in
    /// the role today.
    #[arg(long = "as", id = "by", value_name = "PRINCIPAL", requires = "key")]
    pub by: Option<String>,
    /// With --key: the role the page decides in, an assessor's (accepted,
    /// referred, pending) or an IQA's (confirmed, returned).
    #[arg(long, value_enum, default_value_t = RoleArg::Assessor)]
    pub role: RoleArg,
    /// In a cohort: the share of each assessor's decisions the Sample page
    /// samples, from 0 to 1 (as `portfolio sample --rate`).
    #[arg(long, value_name = "R", default_value_t = 0.1, value_parser = super::sample_cmd::parse_rate)]
    pub rate: f64,
    /// In a cohort: the Sample page's seed (as `portfolio sample --seed`):
    /// the same seed and cohort give the same plan.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub criteria: super::CriteriaOpt,
    #[command(flatten)]
    pub redact: super::RedactOpt,
    #[command(flatten)]
    pub quiet: super::QuietOpt,
    /// Print each request with the time it arrived (for measuring).
    #[arg(long, hide = true)]
    pub log_requests: bool,
}

pub fn run(global: &Global, args: ServeArgs) -> Result<u8, Error> {
    // A zip is served read-only (read from memory, as check and build
    // read it): decisions are files written into the portfolio.
    let zipped = super::input::is_zip(&args.dir);
    if zipped && args.key.is_some() {
        return Err(Error::Usage(format!(
            "{} (--key and --as record decisions, which a zip cannot take.)",
            crate::serve::state::read_only_message(&args.dir)
        )));
    }
    crate::serve::run(crate::serve::Options {
        dir: args.dir,
        zipped,
        criteria: global.criteria.clone(),
        templates: args.templates,
        signers: args.signers,
        require: args.require.into(),
        redact: global.redact,
        port: args.port,
        open: args.open,
        quiet: global.quiet,
        log_requests: args.log_requests,
        sample_rate: args.rate,
        sample_seed: args.seed,
        assessor: args.key.zip(args.by).map(|(key, by)| {
            let role = match args.role {
                RoleArg::Assessor => "assessor",
                RoleArg::Iqa => "iqa",
            };
            (
                key,
                crate::serve::decide::View {
                    by,
                    role: role.to_string(),
                    passphrase: false,
                },
            )
        }),
    })
    .map_err(|e| match e {
        // A roster that refuses the key: how serve was asked to run.
        crate::serve::ServeError::Roster { .. } => Error::Usage(e.to_string()),
        e => Error::Serve(e.to_string()),
    })?;
    Ok(0)
}
