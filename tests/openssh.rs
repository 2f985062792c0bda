//! portfolio and OpenSSH side by side (issue 26, principle 7): a decision
//! signed by `ssh-keygen -Y sign` with every key type OpenSSH verifies
//! verifies in portfolio too; and for a corpus of roster lines (every form
//! ssh-keygen(1)'s ALLOWED SIGNERS section documents, and the malformed ones
//! a security review found), `portfolio decisions --signers` and
//! `ssh-keygen -Y verify` give the same verdict, line for line.

mod support;

use portfolio::decisions::{ContentFile, Record, message, sign};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::portfolio;

const TODAY: &str = "2026-11-23";
const BY: &str = "j.patel@centre.example";
const ITEM: &str = "01-handover-procedure-discussion";

/// A copy of the sample without its decisions.
fn sample(to: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if name == "assessment" || name == "DEMO-ONLY-keys" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(&name));
            } else {
                std::fs::copy(entry.path(), to.join(&name)).unwrap();
            }
        }
    }
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio"), to);
    // The principal names the sample's assessor, J. Patel.
}

/// `ssh-keygen -t TYPE [-b BITS]` without a passphrase; the public line.
fn keygen(dir: &Path, name: &str, args: &[&str]) -> (PathBuf, String) {
    let key = dir.join(name);
    let out = Command::new("ssh-keygen")
        .args(["-q", "-N", "", "-C", name, "-f"])
        .arg(&key)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let public = public.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    (key, public)
}

/// The record `assess` would write for the sample's item 01 today, its
/// message signed by `ssh-keygen -Y sign` (not by portfolio) with `key`.
fn signed_by_openssh(dir: &Path, key: &Path) -> Record {
    let criteria = portfolio::pipeline::criteria(None).unwrap();
    let p = portfolio::evidence::load_portfolio(dir, &criteria).unwrap();
    let item = p.items.iter().find(|i| i.id == ITEM).unwrap();
    let files: Vec<ContentFile> = message::content(&portfolio::source::DiskSource::new(dir), item);
    let mut record = Record {
        format: message::FORMAT.to_string(),
        item: ITEM.to_string(),
        role: "assessor".to_string(),
        decision: "accepted".to_string(),
        by: BY.to_string(),
        date: TODAY.to_string(),
        feedback: Some("Signed by OpenSSH.".to_string()),
        sequence: Some(1),
        criteria: None,
        learner_id: p.settings.learner.id.clone().unwrap_or_default(),
        learner_uln: p.settings.learner.uln.clone().unwrap_or_default(),
        signature: String::new(),
        files,
    };
    let msg = dir.join("message.txt");
    std::fs::write(&msg, message::message(&record)).unwrap();
    let out = Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", "portfolio-assessor", "-f"])
        .arg(key)
        .arg(&msg)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    record.signature = std::fs::read_to_string(dir.join("message.txt.sig")).unwrap();
    std::fs::remove_file(dir.join("message.txt.sig")).unwrap();
    record
}

/// portfolio's verdict: `decisions --signers` says the one record verified.
fn portfolio_verifies(dir: &Path, roster: &Path) -> bool {
    let out = portfolio()
        .arg("decisions")
        .arg(dir)
        .arg("--signers")
        .arg(roster)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    out.status.success()
        && stdout
            .lines()
            .any(|l| l.contains(ITEM) && l.trim_end().ends_with(" verified"))
}

/// OpenSSH's verdict on the same message, signature and roster, as of the
/// start of TODAY (the day portfolio checks on).
fn openssh_verifies(dir: &Path, roster: &Path) -> bool {
    Command::new("ssh-keygen")
        .env("TZ", "UTC")
        .args([
            "-Y",
            "verify",
            "-I",
            BY,
            "-n",
            "portfolio-assessor",
            "-Overify-time=20261123",
            "-f",
        ])
        .arg(roster)
        .arg("-s")
        .arg(dir.join("message.txt.sig"))
        .stdin(std::fs::File::open(dir.join("message.txt")).unwrap())
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn a_decision_signed_by_ssh_keygen_verifies_with_every_key_type_openssh_verifies() {
    if !support::tool("ssh-keygen", "signatures made by ssh-keygen") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let types: [(&str, &[&str]); 5] = [
        ("ed25519", &["-t", "ed25519"]),
        ("ecdsa-p256", &["-t", "ecdsa", "-b", "256"]),
        ("ecdsa-p384", &["-t", "ecdsa", "-b", "384"]),
        ("ecdsa-p521", &["-t", "ecdsa", "-b", "521"]),
        ("rsa-3072", &["-t", "rsa", "-b", "3072"]),
    ];
    let mut assess_signs = Vec::new();
    for (name, args) in types {
        let dir = tmp.path().join(name);
        sample(&dir);
        let (key, public) = keygen(tmp.path(), &format!("key-{name}"), args);
        let roster = tmp.path().join(format!("{name}.allowed_signers"));
        std::fs::write(&roster, format!("{BY} namespaces=\"portfolio-assessor\" {public}\n")).unwrap();
        let record = signed_by_openssh(&dir, &key);
        sign::store(&dir, &record).unwrap();
        assert!(
            portfolio_verifies(&dir, &roster),
            "{name}: ssh-keygen's signature is not verified"
        );
        // The check counts it as met, signed and verified.
        let out = portfolio()
            .arg("check")
            .arg(&dir)
            .arg("--signers")
            .arg(&roster)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let item = json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == ITEM)
            .unwrap();
        assert_eq!(item["decided"], "signed-verified", "{name}: {item}");
        // One byte of the message changed: both refuse it.
        let mut altered = record.clone();
        altered.feedback = Some("Signed by OpenSSH!".to_string());
        std::fs::remove_dir_all(dir.join("assessment")).unwrap();
        sign::store(&dir, &altered).unwrap();
        assert!(!portfolio_verifies(&dir, &roster), "{name}: an altered record verified");

        // Which key types `assess` itself signs with.
        let fresh = tmp.path().join(format!("{name}-assess"));
        sample(&fresh);
        let signed = portfolio()
            .arg("assess")
            .arg(&fresh)
            .arg(ITEM)
            .args(["--decision", "accepted", "--by", BY, "--date", TODAY, "-q", "--key"])
            .arg(&key)
            .output()
            .unwrap();
        if signed.status.success() {
            assert!(
                portfolio_verifies(&fresh, &roster),
                "{name}: assess signed what it cannot verify"
            );
            assess_signs.push(name);
        }
    }
    // docs/decisions.md says which: keep it true.
    assert_eq!(
        assess_signs,
        ["ed25519", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-3072"],
        "assess signs with these key types"
    );
}

#[test]
fn portfolio_and_ssh_keygen_agree_on_every_roster_line() {
    if !support::tool("ssh-keygen", "the roster corpus") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    sample(&dir);
    let (key, k) = keygen(tmp.path(), "assessor", &["-t", "ed25519"]);
    let (_, other) = keygen(tmp.path(), "other", &["-t", "ed25519"]);
    let (_, ecdsa) = keygen(tmp.path(), "ecdsa", &["-t", "ecdsa", "-b", "256"]);
    let record = signed_by_openssh(&dir, &key);
    std::fs::write(dir.join("message.txt.sig"), &record.signature).unwrap();
    sign::store(&dir, &record).unwrap();
    let p = BY;
    let nbsp = '\u{a0}';
    // (roster text, what OpenSSH says, as documented or as found)
    let corpus: Vec<(String, bool)> = vec![
        (format!("{p} {k}"), true),
        (format!("{p} {k} J Patel's key, a comment"), true),
        (format!("   {p}   {k}"), true),
        (format!("{p}\t{k}"), true),
        (format!("{p} namespaces=\"portfolio-assessor\" {k}"), true),
        (format!("{p} NAMESPACES=\"portfolio-assessor\" {k}"), true),
        (format!("{p} namespaces=\"portfolio-iqa\" {k}"), false),
        (format!("{p} namespaces=\"portfolio-*\" {k}"), true),
        (format!("{p} namespaces=\"git,portfolio-assessor\" {k}"), true),
        (format!("{p} namespaces=\"portfolio-*,!portfolio-assessor\" {k}"), false),
        (format!("{p} namespaces=\"portfolio-decision\" {k}"), false),
        (format!("{p} namespaces=\"a\\\"b,portfolio-assessor\" {k}"), true),
        (format!("*@centre.example {k}"), true),
        (format!("j.patel@*,!j.patel@centre.example {k}"), false),
        (format!("r.obi@centre.example,{p} {k}"), true),
        (format!("\"{p}\" {k}"), true),
        (format!("\"J Patel,{p}\" {k}"), true),
        (format!("{p} {other}"), false),
        (format!("r.obi@centre.example {k}"), false),
        (format!("{p} cert-authority {k}"), false),
        (format!("{p} valid-after=\"20200101\" {k}"), true),
        (format!("{p} valid-after=\"202001010930\" {k}"), true),
        (format!("{p} valid-after=\"20200101093000UTC\" {k}"), true),
        (format!("{p} valid-after=\"20991231\" {k}"), false),
        (format!("{p} valid-before=\"20991231Z\" {k}"), true),
        // A key that expired before the check: a decision back-dated into
        // its validity does not make it valid again.
        (format!("{p} valid-before=\"20260101\" {k}"), false),
        (
            format!("{p} valid-after=\"20200101\",valid-before=\"20991231\" {k}"),
            true,
        ),
        (
            format!("{p} valid-before=\"20991231\",valid-after=\"20200101\" {k}"),
            true,
        ),
        (
            format!("{p} namespaces=\"portfolio-assessor\",valid-before=\"20991231\" {k}"),
            true,
        ),
        (format!("r.obi@centre.example {ecdsa}\n{p} {k}"), true),
        (format!("{p} {ecdsa}\n{p} {k}"), true),
        (format!("# {p} {k}"), false),
        // Found by the security review: each verified in portfolio before.
        (format!("{p} namespaces=portfolio-assessor {k}"), false),
        (format!("\"J. Patel\",{p} namespaces=\"portfolio-assessor\" {k}"), false),
        (
            format!("{p} namespaces=\"portfolio-assessor\",namespaces=\"portfolio-assessor\" {k}"),
            false,
        ),
        (format!("{p}{nbsp}namespaces=\"portfolio-assessor\" {k}"), false),
        (format!("{p} namespaces=\"portfolio-assessor\"{nbsp}{k}"), false),
        (
            format!("{p} namespaces=\"portfolio-assessor\" valid-after=\"20200101\" {k}"),
            false,
        ),
        (format!("{p} namespaces=\"portfolio-assessor\", {k}"), false),
        (format!("{p} valid-before=\"2099\" {k}"), false),
        (
            format!("{p} valid-after=\"20991231\",valid-before=\"20200101\" {k}"),
            false,
        ),
        (format!("{p} frobnicate {k}"), false),
        (format!("{p} namespaces=\"portfolio-assessor\" ssh-ed25519"), false),
        (p.to_string(), false),
    ];
    let roster = tmp.path().join("allowed_signers");
    let mut disagree = Vec::new();
    for (n, (text, documented)) in corpus.iter().enumerate() {
        std::fs::write(&roster, format!("{text}\n")).unwrap();
        let ours = portfolio_verifies(&dir, &roster);
        let theirs = openssh_verifies(&dir, &roster);
        if ours != theirs || theirs != *documented {
            disagree.push(format!(
                "case {n}: portfolio {ours}, ssh-keygen {theirs}, expected {documented}: {text:?}"
            ));
        }
    }
    assert!(disagree.is_empty(), "{}", disagree.join("\n"));
}
