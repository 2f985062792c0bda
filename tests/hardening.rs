//! Hardening: inputs too large, too deep, too many, linked or locked; the
//! input folder never modified; outputs never half-written.

use assert_cmd::Command;
use sha2::Digest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn portfolio() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portfolio"));
    cmd.env("PORTFOLIO_TODAY", "2026-11-23")
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH");
    cmd
}

const PORTFOLIO_TOML: &str = "[learner]\nname = \"Test Learner\"\nid = \"T-1\"\n";

fn item(title: &str, codes: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2026-03-01\nmethod = \"questioning\"\ncriteria = [{codes}]\n+++\n{body}\n"
    )
}

/// A portfolio with one good item (1.2) and whatever `extra` adds.
fn portfolio_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("evidence")).unwrap();
    std::fs::write(dir.path().join("portfolio.toml"), PORTFOLIO_TOML).unwrap();
    std::fs::write(dir.path().join("evidence/good.md"), item("Good", "\"1.2\"", "Fine.")).unwrap();
    dir
}

fn check_json(dir: &Path) -> (i32, serde_json::Value, String) {
    let out = portfolio()
        .arg("check")
        .arg(dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn status(json: &serde_json::Value, code: &str) -> String {
    json["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap()["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Every file under `dir` with a hash of its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (
                e.path().to_path_buf(),
                sha2::Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn a_symlink_loop_and_linked_files_are_not_followed() {
    let dir = portfolio_dir();
    std::os::unix::fs::symlink(dir.path().join("evidence"), dir.path().join("evidence/loop")).unwrap();
    std::fs::write(dir.path().join("outside.md"), item("Outside", "\"1.1\"", "x")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("outside.md"), dir.path().join("evidence/linked.md")).unwrap();
    let (code, json, stderr) = check_json(dir.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("symlink-skipped"), "{stderr}");
    assert_eq!(status(&json, "1.1"), "missing", "the linked item is not read");
    assert_eq!(status(&json, "1.2"), "claimed");
}

#[test]
fn an_attachment_through_a_symlink_that_leaves_the_folder_is_refused() {
    let dir = portfolio_dir();
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::create_dir(dir.path().join("attachments")).unwrap();
    std::os::unix::fs::symlink(secret.path(), dir.path().join("attachments/sheet.png")).unwrap();
    std::fs::write(
        dir.path().join("evidence/a.md"),
        item("Linked", "\"1.1\"", "x").replace("+++\nx", "attachments = [\"attachments/sheet.png\"]\n+++\nx"),
    )
    .unwrap();
    let (code, json, _) = check_json(dir.path());
    assert_eq!(code, 2);
    let p = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["rule"] == "attachment-outside")
        .unwrap();
    assert_eq!(p["file"], "evidence/a.md");
    assert_eq!(p["line"], 6);
}

#[test]
fn an_unreadable_file_is_reported_and_the_rest_evaluated() {
    use std::os::unix::fs::PermissionsExt;
    let dir = portfolio_dir();
    let locked = dir.path().join("evidence/locked.md");
    std::fs::write(&locked, item("Locked", "\"1.1\"", "x")).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        eprintln!("running as root: permissions do not stop reads; nothing to test");
        return;
    }
    let (code, json, _) = check_json(dir.path());
    assert_eq!(code, 2);
    assert!(
        json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["file"] == "evidence/locked.md")
    );
    assert_eq!(status(&json, "1.2"), "claimed");
}

#[test]
fn a_50_mb_item_is_refused_without_reading_it() {
    let dir = portfolio_dir();
    let big = std::fs::File::create(dir.path().join("evidence/huge.md")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    let (code, json, _) = check_json(dir.path());
    assert_eq!(code, 2);
    let p = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"] == "evidence/huge.md")
        .unwrap();
    assert!(p["message"].as_str().unwrap().contains("at most 4 MB"), "{p}");
    assert_eq!(status(&json, "1.2"), "claimed");
}

#[test]
fn deep_nesting_is_refused_and_long_lines_build() {
    let dir = portfolio_dir();
    let quotes = format!("{} deep quote", ">".repeat(10_000));
    let lists = format!("{}deep item", "- ".repeat(10_000));
    std::fs::write(
        dir.path().join("evidence/quotes.md"),
        item("Quotes", "\"1.1\"", &quotes),
    )
    .unwrap();
    std::fs::write(dir.path().join("evidence/lists.md"), item("Lists", "\"1.3\"", &lists)).unwrap();
    let (code, json, _) = check_json(dir.path());
    assert_eq!(code, 2);
    let deep: Vec<_> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["message"].as_str().unwrap().contains("levels deep"))
        .collect();
    assert_eq!(deep.len(), 2, "{deep:?}");
    assert!(deep.iter().all(|p| p["line"] == 7));
    assert_eq!(status(&json, "1.2"), "claimed");

    // Fifty levels, the limit, and a 1 MB line still build, HTML and PDF.
    std::fs::write(
        dir.path().join("evidence/quotes.md"),
        item("Quotes", "\"1.1\"", &format!("{} fifty", "> ".repeat(50))),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("evidence/lists.md"),
        item("Lists", "\"1.3\"", &format!("{}fifty items", "- ".repeat(50))),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("evidence/line.md"),
        item("Line", "\"1.4\"", &"word ".repeat(200_000)),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = portfolio()
        .arg("build")
        .arg(dir.path())
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(
        result.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let html = std::fs::read_to_string(out.path().join("portfolio.html")).unwrap();
    assert!(html.contains("fifty items"));
    assert!(out.path().join("portfolio.pdf").is_file());
}

#[test]
fn ten_thousand_items_check_quickly() {
    let dir = portfolio_dir();
    let codes = ["\"1.1\"", "\"1.2\"", "\"2.1\"", "\"3.1\"", "\"P5\""];
    for n in 0..10_000 {
        let sub = dir.path().join(format!("evidence/{:03}", n / 100));
        if n % 100 == 0 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        std::fs::write(
            sub.join(format!("{n:05}.md")),
            item(&format!("Item {n}"), codes[n % codes.len()], "Short narrative [[1.1]]."),
        )
        .unwrap();
    }
    let start = Instant::now();
    let (code, json, _) = check_json(dir.path());
    let took = start.elapsed();
    assert_eq!(code, 1);
    assert_eq!(json["items"].as_array().unwrap().len(), 10_001);
    // Generous for a debug build on a loaded machine; release takes a fraction.
    assert!(took.as_secs_f64() < 20.0, "10,000 items took {took:?}");
}

#[test]
fn build_never_modifies_the_input_and_keeps_unrelated_outputs() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio");
    let before = tree(&sample);
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
    portfolio()
        .arg("build")
        .arg(&sample)
        .arg("-o")
        .arg(out.path())
        .assert()
        .code(0);
    portfolio().arg("check").arg(&sample).assert().code(0);
    assert_eq!(before, tree(&sample), "the input folder changed");
    assert_eq!(std::fs::read_to_string(out.path().join("notes.txt")).unwrap(), "mine");
    // A failed build leaves the previous outputs as they were.
    let previous = tree(out.path());
    let broken = portfolio_dir();
    std::fs::write(broken.path().join("evidence/bad.md"), "no front matter").unwrap();
    portfolio()
        .arg("build")
        .arg(broken.path())
        .arg("-o")
        .arg(out.path())
        .assert()
        .code(2);
    assert_eq!(previous, tree(out.path()));
    // No temporary files are left behind.
    assert!(
        std::fs::read_dir(out.path())
            .unwrap()
            .all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".tmp"))
    );
}

/// Every input kept under tests/fuzz-regressions/TARGET/ goes through the
/// code path of that fuzz target again (see docs/fuzzing.md).
#[test]
fn fuzz_regressions() {
    use portfolio::coverage::{Status, evaluate};
    use portfolio::document::Document;
    use portfolio::report::Checked;
    let criteria = portfolio::criteria::load_criteria(None).unwrap();
    let html = portfolio::render::html::HtmlRenderer::new(None).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let today = portfolio::date::Date {
        year: 2026,
        month: 11,
        day: 23,
    };
    let mut count = 0;
    for target in ["front_matter", "inline_refs", "markdown_html", "markdown_pdf"] {
        for entry in std::fs::read_dir(root.join(target)).unwrap() {
            let data = std::fs::read(entry.unwrap().path()).unwrap();
            count += 1;
            let tmp = std::env::temp_dir();
            match target {
                "front_matter" => {
                    let (item, problems) =
                        portfolio::evidence::parse_item(&tmp, Path::new("evidence/f.md"), &data, &criteria);
                    assert!(item.is_some() || !problems.is_empty());
                }
                "inline_refs" => {
                    let text = String::from_utf8_lossy(&data);
                    for r in portfolio::evidence::inline::find_refs(&text) {
                        assert_eq!(text.get(r.offset..r.offset + 2), Some("[["));
                    }
                    let _ = portfolio::document::markdown::references(&text);
                }
                _ => {
                    let text = String::from_utf8_lossy(&data);
                    let body = format!(
                        "+++\ntitle = \"F\"\ndate = 2026-03-01\nmethod = \"observation\"\ncriteria = [\"3.1\"]\n+++\n{text}"
                    );
                    let (Some(item), _) =
                        portfolio::evidence::parse_item(&tmp, Path::new("evidence/f.md"), body.as_bytes(), &criteria)
                    else {
                        continue;
                    };
                    let p = portfolio::evidence::Portfolio {
                        root: tmp,
                        settings: portfolio::evidence::Settings {
                            assessed: criteria.default_assessed(),
                            ..Default::default()
                        },
                        reflection: Some(text.to_string()),
                        items: vec![item],
                        problems: Vec::new(),
                    };
                    let cov = evaluate(&p, &criteria, Status::Claimed, today);
                    let doc = Document::build(
                        Checked {
                            criteria: &criteria,
                            portfolio: &p,
                            coverage: &cov,
                        },
                        today,
                    );
                    if target == "markdown_html" {
                        html.render(&doc).unwrap();
                    } else {
                        portfolio::render::pdf::render(&doc).unwrap();
                    }
                }
            }
        }
    }
    assert!(count >= 8, "only {count} regression inputs");
}
