//! Signed decisions: assessors' and IQAs' decisions on items, each signed
//! with the signer's OpenSSH key (SSHSIG, namespace `portfolio-decision`)
//! over a canonical message that binds it to the item's exact bytes.
//!
//! A stage between [`crate::evidence`] and [`crate::coverage`]: the records
//! under `assessment/` are read and verified here (signature, roster,
//! learner, content binding), and coverage uses the outcome per item.
//! `portfolio assess` writes them ([`sign`]); `docs/decisions.md` describes
//! the files and the message.

pub mod keys;
pub mod message;
pub mod outcome;
pub mod sign;
pub mod signers;
#[cfg(test)]
mod tests;

use crate::diagnostic::{Location, Problem, Rule};
use crate::evidence::Portfolio;
use crate::source::{DiskSource, Entry, Kind, Source, Walked};
use serde::{Deserialize, Serialize};
use signers::Signers;
use std::path::{Path, PathBuf};

/// The folder of decision records inside a portfolio.
pub const FOLDER: &str = crate::evidence::ASSESSMENT_FOLDER;

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
    /// The record's place in its item's history, from 1, signed (version
    /// 2): orders decisions, and a gap or a repeat is seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<u32>,
    /// The criteria the decision is on, as codes of the item's tags
    /// (version 3, signed); none: the whole item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria: Option<Vec<String>>,
    pub learner_id: String,
    pub learner_uln: String,
    /// The armored SSHSIG (`-----BEGIN SSH SIGNATURE-----`).
    pub signature: String,
    #[serde(rename = "file")]
    pub files: Vec<ContentFile>,
}

/// How a `met` (or an item's acceptance) was decided, weakest first so
/// that the weakest of several is their minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Decided {
    /// An `[assessment]` table typed into the evidence file: anyone who can
    /// edit the file can type it.
    Typed,
    /// A signed decision whose signature is good, not checked against the
    /// centre's roster (no `--signers`).
    SignedUnverified,
    /// A signed decision verified against the centre's roster.
    SignedVerified,
}

impl Decided {
    /// All three, strongest first.
    pub const STRONGEST_FIRST: [Decided; 3] = [Decided::SignedVerified, Decided::SignedUnverified, Decided::Typed];

    /// `signed-verified`, `signed-unverified`, `typed`: the JSON word.
    pub fn word(self) -> &'static str {
        match self {
            Decided::Typed => "typed",
            Decided::SignedUnverified => "signed-unverified",
            Decided::SignedVerified => "signed-verified",
        }
    }

    /// For people: "signed, verified against the roster".
    pub fn words(self) -> &'static str {
        match self {
            Decided::Typed => "typed into the evidence file",
            Decided::SignedUnverified => "signed, not verified against a roster",
            Decided::SignedVerified => "signed, verified against the roster",
        }
    }

    /// A short tag for grids and tables: "verified", "unverified", "typed".
    pub fn short(self) -> &'static str {
        match self {
            Decided::Typed => "typed",
            Decided::SignedUnverified => "signed, unverified",
            Decided::SignedVerified => "signed, verified",
        }
    }
}

/// How many `met` criteria were decided each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MetBy {
    pub signed_verified: usize,
    pub signed_unverified: usize,
    pub typed: usize,
}

impl MetBy {
    /// Counts `decided` (one per met criterion).
    pub fn of(decided: impl IntoIterator<Item = Decided>) -> MetBy {
        let mut m = MetBy::default();
        for d in decided {
            match d {
                Decided::SignedVerified => m.signed_verified += 1,
                Decided::SignedUnverified => m.signed_unverified += 1,
                Decided::Typed => m.typed += 1,
            }
        }
        m
    }

    /// "7 signed and verified against the roster, 2 typed into evidence
    /// files", naming only the kinds there are; empty when none.
    pub fn sentence(&self) -> String {
        let mut parts = Vec::new();
        if self.signed_verified > 0 {
            parts.push(format!(
                "{} signed and verified against the roster",
                self.signed_verified
            ));
        }
        if self.signed_unverified > 0 {
            parts.push(format!(
                "{} signed but not verified against a roster",
                self.signed_unverified
            ));
        }
        if self.typed > 0 {
            parts.push(format!("{} typed into evidence files (not signed)", self.typed));
        }
        parts.join(", ")
    }
}

/// What checking a decision found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
    /// The number the file name starts with (not signed: never used to
    /// order decisions).
    pub seq: u32,
    pub record: Option<Record>,
    pub verdict: Verdict,
    /// Index into `Portfolio::items`.
    pub item: Option<usize>,
    /// Files whose bytes differ from those signed.
    pub changed: Vec<String>,
}

impl Recorded {
    /// The signed sequence number (version 2).
    pub fn sequence(&self) -> Option<u32> {
        self.record.as_ref().and_then(|r| r.sequence)
    }

    /// Where the record stands in its item's history, from what is signed:
    /// version-2 records by their sequence number, after every version-1
    /// record; version-1 records (no sequence) by date, and on one day the
    /// one that lowers most last, so that an unsigned file name never
    /// decides which of two same-day decisions stands.
    pub fn order(&self) -> (bool, u32, Option<crate::date::Date>, u8) {
        let rank = match self.record.as_ref().map(|r| r.decision.as_str()) {
            Some("accepted" | "confirmed") => 0,
            Some("pending") => 1,
            _ => 2,
        };
        match self.sequence() {
            Some(n) => (true, n, self.date(), rank),
            None => (false, 0, self.date(), rank),
        }
    }

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
    /// `decision-unverified` for each record that does not count, and
    /// `decision-order` for each gap or repeat in an item's sequence.
    pub problems: Vec<Problem>,
    /// Per item id, the sequence numbers from which its history cannot be
    /// trusted: the highest missing number, and the highest repeated one.
    pub broken_order: std::collections::BTreeMap<String, (u32, u32)>,
}

impl Decisions {
    /// The decisions on item `i` whose signatures verified, oldest first.
    pub fn of_item(&self, i: usize) -> Vec<&Recorded> {
        let mut list: Vec<&Recorded> = self.list.iter().filter(|r| r.item == Some(i)).collect();
        list.sort_by_key(|r| r.order());
        list
    }

    /// Every readable record that names the item `id`, whatever its
    /// verdict, oldest first.
    pub fn naming(&self, id: &str) -> Vec<&Recorded> {
        let mut list: Vec<&Recorded> = self
            .list
            .iter()
            .filter(|r| r.record.as_ref().is_some_and(|x| x.item == id))
            .collect();
        list.sort_by_key(|r| r.order());
        list
    }

    /// Whether something may be missing or doubled in item `id`'s signed
    /// history after the record at `sequence` (0: a version-1 record).
    pub fn order_broken_after(&self, id: &str, sequence: u32) -> bool {
        self.broken_order
            .get(id)
            .is_some_and(|&(missing, repeated)| missing > sequence || (repeated > 0 && repeated >= sequence))
    }
}

/// [`load_from`] the portfolio's folder on disk.
pub fn load(portfolio: &Portfolio, roster: Option<&Signers>, today: crate::date::Date) -> Decisions {
    load_from(portfolio, &DiskSource::new(&portfolio.root), roster, today)
}

/// Reads and verifies every record under `assessment/` in `files` (the
/// portfolio's), `today` being the day of the check (a roster's
/// `valid-after`/`valid-before` are judged against it, as `ssh-keygen -Y
/// verify` judges them against its clock).
pub fn load_from(
    portfolio: &Portfolio,
    files: &dyn Source,
    roster: Option<&Signers>,
    today: crate::date::Date,
) -> Decisions {
    let mut decisions = Decisions {
        roster: roster.is_some(),
        ..Decisions::default()
    };
    for rel in record_files(files) {
        let seq = seq_of(&rel);
        let recorded = match read_record(files, &rel) {
            Ok(record) => check(portfolio, files, roster, today, rel, seq, record),
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
    sequence_problems(&mut decisions);
    decisions
}

/// `decision-order`: for each item, a number missing from its signed
/// sequence (a record deleted) or given twice (a record copied, or two
/// decisions made at once).
fn sequence_problems(decisions: &mut Decisions) {
    use std::collections::BTreeMap;
    /// An item's signed numbers, and whether it has version-1 records too.
    type History<'a> = (Vec<(u32, &'a Recorded)>, bool);
    let mut by_item: BTreeMap<&str, History<'_>> = BTreeMap::new();
    for r in &decisions.list {
        let Some(record) = &r.record else { continue };
        let entry = by_item.entry(record.item.as_str()).or_default();
        match record.sequence {
            Some(n) => entry.0.push((n, r)),
            None => entry.1 = true,
        }
    }
    let mut problems = Vec::new();
    let mut broken = BTreeMap::new();
    for (item, (mut seqs, has_v1)) in by_item {
        if seqs.is_empty() {
            continue;
        }
        seqs.sort_by_key(|(n, r)| (*n, r.file.clone()));
        let first = if has_v1 { seqs[0].0 } else { 1 };
        let last = seqs[seqs.len() - 1].0;
        let (mut missing, mut repeated) = (0u32, 0u32);
        let mut expected = first;
        for w in 0..seqs.len() {
            let (n, r) = seqs[w];
            if w > 0 && seqs[w - 1].0 == n {
                repeated = n;
                problems.push(
                    Problem::new(
                        Rule::DecisionOrder,
                        format!(
                            "Two decision records on {item} carry the same signed number {n} ({} and {}): which came last cannot be told, so no acceptance from number {n} on counts.",
                            crate::diagnostic::display_path(&seqs[w - 1].1.file),
                            crate::diagnostic::display_path(&r.file)
                        ),
                    )
                    .at(Location::at(&r.file, 1, 1))
                    .for_item(item)
                    .with_hint("a record copied from elsewhere never counts; ask the assessor to decide again with `portfolio assess`"),
                );
                continue;
            }
            if n > expected {
                missing = n - 1;
                let gap = if n - expected == 1 {
                    format!("number {expected} is")
                } else {
                    format!("numbers {expected} to {} are", n - 1)
                };
                problems.push(
                    Problem::new(
                        Rule::DecisionOrder,
                        format!(
                            "The decision records on {item} skip a signed number: {gap} missing before {} (a record deleted?). No acceptance signed before the gap counts.",
                            crate::diagnostic::display_path(&r.file)
                        ),
                    )
                    .at(Location::at(&r.file, 1, 1))
                    .for_item(item)
                    .with_hint("restore the missing record from the centre's copy, or ask the assessor to decide again with `portfolio assess`"),
                );
            }
            expected = n.saturating_add(1);
        }
        debug_assert!(expected > last);
        if missing > 0 || repeated > 0 {
            broken.insert(item.to_string(), (missing, repeated));
        }
    }
    decisions.problems.extend(problems);
    decisions.broken_order = broken;
}

fn read_record(files: &dyn Source, file: &Path) -> Result<Record, String> {
    match files.entry(file) {
        Ok(Entry::File { len }) if len > 1024 * 1024 => return Err("the file is larger than 1 MiB".to_string()),
        Ok(_) => {}
        Err(e) => return Err(format!("it cannot be read ({e})")),
    }
    let text = crate::source::read_to_string(files, file).map_err(|e| format!("it cannot be read ({e})"))?;
    toml::from_str(&text).map_err(|e| format!("it is not a decision record ({})", e.message()))
}

/// `.toml` files under `assessment/` in `files`, relative to its root,
/// sorted, symlinks not followed, at most [`MAX_RECORDS`].
pub fn record_files(files: &dyn Source) -> Vec<PathBuf> {
    // A link is never followed (the loader warns): only the learner's own files.
    if !matches!(files.entry(Path::new(FOLDER)), Ok(Entry::Folder)) {
        return Vec::new();
    }
    crate::source::walk(files, Path::new(FOLDER), 8)
        .into_iter()
        .filter_map(|w| match w {
            Walked::Entry(path, Kind::File) if path.extension().is_some_and(|x| x == "toml") => Some(path),
            _ => None,
        })
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

fn check(
    portfolio: &Portfolio,
    files: &dyn Source,
    roster: Option<&Signers>,
    today: crate::date::Date,
    file: PathBuf,
    seq: u32,
    record: Record,
) -> Recorded {
    let mut out = Recorded {
        file,
        seq,
        item: None,
        verdict: Verdict::Verified,
        changed: Vec::new(),
        record: None,
    };
    out.verdict = match verify_signature(portfolio, roster, today, &record) {
        Err(reason) => Verdict::Unverified(reason),
        Ok(()) => {
            let found = portfolio.items.iter().position(|i| i.usable && i.id == record.item);
            out.item = found;
            match found {
                None => Verdict::Unverified(format!("there is no usable item `{}`", record.item)),
                Some(i) => {
                    let now = message::content(files, &portfolio.items[i]);
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
/// (given a roster) its signer's right to sign in its role, over the days
/// from the decision's date to `today`.
fn verify_signature(
    portfolio: &Portfolio,
    roster: Option<&Signers>,
    today: crate::date::Date,
    record: &Record,
) -> Result<(), String> {
    match (record.format.as_str(), record.sequence) {
        (message::FORMAT_V1, None) => {}
        (message::FORMAT | message::FORMAT_V3, Some(n)) if n >= 1 => {}
        (message::FORMAT | message::FORMAT_V3, _) => return Err("it has no sequence number".to_string()),
        (message::FORMAT_V1, Some(_)) => return Err("a version-1 record carries no sequence number".to_string()),
        (other, _) => {
            return Err(format!(
                "its format is `{other}`, not `{}`, `{}` or `{}`",
                message::FORMAT_V3,
                message::FORMAT,
                message::FORMAT_V1
            ));
        }
    }
    match (record.format == message::FORMAT_V3, record.criteria.as_deref()) {
        (true, Some(codes)) if !codes.is_empty() => {
            if record.role != "assessor" {
                return Err("it names criteria, but only an assessor decides per criterion".to_string());
            }
            if codes.iter().any(|c| c.trim().is_empty()) {
                return Err("it names an empty criterion".to_string());
            }
        }
        (true, _) => {
            return Err("a version-3 record names the criteria it decides, and this one names none".to_string());
        }
        (false, Some(_)) => {
            return Err(format!(
                "it names criteria, but its format `{}` does not sign them (only `{}` does): the list was added after it was signed",
                record.format,
                message::FORMAT_V3
            ));
        }
        (false, None) => {}
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
    let namespace = message::namespace_of(record);
    let sig = ssh_key::SshSig::from_pem(record.signature.trim())
        .map_err(|e| format!("its signature cannot be read ({e})"))?;
    if sig.namespace() != namespace {
        return Err(format!("it was signed for `{}`, not `{namespace}`", sig.namespace()));
    }
    let key = ssh_key::PublicKey::new(sig.public_key().clone(), "");
    key.verify(&namespace, &message::message(record), &sig).map_err(|_| {
        "its signature does not match its content: the record was altered after it was signed".to_string()
    })?;
    let learner = &portfolio.settings.learner;
    let (id, uln) = (
        learner.id.clone().unwrap_or_default(),
        learner.uln.clone().unwrap_or_default(),
    );
    if id.is_empty() && uln.is_empty() {
        return Err(
            "portfolio.toml gives neither the learner's id nor ULN, so no signed decision can be bound to this learner (add [learner] id or uln)"
                .to_string(),
        );
    }
    if record.learner_id != id || record.learner_uln != uln {
        return Err(format!(
            "it was signed for learner `{}` (ULN `{}`), not the learner of this portfolio",
            record.learner_id, record.learner_uln
        ));
    }
    if let Some(roster) = roster {
        let fp = key.fingerprint(ssh_key::HashAlg::Sha256);
        // The key must be valid on every day from the decision to today.
        let (from, to) = (
            signers::day_bounds(date.min(today)).0,
            signers::day_bounds(date.max(today)).1,
        );
        let mut namespaces = vec![namespace.clone()];
        if record.format == message::FORMAT_V1 {
            // A version-1 record names its role itself: it counts only if
            // the roster also grants that key the role's own namespace.
            namespaces.push(message::namespace_for(&record.role));
        }
        for ns in &namespaces {
            roster
                .check(&record.by, ns, key.key_data(), from, to)
                .map_err(|why| format!("{why} (key {fp}, as {} on {})", record.role, record.date))?;
        }
    }
    Ok(())
}
