//! Renderers: the [`crate::document::Document`] as HTML, as PDF and as an
//! iCalendar of follow-ups, and the cohort dashboard from its model. They
//! read only the document models; they never walk the disk or recompute
//! coverage.

pub mod html;
pub mod ics;
pub mod pdf;

/// Which files `build` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Formats {
    pub html: bool,
    pub pdf: bool,
    pub json: bool,
    /// follow-ups.ics (to-dos) and follow-ups-events.ics (all-day events),
    /// written when the handover records have any.
    pub ics: bool,
    /// Flush each file to disk before renaming it into place (see
    /// [`crate::build::write::write_file`]).
    pub sync: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats {
            html: true,
            pdf: true,
            json: true,
            ics: true,
            sync: true,
        }
    }
}
