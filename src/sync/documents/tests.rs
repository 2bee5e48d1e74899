use serde_json::json;

use super::*;
use crate::exchange::bundle::check_contents;
use crate::exchange::test_data::{sample, uuid};
use crate::replication::rev::Rev;
use crate::replication::rev_tree::Revisions;

fn records() -> Vec<Record> {
    let c = sample();
    let mut out = Vec::new();
    out.extend(c.questionnaires.into_iter().map(Record::Questionnaire));
    out.extend(c.responses.into_iter().map(Record::Response));
    out.extend(c.photos.into_iter().map(Record::Photo));
    out.extend(c.locations.into_iter().map(Record::Location));
    out.extend(c.employees.into_iter().map(Record::Employee));
    out.extend(c.actions.into_iter().map(Record::Action));
    out
}

/// What a peer sends for `doc`: its winning revision, attachments inline.
fn replicated(doc: &Doc) -> ReplicatedDoc {
    ReplicatedDoc {
        id: doc.id.clone(),
        rev: Rev::new(1, "a1"),
        revisions: Revisions {
            start: 1,
            ids: vec!["a1".into()],
        },
        deleted: false,
        body: doc.body.clone(),
        attachments: doc
            .attachments
            .iter()
            .map(|(name, (ct, data))| (name.clone(), attachment(ct, data.clone(), 1)))
            .collect(),
    }
}

#[test]
fn every_shared_record_round_trips_and_drafts_stay_home() {
    let all = records();
    let mut back = Vec::new();
    for r in &all {
        match to_doc(r) {
            None => assert!(
                matches!(r, Record::Response(x) if x.is_draft()),
                "only the sample's draft stays: {}",
                doc_id(r)
            ),
            Some(doc) => {
                assert_eq!(doc.id, doc_id(r));
                assert_eq!(doc.body["type"], type_name(r.kind()));
                let read = from_doc(&replicated(&doc)).unwrap();
                assert_eq!(&read, r);
                back.push(read);
            }
        }
    }
    assert_eq!(back.len(), all.len() - 1);
    // What comes back passes the checks of an imported file.
    check_contents(&into_contents(back)).unwrap();
}

#[test]
fn ids_are_typed_and_a_photo_travels_as_an_attachment() {
    let all = records();
    let ids: Vec<String> = all.iter().filter_map(to_doc).map(|d| d.id).collect();
    assert!(ids.contains(&format!("response:{}", uuid(1))));
    assert!(ids.contains(&"location:loc-1".to_owned()));
    assert!(ids.contains(&"employee:emp-2".to_owned()));
    assert!(ids.contains(&format!("action:{}", uuid(100))));
    assert!(ids.contains(&format!("photo:{}", uuid(200))));
    assert!(ids
        .iter()
        .any(|id| id.starts_with("questionnaire:") && id.ends_with(":1")));
    let photo = all
        .iter()
        .find(|r| matches!(r, Record::Photo(_)))
        .and_then(to_doc)
        .unwrap();
    assert!(!photo.body.contains_key("bytes_base64"));
    let (ct, data) = &photo.attachments[PHOTO_ATTACHMENT];
    assert_eq!(ct, "image/png");
    assert!(data.starts_with(b"\x89PNG"));
}

#[test]
fn record_fields_never_collide_with_the_document_fields() {
    for r in records() {
        if let Some(doc) = to_doc(&r) {
            let fields = to_map(&r);
            for reserved in ["type", "v"] {
                assert!(!fields.contains_key(reserved), "{}: {reserved}", doc.id);
            }
            assert!(fields.keys().all(|k| !k.starts_with('_')), "{}", doc.id);
        }
    }
}

#[test]
fn a_built_in_template_and_a_draft_version_stay_on_the_device() {
    let mut built_in = crate::templates::find("tpl-loyalty-button", 1).unwrap();
    built_in.status = VersionStatus::Published;
    assert!(to_doc(&Record::Questionnaire(built_in)).is_none());
    let mut draft = sample().questionnaires.remove(0);
    draft.status = VersionStatus::Draft;
    assert!(to_doc(&Record::Questionnaire(draft)).is_none());
}

#[test]
fn what_is_not_one_of_our_records_is_refused_with_its_reason() {
    let response = records()
        .into_iter()
        .find(|r| matches!(r, Record::Response(x) if !x.is_draft()))
        .unwrap();
    let good = replicated(&to_doc(&response).unwrap());
    let with = |f: &dyn Fn(&mut ReplicatedDoc)| {
        let mut d = good.clone();
        f(&mut d);
        from_doc(&d)
    };
    assert_eq!(with(&|d| d.deleted = true), Err(DocError::Deleted));
    assert_eq!(
        with(&|d| {
            d.body.insert("type".into(), "invoice".into());
        }),
        Err(DocError::UnknownType {
            found: "invoice".into()
        })
    );
    assert_eq!(
        with(&|d| {
            d.body.remove("type");
        }),
        Err(DocError::UnknownType { found: "".into() })
    );
    assert_eq!(
        with(&|d| {
            d.body.insert("v".into(), 2.into());
        }),
        Err(DocError::NewerVersion {
            found: 2,
            supported: 1
        })
    );
    assert!(matches!(
        with(&|d| {
            d.body.remove("v");
        }),
        Err(DocError::Malformed { .. })
    ));
    assert!(matches!(
        with(&|d| {
            d.body.insert("answers".into(), json!("none"));
        }),
        Err(DocError::Malformed { .. })
    ));
    // Moved under another response's id.
    let other = format!("response:{}", uuid(77));
    assert_eq!(
        with(&|d| d.id = other.clone()),
        Err(DocError::IdMismatch {
            id: other.clone(),
            expected: good.id.clone()
        })
    );
    // A peer's draft.
    assert_eq!(
        with(&|d| {
            d.body.insert("status".into(), "draft".into());
            d.body.insert("submitted_at".into(), json!(null));
        }),
        Err(DocError::Draft)
    );
    // A photo whose picture did not come.
    let photo = records()
        .into_iter()
        .find(|r| matches!(r, Record::Photo(_)))
        .unwrap();
    let mut doc = replicated(&to_doc(&photo).unwrap());
    doc.attachments.clear();
    assert_eq!(from_doc(&doc), Err(DocError::NoPicture));
}

#[test]
fn every_error_reads_in_both_languages() {
    for e in [
        DocError::Deleted,
        DocError::UnknownType { found: "x".into() },
        DocError::NewerVersion {
            found: 2,
            supported: 1,
        },
        DocError::Malformed { detail: "x".into() },
        DocError::IdMismatch {
            id: "a".into(),
            expected: "b".into(),
        },
        DocError::Draft,
        DocError::NoPicture,
    ] {
        let (ru, en) = (e.message(Lang::Ru), e.message(Lang::En));
        assert!(!ru.is_empty() && !en.is_empty() && ru != en, "{e:?}");
    }
}
