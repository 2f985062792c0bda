//! Builds into one output folder cannot mix (issue 25, item 5): a lock on
//! the folder and the set of outputs swapped in as one; what a killed
//! `batch` left is cleaned by the next; a learner a later batch cannot build
//! keeps no outputs that look current.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::portfolio;

/// A one-item portfolio for the learner `name`, at `dir`.
fn learner(dir: &Path, name: &str, id: &str) {
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    std::fs::write(
        dir.join("portfolio.toml"),
        format!("[learner]\nname = \"{name}\"\nid = \"{id}\"\n\n[assessor]\nname = \"J. Patel\"\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("evidence/01-discussion.md"),
        format!(
            "+++\ntitle = \"{name}'s discussion of handovers\"\ndate = 2026-02-18\nmethod = \"professional-discussion\"\n\
             criteria = [\"1.1\", \"1.2\"]\n+++\n{name} explained the handover procedure [[1.1]] and why it matters [[1.2]].\n"
        ),
    )
    .unwrap();
}

/// The files of `dir`, by name, with their bytes (hidden ones too).
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

fn build_cmd(dir: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portfolio"));
    cmd.env("PORTFOLIO_TODAY", "2026-11-23")
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["build", "-q"])
        .arg(dir)
        .arg("-o")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn concurrent_builds_of_two_learners_into_one_folder_never_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    learner(&a, "Alex Archer", "A-1");
    learner(&b, "Bea Bowman", "B-2");
    // Each learner's outputs, built alone (the same input gives the same bytes).
    let mut reference = Vec::new();
    for (dir, out) in [(&a, "ref-a"), (&b, "ref-b")] {
        let out = tmp.path().join(out);
        let status = build_cmd(dir, &out).status().unwrap();
        assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
        reference.push(contents(&out));
    }
    assert_eq!(reference[0].len(), 3, "html, pdf, json: {:?}", reference[0].keys());
    assert_ne!(reference[0], reference[1]);

    let out = tmp.path().join("shared");
    let mut mixed = 0;
    let mut leftovers = Vec::new();
    // Twenty rounds of three builds at once, alternating learners: 60
    // builds. Before the lock, two at once mixed in 4 tries of 30.
    for round in 0..20 {
        let order: [&PathBuf; 3] = if round % 2 == 0 { [&a, &b, &a] } else { [&b, &a, &b] };
        let children: Vec<_> = order.iter().map(|d| build_cmd(d, &out).spawn().unwrap()).collect();
        for child in children {
            let done = child.wait_with_output().unwrap();
            assert!(
                matches!(done.status.code(), Some(0 | 1)),
                "{:?}: {}",
                done.status,
                String::from_utf8_lossy(&done.stderr)
            );
        }
        let now = contents(&out);
        if now != reference[0] && now != reference[1] {
            mixed += 1;
        }
        let parent_hidden: Vec<String> = names(tmp.path()).into_iter().filter(|n| n.starts_with('.')).collect();
        leftovers.extend(parent_hidden);
    }
    assert_eq!(
        mixed, 0,
        "{mixed} of 20 rounds left one learner's file beside the other's"
    );
    assert!(
        leftovers.is_empty(),
        "work folders left beside the output: {leftovers:?}"
    );
    assert_eq!(names(&out), ["coverage.json", "portfolio.html", "portfolio.pdf"]);
}

#[test]
fn a_build_keeps_the_users_files_and_removes_a_stale_follow_ups_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    learner(&dir, "Alex Archer", "A-1");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join("notes")).unwrap();
    std::fs::write(out.join("notes/mine.txt"), "mine").unwrap();
    std::fs::write(out.join("README.txt"), "mine too").unwrap();
    // Another learner's reminders, from an earlier build into this folder.
    std::fs::write(out.join("follow-ups.ics"), "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").unwrap();
    std::fs::write(out.join(".portfolio.pdf.4242.tmp"), "half a PDF").unwrap();
    portfolio()
        .args(["build", "-q"])
        .arg(&dir)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    assert_eq!(
        names(&out),
        [
            "README.txt",
            "coverage.json",
            "notes",
            "portfolio.html",
            "portfolio.pdf"
        ]
    );
    assert_eq!(std::fs::read_to_string(out.join("notes/mine.txt")).unwrap(), "mine");
}

#[test]
fn batch_cleans_what_a_killed_run_left_and_marks_a_learner_it_cannot_build() {
    let tmp = tempfile::tempdir().unwrap();
    let cohort = tmp.path().join("cohort");
    learner(&cohort.join("alex"), "Alex Archer", "A-1");
    learner(&cohort.join("bea"), "Bea Bowman", "B-2");
    let out = tmp.path().join("out");
    let batch = || {
        portfolio()
            .args(["batch", "-q"])
            .arg(&cohort)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap()
    };
    assert_eq!(batch().status.code(), Some(0));
    let folders: Vec<String> = names(&out).into_iter().filter(|n| out.join(n).is_dir()).collect();
    assert_eq!(folders.len(), 2, "{folders:?}");
    let (fa, fb) = (out.join(&folders[0]), out.join(&folders[1]));
    assert!(fb.join("portfolio.pdf").is_file());

    // What a batch killed mid-run leaves.
    std::fs::write(fa.join(".portfolio.html.99999.tmp"), "half").unwrap();
    std::fs::write(out.join(".cohort.html.99999.tmp"), "half").unwrap();
    let work = out.join(format!(".{}.portfolio-new.99999", folders[0]));
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("portfolio.html"), "half").unwrap();

    // The second learner breaks.
    std::fs::write(
        cohort.join("bea/evidence/01-discussion.md"),
        "+++\ntitle = \"Broken\"\ndate = 2026-13-45\n+++\nBody.\n",
    )
    .unwrap();
    let second = batch();
    assert_eq!(
        second.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let hidden: Vec<String> = names(&out).into_iter().filter(|n| n.starts_with('.')).collect();
    assert!(hidden.is_empty(), "left in the output folder: {hidden:?}");
    assert_eq!(names(&fa), ["coverage.json", "portfolio.html", "portfolio.pdf"]);
    // The broken learner's folder no longer looks current.
    assert_eq!(names(&fb), ["NOT-BUILT.txt"]);
    let why = std::fs::read_to_string(fb.join("NOT-BUILT.txt")).unwrap();
    assert!(why.contains("not built by the latest batch"), "{why}");
    assert!(why.contains("evidence/01-discussion.md"), "{why}");

    // Fixed, it is built again and the note goes.
    learner(&cohort.join("bea"), "Bea Bowman", "B-2");
    assert_eq!(batch().status.code(), Some(0));
    assert_eq!(names(&fb), ["coverage.json", "portfolio.html", "portfolio.pdf"]);
}

#[test]
fn a_build_into_the_working_directory_replaces_its_files_in_place() {
    // The folder a shell stands in is never renamed away: the files are
    // replaced one by one, still under the lock.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    learner(&dir, "Alex Archer", "A-1");
    let out = tmp.path().join("here");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("mine.txt"), "mine").unwrap();
    std::fs::write(out.join(".portfolio.html.31337.tmp"), "half").unwrap();
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let before = inode(&out);
    portfolio()
        .current_dir(&out)
        .args(["build", "-q"])
        .arg(&dir)
        .args(["-o", "."])
        .assert()
        .code(1);
    assert_eq!(inode(&out), before, "the working directory was replaced");
    assert_eq!(
        names(&out),
        ["coverage.json", "mine.txt", "portfolio.html", "portfolio.pdf"]
    );
    let hidden: Vec<String> = names(tmp.path()).into_iter().filter(|n| n.starts_with('.')).collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}
