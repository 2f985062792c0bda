//! A zip of a portfolio folder: how a portfolio travels between learner,
//! assessor and EQA without accounts. Owns reading a zip safely — which
//! entries are the portfolio's files (`portfolio.toml` at the top, or in
//! the single top folder a file manager's "compress" makes), and refusing
//! what could harm the reader: a zip bomb, absolute or `..` paths,
//! symbolic links, duplicate names, encrypted or unknown entries. It never
//! touches the disk: the caller hands it a reader (a file on the command
//! line, bytes in the browser) and takes the portfolio as a
//! [`crate::source::MemSource`] ([`PortfolioZip::into_source`]), which the
//! pipeline reads as it reads a folder.
//!
//! The whole central directory is checked before any entry is
//! decompressed, and each entry is decompressed with a cap: an entry that
//! inflates past the size its header declares is refused, so a lying
//! header cannot exhaust memory. Limits are in `docs/limits.md`.

use std::collections::BTreeMap;
use std::io::{Read, Seek, Write};

/// How much a zip may hold. The defaults are far above any real portfolio
/// (a unit's evidence with phone photos is tens of megabytes).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Entries (files and folders) in the zip.
    pub entries: usize,
    /// Bytes of one file once decompressed.
    pub file_bytes: u64,
    /// Bytes of all files once decompressed.
    pub total_bytes: u64,
    /// How many times larger than its compressed size a file may become,
    /// for files above [`Limits::RATIO_FLOOR`] bytes (text compresses
    /// about 3–10×, photos not at all; a bomb by thousands).
    pub ratio: u64,
}

impl Limits {
    /// Below this size a file's compression ratio is not judged.
    pub const RATIO_FLOOR: u64 = 1 << 20;
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            entries: 50_000,
            file_bytes: 512 * 1024 * 1024,
            total_bytes: 2 * 1024 * 1024 * 1024,
            ratio: 200,
        }
    }
}

/// Why a zip cannot be read as a portfolio. Each message says what is
/// wrong with the zip and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ZipError {
    #[error("it is not a zip file, or it is damaged ({0}); make the zip again from the portfolio folder")]
    NotZip(String),
    #[error("the zip could not be written ({0})")]
    Write(String),
    #[error("it has {count} entries; a portfolio zip may have at most {limit}. Zip only the portfolio folder")]
    TooManyEntries { count: usize, limit: usize },
    #[error("the entry `{name}` {reason}, so the zip was not read; make the zip again from the portfolio folder")]
    BadName { name: String, reason: &'static str },
    #[error(
        "`{name}` is a symbolic link; a portfolio zip holds files only (links could point at anything on the reader's machine)"
    )]
    Link { name: String },
    #[error(
        "`{name}` appears twice{case}; a zip with two entries of one name is refused, since which one is read would depend on the tool"
    )]
    Duplicate { name: String, case: &'static str },
    #[error("`{name}` is encrypted; zip the portfolio without a password")]
    Encrypted { name: String },
    #[error(
        "`{name}` is compressed with a method this tool cannot read ({method}); zip it again with the standard (deflate) compression"
    )]
    Method { name: String, method: String },
    #[error(
        "`{name}` would be {size} bytes once unzipped, more than the {limit} bytes one file of a portfolio zip may be"
    )]
    FileTooLarge { name: String, size: u64, limit: u64 },
    #[error("the files would be {size} bytes once unzipped, more than the {limit} bytes a portfolio zip may hold")]
    TotalTooLarge { size: u64, limit: u64 },
    #[error(
        "`{name}` would grow {ratio} times its size when unzipped (more than {limit}×): this looks like a zip bomb and was not unzipped"
    )]
    Bomb { name: String, ratio: u64, limit: u64 },
    #[error(
        "`{name}` unzips to more bytes than its header says; the zip is damaged or made to mislead, and was not read"
    )]
    Lies { name: String },
    #[error(
        "there is no portfolio.toml at the top of the zip or in its single top folder; zip the portfolio folder itself (the one with portfolio.toml)"
    )]
    NoPortfolio,
    #[error("cannot read `{name}` from the zip: {message}")]
    Read { name: String, message: String },
}

/// One file of the portfolio inside the zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its path relative to the portfolio folder, `/`-separated
    /// (`evidence/01-obs.md`).
    pub path: String,
    /// Its size once unzipped, as the zip declares it (enforced on reading).
    pub size: u64,
    index: usize,
}

/// A zip checked to be a portfolio: its files, ready to be read.
pub struct PortfolioZip<R: Read + Seek> {
    archive: zip::ZipArchive<R>,
    entries: Vec<Entry>,
}

impl<R: Read + Seek> std::fmt::Debug for PortfolioZip<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortfolioZip").field("entries", &self.entries).finish()
    }
}

/// Files a file manager adds that are no part of the portfolio.
fn is_clutter(path: &str) -> bool {
    path.starts_with("__MACOSX/")
        || path
            .split('/')
            .any(|p| p == ".DS_Store" || p == "Thumbs.db" || p == "desktop.ini")
}

/// `name` as a relative `/`-separated path, or why it is not one.
fn clean_name(name: &str) -> Result<String, &'static str> {
    if name.contains('\0') {
        return Err("has a NUL character in its name");
    }
    // Some Windows tools write `\`; both are separators here.
    let name = name.replace('\\', "/");
    if name.starts_with('/') {
        return Err("is an absolute path (it starts with /)");
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return Err("is an absolute Windows path (it starts with a drive letter)");
    }
    let mut parts = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err("climbs out of the folder (it has a `..` step)"),
            p => parts.push(p),
        }
    }
    if name.len() > 1024 || parts.len() > 64 {
        return Err("is too long or too deeply nested");
    }
    Ok(parts.join("/"))
}

impl<R: Read + Seek> PortfolioZip<R> {
    /// Opens `reader` as a zip and checks every entry's name, kind and
    /// declared size against `limits`, without decompressing anything.
    pub fn open(reader: R, limits: &Limits) -> Result<PortfolioZip<R>, ZipError> {
        let mut archive = zip::ZipArchive::new(reader).map_err(|e| ZipError::NotZip(e.to_string()))?;
        if archive.len() > limits.entries {
            return Err(ZipError::TooManyEntries {
                count: archive.len(),
                limit: limits.entries,
            });
        }
        let mut files: Vec<Entry> = Vec::new();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut total: u64 = 0;
        for index in 0..archive.len() {
            let file = archive
                .by_index_raw(index)
                .map_err(|e| ZipError::NotZip(e.to_string()))?;
            let raw = String::from_utf8_lossy(file.name_raw()).into_owned();
            let path = clean_name(&raw).map_err(|reason| ZipError::BadName {
                name: raw.clone(),
                reason,
            })?;
            if file.is_symlink() {
                return Err(ZipError::Link { name: raw });
            }
            if file.encrypted() {
                return Err(ZipError::Encrypted { name: raw });
            }
            if path.is_empty() || file.is_dir() || is_clutter(&path) {
                continue;
            }
            match seen.insert(path.to_lowercase(), path.clone()) {
                Some(other) if other == path => {
                    return Err(ZipError::Duplicate { name: raw, case: "" });
                }
                Some(_) => {
                    return Err(ZipError::Duplicate {
                        name: raw,
                        case: " (in another case; Windows and macOS would see one file)",
                    });
                }
                None => {}
            }
            let method = file.compression();
            if !matches!(
                method,
                zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
            ) {
                return Err(ZipError::Method {
                    name: raw,
                    method: format!("{method:?}"),
                });
            }
            let size = file.size();
            if size > limits.file_bytes {
                return Err(ZipError::FileTooLarge {
                    name: raw,
                    size,
                    limit: limits.file_bytes,
                });
            }
            let packed = file.compressed_size().max(1);
            if size > Limits::RATIO_FLOOR && size / packed > limits.ratio {
                return Err(ZipError::Bomb {
                    name: raw,
                    ratio: size / packed,
                    limit: limits.ratio,
                });
            }
            total = total.saturating_add(size);
            if total > limits.total_bytes {
                return Err(ZipError::TotalTooLarge {
                    size: total,
                    limit: limits.total_bytes,
                });
            }
            files.push(Entry { path, size, index });
        }
        let entries = portfolio_files(files)?;
        Ok(PortfolioZip { archive, entries })
    }

    /// The portfolio's files, in path order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Unzips the `n`th entry into `out`, refusing it if it inflates past
    /// its declared size. Returns the bytes written.
    pub fn copy(&mut self, n: usize, out: &mut dyn Write) -> Result<u64, ZipError> {
        let Some(entry) = self.entries.get(n).cloned() else {
            return Err(ZipError::Read {
                name: format!("entry {n}"),
                message: "there is no such entry".into(),
            });
        };
        let read_err = |e: &dyn std::fmt::Display| ZipError::Read {
            name: entry.path.clone(),
            message: e.to_string(),
        };
        let file = self.archive.by_index(entry.index).map_err(|e| read_err(&e))?;
        // One byte more than declared tells a lying header.
        let mut capped = file.take(entry.size.saturating_add(1));
        let written = std::io::copy(&mut capped, out).map_err(|e| read_err(&e))?;
        if written > entry.size {
            return Err(ZipError::Lies { name: entry.path });
        }
        Ok(written)
    }

    /// The portfolio in memory, named `name` in diagnostics (`p.zip`):
    /// what `check p.zip` and `build p.zip` read, and what the browser
    /// holds. Every entry is unzipped (each capped at its declared size)
    /// before any is used.
    pub fn into_source(self, name: impl Into<std::path::PathBuf>) -> Result<crate::source::MemSource, ZipError> {
        let files = self.into_files()?;
        Ok(crate::source::MemSource::from_files(
            name,
            files
                .into_iter()
                .map(|(path, bytes)| (std::path::PathBuf::from(path), bytes)),
        ))
    }

    /// Every file in memory, by path.
    pub fn into_files(mut self) -> Result<BTreeMap<String, Vec<u8>>, ZipError> {
        let mut files = BTreeMap::new();
        for n in 0..self.entries.len() {
            let mut bytes = Vec::with_capacity(usize::try_from(self.entries[n].size.min(1 << 24)).unwrap_or(0));
            self.copy(n, &mut bytes)?;
            files.insert(self.entries[n].path.clone(), bytes);
        }
        Ok(files)
    }
}

/// The entries under the portfolio folder, with paths relative to it:
/// `portfolio.toml` at the top, or the one top folder that has it.
fn portfolio_files(files: Vec<Entry>) -> Result<Vec<Entry>, ZipError> {
    if files.iter().any(|e| e.path == "portfolio.toml") {
        let mut files = files;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        return Ok(files);
    }
    let tops: std::collections::BTreeSet<&str> = files.iter().map(|e| e.path.split('/').next().unwrap_or("")).collect();
    let [top] = tops.into_iter().collect::<Vec<_>>()[..] else {
        return Err(ZipError::NoPortfolio);
    };
    let prefix = format!("{top}/");
    if !files.iter().any(|e| e.path == format!("{prefix}portfolio.toml")) {
        return Err(ZipError::NoPortfolio);
    }
    let mut inner: Vec<Entry> = files
        .into_iter()
        .filter_map(|mut e| {
            let rest = e.path.strip_prefix(&prefix)?.to_string();
            e.path = rest;
            Some(e)
        })
        .collect();
    inner.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use zip::write::SimpleFileOptions;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in files {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn open(bytes: Vec<u8>) -> Result<PortfolioZip<Cursor<Vec<u8>>>, ZipError> {
        PortfolioZip::open(Cursor::new(bytes), &Limits::default())
    }

    #[test]
    fn a_zip_of_the_folder_or_of_its_contents_gives_the_same_files() {
        let inside = open(zip_of(&[
            ("amira/portfolio.toml", b"x"),
            ("amira/evidence/01.md", b"y"),
            ("__MACOSX/amira/._01.md", b"z"),
        ]))
        .unwrap();
        let flat = open(zip_of(&[("evidence/01.md", b"y"), ("portfolio.toml", b"x")])).unwrap();
        assert_eq!(inside.into_files().unwrap(), flat.into_files().unwrap());
    }

    #[test]
    fn a_zip_becomes_a_source_named_after_it() {
        use crate::source::{Entry, Kind, Source};
        let zip = open(zip_of(&[
            ("amira/portfolio.toml", b"x"),
            ("amira/evidence/01.md", b"yy"),
        ]))
        .unwrap();
        let files = zip.into_source("p.zip").unwrap();
        assert_eq!(files.name(), std::path::Path::new("p.zip"));
        assert_eq!(
            files.list(std::path::Path::new("")).unwrap(),
            vec![
                ("evidence".to_string(), Kind::Folder),
                ("portfolio.toml".to_string(), Kind::File)
            ]
        );
        assert_eq!(
            files.entry(std::path::Path::new("evidence/01.md")).unwrap(),
            Entry::File { len: 2 }
        );
    }

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        for bad in ["/etc/passwd", "../x.md", "a/../../x.md", "C:/x.md", "a\\..\\..\\x.md"] {
            let err = open(zip_of(&[("portfolio.toml", b"x"), (bad, b"y")])).unwrap_err();
            assert!(matches!(err, ZipError::BadName { .. }), "{bad}: {err}");
        }
    }

    #[test]
    fn duplicates_in_any_case_are_refused() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for name in ["portfolio.toml", "evidence/A.md", "evidence/a.md"] {
            w.start_file(name, SimpleFileOptions::default()).unwrap();
        }
        let err = open(w.finish().unwrap().into_inner()).unwrap_err();
        assert!(matches!(err, ZipError::Duplicate { .. }), "{err}");
    }

    #[test]
    fn links_are_refused() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("portfolio.toml", SimpleFileOptions::default()).unwrap();
        w.add_symlink("evidence", "/home/other/evidence", SimpleFileOptions::default())
            .unwrap();
        let err = open(w.finish().unwrap().into_inner()).unwrap_err();
        assert!(matches!(err, ZipError::Link { .. }), "{err}");
    }

    #[test]
    fn a_bomb_is_refused_before_anything_is_unzipped() {
        let zeros = vec![0u8; 64 << 20];
        let err = open(zip_of(&[("portfolio.toml", b"x"), ("attachments/z.bin", &zeros)])).unwrap_err();
        assert!(matches!(err, ZipError::Bomb { .. }), "{err}");
    }

    #[test]
    fn a_zip_without_a_portfolio_says_what_to_zip() {
        let err = open(zip_of(&[("a/portfolio.toml", b"x"), ("b/x.md", b"y")])).unwrap_err();
        assert!(matches!(err, ZipError::NoPortfolio), "{err}");
        let err = open(b"not a zip".to_vec()).unwrap_err();
        assert!(matches!(err, ZipError::NotZip(_)), "{err}");
    }

    #[test]
    fn limits_on_size_and_count_hold() {
        let limits = Limits {
            entries: 2,
            ..Limits::default()
        };
        let bytes = zip_of(&[("portfolio.toml", b"x"), ("a.md", b"y"), ("b.md", b"z")]);
        let err = PortfolioZip::open(Cursor::new(bytes), &limits).unwrap_err();
        assert!(matches!(err, ZipError::TooManyEntries { .. }), "{err}");
        let limits = Limits {
            file_bytes: 3,
            ..Limits::default()
        };
        let bytes = zip_of(&[("portfolio.toml", b"x"), ("a.md", b"four")]);
        let err = PortfolioZip::open(Cursor::new(bytes), &limits).unwrap_err();
        assert!(matches!(err, ZipError::FileTooLarge { .. }), "{err}");
    }
}

/// Writes `files` (paths relative to the portfolio folder) as a zip whose
/// one top folder is `top`, as a file manager's "compress" makes it, so
/// that [`PortfolioZip::open`] and `portfolio check p.zip` read it back.
/// Deterministic, as [`write_entries`].
pub fn write_zip(files: &BTreeMap<String, Vec<u8>>, top: &str) -> Result<Vec<u8>, ZipError> {
    write_entries(
        files
            .iter()
            .map(|(path, bytes)| (format!("{top}/{path}"), bytes.as_slice())),
    )
}

/// Writes a zip of `entries` (name, bytes) in the order given: every date
/// 1980-01-01, the same permissions and compression for all, so the same
/// entries give the same bytes on every machine and in the browser. The
/// one zip writer: a portfolio's export ([`write_zip`]) and the EQA's pack.
pub fn write_entries<'a>(entries: impl IntoIterator<Item = (String, &'a [u8])>) -> Result<Vec<u8>, ZipError> {
    use zip::write::SimpleFileOptions;
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        .large_file(false);
    let write_err = |e: &dyn std::fmt::Display| ZipError::Write(e.to_string());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(name, options).map_err(|e| write_err(&e))?;
        zip.write_all(bytes).map_err(|e| write_err(&e))?;
    }
    let out = zip.finish().map_err(|e| write_err(&e))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod write_tests {
    use super::*;

    fn sample() -> BTreeMap<String, Vec<u8>> {
        BTreeMap::from([
            ("portfolio.toml".to_string(), b"[learner]\nname = \"A\"\n".to_vec()),
            (
                "evidence/01-obs.md".to_string(),
                b"+++\ntitle = \"Obs\"\n+++\ntext\n".to_vec(),
            ),
            ("attachments/p.jpg".to_string(), vec![0xff, 0xd8, 0xff, 0, 1, 2]),
        ])
    }

    #[test]
    fn a_written_zip_reads_back_as_the_same_files() {
        let files = sample();
        let bytes = write_zip(&files, "my-portfolio").unwrap();
        let zip = PortfolioZip::open(std::io::Cursor::new(bytes), &Limits::default()).unwrap();
        assert_eq!(zip.into_files().unwrap(), files);
    }

    #[test]
    fn the_same_files_give_the_same_bytes() {
        let a = write_zip(&sample(), "p").unwrap();
        let b = write_zip(&sample(), "p").unwrap();
        assert_eq!(a, b);
        let mut other = sample();
        other.insert("reflection.md".into(), b"x".to_vec());
        assert_ne!(write_zip(&other, "p").unwrap(), a);
    }
}
