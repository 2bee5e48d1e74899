//! URI components (RFC 3986): the dashboard's view in the fragment's query
//! and the replication protocol's paths and queries encode the same way.

/// Percent-encodes everything but the unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The inverse of [`encode_component`]; `None` for broken escapes or bytes
/// that are not UTF-8. `+` is taken literally (neither a fragment nor a
/// CouchDB path is a form body).
pub fn decode_component(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_round_trip_and_broken_escapes_are_refused() {
        for s in ["plain", "response:1 a/b", "Тверская, 1", "a+b=c&d", "~._-"] {
            assert_eq!(decode_component(&encode_component(s)).as_deref(), Some(s));
        }
        assert_eq!(encode_component("a b/c"), "a%20b%2Fc");
        assert_eq!(decode_component("%zz"), None);
        assert_eq!(decode_component("%FF"), None);
        assert_eq!(decode_component("a+b").as_deref(), Some("a+b"));
    }
}
