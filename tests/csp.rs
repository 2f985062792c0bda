//! The Content-Security-Policy of what `build` and `batch` write: a policy
//! that would survive an escaping bug. No `'unsafe-inline'` for scripts;
//! an inline script runs only when its SHA-256 is in the page's own policy;
//! no handler attribute and no `javascript:` link anywhere.

use base64::Engine;
use scraper::{Html, Selector};
use sha2::Digest;
use std::path::Path;

fn portfolio() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_portfolio"));
    cmd.env("PORTFOLIO_TODAY", "2026-11-23")
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// The page's `<meta>` policy, its script-src sources, and the hashes of
/// its inline scripts.
fn policy(html: &str) -> (String, Vec<String>, Vec<String>) {
    let doc = Html::parse_document(html);
    let metas: Vec<_> = doc
        .select(&Selector::parse("meta[http-equiv=\"Content-Security-Policy\"]").unwrap())
        .collect();
    assert_eq!(metas.len(), 1, "one policy");
    let csp = metas[0].value().attr("content").unwrap().to_string();
    let directive = |name: &str| {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.split_whitespace().next() == Some(name))
            .map(|d| d.split_whitespace().skip(1).map(str::to_string).collect::<Vec<_>>())
    };
    let scripts = directive("script-src")
        .or_else(|| directive("default-src"))
        .unwrap_or_default();
    let mut hashes = Vec::new();
    for script in doc.select(&Selector::parse("script").unwrap()) {
        assert!(script.value().attr("src").is_none(), "the page is one file");
        let text: String = script.text().collect();
        let digest = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes()));
        hashes.push(format!("'sha256-{digest}'"));
    }
    for element in doc.select(&Selector::parse("*").unwrap()) {
        for (name, value) in element.value().attrs() {
            assert!(!name.starts_with("on"), "a handler attribute {name}");
            assert!(
                !value.trim_start().to_ascii_lowercase().starts_with("javascript:"),
                "{name}={value}"
            );
        }
    }
    (csp, scripts, hashes)
}

fn assert_only_hashed_scripts(html: &str, expect_scripts: usize) {
    let (csp, sources, hashes) = policy(html);
    assert!(!sources.iter().any(|s| s == "'unsafe-inline'"), "{csp}");
    assert!(!sources.iter().any(|s| s == "*" || s.starts_with("http")), "{csp}");
    assert_eq!(hashes.len(), expect_scripts, "{csp}");
    for hash in &hashes {
        assert!(
            sources.contains(hash),
            "the inline script {hash} is not in the policy: {csp}"
        );
    }
    assert!(csp.contains("default-src 'none'"), "{csp}");
}

#[test]
fn the_built_portfolio_runs_no_script_that_its_policy_does_not_name() {
    let out = tempfile::tempdir().unwrap();
    portfolio()
        .arg("build")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio"))
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let html = std::fs::read_to_string(out.path().join("portfolio.html")).unwrap();
    assert_only_hashed_scripts(&html, 0);
}

#[test]
fn the_cohort_dashboards_script_is_allowed_by_its_hash_alone() {
    let dir = tempfile::tempdir().unwrap();
    let learners = dir.path().join("learners");
    portfolio()
        .args([
            "generate-cohort",
            "--learners",
            "3",
            "--items",
            "6",
            "--broken",
            "0",
            "-q",
        ])
        .arg(&learners)
        .assert()
        .success();
    let out = dir.path().join("out");
    portfolio()
        .arg("batch")
        .arg(&learners)
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("cohort.html")).unwrap();
    assert_only_hashed_scripts(&html, 1);
    assert!(
        html.contains("getElementById('caseload')"),
        "the sorting script is there"
    );
}
