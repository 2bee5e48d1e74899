//! Revision ids `N-hash`: `N` is the document's edit count along its path
//! from the root, `hash` the signature of that edit.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// Hashes from CouchDB and PouchDB are 32 hex digits; the cap only keeps a
/// hostile server from handing us megabyte-long ids.
pub const MAX_HASH_LEN: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rev {
    pub pos: u64,
    pub hash: String,
}

/// Ordered as CouchDB orders `{Pos, RevId}`: position first, then the hash
/// bytes. The winner rule and every sort of revisions rely on this.
impl Ord for Rev {
    fn cmp(&self, other: &Self) -> Ordering {
        self.pos
            .cmp(&other.pos)
            .then_with(|| self.hash.as_bytes().cmp(other.hash.as_bytes()))
    }
}

impl PartialOrd for Rev {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevError {
    Empty,
    /// No `-` between position and hash.
    NoDash,
    /// The part before `-` is not a whole number.
    BadPosition,
    /// Positions start at 1.
    ZeroPosition,
    EmptyHash,
    HashTooLong,
    /// Whitespace or control characters, which no peer generates.
    BadHashChar,
}

impl RevError {
    pub fn reason(&self) -> &'static str {
        match self {
            RevError::Empty => "empty revision",
            RevError::NoDash => "no '-' between position and hash",
            RevError::BadPosition => "position is not a whole number",
            RevError::ZeroPosition => "position 0",
            RevError::EmptyHash => "empty hash",
            RevError::HashTooLong => "hash too long",
            RevError::BadHashChar => "hash has spaces or control characters",
        }
    }
}

impl fmt::Display for RevError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

impl Rev {
    pub fn new(pos: u64, hash: impl Into<String>) -> Rev {
        Rev {
            pos,
            hash: hash.into(),
        }
    }

    pub fn parse(text: &str) -> Result<Rev, RevError> {
        if text.is_empty() {
            return Err(RevError::Empty);
        }
        let (pos, hash) = text.split_once('-').ok_or(RevError::NoDash)?;
        if pos.is_empty() || !pos.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RevError::BadPosition);
        }
        let pos: u64 = pos.parse().map_err(|_| RevError::BadPosition)?;
        if pos == 0 {
            return Err(RevError::ZeroPosition);
        }
        check_hash(hash)?;
        Ok(Rev::new(pos, hash))
    }
}

/// What a hash may be, for revisions and for `_revisions.ids` alike.
pub fn check_hash(hash: &str) -> Result<(), RevError> {
    if hash.is_empty() {
        return Err(RevError::EmptyHash);
    }
    if hash.len() > MAX_HASH_LEN {
        return Err(RevError::HashTooLong);
    }
    if hash.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(RevError::BadHashChar);
    }
    Ok(())
}

impl FromStr for Rev {
    type Err = RevError;
    fn from_str(s: &str) -> Result<Rev, RevError> {
        Rev::parse(s)
    }
}

impl fmt::Display for Rev {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.pos, self.hash)
    }
}

impl serde::Serialize for Rev {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Rev {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Rev, D::Error> {
        let text = String::deserialize(d)?;
        Rev::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let rev = Rev::parse("3-917fa2381192822767f010b95b45325b").unwrap();
        assert_eq!(rev.pos, 3);
        assert_eq!(rev.hash, "917fa2381192822767f010b95b45325b");
        assert_eq!(rev.to_string(), "3-917fa2381192822767f010b95b45325b");
        // A hash may itself hold dashes: only the first one splits.
        assert_eq!(Rev::parse("2-a-b").unwrap().hash, "a-b");
    }

    #[test]
    fn refuses_with_reasons() {
        assert_eq!(Rev::parse(""), Err(RevError::Empty));
        assert_eq!(Rev::parse("17"), Err(RevError::NoDash));
        assert_eq!(Rev::parse("x-abc"), Err(RevError::BadPosition));
        assert_eq!(Rev::parse("-abc"), Err(RevError::BadPosition));
        assert_eq!(Rev::parse("+1-abc"), Err(RevError::BadPosition));
        assert_eq!(
            Rev::parse("99999999999999999999999-a"),
            Err(RevError::BadPosition)
        );
        assert_eq!(Rev::parse("0-abc"), Err(RevError::ZeroPosition));
        assert_eq!(Rev::parse("1-"), Err(RevError::EmptyHash));
        assert_eq!(Rev::parse("1-a b"), Err(RevError::BadHashChar));
        assert_eq!(
            Rev::parse(&format!("1-{}", "a".repeat(MAX_HASH_LEN + 1))),
            Err(RevError::HashTooLong)
        );
        assert!(!RevError::NoDash.reason().is_empty());
    }

    #[test]
    fn orders_by_position_then_hash_bytes() {
        let mut revs: Vec<Rev> = ["10-a", "2-b", "2-a", "9-z", "2-B"]
            .iter()
            .map(|r| Rev::parse(r).unwrap())
            .collect();
        revs.sort();
        let printed: Vec<String> = revs.iter().map(|r| r.to_string()).collect();
        // Numeric positions (10 after 9, unlike text), then bytes ("B" < "a").
        assert_eq!(printed, ["2-B", "2-a", "2-b", "9-z", "10-a"]);
    }

    #[test]
    fn serde_as_text() {
        let rev: Rev = serde_json::from_str("\"4-abc\"").unwrap();
        assert_eq!(rev, Rev::new(4, "abc"));
        assert_eq!(serde_json::to_string(&rev).unwrap(), "\"4-abc\"");
        assert!(serde_json::from_str::<Rev>("\"abc\"").is_err());
        assert!(serde_json::from_str::<Rev>("4").is_err());
    }
}
