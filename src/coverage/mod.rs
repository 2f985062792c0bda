//! Coverage: the assessment rules applied to the evidence, giving each
//! criterion exactly one status (`missing`, `insufficient`, `claimed`,
//! `met`) and each shortfall a problem that says what to do next.
//!
//! Every threshold comes from the criteria data (methods per group, methods
//! that never suffice alone, occasions needed, over-mapping limits), so a new
//! unit needs a new TOML file, not new code.

use crate::criteria::{CritId, Criteria};
use crate::date::Date;
use crate::decisions::{Decided, Decisions, MetBy};
pub use crate::diagnostic::capitalise;
use crate::diagnostic::{Location, Problem, Rule};
use crate::evidence::Portfolio;
use crate::method::Method;
use serde::Serialize;

pub mod integrity;
mod item_rules;
pub mod occasions;
mod possible;
pub mod qualification;
#[cfg(test)]
mod tests;

use integrity::ItemFacts;
use item_rules::{item_rules, personal_data, scan_text};
pub use occasions::{Occasion, Occasions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A criterion's status, worst first so that `<` means "worse than".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
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
    /// False when its group is achieved by some of its criteria
    /// (`min_criteria`) and enough others reach the requirement.
    pub required: bool,
    pub status: Status,
    /// Indices into `Portfolio::items` of the usable items that tag it,
    /// directly or through a mapped criterion.
    pub evidence: Vec<usize>,
    /// The rules that keep it from a better status.
    pub problems: Vec<Rule>,
    /// Occasions counted towards `min_occasions`: those with an item that
    /// can show the criterion on its own.
    pub occasions: usize,
    /// Every occasion of the items that count, counted or not.
    pub occasion_uses: Vec<OccasionUse>,
    /// Items that count but belong to no occasion (no label, on a day with
    /// several labelled occasions).
    pub unassigned: Vec<usize>,
    /// What to do next, for people; `None` once met.
    pub next: Option<String>,
    /// How a `met` was decided: the strongest kind of acceptance whose items
    /// alone satisfy the rules (`None` unless met).
    pub decided: Option<Decided>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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

    /// Whole percentage (rounded down) of `total` at least claimed: evidence
    /// in place.
    pub fn percent_claimed(&self) -> usize {
        ((self.met + self.claimed) * 100).checked_div(self.total).unwrap_or(0)
    }

    /// Whole percentage (rounded down) of `total` met.
    pub fn percent_met(&self) -> usize {
        (self.met * 100).checked_div(self.total).unwrap_or(0)
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

/// One occasion as a criterion sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccasionUse {
    /// Index into [`Occasions::list`].
    pub occasion: usize,
    /// Whether it counts towards `min_occasions`.
    pub counted: bool,
    /// The items of this occasion that count for the criterion.
    pub items: Vec<usize>,
    /// Why it is not counted.
    pub reason: Option<String>,
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
    /// Which items record the same occasion.
    pub occasions: Occasions,
    /// For each item, whether it carries an acceptance that counts.
    pub accepted: Vec<bool>,
    /// For each item, how its acceptance that counts was decided.
    pub decided: Vec<Option<Decided>>,
    /// For each item, what signed decisions naming some of its criteria
    /// decided per criterion; empty when its decisions are item-wide.
    pub per_criterion: Vec<Vec<crate::decisions::outcome::CriterionDecision>>,
    /// How the assessed `met` criteria were decided.
    pub met_by: MetBy,
    /// The qualification's rules of combination and its units, when the
    /// portfolio names a qualification.
    pub qualification: Option<qualification::QualificationCoverage>,
    /// The signed decisions, verified, and whether against a roster.
    pub decisions: Decisions,
    /// The "today" the statuses were worked out against (an input, never
    /// the clock): the outputs say it.
    pub today: Date,
}

impl Coverage {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    pub fn of(&self, id: CritId) -> &CriterionCoverage {
        &self.criteria[id.0]
    }

    /// Whether item `e` (an index into the portfolio's items) carries an
    /// acceptance that counts for criterion `id`, and whether it is
    /// referred for it by a decision naming criteria: an acceptance naming
    /// other criteria never counts for `id`.
    pub fn decision_for(&self, criteria: &Criteria, e: usize, id: CritId) -> (bool, bool) {
        let per = self.per_criterion.get(e).map_or(&[][..], Vec::as_slice);
        let whole = self.decided.get(e).copied().flatten();
        let (accepted, referred) = crate::decisions::outcome::for_criterion(per, whole, |s| {
            s == id || criteria.mapped_from[id.0].contains(&s)
        });
        (accepted.is_some(), referred)
    }

    /// The criteria that keep the portfolio from complete: assessed,
    /// required, below the requirement.
    pub fn gaps(&self) -> impl Iterator<Item = &CriterionCoverage> {
        self.criteria
            .iter()
            .filter(|r| r.assessed && r.required && r.status < self.require)
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

/// Applies every rule. `today` decides `date-in-future` and which decisions
/// are dated in time.
pub fn evaluate(portfolio: &Portfolio, criteria: &Criteria, require: Status, today: Date) -> Coverage {
    evaluate_with(portfolio, Decisions::default(), criteria, require, today)
}

/// [`evaluate`] with the portfolio's signed decisions, read and verified by
/// [`crate::decisions::load`].
pub fn evaluate_with(
    portfolio: &Portfolio,
    decisions: Decisions,
    criteria: &Criteria,
    require: Status,
    today: Date,
) -> Coverage {
    let mut problems = portfolio.problems.clone();
    problems.extend(decisions.problems.iter().cloned());
    let mut facts = integrity::item_facts(portfolio, &decisions, criteria, today, &mut problems);
    // Records must be possible: an impossible date, an empty item or
    // init's placeholder text counts for nothing.
    let possible = possible::check(portfolio, criteria, &mut problems);
    for (f, p) in facts.iter_mut().zip(&possible) {
        if f.excluded.is_none() {
            f.excluded = p.excluded;
        }
    }
    for (item, f) in portfolio.items.iter().zip(&facts).filter(|(i, _)| i.usable) {
        item_rules(item, criteria, today, f.accepted, &mut problems);
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
    let occasions = occasions::group(portfolio);
    duplicate_warnings(portfolio, &occasions, &mut problems);
    shared_attachment_warnings(portfolio, &occasions, &mut problems);
    let assessed: BTreeSet<usize> = portfolio.settings.assessed.iter().copied().collect();
    let mut results = Vec::with_capacity(criteria.entries.len());
    let ctx = Context {
        portfolio,
        criteria,
        facts: &facts,
        occasions: &occasions,
        possible: &possible,
    };
    for id in criteria.ids() {
        let mut result = ctx.criterion_status(id, &mut problems);
        result.assessed = assessed.contains(&criteria.entry(id).framework);
        results.push(result);
    }
    min_criteria(criteria, require, &mut results, &mut problems);
    let qualification = qualification::evaluate(&portfolio.settings, criteria, &results, require, &mut problems);
    sort_problems(&mut problems);
    let summary = Summary::of(results.iter().filter(|r| r.assessed).map(|r| r.status));
    let met_by = MetBy::of(results.iter().filter(|r| r.assessed).filter_map(|r| r.decided));
    // Nothing is complete while an input error leaves an item unread.
    // init's placeholder left in portfolio.toml or the reflection is a gap
    // of the whole portfolio.
    let complete = !problems.iter().any(Problem::is_error)
        && !problems
            .iter()
            .any(|p| p.rule == Rule::TemplateText && p.item.is_none())
        && qualification.as_ref().is_none_or(|q| q.combination_ok)
        && results
            .iter()
            .filter(|r| r.assessed && r.required)
            .all(|r| r.status >= require);
    Coverage {
        criteria: results,
        problems,
        require,
        complete,
        summary,
        occasions,
        accepted: facts.iter().map(|f| f.accepted).collect(),
        decided: facts.iter().map(|f| f.decided).collect(),
        per_criterion: facts.iter().map(|f| f.per_criterion.clone()).collect(),
        met_by,
        qualification,
        decisions,
        today,
    }
}

/// `min-criteria`: a group achieved by any N of its criteria. Once N reach
/// the requirement the others are not required; until then the group says
/// how many more it needs.
fn min_criteria(criteria: &Criteria, require: Status, results: &mut [CriterionCoverage], problems: &mut Vec<Problem>) {
    for (f, fw) in criteria.frameworks.iter().enumerate() {
        for (g, group) in fw.groups.iter().enumerate() {
            let Some(n) = group.min_criteria else { continue };
            let members: Vec<usize> = criteria
                .ids()
                .filter(|id| {
                    let e = criteria.entry(*id);
                    e.framework == f && e.group == g
                })
                .map(|id| id.0)
                .collect();
            let reached = members.iter().filter(|&&i| results[i].status >= require).count();
            if reached >= n {
                for &i in &members {
                    results[i].required = results[i].status >= require;
                }
            } else if members.first().is_some_and(|&i| results[i].assessed) {
                let label = group_name(fw, group);
                let message = format!(
                    "{} is achieved by any {n} of its {} criteria; {reached} {} at least {}. Add evidence for {} more.",
                    capitalise(&label),
                    members.len(),
                    if reached == 1 { "is" } else { "are" },
                    require.word(),
                    n - reached
                );
                for &i in &members {
                    if results[i].status >= require {
                        continue;
                    }
                    let next = results[i].next.take().unwrap_or_default();
                    results[i].next = Some(format!("{message} {next}").trim_end().to_string());
                }
                problems.push(Problem::new(Rule::MinCriteria, message).for_criterion(&fw.id, &group.criteria[0].code));
            }
        }
    }
}

/// `duplicate-evidence`: one warning on the later item of each pair.
fn duplicate_warnings(portfolio: &Portfolio, occasions: &Occasions, problems: &mut Vec<Problem>) {
    let items = &portfolio.items;
    let mut warned = BTreeSet::new();
    for d in &occasions.duplicates {
        if !warned.insert(d.second) {
            continue;
        }
        let (first, second) = (&items[d.first], &items[d.second]);
        problems.push(
            Problem::new(
                Rule::DuplicateEvidence,
                format!(
                    "This narrative is nearly the same as {} ({}% of their word sequences are shared): the two are counted as one occasion.",
                    crate::diagnostic::display_path(&first.path),
                    (d.similarity * 100.0).floor()
                ),
            )
            .at(Location::at(&second.path, second.body_line, 1))
            .for_item(&second.id)
            .with_hint("describe each handover in its own words; if both record the same one, give them the same occasion"),
        );
    }
}

/// `same-attachment`: one warning on the later item of each pair, naming
/// both.
fn shared_attachment_warnings(portfolio: &Portfolio, occasions: &Occasions, problems: &mut Vec<Problem>) {
    let items = &portfolio.items;
    for s in &occasions.shared {
        let (first, second) = (&items[s.first], &items[s.second]);
        problems.push(
            Problem::new(
                Rule::SameAttachment,
                format!(
                    "The attachment `{}` is the same file (the same bytes) as `{}` of {} ({}): one record is one piece of work, so the two items are counted as one occasion.",
                    s.path,
                    s.first_path,
                    crate::diagnostic::display_path(&first.path),
                    occasion_of(first),
                ),
            )
            .at(Location::at(&second.path, s.line.max(1), 1))
            .for_item(&second.id)
            .with_hint("attach the record of this occasion's own handover; if both items record the same one, give them the same occasion"),
        );
    }
}

fn occasion_of(item: &crate::evidence::Item) -> String {
    match &item.occasion_label {
        Some(l) => format!("occasion \"{l}\""),
        None => format!("dated {}", item.date),
    }
}

/// Problems with a place come first, by file, line and column; the others
/// keep the order they were found in (criterion order).
pub fn sort_problems(problems: &mut [Problem]) {
    problems.sort_by(|a, b| match (&a.location, &b.location) {
        (Some(x), Some(y)) => (&x.file, x.line, x.column, a.rule).cmp(&(&y.file, y.line, y.column, b.rule)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

/// What every criterion's status is weighed against.
struct Context<'a> {
    portfolio: &'a Portfolio,
    criteria: &'a Criteria,
    facts: &'a [ItemFacts],
    occasions: &'a Occasions,
    possible: &'a [possible::Possible],
}

impl Context<'_> {
    /// Item `i`'s acceptance that counts for criterion `id`, and whether a
    /// decision naming criteria referred it for `id`.
    fn decision(&self, i: usize, id: CritId) -> (Option<Decided>, bool) {
        let f = &self.facts[i];
        if f.per_criterion.is_empty() {
            return (f.decided.filter(|_| f.accepted), false);
        }
        let mapped = &self.criteria.mapped_from[id.0];
        crate::decisions::outcome::for_criterion(&f.per_criterion, f.decided, |s| s == id || mapped.contains(&s))
    }

    /// Whether item `i` carries an acceptance that counts for `id`.
    fn accepted(&self, i: usize, id: CritId) -> bool {
        self.decision(i, id).0.is_some()
    }

    /// Why item `i` does not count for criterion `id`, if it does not.
    fn excluded(&self, i: usize, id: CritId) -> Option<Rule> {
        let f = &self.facts[i];
        f.excluded
            .or_else(|| (!f.per_criterion.is_empty() && self.decision(i, id).1).then_some(Rule::Referred))
            .or_else(|| {
                f.too_early_for
                    .contains(&self.criteria.entry(id).framework)
                    .then_some(Rule::BeforeValidFrom)
            })
            .or_else(|| {
                (self.criteria.group_of(id).real_work_only && self.portfolio.items[i].is_simulated())
                    .then_some(Rule::SimulationNotAllowed)
            })
            .or_else(|| {
                (self.criteria.group_of(id).learner_hands_over && self.possible[i].to_learner)
                    .then_some(Rule::HandoverToLearner)
            })
    }

    /// Whether item `i` can show criterion `id` on its own: a method the
    /// group lists that is not a * method, or an unlisted method that an
    /// assessor validly accepted. A * method never can.
    fn stands_alone(&self, i: usize, id: CritId) -> bool {
        let method = self.portfolio.items[i].method;
        let methods = self.criteria.methods(id);
        !self.criteria.framework_of(id).rules.supporting_only.contains(&method)
            && (methods.is_empty() || methods.contains(&method) || self.accepted(i, id))
    }

    /// The occasions of `items` for `id`, each counted or not.
    fn occasion_uses(&self, items: &[usize], id: CritId) -> (Vec<OccasionUse>, Vec<usize>) {
        let mut by_occasion: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut unassigned = Vec::new();
        for &i in items {
            match self.occasions.of_item[i] {
                Some(o) => by_occasion.entry(o).or_default().push(i),
                None => unassigned.push(i),
            }
        }
        let uses = by_occasion
            .into_iter()
            .map(|(occasion, items)| {
                let counted = items.iter().any(|&i| self.stands_alone(i, id));
                OccasionUse {
                    occasion,
                    counted,
                    reason: (!counted).then(|| self.not_counted_reason(&items, id)),
                    items,
                }
            })
            .collect();
        (uses, unassigned)
    }

    /// "only documents (customer record, documentation)".
    fn not_counted_reason(&self, items: &[usize], id: CritId) -> String {
        let supporting = &self.criteria.framework_of(id).rules.supporting_only;
        let methods: BTreeSet<Method> = items.iter().map(|&i| self.portfolio.items[i].method).collect();
        let labels: Vec<&str> = methods.iter().map(|m| m.label()).collect();
        if methods.iter().all(|m| supporting.contains(m)) {
            format!("only documents ({})", labels.join(", "))
        } else {
            format!(
                "only {}, which {} does not list, and no assessor accepted it",
                labels.join(" and "),
                group_label(self.criteria, id)
            )
        }
    }

    /// Whether `items` satisfy `id`'s rules: the occasions counted, or the
    /// failing rule.
    fn rules_hold(&self, items: &[usize], id: CritId) -> Result<usize, Vec<Rule>> {
        if items.is_empty() {
            return Err(Vec::new());
        }
        if !items.iter().any(|&i| self.stands_alone(i, id)) {
            return Err(vec![Rule::AloneInsufficient]);
        }
        let group = self.criteria.group_of(id);
        let mut failed = Vec::new();
        let required = &group.requires_any_method;
        if !required.is_empty()
            && !items
                .iter()
                .any(|&i| required.contains(&self.portfolio.items[i].method))
        {
            failed.push(Rule::MethodRequired);
        }
        let (uses, _) = self.occasion_uses(items, id);
        let counted = uses.iter().filter(|u| u.counted).count();
        let need = self.criteria.min_occasions(id);
        if need > 1 && counted < need {
            failed.push(Rule::MinOccasions);
        }
        if let Some(days) = group.min_span_days
            && self.span_days(&uses) < i64::from(days)
        {
            failed.push(Rule::MinSpan);
        }
        if failed.is_empty() { Ok(counted) } else { Err(failed) }
    }

    /// Days from the first to the last date of the occasions counted.
    fn span_days(&self, uses: &[OccasionUse]) -> i64 {
        let dates: Vec<Date> = uses
            .iter()
            .filter(|u| u.counted)
            .flat_map(|u| u.items.iter().map(|&i| self.portfolio.items[i].date))
            .collect();
        match (dates.iter().min(), dates.iter().max()) {
            (Some(first), Some(last)) => last.days_since_epoch() - first.days_since_epoch(),
            _ => 0,
        }
    }

    fn criterion_status(&self, id: CritId, problems: &mut Vec<Problem>) -> CriterionCoverage {
        let (portfolio, criteria) = (self.portfolio, self.criteria);
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
            required: true,
            status: Status::Missing,
            evidence: evidence.clone(),
            problems: Vec::new(),
            occasions: 0,
            occasion_uses: Vec::new(),
            unassigned: Vec::new(),
            next: None,
            decided: None,
        };
        if evidence.is_empty() {
            result.next = Some(missing_advice(id, criteria));
            return result;
        }
        let mut reasons: Vec<Rule> = evidence.iter().filter_map(|&i| self.excluded(i, id)).collect();
        let counting: Vec<usize> = evidence
            .iter()
            .copied()
            .filter(|&i| self.excluded(i, id).is_none())
            .collect();
        (result.occasion_uses, result.unassigned) = self.occasion_uses(&counting, id);
        result.occasions = result.occasion_uses.iter().filter(|u| u.counted).count();
        match self.rules_hold(&counting, id) {
            Ok(_) => {
                let accepted: Vec<usize> = counting.iter().copied().filter(|&i| self.accepted(i, id)).collect();
                if self.rules_hold(&accepted, id).is_ok() {
                    result.status = Status::Met;
                    // The strongest kind whose acceptances alone suffice.
                    result.decided = Decided::STRONGEST_FIRST.into_iter().find(|&kind| {
                        let strong: Vec<usize> = accepted
                            .iter()
                            .copied()
                            .filter(|&i| self.decision(i, id).0.is_some_and(|d| d >= kind))
                            .collect();
                        self.rules_hold(&strong, id).is_ok()
                    });
                } else {
                    result.status = Status::Claimed;
                    result.next = Some(format!("Ask your assessor to assess the evidence for {code}."));
                }
            }
            Err(failed) => {
                result.status = Status::Insufficient;
                let mut next = Vec::new();
                for rule in &failed {
                    let message = match rule {
                        Rule::AloneInsufficient => self.alone_message(&code, &counting, id),
                        Rule::MinOccasions => self.occasions_message(&code, &result, id),
                        Rule::MethodRequired => {
                            let methods: Vec<String> = criteria
                                .group_of(id)
                                .requires_any_method
                                .iter()
                                .map(|m| m.with_article())
                                .collect();
                            format!(
                                "{code} must be shown by {}, which {} requires; none of its evidence is. Add {} of you doing it.",
                                or_list(&methods),
                                group_label(criteria, id),
                                or_list(&methods)
                            )
                        }
                        Rule::MinSpan => {
                            let days = criteria.group_of(id).min_span_days.unwrap_or(0);
                            format!(
                                "{code} is shown over {} days; {} needs evidence over at least {days} days. Add evidence from an occasion further apart.",
                                self.span_days(&result.occasion_uses),
                                group_label(criteria, id)
                            )
                        }
                        _ => continue,
                    };
                    next.push(message.clone());
                    problems.push(Problem::new(*rule, message).for_criterion(fw, &criteria.criterion(id).code));
                }
                if counting.is_empty() {
                    let why: BTreeSet<&str> = reasons.iter().map(|r| exclusion_reason(*r)).collect();
                    next.push(format!(
                        "No evidence for {code} counts yet: {}.",
                        why.into_iter().collect::<Vec<_>>().join(" and ")
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

    /// The `min-occasions` message: the occasions counted and those not, and why.
    fn occasions_message(&self, code: &str, result: &CriterionCoverage, id: CritId) -> String {
        let criteria = self.criteria;
        let items = &self.portfolio.items;
        let need = criteria.min_occasions(id);
        let n = result.occasions;
        let who = if criteria.criterion(id).min_occasions.is_some() {
            code.to_string()
        } else {
            group_label(criteria, id)
        };
        let ids = |list: &[usize]| {
            list.iter()
                .map(|&i| items[i].id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut message = format!(
            "{code} is shown on {n} occasion{}; {who} needs {need}.",
            if n == 1 { "" } else { "s" },
        );
        let counted: Vec<String> = result
            .occasion_uses
            .iter()
            .filter(|u| u.counted)
            .map(|u| format!("{} ({})", self.occasions.list[u.occasion].name, ids(&u.items)))
            .collect();
        if !counted.is_empty() {
            message.push_str(&format!(" Counted: {}.", counted.join("; ")));
        }
        let better: Vec<String> = standalone_methods(id, criteria)
            .iter()
            .map(|m| m.with_article())
            .collect();
        for u in result.occasion_uses.iter().filter(|u| !u.counted) {
            message.push_str(&format!(
                " Not counted: {}: {} \u{2014} add {} of that handover.",
                self.occasions.list[u.occasion].name,
                u.reason.as_deref().unwrap_or("no item that stands on its own"),
                or_list(&better)
            ));
        }
        if !result.unassigned.is_empty() {
            message.push_str(&format!(
                " Not counted: {}, which has no occasion label and is dated on a day with several occasions \u{2014} give it occasion = \"...\".",
                ids(&result.unassigned)
            ));
        }
        let advice = &criteria.group_of(id).occasion_advice;
        if counted.len() < result.occasion_uses.len() + usize::from(!result.unassigned.is_empty()) {
            message.push_str(&format!(" Or {}", lower_first(advice)));
        } else {
            message.push(' ');
            message.push_str(advice);
        }
        message
    }

    fn alone_message(&self, code: &str, counting: &[usize], id: CritId) -> String {
        let criteria = self.criteria;
        let items = &self.portfolio.items;
        let used: BTreeSet<&str> = counting.iter().map(|&i| items[i].method.label()).collect();
        let supporting = &criteria.framework_of(id).rules.supporting_only;
        let better: Vec<&str> = standalone_methods(id, criteria).iter().map(|m| m.label()).collect();
        let better = if better.is_empty() {
            "observation, witness testimony, professional discussion or a reflective account".to_string()
        } else {
            better.join(", ")
        };
        let used = used.into_iter().collect::<Vec<_>>().join(" and ");
        if counting.iter().all(|&i| supporting.contains(&items[i].method)) {
            format!(
                "{code} is shown only by {used}, which shows a document exists, not that you applied it. Add evidence of you doing it ({better})."
            )
        } else {
            format!(
                "{code} is shown only by {used}, which {} does not list: it supports the claim but cannot show it on its own unless your assessor accepts it. Add evidence of you doing it ({better}).",
                group_label(criteria, id)
            )
        }
    }
}

/// What an exclusion means, for "No evidence for 3.1 counts yet: …".
fn exclusion_reason(rule: Rule) -> &'static str {
    match rule {
        Rule::Referred => "an item was referred",
        Rule::WitnessMissing => "a witness testimony does not name its witness and their role",
        Rule::WitnessNotIndependent => "a witness testimony is by you, not an independent witness",
        Rule::DateInFuture => "an item is dated after today",
        Rule::BeforeRegistration => "an item is dated before you were registered",
        Rule::BeforeValidFrom => "an item is dated before the standard came into use",
        Rule::SimulationNotAllowed => "an item is simulated, and this outcome needs real work",
        _ => "an item does not count",
    }
}

/// The methods listed for `id` that can show it on their own.
fn standalone_methods(id: CritId, criteria: &Criteria) -> Vec<Method> {
    let supporting = &criteria.framework_of(id).rules.supporting_only;
    criteria
        .methods(id)
        .iter()
        .copied()
        .filter(|m| !supporting.contains(m))
        .collect()
}

/// "a, b or c".
fn or_list(items: &[String]) -> String {
    match items {
        [] => "evidence of you doing it".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn missing_advice(id: CritId, criteria: &Criteria) -> String {
    let code = criteria.display_code(id);
    let methods: Vec<&str> = standalone_methods(id, criteria).iter().map(|m| m.label()).collect();
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
