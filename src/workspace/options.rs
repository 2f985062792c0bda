//! What the item form offers: the unit's methods in plain words, its
//! criteria grouped by outcome with their text and what an assessor looks
//! for, which criteria ask for a handover record, and the learner's earlier
//! occasions. Read from the criteria (data) and the checked portfolio.

use crate::criteria::Criteria;
use crate::evidence::Portfolio;
use crate::method::Method;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct FormOptions {
    pub methods: Vec<MethodOption>,
    pub outcomes: Vec<OutcomeOption>,
    /// Occasion labels the learner has used, in the order first used.
    pub occasions: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodOption {
    pub id: &'static str,
    /// "witness testimony", as people say it.
    pub label: &'static str,
    /// The form asks for a witness (name, role, relationship, contact).
    pub needs_witness: bool,
    /// On its own it never shows a criterion.
    pub supporting_only: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeOption {
    pub framework: String,
    pub code: String,
    pub title: String,
    pub criteria: Vec<CriterionOption>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CriterionOption {
    pub code: String,
    pub text: String,
    /// What an assessor looks for, in the learner's terms.
    pub looks_for: Vec<String>,
    /// Evidence for it needs a handover record (the form shows one).
    pub asks_handover: bool,
}

/// The options for the portfolio's assessed frameworks (the unit alone
/// when the portfolio says nothing).
pub fn options(criteria: &Criteria, portfolio: Option<&Portfolio>) -> FormOptions {
    let assessed: Vec<usize> = portfolio.map_or_else(|| criteria.default_assessed(), |p| p.settings.assessed.clone());
    let frameworks = assessed.iter().filter_map(|&f| criteria.frameworks.get(f));
    let mut methods_used: Vec<Method> = Vec::new();
    let mut supporting: Vec<Method> = Vec::new();
    let mut outcomes = Vec::new();
    for fw in frameworks {
        supporting.extend(fw.rules.supporting_only.iter().copied());
        for group in &fw.groups {
            methods_used.extend(group.methods.iter().copied());
            outcomes.push(OutcomeOption {
                framework: fw.id.clone(),
                code: group.code.clone(),
                title: group.title.clone(),
                criteria: group
                    .criteria
                    .iter()
                    .map(|c| {
                        if let Some(m) = &c.methods {
                            methods_used.extend(m.iter().copied());
                        }
                        CriterionOption {
                            code: c.code.clone(),
                            text: c.text.clone(),
                            looks_for: c.prompts.clone(),
                            asks_handover: !c.handover_requires.is_empty(),
                        }
                    })
                    .collect(),
            });
        }
    }
    let methods = Method::ALL
        .into_iter()
        .filter(|m| methods_used.contains(m))
        .map(|m| MethodOption {
            id: m.name(),
            label: m.label(),
            needs_witness: m.is_testimony(),
            supporting_only: supporting.contains(&m),
        })
        .collect();
    let mut occasions: Vec<String> = Vec::new();
    for label in portfolio
        .into_iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| i.occasion_label.as_ref())
    {
        if !occasions.contains(label) {
            occasions.push(label.clone());
        }
    }
    FormOptions {
        methods,
        outcomes,
        occasions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_units_methods_outcomes_and_the_samples_occasions() {
        let criteria = crate::criteria::load_criteria(None).unwrap();
        let portfolio = crate::evidence::load_portfolio("sample-portfolio".as_ref(), &criteria).unwrap();
        let o = options(&criteria, Some(&portfolio));
        let ids: Vec<&str> = o.methods.iter().map(|m| m.id).collect();
        assert!(
            ids.contains(&"observation") && ids.contains(&"witness-testimony"),
            "{ids:?}"
        );
        assert!(o.methods.iter().any(|m| m.id == "witness-testimony" && m.needs_witness));
        let codes: Vec<&str> = o.outcomes.iter().map(|g| g.code.as_str()).collect();
        assert_eq!(codes.len(), 3, "{codes:?}");
        let c32 = o.outcomes[2].criteria.iter().find(|c| c.code == "3.2").unwrap();
        assert!(c32.asks_handover && !c32.looks_for.is_empty());
        assert!(
            o.occasions.contains(&"late-shift-14-march".to_string()),
            "{:?}",
            o.occasions
        );
    }
}
