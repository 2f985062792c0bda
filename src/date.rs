//! Calendar dates: parsing `YYYY-MM-DD` with real month lengths, and today's
//! date for the one rule that needs it (`date-in-future`).

use serde::{Serialize, Serializer};
use std::fmt;

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A date, if it exists on the calendar.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let year = i32::try_from(digits(0..4)?).ok()?;
        let month = u8::try_from(digits(5..7)?).ok()?;
        let day = u8::try_from(digits(8..10)?).ok()?;
        Date::new(year, month, day)
    }

    /// A date written in TOML: a date (`2026-03-14`), the date part of a
    /// date-time, or a string `"2026-03-14"`.
    pub fn from_toml(value: &toml::Value) -> Option<Date> {
        match value {
            toml::Value::Datetime(dt) => dt.date.and_then(|d| Date::new(i32::from(d.year), d.month, d.day)),
            toml::Value::String(s) => Date::parse(s.trim()),
            _ => None,
        }
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today, the learner's local day: the calendar date in the local time
    /// zone (`TZ`, else the system's), so that from midnight to 01:00 in
    /// British Summer Time it is already the new day. `PORTFOLIO_TODAY=YYYY-MM-DD`
    /// overrides the clock (for tests and for re-running a check as of a past
    /// day). Only the boundary (the command line, `serve`) calls this: the
    /// core gets today as a value, and without the native front ends (the
    /// WebAssembly build) there is no clock here at all.
    #[cfg(feature = "native")]
    pub fn today() -> Date {
        if let Some(d) = std::env::var("PORTFOLIO_TODAY")
            .ok()
            .and_then(|v| Date::parse(v.trim()))
        {
            return d;
        }
        // jiff (well kept, reads the system's tz database and `TZ`): the
        // local calendar date. An unknown zone falls back to UTC.
        let local = jiff::ZonedDateTime::now().date();
        Date {
            year: i32::from(local.year()),
            month: local.month() as u8,
            day: local.day() as u8,
        }
    }
}

/// Why `s`, written as `YYYY-MM-DD`, is not a calendar date: "February
/// 2026 has 28 days", "there is no month 13". `None` for other shapes.
pub fn why_not_a_date(s: &str) -> Option<String> {
    let s = s.trim().trim_matches(['"', '\'']);
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || y.len() != 4
        || ![y, m, d]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (year, month, day): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&month) {
        return Some(format!("there is no month {month}; the month comes second, YYYY-MM-DD"));
    }
    let month = month as u8;
    let days = u32::from(days_in_month(year, month));
    if day == 0 || day > days {
        return Some(format!("{} {year} has {days} days", MONTHS[usize::from(month) - 1]));
    }
    None
}

/// The date a learner meant by a date written another way: `25/12/2025`,
/// `25.12.2025`, `2025/12/25`, `3 June 2026`, `3rd Jun 2026`, `June 3,
/// 2026`. Day-first is the UK's order; a month over 12 tells month-first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meant {
    /// Only one reading is a date.
    One(Date),
    /// `03/06/2026`: 3 June (day first) or 6 March (month first).
    Either { day_first: Date, month_first: Date },
}

impl Meant {
    /// The hint for a key `key` written this way: "write it as date =
    /// 2025-12-25", or, when two dates fit, which is which.
    pub fn hint(self, key: &str) -> String {
        match self {
            Meant::One(d) => format!("write it as {key} = {d}"),
            Meant::Either { day_first, month_first } => format!(
                "write it as {key} = {day_first} for {}, or {key} = {month_first} for {}",
                day_month(day_first),
                day_month(month_first),
            ),
        }
    }

    /// The message for `written`: "`25/12/2025` is not a date written as
    /// YYYY-MM-DD.", or for two readings "… is it 3 June or 6 March?".
    pub fn message(self, written: &str) -> String {
        match self {
            Meant::One(_) => format!("`{written}` is not a date written as YYYY-MM-DD."),
            Meant::Either { day_first, month_first } => format!(
                "`{written}` is not a date written as YYYY-MM-DD: is it {} or {}?",
                day_month(day_first),
                day_month(month_first)
            ),
        }
    }
}

/// "3 June".
fn day_month(d: Date) -> String {
    format!("{} {}", d.day, MONTHS[usize::from(d.month) - 1])
}

/// What `written` means as a date, when it is one written another way
/// than YYYY-MM-DD (see [`Meant`]). `None` for YYYY-MM-DD itself and for
/// what is no date at all.
pub fn meant(written: &str) -> Option<Meant> {
    let s = written.trim().trim_matches(['"', '\'']).trim();
    if s.len() > 40 || Date::parse(s).is_some() {
        return None;
    }
    numeric(s).or_else(|| in_words(s))
}

/// `25/12/2025`, `25.12.2025`, `25-12-2025`, `25/12/25`, `2025/12/25`.
fn numeric(s: &str) -> Option<Meant> {
    let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    if ![a, b, c]
        .iter()
        .all(|p| (1..=4).contains(&p.len()) && p.bytes().all(|x| x.is_ascii_digit()))
    {
        return None;
    }
    let n = |p: &str| p.parse::<u32>().ok();
    let (a, b, c, year_first) = (n(a)?, n(b)?, n(c)?, a.len() == 4);
    if year_first {
        // 2025/12/25: ISO's order with other separators.
        return Date::new(i32::try_from(a).ok()?, u8::try_from(b).ok()?, u8::try_from(c).ok()?).map(Meant::One);
    }
    let year = match parts[2].len() {
        4 => i32::try_from(c).ok()?,
        2 => 2000 + i32::try_from(c).ok()?,
        _ => return None,
    };
    let date = |day: u32, month: u32| Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?);
    match (date(a, b), date(b, a)) {
        (Some(d), Some(m)) if d != m => Some(Meant::Either {
            day_first: d,
            month_first: m,
        }),
        (Some(d), _) | (None, Some(d)) => Some(Meant::One(d)),
        (None, None) => None,
    }
}

/// `3 June 2026`, `3rd Jun 2026`, `June 3, 2026`, `3-Jun-2026`.
fn in_words(s: &str) -> Option<Meant> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    let [x, y, year] = words.as_slice() else { return None };
    let month_of = |w: &str| {
        let w = w.trim_end_matches('.').to_lowercase();
        (w.len() >= 3)
            .then(|| MONTHS.iter().position(|m| m.to_lowercase().starts_with(&w)))
            .flatten()
            .and_then(|i| u8::try_from(i + 1).ok())
    };
    let day_of = |w: &str| {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        (["", "st", "nd", "rd", "th"].contains(&suffix.to_lowercase().as_str()) && (1..=2).contains(&digits.len()))
            .then(|| digits.parse::<u8>().ok())
            .flatten()
    };
    let year = (year.len() == 4).then(|| year.parse::<i32>().ok()).flatten()?;
    let (day, month) = match (day_of(x), month_of(y)) {
        (Some(d), Some(m)) => (d, m),
        _ => (day_of(y)?, month_of(x)?),
    };
    Date::new(year, month, day).map(Meant::One)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// "14 March 2026": how people read a date in the portfolio.
    pub fn long(self) -> String {
        let m = MONTHS
            .get(usize::from(self.month).wrapping_sub(1))
            .copied()
            .unwrap_or("?");
        format!("{} {m} {}", self.day, self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(Date::parse("2026-03-14"), Date::new(2026, 3, 14));
        assert_eq!(Date::parse("2024-02-29"), Date::new(2024, 2, 29));
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "yesterday",
            "2026-3-14",
            "2026-03-1x",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn explains_impossible_dates() {
        assert_eq!(
            why_not_a_date("2026-02-30").as_deref(),
            Some("February 2026 has 28 days")
        );
        assert_eq!(
            why_not_a_date("2024-02-30").as_deref(),
            Some("February 2024 has 29 days")
        );
        assert_eq!(
            why_not_a_date("1900-02-29").as_deref(),
            Some("February 1900 has 28 days")
        );
        assert_eq!(
            why_not_a_date("2000-02-30").as_deref(),
            Some("February 2000 has 29 days")
        );
        assert_eq!(why_not_a_date("2026-04-31").as_deref(), Some("April 2026 has 30 days"));
        assert!(why_not_a_date("2026-13-01").unwrap().contains("no month 13"));
        assert_eq!(why_not_a_date("2026-03-14"), None);
        assert_eq!(why_not_a_date("14/03/2026"), None);
    }

    #[test]
    fn dates_written_other_ways_are_read_as_meant() {
        let one = |s: &str| match meant(s) {
            Some(Meant::One(d)) => d.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(one("25/12/2025"), "2025-12-25");
        assert_eq!(one("25.12.2025"), "2025-12-25");
        assert_eq!(one("12/25/2025"), "2025-12-25");
        assert_eq!(one("2025/12/25"), "2025-12-25");
        assert_eq!(one("25/12/25"), "2025-12-25");
        assert_eq!(one("3 June 2026"), "2026-06-03");
        assert_eq!(one("3rd Jun 2026"), "2026-06-03");
        assert_eq!(one("June 3, 2026"), "2026-06-03");
        assert_eq!(one("\"3 June 2026\""), "2026-06-03");
        assert_eq!(one("06/06/2026"), "2026-06-06");
        let Some(Meant::Either { day_first, month_first }) = meant("03/06/2026") else {
            panic!("{:?}", meant("03/06/2026"))
        };
        assert_eq!(
            (day_first.to_string(), month_first.to_string()),
            ("2026-06-03".into(), "2026-03-06".into())
        );
        assert_eq!(
            meant("03/06/2026").unwrap().message("03/06/2026"),
            "`03/06/2026` is not a date written as YYYY-MM-DD: is it 3 June or 6 March?"
        );
        assert_eq!(
            meant("03/06/2026").unwrap().hint("date"),
            "write it as date = 2026-06-03 for 3 June, or date = 2026-03-06 for 6 March"
        );
        for no in [
            "2026-03-14",
            "yesterday",
            "31/02/2026",
            "3 Juin 2026",
            "1.1",
            "3 June",
            "32 June 2026",
            "3.1, 3.2",
        ] {
            assert_eq!(meant(no), None, "{no}");
        }
    }

    #[test]
    fn epoch_days_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2026-11-23", "1999-12-31"] {
            let d = Date::parse(s).unwrap();
            assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap().days_since_epoch(), 1);
    }
}
