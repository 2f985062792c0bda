//! `glyph-missing`: characters of an item that no embedded font can draw.
//! The PDF shows a white square in their place; `check` says so, with the
//! file, line and column. It lives beside the fonts it asks, and the
//! pipeline adds its warnings to the coverage's problems.

use crate::diagnostic::{Problem, Rule};
use crate::evidence::Item;

/// `glyph-missing`: characters of the item's title and narrative that the
/// PDF's fonts cannot draw (scripts they lack, such as kana); they print as a white
/// square. One warning per line, naming the characters.
pub fn glyph_missing(item: &Item, problems: &mut Vec<Problem>) {
    let texts = [
        (item.title.as_str(), item.lines.title),
        (item.body.as_str(), item.body_line),
    ];
    for (text, first) in texts {
        for (n, line) in text.lines().enumerate() {
            // Every printable ASCII character is in DejaVu Sans.
            if line.is_ascii() {
                continue;
            }
            let mut missing: Vec<char> = line.chars().filter(|c| !super::can_draw(*c)).collect();
            if missing.is_empty() {
                continue;
            }
            missing.dedup();
            missing.truncate(8);
            let list: Vec<String> = missing.iter().map(|c| format!("{c} (U+{:04X})", *c as u32)).collect();
            problems.push(
                Problem::new(
                    Rule::GlyphMissing,
                    format!(
                        "The PDF's fonts cannot draw {}; the PDF shows a white square (\u{25A1}) in its place. The HTML shows it as written.",
                        list.join(", ")
                    ),
                )
                .at(crate::diagnostic::Location {
                    file: item.path.clone(),
                    line: Some(first + n),
                    column: line.find(|c| !super::can_draw(c)).map(|b| line[..b].chars().count() + 1),
                })
                .with_hint("write it in words, or as a character the PDF fonts (DejaVu Sans, Symbola) have, if the PDF must show it")
                .for_item(&item.id),
            );
        }
    }
}
