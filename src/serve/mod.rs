//! `portfolio serve`: the portfolio live in the browser while the learner
//! writes. Owns the local HTTP server ([`http`]: hyper on a tokio runtime
//! of its own, bound to 127.0.0.1 only), the one gate every request passes
//! ([`guard`]: Host, Origin, the owner's cookie, path, body size), the
//! limits it holds requests to ([`limits`]), the in-memory rebuild on every
//! change ([`state`], [`watch`]), the served page with its problems panel
//! ([`page`]) and the server-sent event stream that tells open pages to
//! update. It writes no file of the portfolio.
//!
//! Routes: `GET /` (the page), `GET /live.js` (its script), `GET /events`
//! (server-sent events), `GET /attachments/…` (only files the items
//! attach), and with `--key` `POST /decide` (the assessor's view,
//! [`decide`]). Every one needs the owner's cookie (see [`guard`]).
//!
//! `serve p.zip` reads the zip into memory at each rebuild, as `check
//! p.zip` does, watches the zip's folder for that one file, serves the
//! attachments from the zip's bytes, and is read-only: the workspace's
//! API and `/decide` answer 409 and write nothing.
//!
//! On a cohort folder (learners' folders, as `batch` reads them), `/` is
//! the caseload and each learner is served under `/l/FOLDER/`, with
//! `POST /l/FOLDER/decide`; `/sample` is the IQA's sample ([`caseload`]).

pub mod caseload;
pub mod decide;
pub mod guard;
pub mod http;
pub mod limits;
pub mod page;
pub mod route;
pub mod sample;
pub mod state;
pub mod watch;
pub mod workspace;

use state::{Inputs, Shared};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "cannot listen on 127.0.0.1:{port}: {message} (is another server using that port? choose another with --port, or --port 0 for any free one)"
    )]
    Bind { port: u16, message: String },
    #[error("cannot watch {} for changes: {source}", dir.display())]
    Watch {
        dir: std::path::PathBuf,
        #[source]
        source: notify::Error,
    },
    #[error("cannot read the portfolio folder {}: {source}", dir.display())]
    Dir {
        dir: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the operating system gave no random bytes for the page's token: {0}")]
    Random(getrandom::Error),
    #[error("{0}")]
    Key(#[from] crate::decisions::sign::SignError),
    #[error(
        "decisions made in the page would never count: {why} (the roster {}). Give --as the principal the roster lists for this key, or ask the centre to add the key's line with namespaces=\"{namespace}\"; serve did not start",
        roster.display()
    )]
    Roster {
        why: String,
        roster: std::path::PathBuf,
        namespace: String,
    },
    #[error("cannot catch Ctrl-C: {0}")]
    Signal(#[from] ctrlc::Error),
    #[error("the server stopped: {0}")]
    Server(std::io::Error),
}

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub dir: std::path::PathBuf,
    /// `dir` is a zip of a portfolio: served read-only from memory.
    pub zipped: bool,
    pub criteria: Option<std::path::PathBuf>,
    pub templates: Option<std::path::PathBuf>,
    /// The roster of signers (`--signers`), read at each rebuild.
    pub signers: Option<std::path::PathBuf>,
    pub require: crate::coverage::Status,
    pub redact: bool,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    pub quiet: bool,
    /// Print each request (for tests and measurements).
    pub log_requests: bool,
    /// The assessor's view: the key file and who decides with it.
    pub assessor: Option<(std::path::PathBuf, decide::View)>,
    /// A cohort's sample: the rate and seed, as `portfolio sample` takes.
    pub sample_rate: f64,
    pub sample_seed: u64,
}

/// Refuses to start the assessor's view when the centre's roster would
/// refuse every decision signed today: the principal not in it, the key
/// not listed for them, the role's namespace not granted, or the key not
/// valid today. (A roster that cannot be read is reported in the page, as
/// without --key.)
fn refuse_unlisted(a: &decide::Assessor, roster: &std::path::Path) -> Result<(), ServeError> {
    let Ok(signers) = crate::decisions::signers::Signers::read(roster) else {
        return Ok(());
    };
    let namespace = crate::decisions::message::namespace_for(&a.view.role);
    let (from, to) = crate::decisions::signers::day_bounds(crate::date::Date::today());
    match signers.check(a.view.by.trim(), &namespace, &a.key_data(), from, to) {
        Ok(_) => Ok(()),
        Err(why) => Err(ServeError::Roster {
            why,
            roster: roster.to_path_buf(),
            namespace,
        }),
    }
}

/// Runs the server until Ctrl-C.
pub fn run(options: Options) -> Result<(), ServeError> {
    let assessor = match &options.assessor {
        Some((key, view)) => Some(Arc::new(decide::Assessor::new(key, view.clone())?)),
        None => None,
    };
    if let (Some(a), Some(roster)) = (&assessor, &options.signers) {
        refuse_unlisted(a, roster)?;
    }
    let dir = std::fs::canonicalize(&options.dir).map_err(|source| ServeError::Dir {
        dir: options.dir.clone(),
        source,
    })?;
    let canon = |p: &Option<std::path::PathBuf>| p.as_ref().map(|p| std::fs::canonicalize(p).unwrap_or(p.clone()));
    let inputs = Inputs {
        dir: dir.clone(),
        zipped: options.zipped,
        criteria: canon(&options.criteria),
        templates: canon(&options.templates),
        signers: canon(&options.signers),
        require: options.require,
        redact: options.redact,
        assessor: assessor.as_ref().map(|a| a.view.clone()),
        base: String::new(),
    };
    let token = guard::new_token().map_err(ServeError::Random)?;
    let shared = Arc::new(Shared::default());
    let (generation_tx, generation) = tokio::sync::watch::channel(0u64);
    let generation_tx = Arc::new(generation_tx);
    let quiet = options.quiet;
    let said = move |took: std::time::Duration, errors: usize| {
        if !quiet {
            eprintln!(
                "Rebuilt in {} ms ({errors} error{}).",
                took.as_millis(),
                if errors == 1 { "" } else { "s" }
            );
        }
    };
    let watch_error = |source| ServeError::Watch {
        dir: dir.clone(),
        source,
    };
    let mut watchers = Vec::new();
    let mut every: Vec<Arc<Shared>> = vec![shared.clone()];
    let (cohort, took) = if !options.zipped && caseload::is_cohort(&dir) {
        let (folders, _) = crate::batch::discover(&dir).map_err(|e| ServeError::Dir {
            dir: dir.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let start = std::time::Instant::now();
        // A learner of the cohort: served under /l/FOLDER/, not built yet.
        let learner = {
            let inputs = inputs.clone();
            move |folder: std::path::PathBuf| {
                let name = folder
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let inputs = Inputs {
                    dir: folder,
                    base: format!("/l/{}", caseload::url_part(&name)),
                    ..inputs.clone()
                };
                caseload::Learner {
                    folder: name,
                    inputs,
                    shared: Arc::new(Shared::default()),
                }
            }
        };
        let mut learners = Vec::new();
        for folder in folders {
            let l = learner(folder);
            l.shared.rebuild(&l.inputs);
            every.push(l.shared.clone());
            learners.push(l);
        }
        let watched = learners.iter().map(|l| (l.inputs.clone(), l.shared.clone())).collect();
        let cohort = Arc::new(caseload::Cohort::new(
            dir.clone(),
            learners,
            options.sample_rate,
            options.sample_seed,
        ));
        // A folder that gets a portfolio.toml while serve runs is a new
        // learner: added to the caseload and built by the watcher.
        let on_new = {
            let cohort = cohort.clone();
            move |folder: &std::path::Path| {
                let hidden = folder.file_name().is_none_or(|n| n.to_string_lossy().starts_with('.'));
                if hidden || !folder.is_dir() || !folder.join(crate::evidence::PORTFOLIO_FILE).is_file() {
                    return None;
                }
                let l = learner(folder.to_path_buf());
                let watched = (l.inputs.clone(), l.shared.clone());
                let name = l.folder.clone();
                let added = cohort.add(l);
                if added && !quiet {
                    eprintln!("{name} joined the cohort: served at /l/{}/.", caseload::url_part(&name));
                }
                added.then_some(watched)
            }
        };
        // A learner whose folder is deleted (or moved) leaves the caseload.
        let on_gone = {
            let cohort = cohort.clone();
            let tx = generation_tx.clone();
            move |folder: &std::path::Path| {
                cohort.remove(folder);
                tx.send_modify(|g| *g += 1);
                if !quiet {
                    eprintln!(
                        "{} left the cohort (its folder is gone): no longer served.",
                        folder.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
                    );
                }
            }
        };
        let tx = generation_tx.clone();
        watchers.push(
            watch::start_cohort(&dir, watched, on_new, on_gone, move |took, errors| {
                tx.send_modify(|g| *g += 1);
                said(took, errors);
            })
            .map_err(watch_error)?,
        );
        generation_tx.send_replace(1);
        (Some(cohort), start.elapsed())
    } else {
        let took = shared.rebuild(&inputs);
        generation_tx.send_replace(shared.snapshot().generation);
        let tx = generation_tx.clone();
        let watched = shared.clone();
        watchers.push(
            watch::start(inputs.clone(), shared.clone(), move |took, errors| {
                tx.send_replace(watched.snapshot().generation);
                said(took, errors);
            })
            .map_err(watch_error)?,
        );
        (None, took)
    };
    let bind = |port: u16| {
        std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).map_err(|e| ServeError::Bind {
            port,
            message: e.to_string(),
        })
    };
    let listener = bind(options.port)?;
    let port = listener.local_addr().map_or(options.port, |a| a.port());
    let stop = Arc::new(tokio::sync::Notify::new());
    {
        let stop = stop.clone();
        let every = every.clone();
        // notify_one keeps the wake-up if nothing waits yet: no Ctrl-C is lost.
        ctrlc::set_handler(move || {
            every.iter().for_each(|s| s.stop());
            stop.notify_one();
        })?;
    }
    let gate = guard::Gate { port, token };
    let url = gate.owner_url();
    // With -q, only the link: it is what the command gives.
    match &cohort {
        Some(c) => eprintln!(
            "Serving the cohort {} ({} learners) at {url}",
            dir.display(),
            c.learners().len()
        ),
        None => eprintln!("Serving {} at {url}", dir.display()),
    }
    if !quiet {
        eprintln!(
            "Reachable only from this machine (bound to 127.0.0.1), and only with the link above: keep it to yourself. Ctrl-C stops."
        );
        if options.zipped {
            eprintln!("{}", state::read_only_message(&dir));
        }
    }
    if let Some(a) = assessor.as_ref().filter(|_| !quiet) {
        eprintln!(
            "Decisions made in the page are signed as {} ({}) with the key {} ({}).",
            a.view.by,
            a.view.role,
            a.fingerprint(),
            a.how()
        );
        if let Some(c) = &cohort {
            let mine = c
                .learners()
                .iter()
                .filter(|l| l.shared.snapshot().row.may_decide)
                .count();
            if a.view.role == "iqa" {
                eprintln!(
                    "As an IQA you confirm or return sampled decisions on the Sample page; portfolios are read-only."
                );
            } else {
                eprintln!(
                    "You decide for {mine} of {} learners (those whose portfolio.toml names you); the others are read-only.",
                    c.learners().len()
                );
            }
        }
    }
    if !quiet {
        eprintln!("Built in {} ms.", took.as_millis());
    }
    let opener = if options.open { open_browser(&url) } else { None };
    let context = http::Context {
        gate,
        shared: shared.clone(),
        read_only: options.zipped.then(|| state::read_only_message(&dir)),
        dir,
        criteria: inputs.criteria.clone(),
        signers: inputs.signers.clone(),
        assessor,
        cohort,
        generation,
        log_requests: options.log_requests,
    };
    let served = http::run(context, listener, stop);
    every.iter().for_each(|s| s.stop());
    drop(watchers);
    if let Some(opener) = opener {
        let _ = std::fs::remove_dir_all(opener);
    }
    served.map_err(ServeError::Server)?;
    if !quiet {
        eprintln!("Stopped.");
    }
    Ok(())
}

/// Opens `url` in the default browser; says so when it cannot. On Unix the
/// browser is given a file only this account can read that goes on to
/// `url` (as Jupyter does), so that the token is not in any process's
/// arguments for other accounts to see; returns its folder, removed at the
/// end.
fn open_browser(url: &str) -> Option<std::path::PathBuf> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let opener = private_opener(url);
    let target = match &opener {
        Some(file) => file.as_os_str().to_owned(),
        None => url.into(),
    };
    if command.arg(&target).spawn().is_err() {
        eprintln!("Could not open a browser; open the link above yourself.");
    }
    opener.and_then(|f| f.parent().map(std::path::Path::to_path_buf))
}

/// A page that goes on to `url`, in a new folder only this account can
/// read; `None` where that cannot be made (then the URL itself is opened).
#[cfg(unix)]
fn private_opener(url: &str) -> Option<std::path::PathBuf> {
    use std::io::Write as _;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let name = guard::new_token().ok()?;
    let folder = std::env::temp_dir().join(format!("portfolio-serve-{name}"));
    std::fs::DirBuilder::new().mode(0o700).create(&folder).ok()?;
    let file = folder.join("open.html");
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&file)
        .ok()?;
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n<title>Portfolio</title>\n</head>\n\
         <body>\n<p><a href=\"{url}\">Open the portfolio</a></p>\n</body>\n</html>\n"
    );
    out.write_all(html.as_bytes()).ok()?;
    Some(file)
}

#[cfg(not(unix))]
fn private_opener(_url: &str) -> Option<std::path::PathBuf> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_page_given_to_the_browser_is_for_this_account_only() {
        let url = "http://127.0.0.1:8214/?token=0123456789abcdef0123456789abcdef";
        let file = private_opener(url).expect("a private page");
        let folder = file.parent().unwrap().to_path_buf();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&file), 0o600);
        let html = std::fs::read_to_string(&file).unwrap();
        assert!(html.contains(&format!("content=\"0; url={url}\"")), "{html}");
        assert!(!html.contains("<script"));
        std::fs::remove_dir_all(folder).unwrap();
    }
}
