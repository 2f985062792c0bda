//! Personal data in evidence: e-mail addresses, UK phone numbers, postcodes,
//! payment card numbers, National Insurance numbers and the centre's own
//! customer references, found and redacted.
//!
//! Portfolios describe real customers and travel to assessors and awarding
//! bodies, so the UK GDPR and the Data Protection Act 2018 apply to them. The
//! scanner is hand-written rather than built from regular expressions: every
//! detector reads a bounded window from the start of a token (an `@` for
//! e-mail addresses), so a scan is linear in the length of the text and never
//! panics, whatever the input.
//!
//! It is tuned to stay quiet on what evidence is full of: dates, times, money,
//! version numbers, criterion codes (`3.2`, `P5`, `cfacsb16:P5`), unit
//! numbers (`T/506/2157`) and short case numbers. A detected item is always a
//! whole token: digits inside a longer word or number never fire.

use std::cmp::Reverse;

/// What sort of personal data a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Email,
    Phone,
    Postcode,
    CardNumber,
    NiNumber,
    Reference,
}

impl Kind {
    /// The kind's id, a stable interface (JSON, CSV).
    pub fn id(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Postcode => "postcode",
            Kind::CardNumber => "card-number",
            Kind::NiNumber => "ni-number",
            Kind::Reference => "reference",
        }
    }

    /// The kind as a noun phrase for messages ("contains a phone number").
    pub fn label(self) -> &'static str {
        match self {
            Kind::Email => "an e-mail address",
            Kind::Phone => "a phone number",
            Kind::Postcode => "a postcode",
            Kind::CardNumber => "a payment card number",
            Kind::NiNumber => "a National Insurance number",
            Kind::Reference => "a customer reference",
        }
    }

    /// What [`Scanner::redact`] puts in place of a finding of this kind.
    pub fn mask(self) -> &'static str {
        match self {
            Kind::Email => "[email removed]",
            Kind::Phone => "[phone removed]",
            Kind::Postcode => "[postcode removed]",
            Kind::CardNumber => "[card number removed]",
            Kind::NiNumber => "[NI number removed]",
            Kind::Reference => "[reference removed]",
        }
    }

    /// Which kind names an overlap found by two detectors at the same place.
    fn priority(self) -> u8 {
        match self {
            Kind::Reference => 0,
            Kind::Email => 1,
            Kind::CardNumber => 2,
            Kind::NiNumber => 3,
            Kind::Phone => 4,
            Kind::Postcode => 5,
        }
    }
}

/// One piece of personal data: its kind and the byte range it occupies in
/// the scanned text (always on character boundaries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

mod detect;
mod reference;
#[cfg(test)]
mod tests;

use detect::{card_at, emails, is_word, ni_at, numeric_start_ok, phone_at, postcode_at, prev_char};
use reference::{Reference, compile_reference};

/// The personal-data scanner, with the settings from `portfolio.toml`: the
/// reference patterns the centre declares, and an allow-list.
#[derive(Debug, Clone, Default)]
pub struct Scanner {
    references: Vec<Reference>,
    /// Allow-list entries, lower-cased without spaces, hyphens or brackets.
    allow: Vec<String>,
    /// Allow-list entries as phone numbers in national form (`01134960000`).
    allow_phones: Vec<String>,
}

impl Scanner {
    /// A scanner for the centre's reference patterns and allow-list.
    ///
    /// **References.** Each entry is a pattern for the account or case
    /// references the centre uses. A pattern is literal characters and
    /// placeholders: `#` is one digit, `@` one letter, `?` one letter or
    /// digit, and `*` (only as the last character) one or more letters or
    /// digits. `\` makes the next character literal (`\#`). Literal letters
    /// match either case, and a space matches one space.
    ///
    /// A pattern with no placeholders is a *prefix*: `ACC-` matches `ACC-`
    /// followed by letters and digits, possibly in pieces joined by `-` or
    /// `/`, with at least one digit among them (`ACC-20931`, `ACC-7F3/22`,
    /// but not `ACC-` alone or `ACC-TEAM`). `CASE-######` matches `CASE-`
    /// and exactly six digits; `BW@@####` two letters and four digits.
    ///
    /// Matches are whole tokens: never part of a longer word or number, and
    /// a `*` or a prefix's tail stops after [`MAX_TAIL`] (40) characters.
    /// Patterns are ASCII, without tabs or line breaks, and must contain a
    /// literal letter or digit or at least six `#`, so that they cannot match
    /// ordinary words or short numbers.
    ///
    /// **Allow-list.** Each entry is a string never reported, such as the
    /// employer's public switchboard. Entries are compared ignoring case,
    /// spaces, hyphens and brackets, and phone numbers by their digits, so
    /// `0113 496 0000` also allows `(0113) 496-0000` and `+44 113 496 0000`.
    ///
    /// The error names the first bad pattern and what is wrong with it.
    pub fn new(references: &[String], allow: &[String]) -> Result<Scanner, String> {
        let references = references
            .iter()
            .map(|p| compile_reference(p).map_err(|why| format!("reference pattern \"{p}\": {why}")))
            .collect::<Result<Vec<_>, _>>()?;
        let allow_entries: Vec<&String> = allow.iter().filter(|a| !a.trim().is_empty()).collect();
        Ok(Scanner {
            references,
            allow: allow_entries.iter().map(|a| canonical(a)).collect(),
            allow_phones: allow_entries.iter().filter_map(|a| canonical_phone(a)).collect(),
        })
    }

    /// Every finding in `text`, sorted by start, non-overlapping.
    ///
    /// Where two detections overlap, the finding starting first (the longer
    /// one if they start together) is kept and stretched to cover both, so
    /// that redaction never leaves part of either behind.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        let b = text.as_bytes();
        let mut found = Vec::new();
        emails(text, &mut found);
        for (i, &c) in b.iter().enumerate() {
            // Tokens start at a letter or digit not preceded by one, or at
            // punctuation (`+44…`, `(0113)…`, a pattern's literal).
            let start = if c.is_ascii_alphanumeric() {
                !prev_char(text, i).is_some_and(is_word)
            } else {
                c.is_ascii_punctuation()
            };
            if !start {
                continue;
            }
            let mut push = |kind: Kind, end: Option<usize>| {
                if let Some(end) = end {
                    found.push(Finding { kind, start: i, end });
                }
            };
            for r in &self.references {
                push(Kind::Reference, r.match_at(text, i));
            }
            if !c.is_ascii_digit() || numeric_start_ok(text, i) {
                push(Kind::CardNumber, card_at(text, i));
                push(Kind::Phone, phone_at(text, i));
            }
            push(Kind::NiNumber, ni_at(text, i));
            push(Kind::Postcode, postcode_at(text, i));
        }
        found.retain(|f| !self.allowed(f, &text[f.start..f.end]));
        found.sort_by_key(|f| (f.start, Reverse(f.end), f.kind.priority()));
        let mut out: Vec<Finding> = Vec::with_capacity(found.len());
        for f in found {
            match out.last_mut() {
                Some(last) if f.start < last.end => last.end = last.end.max(f.end),
                _ => out.push(f),
            }
        }
        out
    }

    /// This scanner with `more` added to its allow-list: the principals of
    /// signed decisions, which name the centre's staff, not its customers.
    pub fn allowing<'a>(&self, more: impl IntoIterator<Item = &'a str>) -> Scanner {
        let mut scanner = self.clone();
        for entry in more.into_iter().filter(|a| !a.trim().is_empty()) {
            scanner.allow.push(canonical(entry));
        }
        scanner
    }

    /// `text` with every finding replaced by what it is, in words ("an
    /// e-mail address"): for diagnostics without `--redact`, which never
    /// repeat personal data and never show a mask the user did not ask for.
    pub fn describe(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for f in self.scan(text) {
            out.push_str(&text[at..f.start]);
            out.push_str(f.kind.label());
            at = f.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// `text` with every finding replaced by its kind's mask.
    pub fn redact(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for f in self.scan(text) {
            out.push_str(&text[at..f.start]);
            out.push_str(f.kind.mask());
            at = f.end;
        }
        out.push_str(&text[at..]);
        out
    }

    fn allowed(&self, finding: &Finding, matched: &str) -> bool {
        if finding.kind == Kind::Phone {
            canonical_phone(matched).is_some_and(|p| self.allow_phones.contains(&p))
        } else {
            self.allow.contains(&canonical(matched))
        }
    }
}

/// Lower case without whitespace, hyphens or brackets.
fn canonical(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '(' | ')'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A phone number's digits in national form (`+44 (0)113…` → `0113…`), if
/// `s` is made only of digits, spaces, hyphens, brackets and a leading `+`.
fn canonical_phone(s: &str) -> Option<String> {
    let s = s.trim();
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '+'))
    {
        return None;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    match (s.starts_with('+'), digits.strip_prefix("44")) {
        (true, Some(rest)) => Some(format!("0{}", rest.strip_prefix('0').unwrap_or(rest))),
        _ => Some(digits),
    }
}
