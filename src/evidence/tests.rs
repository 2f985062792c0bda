//! The loader on portfolios held in memory: the refusals that concern
//! links, escapes, case and size, without a temporary folder.

use super::*;
use crate::source::MemSource;

const TOML: &[u8] = b"[learner]\nname = \"Test Learner\"\nid = \"T-1\"\n";

fn item(title: &str, extra: &str) -> Vec<u8> {
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2026-03-01\nmethod = \"questioning\"\ncriteria = [\"1.2\"]\n{extra}+++\nBody.\n"
    )
    .into_bytes()
}

fn portfolio() -> MemSource {
    MemSource::from_files(
        "p.zip",
        [
            ("portfolio.toml", TOML.to_vec()),
            ("evidence/good.md", item("Good", "")),
            ("attachments/sheet.png", b"\x89PNG".to_vec()),
        ],
    )
}

fn load(files: &MemSource) -> Portfolio {
    let criteria = crate::criteria::load_criteria(None).unwrap();
    load_portfolio_from(files, &criteria).unwrap()
}

/// The rules of the problems raised, with their files.
fn rules(p: &Portfolio) -> Vec<(&'static str, String)> {
    p.problems
        .iter()
        .map(|p| {
            let file = p
                .location
                .as_ref()
                .map(|l| l.file.display().to_string())
                .unwrap_or_default();
            (p.rule.id(), file)
        })
        .collect()
}

#[test]
fn a_portfolio_in_memory_is_read_and_named_after_its_source() {
    let p = load(&portfolio());
    assert_eq!(p.root, Path::new("p.zip"));
    assert_eq!(p.items.len(), 1);
    assert!(rules(&p).is_empty(), "{:?}", rules(&p));
}

#[test]
fn links_in_the_not_followed_places_are_skipped_with_their_target() {
    let mut files = portfolio();
    files.insert_link(Path::new("reflection.md"), "/home/other/reflection.md");
    files.insert_link(Path::new("evidence/linked.md"), "good.md");
    files.insert_link(Path::new("assessment"), "../other/assessment");
    let p = load(&files);
    let found = rules(&p);
    assert!(
        found.contains(&("symlink-skipped", "reflection.md".into())),
        "{found:?}"
    );
    assert!(found.contains(&("symlink-skipped", "assessment".into())), "{found:?}");
    assert!(
        found.contains(&("symlink-skipped", "evidence/linked.md".into())),
        "{found:?}"
    );
    assert!(p.reflection.is_none());
    assert_eq!(p.items.len(), 1, "the linked item is not read");
    let said = &p
        .problems
        .iter()
        .find(|p| p.location.as_ref().unwrap().file == Path::new("reflection.md"))
        .unwrap()
        .message;
    assert!(said.contains("(to /home/other/reflection.md)"), "{said}");

    let mut files = portfolio();
    files.insert_link(Path::new("evidence"), "/home/other/evidence");
    let p = load(&files);
    assert!(rules(&p).contains(&("symlink-skipped", "evidence".into())));
    assert!(p.items.is_empty());
}

#[test]
fn attachments_are_followed_inside_and_refused_outside() {
    let mut files = portfolio();
    files.insert_link(Path::new("attachments/same.png"), "sheet.png");
    files.insert_link(Path::new("attachments/out.png"), "../../secret.png");
    files.insert_link(Path::new("attachments/abs.png"), "/etc/passwd");
    files.insert(
        Path::new("evidence/a.md"),
        item(
            "A",
            "attachments = [\"attachments/sheet.png\", \"attachments/same.png\", \"attachments/out.png\", \"attachments/abs.png\", \"../x.png\", \"attachments\", \"sheet.png\", \"attachments/shet.png\"]\n",
        ),
    );
    let p = load(&files);
    let a = p.items.iter().find(|i| i.id == "a").unwrap();
    let resolved: Vec<bool> = a.attachments.iter().map(|x| x.resolved.is_some()).collect();
    assert_eq!(resolved, [true, true, false, false, false, false, false, false]);
    assert_eq!(
        a.attachments[0].digest, a.attachments[1].digest,
        "the same bytes through a link"
    );
    let messages: Vec<(&str, &str)> = p
        .problems
        .iter()
        .filter(|p| p.location.as_ref().unwrap().file == Path::new("evidence/a.md"))
        .map(|p| (p.rule.id(), p.hint.as_deref().unwrap_or(&p.message)))
        .collect();
    let outside = messages.iter().filter(|(r, _)| *r == "attachment-outside").count();
    assert_eq!(outside, 3, "{messages:?}");
    assert!(
        messages.contains(&("attachment-missing", "did you mean `attachments/sheet.png`?")),
        "{messages:?}"
    );
    assert!(
        p.problems
            .iter()
            .any(|p| p.message == "The attachment `attachments` is a folder, not a file."),
        "{messages:?}"
    );
    assert_eq!(
        messages
            .iter()
            .filter(|(_, m)| *m == "did you mean `attachments/sheet.png`?")
            .count(),
        2,
        "a bare name and a misspelling: {messages:?}"
    );
}

#[test]
fn a_misnamed_evidence_folder_is_an_error() {
    let files = MemSource::from_files(
        "p.zip",
        [
            ("portfolio.toml", TOML.to_vec()),
            ("Evidence/good.md", item("Good", "")),
        ],
    );
    let p = load(&files);
    assert_eq!(rules(&p), [("misnamed-folder", "Evidence".to_string())]);
}

#[test]
fn size_and_count_limits_hold_in_memory() {
    let mut files = portfolio();
    let mut big = item("Big", "");
    big.resize(MAX_ITEM_BYTES as usize + 1, b' ');
    files.insert(Path::new("evidence/big.md"), big);
    let p = load(&files);
    let said = p
        .problems
        .iter()
        .find(|p| p.location.as_ref().unwrap().file == Path::new("evidence/big.md"));
    assert!(said.unwrap().message.contains("an evidence item may be at most 4 MB"));

    let mut files = portfolio();
    for n in 0..=MAX_ITEMS {
        files.insert(Path::new(&format!("evidence/{n:05}.md")), Vec::new());
    }
    let p = load(&files);
    assert!(
        p.problems
            .iter()
            .any(|p| p.message.contains(&format!("a portfolio may have at most {MAX_ITEMS}")))
    );
}

#[test]
fn no_portfolio_toml_and_no_evidence_are_told() {
    let p = load(&MemSource::new("empty.zip"));
    let found = rules(&p);
    assert!(
        found.contains(&("invalid-portfolio", "portfolio.toml".into())),
        "{found:?}"
    );
    assert!(found.contains(&("no-evidence", "evidence".into())), "{found:?}");
}
