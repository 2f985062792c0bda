//! Rules about one item on its own: `witness-missing`, `referred`,
//! `date-in-future`, `method-not-listed`, `location-missing`,
//! `over-mapped`, `handover-incomplete` and `personal-data`.

use super::{capitalise, group_label, group_name};
use crate::criteria::{CritId, Criteria};
use crate::date::Date;
use crate::diagnostic::{Location, Problem, Rule};
use crate::evidence::{Decision, Item};
use std::collections::BTreeSet;
use std::path::Path;

/// Rules about one item on its own.
/// `accepted`: the item carries an acceptance that counts.
pub(super) fn item_rules(item: &Item, criteria: &Criteria, today: Date, accepted: bool, problems: &mut Vec<Problem>) {
    let at = |line: usize| Location::at(&item.path, line, 1);
    if item.method.is_testimony() && !item.witness.as_ref().is_some_and(|w| w.is_named()) {
        let message = match &item.witness {
            Some(w) if w.name.is_some() => {
                "This witness testimony does not give the witness's role; it does not count until it does."
            }
            Some(w) if w.role.is_some() => {
                "This witness testimony does not give the witness's name; it does not count until it does."
            }
            _ => "This witness testimony does not name its witness; it does not count until it does.",
        };
        problems.push(
            Problem::new(Rule::WitnessMissing, message)
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
                format!(
                    "The item is dated {}, after today ({today}): it records something that has not happened yet, so it does not count.",
                    item.date
                ),
            )
            .at(at(item.lines.date))
            .for_item(&item.id)
            .with_hint("check the date: evidence records something that has happened"),
        );
    }
    method_not_listed(item, criteria, accepted, problems);
    simulation_not_allowed(item, criteria, problems);
    location_missing(item, criteria, problems);
    over_mapped(item, criteria, problems);
    handover_incomplete(item, criteria, problems);
}

/// `personal-data`: what looks like a customer's details in the item's
/// text. The warning says which kind and where, never the value.
pub(super) fn personal_data(item: &Item, scanner: &crate::privacy::Scanner, problems: &mut Vec<Problem>) {
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
pub(super) fn scan_text(
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
pub(super) fn handover_incomplete(item: &Item, criteria: &Criteria, problems: &mut Vec<Problem>) {
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

/// `location-missing`: a * document neither attached nor said to be held
/// somewhere ("with reference made to where it can be found").
pub(super) fn location_missing(item: &Item, criteria: &Criteria, problems: &mut Vec<Problem>) {
    if !item.attachments.is_empty() || item.held_at.is_some() {
        return;
    }
    let supporting = item.tags.iter().any(|t| {
        criteria
            .framework_of(t.criterion)
            .rules
            .supporting_only
            .contains(&item.method)
    });
    if !supporting {
        return;
    }
    problems.push(
        Problem::new(
            Rule::LocationMissing,
            format!(
                "This {} is neither attached nor said to be held anywhere: an assessor must be able to find it.",
                item.method.label()
            ),
        )
        .at(Location::at(&item.path, item.lines.method, 1))
        .for_item(&item.id)
        .with_hint("attach a copy (attachments = [\"attachments/...\"]) or say where it is kept: held_at = \"Team SharePoint, Policies folder\""),
    );
}

pub(super) fn method_not_listed(item: &Item, criteria: &Criteria, accepted: bool, problems: &mut Vec<Problem>) {
    let mut seen = BTreeSet::new();
    for tag in &item.tags {
        let e = criteria.entry(tag.criterion);
        let methods = criteria.methods(tag.criterion);
        let own = criteria.criterion(tag.criterion).methods.is_some();
        // One warning per list: the group's, or a criterion's own.
        let key = (e.framework, e.group, own.then_some(e.criterion));
        if methods.is_empty() || methods.contains(&item.method) || !seen.insert(key) {
            continue;
        }
        let listed: Vec<&str> = methods.iter().map(|m| m.label()).collect();
        let who = if own {
            criteria.display_code(tag.criterion)
        } else {
            group_label(criteria, tag.criterion)
        };
        problems.push(
            Problem::new(
                Rule::MethodNotListed,
                format!(
                    "{} is not among the methods {who} lists ({}); {}",
                    capitalise(item.method.label()),
                    listed.join(", "),
                    if accepted {
                        format!(
                            "your assessor accepted it, so it counts for {}.",
                            criteria.display_code(tag.criterion)
                        )
                    } else {
                        format!(
                            "it supports {} but cannot show it on its own unless your assessor accepts it.",
                            criteria.display_code(tag.criterion)
                        )
                    },
                ),
            )
            .at(Location::at(&item.path, item.lines.method, 1))
            .for_item(&item.id)
            .with_hint("check with your assessor that this method suits the outcome"),
        );
    }
}

/// `simulation-not-allowed`: a simulated item tagged with criteria of an
/// outcome that must be assessed in real work.
pub(super) fn simulation_not_allowed(item: &Item, criteria: &Criteria, problems: &mut Vec<Problem>) {
    if !item.is_simulated() {
        return;
    }
    let codes: Vec<String> = item
        .criteria()
        .into_iter()
        .filter(|id| criteria.group_of(*id).real_work_only)
        .map(|id| criteria.display_code(id))
        .collect();
    if codes.is_empty() {
        return;
    }
    problems.push(
        Problem::new(
            Rule::SimulationNotAllowed,
            format!(
                "This item is simulated, and {} must be shown in real work: it does not count for {}.",
                codes.join(", "),
                if codes.len() == 1 { "it" } else { "them" }
            ),
        )
        .at(Location::at(&item.path, item.lines.method, 1))
        .for_item(&item.id)
        .with_hint("add evidence of the same from your workplace; keep this item for the knowledge it shows"),
    );
}

pub(super) fn over_mapped(item: &Item, criteria: &Criteria, problems: &mut Vec<Problem>) {
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
            // By share: only where an assessor would doubt it, i.e. several
            // criteria of a skills outcome (not a knowledge one, which one
            // account or question set is meant to cover) in one item.
            for (g, group) in fw.groups.iter().enumerate() {
                if fw
                    .rules
                    .over_mapped_exempt_kinds
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(&group.kind))
                {
                    continue;
                }
                let n = in_fw.iter().filter(|id| criteria.entry(**id).group == g).count();
                let limit = group.criteria.len() as f64 * fw.rules.over_mapped_max_group_share;
                if n > 1 && n >= fw.rules.over_mapped_min_group && n as f64 > limit {
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
