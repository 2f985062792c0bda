//! `serve COHORT`'s `/sample`: the IQA's sample, live. The plan `portfolio
//! sample` makes today ([`crate::sampling`]), each sampled item linked to
//! it in its learner's page, with "Confirm" / "Return" forms when the
//! decider is an IQA, and what each IQA decided on it so far.

use super::caseload::{Cohort, head, url_part, who};
use super::decide::View;
use crate::date::Date;
use crate::render::html::markdown::escape;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The IQA's sample of the cohort, live: the plan `portfolio sample` makes
/// today, each sampled item linked to it in its learner's page, what an
/// IQA decided on it, and (for an IQA) a form to confirm or return it.
pub fn page(
    cohort: &Cohort,
    criteria_dir: Option<&Path>,
    signers: Option<&Path>,
    view: Option<&View>,
    today: Date,
    generation: u64,
) -> String {
    let mut h = head("Sample", "/live.js", generation);
    let _ = write!(
        h,
        "<main>\n<p><a href=\"/\">Back to the caseload</a></p>\n<h1>Sample</h1>\n<p>{}</p>\n",
        who(view, true)
    );
    let criteria = match crate::pipeline::criteria(criteria_dir) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(
                h,
                "<p>The criteria could not be read: {}</p></main></body></html>",
                escape(&e.to_string())
            );
            return h;
        }
    };
    let roster = match signers.map(crate::decisions::signers::Signers::read).transpose() {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(
                h,
                "<p>The roster could not be read: {}</p></main></body></html>",
                escape(&e.to_string())
            );
            return h;
        }
    };
    let folders: Vec<PathBuf> = cohort.learners().iter().map(|l| l.inputs.dir.clone()).collect();
    let (candidates, unread) = crate::sampling::population(&folders, &criteria, roster.as_ref(), today);
    let mut plan = crate::sampling::plan(candidates, cohort.rate, cohort.seed, roster.is_some());
    plan.unread = unread;
    // Per learner: the usable items in page order (for the anchors) and
    // the decisions, read once.
    type Loaded = (Vec<String>, crate::decisions::Decisions);
    let mut loaded: std::collections::BTreeMap<String, Option<Loaded>> = Default::default();
    let mut rows = String::new();
    let mut done = 0usize;
    for (n, (i, why)) in plan.chosen.iter().enumerate() {
        let Some(c) = plan.candidates.get(*i) else { continue };
        let Some(learner) = cohort.learner(&c.folder) else {
            continue;
        };
        let entry = loaded.entry(c.folder.clone()).or_insert_with(|| {
            crate::evidence::load_portfolio(&learner.inputs.dir, &criteria)
                .ok()
                .map(|p| {
                    let usable = p.items.iter().filter(|i| i.usable).map(|i| i.id.clone()).collect();
                    (usable, crate::decisions::load(&p, roster.as_ref(), today))
                })
        });
        let href = entry
            .as_ref()
            .and_then(|(usable, _)| usable.iter().position(|id| *id == c.item))
            .map(|k| {
                format!(
                    "/l/{}/#{}",
                    url_part(&c.folder),
                    crate::document::item_anchor(k + 1, &c.item)
                )
            })
            .unwrap_or_else(|| format!("/l/{}/", url_part(&c.folder)));
        // The IQA's latest decision on the item; done only when it counts
        // (its signature good, and the roster's when there is one).
        let iqa = entry.as_ref().and_then(|(_, decisions)| {
            decisions
                .naming(&c.item)
                .into_iter()
                .rev()
                .find_map(|d| d.record.as_ref().filter(|r| r.role == "iqa").map(|r| (d, r)))
                .map(|(d, r)| {
                    (
                        d.verdict.signed_ok(),
                        format!("{} by {} on {} ({})", r.decision, r.by, r.date, d.verdict.word()),
                    )
                })
        });
        let status = match &iqa {
            Some((true, said)) => {
                done += 1;
                format!("<span class=\"done\">Done:</span> {}", escape(said))
            }
            Some((false, said)) => format!("Not yet: a decision that does not count, {}", escape(said)),
            None => "Not yet".to_string(),
        };
        let anchor = format!("sample-{}", n + 1);
        let _ = write!(
            rows,
            "<section class=\"sampled\" aria-labelledby=\"{anchor}-h\">\n<h3 id=\"{anchor}-h\"><a href=\"{}\">{}: <code>{}</code></a></h3>\n<dl>\
             <dt>Assessor</dt><dd>{}</dd><dt>Decision</dt><dd>{} on {}{}</dd><dt>Method</dt><dd>{}</dd>\
             <dt>Why sampled</dt><dd>{}</dd><dt>IQA</dt><dd>{status}</dd></dl>\n",
            escape(&href),
            escape(&c.learner),
            escape(&c.item),
            escape(&c.assessor),
            escape(&c.outcome),
            escape(&c.date),
            if c.verified { ", signed and verified" } else { "" },
            escape(&c.method),
            escape(&why.join("; ")),
        );
        if let Some(v) = view.filter(|v| v.role == "iqa") {
            rows.push_str(&super::decide::form(
                &anchor,
                &c.item,
                &[],
                v,
                &format!("/l/{}/decide", url_part(&c.folder)),
            ));
        }
        rows.push_str("</section>\n");
    }
    let _ = writeln!(
        h,
        "<p>{} of {} assessed items sampled (rate {:.0}%, seed {}, as <code>portfolio sample</code> plans them); {done} of {} done by an IQA.{}</p>",
        plan.chosen.len(),
        plan.population,
        plan.rate * 100.0,
        plan.seed,
        plan.chosen.len(),
        if plan.roster {
            ""
        } else {
            " Decisions are <strong>not verified</strong>: serve was given no --signers roster."
        }
    );
    if !plan.unread.is_empty() {
        let _ = writeln!(
            h,
            "<p><strong>Not read:</strong> {}</p>",
            escape(&plan.unread.join(", "))
        );
    }
    h.push_str("<h2>Sampled items</h2>\n");
    if plan.chosen.is_empty() {
        h.push_str("<p>Nothing to sample yet: no item of this cohort has an assessor's decision.</p>\n");
    }
    h.push_str(&rows);
    h.push_str("</main>\n</body>\n</html>\n");
    h
}
