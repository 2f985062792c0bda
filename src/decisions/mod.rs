//! Signed decisions: assessors' and IQAs' decisions on items, each signed
//! with the signer's OpenSSH key (SSHSIG, namespace `portfolio-decision`)
//! over a canonical message that binds it to the item's exact bytes.
//!
//! A stage between [`crate::evidence`] and [`crate::coverage`]: the records
//! under `assessment/` are read and verified here (signature, roster,
//! learner, content binding), and coverage uses the outcome per item.
//! `portfolio assess` writes them ([`sign`]); `docs/decisions.md` describes
//! the files and the message.

pub mod message;
pub mod outcome;
pub mod sign;
pub mod signers;
#[cfg(test)]
mod tests;

use crate::diagnostic::{Location, Problem, Rule};
use crate::evidence::Portfolio;
use serde::{Deserialize, Serialize};
use signers::Signers;
use std::path::{Path, PathBuf};

/// The folder of decision records inside a portfolio.
pub const FOLDER: &str = "assessment";

/// The most decision records read from one portfolio.
pub const MAX_RECORDS: usize = 10_000;

/// One file the decision covers and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentFile {
    /// Relative to the portfolio folder, with `/`.
    pub path: String,
    pub sha256: String,
}

/// One decision record as stored in `assessment/<item>/<NNN>-<role>.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub format: String,
    pub item: String,
    /// `assessor` or `iqa`.
    pub role: String,
    /// `accepted`, `referred`, `pending` (assessor); `confirmed`, `returned` (IQA).
    pub decision: String,
    /// The principal, as in the centre's allowed_signers file.
    pub by: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
    pub learner_id: String,
    pub learner_uln: String,
    /// The armored SSHSIG (`-----BEGIN SSH SIGNATURE-----`).
    pub signature: String,
    #[serde(rename = "file")]
    pub files: Vec<ContentFile>,
}

/// What checking a decision found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "verdict", content = "reason")]
pub enum Verdict {
    /// The signature is good, by a principal the roster lists with that key,
    /// and the item is unchanged.
    Verified,
    /// The signature is good and the item unchanged, but no roster was given.
    Valid,
    /// The signature is good but the item changed after it was signed.
    ChangedSince,
    /// Not counted: why.
    Unverified(String),
}

impl Verdict {
    /// "verified", "valid (no roster)", "changed since", "unverified".
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::Valid => "signature valid, not checked against a roster",
            Verdict::ChangedSince => "changed since",
            Verdict::Unverified(_) => "unverified",
        }
    }

    /// A good signature (and roster, when given).
    pub fn signed_ok(&self) -> bool {
        !matches!(self, Verdict::Unverified(_))
    }
}

/// One record and its verdict.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Relative to the portfolio folder.
    pub file: PathBuf,
    /// The number the file name starts with: orders decisions of one day.
    pub seq: u32,
    pub record: Option<Record>,
    pub verdict: Verdict,
    /// Index into `Portfolio::items`.
    pub item: Option<usize>,
    /// Files whose bytes differ from those signed.
    pub changed: Vec<String>,
}

impl Recorded {
    /// The date, when the record has a readable one.
    pub fn date(&self) -> Option<crate::date::Date> {
        self.record.as_ref().and_then(|r| crate::date::Date::parse(&r.date))
    }
}

/// Every decision of a portfolio, verified.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    /// Whether they were checked against a roster (`--signers`).
    pub roster: bool,
    /// Sorted by file.
    pub list: Vec<Recorded>,
    /// `decision-unverified` for each record that does not count.
    pub problems: Vec<Problem>,
}

impl Decisions {
    /// The decisions on item `i`, oldest first.
    pub fn of_item(&self, i: usize) -> Vec<&Recorded> {
        let mut list: Vec<&Recorded> = self.list.iter().filter(|r| r.item == Some(i)).collect();
        list.sort_by_key(|r| (r.date(), r.seq));
        list
    }
}

/// Reads and verifies every record under `assessment/`.
pub fn load(portfolio: &Portfolio, roster: Option<&Signers>) -> Decisions {
    let mut decisions = Decisions {
        roster: roster.is_some(),
        ..Decisions::default()
    };
    for file in record_files(&portfolio.root) {
        let rel = file.strip_prefix(&portfolio.root).unwrap_or(&file).to_path_buf();
        let seq = seq_of(&rel);
        let recorded = match read_record(&file) {
            Ok(record) => check(portfolio, roster, rel, seq, record),
            Err(reason) => Recorded {
                file: rel,
                seq,
                record: None,
                verdict: Verdict::Unverified(reason),
                item: None,
                changed: Vec::new(),
            },
        };
        if let Verdict::Unverified(reason) = &recorded.verdict {
            let item = recorded.record.as_ref().map(|r| r.item.clone());
            let mut p = Problem::new(
                Rule::DecisionUnverified,
                format!("This decision does not count: {reason}."),
            )
            .at(Location::at(&recorded.file, 1, 1))
            .with_hint("ask the assessor to decide again with `portfolio assess`, signing with the key the centre's roster lists");
            if let Some(item) = item {
                p = p.for_item(&item);
            }
            decisions.problems.push(p);
        }
        decisions.list.push(recorded);
    }
    decisions
}

fn read_record(file: &Path) -> Result<Record, String> {
    let meta = std::fs::symlink_metadata(file).map_err(|e| format!("it cannot be read ({e})"))?;
    if meta.len() > 1024 * 1024 {
        return Err("the file is larger than 1 MiB".to_string());
    }
    let text = std::fs::read_to_string(file).map_err(|e| format!("it cannot be read ({e})"))?;
    toml::from_str(&text).map_err(|e| format!("it is not a decision record ({})", e.message()))
}

/// `.toml` files under `assessment/`, sorted, symlinks not followed, at most
/// [`MAX_RECORDS`].
pub fn record_files(root: &Path) -> Vec<PathBuf> {
    let dir = root.join(FOLDER);
    // A link is never followed (the loader warns): only the learner's own files.
    if !dir.is_dir() || crate::evidence::is_link(root, FOLDER) {
        return Vec::new();
    }
    walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .max_depth(8)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "toml"))
        .map(walkdir::DirEntry::into_path)
        .take(MAX_RECORDS)
        .collect()
}

/// `007-assessor.toml` → 7.
fn seq_of(rel: &Path) -> u32 {
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let digits: String = stem.chars().take_while(char::is_ascii_digit).take(9).collect();
    digits.parse().unwrap_or(0)
}

fn check(portfolio: &Portfolio, roster: Option<&Signers>, file: PathBuf, seq: u32, record: Record) -> Recorded {
    let mut out = Recorded {
        file,
        seq,
        item: None,
        verdict: Verdict::Verified,
        changed: Vec::new(),
        record: None,
    };
    out.verdict = match verify_signature(portfolio, roster, &record) {
        Err(reason) => Verdict::Unverified(reason),
        Ok(()) => {
            let found = portfolio.items.iter().position(|i| i.usable && i.id == record.item);
            out.item = found;
            match found {
                None => Verdict::Unverified(format!("there is no usable item `{}`", record.item)),
                Some(i) => {
                    let now = message::content(&portfolio.root, &portfolio.items[i]);
                    out.changed = changed_files(&record.files, &now);
                    if !out.changed.is_empty() {
                        Verdict::ChangedSince
                    } else if roster.is_some() {
                        Verdict::Verified
                    } else {
                        Verdict::Valid
                    }
                }
            }
        }
    };
    out.record = Some(record);
    out
}

/// The paths signed whose bytes are not those now (and files added or removed).
fn changed_files(signed: &[ContentFile], now: &[ContentFile]) -> Vec<String> {
    let mut changed: Vec<String> = signed
        .iter()
        .filter(|s| !now.contains(s))
        .map(|s| s.path.clone())
        .collect();
    for n in now.iter().filter(|n| !signed.iter().any(|s| s.path == n.path)) {
        changed.push(n.path.clone());
    }
    changed.dedup();
    changed
}

/// The record's signature over its message, its namespace, its learner and
/// (given a roster) its signer.
fn verify_signature(portfolio: &Portfolio, roster: Option<&Signers>, record: &Record) -> Result<(), String> {
    if record.format != message::FORMAT {
        return Err(format!("its format is `{}`, not `{}`", record.format, message::FORMAT));
    }
    let valid_words: &[&str] = match record.role.as_str() {
        "assessor" => &["accepted", "referred", "pending"],
        "iqa" => &["confirmed", "returned"],
        other => return Err(format!("its role is `{other}`, not assessor or iqa")),
    };
    if !valid_words.contains(&record.decision.as_str()) {
        return Err(format!(
            "`{}` is not a decision an {} makes",
            record.decision, record.role
        ));
    }
    let date = crate::date::Date::parse(&record.date).ok_or_else(|| format!("`{}` is not a date", record.date))?;
    let sig = ssh_key::SshSig::from_pem(record.signature.trim())
        .map_err(|e| format!("its signature cannot be read ({e})"))?;
    if sig.namespace() != message::NAMESPACE {
        return Err(format!(
            "it was signed for `{}`, not `{}`",
            sig.namespace(),
            message::NAMESPACE
        ));
    }
    let key = ssh_key::PublicKey::new(sig.public_key().clone(), "");
    key.verify(message::NAMESPACE, &message::message(record), &sig)
        .map_err(|_| {
            "its signature does not match its content: the record was altered after it was signed".to_string()
        })?;
    let learner = &portfolio.settings.learner;
    if record.learner_id != learner.id.clone().unwrap_or_default()
        || record.learner_uln != learner.uln.clone().unwrap_or_default()
    {
        return Err(format!(
            "it was signed for learner `{}` (ULN `{}`), not the learner of this portfolio",
            record.learner_id, record.learner_uln
        ));
    }
    if let Some(roster) = roster {
        let fp = key.fingerprint(ssh_key::HashAlg::Sha256);
        if !roster.lists(&record.by, message::NAMESPACE) {
            return Err(format!(
                "{} is not in the roster of signers for `{}`",
                record.by,
                message::NAMESPACE
            ));
        }
        if !roster.allows(&record.by, message::NAMESPACE, date, key.key_data()) {
            return Err(format!(
                "it is signed with key {fp}, which the roster does not list for {} on {}",
                record.by, record.date
            ));
        }
    }
    Ok(())
}
