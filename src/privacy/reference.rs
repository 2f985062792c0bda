//! Declared reference patterns (`ACC-`, `CUS-######`): compiling them and
//! matching them as whole tokens.

use super::detect::{is_word, next_char, run};

/// The longest run of letters and digits a `*` or a prefix's tail takes.
pub(super) const MAX_TAIL: usize = 40;

/// One element of a declared reference pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Piece {
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
pub(super) struct Reference {
    pieces: Vec<Piece>,
    /// No placeholders: the pieces are a prefix and a tail follows.
    prefix: bool,
}

pub(super) fn compile_reference(pattern: &str) -> Result<Reference, &'static str> {
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
    pub(super) fn match_at(&self, text: &str, i: usize) -> Option<usize> {
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
