//! `portfolio serve`: the portfolio live in the browser while the learner
//! writes. Owns the local HTTP server (tiny_http, bound to 127.0.0.1
//! only), its safety checks ([`guard`]), the in-memory rebuild on every
//! change ([`state`], [`watch`]), the served page with its problems panel
//! ([`page`]) and the server-sent event stream that tells open pages to
//! update. It writes no file.
//!
//! Routes: `GET /` (the page), `GET /events` (server-sent events),
//! `GET /attachments/…` (only files the items attach), and with `--key`
//! `POST /decide` (the assessor's view, [`decide`]). Any other method
//! must carry the per-run token (see [`guard`]).

pub mod decide;
pub mod guard;
pub mod page;
pub mod state;
pub mod watch;

use guard::{Refusal, TOKEN_HEADER};
use state::{Inputs, Shared};
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server};

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
    #[error("cannot catch Ctrl-C: {0}")]
    Signal(#[from] ctrlc::Error),
}

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub dir: std::path::PathBuf,
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
}

/// At most this many pages may hold an event stream open at once.
const MAX_STREAMS: usize = 32;
/// A comment line on idle streams, so that closed pages are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Runs the server until Ctrl-C.
pub fn run(options: Options) -> Result<(), ServeError> {
    let assessor = match &options.assessor {
        Some((key, view)) => Some(decide::Assessor::new(key, view.clone())?),
        None => None,
    };
    let dir = std::fs::canonicalize(&options.dir).map_err(|source| ServeError::Dir {
        dir: options.dir.clone(),
        source,
    })?;
    let canon = |p: &Option<std::path::PathBuf>| p.as_ref().map(|p| std::fs::canonicalize(p).unwrap_or(p.clone()));
    let inputs = Inputs {
        dir: dir.clone(),
        criteria: canon(&options.criteria),
        templates: canon(&options.templates),
        signers: canon(&options.signers),
        require: options.require,
        redact: options.redact,
        token: guard::new_token().map_err(ServeError::Random)?,
        assessor: assessor.as_ref().map(|a| a.view.clone()),
    };
    let shared = Arc::new(Shared::default());
    let took = shared.rebuild(&inputs);
    let server = Server::http(SocketAddr::from((Ipv4Addr::LOCALHOST, options.port))).map_err(|e| ServeError::Bind {
        port: options.port,
        message: e.to_string(),
    })?;
    let server = Arc::new(server);
    let port = server.server_addr().to_ip().map_or(options.port, |a| a.port());
    let quiet = options.quiet;
    let _watcher = watch::start(inputs.clone(), shared.clone(), move |took, errors| {
        if !quiet {
            eprintln!(
                "Rebuilt in {} ms ({errors} error{}).",
                took.as_millis(),
                if errors == 1 { "" } else { "s" }
            );
        }
    })
    .map_err(|source| ServeError::Watch {
        dir: dir.clone(),
        source,
    })?;
    {
        let server = server.clone();
        let shared = shared.clone();
        ctrlc::set_handler(move || {
            shared.stop();
            server.unblock();
        })?;
    }
    let url = format!("http://127.0.0.1:{port}/");
    // With -q, only the address: it is what the command gives.
    eprintln!("Serving {} at {url}", dir.display());
    if !quiet {
        eprintln!("Reachable only from this machine (bound to 127.0.0.1). Ctrl-C stops.");
    }
    if let Some(a) = assessor.as_ref().filter(|_| !quiet) {
        eprintln!(
            "Decisions made in the page are signed as {} ({}) with the key {}.",
            a.view.by,
            a.view.role,
            a.fingerprint()
        );
    }
    if !quiet {
        eprintln!("Built in {} ms.", took.as_millis());
    }
    if options.open {
        open_browser(&url);
    }
    let streams = Arc::new(AtomicUsize::new(0));
    for request in server.incoming_requests() {
        if shared.stopping() {
            break;
        }
        if options.log_requests {
            eprintln!("request {} {} at {} ms", request.method(), request.url(), unix_millis());
        }
        handle(request, port, &inputs, &shared, &streams, assessor.as_ref());
    }
    shared.stop();
    if !quiet {
        eprintln!("Stopped.");
    }
    Ok(())
}

fn handle(
    request: Request,
    port: u16,
    inputs: &Inputs,
    shared: &Arc<Shared>,
    streams: &Arc<AtomicUsize>,
    assessor: Option<&decide::Assessor>,
) {
    match guard_request(&request, port, &inputs.token) {
        Err(refusal) => {
            let _ = request.respond(text(refusal.status(), refusal.message()));
        }
        Ok(path) => route(request, &path, inputs, shared, streams, assessor),
    }
}

/// The checks every request passes before routing; returns its clean path.
fn guard_request(request: &Request, port: u16, token: &str) -> Result<String, Refusal> {
    if !guard::host_ok(header(request, "Host"), port) {
        return Err(Refusal::ForeignHost);
    }
    let path = guard::clean_path(request.url())?;
    if !matches!(request.method(), Method::Get | Method::Head) && !guard::token_ok(header(request, TOKEN_HEADER), token)
    {
        return Err(Refusal::NoToken);
    }
    Ok(path)
}

fn route(
    request: Request,
    path: &str,
    inputs: &Inputs,
    shared: &Arc<Shared>,
    streams: &Arc<AtomicUsize>,
    assessor: Option<&decide::Assessor>,
) {
    let get = matches!(request.method(), Method::Get | Method::Head);
    if !get {
        // The token and Host have been checked by now.
        match (path, request.method(), assessor) {
            ("/decide", Method::Post, Some(who)) => {
                decide::respond(request, &inputs.dir, inputs.criteria.as_deref(), who)
            }
            ("/decide", Method::Post, None) => {
                let _ = request.respond(text(
                    404,
                    "this page is read-only: start serve with --key and --as to record decisions\n",
                ));
            }
            _ => {
                let _ = request.respond(text(404, "no such action\n"));
            }
        }
        return;
    }
    if path == "/" {
        let page = shared.snapshot().page.clone();
        let _ = request.respond(with_headers(Response::from_data(page), "text/html; charset=utf-8"));
    } else if path == "/events" && request.method() == &Method::Get {
        if streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
            streams.fetch_sub(1, Ordering::SeqCst);
            let _ = request.respond(text(503, "too many open pages\n"));
            return;
        }
        let shared = shared.clone();
        let streams = streams.clone();
        std::thread::spawn(move || {
            events(request, &shared);
            streams.fetch_sub(1, Ordering::SeqCst);
        });
    } else if let Some(rel) = path.strip_prefix("/attachments/") {
        attachment(request, &format!("attachments/{rel}"), &inputs.dir, shared);
    } else {
        let _ = request.respond(text(404, "not found\n"));
    }
}

/// Serves an attached file: only one an item attaches, and only while it
/// still resolves (symlinks followed) inside the portfolio folder `root`.
fn attachment(request: Request, rel: &str, root: &std::path::Path, shared: &Shared) {
    let file = shared.snapshot().attachments.get(rel).cloned();
    let bytes = file.and_then(|f| {
        let real = std::fs::canonicalize(f).ok()?;
        real.starts_with(root).then(|| std::fs::read(&real).ok()).flatten()
    });
    match bytes {
        Some(bytes) => {
            let response = with_headers(Response::from_data(bytes), mime(rel))
                .with_header(header_line("Cross-Origin-Resource-Policy", "same-origin"));
            let _ = request.respond(response);
        }
        None => {
            let _ = request.respond(text(404, "not found\n"));
        }
    }
}

/// The event stream: `update` with the current generation at once, then at
/// each rebuild; a comment line when idle. Ends when the page goes away or
/// the server stops.
fn events(request: Request, shared: &Shared) {
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
    let mut seen = shared.snapshot().generation;
    let mut message = format!("{head}retry: 500\nevent: update\ndata: {seen}\n\n");
    loop {
        if w.write_all(message.as_bytes()).and_then(|()| w.flush()).is_err() || shared.stopping() {
            return;
        }
        let now = shared.wait_change(seen, KEEP_ALIVE);
        if shared.stopping() {
            return;
        }
        message = if now == seen {
            ": keep-alive\n\n".to_string()
        } else {
            seen = now;
            format!("event: update\ndata: {now}\n\n")
        };
    }
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// A response header; ours are ASCII constants, which always make one.
fn header_line(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("constant ASCII header")
}

fn with_headers<R: std::io::Read>(response: Response<R>, content_type: &str) -> Response<R> {
    response
        .with_header(header_line("Content-Type", content_type))
        .with_header(header_line("Cache-Control", "no-store"))
        .with_header(header_line("X-Content-Type-Options", "nosniff"))
        .with_header(header_line("Referrer-Policy", "no-referrer"))
        .with_header(header_line("X-Frame-Options", "DENY"))
}

pub(crate) fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    with_headers(
        Response::from_string(body).with_status_code(status),
        "text/plain; charset=utf-8",
    )
}

fn mime(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn unix_millis() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// Opens `url` in the default browser; says so when it cannot.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if command.arg(url).spawn().is_err() {
        eprintln!("Could not open a browser; open {url} yourself.");
    }
}
