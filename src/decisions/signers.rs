//! The roster: an OpenSSH allowed_signers file (see ssh-keygen(1), "ALLOWED
//! SIGNERS"), one signer a line:
//!
//! ```text
//! # comment
//! j.patel@northgate.example,"J. Patel" namespaces="portfolio-decision" ssh-ed25519 AAAA... comment
//! ```
//!
//! Principals are comma-separated patterns (`*`, `?`, `!` to exclude), and
//! may be quoted; options are `namespaces="..."`, `valid-after="YYYYMMDD"`,
//! `valid-before="YYYYMMDD"` and `cert-authority` (certificates are not
//! used for decisions, so such lines are skipped). A line that cannot be
//! read is an error: a roster is never half-read.

use crate::date::Date;
use ssh_key::PublicKey;
use std::path::Path;

/// One usable line of the roster.
#[derive(Debug, Clone)]
pub struct Signer {
    /// The principals field's patterns, comma-separated.
    pub principals: String,
    /// `namespaces="..."` patterns, when given (none given: any namespace).
    pub namespaces: Option<String>,
    pub valid_after: Option<Date>,
    pub valid_before: Option<Date>,
    pub key: PublicKey,
    pub line: usize,
}

/// The centre's roster of assessors and IQAs.
#[derive(Debug, Clone, Default)]
pub struct Signers {
    pub signers: Vec<Signer>,
}

/// A line of the roster that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SignersError {
    pub line: usize,
    pub message: String,
}

/// A roster file that cannot be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct ReadSignersError {
    pub path: std::path::PathBuf,
    pub message: String,
}

impl Signers {
    /// Reads the file at `path`; the error names the file (and the line).
    pub fn read(path: &Path) -> Result<Signers, ReadSignersError> {
        let text = std::fs::read_to_string(path).map_err(|source| ReadSignersError {
            path: path.to_path_buf(),
            message: source.to_string(),
        })?;
        Signers::parse(&text).map_err(|e| ReadSignersError {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Parses the text of an allowed_signers file.
    pub fn parse(text: &str) -> Result<Signers, SignersError> {
        let mut signers = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line = n + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let err = |message: String| SignersError { line, message };
            if let Some(s) = parse_line(trimmed, line).map_err(err)? {
                signers.push(s);
            }
        }
        Ok(Signers { signers })
    }

    /// Whether `principal` may sign in `namespace` on `date` with `key`.
    pub fn allows(&self, principal: &str, namespace: &str, date: Date, key: &ssh_key::public::KeyData) -> bool {
        self.signers.iter().any(|s| {
            s.key.key_data() == key
                && match_list(principal, &s.principals)
                && s.namespaces.as_deref().is_none_or(|ns| match_list(namespace, ns))
                && s.valid_after.is_none_or(|d| date >= d)
                && s.valid_before.is_none_or(|d| date <= d)
        })
    }

    /// Whether any line names `principal` for `namespace`, whatever its key.
    pub fn lists(&self, principal: &str, namespace: &str) -> bool {
        self.signers.iter().any(|s| {
            match_list(principal, &s.principals) && s.namespaces.as_deref().is_none_or(|ns| match_list(namespace, ns))
        })
    }
}

/// One field: up to unquoted white space; quotes are removed.
fn field(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return (out, s[i..].trim_start()),
            c => out.push(c),
        }
    }
    (out, "")
}

/// The options field split at unquoted commas, quotes kept for values.
fn split_options(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            ',' if !quoted => parts.push(std::mem::take(&mut part)),
            c => {
                quoted ^= c == '"';
                part.push(c);
            }
        }
    }
    parts.push(part);
    parts
}

fn is_key_type(s: &str) -> bool {
    s.starts_with("ssh-") || s.starts_with("ecdsa-") || s.starts_with("sk-") || s.starts_with("rsa-sha2-")
}

fn parse_line(text: &str, line: usize) -> Result<Option<Signer>, String> {
    let (principals, rest) = field(text);
    if principals.is_empty() || rest.is_empty() {
        return Err("expected `principals [options] key-type base64-key`".to_string());
    }
    // The options field, when present, is raw text up to unquoted space.
    let (options, rest) = if is_key_type(rest.split_whitespace().next().unwrap_or("")) {
        (String::new(), rest)
    } else {
        raw_field(rest)
    };
    let mut words = rest.split_whitespace();
    let (Some(kind), Some(base64)) = (words.next(), words.next()) else {
        return Err("expected a key type and a base64 key after the principals".to_string());
    };
    let key =
        PublicKey::from_openssh(&format!("{kind} {base64}")).map_err(|e| format!("cannot read the {kind} key: {e}"))?;
    let mut signer = Signer {
        principals,
        namespaces: None,
        valid_after: None,
        valid_before: None,
        key,
        line,
    };
    for opt in split_options(&options).into_iter().filter(|o| !o.is_empty()) {
        let (name, value) = match opt.split_once('=') {
            Some((n, v)) => (n.to_ascii_lowercase(), Some(unquote(v)?)),
            None => (opt.to_ascii_lowercase(), None),
        };
        match (name.as_str(), value) {
            ("cert-authority", None) => return Ok(None),
            ("namespaces", Some(v)) => signer.namespaces = Some(v),
            ("valid-after", Some(v)) => signer.valid_after = Some(time(&v)?),
            ("valid-before", Some(v)) => signer.valid_before = Some(time(&v)?),
            _ => return Err(format!("unknown option `{opt}`")),
        }
    }
    Ok(Some(signer))
}

fn raw_field(s: &str) -> (String, &str) {
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return (s[..i].to_string(), s[i..].trim_start()),
            _ => {}
        }
    }
    (s.to_string(), "")
}

fn unquote(v: &str) -> Result<String, String> {
    match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => Ok(inner.to_string()),
        None if !v.contains('"') => Ok(v.to_string()),
        None => Err(format!("unbalanced quotes in `{v}`")),
    }
}

/// `YYYYMMDD[HHMM[SS]][Z]`: the day is what a decision's date is compared with.
fn time(v: &str) -> Result<Date, String> {
    let digits = v.trim_end_matches(['Z', 'z']);
    let ok = matches!(digits.len(), 8 | 12 | 14) && digits.bytes().all(|b| b.is_ascii_digit());
    let date = ok
        .then(|| Date::parse(&format!("{}-{}-{}", &digits[0..4], &digits[4..6], &digits[6..8])))
        .flatten();
    date.ok_or_else(|| format!("`{v}` is not a time as YYYYMMDD[HHMM[SS]][Z]"))
}

/// OpenSSH's pattern lists: the first `!pattern` that matches refuses, else
/// any pattern that matches accepts.
pub fn match_list(s: &str, list: &str) -> bool {
    let mut found = false;
    for pattern in list.split(',') {
        if let Some(negated) = pattern.strip_prefix('!') {
            if glob(s.as_bytes(), negated.as_bytes()) {
                return false;
            }
        } else if glob(s.as_bytes(), pattern.as_bytes()) {
            found = true;
        }
    }
    found
}

/// `*` and `?` globbing, iterative (bounded by the lengths).
fn glob(s: &[u8], p: &[u8]) -> bool {
    let (mut si, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            si += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> String {
        let k = ssh_key::PrivateKey::from(ssh_key::private::Ed25519Keypair::from_seed(&[9; 32]));
        k.public_key().to_openssh().unwrap()
    }

    #[test]
    fn reads_principals_options_and_comments() {
        let key = key();
        let text = format!(
            "# the roster\n\n\"J. Patel\",j.patel@example.org namespaces=\"portfolio-decision,git\" {key} J Patel's key\n*@iqa.example {key}\ncert-authority-user cert-authority {key}\n"
        );
        let s = Signers::parse(&text).unwrap();
        assert_eq!(s.signers.len(), 2);
        assert_eq!(s.signers[0].principals, "J. Patel,j.patel@example.org");
        assert_eq!(s.signers[0].namespaces.as_deref(), Some("portfolio-decision,git"));
        assert_eq!(s.signers[0].line, 3);
        assert!(s.lists("J. Patel", "portfolio-decision"));
        assert!(s.lists("j.patel@example.org", "git"));
        assert!(!s.lists("j.patel@example.org", "file"));
        assert!(s.lists("r.obi@iqa.example", "anything"));
        assert!(!s.lists("r.obi@iqa.example.com", "anything"));
    }

    #[test]
    fn validity_dates_bound_the_decision_date() {
        let key = key();
        let text = format!("a valid-after=\"20260101\",valid-before=\"20261231235959Z\" {key}\n");
        let s = Signers::parse(&text).unwrap();
        let key = s.signers[0].key.key_data().clone();
        let d = |t| Date::parse(t).unwrap();
        assert!(s.allows("a", "portfolio-decision", d("2026-06-01"), &key));
        assert!(!s.allows("a", "portfolio-decision", d("2025-12-31"), &key));
        assert!(!s.allows("a", "portfolio-decision", d("2027-01-01"), &key));
        assert!(!s.allows("b", "portfolio-decision", d("2026-06-01"), &key));
    }

    #[test]
    fn bad_lines_are_errors_with_their_number() {
        let key = key();
        let e = Signers::parse("# ok\nonly-a-principal\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = Signers::parse(&format!("a frobnicate {key}\n")).unwrap_err();
        assert!(e.message.contains("frobnicate"), "{e}");
        let e = Signers::parse("a ssh-ed25519 AAAAnotbase64!!\n").unwrap_err();
        assert!(e.message.contains("cannot read"), "{e}");
    }

    #[test]
    fn patterns_follow_openssh() {
        assert!(match_list("j.patel@x.org", "*@x.org"));
        assert!(!match_list("j.patel@x.org", "*@x.org,!j.patel@*"));
        assert!(match_list("ab", "a?"));
        assert!(!match_list("abc", "a?"));
        assert!(match_list("", "*"));
        assert!(!match_list("a", ""));
    }
}
