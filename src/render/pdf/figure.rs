//! An image attachment drawn as a figure, in the item's attachment list or
//! where the narrative's `![caption](attachments/x.png)` stands: scaled to
//! the text width, split over pages when very tall (see
//! [`Flow::figure_image`]), its caption on the page where it ends. A very
//! wide image (a spreadsheet screenshot) is shown at the text width with a
//! note that its original is embedded as a file attachment, which
//! `super::embedded_files` then does. The placing, slices and bounds are
//! [`Flow::figure_image`], here beside the figure that uses it.

use super::fonts::Face;
use super::images::Image;
use super::layout::structure::{Artifact, Kind};
use super::layout::{BODY_BOTTOM, BODY_TOP, Draw, Flow, GREY, LINK, Line, Link, MARGIN_L, Span, Style, TEXT_W, wrap};

/// Most pages one image is split over (see [`Flow::figure_image`]).
pub const MAX_IMAGE_SLICES: usize = 8;
/// An image that would be shrunk below this fraction of its size to fit
/// one page is split over pages instead (see [`Flow::figure_image`]).
pub const MIN_IMAGE_SCALE: f32 = 0.6;

/// Where [`Flow::figure_image`] put an image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// The page (from 0) of its top.
    pub first_page: usize,
    /// How many pages it is split over (1: not split).
    pub slices: usize,
    /// The size drawn, in points.
    pub w: f32,
    pub h: f32,
}

impl Flow<'_> {
    /// An image `w`×`h` points at the current indent, with `keep` points
    /// after it (its caption) kept on its last page. One that fits a page at
    /// [`MIN_IMAGE_SCALE`] of its size or more is scaled to fit; a taller
    /// one (a long phone screenshot) keeps its width and is split over
    /// consecutive pages, each page showing the next slice clipped to the
    /// body with `continued` (a note) under it, at most
    /// [`MAX_IMAGE_SLICES`] pages (beyond that it is scaled to fit them).
    /// Every turn of the loop places a slice or starts a page, and it turns
    /// at most twice per slice, so placing ends.
    pub fn figure_image(&mut self, index: usize, w: f32, h: f32, keep: f32, continued: &[Line]) -> Placed {
        if self.pages.is_empty() {
            self.new_page(true);
        }
        let body = BODY_BOTTOM - BODY_TOP - 4.0;
        let keep = keep.clamp(0.0, body / 3.0);
        let avail = body - keep;
        let x = MARGIN_L + self.indent;
        if h <= avail || avail / h >= MIN_IMAGE_SCALE {
            let (w, h) = if h > avail { (w * avail / h, avail) } else { (w, h) };
            self.ensure(h + keep);
            self.bind();
            self.image_marker();
            let first_page = self.page_index();
            self.draw(Draw::Image {
                index,
                x,
                y: self.y,
                w,
                h,
                clip: None,
            });
            self.y += h;
            return Placed {
                first_page,
                slices: 1,
                w,
                h,
            };
        }
        let note: f32 = continued.iter().map(|l| l.height).sum::<f32>().min(body / 4.0) + 2.0;
        if self.room() < body / 3.0 {
            self.new_page(true);
        }
        // What the pages can hold: the rest of this one, full pages, and
        // the last with the caption; scaled down when that is too little.
        let capacity = (self.room() - note) + (MAX_IMAGE_SLICES - 2) as f32 * (body - note) + (body - keep);
        let (w, h) = if h > capacity {
            (w * capacity / h, capacity)
        } else {
            (w, h)
        };
        self.bind();
        self.image_marker();
        let first_page = self.page_index();
        let mut off = 0.0;
        let mut slices = 0;
        for turn in 0..2 * MAX_IMAGE_SLICES {
            let rest = h - off;
            let room = self.room();
            let last = turn + 1 == 2 * MAX_IMAGE_SLICES || slices + 1 == MAX_IMAGE_SLICES;
            if rest + keep <= room + 0.01 || last {
                let shown = rest.min(room).max(0.0);
                self.slice(index, x, w, h, off, shown);
                self.y += shown;
                slices += 1;
                break;
            }
            // Leave at least a useful piece for the last page.
            let len = (room - note - 1.0).min(rest - 40.0);
            if len >= 20.0 {
                self.slice(index, x, w, h, off, len);
                self.y += len;
                self.space(2.0);
                let before = self.artifact.replace(Artifact::Layout);
                self.lines(continued);
                self.artifact = before;
                slices += 1;
                off += len;
            }
            self.new_page(true);
        }
        Placed {
            first_page,
            slices,
            w,
            h,
        }
    }

    /// A pending list marker, beside the top of an image that starts a
    /// list item (rather than beside its caption).
    fn image_marker(&mut self) {
        if let Some((span, mx)) = self.marker.take() {
            self.draw(Draw::Text {
                x: MARGIN_L + self.indent - mx,
                y: self.y + span.style.size,
                style: span.style,
                text: span.text,
            });
        }
    }

    /// The part of an image `w`×`h` from `off` down to `off + len`, drawn
    /// at the cursor.
    fn slice(&mut self, index: usize, x: f32, w: f32, h: f32, off: f32, len: f32) {
        self.draw(Draw::Image {
            index,
            x,
            y: self.y - off,
            w,
            h,
            clip: Some((x, self.y, w, len)),
        });
    }
}

/// An image more than this many pixels wide per point of the text width is
/// "very wide": at the text width its text would be shrunk below 40%
/// (counting a pixel as a point).
pub const WIDE: f32 = 2.5;

/// Whether `img` is shown so much smaller than its pixels that its original
/// is embedded as a file too. A JPEG narrower than twice its height is
/// taken for a photo, not a screenshot: a phone photo (4000 × 3000) reads
/// well at the text width, its pixels are in the PDF anyway for zooming,
/// and embedding the file again would double its size.
pub fn is_wide(img: &Image) -> bool {
    img.width as f32 > WIDE * TEXT_W && (!img.jpeg || img.width >= 2 * img.height)
}

/// Draws prepared image `index` at the cursor with `caption` under it;
/// `file` is the name it is embedded under when it is very wide, and the
/// link that opens it.
pub fn figure(flow: &mut Flow<'_>, index: usize, img: &Image, caption: &str, file: (&str, Link)) -> Placed {
    let (file, link) = file;
    let w = TEXT_W - flow.indent;
    let h = w * img.height as f32 / img.width.max(1) as f32;
    let style = Style::new(Face::Italic, 8.5).color(GREY);
    let fonts = flow.fonts;
    let text = |placed: Option<Placed>| {
        let mut text = caption.to_string();
        let shown_w = placed.map_or(w, |p| p.w);
        if let Some(p) = placed.filter(|p| p.slices > 1) {
            text.push_str(&format!(
                " \u{2014} shown over {} pages from page {}",
                p.slices,
                p.first_page + 1
            ));
        } else if placed.is_none() {
            // Room for the words above, whatever the numbers.
            text.push_str(" \u{2014} shown over 8 pages from page 9999");
        }
        let mut spans = vec![Span::new(text, style)];
        if is_wide(img) {
            let pct = (100.0 * shown_w / img.width.max(1) as f32).round().max(1.0);
            spans.push(Span::new(
                format!("\nShown at {pct}% of its size; the original is embedded in this PDF as a file attachment ("),
                style,
            ));
            spans.push(Span::new(file, style.color(LINK)).link(Some(link.clone())));
            spans.push(Span::new(").", style));
        }
        wrap(fonts, &spans, w)
    };
    let keep = 3.0 + text(None).iter().map(|l| l.height).sum::<f32>();
    let continued = wrap(flow.fonts, &[Span::new("(image continues on the next page)", style)], w);
    // The image with its caption as alternative text, then the caption.
    flow.open(Kind::Figure(caption.to_string()));
    let placed = flow.figure_image(index, w, h, keep, &continued);
    flow.close();
    let lines = text(Some(placed));
    flow.space(3.0);
    flow.open(Kind::Caption);
    flow.lines(&lines);
    flow.close();
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fonts::Fonts;
    use crate::render::pdf::layout::Clip;

    fn fonts() -> &'static Fonts {
        crate::render::pdf::fonts()
    }

    /// The image draws of each page: (page, clip, image y, w, h).
    fn image_draws(flow: &Flow<'_>) -> Vec<(usize, Option<Clip>, f32, f32, f32)> {
        let mut out = Vec::new();
        for (n, page) in flow.pages.iter().enumerate() {
            for d in &page.draws {
                if let Draw::Image { clip, y, w, h, .. } = d {
                    out.push((n, *clip, *y, *w, *h));
                }
            }
        }
        out
    }

    fn note(f: &Fonts) -> Vec<Line> {
        wrap(
            f,
            &[Span::new(
                "(image continues on the next page)",
                Style::new(Face::Italic, 8.5),
            )],
            TEXT_W,
        )
    }

    /// A long screenshot keeps its width and is cut into slices on
    /// consecutive pages: each clipped to the page body, together the whole
    /// image once, the note under all but the last, room for the caption
    /// under the last.
    #[test]
    fn a_very_tall_image_is_split_over_pages() {
        let f = fonts();
        let body = BODY_BOTTOM - BODY_TOP;
        for (start, h) in [
            (BODY_TOP, 2.5 * body),
            (BODY_TOP + 500.0, 3.2 * body),
            (BODY_TOP + 100.0, 1.8 * body),
        ] {
            let mut flow = Flow::new(f);
            flow.new_page(true);
            flow.y = start;
            let keep = 30.0;
            let placed = flow.figure_image(7, TEXT_W, h, keep, &note(f));
            let draws = image_draws(&flow);
            assert_eq!(draws.len(), placed.slices, "{h}");
            assert!(placed.slices >= 2 && placed.slices <= MAX_IMAGE_SLICES, "{placed:?}");
            assert_eq!(placed.w, TEXT_W, "kept at the text width");
            let mut covered = 0.0;
            for (k, (page, clip, y, w, ih)) in draws.iter().enumerate() {
                assert_eq!(*page, placed.first_page + k, "consecutive pages");
                assert_eq!((*w, *ih), (TEXT_W, h));
                let (cx, cy, cw, ch) = clip.expect("a slice is clipped");
                assert_eq!((cx, cw), (MARGIN_L, TEXT_W));
                assert!(
                    cy >= BODY_TOP - 0.01 && cy + ch <= BODY_BOTTOM + 0.01,
                    "inside the body: {clip:?}"
                );
                assert!((cy - y - covered).abs() < 0.01, "slice {k} follows the one before");
                covered += ch;
                let notes = flow.pages[*page]
                    .draws
                    .iter()
                    .filter(|d| matches!(d, Draw::Text { text, .. } if text.contains("continues")))
                    .count();
                assert_eq!(notes, usize::from(k + 1 < draws.len()), "the note under slice {k}");
            }
            assert!((covered - h).abs() < 0.01, "the whole image, once: {covered} of {h}");
            assert!(flow.room() >= keep - 0.01, "the caption fits under the last slice");
        }
    }

    /// An image a little too tall is scaled to fit one page; one too tall
    /// for the page limit is scaled to fit [`MAX_IMAGE_SLICES`] pages.
    #[test]
    fn tall_images_are_scaled_within_bounds() {
        let f = fonts();
        let body = BODY_BOTTOM - BODY_TOP;
        let mut flow = Flow::new(f);
        // An image that starts a list item gets the item's marker.
        flow.marker = Some((Span::new("•", Style::new(Face::Regular, 10.0)), 13.0));
        let placed = flow.figure_image(0, TEXT_W, 1.4 * body, 20.0, &note(f));
        assert!(
            matches!(&flow.pages[0].draws[0], Draw::Text { text, y, .. } if text == "•" && *y < BODY_TOP + 12.0),
            "{:?}",
            flow.pages[0].draws
        );
        assert_eq!(placed.slices, 1);
        assert!(placed.h <= body && placed.w < TEXT_W);
        assert!(image_draws(&flow)[0].1.is_none(), "a whole image is not clipped");

        for h in [60.0 * body, 1.0e9] {
            let mut flow = Flow::new(f);
            let placed = flow.figure_image(0, TEXT_W, h, 20.0, &note(f));
            assert_eq!(placed.slices, MAX_IMAGE_SLICES, "{placed:?}");
            assert_eq!(flow.pages.len(), MAX_IMAGE_SLICES);
            assert!(placed.w < TEXT_W && placed.h < MAX_IMAGE_SLICES as f32 * body);
            let covered: f32 = image_draws(&flow).iter().map(|d| d.1.unwrap().3).sum();
            assert!((covered - placed.h).abs() < 0.5, "{covered} of {}", placed.h);
        }
    }

    fn image(width: u32, height: u32, filter: &[u8]) -> Image {
        Image {
            width,
            height,
            orientation: 1,
            jpeg: filter == b"DCTDecode",
            pixels: super::super::images::Pixels {
                width,
                height,
                gray: false,
                dct: filter == b"DCTDecode",
                predicted: false,
                data: Vec::new(),
                alpha: None,
            },
        }
    }

    /// Wide by pixels per point of the text width; a JPEG photo is not.
    #[test]
    fn very_wide_is_screenshots_shrunk_below_forty_percent() {
        let png = |w, h| is_wide(&image(w, h, b"FlateDecode"));
        let jpeg = |w, h| is_wide(&image(w, h, b"DCTDecode"));
        assert!(png(4000, 500) && png(1440, 3200) && png(1300, 1300));
        assert!(!png(1200, 500) && !png(1080, 6000) && !png(900, 560));
        assert!(jpeg(4000, 1500) && jpeg(8000, 2000));
        assert!(!jpeg(4000, 3000) && !jpeg(3000, 4000) && !jpeg(1000, 100));
    }
}
