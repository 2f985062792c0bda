//! The qualification's units and rules of combination, when there is one.

use super::{SectionContext, header_cells, para, section, style};
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{Flow, Span, TEXT_W, Table};
use crate::render::pdf::markdown::BODY;

/// The qualification's units and rules of combination, when there is one.
pub(super) fn qualification(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    let Some(q) = &c.doc.qualification else { return };
    section(flow, &format!("Qualification: {}", q.title), "qualification");
    let mut line = String::new();
    if !q.reference.is_empty() {
        line.push_str(&format!("{} · ", q.reference));
    }
    line.push_str(&format!("Credits: {} of at least {}", q.credits, q.total_credits));
    for g in &q.groups {
        line.push_str(&format!(" · {}: {} of at least {}", g.name, g.credits, g.min_credits));
    }
    line.push_str(if q.combination_ok {
        ". The units chosen meet the rules of combination."
    } else {
        ". The units chosen do not yet meet the rules of combination."
    });
    para(flow, &line, style(Face::Regular, BODY));
    flow.space(6.0);
    let size = 9.0;
    let nums = [48.0, 86.0, 30.0, 50.0, 26.0, 60.0];
    let first = 58.0;
    let mut widths = vec![first, TEXT_W - first - nums.iter().sum::<f32>()];
    widths.extend(nums);
    let mut t = Table {
        widths,
        ..Table::default()
    };
    t.header = header_cells(
        flow,
        &t,
        &["Unit", "Title", "Credits", "Group", "Met", "Claimed", "Of", "Complete"],
        size,
    );
    for u in &q.units {
        let cells = [
            (u.short_title.clone(), Face::Bold),
            (u.title.clone(), Face::Regular),
            (
                u.credit.map_or_else(|| "–".to_string(), |c| c.to_string()),
                Face::Regular,
            ),
            (u.group.clone(), Face::Regular),
            (u.summary.met.to_string(), Face::Regular),
            (u.summary.claimed.to_string(), Face::Regular),
            (u.summary.total.to_string(), Face::Regular),
            ((if u.complete { "yes" } else { "not yet" }).to_string(), Face::Regular),
        ];
        let row = cells
            .into_iter()
            .enumerate()
            .map(|(i, (text, face))| t.cell(flow.fonts, i, &[Span::new(text, style(face, size))]))
            .collect();
        t.rows.push(row);
    }
    flow.table(&t);
}
