//! The canonical message a decision signs: one `key: value` line per field,
//! in a fixed order, every value escaped so that a line break can never
//! start a new field. Version 2 (`portfolio-decision/2`, what `assess`
//! writes) adds `sequence:`, the record's place in its item's history, and
//! is signed in the namespace of its role (`portfolio-assessor`,
//! `portfolio-iqa`); version 1 (`portfolio-decision/1`, namespace
//! `portfolio-decision`) is still read. Version 3 (`portfolio-decision/3`)
//! is version 2 with one `criterion:` line per criterion the decision
//! names: what `assess --criteria` writes; an item-wide decision is still
//! written as version 2. `docs/decisions.md` gives the grammar; the
//! exported `.msg` files are exactly these bytes.

use super::{ContentFile, Record};
use crate::source::Source;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::Path;

/// The first line of every version-2 message, and the `format` of a record:
/// what `assess` writes.
pub const FORMAT: &str = "portfolio-decision/2";

/// The format of a decision on some of an item's criteria: version 2 with
/// a signed `criterion:` line for each criterion it names.
pub const FORMAT_V3: &str = "portfolio-decision/3";

/// The format of version-1 records (no sequence, one namespace for every
/// role), still read.
pub const FORMAT_V1: &str = "portfolio-decision/1";

/// The SSHSIG namespace version-1 decisions were signed in.
pub const NAMESPACE: &str = "portfolio-decision";

/// The SSHSIG namespace a version-2 decision in `role` is signed in, which
/// the roster grants per role: `portfolio-assessor`, `portfolio-iqa`.
pub fn namespace_for(role: &str) -> String {
    format!("portfolio-{role}")
}

/// The namespace `record` must be signed in.
pub fn namespace_of(record: &Record) -> String {
    if record.format == FORMAT_V1 {
        NAMESPACE.to_string()
    } else {
        namespace_for(&record.role)
    }
}

/// `\` → `\\`, line feed → `\n`, carriage return → `\r`, other control
/// characters → `\u{..}`: a value always stays on one line.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The bytes that are signed for `record`.
pub fn message(record: &Record) -> Vec<u8> {
    let mut m = String::new();
    let mut line = |key: &str, value: &str| {
        m.push_str(key);
        m.push_str(": ");
        m.push_str(&escape(value));
        m.push('\n');
    };
    let format = match record.format.as_str() {
        FORMAT_V1 => FORMAT_V1,
        FORMAT_V3 => FORMAT_V3,
        _ => FORMAT,
    };
    line("format", format);
    line("learner-id", &record.learner_id);
    line("learner-uln", &record.learner_uln);
    line("item", &record.item);
    if format != FORMAT_V1 {
        line("sequence", &record.sequence.unwrap_or(0).to_string());
    }
    if format == FORMAT_V3 {
        // One line each, escaped: a code can never make a line of its own.
        for code in record.criteria.iter().flatten() {
            line("criterion", code);
        }
    }
    for f in &record.files {
        line("file", &format!("{} sha256:{}", f.path, f.sha256));
    }
    line("decision", &record.decision);
    line("principal", &record.by);
    line("role", &record.role);
    line("date", &record.date.to_string());
    line("feedback", record.feedback.as_deref().unwrap_or(""));
    m.into_bytes()
}

/// The lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// The item's content as it is now: its evidence file, then each attachment
/// in the order listed, with the SHA-256 of each file's bytes. A file that
/// cannot be read gets the hash `unreadable`, which never matches.
pub fn content(source: &dyn Source, item: &crate::evidence::Item) -> Vec<ContentFile> {
    let mut files = vec![file_hash(source, &item.path)];
    for a in &item.attachments {
        match &a.resolved {
            Some(p) => files.push(file_hash(source, p)),
            None => files.push(ContentFile {
                path: a.path.clone(),
                sha256: "missing".to_string(),
            }),
        }
    }
    files
}

fn file_hash(source: &dyn Source, rel: &Path) -> ContentFile {
    ContentFile {
        path: rel.to_string_lossy().replace('\\', "/"),
        sha256: sha256_file(source, rel).unwrap_or_else(|_| "unreadable".to_string()),
    }
}

/// The lower-case hex SHA-256 of the file at `path` in `source`, read as a
/// stream (64 KB at a time): a 2.5 GB attachment is hashed in constant
/// memory.
pub fn sha256_file(source: &dyn Source, path: &Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut file = source.open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match std::io::Read::read(&mut file, &mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let mut hex = String::with_capacity(64);
    for b in hasher.finalize() {
        let _ = write!(hex, "{b:02x}");
    }
    Ok(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_a_value_on_one_line() {
        assert_eq!(escape("a\nfeedback: forged"), "a\\nfeedback: forged");
        assert_eq!(escape("back\\slash\r"), "back\\\\slash\\r");
        assert_eq!(escape("tab\there"), "tab\\u{9}here");
        assert!(!escape("x\ny\rz\u{2028}").contains('\n'));
    }

    #[test]
    fn a_file_hashed_as_a_stream_has_the_hash_of_its_bytes() {
        // Longer than one read, not a multiple of it.
        let bytes: Vec<u8> = (0..200_001u32).map(|i| (i % 251) as u8).collect();
        let files = crate::source::MemSource::from_files("p", [("f", bytes.clone())]);
        assert_eq!(sha256_file(&files, Path::new("f")).unwrap(), sha256_hex(&bytes));
        assert!(sha256_file(&files, Path::new("missing")).is_err());
    }

    #[test]
    fn sha256_of_nothing_is_the_known_value() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
