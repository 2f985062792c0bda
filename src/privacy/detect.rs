//! The detectors: e-mail addresses, UK phone numbers, payment card numbers
//! (Luhn), National Insurance numbers and UK postcodes. Each is bounded and
//! linear; word boundaries keep digits inside longer tokens out.

use super::{Finding, Kind};

/// A character that makes a token longer: a letter, a digit or `_`.
pub(super) fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The character before byte `i`, if `i` is a character boundary.
pub(super) fn prev_char(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

/// The character at byte `i`, if `i` is a character boundary.
pub(super) fn next_char(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

/// How many bytes from `p` satisfy `f`, counting no further than `cap`.
pub(super) fn run(b: &[u8], p: usize, f: fn(&u8) -> bool, cap: usize) -> usize {
    b.get(p..)
        .map_or(0, |rest| rest.iter().take(cap).take_while(|c| f(c)).count())
}

pub(super) fn digits(b: &[u8], p: usize) -> usize {
    run(b, p, u8::is_ascii_digit, 24)
}

/// A number may start at `i`: not after a word character, nor after `.`,
/// `/`, `:` or `-` that follows a digit (`1.07700…`, `T/506/2157`).
pub(super) fn numeric_start_ok(text: &str, i: usize) -> bool {
    match prev_char(text, i) {
        None => true,
        Some(c) if is_word(c) => false,
        Some('.' | '/' | ':' | '-') => !prev_char(text, i - 1).is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    }
}

/// A number may end at `p`: the mirror image of [`numeric_start_ok`].
pub(super) fn numeric_end_ok(text: &str, p: usize) -> bool {
    match next_char(text, p) {
        None => true,
        Some(c) if is_word(c) => false,
        Some('.' | '/' | ':' | '-') => !next_char(text, p + 1).is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    }
}

/// A token may end at `p`.
pub(super) fn word_end_ok(text: &str, p: usize) -> bool {
    !next_char(text, p).is_some_and(is_word)
}

/// Every e-mail address, found from its `@`. The local part is read back
/// and the domain forward, each bounded, so the scan is linear.
pub(super) fn emails(text: &str, found: &mut Vec<Finding>) {
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
pub(super) fn phone_at(text: &str, i: usize) -> Option<usize> {
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
pub(super) fn card_at(text: &str, i: usize) -> Option<usize> {
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
pub(super) fn luhn(s: &[u8]) -> bool {
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
pub(super) fn ni_at(text: &str, i: usize) -> Option<usize> {
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
pub(super) const AREAS: &[&str] = &[
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
pub(super) const AREA_BITS: [u32; 26] = {
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
pub(super) fn is_area(letters: &[u8]) -> bool {
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
pub(super) fn postcode_at(text: &str, i: usize) -> Option<usize> {
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
