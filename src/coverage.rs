//! Coverage: the assessment rules applied to the evidence, giving each
//! criterion exactly one status (`missing`, `insufficient`, `claimed`,
//! `met`) and each shortfall a problem that says what to do next.
//!
//! Every threshold comes from the criteria data (methods per group, methods
//! that never suffice alone, occasions needed, over-mapping limits), so a new
//! unit needs a new TOML file, not new code.

use crate::criteria::{CritId, Criteria};
use crate::date::Date;
use crate::diagnostic::{Location, Problem, Rule};
use crate::evidence::{Decision, Item, Portfolio};
use crate::method::Method;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

/// A criterion's status, worst first so that `<` means "worse than".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Missing,
    Insufficient,
    Claimed,
    Met,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::Missing => "missing",
            Status::Insufficient => "insufficient",
            Status::Claimed => "claimed",
            Status::Met => "met",
        }
    }
}

/// What one criterion has.
#[derive(Debug, Clone)]
pub struct CriterionCoverage {
    pub id: CritId,
    /// Whether it decides completeness.
    pub assessed: bool,
    pub status: Status,
    /// Indices into `Portfolio::items` of the usable items that tag it,
    /// directly or through a mapped criterion.
    pub evidence: Vec<usize>,
    /// The rules that keep it from a better status.
    pub problems: Vec<Rule>,
    /// Distinct occasions among the items that count.
    pub occasions: usize,
    /// What to do next, for people; `None` once met.
    pub next: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub total: usize,
    pub met: usize,
    pub claimed: usize,
    pub insufficient: usize,
    pub missing: usize,
}

/// The result of applying the rules.
#[derive(Debug, Clone)]
pub struct Coverage {
    /// One entry per criterion of every loaded framework, in catalogue order.
    pub criteria: Vec<CriterionCoverage>,
    /// Loader problems and rule problems, sorted by file and line.
    pub problems: Vec<Problem>,
    pub require: Status,
    pub complete: bool,
    /// Counts over the assessed criteria.
    pub summary: Summary,
}

impl Coverage {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    pub fn of(&self, id: CritId) -> &CriterionCoverage {
        &self.criteria[id.0]
    }
}

/// "outcome 3" for a unit; the group's title for a standard.
pub fn group_label(criteria: &Criteria, id: CritId) -> String {
    group_name(criteria.framework_of(id), criteria.group_of(id))
}

fn group_name(fw: &crate::criteria::Framework, group: &crate::criteria::Group) -> String {
    if fw.kind == "unit" {
        format!("outcome {}", group.code)
    } else {
        format!(
            "{} {}",
            fw.short_title,
            group.title.split(':').next().unwrap_or(&group.title).to_lowercase()
        )
    }
}

/// Applies every rule. `today` decides `date-in-future`.
pub fn evaluate(portfolio: &Portfolio, criteria: &Criteria, require: Status, today: Date) -> Coverage {
    let mut problems = portfolio.problems.clone();
    for item in portfolio.items.iter().filter(|i| i.usable) {
        item_rules(item, criteria, today, &mut problems);
        personal_data(item, &portfolio.settings.scanner, &mut problems);
    }
    if let Some(text) = &portfolio.reflection {
        scan_text(
            &portfolio.settings.scanner,
            text,
            Path::new("reflection.md"),
            1,
            None,
            &mut problems,
        );
    }
    let assessed: BTreeSet<usize> = portfolio.settings.assessed.iter().copied().collect();
    let mut results = Vec::with_capacity(criteria.entries.len());
    for id in criteria.ids() {
        let mut result = criterion_status(id, portfolio, criteria, &mut problems);
        result.assessed = assessed.contains(&criteria.entry(id).framework);
        results.push(result);
    }
    sort_problems(&mut problems);
    let mut summary = Summary::default();
    for r in results.iter().filter(|r| r.assessed) {
        summary.total += 1;
        match r.status {
            Status::Met => summary.met += 1,
            Status::Claimed => summary.claimed += 1,
            Status::Insufficient => summary.insufficient += 1,
            Status::Missing => summary.missing += 1,
        }
    }
    let complete = results.iter().filter(|r| r.assessed).all(|r| r.status >= require);
    Coverage {
        criteria: results,
        problems,
        require,
        complete,
        summary,
    }
}

/// Problems with a place come first, by file, line and column; the others
/// keep the order they were found in (criterion order).
fn sort_problems(problems: &mut [Problem]) {
    problems.sort_by(|a, b| match (&a.location, &b.location) {
        (Some(x), Some(y)) => (&x.file, x.line, x.column, a.rule).cmp(&(&y.file, y.line, y.column, b.rule)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

/// Rules about one item on its own.
fn item_rules(item: &Item, criteria: &Criteria, today: Date, problems: &mut Vec<Problem>) {
    let at = |line: usize| Location::at(&item.path, line, 1);
    if item.method == Method::WitnessTestimony && !item.witness.as_ref().is_some_and(|w| w.is_named()) {
        let missing = match &item.witness {
            Some(w) if w.name.is_some() => "the witness's role",
            Some(w) if w.role.is_some() => "the witness's name",
            _ => "a named witness",
        };
        problems.push(
            Problem::new(
                Rule::WitnessMissing,
                format!(
                    "This witness testimony has no {}; it does not count until it has one.",
                    missing.trim_start_matches("a ")
                ),
            )
            .at(at(item.lines.witness.unwrap_or(item.lines.method)))
            .for_item(&item.id)
            .with_hint("add witness = { name = \"Dana Reid\", role = \"Team leader\" } to the front matter"),
        );
    }
    if let Some(a) = item.assessment.as_ref().filter(|a| a.decision == Decision::Referred) {
        let by = a.by.as_deref().map(|b| format!(" by {b}")).unwrap_or_default();
        let feedback = a
            .feedback
            .as_deref()
            .map(|f| format!(" Feedback: \"{f}\""))
            .unwrap_or_default();
        problems.push(
            Problem::new(
                Rule::Referred,
                format!("This item was referred{by}; it does not count until it is reworked and accepted.{feedback}"),
            )
            .at(at(item.lines.decision.unwrap_or(1)))
            .for_item(&item.id)
            .with_hint("act on the feedback, then ask your assessor to look again"),
        );
    }
    if item.date > today {
        problems.push(
            Problem::new(
                Rule::DateInFuture,
                format!("The item is dated {}, after today ({today}).", item.date),
            )
            .at(at(item.lines.date))
            .for_item(&item.id)
            .with_hint("check the date: evidence records something that has happened"),
        );
    }
    method_not_listed(item, criteria, problems);
    over_mapped(item, criteria, problems);
    handover_incomplete(item, criteria, problems);
}

/// `personal-data`: what looks like a customer's details in the item's
/// text. The warning says which kind and where, never the value.
fn personal_data(item: &Item, scanner: &crate::privacy::Scanner, problems: &mut Vec<Problem>) {
    let id = Some(item.id.as_str());
    scan_text(scanner, &item.title, &item.path, item.lines.title, id, problems);
    scan_text(scanner, &item.body, &item.path, item.body_line, id, problems);
    if let Some(held_at) = &item.held_at {
        scan_text(scanner, held_at, &item.path, item.lines.title, id, problems);
    }
    if let Some(feedback) = item.assessment.as_ref().and_then(|a| a.feedback.as_ref()) {
        scan_text(
            scanner,
            feedback,
            &item.path,
            item.lines.decision.unwrap_or(1),
            id,
            problems,
        );
    }
    if let Some(h) = &item.handover {
        let mut h = h.clone();
        let line = h.line;
        for text in h.texts_mut() {
            scan_text(scanner, text, &item.path, line, id, problems);
        }
    }
}

/// Warns for each finding in `text`, whose first line is line `first` of `file`.
fn scan_text(
    scanner: &crate::privacy::Scanner,
    text: &str,
    file: &Path,
    first: usize,
    item: Option<&str>,
    problems: &mut Vec<Problem>,
) {
    for finding in scanner.scan(text) {
        let (line, column) = crate::diagnostic::line_column(text, finding.start);
        let column = if line == 1 { None } else { Some(column) };
        let mut problem = Problem::new(
            Rule::PersonalData,
            format!(
                "This looks like {}, which may be a customer's personal data. Remove it, or replace it with a reference your workplace uses.",
                finding.kind.label()
            ),
        )
        .at(crate::diagnostic::Location { file: file.to_path_buf(), line: Some(first + line - 1), column })
        .with_hint("if it is not personal data (say, your employer's public switchboard), add it to allow = [...] under [privacy] in portfolio.toml; `--redact` masks it in every output");
        if let Some(id) = item {
            problem = problem.for_item(id);
        }
        problems.push(problem);
    }
}

/// `handover-incomplete`: the parts each tagged criterion asks of a
/// `[handover]` record (criteria data), and owners and deadlines on actions.
fn handover_incomplete(item: &Item, criteria: &Criteria, problems: &mut Vec<Problem>) {
    use crate::handover::Part;
    let Some(h) = &item.handover else { return };
    let mut missing: Vec<(Part, Vec<String>)> = Vec::new();
    for id in item.criteria() {
        for key in &criteria.criterion(id).handover_requires {
            let Some(part) = Part::parse(key) else { continue };
            if h.has(part) {
                continue;
            }
            let code = criteria.display_code(id);
            match missing.iter_mut().find(|(p, _)| *p == part) {
                Some((_, codes)) => codes.push(code),
                None => missing.push((part, vec![code])),
            }
        }
    }
    missing.sort();
    for (part, codes) in missing {
        problems.push(
            Problem::new(
                Rule::HandoverIncomplete,
                format!(
                    "The handover record does not show {}, which {} asks for.",
                    part.describe(),
                    codes.join(" and ")
                ),
            )
            .at(Location::at(&item.path, h.line, 1))
            .for_item(&item.id)
            .with_hint(format!("add under [handover]: {}", part.example())),
        );
    }
    let needs: BTreeSet<&str> = criteria
        .frameworks
        .iter()
        .flat_map(|f| f.rules.handover_action_needs.iter().map(String::as_str))
        .collect();
    for action in h.all_actions() {
        let mut lacks = Vec::new();
        if needs.contains("owner") && action.owner.is_none() {
            lacks.push("owner");
        }
        if needs.contains("due") && action.due.is_none() {
            lacks.push("deadline");
        }
        if lacks.is_empty() {
            continue;
        }
        problems.push(
            Problem::new(
                Rule::HandoverIncomplete,
                format!(
                    "The action \"{}\" has no {}: agree who does it and by when, so it is not overlooked.",
                    action.action,
                    lacks.join(" and no ")
                ),
            )
            .at(Location::at(&item.path, action.line, 1))
            .for_item(&item.id)
            .with_hint("give each action owner = \"...\" and due = YYYY-MM-DD"),
        );
    }
}

fn method_not_listed(item: &Item, criteria: &Criteria, problems: &mut Vec<Problem>) {
    let mut seen = BTreeSet::new();
    for tag in &item.tags {
        let e = criteria.entry(tag.criterion);
        let group = criteria.group_of(tag.criterion);
        if group.methods.is_empty() || group.methods.contains(&item.method) || !seen.insert((e.framework, e.group)) {
            continue;
        }
        let listed: Vec<&str> = group.methods.iter().map(|m| m.label()).collect();
        problems.push(
            Problem::new(
                Rule::MethodNotListed,
                format!(
                    "{} is not among the methods {} lists ({}); the item still counts for {}.",
                    capitalise(item.method.label()),
                    group_label(criteria, tag.criterion),
                    listed.join(", "),
                    criteria.display_code(tag.criterion),
                ),
            )
            .at(Location::at(&item.path, item.lines.method, 1))
            .for_item(&item.id)
            .with_hint("check with your assessor that this method suits the outcome"),
        );
    }
}

fn over_mapped(item: &Item, criteria: &Criteria, problems: &mut Vec<Problem>) {
    let ids = item.criteria();
    for (f, fw) in criteria.frameworks.iter().enumerate() {
        let in_fw: Vec<CritId> = ids
            .iter()
            .copied()
            .filter(|id| criteria.entry(*id).framework == f)
            .collect();
        let max = fw.rules.over_mapped_max_total;
        let mut reason = None;
        if in_fw.len() > max {
            reason = Some(format!(
                "{} criteria of {} (more than {max})",
                in_fw.len(),
                fw.short_title
            ));
        } else {
            for (g, group) in fw.groups.iter().enumerate() {
                let n = in_fw.iter().filter(|id| criteria.entry(**id).group == g).count();
                let limit = group.criteria.len() as f64 * fw.rules.over_mapped_max_group_share;
                if n > 1 && n as f64 > limit {
                    reason = Some(format!(
                        "{n} of the {} criteria of {}",
                        group.criteria.len(),
                        group_name(fw, group)
                    ));
                    break;
                }
            }
        }
        if let Some(reason) = reason {
            problems.push(
                Problem::new(
                    Rule::OverMapped,
                    format!(
                        "This item is tagged with {reason}; an assessor may doubt that one item shows each of them."
                    ),
                )
                .at(Location::at(&item.path, item.lines.criteria, 1))
                .for_item(&item.id)
                .with_hint("keep the tags this item clearly shows, and mark each in the text with [[code]]"),
            );
        }
    }
}

/// Whether a set of items satisfies a criterion's rules; the failing rules if not.
fn rules_hold(items: &[&Item], id: CritId, criteria: &Criteria) -> Result<usize, Vec<Rule>> {
    if items.is_empty() {
        return Err(Vec::new());
    }
    let supporting = &criteria.framework_of(id).rules.supporting_only;
    let applied: Vec<&&Item> = items.iter().filter(|i| !supporting.contains(&i.method)).collect();
    if applied.is_empty() {
        return Err(vec![Rule::AloneInsufficient]);
    }
    let occasions: BTreeSet<&str> = applied.iter().map(|i| i.occasion.as_str()).collect();
    if occasions.len() < criteria.min_occasions(id) {
        return Err(vec![Rule::MinOccasions]);
    }
    Ok(occasions.len())
}

/// Why an item does not count, if it does not.
fn excluded(item: &Item) -> Option<Rule> {
    if item.decision() == Some(Decision::Referred) {
        Some(Rule::Referred)
    } else if item.method == Method::WitnessTestimony && !item.witness.as_ref().is_some_and(|w| w.is_named()) {
        Some(Rule::WitnessMissing)
    } else {
        None
    }
}

fn criterion_status(
    id: CritId,
    portfolio: &Portfolio,
    criteria: &Criteria,
    problems: &mut Vec<Problem>,
) -> CriterionCoverage {
    let sources: Vec<CritId> = std::iter::once(id)
        .chain(criteria.mapped_from[id.0].iter().copied())
        .collect();
    let evidence: Vec<usize> = portfolio
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.usable && item.tags.iter().any(|t| sources.contains(&t.criterion)))
        .map(|(i, _)| i)
        .collect();
    let code = criteria.display_code(id);
    let fw = &criteria.framework_of(id).id;
    let mut result = CriterionCoverage {
        id,
        assessed: false,
        status: Status::Missing,
        evidence: evidence.clone(),
        problems: Vec::new(),
        occasions: 0,
        next: None,
    };
    if evidence.is_empty() {
        result.next = Some(missing_advice(id, criteria));
        return result;
    }
    let tagged: Vec<&Item> = evidence.iter().map(|&i| &portfolio.items[i]).collect();
    let mut reasons: Vec<Rule> = tagged.iter().filter_map(|i| excluded(i)).collect();
    let counting: Vec<&Item> = tagged.iter().copied().filter(|i| excluded(i).is_none()).collect();
    match rules_hold(&counting, id, criteria) {
        Ok(occasions) => {
            result.occasions = occasions;
            let accepted: Vec<&Item> = counting
                .iter()
                .copied()
                .filter(|i| i.decision() == Some(Decision::Accepted))
                .collect();
            if rules_hold(&accepted, id, criteria).is_ok() {
                result.status = Status::Met;
            } else {
                result.status = Status::Claimed;
                result.next = Some(format!("Ask your assessor to assess the evidence for {code}."));
            }
        }
        Err(failed) => {
            result.status = Status::Insufficient;
            let supporting = &criteria.framework_of(id).rules.supporting_only;
            let applied: BTreeSet<&str> = counting
                .iter()
                .filter(|i| !supporting.contains(&i.method))
                .map(|i| i.occasion.as_str())
                .collect();
            result.occasions = applied.len();
            let mut next = Vec::new();
            for rule in &failed {
                let message = match rule {
                    Rule::AloneInsufficient => alone_message(&code, &counting, id, criteria),
                    Rule::MinOccasions => {
                        let need = criteria.min_occasions(id);
                        let n = applied.len();
                        format!(
                            "{code} is shown on {n} occasion{}; {} needs {need}. {}",
                            if n == 1 { "" } else { "s" },
                            group_label(criteria, id),
                            criteria.group_of(id).occasion_advice
                        )
                    }
                    _ => continue,
                };
                next.push(message.clone());
                problems.push(Problem::new(*rule, message).for_criterion(fw, &criteria.criterion(id).code));
            }
            if counting.is_empty() {
                next.push(format!(
                    "No evidence for {code} counts yet: {}.",
                    reasons
                        .iter()
                        .map(|r| match r {
                            Rule::Referred => "an item was referred",
                            _ => "a witness testimony has no named witness",
                        })
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect::<Vec<_>>()
                        .join(" and ")
                ));
            }
            reasons.extend(failed);
            next.extend(prompt_advice(id, criteria));
            result.next = Some(next.join(" "));
        }
    }
    reasons.sort_unstable();
    reasons.dedup();
    result.problems = reasons;
    result
}

fn alone_message(code: &str, counting: &[&Item], id: CritId, criteria: &Criteria) -> String {
    let used: BTreeSet<&str> = counting.iter().map(|i| i.method.label()).collect();
    let supporting = &criteria.framework_of(id).rules.supporting_only;
    let better: Vec<&str> = criteria
        .group_of(id)
        .methods
        .iter()
        .filter(|m| !supporting.contains(m))
        .map(|m| m.label())
        .collect();
    let better = if better.is_empty() {
        "observation, witness testimony, professional discussion or a reflective account".to_string()
    } else {
        better.join(", ")
    };
    format!(
        "{code} is shown only by {}, which shows a document exists, not that you applied it. Add evidence of you doing it ({better}).",
        used.into_iter().collect::<Vec<_>>().join(" and ")
    )
}

fn missing_advice(id: CritId, criteria: &Criteria) -> String {
    let code = criteria.display_code(id);
    let group = criteria.group_of(id);
    let methods: Vec<&str> = group
        .methods
        .iter()
        .filter(|m| !criteria.framework_of(id).rules.supporting_only.contains(m))
        .map(|m| m.label())
        .collect();
    let via: Vec<String> = criteria.mapped_from[id.0]
        .iter()
        .map(|s| criteria.display_code(*s))
        .collect();
    let mut advice = format!("No evidence yet. Add an item that shows {code}");
    if !methods.is_empty() {
        advice.push_str(&format!(
            " ({} accepts {})",
            group_label(criteria, id),
            methods.join(", ")
        ));
    }
    if !via.is_empty() {
        advice.push_str(&format!(", or evidence for {}, which maps to it", via.join(" or ")));
    }
    advice.push('.');
    if let Some(p) = prompt_advice(id, criteria) {
        advice.push(' ');
        advice.push_str(&p);
    }
    advice
}

/// "To show 3.3, add: …" from the criterion's assessor prompts.
fn prompt_advice(id: CritId, criteria: &Criteria) -> Option<String> {
    let prompts = &criteria.criterion(id).prompts;
    if prompts.is_empty() {
        return None;
    }
    let list: Vec<String> = prompts.iter().map(|p| lower_first(p.trim_end_matches('.'))).collect();
    Some(format!(
        "To show {}, an assessor looks for: {}.",
        criteria.display_code(id),
        list.join("; ")
    ))
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if c.clone().next().is_some_and(|n| n.is_lowercase()) => {
            f.to_lowercase().collect::<String>() + c.as_str()
        }
        Some(f) => f.to_string() + c.as_str(),
        None => String::new(),
    }
}

/// The first letter upper-case: "outcome 3" → "Outcome 3".
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::load_criteria;
    use crate::evidence::{Assessment, FieldLines, Settings, Tag, Witness};

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 23,
    };

    /// A test item: `spec` is "method date codes… [occasion=x] [accepted|referred|pending] [witness|nowitness]".
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
                        by: None,
                        date: None,
                        feedback: None,
                    })
                }
                "nowitness" => witness = None,
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
            occasion,
            witness,
            held_at: None,
            attachments: Vec::new(),
            assessment,
            handover: None,
            body: String::new(),
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
        }
    }

    fn run(specs: &[&str]) -> (Criteria, Coverage) {
        let criteria = load_criteria(None).unwrap();
        let items = specs.iter().enumerate().map(|(n, s)| item(&criteria, n, s)).collect();
        let portfolio = Portfolio {
            root: ".".into(),
            settings: Settings {
                assessed: criteria.default_assessed(),
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
            "3.3 is shown on 1 occasion; outcome 3 needs 2. Add evidence of another handover, on a different occasion."
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
        ]);
        let rules: Vec<(Rule, Option<&str>)> = coverage.problems.iter().map(|p| (p.rule, p.item.as_deref())).collect();
        assert!(rules.contains(&(Rule::DateInFuture, Some("item-0"))));
        assert!(rules.contains(&(Rule::MethodNotListed, Some("item-0"))));
        assert!(
            rules.contains(&(Rule::OverMapped, Some("item-1"))),
            "3 of outcome 1's 4"
        );
        assert!(!rules.contains(&(Rule::OverMapped, Some("item-2"))), "2 of 5 is fine");
        assert!(rules.contains(&(Rule::OverMapped, Some("item-3"))), "7 of the standard");
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
}
