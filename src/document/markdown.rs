//! Markdown as both renderers read it: one set of comrak options, `[[code]]`
//! parsed as wiki-links (our criterion badges), and one numbering of
//! paragraphs so that the HTML anchors and the PDF links agree.

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, parse_document};

/// The Markdown dialect of evidence items and reflection.md: CommonMark with
/// tables, strikethrough, autolinks, footnotes and `[[code]]` references.
/// Raw HTML is never rendered (see the renderers).
pub fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.footnotes = true;
    o.extension.wikilinks_title_before_pipe = true;
    o
}

/// Parses `text` into `arena` with [`options`].
pub fn parse<'a>(arena: &'a Arena<'a>, text: &str) -> &'a AstNode<'a> {
    parse_document(arena, text, &options())
}

/// The paragraph number (from 1, in document order) of the paragraph that
/// contains `node`, if any. Renderers give paragraph `n` of an item the
/// anchor `{item-anchor}-p{n}`.
pub fn paragraph_number<'a>(root: &'a AstNode<'a>, node: &'a AstNode<'a>) -> Option<usize> {
    let para = node
        .ancestors()
        .find(|n| matches!(n.data.borrow().value, NodeValue::Paragraph))?;
    root.descendants()
        .filter(|n| matches!(n.data.borrow().value, NodeValue::Paragraph))
        .position(|n| std::ptr::eq(n, para))
        .map(|i| i + 1)
}

/// Each `[[code]]` in `text` with the number of its paragraph, in order.
pub fn references(text: &str) -> Vec<(String, Option<usize>)> {
    let arena = Arena::new();
    let root = parse(&arena, text);
    let mut numbers = std::collections::HashMap::new();
    let mut count = 0;
    let mut out = Vec::new();
    for node in root.descendants() {
        match &node.data.borrow().value {
            NodeValue::Paragraph => {
                count += 1;
                numbers.insert(node as *const _, count);
            }
            NodeValue::WikiLink(link) => {
                let para = node
                    .ancestors()
                    .find(|n| matches!(n.data.borrow().value, NodeValue::Paragraph))
                    .and_then(|p| numbers.get(&(p as *const _)).copied());
                out.push((link.url.trim().to_string(), para));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_carry_their_paragraph() {
        let text =
            "First paragraph.\n\nI told the customer [[3.1]].\n\n- a list item [[ 3.2 ]]\n\n`[[3.3]]` is code.\n";
        assert_eq!(
            references(text),
            [("3.1".to_string(), Some(2)), ("3.2".to_string(), Some(3))]
        );
    }

    #[test]
    fn paragraph_numbers_match_references() {
        let arena = Arena::new();
        let root = parse(&arena, "a\n\nb [[P5]]\n");
        let link = root
            .descendants()
            .find(|n| matches!(n.data.borrow().value, NodeValue::WikiLink(_)))
            .unwrap();
        assert_eq!(paragraph_number(root, link), Some(2));
    }
}
