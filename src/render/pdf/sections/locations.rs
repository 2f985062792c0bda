//! The evidence location sheet, as compact as the awarding bodies' form: one
//! row per assessed criterion with its status and, in one cell, each item
//! that shows it with its page and the assessor's decision; then where the
//! documents kept at the workplace are held, once per item.

use super::grid::worth_color;
use super::{SectionContext, header_cells, para, section, status_color, style};
use crate::coverage::Status;
use crate::document::Document;
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{Flow, GREY, LINK, Link, Span, TEXT_W, Table};

const SIZE: f32 = 8.0;

/// "Item 3, page 7", linked to the item; the number filled in after layout.
fn item_page(anchor: &str, number: usize) -> Vec<Span> {
    let link = Some(Link::Anchor(anchor.to_string()));
    vec![
        Span::new(format!("Item {number}, page "), style(Face::Regular, SIZE).color(LINK)).link(link.clone()),
        Span::page_of(anchor, style(Face::Regular, SIZE).color(LINK)).link(link),
    ]
}

/// The evidence cell of a criterion: one line (wrapping) per item, "● accepted,
/// 3 March 2026 — Item 5, page 13".
fn evidence_cell(d: &Document, row: &crate::document::LocationRow) -> Vec<Span> {
    if row.entries.is_empty() {
        return vec![Span::new(
            "No evidence yet",
            style(Face::Italic, SIZE).color(status_color(Status::Missing)),
        )];
    }
    let mut spans = Vec::new();
    for (i, e) in row.entries.iter().enumerate() {
        let number = d.items.get(e.item).map_or(e.item + 1, |it| it.number);
        spans.push(Span::new(
            format!("{}{} ", if i > 0 { "\n" } else { "" }, e.worth_mark),
            style(Face::Bold, SIZE).color(worth_color(e.worth)),
        ));
        spans.push(Span::new(e.decision.clone(), style(Face::Regular, SIZE)));
        if let Some(o) = &e.occasion {
            spans.push(Span::new(
                format!("; occasion {o}"),
                style(Face::Regular, SIZE).color(GREY),
            ));
        }
        // The page last: its number is filled in after layout, in room
        // reserved for four digits.
        spans.push(Span::new(" — ", style(Face::Regular, SIZE)));
        spans.extend(item_page(&e.anchor, number));
    }
    spans
}

pub(super) fn locations(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    let d = c.doc;
    section(flow, "Evidence location table", "locations");
    para(
        flow,
        "For each criterion assessed: its status, and each evidence item that shows it with the page it starts on and the assessor's decision (with the grid's mark); for criteria that need several occasions, the occasion. Documents kept at the workplace are listed after the table with where they are held.",
        style(Face::Regular, 9.0),
    );
    flow.space(6.0);
    let status_w =
        flow.fonts.width(Face::Bold, SIZE, "insufficient") + 2.0 * crate::render::pdf::layout::CELL_PAD_X + 2.0;
    let crit_w = ((TEXT_W - status_w) * 0.46).floor();
    let mut t = Table {
        widths: vec![crit_w, status_w, TEXT_W - status_w - crit_w],
        ..Table::default()
    };
    t.header = header_cells(
        flow,
        &t,
        &["Criterion", "Status", "Evidence: item, page and decision"],
        SIZE,
    );
    for row in &d.locations {
        let crit = [
            Span::new(format!("{} ", row.display_code), style(Face::Bold, SIZE)),
            Span::new(row.text.clone(), style(Face::Regular, SIZE)),
        ];
        let status = [Span::new(
            row.status.word(),
            style(Face::Bold, SIZE).color(status_color(row.status)),
        )];
        let cells = vec![
            t.cell(flow.fonts, 0, &crit),
            t.cell(flow.fonts, 1, &status),
            t.cell(flow.fonts, 2, &evidence_cell(d, row)),
        ];
        t.rows.push(cells);
    }
    flow.table(&t);

    if d.locations_held.is_empty() {
        return;
    }
    flow.space(10.0);
    para(
        flow,
        "Where documents kept at the workplace are held",
        style(Face::Bold, 9.0),
    );
    flow.space(4.0);
    let item_w = flow.fonts.width(Face::Regular, SIZE, "Item 00, page 0000")
        + 2.0 * crate::render::pdf::layout::CELL_PAD_X
        + 2.0;
    let mut h = Table {
        widths: vec![item_w, TEXT_W - item_w],
        ..Table::default()
    };
    h.header = header_cells(flow, &h, &["Item", "Held at"], SIZE);
    for it in &d.locations_held {
        let cells = vec![
            h.cell(flow.fonts, 0, &item_page(&it.anchor, it.number)),
            h.cell(
                flow.fonts,
                1,
                &[
                    Span::new(format!("{}: ", it.title), style(Face::Italic, SIZE)),
                    Span::new(it.held_at.clone(), style(Face::Regular, SIZE)),
                ],
            ),
        ];
        h.rows.push(cells);
    }
    flow.table(&h);
}
