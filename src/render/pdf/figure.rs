//! An image attachment drawn as a figure, in the item's attachment list or
//! where the narrative's `![caption](attachments/x.png)` stands: scaled to
//! the text width, split over pages when very tall (see
//! [`Flow::figure_image`]), its caption on the page where it ends. A very
//! wide image (a spreadsheet screenshot) is shown at the text width with a
//! note that its original is embedded as a file attachment, which
//! `super::embedded_files` then does.

use super::fonts::Face;
use super::images::Image;
use super::layout::{Flow, GREY, LINK, Link, Placed, Span, Style, TEXT_W, wrap};

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
    let jpeg = img
        .stream
        .dict
        .get(b"Filter")
        .ok()
        .and_then(|f| f.as_name().ok())
        .is_some_and(|f| f == b"DCTDecode");
    img.width as f32 > WIDE * TEXT_W && (!jpeg || img.width >= 2 * img.height)
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
    let placed = flow.figure_image(index, w, h, keep, &continued);
    let lines = text(Some(placed));
    flow.space(3.0);
    flow.lines(&lines);
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Dictionary, Object, Stream};

    fn image(width: u32, height: u32, filter: &[u8]) -> Image {
        let mut d = Dictionary::new();
        d.set("Filter", Object::Name(filter.to_vec()));
        Image {
            width,
            height,
            stream: Stream::new(d, Vec::new()),
            smask: None,
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
