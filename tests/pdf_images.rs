//! Images in the PDF (issue 15, item 6), on a portfolio built by the real
//! binary with PNGs made here: an inline `![caption](attachments/x.png)`
//! drawn where it stands and not again in the attachment list, one that
//! names no attachment printed as text saying so, a very tall screenshot
//! split over pages, a very wide one shown at the text width with its
//! original embedded as a file. Checked with poppler's `pdfimages` and
//! `pdftotext` and with `qpdf --list-attachments`.

mod support;

use support::portfolio;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A `width` × `height` RGB PNG: bands of colour 100 pixels tall with a
/// dark line between them, so a slice shows where it was cut.
fn png(path: &Path, width: u32, height: u32) {
    use std::io::Write;
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut enc = png::Encoder::new(file, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let mut writer = enc.write_header().unwrap().into_stream_writer().unwrap();
    for y in 0..height {
        let band = (y / 100) as u8;
        let px: [u8; 3] = if y % 100 < 4 {
            [20, 20, 30]
        } else {
            [
                200u8.wrapping_add(band.wrapping_mul(37)),
                120u8.wrapping_add(band.wrapping_mul(53)),
                220,
            ]
        };
        let row: Vec<u8> = (0..width)
            .flat_map(|x| if x % 200 < 3 { [20, 20, 30] } else { px })
            .collect();
        writer.write_all(&row).unwrap();
    }
    writer.finish().unwrap();
}

const ITEM_A: &str = "+++
title = \"Handover note and chat\"
date = 2026-03-01
method = \"product\"
criteria = [\"1.1\"]
attachments = [\"attachments/note.png\", \"attachments/chat.png\"]
+++
I wrote this handover note for the late shift.

![Handover note](attachments/note.png)

The note sat on the team board. The photo I meant to add ![Lost photo](attachments/lost.png) was lost.

The chat is attached below.
";

const ITEM_B: &str = "+++
title = \"Spreadsheet of open cases\"
date = 2026-03-02
method = \"product\"
criteria = [\"1.2\"]
attachments = [\"attachments/sheet.png\", \"attachments/broken.png\"]
+++
The spreadsheet of open cases I kept for the team.
";

/// The portfolio folder and the built PDF's path (in `out`).
fn built() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("evidence")).unwrap();
    std::fs::create_dir_all(p.join("attachments")).unwrap();
    std::fs::write(
        p.join("portfolio.toml"),
        "[learner]\nname = \"Test Learner\"\nid = \"T-1\"\n",
    )
    .unwrap();
    std::fs::write(p.join("evidence/01-note.md"), ITEM_A).unwrap();
    std::fs::write(p.join("evidence/02-sheet.md"), ITEM_B).unwrap();
    png(&p.join("attachments/note.png"), 800, 400);
    png(&p.join("attachments/chat.png"), 1080, 6000);
    png(&p.join("attachments/sheet.png"), 4000, 500);
    // A PNG signature and nothing readable after it.
    std::fs::write(p.join("attachments/broken.png"), b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = portfolio()
        .arg("build")
        .arg(p)
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    let pdf = out.path().join("portfolio.pdf");
    assert!(pdf.is_file(), "{}", String::from_utf8_lossy(&o.stderr));
    (dir, out, pdf)
}

fn run(program: &str, args: &[&str], pdf: &Path, after: &[&str]) -> String {
    let o = Command::new(program).args(args).arg(pdf).args(after).output().unwrap();
    assert!(o.status.success(), "{program}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// `pdfimages -list`: (page, width, height) of each image drawn.
fn images(pdf: &Path) -> Vec<(usize, u32, u32)> {
    run("pdfimages", &["-list"], pdf, &[])
        .lines()
        .skip(2)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            // page num type width height ...; soft masks are not ours.
            if f.get(2) != Some(&"image") {
                return None;
            }
            Some((f[0].parse().ok()?, f[3].parse().ok()?, f[4].parse().ok()?))
        })
        .collect()
}

/// Page `page` (from 1) rendered in grey at 36 dpi (half a pixel per
/// point): width, height and one byte per pixel.
fn grey_page(pdf: &Path, page: usize) -> (usize, usize, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("page");
    let n = page.to_string();
    let o = Command::new("pdftoppm")
        .args(["-r", "36", "-gray", "-singlefile", "-f", &n, "-l", &n])
        .arg(pdf)
        .arg(&root)
        .output()
        .unwrap();
    assert!(o.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&o.stderr));
    let data = std::fs::read(root.with_extension("pgm")).unwrap();
    // "P5\n<w> <h>\n255\n" then the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        let end = at + data[at..].iter().position(|b| b.is_ascii_whitespace()).unwrap();
        fields.push(String::from_utf8_lossy(&data[at..end]).to_string());
        at = end + 1;
    }
    let (w, h) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, data[at..].to_vec())
}

/// Whether the band from `y1` to `y2` points down the page, between 100
/// and 500 points across, is blank.
fn blank(page: &(usize, usize, Vec<u8>), y1: f32, y2: f32) -> bool {
    let (w, _, px) = page;
    let rows = (y1 / 2.0).ceil() as usize..(y2 / 2.0) as usize;
    rows.flat_map(|y| (50..250).map(move |x| px[y * w + x]))
        .all(|v| v > 240)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn inline_tall_and_wide_images() {
    if !support::tool("pdfimages", "the PDF's images") || !support::tool("pdftotext", "the PDF's text") {
        return;
    }
    let (_dir, _out, pdf) = built();
    let drawn = images(&pdf);
    let of = |w: u32, h: u32| -> Vec<usize> { drawn.iter().filter(|d| d.1 == w && d.2 == h).map(|d| d.0).collect() };

    // The inline image is drawn once, where it stands; the list says so.
    let note = of(800, 400);
    assert_eq!(note.len(), 1, "the inline image drawn once: {drawn:?}");
    let pages: Vec<String> = run("pdftotext", &["-layout"], &pdf, &["-"])
        .split('\u{c}')
        .map(one_line)
        .collect();
    let text = pages.join(" ");
    let on = |needle: &str| pages.iter().position(|p| p.contains(needle));
    let caption = text.find("Handover note (note.png, ").expect(&text);
    let before = text.find("I wrote this handover note").unwrap();
    let after = text.find("The note sat on the team board.").unwrap();
    assert!(
        before < caption && caption < after,
        "the image stands between its paragraphs"
    );
    assert_eq!(
        on("Handover note (note.png, "),
        Some(note[0] - 1),
        "caption on the image's page"
    );
    assert!(
        text.contains(&format!("shown above in the narrative, page {}", note[0])),
        "{text}"
    );
    assert!(
        text.contains("[image not embedded: Lost photo, attachments/lost.png — not among the item's attachments]"),
        "{text}"
    );

    // The tall screenshot: at the text width, over consecutive pages.
    let chat = of(1080, 6000);
    assert!((2..=8).contains(&chat.len()), "{chat:?}");
    assert!(chat.windows(2).all(|w| w[1] == w[0] + 1), "consecutive pages: {chat:?}");
    assert_eq!(
        text.matches("(image continues on the next page)").count(),
        chat.len() - 1
    );
    if support::tool("pdftoppm", "the slices' clipping") {
        for &p in &chat {
            // Each slice painted only inside the body: nothing between the
            // running header's rule (50 pt) and the body (70 pt), nor
            // between the body's foot (780 pt) and the footer (800 pt).
            let page = grey_page(&pdf, p);
            assert!(blank(&page, 54.0, 66.0), "page {p}: the slice spills above the body");
            assert!(blank(&page, 784.0, 798.0), "page {p}: the slice spills below the body");
            assert!(!blank(&page, 120.0, 700.0), "page {p}: the slice is drawn");
        }
    }
    let last = on("chat.png (").expect("the chat's caption");
    assert_eq!(last + 1, *chat.last().unwrap(), "caption after the last slice");
    assert!(
        text.contains(&format!("shown over {} pages from page {}", chat.len(), chat[0])),
        "{text}"
    );

    // The wide spreadsheet: at the text width, with a note, and embedded.
    assert_eq!(of(4000, 500).len(), 1);
    assert!(
        text.contains(
            "Shown at 12% of its size; the original is embedded in this PDF as a file attachment (sheet.png)."
        ),
        "{text}"
    );
    assert!(
        text.contains("broken.png (18 bytes) SHA-256")
            && text.contains(
                "The image cannot be read, so it is not drawn. Embedded in this PDF as “item 02.02 broken.png”: click the name, or open the viewer's attachments panel."
            ),
        "{text}"
    );

    // The HTML shows the inline image where it stands too (inside its
    // paragraph's place, between the two sentences), once: the attachment
    // list points to it instead of drawing it again.
    let html = std::fs::read_to_string(pdf.with_file_name("portfolio.html")).unwrap();
    let at =
        html.find("<span class=\"figure\" id=\"").expect("the inline picture") + "<span class=\"figure\" id=\"".len();
    let id = &html[at..at + html[at..].find('"').unwrap()];
    assert!(id.ends_with("-att1"), "{id}");
    let before = html.find("I wrote this handover note").unwrap();
    let after = html.find("The note sat on the team board").unwrap();
    assert!(before < at && at < after, "the picture stands between its paragraphs");
    assert!(html[at..after].contains("<img src=\"data:image/png;base64,"));
    assert!(html[at..after].contains("Handover note (note.png)"));
    assert!(html.contains(&format!("<a href=\"#{id}\">note.png</a>")), "{html}");
    assert!(html.contains("shown above in the narrative"));
    assert!(!html.contains(&format!("<figure id=\"{id}\"")), "drawn a second time");
    assert_eq!(
        html.matches("data:image/png;base64,").count(),
        4,
        "note.png once (inline); chat.png, sheet.png and broken.png in the attachment list"
    );
    assert!(html.contains("Lost photo (image not embedded: attachments/lost.png)"));

    // The embedded originals are the document's associated files (PDF/A-3),
    // named by item and position, each opened by a paperclip on its name
    // too (render::pdf::attach).
    if support::tool("qpdf", "the PDF's embedded files") {
        let listed = run("qpdf", &["--list-attachments"], &pdf, &[]);
        assert!(
            listed.contains("item 02.01 sheet.png") && listed.contains("item 02.02 broken.png"),
            "{listed}"
        );
        assert!(!listed.contains("note.png") && !listed.contains("chat.png"), "{listed}");
        let status = Command::new("qpdf").arg("--check").arg(&pdf).output().unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stdout));
    }
}

/// A PNG the PDF cannot copy as it stands (here with an alpha channel) is
/// decoded; its pixels and its soft mask are deflated again, never stored
/// raw (a 600 × 300 RGBA image is 720 KB of pixels).
#[test]
fn decoded_images_are_stored_compressed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("evidence")).unwrap();
    std::fs::create_dir_all(p.join("attachments")).unwrap();
    std::fs::write(p.join("portfolio.toml"), "[learner]\nname = \"Test Learner\"\n").unwrap();
    std::fs::write(
        p.join("evidence/01.md"),
        "+++\ntitle = \"Screenshot\"\ndate = 2026-03-01\nmethod = \"product\"\ncriteria = [\"1.1\"]\nattachments = [\"attachments/shot.png\"]\n+++\nThe screenshot.\n",
    )
    .unwrap();
    {
        let file = std::io::BufWriter::new(std::fs::File::create(p.join("attachments/shot.png")).unwrap());
        let mut enc = png::Encoder::new(file, 600, 300);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        let data: Vec<u8> = (0..600 * 300)
            .flat_map(|i| [(i % 251) as u8, 90, 200, 100 + (i % 7) as u8 * 20])
            .collect();
        w.write_image_data(&data).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let o = portfolio()
        .arg("build")
        .arg(p)
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    let path = out.path().join("portfolio.pdf");
    assert!(path.is_file(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(path).unwrap();
    let pdf = lopdf::Document::load_mem(&bytes).unwrap();
    let mut images = 0;
    for obj in pdf.objects.values() {
        let Ok(stream) = obj.as_stream() else { continue };
        if stream.dict.get(b"Subtype").and_then(lopdf::Object::as_name).ok() == Some(b"Image".as_slice()) {
            images += 1;
            assert!(
                stream.dict.get(b"Filter").is_ok(),
                "an image stored raw: {:?}",
                stream.dict
            );
        }
    }
    assert_eq!(images, 2, "the image and its soft mask");
    assert!(bytes.len() < 300_000, "{} bytes", bytes.len());
}

/// A phone photo stored sideways (160 × 80 pixels, a black band down its
/// left edge) with EXIF orientation 6 stands upright in the PDF: on the
/// rendered page the band runs across the top of a portrait picture.
/// The HTML leaves the turning to the browser (`image-orientation:
/// from-image`, the default, stated in the style sheet).
#[test]
fn a_photo_with_exif_orientation_6_stands_upright() {
    if !support::tool("pdftoppm", "the PDF's pages") || !support::tool("pdfimages", "the PDF's images") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("evidence")).unwrap();
    std::fs::create_dir_all(p.join("attachments")).unwrap();
    std::fs::write(p.join("portfolio.toml"), "[learner]\nname = \"Test Learner\"\n").unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sideways-orientation-6.jpg"),
        p.join("attachments/photo.jpg"),
    )
    .unwrap();
    std::fs::write(
        p.join("evidence/01-photo.md"),
        "+++\ntitle = \"The board\"\ndate = 2026-03-01\nmethod = \"product\"\ncriteria = [\"1.1\"]\nattachments = [\"attachments/photo.jpg\"]\n+++\nThe handover board.\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = portfolio()
        .arg("build")
        .arg(p)
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    let pdf = out.path().join("portfolio.pdf");
    assert!(pdf.is_file(), "{}", String::from_utf8_lossy(&o.stderr));
    let found = images(&pdf);
    assert_eq!(found.len(), 1, "{found:?}");
    let (page, w, h) = found[0];
    assert_eq!((w, h), (160, 80), "the pixels are kept as stored");
    let (pw, ph, px) = grey_page(&pdf, page);
    // The dark pixels' box: the band, wide and short when upright.
    let (mut x0, mut y0, mut x1, mut y1) = (pw, ph, 0, 0);
    for y in 0..ph {
        for x in 0..pw {
            if px[y * pw + x] < 60 {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    // Ignore text: the band is the one large dark area, far wider than a
    // glyph; measure it where it is.
    assert!(x1 > x0 && y1 > y0, "no dark pixels");
    let band = |y: usize| (0..pw).filter(|&x| px[y * pw + x] < 60).count();
    let rows: Vec<usize> = (0..ph).filter(|&y| band(y) > pw / 4).collect();
    assert!(!rows.is_empty(), "no wide dark band: the photo is still sideways");
    let tall = rows.len();
    let wide = rows.iter().map(|&y| band(y)).max().unwrap();
    assert!(wide > tall, "the band is {wide} wide and {tall} tall: not upright");
    let css = std::fs::read_to_string(out.path().join("portfolio.html")).unwrap();
    assert!(css.contains("image-orientation: from-image"));
}

/// tests/build-fixtures/pdf-everything, the portfolio CI validates for
/// every kind of content: each of its six images is drawn (a PNG with
/// alpha with its soft mask, a palette PNG, 16-bit and 8-bit grey PNGs, a
/// very wide screenshot, a sideways JPEG kept as stored), and the wide
/// screenshot's original, the e-mail and the CSV are embedded files.
#[test]
fn every_kind_of_image_in_the_validated_fixture_is_drawn() {
    if !support::tool("pdfimages", "the PDF's images") || !support::tool("qpdf", "the PDF's embedded files") {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    portfolio()
        .arg("build")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/build-fixtures/pdf-everything"))
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    let pdf = out.path().join("portfolio.pdf");
    let mut found: Vec<(u32, u32)> = images(&pdf).into_iter().map(|(_, w, h)| (w, h)).collect();
    found.sort_unstable();
    assert_eq!(
        found,
        [(64, 48), (90, 60), (100, 50), (120, 80), (160, 80), (3000, 300)]
    );
    let list = run("pdfimages", &["-list"], &pdf, &[]);
    assert_eq!(list.lines().filter(|l| l.contains(" smask ")).count(), 1, "{list}");
    let attached = Command::new("qpdf")
        .arg("--list-attachments")
        .arg(&pdf)
        .output()
        .unwrap();
    let attached = String::from_utf8_lossy(&attached.stdout);
    for name in ["wide-screenshot.png", "thread.eml", "actions.csv"] {
        assert!(attached.contains(name), "{name} not embedded: {attached}");
    }
}
