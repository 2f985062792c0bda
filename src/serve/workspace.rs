//! The workspace's file side in `serve`: the learner's forms read and save
//! plain files through [`crate::workspace::api`] (which owns the rules of
//! writing), here over the portfolio folder on disk, once the gate
//! ([`super::guard`]) has let the request through (the owner's cookie, this
//! server's Origin, a body within its limit). [`Disk`] is the folder as a
//! [`Store`]: a new file is made with `create_new` (never over another), a
//! file is replaced by writing beside it and renaming.

use crate::workspace::api::{self, Answer, Store};
use std::path::{Path, PathBuf};

/// The portfolio folder on disk as a [`Store`].
pub struct Disk<'a>(pub &'a Path);

impl Disk<'_> {
    fn at(&self, path: &str) -> PathBuf {
        self.0.join(path)
    }
}

impl Store for Disk<'_> {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        std::fs::read(self.at(path)).ok()
    }

    fn names(&self, folder: &str) -> Vec<String> {
        std::fs::read_dir(self.at(folder))
            .map(|r| {
                r.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn create(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let full = self.at(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&full)?;
        std::io::Write::write_all(&mut file, bytes).inspect_err(|_| {
            let _ = std::fs::remove_file(&full);
        })
    }

    fn replace(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let full = self.at(path);
        let name = full
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = full.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &full).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    fn remove(&mut self, path: &str) -> std::io::Result<()> {
        std::fs::remove_file(self.at(path))
    }

    fn is_file(&self, path: &str) -> bool {
        self.at(path).is_file()
    }
}

fn criteria(criteria_dir: Option<&Path>) -> Result<crate::criteria::Criteria, Answer> {
    crate::pipeline::criteria(criteria_dir).map_err(|e| {
        (
            500,
            serde_json::json!({ "error": format!("the criteria could not be loaded: {e}") }).to_string(),
        )
    })
}

/// `GET /api/options`: what the item form offers.
pub fn options(dir: &Path, criteria_dir: Option<&Path>) -> Answer {
    let criteria = match criteria(criteria_dir) {
        Ok(c) => c,
        Err(a) => return a,
    };
    let portfolio = crate::evidence::load_portfolio(dir, &criteria).ok();
    api::options(
        &Disk(dir),
        &criteria,
        portfolio.as_ref(),
        super::limits::LIMITS.upload_bytes,
    )
}

/// `GET /api/items/evidence/NAME.md`: the form for one item, and its version.
pub fn item(dir: &Path, file: &str) -> Answer {
    api::item(&Disk(dir), file)
}

/// `POST /api/items`: saves a new item, or an edit of one.
pub fn save(dir: &Path, body: &[u8]) -> Answer {
    api::save(&mut Disk(dir), body)
}

/// `POST /api/attachments/NAME`: stores an uploaded file.
pub fn upload(dir: &Path, name: &str, bytes: &[u8]) -> Answer {
    api::upload(&mut Disk(dir), name, bytes)
}

/// `GET /api/reflection`: the reflective account's text and version.
pub fn reflection(dir: &Path) -> Answer {
    api::reflection(&Disk(dir))
}

/// `POST /api/reflection`: saves the reflective account.
pub fn save_reflection(dir: &Path, body: &[u8]) -> Answer {
    api::save_reflection(&mut Disk(dir), body)
}

/// `POST /api/delete`: removes an item the form saw as it is now.
pub fn delete(dir: &Path, body: &[u8]) -> Answer {
    api::delete(&mut Disk(dir), body)
}

/// `POST /api/start`: writes a new portfolio's files.
pub fn start(dir: &Path, criteria_dir: Option<&Path>, body: &[u8]) -> Answer {
    match criteria(criteria_dir) {
        Ok(c) => api::start(&mut Disk(dir), &c, body),
        Err(a) => a,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::item_file::ItemForm;
    use serde_json::json;

    fn form(title: &str) -> ItemForm {
        ItemForm::example(title)
    }

    fn started() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let body = json!({ "name": "Amira Khan", "reference": "L-1", "centre": "Northgate", "assessor": "J. Patel" });
        assert_eq!(start(dir.path(), None, body.to_string().as_bytes()).0, 201);
        dir
    }

    #[test]
    fn items_the_check_cannot_read_are_listed_to_be_mended() {
        let dir = started();
        assert_eq!(
            save(dir.path(), json!({ "form": form("Late shift") }).to_string().as_bytes()).0,
            201
        );
        let text = "+++\n# mine\ntitle = \"Questions: reminders\"\ndate = 2026-03-14\nmethod = \"questioning\"\ncriteria = [\"1.3\"]\nmy_own_key = 1\n+++\nText.\n";
        std::fs::write(dir.path().join("evidence/20-questions.md"), text).unwrap();
        std::fs::write(dir.path().join("evidence/notes.txt"), "not an item").unwrap();
        let (status, said) = options(dir.path(), None);
        assert_eq!(status, 200, "{said}");
        let said: serde_json::Value = serde_json::from_str(&said).unwrap();
        let items = said["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0]["title"], "Late shift");
        assert_eq!(items[0].get("unread"), None);
        assert_eq!(items[1]["file"], "evidence/20-questions.md");
        assert_eq!(items[1]["title"], "Questions: reminders");
        assert_eq!(items[1]["unread"], true);
        assert_eq!(item(dir.path(), "evidence/20-questions.md").0, 200, "the form opens it");
    }

    #[test]
    fn start_then_save_then_edit_then_delete() {
        let dir = started();
        let (status, said) = save(dir.path(), json!({ "form": form("Late shift") }).to_string().as_bytes());
        assert_eq!(status, 201, "{said}");
        let saved: serde_json::Value = serde_json::from_str(&said).unwrap();
        assert_eq!(saved["file"], "evidence/01-late-shift.md");
        let (status, said) = item(dir.path(), "evidence/01-late-shift.md");
        assert_eq!(status, 200, "{said}");
        let got: serde_json::Value = serde_json::from_str(&said).unwrap();
        assert_eq!(got["form"]["title"], "Late shift");
        let mut edited = form("Late shift, edited");
        edited.criteria.push("3.2".into());
        let body = json!({ "file": "evidence/01-late-shift.md", "version": got["version"], "form": edited });
        let (status, said) = save(dir.path(), body.to_string().as_bytes());
        assert_eq!(status, 200, "{said}");
        let text = std::fs::read_to_string(dir.path().join("evidence/01-late-shift.md")).unwrap();
        assert!(text.contains("title = \"Late shift, edited\""), "{text}");
        // The version the form held is old now: a second save is refused.
        let (status, _) = save(dir.path(), body.to_string().as_bytes());
        assert_eq!(status, 409);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("evidence/01-late-shift.md")).unwrap(),
            text
        );
        let new_version: serde_json::Value = serde_json::from_str(&said).unwrap();
        let body = json!({ "file": "evidence/01-late-shift.md", "version": new_version["version"] });
        assert_eq!(delete(dir.path(), body.to_string().as_bytes()).0, 200);
        assert!(!dir.path().join("evidence/01-late-shift.md").exists());
    }

    #[test]
    fn only_evidence_items_are_touched() {
        let dir = started();
        for file in [
            "portfolio.toml",
            "evidence/../portfolio.toml",
            "evidence/sub/x.md",
            "evidence/x.sh",
            "evidence/.hidden.md",
            "/etc/passwd",
        ] {
            assert_eq!(item(dir.path(), file).0, 400, "{file}");
            let body = json!({ "file": file, "version": "x", "form": form("x") });
            assert_eq!(save(dir.path(), body.to_string().as_bytes()).0, 400, "{file}");
            assert_eq!(
                delete(
                    dir.path(),
                    json!({ "file": file, "version": "x" }).to_string().as_bytes()
                )
                .0,
                400,
                "{file}"
            );
        }
        assert!(dir.path().join("portfolio.toml").is_file());
    }

    #[test]
    fn options_list_the_items_the_forms_can_open_and_the_upload_limit() {
        let dir = started();
        save(dir.path(), json!({ "form": form("Late shift") }).to_string().as_bytes());
        let (status, said) = options(dir.path(), None);
        assert_eq!(status, 200, "{said}");
        let said: serde_json::Value = serde_json::from_str(&said).unwrap();
        assert_eq!(said["items"][0]["file"], "evidence/01-late-shift.md");
        assert_eq!(said["items"][0]["title"], "Late shift");
        assert_eq!(said["upload_limit_bytes"], super::super::limits::LIMITS.upload_bytes);
    }

    #[test]
    fn the_reflection_is_saved_only_over_the_version_the_form_saw() {
        let dir = started();
        let got: serde_json::Value = serde_json::from_str(&reflection(dir.path()).1).unwrap();
        assert!(got["text"].as_str().unwrap().contains("Write here"), "{got}");
        let body = json!({ "text": "# My reflective account\n\nI hand over at 17:00.", "version": got["version"] });
        assert_eq!(save_reflection(dir.path(), body.to_string().as_bytes()).0, 200);
        let text = std::fs::read_to_string(dir.path().join("reflection.md")).unwrap();
        assert_eq!(text, "# My reflective account\n\nI hand over at 17:00.\n");
        // The same old version again: refused, the file as it was.
        assert_eq!(save_reflection(dir.path(), body.to_string().as_bytes()).0, 409);
        assert_eq!(std::fs::read_to_string(dir.path().join("reflection.md")).unwrap(), text);
    }

    #[test]
    fn uploads_get_safe_names_never_overwrite_and_never_run() {
        let dir = started();
        let said = upload(dir.path(), "IMG 2041 (1).JPG", b"one");
        assert_eq!(said.0, 201, "{}", said.1);
        assert!(said.1.contains("attachments/IMG-2041-1.jpg"), "{}", said.1);
        let again = upload(dir.path(), "IMG 2041 (1).JPG", b"two");
        assert!(again.1.contains("attachments/IMG-2041-1-2.jpg"), "{}", again.1);
        assert_eq!(
            std::fs::read(dir.path().join("attachments/IMG-2041-1.jpg")).unwrap(),
            b"one"
        );
        for bad in ["run.exe", "script.sh", "page.html", "noext", "photo.jpg.js"] {
            assert_eq!(upload(dir.path(), bad, b"x").0, 415, "{bad}");
        }
        assert!(!dir.path().join("attachments/run.exe").exists());
    }

    #[test]
    fn a_second_start_and_an_incomplete_start_write_nothing() {
        let dir = started();
        let before = std::fs::read(dir.path().join("portfolio.toml")).unwrap();
        let body = json!({ "name": "Someone Else", "reference": "L-2", "centre": "X" });
        assert_eq!(start(dir.path(), None, body.to_string().as_bytes()).0, 409);
        assert_eq!(std::fs::read(dir.path().join("portfolio.toml")).unwrap(), before);
        let empty = tempfile::tempdir().unwrap();
        let (status, said) = start(empty.path(), None, b"{}");
        assert_eq!(status, 422, "{said}");
        assert!(said.contains("\"field\":\"name\""), "{said}");
        assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
    }
}
