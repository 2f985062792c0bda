//! Output folder names an external quality assurer recognises:
//! `<ULN or learner id>-<name>`, safe on every filesystem, with collisions
//! resolved in a stable order.

use std::collections::BTreeMap;

/// Names that Windows reserves, whatever the extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A file-system-safe piece of a name: letters and digits kept (accents
/// included), everything else a single `-`, at most 60 characters.
pub fn safe(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.chars().count() >= 60 {
            break;
        }
    }
    let out = out.trim_matches('-').to_string();
    if RESERVED.contains(&out.to_lowercase().as_str()) {
        format!("{out}-")
    } else {
        out
    }
}

/// The folder name for a learner: `<uln or id>-<name>`, falling back to the
/// source folder's name for what is missing.
pub fn folder_name(uln: Option<&str>, id: Option<&str>, name: &str, source: &str) -> String {
    let key = safe(uln.or(id).unwrap_or(""));
    let name = safe(name);
    let joined = [key, name]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let chosen = if joined.is_empty() { safe(source) } else { joined };
    if chosen.is_empty() {
        "learner".to_string()
    } else {
        chosen
    }
}

/// Makes `names` unique, case-insensitively: the second and later holders
/// of a name, in the order given, get `-2`, `-3`, …. Returns the names and
/// the (original, renamed) pairs to report.
pub fn dedupe(names: Vec<String>) -> (Vec<String>, Vec<(String, String)>) {
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let lower: std::collections::BTreeSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let mut renamed = Vec::new();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let count = taken.entry(name.to_lowercase()).or_insert(0);
        *count += 1;
        if *count == 1 {
            out.push(name);
            continue;
        }
        let mut n = *count;
        let mut candidate = format!("{name}-{n}");
        while lower.contains(&candidate.to_lowercase()) || taken.contains_key(&candidate.to_lowercase()) {
            n += 1;
            candidate = format!("{name}-{n}");
        }
        taken.insert(candidate.to_lowercase(), 1);
        renamed.push((name, candidate.clone()));
        out.push(candidate);
    }
    (out, renamed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_everywhere() {
        assert_eq!(
            folder_name(Some("9000000421"), Some("L-1"), "Amira Khan", "x"),
            "9000000421-Amira-Khan"
        );
        assert_eq!(
            folder_name(None, Some("L-0042"), "Siân O'Brien", "x"),
            "L-0042-Siân-O-Brien"
        );
        assert_eq!(folder_name(None, Some("../../etc"), "a/b\\c", "x"), "etc-a-b-c");
        assert_eq!(folder_name(None, None, "CON", "x"), "CON-");
        assert_eq!(folder_name(None, None, "", "learner-7"), "learner-7");
        assert_eq!(folder_name(None, None, "..", ".."), "learner");
        for bad in ["..", "/", "\\", ":", "*", "?", "\"", "<", ">", "|"] {
            assert!(!folder_name(None, Some(bad), bad, "s").contains(bad), "{bad}");
        }
    }

    #[test]
    fn collisions_get_stable_suffixes() {
        let (names, renamed) = dedupe(vec!["a".into(), "b".into(), "A".into(), "a".into(), "a-2".into()]);
        assert_eq!(names, ["a", "b", "A-3", "a-4", "a-2"]);
        assert_eq!(renamed.len(), 2);
    }
}
