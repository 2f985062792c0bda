//! Handover records: the structured `[handover]` table of an evidence item
//! (who, why, SBAR, how, the customer, actions, reminder, completion check,
//! feedback), its parts as the criteria data names them, the check for the
//! parts a criterion asks for, and the follow-ups it implies.

use crate::date::Date;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The `[handover]` table as written.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHandover {
    pub reason: Option<String>,
    pub to: Option<RawReceiver>,
    pub situation: Option<String>,
    pub background: Option<String>,
    pub assessment: Option<String>,
    pub recommendation: Option<String>,
    #[serde(default)]
    pub exchanged_by: Vec<String>,
    pub customer_told: Option<String>,
    pub receiver_confirmed: Option<bool>,
    #[serde(default)]
    #[schemars(with = "Vec<RawAction>")]
    pub actions: Vec<Spanned<RawAction>>,
    #[schemars(with = "Option<RawReminder>")]
    pub reminder: Option<Spanned<RawReminder>>,
    #[schemars(with = "Option<RawCheck>")]
    pub check: Option<Spanned<RawCheck>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawAction>")]
    pub further_actions: Vec<Spanned<RawAction>>,
    pub feedback: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReceiver {
    pub name: Option<String>,
    pub role: Option<String>,
    pub team: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAction {
    pub action: String,
    pub owner: Option<String>,
    #[schemars(with = "Option<crate::json_schema::TomlDate>")]
    pub due: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReminder {
    #[schemars(with = "Option<crate::json_schema::TomlDate>")]
    pub date: Option<Spanned<toml::Value>>,
    pub how: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    #[schemars(with = "Option<crate::json_schema::TomlDate>")]
    pub date: Option<Spanned<toml::Value>>,
    #[schemars(with = "String")]
    pub outcome: Spanned<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Receiver {
    pub name: Option<String>,
    pub role: Option<String>,
    pub team: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Action {
    pub action: String,
    pub owner: Option<String>,
    pub due: Option<Date>,
    /// The line of the action in the file.
    #[serde(skip)]
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reminder {
    pub date: Option<Date>,
    pub how: Option<String>,
}

/// What the completion check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Done,
    NotDone,
    PartlyDone,
}

impl Outcome {
    pub fn parse(s: &str) -> Option<Outcome> {
        match s.trim().to_lowercase().replace(['_', '-'], " ").as_str() {
            "done" | "completed" | "complete" | "yes" => Some(Outcome::Done),
            "not done" | "not completed" | "no" | "outstanding" => Some(Outcome::NotDone),
            "partly done" | "partly" | "partial" | "partially done" => Some(Outcome::PartlyDone),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub date: Option<Date>,
    pub outcome: Outcome,
    pub note: Option<String>,
    /// The line of the check's date (else of the check) in the file.
    #[serde(skip)]
    pub line: usize,
}

/// A handover record, typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Handover {
    pub reason: Option<String>,
    pub to: Option<Receiver>,
    pub situation: Option<String>,
    pub background: Option<String>,
    pub assessment: Option<String>,
    pub recommendation: Option<String>,
    pub exchanged_by: Vec<String>,
    pub customer_told: Option<String>,
    pub receiver_confirmed: Option<bool>,
    pub actions: Vec<Action>,
    pub reminder: Option<Reminder>,
    pub check: Option<Check>,
    pub further_actions: Vec<Action>,
    pub feedback: Option<String>,
    /// The line of the `[handover]` table.
    #[serde(skip)]
    pub line: usize,
}

/// The parts of a record, as criteria files name them in `handover_requires`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Reason,
    To,
    Situation,
    Background,
    Assessment,
    Recommendation,
    ExchangedBy,
    CustomerTold,
    ReceiverConfirmed,
    Actions,
    Reminder,
    Check,
    FurtherActions,
    Feedback,
}

impl Part {
    pub const ALL: [Part; 14] = [
        Part::Reason,
        Part::To,
        Part::Situation,
        Part::Background,
        Part::Assessment,
        Part::Recommendation,
        Part::ExchangedBy,
        Part::CustomerTold,
        Part::ReceiverConfirmed,
        Part::Actions,
        Part::Reminder,
        Part::Check,
        Part::FurtherActions,
        Part::Feedback,
    ];

    /// The key in the `[handover]` table.
    pub fn key(self) -> &'static str {
        match self {
            Part::Reason => "reason",
            Part::To => "to",
            Part::Situation => "situation",
            Part::Background => "background",
            Part::Assessment => "assessment",
            Part::Recommendation => "recommendation",
            Part::ExchangedBy => "exchanged_by",
            Part::CustomerTold => "customer_told",
            Part::ReceiverConfirmed => "receiver_confirmed",
            Part::Actions => "actions",
            Part::Reminder => "reminder",
            Part::Check => "check",
            Part::FurtherActions => "further_actions",
            Part::Feedback => "feedback",
        }
    }

    pub fn parse(key: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.key() == key.trim())
    }

    /// What the part is, for people.
    pub fn describe(self) -> &'static str {
        match self {
            Part::Reason => "why the handover was needed",
            Part::To => "to whom it was handed",
            Part::Situation => "the situation (the S of SBAR)",
            Part::Background => "the background (the B of SBAR)",
            Part::Assessment => "your assessment (the A of SBAR)",
            Part::Recommendation => "your recommendation (the R of SBAR)",
            Part::ExchangedBy => "how the information was exchanged",
            Part::CustomerTold => "how the customer was told who takes over and why",
            Part::ReceiverConfirmed => "that the receiver confirmed they understood",
            Part::Actions => "the actions agreed, each with an owner and a deadline",
            Part::Reminder => "the reminder you set to follow up",
            Part::Check => "the completion check: when you checked and whether it was done",
            Part::FurtherActions => "the further actions when the check found work not done",
            Part::Feedback => "the feedback you shared to improve handovers",
        }
    }

    /// An example line to add.
    pub fn example(self) -> &'static str {
        match self {
            Part::Reason => "reason = \"shift change\"",
            Part::To => "to = { name = \"Sam Jones\", role = \"Billing adviser\" }",
            Part::Situation => "situation = \"...\"",
            Part::Background => "background = \"...\"",
            Part::Assessment => "assessment = \"...\"",
            Part::Recommendation => "recommendation = \"...\"",
            Part::ExchangedBy => "exchanged_by = [\"CRM note\", \"phone\"]",
            Part::CustomerTold => "customer_told = \"Told the customer that Sam would call by Friday, and why\"",
            Part::ReceiverConfirmed => "receiver_confirmed = true",
            Part::Actions => "actions = [{ action = \"...\", owner = \"...\", due = 2026-03-16 }]",
            Part::Reminder => "reminder = { date = 2026-03-16, how = \"CRM task\" }",
            Part::Check => "check = { date = 2026-03-16, outcome = \"done\" }",
            Part::FurtherActions => "further_actions = [{ action = \"...\", owner = \"...\", due = 2026-03-18 }]",
            Part::Feedback => "feedback = \"...\"",
        }
    }
}

fn has(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !s.trim().is_empty())
}

impl Handover {
    /// Whether the record contains `part`. Further actions are only needed
    /// when the completion check found the work not (fully) done.
    pub fn has(&self, part: Part) -> bool {
        match part {
            Part::Reason => has(&self.reason),
            Part::To => self
                .to
                .as_ref()
                .is_some_and(|t| has(&t.name) || has(&t.role) || has(&t.team)),
            Part::Situation => has(&self.situation),
            Part::Background => has(&self.background),
            Part::Assessment => has(&self.assessment),
            Part::Recommendation => has(&self.recommendation),
            Part::ExchangedBy => self.exchanged_by.iter().any(|e| !e.trim().is_empty()),
            Part::CustomerTold => has(&self.customer_told),
            Part::ReceiverConfirmed => self.receiver_confirmed == Some(true),
            Part::Actions => !self.actions.is_empty(),
            Part::Reminder => self.reminder.as_ref().is_some_and(|r| r.date.is_some()),
            Part::Check => self.check.is_some(),
            Part::FurtherActions => match &self.check {
                Some(c) if c.outcome != Outcome::Done => !self.further_actions.is_empty(),
                _ => true,
            },
            Part::Feedback => has(&self.feedback),
        }
    }

    /// Every action, agreed and further, in order.
    pub fn all_actions(&self) -> impl Iterator<Item = &Action> {
        self.actions.iter().chain(&self.further_actions)
    }

    /// Every piece of free text in the record, for the personal-data scan
    /// and for redaction.
    pub fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut out: Vec<&mut String> = Vec::new();
        for s in [
            &mut self.reason,
            &mut self.situation,
            &mut self.background,
            &mut self.assessment,
            &mut self.recommendation,
            &mut self.customer_told,
            &mut self.feedback,
        ]
        .into_iter()
        .flatten()
        {
            out.push(s);
        }
        if let Some(to) = &mut self.to {
            out.extend([&mut to.name, &mut to.role, &mut to.team].into_iter().flatten());
        }
        out.extend(self.exchanged_by.iter_mut());
        for a in self.actions.iter_mut().chain(self.further_actions.iter_mut()) {
            out.push(&mut a.action);
            out.extend(a.owner.iter_mut());
        }
        if let Some(r) = &mut self.reminder {
            out.extend(r.how.iter_mut());
        }
        if let Some(c) = &mut self.check {
            out.extend(c.note.iter_mut());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> Handover {
        let action = |owner: Option<&str>| Action {
            action: "Call back".into(),
            owner: owner.map(str::to_string),
            due: Date::parse("2026-03-16"),
            line: 9,
        };
        Handover {
            reason: Some("shift change".into()),
            to: Some(Receiver {
                name: Some("Sam".into()),
                role: None,
                team: None,
            }),
            situation: Some("s".into()),
            background: Some("b".into()),
            assessment: Some("a".into()),
            recommendation: Some("r".into()),
            exchanged_by: vec!["CRM note".into()],
            customer_told: Some("told".into()),
            receiver_confirmed: Some(true),
            actions: vec![action(Some("Sam"))],
            reminder: Some(Reminder {
                date: Date::parse("2026-03-16"),
                how: None,
            }),
            check: Some(Check {
                date: None,
                outcome: Outcome::Done,
                note: None,
                line: 0,
            }),
            further_actions: vec![],
            feedback: Some("f".into()),
            line: 6,
        }
    }

    #[test]
    fn a_complete_record_has_every_part() {
        let h = complete();
        for part in Part::ALL {
            assert!(h.has(part), "{part:?}");
        }
    }

    #[test]
    fn each_part_can_be_missing() {
        type Change = Box<dyn Fn(&mut Handover)>;
        let cases: Vec<(Part, Change)> = vec![
            (Part::Reason, Box::new(|h| h.reason = None)),
            (Part::To, Box::new(|h| h.to = Some(Receiver::default()))),
            (Part::Situation, Box::new(|h| h.situation = Some("  ".into()))),
            (Part::ExchangedBy, Box::new(|h| h.exchanged_by.clear())),
            (Part::CustomerTold, Box::new(|h| h.customer_told = None)),
            (
                Part::ReceiverConfirmed,
                Box::new(|h| h.receiver_confirmed = Some(false)),
            ),
            (Part::Actions, Box::new(|h| h.actions.clear())),
            (Part::Reminder, Box::new(|h| h.reminder.as_mut().unwrap().date = None)),
            (Part::Check, Box::new(|h| h.check = None)),
            (
                Part::FurtherActions,
                Box::new(|h| h.check.as_mut().unwrap().outcome = Outcome::NotDone),
            ),
            (Part::Feedback, Box::new(|h| h.feedback = None)),
        ];
        for (part, break_it) in cases {
            let mut h = complete();
            break_it(&mut h);
            assert!(!h.has(part), "{part:?} should be missing");
        }
    }

    #[test]
    fn parts_and_outcomes_parse() {
        for part in Part::ALL {
            assert_eq!(Part::parse(part.key()), Some(part));
        }
        assert_eq!(Outcome::parse("Not done"), Some(Outcome::NotDone));
        assert_eq!(Outcome::parse("partly_done"), Some(Outcome::PartlyDone));
        assert_eq!(Outcome::parse("maybe"), None);
    }
}
