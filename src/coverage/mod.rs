//! Coverage: the assessment rules applied to the evidence, giving each
//! criterion exactly one status (`missing`, `insufficient`, `claimed`,
//! `met`) and each shortfall a problem that says what to do next.
//!
//! Every threshold comes from the criteria data (methods per group, methods
//! that never suffice alone, occasions needed, over-mapping limits), so a new
//! unit needs a new TOML file, not new code.

use crate::criteria::{CritId, Criteria};
use crate::date::Date;
use crate::diagnostic::{Problem, Rule};
use crate::evidence::{Decision, Item, Portfolio};
use crate::method::Method;
use serde::Serialize;

mod item_rules;
#[cfg(test)]
mod tests;

use item_rules::{item_rules, personal_data, scan_text};
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

impl Summary {
    /// Counts `statuses`.
    pub fn of(statuses: impl IntoIterator<Item = Status>) -> Summary {
        let mut s = Summary::default();
        for status in statuses {
            s.total += 1;
            match status {
                Status::Met => s.met += 1,
                Status::Claimed => s.claimed += 1,
                Status::Insufficient => s.insufficient += 1,
                Status::Missing => s.missing += 1,
            }
        }
        s
    }

    /// Whole percentages of `total` that add up to 100 (largest remainder),
    /// in the order met, claimed, insufficient, missing: bar widths.
    pub fn percent(&self) -> [usize; 4] {
        let counts = [self.met, self.claimed, self.insufficient, self.missing];
        if self.total == 0 {
            return [0; 4];
        }
        let mut pct = counts.map(|c| c * 100 / self.total);
        let mut rest: Vec<(usize, usize)> = counts
            .iter()
            .enumerate()
            .map(|(i, c)| (c * 100 % self.total, i))
            .collect();
        rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let short = 100 - pct.iter().sum::<usize>();
        for (_, i) in rest.into_iter().take(short) {
            pct[i] += 1;
        }
        pct
    }
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
    let summary = Summary::of(results.iter().filter(|r| r.assessed).map(|r| r.status));
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
