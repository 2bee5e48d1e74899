//! What the dashboard asks for: a period, locations, employees,
//! questionnaires, and the time buckets of its trend lines, in the user's
//! UTC offset.

use std::ops::Range;

use crate::domain::{Response, ResponseStatus};

use crate::domain::calendar::{
    civil_from_days, days_from_civil, iso_week, LocalDate, DAY_MS, MINUTE_MS,
};

/// Half-open span of time `[start_ms, end_ms)`, UTC milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Period {
    pub fn new(start_ms: i64, end_ms: i64) -> Period {
        Period {
            start_ms,
            end_ms: end_ms.max(start_ms),
        }
    }

    /// Whole local days `first..=last` at a UTC offset, the way a date
    /// picker states a period.
    pub fn local_days(first: LocalDate, last: LocalDate, utc_offset_min: i32) -> Period {
        Period::new(
            first.start_ms(utc_offset_min),
            last.add_days(1).start_ms(utc_offset_min),
        )
    }

    pub fn len_ms(&self) -> i64 {
        self.end_ms - self.start_ms
    }

    /// The period of the same length just before this one: the baseline of
    /// "compared with the previous period".
    pub fn previous(&self) -> Period {
        Period::new(self.start_ms - self.len_ms(), self.start_ms)
    }

    pub fn contains(&self, t_ms: i64) -> bool {
        self.start_ms <= t_ms && t_ms < self.end_ms
    }
}

/// Width of one point of a trend line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Bucket {
    #[default]
    Day,
    /// ISO 8601 week, Monday to Sunday.
    IsoWeek,
    Month,
}

/// The dashboard's query. Empty id lists mean "all".
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub period: Option<Period>,
    pub locations: Vec<String>,
    pub employees: Vec<String>,
    pub questionnaires: Vec<String>,
    pub bucket: Bucket,
    /// The user's offset from UTC, minutes east: days, weeks and months
    /// start at local midnight.
    pub utc_offset_min: i32,
    /// ИНК's silent-customer coefficient k, 0..=1.
    pub silent_k: f64,
    /// Fewer observations than this and an employee or location is listed
    /// but not ranked.
    pub min_rank_n: u64,
    /// Also compute the previous period of the same length (needs `period`).
    pub compare_previous: bool,
    /// Items listed as weak spots, overall and per location.
    pub weak_spots_limit: usize,
}

impl Default for Filter {
    fn default() -> Filter {
        Filter {
            period: None,
            locations: Vec::new(),
            employees: Vec::new(),
            questionnaires: Vec::new(),
            bucket: Bucket::Day,
            utc_offset_min: 0,
            silent_k: 0.0,
            min_rank_n: 5,
            compare_previous: true,
            weak_spots_limit: 10,
        }
    }
}

impl Filter {
    /// Whether the filter selects one stored response: the record-side
    /// twin of the KPI pass's `Allow::admits` (kpi/aggregate.rs), which
    /// asks the same of the columnar dataset's interned rows. Both read the
    /// same rule: submitted, dated in the period by
    /// [`Response::occurred_at`], at one of the locations, with one of the
    /// employees (an empty employee id is no employee, as at ingest), of
    /// one of the questionnaires; an empty list lets everything through.
    /// Whether the questionnaire version is known and whether a correction
    /// superseded the response is for the caller to know: that needs the
    /// questionnaires and every response. `kpi::tests` checks that the two
    /// select the same responses.
    pub fn admits(&self, r: &Response) -> bool {
        let time = r.occurred_at().utc_ms;
        r.status != ResponseStatus::Draft
            && self.period.is_none_or(|p| p.contains(time))
            && (self.locations.is_empty() || self.locations.contains(&r.location_id))
            && (self.employees.is_empty()
                || r.employee_ids
                    .iter()
                    .any(|e| !e.is_empty() && self.employees.contains(e)))
            && (self.questionnaires.is_empty() || self.questionnaires.contains(&r.questionnaire_id))
    }
}

/// One point of a trend line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketInfo {
    pub start_ms: i64,
    pub end_ms: i64,
    /// `2026-03-05`, `2026-W10` or `2026-03`.
    pub label: String,
}

/// Maps times to dense bucket indices starting at the bucket of `first_ms`.
/// Rows come sorted by time, so the current bucket's bounds are cached and
/// most rows cost one comparison.
#[derive(Debug, Clone)]
pub(crate) struct Bucketer {
    bucket: Bucket,
    shift_ms: i64,
    origin: i64,
    cur: Range<i64>,
    cur_index: u32,
}

impl Bucketer {
    pub(crate) fn new(bucket: Bucket, utc_offset_min: i32, first_ms: i64) -> Bucketer {
        let shift_ms = i64::from(utc_offset_min) * MINUTE_MS;
        let mut b = Bucketer {
            bucket,
            shift_ms,
            origin: 0,
            cur: 0..0,
            cur_index: 0,
        };
        b.origin = b.ordinal(first_ms);
        b
    }

    /// Bucket number on a global scale: days, weeks or months.
    fn ordinal(&self, t_ms: i64) -> i64 {
        let day = (t_ms + self.shift_ms).div_euclid(DAY_MS);
        match self.bucket {
            Bucket::Day => day,
            // Weeks since Monday 1969-12-29.
            Bucket::IsoWeek => (day + 3).div_euclid(7),
            Bucket::Month => {
                let (y, m, _) = civil_from_days(day);
                i64::from(y) * 12 + i64::from(m) - 1
            }
        }
    }

    /// First local day of a bucket ordinal.
    fn first_day(&self, ordinal: i64) -> i64 {
        match self.bucket {
            Bucket::Day => ordinal,
            Bucket::IsoWeek => ordinal * 7 - 3,
            Bucket::Month => {
                let y = ordinal.div_euclid(12) as i32;
                let m = (ordinal.rem_euclid(12) + 1) as u8;
                days_from_civil(y, m, 1)
            }
        }
    }

    fn bounds(&self, ordinal: i64) -> Range<i64> {
        let start = self.first_day(ordinal) * DAY_MS - self.shift_ms;
        let end = self.first_day(ordinal + 1) * DAY_MS - self.shift_ms;
        start..end
    }

    #[inline]
    pub(crate) fn index(&mut self, t_ms: i64) -> u32 {
        if !self.cur.contains(&t_ms) {
            let o = self.ordinal(t_ms);
            self.cur = self.bounds(o);
            self.cur_index = (o - self.origin).max(0) as u32;
        }
        self.cur_index
    }

    /// Number of buckets from the first up to and including `last_ms`'s.
    pub(crate) fn count_to(&self, last_ms: i64) -> usize {
        (self.ordinal(last_ms) - self.origin + 1).max(0) as usize
    }

    pub(crate) fn info(&self, index: u32) -> BucketInfo {
        let o = self.origin + i64::from(index);
        let r = self.bounds(o);
        let day = self.first_day(o);
        let date = LocalDate::from_days(day);
        let label = match self.bucket {
            Bucket::Day => date.to_string(),
            Bucket::IsoWeek => {
                let (wy, w) = iso_week(day);
                format!("{wy:04}-W{w:02}")
            }
            Bucket::Month => format!("{:04}-{:02}", date.year, date.month),
        };
        BucketInfo {
            start_ms: r.start,
            end_ms: r.end,
            label,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_start_at_local_midnight() {
        // 2026-03-01 22:30 UTC is already 2026-03-02 01:30 in Moscow (+3).
        let t = days_from_civil(2026, 3, 1) * DAY_MS + 22 * 3_600_000 + 30 * MINUTE_MS;
        let mut utc = Bucketer::new(Bucket::Day, 0, t);
        let i = utc.index(t);
        assert_eq!(utc.info(i).label, "2026-03-01");
        let mut msk = Bucketer::new(Bucket::Day, 180, t);
        let i = msk.index(t);
        let info = msk.info(i);
        assert_eq!(info.label, "2026-03-02");
        assert_eq!(
            info.start_ms,
            days_from_civil(2026, 3, 2) * DAY_MS - 180 * MINUTE_MS
        );
        // Monday 2026-03-02 starts ISO week 10; the month is March.
        let mut w = Bucketer::new(Bucket::IsoWeek, 180, t);
        let i = w.index(t);
        assert_eq!(w.info(i).label, "2026-W10");
        let mut mo = Bucketer::new(Bucket::Month, -300, t);
        let i = mo.index(t);
        assert_eq!(mo.info(i).label, "2026-03");
    }

    #[test]
    fn dense_indices_and_counts() {
        let jan1 = days_from_civil(2026, 1, 1) * DAY_MS;
        let mut m = Bucketer::new(Bucket::Month, 0, jan1 + 5);
        let may = days_from_civil(2026, 5, 20) * DAY_MS;
        assert_eq!(m.index(may), 4);
        assert_eq!(m.index(jan1), 0);
        assert_eq!(m.count_to(may), 5);
        let mut w = Bucketer::new(Bucket::IsoWeek, 0, jan1);
        // Thursday 2026-01-01 belongs to the week of Monday 2025-12-29.
        assert_eq!(w.info(0).label, "2026-W01");
        assert_eq!(w.index(days_from_civil(2026, 1, 5) * DAY_MS), 1);
    }

    #[test]
    fn periods_from_local_days_and_previous() {
        let day = |d| LocalDate::new(2026, 3, d).unwrap();
        let p = Period::local_days(day(1), day(31), 180);
        assert_eq!(p.len_ms(), 31 * DAY_MS);
        assert_eq!(
            p.start_ms,
            days_from_civil(2026, 3, 1) * DAY_MS - 3 * 3_600_000
        );
        let prev = p.previous();
        assert_eq!(prev.end_ms, p.start_ms);
        assert_eq!(prev.len_ms(), p.len_ms());
        assert!(p.contains(p.start_ms) && !p.contains(p.end_ms));
    }
}
