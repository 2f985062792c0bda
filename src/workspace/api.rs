//! The workspace's answers: what the learner's forms ask for and save
//! (`/api/options`, `/api/items`, `/api/delete`, `/api/start`,
//! `/api/attachments/NAME`, `/api/reflection`), over any [`Store`] of the
//! portfolio's files. `serve` answers them over the folder on disk (behind
//! its gate); the browser's engine over the files it holds. The text of
//! every file comes from [`super::item_file`] and [`super::start`]; here
//! are the rules of writing:
//!
//! - only `evidence/*.md` files, named as the engine names them, are read,
//!   written or deleted; a name with a folder, `..` or another extension is
//!   refused;
//! - a new item never overwrites a file ([`Store::create`]); an edit or a
//!   delete names the version (SHA-256) of the file the form was filled
//!   from, and a file changed meanwhile is refused with 409, never silently
//!   overwritten;
//! - a file is replaced as one step ([`Store::replace`]);
//! - uploads get a safe name of a kind nothing runs, never over another.
//!
//! Each answer is a status and a JSON body.

use super::item_file::{self, ItemForm};
use super::start::{self, StartForm};
use crate::criteria::Criteria;
use crate::evidence::Portfolio;
use serde::Deserialize;
use serde_json::json;

/// A status and the JSON said with it.
pub type Answer = (u16, String);

/// A portfolio's files as the workspace writes them, by `/`-separated path
/// relative to the portfolio folder. The paths given are always ones this
/// module has checked (`evidence/NAME.md`, `attachments/NAME.EXT`,
/// `reflection.md`, and what "Start a portfolio" writes).
pub trait Store {
    /// The file's bytes, or `None` when there is no file.
    fn read(&self, path: &str) -> Option<Vec<u8>>;
    /// The names of the files directly in `folder`.
    fn names(&self, folder: &str) -> Vec<String>;
    /// Writes a new file (its folder made as needed); an
    /// [`std::io::ErrorKind::AlreadyExists`] error when there is one.
    fn create(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Replaces (or makes) the file as one step: a reader sees the old
    /// bytes or the new, never part of them.
    fn replace(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Removes the file.
    fn remove(&mut self, path: &str) -> std::io::Result<()>;
    /// Whether there is a file at `path`.
    fn is_file(&self, path: &str) -> bool {
        self.read(path).is_some()
    }
}

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
pub fn item_path(file: &str) -> Option<&str> {
    let name = file.strip_prefix("evidence/")?;
    let stem = name.strip_suffix(".md")?;
    let plain = !stem.is_empty()
        && !stem.starts_with('.')
        && stem.len() <= 120
        && stem.chars().all(|c| c.is_alphanumeric() || "-_. ".contains(c));
    plain.then_some(file)
}

const STARTED: &str = "portfolio.toml";

/// `GET /api/options`: what the item form offers, the items the forms can
/// open, and the upload limit (said before an upload, not after).
/// `portfolio`: the portfolio as read now, when it can be.
pub fn options(store: &dyn Store, criteria: &Criteria, portfolio: Option<&Portfolio>, upload_limit: u64) -> Answer {
    let options = super::options::options(criteria, portfolio);
    // The items the forms can open: those in evidence/ itself.
    let mut items: Vec<_> = portfolio
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| {
            let file = i.path.to_string_lossy().replace('\\', "/");
            item_path(&file).map(|_| json!({ "id": i.id, "file": file, "title": i.title }))
        })
        .collect();
    // And those the check could not read (a key it does not know, a
    // missing field): the form may still open them, to mend them.
    let listed: Vec<String> = items
        .iter()
        .filter_map(|i| i["file"].as_str().map(String::from))
        .collect();
    let mut unread: Vec<String> = store
        .names("evidence")
        .into_iter()
        .map(|name| format!("evidence/{name}"))
        .filter(|f| item_path(f).is_some() && !listed.contains(f))
        .take(crate::evidence::MAX_ITEMS)
        .collect();
    unread.sort();
    for file in unread {
        let name = file.trim_start_matches("evidence/").trim_end_matches(".md").to_string();
        // Its title when the form can read it, else its file's name.
        let title = store
            .read(&file)
            .filter(|b| b.len() as u64 <= crate::evidence::MAX_ITEM_BYTES)
            .and_then(|b| item_file::read_item(&String::from_utf8_lossy(&b)).ok())
            .map(|f| f.title)
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| name.clone());
        items.push(json!({ "id": name, "file": file, "title": title, "unread": true }));
    }
    answer(
        200,
        json!({
            "started": store.is_file(STARTED),
            "options": options,
            "items": items,
            "upload_limit_bytes": upload_limit,
            "uploadable": UPLOADABLE,
        }),
    )
}

/// `GET /api/items/evidence/NAME.md`: the form for one item, and its version.
pub fn item(store: &dyn Store, file: &str) -> Answer {
    let Some(path) = item_path(file) else {
        return refuse(400, "not an evidence item of this portfolio");
    };
    let Some(bytes) = store.read(path) else {
        return refuse(404, "there is no such item (was it renamed or deleted?)");
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

/// The current bytes of `path` when they are `expected`'s version.
fn unchanged(store: &dyn Store, path: &str, expected: Option<&str>) -> Result<Vec<u8>, Answer> {
    let bytes = store
        .read(path)
        .ok_or_else(|| refuse(404, "there is no such item (was it renamed or deleted?)"))?;
    if expected != Some(version(&bytes).as_str()) {
        return Err(refuse(
            409,
            "this item was changed on disk since the form was opened; nothing was saved. Open it again to see the change",
        ));
    }
    Ok(bytes)
}

/// `POST /api/items`: saves a new item, or an edit of one.
pub fn save(store: &mut dyn Store, body: &[u8]) -> Answer {
    let save: Save = match serde_json::from_slice(body) {
        Ok(s) => s,
        Err(e) => return refuse(400, &format!("the form could not be read: {e}")),
    };
    if !store.is_file(STARTED) {
        return refuse(409, "start the portfolio first");
    }
    match save.file {
        None => {
            let names = store.names("evidence");
            let file = item_file::new_file_name(names.iter().map(String::as_str), &save.form.title);
            if item_path(&file).is_none() {
                return refuse(500, "no file name could be made for this item");
            }
            let text = item_file::new_item(&save.form);
            match store.create(&file, text.as_bytes()) {
                Ok(()) => answer(201, json!({ "file": file, "version": version(text.as_bytes()) })),
                Err(e) => refuse(
                    409,
                    &format!("the item could not be written ({e}); nothing was overwritten"),
                ),
            }
        }
        Some(file) => {
            let Some(path) = item_path(&file) else {
                return refuse(400, "not an evidence item of this portfolio");
            };
            let bytes = match unchanged(store, path, save.version.as_deref()) {
                Ok(b) => b,
                Err(a) => return a,
            };
            let text = match item_file::edit_item(&String::from_utf8_lossy(&bytes), &save.form) {
                Ok(t) => t,
                Err(e) => return refuse(422, &format!("this item cannot be saved from the form ({e})")),
            };
            match store.replace(path, text.as_bytes()) {
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
pub const UPLOADABLE: &[&str] = &[
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

/// The most files of one name (`photo.jpg`, `photo-2.jpg`, …).
const MAX_SAME_NAME: usize = 999;

/// `POST /api/attachments/NAME`: stores an uploaded file under
/// `attachments/`, by a safe version of its name, never over another file
/// (`photo-2.jpg`); says the path the item lists.
pub fn upload(store: &mut dyn Store, name: &str, bytes: &[u8]) -> Answer {
    let name = match upload_name(name) {
        Ok(n) => n,
        Err(why) => return refuse(415, &why),
    };
    if !store.is_file(STARTED) {
        return refuse(409, "start the portfolio first");
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
    for n in 1..=MAX_SAME_NAME {
        let path = if n == 1 {
            format!("attachments/{name}")
        } else {
            format!("attachments/{stem}-{n}.{ext}")
        };
        match store.create(&path, bytes) {
            Ok(()) => return answer(201, json!({ "path": path })),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return refuse(500, &format!("the file could not be stored: {e}")),
        }
    }
    refuse(409, "there are already 999 files of that name in attachments/")
}

/// `GET /api/reflection`: the reflective account's text and version.
pub fn reflection(store: &dyn Store) -> Answer {
    match store.read("reflection.md") {
        Some(bytes) => answer(
            200,
            json!({ "text": String::from_utf8_lossy(&bytes), "version": version(&bytes) }),
        ),
        None => answer(200, json!({ "text": "", "version": null })),
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
pub fn save_reflection(store: &mut dyn Store, body: &[u8]) -> Answer {
    let form: Reflection = match serde_json::from_slice(body) {
        Ok(f) => f,
        Err(e) => return refuse(400, &format!("the form could not be read: {e}")),
    };
    if !store.is_file(STARTED) {
        return refuse(409, "start the portfolio first");
    }
    let current = store.read("reflection.md").map(|b| version(&b));
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
    match store.replace("reflection.md", text.as_bytes()) {
        Ok(()) => answer(200, json!({ "version": version(text.as_bytes()) })),
        Err(e) => refuse(
            500,
            &format!("the reflective account could not be written ({e}); the file is as it was"),
        ),
    }
}

#[derive(Debug, Deserialize)]
struct Delete {
    file: String,
    version: String,
}

/// `POST /api/delete`: removes an item the form saw as it is now.
pub fn delete(store: &mut dyn Store, body: &[u8]) -> Answer {
    let delete: Delete = match serde_json::from_slice(body) {
        Ok(d) => d,
        Err(e) => return refuse(400, &format!("the request could not be read: {e}")),
    };
    let Some(path) = item_path(&delete.file) else {
        return refuse(400, "not an evidence item of this portfolio");
    };
    if let Err(a) = unchanged(store, path, Some(&delete.version)) {
        return a;
    }
    match store.remove(path) {
        Ok(()) => answer(200, json!({ "deleted": delete.file })),
        Err(e) => refuse(500, &format!("the item could not be deleted: {e}")),
    }
}

/// `POST /api/start`: writes a new portfolio's files, or says every field
/// to fix (422, each with its field).
pub fn start(store: &mut dyn Store, criteria: &Criteria, body: &[u8]) -> Answer {
    let form: StartForm = match serde_json::from_slice(body) {
        Ok(f) => f,
        Err(e) => return refuse(400, &format!("the form could not be read: {e}")),
    };
    if store.is_file(STARTED) {
        return refuse(409, "this folder already holds a portfolio");
    }
    let files = match start::files(criteria, &form) {
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
    let (toml, rest): (Vec<_>, Vec<_>) = files.into_iter().partition(|(p, _)| p == STARTED);
    for (rel, text) in rest.iter().chain(&toml) {
        match store.create(rel, text.as_bytes()) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return refuse(500, &format!("cannot write {rel}: {e}")),
        }
    }
    answer(201, json!({ "started": true }))
}

/// Files in memory, as the browser holds them: a [`Store`] for the engine
/// in the page and for tests.
impl Store for std::collections::BTreeMap<String, Vec<u8>> {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        self.get(path).cloned()
    }
    fn names(&self, folder: &str) -> Vec<String> {
        let prefix = format!("{folder}/");
        self.range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .filter_map(|(p, _)| p.strip_prefix(&prefix))
            .filter(|rest| !rest.contains('/'))
            .map(str::to_string)
            .collect()
    }
    fn create(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        if self.contains_key(path) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("{path} already exists"),
            ));
        }
        self.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
    fn replace(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
    fn remove(&mut self, path: &str) -> std::io::Result<()> {
        match std::collections::BTreeMap::remove(self, path) {
            Some(_) => Ok(()),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("there is no {path}"),
            )),
        }
    }
    fn is_file(&self, path: &str) -> bool {
        self.contains_key(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn form(title: &str) -> ItemForm {
        ItemForm::example(title)
    }

    fn started() -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        let criteria = crate::criteria::load_criteria(None).unwrap();
        let body = json!({ "name": "Amira Khan", "reference": "L-1", "centre": "Northgate", "assessor": "J. Patel" });
        assert_eq!(start(&mut files, &criteria, body.to_string().as_bytes()).0, 201);
        files
    }

    #[test]
    fn in_memory_start_then_save_then_edit_then_delete() {
        let mut files = started();
        let (status, said) = save(&mut files, json!({ "form": form("Late shift") }).to_string().as_bytes());
        assert_eq!(status, 201, "{said}");
        assert!(files.contains_key("evidence/01-late-shift.md"));
        let (_, said) = item(&files, "evidence/01-late-shift.md");
        let got: serde_json::Value = serde_json::from_str(&said).unwrap();
        let body = json!({ "file": "evidence/01-late-shift.md", "version": got["version"], "form": form("Edited") });
        assert_eq!(save(&mut files, body.to_string().as_bytes()).0, 200);
        // The version the form held is old now.
        assert_eq!(save(&mut files, body.to_string().as_bytes()).0, 409);
        let (_, said) = item(&files, "evidence/01-late-shift.md");
        let got: serde_json::Value = serde_json::from_str(&said).unwrap();
        let body = json!({ "file": "evidence/01-late-shift.md", "version": got["version"] });
        assert_eq!(delete(&mut files, body.to_string().as_bytes()).0, 200);
        assert!(!files.contains_key("evidence/01-late-shift.md"));
    }

    #[test]
    fn in_memory_uploads_never_overwrite() {
        let mut files = started();
        assert!(upload(&mut files, "a b.JPG", b"one").1.contains("attachments/a-b.jpg"));
        assert!(
            upload(&mut files, "a b.JPG", b"two")
                .1
                .contains("attachments/a-b-2.jpg")
        );
        assert_eq!(files["attachments/a-b.jpg"], b"one");
        assert_eq!(upload(&mut files, "x.exe", b"x").0, 415);
    }

    #[test]
    fn names_are_those_directly_in_the_folder() {
        let mut files = BTreeMap::new();
        for p in ["evidence/a.md", "evidence/sub/b.md", "evidencex/c.md", "evidence/d.md"] {
            files.insert(p.to_string(), Vec::new());
        }
        assert_eq!(Store::names(&files, "evidence"), ["a.md", "d.md"]);
    }
}
