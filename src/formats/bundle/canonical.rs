//! The checksum of a bundle: SHA-256 over a canonical JSON form of the
//! document as parsed, so any edit to the data is caught while whitespace,
//! key order and pretty-printing are not.
//!
//! Canonical: object keys sorted by their UTF-8 bytes, no whitespace,
//! strings escaped as serde_json escapes them, numbers as serde_json prints
//! them. Keys are sorted here rather than trusting `serde_json::Map`'s order,
//! which becomes insertion order when any crate in the build turns on
//! serde_json's `preserve_order`, and the browser build and the native build
//! must agree.

use std::io::{self, Write};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Feeds the canonical text straight into the hash: a 100k-response bundle
/// never exists twice in memory.
struct HashWriter(Sha256);

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Hex SHA-256 of the canonical form of `document` without its
/// `manifest.checksum`, the field that holds the result.
pub(super) fn document_checksum(document: &serde_json::Map<String, Value>) -> String {
    let mut w = HashWriter(Sha256::new());
    write_object(&mut w, document, Skip::ManifestChecksum);
    hex(&w.0.finalize())
}

/// Hex SHA-256 of the canonical form of any value: the stable name of a
/// record's content (see `merge`).
pub(crate) fn value_digest(value: &Value) -> String {
    let mut w = HashWriter(Sha256::new());
    write_value(&mut w, value);
    hex(&w.0.finalize())
}

#[derive(Clone, Copy, PartialEq)]
enum Skip {
    Nothing,
    /// At the top level: the `manifest` object is written without its
    /// `checksum` key.
    ManifestChecksum,
    /// Inside the manifest.
    Checksum,
}

fn write_value(w: &mut HashWriter, v: &Value) {
    // Writing to a hash cannot fail, and serde_json cannot fail on a str.
    match v {
        Value::Null => w.write_all(b"null").unwrap(),
        Value::Bool(b) => w.write_all(if *b { b"true" } else { b"false" }).unwrap(),
        Value::Number(n) => write!(w, "{n}").unwrap(),
        Value::String(s) => serde_json::to_writer(&mut *w, s).unwrap(),
        Value::Array(items) => {
            w.write_all(b"[").unwrap();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    w.write_all(b",").unwrap();
                }
                write_value(w, item);
            }
            w.write_all(b"]").unwrap();
        }
        Value::Object(map) => write_object(w, map, Skip::Nothing),
    }
}

fn write_object(w: &mut HashWriter, map: &serde_json::Map<String, Value>, skip: Skip) {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_unstable();
    w.write_all(b"{").unwrap();
    let mut first = true;
    for key in keys {
        if skip == Skip::Checksum && key == "checksum" {
            continue;
        }
        if !first {
            w.write_all(b",").unwrap();
        }
        first = false;
        serde_json::to_writer(&mut *w, key).unwrap();
        w.write_all(b":").unwrap();
        match (&map[key], skip) {
            (Value::Object(inner), Skip::ManifestChecksum) if key == "manifest" => {
                write_object(w, inner, Skip::Checksum)
            }
            (v, _) => write_value(w, v),
        }
    }
    w.write_all(b"}").unwrap();
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> serde_json::Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn key_order_and_whitespace_do_not_matter() {
        let a: Value =
            serde_json::from_str(r#"{"b": [1, {"y": 2, "x": "é"}], "a": null}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":null,"b":[1,{"x":"é","y":2}]}"#).unwrap();
        assert_eq!(value_digest(&a), value_digest(&b));
        assert_eq!(value_digest(&a).len(), 64);
        let c = json!({"a": null, "b": [1, {"x": "e", "y": 2}]});
        assert_ne!(value_digest(&a), value_digest(&c));
    }

    #[test]
    fn the_manifest_checksum_is_left_out_and_nothing_else() {
        let with = obj(json!({"manifest": {"checksum": "x", "n": 1}, "checksum": 5}));
        let other = obj(json!({"manifest": {"checksum": "y", "n": 1}, "checksum": 5}));
        assert_eq!(document_checksum(&with), document_checksum(&other));
        let changed = obj(json!({"manifest": {"checksum": "x", "n": 2}, "checksum": 5}));
        assert_ne!(document_checksum(&with), document_checksum(&changed));
        let top = obj(json!({"manifest": {"checksum": "x", "n": 1}, "checksum": 6}));
        assert_ne!(document_checksum(&with), document_checksum(&top));
    }

    #[test]
    fn known_vector() {
        // sha256("{}")
        assert_eq!(
            value_digest(&json!({})),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }
}
