//! Images with their metadata stripped, for `--redact`: a photo's EXIF
//! (camera, place, time, owner), comments and text chunks can name a
//! customer as surely as the narrative can. The containers are read and
//! rewritten with `img-parts` (a maintained crate for JPEG and PNG
//! segments); the pixels are never decoded, so nothing is lost and no
//! decoder runs on untrusted bytes here.
//!
//! PNG keeps only what draws the picture: `IHDR`, `PLTE`, `tRNS`, `IDAT`,
//! `IEND` (every text, EXIF, ICC, time and unknown chunk goes, and bytes
//! after `IEND`). JPEG keeps its frame, tables, scans and an Adobe
//! colour-transform marker; every `APPn` (EXIF, XMP, ICC, IPTC, JFIF
//! thumbnails) and `COM` before the first scan goes. What follows the first
//! scan is kept as it is only when it holds no `APPn` or `COM` segment and
//! nothing after the end-of-image marker; otherwise the image is withheld.

use img_parts::Bytes;
use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;

/// PNG chunk types kept.
const PNG_KEPT: [&[u8; 4]; 5] = [b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"];

/// The image without its metadata, or `None` when it cannot be stripped
/// with certainty (then it must be withheld).
pub fn strip_metadata(mime: &str, data: &[u8]) -> Option<Vec<u8>> {
    match mime {
        "image/png" => strip_png(data),
        "image/jpeg" => strip_jpeg(data),
        _ => None,
    }
}

fn strip_png(data: &[u8]) -> Option<Vec<u8>> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(data)).ok()?;
    png.chunks_mut().retain(|c| PNG_KEPT.contains(&&c.kind()));
    if png.chunks().last().map(|c| c.kind()) != Some(*b"IEND") {
        return None;
    }
    Some(png.encoder().bytes().to_vec())
}

fn strip_jpeg(data: &[u8]) -> Option<Vec<u8>> {
    let mut jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(data)).ok()?;
    jpeg.segments_mut().retain(|s| {
        let m = s.marker();
        let app = (markers::APP0..=markers::APP15).contains(&m);
        let adobe = m == markers::APP14 && s.contents().starts_with(b"Adobe");
        (!app || adobe) && m != markers::COM
    });
    // After the first scan (progressive JPEGs have more): only entropy
    // data, tables and markers, ending at the first end-of-image.
    let tail_len = jpeg.segments().last().map_or(0, |s| s.len_with_entropy() - s.len());
    let bytes = jpeg.encoder().bytes().to_vec();
    let tail = &bytes[bytes.len().checked_sub(tail_len)?..];
    if !tail.is_empty() {
        let end = tail.windows(2).position(|w| w == [0xFF, markers::EOI])?;
        if end + 2 != tail.len() {
            return None;
        }
        let metadata = tail
            .windows(2)
            .any(|w| w[0] == 0xFF && ((markers::APP0..=markers::APP15).contains(&w[1]) || w[1] == markers::COM));
        if metadata {
            return None;
        }
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_with_text() -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut info = png::Info::with_size(2, 1);
            info.color_type = png::ColorType::Rgb;
            info.bit_depth = png::BitDepth::Eight;
            let mut encoder = png::Encoder::with_info(&mut out, info).unwrap();
            encoder
                .add_text_chunk("Comment".into(), "Jo Bloggs 07700 900123".into())
                .unwrap();
            let mut writer = encoder.write_header().unwrap();
            writer.write_image_data(&[1, 2, 3, 4, 5, 6]).unwrap();
        }
        out.extend_from_slice(b"trailing secret");
        out
    }

    fn decode_png(data: &[u8]) -> Vec<u8> {
        let mut reader = png::Decoder::new(std::io::Cursor::new(data)).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let n = reader.next_frame(&mut buf).unwrap().buffer_size();
        buf.truncate(n);
        buf
    }

    #[test]
    fn a_png_loses_its_text_and_trailing_bytes_and_keeps_its_pixels() {
        let original = png_with_text();
        let stripped = strip_metadata("image/png", &original).unwrap();
        let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        assert!(has(&original, b"Bloggs") && has(&original, b"trailing"));
        assert!(!has(&stripped, b"Bloggs") && !has(&stripped, b"tEXt") && !has(&stripped, b"trailing"));
        assert_eq!(decode_png(&stripped), decode_png(&original));
    }

    /// A JPEG's frame with `segments` after its start; the scan is
    /// arithmetic-coded, 1 × 1.
    fn jpeg(before_scan: &[u8], after_end: &[u8]) -> Vec<u8> {
        const TINY: &str = "FFDB004300030202020202030202020303030304060404040404080606050609080A0A090809090A0C0F0C0A0B0E0B09090D110D0E0F101011100A0C12131210130F101010FFC9000B080001000101011100FFCC000600101005FFDA0008010100003F00D2CF20FFD9";
        let body: Vec<u8> = (0..TINY.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&TINY[i..i + 2], 16).unwrap())
            .collect();
        [&[0xFF, 0xD8][..], before_scan, &body, after_end].concat()
    }

    fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(body);
        s
    }

    #[test]
    fn a_jpeg_loses_exif_and_comments_but_keeps_its_scan() {
        let exif = segment(0xE1, b"Exif\0\0secret place");
        let com = segment(0xFE, b"secret comment");
        let adobe = segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01");
        let original = jpeg(&[exif, com, adobe.clone()].concat(), &[]);
        let stripped = strip_metadata("image/jpeg", &original).unwrap();
        assert_eq!(stripped, jpeg(&adobe, &[]));
    }

    #[test]
    fn a_jpeg_with_bytes_after_its_end_or_metadata_inside_its_scans_is_withheld() {
        assert!(strip_metadata("image/jpeg", &jpeg(&[], b"appended secret")).is_none());
        let mut inside = jpeg(&[], &[]);
        let end = inside.len() - 2;
        inside.splice(end..end, segment(0xFE, b"secret"));
        assert!(strip_metadata("image/jpeg", &inside).is_none());
        assert!(strip_metadata("image/jpeg", b"not a jpeg").is_none());
        assert!(strip_metadata("application/pdf", b"%PDF").is_none());
    }
}
