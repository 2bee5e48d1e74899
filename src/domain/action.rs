//! Corrective actions (PRODUCT.md §2): created from a failed audit item,
//! assigned to someone, due on a day, and closed in two steps so the person
//! who fixed it is not the one who confirms it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use super::timestamp::Timestamp;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Open,
    Done,
    Verified,
}

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectiveAction {
    /// Created on the device, like a response's id.
    pub id: Uuid,
    /// The audit and the failed item it came from.
    pub response_id: Uuid,
    pub question_id: String,
    #[serde(default)]
    pub location_id: String,
    #[serde(default)]
    pub assignee: String,
    #[serde(default)]
    pub due: Option<LocalDate>,
    #[serde(default)]
    pub status: ActionStatus,
    #[serde(default)]
    pub note: String,
    pub created_at: Timestamp,
    /// Last change: merges keep the newer of two copies.
    pub updated_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn an_action_round_trips_with_defaults() {
        let json = r#"{"id":"7d0c5a57-2f4e-4b4a-9a0b-3f1f6a3c2b10",
            "response_id":"00000000-0000-0000-0000-000000000001",
            "question_id":"q-greet","due":"2026-03-10",
            "created_at":"2026-03-01T10:00:00+03:00","updated_at":"2026-03-01T10:00:00+03:00"}"#;
        let a: CorrectiveAction = serde_json::from_str(json).unwrap();
        assert_eq!(a.status, ActionStatus::Open);
        assert_eq!(a.due, LocalDate::new(2026, 3, 10));
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["due"], "2026-03-10");
        assert_eq!(v["status"], "open");
        assert_eq!(serde_json::from_value::<CorrectiveAction>(v).unwrap(), a);
        let bad = json.replace("2026-03-10", "2026-02-30");
        assert!(serde_json::from_str::<CorrectiveAction>(&bad).is_err());
    }
}
