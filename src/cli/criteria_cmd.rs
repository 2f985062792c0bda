//! `portfolio criteria`: the loaded frameworks as text or JSON.

use super::Global;
use crate::error::Error;
use clap::{Args, ValueEnum};
use std::fmt::Write as _;
use std::io::Write;

#[derive(Debug, Args)]
pub struct CriteriaArgs {
    /// text for people, json for machines (every field of the criteria files).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub criteria: super::CriteriaOpt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn run(global: &Global, args: CriteriaArgs) -> Result<u8, Error> {
    let criteria = crate::pipeline::criteria(global.criteria.as_deref())?;
    let write = || -> Result<(), Error> {
        let mut out = std::io::stdout().lock();
        match args.format {
            Format::Json => {
                let json = serde_json::json!({
                    "schema": "portfolio-criteria-list/1",
                    "frameworks": criteria.frameworks,
                });
                serde_json::to_writer_pretty(&mut out, &json)?;
                out.write_all(b"\n")?;
            }
            Format::Text => out.write_all(text(&criteria).as_bytes())?,
        }
        out.flush()?;
        Ok(())
    };
    match write() {
        Err(e) if e.is_broken_pipe() => Ok(0),
        other => other.map(|()| 0),
    }
}

fn text(criteria: &crate::criteria::Criteria) -> String {
    let mut s = String::new();
    for (f, fw) in criteria.frameworks.iter().enumerate() {
        let _ = writeln!(
            s,
            "{} — {} ({} {}, id `{}`, from {})",
            fw.short_title, fw.title, fw.reference_label, fw.reference, fw.id, fw.source
        );
        let facts: Vec<String> = [("level", fw.level), ("credit", fw.credit), ("GLH", fw.glh)]
            .iter()
            .filter_map(|(k, v)| v.map(|v| format!("{k} {v}")))
            .collect();
        if !facts.is_empty() {
            let _ = writeln!(s, "  {}", facts.join(", "));
        }
        if !fw.aliases.is_empty() {
            let _ = writeln!(s, "  also known as: {}", fw.aliases.join(", "));
            if !fw.alias_note.is_empty() {
                let _ = writeln!(s, "  {}", fw.alias_note);
            }
        }
        let supporting: Vec<&str> = fw.rules.supporting_only.iter().map(|m| m.name()).collect();
        if !supporting.is_empty() {
            let _ = writeln!(s, "  never sufficient alone: {}", supporting.join(", "));
        }
        let exempt = if fw.rules.over_mapped_exempt_kinds.is_empty() {
            String::new()
        } else {
            format!(" (not in {} groups)", fw.rules.over_mapped_exempt_kinds.join(" or "))
        };
        let _ = writeln!(
            s,
            "  over-mapped above {} criteria per item, or {} or more and more than {:.0}% of a group's{exempt}",
            fw.rules.over_mapped_max_total,
            fw.rules.over_mapped_min_group.max(2),
            fw.rules.over_mapped_max_group_share * 100.0
        );
        for group in &fw.groups {
            let _ = writeln!(s, "\n  {} {} [{}]", group.code, group.title, group.kind);
            if !group.methods.is_empty() {
                let methods: Vec<String> = group
                    .methods
                    .iter()
                    .map(|m| {
                        if fw.rules.supporting_only.contains(m) {
                            format!("{}*", m.name())
                        } else {
                            m.name().to_string()
                        }
                    })
                    .collect();
                let _ = writeln!(s, "    evidence may be supplied by: {}", methods.join(", "));
            }
            if group.min_occasions > 1 {
                let _ = writeln!(s, "    needs {} distinct occasions", group.min_occasions);
            }
            for rule in group.rule_sentences() {
                let _ = writeln!(s, "    {rule}");
            }
            for c in &group.criteria {
                let _ = writeln!(s, "    {:<5} {}", c.code, c.text);
                if let Some(methods) = &c.methods {
                    let names: Vec<&str> = methods.iter().map(|m| m.name()).collect();
                    let _ = writeln!(s, "          evidence may be supplied by: {}", names.join(", "));
                }
                for r in &c.range {
                    let _ = writeln!(s, "          range: {r}");
                }
                if !c.maps_to.is_empty() {
                    let _ = writeln!(s, "          maps to {}", c.maps_to.join(", "));
                }
                for p in &c.prompts {
                    let _ = writeln!(s, "          assessor looks for: {p}");
                }
                if !c.handover_requires.is_empty() {
                    let _ = writeln!(
                        s,
                        "          a [handover] record needs: {}",
                        c.handover_requires.join(", ")
                    );
                }
            }
        }
        let mapped: Vec<String> = criteria
            .ids()
            .filter(|id| criteria.entry(*id).framework == f && !criteria.mapped_from[id.0].is_empty())
            .map(|id| {
                let from: Vec<String> = criteria.mapped_from[id.0]
                    .iter()
                    .map(|m| criteria.qualified_code(*m))
                    .collect();
                format!("    {:<5} ← {}", criteria.criterion(id).code, from.join(", "))
            })
            .collect();
        if !mapped.is_empty() {
            let _ = writeln!(s, "\n  counted from other frameworks:\n{}", mapped.join("\n"));
        }
        for g in &fw.glossary {
            let _ = writeln!(s, "\n  glossary: {} — {}", g.term, g.definition);
        }
        s.push('\n');
    }
    s
}
