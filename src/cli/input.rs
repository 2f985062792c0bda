//! The portfolio a command reads, as the user named it: a folder, or a zip
//! of one (`portfolio check p.zip`). A folder is read where it is
//! ([`DiskSource`]); a zip is checked whole first ([`crate::archive`]: no
//! bombs, no paths out, no links, no duplicates), then unzipped into memory
//! ([`crate::source::MemSource`]) and read from there: nothing is written
//! to disk, and nothing is read when the zip is refused. Diagnostics name
//! the zip (`p.zip/evidence/01.md:3:1`).

use crate::archive::{Limits, PortfolioZip};
use crate::error::Error;
use crate::source::{DiskSource, Source};
use std::path::{Path, PathBuf};

/// A portfolio ready to be read from [`Input::files`].
pub struct Input {
    /// Its files: the folder on disk, or the zip's in memory.
    pub files: Box<dyn Source>,
    /// What diagnostics call it: the folder, or the zip.
    pub shown: PathBuf,
    /// Whether it came from a zip (`serve` reads folders only).
    pub zipped: bool,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("shown", &self.shown)
            .field("zipped", &self.zipped)
            .finish()
    }
}

/// True when `path` names a zip file (by its name; the contents decide
/// whether it is one).
pub fn is_zip(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) && path.is_file()
}

/// Opens `path`: a folder as it is, a zip unzipped into memory after its
/// checks.
pub fn open(path: &Path) -> Result<Input, Error> {
    if !is_zip(path) {
        return Ok(Input {
            files: Box::new(DiskSource::new(path)),
            shown: path.to_path_buf(),
            zipped: false,
        });
    }
    let zip_err = |source| Error::Zip {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(|source| Error::PortfolioDir {
        path: path.to_path_buf(),
        source,
    })?;
    let zip = PortfolioZip::open(std::io::BufReader::new(file), &Limits::default()).map_err(zip_err)?;
    // The whole zip is unzipped before anything is read: an entry that
    // lies about its size stops the command with nothing used.
    let files = zip.into_source(path).map_err(zip_err)?;
    Ok(Input {
        files: Box::new(files),
        shown: path.to_path_buf(),
        zipped: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_read_where_it_is() {
        let input = open(Path::new("sample-portfolio")).unwrap();
        assert_eq!(input.files.name(), input.shown);
        assert!(!input.zipped);
    }

    #[test]
    fn a_refused_zip_leaves_no_temporary_folder() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("p.zip");
        std::fs::write(&zip, b"PK not really").unwrap();
        let before = std::fs::read_dir(std::env::temp_dir()).unwrap().count();
        let err = open(&zip).unwrap_err();
        assert!(err.to_string().contains("not a zip file"), "{err}");
        let after = std::fs::read_dir(std::env::temp_dir()).unwrap().count();
        assert!(after <= before);
    }

    #[test]
    fn a_zip_is_read_from_memory_and_named_as_the_zip() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("p.zip");
        let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
        w.start_file("amira/portfolio.toml", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"[learner]\nname = \"A\"\n").unwrap();
        w.finish().unwrap();
        let before = std::fs::read_dir(std::env::temp_dir()).unwrap().count();
        let input = open(&zip).unwrap();
        assert!(input.zipped);
        assert_eq!(input.files.name(), zip.as_path());
        assert_eq!(
            input.files.read(Path::new("portfolio.toml")).unwrap(),
            b"[learner]\nname = \"A\"\n"
        );
        let after = std::fs::read_dir(std::env::temp_dir()).unwrap().count();
        assert!(after <= before, "nothing unzipped to disk");
    }
}
