//! The stages in order for one portfolio: load the criteria once, then read
//! and evaluate a portfolio against them. `check`, `build` and `batch` all
//! start here. The portfolio's files come from a [`Source`] (the `*_from`
//! functions); the others read a folder on disk.

use crate::coverage::{Coverage, Status, evaluate_with};
use crate::criteria::{CritId, Criteria, load_criteria};
use crate::date::Date;
use crate::decisions::signers::Signers;
use crate::error::Error;
use crate::evidence::{Portfolio, load_portfolio_from};
use crate::source::{DiskSource, Source};
use std::borrow::Cow;
use std::path::Path;

/// Loads the embedded criteria and those in the folder `dir` on disk.
pub fn criteria(dir: Option<&Path>) -> Result<Criteria, Error> {
    load_criteria(dir).map_err(Error::Criteria)
}

/// Loads the embedded criteria and those in `files` (a criteria folder).
pub fn criteria_from(files: Option<&dyn Source>) -> Result<Criteria, Error> {
    crate::criteria::load_criteria_from(files).map_err(Error::Criteria)
}

/// How a portfolio is checked.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    pub require: Status,
    pub today: Date,
    /// Mask personal data in everything made from the portfolio.
    pub redact: bool,
}

/// Reads the portfolio at `dir` and applies the rules of every loaded
/// framework (see [`check_shown`] for what commands show).
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
    check_from(&DiskSource::new(dir), criteria, options, signers)
}

/// [`check_with`] on the portfolio in `files`.
pub fn check_from(
    files: &dyn Source,
    criteria: &Criteria,
    options: CheckOptions,
    signers: Option<&Signers>,
) -> Result<(Portfolio, Coverage), Error> {
    let portfolio = read(files, criteria)?;
    Ok(finish(portfolio, files, criteria, options, signers))
}

/// A checked portfolio with the criteria it was checked against.
#[derive(Debug, Clone)]
pub struct Outcome<'c> {
    /// The frameworks the portfolio shows: those it assesses, cites, or
    /// that the assessed ones map into. Borrowed when that is all of them.
    pub criteria: Cow<'c, Criteria>,
    /// For each criterion of the loaded criteria, its id in `criteria`.
    pub ids: Vec<Option<CritId>>,
    pub portfolio: Portfolio,
    pub coverage: Coverage,
}

/// Reads the portfolio at `dir` and applies the rules of the frameworks
/// it shows, and only those: a portfolio for another unit carries no trace
/// of a built-in unit it neither assesses nor cites.
pub fn check_shown<'c>(dir: &Path, criteria: &'c Criteria, options: CheckOptions) -> Result<Outcome<'c>, Error> {
    check_shown_with(dir, criteria, options, None)
}

/// [`check_shown`] with the centre's roster of signers (`--signers`).
pub fn check_shown_with<'c>(
    dir: &Path,
    criteria: &'c Criteria,
    options: CheckOptions,
    signers: Option<&Signers>,
) -> Result<Outcome<'c>, Error> {
    check_shown_from(&DiskSource::new(dir), criteria, options, signers)
}

/// [`check_shown_with`] on the portfolio in `files`.
pub fn check_shown_from<'c>(
    files: &dyn Source,
    criteria: &'c Criteria,
    options: CheckOptions,
    signers: Option<&Signers>,
) -> Result<Outcome<'c>, Error> {
    let mut portfolio = read(files, criteria)?;
    let cited = portfolio.items.iter().flat_map(|i| i.tags.iter().map(|t| t.criterion));
    let shown = criteria.shown(&portfolio.settings.assessed, cited);
    if shown.len() == criteria.frameworks.len() {
        let (portfolio, coverage) = finish(portfolio, files, criteria, options, signers);
        return Ok(Outcome {
            criteria: Cow::Borrowed(criteria),
            ids: criteria.ids().map(Some).collect(),
            portfolio,
            coverage,
        });
    }
    let (narrowed, ids) = criteria.narrow(&shown);
    for item in &mut portfolio.items {
        item.tags.retain_mut(|t| match ids[t.criterion.0] {
            Some(id) => {
                t.criterion = id;
                true
            }
            None => false,
        });
    }
    let assessed = &mut portfolio.settings.assessed;
    *assessed = assessed
        .iter()
        .filter_map(|f| shown.iter().position(|s| s == f))
        .collect();
    let (portfolio, coverage) = finish(portfolio, files, &narrowed, options, signers);
    Ok(Outcome {
        criteria: Cow::Owned(narrowed),
        ids,
        portfolio,
        coverage,
    })
}

fn read(files: &dyn Source, criteria: &Criteria) -> Result<Portfolio, Error> {
    load_portfolio_from(files, criteria).map_err(|source| Error::PortfolioDir {
        path: files.name().to_path_buf(),
        source,
    })
}

fn finish(
    mut portfolio: Portfolio,
    files: &dyn Source,
    criteria: &Criteria,
    options: CheckOptions,
    signers: Option<&Signers>,
) -> (Portfolio, Coverage) {
    let decisions = crate::decisions::load_from(&portfolio, files, signers, options.today);
    let mut coverage = evaluate_with(&portfolio, decisions, criteria, options.require, options.today);
    // What the PDF's fonts cannot draw, and inline images that name no
    // attachment: warnings, known to the renderers.
    for item in portfolio.items.iter().filter(|i| i.usable) {
        crate::render::pdf::glyphs::glyph_missing(item, &mut coverage.problems);
        crate::document::inline_image::image_not_attached(item, &mut coverage.problems);
    }
    crate::coverage::sort_problems(&mut coverage.problems);
    // Diagnostics travel (terminals, logs, e-mails): they never repeat what
    // looks like a customer's personal data, with or without --redact; only
    // --redact writes masks ("[email removed]"). Without it, who decided (a
    // signed decision's principal, a typed decision's `by`: the centre's
    // staff, named to say who signed) is not personal data to hide.
    let principals: Vec<String> = coverage
        .decisions
        .list
        .iter()
        .filter_map(|d| d.record.as_ref().map(|r| r.by.clone()))
        .chain(
            portfolio
                .items
                .iter()
                .filter_map(|i| i.assessment.as_ref().and_then(|a| a.by.clone())),
        )
        .collect();
    let shown = portfolio
        .settings
        .scanner
        .allowing(principals.iter().map(String::as_str));
    for p in &mut coverage.problems {
        if options.redact {
            crate::evidence::redact_problem(p, &portfolio.settings.scanner);
        } else {
            crate::evidence::unrepeat_problem(p, &shown);
        }
    }
    if options.redact {
        let ids = crate::evidence::redact(&mut portfolio);
        let scanner = &portfolio.settings.scanner;
        for p in &mut coverage.problems {
            crate::evidence::redact_problem_names(p, scanner, &ids);
        }
        // What the rules say about the items: occasion labels, advice.
        for o in &mut coverage.occasions.list {
            o.name = scanner.redact(&o.name);
            for l in &mut o.labels {
                *l = scanner.redact(l);
            }
        }
        for c in &mut coverage.criteria {
            c.next = c.next.as_ref().map(|n| scanner.redact(n));
            for u in &mut c.occasion_uses {
                u.reason = u.reason.as_ref().map(|r| scanner.redact(r));
            }
        }
        // Signed decisions are shown too: their files, items, feedback and
        // principals, and the files they bind.
        for d in &mut coverage.decisions.list {
            d.file = crate::evidence::redact_path(scanner, &d.file);
            for f in &mut d.changed {
                *f = scanner.redact(f);
            }
            let item = d.item.and_then(|i| portfolio.items.get(i)).map(|i| i.id.clone());
            if let Some(r) = d.record.as_mut() {
                r.item = item.unwrap_or_else(|| scanner.redact(&r.item));
                r.by = scanner.redact(&r.by);
                r.feedback = r.feedback.as_ref().map(|f| scanner.redact(f));
                r.learner_id = scanner.redact(&r.learner_id);
                r.learner_uln = scanner.redact(&r.learner_uln);
                for f in &mut r.files {
                    f.path = scanner.redact(&f.path);
                }
            }
        }
    }
    (portfolio, coverage)
}
