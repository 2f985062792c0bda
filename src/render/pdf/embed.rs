//! The fonts a document uses, as PDF objects: for each font with glyphs in
//! use, a subset of the font file (the `subsetter` crate, as typst uses,
//! rather than subsetting by hand) embedded as a Type 0 font with
//! Identity-H encoding, its widths, and a ToUnicode map so that the text
//! extracts as the learner wrote it.

use super::PdfError;
use super::content::{FontUse, Used};
use super::deflate::Deflater;
use super::fonts::Fonts;
use lopdf::{Dictionary, Object, ObjectId};
use std::fmt::Write;

/// A six-letter subset tag derived from the glyphs a subset holds.
fn subset_tag(font: usize, used: &FontUse) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update([font as u8]);
    for g in used.remapper.remapped_gids() {
        h.update(g.to_le_bytes());
    }
    h.finalize().iter().take(6).map(|b| char::from(b'A' + b % 26)).collect()
}

/// Adds every used font to `doc`; returns the `/Font` resource dictionary
/// (`/F0` … `/F4`, the index as in [`Fonts::font`]).
pub fn fonts(
    doc: &mut lopdf::Document,
    fonts: &Fonts,
    used: &Used,
    deflater: &Deflater,
) -> Result<Dictionary, PdfError> {
    let mut resources = Dictionary::new();
    for (i, u) in used.fonts.iter().enumerate() {
        if !u.is_used() {
            continue;
        }
        let file = fonts.font(i);
        let program = subsetter::subset(file.bytes, 0, &u.remapper)
            .map_err(|e| PdfError::Fonts(format!("cannot subset {}: {e:?}", file.name)))?;
        let base = format!("{}+{}", subset_tag(i, u), file.name);

        let mut program_dict = Dictionary::new();
        program_dict.set("Length1", program.len() as i64);
        let program_id = doc.add_object(deflater.stream(program_dict, program));
        let mut descriptor = Dictionary::new();
        descriptor.set("Type", Object::Name(b"FontDescriptor".to_vec()));
        descriptor.set("FontName", Object::Name(base.clone().into_bytes()));
        // Nonsymbolic (32), fixed pitch (1) for the mono face.
        descriptor.set("Flags", if file.monospaced { 33 } else { 32 });
        descriptor.set(
            "FontBBox",
            file.bbox.iter().map(|v| Object::Real(*v)).collect::<Vec<_>>(),
        );
        descriptor.set("ItalicAngle", Object::Real(file.italic_angle));
        descriptor.set("Ascent", Object::Real(file.ascent));
        descriptor.set("Descent", Object::Real(file.descent));
        descriptor.set("CapHeight", Object::Real(file.cap_height));
        descriptor.set("StemV", 80);
        descriptor.set("FontFile2", Object::Reference(program_id));
        let descriptor_id = doc.add_object(descriptor);

        // Widths of CIDs 0..n, in one run.
        let widths: Vec<Object> = u
            .remapper
            .remapped_gids()
            .map(|g| Object::Integer(file.width_of_glyph(g).round() as i64))
            .collect();
        let mut system = Dictionary::new();
        system.set("Registry", Object::string_literal("Adobe"));
        system.set("Ordering", Object::string_literal("Identity"));
        system.set("Supplement", 0);
        let mut cid_font = Dictionary::new();
        cid_font.set("Type", Object::Name(b"Font".to_vec()));
        cid_font.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
        cid_font.set("BaseFont", Object::Name(base.clone().into_bytes()));
        cid_font.set("CIDSystemInfo", system);
        cid_font.set("FontDescriptor", Object::Reference(descriptor_id));
        cid_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
        cid_font.set("W", vec![Object::Integer(0), Object::Array(widths)]);
        let cid_font_id = doc.add_object(cid_font);

        let to_unicode_id = doc.add_object(deflater.stream(Dictionary::new(), to_unicode(u).into_bytes()));
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"Type0".to_vec()));
        font.set("BaseFont", Object::Name(base.into_bytes()));
        font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        font.set("DescendantFonts", vec![Object::Reference(cid_font_id)]);
        font.set("ToUnicode", Object::Reference(to_unicode_id));
        let font_id: ObjectId = doc.add_object(font);
        resources.set(format!("F{i}"), Object::Reference(font_id));
    }
    Ok(resources)
}

/// The CMap from CIDs to the characters they were used for.
fn to_unicode(u: &FontUse) -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let pairs: Vec<(usize, char)> = u
        .text
        .iter()
        .enumerate()
        .filter_map(|(cid, c)| c.map(|c| (cid, c)))
        .collect();
    // At most 100 entries per block, as the CMap format requires.
    for block in pairs.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", block.len());
        for (cid, c) in block {
            let mut units = [0u16; 2];
            let hex: String = c.encode_utf16(&mut units).iter().map(|u| format!("{u:04X}")).collect();
            let _ = writeln!(s, "<{cid:04X}> <{hex}>");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}
