//! Writing outputs safely: the output folder is checked before anything is
//! written, and every file is written to a temporary name in the same folder,
//! flushed to disk, then renamed over the old one, so an interrupted build
//! leaves either the previous file or the new one, never half of one.

use crate::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Checks that `out` may receive the outputs of the portfolio at `input`:
/// it is not a file, not the portfolio folder itself and not inside its
/// `evidence/`. Creates it when missing.
pub fn prepare_out_dir(out: &Path, input: &Path) -> Result<(), Error> {
    let refuse = |reason: &str| Error::OutputDir {
        path: out.to_path_buf(),
        reason: reason.to_string(),
    };
    if out.is_file() {
        return Err(refuse("it is a file; give a folder for the outputs"));
    }
    if let (Ok(o), Ok(i)) = (canonical_or_planned(out), input.canonicalize()) {
        if o == i {
            return Err(refuse(
                "it is the portfolio folder itself; write the outputs elsewhere, e.g. -o out",
            ));
        }
        if o.starts_with(i.join("evidence")) {
            return Err(refuse(
                "it is inside the portfolio's evidence/ folder, where outputs would be read as evidence",
            ));
        }
    }
    std::fs::create_dir_all(out).map_err(|source| Error::Write {
        path: out.to_path_buf(),
        source,
    })
}

/// The absolute path `path` has, or will have once created.
fn canonical_or_planned(path: &Path) -> std::io::Result<PathBuf> {
    if let Ok(c) = path.canonicalize() {
        return Ok(c);
    }
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name().unwrap_or_default().to_os_string());
        existing = match existing.parent() {
            Some(p) => p,
            None => return Ok(absolute),
        };
    }
    let mut planned = existing.canonicalize()?;
    for part in rest.iter().rev() {
        planned.push(part);
    }
    Ok(planned)
}

/// Writes `bytes` to `path` atomically (temporary file, fsync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_file(path, bytes, true)
}

/// Writes `bytes` to `path` through a temporary file and a rename, so an
/// interrupted process never leaves half a file. With `sync`, the data is
/// also flushed to disk before the rename, so a power cut cannot leave an
/// empty file either; `batch` skips that per file (thousands of flushes
/// would dominate its time) and flushes its cohort files at the end.
pub fn write_file(path: &Path, bytes: &[u8], sync: bool) -> Result<(), Error> {
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        if sync {
            file.sync_all()?;
        }
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_whole_files_and_leave_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_the_input_folder_its_evidence_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("p");
        std::fs::create_dir_all(input.join("evidence")).unwrap();
        std::fs::write(dir.path().join("file"), "x").unwrap();
        assert!(prepare_out_dir(&input, &input).is_err());
        assert!(prepare_out_dir(&input.join("evidence/out"), &input).is_err());
        assert!(prepare_out_dir(&dir.path().join("file"), &input).is_err());
        assert!(prepare_out_dir(&dir.path().join("out/deeper"), &input).is_ok());
        assert!(dir.path().join("out/deeper").is_dir());
    }
}
