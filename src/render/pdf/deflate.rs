//! Deflating the PDF's streams, and the time it takes, which the PDF bench
//! reports as its own phase.

use lopdf::{Dictionary, Object, Stream};
use std::cell::{Cell, RefCell};
use super::clock::Instant;
use std::time::Duration;

/// Deflate level for the streams. zlib-rs (through `flate2`) is pure Rust:
/// the same bytes on every platform, the browser's WebAssembly included,
/// where libdeflate (C) does not build. libdeflate at level 3 had taken
/// 1.60 G instructions on 10 heavy learners (callgrind, `batch --jobs 1`)
/// where zlib-rs took 1.84 G, for files 1% larger.
const DEFLATE_LEVEL: u32 = 3;

/// zlib-deflates `data` with `z`, or `None` if it fails.
fn zlib(z: &mut flate2::Compress, data: &[u8]) -> Option<Vec<u8>> {
    z.reset();
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    loop {
        let before = z.total_in();
        let start = usize::try_from(before).ok()?;
        let status = z
            .compress_vec(data.get(start..)?, &mut out, flate2::FlushCompress::Finish)
            .ok()?;
        if status == flate2::Status::StreamEnd {
            return Some(out);
        }
        // Out of room: grow and go on (each round either consumes input or
        // has room to write more output, so it ends).
        out.reserve(out.capacity().max(64));
    }
}

/// Deflates streams at [`DEFLATE_LEVEL`], keeping the time it takes.
pub struct Deflater {
    z: RefCell<flate2::Compress>,
    spent: Cell<Duration>,
}

impl Deflater {
    pub fn new() -> Deflater {
        Deflater {
            z: RefCell::new(flate2::Compress::new(flate2::Compression::new(DEFLATE_LEVEL), true)),
            spent: Cell::new(Duration::ZERO),
        }
    }

    /// The time spent deflating so far.
    pub fn spent(&self) -> Duration {
        self.spent.get()
    }

    /// `data` as a stream with `dict`, deflated when that makes it smaller.
    pub fn stream(&self, mut dict: Dictionary, data: Vec<u8>) -> Stream {
        let start = Instant::now();
        let packed = zlib(&mut self.z.borrow_mut(), &data);
        self.spent.set(self.spent.get() + start.elapsed());
        let mut stream = match packed {
            Some(p) if p.len() + 19 < data.len() => {
                dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                Stream::new(dict, p)
            }
            _ => Stream::new(dict, data),
        };
        stream.allows_compression = false;
        stream
    }
}
