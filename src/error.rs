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
    /// The command line asks what cannot be done (`serve p.zip --key`),
    /// said in full.
    #[error("{0}")]
    Usage(String),
}

/// The exit statuses, told apart by scripts (`portfolio --help` and the
/// README list them). 64 and 74 are the BSD sysexits `EX_USAGE` and
/// `EX_IOERR`, which other command-line tools use for the same failures.
pub mod exit {
    /// The portfolio is complete (or the command did what it was asked).
    pub const COMPLETE: u8 = 0;
    /// The portfolio was checked or built, and gaps remain.
    pub const GAPS: u8 = 1;
    /// The portfolio, cohort, criteria, templates or roster has input errors.
    pub const INPUT: u8 = 2;
    /// The command line was wrong: an unknown option, a missing argument, a
    /// value the command cannot use (`EX_USAGE`).
    pub const USAGE: u8 = 64;
    /// A file or folder could not be read or written (`EX_IOERR`).
    pub const IO: u8 = 74;
}

impl Error {
    /// The process exit status (see [`exit`]): 2 for the portfolio's (or
    /// criteria's, templates', roster's) input errors, 64 for what the
    /// command line asked that cannot be done, 74 for reading and writing
    /// that failed.
    pub fn exit_code(&self) -> u8 {
        use crate::decisions::sign::SignError;
        use crate::import::ImportError;
        use crate::render::html::HtmlError;
        use crate::render::pdf::PdfError;
        let folder = |e: &std::io::Error| match e.kind() {
            // No folder there: the portfolio named is not one.
            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => exit::INPUT,
            _ => exit::IO,
        };
        match self {
            Error::PortfolioDir { source, .. } | Error::CohortDir { source, .. } => folder(source),
            Error::Criteria(_) | Error::InputErrors { .. } | Error::Signers { .. } | Error::Zip { .. } => exit::INPUT,
            Error::UnknownUnit { .. } | Error::AlreadyPortfolio { .. } | Error::OutputDir { .. } | Error::Usage(_) => {
                exit::USAGE
            }
            Error::Write { .. } | Error::Report(_) | Error::Csv(_) | Error::Json(_) | Error::Serve(_) => exit::IO,
            Error::Html(HtmlError::Folder { source, .. }) => folder(source),
            Error::Html(_) => exit::INPUT,
            Error::Pdf(PdfError::Fonts(_) | PdfError::Write(_)) => exit::IO,
            Error::Pdf(_) => exit::INPUT,
            Error::Sign(SignError::Write { .. }) => exit::IO,
            Error::Sign(SignError::Unusable(_)) => exit::INPUT,
            Error::Sign(_) => exit::USAGE,
            Error::Import(ImportError::Invalid { .. }) => exit::INPUT,
            Error::Import(ImportError::Read { .. }) => exit::IO,
            Error::Import(_) => exit::USAGE,
        }
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
