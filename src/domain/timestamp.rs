//! A moment on the device clock together with the device's UTC offset, so a
//! visit at 21:40 in Novosibirsk still reads 21:40 on a manager's laptop in
//! Moscow. Stored and exported as RFC 3339 text.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// Milliseconds since the Unix epoch, UTC.
    pub utc_ms: i64,
    /// Minutes east of UTC on the device when the moment was taken.
    pub offset_min: i16,
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Moments order by the instant; the offset only matters for display.
impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.utc_ms
            .cmp(&other.utc_ms)
            .then(self.offset_min.cmp(&other.offset_min))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(pub String);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid timestamp: {}", self.0)
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    pub fn new(utc_ms: i64, offset_min: i16) -> Self {
        Timestamp { utc_ms, offset_min }
    }

    fn to_offset_datetime(self) -> Result<OffsetDateTime, TimestampError> {
        let offset = UtcOffset::from_whole_seconds(i32::from(self.offset_min) * 60)
            .map_err(|e| TimestampError(e.to_string()))?;
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.utc_ms) * 1_000_000)
            .map(|t| t.to_offset(offset))
            .map_err(|e| TimestampError(e.to_string()))
    }

    pub fn to_rfc3339(self) -> String {
        self.to_offset_datetime()
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok())
            .unwrap_or_default()
    }

    pub fn parse_rfc3339(s: &str) -> Result<Self, TimestampError> {
        let t = OffsetDateTime::parse(s, &Rfc3339).map_err(|e| TimestampError(e.to_string()))?;
        let utc_ms = i64::try_from(t.unix_timestamp_nanos() / 1_000_000)
            .map_err(|e| TimestampError(e.to_string()))?;
        let offset_min =
            i16::try_from(t.offset().whole_minutes()).map_err(|e| TimestampError(e.to_string()))?;
        Ok(Timestamp { utc_ms, offset_min })
    }

    /// Local wall-clock date and time as `YYYY-MM-DD HH:MM`, in the offset
    /// the moment was recorded with.
    pub fn local_date_time(self) -> String {
        match self.to_offset_datetime() {
            Ok(t) => format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            ),
            Err(_) => String::new(),
        }
    }
}

impl Timestamp {
    /// The value of an `<input type="datetime-local">`: `YYYY-MM-DDTHH:MM`
    /// in the moment's own offset.
    pub fn to_local_input(self) -> String {
        self.local_date_time().replacen(' ', "T", 1)
    }

    /// Reads an `<input type="datetime-local">` value as wall-clock time at
    /// `offset_min` east of UTC. Seconds are accepted and kept.
    pub fn from_local_input(s: &str, offset_min: i16) -> Option<Timestamp> {
        use time::macros::format_description;
        let s = s.trim();
        let short = format_description!("[year]-[month]-[day]T[hour]:[minute]");
        let long = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
        let local = time::PrimitiveDateTime::parse(s, &short)
            .or_else(|_| time::PrimitiveDateTime::parse(s, &long))
            .ok()?;
        let offset = UtcOffset::from_whole_seconds(i32::from(offset_min) * 60).ok()?;
        let utc_ms =
            i64::try_from(local.assume_offset(offset).unix_timestamp_nanos() / 1_000_000).ok()?;
        Some(Timestamp { utc_ms, offset_min })
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse_rfc3339(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_keeps_local_offset() {
        // 2026-11-23T18:40:05.250Z seen from UTC+7.
        let t = Timestamp::new(1_795_459_205_250, 7 * 60);
        assert_eq!(t.to_rfc3339(), "2026-11-24T01:40:05.25+07:00");
        assert_eq!(t.local_date_time(), "2026-11-24 01:40");
        assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()).unwrap(), t);
    }

    #[test]
    fn negative_offsets_round_trip() {
        let t = Timestamp::new(0, -(3 * 60 + 30));
        let s = t.to_rfc3339();
        assert_eq!(s, "1969-12-31T20:30:00-03:30");
        assert_eq!(Timestamp::parse_rfc3339(&s).unwrap(), t);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(Timestamp::parse_rfc3339("yesterday").is_err());
        assert!(serde_json::from_str::<Timestamp>("\"2026-13-01T00:00:00Z\"").is_err());
    }

    #[test]
    fn datetime_local_inputs_round_trip_in_their_offset() {
        let t = Timestamp::new(1_795_459_200_000, 7 * 60);
        assert_eq!(t.to_local_input(), "2026-11-24T01:40");
        assert_eq!(
            Timestamp::from_local_input("2026-11-24T01:40", 7 * 60),
            Some(t)
        );
        assert_eq!(
            Timestamp::from_local_input("2026-11-24T01:40:30", 7 * 60),
            Some(Timestamp::new(1_795_459_230_000, 7 * 60))
        );
        // The same wall-clock time in Moscow is four hours later in UTC.
        assert_eq!(
            Timestamp::from_local_input("2026-11-24T01:40", 3 * 60)
                .unwrap()
                .utc_ms
                - t.utc_ms,
            4 * 3_600_000
        );
        for bad in [
            "",
            "yesterday",
            "2026-02-30T10:00",
            "2026-11-24 01:40",
            "2026-11-24T25:00",
        ] {
            assert_eq!(Timestamp::from_local_input(bad, 0), None, "{bad}");
        }
    }
}
