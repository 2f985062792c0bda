//! The cover page: the learner, the unit and the portfolio's key facts.

use super::{SectionContext, key_values, para, status_color, style};
use crate::coverage::Status;
use crate::document::Document;
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{Flow, GREY, RULE, Span};

fn unit_line(d: &Document) -> String {
    let u = &d.unit;
    let mut parts = vec![format!("{} {}", u.reference_label, u.reference)];
    if let Some(l) = u.level {
        parts.push(format!("Level {l}"));
    }
    if let Some(c) = u.credit {
        parts.push(format!("{c} credits"));
    }
    if let Some(g) = u.glh {
        parts.push(format!("{g} GLH"));
    }
    parts.join(" · ")
}

pub(super) fn cover(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    let d = c.doc;
    flow.new_page(false);
    flow.y = 150.0;
    flow.anchor("cover");
    flow.bookmark(0, "Cover");
    para(
        flow,
        "NVQ portfolio of evidence",
        style(Face::Regular, 12.0).color(GREY),
    );
    flow.space(8.0);
    flow.paragraph(&[Span::new(
        format!("{}: {}", d.unit.short_title, d.unit.title),
        style(Face::Bold, 22.0),
    )]);
    flow.space(6.0);
    para(flow, &unit_line(d), style(Face::Regular, 11.0).color(GREY));
    flow.space(30.0);
    flow.rule(RULE, 0.8);
    flow.space(12.0);
    let mut rows: Vec<(&str, String)> = vec![("Learner", d.learner.name.clone())];
    if let Some(id) = &d.learner.id {
        rows.push(("Learner reference", id.clone()));
    }
    if let Some(uln) = &d.learner.uln {
        rows.push(("ULN", uln.clone()));
    }
    let centre = match &d.centre.number {
        Some(n) => format!("{} (centre {n})", d.centre.name),
        None => d.centre.name.clone(),
    };
    rows.push(("Centre", centre));
    rows.push(("Assessor", d.assessor.name.clone()));
    rows.push(("Evidence items", d.items.len().to_string()));
    rows.push((d.date_row.label.as_str(), d.date_row.value.clone()));
    rows.push((d.today_row.label.as_str(), d.today_row.value.clone()));
    key_values(flow, &rows, 12.0);
    flow.space(24.0);
    let s = &d.summary;
    flow.paragraph(&[Span::new(
        format!("{}.", d.headline.text),
        style(Face::Bold, 12.0).color(status_color(d.headline.tone)),
    )]);
    flow.space(4.0);
    let counts = [
        (Status::Met, s.met),
        (Status::Claimed, s.claimed),
        (Status::Insufficient, s.insufficient),
        (Status::Missing, s.missing),
    ];
    let mut spans = Vec::new();
    for (i, (status, n)) in counts.iter().enumerate() {
        if i > 0 {
            spans.push(Span::new("   ", style(Face::Regular, 11.0)));
        }
        spans.push(Span::new(
            format!("{n} {}", status.word()),
            style(Face::Bold, 11.0).color(status_color(*status)),
        ));
    }
    flow.paragraph(&spans);
    if let Some(text) = &d.met_by_text {
        flow.space(4.0);
        flow.paragraph(&[Span::new(text.clone(), style(Face::Regular, 10.5))]);
    }
}
