//! One output folder, one build at a time, its outputs replaced as one set.
//!
//! [`lock`] takes an exclusive lock on the output folder itself (`flock` on
//! the open folder, `std::fs::File::lock`), so a second `build` into the
//! same `-o` waits, saying so, until the first is done; the lock goes with
//! the process, so a killed build never leaves it held.
//!
//! [`replace`] writes the new outputs into a fresh hidden sibling folder
//! (`.OUT.portfolio-new.PID`), moves into it what the folder holds that the
//! build does not own (a user's own files are kept), then swaps it for the
//! old folder with two renames and removes the old one. A reader, or a
//! crash, sees the previous set or the new one, never half of each (for a
//! moment between the renames the folder is absent). What a killed build
//! leaves behind (those hidden folders, and `.NAME.PID.tmp` files) is
//! cleaned by the next build into the same folder, its files recovered.
//! Where the folder cannot be renamed (the working directory, a mount
//! point, a parent that cannot be written), each file is replaced on its
//! own, still under the lock.

use crate::error::Error;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Every file name a build or batch writes in a learner's output folder;
/// anything else there is the user's and is kept.
pub const OWNED: [&str; 5] = [
    "portfolio.html",
    "portfolio.pdf",
    "coverage.json",
    "follow-ups.ics",
    NOT_BUILT,
];

/// What `batch` leaves in place of the outputs of a learner it could not
/// build, so that an older portfolio is not taken for the current one.
pub const NOT_BUILT: &str = "NOT-BUILT.txt";

/// How many times [`lock`] follows a folder that was swapped while it
/// waited (each time another build finished) before giving up.
const MAX_FOLLOWS: usize = 1000;

/// An exclusive lock on an output folder, released when dropped.
#[derive(Debug)]
pub struct OutLock {
    _file: Option<File>,
    /// The folder's real path (links resolved).
    pub path: PathBuf,
}

/// Locks the existing folder `out`, waiting (with a message on stderr)
/// while another build holds it.
pub fn lock(out: &Path) -> Result<OutLock, Error> {
    let err = |source| Error::Write {
        path: out.to_path_buf(),
        source,
    };
    let mut said = false;
    for _ in 0..MAX_FOLLOWS {
        std::fs::create_dir_all(out).map_err(err)?;
        let real = out.canonicalize().map_err(err)?;
        let file = match File::open(&real) {
            Ok(f) => f,
            // Swapped away between the two calls: look again.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            // A platform where a folder cannot be opened: no lock.
            Err(_) => {
                return Ok(OutLock {
                    _file: None,
                    path: real,
                });
            }
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                if !said {
                    eprintln!(
                        "Waiting for another portfolio build writing into {} to finish…",
                        out.display()
                    );
                    said = true;
                }
                file.lock().map_err(err)?;
            }
            Err(std::fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                return Ok(OutLock {
                    _file: None,
                    path: real,
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(err(e)),
        }
        // The build we waited for may have swapped a new folder in: the
        // lock counts only if it is on the folder now at that path.
        if same_folder(&file, &real) {
            return Ok(OutLock {
                _file: Some(file),
                path: real,
            });
        }
    }
    Err(Error::OutputDir {
        path: out.to_path_buf(),
        reason: "other builds kept replacing it; try again".to_string(),
    })
}

#[cfg(unix)]
fn same_folder(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_folder(_file: &File, path: &Path) -> bool {
    path.is_dir()
}

/// `.NAME.PID.tmp`, the temporary name [`super::write::write_file`] gives.
pub fn is_write_temp(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    match inner.rsplit_once('.') {
        Some((base, pid)) => !base.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

/// Removes the `.NAME.PID.tmp` files a killed process left in `dir`. Call
/// it only while holding the folder's lock, so that none is being written.
pub fn clean_write_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        if is_write_temp(&name.to_string_lossy()) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The hidden sibling folders a build of `out` works in.
fn sibling(out: &Path, kind: &str) -> Option<PathBuf> {
    let name = out.file_name()?.to_string_lossy();
    Some(
        out.parent()?
            .join(format!(".{name}.portfolio-{kind}.{}", std::process::id())),
    )
}

/// Whether `name` is one of the hidden folders a build of a folder named
/// `folder` works in (any process's).
fn is_work_folder(name: &str, folder: &str) -> bool {
    ["new", "old"].iter().any(|kind| {
        name.strip_prefix(&format!(".{folder}.portfolio-{kind}."))
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Removes the work folders a killed build of `out` left beside it, first
/// moving back into `out` any file of the user's that it held.
fn clean_stale(out: &Path) {
    let (Some(parent), Some(folder)) = (out.parent(), out.file_name()) else {
        return;
    };
    let folder = folder.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.filter_map(Result::ok) {
        if !is_work_folder(&entry.file_name().to_string_lossy(), &folder)
            || !entry.file_type().is_ok_and(|t| t.is_dir())
        {
            continue;
        }
        recover_into(&entry.path(), out);
        let _ = std::fs::remove_dir_all(entry.path());
    }
}

/// Removes the work folders killed builds left in `dir` (for any output
/// folder in it), first moving the user's files back into their folder.
/// `batch` calls it on its output folder, holding that folder's lock.
pub fn clean_work_folders(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(folder) = work_folder_of(&name) else { continue };
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            let out = dir.join(folder);
            if out.is_dir() {
                recover_into(&entry.path(), &out);
            }
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The output folder a work folder's name is for.
fn work_folder_of(name: &str) -> Option<&str> {
    let (rest, pid) = name.strip_prefix('.')?.rsplit_once('.')?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let folder = rest
        .strip_suffix(".portfolio-new")
        .or_else(|| rest.strip_suffix(".portfolio-old"))?;
    (!folder.is_empty()).then_some(folder)
}

/// Moves what `from` holds that a build does not own into `to`, where `to`
/// has nothing of that name.
fn recover_into(from: &Path, to: &Path) {
    let Ok(entries) = std::fs::read_dir(from) else { return };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if OWNED.contains(&text.as_ref()) || is_write_temp(&text) || to.join(&name).exists() {
            continue;
        }
        let _ = std::fs::rename(entry.path(), to.join(&name));
    }
}

/// Replaces the outputs in the locked folder with `files` as one set.
/// `drop` names the owned files that must not outlive this build (those of
/// the formats asked for that it does not write, such as a previous
/// `follow-ups.ics`). Owned files neither written nor dropped are left
/// alone, as are the user's own. Returns the paths written.
pub fn replace(lock: &OutLock, files: &[(&str, Vec<u8>)], drop: &[&str], sync: bool) -> Result<Vec<PathBuf>, Error> {
    let out = lock.path.as_path();
    clean_stale(out);
    let swappable = out.parent().is_some()
        && std::env::current_dir()
            .and_then(|d| d.canonicalize())
            .is_ok_and(|cwd| !cwd.starts_with(out));
    if swappable
        && let (Some(new), Some(old)) = (sibling(out, "new"), sibling(out, "old"))
        && swap_in(out, &new, &old, files, drop, sync).is_ok()
    {
        return Ok(files.iter().map(|(name, _)| out.join(name)).collect());
    }
    // One file at a time, still under the lock.
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = out.join(name);
        super::write::write_file(&path, bytes, sync)?;
        written.push(path);
    }
    for name in drop.iter().filter(|d| !files.iter().any(|(n, _)| n == *d)) {
        let _ = std::fs::remove_file(out.join(name));
    }
    clean_write_temps(out);
    Ok(written)
}

/// The new set in `new`, the user's files carried over, then two renames.
/// On failure, everything is put back as it was and `new` removed.
fn swap_in(
    out: &Path,
    new: &Path,
    old: &Path,
    files: &[(&str, Vec<u8>)],
    drop: &[&str],
    sync: bool,
) -> std::io::Result<()> {
    let _ = std::fs::remove_dir_all(new);
    std::fs::create_dir(new)?;
    let result = (|| {
        for (name, bytes) in files {
            let mut file = File::create(new.join(name))?;
            file.write_all(bytes)?;
            if sync {
                file.sync_all()?;
            }
        }
        // What the folder holds and this build does not replace or drop.
        for entry in std::fs::read_dir(out)?.filter_map(Result::ok) {
            let name = entry.file_name();
            let text = name.to_string_lossy();
            let replaced = files.iter().any(|(n, _)| *n == text) || drop.contains(&text.as_ref());
            if !replaced && !is_write_temp(&text) {
                std::fs::rename(entry.path(), new.join(&name))?;
            }
        }
        if sync {
            File::open(new)?.sync_all()?;
        }
        std::fs::rename(out, old)?;
        if let Err(e) = std::fs::rename(new, out) {
            let _ = std::fs::rename(old, out);
            return Err(e);
        }
        Ok(())
    })();
    match result {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(old);
            Ok(())
        }
        Err(e) => {
            recover_into(new, out);
            let _ = std::fs::remove_dir_all(new);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised() {
        assert!(is_write_temp(".portfolio.html.1234.tmp"));
        assert!(is_write_temp(".cohort.json.7.tmp"));
        assert!(!is_write_temp("portfolio.html"));
        assert!(!is_write_temp(".notes.tmp"));
        assert!(!is_write_temp("..1.tmp"));
        assert!(is_work_folder(".out.portfolio-new.42", "out"));
        assert!(!is_work_folder(".out.portfolio-new.42", "other"));
        assert!(!is_work_folder(".out.portfolio-new.", "out"));
        assert_eq!(work_folder_of(".a.b.portfolio-old.12"), Some("a.b"));
        assert_eq!(work_folder_of(".portfolio.html.12.tmp"), None);
        assert_eq!(work_folder_of("..portfolio-new.12"), None);
    }

    #[test]
    fn a_replace_keeps_the_users_files_and_drops_stale_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("mine")).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        std::fs::write(out.join("follow-ups.ics"), "old").unwrap();
        std::fs::write(out.join("portfolio.pdf"), "old pdf").unwrap();
        std::fs::write(out.join(".portfolio.html.99999.tmp"), "half").unwrap();
        // A killed build's work folder, holding a file of the user's.
        let stale = dir.path().join(".out.portfolio-new.77777");
        std::fs::create_dir_all(&stale).unwrap();
        std::fs::write(stale.join("portfolio.html"), "half").unwrap();
        std::fs::write(stale.join("kept.txt"), "kept").unwrap();
        let lock = lock(&out).unwrap();
        let written = replace(
            &lock,
            &[("portfolio.html", b"new".to_vec())],
            &["follow-ups.ics"],
            false,
        )
        .unwrap();
        drop(lock);
        assert_eq!(written, vec![out.canonicalize().unwrap().join("portfolio.html")]);
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["kept.txt", "mine", "notes.txt", "portfolio.html", "portfolio.pdf"]
        );
        assert_eq!(std::fs::read(out.join("portfolio.html")).unwrap(), b"new");
        assert_eq!(std::fs::read(out.join("portfolio.pdf")).unwrap(), b"old pdf");
        let siblings: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(siblings.len(), 1, "work folders left: {siblings:?}");
    }
}
