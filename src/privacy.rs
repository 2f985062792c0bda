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

/// The longest run of letters and digits a `*` or a prefix's tail takes.
const MAX_TAIL: usize = 40;

/// One element of a declared reference pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// This character, letters in either case.
    Literal(u8),
    /// `#`: one digit.
    Digit,
    /// `@`: one letter.
    Letter,
    /// `?`: one letter or digit.
    Alnum,
    /// `*`: one or more letters or digits (last only).
    Rest,
}

/// A declared reference pattern, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    pieces: Vec<Piece>,
    /// No placeholders: the pieces are a prefix and a tail follows.
    prefix: bool,
}

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

fn compile_reference(pattern: &str) -> Result<Reference, &'static str> {
    let pattern = pattern.trim();
    if pattern.is_empty() {
        return Err("the pattern is empty");
    }
    let mut pieces = Vec::new();
    let mut placeholders = false;
    let mut literal_alnum = false;
    let mut hashes = 0;
    let mut bytes = pattern.bytes();
    while let Some(c) = bytes.next() {
        if !(c.is_ascii_graphic() || c == b' ') {
            return Err("only ASCII letters, digits, punctuation and spaces are allowed");
        }
        if pieces.last() == Some(&Piece::Rest) {
            return Err("`*` may only come last");
        }
        let piece = match c {
            b'#' => Piece::Digit,
            b'@' => Piece::Letter,
            b'?' => Piece::Alnum,
            b'*' => Piece::Rest,
            b'\\' => match bytes.next() {
                Some(l) if l.is_ascii_graphic() => Piece::Literal(l),
                _ => return Err("`\\` must be followed by the character it makes literal"),
            },
            _ => Piece::Literal(c),
        };
        match piece {
            Piece::Literal(l) => literal_alnum |= l.is_ascii_alphanumeric(),
            Piece::Digit => {
                hashes += 1;
                placeholders = true;
            }
            _ => placeholders = true,
        }
        pieces.push(piece);
    }
    if !literal_alnum && hashes < 6 {
        return Err("a pattern needs a literal letter or digit, or at least six `#`, not to match ordinary words");
    }
    Ok(Reference {
        pieces,
        prefix: !placeholders,
    })
}

impl Reference {
    /// The end of this reference if one starts at byte `i` (a token start).
    fn match_at(&self, text: &str, i: usize) -> Option<usize> {
        let b = text.as_bytes();
        let mut p = i;
        for piece in &self.pieces {
            let c = *b.get(p)?;
            match *piece {
                Piece::Literal(l) if c.eq_ignore_ascii_case(&l) => p += 1,
                Piece::Digit if c.is_ascii_digit() => p += 1,
                Piece::Letter if c.is_ascii_alphabetic() => p += 1,
                Piece::Alnum if c.is_ascii_alphanumeric() => p += 1,
                Piece::Rest => {
                    let n = run(b, p, u8::is_ascii_alphanumeric, MAX_TAIL + 1);
                    if n == 0 || n > MAX_TAIL {
                        return None;
                    }
                    p += n;
                }
                _ => return None,
            }
        }
        if self.prefix {
            let start = p;
            let mut digit = false;
            loop {
                let n = run(b, p, u8::is_ascii_alphanumeric, MAX_TAIL + 1);
                if n == 0 || p + n - start > MAX_TAIL {
                    return None;
                }
                digit |= b[p..p + n].iter().any(u8::is_ascii_digit);
                p += n;
                match (b.get(p), b.get(p + 1)) {
                    (Some(b'-' | b'/'), Some(c)) if c.is_ascii_alphanumeric() => p += 1,
                    _ => break,
                }
            }
            if !digit {
                return None;
            }
        }
        let last = *b.get(p.checked_sub(1)?)?;
        if p == i || (last.is_ascii_alphanumeric() && next_char(text, p).is_some_and(is_word)) {
            return None;
        }
        Some(p)
    }
}

/// A character that makes a token longer: a letter, a digit or `_`.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The character before byte `i`, if `i` is a character boundary.
fn prev_char(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

/// The character at byte `i`, if `i` is a character boundary.
fn next_char(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

/// How many bytes from `p` satisfy `f`, counting no further than `cap`.
fn run(b: &[u8], p: usize, f: fn(&u8) -> bool, cap: usize) -> usize {
    b.get(p..)
        .map_or(0, |rest| rest.iter().take(cap).take_while(|c| f(c)).count())
}

fn digits(b: &[u8], p: usize) -> usize {
    run(b, p, u8::is_ascii_digit, 24)
}

/// A number may start at `i`: not after a word character, nor after `.`,
/// `/`, `:` or `-` that follows a digit (`1.07700…`, `T/506/2157`).
fn numeric_start_ok(text: &str, i: usize) -> bool {
    match prev_char(text, i) {
        None => true,
        Some(c) if is_word(c) => false,
        Some('.' | '/' | ':' | '-') => !prev_char(text, i - 1).is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    }
}

/// A number may end at `p`: the mirror image of [`numeric_start_ok`].
fn numeric_end_ok(text: &str, p: usize) -> bool {
    match next_char(text, p) {
        None => true,
        Some(c) if is_word(c) => false,
        Some('.' | '/' | ':' | '-') => !next_char(text, p + 1).is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    }
}

/// A token may end at `p`.
fn word_end_ok(text: &str, p: usize) -> bool {
    !next_char(text, p).is_some_and(is_word)
}

/// Every e-mail address, found from its `@`. The local part is read back
/// and the domain forward, each bounded, so the scan is linear.
fn emails(text: &str, found: &mut Vec<Finding>) {
    let b = text.as_bytes();
    let local = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let domain = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-');
    for (at, _) in b.iter().enumerate().filter(|(_, c)| **c == b'@') {
        let back = b[..at].iter().rev().take(65).take_while(|c| local(c)).count();
        if back > 64 {
            continue;
        }
        let mut start = at - back;
        while start < at && matches!(b[start], b'.' | b'-' | b'+') {
            start += 1;
        }
        let ahead = b[at + 1..].iter().take(254).take_while(|c| domain(c)).count();
        if start == at || ahead > 253 {
            continue;
        }
        let mut end = at + 1 + ahead;
        while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
            end -= 1;
        }
        let host = &b[at + 1..end];
        let bad_label = |l: &[u8]| l.is_empty() || l.starts_with(b"-") || l.ends_with(b"-");
        let tld = host.rsplit(|c| *c == b'.').next().unwrap_or_default();
        if !host.contains(&b'.')
            || host.split(|c| *c == b'.').any(bad_label)
            || tld.len() < 2
            || !tld.iter().all(u8::is_ascii_alphabetic)
        {
            continue;
        }
        found.push(Finding {
            kind: Kind::Email,
            start,
            end,
        });
    }
}

/// A UK phone number at `i`: `07700 900123`, `0113-496-0000`,
/// `(0113) 496 0000`, `+44 7700 900123`, `+44 (0)20 7946 0000`. Numbers
/// starting 01, 02, 03 or 07 with eleven digits (ten for some 01 areas),
/// in groups of at least three digits separated by one space or hyphen.
fn phone_at(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    // The number in national form, leading 0 included.
    let mut national = National::default();
    let mut p = i;
    let mut first_min = 3;
    match b[i] {
        b'+' => {
            if b.get(i + 1..i + 3) != Some(b"44") {
                return None;
            }
            p = i + 3;
            if matches!(b.get(p), Some(b' ' | b'-')) {
                p += 1;
            }
            if b.get(p..p + 3) == Some(b"(0)") {
                p += 3;
                if b.get(p) == Some(&b' ') {
                    p += 1;
                }
            } else if b.get(p) == Some(&b'0') {
                p += 1;
            }
            national.take(b"0");
            first_min = 2;
        }
        b'(' => {
            let len = digits(b, i + 1);
            if !(3..=6).contains(&len) || b[i + 1] != b'0' || b.get(i + 1 + len) != Some(&b')') {
                return None;
            }
            national.take(&b[i + 1..i + 1 + len]);
            p = i + 2 + len;
            if b.get(p) == Some(&b' ') {
                p += 1;
            }
        }
        b'0' => {}
        _ => return None,
    }
    let len = digits(b, p);
    if len < first_min || !national.take(&b[p..p + len]) {
        return None;
    }
    p += len;
    while matches!(b.get(p), Some(b' ' | b'-')) {
        let len = digits(b, p + 1);
        if len < 3 || !national.take(&b[p + 1..p + 1 + len]) {
            break;
        }
        p += 1 + len;
    }
    let valid = match national.digits() {
        [b'0', b'1' | b'2' | b'3' | b'7', rest @ ..] if rest.len() == 9 => true,
        [b'0', b'1', rest @ ..] => rest.len() == 8,
        _ => false,
    };
    (valid && numeric_end_ok(text, p)).then_some(p)
}

/// The digits of a phone number read so far: at most eleven.
#[derive(Default)]
struct National {
    buf: [u8; 11],
    len: usize,
}

impl National {
    /// Appends `d`, unless the number would grow past eleven digits.
    fn take(&mut self, d: &[u8]) -> bool {
        let Some(slot) = self.buf.get_mut(self.len..self.len + d.len()) else {
            return false;
        };
        slot.copy_from_slice(d);
        self.len += d.len();
        true
    }

    fn digits(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// A payment card number at `i`: 13 to 19 digits starting 2 to 6 (the
/// ranges of the card schemes), either unbroken or in groups of 3 to 6
/// after a first group of four, passing the Luhn check.
fn card_at(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    if !(b'2'..=b'6').contains(&b[i]) {
        return None;
    }
    let first = digits(b, i);
    if first != 4 {
        let end = i + first;
        return ((13..=19).contains(&first) && luhn(&b[i..end]) && numeric_end_ok(text, end)).then_some(end);
    }
    // Group ends, longest last.
    let mut ends = [0usize; 8];
    let mut count = 0;
    let mut total = first;
    let mut p = i + first;
    while count < ends.len() && matches!(b.get(p), Some(b' ' | b'-')) {
        let len = digits(b, p + 1);
        if !(3..=6).contains(&len) || total + len > 19 {
            break;
        }
        total += len;
        p += 1 + len;
        if total >= 13 {
            ends[count] = p;
            count += 1;
        }
    }
    ends[..count]
        .iter()
        .rev()
        .copied()
        .find(|&end| luhn(&b[i..end]) && numeric_end_ok(text, end))
}

/// The Luhn check over the digits of `s` (other bytes ignored).
fn luhn(s: &[u8]) -> bool {
    let sum: u32 = s
        .iter()
        .rev()
        .filter(|c| c.is_ascii_digit())
        .enumerate()
        .map(|(k, c)| {
            let d = u32::from(c - b'0');
            if k % 2 == 1 {
                let d = d * 2;
                if d > 9 { d - 9 } else { d }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A National Insurance number at `i`: two letters, six digits and a
/// letter A to D, optionally spaced (`AB 12 34 56 C`), with HMRC's rules on
/// the prefix letters.
fn ni_at(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (l1, l2) = (b.get(i)?.to_ascii_uppercase(), b.get(i + 1)?.to_ascii_uppercase());
    if !l1.is_ascii_uppercase()
        || !l2.is_ascii_uppercase()
        || b"DFIQUV".contains(&l1)
        || b"DFIOQUV".contains(&l2)
        || [b"BG", b"GB", b"NK", b"KN", b"TN", b"NT", b"ZZ"].contains(&&[l1, l2])
    {
        return None;
    }
    let mut p = i + 2;
    for _ in 0..3 {
        if b.get(p) == Some(&b' ') {
            p += 1;
        }
        if !b.get(p..p + 2)?.iter().all(u8::is_ascii_digit) {
            return None;
        }
        p += 2;
    }
    if b.get(p) == Some(&b' ') {
        p += 1;
    }
    if !matches!(b.get(p)?.to_ascii_uppercase(), b'A'..=b'D') {
        return None;
    }
    p += 1;
    word_end_ok(text, p).then_some(p)
}

/// The UK postcode areas, the letters a postcode starts with.
const AREAS: &[&str] = &[
    "AB", "AL", "B", "BA", "BB", "BD", "BF", "BH", "BL", "BN", "BR", "BS", "BT", "BX", "CA", "CB", "CF", "CH", "CM",
    "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL", "DN", "DT", "DY", "E", "EC", "EH", "EN", "EX",
    "FK", "FY", "G", "GL", "GU", "GY", "HA", "HD", "HG", "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV", "JE",
    "KA", "KT", "KW", "KY", "L", "LA", "LD", "LE", "LL", "LN", "LS", "LU", "M", "ME", "MK", "ML", "N", "NE", "NG",
    "NN", "NP", "NR", "NW", "OL", "OX", "PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH", "RM", "S", "SA", "SE", "SG",
    "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW", "SY", "TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW",
    "UB", "W", "WA", "WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO", "ZE",
];

/// [`AREAS`] as bits: for each first letter, bit `n` for a second letter
/// `A + n`, bit 26 for the letter alone.
const AREA_BITS: [u32; 26] = {
    let mut bits = [0u32; 26];
    let mut k = 0;
    while k < AREAS.len() {
        let a = AREAS[k].as_bytes();
        let bit = if a.len() == 1 { 26 } else { a[1] - b'A' };
        bits[(a[0] - b'A') as usize] |= 1 << bit;
        k += 1;
    }
    bits
};

/// Whether `letters` (one or two upper-case ASCII letters) is a postcode area.
fn is_area(letters: &[u8]) -> bool {
    let bit = match letters {
        [_] => 26,
        [_, second] => second.wrapping_sub(b'A'),
        _ => return false,
    };
    let first = usize::from(letters[0].wrapping_sub(b'A'));
    bit <= 26 && AREA_BITS.get(first).is_some_and(|b| b & (1 << bit) != 0)
}

/// A full UK postcode at `i`, in any case, with or without the space:
/// an outward code (`A9`, `A99`, `A9A`, `AA9`, `AA99`, `AA9A`, from a real
/// postcode area) and an inward code (`9AA`, without C, I, K, M, O or V).
fn postcode_at(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut window = [0u8; 9];
    for (w, c) in window.iter_mut().zip(b.get(i..)?) {
        *w = c.to_ascii_uppercase();
    }
    let letters = window.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !is_area(&window[..letters]) {
        return None;
    }
    // The outward code's district: a digit, then maybe a digit or a letter.
    if !window[letters].is_ascii_digit() {
        return None;
    }
    let second = match window[letters + 1] {
        c if c.is_ascii_digit() => true,
        c if letters == 1 => b"ABCDEFGHJKPSTUW".contains(&c),
        c => b"ABEHMNPRVWXY".contains(&c),
    };
    let outward_ends = if second {
        &[letters + 2, letters + 1][..]
    } else {
        &[letters + 1][..]
    };
    let inward_letter = |c: &u8| c.is_ascii_uppercase() && !b"CIKMOV".contains(c);
    outward_ends
        .iter()
        .filter_map(|&q| {
            let q = if window[q] == b' ' { q + 1 } else { q };
            let inward = window.get(q..q + 3)?;
            if !(inward[0].is_ascii_digit() && inward_letter(&inward[1]) && inward_letter(&inward[2])) {
                return None;
            }
            // "l3 2nd": a lower-case ordinal, not a postcode.
            let raw = b.get(i + q + 1..i + q + 3)?;
            if raw.iter().all(u8::is_ascii_lowercase) && [b"st", b"nd", b"rd", b"th"].contains(&&[raw[0], raw[1]]) {
                return None;
            }
            Some(i + q + 3)
        })
        .find(|&end| word_end_ok(text, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain() -> Scanner {
        Scanner::default()
    }

    /// The kinds and matched texts of the findings in `text`.
    fn found(scanner: &Scanner, text: &str) -> Vec<(Kind, String)> {
        scanner
            .scan(text)
            .into_iter()
            .map(|f| (f.kind, text[f.start..f.end].to_string()))
            .collect()
    }

    #[test]
    fn true_positives() {
        let cases: &[(Kind, &str, &str)] = &[
            (
                Kind::Email,
                "Mail jo.bloggs@example.co.uk today",
                "jo.bloggs@example.co.uk",
            ),
            (
                Kind::Email,
                "<sam+refunds@brightwater.example>",
                "sam+refunds@brightwater.example",
            ),
            (
                Kind::Email,
                "From: A.Khan@Northgate-Training.org.",
                "A.Khan@Northgate-Training.org",
            ),
            (
                Kind::Email,
                "customer_99@mail.example.com wrote",
                "customer_99@mail.example.com",
            ),
            (Kind::Email, "(mailto:x@y.io)", "x@y.io"),
            (Kind::Phone, "Please call 07700 900123 before five.", "07700 900123"),
            (Kind::Phone, "mobile 07700-900-123", "07700-900-123"),
            (Kind::Phone, "tel: +44 7700 900123", "+44 7700 900123"),
            (Kind::Phone, "ring +44 (0)113 496 0000.", "+44 (0)113 496 0000"),
            (Kind::Phone, "ring (0113) 496 0000 now", "(0113) 496 0000"),
            (Kind::Phone, "landline 0113 496 0000", "0113 496 0000"),
            (Kind::Phone, "London 020 7946 0000", "020 7946 0000"),
            (Kind::Phone, "+447700900123", "+447700900123"),
            (Kind::Phone, "call 01632 960001, then", "01632 960001"),
            (Kind::Phone, "0300-123-4567", "0300-123-4567"),
            (Kind::Phone, "+44 20 7946 0000", "+44 20 7946 0000"),
            (Kind::Postcode, "lives at LS1 4AP near", "LS1 4AP"),
            (Kind::Postcode, "SW1A 1AA", "SW1A 1AA"),
            (Kind::Postcode, "Manchester M1 1AE.", "M1 1AE"),
            (Kind::Postcode, "B33 8TH", "B33 8TH"),
            (Kind::Postcode, "ec1a 1bb", "ec1a 1bb"),
            (Kind::Postcode, "(CR2 6XH)", "CR2 6XH"),
            (Kind::Postcode, "W1A 0AX", "W1A 0AX"),
            (Kind::Postcode, "postcode LS14AP", "LS14AP"),
            (
                Kind::CardNumber,
                "card 4111 1111 1111 1111 expires",
                "4111 1111 1111 1111",
            ),
            (Kind::CardNumber, "4111-1111-1111-1111", "4111-1111-1111-1111"),
            (Kind::CardNumber, "paid with 5555555555554444.", "5555555555554444"),
            (Kind::CardNumber, "Amex 3782 822463 10005", "3782 822463 10005"),
            (Kind::CardNumber, "6011 1111 1111 1117", "6011 1111 1111 1117"),
            (Kind::CardNumber, "old Visa 4222222222222", "4222222222222"),
            (Kind::NiNumber, "NI AB 12 34 56 C on file", "AB 12 34 56 C"),
            (Kind::NiNumber, "JG103759A", "JG103759A"),
            (Kind::NiNumber, "number PE 123456 B.", "PE 123456 B"),
            (Kind::NiNumber, "ce123456d", "ce123456d"),
            (Kind::NiNumber, "(HZ123456A)", "HZ123456A"),
        ];
        for (kind, text, expected) in cases {
            assert_eq!(found(&plain(), text), vec![(*kind, expected.to_string())], "{text}");
        }
    }

    #[test]
    fn false_positives_do_not_fire() {
        let texts = [
            "2026-03-14",
            "14/03/2026",
            "14 March 2026",
            "on 2026-03-14 at 16:52",
            "2026-03-14T16:52:00Z",
            "20260314",
            "08:45",
            "from 08:45 to 09:30, 0845-0930",
            "£250",
            "£1,250.00 refund",
            "1,000,000",
            "version 1.2.3",
            "criterion 3.2",
            "P5",
            "K11",
            "[[3.2]]",
            "cfacsb16:P5",
            "UAN T/506/2157",
            "42",
            "case 4411",
            "95% and 12.5%",
            "The customer was happy with the refund and the handover.",
            "Consumer Rights Act 2015, Equality Act 2010, Data Protection Act 2018",
            "ISO 9001:2015",
            "ULN 9000000421",
            "learner L-0042 at centre C-1234",
            "ISBN 978-1-4028-9462-6",
            "192.168.0.1",
            "room 0113",
            "ext. 4960",
            "SW1A on its own, LS1, M1",
            "a2b and b2b",
            "0800 0900 1000 1100",
            "01 02 03 04 05 06",
            "x07700900123",
            "07700900123456",
            "07700 900123x",
            "1.07700900123",
            "on L3 2nd floor",
            "@mention",
            "jo@localhost",
            "SBAR, HEAT (Hear, Empathise, Apologise, Take ownership)",
            "page 12 of 30",
            "0x7700900123",
            "NK 12 34 56 A",
        ];
        for text in texts {
            assert_eq!(found(&plain(), text), vec![], "{text}");
        }
    }

    #[test]
    fn invalid_ni_prefixes_and_suffixes() {
        for text in [
            "QQ 12 34 56 C",
            "GB123456A",
            "BG123456A",
            "NK123456A",
            "KN123456A",
            "TN123456A",
            "NT123456A",
            "ZZ123456A",
            "DA123456A",
            "AO123456A",
            "AB123456E",
            "AB12345C",
            "AB123456CX",
        ] {
            assert_eq!(found(&plain(), text), vec![], "{text}");
        }
    }

    #[test]
    fn luhn_rejects_a_non_card_number() {
        assert_eq!(found(&plain(), "4111 1111 1111 1112"), vec![]);
        assert_eq!(found(&plain(), "ref 4111111111111112"), vec![]);
        assert_eq!(found(&plain(), "1234 5678 9012 3452"), vec![]);
        assert!(luhn(b"4111 1111 1111 1111"));
        assert!(!luhn(b"4111 1111 1111 1112"));
    }

    #[test]
    fn allow_list() {
        let allow = ["0113 496 0000".to_string(), "Info@Brightwater.example".to_string()];
        let scanner = Scanner::new(&[], &allow).unwrap();
        for text in [
            "0113 496 0000",
            "(0113) 496-0000",
            "+44 113 496 0000",
            "+44 (0)113 496 0000",
            "info@brightwater.example",
        ] {
            assert_eq!(found(&scanner, text), vec![], "{text}");
        }
        assert_eq!(
            found(&scanner, "0113 496 0001 or jo@brightwater.example"),
            vec![
                (Kind::Phone, "0113 496 0001".to_string()),
                (Kind::Email, "jo@brightwater.example".to_string())
            ]
        );
    }

    #[test]
    fn declared_references() {
        let refs = ["ACC-", "CASE-######", "bw@@####", "TX-*"].map(String::from);
        let scanner = Scanner::new(&refs, &[]).unwrap();
        let r = |s: &str| vec![(Kind::Reference, s.to_string())];
        assert_eq!(found(&scanner, "see ACC-20931."), r("ACC-20931"));
        assert_eq!(found(&scanner, "acc-7F3/22 today"), r("acc-7F3/22"));
        assert_eq!(found(&scanner, "CASE-123456"), r("CASE-123456"));
        assert_eq!(found(&scanner, "BW-free BWxy2026 "), r("BWxy2026"));
        assert_eq!(found(&scanner, "TX-AB12"), r("TX-AB12"));
        for text in [
            "ACC-",
            "ACC-TEAM",
            "XACC-123",
            "ACC-123x_",
            "CASE-12345",
            "CASE-1234567",
            "BW1234",
            "case 4411",
        ] {
            assert_eq!(found(&scanner, text), vec![], "{text}");
        }
        let long = format!("ACC-{}", "1".repeat(MAX_TAIL + 1));
        assert_eq!(found(&scanner, &long), vec![]);
        // Six digits are enough to stand alone; fewer are not.
        assert!(Scanner::new(&["######".to_string()], &[]).is_ok());
        for bad in ["", "  ", "*", "AB*CD", "###", "@@@@", "AB\\", "A\tB", "é#", "**"] {
            let err = Scanner::new(&[bad.to_string()], &[]).unwrap_err();
            assert!(err.contains(&format!("\"{bad}\"")), "{err}");
        }
    }

    #[test]
    fn redacts_every_finding() {
        let text = "Jo (jo@example.com, 07700 900123) of LS1 4AP paid by 4111 1111 1111 1111; \
                    NI AB123456C, account ACC-20931, case 4411 on 14/03/2026.";
        let scanner = Scanner::new(&["ACC-".to_string()], &[]).unwrap();
        assert_eq!(
            scanner.redact(text),
            "Jo ([email removed], [phone removed]) of [postcode removed] paid by [card number removed]; \
             NI [NI number removed], account [reference removed], case 4411 on 14/03/2026."
        );
        assert_eq!(scanner.redact("nothing here"), "nothing here");
        assert_eq!(scanner.redact(""), "");
    }

    #[test]
    fn overlapping_and_adjacent_findings() {
        // Adjacent: an e-mail address straight into a bracketed phone number.
        let text = "jo@x.uk(0113) 496 0000";
        assert_eq!(
            plain().scan(text),
            vec![
                Finding {
                    kind: Kind::Email,
                    start: 0,
                    end: 7
                },
                Finding {
                    kind: Kind::Phone,
                    start: 7,
                    end: text.len()
                },
            ]
        );
        // Overlapping addresses merge into one finding covering both.
        assert_eq!(
            found(&plain(), "a@b.com@c.com"),
            vec![(Kind::Email, "a@b.com@c.com".to_string())]
        );
        // A declared reference and an NI number on the same span: one finding.
        let scanner = Scanner::new(&["AB######C".to_string()], &[]).unwrap();
        assert_eq!(
            found(&scanner, "AB123456C"),
            vec![(Kind::Reference, "AB123456C".to_string())]
        );
        // A phone number inside an e-mail address is covered by the address.
        assert_eq!(
            found(&plain(), "x.07700900123@example.com"),
            vec![(Kind::Email, "x.07700900123@example.com".to_string())]
        );
        // Two numbers in a row stay two findings.
        assert_eq!(
            found(&plain(), "0113 496 0000 0113 496 0001"),
            vec![
                (Kind::Phone, "0113 496 0000".to_string()),
                (Kind::Phone, "0113 496 0001".to_string())
            ]
        );
    }

    fn check_invariants(scanner: &Scanner, text: &str) {
        let findings = scanner.scan(text);
        for pair in findings.windows(2) {
            assert!(pair[0].end <= pair[1].start, "{text:?}: {findings:?}");
        }
        for f in &findings {
            assert!(f.start < f.end && text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        }
        scanner.redact(text);
    }

    #[test]
    fn never_panics() {
        let scanner = Scanner::new(&["ACC-".to_string(), "X*".to_string(), "######".to_string()], &[]).unwrap();
        let awkward = [
            "",
            "@",
            "@@@",
            "a@",
            "@b.c",
            ".@.",
            "+",
            "+4",
            "+44",
            "+44 ",
            "+44 (0)",
            "(",
            "(0",
            "(0113",
            "(0113)",
            "0",
            "07700 ",
            "07700 9001",
            "4",
            "4111 ",
            "4111 1111 1111 111",
            "A",
            "AB",
            "AB 12",
            "AB 12 34 56",
            "AB 12 34 56 ",
            "L",
            "LS1",
            "LS1 ",
            "LS1 4",
            "LS1 4A",
            "é@é.é",
            "日本語07700 900123",
            "07700 900123日本",
            "\u{0}\u{1}@\u{7f}",
            "ACC",
            "ACC-",
            "X",
            "£",
            "¼½",
            "\u{feff}07700900123",
            "🙂LS1 4AP🙂",
            "jo@example.com\u{301}",
            "Ω4111111111111111",
            "a@b.c-",
            "x@-y.com",
            "x@y..com",
        ];
        for text in awkward {
            check_invariants(&scanner, text);
        }
        // Long and repetitive inputs, including ones built to make a naive
        // matcher backtrack.
        let units = [
            "a.", "a@", "@a.", "0", "07700 ", "4111 ", "ACC-A", "ACC-1-", "AB 12 ", "LS1 ", "+44 ", "(0", "é", "x@y.",
        ];
        for unit in units {
            let text = unit.repeat(20_000);
            check_invariants(&scanner, &text);
        }
    }

    #[test]
    fn finds_items_in_a_long_line() {
        let mut text = "word 2026-03-14 £1,250.00 ".repeat(10_000);
        text.push_str("jo@example.com");
        let findings = plain().scan(&text);
        assert_eq!(findings.len(), 1);
        assert_eq!(&text[findings[0].start..], "jo@example.com");
    }

    #[test]
    fn postcode_areas() {
        for area in AREAS {
            assert!(is_area(area.as_bytes()), "{area}");
        }
        for not in ["A", "C", "GB", "LX", "Q", "ZZ", "", "ABC", "a", "["] {
            assert!(!is_area(not.as_bytes()), "{not}");
        }
    }

    #[test]
    fn kind_ids_labels_and_masks() {
        assert_eq!(Kind::CardNumber.id(), "card-number");
        assert_eq!(Kind::NiNumber.label(), "a National Insurance number");
        assert_eq!(Kind::Reference.mask(), "[reference removed]");
    }
}
