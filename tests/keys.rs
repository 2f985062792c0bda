//! The keys assessors have: Ed25519, ECDSA (P-256, P-384, P-521) and RSA
//! keys made by ssh-keygen, with and without a passphrase, and through a
//! running ssh-agent; every decision signed is checked by `ssh-keygen -Y
//! verify` against the roster.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::portfolio;

const BY: &str = "j.patel@centre.example";

/// A one-item portfolio.
fn folder(root: &Path) -> PathBuf {
    let dir = root.join("amira");
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    std::fs::write(
        dir.join("portfolio.toml"),
        "[learner]\nname = \"Amira Khan\"\nid = \"L-1\"\n\n[assessor]\nname = \"J. Patel\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("evidence/obs.md"),
        "+++\ntitle = \"Observation\"\ndate = 2026-03-03\nmethod = \"observation\"\ncriteria = [\"3.1\", \"3.5\"]\n+++\nI handed a customer's case over to the evening team and told the customer who would call back and why.\n",
    )
    .unwrap();
    dir
}

/// `ssh-keygen -t TYPE [-b BITS] -N PASSPHRASE -f root/NAME`.
fn keygen(root: &Path, name: &str, kind: &str, bits: Option<&str>, passphrase: &str) -> PathBuf {
    let key = root.join(name);
    let mut cmd = Command::new("ssh-keygen");
    cmd.args(["-q", "-t", kind, "-N", passphrase, "-C", name, "-f"])
        .arg(&key);
    if let Some(bits) = bits {
        cmd.args(["-b", bits]);
    }
    assert!(cmd.status().unwrap().success());
    key
}

/// A roster granting each key the assessor's namespace.
fn roster(root: &Path, keys: &[&Path]) -> PathBuf {
    let mut text = String::new();
    for k in keys {
        let public = std::fs::read_to_string(k.with_extension("pub")).unwrap();
        text.push_str(&format!("{BY} namespaces=\"portfolio-assessor\" {public}"));
    }
    let path = root.join("allowed_signers");
    std::fs::write(&path, text).unwrap();
    path
}

fn assess(dir: &Path, key: &Path, roster: &Path, agent: Option<&Path>) -> std::process::Output {
    let mut cmd = portfolio();
    cmd.arg("assess")
        .arg(dir)
        .arg("obs")
        .args(["--decision", "accepted", "--by", BY, "--date", "2026-04-22", "--key"])
        .arg(key)
        .arg("--signers")
        .arg(roster)
        .env_remove("SSH_AUTH_SOCK");
    if let Some(sock) = agent {
        cmd.env("SSH_AUTH_SOCK", sock);
    }
    cmd.output().unwrap()
}

/// Exports every decision of `dir` and checks each with ssh-keygen; returns
/// how many verified.
fn openssh_verifies(dir: &Path, roster: &Path, out: &Path) -> usize {
    let export = portfolio()
        .arg("decisions")
        .arg(dir)
        .arg("--signers")
        .arg(roster)
        .arg("--export")
        .arg(out)
        .output()
        .unwrap();
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stdout));
    let mut good = 0;
    for entry in std::fs::read_dir(out.join("obs")).unwrap() {
        let msg = entry.unwrap().path();
        if msg.extension().is_some_and(|e| e == "msg") {
            let v = Command::new("ssh-keygen")
                .args(["-Y", "verify", "-f"])
                .arg(roster)
                .args(["-I", BY, "-n", "portfolio-assessor", "-s"])
                .arg(msg.with_extension("msg.sig"))
                .stdin(std::fs::File::open(&msg).unwrap())
                .output()
                .unwrap();
            assert!(
                v.status.success(),
                "{}: {}",
                msg.display(),
                String::from_utf8_lossy(&v.stderr)
            );
            good += 1;
        }
    }
    good
}

#[test]
fn every_key_type_signs_decisions_that_openssh_verifies() {
    if !support::tool("ssh-keygen", "signing with each key type") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let kinds = [
        ("ed25519", "ed25519", None),
        ("ecdsa256", "ecdsa", Some("256")),
        ("ecdsa384", "ecdsa", Some("384")),
        ("ecdsa521", "ecdsa", Some("521")),
        ("rsa3072", "rsa", Some("3072")),
    ];
    for (name, kind, bits) in kinds {
        let root = tmp.path().join(name);
        std::fs::create_dir_all(&root).unwrap();
        let dir = folder(&root);
        let key = keygen(&root, "key", kind, bits, "");
        let roster = roster(&root, &[&key]);
        let out = assess(&dir, &key, &roster, None);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(openssh_verifies(&dir, &roster, &root.join("export")), 1, "{name}");
    }
}

#[test]
fn a_key_with_a_passphrase_opens_with_it_and_signs_each_type() {
    if !support::tool("ssh-keygen", "keys with a passphrase") {
        return;
    }
    use portfolio::decisions::keys;
    let tmp = tempfile::tempdir().unwrap();
    for (name, kind, bits) in [
        ("ed25519", "ed25519", None),
        ("ecdsa256", "ecdsa", Some("256")),
        ("rsa2048", "rsa", Some("2048")),
    ] {
        let key = keygen(tmp.path(), name, kind, bits, "correct horse");
        // Without a way to ask: refused, saying what to do.
        let err = keys::open(&key, &mut || None).unwrap_err().to_string();
        assert!(err.contains("passphrase") && err.contains("ssh-add"), "{err}");
        // A wrong passphrase: refused.
        let err = keys::open(&key, &mut || Some("wrong".into())).unwrap_err().to_string();
        assert!(err.contains("does not open the key"), "{err}");
        let mut asked = 0;
        let signer = keys::open(&key, &mut || {
            asked += 1;
            Some("correct horse".into())
        })
        .unwrap();
        assert_eq!(asked, 1);
        let msg = b"format: portfolio-decision/2\n";
        let sig = signer.sign("portfolio-assessor", msg).unwrap();
        let sig_file = tmp.path().join(format!("{name}.sig"));
        std::fs::write(&sig_file, sig.to_pem(ssh_key::LineEnding::LF).unwrap()).unwrap();
        let roster = roster(tmp.path(), &[&key]);
        let mut v = Command::new("ssh-keygen")
            .args(["-Y", "verify", "-f"])
            .arg(&roster)
            .args(["-I", BY, "-n", "portfolio-assessor", "-s"])
            .arg(&sig_file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut v.stdin.take().unwrap(), msg).unwrap();
        let v = v.wait_with_output().unwrap();
        assert!(v.status.success(), "{name}: {}", String::from_utf8_lossy(&v.stderr));
    }
}

#[test]
fn the_public_half_is_refused_with_what_to_give() {
    if !support::tool("ssh-keygen", "a .pub given as the key") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = folder(tmp.path());
    let key = keygen(tmp.path(), "id_ed25519", "ed25519", None, "");
    let roster = roster(tmp.path(), &[&key]);
    // By its name, and by its content under another name.
    let renamed = tmp.path().join("copy-of-public");
    std::fs::copy(key.with_extension("pub"), &renamed).unwrap();
    for given in [key.with_extension("pub"), renamed] {
        let out = assess(&dir, &given, &roster, None);
        assert_eq!(out.status.code(), Some(64));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("is the public half of a key; give the private key file (the same name without .pub)"),
            "{err}"
        );
    }
    assert!(!dir.join("assessment").exists());
}

/// A running `ssh-agent -D -a SOCK`, ended (by its own id) when dropped.
struct Agent {
    child: std::process::Child,
    sock: PathBuf,
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_key_held_by_ssh_agent_signs_without_its_passphrase() {
    if !support::tool("ssh-agent", "signing through ssh-agent") || !support::tool("ssh-add", "ssh-agent") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = folder(tmp.path());
    let sock = tmp.path().join("agent.sock");
    let agent = Agent {
        child: Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&sock)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
        sock: sock.clone(),
    };
    for _ in 0..100 {
        if agent.sock.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut keys = Vec::new();
    for (name, kind, bits) in [
        ("ed", "ed25519", None),
        ("rsa", "rsa", Some("3072")),
        ("p521", "ecdsa", Some("521")),
    ] {
        let key = keygen(tmp.path(), name, kind, bits, "");
        let add = Command::new("ssh-add")
            .arg(&key)
            .env("SSH_AUTH_SOCK", &agent.sock)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
        // Now give the file a passphrase nobody here knows.
        let p = Command::new("ssh-keygen")
            .args(["-q", "-p", "-P", "", "-N", "only the assessor knows", "-f"])
            .arg(&key)
            .output()
            .unwrap();
        assert!(p.status.success(), "{}", String::from_utf8_lossy(&p.stderr));
        keys.push(key);
    }
    let key_refs: Vec<&Path> = keys.iter().map(PathBuf::as_path).collect();
    let roster = roster(tmp.path(), &key_refs);
    // Without the agent there is no way to open the key here: refused.
    let out = assess(&dir, &keys[0], &roster, None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ssh-add"));
    assert!(!dir.join("assessment").exists(), "nothing written");
    for key in &keys {
        let out = assess(&dir, key, &roster, Some(&agent.sock));
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{said}");
        assert!(said.contains("by ssh-agent"), "{said}");
    }
    assert_eq!(openssh_verifies(&dir, &roster, &tmp.path().join("export")), 3);
}

#[test]
fn serve_asks_for_the_passphrase_once_and_keeps_the_key_in_memory_only() {
    if !support::tool("ssh-keygen", "serve with a key that has a passphrase") {
        return;
    }
    use portfolio::serve::decide::{Assessor, FormItem, View, answer, inject_forms};
    let tmp = tempfile::tempdir().unwrap();
    let dir = folder(tmp.path());
    let key = keygen(tmp.path(), "id_ed25519", "ed25519", None, "correct horse");
    let roster = roster(tmp.path(), &[&key]);
    let key_bytes = std::fs::read(&key).unwrap();
    let who = Assessor::new(
        &key,
        View {
            by: BY.into(),
            role: "assessor".into(),
            passphrase: false,
        },
    )
    .unwrap();
    assert!(who.view.passphrase, "the page must ask");
    let codes = ["3.1".to_string()];
    let page = inject_forms(
        "<article class=\"item\" id=\"item-obs\"><h3>Obs</h3></article>",
        &[FormItem {
            anchor: "item-obs",
            id: "obs",
            criteria: &codes,
        }],
        &who.view,
    );
    assert!(
        page.contains(">Passphrase</label>") && page.contains("type=\"password\""),
        "{page}"
    );
    let post = |body: &str| answer(body.as_bytes(), &dir, None, Some(&roster), &who);
    let (status, said) = post("item=obs&decision=accepted");
    assert_eq!(status, 422, "{said}");
    assert!(said.contains("Passphrase field"), "{said}");
    let (status, said) = post("item=obs&decision=accepted&passphrase=wrong");
    assert_eq!(status, 422, "{said}");
    assert!(
        said.contains("does not open the key") && !said.contains("wrong"),
        "{said}"
    );
    assert!(!dir.join("assessment").exists(), "nothing written");
    let (status, said) = post("item=obs&decision=accepted&criterion=3.1&passphrase=correct+horse");
    assert_eq!(status, 200, "{said}");
    // Held in memory: the next decision needs no passphrase.
    let (status, said) = post("item=obs&decision=referred&criterion=3.5&feedback=Say+what+you+shared");
    assert_eq!(status, 200, "{said}");
    assert_eq!(openssh_verifies(&dir, &roster, &tmp.path().join("export")), 2);
    // Nothing about the key was written anywhere in the portfolio.
    assert_eq!(std::fs::read(&key).unwrap(), key_bytes);
    for entry in walk(&dir) {
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).to_string();
        assert!(
            !text.contains("correct horse") && !text.contains("PRIVATE KEY"),
            "{}",
            entry.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
