//! The PDF renderer: the [`Document`] typeset for A4 as a tagged PDF that
//! is both PDF/UA-1 (accessible) and PDF/A-3b (archivable, with files
//! embedded). `layout` owns the page model and records the logical
//! structure as it places things (`layout::structure`), `markdown` and
//! `sections` fill it (`figure` places images); `write` writes the pages
//! (`content`), fonts (`embed`), images, structure tree (`tags`), outline, embedded
//! files and metadata with the `pdf-writer` crate, and `pack` packs the
//! plain objects into object streams. One layout pass: the page
//! numbers the location table prints are placeholders of fixed width,
//! filled in once every item has landed.
//!
//! Where the time goes: the phase lines of `cargo bench --bench pdf`
//! (`Phases`): layout, and writing (content streams, font subsets,
//! compression, the file).

mod clock;
mod content;
mod deflate;
mod embed;
mod figure;
pub mod fonts;
pub mod glyphs;
mod images;
mod layout;
mod markdown;
mod pack;
mod sections;
mod tags;
mod write;

pub use fonts::Fonts;

use crate::document::Document;
use clock::Instant;
use layout::{Flow, GREY, MARGIN_L, PAGE_H, PAGE_W, RULE, Style, TEXT_W};
use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Duration;

/// Where the time of one render went, for `cargo bench --bench pdf`.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Phases {
    /// Images prepared, the layout pass, running headers.
    pub layout: Duration,
    /// How many layout passes ran.
    pub passes: usize,
    /// Writing the file: content streams, fonts, tags, compression.
    pub write: Duration,
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

/// The name of item `number`'s attachment `k` (from 0) among the PDF's
/// embedded files: "item 03.01 thread.eml", unique and in item order.
pub(crate) fn file_key(number: usize, k: usize, name: &str) -> String {
    format!("item {number:02}.{:02} {name}", k + 1)
}

/// The media type an embedded file is declared as (PDF/A-3 asks for
/// one), from its name; `application/octet-stream` when unknown.
fn media_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "eml" => "message/rfc822",
        "txt" | "log" | "md" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The PDF's embedded files: every attachment that is not drawn (not an
/// image, or an image the PDF cannot draw) and the originals of very wide
/// images (see [`figure::is_wide`]), keyed "item 03.01 name" (item and
/// attachment position, so two files of one name stay apart).
fn embedded_files<'d>(
    doc: &'d Document,
    images: &[Option<images::Image>],
    image_index: &HashMap<(usize, usize), usize>,
) -> Vec<write::EmbeddedFile<'d>> {
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
            out.push(write::EmbeddedFile {
                key: file_key(item.number, k, &a.name),
                description,
                mime: media_type(&a.name),
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
    let start = Instant::now();
    let meta = write::Meta {
        title: &doc.title,
        author: &doc.learner.name,
        subject: &format!(
            "NVQ portfolio of evidence: {}: {}; statuses as of {}",
            u.short_title, u.title, doc.today
        ),
        keywords: &format!(
            "{}; {} {}; {}; built {}; statuses as of {}",
            u.short_title, u.reference_label, u.reference, u.id, doc.build_date, doc.today
        ),
        lang: doc.lang,
        date: doc.build_date,
        files: embedded_files(doc, &images, &image_index),
    };
    let out = write::write(
        fonts,
        write::Laid {
            pages: &flow.pages,
            anchors: &flow.anchors,
            outline: &flow.outline,
            images: &images,
            tree: &flow.tree,
        },
        &meta,
    );
    phases.write += start.elapsed();
    out
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
        flow.artifact_at(
            i,
            layout::Draw::HLine {
                x1: MARGIN_L,
                x2: MARGIN_L + TEXT_W,
                y: 50.0,
                width: 0.5,
                color: RULE,
            },
            layout::structure::Artifact::Header,
        );
        let footer = format!("Page {} of {total}", i + 1);
        let w = fonts.width(style.face, style.size, &footer);
        flow.text_at(i, (PAGE_W - w) / 2.0, PAGE_H - 34.0, style, footer);
    }
}
