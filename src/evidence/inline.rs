//! Inline criterion references in an item's narrative: `[[3.2]]` marks where
//! a criterion is shown. Code blocks and code spans are skipped, so a learner
//! can write about the syntax without tagging anything.

/// One `[[code]]` in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineRef {
    /// The code as written, trimmed: `3.2`, `cfacsb16:P5`.
    pub code: String,
    /// Byte offset of the opening `[[` in the body.
    pub offset: usize,
    /// Line in the body, from 1.
    pub line: usize,
    /// Column (characters, from 1) of the opening `[[`.
    pub column: usize,
}

/// Longest code accepted between the brackets.
const MAX_CODE: usize = 48;

/// Finds every `[[code]]` in `body`, in order.
pub fn find_refs(body: &str) -> Vec<InlineRef> {
    let mut refs = Vec::new();
    let mut fence: Option<&str> = None;
    let mut offset = 0;
    for (index, line) in body.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(open), Some(m)) if open == m => fence = None,
            (None, None) => scan_line(line, offset, index + 1, &mut refs),
            _ => {}
        }
        offset += line.len();
    }
    refs
}

fn scan_line(line: &str, line_offset: usize, line_no: usize, refs: &mut Vec<InlineRef>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut in_code = false;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => {
                in_code = !in_code;
                i += 1;
            }
            b'[' if !in_code && bytes.get(i + 1) == Some(&b'[') => {
                let start = i + 2;
                let end = line[start..].find("]]").map(|e| start + e);
                match end {
                    Some(end) if looks_like_code(line[start..end].trim()) => {
                        refs.push(InlineRef {
                            code: line[start..end].split_whitespace().collect::<Vec<_>>().join(" "),
                            offset: line_offset + i,
                            line: line_no,
                            column: line[..i].chars().count() + 1,
                        });
                        i = end + 2;
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
}

/// How deeply a line of Markdown nests block quotes and lists, estimated
/// from its leading markers (`>`, `-`, `*`, `+`, `1.`) and indentation.
/// Cheap and never below the real depth for ordinary text.
pub fn line_nesting(line: &str) -> usize {
    let mut depth = 0;
    let mut spaces = 0;
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' if depth == 0 => spaces += 1,
            '\t' if depth == 0 => spaces += 4,
            ' ' | '\t' => {}
            '>' => depth += 1,
            '-' | '*' | '+' => {
                chars.next();
                if chars.peek().is_some_and(|n| n.is_whitespace()) {
                    depth += 1;
                    continue;
                }
                break;
            }
            '0'..='9' => {
                while chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                    chars.next();
                }
                if chars.peek().is_some_and(|d| *d == '.' || *d == ')') {
                    chars.next();
                    if chars.peek().is_some_and(|n| n.is_whitespace()) {
                        depth += 1;
                        continue;
                    }
                }
                break;
            }
            _ => break,
        }
        chars.next();
    }
    depth + spaces / 4
}

/// What between `[[` and `]]` is taken as a criterion reference: a code
/// ([`is_code`]), or two words that read as a code written with a space —
/// a number such as `1.1` or `5` and a label of one to three letters, in
/// either order (`AC 1.1`, `5.1 a`, `P 5`). The second kind never resolves
/// (codes have no spaces) and is reported with a suggestion, so it is not
/// silently ignored; wiki-style text (`[[team wiki]]`, `[[notes from 3 May]]`)
/// is neither and stays text.
pub fn looks_like_code(s: &str) -> bool {
    if is_code(s) {
        return true;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    let number =
        |w: &str| w.starts_with(|c: char| c.is_ascii_digit()) && w.chars().all(|c| c.is_ascii_digit() || c == '.');
    let label = |w: &str| (1..=3).contains(&w.len()) && w.chars().all(|c| c.is_ascii_alphabetic());
    s.len() <= MAX_CODE && matches!(words.as_slice(), [a, b] if (number(a) && label(b)) || (label(a) && number(b)))
}

/// Letters, digits and `.:_-`, starting with a letter or digit.
pub fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_CODE
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || ".:_-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(body: &str) -> Vec<(String, usize, usize)> {
        find_refs(body)
            .into_iter()
            .map(|r| (r.code, r.line, r.column))
            .collect()
    }

    #[test]
    fn finds_refs_with_line_and_column() {
        let body = "I told the customer [[3.1]].\nThen I briefed Sam [[ 3.2 ]] and [[cfacsb16:P5]].\n";
        assert_eq!(
            codes(body),
            [
                ("3.1".into(), 1, 21),
                ("3.2".into(), 2, 20),
                ("cfacsb16:P5".into(), 2, 34)
            ]
        );
        let r = &find_refs(body)[1];
        assert_eq!(&body[r.offset..r.offset + 2], "[[");
    }

    #[test]
    fn skips_code_and_non_codes() {
        let body = "`[[3.1]]` is the syntax.\n```\n[[3.2]]\n```\nA [[wiki link with spaces]] and [[]] and [[3.3\n";
        assert!(codes(body).is_empty(), "{:?}", codes(body));
    }

    #[test]
    fn codes_written_with_a_space_are_references_but_wiki_text_is_not() {
        let body = "Shown [[AC 1.1]] and [[5.1  a]] and [[P 5]].\nSee [[team wiki]], [[notes from 3 May]], [[Meeting notes 2026]] and [[a b]].\n";
        assert_eq!(
            codes(body),
            [("AC 1.1".into(), 1, 7), ("5.1 a".into(), 1, 22), ("P 5".into(), 1, 37)]
        );
    }

    #[test]
    fn nesting_is_estimated_from_markers() {
        assert_eq!(line_nesting("plain text"), 0);
        assert_eq!(line_nesting("> quote"), 1);
        assert_eq!(line_nesting("> > - item"), 3);
        assert_eq!(line_nesting(&"- ".repeat(100)), 100);
        assert_eq!(line_nesting(&format!("{}x", ">".repeat(70))), 70);
        assert_eq!(line_nesting("        - indented"), 3);
        assert_eq!(line_nesting("12. numbered"), 1);
        assert_eq!(line_nesting("-5 degrees"), 0);
        assert_eq!(line_nesting("2026-03-14"), 0);
    }

    #[test]
    fn handles_odd_input_without_panicking() {
        for body in ["[[", "]]", "[[[[3.1]]]]", "é[[é]]", "[[3.1]", "~~~\n[[3.1]]"] {
            let _ = find_refs(body);
        }
        assert_eq!(codes("[[[[3.1]]]]").len(), 1);
    }
}
