//! Large files are hashed as a stream (issue 25, item 6): a 2.5 GB
//! attachment (a sparse file: no disk space, but 2.5 GB of bytes to read)
//! bound by one signed decision is assessed and checked in well under
//! 100 MB of memory. The child's peak resident memory is read from the
//! kernel (`wait4`'s `ru_maxrss`), so nothing else the test process does
//! is counted.

mod support;

use ssh_key::private::Ed25519Keypair;
use ssh_key::{LineEnding, PrivateKey};
use std::path::Path;
use std::process::Command;

/// The attachment's size: 2.5 GB.
const BIG: u64 = 2_500_000_000;

/// The most memory a command may use on it.
const LIMIT_KB: i64 = 100 * 1024;

/// Runs `cmd` and returns its exit code, stdout and stderr, and its peak
/// resident memory in kilobytes.
fn run_measured(mut cmd: Command) -> (Option<i32>, String, String, i64) {
    let stdout_file = tempfile::NamedTempFile::new().unwrap();
    let stderr_file = tempfile::NamedTempFile::new().unwrap();
    cmd.stdout(stdout_file.reopen().unwrap())
        .stderr(stderr_file.reopen().unwrap());
    let child = cmd.spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    #[allow(unsafe_code)]
    // SAFETY: `rusage` is a plain C struct for which all zeroes is a valid
    // value; wait4 writes only into `status` and `usage`, both owned here,
    // and reaps only this child (std's Child is not waited on afterwards).
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        let r = libc::wait4(pid, &mut status, 0, &mut usage);
        assert_eq!(r, pid, "wait4: {}", std::io::Error::last_os_error());
        usage
    };
    drop(child);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let stdout = std::fs::read_to_string(stdout_file.path()).unwrap_or_default();
    let stderr = std::fs::read_to_string(stderr_file.path()).unwrap_or_default();
    // Linux reports ru_maxrss in kilobytes.
    (code, stdout, stderr, usage.ru_maxrss)
}

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portfolio"));
    cmd.env("PORTFOLIO_TODAY", "2026-11-23").env("NO_COLOR", "1");
    cmd
}

fn setup(dir: &Path) {
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    std::fs::create_dir_all(dir.join("attachments")).unwrap();
    std::fs::write(
        dir.join("portfolio.toml"),
        "[learner]\nname = \"Sam Learner\"\nid = \"L-1\"\n\n[assessor]\nname = \"J. Patel\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("evidence/01-recording.md"),
        "+++\ntitle = \"A recorded discussion\"\ndate = 2026-02-18\nmethod = \"professional-discussion\"\n\
         criteria = [\"1.1\"]\nattachments = [\"attachments/recording.bin\"]\n+++\n\
         The recording of our discussion of the handover procedure [[1.1]].\n",
    )
    .unwrap();
    // Sparse: set_len allocates no blocks, reads return zeroes.
    let big = std::fs::File::create(dir.join("attachments/recording.bin")).unwrap();
    big.set_len(BIG).unwrap();
}

#[test]
fn a_2_5_gb_attachment_with_a_signed_decision_is_checked_in_under_100_mb() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    setup(&dir);
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&[3; 32]));
    let key_file = tmp.path().join("key");
    key.write_openssh_file(&key_file, LineEnding::LF).unwrap();

    // `assess` hashes the item's files for the record it signs.
    let mut assess = bin();
    assess
        .arg("assess")
        .arg(&dir)
        .arg("01-recording")
        .args([
            "--decision",
            "accepted",
            "--by",
            "j.patel@centre.example",
            "--date",
            "2026-04-22",
            "--key",
        ])
        .arg(&key_file);
    let (code, _, stderr, assess_kb) = run_measured(assess);
    assert_eq!(code, Some(0), "{stderr}");
    let record = std::fs::read_to_string(dir.join("assessment/01-recording/001-assessor.toml")).unwrap();
    // The SHA-256 of 2.5 GB of zero bytes (sha256sum of a sparse file).
    assert!(
        record.contains("16ea3c2559749370f00f79596ec049f18b8e165409eba94b3c2d1c692ee53408"),
        "{record}"
    );

    // `check` binds the decision: it hashes the attachment again.
    let mut check = bin();
    check.arg("check").arg(&dir).args(["--format", "json"]);
    let (code, stdout, stderr, check_kb) = run_measured(check);
    assert!(matches!(code, Some(0 | 1)), "exit {code:?}: {stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let list = json["decisions"]["list"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:#?}");
    // Self-signed, no roster: the signature is valid and the files the
    // same as when signed (a wrong hash would say changed-since).
    assert_eq!(list[0]["verdict"], "valid", "{list:#?}");

    // `build` hashes it for the listing and the decision, and embeds none of it.
    let mut build = bin();
    build
        .args(["build", "-q", "--format", "html,json"])
        .arg(&dir)
        .arg("-o")
        .arg(tmp.path().join("out"));
    let (code, _, stderr, build_kb) = run_measured(build);
    assert!(matches!(code, Some(0 | 1)), "exit {code:?}: {stderr}");
    let html = std::fs::read_to_string(tmp.path().join("out/portfolio.html")).unwrap();
    assert!(html.contains("16ea3c2559749370f00f79596ec049f18b8e165409eba94b3c2d1c692ee53408"));

    eprintln!("peak memory on a 2.5 GB attachment: assess {assess_kb} KB, check {check_kb} KB, build {build_kb} KB");
    assert!(assess_kb < LIMIT_KB, "assess used {assess_kb} KB");
    assert!(check_kb < LIMIT_KB, "check used {check_kb} KB");
    assert!(build_kb < LIMIT_KB, "build used {build_kb} KB");
}
