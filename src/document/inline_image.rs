//! Which of an item's attachments an inline Markdown image names:
//! `![caption](attachments/x.png)` written from the portfolio folder (as
//! the front matter's `attachments` are), or from the item's own folder
//! (`../attachments/x.png`, as a Markdown editor's preview resolves it),
//! with `./` steps and `%20`-style escapes allowed. Shared by the renderers,
//! so the PDF and the HTML resolve an image alike, and by `check`'s
//! `image-not-attached` warning for an image that names none.

use super::ItemDoc;
use crate::diagnostic::{Location, Problem, Rule, display_path};
use comrak::nodes::NodeValue;

/// Most `image-not-attached` warnings one item gets.
const MAX_WARNINGS: usize = 20;

/// `image-not-attached`: Markdown images in the item's narrative that name
/// none of its attachments (a file not listed in `attachments`, a web
/// address); the PDF prints what they are instead of drawing them, the HTML
/// does not show them. Named by file, line and column.
pub fn image_not_attached(item: &crate::evidence::Item, problems: &mut Vec<Problem>) {
    // No image without "![" (or a reference-style image, which also
    // starts so): no need to parse.
    if !item.body.contains("![") {
        return;
    }
    let arena = comrak::Arena::new();
    let root = super::markdown::parse(&arena, &item.body);
    let paths: Vec<&str> = item.attachments.iter().map(|a| a.path.as_str()).collect();
    let file = display_path(&item.path);
    let mut found = 0;
    for node in root.descendants() {
        let data = node.data.borrow();
        let NodeValue::Image(link) = &data.value else {
            continue;
        };
        if position(&file, &paths, &link.url).is_some() {
            continue;
        }
        found += 1;
        if found > MAX_WARNINGS {
            break;
        }
        let url = link.url.trim();
        let pos = data.sourcepos.start;
        let column = item
            .body
            .lines()
            .nth(pos.line.saturating_sub(1))
            .and_then(|l| l.get(..pos.column.saturating_sub(1)))
            .map_or(pos.column, |before| before.chars().count() + 1);
        let web = url.contains("://");
        let hint = if web {
            "save the picture into attachments/, list it in `attachments` and write its path, e.g. ![caption](attachments/photo.png)".to_string()
        } else {
            format!(
                "list \"{url}\" in the item's `attachments`, or correct the path (written from the portfolio folder, as in `attachments`)"
            )
        };
        problems.push(
            Problem::new(
                Rule::ImageNotAttached,
                format!(
                    "The image `{url}` in the narrative is not among the item's attachments: the PDF prints its name in its place instead of drawing it, and the HTML does not show it."
                ),
            )
            .at(Location {
                file: item.path.clone(),
                line: Some(item.body_line + pos.line.saturating_sub(1)),
                column: Some(column),
            })
            .with_hint(hint)
            .for_item(&item.id),
        );
    }
}

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
