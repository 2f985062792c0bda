//! People's names compared as people, not as strings: one comparison for
//! every identity rule (is this witness the learner? is the assessor the
//! learner? is the witness the assessor? is the receiver of two handover
//! records the same person?).
//!
//! Before anything is compared, text is *folded* ([`fold`]): invisible
//! characters (Unicode's default-ignorable code points: zero-width spaces and
//! joiners, bidi controls, soft hyphens) are dropped, compatibility forms
//! are unified (NFKC: full-width letters, ligatures), case is ignored, and
//! look-alike letters from other scripts are mapped to one prototype (the
//! Unicode TR39 confusable *skeleton*, from the `unicode-security` crate, not
//! a hand-made table): "Аmira" with a Cyrillic А is "Amira". The narratives
//! compared for near-duplicates are folded the same way
//! ([`crate::coverage::occasions`]), so a copy salted with zero-width spaces
//! is still a copy.
//!
//! Two comparisons, by which error is the safe one:
//! - [`may_be_same_person`], where a wrong "same" is the safe side (a witness
//!   who may be the learner does not count; a receiver who may be the same
//!   joins two handovers into one occasion): surname first ("Khan, Amira"),
//!   any order, a middle name on one side only ("Amira Noor Khan"), an
//!   initial for a name ("S. Jones" = "Sam Jones");
//! - [`same_name`], where a wrong "same" would raise a status (does `by`
//!   name an assessor?): the same words in the same order once folded, and
//!   "Surname, First" read as "First Surname".
//!
//! [`mixed_script`] tells whether a name mixes scripts (Latin letters with a
//! Cyrillic one), which the rules report as `name-mixed-script`.

use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;
use unicode_security::{MixedScript, skeleton};

/// The folded form of each ASCII character (its skeleton, lower case):
/// the common case without the tables' searches.
struct AsciiFolds {
    /// The folded form, when it is one ASCII character (most are): pushed
    /// as a `char`, not copied as a string of one byte.
    single: [Option<char>; 128],
    folded: [String; 128],
}

fn ascii_folds() -> &'static AsciiFolds {
    static TABLE: OnceLock<AsciiFolds> = OnceLock::new();
    TABLE.get_or_init(|| {
        let folded: [String; 128] = std::array::from_fn(|b| {
            let c = char::from(b as u8).to_ascii_lowercase();
            let mut s = String::new();
            let tmp = c.to_string();
            for k in skeleton(&tmp) {
                s.extend(k.to_lowercase());
            }
            s
        });
        let single = std::array::from_fn(|b| {
            let mut chars = folded[b].chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii() => Some(c),
                _ => None,
            }
        });
        AsciiFolds { single, folded }
    })
}

/// Whether `c` is invisible: a default-ignorable code point (zero-width
/// space, joiners, bidi controls, soft hyphen, variation selectors…), which
/// the TR39 skeleton removes.
pub fn is_invisible(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    let mut buf = [0u8; 4];
    skeleton(c.encode_utf8(&mut buf)).next().is_none()
}

/// `text` folded for comparison: invisible characters dropped, NFKC, lower
/// case, confusable skeleton (TR39), lower case again. Inserting invisible
/// characters anywhere never changes the result; neither does replacing a
/// letter by a look-alike of another script.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Piece by piece, each ending in ASCII white space: nothing composes,
    // reorders or maps across a space, so the pieces fold alone, and the
    // ASCII ones (most of any narrative) by table.
    for piece in text.split_inclusive(|c: char| c.is_ascii_whitespace()) {
        fold_piece(piece, &mut out);
    }
    out
}

/// Whether `fold(text)` has a character for which `wanted` is true, folding
/// only as far as the first piece that has one.
pub fn folded_has(text: &str, wanted: impl Fn(char) -> bool) -> bool {
    let mut buf = String::new();
    text.split_inclusive(|c: char| c.is_ascii_whitespace()).any(|piece| {
        buf.clear();
        fold_piece(piece, &mut buf);
        buf.chars().any(&wanted)
    })
}

/// Appends the folded form of `piece` (no ASCII white space but at its end).
fn fold_piece(piece: &str, out: &mut String) {
    if piece.is_ascii() {
        let table = ascii_folds();
        for b in piece.bytes() {
            let b = usize::from(b);
            match table.single[b] {
                Some(c) => out.push(c),
                None => out.push_str(&table.folded[b]),
            }
        }
        return;
    }
    let visible: String = piece.chars().filter(|&c| !is_invisible(c)).collect();
    let lowered: String = visible.nfkc().flat_map(char::to_lowercase).collect();
    for c in skeleton(&lowered) {
        out.extend(c.to_lowercase());
    }
}

/// The words of a folded name, "Surname, First" read as "First Surname".
fn words(name: &str) -> Vec<String> {
    let folded = fold(name);
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    match folded.split_once(',') {
        Some((surname, first)) if !split(surname).is_empty() && !split(first).is_empty() && !first.contains(',') => {
            let mut w = split(first);
            w.extend(split(surname));
            w
        }
        _ => split(&folded),
    }
}

/// A name compared: folded, letters and digits, single spaces,
/// "Surname, First" read as "First Surname" ("J. Patel", "j patel" and
/// "Patel, J." are the same).
pub fn normalise_name(name: &str) -> String {
    words(name).join(" ")
}

/// Whether two names are written the same: the same words in the same order
/// once folded (case, punctuation, invisible characters and look-alikes
/// aside), "Surname, First" read as "First Surname". The strict comparison,
/// for where a wrong "same" would raise a status.
pub fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (normalise_name(a), normalise_name(b));
    !a.is_empty() && a == b
}

/// Whether two words may name the same part of a name: equal, or one a
/// single letter that begins the other (an initial).
fn compatible(a: &str, b: &str) -> bool {
    let one = |s: &str| s.chars().count() == 1;
    a == b || (one(a) && b.starts_with(a)) || (one(b) && a.starts_with(b))
}

/// Whether two names could be one person, where a wrong "yes" is the safe
/// side. Each name is read as first name, middle names and surname
/// ("Surname, First Middle" too); they may be one person when the surnames
/// and the first names are each equal or one an initial of the other, and at
/// least one of the two is written in full on both sides. Middle names are
/// ignored (present on one side only, or as initials), and so is the order
/// of first name and surname ("Khan Amira"): "A. Khan", "Khan, Amira" and
/// "Amira Noor Khan" all may be "Amira Khan"; "A. K." may not.
pub fn may_be_same_person(a: &str, b: &str) -> bool {
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return false;
    }
    if wa == wb {
        return true;
    }
    if wa.len() < 2 || wb.len() < 2 {
        return false;
    }
    let ends = |w: &[String]| (w[0].clone(), w[w.len() - 1].clone());
    let ((fa, la), (fb, lb)) = (ends(&wa), ends(&wb));
    let full = |x: &str, y: &str| x == y && x.chars().count() > 1;
    let matches = |f1: &str, l1: &str, f2: &str, l2: &str| {
        compatible(f1, f2) && compatible(l1, l2) && (full(f1, f2) || full(l1, l2))
    };
    matches(&fa, &la, &fb, &lb) || matches(&la, &fa, &fb, &lb)
}

/// Whether a name mixes scripts ("Аmira" with a Cyrillic А among Latin
/// letters), once invisible characters are dropped: TR39's single-script
/// test, which lets Japanese mix Han and kana.
pub fn mixed_script(name: &str) -> bool {
    let visible: String = name.chars().filter(|&c| !is_invisible(c)).nfkc().collect();
    !visible.as_str().is_single_script()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_and_punctuation() {
        assert!(same_name("J. Patel", "j patel"));
        assert!(same_name("  Amira   KHAN ", "amira khan"));
        assert!(same_name("Patel, J.", "J. Patel"));
        assert!(!same_name("J. Patel", "R. Patel"));
        assert!(!same_name("", ""));
    }

    #[test]
    fn an_initial_may_be_the_same_person() {
        assert!(may_be_same_person("A. Khan", "Amira Khan"));
        assert!(may_be_same_person("amira khan", "Amira Khan"));
        assert!(!may_be_same_person("Ben Khan", "Amira Khan"));
        assert!(!may_be_same_person("Khan", "Amira Khan"));
        assert!(!may_be_same_person("Amira Jones", "Amira Khan"));
    }

    #[test]
    fn order_middle_names_and_initials() {
        assert!(may_be_same_person("Khan, Amira", "Amira Khan"));
        assert!(may_be_same_person("Khan Amira", "Amira Khan"));
        assert!(may_be_same_person("Amira Noor Khan", "Amira Khan"));
        assert!(may_be_same_person("Amira N. Khan", "Amira Khan"));
        assert!(may_be_same_person("S. Jones", "Sam Jones"));
        assert!(may_be_same_person("Jones, S.", "Sam Jones"));
        assert!(!may_be_same_person("S. Jones", "Dana Jones"));
        assert!(!may_be_same_person("A. K.", "Amira Khan"));
        assert!(!may_be_same_person("Amira B. Khan", "Ben Khan"));
        assert!(may_be_same_person("Amira K.", "Amira Khan"));
    }

    #[test]
    fn look_alikes_and_invisible_characters_are_the_same_name() {
        // A Cyrillic А, a zero-width space, a right-to-left override, a
        // full-width K.
        assert!(same_name("\u{410}mira Khan", "Amira Khan"));
        assert!(same_name("Am\u{200B}ira Kh\u{202E}an", "Amira Khan"));
        assert!(same_name("Amira \u{FF2B}han", "Amira Khan"));
        assert!(may_be_same_person("A\u{200D}. Kh\u{2066}an", "Amira Khan"));
        assert_eq!(fold("re\u{200B}fund"), fold("refund"));
        // Piece by piece or whole, the same.
        let text = "She said \u{201C}caf\u{E9}\u{201D} \u{2014} e\u{301} \u{301}x Ａmira\n\tok";
        let whole: String = {
            let visible: String = text.chars().filter(|&c| !is_invisible(c)).collect();
            let lowered: String = visible.nfkc().flat_map(char::to_lowercase).collect();
            skeleton(&lowered).flat_map(char::to_lowercase).collect()
        };
        assert_eq!(fold(text), whole);
        // Every ASCII character, by table, as the skeleton folds it.
        let ascii: String = (0u8..128).map(char::from).collect();
        let by_skeleton: String = skeleton(&ascii.to_lowercase()).flat_map(char::to_lowercase).collect();
        assert_eq!(fold(&ascii), by_skeleton);
    }

    #[test]
    fn folded_has_looks_at_the_folded_text() {
        for text in [
            "",
            "  \n",
            "- \u{200B} ",
            "\u{FF21}",
            " ,. x",
            "caf\u{E9}",
            "\u{410} ",
            "[[3.1]]",
        ] {
            assert_eq!(
                folded_has(text, char::is_alphanumeric),
                fold(text).chars().any(char::is_alphanumeric),
                "{text:?}"
            );
        }
        assert!(!folded_has("\u{200B}\u{200D} -- ", char::is_alphanumeric));
    }

    #[test]
    fn mixed_scripts_are_seen() {
        assert!(mixed_script("\u{410}mira Khan"));
        assert!(!mixed_script("Amira Khan"));
        assert!(!mixed_script("Am\u{200B}ira Khan"));
        assert!(!mixed_script("Дмитрий Петров"));
        assert!(!mixed_script("山田 はなこ"));
    }
}
