//! Evidence: reading a portfolio folder — `portfolio.toml`, `reflection.md`
//! and every `evidence/**/*.md` (or `.markdown`) item — into typed items with resolved
//! criteria, normalised methods and located problems.
//!
//! The loader checks what a single file can tell (front matter, codes,
//! methods, attachments, duplicate ids). Rules that weigh items against the
//! criteria belong to [`crate::coverage`].

mod front_matter;
pub mod inline;
mod item;
mod portfolio_file;
mod redact;
mod skipped;

pub use front_matter::{SplitError, decode, schema as front_matter_schema, split};
pub use item::{parse_item, valid_id};
pub use portfolio_file::{
    Assessor, Centre, FILE as PORTFOLIO_FILE, Learner, Settings, read_settings, schema as portfolio_schema,
};
pub use redact::{redact, redact_path, redact_problem, redact_problem_names, unrepeat_problem};

use crate::criteria::{CritId, Criteria};
use crate::date::Date;
use crate::diagnostic::{Location, Problem, Rule};
use crate::handover::Handover;
use crate::method::Method;
use item::{read_item, too_deep};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The largest evidence item read, in bytes.
pub const MAX_ITEM_BYTES: u64 = 4 * 1024 * 1024;

/// The deepest nesting of quotes and lists accepted in a narrative.
pub const MAX_NESTING: usize = 50;

/// The most evidence items read from one portfolio.
pub const MAX_ITEMS: usize = 20_000;

/// A whole portfolio as read from disk.
#[derive(Debug, Clone)]
pub struct Portfolio {
    pub root: PathBuf,
    pub settings: Settings,
    /// `reflection.md`, if there is one.
    pub reflection: Option<String>,
    /// Every item whose front matter could be read, sorted by path.
    pub items: Vec<Item>,
    /// What the loader found wrong, in file order.
    pub problems: Vec<Problem>,
}

/// The assessor's decision on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Accepted,
    Referred,
    Pending,
}

#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub decision: Decision,
    pub by: Option<String>,
    pub date: Option<Date>,
    pub feedback: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Witness {
    pub name: Option<String>,
    pub role: Option<String>,
    /// How the witness knows the learner: "line manager", "colleague".
    pub relationship: Option<String>,
    /// How to reach the witness (e-mail or telephone), for the quality assurers.
    pub contact: Option<String>,
}

impl Witness {
    pub fn is_named(&self) -> bool {
        self.name.is_some() && self.role.is_some()
    }
}

/// A criterion an item shows, and where it says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    pub criterion: CritId,
    /// Line in the file.
    pub line: usize,
    /// Tagged by a `[[code]]` in the narrative rather than the `criteria` list.
    pub inline: bool,
}

/// An attachment as listed, with the file it resolved to.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// As written in the front matter.
    pub path: String,
    /// The file inside the portfolio, when it exists there.
    pub resolved: Option<PathBuf>,
    /// The SHA-256 of its bytes, when it was read: the same file attached
    /// to two items under any name is the same evidence.
    pub digest: Option<[u8; 32]>,
    /// Its line in the file.
    pub line: usize,
}

/// Lines of the item's fields, for diagnostics raised later.
#[derive(Debug, Clone, Default)]
pub struct FieldLines {
    pub title: usize,
    pub date: usize,
    pub method: usize,
    pub criteria: usize,
    pub witness: Option<usize>,
    pub decision: Option<usize>,
}

/// One evidence item.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    /// Relative to the portfolio folder: `evidence/03-refund.md`.
    pub path: PathBuf,
    pub title: String,
    pub date: Date,
    pub method: Method,
    pub tags: Vec<Tag>,
    /// `occasion`, or the date when none is given.
    pub occasion: String,
    /// `occasion` as written, when it is given.
    pub occasion_label: Option<String>,
    pub witness: Option<Witness>,
    pub held_at: Option<String>,
    pub attachments: Vec<Attachment>,
    pub assessment: Option<Assessment>,
    /// The `[handover]` record, if the item has one.
    pub handover: Option<Handover>,
    /// The Markdown narrative.
    pub body: String,
    /// The file line on which the body starts.
    pub body_line: usize,
    pub lines: FieldLines,
    /// False when the item has an error: it then counts for nothing.
    pub usable: bool,
    /// `simulated = true`: not real work (a role play, a training
    /// environment); it does not count where an outcome needs real work.
    pub simulated: bool,
}

impl Item {
    /// Simulated, by its flag or its method.
    pub fn is_simulated(&self) -> bool {
        self.simulated || self.method == Method::Simulation
    }

    pub fn decision(&self) -> Option<Decision> {
        self.assessment.as_ref().map(|a| a.decision)
    }

    /// The distinct criteria tagged, in catalogue order.
    pub fn criteria(&self) -> Vec<CritId> {
        let mut ids: Vec<CritId> = self.tags.iter().map(|t| t.criterion).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// Reads the portfolio at `root`. Only a folder that cannot be read at all is
/// an `Err`; every other problem is collected in [`Portfolio::problems`].
pub fn load_portfolio(root: &Path, criteria: &Criteria) -> Result<Portfolio, std::io::Error> {
    let meta = std::fs::metadata(root)?;
    if !meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            format!("{} is a file; give the portfolio folder", root.display()),
        ));
    }
    let mut problems = Vec::new();
    links_not_followed(root, &mut problems);
    let settings = portfolio_file::read_settings(root, criteria, &mut problems);
    let reflection = read_reflection(root, &mut problems);
    let canonical_root = root.canonicalize()?;
    let mut items = Vec::new();
    let Walk {
        mut files,
        others,
        misnamed,
    } = walk_evidence(root, &mut problems);
    if files.len() > MAX_ITEMS {
        problems.push(
            Problem::new(
                Rule::InvalidFrontMatter,
                format!(
                    "evidence/ holds {} items; a portfolio may have at most {MAX_ITEMS}, so the rest were not read.",
                    files.len()
                ),
            )
            .at(Location::file("evidence"))
            .with_hint(
                "a unit's portfolio needs tens of items, not thousands: check that evidence/ is the right folder",
            ),
        );
        files.truncate(MAX_ITEMS);
    }
    for path in &files {
        if let Some(item) = read_item(root, &canonical_root, path, criteria, &settings.assessed, &mut problems) {
            items.push(item);
        }
    }
    let attached: Vec<&Path> = items
        .iter()
        .flat_map(|i| &i.attachments)
        .filter_map(|a| a.resolved.as_deref())
        .collect();
    skipped::warn_others(&others, &attached, &mut problems);
    if files.is_empty() && !misnamed {
        problems.push(
            Problem::new(
                Rule::NoEvidence,
                "There are no evidence items yet (no .md or .markdown files under evidence/).",
            )
            .at(Location::file("evidence"))
            .with_hint("add one Markdown file per item under evidence/; `portfolio init` writes examples"),
        );
    }
    mark_duplicates(&mut items, &mut problems);
    for item in &mut items {
        let file = item.path.clone();
        item.usable = !problems
            .iter()
            .any(|p| p.is_error() && p.location.as_ref().is_some_and(|l| l.file == file));
    }
    Ok(Portfolio {
        root: root.to_path_buf(),
        settings,
        reflection,
        items,
        problems,
    })
}

/// The folder of signed decisions (`decisions::FOLDER`): named here, where
/// the reader of the folder lives, so that evidence needs nothing above it.
pub const ASSESSMENT_FOLDER: &str = "assessment";

/// The parts of a portfolio folder that are read only when they are the
/// folder's own: a symbolic link there (to another learner's evidence, say)
/// is never followed, whatever it points to.
pub const NOT_FOLLOWED: [&str; 3] = ["evidence", "reflection.md", ASSESSMENT_FOLDER];

/// Whether `root/name` is a symbolic link (not followed).
pub fn is_link(root: &Path, name: &str) -> bool {
    std::fs::symlink_metadata(root.join(name)).is_ok_and(|m| m.file_type().is_symlink())
}

/// A `symlink-skipped` warning for each of [`NOT_FOLLOWED`] that is a link.
fn links_not_followed(root: &Path, problems: &mut Vec<Problem>) {
    for name in NOT_FOLLOWED.into_iter().filter(|n| is_link(root, n)) {
        let target = std::fs::read_link(root.join(name))
            .map(|t| format!(" (to {})", t.display()))
            .unwrap_or_default();
        problems.push(
            Problem::new(
                Rule::SymlinkSkipped,
                format!(
                    "`{name}` is a symbolic link{target}; only the portfolio's own files are read, so nothing through it was read."
                ),
            )
            .at(Location::file(name))
            .with_hint(format!("copy the files themselves into `{name}` inside the portfolio folder")),
        );
    }
}

fn read_reflection(root: &Path, problems: &mut Vec<Problem>) -> Option<String> {
    if is_link(root, "reflection.md") {
        return None;
    }
    let bytes = std::fs::read(root.join("reflection.md")).ok()?;
    match decode(&bytes) {
        Ok(text) => match too_deep(&text, Path::new("reflection.md"), 1) {
            Some(problem) => {
                problems.push(problem);
                None
            }
            None => Some(text),
        },
        Err(e) => {
            problems.push(
                Problem::new(Rule::InvalidFrontMatter, e.message)
                    .at(Location::file("reflection.md"))
                    .with_hint_opt(e.hint),
            );
            None
        }
    }
}

/// What the walk of `evidence/` found.
struct Walk {
    /// The items (`.md`, `.markdown`), relative to the portfolio folder, sorted.
    files: Vec<PathBuf>,
    /// Files that are neither items nor clutter, for [`skipped::warn_others`].
    others: Vec<PathBuf>,
    /// There is no `evidence/` but a folder of that name in other case.
    misnamed: bool,
}

/// Walks `evidence/`: the items, relative to `root`, sorted; lock files and
/// backups get a note, other files are returned for a warning. Symlinks are
/// not followed; unreadable folders are reported.
fn walk_evidence(root: &Path, problems: &mut Vec<Problem>) -> Walk {
    let mut walk = Walk {
        files: Vec::new(),
        others: Vec::new(),
        misnamed: false,
    };
    let dir = root.join("evidence");
    if is_link(root, "evidence") {
        // Warned about by `links_not_followed`.
        return walk;
    }
    if !dir.is_dir() {
        walk.misnamed = misnamed_evidence(root, problems);
        return walk;
    }
    let walker = walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| PathBuf::from("evidence"));
                let reason = e.io_error().map_or_else(|| e.to_string(), ToString::to_string);
                problems.push(
                    Problem::new(
                        Rule::InvalidFrontMatter,
                        format!("Cannot read this part of evidence/: {reason}."),
                    )
                    .at(Location::file(path))
                    .with_hint("check the permissions of the file or folder"),
                );
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let kind = skipped::classify(&entry.file_name().to_string_lossy());
        let path = relative(root, entry.path());
        match kind {
            skipped::Kind::WordLock | skipped::Kind::Backup => {
                problems.extend(skipped::note(kind, &path));
                continue;
            }
            skipped::Kind::Clutter => continue,
            _ => {}
        }
        if entry.path_is_symlink() {
            problems.push(
                Problem::new(
                    Rule::SymlinkSkipped,
                    "This is a symbolic link; portfolio does not follow links, so it was not read.",
                )
                .at(Location::file(path))
                .with_hint("copy the file itself into evidence/"),
            );
            continue;
        }
        if kind == skipped::Kind::Item {
            walk.files.push(path);
        } else {
            walk.others.push(path);
        }
    }
    walk
}

/// With no `evidence/`, an error for a folder whose name differs only in
/// case (`Evidence/`): on Linux it would otherwise be silently not read.
fn misnamed_evidence(root: &Path, problems: &mut Vec<Problem>) -> bool {
    let Ok(entries) = std::fs::read_dir(root) else {
        return false;
    };
    let found = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.eq_ignore_ascii_case("evidence"))
        .find(|n| root.join(n).is_dir());
    let Some(name) = found else {
        return false;
    };
    problems.push(
        Problem::new(
            Rule::MisnamedFolder,
            format!(
                "Found `{name}/`; the folder must be called `evidence/` (all lower case), so nothing in it was read."
            ),
        )
        .at(Location::file(&name))
        .with_hint(format!("rename `{name}/` to `evidence/`")),
    );
    true
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Each item after the first with the same id gets a `duplicate-id` error.
fn mark_duplicates(items: &mut [Item], problems: &mut Vec<Problem>) {
    let mut first: BTreeMap<String, PathBuf> = BTreeMap::new();
    for item in items.iter() {
        if let Some(other) = first.get(&item.id) {
            problems.push(
                Problem::new(
                    Rule::DuplicateId,
                    format!("The id `{}` is also used by {}.", item.id, other.display()),
                )
                .at(Location::at(&item.path, 1, 1))
                .for_item(&item.id)
                .with_hint("give one of them its own `id = \"...\"` in the front matter, or rename the file"),
            );
        } else {
            first.insert(item.id.clone(), item.path.clone());
        }
    }
}
