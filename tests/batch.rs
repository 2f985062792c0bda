//! `portfolio batch` on generated cohorts.

use assert_cmd::Command;
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn portfolio() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portfolio"));
    cmd.env("PORTFOLIO_TODAY", "2026-11-23")
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("PORTFOLIO_TEST_PANIC");
    cmd
}

fn cohort(learners: usize, broken: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    portfolio()
        .args([
            "generate-cohort",
            "--learners",
            &learners.to_string(),
            "--items",
            "14",
            "--broken",
            &broken.to_string(),
        ])
        .arg(dir.path())
        .assert()
        .success();
    dir
}

fn batch(cohort: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    portfolio()
        .arg("batch")
        .arg(cohort)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// Every file under `dir`, relative, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_cohort_with_two_broken_learners() {
    let cohort = cohort(20, 2);
    let out = tempfile::tempdir().unwrap();
    let result = batch(cohort.path(), out.path(), &["--jobs", "2"]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(stderr.matches("failed: ").count(), 2, "{stderr}");
    assert!(
        stderr.contains("learner-00006") && stderr.contains("learner-00016"),
        "{stderr}"
    );
    assert!(stderr.contains("Built 18 of 20 learners"), "{stderr}");

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("cohort.json")).unwrap()).unwrap();
    assert_eq!(json["schema"], "portfolio-cohort/1");
    let codes: Vec<String> = json["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{}:{}", c["framework"].as_str().unwrap(), c["code"].as_str().unwrap()))
        .collect();

    let mut reader = csv::Reader::from_path(out.path().join("cohort.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 18, "a row per built learner");

    for learner in json["learners"].as_array().unwrap() {
        let source = learner["source"].as_str().unwrap();
        if learner["built"] == false {
            assert!(learner["folder"].is_null());
            continue;
        }
        let folder = learner["folder"].as_str().unwrap();
        // Folder names: ULN when given, else the learner id, then the name.
        let key = learner["learner"]["uln"]
            .as_str()
            .or(learner["learner"]["id"].as_str())
            .unwrap();
        let name = learner["learner"]["name"].as_str().unwrap().replace(' ', "-");
        assert_eq!(folder, format!("{key}-{name}"));
        assert!(out.path().join(folder).join("portfolio.html").is_file());
        // The CSV agrees with `check --format json` of the same learner.
        let check = portfolio()
            .args(["check", "--format", "json"])
            .arg(cohort.path().join(source))
            .output()
            .unwrap();
        let check: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
        let row = rows.iter().find(|r| &r[0] == folder).unwrap();
        for c in check["criteria"].as_array().unwrap() {
            let code = format!("{}:{}", c["framework"].as_str().unwrap(), c["code"].as_str().unwrap());
            let column = headers.iter().position(|h| h == code).unwrap();
            assert_eq!(&row[column], c["status"].as_str().unwrap(), "{folder} {code}");
        }
        assert_eq!(codes.len(), check["criteria"].as_array().unwrap().len());
        assert_eq!(learner["summary"], check["summary"]);
    }

    // The dashboard parses and every link leads to a written file.
    let html = std::fs::read_to_string(out.path().join("cohort.html")).unwrap();
    let doc = Html::parse_document(&html);
    let links = Selector::parse("a[href]").unwrap();
    let mut count = 0;
    for a in doc.select(&links) {
        let href = a.value().attr("href").unwrap();
        assert!(out.path().join(href).is_file(), "dangling link {href}");
        count += 1;
    }
    assert!(count >= 18);
    assert_eq!(
        doc.select(&Selector::parse("table.caseload tbody tr").unwrap()).count(),
        20
    );
    // Every learner with a met says how it was decided (principle 1).
    assert!(html.contains("Met decided by"));
    let cohort: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("cohort.json")).unwrap()).unwrap();
    for l in cohort["learners"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["built"] == true)
    {
        let s = &l["summary"];
        let by = &s["met_by"];
        let sum = by["signed_verified"].as_u64().unwrap()
            + by["signed_unverified"].as_u64().unwrap()
            + by["typed"].as_u64().unwrap();
        assert_eq!(sum, s["met"].as_u64().unwrap(), "{s}");
    }
}

#[test]
fn the_same_cohort_gives_the_same_bytes_whatever_the_jobs() {
    let cohort = cohort(8, 1);
    let one = tempfile::tempdir().unwrap();
    let four = tempfile::tempdir().unwrap();
    batch(cohort.path(), one.path(), &["--jobs", "1"]);
    batch(cohort.path(), four.path(), &["--jobs", "4"]);
    let a = files(one.path());
    let b = files(four.path());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{} differs between --jobs 1 and --jobs 4",
            path.display()
        );
    }
}

#[test]
fn a_panic_in_one_learner_does_not_stop_the_others() {
    let cohort = cohort(6, 0);
    let out = tempfile::tempdir().unwrap();
    let result = portfolio()
        .env("PORTFOLIO_TEST_PANIC", "learner-00003")
        .arg("batch")
        .arg(cohort.path())
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("failed: ") && stderr.contains("learner-00003") && stderr.contains("internal error"),
        "{stderr}"
    );
    assert!(stderr.contains("Built 5 of 6 learners"), "{stderr}");
}

#[test]
fn skipped_folders_are_named_with_verbose() {
    let cohort = cohort(2, 0);
    std::fs::create_dir(cohort.path().join("not-a-learner")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = batch(cohort.path(), out.path(), &["-v"]);
    assert_eq!(result.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&result.stderr).contains("skipped not-a-learner: no portfolio.toml"));
}

/// Issue 17: a cohort registered for a qualification: the dashboard and the
/// cohort JSON show each learner's progress unit by unit, and no column of
/// a unit nobody takes.
#[test]
fn a_qualification_cohort_shows_progress_per_unit() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qualification");
    let cohort = tempfile::tempdir().unwrap();
    for name in ["a", "b"] {
        let learner = cohort.path().join(name);
        std::fs::create_dir_all(learner.join("evidence")).unwrap();
        std::fs::copy(fixture.join("portfolio.toml"), learner.join("portfolio.toml")).unwrap();
        for e in std::fs::read_dir(fixture.join("evidence")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), learner.join("evidence").join(e.file_name())).unwrap();
        }
    }
    let out = tempfile::tempdir().unwrap();
    let run = portfolio()
        .arg("batch")
        .arg("--criteria")
        .arg(fixture.join("criteria"))
        .arg(cohort.path())
        .arg("-o")
        .arg(out.path())
        .args(["--outputs", "html,json", "-q"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("cohort.json")).unwrap()).unwrap();
    let units: Vec<&str> = json["learners"][0]["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(units, ["unit-214", "comms-201"]);
    let columns = json["criteria"].as_array().unwrap();
    assert!(columns.iter().all(|c| c["framework"] != "hsc026"));
    let html = std::fs::read_to_string(out.path().join("cohort.html")).unwrap();
    assert!(html.contains("Unit 201 100%"), "per-unit progress missing");
}
