//! The PDF renderer: the [`Document`] typeset for A4. `layout` owns the page
//! model, `markdown` and `sections` fill it (`figure` places images);
//! `content` writes each page's content stream, `embed` subsets and embeds
//! the fonts, `deflate` compresses the streams, `catalog` adds the outline,
//! embedded files and information, and `draw` puts the objects together
//! for lopdf to write. One layout
//! pass: the page numbers the location table prints are placeholders of
//! fixed width, filled in once every item has landed.
//!
//! Where the time goes: the phase lines of `cargo bench --bench pdf`
//! (`Phases`). On the sample portfolio (35 pages) the PDF took 5.4 ms on
//! one core (median, 25 November 2026): layout 1.6, content streams 0.9,
//! font subsetting 0.2, deflate (libdeflate, level 3) 2.1, lopdf writing
//! 0.4.

mod catalog;
mod clock;
mod content;
mod deflate;
mod draw;
mod embed;
mod figure;
pub mod fonts;
pub mod glyphs;
mod images;
mod layout;
mod markdown;
mod sections;

pub use fonts::Fonts;

use crate::document::Document;
use layout::{Flow, GREY, MARGIN_L, PAGE_H, PAGE_W, RULE, Style, TEXT_W};
use std::collections::HashMap;
use std::sync::OnceLock;
use clock::Instant;
use std::time::Duration;

/// Where the time of one render went, for `cargo bench --bench pdf`.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Phases {
    /// Images prepared, the layout pass, running headers.
    pub layout: Duration,
    /// How many layout passes ran.
    pub passes: usize,
    /// Content streams and page objects.
    pub ops: Duration,
    /// Font subsetting and the font objects.
    pub fonts: Duration,
    /// Outline, catalog and metadata.
    pub finish: Duration,
    /// Deflating the streams.
    pub compress: Duration,
    /// lopdf writing the bytes, and the /ID.
    pub save: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("cannot load the embedded fonts: {0}")]
    Fonts(String),
    #[error("cannot write the PDF: {0}")]
    Write(String),
    #[error(
        "{file} would fill more than {limit} PDF pages, the limit for one file; put long logs, listings and data in an attachment and summarise them in the text"
    )]
    FileTooLong { file: String, limit: usize },
    #[error(
        "the PDF would have more than {limit} pages, the limit for one portfolio{}; put long logs, listings and data in attachments and summarise them in the text",
        file.as_ref().map(|f| format!(" (reached in {f})")).unwrap_or_default()
    )]
    TooLong { file: Option<String>, limit: usize },
}

/// The embedded fonts, parsed on first use and kept for the process.
pub(crate) fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts::load().expect("the embedded fonts parse"))
}

/// Whether the PDF's fonts can draw `c` (as body text); what they cannot
/// draw prints as the placeholder [`fonts::PLACEHOLDER`] and is warned
/// about by `check` (`glyph-missing`).
pub fn can_draw(c: char) -> bool {
    c.is_control() || fonts().can_draw(c)
}

/// The key of item `number`'s attachment `k` (from 0) among the PDF's
/// embedded files: "item 03.01: thread.eml", unique and in item order.
pub(crate) fn file_key(number: usize, k: usize, name: &str) -> String {
    format!("item {number:02}.{:02}: {name}", k + 1)
}

/// The PDF's embedded files: every attachment that is not drawn (not an
/// image, or an image the PDF cannot draw) and the originals of very wide
/// images (see [`figure::is_wide`]), keyed "item 03.01: name" (item and
/// attachment position, so two files of one name stay apart).
fn embedded_files<'d>(
    doc: &'d Document,
    images: &[Option<images::Image>],
    image_index: &HashMap<(usize, usize), usize>,
) -> Vec<catalog::EmbeddedFile<'d>> {
    let mut out = Vec::new();
    for (n, item) in doc.items.iter().enumerate() {
        for (k, a) in item.attachments.iter().enumerate() {
            let Some(data) = &a.data else { continue };
            let drawn = image_index.get(&(n, k)).and_then(|&i| images.get(i)?.as_ref());
            let description = match drawn {
                Some(img) if figure::is_wide(img) => format!(
                    "Original of a wide image ({} x {} pixels) shown reduced in item {}: {} (SHA-256 {})",
                    img.width, img.height, item.number, item.title, a.sha256
                ),
                Some(_) => continue,
                None => format!(
                    "Attachment of item {}: {} (SHA-256 {})",
                    item.number, item.title, a.sha256
                ),
            };
            out.push(catalog::EmbeddedFile {
                key: file_key(item.number, k, &a.name),
                name: &a.name,
                description,
                data,
            });
        }
    }
    out
}

/// Renders `doc` as PDF bytes, with the process-wide fonts.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    render_with(fonts(), doc)
}

/// Renders `doc` as PDF bytes with fonts parsed by the caller.
pub fn render_with(fonts: &Fonts, doc: &Document) -> Result<Vec<u8>, PdfError> {
    render_phased(fonts, doc, &mut Phases::default())
}

/// [`render`], noting the time each phase takes in `phases`.
#[doc(hidden)]
pub fn render_timed(doc: &Document, phases: &mut Phases) -> Result<Vec<u8>, PdfError> {
    render_phased(fonts(), doc, phases)
}

fn render_phased(fonts: &Fonts, doc: &Document, phases: &mut Phases) -> Result<Vec<u8>, PdfError> {
    let start = Instant::now();
    // Images first: their sizes decide the layout.
    let mut images = Vec::new();
    let mut image_index = HashMap::new();
    for (n, item) in doc.items.iter().enumerate() {
        for (a, att) in item.attachments.iter().enumerate() {
            if let (Some(mime), Some(data)) = (att.mime, &att.data) {
                image_index.insert((n, a), images.len());
                images.push(images::prepare(mime, data));
            }
        }
    }

    // One layout pass: page numbers in the location table are placeholders
    // of fixed width, filled in once every item has landed.
    let mut flow = Flow::new(fonts);
    let ctx = sections::SectionContext {
        doc,
        images: &images,
        image_index: &image_index,
    };
    sections::layout(&mut flow, &ctx);
    phases.passes += 1;
    if flow.overflowed {
        return Err(match flow.overflow_file.take() {
            Some((file, true)) => PdfError::FileTooLong {
                file,
                limit: layout::MAX_ITEM_PAGES,
            },
            other => PdfError::TooLong {
                file: other.map(|o| o.0),
                limit: flow.page_cap,
            },
        });
    }
    flow.fill_page_numbers();
    running_header(&mut flow, doc);
    phases.layout += start.elapsed();

    let u = &doc.unit;
    let meta = catalog::Meta {
        title: &doc.title,
        author: &doc.learner.name,
        subject: &format!("NVQ portfolio of evidence: {}: {}", u.short_title, u.title),
        keywords: &format!("{}; {} {}; {}", u.short_title, u.reference_label, u.reference, u.id),
        lang: doc.lang,
        date: format!(
            "D:{:04}{:02}{:02}000000Z",
            doc.build_date.year, doc.build_date.month, doc.build_date.day
        ),
        files: embedded_files(doc, &images, &image_index),
    };
    draw::write(
        fonts,
        draw::Laid {
            pages: &flow.pages,
            anchors: &flow.anchors,
            outline: &flow.outline,
            images: &images,
        },
        &meta,
        phases,
    )
}

/// Learner, unit and UAN at the top of every page but the cover; "Page N of
/// M" at the bottom.
fn running_header(flow: &mut Flow<'_>, doc: &Document) {
    let fonts = flow.fonts;
    let style = Style::new(fonts::Face::Regular, 8.0).color(GREY);
    let right = format!("{} {}", doc.unit.reference_label, doc.unit.reference);
    let right_w = fonts.width(style.face, style.size, &right);
    let mut left = format!("{} · {}: {}", doc.learner.name, doc.unit.short_title, doc.unit.title);
    let room = TEXT_W - right_w - 16.0;
    if fonts.width(style.face, style.size, &left) > room {
        while !left.is_empty()
            && fonts.width(style.face, style.size, &left) + fonts.width(style.face, style.size, "…") > room
        {
            left.pop();
        }
        left.push('…');
    }
    let total = flow.pages.len();
    for i in 0..total {
        if !flow.pages[i].running {
            continue;
        }
        let left = fonts.drawable(style.face, &left).into_owned();
        flow.text_at(i, MARGIN_L, 44.0, style, left);
        flow.text_at(
            i,
            PAGE_W - layout::MARGIN_R - right_w,
            44.0,
            style,
            fonts.drawable(style.face, &right).into_owned(),
        );
        flow.pages[i].draws.push(layout::Draw::HLine {
            x1: MARGIN_L,
            x2: MARGIN_L + TEXT_W,
            y: 50.0,
            width: 0.5,
            color: RULE,
        });
        let footer = format!("Page {} of {total}", i + 1);
        let w = fonts.width(style.face, style.size, &footer);
        flow.text_at(i, (PAGE_W - w) / 2.0, PAGE_H - 34.0, style, footer);
    }
}
