//! Any bytes as a Moodle CSV and as a Mahara matrix: the import returns a
//! criteria file the loader accepts, or an error located at a line from 1;
//! never a panic, never a hang (cycles in parent ids included).
#![no_main]

use libfuzzer_sys::fuzz_target;
use portfolio::import::{Format, ImportError, Options, import};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let options = Options {
        id: Some("fuzz".into()),
        kind: "unit".into(),
    };
    for format in [Format::Moodle, Format::Mahara] {
        match import(format, Path::new("fuzz"), data, &options) {
            Ok(imported) => {
                let dir = std::env::temp_dir().join(format!("portfolio-fuzz-import-{}", std::process::id()));
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join("fuzz.toml"), &imported.toml).unwrap();
                let loaded = portfolio::criteria::load_criteria(Some(&dir));
                assert!(loaded.is_ok(), "{:#?}\n{}", loaded.err(), imported.toml);
            }
            Err(ImportError::Invalid { line, .. }) => assert!(line.is_none_or(|l| l >= 1)),
            Err(_) => {}
        }
    }
});
