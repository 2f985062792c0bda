//! The document model's types: what the HTML and PDF renderers read (and,
//! serialised, the Tera template context).

use crate::coverage::{Status, Summary};
use crate::date::Date;
use crate::diagnostic::{Rule, Severity};
use crate::evidence::{Decision, Learner};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// "Unit 214 portfolio — Amira Khan".
    pub title: String,
    pub lang: &'static str,
    /// The date printed as the build date: `SOURCE_DATE_EPOCH` when set,
    /// else the latest evidence or assessment date. Never the clock.
    pub build_date: Date,
    /// What `build_date` is, as the cover prints it: "Evidence up to" /
    /// "26 May 2026" when it is the latest evidence or decision date,
    /// "Compiled" when it came from `SOURCE_DATE_EPOCH`.
    pub date_row: LabelledRow,
    /// The "today" the statuses were worked out against (`PORTFOLIO_TODAY`,
    /// the page's today): an input, never the clock.
    pub today: Date,
    /// "Statuses as of" / "23 November 2026", as the cover prints it.
    pub today_row: LabelledRow,
    pub learner: Learner,
    pub centre: crate::evidence::Centre,
    pub assessor: crate::evidence::Assessor,
    /// The first assessed framework: the unit on the cover.
    pub unit: FrameworkDoc,
    /// The qualification the portfolio is for, with its units and rules of
    /// combination, when it names one.
    pub qualification: Option<crate::coverage::qualification::QualificationCoverage>,
    pub complete: bool,
    /// Where the portfolio stands, in the words every output uses.
    pub headline: crate::report::Headline,
    pub require: Status,
    pub summary: Summary,
    /// How the `met` criteria were decided (they add up to `summary.met`).
    pub met_by: crate::decisions::MetBy,
    /// "How the 7 met criteria were decided: 7 signed and verified against
    /// the roster." — `None` when nothing is met. Printed under the counts.
    pub met_by_text: Option<String>,
    pub progress: Vec<GroupProgress>,
    pub grid: Grid,
    /// The evidence location sheet: one row per criterion of the assessed
    /// frameworks (a standard mapped for information is in the grid only).
    pub locations: Vec<LocationRow>,
    /// Where the workplace documents among the sheet's items are held,
    /// once per item, in item order: printed after the sheet.
    pub locations_held: Vec<HeldDoc>,
    pub gaps: Vec<Gap>,
    /// Items whose evidence awaits an assessor's decision.
    pub awaiting: Vec<AwaitingItem>,
    pub problems: Vec<ProblemDoc>,
    /// reflection.md, as Markdown.
    pub reflection: Option<String>,
    pub items: Vec<ItemDoc>,
    /// Every loaded framework with its criteria text, for the appendix.
    pub frameworks: Vec<FrameworkDoc>,
    /// Reminders and action deadlines from the handover records, by date.
    pub follow_ups: Vec<FollowUp>,
    /// Said when decisions were not verified against a roster of signers.
    pub decisions_note: Option<String>,
    /// The IQA's sampling of this learner: "R. Obi confirmed 2 decisions (items 5, 8), 28 April 2026".
    pub iqa_sampling: Vec<String>,
    /// Every witness once, with the items they attest.
    pub witnesses: Vec<WitnessDoc>,
    /// The achievement summary (RF10): one row per assessed unit.
    pub achievement: Vec<super::UnitAchievement>,
    /// The sign-off, word for word as both renderers print it.
    pub declaration: super::signoff::Declaration,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkDoc {
    pub id: String,
    pub short_title: String,
    pub title: String,
    pub reference_label: String,
    pub reference: String,
    pub level: Option<u32>,
    pub credit: Option<u32>,
    pub glh: Option<u32>,
    pub assessed: bool,
    pub aim: String,
    /// The unit's relationship to occupational standards, as published.
    pub relationship: String,
    /// Who endorses the unit, as published.
    pub endorsement: String,
    pub notes: Vec<String>,
    pub alias_note: String,
    pub glossary: Vec<crate::criteria::GlossaryTerm>,
    pub groups: Vec<GroupDoc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupDoc {
    pub code: String,
    /// "Outcome 3" or "CFACSB16 performance criteria".
    pub label: String,
    pub title: String,
    pub methods: Vec<String>,
    pub min_occasions: usize,
    /// Further rules, as sentences: methods required, any N of the
    /// criteria, a span of days, real work only.
    pub rules: Vec<String>,
    pub criteria: Vec<CriterionDoc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CriterionDoc {
    pub code: String,
    /// Unambiguous: `3.2`, or `cfacsb16:P5` when needed.
    pub display_code: String,
    pub framework: String,
    /// The HTML id of the criterion in the appendix: `crit-unit-214-3-2`.
    pub anchor: String,
    pub text: String,
    pub status: Status,
    pub maps_to: Vec<String>,
    /// What an assessor looks for.
    pub prompts: Vec<String>,
    /// The criterion's own methods, when they differ from its group's.
    pub methods: Vec<String>,
    /// The range statement.
    pub range: Vec<String>,
}

/// Status counts of one group (outcome) of an assessed framework.
#[derive(Debug, Clone, Serialize)]
pub struct GroupProgress {
    pub framework: String,
    pub label: String,
    pub title: String,
    /// total, met, claimed, insufficient, missing (flattened for templates).
    #[serde(flatten)]
    pub counts: crate::coverage::Summary,
    /// Whole percentages of `total`, for bars: met, claimed, insufficient, missing.
    pub percent: [usize; 4],
}

/// The mapping grid: criteria down, items across.
#[derive(Debug, Clone, Serialize)]
pub struct Grid {
    pub columns: Vec<GridColumn>,
    pub rows: Vec<GridRow>,
    /// What each mark means, in order.
    pub legend: Vec<super::worth::LegendEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GridColumn {
    pub id: String,
    /// Position of the item, from 1: the column heading.
    pub number: usize,
    pub title: String,
    pub anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GridRow {
    pub code: String,
    pub display_code: String,
    pub framework: String,
    pub assessed: bool,
    pub anchor: String,
    pub status: Status,
    /// How a `met` was decided (`None` unless met).
    pub decided: Option<crate::decisions::Decided>,
    /// "signed, verified", "signed, unverified", "typed": printed beside
    /// `met` in the grid; empty unless met.
    pub decided_text: &'static str,
    /// Set on the first row of each framework: its name, for a group heading.
    pub starts_framework: Option<String>,
    /// One per column.
    pub cells: Vec<Option<GridMark>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GridMark {
    /// The anchor the mark links to: the paragraph that shows the criterion,
    /// or the item.
    pub target: String,
    /// The item index (into `items`) the mark points at.
    pub item: usize,
    /// Tagged directly (`true`) or counted through the unit-to-NOS mapping.
    pub direct: bool,
    /// What the evidence is worth for the criterion.
    pub worth: super::worth::Worth,
    /// The character printed in the cell.
    pub mark: &'static str,
}

/// One line of the evidence location sheet.
#[derive(Debug, Clone, Serialize)]
pub struct LocationRow {
    pub code: String,
    pub display_code: String,
    pub framework: String,
    pub text: String,
    pub status: Status,
    pub entries: Vec<LocationEntry>,
}

/// A workplace document of the location sheet and where it is held.
#[derive(Debug, Clone, Serialize)]
pub struct HeldDoc {
    pub number: usize,
    pub title: String,
    pub anchor: String,
    pub held_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LocationEntry {
    pub item: usize,
    pub id: String,
    pub title: String,
    pub method: String,
    pub date: Date,
    pub anchor: String,
    pub held_at: Option<String>,
    pub worth: super::worth::Worth,
    /// The grid's mark for `worth`.
    pub worth_mark: &'static str,
    /// "accepted, 3 March 2026", "awaiting decision", "supporting only".
    pub decision: String,
    /// For a criterion that needs several occasions: the item's occasion and
    /// whether it counted ("late-shift-14-march, counted").
    pub occasion: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub code: String,
    pub display_code: String,
    pub framework: String,
    pub anchor: String,
    pub status: Status,
    pub next: String,
}

/// An item no counting decision has accepted yet, and the criteria whose
/// status waits on it.
#[derive(Debug, Clone, Serialize)]
pub struct AwaitingItem {
    pub id: String,
    pub number: usize,
    pub title: String,
    pub anchor: String,
    pub method: String,
    /// Display codes of the criteria, `claimed`, that the decision would settle.
    pub criteria: Vec<String>,
    /// "Awaiting an assessor's decision for 3.1, 3.2 and 3.4."
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProblemDoc {
    pub rule: Rule,
    pub severity: Severity,
    pub item: Option<String>,
    pub item_anchor: Option<String>,
    pub criterion: Option<String>,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemDoc {
    pub id: String,
    pub number: usize,
    pub anchor: String,
    pub file: String,
    pub title: String,
    pub date: Date,
    /// "witness testimony".
    pub method: String,
    /// "witness-testimony".
    pub method_id: &'static str,
    pub occasion: String,
    pub badges: Vec<Badge>,
    /// Each `[[code]]` written in the narrative, as written, with its badge;
    /// codes that do not resolve are absent (they are input errors).
    pub refs: Vec<InlineRef>,
    pub witness: Option<crate::evidence::Witness>,
    pub assessment: Option<AssessmentDoc>,
    /// The signed decisions on the item, oldest first (assessor and IQA).
    pub decisions: Vec<SignedDecisionDoc>,
    pub held_at: Option<String>,
    /// The structured handover record, if the item has one.
    pub handover: Option<crate::handover::Handover>,
    /// Its rows as both renderers print them.
    pub handover_rows: Vec<LabelledRow>,
    /// The narrative, as Markdown.
    pub body: String,
    pub attachments: Vec<AttachmentDoc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Badge {
    pub code: String,
    pub display_code: String,
    pub framework: String,
    /// The criterion's anchor in the appendix.
    pub anchor: String,
    pub status: Status,
}

/// A `[[code]]` in a narrative and the criterion it names.
#[derive(Debug, Clone, Serialize)]
pub struct InlineRef {
    /// The code as written between the brackets, trimmed.
    pub written: String,
    pub badge: Badge,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessmentDoc {
    pub decision: Decision,
    pub by: Option<String>,
    pub date: Option<Date>,
    pub feedback: Option<String>,
    /// Said when a roster was given: a decision typed into the file counts for nothing.
    pub note: Option<String>,
}

/// One signed decision as the item shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SignedDecisionDoc {
    /// "Assessor" or "IQA".
    pub role: String,
    pub decision: String,
    pub by: String,
    pub date: String,
    pub feedback: Option<String>,
    /// `verified`, `valid`, `changed-since` or `unverified`: a CSS class.
    pub verdict: &'static str,
    /// "verified against the roster", "changed since it was signed", …
    pub verdict_text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentDoc {
    /// As written in the item.
    pub path: String,
    pub name: String,
    pub size: u64,
    pub sha256: String,
    /// `image/png` or `image/jpeg` for images that are drawn.
    pub mime: Option<&'static str>,
    /// The file's bytes, up to [`super::MAX_EMBEDDED_IMAGE`]: images with a
    /// `mime` are drawn, other files embedded (PDF file attachments, HTML
    /// downloads); `None` when too large or unreadable.
    #[serde(skip)]
    pub data: Option<Vec<u8>>,
    /// Why an image is listed rather than embedded (too many bytes or pixels).
    pub note: Option<String>,
}

/// Something to do by a date about an evidence item: chase a witness
/// statement, re-submit after a referral.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FollowUp {
    /// The evidence item concerned.
    pub item_id: String,
    /// Distinguishes several follow-ups of one item, e.g. "reminder" or
    /// "action-1".
    pub key: String,
    pub summary: String,
    pub due: Date,
    /// Longer text; omitted from the to-do when empty.
    pub description: String,
}

/// A label and its value, worded once for both renderers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelledRow {
    pub label: String,
    pub value: String,
}

impl LabelledRow {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> LabelledRow {
        LabelledRow {
            label: label.into(),
            value: value.into(),
        }
    }
}

/// One witness of the witness status list.
#[derive(Debug, Clone, Serialize)]
pub struct WitnessDoc {
    pub name: String,
    pub role: Option<String>,
    pub relationship: Option<String>,
    pub contact: Option<String>,
    /// Occupational competence or expertise (RF03).
    pub competence: Option<String>,
    /// Whether the assessor has confirmed the witness's status (RF03).
    pub status_confirmed: Option<bool>,
    pub items: Vec<WitnessItem>,
    /// Role, relationship, contact, competence, status confirmation and
    /// the items attested, as printed.
    pub rows: Vec<LabelledRow>,
}

/// An item a witness attests.
#[derive(Debug, Clone, Serialize)]
pub struct WitnessItem {
    pub number: usize,
    pub title: String,
    pub anchor: String,
    pub date: Date,
}
