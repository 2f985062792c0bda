//! The learner's and assessor's declaration, with the overall status.

use super::{SectionContext, callout, para, section, status_fill, style};
use crate::coverage::Status;
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{Flow, GREY, MARGIN_L, Span, TEXT_W, wrap};
use crate::render::pdf::markdown::BODY;

pub(super) fn declaration(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    let d = &c.doc.declaration;
    section(flow, "Declaration and sign-off", "declaration");
    if !d.ready {
        let mut spans = vec![Span::new("Not ready for sign-off.", style(Face::Bold, BODY))];
        for r in &d.reasons {
            spans.push(Span::new(format!(" {r}"), style(Face::Regular, BODY)));
        }
        callout(flow, &spans, status_fill(Status::Insufficient));
        flow.space(6.0);
    }
    for b in &d.blocks {
        flow.heading(
            &[Span::new(b.heading.clone(), style(Face::Bold, 13.0))],
            14.0,
            4.0,
            120.0,
        );
        para(flow, &b.statement, style(Face::Regular, BODY));
        flow.space(6.0);
        let label_w = b
            .fields
            .iter()
            .map(|f| flow.fonts.width(Face::Bold, BODY, &f.label))
            .fold(0.0, f32::max)
            + 12.0;
        for f in &b.fields {
            let h = if f.tall { 60.0 } else { 24.0 };
            flow.ensure(h);
            let x = MARGIN_L;
            let top = flow.y;
            let base = top + h - 6.0;
            let label = wrap(
                flow.fonts,
                &[Span::new(f.label.clone(), style(Face::Bold, BODY))],
                label_w,
            );
            let label_base = if f.tall { top + 18.0 } else { base };
            if let Some(l) = label.first() {
                flow.place_line(l, x, label_base - l.height);
            }
            match &f.value {
                Some(v) => {
                    let value = wrap(
                        flow.fonts,
                        &[Span::new(v.clone(), style(Face::Regular, BODY))],
                        TEXT_W - label_w,
                    );
                    if let Some(l) = value.first() {
                        flow.place_line(l, x + label_w, base - l.height);
                    }
                }
                None if f.tall => {
                    for k in 0..3 {
                        flow.rule_at(x + label_w, x + TEXT_W, top + 18.0 * (k as f32 + 1.0));
                    }
                }
                None => flow.rule_at(x + label_w, x + label_w + 240.0, base),
            }
            flow.y = top + h;
        }
        for r in &b.recorded {
            flow.space(2.0);
            para(flow, r, style(Face::Italic, 9.0).color(GREY));
        }
    }
    if !c.doc.iqa_sampling.is_empty() {
        flow.heading(
            &[Span::new(
                "Internal quality assurance: this learner's sampling",
                style(Face::Bold, 11.0),
            )],
            10.0,
            3.0,
            40.0,
        );
    }
    for line in c.doc.iqa_sampling.iter().chain(&c.doc.decisions_note) {
        flow.space(8.0);
        para(flow, line, style(Face::Regular, 9.0).color(GREY));
    }
}
