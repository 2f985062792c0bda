//! What a request may reach: the route table ([`Route::find`]: each path
//! and the methods it takes), a cohort's learner paths (`/l/FOLDER/…`), the
//! largest body each route reads, and the clean path a request target must
//! decode to. Nothing here knows who asks: [`super::guard::check`] asks
//! that first, and turns what is refused here into its refusals.

use super::limits::LIMITS;
use hyper::http::Method;

/// Why a clean path reaches no route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoRoute {
    /// No such route (404).
    NotFound,
    /// The route exists, not with this method (405).
    WrongMethod,
}

/// What a request may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `GET /`: the page.
    Page,
    /// `GET /live.js`: the page's live-update script.
    Script,
    /// `GET /workspace.js`: the learner's forms.
    WorkspaceScript,
    /// `GET /events`: the live-update stream.
    Events,
    /// `GET /attachments/REL`: an attached file (`attachments/REL`).
    Attachment(String),
    /// `POST /decide`: the assessor's decision.
    Decide,
    /// `GET /favicon.ico`, which browsers ask for by themselves: no icon.
    Icon,
    /// `GET /api/options`: what the learner's item form offers.
    Options,
    /// `GET /api/items/evidence/NAME.md`: one item's form.
    Item(String),
    /// `POST /api/items`: save a new item or an edit.
    Save,
    /// `POST /api/delete`: delete an item.
    Delete,
    /// `POST /api/start`: start a portfolio in an empty folder.
    Start,
    /// `POST /api/attachments/NAME`: upload a photo or document (the body
    /// is the file's bytes).
    Upload(String),
    /// `GET` or `POST /api/reflection`: the reflective account.
    Reflection,
    /// `serve COHORT`: one learner's part, under `/l/FOLDER/`. FOLDER is
    /// one path segment, as the request gave it: the server looks it up
    /// among the folders it discovered, never joins it to a path.
    Learner(String, LearnerPart),
    /// `GET /sample`: the IQA's sample of a cohort, live.
    Sample,
    /// `GET /caseload.js`: the caseload's sorting and filtering.
    CaseloadScript,
}

/// What a cohort's learner path reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LearnerPart {
    /// `GET /l/FOLDER/`: the learner's portfolio.
    Page,
    /// `POST /l/FOLDER/decide`: a decision on one of their items.
    Decide,
    /// `GET /l/FOLDER/attachments/REL`: a file their items attach.
    Attachment(String),
}

impl Route {
    /// The route for `method` and a clean `path`.
    pub fn find(method: &Method, path: &str) -> Result<Route, NoRoute> {
        let read = method == Method::GET || method == Method::HEAD;
        let route = match path {
            "/" => Route::Page,
            "/live.js" => Route::Script,
            "/workspace.js" => Route::WorkspaceScript,
            "/events" => Route::Events,
            "/decide" => Route::Decide,
            "/favicon.ico" => Route::Icon,
            "/api/options" => Route::Options,
            "/api/items" => Route::Save,
            "/api/delete" => Route::Delete,
            "/api/start" => Route::Start,
            "/api/reflection" => Route::Reflection,
            "/sample" => Route::Sample,
            "/caseload.js" => Route::CaseloadScript,
            _ if path.starts_with("/l/") => Route::learner(&path[3..])?,
            _ => match (path.strip_prefix("/attachments/"), path.strip_prefix("/api/items/")) {
                (Some(rel), _) if !rel.is_empty() => Route::Attachment(format!("attachments/{rel}")),
                (_, Some(file)) if !file.is_empty() => Route::Item(file.to_string()),
                _ => match path.strip_prefix("/api/attachments/") {
                    Some(name) if !name.is_empty() && !name.contains('/') => Route::Upload(name.to_string()),
                    _ => return Err(NoRoute::NotFound),
                },
            },
        };
        let allowed = match route {
            Route::Decide
            | Route::Save
            | Route::Delete
            | Route::Start
            | Route::Upload(_)
            | Route::Learner(_, LearnerPart::Decide) => method == Method::POST,
            Route::Reflection => read || method == Method::POST,
            Route::Events => method == Method::GET,
            _ => read,
        };
        if allowed { Ok(route) } else { Err(NoRoute::WrongMethod) }
    }

    /// `FOLDER/REST` after `/l/`: the folder (one non-empty segment) and
    /// what under it.
    fn learner(rest: &str) -> Result<Route, NoRoute> {
        let (folder, part) = rest.split_once('/').ok_or(NoRoute::NotFound)?;
        if folder.is_empty() {
            return Err(NoRoute::NotFound);
        }
        let part = match part {
            "" => LearnerPart::Page,
            "decide" => LearnerPart::Decide,
            _ => match part.strip_prefix("attachments/") {
                Some(rel) if !rel.is_empty() => LearnerPart::Attachment(format!("attachments/{rel}")),
                _ => return Err(NoRoute::NotFound),
            },
        };
        Ok(Route::Learner(folder.to_string(), part))
    }

    /// The largest body this route reads, in bytes.
    pub fn body_limit(&self) -> u64 {
        match self {
            Route::Decide | Route::Delete | Route::Start | Route::Learner(_, LearnerPart::Decide) => LIMITS.form_bytes,
            Route::Save | Route::Reflection => LIMITS.item_bytes,
            Route::Upload(_) => LIMITS.upload_bytes,
            _ => 0,
        }
    }
}

/// The request target's path, percent-decoded, without the query; `None`
/// when it is not absolute, does not decode to UTF-8, holds a NUL or a
/// backslash, or has a `.` or `..` segment, before or after decoding.
pub fn clean_path(target: &str) -> Option<String> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(raw)?;
    for path in [raw, decoded.as_str()] {
        if path.contains(['\\', '\0']) || path.split('/').any(|s| s == ".." || s == ".") {
            return None;
        }
    }
    Some(decoded)
}

/// `s` with its `%XX` escapes decoded; `None` when an escape is broken or
/// the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_take_their_methods_only() {
        assert_eq!(Route::find(&Method::GET, "/"), Ok(Route::Page));
        assert_eq!(Route::find(&Method::POST, "/decide"), Ok(Route::Decide));
        assert_eq!(Route::find(&Method::GET, "/decide"), Err(NoRoute::WrongMethod));
        assert_eq!(Route::find(&Method::GET, "/nothing"), Err(NoRoute::NotFound));
        assert_eq!(
            Route::find(&Method::GET, "/l/ben/attachments/a.png"),
            Ok(Route::Learner(
                "ben".into(),
                LearnerPart::Attachment("attachments/a.png".into())
            ))
        );
        assert_eq!(Route::find(&Method::GET, "/l//"), Err(NoRoute::NotFound));
        assert_eq!(
            Route::find(&Method::GET, "/api/attachments/a/b"),
            Err(NoRoute::NotFound)
        );
    }

    #[test]
    fn paths_cannot_climb_out() {
        assert_eq!(clean_path("/").as_deref(), Some("/"));
        assert_eq!(clean_path("/?live=1").as_deref(), Some("/"));
        assert_eq!(
            clean_path("/attachments/a%20b.png").as_deref(),
            Some("/attachments/a b.png")
        );
        for bad in [
            "/../etc/passwd",
            "/attachments/../../x",
            "/attachments/%2e%2e/%2e%2e/x",
            "/attachments/%2E%2E%2Fx",
            "/a/./b",
            "/a%5c..%5cb",
            "/a%00",
            "/a%zz",
            "/%ff",
            "relative",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        /// Whatever the request target, an accepted path is absolute and
        /// has no `.` or `..` segment, backslash or NUL once decoded.
        #[test]
        fn accepted_paths_never_climb(target in "(/|%2[eEfF]|%5[cC]|\\.|[a-z]|%00|\\\\){0,12}") {
            if let Some(path) = clean_path(&target) {
                proptest::prop_assert!(path.starts_with('/'));
                proptest::prop_assert!(!path.contains(['\\', '\0']));
                proptest::prop_assert!(path.split('/').all(|s| s != ".." && s != "."), "{}", path);
            }
        }
    }
}
