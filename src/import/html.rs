//! HTML descriptions to plain text: tags removed (block tags end a line),
//! the common character entities decoded, whitespace collapsed. Small and
//! careful rather than complete: a `<` that does not open a tag, or an entity
//! it does not know, is kept as written.

/// Tags after which the text continues on a new line.
const BLOCK: [&str; 22] = [
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "blockquote",
    "hr",
    "dd",
    "dt",
    "dl",
    "pre",
    "section",
    "article",
];

/// Named entities decoded; others stay as written.
const ENTITIES: [(&str, char); 22] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", ' '),
    ("ndash", '\u{2013}'),
    ("mdash", '\u{2014}'),
    ("lsquo", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("ldquo", '\u{201c}'),
    ("rdquo", '\u{201d}'),
    ("hellip", '\u{2026}'),
    ("bull", '\u{2022}'),
    ("middot", '\u{b7}'),
    ("copy", '\u{a9}'),
    ("reg", '\u{ae}'),
    ("trade", '\u{2122}'),
    ("pound", '\u{a3}'),
    ("euro", '\u{20ac}'),
    ("deg", '\u{b0}'),
    ("times", '\u{d7}'),
];

/// The text of `html`, one paragraph a line, with no empty lines.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // Each turn consumes at least one character of `rest`.
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                if let Some((len, name, closing)) = tag(rest) {
                    if BLOCK.contains(&name.as_str()) {
                        out.push('\n');
                    }
                    rest = &rest[len..];
                    if !closing && (name == "script" || name == "style") {
                        let end = format!("</{name}");
                        let found = rest.to_ascii_lowercase().find(&end).unwrap_or(rest.len());
                        rest = &rest[found..];
                    }
                    continue;
                }
                out.push('<');
            }
            '&' => {
                if let Some((len, ch)) = entity(rest) {
                    out.push(ch);
                    rest = &rest[len..];
                    continue;
                }
                out.push('&');
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    plain(&out)
}

/// Plain text with its lines trimmed, runs of spaces collapsed and empty
/// lines dropped.
pub fn plain(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

/// Lines joined into one: after a line that ends a sentence with a space,
/// otherwise with "; " (list items).
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push_str(if out.ends_with(['.', '!', '?', ':', ';', ',']) {
                " "
            } else {
                "; "
            });
        }
        out.push_str(line);
    }
    out
}

/// A tag or comment at the start of `s`: its length in bytes, its lower-case
/// name and whether it is a closing tag. `None` when `<` opens no tag.
fn tag(s: &str) -> Option<(usize, String, bool)> {
    if let Some(body) = s.strip_prefix("<!--") {
        let end = body.find("-->").map_or(s.len(), |e| 4 + e + 3);
        return Some((end, String::new(), false));
    }
    let after = &s[1..];
    let first = after.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '/' || first == '!' || first == '?') {
        return None;
    }
    let mut quote: Option<char> = None;
    let mut end = None;
    for (i, c) in after.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                end = Some(i);
                break;
            }
            (None, '<') => return None,
            _ => {}
        }
    }
    let end = end?;
    let inner = &after[..end];
    let closing = inner.starts_with('/');
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    Some((end + 2, name, closing))
}

/// An entity at the start of `s` (`&amp;`, `&#8217;`, `&#x2019;`): its
/// length in bytes and the character it stands for.
fn entity(s: &str) -> Option<(usize, char)> {
    let semi = s.bytes().take(12).position(|b| b == b';')?;
    let body = &s[1..semi];
    let ch = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code).filter(|c| *c != '\0')?
    } else {
        ENTITIES.iter().find(|(name, _)| *name == body).map(|(_, c)| *c)?
    };
    Some((semi + 1, ch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_become_lines_and_entities_are_decoded() {
        let html = "<p>Level 1 is for\nAssistants &amp; Operators.<br></p><p>&ldquo;Quoted&rdquo; &#8211; &#x2019;</p>";
        assert_eq!(
            to_text(html),
            "Level 1 is for Assistants & Operators.\n\u{201c}Quoted\u{201d} \u{2013} \u{2019}"
        );
    }

    #[test]
    fn attributes_comments_and_scripts_are_dropped() {
        let html = "<a href=\"x>y\">Source</a><!-- note --> <script>var a = '<p>';</script>done";
        assert_eq!(to_text(html), "Source done");
    }

    #[test]
    fn text_that_only_looks_like_markup_is_kept() {
        assert_eq!(
            to_text("a < b and c > d & e &bogus; 1<2"),
            "a < b and c > d & e &bogus; 1<2"
        );
        assert_eq!(to_text("unclosed <p tag"), "unclosed <p tag");
        assert_eq!(
            to_text("&#0; &#xFFFFFFF; &#99999999999;"),
            "&#0; &#xFFFFFFF; &#99999999999;"
        );
    }

    #[test]
    fn lists_put_each_item_on_its_own_line() {
        let html = "<ul><li>one</li>\n <li>two</li></ul>";
        assert_eq!(to_text(html), "one\ntwo");
        assert_eq!(
            one_line(&to_text(
                "<p>Intro:</p><ul><li>one</li><li>two</li></ul><p>End.</p><p>More</p>"
            )),
            "Intro: one; two; End. More"
        );
    }
}
