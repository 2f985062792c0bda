//! An image's width and height in pixels, read from its header (PNG's
//! `IHDR`, JPEG's start-of-frame) without decoding a pixel, so that an image
//! too large to embed — a "decompression bomb", 400 megapixels of zeros in a
//! few hundred kilobytes — is refused before anything is allocated for it.

/// Most pixels (width × height) in an embedded image: a 50-megapixel phone
/// photo (8160 × 6120) fits. Larger images are listed, not embedded.
pub const MAX_IMAGE_PIXELS: u64 = 50_000_000;

/// Width and height of a PNG or JPEG, if its header says.
pub fn dimensions(data: &[u8]) -> Option<(u32, u32)> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(data)
    } else if data.starts_with(&[0xFF, 0xD8]) {
        jpeg(data)
    } else {
        None
    }
}

/// Why an image of `width` × `height` is not embedded, if it is too large.
pub fn too_many_pixels(width: u32, height: u32) -> Option<String> {
    let pixels = u64::from(width) * u64::from(height);
    (pixels > MAX_IMAGE_PIXELS).then(|| {
        format!(
            "not embedded: {width} × {height} pixels is more than the {} megapixels an embedded image may have",
            MAX_IMAGE_PIXELS / 1_000_000
        )
    })
}

fn png(data: &[u8]) -> Option<(u32, u32)> {
    // The signature, then the IHDR chunk: length, "IHDR", width, height.
    if data.get(12..16)? != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes(data.get(16..20)?.try_into().ok()?);
    let height = u32::from_be_bytes(data.get(20..24)?.try_into().ok()?);
    Some((width, height))
}

fn jpeg(data: &[u8]) -> Option<(u32, u32)> {
    // Segments after SOI: FF, marker, two-byte length (which counts itself);
    // the first start-of-frame holds the height and width.
    let mut i = 2;
    loop {
        let seg = data.get(i..i + 4)?;
        if seg[0] != 0xFF {
            return None;
        }
        let marker = seg[1];
        let len = usize::from(u16::from_be_bytes([seg[2], seg[3]]));
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let sof = data.get(i + 5..i + 9)?;
            let height = u32::from(u16::from_be_bytes([sof[0], sof[1]]));
            let width = u32::from(u16::from_be_bytes([sof[2], sof[3]]));
            return Some((width, height));
        }
        // Each step moves on by at least two bytes, so the loop ends.
        i += 2 + len.max(2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut d = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        d.extend_from_slice(&width.to_be_bytes());
        d.extend_from_slice(&height.to_be_bytes());
        d.extend_from_slice(&[8, 0, 0, 0, 0]);
        d
    }

    #[test]
    fn reads_png_and_jpeg_headers() {
        assert_eq!(dimensions(&png_header(20_000, 20_000)), Some((20_000, 20_000)));
        // SOI, an APP0 segment of 4 bytes, then SOF0: length, precision,
        // height 480, width 640.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0x01, 0xE0, 0x02, 0x80, 3,
        ];
        assert_eq!(dimensions(&jpeg), Some((640, 480)));
        let sample = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/sample-portfolio/attachments/handover-sheet.png"
        ))
        .unwrap();
        assert!(dimensions(&sample).is_some_and(|(w, h)| too_many_pixels(w, h).is_none()));
    }

    #[test]
    fn refuses_bombs_and_survives_garbage() {
        assert!(
            too_many_pixels(20_000, 20_000)
                .unwrap()
                .contains("20000 × 20000 pixels")
        );
        assert!(too_many_pixels(1, 30_000).is_none());
        assert!(too_many_pixels(8160, 6120).is_none());
        assert_eq!(dimensions(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(dimensions(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0xFF, 0xE0, 0, 0]), None);
        assert_eq!(dimensions(&[0xFF, 0xD8, 0x00]), None);
    }
}
