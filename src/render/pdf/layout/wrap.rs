//! Line breaking: spans of styled text wrapped greedily at spaces to a
//! width, with the font's own glyph advances; a word longer than the line
//! breaks between characters. Every loop consumes its input, so wrapping
//! ends for any text.

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
/// the fonts' advances. A word wider than a line is broken between
/// characters. Characters a face lacks become `?`.
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
            for token in split_spaces(piece) {
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
                // A word longer than the line: break it after a `/`, `-` or
                // `_` (a path, a label) where the piece fits, else between
                // characters.
                let mut token = token;
                while let Some(cut) = soft_break(fonts, span.style, token, width - x) {
                    let (piece, rest) = token.split_at(cut);
                    let pw = fonts.width(span.style.face, span.style.size, piece);
                    push(&mut line, span, piece, pw, &mut x);
                    lines.push(std::mem::take(&mut line).finish(min_size));
                    x = 0.0;
                    token = rest;
                    let rw = fonts.width(span.style.face, span.style.size, token);
                    if rw <= width {
                        break;
                    }
                }
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

/// Where to break `token` so that its first piece fits `room`: after the
/// last `/`, `-` or `_` that leaves a piece no wider than `room` and that
/// is neither the first nor the last character; `None` when there is none.
fn soft_break(fonts: &Fonts, style: super::Style, token: &str, room: f32) -> Option<usize> {
    let mut best = None;
    let mut w = 0.0;
    let mut chars = token.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        w += fonts.width(style.face, style.size, c.encode_utf8(&mut [0; 4]));
        if w > room {
            break;
        }
        if matches!(c, '/' | '-' | '_') && i > 0 && chars.peek().is_some() {
            best = Some(i + c.len_utf8());
        }
    }
    best
}

/// Splits text into alternating runs of spaces and non-spaces.
fn split_spaces(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let space = rest.starts_with(' ');
        let end = rest.find(|c: char| (c == ' ') != space).unwrap_or(rest.len());
        let (tok, r) = rest.split_at(end);
        rest = r;
        Some(tok)
    })
}

/// The natural width of `spans` on one line, and the widest word.
pub fn natural_width(fonts: &Fonts, spans: &[Span]) -> (f32, f32) {
    let mut total = 0.0f32;
    let mut widest = 0.0f32;
    let mut line = 0.0f32;
    let mut word = 0.0f32;
    for s in spans {
        for c in s.text.chars() {
            if c == '\n' {
                total = total.max(line);
                line = 0.0;
                word = 0.0;
                continue;
            }
            let w = fonts.width(s.style.face, s.style.size, c.encode_utf8(&mut [0; 4]));
            line += w;
            if c == ' ' {
                word = 0.0;
            } else {
                word += w;
                widest = widest.max(word);
            }
        }
        if s.badge.is_some() {
            line += s.style.size * 0.5;
        }
    }
    (total.max(line), widest)
}
