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
    #[error("cannot read the portfolio zip {}: {source}", path.display())]
    Zip {
        path: PathBuf,
        #[source]
        source: crate::archive::ZipError,
    },
    #[error("cannot read the cohort folder {}: {source}", path.display())]
    CohortDir {
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
    Report(#[from] std::io::Error),
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot use the roster {}: {message}", path.display())]
    Signers { path: PathBuf, message: String },
    #[error(transparent)]
    Sign(#[from] crate::decisions::sign::SignError),
    #[error("cannot write the JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    /// `portfolio serve` could not start or keep running (its own error,
    /// said in full; serve sits above this module).
    #[error("{0}")]
    Serve(String),
}

impl Error {
    /// The process exit status: 2 for everything that stops a command.
    pub fn exit_code(&self) -> u8 {
        2
    }

    /// A write to a pipe whose reader has gone (`check --format json | head`):
    /// not worth a message, as for any Unix tool.
    pub fn is_broken_pipe(&self) -> bool {
        let pipe = |k: std::io::ErrorKind| k == std::io::ErrorKind::BrokenPipe;
        match self {
            Error::Report(e) | Error::Write { source: e, .. } => pipe(e.kind()),
            Error::Json(e) => e.io_error_kind().is_some_and(pipe),
            Error::Csv(e) => matches!(e.kind(), csv::ErrorKind::Io(io) if pipe(io.kind())),
            _ => false,
        }
    }

    /// Located problems that explain the error, if any.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Criteria(p) => p,
            _ => &[],
        }
    }
}

impl From<crate::decisions::signers::ReadSignersError> for Error {
    fn from(e: crate::decisions::signers::ReadSignersError) -> Self {
        Error::Signers {
            path: e.path,
            message: e.message,
        }
    }
}
