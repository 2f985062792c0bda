//! The fonts a document uses, as PDF objects: for each font with glyphs in
//! use, a subset of the font file (the `subsetter` crate, the typst team's,
//! rather than subsetting by hand) embedded as a Type 0 font with
//! Identity-H encoding, its widths (the font's own advances, as PDF/A
//! checks) and a ToUnicode map (pdf-writer's `UnicodeCmap`), so that the
//! text extracts, and reads aloud, as the learner wrote it.

use super::PdfError;
use super::content::{FontUse, Used};
use super::deflate::deflate;
use super::fonts::Fonts;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Chunk, Filter, Finish, Name, Rect, Ref, Str};

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

/// The name of font `i` in the pages' resources: `F0` … `F4`, the index as
/// in [`Fonts::font`].
pub fn resource_name(i: usize) -> String {
    format!("F{i}")
}

/// Writes every used font into `chunk`, each object numbered by `alloc`;
/// returns `(index, font object)` for the resource dictionary.
pub fn fonts(
    chunk: &mut Chunk,
    alloc: &mut impl FnMut() -> Ref,
    fonts: &Fonts,
    used: &Used,
) -> Result<Vec<(usize, Ref)>, PdfError> {
    let mut out = Vec::new();
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    for (i, u) in used.fonts.iter().enumerate() {
        if !u.is_used() {
            continue;
        }
        let file = fonts.font(i);
        let program = subsetter::subset(file.bytes, 0, &u.remapper)
            .map_err(|e| PdfError::Fonts(format!("cannot subset {}: {e:?}", file.name)))?;
        let base = format!("{}+{}", subset_tag(i, u), file.name);
        let (font_id, cid_id, descriptor_id, program_id, cmap_id) = (alloc(), alloc(), alloc(), alloc(), alloc());

        let z = deflate(&program);
        chunk
            .stream(program_id, &z)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), program.len() as i32);

        let mut flags = FontFlags::SYMBOLIC;
        if file.monospaced {
            flags |= FontFlags::FIXED_PITCH;
        }
        if file.italic_angle != 0.0 {
            flags |= FontFlags::ITALIC;
        }
        let [x0, y0, x1, y1] = file.bbox;
        chunk
            .font_descriptor(descriptor_id)
            .name(Name(base.as_bytes()))
            .flags(flags)
            .bbox(Rect::new(x0, y0, x1, y1))
            .italic_angle(file.italic_angle)
            .ascent(file.ascent)
            .descent(file.descent)
            .cap_height(file.cap_height)
            .stem_v(80.0)
            .font_file2(program_id);

        let mut cid = chunk.cid_font(cid_id);
        cid.subtype(CidFontType::Type2)
            .base_font(Name(base.as_bytes()))
            .system_info(system)
            .font_descriptor(descriptor_id)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        // Widths of CIDs 0..n, in one run, exactly as the font has them (in
        // thousandths of an em): glyphs land where the layout measured them.
        cid.widths()
            .consecutive(0, u.remapper.remapped_gids().map(|g| file.width_of_glyph(g)));
        cid.finish();

        let mut cmap = UnicodeCmap::new(Name(b"Adobe-Identity-UCS"), system);
        for (g, c) in u.text.iter().enumerate() {
            if let (Some(c), Ok(g)) = (c, u16::try_from(g)) {
                cmap.pair(g, *c);
            }
        }
        let cmap = deflate(&cmap.finish());
        chunk.cmap(cmap_id, &cmap).filter(Filter::FlateDecode);

        chunk
            .type0_font(font_id)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_id)
            .to_unicode(cmap_id);
        out.push((i, font_id));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fonts::Face;
    use crate::render::pdf::layout::structure::Mark;
    use crate::render::pdf::layout::{Draw, Page, Style};

    /// Each CID's width in `/W` is the font's own advance, unrounded: the
    /// glyphs land where the layout measured them.
    #[test]
    fn widths_are_the_fonts_own_advances() {
        let fonts = Fonts::load().unwrap();
        let mut used = Used::new();
        let page = Page {
            draws: vec![Draw::Text {
                x: 60.0,
                y: 60.0,
                style: Style::new(Face::Regular, 10.0),
                text: "Handover ij".into(),
            }],
            marks: vec![Mark::Content(1)],
            running: false,
        };
        super::super::content::page(&fonts, &page, &mut used, &|_, _, _| None);
        let mut chunk = Chunk::new();
        let mut n = 0;
        let mut alloc = || {
            n += 1;
            Ref::new(n)
        };
        let out = super::fonts(&mut chunk, &mut alloc, &fonts, &used).unwrap();
        assert_eq!(out.len(), 1, "one font used");
        let text = String::from_utf8_lossy(chunk.as_bytes()).to_string();
        let w = text.split("/W [0 [").nth(1).unwrap().split(']').next().unwrap();
        let got: Vec<f32> = w.split_whitespace().map(|v| v.parse().unwrap()).collect();
        let file = fonts.font(0);
        let want: Vec<f32> = used.fonts[0]
            .remapper
            .remapped_gids()
            .map(|g| file.width_of_glyph(g))
            .collect();
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 0.01, "{got:?} vs {want:?}");
        }
        assert!(
            want.iter().any(|w| w.fract().abs() > 0.01),
            "some of DejaVu's advances are not whole thousandths of an em"
        );
    }
}
