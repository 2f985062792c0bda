//! What the walk of `evidence/` does with each file name: an item (`.md`,
//! `.markdown`, any case), a lock file or backup skipped with a note, system
//! clutter skipped silently, or anything else, which is named in a
//! `file-skipped` warning with what to do (unless an item lists it as an
//! attachment). Nothing a learner put there is ignored without a word.

use crate::diagnostic::{Location, Problem, Rule};
use std::path::{Path, PathBuf};

/// What a file under `evidence/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An evidence item: read.
    Item,
    /// A Word lock file (`~$name.md`): skipped with a note.
    WordLock,
    /// An editor's backup or lock (`name~`, `.#name`, `.name.swp`): skipped with a note.
    Backup,
    /// System clutter (`.DS_Store`, `Thumbs.db`, `.gitkeep`, a README): skipped silently.
    Clutter,
    /// Anything else: warned about unless an item lists it as an attachment.
    Other,
}

/// Classifies a file by its name.
pub fn classify(name: &str) -> Kind {
    let lower = name.to_ascii_lowercase();
    if name.starts_with("~$") {
        return Kind::WordLock;
    }
    if name.ends_with('~') || name.starts_with(".#") || lower.ends_with(".swp") || lower.ends_with(".bak") {
        return Kind::Backup;
    }
    let clutter = [
        ".ds_store",
        "thumbs.db",
        "desktop.ini",
        ".gitkeep",
        ".gitignore",
        ".keep",
    ];
    if clutter.contains(&lower.as_str())
        || name.starts_with("._")
        || (lower.starts_with("readme") && !is_item_name(&lower))
    {
        return Kind::Clutter;
    }
    if is_item_name(&lower) { Kind::Item } else { Kind::Other }
}

fn is_item_name(lower: &str) -> bool {
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// The note for a lock file or backup that was skipped.
pub fn note(kind: Kind, path: &Path) -> Option<Problem> {
    let name = path.file_name()?.to_string_lossy();
    let (message, hint) = match kind {
        Kind::WordLock => (
            format!("Skipped `{name}`: a lock file that Word keeps while a document is open; it is not evidence."),
            "nothing to fix; it goes when you close the document in Word (delete it if Word is closed)",
        ),
        Kind::Backup => (
            format!("Skipped `{name}`: an editor's backup or lock file; it is not evidence."),
            "nothing to fix; delete it when you no longer need it",
        ),
        _ => return None,
    };
    Some(
        Problem::new(Rule::FileSkipped, message)
            .at(Location::file(path))
            .with_hint(hint),
    )
}

/// The most "not an item" warnings given one by one; the rest are counted.
const MAX_NAMED: usize = 20;

/// Warnings for the `others` (relative to the portfolio folder) that no
/// item lists among its `attachments`.
pub fn warn_others(others: &[PathBuf], attached: &[&Path], problems: &mut Vec<Problem>) {
    let unlisted: Vec<&PathBuf> = others.iter().filter(|p| !attached.contains(&p.as_path())).collect();
    for path in unlisted.iter().take(MAX_NAMED) {
        problems.push(other(path));
    }
    if unlisted.len() > MAX_NAMED {
        problems.push(
            Problem::new(
                Rule::FileSkipped,
                format!(
                    "{} more files in evidence/ are not evidence items and were not read.",
                    unlisted.len() - MAX_NAMED
                ),
            )
            .at(Location::file("evidence"))
            .with_hint("keep only .md items in evidence/; put other files in attachments/"),
        );
    }
}

fn other(path: &Path) -> Problem {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let stem_md = [".md.", ".markdown."]
        .iter()
        .find_map(|m| lower.find(m).map(|i| name[..i + m.len() - 1].to_string()));
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    let (message, hint) = if let Some(stem) = stem_md {
        (
            format!("`{name}` is not read: evidence items end in .md, and this one ends in .{ext}."),
            format!(
                "rename it to `{stem}` (Windows hides known endings: turn on View, File name extensions to see them)"
            ),
        )
    } else if ["docx", "doc", "odt", "rtf", "pages", "txt"].contains(&ext) {
        (
            format!("`{name}` is not read: evidence items are Markdown (.md) files."),
            "copy its text into a .md item (`portfolio init` writes examples), or move the file to attachments/ and list it in an item's attachments".to_string(),
        )
    } else {
        (
            format!("`{name}` is in evidence/ but is not an evidence item, and no item lists it as an attachment."),
            format!(
                "list it in an item, e.g. attachments = [\"{}\"], or move it to attachments/",
                path.to_string_lossy().replace('\\', "/")
            ),
        )
    };
    Problem::new(Rule::FileSkipped, message)
        .at(Location::file(path))
        .with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_names() {
        assert_eq!(classify("a.md"), Kind::Item);
        assert_eq!(classify("a.markdown"), Kind::Item);
        assert_eq!(classify("A.MD"), Kind::Item);
        assert_eq!(classify("~$refund.md"), Kind::WordLock);
        assert_eq!(classify("a.md~"), Kind::Backup);
        assert_eq!(classify(".#a.md"), Kind::Backup);
        assert_eq!(classify(".a.md.swp"), Kind::Backup);
        assert_eq!(classify(".DS_Store"), Kind::Clutter);
        assert_eq!(classify("Thumbs.db"), Kind::Clutter);
        assert_eq!(classify("README.md.txt"), Kind::Clutter);
        assert_eq!(classify("a.md.txt"), Kind::Other);
        assert_eq!(classify("notes.docx"), Kind::Other);
        assert_eq!(classify("photo.png"), Kind::Other);
    }

    #[test]
    fn others_say_what_to_do() {
        let p = other(Path::new("evidence/a.md.txt"));
        assert!(p.message.contains("`a.md.txt`"), "{}", p.message);
        assert!(p.hint.unwrap().starts_with("rename it to `a.md`"));
        let p = other(Path::new("evidence/notes.docx"));
        assert!(p.hint.unwrap().contains("copy its text"));
        let mut problems = Vec::new();
        let others: Vec<PathBuf> = (0..30).map(|i| PathBuf::from(format!("evidence/{i}.png"))).collect();
        let attached = [Path::new("evidence/0.png")];
        warn_others(&others, &attached, &mut problems);
        assert_eq!(problems.len(), MAX_NAMED + 1);
        assert!(!problems.iter().any(|p| p.message.contains("`0.png`")));
    }
}
