//! `portfolio serve` over plain HTTP: the page, the live update over
//! server-sent events, the problems panel through an error and its fix,
//! what is refused (foreign Host, `..`, a POST without the token,
//! files outside the attachments), and a clean stop on Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Serve {
    child: Child,
    port: u16,
    stderr: mpsc::Receiver<String>,
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn start() -> Serve {
    start_with(|_| Vec::new())
}

/// Starts serve on a copy of the sample portfolio after `setup` (given the
/// temporary folder holding the copy) made its changes; it returns more
/// arguments.
fn start_with(setup: impl FnOnce(&Path) -> Vec<std::ffi::OsString>) -> Serve {
    start_env(&[], setup)
}

/// As [`start_with`], with these environment variables set for serve.
fn start_env(env: &[(&str, &str)], setup: impl FnOnce(&Path) -> Vec<std::ffi::OsString>) -> Serve {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portfolio");
    copy_dir(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio").as_path(),
        &root,
    );
    let extra = setup(dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_portfolio"))
        .args(["serve", "--port", "0"])
        .args(extra)
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", "1771459200")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("serve says where it listens");
    let port = first
        .rsplit_once("http://127.0.0.1:")
        .and_then(|(_, rest)| rest.trim_end_matches('/').parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    let second = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(second.contains("only from this machine"), "{second}");
    Serve {
        child,
        port,
        stderr: rx,
        _dir: dir,
        root,
    }
}

/// Sends `head` (request line and headers, without the blank line) and
/// returns the status and body.
fn raw(port: u16, head: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "{head}\r\nConnection: close\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).unwrap();
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(bytes.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&bytes[..split]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(&bytes[split..])
    } else {
        bytes[split..].to_vec()
    };
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// The body of a chunked response.
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&rest[..eol])
            .ok()
            .and_then(|h| usize::from_str_radix(h.trim(), 16).ok());
        let Some(size) = size.filter(|&n| n > 0 && eol + 2 + n <= rest.len()) else {
            break;
        };
        out.extend_from_slice(&rest[eol + 2..eol + 2 + size]);
        rest = &rest[(eol + 4 + size).min(rest.len())..];
    }
    out
}

fn get(port: u16, path: &str) -> (u16, String) {
    raw(port, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}"))
}

/// An open event stream.
struct Events {
    stream: BufReader<TcpStream>,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        s.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
        Events {
            stream: BufReader::new(s),
        }
    }

    /// The generation of the next `update` event, within `limit`.
    fn next_update(&mut self, limit: Duration) -> Option<u64> {
        let start = Instant::now();
        let mut event = String::new();
        while start.elapsed() < limit {
            let mut line = String::new();
            match self.stream.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(_) => continue, // read timeout: look at the clock
            }
            let line = line.trim_end();
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && event == "update"
            {
                return data.parse().ok();
            }
        }
        None
    }
}

const ITEM: &str = "evidence/01-handover-procedure-discussion.md";

#[test]
fn the_page_updates_live_and_shows_errors_while_keeping_the_last_good_portfolio() {
    let serve = start();
    let port = serve.port;
    let (status, page) = get(port, "/");
    assert_eq!(status, 200);
    assert!(page.contains("Carry out customer service handovers"));
    assert!(page.contains("id=\"serve-panel\""));
    assert!(page.contains("Up to date"));
    assert!(
        page.contains("connect-src 'self'"),
        "the served copy may open its event stream"
    );
    assert!(page.contains("new EventSource(\"/events\")"));

    let mut events = Events::open(port);
    let first = events
        .next_update(Duration::from_secs(2))
        .expect("the current generation at once");

    // A paragraph appended to an item reaches the open page within 2 s.
    let item = serve.root.join(ITEM);
    let original = std::fs::read_to_string(&item).unwrap();
    let edited = Instant::now();
    std::fs::write(
        &item,
        format!("{original}\nA paragraph added while serving: ZEBRA-42.\n"),
    )
    .unwrap();
    let next = events
        .next_update(Duration::from_secs(2))
        .expect("an update within 2 s of the edit");
    assert!(next > first);
    let (_, page) = get(port, "/?live=1");
    let took = edited.elapsed();
    assert!(page.contains("ZEBRA-42"), "the new paragraph is on the page");
    assert!(took < Duration::from_secs(2), "edit to new page took {took:?}");
    eprintln!("edit → event → page fetched: {} ms", took.as_millis());

    // Broken front matter: the panel shows the error with its place; the
    // last good portfolio stays, marked out of date.
    std::fs::write(&item, original.replacen("title = \"", "title = ", 1)).unwrap();
    events
        .next_update(Duration::from_secs(2))
        .expect("an update after breaking the item");
    let (_, page) = get(port, "/");
    assert!(page.contains("Out of date."), "marked out of date");
    assert!(page.contains("serve-stale"));
    assert!(page.contains("<code>invalid-front-matter</code>"));
    let href = format!("vscode://file{}:", serve.root.join(ITEM).display());
    assert!(page.contains(&href), "an editor link to the file and line: {href}");
    assert!(page.contains(&format!(">{ITEM}:")), "the place as file:line");
    assert!(page.contains("ZEBRA-42"), "the last good portfolio is still shown");

    // Fixed: up to date again, without the paragraph (the fix dropped it).
    std::fs::write(&item, &original).unwrap();
    events
        .next_update(Duration::from_secs(2))
        .expect("an update after the fix");
    let (_, page) = get(port, "/");
    assert!(page.contains("Up to date"));
    assert!(!page.contains("invalid-front-matter"));
    assert!(!page.contains("ZEBRA-42"));
}

#[test]
fn foreign_hosts_paths_out_and_tokenless_posts_are_refused() {
    let serve = start();
    let port = serve.port;
    for host in [
        "evil.example",
        "evil.example:80",
        &format!("attacker.test:{port}"),
        "127.0.0.1:1",
    ] {
        let (status, _) = raw(port, &format!("GET / HTTP/1.1\r\nHost: {host}"));
        assert_eq!(status, 421, "Host {host}");
    }
    assert_eq!(raw(port, "GET / HTTP/1.0").0, 421, "no Host at all");
    let (status, _) = raw(port, &format!("GET / HTTP/1.1\r\nHost: localhost:{port}"));
    assert_eq!(status, 200);

    for path in [
        "/../portfolio.toml",
        "/attachments/../portfolio.toml",
        "/attachments/%2e%2e/portfolio.toml",
        "/attachments/%2E%2E%2Fportfolio.toml",
        "/attachments/..%5c..%5cportfolio.toml",
    ] {
        assert_eq!(get(port, path).0, 400, "{path}");
    }
    // Only the attachments items refer to; no listing, no other file.
    let (status, png) = get(port, "/attachments/handover-sheet.png");
    assert_eq!(status, 200);
    assert!(png.starts_with("\u{fffd}PNG"), "the PNG's bytes");
    for path in [
        "/attachments/",
        "/attachments",
        "/portfolio.toml",
        "/evidence/",
        &format!("/{ITEM}"),
    ] {
        assert_eq!(get(port, path).0, 404, "{path}");
    }
    #[cfg(unix)]
    {
        // An attachment swapped for a link out of the portfolio is not
        // served, even before the rebuild drops it (the allowed list of the
        // last good build is kept while the input has errors).
        let outside = serve.root.parent().unwrap().join("secret.png");
        std::fs::write(&outside, "SECRET").unwrap();
        let sheet = serve.root.join("attachments/handover-sheet.png");
        std::fs::remove_file(&sheet).unwrap();
        std::os::unix::fs::symlink(&outside, &sheet).unwrap();
        let (status, body) = get(port, "/attachments/handover-sheet.png");
        assert_eq!(status, 404, "a symlink out is not served: {body}");
        std::thread::sleep(Duration::from_millis(300));
        let (status, body) = get(port, "/attachments/handover-sheet.png");
        assert_eq!(status, 404, "nor after the rebuild: {body}");
    }

    // State-changing requests need the page's token.
    let (_, page) = get(port, "/");
    let token = page
        .split_once("data-token=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(t, _)| t.to_string())
        .expect("the page carries the token");
    assert_eq!(token.len(), 32);
    let post = |extra: &str| {
        raw(
            port,
            &format!("POST /decisions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0{extra}"),
        )
        .0
    };
    assert_eq!(post(""), 403, "no token");
    assert_eq!(
        post("\r\nX-Portfolio-Token: 00000000000000000000000000000000"),
        403,
        "a wrong token"
    );
    assert_eq!(
        post(&format!("\r\nX-Portfolio-Token: {token}")),
        404,
        "with the token it gets through to routing"
    );
    let (status, _) = raw(
        port,
        &format!("POST / HTTP/1.1\r\nHost: evil.example\r\nX-Portfolio-Token: {token}\r\nContent-Length: 0"),
    );
    assert_eq!(status, 421, "the token does not excuse a foreign Host");

    // Without --key the page is read-only: no form, and no decision is taken.
    assert!(!page.contains("<form class=\"serve-decide\""), "no form without a key");
    let (status, body) = raw(
        port,
        &format!(
            "POST /decide HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Portfolio-Token: {token}\r\nContent-Length: 28\r\n\r\nitem=x&decision=accepted&a=b"
        ),
    );
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("read-only"), "{body}");
}

#[test]
fn a_portfolio_that_never_built_says_so_then_appears_when_fixed() {
    let serve = start_with(|dir| {
        let item = dir.join("portfolio").join(ITEM);
        let text = std::fs::read_to_string(&item).unwrap();
        std::fs::write(&item, text.replacen("title = \"", "title = ", 1)).unwrap();
        Vec::new()
    });
    let (status, page) = get(serve.port, "/");
    assert_eq!(status, 200, "errors are shown, not a failure");
    assert!(page.contains("Not built."));
    assert!(page.contains("No portfolio to show yet"));
    assert!(page.contains("<code>invalid-front-matter</code>"));
    let mut events = Events::open(serve.port);
    events.next_update(Duration::from_secs(2)).unwrap();
    let item = serve.root.join(ITEM);
    let text = std::fs::read_to_string(&item).unwrap();
    std::fs::write(&item, text.replacen("title = ", "title = \"", 1)).unwrap();
    events
        .next_update(Duration::from_secs(2))
        .expect("an update after the fix");
    let (_, page) = get(serve.port, "/");
    assert!(page.contains("Up to date"));
    assert!(page.contains("Carry out customer service handovers"));
}

#[test]
fn a_change_to_the_templates_folder_rebuilds_too() {
    let serve = start_with(|dir| {
        let theme = dir.join("theme");
        std::fs::create_dir(&theme).unwrap();
        std::fs::write(theme.join("style.css"), "body { color: #111; }\n").unwrap();
        vec!["--templates".into(), theme.into_os_string()]
    });
    let (_, page) = get(serve.port, "/");
    assert!(page.contains("body { color: #111; }"));
    let mut events = Events::open(serve.port);
    events.next_update(Duration::from_secs(2)).unwrap();
    let theme = serve.root.parent().unwrap().join("theme");
    std::fs::write(theme.join("style.css"), "body { color: #222; }\n").unwrap();
    events
        .next_update(Duration::from_secs(2))
        .expect("an update after the stylesheet changed");
    let (_, page) = get(serve.port, "/");
    assert!(page.contains("body { color: #222; }"));
}

#[test]
fn an_editors_save_storm_is_one_rebuild() {
    let serve = start();
    let mut events = Events::open(serve.port);
    let first = events.next_update(Duration::from_secs(2)).unwrap();
    // What editors do on save, ten times over: write a temporary file,
    // rename it over the item, touch a swap file.
    let item = serve.root.join(ITEM);
    let text = std::fs::read_to_string(&item).unwrap();
    for i in 0..10 {
        let tmp = item.with_extension(format!("md.tmp{i}"));
        std::fs::write(&tmp, format!("{text}\nSaved {i} times.\n")).unwrap();
        std::fs::rename(&tmp, &item).unwrap();
        std::fs::write(serve.root.join("evidence/.01.md.swp"), [i]).unwrap();
    }
    let next = events
        .next_update(Duration::from_secs(2))
        .expect("an update after the storm");
    std::thread::sleep(Duration::from_millis(800));
    let rebuilds = serve.stderr.try_iter().filter(|l| l.starts_with("Rebuilt in")).count();
    // One rebuild; two if the machine paused the writer longer than the
    // debounce in mid-storm. Undebounced, it would be dozens.
    assert!((1..=2).contains(&rebuilds), "{rebuilds} rebuilds for one save storm");
    assert!(next > first);
    let (_, page) = get(serve.port, "/");
    assert!(page.contains("Saved 9 times."));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it_cleanly() {
    let mut serve = start();
    assert_eq!(get(serve.port, "/").0, 200);
    let _events = Events::open(serve.port);
    let pid = libc::pid_t::try_from(serve.child.id()).unwrap();
    // SAFETY: sending SIGINT to the child this test started.
    #[allow(unsafe_code)]
    unsafe {
        libc::kill(pid, libc::SIGINT);
    }
    let start = Instant::now();
    let status = loop {
        if let Some(status) = serve.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    let said: Vec<String> = serve.stderr.try_iter().collect();
    assert!(said.iter().any(|l| l == "Stopped."), "{said:?}");
}

/// The evidence and attachments, byte for byte.
fn evidence_bytes(root: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    for sub in ["evidence", "attachments"] {
        for entry in std::fs::read_dir(root.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            files.insert(path.clone(), std::fs::read(&path).unwrap());
        }
    }
    files
}

fn assessment_files(root: &Path) -> usize {
    std::fs::read_dir(root.join("assessment"))
        .unwrap()
        .map(|d| std::fs::read_dir(d.unwrap().path()).map_or(0, Iterator::count))
        .sum()
}

#[test]
fn an_assessor_records_a_signed_decision_through_the_page() {
    use ssh_key::private::Ed25519Keypair;
    use ssh_key::{LineEnding, PrivateKey};
    // The assessor portfolio.toml names (J. Patel): only they may decide for this learner.
    const BY: &str = "j.patel@centre.example";
    let mut roster_file = None;
    let s = start_env(&[("PORTFOLIO_TODAY", "2026-04-22")], |tmp| {
        let key = PrivateKey::from(Ed25519Keypair::from_seed(&[20; 32]));
        let key_file = tmp.join("assessor_key");
        key.write_openssh_file(&key_file, LineEnding::LF).unwrap();
        let roster = tmp.join("allowed_signers");
        let demo = std::fs::read_to_string(tmp.join("portfolio/DEMO-ONLY-allowed_signers")).unwrap();
        std::fs::write(
            &roster,
            format!(
                "{demo}\n{BY} namespaces=\"portfolio-assessor\" {}\n",
                key.public_key().to_openssh().unwrap()
            ),
        )
        .unwrap();
        roster_file = Some(roster.clone());
        vec![
            "--signers".into(),
            roster.into_os_string(),
            "--key".into(),
            key_file.into_os_string(),
            "--as".into(),
            BY.into(),
        ]
    });
    let roster = roster_file.unwrap();
    let port = s.port;
    let line = s.stderr.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(line.contains(&format!("signed as {BY} (assessor)")), "{line}");
    assert!(line.contains("SHA256:") && !line.contains("PRIVATE"), "{line}");
    let before = evidence_bytes(&s.root);
    let records = assessment_files(&s.root);

    let (_, page) = get(port, "/");
    let forms = page.matches("<form class=\"serve-decide\"").count();
    assert_eq!(
        forms,
        page.matches("<article class=\"item\"").count(),
        "a form beside each item"
    );
    assert!(page.contains("value=\"referred\""));
    let token = page
        .split_once("data-token=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(t, _)| t.to_string())
        .unwrap();
    let item = page
        .split_once("name=\"item\" value=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(t, _)| t.to_string())
        .unwrap();
    let body = "decision=referred&feedback=Say+more+about+who+you+told%3F&item=".to_string() + &item;
    let post = |headers: &str| {
        raw(
            port,
            &format!(
                "POST /decide HTTP/1.1\r\n{headers}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            ),
        )
    };
    let host = format!("Host: 127.0.0.1:{port}");
    assert_eq!(post(&host).0, 403, "no token");
    assert_eq!(
        post(&format!(
            "{host}\r\nX-Portfolio-Token: 0123456789abcdef0123456789abcdef"
        ))
        .0,
        403,
        "a wrong token"
    );
    assert_eq!(
        post(&format!("Host: evil.example:{port}\r\nX-Portfolio-Token: {token}")).0,
        421,
        "a foreign Host"
    );
    assert_eq!(assessment_files(&s.root), records, "nothing recorded when refused");

    let (status, said) = post(&format!("{host}\r\nX-Portfolio-Token: {token}"));
    assert_eq!(status, 200, "{said}");
    assert!(
        said.starts_with(&format!("Recorded: {item} assessor referred by {BY} on 2026-04-22")),
        "{said}"
    );
    assert_eq!(assessment_files(&s.root), records + 1);

    // A decision the role cannot make is refused with the reason, and not stored.
    let (status, said) = raw(
        port,
        &format!(
            "POST /decide HTTP/1.1\r\n{host}\r\nX-Portfolio-Token: {token}\r\nContent-Length: {}\r\n\r\nitem={item}&decision=confirmed",
            item.len() + 24
        ),
    );
    assert_eq!(status, 422, "{said}");
    assert!(said.contains("not `confirmed`"), "{said}");
    assert_eq!(assessment_files(&s.root), records + 1);

    // The watcher sees the new record and the page shows it.
    let start = Instant::now();
    loop {
        let (_, page) = get(port, "/");
        if page.contains("Say more about who you told?") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the page never showed the decision"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // `portfolio decisions` lists the same record, verified against the roster.
    let out = Command::new(env!("CARGO_BIN_EXE_portfolio"))
        .arg("decisions")
        .arg(&s.root)
        .arg("--signers")
        .arg(&roster)
        .env("PORTFOLIO_TODAY", "2026-04-22")
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    let mine: Vec<&str> = listed.lines().filter(|l| l.contains(BY)).collect();
    assert_eq!(mine.len(), 1, "{listed}");
    let fields: Vec<&str> = mine[0].split_whitespace().collect();
    assert_eq!(
        fields,
        [item.as_str(), "assessor", "referred", BY, "2026-04-22", "verified"],
        "{listed}"
    );
    assert_eq!(evidence_bytes(&s.root), before, "the evidence is only read");
}

#[test]
fn a_key_that_cannot_be_read_stops_serve_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("not_a_key");
    std::fs::write(&key, "hello\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_portfolio"))
        .args(["serve", "--port", "0", "--as", "a@b", "--key"])
        .arg(&key)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot read the key") && err.contains("not_a_key"),
        "{err}"
    );
    assert!(!err.contains("Serving"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_portfolio"))
        .args(["serve", "--port", "0", "--key"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(!out.status.success(), "--key needs --as");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--as"));
}
