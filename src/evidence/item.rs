//! Reading one evidence item: bytes to text, the `+++` split, the strict
//! front matter, then each field checked and resolved (dates, method,
//! codes, witness, assessment, handover record, attachments), every problem
//! located.

use super::front_matter::{RawAssessment, RawItem};
use super::{
    Assessment, Attachment, Decision, FieldLines, Item, MAX_ITEM_BYTES, MAX_NESTING, Tag, Witness, decode, inline,
    split,
};
use crate::criteria::{CritId, Criteria, ResolveError};
use crate::date::Date;
use crate::diagnostic::{Location, Problem, Rule, did_you_mean};
use crate::handover::{Action, Check, Handover, RawAction, RawHandover, Receiver, Reminder};
use crate::method::Method;
use crate::source::{Entry, Resolved, Source, resolve};
use std::path::{Component, Path};
use toml::Spanned;

/// Reads one item; `None` when its front matter cannot be read at all.
/// `prefer`: the frameworks the portfolio assesses, which bare codes resolve
/// to first.
pub(super) fn read_item(
    files: &dyn Source,
    path: &Path,
    criteria: &Criteria,
    prefer: &[usize],
    problems: &mut Vec<Problem>,
) -> Option<Item> {
    let fail = |problems: &mut Vec<Problem>, message: String, hint: Option<String>| {
        problems.push(
            Problem::new(Rule::InvalidFrontMatter, message)
                .at(Location::file(path))
                .with_hint_opt(hint),
        );
    };
    if let Ok(Entry::File { len }) = files.entry(path)
        && len > MAX_ITEM_BYTES
    {
        fail(
            problems,
            format!(
                "The file is {} MB; an evidence item may be at most {} MB.",
                len / 1_000_000,
                MAX_ITEM_BYTES / 1024 / 1024
            ),
            Some("keep the narrative short and put large material in attachments/".into()),
        );
        return None;
    }
    let bytes = match files.read(path) {
        Ok(b) => b,
        Err(e) => {
            fail(
                problems,
                format!("Cannot read the file: {e}."),
                Some("check the file's permissions".into()),
            );
            return None;
        }
    };
    parse_item_bytes(files, path, &bytes, criteria, prefer, problems)
}

/// Parses one item from its bytes, as if read from `root/path` on disk
/// (see [`parse_item_from`]).
pub fn parse_item(root: &Path, path: &Path, bytes: &[u8], criteria: &Criteria) -> (Option<Item>, Vec<Problem>) {
    parse_item_from(&crate::source::DiskSource::new(root), path, bytes, criteria)
}

/// Parses one item from its bytes, as if read from `path` in `files`: the
/// text checks of the loader without the walk (attachments are still
/// looked up in `files`). For tools and fuzzing.
pub fn parse_item_from(
    files: &dyn Source,
    path: &Path,
    bytes: &[u8],
    criteria: &Criteria,
) -> (Option<Item>, Vec<Problem>) {
    let mut problems = Vec::new();
    let prefer = criteria.default_assessed();
    let item = parse_item_bytes(files, path, bytes, criteria, &prefer, &mut problems);
    (item, problems)
}

fn parse_item_bytes(
    files: &dyn Source,
    path: &Path,
    bytes: &[u8],
    criteria: &Criteria,
    prefer: &[usize],
    problems: &mut Vec<Problem>,
) -> Option<Item> {
    let text = match decode(bytes) {
        Ok(t) => t,
        Err(e) => {
            let problem = Problem::new(Rule::InvalidFrontMatter, e.message).with_hint_opt(e.hint);
            problems.push(if e.offset == 0 {
                problem.at(Location::at(path, 1, 1))
            } else {
                let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(e.offset + 64)]).replace("\r\n", "\n");
                problem.at_offset(path, &shown, e.offset)
            });
            return None;
        }
    };
    let parts = match split(&text) {
        Ok(s) => s,
        Err(e) => {
            problems.push(
                Problem::new(Rule::InvalidFrontMatter, e.message)
                    .at_offset(path, &text, e.offset)
                    .with_hint_opt(e.hint),
            );
            return None;
        }
    };
    let raw: RawItem = match toml::from_str(parts.front) {
        Ok(r) => r,
        Err(e) => {
            problems.push(crate::fields::toml_problem(
                Rule::InvalidFrontMatter,
                path,
                &text,
                parts.front_offset,
                &e,
            ));
            return None;
        }
    };
    ItemReader {
        path,
        text: &text,
        base: parts.front_offset,
        criteria,
        prefer,
        problems,
    }
    .build(raw, parts.body, parts.body_offset, parts.body_line, files)
}

/// Turns raw front matter into an [`Item`], reporting each bad field.
struct ItemReader<'a> {
    path: &'a Path,
    text: &'a str,
    base: usize,
    criteria: &'a Criteria,
    prefer: &'a [usize],
    problems: &'a mut Vec<Problem>,
}

impl ItemReader<'_> {
    fn line_of<T>(&self, s: &Spanned<T>) -> usize {
        crate::diagnostic::line_column(self.text, self.base + s.span().start).0
    }

    fn report(&mut self, rule: Rule, offset: usize, message: String, hint: Option<String>) {
        self.problems.push(
            Problem::new(rule, message)
                .at_offset(self.path, self.text, offset)
                .with_hint_opt(hint),
        );
    }

    fn report_at<T>(&mut self, rule: Rule, s: &Spanned<T>, message: String, hint: Option<String>) {
        self.report(rule, self.base + s.span().start, message, hint);
    }

    fn date(&mut self, value: &Spanned<toml::Value>, field: &str) -> Option<Date> {
        let date = Date::from_toml(value.get_ref());
        if date.is_none() {
            let shown = value.get_ref().to_string();
            let reason = match value.get_ref() {
                toml::Value::String(s) => crate::date::why_not_a_date(s),
                _ => None,
            };
            let message = match reason {
                Some(r) => format!("`{field}` is {shown}, which is not a calendar date: {r}."),
                None => format!("`{field}` is {shown}, which is not a calendar date."),
            };
            // `date = "3 June 2026"`: the learner's own date, as it must be written.
            let meant = match value.get_ref() {
                toml::Value::String(s) => crate::date::meant(s),
                _ => None,
            };
            let hint = match meant {
                Some(m) => format!("{} (a date, without quotes)", m.hint(field)),
                None => format!("write dates as YYYY-MM-DD, e.g. {field} = 2026-03-14"),
            };
            self.report_at(Rule::InvalidFrontMatter, value, message, Some(hint));
        }
        date
    }

    /// `criteria = ["3.1, 3.2"]`: several codes in one pair of quotes, each
    /// a criterion; the message and a hint with the list rewritten, every
    /// code in its own quotes. `None` when `code` is not that.
    fn several_in_one(&self, code: &str, written: &[&str]) -> Option<(String, String)> {
        let split = |c: &str| -> Vec<String> {
            c.split(|ch: char| ch == ',' || ch == ';' || ch.is_whitespace())
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect()
        };
        let parts = split(code);
        if parts.len() < 2
            || !parts
                .iter()
                .all(|p| self.criteria.resolve_preferring(p, self.prefer).is_ok())
        {
            return None;
        }
        let list: Vec<String> = written
            .iter()
            .flat_map(|w| {
                let each = split(w);
                if each.len() > 1
                    && each
                        .iter()
                        .all(|p| self.criteria.resolve_preferring(p, self.prefer).is_ok())
                {
                    each
                } else {
                    vec![w.to_string()]
                }
            })
            .map(|c| format!("\"{c}\""))
            .collect();
        Some((
            format!(
                "`{code}` is {} codes in one pair of quotes; each code needs its own.",
                parts.len()
            ),
            format!("write it as criteria = [{}]", list.join(", ")),
        ))
    }

    fn resolve(&mut self, code: &str, offset: usize) -> Option<CritId> {
        let resolved = self.criteria.resolve_preferring(code, self.prefer);
        if resolved.is_err()
            && let Some((c, name)) = code
                .chars()
                .find_map(|c| crate::fields::invisible_name(c).map(|n| (c, n)))
        {
            // `"1.1\u{a0}"`, pasted from Word: the code looks right and is not.
            let clean: String = code.chars().filter(|&x| x != c).collect::<String>().trim().to_string();
            self.report(
                Rule::UnknownCriterion,
                offset,
                format!("`{}` has an invisible character ({name}) in it.", clean),
                Some(format!("retype the code: delete `{clean}` and type it again")),
            );
            return None;
        }
        if resolved.is_err() && code.contains(' ') {
            // `[[AC 1.1]]`: a code written with a space (see inline::looks_like_code).
            let number = code.split(' ').find(|w| w.starts_with(|c: char| c.is_ascii_digit()));
            let joined = code.replace(' ', "");
            let hint = [number.unwrap_or(""), joined.as_str()]
                .into_iter()
                .find(|c| !c.is_empty() && self.criteria.resolve(c).is_ok())
                .map_or_else(
                    || {
                        "write the code alone, without spaces, e.g. [[3.1]]; `portfolio criteria` lists every code"
                            .into()
                    },
                    |c| format!("did you mean `[[{c}]]`? Write the code alone, without spaces"),
                );
            self.report(
                Rule::UnknownCriterion,
                offset,
                format!("`{code}` is not a criterion of any loaded framework."),
                Some(hint),
            );
            return None;
        }
        match resolved {
            Ok(id) => Some(id),
            Err(e) => {
                let (message, hint) = match e {
                    ResolveError::Unknown { suggestions } => (
                        format!("`{code}` is not a criterion of any loaded framework."),
                        did_you_mean(&suggestions.iter().map(String::as_str).collect::<Vec<_>>())
                            .or_else(|| Some("`portfolio criteria` lists every code".into())),
                    ),
                    ResolveError::Ambiguous { frameworks } => (
                        format!(
                            "`{code}` is a criterion of more than one framework ({}).",
                            frameworks.join(", ")
                        ),
                        Some(format!("qualify it, e.g. `{}:{code}`", frameworks[0])),
                    ),
                    ResolveError::UnknownFramework { suggestions } => (
                        format!("`{code}` names a framework that is not loaded."),
                        did_you_mean(&suggestions.iter().map(|s| s.as_str()).collect::<Vec<_>>()),
                    ),
                };
                self.report(Rule::UnknownCriterion, offset, message, hint);
                None
            }
        }
    }

    fn build(
        mut self,
        raw: RawItem,
        body: &str,
        body_offset: usize,
        body_line: usize,
        files: &dyn Source,
    ) -> Option<Item> {
        let default_id = self
            .path
            .strip_prefix("evidence")
            .unwrap_or(self.path)
            .with_extension("");
        let default_id = default_id.to_string_lossy().replace('\\', "/");
        let id = match &raw.id {
            Some(id) if !valid_id(id.get_ref().trim()) => {
                self.report_at(
                    Rule::InvalidFrontMatter,
                    id,
                    format!("`{}` is not a usable id.", id.get_ref()),
                    Some("use letters, digits, `-`, `_`, `.` and `/`, or leave `id` out to use the file name".into()),
                );
                default_id
            }
            Some(id) => id.get_ref().trim().to_string(),
            None => {
                // An id names a folder under `assessment/` and an anchor:
                // the file name must make as good a name as `id =` would.
                if !valid_id(&default_id) {
                    self.problems.push(
                        Problem::new(
                            Rule::InvalidFrontMatter,
                            format!(
                                "The file name `{}` does not make a usable id (`{default_id}`).",
                                crate::diagnostic::display_path(self.path)
                            ),
                        )
                        .at(Location::file(self.path))
                        .with_hint(
                            "rename the file with letters, digits, `-`, `_` and `.` (a name, not `.` or `..`), \
                             or give the item its own `id = \"...\"` in the front matter",
                        ),
                    );
                }
                default_id
            }
        };
        let title = raw.title.get_ref().trim().to_string();
        if title.is_empty() {
            self.report_at(
                Rule::InvalidFrontMatter,
                &raw.title,
                "The title is empty.".into(),
                Some("give the item a short title that says what happened".into()),
            );
        }
        let date = self.date(&raw.date, "date");
        let method = Method::parse(raw.method.get_ref());
        if method.is_none() {
            let near = crate::diagnostic::closest(raw.method.get_ref(), Method::names());
            let hint = did_you_mean(&near)
                .unwrap_or_else(|| format!("the methods are {}", Method::names().collect::<Vec<_>>().join(", ")));
            self.report_at(
                Rule::UnknownMethod,
                &raw.method,
                format!("`{}` is not an evidence method.", raw.method.get_ref()),
                Some(hint),
            );
        }
        let mut tags = Vec::new();
        let written: Vec<&str> = raw.criteria.get_ref().iter().map(|c| c.get_ref().as_str()).collect();
        for code in raw.criteria.get_ref() {
            let line = self.line_of(code);
            if let Some((message, hint)) = self.several_in_one(code.get_ref(), &written) {
                self.report_at(Rule::UnknownCriterion, code, message, Some(hint));
                continue;
            }
            if let Some(c) = self.resolve(code.get_ref(), self.base + code.span().start) {
                tags.push(Tag {
                    criterion: c,
                    line,
                    inline: false,
                });
            }
        }
        for r in inline::find_refs(body) {
            let offset = body_offset + r.offset;
            if let Some(c) = self.resolve(&r.code, offset) {
                tags.push(Tag {
                    criterion: c,
                    line: body_line + r.line - 1,
                    inline: true,
                });
            }
        }
        if raw.criteria.get_ref().is_empty() && inline::find_refs(body).is_empty() {
            self.report_at(
                Rule::InvalidFrontMatter,
                &raw.criteria,
                "The item is tagged with no criteria.".into(),
                Some(
                    "list what it shows, e.g. criteria = [\"3.1\", \"3.2\"], or mark it in the text with [[3.1]]"
                        .into(),
                ),
            );
        }
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let witness = raw.witness.as_ref().map(|w| Witness {
            name: clean(&w.get_ref().name),
            role: clean(&w.get_ref().role),
            relationship: clean(&w.get_ref().relationship),
            contact: clean(&w.get_ref().contact),
            competence: clean(&w.get_ref().competence),
            status_confirmed: w.get_ref().status_confirmed,
        });
        let assessment = match &raw.assessment {
            Some(a) => self.assessment(a),
            None => None,
        };
        if let Some(problem) = too_deep(body, self.path, body_line) {
            self.problems.push(problem);
        }
        let handover = raw.handover.as_ref().map(|h| self.handover(h));
        let attachments = raw.attachments.iter().map(|a| self.attachment(a, files)).collect();
        let lines = FieldLines {
            title: self.line_of(&raw.title),
            date: self.line_of(&raw.date),
            method: self.line_of(&raw.method),
            criteria: self.line_of(&raw.criteria),
            witness: raw.witness.as_ref().map(|w| self.line_of(w)),
            decision: raw.assessment.as_ref().map(|a| self.line_of(&a.get_ref().decision)),
        };
        let (Some(date), Some(method)) = (date, method) else {
            return None;
        };
        let occasion_label = raw
            .occasion
            .map(|o| o.into_inner().trim().to_string())
            .filter(|o| !o.is_empty());
        Some(Item {
            id,
            path: self.path.to_path_buf(),
            title,
            date,
            method,
            tags,
            occasion: occasion_label.clone().unwrap_or_else(|| date.to_string()),
            occasion_label,
            witness,
            held_at: raw.held_at.map(|h| h.trim().to_string()).filter(|h| !h.is_empty()),
            attachments,
            assessment,
            handover,
            body: body.to_string(),
            body_line,
            lines,
            usable: true,
            simulated: raw.simulated.unwrap_or(false),
        })
    }

    fn handover(&mut self, raw: &Spanned<RawHandover>) -> Handover {
        let line = self.line_of(raw);
        let h = raw.get_ref();
        let text = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let actions = |me: &mut Self, list: &[Spanned<RawAction>]| -> Vec<Action> {
            list.iter()
                .map(|a| Action {
                    action: a.get_ref().action.trim().to_string(),
                    owner: text(&a.get_ref().owner),
                    due: a.get_ref().due.as_ref().and_then(|d| me.date(d, "due")),
                    line: me.line_of(a),
                })
                .collect()
        };
        let check = match &h.check {
            Some(c) => match crate::handover::Outcome::parse(c.get_ref().outcome.get_ref()) {
                Some(outcome) => Some(Check {
                    date: c.get_ref().date.as_ref().and_then(|d| self.date(d, "date")),
                    outcome,
                    note: text(&c.get_ref().note),
                    line: c
                        .get_ref()
                        .date
                        .as_ref()
                        .map_or_else(|| self.line_of(c), |d| self.line_of(d)),
                }),
                None => {
                    let o = &c.get_ref().outcome;
                    self.report_at(
                        Rule::InvalidFrontMatter,
                        o,
                        format!("`{}` is not a check outcome.", o.get_ref()),
                        Some("write outcome = \"done\", \"not done\" or \"partly done\"".into()),
                    );
                    None
                }
            },
            None => None,
        };
        Handover {
            reason: text(&h.reason),
            to: h.to.as_ref().map(|t| Receiver {
                name: text(&t.name),
                role: text(&t.role),
                team: text(&t.team),
            }),
            situation: text(&h.situation),
            background: text(&h.background),
            assessment: text(&h.assessment),
            recommendation: text(&h.recommendation),
            exchanged_by: h
                .exchanged_by
                .iter()
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty())
                .collect(),
            customer_told: text(&h.customer_told),
            receiver_confirmed: h.receiver_confirmed,
            actions: actions(self, &h.actions),
            reminder: h.reminder.as_ref().map(|r| Reminder {
                date: r.get_ref().date.as_ref().and_then(|d| self.date(d, "date")),
                how: text(&r.get_ref().how),
            }),
            check,
            further_actions: actions(self, &h.further_actions),
            feedback: text(&h.feedback),
            line,
        }
    }

    fn assessment(&mut self, a: &Spanned<RawAssessment>) -> Option<Assessment> {
        let a = a.get_ref();
        let decision = match a.decision.get_ref().trim().to_lowercase().as_str() {
            "accepted" | "accept" | "met" => Decision::Accepted,
            "referred" | "refer" | "not yet met" => Decision::Referred,
            "pending" | "" => Decision::Pending,
            other => {
                let near = crate::diagnostic::closest(other, ["accepted", "referred", "pending"]);
                self.report_at(
                    Rule::InvalidFrontMatter,
                    &a.decision,
                    format!("`{}` is not an assessment decision.", a.decision.get_ref()),
                    did_you_mean(&near).or_else(|| Some("the decisions are accepted, referred and pending".into())),
                );
                return None;
            }
        };
        let date = match &a.date {
            Some(d) => Some(self.date(d, "date")?),
            None => None,
        };
        Some(Assessment {
            decision,
            by: a
                .by
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            date,
            feedback: a
                .feedback
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        })
    }

    fn attachment(&mut self, a: &Spanned<String>, files: &dyn Source) -> Attachment {
        let written = a.get_ref().trim().to_string();
        let line = self.line_of(a);
        let rel = Path::new(&written);
        let leaves = rel.is_absolute()
            || rel
                .components()
                .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_) | Component::RootDir))
            || written.contains('\\') && written.contains("..");
        if leaves || written.is_empty() {
            self.report_at(
                Rule::AttachmentOutside,
                a,
                format!("The attachment `{written}` points outside the portfolio folder."),
                Some("copy the file into attachments/ and write its path from the portfolio folder, e.g. \"attachments/handover-sheet.png\"".into()),
            );
            return Attachment {
                path: written,
                resolved: None,
                digest: None,
                line,
            };
        }
        // Followed link by link inside the portfolio, as `canonicalize`
        // would: a link that leads out of the folder is refused.
        match crate::source::resolve(files, rel) {
            Resolved::Outside => {
                self.report_at(
                    Rule::AttachmentOutside,
                    a,
                    format!("The attachment `{written}` is a link to a file outside the portfolio folder."),
                    Some("copy the file itself into attachments/".into()),
                );
                Attachment {
                    path: written,
                    resolved: None,
                    digest: None,
                    line,
                }
            }
            Resolved::Inside(real, Entry::File { .. }) => Attachment {
                resolved: Some(rel.to_path_buf()),
                digest: content_digest(files, &real),
                line,
                path: written,
            },
            Resolved::Inside(..) => {
                self.report_at(
                    Rule::AttachmentMissing,
                    a,
                    format!("The attachment `{written}` is a folder, not a file."),
                    None,
                );
                Attachment {
                    path: written,
                    resolved: None,
                    digest: None,
                    line,
                }
            }
            Resolved::Missing => {
                let (message, hint) = missing_attachment(&written, files, rel);
                self.report_at(Rule::AttachmentMissing, a, message, Some(hint));
                Attachment {
                    path: written,
                    resolved: None,
                    digest: None,
                    line,
                }
            }
        }
    }
}

/// The SHA-256 of a file's bytes (streamed), to tell the same attachment
/// on two items whatever its name.
fn content_digest(files: &dyn Source, file: &Path) -> Option<[u8; 32]> {
    use sha2::Digest;
    let mut f = files.open(file).ok()?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Some(hasher.finalize().into())
}

/// An error when Markdown nests quotes or lists deeper than [`MAX_NESTING`]
/// (renderers would recurse that deep); `first` is the file line of `text`.
pub(super) fn too_deep(text: &str, file: &Path, first: usize) -> Option<Problem> {
    let (n, depth) = text
        .lines()
        .enumerate()
        .map(|(n, l)| (n, inline::line_nesting(l)))
        .find(|(_, d)| *d > MAX_NESTING)?;
    Some(
        Problem::new(
            Rule::InvalidFrontMatter,
            format!("This line nests quotes or lists {depth} levels deep; at most {MAX_NESTING} are allowed."),
        )
        .at(Location::at(file, first + n, 1))
        .with_hint("flatten the nesting: a portfolio reads best with two or three levels at most"),
    )
}

/// What to say of the attachment `written` that is not at `full`: a
/// Windows path (`attachments\IMG_2041.JPG`) is told to use /; a file
/// named without its folder, or misspelt, gets "did you mean".
fn missing_attachment(written: &str, files: &dyn Source, full: &Path) -> (String, String) {
    let message = format!("The attachment `{written}` does not exist.");
    if written.contains('\\') {
        let forward = written.replace('\\', "/");
        return (
            format!("The attachment `{written}` does not exist: use / in paths, not \\."),
            format!("write it as \"{forward}\" (a path with / works on Windows, macOS and Linux)"),
        );
    }
    // `IMG_2041.JPG` for attachments/IMG_2041.JPG: the folder left out.
    let bare = Path::new(written).components().count() == 1;
    let in_attachments = Path::new("attachments");
    if bare
        && matches!(
            resolve(files, &in_attachments.join(written)),
            Resolved::Inside(_, Entry::File { .. })
        )
    {
        return (message, format!("did you mean `attachments/{written}`?"));
    }
    let near = near_file(files, full)
        .map(
            |n| match Path::new(written).parent().filter(|p| !p.as_os_str().is_empty()) {
                Some(p) => format!("{}/{n}", p.display()),
                None => n,
            },
        )
        .or_else(|| {
            bare.then(|| near_file(files, &in_attachments.join(written)))
                .flatten()
                .map(|n| format!("attachments/{n}"))
        });
    match near {
        Some(n) => (message, format!("did you mean `{n}`?")),
        None => (
            message,
            "check the spelling, or copy the file into the portfolio's attachments/ folder".into(),
        ),
    }
}

/// A file beside a missing one whose name is close to it.
fn near_file(files: &dyn Source, missing: &Path) -> Option<String> {
    let dir = missing.parent()?;
    let wanted = missing.file_name()?.to_string_lossy().to_string();
    let names: Vec<String> = files.list(dir).ok()?.into_iter().map(|(n, _)| n).collect();
    let near = crate::diagnostic::closest(&wanted, names.iter().map(String::as_str));
    near.first().map(|n| n.to_string())
}

/// Whether `id` is a usable item id: letters, digits, `-_./`, at most 120
/// bytes, its `/`-separated parts names (never empty, `.` or `..`), so that
/// `assessment/<id>/` stays inside `assessment/`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 120
        && id.chars().all(|c| c.is_alphanumeric() || "-_./".contains(c))
        && !id.split('/').any(|part| part.is_empty() || part == "." || part == "..")
}
