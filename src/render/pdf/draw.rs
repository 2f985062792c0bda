//! Laid-out pages to PDF bytes: printpdf draws the pages and embeds the
//! font subsets; lopdf then adds what printpdf does not (nested outline,
//! images, language, dates from the document) and the bytes get an /ID
//! derived from their own hash, so the same input gives the same file.

use super::PdfError;
use super::fonts::{Face, Fonts};
use super::images::Image;
use super::layout::{Draw, Link, OutlineEntry, PAGE_H, PAGE_W, Page, Pos};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, Color, Destination, FontId, LinkAnnotation, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Pt, Rect, TextItem, TextMatrix, XObjectId, XObjectTransform,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// Document-level facts written into the file.
pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub keywords: &'a str,
    pub lang: &'a str,
    /// `D:YYYYMMDD000000Z`.
    pub date: String,
    /// Non-image attachments, embedded as the PDF's file attachments.
    pub files: Vec<EmbeddedFile<'a>>,
}

/// A file embedded in the PDF (an e-mail thread, a scanned form as PDF).
pub struct EmbeddedFile<'a> {
    /// Unique, and the order of the name tree: "item 03: thread.eml".
    pub key: String,
    pub name: &'a str,
    pub description: String,
    pub data: &'a [u8],
}

pub struct Laid<'a> {
    pub pages: &'a [Page],
    pub anchors: &'a HashMap<String, Pos>,
    pub outline: &'a [OutlineEntry],
    pub images: &'a [Option<Image>],
}

fn rgb(c: super::layout::Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: c.0,
        g: c.1,
        b: c.2,
        icc_profile: None,
    })
}

/// A six-letter subset tag derived from the glyphs a face uses.
fn subset_tag(face: Face, chars: &BTreeSet<char>) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update([face as u8]);
    for c in chars {
        h.update(u32::from(*c).to_le_bytes());
    }
    h.finalize().iter().take(6).map(|b| char::from(b'A' + b % 26)).collect()
}

/// Writes the PDF.
pub fn write(fonts: &Fonts, laid: Laid<'_>, meta: &Meta<'_>, phases: &mut super::Phases) -> Result<Vec<u8>, PdfError> {
    let mut t = Instant::now();
    let mut lap = |d: &mut Duration| {
        let now = Instant::now();
        *d += now - t;
        t = now;
    };
    let mut pdf = PdfDocument::new(meta.title);
    // Fonts under ids of our own: printpdf's come from a process-wide
    // counter, and the id is also the subset tag.
    let mut used: BTreeMap<Face, BTreeSet<char>> = BTreeMap::new();
    for page in laid.pages {
        for d in &page.draws {
            if let Draw::Text { style, text, .. } = d {
                used.entry(style.face).or_default().extend(text.chars());
            }
        }
    }
    let mut ids: HashMap<Face, FontId> = HashMap::new();
    for (face, chars) in &used {
        let id = FontId(subset_tag(*face, chars));
        pdf.resources
            .fonts
            .map
            .insert(id.clone(), printpdf::PdfFont::new(fonts.face(*face).font.clone()));
        ids.insert(*face, id);
    }

    let mut pages = Vec::with_capacity(laid.pages.len());
    for page in laid.pages {
        pages.push(PdfPage::new(
            Mm::from(Pt(PAGE_W)),
            Mm::from(Pt(PAGE_H)),
            page_ops(page, &ids, &laid),
        ));
    }
    pdf.with_pages(pages);
    pdf.metadata.info.author = meta.author.to_string();
    pdf.metadata.info.subject = meta.subject.to_string();
    pdf.metadata.info.keywords = vec![meta.keywords.to_string()];
    pdf.metadata.info.creator = "portfolio".to_string();
    pdf.metadata.info.producer = format!("portfolio {} (printpdf)", env!("CARGO_PKG_VERSION"));

    let opts = PdfSaveOptions {
        optimize: false,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    lap(&mut phases.ops);
    let mut doc = pdf.to_lopdf_document(&opts, &mut warnings);
    lap(&mut phases.printpdf);
    finish(&mut doc, &laid, meta)?;
    lap(&mut phases.finish);
    compress(&mut doc);
    lap(&mut phases.compress);
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| PdfError::Write(e.to_string()))?;
    set_id(&mut out);
    lap(&mut phases.save);
    Ok(out)
}

/// zlib level for the streams. lopdf's `Document::compress` uses 9, which
/// took over half the render time (16 ms of 28 for the sample portfolio);
/// 3 takes about 5 ms and makes the file 3% larger (255 KB to 262 KB).
const DEFLATE_LEVEL: u32 = 3;

/// Deflates every stream that has no filter yet (images come compressed).
fn compress(doc: &mut lopdf::Document) {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
        {
            let mut enc = flate2::write::ZlibEncoder::new(
                Vec::with_capacity(stream.content.len() / 2),
                flate2::Compression::new(DEFLATE_LEVEL),
            );
            if enc.write_all(&stream.content).is_err() {
                continue;
            }
            let Ok(packed) = enc.finish() else { continue };
            if packed.len() + 19 < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(packed);
            }
        }
    }
}

/// A filled rectangle; `bottom` is in PDF coordinates (from the foot of the page).
fn fill_rect(ops: &mut Vec<Op>, color: super::layout::Rgb, x: f32, bottom: f32, w: f32, h: f32) {
    ops.push(Op::SetFillColor { col: rgb(color) });
    ops.push(Op::DrawRectangle {
        rectangle: Rect {
            mode: Some(printpdf::PaintMode::Fill),
            ..Rect::from_xywh(Pt(x), Pt(bottom), Pt(w), Pt(h))
        },
    });
}

fn page_ops(page: &Page, ids: &HashMap<Face, FontId>, laid: &Laid<'_>) -> Vec<Op> {
    let mut ops = Vec::new();
    // Shapes and images first, then the text on top, in reading order.
    for d in &page.draws {
        match d {
            Draw::Rect { x, y, w, h, fill } => fill_rect(&mut ops, *fill, *x, PAGE_H - y - h, *w, *h),
            Draw::HLine {
                x1,
                x2,
                y,
                width,
                color,
            } => fill_rect(&mut ops, *color, *x1, PAGE_H - y - width / 2.0, x2 - x1, *width),
            Draw::VLine {
                x,
                y1,
                y2,
                width,
                color,
            } => fill_rect(&mut ops, *color, x - width / 2.0, PAGE_H - y2, *width, y2 - y1),
            Draw::Image {
                index,
                x,
                y,
                w,
                h,
                clip,
            } if laid.images.get(*index).is_some_and(Option::is_some) => {
                // A slice of an image split over pages: paint only the clip.
                if let Some((cx, cy, cw, ch)) = clip {
                    ops.push(Op::SaveGraphicsState);
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            mode: Some(printpdf::PaintMode::Clip),
                            ..Rect::from_xywh(Pt(*cx), Pt(PAGE_H - cy - ch), Pt(*cw), Pt(*ch))
                        },
                    });
                }
                ops.push(Op::UseXobject {
                    id: XObjectId(format!("Im{index}")),
                    transform: XObjectTransform {
                        translate_x: Some(Pt(*x)),
                        translate_y: Some(Pt(PAGE_H - y - h)),
                        scale_x: Some(*w),
                        scale_y: Some(*h),
                        no_auto_scale: true,
                        ..XObjectTransform::default()
                    },
                });
                if clip.is_some() {
                    ops.push(Op::RestoreGraphicsState);
                }
            }
            Draw::Link { x, y, w, h, target } => {
                let actions = match target {
                    Link::Uri(u) => Actions::uri(u.clone()),
                    Link::Anchor(a) => match laid.anchors.get(a) {
                        Some(pos) => Actions::go_to(Destination::Xyz {
                            page: pos.page + 1,
                            left: Some(0.0),
                            top: Some(PAGE_H - pos.y + 6.0),
                            zoom: None,
                        }),
                        None => continue,
                    },
                };
                ops.push(Op::LinkAnnotation {
                    link: LinkAnnotation::new(
                        Rect::from_xywh(Pt(*x), Pt(PAGE_H - y - h), Pt(*w), Pt(*h)),
                        actions,
                        Some(printpdf::BorderArray::Solid([0.0, 0.0, 0.0])),
                        None,
                        None,
                    ),
                });
            }
            _ => {}
        }
    }
    ops.push(Op::StartTextSection);
    let mut font: Option<(Face, f32)> = None;
    let mut color = None;
    for d in &page.draws {
        if let Draw::Text { x, y, style, text } = d {
            if font != Some((style.face, style.size)) {
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(ids[&style.face].clone()),
                    size: Pt(style.size),
                });
                font = Some((style.face, style.size));
            }
            if color != Some(style.color) {
                ops.push(Op::SetFillColor { col: rgb(style.color) });
                color = Some(style.color);
            }
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(*x), Pt(PAGE_H - y)),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(text.clone())],
            });
        }
    }
    ops.push(Op::EndTextSection);
    ops
}

fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// What printpdf leaves out or gets wrong, fixed on the lopdf document.
fn finish(doc: &mut lopdf::Document, laid: &Laid<'_>, meta: &Meta<'_>) -> Result<(), PdfError> {
    doc.version = "1.7".to_string();
    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();

    // Images into the shared XObject dictionary.
    let xobjects_id = page_ids
        .first()
        .and_then(|p| doc.get_dictionary(*p).ok())
        .and_then(|p| p.get(b"Resources").ok()?.as_reference().ok())
        .and_then(|r| doc.get_dictionary(r).ok())
        .and_then(|r| r.get(b"XObject").ok()?.as_reference().ok());
    if let Some(xid) = xobjects_id {
        let mut entries = Vec::new();
        for (i, img) in laid.images.iter().enumerate() {
            let Some(img) = img else { continue };
            let mut stream = img.stream.clone();
            if let Some(mask) = &img.smask {
                let mask_id = doc.add_object(mask.clone());
                stream.dict.set("SMask", Object::Reference(mask_id));
            }
            entries.push((format!("Im{i}"), doc.add_object(stream)));
        }
        if let Ok(Object::Dictionary(d)) = doc.get_object_mut(xid) {
            for (name, id) in entries {
                d.set(name, Object::Reference(id));
            }
        }
    }

    // The outline, nested by level.
    let outline_id = (!laid.outline.is_empty()).then(|| build_outline(doc, laid.outline, &page_ids));

    let catalog_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    if let Ok(Object::Dictionary(cat)) = doc.get_object_mut(catalog_id) {
        cat.set("Lang", text_string(meta.lang));
        let mut prefs = Dictionary::new();
        prefs.set("DisplayDocTitle", true);
        cat.set("ViewerPreferences", prefs);
        match outline_id {
            Some(id) => {
                cat.set("Outlines", Object::Reference(id));
                cat.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
            }
            None => {
                cat.remove(b"Outlines");
                cat.set("PageMode", Object::Name(b"UseNone".to_vec()));
            }
        }
        cat.set("PageLayout", Object::Name(b"OneColumn".to_vec()));
    }
    embed_files(doc, catalog_id, &meta.files, &meta.date);

    let mut info = Dictionary::new();
    info.set("Title", text_string(meta.title));
    info.set("Author", text_string(meta.author));
    info.set("Subject", text_string(meta.subject));
    info.set("Keywords", text_string(meta.keywords));
    info.set("Creator", text_string("portfolio"));
    info.set(
        "Producer",
        text_string(&format!("portfolio {} with printpdf", env!("CARGO_PKG_VERSION"))),
    );
    info.set(
        "CreationDate",
        Object::String(meta.date.clone().into_bytes(), StringFormat::Literal),
    );
    info.set(
        "ModDate",
        Object::String(meta.date.clone().into_bytes(), StringFormat::Literal),
    );
    let info_id = doc.add_object(info);
    if let Ok(old) = doc.trailer.get(b"Info").and_then(Object::as_reference) {
        doc.objects.remove(&old);
    }
    doc.trailer.set("Info", Object::Reference(info_id));
    // Placeholder, replaced by a hash of the file in `set_id`.
    let placeholder = Object::String(vec![0; 16], StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![placeholder.clone(), placeholder]);
    Ok(())
}

/// The catalog's `/Names /EmbeddedFiles` tree: one file specification per
/// attachment, keys sorted as the tree requires.
fn embed_files(doc: &mut lopdf::Document, catalog_id: ObjectId, files: &[EmbeddedFile<'_>], date: &str) {
    if files.is_empty() {
        return;
    }
    let mut sorted: Vec<&EmbeddedFile<'_>> = files.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    let mut names = Vec::new();
    for f in sorted {
        let mut params = Dictionary::new();
        params.set("Size", Object::Integer(f.data.len() as i64));
        params.set(
            "ModDate",
            Object::String(date.as_bytes().to_vec(), StringFormat::Literal),
        );
        let mut sd = Dictionary::new();
        sd.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
        sd.set("Params", params);
        let stream_id = doc.add_object(lopdf::Stream::new(sd, f.data.to_vec()));
        let mut ef = Dictionary::new();
        ef.set("F", Object::Reference(stream_id));
        let mut spec = Dictionary::new();
        spec.set("Type", Object::Name(b"Filespec".to_vec()));
        spec.set("F", text_string(f.name));
        spec.set("UF", text_string(f.name));
        spec.set("Desc", text_string(&f.description));
        spec.set("EF", ef);
        let spec_id = doc.add_object(spec);
        names.push(text_string(&f.key));
        names.push(Object::Reference(spec_id));
    }
    let mut tree = Dictionary::new();
    tree.set("Names", names);
    let tree_id = doc.add_object(tree);
    if let Ok(Object::Dictionary(cat)) = doc.get_object_mut(catalog_id) {
        let mut dict = match cat.get(b"Names") {
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        dict.set("EmbeddedFiles", Object::Reference(tree_id));
        cat.set("Names", dict);
    }
}

fn build_outline(doc: &mut lopdf::Document, entries: &[OutlineEntry], page_ids: &[ObjectId]) -> ObjectId {
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| doc.new_object_id()).collect();
    // Parent of each entry: the nearest earlier entry with a smaller level.
    let parent: Vec<Option<usize>> = (0..entries.len())
        .map(|i| (0..i).rev().find(|&j| entries[j].level < entries[i].level))
        .collect();
    let children = |p: Option<usize>| -> Vec<usize> { (0..entries.len()).filter(|&i| parent[i] == p).collect() };
    let mut dicts: Vec<Dictionary> = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&e.title));
        d.set("Parent", Object::Reference(parent[i].map_or(root, |p| ids[p])));
        let page = page_ids.get(e.pos.page).copied().unwrap_or(page_ids[0]);
        d.set(
            "Dest",
            vec![
                Object::Reference(page),
                Object::Name(b"XYZ".to_vec()),
                0.into(),
                Object::Real(PAGE_H - e.pos.y + 6.0),
                Object::Null,
            ],
        );
        dicts.push(d);
    }
    let link = |dicts: &mut Vec<Dictionary>, kids: &[usize]| {
        for (k, &i) in kids.iter().enumerate() {
            if k > 0 {
                dicts[i].set("Prev", Object::Reference(ids[kids[k - 1]]));
            }
            if k + 1 < kids.len() {
                dicts[i].set("Next", Object::Reference(ids[kids[k + 1]]));
            }
        }
    };
    for i in 0..entries.len() {
        let kids = children(Some(i));
        link(&mut dicts, &kids);
        if let (Some(f), Some(l)) = (kids.first(), kids.last()) {
            dicts[i].set("First", Object::Reference(ids[*f]));
            dicts[i].set("Last", Object::Reference(ids[*l]));
            // Negative: closed by default; the top levels stay open.
            dicts[i].set("Count", -(kids.len() as i64));
        }
    }
    let top = children(None);
    link(&mut dicts, &top);
    for (i, d) in dicts.into_iter().enumerate() {
        doc.objects.insert(ids[i], Object::Dictionary(d));
    }
    let mut r = Dictionary::new();
    r.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(f), Some(l)) = (top.first(), top.last()) {
        r.set("First", Object::Reference(ids[*f]));
        r.set("Last", Object::Reference(ids[*l]));
    }
    r.set("Count", top.len() as i64);
    doc.objects.insert(root, Object::Dictionary(r));
    root
}

/// Replaces the placeholder /ID with the first 16 bytes of the file's
/// SHA-256: stable for the same content, different for different content.
fn set_id(out: &mut [u8]) {
    use sha2::Digest;
    let placeholder = format!("<{}>", "00".repeat(16));
    let Some(at) = out
        .windows(placeholder.len())
        .rposition(|w| w == placeholder.as_bytes())
    else {
        return;
    };
    let digest = sha2::Sha256::digest(&out[..]);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02X}")).collect();
    let new = format!("<{hex}>");
    out[at..at + new.len()].copy_from_slice(new.as_bytes());
    if let Some(first) = out[..at]
        .windows(placeholder.len())
        .rposition(|w| w == placeholder.as_bytes())
    {
        out[first..first + new.len()].copy_from_slice(new.as_bytes());
    }
}
