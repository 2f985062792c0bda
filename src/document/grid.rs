//! The mapping grid (criteria down, items across, each mark by what the
//! evidence is worth) and the evidence location table (for each criterion,
//! where its evidence is), built together, row by row.

use super::{
    Grid, GridColumn, GridMark, GridRow, LocationEntry, LocationRow, Usable, criterion_anchor, markdown, worth,
};
use crate::criteria::CritId;

/// The mapping grid and the evidence location table, row by row: one row
/// of each per criterion, with the items that evidence it.
pub(super) fn grid_and_locations(p: &Usable<'_>) -> (Grid, Vec<LocationRow>) {
    let c = p.c;
    let crit = c.criteria;
    let cov = c.coverage;
    let (items, anchors) = (&p.items, &p.anchors);
    // Where in each item each criterion is shown: the paragraph of its
    // first [[code]], else the item.
    let para_targets: Vec<Vec<(CritId, String)>> = items
        .iter()
        .enumerate()
        .map(|(n, item)| {
            markdown::references(&item.body)
                .into_iter()
                .filter_map(|(code, para)| {
                    let id = crit.resolve_preferring(&code, &c.portfolio.settings.assessed).ok()?;
                    Some((
                        id,
                        para.map_or_else(|| anchors[n].clone(), |p| format!("{}-p{p}", anchors[n])),
                    ))
                })
                .collect()
        })
        .collect();
    let target = |n: usize, id: CritId| -> String {
        para_targets[n]
            .iter()
            .find(|(c, _)| *c == id)
            .map_or_else(|| anchors[n].clone(), |(_, t)| t.clone())
    };

    let columns = items
        .iter()
        .enumerate()
        .map(|(n, i)| GridColumn {
            id: i.id.clone(),
            number: n + 1,
            title: i.title.clone(),
            anchor: anchors[n].clone(),
        })
        .collect();
    let mut rows = Vec::new();
    let mut locations = Vec::new();
    for r in &cov.criteria {
        let id = r.id;
        let fw = crit.framework_of(id).id.clone();
        let code = crit.criterion(id).code.clone();
        let sources: Vec<CritId> = std::iter::once(id)
            .chain(crit.mapped_from[id.0].iter().copied())
            .collect();
        let mut cells = vec![None; items.len()];
        let mut entries = Vec::new();
        for &e in &r.evidence {
            let Some(n) = p.index_of(&c.portfolio.items[e].id) else {
                continue;
            };
            let item = items[n];
            let direct = item.tags.iter().any(|t| t.criterion == id);
            let via = if direct {
                id
            } else {
                sources
                    .iter()
                    .copied()
                    .find(|s| item.tags.iter().any(|t| t.criterion == *s))
                    .unwrap_or(id)
            };
            let (accepted, referred) = cov.decision_for(crit, e, id);
            let w = if referred {
                worth::Worth::Referred
            } else {
                worth::worth(crit, r, item, e, accepted)
            };
            cells[n] = Some(GridMark {
                target: target(n, via),
                item: n,
                direct,
                worth: w,
                mark: w.mark(),
            });
            let decision = match (w, item.assessment.as_ref().and_then(|a| a.date)) {
                (worth::Worth::Accepted | worth::Worth::Referred, Some(d)) => {
                    format!("{}, {}", w.decision_words(), d.long())
                }
                _ => w.decision_words().to_string(),
            };
            let occasion = (crit.group_of(id).min_occasions > 1)
                .then(|| {
                    r.occasion_uses.iter().find(|u| u.items.contains(&e)).map(|u| {
                        let name = cov.occasions.list.get(u.occasion).map_or("", |o| o.name.as_str());
                        if u.counted {
                            format!("{name}, counted")
                        } else {
                            format!("{name}, not counted")
                        }
                    })
                })
                .flatten();
            entries.push(LocationEntry {
                item: n,
                id: item.id.clone(),
                title: item.title.clone(),
                method: item.method.label().to_string(),
                date: item.date,
                anchor: anchors[n].clone(),
                held_at: item.held_at.clone(),
                worth: w,
                worth_mark: w.mark(),
                decision,
                occasion,
            });
        }
        let first = crit.entry(id).group == 0 && crit.entry(id).criterion == 0;
        let fw_info = crit.framework_of(id);
        rows.push(GridRow {
            starts_framework: first.then(|| {
                format!(
                    "{} {}{}",
                    fw_info.short_title,
                    fw_info.title,
                    if r.assessed { "" } else { " (for information)" }
                )
            }),
            code: code.clone(),
            display_code: crit.display_code(id),
            framework: fw.clone(),
            assessed: r.assessed,
            anchor: criterion_anchor(&fw, &code),
            status: r.status,
            decided: r.decided,
            decided_text: r.decided.map_or("", crate::decisions::Decided::short),
            cells,
        });
        // The location sheet, as the awarding bodies' form, lists the
        // criteria the portfolio assesses: a standard mapped "for
        // information" is in the grid only.
        if !r.assessed {
            continue;
        }
        locations.push(LocationRow {
            code,
            display_code: crit.display_code(id),
            framework: fw,
            text: crit.criterion(id).text.clone(),
            status: r.status,
            entries,
        });
    }
    (
        Grid {
            columns,
            rows,
            legend: worth::legend(),
        },
        locations,
    )
}
