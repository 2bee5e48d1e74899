use serde_json::{json, Value};

use super::*;
use crate::domain::{AnswerValue, VersionStatus};
use crate::exchange::test_data::{at, sample, uuid};

fn written() -> String {
    write_bundle(&sample(), at(500), "laptop-1", "0.1.0").unwrap()
}

fn doc() -> Value {
    serde_json::from_str(&written()).unwrap()
}

/// `doc` with its checksum brought up to date, as a careful forger would.
fn sealed(mut d: Value) -> String {
    let sum = document_checksum(&d);
    if let (Some(m), Some(sum)) = (d.get_mut("manifest").and_then(Value::as_object_mut), sum) {
        m.insert("checksum".into(), json!(sum));
    }
    d.to_string()
}

fn err(text: &str) -> BundleError {
    parse_bundle(text).expect_err("should be refused")
}

#[test]
fn export_then_import_gives_identical_data() {
    let text = written();
    let b = parse_bundle(&text).unwrap();
    assert_eq!(b.contents, sample());
    assert_eq!(b.migrated_from, None);
    assert_eq!(b.manifest.device_id, "laptop-1");
    assert_eq!(b.manifest.app_version, "0.1.0");
    assert_eq!(b.manifest.created_at, at(500));
    assert_eq!(b.manifest.counts, sample().counts());
    assert_eq!(b.manifest.checksum.len(), 64);
    // Writing what was read gives the same file, byte for byte.
    assert_eq!(
        write_bundle(&b.contents, at(500), "laptop-1", "0.1.0").unwrap(),
        text
    );
}

#[test]
fn layout_is_not_content() {
    let pretty = serde_json::to_string_pretty(&doc()).unwrap();
    assert_eq!(parse_bundle(&pretty).unwrap().contents, sample());
    let with_bom = format!("\u{feff}{}", written());
    assert!(parse_bundle(&with_bom).is_ok());
    let empty = write_bundle(&Contents::default(), at(0), "d", "v").unwrap();
    assert_eq!(parse_bundle(&empty).unwrap().contents, Contents::default());
}

#[test]
fn script_in_text_is_kept_as_text() {
    let b = parse_bundle(&written()).unwrap();
    assert_eq!(
        b.contents.responses[1].answers["q-greet"].comment,
        "<script>alert('x')</script>"
    );
    assert_eq!(b.contents.locations[1].name, "Arbat <b>2</b>");
}

#[test]
fn any_edit_breaks_the_checksum() {
    let mut d = doc();
    d["responses"][0]["answers"]["q-clean"]["value"]["v"] = json!(4);
    assert!(matches!(
        err(&d.to_string()),
        BundleError::ChecksumMismatch { .. }
    ));
    let mut d = doc();
    d["manifest"]["device_id"] = json!("someone-else");
    assert!(matches!(
        err(&d.to_string()),
        BundleError::ChecksumMismatch { .. }
    ));
    let mut d = doc();
    d["manifest"].as_object_mut().unwrap().remove("checksum");
    assert!(matches!(
        err(&d.to_string()),
        BundleError::ChecksumMismatch { .. }
    ));
    // Sealed again, the edit is accepted: the checksum guards against
    // damage, not against a forger.
    let mut d = doc();
    d["responses"][0]["answers"]["q-clean"]["value"]["v"] = json!(4);
    let b = parse_bundle(&sealed(d)).unwrap();
    assert_eq!(
        b.contents.responses[0].answers["q-clean"].value,
        AnswerValue::Scale(4)
    );
}

#[test]
fn versions_and_formats() {
    let mut d = doc();
    d["format_version"] = json!(2);
    assert_eq!(
        err(&sealed(d)),
        BundleError::NewerVersion {
            found: 2,
            supported: 1
        }
    );
    for bad in [json!(0), json!(-1), json!(1.5), json!("1"), Value::Null] {
        let mut d = doc();
        d["format_version"] = bad;
        assert_eq!(err(&sealed(d)), BundleError::BadFormatVersion);
    }
    let q = crate::exchange::questionnaire_file::to_string(&sample().questionnaires[0]);
    assert_eq!(
        err(&q),
        BundleError::WrongFormat {
            found: "servicelens.questionnaire".into()
        }
    );
    assert_eq!(err("{\"name\": 1}"), BundleError::NotBundle);
    assert_eq!(err("42"), BundleError::NotBundle);
    let text = written();
    assert!(matches!(
        err(&text[..text.len() / 2]),
        BundleError::NotJson { .. }
    ));
    assert!(matches!(err(""), BundleError::NotJson { .. }));
}

#[test]
fn the_first_builds_list_of_responses_is_migrated() {
    let responses = sample().responses;
    let text = serde_json::to_string(&responses).unwrap();
    let b = parse_bundle(&text).unwrap();
    assert_eq!(b.migrated_from, Some(0));
    assert_eq!(b.contents.responses, responses);
    assert_eq!(b.contents.questionnaires, vec![]);
    assert_eq!(b.manifest.counts.responses, 4);
    assert_eq!(b.manifest.device_id, "phone-a");
    let latest = responses.iter().map(|r| r.updated_at).max().unwrap();
    assert_eq!(b.manifest.created_at, latest);
    assert!(parse_bundle("[]").unwrap().contents.responses.is_empty());
    assert!(matches!(err("[1, 2]"), BundleError::Malformed { .. }));
}

#[test]
fn counts_must_match_the_records() {
    let mut d = doc();
    d["manifest"]["counts"]["responses"] = json!(5);
    assert_eq!(
        err(&sealed(d)),
        BundleError::CountMismatch {
            kind: RecordKind::Response,
            declared: 5,
            found: 4
        }
    );
    let mut d = doc();
    d["manifest"]["counts"]["responses"] = json!(1u64 << 40);
    assert!(matches!(
        err(&sealed(d)),
        BundleError::TooLarge {
            what: Limit::Count(RecordKind::Response),
            ..
        }
    ));
}

#[test]
fn duplicates_and_empty_ids_are_refused() {
    let mut d = doc();
    let first = d["responses"][0].clone();
    d["responses"].as_array_mut().unwrap().push(first);
    d["manifest"]["counts"]["responses"] = json!(5);
    assert_eq!(
        err(&sealed(d)),
        BundleError::DuplicateId {
            kind: RecordKind::Response,
            id: uuid(1).to_string()
        }
    );
    let mut d = doc();
    d["locations"][1]["id"] = json!("loc-1");
    assert!(matches!(
        err(&sealed(d)),
        BundleError::DuplicateId {
            kind: RecordKind::Location,
            ..
        }
    ));
    let mut d = doc();
    d["employees"][0]["id"] = json!("  ");
    assert_eq!(
        err(&sealed(d)),
        BundleError::EmptyId {
            kind: RecordKind::Employee,
            index: 0
        }
    );
    let mut d = doc();
    d["responses"][0]["location_id"] = json!("x".repeat(MAX_ID_CHARS + 1));
    assert!(matches!(
        err(&sealed(d)),
        BundleError::TooLarge {
            what: Limit::IdLength,
            ..
        }
    ));
}

#[test]
fn wrong_types_are_malformed_with_a_place() {
    let cases = [
        ("/responses/0/id", json!("not-a-uuid")),
        ("/responses/0/started_at", json!("yesterday")),
        ("/responses/0/answers/q-greet/value", json!({"t": "maybe"})),
        (
            "/responses/0/answers/q-clean/value",
            json!({"t": "scale", "v": 300}),
        ),
        ("/responses/0/questionnaire_version", json!(-1)),
        ("/photos/0/width", json!(-5)),
        ("/actions/0/due", json!("2026-02-30")),
        ("/employees/0/updated_at", json!(null)),
    ];
    for (pointer, value) in cases {
        let mut d = doc();
        *d.pointer_mut(pointer).unwrap() = value;
        match err(&sealed(d)) {
            BundleError::Malformed { detail } => {
                let top = pointer.split('/').nth(1).unwrap();
                assert!(detail.starts_with(top), "{pointer}: {detail}");
            }
            other => panic!("{pointer}: {other:?}"),
        }
    }
    let mut d = doc();
    d["responses"] = json!({"a": 1});
    assert!(matches!(err(&sealed(d)), BundleError::Malformed { .. }));
}

#[test]
fn photos_must_be_images() {
    use base64::Engine;
    let mut d = doc();
    d["photos"][0]["bytes_base64"] =
        json!(base64::engine::general_purpose::STANDARD.encode("<html>hi</html>"));
    assert_eq!(
        err(&sealed(d)),
        BundleError::BadPhoto {
            id: uuid(200).to_string(),
            problem: PhotoProblem::NotAnImage
        }
    );
}

#[test]
fn published_questionnaires_are_validated_drafts_are_kept() {
    let mut d = doc();
    d["questionnaires"][0]["sections"][0]["questions"][0]["weight"] = json!(-1);
    assert!(matches!(
        err(&sealed(d)),
        BundleError::InvalidQuestionnaire { ref id, version: 1, .. } if id == "aud"
    ));
    let mut c = sample();
    c.questionnaires[0].status = VersionStatus::Draft;
    c.questionnaires[0].sections.clear();
    let b = parse_bundle(&write_bundle(&c, at(0), "d", "v").unwrap()).unwrap();
    assert_eq!(b.contents, c);
}

#[test]
fn settings_and_long_texts() {
    let mut d = doc();
    d["settings"] = json!(["not", "a", "map"]);
    assert!(matches!(err(&sealed(d)), BundleError::Malformed { .. }));
    let mut d = doc();
    d["responses"][0]["answers"]["q-notes"]["comment"] = json!("a".repeat(MAX_TEXT_CHARS + 1));
    assert_eq!(
        err(&sealed(d)),
        BundleError::TooLarge {
            what: Limit::TextLength,
            found: MAX_TEXT_CHARS as u64 + 1,
            max: MAX_TEXT_CHARS as u64,
            at: "responses[0].answers.q-notes.comment".into()
        }
    );
}

#[test]
fn every_error_has_a_message_in_each_language() {
    use crate::domain::validation::{Issue, IssueKind, IssueLocation};
    let limits = [
        Limit::FileSize,
        Limit::Count(RecordKind::Photo),
        Limit::Items,
        Limit::TextLength,
        Limit::IdLength,
        Limit::Depth,
        Limit::PhotoBytes,
    ];
    let problems = [
        PhotoProblem::NotBase64,
        PhotoProblem::NotAnImage,
        PhotoProblem::UnsupportedType { mime: "x".into() },
        PhotoProblem::TypeMismatch {
            declared: "a".into(),
            actual: "b".into(),
        },
        PhotoProblem::BadDimensions {
            width: 0,
            height: 1,
        },
    ];
    let mut all = vec![
        BundleError::NotJson {
            detail: "eof".into(),
        },
        BundleError::NotBundle,
        BundleError::WrongFormat { found: "x".into() },
        BundleError::BadFormatVersion,
        BundleError::NewerVersion {
            found: 2,
            supported: 1,
        },
        BundleError::ChecksumMismatch {
            declared: "a".into(),
            actual: "b".into(),
        },
        BundleError::Malformed { detail: "d".into() },
        BundleError::CountMismatch {
            kind: RecordKind::Response,
            declared: 1,
            found: 2,
        },
        BundleError::DuplicateId {
            kind: RecordKind::Location,
            id: "l".into(),
        },
        BundleError::EmptyId {
            kind: RecordKind::Employee,
            index: 0,
        },
        BundleError::InvalidQuestionnaire {
            id: "q".into(),
            version: 1,
            issues: vec![Issue {
                location: IssueLocation::Questionnaire,
                kind: IssueKind::EmptyTitle,
            }],
        },
    ];
    all.extend(limits.into_iter().map(|what| BundleError::TooLarge {
        what,
        found: 2,
        max: 1,
        at: "responses[0]".into(),
    }));
    all.extend(problems.into_iter().map(|problem| BundleError::BadPhoto {
        id: "p".into(),
        problem,
    }));
    let mut kinds = std::collections::HashSet::new();
    for e in &all {
        let (ru, en) = (e.message(Lang::Ru), e.message(Lang::En));
        assert!(!ru.is_empty() && !en.is_empty() && ru != en, "{e:?}");
        assert!(!en.chars().any(|c| ('а'..='я').contains(&c)), "{en}");
        kinds.insert(e.kind());
    }
    assert_eq!(kinds.len(), 13);
    for kind in RecordKind::ALL {
        assert_ne!(kind.label(Lang::Ru), kind.label(Lang::En));
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use crate::domain::arbitrary::valid_questionnaire;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,400}") {
            let _ = parse_bundle(&text);
        }

        #[test]
        fn arbitrary_json_never_panics(v in arbitrary_json()) {
            let _ = parse_bundle(&v.to_string());
            let mut d = serde_json::json!({"format": FORMAT, "format_version": 1});
            d["responses"] = v;
            let _ = parse_bundle(&sealed(d));
        }

        /// Byte-level damage to a valid bundle: refused or, when the damage
        /// missed everything the checksum covers (whitespace), read intact.
        #[test]
        fn mutations_of_a_valid_bundle_never_panic(
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)
        ) {
            let mut bytes = written().into_bytes();
            for (at, byte, op) in edits {
                let i = at.index(bytes.len().max(1));
                match op {
                    0 if !bytes.is_empty() => bytes[i] = byte,
                    1 => bytes.insert(i, byte),
                    _ if !bytes.is_empty() => bytes.truncate(i),
                    _ => {}
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(b) = parse_bundle(&text) {
                prop_assert_eq!(b.contents, sample());
            }
        }

        #[test]
        fn typed_mutations_of_a_valid_bundle_never_panic(
            path in proptest::collection::vec(any::<prop::sample::Index>(), 1..6),
            value in arbitrary_json(),
        ) {
            let mut d = doc();
            replace_somewhere(&mut d, &path, value);
            let _ = parse_bundle(&sealed(d));
        }

        #[test]
        fn any_valid_questionnaire_round_trips(q in valid_questionnaire()) {
            let mut c = sample();
            c.questionnaires.push(q);
            let text = write_bundle(&c, at(0), "d", "v").unwrap();
            let b = parse_bundle(&text).map_err(|e| TestCaseError::fail(e.message(Lang::En)))?;
            prop_assert_eq!(b.contents, c);
        }
    }

    fn arbitrary_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".{0,20}".prop_map(Value::from),
            Just(Value::from("2026-03-02T10:00:00+03:00")),
            Just(Value::from("7d0c5a57-2f4e-4b4a-9a0b-000000000001")),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Walks down `path` (an index at each level) and puts `value` there.
    fn replace_somewhere(d: &mut Value, path: &[prop::sample::Index], value: Value) {
        let Some((step, rest)) = path.split_first() else {
            *d = value;
            return;
        };
        let child = match d {
            Value::Array(items) if !items.is_empty() => {
                let i = step.index(items.len());
                Some(&mut items[i])
            }
            Value::Object(map) if !map.is_empty() => {
                let i = step.index(map.len());
                map.values_mut().nth(i)
            }
            _ => None,
        };
        match child {
            Some(c) => replace_somewhere(c, rest, value),
            None => *d = value,
        }
    }
}

#[test]
fn a_backup_carries_the_built_in_versions_its_responses_answered() {
    let mut c = sample();
    let quick = crate::templates::find("tpl-retail-quick", 1).expect("built-in");
    let mut r = c.responses[0].clone();
    r.id = uuid(777);
    r.questionnaire_id = quick.id.clone();
    r.questionnaire_version = quick.version;
    c.responses.push(r.clone());
    let mut unknown = r.clone();
    unknown.id = uuid(778);
    unknown.questionnaire_version = 99;
    c.responses.push(unknown);
    let before = c.questionnaires.len();

    c.add_built_ins_answered();
    assert_eq!(c.questionnaires.len(), before + 1);
    assert_eq!(c.questionnaires.last(), Some(&quick));
    // Twice changes nothing; the file then reads back whole.
    c.add_built_ins_answered();
    assert_eq!(c.questionnaires.len(), before + 1);
    let back = parse_bundle(&write_bundle(&c, at(600), "phone-2", "0.1.0").unwrap()).unwrap();
    assert_eq!(back.contents.questionnaires.len(), before + 1);
}

/// Writes down what the typed pass shows, in order.
#[derive(Default)]
struct Seen {
    events: Vec<String>,
    refuse_at: Option<usize>,
}

impl ReadObserver for Seen {
    fn questionnaires(&mut self, qs: &[Questionnaire]) {
        self.events.push(format!("questionnaires {}", qs.len()));
    }

    fn response(&mut self, r: &Response) -> Result<(), String> {
        if self.refuse_at == Some(self.events.len()) {
            return Err("the disk is full".into());
        }
        self.events.push(r.id.to_string());
        Ok(())
    }
}

#[test]
fn the_observer_sees_each_response_as_it_is_read() {
    let text = written();
    let mut seen = Seen::default();
    let b = parse_bundle_observed(&text, &mut seen).unwrap();
    assert_eq!(b, parse_bundle(&text).unwrap());
    let mut expected = vec![format!("questionnaires {}", sample().questionnaires.len())];
    expected.extend(sample().responses.iter().map(|r| r.id.to_string()));
    assert_eq!(seen.events, expected);

    // Questionnaires listed after the responses are shown after them.
    // (Key order is not content: the checksum still holds.)
    let d = doc();
    let mut fields: Vec<String> = d
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| *k != "questionnaires")
        .map(|(k, v)| format!("{}:{v}", json!(k)))
        .collect();
    fields.push(format!("\"questionnaires\":{}", d["questionnaires"]));
    let text = format!("{{{}}}", fields.join(","));
    assert!(text.find("\"questionnaires\":[") > text.find("\"responses\":["));
    let mut seen = Seen::default();
    parse_bundle_observed(&text, &mut seen).unwrap();
    assert_eq!(seen.events.last(), Some(&expected[0]));

    // A file refused by the scan shows nothing.
    let mut seen = Seen::default();
    let edited = text.replacen("12.5", "13.5", 1);
    assert!(matches!(
        parse_bundle_observed(&edited, &mut seen),
        Err(BundleError::ChecksumMismatch { .. })
    ));
    assert!(seen.events.is_empty());
}

#[test]
fn an_observer_error_refuses_the_file_at_that_response() {
    let mut seen = Seen {
        refuse_at: Some(2),
        ..Seen::default()
    };
    let e = parse_bundle_observed(&written(), &mut seen).unwrap_err();
    assert!(
        matches!(&e, BundleError::Malformed { detail } if detail == "responses[1]: the disk is full"),
        "{e:?}"
    );
    assert_eq!(seen.events.len(), 2);
}

#[test]
fn a_file_whose_later_part_is_broken_is_refused_after_its_responses_were_shown() {
    // Sealed, so the scan passes; the settings after the responses (keys
    // in sorted order) are of the wrong type, which only the typed pass
    // finds.
    let mut d = doc();
    d["settings"] = json!([1]);
    let text = sealed(d);
    assert!(text.find("\"settings\":[") > text.find("\"responses\":["));
    let mut seen = Seen::default();
    let e = parse_bundle_observed(&text, &mut seen).unwrap_err();
    assert!(
        matches!(&e, BundleError::Malformed { detail } if detail.starts_with("settings")),
        "{e:?}"
    );
    assert_eq!(seen.events.len(), 1 + sample().responses.len());
}
