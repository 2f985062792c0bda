//! The workspace's file side in `serve`: the learner's forms read and save
//! plain files through these answers, which the gate ([`super::guard`])
//! has let through (the owner's cookie, this server's Origin, a body within
//! its limit). The text of every file comes from [`crate::workspace`];
//! this module only reads and writes it, inside the portfolio folder:
//!
//! - only `evidence/*.md` files, named as the engine names them, are read,
//!   written or deleted; a name with a folder, `..` or another extension is
//!   refused;
//! - a new item never overwrites a file (`create_new`); an edit or a
//!   delete names the version (SHA-256) of the file the form was filled
//!   from, and a file changed on disk meanwhile is refused with 409, never
//!   silently overwritten;
//! - a file is replaced as one step (written beside it, then renamed).
//!
//! Each answer is a status and a JSON body.

use crate::workspace::item_file::{self, ItemForm};
use crate::workspace::start::{self, StartForm};
use serde::Deserialize;
use serde_json::json;
use std::path::{Path, PathBuf};

/// A status and the JSON said with it.
pub type Answer = (u16, String);

fn answer(status: u16, body: serde_json::Value) -> Answer {
    (status, body.to_string())
}

fn refuse(status: u16, message: &str) -> Answer {
    answer(status, json!({ "error": message }))
}

fn version(bytes: &[u8]) -> String {
    crate::decisions::message::sha256_hex(bytes)
}

/// `evidence/NAME.md` with a plain name: the only files the forms touch.
fn item_path(dir: &Path, file: &str) -> Option<PathBuf> {
    let name = file.strip_prefix("evidence/")?;
    let stem = name.strip_suffix(".md")?;
    let plain = !stem.is_empty()
        && !stem.starts_with('.')
        && stem.len() <= 120
        && stem.chars().all(|c| c.is_alphanumeric() || "-_. ".contains(c));
    plain.then(|| dir.join("evidence").join(name))
}

fn criteria(criteria_dir: Option<&Path>) -> Result<crate::criteria::Criteria, Answer> {
    crate::pipeline::criteria(criteria_dir).map_err(|e| refuse(500, &format!("the criteria could not be loaded: {e}")))
}

/// `GET /api/options`: what the item form offers.
pub fn options(dir: &Path, criteria_dir: Option<&Path>) -> Answer {
    let criteria = match criteria(criteria_dir) {
        Ok(c) => c,
        Err(a) => return a,
    };
    let portfolio = crate::evidence::load_portfolio(dir, &criteria).ok();
    let options = crate::workspace::options::options(&criteria, portfolio.as_ref());
    // The items the forms can open: those in evidence/ itself.
    let mut items: Vec<_> = portfolio
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| {
            let file = i.path.to_string_lossy().replace('\\', "/");
            item_path(dir, &file).map(|_| json!({ "id": i.id, "file": file, "title": i.title }))
        })
        .collect();
    // And those the check could not read (a key it does not know, a
    // missing field): the form may still open them, to mend them.
    let listed: Vec<String> = items
        .iter()
        .filter_map(|i| i["file"].as_str().map(String::from))
        .collect();
    let mut unread: Vec<String> = std::fs::read_dir(dir.join("evidence"))
        .map(|r| {
            r.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| format!("evidence/{}", e.file_name().to_string_lossy()))
                .filter(|f| item_path(dir, f).is_some() && !listed.contains(f))
                .take(crate::evidence::MAX_ITEMS)
                .collect()
        })
        .unwrap_or_default();
    unread.sort();
    for file in unread {
        let name = file.trim_start_matches("evidence/").trim_end_matches(".md").to_string();
        // Its title when the form can read it, else its file's name.
        let title = std::fs::read(dir.join(&file))
            .ok()
            .filter(|b| b.len() as u64 <= super::limits::LIMITS.item_bytes)
            .and_then(|b| item_file::read_item(&String::from_utf8_lossy(&b)).ok())
            .map(|f| f.title)
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| name.clone());
        items.push(json!({ "id": name, "file": file, "title": title, "unread": true }));
    }
    answer(
        200,
        json!({
            "started": dir.join("portfolio.toml").is_file(),
            "options": options,
            "items": items,
            // Said before an upload, not after.
            "upload_limit_bytes": super::limits::LIMITS.upload_bytes,
            "uploadable": UPLOADABLE,
        }),
    )
}

/// `GET /api/items/evidence/NAME.md`: the form for one item, and its version.
pub fn item(dir: &Path, file: &str) -> Answer {
    let Some(path) = item_path(dir, file) else {
        return refuse(400, "not an evidence item of this portfolio");
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(_) => return refuse(404, "there is no such item (was it renamed or deleted?)"),
    };
    let text = String::from_utf8_lossy(&bytes);
    match item_file::read_item(&text) {
        Ok(form) => answer(200, json!({ "file": file, "version": version(&bytes), "form": form })),
        Err(e) => refuse(
            422,
            &format!("this item cannot be opened in the form ({e}); open the file in a text editor to mend it"),
        ),
    }
}

#[derive(Debug, Deserialize)]
struct Save {
    /// The item's file; none for a new item.
    file: Option<String>,
    /// The version the form was filled from (required with `file`).
    version: Option<String>,
    form: ItemForm,
}

/// Writes `text` to `path` as one step: beside it, then renamed over it.
fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("md.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The current bytes of `path` when they are `expected`'s version.
fn unchanged(path: &Path, expected: Option<&str>) -> Result<Vec<u8>, Answer> {
    let bytes = std::fs::read(path).map_err(|_| refuse(404, "there is no such item (was it renamed or deleted?)"))?;
    if expected != Some(version(&bytes).as_str()) {
        return Err(refuse(
            409,
            "this item was changed on disk since the form was opened; nothing was saved. Open it again to see the change",
        ));
    }
    Ok(bytes)
}

/// `POST /api/items`: saves a new item, or an edit of one.
pub fn save(dir: &Path, body: &[u8]) -> Answer {
    let save: Save = match serde_json::from_slice(body) {
        Ok(s) => s,
        Err(e) => return refuse(400, &format!("the form could not be read: {e}")),
    };
    if !dir.join("portfolio.toml").is_file() {
        return refuse(409, "start the portfolio first");
    }
    let evidence = dir.join("evidence");
    match save.file {
        None => {
            if let Err(e) = std::fs::create_dir_all(&evidence) {
                return refuse(500, &format!("cannot make evidence/: {e}"));
            }
            let names: Vec<String> = std::fs::read_dir(&evidence)
                .map(|r| {
                    r.filter_map(Result::ok)
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            let file = item_file::new_file_name(names.iter().map(String::as_str), &save.form.title);
            let Some(path) = item_path(dir, &file) else {
                return refuse(500, "no file name could be made for this item");
            };
            let text = item_file::new_item(&save.form);
            let written = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
            match written {
                Ok(()) => answer(201, json!({ "file": file, "version": version(text.as_bytes()) })),
                Err(e) => refuse(
                    409,
                    &format!("the item could not be written ({e}); nothing was overwritten"),
                ),
            }
        }
        Some(file) => {
            let Some(path) = item_path(dir, &file) else {
                return refuse(400, "not an evidence item of this portfolio");
            };
            let bytes = match unchanged(&path, save.version.as_deref()) {
                Ok(b) => b,
                Err(a) => return a,
            };
            let text = match item_file::edit_item(&String::from_utf8_lossy(&bytes), &save.form) {
                Ok(t) => t,
                Err(e) => return refuse(422, &format!("this item cannot be saved from the form ({e})")),
            };
            match replace(&path, &text) {
                Ok(()) => answer(200, json!({ "file": file, "version": version(text.as_bytes()) })),
                Err(e) => refuse(
                    500,
                    &format!("the item could not be written ({e}); the file is as it was"),
                ),
            }
        }
    }
}

/// The kinds of file a learner may upload: photos, documents, recordings.
/// Nothing a computer would run (programs, scripts, web pages) is taken.
const UPLOADABLE: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "heic", "pdf", "doc", "docx", "odt", "rtf", "txt", "csv", "xls", "xlsx",
    "ods", "ppt", "pptx", "odp", "mp3", "m4a", "wav", "mp4", "mov", "webm",
];

/// `name` as a safe file name (letters, digits, `-`, `_`, one `.` before
/// the extension), or why it cannot be one.
fn upload_name(name: &str) -> Result<String, String> {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = name
        .rsplit_once('.')
        .ok_or("the file has no extension (.jpg, .pdf, …)")?;
    let ext = ext.to_ascii_lowercase();
    if !UPLOADABLE.contains(&ext.as_str()) {
        return Err(format!(
            "a .{ext} file cannot be attached; attach photos, documents or recordings ({})",
            UPLOADABLE.join(", ")
        ));
    }
    let mut safe = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            safe.push(c);
        } else if !safe.ends_with('-') {
            safe.push('-');
        }
        if safe.len() >= 80 {
            break;
        }
    }
    let safe = safe.trim_matches('-');
    let safe = if safe.is_empty() { "file" } else { safe };
    Ok(format!("{safe}.{ext}"))
}

/// `POST /api/attachments/NAME`: stores an uploaded file under
/// `attachments/`, by a safe version of its name, never over another file
/// (`photo-2.jpg`); says the path the item lists.
pub fn upload(dir: &Path, name: &str, bytes: &[u8]) -> Answer {
    let name = match upload_name(name) {
        Ok(n) => n,
        Err(why) => return refuse(415, &why),
    };
    if !dir.join("portfolio.toml").is_file() {
        return refuse(409, "start the portfolio first");
    }
    let folder = dir.join("attachments");
    if let Err(e) = std::fs::create_dir_all(&folder) {
        return refuse(500, &format!("cannot make attachments/: {e}"));
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
    for n in 1..=999 {
        let file = if n == 1 {
            name.clone()
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(folder.join(&file));
        match created {
            Ok(mut f) => {
                return match std::io::Write::write_all(&mut f, bytes) {
                    Ok(()) => answer(201, json!({ "path": format!("attachments/{file}") })),
                    Err(e) => {
                        drop(f);
                        let _ = std::fs::remove_file(folder.join(&file));
                        refuse(500, &format!("the file could not be stored: {e}"))
                    }
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return refuse(500, &format!("the file could not be stored: {e}")),
        }
    }
    refuse(409, "there are already 999 files of that name in attachments/")
}

/// `GET /api/reflection`: the reflective account's text and version.
pub fn reflection(dir: &Path) -> Answer {
    match std::fs::read(dir.join("reflection.md")) {
        Ok(bytes) => answer(
            200,
            json!({ "text": String::from_utf8_lossy(&bytes), "version": version(&bytes) }),
        ),
        Err(_) => answer(200, json!({ "text": "", "version": null })),
    }
}

#[derive(Debug, Deserialize)]
struct Reflection {
    text: String,
    /// The version the form was filled from; none when there was no file.
    version: Option<String>,
}

/// `POST /api/reflection`: saves the reflective account, unless the file
/// changed since the form was filled (409).
pub fn save_reflection(dir: &Path, body: &[u8]) -> Answer {
    let form: Reflection = match serde_json::from_slice(body) {
        Ok(f) => f,
        Err(e) => return refuse(400, &format!("the form could not be read: {e}")),
    };
    if !dir.join("portfolio.toml").is_file() {
        return refuse(409, "start the portfolio first");
    }
    let path = dir.join("reflection.md");
    let current = std::fs::read(&path).ok().map(|b| version(&b));
    if current != form.version {
        return refuse(
            409,
            "your reflective account was changed on disk since the form was opened; nothing was saved. Open it again to see the change",
        );
    }
    let mut text = form.text.replace("\r\n", "\n");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let tmp = dir.join(format!(".reflection.md.{}.tmp", std::process::id()));
    let written = std::fs::write(&tmp, &text).and_then(|()| std::fs::rename(&tmp, &path));
    match written {
        Ok(()) => answer(200, json!({ "version": version(text.as_bytes()) })),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            refuse(
                500,
                &format!("the reflective account could not be written ({e}); the file is as it was"),
            )
        }
    }
}

#[derive(Debug, Deserialize)]
struct Delete {
    file: String,
    version: String,
}

/// `POST /api/delete`: removes an item the form saw as it is now.
pub fn delete(dir: &Path, body: &[u8]) -> Answer {
    let delete: Delete = match serde_json::from_slice(body) {
        Ok(d) => d,
        Err(e) => return refuse(400, &format!("the request could not be read: {e}")),
    };
    let Some(path) = item_path(dir, &delete.file) else {
        return refuse(400, "not an evidence item of this portfolio");
    };
    if let Err(a) = unchanged(&path, Some(&delete.version)) {
        return a;
    }
    match std::fs::remove_file(&path) {
        Ok(()) => answer(200, json!({ "deleted": delete.file })),
        Err(e) => refuse(500, &format!("the item could not be deleted: {e}")),
    }
}

/// `POST /api/start`: writes a new portfolio's files, or says every field
/// to fix (422, each with its field).
pub fn start(dir: &Path, criteria_dir: Option<&Path>, body: &[u8]) -> Answer {
    let form: StartForm = match serde_json::from_slice(body) {
        Ok(f) => f,
        Err(e) => return refuse(400, &format!("the form could not be read: {e}")),
    };
    if dir.join("portfolio.toml").exists() {
        return refuse(409, "this folder already holds a portfolio");
    }
    let criteria = match criteria(criteria_dir) {
        Ok(c) => c,
        Err(a) => return a,
    };
    let files = match start::files(&criteria, &form) {
        Ok(f) => f,
        Err(errors) => {
            let list: Vec<_> = errors
                .iter()
                .map(|e| json!({ "field": e.field(), "message": e.to_string() }))
                .collect();
            return answer(422, json!({ "errors": list }));
        }
    };
    // portfolio.toml last: a folder is a portfolio only when all is there.
    let (toml, rest): (Vec<_>, Vec<_>) = files.into_iter().partition(|(p, _)| p == "portfolio.toml");
    for (rel, text) in rest.iter().chain(&toml) {
        let path = dir.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::OpenOptions::new().write(true).create_new(true).open(&path))
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
        match written {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return refuse(500, &format!("cannot write {rel}: {e}")),
        }
    }
    answer(201, json!({ "started": true }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str) -> ItemForm {
        ItemForm {
            title: title.into(),
            date: "2026-03-14".into(),
            method: "observation".into(),
            criteria: vec!["3.1".into()],
            narrative: "I told the customer who would call [[3.1]].".into(),
            ..ItemForm::default()
        }
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
