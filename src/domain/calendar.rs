//! Calendar time: the one local-date type, the civil-day maths and the one
//! day constant. Moments are UTC milliseconds ([`super::Timestamp`]); a
//! local date is what a person reads off a wall calendar at some UTC
//! offset, and everything that turns one into the other (KPI periods and
//! buckets, RFC 3339 text, the dashboard's date pickers, due dates) goes
//! through here so that "which day is it" has one answer.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Milliseconds in a calendar day. Days here have no leap seconds, as in
/// Unix time and JavaScript's `Date`.
pub const DAY_MS: i64 = 86_400_000;

/// Milliseconds in a minute, the unit UTC offsets are counted in.
pub const MINUTE_MS: i64 = 60_000;

/// A calendar day with no time and no zone, `YYYY-MM-DD`: a due date means
/// the same day wherever it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl LocalDate {
    /// `None` for days that do not exist (Feb 30) and years outside
    /// 0000–9999, which the text form cannot carry.
    pub fn new(year: i32, month: u8, day: u8) -> Option<LocalDate> {
        let month_t = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month_t, day).ok()?;
        (0..=9999)
            .contains(&year)
            .then_some(LocalDate { year, month, day })
    }

    /// Reads exactly `YYYY-MM-DD`, the text form (and what `<input
    /// type="date">` gives).
    pub fn parse(s: &str) -> Option<LocalDate> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = b.get(r)?;
            part.iter()
                .all(u8::is_ascii_digit)
                .then(|| part.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        LocalDate::new(
            digits(0..4)? as i32,
            digits(5..7)? as u8,
            digits(8..10)? as u8,
        )
    }

    /// The day as a person reads it: "3 декабря 2026", "3 Dec 2026".
    pub fn display(self, lang: crate::i18n::Lang) -> String {
        crate::i18n::day_text(lang, self.year, self.month, self.day)
    }

    /// The date of a day number (days since 1970-01-01). Total: every day
    /// number is a real date, though only years 0–9999 have a text form.
    pub fn from_days(days: i64) -> LocalDate {
        let (year, month, day) = civil_from_days(days);
        LocalDate { year, month, day }
    }

    /// The local date at a moment, `utc_offset_min` minutes east of UTC.
    pub fn at(utc_ms: i64, utc_offset_min: i32) -> LocalDate {
        LocalDate::from_days(local_day(utc_ms, utc_offset_min))
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The date `n` days later (earlier for negative `n`).
    pub fn add_days(self, n: i64) -> LocalDate {
        LocalDate::from_days(self.days() + n)
    }

    /// The first of this date's month.
    pub fn first_of_month(self) -> LocalDate {
        LocalDate { day: 1, ..self }
    }

    /// UTC milliseconds of this date's local midnight at an offset.
    pub fn start_ms(self, utc_offset_min: i32) -> i64 {
        self.days() * DAY_MS - i64::from(utc_offset_min) * MINUTE_MS
    }
}

impl fmt::Display for LocalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for LocalDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LocalDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        LocalDate::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid date “{s}”, want YYYY-MM-DD")))
    }
}

/// The local day number (days since 1970-01-01) of a moment, `utc_offset_min`
/// minutes east of UTC.
#[inline]
pub fn local_day(utc_ms: i64, utc_offset_min: i32) -> i64 {
    (utc_ms + i64::from(utc_offset_min) * MINUTE_MS).div_euclid(DAY_MS)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant).
pub fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// ISO 8601 (year, week) of a day number.
pub fn iso_week(day: i64) -> (i32, u8) {
    let thursday = day - weekday(day) + 3;
    let (year, _, _) = civil_from_days(thursday);
    let week = (thursday - days_from_civil(year, 1, 1)) / 7 + 1;
    (year, week as u8)
}

/// 0 = Monday … 6 = Sunday. 1970-01-01 was a Thursday.
pub fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for day in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn days_read_in_the_persons_language() {
        use crate::i18n::Lang;
        let d = LocalDate::new(2026, 12, 3).unwrap();
        assert_eq!(d.display(Lang::Ru), "3 декабря 2026");
        assert_eq!(d.display(Lang::En), "3 Dec 2026");
        assert_eq!(
            LocalDate::new(2027, 5, 31).unwrap().display(Lang::Ru),
            "31 мая 2027"
        );
        assert_eq!(
            LocalDate::new(2027, 1, 1).unwrap().display(Lang::En),
            "1 Jan 2027"
        );
    }

    #[test]
    fn iso_weeks_at_year_edges() {
        assert_eq!(iso_week(days_from_civil(2021, 1, 3)), (2020, 53));
        assert_eq!(iso_week(days_from_civil(2021, 1, 4)), (2021, 1));
        assert_eq!(iso_week(days_from_civil(2024, 12, 30)), (2025, 1));
        assert_eq!(iso_week(days_from_civil(2026, 3, 5)), (2026, 10));
    }

    #[test]
    fn dates_are_checked_and_round_trip() {
        let d = LocalDate::parse("2024-02-29").unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "2026-01-01T00:00",
            "-001-01-01",
            "",
        ] {
            assert_eq!(LocalDate::parse(bad), None, "{bad}");
        }
        assert!(LocalDate::new(10_000, 1, 1).is_none());
    }

    #[test]
    fn dates_at_moments_and_day_numbers() {
        // 2026-03-01 22:30 UTC is already 2026-03-02 in Moscow (+3) and
        // still 2026-03-01 in New York (−5).
        let t = days_from_civil(2026, 3, 1) * DAY_MS + 22 * 3_600_000 + 30 * MINUTE_MS;
        assert_eq!(LocalDate::at(t, 0), LocalDate::new(2026, 3, 1).unwrap());
        assert_eq!(LocalDate::at(t, 180), LocalDate::new(2026, 3, 2).unwrap());
        assert_eq!(LocalDate::at(t, -300), LocalDate::new(2026, 3, 1).unwrap());
        let d = LocalDate::new(2026, 3, 2).unwrap();
        assert_eq!(
            d.start_ms(180),
            days_from_civil(2026, 3, 2) * DAY_MS - 3 * 3_600_000
        );
        assert_eq!(LocalDate::at(d.start_ms(180), 180), d);
        assert_eq!(LocalDate::at(d.start_ms(180) - 1, 180), d.add_days(-1));
        assert_eq!(d.add_days(-1), LocalDate::new(2026, 3, 1).unwrap());
        assert_eq!(d.add_days(30), LocalDate::new(2026, 4, 1).unwrap());
        assert_eq!(LocalDate::from_days(d.days()), d);
        assert_eq!(d.first_of_month(), LocalDate::new(2026, 3, 1).unwrap());
        assert_eq!(weekday(d.days()), 0, "2026-03-02 is a Monday");
    }
}
