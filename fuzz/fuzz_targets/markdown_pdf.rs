//! Any text as an item's narrative and the reflection: Markdown to the
//! document model to PDF layout, never a panic.
#![no_main]

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
    let _ = portfolio::render::pdf::render(&doc);
});
