//! The sign-off: one declaration, built here and printed word for word by
//! the HTML and the PDF — the learner's declaration of authenticity, the
//! assessor's statement of sufficiency, the internal quality assurer's
//! sampling record and the external quality assurer's "sampled" line. When
//! the portfolio is short of what sign-off needs, it says so and why.

use crate::evidence::Decision;
use serde::Serialize;

/// The whole declaration.
#[derive(Debug, Clone, Serialize)]
pub struct Declaration {
    /// Whether the portfolio is ready for sign-off.
    pub ready: bool,
    /// Why not, one sentence each; empty when ready.
    pub reasons: Vec<String>,
    pub blocks: Vec<SignBlock>,
}

/// One signatory's block: a heading, what they declare, lines to fill in.
#[derive(Debug, Clone, Serialize)]
pub struct SignBlock {
    /// "learner", "assessor", "iqa", "eqa".
    pub key: &'static str,
    pub heading: String,
    pub statement: String,
    pub fields: Vec<SignField>,
    /// Decisions already recorded in the evidence, shown beside the lines.
    pub recorded: Vec<String>,
}

/// A label and either a printed value or a line to write on.
#[derive(Debug, Clone, Serialize)]
pub struct SignField {
    pub label: String,
    /// Printed on (or instead of) the line; `None` leaves the line blank.
    pub value: Option<String>,
    /// A tall box for comments rather than one line.
    pub tall: bool,
}

fn field(label: &str, value: Option<String>) -> SignField {
    SignField {
        label: label.to_string(),
        value,
        tall: false,
    }
}

/// What the sign-off reads from the rest of the document.
pub struct SignOffFacts<'a> {
    pub learner: &'a str,
    pub assessor: &'a str,
    /// "Unit 214: Carry out customer service handovers".
    pub unit: String,
    pub headline: &'a crate::report::Headline,
    /// Each usable item's recorded decision: (decision, by, date).
    pub decisions: Vec<(Decision, Option<&'a str>, Option<crate::date::Date>)>,
    /// Items awaiting a decision.
    pub awaiting: usize,
}

/// Builds the declaration.
pub fn declaration(f: &SignOffFacts<'_>) -> Declaration {
    let mut reasons = Vec::new();
    if !f.headline.all_met {
        reasons.push(format!("{}.", f.headline.text));
    }
    if f.awaiting > 0 {
        reasons.push(format!(
            "{} {} an assessor's decision.",
            f.awaiting,
            if f.awaiting == 1 { "item awaits" } else { "items await" }
        ));
    }
    if f.learner.trim().is_empty() {
        reasons.push("portfolio.toml does not name the learner ([learner] name).".into());
    }
    if f.assessor.trim().is_empty() {
        reasons.push("portfolio.toml does not name the assessor ([assessor] name).".into());
    }
    let named = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());

    let count = |d: Decision| f.decisions.iter().filter(|x| x.0 == d).count();
    let mut recorded = Vec::new();
    let accepted = count(Decision::Accepted);
    if accepted > 0 {
        let latest = f
            .decisions
            .iter()
            .filter(|x| x.0 == Decision::Accepted)
            .filter_map(|x| x.2)
            .max();
        let by: std::collections::BTreeSet<&str> = f
            .decisions
            .iter()
            .filter(|x| x.0 == Decision::Accepted)
            .filter_map(|x| x.1)
            .collect();
        recorded.push(format!(
            "Recorded: {accepted} {} accepted{}{}.",
            if accepted == 1 { "item" } else { "items" },
            if by.is_empty() {
                String::new()
            } else {
                format!(" by {}", by.into_iter().collect::<Vec<_>>().join(", "))
            },
            latest.map(|d| format!(", latest on {}", d.long())).unwrap_or_default()
        ));
    }
    // Pending decisions are not counted here: the items waiting for a
    // decision are counted once, in the reasons above ("4 items await an
    // assessor's decision"), whether a pending decision is recorded for
    // them or none (issue 29: one count, from one place).
    let referred = count(Decision::Referred);
    if referred > 0 {
        recorded.push(format!(
            "Recorded: {referred} {} referred.",
            if referred == 1 { "item" } else { "items" }
        ));
    }

    let blocks = vec![
        SignBlock {
            key: "learner",
            heading: "Learner's declaration of authenticity".into(),
            statement: format!(
                "I declare that the evidence in this portfolio for {} is my own work, produced by me in the course of my job. Where other people contributed (witness testimonies, records written with colleagues), their part is shown as theirs.",
                f.unit
            ),
            fields: vec![
                field("Learner", named(f.learner)),
                field("Signature", None),
                field("Date", None),
            ],
            recorded: Vec::new(),
        },
        SignBlock {
            key: "assessor",
            heading: "Assessor's statement of sufficiency".into(),
            statement: "I confirm that I have assessed this evidence against every assessment criterion of the unit, that it is valid, authentic, current and sufficient, and that, to the best of my knowledge, it is the learner's own work.".into(),
            fields: vec![
                field("Assessor", named(f.assessor)),
                field("Signature", None),
                field("Date", None),
            ],
            recorded,
        },
        SignBlock {
            key: "iqa",
            heading: "Internal quality assurance".into(),
            statement: "Record whether this portfolio was sampled by the centre's internal quality assurer, and the outcome.".into(),
            fields: vec![
                field("IQA name", None),
                field("Sampled (yes / no)", None),
                field("Date", None),
                SignField {
                    label: "Comments".into(),
                    value: None,
                    tall: true,
                },
                field("Signature", None),
            ],
            recorded: Vec::new(),
        },
        SignBlock {
            key: "eqa",
            heading: "External quality assurance".into(),
            statement: "For the awarding organisation's external quality assurer.".into(),
            fields: vec![
                field("EQA sampled (yes / no)", None),
                field("EQA name", None),
                field("Date", None),
            ],
            recorded: Vec::new(),
        },
    ];
    Declaration {
        ready: reasons.is_empty(),
        reasons,
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Headline;

    fn headline(all_met: bool) -> Headline {
        Headline {
            complete: true,
            all_met,
            awaiting: if all_met { 0 } else { 2 },
            need_evidence: 0,
            errors: 0,
            text: if all_met {
                "Complete: every criterion met".into()
            } else {
                "Evidence complete — 2 criteria awaiting assessment".into()
            },
            tone: crate::coverage::Status::Met,
        }
    }

    fn facts(h: &Headline, awaiting: usize) -> SignOffFacts<'_> {
        SignOffFacts {
            learner: "Amira Khan",
            assessor: "J. Patel",
            unit: "Unit 214".into(),
            headline: h,
            decisions: vec![(Decision::Accepted, Some("J. Patel"), crate::date::Date::new(2026, 3, 3))],
            awaiting,
        }
    }

    #[test]
    fn a_portfolio_awaiting_decisions_is_not_ready_and_says_why() {
        let h = headline(false);
        let d = declaration(&facts(&h, 1));
        assert!(!d.ready);
        assert_eq!(
            d.reasons,
            [
                "Evidence complete — 2 criteria awaiting assessment.",
                "1 item awaits an assessor's decision."
            ]
        );
    }

    #[test]
    fn items_waiting_for_a_decision_are_counted_once() {
        let h = headline(false);
        let mut f = facts(&h, 4);
        f.decisions.push((Decision::Pending, Some("J. Patel"), None));
        f.decisions.push((Decision::Pending, None, None));
        f.decisions.push((Decision::Referred, Some("J. Patel"), None));
        let d = declaration(&f);
        let all: Vec<&String> = d
            .reasons
            .iter()
            .chain(d.blocks.iter().flat_map(|b| &b.recorded))
            .collect();
        let items: Vec<&&String> = all
            .iter()
            .filter(|s| s.contains("item") && s.contains("await"))
            .collect();
        assert_eq!(items.len(), 1, "{all:?}");
        assert!(
            all.contains(&&"4 items await an assessor's decision.".to_string()),
            "{all:?}"
        );
        assert!(!all.iter().any(|s| s.contains("pending")), "{all:?}");
        assert!(all.contains(&&"Recorded: 1 item referred.".to_string()), "{all:?}");
    }

    #[test]
    fn a_fully_met_portfolio_is_ready_with_four_blocks_and_the_decisions_recorded() {
        let h = headline(true);
        let d = declaration(&facts(&h, 0));
        assert!(d.ready, "{:?}", d.reasons);
        let keys: Vec<&str> = d.blocks.iter().map(|b| b.key).collect();
        assert_eq!(keys, ["learner", "assessor", "iqa", "eqa"]);
        assert_eq!(
            d.blocks[1].recorded,
            ["Recorded: 1 item accepted by J. Patel, latest on 3 March 2026."]
        );
        assert!(d.blocks[0].statement.contains("my own work"));
        assert!(!d.blocks[0].statement.contains("saw what"));
    }
}
