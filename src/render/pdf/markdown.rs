//! Markdown (comrak's AST, parsed with the shared options) into the flow:
//! headings, paragraphs with their numbered anchors, emphasis, lists, block
//! quotes, code, tables, links, footnotes and `[[code]]` criterion badges.
//! Raw HTML is shown as text, never interpreted. An image the caller's
//! [`Pictures`] can draw (one of the item's attachments) is drawn as a
//! block where it stands, splitting its paragraph; any other prints as text
//! saying what it is.

use super::fonts::Face;
use super::layout::structure::Kind;
use super::layout::{
    Align, Cell, Flow, GREY, LINK, Link, Rgb, Span, Style, Table, column_groups, column_widths, natural_width, wrap,
};
use crate::document::markdown as md;
use comrak::Arena;
use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};
use std::collections::HashMap;

pub const BODY: f32 = 10.0;
const CODE_BG: Rgb = Rgb(0.95, 0.95, 0.96);
pub const BADGE_BG: Rgb = Rgb(0.86, 0.91, 0.98);

/// What the narrative's inline images name, as the caller knows them.
pub trait Pictures {
    /// Whether `url` names an image to draw where it stands.
    fn drawable(&self, url: &str) -> bool;
    /// Draws the image `url` names, with `alt` (its caption as written).
    fn draw(&mut self, flow: &mut Flow<'_>, url: &str, alt: &str);
    /// What prints in place of an image that is not drawn.
    fn fallback(&self, url: &str, alt: &str) -> String;
}

/// No image is drawn (the reflective account has no attachments): each
/// prints as "[image not embedded: caption, path]".
pub struct NoPictures;

impl Pictures for NoPictures {
    fn drawable(&self, _: &str) -> bool {
        false
    }
    fn draw(&mut self, _: &mut Flow<'_>, _: &str, _: &str) {}
    fn fallback(&self, url: &str, alt: &str) -> String {
        if alt.trim().is_empty() {
            format!("[image not embedded: {url}]")
        } else {
            format!("[image not embedded: {}, {url}]", alt.trim())
        }
    }
}

/// Renders `text` into the flow. Paragraph `n` gets the anchor
/// `{anchor}-p{n}`, numbered as [`crate::document::markdown`] numbers them.
pub fn render(flow: &mut Flow<'_>, text: &str, anchor: &str) {
    render_with(flow, text, anchor, &mut NoPictures);
}

/// [`render`], drawing the inline images `pictures` can draw.
pub fn render_with(flow: &mut Flow<'_>, text: &str, anchor: &str, pictures: &mut dyn Pictures) {
    let arena = Arena::new();
    let root = md::parse(&arena, text);
    let mut numbers = HashMap::new();
    for node in root.descendants() {
        if matches!(node.data.borrow().value, NodeValue::Paragraph) {
            let n = numbers.len() + 1;
            numbers.insert(node as *const AstNode<'_>, n);
        }
    }
    let mut r = Renderer {
        anchor,
        numbers,
        footnotes: HashMap::new(),
        tight: false,
        pictures,
        figures: None,
    };
    r.blocks(flow, root);
}

struct Renderer<'a, 'n> {
    anchor: &'a str,
    numbers: HashMap<*const AstNode<'n>, usize>,
    footnotes: HashMap<String, usize>,
    tight: bool,
    pictures: &'a mut dyn Pictures,
    /// While a paragraph's spans are collected: the images to draw as
    /// blocks, each with the number of spans before it.
    figures: Option<Vec<(usize, String, String)>>,
}

#[derive(Clone, Copy)]
struct Inline {
    bold: bool,
    italic: bool,
    size: f32,
    color: Rgb,
}

impl<'n> Renderer<'_, 'n> {
    fn blocks(&mut self, flow: &mut Flow<'_>, node: &'n AstNode<'n>) {
        for child in node.children() {
            self.block(flow, child);
        }
    }

    fn block(&mut self, flow: &mut Flow<'_>, node: &'n AstNode<'n>) {
        let value = node.data.borrow().value.clone();
        let base = Inline {
            bold: false,
            italic: false,
            size: BODY,
            color: super::layout::BLACK,
        };
        match value {
            NodeValue::Paragraph => {
                if let Some(n) = self.numbers.get(&(node as *const _)) {
                    flow.anchor(format!("{}-p{n}", self.anchor));
                }
                self.figures = Some(Vec::new());
                let spans = self.inlines(node, base);
                let figures = self.figures.take().unwrap_or_default();
                let after = if self.tight { 1.5 } else { 5.0 };
                let mut start = 0;
                for (at, url, alt) in figures {
                    let text = &spans[start..at.min(spans.len())];
                    if text.iter().any(|s| !s.text.trim().is_empty()) {
                        flow.paragraph(text);
                        flow.space(4.0);
                    }
                    self.pictures.draw(flow, &url, &alt);
                    flow.space(after + 3.0);
                    start = at.min(spans.len());
                }
                let text = &spans[start..];
                if start == 0 || text.iter().any(|s| !s.text.trim().is_empty()) {
                    flow.paragraph(text);
                    flow.space(after);
                }
            }
            NodeValue::Heading(h) => {
                let size = match h.level {
                    1 => 13.0,
                    2 => 12.0,
                    3 => 11.0,
                    _ => 10.5,
                };
                let spans = self.inlines(
                    node,
                    Inline {
                        bold: true,
                        size,
                        ..base
                    },
                );
                flow.next_heading = Some(u16::from(h.level));
                flow.heading(&spans, 6.0, 3.0, 30.0);
            }
            NodeValue::List(list) => {
                flow.open(Kind::L(list.list_type == ListType::Ordered));
                for (n, item) in (list.start.max(1)..).zip(node.children()) {
                    let marker = match (list.list_type, &item.data.borrow().value) {
                        (_, NodeValue::TaskItem(t)) => {
                            if t.symbol.is_some() {
                                "☑".to_string()
                            } else {
                                "☐".to_string()
                            }
                        }
                        (ListType::Bullet, _) => {
                            if flow.indent > 20.0 {
                                "◦".to_string()
                            } else {
                                "•".to_string()
                            }
                        }
                        (ListType::Ordered, _) => format!("{n}."),
                    };
                    let indent = deeper(flow, 16.0);
                    flow.indent += indent;
                    flow.marker = Some((Span::new(marker, Style::new(Face::Regular, BODY)), 13.0));
                    let tight = std::mem::replace(&mut self.tight, list.tight);
                    flow.open(Kind::LI);
                    flow.open(Kind::LBody);
                    self.blocks(flow, item);
                    flow.close();
                    flow.close();
                    self.tight = tight;
                    flow.marker = None;
                    flow.indent -= indent;
                }
                flow.close();
                flow.space(3.0);
            }
            NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) | NodeValue::Alert(_) => {
                let indent = deeper(flow, 14.0);
                if indent > 0.0 {
                    flow.bars.push(super::layout::MARGIN_L + flow.indent + 4.0);
                }
                flow.indent += indent;
                flow.open(Kind::BlockQuote);
                self.blocks(flow, node);
                flow.close();
                flow.indent -= indent;
                if indent > 0.0 {
                    flow.bars.pop();
                }
            }
            NodeValue::CodeBlock(code) => {
                let spans = [Span::new(
                    code.literal.trim_end_matches('\n'),
                    Style::new(Face::Mono, 8.5),
                )];
                let lines = wrap(flow.fonts, &spans, super::layout::TEXT_W - flow.indent);
                flow.space(2.0);
                flow.line_fill = Some(CODE_BG);
                flow.lines(&lines);
                flow.line_fill = None;
                flow.space(7.0);
            }
            NodeValue::HtmlBlock(html) => {
                let spans = [Span::new(
                    html.literal.trim_end(),
                    Style::new(Face::Mono, 8.5).color(GREY),
                )];
                flow.paragraph(&spans);
                flow.space(5.0);
            }
            NodeValue::ThematicBreak => {
                flow.space(4.0);
                flow.rule(super::layout::RULE, 0.6);
                flow.space(6.0);
            }
            NodeValue::Table(t) => self.table(flow, node, &t.alignments),
            NodeValue::FootnoteDefinition(def) => {
                let n = self.footnote_number(&def.name);
                flow.rule(super::layout::RULE, 0.4);
                let indent = deeper(flow, 16.0);
                flow.indent += indent;
                flow.marker = Some((Span::new(format!("[{n}]"), Style::new(Face::Regular, 8.5)), 16.0));
                self.blocks(flow, node);
                flow.marker = None;
                flow.indent -= indent;
            }
            NodeValue::FrontMatter(_) => {}
            _ => {
                // Description lists and other containers: their content.
                if node.first_child().is_some() {
                    self.blocks(flow, node);
                } else {
                    let spans = self.inlines(node, base);
                    flow.paragraph(&spans);
                }
            }
        }
    }

    fn footnote_number(&mut self, name: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(name.to_string()).or_insert(next)
    }

    fn table(&mut self, flow: &mut Flow<'_>, node: &'n AstNode<'n>, aligns: &[TableAlignment]) {
        let base = Inline {
            bold: false,
            italic: false,
            size: 9.0,
            color: super::layout::BLACK,
        };
        let mut rows: Vec<(bool, Vec<Vec<Span>>)> = Vec::new();
        for row in node.children() {
            let header = matches!(row.data.borrow().value, NodeValue::TableRow(true));
            let cells = row
                .children()
                .map(|c| self.inlines(c, Inline { bold: header, ..base }))
                .collect();
            rows.push((header, cells));
        }
        let cols = aligns.len().max(rows.iter().map(|r| r.1.len()).max().unwrap_or(0));
        if cols == 0 {
            return;
        }
        let mut natural = vec![(0.0f32, 0.0f32); cols];
        for (_, cells) in &rows {
            for (i, c) in cells.iter().enumerate() {
                let (n, w) = natural_width(flow.fonts, c);
                natural[i].0 = natural[i].0.max(n);
                natural[i].1 = natural[i].1.max(w);
            }
        }
        let total = super::layout::TEXT_W - flow.indent;
        let groups = column_groups(&natural, total);
        let align = |i: usize| match aligns.get(i) {
            Some(TableAlignment::Center) => Align::Center,
            Some(TableAlignment::Right) => Align::Right,
            _ => Align::Left,
        };
        flow.space(2.0);
        for g in &groups {
            if groups.len() > 1 {
                // Too wide for the page: one table per run of columns.
                let label = format!("Columns {}–{} of {cols}", g.start + 1, g.end);
                let label = [Span::new(label, Style::new(Face::Italic, 8.0).color(GREY))];
                flow.heading(&label, 0.0, 1.0, 30.0);
            }
            let mut t = Table {
                widths: column_widths(&natural[g.clone()], total),
                ..Table::default()
            };
            for (header, cells) in &rows {
                let mut out: Vec<Cell> = g
                    .clone()
                    .enumerate()
                    .map(|(j, i)| Cell {
                        align: align(i),
                        ..t.cell(flow.fonts, j, cells.get(i).map_or(&[][..], |c| &c[..]))
                    })
                    .collect();
                if *header && t.header.is_empty() {
                    t.header = std::mem::take(&mut out);
                } else {
                    t.rows.push(out);
                }
            }
            flow.table(&t);
            flow.space(8.0);
        }
    }

    /// The inline content of `node` as styled spans.
    fn inlines(&mut self, node: &'n AstNode<'n>, st: Inline) -> Vec<Span> {
        let mut out = Vec::new();
        self.collect(node, st, None, &mut out);
        out
    }

    fn collect(&mut self, node: &'n AstNode<'n>, st: Inline, link: Option<&Link>, out: &mut Vec<Span>) {
        for child in node.children() {
            let value = child.data.borrow().value.clone();
            let style = Style::new(Face::styled(st.bold, st.italic, false), st.size).color(if link.is_some() {
                LINK
            } else {
                st.color
            });
            match value {
                NodeValue::Text(t) => out.push(Span::new(t.to_string(), style).link(link.cloned())),
                NodeValue::SoftBreak => out.push(Span::new(" ", style)),
                NodeValue::LineBreak => out.push(Span::new("\n", style)),
                NodeValue::Code(c) => out.push(
                    Span::new(
                        c.literal,
                        Style {
                            face: Face::Mono,
                            ..style
                        },
                    )
                    .link(link.cloned()),
                ),
                NodeValue::HtmlInline(h) | NodeValue::Raw(h) => out.push(Span::new(h, style)),
                NodeValue::Strong => self.collect(child, Inline { bold: true, ..st }, link, out),
                NodeValue::Emph => self.collect(child, Inline { italic: true, ..st }, link, out),
                NodeValue::Link(l) => {
                    let target = external(&l.url).map(Link::Uri);
                    self.collect(child, st, target.as_ref().or(link), out);
                }
                NodeValue::Image(l) => {
                    let mut alt = Vec::new();
                    let figures = self.figures.take();
                    self.collect(child, Inline { italic: true, ..st }, None, &mut alt);
                    self.figures = figures;
                    let alt: String = alt.into_iter().map(|s| s.text).collect();
                    match &mut self.figures {
                        Some(f) if f.len() < MAX_FIGURES && self.pictures.drawable(&l.url) => {
                            f.push((out.len(), l.url.clone(), alt));
                        }
                        _ => {
                            let text = self.pictures.fallback(&l.url, &alt);
                            out.push(Span::new(text, Style::new(Face::Italic, st.size).color(GREY)));
                        }
                    }
                }
                NodeValue::WikiLink(w) => {
                    let mut s = Span::new(format!("[{}]", w.url.trim()), Style::new(Face::Bold, st.size * 0.92));
                    s.badge = Some(BADGE_BG);
                    out.push(s);
                }
                NodeValue::FootnoteReference(f) => {
                    let n = self.footnote_number(&f.name);
                    out.push(Span::new(
                        format!("[{n}]"),
                        Style::new(Face::Regular, st.size * 0.8).color(LINK),
                    ));
                }
                _ => self.collect(child, st, link, out),
            }
        }
    }
}

/// Most images one paragraph draws as blocks; the rest print as text.
const MAX_FIGURES: usize = 64;

/// The deepest indent nested lists and quotes get; deeper levels stay at it,
/// so text keeps at least half the text width and never leaves the page.
const MAX_INDENT: f32 = super::layout::TEXT_W / 2.0;

/// How much further in a nested block goes: `by`, or nothing at the limit.
fn deeper(flow: &Flow<'_>, by: f32) -> f32 {
    if flow.indent + by <= MAX_INDENT { by } else { 0.0 }
}

/// The URI of a link that leaves the document, if it does.
fn external(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:"))
        .then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::layout::{BODY_BOTTOM, BODY_TOP, Draw, MARGIN_L, TEXT_W};

    /// Draws each image as a 40-point box; the rest print as "[alt?]".
    struct Boxes(Vec<String>);

    impl Pictures for Boxes {
        fn drawable(&self, url: &str) -> bool {
            url.starts_with("attachments/")
        }
        fn draw(&mut self, flow: &mut Flow<'_>, url: &str, alt: &str) {
            self.0.push(format!("{alt}={url}"));
            flow.ensure(40.0);
            let y = flow.y;
            flow.fill_rect(MARGIN_L, y, 40.0, 40.0, super::CODE_BG);
            flow.y += 40.0;
        }
        fn fallback(&self, _: &str, alt: &str) -> String {
            format!("[{alt}?]")
        }
    }

    /// An image the caller draws splits its paragraph and stands between
    /// the text before and after it; others (in headings, tables, or not
    /// drawable) print as the caller's text; a paragraph of images is
    /// bounded.
    #[test]
    fn inline_images_stand_where_they_are_written() {
        let fonts = crate::render::pdf::fonts();
        let mut flow = Flow::new(fonts);
        flow.new_page(true);
        let mut pics = Boxes(Vec::new());
        let text = "# Head ![h](attachments/h.png)\n\nBefore ![One](attachments/a.png) after *and ![Two](attachments/b.png)* end ![Web](https://x/y.png).\n\n| ![t](attachments/t.png) |\n|---|\n";
        render_with(&mut flow, text, "item-1", &mut pics);
        assert_eq!(pics.0, ["One=attachments/a.png", "Two=attachments/b.png"]);
        let mut order = Vec::new();
        for d in &flow.pages[0].draws {
            match d {
                Draw::Rect { w, .. } if *w == 40.0 => order.push("box".to_string()),
                Draw::Text { text, .. } => order.push(text.trim().to_string()),
                _ => {}
            }
        }
        let order = order.join(" ");
        assert!(order.contains("Before box after and box end [Web?] ."), "{order}");
        assert!(order.contains("Head [h?]") && order.contains("[t?]"), "{order}");
        assert!(flow.anchors.contains_key("item-1-p1"));

        let many = "![x](attachments/x.png) ".repeat(MAX_FIGURES + 5);
        let mut pics = Boxes(Vec::new());
        render_with(&mut Flow::new(fonts), &many, "item-2", &mut pics);
        assert_eq!(pics.0.len(), MAX_FIGURES);
    }

    /// Every text drawn from a long, mixed item stays inside the margins.
    #[test]
    fn long_markdown_stays_inside_the_margins() {
        let fonts = crate::render::pdf::fonts();
        let mut text = String::new();
        for n in 0..30 {
            text.push_str(&format!(
                "Paragraph {n} [[3.2]]: ŵ ŷ, ł ż ś, αβγ **bold** *italic* `code`.\n\n"
            ));
        }
        text.push_str("| A | B |\n|---|---|\n");
        for r in 0..60 {
            text.push_str(&format!("| row {r} | {} |\n", "long cell text ".repeat(r % 7 + 1)));
        }
        text.push('\n');
        text.push_str(&"y".repeat(5000));
        text.push_str("\n\n> quoted\n>\n> - list in a quote\n>   1. nested\n\n```\ncode line that is long ");
        text.push_str(&"z".repeat(300));
        text.push_str("\n```\n\n");
        // Fifty levels, the most an item may nest, stay inside the page.
        text.push_str(&format!("{} deep quote\n\n", "> ".repeat(50)));
        text.push_str(&format!("{}deep item\n\n", "- ".repeat(50)));
        text.push_str(&format!("{}deep mix\n\n", "> - ".repeat(25)));
        // A table far wider than the page, a tall header cell among them.
        let cols = 300;
        text.push_str(&format!("| {} ", "head ".repeat(400)));
        text.push_str(&(1..cols).map(|c| format!("| c{c} ")).collect::<String>());
        text.push_str(&format!("|\n{}|\n", "|---".repeat(cols)));
        text.push_str(&(0..cols).map(|c| format!("| value{c} ")).collect::<String>());
        text.push_str("|\n\n```\n");
        text.push_str(&"z".repeat(300));
        text.push_str("\n```\n");
        let mut flow = Flow::new(fonts);
        flow.new_page(true);
        render(&mut flow, &text, "item-1-x");
        assert!(flow.pages.len() > 3);
        assert!(flow.anchors.contains_key("item-1-x-p30"));
        let (mut headers, mut captions, mut last_col) = (0, 0, false);
        for page in &flow.pages {
            for d in &page.draws {
                if let Draw::Text { x, y, style, text } = d {
                    captions += usize::from(text.starts_with("Columns "));
                    last_col |= text == "value299";
                    let w = fonts.width(style.face, style.size, text);
                    assert!(
                        *x >= MARGIN_L - 0.01 && x + w <= MARGIN_L + TEXT_W + 0.5,
                        "{text:?} at {x} width {w}"
                    );
                    assert!(*y > BODY_TOP && *y <= BODY_BOTTOM, "{text:?} at y {y}");
                    if text == "A" && style.face == Face::Bold {
                        headers += 1;
                    }
                }
            }
        }
        assert!(headers >= 2, "the table header repeats on each page: {headers}");
        assert!(
            captions > 10 && last_col,
            "the wide table in runs of columns: {captions}"
        );
    }

    /// A list is an L of LIs, each its label (the marker) then its body;
    /// a Markdown heading nests one level below the section's.
    #[test]
    fn lists_are_labelled_items_and_headings_nest() {
        use crate::render::pdf::layout::structure::{Child, Kind};
        let mut flow = Flow::new(crate::render::pdf::fonts());
        flow.bookmark(0, "Section");
        flow.heading(&[Span::new("Section", Style::new(Face::Bold, 18.0))], 0.0, 0.0, 0.0);
        render(&mut flow, "## Sub\n\n- one\n- two\n\n1. first\n", "a");
        let t = &flow.tree;
        let lists: Vec<&crate::render::pdf::layout::structure::Element> =
            t.elements.iter().filter(|e| matches!(e.kind, Kind::L(_))).collect();
        assert_eq!(lists.len(), 2);
        assert_eq!(lists[0].kind, Kind::L(false));
        assert_eq!(lists[1].kind, Kind::L(true));
        for l in lists {
            for c in &l.children {
                let Child::Node(li) = *c else {
                    panic!("content directly in a list")
                };
                assert_eq!(*t.kind(li), Kind::LI);
                let kinds: Vec<&Kind> = t.elements[li as usize]
                    .children
                    .iter()
                    .map(|c| match *c {
                        Child::Node(k) => t.kind(k),
                        Child::Content { .. } => panic!("content directly in an item"),
                    })
                    .collect();
                assert_eq!(kinds, [&Kind::Lbl, &Kind::LBody]);
            }
        }
        let headings: Vec<&Kind> = t
            .elements
            .iter()
            .map(|e| &e.kind)
            .filter(|k| matches!(k, Kind::H(..)))
            .collect();
        assert_eq!(headings, [&Kind::H(1, "Section".into()), &Kind::H(2, "Sub".into())]);
    }
}
