//! From a source's flat list of nodes with parent ids to a framework's
//! outcomes and criteria: top-level nodes become groups, leaves below them
//! criteria, and the nodes in between headings whose names lead their
//! leaves' text. Parents are followed with bounded loops, so a cycle is an
//! error at its line, never a hang.

use super::{Draft, DraftCriterion, DraftGroup, ImportError};
use std::collections::{BTreeSet, HashMap};

/// One entry of the source: a competency, a standard or an element.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// Unique within the source; what parent ids and cross-references name.
    pub key: String,
    /// The id the source shows people, kept as the code.
    pub code: String,
    pub parent: Option<String>,
    /// The short name: a group's title, a heading in a criterion's text.
    pub name: String,
    /// The full text when the node is a criterion.
    pub text: String,
    /// A group's kind (Moodle's taxonomy).
    pub kind: String,
    /// Keys of related nodes (Moodle's cross-references).
    pub related: Vec<String>,
    /// Where the node is, and where its parent id is, for errors.
    pub line: usize,
    pub parent_line: usize,
}

/// Joins a heading's name to the text below it.
const PATH: &str = " > ";

/// Builds the groups of `draft` from `nodes`, adding a note for everything
/// changed or dropped on the way.
pub fn build(draft: &mut Draft, nodes: Vec<Node>) -> Result<(), ImportError> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        if let Some(&first) = index.get(n.key.as_str()) {
            return Err(draft.error(
                n.line,
                format!("`{}` is used twice (first at line {}).", n.code, nodes[first].line),
                "give each its own id (Moodle: the ID number; Mahara: the elementid)",
            ));
        }
        index.insert(&n.key, i);
    }
    let mut parent = vec![None; nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        if let Some(p) = &n.parent {
            let Some(&j) = index.get(p.as_str()) else {
                return Err(draft.error(
                    n.parent_line,
                    format!("`{}` names `{p}` as its parent, which is not in the file.", n.code),
                    "add the parent, or correct its ID number",
                ));
            };
            parent[i] = Some(j);
        }
    }
    check_acyclic(draft, &nodes, &parent)?;
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, p) in parent.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    let mut codes = Codes::default();
    let mut criterion_of: HashMap<usize, String> = HashMap::new();
    let mut headings = Vec::new();
    for (r, node) in nodes.iter().enumerate().filter(|(i, _)| parent[*i].is_none()) {
        let mut group = DraftGroup {
            code: node.code.clone(),
            title: if node.name.trim().is_empty() {
                node.code.clone()
            } else {
                node.name.clone()
            },
            kind: node.kind.clone(),
            criteria: Vec::new(),
        };
        // Depth-first, children in source order, with an explicit stack: the
        // tree is acyclic (checked above), so each node is visited once.
        let mut stack: Vec<(usize, usize)> = children[r].iter().rev().map(|&c| (c, 0)).collect();
        if stack.is_empty() {
            stack.push((r, 0));
        }
        let mut trail: Vec<&str> = Vec::new();
        while let Some((i, depth)) = stack.pop() {
            trail.truncate(depth);
            if i != r && !children[i].is_empty() {
                headings.push(i);
                trail.push(&nodes[i].name);
                stack.extend(children[i].iter().rev().map(|&c| (c, depth + 1)));
                continue;
            }
            let n = &nodes[i];
            let code = codes.assign(draft, n);
            let mut text: Vec<&str> = trail.clone();
            text.push(if n.text.trim().is_empty() { &n.code } else { &n.text });
            criterion_of.insert(i, code.clone());
            group.criteria.push(DraftCriterion {
                code,
                text: text.join(PATH),
                maps_to: Vec::new(),
            });
        }
        draft.groups.push(group);
    }
    if !headings.is_empty() {
        let listed: Vec<String> = headings
            .iter()
            .map(|&h| format!("{} (line {})", nodes[h].code, nodes[h].line))
            .collect();
        let first = &nodes[headings[0]];
        draft.notes.push(format!(
            "Not criteria, because they have children and are not at the top level: {}. \
             Their names lead their children's text (\"{}{PATH}…\"); their descriptions were dropped.",
            list(&listed),
            first.name
        ));
    }
    cross_references(draft, &nodes, &index, &criterion_of);
    Ok(())
}

/// Finds the root of every node, or the cycle that keeps one from having one.
fn check_acyclic(draft: &Draft, nodes: &[Node], parent: &[Option<usize>]) -> Result<(), ImportError> {
    let mut root: Vec<Option<usize>> = vec![None; nodes.len()];
    let mut on_path = vec![false; nodes.len()];
    for start in 0..nodes.len() {
        let mut path: Vec<usize> = Vec::new();
        let mut cur = start;
        // Each turn adds a node not yet on the path, so at most `nodes.len()` turns.
        let found = loop {
            if let Some(r) = root[cur] {
                break r;
            }
            if on_path[cur] {
                let at = path.iter().position(|&p| p == cur).unwrap_or(0);
                let mut ring: Vec<&str> = path[at..].iter().map(|&p| nodes[p].code.as_str()).take(6).collect();
                ring.push(&nodes[cur].code);
                return Err(draft.error(
                    nodes[cur].parent_line,
                    format!("The parent ids form a cycle: {}.", ring.join(" → ")),
                    "a competency cannot be its own ancestor: correct one of these parent ids",
                ));
            }
            on_path[cur] = true;
            path.push(cur);
            match parent[cur] {
                None => break cur,
                Some(p) => cur = p,
            }
        };
        for p in path {
            root[p] = Some(found);
            on_path[p] = false;
        }
    }
    Ok(())
}

/// Criterion codes: the source's ids, changed only when the format forbids
/// them (spaces, colons, empty, the same code twice ignoring case).
#[derive(Default)]
struct Codes {
    taken: BTreeSet<String>,
}

impl Codes {
    fn assign(&mut self, draft: &mut Draft, node: &Node) -> String {
        let wanted = node.code.trim();
        let mut code = usable(wanted);
        if code.is_empty() {
            code = "criterion".to_string();
        }
        let base = code.clone();
        let mut n = 1;
        // Each turn tries a new suffix; at most `taken.len() + 1` are taken.
        while self.taken.contains(&code.to_lowercase()) {
            n += 1;
            code = format!("{base}-{n}");
        }
        self.taken.insert(code.to_lowercase());
        if code != wanted {
            let why = if base != wanted {
                "codes cannot be empty or hold spaces or colons"
            } else {
                "another criterion has that code when case is ignored"
            };
            draft.notes.push(format!(
                "`{wanted}` (line {}) is written as code `{code}`: {why}.",
                node.line
            ));
        }
        code
    }
}

/// `s` with each run of spaces and colons replaced by one hyphen.
pub fn usable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.trim().chars() {
        if c.is_whitespace() || c == ':' {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push('-');
        }
        gap = false;
        out.push(c);
    }
    out
}

/// Cross-references become `maps_to` when both ends are criteria of this file.
fn cross_references(
    draft: &mut Draft,
    nodes: &[Node],
    index: &HashMap<&str, usize>,
    criterion_of: &HashMap<usize, String>,
) {
    let mut outside = Vec::new();
    let mut not_criteria = Vec::new();
    let mut maps: Vec<(String, String)> = Vec::new();
    // (from, to) in source order; a criterion's targets are listed once each.
    for (i, n) in nodes.iter().enumerate() {
        for r in &n.related {
            let target = index.get(r.as_str()).copied();
            match (criterion_of.get(&i), target.and_then(|t| criterion_of.get(&t))) {
                (Some(from), Some(to)) if from != to => maps.push((from.clone(), to.clone())),
                (Some(_), Some(_)) => {}
                _ if target.is_none() => outside.push(format!("{} → {r} at line {}", n.code, n.line)),
                _ => not_criteria.push(format!("{} → {r} at line {}", n.code, n.line)),
            }
        }
    }
    let id = draft.id.clone();
    let mut targets: HashMap<String, Vec<String>> = HashMap::new();
    for (from, to) in maps {
        let list = targets.entry(from).or_default();
        let qualified = format!("{id}:{to}");
        if !list.contains(&qualified) {
            list.push(qualified);
        }
    }
    for group in &mut draft.groups {
        for c in &mut group.criteria {
            if let Some(list) = targets.remove(&c.code) {
                c.maps_to = list;
            }
        }
    }
    if !outside.is_empty() {
        draft.notes.push(format!(
            "{} cross-reference{} to competencies not in this file {} dropped ({}): \
             add them as `maps_to = [\"framework:code\"]` once that framework is loaded.",
            outside.len(),
            if outside.len() == 1 { "" } else { "s" },
            if outside.len() == 1 { "was" } else { "were" },
            list(&outside)
        ));
    }
    if !not_criteria.is_empty() {
        draft.notes.push(format!(
            "{} cross-reference{} from or to an outcome or heading rather than a criterion {} dropped ({}).",
            not_criteria.len(),
            if not_criteria.len() == 1 { "" } else { "s" },
            if not_criteria.len() == 1 { "was" } else { "were" },
            list(&not_criteria)
        ));
    }
}

/// The first five of `v`, and how many more.
fn list(v: &[String]) -> String {
    let shown: Vec<&str> = v.iter().take(5).map(String::as_str).collect();
    let more = if v.len() > 5 {
        format!(" and {} more", v.len() - 5)
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_codes_replace_spaces_and_colons() {
        assert_eq!(usable(" 5.1 a "), "5.1-a");
        assert_eq!(usable("AC:1  1"), "AC-1-1");
        assert_eq!(usable("::"), "");
        assert_eq!(usable("DR-AT1"), "DR-AT1");
    }
}
