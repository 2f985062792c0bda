//! `portfolio pack`: what an EQA takes away from a visit, as one zip. Each
//! learner is built by the batch code (into a temporary folder, then read
//! back), every signed decision is exported as `decisions --export` does,
//! the sampling plan is made as `sample` makes it, and [`crate::pack`]
//! assembles the deterministic zip with `VERIFY.txt` and `SHA256SUMS`.

use super::Global;
use crate::batch::{Options, discover, run};
use crate::build::write::write_atomic;
use crate::date::Date;
use crate::decisions::signers::Signers;
use crate::decisions::{Verdict, message};
use crate::error::Error;
use crate::pack::{DecisionCheck, Entry, Summary};
use crate::render::html::HtmlRenderer;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
#[command(after_long_help = "\
What the pack holds:
  learners/FOLDER/portfolio.html, portfolio.pdf, coverage.json   each learner's built portfolio
  learners/FOLDER/decisions/ITEM/NNN-ROLE.msg and .msg.sig       every signed decision: the exact
                                                                  bytes signed and the signature
  allowed_signers                                                 the roster given with --signers
  sampling/sample.csv, sample.html, iqa-outcomes.csv              the IQA sampling plan and what
                                                                  the IQA decided on each item
  VERIFY.txt, SHA256SUMS                                          how to check all of it offline

The EQA unzips it and runs the commands in VERIFY.txt (or `sh VERIFY.txt`):
`sha256sum --strict -c SHA256SUMS` and one `ssh-keygen -Y verify` per decision.
Neither needs portfolio, an account or a network.

The same cohort, roster and day give the same bytes.

Exit status: 0 written; 2 when a learner could not be built (the pack is
written all the same, with NOT-BUILT.txt in that learner's folder) or the
roster cannot be read; 64 for a wrong command line; 74 when a file cannot be
read or written.

Example:
  portfolio pack cohort/ --signers centre/allowed_signers -o eqa-visit-2026-11.zip")]
pub struct PackArgs {
    /// The cohort folder: every sub-folder with a portfolio.toml is one
    /// learner (as `batch` reads it).
    #[arg(default_value = ".")]
    pub cohort: PathBuf,
    /// The zip to write (replaced atomically if it exists).
    #[arg(short, long, value_name = "FILE", default_value = "pack.zip")]
    pub out: PathBuf,
    /// The centre's roster of assessors and IQAs (OpenSSH allowed_signers):
    /// decisions are verified against it, and it goes into the pack for the
    /// EQA's `ssh-keygen -Y verify`.
    #[arg(long, value_name = "FILE")]
    pub signers: PathBuf,
    /// The sampling plan's share of each assessor's decisions (as `sample --rate`).
    #[arg(long, value_name = "R", default_value_t = 0.1, value_parser = super::sample_cmd::parse_rate)]
    pub rate: f64,
    /// The sampling plan's seed (as `sample --seed`): give the seed of the
    /// plan the IQA worked to.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// How many learners to build at once (default: the number of cores).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub criteria: super::CriteriaOpt,
    #[command(flatten)]
    pub quiet: super::QuietOpt,
}

pub fn run_pack(global: &Global, args: PackArgs) -> Result<u8, Error> {
    let criteria = crate::pipeline::criteria(global.criteria.as_deref())?;
    let roster_bytes = std::fs::read(&args.signers).map_err(|source| Error::Signers {
        path: args.signers.clone(),
        message: source.to_string(),
    })?;
    let roster = Signers::read(&args.signers)?;
    let html = HtmlRenderer::new(None)?;
    let (folders, skipped) = discover(&args.cohort)?;
    let today = Date::today();
    let work = tempfile::Builder::new()
        .prefix(".portfolio-pack.")
        .tempdir()
        .map_err(|source| Error::Write {
            path: std::env::temp_dir(),
            source,
        })?;
    let built = work.path().join("learners");
    let options = Options {
        out: built.clone(),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        formats: crate::render::Formats {
            html: true,
            pdf: true,
            json: true,
            ics: false,
            sync: false,
        },
        require: crate::coverage::Status::Claimed,
        today,
        source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
        redact: false,
        signers: Some(roster.clone()),
    };
    let result = run(&folders, skipped, &criteria, &html, &options, &|| {})?;

    let mut files = vec![Entry::new(crate::pack::ROSTER, roster_bytes)];
    let mut checks = Vec::new();
    for (folder, learner) in folders.iter().zip(&result.learners) {
        let base = format!("learners/{}", learner.folder);
        for name in ["portfolio.html", "portfolio.pdf", "coverage.json", "NOT-BUILT.txt"] {
            let path = built.join(&learner.folder).join(name);
            if path.is_file() {
                let bytes = std::fs::read(&path).map_err(|source| Error::Write { path, source })?;
                files.push(Entry::new(format!("{base}/{name}"), bytes));
            }
        }
        if !learner.built {
            eprintln!(
                "failed: {}: {} (the pack holds its NOT-BUILT.txt)",
                folder.display(),
                learner.failure_message.as_deref().unwrap_or("not built")
            );
        }
        export_decisions(folder, &base, &criteria, &roster, today, &mut files, &mut checks);
    }

    let (candidates, unread) = crate::sampling::population(&folders, &criteria, Some(&roster), today);
    let mut plan = crate::sampling::plan(candidates, args.rate, args.seed, true);
    plan.unread = unread;
    files.push(Entry::new(
        "sampling/sample.csv",
        crate::sampling::csv(&plan, crate::report::CsvStyle::Plain)?,
    ));
    let (outcomes, beside) = iqa_outcomes(&plan, &folders, &result.learners, &criteria, &roster, today)?;
    let item = |i: usize| beside.get(&i).cloned().unwrap_or((None, None));
    let page = crate::sampling::page::html_with(&plan, Some(&crate::sampling::page::Beside { item: &item }));
    files.push(Entry::new("sampling/sample.html", page));
    files.push(Entry::new("sampling/iqa-outcomes.csv", outcomes));

    let summary = Summary {
        learners: result.learners.len(),
        not_built: result.failed(),
        today: today.to_string(),
        seed: args.seed,
        rate: args.rate,
    };
    let good = checks.iter().filter(|c| c.fails.is_none()).count();
    let total = checks.len();
    let bytes =
        crate::pack::zip(files, &summary, &checks).map_err(|e| Error::Report(std::io::Error::other(e.to_string())))?;
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| Error::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    write_atomic(&args.out, &bytes)?;
    if !global.quiet {
        eprintln!(
            "Packed {} learner{} ({} not built) and {total} signed decisions ({good} verify against the roster) into {}. Check it offline with the commands in its VERIFY.txt.",
            summary.learners,
            if summary.learners == 1 { "" } else { "s" },
            summary.not_built,
            args.out.display()
        );
    }
    Ok(if summary.not_built > 0 { 2 } else { 0 })
}

/// Every decision record of the learner in `folder`, as its message and
/// signature under `base/decisions/`, with how OpenSSH checks it.
fn export_decisions(
    folder: &Path,
    base: &str,
    criteria: &crate::criteria::Criteria,
    roster: &Signers,
    today: Date,
    files: &mut Vec<Entry>,
    checks: &mut Vec<DecisionCheck>,
) {
    let Ok(portfolio) = crate::evidence::load_portfolio(folder, criteria) else {
        eprintln!(
            "warning: {} cannot be read, so its signed decisions are not in the pack",
            folder.display()
        );
        return;
    };
    let decisions = crate::decisions::load(&portfolio, Some(roster), today);
    for d in &decisions.list {
        let Some(r) = &d.record else { continue };
        let rel = d.file.strip_prefix(crate::decisions::FOLDER).unwrap_or(&d.file);
        let rel = rel.with_extension("msg").to_string_lossy().replace('\\', "/");
        let msg = format!("{base}/decisions/{rel}");
        if !crate::pack::valid_path(&msg) {
            continue;
        }
        let mut armored = r.signature.trim().to_string();
        armored.push('\n');
        files.push(Entry::new(msg.clone(), message::message(r)));
        files.push(Entry::new(format!("{msg}.sig"), armored));
        let (fails, note) = match &d.verdict {
            Verdict::Verified | Verdict::Valid => (None, None),
            Verdict::ChangedSince => (
                None,
                Some(format!(
                    "{}: the signature is good, but the item changed since ({}), so this decision no longer counts",
                    rel,
                    d.changed.join(", ")
                )),
            ),
            Verdict::Unverified(why) => (Some(format!("{rel}: {why}")), None),
        };
        checks.push(DecisionCheck {
            message: msg,
            principal: r.by.clone(),
            namespace: message::namespace_of(r),
            fails,
            note,
        });
    }
}

/// Per sampled item (an index into the plan's candidates): a link to it in
/// its learner's built portfolio, and what the IQA decided.
type Beside = std::collections::BTreeMap<usize, (Option<String>, Option<String>)>;

/// `iqa-outcomes.csv`: each sampled item and the IQA's latest signed
/// decision on it (none yet: empty), with whether it verifies; and for the
/// plan's page, each item's link and IQA decision.
fn iqa_outcomes(
    plan: &crate::sampling::Plan,
    folders: &[PathBuf],
    learners: &[crate::batch::LearnerResult],
    criteria: &crate::criteria::Criteria,
    roster: &Signers,
    today: Date,
) -> Result<(Vec<u8>, Beside), Error> {
    let mut beside = Beside::new();
    let mut w = crate::report::csv_writer(crate::report::CsvStyle::Plain, Vec::new())?;
    w.write_record([
        "learner_folder",
        "pack_folder",
        "item",
        "assessor",
        "assessor_decision",
        "iqa_decision",
        "iqa",
        "iqa_date",
        "iqa_feedback",
        "verdict",
    ])?;
    type Loaded = (crate::decisions::Decisions, Vec<String>);
    let mut loaded: std::collections::BTreeMap<String, Loaded> = Default::default();
    for (i, _) in &plan.chosen {
        let Some(c) = plan.candidates.get(*i) else { continue };
        let Some(n) = learners.iter().position(|l| l.source == c.folder) else {
            continue;
        };
        let (decisions, usable) = loaded.entry(c.folder.clone()).or_insert_with(|| {
            crate::evidence::load_portfolio(&folders[n], criteria)
                .map(|p| {
                    let usable = p.items.iter().filter(|i| i.usable).map(|i| i.id.clone()).collect();
                    (crate::decisions::load(&p, Some(roster), today), usable)
                })
                .unwrap_or_default()
        });
        // As the built portfolio numbers and anchors its items.
        let link = usable
            .iter()
            .position(|id| *id == c.item)
            .filter(|_| learners[n].built)
            .map(|k| {
                format!(
                    "../learners/{}/portfolio.html#{}",
                    learners[n].folder,
                    crate::document::item_anchor(k + 1, &c.item)
                )
            });
        let iqa = decisions
            .naming(&c.item)
            .into_iter()
            .rev()
            .find(|d| d.record.as_ref().is_some_and(|r| r.role == "iqa"));
        let (decision, by, date, feedback, verdict) = match iqa.and_then(|d| d.record.as_ref().map(|r| (d, r))) {
            Some((d, r)) => (
                r.decision.as_str(),
                r.by.as_str(),
                r.date.as_str(),
                r.feedback.as_deref().unwrap_or(""),
                d.verdict.word(),
            ),
            None => ("", "", "", "", "not yet decided by an IQA"),
        };
        let said = (!decision.is_empty()).then(|| format!("{decision} by {by} on {date} ({verdict})"));
        beside.insert(*i, (link, said));
        w.write_record([
            c.folder.as_str(),
            learners[n].folder.as_str(),
            c.item.as_str(),
            c.assessor.as_str(),
            c.outcome.as_str(),
            decision,
            by,
            date,
            feedback,
            verdict,
        ])?;
    }
    let csv = w
        .into_inner()
        .map_err(|e| Error::Report(std::io::Error::other(e.to_string())))?;
    Ok((csv, beside))
}
