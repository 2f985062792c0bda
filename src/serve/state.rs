//! What the server shows, and remaking it: check and render the portfolio
//! in memory exactly as `build` does, and keep the last good page while the
//! input has errors. (Open pages hear of each rebuild through the server's
//! generation channel, see [`super::http`].)

use super::page;
use crate::archive::{Limits, PortfolioZip};
use crate::coverage::Status;
use crate::diagnostic::{Problem, Severity};
use crate::document::{Document, build_date};
use crate::render::html::HtmlRenderer;
use crate::report::Checked;
use crate::source::{DiskSource, MemSource, Source};
use crate::workspace::guidance::{Guidance, guidance};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Where the portfolio and what it is checked against live.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The portfolio folder, canonical; or the zip of one (`zipped`).
    pub dir: PathBuf,
    /// `dir` is a zip of a portfolio (`serve p.zip`): read into memory at
    /// each rebuild, exactly as `check p.zip` reads it, and read-only.
    pub zipped: bool,
    pub criteria: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    /// The roster of signers (`--signers`), read at each rebuild.
    pub signers: Option<PathBuf>,
    pub require: Status,
    pub redact: bool,
    /// With `--key`: who decides in the page (a form beside each item).
    pub assessor: Option<super::decide::View>,
    /// Where the page is served: "" for the one portfolio of `serve DIR`,
    /// `/l/FOLDER` for a learner of `serve COHORT` (its forms post to
    /// `{base}/decide`; the learner's own workspace is not offered there).
    pub base: String,
}

/// One learner's line of the caseload, from the last rebuild (see
/// [`crate::document::caseload`]).
pub use crate::document::caseload::CaseloadRow as Row;

/// One rebuild's result.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Counts rebuilds; open pages compare it with theirs.
    pub generation: u64,
    /// The page served at `/`: the panel and the portfolio.
    pub page: String,
    /// The attachments the portfolio refers to, by their path relative to
    /// the portfolio folder ('/'-separated): the only files served.
    pub attachments: BTreeMap<String, Attached>,
    /// How many errors the input has now.
    pub errors: usize,
    /// How long the last rebuild took.
    pub took: Duration,
    /// The caseload's line for this learner.
    pub row: Row,
}

/// Where an attachment's bytes are: a file in the portfolio folder, or
/// the bytes read from the zip (`serve p.zip`).
#[derive(Debug, Clone)]
pub enum Attached {
    File(PathBuf),
    Bytes(bytes::Bytes),
}

/// What `serve p.zip` answers every write (the workspace, decisions).
pub fn read_only_message(zip: &Path) -> String {
    let name = zip
        .file_name()
        .map_or_else(|| zip.display().to_string(), |n| n.to_string_lossy().into_owned());
    format!(
        "This portfolio is a zip ({name}): it is read-only here. Unzip it and serve the folder to add items or record decisions."
    )
}

/// The snapshot shared between the watcher, the request loop and every
/// open event stream.
#[derive(Debug, Default)]
pub struct Shared {
    snapshot: Mutex<Snapshot>,
    stopping: AtomicBool,
    /// The last portfolio rendered without errors, kept while errors last.
    last_good: Mutex<Option<(String, BTreeMap<String, Attached>)>>,
}

impl Shared {
    pub fn snapshot(&self) -> MutexGuard<'_, Snapshot> {
        self.snapshot.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Re-checks and re-renders the portfolio, publishes the new page and
    /// wakes every open page. Never fails: what went wrong is on the page.
    pub fn rebuild(&self, inputs: &Inputs) -> Duration {
        let start = Instant::now();
        let outcome = render(inputs);
        let mut last_good = self.last_good.lock().unwrap_or_else(|e| e.into_inner());
        let errors = outcome
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
            + usize::from(outcome.fatal.is_some());
        if let Some(good) = outcome.good {
            *last_good = Some(good);
        }
        let stale = errors > 0 && last_good.is_some();
        let (html, attachments) = match last_good.as_ref() {
            Some((html, attachments)) => (Some(html.as_str()), attachments.clone()),
            None => (None, BTreeMap::new()),
        };
        let mut snapshot = self.snapshot();
        let generation = snapshot.generation + 1;
        // A zip's files have no place on disk to open: no editor links.
        let shown = inputs.dir.file_name().map(Path::new).unwrap_or(Path::new(""));
        let panel = page::Panel {
            root: if inputs.zipped { shown } else { &inputs.dir },
            problems: &outcome.problems,
            fatal: outcome.fatal.as_deref(),
            stale,
            summary: outcome.summary.as_deref(),
            headline: outcome.headline.as_deref(),
            guidance: &outcome.guidance,
            // A zip without a portfolio.toml is an error, not a new folder.
            started: inputs.zipped || inputs.dir.join(crate::evidence::PORTFOLIO_FILE).is_file(),
            complete: outcome.complete,
            generation,
        };
        let took = start.elapsed();
        let page = if inputs.zipped {
            page::assemble_read_only(html, &panel, &read_only_message(&inputs.dir))
        } else if inputs.base.is_empty() {
            page::assemble(html, &panel)
        } else {
            page::assemble_learner(html, &panel)
        };
        *snapshot = Snapshot {
            generation,
            page,
            attachments,
            errors,
            took,
            row: outcome.row,
        };
        drop(snapshot);
        took
    }
}

struct Rendered {
    problems: Vec<Problem>,
    /// Something that stopped the check itself (criteria, templates, folder).
    fatal: Option<String>,
    /// The portfolio's page and attachments, when it has no errors.
    good: Option<(String, BTreeMap<String, Attached>)>,
    summary: Option<String>,
    headline: Option<String>,
    /// The problems and short criteria in the learner's words.
    guidance: Guidance,
    /// The portfolio meets its requirement: the panel is green only then.
    complete: bool,
    row: Row,
}

fn render(inputs: &Inputs) -> Rendered {
    let mut out = Rendered {
        problems: Vec::new(),
        fatal: None,
        good: None,
        summary: None,
        headline: None,
        guidance: Guidance::default(),
        complete: false,
        row: Row::default(),
    };
    let criteria = match crate::pipeline::criteria(inputs.criteria.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            out.problems = e.problems().to_vec();
            out.guidance = guidance(&out.problems, None);
            out.fatal = Some(e.to_string());
            return out;
        }
    };
    let renderer = match HtmlRenderer::new(inputs.templates.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            out.fatal = Some(e.to_string());
            return out;
        }
    };
    let options = crate::pipeline::CheckOptions {
        require: inputs.require,
        today: crate::date::Date::today(),
        redact: inputs.redact,
    };
    let roster = match inputs
        .signers
        .as_deref()
        .map(crate::decisions::signers::Signers::read)
        .transpose()
    {
        Ok(r) => r,
        Err(e) => {
            out.fatal = Some(crate::error::Error::from(e).to_string());
            return out;
        }
    };
    let files: Box<dyn Source> = if inputs.zipped {
        match unzip(&inputs.dir) {
            Ok(files) => Box::new(files),
            Err(e) => {
                out.fatal = Some(e);
                return out;
            }
        }
    } else {
        Box::new(DiskSource::new(&inputs.dir))
    };
    let outcome = match crate::pipeline::check_shown_from(&*files, &criteria, options, roster.as_ref()) {
        Ok(o) => o,
        Err(e) => {
            out.problems = e.problems().to_vec();
            out.guidance = guidance(&out.problems, None);
            out.fatal = Some(e.to_string());
            return out;
        }
    };
    let coverage = &outcome.coverage;
    let s = &coverage.summary;
    let decider = inputs
        .assessor
        .as_ref()
        .filter(|v| v.role == "assessor")
        .map(|v| v.by.as_str());
    out.row = Row::of(
        Checked {
            criteria: &outcome.criteria,
            portfolio: &outcome.portfolio,
            coverage,
        },
        decider,
    );
    out.complete = coverage.complete;
    out.headline = Some(crate::report::Headline::of(coverage).text);
    out.summary = Some(format!(
        "{} met, {} claimed, {} insufficient, {} missing of {}.",
        s.met, s.claimed, s.insufficient, s.missing, s.total
    ));
    out.problems = coverage.problems.clone();
    out.guidance = guidance(&out.problems, Some((&outcome.portfolio, coverage, &outcome.criteria)));
    if coverage.problems.iter().any(|p| p.is_error()) {
        return out;
    }
    let checked = Checked {
        criteria: &outcome.criteria,
        portfolio: &outcome.portfolio,
        coverage,
    };
    let date = build_date(checked, std::env::var("SOURCE_DATE_EPOCH").ok().as_deref());
    let doc = Document::build_from(checked, &*files, date);
    out.row = std::mem::take(&mut out.row).counted(&doc);
    // In a cohort, forms only for the learners this assessor is named for;
    // an IQA decides from the sample page.
    let view = inputs
        .assessor
        .as_ref()
        .filter(|_| inputs.base.is_empty() || out.row.may_decide);
    let action = format!("{}/decide", inputs.base);
    match renderer.render(&doc) {
        Ok(html) => {
            let html = match view {
                Some(view) => {
                    let codes: Vec<Vec<String>> = doc
                        .items
                        .iter()
                        .map(|i| {
                            let mut codes: Vec<String> = Vec::new();
                            for b in &i.badges {
                                if !codes.contains(&b.display_code) {
                                    codes.push(b.display_code.clone());
                                }
                            }
                            codes
                        })
                        .collect();
                    let items: Vec<super::decide::FormItem<'_>> = doc
                        .items
                        .iter()
                        .zip(&codes)
                        .map(|(i, codes)| super::decide::FormItem {
                            anchor: &i.anchor,
                            id: &i.id,
                            criteria: codes,
                        })
                        .collect();
                    super::decide::inject_forms_to(&html, &items, view, &action)
                }
                None => html,
            };
            out.good = Some((html, attachments(&outcome.portfolio, inputs.zipped.then_some(&*files))));
        }
        Err(e) => out.fatal = Some(e.to_string()),
    }
    out
}

/// The zip at `path`, checked whole and unzipped into memory as `check
/// p.zip` does (the same limits and refusals); what went wrong, in words.
fn unzip(path: &Path) -> Result<MemSource, String> {
    let said = |source| {
        crate::error::Error::Zip {
            path: path.to_path_buf(),
            source,
        }
        .to_string()
    };
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the zip {}: {e}", path.display()))?;
    let zip = PortfolioZip::open(std::io::BufReader::new(file), &Limits::default()).map_err(said)?;
    zip.into_source(path).map_err(said)
}

/// The attachments items refer to that resolved inside the portfolio:
/// files on disk, or with `zip` their bytes from it.
fn attachments(portfolio: &crate::evidence::Portfolio, zip: Option<&dyn Source>) -> BTreeMap<String, Attached> {
    let mut map = BTreeMap::new();
    // `serve --redact`: the files as they are carry what redaction withholds
    // (their bytes and metadata), so none is served.
    if portfolio.settings.redacted {
        return map;
    }
    for item in &portfolio.items {
        for a in &item.attachments {
            let Some(file) = &a.resolved else { continue };
            let full = if file.is_absolute() {
                file.clone()
            } else {
                portfolio.root.join(file)
            };
            let Some(rel) = relative(&portfolio.root, &full) else {
                continue;
            };
            match zip {
                Some(files) => {
                    if let Ok(bytes) = files.read(Path::new(&rel)) {
                        map.insert(rel, Attached::Bytes(bytes::Bytes::from(bytes)));
                    }
                }
                None => {
                    map.insert(rel, Attached::File(full));
                }
            }
        }
    }
    map
}

/// `path` relative to `root`, '/'-separated, when it lies inside it.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            std::path::Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_stay_inside() {
        let root = Path::new("/p");
        assert_eq!(
            relative(root, Path::new("/p/attachments/a.png")).as_deref(),
            Some("attachments/a.png")
        );
        assert_eq!(relative(root, Path::new("/q/a.png")), None);
        assert_eq!(relative(root, Path::new("/p/../q/a.png")), None);
        assert_eq!(relative(root, Path::new("/p")), None);
    }
}
