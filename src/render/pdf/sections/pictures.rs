//! An item's inline images (`![caption](attachments/x.png)` in its
//! narrative): one naming an image attachment is drawn where it stands, once;
//! the attachment list then says where it was shown instead of drawing it
//! again. Any other prints as text saying what it is and why it is not drawn.

use super::SectionContext;
use crate::document::ItemDoc;
use crate::document::inline_image::attachment_for;
use crate::render::pdf::figure::figure;
use crate::render::pdf::fonts::Face;
use crate::render::pdf::images::Image;
use crate::render::pdf::layout::{Flow, GREY, Link, Span, Style};
use crate::render::pdf::markdown::Pictures;
use std::collections::BTreeMap;

pub(super) struct ItemPictures<'c> {
    c: &'c SectionContext<'c>,
    /// The item's position in the document.
    n: usize,
    item: &'c ItemDoc,
    /// Attachments drawn in the narrative: attachment → page (from 1).
    pub shown: BTreeMap<usize, usize>,
}

impl<'c> ItemPictures<'c> {
    pub fn new(c: &'c SectionContext<'c>, n: usize, item: &'c ItemDoc) -> Self {
        ItemPictures {
            c,
            n,
            item,
            shown: BTreeMap::new(),
        }
    }

    /// The prepared image of attachment `ai`, if it is drawn.
    fn image(&self, ai: usize) -> Option<(usize, &'c Image)> {
        let c = self.c;
        c.image_index
            .get(&(self.n, ai))
            .and_then(|&i| c.images.get(i)?.as_ref().map(|img| (i, img)))
    }

    /// The anchor of attachment `ai` where the narrative shows it.
    pub fn anchor(&self, ai: usize) -> String {
        crate::document::attachment_anchor(&self.item.anchor, ai)
    }
}

impl Pictures for ItemPictures<'_> {
    fn drawable(&self, url: &str) -> bool {
        attachment_for(self.item, url).is_some_and(|ai| self.image(ai).is_some())
    }

    fn draw(&mut self, flow: &mut Flow<'_>, url: &str, alt: &str) {
        let found = attachment_for(self.item, url).and_then(|ai| Some((ai, self.image(ai)?)));
        let Some((ai, (index, img))) = found.filter(|(ai, _)| !self.shown.contains_key(ai)) else {
            // Named twice: drawn the first time only.
            let text = self.fallback(url, alt);
            flow.paragraph(&[Span::new(text, Style::new(Face::Italic, 10.0).color(GREY))]);
            return;
        };
        let a = &self.item.attachments[ai];
        let caption = if alt.trim().is_empty() {
            format!("{} ({})", a.name, human_size(a.size))
        } else {
            format!("{} ({}, {})", alt.trim(), a.name, human_size(a.size))
        };
        flow.anchor(self.anchor(ai));
        let file = Link::File(crate::render::pdf::file_key(self.item.number, ai, &a.name));
        let placed = figure(flow, index, img, &caption, (&a.name, file));
        self.shown.insert(ai, placed.first_page + 1);
    }

    fn fallback(&self, url: &str, alt: &str) -> String {
        let label = |name: &str| {
            if alt.trim().is_empty() {
                name.to_string()
            } else {
                format!("{}, {name}", alt.trim())
            }
        };
        let Some(ai) = attachment_for(self.item, url) else {
            return format!(
                "[image not embedded: {} \u{2014} not among the item's attachments]",
                label(url)
            );
        };
        let a = &self.item.attachments[ai];
        if let Some(page) = self.shown.get(&ai) {
            format!("[image: {} \u{2014} shown above, page {page}]", label(&a.name))
        } else if self.image(ai).is_some() {
            format!("[image: {} \u{2014} shown among the attachments below]", label(&a.name))
        } else {
            let why = a
                .note
                .clone()
                .unwrap_or_else(|| "not an image the PDF can draw".to_string());
            format!(
                "[image not embedded: {} \u{2014} {why}; listed among the attachments below]",
                label(&a.name)
            )
        }
    }
}

/// A file size as people read it: "830 bytes", "5.8 KB", "1.2 MB".
pub fn human_size(n: u64) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    }
}
