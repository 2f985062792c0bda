//! `serve COHORT`: an assessor's caseload and an IQA's sample, live. A
//! cohort is a folder of learners as `batch` reads it (a folder without
//! portfolio.toml whose sub-folders have one, found by
//! [`crate::batch::discover`]). Each learner is checked and rendered as
//! `serve DIR` does (one [`Shared`] each, rebuilt by its own watcher) and
//! served under `/l/FOLDER/`; FOLDER must be one of the learners' folders
//! (looked up by name, never joined to a path). A learner's folder that
//! appears while serve runs is added by the cohort's watcher.
//!
//! The page at `/` is the caseload ([`page`]): a row per learner with their
//! progress, items awaiting a decision, open referrals and the days since
//! a file of theirs last changed (from modification times, read here, not
//! in the core), sorted and filtered by its query (`?sort=-days&q=ben&mine=1`),
//! so it works without script; `/caseload.js` sorts and filters in place.
//! Only the learners whose portfolio.toml names the decider (`--as`) as
//! their assessor get decision forms; the others are read-only.
//!
//! `/sample`, the IQA's sample, is [`super::sample`]; it shares this
//! page's head and its sentence on who is deciding.

use super::decide::View;
use super::state::{Inputs, Row, Shared};
use crate::date::Date;
use crate::render::html::markdown::escape;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

/// One learner of the cohort.
#[derive(Debug)]
pub struct Learner {
    /// The sub-folder's name, as discovered: the only names `/l/` answers.
    pub folder: String,
    pub inputs: Inputs,
    pub shared: Arc<Shared>,
}

/// The cohort being served: the learners found at start, then each
/// learner's folder that appears while it runs ([`Cohort::add`], from the
/// cohort's watcher).
#[derive(Debug)]
pub struct Cohort {
    /// The cohort folder, canonical.
    pub dir: PathBuf,
    /// In the order found; a lock held only to read or push the list.
    learners: RwLock<Vec<Arc<Learner>>>,
    /// The sample's rate and seed, as `portfolio sample --rate --seed`.
    pub rate: f64,
    pub seed: u64,
}

impl Cohort {
    pub fn new(dir: PathBuf, learners: Vec<Learner>, rate: f64, seed: u64) -> Cohort {
        Cohort {
            dir,
            learners: RwLock::new(learners.into_iter().map(Arc::new).collect()),
            rate,
            seed,
        }
    }

    /// The learners now.
    pub fn learners(&self) -> Vec<Arc<Learner>> {
        self.learners
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The learner served under `/l/FOLDER/`, if FOLDER was discovered.
    pub fn learner(&self, folder: &str) -> Option<Arc<Learner>> {
        self.learners
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .find(|l| l.folder == folder)
            .cloned()
    }

    /// Drops the learner whose folder is `dir` (it was deleted or moved).
    pub fn remove(&self, dir: &Path) {
        self.learners
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|l| l.inputs.dir != dir);
    }

    /// Adds a learner whose folder appeared after the start; `false` (and
    /// nothing added) when one of that folder name is served already.
    pub fn add(&self, learner: Learner) -> bool {
        let mut list = self.learners.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if list.iter().any(|l| l.folder == learner.folder) {
            return false;
        }
        list.push(Arc::new(learner));
        true
    }
}

/// Whether `dir` is a cohort: it has no portfolio.toml, and sub-folders do.
pub fn is_cohort(dir: &Path) -> bool {
    !dir.join(crate::evidence::PORTFOLIO_FILE).exists()
        && crate::batch::discover(dir).is_ok_and(|(learners, _)| !learners.is_empty())
}

/// How many files and folders the walk for the last change looks at, per
/// learner, at most.
const WALK_LIMIT: usize = 20_000;

/// When a file in `dir` last changed: the newest modification time of its
/// files and folders (symbolic links not followed, hidden names skipped),
/// looking at no more than [`WALK_LIMIT`] entries.
pub fn last_change(dir: &Path) -> Option<SystemTime> {
    let mut newest: Option<SystemTime> = None;
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = 0usize;
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            seen += 1;
            if seen > WALK_LIMIT {
                return newest;
            }
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_symlink() {
                continue;
            }
            if let Ok(modified) = entry.metadata().and_then(|m| m.modified()) {
                newest = Some(newest.map_or(modified, |n| n.max(modified)));
            }
            if kind.is_dir() {
                stack.push(entry.path());
            }
        }
    }
    newest
}

/// Whole days from `time`'s day (UTC) to `today`; 0 for a time after it.
pub fn days_since(time: SystemTime, today: Date) -> i64 {
    let secs = match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    };
    (today.days_since_epoch() - secs.div_euclid(86_400)).max(0)
}

/// A column the caseload sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Name,
    Progress,
    Awaiting,
    Referrals,
    Days,
}

impl Sort {
    const ALL: [Sort; 5] = [Sort::Name, Sort::Progress, Sort::Awaiting, Sort::Referrals, Sort::Days];

    fn key(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Progress => "progress",
            Sort::Awaiting => "awaiting",
            Sort::Referrals => "referrals",
            Sort::Days => "days",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Sort::Name => "Learner",
            Sort::Progress => "Progress",
            Sort::Awaiting => "Awaiting a decision",
            Sort::Referrals => "Open referrals",
            Sort::Days => "Days since last change",
        }
    }
}

/// What the caseload's query asks: `sort=KEY` (or `-KEY`, descending),
/// `q=TEXT` (in the name or folder), `mine=1` (only the learners the
/// decider is named for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub sort: Sort,
    pub descending: bool,
    pub text: String,
    pub mine: bool,
}

impl Query {
    /// Reads a query string; anything it does not know is ignored.
    pub fn parse(query: &str) -> Query {
        let mut out = Query {
            sort: Sort::Name,
            descending: false,
            text: String::new(),
            mine: false,
        };
        for pair in query.split('&').take(16) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = super::route::percent_decode(&value.replace('+', " ")).unwrap_or_default();
            match key {
                "sort" => {
                    let (descending, name) = match value.strip_prefix('-') {
                        Some(name) => (true, name),
                        None => (false, value.as_str()),
                    };
                    if let Some(sort) = Sort::ALL.into_iter().find(|s| s.key() == name) {
                        out.sort = sort;
                        out.descending = descending;
                    }
                }
                "q" => out.text = value.trim().chars().take(100).collect(),
                "mine" => out.mine = value == "1",
                _ => {}
            }
        }
        out
    }
}

/// One learner's row as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub folder: String,
    pub row: Row,
    pub days: Option<i64>,
}

impl Line {
    fn name(&self) -> &str {
        self.row
            .name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&self.folder)
    }

    /// Met as a share of all, in parts per thousand (for sorting).
    fn progress(&self) -> usize {
        (self.row.met * 1000).checked_div(self.row.total).unwrap_or(0)
    }
}

/// The lines the query keeps, in its order (ties by name, then folder).
pub fn arrange(mut lines: Vec<Line>, query: &Query) -> Vec<Line> {
    let text = query.text.to_lowercase();
    lines.retain(|l| {
        (!query.mine || l.row.may_decide)
            && (text.is_empty() || l.name().to_lowercase().contains(&text) || l.folder.to_lowercase().contains(&text))
    });
    lines.sort_by(|a, b| {
        let by = match query.sort {
            Sort::Name => a.name().to_lowercase().cmp(&b.name().to_lowercase()),
            Sort::Progress => a.progress().cmp(&b.progress()),
            Sort::Awaiting => a.row.awaiting.cmp(&b.row.awaiting),
            Sort::Referrals => a.row.referrals.cmp(&b.row.referrals),
            Sort::Days => a.days.cmp(&b.days),
        };
        let by = if query.descending { by.reverse() } else { by };
        by.then_with(|| a.name().cmp(b.name()))
            .then_with(|| a.folder.cmp(&b.folder))
    });
    lines
}

/// `s` percent-encoded for a URL path or query value: only unreserved
/// characters are left as they are.
pub fn url_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Every learner's line now: their last rebuild and, read here, when
/// their files last changed.
pub fn lines(cohort: &Cohort, today: Date) -> Vec<Line> {
    cohort
        .learners()
        .iter()
        .map(|l| Line {
            folder: l.folder.clone(),
            row: l.shared.snapshot().row.clone(),
            days: last_change(&l.inputs.dir).map(|t| days_since(t, today)),
        })
        .collect()
}

const STYLE: &str = "[hidden]{display:none!important}body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1b1b1b}\
a{color:#1d4f91}a:focus,button:focus,input:focus,textarea:focus{outline:3px solid #ffdd00;outline-offset:1px}\
table{border-collapse:collapse;width:100%;margin:.75rem 0}th,td{border-bottom:1px solid #c8ced8;padding:.4rem .5rem;text-align:left;vertical-align:top}\
th{background:#f3f5f9}td.n{text-align:right;font-variant-numeric:tabular-nums}th.n{text-align:right}\
.cl-filter{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:.75rem 0}.cl-filter label{display:block;font-weight:600}\
.cl-filter input[type=search]{font:inherit;padding:.3rem .4rem;min-width:14rem;border:2px solid #505a5f}\
.cl-filter .cl-check{display:flex;gap:.4rem;align-items:center;font-weight:400}button{font:inherit;padding:.35rem .8rem}\
.cl-ro{color:#505a5f}.cl-yes{color:#1d5e20;font-weight:600}.cl-muted{color:#505a5f}\
@media (max-width:40rem){.cl-table thead,.cl-table tbody{display:block}.cl-table thead tr{display:flex;flex-wrap:wrap;gap:.2rem .9rem;border-bottom:2px solid #c8ced8}\
.cl-table thead th{display:block;border:0;background:none;padding:.3rem 0}.cl-table thead th:last-child{display:none}\
.cl-table tbody tr{display:block;border-bottom:2px solid #c8ced8;padding:.4rem 0}\
.cl-table td{display:flex;justify-content:space-between;gap:1rem;border:0;padding:.15rem .25rem;text-align:left}\
.cl-table td::before{content:attr(data-label);font-weight:600;color:#333}.cl-table td.n{text-align:right}}\
.sampled{border-top:2px solid #c8ced8;padding:.5rem 0}.sampled h3{margin:.25rem 0}.sampled dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.25rem 0}\
.sampled dt{font-weight:600}.sampled dd{margin:0}.done{color:#1d5e20;font-weight:600}.cl-arrow{margin-left:.25rem}";

/// The page head shared by the caseload and the sample.
pub(super) fn head(title: &str, script: &str, generation: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{}{STYLE}</style>\n<script src=\"{script}\" defer></script>\n</head>\n\
         <body data-generation=\"{generation}\">\n",
        escape(title),
        super::page::STYLE
    )
}

/// Who is deciding, in a sentence for the top of both pages.
pub(super) fn who(view: Option<&View>, on_sample: bool) -> String {
    match view {
        None => "Read-only: serve was started without --key and --as, so no decision can be recorded here.".into(),
        Some(v) if v.role == "iqa" => format!(
            "You are {} (IQA): you confirm or return the sampled assessors' decisions {}; learners' portfolios are read-only for you.",
            escape(&v.by),
            if on_sample {
                "below"
            } else {
                "on the <a href=\"/sample\">Sample</a> page"
            }
        ),
        Some(v) => format!(
            "You are {} (assessor): you decide for the learners whose portfolio.toml names you; the others are read-only.",
            escape(&v.by)
        ),
    }
}

/// The caseload page for `lines` (all of them; the query filters and sorts).
pub fn page(lines: Vec<Line>, query: &Query, view: Option<&View>, cohort_name: &str, generation: u64) -> String {
    let total = lines.len();
    let mine = lines.iter().filter(|l| l.row.may_decide).count();
    let shown = arrange(lines, query);
    let mut h = head("Caseload", "/caseload.js", generation);
    let _ = write!(
        h,
        "<main>\n<h1>Caseload</h1>\n<p id=\"cl-total\">{total} learner{} in <code>{}</code>. {}</p>\n<p><a href=\"/sample\">IQA sample</a></p>\n",
        if total == 1 { "" } else { "s" },
        escape(cohort_name),
        who(view, false)
    );
    if view.is_some_and(|v| v.role == "assessor") {
        let _ = writeln!(h, "<p id=\"cl-mine\">You decide for {mine} of {total}.</p>");
    }
    let sort_value = format!("{}{}", if query.descending { "-" } else { "" }, query.sort.key());
    let _ = write!(
        h,
        "<form class=\"cl-filter\" method=\"get\" action=\"/\" role=\"search\">\n\
         <div><label for=\"cl-q\">Find a learner</label><input type=\"search\" id=\"cl-q\" name=\"q\" value=\"{}\" autocomplete=\"off\"></div>\n\
         <label class=\"cl-check\"><input type=\"checkbox\" name=\"mine\" value=\"1\"{}> Only learners I decide for</label>\n\
         <input type=\"hidden\" name=\"sort\" value=\"{sort_value}\">\n<button type=\"submit\">Filter</button>\n</form>\n",
        escape(&query.text),
        if query.mine { " checked" } else { "" }
    );
    let _ = writeln!(
        h,
        "<p id=\"cl-count\" role=\"status\">Showing {} of {total} learners.</p>",
        shown.len()
    );
    h.push_str("<table class=\"cl-table\" id=\"caseload\">\n<caption class=\"cl-muted\">One row per learner; choose a heading to sort by it.</caption>\n<thead><tr>");
    let keep = {
        let mut k = String::new();
        if !query.text.is_empty() {
            let _ = write!(k, "&amp;q={}", url_part(&query.text));
        }
        if query.mine {
            k.push_str("&amp;mine=1");
        }
        k
    };
    for sort in Sort::ALL {
        let current = sort == query.sort;
        // Choosing the current column again turns its order round; a count
        // is first sorted largest first.
        let descending = if current { !query.descending } else { sort != Sort::Name };
        let aria = match (current, query.descending) {
            (false, _) => String::new(),
            (true, false) => " aria-sort=\"ascending\"".into(),
            (true, true) => " aria-sort=\"descending\"".into(),
        };
        let arrow = match (current, query.descending) {
            (false, _) => "",
            (true, false) => "<span class=\"cl-arrow\" aria-hidden=\"true\">▲</span>",
            (true, true) => "<span class=\"cl-arrow\" aria-hidden=\"true\">▼</span>",
        };
        let _ = write!(
            h,
            "<th scope=\"col\"{aria}{}><a href=\"/?sort={}{}{keep}\" data-sort=\"{}\">{}</a>{arrow}</th>",
            if sort == Sort::Name { "" } else { " class=\"n\"" },
            if descending { "-" } else { "" },
            sort.key(),
            sort.key(),
            sort.heading()
        );
    }
    h.push_str("<th scope=\"col\">Decisions</th></tr></thead>\n<tbody>\n");
    let dash = "<span class=\"cl-muted\">–</span>";
    for l in &shown {
        let count = |n: Option<usize>| n.map_or(dash.to_string(), |n| n.to_string());
        let decides = if l.row.may_decide {
            "<span class=\"cl-yes\">You decide</span>"
        } else {
            "<span class=\"cl-ro\">Read-only</span>"
        };
        let _ = writeln!(
            h,
            "<tr data-name=\"{}\" data-progress=\"{}\" data-awaiting=\"{}\" data-referrals=\"{}\" data-days=\"{}\" data-mine=\"{}\">\
             <td data-label=\"Learner\"><a href=\"/l/{}/\">{}</a></td>\
             <td class=\"n\" data-label=\"Progress\">{} of {} met</td>\
             <td class=\"n\" data-label=\"Awaiting a decision\">{}</td>\
             <td class=\"n\" data-label=\"Open referrals\">{}</td>\
             <td class=\"n\" data-label=\"Days since last change\">{}</td>\
             <td data-label=\"Decisions\">{decides}</td></tr>",
            escape(&format!("{} {}", l.name(), l.folder).to_lowercase()),
            l.progress(),
            l.row.awaiting.map_or(-1, |n| n as i64),
            l.row.referrals.map_or(-1, |n| n as i64),
            l.days.unwrap_or(-1),
            u8::from(l.row.may_decide),
            url_part(&l.folder),
            escape(l.name()),
            l.row.met,
            l.row.total,
            count(l.row.awaiting),
            count(l.row.referrals),
            l.days.map_or(dash.to_string(), |d| d.to_string()),
        );
    }
    h.push_str("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(folder: &str, name: &str, met: usize, awaiting: usize, days: i64, mine: bool) -> Line {
        Line {
            folder: folder.into(),
            row: Row {
                name: Some(name.into()),
                met,
                total: 10,
                awaiting: Some(awaiting),
                referrals: Some(0),
                may_decide: mine,
            },
            days: Some(days),
        }
    }

    #[test]
    fn the_query_sorts_and_filters_and_ignores_what_it_does_not_know() {
        let q = Query::parse("sort=-days&q=Ben+C&mine=1&x=%zz");
        assert_eq!(
            q,
            Query {
                sort: Sort::Days,
                descending: true,
                text: "Ben C".into(),
                mine: true
            }
        );
        assert_eq!(Query::parse("sort=../../etc").sort, Sort::Name);
        let lines = vec![
            line("a", "Amira Khan", 3, 1, 4, true),
            line("b", "Ben Carter", 7, 0, 30, false),
            line("c", "Chloe Dunn", 5, 2, 1, true),
        ];
        let names = |q: &str| -> Vec<String> {
            arrange(lines.clone(), &Query::parse(q))
                .iter()
                .map(|l| l.folder.clone())
                .collect()
        };
        assert_eq!(names(""), ["a", "b", "c"]);
        assert_eq!(names("sort=-days"), ["b", "a", "c"]);
        assert_eq!(names("sort=progress"), ["a", "c", "b"]);
        assert_eq!(names("sort=-awaiting"), ["c", "a", "b"]);
        assert_eq!(names("mine=1"), ["a", "c"]);
        assert_eq!(names("q=carter"), ["b"]);
    }

    #[test]
    fn the_page_links_each_learner_and_says_who_decides() {
        let view = View {
            by: "j.patel@c".into(),
            role: "assessor".into(),
            passphrase: false,
        };
        let lines = vec![
            line("amira k", "Amira <Khan>", 3, 1, 4, true),
            line("ben", "Ben Carter", 7, 0, 30, false),
        ];
        let html = page(lines, &Query::parse("sort=-days"), Some(&view), "cohort", 3);
        assert!(html.contains("<h1>Caseload</h1>"));
        assert!(
            html.contains("<a href=\"/l/amira%20k/\">Amira &lt;Khan&gt;</a>"),
            "{html}"
        );
        assert!(html.contains("You decide for 1 of 2."));
        assert!(
            html.find("Ben Carter").unwrap() < html.find("Amira").unwrap(),
            "most days first"
        );
        assert!(html.contains("aria-sort=\"descending\""));
        assert!(html.contains("href=\"/?sort=days\""), "the current column turns round");
        assert!(!html.contains("<script>"), "no inline script");
        let handler = html.split(" on").skip(1).any(|rest| {
            rest.split(|c: char| !c.is_ascii_alphabetic())
                .next()
                .is_some_and(|w| !w.is_empty())
                && rest
                    .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                    .starts_with('=')
        });
        assert!(!handler, "no handler attribute");
    }

    #[test]
    fn days_count_from_the_last_change_and_never_go_below_zero() {
        let today = Date::new(2026, 4, 22).unwrap();
        let day = |d: Date| {
            SystemTime::UNIX_EPOCH + std::time::Duration::from_secs((d.days_since_epoch() * 86_400 + 3600) as u64)
        };
        assert_eq!(days_since(day(Date::new(2026, 4, 12).unwrap()), today), 10);
        assert_eq!(days_since(day(Date::new(2026, 4, 30).unwrap()), today), 0);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("evidence")).unwrap();
        std::fs::write(dir.path().join("evidence/a.md"), "x").unwrap();
        assert!(last_change(dir.path()).is_some());
    }
}
