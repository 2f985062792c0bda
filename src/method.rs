//! Evidence methods: the canonical names of the design and the everyday
//! spellings learners use for them ("witness statement", "prof discussion").
//!
//! Which methods an outcome accepts, and which never suffice alone, is data in
//! the criteria files; this module only knows the vocabulary.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Observation,
    WitnessTestimony,
    ProfessionalDiscussion,
    Questioning,
    ReflectiveAccount,
    Product,
    CustomerRecord,
    ServiceOffer,
    Documentation,
    PolicyAndLegislation,
    Assignment,
    CaseStudy,
    PriorLearning,
    ExpertWitness,
    Simulation,
}

impl Method {
    pub const ALL: [Method; 15] = [
        Method::Observation,
        Method::WitnessTestimony,
        Method::ProfessionalDiscussion,
        Method::Questioning,
        Method::ReflectiveAccount,
        Method::Product,
        Method::CustomerRecord,
        Method::ServiceOffer,
        Method::Documentation,
        Method::PolicyAndLegislation,
        Method::Assignment,
        Method::CaseStudy,
        Method::PriorLearning,
        Method::ExpertWitness,
        Method::Simulation,
    ];

    /// The canonical name, as written in criteria files and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Method::Observation => "observation",
            Method::WitnessTestimony => "witness-testimony",
            Method::ProfessionalDiscussion => "professional-discussion",
            Method::Questioning => "questioning",
            Method::ReflectiveAccount => "reflective-account",
            Method::Product => "product",
            Method::CustomerRecord => "customer-record",
            Method::ServiceOffer => "service-offer",
            Method::Documentation => "documentation",
            Method::PolicyAndLegislation => "policy-and-legislation",
            Method::Assignment => "assignment",
            Method::CaseStudy => "case-study",
            Method::PriorLearning => "recognition-of-prior-learning",
            Method::ExpertWitness => "expert-witness",
            Method::Simulation => "simulation",
        }
    }

    /// The name for people: "witness testimony".
    pub fn label(self) -> &'static str {
        match self {
            Method::Observation => "observation",
            Method::WitnessTestimony => "witness testimony",
            Method::ProfessionalDiscussion => "professional discussion",
            Method::Questioning => "questioning",
            Method::ReflectiveAccount => "reflective account",
            Method::Product => "work product",
            Method::CustomerRecord => "customer record",
            Method::ServiceOffer => "service offer",
            Method::Documentation => "documentation",
            Method::PolicyAndLegislation => "policies, procedures and legislation",
            Method::Assignment => "assignment",
            Method::CaseStudy => "case study",
            Method::PriorLearning => "recognition of prior learning",
            Method::ExpertWitness => "expert witness testimony",
            Method::Simulation => "simulation",
        }
    }

    /// The label with its article, for sentences: "an observation".
    pub fn with_article(self) -> String {
        let label = self.label();
        match self {
            Method::Questioning
            | Method::Documentation
            | Method::PolicyAndLegislation
            | Method::PriorLearning
            | Method::Simulation => label.to_string(),
            Method::Observation | Method::Assignment | Method::ExpertWitness => format!("an {label}"),
            _ => format!("a {label}"),
        }
    }

    /// Reads a method the way a learner may write it: any case, spaces,
    /// hyphens or underscores, and the common other names.
    pub fn parse(text: &str) -> Option<Method> {
        let key: String = text
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| if c == '_' || c == ' ' { '-' } else { c })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let method = match key.as_str() {
            "observation" | "observed" | "direct-observation" | "obs" => Method::Observation,
            "witness-testimony" | "witness-statement" | "witness" | "wt" => Method::WitnessTestimony,
            "expert-witness" | "expert-witness-testimony" | "expert-witness-statement" | "ew" => Method::ExpertWitness,
            "assignment" | "written-assignment" | "assignments" => Method::Assignment,
            "case-study" | "case-studies" => Method::CaseStudy,
            "recognition-of-prior-learning" | "rpl" | "prior-learning" | "apl" => Method::PriorLearning,
            "simulation" | "simulated" | "role-play" | "realistic-working-environment" => Method::Simulation,
            "professional-discussion" | "prof-discussion" | "discussion" | "pd" => Method::ProfessionalDiscussion,
            "questioning"
            | "questions"
            | "question-and-answer"
            | "q-and-a"
            | "q&a"
            | "oral-questioning"
            | "written-questions" => Method::Questioning,
            "reflective-account"
            | "reflection"
            | "reflective-statement"
            | "reflective-log"
            | "personal-statement"
            | "ra" => Method::ReflectiveAccount,
            "product" | "work-product" | "product-evidence" => Method::Product,
            "customer-record" | "customer-records" => Method::CustomerRecord,
            "service-offer" | "service-offers" => Method::ServiceOffer,
            "documentation" | "document" | "documents" | "workplace-document" | "workplace-documents" => {
                Method::Documentation
            }
            "policy-and-legislation"
            | "policies-and-legislation"
            | "policy"
            | "policies"
            | "organisational-policies-and-procedures"
            | "legislative-requirements"
            | "legislation"
            | "policies-and-procedures"
            | "organisational-policy" => Method::PolicyAndLegislation,
            _ => return None,
        };
        Some(method)
    }

    /// A testimony by someone who saw the learner work: it needs a named
    /// witness, who must not be the learner.
    pub fn is_testimony(self) -> bool {
        matches!(self, Method::WitnessTestimony | Method::ExpertWitness)
    }

    /// All canonical names, for "did you mean".
    pub fn names() -> impl Iterator<Item = &'static str> {
        Method::ALL.iter().map(|m| m.name())
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Method {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_round_trip() {
        for m in Method::ALL {
            assert_eq!(Method::parse(m.name()), Some(m));
        }
    }

    #[test]
    fn common_spellings_are_normalised() {
        let cases = [
            ("witness statement", Method::WitnessTestimony),
            ("Witness Testimony", Method::WitnessTestimony),
            ("prof discussion", Method::ProfessionalDiscussion),
            ("Professional_Discussion", Method::ProfessionalDiscussion),
            ("  Observation ", Method::Observation),
            ("customer records", Method::CustomerRecord),
            ("organisational policies and procedures", Method::PolicyAndLegislation),
            ("expert witness testimony", Method::ExpertWitness),
            ("RPL", Method::PriorLearning),
            ("Case Study", Method::CaseStudy),
            ("role play", Method::Simulation),
        ];
        for (text, want) in cases {
            assert_eq!(Method::parse(text), Some(want), "{text}");
        }
        assert_eq!(Method::parse("interpretive dance"), None);
        assert_eq!(Method::parse(""), None);
    }
}
