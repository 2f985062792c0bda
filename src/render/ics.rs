//! Follow-ups as iCalendar files (RFC 5545) that calendar and task apps
//! import, in two kinds: one `VTODO` per follow-up, due on its date, with a
//! reminder at 09:00 that day (`follow-ups.ics`, for task apps), and one
//! all-day `VEVENT` per follow-up on its date, with the same reminder
//! (`follow-ups-events.ics`, for calendar apps that import only events).
//!
//! The output is a pure function of its input: UIDs derive from the
//! learner, the item and the follow-up's key, `DTSTAMP` from a date passed
//! in (never the clock), and the entries come in a fixed order, so exporting
//! twice gives the same bytes and re-importing updates the entries rather
//! than duplicating them, while two learners' entries never share a UID.

use crate::date::Date;
use crate::document::FollowUp;

/// The longest a content line may be, in octets, before it is folded.
const LINE_OCTETS: usize = 75;

/// Which component each follow-up becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `VTODO`: a task due on the date (task apps, Thunderbird, Apple
    /// Reminders via the calendar).
    ToDo,
    /// `VEVENT`: an all-day event on the date (Google Calendar, Outlook,
    /// which import only events).
    Event,
}

impl Kind {
    /// The file `build` writes this kind to.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::ToDo => "follow-ups.ics",
            Kind::Event => "follow-ups-events.ics",
        }
    }
}

/// A `VCALENDAR` with one `VTODO` (or `VEVENT`, by `kind`) per follow-up.
///
/// Each entry has a `UID` of `<key>.<item_id>.<learner>@portfolio`, where
/// `learner` is the learner's ULN, else their id, else their name (all
/// sanitised to letters, digits and `-`, other bytes written `_XX` in hex,
/// so distinct inputs keep distinct UIDs); an event's UID ends in
/// `.event@portfolio`, so importing both files into one app keeps both.
/// Then `DTSTAMP` at midnight UTC of `stamp`; for a to-do `DUE;VALUE=DATE`
/// and `STATUS:NEEDS-ACTION`, for an event `DTSTART;VALUE=DATE` and
/// `DTEND;VALUE=DATE` the next day (one whole day) and `TRANSP:TRANSPARENT`
/// (the day stays free); `SUMMARY`, `DESCRIPTION` when there is one, and a
/// display alarm nine hours after the start of the day (for a to-do
/// `TRIGGER;RELATED=END:PT9H` after its due day starts, which RFC 5545
/// allows with a `DUE`; for an event `TRIGGER:PT9H` from its start).
/// Follow-ups are written by due date, then item id, then key. Lines end in
/// CRLF, text values are escaped and lines longer than 75 octets are folded
/// without splitting a UTF-8 character.
///
/// With no follow-ups the calendar has no components, which RFC 5545 does
/// not strictly allow; callers with nothing to export should say so rather
/// than write the file.
pub fn calendar(follow_ups: &[FollowUp], learner: &str, stamp: Date, kind: Kind) -> String {
    let mut sorted: Vec<&FollowUp> = follow_ups.iter().collect();
    sorted.sort_by(|a, b| (a.due, &a.item_id, &a.key).cmp(&(b.due, &b.item_id, &b.key)));
    let (component, suffix) = match kind {
        Kind::ToDo => ("VTODO", ""),
        Kind::Event => ("VEVENT", ".event"),
    };
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
        push_line(&mut out, &format!("BEGIN:{component}"));
        push_line(
            &mut out,
            &format!(
                "UID:{}.{}.{}{suffix}@portfolio",
                sanitise(&f.key),
                sanitise(&f.item_id),
                sanitise(learner)
            ),
        );
        push_line(&mut out, &format!("DTSTAMP:{}T000000Z", basic(stamp)));
        match kind {
            Kind::ToDo => push_line(&mut out, &format!("DUE;VALUE=DATE:{}", basic(f.due))),
            Kind::Event => {
                push_line(&mut out, &format!("DTSTART;VALUE=DATE:{}", basic(f.due)));
                push_line(
                    &mut out,
                    &format!(
                        "DTEND;VALUE=DATE:{}",
                        basic(Date::from_days_since_epoch(f.due.days_since_epoch() + 1))
                    ),
                );
            }
        }
        push_line(&mut out, &format!("SUMMARY:{}", escape(&f.summary)));
        if !f.description.is_empty() {
            push_line(&mut out, &format!("DESCRIPTION:{}", escape(&f.description)));
        }
        match kind {
            Kind::ToDo => push_line(&mut out, "STATUS:NEEDS-ACTION"),
            Kind::Event => push_line(&mut out, "TRANSP:TRANSPARENT"),
        }
        push_line(&mut out, "BEGIN:VALARM");
        push_line(&mut out, "ACTION:DISPLAY");
        push_line(&mut out, &format!("DESCRIPTION:{}", escape(&f.summary)));
        push_line(
            &mut out,
            match kind {
                Kind::ToDo => "TRIGGER;RELATED=END:PT9H",
                Kind::Event => "TRIGGER:PT9H",
            },
        );
        push_line(&mut out, "END:VALARM");
        push_line(&mut out, &format!("END:{component}"));
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
        let ics = calendar(&[f], "1234567890", date("2026-03-14"), Kind::ToDo);
        assert_eq!(
            ics,
            "BEGIN:VCALENDAR\r\n\
             VERSION:2.0\r\n\
             PRODID:-//portfolio//Unit evidence compiler//EN\r\n\
             CALSCALE:GREGORIAN\r\n\
             BEGIN:VTODO\r\n\
             UID:reminder.10-witness-refund.1234567890@portfolio\r\n\
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
        let lines = unfolded(&calendar(&[f], "L-1", date("2026-03-14"), Kind::ToDo));
        assert!(lines.contains(&r"SUMMARY:Refund\; chase\, then \\ close".to_string()));
        assert!(lines.contains(&r"DESCRIPTION:Line 1\nLine 2".to_string()));
    }

    #[test]
    fn folds_long_lines_at_75_octets() {
        let summary: String = "Rückruf für Kundin – ✓ 😀 ".chars().cycle().take(300).collect();
        let ics = calendar(
            &[follow_up("item", "reminder", "2026-03-20", &summary)],
            "L-1",
            date("2026-03-14"),
            Kind::Event,
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
        let ics = calendar(&[f], "L-1", date("2026-03-14"), Kind::ToDo);
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
        assert_eq!(
            calendar(&follow_ups, "L-1", stamp, Kind::ToDo),
            calendar(&follow_ups, "L-1", stamp, Kind::ToDo)
        );
        let uids: Vec<String> = unfolded(&calendar(&follow_ups, "L-1", stamp, Kind::ToDo))
            .into_iter()
            .filter(|l| l.starts_with("UID:"))
            .collect();
        assert_eq!(
            uids,
            [
                "UID:reminder.09_20crm_2Fcase.L-1@portfolio",
                "UID:reminder.09-crm-case.L-1@portfolio",
                "UID:action_2E1._C3_A9.L-1@portfolio",
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
        let summaries: Vec<String> = unfolded(&calendar(&follow_ups, "L-1", stamp, Kind::Event))
            .into_iter()
            .filter(|l| l.starts_with("SUMMARY:"))
            .collect();
        assert_eq!(summaries, ["SUMMARY:1", "SUMMARY:2", "SUMMARY:3", "SUMMARY:4"]);
        let mut reversed = follow_ups.clone();
        reversed.reverse();
        for kind in [Kind::ToDo, Kind::Event] {
            assert_eq!(
                calendar(&reversed, "L-1", stamp, kind),
                calendar(&follow_ups, "L-1", stamp, kind)
            );
        }
    }

    #[test]
    fn empty_calendar() {
        assert_eq!(
            calendar(&[], "L-1", date("2026-03-14"), Kind::ToDo),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//portfolio//Unit evidence compiler//EN\r\n\
             CALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n"
        );
    }

    #[test]
    fn writes_a_calendar_of_all_day_events() {
        let mut f = follow_up(
            "10-witness-refund",
            "reminder",
            "2026-03-31",
            "Chase Sam's witness statement",
        );
        f.description = "Ask Sam to sign it.".to_string();
        let ics = calendar(&[f], "1234567890", date("2026-03-14"), Kind::Event);
        assert_eq!(
            ics,
            "BEGIN:VCALENDAR\r\n\
             VERSION:2.0\r\n\
             PRODID:-//portfolio//Unit evidence compiler//EN\r\n\
             CALSCALE:GREGORIAN\r\n\
             BEGIN:VEVENT\r\n\
             UID:reminder.10-witness-refund.1234567890.event@portfolio\r\n\
             DTSTAMP:20260314T000000Z\r\n\
             DTSTART;VALUE=DATE:20260331\r\n\
             DTEND;VALUE=DATE:20260401\r\n\
             SUMMARY:Chase Sam's witness statement\r\n\
             DESCRIPTION:Ask Sam to sign it.\r\n\
             TRANSP:TRANSPARENT\r\n\
             BEGIN:VALARM\r\n\
             ACTION:DISPLAY\r\n\
             DESCRIPTION:Chase Sam's witness statement\r\n\
             TRIGGER:PT9H\r\n\
             END:VALARM\r\n\
             END:VEVENT\r\n\
             END:VCALENDAR\r\n"
        );
    }

    #[test]
    fn two_learners_with_the_same_items_share_no_uid() {
        let follow_ups = [
            follow_up("08-observation", "reminder", "2026-03-20", "A"),
            follow_up("08-observation", "action-1", "2026-03-21", "B"),
        ];
        let stamp = date("2026-03-14");
        let uids = |learner: &str, kind: Kind| -> Vec<String> {
            unfolded(&calendar(&follow_ups, learner, stamp, kind))
                .into_iter()
                .filter(|l| l.starts_with("UID:"))
                .collect()
        };
        let mut all: Vec<String> = Vec::new();
        for learner in ["1234567890", "1234567891", "L 1", "L_201"] {
            for kind in [Kind::ToDo, Kind::Event] {
                all.extend(uids(learner, kind));
            }
        }
        let distinct: std::collections::BTreeSet<&String> = all.iter().collect();
        assert_eq!(distinct.len(), all.len(), "{all:?}");
    }
}
