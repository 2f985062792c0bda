//! The engine in the browser: the `portfolio` library built for
//! `wasm32-unknown-unknown`, with the few calls the static page makes
//! (`scripts/build-web`). It owns nothing but the portfolio's files in
//! memory; the page keeps them in the browser's own storage between visits.
//! Checking and building are the library's, byte for byte what the command
//! line makes from the same files, "today" and build date: the page passes
//! both in (`?today=YYYY-MM-DD&date=YYYY-MM-DD`, else the browser's
//! calendar date), since the core never reads a clock.

use portfolio::archive::{Limits, PortfolioZip, write_zip};
use portfolio::build::Formats;
use portfolio::coverage::Status;
use portfolio::date::Date;
use portfolio::decisions::sign::{Decide, Signer, record_file, signed_record_in};
use portfolio::pipeline::CheckOptions;
use portfolio::render::html::HtmlRenderer;
use portfolio::report::{Checked, Headline, check_json};
use portfolio::source::MemSource;
use portfolio::workspace::guidance::guidance;
use portfolio::workspace::panel::{Panel, panel_html};
use std::collections::BTreeMap;
use std::path::Path;
use wasm_bindgen::prelude::*;

/// Why a call failed, in words for the page (thrown there as a string; a
/// plain `String` here, so the engine's refusals are testable natively).
fn fail(message: impl std::fmt::Display) -> String {
    message.to_string()
}

/// The name the exported zip's top folder has when the imported one had
/// none (or there was no import).
const DEFAULT_TOP: &str = "portfolio";

/// A portfolio's files, by path relative to its folder.
#[wasm_bindgen]
#[derive(Default)]
pub struct Engine {
    files: BTreeMap<String, Vec<u8>>,
    top: Option<String>,
    /// Paths written or removed by the workspace since the page last asked
    /// ([`Engine::take_changes`]), for it to keep in the browser's storage.
    changed: std::collections::BTreeSet<String>,
    /// Counts changes to the files: a check is for one version of them.
    version: u64,
    /// The last check (the files' version and the "today" it was made on),
    /// which `build` and the item form's options reuse while both hold: a
    /// save is checked once, not once per call.
    last: Option<(u64, Date, Run)>,
    /// The assessor's or IQA's key ([`Engine::set_key`]): held here only,
    /// never written, exported or sent anywhere.
    key: Option<Held>,
    /// The centre's roster (`allowed_signers`), when the page was given one:
    /// signed decisions are then checked against it.
    roster: Option<portfolio::decisions::signers::Signers>,
}

/// A key picked in the page, with who signs with it and in which role.
struct Held {
    key: Key,
    by: String,
    role: String,
}

/// The key, ready to sign, or still locked by its passphrase.
enum Key {
    Ready(Signer),
    Locked(Box<portfolio::decisions::keys::PrivateKey>),
}

/// The most a learner may upload at once: as `serve` takes (25 MiB), said
/// before an upload.
pub const UPLOAD_LIMIT: u64 = 25 * 1024 * 1024;

/// One build's outputs: what `portfolio build` writes.
#[wasm_bindgen]
pub struct Built {
    html: String,
    pdf: Vec<u8>,
    json: String,
    headline: String,
    complete: bool,
}

#[wasm_bindgen]
impl Built {
    /// `portfolio.html`.
    #[wasm_bindgen(getter)]
    pub fn html(&self) -> String {
        self.html.clone()
    }
    /// `portfolio.pdf`.
    #[wasm_bindgen(getter)]
    pub fn pdf(&self) -> Vec<u8> {
        self.pdf.clone()
    }
    /// `coverage.json`.
    #[wasm_bindgen(getter)]
    pub fn json(&self) -> String {
        self.json.clone()
    }
    /// "Complete" or "Not complete: 5 criteria need more evidence".
    #[wasm_bindgen(getter)]
    pub fn headline(&self) -> String {
        self.headline.clone()
    }
    /// The portfolio meets its requirement.
    #[wasm_bindgen(getter)]
    pub fn complete(&self) -> bool {
        self.complete
    }
}

/// A check: the JSON `portfolio check --format json` prints, and whether
/// there are input errors (then nothing can be built).
#[wasm_bindgen]
pub struct Check {
    json: String,
    panel: String,
    headline: String,
    errors: usize,
    complete: bool,
}

#[wasm_bindgen]
impl Check {
    #[wasm_bindgen(getter)]
    pub fn json(&self) -> String {
        self.json.clone()
    }
    /// The problems panel `portfolio serve` shows above the portfolio: the
    /// headline, referrals first, what to put right in the learner's words
    /// with links to the form's fields, what each criterion still needs.
    #[wasm_bindgen(getter)]
    pub fn panel(&self) -> String {
        self.panel.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn headline(&self) -> String {
        self.headline.clone()
    }
    /// Input errors: the portfolio cannot be built until they are fixed.
    #[wasm_bindgen(getter)]
    pub fn errors(&self) -> usize {
        self.errors
    }
    #[wasm_bindgen(getter)]
    pub fn complete(&self) -> bool {
        self.complete
    }
}

/// A calendar date from the page, or why it is not one.
fn date(text: &str, what: &str) -> Result<Date, String> {
    Date::parse(text.trim()).ok_or_else(|| fail(format!("{what} `{text}` is not a date (YYYY-MM-DD)")))
}

#[wasm_bindgen]
impl Engine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Forgets every file.
    pub fn clear(&mut self) {
        self.files.clear();
        self.top = None;
        self.version += 1;
    }

    /// Adds or replaces the file at `path` (relative, `/`-separated). A path
    /// that leaves the folder (`..`, absolute) is refused.
    pub fn put(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        let key = key(path).ok_or_else(|| fail(format!("`{path}` is not a path inside the portfolio")))?;
        self.files.insert(key, bytes);
        self.version += 1;
        Ok(())
    }

    /// Removes the file at `path`; false when there was none.
    pub fn remove(&mut self, path: &str) -> bool {
        self.version += 1;
        key(path).is_some_and(|k| self.files.remove(&k).is_some())
    }

    /// Every file's path, sorted.
    pub fn paths(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    /// The bytes of the file at `path`.
    pub fn read(&self, path: &str) -> Option<Vec<u8>> {
        key(path).and_then(|k| self.files.get(&k).cloned())
    }

    /// Replaces the files with a zip's (read as `portfolio check p.zip`
    /// reads it: the same limits and refusals). Returns the paths.
    pub fn import_zip(&mut self, bytes: &[u8], name: &str) -> Result<Vec<String>, String> {
        let files = read_zip(bytes).map_err(|e| fail(format!("{name} cannot be opened: {e}")))?;
        self.files = files;
        self.version += 1;
        let stem = name.strip_suffix(".zip").unwrap_or(name);
        self.top = key(stem).filter(|k| !k.is_empty() && !k.contains('/'));
        Ok(self.paths())
    }

    /// The files as a zip with one top folder, as a file manager makes it;
    /// the same files give the same bytes.
    pub fn export_zip(&self) -> Result<Vec<u8>, String> {
        write_zip(&self.files, self.top.as_deref().unwrap_or(DEFAULT_TOP)).map_err(fail)
    }

    /// Checks the portfolio as `portfolio check` does on `today`.
    pub fn check(&mut self, today: &str) -> Result<Check, String> {
        let today = date(today, "today")?;
        let started = self.files.contains_key("portfolio.toml");
        let run = self.run(today)?;
        let checked = run.checked();
        let mut json = serde_json::to_string_pretty(&check_json(checked)).map_err(fail)?;
        json.push('\n');
        let cov = &run.coverage;
        let headline = Headline::of(cov).text;
        let summary = format!(
            "{} met, {} claimed, {} insufficient, {} missing of {}.",
            cov.summary.met, cov.summary.claimed, cov.summary.insufficient, cov.summary.missing, cov.summary.total
        );
        let guidance = guidance(&cov.problems, Some((&run.portfolio, cov, &run.criteria)));
        let panel = panel_html(&Panel {
            root: Path::new(""),
            problems: &cov.problems,
            fatal: None,
            stale: false,
            summary: Some(&summary),
            headline: Some(&headline),
            guidance: &guidance,
            started,
            complete: run.complete(),
            generation: 0,
        });
        Ok(Check {
            json,
            panel,
            headline,
            errors: run.coverage.problems.iter().filter(|p| p.is_error()).count(),
            complete: run.complete(),
        })
    }

    /// Builds the portfolio as `portfolio build --date DATE` does with
    /// `PORTFOLIO_TODAY=today`: its HTML, PDF and coverage JSON.
    pub fn build(&mut self, today: &str, date_built: &str) -> Result<Built, String> {
        let built = date(date_built, "the build date")?;
        self.build_dated(date(today, "today")?, Some(built))
    }

    /// [`Engine::build`] without `--date`: dated as the command line dates
    /// it (by the latest date in the portfolio).
    pub fn build_default_date(&mut self, today: &str) -> Result<Built, String> {
        self.build_dated(date(today, "today")?, None)
    }

    /// Answers one of the workspace's requests (`GET /api/options`, `POST
    /// /api/items`, …; the path with its `%`-escapes undone) as `serve`
    /// answers it, over the files held here:
    /// `{"status": 200, "body": "…JSON…"}`. What it writes is listed by
    /// [`Engine::take_changes`].
    pub fn request(&mut self, method: &str, path: &str, body: &[u8]) -> Result<String, String> {
        let (status, said) = self.answer(method, path, body)?;
        serde_json::to_string(&serde_json::json!({ "status": status, "body": said })).map_err(fail)
    }

    /// The paths the workspace wrote or removed since the last call.
    pub fn take_changes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.changed).into_iter().collect()
    }

    /// Holds the OpenSSH private key file `bytes` (as the assessor picked
    /// it in the page; it never leaves the page's memory) for `by` (the
    /// principal as in the centre's roster) to sign in `role` (`assessor`
    /// or `iqa`). Returns whether it needs its passphrase
    /// ([`Engine::unlock`]) before it can sign. A public key is refused
    /// with what to give instead.
    pub fn set_key(&mut self, bytes: &[u8], by: &str, role: &str) -> Result<bool, String> {
        if role != "assessor" && role != "iqa" {
            return Err(fail(format!("`{role}` is not a role: assessor or iqa")));
        }
        if by.trim().is_empty() {
            return Err(fail(
                "say who you are, as the centre's roster names you (for example j.patel@centre.example)",
            ));
        }
        let key = portfolio::decisions::keys::parse_key(bytes, Path::new("the key file")).map_err(fail)?;
        let locked = key.is_encrypted();
        let key = if locked {
            Key::Locked(Box::new(key))
        } else {
            Key::Ready(Signer::from(key))
        };
        self.key = Some(Held {
            key,
            by: by.trim().to_string(),
            role: role.to_string(),
        });
        Ok(locked)
    }

    /// Opens the held key with its passphrase (kept as typed; dropped at
    /// once, only the opened key is held).
    pub fn unlock(&mut self, passphrase: &str) -> Result<(), String> {
        let Some(held) = self.key.as_mut() else {
            return Err(fail("pick your key file first"));
        };
        if let Key::Locked(key) = &held.key {
            let open = portfolio::decisions::keys::decrypt(key, passphrase, Path::new("the key file"))
                .map_err(|_| fail("that passphrase does not open this key: type it again"))?;
            held.key = Key::Ready(Signer::from(open));
        }
        Ok(())
    }

    /// Forgets the key.
    pub fn forget_key(&mut self) {
        self.key = None;
    }

    /// Reads the centre's roster (`allowed_signers`, as OpenSSH reads it):
    /// the check and every decision signed here are checked against it.
    pub fn set_roster(&mut self, text: &str) -> Result<(), String> {
        let roster = portfolio::decisions::signers::Signers::parse(text).map_err(fail)?;
        self.roster = Some(roster);
        self.version += 1;
        Ok(())
    }

    /// What a decision may be made on: each item's id, title and the codes
    /// of the criteria it shows, as JSON
    /// (`[{"id": "…", "title": "…", "criteria": ["3.1", …]}]`).
    pub fn decision_items(&mut self, today: &str) -> Result<String, String> {
        let run = self.run(date(today, "today")?)?;
        let items: Vec<serde_json::Value> = run
            .portfolio
            .items
            .iter()
            .filter(|i| i.usable)
            .map(|i| {
                let mut codes: Vec<String> = Vec::new();
                for t in &i.tags {
                    let code = run.criteria.display_code(t.criterion);
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                }
                serde_json::json!({ "id": i.id, "title": i.title, "criteria": codes })
            })
            .collect();
        serde_json::to_string(&items).map_err(fail)
    }

    /// Signs a decision on item `item` with the held key, as `portfolio
    /// assess` does (the same refusals: a decision that could never count is
    /// not recorded), and keeps the record among the files
    /// (`assessment/ID/NNN-ROLE.toml`, listed by [`Engine::take_changes`]).
    /// `criteria` empty: the whole item. Returns what was recorded, in words.
    pub fn decide(
        &mut self,
        item: &str,
        decision: &str,
        criteria: Vec<String>,
        feedback: &str,
        today: &str,
    ) -> Result<String, String> {
        let today = date(today, "today")?;
        let (by, role) = match &self.key {
            Some(Held {
                key: Key::Ready(_),
                by,
                role,
            }) => (by.clone(), role.clone()),
            Some(_) => return Err(fail("type your key's passphrase first")),
            None => return Err(fail("pick your key file first")),
        };
        let decide = Decide {
            item: item.to_string(),
            role,
            decision: decision.to_string(),
            by,
            date: today,
            feedback: Some(feedback.to_string()).filter(|f| !f.trim().is_empty()),
            criteria,
        };
        let roster = self.roster.clone();
        self.run(today)?;
        let (
            Some((_, _, run)),
            Some(Held {
                key: Key::Ready(signer),
                ..
            }),
        ) = (&self.last, &self.key)
        else {
            return Err(fail("the portfolio was not checked"));
        };
        let record = signed_record_in(
            &run.source,
            &run.portfolio,
            &run.criteria,
            &decide,
            signer,
            roster.as_ref(),
            today,
        )
        .map_err(fail)?;
        let (path, text) = record_file(&run.source, &record).map_err(fail)?;
        let path = key(&path.to_string_lossy()).ok_or_else(|| fail("the record's path"))?;
        if self.files.contains_key(&path) {
            return Err(fail(format!("{path} is there already: nothing was recorded")));
        }
        self.files.insert(path.clone(), text.into_bytes());
        self.changed.insert(path.clone());
        self.version += 1;
        Ok(format!(
            "Recorded: {} {} {} by {} on {} ({path}).",
            record.item, record.role, record.decision, record.by, record.date
        ))
    }

    /// This portfolio's line in an assessor's caseload on `today`, for
    /// `decider` (the principal as in the roster; empty: nobody decides) as
    /// JSON: `{"name", "met", "total", "awaiting", "referrals",
    /// "may_decide"}` (`awaiting` and `referrals` null while the portfolio
    /// has errors), as `serve COHORT`'s Caseload page counts them.
    pub fn caseload_row(&mut self, today: &str, decider: &str) -> Result<String, String> {
        use portfolio::document::caseload::CaseloadRow;
        let run = self.run(date(today, "today")?)?;
        let checked = run.checked();
        let decider = Some(decider.trim()).filter(|d| !d.is_empty());
        let mut row = CaseloadRow::of(checked, decider);
        if !run.coverage.has_errors() {
            let built = portfolio::document::build_date(checked, None);
            row = row.counted(&portfolio::document::Document::build_from(checked, &run.source, built));
        }
        serde_json::to_string(&serde_json::json!({
            "name": row.name,
            "met": row.met,
            "total": row.total,
            "awaiting": row.awaiting,
            "referrals": row.referrals,
            "may_decide": row.may_decide,
        }))
        .map_err(fail)
    }

    /// The export's file name: the imported zip's, or `portfolio.zip`.
    pub fn export_name(&self) -> String {
        format!("{}.zip", self.top.as_deref().unwrap_or(DEFAULT_TOP))
    }
}

impl Engine {
    fn build_dated(&mut self, today: Date, built: Option<Date>) -> Result<Built, String> {
        let run = self.run(today)?;
        let html = HtmlRenderer::new(None).map_err(fail)?;
        let formats = Formats {
            html: true,
            pdf: true,
            json: true,
            ics: false,
            sync: false,
        };
        let epoch = built.map(|d| (d.days_since_epoch() * 86_400).to_string());
        let mut files =
            portfolio::build::render(run.checked(), &run.source, formats, &html, epoch.as_deref()).map_err(fail)?;
        let mut take = |name: &str| {
            files
                .iter_mut()
                .find(|(n, _)| *n == name)
                .map(|(_, bytes)| std::mem::take(bytes))
                .unwrap_or_default()
        };
        Ok(Built {
            html: String::from_utf8(take("portfolio.html")).map_err(fail)?,
            pdf: take("portfolio.pdf"),
            json: String::from_utf8(take("coverage.json")).map_err(fail)?,
            headline: Headline::of(&run.coverage).text,
            complete: run.complete(),
        })
    }
}

/// The files, noting what the workspace writes.
struct Tracked<'a> {
    files: &'a mut BTreeMap<String, Vec<u8>>,
    changed: &'a mut std::collections::BTreeSet<String>,
    version: &'a mut u64,
}

impl Tracked<'_> {
    fn wrote(&mut self, path: &str) {
        self.changed.insert(path.to_string());
        *self.version += 1;
    }
}

impl portfolio::workspace::api::Store for Tracked<'_> {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        self.files.get(path).cloned()
    }
    fn names(&self, folder: &str) -> Vec<String> {
        portfolio::workspace::api::Store::names(&*self.files, folder)
    }
    fn create(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        portfolio::workspace::api::Store::create(self.files, path, bytes)?;
        self.wrote(path);
        Ok(())
    }
    fn replace(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        portfolio::workspace::api::Store::replace(self.files, path, bytes)?;
        self.wrote(path);
        Ok(())
    }
    fn remove(&mut self, path: &str) -> std::io::Result<()> {
        portfolio::workspace::api::Store::remove(self.files, path)?;
        self.wrote(path);
        Ok(())
    }
    fn is_file(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }
}

type Answer = portfolio::workspace::api::Answer;

/// The files of a zip, as the command line reads it.
pub fn read_zip(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, portfolio::archive::ZipError> {
    PortfolioZip::open(std::io::Cursor::new(bytes), &Limits::default())?.into_files()
}

/// `path` as a key: relative, `/`-separated, inside the folder.
fn key(path: &str) -> Option<String> {
    portfolio::source::key(Path::new(path))
}

/// One checked portfolio and what it was checked against.
struct Run {
    source: MemSource,
    criteria: portfolio::criteria::Criteria,
    portfolio: portfolio::evidence::Portfolio,
    coverage: portfolio::coverage::Coverage,
}

impl Run {
    fn checked(&self) -> Checked<'_> {
        Checked {
            criteria: &self.criteria,
            portfolio: &self.portfolio,
            coverage: &self.coverage,
        }
    }

    fn complete(&self) -> bool {
        self.coverage.complete && !self.coverage.has_errors()
    }
}

impl Engine {
    fn answer(&mut self, method: &str, path: &str, body: &[u8]) -> Result<Answer, String> {
        use portfolio::workspace::api;
        let get = method.eq_ignore_ascii_case("GET")
            || (method.eq_ignore_ascii_case("POST") && body.is_empty() && path == "/api/reflection");
        let post = method.eq_ignore_ascii_case("POST");
        let mut store = Tracked {
            files: &mut self.files,
            changed: &mut self.changed,
            version: &mut self.version,
        };
        let criteria = || portfolio::pipeline::criteria(None).map_err(fail);
        Ok(match path {
            "/api/options" if get => {
                // The last check's portfolio while the files are as it
                // read them; else the files read again.
                match &self.last {
                    Some((v, _, run)) if *v == self.version => {
                        api::options(&self.files, &run.criteria, Some(&run.portfolio), UPLOAD_LIMIT)
                    }
                    _ => {
                        let criteria = criteria()?;
                        let portfolio = self.portfolio(&criteria);
                        api::options(&self.files, &criteria, portfolio.as_ref(), UPLOAD_LIMIT)
                    }
                }
            }
            "/api/items" if post => api::save(&mut store, body),
            "/api/delete" if post => api::delete(&mut store, body),
            "/api/start" if post => api::start(&mut store, &criteria()?, body),
            "/api/reflection" if get => api::reflection(&self.files),
            "/api/reflection" if post => api::save_reflection(&mut store, body),
            _ => match (path.strip_prefix("/api/items/"), path.strip_prefix("/api/attachments/")) {
                (Some(file), _) if get => api::item(&self.files, file),
                (_, Some(name)) if post && !name.contains('/') => {
                    if body.len() as u64 > UPLOAD_LIMIT {
                        (
                            413,
                            serde_json::json!({ "error": "the file is larger than 25 MB" }).to_string(),
                        )
                    } else {
                        api::upload(&mut store, name, body)
                    }
                }
                _ => (404, serde_json::json!({ "error": "not found" }).to_string()),
            },
        })
    }

    /// The portfolio as read now, when it can be read.
    fn portfolio(&self, criteria: &portfolio::criteria::Criteria) -> Option<portfolio::evidence::Portfolio> {
        let source = MemSource::from_files(self.name(), self.files.clone());
        portfolio::evidence::load_portfolio_from(&source, criteria).ok()
    }

    fn name(&self) -> String {
        self.top.clone().unwrap_or_else(|| DEFAULT_TOP.to_string())
    }

    /// The check of the files as they are on `today`: the last one while
    /// it holds, else a new one ([`Engine::fresh_run`]).
    fn run(&mut self, today: Date) -> Result<&Run, String> {
        let current = matches!(&self.last, Some((v, d, _)) if *v == self.version && *d == today);
        if !current {
            let run = self.fresh_run(today)?;
            self.last = Some((self.version, today, run));
        }
        match &self.last {
            Some((_, _, run)) => Ok(run),
            None => Err(fail("the portfolio was not checked")),
        }
    }

    /// Checks the files against the built-in criteria on `today`, as the
    /// command line's `check_and_report` does.
    fn fresh_run(&self, today: Date) -> Result<Run, String> {
        let criteria = portfolio::pipeline::criteria(None).map_err(fail)?;
        let options = CheckOptions {
            require: Status::Claimed,
            today,
            redact: false,
        };
        let source = MemSource::from_files(self.name(), self.files.clone());
        let outcome =
            portfolio::pipeline::check_shown_from(&source, &criteria, options, self.roster.as_ref()).map_err(fail)?;
        Ok(Run {
            source,
            criteria: outcome.criteria.into_owned(),
            portfolio: outcome.portfolio,
            coverage: outcome.coverage,
        })
    }
}
