//! The stages in order for one portfolio: load the criteria once, then read
//! and evaluate a portfolio against them. `check`, `build` and `batch` all
//! start here.

use crate::coverage::{Coverage, Status, evaluate};
use crate::criteria::{Criteria, load_criteria};
use crate::date::Date;
use crate::error::Error;
use crate::evidence::{Portfolio, load_portfolio};
use std::path::Path;

/// Loads the embedded criteria and those in `dir`.
pub fn criteria(dir: Option<&Path>) -> Result<Criteria, Error> {
    load_criteria(dir).map_err(Error::Criteria)
}

/// Reads the portfolio at `dir` and applies the rules.
pub fn check(dir: &Path, criteria: &Criteria, require: Status, today: Date) -> Result<(Portfolio, Coverage), Error> {
    let portfolio = load_portfolio(dir, criteria).map_err(|source| Error::PortfolioDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let coverage = evaluate(&portfolio, criteria, require, today);
    Ok((portfolio, coverage))
}
