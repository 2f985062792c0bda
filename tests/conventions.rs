//! The conventions other tools follow (issue 30): spreadsheets (CSV that
//! Excel on Windows opens with names intact), calendars (UIDs unique across
//! learners, to-dos and all-day events, each read back by two parsers) and
//! editors (the JSON Schemas accept every fixture the program accepts and
//! reject invalid files; `init` names its schema).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use support::portfolio;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` into `to` (files and sub-folders).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A cohort of two copies of the sample portfolio, the same items but two
/// learners with accented names and their own ULNs (and a third whose name
/// is a spreadsheet formula).
fn cohort() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let sample = root().join("sample-portfolio");
    let toml = std::fs::read_to_string(sample.join("portfolio.toml")).unwrap();
    let name_line = toml.lines().find(|l| l.starts_with("name = ")).unwrap().to_string();
    for (folder, name, uln) in [
        ("zoe", "Zoë Ó Briain", "1000000001"),
        ("jose", "José Núñez-Šimić", "1000000002"),
        ("formula", "=HYPERLINK(\\\"http://x\\\")", "1000000003"),
    ] {
        let to = dir.path().join(folder);
        copy_dir(&sample, &to);
        let mut text = toml.replacen(&name_line, &format!("name = \"{name}\"\nuln = \"{uln}\""), 1);
        // The sample may already name a ULN: keep only ours.
        let mut seen = false;
        text = text
            .lines()
            .filter(|l| {
                if l.starts_with("uln = ") {
                    let keep = !seen;
                    seen = true;
                    keep
                } else {
                    true
                }
            })
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(to.join("portfolio.toml"), text).unwrap();
    }
    dir
}

/// Reads `file` back with Python's csv module and the utf-8-sig codec, as a
/// spreadsheet would: the rows, or None when Python is missing (not in CI).
fn python_csv(file: &Path) -> Option<Vec<Vec<String>>> {
    let python = support::python_with("csv", "CSV read back by Python")?;
    let o = std::process::Command::new(python)
        .args([
            "-c",
            "import csv, json, sys\n\
             with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n    \
                 print(json.dumps(list(csv.reader(f))))",
        ])
        .arg(file)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(serde_json::from_slice(&o.stdout).unwrap())
}

/// Asserts that `bytes` are Excel-style CSV: a BOM, and CRLF after every
/// record (a bare LF only inside a quoted field).
fn assert_excel_style(bytes: &[u8], what: &str) {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{what}: no byte-order mark");
    assert!(bytes.ends_with(b"\r\n"), "{what}: does not end in CRLF");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let first_line = text.split("\r\n").next().unwrap();
    assert!(!first_line.contains('\n'), "{what}: the header ends in a bare LF");
}

fn assert_plain_style(bytes: &[u8], what: &str) {
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "{what}: has a byte-order mark");
    assert!(!bytes.contains(&b'\r'), "{what}: has a CR");
    assert!(bytes.ends_with(b"\n"), "{what}: does not end in LF");
}

#[test]
fn spreadsheets_are_utf8_with_bom_and_crlf_and_names_survive() {
    let cohort = cohort();
    let out = tempfile::tempdir().unwrap();
    let built = out.path().join("built");
    portfolio()
        .arg("batch")
        .arg(cohort.path())
        .arg("-o")
        .arg(&built)
        .args(["-q"])
        .assert()
        .code(0);
    let sampled = out.path().join("sample");
    portfolio()
        .arg("sample")
        .arg(cohort.path())
        .arg("-o")
        .arg(&sampled)
        .args(["--rate", "1"])
        .assert()
        .success();
    let check = portfolio()
        .arg("check")
        .arg(cohort.path().join("zoe"))
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let check_file = out.path().join("check.csv");
    std::fs::write(&check_file, &check.stdout).unwrap();

    for (what, file) in [
        ("cohort.csv", built.join("cohort.csv")),
        ("sample.csv", sampled.join("sample.csv")),
        ("check --format csv", check_file.clone()),
    ] {
        assert_excel_style(&std::fs::read(&file).unwrap(), what);
    }

    // Read back as Excel would (utf-8-sig): names intact, formula guarded.
    if let Some(rows) = python_csv(&built.join("cohort.csv")) {
        assert_eq!(rows[0][0], "folder", "the BOM is not part of the first header");
        let names: BTreeSet<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
        assert!(names.contains("Zoë Ó Briain"), "{names:?}");
        assert!(names.contains("José Núñez-Šimić"), "{names:?}");
        assert!(
            names.contains("'=HYPERLINK(\"http://x\")"),
            "the formula guard: {names:?}"
        );
    }
    if let Some(rows) = python_csv(&sampled.join("sample.csv")) {
        assert_eq!(rows[0][0], "learner_folder");
        let learners: BTreeSet<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
        assert!(learners.contains("Zoë Ó Briain"), "{learners:?}");
        assert!(learners.iter().all(|l| !l.starts_with('=')), "{learners:?}");
    }
    if let Some(rows) = python_csv(&check_file) {
        assert_eq!(
            rows[0],
            [
                "framework",
                "code",
                "assessed",
                "status",
                "occasions",
                "evidence",
                "problems",
                "next"
            ]
        );
        assert!(rows.len() > 10);
    }

    // --csv-style plain: UTF-8 without a BOM, LF line ends.
    let plain = out.path().join("plain");
    portfolio()
        .arg("batch")
        .arg(cohort.path())
        .arg("-o")
        .arg(&plain)
        .args(["-q", "--csv-style", "plain"])
        .assert()
        .code(0);
    let bytes = std::fs::read(plain.join("cohort.csv")).unwrap();
    assert_plain_style(&bytes, "cohort.csv (plain)");
    assert!(String::from_utf8(bytes).unwrap().contains("Zoë Ó Briain"));
    let plain_sample = out.path().join("plain-sample");
    portfolio()
        .arg("sample")
        .arg(cohort.path())
        .arg("-o")
        .arg(&plain_sample)
        .args(["--rate", "1", "--csv-style", "plain"])
        .assert()
        .success();
    assert_plain_style(
        &std::fs::read(plain_sample.join("sample.csv")).unwrap(),
        "sample.csv (plain)",
    );
    let plain_check = portfolio()
        .arg("check")
        .arg(cohort.path().join("zoe"))
        .args(["--format", "csv", "--csv-style", "plain"])
        .output()
        .unwrap();
    assert_plain_style(&plain_check.stdout, "check --format csv --csv-style plain");
    assert_eq!(
        plain_check.stdout,
        String::from_utf8(check.stdout[3..].to_vec())
            .unwrap()
            .replace("\r\n", "\n")
            .into_bytes(),
        "the two styles differ only in the BOM and line ends"
    );
}

/// The components of `file` as the `ical` crate reads them: (kind, its
/// properties by name).
fn ical_components(file: &Path) -> Vec<(String, BTreeMap<String, String>)> {
    let reader = ical::IcalParser::new(std::io::BufReader::new(std::fs::File::open(file).unwrap()));
    let mut out = Vec::new();
    for calendar in reader {
        let calendar = calendar.unwrap_or_else(|e| panic!("ical rejected {}: {e}", file.display()));
        let props = |ps: &[ical::property::Property]| -> BTreeMap<String, String> {
            ps.iter()
                .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
                .collect()
        };
        out.extend(
            calendar
                .todos
                .iter()
                .map(|t| ("VTODO".to_string(), props(&t.properties))),
        );
        out.extend(
            calendar
                .events
                .iter()
                .map(|e| ("VEVENT".to_string(), props(&e.properties))),
        );
        assert!(calendar.todos.iter().all(|t| t.alarms.len() == 1));
        assert!(calendar.events.iter().all(|e| e.alarms.len() == 1));
    }
    out
}

/// Python's icalendar: (component name, UID, date) of every to-do or event.
fn python_icalendar(file: &Path) -> Option<Vec<(String, String, String)>> {
    let python = support::python_with("icalendar", "the calendars' parse-back")?;
    let o = std::process::Command::new(python)
        .args([
            "-c",
            "import sys, json, icalendar\n\
             c = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
             out = []\n\
             for comp in c.walk():\n    \
                 if comp.name == 'VTODO': out.append([comp.name, str(comp['UID']), comp.decoded('DUE').isoformat()])\n    \
                 if comp.name == 'VEVENT':\n        \
                     start, end = comp.decoded('DTSTART'), comp.decoded('DTEND')\n        \
                     assert (end - start).days == 1 and not hasattr(start, 'hour'), (start, end)\n        \
                     out.append([comp.name, str(comp['UID']), start.isoformat()])\n\
             print(json.dumps(out))",
        ])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "icalendar rejected {}: {}",
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    let rows: Vec<(String, String, String)> = serde_json::from_slice(&o.stdout).unwrap();
    Some(rows)
}

#[test]
fn calendars_have_to_dos_and_all_day_events_with_uids_unique_across_learners() {
    let cohort = cohort();
    let mut uids_by_learner: Vec<BTreeSet<String>> = Vec::new();
    for learner in ["zoe", "jose"] {
        let out = tempfile::tempdir().unwrap();
        portfolio()
            .arg("build")
            .arg(cohort.path().join(learner))
            .arg("-o")
            .arg(out.path())
            .args(["-q"])
            .assert()
            .success();
        let todos = ical_components(&out.path().join("follow-ups.ics"));
        let events = ical_components(&out.path().join("follow-ups-events.ics"));
        assert_eq!(todos.len(), 11, "{todos:?}");
        assert!(todos.iter().all(|(kind, p)| kind == "VTODO" && p.contains_key("DUE")));
        assert_eq!(events.len(), 11, "{events:?}");
        for (kind, p) in &events {
            assert_eq!(kind, "VEVENT");
            assert!(p.contains_key("DTSTART") && p.contains_key("DTEND") && p.contains_key("SUMMARY"));
        }
        // The same follow-ups, on the same days, in both files.
        let due: Vec<&String> = todos.iter().map(|(_, p)| &p["DUE"]).collect();
        let start: Vec<&String> = events.iter().map(|(_, p)| &p["DTSTART"]).collect();
        assert_eq!(due, start);
        let mut uids = BTreeSet::new();
        for (_, p) in todos.iter().chain(&events) {
            assert!(uids.insert(p["UID"].clone()), "UID {} twice", p["UID"]);
        }
        let uln = if learner == "zoe" { "1000000001" } else { "1000000002" };
        assert!(uids.iter().all(|u| u.contains(uln)), "{uids:?}");
        for file in ["follow-ups.ics", "follow-ups-events.ics"] {
            if let Some(rows) = python_icalendar(&out.path().join(file)) {
                assert_eq!(rows.len(), 11, "{file}: {rows:?}");
                let python_uids: BTreeSet<String> = rows.iter().map(|r| r.1.clone()).collect();
                assert!(python_uids.is_subset(&uids), "{file}: the two parsers disagree");
            }
        }
        uids_by_learner.push(uids);
    }
    assert!(
        uids_by_learner[0].is_disjoint(&uids_by_learner[1]),
        "two learners with the same items share UIDs"
    );
}

/// Every file of `kind` under `dir`, recursively, sorted.
fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, keep, out);
        } else if keep(&path) {
            out.push(path);
        }
    }
}

/// One validation job for the Python validator.
#[derive(serde::Serialize)]
struct Job {
    schema: String,
    file: String,
    kind: &'static str,
}

#[derive(serde::Deserialize, Debug)]
struct Verdict {
    file: String,
    parsed: bool,
    errors: Vec<String>,
}

/// Runs tests/support/validate_schemas.py over `jobs`.
fn validate(python: &str, jobs: &[Job]) -> Vec<Verdict> {
    let list = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(list.path(), serde_json::to_vec(jobs).unwrap()).unwrap();
    let o = std::process::Command::new(python)
        .arg(root().join("tests/support/validate_schemas.py"))
        .arg(list.path())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "the validator failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn schema(name: &str) -> String {
    root().join("schemas").join(name).display().to_string()
}

/// The files the program itself rejects as unreadable (invalid front
/// matter, portfolio.toml or criteria), found by checking every fixture.
fn rejected_by_the_program(portfolios: &[PathBuf], coverage_out: &Path) -> (BTreeSet<PathBuf>, Vec<PathBuf>) {
    let mut rejected = BTreeSet::new();
    let mut coverage = Vec::new();
    for (n, dir) in portfolios.iter().enumerate() {
        let mut cmd = portfolio();
        cmd.arg("check").arg(dir).args(["--format", "json"]);
        if dir.join("criteria").is_dir() {
            cmd.arg("--criteria").arg(dir.join("criteria"));
        }
        let o = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        // Criteria that do not load: no report, the files on stderr.
        for line in stderr.lines() {
            if let Some(rest) = line.strip_prefix("error[invalid-criteria] ") {
                let file = rest.split(':').next().unwrap_or("");
                rejected.insert(PathBuf::from(file));
            }
        }
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(&o.stdout) else {
            continue;
        };
        let file = coverage_out.join(format!("{n}.json"));
        std::fs::write(&file, &o.stdout).unwrap();
        coverage.push(file);
        for p in json["problems"].as_array().unwrap() {
            let rule = p["rule"].as_str().unwrap_or("");
            if ["invalid-front-matter", "invalid-portfolio", "invalid-criteria"].contains(&rule)
                && let Some(f) = p["file"].as_str()
            {
                rejected.insert(dir.join(f));
            }
        }
    }
    (rejected, coverage)
}

#[test]
fn schemas_accept_every_fixture_the_program_accepts_and_reject_invalid_files() {
    let Some(python) = support::python_with("jsonschema, tomllib", "the JSON Schemas against the fixtures") else {
        return;
    };
    let r = root();
    let trees = [
        r.join("sample-portfolio"),
        r.join("tests"),
        r.join("src/init"),
        r.join("criteria"),
    ];
    let mut tomls = Vec::new();
    let mut markdown = Vec::new();
    for tree in &trees {
        files_under(tree, &|p| p.extension().is_some_and(|e| e == "toml"), &mut tomls);
        files_under(
            tree,
            &|p| {
                p.extension().is_some_and(|e| e == "md")
                    && p.components()
                        .any(|c| c.as_os_str() == "evidence" || c.as_os_str() == "examples")
            },
            &mut markdown,
        );
    }
    // A freshly initialised portfolio, with its schema line, too.
    let fresh = tempfile::tempdir().unwrap();
    let init_dir = fresh.path().join("mine");
    portfolio().arg("init").arg(&init_dir).assert().success();
    tomls.push(init_dir.join("portfolio.toml"));

    let portfolios: Vec<PathBuf> = tomls
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "portfolio.toml"))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    let coverage_dir = tempfile::tempdir().unwrap();
    let (rejected, coverage) = rejected_by_the_program(&portfolios, coverage_dir.path());
    let rejected: BTreeSet<PathBuf> = rejected
        .into_iter()
        .map(|p| if p.is_absolute() { p } else { r.join(p) })
        .collect();

    let mut jobs = Vec::new();
    for file in &tomls {
        let name = file.file_name().unwrap().to_string_lossy();
        let text = std::fs::read(file).unwrap();
        let text = String::from_utf8_lossy(&text);
        let schema_name = if name == "portfolio.toml" {
            "portfolio.schema.json"
        } else if !file
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| d == "criteria" || d == "units")
        {
            continue; // expectations, signed decisions: not files the schemas describe
        } else if text.contains("portfolio-qualification/") {
            "qualification.schema.json"
        } else {
            "criteria.schema.json"
        };
        jobs.push(Job {
            schema: schema(schema_name),
            file: file.display().to_string(),
            kind: "toml",
        });
    }
    for file in &markdown {
        jobs.push(Job {
            schema: schema("evidence.schema.json"),
            file: file.display().to_string(),
            kind: "front-matter",
        });
    }
    for file in &coverage {
        jobs.push(Job {
            schema: schema("coverage.schema.json"),
            file: file.display().to_string(),
            kind: "json",
        });
    }
    let verdicts = validate(python, &jobs);
    let mut wrongly_refused = Vec::new();
    let mut counts = BTreeMap::new();
    for (job, v) in jobs.iter().zip(&verdicts) {
        assert_eq!(job.file, v.file);
        let accepted_by_program = !rejected.contains(Path::new(&v.file));
        if accepted_by_program && v.parsed && !v.errors.is_empty() {
            wrongly_refused.push(format!("{}: {:?}", v.file, v.errors));
        }
        if accepted_by_program && v.parsed {
            *counts
                .entry(job.schema.rsplit('/').next().unwrap().to_string())
                .or_insert(0) += 1;
        }
    }
    assert!(
        wrongly_refused.is_empty(),
        "the schemas refuse files the program reads:\n{}",
        wrongly_refused.join("\n")
    );
    // Every schema was tried on real files.
    for name in [
        "portfolio.schema.json",
        "evidence.schema.json",
        "criteria.schema.json",
        "qualification.schema.json",
        "coverage.schema.json",
    ] {
        assert!(counts.get(name).copied().unwrap_or(0) >= 2, "{name}: {counts:?}");
    }
    eprintln!(
        "files validated, by schema: {counts:?}; rejected by the program: {}",
        rejected.len()
    );
    assert!(
        counts["evidence.schema.json"] > 100 && counts["portfolio.schema.json"] > 50,
        "{counts:?}"
    );

    // And the schemas refuse what the program refuses for a wrong key or type.
    let bad = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| -> String {
        let path = bad.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let invalid = [
        (
            "portfolio.schema.json",
            "toml",
            write("p1.toml", "[learner]\nnmae = \"Sam\"\n"),
        ),
        (
            "portfolio.schema.json",
            "toml",
            write("p2.toml", "[centre]\nname = \"C\"\n"),
        ),
        (
            "portfolio.schema.json",
            "toml",
            write("p3.toml", "[learner]\nname = \"Sam\"\nregistered = \"12/01/2026\"\n"),
        ),
        (
            "evidence.schema.json",
            "front-matter",
            write(
                "e1.md",
                "+++\ntitle = \"t\"\ndate = 2026-03-14\nmethod = \"observation\"\ncriteria = \"3.1, 3.2\"\n+++\nx\n",
            ),
        ),
        (
            "evidence.schema.json",
            "front-matter",
            write(
                "e2.md",
                "+++\ntitle = \"t\"\ndate = 2026-03-14\nmethod = \"observation\"\ncriteria = [\"3.1\"]\nwitnes = \"Sam\"\n+++\n",
            ),
        ),
        (
            "criteria.schema.json",
            "toml",
            write(
                "c1.toml",
                "id = \"x\"\nkind = \"unit\"\ntitle = \"t\"\nreference = \"r\"\ngroups = \"none\"\n",
            ),
        ),
        (
            "qualification.schema.json",
            "toml",
            write(
                "q1.toml",
                "schema = \"portfolio-qualification/1\"\nid = \"q\"\ntitle = \"t\"\n",
            ),
        ),
        (
            "coverage.schema.json",
            "json",
            write("j1.json", "{\"schema\": \"portfolio-check/1\"}"),
        ),
    ];
    let jobs: Vec<Job> = invalid
        .iter()
        .map(|(s, kind, file)| Job {
            schema: schema(s),
            file: file.clone(),
            kind,
        })
        .collect();
    for v in validate(python, &jobs) {
        assert!(v.parsed, "{} did not parse", v.file);
        assert!(!v.errors.is_empty(), "the schema accepted {}", v.file);
    }
}

#[test]
fn init_names_the_schema_for_editors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mine");
    portfolio().arg("init").arg(&dir).assert().success();
    let toml = std::fs::read_to_string(dir.join("portfolio.toml")).unwrap();
    assert_eq!(toml.lines().next(), Some("#:schema ./.schema/portfolio.schema.json"));
    let written = std::fs::read_to_string(dir.join(".schema/portfolio.schema.json")).unwrap();
    assert_eq!(
        written,
        std::fs::read_to_string(root().join("schemas/portfolio.schema.json")).unwrap()
    );
    // The schema's folder is no evidence: the new portfolio checks as before.
    let o = portfolio().arg("check").arg(&dir).output().unwrap();
    assert_ne!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    // Another unit's portfolio names it too.
    let other = tmp.path().join("hsc");
    portfolio()
        .arg("init")
        .arg(&other)
        .args(["--unit", "hsc026", "--criteria"])
        .arg(root().join("tests/units"))
        .assert()
        .success();
    let toml = std::fs::read_to_string(other.join("portfolio.toml")).unwrap();
    assert!(toml.starts_with("#:schema ./.schema/portfolio.schema.json\n"), "{toml}");
    assert!(other.join(".schema/portfolio.schema.json").is_file());
}
