//! Files held in memory as a [`Source`]: a zip once unzipped, the
//! browser's files, a test's portfolio. Folders are implied by the paths
//! of the files in them; symbolic links can be added (for tests of the
//! refusals that concern them), never made by a zip.

use super::{Entry, Kind, Source, key};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Files by `/`-separated path relative to the root (`evidence/01.md`).
#[derive(Clone, Default)]
pub struct MemSource {
    name: PathBuf,
    files: BTreeMap<String, Vec<u8>>,
    links: BTreeMap<String, PathBuf>,
}

impl std::fmt::Debug for MemSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemSource")
            .field("name", &self.name)
            .field(
                "files",
                &self.files.iter().map(|(p, b)| (p, b.len())).collect::<Vec<_>>(),
            )
            .field("links", &self.links)
            .finish()
    }
}

fn not_found(path: &Path) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::NotFound,
        format!("there is no {} in the portfolio", path.display()),
    )
}

impl MemSource {
    /// No files yet; `name` is what diagnostics call the root (`p.zip`).
    pub fn new(name: impl Into<PathBuf>) -> MemSource {
        MemSource {
            name: name.into(),
            ..MemSource::default()
        }
    }

    /// The files given as (path, bytes); a path that leaves the root
    /// (`..`, absolute) is left out.
    pub fn from_files<P: AsRef<Path>>(
        name: impl Into<PathBuf>,
        files: impl IntoIterator<Item = (P, Vec<u8>)>,
    ) -> MemSource {
        let mut source = MemSource::new(name);
        for (path, bytes) in files {
            source.insert(path.as_ref(), bytes);
        }
        source
    }

    /// Adds (or replaces) the file at `path`; false when `path` leaves the
    /// root or names the root.
    pub fn insert(&mut self, path: &Path, bytes: Vec<u8>) -> bool {
        match key(path).filter(|k| !k.is_empty()) {
            Some(k) => {
                self.links.remove(&k);
                self.files.insert(k, bytes);
                true
            }
            None => false,
        }
    }

    /// Adds a symbolic link at `path` to `target` (as `ln -s target path`).
    pub fn insert_link(&mut self, path: &Path, target: impl Into<PathBuf>) -> bool {
        match key(path).filter(|k| !k.is_empty()) {
            Some(k) => {
                self.files.remove(&k);
                self.links.insert(k, target.into());
                true
            }
            None => false,
        }
    }

    /// Every file, by path.
    pub fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.files
    }

    /// Whether anything (a file or a link) lies under the folder `k`.
    fn is_folder(&self, k: &str) -> bool {
        if k.is_empty() {
            return true;
        }
        let prefix = format!("{k}/");
        let under = |next: Option<&String>| next.is_some_and(|p| p.starts_with(&prefix));
        under(self.files.range(prefix.clone()..).next().map(|(p, _)| p))
            || under(self.links.range(prefix.clone()..).next().map(|(p, _)| p))
    }

    /// The bytes of the file `path` leads to, links followed inside.
    fn bytes(&self, path: &Path) -> std::io::Result<&[u8]> {
        let direct = key(path).and_then(|k| self.files.get(&k));
        if let Some(bytes) = direct {
            return Ok(bytes);
        }
        match super::resolve(self, path) {
            super::Resolved::Inside(real, Entry::File { .. }) => key(&real)
                .and_then(|k| self.files.get(&k))
                .map(Vec::as_slice)
                .ok_or_else(|| not_found(path)),
            super::Resolved::Inside(..) => Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                format!("{} is a folder", path.display()),
            )),
            _ => Err(not_found(path)),
        }
    }
}

impl Source for MemSource {
    fn name(&self) -> &Path {
        &self.name
    }

    fn entry(&self, path: &Path) -> std::io::Result<Entry> {
        let Some(k) = key(path) else {
            return Ok(Entry::Missing);
        };
        Ok(if let Some(bytes) = self.files.get(&k) {
            Entry::File {
                len: bytes.len() as u64,
            }
        } else if let Some(target) = self.links.get(&k) {
            Entry::Link {
                target: Some(target.clone()),
            }
        } else if self.is_folder(&k) {
            Entry::Folder
        } else {
            Entry::Missing
        })
    }

    fn list(&self, dir: &Path) -> std::io::Result<Vec<(String, Kind)>> {
        let k = key(dir).ok_or_else(|| not_found(dir))?;
        if self.files.contains_key(&k) || self.links.contains_key(&k) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                format!("{} is not a folder", dir.display()),
            ));
        }
        if !self.is_folder(&k) {
            return Err(not_found(dir));
        }
        let prefix = if k.is_empty() { String::new() } else { format!("{k}/") };
        let mut out: BTreeMap<String, Kind> = BTreeMap::new();
        let files = self.files.range(prefix.clone()..).map(|(p, _)| (p, Kind::File));
        let links = self.links.range(prefix.clone()..).map(|(p, _)| (p, Kind::Link));
        for (p, leaf) in files
            .take_while(|(p, _)| p.starts_with(&prefix))
            .chain(links.take_while(|(p, _)| p.starts_with(&prefix)))
        {
            let rest = &p[prefix.len()..];
            let (name, kind) = match rest.split_once('/') {
                Some((folder, _)) => (folder, Kind::Folder),
                None => (rest, leaf),
            };
            // A file and a folder of one name: the file is what is there.
            let slot = out.entry(name.to_string()).or_insert(kind);
            if kind != Kind::Folder {
                *slot = kind;
            }
        }
        Ok(out.into_iter().collect())
    }

    fn open(&self, path: &Path) -> std::io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(self.bytes(path)?))
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.bytes(path).map(<[u8]>::to_vec)
    }
}
