//! The keys a learner or a centre writes (portfolio.toml, an item's front
//! matter, a criteria file), each described in the documentation's words
//! with an example; and the turning of TOML's and serde's messages
//! ("invalid type: string \"Dana Reid\", expected struct RawWitness") into a
//! sentence that uses them, with a hint. Used by
//! [`toml_problem`]; the key path comes from
//! [`crate::toml_path`].

mod catalogue;

use catalogue::TEXT;
pub use catalogue::{CRITERIA, FRONT_MATTER, Field, PORTFOLIO};

use crate::diagnostic::Rule;
use crate::toml_path::{Place, place_at};

/// The keys documented for the file a rule reads, how to name its top
/// level, and the page that documents it.
fn catalogue_for(rule: Rule) -> (&'static [Field], &'static str, &'static str) {
    match rule {
        Rule::InvalidPortfolio => (PORTFOLIO, "portfolio.toml", "docs/evidence-format.md"),
        Rule::InvalidCriteria => (CRITERIA, "the criteria file", "docs/criteria-format.md"),
        _ => (FRONT_MATTER, "the front matter", "docs/evidence-format.md"),
    }
}

/// Turns a TOML or serde error into a problem at the right place, in the
/// documentation's words (see [`crate::fields`]): "`witness` must be a table
/// with the witness's `name` and `role`, not text", with an example.
///
/// `text` is the whole file and `base` the byte offset at which the TOML that
/// failed begins (front matter starts after the opening `+++`).
pub fn toml_problem(
    rule: Rule,
    file: &std::path::Path,
    text: &str,
    base: usize,
    err: &toml::de::Error,
) -> crate::diagnostic::Problem {
    let raw = err.message().trim();
    let span = err.span().map_or(0, |s| s.start);
    let offset = base + span;
    if let Some(problem) = invisible_problem(rule, file, text, offset) {
        return problem;
    }
    let toml = text.get(base..).unwrap_or("");
    let explained = explain(rule, toml, span, raw);
    crate::diagnostic::Problem::new(rule, explained.message)
        .at_offset(file, text, offset)
        .with_hint(explained.hint)
}

/// An invisible character pasted from a word processor or a web page (a
/// non-breaking space, a zero-width space) outside quotes on the line where
/// the TOML failed: TOML reads none of them as a space, and the error it
/// gives (a bad date, a bad key) sends the learner looking in the wrong place.
fn invisible_problem(
    rule: Rule,
    file: &std::path::Path,
    text: &str,
    offset: usize,
) -> Option<crate::diagnostic::Problem> {
    let offset = floor_boundary(text, offset);
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let mut quote = None;
    let (at, name) = text[start..end].char_indices().find_map(|(i, c)| {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') => quote = Some('\n'), // a comment: the rest of the line
            _ => {}
        }
        invisible_name(c)
            .filter(|_| quote.is_none())
            .map(|name| (start + i, name))
    })?;
    let (line, column) = crate::diagnostic::line_column(text, at);
    Some(
        crate::diagnostic::Problem::new(
            rule,
            format!("There is an invisible character ({name}) at line {line}, column {column}; retype the spaces."),
        )
        .at_offset(file, text, at)
        .with_hint(
            "it was probably pasted from Word or a web page: delete the spaces around it and type them again (TOML reads only ordinary spaces)",
        ),
    )
}

/// The name of a character that looks like a space, or like nothing, but
/// is not an ordinary space.
pub fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{a0}' => "non-breaking space",
        '\u{202f}' => "narrow non-breaking space",
        '\u{2007}' => "figure space",
        '\u{2000}'..='\u{200a}' | '\u{3000}' | '\u{1680}' | '\u{205f}' => "wide space",
        '\u{200b}' => "zero-width space",
        '\u{200c}' | '\u{200d}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{feff}' => "zero-width no-break space",
        '\u{ad}' => "soft hyphen",
        '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => "text-direction mark",
        _ => return None,
    })
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
    let (fields, top, page) = catalogue_for(rule);
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
    if raw.contains("escape") && line.contains('\\') {
        // `attachments = ["attachments\IMG_2041.JPG"]`: a Windows path, whose
        // \ TOML reads as the start of an escape such as \n.
        let after = line.rsplit('\\').next().unwrap_or("");
        let path_like = ["attachments", "held_at"].contains(&key.as_str()) || after.contains('.');
        return if path_like {
            Explained {
                message: "This path has a backslash (\\), which TOML reads as the start of an escape: use / in paths."
                    .into(),
                hint: format!(
                    "write it as {} (a path with / works on Windows, macOS and Linux)",
                    line.trim().replace('\\', "/")
                ),
            }
        } else {
            Explained {
                message: "This text has a backslash (\\), which TOML reads as the start of an escape such as \\n."
                    .into(),
                hint: "write \\\\ for one backslash, or put the text in 'single quotes', which keep it as written"
                    .into(),
            }
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
                .unwrap_or_else(|| format!("check the spelling against {page}")),
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
                hint: format!(
                    "see {page} for what `{}` takes",
                    place.keys.last().map_or(key.as_str(), String::as_str)
                ),
            },
        };
    }
    let date_key = field(&key).is_some_and(|f| f.what.contains("YYYY-MM-DD"))
        || place.keys.last().is_some_and(|k| k.contains("date"));
    if let Some(value) = value_on_line(line)
        && (looks_like_date(value) || date_key)
        && let Some(meant) = crate::date::meant(value)
    {
        // `25/12/2025`, `3 June 2026`: the learner's own date, as it must be written.
        let name = place.keys.last().map_or("date", String::as_str);
        return Explained {
            message: meant.message(value.trim_matches(['"', '\''])),
            hint: meant.hint(name),
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
        hint: format!("text goes in straight quotes, lists in [square brackets], tables in {{ braces }}; see {page}"),
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
        assert_eq!(e.hint, "write it as date = 2026-03-14");
        let e = explain(
            Rule::InvalidFrontMatter,
            "date = 3 June 2026\n",
            7,
            "string values must be quoted",
        );
        assert_eq!(e.hint, "write it as date = 2026-06-03", "not \"put it in quotes\"");
        let e = explain(
            Rule::InvalidFrontMatter,
            "title = 3 June 2026\n",
            8,
            "string values must be quoted",
        );
        assert!(
            e.hint.starts_with("put the text in quotes"),
            "only date keys: {}",
            e.hint
        );
        let e = explain(Rule::InvalidFrontMatter, "date = 2026-02-30\n", 7, "invalid date");
        assert!(e.message.contains("February 2026 has 28 days"), "{}", e.message);
    }

    #[test]
    fn a_windows_path_is_told_to_use_slashes() {
        let toml = "attachments = [\"attachments\\IMG_2041.JPG\"]\n";
        let e = explain(Rule::InvalidFrontMatter, toml, 28, "missing escaped value");
        assert!(e.message.ends_with("use / in paths."), "{}", e.message);
        assert!(
            e.hint.contains("attachments = [\"attachments/IMG_2041.JPG\"]"),
            "{}",
            e.hint
        );
    }

    #[test]
    fn invisible_characters_are_named_where_they_are() {
        let text = "+++\ntitle = \"T\"\ndate\u{a0}= 2026-03-01\n";
        let p = invisible_problem(Rule::InvalidFrontMatter, std::path::Path::new("a.md"), text, 20).unwrap();
        assert_eq!(
            p.message,
            "There is an invisible character (non-breaking space) at line 3, column 5; retype the spaces."
        );
        // Inside quotes it is the learner's text, not the TOML's problem.
        let text = "title = \"Late\u{a0}shift\" x\n";
        assert!(invisible_problem(Rule::InvalidFrontMatter, std::path::Path::new("a.md"), text, 24).is_none());
    }

    #[test]
    fn unknown_types_fall_back_to_plain_words() {
        assert_eq!(expected_words("struct RawThing"), "a table");
        assert_eq!(expected_words("usize"), "a whole number, without quotes");
        assert_eq!(expected_words("a sequence"), "a list in [square brackets]");
    }
}
