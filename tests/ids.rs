//! Item ids are names, not paths (issue 25, item 7): an evidence file whose
//! name makes no usable id (`...md` would give `..`) is an error naming the
//! file, and `portfolio assess` refuses an id that is not a name, so a
//! decision can never be written outside `assessment/`.

mod support;

use ssh_key::private::Ed25519Keypair;
use ssh_key::{LineEnding, PrivateKey};
use std::path::{Path, PathBuf};
use support::portfolio;

/// Every file under `dir`, relative to it, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

const ITEM: &str = "+++\ntitle = \"A discussion\"\ndate = 2026-02-18\nmethod = \"professional-discussion\"\ncriteria = [\"1.1\"]\n+++\nWe discussed the handover procedure [[1.1]].\n";

/// A one-item portfolio (inside `tmp/p`), a key and its path.
fn setup(file: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    std::fs::write(
        dir.join("portfolio.toml"),
        "[learner]\nname = \"Sam Learner\"\nid = \"L-7\"\n\n[assessor]\nname = \"J. Patel\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("evidence").join(file), ITEM).unwrap();
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&[7; 32]));
    let key_file = tmp.path().join("key");
    key.write_openssh_file(&key_file, LineEnding::LF).unwrap();
    (tmp, dir, key_file)
}

fn assess(dir: &Path, key: &Path, item: &str) -> std::process::Output {
    portfolio()
        .arg("assess")
        .arg(dir)
        .arg(item)
        .args([
            "--decision",
            "accepted",
            "--by",
            "j.patel@centre.example",
            "--date",
            "2026-04-22",
            "--key",
        ])
        .arg(key)
        .output()
        .unwrap()
}

#[test]
fn a_file_named_dot_dot_dot_md_is_an_error_naming_the_file() {
    let (_tmp, dir, _key) = setup("...md");
    let out = portfolio()
        .arg("check")
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = json["problems"].as_array().unwrap();
    let bad = problems
        .iter()
        .find(|p| {
            p["message"]
                .as_str()
                .unwrap_or("")
                .contains("does not make a usable id")
        })
        .unwrap_or_else(|| panic!("no problem for the id `..`: {problems:#?}"));
    assert_eq!(bad["severity"], "error", "{bad:#?}");
    assert_eq!(bad["file"], "evidence/...md", "{bad:#?}");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn assess_refuses_ids_that_are_not_names_and_writes_nothing() {
    let (tmp, dir, key) = setup("...md");
    let before = files(tmp.path());
    for id in ["..", ".", "../escape", "a/../../b", "/tmp/abs", "", "a//b"] {
        let out = assess(&dir, &key, id);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "assess accepted the id {id:?}: {stderr}");
        assert!(
            stderr.contains("is not an item id") || stderr.contains("no item"),
            "{id:?}: {stderr}"
        );
        assert_eq!(files(tmp.path()), before, "assess {id:?} wrote a file");
    }
}

#[test]
fn a_valid_file_name_still_gives_an_id_that_assess_records() {
    let (_tmp, dir, key) = setup("03-discussion.md");
    let out = assess(&dir, &key, "03-discussion");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.join("assessment/03-discussion/001-assessor.toml").is_file());
}
