//! Attachment images as PDF image XObjects: JPEG passed through as
//! `DCTDecode`, PNG decoded (palette and 16-bit expanded, alpha split into a
//! soft mask). An image that cannot be read is listed like any other file.

use lopdf::{Dictionary, Object, Stream};

/// An image ready to embed.
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub stream: Stream,
    /// The alpha channel, as a DeviceGray image.
    pub smask: Option<Stream>,
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
    match mime {
        "image/jpeg" => jpeg(data),
        "image/png" => png(data),
        _ => None,
    }
}

fn image_dict(width: u32, height: u32, space: &str, bits: i64) -> Dictionary {
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"XObject".to_vec()));
    d.set("Subtype", Object::Name(b"Image".to_vec()));
    d.set("Width", i64::from(width));
    d.set("Height", i64::from(height));
    d.set("ColorSpace", Object::Name(space.as_bytes().to_vec()));
    d.set("BitsPerComponent", bits);
    d
}

fn jpeg(data: &[u8]) -> Option<Image> {
    // Find the start-of-frame marker for the dimensions and components.
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
            let space = match data[i + 9] {
                1 => "DeviceGray",
                3 => "DeviceRGB",
                4 => "DeviceCMYK",
                _ => return None,
            };
            if width == 0 || height == 0 {
                return None;
            }
            let mut d = image_dict(width, height, space, 8);
            d.set("Filter", Object::Name(b"DCTDecode".to_vec()));
            if space == "DeviceCMYK" {
                // Adobe CMYK JPEGs are stored inverted.
                d.set(
                    "Decode",
                    vec![
                        1.into(),
                        0.into(),
                        1.into(),
                        0.into(),
                        1.into(),
                        0.into(),
                        1.into(),
                        0.into(),
                    ],
                );
            }
            let mut stream = Stream::new(d, data.to_vec());
            stream.allows_compression = false;
            return Some(Image {
                width,
                height,
                stream,
                smask: None,
            });
        }
        i += 2 + len;
    }
    None
}

/// An 8-bit, non-interlaced RGB or grey PNG without transparency: its
/// compressed data is already what a PDF `FlateDecode` stream with PNG
/// predictors holds, so it is copied, not decoded and compressed again.
fn png_passthrough(data: &[u8]) -> Option<Image> {
    let mut i = 8;
    let mut header = None;
    let mut idat = Vec::new();
    while i + 12 <= data.len() {
        let len = u32::from_be_bytes(data[i..i + 4].try_into().ok()?) as usize;
        let kind = &data[i + 4..i + 8];
        let body = data.get(i + 8..i + 8 + len)?;
        match kind {
            b"IHDR" if len >= 13 => header = Some(body.to_vec()),
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
    let (space, colors) = match color {
        0 => ("DeviceGray", 1),
        2 => ("DeviceRGB", 3),
        _ => return None,
    };
    if bits != 8 || interlace != 0 || idat.is_empty() || width == 0 || height == 0 {
        return None;
    }
    let mut d = image_dict(width, height, space, 8);
    d.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    let mut parms = Dictionary::new();
    parms.set("Predictor", 15);
    parms.set("Colors", colors);
    parms.set("BitsPerComponent", 8);
    parms.set("Columns", i64::from(width));
    d.set("DecodeParms", parms);
    let mut stream = Stream::new(d, idat);
    stream.allows_compression = false;
    Some(Image {
        width,
        height,
        stream,
        smask: None,
    })
}

fn png(data: &[u8]) -> Option<Image> {
    png_passthrough(data).or_else(|| png_decoded(data))
}

fn png_decoded(data: &[u8]) -> Option<Image> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(data));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    let (width, height) = (info.width, info.height);
    let pixels = &buf[..info.buffer_size()];
    let (color, alpha): (Vec<u8>, Option<Vec<u8>>) = match info.color_type {
        png::ColorType::Grayscale => (pixels.to_vec(), None),
        png::ColorType::Rgb => (pixels.to_vec(), None),
        png::ColorType::GrayscaleAlpha => (
            pixels.chunks_exact(2).map(|p| p[0]).collect(),
            Some(pixels.chunks_exact(2).map(|p| p[1]).collect()),
        ),
        png::ColorType::Rgba => (
            pixels.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
            Some(pixels.chunks_exact(4).map(|p| p[3]).collect()),
        ),
        png::ColorType::Indexed => return None,
    };
    let space = match info.color_type {
        png::ColorType::Grayscale | png::ColorType::GrayscaleAlpha => "DeviceGray",
        _ => "DeviceRGB",
    };
    let alpha = alpha.filter(|a| a.iter().any(|&v| v != 255));
    let stream = Stream::new(image_dict(width, height, space, 8), color);
    let smask = alpha.map(|a| Stream::new(image_dict(width, height, "DeviceGray", 8), a));
    Some(Image {
        width,
        height,
        stream,
        smask,
    })
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

    #[test]
    fn broken_images_are_refused() {
        assert!(prepare("image/png", b"\x89PNG\r\n\x1a\nnonsense").is_none());
        assert!(prepare("image/jpeg", &[0xFF, 0xD8, 0xFF, 0x00]).is_none());
    }
}
