//! Mahara's SmartEvidence `.matrix` JSON: `{"framework": {"name", "description",
//! "standards": [...], ...}}`. Elements come in two layouts, read alike:
//! nested, in each standard's `standardelement` array, or flat, in
//! `framework.standardelements`, each naming its standard by `standardid`.
//! An element names its parent element by `parentelementid` (or `parentid`,
//! as Mahara exports it); the oldest files instead mark a child with
//! `"parent": true`, meaning "under the element before me".

use super::tree::{self, Node};
use super::{Draft, Format, ImportError, Options, html, merge};
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};
use std::path::Path;

#[derive(Deserialize)]
struct File {
    framework: Framework,
}

#[derive(Deserialize)]
struct Framework {
    name: Option<String>,
    description: Option<String>,
    #[serde(default)]
    evidencestatuses: Option<serde_json::Value>,
    #[serde(default)]
    standards: Vec<Standard>,
    standardelements: Option<Vec<Element>>,
}

#[derive(Deserialize)]
struct Standard {
    shortname: Option<String>,
    name: Option<String>,
    description: Option<String>,
    standardid: Option<Id>,
    #[serde(default)]
    standardelement: Vec<Element>,
}

#[derive(Deserialize)]
struct Element {
    shortname: Option<String>,
    name: Option<String>,
    description: Option<String>,
    standardid: Option<Id>,
    elementid: Option<Id>,
    parentelementid: Option<Id>,
    parentid: Option<Id>,
    parent: Option<serde_json::Value>,
}

/// An id written as a string or a number.
#[derive(Deserialize)]
#[serde(untagged)]
enum Id {
    Text(String),
    Number(serde_json::Number),
}

impl Id {
    fn text(&self) -> String {
        match self {
            Id::Text(s) => s.trim().to_string(),
            Id::Number(n) => n.to_string(),
        }
    }
}

/// serde_json's message without its " at line 3 column 2": the location is shown already.
fn without_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rsplit_once(" at line ") {
        Some((message, _)) => message.to_string(),
        None => s,
    }
}

/// An id given and meaningful: not empty, not Mahara's "undefined".
fn given(id: &Option<Id>) -> Option<String> {
    id.as_ref().map(Id::text).filter(|s| !s.is_empty() && s != "undefined")
}

pub fn read(file: &Path, text: &str, options: &Options) -> Result<Draft, ImportError> {
    let mut draft = Draft::new(file, Format::Mahara, options);
    let parsed: File = serde_json::from_str(text).map_err(|e| ImportError::Invalid {
        file: file.to_path_buf(),
        line: Some(e.line()).filter(|l| *l > 0),
        column: Some(e.column()).filter(|c| *c > 0),
        message: format!("This is not a SmartEvidence matrix: {}.", without_position(&e)),
        hint: Some(
            if e.is_syntax() || e.is_eof() {
                "the JSON is broken here: look for a missing comma, quote or bracket, or a line break inside a string"
            } else {
                "a matrix is {\"framework\": {\"name\": ..., \"standards\": [...]}}; see Mahara's htdocs/module/framework/matrices/"
            }
            .into(),
        ),
    })?;
    let fw = parsed.framework;
    let name = fw.name.as_deref().unwrap_or("").trim().to_string();
    let mut at = Locator::new(text);
    if name.is_empty() {
        return Err(draft.error(
            at.line("name", ""),
            "The framework has no name.",
            "give it one: \"framework\": {\"name\": \"...\", ...}",
        ));
    }
    draft.set_id(&name);
    draft.title = name;
    draft.reference = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    draft.reference_label = "Mahara SmartEvidence".into();
    draft.aim = html::to_text(fw.description.as_deref().unwrap_or(""));
    if fw.evidencestatuses.is_some() {
        draft.notes.push(
            "SmartEvidence's evidence statuses (begun, incomplete, partially complete, completed) were dropped: \
             the portfolio's own statuses (claimed, met, referred) take their place."
                .into(),
        );
    }
    let mut nodes = Vec::new();
    let mut standard_key: HashMap<String, String> = HashMap::new();
    let mut nested = Vec::new();
    for (i, s) in fw.standards.into_iter().enumerate() {
        let sid = given(&s.standardid).unwrap_or_else(|| (i + 1).to_string());
        let key = format!("standard#{sid}");
        let line = at.line("standardid", &sid);
        let title = s.name.or(s.shortname).unwrap_or_default();
        if standard_key.insert(sid.clone(), key.clone()).is_some() {
            return Err(draft.error(
                line,
                format!("Two standards have the standardid {sid}."),
                "give each standard its own standardid",
            ));
        }
        nodes.push(Node {
            key: key.clone(),
            code: sid,
            name: html::one_line(&html::to_text(&title)),
            text: merge(
                &title,
                &html::one_line(&html::to_text(s.description.as_deref().unwrap_or(""))),
            ),
            kind: "standard".into(),
            line,
            parent_line: line,
            ..Node::default()
        });
        nested.push((key, s.standardelement));
    }
    if nodes.is_empty() {
        return Err(draft.error(
            at.line("standards", ""),
            "The framework has no standards.",
            "add \"standards\": [{\"shortname\": ..., \"name\": ..., \"standardid\": 1}] and their elements",
        ));
    }
    for (standard, elements) in nested {
        add_elements(&mut draft, &mut nodes, &mut at, elements, |_| Some(standard.clone()))?;
    }
    if let Some(flat) = fw.standardelements {
        add_elements(&mut draft, &mut nodes, &mut at, flat, |sid| {
            sid.as_ref().and_then(|s| standard_key.get(s)).cloned()
        })?;
    }
    tree::build(&mut draft, nodes)?;
    Ok(draft)
}

/// Adds `elements` as nodes; `standard` gives the key of an element's
/// standard from its `standardid`.
fn add_elements(
    draft: &mut Draft,
    nodes: &mut Vec<Node>,
    at: &mut Locator,
    elements: Vec<Element>,
    standard: impl Fn(&Option<String>) -> Option<String>,
) -> Result<(), ImportError> {
    let mut previous: Option<String> = None;
    let mut counts: HashMap<String, usize> = HashMap::new();
    for e in elements {
        let sid = given(&e.standardid);
        let eid = given(&e.elementid);
        let line = match (&eid, &e.shortname) {
            (Some(id), _) => at.line("elementid", id),
            (None, Some(short)) => at.line("shortname", short),
            _ => 0,
        };
        let Some(standard_key) = standard(&sid) else {
            return Err(draft.error(
                line,
                format!(
                    "This element names standard {}, which is not in \"standards\".",
                    sid.as_deref().unwrap_or("(none)")
                ),
                "give each element the standardid of one of the standards",
            ));
        };
        let n = counts.entry(standard_key.clone()).or_insert(0);
        *n += 1;
        let title = e.name.clone().or(e.shortname.clone()).unwrap_or_default();
        let code = eid
            .clone()
            .or(e.shortname.clone())
            .unwrap_or_else(|| format!("{}.{n}", standard_key.trim_start_matches("standard#")));
        let key = match &eid {
            Some(id) => format!("element#{id}"),
            None => format!("element@{}", nodes.len()),
        };
        let parent_id = given(&e.parentelementid).or_else(|| given(&e.parentid));
        let (parent, parent_line) = match &parent_id {
            Some(p) => {
                let key = if e.parentelementid.is_some() {
                    "parentelementid"
                } else {
                    "parentid"
                };
                (Some(format!("element#{p}")), at.line(key, p))
            }
            None if e.parent.as_ref().and_then(serde_json::Value::as_bool) == Some(true) => {
                (previous.clone().or(Some(standard_key.clone())), line)
            }
            None => (Some(standard_key.clone()), line),
        };
        previous = Some(key.clone());
        nodes.push(Node {
            key,
            code,
            parent,
            name: html::one_line(&html::to_text(&title)),
            text: merge(
                &title,
                &html::one_line(&html::to_text(e.description.as_deref().unwrap_or(""))),
            ),
            line,
            parent_line,
            ..Node::default()
        });
    }
    Ok(())
}

/// Finds the line of `"key": value` in the text, occurrence by occurrence:
/// serde_json gives no positions for values, and the nodes are read in the
/// file's order. Each key is indexed in one pass, so a large file stays linear.
struct Locator<'t> {
    text: &'t str,
    /// Byte offsets of the line breaks.
    newlines: Vec<usize>,
    /// For each key looked for: the offsets of its occurrences by value, and all of them.
    keys: HashMap<String, Occurrences>,
}

impl<'t> Locator<'t> {
    fn new(text: &'t str) -> Self {
        Locator {
            text,
            newlines: text.match_indices('\n').map(|(i, _)| i).collect(),
            keys: HashMap::new(),
        }
    }

    /// The line of the next unused `"key": value` (any value when `value` is
    /// empty); 0 when there is none.
    fn line(&mut self, key: &str, value: &str) -> usize {
        let text = self.text;
        let (by_value, all) = self.keys.entry(key.to_string()).or_insert_with(|| index(text, key));
        let offset = if value.is_empty() {
            all.pop_front()
        } else {
            by_value.get_mut(value).and_then(VecDeque::pop_front)
        };
        offset.map_or(0, |o| self.newlines.partition_point(|&n| n < o) + 1)
    }
}

/// Where one key occurs: offsets by value, and all offsets in order.
type Occurrences = (HashMap<String, VecDeque<usize>>, VecDeque<usize>);

/// Every `"key": value` in `text`: offsets by value (a string's contents, or
/// a number as written), and all offsets in order.
fn index(text: &str, key: &str) -> Occurrences {
    let needle = format!("\"{key}\"");
    let mut by_value: HashMap<String, VecDeque<usize>> = HashMap::new();
    let mut all = VecDeque::new();
    for (start, _) in text.match_indices(&needle) {
        let rest = text[start + needle.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else { continue };
        let rest = rest.trim_start();
        let value = match rest.strip_prefix('"') {
            Some(s) => s.split('"').next().unwrap_or(""),
            None => rest.split([',', '}', ']', ' ', '\n', '\r', '\t']).next().unwrap_or(""),
        };
        by_value.entry(value.trim().to_string()).or_default().push_back(start);
        all.push_back(start);
    }
    (by_value, all)
}
