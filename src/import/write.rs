//! Emits a [`Draft`] as a criteria file (`portfolio-criteria/1`), in the
//! order and style of the built-in ones, with a `TODO` comment wherever the
//! source had nothing to say. Same draft, same bytes.

use super::{Draft, Format};
use crate::method::Method;
use std::fmt::Write as _;

/// The file's text and the lines of its TODOs, for the notes on stderr.
pub struct Written {
    pub text: String,
    /// The line of the `level`/`credit`/`glh` TODO.
    pub facts_line: usize,
    /// The line of `supporting_only`.
    pub rules_line: usize,
    /// The line of each group's methods TODO.
    pub group_lines: Vec<usize>,
}

impl Written {
    /// What a person must add, and where.
    pub fn todo_note(&self) -> String {
        let lines: Vec<String> = self.group_lines.iter().map(usize::to_string).collect();
        format!(
            "Add by hand what the source cannot carry (each place is marked TODO): \
             the evidence methods and occasions of each outcome (`methods`, `min_occasions`; line{} {}), \
             the methods that never suffice alone (`supporting_only`, line {}), \
             and the unit's level, credit and GLH (line {}).",
            if lines.len() == 1 { "" } else { "s" },
            abbreviate(&lines),
            self.rules_line,
            self.facts_line
        )
    }
}

/// "3, 17, 40, … 212" for long lists.
fn abbreviate(v: &[String]) -> String {
    if v.len() <= 8 {
        v.join(", ")
    } else {
        format!("{}, … {}", v[..6].join(", "), v[v.len() - 1])
    }
}

/// A line-counting buffer.
struct Out {
    text: String,
    line: usize,
}

impl Out {
    /// Appends one line; returns its number.
    fn line(&mut self, s: &str) -> usize {
        self.text.push_str(s);
        self.text.push('\n');
        self.line += 1;
        self.line
    }

    fn key(&mut self, key: &str, value: &str) -> usize {
        self.line(&format!("{key} = {}", string(value)))
    }
}

pub fn to_toml(draft: &Draft) -> Written {
    let mut out = Out {
        text: String::new(),
        line: 0,
    };
    let (command, what) = match draft.format {
        Format::Moodle => ("moodle", "a Moodle competency framework CSV"),
        Format::Mahara => ("mahara", "a Mahara SmartEvidence matrix"),
    };
    let name = draft
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    out.line(&format!(
        "# Written by `portfolio import {command}` from {} ({what}).",
        comment(&name)
    ));
    out.line("# The source has no evidence methods, occasions or methods that never suffice");
    out.line("# alone: each TODO below marks one for a person to fill in from the unit");
    out.line("# specification. See docs/import.md and docs/criteria-format.md.");
    out.line("");
    out.key("schema", "portfolio-criteria/1");
    out.key("id", &draft.id);
    out.key("kind", &draft.kind);
    out.key("short_title", &draft.short_title);
    out.key("title", &draft.title);
    out.key("reference", &draft.reference);
    out.key("reference_label", &draft.reference_label);
    let facts_line = out.line("# TODO: level = 2, credit = 3, glh = 15 (the unit's, if it has them)");
    if !draft.aim.is_empty() {
        out.key("aim", &draft.aim);
    }
    out.line("");
    out.line("[rules]");
    out.line("# TODO: the methods that show a document exists but never, alone, that the");
    out.line("# learner applied it (marked * in a unit), e.g. [\"customer-record\", \"documentation\"]");
    let rules_line = out.line("supporting_only = []");
    let examples: Vec<String> = [
        Method::Observation,
        Method::WitnessTestimony,
        Method::ProfessionalDiscussion,
    ]
    .iter()
    .map(|m| string(m.name()))
    .collect();
    let mut group_lines = Vec::new();
    for group in &draft.groups {
        out.line("");
        out.line("[[groups]]");
        out.key("code", &group.code);
        if !group.kind.is_empty() {
            out.key("kind", &group.kind);
        }
        out.key("title", &group.title);
        group_lines.push(out.line("# TODO: the evidence methods this outcome accepts (none listed: any), e.g."));
        out.line(&format!("# methods = [{}]", examples.join(", ")));
        out.line("# and min_occasions = 2 if it must be shown on more than one occasion.");
        for c in &group.criteria {
            out.line("");
            out.line("[[groups.criteria]]");
            out.key("code", &c.code);
            out.key("text", &c.text);
            if !c.maps_to.is_empty() {
                let list: Vec<String> = c.maps_to.iter().map(|m| string(m)).collect();
                out.line(&format!("maps_to = [{}]", list.join(", ")));
            }
        }
    }
    Written {
        text: out.text,
        facts_line,
        rules_line,
        group_lines,
    }
}

/// `s` as a TOML basic string: quotes, backslashes and control characters escaped.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` safe inside a comment: one line.
fn comment(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip_through_toml() {
        for s in [
            "plain",
            "quote \" and \\ back",
            "line\nbreak\ttab",
            "bell \u{7} del \u{7f}",
            "ākonga – ✓",
        ] {
            let doc = format!("v = {}\n", string(s));
            let parsed: toml::Table = toml::from_str(&doc).unwrap();
            assert_eq!(parsed["v"].as_str(), Some(s), "{doc}");
        }
    }
}
