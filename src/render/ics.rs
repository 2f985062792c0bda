//! Follow-ups as an iCalendar file (RFC 5545) that calendar and task apps
//! import: one `VTODO` per follow-up, due on its date, with a reminder at
//! 09:00 that day.
//!
//! The output is a pure function of its input: UIDs derive from the item and
//! the follow-up's key, `DTSTAMP` from a date passed in (never the clock),
//! and the to-dos come in a fixed order, so exporting twice gives the same
//! bytes and re-importing updates the to-dos rather than duplicating them.

use crate::date::Date;
use crate::document::FollowUp;

/// The longest a content line may be, in octets, before it is folded.
const LINE_OCTETS: usize = 75;

/// A `VCALENDAR` with one `VTODO` per follow-up.
///
/// Each to-do has a `UID` of `<key>.<item_id>@portfolio` (both sanitised to
/// letters, digits and `-`, other bytes written `_XX` in hex, so distinct
/// inputs keep distinct UIDs), `DTSTAMP` at midnight UTC of `stamp`,
/// `DUE;VALUE=DATE`, `SUMMARY`, `DESCRIPTION` when there is one,
/// `STATUS:NEEDS-ACTION`, and a display alarm `TRIGGER;RELATED=END:PT9H`:
/// nine hours after the start of the due day, which RFC 5545 allows for a
/// to-do with a `DUE`. Follow-ups are written by due date, then item id,
/// then key. Lines end in CRLF, text values are escaped and lines longer
/// than 75 octets are folded without splitting a UTF-8 character.
///
/// With no follow-ups the calendar has no components, which RFC 5545 does
/// not strictly allow; callers with nothing to export should say so rather
/// than write the file.
pub fn calendar(follow_ups: &[FollowUp], stamp: Date) -> String {
    let mut sorted: Vec<&FollowUp> = follow_ups.iter().collect();
    sorted.sort_by(|a, b| (a.due, &a.item_id, &a.key).cmp(&(b.due, &b.item_id, &b.key)));
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//portfolio//Unit evidence compiler//EN",
        "CALSCALE:GREGORIAN",
    ] {
        push_line(&mut out, line);
    }
    for f in sorted {
        push_line(&mut out, "BEGIN:VTODO");
        push_line(
            &mut out,
            &format!("UID:{}.{}@portfolio", sanitise(&f.key), sanitise(&f.item_id)),
        );
        push_line(&mut out, &format!("DTSTAMP:{}T000000Z", basic(stamp)));
        push_line(&mut out, &format!("DUE;VALUE=DATE:{}", basic(f.due)));
        push_line(&mut out, &format!("SUMMARY:{}", escape(&f.summary)));
        if !f.description.is_empty() {
            push_line(&mut out, &format!("DESCRIPTION:{}", escape(&f.description)));
        }
        push_line(&mut out, "STATUS:NEEDS-ACTION");
        push_line(&mut out, "BEGIN:VALARM");
        push_line(&mut out, "ACTION:DISPLAY");
        push_line(&mut out, &format!("DESCRIPTION:{}", escape(&f.summary)));
        push_line(&mut out, "TRIGGER;RELATED=END:PT9H");
        push_line(&mut out, "END:VALARM");
        push_line(&mut out, "END:VTODO");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// A date in the basic format `YYYYMMDD`.
fn basic(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year, d.month, d.day)
}

/// Letters, digits and `-` as they are; every other byte as `_XX`.
fn sanitise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("_{b:02X}"));
        }
    }
    out
}

/// A TEXT value (RFC 5545 §3.3.11): `\`, `;` and `,` escaped, line breaks
/// (LF, CRLF or CR) as `\n`, other control characters except tab dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (RFC 5545 §3.1) and a CRLF.
/// Continuation lines start with a space, which counts towards their 75.
fn push_line(out: &mut String, line: &str) {
    let mut octets = 0;
    for c in line.chars() {
        if octets + c.len_utf8() > LINE_OCTETS {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn follow_up(item: &str, key: &str, due: &str, summary: &str) -> FollowUp {
        FollowUp {
            item_id: item.to_string(),
            key: key.to_string(),
            summary: summary.to_string(),
            due: date(due),
            description: String::new(),
        }
    }

    /// The content lines of `ics`, unfolded.
    fn unfolded(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "").split("\r\n").map(str::to_string).collect()
    }

    #[test]
    fn writes_a_calendar_of_to_dos() {
        let mut f = follow_up(
            "10-witness-refund",
            "reminder",
            "2026-03-20",
            "Chase Sam's witness statement",
        );
        f.description = "Ask Sam to sign it.".to_string();
        let ics = calendar(&[f], date("2026-03-14"));
        assert_eq!(
            ics,
            "BEGIN:VCALENDAR\r\n\
             VERSION:2.0\r\n\
             PRODID:-//portfolio//Unit evidence compiler//EN\r\n\
             CALSCALE:GREGORIAN\r\n\
             BEGIN:VTODO\r\n\
             UID:reminder.10-witness-refund@portfolio\r\n\
             DTSTAMP:20260314T000000Z\r\n\
             DUE;VALUE=DATE:20260320\r\n\
             SUMMARY:Chase Sam's witness statement\r\n\
             DESCRIPTION:Ask Sam to sign it.\r\n\
             STATUS:NEEDS-ACTION\r\n\
             BEGIN:VALARM\r\n\
             ACTION:DISPLAY\r\n\
             DESCRIPTION:Chase Sam's witness statement\r\n\
             TRIGGER;RELATED=END:PT9H\r\n\
             END:VALARM\r\n\
             END:VTODO\r\n\
             END:VCALENDAR\r\n"
        );
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(escape("one\ntwo\r\nthree\rfour"), r"one\ntwo\nthree\nfour");
        assert_eq!(escape("bell\u{7}\ttab"), "bell\ttab");
        assert_eq!(escape("caf\u{e9}: 10:00"), "caf\u{e9}: 10:00");
        let mut f = follow_up("x", "k", "2026-03-20", "Refund; chase, then \\ close");
        f.description = "Line 1\nLine 2".to_string();
        let lines = unfolded(&calendar(&[f], date("2026-03-14")));
        assert!(lines.contains(&r"SUMMARY:Refund\; chase\, then \\ close".to_string()));
        assert!(lines.contains(&r"DESCRIPTION:Line 1\nLine 2".to_string()));
    }

    #[test]
    fn folds_long_lines_at_75_octets() {
        let summary: String = "Rückruf für Kundin – ✓ 😀 ".chars().cycle().take(300).collect();
        let ics = calendar(
            &[follow_up("item", "reminder", "2026-03-20", &summary)],
            date("2026-03-14"),
        );
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert!(ics.split("\r\n").filter(|l| l.starts_with(' ')).count() > 4);
        let lines = unfolded(&ics);
        assert!(lines.contains(&format!("SUMMARY:{summary}")));
        // A line of exactly 75 octets is not folded; 76 is.
        let mut out = String::new();
        push_line(&mut out, &"x".repeat(75));
        assert_eq!(out, format!("{}\r\n", "x".repeat(75)));
        out.clear();
        push_line(&mut out, &"x".repeat(76));
        assert_eq!(out, format!("{}\r\n x\r\n", "x".repeat(75)));
    }

    #[test]
    fn crlf_everywhere() {
        let mut f = follow_up("a", "b", "2026-03-20", &"long ".repeat(40));
        f.description = "x\ny\rz".to_string();
        let ics = calendar(&[f], date("2026-03-14"));
        assert!(ics.ends_with("\r\n"));
        let bytes = ics.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                assert_eq!(bytes[i - 1], b'\r', "bare LF at {i}");
            }
            if b == b'\r' {
                assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at {i}");
            }
        }
    }

    #[test]
    fn uids_are_stable_and_distinct() {
        let follow_ups = [
            follow_up("09 crm/case", "reminder", "2026-03-20", "A"),
            follow_up("09-crm-case", "reminder", "2026-03-20", "B"),
            follow_up("é", "action.1", "2026-03-20", "C"),
        ];
        let stamp = date("2026-03-14");
        assert_eq!(calendar(&follow_ups, stamp), calendar(&follow_ups, stamp));
        let uids: Vec<String> = unfolded(&calendar(&follow_ups, stamp))
            .into_iter()
            .filter(|l| l.starts_with("UID:"))
            .collect();
        assert_eq!(
            uids,
            [
                "UID:reminder.09_20crm_2Fcase@portfolio",
                "UID:reminder.09-crm-case@portfolio",
                "UID:action_2E1._C3_A9@portfolio",
            ]
        );
    }

    #[test]
    fn orders_by_due_date_then_item_then_key() {
        let follow_ups = [
            follow_up("b", "reminder", "2026-04-01", "4"),
            follow_up("b", "action-1", "2026-03-20", "2"),
            follow_up("a", "reminder", "2026-03-20", "1"),
            follow_up("b", "reminder", "2026-03-20", "3"),
        ];
        let stamp = date("2026-03-14");
        let summaries: Vec<String> = unfolded(&calendar(&follow_ups, stamp))
            .into_iter()
            .filter(|l| l.starts_with("SUMMARY:"))
            .collect();
        assert_eq!(summaries, ["SUMMARY:1", "SUMMARY:2", "SUMMARY:3", "SUMMARY:4"]);
        let mut reversed = follow_ups.clone();
        reversed.reverse();
        assert_eq!(calendar(&reversed, stamp), calendar(&follow_ups, stamp));
    }

    #[test]
    fn empty_calendar() {
        assert_eq!(
            calendar(&[], date("2026-03-14")),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//portfolio//Unit evidence compiler//EN\r\n\
             CALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n"
        );
    }
}
