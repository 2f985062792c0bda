//! Property tests of the engine's invariants over random portfolios.

use portfolio::coverage::{Coverage, Status, evaluate};
use portfolio::criteria::{CritId, Criteria, load_criteria};
use portfolio::date::Date;
use portfolio::evidence::{
    Assessment, Assessor, Decision, FieldLines, Item, Learner, Portfolio, Settings, Tag, Witness,
};
use portfolio::method::Method;
use portfolio::report::{Checked, check_json};
use proptest::prelude::*;
use std::sync::OnceLock;

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 23,
};

fn criteria() -> &'static Criteria {
    static C: OnceLock<Criteria> = OnceLock::new();
    C.get_or_init(|| load_criteria(None).unwrap())
}

/// A random item, as plain data.
#[derive(Debug, Clone)]
struct Spec {
    method: usize,
    day: u8,
    codes: Vec<usize>,
    occasion: Option<u8>,
    decision: Option<u8>,
    witness: bool,
    /// Word numbers of a narrative long enough to be compared for copies.
    words: Vec<u16>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..10usize,
        1..28u8,
        prop::collection::vec(0..34usize, 1..4),
        prop::option::of(0..3u8),
        prop::option::of(0..3u8),
        any::<bool>(),
        prop::collection::vec(0..400u16, 0..40),
    )
        .prop_map(|(method, day, codes, occasion, decision, witness, words)| Spec {
            method,
            day,
            codes,
            occasion,
            decision,
            witness,
            words,
        })
}

fn item(n: usize, s: &Spec) -> Item {
    let c = criteria();
    let date = Date::new(2026, 3, s.day).unwrap();
    let method = Method::ALL[s.method];
    Item {
        id: format!("item-{n:03}"),
        path: format!("evidence/item-{n:03}.md").into(),
        title: format!("Item {n}"),
        date,
        method,
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
        witness: s.witness.then(|| Witness {
            name: Some("W".into()),
            role: Some("Team leader".into()),
            ..Witness::default()
        }),
        held_at: None,
        attachments: Vec::new(),
        assessment: s.decision.map(|d| Assessment {
            decision: [Decision::Accepted, Decision::Referred, Decision::Pending][d as usize],
            by: Some("J. Patel".into()),
            date: Some(date),
            feedback: None,
        }),
        handover: None,
        body: if s.words.is_empty() {
            format!("Narrative of item {n} [[1.1]].")
        } else {
            s.words.iter().map(|w| format!("w{w}")).collect::<Vec<_>>().join(" ")
        },
        body_line: 7,
        lines: FieldLines::default(),
        usable: true,
        simulated: false,
    }
}

fn portfolio(items: Vec<Item>) -> Portfolio {
    Portfolio {
        root: ".".into(),
        settings: Settings {
            assessed: criteria().default_assessed(),
            learner: Learner {
                name: "Test Learner".into(),
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
    }
}

fn run(items: Vec<Item>, require: Status) -> (Portfolio, Coverage) {
    let p = portfolio(items);
    let cov = evaluate(&p, criteria(), require, TODAY);
    (p, cov)
}

fn statuses(c: &Coverage) -> Vec<Status> {
    c.criteria.iter().map(|r| r.status).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn removing_evidence_never_improves_a_status(specs in prop::collection::vec(spec(), 0..12), drop in any::<prop::sample::Index>()) {
        let items: Vec<Item> = specs.iter().enumerate().map(|(n, s)| item(n, s)).collect();
        let (_, all) = run(items.clone(), Status::Claimed);
        if !items.is_empty() {
            let mut fewer = items;
            let gone = drop.index(fewer.len());
            fewer.remove(gone);
            let (_, less) = run(fewer, Status::Claimed);
            // The one way removing an item can help: it was what joined
            // other items into one occasion (a label on their date, a copied
            // narrative). Then the others are separate occasions again.
            let kept = |i: usize| if i < gone { i } else { i + 1 };
            let n = less.occasions.of_item.len();
            let together = |o: &[Option<usize>], a: usize, b: usize| o[a].is_some() && o[a] == o[b];
            let regrouped = (0..n).any(|a| {
                all.occasions.of_item[kept(a)].is_none() != less.occasions.of_item[a].is_none()
                    || (0..n).any(|b| together(&all.occasions.of_item, kept(a), kept(b)) != together(&less.occasions.of_item, a, b))
            });
            if !regrouped {
                for (a, b) in statuses(&all).iter().zip(statuses(&less)) {
                    prop_assert!(b <= *a);
                }
            }
        }
    }

    #[test]
    fn adding_a_copy_of_an_item_never_raises_an_occasion_count(
        specs in prop::collection::vec(spec(), 1..10),
        which in any::<prop::sample::Index>(),
        day in 1..28u8,
        label in prop::option::of(0..5u8),
    ) {
        let items: Vec<Item> = specs.iter().enumerate().map(|(n, s)| item(n, s)).collect();
        let (_, before) = run(items.clone(), Status::Claimed);
        let original = &items[which.index(items.len())];
        // Narratives of fewer than 8 words are not compared (docs/rules.md).
        prop_assume!(original.body.split(' ').count() >= 8);
        let mut copy = original.clone();
        copy.id = "the-copy".into();
        copy.path = "evidence/the-copy.md".into();
        copy.date = Date::new(2026, 4, day).unwrap();
        copy.occasion_label = label.map(|l| format!("new-label-{l}"));
        copy.occasion = copy.occasion_label.clone().unwrap_or_else(|| copy.date.to_string());
        let mut more = items;
        more.push(copy);
        let (_, after) = run(more, Status::Claimed);
        for (a, b) in before.criteria.iter().zip(&after.criteria) {
            prop_assert!(b.occasions <= a.occasions, "{:?}: {} occasions became {}", a.id, a.occasions, b.occasions);
        }
    }

    #[test]
    fn writing_a_label_another_way_changes_no_count(specs in prop::collection::vec(spec(), 0..12), style in 0..3u8) {
        let items: Vec<Item> = specs.iter().enumerate().map(|(n, s)| item(n, s)).collect();
        let (_, before) = run(items.clone(), Status::Claimed);
        let variant: Vec<Item> = items.into_iter().enumerate().map(|(n, mut i)| {
            i.occasion_label = i.occasion_label.map(|l| match (style + n as u8) % 3 {
                0 => l.to_uppercase(),
                1 => l.replace('-', " "),
                _ => format!("{}.", l.replace('-', "_")),
            });
            i
        }).collect();
        let (_, after) = run(variant, Status::Claimed);
        for (a, b) in before.criteria.iter().zip(&after.criteria) {
            prop_assert_eq!(a.occasions, b.occasions);
            prop_assert_eq!(a.status, b.status);
        }
    }

    #[test]
    fn removing_a_decision_never_raises_a_status(specs in prop::collection::vec(spec(), 1..12), which in any::<prop::sample::Index>()) {
        let items: Vec<Item> = specs.iter().enumerate().map(|(n, s)| item(n, s)).collect();
        let i = which.index(items.len());
        // A referral is the one decision whose removal helps: it is the
        // assessor's "this does not count" (see docs/rules.md).
        prop_assume!(items[i].decision().is_some_and(|d| d != Decision::Referred));
        let (_, before) = run(items.clone(), Status::Claimed);
        let mut undecided = items;
        undecided[i].assessment = None;
        let (_, after) = run(undecided, Status::Claimed);
        for (a, b) in statuses(&before).iter().zip(statuses(&after)) {
            prop_assert!(b <= *a);
        }
    }

    #[test]
    fn adding_documents_never_raises_a_counted_occasion(
        specs in prop::collection::vec(spec(), 0..10),
        docs in prop::collection::vec((0..4usize, 1..28u8, prop::collection::vec(0..34usize, 1..3), prop::option::of(0..3u8)), 1..4),
    ) {
        let items: Vec<Item> = specs.iter().enumerate().map(|(n, s)| item(n, s)).collect();
        let (_, before) = run(items.clone(), Status::Claimed);
        let mut more = items;
        for (k, (m, day, codes, occasion)) in docs.into_iter().enumerate() {
            let star = [Method::CustomerRecord, Method::ServiceOffer, Method::Documentation, Method::PolicyAndLegislation][m];
            let spec = Spec { method: Method::ALL.iter().position(|x| *x == star).unwrap(), day, codes, occasion, decision: None, witness: false, words: Vec::new() };
            more.push(item(100 + k, &spec));
        }
        let (_, after) = run(more, Status::Claimed);
        for (a, b) in before.criteria.iter().zip(&after.criteria) {
            prop_assert!(b.occasions <= a.occasions, "{:?}: {} counted occasions became {}", a.id, a.occasions, b.occasions);
        }
    }

    #[test]
    fn referring_an_item_never_raises_a_status(specs in prop::collection::vec(spec(), 1..12), which in any::<prop::sample::Index>()) {
        let items: Vec<Item> = specs.iter().enumerate().map(|(n, s)| item(n, s)).collect();
        let (_, before) = run(items.clone(), Status::Claimed);
        let mut referred = items;
        let i = which.index(referred.len());
        referred[i].assessment = Some(Assessment { decision: Decision::Referred, by: Some("J. Patel".into()), date: Some(referred[i].date), feedback: None });
        let (_, after) = run(referred, Status::Claimed);
        for (a, b) in statuses(&before).iter().zip(statuses(&after)) {
            prop_assert!(b <= *a);
        }
    }

    #[test]
    fn met_implies_the_claimed_rules_hold(specs in prop::collection::vec(spec(), 0..12)) {
        let items: Vec<Item> = specs.iter().enumerate().map(|(n, s)| item(n, s)).collect();
        let (_, cov) = run(items.clone(), Status::Claimed);
        // Undecided, every accepted item is merely claimed: what was met stays claimed.
        let undecided: Vec<Item> = items.into_iter().map(|mut i| {
            if i.decision() == Some(Decision::Accepted) { i.assessment = None; }
            i
        }).collect();
        let (p, pending) = run(undecided, Status::Claimed);
        for (a, b) in cov.criteria.iter().zip(&pending.criteria) {
            if a.status != Status::Met {
                continue;
            }
            // An unlisted method stands on its own only once an assessor
            // accepted it: undecided, it may fall to insufficient.
            let group = criteria().group_of(a.id);
            let unlisted = a.evidence.iter().any(|&i| !group.methods.is_empty() && !group.methods.contains(&p.items[i].method));
            if unlisted {
                prop_assert!(b.status >= Status::Insufficient);
            } else {
                prop_assert_eq!(b.status, Status::Claimed);
            }
        }
    }

    #[test]
    fn complete_iff_every_assessed_criterion_reaches_the_requirement(specs in prop::collection::vec(spec(), 0..16), met in any::<bool>()) {
        let require = if met { Status::Met } else { Status::Claimed };
        let items: Vec<Item> = specs.iter().enumerate().map(|(n, s)| item(n, s)).collect();
        let (_, cov) = run(items, require);
        let reached = cov.criteria.iter().filter(|r| r.assessed).all(|r| r.status >= require);
        prop_assert_eq!(cov.complete, reached);
        let s = cov.summary;
        prop_assert_eq!(s.met + s.claimed + s.insufficient + s.missing, s.total);
        prop_assert_eq!(s.total, cov.criteria.iter().filter(|r| r.assessed).count());
    }

    #[test]
    fn the_order_items_are_read_in_does_not_matter(specs in prop::collection::vec(spec(), 0..12), seed in any::<u64>()) {
        let items: Vec<Item> = specs.iter().enumerate().map(|(n, s)| item(n, s)).collect();
        let (_, a) = run(items.clone(), Status::Claimed);
        let mut shuffled = items;
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let (_, b) = run(shuffled, Status::Claimed);
        prop_assert_eq!(statuses(&a), statuses(&b));
        prop_assert_eq!(a.summary, b.summary);
    }

    #[test]
    fn the_html_contains_every_item_the_json_lists(specs in prop::collection::vec(spec(), 0..8)) {
        let items: Vec<Item> = specs.iter().enumerate().map(|(n, s)| item(n, s)).collect();
        let (p, cov) = run(items, Status::Claimed);
        let checked = Checked { criteria: criteria(), portfolio: &p, coverage: &cov };
        let json = check_json(checked);
        let doc = portfolio::document::Document::build(checked, TODAY);
        let html = renderer().render(&doc).unwrap();
        for item in &json.items {
            let needle = format!("<code>{}</code>", item.id);
            prop_assert!(html.contains(&needle), "{} missing from the HTML", item.id);
        }
    }
}

/// A cell far larger than a table cell should be: a pasted paragraph or an
/// unbroken token.
#[derive(Debug, Clone)]
enum Big {
    Words(usize),
    Token(usize),
}

/// A Markdown table: `cols` columns (mostly a few, sometimes hundreds), a
/// header and `rows` body rows of short cells, and a few cells (the header
/// too) replaced by big ones.
fn table() -> impl Strategy<Value = (usize, usize, Vec<(usize, usize, Big)>)> {
    let big = prop_oneof![
        (1..1500usize).prop_map(Big::Words),
        (1..20_000usize).prop_map(Big::Token)
    ];
    (
        prop_oneof![3 => 1..6usize, 1 => 6..400usize],
        0..4usize,
        prop::collection::vec((0..5usize, 0..400usize, big), 0..4),
    )
}

fn table_markdown(cols: usize, rows: usize, big: &[(usize, usize, Big)]) -> (String, usize) {
    let mut cells: Vec<Vec<String>> = (0..=rows)
        .map(|r| (0..cols).map(|c| format!("r{r}c{c}")).collect())
        .collect();
    for (r, c, b) in big {
        cells[r % (rows + 1)][c % cols] = match *b {
            Big::Words(n) => "word ".repeat(n),
            Big::Token(n) => "x".repeat(n),
        };
    }
    let mut md = String::from("Before the table.\n\n");
    for (r, row) in cells.iter().enumerate() {
        md.push('|');
        for cell in row {
            md.push_str(&format!(" {cell} |"));
        }
        md.push('\n');
        if r == 0 {
            md.push_str(&"|---".repeat(cols));
            md.push_str("|\n");
        }
    }
    let chars = cells.iter().flatten().map(String::len).sum();
    (md, chars)
}

fn pdf_pages(body: &str) -> usize {
    let mut it = item(
        0,
        &Spec {
            method: 0,
            day: 1,
            codes: vec![0],
            occasion: None,
            decision: None,
            witness: false,
            words: Vec::new(),
        },
    );
    it.body = body.to_string();
    let (p, cov) = run(vec![it], Status::Claimed);
    let checked = Checked {
        criteria: criteria(),
        portfolio: &p,
        coverage: &cov,
    };
    let doc = portfolio::document::Document::build(checked, TODAY);
    let bytes = portfolio::render::pdf::render(&doc).expect("the PDF renders");
    lopdf::Document::load_mem(&bytes).unwrap().get_pages().len()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Tables with huge cells (header too), long tokens and wide rows lay
    /// out, and their pages are bounded by their size: a fresh page always
    /// takes some lines of every cell still to place, and a table too wide
    /// for the page splits into runs of columns.
    #[test]
    fn any_table_lays_out_in_a_bounded_number_of_pages((cols, rows, big) in table()) {
        static BASE: OnceLock<usize> = OnceLock::new();
        let base = *BASE.get_or_init(|| pdf_pages("Before the table."));
        let (md, chars) = table_markdown(cols, rows, &big);
        let pages = pdf_pages(&md);
        let bound = base + 2 + cols * (rows + 3) + chars / 30;
        prop_assert!(pages >= base);
        prop_assert!(pages <= bound, "{pages} pages for {cols} columns, {rows} rows, {chars} characters (bound {bound})");
    }
}

fn renderer() -> &'static portfolio::render::html::HtmlRenderer {
    static R: OnceLock<portfolio::render::html::HtmlRenderer> = OnceLock::new();
    R.get_or_init(|| portfolio::render::html::HtmlRenderer::new(None).unwrap())
}

/// Signed records, in memory: (item, kind, verdict, day) each.
fn signed_records() -> impl Strategy<Value = Vec<(usize, usize, u8, u8)>> {
    prop::collection::vec((0..12usize, 0..5usize, 0..4u8, 1..28u8), 1..8)
}

fn decisions_for(items: &[Item], records: &[(usize, usize, u8, u8)], roster: bool) -> portfolio::decisions::Decisions {
    use portfolio::decisions::{Decisions, Record, Recorded, Verdict, message};
    let kinds = [
        ("assessor", "accepted"),
        ("assessor", "referred"),
        ("assessor", "pending"),
        ("iqa", "confirmed"),
        ("iqa", "returned"),
    ];
    let list = records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.0 < items.len())
        .map(|(n, &(i, kind, verdict, day))| {
            let (role, decision) = kinds[kind];
            let verdict = match verdict {
                0 | 3 if roster => Verdict::Verified,
                0 | 3 => Verdict::Valid,
                1 => Verdict::ChangedSince,
                _ => Verdict::Unverified("a test says so".into()),
            };
            Recorded {
                file: format!("assessment/{}/{:03}-{role}.toml", items[i].id, n + 1).into(),
                seq: n as u32 + 1,
                item: verdict.signed_ok().then_some(i),
                changed: Vec::new(),
                verdict,
                record: Some(Record {
                    format: message::FORMAT.into(),
                    item: items[i].id.clone(),
                    role: role.into(),
                    decision: decision.into(),
                    by: "j.patel@centre.example".into(),
                    date: Date::new(2026, 4, day).unwrap().to_string(),
                    feedback: None,
                    sequence: Some(n as u32 + 1),
                    criteria: None,
                    learner_id: String::new(),
                    learner_uln: String::new(),
                    signature: String::new(),
                    files: Vec::new(),
                }),
            }
        })
        .collect();
    Decisions {
        roster,
        list,
        ..Decisions::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Principle 1: once an item has a signed record, no decision typed into
    /// its file — accepted, referred or pending, by anyone, on any date —
    /// raises any criterion's status, with or without a roster.
    #[test]
    fn a_typed_decision_on_a_signed_item_never_raises_a_status(
        specs in prop::collection::vec(spec(), 1..12),
        records in signed_records(),
        typed in prop::collection::vec((0..3usize, any::<bool>(), 1..28u8), 12),
        roster in any::<bool>(),
    ) {
        let items: Vec<Item> = specs.iter().enumerate().map(|(n, s)| item(n, s)).collect();
        let signed: Vec<usize> = records.iter().map(|r| r.0).filter(|&i| i < items.len()).collect();
        prop_assume!(!signed.is_empty());
        let mut plain = items.clone();
        for &i in &signed {
            plain[i].assessment = None;
        }
        let mut with_typed = plain.clone();
        for &i in &signed {
            let (d, by_assessor, day) = typed[i];
            with_typed[i].assessment = Some(Assessment {
                decision: [Decision::Accepted, Decision::Referred, Decision::Pending][d],
                by: Some(if by_assessor { "J. Patel" } else { "Someone Else" }.into()),
                date: Some(Date::new(2026, 5, day).unwrap()),
                feedback: None,
            });
        }
        let eval = |items: Vec<Item>| {
            let decisions = decisions_for(&items, &records, roster);
            portfolio::coverage::evaluate_with(&portfolio(items), decisions, criteria(), Status::Met, TODAY)
        };
        let (before, after) = (eval(plain), eval(with_typed));
        // No status rises, and no met becomes more strongly decided: a typed
        // referral may knock out a signed acceptance, and then another
        // item's typed acceptance may carry the criterion (weaker, so safe).
        for (a, b) in before.criteria.iter().zip(&after.criteria) {
            prop_assert!(b.status <= a.status, "{:?}: {:?} became {:?}", a.id, a.status, b.status);
            prop_assert!(b.decided <= a.decided, "{:?}: decided {:?} became {:?}", a.id, a.decided, b.decided);
        }
    }
}
