//! Any text as an item's narrative and the reflection: Markdown to the
//! document model to PDF layout, never a panic; then a table grown from the
//! same input (see `grow.rs`) as the narrative, which must render: layout
//! ends, within the page limits.
#![no_main]

mod grow;

use libfuzzer_sys::fuzz_target;
use portfolio::coverage::{Status, evaluate};
use portfolio::criteria::{Criteria, load_criteria};
use portfolio::date::Date;
use portfolio::document::Document;
use portfolio::report::Checked;
use std::sync::OnceLock;

fn criteria() -> &'static Criteria {
    static C: OnceLock<Criteria> = OnceLock::new();
    C.get_or_init(|| load_criteria(None).expect("embedded criteria"))
}

fuzz_target!(|text: &str| {
    render(text, true);
    render(&grow::table(text), false);
});

fn render(text: &str, lenient: bool) {
    let body = format!(
        "+++\ntitle = \"Fuzz\"\ndate = 2026-03-01\nmethod = \"observation\"\ncriteria = [\"3.1\"]\n+++\n{text}"
    );
    let root = std::env::temp_dir();
    let (Some(item), _) = portfolio::evidence::parse_item(
        &root,
        std::path::Path::new("evidence/fuzz.md"),
        body.as_bytes(),
        criteria(),
    ) else {
        return;
    };
    let portfolio = portfolio::evidence::Portfolio {
        root,
        settings: portfolio::evidence::Settings {
            assessed: criteria().default_assessed(),
            ..Default::default()
        },
        reflection: Some(text.to_string()),
        items: vec![item],
        problems: Vec::new(),
    };
    let today = Date {
        year: 2026,
        month: 11,
        day: 23,
    };
    let coverage = evaluate(&portfolio, criteria(), Status::Claimed, today);
    let doc = Document::build(
        Checked {
            criteria: criteria(),
            portfolio: &portfolio,
            coverage: &coverage,
        },
        today,
    );
    let pdf = portfolio::render::pdf::render(&doc);
    assert!(lenient || pdf.is_ok(), "a grown table must render: {:?}", pdf.err());
}
