//! Which key a byte of a TOML text belongs to: the `[table]` header above it
//! and the keys of the inline tables it sits in (`[handover]` then
//! `reminder = { how = … }` gives `handover.reminder.how`). A small scanner
//! that knows strings, comments, headers and brackets, enough to name the
//! key in a message; it never fails and reads each byte once.

/// Where a byte is: the table of the header above it, and the keys inside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub table: Vec<String>,
    pub keys: Vec<String>,
}

/// The place of byte `offset` in `toml`. When the offset's line is a table
/// header, the place is that table.
pub fn place_at(toml: &str, offset: usize) -> Place {
    let mut end = offset.min(toml.len());
    while !toml.is_char_boundary(end) {
        end -= 1;
    }
    let line_start = toml[..end].rfind('\n').map_or(0, |i| i + 1);
    let line_end = toml[end..].find('\n').map_or(toml.len(), |i| end + i);
    if toml[line_start..line_end].trim_start().starts_with('[') && toml[line_start..end].trim().is_empty() {
        end = line_end;
    }
    scan(&toml[..end])
}

/// One open container: a table (`{` or the top level) or an array (`[`),
/// with the key whose value is being read in it.
struct Frame {
    table: bool,
    key: Option<Vec<String>>,
}

fn scan(text: &str) -> Place {
    let mut table: Vec<String> = Vec::new();
    let mut frames = vec![Frame { table: true, key: None }];
    let mut token = String::new();
    let mut line_start = true;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => {
                if frames.len() == 1 {
                    frames[0].key = None;
                }
                token.clear();
                line_start = true;
                continue;
            }
            c if c.is_whitespace() => continue,
            '#' => while chars.next_if(|&(_, c)| c != '\n').is_some() {},
            '"' | '\'' => {
                let triple = text[i..].starts_with(if c == '"' { "\"\"\"" } else { "'''" });
                if triple {
                    chars.next();
                    chars.next();
                }
                let mut escaped = false;
                let mut run = 0;
                for (_, d) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' && c == '"' {
                        escaped = true;
                    } else if d == c {
                        run += 1;
                        if !triple || run == 3 {
                            break;
                        }
                        continue;
                    } else if d == '\n' && !triple {
                        break;
                    }
                    run = 0;
                }
                token.push('"');
            }
            '[' if line_start && frames.len() == 1 => {
                let rest = &text[i..];
                let header = rest.split('\n').next().unwrap_or(rest);
                let name = header.split('#').next().unwrap_or(header);
                table = dotted(name.trim().trim_start_matches('[').trim_end_matches(']'));
                frames[0].key = None;
                while chars.next_if(|&(_, c)| c != '\n').is_some() {}
            }
            '=' => {
                if let Some(top) = frames.last_mut() {
                    top.key = Some(dotted(&token));
                }
                token.clear();
            }
            '{' | '[' => frames.push(Frame {
                table: c == '{',
                key: None,
            }),
            '}' | ']' => {
                if frames.len() > 1 {
                    frames.pop();
                }
            }
            ',' => {
                if let Some(top) = frames.last_mut().filter(|f| f.table) {
                    top.key = None;
                }
                token.clear();
            }
            _ => token.push(c),
        }
        line_start = false;
    }
    Place {
        table,
        keys: frames.into_iter().filter_map(|f| f.key).flatten().collect(),
    }
}

/// `a.b` → `["a", "b"]`; quoted parts lose their quotes.
fn dotted(s: &str) -> Vec<String> {
    s.split('.')
        .map(|p| p.trim().trim_matches(['"', '\'']).to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(toml: &str, needle: &str) -> String {
        let offset = toml.find(needle).unwrap();
        let p = place_at(toml, offset);
        p.table.iter().chain(&p.keys).cloned().collect::<Vec<_>>().join(".")
    }

    #[test]
    fn names_keys_in_tables_and_inline_tables() {
        assert_eq!(path("title = \"T\"\nwitness = \"Dana\"\n", "\"Dana"), "witness");
        let t = "[handover]\nreason = \"x, y\" # a, b\nreminder = { date = 2026-03-16, how = 1 }\n";
        assert_eq!(path(t, "1 }"), "handover.reminder.how");
        assert_eq!(path(t, "2026"), "handover.reminder.date");
        let t = "[handover]\nactions = [\n  { action = \"a\" },\n  { action = 5 },\n]\n";
        assert_eq!(path(t, "5"), "handover.actions.action");
        let t = "[[handover.actions]]\naction = \"a\"\nowner = 5\n";
        assert_eq!(path(t, "5"), "handover.actions.owner");
        assert_eq!(path("[learner]\nname = \"x\"\n[centre]\n", "[centre]"), "centre");
        assert_eq!(path("criteria = [\"1.1\", 2]\n", "2]"), "criteria");
        assert_eq!(path("s = \"\"\"a = [\n\"\"\"\nt = 1\n", "1"), "t");
    }

    #[test]
    fn never_panics_on_odd_text() {
        for t in ["[", "]]]", "\"", "a = {", "= = =", "é = 'ü", "'''\n", "[[a.b]"] {
            for i in 0..=t.len() {
                let _ = place_at(t, i);
            }
        }
    }
}
