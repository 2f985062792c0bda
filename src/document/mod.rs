//! The document: everything the rendered portfolio shows, in order, computed
//! once from a checked portfolio. The HTML and PDF renderers both read this
//! model (serialised, it is also the Tera template context); neither walks
//! the disk nor recomputes coverage.
//!
//! Building it is the last step that reads files: attachments are loaded
//! with the items (`items`: images embedded, other files hashed). `grid`
//! builds the mapping grid and location sheet, `frameworks` the criteria
//! section; this file puts the sections together.

mod achievement;
pub mod caseload;
pub mod cohort;
mod frameworks;
mod grid;
pub mod handover_rows;
pub mod image_size;
pub mod inline_image;
mod items;
pub mod markdown;
mod model;
mod signed;
pub mod signoff;
pub mod strip;
mod witnesses;
pub mod worth;

pub use achievement::UnitAchievement;
pub use model::*;

use frameworks::framework_doc;
use grid::grid_and_locations;
use items::item_docs;

use crate::coverage::{Summary, capitalise, group_label};
use crate::criteria::CritId;
use crate::date::Date;
use crate::report::{Checked, display_path};

/// Largest image embedded in the portfolio, in bytes; larger ones are listed
/// (so are images of more than [`image_size::MAX_IMAGE_PIXELS`]).
pub const MAX_EMBEDDED_IMAGE: u64 = 8 * 1024 * 1024;

/// An id safe in HTML and URLs: `3.2` → `3-2`.
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The appendix anchor of a criterion.
pub fn criterion_anchor(framework: &str, code: &str) -> String {
    format!("crit-{}-{}", slug(framework), slug(code))
}

/// The anchor of an item's attachment `k` (from 0) where the document
/// shows its picture: `{item anchor}-att{k + 1}`, as `item.html` writes it.
pub fn attachment_anchor(item_anchor: &str, k: usize) -> String {
    format!("{item_anchor}-att{}", k + 1)
}

/// The anchor of item `number` (from 1): stable, and unique even when two
/// ids slug alike.
pub fn item_anchor(number: usize, id: &str) -> String {
    format!("item-{number}-{}", slug(id))
}

/// The build date: `SOURCE_DATE_EPOCH` (seconds) when set and valid, else the
/// latest date in the inputs, else 1970-01-01.
pub fn build_date(c: Checked<'_>, source_date_epoch: Option<&str>) -> Date {
    if let Some(secs) = source_date_epoch.and_then(|s| s.trim().parse::<i64>().ok()) {
        return Date::from_days_since_epoch(secs.div_euclid(86_400));
    }
    latest_evidence_date(c).unwrap_or(Date {
        year: 1970,
        month: 1,
        day: 1,
    })
}

/// The latest item or decision date.
fn latest_evidence_date(c: Checked<'_>) -> Option<Date> {
    c.portfolio
        .items
        .iter()
        .flat_map(|i| std::iter::once(i.date).chain(i.assessment.as_ref().and_then(|a| a.date)))
        .max()
}

/// The cover's date, saying what it is: the latest evidence date is not a
/// build date.
fn date_row(c: Checked<'_>, build_date: Date) -> LabelledRow {
    if latest_evidence_date(c) == Some(build_date) {
        LabelledRow::new("Evidence up to", build_date.long())
    } else {
        LabelledRow::new("Compiled", build_date.long())
    }
}

impl Document {
    /// [`Document::build_from`] with the attachments read from the
    /// portfolio's folder on disk ([`crate::evidence::Portfolio::root`]).
    pub fn build(c: Checked<'_>, build_date: Date) -> Document {
        Document::build_from(c, &crate::source::DiskSource::new(&c.portfolio.root), build_date)
    }

    /// Builds the document, one section at a time in the order it is shown.
    /// Reads attachments from `files`, the portfolio's.
    pub fn build_from(c: Checked<'_>, files: &dyn crate::source::Source, build_date: Date) -> Document {
        let p = Usable::of(c);
        let frameworks: Vec<FrameworkDoc> = (0..c.criteria.frameworks.len()).map(|f| framework_doc(c, f)).collect();
        let unit = c
            .portfolio
            .settings
            .assessed
            .first()
            .map(|&f| frameworks[f].clone())
            .unwrap_or_else(|| frameworks[0].clone());
        let progress = progress(c);
        let (grid, locations) = grid_and_locations(&p);
        let gaps = gaps(c);
        let awaiting = awaiting_items(c, &p.items, &p.anchors);
        let problems = problems(&p);
        let item_docs = item_docs(&p, files);
        let settings = &c.portfolio.settings;
        let learner_name = if settings.learner.name.is_empty() {
            "learner"
        } else {
            &settings.learner.name
        };
        let qualification = c.coverage.qualification.clone();
        let headline = crate::report::Headline::of(c.coverage);
        let declaration = declaration(&p, &unit, &headline, awaiting.len());
        Document {
            title: match &qualification {
                Some(q) => format!("{} portfolio — {}", q.title, learner_name),
                None => format!("{} portfolio — {}", unit.short_title, learner_name),
            },
            qualification,
            lang: "en-GB",
            build_date,
            date_row: date_row(c, build_date),
            today: c.coverage.today,
            today_row: LabelledRow::new("Statuses as of", c.coverage.today.long()),
            learner: settings.learner.clone(),
            centre: settings.centre.clone(),
            assessor: settings.assessor.clone(),
            unit,
            complete: c.coverage.complete,
            headline,
            require: c.coverage.require,
            summary: c.coverage.summary,
            met_by: c.coverage.met_by,
            met_by_text: met_by_text(c.coverage),
            progress,
            grid,
            locations_held: locations_held(&locations, &item_docs),
            locations,
            gaps,
            awaiting,
            problems,
            reflection: c.portfolio.reflection.clone(),
            items: item_docs,
            frameworks,
            follow_ups: follow_ups(&p.items),
            decisions_note: crate::report::roster_note(c.portfolio, c.coverage),
            iqa_sampling: signed::iqa_sampling(&c.coverage.decisions, &p.items),
            witnesses: witnesses::witness_list(&p.items, &p.anchors),
            achievement: achievement::achievement(&p),
            declaration,
        }
    }
}

/// The workplace documents among the location sheet's items, once each,
/// in item order, with where they are held.
fn locations_held(locations: &[LocationRow], items: &[ItemDoc]) -> Vec<HeldDoc> {
    let shown: std::collections::BTreeSet<usize> = locations
        .iter()
        .flat_map(|r| r.entries.iter().map(|e| e.item))
        .collect();
    shown
        .into_iter()
        .filter_map(|i| items.get(i))
        .filter_map(|it| {
            Some(HeldDoc {
                number: it.number,
                title: it.title.clone(),
                anchor: it.anchor.clone(),
                held_at: it.held_at.clone()?,
            })
        })
        .collect()
}

/// "How the 7 met criteria were decided: …", or `None` when none is met.
fn met_by_text(coverage: &crate::coverage::Coverage) -> Option<String> {
    let n = coverage.summary.met;
    (n > 0).then(|| {
        format!(
            "How the {n} met {} decided: {}.",
            if n == 1 { "criterion was" } else { "criteria were" },
            coverage.met_by.sentence()
        )
    })
}

/// The checked portfolio with its usable items (the ones the document
/// shows), numbered from 1 in this order, and their anchors.
struct Usable<'a> {
    c: Checked<'a>,
    items: Vec<&'a crate::evidence::Item>,
    /// Whether each usable item's typed acceptance counts (coverage's
    /// integrity rules), in the order of `items`.
    accepted: Vec<bool>,
    anchors: Vec<String>,
}

impl<'a> Usable<'a> {
    fn of(c: Checked<'a>) -> Usable<'a> {
        let items: Vec<&crate::evidence::Item> = c.portfolio.items.iter().filter(|i| i.usable).collect();
        let accepted: Vec<bool> = (0..c.portfolio.items.len())
            .filter(|&i| c.portfolio.items[i].usable)
            .map(|i| c.coverage.accepted.get(i).copied().unwrap_or(false))
            .collect();
        let anchors: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(n, i)| item_anchor(n + 1, &i.id))
            .collect();
        Usable {
            c,
            items,
            accepted,
            anchors,
        }
    }

    /// The position of the usable item `id` in `items`.
    fn index_of(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|i| i.id == id)
    }
}

/// Progress: each group of each assessed framework, counted by status.
fn progress(c: Checked<'_>) -> Vec<GroupProgress> {
    let crit = c.criteria;
    let cov = c.coverage;
    let mut progress = Vec::new();
    for &f in &c.portfolio.settings.assessed {
        for (g, group) in crit.frameworks[f].groups.iter().enumerate() {
            let ids: Vec<CritId> = crit
                .ids()
                .filter(|id| crit.entry(*id).framework == f && crit.entry(*id).group == g)
                .collect();
            let counts = Summary::of(ids.iter().map(|id| cov.of(*id).status));
            progress.push(GroupProgress {
                percent: counts.percent(),
                framework: crit.frameworks[f].id.clone(),
                label: ids
                    .first()
                    .map(|id| capitalise(&group_label(crit, *id)))
                    .unwrap_or_default(),
                title: group.title.clone(),
                counts,
            });
        }
    }
    progress
}

/// The gaps: the criteria not yet met, with what to do next.
fn gaps(c: Checked<'_>) -> Vec<Gap> {
    let crit = c.criteria;
    c.coverage
        .gaps()
        .map(|r| {
            let fw = crit.framework_of(r.id).id.clone();
            let code = crit.criterion(r.id).code.clone();
            Gap {
                anchor: criterion_anchor(&fw, &code),
                display_code: crit.display_code(r.id),
                code,
                framework: fw,
                status: r.status,
                next: r.next.clone().unwrap_or_default(),
            }
        })
        .collect()
}

/// The problems coverage found, each with the item it is about linked.
fn problems(p: &Usable<'_>) -> Vec<ProblemDoc> {
    p.c.coverage
        .problems
        .iter()
        .map(|pr| ProblemDoc {
            rule: pr.rule,
            severity: pr.severity,
            item_anchor: pr
                .item
                .as_deref()
                .and_then(|id| p.index_of(id))
                .map(|n| p.anchors[n].clone()),
            item: pr.item.clone(),
            criterion: pr.criterion.as_ref().map(|c| c.1.clone()),
            file: pr.location.as_ref().map(|l| display_path(&l.file)),
            line: pr.location.as_ref().and_then(|l| l.line),
            message: pr.message.clone(),
            hint: pr.hint.clone(),
        })
        .collect()
}

/// The declaration: what the learner and the assessor sign, from the
/// headline and the decisions recorded.
fn declaration(
    p: &Usable<'_>,
    unit: &FrameworkDoc,
    headline: &crate::report::Headline,
    awaiting: usize,
) -> signoff::Declaration {
    let settings = &p.c.portfolio.settings;
    signoff::declaration(&signoff::SignOffFacts {
        learner: &settings.learner.name,
        assessor: &settings.assessor.name,
        unit: format!("{}: {}", unit.short_title, unit.title),
        headline,
        decisions: p
            .items
            .iter()
            .filter_map(|i| i.assessment.as_ref())
            .map(|a| (a.decision, a.by.as_deref(), a.date))
            .collect(),
        awaiting,
    })
}

/// The usable items without a counting acceptance that assessed `claimed`
/// criteria wait on, in item order: each with the criteria its acceptance
/// would count for (not those it only supports).
fn awaiting_items(c: Checked<'_>, items: &[&crate::evidence::Item], anchors: &[String]) -> Vec<AwaitingItem> {
    let cov = c.coverage;
    let mut out = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let Some(e) = c.portfolio.items.iter().position(|i| std::ptr::eq(i, *item)) else {
            continue;
        };
        // An acceptance counts for the criteria it decides: one naming 3.1
        // leaves the item awaiting a decision for 3.2.
        let criteria: Vec<String> = cov
            .criteria
            .iter()
            .filter(|r| r.assessed && r.status == crate::coverage::Status::Claimed && r.evidence.contains(&e))
            .filter(|r| !cov.decision_for(c.criteria, e, r.id).0)
            // Only where accepting it would count (issue 29: the gaps page
            // suggested deciding on a workplace document that, supporting
            // only, could never settle the criterion).
            .filter(|r| worth::worth(c.criteria, r, item, e, false) == worth::Worth::Awaiting)
            .map(|r| c.criteria.display_code(r.id))
            .collect();
        if criteria.is_empty() {
            continue;
        }
        let text = format!(
            "Awaiting an assessor's decision for {}.",
            crate::report::headline::and_list(&criteria)
        );
        out.push(AwaitingItem {
            id: item.id.clone(),
            number: n + 1,
            title: item.title.clone(),
            anchor: anchors[n].clone(),
            method: item.method.label().to_string(),
            criteria,
            text,
        });
    }
    out
}

/// One follow-up per reminder and per action deadline of every handover
/// record, sorted by date.
fn follow_ups(items: &[&crate::evidence::Item]) -> Vec<FollowUp> {
    let mut out = Vec::new();
    for item in items {
        let Some(h) = &item.handover else { continue };
        let whom =
            h.to.as_ref()
                .and_then(|t| t.name.clone().or(t.role.clone()).or(t.team.clone()));
        let context = format!(
            "From evidence item {} \"{}\" ({}).",
            item.id,
            item.title,
            display_path(&item.path)
        );
        if let Some(date) = h.reminder.as_ref().and_then(|r| r.date) {
            let how = h
                .reminder
                .as_ref()
                .and_then(|r| r.how.clone())
                .map(|h| format!(" Set as: {h}."))
                .unwrap_or_default();
            out.push(FollowUp {
                item_id: item.id.clone(),
                key: "reminder".into(),
                summary: match &whom {
                    Some(w) => format!("Check the actions handed to {w} are done"),
                    None => "Check the handed-over actions are done".into(),
                },
                due: date,
                description: format!("{context}{how}"),
            });
        }
        for (kind, list) in [("action", &h.actions), ("further", &h.further_actions)] {
            for (n, a) in list.iter().enumerate() {
                let Some(due) = a.due else { continue };
                out.push(FollowUp {
                    item_id: item.id.clone(),
                    key: format!("{kind}-{}", n + 1),
                    summary: match &a.owner {
                        Some(o) => format!("{o}: {}", a.action),
                        None => a.action.clone(),
                    },
                    due,
                    description: context.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| (a.due, &a.item_id, &a.key).cmp(&(b.due, &b.item_id, &b.key)));
    out
}
