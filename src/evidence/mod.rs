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
pub use item::{parse_item, parse_item_from, valid_id};
pub use portfolio_file::{
    Assessor, Centre, FILE as PORTFOLIO_FILE, Learner, Settings, read_settings, read_settings_from,
    schema as portfolio_schema,
};
pub use redact::{redact, redact_path, redact_problem, redact_problem_names, unrepeat_problem};

use crate::criteria::{CritId, Criteria};
use crate::date::Date;
use crate::diagnostic::{Location, Problem, Rule};
use crate::handover::Handover;
use crate::method::Method;
use crate::source::{Entry, Source, Walked};
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

/// A whole portfolio as read from its files.
#[derive(Debug, Clone)]
pub struct Portfolio {
    /// Where it was read from, as diagnostics name it: the folder, or the
    /// zip (the [`Source`]'s name).
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
    /// Their occupational competence or expertise (RF03).
    pub competence: Option<String>,
    /// Whether the assessor has confirmed the witness's status (RF03), as
    /// typed in the evidence file; `None` when it does not say.
    pub status_confirmed: Option<bool>,
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

/// Reads the portfolio folder at `root` on disk (see [`load_portfolio_from`]).
pub fn load_portfolio(root: &Path, criteria: &Criteria) -> Result<Portfolio, std::io::Error> {
    load_portfolio_from(&crate::source::DiskSource::new(root), criteria)
}

/// Reads the portfolio in `files` (its root is the portfolio folder). Only
/// a folder that cannot be read at all is an `Err`; every other problem is
/// collected in [`Portfolio::problems`]. [`Portfolio::root`] is the
/// source's name.
pub fn load_portfolio_from(files: &dyn Source, criteria: &Criteria) -> Result<Portfolio, std::io::Error> {
    let root = files.name();
    match files.entry(Path::new(""))? {
        Entry::Folder => {}
        Entry::Missing => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("there is no folder {}", root.display()),
            ));
        }
        _ => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                format!("{} is a file; give the portfolio folder", root.display()),
            ));
        }
    }
    let mut problems = Vec::new();
    links_not_followed(files, &mut problems);
    let settings = portfolio_file::read_settings_from(files, criteria, &mut problems);
    let reflection = read_reflection(files, &mut problems);
    let mut items = Vec::new();
    let Walk {
        files: mut paths,
        others,
        misnamed,
    } = walk_evidence(files, &mut problems);
    if paths.len() > MAX_ITEMS {
        problems.push(
            Problem::new(
                Rule::InvalidFrontMatter,
                format!(
                    "evidence/ holds {} items; a portfolio may have at most {MAX_ITEMS}, so the rest were not read.",
                    paths.len()
                ),
            )
            .at(Location::file("evidence"))
            .with_hint(
                "a unit's portfolio needs tens of items, not thousands: check that evidence/ is the right folder",
            ),
        );
        paths.truncate(MAX_ITEMS);
    }
    for path in &paths {
        if let Some(item) = read_item(files, path, criteria, &settings.assessed, &mut problems) {
            items.push(item);
        }
    }
    let attached: Vec<&Path> = items
        .iter()
        .flat_map(|i| &i.attachments)
        .filter_map(|a| a.resolved.as_deref())
        .collect();
    skipped::warn_others(&others, &attached, &mut problems);
    if paths.is_empty() && !misnamed {
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

/// The target of `name` in `files` when it is a symbolic link (not
/// followed): `Some(None)` when the target is not known.
fn link(files: &dyn Source, name: &str) -> Option<Option<PathBuf>> {
    match files.entry(Path::new(name)) {
        Ok(Entry::Link { target }) => Some(target),
        _ => None,
    }
}

/// Whether `name` in `files` is a symbolic link (not followed).
pub fn is_link(files: &dyn Source, name: &str) -> bool {
    link(files, name).is_some()
}

/// A `symlink-skipped` warning for each of [`NOT_FOLLOWED`] that is a link.
fn links_not_followed(files: &dyn Source, problems: &mut Vec<Problem>) {
    for (name, target) in NOT_FOLLOWED.into_iter().filter_map(|n| Some((n, link(files, n)?))) {
        let target = target.map(|t| format!(" (to {})", t.display())).unwrap_or_default();
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

fn read_reflection(files: &dyn Source, problems: &mut Vec<Problem>) -> Option<String> {
    if is_link(files, "reflection.md") {
        return None;
    }
    let bytes = files.read(Path::new("reflection.md")).ok()?;
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

/// How deep `evidence/` is walked: far below any real portfolio's folders.
const MAX_EVIDENCE_DEPTH: usize = 256;

/// Walks `evidence/`: the items, relative to the root, sorted; lock files
/// and backups get a note, other files are returned for a warning.
/// Symlinks are not followed; unreadable folders are reported.
fn walk_evidence(files: &dyn Source, problems: &mut Vec<Problem>) -> Walk {
    let mut walk = Walk {
        files: Vec::new(),
        others: Vec::new(),
        misnamed: false,
    };
    let dir = Path::new("evidence");
    if is_link(files, "evidence") {
        // Warned about by `links_not_followed`.
        return walk;
    }
    if !matches!(files.entry(dir), Ok(Entry::Folder)) {
        walk.misnamed = misnamed_evidence(files, problems);
        return walk;
    }
    for found in crate::source::walk(files, dir, MAX_EVIDENCE_DEPTH) {
        let (path, kind) = match found {
            Walked::Entry(path, kind) => (path, kind),
            Walked::Unreadable(path, e) => {
                problems.push(
                    Problem::new(
                        Rule::InvalidFrontMatter,
                        format!("Cannot read this part of evidence/: {e}."),
                    )
                    .at(Location::file(path))
                    .with_hint("check the permissions of the file or folder"),
                );
                continue;
            }
        };
        let class = skipped::classify(&path.file_name().unwrap_or_default().to_string_lossy());
        match class {
            skipped::Kind::WordLock | skipped::Kind::Backup => {
                problems.extend(skipped::note(class, &path));
                continue;
            }
            skipped::Kind::Clutter => continue,
            _ => {}
        }
        if kind == crate::source::Kind::Link {
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
        if class == skipped::Kind::Item {
            walk.files.push(path);
        } else {
            walk.others.push(path);
        }
    }
    walk
}

/// With no `evidence/`, an error for a folder whose name differs only in
/// case (`Evidence/`): on Linux it would otherwise be silently not read.
fn misnamed_evidence(files: &dyn Source, problems: &mut Vec<Problem>) -> bool {
    let Ok(entries) = files.list(Path::new("")) else {
        return false;
    };
    let found = entries
        .into_iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("evidence"))
        .find(|(n, kind)| {
            *kind == crate::source::Kind::Folder
                || matches!(
                    crate::source::resolve(files, Path::new(n)),
                    crate::source::Resolved::Inside(_, Entry::Folder)
                )
        })
        .map(|(n, _)| n);
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

#[cfg(test)]
mod tests;
