//! Every file in `tests/malformed/` goes through the parser its INDEX line
//! names and must be refused with the expected error kind, or, for the few
//! hostile-but-valid files, accepted with their text kept verbatim. A
//! refused file yields no records, so an import of it stores nothing.
//!
//! The files are written by `corpus()` below (after changing a case:
//! `REGENERATE_MALFORMED=1 cargo test --test malformed`), so every checksum
//! in them is right unless the case is about the checksum.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use servicelens::domain::photo::PhotoMeta;
use servicelens::domain::{
    Answer, AnswerValue, CorrectiveAction, Employee, LocalDate, Location, Questionnaire, Response,
    ResponseStatus, Timestamp,
};
use servicelens::exchange::bundle::{
    document_checksum, parse_bundle, write_bundle, Bundle, Contents, PhotoRecord,
};
use servicelens::exchange::merge::{merge, Receiver, Snapshot};
use servicelens::exchange::questionnaire_file::{self, FileError};
use servicelens::i18n::Lang;
use uuid::Uuid;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed")
}

struct Case {
    file: String,
    parser: String,
    expected: String,
}

fn index() -> Vec<Case> {
    let text = std::fs::read_to_string(dir().join("INDEX.tsv")).expect("INDEX.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() >= 3, "bad index line {l:?}");
            Case {
                file: f[0].into(),
                parser: f[1].into(),
                expected: f[2].into(),
            }
        })
        .collect()
}

/// The file as the browser hands it over: text, undecodable bytes replaced.
fn read(file: &str) -> String {
    let bytes = std::fs::read(dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    String::from_utf8_lossy(&bytes).into_owned()
}

fn questionnaire_kind(e: &FileError) -> &'static str {
    match e {
        FileError::NotJson { .. } => "not_json",
        FileError::NotQuestionnaireFile => "not_questionnaire_file",
        FileError::WrongFormat { .. } => "wrong_format",
        FileError::BadFormatVersion => "bad_format_version",
        FileError::NewerVersion { .. } => "newer_version",
        FileError::Malformed { .. } => "malformed",
        FileError::Invalid(_) => "invalid_questionnaire",
        FileError::TooLarge(_) => "too_large",
    }
}

#[test]
fn every_malformed_file_gets_its_expected_answer() {
    let cases = index();
    assert!(
        cases.len() >= 20,
        "at least 20 cases, found {}",
        cases.len()
    );
    let mut rejected = 0;
    for case in &cases {
        let text = read(&case.file);
        let got = match case.parser.as_str() {
            "bundle" => match parse_bundle(&text) {
                Ok(_) => "accept".to_owned(),
                Err(e) => {
                    for lang in [Lang::Ru, Lang::En] {
                        assert!(!e.message(lang).is_empty());
                    }
                    e.kind().to_owned()
                }
            },
            "merge" => merge_outcome(&case.file, &text),
            "questionnaire" => match questionnaire_file::parse(&text) {
                Ok(_) => "accept".to_owned(),
                Err(e) => questionnaire_kind(&e).to_owned(),
            },
            other => panic!("{}: unknown parser {other}", case.file),
        };
        assert_eq!(got, case.expected, "{}", case.file);
        rejected += usize::from(got != "accept");
    }
    assert!(rejected >= 20, "at least 20 rejections, found {rejected}");
}

/// The manager's device, some time after the files were written.
const HERE: Receiver<'static> = Receiver {
    device_id: "manager",
    now: Timestamp {
        utc_ms: 1_772_434_800_000 + 100_000 * 60_000,
        offset_min: 180,
    },
};

/// A valid file that tries to change what a device holds from outside:
/// merged into a device that already holds `base.json`, it must change
/// nothing, and the report must name why.
fn merge_outcome(file: &str, text: &str) -> String {
    use servicelens::exchange::merge::{RejectReason as R, SkipReason as S};
    let incoming = parse_bundle(text).unwrap_or_else(|e| panic!("{file}: {e:?}"));
    let mut store = Snapshot::default();
    let (base, _) = merge(&store, &parse_bundle(&read("base.json")).unwrap(), HERE);
    base.apply_to(&mut store);
    let (changes, report) = merge(&store, &incoming, HERE);
    assert!(changes.is_empty(), "{file} changed {changes:?}");
    let reasons: Vec<&'static str> = report
        .kinds
        .iter()
        .flat_map(|k| {
            let rejected = k.rejected.iter().map(|(_, r)| match r {
                R::InFuture => "in_future",
                R::SubmittedIsFinal => "submitted_is_final",
                R::ForeignCorrection { .. } => "foreign_correction",
                R::BuiltInTemplate => "built_in_template",
                R::StatusStep => "status_step",
                R::ForeignResponse { .. } => "foreign_response",
                R::UnknownQuestionnaire { .. } | R::UnknownResponse { .. } => "unknown_parent",
            });
            let skipped = k.skipped.iter().filter_map(|(_, r)| {
                (*r == S::DeviceLocalSetting).then_some("device_local_setting")
            });
            rejected.chain(skipped).collect::<Vec<_>>()
        })
        .collect();
    assert!(
        !reasons.is_empty() && reasons.iter().all(|r| *r == reasons[0]),
        "{file}: {reasons:?}"
    );
    reasons[0].to_owned()
}

#[test]
fn the_index_lists_every_file_once() {
    let listed: Vec<String> = index().into_iter().map(|c| c.file).collect();
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "INDEX.tsv")
        .collect();
    on_disk.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), listed.len(), "a file listed twice");
    assert_eq!(sorted, on_disk);
}

const HOSTILE: [&str; 5] = [
    "<script>alert(\"xss\")</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(document.cookie)",
    "{{constructor.constructor('alert(1)')()}}",
    "=HYPERLINK(\"http://example.invalid\",\"click\")",
];

/// Every string in `v`, with where it is.
fn strings(v: &Value, at: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((at, s.clone())),
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                strings(x, format!("{at}[{i}]"), out);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                strings(x, format!("{at}.{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn script_in_every_text_field_is_kept_verbatim_as_text() {
    let text = read("script_in_every_text_field.json");
    let b = parse_bundle(&text).expect("hostile text is still data");
    let file: Value = serde_json::from_str(&text).unwrap();
    // Each text of the file comes back from the parsed records unchanged:
    // compare the file's strings with the records written out again.
    let mut expected = Vec::new();
    strings(&file, String::new(), &mut expected);
    let back: Value = serde_json::from_str(
        &write_bundle(
            &b.contents,
            b.manifest.created_at,
            &b.manifest.device_id,
            &b.manifest.app_version,
        )
        .unwrap(),
    )
    .unwrap();
    let mut got = Vec::new();
    strings(&back, String::new(), &mut got);
    let hostile: Vec<_> = expected
        .iter()
        .filter(|(_, s)| HOSTILE.iter().any(|h| s.contains(h)))
        .collect();
    assert!(hostile.len() >= 25, "only {} hostile texts", hostile.len());
    for (at, s) in hostile {
        assert!(
            got.contains(&(at.clone(), s.clone())),
            "{at}: {s:?} changed"
        );
    }
    let q = &b.contents.questionnaires[0];
    assert_eq!(q.title.en, HOSTILE[0]);
    assert_eq!(b.contents.locations[0].name, HOSTILE[1]);
    assert!(b.contents.responses[0].answers["q-notes"]
        .comment
        .contains(HOSTILE[0]));
    // And it merges like any other file.
    let (changes, _) = merge(
        &Snapshot::default(),
        &b,
        Receiver {
            device_id: "manager",
            now: servicelens::domain::Timestamp::new(i64::MAX / 2, 0),
        },
    );
    assert_eq!(changes.responses.len(), b.contents.responses.len());

    let q = questionnaire_file::parse(&read("questionnaire_script_in_text.json")).unwrap();
    assert_eq!(q.title.ru, HOSTILE[0]);
    assert_eq!(q.sections[0].questions[0].help.en, HOSTILE[1]);
}

// ---------------------------------------------------------------------------
// The corpus itself.

fn t(minutes: i64) -> Timestamp {
    Timestamp::new(1_772_434_800_000 + minutes * 60_000, 180)
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x7d0c_5a57_2f4e_4b4a_9a0b_0000_0000_0000 | n)
}

const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

fn questionnaire(text: &dyn Fn(&str) -> String) -> Questionnaire {
    let tx = |s: &str| json!({"ru": text(s), "en": text(s)});
    serde_json::from_value(json!({
        "id": "aud", "version": 1, "kind": "audit", "status": "published",
        "title": tx("Audit"), "description": tx("About"),
        "sections": [{"id": "s1", "title": tx("Entrance"), "questions": [
            {"id": "q-greet", "type": "yes_no", "text": tx("Greeted?"), "help": tx("Help"),
             "comment_allowed": true},
            {"id": "q-pay", "type": "single_choice", "text": tx("Payment"), "options": [
                {"id": "fast", "label": tx("Fast"), "points": 1},
                {"id": "slow", "label": tx("Slow"), "points": 0}]},
            {"id": "q-wait", "type": "number", "text": tx("Wait"), "unit": tx("s")},
            {"id": "q-notes", "type": "long_text", "text": tx("Notes")}
        ]}]
    }))
    .unwrap()
}

/// A small valid store; `text` dresses every free text.
fn base(text: &dyn Fn(&str) -> String) -> Contents {
    let answer = |value, comment: &str| Answer {
        value,
        comment: text(comment),
        answered_at: t(0),
    };
    let response = |n: u128| Response {
        visited_at: None,
        employee_note: String::new(),
        supersedes: None,
        id: id(n),
        questionnaire_id: "aud".into(),
        questionnaire_version: 1,
        location_id: "loc-1".into(),
        employee_ids: vec!["emp-1".into()],
        device_id: "phone-a".into(),
        started_at: t(n as i64),
        updated_at: t(n as i64),
        submitted_at: Some(t(n as i64)),
        status: ResponseStatus::Submitted,
        answers: BTreeMap::from([
            ("q-greet".to_owned(), answer(AnswerValue::No, "rude")),
            (
                "q-pay".to_owned(),
                answer(AnswerValue::Choice(vec!["slow".into()]), ""),
            ),
            ("q-wait".to_owned(), answer(AnswerValue::Number(12.5), "")),
            (
                "q-notes".to_owned(),
                answer(AnswerValue::Text(text("Notes")), "Comment"),
            ),
        ]),
    };
    Contents {
        questionnaires: vec![questionnaire(text)],
        responses: vec![response(1), response(2)],
        locations: vec![Location {
            id: "loc-1".into(),
            name: text("Main street"),
        }],
        employees: vec![Employee {
            id: "emp-1".into(),
            name: text("Anna"),
            role: text("Cashier"),
            location_id: "loc-1".into(),
            updated_at: t(0),
        }],
        actions: vec![CorrectiveAction {
            id: id(100),
            response_id: id(1),
            question_id: "q-greet".into(),
            location_id: "loc-1".into(),
            assignee: text("Anna"),
            due: LocalDate::new(2026, 3, 9),
            status: Default::default(),
            note: text("Talk to the team"),
            created_at: t(5),
            updated_at: t(5),
        }],
        // Settings are device-local: a written file carries none.
        settings: BTreeMap::new(),
        photos: vec![PhotoRecord::new(
            &PhotoMeta {
                id: id(200),
                response_id: id(1),
                question_id: "q-greet".into(),
                mime: "image/png".into(),
                width: 1,
                height: 1,
                bytes: PNG.len() as u64,
                taken_at: t(1),
            },
            PNG,
        )
        .unwrap()],
    }
}

fn plain(s: &str) -> String {
    s.to_owned()
}

fn valid() -> Value {
    serde_json::from_str(&write_bundle(&base(&plain), t(10), "phone-a", "0.1.0").unwrap()).unwrap()
}

fn seal(mut d: Value) -> Value {
    let sum = document_checksum(&d).unwrap();
    d["manifest"]["checksum"] = json!(sum);
    d
}

/// `valid()` changed by `edit` and sealed again: only the edit is wrong.
fn edited(edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut d = valid();
    edit(&mut d);
    seal(d).to_string().into_bytes()
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

type Made = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Vec<u8>,
);

fn corpus() -> Vec<Made> {
    let valid_text = valid().to_string();
    let questionnaire_text = questionnaire_file::to_string(&questionnaire(&plain));
    let hostile = |s: &str| format!("{s} {}", HOSTILE.join(" "));
    let hostile_bundle = {
        let mut c = base(&hostile);
        c.locations[0].name = HOSTILE[1].to_owned();
        c.questionnaires[0].title.en = HOSTILE[0].to_owned();
        write_bundle(&c, t(10), &hostile("phone"), &hostile("0.1.0")).unwrap()
    };
    let hostile_questionnaire = {
        let mut q = questionnaire(&hostile);
        q.title.ru = HOSTILE[0].to_owned();
        q.sections[0].questions[0].help.en = HOSTILE[1].to_owned();
        questionnaire_file::to_string(&q)
    };
    let q_doc: Value = serde_json::from_str(&questionnaire_text).unwrap();
    let q_edited = |edit: &dyn Fn(&mut Value)| {
        let mut d = q_doc.clone();
        edit(&mut d);
        d.to_string().into_bytes()
    };
    vec![
        (
            "truncated.json",
            "bundle",
            "not_json",
            "a valid bundle cut off halfway",
            valid_text.as_bytes()[..valid_text.len() / 2].to_vec(),
        ),
        ("empty.json", "bundle", "not_json", "an empty file", vec![]),
        (
            "html_page.json",
            "bundle",
            "not_json",
            "an HTML page saved under a .json name",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".to_vec(),
        ),
        (
            "png_image.json",
            "bundle",
            "not_json",
            "a PNG picture picked by mistake",
            PNG.to_vec(),
        ),
        (
            "nan_literal.json",
            "bundle",
            "not_json",
            "NaN and Infinity, which JSON does not have",
            valid_text.replacen("12.5", "NaN", 1).into_bytes(),
        ),
        (
            "deep_nesting.json",
            "bundle",
            "not_json",
            "100 000 nested arrays (a stack bomb)",
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
        ),
        (
            "json_string.json",
            "bundle",
            "not_bundle",
            "a bare JSON string",
            b"\"hello\"".to_vec(),
        ),
        (
            "foreign_object.json",
            "bundle",
            "not_bundle",
            "someone else's JSON object",
            br#"{"name": "export", "rows": []}"#.to_vec(),
        ),
        (
            "questionnaire_as_bundle.json",
            "bundle",
            "wrong_format",
            "a questionnaire file opened as a backup",
            questionnaire_text.clone().into_bytes(),
        ),
        (
            "newer_version.json",
            "bundle",
            "newer_version",
            "format_version 2, from a newer app",
            edited(|d| d["format_version"] = json!(2)),
        ),
        (
            "version_zero_envelope.json",
            "bundle",
            "bad_format_version",
            "an envelope claiming version 0",
            edited(|d| d["format_version"] = json!(0)),
        ),
        (
            "version_as_string.json",
            "bundle",
            "bad_format_version",
            "format_version \"1\"",
            edited(|d| d["format_version"] = json!("1")),
        ),
        (
            "wrong_checksum.json",
            "bundle",
            "checksum_mismatch",
            "an answer changed after the file was written",
            {
                let mut d = valid();
                d["responses"][0]["answers"]["q-greet"]["value"] = json!({"t": "yes"});
                d.to_string().into_bytes()
            },
        ),
        (
            "missing_checksum.json",
            "bundle",
            "checksum_mismatch",
            "no manifest.checksum",
            {
                let mut d = valid();
                d["manifest"].as_object_mut().unwrap().remove("checksum");
                d.to_string().into_bytes()
            },
        ),
        (
            "absurd_count.json",
            "bundle",
            "too_large",
            "the manifest promises 10^12 responses",
            edited(|d| d["manifest"]["counts"]["responses"] = json!(1_000_000_000_000u64)),
        ),
        (
            "huge_comment.json",
            "bundle",
            "too_large",
            "a comment of 10 001 characters",
            edited(|d| {
                d["responses"][0]["answers"]["q-notes"]["comment"] = json!("x".repeat(10_001))
            }),
        ),
        (
            "long_id.json",
            "bundle",
            "too_large",
            "a location id of 101 characters",
            edited(|d| {
                d["locations"][0]["id"] = json!("l".repeat(101));
            }),
        ),
        (
            "long_answer_key.json",
            "bundle",
            "too_large",
            "an answer keyed by a 500-character id",
            edited(|d| {
                let a = d["responses"][0]["answers"]["q-greet"].clone();
                d["responses"][0]["answers"][&"q".repeat(500)] = a;
            }),
        ),
        (
            "too_many_employees.json",
            "bundle",
            "too_large",
            "a response naming 10 001 employees",
            edited(|d| d["responses"][0]["employee_ids"] = json!(vec!["emp-1"; 10_001])),
        ),
        (
            "deep_objects.json",
            "bundle",
            "too_large",
            "a setting nested 40 objects deep",
            edited(|d| {
                let mut v = json!(1);
                for _ in 0..40 {
                    v = json!({ "a": v });
                }
                d["settings"]["deep"] = v;
            }),
        ),
        (
            "photo_html.json",
            "bundle",
            "bad_photo",
            "a \"PNG\" whose bytes are an HTML page",
            edited(|d| {
                d["photos"][0]["bytes_base64"] =
                    json!(b64(b"<html><script>alert(1)</script></html>"))
            }),
        ),
        (
            "photo_svg.json",
            "bundle",
            "bad_photo",
            "an SVG with script, declared image/svg+xml",
            edited(|d| {
                d["photos"][0]["mime"] = json!("image/svg+xml");
                d["photos"][0]["bytes_base64"] = json!(b64(b"<svg onload=\"alert(1)\"/>"));
            }),
        ),
        (
            "photo_not_base64.json",
            "bundle",
            "bad_photo",
            "photo data that is not base64",
            edited(|d| d["photos"][0]["bytes_base64"] = json!("data:image/png;base64,%%%")),
        ),
        (
            "photo_mime_lie.json",
            "bundle",
            "bad_photo",
            "PNG bytes declared as JPEG",
            edited(|d| d["photos"][0]["mime"] = json!("image/jpeg")),
        ),
        (
            "photo_zero_size.json",
            "bundle",
            "bad_photo",
            "a photo 0 pixels wide",
            edited(|d| d["photos"][0]["width"] = json!(0)),
        ),
        (
            "duplicate_response_ids.json",
            "bundle",
            "duplicate_id",
            "two responses with one UUID",
            edited(|d| {
                d["responses"][1]["id"] = d["responses"][0]["id"].clone();
            }),
        ),
        (
            "duplicate_questionnaire.json",
            "bundle",
            "duplicate_id",
            "the same questionnaire version twice",
            edited(|d| {
                let q = d["questionnaires"][0].clone();
                d["questionnaires"].as_array_mut().unwrap().push(q);
                d["manifest"]["counts"]["questionnaires"] = json!(2);
            }),
        ),
        (
            "empty_location_id.json",
            "bundle",
            "empty_id",
            "a location with an empty id",
            edited(|d| d["locations"][0]["id"] = json!("")),
        ),
        (
            "count_mismatch.json",
            "bundle",
            "count_mismatch",
            "the manifest lists 3 responses, the file 2",
            edited(|d| d["manifest"]["counts"]["responses"] = json!(3)),
        ),
        (
            "version_as_string_in_response.json",
            "bundle",
            "malformed",
            "questionnaire_version \"1\"",
            edited(|d| d["responses"][0]["questionnaire_version"] = json!("1")),
        ),
        (
            "negative_version.json",
            "bundle",
            "malformed",
            "questionnaire_version -1",
            edited(|d| d["responses"][0]["questionnaire_version"] = json!(-1)),
        ),
        (
            "negative_photo_width.json",
            "bundle",
            "malformed",
            "a photo -640 pixels wide",
            edited(|d| d["photos"][0]["width"] = json!(-640)),
        ),
        (
            "fractional_scale.json",
            "bundle",
            "malformed",
            "a scale answer of 4.5",
            edited(|d| {
                d["responses"][0]["answers"]["q-greet"]["value"] = json!({"t": "scale", "v": 4.5})
            }),
        ),
        (
            "scale_out_of_range_type.json",
            "bundle",
            "malformed",
            "a scale answer of 300 (not a byte)",
            edited(|d| {
                d["responses"][0]["answers"]["q-greet"]["value"] = json!({"t": "scale", "v": 300})
            }),
        ),
        (
            "number_as_string.json",
            "bundle",
            "malformed",
            "a number answer given as text",
            edited(|d| {
                d["responses"][0]["answers"]["q-wait"]["value"] =
                    json!({"t": "number", "v": "12,5"})
            }),
        ),
        (
            "invalid_uuid.json",
            "bundle",
            "malformed",
            "a response id that is not a UUID",
            edited(|d| d["responses"][0]["id"] = json!("1; DROP TABLE responses")),
        ),
        (
            "invalid_timestamp.json",
            "bundle",
            "malformed",
            "February 30th",
            edited(|d| d["responses"][0]["updated_at"] = json!("2026-02-30T10:00:00+03:00")),
        ),
        (
            "timestamp_without_offset.json",
            "bundle",
            "malformed",
            "a time with no time zone",
            edited(|d| d["responses"][0]["started_at"] = json!("2026-03-02 10:00:00")),
        ),
        (
            "invalid_due_date.json",
            "bundle",
            "malformed",
            "an action due on 2026-13-01",
            edited(|d| d["actions"][0]["due"] = json!("2026-13-01")),
        ),
        (
            "unknown_answer_tag.json",
            "bundle",
            "malformed",
            "an answer tagged \"maybe\"",
            edited(|d| d["responses"][0]["answers"]["q-greet"]["value"] = json!({"t": "maybe"})),
        ),
        (
            "unknown_status.json",
            "bundle",
            "malformed",
            "a response status \"approved\"",
            edited(|d| d["responses"][0]["status"] = json!("approved")),
        ),
        (
            "null_responses.json",
            "bundle",
            "malformed",
            "responses: null",
            edited(|d| d["responses"] = Value::Null),
        ),
        (
            "settings_as_list.json",
            "bundle",
            "malformed",
            "settings given as a list",
            edited(|d| d["settings"] = json!(["lang", "en"])),
        ),
        (
            "v0_list_of_numbers.json",
            "bundle",
            "malformed",
            "a first-build list holding numbers",
            b"[1, 2, 3]".to_vec(),
        ),
        (
            "invalid_published_questionnaire.json",
            "bundle",
            "invalid_questionnaire",
            "a published questionnaire with a negative weight",
            edited(|d| d["questionnaires"][0]["sections"][0]["questions"][0]["weight"] = json!(-1)),
        ),
        (
            "script_in_every_text_field.json",
            "bundle",
            "accept",
            "HTML and script in every text: valid data, shown as text",
            hostile_bundle.into_bytes(),
        ),
        (
            "v0_list_of_responses.json",
            "bundle",
            "accept",
            "what the first build saved: a bare list of responses, migrated",
            serde_json::to_string(&base(&plain).responses)
                .unwrap()
                .into_bytes(),
        ),
        (
            "questionnaire_truncated.json",
            "questionnaire",
            "not_json",
            "a questionnaire file cut short",
            questionnaire_text.as_bytes()[..questionnaire_text.len() - 10].to_vec(),
        ),
        (
            "questionnaire_newer_version.json",
            "questionnaire",
            "newer_version",
            "a questionnaire file of format 9",
            q_edited(&|d| d["format_version"] = json!(9)),
        ),
        (
            "questionnaire_bundle.json",
            "questionnaire",
            "wrong_format",
            "a backup bundle opened as a questionnaire",
            valid_text.clone().into_bytes(),
        ),
        (
            "questionnaire_unknown_type.json",
            "questionnaire",
            "malformed",
            "a question of type \"essay\"",
            q_edited(&|d| {
                d["questionnaire"]["sections"][0]["questions"][0]["type"] = json!("essay")
            }),
        ),
        (
            "questionnaire_negative_weight.json",
            "questionnaire",
            "invalid_questionnaire",
            "a question weighing -1",
            q_edited(&|d| d["questionnaire"]["sections"][0]["questions"][0]["weight"] = json!(-1)),
        ),
        (
            "questionnaire_duplicate_ids.json",
            "questionnaire",
            "invalid_questionnaire",
            "two questions with one id",
            q_edited(&|d| {
                d["questionnaire"]["sections"][0]["questions"][1]["id"] = json!("q-greet")
            }),
        ),
        (
            "questionnaire_script_in_text.json",
            "questionnaire",
            "accept",
            "HTML and script in every text of a questionnaire file",
            hostile_questionnaire.into_bytes(),
        ),
        // Valid files that try to change a device from outside (issue 17):
        // merged into a device holding base.json, each changes nothing.
        (
            "base.json",
            "bundle",
            "accept",
            "phone-a's valid backup, the store the merge cases meet",
            valid().to_string().into_bytes(),
        ),
        (
            "kiosk_settings.json",
            "merge",
            "device_local_setting",
            "a results file locking the kiosk with the sender's PIN",
            edited(|d| {
                d["settings"] = json!({
                    "kiosk.active": {"questionnaire_id": "aud", "questionnaire_version": 1, "location_id": "loc-1"},
                    "kiosk.pin": {"salt": "00".repeat(16), "hash": "00".repeat(32),
                                   "params": {"algorithm": "pbkdf2-sha256", "iterations": 10_000_000}},
                    "kiosk.draft": id(1).to_string(),
                });
                d["manifest"]["counts"]["settings"] = json!(3);
            }),
        ),
        (
            "far_future_copy.json",
            "merge",
            "in_future",
            "a stored response's id with other answers, back to draft, dated 9999",
            edited(|d| {
                let r = &mut d["responses"][0];
                r["answers"]["q-greet"]["v"] = Value::Null;
                r["answers"]["q-greet"]["t"] = json!("yes");
                r["status"] = json!("draft");
                r["location_id"] = json!("loc-elsewhere");
                r["updated_at"] = json!("9999-12-31T23:59:59+03:00");
            }),
        ),
        (
            "foreign_correction.json",
            "merge",
            "foreign_correction",
            "another device's response naming phone-a's visit in supersedes",
            edited(|d| {
                d["manifest"]["device_id"] = json!("phone-x");
                let r = &mut d["responses"][1];
                r["id"] = json!(id(50).to_string());
                r["device_id"] = json!("phone-x");
                r["supersedes"] = json!(id(1).to_string());
            }),
        ),
        (
            "built_in_template.json",
            "merge",
            "built_in_template",
            "the built-in quick audit with other wording",
            edited(|d| {
                let mut q = serde_json::to_value(
                    servicelens::templates::find("tpl-retail-quick", 1).unwrap(),
                )
                .unwrap();
                q["title"]["ru"] = json!("Другие слова");
                d["questionnaires"].as_array_mut().unwrap().push(q);
                d["manifest"]["counts"]["questionnaires"] = json!(2);
            }),
        ),
        (
            "foreign_photo.json",
            "merge",
            "foreign_response",
            "another device's photo for phone-a's visit",
            edited(|d| {
                d["manifest"]["device_id"] = json!("phone-x");
                d["responses"] = json!([]);
                d["actions"] = json!([]);
                d["manifest"]["counts"]["responses"] = json!(0);
                d["manifest"]["counts"]["actions"] = json!(0);
                d["photos"][0]["id"] = json!(id(300).to_string());
            }),
        ),
        (
            "action_skips_step.json",
            "merge",
            "status_step",
            "a corrective action marked verified without being done",
            edited(|d| d["actions"][0]["status"] = json!("verified")),
        ),
        // The bundle's limits hold for questionnaire files too: each of
        // these was accepted, after which every backup was refused.
        (
            "questionnaire_long_title.json",
            "questionnaire",
            "too_large",
            "a title of 20 000 characters",
            q_edited(&|d| d["questionnaire"]["title"]["ru"] = json!("я".repeat(20_000))),
        ),
        (
            "questionnaire_deep_condition.json",
            "questionnaire",
            "too_large",
            "a visibility condition nested 40 levels deep",
            q_edited(&|d| {
                let mut cond = json!({"answered": {"question": "q-greet"}});
                for _ in 0..40 {
                    cond = json!({"not": cond});
                }
                d["questionnaire"]["sections"][0]["questions"][1]["visible_if"] = cond;
            }),
        ),
        (
            "questionnaire_many_options.json",
            "questionnaire",
            "too_large",
            "a choice with 10 001 options",
            q_edited(&|d| {
                let options: Vec<Value> = (0..10_001)
                    .map(|i| json!({"id": format!("o{i}"), "label": {"ru": "в", "en": "o"}}))
                    .collect();
                d["questionnaire"]["sections"][0]["questions"][0]["options"] = json!(options);
            }),
        ),
    ]
}

/// The files on disk are exactly what `corpus()` describes, so the corpus
/// cannot drift from its generator. After changing a case, rewrite the files
/// with `REGENERATE_MALFORMED=1 cargo test --test malformed`.
#[test]
fn corpus_on_disk_matches_its_generator() {
    let dir = dir();
    let mut index = String::from(
        "# Malformed and hostile input: file, parser, expected error kind (or accept), what it is.\n\
         # Written by `REGENERATE_MALFORMED=1 cargo test --test malformed`.\n",
    );
    let regenerate = std::env::var_os("REGENERATE_MALFORMED").is_some();
    if regenerate {
        std::fs::create_dir_all(&dir).unwrap();
    }
    for (file, parser, expected, what, bytes) in corpus() {
        if regenerate {
            std::fs::write(dir.join(file), &bytes).unwrap();
        } else {
            let on_disk = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(
                on_disk == bytes,
                "{file} differs from its generator; regenerate the corpus"
            );
        }
        index.push_str(&format!("{file}\t{parser}\t{expected}\t{what}\n"));
    }
    if regenerate {
        std::fs::write(dir.join("INDEX.tsv"), &index).unwrap();
    } else {
        assert_eq!(
            std::fs::read_to_string(dir.join("INDEX.tsv")).unwrap(),
            index
        );
    }
}

#[test]
fn the_base_bundle_is_valid() {
    let b: Bundle = parse_bundle(&valid().to_string()).unwrap();
    assert_eq!(b.contents, base(&plain));
}
