//! `portfolio assess`: one decision signed with the decider's OpenSSH key and
//! written as a new record under `assessment/<item>/`. Evidence files are
//! only read, never written.

use super::{ContentFile, FOLDER, Record, message};
use crate::evidence::Portfolio;
use ssh_key::{HashAlg, LineEnding, PrivateKey};
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
        "the key {} is protected by a passphrase, and portfolio does not ask for passphrases: sign with a key kept without one on the assessor's own machine, or make a copy without it (`ssh-keygen -p -f COPY`)",
        .0.display()
    )]
    Encrypted(PathBuf),
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
}

/// Reads an OpenSSH private key file.
pub fn read_key(path: &Path) -> Result<PrivateKey, SignError> {
    let key = PrivateKey::read_openssh_file(path).map_err(|e| SignError::Key {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    if key.is_encrypted() {
        return Err(SignError::Encrypted(path.to_path_buf()));
    }
    Ok(key)
}

/// The record for `decide`, signed with `key`.
pub fn signed_record(portfolio: &Portfolio, decide: &Decide, key: &PrivateKey) -> Result<Record, SignError> {
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
    let files: Vec<ContentFile> = message::content(&portfolio.root, item);
    let learner = &portfolio.settings.learner;
    let mut record = Record {
        format: message::FORMAT.to_string(),
        item: item.id.clone(),
        role: decide.role.clone(),
        decision: decide.decision.clone(),
        by: decide.by.trim().to_string(),
        date: decide.date.to_string(),
        feedback: decide.feedback.clone().filter(|f| !f.trim().is_empty()),
        learner_id: learner.id.clone().unwrap_or_default(),
        learner_uln: learner.uln.clone().unwrap_or_default(),
        signature: String::new(),
        files,
    };
    let sig = key
        .sign(message::NAMESPACE, HashAlg::Sha512, &message::message(&record))
        .map_err(|e| SignError::Sign(e.to_string()))?;
    record.signature = sig.to_pem(LineEnding::LF).map_err(|e| SignError::Sign(e.to_string()))?;
    Ok(record)
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

/// Writes `record` as the next file of its item's folder; returns its path
/// relative to the portfolio. Never replaces a file.
pub fn store(root: &Path, record: &Record) -> Result<PathBuf, SignError> {
    let dir = root.join(FOLDER).join(&record.item);
    std::fs::create_dir_all(&dir).map_err(|source| SignError::Write {
        path: dir.clone(),
        source,
    })?;
    let next = super::record_files(root)
        .iter()
        .filter(|f| f.parent() == Some(dir.as_path()))
        .map(|f| super::seq_of(f))
        .max()
        .unwrap_or(0)
        + 1;
    let text = format!(
        "# A signed decision ({}). Do not edit: the signature covers every field.\n# Verify: portfolio decisions DIR --signers ALLOWED_SIGNERS\n{}",
        message::FORMAT,
        toml::to_string(record).map_err(|e| SignError::Sign(e.to_string()))?
    );
    let name = format!("{next:03}-{}.toml", record.role);
    let path = dir.join(&name);
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
