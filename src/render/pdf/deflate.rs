//! Deflating (zlib) for every compressed stream the writer makes: content
//! streams, font subsets, ToUnicode maps, decoded images, object and
//! cross-reference streams. Pure Rust (zlib-rs behind flate2, as zip
//! uses), so the browser build writes the same bytes as the command line.

/// The level every stream is deflated at: zlib's default, the size a
/// reader expects of an archived file.
const LEVEL: u32 = 6;

/// `data`, deflated (zlib format, for `/FlateDecode`).
pub fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e =
        flate2::write::ZlibEncoder::new(Vec::with_capacity(data.len() / 4 + 64), flate2::Compression::new(LEVEL));
    // Writing to a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn deflated_data_inflates_back() {
        use std::io::Read;
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let z = super::deflate(&data);
        assert!(z.len() < data.len() / 4);
        let mut back = Vec::new();
        flate2::read::ZlibDecoder::new(&z[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
    }
}
