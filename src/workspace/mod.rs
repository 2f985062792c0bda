//! The workspace: what the page's forms read and write, the same in
//! `portfolio serve` and in the browser build. It owns the text of the
//! files a learner's forms save ([`item_file`]): plain files a learner
//! could have written by hand, edited so that only what the form changed
//! changes. It never touches the disk; the front ends write what it returns.

pub mod api;
pub mod guidance;
pub mod item_file;
pub mod options;
pub mod panel;
pub mod start;
