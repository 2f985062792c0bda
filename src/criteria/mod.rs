//! Criteria: the frameworks a portfolio is assessed against (the unit, the
//! standard), their groups and criteria, the assessment rules that are data,
//! and the resolution of codes such as `3.2`, `P5` or `inscs024:P5`
//! ([`resolve`]).
//!
//! The two default frameworks are embedded in the binary from `criteria/`;
//! `--criteria DIR` adds frameworks or replaces them by id. Parsing lives in
//! [`load`].

mod load;
pub mod qualification;
mod resolve;

pub use load::{EMBEDDED, load_criteria, load_criteria_from, schema as framework_schema};
pub use qualification::schema as qualification_schema;
pub use qualification::{OptionalGroup, Qualification};
pub use resolve::{ResolveError, code_key};

use crate::method::Method;
use serde::Serialize;
use std::collections::HashMap;

/// One framework: a unit or a National Occupational Standard.
#[derive(Debug, Clone, Serialize)]
pub struct Framework {
    pub id: String,
    pub kind: String,
    pub short_title: String,
    pub title: String,
    pub reference: String,
    pub reference_label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub glh: Option<u32>,
    /// Evidence dated before this day does not count for the framework.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<crate::date::Date>,
    pub aim: String,
    pub relationship: String,
    pub endorsement: String,
    pub notes: Vec<String>,
    pub aliases: Vec<String>,
    pub alias_note: String,
    pub rules: FrameworkRules,
    pub glossary: Vec<GlossaryTerm>,
    pub groups: Vec<Group>,
    /// Where it was read from: `embedded:unit-214.toml` or a path.
    pub source: String,
}

/// The assessment rules of a framework that are not tied to one group.
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkRules {
    /// Methods that show a document exists but never, alone, that the learner applied it.
    pub supporting_only: Vec<Method>,
    /// More criteria of this framework than this on one item draws `over-mapped`.
    pub over_mapped_max_total: usize,
    /// More than this share of one group's criteria on one item draws
    /// `over-mapped`, when they are at least [`Self::over_mapped_min_group`]
    /// and the group's kind is not one of [`Self::over_mapped_exempt_kinds`].
    pub over_mapped_max_group_share: f64,
    /// Fewer criteria of one group than this on one item never draw
    /// `over-mapped` by share: two criteria of a three-criterion outcome in
    /// one observation is ordinary.
    pub over_mapped_min_group: usize,
    /// Group kinds the share rule leaves alone: knowledge ("understand")
    /// outcomes, which one reflective account, discussion or question set is
    /// expected to cover together.
    pub over_mapped_exempt_kinds: Vec<String>,
    /// What every action of a handover record needs (`owner`, `due`).
    pub handover_action_needs: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GlossaryTerm {
    pub term: String,
    pub definition: String,
    pub criteria: Vec<String>,
}

/// A learning outcome of a unit, or a section (performance, knowledge) of a standard.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub code: String,
    pub kind: String,
    pub title: String,
    /// The methods evidence may be supplied by; empty means any.
    pub methods: Vec<Method>,
    /// At least one item of each criterion must use one of these.
    pub requires_any_method: Vec<Method>,
    /// Achieved by any this many of its criteria (`None`: all of them).
    pub min_criteria: Option<usize>,
    /// Days needed between the first and the last occasion counted.
    pub min_span_days: Option<u32>,
    /// Simulated evidence does not count.
    pub real_work_only: bool,
    /// The learner carries out the handovers (`learner_hands_over`): an
    /// item whose `[handover]` was made to the learner does not count.
    pub learner_hands_over: bool,
    pub min_occasions: usize,
    /// What to tell a learner who is short of occasions.
    pub occasion_advice: String,
    pub criteria: Vec<Criterion>,
}

impl Group {
    /// The group's rules beyond methods and occasions, as sentences for
    /// people (the criteria appendix, `portfolio criteria`).
    pub fn rule_sentences(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.requires_any_method.is_empty() {
            let names: Vec<&str> = self.requires_any_method.iter().map(|m| m.label()).collect();
            out.push(format!("Must be shown by {} for every criterion.", names.join(" or ")));
        }
        if let Some(n) = self.min_criteria {
            out.push(format!("Achieved by any {n} of its {} criteria.", self.criteria.len()));
        }
        if let Some(days) = self.min_span_days {
            out.push(format!(
                "Evidence must span at least {days} days from the first occasion to the last."
            ));
        }
        if self.real_work_only {
            out.push("Must be shown in real work: simulated evidence does not count.".to_string());
        }
        if self.learner_hands_over {
            out.push(
                "The learner carries out the handover: a handover made to the learner does not count.".to_string(),
            );
        }
        out
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    pub code: String,
    pub text: String,
    /// Criteria of other frameworks that evidence for this one also counts for.
    pub maps_to: Vec<String>,
    /// Overrides the group's `min_occasions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_occasions: Option<usize>,
    /// Overrides the group's methods.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub methods: Option<Vec<Method>>,
    /// The range statement: the situations the criterion covers.
    pub range: Vec<String>,
    /// The parts a `[handover]` record tagged with this criterion must contain.
    pub handover_requires: Vec<String>,
    /// What an assessor looks for, in the learner's terms.
    pub prompts: Vec<String>,
}

/// A criterion's place in [`Criteria::entries`]: stable, cheap to copy, ordered
/// as the frameworks list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CritId(pub usize);

/// Where a criterion sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub framework: usize,
    pub group: usize,
    pub criterion: usize,
}

/// Every loaded framework, with the index that resolves codes.
#[derive(Debug, Clone)]
pub struct Criteria {
    pub frameworks: Vec<Framework>,
    pub entries: Vec<Entry>,
    /// For each entry, the entries that map *to* it (unit criterion → NOS).
    pub mapped_from: Vec<Vec<CritId>>,
    /// For each entry, the entries it maps to.
    pub maps_to: Vec<Vec<CritId>>,
    by_code: HashMap<String, Vec<CritId>>,
    by_framework: HashMap<String, usize>,
    /// Units combined into qualifications (from `--criteria DIR`).
    pub qualifications: Vec<Qualification>,
}

impl Criteria {
    /// Builds the index. `maps_to` codes must already be valid (checked by the loader).
    fn new(frameworks: Vec<Framework>) -> Criteria {
        let mut entries = Vec::new();
        let mut by_code: HashMap<String, Vec<CritId>> = HashMap::new();
        let mut by_framework = HashMap::new();
        for (f, fw) in frameworks.iter().enumerate() {
            by_framework.insert(fw.id.to_lowercase(), f);
            for alias in &fw.aliases {
                by_framework.insert(alias.to_lowercase(), f);
            }
            for (g, group) in fw.groups.iter().enumerate() {
                for (c, crit) in group.criteria.iter().enumerate() {
                    let id = CritId(entries.len());
                    entries.push(Entry {
                        framework: f,
                        group: g,
                        criterion: c,
                    });
                    by_code.entry(code_key(&crit.code)).or_default().push(id);
                }
            }
        }
        let mut criteria = Criteria {
            frameworks,
            mapped_from: vec![Vec::new(); entries.len()],
            maps_to: vec![Vec::new(); entries.len()],
            entries,
            by_code,
            by_framework,
            qualifications: Vec::new(),
        };
        for i in 0..criteria.entries.len() {
            let targets: Vec<CritId> = criteria
                .criterion(CritId(i))
                .maps_to
                .iter()
                .filter_map(|code| criteria.resolve(code).ok())
                .collect();
            for t in &targets {
                criteria.mapped_from[t.0].push(CritId(i));
            }
            criteria.maps_to[i] = targets;
        }
        criteria
    }

    pub fn ids(&self) -> impl Iterator<Item = CritId> + '_ {
        (0..self.entries.len()).map(CritId)
    }

    pub fn entry(&self, id: CritId) -> Entry {
        self.entries[id.0]
    }

    pub fn framework_of(&self, id: CritId) -> &Framework {
        &self.frameworks[self.entries[id.0].framework]
    }

    pub fn group_of(&self, id: CritId) -> &Group {
        let e = self.entries[id.0];
        &self.frameworks[e.framework].groups[e.group]
    }

    pub fn criterion(&self, id: CritId) -> &Criterion {
        let e = self.entries[id.0];
        &self.frameworks[e.framework].groups[e.group].criteria[e.criterion]
    }

    /// `3.2`, or `cfacsb16:P5` when the code alone would be ambiguous.
    pub fn display_code(&self, id: CritId) -> String {
        let code = &self.criterion(id).code;
        if self.by_code.get(&code_key(code)).is_some_and(|v| v.len() > 1) {
            format!("{}:{}", self.framework_of(id).id, code)
        } else {
            code.clone()
        }
    }

    /// Fully qualified: `unit-214:3.2`.
    pub fn qualified_code(&self, id: CritId) -> String {
        format!("{}:{}", self.framework_of(id).id, self.criterion(id).code)
    }

    pub fn qualification(&self, id: &str) -> Option<&Qualification> {
        self.qualifications
            .iter()
            .find(|q| q.id.eq_ignore_ascii_case(id.trim()))
    }

    pub fn framework_index(&self, id_or_alias: &str) -> Option<usize> {
        self.by_framework.get(&id_or_alias.trim().to_lowercase()).copied()
    }

    /// The methods evidence for the criterion may be supplied by (its own
    /// list, else its group's); empty means any.
    pub fn methods(&self, id: CritId) -> &[Method] {
        self.criterion(id)
            .methods
            .as_deref()
            .unwrap_or(&self.group_of(id).methods)
    }

    /// How many occasions the criterion needs.
    pub fn min_occasions(&self, id: CritId) -> usize {
        self.criterion(id)
            .min_occasions
            .unwrap_or(self.group_of(id).min_occasions)
            .max(1)
    }

    /// A copy holding only the frameworks `keep` (indices, in order), with
    /// the mapping between them; and where each old criterion went.
    /// Mappings into a framework not kept are dropped.
    pub fn narrow(&self, keep: &[usize]) -> (Criteria, Vec<Option<CritId>>) {
        let frameworks: Vec<Framework> = keep.iter().map(|&f| self.frameworks[f].clone()).collect();
        let mut narrowed = Criteria::new(frameworks);
        narrowed.qualifications = self.qualifications.clone();
        let ids = self
            .ids()
            .map(|id| {
                let e = self.entries[id.0];
                let f = keep.iter().position(|&k| k == e.framework)?;
                narrowed
                    .entries
                    .iter()
                    .position(|n| n.framework == f && n.group == e.group && n.criterion == e.criterion)
                    .map(CritId)
            })
            .collect();
        (narrowed, ids)
    }

    /// The frameworks that decide completeness when the portfolio does not
    /// say: the units of `--criteria DIR` when it has any (a provider who
    /// loads their own unit means that unit), else every built-in unit.
    pub fn default_assessed(&self) -> Vec<usize> {
        let units = |own: bool| -> Vec<usize> {
            (0..self.frameworks.len())
                .filter(|&f| {
                    self.frameworks[f].kind == "unit" && self.frameworks[f].source.starts_with("embedded:") != own
                })
                .collect()
        };
        let own = units(true);
        if own.is_empty() { units(false) } else { own }
    }

    /// The frameworks a portfolio shows: those it assesses, those its items
    /// cite, and those the assessed ones map into (a unit's standard), in
    /// catalogue order. A built-in unit it neither assesses nor cites is
    /// not among them.
    pub fn shown(&self, assessed: &[usize], cited: impl IntoIterator<Item = CritId>) -> Vec<usize> {
        let mut keep = vec![false; self.frameworks.len()];
        for &f in assessed {
            keep[f] = true;
            for id in self.ids().filter(|id| self.entries[id.0].framework == f) {
                for m in &self.maps_to[id.0] {
                    keep[self.entries[m.0].framework] = true;
                }
            }
        }
        for id in cited {
            keep[self.entries[id.0].framework] = true;
        }
        (0..keep.len()).filter(|&f| keep[f]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Criteria {
        load_criteria(None).expect("embedded criteria load")
    }

    #[test]
    fn codes_compare_as_printed() {
        assert_eq!(code_key("AC1.1"), "1.1");
        assert_eq!(code_key("ac 1.1"), "1.1");
        assert_eq!(code_key("5.1 a"), code_key("5.1A"));
        assert_eq!(code_key("Access"), "access");
        let c = defaults();
        assert_eq!(c.resolve("AC 3.2"), c.resolve("3.2"));
    }

    #[test]
    fn a_shared_code_resolves_to_the_preferred_unit_however_it_is_written() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/units");
        let c = load_criteria(Some(&dir)).expect("test unit loads");
        let unit = c.framework_index("unit-214").unwrap();
        let hsc = c.framework_index("hsc026").unwrap();
        assert!(matches!(c.resolve("1.1"), Err(ResolveError::Ambiguous { .. })));
        for written in ["1.1", "AC1.1", "ac 1.1", " 1.1 "] {
            assert_eq!(
                c.resolve_preferring(written, &[unit]),
                c.resolve("unit-214:1.1"),
                "{written}"
            );
            assert_eq!(
                c.resolve_preferring(written, &[hsc]),
                c.resolve("hsc026:1.1"),
                "{written}"
            );
        }
    }

    #[test]
    fn a_portfolio_prefers_the_units_it_assesses() {
        let c = defaults();
        let unit = c.framework_index("unit-214").unwrap();
        let nos = c.framework_index("cfacsb16").unwrap();
        // Everything shown for a Unit 214 portfolio: the unit and its standard.
        assert_eq!(c.shown(&[unit], []), vec![unit, nos]);
        // A portfolio assessing only the standard shows only the standard.
        assert_eq!(c.shown(&[nos], []), vec![nos]);
        let (narrow, ids) = c.narrow(&[nos]);
        assert_eq!(narrow.frameworks.len(), 1);
        assert!(narrow.resolve("3.2").is_err());
        assert_eq!(ids.iter().filter(|i| i.is_some()).count(), 22);
    }

    #[test]
    fn embedded_criteria_have_every_code() {
        let c = defaults();
        let unit = [
            "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5",
        ];
        for code in unit {
            let id = c.resolve(code).unwrap();
            assert_eq!(c.framework_of(id).id, "unit-214");
        }
        for n in 1..=11 {
            for prefix in ["P", "K"] {
                let id = c.resolve(&format!("{prefix}{n}")).unwrap();
                assert_eq!(c.framework_of(id).id, "cfacsb16");
            }
        }
        assert_eq!(c.entries.len(), 12 + 22);
    }

    #[test]
    fn unit_facts_come_from_the_seed() {
        let c = defaults();
        let unit = &c.frameworks[c.framework_index("unit-214").unwrap()];
        assert_eq!(unit.reference, "T/506/2157");
        assert_eq!((unit.level, unit.credit, unit.glh), (Some(2), Some(3), Some(15)));
        assert_eq!(unit.groups.len(), 3);
        assert_eq!(unit.groups[2].min_occasions, 2);
        assert_eq!(unit.groups[0].min_occasions, 1);
        assert!(unit.rules.supporting_only.contains(&Method::PolicyAndLegislation));
        assert!(!unit.groups[0].methods.contains(&Method::Observation));
        assert!(unit.groups[1].methods.contains(&Method::Observation));
    }

    #[test]
    fn alias_and_qualified_codes_resolve() {
        let c = defaults();
        let p5 = c.resolve("P5").unwrap();
        assert_eq!(c.resolve("cfacsb16:P5"), Ok(p5));
        assert_eq!(c.resolve("inscs024:P5"), Ok(p5));
        assert_eq!(c.resolve("INSCS024:p5"), Ok(p5));
        assert_eq!(c.resolve("unit-214:3.2"), c.resolve("3.2"));
    }

    #[test]
    fn unknown_codes_get_suggestions() {
        let c = defaults();
        match c.resolve("3.6") {
            Err(ResolveError::Unknown { suggestions }) => {
                assert!(suggestions.contains(&"3.5".to_string()))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            c.resolve("cfacsb17:P5"),
            Err(ResolveError::UnknownFramework { .. })
        ));
        assert!(matches!(c.resolve("unit-214:P5"), Err(ResolveError::Unknown { .. })));
    }

    #[test]
    fn unit_criteria_map_to_the_standard() {
        let c = defaults();
        let u22 = c.resolve("2.2").unwrap();
        let p3 = c.resolve("P3").unwrap();
        assert_eq!(c.maps_to[u22.0], vec![p3]);
        assert!(c.mapped_from[p3.0].contains(&u22));
        // Every NOS code is reachable from some unit criterion.
        for id in c.ids().filter(|id| c.framework_of(*id).id == "cfacsb16") {
            assert!(
                !c.mapped_from[id.0].is_empty(),
                "{} has no unit criterion",
                c.qualified_code(id)
            );
        }
    }
}
