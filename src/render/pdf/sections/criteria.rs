//! The criteria section: every criterion with its status, and the framework's glossary and notes.

use super::{SectionContext, header_cells, para, plain_table, section, status_color, style};
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{Flow, GREY, Span, TEXT_W, Table};

pub(super) fn criteria(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    section(flow, "Criteria", "criteria");
    for fw in &c.doc.frameworks {
        flow.bookmark(1, fw.short_title.clone());
        flow.heading(
            &[Span::new(
                format!("{}: {}", fw.short_title, fw.title),
                style(Face::Bold, 13.0),
            )],
            10.0,
            2.0,
            50.0,
        );
        let mut meta = format!("{} {}", fw.reference_label, fw.reference);
        if !fw.assessed {
            meta.push_str(" · for information: not assessed in this portfolio");
        }
        para(flow, &meta, style(Face::Regular, 9.0).color(GREY));
        if !fw.aim.is_empty() {
            flow.space(3.0);
            para(flow, &fw.aim, style(Face::Regular, 9.0));
        }
        for (label, text) in [
            ("Relationship to standards: ", &fw.relationship),
            ("Endorsement: ", &fw.endorsement),
        ] {
            if !text.is_empty() {
                flow.space(2.0);
                flow.paragraph(&[
                    Span::new(label, style(Face::Bold, 8.5).color(GREY)),
                    Span::new(text.as_str(), style(Face::Regular, 8.5).color(GREY)),
                ]);
            }
        }
        if !fw.alias_note.is_empty() {
            flow.space(2.0);
            para(flow, &fw.alias_note, style(Face::Italic, 8.5).color(GREY));
        }
        for g in &fw.groups {
            flow.heading(
                &[Span::new(format!("{}: {}", g.label, g.title), style(Face::Bold, 10.5))],
                8.0,
                2.0,
                40.0,
            );
            if !g.methods.is_empty() {
                let mut text = format!("Evidence may be supplied by: {}.", g.methods.join(", "));
                if g.methods.iter().any(|m| m.ends_with('*')) {
                    text.push_str(" * on its own is not sufficient.");
                }
                if g.min_occasions > 1 {
                    text.push_str(&format!(" Shown on at least {} occasions.", g.min_occasions));
                }
                para(flow, &text, style(Face::Italic, 8.5).color(GREY));
                flow.space(2.0);
            }
            for rule in &g.rules {
                para(flow, rule, style(Face::Italic, 8.5).color(GREY));
                flow.space(2.0);
            }
            let size = 9.0;
            let mut t = Table {
                widths: vec![52.0, TEXT_W - 52.0 - 66.0, 66.0],
                ..Table::default()
            };
            for cr in &g.criteria {
                let mut text = vec![Span::new(cr.text.clone(), style(Face::Regular, size))];
                if !cr.maps_to.is_empty() {
                    text.push(Span::new(
                        format!("\nMaps to {}", cr.maps_to.join(", ")),
                        style(Face::Regular, 8.0).color(GREY),
                    ));
                }
                if !cr.methods.is_empty() {
                    text.push(Span::new(
                        format!("\nEvidence may be supplied by: {}", cr.methods.join(", ")),
                        style(Face::Regular, 8.0).color(GREY),
                    ));
                }
                for r in &cr.range {
                    text.push(Span::new(
                        format!("\nRange: {r}"),
                        style(Face::Regular, 8.0).color(GREY),
                    ));
                }
                t.rows.push(vec![
                    t.cell(
                        flow.fonts,
                        0,
                        &[Span::new(cr.display_code.clone(), style(Face::Bold, size))],
                    ),
                    t.cell(flow.fonts, 1, &text),
                    t.cell(
                        flow.fonts,
                        2,
                        &[Span::new(
                            cr.status.word(),
                            style(Face::Regular, 8.5).color(status_color(cr.status)),
                        )],
                    ),
                ]);
                t.row_anchors.push(vec![cr.anchor.clone()]);
            }
            t.header = header_cells(flow, &t, &["Code", "Criterion", "Status"], 8.5);
            flow.table(&t);
        }
        glossary_and_notes(flow, fw);
    }
    flow.space(6.0);
    para(
        flow,
        "* Shows that a document exists; on its own it never shows that the learner applied it.",
        style(Face::Italic, 8.5).color(GREY),
    );
}

/// The framework's terms and notes, as the HTML shows them.
fn glossary_and_notes(flow: &mut Flow<'_>, fw: &crate::document::FrameworkDoc) {
    if !fw.glossary.is_empty() {
        flow.heading(&[Span::new("Terms", style(Face::Bold, 10.5))], 8.0, 2.0, 40.0);
        let size = 8.5;
        let term_w = 130.0;
        let mut t = Table {
            widths: vec![term_w, TEXT_W - flow.indent - term_w],
            ..Table::default()
        };
        for g in &fw.glossary {
            t.rows.push(vec![
                t.cell(flow.fonts, 0, &[Span::new(g.term.clone(), style(Face::Bold, size))]),
                t.cell(
                    flow.fonts,
                    1,
                    &[Span::new(g.definition.clone(), style(Face::Regular, size))],
                ),
            ]);
        }
        plain_table(flow, &t);
    }
    for n in &fw.notes {
        flow.space(3.0);
        para(flow, n, style(Face::Regular, 8.5).color(GREY));
    }
}
