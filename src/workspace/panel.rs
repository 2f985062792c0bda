//! The problems panel the learner reads above the portfolio: the honest
//! headline, an assessor's referrals first with their feedback, what to put
//! right in the learner's words with a link to the form's field, what each
//! criterion still needs, and the rule ids and file:line behind "Details".
//! HTML made from [`crate::workspace::guidance`]; `serve` puts it above the
//! built portfolio, and the browser's engine gives it to the static page.

use crate::diagnostic::{Problem, Severity};
use crate::render::html::markdown::escape;
use crate::workspace::guidance::{Advice, Details, Guidance, Referral};
use std::fmt::Write as _;
use std::path::Path;

/// What the panel above the portfolio says.
pub struct Panel<'a> {
    /// The portfolio folder, absolute: editor links need absolute paths.
    pub root: &'a Path,
    pub problems: &'a [Problem],
    /// An error that stopped the check itself.
    pub fatal: Option<&'a str>,
    /// The portfolio below is the last good one, not the current input.
    pub stale: bool,
    pub summary: Option<&'a str>,
    /// The report's headline ("Not complete: 5 criteria need more
    /// evidence"), when the check ran.
    pub headline: Option<&'a str>,
    /// The problems and short criteria in the learner's words.
    pub guidance: &'a Guidance,
    /// The folder holds a portfolio (`portfolio.toml`); before that, the
    /// panel only points to "Start a portfolio".
    pub started: bool,
    /// The portfolio meets its requirement: only then is the panel green.
    pub complete: bool,
    pub generation: u64,
}

/// The panel's HTML.
pub fn panel_html(p: &Panel<'_>) -> String {
    let errors = count(p.problems, Severity::Error) + usize::from(p.fatal.is_some());
    let gaps = count(p.problems, Severity::Gap);
    let warnings = count(p.problems, Severity::Warning);
    let state = match (errors > 0, p.stale) {
        (true, true) => "errors serve-stale",
        (true, false) => "errors",
        // Never green while something is short.
        _ if !p.complete => "short",
        _ => "ok",
    };
    if !p.started {
        // A new folder: nothing is wrong yet, there is only a form to fill in.
        return format!(
            "<aside id=\"serve-panel\" class=\"serve-short\" data-generation=\"{}\" aria-labelledby=\"serve-heading\">\n\
             <h2 id=\"serve-heading\">No portfolio here yet</h2>\n<p class=\"serve-status\" role=\"status\">\
             Start one below with your name, your reference and your assessor. Then add your evidence: \
             this page checks it as you go and says what is still missing.</p>\n</aside>\n",
            p.generation
        );
    }
    let mut out = format!(
        "<aside id=\"serve-panel\" class=\"serve-{state}\" data-generation=\"{}\" aria-labelledby=\"serve-heading\">\n",
        p.generation
    );
    // The headline is the report's own ("Not complete: 5 criteria need
    // more evidence"); without a check, what stopped it.
    let headline = match (p.headline, errors) {
        (Some(h), _) => h.to_string(),
        (None, 0) => "Checking your portfolio".to_string(),
        (None, n) => format!("Not complete: {n} problem{} to fix first", plural(n)),
    };
    let _ = write!(
        out,
        "<h2 id=\"serve-heading\">{}</h2>\n<p class=\"serve-status\" role=\"status\">",
        escape(&headline)
    );
    if errors > 0 && p.stale {
        out.push_str("<strong>Out of date.</strong> Something below stops the check; the portfolio further down is the last one that could be checked. Fix it and the page updates by itself.");
    } else if errors > 0 {
        out.push_str("<strong>Not built.</strong> Something below stops the check; fix it and your portfolio appears.");
    } else if !p.complete {
        out.push_str(
            "<strong>Not complete yet.</strong> Up to date with your files; what is still missing is listed below.",
        );
    } else if p
        .guidance
        .states
        .iter()
        .any(|s| s.status == crate::coverage::Status::Claimed)
    {
        // As far as a learner can take it: the decisions are the assessor's.
        out.push_str(
            "<strong>Nothing is missing.</strong> Every criterion has enough evidence; your assessor decides on each next. Up to date with your files.",
        );
    } else {
        out.push_str("Up to date: the portfolio below is your files as they are now.");
    }
    if let Some(summary) = p.summary {
        let _ = write!(out, " <span class=\"serve-summary\">{}</span>", escape(summary));
    }
    let _ = write!(
        out,
        " <span class=\"serve-counts\">{errors} error{}, {gaps} gap{}, {warnings} warning{}.</span>",
        plural(errors),
        plural(gaps),
        plural(warnings)
    );
    out.push_str("</p>\n");
    if let Some(fatal) = p.fatal {
        let _ = writeln!(
            out,
            "<p class=\"serve-fatal\"><span class=\"serve-sev\">Stops the check</span> {}</p>",
            escape(fatal)
        );
    }
    let g = p.guidance;
    if !g.referrals.is_empty() {
        let n = g.referrals.len();
        let _ = writeln!(
            out,
            "<h3 class=\"serve-part\">Your assessor sent back {n} item{}</h3>\n<ul class=\"serve-referrals\">",
            plural(n)
        );
        for r in &g.referrals {
            referral_html(&mut out, p.root, r);
        }
        out.push_str("</ul>\n");
    }
    if !g.problems.is_empty() {
        let n = g.problems.len();
        let _ = writeln!(
            out,
            "<h3 class=\"serve-part\">To put right: {n} thing{}</h3>\n<ul class=\"serve-problems\">",
            plural(n)
        );
        for a in &g.problems {
            advice_html(&mut out, p.root, a);
        }
        out.push_str("</ul>\n");
    }
    if !g.criteria.is_empty() {
        let n = g.criteria.len();
        let _ = writeln!(
            out,
            "<h3 class=\"serve-part\">What {} still need{}</h3>\n<ul class=\"serve-missing\">",
            if n == 1 {
                "1 criterion".to_string()
            } else {
                format!("{n} criteria")
            },
            if n == 1 { "s" } else { "" }
        );
        for c in &g.criteria {
            let _ = writeln!(
                out,
                "<li><strong class=\"serve-code\">{}</strong> {} <span class=\"serve-state serve-state-{}\">{}</span>\
                 <p class=\"serve-needs\">{}</p><a class=\"serve-fix\" href=\"{}\">{}</a></li>",
                escape(&c.code),
                escape(&c.text),
                c.status.word(),
                c.status.word(),
                escape(&c.needs),
                escape(&c.link.href),
                escape(&c.link.text)
            );
        }
        out.push_str("</ul>\n");
    }
    states_html(&mut out, &g.states);
    out.push_str("</aside>\n");
    out
}

/// Every criterion's status, for the item form's checkboxes (the
/// workspace's script reads it; hidden, the panel says it above in full).
fn states_html(out: &mut String, states: &[crate::workspace::guidance::State]) {
    if states.is_empty() {
        return;
    }
    out.push_str("<ul class=\"serve-states\" hidden>\n");
    for s in states {
        let _ = writeln!(
            out,
            "<li data-code=\"{}\" data-status=\"{}\" data-words=\"{}\" data-needs=\"{}\"></li>",
            escape(&s.code),
            s.status.word(),
            escape(&s.words),
            escape(s.needs.as_deref().unwrap_or_default())
        );
    }
    out.push_str("</ul>\n");
}

/// A referral: the item by title, who sent it back and when, the feedback
/// as the assessor wrote it, and the way to the item's form.
fn referral_html(out: &mut String, root: &Path, r: &Referral) {
    let _ = write!(
        out,
        "<li class=\"serve-referral\" data-file=\"{}\" data-field=\"narrative\"><span class=\"serve-sev\">Sent back</span> <strong class=\"serve-item\">{}</strong>",
        escape(&r.file),
        escape(&r.title)
    );
    let who = match &r.by {
        Some(by) => format!("{by}, your assessor, referred this item"),
        None => "Your assessor referred this item".to_string(),
    };
    let when = r.date.as_deref().map(|d| format!(" on {d}")).unwrap_or_default();
    let _ = write!(
        out,
        " <span class=\"serve-msg\">{}{}: it does not count until you rework it and they accept it.</span>",
        escape(&who),
        escape(&when)
    );
    if let Some(f) = &r.feedback {
        let _ = write!(
            out,
            "<blockquote class=\"serve-feedback\"><p>{}</p></blockquote>",
            escape(f)
        );
    }
    if let Some(link) = &r.link {
        let _ = write!(
            out,
            "<a class=\"serve-fix\" href=\"{}\">{}</a>",
            escape(&link.href),
            escape(&link.text)
        );
    }
    details_html(out, root, &r.details);
    out.push_str("</li>\n");
}

/// One problem: its item's title, what is wrong, what to do, the link to
/// the field, and the rule and place behind "Details".
fn advice_html(out: &mut String, root: &Path, a: &Advice) {
    let (sev, word) = match a.severity {
        Severity::Error => ("error", "Stops the check"),
        Severity::Gap => ("gap", "Does not count yet"),
        Severity::Warning => ("warning", "Worth a look"),
    };
    let _ = write!(out, "<li class=\"serve-{sev}\"");
    if let Some(file) = &a.file {
        let _ = write!(out, " data-file=\"{}\"", escape(file));
    }
    if let Some(field) = &a.field {
        let _ = write!(out, " data-field=\"{}\"", escape(field));
    }
    let _ = write!(out, "><span class=\"serve-sev\">{word}</span> ");
    if let Some(title) = &a.title {
        let _ = write!(out, "<strong class=\"serve-item\">{}</strong> ", escape(title));
    }
    let _ = write!(out, "<span class=\"serve-msg\">{}</span>", escape(&a.say));
    if !a.todo.is_empty() {
        let _ = write!(out, " <span class=\"serve-todo\">{}</span>", escape(&a.todo));
    }
    if let Some(link) = &a.link {
        let _ = write!(
            out,
            " <a class=\"serve-fix\" href=\"{}\">{}</a>",
            escape(&link.href),
            escape(&link.text)
        );
    }
    details_html(out, root, &a.details);
    out.push_str("</li>\n");
}

/// The rule id and file:line, folded away: for assessors.
fn details_html(out: &mut String, root: &Path, d: &Details) {
    let _ = write!(
        out,
        "<details class=\"serve-details\"><summary>Details</summary><code>{}</code>",
        escape(&d.rule)
    );
    if let (Some(file), Some(place)) = (&d.file, &d.place) {
        match editor_link(root, Path::new(file), d.line, d.column) {
            Some(href) => {
                let _ = write!(
                    out,
                    " <a class=\"serve-loc\" href=\"{}\" title=\"Open in VS Code: {}\">{}</a>",
                    escape(&href),
                    escape(&root.join(file).display().to_string()),
                    escape(place)
                );
            }
            None => {
                let _ = write!(out, " <span class=\"serve-loc\">{}</span>", escape(place));
            }
        }
    }
    out.push_str("</details>");
}

/// A `vscode://file/ABS:LINE:COL` link for a file on disk; `None` for the
/// built-in criteria (`embedded:`), which have no file to open.
pub fn editor_link(root: &Path, file: &Path, line: Option<usize>, column: Option<usize>) -> Option<String> {
    // Files the browser holds have no place on disk to open.
    if !root.is_absolute() && !file.is_absolute() {
        return None;
    }
    if file.starts_with("embedded:") || file.to_string_lossy().starts_with("embedded:") {
        return None;
    }
    let abs = if file.is_absolute() {
        file.to_path_buf()
    } else {
        root.join(file)
    };
    let abs = abs.to_str()?.replace('\\', "/");
    let mut href = String::from("vscode://file");
    if !abs.starts_with('/') {
        href.push('/');
    }
    for c in abs.chars() {
        match c {
            ' ' => href.push_str("%20"),
            '#' => href.push_str("%23"),
            '?' => href.push_str("%3F"),
            '%' => href.push_str("%25"),
            _ => href.push(c),
        }
    }
    if let Some(line) = line {
        let _ = write!(href, ":{line}");
        if let Some(col) = column {
            let _ = write!(href, ":{col}");
        }
    }
    Some(href)
}

fn count(problems: &[Problem], severity: Severity) -> usize {
    problems.iter().filter(|p| p.severity == severity).count()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
