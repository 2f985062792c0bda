//! An evidence item as the workspace's form shows it, and the Markdown file
//! it is saved as: a new file written as a learner would by hand, or an
//! existing file edited so that only what the form changed changes.
//! `toml_edit` keeps comments, keys the form does not show, their order and
//! layout; a value the form left as it was is not rewritten, and the
//! narrative keeps its bytes unless it was edited.

use serde::{Deserialize, Serialize};
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, TableLike, Value};

/// What the item form holds. Empty strings mean "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemForm {
    pub title: String,
    /// As `<input type="date">` gives it: `YYYY-MM-DD`.
    pub date: String,
    /// The method's id (`observation`, `witness-testimony`, …).
    pub method: String,
    /// Criterion codes as the unit writes them (`3.1`, `K4`).
    pub criteria: Vec<String>,
    pub narrative: String,
    pub occasion: String,
    pub attachments: Vec<String>,
    /// Where a document not attached is kept at work (`held_at`).
    pub held_at: String,
    pub witness: Option<WitnessForm>,
    pub handover: Option<HandoverForm>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WitnessForm {
    pub name: String,
    pub role: String,
    pub relationship: String,
    pub contact: String,
}

/// The handover record the unit asks for (SBAR, actions, reminder).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HandoverForm {
    /// Why it was handed over ("shift change").
    pub reason: String,
    /// Who took the handover over.
    pub to_name: String,
    pub to_role: String,
    pub situation: String,
    pub background: String,
    pub assessment: String,
    pub recommendation: String,
    /// How the information was passed on ("CRM note", "face to face").
    pub exchanged_by: Vec<String>,
    /// The receiver told back what they would do.
    pub receiver_confirmed: bool,
    /// What the customer was told, and by whom.
    pub customer_told: String,
    pub actions: Vec<ActionForm>,
    pub reminder_date: String,
    pub reminder_how: String,
    /// The completion check: when, and whether the action was done
    /// (`done`, `not done`, `partly done`; empty: no check yet).
    pub check_date: String,
    pub check_outcome: String,
    pub check_note: String,
    /// What was set in motion when the check found work not done.
    pub further_actions: Vec<ActionForm>,
    /// Feedback shared to improve handovers.
    pub feedback: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub action: String,
    pub owner: String,
    pub due: String,
}

/// Why a file could not be edited through the form.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    #[error("the file has no front matter between +++ lines: {0}")]
    NoFrontMatter(String),
    #[error("the front matter is not valid TOML, so the form cannot change it safely: {0}")]
    Toml(String),
}

/// A date field as TOML: a date literal when it is one, else the text as
/// written (the check then says what is wrong with it, in the learner's
/// terms), so nothing typed is lost.
fn date_value(text: &str) -> Value {
    let text = text.trim();
    match text.parse::<toml_edit::Datetime>() {
        Ok(d) if d.date.is_some() && d.time.is_none() => Value::from(d),
        _ => Value::from(text),
    }
}

fn string_array(items: &[String]) -> Value {
    let mut array = Array::new();
    for item in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        array.push(item);
    }
    Value::Array(array)
}

/// What `value` reads as, for comparing with the form: strings as they
/// are, dates as `YYYY-MM-DD`, arrays of strings as lists.
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.value().clone()),
        Value::Datetime(d) => Some(d.value().to_string()),
        _ => None,
    }
}

fn as_list(value: &Value) -> Option<Vec<String>> {
    value.as_array().map(|a| a.iter().filter_map(as_text).collect())
}

/// Sets `key` in `table` to `value` unless it already reads the same;
/// removes it when `value` is `None`. Untouched keys keep their layout and
/// comments.
fn set(table: &mut dyn TableLike, key: &str, value: Option<Value>) {
    match value {
        None => {
            table.remove(key);
        }
        Some(new) => {
            let same = table
                .get(key)
                .and_then(Item::as_value)
                .is_some_and(|old| match (&new, old) {
                    (Value::Array(_), old) => as_list(old) == as_list(&new),
                    (_, old) => as_text(old).is_some() && as_text(old) == as_text(&new),
                });
            if same {
                return;
            }
            match table.get_mut(key) {
                // Keep the comment or spacing around the old value.
                Some(Item::Value(old)) => {
                    let decor = old.decor().clone();
                    *old = new;
                    *old.decor_mut() = decor;
                }
                _ => {
                    table.insert(key, Item::Value(new));
                }
            }
        }
    }
}

/// Sets a boolean, keeping the old value's comment and spacing.
fn set_bool(table: &mut dyn TableLike, key: &str, value: bool) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = Value::from(value);
            *old.decor_mut() = decor;
        }
        _ => {
            table.insert(key, Item::Value(Value::from(value)));
        }
    }
}

fn text(s: &str) -> Option<Value> {
    let s = s.trim();
    (!s.is_empty()).then(|| Value::from(s))
}

fn date(s: &str) -> Option<Value> {
    (!s.trim().is_empty()).then(|| date_value(s))
}

/// The table at `key`, inline (`witness = { … }`) or not (`[witness]`),
/// made as `make` when missing.
fn table_at<'d>(
    parent: &'d mut dyn TableLike,
    key: &str,
    make: impl FnOnce() -> Item,
) -> Option<&'d mut dyn TableLike> {
    if parent.get(key).and_then(Item::as_table_like).is_none() {
        parent.insert(key, make());
    }
    parent.get_mut(key).and_then(Item::as_table_like_mut)
}

fn inline() -> Item {
    Item::Value(Value::InlineTable(InlineTable::new()))
}

fn write_witness(doc: &mut dyn TableLike, w: &WitnessForm) {
    let Some(t) = table_at(doc, "witness", inline) else {
        return;
    };
    set(t, "name", text(&w.name));
    set(t, "role", text(&w.role));
    set(t, "relationship", text(&w.relationship));
    set(t, "contact", text(&w.contact));
}

fn action_value(a: &ActionForm) -> Value {
    let mut t = InlineTable::new();
    t.insert("action", Value::from(a.action.trim()));
    if let Some(owner) = text(&a.owner) {
        t.insert("owner", owner);
    }
    if let Some(due) = date(&a.due) {
        t.insert("due", due);
    }
    Value::InlineTable(t)
}

/// The actions as an array of inline tables, one a line.
fn actions_value(actions: &[ActionForm]) -> Value {
    let mut array = Array::new();
    for a in actions.iter().filter(|a| !a.action.trim().is_empty()) {
        let mut v = action_value(a);
        v.decor_mut().set_prefix("\n  ");
        array.push_formatted(v);
    }
    array.set_trailing_comma(true);
    array.set_trailing("\n");
    Value::Array(array)
}

fn read_actions(value: Option<&Item>) -> Vec<ActionForm> {
    let Some(array) = value.and_then(Item::as_value).and_then(Value::as_array) else {
        return Vec::new();
    };
    array
        .iter()
        .filter_map(Value::as_inline_table)
        .map(|t| ActionForm {
            action: t.get("action").and_then(as_text).unwrap_or_default(),
            owner: t.get("owner").and_then(as_text).unwrap_or_default(),
            due: t.get("due").and_then(as_text).unwrap_or_default(),
        })
        .collect()
}

fn write_handover(doc: &mut dyn TableLike, h: &HandoverForm) {
    let Some(t) = table_at(doc, "handover", || Item::Table(Table::new())) else {
        return;
    };
    set(t, "reason", text(&h.reason));
    let to_given = !h.to_name.trim().is_empty() || !h.to_role.trim().is_empty();
    if (to_given || t.contains_key("to"))
        && let Some(to) = table_at(t, "to", inline)
    {
        set(to, "name", text(&h.to_name));
        set(to, "role", text(&h.to_role));
    }
    set(t, "situation", text(&h.situation));
    set(t, "background", text(&h.background));
    set(t, "assessment", text(&h.assessment));
    set(t, "recommendation", text(&h.recommendation));
    let exchanged = h.exchanged_by.iter().any(|e| !e.trim().is_empty());
    set(t, "exchanged_by", exchanged.then(|| string_array(&h.exchanged_by)));
    set(t, "customer_told", text(&h.customer_told));
    // Ticked: `true`; unticked: `false` only where the file said so before.
    let said = t
        .get("receiver_confirmed")
        .and_then(Item::as_value)
        .and_then(Value::as_bool);
    if said != Some(h.receiver_confirmed) && (h.receiver_confirmed || said.is_some()) {
        set_bool(t, "receiver_confirmed", h.receiver_confirmed);
    }
    write_actions(t, "actions", &h.actions);
    let reminder_given = !h.reminder_date.trim().is_empty() || !h.reminder_how.trim().is_empty();
    if (reminder_given || t.contains_key("reminder"))
        && let Some(r) = table_at(t, "reminder", inline)
    {
        set(r, "date", date(&h.reminder_date));
        set(r, "how", text(&h.reminder_how));
    }
    // A check needs its outcome (the engine refuses one without): none
    // given, the check goes.
    if h.check_outcome.trim().is_empty() {
        t.remove("check");
    } else if let Some(c) = table_at(t, "check", inline) {
        set(c, "date", date(&h.check_date));
        set(c, "outcome", text(&h.check_outcome));
        set(c, "note", text(&h.check_note));
    }
    write_actions(t, "further_actions", &h.further_actions);
    set(t, "feedback", text(&h.feedback));
}

/// The actions at `key` as the form has them, rewritten only when they
/// differ from the file's.
fn write_actions(t: &mut dyn TableLike, key: &str, actions: &[ActionForm]) {
    let written: Vec<ActionForm> = actions
        .iter()
        .filter(|a| !a.action.trim().is_empty())
        .map(|a| ActionForm {
            action: a.action.trim().into(),
            owner: a.owner.trim().into(),
            due: a.due.trim().into(),
        })
        .collect();
    if read_actions(t.get(key)) != written {
        if written.is_empty() {
            t.remove(key);
        } else {
            t.insert(key, Item::Value(actions_value(&written)));
        }
    }
}

/// Applies `form` to the front matter `doc`, touching only what differs.
fn apply(doc: &mut DocumentMut, form: &ItemForm) {
    let root = doc.as_table_mut() as &mut dyn TableLike;
    set(root, "title", Some(Value::from(form.title.trim())));
    set(root, "date", Some(date_value(&form.date)));
    set(root, "method", Some(Value::from(form.method.trim())));
    set(root, "criteria", Some(string_array(&form.criteria)));
    set(root, "occasion", text(&form.occasion));
    let attachments = form.attachments.iter().any(|a| !a.trim().is_empty());
    set(
        root,
        "attachments",
        attachments.then(|| string_array(&form.attachments)),
    );
    set(root, "held_at", text(&form.held_at));
    if let Some(w) = &form.witness {
        write_witness(root, w);
    }
    if let Some(h) = &form.handover {
        write_handover(root, h);
    }
}

/// The body as saved: the narrative with one final line end.
fn body(narrative: &str) -> String {
    let n = narrative.replace("\r\n", "\n");
    let n = n.trim_end_matches('\n');
    if n.is_empty() { String::new() } else { format!("{n}\n") }
}

/// A new item file for `form`, as a learner would write it by hand.
pub fn new_item(form: &ItemForm) -> String {
    let mut doc = DocumentMut::new();
    apply(&mut doc, form);
    format!("+++\n{}+++\n{}", doc, body(&form.narrative))
}

/// The parts of an item file: its front matter and its body, as written.
struct Parts<'t> {
    bom: bool,
    crlf: bool,
    front: &'t str,
    body: &'t str,
}

fn parts(text: &str) -> Result<Parts<'_>, EditError> {
    let bom = text.starts_with('\u{feff}');
    let text = text.trim_start_matches('\u{feff}');
    // The first line says which line ends the file uses.
    let crlf = text.starts_with("+++\r\n");
    let first = text
        .find('\n')
        .ok_or_else(|| EditError::NoFrontMatter("it has one line".into()))?;
    if text[..first].trim_end() != "+++" {
        return Err(EditError::NoFrontMatter("the first line is not +++".into()));
    }
    let rest = &text[first + 1..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok(Parts {
                bom,
                crlf,
                front: &rest[..offset],
                body: &rest[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(EditError::NoFrontMatter("the +++ that closes it is missing".into()))
}

/// `existing` with `form` applied: keys, comments and layout the form does
/// not change are kept byte for byte, and so is the narrative unless the
/// form changed it. Line ends and a byte-order mark are kept.
pub fn edit_item(existing: &str, form: &ItemForm) -> Result<String, EditError> {
    let p = parts(existing)?;
    let front = p.front.replace("\r\n", "\n");
    let mut doc: DocumentMut = front
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::Toml(e.to_string()))?;
    apply(&mut doc, form);
    let unchanged = body(p.body) == body(&form.narrative);
    let mut out = format!("+++\n{doc}+++\n");
    if p.crlf {
        out = out.replace('\n', "\r\n");
    }
    if unchanged {
        out.push_str(p.body);
    } else if p.crlf {
        out.push_str(&body(&form.narrative).replace('\n', "\r\n"));
    } else {
        out.push_str(&body(&form.narrative));
    }
    if p.bom {
        out.insert(0, '\u{feff}');
    }
    Ok(out)
}

/// The form for an existing item file: what the form shows of it. Keys the
/// form does not show are not read (and are kept by [`edit_item`]).
pub fn read_item(text: &str) -> Result<ItemForm, EditError> {
    let p = parts(text)?;
    let doc: DocumentMut = p
        .front
        .replace("\r\n", "\n")
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::Toml(e.to_string()))?;
    let get = |t: &dyn TableLike, key: &str| {
        t.get(key)
            .and_then(Item::as_value)
            .and_then(as_text)
            .unwrap_or_default()
    };
    let list = |t: &dyn TableLike, key: &str| {
        t.get(key)
            .and_then(Item::as_value)
            .and_then(as_list)
            .unwrap_or_default()
    };
    let root = doc.as_table() as &dyn TableLike;
    let witness = root.get("witness").and_then(Item::as_table_like).map(|w| WitnessForm {
        name: get(w, "name"),
        role: get(w, "role"),
        relationship: get(w, "relationship"),
        contact: get(w, "contact"),
    });
    let handover = root.get("handover").and_then(Item::as_table_like).map(|h| {
        let to = h.get("to").and_then(Item::as_table_like);
        let reminder = h.get("reminder").and_then(Item::as_table_like);
        let check = h.get("check").and_then(Item::as_table_like);
        HandoverForm {
            reason: get(h, "reason"),
            to_name: to.map(|t| get(t, "name")).unwrap_or_default(),
            to_role: to.map(|t| get(t, "role")).unwrap_or_default(),
            situation: get(h, "situation"),
            background: get(h, "background"),
            assessment: get(h, "assessment"),
            recommendation: get(h, "recommendation"),
            exchanged_by: list(h, "exchanged_by"),
            receiver_confirmed: h
                .get("receiver_confirmed")
                .and_then(Item::as_value)
                .and_then(Value::as_bool)
                .unwrap_or(false),
            customer_told: get(h, "customer_told"),
            actions: read_actions(h.get("actions")),
            reminder_date: reminder.map(|r| get(r, "date")).unwrap_or_default(),
            reminder_how: reminder.map(|r| get(r, "how")).unwrap_or_default(),
            check_date: check.map(|c| get(c, "date")).unwrap_or_default(),
            check_outcome: check.map(|c| get(c, "outcome")).unwrap_or_default(),
            check_note: check.map(|c| get(c, "note")).unwrap_or_default(),
            further_actions: read_actions(h.get("further_actions")),
            feedback: get(h, "feedback"),
        }
    });
    Ok(ItemForm {
        title: get(root, "title"),
        date: get(root, "date"),
        method: get(root, "method"),
        criteria: list(root, "criteria"),
        narrative: p.body.replace("\r\n", "\n"),
        occasion: get(root, "occasion"),
        attachments: list(root, "attachments"),
        held_at: get(root, "held_at"),
        witness,
        handover,
    })
}

/// A file name for a new item titled `title`, numbered after the highest
/// `NN-` among `existing` names (`evidence/15-late-shift-refund.md`).
pub fn new_file_name<'a>(existing: impl IntoIterator<Item = &'a str>, title: &str) -> String {
    let next = existing
        .into_iter()
        .filter_map(|name| {
            let name = name.rsplit('/').next().unwrap_or(name);
            let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u32>().ok()
        })
        .max()
        .map_or(1, |n| n.saturating_add(1));
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 48 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "item" } else { slug };
    format!("evidence/{next:02}-{slug}.md")
}

#[cfg(test)]
impl ItemForm {
    /// A small filled-in form for tests of what saves items (the workspace
    /// API, serve's file store): an observation on 14 March 2026 showing 3.1.
    pub(crate) fn example(title: &str) -> ItemForm {
        ItemForm {
            title: title.into(),
            date: "2026-03-14".into(),
            method: "observation".into(),
            criteria: vec!["3.1".into()],
            narrative: "I told the customer who would call [[3.1]].".into(),
            ..ItemForm::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ItemForm {
        ItemForm {
            title: "Observation: late-shift refund".into(),
            date: "2026-03-14".into(),
            method: "observation".into(),
            criteria: vec!["3.1".into(), "3.2".into()],
            narrative: "I explained to the customer [[3.1]].\n".into(),
            occasion: "late-shift-14-march".into(),
            attachments: vec!["attachments/sheet.png".into()],
            held_at: "The team's shared drive, Handovers folder".into(),
            witness: None,
            handover: Some(HandoverForm {
                reason: "shift change".into(),
                to_name: "Sam Jones".into(),
                to_role: "Billing adviser".into(),
                situation: "Charged twice.".into(),
                exchanged_by: vec!["CRM note".into(), "face to face".into()],
                receiver_confirmed: true,
                actions: vec![ActionForm {
                    action: "Call the customer".into(),
                    owner: "Sam Jones".into(),
                    due: "2026-03-16".into(),
                }],
                reminder_date: "2026-03-16".into(),
                check_date: "2026-03-16".into(),
                check_outcome: "not done".into(),
                further_actions: vec![ActionForm {
                    action: "Call the customer today".into(),
                    owner: "Priya Shah".into(),
                    due: "2026-03-17".into(),
                }],
                feedback: "Confirm finance cases in the CRM before 10:00.".into(),
                ..HandoverForm::default()
            }),
        }
    }

    #[test]
    fn a_new_item_reads_back_as_its_form_and_parses_as_the_engine_reads_it() {
        let text = new_item(&form());
        assert!(
            text.starts_with("+++\ntitle = \"Observation: late-shift refund\"\ndate = 2026-03-14\n"),
            "{text}"
        );
        assert_eq!(read_item(&text).unwrap(), form());
        let criteria = crate::criteria::load_criteria(None).unwrap();
        let (item, problems) = crate::evidence::parse_item(
            std::path::Path::new("/nonexistent"),
            "evidence/01-x.md".as_ref(),
            text.as_bytes(),
            &criteria,
        );
        let item = item.expect("the engine reads the file the form wrote");
        assert_eq!(item.title, "Observation: late-shift refund");
        assert!(
            problems
                .iter()
                .all(|p| p.rule != crate::diagnostic::Rule::InvalidFrontMatter),
            "{problems:?}"
        );
    }

    #[test]
    fn an_edit_keeps_comments_unknown_keys_and_the_narrative_byte_for_byte() {
        let existing = "+++\n# written on the bus\ntitle = \"Old title\" # keep me\ndate = 2026-03-14\nmethod = \"observation\"\ncriteria = [\"3.1\",   \"3.2\"]\nsimulated = false\nfuture_key = \"kept\"\n\n[assessment]\ndecision = \"referred\"\n+++\nMy *narrative*  with  odd   spacing.\r\n";
        let mut f = read_item(existing).unwrap();
        f.title = "New title".into();
        let edited = edit_item(existing, &f).unwrap();
        assert!(edited.contains("# written on the bus\n"), "{edited}");
        assert!(edited.contains("title = \"New title\" # keep me\n"), "{edited}");
        assert!(edited.contains("criteria = [\"3.1\",   \"3.2\"]\n"), "{edited}");
        assert!(edited.contains("future_key = \"kept\"\n"), "{edited}");
        assert!(edited.contains("[assessment]\ndecision = \"referred\"\n"), "{edited}");
        assert!(
            edited.ends_with("+++\nMy *narrative*  with  odd   spacing.\r\n"),
            "{edited:?}"
        );
    }

    #[test]
    fn an_unchanged_form_changes_nothing() {
        for file in std::fs::read_dir("sample-portfolio/evidence").unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let f = read_item(&text).unwrap();
            assert_eq!(edit_item(&text, &f).unwrap(), text, "{}", path.display());
        }
    }

    #[test]
    fn crlf_and_a_byte_order_mark_are_kept() {
        let existing = "\u{feff}+++\r\ntitle = \"a\"\r\ndate = 2026-03-14\r\nmethod = \"observation\"\r\ncriteria = [\"3.1\"]\r\n+++\r\nText\r\n";
        let mut f = read_item(existing).unwrap();
        f.criteria.push("3.2".into());
        let edited = edit_item(existing, &f).unwrap();
        assert!(edited.starts_with("\u{feff}+++\r\n"));
        assert!(edited.contains("criteria = [\"3.1\", \"3.2\"]\r\n"), "{edited:?}");
        assert!(!edited.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn how_it_was_passed_on_and_the_receivers_confirmation_are_written_and_unticked() {
        let text = new_item(&form());
        assert!(text.contains("[handover]\nreason = \"shift change\"\nto = "), "{text}");
        assert!(
            text.contains("exchanged_by = [\"CRM note\", \"face to face\"]\n"),
            "{text}"
        );
        assert!(text.contains("receiver_confirmed = true\n"), "{text}");
        assert!(
            text.contains("check = { date = 2026-03-16, outcome = \"not done\" }\n"),
            "{text}"
        );
        assert!(
            text.contains("further_actions = [\n  { action = \"Call the customer today\""),
            "{text}"
        );
        // No outcome, no check (the engine refuses a check without one).
        let mut unchecked = form();
        if let Some(h) = unchecked.handover.as_mut() {
            h.check_outcome.clear();
        }
        assert!(!edit_item(&text, &unchecked).unwrap().contains("check = "));
        let mut f = form();
        if let Some(h) = f.handover.as_mut() {
            h.receiver_confirmed = false;
        }
        let edited = edit_item(&text, &f).unwrap();
        assert!(edited.contains("receiver_confirmed = false\n"), "{edited}");
        // Never ticked, never written.
        let mut g = form();
        if let Some(h) = g.handover.as_mut() {
            h.receiver_confirmed = false;
        }
        assert!(!new_item(&g).contains("receiver_confirmed"));
    }

    #[test]
    fn a_date_that_is_not_one_is_kept_as_typed() {
        let mut f = form();
        f.date = "14/03/2026".into();
        assert!(new_item(&f).contains("date = \"14/03/2026\"\n"));
    }

    #[test]
    fn file_names_follow_the_highest_number() {
        let names = ["evidence/01-a.md", "evidence/14-b.md", "evidence/notes.md"];
        assert_eq!(
            new_file_name(names, "Witness: Dana's account of the 16 March check!"),
            "evidence/15-witness-dana-s-account-of-the-16-march-check.md"
        );
        assert_eq!(new_file_name([], "???"), "evidence/01-item.md");
    }
}
