//! The served page: the built portfolio's HTML with the problems panel and
//! the live-update script put in at serve time. What `build` writes is not
//! changed. The served copy's Content-Security-Policy is an HTTP header
//! ([`CSP`]), not the built page's `<meta>` (which is taken out): scripts
//! only from this server (`/live.js`, [`SCRIPT`]), none inline, no handler
//! attributes, and `connect-src 'self'` for the event stream.

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

const STYLE: &str = include_str!("serve.css");
/// The page's only script, served as `/live.js`.
pub const SCRIPT: &str = include_str!("live.js");

/// The learner's forms, served as `/workspace.js` ([`super::workspace`] is
/// its file side); they live in [`WORKSPACE`], which the live update keeps.
pub const WORKSPACE_SCRIPT: &str = include_str!("workspace.js");

/// Where the workspace's forms are drawn, after the problems panel.
const WORKSPACE: &str = "<section id=\"workspace\" class=\"ws\" aria-labelledby=\"workspace-heading\"><h2 id=\"workspace-heading\">Your evidence</h2></section>\n";

/// The served page's policy, sent as a header: no inline script and no
/// handler attribute runs, whatever an escaping bug lets into the page.
pub const CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; \
                       style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The page served at `/`: `portfolio` (the built HTML, when there is a
/// good one) with the panel at the top of its body.
pub fn assemble(portfolio: Option<&str>, panel: &Panel<'_>) -> String {
    let panel_html = panel_html(panel) + WORKSPACE;
    let head = format!(
        "<meta name=\"portfolio-serve-generation\" content=\"{}\">\n<style>{STYLE}</style>\n<script src=\"/live.js\" defer></script>\n<script src=\"/workspace.js\" defer></script>\n",
        panel.generation
    );
    let Some(html) = portfolio else {
        let empty = if panel.started {
            "No portfolio to show yet: it appears here once the problems above are put right."
        } else {
            "Your portfolio appears here once it is started."
        };
        return format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
\
             <title>Portfolio (not built yet)</title>\n{head}</head>\n<body>\n{panel_html}\
             <main class=\"serve-empty\"><h1>Your portfolio</h1><p>{empty}</p></main>\n\
             </body>\n</html>\n"
        );
    };
    let mut out = String::with_capacity(html.len() + panel_html.len() + head.len() + 64);
    let html = without_meta_csp(html);
    let head_end = html.find("</head>").unwrap_or(0);
    out.push_str(&html[..head_end]);
    out.push_str(&head);
    let rest = &html[head_end..];
    match body_open_end(rest).map(|at| after_skip_link(rest, at)) {
        Some(at) => {
            out.push_str(&rest[..at]);
            out.push_str(&panel_html);
            out.push_str(&rest[at..]);
        }
        None => {
            out.push_str(&panel_html);
            out.push_str(rest);
        }
    }
    out
}

/// The built page without its `<meta>` Content-Security-Policy (in its
/// head): the served copy's policy is the [`CSP`] header, and a second
/// policy in the page would only be added to it.
fn without_meta_csp(html: &str) -> std::borrow::Cow<'_, str> {
    const META: &str = "<meta http-equiv=\"Content-Security-Policy\"";
    let head_end = html.find("</head>").unwrap_or(0);
    let Some(start) = html[..head_end].find(META) else {
        return html.into();
    };
    let Some(end) = html[start..head_end].find('>').map(|e| start + e + 1) else {
        return html.into();
    };
    let end = if html[end..].starts_with('\n') { end + 1 } else { end };
    format!("{}{}", &html[..start], &html[end..]).into()
}

/// `at`, or past the page's "Skip to contents" link when the body starts
/// with one: a skip link stays the first thing on the page.
fn after_skip_link(html: &str, at: usize) -> usize {
    let rest = &html[at..];
    let lead = rest.len() - rest.trim_start().len();
    if !rest[lead..].starts_with("<a class=\"skip\"") {
        return at;
    }
    rest[lead..]
        .find("</a>")
        .map_or(at, |end| at + lead + end + "</a>".len())
}

/// Where the `<body ...>` opening tag ends in `html`.
fn body_open_end(html: &str) -> Option<usize> {
    let start = html.find("<body")?;
    Some(start + html[start..].find('>')? + 1)
}

fn panel_html(p: &Panel<'_>) -> String {
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
    out.push_str("</aside>\n");
    out
}

/// A referral: the item by title, who sent it back and when, the feedback
/// as the assessor wrote it, and the way to the item's form.
fn referral_html(out: &mut String, root: &Path, r: &Referral) {
    let _ = write!(
        out,
        "<li class=\"serve-referral\"><span class=\"serve-sev\">Sent back</span> <strong class=\"serve-item\">{}</strong>",
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
    let _ = write!(
        out,
        "<li class=\"serve-{sev}\"><span class=\"serve-sev\">{word}</span> "
    );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Location, Rule};

    fn panel<'a>(problems: &'a [Problem], guidance: &'a Guidance, stale: bool) -> Panel<'a> {
        Panel {
            root: Path::new("/home/l/my portfolio"),
            problems,
            fatal: None,
            stale,
            summary: None,
            headline: None,
            guidance,
            started: true,
            complete: true,
            generation: 3,
        }
    }

    #[test]
    fn editor_links_are_absolute_with_line_and_column() {
        let root = Path::new("/home/l/my portfolio");
        assert_eq!(
            editor_link(root, Path::new("evidence/01.md"), Some(4), Some(2)).as_deref(),
            Some("vscode://file/home/l/my%20portfolio/evidence/01.md:4:2")
        );
        assert_eq!(
            editor_link(root, Path::new("embedded:unit-214.toml"), Some(1), None),
            None
        );
    }

    #[test]
    fn served_copy_has_no_meta_policy_no_inline_script_and_carries_the_panel() {
        let built = "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head><body class=\"x\"><main>M</main></body></html>";
        let problems = [Problem::new(Rule::InvalidFrontMatter, "bad <toml>").at(Location::at("evidence/01.md", 3, 1))];
        let g = crate::workspace::guidance::guidance(&problems, None);
        let page = assemble(Some(built), &panel(&problems, &g, true));
        assert!(
            !page.contains("Content-Security-Policy"),
            "the policy is the header: {page}"
        );
        assert!(page.contains("<script src=\"/live.js\" defer></script>"), "{page}");
        assert_eq!(page.matches("<script").count(), 2, "{page}");
        assert!(page.contains("<script src=\"/workspace.js\" defer></script>"), "{page}");
        let body = page.find("<body class=\"x\">").unwrap();
        let aside = page.find("<aside id=\"serve-panel\"").unwrap();
        let skipped = assemble(
            Some(
                "<html><head></head><body>\n<a class=\"skip\" href=\"#contents\">Skip to contents</a>\n<main>M</main></body></html>",
            ),
            &panel(&problems, &g, true),
        );
        assert!(
            skipped.find("Skip to contents</a>").unwrap() < skipped.find("<aside").unwrap(),
            "{skipped}"
        );
        assert!(aside > body && aside < page.find("<main>").unwrap());
        assert!(page.contains("Out of date."));
        assert!(page.contains("bad &lt;toml&gt;"));
        assert!(page.contains("href=\"vscode://file/home/l/my%20portfolio/evidence/01.md:3:1\""));
        assert!(page.contains(">evidence/01.md:3:1</a>"));
        // The rule and place are folded away for assessors; the learner reads
        // what to do.
        let details = page
            .find("<details class=\"serve-details\"><summary>Details</summary><code>invalid-front-matter</code>")
            .unwrap();
        assert!(details < page.find("vscode://").unwrap());
        assert!(page.contains("text editor"), "{page}");
        assert!(page.find("<script").unwrap() < page.find("</head>").unwrap());
    }

    #[test]
    fn without_a_good_build_the_panel_stands_alone() {
        let page = assemble(None, &panel(&[], &Guidance::default(), false));
        assert!(page.contains("<script src=\"/live.js\" defer></script>"));
        assert!(!page.contains("<script>"));
        assert!(page.contains("No portfolio to show yet"));
    }

    #[test]
    fn a_folder_without_a_portfolio_points_to_the_start_form_only() {
        let problems = [Problem::new(Rule::InvalidPortfolio, "There is no portfolio.toml here")];
        let g = crate::workspace::guidance::guidance(&problems, None);
        let mut p = panel(&problems, &g, false);
        p.started = false;
        let html = panel_html(&p);
        assert!(html.contains("No portfolio here yet"), "{html}");
        assert!(
            !html.contains("portfolio.toml") && !html.contains("serve-problems"),
            "{html}"
        );
    }

    #[test]
    fn the_panel_is_never_green_while_something_is_short() {
        let g = Guidance::default();
        let mut p = panel(&[], &g, false);
        p.headline = Some("Not complete: 5 criteria need more evidence");
        p.complete = false;
        let html = panel_html(&p);
        assert!(html.contains("class=\"serve-short\""), "{html}");
        assert!(html.contains("Not complete yet."), "{html}");
        assert!(
            html.contains("<h2 id=\"serve-heading\">Not complete: 5 criteria need more evidence</h2>"),
            "{html}"
        );
        p.complete = true;
        assert!(panel_html(&p).contains("class=\"serve-ok\""));
    }
}
