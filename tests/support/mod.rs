//! Shared by the integration tests: the external tools some checks use
//! (poppler's pdftotext and pdffonts, qpdf, Python's icalendar).
//!
//! A missing tool skips its check on a developer's machine, with a note on
//! stderr; under `CI=true` (which `.ci/run` sets, after installing every
//! tool with apt) it fails the test instead: a check that cannot fail in CI
//! is a defect.

#![allow(dead_code)]

use std::process::Command;

/// The binary under test, with the date fixed (the
/// fixtures' "today") and colour and SOURCE_DATE_EPOCH out of the way.
pub fn portfolio() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_portfolio"));
    cmd.env("PORTFOLIO_TODAY", "2026-11-23")
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// True when the `CI` variable says so (`true` or `1`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether `program` can be run. When it cannot: under CI, a failure
/// naming what could not be checked; elsewhere a note, and `false`.
pub fn tool(program: &str, checks: &str) -> bool {
    let found = Command::new(program).arg("-v").output().is_ok();
    missing_unless(found, program, checks)
}

/// A Python 3 that can import `module`: `python3` on the PATH, else
/// Debian's `/usr/bin/python3` (where apt's python3-icalendar lives when
/// another Python comes first on the PATH). Under CI, its absence fails.
pub fn python_with(module: &str, checks: &str) -> Option<&'static str> {
    let found = ["python3", "/usr/bin/python3"].into_iter().find(|python| {
        Command::new(python)
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    missing_unless(found.is_some(), &format!("python3 with {module}"), checks).then_some(found?)
}

fn missing_unless(found: bool, what: &str, checks: &str) -> bool {
    if !found {
        assert!(
            !in_ci(),
            "{what} is not installed, so {checks} cannot be checked; under CI=true that fails \
             (.ci/run installs it with apt)"
        );
        eprintln!("{what} is not installed: {checks} not checked");
    }
    found
}
