//! The EQA's pack (`portfolio pack`): a cohort's built portfolios, every
//! signed decision as its message and signature, the roster, the sampling
//! plan, and a `VERIFY.txt` whose commands (`sha256sum`, `ssh-keygen -Y
//! verify`) check all of it offline without this program.
//!
//! This module only assembles bytes: the files come in as [`Entry`]s (the
//! command line builds and reads them), and the zip is deterministic —
//! entries sorted by path, every timestamp 1980-01-01 00:00, the same
//! permissions and compression — so the same input gives the same bytes.

use crate::decisions::message::{escape, sha256_hex};
use std::fmt::Write as _;

/// The roster's name inside the pack.
pub const ROSTER: &str = "allowed_signers";
/// The checksums' name inside the pack (it is not listed in itself).
pub const SUMS: &str = "SHA256SUMS";
/// The instructions' name inside the pack.
pub const VERIFY: &str = "VERIFY.txt";

/// One file of the pack: its path inside the zip (`/`-separated, relative)
/// and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Entry {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Entry {
        Entry {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// One exported decision and how to check it with OpenSSH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionCheck {
    /// The path of its `.msg` in the pack; the signature is this plus `.sig`.
    pub message: String,
    /// The message's `principal:` line.
    pub principal: String,
    /// The SSHSIG namespace it is signed in (`portfolio-assessor`, …).
    pub namespace: String,
    /// `None`: its signature verifies against the roster (`ssh-keygen`
    /// says "Good"); otherwise why it does not, and its command is given
    /// commented out.
    pub fails: Option<String>,
    /// A note beside a good signature (e.g. the item changed since, so the
    /// decision no longer counts).
    pub note: Option<String>,
}

/// Why a pack could not be assembled.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("two files would have the same path in the pack: {0}")]
    Duplicate(String),
    #[error(
        "`{0}` cannot be a path in the pack (it must be relative, with no `..`, spaces, quotes or control characters)"
    )]
    Path(String),
    #[error("cannot write the zip: {0}")]
    Zip(String),
}

/// Whether `path` is safe to name in the pack and in the shell commands of
/// `VERIFY.txt` unquoted-or-quoted alike: relative, `/`-separated names of
/// letters, digits and `-_.+@,=`, never `.` or `..`.
pub fn valid_path(path: &str) -> bool {
    !path.is_empty()
        && path.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part.chars().all(|c| c.is_ascii_alphanumeric() || "-_.+@,=".contains(c))
        })
}

/// `s` as one word for `sh`: as it is when it holds only safe characters,
/// else in single quotes (a `'` inside written `'\''`).
pub fn sh_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.+@,=/:%".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The `ssh-keygen -Y verify` command that checks one decision, run from
/// the pack's folder.
pub fn verify_command(d: &DecisionCheck) -> String {
    format!(
        "ssh-keygen -Y verify -f {ROSTER} -I {} -n {} -s {}.sig < {}",
        sh_quote(&d.principal),
        sh_quote(&d.namespace),
        sh_quote(&d.message),
        sh_quote(&d.message)
    )
}

/// `SHA256SUMS`: one `HASH  PATH` line per entry, sorted by path, as
/// `sha256sum` writes and `sha256sum -c` reads them.
pub fn sha256sums(entries: &[Entry]) -> String {
    let mut lines: Vec<(&str, String)> = entries
        .iter()
        .map(|e| (e.path.as_str(), sha256_hex(&e.bytes)))
        .collect();
    lines.sort();
    let mut out = String::new();
    for (path, hash) in lines {
        let _ = writeln!(out, "{hash}  {path}");
    }
    out
}

/// What the pack holds, for the top of `VERIFY.txt`.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Learners built, and those that could not be (NOT-BUILT.txt).
    pub learners: usize,
    pub not_built: usize,
    /// The day the pack was made (the day the roster was judged against).
    pub today: String,
    /// The sampling plan's seed and rate.
    pub seed: u64,
    pub rate: f64,
}

/// `VERIFY.txt`: what the pack holds and the exact commands that check
/// every file and every decision, a shell script (`sh VERIFY.txt` runs them
/// all and stops at the first that fails).
pub fn verify_txt(summary: &Summary, decisions: &[DecisionCheck]) -> String {
    let good = decisions.iter().filter(|d| d.fails.is_none()).count();
    let mut t = String::new();
    let _ = write!(
        t,
        "# How to check this pack offline, without portfolio\n\
         #\n\
         # Made by `portfolio pack` on {today}: {learners} learner{s} ({not_built} not built),\n\
         # {n} signed decision{ds}, {good} of them with a signature that verifies against\n\
         # the roster.\n\
         #\n\
         # What is here:\n\
         #   learners/FOLDER/portfolio.html, portfolio.pdf, coverage.json  each learner's built portfolio\n\
         #     (NOT-BUILT.txt instead when the portfolio has input errors)\n\
         #   learners/FOLDER/decisions/ITEM/NNN-ROLE.msg                   the exact bytes each decision signs\n\
         #   learners/FOLDER/decisions/ITEM/NNN-ROLE.msg.sig               its OpenSSH signature (SSHSIG)\n\
         #   {ROSTER}                                                the centre's roster used (OpenSSH allowed_signers)\n\
         #   sampling/sample.csv, sample.html                              the IQA sampling plan (seed {seed}, rate {rate})\n\
         #   sampling/iqa-outcomes.csv                                     what the IQA decided on each sampled item\n\
         #   {SUMS}                                                    the SHA-256 of every other file\n\
         #\n\
         # Unzip the pack, open a terminal in the folder it was unzipped into, and run\n\
         # each command below, or all of them at once:  sh {VERIFY}\n\
         # Every command must succeed: sha256sum prints `OK` for each file, ssh-keygen\n\
         # prints `Good \"portfolio-ROLE\" signature for PRINCIPAL` for each decision.\n\
         # A changed byte in any file makes one of them fail.\n\
         # (macOS: `shasum -a 256 --strict -c {SUMS}` in place of sha256sum.)\n\
         #\n\
         # Each message's `file:` lines give the SHA-256 of the learner's evidence\n\
         # files it decided on: compare them with `sha256sum` of the learner's folder.\n\
         \n\
         set -e\n\
         \n\
         # 1. Every file of the pack is the one packed.\n\
         sha256sum --strict -c {SUMS}\n\
         \n\
         # 2. Every signed decision: signed by the principal its message names, with\n\
         #    a key the roster lists for that role (namespace), over these bytes.\n",
        today = summary.today,
        learners = summary.learners,
        s = if summary.learners == 1 { "" } else { "s" },
        not_built = summary.not_built,
        n = decisions.len(),
        ds = if decisions.len() == 1 { "" } else { "s" },
        seed = summary.seed,
        rate = summary.rate,
    );
    for d in decisions.iter().filter(|d| d.fails.is_none()) {
        if let Some(note) = &d.note {
            let _ = writeln!(t, "# {}", escape(note));
        }
        let _ = writeln!(t, "{}", verify_command(d));
    }
    let bad: Vec<&DecisionCheck> = decisions.iter().filter(|d| d.fails.is_some()).collect();
    if !bad.is_empty() {
        let _ = writeln!(
            t,
            "\n# 3. Decisions whose signature does NOT verify against the roster: they count\n\
             #    for nothing, and each command below fails (so it is not run).\n"
        );
        for d in bad {
            // Escaped: a line break in a record's text never ends the comment.
            let _ = writeln!(t, "# {}", escape(d.fails.as_deref().unwrap_or_default()));
            let _ = writeln!(t, "# {}", escape(&verify_command(d)));
        }
    }
    t.push_str("\necho \"Every file and every decision above checked.\"\n");
    t
}

/// The pack's zip: `files` plus `VERIFY.txt` and `SHA256SUMS`, entries in
/// path order with fixed timestamps and permissions: the same files give
/// the same bytes.
pub fn zip(mut files: Vec<Entry>, summary: &Summary, decisions: &[DecisionCheck]) -> Result<Vec<u8>, PackError> {
    files.push(Entry::new(VERIFY, verify_txt(summary, decisions)));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for w in files.windows(2) {
        if w[0].path == w[1].path {
            return Err(PackError::Duplicate(w[0].path.clone()));
        }
    }
    if let Some(bad) = files.iter().find(|e| !valid_path(&e.path) || e.path == SUMS) {
        return Err(PackError::Path(bad.path.clone()));
    }
    let sums = Entry::new(SUMS, sha256sums(&files));
    let at = files.partition_point(|e| e.path.as_str() < SUMS);
    files.insert(at, sums);
    crate::archive::write_entries(files.iter().map(|e| (e.path.clone(), e.bytes.as_slice())))
        .map_err(|e| PackError::Zip(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, fails: Option<&str>) -> DecisionCheck {
        DecisionCheck {
            message: path.into(),
            principal: "j.patel@centre.example".into(),
            namespace: "portfolio-assessor".into(),
            fails: fails.map(str::to_string),
            note: None,
        }
    }

    #[test]
    fn the_same_files_in_any_order_give_the_same_bytes() {
        let a = vec![Entry::new("b/x.txt", "x"), Entry::new("a.txt", "a")];
        let b = vec![Entry::new("a.txt", "a"), Entry::new("b/x.txt", "x")];
        let s = Summary::default();
        let one = zip(a, &s, &[]).unwrap();
        assert_eq!(one, zip(b, &s, &[]).unwrap());
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(one)).unwrap();
        let names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        assert_eq!(names, ["SHA256SUMS", "VERIFY.txt", "a.txt", "b/x.txt"]);
        let mut sums = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("SHA256SUMS").unwrap(), &mut sums).unwrap();
        assert!(sums.contains(&format!("{}  a.txt\n", sha256_hex(b"a"))), "{sums}");
        assert!(
            sums.contains("  VERIFY.txt\n") && !sums.contains("SHA256SUMS"),
            "{sums}"
        );
    }

    #[test]
    fn paths_that_could_escape_or_break_a_command_are_refused() {
        for bad in ["../x", "/etc/x", "a//b", "a b", "a'b", "a\nb", ".", "", "x/./y"] {
            assert!(!valid_path(bad), "{bad:?}");
            assert!(matches!(
                zip(vec![Entry::new(bad, "x")], &Summary::default(), &[]),
                Err(PackError::Path(_))
            ));
        }
        assert!(matches!(
            zip(
                vec![Entry::new("a", "x"), Entry::new("a", "y")],
                &Summary::default(),
                &[]
            ),
            Err(PackError::Duplicate(_))
        ));
    }

    #[test]
    fn verify_txt_runs_good_decisions_and_comments_out_the_others() {
        let t = verify_txt(
            &Summary::default(),
            &[
                check("learners/a/decisions/i/001-assessor.msg", None),
                check("learners/a/decisions/i/002-assessor.msg", Some("not in the roster")),
            ],
        );
        assert!(t.contains("\nsha256sum --strict -c SHA256SUMS\n"), "{t}");
        assert!(t.contains("\nssh-keygen -Y verify -f allowed_signers -I j.patel@centre.example -n portfolio-assessor -s learners/a/decisions/i/001-assessor.msg.sig < learners/a/decisions/i/001-assessor.msg\n"), "{t}");
        assert!(t.contains("\n# ssh-keygen -Y verify -f allowed_signers -I j.patel@centre.example -n portfolio-assessor -s learners/a/decisions/i/002-assessor.msg.sig"), "{t}");
        assert!(t.contains("# not in the roster"));
        // A line break in a principal never makes a live line of a comment.
        let mut evil = check("learners/a/decisions/i/003-assessor.msg", Some("bad\nrm -rf ~"));
        evil.principal = "x\nrm -rf ~".into();
        let t = verify_txt(&Summary::default(), &[evil]);
        assert!(!t.lines().any(|l| l.starts_with("rm")), "{t}");
    }

    #[test]
    fn principals_are_quoted_for_the_shell() {
        assert_eq!(sh_quote("j.patel@c.example"), "j.patel@c.example");
        assert_eq!(sh_quote("J Patel"), "'J Patel'");
        assert_eq!(sh_quote("a'b; rm -rf /"), "'a'\\''b; rm -rf /'");
        assert_eq!(sh_quote(""), "''");
    }
}
