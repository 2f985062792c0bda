//! The items, one section each: metadata, body, attachments and the assessor's decision.

use super::handover::handover;
use super::pictures::{ItemPictures, human_size};
use super::{SectionContext, callout, capped, long_date, plain_table, status_color, style};
use crate::coverage::Status;
use crate::document::ItemDoc;
use crate::evidence::Decision;
use crate::render::pdf::figure::{MIN_IMAGE_SCALE, figure};
use crate::render::pdf::fonts::Face;
use crate::render::pdf::layout::{BODY_BOTTOM, BODY_TOP, Flow, GREY, LINK, Link, RULE, Rgb, Span, TEXT_W, Table};
use crate::render::pdf::markdown::{self, BADGE_BG};

pub(super) fn items(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    for (n, item) in c.doc.items.iter().enumerate() {
        flow.page_break();
        if n == 0 {
            flow.bookmark(0, "Evidence items");
            flow.anchor("items");
        }
        capped(flow, &item.file, |flow| item_section(flow, c, n, item));
    }
}

fn item_section(flow: &mut Flow<'_>, c: &SectionContext<'_>, n: usize, item: &ItemDoc) {
    flow.anchor(item.anchor.clone());
    flow.bookmark(1, format!("{}. {}", item.number, item.title));
    flow.heading(
        &[
            Span::new(format!("Item {}: ", item.number), style(Face::Bold, 15.0).color(GREY)),
            Span::new(item.title.clone(), style(Face::Bold, 15.0)),
        ],
        0.0,
        6.0,
        50.0,
    );
    let size = 9.0;
    let mut rows: Vec<(&str, Vec<Span>)> = vec![
        (
            "Date",
            vec![Span::new(long_date(item.date), style(Face::Regular, size))],
        ),
        (
            "Method",
            vec![Span::new(item.method.clone(), style(Face::Regular, size))],
        ),
        (
            "Occasion",
            vec![Span::new(item.occasion.clone(), style(Face::Regular, size))],
        ),
    ];
    let mut badges = Vec::new();
    for b in &item.badges {
        let mut s = Span::new(format!("[{}]", b.display_code), style(Face::Bold, size))
            .link(Some(Link::Anchor(b.anchor.clone())));
        s.badge = Some(BADGE_BG);
        badges.push(s);
        badges.push(Span::new(" ", style(Face::Regular, size)));
    }
    rows.push(("Criteria", badges));
    if let Some(h) = &item.held_at {
        rows.push(("Held at", vec![Span::new(h.clone(), style(Face::Regular, size))]));
    }
    if let Some(w) = &item.witness {
        let text = match (&w.name, &w.role) {
            (Some(n), Some(r)) => format!("{n}, {r}"),
            (Some(n), None) => n.clone(),
            (None, Some(r)) => format!("(no name), {r}"),
            (None, None) => "not named".to_string(),
        };
        rows.push(("Witness", vec![Span::new(text, style(Face::Regular, size))]));
    }
    rows.push((
        "File",
        vec![Span::new(item.file.clone(), style(Face::Mono, 8.0).color(GREY))],
    ));
    let label_w = 62.0;
    let mut t = Table {
        widths: vec![label_w, TEXT_W - label_w],
        ..Table::default()
    };
    for (label, spans) in &rows {
        t.rows.push(vec![
            t.cell(flow.fonts, 0, &[Span::new(*label, style(Face::Bold, size).color(GREY))]),
            t.cell(flow.fonts, 1, spans),
        ]);
    }
    plain_table(flow, &t);
    flow.space(4.0);
    flow.rule(RULE, 0.5);
    flow.space(8.0);
    let mut pictures = ItemPictures::new(c, n, item);
    markdown::render_with(flow, &item.body, &item.anchor, &mut pictures);
    if let Some(h) = &item.handover {
        handover(flow, h);
    }

    if !item.attachments.is_empty() {
        // Kept with the first picture, so that the heading is not left
        // alone at the foot of a page.
        let first_h = c
            .image_index
            .get(&(n, 0))
            .filter(|_| !pictures.shown.contains_key(&0))
            .and_then(|&i| c.images[i].as_ref())
            .map_or(30.0, |img| {
                let h = (TEXT_W - flow.indent) * img.height as f32 / img.width.max(1) as f32;
                let body = BODY_BOTTOM - BODY_TOP;
                // One split over pages starts on a page with a third left.
                if h * MIN_IMAGE_SCALE > body {
                    body / 3.0 + 4.0
                } else {
                    (h + 4.0).min(body - 40.0)
                }
            });
        flow.heading(&[Span::new("Attachments", style(Face::Bold, 11.0))], 6.0, 4.0, first_h);
        for (ai, a) in item.attachments.iter().enumerate() {
            if let Some(page) = pictures.shown.get(&ai) {
                let link = Some(Link::Anchor(pictures.anchor(ai)));
                flow.paragraph(&[
                    Span::new(format!("{} ", a.name), style(Face::Bold, 9.0)),
                    Span::new(format!("({}) ", human_size(a.size)), style(Face::Regular, 9.0)),
                    Span::new(
                        format!("shown above in the narrative, page {page}"),
                        style(Face::Italic, 9.0).color(LINK),
                    )
                    .link(link),
                ]);
                flow.space(4.0);
                continue;
            }
            match c
                .image_index
                .get(&(n, ai))
                .and_then(|&i| c.images[i].as_ref().map(|img| (i, img)))
            {
                Some((i, img)) => {
                    let file = Link::File(crate::render::pdf::file_key(item.number, ai, &a.name));
                    figure(
                        flow,
                        i,
                        img,
                        &format!("{} ({})", a.name, human_size(a.size)),
                        (&a.name, file),
                    );
                    flow.space(8.0);
                }
                None => {
                    // Not drawn, so embedded whenever its bytes were kept.
                    let embedded = a
                        .data
                        .is_some()
                        .then(|| Link::File(crate::render::pdf::file_key(item.number, ai, &a.name)));
                    let name_style = match embedded {
                        Some(_) => style(Face::Bold, 9.0).color(LINK),
                        None => style(Face::Bold, 9.0),
                    };
                    let mut spans = vec![
                        Span::new(a.name.clone(), name_style).link(embedded.clone()),
                        Span::new(format!(" ({}) SHA-256 ", human_size(a.size)), style(Face::Regular, 9.0)),
                        Span::new(a.sha256.clone(), style(Face::Mono, 7.5).color(GREY)),
                    ];
                    if a.mime.is_some() {
                        spans.push(Span::new(
                            "\nThe image cannot be read, so it is not drawn.",
                            style(Face::Italic, 8.5).color(GREY),
                        ));
                    }
                    if let Some(Link::File(key)) = &embedded {
                        spans.push(Span::new(
                            format!("\nEmbedded in this PDF as \u{201c}{key}\u{201d}: click the name, or open the viewer's attachments panel."),
                            style(Face::Italic, 8.5).color(GREY),
                        ));
                    }
                    if let Some(note) = &a.note {
                        spans.push(Span::new(format!("\n{note}"), style(Face::Italic, 8.5).color(GREY)));
                    }
                    flow.paragraph(&spans);
                    flow.space(4.0);
                }
            }
        }
    }

    if let Some(a) = &item.assessment {
        let (word, color) = match a.decision {
            Decision::Accepted => ("Accepted", status_color(Status::Met)),
            Decision::Referred => ("Referred", status_color(Status::Missing)),
            Decision::Pending => ("Pending", status_color(Status::Insufficient)),
        };
        let mut who = String::new();
        if let Some(by) = &a.by {
            who.push_str(&format!(" by {by}"));
        }
        if let Some(d) = a.date {
            who.push_str(&format!(" on {}", long_date(d)));
        }
        let mut spans = vec![
            Span::new("Assessor decision: ", style(Face::Bold, 9.5)),
            Span::new(word, style(Face::Bold, 9.5).color(color)),
            Span::new(who, style(Face::Regular, 9.5)),
        ];
        if let Some(f) = &a.feedback {
            spans.push(Span::new(format!("\n{f}"), style(Face::Italic, 9.5)));
        }
        if let Some(n) = &a.note {
            spans.push(Span::new(format!("\n{n}"), style(Face::Regular, 8.5).color(GREY)));
        }
        callout(flow, &spans, Rgb(0.95, 0.96, 0.98));
    }
    if !item.decisions.is_empty() {
        let mut spans = vec![Span::new("Signed decisions", style(Face::Bold, 9.5))];
        for d in &item.decisions {
            let color = if d.verdict == "verified" || d.verdict == "valid" {
                status_color(Status::Met)
            } else {
                status_color(Status::Missing)
            };
            spans.push(Span::new(
                format!("\n{}: {}", d.role, d.decision),
                style(Face::Bold, 9.0),
            ));
            spans.push(Span::new(
                format!(" by {} on {} \u{2014} ", d.by, d.date),
                style(Face::Regular, 9.0),
            ));
            spans.push(Span::new(
                d.verdict_text.clone(),
                style(Face::Regular, 9.0).color(color),
            ));
        }
        callout(flow, &spans, Rgb(0.96, 0.97, 0.96));
    }
}
