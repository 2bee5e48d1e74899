//! A moment on the device clock together with the device's UTC offset, so a
//! visit at 21:40 in Novosibirsk still reads 21:40 on a manager's laptop in
//! Moscow. Stored and exported as RFC 3339 text.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

mod rfc3339;

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
        // `to_offset` panics where the local time leaves year ±9999.
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.utc_ms) * 1_000_000)
            .map_err(|e| TimestampError(e.to_string()))?
            .checked_to_offset(offset)
            .ok_or_else(|| TimestampError("local time out of range".to_owned()))
    }

    pub fn to_rfc3339(self) -> String {
        let mut buf = [0; rfc3339::MAX_LEN];
        match rfc3339::format(self.utc_ms, self.offset_min, &mut buf) {
            // Only ASCII is written.
            Some(n) => String::from_utf8_lossy(&buf[..n]).into_owned(),
            None => self.to_rfc3339_general(),
        }
    }

    fn to_rfc3339_general(self) -> String {
        self.to_offset_datetime()
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok())
            .unwrap_or_default()
    }

    pub fn parse_rfc3339(s: &str) -> Result<Self, TimestampError> {
        match rfc3339::parse(s) {
            Some((utc_ms, offset_min)) => Ok(Timestamp { utc_ms, offset_min }),
            None => Self::parse_rfc3339_general(s),
        }
    }

    fn parse_rfc3339_general(s: &str) -> Result<Self, TimestampError> {
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
        match self.local_parts() {
            Some(((y, mo, d), h, mi)) => format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}"),
            None => String::new(),
        }
    }
}

impl Timestamp {
    /// Local wall-clock date and time in the offset the moment was recorded
    /// with: (year, month, day), hour, minute.
    pub fn local_parts(self) -> Option<((i32, u8, u8), u8, u8)> {
        let t = self.to_offset_datetime().ok()?;
        Some((
            (t.year(), u8::from(t.month()), t.day()),
            t.hour(),
            t.minute(),
        ))
    }

    /// The moment as a person reads it, in its own offset: "3 декабря 2026,
    /// 14:05", "3 Dec 2026, 14:05".
    pub fn display(self, lang: crate::i18n::Lang) -> String {
        self.local_parts()
            .map(|(d, h, m)| crate::i18n::moment_text(lang, d, h, m))
            .unwrap_or_default()
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
        let mut buf = [0; rfc3339::MAX_LEN];
        match rfc3339::format(self.utc_ms, self.offset_min, &mut buf) {
            // Only ASCII is written.
            Some(n) => s.serialize_str(std::str::from_utf8(&buf[..n]).unwrap_or_default()),
            None => s.serialize_str(&self.to_rfc3339_general()),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Read from the borrowed text where the format allows: no String
        // per timestamp.
        struct Text;

        impl serde::de::Visitor<'_> for Text {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp")
            }

            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Timestamp, E> {
                Timestamp::parse_rfc3339(s).map_err(E::custom)
            }
        }

        d.deserialize_str(Text)
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
        assert_eq!(t.display(crate::i18n::Lang::Ru), "24 ноября 2026, 01:40");
        assert_eq!(t.display(crate::i18n::Lang::En), "24 Nov 2026, 01:40");
        assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()).unwrap(), t);
    }

    #[test]
    fn negative_offsets_round_trip() {
        let t = Timestamp::new(0, -(3 * 60 + 30));
        let s = t.to_rfc3339();
        assert_eq!(s, "1969-12-31T20:30:00-03:30");
        assert_eq!(Timestamp::parse_rfc3339(&s).unwrap(), t);
    }

    /// The fast path against `time`, the reference, over the whole range
    /// it can write: every millisecond shape, offsets both ways, the edges
    /// of years 0 and 9999.
    #[test]
    fn fast_rfc3339_matches_the_time_crate() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let (min, max) = (-62_167_219_200_000_i64, 253_402_300_799_999_i64);
        let mut cases: Vec<(i64, i16)> = vec![
            (0, 0),
            (min, 0),
            (max, 0),
            (min - 1, 0),
            (max + 1, 0),
            (min, -60),
            (max, 60),
            (0, 1439),
            (0, -1439),
            (0, 1440),
            (0, -1500),
            (-1, 0),
            (-999, -30),
            (i64::MAX, 0),
            (i64::MIN, 180),
            (1_795_459_205_250, 7 * 60),
        ];
        for _ in 0..200_000 {
            let ms = min - 100_000_000 + (next() % (max - min + 200_000_000) as u64) as i64;
            let ms = match next() % 4 {
                0 => ms - ms.rem_euclid(1000),
                1 => ms - ms.rem_euclid(10),
                _ => ms,
            };
            cases.push((ms, (next() % 3000) as i16 - 1500));
        }
        for (ms, off) in cases {
            let t = Timestamp::new(ms, off);
            let general = t.to_rfc3339_general();
            assert_eq!(t.to_rfc3339(), general, "{ms} {off}");
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{general}\""));
            if !general.is_empty() {
                assert_eq!(
                    rfc3339::parse(&general).map(|(m, o)| Timestamp::new(m, o)),
                    Some(Timestamp::parse_rfc3339_general(&general).unwrap()),
                    "{general}"
                );
            }
        }
        // Texts `time` reads in other ways, or refuses: the fast path
        // either agrees or stays out.
        for s in [
            "2024-02-29T23:59:59.123456789+05:45",
            "2023-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "0000-01-01T00:00:00-23:59",
            "9999-12-31T23:59:59.999999999+00:00",
            "1969-12-31T23:59:59.9999999Z",
            "1969-12-31T23:59:59.0000001-00:00",
            "2026-11-24t01:40:05z",
            "2026-11-24T01:40:60Z",
            "2026-11-24T24:00:00Z",
            "2026-11-24T01:40:05.Z",
            "2026-11-24T01:40:05.1234567891Z",
            "2026-11-24T01:40:05+24:00",
            "2026-11-24T01:40:05+07:60",
            "2026-11-24T01:40:05+0700",
            "2026-11-24T01:40:05",
            "2026-11-24 01:40:05Z",
            "+2026-11-24T01:40:05Z",
            "2026-1a-24T01:40:05Z",
            "2026-11-24T01:40:05Z ",
            "２０２６-11-24T01:40:05Z",
        ] {
            let general = Timestamp::parse_rfc3339_general(s).ok();
            match rfc3339::parse(s) {
                Some((m, o)) => assert_eq!(Some(Timestamp::new(m, o)), general, "{s}"),
                None => assert_eq!(Timestamp::parse_rfc3339(s).ok(), general, "{s}"),
            }
        }
        assert!(rfc3339::parse("2024-02-29T23:59:59.123456789+05:45").is_some());
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
