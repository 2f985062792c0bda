//! The spreadsheets: `check --format csv` (one row per criterion), and the
//! writer that `cohort.csv` and `sample.csv` share, in the style chosen.

use super::Checked;

/// How a CSV file is written. Every style quotes as RFC 4180 says and keeps
/// the formula-injection guard ([`super::text::neutralise_formula`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "native", derive(clap::ValueEnum))]
pub enum CsvStyle {
    /// UTF-8 with a byte-order mark and CRLF line ends (RFC 4180): what
    /// Excel on Windows needs to open names with accents intact.
    #[default]
    Excel,
    /// UTF-8 without a byte-order mark, LF line ends: for scripts and Unix
    /// tools.
    Plain,
}

/// The UTF-8 byte-order mark, which tells Excel the file is UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV writer over `out` in `style`: for [`CsvStyle::Excel`] the
/// byte-order mark is written at once and records end in CRLF.
pub fn csv_writer<W: std::io::Write>(style: CsvStyle, mut out: W) -> Result<csv::Writer<W>, csv::Error> {
    let terminator = match style {
        CsvStyle::Excel => {
            out.write_all(BOM)?;
            csv::Terminator::CRLF
        }
        CsvStyle::Plain => csv::Terminator::Any(b'\n'),
    };
    Ok(csv::WriterBuilder::new().terminator(terminator).from_writer(out))
}

/// Writes the CSV (header row, RFC 4180 quoting) to `out`.
pub fn write_csv(c: Checked<'_>, out: impl std::io::Write, style: CsvStyle) -> Result<(), csv::Error> {
    let mut w = csv_writer(style, out)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn written(style: CsvStyle) -> Vec<u8> {
        let mut w = csv_writer(style, Vec::new()).unwrap();
        w.write_record(["name", "note"]).unwrap();
        w.write_record(["Zoë Ó Briain", "two\nlines, \"quoted\""]).unwrap();
        w.into_inner().unwrap()
    }

    #[test]
    fn excel_style_has_a_bom_and_crlf() {
        let bytes = written(CsvStyle::Excel);
        assert_eq!(
            bytes,
            "\u{feff}name,note\r\nZoë Ó Briain,\"two\nlines, \"\"quoted\"\"\"\r\n".as_bytes()
        );
    }

    #[test]
    fn plain_style_has_neither() {
        let bytes = written(CsvStyle::Plain);
        assert_eq!(
            bytes,
            "name,note\nZoë Ó Briain,\"two\nlines, \"\"quoted\"\"\"\n".as_bytes()
        );
    }
}
