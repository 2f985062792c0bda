//! What a request must show before anything answers it: a `Host` that is
//! this server's loopback address (so a page of another site, rebound to
//! 127.0.0.1 by its DNS, is refused), a path that cannot leave the
//! portfolio, and, for every request that could change anything (any method
//! but GET and HEAD), the per-run token the served page carries.

/// Why a request was refused, with the status it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 421: the `Host` header is missing or names another host or port.
    ForeignHost,
    /// 400: the path is not valid, or climbs out with `..`.
    BadPath,
    /// 403: a state-changing request without the right token.
    NoToken,
}

impl Refusal {
    pub fn status(&self) -> u16 {
        match self {
            Refusal::ForeignHost => 421,
            Refusal::BadPath => 400,
            Refusal::NoToken => 403,
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            Refusal::ForeignHost => "refused: this server answers only to its own loopback address\n",
            Refusal::BadPath => "refused: not a path of this portfolio\n",
            Refusal::NoToken => "refused: this request needs the token of the served page\n",
        }
    }
}

/// The header a state-changing request carries the token in.
pub const TOKEN_HEADER: &str = "X-Portfolio-Token";

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

/// Whether `given` is the token, compared in constant time.
pub fn token_ok(given: Option<&str>, token: &str) -> bool {
    let Some(given) = given else { return false };
    let (a, b) = (given.trim().as_bytes(), token.as_bytes());
    a.len() == b.len() && !token.is_empty() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The request target's path, percent-decoded, without the query; refused
/// when it is not absolute, does not decode to UTF-8, holds a NUL or a
/// backslash, or has a `.` or `..` segment, before or after decoding.
pub fn clean_path(target: &str) -> Result<String, Refusal> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return Err(Refusal::BadPath);
    }
    let decoded = percent_decode(raw).ok_or(Refusal::BadPath)?;
    for path in [raw, decoded.as_str()] {
        if path.contains(['\\', '\0']) || path.split('/').any(|s| s == ".." || s == ".") {
            return Err(Refusal::BadPath);
        }
    }
    Ok(decoded)
}

pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_loopback_address_and_port_are_this_server() {
        assert!(host_ok(Some("127.0.0.1:8214"), 8214));
        assert!(host_ok(Some("localhost:8214"), 8214));
        assert!(!host_ok(Some("127.0.0.1:8215"), 8214));
        assert!(!host_ok(Some("evil.example:8214"), 8214));
        assert!(!host_ok(Some("127.0.0.1.evil.example:8214"), 8214));
        assert!(!host_ok(Some("127.0.0.1"), 8214));
        assert!(!host_ok(None, 8214));
    }

    #[test]
    fn paths_cannot_climb_out() {
        assert_eq!(clean_path("/").as_deref(), Ok("/"));
        assert_eq!(clean_path("/?live=1").as_deref(), Ok("/"));
        assert_eq!(
            clean_path("/attachments/a%20b.png").as_deref(),
            Ok("/attachments/a b.png")
        );
        for bad in [
            "/../etc/passwd",
            "/attachments/../../x",
            "/attachments/%2e%2e/%2e%2e/x",
            "/attachments/%2E%2E%2Fx",
            "/a/./b",
            "/a%5c..%5cb",
            "/a%00",
            "/a%zz",
            "/%ff",
            "relative",
        ] {
            assert_eq!(clean_path(bad), Err(Refusal::BadPath), "{bad}");
        }
    }

    proptest::proptest! {
        /// Whatever the request target, an accepted path is absolute and
        /// has no `.` or `..` segment, backslash or NUL once decoded.
        #[test]
        fn accepted_paths_never_climb(target in "(/|%2[eEfF]|%5[cC]|\\.|[a-z]|%00|\\\\){0,12}") {
            if let Ok(path) = clean_path(&target) {
                proptest::prop_assert!(path.starts_with('/'));
                proptest::prop_assert!(!path.contains(['\\', '\0']));
                proptest::prop_assert!(path.split('/').all(|s| s != ".." && s != "."), "{}", path);
            }
        }
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
