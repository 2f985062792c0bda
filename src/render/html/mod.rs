//! The HTML renderer: the document as one self-contained, accessible page.
//!
//! Templates are Tera, embedded from `templates/`; a folder given with
//! `--templates` replaces them file by file. Autoescaping is on; the only
//! HTML that is not escaped is what [`markdown::to_html`] produced from the
//! learner's Markdown after removing every piece of markup they wrote.

pub mod markdown;

use crate::document::{AttachmentDoc, Document, ItemDoc};
use crate::source::{Kind, Source};
use base64::Engine;
use markdown::{Placement, render, to_html};
use serde::Serialize;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The embedded templates: (name, source). `layout.html` is rendered; it
/// includes the others.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../../../templates/layout.html")),
    ("cover.html", include_str!("../../../templates/cover.html")),
    (
        "qualification.html",
        include_str!("../../../templates/qualification.html"),
    ),
    ("summary.html", include_str!("../../../templates/summary.html")),
    ("grid.html", include_str!("../../../templates/grid.html")),
    ("locations.html", include_str!("../../../templates/locations.html")),
    ("gaps.html", include_str!("../../../templates/gaps.html")),
    ("reflection.html", include_str!("../../../templates/reflection.html")),
    ("item.html", include_str!("../../../templates/item.html")),
    ("criteria.html", include_str!("../../../templates/criteria.html")),
    ("witnesses.html", include_str!("../../../templates/witnesses.html")),
    ("achievement.html", include_str!("../../../templates/achievement.html")),
    ("declaration.html", include_str!("../../../templates/declaration.html")),
    ("style.css", include_str!("../../../templates/style.css")),
    ("cohort.html", include_str!("../../../templates/cohort.html")),
    ("cohort.js", include_str!("../../../templates/cohort.js")),
];

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("cannot read the templates folder {}: {source}", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the templates ({name}) do not compile:\n{message}")]
    Template { name: String, message: String },
    #[error("rendering the portfolio: {0}")]
    Render(String),
}

/// Parsed templates, ready to render many documents.
pub struct HtmlRenderer {
    tera: tera::Tera,
}

impl HtmlRenderer {
    /// The embedded templates, with those in the folder `overrides` on
    /// disk replacing them by name.
    pub fn new(overrides: Option<&Path>) -> Result<HtmlRenderer, HtmlError> {
        match overrides {
            Some(dir) => HtmlRenderer::with_templates(Some(&crate::source::DiskSource::new(dir))),
            None => HtmlRenderer::with_templates(None),
        }
    }

    /// The embedded templates, with those at the top of the templates
    /// folder `overrides` replacing them by name.
    pub fn with_templates(overrides: Option<&dyn Source>) -> Result<HtmlRenderer, HtmlError> {
        let mut sources: Vec<(String, String)> =
            TEMPLATES.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
        if let Some(dir) = overrides {
            for (name, text) in read_overrides(dir)? {
                match sources.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = text,
                    None => sources.push((name, text)),
                }
            }
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".css"]);
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| HtmlError::Template {
                name: overrides.map_or_else(|| "(built-in)".to_string(), |d| d.name().display().to_string()),
                message: error_chain(&e),
            })?;
        Ok(HtmlRenderer { tera })
    }

    /// Renders the whole portfolio page.
    pub fn render(&self, doc: &Document) -> Result<String, HtmlError> {
        let view = View::new(doc);
        let mut context = tera::Context::new();
        context.insert("doc", doc);
        context.insert("items", &view.items);
        context.insert("reflection_html", &view.reflection_html);
        context.insert("generator", concat!("portfolio ", env!("CARGO_PKG_VERSION")));
        self.tera
            .render("layout.html", &context)
            .map_err(|e| HtmlError::Render(error_chain(&e)))
    }
}

impl HtmlRenderer {
    /// Renders the cohort dashboard.
    pub fn render_cohort(
        &self,
        cohort: &crate::document::cohort::CohortJson,
        formats: crate::render::Formats,
    ) -> Result<String, HtmlError> {
        let mut assessors: Vec<&str> = cohort
            .learners
            .iter()
            .map(|l| l.assessor.as_str())
            .filter(|a| !a.is_empty())
            .collect();
        assessors.sort_unstable();
        assessors.dedup();
        let mut context = tera::Context::new();
        context.insert("cohort", cohort);
        context.insert("assessors", &assessors);
        context.insert(
            "formats",
            &serde_json::json!({ "html": formats.html, "pdf": formats.pdf, "json": formats.json }),
        );
        context.insert("generator", concat!("portfolio ", env!("CARGO_PKG_VERSION")));
        // The dashboard's one script, inline (the page is one file) and
        // allowed by its hash alone: no other script runs in it.
        let script = self
            .tera
            .render("cohort.js", &context)
            .map_err(|e| HtmlError::Render(error_chain(&e)))?;
        context.insert("script_hash", &script_hash(&script));
        context.insert("script", &script);
        self.tera
            .render("cohort.html", &context)
            .map_err(|e| HtmlError::Render(error_chain(&e)))
    }
}

/// The Content-Security-Policy source of an inline script's text (without
/// the quotes): `sha256-` and its SHA-256, in base64.
pub fn script_hash(script: &str) -> String {
    use sha2::Digest as _;
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()))
    )
}

fn read_overrides(dir: &dyn Source) -> Result<Vec<(String, String)>, HtmlError> {
    let mut out = Vec::new();
    let entries = dir.list(Path::new("")).map_err(|source| HtmlError::Folder {
        path: dir.name().to_path_buf(),
        source,
    })?;
    for (name, kind) in entries {
        // A link is read when it leads to a file, as `is_file` would.
        let file = match kind {
            Kind::File => true,
            Kind::Folder => false,
            Kind::Link => dir
                .open(Path::new(&name))
                .is_ok_and(|mut f| f.read(&mut [0u8; 1]).is_ok()),
        };
        if file && [".html", ".css", ".js"].iter().any(|ext| name.ends_with(ext)) {
            let text = crate::source::read_to_string(dir, Path::new(&name)).map_err(|source| HtmlError::Folder {
                path: dir.name().join(&name),
                source,
            })?;
            out.push((name, text));
        }
    }
    out.sort();
    Ok(out)
}

/// An error with its causes, on one line each.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(&format!("\n  caused by: {cause}"));
        source = cause.source();
    }
    s
}

/// What the templates need beyond the document: Markdown rendered, images
/// as data URIs.
struct View<'a> {
    items: Vec<ItemView<'a>>,
    reflection_html: Option<String>,
}

#[derive(Serialize)]
struct ItemView<'a> {
    #[serde(flatten)]
    item: &'a ItemDoc,
    body_html: String,
    attachments: Vec<AttachmentView<'a>>,
}

#[derive(Serialize)]
struct AttachmentView<'a> {
    #[serde(flatten)]
    attachment: &'a AttachmentDoc,
    data_uri: Option<String>,
    /// An image the narrative already shows where it stands.
    shown_inline: bool,
    /// A file that is not drawn, offered for download.
    download_uri: Option<String>,
}

impl<'a> View<'a> {
    fn new(doc: &'a Document) -> View<'a> {
        let items = doc
            .items
            .iter()
            .map(|item| {
                let encode = |data: &[u8]| base64::engine::general_purpose::STANDARD.encode(data);
                let pictures: Vec<Option<String>> = item
                    .attachments
                    .iter()
                    .map(|a| match (a.mime, &a.data) {
                        (Some(mime), Some(data)) => Some(format!("data:{mime};base64,{}", encode(data))),
                        _ => None,
                    })
                    .collect();
                let body = render(
                    &item.body,
                    &Placement {
                        under: 3,
                        prefix: &item.anchor,
                        refs: &item.refs,
                        item: Some(item),
                        pictures: &pictures,
                    },
                );
                let attachments = item
                    .attachments
                    .iter()
                    .zip(pictures)
                    .enumerate()
                    .map(|(i, (a, picture))| {
                        let shown_inline = body.shown.contains(&i);
                        AttachmentView {
                            attachment: a,
                            // Drawn in the narrative: not a second time.
                            data_uri: picture.filter(|_| !shown_inline),
                            shown_inline,
                            download_uri: match (a.mime, &a.data) {
                                (None, Some(data)) => {
                                    Some(format!("data:application/octet-stream;base64,{}", encode(data)))
                                }
                                _ => None,
                            },
                        }
                    })
                    .collect();
                ItemView {
                    item,
                    body_html: body.html,
                    attachments,
                }
            })
            .collect();
        let reflection_html = doc.reflection.as_ref().map(|r| {
            to_html(
                r,
                &Placement {
                    under: 2,
                    prefix: "reflection",
                    refs: &[],
                    item: None,
                    pictures: &[],
                },
            )
        });
        View { items, reflection_html }
    }
}
