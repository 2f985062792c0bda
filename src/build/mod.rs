//! Building a checked portfolio's outputs: the document model once, then
//! each requested format rendered in memory and written atomically.

use crate::document::{Document, build_date};
use crate::error::Error;
pub mod write;

use crate::render::html::HtmlRenderer;
use crate::render::ics;
use crate::report::{Checked, check_json};
use std::path::{Path, PathBuf};
use write::{prepare_out_dir, write_file};

pub use crate::render::Formats;

/// Builds one learner's outputs: the document model once (dated by
/// `source_date_epoch` when given, else by the inputs), then every format
/// rendered in memory and written into `out`. Nothing is written when the
/// portfolio has an input error, or when any renderer fails: all outputs
/// are rendered before the first is written. `build` and `batch` both call
/// this.
pub fn build(
    checked: Checked<'_>,
    out: &Path,
    formats: Formats,
    html: &HtmlRenderer,
    source_date_epoch: Option<&str>,
) -> Result<Vec<PathBuf>, Error> {
    let errors = checked.coverage.problems.iter().filter(|p| p.is_error()).count();
    if errors > 0 {
        return Err(Error::InputErrors { count: errors });
    }
    let doc = &Document::build(checked, build_date(checked, source_date_epoch));
    let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
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
    prepare_out_dir(out, &checked.portfolio.root)?;
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = out.join(name);
        write_file(&path, &bytes, formats.sync)?;
        written.push(path);
    }
    Ok(written)
}
