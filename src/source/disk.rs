//! A folder on disk as a [`Source`]: the one place the library reads the
//! file system. The command line, `serve` and `batch` make one per folder
//! they are given; the WebAssembly build never does (there `std::fs`
//! answers every call with an error).

use super::{Entry, Kind, Source};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The folder at `root`, read where it is.
#[derive(Debug, Clone)]
pub struct DiskSource {
    root: PathBuf,
}

impl DiskSource {
    pub fn new(root: impl Into<PathBuf>) -> DiskSource {
        DiskSource { root: root.into() }
    }

    /// A single file anywhere on disk, read whole (the roster, a key):
    /// for the native front ends, which own the disk.
    pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn full(&self, path: &Path) -> std::io::Result<PathBuf> {
        if super::parts(path).is_none() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{} is not a path inside the folder", path.display()),
            ));
        }
        Ok(self.root.join(path))
    }
}

impl Source for DiskSource {
    fn name(&self) -> &Path {
        &self.root
    }

    fn entry(&self, path: &Path) -> std::io::Result<Entry> {
        let full = self.full(path)?;
        // The root itself may be a link to the folder: that is followed.
        let meta = if path.as_os_str().is_empty() {
            std::fs::metadata(&full)
        } else {
            std::fs::symlink_metadata(&full)
        };
        let meta = match meta {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Entry::Missing),
            Err(e) => return Err(e),
        };
        let kind = meta.file_type();
        Ok(if kind.is_symlink() {
            Entry::Link {
                target: std::fs::read_link(&full).ok(),
            }
        } else if kind.is_dir() {
            Entry::Folder
        } else {
            Entry::File { len: meta.len() }
        })
    }

    fn list(&self, dir: &Path) -> std::io::Result<Vec<(String, Kind)>> {
        let mut out: Vec<(String, Kind)> = std::fs::read_dir(self.full(dir)?)?
            .filter_map(Result::ok)
            .map(|e| {
                // What cannot be told is read as a file, and fails there
                // with its own message.
                let kind = match e.file_type() {
                    Ok(t) if t.is_symlink() => Kind::Link,
                    Ok(t) if t.is_dir() => Kind::Folder,
                    _ => Kind::File,
                };
                (e.file_name().to_string_lossy().into_owned(), kind)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    fn open(&self, path: &Path) -> std::io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(std::fs::File::open(self.full(path)?)?))
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.full(path)?)
    }
}
