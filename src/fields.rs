//! The keys a learner or a centre writes (portfolio.toml, an item's front
//! matter, a criteria file), each described in the documentation's words
//! with an example; and the turning of TOML's and serde's messages
//! ("invalid type: string \"Dana Reid\", expected struct RawWitness") into a
//! sentence that uses them, with a hint. Used by
//! [`crate::diagnostic::toml_problem`]; the key path comes from
//! [`crate::toml_path`].

use crate::diagnostic::Rule;
use crate::toml_path::{Place, place_at};

/// One key: its path (`handover.to.name`), what it must be, and an example.
pub struct Field {
    pub path: &'static str,
    pub what: &'static str,
    pub example: &'static str,
}

const fn f(path: &'static str, what: &'static str, example: &'static str) -> Field {
    Field { path, what, example }
}

const TEXT: &str = "text in straight quotes";

/// The keys of an evidence item's front matter (docs/evidence-format.md).
pub const FRONT_MATTER: &[Field] = &[
    f("id", TEXT, "id = \"refund-query-14-march\""),
    f("title", TEXT, "title = \"Late-shift handover of a refund query\""),
    f("date", "a date, YYYY-MM-DD", "date = 2026-03-14"),
    f("method", "an evidence method in quotes", "method = \"observation\""),
    f(
        "criteria",
        "a list of criterion codes in quotes",
        "criteria = [\"3.1\", \"3.2\"]",
    ),
    f("occasion", TEXT, "occasion = \"late-shift-14-march\""),
    f(
        "witness",
        "a table with the witness's `name` and `role`",
        "witness = { name = \"Dana Reid\", role = \"Team leader\" }",
    ),
    f(
        "witness.name",
        TEXT,
        "witness = { name = \"Dana Reid\", role = \"Team leader\" }",
    ),
    f(
        "witness.role",
        TEXT,
        "witness = { name = \"Dana Reid\", role = \"Team leader\" }",
    ),
    f("held_at", TEXT, "held_at = \"Customer service desk\""),
    f(
        "attachments",
        "a list of file paths in quotes",
        "attachments = [\"attachments/handover-sheet.png\"]",
    ),
    f(
        "assessment",
        "a table with the assessor's `decision`, `by`, `date` and `feedback`",
        "[assessment]\n  decision = \"accepted\"\n  by = \"A. Assessor\"",
    ),
    f(
        "assessment.decision",
        "`accepted`, `referred` or `pending`, in quotes",
        "decision = \"accepted\"",
    ),
    f("assessment.by", TEXT, "by = \"A. Assessor\""),
    f("assessment.date", "a date, YYYY-MM-DD", "date = 2026-03-20"),
    f(
        "assessment.feedback",
        TEXT,
        "feedback = \"Clear handover; the customer was told who would call.\"",
    ),
    f(
        "handover",
        "a table: the handover record",
        "[handover]\n  reason = \"shift change\"\n  to = { name = \"Sam Jones\", role = \"Billing adviser\" }",
    ),
    f("handover.reason", TEXT, "reason = \"shift change\""),
    f(
        "handover.to",
        "a table with the receiver's `name`, `role` and `team`",
        "to = { name = \"Sam Jones\", role = \"Billing adviser\", team = \"Billing\" }",
    ),
    f(
        "handover.to.name",
        TEXT,
        "to = { name = \"Sam Jones\", role = \"Billing adviser\" }",
    ),
    f(
        "handover.to.role",
        TEXT,
        "to = { name = \"Sam Jones\", role = \"Billing adviser\" }",
    ),
    f(
        "handover.to.team",
        TEXT,
        "to = { name = \"Sam Jones\", team = \"Billing\" }",
    ),
    f(
        "handover.situation",
        TEXT,
        "situation = \"Customer disputes a double charge.\"",
    ),
    f(
        "handover.background",
        TEXT,
        "background = \"Refund raised on 12 March.\"",
    ),
    f("handover.assessment", TEXT, "assessment = \"Customer is anxious.\""),
    f(
        "handover.recommendation",
        TEXT,
        "recommendation = \"Call the customer by 16 March.\"",
    ),
    f(
        "handover.exchanged_by",
        "a list of ways, each in quotes",
        "exchanged_by = [\"CRM note\", \"face to face\"]",
    ),
    f(
        "handover.customer_told",
        TEXT,
        "customer_told = \"I told the customer that Sam would call.\"",
    ),
    f(
        "handover.receiver_confirmed",
        "true or false, without quotes",
        "receiver_confirmed = true",
    ),
    f(
        "handover.actions",
        "a list of actions, each a table with `action`, `owner` and `due`",
        "actions = [{ action = \"Call the customer back\", owner = \"Sam Jones\", due = 2026-03-16 }]",
    ),
    f("handover.actions.action", TEXT, "action = \"Call the customer back\""),
    f("handover.actions.owner", TEXT, "owner = \"Sam Jones\""),
    f("handover.actions.due", "a date, YYYY-MM-DD", "due = 2026-03-16"),
    f(
        "handover.reminder",
        "a table with the reminder's `date` and `how`",
        "reminder = { date = 2026-03-16, how = \"CRM follow-up task\" }",
    ),
    f(
        "handover.reminder.date",
        "a date, YYYY-MM-DD",
        "reminder = { date = 2026-03-16, how = \"CRM task\" }",
    ),
    f(
        "handover.reminder.how",
        TEXT,
        "reminder = { date = 2026-03-16, how = \"CRM follow-up task\" }",
    ),
    f(
        "handover.check",
        "a table with the check's `date`, `outcome` and `note`",
        "check = { date = 2026-03-16, outcome = \"done\", note = \"Call logged.\" }",
    ),
    f(
        "handover.check.date",
        "a date, YYYY-MM-DD",
        "check = { date = 2026-03-16, outcome = \"done\" }",
    ),
    f(
        "handover.check.outcome",
        "`done`, `not done` or `partly done`, in quotes",
        "check = { date = 2026-03-16, outcome = \"done\" }",
    ),
    f(
        "handover.check.note",
        TEXT,
        "check = { outcome = \"done\", note = \"Call logged.\" }",
    ),
    f(
        "handover.further_actions",
        "a list of actions, each a table with `action`, `owner` and `due`",
        "further_actions = [{ action = \"Chase finance\", owner = \"Sam Jones\", due = 2026-03-17 }]",
    ),
    f("handover.further_actions.action", TEXT, "action = \"Chase finance\""),
    f("handover.further_actions.owner", TEXT, "owner = \"Sam Jones\""),
    f("handover.further_actions.due", "a date, YYYY-MM-DD", "due = 2026-03-17"),
    f(
        "handover.feedback",
        TEXT,
        "feedback = \"Sam said the notes were clear.\"",
    ),
];

/// The keys of portfolio.toml (docs/evidence-format.md).
pub const PORTFOLIO: &[Field] = &[
    f(
        "learner",
        "a table with the learner's `name`, `id` and `uln`",
        "[learner]\n  name = \"Your Name\"\n  id = \"L-0000\"",
    ),
    f("learner.name", TEXT, "[learner]\n  name = \"Your Name\""),
    f("learner.id", TEXT, "id = \"L-0000\""),
    f(
        "learner.uln",
        "text in straight quotes (digits in quotes)",
        "uln = \"1234567890\"",
    ),
    f(
        "centre",
        "a table with the centre's `name` and `number`",
        "[centre]\n  name = \"Your Training Centre\"",
    ),
    f("centre.name", TEXT, "[centre]\n  name = \"Your Training Centre\""),
    f("centre.number", "text in straight quotes", "number = \"C-0000\""),
    f(
        "assessor",
        "a table with the assessor's `name`",
        "[assessor]\n  name = \"Your Assessor\"",
    ),
    f("assessor.name", TEXT, "[assessor]\n  name = \"Your Assessor\""),
    f(
        "assessor.assess",
        "a list of framework ids in quotes",
        "assess = [\"unit-214\", \"cfacsb16\"]",
    ),
    f(
        "assess",
        "a list of framework ids in quotes",
        "assess = [\"unit-214\", \"cfacsb16\"]",
    ),
    f(
        "privacy",
        "a table with `references` and `allow`",
        "[privacy]\n  references = [\"ACC-\"]\n  allow = [\"0800 123 4567\"]",
    ),
    f(
        "privacy.references",
        "a list of reference patterns in quotes",
        "references = [\"ACC-\", \"CUS-######\"]",
    ),
    f(
        "privacy.allow",
        "a list of values in quotes",
        "allow = [\"0800 123 4567\"]",
    ),
];

/// The keys of a criteria file whose type is easy to get wrong
/// (docs/criteria-format.md); the others fall back to [`expected_words`].
pub const CRITERIA: &[Field] = &[
    f(
        "groups",
        "a list of groups, each a `[[groups]]` table",
        "[[groups]]\n  code = \"1\"\n  title = \"…\"",
    ),
    f(
        "groups.criteria",
        "a list of criteria, each a `[[groups.criteria]]` table",
        "[[groups.criteria]]\n  code = \"1.1\"\n  text = \"…\"",
    ),
    f(
        "groups.min_occasions",
        "a whole number, without quotes",
        "min_occasions = 2",
    ),
    f(
        "groups.criteria.min_occasions",
        "a whole number, without quotes",
        "min_occasions = 2",
    ),
    f(
        "groups.methods",
        "a list of evidence methods in quotes",
        "methods = [\"observation\", \"questioning\"]",
    ),
    f(
        "groups.criteria.maps_to",
        "a list of criterion codes in quotes",
        "maps_to = [\"cfacsb16:P5\"]",
    ),
    f(
        "rules.over_mapped_max_total",
        "a whole number, without quotes",
        "over_mapped_max_total = 6",
    ),
    f(
        "rules.over_mapped_max_group_share",
        "a number between 0 and 1",
        "over_mapped_max_group_share = 0.5",
    ),
    f("level", "a whole number, without quotes", "level = 2"),
    f("credit", "a whole number, without quotes", "credit = 3"),
    f("glh", "a whole number, without quotes", "glh = 20"),
];

/// The keys documented for the file a rule reads, and how to name its top level.
fn catalogue(rule: Rule) -> (&'static [Field], &'static str) {
    match rule {
        Rule::InvalidPortfolio => (PORTFOLIO, "portfolio.toml"),
        Rule::InvalidCriteria => (CRITERIA, "the criteria file"),
        _ => (FRONT_MATTER, "the front matter"),
    }
}

/// A message in the documentation's words and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub message: String,
    pub hint: String,
}

/// Explains the TOML or serde error `raw` at byte `offset` of `toml` (the
/// text the parser read) for the file that `rule` reads. `line` is the whole
/// line at the offset.
pub fn explain(rule: Rule, toml: &str, offset: usize, raw: &str) -> Explained {
    let place = place_at(toml, offset);
    let line = line_at(toml, offset);
    let (fields, top) = catalogue(rule);
    let field = |path: &str| fields.iter().find(|f| f.path == path);
    let key = place.path();
    let shown_key = if key.is_empty() {
        top.to_string()
    } else {
        format!("`{key}`")
    };
    if line.contains(['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}']) {
        return Explained {
            message: "This line has curly quotes (\u{201c} \u{201d} or \u{2018} \u{2019}), which TOML does not read as quotes.".into(),
            hint: "replace the curly quotes (\u{201c} \u{201d} \u{2018} \u{2019}) with straight ones (\" or '): word processors change them as you type".into(),
        };
    }
    if let Some(rest) = raw.strip_prefix("missing field `") {
        let missing = rest.split('`').next().unwrap_or(rest);
        let table = key.clone();
        let full = if table.is_empty() {
            missing.to_string()
        } else {
            format!("{table}.{missing}")
        };
        let where_ = match (table.is_empty(), place.keys.is_empty()) {
            (true, _) => top.to_string(),
            (false, true) => format!("`[{table}]`"),
            (false, false) => format!("`{table}`"),
        };
        let hint = match field(&full) {
            Some(f) => format!("add it, e.g. {}", f.example),
            None => format!("add `{missing} = …` to {where_}"),
        };
        return Explained {
            message: capitalise(&format!("{where_} needs `{missing}`.")),
            hint,
        };
    }
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or(rest);
        let table = place.table.join(".");
        let where_ = if table.is_empty() {
            top.to_string()
        } else {
            format!("`[{table}]`")
        };
        return Explained {
            message: format!("`{unknown}` is not a key of {where_}."),
            hint: crate::diagnostic::unknown_field_hint(raw)
                .unwrap_or_else(|| "check the spelling against docs/evidence-format.md".into()),
        };
    }
    if ["invalid type:", "invalid value:", "invalid length"]
        .iter()
        .any(|p| raw.starts_with(p))
    {
        let expected = raw.rsplit_once(", expected ").map_or("", |(_, e)| e);
        let found = found_words(value_at(toml, offset));
        return match field(&key) {
            Some(f) => Explained {
                message: format!("{shown_key} must be {}{found}.", f.what),
                hint: format!("write it like this: {}", f.example),
            },
            None => Explained {
                message: format!("{shown_key} must be {}{found}.", expected_words(expected)),
                hint: "see docs/evidence-format.md (or docs/criteria-format.md) for what each key takes".into(),
            },
        };
    }
    if let Some(value) = value_on_line(line)
        && looks_like_date(value)
    {
        let name = place.keys.last().map_or("date", String::as_str);
        let reason = crate::date::why_not_a_date(value)
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        return Explained {
            message: if reason.is_empty() {
                format!("`{value}` is not a date written as YYYY-MM-DD.")
            } else {
                format!("`{value}` is not a calendar date{reason}.")
            },
            hint: format!("write dates as YYYY-MM-DD, e.g. {name} = 2026-03-14"),
        };
    }
    if raw.starts_with("duplicate key") {
        let written = line.split('=').next().unwrap_or("").trim();
        let twice = if written.is_empty() {
            shown_key
        } else {
            format!("`{written}`")
        };
        return Explained {
            message: format!("{twice} is given twice."),
            hint: "keep one of the two lines".into(),
        };
    }
    if raw.contains("must be quoted") {
        let example = match (place.keys.last(), value_on_line(line)) {
            (Some(k), Some(v)) => format!("e.g. {k} = \"{v}\""),
            _ => "e.g. title = \"Late-shift handover\"".into(),
        };
        return Explained {
            message: "Text must be in straight quotes.".into(),
            hint: format!("put the text in quotes, {example}"),
        };
    }
    let said = raw.replace('\n', " ");
    let internal = ["Raw", "struct", "enum", "::"].iter().any(|w| said.contains(w));
    Explained {
        message: if internal || said.is_empty() {
            "This line is not valid TOML.".into()
        } else {
            format!("This line is not valid TOML ({}).", said.trim_end_matches('.'))
        },
        hint: "text goes in straight quotes, lists in [square brackets], tables in { braces }; see docs/evidence-format.md".into(),
    }
}

/// The value written after `key =` on `line`, trimmed of a comment.
fn value_on_line(line: &str) -> Option<&str> {
    let (_, value) = line.split_once('=')?;
    let value = value.split(" #").next().unwrap_or(value).trim();
    (!value.is_empty()).then_some(value)
}

/// `14/03/2026`, `14.03.2026`, `2026-02-30`: digits with two separators.
fn looks_like_date(value: &str) -> bool {
    let value = value.trim_matches(['"', '\'']);
    let parts: Vec<&str> = value.split(['/', '.', '-']).collect();
    value.len() <= 10
        && parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The line of `text` that holds byte `offset`.
fn line_at(text: &str, offset: usize) -> &str {
    let offset = floor_boundary(text, offset);
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    &text[start..end]
}

/// The start of the value written at `offset`.
fn value_at(text: &str, offset: usize) -> &str {
    let offset = floor_boundary(text, offset);
    let rest = &text[offset..];
    rest.split('\n').next().unwrap_or("")
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// ", not text" and the like, from the value as written.
fn found_words(value: &str) -> String {
    let v = value.trim_start();
    let kind = match v.chars().next() {
        Some('"' | '\'') => "text",
        Some('[') => "a list",
        Some('{') => "a table",
        Some('t' | 'f') if v.starts_with("true") || v.starts_with("false") => "true or false",
        Some(c) if c.is_ascii_digit() || c == '-' || c == '+' => {
            if looks_like_date(v.split([',', ' ', '}', ']']).next().unwrap_or(v)) {
                "a date"
            } else {
                "a number"
            }
        }
        _ => return String::new(),
    };
    format!(", not {kind}")
}

/// serde's "expected …" in the documentation's words.
pub fn expected_words(expected: &str) -> &'static str {
    let e = expected.trim();
    if e == "a string" || e.starts_with("a string") {
        TEXT
    } else if e.contains("sequence") || e.contains("array") {
        "a list in [square brackets]"
    } else if e.contains("boolean") {
        "true or false, without quotes"
    } else if e.starts_with("struct") || e.contains("map") || e.contains("table") {
        "a table"
    } else if ["u8", "u16", "u32", "u64", "usize", "i32", "i64", "an integer"].contains(&e) {
        "a whole number, without quotes"
    } else if ["f32", "f64", "a float"].contains(&e) {
        "a number, without quotes"
    } else {
        "a different kind of value"
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().collect::<String>() + c.as_str(),
        _ => s.to_string(),
    }
}

impl Place {
    /// `handover.to.name`.
    pub fn path(&self) -> String {
        self.table
            .iter()
            .chain(&self.keys)
            .cloned()
            .collect::<Vec<_>>()
            .join(".")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_for_a_table_reads_as_the_docs_do() {
        let toml = "title = \"T\"\nwitness = \"Dana Reid\"\n";
        let e = explain(
            Rule::InvalidFrontMatter,
            toml,
            22,
            "invalid type: string \"Dana Reid\", expected struct RawWitness",
        );
        assert_eq!(
            e.message,
            "`witness` must be a table with the witness's `name` and `role`, not text."
        );
        assert!(e.hint.contains("witness = { name = \"Dana Reid\""), "{}", e.hint);
    }

    #[test]
    fn dates_get_the_date_hint() {
        let e = explain(
            Rule::InvalidFrontMatter,
            "date = 14/03/2026\n",
            7,
            "string values must be quoted",
        );
        assert_eq!(e.hint, "write dates as YYYY-MM-DD, e.g. date = 2026-03-14");
        let e = explain(Rule::InvalidFrontMatter, "date = 2026-02-30\n", 7, "invalid date");
        assert!(e.message.contains("February 2026 has 28 days"), "{}", e.message);
    }

    #[test]
    fn unknown_types_fall_back_to_plain_words() {
        assert_eq!(expected_words("struct RawThing"), "a table");
        assert_eq!(expected_words("usize"), "a whole number, without quotes");
        assert_eq!(expected_words("a sequence"), "a list in [square brackets]");
    }
}
