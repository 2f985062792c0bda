//! `--redact` redacts everything (issue 25, item 4): a portfolio with a
//! unique marker in every field its formats accept — every front-matter
//! and portfolio.toml text field, `reflection.md`, file and folder names,
//! attachment names and bytes, a PNG's text chunks, a JPEG's comment and
//! EXIF, a signed decision's principal and feedback — is built and checked
//! with `--redact`, and no marker is found in any output: the HTML (and
//! every base64 `data:` payload in it, decoded), the PDF (its text as
//! pdftotext extracts it, every stream as qpdf decompresses it, and every
//! stream inflated here, in ASCII, UTF-16 and hex), coverage.json,
//! follow-ups.ics (unfolded) and `check --redact` as JSON, CSV and text.
//!
//! The markers are customer references of the centre's own pattern
//! (`[privacy] references = ["MKR-"]`), which the scanner finds wherever it
//! looks: a marker that survives is a field it never looked at.

mod support;

use base64::Engine;
use ssh_key::private::Ed25519Keypair;
use ssh_key::{LineEnding, PrivateKey};
use std::path::Path;
use support::portfolio;

/// How many markers the portfolio holds: `MKR-101` … `MKR-1NN`.
const MARKERS: usize = 56;

fn marker(n: usize) -> String {
    format!("MKR-{}", 100 + n)
}

/// A PNG (1 × 1, grey) with `tEXt` and `iTXt` chunks carrying markers.
fn png_with_text(text: &str, itext: &str) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut info = png::Info::with_size(1, 1);
        info.color_type = png::ColorType::Grayscale;
        info.bit_depth = png::BitDepth::Eight;
        let mut encoder = png::Encoder::with_info(&mut out, info).unwrap();
        encoder.add_text_chunk("Comment".into(), text.into()).unwrap();
        encoder.add_itxt_chunk("Author".into(), itext.into()).unwrap();
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&[0x80]).unwrap();
    }
    assert!(out.windows(text.len()).any(|w| w == text.as_bytes()));
    out
}

/// A 1 × 1 JPEG with a comment (`COM`) and an EXIF block (`APP1`) carrying
/// markers.
fn jpeg_with_metadata(comment: &str, exif: &str) -> Vec<u8> {
    // A minimal baseline-free 1 × 1 JPEG (arithmetic coding), 134 bytes.
    const TINY: &str = "FFD8FFE000104A46494600010101004800480000FFDB004300030202020202030202020303030304060404040404080606050609080A0A090809090A0C0F0C0A0B0E0B09090D110D0E0F101011100A0C12131210130F101010FFC9000B080001000101011100FFCC000600101005FFDA0008010100003F00D2CF20FFD9";
    let tiny: Vec<u8> = (0..TINY.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&TINY[i..i + 2], 16).unwrap())
        .collect();
    let segment = |marker: u8, body: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(body);
        s
    };
    let mut exif_body = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x0e\0\x02".to_vec();
    exif_body.extend_from_slice(&((exif.len() + 1) as u32).to_be_bytes());
    exif_body.extend_from_slice(&26u32.to_be_bytes());
    exif_body.extend_from_slice(&[0, 0, 0, 0]);
    exif_body.extend_from_slice(exif.as_bytes());
    exif_body.push(0);
    let mut out = tiny[..2].to_vec();
    out.extend(segment(0xE1, &exif_body));
    out.extend(segment(0xFE, comment.as_bytes()));
    out.extend_from_slice(&tiny[2..]);
    out
}

/// The portfolio, with every marker planted; returns the folder.
fn plant(root: &Path) -> std::path::PathBuf {
    let m = marker;
    let dir = root.join("p");
    for sub in [
        "evidence",
        "attachments",
        &format!("evidence/{}", m(1)),
        &format!("attachments/{}", m(2)),
    ] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    std::fs::write(
        dir.join("portfolio.toml"),
        format!(
            "[learner]\nname = \"Sam {}\"\nid = \"{}\"\nuln = \"{}\"\nregistered = 2026-01-12\n\n\
             [centre]\nname = \"Centre {}\"\nnumber = \"{}\"\n\n\
             [[assessor]]\nname = \"Assessor {}\"\n\n[[assessor]]\nname = \"Second {}\"\n\n\
             [privacy]\nreferences = [\"MKR-\"]\n",
            m(3),
            m(4),
            m(5),
            m(6),
            m(7),
            m(8),
            m(9)
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("reflection.md"),
        format!("# Reflection {}\n\nI learned about case {} [[1.1]].\n", m(10), m(11)),
    )
    .unwrap();
    // The id from the file name, in a folder whose name is a marker.
    std::fs::write(
        dir.join(format!("evidence/{}/{}.md", m(1), m(12))),
        format!(
            "+++\ntitle = \"Visit {}\"\ndate = 2026-02-18\nmethod = \"observation\"\ncriteria = [\"1.1\", \"1.2\", \"1.3\"]\n\
             occasion = \"{}\"\nheld_at = \"Cabinet {}\"\n\
             attachments = [\"attachments/{}.txt\", \"attachments/{}/report.pdf\", \"attachments/photo-{}.png\", \"attachments/{}.jpg\"]\n\
             [witness]\nname = \"Wit {}\"\nrole = \"Role {}\"\nrelationship = \"Rel {}\"\ncontact = \"Contact {}\"\n\
             [assessment]\ndecision = \"accepted\"\nby = \"By {}\"\ndate = 2026-02-20\nfeedback = \"Feedback {}\"\n+++\n\
             The customer {} called [[1.1]] [[1.2]] [[1.3]].\n\n![Alt {}](attachments/photo-{}.png)\n\n![](attachments/{}.jpg)\n\n\
             [a link {}](https://example.org/{})\n\n```\ncode {}\n```\n",
            m(13),
            m(14),
            m(15),
            m(16),
            m(2),
            m(17),
            m(18),
            m(19),
            m(20),
            m(21),
            m(22),
            m(23),
            m(24),
            m(25),
            m(26),
            m(17),
            m(18),
            m(27),
            m(28),
            m(29)
        ),
    )
    .unwrap();
    // The id set in the front matter, a handover record with every field.
    std::fs::write(
        dir.join("evidence/02-handover.md"),
        format!(
            "+++\nid = \"{}\"\ntitle = \"Handover {}\"\ndate = 2026-03-14\nmethod = \"observation\"\n\
             criteria = [\"2.1\", \"2.2\", \"3.1\", \"3.2\"]\noccasion = \"Occasion {}\"\nheld_at = \"Held {}\"\n\
             [witness]\nname = \"Second witness {}\"\nrole = \"Team leader {}\"\n\
             [handover]\nreason = \"Reason {}\"\nsituation = \"Situation {}\"\nbackground = \"Background {}\"\n\
             assessment = \"Assessment {}\"\nrecommendation = \"Recommendation {}\"\nexchanged_by = [\"Phone {}\"]\n\
             customer_told = \"Told {}\"\nreceiver_confirmed = true\nfeedback = \"Handover feedback {}\"\n\
             to = {{ name = \"Receiver {}\", role = \"Receiver role {}\", team = \"Team {}\" }}\n\
             actions = [{{ action = \"Action {}\", owner = \"Owner {}\", due = 2026-12-01 }}]\n\
             reminder = {{ date = 2026-12-02, how = \"How {}\" }}\n\
             check = {{ date = 2026-12-03, outcome = \"done\", note = \"Note {}\" }}\n\
             further_actions = [{{ action = \"Further {}\", owner = \"Further owner {}\", due = 2026-12-04 }}]\n+++\n\
             I handed over case {} [[2.1]] [[2.2]] [[3.1]] [[3.2]].\n",
            m(30),
            m(31),
            m(32),
            m(33),
            m(34),
            m(35),
            m(36),
            m(37),
            m(38),
            m(39),
            m(40),
            m(41),
            m(42),
            m(43),
            m(44),
            m(45),
            m(46),
            m(47),
            m(48),
            m(49),
            m(50),
            m(51),
            m(52),
            m(53)
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join(format!("attachments/{}.txt", m(16))),
        format!("notes {}\n", m(54)),
    )
    .unwrap();
    std::fs::write(
        dir.join(format!("attachments/{}/report.pdf", m(2))),
        format!("%PDF-1.4\n% {}\n%%EOF\n", m(55)),
    )
    .unwrap();
    std::fs::write(
        dir.join(format!("attachments/photo-{}.png", m(17))),
        png_with_text(&m(56), &format!("itxt {}", m(56))),
    )
    .unwrap();
    std::fs::write(
        dir.join(format!("attachments/{}.jpg", m(18))),
        jpeg_with_metadata(&format!("comment {}", m(55)), &format!("exif {}", m(54))),
    )
    .unwrap();
    dir
}

/// A signed decision on the item whose id is a marker: its file path, the
/// principal and the feedback are shown too.
fn sign(root: &Path, dir: &Path) {
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&[9; 32]));
    let key_file = root.join("key");
    key.write_openssh_file(&key_file, LineEnding::LF).unwrap();
    portfolio()
        .arg("assess")
        .arg(dir)
        .arg(marker(30))
        .args([
            "--decision",
            "accepted",
            "--by",
            // Only the learner's assessor may sign an acceptance (trust
            // principle 3): the principal is the first assessor's name.
            &format!("Assessor {}", marker(8)),
            "--date",
            "2026-04-22",
        ])
        .args(["--feedback", &format!("Signed feedback {}", marker(20)), "--key"])
        .arg(&key_file)
        .assert()
        .success();
}

/// Each marker's forms as bytes: as written, lower-case, UTF-16BE, and hex
/// (of the bytes and of the UTF-16).
fn forms(m: &str) -> Vec<Vec<u8>> {
    let utf16: Vec<u8> = m.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>().into_bytes();
    vec![
        m.as_bytes().to_vec(),
        m.to_lowercase().into_bytes(),
        utf16.clone(),
        hex(m.as_bytes()),
        hex(&utf16),
    ]
}

/// Where any marker (in any form, ignoring ASCII case) occurs in `bytes`.
fn find_markers(what: &str, bytes: &[u8], found: &mut Vec<String>) {
    let lower = bytes.to_ascii_lowercase();
    for n in 1..=MARKERS {
        let m = marker(n);
        for form in forms(&m) {
            let form = form.to_ascii_lowercase();
            if lower.windows(form.len()).any(|w| w == form.as_slice()) {
                found.push(format!("{m} in {what}"));
                break;
            }
        }
    }
}

/// Every base64 payload of a `data:` URI in `html`, decoded.
fn data_payloads(html: &str) -> Vec<Vec<u8>> {
    html.match_indices(";base64,")
        .map(|(i, _)| {
            let rest = &html[i + 8..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
                .unwrap_or(rest.len());
            base64::engine::general_purpose::STANDARD
                .decode(&rest[..end])
                .expect("a data: payload that is not base64")
        })
        .collect()
}

/// Every stream of the PDF, inflated here (lopdf), whatever qpdf does.
fn inflated_streams(pdf: &[u8]) -> Vec<Vec<u8>> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .map(|s| s.decompressed_content().unwrap_or_else(|_| s.content.clone()))
        .collect()
}

/// Every marker found in the outputs in `out` (build's) and in `check`
/// of `dir` in every format, with `extra` arguments (`--redact`).
fn scan(tmp: &Path, dir: &Path, out: &Path, build_messages: &[u8], extra: &[&str], found: &mut Vec<String>) {
    find_markers("build's messages", build_messages, found);
    let html = std::fs::read_to_string(out.join("portfolio.html")).unwrap();
    find_markers("portfolio.html", html.as_bytes(), found);
    for (i, payload) in data_payloads(&html).iter().enumerate() {
        find_markers(&format!("portfolio.html data: payload {i}"), payload, found);
    }

    let pdf_path = out.join("portfolio.pdf");
    let pdf = std::fs::read(&pdf_path).unwrap();
    find_markers("portfolio.pdf (raw)", &pdf, found);
    for (i, s) in inflated_streams(&pdf).iter().enumerate() {
        find_markers(&format!("portfolio.pdf stream {i} (inflated)"), s, found);
    }
    if support::tool("pdftotext", "the redacted PDF's text") {
        let text = std::process::Command::new("pdftotext")
            .arg(&pdf_path)
            .arg("-")
            .output()
            .unwrap();
        assert!(text.status.success());
        find_markers("portfolio.pdf (pdftotext)", &text.stdout, found);
    }
    if support::tool("qpdf", "the redacted PDF's streams") {
        let qdf = tmp.join("qdf.pdf");
        let status = std::process::Command::new("qpdf")
            .args(["--qdf", "--object-streams=disable"])
            .arg(&pdf_path)
            .arg(&qdf)
            .status()
            .unwrap();
        assert!(status.success() || status.code() == Some(3), "qpdf: {status:?}");
        find_markers("portfolio.pdf (qpdf --qdf)", &std::fs::read(&qdf).unwrap(), found);
    }

    let json = std::fs::read(out.join("coverage.json")).unwrap();
    find_markers("coverage.json", &json, found);
    let ics = std::fs::read_to_string(out.join("follow-ups.ics")).unwrap();
    // Long iCalendar lines are folded: a CRLF and a space inside a value.
    find_markers("follow-ups.ics", ics.replace("\r\n ", "").as_bytes(), found);

    for format in ["json", "csv", "text"] {
        let check = portfolio()
            .arg("check")
            .args(extra)
            .args(["--format", format])
            .arg(dir)
            .output()
            .unwrap();
        assert!(matches!(check.status.code(), Some(0 | 1)), "{check:?}");
        find_markers(
            &format!("check {} --format {format}", extra.join(" ")),
            &[check.stdout, check.stderr].concat(),
            found,
        );
    }
}

fn build(dir: &Path, out: &Path, extra: &[&str]) -> Vec<u8> {
    let build = portfolio()
        .arg("build")
        .args(extra)
        .arg(dir)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(
        build.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    [build.stdout, build.stderr].concat()
}

#[test]
fn no_marker_survives_build_or_check_with_redact() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = plant(tmp.path());
    if let Ok(keep) = std::env::var("REDACT_TEST_KEEP") {
        let _ = std::fs::remove_dir_all(&keep);
        std::fs::create_dir_all(&keep).unwrap();
        std::process::Command::new("cp")
            .arg("-r")
            .arg(&dir)
            .arg(&keep)
            .status()
            .unwrap();
    }
    sign(tmp.path(), &dir);

    // Without --redact every marker is shown somewhere: the search finds
    // them, in the attachments' bytes too.
    let plain = tmp.path().join("plain");
    let messages = build(&dir, &plain, &[]);
    let mut seen = Vec::new();
    scan(tmp.path(), &dir, &plain, &messages, &[], &mut seen);
    // Three are never shown: the folder an attachment is in (only its file
    // name is), a second assessor's name, and marker 19 (once the signer's
    // name; the signer is now the first assessor, marker 8).
    let never: Vec<String> = (1..=MARKERS)
        .filter(|&n| n != 2 && n != 9 && n != 19)
        .map(marker)
        .filter(|m| !seen.iter().any(|s| s.starts_with(&format!("{m} "))))
        .collect();
    assert!(never.is_empty(), "planted but never shown, even unredacted: {never:?}");

    let out = tmp.path().join("out");
    let messages = build(&dir, &out, &["--redact"]);
    let mut found = Vec::new();
    scan(tmp.path(), &dir, &out, &messages, &["--redact"], &mut found);
    assert!(
        found.is_empty(),
        "markers found in redacted outputs:\n{}",
        found.join("\n")
    );
    let html = std::fs::read_to_string(out.join("portfolio.html")).unwrap();
    assert!(
        html.contains("withheld: personal data may be present"),
        "no attachment is listed as withheld"
    );
}

#[test]
fn batch_with_redact_names_no_marker_in_folders_or_cohort_files() {
    let tmp = tempfile::tempdir().unwrap();
    let cohort = tmp.path().join("cohort");
    std::fs::create_dir_all(&cohort).unwrap();
    let dir = plant(tmp.path());
    // The learner's folder in the cohort is named by a marker too.
    std::fs::rename(&dir, cohort.join(marker(1))).unwrap();
    let out = tmp.path().join("out");
    let batch = portfolio()
        .args(["batch", "--redact", "-q"])
        .arg(&cohort)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        batch.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&batch.stderr)
    );
    let mut found = Vec::new();
    find_markers("batch's messages", &[batch.stdout, batch.stderr].concat(), &mut found);
    let mut stack = vec![out.clone()];
    let mut files = 0;
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(&out).unwrap().to_string_lossy().to_string();
            find_markers(&format!("the name {rel}"), rel.as_bytes(), &mut found);
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e != "pdf") {
                files += 1;
                find_markers(&rel, &std::fs::read(&path).unwrap(), &mut found);
            }
        }
    }
    assert!(files >= 5, "only {files} files written");
    assert!(
        found.is_empty(),
        "markers found in the batch's outputs:\n{}",
        found.join("\n")
    );
}
