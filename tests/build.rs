//! `portfolio build`: the HTML portfolio, checked with an HTML parser.

mod support;

use support::portfolio;

use scraper::{Html, Selector};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds `dir` into a temporary folder; returns it and the exit status.
fn build(dir: &Path, extra: &[&str]) -> (tempfile::TempDir, i32) {
    let out = tempfile::tempdir().unwrap();
    let status = portfolio()
        .arg("build")
        .arg(dir)
        .arg("-o")
        .arg(out.path())
        .args(extra)
        .output()
        .unwrap();
    assert!(status.status.code().is_some());
    (out, status.status.code().unwrap())
}

fn html(out: &Path) -> (String, Html) {
    let text = std::fs::read_to_string(out.join("portfolio.html")).unwrap();
    let doc = Html::parse_document(&text);
    (text, doc)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn check_structure(doc: &Html, json: &serde_json::Value) {
    // One h1, headings never skip a level.
    assert_eq!(doc.select(&sel("h1")).count(), 1);
    let mut last = 1;
    for h in doc.select(&sel("h1, h2, h3, h4, h5, h6")) {
        let level: u32 = h.value().name()[1..].parse().unwrap();
        assert!(
            level <= last + 1,
            "heading jumps from h{last} to h{level}: {}",
            h.text().collect::<String>()
        );
        last = level;
    }
    assert_eq!(
        doc.select(&sel("html")).next().unwrap().value().attr("lang"),
        Some("en-GB")
    );
    // Every in-page link resolves.
    let ids: BTreeSet<&str> = doc.select(&sel("[id]")).filter_map(|e| e.value().attr("id")).collect();
    for a in doc.select(&sel("a[href^='#']")) {
        let target = &a.value().attr("href").unwrap()[1..];
        assert!(ids.contains(target), "link to missing #{target}");
    }
    // Every table has a caption and its headers have a scope.
    for table in doc.select(&sel("table")) {
        assert!(table.select(&sel("caption")).next().is_some(), "table without caption");
        for th in table.select(&sel("th")) {
            assert!(th.value().attr("scope").is_some(), "th without scope: {}", th.html());
        }
    }
    // No network: nothing is loaded from elsewhere.
    for e in doc.select(&sel("[src]")) {
        assert!(
            e.value().attr("src").unwrap().starts_with("data:image/"),
            "{}",
            e.html()
        );
    }
    assert!(doc.select(&sel("link[rel=stylesheet], script[src]")).next().is_none());
    // Every criterion of the JSON appears in the grid, every item has a section.
    let grid_codes: BTreeSet<String> = doc
        .select(&sel("table.grid tbody th"))
        .map(|t| t.text().collect())
        .collect();
    for c in json["criteria"].as_array().unwrap() {
        assert!(
            grid_codes.contains(c["code"].as_str().unwrap()),
            "grid lacks {}",
            c["code"]
        );
    }
    let articles = doc.select(&sel("article.item")).count();
    let usable = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["usable"] == true)
        .count();
    assert_eq!(articles, usable);
    for item in json["items"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        assert!(
            doc.select(&sel("article.item dd code"))
                .any(|c| c.text().collect::<String>() == id),
            "no item {id}"
        );
    }
}

#[test]
fn sample_portfolio_builds_a_sound_page() {
    let (out, code) = build(&root().join("sample-portfolio"), &[]);
    assert_eq!(code, 0);
    let (text, doc) = html(out.path());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("coverage.json")).unwrap()).unwrap();
    assert_eq!(json["schema"], "portfolio-check/1");
    check_structure(&doc, &json);
    // Inline [[3.1]] marks link the grid to the exact paragraph.
    let marks: Vec<&str> = doc
        .select(&sel("table.grid td.mark a"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert!(marks.iter().any(|m| m.contains("-p")), "no mark links to a paragraph");
    // Images are embedded, hashes listed: the checklist where item 4's
    // narrative shows it (and listed as shown above), the sheet under
    // item 8's attachments.
    assert!(text.contains("data:image/png;base64,"));
    assert_eq!(doc.select(&sel("span.figure img")).count(), 1);
    assert_eq!(doc.select(&sel("figure figcaption code.hash")).count(), 1);
    assert_eq!(doc.select(&sel("p.file code.hash")).count(), 1);
    assert!(text.contains("shown above in the narrative"));
    // The location sheet names where workplace documents are held, once
    // per item, after its one row per criterion.
    let held: Vec<String> = doc
        .select(&sel("#locations dl.held dd"))
        .map(|d| d.text().collect())
        .collect();
    assert!(
        held.iter().any(|h| h.starts_with("Brightwater CRM, case 4411")),
        "{held:?}"
    );
    assert_eq!(
        doc.select(&sel("table.locations tbody tr")).count(),
        12,
        "one row per criterion of Unit 214"
    );
    // The same input gives the same bytes.
    let (again, _) = build(&root().join("sample-portfolio"), &[]);
    assert_eq!(
        std::fs::read(out.path().join("portfolio.html")).unwrap(),
        std::fs::read(again.path().join("portfolio.html")).unwrap()
    );
}

#[test]
fn a_portfolio_with_gaps_is_built_and_shows_them() {
    let (out, code) = build(&root().join("tests/build-fixtures/gaps"), &[]);
    assert_eq!(code, 1);
    let (text, doc) = html(out.path());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("coverage.json")).unwrap()).unwrap();
    check_structure(&doc, &json);
    let gaps: Vec<String> = doc.select(&sel("ul.gaps li")).map(|li| li.text().collect()).collect();
    assert!(
        gaps.iter()
            .any(|g| g.contains("3.1 is shown on 1 occasion; outcome 3 needs 2")),
        "{gaps:?}"
    );
    assert!(
        gaps.iter().any(|g| g.contains("1.1 is shown only by policies")),
        "{gaps:?}"
    );
    assert!(text.contains("Not complete"));
}

/// `--require met` (issue 13): the sample's five outcome-3 criteria await
/// a decision, so the build is not complete and its gaps list them.
#[test]
fn build_takes_the_requirement_for_its_status_headline_and_gaps() {
    let (out, code) = build(&root().join("sample-portfolio"), &["--outputs", "html,json"]);
    assert_eq!(code, 0);
    let (text, _) = html(out.path());
    assert!(text.contains("Evidence complete — 5 criteria awaiting assessment"));
    let (out, code) = build(
        &root().join("sample-portfolio"),
        &["--outputs", "html,json", "--require", "met"],
    );
    assert_eq!(code, 1);
    let (text, doc) = html(out.path());
    assert!(text.contains("Not complete"));
    let gaps: Vec<String> = doc.select(&sel("ul.gaps li")).map(|li| li.text().collect()).collect();
    for code in ["3.1", "3.2", "3.3", "3.4", "3.5"] {
        assert!(
            gaps.iter().any(|g| g.starts_with(code) && g.contains("claimed")),
            "{code} not among the gaps: {gaps:?}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("coverage.json")).unwrap()).unwrap();
    assert_eq!(json["require"], "met");
    assert_eq!(json["complete"], false);
}

/// Issue 17: a portfolio for another unit, whose codes collide with Unit
/// 214's, builds with no trace of Unit 214 or its standard in the HTML text
/// or the PDF text.
#[test]
fn another_units_portfolio_shows_nothing_of_unit_214() {
    let (out, code) = build(
        &root().join("tests/fixtures/other-unit"),
        &["--criteria", root().join("tests/units").to_str().unwrap()],
    );
    assert_eq!(code, 1);
    let (_, doc) = html(out.path());
    let text: String = doc
        .select(&sel("body"))
        .flat_map(|b| b.text())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Implement person centred approaches"), "{text}");
    assert!(
        text.contains("Skills for Care and Development"),
        "the endorsement is shown"
    );
    let pdf = std::process::Command::new("pdftotext")
        .arg(out.path().join("portfolio.pdf"))
        .arg("-")
        .output();
    let pdf_text = match pdf {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).to_string(),
        _ if std::env::var("CI").is_ok() => panic!("pdftotext is needed under CI"),
        _ => String::new(),
    };
    for word in ["Unit 214", "unit-214", "CFACSB16", "cfacsb16", "T/506/2157", "handover"] {
        assert!(
            !text.to_lowercase().contains(&word.to_lowercase()),
            "the HTML mentions {word}"
        );
        assert!(
            !pdf_text.to_lowercase().contains(&word.to_lowercase()),
            "the PDF mentions {word}"
        );
    }
}

/// Issue 17: a qualification of two units gets its own section in the HTML
/// and the PDF: the units, their credits and the rules of combination.
#[test]
fn a_qualification_is_shown_unit_by_unit() {
    let dir = root().join("tests/fixtures/qualification");
    let (out, code) = build(&dir, &["--criteria", dir.join("criteria").to_str().unwrap()]);
    assert_eq!(code, 1);
    let (text, doc) = html(out.path());
    assert!(text.contains("Qualification: Level 2 NVQ Certificate in Customer Service"));
    let units: Vec<String> = doc
        .select(&sel("#qualification tbody th"))
        .map(|th| th.text().collect())
        .collect();
    assert_eq!(units, ["Unit 214", "Unit 201"]);
    if let Ok(o) = std::process::Command::new("pdftotext")
        .arg(out.path().join("portfolio.pdf"))
        .arg("-")
        .output()
    {
        let pdf = String::from_utf8_lossy(&o.stdout).replace('\n', " ");
        assert!(pdf.contains("Credits: 7 of at least 7"), "{pdf}");
        assert!(pdf.contains("Communicate effectively"), "{pdf}");
    } else {
        assert!(std::env::var("CI").is_err(), "pdftotext is needed under CI");
    }
}

/// Issue 13: an acceptance the learner typed for herself is printed as one
/// that does not count, never as an assessor's acceptance.
#[test]
fn an_acceptance_that_does_not_count_says_so() {
    let (out, code) = build(
        &root().join("tests/fixtures/decision-by-learner"),
        &["--outputs", "html"],
    );
    assert_eq!(code, 0);
    let (_, doc) = html(out.path());
    let notes: Vec<String> = doc
        .select(&sel("aside.assessment p.note"))
        .map(|p| p.text().collect())
        .collect();
    assert!(
        notes.iter().any(|n| n.starts_with("This acceptance does not count")),
        "{notes:?}"
    );
}

/// Issue 15: `--date` says on the cover when the portfolio was compiled,
/// never the clock; an impossible date is refused before anything is built.
#[test]
fn the_cover_date_can_be_given() {
    let (out, code) = build(
        &root().join("sample-portfolio"),
        &["--outputs", "html", "--date", "2026-06-01"],
    );
    assert_eq!(code, 0);
    let (text, _) = html(out.path());
    assert!(text.contains("1 June 2026"), "the cover date");
    assert!(text.contains("Compiled"), "says what the date is");
    let (out, code) = build(
        &root().join("sample-portfolio"),
        &["--outputs", "html", "--date", "2026-02-30"],
    );
    assert_eq!(code, 64, "a --date that is no date is a usage error");
    assert!(!out.path().join("portfolio.html").exists());
}

#[test]
fn learner_text_never_becomes_markup() {
    let (out, code) = build(&root().join("tests/build-fixtures/injection"), &[]);
    assert_eq!(code, 1, "gaps but no input errors");
    let (text, doc) = html(out.path());
    assert!(
        doc.select(&sel("script, iframe, svg, img, div[onclick]"))
            .next()
            .is_none(),
        "markup got through"
    );
    for e in doc.select(&sel("*")) {
        for (name, value) in e.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name} on {}", e.html());
            let v = value.trim().to_ascii_lowercase();
            assert!(
                !v.starts_with("javascript:") && !v.starts_with("vbscript:") && !v.starts_with("data:text"),
                "{name}={value}"
            );
        }
    }
    // The text is still there, escaped, for the assessor to read.
    assert!(
        text.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;")
            || text.contains("&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;"),
        "title text lost"
    );
    assert!(doc.select(&sel("a[href='https://example.org/ok']")).next().is_some());
}

#[test]
fn input_errors_write_nothing() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("out");
    let result = portfolio()
        .arg("build")
        .arg(root().join("tests/fixtures/unknown-criterion"))
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("nothing was written"));
    assert!(!target.exists());
}

#[test]
fn refuses_to_write_into_the_portfolio_or_a_file() {
    let sample = root().join("sample-portfolio");
    let r = portfolio()
        .arg("build")
        .arg(&sample)
        .arg("-o")
        .arg(&sample)
        .output()
        .unwrap();
    assert_eq!(
        r.status.code(),
        Some(64),
        "an -o the command cannot use is a usage error"
    );
    assert!(String::from_utf8_lossy(&r.stderr).contains("portfolio folder itself"));
    let r = portfolio()
        .arg("build")
        .arg(&sample)
        .arg("-o")
        .arg(sample.join("portfolio.toml"))
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(64), "an -o that is a file is a usage error");
}

#[test]
fn templates_can_be_written_out_and_override_the_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("theme");
    portfolio()
        .args(["init", "--write-templates"])
        .arg(&themes)
        .assert()
        .success();
    assert!(themes.join("layout.html").is_file() && themes.join("style.css").is_file());
    std::fs::write(
        themes.join("cover.html"),
        "<header id=\"cover\"><h1>Branded {{ doc.learner.name }}</h1></header>",
    )
    .unwrap();
    let (out, code) = build(
        &root().join("sample-portfolio"),
        &["--templates", themes.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    let (text, _) = html(out.path());
    assert!(text.contains("<h1>Branded Amira Khan</h1>"));
    // A broken template is reported with its name and line.
    std::fs::write(themes.join("gaps.html"), "<p>\n{% if %}</p>").unwrap();
    let r = portfolio()
        .arg("build")
        .arg(root().join("sample-portfolio"))
        .arg("-o")
        .arg(out.path())
        .arg("--templates")
        .arg(&themes)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(stderr.contains("gaps.html:2"), "{stderr}");
}

/// Every value planted in tests/build-fixtures/personal-data.
const PLANTED: &[&str] = &[
    "07700 900123",
    "jane.doe@example.com",
    "LS1 4AP",
    "ACC-20931",
    "4111 1111 1111 1111",
    "JG 10 37 26 A",
];

#[test]
fn personal_data_is_flagged_without_echoing_it() {
    let dir = root().join("tests/build-fixtures/personal-data");
    let out = portfolio()
        .arg("check")
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<&serde_json::Value> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["rule"] == "personal-data")
        .collect();
    // Title phone; SBAR postcode, reference, card; recommendation phone;
    // action phone; feedback NI and phone ... and the body's NI, e-mail,
    // postcode; the reflection's e-mail. Not the allowed switchboard.
    assert!(found.len() >= 10, "{found:#?}");
    assert!(found.iter().any(|p| p["file"] == "reflection.md" && p["line"] == 3));
    assert!(
        found
            .iter()
            .any(|p| p["file"] == "evidence/01-sloppy.md" && p["line"] == 2)
    );
    assert!(
        found
            .iter()
            .any(|p| p["file"] == "evidence/01-sloppy.md" && p["line"] == 24)
    );
    let line = |n: u64| {
        found
            .iter()
            .filter(|p| p["file"] == "evidence/01-sloppy.md" && p["line"] == n)
            .count()
    };
    assert_eq!(
        line(24),
        1,
        "only the postcode: not the allowed switchboard, the time or the date"
    );
    assert_eq!(line(25), 0, "money, versions and criterion codes are not personal data");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for value in PLANTED {
        for p in &found {
            assert!(
                !p["message"].as_str().unwrap().contains(value),
                "warning echoes {value}"
            );
        }
        assert!(!stderr.contains(value), "stderr echoes {value}:\n{stderr}");
    }
}

#[test]
fn redact_leaves_no_planted_value_in_any_output() {
    let dir = root().join("tests/build-fixtures/personal-data");
    let (out, code) = build(&dir, &["--redact"]);
    assert_eq!(code, 1);
    let mut outputs: Vec<(String, String)> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "pdf"))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    // The PDF's text, as pdftotext extracts it (CI installs poppler-utils).
    let pdf = out.path().join("portfolio.pdf");
    assert!(pdf.is_file());
    if support::tool("pdftotext", "the redacted PDF's text") {
        let o = std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        assert!(o.status.success(), "pdftotext: {}", String::from_utf8_lossy(&o.stderr));
        let text = String::from_utf8_lossy(&o.stdout).to_string();
        assert!(text.contains("[phone removed]"), "the PDF text was not extracted");
        outputs.push(("portfolio.pdf (text)".into(), text));
    }
    for format in ["json", "csv", "text"] {
        let r = portfolio()
            .arg("check")
            .arg(&dir)
            .args(["--redact", "--format", format])
            .output()
            .unwrap();
        outputs.push((
            format!("check --format {format}"),
            String::from_utf8_lossy(&r.stdout).to_string(),
        ));
        outputs.push((
            format!("check --format {format} (stderr)"),
            String::from_utf8_lossy(&r.stderr).to_string(),
        ));
    }
    assert!(outputs.iter().any(|(name, _)| name.ends_with("follow-ups.ics")));
    for (name, text) in &outputs {
        for value in PLANTED {
            assert!(!text.contains(value), "{name} still contains {value}");
        }
    }
    let html = &outputs.iter().find(|(n, _)| n.ends_with("portfolio.html")).unwrap().1;
    assert!(
        html.contains("[phone removed]") && html.contains("[email removed]") && html.contains("[reference removed]")
    );
    assert!(html.contains("0113 496 0000"), "the allow-listed number is kept");
    assert!(
        html.contains("16:52") && html.contains("£250"),
        "times and money are not personal data"
    );
}

#[test]
fn follow_ups_calendar_is_stable_and_only_written_when_there_are_follow_ups() {
    let (a, _) = build(&root().join("sample-portfolio"), &[]);
    let (b, _) = build(&root().join("sample-portfolio"), &[]);
    let ics = std::fs::read_to_string(a.path().join("follow-ups.ics")).unwrap();
    assert_eq!(ics, std::fs::read_to_string(b.path().join("follow-ups.ics")).unwrap());
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VTODO").count(), 11, "{ics}");
    assert!(ics.contains("UID:reminder.08-observation-late-shift-refund.9000000421@portfolio"));
    assert!(ics.lines().all(|l| l.len() <= 75));
    // Parsed back by Python's icalendar (CI installs Debian's python3-icalendar).
    if let Some(python) = support::python_with("icalendar", "the calendar's parse-back") {
        let o = std::process::Command::new(python)
            .args([
                "-c",
                "import sys, icalendar; c = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read()); \
                 todos = c.walk('VTODO'); assert todos and all(t.get('UID') and t.get('DUE') for t in todos); print(len(todos))",
            ])
            .arg(a.path().join("follow-ups.ics"))
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "icalendar rejected the calendar: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "11");
    }
    // No handover records, no calendar.
    let (c, _) = build(&root().join("tests/build-fixtures/gaps"), &[]);
    assert!(!c.path().join("follow-ups.ics").exists());
    assert!(!c.path().join("follow-ups-events.ics").exists());
}

/// Issue 29: the cover, the HTML's metadata and the PDF's say when the
/// portfolio was built (`--date`) and the "today" its statuses were worked
/// out against (`PORTFOLIO_TODAY`, 2026-11-23 in these tests).
#[test]
fn the_cover_and_metadata_say_the_build_date_and_the_statuses_today() {
    let (out, code) = build(
        &root().join("sample-portfolio"),
        &["--outputs", "html,pdf", "--date", "2026-06-01"],
    );
    assert_eq!(code, 0);
    let (text, doc) = html(out.path());
    let cover: String = doc
        .select(&sel("header.cover dl.facts"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(cover.contains("Compiled1 June 2026"), "{cover}");
    assert!(cover.contains("Statuses as of23 November 2026"), "{cover}");
    let meta = |name: &str| {
        doc.select(&sel(&format!("meta[name='{name}']")))
            .next()
            .and_then(|m| m.value().attr("content"))
            .map(str::to_string)
    };
    assert_eq!(meta("dcterms.created").as_deref(), Some("2026-06-01"), "{text}");
    let description = meta("description").unwrap();
    assert!(description.contains("statuses as of 2026-11-23"), "{description}");
    let pdf = out.path().join("portfolio.pdf");
    if support::tool("pdftotext", "the PDF cover's dates") {
        let o = std::process::Command::new("pdftotext")
            .args(["-f", "1", "-l", "1"])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let cover = String::from_utf8_lossy(&o.stdout);
        assert!(cover.contains("1 June 2026"), "{cover}");
        assert!(
            cover.contains("Statuses as of") && cover.contains("23 November 2026"),
            "{cover}"
        );
    }
    if support::tool("pdfinfo", "the PDF's metadata dates") {
        let o = std::process::Command::new("pdfinfo")
            .args(["-isodates"])
            .arg(&pdf)
            .output()
            .unwrap();
        let info = String::from_utf8_lossy(&o.stdout);
        let line = |key: &str| {
            info.lines()
                .find(|l| l.starts_with(key))
                .unwrap_or_default()
                .to_string()
        };
        assert!(line("CreationDate:").contains("2026-06-01"), "{info}");
        assert!(line("Keywords:").contains("statuses as of 2026-11-23"), "{info}");
        assert!(line("Subject:").contains("statuses as of 2026-11-23"), "{info}");
    }
}

/// `pdftotext -layout` of a built PDF, one string a page.
fn pdf_layout_pages(pdf: &Path) -> Vec<String> {
    let o = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout)
        .split('\u{c}')
        .map(str::to_string)
        .collect()
}

/// The letter runs of `s`, lower-cased.
fn letter_words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Issue 29: the sample's evidence location sheet is as compact as the
/// awarding bodies' form (at most two pages), and nowhere in the sample's
/// PDF is a word of 12 letters or fewer broken across lines.
///
/// Every fragment that ends or starts a piece of a line (`pdftotext
/// -layout` puts table cells side by side, two or more spaces apart) must
/// be a whole word: one the HTML (which the browser wraps) has, or one the
/// PDF has inside a line; else only part of a word longer than 12 letters.
#[test]
fn the_sample_pdf_breaks_no_short_word_and_its_location_sheet_fits_two_pages() {
    if !support::tool("pdftotext", "line breaks in the sample's PDF") {
        return;
    }
    let (out, code) = build(&root().join("sample-portfolio"), &["--outputs", "html,pdf"]);
    assert_eq!(code, 0);
    let pages = pdf_layout_pages(&out.path().join("portfolio.pdf"));
    let start = pages
        .iter()
        .position(|p| p.lines().any(|l| l.trim() == "Evidence location table"))
        .expect("the location sheet");
    let end = pages
        .iter()
        .position(|p| p.lines().any(|l| l.trim() == "Gaps and next steps"))
        .expect("the gaps page");
    assert!(end - start <= 2, "the location sheet takes {} pages", end - start);
    let sheet = pages[start..end].concat();
    assert!(sheet.contains("Item 8, page"), "{sheet}");
    assert!(
        !sheet.contains("CFACSB16") && !sheet.contains("P1 "),
        "the standard is not assessed: {sheet}"
    );

    let (html_text, doc) = html(out.path());
    assert!(html_text.len() > 1000);
    let mut known: BTreeSet<String> = letter_words(&doc.root_element().text().collect::<String>()).collect();
    // Words only the PDF prints: the string literals of the document model
    // and the PDF renderer, the criteria, and the sample's file names.
    let sources = ["src/document", "src/render/pdf", "criteria"];
    for f in sources
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(root().join(d)))
        .flatten()
    {
        if let Ok(code) = std::fs::read_to_string(f.path()) {
            for literal in code.split('"').skip(1).step_by(2) {
                known.extend(letter_words(literal));
            }
        }
    }
    for f in walkdir::WalkDir::new(root().join("sample-portfolio"))
        .into_iter()
        .flatten()
    {
        known.extend(letter_words(&f.file_name().to_string_lossy()));
    }
    let mut edges: Vec<(String, String)> = Vec::new();
    for line in pages.iter().flat_map(|p| p.lines()) {
        for piece in line.split("  ").map(str::trim).filter(|p| !p.is_empty()) {
            let words: Vec<String> = letter_words(piece).collect();
            let first_edge = piece.starts_with(char::is_alphabetic);
            let last_edge = piece.ends_with(char::is_alphabetic);
            for (i, w) in words.iter().enumerate() {
                let edge = (i == 0 && first_edge) || (i + 1 == words.len() && last_edge);
                if edge {
                    edges.push((w.clone(), line.to_string()));
                } else {
                    known.insert(w.clone());
                }
            }
        }
    }
    let long: Vec<&String> = known.iter().filter(|w| w.chars().count() > 12).collect();
    let broken: Vec<&(String, String)> = edges
        .iter()
        .filter(|(w, _)| !known.contains(w) && !long.iter().any(|l| l.contains(w.as_str())))
        .collect();
    assert!(broken.is_empty(), "fragments of words at line ends: {broken:#?}");
}
