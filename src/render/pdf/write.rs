//! Laid-out pages to a tagged PDF/UA-1 and PDF/A-3b file, written with the
//! `pdf-writer` crate (the typst team's low-level PDF writer): a content
//! stream per page (`content`), the fonts subset and embedded once
//! (`embed`), images as XObjects, links and file attachments as tagged
//! annotations, the structure tree the flow recorded (`tags`, with its
//! parent tree from marked content back to elements), the outline, the embedded files
//! as the document's associated files, the document information and the
//! matching XMP metadata with the PDF/A and PDF/UA identification, and the
//! sRGB output intent. `pack` then packs the plain objects into object
//! streams. The same input gives the same bytes: the dates come from the
//! document, the file's /ID from a hash of what was written.
//!
//! The PDF/UA and PDF/A rules are gated in CI by an independent validator
//! (`.ci/pdf-validate`) on the sample and a heavy cohort learner.

use super::PdfError;
use super::content::{self, Used};
use super::deflate::deflate;
use super::embed;
use super::fonts::Fonts;
use super::images::Image;
use super::layout::structure::{self, Mark};
use super::layout::{Draw, Link, OutlineEntry, PAGE_H, PAGE_W, Page, Pos};
use super::pack;
use super::tags::{self, Id};
use pdf_writer::types::{
    ActionType, AnnotationFlags, AnnotationIcon, AnnotationType, AssociationKind, OutputIntentSubtype, PageLayout,
    PageMode, TabOrder,
};
use pdf_writer::{Chunk, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::HashMap;

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

/// The sRGB profile of the output intent PDF/A asks for: the compact sRGB
/// v4 profile of the Compact-ICC-Profiles project (CC0; see
/// `assets/icc/README.md`).
const SRGB_ICC: &[u8] = include_bytes!("../../../assets/icc/sRGB-v4.icc");

/// Object numbers, handed out in order.
struct Alloc(i32);

impl Alloc {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
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

fn pdf_date(d: crate::date::Date) -> Date {
    Date::new(d.year as u16)
        .month(d.month)
        .day(d.day)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// A rectangle in layout coordinates (top-down) as the PDF's (bottom-up).
fn rect(x: f32, y: f32, w: f32, h: f32) -> Rect {
    Rect::new(x, PAGE_H - y - h, x + w, PAGE_H - y)
}

/// Where a link to `pos` lands: the page, and the top a little above it.
fn landing(pos: &Pos) -> (usize, f32) {
    (pos.page, PAGE_H - (pos.y - 6.0).max(0.0))
}

/// The images as XObjects: `/Im{i}` for image `i`.
fn images(chunk: &mut Chunk, alloc: &mut Alloc, images: &[Option<Image>]) -> Vec<(usize, Ref)> {
    let mut out = Vec::new();
    for (i, img) in images.iter().enumerate() {
        let Some(img) = img else { continue };
        let p = &img.pixels;
        let id = alloc.next();
        let mask = p.alpha.as_ref().map(|a| {
            let m = alloc.next();
            let mut x = chunk.image_xobject(m, a);
            x.width(p.width as i32).height(p.height as i32).bits_per_component(8);
            x.filter(Filter::FlateDecode);
            x.color_space().device_gray();
            x.finish();
            m
        });
        let mut x = chunk.image_xobject(id, &p.data);
        x.width(p.width as i32).height(p.height as i32).bits_per_component(8);
        x.filter(if p.dct { Filter::DctDecode } else { Filter::FlateDecode });
        if p.predicted {
            x.decode_parms()
                .predictor(pdf_writer::types::Predictor::PngOptimum)
                .colors(if p.gray { 1 } else { 3 })
                .bits_per_component(8)
                .columns(p.width as i32);
        }
        if p.gray {
            x.color_space().device_gray();
        } else {
            x.color_space().device_rgb();
        }
        if let Some(m) = mask {
            x.s_mask(m);
        }
        x.finish();
        out.push((i, id));
    }
    out
}

/// The embedded files, each an associated file of the document: its
/// stream and specification, by key.
fn files(chunk: &mut Chunk, alloc: &mut Alloc, meta: &Meta<'_>) -> HashMap<String, Ref> {
    let mut specs = HashMap::new();
    for f in &meta.files {
        let (stream_id, spec_id) = (alloc.next(), alloc.next());
        let packed;
        let data = if compressed_already(f.mime) {
            // Photos, recordings, PDFs and office files are compressed
            // already: deflating them again costs time for nothing.
            f.data
        } else {
            packed = deflate(f.data);
            &packed
        };
        let mut ef = chunk.embedded_file(stream_id, data);
        if !compressed_already(f.mime) {
            ef.filter(Filter::FlateDecode);
        }
        ef.subtype(Name(f.mime.as_bytes()));
        ef.params()
            .size(i32::try_from(f.data.len()).unwrap_or(i32::MAX))
            .modification_date(pdf_date(meta.date));
        ef.finish();
        chunk
            .file_spec(spec_id)
            .path(Str(f.key.as_bytes()))
            .unic_file(TextStr(&f.key))
            .description(TextStr(&f.description))
            .association_kind(AssociationKind::Supplement)
            .embedded_file_with_unicode(stream_id);
        specs.insert(f.key.clone(), spec_id);
    }
    specs
}

/// The outline: each entry under the nearest earlier one of a smaller
/// level; the top levels open.
fn outline(chunk: &mut Chunk, alloc: &mut Alloc, entries: &[OutlineEntry], page_ids: &[Ref]) -> Option<Ref> {
    if entries.is_empty() || page_ids.is_empty() {
        return None;
    }
    let root = alloc.next();
    let ids: Vec<Ref> = entries.iter().map(|_| alloc.next()).collect();
    // Parent of each entry: the nearest earlier entry with a smaller level
    // (a stack of open entries, so the whole is linear).
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&j| entries[j].level >= e.level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut top = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => kids[*p].push(i),
            None => top.push(i),
        }
    }
    let siblings = |list: &[usize], i: usize| -> (Option<Ref>, Option<Ref>) {
        let k = list.iter().position(|&j| j == i).unwrap_or(0);
        (k.checked_sub(1).map(|k| ids[list[k]]), list.get(k + 1).map(|&j| ids[j]))
    };
    for (i, e) in entries.iter().enumerate() {
        let list = match parent[i] {
            Some(p) => &kids[p],
            None => &top,
        };
        let (prev, next) = siblings(list, i);
        let mut item = chunk.outline_item(ids[i]);
        item.title(TextStr(&e.title)).parent(parent[i].map_or(root, |p| ids[p]));
        if let Some(r) = prev {
            item.prev(r);
        }
        if let Some(r) = next {
            item.next(r);
        }
        if let (Some(f), Some(l)) = (kids[i].first(), kids[i].last()) {
            item.first(ids[*f]).last(ids[*l]);
            // Top levels open, the rest closed.
            let n = kids[i].len() as i32;
            item.count(if e.level == 0 { n } else { -n });
        }
        let (page, top_y) = landing(&e.pos);
        item.dest()
            .page(page_ids[page.min(page_ids.len() - 1)])
            .xyz(0.0, top_y, None);
    }
    let mut o = chunk.outline(root);
    if let (Some(f), Some(l)) = (top.first(), top.last()) {
        o.first(ids[*f]).last(ids[*l]);
    }
    o.count(top.len() as i32);
    Some(root)
}

/// Writes the PDF.
pub fn write(fonts: &Fonts, laid: Laid<'_>, meta: &Meta<'_>) -> Result<Vec<u8>, PdfError> {
    let mut pdf = Pdf::new();
    pdf.set_version(1, 7);
    let mut alloc = Alloc(0);
    let catalog_id = alloc.next();
    let pages_id = alloc.next();
    let resources_id = alloc.next();
    let struct_root_id = alloc.next();
    let blank = alloc.next();
    let page_ids: Vec<Ref> = laid.pages.iter().map(|_| alloc.next()).collect();

    let xobjects = images(&mut pdf, &mut alloc, laid.images);
    let placement = |i: usize, w: f32, h: f32| laid.images.get(i)?.as_ref().map(|img| img.placement(w, h));
    let specs = files(&mut pdf, &mut alloc, meta);
    // The empty appearance of a file's paperclip: the underlined name
    // itself is what one clicks, no icon is drawn over the text.
    pdf.form_xobject(blank, &[])
        .bbox(Rect::new(0.0, 0.0, 1.0, 1.0))
        .resources();

    let mut used = Used::new();
    let mut ids: Vec<Vec<Option<Id>>> = Vec::with_capacity(laid.pages.len());
    let mut mcid_counts: Vec<usize> = Vec::with_capacity(laid.pages.len());
    let mut annot_key = i32::try_from(laid.pages.len()).map_err(|_| PdfError::Write("too many pages".into()))?;
    let media = Rect::new(0.0, 0.0, PAGE_W, PAGE_H);
    for (n, (page, &id)) in laid.pages.iter().zip(&page_ids).enumerate() {
        let c = content::page(fonts, page, &mut used, &placement);
        let z = deflate(&c.stream);
        let contents = alloc.next();
        pdf.stream(contents, &z).filter(Filter::FlateDecode);
        let mut page_ids_here: Vec<Option<Id>> = c.mcids.iter().map(|m| m.map(Id::Mcid)).collect();
        mcid_counts.push(c.mcids.iter().flatten().count());
        // The page's annotations: links within the document and out of
        // it, and a paperclip on each embedded file's entry. A link in an
        // artifact (a table header repeated on the next page) is not in
        // the structure, so it is not an annotation.
        let mut annots = Vec::new();
        for (i, d) in page.draws.iter().enumerate() {
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
            if !matches!(page.marks.get(i), Some(Mark::Content(_))) {
                continue;
            }
            // Where it goes, resolved first: a link whose anchor or file is
            // unknown gets no annotation (its text stays).
            enum To<'t> {
                Uri(&'t str),
                Page(Ref, f32),
                File(Ref),
            }
            let to = match target {
                Link::Uri(u) => To::Uri(u),
                Link::Anchor(anchor) => {
                    let Some((p, top)) = laid.anchors.get(anchor).map(landing) else {
                        continue;
                    };
                    let Some(page_ref) = page_ids.get(p) else { continue };
                    To::Page(*page_ref, top)
                }
                Link::File(key) => match specs.get(key) {
                    Some(spec) => To::File(*spec),
                    None => continue,
                },
            };
            let a_id = alloc.next();
            let mut a = pdf.annotation(a_id);
            a.rect(rect(*x, *y, *w, *h))
                .contents(TextStr(alt))
                .struct_parent(annot_key);
            match to {
                To::Uri(u) => {
                    a.subtype(AnnotationType::Link)
                        .flags(AnnotationFlags::PRINT)
                        .border(0.0, 0.0, 0.0, None);
                    a.action().action_type(ActionType::Uri).uri(Str(u.as_bytes()));
                }
                To::Page(page_ref, top) => {
                    a.subtype(AnnotationType::Link)
                        .flags(AnnotationFlags::PRINT)
                        .border(0.0, 0.0, 0.0, None);
                    a.insert(Name(b"Dest"))
                        .start::<pdf_writer::writers::Destination>()
                        .page(page_ref)
                        .xyz(0.0, top, None);
                }
                To::File(spec) => {
                    a.subtype(AnnotationType::FileAttachment)
                        .icon(AnnotationIcon::Paperclip)
                        // Printable (PDF/A), not zoomed or rotated with the page.
                        .flags(AnnotationFlags::PRINT | AnnotationFlags::NO_ZOOM | AnnotationFlags::NO_ROTATE);
                    a.pair(Name(b"FS"), spec);
                    a.appearance().normal().stream(blank);
                }
            }
            a.finish();
            page_ids_here[i] = Some(Id::Annot(a_id, annot_key));
            annots.push(a_id);
            annot_key += 1;
        }
        ids.push(page_ids_here);
        let mut p = pdf.page(id);
        p.parent(pages_id)
            .media_box(media)
            .contents(contents)
            .tab_order(TabOrder::StructureOrder)
            .struct_parents(n as i32);
        p.pair(Name(b"Resources"), resources_id);
        if !annots.is_empty() {
            p.annotations(annots);
        }
    }

    let font_refs = {
        let mut next = || alloc.next();
        embed::fonts(&mut pdf, &mut next, fonts, &used)?
    };
    {
        let mut r = pdf.indirect(resources_id).start::<pdf_writer::writers::Resources>();
        let mut f = r.fonts();
        for (i, id) in &font_refs {
            f.pair(Name(embed::resource_name(*i).as_bytes()), *id);
        }
        f.finish();
        if !xobjects.is_empty() {
            let mut x = r.x_objects();
            for (i, id) in &xobjects {
                x.pair(Name(format!("Im{i}").as_bytes()), *id);
            }
        }
    }
    pdf.pages(pages_id)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);

    // The structure tree under one Document element, and its parent tree.
    {
        let mut next = || alloc.next();
        tags::write(
            &mut pdf,
            &mut next,
            tags::Written {
                tree: laid.tree,
                ids: &ids,
                page_ids: &page_ids,
                mcid_counts: &mcid_counts,
                next_key: annot_key,
            },
            struct_root_id,
        );
    }

    let outline_id = outline(&mut pdf, &mut alloc, laid.outline, &page_ids);

    // The information dictionary and the XMP metadata say the same.
    let producer = format!("portfolio {}", env!("CARGO_PKG_VERSION"));
    let date = pdf_date(meta.date);
    let info_id = alloc.next();
    pdf.document_info(info_id)
        .title(TextStr(meta.title))
        .author(TextStr(meta.author))
        .subject(TextStr(meta.subject))
        .keywords(TextStr(meta.keywords))
        .creator(TextStr("portfolio"))
        .producer(TextStr(&producer))
        .creation_date(date)
        .modified_date(date);
    let xmp = xmp(meta, &producer, laid.pages.len());
    let xmp_id = alloc.next();
    pdf.metadata(xmp_id, xmp.as_bytes());
    let icc_id = alloc.next();
    let icc = deflate(SRGB_ICC);
    pdf.icc_profile(icc_id, &icc).n(3).filter(Filter::FlateDecode);

    // Embedded files in the name tree, keys sorted as it requires.
    let mut keys: Vec<&String> = specs.keys().collect();
    keys.sort();
    let mut cat = pdf.catalog(catalog_id);
    cat.pages(pages_id)
        .lang(TextStr(meta.lang))
        .metadata(xmp_id)
        .page_layout(PageLayout::OneColumn)
        // The attachments panel open when files are embedded (else they
        // are easily missed), the bookmarks otherwise.
        .page_mode(if specs.is_empty() {
            PageMode::UseOutlines
        } else {
            PageMode::UseAttachments
        });
    cat.pair(Name(b"StructTreeRoot"), struct_root_id);
    cat.mark_info().marked(true).suspects(false);
    cat.viewer_preferences().display_doc_title(true);
    if let Some(o) = outline_id {
        cat.outlines(o);
    }
    cat.output_intents()
        .push()
        .subtype(OutputIntentSubtype::PDFA)
        .output_condition(TextStr("sRGB"))
        .output_condition_identifier(TextStr("Custom"))
        .info(TextStr("sRGB IEC61966-2.1"))
        .dest_output_profile(icc_id);
    if !keys.is_empty() {
        {
            let mut names = cat.names();
            let mut tree = names.embedded_files();
            let mut entries = tree.names();
            for k in &keys {
                entries.insert(Str(k.as_bytes()), specs[*k]);
            }
        }
        cat.insert(Name(b"AF")).array().items(keys.iter().map(|k| specs[*k]));
    }
    cat.finish();

    // The /ID: a hash of everything written, stable for the same content.
    let digest = xxhash_rust::xxh3::xxh3_128(pdf.as_bytes()).to_be_bytes().to_vec();
    pdf.set_file_id((digest.clone(), digest));
    pack::pack(pdf.finish())
}

/// The XMP metadata: the same title, author, subject, keywords, tools and
/// dates as the information dictionary, and the PDF/A-3b and PDF/UA-1
/// identification with the extension schema PDF/A asks for.
fn xmp(meta: &Meta<'_>, producer: &str, pages: usize) -> String {
    use xmp_writer::{DateTime, LangId, Timezone, XmpWriter};
    let d = meta.date;
    let date = DateTime::new(d.year as u16, d.month, d.day, 0, 0, 0, Timezone::Utc);
    let mut x = XmpWriter::new();
    x.title([(None::<LangId<'_>>, meta.title)]);
    x.creator([meta.author]);
    x.description([(None::<LangId<'_>>, meta.subject)]);
    x.pdf_keywords(meta.keywords);
    x.language([LangId(meta.lang)]);
    x.creator_tool("portfolio");
    x.producer(producer);
    x.create_date(date);
    x.modify_date(date);
    x.format("application/pdf");
    x.num_pages(pages as u32);
    x.pdfa_part(3);
    x.pdfa_conformance("B");
    x.pdfua_part(1);
    {
        let mut ext = x.extension_schemas();
        ext.pdfua_id().properties().describe_part();
    }
    x.finish(None)
}
