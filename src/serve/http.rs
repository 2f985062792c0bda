//! The HTTP side of `serve`: hyper 1 on a small tokio runtime that only
//! `serve` owns (the rest of the crate has no async). Every request goes
//! through [`guard::check`] first, then to its route; nothing answers
//! before the gate.
//!
//! Why not tiny_http, which served before: it panicked on a
//! `Content-Length` of 2^63, read every body before a refusal could be
//! sent, had no read or write timeouts, and answered requests one at a
//! time on one thread, so one stalled or non-reading client stopped every
//! other client and Ctrl-C. Here each connection is its own task; a header
//! must arrive within [`Limits::header_time`](super::limits::Limits), a
//! body within `body_time`, each write within `write_time`; a body larger
//! than its route takes is refused from its `Content-Length` before a byte
//! of it is read, and the connection is closed rather than drained; file
//! reads and signing run on blocking threads; Ctrl-C drops every task.

use super::caseload::Cohort;
use super::decide::{self, Assessor};
use super::guard::{self, Allowed, Gate, Refusal, Verdict};
use super::limits::LIMITS;
use super::page;
use super::route::{LearnerPart, Route};
use super::state::{Attached, Shared};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Frame, Incoming};
use hyper::http::{HeaderName, HeaderValue, Request, Response, StatusCode, header};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::convert::Infallible;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;
use tokio::sync::{Notify, Semaphore, mpsc, watch};

/// A comment line on idle event streams.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long the tasks left at Ctrl-C get to finish.
const STOP_GRACE: Duration = Duration::from_millis(200);
/// The size of each piece an attachment is sent in.
const CHUNK: usize = 64 * 1024;

/// Everything a request may need, shared by every connection.
pub struct Context {
    pub gate: Gate,
    pub shared: Arc<Shared>,
    /// The portfolio folder, canonical (or the zip, with `read_only`).
    pub dir: PathBuf,
    /// `serve p.zip`: every write (the workspace, decisions) is refused
    /// with this message, nothing written.
    pub read_only: Option<String>,
    pub criteria: Option<PathBuf>,
    /// The centre's roster (`--signers`): decisions it could never count
    /// are refused before they are signed.
    pub signers: Option<PathBuf>,
    pub assessor: Option<Arc<Assessor>>,
    /// `serve COHORT`: the learners, each served under `/l/FOLDER/`; then
    /// `/` is the caseload and the single portfolio's routes are not found.
    pub cohort: Option<Arc<Cohort>>,
    /// The generation of the last rebuild; open event streams watch it.
    pub generation: watch::Receiver<u64>,
    pub log_requests: bool,
}

/// Serves `listener` until `stop` is notified (Ctrl-C); then drops every
/// connection within [`STOP_GRACE`].
pub fn run(context: Context, listener: std::net::TcpListener, stop: Arc<Notify>) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("serve")
        .enable_io()
        .enable_time()
        .build()?;
    listener.set_nonblocking(true)?;
    let context = Arc::new(context);
    let streams = Streams::default();
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let connections = Arc::new(Semaphore::new(LIMITS.connections));
        loop {
            let permit = tokio::select! {
                () = stop.notified() => break,
                permit = connections.clone().acquire_owned() => match permit {
                    Ok(p) => p,
                    Err(_) => break,
                },
            };
            let stream = tokio::select! {
                () = stop.notified() => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    // Out of file descriptors, say: wait instead of spinning.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
            };
            let context = context.clone();
            let streams = streams.clone();
            tokio::spawn(async move {
                let _permit = permit;
                let _ = stream.set_nodelay(true);
                let mut io = tokio_io_timeout::TimeoutStream::new(stream);
                io.set_write_timeout(Some(LIMITS.write_time));
                let io = TokioIo::new(Box::pin(io));
                let service = hyper::service::service_fn(move |request| {
                    let context = context.clone();
                    let streams = streams.clone();
                    async move { Ok::<_, Infallible>(respond(request, &context, &streams).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(LIMITS.header_time)
                    .serve_connection(io, service)
                    .await;
            });
        }
        Ok::<_, std::io::Error>(())
    });
    runtime.shutdown_timeout(STOP_GRACE);
    result
}

type Body = http_body_util::combinators::BoxBody<Bytes, std::io::Error>;

/// The gate, then the route.
async fn respond(request: Request<Incoming>, context: &Context, streams: &Streams) -> Response<Body> {
    let (head, body) = request.into_parts();
    if context.log_requests {
        // The path only: the query may hold the token.
        eprintln!("request {} {} at {} ms", head.method, head.uri.path(), unix_millis());
    }
    match guard::check(&head, &context.gate) {
        Err(refusal) => refused(&refusal),
        Ok(Verdict::Exchange { location }) => exchange(&context.gate, &location),
        Ok(Verdict::Allowed(allowed)) => route(allowed, body, context, streams).await,
    }
}

async fn route(allowed: Allowed, body: Incoming, context: &Context, streams: &Streams) -> Response<Body> {
    if let Some(cohort) = context.cohort.clone() {
        return cohort_route(allowed, body, context, streams, cohort).await;
    }
    match allowed.route() {
        Route::Page => html_page(context.shared.snapshot().page.clone()),
        Route::Learner(..) | Route::Sample | Route::CaseloadScript => refused(&Refusal::NotFound),
        Route::Script => response(
            200,
            "text/javascript; charset=utf-8",
            full(Bytes::from_static(page::SCRIPT.as_bytes())),
        ),
        Route::WorkspaceScript => response(
            200,
            "text/javascript; charset=utf-8",
            full(Bytes::from_static(page::WORKSPACE_SCRIPT.as_bytes())),
        ),
        Route::Events => events(&allowed, context, streams),
        Route::Attachment(rel) => {
            let file = context.shared.snapshot().attachments.get(rel.as_str()).cloned();
            attachment(rel, file, context.dir.clone()).await
        }
        Route::Decide if context.read_only.is_some() => read_only(context, false),
        Route::Decide => decide(&allowed, body, context).await,
        Route::Icon => response(204, "image/x-icon", full(Bytes::new())),
        Route::Options
        | Route::Item(_)
        | Route::Save
        | Route::Delete
        | Route::Start
        | Route::Upload(_)
        | Route::Reflection => match context.read_only {
            Some(_) => read_only(context, true),
            None => workspace(&allowed, body, context).await,
        },
    }
}

/// `serve p.zip`'s answer to a write, 409 (the portfolio's state, a zip,
/// is what refuses): as JSON for the workspace's API, else as text. The
/// connection is closed, so a body sent is never read.
fn read_only(context: &Context, json: bool) -> Response<Body> {
    let message = context.read_only.clone().unwrap_or_default();
    closing(if json {
        response(
            409,
            "application/json",
            full(serde_json::json!({ "error": message }).to_string()),
        )
    } else {
        text(409, &format!("{message}\n"))
    })
}

/// A served page, with the page's policy ([`page::CSP`]).
fn html_page(html: impl Into<Bytes>) -> Response<Body> {
    let mut r = response(200, "text/html; charset=utf-8", full(html));
    r.headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(page::CSP));
    r
}

/// `serve COHORT`'s routes: the caseload at `/`, each learner under
/// `/l/FOLDER/` (FOLDER one of those discovered, else 404), the sample;
/// the single portfolio's own routes are not found here.
async fn cohort_route(
    allowed: Allowed,
    body: Incoming,
    context: &Context,
    streams: &Streams,
    cohort: Arc<Cohort>,
) -> Response<Body> {
    let generation = *context.generation.borrow();
    let view = context.assessor.as_ref().map(|a| a.view.clone());
    match allowed.route() {
        Route::Page => {
            let query = super::caseload::Query::parse(allowed.query());
            let name = cohort
                .dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let today = crate::date::Date::today();
            let made = tokio::task::spawn_blocking(move || {
                let lines = super::caseload::lines(&cohort, today);
                super::caseload::page(lines, &query, view.as_ref(), &name, generation)
            })
            .await;
            match made {
                Ok(html) => html_page(html),
                Err(_) => text(500, "the caseload could not be made\n"),
            }
        }
        Route::Sample => {
            let criteria = context.criteria.clone();
            let signers = context.signers.clone();
            let today = crate::date::Date::today();
            let made = tokio::task::spawn_blocking(move || {
                super::sample::page(
                    &cohort,
                    criteria.as_deref(),
                    signers.as_deref(),
                    view.as_ref(),
                    today,
                    generation,
                )
            })
            .await;
            match made {
                Ok(html) => html_page(html),
                Err(_) => text(500, "the sample could not be made\n"),
            }
        }
        Route::CaseloadScript => response(
            200,
            "text/javascript; charset=utf-8",
            full(Bytes::from_static(CASELOAD_SCRIPT.as_bytes())),
        ),
        Route::Script => response(
            200,
            "text/javascript; charset=utf-8",
            full(Bytes::from_static(page::SCRIPT.as_bytes())),
        ),
        Route::Events => events(&allowed, context, streams),
        Route::Icon => response(204, "image/x-icon", full(Bytes::new())),
        Route::Learner(folder, part) => {
            let Some(learner) = cohort.learner(folder) else {
                return refused(&Refusal::NotFound);
            };
            match part {
                LearnerPart::Page => html_page(learner.shared.snapshot().page.clone()),
                LearnerPart::Attachment(rel) => {
                    let file = learner.shared.snapshot().attachments.get(rel.as_str()).cloned();
                    attachment(rel, file, learner.inputs.dir.clone()).await
                }
                LearnerPart::Decide => {
                    let may_decide = learner.shared.snapshot().row.may_decide;
                    let dir = learner.inputs.dir.clone();
                    decide_in(&allowed, body, context, dir, Some(may_decide)).await
                }
            }
        }
        // The one portfolio's routes (its workspace, /decide, /attachments):
        // a cohort has none at the top.
        _ => refused(&Refusal::NotFound),
    }
}

/// The caseload's script, served as `/caseload.js`.
const CASELOAD_SCRIPT: &str = include_str!("caseload.js");

/// The response to a refused request. The connection is closed after it,
/// so that a body the client still sends is never read.
fn refused(refusal: &Refusal) -> Response<Body> {
    closing(text(refusal.status(), &refusal.message()))
}

/// The token came in the URL: the cookie is set, and a page without script
/// goes on to the same path without the token. (A page, not a redirect:
/// a browser that reached the link from another site or a file would not
/// send a `SameSite=Strict` cookie along a redirect it started.)
fn exchange(gate: &Gate, location: &str) -> Response<Body> {
    let location = url_path(location);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={location}\">\n<title>Portfolio</title>\n</head>\n\
         <body>\n<p><a href=\"{location}\">Go on to the portfolio</a></p>\n</body>\n</html>\n"
    );
    let mut r = response(200, "text/html; charset=utf-8", full(html));
    if let Ok(cookie) = HeaderValue::from_str(&gate.set_cookie()) {
        r.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    r
}

/// `path` percent-encoded for a URL in HTML: only unreserved characters
/// and `/` are left as they are.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The event stream: `update` with the current generation at once, then at
/// each rebuild; a comment line when idle. It holds one of its origin's
/// slots until the page goes away (hyper notices the closed connection and
/// drops the body, which frees the slot) or the server stops.
fn events(allowed: &Allowed, context: &Context, streams: &Streams) -> Response<Body> {
    let origin = allowed.origin().unwrap_or_default().to_string();
    let Some(slot) = streams.take(&origin) else {
        let mut r = closing(text(
            503,
            "too many open pages of this portfolio: close some, then reload this one\n",
        ));
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return r;
    };
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let mut generation = context.generation.clone();
    tokio::spawn(async move {
        let mut seen = *generation.borrow_and_update();
        let mut message = format!("retry: 500\nevent: update\ndata: {seen}\n\n");
        loop {
            if tx.send(Ok(Bytes::from(message))).await.is_err() {
                return;
            }
            message = tokio::select! {
                changed = generation.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    seen = *generation.borrow_and_update();
                    format!("event: update\ndata: {seen}\n\n")
                }
                () = tx.closed() => return,
                () = tokio::time::sleep(KEEP_ALIVE) => ": keep-alive\n\n".to_string(),
            };
        }
    });
    let body = Channel { rx, _slot: Some(slot) };
    response(200, "text/event-stream", BodyExt::boxed(body))
}

/// Serves an attached file: only one an item attaches (from a zip, the
/// bytes read from it at the last rebuild), and only while it
/// still resolves (symlinks followed) inside the portfolio folder; read on
/// a blocking thread and sent in pieces, so a large file is never whole in
/// memory.
async fn attachment(rel: &str, file: Option<Attached>, root: PathBuf) -> Response<Body> {
    let file = match file {
        None => return refused(&Refusal::NotFound),
        Some(Attached::Bytes(bytes)) => {
            let mut r = response(200, mime(rel), full(bytes));
            r.headers_mut().insert(
                HeaderName::from_static("cross-origin-resource-policy"),
                HeaderValue::from_static("same-origin"),
            );
            return r;
        }
        Some(Attached::File(file)) => file,
    };
    let opened = tokio::task::spawn_blocking(move || open_inside(&file, &root))
        .await
        .ok()
        .flatten();
    let Some((mut handle, length)) = opened else {
        return refused(&Refusal::NotFound);
    };
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let mut buffer = vec![0u8; CHUNK];
        loop {
            let piece = match handle.read(&mut buffer) {
                Ok(0) => return,
                Ok(n) => Ok(Bytes::copy_from_slice(&buffer[..n])),
                Err(e) => Err(e),
            };
            let failed = piece.is_err();
            // Fails when the client went away (the body was dropped).
            if tx.blocking_send(piece).is_err() || failed {
                return;
            }
        }
    });
    let mut r = response(200, mime(rel), BodyExt::boxed(Channel { rx, _slot: None }));
    let headers = r.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    );
    r
}

/// The file, open, and its length, when it resolves inside `root`.
fn open_inside(file: &Path, root: &Path) -> Option<(std::fs::File, u64)> {
    let real = std::fs::canonicalize(file).ok()?;
    if !real.starts_with(root) {
        return None;
    }
    let handle = std::fs::File::open(&real).ok()?;
    let meta = handle.metadata().ok()?;
    let length = meta.len();
    meta.is_file().then_some((handle, length))
}

/// `POST /decide`: read-only without `--key`; else the form, read within
/// the route's limit and [`Limits::body_time`](super::limits::Limits),
/// signed and stored on a blocking thread.
async fn decide(allowed: &Allowed, body: Incoming, context: &Context) -> Response<Body> {
    decide_in(allowed, body, context, context.dir.clone(), None).await
}

/// A decision on the portfolio in `dir`. In a cohort (`cohort` gives
/// whether the decider is named as this learner's assessor), two refusals
/// first, both 403 and writing nothing: an IQA never accepts, refers or
/// marks pending, whatever the request asks; an assessor decides only for
/// a learner whose portfolio.toml names them.
async fn decide_in(
    allowed: &Allowed,
    body: Incoming,
    context: &Context,
    dir: PathBuf,
    cohort: Option<bool>,
) -> Response<Body> {
    let Some(who) = context.assessor.clone() else {
        return closing(text(
            404,
            "this page is read-only: start serve with --key and --as to record decisions\n",
        ));
    };
    let form = match read_body(body, allowed.route().body_limit()).await {
        Ok(form) => form,
        Err(refusal) => return refusal,
    };
    if let Some(may_decide) = cohort {
        let asked = decide::parse_form(&form).map(|f| f.decision).unwrap_or_default();
        if who.view.role == "iqa" && !who.view.choices().contains(&asked.as_str()) {
            return text(
                403,
                &format!(
                    "refused, nothing written: an IQA confirms or returns an assessor's decision, and never accepts, refers or marks pending (asked: `{asked}`)\n"
                ),
            );
        }
        if who.view.role == "assessor" && !may_decide {
            return text(
                403,
                &format!(
                    "refused, nothing written: {} is not named as this learner's assessor in their portfolio.toml, so their portfolio is read-only for you\n",
                    who.view.by
                ),
            );
        }
    }
    let criteria = context.criteria.clone();
    let signers = context.signers.clone();
    match tokio::task::spawn_blocking(move || {
        decide::answer(&form, &dir, criteria.as_deref(), signers.as_deref(), &who)
    })
    .await
    {
        Ok((status, said)) => text(status, &said),
        Err(_) => text(
            500,
            "the decision could not be recorded: the server failed while signing\n",
        ),
    }
}

/// The learner's workspace ([`super::workspace`]): read the body within
/// the route's limit, then read or write the files on a blocking thread.
async fn workspace(allowed: &Allowed, body: Incoming, context: &Context) -> Response<Body> {
    let route = allowed.route().clone();
    let body = match route.body_limit() {
        0 => Bytes::new(),
        limit => match read_body(body, limit).await {
            Ok(b) => b,
            Err(refusal) => return refusal,
        },
    };
    let dir = context.dir.clone();
    let criteria = context.criteria.clone();
    let answered = tokio::task::spawn_blocking(move || {
        let criteria = criteria.as_deref();
        match &route {
            Route::Options => super::workspace::options(&dir, criteria),
            Route::Item(file) => super::workspace::item(&dir, file),
            Route::Save => super::workspace::save(&dir, &body),
            Route::Delete => super::workspace::delete(&dir, &body),
            Route::Upload(name) => super::workspace::upload(&dir, name, &body),
            Route::Reflection if body.is_empty() => super::workspace::reflection(&dir),
            Route::Reflection => super::workspace::save_reflection(&dir, &body),
            _ => super::workspace::start(&dir, criteria, &body),
        }
    })
    .await;
    match answered {
        Ok((status, json)) => response(status, "application/json", full(json)),
        Err(_) => text(500, "the server failed while saving; nothing was changed\n"),
    }
}

/// The request's body, at most `limit` bytes, within the body time.
async fn read_body(body: Incoming, limit: u64) -> Result<Bytes, Response<Body>> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    match tokio::time::timeout(LIMITS.body_time, Limited::new(body, limit).collect()).await {
        Err(_) => Err(closing(text(
            408,
            "refused: the request's body did not arrive in time\n",
        ))),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(refused(&Refusal::TooLarge)),
        Ok(Err(_)) => Err(closing(text(400, "refused: the request's body could not be read\n"))),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// A response body fed from a channel (event streams, attachments); it may
/// hold an event-stream slot, freed when hyper drops the body.
struct Channel {
    rx: mpsc::Receiver<Result<Bytes, std::io::Error>>,
    _slot: Option<Slot>,
}

impl hyper::body::Body for Channel {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        self.rx.poll_recv(cx).map(|piece| piece.map(|p| p.map(Frame::data)))
    }
}

/// How many event streams each origin holds ("" for the page itself, whose
/// browser sends no `Origin` with a same-origin stream).
#[derive(Debug, Clone, Default)]
struct Streams(Arc<Mutex<HashMap<String, usize>>>);

/// One open stream's hold on its origin's count.
#[derive(Debug)]
struct Slot {
    streams: Streams,
    origin: String,
}

impl Streams {
    /// A slot for `origin`, if it has fewer than its bound open.
    fn take(&self, origin: &str) -> Option<Slot> {
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = counts.entry(origin.to_string()).or_default();
        if *count >= LIMITS.streams_per_origin {
            return None;
        }
        *count += 1;
        Some(Slot {
            streams: self.clone(),
            origin: origin.to_string(),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.streams.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = counts.get_mut(&self.origin) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(&self.origin);
            }
        }
    }
}

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never: Infallible| match never {})
        .boxed()
}

/// A response with the headers every answer carries.
fn response(status: u16, content_type: &'static str, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = r.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    r
}

fn text(status: u16, body: &str) -> Response<Body> {
    response(status, "text/plain; charset=utf-8", full(body.to_string()))
}

fn closing(mut r: Response<Body>) -> Response<Body> {
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_origin_holds_at_most_its_bound_of_streams_and_gets_them_back() {
        let streams = Streams::default();
        let held: Vec<Slot> = (0..LIMITS.streams_per_origin)
            .map(|_| streams.take("http://a").unwrap())
            .collect();
        assert!(streams.take("http://a").is_none());
        assert!(streams.take("").is_some(), "another origin is not locked out");
        drop(held);
        assert!(streams.take("http://a").is_some(), "slots come back when streams go");
        assert!(streams.0.lock().unwrap().len() <= 1);
    }

    #[test]
    fn paths_in_the_exchange_page_are_encoded() {
        assert_eq!(url_path("/"), "/");
        assert_eq!(url_path("/attachments/a b\".png"), "/attachments/a%20b%22.png");
    }
}
