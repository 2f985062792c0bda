//! The labelled rows of a handover record, worded once: the HTML and the
//! PDF print these labels and values as they are (dates as "14 March 2026",
//! outcomes as "Not done"), so the two never disagree.

use super::LabelledRow;

/// "Confirm the refund — Sam Jones, by 15 March 2026".
fn action_text(a: &crate::handover::Action) -> String {
    let mut s = a.action.clone();
    if let Some(o) = &a.owner {
        s.push_str(&format!(" — {o}"));
    }
    if let Some(d) = a.due {
        s.push_str(&format!(", by {}", d.long()));
    }
    s
}

/// The rows of a handover record: each part only when it is there.
pub fn rows(h: &crate::handover::Handover) -> Vec<LabelledRow> {
    use crate::handover::Outcome;
    let mut rows: Vec<LabelledRow> = Vec::new();
    let mut row = |label: &str, text: String| rows.push(LabelledRow::new(label, text));
    if let Some(to) = &h.to {
        let mut s = to.name.clone().unwrap_or_default();
        if let Some(r) = &to.role {
            s.push_str(&format!(", {r}"));
        }
        if let Some(t) = &to.team {
            s.push_str(&format!(" ({t})"));
        }
        row("Handed to", s);
    }
    for (label, text) in [
        ("Situation", &h.situation),
        ("Background", &h.background),
        ("Assessment", &h.assessment),
        ("Recommendation", &h.recommendation),
    ] {
        if let Some(t) = text {
            row(label, t.clone());
        }
    }
    if !h.exchanged_by.is_empty() {
        row("Exchanged by", h.exchanged_by.join(", "));
    }
    if let Some(t) = &h.customer_told {
        row("Customer told", t.clone());
    }
    if h.receiver_confirmed == Some(true) {
        row(
            "Receiver confirmed",
            "Yes, the receiver confirmed they understood".to_string(),
        );
    }
    for (i, a) in h.actions.iter().enumerate() {
        row(&format!("Action {}", i + 1), action_text(a));
    }
    if let Some(r) = &h.reminder {
        let mut s = r.date.map(crate::date::Date::long).unwrap_or_default();
        if let Some(how) = &r.how {
            if s.is_empty() {
                s = how.clone();
            } else {
                s.push_str(&format!(" ({how})"));
            }
        }
        row("Reminder", s);
    }
    if let Some(c) = &h.check {
        let mut s = match c.outcome {
            Outcome::Done => "Done",
            Outcome::NotDone => "Not done",
            Outcome::PartlyDone => "Partly done",
        }
        .to_string();
        if let Some(d) = c.date {
            s.push_str(&format!(" on {}", d.long()));
        }
        if let Some(n) = &c.note {
            s.push_str(&format!(": {n}"));
        }
        row("Completion check", s);
    }
    for (i, a) in h.further_actions.iter().enumerate() {
        row(&format!("Further action {}", i + 1), action_text(a));
    }
    if let Some(f) = &h.feedback {
        row("Feedback shared", f.clone());
    }
    rows
}
