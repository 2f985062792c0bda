//! Learner Markdown to safe HTML: raw HTML becomes text, links other than
//! http(s), mailto and in-page anchors are unwrapped, images from elsewhere
//! are not fetched, headings are demoted under the section they sit in,
//! paragraphs get the anchors the mapping grid links to, and `[[code]]`
//! becomes a criterion badge.

use crate::document::inline_image::attachment_for;
use crate::document::{InlineRef, ItemDoc, markdown};
use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, format_html};
use std::borrow::Cow;

/// How one piece of Markdown is placed in the document.
pub struct Placement<'a> {
    /// The heading level of the section the text sits in: the text's
    /// highest heading becomes one level below it, and the rest keep their
    /// steps (so the outline never skips a level).
    pub under: u8,
    /// Prefix of paragraph anchors and footnote ids: paragraph n gets `{prefix}-p{n}`.
    pub prefix: &'a str,
    /// Badges for the `[[code]]` references the text contains.
    pub refs: &'a [InlineRef],
    /// The item whose narrative this is: an inline image naming one of its
    /// image attachments is shown where it stands, as the PDF does.
    pub item: Option<&'a ItemDoc>,
    /// The `data:` URI of each of the item's attachments that is an image
    /// (by attachment index; `None` for other files).
    pub pictures: &'a [Option<String>],
}

/// A narrative as HTML, and which attachments it showed inline (by
/// index, in order): the attachment list then points to them instead of
/// showing them again.
pub struct Rendered {
    pub html: String,
    pub shown: Vec<usize>,
}

/// Renders `text` to HTML that carries no markup the learner wrote.
pub fn to_html(text: &str, place: &Placement<'_>) -> String {
    render(text, place).html
}

/// [`to_html`], also saying which attachments were shown inline.
pub fn render(text: &str, place: &Placement<'_>) -> Rendered {
    let mut shown: Vec<usize> = Vec::new();
    let arena = Arena::new();
    let root = markdown::parse(&arena, text);
    let nodes: Vec<&AstNode<'_>> = root.descendants().collect();
    let top = nodes
        .iter()
        .filter_map(|n| match n.data.borrow().value {
            NodeValue::Heading(h) => Some(h.level),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut paragraph = 0;
    for node in nodes {
        let mut data = node.data.borrow_mut();
        match &mut data.value {
            NodeValue::HtmlInline(raw) => {
                let raw = std::mem::take(raw);
                data.value = NodeValue::Text(Cow::Owned(raw));
            }
            NodeValue::HtmlBlock(block) => {
                let raw = std::mem::take(&mut block.literal);
                data.value = NodeValue::Paragraph;
                drop(data);
                node.append(arena.alloc(NodeValue::Text(Cow::Owned(raw.trim_end().to_string())).into()));
            }
            NodeValue::Heading(h) => h.level = (place.under + 1 + h.level - top).min(6),
            NodeValue::Paragraph => {
                paragraph += 1;
                drop(data);
                let anchor = format!("<a class=\"para\" id=\"{}-p{paragraph}\"></a>", escape(place.prefix));
                node.prepend(arena.alloc(NodeValue::HtmlInline(anchor).into()));
            }
            NodeValue::Link(link) if !safe_url(&link.url) => {
                drop(data);
                unwrap(node);
            }
            NodeValue::Image(image) => {
                let url = image.url.clone();
                let found = place.item.and_then(|item| {
                    let ai = attachment_for(item, &url)?;
                    let uri = place.pictures.get(ai)?.as_deref()?;
                    Some((item, ai, uri))
                });
                drop(data);
                let caption: String = node
                    .descendants()
                    .filter_map(|n| match &n.data.borrow().value {
                        NodeValue::Text(t) => Some(t.to_string()),
                        _ => None,
                    })
                    .collect();
                let html = match found {
                    // Shown where it stands, once; a second mention links
                    // to the first. An inline element (a figure cannot sit
                    // in a paragraph), laid out as a block by the style.
                    Some((item, ai, uri)) => {
                        let a = &item.attachments[ai];
                        let id = crate::document::attachment_anchor(&item.anchor, ai);
                        let label = if caption.trim().is_empty() {
                            a.name.clone()
                        } else {
                            format!("{} ({})", caption.trim(), a.name)
                        };
                        if shown.contains(&ai) {
                            format!("<a href=\"#{}\">{} (shown above)</a>", escape(&id), escape(&label))
                        } else {
                            shown.push(ai);
                            format!(
                                "<span class=\"figure\" id=\"{}\"><img src=\"{}\" alt=\"{}\"><span class=\"caption\">{}</span></span>",
                                escape(&id),
                                escape(uri),
                                escape(caption.trim()),
                                escape(&label)
                            )
                        }
                    }
                    None => format!("{} (image not embedded: {})", escape(&caption), escape(&url)),
                };
                for child in node.children().collect::<Vec<_>>() {
                    child.detach();
                }
                node.data.borrow_mut().value = NodeValue::HtmlInline(html);
            }
            NodeValue::WikiLink(link) => {
                let written = link.url.trim().to_string();
                let html = match place.refs.iter().find(|r| r.written == written) {
                    Some(r) => format!(
                        "<a class=\"badge s-{}\" href=\"#{}\" title=\"{}\">{}</a>",
                        r.badge.status.word(),
                        escape(&r.badge.anchor),
                        r.badge.status.word(),
                        escape(&r.badge.display_code)
                    ),
                    None => format!("[[{}]]", escape(&written)),
                };
                data.value = NodeValue::HtmlInline(html);
                drop(data);
                for child in node.children().collect::<Vec<_>>() {
                    child.detach();
                }
            }
            NodeValue::FootnoteReference(r) => r.name = format!("{}-{}", place.prefix, r.name),
            NodeValue::FootnoteDefinition(d) => d.name = format!("{}-{}", place.prefix, d.name),
            _ => {}
        }
    }
    let mut options = markdown::options();
    // Every piece of raw HTML left is ours: the learner's was turned into text above.
    options.render.r#unsafe = true;
    let mut html = String::new();
    if format_html(root, &options, &mut html).is_err() {
        return Rendered {
            html: format!("<p>{}</p>", escape(text)),
            shown: Vec::new(),
        };
    }
    Rendered { html, shown }
}

/// Replaces `node` by its children.
fn unwrap<'a>(node: &'a AstNode<'a>) {
    for child in node.children().collect::<Vec<_>>() {
        node.insert_before(child);
    }
    node.detach();
}

/// Links that may stay links: the web, e-mail, and anchors in this page.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || lower.starts_with('#')
}

/// Escapes text for HTML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::Status;
    use crate::document::Badge;

    fn render(text: &str) -> String {
        let refs = [InlineRef {
            written: "3.2".into(),
            badge: Badge {
                code: "3.2".into(),
                display_code: "3.2".into(),
                framework: "unit-214".into(),
                anchor: "crit-unit-214-3-2".into(),
                status: Status::Met,
            },
        }];
        to_html(
            text,
            &Placement {
                under: 3,
                prefix: "item-1-x",
                refs: &refs,
                item: None,
                pictures: &[],
            },
        )
    }

    #[test]
    fn learner_html_is_text() {
        let html =
            render("Hi <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<div onclick=\"x()\">block</div>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_links_are_unwrapped() {
        let html = render(
            "[click](javascript:alert(1)) [data](data:text/html,x) [ok](https://example.org) [in](#x)\n\n![pic](https://example.org/a.png)",
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("href=\"data:"), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
        assert!(html.contains("href=\"#x\""), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("image not embedded"), "{html}");
    }

    #[test]
    fn headings_demoted_paragraphs_anchored_badges_linked() {
        let html = render("## Heading\n\n#### Deeper\n\nFirst.\n\nI briefed Sam [[3.2]].\n\nUnknown [[9.9]].\n");
        assert!(html.contains("<h4>Heading</h4>"), "{html}");
        assert!(html.contains("<h6>Deeper</h6>"), "{html}");
        assert!(html.contains("id=\"item-1-x-p2\""), "{html}");
        assert!(
            html.contains("<a class=\"badge s-met\" href=\"#crit-unit-214-3-2\""),
            "{html}"
        );
        assert!(html.contains("[[9.9]]"), "{html}");
    }

    #[test]
    fn footnotes_are_prefixed_per_item() {
        let html = render("Text[^1].\n\n[^1]: Note.\n");
        assert!(html.contains("fn-item-1-x-1"), "{html}");
        assert!(!html.contains("\"#fn-1\""), "{html}");
    }

    #[test]
    fn tables_and_strikethrough_render() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ www.example.org\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("href=\"http://www.example.org\""), "{html}");
    }
}
