//! The catalogue: every key of an item's front matter and of portfolio.toml,
//! and the criteria-file keys whose type is easy to get wrong, each with what
//! it must be and an example, in the words of docs/evidence-format.md and
//! docs/criteria-format.md.

/// One key: its path (`handover.to.name`), what it must be, and an example.
pub struct Field {
    pub path: &'static str,
    pub what: &'static str,
    pub example: &'static str,
}

const fn f(path: &'static str, what: &'static str, example: &'static str) -> Field {
    Field { path, what, example }
}

pub(super) const TEXT: &str = "text in straight quotes";

/// The keys of an evidence item's front matter (docs/evidence-format.md).
pub const FRONT_MATTER: &[Field] = &[
    f("id", TEXT, "id = \"refund-query-14-march\""),
    f("title", TEXT, "title = \"Late-shift handover of a refund query\""),
    f("date", "a date, YYYY-MM-DD", "date = 2026-03-14"),
    f("method", "an evidence method in quotes", "method = \"observation\""),
    f(
        "criteria",
        "a list of criterion codes in quotes",
        "criteria = [\"3.1\", \"3.2\"]",
    ),
    f("occasion", TEXT, "occasion = \"late-shift-14-march\""),
    f(
        "witness",
        "a table with the witness's `name` and `role`",
        "witness = { name = \"Dana Reid\", role = \"Team leader\" }",
    ),
    f(
        "witness.name",
        TEXT,
        "witness = { name = \"Dana Reid\", role = \"Team leader\" }",
    ),
    f(
        "witness.role",
        TEXT,
        "witness = { name = \"Dana Reid\", role = \"Team leader\" }",
    ),
    f(
        "witness.competence",
        TEXT,
        "witness = { name = \"Dana Reid\", role = \"Team leader\", competence = \"Team leader in billing for 6 years\" }",
    ),
    f(
        "witness.status_confirmed",
        "true or false, without quotes",
        "witness = { name = \"Dana Reid\", role = \"Team leader\", status_confirmed = true }",
    ),
    f("held_at", TEXT, "held_at = \"Customer service desk\""),
    f(
        "attachments",
        "a list of file paths in quotes",
        "attachments = [\"attachments/handover-sheet.png\"]",
    ),
    f(
        "assessment",
        "a table with the assessor's `decision`, `by`, `date` and `feedback`",
        "[assessment]\n  decision = \"accepted\"\n  by = \"A. Assessor\"",
    ),
    f(
        "assessment.decision",
        "`accepted`, `referred` or `pending`, in quotes",
        "decision = \"accepted\"",
    ),
    f("assessment.by", TEXT, "by = \"A. Assessor\""),
    f("assessment.date", "a date, YYYY-MM-DD", "date = 2026-03-20"),
    f(
        "assessment.feedback",
        TEXT,
        "feedback = \"Clear handover; the customer was told who would call.\"",
    ),
    f(
        "handover",
        "a table: the handover record",
        "[handover]\n  reason = \"shift change\"\n  to = { name = \"Sam Jones\", role = \"Billing adviser\" }",
    ),
    f("handover.reason", TEXT, "reason = \"shift change\""),
    f(
        "handover.to",
        "a table with the receiver's `name`, `role` and `team`",
        "to = { name = \"Sam Jones\", role = \"Billing adviser\", team = \"Billing\" }",
    ),
    f(
        "handover.to.name",
        TEXT,
        "to = { name = \"Sam Jones\", role = \"Billing adviser\" }",
    ),
    f(
        "handover.to.role",
        TEXT,
        "to = { name = \"Sam Jones\", role = \"Billing adviser\" }",
    ),
    f(
        "handover.to.team",
        TEXT,
        "to = { name = \"Sam Jones\", team = \"Billing\" }",
    ),
    f(
        "handover.situation",
        TEXT,
        "situation = \"Customer disputes a double charge.\"",
    ),
    f(
        "handover.background",
        TEXT,
        "background = \"Refund raised on 12 March.\"",
    ),
    f("handover.assessment", TEXT, "assessment = \"Customer is anxious.\""),
    f(
        "handover.recommendation",
        TEXT,
        "recommendation = \"Call the customer by 16 March.\"",
    ),
    f(
        "handover.exchanged_by",
        "a list of ways, each in quotes",
        "exchanged_by = [\"CRM note\", \"face to face\"]",
    ),
    f(
        "handover.customer_told",
        TEXT,
        "customer_told = \"I told the customer that Sam would call.\"",
    ),
    f(
        "handover.receiver_confirmed",
        "true or false, without quotes",
        "receiver_confirmed = true",
    ),
    f(
        "handover.actions",
        "a list of actions, each a table with `action`, `owner` and `due`",
        "actions = [{ action = \"Call the customer back\", owner = \"Sam Jones\", due = 2026-03-16 }]",
    ),
    f("handover.actions.action", TEXT, "action = \"Call the customer back\""),
    f("handover.actions.owner", TEXT, "owner = \"Sam Jones\""),
    f("handover.actions.due", "a date, YYYY-MM-DD", "due = 2026-03-16"),
    f(
        "handover.reminder",
        "a table with the reminder's `date` and `how`",
        "reminder = { date = 2026-03-16, how = \"CRM follow-up task\" }",
    ),
    f(
        "handover.reminder.date",
        "a date, YYYY-MM-DD",
        "reminder = { date = 2026-03-16, how = \"CRM task\" }",
    ),
    f(
        "handover.reminder.how",
        TEXT,
        "reminder = { date = 2026-03-16, how = \"CRM follow-up task\" }",
    ),
    f(
        "handover.check",
        "a table with the check's `date`, `outcome` and `note`",
        "check = { date = 2026-03-16, outcome = \"done\", note = \"Call logged.\" }",
    ),
    f(
        "handover.check.date",
        "a date, YYYY-MM-DD",
        "check = { date = 2026-03-16, outcome = \"done\" }",
    ),
    f(
        "handover.check.outcome",
        "`done`, `not done` or `partly done`, in quotes",
        "check = { date = 2026-03-16, outcome = \"done\" }",
    ),
    f(
        "handover.check.note",
        TEXT,
        "check = { outcome = \"done\", note = \"Call logged.\" }",
    ),
    f(
        "handover.further_actions",
        "a list of actions, each a table with `action`, `owner` and `due`",
        "further_actions = [{ action = \"Chase finance\", owner = \"Sam Jones\", due = 2026-03-17 }]",
    ),
    f("handover.further_actions.action", TEXT, "action = \"Chase finance\""),
    f("handover.further_actions.owner", TEXT, "owner = \"Sam Jones\""),
    f("handover.further_actions.due", "a date, YYYY-MM-DD", "due = 2026-03-17"),
    f(
        "handover.feedback",
        TEXT,
        "feedback = \"Sam said the notes were clear.\"",
    ),
];

/// The keys of portfolio.toml (docs/evidence-format.md).
pub const PORTFOLIO: &[Field] = &[
    f(
        "learner",
        "a table with the learner's `name`, `id` and `uln`",
        "[learner]\n  name = \"Your Name\"\n  id = \"L-0000\"",
    ),
    f("learner.name", TEXT, "[learner]\n  name = \"Your Name\""),
    f("learner.id", TEXT, "id = \"L-0000\""),
    f(
        "learner.uln",
        "text in straight quotes (digits in quotes)",
        "uln = \"1234567890\"",
    ),
    f(
        "centre",
        "a table with the centre's `name` and `number`",
        "[centre]\n  name = \"Your Training Centre\"",
    ),
    f("centre.name", TEXT, "[centre]\n  name = \"Your Training Centre\""),
    f("centre.number", "text in straight quotes", "number = \"C-0000\""),
    f(
        "assessor",
        "a table with the assessor's `name`",
        "[assessor]\n  name = \"Your Assessor\"",
    ),
    f("assessor.name", TEXT, "[assessor]\n  name = \"Your Assessor\""),
    f(
        "assessor.assess",
        "a list of framework ids in quotes",
        "assess = [\"unit-214\", \"cfacsb16\"]",
    ),
    f(
        "assess",
        "a list of framework ids in quotes",
        "assess = [\"unit-214\", \"cfacsb16\"]",
    ),
    f(
        "privacy",
        "a table with `references` and `allow`",
        "[privacy]\n  references = [\"ACC-\"]\n  allow = [\"0800 123 4567\"]",
    ),
    f(
        "privacy.references",
        "a list of reference patterns in quotes",
        "references = [\"ACC-\", \"CUS-######\"]",
    ),
    f(
        "privacy.allow",
        "a list of values in quotes",
        "allow = [\"0800 123 4567\"]",
    ),
];

/// The keys of a criteria file whose type is easy to get wrong
/// (docs/criteria-format.md); the others fall back to [`expected_words`].
pub const CRITERIA: &[Field] = &[
    f(
        "groups",
        "a list of groups, each a `[[groups]]` table",
        "[[groups]]\n  code = \"1\"\n  title = \"…\"",
    ),
    f(
        "groups.criteria",
        "a list of criteria, each a `[[groups.criteria]]` table",
        "[[groups.criteria]]\n  code = \"1.1\"\n  text = \"…\"",
    ),
    f(
        "groups.min_occasions",
        "a whole number, without quotes",
        "min_occasions = 2",
    ),
    f(
        "groups.criteria.min_occasions",
        "a whole number, without quotes",
        "min_occasions = 2",
    ),
    f(
        "groups.methods",
        "a list of evidence methods in quotes",
        "methods = [\"observation\", \"questioning\"]",
    ),
    f(
        "groups.criteria.maps_to",
        "a list of criterion codes in quotes",
        "maps_to = [\"cfacsb16:P5\"]",
    ),
    f(
        "rules.over_mapped_max_total",
        "a whole number, without quotes",
        "over_mapped_max_total = 6",
    ),
    f(
        "rules.over_mapped_max_group_share",
        "a number between 0 and 1",
        "over_mapped_max_group_share = 0.5",
    ),
    f(
        "rules.over_mapped_min_group",
        "a whole number, without quotes",
        "over_mapped_min_group = 3",
    ),
    f(
        "rules.over_mapped_exempt_kinds",
        "a list of group kinds in quotes",
        "over_mapped_exempt_kinds = [\"understand\", \"knowledge\"]",
    ),
    f("level", "a whole number, without quotes", "level = 2"),
    f("credit", "a whole number, without quotes", "credit = 3"),
    f("glh", "a whole number, without quotes", "glh = 20"),
];
