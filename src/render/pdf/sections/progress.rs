//! The progress summary: criteria counted by status, unit by unit.

use super::{SectionContext, header_cells, para, section, status_color, style};
use crate::coverage::Status;
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{Align, BLACK, Flow, Span, TEXT_W, Table};
use crate::render::pdf::markdown::BODY;

pub(super) fn progress(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    let d = c.doc;
    section(flow, "Progress", "progress");
    let s = &d.summary;
    para(
        flow,
        &format!(
            "{} assessed criteria: {} met, {} claimed, {} insufficient, {} missing. A criterion is met when accepted evidence satisfies the rules, claimed when the evidence awaits assessment.",
            s.total, s.met, s.claimed, s.insufficient, s.missing
        ),
        style(Face::Regular, BODY),
    );
    flow.space(8.0);
    let size = 9.0;
    let labels = ["Outcome", "Title", "Met", "Claimed", "Insufficient", "Missing", "Total"];
    let nums = [46.0, 54.0, 68.0, 54.0, 46.0];
    let first = 72.0;
    let mut widths = vec![first, TEXT_W - first - nums.iter().sum::<f32>()];
    widths.extend(nums);
    let mut t = Table {
        widths,
        ..Table::default()
    };
    t.header = header_cells(flow, &t, &labels, size);
    for cell in &mut t.header[2..] {
        cell.align = Align::Right;
    }
    for p in &d.progress {
        let mut row = vec![
            t.cell(flow.fonts, 0, &[Span::new(p.label.clone(), style(Face::Bold, size))]),
            t.cell(flow.fonts, 1, &[Span::new(p.title.clone(), style(Face::Regular, size))]),
        ];
        for (i, (n, status)) in [
            (p.counts.met, Some(Status::Met)),
            (p.counts.claimed, Some(Status::Claimed)),
            (p.counts.insufficient, Some(Status::Insufficient)),
            (p.counts.missing, Some(Status::Missing)),
            (p.counts.total, None),
        ]
        .into_iter()
        .enumerate()
        {
            let color = status.filter(|_| n > 0).map_or(BLACK, status_color);
            let mut cell = t.cell(
                flow.fonts,
                i + 2,
                &[Span::new(n.to_string(), style(Face::Bold, size).color(color))],
            );
            cell.align = Align::Right;
            row.push(cell);
        }
        t.rows.push(row);
    }
    flow.table(&t);
}
