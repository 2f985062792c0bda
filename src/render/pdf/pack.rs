//! The file made compact: `write` writes a classic file (each object on
//! its own, a cross-reference table), in which every object without a
//! stream (the structure tree alone is half a portfolio's objects) is
//! plain text. Here those objects are packed into deflated object streams
//! with a cross-reference stream (PDF 1.5; PDF/A-2 and -3 allow both);
//! objects with a stream (content, fonts, images, embedded files) are
//! copied as they are.
//!
//! Only dictionaries are read, with a small lexer that knows strings, names,
//! arrays and nested dictionaries; stream data is copied untouched and
//! never searched.

use super::PdfError;

fn bad(what: &str) -> PdfError {
    PdfError::Write(format!("packing objects: {what}"))
}

fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

fn is_delim(c: u8) -> bool {
    is_white(c) || matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn skip_white(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_white(b[i]) {
        i += 1;
    }
    i
}

/// The end of the token starting at `i` (a name, number or keyword).
fn token_end(b: &[u8], mut i: usize) -> usize {
    if b.get(i) == Some(&b'/') {
        i += 1;
    }
    while i < b.len() && !is_delim(b[i]) {
        i += 1;
    }
    i
}

/// The end of the literal string whose `(` is at `i`.
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The end of the value starting at `i` (after white space). An indirect
/// reference `12 0 R` is one value.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    let i = skip_white(b, i);
    match *b.get(i)? {
        b'(' => string_end(b, i),
        b'<' if b.get(i + 1) == Some(&b'<') => {
            let mut j = i + 2;
            loop {
                j = skip_white(b, j);
                if b.get(j..j + 2)? == b">>" {
                    return Some(j + 2);
                }
                j = value_end(b, j)?;
            }
        }
        b'<' => Some(i + b[i..].iter().position(|&c| c == b'>')? + 1),
        b'[' => {
            let mut j = i + 1;
            loop {
                j = skip_white(b, j);
                if *b.get(j)? == b']' {
                    return Some(j + 1);
                }
                j = value_end(b, j)?;
            }
        }
        c if c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.' => {
            let end = token_end(b, i);
            // `n g R`: two integers and R.
            let g = skip_white(b, end);
            let g_end = token_end(b, g);
            let r = skip_white(b, g_end);
            let is_int = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
            if is_int(&b[i..end])
                && g_end > g
                && is_int(&b[g..g_end])
                && b.get(r) == Some(&b'R')
                && token_end(b, r) == r + 1
            {
                Some(r + 1)
            } else {
                Some(end)
            }
        }
        b'>' | b']' | b')' => None,
        _ => {
            let end = token_end(b, i);
            (end > i).then_some(end)
        }
    }
}

/// The top-level entries of the dictionary starting at `i` (`<<`), as
/// (key, value) byte ranges, and the dictionary's end.
/// A dictionary's top-level entries: (key, value) as bytes.
type Entries<'a> = Vec<(&'a [u8], &'a [u8])>;

fn entries(b: &[u8], i: usize) -> Option<(Entries<'_>, usize)> {
    let i = skip_white(b, i);
    if b.get(i..i + 2)? != b"<<" {
        return None;
    }
    let mut out = Vec::new();
    let mut j = i + 2;
    loop {
        j = skip_white(b, j);
        if b.get(j..j + 2)? == b">>" {
            return Some((out, j + 2));
        }
        if b[j] != b'/' {
            return None;
        }
        let k = token_end(b, j);
        let v = skip_white(b, k);
        let e = value_end(b, v)?;
        out.push((&b[j..k], &b[v..e]));
        j = e;
    }
}

fn write_dict(out: &mut Vec<u8>, entries: &[(&[u8], Vec<u8>)]) {
    out.extend_from_slice(b"<<");
    for (n, (k, v)) in entries.iter().enumerate() {
        if n > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(k);
        out.push(b' ');
        out.extend_from_slice(v);
    }
    out.extend_from_slice(b">>");
}

/// `pdf` (one revision, a plain cross-reference table) with its objects
/// that have no stream packed into object streams.
pub fn pack(pdf: Vec<u8>) -> Result<Vec<u8>, PdfError> {
    // The cross-reference table the last `startxref` points at.
    let tail_at = pdf.len().saturating_sub(64);
    let sx = pdf[tail_at..]
        .windows(9)
        .rposition(|w| w == b"startxref")
        .map(|p| tail_at + p)
        .ok_or_else(|| bad("no startxref"))?;
    let xref_at: usize = std::str::from_utf8(&pdf[sx + 9..])
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| bad("startxref"))?;
    let head = pdf.get(xref_at..).ok_or_else(|| bad("xref offset"))?;
    let line_end = |from: usize| head[from..].iter().position(|&c| c == b'\n').map(|p| from + p + 1);
    let l1 = line_end(0).ok_or_else(|| bad("xref"))?;
    let l2 = line_end(l1).ok_or_else(|| bad("xref"))?;
    if &head[..l1] != b"xref\n" {
        return Err(bad("not a cross-reference table"));
    }
    let size: usize = std::str::from_utf8(&head[l1..l2])
        .ok()
        .and_then(|s| s.trim().strip_prefix("0 ")?.parse().ok())
        .ok_or_else(|| bad("xref subsection"))?;
    let table = head.get(l2..l2 + 20 * size).ok_or_else(|| bad("xref table"))?;
    let trailer = &head[l2 + 20 * size..];
    // (offset, object number) of each object in use, in file order.
    let mut objects: Vec<(usize, usize)> = Vec::with_capacity(size);
    for (n, e) in table.chunks(20).enumerate() {
        if e[17] == b'n' {
            let off = std::str::from_utf8(&e[..10])
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| bad("xref entry"))?;
            objects.push((off, n));
        }
    }
    objects.sort_unstable();

    // The file again: objects with a stream copied as they are, every
    // other object packed into deflated object streams, then a
    // cross-reference stream with the trailer's entries.
    let mut out = Vec::with_capacity(pdf.len());
    let first = objects.first().map_or(xref_at, |o| o.0);
    out.extend_from_slice(&pdf[..first]);
    // Where each object is: (1, offset) or (2, object stream, index).
    let mut at: Vec<(u8, usize, usize)> = vec![(0, 0, 0); size];
    let mut packed: Vec<(usize, Vec<u8>)> = Vec::new();
    for (k, &(off, n)) in objects.iter().enumerate() {
        let end = objects.get(k + 1).map_or(xref_at, |o| o.0);
        let body = &pdf[off..end];
        let start = body
            .windows(3)
            .position(|w| w == b"obj")
            .map(|p| skip_white(body, p + 3))
            .ok_or_else(|| bad("object header"))?;
        let value = value_end(body, start).ok_or_else(|| bad("object"))?;
        if body[skip_white(body, value)..].starts_with(b"stream") {
            at[n] = (1, out.len(), 0);
            // CR LF between the data and `endstream` (pdf-writer writes
            // LF): after data ending in CR, a lone LF would read as one
            // CR LF marker and the data as one byte short.
            match body.windows(10).rposition(|w| w == b"\nendstream") {
                Some(e) => {
                    out.extend_from_slice(&body[..e]);
                    out.extend_from_slice(b"\r");
                    out.extend_from_slice(&body[e..]);
                }
                None => out.extend_from_slice(body),
            }
        } else {
            packed.push((n, body[start..value].to_vec()));
        }
    }
    const PER_STREAM: usize = 200;
    let mut next = size;
    for chunk in packed.chunks(PER_STREAM) {
        let number = next;
        next += 1;
        let mut head = Vec::new();
        let mut data = Vec::new();
        for (i, (n, v)) in chunk.iter().enumerate() {
            at[*n] = (2, number, i);
            head.extend_from_slice(format!("{n} {} ", data.len()).as_bytes());
            data.extend_from_slice(v);
            data.push(b'\n');
        }
        head.push(b'\n');
        let first = head.len();
        head.extend_from_slice(&data);
        let z = super::deflate::deflate(&head);
        at.push((1, out.len(), 0));
        out.extend_from_slice(
            format!(
                "{number} 0 obj\n<</Type /ObjStm /N {} /First {first} /Filter /FlateDecode /Length {}>>\nstream\n",
                chunk.len(),
                z.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&z);
        // CR LF before endstream, always: after data ending in CR a lone
        // LF would read as one CR LF marker and the data one byte short.
        out.extend_from_slice(b"\r\nendstream\nendobj\n\n");
    }
    // The cross-reference stream, numbered last.
    let xref_number = next;
    let total = xref_number + 1;
    let xref_at_new = out.len();
    at.push((1, xref_at_new, 0));
    let mut rows = Vec::with_capacity(total * 7);
    for (n, e) in table.chunks(20).enumerate() {
        if e[17] != b'n' {
            // A free entry: the next free object and the generation.
            let next_free: u32 = std::str::from_utf8(&e[..10])
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let generation: u16 = std::str::from_utf8(&e[11..16])
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            rows.push(0);
            rows.extend_from_slice(&next_free.to_be_bytes());
            rows.extend_from_slice(&generation.to_be_bytes());
            continue;
        }
        push_row(&mut rows, at[n])?;
    }
    for &row in &at[size..] {
        push_row(&mut rows, row)?;
    }
    let z = super::deflate::deflate(&rows);
    let t = trailer
        .windows(2)
        .position(|w| w == b"<<")
        .ok_or_else(|| bad("trailer"))?;
    let (e, _) = entries(trailer, t).ok_or_else(|| bad("trailer"))?;
    let mut v: Vec<(&[u8], Vec<u8>)> = vec![
        (b"/Type", b"/XRef".to_vec()),
        (b"/Size", total.to_string().into_bytes()),
        (b"/W", b"[1 4 2]".to_vec()),
        (b"/Filter", b"/FlateDecode".to_vec()),
        (b"/Length", z.len().to_string().into_bytes()),
    ];
    v.extend(e.iter().filter(|(k, _)| *k != b"/Size").map(|(k, v)| (*k, v.to_vec())));
    out.extend_from_slice(format!("{xref_number} 0 obj\n").as_bytes());
    write_dict(&mut out, &v);
    out.extend_from_slice(b"\nstream\n");
    out.extend_from_slice(&z);
    out.extend_from_slice(format!("\r\nendstream\nendobj\n\nstartxref\n{xref_at_new}\n%%EOF").as_bytes());
    Ok(out)
}

/// One row of the cross-reference stream: type, field 2 (4 bytes), field 3
/// (2 bytes).
fn push_row(rows: &mut Vec<u8>, (kind, a, b): (u8, usize, usize)) -> Result<(), PdfError> {
    let a = u32::try_from(a).map_err(|_| bad("a file over 4 GB"))?;
    let b = u16::try_from(b).map_err(|_| bad("an object stream index"))?;
    rows.push(kind);
    rows.extend_from_slice(&a.to_be_bytes());
    rows.extend_from_slice(&b.to_be_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionaries_are_read_past_strings_and_nesting() {
        let b = b"<</A (a >> b \\) c) /B <</C [1 2 0 R (x)]>> /D 3 0 R /E /F>>";
        let (e, end) = entries(b, 0).unwrap();
        assert_eq!(end, b.len());
        let keys: Vec<&[u8]> = e.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, [&b"/A"[..], b"/B", b"/D", b"/E"]);
        assert_eq!(e[2].1, b"3 0 R");
        assert_eq!(e[0].1, b"(a >> b \\) c)");
    }

    /// A stream whose data ends in CR keeps its length as a reader counts
    /// it: every `endstream` follows CR LF, never a lone LF after the data.
    #[test]
    fn streams_end_with_cr_lf_before_endstream() {
        let mut pdf = pdf_writer::Pdf::new();
        pdf.catalog(pdf_writer::Ref::new(1)).pages(pdf_writer::Ref::new(2));
        pdf.pages(pdf_writer::Ref::new(2)).count(0);
        pdf.stream(pdf_writer::Ref::new(3), b"data ending in CR\r");
        let out = pack(pdf.finish()).unwrap();
        let ends: Vec<usize> = out
            .windows(9)
            .enumerate()
            .filter(|(_, w)| *w == b"endstream")
            .map(|(i, _)| i)
            .collect();
        assert!(ends.len() >= 2, "the stream and an object stream");
        for e in ends {
            assert_eq!(
                &out[e - 2..e],
                b"\r\n",
                "{:?}",
                String::from_utf8_lossy(&out[e - 12..e])
            );
        }
        assert!(String::from_utf8_lossy(&out).contains("ending in CR\r\r\nendstream"));
    }

    #[test]
    fn a_broken_file_is_an_error_not_a_panic() {
        for pdf in [
            &b""[..],
            b"%PDF-1.7\nstartxref\n999\n%%EOF",
            b"%PDF-1.7\nxref\n0 9\nstartxref\n9\n%%EOF",
        ] {
            assert!(pack(pdf.to_vec()).is_err());
        }
    }
}
