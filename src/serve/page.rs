//! The served page: the built portfolio's HTML with the problems panel and
//! the live-update script put in at serve time. What `build` writes is not
//! changed. The served copy's Content-Security-Policy is an HTTP header
//! ([`CSP`]), not the built page's `<meta>` (which is taken out): scripts
//! only from this server (`/live.js`, [`SCRIPT`]), none inline, no handler
//! attributes, and `connect-src 'self'` for the event stream.

use crate::diagnostic::{Problem, Severity};
use crate::render::html::markdown::escape;
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
        return format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
\
             <title>Portfolio (not built yet)</title>\n{head}</head>\n<body>\n{panel_html}\
             <main class=\"serve-empty\"><p>No portfolio to show yet: fix the errors above and it appears here.</p></main>\n\
             </body>\n</html>\n"
        );
    };
    let mut out = String::with_capacity(html.len() + panel_html.len() + head.len() + 64);
    let html = without_meta_csp(html);
    let head_end = html.find("</head>").unwrap_or(0);
    out.push_str(&html[..head_end]);
    out.push_str(&head);
    let rest = &html[head_end..];
    match body_open_end(rest) {
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
    let mut out = format!(
        "<aside id=\"serve-panel\" class=\"serve-{state}\" data-generation=\"{}\" aria-labelledby=\"serve-heading\">\n",
        p.generation
    );
    let _ = write!(
        out,
        "<h2 id=\"serve-heading\">Problems</h2>\n<p class=\"serve-status\" role=\"status\">"
    );
    if errors > 0 && p.stale {
        out.push_str("<strong>Out of date.</strong> The input has errors; the portfolio below is the last one that built. Fix the errors and it updates by itself.");
    } else if errors > 0 {
        out.push_str("<strong>Not built.</strong> The input has errors; fix them and the portfolio appears.");
    } else if !p.complete {
        out.push_str(
            "<strong>Not complete yet.</strong> Up to date with your files; what is still missing is listed below.",
        );
    } else {
        out.push_str("Up to date: the portfolio below is your files as they are now.");
    }
    let _ = write!(
        out,
        " <span class=\"serve-counts\">{errors} error{}, {gaps} gap{}, {warnings} warning{}.</span>",
        plural(errors),
        plural(gaps),
        plural(warnings)
    );
    if let Some(summary) = p.summary {
        let _ = write!(out, " <span class=\"serve-summary\">{}</span>", escape(summary));
    }
    out.push_str("</p>\n");
    if let Some(fatal) = p.fatal {
        let _ = writeln!(
            out,
            "<p class=\"serve-fatal\"><span class=\"serve-sev\">error</span> {}</p>",
            escape(fatal)
        );
    }
    let mut shown: Vec<&Problem> = p.problems.iter().collect();
    shown.sort_by_key(|q| q.severity);
    if !shown.is_empty() {
        out.push_str("<ul class=\"serve-problems\">\n");
        for q in shown {
            problem_html(&mut out, p.root, q);
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</aside>\n");
    out
}

fn problem_html(out: &mut String, root: &Path, q: &Problem) {
    let sev = q.severity.label();
    let _ = write!(
        out,
        "<li class=\"serve-{sev}\"><span class=\"serve-sev\">{sev}</span> <code>{}</code> ",
        q.rule.id()
    );
    if let Some(loc) = &q.location {
        let shown_path = loc.file.display().to_string();
        let mut place = shown_path.clone();
        if let Some(line) = loc.line {
            let _ = write!(place, ":{line}");
            if let Some(col) = loc.column {
                let _ = write!(place, ":{col}");
            }
        }
        match editor_link(root, &loc.file, loc.line, loc.column) {
            Some(href) => {
                let _ = write!(
                    out,
                    "<a class=\"serve-loc\" href=\"{}\" title=\"Open in VS Code: {}\">{}</a> ",
                    escape(&href),
                    escape(&root.join(&loc.file).display().to_string()),
                    escape(&place)
                );
            }
            None => {
                let _ = write!(out, "<span class=\"serve-loc\">{}</span> ", escape(&place));
            }
        }
    } else if let Some((fw, code)) = &q.criterion {
        let _ = write!(out, "<span class=\"serve-loc\">{} {}</span> ", escape(fw), escape(code));
    }
    let _ = write!(out, "<span class=\"serve-msg\">{}</span>", escape(&q.message));
    if let Some(hint) = &q.hint {
        let _ = write!(out, " <span class=\"serve-hint\">{}</span>", escape(hint));
    }
    out.push_str("</li>\n");
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

    fn panel<'a>(problems: &'a [Problem], stale: bool) -> Panel<'a> {
        Panel {
            root: Path::new("/home/l/my portfolio"),
            problems,
            fatal: None,
            stale,
            summary: None,
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
        let page = assemble(Some(built), &panel(&problems, true));
        assert!(
            !page.contains("Content-Security-Policy"),
            "the policy is the header: {page}"
        );
        assert!(page.contains("<script src=\"/live.js\" defer></script>"), "{page}");
        assert_eq!(page.matches("<script").count(), 2, "{page}");
        assert!(page.contains("<script src=\"/workspace.js\" defer></script>"), "{page}");
        let body = page.find("<body class=\"x\">").unwrap();
        let aside = page.find("<aside id=\"serve-panel\"").unwrap();
        assert!(aside > body && aside < page.find("<main>").unwrap());
        assert!(page.contains("Out of date."));
        assert!(page.contains("bad &lt;toml&gt;"));
        assert!(page.contains("href=\"vscode://file/home/l/my%20portfolio/evidence/01.md:3:1\""));
        assert!(page.contains(">evidence/01.md:3:1</a>"));
        assert!(page.find("<script").unwrap() < page.find("</head>").unwrap());
    }

    #[test]
    fn without_a_good_build_the_panel_stands_alone() {
        let page = assemble(None, &panel(&[], false));
        assert!(page.contains("<script src=\"/live.js\" defer></script>"));
        assert!(!page.contains("<script>"));
        assert!(page.contains("No portfolio to show yet"));
    }

    #[test]
    fn the_panel_is_never_green_while_something_is_short() {
        let mut p = panel(&[], false);
        p.complete = false;
        let html = panel_html(&p);
        assert!(html.contains("class=\"serve-short\""), "{html}");
        assert!(html.contains("Not complete yet."), "{html}");
        p.complete = true;
        assert!(panel_html(&p).contains("class=\"serve-ok\""));
    }
}
