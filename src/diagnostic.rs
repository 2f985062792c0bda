//! Problems and where they are: the rule ids of the design, severities,
//! source locations (file:line:column) and "did you mean" suggestions.
//!
//! Every stage reports into the same [`Problem`] type so that `check`, the
//! JSON report and the rendered portfolio all say the same thing.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// The rule a problem comes from. The ids are a stable interface (JSON, CSV).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    InvalidFrontMatter,
    InvalidPortfolio,
    InvalidCriteria,
    UnknownCriterion,
    UnknownMethod,
    DuplicateId,
    AloneInsufficient,
    MinOccasions,
    MethodNotListed,
    WitnessMissing,
    Referred,
    DateInFuture,
    PersonalData,
    HandoverIncomplete,
    AttachmentMissing,
    AttachmentOutside,
    OverMapped,
    NoEvidence,
    SymlinkSkipped,
    DuplicateEvidence,
    DecisionInvalid,
    WitnessNotIndependent,
    WitnessIsAssessor,
    BeforeRegistration,
    BeforeValidFrom,
    LocationMissing,
    MethodRequired,
    MinCriteria,
    MinSpan,
    SimulationNotAllowed,
    QualificationRules,
    DecisionUnverified,
    ChangedSinceDecision,
    DecisionOrder,
    FileSkipped,
    MisnamedFolder,
    GlyphMissing,
    ImageNotAttached,
    NameMixedScript,
    SameAttachment,
    CopiedFromAnotherLearner,
    ImpossibleDate,
    HandoverToLearner,
    EmptyItem,
    TemplateText,
}

impl Rule {
    /// The rule id as the design names it.
    pub fn id(self) -> &'static str {
        match self {
            Rule::InvalidFrontMatter => "invalid-front-matter",
            Rule::InvalidPortfolio => "invalid-portfolio",
            Rule::InvalidCriteria => "invalid-criteria",
            Rule::UnknownCriterion => "unknown-criterion",
            Rule::UnknownMethod => "unknown-method",
            Rule::DuplicateId => "duplicate-id",
            Rule::AloneInsufficient => "alone-insufficient",
            Rule::MinOccasions => "min-occasions",
            Rule::MethodNotListed => "method-not-listed",
            Rule::WitnessMissing => "witness-missing",
            Rule::Referred => "referred",
            Rule::DateInFuture => "date-in-future",
            Rule::PersonalData => "personal-data",
            Rule::HandoverIncomplete => "handover-incomplete",
            Rule::AttachmentMissing => "attachment-missing",
            Rule::AttachmentOutside => "attachment-outside",
            Rule::OverMapped => "over-mapped",
            Rule::NoEvidence => "no-evidence",
            Rule::SymlinkSkipped => "symlink-skipped",
            Rule::DuplicateEvidence => "duplicate-evidence",
            Rule::DecisionInvalid => "decision-invalid",
            Rule::WitnessNotIndependent => "witness-not-independent",
            Rule::WitnessIsAssessor => "witness-is-assessor",
            Rule::BeforeRegistration => "before-registration",
            Rule::BeforeValidFrom => "before-valid-from",
            Rule::LocationMissing => "location-missing",
            Rule::MethodRequired => "method-required",
            Rule::MinCriteria => "min-criteria",
            Rule::MinSpan => "min-span",
            Rule::SimulationNotAllowed => "simulation-not-allowed",
            Rule::QualificationRules => "qualification-rules",
            Rule::DecisionUnverified => "decision-unverified",
            Rule::DecisionOrder => "decision-order",
            Rule::ChangedSinceDecision => "changed-since-decision",
            Rule::FileSkipped => "file-skipped",
            Rule::MisnamedFolder => "misnamed-folder",
            Rule::GlyphMissing => "glyph-missing",
            Rule::ImageNotAttached => "image-not-attached",
            Rule::NameMixedScript => "name-mixed-script",
            Rule::SameAttachment => "same-attachment",
            Rule::CopiedFromAnotherLearner => "copied-from-another-learner",
            Rule::ImpossibleDate => "impossible-date",
            Rule::HandoverToLearner => "handover-to-learner",
            Rule::EmptyItem => "empty-item",
            Rule::TemplateText => "template-text",
        }
    }

    /// The severity a problem of this rule has.
    pub fn severity(self) -> Severity {
        match self {
            Rule::InvalidFrontMatter
            | Rule::InvalidPortfolio
            | Rule::InvalidCriteria
            | Rule::UnknownCriterion
            | Rule::UnknownMethod
            | Rule::DuplicateId
            | Rule::AttachmentMissing
            | Rule::AttachmentOutside
            | Rule::MisnamedFolder => Severity::Error,
            Rule::AloneInsufficient
            | Rule::MinOccasions
            | Rule::WitnessMissing
            | Rule::WitnessNotIndependent
            | Rule::Referred
            | Rule::NoEvidence
            | Rule::DateInFuture
            | Rule::BeforeRegistration
            | Rule::BeforeValidFrom
            | Rule::DecisionInvalid
            | Rule::MethodRequired
            | Rule::MinCriteria
            | Rule::MinSpan
            | Rule::SimulationNotAllowed
            | Rule::QualificationRules
            | Rule::DecisionUnverified
            | Rule::DecisionOrder
            | Rule::ChangedSinceDecision
            | Rule::ImpossibleDate
            | Rule::HandoverToLearner
            | Rule::EmptyItem
            | Rule::TemplateText => Severity::Gap,
            Rule::MethodNotListed
            | Rule::DuplicateEvidence
            | Rule::WitnessIsAssessor
            | Rule::LocationMissing
            | Rule::PersonalData
            | Rule::HandoverIncomplete
            | Rule::OverMapped
            | Rule::GlyphMissing
            | Rule::ImageNotAttached
            | Rule::NameMixedScript
            | Rule::SameAttachment
            | Rule::CopiedFromAnotherLearner
            | Rule::SymlinkSkipped
            | Rule::FileSkipped => Severity::Warning,
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How bad a problem is: errors make an item unusable, gaps keep a criterion
/// from being claimed, warnings are advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Gap,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Gap => "gap",
            Severity::Warning => "warning",
        }
    }
}

/// A place in a file. Lines and columns count from 1; the column counts
/// characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Relative to the portfolio folder for portfolio files; as given for
    /// criteria files.
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }

    /// The location of byte `offset` in `text`.
    pub fn at_offset(file: impl Into<PathBuf>, text: &str, offset: usize) -> Self {
        let (line, column) = line_column(text, offset);
        Location::at(file, line, column)
    }
}

/// One thing wrong, or worth knowing, about the portfolio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub rule: Rule,
    pub severity: Severity,
    /// The criterion concerned, as `(framework, code)`.
    pub criterion: Option<(String, String)>,
    /// The evidence item concerned.
    pub item: Option<String>,
    pub location: Option<Location>,
    /// What is wrong and what to do next, in one or two sentences.
    pub message: String,
    /// A suggestion such as "did you mean `criteria`?".
    pub hint: Option<String>,
    /// The offending line of the file, for the text report.
    pub snippet: Option<String>,
}

impl Problem {
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Problem {
            rule,
            severity: rule.severity(),
            criterion: None,
            item: None,
            location: None,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Sets the location and copies the offending line out of `text`.
    pub fn at_offset(mut self, file: &Path, text: &str, offset: usize) -> Self {
        let location = Location::at_offset(file, text, offset);
        self.snippet = location
            .line
            .and_then(|l| text.lines().nth(l - 1))
            .map(|s| s.chars().take(200).collect());
        self.location = Some(location);
        self
    }

    pub fn for_item(mut self, id: impl Into<String>) -> Self {
        self.item = Some(id.into());
        self
    }

    pub fn for_criterion(mut self, framework: &str, code: &str) -> Self {
        self.criterion = Some((framework.to_string(), code.to_string()));
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A path as shown in reports: forward slashes on every platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Line and column (both from 1, column in characters) of byte `offset`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// The candidates closest to `wanted`, best first, for "did you mean".
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(2) / 2).max(1))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().map(|(_, c)| c).take(3).collect()
}

/// "did you mean `a`?" or "did you mean `a`, `b` or `c`?".
pub fn did_you_mean(options: &[&str]) -> Option<String> {
    let quoted: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

/// From serde's "unknown field `x`, expected one of `a`, `b`": "did you
/// mean", or the keys allowed.
pub fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let near = closest(field, known.iter().copied());
    match did_you_mean(&near) {
        Some(h) => Some(h),
        None if !known.is_empty() => Some(format!(
            "the keys allowed here are {}",
            known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        )),
        None => None,
    }
}

/// The first letter upper-case: "outcome 3" → "Outcome 3".
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one_in_characters() {
        let text = "ab\ncé d\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // 'é' is two bytes; the space after it is the third character.
        assert_eq!(line_column(text, 6), (2, 3));
        assert_eq!(line_column(text, 999), (3, 1));
    }

    #[test]
    fn closest_suggests_near_misses_only() {
        let codes = ["3.1", "3.5", "P5", "K11"];
        assert_eq!(closest("3.6", codes)[..2], ["3.1", "3.5"]);
        assert!(closest("completely-different", codes).is_empty());
        assert_eq!(closest("critera", ["criteria", "title"]), ["criteria"]);
    }

    #[test]
    fn did_you_mean_lists_options() {
        assert_eq!(did_you_mean(&[]), None);
        assert_eq!(did_you_mean(&["a"]).as_deref(), Some("did you mean `a`?"));
        assert_eq!(
            did_you_mean(&["a", "b", "c"]).as_deref(),
            Some("did you mean `a`, `b` or `c`?")
        );
    }

    #[test]
    fn every_rule_has_a_kebab_case_id() {
        assert_eq!(Rule::MinOccasions.id(), "min-occasions");
        assert_eq!(Rule::MinOccasions.severity(), Severity::Gap);
        assert_eq!(Rule::DuplicateId.severity(), Severity::Error);
        assert_eq!(Rule::DateInFuture.severity(), Severity::Gap);
        assert_eq!(Rule::DuplicateEvidence.severity(), Severity::Warning);
    }
}
