//! The achievement summary (the awarding bodies' RF10): per unit, achieved
//! or not, the date of the last decision that completed it, and the
//! assessor's and IQA's sign-off.

use super::{SectionContext, header_cells, para, section, style};
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{Flow, GREY, Span, TEXT_W, Table};
use crate::render::pdf::markdown::BODY;

const SIZE: f32 = 8.5;

pub(super) fn achievement(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    let d = c.doc;
    section(flow, "Achievement summary", "achievement");
    para(
        flow,
        "Each unit assessed: whether it is achieved, the date of the last assessor's decision that completed it, and the assessor's and internal quality assurer's latest decisions on its evidence (who, and when).",
        style(Face::Regular, BODY),
    );
    flow.space(6.0);
    let w = [0.26, 0.15, 0.17, 0.21, 0.21].map(|f: f32| (TEXT_W * f).floor());
    let mut widths = w[..4].to_vec();
    widths.push(TEXT_W - w[..4].iter().sum::<f32>());
    let mut t = Table {
        widths,
        ..Table::default()
    };
    t.header = header_cells(flow, &t, &["Unit", "Achieved", "Completed on", "Assessor", "IQA"], SIZE);
    for u in &d.achievement {
        let status = if u.achieved {
            super::status_color(crate::coverage::Status::Met)
        } else {
            GREY
        };
        let cells = [
            vec![
                Span::new(format!("{}: {}\n", u.short_title, u.title), style(Face::Bold, SIZE)),
                Span::new(u.reference.clone(), style(Face::Regular, SIZE).color(GREY)),
            ],
            vec![
                Span::new(format!("{}\n", u.achieved_text), style(Face::Bold, SIZE).color(status)),
                Span::new(u.criteria_met.clone(), style(Face::Regular, SIZE)),
            ],
            vec![Span::new(u.completed_text.clone(), style(Face::Regular, SIZE))],
            vec![Span::new(u.assessor.clone(), style(Face::Regular, SIZE))],
            vec![Span::new(u.iqa.clone(), style(Face::Regular, SIZE))],
        ];
        let row = cells
            .iter()
            .enumerate()
            .map(|(k, s)| t.cell(flow.fonts, k, s))
            .collect();
        t.rows.push(row);
    }
    flow.table(&t);
}
