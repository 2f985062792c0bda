//! The command line's manners (issue 30): exit statuses a script can tell
//! apart, `-q`, `--color`, completions and the manual page, renamed options
//! and their old spellings, the current folder as the default, and `assess`
//! saying "did you mean".

mod support;

use std::path::{Path, PathBuf};
use support::portfolio;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn sample() -> PathBuf {
    root().join("sample-portfolio")
}

/// A copy of the sample portfolio in a temporary folder.
fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let to = tmp.path().join("portfolio");
    for entry in walkdir::WalkDir::new(sample()) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(sample()).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    (tmp, to)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn usage_errors_exit_64_and_help_exits_0() {
    for args in [
        &["check", "--no-such-option"][..],
        &["no-such-command"],
        &[],
        &["build", "--outputs", "docx"],
        &["check", "--color", "sometimes"],
    ] {
        let out = portfolio().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(64), "{args:?}: {}", stderr(&out));
    }
    for args in [&["--help"][..], &["check", "--help"], &["--version"]] {
        let out = portfolio().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
    let help = portfolio().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for words in ["Exit status:", "64  the command line was wrong", "74  a file or folder"] {
        assert!(help.contains(words), "--help lacks {words:?}:\n{help}");
    }
}

#[test]
fn a_value_the_command_cannot_use_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = portfolio()
        .arg("init")
        .arg(dir.path().join("p"))
        .args(["--unit", "hsc999"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64), "{}", stderr(&out));
    let out = portfolio()
        .arg("build")
        .arg(sample())
        .arg("-o")
        .arg(sample())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64), "{}", stderr(&out));
}

#[test]
fn input_errors_stay_2_and_io_failures_are_74() {
    let out = portfolio().args(["check", "/no/such/portfolio"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let out = portfolio()
        .arg("build")
        .arg(sample())
        .arg("-o")
        .arg(file.join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(74), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
}

#[test]
fn completions_for_every_shell_and_a_manual_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = portfolio().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        for word in ["portfolio", "check", "build", "--outputs", "--write-templates"] {
            assert!(text.contains(word), "{shell} completions lack {word}");
        }
    }
    if std::process::Command::new("bash").arg("--version").output().is_ok() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("portfolio.bash");
        let out = portfolio().args(["completions", "bash"]).output().unwrap();
        std::fs::write(&script, &out.stdout).unwrap();
        let syntax = std::process::Command::new("bash")
            .arg("-n")
            .arg(&script)
            .output()
            .unwrap();
        assert!(syntax.status.success(), "{}", String::from_utf8_lossy(&syntax.stderr));
    }
    let man = portfolio().arg("man").output().unwrap();
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
    assert!(page.contains(".TH portfolio 1") && page.contains("check"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    portfolio().args(["man", "--out"]).arg(dir.path()).assert().success();
    for page in ["portfolio.1", "portfolio-check.1", "portfolio-build.1"] {
        assert!(dir.path().join(page).is_file(), "no {page}");
    }
}

#[test]
fn color_always_never_and_no_color() {
    let run = |args: &[&str], no_color: bool| {
        let mut cmd = portfolio();
        if !no_color {
            cmd.env_remove("NO_COLOR");
        }
        let out = cmd.arg("check").arg(sample()).args(args).output().unwrap();
        String::from_utf8_lossy(&out.stdout).contains("\x1b[")
    };
    assert!(run(&["--color", "always"], true), "--color always beats NO_COLOR");
    assert!(run(&["--color=always"], false));
    assert!(!run(&["--color", "never"], false));
    // auto: never on a pipe, whatever NO_COLOR says.
    assert!(!run(&[], false));
    assert!(!run(&["--color", "auto"], true));
}

/// `-q`: errors only, in every subcommand that reports on stderr.
#[test]
fn quiet_prints_errors_only() {
    let (_tmp, dir) = sample_copy();
    let out_dir = tempfile::tempdir().unwrap();
    // The sample has notes (no roster): -q hides them.
    for args in [
        vec!["check".into(), dir.display().to_string()],
        vec![
            "build".into(),
            dir.display().to_string(),
            "-o".into(),
            out_dir.path().join("b").display().to_string(),
        ],
        vec!["decisions".into(), dir.display().to_string()],
        vec!["init".into(), out_dir.path().join("new").display().to_string()],
    ] {
        let out = portfolio().args(&args).arg("-q").output().unwrap();
        assert!(out.status.code().is_some_and(|c| c < 2), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?} printed on stderr with -q");
    }
    // A cohort of two, one with a gap: -q says nothing, even the summary.
    let cohort = out_dir.path().join("cohort");
    portfolio()
        .args(["generate-cohort", "--learners", "2", "--items", "14", "-q"])
        .arg(&cohort)
        .assert()
        .success()
        .stderr("");
    let out = portfolio()
        .arg("batch")
        .arg(&cohort)
        .args(["-o"])
        .arg(out_dir.path().join("built"))
        .args(["--outputs", "json", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    // Errors are still printed with -q, and gaps and warnings are not.
    std::fs::write(dir.join("evidence/zz-broken.md"), "+++\ntitle = \"T\"\n+++\n").unwrap();
    std::fs::write(
        dir.join("evidence/zz-email.md"),
        "+++\ntitle = \"T\"\ndate = 2026-03-01\nmethod = \"questioning\"\ncriteria = [\"1.1\"]\n+++\nMail jo@example.com.\n",
    )
    .unwrap();
    let out = portfolio().arg("check").arg(&dir).arg("-q").output().unwrap();
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(said.contains("error[") && said.contains("zz-broken.md"), "{said}");
    assert!(
        !said.contains("warning[") && !said.contains("gap[") && !said.contains("note:"),
        "{said}"
    );
}

#[test]
fn renamed_options_and_their_old_spellings() {
    let out = tempfile::tempdir().unwrap();
    let new = portfolio()
        .arg("build")
        .arg(sample())
        .arg("-o")
        .arg(out.path().join("new"))
        .args(["--outputs", "json"])
        .output()
        .unwrap();
    assert_eq!(new.status.code(), Some(0), "{}", stderr(&new));
    assert!(!stderr(&new).contains("now spelt"));
    let old = portfolio()
        .arg("build")
        .arg(sample())
        .arg("-o")
        .arg(out.path().join("old"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(old.status.code(), Some(0), "{}", stderr(&old));
    assert!(
        stderr(&old).contains("`--format` is now spelt `--outputs`"),
        "{}",
        stderr(&old)
    );
    let files = |d: &str| {
        let mut names: Vec<String> = std::fs::read_dir(out.path().join(d))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    };
    assert_eq!(files("new"), ["coverage.json"]);
    assert_eq!(files("old"), ["coverage.json"]);
    let old = portfolio()
        .args(["init", "--templates"])
        .arg(out.path().join("theme"))
        .output()
        .unwrap();
    assert_eq!(old.status.code(), Some(0));
    assert!(stderr(&old).contains("`--templates` is now spelt `--write-templates`"));
    assert!(out.path().join("theme/layout.html").is_file());
    // The old spellings are not offered in --help.
    let help = portfolio().args(["build", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--outputs") && !help.contains("--format <"), "{help}");
}

#[test]
fn decisions_batch_and_sample_default_to_the_current_folder() {
    let out = portfolio().current_dir(sample()).arg("decisions").output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("05-observation-morning-huddle"));
    let tmp = tempfile::tempdir().unwrap();
    let cohort = tmp.path().join("cohort");
    portfolio()
        .args(["generate-cohort", "--learners", "2", "--items", "14", "-q"])
        .arg(&cohort)
        .assert()
        .success();
    let out = portfolio()
        .current_dir(&cohort)
        .args(["batch", "--outputs", "json", "-q", "-o"])
        .arg(tmp.path().join("built"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(tmp.path().join("built/cohort.json").is_file());
    let out = portfolio()
        .current_dir(&cohort)
        .args(["sample", "-q", "-o"])
        .arg(tmp.path().join("iqa"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(tmp.path().join("iqa/sample.csv").is_file());
}

/// `assess` given a file name, or an id with a typo, names the item it most
/// likely means, and records nothing.
#[test]
fn assess_says_did_you_mean() {
    let (_tmp, dir) = sample_copy();
    let key = sample().join("DEMO-ONLY-keys/j-patel-DEMO-ONLY");
    let before = std::fs::read_dir(dir.join("assessment")).unwrap().count();
    for given in [
        "evidence/05-observation-morning-huddle.md",
        "evidence\\05-observation-morning-huddle.md",
        "05-observation-morning-huddle.md",
        "05-observation-moring-huddle",
        "05",
    ] {
        let out = portfolio()
            .arg("assess")
            .arg(&dir)
            .arg(given)
            .args(["--decision", "accepted", "--by", "j.patel@centre.example", "--key"])
            .arg(&key)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(64), "{given}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(
                "there is no item `{given}` in the portfolio; did you mean `05-observation-morning-huddle`?"
            )),
            "{given}: {}",
            stderr(&out)
        );
    }
    let out = portfolio()
        .arg("assess")
        .arg(&dir)
        .arg("nothing-like-it-at-all")
        .args(["--decision", "accepted", "--by", "j.patel@centre.example", "--key"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("`portfolio check` lists the items"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(dir.join("assessment")).unwrap().count(), before);
}
