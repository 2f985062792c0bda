//! `portfolio import moodle|mahara FILE -o OUT.toml`: a criteria file from a
//! framework kept elsewhere, written atomically, never over an existing file
//! without `--force`.

use super::Global;
use crate::error::Error;
use crate::import::{Format, ImportError, Options, import};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What FILE is.
    #[arg(value_enum)]
    pub format: Source,
    /// The framework: a Moodle competency framework CSV, or a Mahara .matrix file.
    pub file: PathBuf,
    /// The criteria file to write, e.g. criteria/my-unit.toml (its folder is
    /// what --criteria then takes).
    #[arg(short, long, value_name = "OUT.toml")]
    pub out: PathBuf,
    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,
    /// The framework id to write (lower case, no spaces or colons); by
    /// default made from the source's ID number or name.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// The framework's kind: "unit" frameworks are assessed by default; use
    /// e.g. "nos" for a standard that units map to.
    #[arg(long, default_value = "unit")]
    pub kind: String,
    #[command(flatten)]
    pub quiet: super::QuietOpt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Source {
    /// Moodle's competency framework CSV (Site administration › Competencies
    /// › Export competency framework).
    Moodle,
    /// Mahara's SmartEvidence .matrix JSON, nested or flat.
    Mahara,
}

pub fn run(global: &Global, args: ImportArgs) -> Result<u8, Error> {
    let format = match args.format {
        Source::Moodle => Format::Moodle,
        Source::Mahara => Format::Mahara,
    };
    if let (Ok(a), Ok(b)) = (args.out.canonicalize(), args.file.canonicalize())
        && a == b
    {
        return Err(Error::OutputDir {
            path: args.out,
            reason: "it is the file being imported; write the criteria file elsewhere".into(),
        });
    }
    if args.out.exists() && !args.force {
        return Err(ImportError::Exists { path: args.out }.into());
    }
    let bytes = std::fs::read(&args.file).map_err(|source| ImportError::Read {
        file: args.file.clone(),
        source,
    })?;
    let options = Options {
        id: args.id,
        kind: args.kind,
    };
    let imported = import(format, &args.file, &bytes, &options)?;
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| Error::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    crate::build::write::write_atomic(&args.out, imported.toml.as_bytes())?;
    if !global.quiet {
        eprintln!(
            "Wrote {}: framework `{}`, {} outcome{}, {} criteri{}.",
            args.out.display(),
            imported.id,
            imported.groups,
            if imported.groups == 1 { "" } else { "s" },
            imported.criteria,
            if imported.criteria == 1 { "on" } else { "a" },
        );
        for note in &imported.notes {
            eprintln!("note: {note}");
        }
        let dir = args
            .out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| ".".to_string(), |p| p.display().to_string());
        eprintln!("Next: complete the TODOs, then check it with `portfolio criteria --criteria {dir}`.");
    }
    Ok(0)
}
