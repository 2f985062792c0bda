//! An item's handover record, as a two-column table.

use super::{header_cells, para, style};
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{Flow, GREY, Span, TEXT_W, Table};

/// The rows of a handover record, worded once in the document model for
/// both renderers.
pub fn handover_rows(h: &crate::handover::Handover) -> Vec<(String, String)> {
    crate::document::handover_rows::rows(h)
        .into_iter()
        .map(|r| (r.label, r.value))
        .collect()
}

/// The handover record: a heading, what it was for, and a two-column table.
pub(super) fn handover(flow: &mut Flow<'_>, h: &crate::handover::Handover) {
    let size = 9.0;
    flow.heading(&[Span::new("Handover record", style(Face::Bold, 11.0))], 8.0, 3.0, 40.0);
    let caption = match &h.reason {
        Some(r) => format!("The handover as recorded: {r}"),
        None => "The handover as recorded".to_string(),
    };
    para(flow, &caption, style(Face::Italic, 8.5).color(GREY));
    flow.space(3.0);
    let rows = handover_rows(h);
    let label_w = rows
        .iter()
        .map(|(l, _)| flow.fonts.width(Face::Bold, size, l))
        .fold(flow.fonts.width(Face::Bold, size, "Part"), f32::max)
        + 2.0 * crate::render::pdf::layout::CELL_PAD_X
        + 4.0;
    let mut t = Table {
        widths: vec![label_w, TEXT_W - flow.indent - label_w],
        ..Table::default()
    };
    t.header = header_cells(flow, &t, &["Part", "As recorded"], size);
    for (label, text) in &rows {
        t.rows.push(vec![
            t.cell(
                flow.fonts,
                0,
                &[Span::new(label.clone(), style(Face::Bold, size).color(GREY))],
            ),
            t.cell(flow.fonts, 1, &[Span::new(text.clone(), style(Face::Regular, size))]),
        ]);
    }
    flow.table(&t);
}
