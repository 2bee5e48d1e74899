use serde_json::json;

use super::*;

fn limit(text: &str) -> (Limit, String) {
    match document(text, true) {
        Err(ScanError::Overflow(o, ..)) => (o.what, o.at()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn canonical_form() {
    assert_eq!(
        canonical(
            r#" { "b" : [1, -2, 2.5, 1e300, {"y": null, "x": "é\n\""}, []], "a": true, "": {} } "#
        ),
        r#"{"":{},"a":true,"b":[1,-2,2.5,1e+300,{"x":"é\n\"","y":null},[]]}"#
    );
    assert_eq!(canonical("[[],[[]],{}]"), "[[],[[]],{}]");
    assert_eq!(canonical(r#""\u00e9""#), "\"é\"");
    // Strings read without escapes are copied as they stand; escaped ones
    // written again: both give serde_json's form.
    assert_eq!(
        canonical(r#"["é/<>\u2028", "\u00e9\/<>\u2028", "\u001f\t"]"#),
        "[\"é/<>\u{2028}\",\"é/<>\u{2028}\",\"\\u001f\\t\"]"
    );
    // sha256("{}")
    assert_eq!(
        digest("{}"),
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    );
    assert_eq!(digest(r#"{"a": [1, 2]}"#), digest(r#"{"a":[1,2]}"#));
    assert_ne!(digest(r#"{"a": [1, 2]}"#), digest(r#"{"a":[2,1]}"#));
}

#[test]
fn the_checksum_ignores_layout_and_the_manifest_checksum_only() {
    let sum = |v: serde_json::Value| document(&v.to_string(), true).unwrap().checksum;
    let pretty = |v: serde_json::Value| {
        document(&serde_json::to_string_pretty(&v).unwrap(), true)
            .unwrap()
            .checksum
    };
    let base =
        json!({"manifest": {"checksum": "x", "n": 1}, "checksum": 5, "r": [1, {"b": 2, "a": 3}]});
    assert_eq!(sum(base.clone()), pretty(base.clone()));
    let mut other = base.clone();
    other["manifest"]["checksum"] = json!("y");
    assert_eq!(sum(base.clone()), sum(other));
    for (pointer, value) in [
        ("/manifest/n", json!(2)),
        ("/checksum", json!(6)),
        ("/r/1/a", json!(4)),
    ] {
        let mut changed = base.clone();
        *changed.pointer_mut(pointer).unwrap() = value;
        assert_ne!(sum(base.clone()), sum(changed), "{pointer}");
    }
    let s = document(&base.to_string(), true).unwrap();
    assert_eq!(s.declared_checksum.as_deref(), Some("x"));
    assert_eq!(s.shape, Shape::Object);
}

#[test]
fn format_and_shape_are_seen() {
    let s = document(
        r#"{"format": "servicelens.bundle", "format_version": 3}"#,
        true,
    )
    .unwrap();
    assert_eq!(s.format, Some(json!("servicelens.bundle")));
    assert_eq!(s.format_version, Some(json!(3)));
    assert_eq!(document("[]", true).unwrap().shape, Shape::Array);
    assert_eq!(document("\"x\"", true).unwrap().shape, Shape::Other);
    let s = document(r#"{"format": ["x"], "format_version": {"v": 1}}"#, true).unwrap();
    assert_eq!((s.format, s.format_version), (None, None));
    assert!(matches!(document("{} {}", true), Err(ScanError::Json(_))));
    assert!(matches!(
        document("{\"a\": ", true),
        Err(ScanError::Json(_))
    ));
    let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    assert!(matches!(document(&deep, true), Err(ScanError::Json(_))));
}

#[test]
fn a_long_text_is_found_and_located() {
    let long = "я".repeat(MAX_TEXT_CHARS + 1);
    let d = json!({"responses": [{}, {"answers": {"q1": {"comment": long}}}]});
    assert_eq!(
        limit(&d.to_string()),
        (Limit::TextLength, "responses[1].answers.q1.comment".into())
    );
    // Exactly at the limit, in two-byte letters, is fine.
    let ok = "я".repeat(MAX_TEXT_CHARS);
    assert!(document(&json!({"locations": [{"name": ok}]}).to_string(), true).is_ok());
    // Without limits, the same text is only hashed.
    assert!(document(&d.to_string(), false).is_ok());
}

#[test]
fn long_keys_lists_and_counts() {
    let key = "k".repeat(MAX_ID_CHARS + 1);
    let d = json!({"settings": {key: 1}});
    assert_eq!(limit(&d.to_string()), (Limit::IdLength, "settings".into()));
    let d = json!({"responses": [{"employee_ids": vec![0; MAX_ITEMS + 1]}]});
    assert_eq!(
        limit(&d.to_string()),
        (Limit::Items, "responses[0].employee_ids".into())
    );
    let d = json!({"responses": [{"employee_ids": vec![0; MAX_ITEMS]}]});
    assert!(document(&d.to_string(), true).is_ok());
    let many: serde_json::Map<String, serde_json::Value> =
        (0..=1000).map(|i| (format!("s{i}"), json!(i))).collect();
    let d = json!({"settings": many});
    assert_eq!(
        limit(&d.to_string()),
        (Limit::Count(RecordKind::Setting), "settings".into())
    );
}

#[test]
fn photo_data_has_its_own_limit() {
    let big = "A".repeat(MAX_TEXT_CHARS * 4);
    assert!(document(
        &json!({"photos": [{"bytes_base64": big}]}).to_string(),
        true
    )
    .is_ok());
    let huge = "A".repeat((MAX_PHOTO_BYTES / 3 * 4 + 8) as usize);
    let d = json!({"photos": [{"id": 1}, {"bytes_base64": huge}]});
    assert_eq!(
        limit(&d.to_string()),
        (Limit::PhotoBytes, "photos[1].bytes_base64".into())
    );
    // Elsewhere the same text is just too long.
    let d = json!({"responses": [{"bytes_base64": big}]});
    assert_eq!(limit(&d.to_string()).0, Limit::TextLength);
}

#[test]
fn a_format_seen_before_an_overflow_is_kept() {
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    let d = format!(r#"{{"format": "servicelens.questionnaire", "q": "{long}"}}"#);
    match document(&d, true) {
        Err(ScanError::Overflow(_, Some(f), None)) => assert_eq!(f, "servicelens.questionnaire"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn objects_nest_so_deep_and_no_deeper() {
    let nest = |n: usize| format!(r#"{{"x": {}1{}}}"#, r#"{"a":"#.repeat(n), "}".repeat(n));
    assert!(document(&nest(MAX_DEPTH), true).is_ok());
    let (what, at) = limit(&nest(MAX_DEPTH + 1));
    assert_eq!(what, Limit::Depth);
    assert_eq!(at, format!("x{}", ".a".repeat(MAX_DEPTH)));
    // Lists in between do not count; the objects in them do.
    let listed = |n: usize| format!(r#"{{"x": [[{}1{}]]}}"#, r#"{"a":"#.repeat(n), "}".repeat(n));
    assert!(document(&listed(MAX_DEPTH), true).is_ok());
    assert_eq!(limit(&listed(MAX_DEPTH + 1)).0, Limit::Depth);
    // In the first build's bare list a response is an object at depth 1,
    // as in a bundle's `responses`: one level less is left below it.
    assert!(document(&format!("[{}]", nest(MAX_DEPTH - 1)), true).is_ok());
    let (what, at) = limit(&format!("[{}]", nest(MAX_DEPTH)));
    assert_eq!(what, Limit::Depth);
    assert_eq!(at, format!("[0].x{}", ".a".repeat(MAX_DEPTH - 1)));
    // Digests of records already stored know no limit.
    assert_eq!(digest(&nest(MAX_DEPTH + 5)).len(), 64);
}
