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
    h.push_str("</tbody></table>\n<h2>Sampled items</h2>\n<table><thead><tr><th>Learner</th><th>Item</th><th>Assessor</th><th>Method</th><th>Outcome</th><th>Decided</th><th>Site</th><th>Verified</th><th>Why sampled</th></tr></thead><tbody>\n");
    for (i, why) in &plan.chosen {
        let c = &plan.candidates[*i];
        let _ = writeln!(
            h,
            "<tr><td>{}<br><span class=\"muted\">{}</span></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.learner),
            esc(&c.folder),
            esc(&c.item),
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
    h.push_str("</tbody></table>\n</body></html>\n");
    h
}
