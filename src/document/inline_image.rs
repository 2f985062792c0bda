//! Which of an item's attachments an inline Markdown image names:
//! `![caption](attachments/x.png)` written from the portfolio folder (as
//! the front matter's `attachments` are), or from the item's own folder
//! (`../attachments/x.png`, as a Markdown editor's preview resolves it),
//! with `./` steps and `%20`-style escapes allowed. Shared by the renderers,
//! so the PDF and the HTML resolve an image alike.

use super::ItemDoc;

/// The index in `item.attachments` of the attachment `url` names, if any.
pub fn attachment_for(item: &ItemDoc, url: &str) -> Option<usize> {
    let paths: Vec<&str> = item.attachments.iter().map(|a| a.path.as_str()).collect();
    position(&item.file, &paths, url)
}

/// The position in `paths` (attachments as written) of the one `url`
/// names, for an item whose file is `file` (from the portfolio folder).
fn position(file: &str, paths: &[&str], url: &str) -> Option<usize> {
    let url = percent_decoded(url.trim());
    let lower = url.to_ascii_lowercase();
    if url.is_empty() || lower.contains("://") || lower.starts_with("data:") || lower.starts_with("mailto:") {
        return None;
    }
    let url = url.replace('\\', "/");
    let from_root = normalise(&[], &url);
    let folder: Vec<&str> = file.split('/').collect();
    let folder = &folder[..folder.len().saturating_sub(1)];
    let from_item = normalise(folder, &url);
    paths.iter().position(|p| {
        let written = normalise(&[], &p.replace('\\', "/"));
        written.is_some() && (written == from_root || written == from_item)
    })
}

/// `path` joined to `base` with `.` and `..` steps resolved; `None` when it
/// climbs above the portfolio folder or is absolute.
fn normalise(base: &[&str], path: &str) -> Option<Vec<String>> {
    if path.starts_with('/') {
        return None;
    }
    let mut out: Vec<String> = base.iter().map(|s| s.to_string()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p.to_string()),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// `%XX` escapes decoded (as UTF-8); anything malformed is kept as written.
fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_the_portfolio_folder_or_the_item_folder() {
        let it = |url| position("evidence/04-x.md", &["attachments/a b.png", "attachments/c.png"], url);
        assert_eq!(it("attachments/c.png"), Some(1));
        assert_eq!(it("./attachments/c.png"), Some(1));
        assert_eq!(it("../attachments/c.png"), Some(1));
        assert_eq!(it("attachments/a%20b.png"), Some(0));
        assert_eq!(it(" attachments/a b.png "), Some(0));
    }

    #[test]
    fn other_urls_name_nothing() {
        let it = |url| position("evidence/04-x.md", &["attachments/c.png"], url);
        for url in [
            "attachments/d.png",
            "c.png",
            "https://example.org/attachments/c.png",
            "/attachments/c.png",
            "../../attachments/c.png",
            "data:image/png;base64,AAAA",
            "",
            "%zz",
        ] {
            assert_eq!(it(url), None, "{url}");
        }
    }
}
