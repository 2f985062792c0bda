//! Issue 26, trust principles 2, 4 and 6 beyond the fixtures
//! (tests/fixtures/trust-*): property tests of the one name comparison and
//! of invisible characters, `batch` comparing learners with each other, and
//! "today" as the learner's local day (under faketime).

mod support;

use portfolio::coverage::{Coverage, Status, evaluate};
use portfolio::criteria::{CritId, Criteria, load_criteria};
use portfolio::date::Date;
use portfolio::evidence::{
    Assessment, Assessor, Decision, FieldLines, Item, Learner, Portfolio, Settings, Tag, Witness,
};
use portfolio::handover::{Handover, Receiver};
use portfolio::method::Method;
use portfolio::names::{may_be_same_person, same_name};
use proptest::prelude::*;
use std::sync::OnceLock;
use support::portfolio as cli;

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 23,
};

fn criteria() -> &'static Criteria {
    static C: OnceLock<Criteria> = OnceLock::new();
    C.get_or_init(|| load_criteria(None).unwrap())
}

const FIRST: [&str; 6] = ["Amira", "Sam", "Dana", "Ben", "Priya", "Amir"];
const MIDDLE: [&str; 3] = ["Noor", "Jane", "Ali"];
const LAST: [&str; 5] = ["Khan", "Jones", "Reid", "Patel", "Kahn"];
/// Invisible characters: zero-width space, non-joiner, joiner, word joiner,
/// soft hyphen, bidi embeddings, overrides and isolates, byte-order mark.
const INVISIBLE: [char; 12] = [
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{00AD}', '\u{202A}', '\u{202B}', '\u{202E}', '\u{2066}',
    '\u{2067}', '\u{2069}', '\u{FEFF}',
];

/// A person's name as parts: first, optional middle, surname.
#[derive(Debug, Clone)]
struct Name {
    first: usize,
    middle: Option<usize>,
    last: usize,
    /// The first name written as an initial ("S. Jones").
    initial: bool,
}

fn name() -> impl Strategy<Value = Name> {
    (
        0..FIRST.len(),
        prop::option::of(0..MIDDLE.len()),
        0..LAST.len(),
        any::<bool>(),
    )
        .prop_map(|(first, middle, last, initial)| Name {
            first,
            middle,
            last,
            initial,
        })
}

impl Name {
    fn first(&self) -> String {
        let f = FIRST[self.first];
        if self.initial {
            format!("{}.", &f[..1])
        } else {
            f.to_string()
        }
    }

    fn middle(&self) -> String {
        self.middle.map(|m| format!(" {}", MIDDLE[m])).unwrap_or_default()
    }

    /// "Amira Noor Khan".
    fn written(&self) -> String {
        format!("{}{} {}", self.first(), self.middle(), LAST[self.last])
    }

    /// "Khan, Amira Noor".
    fn surname_first(&self) -> String {
        format!("{}, {}{}", LAST[self.last], self.first(), self.middle())
    }

    /// "Amira N. Khan": a middle initial added (or the middle name as one).
    fn middle_initial(&self, m: usize) -> String {
        let initial = &MIDDLE[self.middle.unwrap_or(m)][..1];
        format!("{} {initial}. {}", self.first(), LAST[self.last])
    }
}

/// `text` with invisible characters inserted before the characters at
/// `at` (positions taken modulo the length).
fn salt(text: &str, at: &[(usize, usize)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        for &(p, k) in at {
            if p % (chars.len() + 1) == i {
                out.push(INVISIBLE[k % INVISIBLE.len()]);
            }
        }
        out.push(*c);
    }
    for &(p, k) in at {
        if p % (chars.len() + 1) == chars.len() {
            out.push(INVISIBLE[k % INVISIBLE.len()]);
        }
    }
    out
}

/// A random item as plain data.
#[derive(Debug, Clone)]
struct Spec {
    method: usize,
    day: u8,
    codes: Vec<usize>,
    occasion: Option<u8>,
    accepted: bool,
    witness: Name,
    receiver: Option<Name>,
    situation: u8,
    words: Vec<u16>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (0..10usize, 1..28u8, prop::collection::vec(0..34usize, 1..4)),
        (prop::option::of(0..3u8), any::<bool>()),
        (name(), prop::option::of(name()), 0..2u8),
        prop::collection::vec(0..60u16, 0..40),
    )
        .prop_map(
            |((method, day, codes), (occasion, accepted), (witness, receiver, situation), words)| Spec {
                method,
                day,
                codes,
                occasion,
                accepted,
                witness,
                receiver,
                situation,
                words,
            },
        )
}

/// How the names of a portfolio are written.
#[derive(Debug, Clone, Copy)]
enum Style {
    Plain,
    SurnameFirst,
    MiddleInitial(usize),
}

fn write(n: &Name, style: Style) -> String {
    match style {
        Style::Plain => n.written(),
        Style::SurnameFirst => n.surname_first(),
        Style::MiddleInitial(m) => n.middle_initial(m),
    }
}

fn item(n: usize, s: &Spec, style: Style, salted: &dyn Fn(&str) -> String) -> Item {
    let c = criteria();
    let date = Date::new(2026, 3, s.day).unwrap();
    let body = if s.words.is_empty() {
        format!("Narrative of item {n} [[1.1]].")
    } else {
        s.words.iter().map(|w| format!("w{w}")).collect::<Vec<_>>().join(" ")
    };
    Item {
        id: format!("item-{n:03}"),
        path: format!("evidence/item-{n:03}.md").into(),
        title: format!("Item {n}"),
        date,
        method: Method::ALL[s.method],
        tags: s
            .codes
            .iter()
            .map(|&i| Tag {
                criterion: CritId(i % c.entries.len()),
                line: 5,
                inline: false,
            })
            .collect(),
        occasion: s.occasion.map_or_else(|| date.to_string(), |o| format!("occasion-{o}")),
        occasion_label: s.occasion.map(|o| format!("occasion-{o}")),
        witness: Some(Witness {
            name: Some(salted(&write(&s.witness, style))),
            role: Some("Team leader".into()),
            ..Witness::default()
        }),
        held_at: None,
        attachments: Vec::new(),
        assessment: s.accepted.then(|| Assessment {
            decision: Decision::Accepted,
            by: Some(salted("J. Patel")),
            date: Some(date),
            feedback: None,
        }),
        handover: s.receiver.as_ref().map(|r| Handover {
            to: Some(Receiver {
                name: Some(salted(&write(r, style))),
                ..Receiver::default()
            }),
            situation: Some(salted(
                ["A refund owed.", "A meter that stopped."][s.situation as usize],
            )),
            ..Handover::default()
        }),
        body: salted(&body),
        body_line: 7,
        lines: FieldLines::default(),
        usable: true,
        simulated: false,
    }
}

fn run(specs: &[Spec], learner: &str, style: Style, salted: &dyn Fn(&str) -> String) -> Coverage {
    let items = specs
        .iter()
        .enumerate()
        .map(|(n, s)| item(n, s, style, salted))
        .collect();
    let p = Portfolio {
        root: ".".into(),
        settings: Settings {
            assessed: criteria().default_assessed(),
            learner: Learner {
                name: salted(learner),
                ..Learner::default()
            },
            assessor: Assessor {
                name: salted("J. Patel"),
            },
            assessors: vec![Assessor {
                name: salted("J. Patel"),
            }],
            ..Settings::default()
        },
        reflection: None,
        items,
        problems: Vec::new(),
    };
    evaluate(&p, criteria(), Status::Claimed, TODAY)
}

fn statuses(c: &Coverage) -> Vec<Status> {
    c.criteria.iter().map(|r| r.status).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// Inserting zero-width or bidi characters anywhere in any name or
    /// narrative never raises any status (they are the same text).
    #[test]
    fn invisible_characters_never_raise_a_status(
        specs in prop::collection::vec(spec(), 0..10),
        learner in name(),
        at in prop::collection::vec((0..200usize, 0..12usize), 1..6),
    ) {
        let plain = run(&specs, &learner.written(), Style::Plain, &|t| t.to_string());
        let salted = run(&specs, &learner.written(), Style::Plain, &|t| salt(t, &at));
        for (a, b) in statuses(&salted).iter().zip(statuses(&plain)) {
            prop_assert!(*a <= b, "salted {a:?} > plain {b:?}");
        }
    }

    /// Writing every person's name surname first, or with a middle
    /// initial, never changes an identity verdict, nor any status.
    #[test]
    fn surname_first_or_a_middle_initial_changes_no_verdict(
        a in name(),
        b in name(),
        m in 0..MIDDLE.len(),
        specs in prop::collection::vec(spec(), 0..10),
        learner in name(),
    ) {
        let verdict = (may_be_same_person(&a.written(), &b.written()), same_name(&a.written(), &b.written()));
        prop_assert_eq!(may_be_same_person(&a.surname_first(), &b.written()), verdict.0);
        prop_assert_eq!(may_be_same_person(&a.written(), &b.surname_first()), verdict.0);
        prop_assert_eq!(same_name(&a.surname_first(), &b.written()), verdict.1);
        if a.middle.is_none() || b.middle.is_none() {
            prop_assert_eq!(may_be_same_person(&a.middle_initial(m), &b.written()), verdict.0);
        }
        let plain = statuses(&run(&specs, &learner.written(), Style::Plain, &|t| t.to_string()));
        for style in [Style::SurnameFirst, Style::MiddleInitial(m)] {
            let learner_written = write(&learner, style);
            prop_assert_eq!(&statuses(&run(&specs, &learner_written, style, &|t| t.to_string())), &plain);
        }
    }
}

#[test]
fn a_witness_written_another_way_is_still_the_learner() {
    for witness in [
        "Khan, Amira",
        "Amira N. Khan",
        "A. Khan",
        "\u{410}mira Kh\u{200B}an",
        "KHAN Amira",
    ] {
        assert!(may_be_same_person(witness, "Amira Khan"), "{witness}");
    }
    for other in ["Amir Khan", "Amira Kahn", "Dana Reid", "A. K."] {
        assert!(!may_be_same_person(other, "Amira Khan"), "{other}");
    }
}

/// `batch`: a witness testimony copied from another learner of the cohort,
/// names swapped, is flagged for both learners (their coverage.json) and on
/// the dashboard (cohort.json and cohort.html).
#[test]
fn batch_flags_a_narrative_copied_from_another_learner() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = dir.path().join("learners");
    cli()
        .args(["generate-cohort", "--learners", "4", "--items", "14", "-q"])
        .arg(&cohort)
        .assert()
        .success();
    let name_of = |l: &str| -> String {
        let t: toml::Table = std::fs::read_to_string(cohort.join(l).join("portfolio.toml"))
            .unwrap()
            .parse()
            .unwrap();
        t["learner"]["name"].as_str().unwrap().to_string()
    };
    let (a, b) = ("learner-00001", "learner-00003");
    let (name_a, name_b) = (name_of(a), name_of(b));
    let source = std::fs::read_dir(cohort.join(a).join("evidence"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("witness-testimony"))
        .min()
        .expect("a witness testimony");
    let text = std::fs::read_to_string(&source).unwrap();
    let first = |n: &str| n.split(' ').next().unwrap().to_string();
    let copied = text
        .replace(&name_a, &name_b)
        .replace(&first(&name_a), &first(&name_b))
        .replace("name = \"", "name = \"Copied ");
    std::fs::write(cohort.join(b).join("evidence/99-copied-testimony.md"), copied).unwrap();
    let out = dir.path().join("out");
    let status = cli()
        .arg("batch")
        .arg(&cohort)
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("cohort.json")).unwrap()).unwrap();
    let flagged: Vec<(&str, usize)> = json["learners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["source"].as_str().unwrap(),
                l["copied_from_another_learner"].as_array().unwrap().len(),
            )
        })
        .collect();
    for (source, n) in &flagged {
        assert_eq!(*n > 0, *source == a || *source == b, "{flagged:?}");
    }
    let copy = &json["learners"][2]["copied_from_another_learner"][0];
    assert_eq!(copy["file"], "evidence/99-copied-testimony.md");
    assert_eq!(copy["other_learner"], a);
    // Each learner's own report says so, at the narrative's line.
    // The narrative starts on the line after the closing +++.
    let body_line = |path: &std::path::Path| {
        let text = std::fs::read_to_string(path).unwrap();
        text.lines()
            .enumerate()
            .filter(|(_, l)| l.trim() == "+++")
            .nth(1)
            .unwrap()
            .0
            + 2
    };
    let theirs = source.strip_prefix(cohort.join(a)).unwrap().to_path_buf();
    let mine = std::path::PathBuf::from("evidence/99-copied-testimony.md");
    for (learner, file) in [(a, theirs), (b, mine)] {
        let line = body_line(&cohort.join(learner).join(&file));
        let folder = json["learners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["source"] == learner)
            .unwrap()["folder"]
            .as_str()
            .unwrap()
            .to_string();
        let coverage: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(folder).join("coverage.json")).unwrap()).unwrap();
        let found = coverage["problems"].as_array().unwrap().iter().any(|p| {
            p["rule"] == "copied-from-another-learner"
                && p["severity"] == "warning"
                && p["file"] == file.to_string_lossy().as_ref()
                && p["line"] == line
        });
        assert!(found, "{learner}: {}", coverage["problems"]);
    }
    let html = std::fs::read_to_string(out.join("cohort.html")).unwrap();
    assert_eq!(html.matches("copied-from-another-learner:").count(), 2);
}

/// A generated cohort (sentences drawn from one pool) has no copies
/// between learners: the flag is not noise.
#[test]
fn batch_flags_nothing_in_an_honest_cohort() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = dir.path().join("learners");
    cli()
        .args(["generate-cohort", "--learners", "12", "--items", "14", "-q"])
        .arg(&cohort)
        .assert()
        .success();
    let out = dir.path().join("out");
    cli()
        .arg("batch")
        .arg(&cohort)
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .assert()
        .success();
    let json = std::fs::read_to_string(out.join("cohort.json")).unwrap();
    assert!(!json.contains("\"other_learner\""));
}

/// "Today" is the learner's local day: at 00:30 British Summer Time on
/// 14 May (23:30 UTC on 13 May) an item dated 14 May is not in the future.
/// Runs the real binary under faketime with TZ=Europe/London and no
/// PORTFOLIO_TODAY.
#[test]
fn today_is_the_local_day_under_faketime() {
    if !support::tool("faketime", "today in the local time zone") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("evidence")).unwrap();
    std::fs::write(
        root.join("portfolio.toml"),
        "[learner]\nname = \"Amira Khan\"\nid = \"T-1\"\n\n[assessor]\nname = \"J. Patel\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("evidence/today.md"),
        "+++\ntitle = \"Questions this morning\"\ndate = 2026-05-14\nmethod = \"questioning\"\ncriteria = [\"1.1\"]\n+++\nMy assessor asked how our handover procedure works, and I explained it.\n",
    )
    .unwrap();
    let check = |tz: &str, at: &str| -> serde_json::Value {
        let out = std::process::Command::new("faketime")
            .arg(at)
            .arg(env!("CARGO_BIN_EXE_portfolio"))
            .args(["check", "--format", "json"])
            .arg(root)
            .env("TZ", tz)
            .env("NO_COLOR", "1")
            .env_remove("PORTFOLIO_TODAY")
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
    };
    let in_future = |json: &serde_json::Value| {
        json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["rule"] == "date-in-future")
    };
    // faketime reads its time in the local zone (TZ): 00:30 BST is 23:30 UTC.
    let london = check("Europe/London", "2026-05-14 00:30:00");
    assert!(!in_future(&london), "{}", london["problems"]);
    assert_eq!(london["criteria"][0]["status"], "claimed");
    // The same instant in UTC is still 13 May: the item is in the future.
    let utc = check("UTC", "2026-05-13 23:30:00");
    assert!(in_future(&utc), "{}", utc["problems"]);
    // PORTFOLIO_TODAY still overrides the clock.
    let fixed = cli()
        .env("PORTFOLIO_TODAY", "2026-05-13")
        .args(["check", "--format", "json"])
        .arg(root)
        .output()
        .unwrap();
    let fixed: serde_json::Value = serde_json::from_slice(&fixed.stdout).unwrap();
    assert!(in_future(&fixed));
}

/// `assess` stamps a decision with the learner's local day: at 00:30
/// British Summer Time on 14 May (23:30 UTC on 13 May), `date = "2026-05-14"`.
#[test]
fn assess_stamps_the_local_date_under_faketime() {
    use ssh_key::private::Ed25519Keypair;
    use ssh_key::{LineEnding, PrivateKey};
    if !support::tool("faketime", "the local date of a signed decision") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    std::fs::write(
        dir.join("portfolio.toml"),
        "[learner]\nname = \"Amira Khan\"\nid = \"T-1\"\n\n[assessor]\nname = \"J. Patel\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("evidence/questions.md"),
        "+++\ntitle = \"Questions\"\ndate = 2026-05-13\nmethod = \"questioning\"\ncriteria = [\"1.1\"]\n+++\nMy assessor asked how our handover procedure works, and I explained it.\n",
    )
    .unwrap();
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&[26; 32]));
    let key_file = tmp.path().join("assessor_key");
    key.write_openssh_file(&key_file, LineEnding::LF).unwrap();
    let out = std::process::Command::new("faketime")
        .arg("2026-05-14 00:30:00")
        .arg(env!("CARGO_BIN_EXE_portfolio"))
        .arg("assess")
        .arg(&dir)
        .args([
            "questions",
            "--decision",
            "accepted",
            "--by",
            "j.patel@northgate.example",
            "--key",
        ])
        .arg(&key_file)
        .env("TZ", "Europe/London")
        .env("NO_COLOR", "1")
        .env_remove("PORTFOLIO_TODAY")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let records: Vec<_> = walkdir::WalkDir::new(dir.join("assessment"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .collect();
    assert_eq!(records.len(), 1);
    let text = std::fs::read_to_string(records[0].path()).unwrap();
    assert!(text.contains("date = \"2026-05-14\""), "{text}");
}
