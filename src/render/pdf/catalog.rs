//! What a PDF has besides its pages: the nested outline, the embedded
//! files (the catalog's name tree, with the file specifications the pages'
//! attachment annotations point at), the document information, and the
//! /ID derived from the file's own hash, so the same input gives the same
//! bytes.

use super::deflate::Deflater;
use super::layout::{OutlineEntry, PAGE_H};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use std::collections::HashMap;

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
    /// Unique, and the order of the name tree: "item 03.01: thread.eml".
    /// A `Link::File` names it.
    pub key: String,
    pub name: &'a str,
    pub description: String,
    pub data: &'a [u8],
}

pub fn text_string(s: &str) -> Object {
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

/// The catalog's `/Names` entry with its `/EmbeddedFiles` tree: one file
/// specification per attachment, keys sorted as the tree requires; and the
/// specification of each key, for the attachment annotations.
pub fn embed_files(
    doc: &mut lopdf::Document,
    files: &[EmbeddedFile<'_>],
    date: &str,
    deflater: &Deflater,
) -> (Option<Dictionary>, HashMap<String, ObjectId>) {
    let mut specs = HashMap::new();
    if files.is_empty() {
        return (None, specs);
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
        let stream_id = doc.add_object(deflater.stream(sd, f.data.to_vec()));
        let mut ef = Dictionary::new();
        ef.set("F", Object::Reference(stream_id));
        let mut spec = Dictionary::new();
        spec.set("Type", Object::Name(b"Filespec".to_vec()));
        spec.set("F", text_string(f.name));
        spec.set("UF", text_string(f.name));
        spec.set("Desc", text_string(&f.description));
        spec.set("EF", ef);
        let spec_id = doc.add_object(spec);
        specs.insert(f.key.clone(), spec_id);
        names.push(text_string(&f.key));
        names.push(Object::Reference(spec_id));
    }
    let mut tree = Dictionary::new();
    tree.set("Names", names);
    let tree_id = doc.add_object(tree);
    let mut dict = Dictionary::new();
    dict.set("EmbeddedFiles", Object::Reference(tree_id));
    (Some(dict), specs)
}

pub fn build_outline(doc: &mut lopdf::Document, entries: &[OutlineEntry], page_ids: &[ObjectId]) -> ObjectId {
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

/// Replaces the placeholder /ID with the file's XXH3-128 hash: stable for
/// the same content, different for different content. The /ID identifies a
/// file and guards nothing, so a fast non-cryptographic hash fits (SHA-256
/// took 4% of a batch); the attachments' SHA-256 stay as they are.
pub fn set_id(out: &mut [u8]) {
    let placeholder = format!("<{}>", "00".repeat(16));
    let Some(at) = out
        .windows(placeholder.len())
        .rposition(|w| w == placeholder.as_bytes())
    else {
        return;
    };
    let digest = xxhash_rust::xxh3::xxh3_128(out).to_be_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02X}")).collect();
    let new = format!("<{hex}>");
    out[at..at + new.len()].copy_from_slice(new.as_bytes());
    if let Some(first) = out[..at]
        .windows(placeholder.len())
        .rposition(|w| w == placeholder.as_bytes())
    {
        out[first..first + new.len()].copy_from_slice(new.as_bytes());
    }
}

/// The document information dictionary.
pub fn info(meta: &Meta<'_>) -> Dictionary {
    let mut info = Dictionary::new();
    info.set("Title", text_string(meta.title));
    info.set("Author", text_string(meta.author));
    info.set("Subject", text_string(meta.subject));
    info.set("Keywords", text_string(meta.keywords));
    info.set("Creator", text_string("portfolio"));
    info.set(
        "Producer",
        text_string(&format!("portfolio {}", env!("CARGO_PKG_VERSION"))),
    );
    let date = Object::String(meta.date.clone().into_bytes(), StringFormat::Literal);
    info.set("CreationDate", date.clone());
    info.set("ModDate", date);
    info
}
