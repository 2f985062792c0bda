//! Signed decisions end to end, on a copy of the sample portfolio without its
//! demonstration decisions: a key made here signs six items with `portfolio
//! assess`; `check --signers` counts them; editing one item drops it back to
//! claimed with `changed-since-decision`; `assess` leaves the evidence bytes
//! alone; `decisions --export` writes what `ssh-keygen -Y verify` reads.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use ssh_key::private::Ed25519Keypair;
use ssh_key::{LineEnding, PrivateKey};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-23";
const BY: &str = "j.patel@northgate.example";
const SIX: [&str; 6] = [
    "01-handover-procedure-discussion",
    "02-questions-reminders-and-responsibility",
    "05-observation-morning-huddle",
    "08-observation-late-shift-refund",
    "10-witness-refund-follow-up",
    "13-observation-team-meeting-feedback",
];

fn portfolio() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portfolio"));
    cmd.env("PORTFOLIO_TODAY", TODAY).env("NO_COLOR", "1");
    cmd
}

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

/// The evidence and attachments, byte for byte.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for sub in ["evidence", "attachments"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            files.insert(path.clone(), std::fs::read(&path).unwrap());
        }
    }
    files
}

/// A fresh sample, a key made here and its roster.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sample");
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio"), &dir);
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&[16; 32]));
    let key_file = tmp.path().join("assessor_key");
    key.write_openssh_file(&key_file, LineEnding::LF).unwrap();
    let roster = tmp.path().join("allowed_signers");
    std::fs::write(
        &roster,
        format!(
            "# the centre's roster\n{BY} namespaces=\"portfolio-assessor\" {}\n",
            key.public_key().to_openssh().unwrap()
        ),
    )
    .unwrap();
    (tmp, dir, key_file, roster)
}

fn check_json(dir: &Path, roster: &Path) -> Value {
    let out = portfolio()
        .arg("check")
        .arg(dir)
        .arg("--signers")
        .arg(roster)
        .args(["--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn statuses(json: &Value) -> BTreeMap<String, String> {
    json["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["assessed"] == true)
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn assess(dir: &Path, key: &Path, item: &str) {
    portfolio()
        .arg("assess")
        .arg(dir)
        .arg(item)
        .args(["--decision", "accepted", "--by", BY, "--date", "2026-04-22", "--key"])
        .arg(key)
        .assert()
        .success();
}

#[test]
fn six_signed_acceptances_count_until_an_item_changes() {
    let (_tmp, dir, key, roster) = setup();
    // With the roster, the decisions typed into the sample's files count for nothing.
    let before = check_json(&dir, &roster);
    assert_eq!(before["summary"]["met"], 0, "{}", before["summary"]);
    assert_eq!(before["decisions"]["verified_against_roster"], true);

    let bytes = snapshot(&dir);
    for item in SIX {
        assess(&dir, &key, item);
    }
    assert_eq!(snapshot(&dir), bytes, "assess changed an evidence file");

    let after = check_json(&dir, &roster);
    let met = statuses(&after);
    assert_eq!(after["summary"]["met"], 7, "{}", after["summary"]);
    assert_eq!(met["1.1"], "met");
    // Every met says how it was decided.
    assert_eq!(after["summary"]["met_by"]["signed_verified"], 7, "{}", after["summary"]);
    assert_eq!(after["summary"]["met_by"]["typed"], 0);
    for c in after["criteria"].as_array().unwrap() {
        let want = if c["status"] == "met" {
            "signed-verified"
        } else {
            "null"
        };
        assert_eq!(c["decided"].to_string().trim_matches('"'), want, "{c}");
    }
    let verdicts: Vec<&str> = after["decisions"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["verified"; 6]);

    // The learner edits item 01 after it was accepted.
    let item = dir.join("evidence/01-handover-procedure-discussion.md");
    let mut text = std::fs::read_to_string(&item).unwrap();
    text.push_str("\nOne more sentence added later.\n");
    std::fs::write(&item, text).unwrap();
    let edited = check_json(&dir, &roster);
    let problems = edited["problems"].as_array().unwrap();
    let changed = problems
        .iter()
        .find(|p| p["rule"] == "changed-since-decision")
        .expect("a changed-since-decision problem");
    assert_eq!(changed["item"], "01-handover-procedure-discussion");
    assert_eq!(changed["severity"], "gap");
    assert!(changed["message"].as_str().unwrap().contains("2026-04-22"), "{changed}");
    let now = statuses(&edited);
    let fell: Vec<&String> = met.keys().filter(|c| met[*c] == "met" && now[*c] != "met").collect();
    assert!(!fell.is_empty(), "no criterion fell back");
    for code in fell {
        assert_eq!(now[code], "claimed", "{code}");
    }
    assert_eq!(now["1.1"], "claimed");
}

#[test]
fn decisions_lists_and_exports_every_decision() {
    let (tmp, dir, key, roster) = setup();
    assess(&dir, &key, SIX[0]);
    let export = tmp.path().join("export");
    let out = portfolio()
        .arg("decisions")
        .arg(&dir)
        .arg("--signers")
        .arg(&roster)
        .arg("--export")
        .arg(&export)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(SIX[0]) && stdout.contains("verified"), "{stdout}");
    let msg = export.join(SIX[0]).join("001-assessor.msg");
    let text = std::fs::read_to_string(&msg).unwrap();
    assert!(text.starts_with("format: portfolio-decision/2\n"), "{text}");
    assert!(text.contains("\nsequence: 1\n"), "{text}");
    assert!(text.contains(&format!("principal: {BY}\n")));
    let sig = std::fs::read_to_string(export.join(SIX[0]).join("001-assessor.msg.sig")).unwrap();
    assert!(sig.starts_with("-----BEGIN SSH SIGNATURE-----"));

    // Another roster: the same decision is unverified, and the exit status says so.
    let other = tmp.path().join("other_signers");
    let stranger = PrivateKey::from(Ed25519Keypair::from_seed(&[17; 32]));
    std::fs::write(
        &other,
        format!("{BY} {}\n", stranger.public_key().to_openssh().unwrap()),
    )
    .unwrap();
    let out = portfolio()
        .arg("decisions")
        .arg(&dir)
        .arg("--signers")
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("unverified"));
    let json = check_json(&dir, &other);
    assert!(
        json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["rule"] == "decision-unverified")
    );
}

#[test]
fn without_a_roster_every_output_says_so() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio");
    let out = portfolio().arg("check").arg(&sample).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("not verified against a roster"), "{text}");
    let out = portfolio()
        .arg("check")
        .arg(&sample)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["decisions"]["verified_against_roster"], false);
    assert!(json["decisions"]["note"].as_str().unwrap().contains("not verified"));
}

#[test]
fn the_sample_decisions_verify_against_the_demonstration_roster() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio");
    let out = portfolio()
        .arg("decisions")
        .arg(&sample)
        .arg("--signers")
        .arg(sample.join("DEMO-ONLY-allowed_signers"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert_eq!(stdout.matches(" verified").count(), 8, "{stdout}");
    let out = portfolio()
        .arg("check")
        .arg(&sample)
        .arg("--signers")
        .arg(sample.join("DEMO-ONLY-allowed_signers"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["met"], 7);
}

#[test]
fn the_portfolio_shows_who_decided_what_and_the_iqa_sampling() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    portfolio()
        .arg("build")
        .arg(&sample)
        .arg("--signers")
        .arg(sample.join("DEMO-ONLY-allowed_signers"))
        .args(["--format", "html,pdf", "-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("portfolio.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("aside.signed li").unwrap();
    let lines: Vec<String> = doc.select(&sel).map(|e| e.text().collect::<String>()).collect();
    assert_eq!(lines.len(), 8, "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("IQA: confirmed") && l.contains("r.obi@northgate.example"))
    );
    assert!(
        lines.iter().all(|l| l.contains("verified against the roster")),
        "{lines:?}"
    );
    assert!(html.contains("r.obi@northgate.example (IQA) sampled 2 items"));
    assert!(!html.contains("not verified against a roster"));
    assert!(html.contains("Typed in the evidence file, not signed"));
    // The banner and the grid say how every met was decided.
    let banner = "How the 7 met criteria were decided: 7 signed and verified against the roster.";
    assert!(html.contains(banner), "the HTML banner lacks {banner:?}");
    let sel = scraper::Selector::parse("table.grid .decided").unwrap();
    let tags: Vec<String> = doc.select(&sel).map(|e| e.text().collect::<String>()).collect();
    assert!(
        tags.len() >= 7 && tags.iter().all(|t| t == "signed, verified"),
        "{tags:?}"
    );
    let pdf = out.join("portfolio.pdf");
    let text = match std::process::Command::new("pdftotext").arg(&pdf).arg("-").output() {
        Ok(o) => String::from_utf8_lossy(&o.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        Err(_) if std::env::var_os("CI").is_none() => return,
        Err(e) => panic!("pdftotext is needed under CI: {e}"),
    };
    assert!(
        text.contains("IQA: confirmed by r.obi@northgate.example on 2026-04-28"),
        "PDF lacks the IQA line"
    );
    assert!(text.contains("(IQA) sampled 2 items"));
    assert!(text.contains(banner), "the PDF cover lacks {banner:?}");
    assert!(
        text.contains("met signed, verified"),
        "the PDF grid lacks the provenance"
    );
}

#[test]
fn sample_writes_the_same_plan_for_the_same_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let cohort = tmp.path().join("cohort");
    portfolio()
        .args(["generate-cohort", "--learners", "12", "--items", "14", "-q"])
        .arg(&cohort)
        .assert()
        .success();
    let run = |out: &str, seed: &str| {
        portfolio()
            .arg("sample")
            .arg(&cohort)
            .args(["--rate", "0.1", "--seed", seed, "-q", "-o"])
            .arg(tmp.path().join(out))
            .assert()
            .success();
        let csv = std::fs::read(tmp.path().join(out).join("sample.csv")).unwrap();
        let html = std::fs::read(tmp.path().join(out).join("sample.html")).unwrap();
        (csv, html)
    };
    let (a, b, c) = (run("a", "5"), run("b", "5"), run("c", "6"));
    assert_eq!(a, b);
    assert_ne!(a.0, c.0);
    let text = String::from_utf8(a.0).unwrap();
    // Excel style by default: a byte-order mark, then the header.
    assert!(text.starts_with("\u{feff}learner_folder,learner,item,assessor,method,outcome,"));
    assert!(text.lines().count() > 4, "{text}");
    assert!(String::from_utf8(a.1).unwrap().contains("<h1>IQA sampling plan</h1>"));
    portfolio()
        .arg("sample")
        .arg(&cohort)
        .args(["--rate", "1.5"])
        .assert()
        .failure();
}

#[test]
fn a_roster_with_a_bad_line_stops_the_command_with_its_line() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio");
    let tmp = tempfile::tempdir().unwrap();
    let roster = tmp.path().join("allowed_signers");
    std::fs::write(&roster, "# roster\nj.patel@northgate.example\n").unwrap();
    let out = portfolio()
        .arg("check")
        .arg(&sample)
        .arg("--signers")
        .arg(&roster)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");
}

/// Every file under `dir`, path and bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.insert(path.clone(), Vec::new());
                stack.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn assess_refuses_what_could_never_count_and_writes_nothing() {
    let (tmp, dir, key, roster) = setup();
    // An IQA's key, listed for the IQA role only.
    let iqa = PrivateKey::from(Ed25519Keypair::from_seed(&[18; 32]));
    let iqa_file = tmp.path().join("iqa_key");
    iqa.write_openssh_file(&iqa_file, LineEnding::LF).unwrap();
    let mut text = std::fs::read_to_string(&roster).unwrap();
    text.push_str(&format!(
        "r.obi@northgate.example namespaces=\"portfolio-iqa\" {}\n",
        iqa.public_key().to_openssh().unwrap()
    ));
    std::fs::write(&roster, text).unwrap();
    let item = SIX[0]; // dated 2026-02-18
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "after today",
            vec![item.into(), "--date".into(), "2026-11-24".into()],
            "after today",
        ),
        (
            "before the evidence",
            vec![item.into(), "--date".into(), "2026-01-01".into()],
            "before the evidence",
        ),
        (
            "by the learner",
            vec![item.into(), "--by".into(), "amira.khan@northgate.example".into()],
            "is the learner",
        ),
        (
            "not this learner's assessor",
            vec![item.into(), "--by".into(), "s.jones@northgate.example".into()],
            "not an assessor of this learner",
        ),
        (
            "an item that does not exist",
            vec!["01-handover-procedure-discusion".into()],
            "did you mean `01-handover-procedure-discussion`",
        ),
        (
            "a role the roster does not give the key",
            vec![
                item.into(),
                "--signers".into(),
                roster.to_string_lossy().into_owned(),
                "--key".into(),
                iqa_file.to_string_lossy().into_owned(),
            ],
            "roster does not let this key sign as assessor",
        ),
    ];
    let before = tree(&dir);
    for (what, args, says) in cases {
        let mut cmd = portfolio();
        cmd.arg("assess").arg(&dir).args(["--decision", "accepted"]);
        if !args.iter().any(|a| a == "--by") {
            cmd.args(["--by", BY]);
        }
        if !args.iter().any(|a| a == "--key") {
            cmd.arg("--key").arg(&key);
        }
        let out = cmd.args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{what}: assess recorded it");
        assert!(stderr.contains(says), "{what}: {stderr}");
        assert_eq!(tree(&dir), before, "{what}: the folder changed");
    }
    // A portfolio with neither a learner id nor a ULN: nothing to bind to.
    let toml = dir.join("portfolio.toml");
    let unbound = std::fs::read_to_string(&toml)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("id =") && !l.starts_with("uln ="))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&toml, unbound).unwrap();
    let before = tree(&dir);
    let out = portfolio()
        .arg("assess")
        .arg(&dir)
        .arg(item)
        .args(["--decision", "accepted", "--by", BY, "--key"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither the learner's id nor ULN"));
    assert_eq!(tree(&dir), before, "no learner id: the folder changed");
}

#[test]
fn assess_decides_some_criteria_of_an_item_and_openssh_verifies_it() {
    let (tmp, dir, key, roster) = setup();
    let item = "08-observation-late-shift-refund"; // tagged 3.1 and 3.2
    let decide = |decision: &str, criteria: &str| {
        portfolio()
            .arg("assess")
            .arg(&dir)
            .arg(item)
            .args([
                "--decision",
                decision,
                "--by",
                BY,
                "--date",
                "2026-04-22",
                "--criteria",
                criteria,
            ])
            .args([
                "--feedback",
                "3.2 not shown: say what you told the evening team.",
                "--key",
            ])
            .arg(&key)
            .output()
            .unwrap()
    };
    // A criterion the item is not tagged with: refused, nothing written.
    let out = decide("accepted", "3.1,3.5");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not tagged with 3.5") && err.contains("3.1, 3.2"), "{err}");
    assert!(!dir.join("assessment").exists(), "nothing written");

    assert!(decide("accepted", "3.1").status.success());
    assert!(decide("referred", "3.2").status.success());
    let json = check_json(&dir, &roster);
    let it = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == item)
        .unwrap();
    assert_eq!(it["accepted_for"], serde_json::json!(["unit-214:3.1"]), "{it}");
    assert_eq!(it["referred_for"], serde_json::json!(["unit-214:3.2"]), "{it}");
    assert_eq!(it["decision_counts"], true);

    // The list shows both verified; the export verifies with OpenSSH.
    let export = tmp.path().join("export");
    let out = portfolio()
        .arg("decisions")
        .arg(&dir)
        .arg("--signers")
        .arg(&roster)
        .arg("--export")
        .arg(&export)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    // Each line says the criterion its decision is on, not the whole item.
    let listed = String::from_utf8_lossy(&out.stdout);
    let on: Vec<(&str, &str)> = listed
        .lines()
        .filter(|l| l.starts_with(item))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[2], f[3])
        })
        .collect();
    assert_eq!(on, [("accepted", "3.1"), ("referred", "3.2")], "{listed}");
    let msg = export.join(item).join("001-assessor.msg");
    let text = std::fs::read_to_string(&msg).unwrap();
    assert!(
        text.starts_with("format: portfolio-decision/3\n") && text.contains("\ncriterion: 3.1\n"),
        "{text}"
    );
    if support::tool("ssh-keygen", "per-criterion decisions verified by OpenSSH") {
        for n in ["001", "002"] {
            let msg = export.join(item).join(format!("{n}-assessor.msg"));
            let ok = std::process::Command::new("ssh-keygen")
                .args(["-Y", "verify", "-f"])
                .arg(&roster)
                .args(["-I", BY, "-n", "portfolio-assessor", "-s"])
                .arg(msg.with_extension("msg.sig"))
                .stdin(std::fs::File::open(&msg).unwrap())
                .output()
                .unwrap();
            assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
        }
        // The criterion changed in the message: OpenSSH refuses it too.
        let forged = tmp.path().join("forged.msg");
        std::fs::write(&forged, text.replace("criterion: 3.1", "criterion: 3.2")).unwrap();
        let bad = std::process::Command::new("ssh-keygen")
            .args(["-Y", "verify", "-f"])
            .arg(&roster)
            .args(["-I", BY, "-n", "portfolio-assessor", "-s"])
            .arg(msg.with_extension("msg.sig"))
            .stdin(std::fs::File::open(&forged).unwrap())
            .output()
            .unwrap();
        assert!(!bad.status.success());
    }
}
