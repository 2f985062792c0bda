//! `portfolio import`: Moodle and Mahara frameworks written as criteria
//! files, each loaded back with `portfolio criteria` through the real
//! binary; malformed sources get an error with file and line, never a panic.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn portfolio() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portfolio"));
    cmd.env("NO_COLOR", "1");
    cmd
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import-fixtures")
        .join(name)
}

/// Imports `name` into a fresh folder; returns the folder, the file and stderr.
fn import(format: &str, name: &str) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("imported.toml");
    let run = portfolio()
        .args(["import", format])
        .arg(fixture(name))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    (dir, out, stderr)
}

/// The framework `id` as `portfolio criteria --criteria DIR --format json` lists it.
fn load_back(dir: &Path, id: &str) -> Value {
    let run = portfolio()
        .args(["criteria", "--format", "json", "--criteria"])
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "the imported file does not load: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let json: Value = serde_json::from_slice(&run.stdout).unwrap();
    json["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no framework `{id}` in {json}"))
        .clone()
}

/// Each group's code and its criteria's codes.
fn outline(fw: &Value) -> Vec<(String, Vec<String>)> {
    fw["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let codes = g["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["code"].as_str().unwrap().to_string())
                .collect();
            (g["code"].as_str().unwrap().to_string(), codes)
        })
        .collect()
}

fn criterion<'a>(fw: &'a Value, code: &str) -> &'a Value {
    fw["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["criteria"].as_array().unwrap())
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no criterion {code}"))
}

fn owned(v: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    v.iter()
        .map(|(g, cs)| (g.to_string(), cs.iter().map(|c| c.to_string()).collect()))
        .collect()
}

#[test]
fn a_moodle_framework_loads_back_with_its_ids_as_codes() {
    let (dir, out, stderr) = import("moodle", "moodle/unit.csv");
    let fw = load_back(dir.path(), "cs-ho-2");
    assert_eq!(fw["title"], "Customer service handovers");
    assert_eq!(fw["reference"], "CS-HO-2");
    assert_eq!(fw["kind"], "unit");
    assert_eq!(
        fw["aim"],
        "Hand customers over to colleagues without a gap in service.\nOutcomes & criteria follow."
    );
    assert_eq!(
        outline(&fw),
        owned(&[
            ("LO1", &["1.1", "1.2"]),
            ("LO2", &["3.2", "3.3", "5.1-a", "AC-1"]),
            ("K1", &["K1"]),
        ])
    );
    assert_eq!(fw["groups"][0]["kind"], "outcome", "the taxonomy of the top level");
    // The HTML description, cut short in the short name, is the text; the
    // curly apostrophe and the line break inside the quoted cell survive.
    assert_eq!(
        criterion(&fw, "1.1")["text"],
        "Explain the organisation\u{2019}s handover procedure, in your own words."
    );
    assert_eq!(
        criterion(&fw, "3.2")["text"],
        "Exchange information with colleagues <in line with procedures>"
    );
    assert_eq!(
        criterion(&fw, "5.1-a")["text"],
        "Methods of exchange > Written: e-mail, report"
    );
    assert_eq!(
        criterion(&fw, "K1")["text"],
        "Knowledge of data protection: UK GDPR; Data Protection Act 2018"
    );
    // Cross-references within the file become mappings; the others are reported.
    assert_eq!(criterion(&fw, "1.1")["maps_to"], serde_json::json!(["cs-ho-2:3.2"]));
    assert_eq!(criterion(&fw, "3.2")["maps_to"], serde_json::json!(["cs-ho-2:1.1"]));
    assert_eq!(criterion(&fw, "1.2")["maps_to"], serde_json::json!([]));
    for said in [
        "`5.1 a` (line 12) is written as code `5.1-a`",
        "`AC:1` (line 13) is written as code `AC-1`",
        "1.2 → OTHER-9 at line 7",
        "AC:1 → LO1 at line 13",
        "RANGE (line 11)",
        "competency rules",
        "rating scales",
    ] {
        assert!(stderr.contains(said), "stderr lacks {said:?}:\n{stderr}");
    }
    todo_lines_point_at_todos(&out, &stderr, 3);
}

/// The lines stderr gives for the TODOs hold TODOs (or `supporting_only`).
fn todo_lines_point_at_todos(out: &Path, stderr: &str, groups: usize) {
    let text = std::fs::read_to_string(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let note = stderr
        .lines()
        .find(|l| l.contains("Add by hand"))
        .unwrap_or_else(|| panic!("no note on what to add:\n{stderr}"));
    let (_, after) = note.split_once("`min_occasions`; line").unwrap();
    let listed: Vec<usize> = after
        .trim_start_matches('s')
        .split(')')
        .next()
        .unwrap()
        .split(", ")
        .map(|n| n.trim().parse().unwrap())
        .collect();
    assert_eq!(listed.len(), groups, "{note}");
    for n in listed {
        assert!(
            lines[n - 1].starts_with("# TODO: the evidence methods"),
            "line {n}: {}",
            lines[n - 1]
        );
    }
    let rules: usize = note
        .split("`supporting_only`, line ")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(lines[rules - 1], "supporting_only = []");
    let facts: usize = note
        .split("GLH (line ")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(lines[facts - 1].starts_with("# TODO: level"), "{}", lines[facts - 1]);
}

#[test]
fn a_nested_mahara_matrix_loads_back() {
    let (dir, out, stderr) = import("mahara", "mahara/nested.matrix");
    let fw = load_back(dir.path(), "team-handover-standard");
    assert_eq!(fw["reference"], "nested.matrix");
    assert_eq!(fw["aim"], "Performance and knowledge for handovers.");
    assert_eq!(
        outline(&fw),
        owned(&[("1", &["P1", "P2", "P3.1", "P3.2"]), ("2", &["K1-a", "K2"])])
    );
    assert_eq!(fw["groups"][0]["title"], "Performance: you must be able to");
    assert_eq!(
        criterion(&fw, "P3.1")["text"],
        "P3 Check handed-over actions > By asking colleagues"
    );
    // The oldest layout: "parent": true puts K1 a under K1.
    assert_eq!(
        criterion(&fw, "K1-a")["text"],
        "K1 Procedures for handovers > In writing"
    );
    assert!(stderr.contains("evidence statuses"), "{stderr}");
    assert!(stderr.contains("P3 (line 15), K1 (line 24)"), "{stderr}");
    todo_lines_point_at_todos(&out, &stderr, 2);
}

#[test]
fn a_flat_mahara_matrix_loads_back() {
    let (dir, out, stderr) = import("mahara", "mahara/flat.matrix");
    let fw = load_back(dir.path(), "career-readiness-sample");
    assert_eq!(
        outline(&fw),
        owned(&[("1", &["1.1", "1.2.1", "1.2.2"]), ("2", &["2.1", "2.2"])])
    );
    // `parentid` (Mahara's export) works like `parentelementid`; numbers are ids too.
    assert_eq!(
        criterion(&fw, "1.2.2")["text"],
        "Communication > Written: Write memos and reports."
    );
    assert_eq!(criterion(&fw, "2.1")["text"], "Technology: Choose the right tool.");
    assert_eq!(fw["groups"][1]["kind"], "standard");
    todo_lines_point_at_todos(&out, &stderr, 2);
}

#[test]
fn imports_are_deterministic_and_never_overwrite_without_force() {
    let (dir, out, _) = import("moodle", "moodle/unit.csv");
    let first = std::fs::read(&out).unwrap();
    let again = portfolio()
        .args(["import", "moodle"])
        .arg(fixture("moodle/unit.csv"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(64),
        "an existing OUT without --force is a usage error"
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("add --force"));
    let forced = portfolio()
        .args(["import", "moodle", "--force", "-q"])
        .arg(fixture("moodle/unit.csv"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(0));
    assert!(forced.stderr.is_empty(), "--quiet prints nothing on success");
    assert_eq!(std::fs::read(&out).unwrap(), first, "same input, same bytes");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary files left: {names:?}");
}

#[test]
fn the_id_and_kind_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nos.toml");
    let run = portfolio()
        .args(["import", "mahara", "--id", "team-nos", "--kind", "nos"])
        .arg(fixture("mahara/flat.matrix"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let fw = load_back(dir.path(), "team-nos");
    assert_eq!(fw["kind"], "nos");
    let bad = portfolio()
        .args(["import", "mahara", "--id", "Team NOS"])
        .arg(fixture("mahara/flat.matrix"))
        .arg("-o")
        .arg(dir.path().join("other.toml"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(64), "a bad --id is a usage error");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a usable framework id"));
}

#[test]
fn malformed_sources_get_clear_errors_with_file_and_line() {
    let cases = [
        (
            "moodle",
            "unclosed-quote.csv",
            "unclosed-quote.csv:3: This row has 15 fields where the header has 14",
        ),
        (
            "moodle",
            "no-framework.csv",
            "no-framework.csv:1: There is no framework row",
        ),
        (
            "moodle",
            "two-frameworks.csv",
            "two-frameworks.csv:4: A second framework row (the first is at line 2)",
        ),
        (
            "moodle",
            "cycle.csv",
            "cycle.csv:4: The parent ids form a cycle: A → B → A",
        ),
        (
            "moodle",
            "duplicate.csv",
            "duplicate.csv:5: `1.1` is used twice (first at line 4)",
        ),
        (
            "moodle",
            "unknown-parent.csv",
            "unknown-parent.csv:4: `1.1` names `LO9` as its parent",
        ),
        (
            "moodle",
            "not-moodle.csv",
            "not-moodle.csv:1: The header names none of Moodle's columns",
        ),
        (
            "mahara",
            "syntax.matrix",
            "syntax.matrix:6:4: This is not a SmartEvidence matrix: expected `,` or `}`.",
        ),
        (
            "mahara",
            "not-a-matrix.matrix",
            "not-a-matrix.matrix:3:2: This is not a SmartEvidence matrix: missing field `framework`.",
        ),
        (
            "mahara",
            "cycle.matrix",
            "cycle.matrix:5: The parent ids form a cycle: 1.1 → 1.2 → 1.1",
        ),
        (
            "mahara",
            "duplicate.matrix",
            "duplicate.matrix:6: `1.1` is used twice (first at line 5)",
        ),
        (
            "mahara",
            "unknown-standard.matrix",
            "unknown-standard.matrix:6: This element names standard 7",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (format, name, expected) in cases {
        let out = dir.path().join("out.toml");
        let run = portfolio()
            .args(["import", format])
            .arg(fixture(&format!("invalid/{name}")))
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: expected {expected:?} in\n{stderr}");
        assert!(stderr.contains("hint: "), "{name}: no hint in\n{stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: nothing is written on error");
    }
}

#[test]
fn a_file_that_is_not_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("latin1.csv");
    std::fs::write(&file, b"\"Parent ID number\",\"ID number\"\n,Caf\xe9\n").unwrap();
    let run = portfolio()
        .args(["import", "moodle"])
        .arg(&file)
        .arg("-o")
        .arg(dir.path().join("out.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr.contains("latin1.csv:2:5: The file is not UTF-8 text."),
        "{stderr}"
    );
}

mod properties {
    //! Random frameworks, cycles and all: an import never panics, and one
    //! that succeeds writes a file the criteria loader accepts with every leaf.

    use portfolio::criteria::load_criteria;
    use portfolio::import::{Format, Options, import};
    use proptest::prelude::*;
    use std::path::Path;

    const IDS: [&str; 10] = ["1", "1.1", "A", "a", "x y", "k:1", " ", "LO1", "é", "1.1 "];
    const TEXTS: [&str; 6] = [
        "",
        "Plain",
        "<p>Para</p><ul><li>one</li></ul>",
        "a < b &amp; c",
        "<b>unclosed",
        "\"quoted\",\nline",
    ];

    /// (id, parent: None = top level, Some(i) = node i or, past the end, unknown, text, related)
    type Spec = Vec<(usize, Option<usize>, usize, Option<usize>)>;

    fn spec() -> impl Strategy<Value = Spec> {
        prop::collection::vec(
            (
                0..IDS.len() + 8,
                prop::option::of(0..14usize),
                0..TEXTS.len(),
                prop::option::of(0..14usize),
            ),
            1..12,
        )
    }

    /// Ids: from IDS (clashing, spaced, empty) or unique.
    fn id(n: usize) -> String {
        IDS.get(n).map_or_else(|| format!("c{n}"), |s| s.to_string())
    }

    /// Imports `source`; `leaves` is how many criteria a well-formed source must give.
    fn check(format: Format, source: &str, leaves: Option<usize>) {
        let options = Options {
            id: Some("prop-test".into()),
            kind: "unit".into(),
        };
        let imported = match import(format, Path::new("random"), source.as_bytes(), &options) {
            Ok(i) => i,
            Err(e) => {
                assert!(leaves.is_none(), "a well-formed source failed: {e}\n{source}");
                return;
            }
        };
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("prop.toml"), &imported.toml).unwrap();
        let criteria = load_criteria(Some(dir.path())).unwrap_or_else(|p| panic!("{p:#?}\n{}", imported.toml));
        let fw = criteria.frameworks.iter().find(|f| f.id == "prop-test").unwrap();
        let count: usize = fw.groups.iter().map(|g| g.criteria.len()).sum();
        assert_eq!(count, imported.criteria);
        if let Some(leaves) = leaves {
            assert_eq!(count, leaves);
        }
    }

    /// How many criteria a source of these ids and parents must give (its
    /// leaves), or `None` when it is malformed: an empty or repeated id, a
    /// parent not in it, a cycle.
    fn leaves(ids: &[String], parents: &[Option<String>]) -> Option<usize> {
        let unique = ids
            .iter()
            .map(|i| i.trim())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            == ids.len();
        if !unique || ids.iter().any(|i| i.trim().is_empty()) {
            return None;
        }
        let index = |id: &str| ids.iter().position(|i| i.trim() == id);
        for start in 0..ids.len() {
            let mut cur = start;
            for step in 0..=ids.len() {
                match &parents[cur] {
                    None => break,
                    Some(p) => cur = index(p.trim())?,
                }
                if step == ids.len() {
                    return None;
                }
            }
        }
        Some(
            (0..ids.len())
                .filter(|&i| {
                    !parents
                        .iter()
                        .any(|p| p.as_deref().map(str::trim) == Some(ids[i].trim()))
                })
                .count(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn moodle_imports_never_panic_and_load(spec in spec()) {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["Parent ID number", "ID number", "Short name", "Description", "Description format",
                "Scale values", "Scale configuration", "Rule type", "Rule outcome", "Rule config",
                "Cross-referenced competency ID numbers", "Exported ID", "Is framework", "Taxonomy"]).unwrap();
            w.write_record(["", "FW", "Framework", "", "1", "", "", "", "", "", "", "", "1", ""]).unwrap();
            let ids: Vec<String> = spec.iter().map(|s| id(s.0)).collect();
            let parents: Vec<Option<String>> = spec
                .iter()
                .map(|s| s.1.map(|p| ids.get(p).cloned().unwrap_or_else(|| "missing".into())))
                .collect();
            for (i, (_, _, text, related)) in spec.iter().enumerate() {
                let related = related.and_then(|r| ids.get(r).cloned()).unwrap_or_default();
                w.write_record([parents[i].as_deref().unwrap_or(""), &ids[i], TEXTS[*text], TEXTS[*text], "1",
                    "", "", "", "0", "null", &related, "", "", ""]).unwrap();
            }
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            check(Format::Moodle, &text, leaves(&ids, &parents));
        }

        #[test]
        fn mahara_imports_never_panic_and_load(spec in spec(), flat in any::<bool>()) {
            let elements: Vec<serde_json::Value> = spec
                .iter()
                .map(|(i, parent, text, _)| {
                    let mut e = serde_json::json!({
                        "shortname": id(*i), "name": TEXTS[*text], "description": TEXTS[*text],
                        "standardid": 1 + i % 2, "elementid": id(*i),
                    });
                    if let Some(p) = parent {
                        e["parentelementid"] = serde_json::json!(IDS.get(*p).copied().unwrap_or("missing"));
                    }
                    e
                })
                .collect();
            let standards = serde_json::json!([
                {"shortname": "S1", "name": "One", "standardid": 1},
                {"shortname": "S2", "name": "", "standardid": 2},
            ]);
            let json = if flat {
                serde_json::json!({"framework": {"name": "F", "standards": standards, "standardelements": elements}})
            } else {
                let mut standards = standards;
                standards[0]["standardelement"] = serde_json::Value::Array(elements);
                serde_json::json!({"framework": {"name": "F", "standards": standards}})
            };
            check(Format::Mahara, &serde_json::to_string_pretty(&json).unwrap(), None);
        }
    }
}

#[test]
fn help_names_both_sources() {
    let run = portfolio().args(["import", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&run.stdout);
    for word in ["moodle", "mahara", "--out", "--force", "--id", "--kind"] {
        assert!(help.contains(word), "{word} missing from\n{help}");
    }
}
