//! The witness status list, as awarding bodies' witness-status sheets have
//! it (RF03): every witness once, with role, relationship to the learner,
//! contact, occupational competence or expertise and whether the assessor
//! has confirmed their status, the items they attest, and a line to sign. Built here, printed
//! by both renderers from the same labelled rows.

use super::{LabelledRow, WitnessDoc, WitnessItem};

/// Lists the witnesses of `items` (usable items, in order, with their
/// anchors), each once, in order of first appearance.
pub fn witness_list(items: &[&crate::evidence::Item], anchors: &[String]) -> Vec<WitnessDoc> {
    let mut out: Vec<WitnessDoc> = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let Some(w) = &item.witness else { continue };
        let name = w.name.clone().unwrap_or_else(|| "(witness not named)".to_string());
        let key = name.to_lowercase();
        let at = match out.iter().position(|d| d.name.to_lowercase() == key) {
            Some(at) => at,
            None => {
                out.push(WitnessDoc {
                    name,
                    role: None,
                    relationship: None,
                    contact: None,
                    competence: None,
                    status_confirmed: None,
                    items: Vec::new(),
                    rows: Vec::new(),
                });
                out.len() - 1
            }
        };
        let d = &mut out[at];
        d.role = d.role.take().or_else(|| w.role.clone());
        d.relationship = d.relationship.take().or_else(|| w.relationship.clone());
        d.contact = d.contact.take().or_else(|| w.contact.clone());
        d.competence = d.competence.take().or_else(|| w.competence.clone());
        // Confirmed once any item says so; "no" only when one says no and
        // none says yes.
        d.status_confirmed = match (d.status_confirmed, w.status_confirmed) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (a, b) => a.or(b),
        };
        d.items.push(WitnessItem {
            number: n + 1,
            title: item.title.clone(),
            anchor: anchors[n].clone(),
            date: item.date,
        });
    }
    for d in &mut out {
        let missing = || "not recorded".to_string();
        let attests = d
            .items
            .iter()
            .map(|i| format!("item {} ({}), {}", i.number, i.date.long(), i.title))
            .collect::<Vec<_>>()
            .join("; ");
        d.rows = vec![
            LabelledRow::new("Role", d.role.clone().unwrap_or_else(missing)),
            LabelledRow::new(
                "Relationship to the learner",
                d.relationship.clone().unwrap_or_else(missing),
            ),
            LabelledRow::new("Contact", d.contact.clone().unwrap_or_else(missing)),
            LabelledRow::new(
                "Occupational competence or expertise",
                d.competence.clone().unwrap_or_else(missing),
            ),
            LabelledRow::new(
                "Status confirmed by the assessor",
                match d.status_confirmed {
                    Some(true) => "yes (typed in the evidence file)".to_string(),
                    Some(false) => "not yet".to_string(),
                    None => missing(),
                },
            ),
            LabelledRow::new("Attests", attests),
        ];
    }
    out
}
