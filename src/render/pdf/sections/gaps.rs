//! The gaps: criteria not yet met with their next action, and the items awaiting a decision.

use super::{SectionContext, header_cells, para, section, status_color, style};
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{Flow, GREY, Link, Span, TEXT_W, Table};
use crate::render::pdf::markdown::BODY;

pub(super) fn gaps(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    let d = c.doc;
    section(flow, "Gaps and next steps", "gaps");
    flow.paragraph(&[Span::new(
        format!("{}.", d.headline.text),
        style(Face::Bold, BODY).color(status_color(d.headline.tone)),
    )]);
    flow.space(4.0);
    if d.gaps.is_empty() {
        para(
            flow,
            &format!("No criterion is short of the requirement ({}).", d.require.word()),
            style(Face::Regular, BODY),
        );
    } else {
        let size = 9.0;
        let mut t = Table {
            widths: vec![62.0, 70.0, TEXT_W - 132.0],
            ..Table::default()
        };
        t.header = header_cells(flow, &t, &["Criterion", "Status", "Next action"], size);
        for g in &d.gaps {
            t.rows.push(vec![
                t.cell(
                    flow.fonts,
                    0,
                    &[Span::new(g.display_code.clone(), style(Face::Bold, size))
                        .link(Some(Link::Anchor(g.anchor.clone())))],
                ),
                t.cell(
                    flow.fonts,
                    1,
                    &[Span::new(
                        g.status.word(),
                        style(Face::Regular, size).color(status_color(g.status)),
                    )],
                ),
                t.cell(flow.fonts, 2, &[Span::new(g.next.clone(), style(Face::Regular, size))]),
            ]);
        }
        flow.table(&t);
    }
    awaiting(flow, c);
    if !d.problems.is_empty() {
        flow.heading(
            &[Span::new("Notes for the assessor", style(Face::Bold, 13.0))],
            14.0,
            4.0,
            40.0,
        );
        for p in &d.problems {
            let mut spans = vec![
                Span::new(format!("{} ", p.severity.label()), style(Face::Bold, 9.0)),
                Span::new(format!("{}: ", p.rule.id()), style(Face::Mono, 8.5).color(GREY)),
                Span::new(p.message.clone(), style(Face::Regular, 9.0)),
            ];
            if let Some(f) = &p.file {
                let at = p.line.map_or(f.clone(), |l| format!("{f}:{l}"));
                spans.push(Span::new(format!(" ({at})"), style(Face::Regular, 9.0).color(GREY)));
            }
            flow.indent += 12.0;
            flow.marker = Some((Span::new("•", style(Face::Regular, 9.0)), 10.0));
            flow.paragraph(&spans);
            flow.marker = None;
            flow.indent -= 12.0;
            flow.space(2.0);
        }
    }
}

/// The items awaiting an assessor's decision, and what each is awaited for.
fn awaiting(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    let d = c.doc;
    if d.awaiting.is_empty() {
        return;
    }
    flow.heading(
        &[Span::new("Awaiting an assessor's decision", style(Face::Bold, 13.0))],
        14.0,
        4.0,
        40.0,
    );
    let size = 9.0;
    let mut t = Table {
        widths: vec![TEXT_W * 0.45, TEXT_W * 0.55],
        ..Table::default()
    };
    t.header = header_cells(flow, &t, &["Item", "Awaited for"], size);
    for a in &d.awaiting {
        t.rows.push(vec![
            t.cell(
                flow.fonts,
                0,
                &[
                    Span::new(a.title.clone(), style(Face::Bold, size)).link(Some(Link::Anchor(a.anchor.clone()))),
                    Span::new(
                        format!(" (item {}, {})", a.number, a.method),
                        style(Face::Regular, size).color(GREY),
                    ),
                ],
            ),
            t.cell(flow.fonts, 1, &[Span::new(a.text.clone(), style(Face::Regular, size))]),
        ]);
    }
    flow.table(&t);
}
