//! Records must be possible (trust principle 5), and names must be read as
//! people would (principle 2's `name-mixed-script`):
//!
//! - `impossible-date`: a date inside an item that it cannot yet know — a
//!   completion check made after the item's own date (a testimony dated
//!   10 April attesting a check on 20 May). Due dates and reminders look
//!   forward by nature and are not compared;
//! - `handover-to-learner`: a `[handover]` whose receiver is the learner
//!   records someone handing over *to* her; it does not count where the
//!   learner must carry the handover out (`learner_hands_over` in the
//!   criteria data: Unit 214 outcome 3);
//! - `empty-item`: front matter and no narrative shows nothing;
//! - `template-text`: `portfolio init`'s placeholder text (its example items,
//!   the reflection's "Write here…", "Your Name") left in place, found by
//!   comparing with the embedded init files themselves;
//! - `name-mixed-script`: a name that mixes scripts ("Аmira" with a Cyrillic
//!   А), a warning: the comparison already reads it as "Amira".

use crate::criteria::Criteria;
use crate::diagnostic::{Location, Problem, Rule};
use crate::evidence::{Item, PORTFOLIO_FILE, Portfolio};
use crate::names::{may_be_same_person, mixed_script, same_name};
use std::path::Path;
use std::sync::OnceLock;

/// What the possibility rules decide about one item.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Possible {
    /// Why the item counts for nothing, if it does not.
    pub excluded: Option<Rule>,
    /// Its handover record was made to the learner.
    pub to_learner: bool,
}

/// Paragraphs of `init`'s files shorter than this many words are not
/// looked for ("# My reflective account" may well stay).
const MIN_TEMPLATE_WORDS: usize = 8;

/// The placeholder paragraphs of `portfolio init`'s reflection and example
/// items, normalised and padded with a space each side, and the
/// placeholder names of its `portfolio.toml`.
struct Templates {
    paragraphs: Vec<String>,
    /// All of `paragraphs` searched at once (Aho–Corasick, the `aho-corasick`
    /// crate): one pass over a narrative's paragraph instead of one
    /// substring search per template paragraph. `None` only if it could not
    /// be built, when the paragraphs are searched one by one.
    automaton: Option<aho_corasick::AhoCorasick>,
    names: Vec<(&'static str, String)>,
}

impl Templates {
    /// The placeholders of init's files, given as (path, contents).
    fn of<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Templates {
        let mut paragraphs = Vec::new();
        let mut names = Vec::new();
        for (path, text) in files {
            if path.ends_with(".md") {
                let body = match crate::evidence::split(text) {
                    Ok(split) => split.body.to_string(),
                    Err(_) => text.to_string(),
                };
                for (_, p) in paragraphs_of(&body) {
                    if p.split(' ').count() >= MIN_TEMPLATE_WORDS {
                        // Padded, so that a match is whole words.
                        paragraphs.push(format!(" {p} "));
                    }
                }
            } else if path == PORTFOLIO_FILE
                && let Ok(value) = text.parse::<toml::Table>()
            {
                for (table, what) in [
                    ("learner", "the learner's name"),
                    ("assessor", "the assessor's name"),
                    ("centre", "the centre's name"),
                ] {
                    if let Some(name) = value
                        .get(table)
                        .and_then(|t| t.get("name"))
                        .and_then(toml::Value::as_str)
                    {
                        names.push((what, name.to_string()));
                    }
                }
            }
        }
        paragraphs.sort();
        paragraphs.dedup();
        let automaton = aho_corasick::AhoCorasick::new(&paragraphs).ok();
        Templates {
            paragraphs,
            automaton,
            names,
        }
    }

    /// Whether `padded` (a paragraph's normalised words with a space each
    /// side) holds one of the template paragraphs, word for word.
    fn found_in(&self, padded: &str) -> bool {
        match &self.automaton {
            Some(automaton) => automaton.is_match(padded),
            None => self.paragraphs.iter().any(|tp| padded.contains(tp.as_str())),
        }
    }
}

/// The placeholders of `portfolio init`'s built-in files (Unit 214).
fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| Templates::of(crate::init::files::FILES.iter().copied()))
}

/// The placeholders of `portfolio init --unit ID` for each assessed unit
/// other than the built-in one.
fn unit_templates(portfolio: &Portfolio, criteria: &Criteria) -> Option<Templates> {
    let files: Vec<(String, String)> = portfolio
        .settings
        .assessed
        .iter()
        .filter_map(|&f| criteria.frameworks.get(f))
        .filter(|fw| fw.kind == "unit" && fw.id != "unit-214")
        .flat_map(|fw| crate::init::unit::files(criteria, fw))
        .collect();
    (!files.is_empty()).then(|| Templates::of(files.iter().map(|(p, t)| (p.as_str(), t.as_str()))))
}

/// Normalised words of `text` (folded as names are), single spaces.
fn words(text: &str) -> String {
    let folded = crate::names::fold(text);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The paragraphs of Markdown `text` (blank-line separated): their first
/// line (from 0) and their normalised words.
fn paragraphs_of(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut current = String::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push((s, words(&current)));
                current.clear();
            }
        } else {
            start.get_or_insert(n);
            current.push_str(line);
            current.push('\n');
        }
    }
    if let Some(s) = start {
        out.push((s, words(&current)));
    }
    out
}

/// The first line (from 0) of `text` holding a paragraph of `init`'s
/// placeholder text, word for word.
fn template_line(text: &str, extra: Option<&Templates>) -> Option<usize> {
    let sets = [Some(templates()), extra];
    paragraphs_of(text).into_iter().find_map(|(line, p)| {
        // No template paragraph is shorter than MIN_TEMPLATE_WORDS words.
        if p.split(' ').count() < MIN_TEMPLATE_WORDS {
            return None;
        }
        let padded = format!(" {p} ");
        sets.iter().flatten().any(|t| t.found_in(&padded)).then_some(line)
    })
}

/// Whether a narrative says anything: a word once inline references
/// (`[[3.1]]`), Markdown punctuation and invisible characters are set aside.
fn says_something(body: &str) -> bool {
    let mut stripped = String::with_capacity(body.len());
    let mut from = 0;
    for r in crate::evidence::inline::find_refs(body) {
        if r.offset < from {
            continue;
        }
        stripped.push_str(body.get(from..r.offset).unwrap_or_default());
        from = body[r.offset..].find("]]").map_or(body.len(), |end| r.offset + end + 2);
    }
    stripped.push_str(body.get(from..).unwrap_or_default());
    // A word once folded: a letter or digit (folding stops at the first).
    crate::names::folded_has(&stripped, char::is_alphanumeric)
}

/// The possibility rules over every usable item, the reflection and
/// `portfolio.toml`'s names; problems are pushed to `problems`.
pub(super) fn check(portfolio: &Portfolio, criteria: &Criteria, problems: &mut Vec<Problem>) -> Vec<Possible> {
    let learner = portfolio.settings.learner.name.as_str();
    let extra = unit_templates(portfolio, criteria);
    names(portfolio, extra.as_ref(), problems);
    if let Some(text) = &portfolio.reflection
        && let Some(line) = template_line(text, extra.as_ref())
    {
        problems.push(
            Problem::new(
                Rule::TemplateText,
                "The reflective account still holds the example text that `portfolio init` wrote: it is not yours yet, so the portfolio is not complete.",
            )
            .at(Location::at(Path::new("reflection.md"), line + 1, 1))
            .with_hint("replace the example with your own account, or delete reflection.md"),
        );
    }
    portfolio
        .items
        .iter()
        .map(|item| {
            if item.usable {
                possible(item, learner, extra.as_ref(), problems)
            } else {
                Possible::default()
            }
        })
        .collect()
}

fn names(portfolio: &Portfolio, extra: Option<&Templates>, problems: &mut Vec<Problem>) {
    let s = &portfolio.settings;
    let mut people: Vec<(&str, &str)> = vec![("the learner's name", s.learner.name.as_str())];
    people.extend(s.assessors.iter().map(|a| ("the assessor's name", a.name.as_str())));
    for (what, name) in &people {
        if mixed_script(name) {
            problems.push(mixed(what, name, Location::file(PORTFOLIO_FILE), None));
        }
    }
    people.push(("the centre's name", s.centre.name.as_str()));
    let placeholders = [Some(templates()), extra].into_iter().flatten().flat_map(|t| &t.names);
    let mut said = Vec::new();
    for (what, placeholder) in placeholders {
        if said.contains(what) {
            continue;
        }
        if people.iter().any(|(w, n)| w == what && same_name(n, placeholder)) {
            said.push(*what);
            problems.push(
                Problem::new(
                    Rule::TemplateText,
                    format!(
                        "{PORTFOLIO_FILE} still gives {what} as \"{placeholder}\", the placeholder `portfolio init` wrote: the portfolio is not complete until it names the real person."
                    ),
                )
                .at(Location::file(PORTFOLIO_FILE))
                .with_hint(format!("write {what} in {PORTFOLIO_FILE} as your centre registered it")),
            );
        }
    }
}

fn mixed(what: &str, name: &str, at: Location, item: Option<&str>) -> Problem {
    let p = Problem::new(
        Rule::NameMixedScript,
        format!(
            "{} ({name}) mixes letters of different scripts (for example a Cyrillic А among Latin letters): it is compared as the name it looks like.",
            capitalise(what)
        ),
    )
    .at(at)
    .with_hint("retype the name on an ordinary keyboard");
    match item {
        Some(id) => p.for_item(id),
        None => p,
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn possible(item: &Item, learner: &str, extra: Option<&Templates>, problems: &mut Vec<Problem>) -> Possible {
    let mut out = Possible::default();
    let exclude = |rule: Rule, out: &mut Possible| {
        if out.excluded.is_none() {
            out.excluded = Some(rule);
        }
    };
    let at = |line: usize| Location::at(&item.path, line.max(1), 1);
    // Names that mix scripts.
    if let Some(name) = item.witness.as_ref().and_then(|w| w.name.as_deref())
        && mixed_script(name)
    {
        let line = item.lines.witness.unwrap_or(item.lines.method);
        problems.push(mixed("the witness's name", name, at(line), Some(&item.id)));
    }
    if let Some(by) = item.assessment.as_ref().and_then(|a| a.by.as_deref())
        && mixed_script(by)
    {
        let line = item.lines.decision.unwrap_or(1);
        problems.push(mixed("the decision's `by`", by, at(line), Some(&item.id)));
    }
    if let Some(h) = &item.handover {
        let to = h.to.as_ref().and_then(|t| t.name.as_deref());
        if let Some(name) = to.filter(|n| mixed_script(n)) {
            problems.push(mixed("the receiver's name", name, at(h.line), Some(&item.id)));
        }
        // A completion check after the item's date: the item attests its
        // own future.
        if let Some(check) = &h.check
            && let Some(d) = check.date.filter(|d| *d > item.date)
        {
            exclude(Rule::ImpossibleDate, &mut out);
            problems.push(
                Problem::new(
                    Rule::ImpossibleDate,
                    format!(
                        "The item is dated {}, but it records a completion check made on {d}: evidence cannot describe what had not happened yet. It does not count.",
                        item.date
                    ),
                )
                .at(at(check.line))
                .for_item(&item.id)
                .with_hint(format!(
                    "date the item on or after the check ({d}); if the check is still to come, record it as a reminder instead"
                )),
            );
        }
        if let Some(name) = to
            && !learner.is_empty()
            && may_be_same_person(name, learner)
        {
            out.to_learner = true;
            problems.push(
                Problem::new(
                    Rule::HandoverToLearner,
                    format!(
                        "This handover was made to {name}, you, the learner: it shows someone handing over to you, not you carrying one out. It does not count where you must carry out the handover."
                    ),
                )
                .at(at(h.line))
                .for_item(&item.id)
                .with_hint("record a handover you made to a colleague: `to` names who took it over"),
            );
        }
    }
    if !says_something(&item.body) {
        exclude(Rule::EmptyItem, &mut out);
        problems.push(
            Problem::new(
                Rule::EmptyItem,
                "This item has front matter but no narrative: an item that says nothing shows nothing, so it does not count.",
            )
            .at(at(item.body_line))
            .for_item(&item.id)
            .with_hint("write below the closing +++ what happened, what you did and how it shows each criterion"),
        );
    } else if let Some(line) = template_line(&item.body, extra) {
        exclude(Rule::TemplateText, &mut out);
        problems.push(
            Problem::new(
                Rule::TemplateText,
                "This narrative still holds the example text that `portfolio init` wrote: it describes no work of yours, so the item does not count.",
            )
            .at(at(item.body_line + line))
            .for_item(&item.id)
            .with_hint("replace the example with your own account of what you did"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_placeholders_are_known() {
        let t = templates();
        assert!(t.names.iter().any(|(_, n)| n == "Your Name"));
        let reflection = crate::init::files::FILES
            .iter()
            .find(|(p, _)| *p == "reflection.md")
            .unwrap()
            .1;
        assert_eq!(template_line(reflection, None), Some(2));
        assert_eq!(
            template_line("I handed the refund to Sam before my shift ended.", None),
            None
        );
    }

    #[test]
    fn another_units_init_text_is_known_too() {
        let criteria = crate::criteria::load_criteria(Some(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/units"
        ))))
        .unwrap();
        let f = criteria
            .frameworks
            .iter()
            .position(|fw| fw.id != "unit-214" && fw.kind == "unit")
            .unwrap();
        let files = crate::init::unit::files(&criteria, &criteria.frameworks[f]);
        let settings = crate::evidence::Settings {
            assessed: vec![f],
            ..Default::default()
        };
        let portfolio = Portfolio {
            root: ".".into(),
            settings,
            reflection: None,
            items: Vec::new(),
            problems: Vec::new(),
        };
        let extra = unit_templates(&portfolio, &criteria).unwrap();
        let reflection = &files.iter().find(|(p, _)| p == "reflection.md").unwrap().1;
        assert_eq!(template_line(reflection, Some(&extra)), Some(2));
        assert_eq!(template_line(reflection, None), None);
    }

    #[test]
    fn the_automaton_finds_what_one_search_per_paragraph_finds() {
        let t = templates();
        assert!(t.automaton.is_some());
        let naive = |padded: &str| t.paragraphs.iter().any(|tp| padded.contains(tp.as_str()));
        for tp in &t.paragraphs {
            let words = tp.trim();
            let cut: Vec<&str> = words.split(' ').collect();
            let shortened = cut[..cut.len() - 1].join(" ");
            for padded in [
                tp.clone(),
                format!(" i wrote this {words} and more "),
                format!(" {shortened} "),
                format!(" {}x ", tp.trim_end()),
            ] {
                assert_eq!(t.found_in(&padded), naive(&padded), "{padded}");
            }
            assert!(t.found_in(&format!(" before {words} after ")));
        }
        assert!(!t.found_in(" i handed the refund to sam before my shift ended "));
    }

    #[test]
    fn an_empty_narrative_says_nothing() {
        assert!(!says_something("\n\n  [[3.1]] \u{200B}\n- \n"));
        assert!(says_something("I told Sam."));
    }
}
