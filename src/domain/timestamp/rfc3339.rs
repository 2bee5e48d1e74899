//! RFC 3339 text for the common shapes, written and read without the `time`
//! crate's general machinery: a bundle of 100k responses holds almost two
//! million timestamps, and formatting or parsing each through `time` (with
//! a String per value) was a large share of an import or export.
//!
//! The output is byte for byte what `time`'s `Rfc3339` writes, and a text
//! read here gives what `time` gives; anything unusual (lowercase `t`, a
//! leap second, more than nine fraction digits, an invalid date) is left to
//! `time`, which stays the reference (see the tests).

use crate::domain::calendar::{civil_from_days, days_from_civil, DAY_MS, MINUTE_MS};

/// Longest output: `YYYY-MM-DDTHH:MM:SS.mmm+HH:MM`.
pub(super) const MAX_LEN: usize = 29;

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn two(out: &mut [u8], at: usize, n: u32) {
    out[at] = b'0' + (n / 10) as u8;
    out[at + 1] = b'0' + (n % 10) as u8;
}

/// Writes the moment into `out` and returns the length; `None` where `time`
/// fails too (a year outside 0..=9999, an offset of a day or more).
pub(super) fn format(utc_ms: i64, offset_min: i16, out: &mut [u8; MAX_LEN]) -> Option<usize> {
    if offset_min.unsigned_abs() >= 24 * 60 {
        return None;
    }
    let local = utc_ms.checked_add(i64::from(offset_min) * MINUTE_MS)?;
    let (year, month, day) = civil_from_days(local.div_euclid(DAY_MS));
    if !(0..10_000).contains(&year) {
        return None;
    }
    let ms = local.rem_euclid(DAY_MS) as u32;
    let (year, month, day) = (year as u32, u32::from(month), u32::from(day));
    two(out, 0, year / 100);
    two(out, 2, year % 100);
    out[4] = b'-';
    two(out, 5, month);
    out[7] = b'-';
    two(out, 8, day);
    out[10] = b'T';
    two(out, 11, ms / 3_600_000);
    out[13] = b':';
    two(out, 14, ms / 60_000 % 60);
    out[16] = b':';
    two(out, 17, ms / 1000 % 60);
    let mut len = 19;
    let frac = ms % 1000;
    if frac != 0 {
        // Nanoseconds with trailing zeros dropped: 250 ms is ".25".
        out[len] = b'.';
        let digits = [frac / 100, frac / 10 % 10, frac % 10];
        let keep = if frac % 100 == 0 {
            1
        } else if frac % 10 == 0 {
            2
        } else {
            3
        };
        for d in &digits[..keep] {
            len += 1;
            out[len] = b'0' + *d as u8;
        }
        len += 1;
    }
    if offset_min == 0 {
        out[len] = b'Z';
        return Some(len + 1);
    }
    out[len] = if offset_min < 0 { b'-' } else { b'+' };
    let abs = u32::from(offset_min.unsigned_abs());
    two(out, len + 1, abs / 60);
    out[len + 3] = b':';
    two(out, len + 4, abs % 60);
    Some(len + 6)
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut n = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

/// `(utc_ms, offset_min)` of the usual shape
/// `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`; `None` for anything else,
/// valid or not.
pub(super) fn parse(s: &str) -> Option<(i64, i16)> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = i64::from(digits(&b[0..4])?);
    let (month, day) = (digits(&b[5..7])?, digits(&b[8..10])?);
    let (hour, minute, second) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut at = 19;
    let mut nanos: i64 = 0;
    if b[at] == b'.' {
        let start = at + 1;
        let mut end = start;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        let n = end - start;
        if n == 0 || n > 9 {
            return None;
        }
        nanos = i64::from(digits(&b[start..end])?) * 10_i64.pow(9 - n as u32);
        at = end;
    }
    let offset_min: i32 = match &b[at..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = digits(&[*h1, *h2])?;
            let m = digits(&[*m1, *m2])?;
            if h > 23 || m > 59 {
                return None;
            }
            let total = (h * 60 + m) as i32;
            if *sign == b'-' {
                -total
            } else {
                total
            }
        }
        _ => return None,
    };
    // Four digits and a checked month and day: the casts are exact.
    let secs = days_from_civil(year as i32, month as u8, day as u8) * 86_400
        + i64::from(hour * 3600 + minute * 60 + second)
        - i64::from(offset_min) * 60;
    // As `time` gives it: nanoseconds divided toward zero.
    let total_nanos = i128::from(secs) * 1_000_000_000 + i128::from(nanos);
    Some(((total_nanos / 1_000_000) as i64, offset_min as i16))
}
