//! Table-driven tests of every rule and status transition.

use super::item_rules::handover_incomplete;
use super::*;
use crate::criteria::load_criteria;
use crate::evidence::{Assessment, Assessor, Decision, FieldLines, Item, Learner, Settings, Tag, Witness};

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 23,
};

/// A test item: `spec` is "method date codes… [occasion=x]
/// [accepted|referred|pending [by=Name_Surname] [decided=date|undated]]
/// [nowitness|witness=Name_Surname]". Decisions are by J. Patel, the
/// assessor, on the item's date unless `by=` or `decided=` say otherwise.
fn item(criteria: &Criteria, n: usize, spec: &str) -> Item {
    let mut words = spec.split_whitespace();
    let method = Method::parse(words.next().unwrap()).unwrap();
    let date = Date::parse(words.next().unwrap()).unwrap();
    let mut tags = Vec::new();
    let mut occasion = date.to_string();
    let mut assessment = None;
    let mut witness = (method == Method::WitnessTestimony).then(|| Witness {
        name: Some("Dana Reid".into()),
        role: Some("Team leader".into()),
        ..Witness::default()
    });
    for w in words {
        match w {
            "accepted" | "referred" | "pending" => {
                assessment = Some(Assessment {
                    decision: match w {
                        "accepted" => Decision::Accepted,
                        "referred" => Decision::Referred,
                        _ => Decision::Pending,
                    },
                    by: Some("J. Patel".into()),
                    date: Some(date),
                    feedback: None,
                })
            }
            "nowitness" => witness = None,
            w if w.starts_with("by=") => {
                if let Some(a) = assessment.as_mut() {
                    a.by = Some(w[3..].replace('_', " "));
                }
            }
            w if w.starts_with("decided=") => {
                if let Some(a) = assessment.as_mut() {
                    a.date = Date::parse(&w["decided=".len()..]);
                }
            }
            "undated" => {
                if let Some(a) = assessment.as_mut() {
                    a.date = None;
                }
            }
            w if w.starts_with("witness=") => {
                witness = Some(Witness {
                    name: Some(w["witness=".len()..].replace('_', " ")),
                    role: Some("Colleague".into()),
                    ..Witness::default()
                })
            }
            w if w.starts_with("occasion=") => occasion = w["occasion=".len()..].to_string(),
            code => tags.push(Tag {
                criterion: criteria.resolve(code).unwrap(),
                line: 5,
                inline: false,
            }),
        }
    }
    Item {
        id: format!("item-{n}"),
        path: format!("evidence/item-{n}.md").into(),
        title: spec.to_string(),
        date,
        method,
        tags,
        occasion_label: (occasion != date.to_string()).then(|| occasion.clone()),
        occasion,
        witness,
        held_at: None,
        attachments: Vec::new(),
        assessment,
        handover: None,
        body: format!("Evidence item {n}."),
        body_line: 7,
        lines: FieldLines {
            title: 2,
            date: 3,
            method: 4,
            criteria: 5,
            witness: None,
            decision: None,
        },
        usable: true,
        simulated: false,
    }
}

fn run(specs: &[&str]) -> (Criteria, Coverage) {
    let criteria = load_criteria(None).unwrap();
    let items = specs.iter().enumerate().map(|(n, s)| item(&criteria, n, s)).collect();
    let portfolio = Portfolio {
        root: ".".into(),
        settings: Settings {
            assessed: criteria.default_assessed(),
            learner: Learner {
                name: "Amira Khan".into(),
                ..Learner::default()
            },
            assessor: Assessor {
                name: "J. Patel".into(),
            },
            assessors: vec![Assessor {
                name: "J. Patel".into(),
            }],
            ..Settings::default()
        },
        reflection: None,
        items,
        problems: Vec::new(),
    };
    let coverage = evaluate(&portfolio, &criteria, Status::Claimed, TODAY);
    (criteria, coverage)
}

fn status(specs: &[&str], code: &str) -> (Status, Vec<Rule>) {
    let (criteria, coverage) = run(specs);
    let r = coverage.of(criteria.resolve(code).unwrap());
    (r.status, r.problems.clone())
}

#[test]
fn statuses_follow_the_rules() {
    use Rule::*;
    use Status::*;
    type Case<'a> = (&'a str, &'a [&'a str], &'a str, Status, &'a [Rule]);
    let cases: &[Case] = &[
        ("no evidence", &[], "1.1", Missing, &[]),
        (
            "tagged, no decision",
            &["questioning 2026-03-01 1.1"],
            "1.1",
            Claimed,
            &[],
        ),
        (
            "pending is still claimed",
            &["questioning 2026-03-01 1.1 pending"],
            "1.1",
            Claimed,
            &[],
        ),
        (
            "accepted is met",
            &["questioning 2026-03-01 1.1 accepted"],
            "1.1",
            Met,
            &[],
        ),
        (
            "referred never counts",
            &["questioning 2026-03-01 1.1 referred"],
            "1.1",
            Insufficient,
            &[Referred],
        ),
        (
            "referred beside accepted",
            &[
                "questioning 2026-03-01 1.1 referred",
                "questioning 2026-03-02 1.1 accepted",
            ],
            "1.1",
            Met,
            &[Referred],
        ),
        (
            "a * method alone",
            &["policy 2026-03-01 1.1"],
            "1.1",
            Insufficient,
            &[AloneInsufficient],
        ),
        (
            "two * methods alone",
            &["documentation 2026-03-01 2.3", "customer-record 2026-03-02 2.3"],
            "2.3",
            Insufficient,
            &[AloneInsufficient],
        ),
        (
            "a * method with a discussion",
            &["policy 2026-03-01 1.1", "professional-discussion 2026-03-01 1.1"],
            "1.1",
            Claimed,
            &[],
        ),
        (
            "accepted * alone is not met",
            &[
                "policy 2026-03-01 1.1 accepted",
                "professional-discussion 2026-03-01 1.1",
            ],
            "1.1",
            Claimed,
            &[],
        ),
        (
            "outcome 3 once",
            &["observation 2026-03-01 3.1"],
            "3.1",
            Insufficient,
            &[MinOccasions],
        ),
        (
            "two items one date, no occasion: one occasion",
            &["observation 2026-03-01 3.1", "reflective-account 2026-03-01 3.1"],
            "3.1",
            Insufficient,
            &[MinOccasions],
        ),
        (
            "two dates: two occasions",
            &["observation 2026-03-01 3.1", "observation 2026-03-08 3.1"],
            "3.1",
            Claimed,
            &[],
        ),
        (
            "one date, two named occasions",
            &[
                "observation 2026-03-01 3.1 occasion=a",
                "observation 2026-03-01 3.1 occasion=b",
            ],
            "3.1",
            Claimed,
            &[],
        ),
        (
            "same occasion on two dates is one occasion",
            &[
                "observation 2026-03-01 3.1 occasion=a",
                "witness-testimony 2026-03-03 3.1 occasion=a",
            ],
            "3.1",
            Insufficient,
            &[MinOccasions],
        ),
        (
            "a * item is not an occasion",
            &["observation 2026-03-01 3.2", "customer-record 2026-03-08 3.2"],
            "3.2",
            Insufficient,
            &[MinOccasions],
        ),
        (
            "met needs the accepted items to satisfy the occasions",
            &[
                "observation 2026-03-01 3.1 accepted",
                "observation 2026-03-08 3.1 pending",
            ],
            "3.1",
            Claimed,
            &[],
        ),
        (
            "both occasions accepted",
            &[
                "observation 2026-03-01 3.1 accepted",
                "observation 2026-03-08 3.1 accepted",
            ],
            "3.1",
            Met,
            &[],
        ),
        (
            "witness testimony without witness",
            &["witness-testimony 2026-03-01 2.2 nowitness"],
            "2.2",
            Insufficient,
            &[WitnessMissing],
        ),
        (
            "named witness counts",
            &["witness-testimony 2026-03-01 2.2"],
            "2.2",
            Claimed,
            &[],
        ),
        (
            "mapping: 2.2 counts for P3",
            &["observation 2026-03-01 2.2"],
            "P3",
            Claimed,
            &[],
        ),
        (
            "mapping: accepted 2.2 meets P3",
            &["observation 2026-03-01 2.2 accepted"],
            "P3",
            Met,
            &[],
        ),
        ("direct NOS tag", &["observation 2026-03-01 P4"], "P4", Claimed, &[]),
        // Integrity (issue 13): decisions nobody with authority made.
        (
            "accepted by the learner is not met",
            &["questioning 2026-03-01 1.1 accepted by=Amira_Khan"],
            "1.1",
            Claimed,
            &[],
        ),
        (
            "accepted by someone not named as assessor",
            &["questioning 2026-03-01 1.1 accepted by=Dana_Reid"],
            "1.1",
            Claimed,
            &[],
        ),
        (
            "the assessor's name in other case and punctuation",
            &["questioning 2026-03-01 1.1 accepted by=j_patel"],
            "1.1",
            Met,
            &[],
        ),
        (
            "accepted without a date",
            &["questioning 2026-03-01 1.1 accepted undated"],
            "1.1",
            Claimed,
            &[],
        ),
        (
            "accepted before the evidence",
            &["questioning 2026-03-10 1.1 accepted decided=2026-03-09"],
            "1.1",
            Claimed,
            &[],
        ),
        (
            "accepted after today",
            &["questioning 2026-03-10 1.1 accepted decided=2026-12-01"],
            "1.1",
            Claimed,
            &[],
        ),
        // Witnesses who are not independent.
        (
            "the learner as witness",
            &["witness-testimony 2026-03-01 2.2 witness=A._Khan"],
            "2.2",
            Insufficient,
            &[WitnessNotIndependent],
        ),
        (
            "the assessor as witness still counts",
            &["witness-testimony 2026-03-01 2.2 witness=J_Patel"],
            "2.2",
            Claimed,
            &[],
        ),
        // Evidence from the wrong time.
        (
            "dated after today counts for nothing",
            &["questioning 2026-12-01 1.1"],
            "1.1",
            Insufficient,
            &[DateInFuture],
        ),
        // Methods relabelled to dodge the * rule.
        (
            "an unlisted method alone",
            &["product 2026-03-01 1.1"],
            "1.1",
            Insufficient,
            &[AloneInsufficient],
        ),
        (
            "an unlisted method accepted by the assessor",
            &["product 2026-03-01 1.1 accepted"],
            "1.1",
            Met,
            &[],
        ),
        // One handover counted as two occasions.
        (
            "a label and an unlabelled item on its date are one occasion",
            &[
                "observation 2026-03-01 3.1 occasion=late-shift",
                "reflective-account 2026-03-01 3.1",
            ],
            "3.1",
            Insufficient,
            &[MinOccasions],
        ),
        (
            "labels differing in case and punctuation are one occasion",
            &[
                "observation 2026-03-01 3.1 occasion=Late-Shift",
                "reflective-account 2026-03-02 3.1 occasion=late_shift.",
            ],
            "3.1",
            Insufficient,
            &[MinOccasions],
        ),
        (
            "an unlabelled item on a day of two labels makes no third occasion",
            &[
                "observation 2026-03-01 3.1 occasion=a",
                "customer-record 2026-03-01 3.1 occasion=b",
                "reflective-account 2026-03-01 3.1",
            ],
            "3.1",
            Insufficient,
            &[MinOccasions],
        ),
        // An occasion shown only by documents (issue 21).
        (
            "a second occasion of documents only",
            &[
                "observation 2026-03-14 3.2",
                "customer-record 2026-04-02 3.2",
                "documentation 2026-04-02 3.2",
            ],
            "3.2",
            Insufficient,
            &[MinOccasions],
        ),
        (
            "the documents' occasion with a reflective account",
            &[
                "observation 2026-03-14 3.2",
                "customer-record 2026-04-02 3.2",
                "reflective-account 2026-04-02 3.2",
            ],
            "3.2",
            Claimed,
            &[],
        ),
        (
            "no mapping to P5 from 2.2",
            &["observation 2026-03-01 2.2"],
            "P5",
            Missing,
            &[],
        ),
    ];
    for (name, specs, code, want, rules) in cases {
        let (got, problems) = status(specs, code);
        assert_eq!(got, *want, "{name}");
        assert_eq!(problems, *rules, "{name}");
    }
}

#[test]
fn gap_messages_say_what_to_do() {
    let (_, coverage) = run(&["observation 2026-03-01 3.3"]);
    let p = coverage.problems.iter().find(|p| p.rule == Rule::MinOccasions).unwrap();
    assert_eq!(
        p.message,
        "3.3 is shown on 1 occasion; outcome 3 needs 2. Counted: 2026-03-01 (item-0). Add evidence of another handover, on a different occasion."
    );
    assert_eq!(p.criterion, Some(("unit-214".into(), "3.3".into())));
    let (_, coverage) = run(&["policy 2026-03-01 1.1"]);
    let p = coverage
        .problems
        .iter()
        .find(|p| p.rule == Rule::AloneInsufficient)
        .unwrap();
    assert!(p.message.contains("professional discussion"), "{}", p.message);
    let (criteria, coverage) = run(&[]);
    let next = coverage.of(criteria.resolve("P3").unwrap()).next.clone().unwrap();
    assert!(next.contains("2.2, which maps to it"), "{next}");
}

#[test]
fn item_warnings() {
    let (_, coverage) = run(&[
        "observation 2027-01-01 1.1",
        "professional-discussion 2026-03-01 1.1 1.2 1.3",
        "observation 2026-03-01 3.1 3.2",
        "observation 2026-03-01 P1 P2 P3 P4 P5 P6 P7",
        "observation 2026-03-01 3.1 3.2 3.3",
        "professional-discussion 2026-03-01 2.1 2.2",
    ]);
    let rules: Vec<(Rule, Option<&str>)> = coverage.problems.iter().map(|p| (p.rule, p.item.as_deref())).collect();
    assert!(rules.contains(&(Rule::DateInFuture, Some("item-0"))));
    assert!(rules.contains(&(Rule::MethodNotListed, Some("item-0"))));
    assert!(
        !rules.contains(&(Rule::OverMapped, Some("item-1"))),
        "3 of outcome 1's 4: knowledge is covered together"
    );
    assert!(!rules.contains(&(Rule::OverMapped, Some("item-2"))), "2 of 5 is fine");
    assert!(rules.contains(&(Rule::OverMapped, Some("item-3"))), "7 of the standard");
    assert!(
        rules.contains(&(Rule::OverMapped, Some("item-4"))),
        "3 of outcome 3's 5"
    );
    assert!(
        !rules.contains(&(Rule::OverMapped, Some("item-5"))),
        "2 of outcome 2's 3 is fine"
    );
    assert!(
        coverage
            .problems
            .iter()
            .all(|p| p.severity != crate::diagnostic::Severity::Error)
    );
}

#[test]
fn completeness_and_summary_count_assessed_criteria_only() {
    let full = [
        "professional-discussion 2026-03-01 1.1 1.2 accepted",
        "professional-discussion 2026-03-02 1.3 1.4 accepted",
        "observation 2026-03-03 2.1",
        "observation 2026-03-04 2.2",
        "observation 2026-03-05 2.3",
        "observation 2026-03-06 3.1 3.2",
        "observation 2026-03-07 3.1 3.2",
        "observation 2026-03-06 3.3 3.4",
        "observation 2026-03-07 3.3 3.4",
        "observation 2026-03-06 3.5",
        "observation 2026-03-07 3.5",
    ];
    let (_, coverage) = run(&full);
    assert!(coverage.complete);
    assert_eq!(
        coverage.summary,
        Summary {
            total: 12,
            met: 4,
            claimed: 8,
            insufficient: 0,
            missing: 0
        }
    );
    let (_, coverage) = run(&full[..10]);
    assert!(!coverage.complete);
    assert_eq!(coverage.summary.insufficient, 1);
}

fn complete_handover() -> crate::handover::Handover {
    use crate::handover::*;
    let action = || Action {
        action: "Call back".into(),
        owner: Some("Sam".into()),
        due: Date::parse("2026-03-16"),
        line: 12,
    };
    Handover {
        reason: Some("shift change".into()),
        to: Some(Receiver {
            name: Some("Sam".into()),
            role: Some("Adviser".into()),
            team: None,
        }),
        situation: Some("s".into()),
        background: Some("b".into()),
        assessment: Some("a".into()),
        recommendation: Some("r".into()),
        exchanged_by: vec!["CRM note".into()],
        customer_told: Some("told".into()),
        receiver_confirmed: Some(true),
        actions: vec![action()],
        reminder: Some(Reminder {
            date: Date::parse("2026-03-16"),
            how: None,
        }),
        check: Some(Check {
            date: None,
            outcome: Outcome::NotDone,
            note: None,
            line: 0,
        }),
        further_actions: vec![action()],
        feedback: Some("f".into()),
        line: 6,
    }
}

/// The `handover-incomplete` messages for an item tagged `codes` whose record
/// is complete but for `change`.
fn handover_warnings(codes: &str, change: &dyn Fn(&mut crate::handover::Handover)) -> Vec<String> {
    let criteria = load_criteria(None).unwrap();
    let mut it = item(&criteria, 0, &format!("observation 2026-03-01 {codes}"));
    let mut h = complete_handover();
    change(&mut h);
    it.handover = Some(h);
    let mut problems = Vec::new();
    handover_incomplete(&it, &criteria, &mut problems);
    problems.into_iter().map(|p| p.message).collect()
}

#[test]
fn a_complete_handover_record_raises_nothing() {
    assert!(handover_warnings("1.3 2.2 2.3 3.1 3.2 3.3 3.4 3.5", &|_| {}).is_empty());
}

#[test]
fn handover_incomplete_per_criterion_and_part() {
    type Change = Box<dyn Fn(&mut crate::handover::Handover)>;
    let cases: Vec<(&str, Change, &str)> = vec![
        ("3.1", Box::new(|h| h.customer_told = None), "how the customer was told"),
        ("3.1", Box::new(|h| h.to = None), "to whom it was handed"),
        ("3.2", Box::new(|h| h.situation = None), "the situation"),
        ("3.2", Box::new(|h| h.background = None), "the background"),
        ("3.2", Box::new(|h| h.assessment = None), "your assessment"),
        ("3.2", Box::new(|h| h.recommendation = None), "your recommendation"),
        (
            "3.2",
            Box::new(|h| h.exchanged_by.clear()),
            "how the information was exchanged",
        ),
        ("3.2", Box::new(|h| h.receiver_confirmed = None), "receiver confirmed"),
        ("3.2", Box::new(|h| h.actions.clear()), "the actions agreed"),
        ("3.3", Box::new(|h| h.check = None), "the completion check"),
        ("3.4", Box::new(|h| h.further_actions.clear()), "the further actions"),
        ("3.5", Box::new(|h| h.feedback = None), "the feedback"),
        ("1.3", Box::new(|h| h.reminder = None), "the reminder"),
        ("2.2", Box::new(|h| h.reason = None), "why the handover was needed"),
        (
            "2.3",
            Box::new(|h| h.exchanged_by.clear()),
            "how the information was exchanged",
        ),
    ];
    for (code, change, expect) in cases {
        let warnings = handover_warnings(code, &*change);
        assert_eq!(warnings.len(), 1, "{code} {expect}: {warnings:?}");
        assert!(
            warnings[0].contains(expect) && warnings[0].contains(code),
            "{code}: {}",
            warnings[0]
        );
        // The same gap does not matter to a criterion that does not ask for it.
        if code != "1.3" {
            assert!(handover_warnings("1.1", &*change).is_empty(), "{code} {expect} on 1.1");
        }
    }
    // Further actions are only needed when the check found work not done.
    let done = |h: &mut crate::handover::Handover| {
        h.further_actions.clear();
        h.check.as_mut().unwrap().outcome = crate::handover::Outcome::Done;
    };
    assert!(handover_warnings("3.4", &done).is_empty());
}

#[test]
fn actions_without_owner_or_deadline_are_always_flagged() {
    let w = handover_warnings("1.1", &|h| {
        h.actions[0].owner = None;
        h.actions[0].due = None;
    });
    assert_eq!(
        w,
        [
            "The action \"Call back\" has no owner and no deadline: agree who does it and by when, so it is not overlooked."
        ]
    );
    let w = handover_warnings("1.1", &|h| h.further_actions[0].due = None);
    assert_eq!(w.len(), 1);
    assert!(w[0].contains("no deadline"));
}

#[test]
fn unusable_items_count_for_nothing() {
    let criteria = load_criteria(None).unwrap();
    let mut broken = item(&criteria, 0, "questioning 2026-03-01 1.1 accepted");
    broken.usable = false;
    let portfolio = Portfolio {
        root: ".".into(),
        settings: Settings {
            assessed: criteria.default_assessed(),
            ..Settings::default()
        },
        reflection: None,
        items: vec![broken],
        problems: Vec::new(),
    };
    let coverage = evaluate(&portfolio, &criteria, Status::Claimed, TODAY);
    assert_eq!(coverage.of(criteria.resolve("1.1").unwrap()).status, Status::Missing);
}

/// A cohort in memory: one portfolio per (learner, narratives).
fn cohort(learners: &[(&str, &[&str])]) -> Vec<Portfolio> {
    let criteria = load_criteria(None).unwrap();
    learners
        .iter()
        .map(|(name, bodies)| Portfolio {
            root: ".".into(),
            settings: Settings {
                assessed: criteria.default_assessed(),
                learner: Learner {
                    name: name.to_string(),
                    ..Learner::default()
                },
                ..Settings::default()
            },
            reflection: None,
            items: bodies
                .iter()
                .enumerate()
                .map(|(n, body)| Item {
                    body: body.to_string(),
                    ..item(&criteria, n, "witness-testimony 2026-03-04 3.3")
                })
                .collect(),
            problems: Vec::new(),
        })
        .collect()
}

#[test]
fn copies_between_learners_are_found_with_names_swapped() {
    use super::occasions::{candidates_across, confirm, fingerprints, narrative};
    let testimony = |name: &str| {
        format!(
            "On 2 April I saw {name} check the complaint log to confirm that the refund {name} had handed to Sam had \
             been paid. {name} then called the customer to make sure it had arrived, apologised for the wait and \
             noted the call on the case, as our procedure asks. I was there for the whole call."
        )
    };
    let other = "An entirely different account: a meter stopped sending readings, and I passed the case to the \
                 metering team with the serial number, the last reading and the customer's preferred time to call \
                 back, then told the customer who would ring and when, and set a reminder for Friday.";
    let a = testimony("Amira");
    let b = testimony("Jamal").replace("whole call", "whole\u{200B} call");
    let learners = cohort(&[
        ("Amira Khan", &[a.as_str(), other]),
        ("Jamal Davies", &[b.as_str()]),
        ("Femi Okafor", &["A short note, not compared."]),
    ]);
    let prints: Vec<_> = learners.iter().map(fingerprints).collect();
    let confirmed: Vec<_> = candidates_across(&prints)
        .into_iter()
        .filter(|c| {
            let x = narrative(&learners[c.learner], prints[c.learner][c.fingerprint].item);
            let y = narrative(&learners[c.other], prints[c.other][c.other_fingerprint].item);
            confirm(&x, &y).is_some()
        })
        .map(|c| (c.learner, c.fingerprint, c.other, c.other_fingerprint))
        .collect();
    assert_eq!(confirmed, vec![(0, 0, 1, 0)]);
    // The same learner's two items are never "copied from another learner".
    let same = cohort(&[("Amira Khan", &[a.as_str(), a.as_str()])]);
    assert!(candidates_across(&[fingerprints(&same[0])]).is_empty());
}

/// Narratives of words drawn from a small vocabulary, so that pairs share
/// many 3-shingles, few or all.
fn vocabulary_text(words: &[u8]) -> String {
    const VOCAB: &[&str] = &[
        "the", "customer", "refund", "shift", "handover", "Sam", "case", "called", "checked", "note",
    ];
    words
        .iter()
        .map(|&w| VOCAB[usize::from(w) % VOCAB.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// The sketches never set aside a pair that the exact check would
    /// report: `may_confirm` is true wherever `confirm` finds a copy.
    #[test]
    fn sketches_never_hide_a_copy(
        a in proptest::collection::vec(0u8..10, 0..80),
        edits in proptest::collection::vec((0usize..80, 0u8..10), 0..40),
    ) {
        use super::occasions::{confirm, fingerprints, may_confirm, narrative};
        let mut b = a.clone();
        for (at, w) in edits {
            if !b.is_empty() {
                let at = at % b.len();
                b[at] = w;
            }
        }
        let (ta, tb) = (vocabulary_text(&a), vocabulary_text(&b));
        let learners = cohort(&[("Amira Khan", &[ta.as_str()]), ("Jamal Davies", &[tb.as_str()])]);
        let (pa, pb) = (fingerprints(&learners[0]), fingerprints(&learners[1]));
        let (na, nb) = (narrative(&learners[0], 0), narrative(&learners[1], 0));
        if confirm(&na, &nb).is_some() {
            proptest::prop_assert!(may_confirm(&pa[0], &pb[0]));
        }
    }
}

#[test]
fn sketches_set_aside_strangers_and_keep_copies() {
    use super::occasions::{fingerprints, may_confirm};
    let a = "I explained to the customer that my shift was ending and that my colleague would take over the query, \
             what had been done so far and when they would hear from us, and I wrote it on the case.";
    let b = "A meter stopped sending readings, so I passed the case to the metering team with the serial number, \
             the last reading and the customer's preferred time to call back, then set a reminder for Friday.";
    let learners = cohort(&[("Amira Khan", &[a, b]), ("Jamal Davies", &[a])]);
    let (pa, pb) = (fingerprints(&learners[0]), fingerprints(&learners[1]));
    assert!(may_confirm(&pa[0], &pb[0]));
    assert!(!may_confirm(&pa[1], &pb[0]));
}
