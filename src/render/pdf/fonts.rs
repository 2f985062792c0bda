//! The embedded typefaces, parsed once with ttf-parser: DejaVu Sans
//! (regular, bold, oblique) and DejaVu Sans Mono for the text, and a
//! fallback for the symbols, arrows and emoji DejaVu lacks (Symbola, cut
//! down to those characters by `fonts/make-fallback.sh`). A character is
//! drawn from the run's face, else DejaVu Sans, else the fallback; only what
//! none of them has becomes the visible [`PLACEHOLDER`].
//! Licences: fonts/LICENSE-DejaVu.txt (Bitstream Vera licence, DejaVu
//! changes in the public domain); fonts/LICENSE-Symbola.txt ("free for any
//! use").

use ttf_parser::GlyphId;

const REGULAR: &[u8] = include_bytes!("../../../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../fonts/DejaVuSans-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../../fonts/DejaVuSans-Oblique.ttf");
const MONO: &[u8] = include_bytes!("../../../fonts/DejaVuSansMono.ttf");
const FALLBACK: &[u8] = include_bytes!("../../../fonts/Symbola-fallback.ttf");

/// One of the four faces text is set in.
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

/// How many font files are embedded: the four faces and the fallback.
pub const FONT_COUNT: usize = 5;
/// The index of the fallback font among [`Fonts::font`].
pub const FALLBACK_FONT: usize = 4;

/// What stands for a character no embedded font can draw: a white square
/// (U+25A1), which every DejaVu face has. `check` warns `glyph-missing`.
pub const PLACEHOLDER: char = '\u{25A1}';

/// Characters that are never drawn and take no room: variation selectors
/// (the emoji presentation selector after ✅), joiners, the zero-width
/// space. Dropping them keeps the character they modify.
pub fn ignorable(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{E0100}'..='\u{E01EF}')
}

/// One parsed font file with the facts the PDF's font descriptor needs.
pub struct FontFile {
    pub bytes: &'static [u8],
    face: ttf_parser::Face<'static>,
    /// Glyph and advance (em) of U+0000..U+0100; `None` when the font lacks it.
    latin: Vec<Option<(u16, f32)>>,
    upem: f32,
    /// PostScript name, e.g. `DejaVuSans-Bold`.
    pub name: String,
    /// In thousandths of an em, as the PDF wants them.
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
    pub bbox: [f32; 4],
    pub italic_angle: f32,
    pub monospaced: bool,
}

impl FontFile {
    fn parse(bytes: &'static [u8]) -> Result<FontFile, String> {
        let face = ttf_parser::Face::parse(bytes, 0).map_err(|e| format!("cannot parse an embedded font: {e}"))?;
        let upem = f32::from(face.units_per_em().max(1));
        let k = 1000.0 / upem;
        let name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| "Font".to_string())
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>();
        let b = face.global_bounding_box();
        let mut font = FontFile {
            bytes,
            latin: Vec::new(),
            upem,
            name,
            ascent: f32::from(face.ascender()) * k,
            descent: f32::from(face.descender()) * k,
            cap_height: f32::from(face.capital_height().unwrap_or(face.ascender())) * k,
            bbox: [
                f32::from(b.x_min) * k,
                f32::from(b.y_min) * k,
                f32::from(b.x_max) * k,
                f32::from(b.y_max) * k,
            ],
            italic_angle: face.italic_angle(),
            monospaced: face.is_monospaced(),
            face,
        };
        font.latin = (0u8..=255).map(|b| font.lookup(char::from(b))).collect();
        Ok(font)
    }

    fn lookup(&self, c: char) -> Option<(u16, f32)> {
        let gid = self.face.glyph_index(c)?;
        if gid.0 == 0 {
            return None;
        }
        let adv = self.face.glyph_hor_advance(gid).unwrap_or(0);
        Some((gid.0, f32::from(adv) / self.upem))
    }

    /// The glyph of `c` and its advance in em, or `None` when the font lacks it.
    pub fn glyph(&self, c: char) -> Option<(u16, f32)> {
        match u8::try_from(u32::from(c)) {
            Ok(b) => self.latin[usize::from(b)],
            Err(_) => self.lookup(c),
        }
    }

    /// Advance of glyph `gid` in thousandths of an em (the PDF's /W).
    pub fn width_of_glyph(&self, gid: u16) -> f32 {
        f32::from(self.face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0)) * 1000.0 / self.upem
    }

    /// Whether the font can draw `c`.
    pub fn has(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }
}

/// Where a character is drawn from: a font (index into [`Fonts::font`]),
/// its glyph there, and its advance in em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub font: usize,
    pub gid: u16,
    pub advance: f32,
}

/// The five font files, parsed once (a millisecond or two) and shared by
/// every document rendered afterwards.
pub struct Fonts {
    files: Vec<FontFile>,
}

impl Fonts {
    /// Parses the embedded fonts.
    pub fn load() -> Result<Fonts, String> {
        let files = [REGULAR, BOLD, ITALIC, MONO, FALLBACK]
            .into_iter()
            .map(FontFile::parse)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Fonts { files })
    }

    /// Font file `i` (a [`Face`] as usize, or [`FALLBACK_FONT`]).
    pub fn font(&self, i: usize) -> &FontFile {
        &self.files[i.min(FONT_COUNT - 1)]
    }

    /// The font file of a face.
    pub fn face(&self, f: Face) -> &FontFile {
        &self.files[f as usize]
    }

    /// Where `c` set in `face` is drawn from: the face itself, else DejaVu
    /// Sans, else the fallback; `None` when no embedded font has it.
    pub fn resolve(&self, face: Face, c: char) -> Option<Glyph> {
        [face as usize, Face::Regular as usize, FALLBACK_FONT]
            .into_iter()
            .find_map(|font| {
                let (gid, advance) = self.files[font].glyph(c)?;
                Some(Glyph { font, gid, advance })
            })
    }

    /// What `c` is drawn as in `face`: its glyph, or the [`PLACEHOLDER`]'s.
    pub fn resolve_or_placeholder(&self, face: Face, c: char) -> Glyph {
        self.resolve(face, c)
            .or_else(|| self.resolve(face, PLACEHOLDER))
            .unwrap_or(Glyph {
                font: face as usize,
                gid: 0,
                advance: 0.5,
            })
    }

    /// Whether some embedded font can draw `c`.
    pub fn can_draw(&self, c: char) -> bool {
        ignorable(c) || self.resolve(Face::Regular, c).is_some()
    }

    /// Width of `text` set in `face` at `size` points, as it will be drawn:
    /// fallback glyphs at their own advance, what no font has as the
    /// [`PLACEHOLDER`], ignorable characters as nothing.
    pub fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let fd = self.face(face);
        let mut em = 0.0;
        for c in text.chars() {
            em += match fd.glyph(c) {
                _ if ignorable(c) => 0.0,
                Some((_, adv)) => adv,
                None => self.resolve_or_placeholder(face, c).advance,
            };
        }
        em * size
    }

    /// `text` as it will be drawn in `face`: every character no embedded
    /// font can draw replaced by a visible [`PLACEHOLDER`] (never a `?`
    /// that reads as the learner's own), ignorable characters dropped,
    /// control characters as spaces.
    pub fn drawable<'t>(&self, face: Face, text: &'t str) -> std::borrow::Cow<'t, str> {
        let fd = self.face(face);
        // Most text is drawable as it stands: no copy.
        if text.chars().all(|c| c == '\n' || (!ignorable(c) && fd.has(c))) {
            return std::borrow::Cow::Borrowed(text);
        }
        text.chars()
            .filter_map(|c| {
                if ignorable(c) {
                    None
                } else if c == '\n' || fd.has(c) {
                    Some(c)
                } else if c.is_control() {
                    Some(' ')
                } else if self.resolve(face, c).is_some() {
                    Some(c)
                } else {
                    Some(PLACEHOLDER)
                }
            })
            .collect::<String>()
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_no_font_has_becomes_a_visible_placeholder() {
        let f = Fonts::load().unwrap();
        for face in Face::ALL {
            assert_eq!(f.drawable(face, "aあb"), "a\u{25A1}b", "{face:?}");
        }
        assert_eq!(f.drawable(Face::Regular, "ŵŷ łżś αβγ"), "ŵŷ łżś αβγ");
    }

    #[test]
    fn symbols_and_emoji_come_from_the_fallback() {
        let f = Fonts::load().unwrap();
        for c in ['✅', '😀', '👍', '✔', '★', '☎', '→'] {
            assert!(f.can_draw(c), "{c}");
            assert_eq!(f.drawable(Face::Bold, &c.to_string()), c.to_string(), "{c}");
        }
        // ✅ is not in DejaVu: it is drawn from the fallback.
        assert_eq!(f.resolve(Face::Regular, '✅').map(|g| g.font), Some(FALLBACK_FONT));
        // The emoji presentation selector is dropped, not squared.
        assert_eq!(f.drawable(Face::Regular, "✅\u{FE0F} done"), "✅ done");
        // Mono lacks some of what Sans has: Sans draws it.
        let g = f.resolve(Face::Mono, 'ŵ').unwrap();
        assert!(g.font == Face::Mono as usize || g.font == Face::Regular as usize);
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
        // A fallback glyph has its own width; an ignorable has none.
        assert!(f.width(Face::Regular, 10.0, "✅") > 1.0);
        assert_eq!(f.width(Face::Regular, 10.0, "\u{FE0F}"), 0.0);
    }
}
