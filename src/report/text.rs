//! The text report of `check` (stdout) and the diagnostics (stderr), in the
//! manner of a compiler: `path:line:column`, the offending line, a hint.

use super::{Checked, Style, display_path};
use crate::coverage::{Status, capitalise, group_label};
use crate::diagnostic::{Problem, Severity};
use std::fmt::Write;
use std::path::Path;

/// "occasions 2 of 2: a (item-1); b (item-2) · not counted: c (item-3): only documents".
fn occasions_line(c: Checked<'_>, r: &crate::coverage::CriterionCoverage, need: usize) -> String {
    let items = &c.portfolio.items;
    let describe = |u: &crate::coverage::OccasionUse| {
        let ids: Vec<&str> = u.items.iter().map(|&i| items[i].id.as_str()).collect();
        format!("{} ({})", c.coverage.occasions.list[u.occasion].name, ids.join(", "))
    };
    let counted: Vec<String> = r.occasion_uses.iter().filter(|u| u.counted).map(describe).collect();
    let mut line = format!("          occasions {} of {need}", r.occasions);
    if !counted.is_empty() {
        line.push_str(&format!(": {}", counted.join("; ")));
    }
    for u in r.occasion_uses.iter().filter(|u| !u.counted) {
        line.push_str(&format!(
            " \u{b7} not counted: {}: {}",
            describe(u),
            u.reason.as_deref().unwrap_or("")
        ));
    }
    line
}

/// The coverage report: a line per assessed criterion grouped by outcome,
/// the others in brief, then gaps with the next action and a verdict.
pub fn render_text(c: Checked<'_>, style: Style) -> String {
    let mut out = String::new();
    let s = &c.portfolio.settings;
    let mut who = if s.learner.name.is_empty() {
        "(no learner name)".to_string()
    } else {
        s.learner.name.clone()
    };
    let ids: Vec<String> = s
        .learner
        .id
        .iter()
        .cloned()
        .chain(s.learner.uln.iter().map(|u| format!("ULN {u}")))
        .collect();
    if !ids.is_empty() {
        who.push_str(&format!(" ({})", ids.join(", ")));
    }
    let _ = writeln!(out, "{}", style.bold(&who));
    for (f, fw) in c.criteria.frameworks.iter().enumerate() {
        let assessed = s.assessed.contains(&f);
        let ids: Vec<_> = c
            .criteria
            .ids()
            .filter(|id| c.criteria.entry(*id).framework == f)
            .collect();
        let _ = writeln!(
            out,
            "\n{} {} ({} {}){}",
            style.bold(&fw.short_title),
            fw.title,
            fw.reference_label,
            fw.reference,
            if assessed {
                ""
            } else {
                " — for information, not assessed"
            }
        );
        if assessed {
            let mut group = usize::MAX;
            for id in ids {
                let e = c.criteria.entry(id);
                if e.group != group {
                    group = e.group;
                    let g = &fw.groups[group];
                    let _ = writeln!(out, "  {}: {}", capitalise(&group_label(c.criteria, id)), g.title);
                }
                let r = c.coverage.of(id);
                let evidence: Vec<&str> = r.evidence.iter().map(|&i| c.portfolio.items[i].id.as_str()).collect();
                let word = format!("{:<12}", r.status.word());
                let how = r.decided.map(|d| format!("[{}] ", d.short())).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "    {:<5} {} {how}{}",
                    c.criteria.criterion(id).code,
                    style.status(r.status, &word),
                    if evidence.is_empty() {
                        style.dim("-")
                    } else {
                        evidence.join(", ")
                    }
                );
                let need = c.criteria.min_occasions(id);
                if need > 1 && !r.occasion_uses.is_empty() {
                    let _ = writeln!(out, "{}", style.dim(&occasions_line(c, r, need)));
                }
            }
        } else {
            for status in [Status::Met, Status::Claimed, Status::Insufficient, Status::Missing] {
                let codes: Vec<&str> = ids
                    .iter()
                    .filter(|id| c.coverage.of(**id).status == status)
                    .map(|id| c.criteria.criterion(*id).code.as_str())
                    .collect();
                if !codes.is_empty() {
                    let _ = writeln!(
                        out,
                        "    {} {}",
                        style.status(status, &format!("{:<12}", status.word())),
                        codes.join(" ")
                    );
                }
            }
        }
    }
    if let Some(q) = &c.coverage.qualification {
        let _ = writeln!(
            out,
            "\n{} {}{}",
            style.bold("Qualification"),
            q.title,
            if q.reference.is_empty() {
                String::new()
            } else {
                format!(" ({})", q.reference)
            }
        );
        for u in &q.units {
            let credit = u
                .credit
                .map(|c| format!("{c} credits"))
                .unwrap_or_else(|| "no credit value".into());
            let state = if u.complete { "complete" } else { "not complete" };
            let _ = writeln!(
                out,
                "  {:<12} {} ({credit}, {}): {state}; {} met, {} claimed of {}",
                u.short_title, u.title, u.group, u.summary.met, u.summary.claimed, u.summary.total
            );
        }
        for g in &q.groups {
            let _ = writeln!(out, "  {}: {} of at least {} credits", g.name, g.credits, g.min_credits);
        }
        let _ = writeln!(out, "  Credits: {} of at least {}", q.credits, q.total_credits);
    }
    let gaps: Vec<_> = c.coverage.gaps().collect();
    if !gaps.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("What to do next"));
        for r in &gaps {
            let _ = writeln!(
                out,
                "  {} {}",
                style.status(r.status, "-"),
                r.next.as_deref().unwrap_or("")
            );
        }
    }
    let sum = &c.coverage.summary;
    let counts = format!(
        "{} met, {} claimed, {} insufficient, {} missing of {}",
        sum.met, sum.claimed, sum.insufficient, sum.missing, sum.total
    );
    let headline = super::Headline::of(c.coverage);
    let verdict = if headline.errors > 0 {
        style.severity(Severity::Error, &format!("{} (see above)", headline.text))
    } else {
        style.status(headline.tone, &headline.text)
    };
    let _ = writeln!(out, "\n{verdict}. {counts}.");
    let met_by = c.coverage.met_by.sentence();
    if !met_by.is_empty() {
        let _ = writeln!(out, "How the met criteria were decided: {met_by}.");
    }
    if let Some(note) = super::roster_note(c.portfolio, c.coverage) {
        let _ = writeln!(out, "{}", style.dim(&note));
    }
    out
}

/// The problems that have a place in a file, compiler style, for stderr.
/// `root` is prefixed to portfolio-relative paths so they can be opened.
pub fn render_diagnostics(problems: &[Problem], root: Option<&Path>, include_warnings: bool, style: Style) -> String {
    let mut out = String::new();
    for p in problems {
        if p.severity == Severity::Warning && !include_warnings {
            continue;
        }
        if p.location.is_none() && p.severity != Severity::Error {
            continue; // criterion gaps belong to the report, not to diagnostics
        }
        let head = style.severity(p.severity, &format!("{}[{}]", p.severity.label(), p.rule.id()));
        let _ = write!(out, "{head}");
        if let Some(loc) = &p.location {
            let file = match root {
                Some(r) if !loc.file.is_absolute() && !loc.file.starts_with("embedded:") => {
                    display_path(&r.join(&loc.file))
                }
                _ => display_path(&loc.file),
            };
            let _ = write!(out, " {}", style.bold(&file));
            if let Some(line) = loc.line {
                let _ = write!(out, ":{line}");
                if let Some(col) = loc.column {
                    let _ = write!(out, ":{col}");
                }
            }
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "  {}", p.message);
        if let (Some(snippet), Some(line)) = (&p.snippet, p.location.as_ref().and_then(|l| l.line)) {
            let _ = writeln!(out, "  {} {}", style.dim(&format!("{line:>4} |")), snippet);
        }
        if let Some(hint) = &p.hint {
            let mut lines = hint.lines();
            if let Some(first) = lines.next() {
                let _ = writeln!(out, "  {} {first}", style.bold("hint:"));
            }
            for l in lines {
                let _ = writeln!(out, "        {l}");
            }
        }
    }
    out
}

/// A cell a spreadsheet would run as a formula gets a leading apostrophe.
pub fn neutralise_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}
