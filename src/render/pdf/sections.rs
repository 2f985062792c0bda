//! The portfolio's sections in order, from the document model: cover,
//! progress, mapping grid, evidence location table, gaps, reflective
//! account, the items, the criteria and the declaration.

use super::fonts::Face;
use super::images::Image;
use super::layout::{
    Align, BLACK, Cell, Flow, GREY, LINK, Link, MARGIN_L, MAX_ITEM_PAGES, RULE, Rgb, Span, Style, TEXT_W, Table, wrap,
};
use super::markdown::{self, BADGE_BG, BODY};
use crate::coverage::Status;
use crate::document::{Document, ItemDoc};
use crate::evidence::Decision;
use std::collections::HashMap;

/// Item columns per chunk of the mapping grid.
pub const GRID_CHUNK: usize = 20;

/// What the sections read besides the document.
pub struct Ctx<'a> {
    pub doc: &'a Document,
    /// Page numbers (from 1) of anchors, from the previous layout pass.
    pub pages: &'a HashMap<String, usize>,
    pub images: &'a [Option<Image>],
    /// (item, attachment) → index into `images`.
    pub image_index: &'a HashMap<(usize, usize), usize>,
}

fn st(face: Face, size: f32) -> Style {
    Style::new(face, size)
}

pub fn status_color(s: Status) -> Rgb {
    match s {
        Status::Met => Rgb(0.08, 0.45, 0.2),
        Status::Claimed => Rgb(0.1, 0.33, 0.66),
        Status::Insufficient => Rgb(0.66, 0.4, 0.0),
        Status::Missing => Rgb(0.72, 0.1, 0.1),
    }
}

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
    flow.heading(&[Span::new(title, st(Face::Bold, 18.0))], 0.0, 8.0, 60.0);
}

fn para(flow: &mut Flow<'_>, text: &str, style: Style) {
    flow.paragraph(&[Span::new(text, style)]);
}

/// Lays out the whole document.
pub fn layout(flow: &mut Flow<'_>, c: &Ctx<'_>) {
    cover(flow, c);
    qualification(flow, c);
    progress(flow, c);
    grid(flow, c);
    locations(flow, c);
    gaps(flow, c);
    if let Some(r) = &c.doc.reflection {
        section(flow, "Reflective account", "reflection");
        capped(flow, "reflection.md", |flow| markdown::render(flow, r, "reflection"));
    }
    items(flow, c);
    if flow.overflowed {
        // The document is refused; the rest would be laid out for nothing.
        return;
    }
    criteria(flow, c);
    witnesses(flow, c);
    declaration(flow, c);
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

fn cover(flow: &mut Flow<'_>, c: &Ctx<'_>) {
    let d = c.doc;
    flow.new_page(false);
    flow.y = 150.0;
    flow.anchor("cover");
    flow.bookmark(0, "Cover");
    para(flow, "NVQ portfolio of evidence", st(Face::Regular, 12.0).color(GREY));
    flow.space(8.0);
    flow.paragraph(&[Span::new(
        format!("{}: {}", d.unit.short_title, d.unit.title),
        st(Face::Bold, 22.0),
    )]);
    flow.space(6.0);
    para(flow, &unit_line(d), st(Face::Regular, 11.0).color(GREY));
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
    key_values(flow, &rows, 12.0);
    flow.space(24.0);
    let s = &d.summary;
    flow.paragraph(&[Span::new(
        format!("{}.", d.headline.text),
        st(Face::Bold, 12.0).color(status_color(d.headline.tone)),
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
            spans.push(Span::new("   ", st(Face::Regular, 11.0)));
        }
        spans.push(Span::new(
            format!("{n} {}", status.word()),
            st(Face::Bold, 11.0).color(status_color(*status)),
        ));
    }
    flow.paragraph(&spans);
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
            t.cell(flow.fonts, 0, &[Span::new(*label, st(Face::Bold, size).color(GREY))]),
            t.cell(flow.fonts, 1, &[Span::new(value.clone(), st(Face::Regular, size))]),
        ]);
    }
    plain_table(flow, &t);
}

/// A table without a header row.
fn plain_table(flow: &mut Flow<'_>, t: &Table) {
    for row in &t.rows {
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
            for line in &cell.lines {
                flow.place_line(line, x + super::layout::CELL_PAD_X, y);
                y += line.height;
            }
            x += t.widths[i];
        }
        flow.y = top + h;
    }
}

fn header_cells(flow: &Flow<'_>, t: &Table, labels: &[&str], size: f32) -> Vec<Cell> {
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| t.cell(flow.fonts, i, &[Span::new(*l, st(Face::Bold, size))]))
        .collect()
}

/// The qualification's units and rules of combination, when there is one.
fn qualification(flow: &mut Flow<'_>, c: &Ctx<'_>) {
    let Some(q) = &c.doc.qualification else { return };
    section(flow, &format!("Qualification: {}", q.title), "qualification");
    let mut line = String::new();
    if !q.reference.is_empty() {
        line.push_str(&format!("{} · ", q.reference));
    }
    line.push_str(&format!("Credits: {} of at least {}", q.credits, q.total_credits));
    for g in &q.groups {
        line.push_str(&format!(" · {}: {} of at least {}", g.name, g.credits, g.min_credits));
    }
    line.push_str(if q.combination_ok {
        ". The units chosen meet the rules of combination."
    } else {
        ". The units chosen do not yet meet the rules of combination."
    });
    para(flow, &line, st(Face::Regular, BODY));
    flow.space(6.0);
    let size = 9.0;
    let nums = [48.0, 86.0, 30.0, 50.0, 26.0, 60.0];
    let first = 58.0;
    let mut widths = vec![first, TEXT_W - first - nums.iter().sum::<f32>()];
    widths.extend(nums);
    let mut t = Table {
        widths,
        ..Table::default()
    };
    t.header = header_cells(
        flow,
        &t,
        &["Unit", "Title", "Credits", "Group", "Met", "Claimed", "Of", "Complete"],
        size,
    );
    for u in &q.units {
        let cells = [
            (u.short_title.clone(), Face::Bold),
            (u.title.clone(), Face::Regular),
            (
                u.credit.map_or_else(|| "–".to_string(), |c| c.to_string()),
                Face::Regular,
            ),
            (u.group.clone(), Face::Regular),
            (u.summary.met.to_string(), Face::Regular),
            (u.summary.claimed.to_string(), Face::Regular),
            (u.summary.total.to_string(), Face::Regular),
            ((if u.complete { "yes" } else { "not yet" }).to_string(), Face::Regular),
        ];
        let row = cells
            .into_iter()
            .enumerate()
            .map(|(i, (text, face))| t.cell(flow.fonts, i, &[Span::new(text, st(face, size))]))
            .collect();
        t.rows.push(row);
    }
    flow.table(&t);
}

fn progress(flow: &mut Flow<'_>, c: &Ctx<'_>) {
    let d = c.doc;
    section(flow, "Progress", "progress");
    let s = &d.summary;
    para(
        flow,
        &format!(
            "{} assessed criteria: {} met, {} claimed, {} insufficient, {} missing. A criterion is met when accepted evidence satisfies the rules, claimed when the evidence awaits assessment.",
            s.total, s.met, s.claimed, s.insufficient, s.missing
        ),
        st(Face::Regular, BODY),
    );
    flow.space(8.0);
    let size = 9.0;
    let labels = ["Outcome", "Title", "Met", "Claimed", "Insufficient", "Missing", "Total"];
    let nums = [46.0, 54.0, 68.0, 54.0, 46.0];
    let first = 72.0;
    let mut widths = vec![first, TEXT_W - first - nums.iter().sum::<f32>()];
    widths.extend(nums);
    let mut t = Table {
        widths,
        ..Table::default()
    };
    t.header = header_cells(flow, &t, &labels, size);
    for cell in &mut t.header[2..] {
        cell.align = Align::Right;
    }
    for p in &d.progress {
        let mut row = vec![
            t.cell(flow.fonts, 0, &[Span::new(p.label.clone(), st(Face::Bold, size))]),
            t.cell(flow.fonts, 1, &[Span::new(p.title.clone(), st(Face::Regular, size))]),
        ];
        for (i, (n, status)) in [
            (p.met, Some(Status::Met)),
            (p.claimed, Some(Status::Claimed)),
            (p.insufficient, Some(Status::Insufficient)),
            (p.missing, Some(Status::Missing)),
            (p.total, None),
        ]
        .into_iter()
        .enumerate()
        {
            let color = status.filter(|_| n > 0).map_or(BLACK, status_color);
            let mut cell = t.cell(
                flow.fonts,
                i + 2,
                &[Span::new(n.to_string(), st(Face::Bold, size).color(color))],
            );
            cell.align = Align::Right;
            row.push(cell);
        }
        t.rows.push(row);
    }
    flow.table(&t);
}

fn grid(flow: &mut Flow<'_>, c: &Ctx<'_>) {
    let d = c.doc;
    section(flow, "Mapping grid", "grid");
    let cols = &d.grid.columns;
    para(
        flow,
        "Criteria down, evidence items across. Each mark says what the item is worth for the criterion and links to the paragraph that shows it; a grey mark counts through the unit-to-standard mapping.",
        st(Face::Regular, 9.0),
    );
    flow.space(4.0);
    grid_legend(flow, c);
    flow.space(6.0);
    para(flow, "The items are numbered as follows:", st(Face::Regular, 9.0));
    flow.space(4.0);
    // The key: number and title of each column.
    let number_w = 24.0;
    let mut key = Table {
        widths: vec![number_w, TEXT_W - number_w],
        ..Table::default()
    };
    for col in cols {
        key.rows.push(vec![
            key.cell(flow.fonts, 0, &[Span::new(col.number.to_string(), st(Face::Bold, 8.5))]),
            key.cell(
                flow.fonts,
                1,
                &[Span::new(col.title.clone(), st(Face::Regular, 8.5)).link(Some(Link::Anchor(col.anchor.clone())))],
            ),
        ]);
    }
    plain_table(flow, &key);
    flow.space(10.0);
    if cols.is_empty() {
        para(flow, "No usable evidence items yet.", st(Face::Italic, BODY));
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
                    st(Face::Bold, 11.0),
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
            let mut cell =
                t.cell(
                    flow.fonts,
                    i + 2,
                    &[Span::new(col.number.to_string(), st(Face::Bold, size))
                        .link(Some(Link::Anchor(col.anchor.clone())))],
                );
            cell.align = Align::Center;
            header.push(cell);
        }
        t.header = header;
        for row in &d.grid.rows {
            let code_style = if row.assessed {
                st(Face::Bold, size)
            } else {
                st(Face::Regular, size).color(GREY)
            };
            let mut cells = vec![
                t.cell(
                    flow.fonts,
                    0,
                    &[Span::new(row.display_code.clone(), code_style).link(Some(Link::Anchor(row.anchor.clone())))],
                ),
                Cell {
                    fill: Some(status_fill(row.status)),
                    ..t.cell(
                        flow.fonts,
                        1,
                        &[Span::new(
                            row.status.word(),
                            st(Face::Regular, size).color(status_color(row.status)),
                        )],
                    )
                },
            ];
            for (i, mark) in row.cells[start..start + chunk.len()].iter().enumerate() {
                let spans = match mark {
                    Some(m) => vec![
                        Span::new(
                            m.mark,
                            st(Face::Bold, size + 1.0).color(if m.direct {
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
fn worth_color(w: crate::document::worth::Worth) -> Rgb {
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
fn grid_legend(flow: &mut Flow<'_>, c: &Ctx<'_>) {
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
                    st(Face::Bold, size + 1.0).color(worth_color(l.worth)),
                )],
            ),
            t.cell(flow.fonts, 1, &[Span::new(l.meaning, st(Face::Regular, size))]),
        ]);
    }
    plain_table(flow, &t);
}

/// "Item 3, page 7" for an item anchor, from the previous pass.
fn item_page(c: &Ctx<'_>, number: usize, anchor: &str) -> String {
    match c.pages.get(anchor) {
        Some(p) => format!("Item {number}, page {p}"),
        None => format!("Item {number}, page ?"),
    }
}

fn locations(flow: &mut Flow<'_>, c: &Ctx<'_>) {
    let d = c.doc;
    section(flow, "Evidence location table", "locations");
    para(
        flow,
        "For each criterion, the evidence items that show it, their method and date, the assessor's decision (with the grid's mark), the occasion for criteria that need several, and where each is in this portfolio; documents kept at the workplace say where they are held.",
        st(Face::Regular, 9.0),
    );
    flow.space(6.0);
    let size = 8.0;
    // Criterion and title wrap; method, date and page stay narrow.
    let date_w = flow.fonts.width(Face::Regular, size, "2026-00-00") + 2.0 * super::layout::CELL_PAD_X + 2.0;
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
            let mut v = vec![Span::new(format!("{} ", row.display_code), st(Face::Bold, size))];
            if continued {
                v.push(Span::new("(continued)", st(Face::Italic, size).color(GREY)));
            } else {
                v.push(Span::new(row.text.clone(), st(Face::Regular, size)));
            }
            v
        };
        let cells: Vec<[Vec<Span>; 6]> = if row.entries.is_empty() {
            vec![[
                crit(false),
                vec![Span::new(
                    "No evidence yet",
                    st(Face::Italic, size).color(status_color(Status::Missing)),
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
                    let mut where_ = vec![
                        Span::new(
                            item_page(c, doc_item.number, &e.anchor),
                            st(Face::Regular, size).color(LINK),
                        )
                        .link(Some(Link::Anchor(e.anchor.clone()))),
                    ];
                    if let Some(h) = &e.held_at {
                        where_.push(Span::new(format!("\nHeld at: {h}"), st(Face::Regular, size)));
                    }
                    let mut decision = vec![
                        Span::new(
                            format!("{} ", e.worth_mark),
                            st(Face::Bold, size).color(worth_color(e.worth)),
                        ),
                        Span::new(e.decision.clone(), st(Face::Regular, size)),
                    ];
                    if let Some(o) = &e.occasion {
                        decision.push(Span::new(
                            format!("\nOccasion: {o}"),
                            st(Face::Regular, size).color(GREY),
                        ));
                    }
                    [
                        if i == 0 { crit(false) } else { vec![] },
                        vec![Span::new(
                            format!("{}. {}", doc_item.number, e.title),
                            st(Face::Regular, size),
                        )],
                        vec![Span::new(e.method.clone(), st(Face::Regular, size))],
                        vec![Span::new(e.date.to_string(), st(Face::Regular, size))],
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
                + 2.0 * super::layout::CELL_PAD_Y;
            let header_h = header
                .iter()
                .map(|c| c.lines.iter().map(|l| l.height).sum::<f32>())
                .fold(0.0, f32::max)
                + 2.0 * super::layout::CELL_PAD_Y;
            let fits_a_page = h + header_h <= super::layout::BODY_BOTTOM - super::layout::BODY_TOP;
            let breaks = !first && fits_a_page && flow.y + h > super::layout::BODY_BOTTOM;
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

fn gaps(flow: &mut Flow<'_>, c: &Ctx<'_>) {
    let d = c.doc;
    section(flow, "Gaps and next steps", "gaps");
    flow.paragraph(&[Span::new(
        format!("{}.", d.headline.text),
        st(Face::Bold, BODY).color(status_color(d.headline.tone)),
    )]);
    flow.space(4.0);
    if d.gaps.is_empty() {
        para(
            flow,
            &format!("No criterion is short of the requirement ({}).", d.require.word()),
            st(Face::Regular, BODY),
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
                    &[Span::new(g.display_code.clone(), st(Face::Bold, size))
                        .link(Some(Link::Anchor(g.anchor.clone())))],
                ),
                t.cell(
                    flow.fonts,
                    1,
                    &[Span::new(
                        g.status.word(),
                        st(Face::Regular, size).color(status_color(g.status)),
                    )],
                ),
                t.cell(flow.fonts, 2, &[Span::new(g.next.clone(), st(Face::Regular, size))]),
            ]);
        }
        flow.table(&t);
    }
    awaiting(flow, c);
    if !d.problems.is_empty() {
        flow.heading(
            &[Span::new("Notes for the assessor", st(Face::Bold, 13.0))],
            14.0,
            4.0,
            40.0,
        );
        for p in &d.problems {
            let mut spans = vec![
                Span::new(format!("{} ", p.severity.label()), st(Face::Bold, 9.0)),
                Span::new(format!("{}: ", p.rule.id()), st(Face::Mono, 8.5).color(GREY)),
                Span::new(p.message.clone(), st(Face::Regular, 9.0)),
            ];
            if let Some(f) = &p.file {
                let at = p.line.map_or(f.clone(), |l| format!("{f}:{l}"));
                spans.push(Span::new(format!(" ({at})"), st(Face::Regular, 9.0).color(GREY)));
            }
            flow.indent += 12.0;
            flow.marker = Some((Span::new("•", st(Face::Regular, 9.0)), 10.0));
            flow.paragraph(&spans);
            flow.marker = None;
            flow.indent -= 12.0;
            flow.space(2.0);
        }
    }
}

/// The items awaiting an assessor's decision, and what each is awaited for.
fn awaiting(flow: &mut Flow<'_>, c: &Ctx<'_>) {
    let d = c.doc;
    if d.awaiting.is_empty() {
        return;
    }
    flow.heading(
        &[Span::new("Awaiting an assessor's decision", st(Face::Bold, 13.0))],
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
                    Span::new(a.title.clone(), st(Face::Bold, size)).link(Some(Link::Anchor(a.anchor.clone()))),
                    Span::new(
                        format!(" (item {}, {})", a.number, a.method),
                        st(Face::Regular, size).color(GREY),
                    ),
                ],
            ),
            t.cell(flow.fonts, 1, &[Span::new(a.text.clone(), st(Face::Regular, size))]),
        ]);
    }
    flow.table(&t);
}

fn items(flow: &mut Flow<'_>, c: &Ctx<'_>) {
    for (n, item) in c.doc.items.iter().enumerate() {
        flow.page_break();
        if n == 0 {
            flow.bookmark(0, "Evidence items");
            flow.anchor("items");
        }
        capped(flow, &item.file, |flow| item_section(flow, c, n, item));
    }
}

fn item_section(flow: &mut Flow<'_>, c: &Ctx<'_>, n: usize, item: &ItemDoc) {
    flow.anchor(item.anchor.clone());
    flow.bookmark(1, format!("{}. {}", item.number, item.title));
    flow.heading(
        &[
            Span::new(format!("Item {}: ", item.number), st(Face::Bold, 15.0).color(GREY)),
            Span::new(item.title.clone(), st(Face::Bold, 15.0)),
        ],
        0.0,
        6.0,
        50.0,
    );
    let size = 9.0;
    let mut rows: Vec<(&str, Vec<Span>)> = vec![
        ("Date", vec![Span::new(long_date(item.date), st(Face::Regular, size))]),
        ("Method", vec![Span::new(item.method.clone(), st(Face::Regular, size))]),
        (
            "Occasion",
            vec![Span::new(item.occasion.clone(), st(Face::Regular, size))],
        ),
    ];
    let mut badges = Vec::new();
    for b in &item.badges {
        let mut s =
            Span::new(format!("[{}]", b.display_code), st(Face::Bold, size)).link(Some(Link::Anchor(b.anchor.clone())));
        s.badge = Some(BADGE_BG);
        badges.push(s);
        badges.push(Span::new(" ", st(Face::Regular, size)));
    }
    rows.push(("Criteria", badges));
    if let Some(h) = &item.held_at {
        rows.push(("Held at", vec![Span::new(h.clone(), st(Face::Regular, size))]));
    }
    if let Some(w) = &item.witness {
        let text = match (&w.name, &w.role) {
            (Some(n), Some(r)) => format!("{n}, {r}"),
            (Some(n), None) => n.clone(),
            (None, Some(r)) => format!("(no name), {r}"),
            (None, None) => "not named".to_string(),
        };
        rows.push(("Witness", vec![Span::new(text, st(Face::Regular, size))]));
    }
    rows.push((
        "File",
        vec![Span::new(item.file.clone(), st(Face::Mono, 8.0).color(GREY))],
    ));
    let label_w = 62.0;
    let mut t = Table {
        widths: vec![label_w, TEXT_W - label_w],
        ..Table::default()
    };
    for (label, spans) in &rows {
        t.rows.push(vec![
            t.cell(flow.fonts, 0, &[Span::new(*label, st(Face::Bold, size).color(GREY))]),
            t.cell(flow.fonts, 1, spans),
        ]);
    }
    plain_table(flow, &t);
    flow.space(4.0);
    flow.rule(RULE, 0.5);
    flow.space(8.0);
    markdown::render(flow, &item.body, &item.anchor);
    if let Some(h) = &item.handover {
        handover(flow, h);
    }

    if !item.attachments.is_empty() {
        // Kept with the first picture, so that the heading is not left
        // alone at the foot of a page.
        let first_h = c
            .image_index
            .get(&(n, 0))
            .and_then(|&i| c.images[i].as_ref())
            .map_or(30.0, |img| {
                let h = (TEXT_W - flow.indent) * img.height as f32 / img.width.max(1) as f32;
                (h + 4.0).min(super::layout::BODY_BOTTOM - super::layout::BODY_TOP - 40.0)
            });
        flow.heading(&[Span::new("Attachments", st(Face::Bold, 11.0))], 6.0, 4.0, first_h);
        for (ai, a) in item.attachments.iter().enumerate() {
            match c
                .image_index
                .get(&(n, ai))
                .and_then(|&i| c.images[i].as_ref().map(|img| (i, img)))
            {
                Some((i, img)) => {
                    let w = TEXT_W - flow.indent;
                    let h = w * img.height as f32 / img.width.max(1) as f32;
                    flow.image(i, w, h);
                    flow.space(3.0);
                    para(
                        flow,
                        &format!("{} ({})", a.name, human_size(a.size)),
                        st(Face::Italic, 8.5).color(GREY),
                    );
                    flow.space(8.0);
                }
                None => {
                    let mut spans = vec![
                        Span::new(format!("{} ", a.name), st(Face::Bold, 9.0)),
                        Span::new(format!("({}) SHA-256 ", human_size(a.size)), st(Face::Regular, 9.0)),
                        Span::new(a.sha256.clone(), st(Face::Mono, 7.5).color(GREY)),
                    ];
                    if let Some(note) = &a.note {
                        spans.push(Span::new(format!("\n{note}"), st(Face::Italic, 8.5).color(GREY)));
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
            Span::new("Assessor decision: ", st(Face::Bold, 9.5)),
            Span::new(word, st(Face::Bold, 9.5).color(color)),
            Span::new(who, st(Face::Regular, 9.5)),
        ];
        if let Some(f) = &a.feedback {
            spans.push(Span::new(format!("\n{f}"), st(Face::Italic, 9.5)));
        }
        if let Some(n) = &a.note {
            spans.push(Span::new(format!("\n{n}"), st(Face::Regular, 8.5).color(GREY)));
        }
        callout(flow, &spans, Rgb(0.95, 0.96, 0.98));
    }
    if !item.decisions.is_empty() {
        let mut spans = vec![Span::new("Signed decisions", st(Face::Bold, 9.5))];
        for d in &item.decisions {
            let color = if d.verdict == "verified" || d.verdict == "valid" {
                status_color(Status::Met)
            } else {
                status_color(Status::Missing)
            };
            spans.push(Span::new(format!("\n{}: {}", d.role, d.decision), st(Face::Bold, 9.0)));
            spans.push(Span::new(
                format!(" by {} on {} \u{2014} ", d.by, d.date),
                st(Face::Regular, 9.0),
            ));
            spans.push(Span::new(d.verdict_text.clone(), st(Face::Regular, 9.0).color(color)));
        }
        callout(flow, &spans, Rgb(0.96, 0.97, 0.96));
    }
}

/// The rows of a handover record, worded once in the document model for
/// both renderers.
pub fn handover_rows(h: &crate::handover::Handover) -> Vec<(String, String)> {
    crate::document::handover_rows::rows(h)
        .into_iter()
        .map(|r| (r.label, r.value))
        .collect()
}

/// The handover record: a heading, what it was for, and a two-column table.
fn handover(flow: &mut Flow<'_>, h: &crate::handover::Handover) {
    let size = 9.0;
    flow.heading(&[Span::new("Handover record", st(Face::Bold, 11.0))], 8.0, 3.0, 40.0);
    let caption = match &h.reason {
        Some(r) => format!("The handover as recorded: {r}"),
        None => "The handover as recorded".to_string(),
    };
    para(flow, &caption, st(Face::Italic, 8.5).color(GREY));
    flow.space(3.0);
    let rows = handover_rows(h);
    let label_w = rows
        .iter()
        .map(|(l, _)| flow.fonts.width(Face::Bold, size, l))
        .fold(flow.fonts.width(Face::Bold, size, "Part"), f32::max)
        + 2.0 * super::layout::CELL_PAD_X
        + 4.0;
    let mut t = Table {
        widths: vec![label_w, TEXT_W - flow.indent - label_w],
        ..Table::default()
    };
    t.header = header_cells(flow, &t, &["Part", "As recorded"], size);
    for (label, text) in &rows {
        t.rows.push(vec![
            t.cell(
                flow.fonts,
                0,
                &[Span::new(label.clone(), st(Face::Bold, size).color(GREY))],
            ),
            t.cell(flow.fonts, 1, &[Span::new(text.clone(), st(Face::Regular, size))]),
        ]);
    }
    flow.table(&t);
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

pub fn human_size(n: u64) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    }
}

fn criteria(flow: &mut Flow<'_>, c: &Ctx<'_>) {
    section(flow, "Criteria", "criteria");
    for fw in &c.doc.frameworks {
        flow.bookmark(1, fw.short_title.clone());
        flow.heading(
            &[Span::new(
                format!("{}: {}", fw.short_title, fw.title),
                st(Face::Bold, 13.0),
            )],
            10.0,
            2.0,
            50.0,
        );
        let mut meta = format!("{} {}", fw.reference_label, fw.reference);
        if !fw.assessed {
            meta.push_str(" · for information: not assessed in this portfolio");
        }
        para(flow, &meta, st(Face::Regular, 9.0).color(GREY));
        if !fw.aim.is_empty() {
            flow.space(3.0);
            para(flow, &fw.aim, st(Face::Regular, 9.0));
        }
        for (label, text) in [
            ("Relationship to standards: ", &fw.relationship),
            ("Endorsement: ", &fw.endorsement),
        ] {
            if !text.is_empty() {
                flow.space(2.0);
                flow.paragraph(&[
                    Span::new(label, st(Face::Bold, 8.5).color(GREY)),
                    Span::new(text.as_str(), st(Face::Regular, 8.5).color(GREY)),
                ]);
            }
        }
        if !fw.alias_note.is_empty() {
            flow.space(2.0);
            para(flow, &fw.alias_note, st(Face::Italic, 8.5).color(GREY));
        }
        for g in &fw.groups {
            flow.heading(
                &[Span::new(format!("{}: {}", g.label, g.title), st(Face::Bold, 10.5))],
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
                para(flow, &text, st(Face::Italic, 8.5).color(GREY));
                flow.space(2.0);
            }
            for rule in &g.rules {
                para(flow, rule, st(Face::Italic, 8.5).color(GREY));
                flow.space(2.0);
            }
            let size = 9.0;
            let mut t = Table {
                widths: vec![52.0, TEXT_W - 52.0 - 66.0, 66.0],
                ..Table::default()
            };
            for cr in &g.criteria {
                let mut text = vec![Span::new(cr.text.clone(), st(Face::Regular, size))];
                if !cr.maps_to.is_empty() {
                    text.push(Span::new(
                        format!("\nMaps to {}", cr.maps_to.join(", ")),
                        st(Face::Regular, 8.0).color(GREY),
                    ));
                }
                if !cr.methods.is_empty() {
                    text.push(Span::new(
                        format!("\nEvidence may be supplied by: {}", cr.methods.join(", ")),
                        st(Face::Regular, 8.0).color(GREY),
                    ));
                }
                for r in &cr.range {
                    text.push(Span::new(format!("\nRange: {r}"), st(Face::Regular, 8.0).color(GREY)));
                }
                t.rows.push(vec![
                    t.cell(
                        flow.fonts,
                        0,
                        &[Span::new(cr.display_code.clone(), st(Face::Bold, size))],
                    ),
                    t.cell(flow.fonts, 1, &text),
                    t.cell(
                        flow.fonts,
                        2,
                        &[Span::new(
                            cr.status.word(),
                            st(Face::Regular, 8.5).color(status_color(cr.status)),
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
        st(Face::Italic, 8.5).color(GREY),
    );
}

/// The framework's terms and notes, as the HTML shows them.
fn glossary_and_notes(flow: &mut Flow<'_>, fw: &crate::document::FrameworkDoc) {
    if !fw.glossary.is_empty() {
        flow.heading(&[Span::new("Terms", st(Face::Bold, 10.5))], 8.0, 2.0, 40.0);
        let size = 8.5;
        let term_w = 130.0;
        let mut t = Table {
            widths: vec![term_w, TEXT_W - flow.indent - term_w],
            ..Table::default()
        };
        for g in &fw.glossary {
            t.rows.push(vec![
                t.cell(flow.fonts, 0, &[Span::new(g.term.clone(), st(Face::Bold, size))]),
                t.cell(
                    flow.fonts,
                    1,
                    &[Span::new(g.definition.clone(), st(Face::Regular, size))],
                ),
            ]);
        }
        plain_table(flow, &t);
    }
    for n in &fw.notes {
        flow.space(3.0);
        para(flow, n, st(Face::Regular, 8.5).color(GREY));
    }
}

/// The witness status list: each witness with their rows and a line to sign.
fn witnesses(flow: &mut Flow<'_>, c: &Ctx<'_>) {
    let d = c.doc;
    section(flow, "Witness status list", "witnesses");
    if d.witnesses.is_empty() {
        para(flow, "No evidence item names a witness.", st(Face::Regular, BODY));
        return;
    }
    para(
        flow,
        "Every witness whose testimony is in this portfolio, with the items they attest. Each witness signs to confirm their testimony.",
        st(Face::Regular, BODY),
    );
    for w in &d.witnesses {
        flow.heading(&[Span::new(w.name.clone(), st(Face::Bold, 12.0))], 12.0, 4.0, 110.0);
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
        &[Span::new("Signature", st(Face::Regular, 8.0).color(GREY))],
        200.0,
    );
    let date = wrap(
        flow.fonts,
        &[Span::new("Date", st(Face::Regular, 8.0).color(GREY))],
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

fn declaration(flow: &mut Flow<'_>, c: &Ctx<'_>) {
    let d = &c.doc.declaration;
    section(flow, "Declaration and sign-off", "declaration");
    if !d.ready {
        let mut spans = vec![Span::new("Not ready for sign-off.", st(Face::Bold, BODY))];
        for r in &d.reasons {
            spans.push(Span::new(format!(" {r}"), st(Face::Regular, BODY)));
        }
        callout(flow, &spans, status_fill(Status::Insufficient));
        flow.space(6.0);
    }
    for b in &d.blocks {
        flow.heading(&[Span::new(b.heading.clone(), st(Face::Bold, 13.0))], 14.0, 4.0, 120.0);
        para(flow, &b.statement, st(Face::Regular, BODY));
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
            let label = wrap(flow.fonts, &[Span::new(f.label.clone(), st(Face::Bold, BODY))], label_w);
            let label_base = if f.tall { top + 18.0 } else { base };
            if let Some(l) = label.first() {
                flow.place_line(l, x, label_base - l.height);
            }
            match &f.value {
                Some(v) => {
                    let value = wrap(
                        flow.fonts,
                        &[Span::new(v.clone(), st(Face::Regular, BODY))],
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
            para(flow, r, st(Face::Italic, 9.0).color(GREY));
        }
    }
    if !c.doc.iqa_sampling.is_empty() {
        flow.heading(
            &[Span::new(
                "Internal quality assurance: this learner's sampling",
                st(Face::Bold, 11.0),
            )],
            10.0,
            3.0,
            40.0,
        );
    }
    for line in c.doc.iqa_sampling.iter().chain(&c.doc.decisions_note) {
        flow.space(8.0);
        para(flow, line, st(Face::Regular, 9.0).color(GREY));
    }
}
