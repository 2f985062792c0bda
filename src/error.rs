//! The failures that stop a command, each with the exit status it maps to.
//! Problems with the portfolio's content are not errors here: they are
//! collected as [`crate::diagnostic::Problem`]s and reported together.

use crate::diagnostic::Problem;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read the portfolio folder {}: {source}", path.display())]
    PortfolioDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the criteria could not be loaded ({} problem{})", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Criteria(Vec<Problem>),
    #[error("no loaded unit is called `{unit}`; the units are {known} (give your unit's file with --criteria DIR)")]
    UnknownUnit { unit: String, known: String },
    #[error("{} already holds a portfolio (portfolio.toml); init will not overwrite it", path.display())]
    AlreadyPortfolio { path: PathBuf },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("will not write to {}: {reason}", path.display())]
    OutputDir { path: PathBuf, reason: String },
    #[error("the portfolio has {count} input error{}; nothing was written. Fix the errors above, then build again", if *.count == 1 { "" } else { "s" })]
    InputErrors { count: usize },
    #[error(transparent)]
    Html(#[from] crate::render::html::HtmlError),
    #[error(transparent)]
    Pdf(#[from] crate::render::pdf::PdfError),
    #[error("cannot write the report: {0}")]
    Output(#[from] std::io::Error),
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write the JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error(transparent)]
    Serve(#[from] crate::serve::ServeError),
}

impl Error {
    /// The process exit status: 2 for everything that stops a command.
    pub fn exit_code(&self) -> u8 {
        2
    }

    /// Located problems that explain the error, if any.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Criteria(p) => p,
            _ => &[],
        }
    }
}
