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
    /// core gets today as a value.
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
    fn epoch_days_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2026-11-23", "1999-12-31"] {
            let d = Date::parse(s).unwrap();
            assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap().days_since_epoch(), 1);
    }
}
