//! Any text as a narrative: both `[[code]]` parsers (the loader's and the
//! renderers' Markdown one) must not panic, and offsets must point at `[[`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for r in portfolio::evidence::inline::find_refs(text) {
        assert_eq!(text.get(r.offset..r.offset + 2), Some("[["));
        assert!(r.line >= 1 && r.column >= 1);
    }
    let _ = portfolio::document::markdown::references(text);
});
