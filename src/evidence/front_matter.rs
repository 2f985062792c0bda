//! Splitting an evidence file into its `+++` TOML front matter and Markdown
//! body, and the strict shape of that front matter.
//!
//! Text is decoded first (UTF-8, a BOM removed, CRLF read as LF); every
//! failure says where and what to do, in the manner of Zola's splitter.

use serde::Deserialize;
use toml::Spanned;

/// What went wrong before the TOML could be read: a message, the byte
/// offset it points at, and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub message: String,
    pub offset: usize,
    pub hint: Option<String>,
}

/// Decodes a file's bytes: UTF-8 with an optional BOM, CRLF to LF.
/// On failure, the message and the byte offset of the first bad byte.
pub fn decode(bytes: &[u8]) -> Result<String, SplitError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(SplitError {
            message: "The file is UTF-16 text; portfolio reads UTF-8.".into(),
            offset: 0,
            hint: Some("save it again as \"UTF-8\" (in Notepad: Save As, Encoding: UTF-8)".into()),
        });
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(if text.contains('\r') {
            text.replace("\r\n", "\n")
        } else {
            text.to_string()
        }),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // Report against the readable part so line and column are right.
            let text = String::from_utf8_lossy(good).replace("\r\n", "\n");
            Err(SplitError {
                message: format!(
                    "The file is not valid UTF-8 text (a bad byte, 0x{:02X}, after this point).",
                    bytes[e.valid_up_to()]
                ),
                offset: text.len(),
                hint: Some(
                    "save the file as UTF-8; text pasted from a word processor often carries stray bytes".into(),
                ),
            })
        }
    }
}

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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub id: Option<Spanned<String>>,
    pub title: Spanned<String>,
    pub date: Spanned<toml::Value>,
    pub method: Spanned<String>,
    pub criteria: Spanned<Vec<Spanned<String>>>,
    pub occasion: Option<Spanned<String>>,
    pub witness: Option<Spanned<RawWitness>>,
    pub held_at: Option<String>,
    pub simulated: Option<bool>,
    #[serde(default)]
    pub attachments: Vec<Spanned<String>>,
    pub assessment: Option<Spanned<RawAssessment>>,
    pub handover: Option<Spanned<crate::handover::RawHandover>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWitness {
    pub name: Option<String>,
    pub role: Option<String>,
    pub relationship: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAssessment {
    pub decision: Spanned<String>,
    pub by: Option<String>,
    pub date: Option<Spanned<toml::Value>>,
    pub feedback: Option<String>,
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
