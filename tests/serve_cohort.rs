//! `portfolio serve COHORT` (issue 28): the assessor's caseload and the
//! IQA's sample, over plain HTTP with the owner's cookie. A cohort of five
//! (three learners assessed by J. Patel, two by S. Jones), a roster of two
//! assessors and one IQA: the caseload lists the five; a learner path
//! outside the cohort is not found; the assessor's decision on a learner
//! they are named for is written and verifies, on another learner it is
//! refused; the IQA confirms from the sample page, and their attempt to
//! accept is refused and writes nothing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TODAY: &str = "2026-05-10";
const PATEL: &str = "j.patel@northgate.example";
const OBI: &str = "r.obi@northgate.example";

/// The five learners: folder, name, ULN, id, assessor.
const LEARNERS: [(&str, &str, &str, &str, &str); 5] = [
    ("amira", "Amira Khan", "9000000421", "L-0042", "J. Patel"),
    ("ben", "Ben Carter", "9000000439", "L-0043", "J. Patel"),
    ("chloe", "Chloe Dunn", "9000000447", "L-0044", "J. Patel"),
    ("dev", "Dev Mistry", "9000000455", "L-0045", "S. Jones"),
    ("erin", "Erin Walsh", "9000000463", "L-0046", "S. Jones"),
];

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio")
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with("DEMO-ONLY") {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

/// The cohort in `tmp/cohort`, a portfolio beside it (outside the cohort),
/// and the roster: the sample's two demo signers and S. Jones.
fn cohort(tmp: &Path) -> (PathBuf, PathBuf) {
    let cohort = tmp.join("cohort");
    for (folder, name, uln, id, assessor) in LEARNERS {
        let dir = cohort.join(folder);
        copy(&sample(), &dir);
        let toml = dir.join("portfolio.toml");
        let text = std::fs::read_to_string(&toml)
            .unwrap()
            .replace("Amira Khan", name)
            .replace("9000000421", uln)
            .replace("L-0042", id)
            .replace("name = \"J. Patel\"", &format!("name = \"{assessor}\""));
        std::fs::write(&toml, text).unwrap();
    }
    copy(&sample(), &tmp.join("outside"));
    let jones = ssh_key::PrivateKey::from(ssh_key::private::Ed25519Keypair::from_seed(&[28; 32]));
    let demo = std::fs::read_to_string(sample().join("DEMO-ONLY-allowed_signers")).unwrap();
    let roster = tmp.join("allowed_signers");
    std::fs::write(
        &roster,
        format!(
            "{demo}s.jones@northgate.example namespaces=\"portfolio-assessor\" {}\n",
            jones.public_key().to_openssh().unwrap()
        ),
    )
    .unwrap();
    (cohort, roster)
}

struct Serve {
    child: Child,
    port: u16,
    cookie: String,
    _stderr: mpsc::Receiver<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn key(name: &str) -> PathBuf {
    sample().join("DEMO-ONLY-keys").join(name)
}

/// Serves `cohort` as `by` with `key` in `role`; logs in with the printed link.
fn serve(cohort: &Path, roster: &Path, key: &Path, by: &str, role: &str) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portfolio"))
        .args(["serve", "--port", "0", "--role", role, "--as", by])
        .arg("--key")
        .arg(key)
        .arg("--signers")
        .arg(roster)
        .arg(cohort)
        .env("PORTFOLIO_TODAY", TODAY)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
    let parsed = first
        .rsplit_once("http://127.0.0.1:")
        .and_then(|(_, rest)| rest.split_once("/?token="))
        .and_then(|(port, token)| Some((port.parse::<u16>().ok()?, token.to_string())));
    let Some((port, token)) = parsed else {
        let _ = child.kill();
        panic!("no link in {first:?}");
    };
    assert!(first.contains("(5 learners)"), "{first}");
    let reply = request(
        port,
        &format!("GET /?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}"),
        "",
    );
    let cookie = reply
        .1
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no cookie: {reply:?}"))
        .to_string();
    Serve {
        child,
        port,
        cookie,
        _stderr: rx,
    }
}

/// Sends `head` and `body`; returns the status, the head and the body.
fn request(port: u16, head: &str, body: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let length = if body.is_empty() {
        String::new()
    } else {
        format!(
            "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}",
            body.len()
        )
    };
    write!(s, "{head}{length}\r\nConnection: close\r\n\r\n{body}").unwrap();
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let rest = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    (status, head.to_string(), rest)
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

impl Serve {
    fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = request(
            self.port,
            &format!(
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nCookie: {}",
                self.port, self.cookie
            ),
            "",
        );
        (status, body)
    }

    fn post(&self, path: &str, body: &str) -> (u16, String) {
        let (status, _, said) = request(
            self.port,
            &format!(
                "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {}\r\nOrigin: http://127.0.0.1:{port}",
                self.cookie,
                port = self.port
            ),
            body,
        );
        (status, said)
    }
}

/// Every file under `dir`, with its bytes.
fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.insert(e.path(), std::fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

/// The item whose decision form offers the criterion `code`.
fn item_offering(page: &str, code: &str) -> String {
    page.split("<form class=\"serve-decide\"")
        .skip(1)
        .find(|form| form.contains(&format!("name=\"criterion\" value=\"{code}\"")))
        .and_then(|form| form.split_once("name=\"item\" value=\""))
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(item, _)| item.to_string())
        .unwrap_or_else(|| panic!("no form offers {code}"))
}

/// `portfolio decisions DIR --signers ROSTER`, its lines.
fn decisions(dir: &Path, roster: &Path) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_portfolio"))
        .arg("decisions")
        .arg(dir)
        .arg("--signers")
        .arg(roster)
        .env("PORTFOLIO_TODAY", TODAY)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Sets the modification time of every file and folder under `dir`.
fn touch_all(dir: &Path, when: std::time::SystemTime) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            touch_all(&e.path(), when);
        } else {
            std::fs::File::options()
                .write(true)
                .open(e.path())
                .unwrap()
                .set_modified(when)
                .unwrap();
        }
    }
    std::fs::File::open(dir).unwrap().set_modified(when).unwrap();
}

/// The cells of the caseload's row for `name`.
fn row(page: &str, name: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(page);
    let tr = scraper::Selector::parse("#caseload tbody tr").unwrap();
    let td = scraper::Selector::parse("td").unwrap();
    doc.select(&tr)
        .map(|r| r.select(&td).map(|c| c.text().collect::<String>()).collect::<Vec<_>>())
        .find(|cells| cells.first().is_some_and(|c| c == name))
        .unwrap_or_else(|| panic!("no row for {name}"))
}

#[test]
fn the_caseload_lists_every_learner_and_nothing_outside_the_cohort_is_served() {
    let tmp = tempfile::tempdir().unwrap();
    let (cohort, roster) = cohort(tmp.path());
    // Erin's files last changed ten days before today (2026-04-30, noon UTC);
    // the others' after today (copied just now): 0.
    let ten_days_ago = std::time::UNIX_EPOCH + Duration::from_secs(1_777_550_400);
    touch_all(&cohort.join("erin"), ten_days_ago);
    let s = serve(&cohort, &roster, &key("j-patel-DEMO-ONLY"), PATEL, "assessor");

    let (status, page) = s.get("/");
    assert_eq!(status, 200, "{page}");
    let doc = scraper::Html::parse_document(&page);
    let h1 = scraper::Selector::parse("h1").unwrap();
    assert_eq!(doc.select(&h1).next().unwrap().text().collect::<String>(), "Caseload");
    let link = scraper::Selector::parse("table a[href^=\"/l/\"]").unwrap();
    let links: Vec<(String, String)> = doc
        .select(&link)
        .map(|a| (a.text().collect(), a.value().attr("href").unwrap().to_string()))
        .collect();
    let want: Vec<(String, String)> = LEARNERS
        .iter()
        .map(|(folder, name, ..)| (name.to_string(), format!("/l/{folder}/")))
        .collect();
    assert_eq!(links, want, "every learner, by name, linked to their portfolio");
    assert!(page.contains("You decide for 3 of 5."), "{page}");
    assert_eq!(page.matches(">Read-only</span>").count(), 2, "{page}");
    assert!(page.contains("<script src=\"/caseload.js\" defer></script>"));
    assert!(!page.contains("<script>"), "no inline script");
    // Every learner's rows say where they stand: the sample's 12 criteria.
    assert_eq!(page.matches(" of 12 met</td>").count(), 5, "{page}");
    // Amira is the sample itself, her signed decisions verified by the roster:
    // as `portfolio check` counts them (7 met, 2 items awaiting, no referral).
    assert_eq!(
        row(&page, "Amira Khan"),
        ["Amira Khan", "7 of 12 met", "2", "0", "0", "You decide"]
    );
    assert_eq!(row(&page, "Erin Walsh")[4], "10", "days since Erin's last change");
    let (_, stale) = s.get("/?sort=-days");
    assert!(
        stale.find("Erin Walsh").unwrap() < stale.find("Amira Khan").unwrap(),
        "most days first"
    );

    // Sorted and filtered by the query, without script.
    let (_, mine) = s.get("/?mine=1");
    assert!(
        mine.contains("Showing 3 of 5 learners.") && !mine.contains("Dev Mistry"),
        "{mine}"
    );
    let (_, found) = s.get("/?q=walsh");
    assert!(
        found.contains("Showing 1 of 5") && found.contains("Erin Walsh"),
        "{found}"
    );
    let (_, sorted) = s.get("/?sort=-name");
    assert!(sorted.find("Erin Walsh").unwrap() < sorted.find("Amira Khan").unwrap());
    assert_eq!(s.get("/caseload.js").0, 200);

    // Each learner's portfolio: forms only for those J. Patel is named for.
    for (folder, _, _, _, assessor) in LEARNERS {
        let (status, learner) = s.get(&format!("/l/{folder}/"));
        assert_eq!(status, 200, "{folder}");
        let forms = learner.matches("<form class=\"serve-decide\"").count();
        if assessor == "J. Patel" {
            assert!(forms > 0, "{folder} has forms");
            assert!(learner.contains(&format!("action=\"/l/{folder}/decide\"")));
        } else {
            assert_eq!(forms, 0, "{folder} is read-only");
        }
        assert!(learner.contains("Back to the caseload"));
        assert!(
            !learner.contains("/workspace.js"),
            "no learner's workspace in the caseload"
        );
    }

    // Nothing but the discovered folders: 404 (or 400 for a path that climbs).
    let before = tree(tmp.path());
    for (path, want) in [
        ("/l/outside/", 404),
        ("/l/nobody/", 404),
        ("/l/amira", 404),
        ("/l/amira/portfolio.toml", 404),
        ("/l/amira/attachments/../../outside/portfolio.toml", 400),
        ("/l/..%2Foutside/", 400),
        ("/l/%2e%2e/", 400),
        ("/api/options", 404),
        ("/attachments/a.png", 404),
    ] {
        let (status, body) = s.get(path);
        assert_eq!(status, want, "{path}: {body}");
        assert!(!body.contains("Amira"), "{path} shows nothing of a portfolio");
    }
    for path in ["/l/outside/decide", "/decide"] {
        let (status, _) = s.post(path, "item=05-observation-morning-huddle&decision=accepted");
        assert_eq!(status, 404, "{path}");
    }
    // Without the owner's cookie, every cohort route is 401.
    for path in ["/", "/l/amira/", "/sample", "/caseload.js"] {
        let (status, ..) = request(
            s.port,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}", s.port),
            "",
        );
        assert_eq!(status, 401, "{path}");
    }
    assert_eq!(tree(tmp.path()), before, "nothing written");
}

#[test]
fn an_assessor_decides_for_their_own_learners_only_and_the_record_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let (cohort, roster) = cohort(tmp.path());
    let s = serve(&cohort, &roster, &key("j-patel-DEMO-ONLY"), PATEL, "assessor");
    let (_, page) = s.get("/l/amira/");
    let item = item_offering(&page, "3.1");

    // Not named for Dev: refused, nothing written.
    let before = tree(&cohort);
    let (status, said) = s.post("/l/dev/decide", &format!("item={item}&decision=accepted&criterion=3.1"));
    assert_eq!(status, 403, "{said}");
    assert!(said.contains("not named as this learner's assessor"), "{said}");
    // Without this server's Origin, or without the cookie: refused by the gate.
    let body = format!("item={item}&decision=accepted&criterion=3.1");
    let (status, ..) = request(
        s.port,
        &format!(
            "POST /l/amira/decide HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nCookie: {}",
            s.port, s.cookie
        ),
        &body,
    );
    assert_eq!(status, 403, "no Origin");
    let (status, ..) = request(
        s.port,
        &format!(
            "POST /l/amira/decide HTTP/1.1\r\nHost: 127.0.0.1:{0}\r\nOrigin: http://127.0.0.1:{0}",
            s.port
        ),
        &body,
    );
    assert_eq!(status, 401, "no cookie");
    assert_eq!(tree(&cohort), before, "nothing written by a refusal");

    // Amira is J. Patel's: recorded, and `portfolio decisions` verifies it.
    let (status, said) = s.post(
        "/l/amira/decide",
        &format!("item={item}&decision=accepted&criterion=3.1&feedback=Clear+account+of+the+handover."),
    );
    assert_eq!(status, 200, "{said}");
    assert!(
        said.starts_with(&format!("Recorded: {item} assessor accepted by {PATEL} on {TODAY}")),
        "{said}"
    );
    let listed = decisions(&cohort.join("amira"), &roster);
    let mine: Vec<&String> = listed.iter().filter(|l| l.contains(TODAY)).collect();
    assert_eq!(mine.len(), 1, "{listed:?}");
    assert!(
        mine[0].starts_with(&item) && mine[0].contains(PATEL) && mine[0].contains("verified"),
        "{listed:?}"
    );
    assert!(!mine[0].contains("unverified"), "{listed:?}");
    // Amira's page shows the decision.
    let start = Instant::now();
    while !s.get("/l/amira/").1.contains("Clear account of the handover.") {
        assert!(start.elapsed() < Duration::from_secs(10), "the page never showed it");
        std::thread::sleep(Duration::from_millis(100));
    }
    // A referral: the caseload counts it as open.
    assert_eq!(row(&s.get("/").1, "Amira Khan")[3], "0");
    let referred = item_offering(&page, "3.5");
    let (status, said) = s.post(
        "/l/amira/decide",
        &format!("item={referred}&decision=referred&criterion=3.5&feedback=Say+who+agreed+the+change."),
    );
    assert_eq!(status, 200, "{said}");
    let start = Instant::now();
    while row(&s.get("/").1, "Amira Khan")[3] != "1" {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the caseload never counted the referral"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_iqa_confirms_from_the_sample_page_and_can_never_accept() {
    let tmp = tempfile::tempdir().unwrap();
    let (cohort, roster) = cohort(tmp.path());
    let s = serve(&cohort, &roster, &key("r-obi-DEMO-ONLY"), OBI, "iqa");
    let (_, caseload) = s.get("/");
    assert!(
        caseload.contains("<a href=\"/sample\">"),
        "the caseload links the sample"
    );
    assert!(
        !s.get("/l/amira/").1.contains("<form class=\"serve-decide\""),
        "portfolios are read-only for an IQA"
    );

    let (status, sample) = s.get("/sample");
    assert_eq!(status, 200, "{sample}");
    let doc = scraper::Html::parse_document(&sample);
    let h1 = scraper::Selector::parse("h1").unwrap();
    assert_eq!(doc.select(&h1).next().unwrap().text().collect::<String>(), "Sample");
    // Every sampled item links to the item in its learner's served page.
    let section = scraper::Selector::parse("section.sampled").unwrap();
    let link = scraper::Selector::parse("h3 a").unwrap();
    let sampled: Vec<String> = doc
        .select(&section)
        .map(|s| {
            s.select(&link)
                .next()
                .unwrap()
                .value()
                .attr("href")
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(!sampled.is_empty(), "{sample}");
    for href in &sampled {
        let (path, anchor) = href.split_once('#').unwrap_or_else(|| panic!("{href}"));
        let (status, page) = s.get(path);
        assert_eq!(status, 200, "{href}");
        assert!(page.contains(&format!("id=\"{anchor}\"")), "{href} goes nowhere");
    }
    // Confirm and Return, with Feedback; no Accept or Refer.
    let labels: Vec<String> = doc
        .select(&scraper::Selector::parse("section.sampled label").unwrap())
        .map(|l| l.text().collect::<String>().trim().to_string())
        .collect();
    for want in ["Confirm", "Return", "Feedback"] {
        assert!(labels.iter().any(|l| l == want), "{want}: {labels:?}");
    }
    assert!(!labels.iter().any(|l| l == "Accept" || l == "Refer"), "{labels:?}");
    assert_eq!(
        sample
            .matches("<button type=\"submit\">Sign and record</button>")
            .count(),
        sampled.len()
    );

    // The first sampled item not yet done.
    let first = doc
        .select(&section)
        .find(|s| !s.html().contains("class=\"done\""))
        .expect("an item not yet done");
    let form = first.select(&scraper::Selector::parse("form").unwrap()).next().unwrap();
    let action = form.value().attr("action").unwrap().to_string();
    let item = form
        .select(&scraper::Selector::parse("input[name=item]").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    let folder = action.trim_start_matches("/l/").trim_end_matches("/decide").to_string();

    // The IQA's accept, refer or pending, however crafted: 403, nothing written.
    let before = tree(&cohort);
    for body in [
        format!("item={item}&decision=accepted"),
        format!("item={item}&decision=referred&criterion=3.1&feedback=x"),
        format!("item={item}&decision=pending"),
        format!("decision=accepted&item={item}&decision=accepted"),
    ] {
        let (status, said) = s.post(&action, &body);
        assert_eq!(status, 403, "{body}: {said}");
        assert!(said.contains("never accepts, refers"), "{said}");
    }
    assert_eq!(tree(&cohort), before, "an IQA's accept writes nothing");

    let done_before = sample.matches("class=\"done\"").count();
    let (status, said) = s.post(
        &action,
        &format!("item={item}&decision=confirmed&feedback=Sound+judgement."),
    );
    assert_eq!(status, 200, "{said}");
    assert!(
        said.starts_with(&format!("Recorded: {item} iqa confirmed by {OBI} on {TODAY}")),
        "{said}"
    );
    let listed = decisions(&cohort.join(&folder), &roster);
    assert!(
        listed.iter().any(|l| l.starts_with(&item)
            && l.contains("iqa")
            && l.contains(OBI)
            && l.contains(TODAY)
            && l.ends_with("verified")
            && !l.contains("unverified")),
        "{listed:?}"
    );
    // The plan shows it done.
    let (_, after) = s.get("/sample");
    assert_eq!(after.matches("class=\"done\"").count(), done_before + 1, "{after}");
    assert!(
        after.contains(&format!("confirmed by {OBI} on {TODAY} (verified)")),
        "{after}"
    );
}

/// A learner's folder copied into the cohort while serve runs joins the
/// caseload (named, linked, with their progress) and is served under
/// `/l/FOLDER/` without a restart; a folder without portfolio.toml does
/// not, and no learner is listed twice.
#[test]
fn a_learner_added_while_serving_joins_the_caseload() {
    let tmp = tempfile::tempdir().unwrap();
    let (cohort, roster) = cohort(tmp.path());
    let s = serve(&cohort, &roster, &key("j-patel-DEMO-ONLY"), PATEL, "assessor");
    assert_eq!(s.get("/l/fay/").0, 404, "not a learner yet");

    // Not a learner: a folder of notes.
    std::fs::create_dir_all(cohort.join("notes")).unwrap();
    std::fs::write(cohort.join("notes/todo.txt"), "ask about Fay's start date\n").unwrap();
    // Fay's portfolio, copied in as a centre would (portfolio.toml last).
    let staged = tmp.path().join("fay-staged");
    copy(&sample(), &staged);
    let toml = std::fs::read_to_string(staged.join("portfolio.toml"))
        .unwrap()
        .replace("Amira Khan", "Fay Okafor")
        .replace("9000000421", "9000000471")
        .replace("L-0042", "L-0047");
    std::fs::remove_file(staged.join("portfolio.toml")).unwrap();
    std::fs::rename(&staged, cohort.join("fay")).unwrap();
    std::fs::write(cohort.join("fay/portfolio.toml"), toml).unwrap();

    let start = Instant::now();
    let page = loop {
        let (status, page) = s.get("/");
        assert_eq!(status, 200);
        if page.contains("Fay Okafor")
            && page.contains(" of 12 met</td>")
            && page.matches(" of 12 met</td>").count() == 6
        {
            break page;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "Fay never joined the caseload:\n{page}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(page.matches("href=\"/l/fay/\"").count(), 1, "listed once");
    assert!(
        !page.contains("/l/notes/"),
        "a folder without portfolio.toml is no learner"
    );
    assert!(page.contains("You decide for 4 of 6."), "{page}");
    let (status, fay) = s.get("/l/fay/");
    assert_eq!(status, 200);
    assert!(fay.contains("Fay Okafor"), "her own page");
    assert_eq!(s.get("/l/notes/").0, 404);
}

/// A learner's folder deleted while serve runs leaves the caseload (the
/// counts follow) and `/l/FOLDER/` answers 404; the others stay.
#[test]
fn a_learner_whose_folder_is_deleted_leaves_the_caseload() {
    let tmp = tempfile::tempdir().unwrap();
    let (cohort, roster) = cohort(tmp.path());
    let s = serve(&cohort, &roster, &key("j-patel-DEMO-ONLY"), PATEL, "assessor");
    assert_eq!(s.get("/l/erin/").0, 200);
    std::fs::remove_dir_all(cohort.join("erin")).unwrap();
    let start = Instant::now();
    let page = loop {
        let (status, page) = s.get("/");
        assert_eq!(status, 200);
        if !page.contains("Erin Walsh") {
            break page;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "Erin never left the caseload:\n{page}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(page.matches(" of 12 met</td>").count(), 4, "{page}");
    assert!(page.contains("You decide for 3 of 4."), "{page}");
    assert_eq!(s.get("/l/erin/").0, 404);
    assert_eq!(s.get("/l/dev/").0, 200, "the others stay");
}
