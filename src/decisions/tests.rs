//! Signing and verifying with keys made in the test (fixed seeds, no files
//! from outside): what binds, what breaks the binding, what the roster and
//! the namespace decide.

use super::sign::{Decide, Signer, signed_record, store};
use super::signers::Signers;
use super::{Verdict, load, message};
use crate::coverage::{Status, evaluate_with};
use crate::date::Date;
use crate::diagnostic::Rule;
use crate::evidence::{Portfolio, load_portfolio};
use ssh_key::private::Ed25519Keypair;
use ssh_key::{HashAlg, LineEnding, PrivateKey};
use std::path::Path;

const PRINCIPAL: &str = "j.patel@centre.example";
const ITEM: &str = "+++\ntitle = \"Observation\"\ndate = 2026-03-03\nmethod = \"observation\"\ncriteria = [\"1.1\"]\nattachments = [\"attachments/sheet.png\"]\n+++\nI handed over a case.\n";

fn today() -> Date {
    Date::parse("2026-11-25").unwrap()
}

fn key(seed: u8) -> PrivateKey {
    PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]))
}

fn roster_for(principal: &str, key: &PrivateKey) -> Signers {
    let public = key.public_key().to_openssh().unwrap();
    Signers::parse(&format!(
        "{principal} namespaces=\"portfolio-assessor,portfolio-iqa\" {public}\n"
    ))
    .unwrap()
}

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("portfolio.toml"),
        "[learner]\nname = \"Amira Khan\"\nid = \"L-1\"\nuln = \"9000000421\"\n\n[assessor]\nname = \"J. Patel\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("evidence")).unwrap();
    std::fs::create_dir_all(root.join("attachments")).unwrap();
    std::fs::write(root.join("evidence/obs.md"), ITEM).unwrap();
    std::fs::write(root.join("attachments/sheet.png"), b"\x89PNG not really").unwrap();
    dir
}

fn portfolio(root: &Path) -> Portfolio {
    let criteria = crate::pipeline::criteria(None).unwrap();
    load_portfolio(root, &criteria).unwrap()
}

fn crit() -> crate::criteria::Criteria {
    crate::pipeline::criteria(None).unwrap()
}

fn decide(role: &str, decision: &str, date: &str) -> Decide {
    Decide {
        item: "obs".to_string(),
        role: role.to_string(),
        decision: decision.to_string(),
        by: PRINCIPAL.to_string(),
        date: Date::parse(date).unwrap(),
        feedback: Some("Good.\nSecond line.".to_string()),
        criteria: Vec::new(),
    }
}

fn assess(root: &Path, d: &Decide, key: &PrivateKey) {
    let record = signed_record(&portfolio(root), &crit(), d, &Signer::from(key.clone()), None, today()).unwrap();
    store(root, &record).unwrap();
}

fn verdicts(root: &Path, roster: Option<&Signers>) -> Vec<Verdict> {
    load(&portfolio(root), roster, today())
        .list
        .into_iter()
        .map(|r| r.verdict)
        .collect()
}

/// Whether item 0 counts as accepted, and the rules of the problems.
fn accepted(root: &Path, roster: Option<&Signers>) -> (bool, Vec<Rule>) {
    let p = portfolio(root);
    let criteria = crate::pipeline::criteria(None).unwrap();
    let decisions = load(&p, roster, today());
    let today = Date::parse("2026-11-25").unwrap();
    let c = evaluate_with(&p, decisions, &criteria, Status::Claimed, today);
    (c.accepted[0], c.problems.iter().map(|p| p.rule).collect())
}

#[test]
fn a_signed_decision_verifies_against_the_roster() {
    let dir = folder();
    let k = key(1);
    assess(dir.path(), &decide("assessor", "accepted", "2026-03-04"), &k);
    let roster = roster_for(PRINCIPAL, &k);
    assert_eq!(verdicts(dir.path(), Some(&roster)), [Verdict::Verified]);
    assert_eq!(verdicts(dir.path(), None), [Verdict::Valid]);
    assert!(accepted(dir.path(), Some(&roster)).0);
    // Without a roster the plain-file rules apply: "j.patel@…" names J. Patel.
    assert!(accepted(dir.path(), None).0);
}

#[test]
fn assess_never_changes_the_evidence() {
    let dir = folder();
    let before = std::fs::read(dir.path().join("evidence/obs.md")).unwrap();
    assess(dir.path(), &decide("assessor", "accepted", "2026-03-04"), &key(1));
    assert_eq!(std::fs::read(dir.path().join("evidence/obs.md")).unwrap(), before);
}

#[test]
fn one_byte_changed_in_the_item_or_an_attachment_breaks_the_binding() {
    for file in ["evidence/obs.md", "attachments/sheet.png"] {
        let dir = folder();
        let k = key(1);
        assess(dir.path(), &decide("assessor", "accepted", "2026-03-04"), &k);
        let path = dir.path().join(file);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 2;
        bytes[last] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        let roster = roster_for(PRINCIPAL, &k);
        assert_eq!(verdicts(dir.path(), Some(&roster)), [Verdict::ChangedSince], "{file}");
        let (ok, rules) = accepted(dir.path(), Some(&roster));
        assert!(!ok, "{file}");
        assert!(rules.contains(&Rule::ChangedSinceDecision), "{file}: {rules:?}");
    }
}

#[test]
fn one_byte_changed_in_the_decision_is_not_verified() {
    let dir = folder();
    let k = key(1);
    assess(dir.path(), &decide("assessor", "referred", "2026-03-04"), &k);
    let file = dir.path().join("assessment/obs/001-assessor.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("\"referred\"", "\"accepted\"")).unwrap();
    let roster = roster_for(PRINCIPAL, &k);
    let v = verdicts(dir.path(), Some(&roster));
    assert!(
        matches!(&v[0], Verdict::Unverified(why) if why.contains("altered")),
        "{v:?}"
    );
    let (ok, rules) = accepted(dir.path(), Some(&roster));
    assert!(!ok);
    assert!(rules.contains(&Rule::DecisionUnverified));
}

#[test]
fn a_key_the_roster_does_not_list_is_unverified() {
    let dir = folder();
    assess(dir.path(), &decide("assessor", "accepted", "2026-03-04"), &key(2));
    let roster = roster_for(PRINCIPAL, &key(1));
    let v = verdicts(dir.path(), Some(&roster));
    assert!(
        matches!(&v[0], Verdict::Unverified(why) if why.contains("does not list")),
        "{v:?}"
    );
    let (ok, rules) = accepted(dir.path(), Some(&roster));
    assert!(!ok);
    assert!(rules.contains(&Rule::DecisionUnverified));
    // A principal the roster does not name at all.
    let other = roster_for("someone@else.example", &key(2));
    let v = verdicts(dir.path(), Some(&other));
    assert!(
        matches!(&v[0], Verdict::Unverified(why) if why.contains("not in the roster")),
        "{v:?}"
    );
}

#[test]
fn a_signature_in_another_namespace_is_rejected() {
    let dir = folder();
    let k = key(1);
    let mut record = signed_record(
        &portfolio(dir.path()),
        &crit(),
        &decide("assessor", "accepted", "2026-03-04"),
        &Signer::from(k.clone()),
        None,
        today(),
    )
    .unwrap();
    let sig = k.sign("file", HashAlg::Sha512, &message::message(&record)).unwrap();
    record.signature = sig.to_pem(LineEnding::LF).unwrap();
    store(dir.path(), &record).unwrap();
    let roster = roster_for(PRINCIPAL, &k);
    let v = verdicts(dir.path(), Some(&roster));
    assert!(
        matches!(&v[0], Verdict::Unverified(why) if why.contains("`file`")),
        "{v:?}"
    );
    // A roster line for another namespace does not admit the principal either.
    let public = k.public_key().to_openssh().unwrap();
    let git_only = Signers::parse(&format!("{PRINCIPAL} namespaces=\"git\" {public}\n")).unwrap();
    let dir = folder();
    assess(dir.path(), &decide("assessor", "accepted", "2026-03-04"), &k);
    assert!(matches!(
        &verdicts(dir.path(), Some(&git_only))[0],
        Verdict::Unverified(_)
    ));
}

#[test]
fn with_a_roster_typed_decisions_never_count() {
    let dir = folder();
    let typed = ITEM.replace(
        "+++\nI handed",
        "\n[assessment]\ndecision = \"accepted\"\nby = \"J. Patel\"\ndate = 2026-03-04\n+++\nI handed",
    );
    std::fs::write(dir.path().join("evidence/obs.md"), typed).unwrap();
    assert!(
        accepted(dir.path(), None).0,
        "the plain-file rules apply without a roster"
    );
    let roster = roster_for(PRINCIPAL, &key(1));
    assert!(!accepted(dir.path(), Some(&roster)).0);
}

#[test]
fn an_iqa_return_stops_the_acceptance_until_the_assessor_decides_again() {
    let dir = folder();
    let (assessor, iqa) = (key(1), key(3));
    let public = |k: &PrivateKey| k.public_key().to_openssh().unwrap();
    let roster = Signers::parse(&format!(
        "{PRINCIPAL} namespaces=\"portfolio-assessor\" {}\nr.obi@centre.example namespaces=\"portfolio-iqa\" {}\n",
        public(&assessor),
        public(&iqa)
    ))
    .unwrap();
    assess(dir.path(), &decide("assessor", "accepted", "2026-03-04"), &assessor);
    let mut back = decide("iqa", "returned", "2026-03-10");
    back.by = "r.obi@centre.example".to_string();
    assess(dir.path(), &back, &iqa);
    assert!(!accepted(dir.path(), Some(&roster)).0);
    assess(dir.path(), &decide("assessor", "accepted", "2026-03-12"), &assessor);
    assert!(accepted(dir.path(), Some(&roster)).0);
    let mut confirm = decide("iqa", "confirmed", "2026-03-13");
    confirm.by = "r.obi@centre.example".to_string();
    assess(dir.path(), &confirm, &iqa);
    assert!(accepted(dir.path(), Some(&roster)).0);
    assert!(dir.path().join("assessment/obs/004-iqa.toml").is_file());
}

#[test]
fn a_returned_decision_needs_feedback_and_roles_have_their_own_words() {
    let dir = folder();
    let p = portfolio(dir.path());
    let mut d = decide("iqa", "returned", "2026-03-10");
    d.feedback = None;
    assert!(signed_record(&p, &crit(), &d, &Signer::from(key(1)), None, today()).is_err());
    assert!(
        signed_record(
            &p,
            &crit(),
            &decide("iqa", "accepted", "2026-03-10"),
            &Signer::from(key(1)),
            None,
            today()
        )
        .is_err()
    );
    assert!(
        signed_record(
            &p,
            &crit(),
            &decide("assessor", "confirmed", "2026-03-10"),
            &Signer::from(key(1)),
            None,
            today()
        )
        .is_err()
    );
    let mut missing = decide("assessor", "accepted", "2026-03-10");
    missing.item = "nope".to_string();
    assert!(signed_record(&p, &crit(), &missing, &Signer::from(key(1)), None, today()).is_err());
}

#[test]
fn a_record_that_is_not_a_decision_is_unverified_not_an_error() {
    let dir = folder();
    std::fs::create_dir_all(dir.path().join("assessment/obs")).unwrap();
    std::fs::write(
        dir.path().join("assessment/obs/001-assessor.toml"),
        "decision = \"accepted\"\n",
    )
    .unwrap();
    let d = load(&portfolio(dir.path()), None, today());
    assert!(matches!(&d.list[0].verdict, Verdict::Unverified(why) if why.contains("not a decision record")));
    assert_eq!(d.problems.len(), 1);
    assert_eq!(d.problems[0].rule, Rule::DecisionUnverified);
    assert_eq!(d.problems[0].severity, crate::diagnostic::Severity::Gap);
    let (ok, _) = accepted(dir.path(), None);
    assert!(!ok);
}

#[test]
fn a_decision_for_another_learner_does_not_count() {
    let dir = folder();
    let k = key(1);
    assess(dir.path(), &decide("assessor", "accepted", "2026-03-04"), &k);
    let toml = dir.path().join("portfolio.toml");
    let text = std::fs::read_to_string(&toml).unwrap().replace("L-1", "L-2");
    std::fs::write(&toml, text).unwrap();
    let v = verdicts(dir.path(), Some(&roster_for(PRINCIPAL, &k)));
    assert!(
        matches!(&v[0], Verdict::Unverified(why) if why.contains("learner")),
        "{v:?}"
    );
}

/// The item with a typed acceptance by the assessor in its front matter.
fn with_typed_acceptance(root: &Path) {
    let typed = ITEM.replace(
        "+++\nI handed",
        "\n[assessment]\ndecision = \"accepted\"\nby = \"J. Patel\"\ndate = 2026-03-04\n+++\nI handed",
    );
    std::fs::write(root.join("evidence/obs.md"), typed).unwrap();
}

/// Item 0's provenance, and the problems' rules.
fn decided(root: &Path, roster: Option<&Signers>) -> (Option<super::Decided>, Vec<Rule>) {
    let p = portfolio(root);
    let criteria = crate::pipeline::criteria(None).unwrap();
    let decisions = load(&p, roster, today());
    let today = Date::parse("2026-11-25").unwrap();
    let c = evaluate_with(&p, decisions, &criteria, Status::Claimed, today);
    (c.decided[0], c.problems.iter().map(|p| p.rule).collect())
}

#[test]
fn a_typed_acceptance_never_outvotes_a_signed_iqa_return() {
    let dir = folder();
    with_typed_acceptance(dir.path());
    assert_eq!(decided(dir.path(), None).0, Some(super::Decided::Typed));
    let mut back = decide("iqa", "returned", "2026-03-10");
    back.by = "r.obi@centre.example".to_string();
    assess(dir.path(), &back, &key(3));
    let (how, rules) = decided(dir.path(), None);
    assert_eq!(how, None, "the typed acceptance is ignored once a signed record exists");
    assert!(rules.contains(&Rule::DecisionInvalid), "{rules:?}");
}

#[test]
fn a_changed_item_falls_back_even_with_a_typed_acceptance_in_it() {
    let dir = folder();
    assess(dir.path(), &decide("assessor", "accepted", "2026-03-04"), &key(1));
    assert_eq!(decided(dir.path(), None).0, Some(super::Decided::SignedUnverified));
    // The learner adds a typed acceptance (which changes the item's bytes).
    with_typed_acceptance(dir.path());
    let (how, rules) = decided(dir.path(), None);
    assert_eq!(how, None);
    assert!(rules.contains(&Rule::ChangedSinceDecision), "{rules:?}");
    assert!(rules.contains(&Rule::DecisionInvalid), "{rules:?}");
}

#[test]
fn an_unverified_referral_after_an_acceptance_still_lowers_it() {
    let dir = folder();
    let k = key(1);
    assess(dir.path(), &decide("assessor", "accepted", "2026-03-04"), &k);
    // A referral signed by a key the roster does not list.
    assess(dir.path(), &decide("assessor", "referred", "2026-03-05"), &key(7));
    let roster = roster_for(PRINCIPAL, &k);
    let (how, rules) = decided(dir.path(), Some(&roster));
    assert_eq!(how, None);
    assert!(rules.contains(&Rule::DecisionUnverified), "{rules:?}");
    assert!(rules.contains(&Rule::DecisionInvalid), "{rules:?}");
    // Without it, the acceptance is signed and verified.
    std::fs::remove_file(dir.path().join("assessment/obs/002-assessor.toml")).unwrap();
    assert_eq!(
        decided(dir.path(), Some(&roster)).0,
        Some(super::Decided::SignedVerified)
    );
}

/// A version-1 record (no sequence, namespace `portfolio-decision`), as
/// `assess` wrote them before roles had namespaces, stored as file `n`.
fn assess_v1(root: &Path, d: &Decide, key: &PrivateKey, n: u32) {
    let mut record = signed_record(&portfolio(root), &crit(), d, &Signer::from(key.clone()), None, today()).unwrap();
    record.format = message::FORMAT_V1.to_string();
    record.sequence = None;
    let sig = key
        .sign(message::NAMESPACE, HashAlg::Sha512, &message::message(&record))
        .unwrap();
    record.signature = sig.to_pem(LineEnding::LF).unwrap();
    let dir = root.join("assessment").join(&record.item);
    std::fs::create_dir_all(&dir).unwrap();
    let text = toml::to_string(&record).unwrap();
    std::fs::write(dir.join(format!("{n:03}-{}.toml", record.role)), text).unwrap();
}

#[test]
fn version_1_records_are_read_and_count_only_where_the_roster_grants_the_role() {
    let dir = folder();
    let k = key(1);
    assess_v1(dir.path(), &decide("assessor", "accepted", "2026-03-04"), &k, 1);
    assert_eq!(verdicts(dir.path(), None), [Verdict::Valid]);
    assert_eq!(decided(dir.path(), None).0, Some(super::Decided::SignedUnverified));
    let public = k.public_key().to_openssh().unwrap();
    let old = Signers::parse(&format!("{PRINCIPAL} namespaces=\"portfolio-decision\" {public}\n")).unwrap();
    assert!(
        matches!(&verdicts(dir.path(), Some(&old))[0], Verdict::Unverified(why) if why.contains("portfolio-assessor"))
    );
    let both = Signers::parse(&format!(
        "{PRINCIPAL} namespaces=\"portfolio-decision,portfolio-assessor\" {public}\n"
    ))
    .unwrap();
    assert_eq!(verdicts(dir.path(), Some(&both)), [Verdict::Verified]);
    assert_eq!(decided(dir.path(), Some(&both)).0, Some(super::Decided::SignedVerified));
}

#[test]
fn same_day_version_1_records_never_let_a_file_name_decide() {
    // A referral and an acceptance on one day: whichever file sorts last,
    // the referral stands.
    for (accept_file, refer_file) in [(1, 2), (2, 1)] {
        let dir = folder();
        let k = key(1);
        assess_v1(
            dir.path(),
            &decide("assessor", "accepted", "2026-03-04"),
            &k,
            accept_file,
        );
        assess_v1(
            dir.path(),
            &decide("assessor", "referred", "2026-03-04"),
            &k,
            refer_file,
        );
        assert_eq!(decided(dir.path(), None).0, None, "files {accept_file}/{refer_file}");
    }
    // A later version-2 acceptance decides again.
    let dir = folder();
    let k = key(1);
    assess_v1(dir.path(), &decide("assessor", "referred", "2026-03-04"), &k, 1);
    assess(dir.path(), &decide("assessor", "accepted", "2026-03-05"), &k);
    assert_eq!(decided(dir.path(), None).0, Some(super::Decided::SignedUnverified));
}

// Decisions per criterion (version 3): two observations on different days,
// each tagged 3.1 and 3.5 (outcome 3 needs two occasions).

const TWO_CRITERIA: [&str; 2] = ["3.1", "3.5"];

fn folder_3() -> tempfile::TempDir {
    let dir = folder();
    let root = dir.path();
    std::fs::remove_file(root.join("evidence/obs.md")).unwrap();
    for (id, day) in [("obs", "2026-03-03"), ("obt", "2026-03-10")] {
        std::fs::write(
            root.join(format!("evidence/{id}.md")),
            format!(
                "+++\ntitle = \"Handover {id}\"\ndate = {day}\nmethod = \"observation\"\ncriteria = [\"3.1\", \"3.5\"]\n+++\nI handed a customer's case over to the evening team and told the customer who would call and why ({id}).\n"
            ),
        )
        .unwrap();
    }
    dir
}

fn decide_on(item: &str, decision: &str, codes: &[&str]) -> Decide {
    Decide {
        item: item.to_string(),
        criteria: codes.iter().map(|c| c.to_string()).collect(),
        feedback: None,
        ..decide("assessor", decision, "2026-03-20")
    }
}

/// The coverage of the two-criteria folder.
fn coverage_3(root: &Path, roster: Option<&Signers>) -> (crate::coverage::Coverage, crate::criteria::Criteria) {
    let p = portfolio(root);
    let criteria = crit();
    let decisions = load(&p, roster, today());
    let c = evaluate_with(&p, decisions, &criteria, Status::Claimed, today());
    (c, criteria)
}

/// For each of 3.1 and 3.5: (its status, whether each item's acceptance
/// counts for it, whether each item is referred for it).
fn by_code(root: &Path) -> Vec<(Status, Vec<bool>, Vec<bool>)> {
    let (c, criteria) = coverage_3(root, None);
    TWO_CRITERIA
        .iter()
        .map(|code| {
            let id = criteria.resolve(&format!("unit-214:{code}")).unwrap();
            let items = 0..c.accepted.len();
            let (acc, refd): (Vec<bool>, Vec<bool>) = items.map(|e| c.decision_for(&criteria, e, id)).unzip();
            (c.of(id).status, acc, refd)
        })
        .collect()
}

#[test]
fn an_acceptance_for_some_criteria_counts_for_those_only() {
    let dir = folder_3();
    let k = key(1);
    assess(dir.path(), &decide_on("obs", "accepted", &[]), &k);
    assess(dir.path(), &decide_on("obt", "accepted", &["3.1"]), &k);
    let got = by_code(dir.path());
    assert_eq!(got[0], (Status::Met, vec![true, true], vec![false, false]), "3.1");
    assert_eq!(got[1], (Status::Claimed, vec![true, false], vec![false, false]), "3.5");
    let file = std::fs::read_to_string(dir.path().join("assessment/obt/001-assessor.toml")).unwrap();
    assert!(file.contains("format = \"portfolio-decision/3\""), "{file}");
    assert!(file.contains("criteria = [\"3.1\"]"), "{file}");
    // An item-wide decision is still written as version 2.
    let whole = std::fs::read_to_string(dir.path().join("assessment/obs/001-assessor.toml")).unwrap();
    assert!(
        whole.contains("portfolio-decision/2") && !whole.contains("criteria"),
        "{whole}"
    );
    // The message signs each criterion on a line of its own.
    let p = portfolio(dir.path());
    let d = load(&p, None, today());
    let r = d
        .list
        .iter()
        .find_map(|r| r.record.as_ref().filter(|x| x.item == "obt"))
        .unwrap();
    let m = String::from_utf8(message::message(r)).unwrap();
    assert!(
        m.starts_with("format: portfolio-decision/3\n") && m.contains("\nsequence: 1\ncriterion: 3.1\nfile: "),
        "{m}"
    );
}

#[test]
fn a_referral_for_one_criterion_leaves_the_others_accepted() {
    let dir = folder_3();
    let k = key(1);
    for item in ["obs", "obt"] {
        assess(dir.path(), &decide_on(item, "accepted", &[]), &k);
    }
    assert!(by_code(dir.path()).iter().all(|(s, _, _)| *s == Status::Met));
    assess(dir.path(), &decide_on("obt", "referred", &["3.5"]), &k);
    let got = by_code(dir.path());
    assert_eq!(got[0], (Status::Met, vec![true, true], vec![false, false]), "3.1");
    assert_eq!(got[1].1, vec![true, false], "3.5");
    assert_eq!(got[1].2, vec![false, true], "3.5 referred on obt");
    assert!(got[1].0 < Status::Met, "{:?}", got[1]);
    // An item-wide acceptance after it decides 3.5 again.
    assess(dir.path(), &decide_on("obt", "accepted", &[]), &k);
    assert!(by_code(dir.path()).iter().all(|(s, _, _)| *s == Status::Met));
}

#[test]
fn a_criterion_the_item_is_not_tagged_with_is_refused_and_nothing_written() {
    let dir = folder_3();
    let p = portfolio(dir.path());
    let err = signed_record(
        &p,
        &crit(),
        &decide_on("obs", "accepted", &["3.2"]),
        &Signer::from(key(1)),
        None,
        today(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("not tagged with 3.2") && err.contains("tagged with 3.1, 3.5"),
        "{err}"
    );
    let iqa = Decide {
        role: "iqa".into(),
        feedback: Some("Look again.".into()),
        ..decide_on("obs", "returned", &["3.1"])
    };
    let err = signed_record(&p, &crit(), &iqa, &Signer::from(key(1)), None, today())
        .unwrap_err()
        .to_string();
    assert!(err.contains("only an assessor decides per criterion"), "{err}");
    assert!(!dir.path().join("assessment").exists());
}

#[test]
fn tampering_with_the_criteria_list_breaks_the_signature() {
    let cases: [(&str, &str, &str); 4] = [
        ("criteria = [\"3.1\"]", "criteria = [\"3.5\"]", "altered"),
        ("criteria = [\"3.1\"]", "criteria = [\"3.1\", \"3.5\"]", "altered"),
        ("criteria = [\"3.1\"]\n", "", "names none"),
        // Downgraded to version 2 keeps the list, which v2 never signs.
        ("portfolio-decision/3\"", "portfolio-decision/2\"", "does not sign them"),
    ];
    for (from, to, says) in cases {
        let dir = folder_3();
        let k = key(1);
        assess(dir.path(), &decide_on("obs", "accepted", &["3.1"]), &k);
        let file = dir.path().join("assessment/obs/001-assessor.toml");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "{text}");
        std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
        let v = verdicts(dir.path(), Some(&roster_for(PRINCIPAL, &k)));
        assert!(
            matches!(&v[0], Verdict::Unverified(why) if why.contains(says)),
            "{from} -> {to}: {v:?}"
        );
        assert_eq!(by_code(dir.path())[0].1, vec![false, false], "{from} -> {to}");
    }
    // A list added to an item-wide (version 2) record is not signed either.
    let dir = folder_3();
    assess(dir.path(), &decide_on("obs", "referred", &[]), &key(1));
    let file = dir.path().join("assessment/obs/001-assessor.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("decision = ", "criteria = [\"3.1\"]\ndecision = ", 1),
    )
    .unwrap();
    assert!(matches!(&verdicts(dir.path(), None)[0], Verdict::Unverified(why) if why.contains("does not sign them")));
}

mod per_criterion_properties {
    use super::*;
    use proptest::prelude::*;

    /// A decision: on item 0 or 1, accepted/referred/pending, for a subset
    /// of {3.1, 3.5} (empty: item-wide).
    fn decisions() -> impl Strategy<Value = Vec<(usize, u8, u8)>> {
        proptest::collection::vec((0..2usize, 0..3u8, 0..4u8), 1..6)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Whatever the history, each item's acceptance counts for a
        /// criterion exactly when the latest decision covering it (naming
        /// it, or item-wide) accepts it: an acceptance never counts for a
        /// criterion it does not name, and a referral for one criterion
        /// never lowers another.
        #[test]
        fn each_criterion_follows_the_latest_decision_that_covers_it(history in decisions()) {
            let dir = folder_3();
            let k = key(1);
            let items = ["obs", "obt"];
            // The model: per item, per criterion, the latest word covering it.
            let mut latest = [[None::<&str>; 2]; 2];
            for &(item, word, subset) in &history {
                let word = ["accepted", "referred", "pending"][word as usize];
                let codes: Vec<&str> = TWO_CRITERIA
                    .iter()
                    .enumerate()
                    .filter(|(n, _)| subset & (1 << n) != 0)
                    .map(|(_, c)| *c)
                    .collect();
                assess(dir.path(), &decide_on(items[item], word, &codes), &k);
                for (n, c) in TWO_CRITERIA.iter().enumerate() {
                    if codes.is_empty() || codes.contains(c) {
                        latest[item][n] = Some(word);
                    }
                }
            }
            let got = by_code(dir.path());
            for (n, (status, accepted, referred)) in got.iter().enumerate() {
                for item in 0..2 {
                    prop_assert_eq!(accepted[item], latest[item][n] == Some("accepted"), "{:?} {} {}", history, n, item);
                    // An item-wide referral excludes the whole item (it
                    // counts for nothing); one naming criteria is per criterion.
                    if referred[item] {
                        prop_assert_eq!(latest[item][n], Some("referred"));
                    }
                }
                let met = (0..2).all(|item| latest[item][n] == Some("accepted"));
                prop_assert_eq!(*status == Status::Met, met, "{:?} {}", history, n);
            }
        }
    }
}
