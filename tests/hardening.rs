//! Hardening: inputs too large, too deep, too many, linked or locked; the
//! input folder never modified; outputs never half-written.

mod support;

use support::portfolio;

use sha2::Digest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

const PORTFOLIO_TOML: &str = "[learner]\nname = \"Test Learner\"\nid = \"T-1\"\n";

fn item(title: &str, codes: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2026-03-01\nmethod = \"questioning\"\ncriteria = [{codes}]\n+++\n{body}\n"
    )
}

/// A portfolio with one good item (1.2) and whatever `extra` adds.
fn portfolio_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("evidence")).unwrap();
    std::fs::write(dir.path().join("portfolio.toml"), PORTFOLIO_TOML).unwrap();
    std::fs::write(dir.path().join("evidence/good.md"), item("Good", "\"1.2\"", "Fine.")).unwrap();
    dir
}

fn check_json(dir: &Path) -> (i32, serde_json::Value, String) {
    let out = portfolio()
        .arg("check")
        .arg(dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn status(json: &serde_json::Value, code: &str) -> String {
    json["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap()["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Every file under `dir` with a hash of its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (
                e.path().to_path_buf(),
                sha2::Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn a_symlink_loop_and_linked_files_are_not_followed() {
    let dir = portfolio_dir();
    std::os::unix::fs::symlink(dir.path().join("evidence"), dir.path().join("evidence/loop")).unwrap();
    std::fs::write(dir.path().join("outside.md"), item("Outside", "\"1.1\"", "x")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("outside.md"), dir.path().join("evidence/linked.md")).unwrap();
    let (code, json, stderr) = check_json(dir.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("symlink-skipped"), "{stderr}");
    assert_eq!(status(&json, "1.1"), "missing", "the linked item is not read");
    assert_eq!(status(&json, "1.2"), "claimed");
}

#[test]
fn an_attachment_through_a_symlink_that_leaves_the_folder_is_refused() {
    let dir = portfolio_dir();
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::create_dir(dir.path().join("attachments")).unwrap();
    std::os::unix::fs::symlink(secret.path(), dir.path().join("attachments/sheet.png")).unwrap();
    std::fs::write(
        dir.path().join("evidence/a.md"),
        item("Linked", "\"1.1\"", "x").replace("+++\nx", "attachments = [\"attachments/sheet.png\"]\n+++\nx"),
    )
    .unwrap();
    let (code, json, _) = check_json(dir.path());
    assert_eq!(code, 2);
    let p = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["rule"] == "attachment-outside")
        .unwrap();
    assert_eq!(p["file"], "evidence/a.md");
    assert_eq!(p["line"], 6);
}

#[test]
fn an_unreadable_file_is_reported_and_the_rest_evaluated() {
    use std::os::unix::fs::PermissionsExt;
    let dir = portfolio_dir();
    let locked = dir.path().join("evidence/locked.md");
    std::fs::write(&locked, item("Locked", "\"1.1\"", "x")).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        eprintln!("running as root: permissions do not stop reads; nothing to test");
        return;
    }
    let (code, json, _) = check_json(dir.path());
    assert_eq!(code, 2);
    assert!(
        json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["file"] == "evidence/locked.md")
    );
    assert_eq!(status(&json, "1.2"), "claimed");
}

#[test]
fn a_50_mb_item_is_refused_without_reading_it() {
    let dir = portfolio_dir();
    let big = std::fs::File::create(dir.path().join("evidence/huge.md")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    let (code, json, _) = check_json(dir.path());
    assert_eq!(code, 2);
    let p = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"] == "evidence/huge.md")
        .unwrap();
    assert!(p["message"].as_str().unwrap().contains("at most 4 MB"), "{p}");
    assert_eq!(status(&json, "1.2"), "claimed");
}

#[test]
fn deep_nesting_is_refused_and_long_lines_build() {
    let dir = portfolio_dir();
    let quotes = format!("{} deep quote", ">".repeat(10_000));
    let lists = format!("{}deep item", "- ".repeat(10_000));
    std::fs::write(
        dir.path().join("evidence/quotes.md"),
        item("Quotes", "\"1.1\"", &quotes),
    )
    .unwrap();
    std::fs::write(dir.path().join("evidence/lists.md"), item("Lists", "\"1.3\"", &lists)).unwrap();
    let (code, json, _) = check_json(dir.path());
    assert_eq!(code, 2);
    let deep: Vec<_> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["message"].as_str().unwrap().contains("levels deep"))
        .collect();
    assert_eq!(deep.len(), 2, "{deep:?}");
    assert!(deep.iter().all(|p| p["line"] == 7));
    assert_eq!(status(&json, "1.2"), "claimed");

    // Fifty levels, the limit, and a 1 MB line still build, HTML and PDF.
    std::fs::write(
        dir.path().join("evidence/quotes.md"),
        item("Quotes", "\"1.1\"", &format!("{} fifty", "> ".repeat(50))),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("evidence/lists.md"),
        item("Lists", "\"1.3\"", &format!("{}fifty items", "- ".repeat(50))),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("evidence/line.md"),
        item("Line", "\"1.4\"", &"word ".repeat(200_000)),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = portfolio()
        .arg("build")
        .arg(dir.path())
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(
        result.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let html = std::fs::read_to_string(out.path().join("portfolio.html")).unwrap();
    assert!(html.contains("fifty items"));
    assert!(out.path().join("portfolio.pdf").is_file());
}

#[test]
fn ten_thousand_items_check_quickly() {
    let dir = portfolio_dir();
    let codes = ["\"1.1\"", "\"1.2\"", "\"2.1\"", "\"3.1\"", "\"P5\""];
    for n in 0..10_000 {
        let sub = dir.path().join(format!("evidence/{:03}", n / 100));
        if n % 100 == 0 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        std::fs::write(
            sub.join(format!("{n:05}.md")),
            item(&format!("Item {n}"), codes[n % codes.len()], "Short narrative [[1.1]]."),
        )
        .unwrap();
    }
    let start = Instant::now();
    let (code, json, _) = check_json(dir.path());
    let took = start.elapsed();
    assert_eq!(code, 1);
    assert_eq!(json["items"].as_array().unwrap().len(), 10_001);
    // Generous for a debug build on a loaded machine; release takes a fraction.
    assert!(took.as_secs_f64() < 20.0, "10,000 items took {took:?}");
}

#[test]
fn build_never_modifies_the_input_and_keeps_unrelated_outputs() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio");
    let before = tree(&sample);
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
    portfolio()
        .arg("build")
        .arg(&sample)
        .arg("-o")
        .arg(out.path())
        .assert()
        .code(0);
    portfolio().arg("check").arg(&sample).assert().code(0);
    assert_eq!(before, tree(&sample), "the input folder changed");
    assert_eq!(std::fs::read_to_string(out.path().join("notes.txt")).unwrap(), "mine");
    // A failed build leaves the previous outputs as they were.
    let previous = tree(out.path());
    let broken = portfolio_dir();
    std::fs::write(broken.path().join("evidence/bad.md"), "no front matter").unwrap();
    portfolio()
        .arg("build")
        .arg(broken.path())
        .arg("-o")
        .arg(out.path())
        .assert()
        .code(2);
    assert_eq!(previous, tree(out.path()));
    // No temporary files are left behind.
    assert!(
        std::fs::read_dir(out.path())
            .unwrap()
            .all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".tmp"))
    );
}

#[path = "../fuzz/fuzz_targets/grow.rs"]
mod grow;

/// Every input kept under tests/fuzz-regressions/TARGET/ goes through the
/// code path of that fuzz target again (see docs/fuzzing.md).
#[test]
fn fuzz_regressions() {
    use portfolio::coverage::{Status, evaluate};
    use portfolio::document::Document;
    use portfolio::report::Checked;
    let criteria = portfolio::criteria::load_criteria(None).unwrap();
    let html = portfolio::render::html::HtmlRenderer::new(None).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let today = portfolio::date::Date {
        year: 2026,
        month: 11,
        day: 23,
    };
    let mut count = 0;
    for target in ["front_matter", "inline_refs", "markdown_html", "markdown_pdf"] {
        for entry in std::fs::read_dir(root.join(target)).unwrap() {
            let data = std::fs::read(entry.unwrap().path()).unwrap();
            count += 1;
            let tmp = std::env::temp_dir();
            match target {
                "front_matter" => {
                    let (item, problems) =
                        portfolio::evidence::parse_item(&tmp, Path::new("evidence/f.md"), &data, &criteria);
                    assert!(item.is_some() || !problems.is_empty());
                }
                "inline_refs" => {
                    let text = String::from_utf8_lossy(&data);
                    for r in portfolio::evidence::inline::find_refs(&text) {
                        assert_eq!(text.get(r.offset..r.offset + 2), Some("[["));
                    }
                    let _ = portfolio::document::markdown::references(&text);
                }
                _ => {
                    let text = String::from_utf8_lossy(&data);
                    let body = format!(
                        "+++\ntitle = \"F\"\ndate = 2026-03-01\nmethod = \"observation\"\ncriteria = [\"3.1\"]\n+++\n{text}"
                    );
                    let (Some(item), _) =
                        portfolio::evidence::parse_item(&tmp, Path::new("evidence/f.md"), body.as_bytes(), &criteria)
                    else {
                        continue;
                    };
                    let p = portfolio::evidence::Portfolio {
                        root: tmp,
                        settings: portfolio::evidence::Settings {
                            assessed: criteria.default_assessed(),
                            ..Default::default()
                        },
                        reflection: Some(text.to_string()),
                        items: vec![item],
                        problems: Vec::new(),
                    };
                    let cov = evaluate(&p, &criteria, Status::Claimed, today);
                    let doc = Document::build(
                        Checked {
                            criteria: &criteria,
                            portfolio: &p,
                            coverage: &cov,
                        },
                        today,
                    );
                    if target == "markdown_html" {
                        html.render(&doc).unwrap();
                    } else {
                        portfolio::render::pdf::render(&doc).unwrap();
                        // The target's second half: a table grown from the input.
                        let mut grown = p.clone();
                        grown.items[0].body = grow::table(&text);
                        grown.reflection = Some(grown.items[0].body.clone());
                        let cov = evaluate(&grown, &criteria, Status::Claimed, today);
                        let checked = Checked {
                            criteria: &criteria,
                            portfolio: &grown,
                            coverage: &cov,
                        };
                        portfolio::render::pdf::render(&Document::build(checked, today)).unwrap();
                    }
                }
            }
        }
    }
    assert!(count >= 8, "only {count} regression inputs");
}

// ---- Layout in bounded time and memory (issue 12) ----

/// The address space the binary gets in the extreme-input tests.
const MEMORY_LIMIT: u64 = 2 << 30;

/// Runs `portfolio build DIR -o OUT` under a 2 GB address-space limit
/// (setrlimit in the child before exec) and returns the exit code, stderr,
/// the time taken, and the PDF's bytes if one was written.
fn build_limited(dir: &Path) -> (Option<i32>, String, std::time::Duration, Option<Vec<u8>>) {
    use std::os::unix::process::CommandExt;
    let out = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_portfolio"));
    cmd.env("PORTFOLIO_TODAY", "2026-11-23")
        .env("NO_COLOR", "1")
        .args(["build", "-q"])
        .arg(dir)
        .arg("-o")
        .arg(out.path());
    #[allow(unsafe_code)]
    // SAFETY: between fork and exec the closure only calls setrlimit, which
    // is async-signal-safe, on a struct on its own stack.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY_LIMIT,
                rlim_max: MEMORY_LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let result = cmd.output().unwrap();
    let took = start.elapsed();
    let pdf = std::fs::read(out.path().join("portfolio.pdf")).ok();
    (
        result.status.code(),
        String::from_utf8_lossy(&result.stderr).to_string(),
        took,
        pdf,
    )
}

/// Builds `dir` under the memory limit and expects a PDF of at least
/// `min_pages` pages within `secs` seconds (debug build).
fn builds_within(dir: &Path, secs: f64, min_pages: usize) -> Vec<u8> {
    let (code, stderr, took, pdf) = build_limited(dir);
    assert_eq!(code, Some(1), "exit status (1: builds, portfolio incomplete): {stderr}");
    assert!(took.as_secs_f64() < secs, "took {took:?}");
    let pdf = pdf.expect("a PDF was written");
    assert!(pdf.starts_with(b"%PDF-"));
    // The page objects sit in compressed object streams: counted by a reader.
    let pages = lopdf::Document::load_mem(&pdf).map_or(0, |d| d.get_pages().len());
    assert!(pages >= min_pages, "{pages} pages");
    pdf
}

fn one_item(body: &str) -> tempfile::TempDir {
    let dir = portfolio_dir();
    std::fs::write(dir.path().join("evidence/extreme.md"), item("Extreme", "\"1.1\"", body)).unwrap();
    dir
}

#[test]
fn a_table_cell_taller_than_a_page_builds() {
    let words = "word ".repeat(1400);
    // In a body cell, and in a header cell (which used to loop for ever).
    let body =
        format!("| A | B |\n|---|---|\n| x | {words} |\n| y | {words} |\n\n| {words} | B |\n|---|---|\n| x | y |\n");
    builds_within(one_item(&body).path(), 20.0, 8);
}

#[test]
fn a_60000_character_token_builds() {
    let token = "x".repeat(60_000);
    let body = format!("{token}\n\n| A | B |\n|---|---|\n| {token} | b |\n\n`{token}`\n");
    builds_within(one_item(&body).path(), 20.0, 8);
}

#[test]
fn a_2000_column_table_builds() {
    let head: String = (0..2000).map(|i| format!("| c{i} ")).collect();
    let rule = "|---".repeat(2000);
    let row: String = (0..2000).map(|i| format!("| v{i} ")).collect();
    let body = format!("{head}|\n{rule}|\n{row}|\n{row}|\n");
    builds_within(one_item(&body).path(), 20.0, 8);
}

#[test]
fn a_100000_line_code_block_builds() {
    let lines: String = (0..100_000).map(|i| format!("log line {i}\n")).collect();
    let body = format!("```\n{lines}```\n");
    builds_within(one_item(&body).path(), 30.0, 1_000);
}

#[test]
fn an_item_past_the_page_limit_is_refused_naming_it() {
    let body = format!("```\n{}```\n", "x\n".repeat(200_000));
    let (code, stderr, took, pdf) = build_limited(one_item(&body).path());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("evidence/extreme.md") && stderr.contains("2500 PDF pages"),
        "{stderr}"
    );
    assert!(took.as_secs_f64() < 20.0, "took {took:?}");
    assert!(pdf.is_none());
}

/// Writes a `width` × `height` image of zeros, one row at a time through
/// the png crate's streaming writer, so the test holds one row.
fn zero_png(path: &Path, width: u32, height: u32, color: png::ColorType, depth: png::BitDepth) {
    use std::io::Write;
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut enc = png::Encoder::new(file, width, height);
    enc.set_color(color);
    enc.set_depth(depth);
    enc.set_compression(png::Compression::Fast);
    let mut writer = enc.write_header().unwrap().into_stream_writer().unwrap();
    let bits = width as usize * color.samples() * depth as usize;
    let row = vec![0u8; bits.div_ceil(8)];
    for _ in 0..height {
        writer.write_all(&row).unwrap();
    }
    writer.finish().unwrap();
}

fn with_image(name: &str, width: u32, height: u32, color: png::ColorType, depth: png::BitDepth) -> tempfile::TempDir {
    let dir = portfolio_dir();
    std::fs::create_dir(dir.path().join("attachments")).unwrap();
    zero_png(&dir.path().join("attachments").join(name), width, height, color, depth);
    let text = item("Image", "\"1.1\"", "See the attachment.")
        .replace("+++\nSee", &format!("attachments = [\"attachments/{name}\"]\n+++\nSee"));
    std::fs::write(dir.path().join("evidence/image.md"), text).unwrap();
    dir
}

#[test]
fn a_20000_by_20000_png_is_listed_not_decoded() {
    // One bit per pixel keeps writing it quick in a debug build (50 MB of
    // rows rather than 1.6 GB); decoding would expand it to 400 MB, and
    // the refusal reads only the header, whatever the depth.
    let dir = with_image(
        "bomb.png",
        20_000,
        20_000,
        png::ColorType::Grayscale,
        png::BitDepth::One,
    );
    let size = std::fs::metadata(dir.path().join("attachments/bomb.png"))
        .unwrap()
        .len();
    assert!(size < 1024 * 1024, "a few hundred kilobytes at most: {size}");
    let pdf = builds_within(dir.path(), 20.0, 8);
    assert!(pdf.len() < 2 * 1024 * 1024, "not embedded: {} bytes", pdf.len());
    let out = tempfile::tempdir().unwrap();
    portfolio()
        .args(["build", "-q"])
        .arg(dir.path())
        .arg("-o")
        .arg(out.path())
        .args(["--outputs", "html"])
        .assert()
        .code(1);
    let html = std::fs::read_to_string(out.path().join("portfolio.html")).unwrap();
    assert!(
        html.contains("bomb.png") && html.contains("20000 × 20000 pixels"),
        "the listing says why"
    );
    assert!(!html.contains("data:image/png"), "not embedded in the HTML either");
}

#[test]
fn a_1_by_30000_strip_image_builds() {
    let dir = with_image("strip.png", 1, 30_000, png::ColorType::Rgba, png::BitDepth::Eight);
    let pdf = builds_within(dir.path(), 20.0, 8);
    assert!(
        pdf.windows(12).any(|w| w == b"/Height 3000" || w == b"/Height 30000"),
        "the strip is embedded"
    );
}
