//! Attachment images as krilla images: JPEG passed through, PNG decoded
//! by krilla (palette, 16-bit and alpha handled there). An image that
//! cannot be read, or a CMYK JPEG (PDF/A would need its printing
//! profile), is listed like any other file.

/// An image ready to draw.
pub struct Image {
    pub width: u32,
    pub height: u32,
    /// Whether it is a JPEG (a photo, whose pixels are kept as they are).
    pub jpeg: bool,
    pub image: krilla::image::Image,
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
    let bytes = krilla::Data::from(data.to_vec());
    let (jpeg, image) = match mime {
        "image/jpeg" if jpeg_components(data)? != 4 => (true, krilla::image::Image::from_jpeg(bytes, false).ok()?),
        "image/png" if png_readable(data) => (false, krilla::image::Image::from_png(bytes, false).ok()?),
        _ => return None,
    };
    let (width, height) = image.size();
    (width > 0 && height > 0).then_some(Image {
        width,
        height,
        jpeg,
        image,
    })
}

/// The number of colour components of a JPEG, from its start-of-frame
/// marker; `None` when there is none.
fn jpeg_components(data: &[u8]) -> Option<u8> {
    let mut i = 2;
    while i + 9 < data.len() {
        if data[i] != 0xFF {
            return None;
        }
        let marker = data[i + 1];
        let len = usize::from(u16::from_be_bytes([data[i + 2], data[i + 3]]));
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            return Some(data[i + 9]);
        }
        i += 2 + len;
    }
    None
}

/// Whether a PNG decodes: krilla decodes it only when the PDF is written,
/// where a failure would lose the whole document.
fn png_readable(data: &[u8]) -> bool {
    let decoder = png::Decoder::new(std::io::Cursor::new(data));
    let Ok(mut reader) = decoder.read_info() else {
        return false;
    };
    let Some(size) = reader.output_buffer_size() else {
        return false;
    };
    let mut buf = vec![0; size];
    reader.next_frame(&mut buf).is_ok()
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
