//! The mapping grid: criteria down, items across, in chunks of [`GRID_CHUNK`] columns, with its legend.

use super::{SectionContext, header_cells, para, plain_table, section, status_color, status_fill, style};
use crate::coverage::Status;
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{Align, Cell, Flow, GREY, Link, Rgb, Span, TEXT_W, Table};
use crate::render::pdf::markdown::BODY;

/// Item columns per chunk of the mapping grid.
pub const GRID_CHUNK: usize = 20;

pub(super) fn grid(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    let d = c.doc;
    section(flow, "Mapping grid", "grid");
    let cols = &d.grid.columns;
    para(
        flow,
        "Criteria down, evidence items across. Each mark says what the item is worth for the criterion and links to the paragraph that shows it; a grey mark counts through the unit-to-standard mapping. Beside each met, how it was decided: signed, verified (the assessor's signature, checked against the centre's roster); signed, unverified (a good signature, no roster given); typed (an [assessment] typed into the evidence file, which anyone who can edit it could type).",
        style(Face::Regular, 9.0),
    );
    flow.space(4.0);
    grid_legend(flow, c);
    flow.space(6.0);
    para(flow, "The items are numbered as follows:", style(Face::Regular, 9.0));
    flow.space(4.0);
    // The key: number and title of each column.
    let number_w = 24.0;
    let mut key = Table {
        widths: vec![number_w, TEXT_W - number_w],
        ..Table::default()
    };
    for col in cols {
        key.rows.push(vec![
            key.cell(
                flow.fonts,
                0,
                &[Span::new(col.number.to_string(), style(Face::Bold, 8.5))],
            ),
            key.cell(
                flow.fonts,
                1,
                &[
                    Span::new(col.title.clone(), style(Face::Regular, 8.5))
                        .link(Some(Link::Anchor(col.anchor.clone()))),
                ],
            ),
        ]);
    }
    plain_table(flow, &key);
    flow.space(10.0);
    if cols.is_empty() {
        para(flow, "No usable evidence items yet.", style(Face::Italic, BODY));
        return;
    }
    let size = 8.0;
    let code_w = 62.0;
    let status_w = 58.0;
    let chunks: Vec<&[crate::document::GridColumn]> = cols.chunks(GRID_CHUNK).collect();
    for (ci, chunk) in chunks.iter().enumerate() {
        let start = ci * GRID_CHUNK;
        if chunks.len() > 1 {
            flow.heading(
                &[Span::new(
                    format!("Items {} to {}", start + 1, start + chunk.len()),
                    style(Face::Bold, 11.0),
                )],
                6.0,
                4.0,
                60.0,
            );
        }
        let mark_w = ((TEXT_W - code_w - status_w) / chunk.len() as f32).min(30.0);
        let mut widths = vec![code_w, status_w];
        widths.extend(std::iter::repeat_n(mark_w, chunk.len()));
        let mut t = Table {
            widths,
            ..Table::default()
        };
        let mut header = header_cells(flow, &t, &["Criterion", "Status"], size);
        for (i, col) in chunk.iter().enumerate() {
            let mut cell = t.cell(
                flow.fonts,
                i + 2,
                &[Span::new(col.number.to_string(), style(Face::Bold, size))
                    .link(Some(Link::Anchor(col.anchor.clone())))],
            );
            cell.align = Align::Center;
            header.push(cell);
        }
        t.header = header;
        for row in &d.grid.rows {
            let code_style = if row.assessed {
                style(Face::Bold, size)
            } else {
                style(Face::Regular, size).color(GREY)
            };
            let mut cells = vec![
                t.cell(
                    flow.fonts,
                    0,
                    &[Span::new(row.display_code.clone(), code_style).link(Some(Link::Anchor(row.anchor.clone())))],
                ),
                // A framework the portfolio does not assess is shown for
                // information: grey, unfilled, and saying so on every row.
                Cell {
                    fill: row.assessed.then(|| status_fill(row.status)),
                    ..t.cell(
                        flow.fonts,
                        1,
                        &[
                            Span::new(
                                row.status.word(),
                                style(Face::Regular, size).color(if row.assessed {
                                    status_color(row.status)
                                } else {
                                    GREY
                                }),
                            ),
                            Span::new(
                                if !row.assessed {
                                    " for information".to_string()
                                } else if row.decided_text.is_empty() {
                                    String::new()
                                } else {
                                    format!(" {}", row.decided_text)
                                },
                                style(Face::Regular, size - 1.5).color(GREY),
                            ),
                        ],
                    )
                },
            ];
            for (i, mark) in row.cells[start..start + chunk.len()].iter().enumerate() {
                let spans = match mark {
                    Some(m) => vec![
                        Span::new(
                            m.mark,
                            style(Face::Bold, size + 1.0).color(if m.direct {
                                worth_color(m.worth)
                            } else {
                                Rgb(0.6, 0.6, 0.62)
                            }),
                        )
                        .link(Some(Link::Anchor(m.target.clone()))),
                    ],
                    None => vec![],
                };
                let mut cell = t.cell(flow.fonts, i + 2, &spans);
                cell.align = Align::Center;
                cells.push(cell);
            }
            t.rows.push(cells);
        }
        flow.table(&t);
        flow.space(10.0);
    }
}

/// The colour of a grid mark.
pub(super) fn worth_color(w: crate::document::worth::Worth) -> Rgb {
    use crate::document::worth::Worth;
    match w {
        Worth::Accepted => status_color(Status::Met),
        Worth::Awaiting => status_color(Status::Claimed),
        Worth::SupportingOnly => status_color(Status::Insufficient),
        Worth::Referred => status_color(Status::Missing),
        Worth::NotCounted => GREY,
    }
}

/// The marks of the grid and what each means, from the document's legend.
fn grid_legend(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    let size = 9.0;
    let mut t = Table {
        widths: vec![18.0, TEXT_W - 18.0],
        ..Table::default()
    };
    for l in &c.doc.grid.legend {
        t.rows.push(vec![
            t.cell(
                flow.fonts,
                0,
                &[Span::new(
                    l.mark,
                    style(Face::Bold, size + 1.0).color(worth_color(l.worth)),
                )],
            ),
            t.cell(flow.fonts, 1, &[Span::new(l.meaning, style(Face::Regular, size))]),
        ]);
    }
    plain_table(flow, &t);
}
