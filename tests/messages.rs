//! Every key a user writes, given a value of the wrong type, gets a sentence
//! in the documentation's words and a hint — never a Rust type name.
//!
//! The keys are not listed here: each table's keys are discovered by writing
//! an unknown key into it and reading the "keys allowed here" hint, so a key
//! added to the code is walked without touching this test.

use portfolio::criteria::{Criteria, load_criteria};
use portfolio::diagnostic::Problem;
use std::path::Path;

/// Values of every TOML type; for each key, most are the wrong type.
const WRONG: [&str; 7] = ["\"text\"", "42", "1.5", "true", "[42]", "{ zz = 1 }", "2026-03-01"];

/// Words that give away the implementation.
const FORBIDDEN: [&str; 6] = ["Raw", "struct", "enum", "invalid type", "::", "expected one of"];

fn criteria() -> Criteria {
    load_criteria(None).unwrap()
}

fn assert_readable(problems: &[Problem], doc: &str) -> usize {
    let mut errors = 0;
    for p in problems.iter().filter(|p| p.is_error()) {
        errors += 1;
        for word in FORBIDDEN {
            assert!(!p.message.contains(word), "`{word}` in {:?}\nfor\n{doc}", p.message);
            let hint = p.hint.as_deref().unwrap_or("");
            assert!(!hint.contains(word), "`{word}` in hint {hint:?}\nfor\n{doc}");
        }
        assert!(p.hint.is_some(), "no hint for {:?}\nfor\n{doc}", p.message);
        assert!(p.location.as_ref().is_some_and(|l| l.line.is_some()), "no line: {p:?}");
    }
    errors
}

/// The keys the "keys allowed here" hint lists for `doc`'s unknown key.
fn allowed_keys(problems: &[Problem], doc: &str) -> Vec<String> {
    let hint = problems
        .iter()
        .find_map(|p| p.hint.as_deref().filter(|h| h.starts_with("the keys allowed here are")))
        .unwrap_or_else(|| panic!("no key list for\n{doc}\n{problems:#?}"));
    hint.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// A table, how its header is written, and the keys it needs to be valid.
struct Table {
    path: &'static str,
    array: bool,
    required: &'static [(&'static str, &'static str)],
}

const fn t(path: &'static str, array: bool, required: &'static [(&'static str, &'static str)]) -> Table {
    Table { path, array, required }
}

/// Writes a document: `root` keys, then each section; `set` puts `key =
/// value` into table `table` (replacing what the base had).
fn document(root: &[(&str, &str)], tables: &[&Table], table: &str, key: &str, value: &str) -> String {
    let mut out = String::new();
    let mut line = |k: &str, v: &str| out.push_str(&format!("{k} = {v}\n"));
    for (k, v) in root {
        if !(table.is_empty() && *k == key) {
            line(k, v);
        }
    }
    if table.is_empty() {
        line(key, value);
    }
    for t in tables {
        if table.is_empty() && t.path.split('.').next() == Some(key) {
            continue;
        }
        if t.path != table && t.required.is_empty() {
            continue;
        }
        out.push_str(&if t.array {
            format!("[[{}]]\n", t.path)
        } else {
            format!("[{}]\n", t.path)
        });
        for (k, v) in t.required {
            if !(t.path == table && *k == key) {
                out.push_str(&format!("{k} = {v}\n"));
            }
        }
        if t.path == table {
            out.push_str(&format!("{key} = {value}\n"));
        }
    }
    out
}

/// Walks every key of every table with every wrong value; returns how many
/// errors were checked.
fn walk(root: &[(&str, &str)], tables: &[Table], check: &dyn Fn(&str) -> Vec<Problem>) -> usize {
    let mut errors = 0;
    for table in std::iter::once("").chain(tables.iter().map(|t| t.path)) {
        // The table walked, and the tables with required keys (some files
        // need them; the others do not mind them).
        let wanted: Vec<&Table> = tables
            .iter()
            .filter(|t| t.path == table || !t.required.is_empty())
            .collect();
        let probe = document(root, &wanted, table, "zzz_not_a_key", "1");
        let keys = allowed_keys(&check(&probe), &probe);
        assert!(!keys.is_empty());
        for key in &keys {
            for value in WRONG {
                let doc = document(root, &wanted, table, key, value);
                errors += assert_readable(&check(&doc), &doc);
            }
        }
    }
    errors
}

const ITEM_ROOT: [(&str, &str); 4] = [
    ("title", "\"T\""),
    ("date", "2026-03-01"),
    ("method", "\"questioning\""),
    ("criteria", "[\"1.1\"]"),
];

fn item_tables() -> Vec<Table> {
    vec![
        t("witness", false, &[]),
        t("assessment", false, &[("decision", "\"pending\"")]),
        t("handover", false, &[]),
        t("handover.to", false, &[]),
        t("handover.reminder", false, &[]),
        t("handover.check", false, &[("outcome", "\"done\"")]),
        t("handover.actions", true, &[("action", "\"Call back\"")]),
        t("handover.further_actions", true, &[("action", "\"Chase\"")]),
    ]
}

#[test]
fn every_front_matter_key_with_a_wrong_type_reads_as_the_docs_do() {
    let criteria = criteria();
    let dir = tempfile::tempdir().unwrap();
    let check = |front: &str| {
        let text = format!("+++\n{front}+++\nText.\n");
        portfolio::evidence::parse_item(dir.path(), Path::new("evidence/a.md"), text.as_bytes(), &criteria).1
    };
    let errors = walk(&ITEM_ROOT, &item_tables(), &check);
    assert!(errors > 200, "only {errors} errors walked");
}

#[test]
fn every_portfolio_toml_key_with_a_wrong_type_reads_as_the_docs_do() {
    let criteria = criteria();
    let dir = tempfile::tempdir().unwrap();
    let check = |doc: &str| {
        std::fs::write(dir.path().join("portfolio.toml"), doc).unwrap();
        let mut problems = Vec::new();
        portfolio::evidence::read_settings(dir.path(), &criteria, &mut problems);
        problems
    };
    let tables = [
        t("learner", false, &[("name", "\"L\"")]),
        t("centre", false, &[("name", "\"C\"")]),
        t("assessor", false, &[("name", "\"A\"")]),
        t("privacy", false, &[]),
    ];
    let errors = walk(&[], &tables, &check);
    assert!(errors > 50, "only {errors} errors walked");
}

#[test]
fn the_witness_given_as_a_name_is_explained() {
    let criteria = criteria();
    let text = "+++\ntitle = \"T\"\ndate = 2026-03-01\nmethod = \"questioning\"\ncriteria = [\"1.1\"]\nwitness = \"Dana Reid\"\n+++\nText.\n";
    let (_, problems) = portfolio::evidence::parse_item(Path::new("."), Path::new("a.md"), text.as_bytes(), &criteria);
    assert_eq!(
        problems[0].message,
        "`witness` must be a table with the witness's `name` and `role`, not text."
    );
    assert_eq!(
        problems[0].hint.as_deref(),
        Some("write it like this: witness = { name = \"Dana Reid\", role = \"Team leader\" }")
    );
}

/// RF03's witness fields are keys of `witness`: accepted without a
/// problem, read into the item; a misspelt one or a wrong type is named.
#[test]
fn the_witness_competence_and_status_confirmation_are_keys_of_witness() {
    let criteria = criteria();
    let item = |witness: &str| {
        let text = format!(
            "+++\ntitle = \"T\"\ndate = 2026-03-01\nmethod = \"witness-testimony\"\ncriteria = [\"1.1\"]\nwitness = {{ name = \"Dana Reid\", role = \"Team leader\", {witness} }}\n+++\nText.\n"
        );
        portfolio::evidence::parse_item(Path::new("."), Path::new("a.md"), text.as_bytes(), &criteria)
    };
    let (parsed, problems) = item("competence = \"Team leader for 6 years\", status_confirmed = true");
    assert!(problems.is_empty(), "{problems:?}");
    let w = parsed.unwrap().witness.unwrap();
    assert_eq!(w.competence.as_deref(), Some("Team leader for 6 years"));
    assert_eq!(w.status_confirmed, Some(true));
    let (_, problems) = item("competance = \"Team leader\"");
    assert!(
        problems.iter().any(|p| p.message.contains("competance")),
        "{problems:?}"
    );
    let (_, problems) = item("status_confirmed = \"yes\"");
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("status_confirmed") && p.message.contains("true or false")),
        "{problems:?}"
    );
}

#[test]
fn criteria_file_keys_with_a_wrong_type_read_as_the_docs_do() {
    let dir = tempfile::tempdir().unwrap();
    let check = |doc: &str| {
        std::fs::write(dir.path().join("u.toml"), doc).unwrap();
        load_criteria(Some(dir.path())).err().unwrap_or_default()
    };
    let root = [
        ("id", "\"unit-999\""),
        ("kind", "\"unit\""),
        ("title", "\"T\""),
        ("reference", "\"R\""),
    ];
    let tables = [
        t("rules", false, &[]),
        t("glossary", true, &[("term", "\"t\""), ("definition", "\"d\"")]),
        t("groups", true, &[("code", "\"1\""), ("title", "\"G\"")]),
        t("groups.criteria", true, &[("code", "\"1.1\""), ("text", "\"x\"")]),
    ];
    let errors = walk(&root, &tables, &check);
    assert!(errors > 50, "only {errors} errors walked");
}
