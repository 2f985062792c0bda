//! `portfolio pack`: the EQA's zip of a cohort. Built twice it is the same
//! bytes; unpacked, the commands of its VERIFY.txt (sha256sum, ssh-keygen
//! -Y verify) succeed, and fail once any byte of any file changes.

mod support;

use std::path::{Path, PathBuf};
use support::portfolio;

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "DEMO-ONLY-keys" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

/// A cohort of two: the sample (eight signed decisions) and a copy made for
/// another learner, whose copied decisions therefore do not count.
fn cohort() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio");
    let cohort = tmp.path().join("cohort");
    copy(&sample, &cohort.join("amira"));
    copy(&sample, &cohort.join("ben"));
    let toml = cohort.join("ben/portfolio.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let text = text
        .replace("Amira Khan", "Ben Carter")
        .replace("9000000421", "9000000439")
        .replace("L-0042", "L-0043");
    std::fs::write(&toml, text).unwrap();
    let roster = tmp.path().join("allowed_signers");
    std::fs::copy(sample.join("DEMO-ONLY-allowed_signers"), &roster).unwrap();
    (tmp, cohort, roster)
}

fn pack(cohort: &Path, roster: &Path, out: &Path) -> std::process::Output {
    portfolio()
        .arg("pack")
        .arg(cohort)
        .arg("--signers")
        .arg(roster)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

fn unzip(zip: &Path, into: &Path) -> Vec<PathBuf> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let rel = f.enclosed_name().unwrap();
        let path = into.join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut out = std::fs::File::create(&path).unwrap();
        std::io::copy(&mut f, &mut out).unwrap();
        files.push(rel);
    }
    files
}

fn verify(dir: &Path) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("VERIFY.txt")
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn the_pack_is_the_same_bytes_twice_and_verifies_offline_until_a_byte_changes() {
    let (tmp, cohort, roster) = cohort();
    let (one, two) = (tmp.path().join("one.zip"), tmp.path().join("two.zip"));
    let out = pack(&cohort, &roster, &one);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("Packed 2 learners (0 not built) and 16 signed decisions (8 verify"),
        "{said}"
    );
    assert!(pack(&cohort, &roster, &two).status.success());
    assert!(
        std::fs::read(&one).unwrap() == std::fs::read(&two).unwrap(),
        "two packs differ"
    );

    let dir = tmp.path().join("unpacked");
    let files = unzip(&one, &dir);
    let names: Vec<String> = files.iter().map(|f| f.to_string_lossy().replace('\\', "/")).collect();
    for want in [
        "VERIFY.txt",
        "SHA256SUMS",
        "allowed_signers",
        "sampling/sample.csv",
        "sampling/sample.html",
        "sampling/iqa-outcomes.csv",
        "learners/9000000421-Amira-Khan/portfolio.html",
        "learners/9000000421-Amira-Khan/portfolio.pdf",
        "learners/9000000421-Amira-Khan/coverage.json",
        "learners/9000000421-Amira-Khan/decisions/05-observation-morning-huddle/002-iqa.msg.sig",
        "learners/9000000439-Ben-Carter/portfolio.pdf",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} missing from {names:?}");
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries in path order");
    let verify_txt = std::fs::read_to_string(dir.join("VERIFY.txt")).unwrap();
    // The copied decisions are named, with the reason, and not run.
    assert!(
        verify_txt.contains("# 3. Decisions whose signature does NOT verify"),
        "{verify_txt}"
    );
    assert!(verify_txt.contains("not the learner of this portfolio"), "{verify_txt}");
    // The plan links each sampled item to it in the learner's portfolio, and
    // says which the IQA has decided on.
    let plan = std::fs::read_to_string(dir.join("sampling/sample.html")).unwrap();
    let links: Vec<&str> = plan
        .split("<a href=\"../")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert!(!links.is_empty(), "{plan}");
    for link in &links {
        let (file, anchor) = link.split_once('#').unwrap();
        let page = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(page.contains(&format!("id=\"{anchor}\"")), "{link} goes nowhere");
    }
    assert!(
        plan.contains("<th>IQA</th>") && plan.contains("sampled items have an IQA decision"),
        "{plan}"
    );
    let outcomes = std::fs::read_to_string(dir.join("sampling/iqa-outcomes.csv")).unwrap();
    assert!(outcomes.starts_with("learner_folder,pack_folder,item,"), "{outcomes}");
    // The page and the CSV agree on which sampled items an IQA decided.
    let rows: Vec<&str> = outcomes.lines().skip(1).collect();
    let decided = rows
        .iter()
        .filter(|r| r.split(',').nth(5).is_some_and(|d| !d.is_empty()))
        .count();
    assert!(
        plan.contains(&format!(
            "<p>{decided} of {} sampled items have an IQA decision.</p>",
            rows.len()
        )),
        "{outcomes}\n{plan}"
    );

    let (ssh, sha) = (
        support::tool("ssh-keygen", "the pack's decisions checked by OpenSSH"),
        support::tool("sha256sum", "the pack's files checked by sha256sum"),
    );
    if !(ssh && sha) {
        return;
    }
    let good = verify(&dir);
    let stdout = String::from_utf8_lossy(&good.stdout);
    assert!(
        good.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert_eq!(stdout.matches("Good \"portfolio-").count(), 8, "{stdout}");
    assert_eq!(stdout.matches(": OK\n").count(), files.len() - 1, "{stdout}");

    // One byte of any file changed: some command fails.
    for rel in &files {
        let path = dir.join(rel);
        let bytes = std::fs::read(&path).unwrap();
        let mut changed = bytes.clone();
        let at = changed.len() / 2;
        changed[at] ^= 1;
        std::fs::write(&path, &changed).unwrap();
        let out = verify(&dir);
        assert!(
            !out.status.success(),
            "{} changed, yet VERIFY.txt succeeded",
            rel.display()
        );
        std::fs::write(&path, &bytes).unwrap();
    }
    // A message changed and its checksum "fixed": ssh-keygen still refuses it.
    let msg = "learners/9000000421-Amira-Khan/decisions/01-handover-procedure-discussion/001-assessor.msg";
    let text = std::fs::read_to_string(dir.join(msg)).unwrap();
    let forged = text.replace("decision: accepted", "decision: accepted ");
    std::fs::write(dir.join(msg), &forged).unwrap();
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let old = sums.lines().find(|l| l.ends_with(msg)).unwrap().to_string();
    let new_hash = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(forged.as_bytes());
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    std::fs::write(
        dir.join("SHA256SUMS"),
        sums.replace(&old, &format!("{new_hash}  {msg}")),
    )
    .unwrap();
    let out = verify(&dir);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Signature verification failed"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pack_needs_the_roster_and_says_how_to_use_it() {
    let out = portfolio().args(["pack", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(64), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--signers"));
    let help = portfolio().args(["pack", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("sh VERIFY.txt") && help.contains("ssh-keygen -Y verify"),
        "{help}"
    );
    assert!(help.contains("Exit status"), "{help}");
}
