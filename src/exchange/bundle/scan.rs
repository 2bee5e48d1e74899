//! One streaming pass over a bundle's text, before anything is typed: every
//! size limit, and the checksum over the canonical form of what was read.
//! No JSON tree is built, so a 100k-response file costs one read and a few
//! reused buffers, not millions of small allocations.
//!
//! Canonical JSON: object keys sorted (by their escaped JSON bytes, stable
//! for repeated keys), no whitespace, strings and numbers as serde_json
//! writes them. The document checksum is the SHA-256 of the canonical JSON
//! of the top-level object after each of its values is replaced by the hex
//! SHA-256 of that value's own canonical JSON, and with `manifest.checksum`
//! left out. Hashing each top-level value on its own lets the large lists be
//! hashed as they stream by, whatever order the keys come in.

use std::fmt;
use std::io::Write;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::error::Limit;
use super::limits::{
    max_count, MAX_DEPTH, MAX_ID_CHARS, MAX_ITEMS, MAX_PHOTO_BYTES, MAX_TEXT_CHARS,
};
use super::photo::decoded_len;
use super::RecordKind;

/// What the pass learnt about a document it could read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Scan {
    pub shape: Shape,
    /// Top-level `format` and `format_version`, when scalars.
    pub format: Option<Value>,
    pub format_version: Option<Value>,
    /// `manifest.checksum` as written, when a string.
    pub declared_checksum: Option<String>,
    /// The checksum of what was read.
    pub checksum: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Object,
    Array,
    Other,
}

#[derive(Debug)]
pub(super) enum ScanError {
    /// Not JSON, or nested deeper than serde_json reads.
    Json(String),
    /// A limit broken; what was seen of the format before it.
    Overflow(Overflow, Option<Value>, Option<Value>),
}

/// The first limit broken, with where.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Overflow {
    pub what: Limit,
    pub found: u64,
    pub max: u64,
    /// Outermost segment first once the pass has unwound.
    pub path: Vec<String>,
}

impl Overflow {
    pub(super) fn at(&self) -> String {
        let mut at = String::new();
        for segment in &self.path {
            if !at.is_empty() && !segment.starts_with('[') {
                at.push('.');
            }
            at.push_str(segment);
        }
        at
    }
}

/// Scans a whole document; with `limited` false only the checksum counts.
pub(super) fn document(text: &str, limited: bool) -> Result<Scan, ScanError> {
    let mut s = Scanner {
        unlimited: !limited,
        ..Scanner::default()
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Top { s: &mut s }
        .deserialize(&mut de)
        .and_then(|shape| de.end().map(|()| shape));
    match (result, s.overflow.take()) {
        (_, Some(mut o)) => {
            o.path.reverse();
            Err(ScanError::Overflow(o, s.format, s.format_version))
        }
        (Err(e), None) => Err(ScanError::Json(e.to_string())),
        (Ok(shape), None) => Ok(Scan {
            shape,
            format: s.format,
            format_version: s.format_version,
            declared_checksum: s.declared_checksum,
            checksum: s.checksum,
        }),
    }
}

/// Hex SHA-256 of the canonical JSON of one value given as JSON text; the
/// stable name of a record's content. Limits are not applied.
pub(crate) fn digest(json: &str) -> String {
    let mut s = Scanner {
        unlimited: true,
        ..Scanner::default()
    };
    let mut h = Hasher::new();
    let mut de = serde_json::Deserializer::from_str(json);
    let read = Node {
        s: &mut s,
        out: Out::Hash(&mut h),
        role: Role::Plain,
        comma: false,
    }
    .deserialize(&mut de);
    // Only ever given what serde_json just wrote.
    debug_assert!(read.is_ok(), "digest of invalid JSON");
    h.hex()
}

/// The canonical JSON of a value given as JSON text.
#[cfg(test)]
fn canonical(json: &str) -> String {
    let mut s = Scanner {
        unlimited: true,
        ..Scanner::default()
    };
    let mut out = Vec::new();
    let mut de = serde_json::Deserializer::from_str(json);
    Node {
        s: &mut s,
        out: Out::Buf(&mut out),
        role: Role::Plain,
        comma: false,
    }
    .deserialize(&mut de)
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[derive(Default)]
struct Scanner {
    /// Scratch buffers for objects being sorted, reused across objects.
    free: Vec<Scratch>,
    overflow: Option<Overflow>,
    /// For record digests: no limits.
    unlimited: bool,
    /// The key just read, unescaped; reused.
    key: String,
    /// Objects open around the current value, the top level not counted.
    depth: usize,
    format: Option<Value>,
    format_version: Option<Value>,
    declared_checksum: Option<String>,
    checksum: String,
}

#[derive(Default)]
struct Scratch {
    bytes: Vec<u8>,
    /// (key start, value start, value end) into `bytes`.
    entries: Vec<(usize, usize, usize)>,
}

impl Scanner {
    fn take(&mut self) -> Scratch {
        let mut s = self.free.pop().unwrap_or_default();
        s.bytes.clear();
        s.entries.clear();
        s
    }

    /// Records a broken limit and returns the error that stops the pass.
    fn overflow<E: de::Error>(&mut self, what: Limit, found: usize, max: u64) -> E {
        self.overflow.get_or_insert(Overflow {
            what,
            found: found as u64,
            max,
            path: Vec::new(),
        });
        E::custom("limit")
    }

    /// On the way out of a failed value: where it was.
    fn within(&mut self, segment: impl FnOnce() -> String) {
        if let Some(o) = &mut self.overflow {
            o.path.push(segment());
        }
    }

    fn text<E: de::Error>(&mut self, s: &str, what: Limit, max: usize) -> Result<(), E> {
        if self.unlimited || s.len() <= max {
            return Ok(());
        }
        let chars = s.chars().count();
        if chars <= max {
            Ok(())
        } else {
            Err(self.overflow(what, chars, max as u64))
        }
    }
}

/// SHA-256 fed in large blocks: the canonical text arrives in pieces of a
/// few bytes, and one hash update per piece costs more than a copy.
struct Hasher {
    sha: Sha256,
    pending: Vec<u8>,
}

impl Hasher {
    const BLOCK: usize = 1 << 16;

    fn new() -> Hasher {
        Hasher {
            sha: Sha256::new(),
            pending: Vec::with_capacity(Self::BLOCK),
        }
    }

    fn put(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= Self::BLOCK {
            self.sha.update(&self.pending);
            self.pending.clear();
        }
    }

    fn hex(mut self) -> String {
        self.sha.update(&self.pending);
        hex(&self.sha.finalize())
    }
}

enum Out<'a> {
    Hash(&'a mut Hasher),
    Buf(&'a mut Vec<u8>),
}

impl Out<'_> {
    fn put(&mut self, bytes: &[u8]) {
        match self {
            Out::Hash(h) => h.put(bytes),
            Out::Buf(b) => b.extend_from_slice(bytes),
        }
    }

    fn reborrow(&mut self) -> Out<'_> {
        match self {
            Out::Hash(h) => Out::Hash(h),
            Out::Buf(b) => Out::Buf(b),
        }
    }
}

impl Write for Out<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.put(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What a value is to the limits.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Plain,
    /// The top-level list (or settings map) of one kind of record.
    Collection(RecordKind),
    /// One element of `photos`.
    Photo,
    /// A photo's `bytes_base64`.
    PhotoData,
    /// The top-level `manifest`: its `checksum` is read, not hashed.
    Manifest,
    /// Top-level `format` or `format_version`: kept when scalar.
    Format,
    FormatVersion,
}

/// The top level: an object hashed value by value, or the first build's
/// bare list of responses.
struct Top<'a> {
    s: &'a mut Scanner,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = Shape;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let s = self.s;
        // (escaped key, hex digest of the value)
        let mut entries: Vec<(Vec<u8>, String)> = Vec::new();
        let mut key = Vec::new();
        while map.next_key_seed(Key { s, out: &mut key })?.is_some() {
            if entries.len() >= MAX_ITEMS && !s.unlimited {
                return Err(s.overflow(Limit::Items, entries.len() + 1, MAX_ITEMS as u64));
            }
            let role = match s.key.as_str() {
                "manifest" => Role::Manifest,
                "format" => Role::Format,
                "format_version" => Role::FormatVersion,
                k => RecordKind::ALL
                    .into_iter()
                    .find(|kind| kind.field() == k)
                    .map_or(Role::Plain, Role::Collection),
            };
            let mut h = Hasher::new();
            let read = map.next_value_seed(Node {
                s,
                out: Out::Hash(&mut h),
                role,
                comma: false,
            });
            if read.is_err() {
                s.within(|| unescape(&key));
            }
            read?;
            entries.push((std::mem::take(&mut key), h.hex()));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut h = Hasher::new();
        let mut out = Out::Hash(&mut h);
        out.put(b"{");
        for (i, (k, digest)) in entries.iter().enumerate() {
            if i > 0 {
                out.put(b",");
            }
            out.put(k);
            out.put(b":\"");
            out.put(digest.as_bytes());
            out.put(b"\"");
        }
        out.put(b"}");
        s.checksum = h.hex();
        Ok(Shape::Object)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shape, A::Error> {
        let mut h = Hasher::new();
        Node {
            s: self.s,
            out: Out::Hash(&mut h),
            role: Role::Collection(RecordKind::Response),
            comma: false,
        }
        .visit_seq(seq)?;
        self.s.checksum = h.hex();
        Ok(Shape::Array)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
}

/// An object key: checked, kept unescaped in `Scanner::key` and escaped in
/// `out`.
struct Key<'a> {
    s: &'a mut Scanner,
    out: &'a mut Vec<u8>,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, k: &str) -> Result<(), E> {
        self.s.text(k, Limit::IdLength, MAX_ID_CHARS)?;
        self.s.key.clear();
        self.s.key.push_str(k);
        // A str always serialises.
        serde_json::to_writer(&mut *self.out, k).map_err(E::custom)
    }

    fn visit_borrowed_str<E: de::Error>(self, k: &'de str) -> Result<(), E> {
        self.s.text(k, Limit::IdLength, MAX_ID_CHARS)?;
        self.s.key.clear();
        self.s.key.push_str(k);
        quoted(&mut Out::Buf(self.out), k);
        Ok(())
    }
}

/// Any value below the top level, written canonically to `out`.
struct Node<'a> {
    s: &'a mut Scanner,
    out: Out<'a>,
    role: Role,
    /// Write a `,` first: an element after another. Written by the element
    /// itself, since a list cannot know before asking that one follows.
    comma: bool,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Node<'_> {
    fn start(&mut self) {
        if self.comma {
            self.out.put(b",");
        }
    }

    /// A number, boolean or null: written, and kept when it is `format` or
    /// `format_version`.
    fn scalar(mut self, write: impl FnOnce(&mut Out<'_>), value: impl FnOnce() -> Value) {
        match self.role {
            Role::Format => self.s.format = Some(value()),
            Role::FormatVersion => self.s.format_version = Some(value()),
            _ => {}
        }
        self.start();
        write(&mut self.out);
    }

    fn limit(&self, kind: Option<RecordKind>) -> (Limit, u64) {
        match kind {
            Some(k) => (Limit::Count(k), max_count(k)),
            None => (Limit::Items, MAX_ITEMS as u64),
        }
    }
}

impl Node<'_> {
    /// A string value; `verbatim` when it stood in the text unescaped.
    fn string<E: de::Error>(mut self, v: &str, verbatim: bool) -> Result<(), E> {
        if self.role == Role::PhotoData {
            let bytes = decoded_len(v.len());
            if bytes > MAX_PHOTO_BYTES && !self.s.unlimited {
                return Err(self
                    .s
                    .overflow(Limit::PhotoBytes, bytes as usize, MAX_PHOTO_BYTES));
            }
        } else {
            self.s.text(v, Limit::TextLength, MAX_TEXT_CHARS)?;
        }
        match self.role {
            Role::Format => self.s.format = Some(Value::from(v)),
            Role::FormatVersion => self.s.format_version = Some(Value::from(v)),
            _ => {}
        }
        self.start();
        if verbatim {
            quoted(&mut self.out, v);
            Ok(())
        } else {
            serde_json::to_writer(&mut self.out, v).map_err(E::custom)
        }
    }
}

/// A string as serde_json writes it, for one that stood in the text with no
/// escape: such a string holds no quote, backslash or control character
/// (serde_json refuses raw ones), the only characters serde_json escapes.
fn quoted(out: &mut Out<'_>, s: &str) {
    out.put(b"\"");
    out.put(s.as_bytes());
    out.put(b"\"");
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<(), E> {
        let json: &[u8] = if b { b"true" } else { b"false" };
        self.scalar(|o| o.put(json), || Value::Bool(b));
        Ok(())
    }

    // Writing to a hash or a Vec cannot fail.
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<(), E> {
        self.scalar(|o| write!(o, "{n}").unwrap(), || Value::from(n));
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<(), E> {
        self.scalar(|o| write!(o, "{n}").unwrap(), || Value::from(n));
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, x: f64) -> Result<(), E> {
        self.scalar(|o| serde_json::to_writer(o, &x).unwrap(), || Value::from(x));
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(|o| o.put(b"null"), || Value::Null);
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.string(v, false)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        self.string(v, true)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let kind = match self.role {
            Role::Collection(k) => Some(k),
            _ => None,
        };
        let (what, max) = self.limit(kind);
        let element = match kind {
            Some(RecordKind::Photo) => Role::Photo,
            _ => Role::Plain,
        };
        self.start();
        self.out.put(b"[");
        let mut n = 0usize;
        loop {
            if n as u64 >= max && !self.s.unlimited {
                // One more element is one too many; the end is fine.
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(self.s.overflow(what, n + 1, max));
                }
                break;
            }
            let read = seq.next_element_seed(Node {
                s: self.s,
                out: self.out.reborrow(),
                role: element,
                comma: n > 0,
            });
            match read {
                Ok(Some(())) => n += 1,
                Ok(None) => break,
                Err(e) => {
                    self.s.within(|| format!("[{n}]"));
                    return Err(e);
                }
            }
        }
        self.out.put(b"]");
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let (what, max) = match self.role {
            Role::Collection(RecordKind::Setting) => self.limit(Some(RecordKind::Setting)),
            _ => self.limit(None),
        };
        if self.s.depth >= MAX_DEPTH && !self.s.unlimited {
            return Err(self
                .s
                .overflow(Limit::Depth, self.s.depth + 1, MAX_DEPTH as u64));
        }
        self.s.depth += 1;
        let mut scratch = self.s.take();
        loop {
            let key_start = scratch.bytes.len();
            let more = map.next_key_seed(Key {
                s: self.s,
                out: &mut scratch.bytes,
            })?;
            if more.is_none() {
                break;
            }
            if scratch.entries.len() as u64 >= max && !self.s.unlimited {
                return Err(self.s.overflow(what, scratch.entries.len() + 1, max));
            }
            let value_start = scratch.bytes.len();
            let role = match (self.role, self.s.key.as_str()) {
                (Role::Photo, "bytes_base64") => Role::PhotoData,
                _ => Role::Plain,
            };
            let skip = self.role == Role::Manifest && self.s.key == "checksum";
            let read = map.next_value_seed(Node {
                s: self.s,
                out: Out::Buf(&mut scratch.bytes),
                role,
                comma: false,
            });
            if read.is_err() {
                let key = &scratch.bytes[key_start..value_start];
                self.s.within(|| unescape(key));
            }
            read?;
            if skip {
                let written = &scratch.bytes[value_start..];
                self.s.declared_checksum = serde_json::from_slice::<String>(written).ok();
                scratch.bytes.truncate(key_start);
                continue;
            }
            scratch
                .entries
                .push((key_start, value_start, scratch.bytes.len()));
        }
        let Scratch { bytes, entries } = &mut scratch;
        entries.sort_by(|a, b| bytes[a.0..a.1].cmp(&bytes[b.0..b.1]));
        self.start();
        self.out.put(b"{");
        for (i, &(k, v, end)) in entries.iter().enumerate() {
            if i > 0 {
                self.out.put(b",");
            }
            self.out.put(&bytes[k..v]);
            self.out.put(b":");
            self.out.put(&bytes[v..end]);
        }
        self.out.put(b"}");
        self.s.free.push(scratch);
        self.s.depth -= 1;
        Ok(())
    }
}

/// A key as the error message shows it.
fn unescape(escaped: &[u8]) -> String {
    serde_json::from_slice(escaped).unwrap_or_default()
}

pub(super) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

#[cfg(test)]
mod tests;
