//! Splitting an evidence file into its `+++` TOML front matter and Markdown
//! body, and the strict shape of that front matter.
//!
//! Text is decoded first (UTF-8, a BOM removed, CRLF read as LF); every
//! failure says where and what to do, in the manner of Zola's splitter.

use serde::Deserialize;
use toml::Spanned;

pub use crate::decode::{SplitError, decode};

/// A file split at its `+++` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML between the lines.
    pub front: &'a str,
    /// Byte offset of `front` in the file.
    pub front_offset: usize,
    /// The Markdown after the closing line.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
    /// Line number (from 1) on which the body starts.
    pub body_line: usize,
}

/// Splits `text` (already decoded) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError {
            message: "The file is empty.".into(),
            offset: 0,
            hint: Some(format!("an evidence item starts with front matter:\n{EXAMPLE}")),
        });
    }
    let first_len = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_len].trim() != "+++" {
        let hint = if text.trim_start().starts_with("---") {
            "front matter here is TOML between `+++` lines, not YAML between `---` lines".to_string()
        } else {
            format!("did you forget the `+++` line? An evidence item starts with:\n{EXAMPLE}")
        };
        return Err(SplitError {
            message: "The file does not start with front matter (a `+++` line).".into(),
            offset: 0,
            hint: Some(hint),
        });
    }
    let mut offset = first_len;
    for (line, l) in (2..).zip(text[first_len..].split_inclusive('\n')) {
        if l.trim() == "+++" {
            let body_offset = offset + l.len();
            return Ok(Split {
                front: &text[first_len..offset],
                front_offset: first_len,
                body: &text[body_offset..],
                body_offset,
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(SplitError {
        message: "The front matter opened on line 1 is never closed.".into(),
        offset: 0,
        hint: Some("add a line with only `+++` after the last front-matter key, before the narrative".into()),
    })
}

const EXAMPLE: &str = "  +++\n  title = \"Late-shift handover of a refund query\"\n  date = 2026-03-14\n  method = \"observation\"\n  criteria = [\"3.1\", \"3.2\"]\n  +++";

/// The front matter as written, before codes and methods are resolved.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    #[schemars(with = "Option<String>")]
    #[schemars(description = "Defaults to the path under evidence/ without .md. Letters, digits, -_./")]
    pub id: Option<Spanned<String>>,
    #[schemars(with = "String")]
    #[schemars(description = "What happened, in a few words.")]
    pub title: Spanned<String>,
    #[schemars(with = "crate::json_schema::TomlDate")]
    #[schemars(description = "When: YYYY-MM-DD, e.g. 2026-03-14. Not after today, not before you were registered.")]
    pub date: Spanned<toml::Value>,
    #[schemars(with = "String")]
    #[schemars(
        description = "How the evidence was gathered: observation, witness testimony, professional discussion, questioning, reflective account, product, customer record, service offer, documentation, policy and legislation, and others the unit lists."
    )]
    pub method: Spanned<String>,
    #[schemars(with = "Vec<String>")]
    #[schemars(
        description = "The codes the item shows, each in its own quotes: [\"3.1\", \"3.2\"]; may be [] if the text marks them with [[code]]."
    )]
    pub criteria: Spanned<Vec<Spanned<String>>>,
    #[schemars(with = "Option<String>")]
    #[schemars(description = "Which occasion the item belongs to; defaults to the date.")]
    pub occasion: Option<Spanned<String>>,
    #[schemars(with = "Option<RawWitness>")]
    #[schemars(
        description = "For witness testimony: { name = \"...\", role = \"...\" }, optionally relationship, contact, competence and status_confirmed."
    )]
    pub witness: Option<Spanned<RawWitness>>,
    #[schemars(description = "Where a workplace document is kept, when it is not in the portfolio.")]
    pub held_at: Option<String>,
    #[schemars(
        description = "true for evidence from a simulation (a role play): it does not count where real work is required."
    )]
    pub simulated: Option<bool>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    #[schemars(
        description = "Paths from the portfolio folder, with / between folders: [\"attachments/IMG_2041.JPG\"]."
    )]
    pub attachments: Vec<Spanned<String>>,
    #[schemars(with = "Option<RawAssessment>")]
    #[schemars(description = "[assessment], written by the assessor: decision, by, date, feedback.")]
    pub assessment: Option<Spanned<RawAssessment>>,
    #[schemars(with = "Option<crate::handover::RawHandover>")]
    #[schemars(description = "[handover]: a structured handover record (docs/evidence-format.md).")]
    pub handover: Option<Spanned<crate::handover::RawHandover>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWitness {
    #[schemars(description = "The witness's name.")]
    pub name: Option<String>,
    #[schemars(description = "Their role, e.g. \"Team leader\".")]
    pub role: Option<String>,
    #[schemars(description = "How they know you, e.g. \"line manager\".")]
    pub relationship: Option<String>,
    #[schemars(description = "An e-mail or telephone number, for the quality assurers.")]
    pub contact: Option<String>,
    #[schemars(
        description = "Their occupational competence or expertise in what they witnessed (RF03), e.g. \"Team leader in billing for 6 years\"."
    )]
    pub competence: Option<String>,
    #[schemars(
        description = "true once the assessor has confirmed the witness's status (RF03); false while not. Typed here, like [assessment]."
    )]
    pub status_confirmed: Option<bool>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAssessment {
    #[schemars(with = "String")]
    #[schemars(description = "accepted, referred or pending.")]
    pub decision: Spanned<String>,
    #[schemars(description = "The assessor, as named in portfolio.toml.")]
    pub by: Option<String>,
    #[schemars(with = "Option<crate::json_schema::TomlDate>")]
    #[schemars(description = "The day of the decision: from the item's date to today.")]
    pub date: Option<Spanned<toml::Value>>,
    #[schemars(description = "The assessor's feedback to the learner.")]
    pub feedback: Option<String>,
}

/// The JSON Schema of an evidence item's front matter (see [`crate::schemas`]).
pub fn schema() -> schemars::Schema {
    crate::json_schema::titled(
        crate::json_schema::generator().into_root_schema_for::<RawItem>(),
        "Evidence item front matter",
        "The TOML between the +++ lines at the top of an evidence item (docs/evidence-format.md).",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\ntitle = \"x\"\n+++\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(s.front, "title = \"x\"\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
        assert_eq!(&text[s.front_offset..s.front_offset + 5], "title");
    }

    #[test]
    fn explains_what_is_missing() {
        assert!(split("").unwrap_err().message.contains("empty"));
        assert!(split("  \n").unwrap_err().message.contains("empty"));
        let no_open = split("title = \"x\"\n").unwrap_err();
        assert!(no_open.hint.unwrap().contains("forget"));
        let yaml = split("---\ntitle: x\n---\n").unwrap_err();
        assert!(yaml.hint.unwrap().contains("YAML"));
        assert!(split("+++\ntitle = 1\n").unwrap_err().message.contains("never closed"));
        assert!(split("+++").unwrap_err().message.contains("never closed"));
    }

    #[test]
    fn decodes_bom_and_crlf_and_rejects_other_encodings() {
        assert_eq!(decode(b"\xEF\xBB\xBF+++\r\na\r\n").unwrap(), "+++\na\n");
        assert!(decode(b"\xFF\xFE+\x00").unwrap_err().message.contains("UTF-16"));
        let bad = decode(b"+++\nab\xC3(\n").unwrap_err();
        assert_eq!(bad.offset, 6);
    }
}
