//! `check --format csv`: one row per criterion, for spreadsheets.

use super::Checked;

/// Writes the CSV (header row, RFC 4180 quoting) to `out`.
pub fn write_csv(c: Checked<'_>, out: impl std::io::Write) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "framework",
        "code",
        "assessed",
        "status",
        "occasions",
        "evidence",
        "problems",
        "next",
    ])?;
    for r in &c.coverage.criteria {
        let evidence: Vec<&str> = r.evidence.iter().map(|&i| c.portfolio.items[i].id.as_str()).collect();
        let problems: Vec<&str> = r.problems.iter().map(|p| p.id()).collect();
        w.write_record([
            c.criteria.framework_of(r.id).id.as_str(),
            c.criteria.criterion(r.id).code.as_str(),
            if r.assessed { "yes" } else { "no" },
            r.status.word(),
            &r.occasions.to_string(),
            &super::text::neutralise_formula(&evidence.join("; ")),
            &problems.join("; "),
            &super::text::neutralise_formula(r.next.as_deref().unwrap_or("")),
        ])?;
    }
    w.flush()?;
    Ok(())
}
