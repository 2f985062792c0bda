//! The one gate every request passes before anything answers it
//! ([`check`]). In order:
//!
//! 1. `Host` must be this server's loopback address (`127.0.0.1:PORT` or
//!    `localhost:PORT`), so a page of another site rebound to 127.0.0.1 by
//!    its DNS is refused (421).
//! 2. An `Origin`, when there is one, must be this server; a request that
//!    could change anything (any method but GET and HEAD) must carry one
//!    (403). Browsers send it with every such request.
//! 3. The owner's secret: the per-run token, which travels only in the URL
//!    `serve` prints (`/?token=…`) and is then exchanged for an `HttpOnly;
//!    SameSite=Strict` cookie ([`Verdict::Exchange`]). Without the cookie
//!    (or the token in a GET's query) the answer is 401, whatever the route.
//! 4. A path that cannot leave the portfolio (400), a route that exists
//!    (404, 405), and a body no larger than the route takes, judged by its
//!    `Content-Length` before a byte of it is read (413).
//!
//! Routes (the table is [`super::route`]) are reached only through an
//! [`Allowed`], which only [`check`] makes; a new route is one more arm of
//! [`Route::find`] and is guarded like the others. A cohort's learner
//! routes (`/l/FOLDER/…`) carry the folder as one decoded path segment;
//! the server answers only for one of the learners' folders (404
//! otherwise).

use super::limits::LIMITS;
use super::route::{NoRoute, Route, clean_path};
use hyper::http::{HeaderMap, Method, request::Parts};

/// Why a request was refused, with the status it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 421: the `Host` header is missing or names another host or port.
    ForeignHost,
    /// 403: an `Origin` of another site, or a state-changing request
    /// without one.
    ForeignOrigin,
    /// 401: no owner's cookie (and no token in the URL).
    NotOwner,
    /// 400: the path is not valid, or climbs out with `..`.
    BadPath,
    /// 404: no such route.
    NotFound,
    /// 405: the route exists, not with this method.
    WrongMethod,
    /// 413: the body announced is larger than the route takes.
    TooLarge,
}

impl Refusal {
    pub fn status(&self) -> u16 {
        match self {
            Refusal::ForeignHost => 421,
            Refusal::ForeignOrigin => 403,
            Refusal::NotOwner => 401,
            Refusal::BadPath => 400,
            Refusal::NotFound => 404,
            Refusal::WrongMethod => 405,
            Refusal::TooLarge => 413,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Refusal::ForeignHost => "refused: this server answers only to its own loopback address\n".into(),
            Refusal::ForeignOrigin => "refused: a request from another site, or a change without its Origin\n".into(),
            Refusal::NotOwner => "This is the portfolio server of the person who started `portfolio serve`.\n\
                 If that is you, open the link it printed (http://127.0.0.1:PORT/?token=…) in your browser.\n"
                .into(),
            Refusal::BadPath => "refused: not a path of this portfolio\n".into(),
            Refusal::NotFound => "not found\n".into(),
            Refusal::WrongMethod => "refused: this address does not take that method\n".into(),
            Refusal::TooLarge => format!("refused: the request is too large. {}\n", LIMITS.for_users()),
        }
    }
}

/// A request that passed every check; only [`check`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowed {
    route: Route,
    /// The `Origin` it came with (this server's), if any.
    origin: Option<String>,
    /// The query string as sent (percent-encoded), without the `?`.
    query: String,
}

impl Allowed {
    pub fn route(&self) -> &Route {
        &self.route
    }

    /// The `Origin` it came with (this server's, lower case), if any: the
    /// key for the bound on event streams.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// The query string as sent (the caseload's sort and filter).
    pub fn query(&self) -> &str {
        &self.query
    }
}

/// What the gate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Go on to the route.
    Allowed(Allowed),
    /// The token came in the URL: set the cookie and go to `location` (the
    /// same path, without the token).
    Exchange { location: String },
}

/// What the gate knows about this run.
#[derive(Debug, Clone)]
pub struct Gate {
    pub port: u16,
    pub token: String,
}

impl Gate {
    /// The cookie's name: per port, as browsers keep one jar per host.
    pub fn cookie_name(&self) -> String {
        format!("portfolio_serve_{}", self.port)
    }

    /// The `Set-Cookie` value that makes this browser the owner's.
    pub fn set_cookie(&self) -> String {
        format!(
            "{}={}; Path=/; HttpOnly; SameSite=Strict",
            self.cookie_name(),
            self.token
        )
    }

    /// The URL `serve` prints and opens: the only place the token is shown.
    pub fn owner_url(&self) -> String {
        format!("http://127.0.0.1:{}/?token={}", self.port, self.token)
    }
}

/// The checks every request passes, in the order of the module's list.
pub fn check(head: &Parts, gate: &Gate) -> Result<Verdict, Refusal> {
    let headers = &head.headers;
    let host = one(headers, "host");
    if !host_ok(host, gate.port) {
        return Err(Refusal::ForeignHost);
    }
    let read = head.method == Method::GET || head.method == Method::HEAD;
    let origin = match headers.get_all("origin").iter().count() {
        0 => None,
        1 => Some(one(headers, "origin").ok_or(Refusal::ForeignOrigin)?),
        _ => return Err(Refusal::ForeignOrigin),
    };
    match origin {
        Some(origin) if !origin_ok(origin, gate.port) => return Err(Refusal::ForeignOrigin),
        None if !read => return Err(Refusal::ForeignOrigin),
        _ => {}
    }
    let target = head.uri.path_and_query().map_or("/", |p| p.as_str());
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let url_token = read && query_token(query).is_some_and(|t| token_ok(Some(t), &gate.token));
    if !url_token && !token_ok(cookie(headers, &gate.cookie_name()), &gate.token) {
        return Err(Refusal::NotOwner);
    }
    let path = clean_path(target).ok_or(Refusal::BadPath)?;
    if url_token {
        return Ok(Verdict::Exchange { location: path });
    }
    let route = Route::find(&head.method, &path).map_err(|e| match e {
        NoRoute::NotFound => Refusal::NotFound,
        NoRoute::WrongMethod => Refusal::WrongMethod,
    })?;
    match content_length(headers) {
        Err(()) => return Err(Refusal::TooLarge),
        Ok(Some(n)) if n > route.body_limit() => return Err(Refusal::TooLarge),
        _ => {}
    }
    Ok(Verdict::Allowed(Allowed {
        route,
        origin: origin.map(str::to_ascii_lowercase),
        query: query.to_string(),
    }))
}

/// The value of a header that must appear at most once, as text.
fn one<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    let mut all = headers.get_all(name).iter();
    let first = all.next()?;
    if all.next().is_some() {
        return None;
    }
    first.to_str().ok()
}

/// The announced body length: `Ok(None)` without one, `Err` when it is not
/// one number (several, or not a number: refused as too large).
fn content_length(headers: &HeaderMap) -> Result<Option<u64>, ()> {
    let mut all = headers.get_all("content-length").iter();
    let Some(first) = all.next() else { return Ok(None) };
    if all.next().is_some() {
        return Err(());
    }
    first
        .to_str()
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .map(Some)
        .ok_or(())
}

/// A new random token for this run: 128 bits from the operating system, as hex.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether `host` (the `Host` header) is this server: `127.0.0.1:PORT` or
/// `localhost:PORT`, exactly.
pub fn host_ok(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else { return false };
    let host = host.trim();
    let Some((name, p)) = host.rsplit_once(':') else {
        return false;
    };
    p.parse::<u16>().ok() == Some(port) && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost"))
}

/// Whether `origin` (the `Origin` header) is this server:
/// `http://127.0.0.1:PORT` or `http://localhost:PORT`.
pub fn origin_ok(origin: &str, port: u16) -> bool {
    let origin = origin.trim();
    origin.len() > 7 && origin[..7].eq_ignore_ascii_case("http://") && host_ok(Some(&origin[7..]), port)
}

/// Whether `given` is the token, compared in constant time.
pub fn token_ok(given: Option<&str>, token: &str) -> bool {
    let Some(given) = given else { return false };
    let (a, b) = (given.trim().as_bytes(), token.as_bytes());
    a.len() == b.len() && !token.is_empty() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `token` parameter of a query string.
fn query_token(query: &str) -> Option<&str> {
    query.split('&').find_map(|pair| pair.strip_prefix("token="))
}

/// The value of the cookie `name`, from every `Cookie` header; `None` when
/// it is missing or given more than once.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    let mut found = None;
    for value in headers.get_all("cookie") {
        let Ok(value) = value.to_str() else { continue };
        for pair in value.split(';') {
            if let Some((k, v)) = pair.trim().split_once('=')
                && k == name
            {
                if found.is_some() {
                    return None;
                }
                found = Some(v);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::route::LearnerPart;

    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    fn gate() -> Gate {
        Gate {
            port: 8214,
            token: TOKEN.into(),
        }
    }

    fn request(method: &str, target: &str, headers: &[(&str, &str)]) -> Parts {
        let mut r = hyper::http::Request::builder().method(method).uri(target);
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r.body(()).unwrap().into_parts().0
    }

    const HOST: (&str, &str) = ("Host", "127.0.0.1:8214");
    const COOKIE: (&str, &str) = ("Cookie", "a=b; portfolio_serve_8214=0123456789abcdef0123456789abcdef");
    const ORIGIN: (&str, &str) = ("Origin", "http://127.0.0.1:8214");

    fn routed(r: Result<Verdict, Refusal>) -> Result<Route, Refusal> {
        r.map(|v| match v {
            Verdict::Allowed(a) => a.route,
            Verdict::Exchange { location } => panic!("exchange to {location}"),
        })
    }

    #[test]
    fn without_the_owners_cookie_every_route_is_401() {
        for (method, target) in [
            ("GET", "/"),
            ("HEAD", "/"),
            ("GET", "/live.js"),
            ("GET", "/events"),
            ("GET", "/attachments/a.png"),
            ("POST", "/decide"),
            ("GET", "/l/amira/"),
            ("POST", "/l/amira/decide"),
            ("GET", "/l/amira/attachments/a.png"),
            ("GET", "/sample"),
            ("GET", "/caseload.js"),
            ("GET", "/no-such-thing"),
            ("GET", "/../x"),
            ("GET", "/?token=00000000000000000000000000000000"),
            ("POST", "/decide?token=0123456789abcdef0123456789abcdef"),
        ] {
            let r = check(&request(method, target, &[HOST, ORIGIN]), &gate());
            assert_eq!(r, Err(Refusal::NotOwner), "{method} {target}");
            let wrong = ("Cookie", "portfolio_serve_8214=00000000000000000000000000000000");
            let r = check(&request(method, target, &[HOST, ORIGIN, wrong]), &gate());
            assert_eq!(r, Err(Refusal::NotOwner), "{method} {target} with a wrong cookie");
            let other_port = ("Cookie", "portfolio_serve_8215=0123456789abcdef0123456789abcdef");
            let r = check(&request(method, target, &[HOST, ORIGIN, other_port]), &gate());
            assert_eq!(
                r,
                Err(Refusal::NotOwner),
                "{method} {target} with another port's cookie"
            );
        }
    }

    #[test]
    fn the_token_in_the_url_is_exchanged_for_the_cookie() {
        let r = check(&request("GET", &format!("/?token={TOKEN}"), &[HOST]), &gate());
        assert_eq!(r, Ok(Verdict::Exchange { location: "/".into() }));
        let r = check(
            &request("GET", &format!("/attachments/a.png?x=1&token={TOKEN}"), &[HOST]),
            &gate(),
        );
        assert_eq!(
            r,
            Ok(Verdict::Exchange {
                location: "/attachments/a.png".into()
            })
        );
        assert!(gate().set_cookie().contains("HttpOnly; SameSite=Strict"));
        assert_eq!(gate().owner_url(), format!("http://127.0.0.1:8214/?token={TOKEN}"));
    }

    #[test]
    fn with_the_cookie_each_route_is_reached() {
        assert_eq!(
            routed(check(&request("GET", "/", &[HOST, COOKIE]), &gate())),
            Ok(Route::Page)
        );
        assert_eq!(
            routed(check(&request("GET", "/?live=1", &[HOST, COOKIE]), &gate())),
            Ok(Route::Page)
        );
        assert_eq!(
            routed(check(&request("GET", "/live.js", &[HOST, COOKIE]), &gate())),
            Ok(Route::Script)
        );
        assert_eq!(
            routed(check(&request("GET", "/events", &[HOST, COOKIE]), &gate())),
            Ok(Route::Events)
        );
        assert_eq!(
            routed(check(
                &request("GET", "/attachments/a%20b.png", &[HOST, COOKIE]),
                &gate()
            )),
            Ok(Route::Attachment("attachments/a b.png".into()))
        );
        assert_eq!(
            routed(check(&request("POST", "/decide", &[HOST, COOKIE, ORIGIN]), &gate())),
            Ok(Route::Decide)
        );
        assert_eq!(
            routed(check(&request("GET", "/portfolio.toml", &[HOST, COOKIE]), &gate())),
            Err(Refusal::NotFound)
        );
        let learner = |part| Ok(Route::Learner("Amira Khan".into(), part));
        assert_eq!(
            routed(check(&request("GET", "/l/Amira%20Khan/", &[HOST, COOKIE]), &gate())),
            learner(LearnerPart::Page)
        );
        assert_eq!(
            routed(check(
                &request("POST", "/l/Amira%20Khan/decide", &[HOST, COOKIE, ORIGIN]),
                &gate()
            )),
            learner(LearnerPart::Decide)
        );
        assert_eq!(
            routed(check(
                &request("GET", "/l/Amira%20Khan/attachments/a.png", &[HOST, COOKIE]),
                &gate()
            )),
            learner(LearnerPart::Attachment("attachments/a.png".into()))
        );
        for (method, bad) in [
            ("GET", "/l/"),
            ("GET", "/l//"),
            ("GET", "/l/amira"),
            ("GET", "/l/amira/portfolio.toml"),
            ("GET", "/l/amira/attachments/"),
        ] {
            assert_eq!(
                routed(check(&request(method, bad, &[HOST, COOKIE]), &gate())),
                Err(Refusal::NotFound),
                "{bad}"
            );
        }
        for bad in ["/l/../x/", "/l/%2e%2e/", "/l/a%2f..%2f/"] {
            assert_eq!(
                routed(check(&request("GET", bad, &[HOST, COOKIE]), &gate())),
                Err(Refusal::BadPath),
                "{bad}"
            );
        }
        assert_eq!(
            routed(check(&request("GET", "/l/amira/decide", &[HOST, COOKIE]), &gate())),
            Err(Refusal::WrongMethod)
        );
        assert_eq!(
            routed(check(&request("GET", "/sample", &[HOST, COOKIE]), &gate())),
            Ok(Route::Sample)
        );
        assert_eq!(
            routed(check(&request("GET", "/attachments/", &[HOST, COOKIE]), &gate())),
            Err(Refusal::NotFound)
        );
        assert_eq!(
            routed(check(&request("GET", "/decide", &[HOST, COOKIE]), &gate())),
            Err(Refusal::WrongMethod)
        );
        assert_eq!(
            routed(check(&request("POST", "/", &[HOST, COOKIE, ORIGIN]), &gate())),
            Err(Refusal::WrongMethod)
        );
    }

    #[test]
    fn changes_need_this_servers_origin_and_reads_may_not_come_from_another() {
        for origin in [
            "http://attacker.example",
            "http://127.0.0.1:8215",
            "https://127.0.0.1:8214",
            "null",
            "http://127.0.0.1:8214.attacker.example",
        ] {
            for method in ["POST", "GET"] {
                let r = check(
                    &request(method, "/decide", &[HOST, COOKIE, ("Origin", origin)]),
                    &gate(),
                );
                assert_eq!(r, Err(Refusal::ForeignOrigin), "{method} from {origin}");
            }
        }
        let r = check(&request("POST", "/decide", &[HOST, COOKIE]), &gate());
        assert_eq!(r, Err(Refusal::ForeignOrigin), "a change without an Origin");
        let r = check(
            &request(
                "POST",
                "/decide",
                &[HOST, COOKIE, ORIGIN, ("Origin", "http://attacker.example")],
            ),
            &gate(),
        );
        assert_eq!(r, Err(Refusal::ForeignOrigin), "two Origins");
        let r = check(
            &request("POST", "/decide", &[HOST, COOKIE, ("Origin", "http://localhost:8214")]),
            &gate(),
        );
        assert_eq!(routed(r), Ok(Route::Decide));
    }

    #[test]
    fn bodies_larger_than_the_route_takes_are_refused_unread() {
        let post = |length: &str| {
            routed(check(
                &request("POST", "/decide", &[HOST, COOKIE, ORIGIN, ("Content-Length", length)]),
                &gate(),
            ))
        };
        assert_eq!(post("65536"), Ok(Route::Decide));
        assert_eq!(post("65537"), Err(Refusal::TooLarge));
        assert_eq!(post("9223372036854775808"), Err(Refusal::TooLarge));
        assert_eq!(post("99999999999999999999999"), Err(Refusal::TooLarge));
        assert_eq!(post("-1"), Err(Refusal::TooLarge));
        let learner = |length: &str| {
            routed(check(
                &request(
                    "POST",
                    "/l/amira/decide",
                    &[HOST, COOKIE, ORIGIN, ("Content-Length", length)],
                ),
                &gate(),
            ))
        };
        assert_eq!(
            learner("65536"),
            Ok(Route::Learner("amira".into(), LearnerPart::Decide))
        );
        assert_eq!(learner("65537"), Err(Refusal::TooLarge));
        let r = check(
            &request("GET", "/l/amira/", &[HOST, COOKIE, ("Content-Length", "1")]),
            &gate(),
        );
        assert_eq!(routed(r), Err(Refusal::TooLarge), "a learner's page takes no body");
        let r = check(&request("GET", "/", &[HOST, COOKIE, ("Content-Length", "1")]), &gate());
        assert_eq!(routed(r), Err(Refusal::TooLarge), "a GET takes no body");
    }

    #[test]
    fn only_the_loopback_address_and_port_are_this_server() {
        assert!(host_ok(Some("127.0.0.1:8214"), 8214));
        assert!(host_ok(Some("localhost:8214"), 8214));
        assert!(!host_ok(Some("127.0.0.1:8215"), 8214));
        assert!(!host_ok(Some("evil.example:8214"), 8214));
        assert!(!host_ok(Some("127.0.0.1.evil.example:8214"), 8214));
        assert!(!host_ok(Some("127.0.0.1"), 8214));
        assert!(!host_ok(None, 8214));
        let r = check(&request("GET", "/", &[("Host", "evil.example:8214"), COOKIE]), &gate());
        assert_eq!(
            r,
            Err(Refusal::ForeignHost),
            "the cookie does not excuse a foreign Host"
        );
    }

    #[test]
    fn the_token_must_match_exactly() {
        assert!(token_ok(Some("abc"), "abc"));
        assert!(!token_ok(Some("abd"), "abc"));
        assert!(!token_ok(Some("ab"), "abc"));
        assert!(!token_ok(None, "abc"));
        assert!(!token_ok(Some(""), ""));
        let t = new_token().unwrap();
        assert_eq!(t.len(), 32);
        assert_ne!(t, new_token().unwrap());
    }
}
