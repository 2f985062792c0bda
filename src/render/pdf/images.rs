//! Attachment images as PDF image XObjects: JPEG passed through as
//! `DCTDecode`, PNG decoded with the `png` crate (palette, 16-bit and
//! low bit depths expanded to 8 bits, the alpha channel split into a soft
//! mask) and deflated. An image that cannot be read, or a CMYK JPEG (PDF/A
//! would need its printing profile), is listed like any other file.

/// An image ready to draw.
pub struct Image {
    /// The size as shown: a photo's EXIF orientation applied (a phone
    /// photo taken upright is stored sideways with orientation 6).
    pub width: u32,
    pub height: u32,
    /// The EXIF orientation, 1 (as stored) to 8; see [`Image::placement`].
    pub orientation: u8,
    /// Whether it is a JPEG (a photo, whose pixels are kept as they are).
    pub jpeg: bool,
    /// The pixels as the PDF stores them.
    pub pixels: Pixels,
}

/// An image's samples as stored: `data` is the JPEG file itself
/// (`DCTDecode`), the deflated 8-bit samples (`FlateDecode`), or a PNG's
/// own compressed data (`FlateDecode` with PNG predictors: `predicted`).
pub struct Pixels {
    /// The size as stored, before any EXIF orientation.
    pub width: u32,
    pub height: u32,
    pub gray: bool,
    pub dct: bool,
    /// The data is a PNG's IDAT stream: each row starts with its filter
    /// byte (`/DecodeParms` predictor 15).
    pub predicted: bool,
    pub data: Vec<u8>,
    /// The alpha channel, deflated, as a DeviceGray soft mask.
    pub alpha: Option<Vec<u8>>,
}

/// Reads an image attachment, or `None` when it cannot be embedded: an
/// image whose header gives more than
/// [`crate::document::image_size::MAX_IMAGE_PIXELS`] is refused before
/// anything is decoded or copied.
pub fn prepare(mime: &str, data: &[u8]) -> Option<Image> {
    use crate::document::image_size::{dimensions, too_many_pixels};
    let (w, h) = dimensions(data)?;
    if w == 0 || h == 0 || too_many_pixels(w, h).is_some() {
        return None;
    }
    let (jpeg, pixels) = match mime {
        "image/jpeg" => (true, jpeg(data)?),
        "image/png" => (false, png(data)?),
        _ => return None,
    };
    let orientation = if jpeg { jpeg_orientation(data) } else { 1 };
    let (width, height) = if orientation >= 5 {
        (pixels.height, pixels.width)
    } else {
        (pixels.width, pixels.height)
    };
    (width > 0 && height > 0).then_some(Image {
        width,
        height,
        orientation,
        jpeg,
        pixels,
    })
}

/// A JPEG as it is: grey or RGB (CMYK is refused), its size from the
/// start-of-frame marker.
fn jpeg(data: &[u8]) -> Option<Pixels> {
    let (components, width, height) = jpeg_frame(data)?;
    let gray = match components {
        1 => true,
        3 => false,
        _ => return None,
    };
    (width > 0 && height > 0).then(|| Pixels {
        width,
        height,
        gray,
        dct: true,
        predicted: false,
        data: data.to_vec(),
        alpha: None,
    })
}

/// A PNG: its compressed data as it is when a PDF can read it so (8-bit
/// grey or RGB, not interlaced, no transparency or palette), else decoded.
fn png(data: &[u8]) -> Option<Pixels> {
    png_passthrough(data).or_else(|| png_decoded(data))
}

/// An 8-bit, non-interlaced RGB or grey PNG without transparency: its
/// compressed data is already what a PDF `FlateDecode` stream with PNG
/// predictors holds, so it is copied, not decoded and deflated again (a
/// screenshot costs a tenth). It is inflated once, to a counter, so that
/// data that would not decode to exactly its rows is decoded the long way
/// (and refused there) rather than put in the PDF broken. Every loop steps
/// forward through the bytes and is bounded by them.
fn png_passthrough(data: &[u8]) -> Option<Pixels> {
    if !data.starts_with(b"\x89PNG\r\n\x1a\n") {
        return None;
    }
    let mut i = 8;
    let mut header: Option<&[u8]> = None;
    let mut idat = Vec::new();
    while i + 12 <= data.len() {
        let len = usize::try_from(u32::from_be_bytes(data[i..i + 4].try_into().ok()?)).ok()?;
        let kind = &data[i + 4..i + 8];
        let body = data.get(i + 8..(i + 8).checked_add(len)?)?;
        match kind {
            b"IHDR" if len >= 13 => header = Some(body),
            b"IDAT" => idat.extend_from_slice(body),
            b"tRNS" | b"PLTE" => return None,
            b"IEND" => break,
            _ => {}
        }
        i += 12 + len;
    }
    let h = header?;
    let width = u32::from_be_bytes(h[0..4].try_into().ok()?);
    let height = u32::from_be_bytes(h[4..8].try_into().ok()?);
    let (bits, color, interlace) = (h[8], h[9], h[12]);
    let colors: u64 = match color {
        0 => 1,
        2 => 3,
        _ => return None,
    };
    if bits != 8 || interlace != 0 || idat.is_empty() || width == 0 || height == 0 {
        return None;
    }
    let rows = u64::from(height) * (1 + u64::from(width) * colors);
    let mut inflated = flate2::read::ZlibDecoder::new(&idat[..]);
    let n = std::io::copy(&mut std::io::Read::take(&mut inflated, rows + 1), &mut std::io::sink()).ok()?;
    (n == rows).then_some(Pixels {
        width,
        height,
        gray: color == 0,
        dct: false,
        predicted: true,
        data: idat,
        alpha: None,
    })
}

/// A PNG decoded to 8-bit grey or RGB samples and its alpha, deflated.
fn png_decoded(data: &[u8]) -> Option<Pixels> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(data));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let frame = reader.next_frame(&mut buf).ok()?;
    let samples = buf.get(..frame.buffer_size())?;
    let (color, alpha) = match frame.color_type {
        png::ColorType::Grayscale => (samples.to_vec(), None),
        png::ColorType::Rgb => (samples.to_vec(), None),
        png::ColorType::GrayscaleAlpha => {
            let (c, a): (Vec<u8>, Vec<u8>) = samples.chunks_exact(2).map(|p| (p[0], p[1])).unzip();
            (c, Some(a))
        }
        png::ColorType::Rgba => {
            let mut c = Vec::with_capacity(samples.len() / 4 * 3);
            let mut a = Vec::with_capacity(samples.len() / 4);
            for p in samples.chunks_exact(4) {
                c.extend_from_slice(&p[..3]);
                a.push(p[3]);
            }
            (c, Some(a))
        }
        png::ColorType::Indexed => return None,
    };
    let gray = matches!(
        frame.color_type,
        png::ColorType::Grayscale | png::ColorType::GrayscaleAlpha
    );
    // A fully opaque alpha channel is no mask at all.
    let alpha = alpha.filter(|a| a.iter().any(|&v| v != 255));
    Some(Pixels {
        width: frame.width,
        height: frame.height,
        gray,
        dct: false,
        predicted: false,
        data: super::deflate::deflate(&color),
        alpha: alpha.map(|a| super::deflate::deflate(&a)),
    })
}

impl Image {
    /// How to draw the stored pixels so that they show upright in a box
    /// `w`×`h` (the size as shown) with its top-left corner at the origin,
    /// y down: the size to draw them at, and the transform that turns and
    /// mirrors them into the box as their EXIF orientation says.
    pub fn placement(&self, w: f32, h: f32) -> ((f32, f32), [f32; 6]) {
        // [sx, ky, kx, sy, tx, ty]: x' = sx·u + kx·v + tx, y' = ky·u + sy·v + ty.
        match self.orientation {
            2 => ((w, h), [-1.0, 0.0, 0.0, 1.0, w, 0.0]),
            3 => ((w, h), [-1.0, 0.0, 0.0, -1.0, w, h]),
            4 => ((w, h), [1.0, 0.0, 0.0, -1.0, 0.0, h]),
            5 => ((h, w), [0.0, 1.0, 1.0, 0.0, 0.0, 0.0]),
            6 => ((h, w), [0.0, 1.0, -1.0, 0.0, w, 0.0]),
            7 => ((h, w), [0.0, -1.0, -1.0, 0.0, w, h]),
            8 => ((h, w), [0.0, -1.0, 1.0, 0.0, 0.0, h]),
            _ => ((w, h), [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]),
        }
    }
}

/// The EXIF orientation of a JPEG (1 to 8) from its APP1 segment; 1 when
/// it has none or it cannot be read. Every loop steps forward through the
/// bytes and is bounded by them.
pub fn jpeg_orientation(data: &[u8]) -> u8 {
    let mut i = 2;
    while i + 4 <= data.len() && data[i] == 0xFF {
        let marker = data[i + 1];
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = usize::from(u16::from_be_bytes([data[i + 2], data[i + 3]]));
        if len < 2 {
            break;
        }
        let body = data.get(i + 4..i + 2 + len).unwrap_or(&[]);
        if marker == 0xE1 && body.starts_with(b"Exif\0\0") {
            return exif_orientation(&body[6..])
                .filter(|o| (1..=8).contains(o))
                .unwrap_or(1);
        }
        i += 2 + len;
    }
    1
}

/// Tag 0x0112 of a TIFF structure's first directory.
fn exif_orientation(tiff: &[u8]) -> Option<u8> {
    let little = match tiff.get(..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = tiff.get(at..at + 2)?.try_into().ok()?;
        Some(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = tiff.get(at..at + 4)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    (0..count).find_map(|k| {
        let entry = ifd + 2 + 12 * k;
        (u16_at(entry)? == 0x0112).then(|| u16_at(entry + 8).and_then(|v| u8::try_from(v).ok()))?
    })
}

/// The number of colour components, width and height of a JPEG, from its
/// start-of-frame marker; `None` when there is none. The loop steps
/// forward through the bytes and is bounded by them.
fn jpeg_frame(data: &[u8]) -> Option<(u8, u32, u32)> {
    let mut i = 2;
    while i + 9 < data.len() {
        if data[i] != 0xFF {
            return None;
        }
        let marker = data[i + 1];
        let len = usize::from(u16::from_be_bytes([data[i + 2], data[i + 3]]));
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let height = u32::from(u16::from_be_bytes([data[i + 5], data[i + 6]]));
            let width = u32::from(u16::from_be_bytes([data[i + 7], data[i + 8]]));
            return Some((data[i + 9], width, height));
        }
        i += 2 + len.max(2);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sample_png() {
        let data = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/sample-portfolio/attachments/handover-sheet.png"
        ))
        .unwrap();
        let img = prepare("image/png", &data).unwrap();
        assert!(img.width > 0 && img.height > 0);
    }

    /// A phone photo stored sideways with EXIF orientation 6 is shown
    /// upright: its size as shown is turned, and its pixels are drawn
    /// turned a quarter clockwise into that box.
    #[test]
    fn exif_orientation_turns_a_sideways_photo_upright() {
        let data = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/sideways-orientation-6.jpg"
        ))
        .unwrap();
        assert_eq!(jpeg_orientation(&data), 6);
        let img = prepare("image/jpeg", &data).unwrap();
        assert_eq!((img.width, img.height, img.orientation), (80, 160, 6));
        let ((dw, dh), [sx, ky, kx, sy, tx, ty]) = img.placement(80.0, 160.0);
        assert_eq!((dw, dh), (160.0, 80.0), "drawn at the stored size");
        // The stored top-left corner lands top right; the stored
        // bottom-left, top left: a quarter turn clockwise.
        let at = |u: f32, v: f32| (sx * u + kx * v + tx, ky * u + sy * v + ty);
        assert_eq!(at(0.0, 0.0), (80.0, 0.0));
        assert_eq!(at(0.0, 80.0), (0.0, 0.0));
        assert_eq!(at(160.0, 80.0), (0.0, 160.0));
        // Without the tag, or with a broken one: as stored.
        assert_eq!(
            jpeg_orientation(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x08, b'E', b'x', b'i', b'f', 0, 0]),
            1
        );
        assert_eq!(jpeg_orientation(b"\xFF\xD8"), 1);
    }

    fn encode_png(w: u32, h: u32, color: png::ColorType, pixels: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(color);
        e.set_depth(png::BitDepth::Eight);
        e.write_header().unwrap().write_image_data(pixels).unwrap();
        out
    }

    /// An 8-bit RGB PNG goes into the PDF as its own compressed rows (PNG
    /// predictors), not decoded and deflated again; with an alpha channel
    /// it is decoded, its alpha a soft mask; with rows that do not inflate
    /// to its size it is not passed through, and refused.
    #[test]
    fn a_plain_png_is_copied_and_others_decoded() {
        let rgb: Vec<u8> = (0..4 * 3 * 3).map(|i| (i * 7) as u8).collect();
        let plain = encode_png(4, 3, png::ColorType::Rgb, &rgb);
        let img = prepare("image/png", &plain).unwrap();
        assert!(img.pixels.predicted && !img.pixels.gray && img.pixels.alpha.is_none());
        let idat_at = plain.windows(4).position(|w| w == b"IDAT").unwrap();
        let len = u32::from_be_bytes(plain[idat_at - 4..idat_at].try_into().unwrap()) as usize;
        assert_eq!(img.pixels.data, &plain[idat_at + 4..idat_at + 4 + len]);

        let rgba: Vec<u8> = (0..4 * 3 * 4).map(|i| (i * 5) as u8).collect();
        let img = prepare("image/png", &encode_png(4, 3, png::ColorType::Rgba, &rgba)).unwrap();
        assert!(!img.pixels.predicted && img.pixels.alpha.is_some());

        // The same header with the rows of a smaller image: inflates short.
        let small = encode_png(4, 2, png::ColorType::Rgb, &rgb[..4 * 2 * 3]);
        let mut wrong = plain[..idat_at - 4].to_vec();
        let s_at = small.windows(4).position(|w| w == b"IDAT").unwrap();
        wrong.extend_from_slice(&small[s_at - 4..]);
        assert!(png_passthrough(&wrong).is_none());
        assert!(prepare("image/png", &wrong).is_none());
    }

    #[test]
    fn broken_images_are_refused() {
        assert!(prepare("image/png", b"\x89PNG\r\n\x1a\nnonsense").is_none());
        assert!(prepare("image/jpeg", &[0xFF, 0xD8, 0xFF, 0x00]).is_none());
    }
}
