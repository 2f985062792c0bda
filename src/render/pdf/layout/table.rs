//! Tables: column widths from the cells' natural widths, rows placed under
//! a header repeated on every page, rows and cells of any height split
//! between lines, too many columns split into runs of columns.

use super::structure::{Artifact, Kind};
use super::{BODY_BOTTOM, BODY_TOP, Draw, Flow, GREY, MARGIN_L, RULE, Rgb, Style};
use super::{Line, Span, wrap};
use crate::render::pdf::fonts::{Face, Fonts};

/// A table cell: wrapped lines and an optional background.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub lines: Vec<Line>,
    pub fill: Option<Rgb>,
    pub align: Align,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

pub const CELL_PAD_X: f32 = 3.5;
pub const CELL_PAD_Y: f32 = 2.5;
/// The tallest header row repeated on a table's continuation pages; a
/// taller one is repeated clipped, so a fresh page always has room for rows.
pub const MAX_REPEATED_HEADER: f32 = (BODY_BOTTOM - BODY_TOP) / 4.0;

/// A table ready to place: column widths and wrapped cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub widths: Vec<f32>,
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    /// Anchors bound to the top of each row.
    pub row_anchors: Vec<Vec<String>>,
}

impl Table {
    /// Wraps `spans` for column `col`.
    pub fn cell(&self, fonts: &Fonts, col: usize, spans: &[Span]) -> Cell {
        Cell {
            lines: wrap(fonts, spans, self.widths[col] - 2.0 * CELL_PAD_X),
            ..Cell::default()
        }
    }
}

impl Flow<'_> {
    /// Places a table; rows that do not fit go to the next page under a
    /// repeated header row. A row taller than the room on a fresh page is
    /// split between lines, each cell flowing on; a header row taller than
    /// [`MAX_REPEATED_HEADER`] flows like a row the first time and is
    /// repeated clipped. Every turn of the loop places at least one line or
    /// starts a page that then does, so a table ends after at most two pages
    /// per line of its tallest cells.
    pub fn table(&mut self, t: &Table) {
        if self.pages.is_empty() {
            self.new_page(true);
        }
        let full: Vec<&[Line]> = t.header.iter().map(|c| &c.lines[..]).collect();
        let repeat = self.clip_header(&full);
        let header_h = row_height(&full);
        let first_h = t.rows.first().map_or(0.0, |r| {
            row_height(&r.iter().map(|c| &c.lines[..c.lines.len().min(2)]).collect::<Vec<_>>())
        });
        // Keep the header with the first lines of the first row when they
        // can share a page at all.
        if header_h + first_h <= BODY_BOTTOM - BODY_TOP {
            self.ensure(header_h + first_h);
        }
        let mut fresh = (self.page_index(), BODY_TOP);
        // Table, header row (column headers) and body, each row's cells.
        let table = self.open(Kind::Table);
        if !t.header.is_empty() {
            let head = self.tree.add(table, Kind::THead);
            let cells = self.row_elements(head, t.header.len(), Kind::TH(false));
            self.flow_row(t, &t.header, full, None, &[], &mut fresh, &cells);
        }
        let repeat: Vec<&[Line]> = repeat.iter().map(|c| &c[..]).collect();
        let body = self.tree.add(table, Kind::TBody);
        for (ri, row) in t.rows.iter().enumerate() {
            let lines = row.iter().map(|c| &c.lines[..]).collect();
            let cells = self.row_elements(body, row.len(), Kind::TD);
            self.flow_row(t, row, lines, Some(ri), &repeat, &mut fresh, &cells);
        }
        self.close();
    }

    /// A row in `group` with `n` cells of `kind`: the cells' elements.
    pub fn row_elements(&mut self, group: u32, n: usize, kind: Kind) -> Vec<u32> {
        let tr = self.tree.add(group, Kind::TR);
        (0..n).map(|_| self.tree.add(tr, kind.clone())).collect()
    }

    /// The header row as repeated on continuation pages: each cell at most
    /// [`MAX_REPEATED_HEADER`] tall, a clipped cell ending in "…".
    fn clip_header(&self, full: &[&[Line]]) -> Vec<Vec<Line>> {
        let max = MAX_REPEATED_HEADER - 2.0 * CELL_PAD_Y;
        full.iter()
            .map(|lines| {
                let total: f32 = lines.iter().map(|l| l.height).sum();
                if total <= max {
                    return lines.to_vec();
                }
                let style = lines
                    .iter()
                    .flat_map(|l| l.runs.first())
                    .map(|r| r.style)
                    .next()
                    .unwrap_or(Style::new(Face::Bold, 9.0));
                let more = wrap(self.fonts, &[Span::new("…", style)], 20.0);
                let room = max - more.iter().map(|l| l.height).sum::<f32>();
                let mut used = 0.0;
                let mut kept: Vec<Line> = lines
                    .iter()
                    .take_while(|l| {
                        used += l.height;
                        used <= room
                    })
                    .cloned()
                    .collect();
                kept.extend(more);
                kept
            })
            .collect()
    }

    /// Places one row, splitting it across pages when it does not fit; each
    /// continuation page starts with `repeat` (the header row). `fresh` is
    /// the page and y below which nothing but a repeated header is placed:
    /// there, at least one line of each cell is placed even if it does not
    /// fit, so the loop always makes progress. `ids` are the cells' elements.
    #[allow(clippy::too_many_arguments)]
    fn flow_row(
        &mut self,
        t: &Table,
        cells: &[Cell],
        mut rest: Vec<&[Line]>,
        ri: Option<usize>,
        repeat: &[&[Line]],
        fresh: &mut (usize, f32),
        ids: &[u32],
    ) {
        let header = ri.is_none();
        let fresh_room = BODY_BOTTOM - BODY_TOP - row_height(repeat);
        let mut first = true;
        loop {
            let h = row_height(&rest);
            let at_fresh = self.page_index() == fresh.0 && self.y <= fresh.1 + 0.5;
            if h <= self.room() {
                self.bind_row(t, ri, first);
                self.table_row(t, cells, &rest, header, Some(ids));
                return;
            }
            if !at_fresh && h <= fresh_room {
                self.continue_table(t, repeat, fresh);
                continue;
            }
            let avail = self.room() - 2.0 * CELL_PAD_Y;
            let (mut now, mut later) = split_cells(&rest, avail);
            if now.iter().all(|l| l.is_empty()) {
                if !at_fresh {
                    self.continue_table(t, repeat, fresh);
                    continue;
                }
                // Not even one line fits on a fresh page: place one anyway.
                now = rest.iter().map(|c| &c[..c.len().min(1)]).collect();
                later = rest.iter().map(|c| &c[c.len().min(1)..]).collect();
            }
            self.bind_row(t, ri, first);
            first = false;
            self.table_row(t, cells, &now, header, Some(ids));
            rest = later;
            if rest.iter().all(|l| l.is_empty()) {
                return;
            }
            self.continue_table(t, repeat, fresh);
        }
    }

    /// A new page for a table, starting with the repeated header row.
    fn continue_table(&mut self, t: &Table, repeat: &[&[Line]], fresh: &mut (usize, f32)) {
        self.new_page(true);
        if !repeat.is_empty() {
            // Repeated for the eye; the structure has the header once.
            let before = self.artifact.replace(Artifact::Layout);
            self.table_row(t, &t.header, repeat, true, None);
            self.artifact = before;
        }
        *fresh = (self.page_index(), self.y);
    }

    fn bind_row(&mut self, t: &Table, ri: Option<usize>, first: bool) {
        if first && let Some(names) = ri.and_then(|ri| t.row_anchors.get(ri)) {
            for n in names {
                self.pending_anchors.push(n.clone());
            }
        }
        self.bind();
    }

    fn table_row(&mut self, t: &Table, cells: &[Cell], lines: &[&[Line]], header: bool, ids: Option<&[u32]>) {
        let h = row_height(lines);
        let mut x = MARGIN_L + self.indent;
        let top = self.y;
        for (ci, cell) in cells.iter().enumerate() {
            let w = t.widths.get(ci).copied().unwrap_or(0.0);
            let fill = if header { Some(Rgb(0.9, 0.91, 0.94)) } else { cell.fill };
            if let Some(fill) = fill {
                self.draw(Draw::Rect { x, y: top, w, h, fill });
            }
            let mut y = top + CELL_PAD_Y;
            let id = ids.and_then(|ids| ids.get(ci).copied());
            if let Some(id) = id {
                self.reopen(id);
            }
            for line in lines.get(ci).copied().unwrap_or(&[]) {
                let lx = match cell.align {
                    Align::Left => x + CELL_PAD_X,
                    Align::Center => x + (w - line.width) / 2.0,
                    Align::Right => x + w - CELL_PAD_X - line.width,
                };
                self.place_line(line, lx, y);
                y += line.height;
            }
            if id.is_some() {
                self.close();
            }
            x += w;
        }
        let x2 = MARGIN_L + self.indent + t.widths.iter().sum::<f32>();
        self.draw(Draw::HLine {
            x1: MARGIN_L + self.indent,
            x2,
            y: top + h,
            width: if header { 0.8 } else { 0.4 },
            color: if header { GREY } else { RULE },
        });
        self.y = top + h;
    }
}
/// Each cell's lines that fit in `avail` points, and the rest.
fn split_cells<'l>(cells: &[&'l [Line]], avail: f32) -> (Vec<&'l [Line]>, Vec<&'l [Line]>) {
    cells
        .iter()
        .map(|lines| {
            let mut used = 0.0;
            let n = lines
                .iter()
                .take_while(|l| {
                    used += l.height;
                    used <= avail
                })
                .count();
            lines.split_at(n)
        })
        .unzip()
}

fn row_height(cells: &[&[Line]]) -> f32 {
    cells
        .iter()
        .map(|ls| ls.iter().map(|l| l.height).sum::<f32>())
        .fold(0.0, f32::max)
        + 2.0 * CELL_PAD_Y
}

/// The narrowest a column is made (unless its content is narrower): about
/// five characters of table text.
pub const MIN_COL_W: f32 = 36.0;

/// What column `(natural, widest word)` needs at least.
fn col_floor(natural: (f32, f32)) -> f32 {
    (natural.0 + 2.0 * CELL_PAD_X + 1.0).min(MIN_COL_W)
}

/// Splits a table's columns into runs that fit `total` side by side, each
/// column at least [`MIN_COL_W`] wide (or as wide as its content); a table
/// too wide for the page is printed as several tables, one per run. Each
/// run holds at least one column.
pub fn column_groups(natural: &[(f32, f32)], total: f32) -> Vec<std::ops::Range<usize>> {
    let mut groups = Vec::new();
    let mut start = 0;
    let mut used = 0.0;
    for (i, &n) in natural.iter().enumerate() {
        let need = col_floor(n);
        if i > start && used + need > total {
            groups.push(start..i);
            start = i;
            used = 0.0;
        }
        used += need;
    }
    if start < natural.len() {
        groups.push(start..natural.len());
    }
    groups
}

/// Column widths that fit `total`: natural widths when they fit, else
/// shrunk towards each column's widest word, never below its floor (see
/// [`column_groups`]).
pub fn column_widths(natural: &[(f32, f32)], total: f32) -> Vec<f32> {
    let pad = 2.0 * CELL_PAD_X + 1.0;
    let nat: Vec<f32> = natural.iter().map(|(n, _)| n + pad).collect();
    let floor: Vec<f32> = natural.iter().map(|&n| col_floor(n)).collect();
    let min: Vec<f32> = natural
        .iter()
        .zip(&floor)
        .map(|((n, w), f)| (w.min(*n).min(total / 3.0) + pad).max(*f))
        .collect();
    let sum_nat: f32 = nat.iter().sum();
    if sum_nat <= total {
        let extra = (total - sum_nat) / nat.len().max(1) as f32;
        return nat.iter().map(|n| n + extra.min(40.0)).collect();
    }
    let sum_min: f32 = min.iter().sum();
    if sum_min >= total {
        // Share what is left above the floors by how much more each wants.
        let spare = (total - floor.iter().sum::<f32>()).max(0.0);
        let want: f32 = min.iter().zip(&floor).map(|(m, f)| m - f).sum();
        return min
            .iter()
            .zip(&floor)
            .map(|(m, f)| f + (m - f) / want.max(0.001) * spare)
            .collect();
    }
    let flex: f32 = nat.iter().zip(&min).map(|(n, m)| n - m).sum();
    nat.iter()
        .zip(&min)
        .map(|(n, m)| m + (n - m) / flex.max(0.001) * (total - sum_min))
        .collect()
}
