//! Building a checked portfolio's outputs: the document model once, then
//! each requested format rendered in memory and written atomically.

use crate::document::{Document, build_date};
use crate::error::Error;
pub mod out_dir;
pub mod write;

use crate::render::html::HtmlRenderer;
use crate::render::ics;
use crate::report::{Checked, check_json};
use std::path::{Path, PathBuf};
use write::prepare_out_dir;

pub use crate::render::Formats;

/// Builds one learner's outputs from the portfolio whose files are
/// `files` (attachments are read from there): the document model once (dated by
/// `source_date_epoch` when given, else by the inputs), then every format
/// rendered in memory and written into `out`. Nothing is written when the
/// portfolio has an input error, or when any renderer fails: all outputs
/// are rendered before the first is written. `build` and `batch` both call
/// this.
pub fn build(
    checked: Checked<'_>,
    files: &dyn crate::source::Source,
    out: &Path,
    formats: Formats,
    html: &HtmlRenderer,
    source_date_epoch: Option<&str>,
) -> Result<Vec<PathBuf>, Error> {
    let outputs = render(checked, files, formats, html, source_date_epoch)?;
    prepare_out_dir(out, &checked.portfolio.root)?;
    // One build into a folder at a time, and its files replaced as a set:
    // two builds into one folder never leave one learner's HTML beside
    // another's PDF. The formats asked for own their file names: a
    // follow-ups.ics not written this time is removed, not left over.
    let lock = out_dir::lock(out)?;
    let mut drop = vec![out_dir::NOT_BUILT];
    for (asked, name) in [
        (formats.html, "portfolio.html"),
        (formats.pdf, "portfolio.pdf"),
        (formats.json, "coverage.json"),
        (formats.ics, "follow-ups.ics"),
    ] {
        if asked {
            drop.push(name);
        }
    }
    let written = out_dir::replace(&lock, &outputs, &drop, formats.sync)?;
    // The paths as given, not as resolved.
    Ok(written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|name| out.join(name))
        .collect())
}

/// One learner's outputs rendered in memory, by file name, in a fixed
/// order: what [`build`] writes and what the browser offers for download
/// (the same bytes). An input error is an `Err`: nothing is rendered.
pub fn render(
    checked: Checked<'_>,
    files: &dyn crate::source::Source,
    formats: Formats,
    html: &HtmlRenderer,
    source_date_epoch: Option<&str>,
) -> Result<Vec<(&'static str, Vec<u8>)>, Error> {
    let errors = checked.coverage.problems.iter().filter(|p| p.is_error()).count();
    if errors > 0 {
        return Err(Error::InputErrors { count: errors });
    }
    let doc = &Document::build_from(checked, files, build_date(checked, source_date_epoch));
    let mut files: Vec<(&'static str, Vec<u8>)> = Vec::new();
    if formats.html {
        files.push(("portfolio.html", html.render(doc)?.into_bytes()));
    }
    if formats.pdf {
        files.push(("portfolio.pdf", crate::render::pdf::render(doc)?));
    }
    if formats.json {
        let mut json = serde_json::to_vec_pretty(&check_json(checked))?;
        json.push(b'\n');
        files.push(("coverage.json", json));
    }
    if formats.ics && !doc.follow_ups.is_empty() {
        // Both kinds: to-dos for task apps, all-day events for calendars
        // that import only events. UIDs carry the learner's ULN or id.
        let l = &doc.learner;
        let learner = l.uln.as_deref().or(l.id.as_deref()).unwrap_or(&l.name);
        for kind in [ics::Kind::ToDo, ics::Kind::Event] {
            files.push((
                kind.file_name(),
                ics::calendar(&doc.follow_ups, learner, doc.build_date, kind).into_bytes(),
            ));
        }
    }
    Ok(files)
}
