//! The assessor's view (`serve --key KEYFILE --as PRINCIPAL`): a small form
//! beside each item on the served page, and the `POST /decide` route that
//! records what it sends as a signed decision, exactly as `portfolio
//! assess` does (the same [`crate::decisions::sign`] functions). The key is
//! read once at start and never written or shown; a key with a passphrase
//! (and not in ssh-agent) is opened with the passphrase the form sends the
//! first time, then held decrypted in memory only until serve stops (the
//! passphrase itself is dropped at once, never stored or logged). The form
//! is put into the served copy only, so what `build` writes is unchanged.

use crate::date::Date;
use crate::decisions::keys;
use crate::decisions::sign::{Decide, SignError, Signer, signed_record, store};
use crate::render::html::markdown::escape;
use ssh_key::PrivateKey;
use std::fmt::Write as _;
use std::path::Path;
use std::path::PathBuf;
use std::sync::Mutex;

/// Who decides through the page, and in which role (no key: safe to log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The principal as in the centre's roster.
    pub by: String,
    /// `assessor` or `iqa`.
    pub role: String,
    /// The key has a passphrase that the page must ask for (the first time).
    pub passphrase: bool,
}

impl View {
    /// The decisions this role may record.
    pub fn choices(&self) -> &'static [&'static str] {
        if self.role == "iqa" {
            &["confirmed", "returned"]
        } else {
            &["accepted", "referred", "pending"]
        }
    }
}

/// The decider with the key, read once at start.
pub struct Assessor {
    pub view: View,
    path: PathBuf,
    key: Mutex<Key>,
}

/// The key, ready to sign, or waiting for its passphrase.
enum Key {
    Ready(Signer),
    Locked(Box<PrivateKey>),
}

impl std::fmt::Debug for Assessor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assessor")
            .field("view", &self.view)
            .field("key", &"(not shown)")
            .finish()
    }
}

impl Assessor {
    /// Reads the key: ready to sign (no passphrase, or held by ssh-agent),
    /// or locked until the page sends its passphrase.
    pub fn new(key_file: &Path, mut view: View) -> Result<Assessor, SignError> {
        let key = match keys::open(key_file, &mut || None) {
            Ok(signer) => Key::Ready(signer),
            Err(SignError::Encrypted(_)) => Key::Locked(Box::new(keys::read_key(key_file)?)),
            Err(e) => return Err(e),
        };
        view.passphrase = matches!(key, Key::Locked(_));
        Ok(Assessor {
            view,
            path: key_file.to_path_buf(),
            key: Mutex::new(key),
        })
    }

    /// The public key's SHA-256 fingerprint, to say whose key signs.
    pub fn fingerprint(&self) -> String {
        match &*self.key.lock().unwrap_or_else(std::sync::PoisonError::into_inner) {
            Key::Ready(s) => s.fingerprint(),
            Key::Locked(k) => k.public_key().fingerprint(ssh_key::HashAlg::Sha256).to_string(),
        }
    }

    /// The public half of the key: what the centre's roster must list.
    pub fn key_data(&self) -> ssh_key::public::KeyData {
        match &*self.key.lock().unwrap_or_else(std::sync::PoisonError::into_inner) {
            Key::Ready(s) => s.public_key().key_data().clone(),
            Key::Locked(k) => k.public_key().key_data().clone(),
        }
    }

    /// How it signs: "key file", "ssh-agent", …, or that it waits for a passphrase.
    pub fn how(&self) -> &'static str {
        match &*self.key.lock().unwrap_or_else(std::sync::PoisonError::into_inner) {
            Key::Ready(s) => s.how(),
            Key::Locked(_) => "key file with a passphrase, asked for in the page",
        }
    }

    /// Signs with the key, opening it first with `passphrase` if it is
    /// still locked; the passphrase is not kept.
    fn with_signer<T>(
        &self,
        passphrase: Option<&str>,
        f: impl FnOnce(&Signer) -> Result<T, SignError>,
    ) -> Result<T, SignError> {
        let mut key = self.key.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Key::Locked(locked) = &*key {
            let Some(passphrase) = passphrase.filter(|p| !p.is_empty()) else {
                return Err(SignError::Invalid(
                    "refused, nothing written: the key has a passphrase; type it in the Passphrase field (it is asked for once, and held in memory only until serve stops)".to_string(),
                ));
            };
            *key = Key::Ready(Signer::from(keys::decrypt(locked, passphrase, &self.path)?));
        }
        match &*key {
            Key::Ready(signer) => f(signer),
            Key::Locked(_) => Err(SignError::Invalid("the key is locked".to_string())),
        }
    }
}

/// One item's form: where it goes and what it offers.
#[derive(Debug, Clone, Copy)]
pub struct FormItem<'a> {
    /// The item's `<article>` id.
    pub anchor: &'a str,
    pub id: &'a str,
    /// The codes of the criteria the item is tagged with, as the grid
    /// shows them: a checkbox each, to decide some of them only.
    pub criteria: &'a [String],
}

/// Puts a decision form before the end of each item's `<article>` in `html`
/// (found by its anchor); items are in page order, and those the templates
/// do not show are skipped.
pub fn inject_forms(html: &str, items: &[FormItem<'_>], view: &View) -> String {
    inject_forms_to(html, items, view, "/decide")
}

/// [`inject_forms`], the forms posting to `action` (a cohort learner's
/// `/l/FOLDER/decide`).
pub fn inject_forms_to(html: &str, items: &[FormItem<'_>], view: &View, action: &str) -> String {
    let mut out = String::with_capacity(html.len() + items.len() * 900);
    let mut rest = html;
    for item in items {
        let (anchor, id) = (item.anchor, item.id);
        let open = format!("<article class=\"item\" id=\"{}\"", escape(anchor));
        let Some(start) = rest.find(&open) else { continue };
        let Some(end) = rest[start..].find("</article>").map(|e| start + e) else {
            continue;
        };
        out.push_str(&rest[..end]);
        out.push_str(&form(anchor, id, item.criteria, view, action));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The words on a decision's radio button: "Accept" for `accepted`.
fn choice_label(choice: &str) -> &'static str {
    match choice {
        "accepted" => "Accept",
        "referred" => "Refer",
        "pending" => "Pending",
        "confirmed" => "Confirm",
        _ => "Return",
    }
}

/// One item's decision form, posting to `action` (`/decide`, or a cohort
/// learner's `/l/FOLDER/decide`); it also works without script (the
/// browser posts it and shows what the server said).
pub fn form(anchor: &str, id: &str, criteria: &[String], view: &View, action: &str) -> String {
    let id = escape(id);
    let anchor = escape(anchor);
    let mut out = format!(
        "<form class=\"serve-decide\" method=\"post\" action=\"{}\" aria-labelledby=\"{anchor}-decide\">\n\
         <h4 id=\"{anchor}-decide\">Your decision on <code>{id}</code> <span class=\"serve-as\">({} as {})</span></h4>\n\
         <input type=\"hidden\" name=\"item\" value=\"{id}\">\n<fieldset><legend>Decision</legend>\n",
        escape(action),
        escape(&view.role),
        escape(&view.by)
    );
    for choice in view.choices() {
        let _ = writeln!(
            out,
            "<label><input type=\"radio\" name=\"decision\" value=\"{choice}\" required> {}</label>",
            choice_label(choice)
        );
    }
    // An assessor may decide some criteria only: none ticked is the whole item.
    if view.role == "assessor" && !criteria.is_empty() {
        let _ = writeln!(
            out,
            "<fieldset class=\"serve-criteria\" aria-describedby=\"{anchor}-criteria-note\"><legend>For criteria</legend>\n\
             <p id=\"{anchor}-criteria-note\" class=\"serve-note\">Tick the criteria this decision is for; tick none to decide the whole item.</p>"
        );
        for code in criteria {
            let code = escape(code);
            let _ = writeln!(
                out,
                "<label><input type=\"checkbox\" name=\"criterion\" value=\"{code}\"> {code}</label>"
            );
        }
        out.push_str("</fieldset>\n");
    }
    if view.passphrase {
        let _ = write!(
            out,
            "<label for=\"{anchor}-passphrase\">Passphrase</label>\n\
             <input type=\"password\" id=\"{anchor}-passphrase\" name=\"passphrase\" autocomplete=\"off\" aria-describedby=\"{anchor}-passphrase-note\">\n\
             <p id=\"{anchor}-passphrase-note\" class=\"serve-note\">Your key's passphrase, needed the first time you sign; held in memory only until serve stops, never written.</p>\n"
        );
    }
    let _ = write!(
        out,
        "<label for=\"{anchor}-feedback\">Feedback</label>\n\
         <textarea id=\"{anchor}-feedback\" name=\"feedback\" rows=\"3\"></textarea>\n\
         <button type=\"submit\">Sign and record</button> <span class=\"serve-decide-result\" role=\"status\"></span>\n</fieldset>\n</form>\n"
    );
    out
}

/// A decision as the form sends it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Form {
    pub item: String,
    pub decision: String,
    pub feedback: Option<String>,
    /// The criteria ticked (none: the whole item).
    pub criteria: Vec<String>,
    /// The key's passphrase, when the page asks for it (never kept, never shown).
    pub passphrase: Option<Secret>,
}

/// A passphrase: its `Debug` never shows it.
#[derive(PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("(not shown)")
    }
}

/// Reads an `application/x-www-form-urlencoded` body; `None` when it is
/// too long, not UTF-8, or lacks the item or the decision.
pub fn parse_form(body: &[u8]) -> Option<Form> {
    let body = std::str::from_utf8(body).ok()?;
    let mut form = Form::default();
    for pair in body.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = super::route::percent_decode(&value.replace('+', " "))?;
        match key {
            "item" => form.item = value,
            "decision" => form.decision = value,
            "feedback" => form.feedback = Some(value).filter(|f| !f.trim().is_empty()),
            // Bounded by the body's limit; more than any item has is refused.
            "criterion" if form.criteria.len() < 256 => form.criteria.push(value),
            "criterion" => return None,
            "passphrase" => form.passphrase = Some(Secret(value)).filter(|p| !p.0.is_empty()),
            _ => {}
        }
    }
    (!form.item.is_empty() && !form.decision.is_empty()).then_some(form)
}

/// Answers `POST /decide` with its status and what to say: signs and
/// stores the decision `body` (the form, already read within the route's
/// limit by the gate); the watcher then sees the new file under
/// `assessment/` and every open page updates.
pub fn answer(
    body: &[u8],
    dir: &Path,
    criteria: Option<&Path>,
    signers: Option<&Path>,
    who: &Assessor,
) -> (u16, String) {
    match parse_form(body) {
        None => (400, "refused: the form needs an item and a decision\n".to_string()),
        Some(form) => match record(dir, criteria, signers, who, form) {
            Ok(said) => (200, said),
            Err(e) => (422, format!("{e}\n")),
        },
    }
}

/// Signs `form` as `who` today and stores it; says what was recorded. The
/// same refusals as `portfolio assess` (a decision that could never count
/// is not written), the roster's included when serve was given one.
fn record(
    dir: &Path,
    criteria: Option<&Path>,
    signers: Option<&Path>,
    who: &Assessor,
    form: Form,
) -> Result<String, SignError> {
    let criteria = crate::pipeline::criteria(criteria).map_err(|e| SignError::Invalid(e.to_string()))?;
    let portfolio = crate::evidence::load_portfolio(dir, &criteria)
        .map_err(|e| SignError::Invalid(format!("cannot read the portfolio {}: {e}", dir.display())))?;
    let roster = signers
        .map(crate::decisions::signers::Signers::read)
        .transpose()
        .map_err(|e| SignError::Invalid(e.to_string()))?;
    let today = Date::today();
    let decide = Decide {
        item: form.item,
        role: who.view.role.clone(),
        decision: form.decision,
        by: who.view.by.clone(),
        date: today,
        feedback: form.feedback,
        criteria: form.criteria,
    };
    let passphrase = form.passphrase;
    let record = who.with_signer(passphrase.as_ref().map(|p| p.0.as_str()), |signer| {
        signed_record(&portfolio, &criteria, &decide, signer, roster.as_ref(), today)
    })?;
    let path = store(dir, &record)?;
    Ok(format!(
        "Recorded: {} {} {} by {} on {} ({}).\n",
        record.item,
        record.role,
        record.decision,
        record.by,
        record.date,
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_plus_and_percent_and_need_item_and_decision() {
        assert_eq!(
            parse_form(b"item=01-a&decision=referred&feedback=Say+more%3A+why%3F"),
            Some(Form {
                item: "01-a".into(),
                decision: "referred".into(),
                feedback: Some("Say more: why?".into()),
                criteria: Vec::new(),
                passphrase: None,
            })
        );
        assert_eq!(
            parse_form(b"item=01-a&decision=accepted&feedback=+").map(|f| f.feedback),
            Some(None)
        );
        assert_eq!(parse_form(b"item=01-a"), None);
        assert_eq!(parse_form(b"decision=accepted"), None);
        assert_eq!(parse_form(b"item=%zz&decision=accepted"), None);
        assert_eq!(parse_form(b"\xff"), None);
    }

    #[test]
    fn a_form_goes_inside_each_shown_item_and_nowhere_else() {
        let view = View {
            by: "j@c".into(),
            role: "assessor".into(),
            passphrase: false,
        };
        let html = "<main><article class=\"item\" id=\"item-a\"><h3>A</h3></article>\n\
                    <article class=\"item\" id=\"item-b\"><h3>B</h3></article></main>";
        let codes = ["3.1".to_string(), "3.5".to_string()];
        let at = |anchor, id| FormItem {
            anchor,
            id,
            criteria: &codes,
        };
        let page = inject_forms(
            html,
            &[at("item-a", "a"), at("item-gone", "g"), at("item-b", "b<")],
            &view,
        );
        assert_eq!(page.matches("<form class=\"serve-decide\"").count(), 2, "{page}");
        let a = page.find("value=\"a\"").unwrap();
        assert!(a < page.find("</article>").unwrap());
        assert!(page.contains("value=\"b&lt;\""), "ids are escaped: {page}");
        assert!(page.find("value=\"b&lt;\"").unwrap() > page.find("<h3>B</h3>").unwrap());
        assert!(!page.contains("value=\"g\""));
        assert!(page.contains("(assessor as j@c)"));
        assert!(page.contains("<legend>Decision</legend>"));
        assert!(page.contains("value=\"accepted\" required> Accept</label>"));
        assert_eq!(page.matches("name=\"criterion\" value=\"3.5\"> 3.5</label>").count(), 2);
        assert!(page.contains(">Feedback</label>"));
        assert_eq!(inject_forms(html, &[], &view), html);
        assert!(page.contains("method=\"post\" action=\"/decide\""));
    }

    #[test]
    fn the_form_refuses_what_assess_refuses_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("portfolio.toml"),
            "[learner]\nname = \"Amira Khan\"\nid = \"L-1\"\n\n[assessor]\nname = \"J. Patel\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("evidence")).unwrap();
        std::fs::write(
            root.join("evidence/obs.md"),
            "+++\ntitle = \"Observation\"\ndate = 2026-03-03\nmethod = \"observation\"\ncriteria = [\"1.1\"]\n+++\nI handed over a case.\n",
        )
        .unwrap();
        let key = ssh_key::PrivateKey::from(ssh_key::private::Ed25519Keypair::from_seed(&[5; 32]));
        let key_file = root.join("key");
        key.write_openssh_file(&key_file, ssh_key::LineEnding::LF).unwrap();
        // The IQA's role only, in the centre's roster.
        let roster = root.join("allowed_signers");
        std::fs::write(
            &roster,
            format!(
                "j.patel@c.example namespaces=\"portfolio-iqa\" {}\n",
                key.public_key().to_openssh().unwrap()
            ),
        )
        .unwrap();
        let who = |by: &str| {
            Assessor::new(
                &key_file,
                View {
                    by: by.into(),
                    role: "assessor".into(),
                    passphrase: false,
                },
            )
            .unwrap()
        };
        let form = |item: &str| Form {
            item: item.into(),
            decision: "accepted".into(),
            feedback: None,
            criteria: Vec::new(),
            passphrase: None,
        };
        let cases = [
            (who("amira.khan@c.example"), form("obs"), None, "is the learner"),
            (
                who("s.jones@c.example"),
                form("obs"),
                None,
                "not an assessor of this learner",
            ),
            (who("j.patel@c.example"), form("ob"), None, "did you mean `obs`"),
            (
                who("j.patel@c.example"),
                form("obs"),
                Some(roster.as_path()),
                "sign as assessor",
            ),
        ];
        for (who, form, signers, says) in cases {
            let err = record(root, None, signers, &who, form).unwrap_err().to_string();
            assert!(err.contains(says), "{err}");
            assert!(!root.join("assessment").exists(), "{says}: something was written");
        }
    }

    #[test]
    fn each_role_is_offered_its_own_decisions() {
        let view = |role: &str| View {
            by: "a@b".into(),
            role: role.into(),
            passphrase: false,
        };
        assert_eq!(view("assessor").choices(), ["accepted", "referred", "pending"]);
        assert_eq!(view("iqa").choices(), ["confirmed", "returned"]);
    }
}
