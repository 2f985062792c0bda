//! The portfolio's sections in order, from the document model: cover,
//! progress, mapping grid, evidence location table, gaps, reflective
//! account, the items, the criteria and the declaration.
//!
//! One file per section; [`layout`] is the table of contents, and the
//! helpers here are shared by several sections.

mod achievement;
mod cover;
mod criteria;
mod declaration;
mod gaps;
mod grid;
mod handover;
mod items;
mod locations;
mod pictures;
mod progress;
mod qualification;
mod witnesses;

use crate::coverage::Status;
use crate::document::Document;
use crate::render::pdf::fonts::Face;
use crate::render::pdf::images::Image;
use crate::render::pdf::layout::structure::Kind;
use crate::render::pdf::layout::{Cell, Flow, GREY, MARGIN_L, MAX_ITEM_PAGES, Rgb, Span, Style, TEXT_W, Table, wrap};
use crate::render::pdf::markdown;
use std::collections::HashMap;

/// What the sections read besides the document.
pub struct SectionContext<'a> {
    pub doc: &'a Document,
    pub images: &'a [Option<Image>],
    /// (item, attachment) → index into `images`.
    pub image_index: &'a HashMap<(usize, usize), usize>,
}

/// A text style: `face` at `size` points, in black.
fn style(face: Face, size: f32) -> Style {
    Style::new(face, size)
}

/// The colour a status is written in.
pub fn status_color(s: Status) -> Rgb {
    match s {
        Status::Met => Rgb(0.08, 0.45, 0.2),
        Status::Claimed => Rgb(0.1, 0.33, 0.66),
        Status::Insufficient => Rgb(0.66, 0.4, 0.0),
        Status::Missing => Rgb(0.72, 0.1, 0.1),
    }
}

/// The pale fill behind a status.
fn status_fill(s: Status) -> Rgb {
    match s {
        Status::Met => Rgb(0.88, 0.95, 0.89),
        Status::Claimed => Rgb(0.89, 0.93, 0.99),
        Status::Insufficient => Rgb(0.99, 0.94, 0.84),
        Status::Missing => Rgb(0.99, 0.89, 0.89),
    }
}

/// "14 March 2026".
pub fn long_date(d: crate::date::Date) -> String {
    d.long()
}

/// A level-1 section heading on a new page, with its bookmark.
fn section(flow: &mut Flow<'_>, title: &str, anchor: &str) {
    flow.page_break();
    flow.anchor(anchor);
    flow.bookmark(0, title);
    flow.heading(&[Span::new(title, style(Face::Bold, 18.0))], 0.0, 8.0, 60.0);
}

/// A paragraph of one style.
fn para(flow: &mut Flow<'_>, text: &str, style: Style) {
    flow.paragraph(&[Span::new(text, style)]);
}

/// Lays out the whole document.
pub fn layout(flow: &mut Flow<'_>, c: &SectionContext<'_>) {
    cover::cover(flow, c);
    qualification::qualification(flow, c);
    progress::progress(flow, c);
    grid::grid(flow, c);
    locations::locations(flow, c);
    gaps::gaps(flow, c);
    if let Some(r) = &c.doc.reflection {
        section(flow, "Reflective account", "reflection");
        capped(flow, "reflection.md", |flow| markdown::render(flow, r, "reflection"));
    }
    items::items(flow, c);
    if flow.overflowed {
        // The document is refused; the rest would be laid out for nothing.
        return;
    }
    criteria::criteria(flow, c);
    witnesses::witnesses(flow, c);
    achievement::achievement(flow, c);
    declaration::declaration(flow, c);
}

/// Lays out one file's content under [`MAX_ITEM_PAGES`]; when it (or the
/// whole PDF) runs out of pages, `flow.overflowed` is set and the file is
/// named in `flow.overflow_file`. Nothing more is placed after that.
fn capped(flow: &mut Flow<'_>, file: &str, place: impl FnOnce(&mut Flow<'_>)) {
    if flow.overflowed {
        return;
    }
    let cap = flow.page_cap;
    let own = flow.pages.len() + MAX_ITEM_PAGES;
    flow.page_cap = cap.min(own);
    place(flow);
    flow.page_cap = cap;
    if flow.overflowed && flow.overflow_file.is_none() {
        flow.overflow_file = Some((file.to_string(), own <= cap));
    }
}

/// Label/value lines in two columns.
fn key_values(flow: &mut Flow<'_>, rows: &[(&str, String)], size: f32) {
    let label_w = rows
        .iter()
        .map(|(l, _)| flow.fonts.width(Face::Bold, size, l))
        .fold(0.0, f32::max)
        + 14.0;
    let mut t = Table {
        widths: vec![label_w, TEXT_W - flow.indent - label_w],
        ..Table::default()
    };
    for (label, value) in rows {
        t.rows.push(vec![
            t.cell(flow.fonts, 0, &[Span::new(*label, style(Face::Bold, size).color(GREY))]),
            t.cell(flow.fonts, 1, &[Span::new(value.clone(), style(Face::Regular, size))]),
        ]);
    }
    plain_table(flow, &t);
}

/// A table without a header row (in the structure, a table of data cells).
fn plain_table(flow: &mut Flow<'_>, t: &Table) {
    let table = flow.open(Kind::Table);
    let body = flow.tree.add(table, Kind::TBody);
    for row in &t.rows {
        let ids = flow.row_elements(body, row.len(), Kind::TD);
        let h = row
            .iter()
            .map(|c| c.lines.iter().map(|l| l.height).sum::<f32>())
            .fold(0.0, f32::max)
            + 3.0;
        flow.ensure(h);
        let top = flow.y;
        let mut x = MARGIN_L + flow.indent;
        for (i, cell) in row.iter().enumerate() {
            let mut y = top;
            flow.reopen(ids[i]);
            for line in &cell.lines {
                flow.place_line(line, x + super::layout::CELL_PAD_X, y);
                y += line.height;
            }
            flow.close();
            x += t.widths[i];
        }
        flow.y = top + h;
    }
    flow.close();
}

fn header_cells(flow: &Flow<'_>, t: &Table, labels: &[&str], size: f32) -> Vec<Cell> {
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| t.cell(flow.fonts, i, &[Span::new(*l, style(Face::Bold, size))]))
        .collect()
}

/// Spans in a tinted box.
fn callout(flow: &mut Flow<'_>, spans: &[Span], fill: Rgb) {
    let pad = 6.0;
    let lines = wrap(flow.fonts, spans, TEXT_W - flow.indent - 2.0 * pad);
    let h: f32 = lines.iter().map(|l| l.height).sum::<f32>() + 2.0 * pad;
    flow.space(6.0);
    if h < super::layout::BODY_BOTTOM - super::layout::BODY_TOP {
        flow.ensure(h);
        let (x, y) = (MARGIN_L + flow.indent, flow.y);
        flow.fill_rect(x, y, TEXT_W - flow.indent, h, fill);
        flow.y += pad;
        flow.indent += pad;
        flow.lines(&lines);
        flow.indent -= pad;
        flow.y += pad;
    } else {
        flow.lines(&lines);
    }
}
