//! `portfolio decisions`: every signed decision (item, role, decision, the
//! criteria it is on or `all`, principal, date) with its verdict, and with
//! `--export` the signed messages and signatures for `ssh-keygen -Y verify`.

use super::Global;
use crate::build::write::write_atomic;
use crate::decisions::signers::Signers;
use crate::decisions::{Verdict, message};
use crate::error::Error;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct DecisionsArgs {
    /// The portfolio folder (the one with portfolio.toml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The centre's roster of assessors and IQAs (an OpenSSH allowed_signers file).
    #[arg(long, value_name = "FILE")]
    pub signers: Option<PathBuf>,
    /// Write each decision's signed message as OUTDIR/<item>/<NNN>-<role>.msg
    /// and its signature as the same name plus .sig, for
    /// `ssh-keygen -Y verify -f ALLOWED_SIGNERS -I PRINCIPAL -n portfolio-ROLE -s FILE.sig < FILE`
    /// (ROLE: the `role:` line of the message; `portfolio-decision` for a version-1 record).
    #[arg(long, value_name = "OUTDIR")]
    pub export: Option<PathBuf>,
    #[command(flatten)]
    pub criteria: super::CriteriaOpt,
    #[command(flatten)]
    pub quiet: super::QuietOpt,
}

pub fn run(global: &Global, args: DecisionsArgs) -> Result<u8, Error> {
    let criteria = crate::pipeline::criteria(global.criteria.as_deref())?;
    let portfolio = crate::evidence::load_portfolio(&args.dir, &criteria).map_err(|source| Error::PortfolioDir {
        path: args.dir.clone(),
        source,
    })?;
    let roster = args.signers.as_deref().map(Signers::read).transpose()?;
    let decisions = crate::decisions::load(&portfolio, roster.as_ref(), crate::date::Date::today());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(
        out,
        "{:<44} {:<8} {:<10} {:<12} {:<28} {:<10} verdict",
        "item", "role", "decision", "criteria", "by", "date"
    )?;
    let mut exported = 0;
    for d in &decisions.list {
        let verdict = match &d.verdict {
            Verdict::Unverified(why) => format!("unverified: {why}"),
            Verdict::ChangedSince => format!("changed since ({})", d.changed.join(", ")),
            v => v.word().to_string(),
        };
        let Some(r) = &d.record else {
            writeln!(out, "{:<44} {verdict}", crate::report::display_path(&d.file))?;
            continue;
        };
        // The criteria a decision is on (message version 3), else the
        // whole item: an acceptance for 3.1 must not read as the item's.
        let on = match r.criteria.as_deref() {
            Some(codes) if !codes.is_empty() => codes.join(","),
            _ => "all".to_string(),
        };
        writeln!(
            out,
            "{:<44} {:<8} {:<10} {:<12} {:<28} {:<10} {verdict}",
            r.item, r.role, r.decision, on, r.by, r.date
        )?;
        if let Some(dir) = &args.export {
            let rel = d.file.strip_prefix(crate::decisions::FOLDER).unwrap_or(&d.file);
            let msg = dir.join(rel).with_extension("msg");
            if let Some(parent) = msg.parent() {
                std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            write_atomic(&msg, &message::message(r))?;
            let mut sig = msg.clone().into_os_string();
            sig.push(".sig");
            let mut armored = r.signature.trim().to_string();
            armored.push('\n');
            write_atomic(&PathBuf::from(sig), armored.as_bytes())?;
            exported += 1;
        }
    }
    out.flush()?;
    if !global.quiet {
        let count = |f: fn(&Verdict) -> bool| decisions.list.iter().filter(|d| f(&d.verdict)).count();
        eprintln!(
            "{} decisions: {} verified, {} valid without a roster, {} changed since, {} unverified.",
            decisions.list.len(),
            count(|v| *v == Verdict::Verified),
            count(|v| *v == Verdict::Valid),
            count(|v| *v == Verdict::ChangedSince),
            count(|v| matches!(v, Verdict::Unverified(_))),
        );
        if roster.is_none() && !decisions.list.is_empty() {
            eprintln!("note: not verified against a roster of signers: give --signers FILE.");
        }
        if let Some(dir) = &args.export {
            eprintln!(
                "Exported {exported} to {}. Verify each with: ssh-keygen -Y verify -f ALLOWED_SIGNERS -I PRINCIPAL -n portfolio-ROLE -s FILE.msg.sig < FILE.msg (PRINCIPAL and ROLE from the message's principal: and role: lines; -n {} for a version-1 record)",
                dir.display(),
                message::NAMESPACE
            );
        }
    }
    let bad = decisions
        .list
        .iter()
        .any(|d| !matches!(d.verdict, Verdict::Verified | Verdict::Valid));
    Ok(u8::from(bad))
}
