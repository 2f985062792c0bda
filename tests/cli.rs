//! CLI tests: the real binary on fixture portfolios.
//!
//! Each folder under `tests/fixtures/` is one case: a portfolio and an
//! `expect.toml` with the exit status, the problems (rule, file, line, hint)
//! and criterion statuses that `check --format json` must report.

use assert_cmd::Command;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The day the tests run "on", so `date-in-future` does not depend on the clock.
const TODAY: &str = "2026-11-23";

fn portfolio() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portfolio"));
    cmd.env("PORTFOLIO_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH");
    cmd
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    exit: i32,
    /// The exit status of `check --require met`, when the case says.
    exit_met: Option<i32>,
    /// The JSON's `complete`, when the case says.
    complete: Option<bool>,
    /// Words that must appear nowhere in the JSON (case-insensitive).
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    problems: Vec<ExpectProblem>,
    #[serde(default)]
    statuses: BTreeMap<String, String>,
    /// How each `met` criterion was decided (`signed-verified`,
    /// `signed-unverified`, `typed`).
    #[serde(default)]
    decided: BTreeMap<String, String>,
    /// How many error-severity problems: one per broken file.
    errors: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectProblem {
    rule: String,
    file: Option<String>,
    line: Option<u64>,
    criterion: Option<String>,
    hint: Option<String>,
    /// Words the message must contain.
    message: Option<String>,
}

/// A digest of every file under `dir` (paths and bytes), to prove that a
/// command left its input alone.
fn tree_hash(dir: &Path) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        hasher.update(entry.path().to_string_lossy().as_bytes());
        if entry.file_type().is_file() {
            hasher.update(std::fs::read(entry.path()).unwrap_or_default());
        }
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn run_case(dir: &Path) -> Result<(), String> {
    let expect: Expect = toml::from_str(&std::fs::read_to_string(dir.join("expect.toml")).map_err(|e| e.to_string())?)
        .map_err(|e| format!("expect.toml: {e}"))?;
    let before = tree_hash(dir);
    let out = portfolio()
        .current_dir(dir)
        .args(["check", ".", "--format", "json"])
        .args(&expect.args)
        .output()
        .map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let code = out.status.code().unwrap_or(-1);
    if tree_hash(dir) != before {
        return Err("check modified the input folder".into());
    }
    if code != expect.exit {
        return Err(format!("exit {code}, expected {}\nstderr:\n{stderr}", expect.exit));
    }
    if let Some(want) = expect.exit_met {
        let met = portfolio()
            .current_dir(dir)
            .args(["check", ".", "--require", "met"])
            .args(&expect.args)
            .output()
            .map_err(|e| e.to_string())?;
        let code = met.status.code().unwrap_or(-1);
        if code != want {
            return Err(format!("--require met: exit {code}, expected {want}"));
        }
    }
    let json: Option<Value> = serde_json::from_slice(&out.stdout).ok();
    for p in &expect.problems {
        if let (Some(file), Some(line)) = (&p.file, p.line) {
            let place = format!("{file}:{line}:");
            if !stderr.contains(&place) || !stderr.contains(&format!("[{}]", p.rule)) {
                return Err(format!("stderr lacks {}[{}]\nstderr:\n{stderr}", place, p.rule));
            }
        }
        let Some(json) = &json else { continue };
        let found = json["problems"].as_array().into_iter().flatten().any(|q| {
            q["rule"] == p.rule.as_str()
                && p.file.as_ref().is_none_or(|f| q["file"] == f.as_str())
                && p.line.is_none_or(|l| q["line"] == l)
                && p.criterion.as_ref().is_none_or(|c| q["criterion"] == c.as_str())
                && p.hint.as_ref().is_none_or(|h| q["hint"] == h.as_str())
                && p.message
                    .as_ref()
                    .is_none_or(|m| q["message"].as_str().is_some_and(|t| t.contains(m.as_str())))
        });
        if !found {
            return Err(format!(
                "no problem {} {:?}:{:?} (hint {:?}, message {:?}) in\n{}",
                p.rule,
                p.file,
                p.line,
                p.hint,
                p.message,
                serde_json::to_string_pretty(&json["problems"]).unwrap_or_default()
            ));
        }
    }
    let stdout = String::from_utf8_lossy(&out.stdout).to_lowercase();
    for word in &expect.absent {
        if stdout.contains(&word.to_lowercase()) {
            return Err(format!("the JSON mentions {word:?}"));
        }
    }
    if let Some(want) = expect.complete {
        let json = json.as_ref().ok_or("no JSON on stdout")?;
        if json["complete"] != want {
            return Err(format!("complete is {}, expected {want}", json["complete"]));
        }
    }
    if let Some(want) = expect.errors {
        let json = json.as_ref().ok_or("no JSON on stdout")?;
        let got = json["problems"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["severity"] == "error")
            .count();
        if got != want {
            return Err(format!(
                "{got} errors, expected {want}:\n{}",
                serde_json::to_string_pretty(&json["problems"]).unwrap_or_default()
            ));
        }
    }
    for (code, how) in &expect.decided {
        let json = json.as_ref().ok_or("no JSON on stdout")?;
        let c = json["criteria"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["code"] == code.as_str())
            .ok_or(format!("criterion {code} not in JSON"))?;
        if c["decided"] != how.as_str() {
            return Err(format!("{code} was decided {}, expected {how}", c["decided"]));
        }
    }
    if !expect.statuses.is_empty() {
        let json = json.ok_or("no JSON on stdout")?;
        for (code, status) in &expect.statuses {
            let c = json["criteria"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| match code.split_once(':') {
                    Some((fw, bare)) => c["framework"] == fw && c["code"] == bare,
                    None => c["code"] == code.as_str(),
                })
                .ok_or(format!("criterion {code} not in JSON"))?;
            if c["status"] != status.as_str() {
                return Err(format!("{code} is {}, expected {status}", c["status"]));
            }
        }
    }
    Ok(())
}

/// Runs every case under `root`; returns how many there were.
fn run_corpus(root: &Path) -> usize {
    let mut failures = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    dirs.retain(|d| d.join("expect.toml").exists());
    for dir in &dirs {
        if let Err(e) = run_case(dir) {
            failures.push(format!("{}: {e}", dir.file_name().unwrap().to_string_lossy()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
    dirs.len()
}

/// One fixture per rule.
#[test]
fn every_fixture_gives_the_expected_result() {
    let count = run_corpus(&fixtures());
    assert!(count >= 20, "only {count} fixtures found");
}

/// The invalid-input corpus: every broken input gets one located diagnostic,
/// and the good item beside it is still evaluated.
#[test]
fn invalid_inputs_get_clear_errors() {
    let count = run_corpus(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid"));
    assert!(count >= 25, "only {count} cases found");
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio")
}

/// Issue 17: `init --unit` writes a portfolio for another unit: it assesses
/// that unit, has one example per method the unit lists, says nothing of
/// handovers, and an example copied into evidence/ checks without errors.
#[test]
fn init_for_another_unit() {
    let dir = tempfile::tempdir().unwrap();
    let units = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/units");
    let out = portfolio()
        .arg("init")
        .arg(dir.path().join("p"))
        .args(["--unit", "hsc026", "--criteria"])
        .arg(&units)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let p = dir.path().join("p");
    let toml = std::fs::read_to_string(p.join("portfolio.toml")).unwrap();
    assert!(toml.contains("assess = [\"hsc026\"]"), "{toml}");
    let mut examples: Vec<String> = std::fs::read_dir(p.join("examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    examples.sort();
    assert_eq!(
        examples,
        [
            "observation.md",
            "professional-discussion.md",
            "questioning.md",
            "reflective-account.md",
            "witness-testimony.md"
        ]
    );
    for entry in walkdir::WalkDir::new(&p).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap().to_lowercase();
            assert!(
                !text.contains("handover"),
                "{} mentions handovers",
                entry.path().display()
            );
        }
    }
    std::fs::copy(p.join("examples/observation.md"), p.join("evidence/observation.md")).unwrap();
    let out = portfolio()
        .args(["check", "--format", "json", "--criteria"])
        .arg(&units)
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["frameworks"].as_array().unwrap().len(), 1);
    assert_eq!(json["frameworks"][0]["id"], "hsc026");
    let unknown = portfolio()
        .args(["init"])
        .arg(dir.path().join("q"))
        .args(["--unit", "hsc999"])
        .output()
        .unwrap();
    assert_eq!(
        unknown.status.code(),
        Some(64),
        "a unit that is not loaded is a usage error"
    );
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("`unit-214`"));
}

/// Issue 17: a criteria file's range statements, per-criterion methods and
/// group rules are shown by `portfolio criteria`.
#[test]
fn criteria_shows_ranges_and_the_rules_real_units_state() {
    let out = portfolio()
        .args(["criteria", "--criteria"])
        .arg(fixtures().join("rule-codes-as-printed/criteria"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("range: Informed choices about daily living"), "{text}");
    assert!(text.contains("5.1 a"), "{text}");
    let out = portfolio()
        .args(["criteria", "--criteria"])
        .arg(fixtures().join("rule-simulation/criteria"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("simulated evidence does not count"), "{text}");
}

#[test]
fn sample_portfolio_is_complete_with_several_met() {
    let out = portfolio()
        .arg("check")
        .arg(sample())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema"], "portfolio-check/1");
    assert_eq!(json["complete"], true);
    assert_eq!(json["require"], "claimed");
    let s = &json["summary"];
    let total = s["total"].as_u64().unwrap();
    assert_eq!(total, 12);
    let sum: u64 = ["met", "claimed", "insufficient", "missing"]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum();
    assert_eq!(sum, total);
    assert!(s["met"].as_u64().unwrap() >= 5, "{s}");
    // Every problem the sample has is at most a warning.
    for p in json["problems"].as_array().unwrap() {
        assert_eq!(p["severity"], "warning", "{p}");
    }
    // Every method is used at least once.
    let methods: std::collections::BTreeSet<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods.len(), 10, "{methods:?}");
}

#[test]
fn require_met_is_stricter_than_claimed() {
    portfolio()
        .arg("check")
        .arg(sample())
        .args(["--require", "met"])
        .assert()
        .code(1);
}

#[test]
fn text_report_groups_by_outcome_and_says_what_to_do() {
    let out = portfolio()
        .arg("check")
        .arg(fixtures().join("min-occasions"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Outcome 3: Be able to carry out customer service handovers"),
        "{text}"
    );
    assert!(
        text.contains("3.1 is shown on 1 occasion; outcome 3 needs 2."),
        "{text}"
    );
    assert!(text.contains("Not complete"), "{text}");
    assert!(!text.contains('\x1b'), "colour without a terminal");
}

#[test]
fn csv_has_a_row_per_criterion() {
    let out = portfolio()
        .arg("check")
        .arg(sample())
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[3], "status");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 12 + 22);
    assert!(rows.iter().any(|r| &r[1] == "3.3" && &r[3] == "claimed"));
}

#[test]
fn diagnostics_show_the_line_and_a_hint() {
    let out = portfolio()
        .arg("check")
        .arg(fixtures().join("unknown-criterion"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[unknown-criterion]"), "{stderr}");
    assert!(stderr.contains("criteria = [\"1.1\", \"3.6\"]"), "{stderr}");
    assert!(stderr.contains("hint: did you mean `3.5`"), "{stderr}");
}

#[test]
fn a_missing_folder_is_an_input_error() {
    let out = portfolio().args(["check", "/nonexistent/portfolio"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/portfolio"));
}

#[test]
fn criteria_lists_both_frameworks_and_the_mapping() {
    let out = portfolio().args(["criteria"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "T/506/2157",
        "CFACSB16",
        "inscs024",
        "3.5",
        "K11",
        "maps to cfacsb16:P3",
        "needs 2 distinct occasions",
    ] {
        assert!(text.contains(needle), "no {needle} in\n{text}");
    }
    let out = portfolio().args(["criteria", "--format", "json"]).output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["frameworks"].as_array().unwrap().len(), 2);
}

#[test]
fn init_writes_a_portfolio_and_refuses_to_overwrite_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    portfolio().arg("init").arg(&dir).assert().success();
    assert!(dir.join("portfolio.toml").is_file());
    let examples = std::fs::read_dir(dir.join("examples")).unwrap().count();
    assert_eq!(examples, 10, "one example per method");
    // The new portfolio checks: nothing counted yet, no input errors.
    portfolio().arg("check").arg(&dir).assert().code(1);
    // Every example is a valid item once copied into evidence/.
    for e in std::fs::read_dir(dir.join("examples")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join("evidence").join(e.file_name())).unwrap();
    }
    let out = portfolio()
        .arg("check")
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["items"].as_array().unwrap().len(), 10);
    // Refuses a second init.
    let out = portfolio().arg("init").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(64), "init over a portfolio is a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("will not overwrite"));
}

#[test]
fn help_teaches_the_commands() {
    let out = portfolio().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in ["check", "criteria", "init"] {
        assert!(text.contains(cmd), "{text}");
    }
    let out = portfolio().args(["check", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Exit status"));
}

#[test]
fn help_lists_every_command_and_describes_every_option() {
    let out = portfolio().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("generate-cohort"), "{text}");
    for cmd in ["check", "build", "batch", "generate-cohort", "criteria", "init"] {
        let out = portfolio().args([cmd, "--help"]).output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        // Every option line carries a description after its name.
        for line in help.lines().filter(|l| l.trim_start().starts_with("--")) {
            let described = line
                .trim_start()
                .split_once("  ")
                .is_some_and(|(_, d)| !d.trim().is_empty());
            let next_line = help.lines().skip_while(|l| *l != line).nth(1).unwrap_or("");
            assert!(
                described || next_line.starts_with("          "),
                "`{cmd} --help`: no description for {line:?}\n{help}"
            );
        }
    }
}

/// Each option is offered only by the commands it acts on.
#[test]
fn options_are_offered_only_where_they_act() {
    for (cmd, option, offered) in [
        ("check", "--redact", true),
        ("build", "--redact", true),
        ("batch", "--redact", true),
        ("init", "--redact", false),
        ("criteria", "--redact", false),
        ("generate-cohort", "--redact", false),
        ("check", "--criteria", true),
        ("criteria", "--criteria", true),
        // init reads criteria for --unit.
        ("init", "--criteria", true),
        ("generate-cohort", "--criteria", false),
        ("criteria", "--quiet", false),
    ] {
        let out = portfolio().args([cmd, "--help"]).output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        assert_eq!(help.contains(option), offered, "{cmd} {option}\n{help}");
    }
    let out = portfolio().args(["init", "--redact", "x"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(64),
        "an option a command does not offer is a usage error"
    );
}

/// `check --format json | head -c 10`: the reader goes away; the program
/// ends quietly, with the check's own exit status. The report must be larger
/// than a pipe's buffer (64 KiB) for the write to fail, so the portfolio is a
/// generated one of 600 items (about 270 kB of JSON).
#[test]
fn a_closed_stdout_ends_quietly() {
    use std::io::Read;
    let tmp = tempfile::tempdir().unwrap();
    portfolio()
        .args(["generate-cohort", "--learners", "1", "--items", "600", "-q"])
        .arg(tmp.path())
        .assert()
        .success();
    let learner = tmp.path().join("learner-00001");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_portfolio"))
        .args(["check", "--format", "json", "--quiet"])
        .arg(&learner)
        .env("PORTFOLIO_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read the first bytes, then close the pipe long before the rest is written.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    // The same status as when the whole report is read.
    let full = portfolio()
        .args(["check", "--format", "json", "--quiet"])
        .arg(&learner)
        .output()
        .unwrap();
    assert!(
        full.stdout.len() > 200_000,
        "{} bytes: too small to fill a pipe",
        full.stdout.len()
    );
    assert_eq!(out.status.code(), full.status.code(), "{stderr}");
}
