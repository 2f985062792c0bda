//! The file-source boundary (issue 31): a portfolio held in memory is
//! checked and built exactly as the same folder on disk, to the byte —
//! coverage JSON, HTML and PDF, attachments, images and signed decisions
//! included. This is what the browser build relies on.

use portfolio::coverage::Status;
use portfolio::date::Date;
use portfolio::decisions::signers::Signers;
use portfolio::document::Document;
use portfolio::pipeline::{CheckOptions, check_shown_from, criteria_from};
use portfolio::render::html::HtmlRenderer;
use portfolio::report::{Checked, check_json};
use portfolio::source::{DiskSource, MemSource, Source};
use std::path::{Path, PathBuf};

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 23,
};
const BUILT: Date = Date {
    year: 2026,
    month: 5,
    day: 1,
};

/// Every file under `dir`, by path relative to it, read with the test's
/// own walk (not the library's).
fn files_of(dir: &Path, rel: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir.join(rel)).unwrap() {
        let entry = entry.unwrap();
        let path = rel.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            files_of(dir, &path, out);
        } else {
            out.push((path.clone(), std::fs::read(dir.join(&path)).unwrap()));
        }
    }
}

/// The coverage JSON, HTML and PDF of the portfolio in `files`.
fn outputs(files: &dyn Source, roster: Option<&Signers>, redact: bool) -> (Vec<u8>, String, Vec<u8>) {
    let criteria = criteria_from(None).unwrap();
    let options = CheckOptions {
        require: Status::Claimed,
        today: TODAY,
        redact,
    };
    let outcome = check_shown_from(files, &criteria, options, roster).unwrap();
    let checked = Checked {
        criteria: &outcome.criteria,
        portfolio: &outcome.portfolio,
        coverage: &outcome.coverage,
    };
    let json = serde_json::to_vec_pretty(&check_json(checked)).unwrap();
    let doc = Document::build_from(checked, files, BUILT);
    let html = HtmlRenderer::with_templates(None).unwrap().render(&doc).unwrap();
    let pdf = portfolio::render::pdf::render(&doc).unwrap();
    (json, html, pdf)
}

fn sample_in_memory() -> MemSource {
    let mut files = Vec::new();
    files_of(Path::new("sample-portfolio"), Path::new(""), &mut files);
    MemSource::from_files("sample-portfolio", files)
}

#[test]
fn the_sample_in_memory_builds_the_same_bytes_as_on_disk() {
    let roster =
        Signers::parse(&std::fs::read_to_string("sample-portfolio/DEMO-ONLY-allowed_signers").unwrap()).unwrap();
    let disk = DiskSource::new("sample-portfolio");
    let memory = sample_in_memory();
    for (roster, redact) in [(None, false), (Some(&roster), false), (Some(&roster), true)] {
        let (json_d, html_d, pdf_d) = outputs(&disk, roster, redact);
        let (json_m, html_m, pdf_m) = outputs(&memory, roster, redact);
        assert!(
            json_d == json_m,
            "coverage JSON differs (roster {}, redact {redact})",
            roster.is_some()
        );
        assert!(
            html_d == html_m,
            "HTML differs (roster {}, redact {redact})",
            roster.is_some()
        );
        assert!(
            pdf_d == pdf_m,
            "PDF differs (roster {}, redact {redact})",
            roster.is_some()
        );
    }
    // What the comparison stands on: attachments embedded, images drawn,
    // signed decisions verified, all read from memory.
    let (json, html, pdf) = outputs(&memory, Some(&roster), false);
    let json = String::from_utf8(json).unwrap();
    assert!(
        html.contains("data:image/png;base64,"),
        "the sample's images are in the HTML"
    );
    let images = pdf.windows(b"/Image".len()).filter(|w| *w == b"/Image").count();
    assert!(images >= 2, "the sample's two pictures are drawn in the PDF ({images})");
    assert!(json.contains("\"verified\""), "signed decisions verified from memory");
    assert!(!json.contains("attachment-missing"), "{json}");
}

#[test]
fn the_disk_wrappers_and_the_sources_agree() {
    // `check_shown` (a folder's path) is `check_shown_from` a DiskSource;
    // `Document::build` reads the portfolio's folder.
    let criteria = portfolio::pipeline::criteria(None).unwrap();
    let options = CheckOptions {
        require: Status::Claimed,
        today: TODAY,
        redact: false,
    };
    let outcome = portfolio::pipeline::check_shown(Path::new("sample-portfolio"), &criteria, options).unwrap();
    let checked = Checked {
        criteria: &outcome.criteria,
        portfolio: &outcome.portfolio,
        coverage: &outcome.coverage,
    };
    let json = serde_json::to_vec_pretty(&check_json(checked)).unwrap();
    let pdf = portfolio::render::pdf::render(&Document::build(checked, BUILT)).unwrap();
    let (json_m, _, pdf_m) = outputs(&sample_in_memory(), None, false);
    assert!(json == json_m, "coverage JSON");
    assert!(pdf == pdf_m, "PDF");
}

#[test]
fn a_criteria_folder_and_templates_in_memory_are_read_as_on_disk() {
    let unit = std::fs::read("criteria/unit-214.toml").unwrap();
    let folder = MemSource::from_files("centre-criteria", [("unit.toml", unit), ("notes.txt", b"x".to_vec())]);
    assert!(criteria_from(Some(&folder)).is_ok());
    let bad = MemSource::from_files("centre-criteria", [("broken.toml", b"id = ".to_vec())]);
    let Err(portfolio::Error::Criteria(problems)) = criteria_from(Some(&bad)) else {
        panic!("a broken criteria file is an error");
    };
    assert_eq!(
        problems[0].location.as_ref().unwrap().file,
        Path::new("centre-criteria/broken.toml")
    );
    let templates = MemSource::from_files("my-templates", [("layout.html", b"<p>{{ doc.title }}</p>".to_vec())]);
    let renderer = HtmlRenderer::with_templates(Some(&templates)).unwrap();
    let memory = sample_in_memory();
    let criteria = criteria_from(None).unwrap();
    let options = CheckOptions {
        require: Status::Claimed,
        today: TODAY,
        redact: false,
    };
    let outcome = check_shown_from(&memory, &criteria, options, None).unwrap();
    let checked = Checked {
        criteria: &outcome.criteria,
        portfolio: &outcome.portfolio,
        coverage: &outcome.coverage,
    };
    let html = renderer.render(&Document::build_from(checked, &memory, BUILT)).unwrap();
    assert!(html.starts_with("<p>") && html.contains("portfolio"), "{html}");
}
