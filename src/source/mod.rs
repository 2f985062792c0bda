//! The file-source boundary: everything the library reads (a portfolio, a
//! criteria folder, a templates folder, the roster) it reads through
//! [`Source`], a folder of files by path relative to its root.
//!
//! The command line hands the core a [`DiskSource`] (a folder on disk, the
//! only place here that touches the file system); tests, a zip
//! ([`crate::archive`]) and the browser hand it a [`MemSource`] (files held
//! in memory). The core never asks the disk itself, so the same rules and
//! the same typesetting run wherever the bytes come from.
//!
//! A source says what an entry is *without following links* ([`Entry`]),
//! so the refusals that depend on links (`symlink-skipped`,
//! `attachment-outside`) are decided here, on relative paths, by
//! [`resolve`]; reading a file ([`Source::open`]) follows links as the
//! operating system does, and is only asked of paths already checked.

mod disk;
mod mem;

pub use disk::DiskSource;
pub use mem::MemSource;

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// What is at a path, links not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A file (or anything else that is not a folder or a link), with its
    /// length in bytes.
    File {
        len: u64,
    },
    Folder,
    /// A symbolic link, with its target where the source knows it.
    Link {
        target: Option<PathBuf>,
    },
    /// Nothing there.
    Missing,
}

/// The kind of a folder's entry, as a listing gives it (no length: a
/// listing does not stat every file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    Link,
}

/// A folder of files, by path relative to its root. Object-safe (the core
/// takes `&dyn Source`) and `Sync` (batch shares sources across threads).
///
/// Paths are relative, `/`- or platform-separated; a path with `..`, a
/// root or a drive prefix names nothing ([`Entry::Missing`], or an error).
pub trait Source: Send + Sync {
    /// What diagnostics call the root: `p.zip`, `sample-portfolio`.
    fn name(&self) -> &Path;

    /// What is at `path` (`""`: the root, which is a folder), links not
    /// followed. `Err` only when the source cannot tell.
    fn entry(&self, path: &Path) -> std::io::Result<Entry>;

    /// The entries of the folder at `dir`, sorted by name, links not
    /// followed. `Err` when `dir` is not a folder or cannot be read.
    fn list(&self, dir: &Path) -> std::io::Result<Vec<(String, Kind)>>;

    /// The bytes of the file at `path`, as a stream (an attachment of
    /// gigabytes is hashed without being held). Links are followed.
    fn open(&self, path: &Path) -> std::io::Result<Box<dyn Read + '_>>;

    /// The whole file at `path`.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.open(path)?.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

/// The whole file at `path` as UTF-8 text (`std::fs::read_to_string`'s
/// error when it is not).
pub fn read_to_string(source: &dyn Source, path: &Path) -> std::io::Result<String> {
    String::from_utf8(source.read(path)?)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
}

/// `path`'s parts when it is relative and stays inside the root as
/// written (no `..`, no root, no drive): `./a//b` → `["a", "b"]`.
pub fn parts(path: &Path) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => out.push(p.to_str()?),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// `path` as the key a file held in memory has: relative, `/`-separated,
/// inside the folder (`None` for a path that leaves it).
pub fn key(path: &Path) -> Option<String> {
    parts(path).map(|p| p.join("/"))
}

/// Where a path inside a source leads once its links are followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Inside the root: the path without links or `.`, and what is there
    /// (a file or a folder).
    Inside(PathBuf, Entry),
    /// A link on the way leads out of the root (`..` past it, an absolute
    /// target, or a target the source does not know).
    Outside,
    /// Nothing there (or a loop of links, or a file used as a folder).
    Missing,
}

/// The most links followed on one path (Linux's own limit).
const MAX_LINKS: usize = 40;

/// Follows `path` inside `source` as `canonicalize` would, one part at a
/// time, without leaving the root: the escape check of attachments. A
/// link's relative target is read from the link's folder; an absolute one
/// is outside (the source cannot tell where its root is).
pub fn resolve(source: &dyn Source, path: &Path) -> Resolved {
    let mut todo: std::collections::VecDeque<String> = std::collections::VecDeque::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => match p.to_str() {
                Some(p) => todo.push_back(p.to_string()),
                None => return Resolved::Missing,
            },
            Component::CurDir => {}
            Component::ParentDir => todo.push_back("..".to_string()),
            Component::RootDir | Component::Prefix(_) => return Resolved::Outside,
        }
    }
    let mut done: Vec<String> = Vec::new();
    let mut last = Entry::Folder;
    let mut links = 0;
    while let Some(part) = todo.pop_front() {
        if part == ".." {
            if done.pop().is_none() {
                return Resolved::Outside;
            }
            last = Entry::Folder;
            continue;
        }
        if matches!(last, Entry::File { .. }) {
            // A file used as a folder.
            return Resolved::Missing;
        }
        done.push(part);
        let here: PathBuf = done.iter().collect();
        match source.entry(&here) {
            Ok(Entry::Link { target: Some(target) }) => {
                links += 1;
                if links > MAX_LINKS {
                    return Resolved::Missing;
                }
                done.pop();
                let mut ahead = Vec::new();
                for c in target.components() {
                    match c {
                        Component::Normal(p) => match p.to_str() {
                            Some(p) => ahead.push(p.to_string()),
                            None => return Resolved::Missing,
                        },
                        Component::CurDir => {}
                        Component::ParentDir => ahead.push("..".to_string()),
                        Component::RootDir | Component::Prefix(_) => return Resolved::Outside,
                    }
                }
                for p in ahead.into_iter().rev() {
                    todo.push_front(p);
                }
                last = Entry::Folder;
            }
            Ok(Entry::Link { target: None }) => return Resolved::Outside,
            Ok(Entry::Missing) | Err(_) => return Resolved::Missing,
            Ok(e) => last = e,
        }
    }
    Resolved::Inside(done.iter().collect(), last)
}

/// One thing a [`walk`] found.
#[derive(Debug)]
pub enum Walked {
    /// A file or a link (links are not followed), relative to the root.
    Entry(PathBuf, Kind),
    /// A folder that could not be listed, and why.
    Unreadable(PathBuf, std::io::Error),
}

/// Everything under the folder `dir` but folders, depth first in name
/// order (`walkdir` sorted by file name, links not followed), down to
/// `max_depth` levels below `dir`.
pub fn walk(source: &dyn Source, dir: &Path, max_depth: usize) -> Vec<Walked> {
    let mut out = Vec::new();
    walk_into(source, dir, 0, max_depth, &mut out);
    out
}

fn walk_into(source: &dyn Source, dir: &Path, depth: usize, max_depth: usize, out: &mut Vec<Walked>) {
    let entries = match source.list(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Walked::Unreadable(dir.to_path_buf(), e));
            return;
        }
    };
    for (name, kind) in entries {
        let path = dir.join(&name);
        match kind {
            Kind::Folder if depth + 1 < max_depth => walk_into(source, &path, depth + 1, max_depth, out),
            Kind::Folder => {}
            kind => out.push(Walked::Entry(path, kind)),
        }
    }
}

#[cfg(test)]
mod tests;
