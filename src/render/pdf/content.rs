//! One laid-out page to a PDF content stream, written directly: fills and
//! rules first (one layout artifact), then images, then the text in
//! reading order, each run of one element's text (a paragraph's lines on
//! this page) one marked-content sequence with its MCID, running headers
//! and footers as pagination artifacts. Text is `Tj` runs of two-byte
//! glyph ids in literal strings. Each character is drawn from the font
//! [`Fonts::resolve`] picks, so a run switches font for an emoji and back.
//! The glyphs used are recorded per font ([`Used`]) for subsetting and the
//! ToUnicode maps; the MCID of each draw that starts a marked sequence is
//! returned for the structure tree.

use super::fonts::{FONT_COUNT, Face, Fonts, PLACEHOLDER, ignorable};
use super::layout::structure::{Artifact, Mark};
use super::layout::{Draw, PAGE_H, Page, Rgb};
use std::io::Write;
use subsetter::GlyphRemapper;

/// The glyphs one font draws in the document: the remapping to the
/// subset's glyph ids (which are the CIDs in the content streams) and the
/// text each new id stands for.
pub struct FontUse {
    pub remapper: GlyphRemapper,
    /// Indexed by new glyph id: the character it was first used for.
    pub text: Vec<Option<char>>,
    /// Indexed by the font's glyph id: its new id, 0 until used (a cache in
    /// front of the remapper's hash map, as every glyph drawn asks).
    by_gid: Vec<u16>,
}

impl FontUse {
    fn new() -> FontUse {
        FontUse {
            remapper: GlyphRemapper::new(),
            text: vec![None],
            by_gid: Vec::new(),
        }
    }

    fn cid(&mut self, gid: u16, c: char) -> u16 {
        if let Some(&cid) = self.by_gid.get(usize::from(gid))
            && cid != 0
        {
            return cid;
        }
        let cid = self.remapper.remap(gid);
        if gid != 0 {
            let g = usize::from(gid);
            if g >= self.by_gid.len() {
                self.by_gid.resize((g + 1).max(1024), 0);
            }
            self.by_gid[g] = cid;
        }
        let i = usize::from(cid);
        if i >= self.text.len() {
            self.text.resize(i + 1, None);
        }
        if self.text[i].is_none() {
            self.text[i] = Some(c);
        }
        cid
    }

    /// Whether any glyph but `.notdef` is used.
    pub fn is_used(&self) -> bool {
        self.remapper.num_gids() > 1
    }
}

/// The glyphs used in a document.
pub struct Used {
    /// Per font, indexed as [`Fonts::font`].
    pub fonts: Vec<FontUse>,
    /// The CID of each ASCII character per face once drawn from the face's
    /// own font (0: not yet), so that most characters skip the font lookup.
    ascii: [[u16; 128]; 4],
}

impl Used {
    pub fn new() -> Used {
        Used {
            fonts: (0..FONT_COUNT).map(|_| FontUse::new()).collect(),
            ascii: [[0; 128]; 4],
        }
    }

    /// The font and CID `c` is drawn with in `face`.
    fn glyph(&mut self, fonts: &Fonts, face: Face, c: char) -> (usize, u16) {
        let ascii = usize::try_from(u32::from(c)).ok().filter(|&a| a < 128);
        if let Some(a) = ascii {
            let cid = self.ascii[face as usize][a];
            if cid != 0 {
                return (face as usize, cid);
            }
        }
        // What no font has is drawn, and read back, as the placeholder:
        // two such characters share its glyph, so its text must be its own.
        let (c, g) = match fonts.resolve(face, c) {
            Some(g) => (c, g),
            None => (PLACEHOLDER, fonts.resolve_or_placeholder(face, PLACEHOLDER)),
        };
        let cid = self.fonts[g.font].cid(g.gid, c);
        if let Some(a) = ascii
            && g.font == face as usize
        {
            self.ascii[face as usize][a] = cid;
        }
        (g.font, cid)
    }
}

/// Appends `v` with at most two decimals, no exponent, no trailing zeros.
pub fn num(out: &mut Vec<u8>, v: f32) {
    let v = if v.is_finite() { v } else { 0.0 };
    let hundredths = (f64::from(v) * 100.0).round() as i64;
    if hundredths < 0 {
        out.push(b'-');
    }
    let a = hundredths.unsigned_abs();
    uint(out, a / 100);
    let frac = a % 100;
    if frac != 0 {
        out.push(b'.');
        out.push(b'0' + (frac / 10) as u8);
        if !frac.is_multiple_of(10) {
            out.push(b'0' + (frac % 10) as u8);
        }
    }
}

/// Appends the decimal digits of `v`.
fn uint(out: &mut Vec<u8>, mut v: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

fn nums(out: &mut Vec<u8>, vs: &[f32], op: &[u8]) {
    for v in vs {
        num(out, *v);
        out.push(b' ');
    }
    out.extend_from_slice(op);
    out.push(b'\n');
}

fn color(out: &mut Vec<u8>, c: Rgb) {
    nums(out, &[c.0, c.1, c.2], b"rg");
}

/// Opens the marked sequence of an artifact.
fn begin_artifact(out: &mut Vec<u8>, a: Artifact) {
    out.extend_from_slice(match a {
        Artifact::Header => b"/Artifact <</Type /Pagination /Subtype /Header>> BDC\n".as_slice(),
        Artifact::Footer => b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n",
        Artifact::Layout => b"/Artifact <</Type /Layout>> BDC\n",
    });
}

/// Opens a marked sequence of content with its MCID.
fn begin_content(out: &mut Vec<u8>, tag: &[u8], mcid: i32) {
    out.push(b'/');
    out.extend_from_slice(tag);
    out.extend_from_slice(b" <</MCID ");
    uint(out, u64::from(mcid.unsigned_abs()));
    out.extend_from_slice(b">> BDC\n");
}

/// A page's content stream and the MCID of each draw that starts a marked
/// sequence of content (`None` for artifacts, continuations and links).
pub struct PageContent {
    pub stream: Vec<u8>,
    pub mcids: Vec<Option<i32>>,
}

/// How image `i` is drawn in a box `w`×`h`, or `None` when it was not
/// embedded: the size to draw its stored pixels at and the transform that
/// turns them upright ([`super::images::Image::placement`]).
pub type Placement<'a> = &'a dyn Fn(usize, f32, f32) -> Option<((f32, f32), [f32; 6])>;

/// The content stream of `page`; image `i` is `/Im{i}`.
pub fn page(fonts: &Fonts, page: &Page, used: &mut Used, placement: Placement<'_>) -> PageContent {
    let mut out = Vec::with_capacity(8192);
    let mut mcids = vec![None; page.draws.len()];
    let mut next_mcid = 0i32;
    let mark = |i: usize| page.marks.get(i).copied().unwrap_or(Mark::Artifact(Artifact::Layout));
    let mut fill: Option<Rgb> = None;
    let mut in_artifact = false;
    for d in &page.draws {
        let (c, x, bottom, w, h) = match d {
            Draw::Rect { x, y, w, h, fill } => (*fill, *x, PAGE_H - y - h, *w, *h),
            Draw::HLine {
                x1,
                x2,
                y,
                width,
                color,
            } => (*color, *x1, PAGE_H - y - width / 2.0, x2 - x1, *width),
            Draw::VLine {
                x,
                y1,
                y2,
                width,
                color,
            } => (*color, x - width / 2.0, PAGE_H - y2, *width, y2 - y1),
            _ => continue,
        };
        if !in_artifact {
            begin_artifact(&mut out, Artifact::Layout);
            in_artifact = true;
        }
        if fill != Some(c) {
            color(&mut out, c);
            fill = Some(c);
        }
        nums(&mut out, &[x, bottom, w, h], b"re f");
    }
    if in_artifact {
        out.extend_from_slice(b"EMC\n");
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
        let Some(((sw, sh), [sx, ky, kx, sy, tx, ty])) = placement(*index, *w, *h) else {
            continue;
        };
        match mark(i) {
            Mark::Content(_) | Mark::Continues(_) => {
                mcids[i] = Some(next_mcid);
                begin_content(&mut out, b"Figure", next_mcid);
                next_mcid += 1;
            }
            Mark::Artifact(a) => begin_artifact(&mut out, a),
        }
        out.extend_from_slice(b"q\n");
        // A slice of an image split over pages: only the clip is painted.
        if let Some((cx, cy, cw, ch)) = clip {
            nums(&mut out, &[*cx, PAGE_H - cy - ch, *cw, *ch], b"re W n");
        }
        // The stored pixels (u right, v down, `sw`×`sh`) land at
        // (x + sx·u + kx·v + tx, y + ky·u + sy·v + ty) top-down; the image's
        // unit square has its top row at 1 and y up.
        nums(
            &mut out,
            &[
                sx * sw,
                -ky * sw,
                -kx * sh,
                sy * sh,
                x + tx + kx * sh,
                PAGE_H - y - ty - sy * sh,
            ],
            b"cm",
        );
        let _ = writeln!(out, "/Im{index} Do\nQ\nEMC");
    }
    text(fonts, page, used, &mut out, &mut mcids, &mut next_mcid, &mut fill);
    PageContent { stream: out, mcids }
}

/// The page's text: each marked sequence one text object.
fn text(
    fonts: &Fonts,
    page: &Page,
    used: &mut Used,
    out: &mut Vec<u8>,
    mcids: &mut [Option<i32>],
    next_mcid: &mut i32,
    fill: &mut Option<Rgb>,
) {
    let mark = |i: usize| page.marks.get(i).copied().unwrap_or(Mark::Artifact(Artifact::Layout));
    let mut font: Option<(usize, f32)> = None;
    let mut open: Option<Mark> = None;
    for (i, d) in page.draws.iter().enumerate() {
        let Draw::Text { x, y, style, text } = d else { continue };
        let m = mark(i);
        let continues = matches!((m, open), (Mark::Continues(n), Some(Mark::Content(o))) if n == o)
            || matches!((m, open), (Mark::Artifact(a), Some(Mark::Artifact(b))) if a == b);
        if !continues {
            if open.take().is_some() {
                out.extend_from_slice(b"ET\nEMC\n");
            }
            match m {
                Mark::Content(n) => {
                    mcids[i] = Some(*next_mcid);
                    begin_content(out, b"Span", *next_mcid);
                    *next_mcid += 1;
                    open = Some(Mark::Content(n));
                }
                // A continuation whose start is not open: outside the
                // structure (it cannot happen: the start is the text just
                // before it on the page).
                Mark::Continues(_) => {
                    begin_artifact(out, Artifact::Layout);
                    open = Some(Mark::Artifact(Artifact::Layout));
                }
                Mark::Artifact(a) => {
                    begin_artifact(out, a);
                    open = Some(m);
                }
            }
            out.extend_from_slice(b"BT\n");
        }
        if text.is_empty() {
            continue;
        }
        if *fill != Some(style.color) {
            color(out, style.color);
            *fill = Some(style.color);
        }
        nums(out, &[1.0, 0.0, 0.0, 1.0, *x, PAGE_H - y], b"Tm");
        show(fonts, style.face, style.size, text, used, &mut font, out);
    }
    if open.is_some() {
        out.extend_from_slice(b"ET\nEMC\n");
    }
}

/// `(…) Tj` for `text`, switching font where a character comes from
/// another one.
fn show(
    fonts: &Fonts,
    face: Face,
    size: f32,
    text: &str,
    used: &mut Used,
    current: &mut Option<(usize, f32)>,
    out: &mut Vec<u8>,
) {
    let mut open = false;
    for c in text.chars() {
        if ignorable(c) || c == '\n' {
            continue;
        }
        let c = if c.is_control() { ' ' } else { c };
        let (font, cid) = used.glyph(fonts, face, c);
        if *current != Some((font, size)) {
            if open {
                out.extend_from_slice(b") Tj\n");
                open = false;
            }
            out.extend_from_slice(b"/F");
            uint(out, font as u64);
            out.push(b' ');
            nums(out, &[size], b"Tf");
            *current = Some((font, size));
        }
        if !open {
            out.push(b'(');
            open = true;
        }
        // Two bytes per glyph in a literal string: half the bytes of hex,
        // so half the deflating. `(`, `)`, `\\` and line ends are escaped.
        for b in cid.to_be_bytes() {
            match b {
                b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\n' => out.extend_from_slice(b"\\n"),
                _ => out.push(b),
            }
        }
    }
    if open {
        out.extend_from_slice(b") Tj\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::layout::Style;

    fn s(v: f32) -> String {
        let mut o = Vec::new();
        num(&mut o, v);
        String::from_utf8(o).unwrap()
    }

    #[test]
    fn numbers_are_short_and_exact_to_a_hundredth() {
        assert_eq!(s(0.0), "0");
        assert_eq!(s(12.0), "12");
        assert_eq!(s(12.5), "12.5");
        assert_eq!(s(-3.456), "-3.46");
        assert_eq!(s(0.05), "0.05");
        assert_eq!(s(f32::NAN), "0");
        assert_eq!(s(-0.001), "0");
    }

    /// A slice of an image is drawn inside its clip, the clip set after
    /// the state is saved and gone when it is restored.
    #[test]
    fn a_clipped_image_paints_only_its_slice() {
        let fonts = Fonts::load().unwrap();
        let draw = |clip| Page {
            draws: vec![Draw::Image {
                index: 3,
                x: 50.0,
                y: -600.0,
                w: 400.0,
                h: 2000.0,
                clip,
            }],
            marks: vec![Mark::Content(1)],
            running: true,
        };
        let upright = |_: usize, w: f32, h: f32| Some(((w, h), [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]));
        let text =
            |page: &Page| String::from_utf8(super::page(&fonts, page, &mut Used::new(), &upright).stream).unwrap();
        let sliced = text(&draw(Some((50.0, 70.0, 400.0, 700.0))));
        let clip = format!("50 {} 400 700 re W n\n", s(PAGE_H - 770.0));
        let at = sliced.find(&clip).expect(&sliced);
        assert!(
            sliced.starts_with("/Figure <</MCID 0>> BDC\nq\n") && at < sliced.find(" cm").unwrap(),
            "{sliced}"
        );
        assert!(sliced.contains("/Im3 Do\nQ\nEMC"), "{sliced}");
        assert!(!text(&draw(None)).contains(" re W n"));
    }

    /// Each run of one element's text is one marked sequence with its own
    /// MCID; the lines that continue it add none; artifacts have none.
    #[test]
    fn marked_sequences_follow_the_marks() {
        let fonts = Fonts::load().unwrap();
        let t = |s: &str| Draw::Text {
            x: 10.0,
            y: 10.0,
            style: Style::new(Face::Regular, 10.0),
            text: s.to_string(),
        };
        let page = Page {
            draws: vec![t("head"), t("one"), t("two"), t("three"), t("foot")],
            marks: vec![
                Mark::Artifact(Artifact::Header),
                Mark::Content(4),
                Mark::Continues(4),
                Mark::Content(5),
                Mark::Artifact(Artifact::Footer),
            ],
            running: true,
        };
        let c = super::page(&fonts, &page, &mut Used::new(), &|_, _, _| None);
        assert_eq!(c.mcids, vec![None, Some(0), None, Some(1), None]);
        let s = String::from_utf8_lossy(&c.stream);
        assert_eq!(s.matches("BDC").count(), 4, "{s}");
        assert_eq!(s.matches("EMC").count(), 4, "{s}");
        assert_eq!(s.matches("BT\n").count(), s.matches("ET\n").count());
        assert!(s.contains("/Artifact <</Type /Pagination /Subtype /Header>> BDC"));
        assert!(s.contains("/Span <</MCID 1>> BDC"));
    }

    #[test]
    fn an_emoji_switches_to_the_fallback_font_and_back() {
        let fonts = Fonts::load().unwrap();
        let mut used = Used::new();
        let mut out = Vec::new();
        let mut cur = None;
        show(
            &fonts,
            Face::Regular,
            10.0,
            "ok ✅\u{FE0F} done",
            &mut used,
            &mut cur,
            &mut out,
        );
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("Tf").count(), 3, "{text}");
        assert!(text.contains("/F4 10 Tf"), "{text}");
        assert!(used.fonts[4].is_used());
        // Every character has its text for the ToUnicode map; the selector is dropped.
        let chars: String = used.fonts[0].text.iter().flatten().collect();
        assert_eq!(chars, "ok dne");
        assert_eq!(used.fonts[4].text.iter().flatten().collect::<String>(), "✅");
    }

    #[test]
    fn glyph_ids_that_look_like_delimiters_are_escaped() {
        let fonts = Fonts::load().unwrap();
        let mut used = Used::new();
        let mut out = Vec::new();
        // Enough distinct letters that CIDs 10 (\n), 13 (\r), 40 ( ( ),
        // 41 ( ) ) and 92 ( \\ ) are all used.
        let text: String = ('!'..='~').chain('¡'..='ÿ').collect();
        show(&fonts, Face::Regular, 10.0, &text, &mut used, &mut None, &mut out);
        let start = out.iter().position(|&b| b == b'(').unwrap() + 1;
        let mut bytes = Vec::new();
        let mut i = start;
        loop {
            match out[i] {
                b'\\' => {
                    i += 1;
                    bytes.push(match out[i] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b => b,
                    });
                }
                b')' => break,
                b'\n' | b'\r' => panic!("a raw line end in a string"),
                b => bytes.push(b),
            }
            i += 1;
        }
        let cids: Vec<u16> = bytes.chunks(2).map(|p| u16::from_be_bytes([p[0], p[1]])).collect();
        let expected: Vec<u16> = (1..=cids.len() as u16).collect();
        assert_eq!(cids, expected);
        assert!(cids.len() > 92);
    }

    /// Reads back a content stream's text: each `/Fn size Tf` picks the
    /// font, each literal string's two-byte CIDs map to the characters the
    /// ToUnicode map will give.
    fn read_back(stream: &[u8], used: &Used) -> String {
        let mut out = String::new();
        let mut font = 0usize;
        let mut i = 0;
        while i < stream.len() {
            match stream[i] {
                b'/' if stream.get(i + 1) == Some(&b'F') => {
                    let end = stream[i + 2..].iter().position(|b| *b == b' ').unwrap() + i + 2;
                    font = std::str::from_utf8(&stream[i + 2..end]).unwrap().parse().unwrap();
                    i = end;
                }
                b'(' => {
                    let mut bytes = Vec::new();
                    i += 1;
                    while stream[i] != b')' {
                        if stream[i] == b'\\' {
                            i += 1;
                            bytes.push(match stream[i] {
                                b'n' => b'\n',
                                b'r' => b'\r',
                                b => b,
                            });
                        } else {
                            bytes.push(stream[i]);
                        }
                        i += 1;
                    }
                    for pair in bytes.chunks(2) {
                        let cid = usize::from(u16::from_be_bytes([pair[0], pair[1]]));
                        out.push(used.fonts[font].text[cid].unwrap());
                    }
                }
                _ => {}
            }
            i += 1;
        }
        out
    }

    proptest::proptest! {
        /// Whatever the text, what the PDF says it drew is what the fonts
        /// can draw of it: each glyph maps back to its character, from
        /// whichever font drew it (line ends dropped, controls as spaces).
        #[test]
        fn every_glyph_reads_back_as_its_character(text in "[ -~\u{a0}-\u{17f}\u{2190}-\u{21ff}\u{2600}-\u{27bf}\u{1f300}-\u{1f64f}\u{3040}-\u{309f}\u{fe0f}\n\t]{0,60}", face in 0usize..4) {
            let fonts = Fonts::load().unwrap();
            let face = Face::ALL[face];
            let mut used = Used::new();
            let mut out = Vec::new();
            show(&fonts, face, 9.0, &text, &mut used, &mut None, &mut out);
            let expected: String = fonts
                .drawable(face, &text)
                .chars()
                .filter(|c| *c != '\n')
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            proptest::prop_assert_eq!(read_back(&out, &used), expected);
        }
    }
}
