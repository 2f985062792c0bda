//! `--redact`: masking what looks like personal data in a loaded portfolio
//! and in problems, before anything is rendered. Every text the outputs
//! show is masked — the narratives and every front-matter and
//! `portfolio.toml` text, and the names the tool shows: item ids (which
//! default to file names), file and attachment paths. The portfolio is
//! marked as redacted, so that attachments are withheld or stripped of
//! their metadata when the document is built.

use super::Portfolio;
use crate::diagnostic::Problem;
use crate::privacy::Scanner;
use std::path::PathBuf;

/// Masks everything that looks like personal data in the portfolio's text
/// and names, so that every output made from it is safe to send
/// (`--redact`). Returns each item's id before and after, for what refers
/// to items by id (problems, decisions).
pub fn redact(portfolio: &mut Portfolio) -> Vec<(String, String)> {
    let scanner = portfolio.settings.scanner.clone();
    let mask = |s: &mut String| {
        let masked = scanner.redact(s);
        if masked != *s {
            *s = masked;
        }
    };
    portfolio.settings.redacted = true;
    let settings = &mut portfolio.settings;
    mask(&mut settings.learner.name);
    for s in settings.learner.id.iter_mut().chain(settings.learner.uln.iter_mut()) {
        mask(s);
    }
    mask(&mut settings.centre.name);
    for s in settings.centre.number.iter_mut() {
        mask(s);
    }
    mask(&mut settings.assessor.name);
    for a in &mut settings.assessors {
        mask(&mut a.name);
    }
    if let Some(r) = &mut portfolio.reflection {
        mask(r);
    }
    for item in &mut portfolio.items {
        mask(&mut item.title);
        mask(&mut item.body);
        mask(&mut item.occasion);
        for s in item.occasion_label.iter_mut().chain(item.held_at.iter_mut()) {
            mask(s);
        }
        if let Some(w) = &mut item.witness {
            for s in w
                .name
                .iter_mut()
                .chain(w.role.iter_mut())
                .chain(w.relationship.iter_mut())
                .chain(w.contact.iter_mut())
                .chain(w.competence.iter_mut())
            {
                mask(s);
            }
        }
        if let Some(a) = &mut item.assessment {
            for s in a.feedback.iter_mut().chain(a.by.iter_mut()) {
                mask(s);
            }
        }
        if let Some(h) = &mut item.handover {
            for s in h.texts_mut() {
                mask(s);
            }
        }
        item.path = redact_path(&scanner, &item.path);
        for a in &mut item.attachments {
            mask(&mut a.path);
        }
    }
    let ids = redact_ids(portfolio, &scanner);
    for p in &mut portfolio.problems {
        redact_problem(p, &scanner);
        redact_problem_names(p, &scanner, &ids);
    }
    ids
}

/// Masks the item ids, keeping them unique: a second id masked to the same
/// text gets `-2`, and so on.
fn redact_ids(portfolio: &mut Portfolio, scanner: &Scanner) -> Vec<(String, String)> {
    let mut taken: std::collections::HashSet<String> = portfolio
        .items
        .iter()
        .filter(|i| scanner.redact(&i.id) == i.id)
        .map(|i| i.id.clone())
        .collect();
    let mut ids = Vec::with_capacity(portfolio.items.len());
    for item in &mut portfolio.items {
        let masked = scanner.redact(&item.id);
        if masked != item.id {
            let mut unique = masked.clone();
            let mut n = 1;
            while taken.contains(&unique) {
                n += 1;
                unique = format!("{masked}-{n}");
            }
            taken.insert(unique.clone());
            ids.push((std::mem::replace(&mut item.id, unique.clone()), unique));
        } else {
            ids.push((item.id.clone(), item.id.clone()));
        }
    }
    ids
}

/// A path with personal data masked in it (forward slashes).
pub fn redact_path(scanner: &Scanner, path: &std::path::Path) -> PathBuf {
    let text = path.to_string_lossy().replace('\\', "/");
    let masked = scanner.redact(&text);
    if masked == text {
        path.to_path_buf()
    } else {
        PathBuf::from(masked)
    }
}

/// Without `--redact`: a problem's message and hint say what personal data
/// they would repeat in words ("an e-mail address") and its quoted line is
/// left out; no "[email removed]", which only `--redact` writes.
pub fn unrepeat_problem(p: &mut Problem, scanner: &crate::privacy::Scanner) {
    p.message = scanner.describe(&p.message);
    p.hint = p.hint.as_ref().map(|h| scanner.describe(h));
    if p.snippet.as_ref().is_some_and(|s| !scanner.scan(s).is_empty()) {
        p.snippet = None;
    }
}

/// Masks personal data in a problem's message, hint and quoted line.
pub fn redact_problem(p: &mut Problem, scanner: &crate::privacy::Scanner) {
    p.message = scanner.redact(&p.message);
    p.hint = p.hint.as_ref().map(|h| scanner.redact(h));
    p.snippet = p.snippet.as_ref().map(|s| scanner.redact(s));
}

/// With `--redact`, also the names a problem shows: its file and its item
/// (by the item's masked id, from `ids`).
pub fn redact_problem_names(p: &mut Problem, scanner: &Scanner, ids: &[(String, String)]) {
    if let Some(l) = &mut p.location {
        l.file = redact_path(scanner, &l.file);
    }
    if let Some(item) = &mut p.item {
        *item = match ids.iter().find(|(old, _)| old == item) {
            Some((_, new)) => new.clone(),
            None => scanner.redact(item),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Rule;

    /// Without `--redact` nothing says "[email removed]": who decided is
    /// named, a customer's address is described, and a quoted line holding
    /// one is left out.
    #[test]
    fn without_redact_no_mask_is_written() {
        let scanner = crate::privacy::Scanner::default();
        let shown = scanner.allowing(["j.patel@centre.example"]);
        let mut p = Problem::new(
            Rule::DecisionInvalid,
            "it is signed by j.patel@centre.example; the customer jo@example.com".to_string(),
        );
        p.snippet = Some("Mail jo@example.com".to_string());
        let mut masked = p.clone();
        unrepeat_problem(&mut p, &shown);
        assert_eq!(
            p.message,
            "it is signed by j.patel@centre.example; the customer an e-mail address"
        );
        assert_eq!(p.snippet, None);
        redact_problem(&mut masked, &scanner);
        assert_eq!(
            masked.message,
            "it is signed by [email removed]; the customer [email removed]"
        );
    }
}
