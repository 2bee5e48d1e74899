//! The dashboard's view as a URL query (`#/dashboard?period=90d&loc=a,b`),
//! so a view can be bookmarked, shared and restored by a reload. Parsing is
//! lenient: an unknown key is ignored and a bad value falls back to that
//! key's default, because a hand-edited or truncated link should still open
//! a dashboard rather than an error.

use crate::domain::LocalDate;
use crate::i18n::{Lang, Msg};
use crate::kpi::{Bucket, Filter, Period};
use crate::uri::{decode_component, encode_component};

/// Which span of time the dashboard shows, relative to "today" except for
/// a custom range and "all time".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodChoice {
    /// The last N days including today: 7, 30 or 90.
    LastDays(u16),
    ThisMonth,
    PreviousMonth,
    /// Whole local days `from..=to`.
    Custom {
        from: LocalDate,
        to: LocalDate,
    },
    /// No period: every response; there is no previous period to compare.
    All,
}

impl Default for PeriodChoice {
    /// The last 30 days: recent enough to act on, long enough for a sample,
    /// and with a previous period to compare against.
    fn default() -> PeriodChoice {
        PeriodChoice::LastDays(30)
    }
}

/// The presets offered in the period picker, in display order.
pub const PRESET_DAYS: [u16; 3] = [7, 30, 90];

impl PeriodChoice {
    /// Local whole days covered, given today's local date; `None` for all
    /// time.
    pub fn days(&self, today: LocalDate) -> Option<(LocalDate, LocalDate)> {
        match *self {
            PeriodChoice::LastDays(n) => Some((today.add_days(1 - i64::from(n.max(1))), today)),
            PeriodChoice::ThisMonth => Some((today.first_of_month(), today)),
            PeriodChoice::PreviousMonth => {
                let last = today.first_of_month().add_days(-1);
                Some((last.first_of_month(), last))
            }
            PeriodChoice::Custom { from, to } => Some((from, to)),
            PeriodChoice::All => None,
        }
    }

    pub fn period(&self, today: LocalDate, utc_offset_min: i32) -> Option<Period> {
        self.days(today)
            .map(|(a, b)| Period::local_days(a, b, utc_offset_min))
    }

    fn key(&self) -> Option<String> {
        match self {
            PeriodChoice::LastDays(n) => Some(format!("{n}d")),
            PeriodChoice::ThisMonth => Some("month".into()),
            PeriodChoice::PreviousMonth => Some("prev-month".into()),
            PeriodChoice::Custom { .. } => None,
            PeriodChoice::All => Some("all".into()),
        }
    }

    fn from_key(s: &str) -> Option<PeriodChoice> {
        match s {
            "month" => Some(PeriodChoice::ThisMonth),
            "prev-month" => Some(PeriodChoice::PreviousMonth),
            "all" => Some(PeriodChoice::All),
            _ => {
                let n: u16 = s.strip_suffix('d')?.parse().ok()?;
                (1..=3660).contains(&n).then_some(PeriodChoice::LastDays(n))
            }
        }
    }
}

/// Everything a dashboard view depends on besides the data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DashboardQuery {
    pub period: PeriodChoice,
    /// Empty: all locations.
    pub locations: Vec<String>,
    pub employees: Vec<String>,
    pub questionnaires: Vec<String>,
    pub bucket: Bucket,
}

fn bucket_key(b: Bucket) -> &'static str {
    match b {
        Bucket::Day => "day",
        Bucket::IsoWeek => "week",
        Bucket::Month => "month",
    }
}

fn bucket_from_key(s: &str) -> Option<Bucket> {
    match s {
        "day" => Some(Bucket::Day),
        "week" => Some(Bucket::IsoWeek),
        "month" => Some(Bucket::Month),
        _ => None,
    }
}

fn encode_list(ids: &[String]) -> String {
    ids.iter()
        .map(|s| encode_component(s))
        .collect::<Vec<_>>()
        .join(",")
}

fn decode_list(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s
        .split(',')
        .filter_map(decode_component)
        .filter(|x| !x.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// `key=value` pairs of a query string, decoded keys, raw values.
pub fn query_pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

impl DashboardQuery {
    /// The view a link with no query opens: the last 30 days, by day.
    pub fn new() -> DashboardQuery {
        DashboardQuery::default()
    }

    /// Reads the part after `?` (with or without the `?`).
    pub fn parse(query: &str) -> DashboardQuery {
        let mut q = DashboardQuery::default();
        let (mut from, mut to) = (None, None);
        for (k, v) in query_pairs(query) {
            match k {
                "period" => {
                    if let Some(p) = PeriodChoice::from_key(v) {
                        q.period = p;
                    }
                }
                "from" => from = LocalDate::parse(v),
                "to" => to = LocalDate::parse(v),
                "loc" => q.locations = decode_list(v),
                "emp" => q.employees = decode_list(v),
                "q" => q.questionnaires = decode_list(v),
                "by" => q.bucket = bucket_from_key(v).unwrap_or_default(),
                _ => {}
            }
        }
        // A custom range needs both ends in order; otherwise the preset (or
        // the default) stands.
        if let (Some(a), Some(b)) = (from, to) {
            if a <= b {
                q.period = PeriodChoice::Custom { from: a, to: b };
            }
        }
        q
    }

    /// The query string without `?`; empty for the default view. Lists are
    /// written sorted so equal views give equal URLs.
    pub fn to_query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        match self.period {
            PeriodChoice::Custom { from, to } => {
                parts.push(format!("from={from}"));
                parts.push(format!("to={to}"));
            }
            p if p == PeriodChoice::default() => {}
            p => parts.push(format!("period={}", p.key().unwrap_or_default())),
        }
        let mut list = |key: &str, ids: &[String]| {
            if !ids.is_empty() {
                let mut ids = ids.to_vec();
                ids.sort();
                ids.dedup();
                parts.push(format!("{key}={}", encode_list(&ids)));
            }
        };
        list("loc", &self.locations);
        list("emp", &self.employees);
        list("q", &self.questionnaires);
        if self.bucket != Bucket::Day {
            parts.push(format!("by={}", bucket_key(self.bucket)));
        }
        parts.join("&")
    }

    /// The KPI engine's filter for this view.
    pub fn filter(&self, today: LocalDate, utc_offset_min: i32) -> Filter {
        Filter {
            period: self.period.period(today, utc_offset_min),
            locations: self.locations.clone(),
            employees: self.employees.clone(),
            questionnaires: self.questionnaires.clone(),
            bucket: self.bucket,
            utc_offset_min,
            ..Filter::default()
        }
    }
}

/// What a dashboard filter can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Location,
    Employee,
    Questionnaire,
}

impl DashboardQuery {
    /// The view in words, for a printed report's header: the period as
    /// dates (and its preset's name), then each filter by name, "all" where
    /// it picks nothing. `name` gives a location's, employee's or
    /// questionnaire's name from its id.
    pub fn in_words(
        &self,
        today: LocalDate,
        lang: Lang,
        name: &dyn Fn(Facet, &str) -> String,
    ) -> Vec<(Msg, String)> {
        let preset = match self.period {
            PeriodChoice::LastDays(7) => Some(Msg::PeriodLast7),
            PeriodChoice::LastDays(30) => Some(Msg::PeriodLast30),
            PeriodChoice::LastDays(90) => Some(Msg::PeriodLast90),
            PeriodChoice::ThisMonth => Some(Msg::PeriodThisMonth),
            PeriodChoice::PreviousMonth => Some(Msg::PeriodPrevMonth),
            _ => None,
        };
        let period = match self.period.days(today) {
            None => Msg::PeriodAll.text(lang).to_owned(),
            Some((from, to)) => {
                let span = format!("{} – {}", from.display(lang), to.display(lang));
                match preset {
                    Some(m) => format!("{span} ({})", m.text(lang).to_lowercase()),
                    None => span,
                }
            }
        };
        let list = |facet: Facet, ids: &[String], all: Msg| {
            if ids.is_empty() {
                all.text(lang).to_owned()
            } else {
                ids.iter()
                    .map(|id| name(facet, id))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        vec![
            (Msg::DashPeriod, period),
            (
                Msg::DashLocations,
                list(Facet::Location, &self.locations, Msg::AllLocations),
            ),
            (
                Msg::DashEmployees,
                list(Facet::Employee, &self.employees, Msg::AllEmployees),
            ),
            (
                Msg::DashQuestionnaires,
                list(
                    Facet::Questionnaire,
                    &self.questionnaires,
                    Msg::AllQuestionnaires,
                ),
            ),
        ]
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_view_reads_in_words() {
        let today = LocalDate::new(2026, 12, 8).unwrap();
        let q = DashboardQuery::parse("period=30d&loc=loc-1,loc-2");
        let name = |facet: Facet, id: &str| match (facet, id) {
            (Facet::Location, "loc-1") => "Тверская".to_owned(),
            (Facet::Location, "loc-2") => "Арбат".to_owned(),
            _ => id.to_owned(),
        };
        let words = q.in_words(today, Lang::Ru, &name);
        assert_eq!(
            words[0],
            (
                Msg::DashPeriod,
                "9 ноября 2026 – 8 декабря 2026 (последние 30 дней)".to_owned()
            )
        );
        assert_eq!(words[1], (Msg::DashLocations, "Тверская, Арбат".to_owned()));
        assert_eq!(words[2], (Msg::DashEmployees, "все сотрудники".to_owned()));
        let all = DashboardQuery::parse("period=all").in_words(today, Lang::En, &name);
        assert_eq!(all[0].1, "All time");
        assert_eq!(all[3].1, "all questionnaires");
        let custom =
            DashboardQuery::parse("from=2026-01-01&to=2026-01-31").in_words(today, Lang::En, &name);
        assert_eq!(custom[0].1, "1 Jan 2026 – 31 Jan 2026");
    }
    use crate::domain::DAY_MS;
    use proptest::prelude::*;

    fn day(y: i32, m: u8, d: u8) -> LocalDate {
        LocalDate::new(y, m, d).unwrap()
    }

    #[test]
    fn default_view_has_an_empty_query() {
        assert_eq!(DashboardQuery::new().to_query(), "");
        assert_eq!(DashboardQuery::parse(""), DashboardQuery::new());
        assert_eq!(DashboardQuery::parse("?"), DashboardQuery::new());
    }

    #[test]
    fn reads_every_key() {
        let q = DashboardQuery::parse("period=90d&loc=b,a&emp=e%2C1&q=tpl-x&by=week&junk=1");
        assert_eq!(q.period, PeriodChoice::LastDays(90));
        assert_eq!(q.locations, ["a", "b"]);
        assert_eq!(q.employees, ["e,1"]);
        assert_eq!(q.questionnaires, ["tpl-x"]);
        assert_eq!(q.bucket, Bucket::IsoWeek);
        assert_eq!(q.to_query(), "period=90d&loc=a,b&emp=e%2C1&q=tpl-x&by=week");
    }

    #[test]
    fn custom_range_needs_both_ends_in_order() {
        let q = DashboardQuery::parse("from=2026-01-01&to=2026-03-31");
        assert_eq!(
            q.period,
            PeriodChoice::Custom {
                from: day(2026, 1, 1),
                to: day(2026, 3, 31)
            }
        );
        assert_eq!(q.to_query(), "from=2026-01-01&to=2026-03-31");
        // Reversed, half or impossible dates leave the preset standing.
        for bad in [
            "period=7d&from=2026-03-31&to=2026-01-01",
            "period=7d&from=2026-01-01",
            "period=7d&from=2026-02-30&to=2026-03-01",
            "period=7d&from=x&to=2026-03-01",
        ] {
            assert_eq!(
                DashboardQuery::parse(bad).period,
                PeriodChoice::LastDays(7),
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_values_fall_back_per_key() {
        let q = DashboardQuery::parse("period=forever&by=hour&loc=%ZZ,ok&q=");
        assert_eq!(q.period, PeriodChoice::LastDays(30));
        assert_eq!(DashboardQuery::parse("period=all").to_query(), "period=all");
        assert_eq!(q.bucket, Bucket::Day);
        assert_eq!(q.locations, ["ok"]);
        assert!(q.questionnaires.is_empty());
    }

    #[test]
    fn presets_resolve_against_today() {
        let today = day(2026, 3, 5);
        assert_eq!(
            PeriodChoice::LastDays(7).days(today),
            Some((day(2026, 2, 27), today))
        );
        assert_eq!(
            PeriodChoice::ThisMonth.days(today),
            Some((day(2026, 3, 1), today))
        );
        assert_eq!(
            PeriodChoice::PreviousMonth.days(today),
            Some((day(2026, 2, 1), day(2026, 2, 28)))
        );
        assert_eq!(
            PeriodChoice::PreviousMonth.days(day(2026, 1, 15)),
            Some((day(2025, 12, 1), day(2025, 12, 31)))
        );
        assert_eq!(PeriodChoice::All.days(today), None);
        // Moscow: the 7 days start at local midnight, 21:00 UTC before.
        let p = PeriodChoice::LastDays(7).period(today, 180).unwrap();
        assert_eq!(p, Period::local_days(day(2026, 2, 27), today, 180));
        assert_eq!(p.len_ms(), 7 * DAY_MS);
    }

    #[test]
    fn filter_carries_the_view() {
        let q = DashboardQuery::parse("period=30d&loc=l1&by=month");
        let f = q.filter(day(2026, 3, 5), 180);
        assert_eq!(f.locations, ["l1"]);
        assert_eq!(f.bucket, Bucket::Month);
        assert_eq!(f.utc_offset_min, 180);
        assert!(f.compare_previous);
        assert_eq!(f.period.unwrap().len_ms(), 30 * DAY_MS);
    }

    fn ids() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec("[a-zA-Zа-я0-9 ,&=#%?/+-]{1,12}", 0..4)
    }

    fn period() -> impl Strategy<Value = PeriodChoice> {
        prop_oneof![
            Just(PeriodChoice::All),
            Just(PeriodChoice::ThisMonth),
            Just(PeriodChoice::PreviousMonth),
            (1u16..400).prop_map(PeriodChoice::LastDays),
            (0i64..40_000, 0i64..400).prop_map(|(a, len)| PeriodChoice::Custom {
                from: LocalDate::from_days(a),
                to: LocalDate::from_days(a + len),
            }),
        ]
    }

    proptest! {
        #[test]
        fn round_trips(
            period in period(),
            mut locations in ids(),
            mut employees in ids(),
            mut questionnaires in ids(),
            bucket in prop_oneof![Just(Bucket::Day), Just(Bucket::IsoWeek), Just(Bucket::Month)],
        ) {
            for v in [&mut locations, &mut employees, &mut questionnaires] {
                v.sort();
                v.dedup();
            }
            let q = DashboardQuery { period, locations, employees, questionnaires, bucket };
            let s = q.to_query();
            prop_assert!(!s.contains('#') && !s.contains(' '));
            prop_assert_eq!(DashboardQuery::parse(&s), q);
        }

        #[test]
        fn components_round_trip(s in "\\PC{0,20}") {
            prop_assert_eq!(decode_component(&encode_component(&s)), Some(s));
        }
    }
}
