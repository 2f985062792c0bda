//! Batch: a whole cohort at once. Every immediate sub-folder of the cohort
//! folder with a `portfolio.toml` is one learner; each is checked and built
//! into its own output folder, in parallel (rayon), with failures isolated
//! (an input error or even a panic in one learner never stops the others).
//! Only a small summary of each learner is kept, so memory stays flat in the
//! size of the cohort. The cohort outputs are in [`cohort`].

pub mod cohort;
pub mod generate;
pub mod naming;

use crate::build::build;
use crate::coverage::{Status, Summary};
use crate::criteria::Criteria;
use crate::date::Date;
use crate::diagnostic::Severity;
use crate::error::Error;
use crate::evidence::{Learner, PORTFOLIO_FILE};
use crate::render::Formats;
use crate::render::html::HtmlRenderer;
use crate::report::{Checked, ProblemJson};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    pub jobs: usize,
    pub formats: Formats,
    pub require: Status,
    pub today: Date,
    /// `SOURCE_DATE_EPOCH`, for the build date of every portfolio.
    pub source_date_epoch: Option<String>,
    /// Mask personal data in every output.
    pub redact: bool,
    /// The centre's roster of signers (`--signers`), for every learner.
    pub signers: Option<crate::decisions::signers::Signers>,
}

/// What is kept of one learner after their portfolio is built.
#[derive(Debug, Clone)]
pub struct LearnerResult {
    /// The learner's folder name inside the cohort folder.
    pub source: String,
    /// Their output folder name inside OUT (also when the build failed: the
    /// name it would have had).
    pub folder: String,
    pub learner: Learner,
    pub assessor: String,
    pub built: bool,
    pub complete: bool,
    pub summary: Summary,
    /// How the `met` criteria were decided.
    pub met_by: crate::decisions::MetBy,
    /// One status per criterion of the loaded frameworks, in catalogue
    /// order; `None` for the frameworks this learner's portfolio does not
    /// show (neither assessed nor cited).
    pub statuses: Vec<Option<Status>>,
    /// Progress in each assessed unit (several for a qualification).
    pub units: Vec<UnitProgress>,
    /// Assessed criteria below the required status.
    pub gaps: usize,
    pub errors: usize,
    pub warnings: usize,
    pub last_evidence: Option<Date>,
    /// Why the learner was not built: the first problems, or the failure.
    pub failure: Vec<ProblemJson>,
    pub failure_message: Option<String>,
    /// Narratives that are near-copies of another learner's
    /// (`copied-from-another-learner`).
    pub copies: Vec<CopyAcross>,
}

pub use crate::document::cohort::{CopyAcross, UnitProgress};

/// A whole batch run.
#[derive(Debug, Clone)]
pub struct BatchResult {
    pub learners: Vec<LearnerResult>,
    /// Sub-folders that are not portfolios, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Output folders renamed to avoid a collision: (wanted, given).
    pub renamed: Vec<(String, String)>,
}

impl BatchResult {
    pub fn failed(&self) -> usize {
        self.learners.iter().filter(|l| !l.built).count()
    }
}

/// Sub-folders that are not portfolios: (folder name, reason).
pub type SkippedFolders = Vec<(String, String)>;

/// The learners' folders in `cohort`, sorted, and the sub-folders skipped.
pub fn discover(cohort: &Path) -> Result<(Vec<PathBuf>, SkippedFolders), Error> {
    let read = std::fs::read_dir(cohort).map_err(|source| Error::CohortDir {
        path: cohort.to_path_buf(),
        source,
    })?;
    let mut learners = Vec::new();
    let mut skipped = Vec::new();
    let mut entries: Vec<PathBuf> = read.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if !path.is_dir() {
            continue;
        }
        if path.join(PORTFOLIO_FILE).is_file() {
            learners.push(path);
        } else {
            skipped.push((name, format!("no {PORTFOLIO_FILE}")));
        }
    }
    Ok((learners, skipped))
}

/// Builds every learner in `folders` into `options.out`; `tick` is called
/// once per learner done (for a progress bar).
pub fn run(
    folders: &[PathBuf],
    skipped: Vec<(String, String)>,
    criteria: &Criteria,
    html: &HtmlRenderer,
    options: &Options,
    tick: &(dyn Fn() + Sync),
) -> Result<BatchResult, Error> {
    // Output names are decided up front, in folder order, so that they do not
    // depend on which learner finishes first.
    let wanted: Vec<String> = folders
        .iter()
        .map(|f| wanted_name(f, criteria, options.redact))
        .collect();
    let (names, renamed) = naming::dedupe(wanted);
    std::fs::create_dir_all(&options.out).map_err(|source| Error::Write {
        path: options.out.clone(),
        source,
    })?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.max(1))
        .build()
        .map_err(|e| Error::Report(std::io::Error::other(e.to_string())))?;
    // Learners compared with each other first, so that each learner's own
    // report names a narrative copied from (or by) another.
    let copies = pool.install(|| copied_across(folders, criteria));
    let learners = pool.install(|| {
        folders
            .par_iter()
            .zip(names.par_iter())
            .zip(copies.par_iter())
            .map(|((folder, name), copies)| {
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    one_learner(folder, name, criteria, html, options, copies)
                }))
                .unwrap_or_else(|panic| {
                    let message = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown panic".to_string());
                    let mut failed = empty_result(folder, name, criteria);
                    failed.failure_message = Some(format!("internal error while building this learner: {message}"));
                    failed
                });
                if !result.built {
                    mark_not_built(&options.out.join(name), &result);
                }
                tick();
                result
            })
            .collect::<Vec<_>>()
    });
    Ok(BatchResult {
        learners,
        skipped,
        renamed,
    })
}

/// For each learner of `folders`, the narratives that are near-copies of
/// another learner's. Each portfolio is read (in parallel) into a compact
/// fingerprint an item ([`crate::coverage::occasions::fingerprints`]: a
/// signature and two bytes a shingle); the core finds candidate pairs,
/// linear in the cohort's items, and sets aside those whose sketches show
/// they cannot be copies; the learners of the candidates left (few: none in
/// an honest cohort) are read again and each pair is confirmed exactly.
fn copied_across(folders: &[PathBuf], criteria: &Criteria) -> Vec<Vec<CopyAcross>> {
    use crate::coverage::occasions::{candidates_across, confirm, fingerprints, narrative};
    use std::collections::{BTreeMap, BTreeSet};
    let load = |folder: &PathBuf| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::evidence::load_portfolio(folder, criteria).ok()
        }))
        .ok()
        .flatten()
    };
    let prints: Vec<Vec<_>> = folders
        .par_iter()
        .map(|folder| load(folder).map(|p| fingerprints(&p)).unwrap_or_default())
        .collect();
    let candidates = candidates_across(&prints);
    // The exact narratives of the items in a candidate pair, learner by learner.
    let mut wanted: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for c in &candidates {
        wanted
            .entry(c.learner)
            .or_default()
            .insert(prints[c.learner][c.fingerprint].item);
        wanted
            .entry(c.other)
            .or_default()
            .insert(prints[c.other][c.other_fingerprint].item);
    }
    let wanted: Vec<(usize, BTreeSet<usize>)> = wanted.into_iter().collect();
    let narratives: BTreeMap<(usize, usize), _> = wanted
        .par_iter()
        .flat_map_iter(|(l, items)| {
            let portfolio = load(&folders[*l]);
            items
                .iter()
                .filter_map(|&i| {
                    let p = portfolio.as_ref()?;
                    (i < p.items.len()).then(|| ((*l, i), narrative(p, i)))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut out = vec![Vec::new(); folders.len()];
    for c in candidates {
        let (mine, theirs) = (&prints[c.learner][c.fingerprint], &prints[c.other][c.other_fingerprint]);
        let (Some(a), Some(b)) = (
            narratives.get(&(c.learner, mine.item)),
            narratives.get(&(c.other, theirs.item)),
        ) else {
            continue;
        };
        let Some(similarity) = confirm(a, b) else { continue };
        let percent = (similarity * 100.0).floor() as u32;
        for (l, me, o, other) in [(c.learner, mine, c.other, theirs), (c.other, theirs, c.learner, mine)] {
            out[l].push(CopyAcross {
                file: crate::diagnostic::display_path(&me.path),
                line: me.line,
                other_learner: source_name(&folders[o]),
                other_file: crate::diagnostic::display_path(&other.path),
                percent,
            });
        }
    }
    for list in &mut out {
        list.sort_by(|a, b| {
            (&a.file, &a.other_learner, &a.other_file).cmp(&(&b.file, &b.other_learner, &b.other_file))
        });
        list.dedup();
    }
    out
}

/// The `copied-from-another-learner` warning for one copy.
fn copy_problem(c: &CopyAcross, id: Option<&str>) -> crate::diagnostic::Problem {
    use crate::diagnostic::{Location, Problem, Rule};
    let p = Problem::new(
        Rule::CopiedFromAnotherLearner,
        format!(
            "This narrative is nearly the same as {} of another learner in the cohort (folder `{}`): {}% of their word sequences are shared once people's names are set aside. One of the two was copied; the provider is told about both.",
            c.other_file, c.other_learner, c.percent
        ),
    )
    .at(Location::at(Path::new(&c.file), c.line.max(1), 1))
    .with_hint("evidence must be your own account of your own work: rewrite it in your own words, and ask the witness to write their own testimony");
    match id {
        Some(id) => p.for_item(id),
        None => p,
    }
}

fn source_name(folder: &Path) -> String {
    folder
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// The folder name from portfolio.toml alone (cheap: no evidence is read);
/// with `redact`, made of the learner's details with personal data masked.
fn wanted_name(folder: &Path, criteria: &Criteria, redact: bool) -> String {
    let mut ignored = Vec::new();
    let settings = crate::evidence::read_settings(folder, criteria, &mut ignored);
    let mask = |s: &str| {
        if redact {
            settings.scanner.redact(s)
        } else {
            s.to_string()
        }
    };
    naming::folder_name(
        settings.learner.uln.as_deref().map(mask).as_deref(),
        settings.learner.id.as_deref().map(mask).as_deref(),
        &mask(&settings.learner.name),
        &mask(&source_name(folder)),
    )
}

fn empty_result(folder: &Path, name: &str, criteria: &Criteria) -> LearnerResult {
    LearnerResult {
        source: source_name(folder),
        folder: name.to_string(),
        learner: Learner::default(),
        assessor: String::new(),
        built: false,
        complete: false,
        summary: Summary::default(),
        met_by: crate::decisions::MetBy::default(),
        statuses: vec![None; criteria.entries.len()],
        units: Vec::new(),
        gaps: 0,
        errors: 0,
        warnings: 0,
        last_evidence: None,
        failure: Vec::new(),
        failure_message: None,
        copies: Vec::new(),
    }
}

fn one_learner(
    folder: &Path,
    name: &str,
    criteria: &Criteria,
    html: &HtmlRenderer,
    options: &Options,
    copies: &[CopyAcross],
) -> LearnerResult {
    #[cfg(debug_assertions)]
    if std::env::var("PORTFOLIO_TEST_PANIC").is_ok_and(|v| v == source_name(folder)) {
        panic!("fault injected by PORTFOLIO_TEST_PANIC");
    }
    let mut result = empty_result(folder, name, criteria);
    result.copies = copies.to_vec();
    let files = crate::source::DiskSource::new(folder);
    let mut outcome = match crate::pipeline::check_shown_from(
        &files,
        criteria,
        crate::pipeline::CheckOptions {
            require: options.require,
            today: options.today,
            redact: options.redact,
        },
        options.signers.as_ref(),
    ) {
        Ok(outcome) => outcome,
        Err(e) => {
            result.failure_message = Some(e.to_string());
            return result;
        }
    };
    for c in copies {
        let id = outcome
            .portfolio
            .items
            .iter()
            .find(|i| crate::diagnostic::display_path(&i.path) == c.file)
            .map(|i| i.id.clone());
        outcome.coverage.problems.push(copy_problem(c, id.as_deref()));
    }
    crate::coverage::sort_problems(&mut outcome.coverage.problems);
    let (portfolio, coverage) = (&outcome.portfolio, &outcome.coverage);
    if options.redact {
        result.source = portfolio.settings.scanner.redact(&result.source);
    }
    let checked = Checked {
        criteria: &outcome.criteria,
        portfolio,
        coverage,
    };
    result.learner = portfolio.settings.learner.clone();
    result.assessor = portfolio.settings.assessor.name.clone();
    result.complete = coverage.complete;
    result.summary = coverage.summary;
    result.met_by = coverage.met_by;
    result.statuses = outcome
        .ids
        .iter()
        .map(|id| id.map(|id| coverage.of(id).status))
        .collect();
    result.gaps = coverage.gaps().count();
    result.units = portfolio
        .settings
        .assessed
        .iter()
        .map(|&f| {
            let fw = &outcome.criteria.frameworks[f];
            let mine: Vec<_> = coverage
                .criteria
                .iter()
                .filter(|r| outcome.criteria.entry(r.id).framework == f)
                .collect();
            let s = crate::coverage::Summary::of(mine.iter().map(|r| r.status));
            UnitProgress {
                id: fw.id.clone(),
                short_title: fw.short_title.clone(),
                percent_claimed: s.percent_claimed(),
                percent_met: s.percent_met(),
                complete: mine.iter().filter(|r| r.required).all(|r| r.status >= coverage.require),
            }
        })
        .collect();
    result.errors = coverage
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    result.warnings = coverage
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    result.last_evidence = portfolio.items.iter().filter(|i| i.usable).map(|i| i.date).max();
    if result.errors > 0 {
        result.failure = coverage
            .problems
            .iter()
            .filter(|p| p.is_error())
            .take(5)
            .map(ProblemJson::from)
            .collect();
        result.failure_message = Some(format!(
            "{} input error{}",
            result.errors,
            if result.errors == 1 { "" } else { "s" }
        ));
        return result;
    }
    match build(
        checked,
        &files,
        &options.out.join(name),
        options.formats,
        html,
        options.source_date_epoch.as_deref(),
    ) {
        Ok(_) => result.built = true,
        Err(e) => result.failure_message = Some(e.to_string()),
    }
    result
}

/// A learner this batch could not build keeps no outputs of an earlier
/// batch that would look current: where their folder exists, its
/// portfolio, PDF, coverage and follow-ups are replaced (as one set, like a
/// build's) by `NOT-BUILT.txt` saying why. The outputs are made from the
/// evidence, so nothing is lost that the next good batch does not rebuild;
/// the learner's own files in the folder are kept.
fn mark_not_built(out: &Path, result: &LearnerResult) {
    if !out.is_dir() {
        return;
    }
    let mut text = format!(
        "This learner's portfolio was not built by the latest batch: {}.\n",
        result.failure_message.as_deref().unwrap_or("not built")
    );
    for p in &result.failure {
        text.push_str(&format!(
            "  {}{}: {}\n",
            p.file.as_deref().unwrap_or(""),
            p.line.map(|n| format!(":{n}")).unwrap_or_default(),
            p.message
        ));
    }
    text.push_str(&format!(
        "\nThe outputs of an earlier batch were removed so that they are not taken for the current portfolio.\n\
         Fix the problems (run portfolio check on the learner's folder, {}), then run the batch again.\n",
        result.source
    ));
    let owned = crate::build::out_dir::OWNED;
    let Ok(lock) = crate::build::out_dir::lock(out) else {
        return;
    };
    let _ = crate::build::out_dir::replace(
        &lock,
        &[(crate::build::out_dir::NOT_BUILT, text.into_bytes())],
        &owned,
        false,
    );
}
