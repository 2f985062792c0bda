//! The stages in order for one portfolio: load the criteria once, then read
//! and evaluate a portfolio against them. `check`, `build` and `batch` all
//! start here.

use crate::coverage::{Coverage, Status, evaluate_with};
use crate::criteria::{Criteria, load_criteria};
use crate::date::Date;
use crate::decisions::signers::Signers;
use crate::error::Error;
use crate::evidence::{Portfolio, load_portfolio};
use std::path::Path;

/// Loads the embedded criteria and those in `dir`.
pub fn criteria(dir: Option<&Path>) -> Result<Criteria, Error> {
    load_criteria(dir).map_err(Error::Criteria)
}

/// How a portfolio is checked.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    pub require: Status,
    pub today: Date,
    /// Mask personal data in everything made from the portfolio.
    pub redact: bool,
}

/// Reads the portfolio at `dir` and applies the rules.
pub fn check(dir: &Path, criteria: &Criteria, options: CheckOptions) -> Result<(Portfolio, Coverage), Error> {
    check_with(dir, criteria, options, None)
}

/// [`check`] with the centre's roster of signers (`--signers`): the signed
/// decisions under `assessment/` are verified against it.
pub fn check_with(
    dir: &Path,
    criteria: &Criteria,
    options: CheckOptions,
    signers: Option<&Signers>,
) -> Result<(Portfolio, Coverage), Error> {
    let mut portfolio = load_portfolio(dir, criteria).map_err(|source| Error::PortfolioDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let decisions = crate::decisions::load(&portfolio, signers);
    let mut coverage = evaluate_with(&portfolio, decisions, criteria, options.require, options.today);
    // Diagnostics travel (terminals, logs, e-mails): they never repeat what
    // looks like personal data, with or without --redact.
    for p in &mut coverage.problems {
        crate::evidence::redact_problem(p, &portfolio.settings.scanner);
    }
    if options.redact {
        crate::evidence::redact(&mut portfolio);
        // Signed decisions are shown too: their feedback and principals.
        let scanner = &portfolio.settings.scanner;
        for r in coverage.decisions.list.iter_mut().filter_map(|d| d.record.as_mut()) {
            r.by = scanner.redact(&r.by);
            r.feedback = r.feedback.as_ref().map(|f| scanner.redact(f));
        }
    }
    Ok((portfolio, coverage))
}
