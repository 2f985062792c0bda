//! What the learner's page says about the check: each problem in the
//! learner's words, naming the item by its title (never its path), with
//! what to do and a link that opens the item's form at the field that
//! mends it; the assessor's referrals first, with their feedback; and, for
//! each criterion still short, what it needs (the coverage's own advice,
//! not rules again). Rule ids and file:line stay with each problem as
//! details, for assessors.
//!
//! What to do and which field mends a problem are data
//! (`guidance.toml`, one entry a rule), so a new rule needs a new entry,
//! not new code. The same [`Guidance`] serves `portfolio serve`'s panel and
//! the browser build; it never touches the disk.

use crate::coverage::{Coverage, Status};
use crate::criteria::Criteria;
use crate::diagnostic::{Problem, Severity, display_path};
use crate::evidence::{Decision, Portfolio};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// What the page tells a learner for one rule (an entry of
/// `guidance.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    todo: String,
    field: Option<String>,
    label: Option<String>,
    form: Option<String>,
}

const DATA: &str = include_str!("guidance.toml");

/// `guidance.toml`: the rules' entries, and words said otherwise to a
/// learner (`[words]`: the command line's terms in the page's).
#[derive(Debug, Default, Deserialize)]
struct Data {
    #[serde(default)]
    words: BTreeMap<String, String>,
    #[serde(flatten)]
    rules: BTreeMap<String, Entry>,
}

fn data() -> &'static Data {
    static DATA_PARSED: OnceLock<Data> = OnceLock::new();
    // The data is part of the program and a unit test reads it: it parses.
    DATA_PARSED.get_or_init(|| toml::from_str(DATA).unwrap_or_default())
}

fn entries() -> &'static BTreeMap<String, Entry> {
    &data().rules
}

/// Everything the panel says, in the learner's words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Guidance {
    /// Items the assessor referred, first, with the feedback.
    pub referrals: Vec<Referral>,
    /// Every other problem, worst first, each once.
    pub problems: Vec<Advice>,
    /// Each criterion below what the portfolio needs, and what it needs.
    pub criteria: Vec<Short>,
    /// Every assessed criterion's status now, in the learner's words: the
    /// item form shows it beside each criterion's checkbox.
    pub states: Vec<State>,
}

/// One criterion's status as the item form says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct State {
    pub code: String,
    pub status: Status,
    /// The status in plain words ("Enough evidence, awaiting your
    /// assessor's decision").
    pub words: String,
    /// What is still missing for it, when it is short.
    pub needs: Option<String>,
}

/// A status in the learner's words: what it means for them.
pub fn status_words(status: Status, require: Status) -> &'static str {
    match status {
        Status::Met => "Met: your assessor accepted the evidence",
        Status::Claimed if require == Status::Met => {
            "Enough evidence, awaiting your assessor's decision (still needed)"
        }
        Status::Claimed => "Enough evidence, awaiting your assessor's decision",
        Status::Insufficient => "Needs more evidence",
        Status::Missing => "No evidence yet",
    }
}

/// An item the assessor sent back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Referral {
    pub title: String,
    /// The item's file (`evidence/NAME.md`).
    pub file: String,
    pub by: Option<String>,
    pub date: Option<String>,
    pub feedback: Option<String>,
    pub link: Option<Link>,
    pub details: Details,
}

/// One problem as the learner reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advice {
    pub severity: Severity,
    /// The item's title, when the problem is about an item.
    pub title: Option<String>,
    /// What is wrong: the check's message, items named by title.
    pub say: String,
    /// What to do about it.
    pub todo: String,
    pub link: Option<Link>,
    /// The item's file (`evidence/NAME.md`), when the problem is about an
    /// item: its form shows the problem when it opens.
    pub file: Option<String>,
    /// The form's field that mends it, if the form can.
    pub field: Option<String>,
    pub details: Details,
}

/// Where the page goes to mend something: a hash the workspace's script
/// understands (`#edit=evidence/NAME.md&field=witness_name`, `#add`,
/// `#add&criteria=3.1`, `#reflection`), and the link's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub href: String,
    pub text: String,
}

/// For assessors: the rule and where the check found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Details {
    pub rule: String,
    /// `evidence/10-x.md:7:1`, when the problem has a place.
    pub place: Option<String>,
    /// That place's file (relative to the portfolio), line and column.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Details {
    fn at(rule: &str, file: Option<String>, line: Option<usize>, column: Option<usize>) -> Details {
        Details {
            rule: rule.to_string(),
            place: file.as_deref().map(|f| place(f, line, column)),
            file,
            line,
            column,
        }
    }
}

/// A criterion still short of what the portfolio needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Short {
    pub code: String,
    pub text: String,
    pub status: Status,
    /// What it still needs: the coverage's advice, items named by title.
    pub needs: String,
    /// Opens a new item with this criterion ticked.
    pub link: Link,
}

/// The guidance for a check's `problems`; with the checked portfolio, its
/// coverage and criteria, items are named by title, referrals come first
/// and each short criterion says what it needs.
pub fn guidance(problems: &[Problem], checked: Option<(&Portfolio, &Coverage, &Criteria)>) -> Guidance {
    let titles = Titles::new(checked.map(|(p, _, _)| p));
    let mut out = Guidance::default();
    let mut referred_items: Vec<&str> = Vec::new();
    if let Some((portfolio, coverage, _)) = checked {
        for (i, item) in portfolio.items.iter().enumerate() {
            let Some(r) = referral(portfolio, coverage, i) else {
                continue;
            };
            referred_items.push(&item.id);
            out.referrals.push(r);
        }
    }
    let short: Vec<&crate::coverage::CriterionCoverage> = checked
        .map(|(_, c, _)| c.gaps().filter(|r| r.next.is_some()).collect())
        .unwrap_or_default();
    let mut shown: Vec<&Problem> = problems
        .iter()
        .filter(|p| {
            // A referral is said above, with its feedback.
            !(p.rule == crate::diagnostic::Rule::Referred
                && p.item.as_deref().is_some_and(|i| referred_items.contains(&i)))
        })
        .filter(|p| {
            // A criterion's own shortfall is said with the criterion.
            let Some((_, code)) = &p.criterion else { return true };
            p.location.is_some()
                || p.item.is_some()
                || !checked.is_some_and(|(_, _, criteria)| short.iter().any(|r| &criteria.criterion(r.id).code == code))
        })
        .collect();
    shown.sort_by_key(|p| p.severity);
    out.problems = shown.into_iter().map(|p| advice(p, &titles)).collect();
    if let Some((_, coverage, criteria)) = checked {
        for r in coverage.criteria.iter().filter(|r| r.assessed) {
            let needs = (r.status < coverage.require)
                .then(|| r.next.as_deref().map(|n| titles.plain(n)))
                .flatten();
            out.states.push(State {
                code: criteria.criterion(r.id).code.clone(),
                status: r.status,
                words: status_words(r.status, coverage.require).to_string(),
                needs,
            });
        }
        for r in short {
            let c = criteria.criterion(r.id);
            out.criteria.push(Short {
                code: c.code.clone(),
                text: c.text.clone(),
                status: r.status,
                needs: titles.plain(r.next.as_deref().unwrap_or_default()),
                link: Link {
                    href: format!("#add&criteria={}", c.code),
                    text: format!("Add an item for {}", c.code),
                },
            });
        }
    }
    out
}

/// The item's referral, when its assessor's last word is "referred" (typed
/// into the file, or signed and the item unchanged since).
fn referral(portfolio: &Portfolio, coverage: &Coverage, i: usize) -> Option<Referral> {
    let item = &portfolio.items[i];
    let file = display_path(&item.path);
    let link = Some(Link {
        href: format!("#edit={file}&field=narrative"),
        text: format!("Open \u{201c}{}\u{201d} to rework it", item.title),
    });
    if let Some(a) = item.assessment.as_ref().filter(|a| a.decision == Decision::Referred) {
        return Some(Referral {
            title: item.title.clone(),
            file: file.clone(),
            by: a.by.clone(),
            date: a.date.map(|d| d.to_string()),
            feedback: a.feedback.clone(),
            link,
            details: Details::at("referred", Some(file), item.lines.decision, None),
        });
    }
    let last = coverage
        .decisions
        .of_item(i)
        .into_iter()
        .rev()
        .find(|r| r.verdict.signed_ok() && r.record.as_ref().is_some_and(|x| x.role == "assessor"))?;
    let record = last.record.as_ref()?;
    (record.decision == "referred" && last.verdict != crate::decisions::Verdict::ChangedSince).then(|| Referral {
        title: item.title.clone(),
        file: file.clone(),
        by: Some(record.by.clone()),
        date: Some(record.date.clone()),
        feedback: record.feedback.clone(),
        link,
        details: Details::at("referred", Some(display_path(&last.file)), None, None),
    })
}

fn place(file: &str, line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
        (Some(l), None) => format!("{file}:{l}"),
        _ => file.to_string(),
    }
}

/// One problem in the learner's words.
fn advice(p: &Problem, titles: &Titles<'_>) -> Advice {
    let entry = entries().get(p.rule.id());
    let file = p.location.as_ref().map(|l| display_path(&l.file));
    // The item: by the problem's own id, or the file it points at.
    let item = p
        .item
        .as_deref()
        .and_then(|id| titles.by_id(id))
        .or_else(|| file.as_deref().and_then(|f| titles.by_file(f)));
    let title = item.map(|(_, t)| t.to_string());
    let link = entry.and_then(|e| match (e.form.as_deref(), &e.field, item) {
        (Some("add"), _, _) => Some(Link {
            href: match &p.criterion {
                Some((_, code)) => format!("#add&criteria={code}"),
                None => "#add".into(),
            },
            text: "Add item".into(),
        }),
        _ if file.as_deref() == Some("reflection.md") => Some(Link {
            href: "#reflection".into(),
            text: "Open your reflective account".into(),
        }),
        (_, Some(field), Some((file, title))) => Some(Link {
            href: format!("#edit={file}&field={field}"),
            text: format!(
                "Open \u{201c}{title}\u{201d} at {}",
                e.label.as_deref().unwrap_or(field)
            ),
        }),
        _ => None,
    });
    Advice {
        severity: p.severity,
        title,
        say: titles.plain(&p.message),
        todo: entry.map_or_else(|| p.hint.clone().unwrap_or_default(), |e| e.todo.clone()),
        link,
        file: item.map(|(f, _)| f.to_string()),
        field: entry.and_then(|e| e.field.clone()).filter(|_| item.is_some()),
        details: Details::at(
            p.rule.id(),
            file,
            p.location.as_ref().and_then(|l| l.line),
            p.location.as_ref().and_then(|l| l.column),
        ),
    }
}

/// The portfolio's items by id and by file, to name them by title.
struct Titles<'a> {
    /// (id, file, title), longest id first so that a longer id is put in
    /// before a shorter one inside it.
    items: Vec<(&'a str, String, &'a str)>,
}

impl<'a> Titles<'a> {
    fn new(portfolio: Option<&'a Portfolio>) -> Self {
        let mut items: Vec<(&str, String, &str)> = portfolio
            .iter()
            .flat_map(|p| &p.items)
            .map(|i| (i.id.as_str(), display_path(&i.path), i.title.as_str()))
            .collect();
        items.sort_by_key(|(id, _, _)| std::cmp::Reverse(id.len()));
        Titles { items }
    }

    /// The item's file and title.
    fn by_id(&self, id: &str) -> Option<(&str, &'a str)> {
        self.items
            .iter()
            .find(|(i, _, _)| *i == id)
            .map(|(_, f, t)| (f.as_str(), *t))
    }

    fn by_file(&self, file: &str) -> Option<(&str, &'a str)> {
        self.items
            .iter()
            .find(|(_, f, _)| f == file)
            .map(|(_, f, t)| (f.as_str(), *t))
    }

    /// `text` with each item's path and id (a whole word of it) given as
    /// its title in quotes: "Counted: late-shift (“Witness testimony: …”)".
    fn plain(&self, text: &str) -> String {
        let mut out = text.to_string();
        // The longest first: a phrase before a word inside it.
        let mut words: Vec<(&String, &String)> = data().words.iter().collect();
        words.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        for (from, to) in words {
            out = out.replace(from.as_str(), to);
        }
        for (id, file, title) in &self.items {
            let quoted = format!("\u{201c}{title}\u{201d}");
            out = out
                .replace(&format!("`{file}`"), &quoted)
                .replace(file.as_str(), &quoted)
                .replace(&format!("`{id}`"), &quoted);
            // A bare id only when it cannot be an ordinary word: an item
            // called `a.md` or `checklist.md` must not turn "a checklist"
            // into a title.
            if id.chars().any(|c| c.is_ascii_digit() || c == '-') {
                out = replace_word(&out, id, &quoted);
            }
        }
        quote_code(&out)
    }
}

/// `text` with each `code span` of the checks' messages in quotation
/// marks, as a learner reads them (“juggling” is not an evidence method).
fn quote_code(text: &str) -> String {
    if !text.matches('`').count().is_multiple_of(2) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut open = false;
    for c in text.chars() {
        if c == '`' {
            out.push(if open { '\u{201d}' } else { '\u{201c}' });
            open = !open;
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` with each occurrence of `word` not inside a longer name (letters,
/// digits, `-`, `_`, `.` followed by a letter) replaced by `with`.
fn replace_word(text: &str, word: &str, with: &str) -> String {
    if word.is_empty() {
        return text.to_string();
    }
    let name = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        let whole = !before.is_some_and(name) && !after.is_some_and(name);
        out.push_str(&rest[..at]);
        out.push_str(if whole { with } else { word });
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Location, Rule};

    #[test]
    fn every_rule_of_the_documentation_has_guidance_and_every_entry_a_rule() {
        let parsed: Data = toml::from_str(DATA).expect("guidance.toml parses");
        assert!(!parsed.words.is_empty());
        let parsed = parsed.rules;
        let rules = include_str!("../../docs/rules.md");
        let documented: Vec<&str> = rules
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split_once("` | "))
            .filter(|(_, rest)| ["error", "gap", "warning"].iter().any(|s| rest.starts_with(s)))
            .map(|(id, _)| id)
            .collect();
        assert!(documented.len() > 40, "{documented:?}");
        for id in &documented {
            let e = parsed.get(*id).unwrap_or_else(|| panic!("no guidance for {id}"));
            assert!(!e.todo.is_empty() && !e.todo.contains("front matter"), "{id}");
            assert_eq!(e.field.is_some(), e.label.is_some(), "{id}: a field needs its label");
        }
        for id in parsed.keys() {
            assert!(documented.contains(&id.as_str()), "{id} is not a rule");
        }
    }

    #[test]
    fn words_are_replaced_only_whole() {
        assert_eq!(replace_word("a (01-x) 01-xy", "01-x", "T"), "a (T) 01-xy");
        assert_eq!(replace_word("01-x.", "01-x", "T"), "T.");
        assert_eq!(replace_word("", "01-x", "T"), "");
    }

    fn sample() -> crate::pipeline::Outcome<'static> {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let copy = |from: &std::path::Path, to: &std::path::Path| {
            for e in walkdir::WalkDir::new(from) {
                let e = e.unwrap();
                let rel = e.path().strip_prefix(from).unwrap();
                if e.file_type().is_dir() {
                    std::fs::create_dir_all(to.join(rel)).unwrap();
                } else {
                    std::fs::copy(e.path(), to.join(rel)).unwrap();
                }
            }
        };
        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio");
        copy(&sample, root);
        std::fs::remove_dir_all(root.join("assessment")).unwrap();
        for e in std::fs::read_dir(root.join("evidence")).unwrap() {
            let p = e.unwrap().path();
            let keep = ["01-", "02-", "03-", "04-", "10-"];
            if !keep
                .iter()
                .any(|k| p.file_name().unwrap().to_string_lossy().starts_with(k))
            {
                std::fs::remove_file(p).unwrap();
            }
        }
        // Item 10 loses its witness and is referred with feedback.
        let ten = root.join("evidence/10-witness-refund-follow-up.md");
        let text = std::fs::read_to_string(&ten).unwrap();
        let text = text
            .lines()
            .filter(|l| !l.starts_with("witness = "))
            .collect::<Vec<_>>()
            .join("\n")
            .replace("decision = \"accepted\"", "decision = \"referred\"")
            .replace(
                "feedback = \"The witness describes the check and the further action precisely.\"",
                "feedback = \"Say who you told and when.\"",
            );
        std::fs::write(&ten, text).unwrap();
        let criteria = crate::pipeline::criteria(None).unwrap();
        let criteria: &'static Criteria = Box::leak(Box::new(criteria));
        let options = crate::pipeline::CheckOptions {
            require: Status::Claimed,
            today: crate::date::Date::parse("2026-06-01").unwrap(),
            redact: false,
        };
        crate::pipeline::check_shown_with(root, criteria, options, None).unwrap()
    }

    #[test]
    fn a_learner_reads_titles_what_to_do_and_a_link_to_the_field() {
        let outcome = sample();
        let g = guidance(
            &outcome.coverage.problems,
            Some((&outcome.portfolio, &outcome.coverage, &outcome.criteria)),
        );
        let title = "Witness testimony: checking the refund handover was completed";
        // The referral first, with the feedback and a link to rework it.
        assert_eq!(g.referrals.len(), 1, "{g:#?}");
        let r = &g.referrals[0];
        assert_eq!(r.title, title);
        assert_eq!(r.feedback.as_deref(), Some("Say who you told and when."));
        assert_eq!(r.by.as_deref(), Some("J. Patel"));
        let link = r.link.as_ref().unwrap();
        assert_eq!(
            link.href,
            "#edit=evidence/10-witness-refund-follow-up.md&field=narrative"
        );
        assert!(
            !g.problems.iter().any(|p| p.details.rule == "referred"),
            "said once: {g:#?}"
        );
        // The missing witness: by title, what to do, the field, the details.
        let w = g
            .problems
            .iter()
            .find(|p| p.details.rule == "witness-missing")
            .expect("witness-missing");
        assert_eq!(w.title.as_deref(), Some(title));
        assert!(w.todo.contains("name and role"), "{w:#?}");
        assert!(
            !w.say.contains("evidence/") && !w.todo.contains("front matter"),
            "{w:#?}"
        );
        let link = w.link.as_ref().unwrap();
        assert_eq!(
            link.href,
            "#edit=evidence/10-witness-refund-follow-up.md&field=witness_name"
        );
        assert_eq!(link.text, format!("Open \u{201c}{title}\u{201d} at Witness name"));
        assert!(
            w.details
                .place
                .as_deref()
                .unwrap()
                .starts_with("evidence/10-witness-refund-follow-up.md:"),
            "{w:#?}"
        );
        // Each short criterion says what it needs, with items by title.
        let short: Vec<&str> = g.criteria.iter().map(|c| c.code.as_str()).collect();
        let gaps: Vec<String> = outcome
            .coverage
            .gaps()
            .map(|r| outcome.criteria.criterion(r.id).code.clone())
            .collect();
        assert_eq!(short, gaps);
        assert!(short.contains(&"3.1"), "{short:?}");
        let c31 = g.criteria.iter().find(|c| c.code == "3.1").unwrap();
        assert_eq!(c31.status, Status::Missing);
        assert!(c31.needs.contains("Add an item that shows 3.1"), "{c31:#?}");
        assert_eq!(c31.link.href, "#add&criteria=3.1");
        for c in &g.criteria {
            assert!(!c.needs.contains("10-witness-refund-follow-up"), "{c:#?}");
        }
        // The item form's checkboxes: every criterion's status in words.
        assert_eq!(g.states.len(), 12, "{:#?}", g.states);
        let s31 = g.states.iter().find(|s| s.code == "3.1").unwrap();
        assert_eq!(s31.words, "No evidence yet");
        assert_eq!(s31.needs.as_deref(), Some(c31.needs.as_str()));
        for s in g.states.iter().filter(|s| s.status == Status::Claimed) {
            assert!(s.needs.is_none() && s.words.starts_with("Enough evidence"), "{s:#?}");
        }
        // The problem knows its item's file and field, for the item's form.
        assert_eq!(w.file.as_deref(), Some("evidence/10-witness-refund-follow-up.md"));
        assert_eq!(w.field.as_deref(), Some("witness_name"));
        assert_eq!(r.file, "evidence/10-witness-refund-follow-up.md");
    }

    /// Every broken portfolio of tests/invalid (hand-made mistakes): what
    /// the panel says keeps rule ids, file:line, "front matter", "TOML" and
    /// code spans behind Details, and item names never swallow words.
    #[test]
    fn the_checks_words_stay_behind_details() {
        let criteria = crate::pipeline::criteria(None).unwrap();
        let mut dirs: Vec<_> = std::fs::read_dir("tests/invalid")
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        dirs.push("sample-portfolio".into());
        dirs.sort();
        let rules: Vec<&str> = entries().keys().map(String::as_str).collect();
        let place = |t: &str| {
            [".md:", ".toml:"].iter().any(|ext| {
                t.match_indices(ext)
                    .any(|(at, _)| t[at + ext.len()..].starts_with(|c: char| c.is_ascii_digit()))
            })
        };
        let mut said = 0;
        for d in dirs {
            let options = crate::pipeline::CheckOptions {
                require: Status::Claimed,
                today: crate::date::Date::parse("2026-06-01").unwrap(),
                redact: false,
            };
            let Ok(o) = crate::pipeline::check_shown_with(&d, &criteria, options, None) else {
                continue;
            };
            let g = guidance(&o.coverage.problems, Some((&o.portfolio, &o.coverage, &o.criteria)));
            let texts = g
                .problems
                .iter()
                .flat_map(|a| [&a.say, &a.todo])
                .chain(g.criteria.iter().map(|c| &c.needs))
                .chain(g.states.iter().filter_map(|s| s.needs.as_ref()));
            for t in texts {
                said += 1;
                let lower = t.to_lowercase();
                assert!(
                    !lower.contains("front matter") && !t.contains("TOML"),
                    "{}: {t}",
                    d.display()
                );
                assert!(!t.contains('`') && !place(t), "{}: {t}", d.display());
                // Items `a.md` are titled "T" in these fixtures: "a" stays a word.
                for taken in ["not \u{201c}T", "such as \u{201c}T", "why \u{201c}T", "of \u{201c}T"] {
                    assert!(!t.contains(taken), "{}: a word taken for an item: {t}", d.display());
                }
                for r in &rules {
                    assert!(!t.contains(&format!(" {r} ")), "{}: {r} in {t}", d.display());
                }
            }
        }
        assert!(said > 100, "{said}");
    }

    #[test]
    fn without_a_portfolio_problems_are_still_all_said() {
        let problems = [
            Problem::new(Rule::InvalidFrontMatter, "expected `=`").at(Location::at("evidence/01-a.md", 3, 7)),
            Problem::new(Rule::DateInFuture, "dated after today").at(Location::at("evidence/02-b.md", 2, 1)),
            Problem::new(Rule::TemplateText, "example text").at(Location::file("reflection.md")),
        ];
        let g = guidance(&problems, None);
        assert_eq!(g.problems.len(), 3);
        assert_eq!(g.problems[0].details.place.as_deref(), Some("evidence/01-a.md:3:7"));
        assert!(g.problems[0].link.is_none(), "a broken file has no form");
        assert!(g.problems[0].todo.contains("text editor"));
        assert_eq!(g.problems[2].link.as_ref().unwrap().href, "#reflection");
        let said = guidance(
            &[Problem::new(
                Rule::TemplateText,
                "The reflective account still holds the example text that `portfolio init` wrote.",
            )],
            None,
        );
        assert_eq!(
            said.problems[0].say,
            "The reflective account still holds the example text your portfolio started with."
        );
    }
}
