//! The embedded typeface (DejaVu Sans: regular, bold, oblique; DejaVu Sans
//! Mono for code), parsed once, with glyph advances for measuring text.
//! Licence: fonts/LICENSE-DejaVu.txt (Bitstream Vera licence, DejaVu changes
//! in the public domain).

use printpdf::ParsedFont;

const REGULAR: &[u8] = include_bytes!("../../../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../fonts/DejaVuSans-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../../fonts/DejaVuSans-Oblique.ttf");
const MONO: &[u8] = include_bytes!("../../../fonts/DejaVuSansMono.ttf");

/// One of the four faces the renderer uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular = 0,
    Bold = 1,
    Italic = 2,
    Mono = 3,
}

impl Face {
    pub const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::Mono];

    /// The face for a combination of emphasis flags. Bold italic is set bold:
    /// the family is embedded without a bold-oblique face.
    pub fn styled(bold: bool, italic: bool, code: bool) -> Face {
        match (code, bold, italic) {
            (true, _, _) => Face::Mono,
            (false, true, _) => Face::Bold,
            (false, false, true) => Face::Italic,
            _ => Face::Regular,
        }
    }
}

/// A parsed face with its advances in em units.
pub struct FaceData {
    pub font: ParsedFont,
    /// Advance (em) of U+0000..U+0100; `None` when the font lacks the glyph.
    latin: Vec<Option<f32>>,
    upem: f32,
    /// Ascender and descender, em (descender negative).
    pub ascent: f32,
    pub descent: f32,
}

impl FaceData {
    fn parse(bytes: &[u8]) -> Result<FaceData, String> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| format!("cannot parse the embedded font: {warnings:?}"))?;
        let upem = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        let ascent = font.font_metrics.ascent / upem;
        let descent = font.font_metrics.descent / upem;
        let mut face = FaceData {
            font,
            latin: Vec::new(),
            upem,
            ascent,
            descent,
        };
        face.latin = (0u32..256).map(|cp| face.lookup(cp)).collect();
        Ok(face)
    }

    fn lookup(&self, cp: u32) -> Option<f32> {
        let gid = self.font.lookup_glyph_index(cp)?;
        if gid == 0 {
            return None;
        }
        Some(f32::from(self.font.get_horizontal_advance(gid)) / self.upem)
    }

    /// The advance of `c` in em, or `None` when the face has no glyph for it.
    pub fn advance(&self, c: char) -> Option<f32> {
        let cp = c as u32;
        if cp < 256 {
            self.latin[cp as usize]
        } else {
            self.lookup(cp)
        }
    }

    /// Whether the face can draw `c`.
    pub fn has(&self, c: char) -> bool {
        self.advance(c).is_some()
    }
}

/// What stands for a character no embedded font can draw: a white square
/// (U+25A1), which every DejaVu face has. `check` warns `glyph-missing`.
pub const PLACEHOLDER: char = '\u{25A1}';

/// The four faces, parsed once (a few milliseconds) and shared by every
/// document rendered afterwards.
pub struct Fonts {
    faces: [FaceData; 4],
}

impl Fonts {
    /// Parses the embedded fonts.
    pub fn load() -> Result<Fonts, String> {
        Ok(Fonts {
            faces: [
                FaceData::parse(REGULAR)?,
                FaceData::parse(BOLD)?,
                FaceData::parse(ITALIC)?,
                FaceData::parse(MONO)?,
            ],
        })
    }

    pub fn face(&self, f: Face) -> &FaceData {
        &self.faces[f as usize]
    }

    /// Width of `text` set in `face` at `size` points. Characters the face
    /// lacks are measured as the [`PLACEHOLDER`] that replaces them.
    pub fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let fd = self.face(face);
        let q = fd.advance(PLACEHOLDER).or(fd.advance('?')).unwrap_or(0.5);
        text.chars().map(|c| fd.advance(c).unwrap_or(q)).sum::<f32>() * size
    }

    /// `text` with every character `face` cannot draw replaced by a visible
    /// [`PLACEHOLDER`] (never a `?` that reads as the learner's own), so that
    /// nothing is silently dropped; control characters become spaces.
    pub fn drawable(&self, face: Face, text: &str) -> String {
        let fd = self.face(face);
        text.chars()
            .map(|c| {
                if c == '\n' || fd.has(c) {
                    c
                } else if c.is_control() {
                    ' '
                } else if fd.has(PLACEHOLDER) {
                    PLACEHOLDER
                } else {
                    '?'
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_glyphs_become_a_visible_placeholder() {
        let f = Fonts::load().unwrap();
        for face in Face::ALL {
            assert_eq!(f.drawable(face, "a中b"), "a\u{25A1}b", "{face:?}");
        }
        assert_eq!(f.drawable(Face::Regular, "ŵŷ łżś αβγ"), "ŵŷ łżś αβγ");
    }

    #[test]
    fn widths_come_from_the_font() {
        let f = Fonts::load().unwrap();
        let i = f.width(Face::Regular, 10.0, "iiii");
        let m = f.width(Face::Regular, 10.0, "MMMM");
        assert!(m > i * 2.0, "{m} vs {i}");
        assert!(f.width(Face::Bold, 10.0, "Hello") > f.width(Face::Regular, 10.0, "Hello"));
        // DejaVu Sans: the space is 651/2048 em.
        assert!((f.width(Face::Regular, 2048.0, " ") - 651.0).abs() < 0.5);
    }
}
