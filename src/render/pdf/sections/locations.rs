//! The evidence location table: where each criterion's evidence is, by item and page.

use super::grid::worth_color;
use super::{SectionContext, header_cells, para, section, status_color, style};
use crate::coverage::Status;
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{Cell, Flow, GREY, LINK, Link, Span, TEXT_W, Table};

pub(super) fn locations(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    let d = c.doc;
    section(flow, "Evidence location table", "locations");
    para(
        flow,
        "For each criterion, the evidence items that show it, their method and date, the assessor's decision (with the grid's mark), the occasion for criteria that need several, and where each is in this portfolio; documents kept at the workplace say where they are held.",
        style(Face::Regular, 9.0),
    );
    flow.space(6.0);
    let size = 8.0;
    // Criterion and title wrap; method, date and page stay narrow.
    let date_w =
        flow.fonts.width(Face::Regular, size, "2026-00-00") + 2.0 * crate::render::pdf::layout::CELL_PAD_X + 2.0;
    let fixed = [92.0, 100.0, 66.0, date_w, 80.0];
    let mut widths = fixed.to_vec();
    widths.push(TEXT_W - fixed.iter().sum::<f32>());
    let mut t = Table {
        widths,
        ..Table::default()
    };
    let header = header_cells(
        flow,
        &t,
        &["Criterion", "Evidence item", "Method", "Date", "Decision", "Where"],
        size,
    );
    let mut first = true;
    for row in &d.locations {
        let crit = |continued: bool| {
            let mut v = vec![Span::new(format!("{} ", row.display_code), style(Face::Bold, size))];
            if continued {
                v.push(Span::new("(continued)", style(Face::Italic, size).color(GREY)));
            } else {
                v.push(Span::new(row.text.clone(), style(Face::Regular, size)));
            }
            v
        };
        let cells: Vec<[Vec<Span>; 6]> = if row.entries.is_empty() {
            vec![[
                crit(false),
                vec![Span::new(
                    "No evidence yet",
                    style(Face::Italic, size).color(status_color(Status::Missing)),
                )],
                vec![],
                vec![],
                vec![],
                vec![],
            ]]
        } else {
            row.entries
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let doc_item = &d.items[e.item];
                    // "Item 3, page 7", the number filled in after layout.
                    let link = Some(Link::Anchor(e.anchor.clone()));
                    let mut where_ = vec![
                        Span::new(
                            format!("Item {}, page ", doc_item.number),
                            style(Face::Regular, size).color(LINK),
                        )
                        .link(link.clone()),
                        Span::page_of(&e.anchor, style(Face::Regular, size).color(LINK)).link(link),
                    ];
                    if let Some(h) = &e.held_at {
                        where_.push(Span::new(format!("\nHeld at: {h}"), style(Face::Regular, size)));
                    }
                    let mut decision = vec![
                        Span::new(
                            format!("{} ", e.worth_mark),
                            style(Face::Bold, size).color(worth_color(e.worth)),
                        ),
                        Span::new(e.decision.clone(), style(Face::Regular, size)),
                    ];
                    if let Some(o) = &e.occasion {
                        decision.push(Span::new(
                            format!("\nOccasion: {o}"),
                            style(Face::Regular, size).color(GREY),
                        ));
                    }
                    [
                        if i == 0 { crit(false) } else { vec![] },
                        vec![Span::new(
                            format!("{}. {}", doc_item.number, e.title),
                            style(Face::Regular, size),
                        )],
                        vec![Span::new(e.method.clone(), style(Face::Regular, size))],
                        vec![Span::new(e.date.to_string(), style(Face::Regular, size))],
                        decision,
                        where_,
                    ]
                })
                .collect()
        };
        for (i, spans) in cells.iter().enumerate() {
            let mut r: Vec<Cell> = spans
                .iter()
                .enumerate()
                .map(|(k, s)| t.cell(flow.fonts, k, s))
                .collect();
            let h = r
                .iter()
                .map(|c| c.lines.iter().map(|l| l.height).sum::<f32>())
                .fold(0.0, f32::max)
                + 2.0 * crate::render::pdf::layout::CELL_PAD_Y;
            let header_h = header
                .iter()
                .map(|c| c.lines.iter().map(|l| l.height).sum::<f32>())
                .fold(0.0, f32::max)
                + 2.0 * crate::render::pdf::layout::CELL_PAD_Y;
            let fits_a_page =
                h + header_h <= crate::render::pdf::layout::BODY_BOTTOM - crate::render::pdf::layout::BODY_TOP;
            let breaks = !first && fits_a_page && flow.y + h > crate::render::pdf::layout::BODY_BOTTOM;
            if breaks {
                flow.page_break();
            }
            // A row continued on a new page repeats its criterion label.
            if breaks && i > 0 {
                r[0] = t.cell(flow.fonts, 0, &crit(true));
            }
            t.header = if first || breaks { header.clone() } else { Vec::new() };
            t.rows = vec![r];
            flow.table(&t);
            first = false;
        }
    }
}
