//! The portfolio a command reads, as the user named it: a folder, or a zip
//! of one (`portfolio check p.zip`). A zip is checked whole first
//! ([`crate::archive`]: no bombs, no paths out, no links, no duplicates),
//! then unzipped into a private temporary folder that is removed when the
//! command ends; nothing is written when the zip is refused. Diagnostics
//! name the zip (`p.zip/evidence/01.md:3:1`), never the temporary folder.

use crate::archive::{Limits, PortfolioZip};
use crate::error::Error;
use std::path::{Path, PathBuf};

/// A portfolio ready to be read from [`Input::dir`].
#[derive(Debug)]
pub struct Input {
    /// The folder to read.
    pub dir: PathBuf,
    /// What diagnostics call it: the folder, or the zip.
    pub shown: PathBuf,
    /// The unzipped copy, removed when dropped.
    _unzipped: Option<tempfile::TempDir>,
}

/// True when `path` names a zip file (by its name; the contents decide
/// whether it is one).
fn is_zip(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) && path.is_file()
}

/// Opens `path`: a folder as it is, a zip unzipped after its checks.
pub fn open(path: &Path) -> Result<Input, Error> {
    if !is_zip(path) {
        return Ok(Input {
            dir: path.to_path_buf(),
            shown: path.to_path_buf(),
            _unzipped: None,
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
    let mut zip = PortfolioZip::open(std::io::BufReader::new(file), &Limits::default()).map_err(zip_err)?;
    let temp = tempfile::Builder::new()
        .prefix("portfolio-zip-")
        .tempdir()
        .map_err(|source| Error::Write {
            path: std::env::temp_dir(),
            source,
        })?;
    // The whole zip is unzipped before anything is read: an entry that
    // lies about its size stops the command with nothing used.
    for n in 0..zip.entries().len() {
        let target = temp.path().join(&zip.entries()[n].path);
        let write_err = |source| Error::Write {
            path: target.clone(),
            source,
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(write_err)?;
        }
        let mut out = std::fs::File::create(&target).map_err(write_err)?;
        zip.copy(n, &mut out).map_err(zip_err)?;
    }
    Ok(Input {
        dir: temp.path().to_path_buf(),
        shown: path.to_path_buf(),
        _unzipped: Some(temp),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_read_where_it_is() {
        let input = open(Path::new("sample-portfolio")).unwrap();
        assert_eq!(input.dir, input.shown);
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
}
