//! Moodle's competency framework CSV, as `tool_lpimportcsv` exports and
//! imports it: a header row, one row for the framework ("Is framework" set),
//! then one row per competency naming its parent by ID number (empty for the
//! top level), at any depth, in any order. Descriptions are HTML unless their
//! format says plain text (2) or Markdown (4).

use super::tree::{self, Node};
use super::{Draft, Format, ImportError, Options, html, merge};
use std::path::Path;

/// The columns read, by Moodle's header names (lower case, letters and
/// digits only, "(optional)" dropped), and their default positions.
#[derive(Debug, Clone, Copy)]
enum Col {
    Parent,
    Id,
    ShortName,
    Description,
    Format,
    ScaleValues,
    ScaleConfig,
    RuleType,
    RuleOutcome,
    RuleConfig,
    Related,
    IsFramework,
    Taxonomy,
}

const COLUMNS: [(Col, &[&str], usize); 13] = [
    (Col::Parent, &["parentidnumber"], 0),
    (Col::Id, &["idnumber"], 1),
    (Col::ShortName, &["shortname"], 2),
    (Col::Description, &["description"], 3),
    (Col::Format, &["descriptionformat"], 4),
    (Col::ScaleValues, &["scalevalues"], 5),
    (Col::ScaleConfig, &["scaleconfiguration"], 6),
    (Col::RuleType, &["ruletype"], 7),
    (Col::RuleOutcome, &["ruleoutcome"], 8),
    (Col::RuleConfig, &["ruleconfig"], 9),
    (
        Col::Related,
        &["crossreferencedcompetencyidnumbers", "relatedidnumbers"],
        10,
    ),
    (Col::IsFramework, &["isframework"], 12),
    (Col::Taxonomy, &["taxonomy", "taxonomies"], 13),
];

/// Where each column is in the rows.
struct Layout([Option<usize>; 13]);

impl Layout {
    fn get<'r>(&self, row: &'r csv::StringRecord, col: Col) -> &'r str {
        self.0[col as usize].and_then(|i| row.get(i)).unwrap_or("").trim()
    }
}

fn normalise(header: &str) -> String {
    let s: String = header
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(|c| c.to_lowercase())
        .collect();
    s.strip_suffix("optional").map(str::to_string).unwrap_or(s)
}

/// The delimiter of the header line: the most frequent of `,` `;` and tab.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| (first.bytes().filter(|b| b == d).count(), *d == b','))
        .unwrap_or(b',')
}

pub fn read(file: &Path, text: &str, options: &Options) -> Result<Draft, ImportError> {
    let mut draft = Draft::new(file, Format::Moodle, options);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| {
        let line = e.position().map(|p| p.line() as usize);
        let (message, hint) = match e.kind() {
            csv::ErrorKind::UnequalLengths { expected_len, len, .. } => (
                format!(
                    "This row has {len} field{} where the header has {expected_len}.",
                    if *len == 1 { "" } else { "s" }
                ),
                "look for a quote that is opened and never closed, on this row or the one before; \
                 a field with commas, quotes or line breaks must be in double quotes, its quotes doubled (\"\")",
            ),
            _ => (
                format!("The CSV cannot be read: {e}."),
                "export the framework from Moodle again",
            ),
        };
        ImportError::Invalid {
            file: file.to_path_buf(),
            line,
            column: None,
            message,
            hint: Some(hint.into()),
        }
    };
    let mut records = reader.records();
    let header =
        match records.next() {
            Some(r) => r.map_err(csv_error)?,
            None => return Err(draft.error(
                0,
                "The file is empty.",
                "export the framework from Moodle: Site administration › Competencies › Export competency framework",
            )),
        };
    let layout = layout(&mut draft, &header)?;
    let mut framework: Option<(csv::StringRecord, usize)> = None;
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let flag = layout.get(&record, Col::IsFramework);
        if !(flag.is_empty() || flag == "0" || flag.eq_ignore_ascii_case("false")) {
            if let Some((_, first)) = &framework {
                return Err(draft.error(
                    line,
                    format!("A second framework row (the first is at line {first})."),
                    "a file holds one framework: split it, or clear \"Is framework\" on this row",
                ));
            }
            framework = Some((record, line));
        } else {
            rows.push((record, line));
        }
    }
    let Some((fw, _)) = framework else {
        return Err(draft.error(
            1,
            "There is no framework row (a row with \"Is framework\" set to 1).",
            "Moodle exports the framework itself as the first row after the header: add it, with its ID number and short name",
        ));
    };
    let fw_id = layout.get(&fw, Col::Id).to_string();
    let description = |row: &csv::StringRecord| {
        let raw = layout.get(row, Col::Description);
        match layout.get(row, Col::Format) {
            "2" | "4" => html::plain(raw),
            _ => html::to_text(raw),
        }
    };
    draft.set_id(if fw_id.is_empty() {
        layout.get(&fw, Col::ShortName)
    } else {
        &fw_id
    });
    draft.title = layout.get(&fw, Col::ShortName).to_string();
    draft.reference = fw_id.clone();
    draft.reference_label = "Moodle ID number".into();
    draft.aim = description(&fw);
    let top_kind = layout
        .get(&fw, Col::Taxonomy)
        .split(',')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    if rows.is_empty() {
        return Err(draft.error(
            0,
            "The framework has no competencies.",
            "add a row per competency after the framework row",
        ));
    }
    let mut nodes = Vec::with_capacity(rows.len());
    let mut dropped = Vec::new();
    for (row, line) in &rows {
        let id = layout.get(row, Col::Id);
        if id.is_empty() {
            return Err(draft.error(
                *line,
                "This competency has no ID number.",
                "give it one: the ID number becomes the criterion's code",
            ));
        }
        let parent = layout.get(row, Col::Parent);
        let name = layout.get(row, Col::ShortName);
        let name = if name.is_empty() { id } else { name };
        for (col, what) in [
            (Col::ScaleValues, "scale"),
            (Col::ScaleConfig, "scale"),
            (Col::RuleType, "rule"),
            (Col::RuleOutcome, "rule"),
            (Col::RuleConfig, "rule"),
        ] {
            let v = layout.get(row, col);
            if !matches!(v, "" | "0" | "null") && !dropped.contains(&what) {
                dropped.push(what);
            }
        }
        nodes.push(Node {
            key: id.to_string(),
            code: id.to_string(),
            parent: (!parent.is_empty() && parent != fw_id).then(|| parent.to_string()),
            name: name.to_string(),
            text: merge(name, &html::one_line(&description(row))),
            kind: if parent.is_empty() || parent == fw_id {
                top_kind.clone()
            } else {
                String::new()
            },
            related: layout
                .get(row, Col::Related)
                .split(',')
                .map(|r| r.trim().replace("%2C", ","))
                .filter(|r| !r.is_empty())
                .collect(),
            line: *line,
            parent_line: *line,
        });
    }
    if !layout.get(&fw, Col::ScaleValues).is_empty() && !dropped.contains(&"scale") {
        dropped.push("scale");
    }
    if !dropped.is_empty() {
        let what: Vec<&str> = dropped
            .iter()
            .map(|d| {
                if *d == "scale" {
                    "rating scales"
                } else {
                    "competency rules (rule type, outcome, config)"
                }
            })
            .collect();
        draft.notes.push(format!(
            "Moodle's {} have no place in a criteria file and were dropped: a criterion here is claimed or met \
             by evidence, and an outcome is complete when all its criteria are.",
            what.join(" and ")
        ));
    }
    tree::build(&mut draft, nodes)?;
    Ok(draft)
}

/// Finds the columns by header name, or by Moodle's positions when the
/// header is in another language.
fn layout(draft: &mut Draft, header: &csv::StringRecord) -> Result<Layout, ImportError> {
    let names: Vec<String> = header.iter().map(normalise).collect();
    let mut found = [None; 13];
    for (col, aliases, _) in COLUMNS {
        found[col as usize] = names.iter().position(|n| aliases.contains(&n.as_str()));
    }
    let required = [(Col::Id, "ID number"), (Col::IsFramework, "Is framework")];
    if found.iter().all(Option::is_none) {
        if header.len() < 13 {
            return Err(draft.error(
                1,
                format!(
                    "The header names none of Moodle's columns, and has {} where Moodle writes 14.",
                    header.len()
                ),
                "export the framework from Moodle (Site administration › Competencies › Export competency framework), \
                 or start from the header: Parent ID number, ID number, Short name, Description, Description format, \
                 Scale values, Scale configuration, Rule type, Rule outcome, Rule config, \
                 Cross-referenced competency ID numbers, Exported ID, Is framework, Taxonomy",
            ));
        }
        draft.notes.push(
            "The header names none of Moodle's columns (English names); the columns were read in Moodle's order."
                .into(),
        );
        for (col, _, position) in COLUMNS {
            found[col as usize] = Some(position);
        }
    }
    for (col, label) in required {
        if found[col as usize].is_none() {
            return Err(draft.error(
                1,
                format!("The header has no \"{label}\" column."),
                "keep Moodle's header row as exported",
            ));
        }
    }
    Ok(Layout(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> Options {
        Options {
            id: None,
            kind: "unit".into(),
        }
    }

    #[test]
    fn a_translated_header_is_read_in_moodles_order_with_its_delimiter() {
        let text = "Eltern;Kennung;Kurzname;Beschreibung;Format;Skala;Konfig;Regel;Ergebnis;Regelkonfig;Verweise;Export;Rahmen;Taxonomie\n\
                    ;FW;Rahmen;;1;;;;;;;;1;stufe\n\
                    ;LO1;\"Ziel; eins\";;1;;;;0;null;;;;\n\
                    LO1;1.1;Kriterium;;1;;;;0;null;;;;\n";
        let draft = read(Path::new("de.csv"), text, &options()).unwrap();
        assert_eq!(draft.id, "fw");
        assert_eq!(draft.groups.len(), 1);
        assert_eq!(draft.groups[0].title, "Ziel; eins");
        assert_eq!(draft.groups[0].kind, "stufe");
        assert_eq!(draft.groups[0].criteria[0].code, "1.1");
        assert!(draft.notes.iter().any(|n| n.contains("Moodle's order")));
    }

    #[test]
    fn a_parent_naming_the_framework_is_the_top_level() {
        let text = "Parent ID number,ID number,Short name,Is framework\n,FW,Unit,1\nFW,LO1,Outcome,\nLO1,1.1,Crit,\n";
        let draft = read(Path::new("u.csv"), text, &options()).unwrap();
        assert_eq!(draft.groups.len(), 1);
        assert_eq!(draft.groups[0].code, "LO1");
        assert_eq!(draft.groups[0].criteria[0].text, "Crit");
    }
}
