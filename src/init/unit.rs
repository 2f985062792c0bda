//! `portfolio init --unit ID` for a unit other than the built-in one: a
//! portfolio.toml that assesses it, a reflection to fill in, and one
//! commented example per method the unit lists, tagged with a criterion
//! that method may show. Nothing here is about any particular unit.

use crate::criteria::{Criteria, Framework};
use crate::method::Method;
use std::fmt::Write as _;

/// The files of a new portfolio for `fw`, as (path, contents).
pub fn files(criteria: &Criteria, fw: &Framework) -> Vec<(String, String)> {
    let mut files = vec![
        ("portfolio.toml".to_string(), portfolio_toml(fw)),
        ("reflection.md".to_string(), reflection(fw)),
        (
            "evidence/README.md.txt".to_string(),
            include_str!("evidence-readme.txt").to_string(),
        ),
        (
            "attachments/README.txt".to_string(),
            "Put images and documents that your evidence items refer to here.\nRefer to them from an item as attachments = [\"attachments/FILE\"].\n".to_string(),
        ),
    ];
    for method in Method::ALL {
        // The first criterion whose methods list this one: the example's tag.
        let tagged = fw.groups.iter().flat_map(|g| {
            g.criteria
                .iter()
                .filter(move |c| c.methods.as_deref().unwrap_or(&g.methods).contains(&method))
        });
        if let Some(criterion) = tagged.into_iter().next() {
            let code = qualified(criteria, fw, &criterion.code);
            let supporting = fw.rules.supporting_only.contains(&method);
            files.push((
                format!("examples/{}.md", method.name()),
                example(method, &code, &criterion.text, supporting),
            ));
        }
    }
    super::files::with_schema(files)
}

/// The code as an item should write it: bare when it resolves to this
/// unit in a portfolio that assesses it, else qualified.
fn qualified(criteria: &Criteria, fw: &Framework, code: &str) -> String {
    let own = criteria.framework_index(&fw.id).map(|f| vec![f]).unwrap_or_default();
    match criteria.resolve_preferring(code, &own) {
        Ok(id) if criteria.framework_of(id).id == fw.id => code.to_string(),
        _ => format!("{}:{code}", fw.id),
    }
}

fn portfolio_toml(fw: &Framework) -> String {
    format!(
        "# Your portfolio for {} \"{}\" ({} {}).\n# Fill in the names below, then write one evidence item per file in evidence/.\n\n[learner]\nname = \"Your Name\"\nid = \"L-0000\"            # your training provider's learner reference\n# uln = \"1234567890\"     # your Unique Learner Number, if you know it\n# registered = 2026-01-12  # the day you were registered: earlier evidence does not count\n\n[centre]\nname = \"Your Training Centre\"\n# number = \"C-0000\"\n\n# Only decisions recorded by the assessor named here count towards \"met\".\n# With several assessors, write one [[assessor]] table for each instead.\n[assessor]\nname = \"Your Assessor\"\n\n# The unit this portfolio is assessed against.\nassess = [\"{}\"]\n",
        fw.short_title, fw.title, fw.reference_label, fw.reference, fw.id
    )
}

fn reflection(fw: &Framework) -> String {
    format!(
        "# My reflective account\n\nWrite here, in your own words, how you work towards {} \"{}\": what you do, why, what your organisation expects of you, and what you have learned. This account is printed in your portfolio before the evidence items.\n",
        fw.short_title, fw.title
    )
}

fn example(method: Method, code: &str, text: &str, supporting: bool) -> String {
    let mut s = String::from("+++\n");
    let _ = writeln!(s, "# {}: {}", capital(method.label()), advice(method));
    if supporting {
        s.push_str("# On its own this never shows a criterion: pair it with evidence of you doing it.\n");
    }
    let _ = writeln!(
        s,
        "title = \"{} for {code}: say in a few words what happened\"",
        capital(method.label())
    );
    s.push_str("date = 2026-03-14\n");
    let _ = writeln!(s, "method = \"{}\"", method.name());
    let _ = writeln!(s, "criteria = [\"{code}\"]");
    if method.is_testimony() {
        s.push_str("witness = { name = \"Their Name\", role = \"Their role\" }\n");
    }
    if supporting {
        s.push_str("held_at = \"Where the document is kept at work\"\n");
    }
    if method == Method::Simulation {
        s.push_str("simulated = true\n");
    }
    s.push_str("+++\n");
    let _ = writeln!(
        s,
        "Describe, in your own words, what you did that shows {code} ({}) [[{code}]].",
        text.trim_end_matches('.')
    );
    s
}

fn advice(method: Method) -> &'static str {
    match method {
        Method::Observation => "your assessor saw you work and records what they saw",
        Method::WitnessTestimony => {
            "a colleague or manager who saw what you did; it counts only with their name and role"
        }
        Method::ExpertWitness => "an occupational expert who saw what you did; it counts only with their name and role",
        Method::ProfessionalDiscussion => "a recorded conversation with your assessor",
        Method::Questioning => "your answers to your assessor's questions",
        Method::ReflectiveAccount => "your own account of something you did and what you learned",
        Method::Product => "something you made at work",
        Method::Assignment => "a written assignment set by your assessor",
        Method::CaseStudy => "a case study you worked through",
        Method::PriorLearning => "learning you achieved before this qualification, matched to the criteria",
        Method::Simulation => "a realistic exercise outside real work, where the unit allows it",
        Method::CustomerRecord | Method::ServiceOffer | Method::Documentation | Method::PolicyAndLegislation => {
            "a workplace document; say where it is kept if it stays at work"
        }
    }
}

fn capital(s: &str) -> String {
    crate::diagnostic::capitalise(s)
}
