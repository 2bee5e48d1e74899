//! Size limits, checked on the parsed JSON before anything is typed or
//! hashed: a hostile file is refused for its size without building records
//! from it, and a phone is never asked to hold a million-item list it can
//! only fail on later.

use serde_json::{Map, Value};

use super::error::{BundleError, Limit};
use super::photo::decoded_len;
use super::RecordKind;

/// A file the browser could still read as one string.
pub const MAX_FILE_BYTES: usize = 1 << 30;
pub const MAX_TEXT_CHARS: usize = 10_000;
pub const MAX_ID_CHARS: usize = 100;
pub const MAX_PHOTO_BYTES: u64 = 50 * 1024 * 1024;
/// Items in any list or map inside a record: sections, questions, options,
/// answers, chosen options, employees of a response, settings' values.
pub const MAX_ITEMS: usize = 10_000;

/// Most records of a kind one bundle may hold.
pub fn max_count(kind: RecordKind) -> u64 {
    match kind {
        RecordKind::Response | RecordKind::Action => 2_000_000,
        RecordKind::Questionnaire => 10_000,
        RecordKind::Location | RecordKind::Employee => 100_000,
        RecordKind::Photo => 200_000,
        RecordKind::Setting => 1_000,
    }
}

pub(super) fn too_large(what: Limit, found: usize, max: u64, at: String) -> BundleError {
    BundleError::TooLarge {
        what,
        found: found as u64,
        max,
        at,
    }
}

/// Counts the manifest promises: an absurd one is refused as such, even
/// before the records are counted.
pub(super) fn declared_counts(doc: &Map<String, Value>) -> Result<(), BundleError> {
    let Some(Value::Object(counts)) = doc.get("manifest").and_then(|m| m.get("counts")) else {
        return Ok(());
    };
    for kind in RecordKind::ALL {
        if let Some(n) = counts.get(kind.field()).and_then(Value::as_u64) {
            if n > max_count(kind) {
                return Err(BundleError::TooLarge {
                    what: Limit::Count(kind),
                    found: n,
                    max: max_count(kind),
                    at: format!("manifest.counts.{}", kind.field()),
                });
            }
        }
    }
    Ok(())
}

/// Every text, id, list and photo of the document within its limit.
pub(super) fn check(doc: &Map<String, Value>) -> Result<(), BundleError> {
    for (key, value) in doc {
        let kind = RecordKind::ALL.into_iter().find(|k| k.field() == key);
        let result = match (kind, value) {
            (Some(kind), Value::Array(records)) => collection(kind, records),
            (Some(RecordKind::Setting), Value::Object(settings)) => {
                let max = max_count(RecordKind::Setting);
                if settings.len() as u64 > max {
                    return Err(too_large(
                        Limit::Count(RecordKind::Setting),
                        settings.len(),
                        max,
                        key.clone(),
                    ));
                }
                object(settings)
            }
            _ => walk(value),
        };
        result.map_err(|o| o.into_error(key))?;
    }
    Ok(())
}

/// A limit broken somewhere below; the path is collected on the way out so
/// the common case, no error, builds no strings.
#[derive(Debug)]
struct Overflow {
    what: Limit,
    found: usize,
    max: u64,
    /// Innermost segment first.
    path: Vec<String>,
}

impl Overflow {
    fn new(what: Limit, found: usize, max: u64) -> Overflow {
        Overflow {
            what,
            found,
            max,
            path: Vec::new(),
        }
    }

    fn within(mut self, segment: String) -> Overflow {
        self.path.push(segment);
        self
    }

    fn into_error(self, top: &str) -> BundleError {
        let mut at = top.to_owned();
        for segment in self.path.iter().rev() {
            if !segment.starts_with('[') {
                at.push('.');
            }
            at.push_str(segment);
        }
        too_large(self.what, self.found, self.max, at)
    }
}

fn collection(kind: RecordKind, records: &[Value]) -> Result<(), Overflow> {
    if records.len() as u64 > max_count(kind) {
        return Err(Overflow::new(
            Limit::Count(kind),
            records.len(),
            max_count(kind),
        ));
    }
    for (i, record) in records.iter().enumerate() {
        let result = match (kind, record) {
            (RecordKind::Photo, Value::Object(fields)) => photo(fields),
            _ => walk(record),
        };
        result.map_err(|o| o.within(format!("[{i}]")))?;
    }
    Ok(())
}

fn photo(fields: &Map<String, Value>) -> Result<(), Overflow> {
    for (key, value) in fields {
        let result = match (key.as_str(), value) {
            ("bytes_base64", Value::String(data)) => {
                let bytes = decoded_len(data.len());
                if bytes > MAX_PHOTO_BYTES {
                    Err(Overflow::new(
                        Limit::PhotoBytes,
                        bytes as usize,
                        MAX_PHOTO_BYTES,
                    ))
                } else {
                    Ok(())
                }
            }
            _ => walk(value),
        };
        result.map_err(|o| o.within(key.clone()))?;
    }
    key_lengths(fields)
}

fn walk(value: &Value) -> Result<(), Overflow> {
    match value {
        Value::String(s) => text(s, Limit::TextLength, MAX_TEXT_CHARS),
        Value::Array(items) => {
            if items.len() > MAX_ITEMS {
                return Err(Overflow::new(Limit::Items, items.len(), MAX_ITEMS as u64));
            }
            for (i, item) in items.iter().enumerate() {
                walk(item).map_err(|o| o.within(format!("[{i}]")))?;
            }
            Ok(())
        }
        Value::Object(fields) => {
            if fields.len() > MAX_ITEMS {
                return Err(Overflow::new(Limit::Items, fields.len(), MAX_ITEMS as u64));
            }
            object(fields)
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

fn object(fields: &Map<String, Value>) -> Result<(), Overflow> {
    for (key, value) in fields {
        walk(value).map_err(|o| o.within(key.clone()))?;
    }
    key_lengths(fields)
}

/// Keys are field names or ids (answers by question id, settings by name).
fn key_lengths(fields: &Map<String, Value>) -> Result<(), Overflow> {
    for key in fields.keys() {
        text(key, Limit::IdLength, MAX_ID_CHARS)?;
    }
    Ok(())
}

pub(super) fn text_fits(s: &str, max: usize) -> bool {
    // A byte count within the limit is a char count within it too.
    s.len() <= max || s.chars().count() <= max
}

fn text(s: &str, what: Limit, max: usize) -> Result<(), Overflow> {
    if text_fits(s, max) {
        Ok(())
    } else {
        Err(Overflow::new(what, s.chars().count(), max as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    fn at(e: BundleError) -> (Limit, String) {
        match e {
            BundleError::TooLarge { what, at, .. } => (what, at),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_long_text_is_found_and_located() {
        let long = "я".repeat(MAX_TEXT_CHARS + 1);
        let d = doc(json!({"responses": [{}, {"answers": {"q1": {"comment": long}}}]}));
        assert_eq!(
            at(check(&d).unwrap_err()),
            (Limit::TextLength, "responses[1].answers.q1.comment".into())
        );
        // Exactly at the limit, in two-byte letters, is fine.
        let ok = "я".repeat(MAX_TEXT_CHARS);
        assert!(check(&doc(json!({"locations": [{"name": ok}]}))).is_ok());
    }

    #[test]
    fn long_keys_lists_and_counts() {
        let key = "k".repeat(MAX_ID_CHARS + 1);
        let d = doc(json!({"settings": {key.clone(): 1}}));
        assert_eq!(
            at(check(&d).unwrap_err()),
            (Limit::IdLength, "settings".into())
        );
        let d = doc(json!({"responses": [{"employee_ids": vec![0; MAX_ITEMS + 1]}]}));
        assert_eq!(
            at(check(&d).unwrap_err()),
            (Limit::Items, "responses[0].employee_ids".into())
        );
        let d = doc(json!({"manifest": {"counts": {"responses": 2_000_001u64}}}));
        assert_eq!(
            at(declared_counts(&d).unwrap_err()),
            (
                Limit::Count(RecordKind::Response),
                "manifest.counts.responses".into()
            )
        );
    }

    #[test]
    fn photo_data_has_its_own_limit() {
        let big = "A".repeat(MAX_TEXT_CHARS * 4);
        assert!(check(&doc(json!({"photos": [{"bytes_base64": big}]}))).is_ok());
        let huge = "A".repeat((MAX_PHOTO_BYTES / 3 * 4 + 8) as usize);
        let d = doc(json!({"photos": [{"bytes_base64": huge}]}));
        assert_eq!(
            at(check(&d).unwrap_err()),
            (Limit::PhotoBytes, "photos[0].bytes_base64".into())
        );
        // Elsewhere the same text is just too long.
        let d = doc(json!({"responses": [{"bytes_base64": big}]}));
        assert_eq!(at(check(&d).unwrap_err()).0, Limit::TextLength);
    }
}
