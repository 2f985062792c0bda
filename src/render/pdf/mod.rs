//! The PDF renderer (in progress): the document typeset for A4.

use crate::document::Document;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF renderer is not available yet")]
    NotYet,
}

/// Renders `doc` as PDF bytes.
pub fn render(_doc: &Document) -> Result<Vec<u8>, PdfError> {
    Err(PdfError::NotYet)
}
