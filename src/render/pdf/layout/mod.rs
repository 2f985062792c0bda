//! The page model: A4 pages, greedy line wrapping with the font's own glyph
//! advances, a flow that breaks pages (never after a heading), tables that
//! split across pages with their header row repeated (rows and cells of any
//! height flow on; too many columns become runs of columns), anchors and
//! outline entries recorded where their content lands (images, and their
//! slices over pages, are placed by `figure`). Every placing loop
//! makes progress and pages are capped ([`MAX_ITEM_PAGES`],
//! [`MAX_PDF_PAGES`]), so layout ends for any input. Coordinates are points
//! from the top-left corner of the page; `content.rs` converts them to the PDF's.
//! `wrap` breaks text into lines; `table` places tables; this file holds
//! the page model and the flow.

pub mod structure;
mod table;
mod wrap;

pub use table::*;
pub use wrap::*;

use structure::{Artifact, Child, Kind, Mark, Tree};

use super::fonts::{Face, Fonts};
use std::collections::HashMap;

pub const PAGE_W: f32 = 595.276;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN_L: f32 = 56.7;
pub const MARGIN_R: f32 = 56.7;
/// Top of the body (the running header sits above it).
pub const BODY_TOP: f32 = 70.0;
/// Bottom of the body (the footer sits below it).
pub const BODY_BOTTOM: f32 = PAGE_H - 62.0;
pub const TEXT_W: f32 = PAGE_W - MARGIN_L - MARGIN_R;
const LEADING: f32 = 1.38;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

pub const BLACK: Rgb = Rgb(0.1, 0.1, 0.12);
pub const GREY: Rgb = Rgb(0.4, 0.4, 0.43);
pub const RULE: Rgb = Rgb(0.75, 0.75, 0.78);
pub const LINK: Rgb = Rgb(0.05, 0.3, 0.65);

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub face: Face,
    pub size: f32,
    pub color: Rgb,
}

impl Style {
    pub const fn new(face: Face, size: f32) -> Style {
        Style {
            face,
            size,
            color: BLACK,
        }
    }
    pub const fn color(self, color: Rgb) -> Style {
        Style { color, ..self }
    }
}

/// Where a link goes: a named position in the document, an external URI,
/// or a file embedded in the PDF (its key, as in `write::EmbeddedFile`).
#[derive(Debug, Clone, PartialEq)]
pub enum Link {
    Anchor(String),
    Uri(String),
    File(String),
}

/// A rectangle `(x, y, w, h)`, `y` from the top of the page to its top edge.
pub type Clip = (f32, f32, f32, f32);

/// Something drawn on a page. `y` is from the top of the page: a text's
/// baseline, a box's top edge.
#[derive(Debug, Clone)]
pub enum Draw {
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Rgb,
    },
    HLine {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        color: Rgb,
    },
    VLine {
        x: f32,
        y1: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    Image {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        /// Only this rectangle (x, y, w, h, top-down like the image's own)
        /// is painted: one slice of an image split over pages.
        clip: Option<Clip>,
    },
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        target: Link,
        /// What the link says it does, for a screen reader.
        alt: String,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub draws: Vec<Draw>,
    /// What each draw is in the structure (see [`structure`]), one per draw.
    pub marks: Vec<Mark>,
    /// Whether the running header and footer are drawn (all but the cover).
    pub running: bool,
}

/// A position in the document: page index (from 0) and y from the top.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pos {
    pub page: usize,
    pub y: f32,
}

#[derive(Debug, Clone)]
pub struct OutlineEntry {
    pub level: usize,
    pub title: String,
    pub pos: Pos,
}

/// The flow: places blocks one after another and breaks pages.
pub struct Flow<'f> {
    pub fonts: &'f Fonts,
    pub pages: Vec<Page>,
    pub y: f32,
    /// Left indent from the margin (lists, quotes).
    pub indent: f32,
    pub anchors: HashMap<String, Pos>,
    pub outline: Vec<OutlineEntry>,
    pending_anchors: Vec<String>,
    pending_outline: Vec<(usize, String)>,
    /// Quote bars: x positions of vertical rules drawn beside each line.
    pub bars: Vec<f32>,
    /// A list marker drawn to the left of the next line.
    pub marker: Option<(Span, f32)>,
    /// Background of the lines placed (code blocks).
    pub line_fill: Option<Rgb>,
    /// No page is added beyond this count (see [`Flow::new_page`]).
    pub page_cap: usize,
    /// Set when the content needed a page beyond `page_cap`.
    pub overflowed: bool,
    /// The file whose content overflowed, when the sections know it, and
    /// whether its own limit ([`MAX_ITEM_PAGES`]) was the one reached.
    pub overflow_file: Option<(String, bool)>,
    /// Texts that are page numbers to fill in: (page, index of the
    /// `Draw::Text` among its draws, anchor). See [`Flow::fill_page_numbers`].
    pub page_refs: Vec<(usize, usize, String)>,
    /// The logical structure recorded so far (see [`structure`]).
    pub tree: Tree,
    /// Open elements above the innermost section, innermost last.
    stack: Vec<u32>,
    /// Open sections: the bookmark level that opened each, and its element.
    sects: Vec<(usize, u32)>,
    /// How many of `pending_outline` have opened their section.
    sectioned: usize,
    /// While set, whatever is drawn is this artifact.
    pub artifact: Option<Artifact>,
    /// The level of the last heading, so that none skips a level.
    last_heading: u16,
    /// The next heading's level below its section's (Markdown's `#` is 1).
    pub next_heading: Option<u16>,
    /// The last text drawn as content: page, draw and element, the start
    /// of the run it may continue (see [`Mark::Continues`]).
    last_text: Option<(u32, u32, u32)>,
}

/// Most pages one evidence item, or the reflective account, may fill.
pub const MAX_ITEM_PAGES: usize = 2_500;
/// Most pages in one PDF.
pub const MAX_PDF_PAGES: usize = 5_000;

impl<'f> Flow<'f> {
    pub fn new(fonts: &'f Fonts) -> Flow<'f> {
        Flow {
            fonts,
            pages: Vec::new(),
            y: BODY_TOP,
            indent: 0.0,
            anchors: HashMap::new(),
            outline: Vec::new(),
            pending_anchors: Vec::new(),
            pending_outline: Vec::new(),
            bars: Vec::new(),
            marker: None,
            line_fill: None,
            page_cap: MAX_PDF_PAGES,
            overflowed: false,
            overflow_file: None,
            page_refs: Vec::new(),
            tree: Tree::default(),
            stack: Vec::new(),
            sects: Vec::new(),
            sectioned: 0,
            artifact: None,
            last_heading: 0,
            next_heading: None,
            last_text: None,
        }
    }

    /// The innermost open element.
    fn top(&self) -> u32 {
        self.stack
            .last()
            .or(self.sects.last().map(|s| &s.1))
            .copied()
            .unwrap_or(0)
    }

    /// Opens the sections of the bookmarks not yet bound: a bookmark of
    /// level `l` closes the open sections of level `l` or deeper (and
    /// everything open in them) and opens one inside the rest.
    fn open_sections(&mut self) {
        while self.sectioned < self.pending_outline.len() {
            let level = self.pending_outline[self.sectioned].0;
            self.sectioned += 1;
            while self.sects.last().is_some_and(|s| s.0 >= level) {
                self.sects.pop();
            }
            self.stack.clear();
            let parent = self.sects.last().map_or(0, |s| s.1);
            let id = self.tree.add(parent, Kind::Sect);
            self.sects.push((level, id));
        }
    }

    /// Opens an element of `kind` inside the innermost open one; what is
    /// drawn until [`Flow::close`] belongs to it. Past
    /// [`structure::MAX_DEPTH`] the innermost element stays open instead.
    pub fn open(&mut self, kind: Kind) -> u32 {
        self.open_sections();
        let top = self.top();
        if self.stack.len() + self.sects.len() >= structure::MAX_DEPTH {
            self.stack.push(top);
            return top;
        }
        let id = self.tree.add(top, kind);
        self.stack.push(id);
        id
    }

    /// Reopens element `id` (a table cell placed again on the next page).
    pub fn reopen(&mut self, id: u32) {
        self.stack.push(id);
    }

    /// Closes the innermost element opened by [`Flow::open`].
    pub fn close(&mut self) {
        self.stack.pop();
    }

    /// The element a draw `d` belongs to, and how it is marked: shapes are
    /// layout artifacts; text outside any element that holds text gets a
    /// paragraph of its own.
    fn mark(&mut self, d: &Draw) -> Mark {
        if let Some(a) = self.artifact {
            return Mark::Artifact(a);
        }
        match d {
            Draw::Rect { .. } | Draw::HLine { .. } | Draw::VLine { .. } => Mark::Artifact(Artifact::Layout),
            Draw::Text { .. } if !self.tree.kind(self.top()).holds_text() => {
                self.open_sections();
                let top = self.top();
                Mark::Content(self.tree.add(top, Kind::P))
            }
            _ => Mark::Content(self.top()),
        }
    }

    /// Writes the page number of each anchor where [`Span::page_of`] left
    /// a placeholder: one layout pass is enough, as the placeholder already
    /// held the number's room. An anchor that never landed reads "?".
    pub fn fill_page_numbers(&mut self) {
        for (page, at, anchor) in std::mem::take(&mut self.page_refs) {
            let number = self
                .anchors
                .get(&anchor)
                .map_or_else(|| "?".to_string(), |p| (p.page + 1).to_string());
            if let Some(Draw::Text { text, .. }) = self.pages.get_mut(page).and_then(|p| p.draws.get_mut(at)) {
                *text = number;
            }
        }
    }

    pub fn page_index(&self) -> usize {
        self.pages.len().saturating_sub(1)
    }

    pub(super) fn draw(&mut self, d: Draw) {
        if self.pages.is_empty() {
            self.new_page(true);
        }
        let mut mark = self.mark(&d);
        let page_no = self.page_index() as u32;
        let page = self.pages.last_mut().expect("a page");
        let at = page.draws.len() as u32;
        if let Mark::Content(n) = mark
            && let Some(e) = self.tree.elements.get_mut(n as usize)
        {
            // Text right after this element's last text on this page, with
            // nothing of the element's in between, continues it.
            let continues = matches!(d, Draw::Text { .. })
                && self.last_text.is_some_and(|(p, i, k)| {
                    p == page_no && k == n && e.children.last() == Some(&Child::Content { page: p, draw: i })
                });
            if continues {
                mark = Mark::Continues(n);
            } else {
                e.children.push(Child::Content {
                    page: page_no,
                    draw: at,
                });
            }
        }
        if let Draw::Text { .. } = d {
            self.last_text = match mark {
                Mark::Content(n) => Some((page_no, at, n)),
                Mark::Continues(_) => self.last_text,
                Mark::Artifact(_) => None,
            };
        }
        page.draws.push(d);
        page.marks.push(mark);
    }

    /// Starts a new page; `running` pages carry the header and footer. At
    /// `page_cap` pages it sets `overflowed` and empties the last page
    /// instead, so layout still ends, in memory bounded by the page cap; the
    /// renderer then refuses the document.
    pub fn new_page(&mut self, running: bool) {
        if self.pages.len() >= self.page_cap.max(1) {
            self.overflowed = true;
            if let Some(last) = self.pages.last_mut() {
                last.draws.clear();
                last.marks.clear();
            }
        } else {
            self.pages.push(Page {
                draws: Vec::new(),
                marks: Vec::new(),
                running,
            });
        }
        self.y = if running { BODY_TOP } else { 60.0 };
    }

    /// Starts a new page unless the current one is still empty.
    pub fn page_break(&mut self) {
        let empty = self.pages.last().is_some_and(|p| p.draws.is_empty());
        if !empty {
            self.new_page(true);
        }
    }

    pub fn room(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    /// Breaks the page unless `h` points fit below the cursor.
    pub fn ensure(&mut self, h: f32) {
        if self.pages.is_empty() {
            self.new_page(true);
        }
        if h > self.room() && self.y > BODY_TOP + 0.5 {
            self.new_page(true);
        }
    }

    /// Vertical space; swallowed at the top of a page.
    pub fn space(&mut self, h: f32) {
        if self.y > BODY_TOP + 0.5 {
            self.y = (self.y + h).min(BODY_BOTTOM);
        }
    }

    /// Names the position of whatever is placed next.
    pub fn anchor(&mut self, name: impl Into<String>) {
        self.pending_anchors.push(name.into());
    }

    /// An outline (bookmark) entry at whatever is placed next.
    pub fn bookmark(&mut self, level: usize, title: impl Into<String>) {
        self.pending_outline.push((level, title.into()));
    }

    pub(super) fn bind(&mut self) {
        self.open_sections();
        self.sectioned = 0;
        let pos = Pos {
            page: self.page_index(),
            y: self.y,
        };
        for a in self.pending_anchors.drain(..) {
            self.anchors.entry(a).or_insert(pos);
        }
        for (level, title) in self.pending_outline.drain(..) {
            self.outline.push(OutlineEntry { level, title, pos });
        }
    }

    /// Places lines at the current indent, breaking pages between lines.
    pub fn lines(&mut self, lines: &[Line]) {
        self.open_sections();
        // A list item's marker is its label, before its body.
        let label = match self.stack[..] {
            [.., li, body]
                if self.marker.is_some() && *self.tree.kind(body) == Kind::LBody && *self.tree.kind(li) == Kind::LI =>
            {
                Some(self.tree.insert_before(li, body, Kind::Lbl))
            }
            _ => None,
        };
        let own = !self.tree.kind(self.top()).holds_text() && self.artifact.is_none();
        if own {
            self.open(Kind::P);
        }
        self.place_lines(lines, label);
        if own {
            self.close();
        }
    }

    fn place_lines(&mut self, lines: &[Line], label: Option<u32>) {
        for line in lines {
            self.ensure(line.height);
            self.bind();
            let x = MARGIN_L + self.indent;
            if let Some(fill) = self.line_fill {
                self.draw(Draw::Rect {
                    x: x - 4.0,
                    y: self.y,
                    w: TEXT_W - self.indent + 8.0,
                    h: line.height,
                    fill,
                });
            }
            for bx in self.bars.clone() {
                self.draw(Draw::VLine {
                    x: bx,
                    y1: self.y,
                    y2: self.y + line.height,
                    width: 2.0,
                    color: RULE,
                });
            }
            if let Some((span, mx)) = self.marker.take() {
                if let Some(l) = label {
                    self.reopen(l);
                }
                self.draw(Draw::Text {
                    x: x - mx,
                    y: self.y + line.baseline,
                    style: span.style,
                    text: span.text,
                });
                if label.is_some() {
                    self.close();
                }
            }
            let top = self.y;
            self.place_line(line, x, top);
            self.y += line.height;
        }
    }

    /// Draws a line's runs with its left edge at `x` and top at `top`.
    pub fn place_line(&mut self, line: &Line, x: f32, top: f32) {
        for r in &line.runs {
            if let Some(fill) = r.badge {
                self.draw(Draw::Rect {
                    x: x + r.x,
                    y: top + line.baseline - r.style.size * 0.95,
                    w: r.width,
                    h: r.style.size * 1.25,
                    fill,
                });
            }
            let pad = if r.badge.is_some() { r.style.size * 0.25 } else { 0.0 };
            // A link is its text and its annotation, described by its text.
            let link = match &r.link {
                Some(target) if !r.text.trim().is_empty() => {
                    let alt = match target {
                        Link::Uri(u) => format!("{} ({u})", r.text.trim()),
                        Link::File(key) => format!("Open the embedded file {key}"),
                        Link::Anchor(_) => r.text.trim().to_string(),
                    };
                    self.open(match target {
                        Link::File(_) => Kind::Annot(alt.clone()),
                        _ => Kind::Link(alt.clone()),
                    });
                    Some((target.clone(), alt))
                }
                _ => None,
            };
            if !r.text.trim().is_empty() {
                if let Some(anchor) = &r.page_of {
                    let page = self.page_index();
                    let at = self.pages.get(page).map_or(0, |p| p.draws.len());
                    self.page_refs.push((page, at, anchor.clone()));
                }
                self.draw(Draw::Text {
                    x: x + r.x + pad,
                    y: top + line.baseline,
                    style: r.style,
                    text: r.text.clone(),
                });
            }
            if let Some((target, alt)) = link {
                self.draw(Draw::Link {
                    x: x + r.x,
                    y: top,
                    w: r.width,
                    h: line.height,
                    target,
                    alt,
                });
                self.close();
            }
        }
    }

    /// Wraps and places a paragraph at the current indent.
    pub fn paragraph(&mut self, spans: &[Span]) {
        let lines = wrap(self.fonts, spans, TEXT_W - self.indent);
        self.lines(&lines);
    }

    /// A heading: kept with at least `keep` points of what follows.
    pub fn heading(&mut self, spans: &[Span], before: f32, after: f32, keep: f32) {
        let lines = wrap(self.fonts, spans, TEXT_W - self.indent);
        let h: f32 = lines.iter().map(|l| l.height).sum();
        self.space(before);
        self.ensure(h + after + keep);
        self.open_sections();
        // A section's first heading is its title, of the section's depth;
        // any other is one level below it; none skips a level.
        let depth = self.sects.len() as u16;
        let titles = self
            .sects
            .last()
            .is_none_or(|s| self.tree.elements[s.1 as usize].children.is_empty());
        let below = self.next_heading.take().unwrap_or(1).max(1);
        let level = if titles { depth } else { depth + below }
            .clamp(1, self.last_heading + 1)
            .min(6);
        self.last_heading = level;
        let title: String = spans
            .iter()
            .map(|s| s.text.as_str())
            .collect::<String>()
            .trim()
            .to_string();
        self.open(Kind::H(level, title));
        self.lines(&lines);
        self.close();
        self.y += after;
    }

    /// A horizontal rule across the text width.
    pub fn rule(&mut self, color: Rgb, width: f32) {
        self.ensure(width + 2.0);
        self.draw(Draw::HLine {
            x1: MARGIN_L + self.indent,
            x2: MARGIN_L + TEXT_W,
            y: self.y + width / 2.0,
            width,
            color,
        });
        self.y += width + 2.0;
    }

    /// A thin rule from `x1` to `x2` at `y`.
    pub fn rule_at(&mut self, x1: f32, x2: f32, y: f32) {
        self.draw(Draw::HLine {
            x1,
            x2,
            y,
            width: 0.6,
            color: GREY,
        });
    }

    /// Draws a text at an absolute position (running header and footer).
    /// Draws a text at an absolute position (running header and footer):
    /// an artifact, the header's above the body, the footer's below it.
    pub fn text_at(&mut self, page: usize, x: f32, y: f32, style: Style, text: String) {
        let kind = if y < BODY_TOP {
            Artifact::Header
        } else {
            Artifact::Footer
        };
        self.artifact_at(page, Draw::Text { x, y, style, text }, kind);
    }

    /// Adds draw `d` to page `page` as an artifact.
    pub fn artifact_at(&mut self, page: usize, d: Draw, kind: Artifact) {
        if let Some(p) = self.pages.get_mut(page) {
            p.draws.push(d);
            p.marks.push(Mark::Artifact(kind));
        }
    }

    /// A filled box spanning the text width; used for callouts.
    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Rgb) {
        self.draw(Draw::Rect { x, y, w, h, fill });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> &'static Fonts {
        super::super::fonts()
    }

    #[test]
    fn wraps_within_the_width() {
        let f = fonts();
        let text = "The quick brown fox jumps over the lazy dog. ".repeat(20);
        let lines = wrap(f, &[Span::new(text, Style::new(Face::Regular, 10.0))], 200.0);
        assert!(lines.len() > 5);
        for l in &lines {
            assert!(l.width <= 200.01, "{}", l.width);
            assert!(!l.runs[0].text.starts_with(' '));
        }
    }

    #[test]
    fn breaks_long_words() {
        let f = fonts();
        let lines = wrap(
            f,
            &[Span::new("x".repeat(5000), Style::new(Face::Regular, 10.0))],
            300.0,
        );
        assert!(lines.len() > 50);
        assert!(lines.iter().all(|l| l.width <= 300.01));
        let total: usize = lines
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.len()).sum::<usize>())
            .sum();
        assert_eq!(total, 5000);
    }

    /// A path or label too long for its column breaks after a `/`, `-`
    /// or `_`, not inside a word: "late-shift-14-marc/h" never happens.
    #[test]
    fn long_paths_break_at_slashes_dashes_and_underscores() {
        let f = fonts();
        let path = "attachments/late-shift-14-march/handover_notes_final.pdf";
        let style = Style::new(Face::Regular, 8.0);
        let lines = wrap(f, &[Span::new(path, style)], 70.0);
        let texts: Vec<String> = lines
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect())
            .collect();
        assert!(texts.len() > 2, "{texts:?}");
        assert_eq!(texts.concat(), path);
        for t in &texts[..texts.len() - 1] {
            assert!(t.ends_with(['/', '-', '_']), "{texts:?}");
        }
        assert!(lines.iter().all(|l| l.width <= 70.01));
    }

    /// A word no wider than its column is never cut, wherever the column
    /// ends; it moves to the next line whole. Breaks come at spaces, after
    /// hyphens and slashes (UAX #14 and the path rule), never inside a date.
    #[test]
    fn words_narrower_than_the_column_are_never_cut() {
        let f = fonts();
        let style = Style::new(Face::Regular, 8.0);
        let text = "Team meeting minutes documentation: Billing team SharePoint: Meetings/2026-03-05 minutes, item 3 (late-shift-14-march) — read-only copy";
        let words: Vec<&str> = text.split([' ', '/', '-']).filter(|w| !w.is_empty()).collect();
        let (_, widest) = natural_width(f, &[Span::new(text, style)]);
        assert!(widest < 70.0, "{widest}");
        for width in (widest.ceil() as usize..=200).step_by(3) {
            let lines = wrap(f, &[Span::new(text, style)], width as f32);
            let texts: Vec<String> = lines
                .iter()
                .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect())
                .collect();
            // Each line picks up where the last left off; a break not at a
            // space follows a hyphen, slash or dash.
            let mut rest = text;
            for t in &texts {
                rest = rest.trim_start_matches(' ');
                assert!(rest.starts_with(t.as_str()), "{t:?} at {width}: {texts:?}");
                rest = &rest[t.len()..];
                let cut = !rest.is_empty() && !rest.starts_with(' ');
                assert!(
                    !cut || t.ends_with(['-', '/', '—']),
                    "cut mid-word at {width}: {texts:?}"
                );
            }
            assert!(
                !texts.iter().any(|t| t.ends_with("2026-") || t.ends_with("2026-03-")),
                "{texts:?}"
            );
            for w in &words {
                assert!(texts.iter().any(|t| t.contains(w)), "{w} cut at {width}: {texts:?}");
            }
        }
        assert_eq!(
            super::wrap::tokens("late-shift-14-march").collect::<Vec<_>>(),
            ["late-", "shift-", "14-", "march"]
        );
        assert_eq!(super::wrap::tokens("a/b c").collect::<Vec<_>>(), ["a/", "b", " ", "c"]);
        assert_eq!(super::wrap::tokens("2026-03-05").collect::<Vec<_>>(), ["2026-03-05"]);
        assert_eq!(
            super::wrap::tokens("r.obi@northgate.example").collect::<Vec<_>>(),
            ["r.obi", "@northgate.example"]
        );
    }

    #[test]
    fn keeps_styles_apart_and_spaces_inside_runs() {
        let f = fonts();
        let s = Style::new(Face::Regular, 10.0);
        let b = Style::new(Face::Bold, 10.0);
        let lines = wrap(
            f,
            &[Span::new("one two ", s), Span::new("three", b), Span::new(" four", s)],
            500.0,
        );
        assert_eq!(lines.len(), 1);
        let texts: Vec<&str> = lines[0].runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, ["one two ", "three", " four"]);
    }

    /// A table whose header and body cells are each taller than a page:
    /// it ends, every line lands inside the body of some page, and the
    /// continuation pages repeat the header clipped.
    #[test]
    fn cells_taller_than_a_page_flow_across_pages() {
        let f = fonts();
        let words = "word ".repeat(1400);
        let mut t = Table {
            widths: vec![TEXT_W / 2.0, TEXT_W / 2.0],
            ..Table::default()
        };
        let head = Style::new(Face::Bold, 9.0);
        let body = Style::new(Face::Regular, 9.0);
        t.header = vec![
            t.cell(f, 0, &[Span::new(format!("H {words}"), head)]),
            t.cell(f, 1, &[Span::new("B", head)]),
        ];
        for r in 0..3 {
            t.rows.push(vec![
                t.cell(f, 0, &[Span::new(format!("r{r}"), body)]),
                t.cell(f, 1, &[Span::new(words.clone(), body)]),
            ]);
        }
        let lines: usize = t
            .header
            .iter()
            .chain(t.rows.iter().flatten())
            .map(|c| c.lines.len())
            .sum();
        let mut flow = Flow::new(f);
        flow.new_page(true);
        flow.table(&t);
        assert!(
            flow.pages.len() > 4 && flow.pages.len() < 40,
            "{} pages",
            flow.pages.len()
        );
        let mut words_drawn = 0;
        let mut body_pages = 0;
        for (n, page) in flow.pages.iter().enumerate() {
            let (mut heads, mut body) = (0, 0);
            for d in &page.draws {
                if let Draw::Text { y, text, style, .. } = d {
                    assert!(*y > BODY_TOP && *y <= BODY_BOTTOM, "{text:?} at y {y}");
                    if style.face == Face::Regular {
                        body += text.matches("word").count();
                    }
                    heads += usize::from(text.starts_with("H word"));
                }
            }
            words_drawn += body;
            if body > 0 {
                body_pages += 1;
                // The page where the (flowing) header ends shows its end.
                if body_pages > 1 {
                    assert_eq!(heads, 1, "page {n}: the clipped header repeated");
                }
            }
        }
        assert!(body_pages > 3);
        assert_eq!(words_drawn, 3 * 1400, "every body word placed once");
        assert!(lines > 0);
    }

    /// Lines taller than a whole page (no real font makes them, but the
    /// loop must not depend on that): one is placed per page, and the
    /// table ends.
    #[test]
    fn a_line_taller_than_a_page_still_makes_progress() {
        let f = fonts();
        let tall = Line {
            height: PAGE_H * 2.0,
            ..Line::default()
        };
        let t = Table {
            widths: vec![TEXT_W],
            header: vec![Cell {
                lines: vec![tall.clone(); 3],
                ..Cell::default()
            }],
            rows: vec![vec![Cell {
                lines: vec![tall; 5],
                ..Cell::default()
            }]],
            row_anchors: Vec::new(),
        };
        let mut flow = Flow::new(f);
        flow.table(&t);
        assert!(flow.pages.len() <= 2 * 8 + 1, "{} pages", flow.pages.len());
    }

    #[test]
    fn wide_tables_split_into_column_groups() {
        let natural = vec![(200.0, 30.0); 2000];
        let groups = column_groups(&natural, TEXT_W);
        assert_eq!(groups.first().map(|g| g.start), Some(0));
        assert_eq!(groups.last().map(|g| g.end), Some(2000));
        assert!(groups.windows(2).all(|w| w[0].end == w[1].start));
        for g in &groups {
            let w = column_widths(&natural[g.clone()], TEXT_W);
            assert!(w.iter().all(|&w| w >= MIN_COL_W - 0.01), "{w:?}");
            assert!(w.iter().sum::<f32>() <= TEXT_W + 0.1);
        }
        // Narrow content packs more columns; a page too narrow for one
        // column still gets one per group.
        assert_eq!(column_groups(&[(5.0, 5.0); 30], TEXT_W).len(), 1);
        assert_eq!(column_groups(&[(500.0, 9.0); 3], 10.0).len(), 3);
        assert!(column_groups(&[], TEXT_W).is_empty());
    }

    /// Past the page cap no page is added, the flow says so, and layout
    /// still ends.
    #[test]
    fn the_page_cap_holds() {
        let f = fonts();
        let mut flow = Flow::new(f);
        flow.page_cap = 3;
        flow.paragraph(&[Span::new("line\n".repeat(2000), Style::new(Face::Regular, 10.0))]);
        assert_eq!(flow.pages.len(), 3);
        assert!(flow.overflowed);
        let mut ok = Flow::new(f);
        ok.paragraph(&[Span::new("line\n".repeat(100), Style::new(Face::Regular, 10.0))]);
        assert!(!ok.overflowed);
    }

    #[test]
    fn widths_share_the_total() {
        let w = column_widths(&[(300.0, 40.0), (300.0, 60.0), (20.0, 20.0)], 400.0);
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 0.1);
        assert!(w[2] >= 20.0);
    }
}
