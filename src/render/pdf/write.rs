//! Laid-out pages to a tagged PDF/UA-1 and PDF/A-3b file, written by the
//! `krilla` crate (the typst team's PDF library): it subsets and embeds the
//! fonts with their ToUnicode maps, writes the tag tree, the XMP metadata
//! and the sRGB output intent, and checks the PDF/UA and PDF/A rules it can
//! check when the file is finished, refusing to write one that breaks them.
//! Here: each page's draws (fills and rules as artifacts, images as their
//! figures' content, text glyph by glyph from the font that has it), links
//! as tagged annotations, the structure tree the flow recorded, the
//! outline, the embedded files and the metadata. The same input gives the
//! same bytes: the dates come from the document, krilla's ids from the
//! content.

use super::PdfError;
use super::attach;
use super::fonts::{Fonts, PLACEHOLDER, ignorable};
use super::images::Image;
use super::layout::structure::{self, Artifact, Child, Kind, Mark};
use super::layout::{Draw, Link, OutlineEntry, PAGE_H, PAGE_W, Page, Pos, Rgb, Style};
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder, PdfVersion};
use krilla::destination::XyzDestination;
use krilla::embed::{AssociationKind, EmbeddedFile as KrillaFile, MimeType};
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::{DateTime, Metadata, PageLayout};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::tagging::{
    ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope, Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use std::collections::HashMap;
use std::num::NonZeroU16;

/// What the layout made.
pub struct Laid<'a> {
    pub pages: &'a [Page],
    pub anchors: &'a HashMap<String, Pos>,
    pub outline: &'a [OutlineEntry],
    pub images: &'a [Option<Image>],
    pub tree: &'a structure::Tree,
}

/// Document-level facts written into the file.
pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub keywords: &'a str,
    /// A BCP 47 tag: `en-GB`.
    pub lang: &'a str,
    /// The build date: the file's creation and modification date.
    pub date: crate::date::Date,
    /// Files embedded as the PDF/A-3 document's associated files.
    pub files: Vec<EmbeddedFile<'a>>,
}

/// A file embedded in the PDF (an e-mail thread, a scanned form as PDF).
pub struct EmbeddedFile<'a> {
    /// Unique: the name it is embedded under, "item 03.01 thread.eml".
    pub key: String,
    pub description: String,
    pub mime: &'a str,
    pub data: &'a [u8],
}

/// The settings every portfolio PDF is written with: PDF 1.7, PDF/A-3b
/// (files may be embedded) and PDF/UA-1, tagged.
fn settings() -> Result<SerializeSettings, PdfError> {
    let configuration = ConfigurationBuilder::new()
        .with_version(PdfVersion::Pdf17)
        .with_archival_validator(Archival::A3_B)
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| PdfError::Write(format!("{e:?}")))?;
    Ok(SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    })
}

fn color(c: Rgb) -> rgb::Color {
    let b = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    rgb::Color::new(b(c.0), b(c.1), b(c.2))
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: color(c).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn rect(x: f32, y: f32, w: f32, h: f32) -> Option<Rect> {
    Rect::from_xywh(x, y, w.max(0.01), h.max(0.01))
}

/// Fills the rectangles gathered in `pb` as one path.
fn fill_path(surface: &mut Surface<'_>, pb: PathBuilder) {
    if let Some(path) = pb.finish() {
        surface.draw_path(&path);
    }
}

fn artifact_tag(a: Artifact) -> ContentTag<'static> {
    ContentTag::Artifact(krilla::tagging::Artifact::with_kind(match a {
        Artifact::Header => ArtifactType::Header,
        Artifact::Footer => ArtifactType::Footer,
        Artifact::Layout => ArtifactType::Layout,
    }))
}

/// Draws `text` with its baseline at `(x, y)`: each character from the
/// font [`Fonts::resolve`] picks (one glyph run per font), what no font has
/// as the [`PLACEHOLDER`], which is also the text it reads back as.
fn text(surface: &mut Surface<'_>, fonts: &Fonts, x: f32, y: f32, style: Style, text: &str) {
    let mut run = String::with_capacity(text.len());
    let mut glyphs: Vec<KrillaGlyph> = Vec::with_capacity(text.len());
    let mut font = usize::MAX;
    let mut start = x;
    let mut advance = 0.0;
    let flush = |surface: &mut Surface<'_>, run: &mut String, glyphs: &mut Vec<KrillaGlyph>, font: usize, x: f32| {
        if !glyphs.is_empty() {
            surface.draw_glyphs(
                Point::from_xy(x, y),
                glyphs,
                fonts.font(font).krilla.clone(),
                run,
                style.size,
                false,
            );
        }
        run.clear();
        glyphs.clear();
    };
    for c in text.chars() {
        if ignorable(c) || c == '\n' {
            continue;
        }
        let c = if c.is_control() { ' ' } else { c };
        let (c, g) = match fonts.resolve(style.face, c) {
            Some(g) => (c, g),
            None => (PLACEHOLDER, fonts.resolve_or_placeholder(style.face, PLACEHOLDER)),
        };
        if g.font != font {
            flush(surface, &mut run, &mut glyphs, font, start);
            font = g.font;
            start = x + advance;
        }
        let at = run.len();
        run.push(c);
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(u32::from(g.gid)),
            g.advance,
            0.0,
            0.0,
            0.0,
            at..run.len(),
            None,
        ));
        advance += g.advance * style.size;
    }
    flush(surface, &mut run, &mut glyphs, font, start);
}

/// Draws one page; returns the identifier of each draw that is content.
fn page(surface: &mut Surface<'_>, fonts: &Fonts, page: &Page, images: &[Option<Image>]) -> Vec<Option<Identifier>> {
    let mut ids = vec![None; page.draws.len()];
    let mark = |i: usize| page.marks.get(i).copied().unwrap_or(Mark::Artifact(Artifact::Layout));
    // Fills and rules first, as one artifact, each run of one colour one
    // path (a code block's lines, a table's rules); then images; then the
    // text.
    let mut open: Option<Rgb> = None;
    let mut path = PathBuilder::new();
    let mut in_artifact = false;
    for d in &page.draws {
        let (r, c) = match d {
            Draw::Rect { x, y, w, h, fill } => (rect(*x, *y, *w, *h), *fill),
            Draw::HLine {
                x1,
                x2,
                y,
                width,
                color,
            } => (rect(*x1, y - width / 2.0, x2 - x1, *width), *color),
            Draw::VLine {
                x,
                y1,
                y2,
                width,
                color,
            } => (rect(x - width / 2.0, *y1, *width, y2 - y1), *color),
            _ => continue,
        };
        let Some(r) = r else { continue };
        if !in_artifact {
            surface.start_tagged(artifact_tag(Artifact::Layout));
            in_artifact = true;
        }
        if open != Some(c) {
            fill_path(surface, std::mem::take(&mut path));
            surface.set_fill(Some(fill(c)));
            open = Some(c);
        }
        path.push_rect(r);
    }
    fill_path(surface, path);
    if in_artifact {
        surface.end_tagged();
    }
    for (i, d) in page.draws.iter().enumerate() {
        let Draw::Image {
            index,
            x,
            y,
            w,
            h,
            clip,
        } = d
        else {
            continue;
        };
        let Some(Some(img)) = images.get(*index) else {
            continue;
        };
        // Upright as its EXIF orientation says, in the box it was laid out in.
        let ((sw, sh), [sx, ky, kx, sy, tx, ty]) = img.placement(*w, *h);
        let Some(size) = Size::from_wh(sw.max(0.01), sh.max(0.01)) else {
            continue;
        };
        match mark(i) {
            Mark::Content(_) | Mark::Continues(_) => ids[i] = Some(surface.start_tagged(ContentTag::Other)),
            Mark::Artifact(a) => {
                surface.start_tagged(artifact_tag(a));
            }
        }
        let clipped = clip.and_then(|(cx, cy, cw, ch)| {
            let mut pb = PathBuilder::new();
            pb.push_rect(rect(cx, cy, cw, ch)?);
            pb.finish()
        });
        if let Some(path) = &clipped {
            surface.push_clip_path(path, &FillRule::NonZero);
        }
        surface.push_transform(&Transform::from_translate(*x, *y));
        surface.push_transform(&Transform::from_row(sx, ky, kx, sy, tx, ty));
        surface.draw_image(img.image.clone(), size);
        surface.pop();
        surface.pop();
        if clipped.is_some() {
            surface.pop();
        }
        surface.end_tagged();
    }
    // The text in order, each run of one element's text (a paragraph's
    // lines on this page) one marked sequence.
    let mut color: Option<Rgb> = None;
    let mut open: Option<Mark> = None;
    for (i, d) in page.draws.iter().enumerate() {
        let Draw::Text { x, y, style, text: t } = d else {
            continue;
        };
        let m = mark(i);
        let continues = matches!((m, open), (Mark::Continues(n), Some(Mark::Content(o))) if n == o)
            || matches!((m, open), (Mark::Artifact(a), Some(Mark::Artifact(b))) if a == b);
        if !continues {
            if open.take().is_some() {
                surface.end_tagged();
            }
            match m {
                Mark::Content(n) => {
                    ids[i] = Some(surface.start_tagged(ContentTag::Span(SpanTag::empty())));
                    open = Some(Mark::Content(n));
                }
                // A continuation whose start is not open: outside the
                // structure (it cannot happen: the start is the text
                // just before it on the page).
                Mark::Continues(_) => {
                    surface.start_tagged(artifact_tag(Artifact::Layout));
                    open = Some(Mark::Artifact(Artifact::Layout));
                }
                Mark::Artifact(a) => {
                    surface.start_tagged(artifact_tag(a));
                    open = Some(m);
                }
            }
        }
        if color != Some(style.color) {
            surface.set_fill(Some(fill(style.color)));
            color = Some(style.color);
        }
        text(surface, fonts, *x, *y, *style, t);
    }
    if open.is_some() {
        surface.end_tagged();
    }
    ids
}

/// The tag group of element `n`, its content mapped through `ids`; `None`
/// when it holds nothing (a table's cells are kept, so rows stay whole).
fn group(tree: &structure::Tree, n: u32, ids: &[Vec<Option<Identifier>>]) -> Option<TagGroup> {
    let e = &tree.elements[n as usize];
    let kind: TagKind = match &e.kind {
        Kind::Document | Kind::Sect => Tag::Section.into(),
        Kind::H(level, title) => {
            Tag::Hn(NonZeroU16::new(*level).unwrap_or(NonZeroU16::MIN), Some(title.clone())).into()
        }
        Kind::P => Tag::P.into(),
        Kind::L(numbered) => Tag::L(if *numbered {
            ListNumbering::Decimal
        } else {
            ListNumbering::Disc
        })
        .into(),
        Kind::LI => Tag::LI.into(),
        Kind::Lbl => Tag::Lbl.into(),
        Kind::LBody => Tag::LBody.into(),
        Kind::Table => Tag::Table.into(),
        Kind::THead => Tag::THead.into(),
        Kind::TBody => Tag::TBody.into(),
        Kind::TR => Tag::TR.into(),
        Kind::TH(row) => Tag::TH(if *row {
            TableHeaderScope::Row
        } else {
            TableHeaderScope::Column
        })
        .into(),
        Kind::TD => Tag::TD.into(),
        Kind::Figure(alt) => Tag::Figure(Some(alt.clone())).into(),
        Kind::Caption => Tag::Caption.into(),
        Kind::Link(alt) => Tag::Link.with_alt_text(Some(alt.clone())).into(),
        Kind::Annot(alt) => Tag::Annot.with_alt_text(Some(alt.clone())).into(),
        Kind::BlockQuote => Tag::BlockQuote.into(),
    };
    let mut g = TagGroup::new(kind);
    for c in &e.children {
        match *c {
            Child::Content { page, draw } => {
                if let Some(Some(id)) = ids.get(page as usize).and_then(|p| p.get(draw as usize)) {
                    g.push(*id);
                }
            }
            Child::Node(k) => {
                if let Some(child) = group(tree, k, ids) {
                    g.push(child);
                }
            }
        }
    }
    let cell = matches!(e.kind, Kind::TD | Kind::TH(_) | Kind::TR);
    (cell || !g.children.is_empty()).then_some(g)
}

/// The outline: each entry under the nearest earlier one of a smaller level.
fn outline(entries: &[OutlineEntry]) -> Outline {
    fn node(e: &OutlineEntry) -> OutlineNode {
        OutlineNode::new(
            e.title.clone(),
            XyzDestination::new(e.pos.page, Point::from_xy(0.0, (e.pos.y - 6.0).max(0.0))),
        )
    }
    // Built bottom-up: a stack of open nodes with their levels.
    let mut out = Outline::new();
    let mut stack: Vec<(usize, OutlineNode)> = Vec::new();
    let close = |stack: &mut Vec<(usize, OutlineNode)>, out: &mut Outline, level: usize| {
        while stack.last().is_some_and(|s| s.0 >= level) {
            let (_, n) = stack.pop().expect("an open node");
            match stack.last_mut() {
                Some(parent) => parent.1.push_child(n),
                None => out.push_child(n),
            }
        }
    };
    for e in entries {
        close(&mut stack, &mut out, e.level);
        let open = e.level == 0;
        stack.push((e.level, node(e).with_open(open)));
    }
    close(&mut stack, &mut out, 0);
    out
}

/// Whether files of media type `mime` are compressed in themselves.
fn compressed_already(mime: &str) -> bool {
    mime.starts_with("image/")
        || mime.starts_with("audio/")
        || mime.starts_with("video/")
        || matches!(mime, "application/pdf" | "application/zip")
        || mime.starts_with("application/vnd.openxmlformats")
        || mime.starts_with("application/vnd.oasis")
}

fn date(d: crate::date::Date) -> DateTime {
    DateTime::new(d.year as u16)
        .month(d.month)
        .day(d.day)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// Writes the PDF.
pub fn write(fonts: &Fonts, laid: Laid<'_>, meta: &Meta<'_>) -> Result<Vec<u8>, PdfError> {
    let mut document = Document::new_with(settings()?);
    let size = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError::Write("page size".into()))?;
    let mut ids: Vec<Vec<Option<Identifier>>> = Vec::with_capacity(laid.pages.len());
    let file_index: HashMap<&str, usize> = meta
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.key.as_str(), i))
        .collect();
    for p in laid.pages {
        let mut page = document.start_page_with(size.clone());
        let mut surface = page.surface();
        let mut page_ids = self::page(&mut surface, fonts, p, laid.images);
        surface.finish();
        for (i, d) in p.draws.iter().enumerate() {
            let Draw::Link {
                x,
                y,
                w,
                h,
                target,
                alt,
            } = d
            else {
                continue;
            };
            let target = match target {
                Link::Uri(u) => Target::Action(LinkAction::new(u.clone()).into()),
                Link::Anchor(a) => {
                    let Some(pos) = laid.anchors.get(a) else { continue };
                    Target::Destination(
                        XyzDestination::new(pos.page, Point::from_xy(0.0, (pos.y - 6.0).max(0.0))).into(),
                    )
                }
                // A placeholder link that `attach` turns into the file's
                // paperclip.
                Link::File(key) => match file_index.get(key.as_str()) {
                    Some(&i) => Target::Action(LinkAction::new(attach::file_uri(i)).into()),
                    None => continue,
                },
            };
            let Some(r) = rect(*x, *y, *w, *h) else { continue };
            let annotation = Annotation::new_link(LinkAnnotation::new(r, target), Some(alt.clone()));
            // A link in an artifact (a table header repeated on the next
            // page) is not in the structure, so it cannot be an annotation.
            if matches!(p.marks.get(i), Some(Mark::Content(_))) {
                page_ids[i] = Some(page.add_tagged_annotation(annotation));
            }
        }
        page.finish();
        ids.push(page_ids);
    }

    let mut tree = TagTree::new().with_lang(Some(meta.lang.to_string()));
    for c in &laid.tree.elements[0].children {
        if let Child::Node(k) = *c
            && let Some(g) = group(laid.tree, k, &ids)
        {
            tree.push(g);
        }
    }
    document.set_tag_tree(tree);
    if !laid.outline.is_empty() {
        document.set_outline(outline(laid.outline));
    }
    for f in &meta.files {
        let file = KrillaFile {
            path: f.key.clone(),
            mime_type: MimeType::new(f.mime).or_else(|| MimeType::new("application/octet-stream")),
            description: Some(f.description.clone()),
            association_kind: AssociationKind::Supplement,
            data: f.data.to_vec().into(),
            modification_date: Some(date(meta.date)),
            // Photos, recordings, PDFs and office files are compressed
            // already: deflating them again costs time for nothing.
            compress: compressed_already(f.mime).then_some(false),
            location: None,
        };
        document
            .embed_file(file)
            .ok_or_else(|| PdfError::Write(format!("{} is embedded twice", f.key)))?;
    }
    document.set_metadata(
        Metadata::new()
            .title(meta.title.to_string())
            .authors(vec![meta.author.to_string()])
            .description(meta.subject.to_string())
            .keywords(vec![meta.keywords.to_string()])
            .language(meta.lang.to_string())
            .creator("portfolio".to_string())
            .producer(format!("portfolio {}", env!("CARGO_PKG_VERSION")))
            .creation_date(date(meta.date))
            .page_layout(PageLayout::OneColumn),
    );
    let pdf = document.finish().map_err(|e| PdfError::Write(format!("{e:?}")))?;
    // The attachments panel open when files are embedded (else they are
    // easily missed), the bookmarks otherwise.
    let mode = if meta.files.is_empty() {
        attach::PageMode::UseOutlines
    } else {
        attach::PageMode::UseAttachments
    };
    let keys: Vec<String> = meta.files.iter().map(|f| f.key.clone()).collect();
    attach::finish(pdf, &keys, mode)
}
