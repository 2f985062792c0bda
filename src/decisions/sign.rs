//! `portfolio assess`: one decision signed with the decider's OpenSSH key and
//! written as a new record under `assessment/<item>/`. Evidence files are
//! only read, never written.
//!
//! A decision that could never count is refused before anything is written:
//! for an item that does not exist (with the ids it may have meant), dated
//! before the evidence or after today, by the learner, by someone
//! `portfolio.toml` does not name as an assessor (assessor decisions), for a
//! portfolio with neither a learner id nor a ULN, or — given the centre's
//! roster — in a role the roster does not let the key sign.

use super::signers::Signers;
use super::{ContentFile, FOLDER, Record, message};
use crate::evidence::Portfolio;
use ssh_key::LineEnding;
use std::path::{Path, PathBuf};

/// Why a decision could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("there is no item `{item}` in the portfolio; {hint}")]
    NoItem { item: String, hint: String },
    #[error("the item `{0}` has input errors; fix them (see `portfolio check`) before it is assessed")]
    Unusable(String),
    #[error("cannot read the key {}: {reason}", path.display())]
    Key { path: PathBuf, reason: String },
    #[error(
        "the key {} is protected by a passphrase, and none could be asked for here (not a terminal): run `ssh-add {}` so that ssh-agent signs with it, or run `portfolio assess` in a terminal",
        .0.display(),
        .0.display()
    )]
    Encrypted(PathBuf),
    #[error("the passphrase does not open the key {}: nothing was signed; try again", .0.display())]
    Passphrase(PathBuf),
    #[error(
        "{} is the public half of a key; give the private key file (the same name without .pub)",
        .0.display()
    )]
    PublicHalf(PathBuf),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot sign: {0}")]
    Sign(String),
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What is decided.
#[derive(Debug, Clone)]
pub struct Decide {
    pub item: String,
    pub role: String,
    pub decision: String,
    pub by: String,
    pub date: crate::date::Date,
    pub feedback: Option<String>,
    /// The criteria decided, as codes of the item's tags (`3.1`,
    /// `unit-214:3.1`); empty: the whole item.
    pub criteria: Vec<String>,
}

pub use super::keys::{Signer, read_key};

/// The record for `decide`, signed with `key` on `today`, checked against
/// the centre's roster when one is given; refused when it could never count.
/// The portfolio's files are read from its folder on disk.
pub fn signed_record(
    portfolio: &Portfolio,
    criteria: &crate::criteria::Criteria,
    decide: &Decide,
    key: &Signer,
    roster: Option<&Signers>,
    today: crate::date::Date,
) -> Result<Record, SignError> {
    let source = crate::source::DiskSource::new(&portfolio.root);
    signed_record_in(&source, portfolio, criteria, decide, key, roster, today)
}

/// [`signed_record`] over the portfolio's files as `source` holds them
/// (the browser's engine: files in memory).
pub fn signed_record_in(
    source: &dyn crate::source::Source,
    portfolio: &Portfolio,
    criteria: &crate::criteria::Criteria,
    decide: &Decide,
    key: &Signer,
    roster: Option<&Signers>,
    today: crate::date::Date,
) -> Result<Record, SignError> {
    let valid: &[&str] = match decide.role.as_str() {
        "assessor" => &["accepted", "referred", "pending"],
        "iqa" => &["confirmed", "returned"],
        other => return Err(SignError::Invalid(format!("`{other}` is not a role: assessor or iqa"))),
    };
    if !valid.contains(&decide.decision.as_str()) {
        return Err(SignError::Invalid(format!(
            "an {} decides {}, not `{}`",
            decide.role,
            valid.join(" or "),
            decide.decision
        )));
    }
    if decide.decision == "returned" && decide.feedback.as_deref().is_none_or(|f| f.trim().is_empty()) {
        return Err(SignError::Invalid(
            "a returned decision needs --feedback saying what the assessor must look at again".to_string(),
        ));
    }
    if decide.by.trim().is_empty() || decide.by.chars().any(char::is_control) {
        return Err(SignError::Invalid(
            "--by needs the principal as in the centre's roster".to_string(),
        ));
    }
    let item = portfolio
        .items
        .iter()
        .find(|i| i.id == decide.item)
        .ok_or_else(|| SignError::NoItem {
            item: decide.item.clone(),
            hint: no_item_hint(portfolio, &decide.item),
        })?;
    if !item.usable {
        return Err(SignError::Unusable(decide.item.clone()));
    }
    let never = |why: String| Err(SignError::Invalid(format!("refused, nothing written: {why}")));
    // The criteria named, each one of the item's tags, in catalogue order,
    // written as the grid shows them.
    let mut named: Vec<crate::criteria::CritId> = Vec::new();
    for code in decide.criteria.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        match super::outcome::criterion_of(criteria, item, code) {
            Ok(id) if !named.contains(&id) => named.push(id),
            Ok(_) => {}
            Err(why) => return never(why),
        }
    }
    named.sort_unstable();
    if !named.is_empty() && decide.role != "assessor" {
        return never(format!(
            "an IQA's {} is on the whole item; only an assessor decides per criterion",
            decide.decision
        ));
    }
    let learner = &portfolio.settings.learner;
    if learner.id.is_none() && learner.uln.is_none() {
        return never(
            "portfolio.toml gives neither the learner's id nor ULN, so a signed decision could not be bound to this learner; add [learner] id (or uln) first".to_string(),
        );
    }
    if learner.name.trim().is_empty() {
        return never("portfolio.toml gives no learner name".to_string());
    }
    if decide.date > today {
        return never(format!("the decision is dated {}, after today ({today})", decide.date));
    }
    if decide.date < item.date {
        return never(format!(
            "the decision is dated {}, before the evidence it decides on ({})",
            decide.date, item.date
        ));
    }
    if super::outcome::is_learner(&decide.by, &learner.name) {
        return never(format!(
            "{} is the learner, who cannot decide on their own evidence",
            decide.by
        ));
    }
    let assessors: Vec<&str> = portfolio.settings.assessors.iter().map(|a| a.name.as_str()).collect();
    if decide.role == "assessor" && !super::outcome::names_assessor(&decide.by, &assessors) {
        return never(format!(
            "{} is not an assessor of this learner (portfolio.toml names {}); an assessor's decision counts only from the learner's assessor",
            decide.by,
            if assessors.is_empty() {
                "none".to_string()
            } else {
                assessors.join(", ")
            }
        ));
    }
    let namespace = message::namespace_for(&decide.role);
    if let Some(roster) = roster {
        let (from, to) = super::signers::day_bounds(today);
        if let Err(why) = roster.check(decide.by.trim(), &namespace, key.public_key().key_data(), from, to) {
            return never(format!(
                "the centre's roster does not let this key sign as {} for {}: {why}",
                decide.role,
                decide.by.trim()
            ));
        }
    }
    let files: Vec<ContentFile> = message::content(source, item);
    let codes: Vec<String> = named.iter().map(|&id| criteria.display_code(id)).collect();
    let mut record = Record {
        format: if codes.is_empty() {
            message::FORMAT
        } else {
            message::FORMAT_V3
        }
        .to_string(),
        criteria: (!codes.is_empty()).then_some(codes),
        item: item.id.clone(),
        role: decide.role.clone(),
        decision: decide.decision.clone(),
        by: decide.by.trim().to_string(),
        date: decide.date.to_string(),
        feedback: decide.feedback.clone().filter(|f| !f.trim().is_empty()),
        sequence: Some(next_sequence(source, &item.id)),
        learner_id: learner.id.clone().unwrap_or_default(),
        learner_uln: learner.uln.clone().unwrap_or_default(),
        signature: String::new(),
        files,
    };
    let sig = key.sign(&namespace, &message::message(&record))?;
    record.signature = sig.to_pem(LineEnding::LF).map_err(|e| SignError::Sign(e.to_string()))?;
    Ok(record)
}

/// The next number of item `id`'s history: one more than any record of
/// its folder (its signed sequence, or its file's number).
fn next_sequence(files: &dyn crate::source::Source, id: &str) -> u32 {
    let dir = Path::new(FOLDER).join(id);
    super::record_files(files)
        .iter()
        .filter(|f| f.parent() == Some(dir.as_path()))
        .map(|f| {
            let signed = super::read_record(files, f).ok().and_then(|r| r.sequence).unwrap_or(0);
            signed.max(super::seq_of(f))
        })
        .max()
        .unwrap_or(0)
        .saturating_add(1)
}

/// What to say when `given` names no item: the item it most likely means
/// ("did you mean `05-observation-morning-huddle`?"), from a file name
/// (`evidence/05-observation-morning-huddle.md`, with either slash) or a
/// misspelt id.
fn no_item_hint(portfolio: &Portfolio, given: &str) -> String {
    const HOW: &str = "an item is named by its id: its file name under evidence/ without .md, unless it sets `id`";
    let ids: Vec<&str> = portfolio.items.iter().map(|i| i.id.as_str()).collect();
    // A path: the part under evidence/, without .md.
    let path = given.trim().replace('\\', "/");
    let under = path.rsplit_once("evidence/").map_or(path.as_str(), |(_, rest)| rest);
    let under = under.trim_start_matches("./");
    let stem = under
        .len()
        .checked_sub(3)
        .filter(|&n| under.is_char_boundary(n) && under[n..].eq_ignore_ascii_case(".md"))
        .map_or(under, |n| &under[..n]);
    let by_file = portfolio
        .items
        .iter()
        .find(|i| {
            let file = i.path.to_string_lossy().replace('\\', "/");
            let file = file.strip_prefix("evidence/").unwrap_or(&file);
            i.id.eq_ignore_ascii_case(stem) || file.eq_ignore_ascii_case(under)
        })
        .map(|i| vec![i.id.as_str()]);
    // `05`: the one item whose id starts with that number.
    let by_prefix = || {
        let starts: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| id.starts_with(&format!("{stem}-")))
            .collect();
        (starts.len() == 1).then_some(starts)
    };
    // A typo: the closest ids, and only those as close as the closest.
    let by_spelling = || {
        let close = crate::diagnostic::closest(stem, ids.iter().copied());
        let edits = |id: &str| strsim::levenshtein(&stem.to_lowercase(), &id.to_lowercase());
        let best = close.iter().map(|id| edits(id)).min().unwrap_or(0);
        close.into_iter().filter(|id| edits(id) == best).collect()
    };
    let options = by_file.or_else(by_prefix).unwrap_or_else(by_spelling);
    match crate::diagnostic::did_you_mean(&options) {
        Some(mean) => format!("{mean} ({HOW})"),
        None => format!("{HOW}; `portfolio check` lists the items"),
    }
}

/// Where `record` goes in the portfolio and what that file says: file
/// number `sequence` (else the next free one among `files`) of its item's
/// folder, `assessment/ID/NNN-ROLE.toml`. What [`store`] writes to disk and
/// the browser's engine keeps in memory.
pub fn record_file(files: &dyn crate::source::Source, record: &Record) -> Result<(PathBuf, String), SignError> {
    if !crate::evidence::valid_id(&record.item) {
        return Err(SignError::Invalid(format!("`{}` is not an item id", record.item)));
    }
    let next = record.sequence.unwrap_or_else(|| next_sequence(files, &record.item));
    let text = format!(
        "# A signed decision ({}). Do not edit: the signature covers every field.\n# Verify: portfolio decisions DIR --signers ALLOWED_SIGNERS\n{}",
        record.format,
        toml::to_string(record).map_err(|e| SignError::Sign(e.to_string()))?
    );
    let path = Path::new(FOLDER)
        .join(&record.item)
        .join(format!("{next:03}-{}.toml", record.role));
    Ok((path, text))
}

/// Writes `record` as file number `sequence` of its item's folder; returns
/// its path relative to the portfolio. Never replaces a file.
pub fn store(root: &Path, record: &Record) -> Result<PathBuf, SignError> {
    let (rel, text) = record_file(&crate::source::DiskSource::new(root), record)?;
    let path = root.join(&rel);
    let dir = path.parent().unwrap_or(root).to_path_buf();
    std::fs::create_dir_all(&dir).map_err(|source| SignError::Write {
        path: dir.clone(),
        source,
    })?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|source| SignError::Write {
            path: path.clone(),
            source,
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|source| SignError::Write {
            path: path.clone(),
            source,
        })?;
    Ok(path.strip_prefix(root).unwrap_or(&path).to_path_buf())
}
