//! The browser's engine, run natively: a portfolio imported as a zip and
//! built in memory gives the bytes the library builds from the folder on
//! disk (the command line's path); the workspace's answers write what the
//! page then keeps. (In the browser, `.ci/web-check` compares the
//! WebAssembly build's downloads with the command line's files.)

use portfolio::archive::write_zip;
use portfolio::build::Formats;
use portfolio::coverage::Status;
use portfolio::date::Date;
use portfolio::pipeline::{CheckOptions, check_shown_from, criteria};
use portfolio::render::html::HtmlRenderer;
use portfolio::report::Checked;
use portfolio::source::DiskSource;
use portfolio_web::Engine;
use std::collections::BTreeMap;
use std::path::Path;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../sample-portfolio");

fn sample_files() -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walk(Path::new(SAMPLE)) {
        let rel = entry.strip_prefix(SAMPLE).unwrap().to_string_lossy().replace('\\', "/");
        files.insert(rel, std::fs::read(&entry).unwrap());
    }
    files
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_zip_built_in_the_engine_gives_the_folders_bytes() {
    let zip = write_zip(&sample_files(), "sample-portfolio").unwrap();
    let mut engine = Engine::new();
    engine.import_zip(&zip, "sample-portfolio.zip").unwrap();
    let built = engine.build("2026-03-01", "2026-03-02").unwrap();

    // The command line's way: the folder on disk.
    let criteria = criteria(None).unwrap();
    let options = CheckOptions {
        require: Status::Claimed,
        today: Date::parse("2026-03-01").unwrap(),
        redact: false,
    };
    let disk = DiskSource::new(SAMPLE);
    let outcome = check_shown_from(&disk, &criteria, options, None).unwrap();
    let checked = Checked {
        criteria: &outcome.criteria,
        portfolio: &outcome.portfolio,
        coverage: &outcome.coverage,
    };
    let formats = Formats {
        html: true,
        pdf: true,
        json: true,
        ics: false,
        sync: false,
    };
    let epoch = (Date::parse("2026-03-02").unwrap().days_since_epoch() * 86_400).to_string();
    let html = HtmlRenderer::new(None).unwrap();
    let files = portfolio::build::render(checked, &disk, formats, &html, Some(&epoch)).unwrap();
    let get = |name: &str| files.iter().find(|(n, _)| *n == name).unwrap().1.clone();
    assert_eq!(built.pdf(), get("portfolio.pdf"), "the PDF differs");
    assert_eq!(built.html().into_bytes(), get("portfolio.html"), "the HTML differs");
    assert_eq!(built.json().into_bytes(), get("coverage.json"), "the JSON differs");
}

#[test]
fn the_export_reads_back_as_the_import() {
    let files = sample_files();
    let mut engine = Engine::new();
    engine
        .import_zip(&write_zip(&files, "mine").unwrap(), "mine.zip")
        .unwrap();
    assert_eq!(engine.export_name(), "mine.zip");
    let again = portfolio_web::read_zip(&engine.export_zip().unwrap()).unwrap();
    assert_eq!(again, files);
}

#[test]
fn the_workspace_starts_and_saves_through_the_engine() {
    let mut engine = Engine::new();
    let start = r#"{"name":"Amira Khan","reference":"L-1","centre":"Northgate","assessor":"J. Patel"}"#;
    let said = engine.request("POST", "/api/start", start.as_bytes()).unwrap();
    assert!(said.contains("\"status\":201"), "{said}");
    let changes = engine.take_changes();
    assert!(changes.contains(&"portfolio.toml".to_string()), "{changes:?}");
    let item = r#"{"form":{"title":"Late shift","date":"2026-03-01","method":"observation","criteria":["3.1"],"narrative":"I told the customer who would call."}}"#;
    let said = engine.request("POST", "/api/items", item.as_bytes()).unwrap();
    assert!(said.contains("\"status\":201"), "{said}");
    assert_eq!(engine.take_changes(), ["evidence/01-late-shift.md"]);
    let said = engine.request("GET", "/api/options", b"").unwrap();
    assert!(said.contains("evidence/01-late-shift.md"), "{said}");
    let check = engine.check("2026-03-01").unwrap();
    assert!(check.json().contains("\"summary\""));
    assert!(
        !engine
            .request("GET", "/api/nothing", b"")
            .unwrap()
            .contains("\"status\":200")
    );
}

/// The engine keeps its last check for `build` and the form's options; a
/// change of any kind (a save, a removal, a put, an import, another day)
/// must be seen by the next check and build, never the kept one.
#[test]
fn every_change_is_seen_by_the_next_check_and_build() {
    let today = "2026-03-01";
    let mut engine = Engine::new();
    let start = r#"{"name":"Amira Khan","reference":"L-1","centre":"Northgate","assessor":"J. Patel"}"#;
    engine.request("POST", "/api/start", start.as_bytes()).unwrap();
    let items = |e: &mut Engine| -> usize {
        let json: serde_json::Value = serde_json::from_str(&e.check(today).unwrap().json()).unwrap();
        json["items"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(items(&mut engine), 0);
    let item = r#"{"form":{"title":"Late shift","date":"2026-03-01","method":"observation","criteria":["3.1"],"narrative":"I told the customer who would call."}}"#;
    engine.request("POST", "/api/items", item.as_bytes()).unwrap();
    assert_eq!(items(&mut engine), 1, "a save through the workspace");
    let built = engine.build(today, "2026-03-02").unwrap();
    assert!(built.html().contains("Late shift"), "the build after the save");
    let said = engine.request("GET", "/api/options", b"").unwrap();
    assert!(said.contains("evidence/01-late-shift.md"), "{said}");

    let second = "+++\ntitle = \"Busy lunch\"\ndate = 2026-03-01\nmethod = \"observation\"\ncriteria = [\"3.2\"]\n+++\n\nI passed the query on.\n";
    engine
        .put("evidence/02-busy-lunch.md", second.as_bytes().to_vec())
        .unwrap();
    assert_eq!(items(&mut engine), 2, "a file put by the page");
    assert!(engine.build(today, "2026-03-02").unwrap().html().contains("Busy lunch"));
    let said = engine.request("GET", "/api/options", b"").unwrap();
    assert!(
        said.contains("evidence/02-busy-lunch.md"),
        "the options after a put: {said}"
    );

    assert!(engine.remove("evidence/02-busy-lunch.md"));
    assert_eq!(items(&mut engine), 1, "a removal");
    assert!(!engine.build(today, "2026-03-02").unwrap().html().contains("Busy lunch"));

    let zip = write_zip(&sample_files(), "sample-portfolio").unwrap();
    engine.import_zip(&zip, "sample-portfolio.zip").unwrap();
    let sample = items(&mut engine);
    assert!(sample > 1, "an import");

    // Another day: the same files checked on a later today.
    let early = engine.check("2026-03-01").unwrap().json();
    let late = engine.check("2027-03-01").unwrap().json();
    assert_ne!(early, late, "today is part of the check");
}

/// A key made by `ssh-keygen` in `dir` (with `passphrase`, "" for none):
/// (private key bytes, public key line). None when ssh-keygen is missing
/// outside CI (under CI=true it must be there).
fn keygen(dir: &Path, name: &str, passphrase: &str) -> Option<(Vec<u8>, String)> {
    let file = dir.join(name);
    let made = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", passphrase, "-C", "", "-f"])
        .arg(&file)
        .status();
    match made {
        Ok(s) if s.success() => {}
        _ if std::env::var_os("CI").is_none() => return None,
        other => panic!("ssh-keygen is needed for this test: {other:?}"),
    }
    let public = std::fs::read_to_string(file.with_extension("pub")).unwrap();
    Some((std::fs::read(&file).unwrap(), public.trim().to_string()))
}

/// The assessor picks their key in the page (it has a passphrase), signs
/// "accepted for 3.1" on one item; the record is among the files, the
/// check (with the centre's roster) counts it as signed and verified, and
/// `ssh-keygen -Y verify` accepts its signature. The public half, a wrong
/// passphrase and a decision the rules refuse record nothing.
#[test]
fn an_assessor_signs_a_decision_in_the_engine_with_a_passphrase_key() {
    let tmp = std::env::temp_dir().join(format!("engine-keys-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let Some((key, public)) = keygen(&tmp, "assessor", "correct horse") else {
        return;
    };
    const BY: &str = "j.patel@northgate.example";
    let today = "2026-05-30";
    let mut engine = Engine::new();
    engine
        .import_zip(
            &write_zip(&sample_files(), "sample-portfolio").unwrap(),
            "sample-portfolio.zip",
        )
        .unwrap();
    let demo = String::from_utf8(sample_files()["DEMO-ONLY-allowed_signers"].clone()).unwrap();
    let roster = format!("{demo}\n{BY} namespaces=\"portfolio-assessor\" {public}\n");
    engine.set_roster(&roster).unwrap();

    // The public half is refused with what to give instead.
    let refused = engine.set_key(public.as_bytes(), BY, "assessor");
    assert!(refused.is_err());
    // Locked until its passphrase is typed; a wrong one is refused.
    assert!(
        engine.set_key(&key, BY, "assessor").unwrap(),
        "the key has a passphrase"
    );
    assert!(engine.decide("x", "accepted", vec![], "", today).is_err());
    assert!(engine.unlock("wrong").is_err());
    engine.unlock("correct horse").unwrap();

    let items: serde_json::Value = serde_json::from_str(&engine.decision_items(today).unwrap()).unwrap();
    let item = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["criteria"].as_array().unwrap().iter().any(|c| c == "3.1"))
        .expect("an item showing 3.1");
    let id = item["id"].as_str().unwrap();
    engine.take_changes();
    // A decision an assessor may not make (an IQA's) records nothing.
    assert!(engine.decide(id, "confirmed", vec![], "", today).is_err());
    assert!(engine.take_changes().is_empty());

    let said = engine
        .decide(
            id,
            "accepted",
            vec!["3.1".into()],
            "Clear: you said who would call.",
            today,
        )
        .unwrap();
    assert!(
        said.starts_with(&format!("Recorded: {id} assessor accepted by {BY}")),
        "{said}"
    );
    let changes = engine.take_changes();
    assert_eq!(changes.len(), 1, "{changes:?}");
    let path = &changes[0];
    assert!(
        path.starts_with(&format!("assessment/{id}/")) && path.ends_with("-assessor.toml"),
        "{path}"
    );
    let text = String::from_utf8(engine.read(path).unwrap()).unwrap();
    assert!(
        text.contains("decision = \"accepted\"") && text.contains("\"3.1\""),
        "{text}"
    );

    // The check sees it, signed and verified against the roster.
    let json: serde_json::Value = serde_json::from_str(&engine.check(today).unwrap().json()).unwrap();
    let decided = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .map(|i| i["decided"].clone());
    assert_eq!(decided, Some(serde_json::json!("signed-verified")), "{}", json["items"]);

    // And OpenSSH agrees: the signed message and its signature verify with
    // `ssh-keygen -Y verify` against the roster, as an EQA checks them.
    let record: portfolio::decisions::Record = toml::from_str(&text).unwrap();
    let msg = tmp.join("decision.msg");
    let sig = tmp.join("decision.msg.sig");
    let signers = tmp.join("allowed_signers");
    std::fs::write(&msg, portfolio::decisions::message::message(&record)).unwrap();
    std::fs::write(&sig, &record.signature).unwrap();
    std::fs::write(&signers, &roster).unwrap();
    let verified = std::process::Command::new("ssh-keygen")
        .args(["-Y", "verify", "-n", "portfolio-assessor", "-I", BY, "-f"])
        .arg(&signers)
        .arg("-s")
        .arg(&sig)
        .stdin(std::fs::File::open(&msg).unwrap())
        .output()
        .unwrap();
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    std::fs::remove_dir_all(&tmp).ok();
}

/// The caseload line the static page shows for each imported learner is the
/// one `serve COHORT` counts: progress, items awaiting a decision, open
/// referrals, and whether the decider is this learner's assessor.
#[test]
fn a_learner_s_caseload_line_is_counted_as_serve_counts_it() {
    let mut engine = Engine::new();
    engine
        .import_zip(
            &write_zip(&sample_files(), "sample-portfolio").unwrap(),
            "sample-portfolio.zip",
        )
        .unwrap();
    let row = |e: &mut Engine, by: &str| -> serde_json::Value {
        serde_json::from_str(&e.caseload_row("2026-05-30", by).unwrap()).unwrap()
    };
    let mine = row(&mut engine, "j.patel@northgate.example");
    assert_eq!(mine["name"], "Amira Khan");
    assert_eq!(mine["total"], 12);
    assert!(mine["met"].as_u64().unwrap() > 0, "{mine}");
    assert!(mine["awaiting"].as_u64().unwrap() > 0, "{mine}");
    assert!(mine["referrals"].is_u64(), "{mine}");
    assert_eq!(mine["may_decide"], true);
    assert_eq!(row(&mut engine, "s.ahmed@northgate.example")["may_decide"], false);
    assert_eq!(row(&mut engine, "")["may_decide"], false);
}
