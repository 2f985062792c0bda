//! The roster: an OpenSSH allowed_signers file (ssh-keygen(1), "ALLOWED
//! SIGNERS"), one signer a line:
//!
//! ```text
//! # comment
//! j.patel@northgate.example namespaces="portfolio-assessor" ssh-ed25519 AAAA... comment
//! ```
//!
//! Each line is read the way OpenSSH's `sshsig.c` reads it, so that
//! portfolio and `ssh-keygen -Y verify` agree line for line: the principals
//! are the first token (space, tab or a quoted string ends it — `"Name",p`
//! is the principal `Name` followed by garbage; a no-break space is not a
//! separator); then a key, or options and a key. Options are
//! `cert-authority`, `namespaces="..."`, `valid-after="..."` and
//! `valid-before="..."`, each once, values always in double quotes
//! (`namespaces=x` is refused, as OpenSSH refuses it). Keys of every type
//! OpenSSH verifies are read (Ed25519, ECDSA P-256/384/521, RSA); a line
//! with a key type portfolio cannot verify (security keys, DSA) is kept and
//! never matches. `cert-authority` lines never match a plain key, as in
//! OpenSSH. A line OpenSSH could not read stops the command with its number:
//! a roster is never half-read.
//!
//! Validity (`valid-after`, `valid-before`) is judged as `ssh-keygen -Y
//! verify` judges it — against the time of checking, not against the date a
//! decision claims for itself (a signer chooses that date) — and, more
//! strictly, a key must be valid for the whole of the day of the check, and
//! on the decision's own date too. Times are read as UTC.

use crate::date::Date;
use ssh_key::PublicKey;
use ssh_key::public::KeyData;
use std::path::Path;

/// A moment, in seconds since 1970-01-01T00:00:00 UTC.
pub type Time = i64;

/// The first and last second of `date`.
pub fn day_bounds(date: Date) -> (Time, Time) {
    let start = date.days_since_epoch() * 86_400;
    (start, start + 86_399)
}

/// One usable line of the roster.
#[derive(Debug, Clone)]
pub struct Signer {
    /// The principals field's patterns, comma-separated.
    pub principals: String,
    /// `namespaces="..."` patterns, when given (none given: any namespace).
    pub namespaces: Option<String>,
    pub valid_after: Option<Time>,
    pub valid_before: Option<Time>,
    /// `cert-authority`: the key signs certificates, which decisions never
    /// use, so the line matches no decision (as in OpenSSH for a plain key).
    pub cert_authority: bool,
    /// The key, when it is of a type portfolio can verify.
    pub key: Option<PublicKey>,
    /// The key's type as written (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …).
    pub key_type: String,
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
        let bytes = crate::source::DiskSource::read_file(path).map_err(|source| ReadSignersError {
            path: path.to_path_buf(),
            message: source.to_string(),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| ReadSignersError {
            path: path.to_path_buf(),
            message: "stream did not contain valid UTF-8".to_string(),
        })?;
        Signers::parse(&text).map_err(|e| ReadSignersError {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Parses the text of an allowed_signers file.
    pub fn parse(text: &str) -> Result<Signers, SignersError> {
        let mut signers = Vec::new();
        for (n, raw) in text.split('\n').enumerate() {
            let line = n + 1;
            let trimmed = raw.trim_start_matches([' ', '\t', '\r', '\n']);
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let err = |message: String| SignersError { line, message };
            signers.push(parse_line(trimmed, line).map_err(err)?);
        }
        Ok(Signers { signers })
    }

    /// Whether `principal` may sign in `namespace` with `key` at every
    /// moment from `from` to `to`: the first line that allows it, in file
    /// order as OpenSSH looks; else why not.
    pub fn check(
        &self,
        principal: &str,
        namespace: &str,
        key: &KeyData,
        from: Time,
        to: Time,
    ) -> Result<usize, String> {
        let mut why = None;
        let mut listed = false;
        for s in self.signers.iter().filter(|s| match_list(principal, &s.principals)) {
            listed = true;
            if s.cert_authority || s.key.as_ref().is_none_or(|k| k.key_data() != key) {
                continue;
            }
            if let Some(ns) = s.namespaces.as_deref().filter(|ns| !match_list(namespace, ns)) {
                why.get_or_insert(format!(
                    "line {} of the roster lets {principal} sign only for `{ns}`, not `{namespace}`",
                    s.line
                ));
                continue;
            }
            if let Some(after) = s.valid_after.filter(|&a| a > from) {
                why.get_or_insert(format!(
                    "line {} of the roster makes the key valid only from {}",
                    s.line,
                    show_time(after)
                ));
                continue;
            }
            if let Some(before) = s.valid_before.filter(|&b| b < to) {
                why.get_or_insert(format!(
                    "line {} of the roster makes the key valid only until {}",
                    s.line,
                    show_time(before)
                ));
                continue;
            }
            return Ok(s.line);
        }
        Err(why.unwrap_or_else(|| {
            if listed {
                format!("the roster does not list this key for {principal}")
            } else {
                format!("{principal} is not in the roster of signers")
            }
        }))
    }

    /// Whether `principal` may sign in `namespace` on `date` with `key`
    /// (the key valid for the whole day).
    pub fn allows(&self, principal: &str, namespace: &str, date: Date, key: &KeyData) -> bool {
        let (from, to) = day_bounds(date);
        self.check(principal, namespace, key, from, to).is_ok()
    }

    /// Whether any line names `principal` for `namespace`, whatever its key.
    pub fn lists(&self, principal: &str, namespace: &str) -> bool {
        self.signers.iter().any(|s| {
            match_list(principal, &s.principals) && s.namespaces.as_deref().is_none_or(|ns| match_list(namespace, ns))
        })
    }
}

/// "2026-12-31 23:59:59 UTC".
fn show_time(t: Time) -> String {
    let date = Date::from_days_since_epoch(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!("{date} {:02}:{:02}:{:02} UTC", s / 3600, s / 60 % 60, s % 60)
}

/// OpenSSH's `strdelimw`: the next token, ended by space, tab, CR or LF, or
/// the closing quote of a quoted part (the quotes removed). `None` when the
/// line has nothing after the token or a quote is not closed.
fn strdelimw(s: &str) -> Option<(String, &str)> {
    const WS: [char; 4] = [' ', '\t', '\r', '\n'];
    let stop = s.find(|c: char| WS.contains(&c) || c == '"')?;
    if s[stop..].starts_with('"') {
        let after = &s[stop + 1..];
        let close = after.find('"')?;
        let token = format!("{}{}", &s[..stop], &after[..close]);
        let rest = &after[close + 1..];
        return Some((token, rest.trim_start_matches(WS)));
    }
    Some((s[..stop].to_string(), s[stop + 1..].trim_start_matches(WS)))
}

/// Key types OpenSSH knows, and whether portfolio verifies them.
const KEY_TYPES: [(&str, bool); 9] = [
    ("ssh-ed25519", true),
    ("ecdsa-sha2-nistp256", true),
    ("ecdsa-sha2-nistp384", true),
    ("ecdsa-sha2-nistp521", true),
    ("ssh-rsa", true),
    ("sk-ssh-ed25519@openssh.com", false),
    ("sk-ecdsa-sha2-nistp256@openssh.com", false),
    ("ssh-dss", false),
    ("ssh-ed448", false),
];

/// OpenSSH's `sshkey_read` at the start of `s`: a key type and its base64,
/// the rest being a comment. `None` when `s` does not start with a key.
fn read_key(s: &str) -> Option<(Option<PublicKey>, String)> {
    let mut words = s.split([' ', '\t']).filter(|w| !w.is_empty());
    let kind = words.next()?;
    let b64 = words.next()?.trim_end_matches(['\r', '\n']);
    let (_, verifiable) = KEY_TYPES.iter().find(|(k, _)| *k == kind)?;
    // The blob must decode and name the same type, for every type.
    let key = PublicKey::from_openssh(&format!("{kind} {b64}"));
    match (key, verifiable) {
        (Ok(k), true) => Some((Some(k), kind.to_string())),
        (_, false) if is_base64(b64) => Some((None, kind.to_string())),
        _ => None,
    }
}

fn is_base64(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

/// OpenSSH's `sshkey_advance_past_options`: up to the first unquoted space
/// or tab; `None` for an unterminated quote.
fn split_options(s: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|(_, n)| *n == '"') => {
                chars.next();
            }
            '"' => quoted = !quoted,
            ' ' | '\t' if !quoted => return Some((&s[..i], &s[i..])),
            _ => {}
        }
    }
    (!quoted).then_some((s, ""))
}

/// OpenSSH's `opt_dequote`: a value in double quotes, `\"` for a quote.
fn dequote(s: &str) -> Result<(String, &str), String> {
    let Some(inner) = s.strip_prefix('"') else {
        return Err("missing start quote (OpenSSH needs option values in double quotes)".to_string());
    };
    let mut out = String::new();
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &inner[i + 1..])),
            '\\' if inner[i + 1..].starts_with('"') => {
                out.push('"');
                chars.next();
            }
            c => out.push(c),
        }
    }
    Err("missing end quote".to_string())
}

/// `s` starts with `name=` (any case): the rest after `=`.
fn option<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let head = s.get(..name.len())?;
    (head.eq_ignore_ascii_case(name) && s[name.len()..].starts_with('=')).then(|| &s[name.len() + 1..])
}

fn parse_line(text: &str, line: usize) -> Result<Signer, String> {
    let (principals, rest) =
        strdelimw(text).ok_or("expected `principals [options] key-type base64-key` (or a quote is not closed)")?;
    if rest.is_empty() {
        return Err("expected `principals [options] key-type base64-key`".to_string());
    }
    let (options, (key, key_type)) = match read_key(rest) {
        Some(k) => ("", k),
        None => {
            let (options, after) = split_options(rest).ok_or("invalid options: a quote is not closed")?;
            let after = after.trim_start_matches([' ', '\t']);
            if after.is_empty() {
                return Err("missing key after the options".to_string());
            }
            let key = read_key(after).ok_or_else(|| {
                let kind = after.split([' ', '\t']).next().unwrap_or("");
                format!("cannot read the key: `{kind}` is not a key (or `{options}` are not options)")
            })?;
            (options, key)
        }
    };
    let mut signer = Signer {
        principals,
        namespaces: None,
        valid_after: None,
        valid_before: None,
        cert_authority: false,
        key,
        key_type,
        line,
    };
    let mut opts = options;
    while !opts.is_empty() {
        if opts.len() >= 14 && opts[..14].eq_ignore_ascii_case("cert-authority") {
            signer.cert_authority = true;
            opts = &opts[14..];
        } else if let Some(v) = option(opts, "namespaces") {
            if signer.namespaces.is_some() {
                return Err("bad options: multiple \"namespaces\" clauses".to_string());
            }
            let (value, rest) = dequote(v).map_err(|e| format!("bad options: {e}"))?;
            signer.namespaces = Some(value);
            opts = rest;
        } else if let Some(v) = option(opts, "valid-after") {
            if signer.valid_after.is_some() {
                return Err("bad options: multiple \"valid-after\" clauses".to_string());
            }
            let (value, rest) = dequote(v).map_err(|e| format!("bad options: {e}"))?;
            signer.valid_after = Some(time(&value)?);
            opts = rest;
        } else if let Some(v) = option(opts, "valid-before") {
            if signer.valid_before.is_some() {
                return Err("bad options: multiple \"valid-before\" clauses".to_string());
            }
            let (value, rest) = dequote(v).map_err(|e| format!("bad options: {e}"))?;
            signer.valid_before = Some(time(&value)?);
            opts = rest;
        } else {
            let name = opts.split(',').next().unwrap_or(opts);
            return Err(format!("bad options: unsupported option `{name}`"));
        }
        if opts.is_empty() {
            break;
        }
        let Some(next) = opts.strip_prefix(',') else {
            return Err(format!("bad options: unknown key option `{opts}`"));
        };
        if next.is_empty() {
            return Err("bad options: unexpected end of options".to_string());
        }
        opts = next;
    }
    if let (Some(a), Some(b)) = (signer.valid_after, signer.valid_before)
        && b <= a
    {
        return Err("bad options: \"valid-before\" time is before \"valid-after\"".to_string());
    }
    Ok(signer)
}

/// OpenSSH's `parse_absolute_time`: `YYYYMMDD[HHMM[SS]]`, then `Z` or `UTC`
/// optionally (read as UTC either way).
fn time(v: &str) -> Result<Time, String> {
    let bad = || format!("`{v}` is not a time as YYYYMMDD[HHMM[SS]][Z]");
    let upper = v.to_ascii_uppercase();
    let digits = if upper.len() > 3 && upper.ends_with("UTC") {
        &v[..v.len() - 3]
    } else if upper.len() > 1 && upper.ends_with('Z') {
        &v[..v.len() - 1]
    } else {
        v
    };
    if !matches!(digits.len(), 8 | 12 | 14) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let date = Date::parse(&format!("{}-{}-{}", &digits[0..4], &digits[4..6], &digits[6..8])).ok_or_else(bad)?;
    let num = |r: std::ops::Range<usize>| digits.get(r).map_or(Ok(0), |d| d.parse::<i64>().map_err(|_| bad()));
    let (h, m, s) = (num(8..10)?, num(10..12)?, num(12..14)?);
    if h > 23 || m > 59 || s > 60 {
        return Err(bad());
    }
    Ok(date.days_since_epoch() * 86_400 + h * 3600 + m * 60 + s)
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
            "# the roster\n\n\"J. Patel,j.patel@example.org\" namespaces=\"portfolio-decision,git\" {key} J Patel's key\n*@iqa.example {key}\ncert-authority-user cert-authority {key}\n"
        );
        let s = Signers::parse(&text).unwrap();
        assert_eq!(s.signers.len(), 3);
        assert!(s.signers[2].cert_authority);
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
        let key = s.signers[0].key.as_ref().unwrap().key_data().clone();
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
    fn lines_openssh_refuses_are_refused() {
        let key = key();
        for (line, why) in [
            (
                format!("\"J. Patel\",j.patel@x namespaces=\"portfolio-assessor\" {key}"),
                "cannot read the key",
            ),
            (
                format!("j@x namespaces=portfolio-assessor {key}"),
                "missing start quote",
            ),
            (format!("j@x namespaces=\"a\",namespaces=\"b\" {key}"), "multiple"),
            (
                format!("j@x valid-after=\"20270101\",valid-before=\"20260101\" {key}"),
                "before",
            ),
            (format!("j@x namespaces=\"a\", {key}"), "end of options"),
            (format!("j@x namespaces=\"a {key}"), "quote"),
        ] {
            let e = Signers::parse(&line).unwrap_err();
            assert!(e.message.contains(why), "{line}: {e}");
        }
        // A no-break space is part of the principal, not a separator.
        let s = Signers::parse(&format!("j@x\u{a0}k@x {key}")).unwrap();
        assert_eq!(s.signers[0].principals, "j@x\u{a0}k@x");
        assert!(!s.lists("j@x", "portfolio-assessor"));
    }

    #[test]
    fn every_key_type_openssh_verifies_is_read_and_others_are_kept_unmatched() {
        use ssh_key::rand_core::OsRng;
        for alg in [
            ssh_key::Algorithm::Ecdsa {
                curve: ssh_key::EcdsaCurve::NistP256,
            },
            ssh_key::Algorithm::Ecdsa {
                curve: ssh_key::EcdsaCurve::NistP384,
            },
            ssh_key::Algorithm::Ecdsa {
                curve: ssh_key::EcdsaCurve::NistP521,
            },
        ] {
            let k = ssh_key::PrivateKey::random(&mut OsRng, alg.clone()).unwrap();
            let line = format!("a {}", k.public_key().to_openssh().unwrap());
            let s = Signers::parse(&line).unwrap();
            assert!(s.signers[0].key.is_some(), "{alg:?}");
        }
        // A security key or DSA line does not make the roster unreadable.
        let s = Signers::parse("a sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIA== x\n")
            .unwrap();
        assert!(s.signers[0].key.is_none());
    }

    #[test]
    fn validity_is_judged_for_the_whole_day_of_the_check() {
        let key = key();
        let s = Signers::parse(&format!("a valid-before=\"20261123120000\" {key}\n")).unwrap();
        let k = s.signers[0].key.as_ref().unwrap().key_data().clone();
        let (from, to) = day_bounds(Date::parse("2026-11-23").unwrap());
        let e = s.check("a", "x", &k, from, to).unwrap_err();
        assert!(e.contains("2026-11-23 12:00:00"), "{e}");
        let (from, to) = day_bounds(Date::parse("2026-11-22").unwrap());
        assert_eq!(s.check("a", "x", &k, from, to), Ok(1));
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
