//! The sampling plan as one readable, self-contained HTML page.

use super::Plan;
use std::fmt::Write as _;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page: the strategy in a sentence, each assessor's share, then every
/// sampled item with why it was chosen.
pub fn html(plan: &Plan) -> String {
    html_with(plan, None)
}

/// What the page can say beside a sampled item when the portfolios are at
/// hand (the EQA's pack): a link to the item in its learner's built
/// portfolio, and the IQA's decision on it ("confirmed by r.obi@… on
/// 2026-05-02, verified"), `None` when not yet done.
pub struct Beside<'a> {
    pub item: &'a dyn Fn(usize) -> (Option<String>, Option<String>),
}

/// [`html`], with each sampled item (an index into `plan.candidates`)
/// linked to and its IQA decision shown, when `beside` is given.
pub fn html_with(plan: &Plan, beside: Option<&Beside<'_>>) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>IQA sampling plan</title>\n<style>body{{font:15px/1.45 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1d2430}}table{{border-collapse:collapse;width:100%;margin:1rem 0}}th,td{{border-bottom:1px solid #d8dde6;padding:.3rem .5rem;text-align:left;vertical-align:top}}th{{background:#f3f5f9}}.muted{{color:#5b6472}}td.n{{text-align:right}}</style></head><body>\n<h1>IQA sampling plan</h1>\n<p>{} of {} assessed items sampled (rate {:.0}%, seed {}); decisions {} against a roster of signers. Every assessor, method, outcome, site and quarter is sampled at least once; then each assessor's quota is filled, doubled for an assessor with decisions returned by an IQA and raised by half for one with few verified decisions.</p>\n",
        plan.chosen.len(),
        plan.population,
        plan.rate * 100.0,
        plan.seed,
        if plan.roster {
            "verified"
        } else {
            "<strong>not verified</strong>"
        }
    );
    if !plan.unread.is_empty() {
        let _ = writeln!(h, "<p><strong>Not read:</strong> {}</p>", esc(&plan.unread.join(", ")));
    }
    h.push_str("<h2>Assessors</h2>\n<table><thead><tr><th>Assessor</th><th>Decisions</th><th>Verified</th><th>Returned</th><th>Weight</th><th>Sampled</th><th>Why</th></tr></thead><tbody>\n");
    for a in &plan.assessors {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&a.assessor),
            a.decisions,
            a.verified,
            a.returned,
            a.weight,
            a.sampled,
            esc(&a.why)
        );
    }
    h.push_str("</tbody></table>\n<h2>Sampled items</h2>\n<table><thead><tr><th>Learner</th><th>Item</th><th>Assessor</th><th>Method</th><th>Outcome</th><th>Decided</th><th>Site</th><th>Verified</th><th>Why sampled</th>");
    if beside.is_some() {
        h.push_str("<th>IQA</th>");
    }
    h.push_str("</tr></thead><tbody>\n");
    let done = plan
        .chosen
        .iter()
        .filter(|(i, _)| beside.is_some_and(|b| (b.item)(*i).1.is_some()))
        .count();
    for (i, why) in &plan.chosen {
        let c = &plan.candidates[*i];
        let (link, iqa) = beside.map_or((None, None), |b| (b.item)(*i));
        let item = match link {
            Some(href) => format!("<a href=\"{}\"><code>{}</code></a>", esc(&href), esc(&c.item)),
            None => format!("<code>{}</code>", esc(&c.item)),
        };
        let iqa = match (beside, iqa) {
            (None, _) => String::new(),
            (Some(_), Some(said)) => format!("<td>{}</td>", esc(&said)),
            (Some(_), None) => "<td class=\"muted\">not yet</td>".to_string(),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}<br><span class=\"muted\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td>{iqa}</tr>",
            esc(&c.learner),
            esc(&c.folder),
            item,
            esc(&c.assessor),
            esc(&c.method),
            esc(&c.outcome),
            esc(&c.date),
            c.quarter(),
            esc(&c.site),
            if c.verified { "yes" } else { "no" },
            esc(&why.join("; "))
        );
    }
    h.push_str("</tbody></table>\n");
    if beside.is_some() {
        let _ = writeln!(
            h,
            "<p>{done} of {} sampled items have an IQA decision.</p>",
            plan.chosen.len()
        );
    }
    h.push_str("</body></html>\n");
    h
}
