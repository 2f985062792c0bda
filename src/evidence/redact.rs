//! `--redact`: masking what looks like personal data in a loaded portfolio
//! and in problems, before anything is rendered.

use super::Portfolio;
use crate::diagnostic::Problem;

/// Masks everything that looks like personal data in the portfolio's text,
/// so that every output made from it is safe to send (`--redact`).
pub fn redact(portfolio: &mut Portfolio) {
    let scanner = portfolio.settings.scanner.clone();
    let mask = |s: &mut String| {
        let masked = scanner.redact(s);
        if masked != *s {
            *s = masked;
        }
    };
    if let Some(r) = &mut portfolio.reflection {
        mask(r);
    }
    for item in &mut portfolio.items {
        mask(&mut item.title);
        mask(&mut item.body);
        mask(&mut item.occasion);
        for s in item.held_at.iter_mut() {
            mask(s);
        }
        if let Some(w) = &mut item.witness {
            for s in w.name.iter_mut().chain(w.role.iter_mut()) {
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
    }
    for p in &mut portfolio.problems {
        redact_problem(p, &scanner);
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
