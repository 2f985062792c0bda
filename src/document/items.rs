//! The items as the document shows them: badges, references, decisions,
//! the handover record's rows, and the attachments read from the portfolio's
//! files (images kept for embedding, everything hashed).

use super::{
    AssessmentDoc, AttachmentDoc, Badge, InlineRef, ItemDoc, MAX_EMBEDDED_IMAGE, Usable, criterion_anchor,
    handover_rows, image_size, markdown, signed,
};
use crate::criteria::CritId;
use crate::report::display_path;
use crate::source::Source;
use std::path::Path;

/// The items, each with its badges, references, decisions and attachments.
pub(super) fn item_docs(p: &Usable<'_>, files: &dyn Source) -> Vec<ItemDoc> {
    let c = p.c;
    let crit = c.criteria;
    let cov = c.coverage;
    let (items, anchors, accepted) = (&p.items, &p.anchors, &p.accepted);
    let badge = |id: CritId| {
        let fw = crit.framework_of(id).id.clone();
        let code = crit.criterion(id).code.clone();
        Badge {
            anchor: criterion_anchor(&fw, &code),
            display_code: crit.display_code(id),
            code,
            framework: fw,
            status: cov.of(id).status,
        }
    };
    items
        .iter()
        .enumerate()
        .map(|(n, item)| ItemDoc {
            id: item.id.clone(),
            number: n + 1,
            anchor: anchors[n].clone(),
            file: display_path(&item.path),
            title: item.title.clone(),
            date: item.date,
            method: item.method.label().to_string(),
            method_id: item.method.name(),
            occasion: item.occasion.clone(),
            badges: item.criteria().into_iter().map(&badge).collect(),
            refs: markdown::references(&item.body)
                .into_iter()
                .filter_map(|(written, _)| {
                    let id = crit.resolve_preferring(&written, &c.portfolio.settings.assessed).ok()?;
                    Some(InlineRef {
                        written,
                        badge: badge(id),
                    })
                })
                .collect(),
            witness: item.witness.clone(),
            decisions: signed::of_item(&cov.decisions, &item.id),
            assessment: item.assessment.as_ref().map(|a| AssessmentDoc {
                decision: a.decision,
                by: a.by.clone(),
                date: a.date,
                feedback: a.feedback.clone(),
                note: if cov.decisions.roster {
                    Some(
                        "Typed in the evidence file, not signed: with a roster of signers it does not count."
                            .to_string(),
                    )
                } else if a.decision == crate::evidence::Decision::Accepted && !accepted[n] {
                    Some(
                        "This acceptance does not count (see Gaps and problems): only one recorded by an assessor named in portfolio.toml, dated from the item's date to today, does."
                            .to_string(),
                    )
                } else {
                    None
                },
            }),
            held_at: item.held_at.clone(),
            handover: item.handover.clone(),
            handover_rows: item.handover.as_ref().map(handover_rows::rows).unwrap_or_default(),
            body: item.body.clone(),
            attachments: item
                .attachments
                .iter()
                .filter_map(|a| {
                    a.resolved
                        .as_ref()
                        .map(|r| load_attachment(files, &a.path, r, c.portfolio.settings.redacted))
                })
                .collect(),
        })
        .collect()
}

/// What a redacted portfolio shows in place of an attachment it leaves out.
pub const WITHHELD: &str = "withheld: personal data may be present";

/// Reads an attachment: images up to [`MAX_EMBEDDED_IMAGE`] are kept for
/// embedding; everything is hashed as a stream, so a large file is never
/// held in memory. `redacted` (`--redact`): its name is the one written
/// (already masked), not the file's, and its bytes are left out, listed
/// as withheld, unless it is an image whose metadata could be stripped.
fn load_attachment(files: &dyn Source, written: &str, rel: &Path, redacted: bool) -> AttachmentDoc {
    use sha2::Digest;
    let named = if redacted { Path::new(written) } else { rel };
    let name = named
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let ext = rel
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let mime = match ext.as_str() {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        _ => None,
    };
    let mut hasher = sha2::Sha256::new();
    let mut size = 0u64;
    let mut data = Vec::new();
    // Images are drawn; other files are embedded (PDF file attachments,
    // HTML downloads) up to the same size.
    let mut keep = true;
    if let Ok(mut file) = files.open(rel) {
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n) = file.read(&mut buf) {
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            size += n as u64;
            if keep {
                if size > MAX_EMBEDDED_IMAGE {
                    keep = false;
                    data = Vec::new();
                } else {
                    data.extend_from_slice(&buf[..n]);
                }
            }
        }
    }
    let digest = hasher.finalize();
    let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
    let looks_right = match mime {
        Some("image/png") => data.starts_with(b"\x89PNG\r\n\x1a\n"),
        Some("image/jpeg") => data.starts_with(&[0xFF, 0xD8, 0xFF]),
        _ => false,
    };
    let mut note = (!keep).then(|| {
        format!(
            "not embedded: larger than the {} MB an embedded file may be",
            MAX_EMBEDDED_IMAGE / (1024 * 1024)
        )
    });
    // The header's size, before anything decodes the pixels.
    let mut image = keep && looks_right;
    if image && let Some(why) = image_size::dimensions(&data).and_then(|(w, h)| image_size::too_many_pixels(w, h)) {
        image = false;
        note = Some(why);
    }
    if redacted && keep {
        match mime
            .filter(|_| image)
            .and_then(|m| super::strip::strip_metadata(m, &data))
        {
            Some(stripped) => data = stripped,
            None => {
                keep = false;
                image = false;
                data = Vec::new();
                note = Some(WITHHELD.to_string());
            }
        }
    }
    AttachmentDoc {
        path: written.to_string(),
        name,
        size,
        sha256,
        mime: if image { mime } else { None },
        // An image that is not drawn (too many pixels, not what its name
        // says) is still embedded as a file.
        data: keep.then_some(data),
        note,
    }
}
