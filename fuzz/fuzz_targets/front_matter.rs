//! Any bytes as an evidence file: decoding, the `+++` splitter, the TOML
//! front matter and the field checks must return an item or problems, never
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portfolio::criteria::{Criteria, load_criteria};
use std::path::Path;
use std::sync::OnceLock;

fn criteria() -> &'static Criteria {
    static C: OnceLock<Criteria> = OnceLock::new();
    C.get_or_init(|| load_criteria(None).expect("embedded criteria"))
}

fuzz_target!(|data: &[u8]| {
    let root = std::env::temp_dir();
    let (item, problems) = portfolio::evidence::parse_item(&root, Path::new("evidence/fuzz.md"), data, criteria());
    assert!(item.is_some() || !problems.is_empty());
    for p in problems {
        if let Some(line) = p.location.and_then(|l| l.line) {
            assert!(line >= 1);
        }
    }
});
