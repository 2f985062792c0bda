//! Watching the portfolio's files (and the `--criteria` and `--templates`
//! folders, and the `--signers` file) with notify, debounced here: after a change, wait until the
//! files have been quiet for [`DEBOUNCE`] (at most [`MAX_WAIT`]), so that an
//! editor's save storm (temporary file, rename, metadata) makes one rebuild.
//! Reads (inotify's open and close-without-write, which the rebuild itself
//! causes) are not changes.

use super::state::{Inputs, Shared};
use notify::{EventKind, RecursiveMode, Watcher as _};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the files must be quiet before a rebuild starts.
pub const DEBOUNCE: Duration = Duration::from_millis(50);
/// The longest a rebuild waits for a storm to settle.
pub const MAX_WAIT: Duration = Duration::from_millis(400);

/// The running watcher; dropping it stops watching.
pub type Watcher = notify::RecommendedWatcher;

/// Starts watching and a thread that rebuilds on each settled batch of
/// changes; `on_rebuild` hears how long each rebuild took and the errors.
pub fn start(
    inputs: Inputs,
    shared: Arc<Shared>,
    on_rebuild: impl Fn(Duration, usize) + Send + 'static,
) -> Result<Watcher, notify::Error> {
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)?;
    // A zip is watched through its folder (a zip replaced by a rename is a
    // new file, which a watch on the file itself would not see); only
    // events that name it, or the other inputs, count.
    let zip_folder = inputs
        .zipped
        .then(|| inputs.dir.parent().map(Path::to_path_buf))
        .flatten();
    match &zip_folder {
        Some(folder) => watcher.watch(folder, RecursiveMode::NonRecursive)?,
        None => watcher.watch(&inputs.dir, RecursiveMode::Recursive)?,
    }
    for dir in [&inputs.criteria, &inputs.templates].into_iter().flatten() {
        watcher.watch(dir, RecursiveMode::Recursive)?;
    }
    if let Some(file) = &inputs.signers {
        watcher.watch(file, RecursiveMode::NonRecursive)?;
    }
    std::thread::spawn(move || {
        while let Ok(event) = rx.recv() {
            if !matters(&event) {
                continue;
            }
            if let (Some(folder), Ok(e)) = (&zip_folder, &event) {
                let other = |p: &Path| p.parent() == Some(folder.as_path()) && p != inputs.dir;
                if !e.paths.is_empty() && e.paths.iter().all(|p| other(p)) {
                    continue;
                }
            }
            let first = Instant::now();
            loop {
                let left = MAX_WAIT.saturating_sub(first.elapsed());
                match rx.recv_timeout(DEBOUNCE.min(left)) {
                    Ok(_) if !left.is_zero() => continue,
                    _ => break,
                }
            }
            if shared.stopping() {
                break;
            }
            let took = shared.rebuild(&inputs);
            // Not inside the call: `on_rebuild` may look at the snapshot too.
            let errors = shared.snapshot().errors;
            on_rebuild(took, errors);
        }
    });
    Ok(watcher)
}

/// Watches a cohort (`serve COHORT`) with one watcher, whatever its size
/// (inotify gives each account only so many watchers): a settled batch of
/// changes rebuilds the learners whose folders it touched, and every
/// learner when the criteria, templates or roster changed (or the watcher
/// erred). A change in a folder of the cohort that is no learner's yet
/// asks `on_new` whether it is a new learner (a sub-folder that now has a
/// portfolio.toml): if so it is watched and built from then on. A learner
/// whose folder is gone is dropped, and `on_gone` told.
pub fn start_cohort(
    cohort: &Path,
    mut learners: Vec<(Inputs, Arc<Shared>)>,
    on_new: impl Fn(&Path) -> Option<(Inputs, Arc<Shared>)> + Send + 'static,
    on_gone: impl Fn(&Path) + Send + 'static,
    on_rebuild: impl Fn(Duration, usize) + Send + 'static,
) -> Result<Watcher, notify::Error> {
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(cohort, RecursiveMode::Recursive)?;
    if let Some((inputs, _)) = learners.first() {
        for dir in [&inputs.criteria, &inputs.templates].into_iter().flatten() {
            watcher.watch(dir, RecursiveMode::Recursive)?;
        }
        if let Some(file) = &inputs.signers {
            watcher.watch(file, RecursiveMode::NonRecursive)?;
        }
    }
    let cohort = cohort.to_path_buf();
    std::thread::spawn(move || {
        while let Ok(event) = rx.recv() {
            if !matters(&event) {
                continue;
            }
            let mut touched = std::collections::BTreeSet::new();
            let mut all = false;
            // Folders of the cohort that are no learner's (yet), by name.
            let mut unknown = std::collections::BTreeSet::new();
            let mut note = |event: &notify::Result<notify::Event>| match event {
                Ok(e) => {
                    for path in e.paths.iter().filter(|p| !hidden(p)) {
                        match learners.iter().position(|(i, _)| path.starts_with(&i.dir)) {
                            Some(n) => {
                                touched.insert(n);
                            }
                            None if !path.starts_with(&cohort) => all = true,
                            None => {
                                if let Some(first) = path.strip_prefix(&cohort).ok().and_then(|r| r.components().next())
                                {
                                    unknown.insert(cohort.join(first));
                                }
                            }
                        }
                    }
                }
                Err(_) => all = true,
            };
            note(&event);
            let first = Instant::now();
            loop {
                let left = MAX_WAIT.saturating_sub(first.elapsed());
                match rx.recv_timeout(DEBOUNCE.min(left)) {
                    Ok(event) if !left.is_zero() => {
                        if matters(&event) {
                            note(&event);
                        }
                    }
                    _ => break,
                }
            }
            for folder in unknown {
                if let Some(new) = on_new(&folder) {
                    touched.insert(learners.len());
                    learners.push(new);
                }
            }
            let which: Vec<usize> = if all {
                (0..learners.len()).collect()
            } else {
                touched.into_iter().collect()
            };
            let mut gone = Vec::new();
            for n in which {
                let (inputs, shared) = &learners[n];
                if shared.stopping() {
                    return;
                }
                if !inputs.dir.is_dir() {
                    gone.push(n);
                    continue;
                }
                let took = shared.rebuild(inputs);
                let errors = shared.snapshot().errors;
                on_rebuild(took, errors);
            }
            // Highest first, so the other positions stay right.
            for n in gone.into_iter().rev() {
                let (inputs, _) = learners.remove(n);
                on_gone(&inputs.dir);
            }
        }
    });
    Ok(watcher)
}

/// Whether an event is a change worth a rebuild: watcher errors count
/// (something happened); reads and hidden files (editor swap files,
/// `.git`) do not.
fn matters(event: &notify::Result<notify::Event>) -> bool {
    match event {
        Ok(e) => !matches!(e.kind, EventKind::Access(_)) && e.paths.iter().any(|p| !hidden(p)),
        Err(_) => true,
    }
}

fn hidden(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.starts_with('.') || name.ends_with('~') || path.components().any(|c| c.as_os_str() == ".git")
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, ModifyKind};

    #[test]
    fn swap_files_and_git_do_not_count() {
        assert!(hidden(Path::new("/p/evidence/.01.md.swp")));
        assert!(hidden(Path::new("/p/.git/index")));
        assert!(hidden(Path::new("/p/evidence/01.md~")));
        assert!(!hidden(Path::new("/p/evidence/01.md")));
        assert!(!hidden(Path::new("/home/.hidden/p/evidence/01.md")));
    }

    #[test]
    fn reads_are_not_changes() {
        let event = |kind| Ok(notify::Event::new(kind).add_path("/p/evidence/01.md".into()));
        assert!(!matters(&event(EventKind::Access(AccessKind::Any))));
        assert!(matters(&event(EventKind::Modify(ModifyKind::Any))));
    }
}
