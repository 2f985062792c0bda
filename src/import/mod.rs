//! `portfolio import`: frameworks people already keep elsewhere, written as
//! criteria files (`portfolio-criteria/1`) that load as they are.
//!
//! Each reader ([`moodle`]: Moodle's competency-framework CSV; [`mahara`]:
//! Mahara's SmartEvidence `.matrix` JSON) turns its source into a flat list
//! of [`tree::Node`]s with parent ids; [`tree`] makes outcomes and criteria
//! of them and [`write`] emits the TOML, with a `TODO` comment at each place
//! a person must complete (methods, occasions, `supporting_only`). What was
//! changed or dropped on the way is returned as notes for stderr.

mod html;
mod mahara;
mod moodle;
mod tree;
mod write;

use std::path::{Path, PathBuf};

/// The formats `portfolio import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Moodle's competency framework CSV (`tool_lpimportcsv`).
    Moodle,
    /// Mahara's SmartEvidence `.matrix` JSON.
    Mahara,
}

/// Choices the source cannot make.
#[derive(Debug, Clone)]
pub struct Options {
    /// The framework id to write; by default made from the source's.
    pub id: Option<String>,
    /// `unit` (assessed by default) or another kind such as `nos`.
    pub kind: String,
}

/// A finished import: the file's text and what to tell the person.
#[derive(Debug, Clone)]
pub struct Imported {
    pub toml: String,
    pub id: String,
    pub groups: usize,
    pub criteria: usize,
    /// What was changed or dropped, and what to add by hand.
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: {message}{}", at(file, *line, *column), hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
    Invalid {
        file: PathBuf,
        /// From 1; `None` when the place is not known.
        line: Option<usize>,
        column: Option<usize>,
        message: String,
        hint: Option<String>,
    },
    #[error("cannot read {}: {source}", file.display())]
    Read {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} already exists; add --force to replace it", path.display())]
    Exists { path: PathBuf },
    #[error("`{id}` is not a usable framework id: use lower-case letters, digits and hyphens, e.g. --id unit-215")]
    BadId { id: String },
}

fn at(file: &Path, line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", file.display()),
        (Some(l), None) => format!("{}:{l}", file.display()),
        _ => file.display().to_string(),
    }
}

/// A framework being assembled from a source.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    /// The file read, for errors and the header comment.
    pub file: PathBuf,
    pub format: Format,
    pub id: String,
    pub kind: String,
    pub title: String,
    pub short_title: String,
    pub reference: String,
    pub reference_label: String,
    pub aim: String,
    pub groups: Vec<DraftGroup>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct DraftGroup {
    pub code: String,
    pub title: String,
    pub kind: String,
    pub criteria: Vec<DraftCriterion>,
}

#[derive(Debug, Clone)]
pub(crate) struct DraftCriterion {
    pub code: String,
    pub text: String,
    pub maps_to: Vec<String>,
}

impl Draft {
    fn new(file: &Path, format: Format, options: &Options) -> Draft {
        Draft {
            file: file.to_path_buf(),
            format,
            id: options.id.clone().unwrap_or_default(),
            kind: options.kind.clone(),
            title: String::new(),
            short_title: String::new(),
            reference: String::new(),
            reference_label: String::new(),
            aim: String::new(),
            groups: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// An error at `line` of the source (0: the file as a whole).
    fn error(&self, line: usize, message: impl Into<String>, hint: impl Into<String>) -> ImportError {
        ImportError::Invalid {
            file: self.file.clone(),
            line: (line > 0).then_some(line),
            column: None,
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// Sets the framework id from the source's own unless `--id` gave one.
    fn set_id(&mut self, source: &str) {
        if !self.id.is_empty() {
            return;
        }
        self.id = slug(source);
        if self.id != source.trim() {
            self.notes.push(format!(
                "The framework id is `{}`, made from `{}` (ids are lower case, without spaces or colons); \
                 choose another with --id.",
                self.id,
                source.trim()
            ));
        }
    }
}

/// Reads `bytes` (the contents of `file`) as `format`.
pub fn import(format: Format, file: &Path, bytes: &[u8], options: &Options) -> Result<Imported, ImportError> {
    if let Some(id) = &options.id
        && (slug(id) != *id)
    {
        return Err(ImportError::BadId { id: id.clone() });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) =
            crate::diagnostic::line_column(&String::from_utf8_lossy(&bytes[..e.valid_up_to()]), e.valid_up_to());
        ImportError::Invalid {
            file: file.to_path_buf(),
            line: Some(line),
            column: Some(column),
            message: "The file is not UTF-8 text.".into(),
            hint: Some("export it again as UTF-8, or convert it (e.g. `iconv -f latin1 -t utf-8`)".into()),
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut draft = match format {
        Format::Moodle => moodle::read(file, text, options)?,
        Format::Mahara => mahara::read(file, text, options)?,
    };
    if draft.title.trim().is_empty() {
        draft.title = draft.id.clone();
    }
    if draft.short_title.trim().is_empty() {
        draft.short_title = draft.title.clone();
    }
    let written = write::to_toml(&draft);
    draft.notes.push(written.todo_note());
    Ok(Imported {
        toml: written.text,
        id: draft.id,
        groups: draft.groups.len(),
        criteria: draft.groups.iter().map(|g| g.criteria.len()).sum(),
        notes: draft.notes,
    })
}

/// A framework id made from `s`: lower case; anything but letters, digits,
/// `.`, `_` and `-` becomes one hyphen.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() { "imported".to_string() } else { out }
}

/// A criterion's text from a name and a plain description: the name alone
/// when the description says nothing more, the description alone when the
/// name is its beginning (Moodle cuts short names at 100 characters), both
/// otherwise.
pub(crate) fn merge(name: &str, description: &str) -> String {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let description = description.split_whitespace().collect::<Vec<_>>().join(" ");
    let (loose_name, loose_description) = (loose(&name), loose(&description));
    let stem = loose_name
        .trim_end_matches(|c: char| c.is_ascii_punctuation() || c == '\u{2026}')
        .trim_end();
    if description.is_empty() || loose_description == loose_name {
        name
    } else if name.is_empty() || loose_description.starts_with(stem) && !stem.is_empty() {
        description
    } else {
        format!("{name}: {description}")
    }
}

/// `s` with curly quotes straightened, for comparing texts.
fn loose(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_usable_ids() {
        assert_eq!(slug("OECD-CORE"), "oecd-core");
        assert_eq!(slug(" Career  Readiness: 2024 "), "career-readiness-2024");
        assert_eq!(slug("::"), "imported");
    }

    #[test]
    fn names_and_descriptions_merge_without_repeating() {
        assert_eq!(merge("Level 1", ""), "Level 1");
        assert_eq!(merge("Writes clearly.", "Writes clearly."), "Writes clearly.");
        assert_eq!(
            merge(
                "Plans, coordinates and manages the ",
                "Plans, coordinates and manages the work."
            ),
            "Plans, coordinates and manages the work."
        );
        assert_eq!(merge("Teamwork", "Works with others."), "Teamwork: Works with others.");
        assert_eq!(merge("", "Only a description"), "Only a description");
        assert_eq!(
            merge(
                "The organisation's procedure",
                "The organisation\u{2019}s procedure, in your words."
            ),
            "The organisation\u{2019}s procedure, in your words."
        );
    }
}
