//! The served page: the built portfolio's HTML with the problems panel and
//! the live-update script put in at serve time. What `build` writes is not
//! changed. The served copy's Content-Security-Policy is an HTTP header
//! ([`CSP`]), not the built page's `<meta>` (which is taken out): scripts
//! only from this server (`/live.js`, [`SCRIPT`]), none inline, no handler
//! attributes, and `connect-src 'self'` for the event stream.

use crate::workspace::panel::panel_html;
pub use crate::workspace::panel::{Panel, editor_link};

/// The served pages' styles (the panel, the decision forms).
pub(super) const STYLE: &str = include_str!("serve.css");
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
    let head = format!(
        "<meta name=\"portfolio-serve-generation\" content=\"{}\">\n<style>{STYLE}</style>\n<script src=\"/live.js\" defer></script>\n<script src=\"/workspace.js\" defer></script>\n",
        panel.generation
    );
    assemble_with(portfolio, panel, &head, &(panel_html(panel) + WORKSPACE))
}

/// A learner's page in `serve COHORT` (`/l/FOLDER/`): as [`assemble`],
/// with a link back to the caseload and without the learner's own
/// workspace (the assessor reads and decides; the learner writes).
pub fn assemble_learner(portfolio: Option<&str>, panel: &Panel<'_>) -> String {
    let head = format!(
        "<meta name=\"portfolio-serve-generation\" content=\"{}\">\n<style>{STYLE}</style>\n<script src=\"/live.js\" defer></script>\n",
        panel.generation
    );
    let top = "<nav class=\"serve-back\" aria-label=\"Caseload\"><a href=\"/\">Back to the caseload</a></nav>\n"
        .to_string()
        + &panel_html(panel);
    assemble_with(portfolio, panel, &head, &top)
}

/// The page of `serve p.zip`: as [`assemble`], with `note` (the zip is
/// read-only) at the top and without the learner's workspace: nothing in
/// a zip can be added to or decided on here.
pub fn assemble_read_only(portfolio: Option<&str>, panel: &Panel<'_>, note: &str) -> String {
    let head = format!(
        "<meta name=\"portfolio-serve-generation\" content=\"{}\">\n<style>{STYLE}</style>\n<script src=\"/live.js\" defer></script>\n",
        panel.generation
    );
    let top = format!(
        "<p id=\"serve-read-only\" class=\"serve-read-only\" role=\"note\">{}</p>\n{}",
        crate::render::html::markdown::escape(note),
        panel_html(panel)
    );
    assemble_with(portfolio, panel, &head, &top)
}

fn assemble_with(portfolio: Option<&str>, panel: &Panel<'_>, head: &str, panel_html: &str) -> String {
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
    out.push_str(head);
    let rest = &html[head_end..];
    match body_open_end(rest).map(|at| after_skip_link(rest, at)) {
        Some(at) => {
            out.push_str(&rest[..at]);
            out.push_str(panel_html);
            out.push_str(&rest[at..]);
        }
        None => {
            out.push_str(panel_html);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Problem;
    use crate::diagnostic::{Location, Rule};
    use crate::workspace::guidance::Guidance;
    use std::path::Path;

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
