//! Line breaking: spans of styled text wrapped greedily to a width, with the
//! font's own glyph advances, at the break opportunities of Unicode's line
//! breaking algorithm (UAX #14, the `unicode-linebreak` crate) and after a
//! `/`, `-` or `_` in a path or label (not between digits: a date stays
//! whole), and before the `@` of an e-mail address. Only a piece wider than the whole line breaks between
//! characters, so no word narrower than its column is ever cut. Every loop
//! consumes its input, so wrapping ends for any text.

use super::{LEADING, Link, Rgb, Style};
use crate::render::pdf::fonts::Fonts;

/// Inline text with one style. `\n` in `text` forces a line break.
#[derive(Debug, Clone)]
pub struct Span {
    pub text: String,
    pub style: Style,
    pub link: Option<Link>,
    /// Drawn on a tinted box (criterion badges).
    pub badge: Option<Rgb>,
    /// The page number of this anchor, filled in after layout: the span's
    /// text is a placeholder of [`PAGE_DIGITS`] digits that reserves its
    /// width (see [`Flow::page_refs`]).
    pub page_of: Option<String>,
}

impl Span {
    pub fn new(text: impl Into<String>, style: Style) -> Span {
        Span {
            text: text.into(),
            style,
            link: None,
            badge: None,
            page_of: None,
        }
    }
    pub fn link(mut self, link: Option<Link>) -> Span {
        self.link = link;
        self
    }
    /// A span that will read the page number of `anchor`: laid out as
    /// [`PAGE_DIGITS`] zeros, rewritten once every page is known.
    pub fn page_of(anchor: &str, style: Style) -> Span {
        Span {
            page_of: Some(anchor.to_string()),
            ..Span::new("0".repeat(PAGE_DIGITS), style)
        }
    }
}

/// Digits reserved for a page number filled in after layout: enough for
/// [`MAX_PDF_PAGES`]. DejaVu's digits share one width, so the number never
/// takes more room than its placeholder.
pub const PAGE_DIGITS: usize = 4;

/// A positioned piece of a line.
#[derive(Debug, Clone)]
pub struct Run {
    pub x: f32,
    pub width: f32,
    pub text: String,
    pub style: Style,
    pub link: Option<Link>,
    pub badge: Option<Rgb>,
    /// As [`Span::page_of`].
    pub page_of: Option<String>,
}

/// One laid-out line: runs from its left edge; `height` includes leading.
#[derive(Debug, Clone, Default)]
pub struct Line {
    pub runs: Vec<Run>,
    pub width: f32,
    pub height: f32,
    /// Baseline, from the top of the line.
    pub baseline: f32,
}

impl Line {
    fn finish(mut self, min_size: f32) -> Line {
        while self.runs.last().is_some_and(|r| r.text.trim().is_empty()) {
            self.runs.pop();
        }
        if let Some(r) = self.runs.last_mut() {
            let trimmed = r.text.trim_end().len();
            if trimmed < r.text.len() {
                r.text.truncate(trimmed);
            }
        }
        let size = self.runs.iter().map(|r| r.style.size).fold(min_size, f32::max);
        self.height = size * LEADING;
        self.baseline = (self.height - size * 1.16) / 2.0 + size * 0.93;
        self.width = self.runs.last().map_or(0.0, |r| r.x + r.width);
        self
    }
}

/// Wraps `spans` greedily into lines no wider than `width`, measuring with
/// the fonts' advances, breaking only where [`tokens`] allows. A piece
/// wider than a line is broken between characters. Characters a face lacks
/// become `?`.
pub fn wrap(fonts: &Fonts, spans: &[Span], width: f32) -> Vec<Line> {
    let width = width.max(10.0);
    let min_size = spans.first().map_or(10.0, |s| s.style.size);
    let mut lines = Vec::new();
    let mut line = Line::default();
    let mut x = 0.0f32;
    // Pending inter-word space: (span index, text, width).
    let mut pending_space: Option<(usize, std::borrow::Cow<'static, str>, f32)> = None;
    let push = |line: &mut Line, span: &Span, text: &str, w: f32, x: &mut f32| {
        if let Some(last) = line.runs.last_mut()
            && last.style == span.style
            && last.link == span.link
            && last.badge == span.badge
            && span.badge.is_none()
            && last.page_of.is_none()
            && span.page_of.is_none()
            && (*x - (last.x + last.width)).abs() < 0.01
        {
            last.text.push_str(text);
            last.width += w;
        } else {
            line.runs.push(Run {
                x: *x,
                width: w,
                text: text.to_string(),
                style: span.style,
                link: span.link.clone(),
                badge: span.badge,
                page_of: span.page_of.clone(),
            });
        }
        *x += w;
    };
    for (idx, span) in spans.iter().enumerate() {
        let text = fonts.drawable(span.style.face, &span.text);
        let pad = if span.badge.is_some() {
            span.style.size * 0.25
        } else {
            0.0
        };
        for (pi, piece) in text.split('\n').enumerate() {
            if pi > 0 {
                lines.push(std::mem::take(&mut line).finish(min_size));
                x = 0.0;
                pending_space = None;
            }
            for token in tokens(piece) {
                if token.starts_with(' ') {
                    if x > 0.0 {
                        // A run of spaces, without allocating for the usual one.
                        const SPACES: &str = "                                ";
                        let s = match SPACES.get(..token.len()) {
                            Some(s) => std::borrow::Cow::Borrowed(s),
                            None => std::borrow::Cow::Owned(token.to_string()),
                        };
                        pending_space = Some((idx, s, fonts.width(span.style.face, span.style.size, token)));
                    }
                    continue;
                }
                let w = fonts.width(span.style.face, span.style.size, token) + 2.0 * pad;
                let space_w = pending_space.as_ref().map_or(0.0, |s| s.2);
                if x > 0.0 && x + space_w + w > width {
                    lines.push(std::mem::take(&mut line).finish(min_size));
                    x = 0.0;
                    pending_space = None;
                }
                if let Some((si, s, sw)) = pending_space.take() {
                    push(&mut line, &spans[si], &s, sw, &mut x);
                }
                if w <= width - x || span.badge.is_some() && w <= width {
                    push(&mut line, span, token, w, &mut x);
                    continue;
                }
                // A piece wider than the line (its breaks are used up):
                // between characters.
                let w = fonts.width(span.style.face, span.style.size, token);
                if w <= width - x {
                    push(&mut line, span, token, w, &mut x);
                    continue;
                }
                let mut chunk = String::new();
                let mut cw = 0.0;
                for c in token.chars() {
                    let w = fonts.width(span.style.face, span.style.size, c.encode_utf8(&mut [0; 4]));
                    if x + cw + w > width && !(chunk.is_empty() && x == 0.0) {
                        if !chunk.is_empty() {
                            push(&mut line, span, &chunk, cw, &mut x);
                        }
                        lines.push(std::mem::take(&mut line).finish(min_size));
                        x = 0.0;
                        chunk.clear();
                        cw = 0.0;
                    }
                    chunk.push(c);
                    cw += w;
                }
                if !chunk.is_empty() {
                    push(&mut line, span, &chunk, cw, &mut x);
                }
            }
        }
    }
    if !line.runs.is_empty() || lines.is_empty() {
        lines.push(line.finish(min_size));
    }
    lines
}

/// Splits text into runs of spaces and unbreakable pieces: a line may
/// break before any piece. Pieces end at a UAX #14 break opportunity, and
/// after a `/`, `-` or `_` that is neither first nor last and not between
/// two digits; and before the `@` of an e-mail address. Text of letters, digits, spaces and `.,;:'"()` only (most
/// of it) breaks at spaces alone, as UAX #14 would, without the tables.
pub(crate) fn tokens(s: &str) -> impl Iterator<Item = &str> {
    let plain = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b" .,;:'\"()".contains(&b));
    let mut breaks: Vec<usize> = Vec::new();
    if !plain {
        breaks.extend(
            unicode_linebreak::linebreaks(s)
                .filter(|&(_, o)| o == unicode_linebreak::BreakOpportunity::Allowed)
                .map(|(i, _)| i),
        );
        let bytes = s.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            let next = i + 1;
            if matches!(b, b'/' | b'-' | b'_')
                && i > 0
                && next < bytes.len()
                && bytes[next] != b' '
                && !(bytes[i - 1].is_ascii_digit() && bytes[next].is_ascii_digit())
            {
                breaks.push(next);
            }
            // An e-mail address (a signer's principal) before its `@`.
            if *b == b'@' && i > 0 {
                breaks.push(i);
            }
        }
        breaks.sort_unstable();
        breaks.dedup();
    }
    let mut breaks = breaks.into_iter().peekable();
    let mut rest = s;
    let mut at = 0usize;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let space = rest.starts_with(' ');
        let mut end = rest.find(|c: char| (c == ' ') != space).unwrap_or(rest.len());
        if !space {
            while breaks.peek().is_some_and(|&b| b <= at) {
                breaks.next();
            }
            if let Some(&b) = breaks.peek()
                && b < at + end
            {
                end = b - at;
            }
        }
        let (tok, r) = rest.split_at(end);
        rest = r;
        at += end;
        Some(tok)
    })
}

/// The natural width of `spans` on one line, and the widest piece that
/// cannot be broken ([`tokens`]).
pub fn natural_width(fonts: &Fonts, spans: &[Span]) -> (f32, f32) {
    let mut total = 0.0f32;
    let mut widest = 0.0f32;
    let mut line = 0.0f32;
    for s in spans {
        for (pi, piece) in s.text.split('\n').enumerate() {
            if pi > 0 {
                total = total.max(line);
                line = 0.0;
            }
            for token in tokens(piece) {
                let w = fonts.width(s.style.face, s.style.size, token);
                line += w;
                if !token.starts_with(' ') {
                    widest = widest.max(w);
                }
            }
        }
        if s.badge.is_some() {
            line += s.style.size * 0.5;
        }
    }
    (total.max(line), widest)
}
