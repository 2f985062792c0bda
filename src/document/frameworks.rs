//! A framework (unit or standard) as the criteria section shows it: its
//! groups and criteria, range, glossary and notes.

use super::{CriterionDoc, FrameworkDoc, GroupDoc, criterion_anchor};
use crate::coverage::{capitalise, group_label};
use crate::criteria::CritId;
use crate::report::Checked;

pub(super) fn framework_doc(c: Checked<'_>, f: usize) -> FrameworkDoc {
    let crit = c.criteria;
    let fw = &crit.frameworks[f];
    let groups = fw
        .groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let ids: Vec<CritId> = crit
                .ids()
                .filter(|id| crit.entry(*id).framework == f && crit.entry(*id).group == g)
                .collect();
            GroupDoc {
                code: group.code.clone(),
                label: ids
                    .first()
                    .map(|id| capitalise(&group_label(crit, *id)))
                    .unwrap_or_default(),
                title: group.title.clone(),
                methods: group
                    .methods
                    .iter()
                    .map(|m| {
                        if fw.rules.supporting_only.contains(m) {
                            format!("{}*", m.label())
                        } else {
                            m.label().to_string()
                        }
                    })
                    .collect(),
                min_occasions: group.min_occasions,
                rules: group.rule_sentences(),
                criteria: ids
                    .iter()
                    .map(|&id| CriterionDoc {
                        code: crit.criterion(id).code.clone(),
                        display_code: crit.display_code(id),
                        framework: fw.id.clone(),
                        anchor: criterion_anchor(&fw.id, &crit.criterion(id).code),
                        text: crit.criterion(id).text.clone(),
                        status: c.coverage.of(id).status,
                        maps_to: crit.maps_to[id.0].iter().map(|m| crit.display_code(*m)).collect(),
                        prompts: crit.criterion(id).prompts.clone(),
                        methods: crit
                            .criterion(id)
                            .methods
                            .iter()
                            .flatten()
                            .map(|m| m.label().to_string())
                            .collect(),
                        range: crit.criterion(id).range.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    FrameworkDoc {
        id: fw.id.clone(),
        short_title: fw.short_title.clone(),
        title: fw.title.clone(),
        reference_label: fw.reference_label.clone(),
        reference: fw.reference.clone(),
        level: fw.level,
        credit: fw.credit,
        glh: fw.glh,
        assessed: c.portfolio.settings.assessed.contains(&f),
        aim: fw.aim.clone(),
        relationship: fw.relationship.clone(),
        endorsement: fw.endorsement.clone(),
        notes: fw.notes.clone(),
        alias_note: fw.alias_note.clone(),
        glossary: fw.glossary.clone(),
        groups,
    }
}
