//! Laid-out pages to PDF bytes, written by us: a content stream per page
//! (`content`), the fonts subset and embedded once per document (`embed`),
//! images, link and file-attachment annotations, and the outline, embedded
//! files and information (`catalog`); lopdf holds the objects and writes the
//! file. Every stream is deflated by one [`Deflater`] per document.

use super::PdfError;
use super::catalog::{self, Meta};
use super::content::{self, Used};
use super::deflate::Deflater;
use super::embed;
use super::fonts::Fonts;
use super::images::Image;
use super::layout::{Draw, Link, OutlineEntry, PAGE_H, PAGE_W, Page, Pos};
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use std::collections::HashMap;
use super::clock::Instant;
use std::time::Duration;

pub struct Laid<'a> {
    pub pages: &'a [Page],
    pub anchors: &'a HashMap<String, Pos>,
    pub outline: &'a [OutlineEntry],
    pub images: &'a [Option<Image>],
}

fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

fn rect(x: f32, y: f32, w: f32, h: f32) -> Object {
    // Top-down layout coordinates to the PDF's bottom-up rectangle.
    vec![
        Object::Real(x),
        Object::Real(PAGE_H - y - h),
        Object::Real(x + w),
        Object::Real(PAGE_H - y),
    ]
    .into()
}

/// The annotations of a page: links within the document and out of it, and
/// a paperclip on each embedded file's entry that opens it.
/// `blank` is an empty appearance, so that a file's paperclip is the
/// underlined name itself rather than an icon drawn over the text.
fn annotations(
    page: &Page,
    laid: &Laid<'_>,
    page_ids: &[ObjectId],
    specs: &HashMap<String, ObjectId>,
    blank: ObjectId,
) -> Vec<Object> {
    let mut out = Vec::new();
    for d in &page.draws {
        let Draw::Link { x, y, w, h, target } = d else { continue };
        let mut a = Dictionary::new();
        a.set("Type", name("Annot"));
        a.set("Rect", rect(*x, *y, *w, *h));
        match target {
            Link::Uri(u) => {
                let mut action = Dictionary::new();
                action.set("S", name("URI"));
                action.set("URI", Object::String(u.as_bytes().to_vec(), StringFormat::Literal));
                a.set("Subtype", name("Link"));
                a.set("A", action);
                a.set("Border", vec![0.into(), 0.into(), 0.into()]);
            }
            Link::Anchor(anchor) => {
                let Some(pos) = laid.anchors.get(anchor) else { continue };
                let Some(page) = page_ids.get(pos.page) else { continue };
                a.set("Subtype", name("Link"));
                a.set(
                    "Dest",
                    vec![
                        Object::Reference(*page),
                        name("XYZ"),
                        0.into(),
                        Object::Real(PAGE_H - pos.y + 6.0),
                        Object::Null,
                    ],
                );
                a.set("Border", vec![0.into(), 0.into(), 0.into()]);
            }
            Link::File(key) => {
                let Some(spec) = specs.get(key) else { continue };
                a.set("Subtype", name("FileAttachment"));
                a.set("FS", Object::Reference(*spec));
                a.set("Name", name("Paperclip"));
                let mut ap = Dictionary::new();
                ap.set("N", Object::Reference(blank));
                a.set("AP", ap);
                a.set(
                    "Contents",
                    catalog::text_string(&format!("Open the embedded file {key}")),
                );
                // Printable (4), and not scaled or rotated with the page.
                a.set("F", 4 | 8 | 16);
            }
        }
        out.push(Object::Dictionary(a));
    }
    out
}

/// Writes the PDF.
pub fn write(fonts: &Fonts, laid: Laid<'_>, meta: &Meta<'_>, phases: &mut super::Phases) -> Result<Vec<u8>, PdfError> {
    let deflater = Deflater::new();
    // Each phase's time without the deflating done in it, which is counted
    // as `compress`.
    let mut t = Instant::now();
    let mut deflated = Duration::ZERO;
    let mut lap = |d: &mut Duration, compress: &mut Duration| {
        let now = Instant::now();
        let z = deflater.spent().saturating_sub(deflated);
        deflated = deflater.spent();
        *d += (now - t).saturating_sub(z);
        *compress += z;
        t = now;
    };

    let mut doc = lopdf::Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let resources_id = doc.new_object_id();
    let page_ids: Vec<ObjectId> = laid.pages.iter().map(|_| doc.new_object_id()).collect();
    let (names, specs) = catalog::embed_files(&mut doc, &meta.files, &meta.date, &deflater);

    let mut xobjects = Dictionary::new();
    for (i, img) in laid.images.iter().enumerate() {
        let Some(img) = img else { continue };
        // Decoded PNGs (palette, 16-bit, alpha) come unfiltered: deflate
        // them; JPEG and passed-through PNG data come compressed.
        let packed = |s: &Stream| match s.dict.get(b"Filter") {
            Ok(_) => s.clone(),
            Err(_) => deflater.stream(s.dict.clone(), s.content.clone()),
        };
        let mut stream = packed(&img.stream);
        if let Some(mask) = &img.smask {
            let mask_id = doc.add_object(packed(mask));
            stream.dict.set("SMask", Object::Reference(mask_id));
        }
        xobjects.set(format!("Im{i}"), Object::Reference(doc.add_object(stream)));
    }
    let has_image = |i: usize| laid.images.get(i).is_some_and(Option::is_some);
    let mut form = Dictionary::new();
    form.set("Type", name("XObject"));
    form.set("Subtype", name("Form"));
    form.set("BBox", vec![0.into(), 0.into(), 1.into(), 1.into()]);
    let blank = doc.add_object(Stream::new(form, Vec::new()));

    let mut used = Used::new();
    let media_box: Vec<Object> = vec![0.into(), 0.into(), Object::Real(PAGE_W), Object::Real(PAGE_H)];
    for (page, id) in laid.pages.iter().zip(&page_ids) {
        let stream = content::page(fonts, page, &mut used, &has_image);
        let contents = doc.add_object(deflater.stream(Dictionary::new(), stream));
        let mut p = Dictionary::new();
        p.set("Type", name("Page"));
        p.set("Parent", Object::Reference(pages_id));
        p.set("MediaBox", media_box.clone());
        p.set("Resources", Object::Reference(resources_id));
        p.set("Contents", Object::Reference(contents));
        let annots = annotations(page, &laid, &page_ids, &specs, blank);
        if !annots.is_empty() {
            p.set("Annots", annots);
        }
        doc.objects.insert(*id, Object::Dictionary(p));
    }
    lap(&mut phases.ops, &mut phases.compress);

    let font_dict = embed::fonts(&mut doc, fonts, &used, &deflater)?;
    let mut resources = Dictionary::new();
    resources.set("Font", font_dict);
    if !xobjects.is_empty() {
        resources.set("XObject", xobjects);
    }
    doc.objects.insert(resources_id, Object::Dictionary(resources));
    lap(&mut phases.fonts, &mut phases.compress);

    let mut pages = Dictionary::new();
    pages.set("Type", name("Pages"));
    pages.set("Count", page_ids.len() as i64);
    pages.set(
        "Kids",
        page_ids.iter().map(|id| Object::Reference(*id)).collect::<Vec<_>>(),
    );
    doc.objects.insert(pages_id, Object::Dictionary(pages));

    let mut cat = Dictionary::new();
    cat.set("Type", name("Catalog"));
    cat.set("Pages", Object::Reference(pages_id));
    cat.set("Lang", catalog::text_string(meta.lang));
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", true);
    cat.set("ViewerPreferences", prefs);
    if laid.outline.is_empty() {
        cat.set("PageMode", name("UseNone"));
    } else {
        let outline_id = catalog::build_outline(&mut doc, laid.outline, &page_ids);
        cat.set("Outlines", Object::Reference(outline_id));
        cat.set("PageMode", name("UseOutlines"));
    }
    cat.set("PageLayout", name("OneColumn"));
    if let Some(names) = names {
        cat.set("Names", names);
    }
    let catalog_id = doc.add_object(cat);
    doc.trailer.set("Root", Object::Reference(catalog_id));
    let info_id = doc.add_object(catalog::info(meta));
    doc.trailer.set("Info", Object::Reference(info_id));
    // Placeholder, replaced by a hash of the file in `set_id`.
    let placeholder = Object::String(vec![0; 16], StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![placeholder.clone(), placeholder]);
    lap(&mut phases.finish, &mut phases.compress);

    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| PdfError::Write(e.to_string()))?;
    catalog::set_id(&mut out);
    lap(&mut phases.save, &mut phases.compress);
    Ok(out)
}
