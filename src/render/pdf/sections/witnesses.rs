//! The witness status list, each witness with a line to sign.

use super::{SectionContext, key_values, para, section, style};
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{Flow, GREY, MARGIN_L, Span, TEXT_W, wrap};
use crate::render::pdf::markdown::BODY;

/// The witness status list: each witness with their rows and a line to sign.
pub(super) fn witnesses(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    let d = c.doc;
    section(flow, "Witness status list", "witnesses");
    if d.witnesses.is_empty() {
        para(flow, "No evidence item names a witness.", style(Face::Regular, BODY));
        return;
    }
    para(
        flow,
        "Every witness whose testimony is in this portfolio, with the items they attest. Each witness signs to confirm their testimony.",
        style(Face::Regular, BODY),
    );
    for w in &d.witnesses {
        flow.heading(&[Span::new(w.name.clone(), style(Face::Bold, 12.0))], 12.0, 4.0, 110.0);
        let rows: Vec<(&str, String)> = w.rows.iter().map(|r| (r.label.as_str(), r.value.clone())).collect();
        key_values(flow, &rows, 9.5);
        signature_lines(flow);
    }
}

/// "Signature" and "Date" lines side by side.
fn signature_lines(flow: &mut Flow<'_>) {
    flow.space(22.0);
    flow.ensure(16.0);
    let (x, y) = (MARGIN_L, flow.y);
    let sig = wrap(
        flow.fonts,
        &[Span::new("Signature", style(Face::Regular, 8.0).color(GREY))],
        200.0,
    );
    let date = wrap(
        flow.fonts,
        &[Span::new("Date", style(Face::Regular, 8.0).color(GREY))],
        200.0,
    );
    flow.rule_at(x, x + 260.0, y);
    flow.rule_at(x + 300.0, x + TEXT_W, y);
    if let (Some(s), Some(d)) = (sig.first(), date.first()) {
        flow.place_line(s, x, y + 2.0);
        flow.place_line(d, x + 300.0, y + 2.0);
    }
    flow.y = y + 16.0;
}
