//! Import and export through IndexedDB, in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown --test exchange`): export →
//! wipe → import gives identical data; a second import changes nothing; two
//! devices' files merge to the union; a bad file, or a write failing
//! halfway, changes nothing stored.
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeMap;

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use serde_json::json;
use servicelens::domain::photo::PhotoMeta;
use servicelens::domain::{
    AnswerValue, CorrectiveAction, Employee, LocalDate, Location, Questionnaire, Response,
    ResponseStatus, Timestamp,
};
use servicelens::exchange::bundle::{document_checksum, write_bundle, BundleError, Contents};
use servicelens::exchange::merge::{Changes, MergeReport};
use servicelens::response_pages::PAGE_SIZE;
use servicelens::schema::SCHEMA_VERSION;
use servicelens::web::storage::{ImportError, Store};
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

fn t(minutes: i64) -> Timestamp {
    Timestamp::new(1_772_434_800_000 + minutes * 60_000, 180)
}

fn fresh_name() -> String {
    format!("servicelens-exchange-{}", Uuid::new_v4())
}

fn audit() -> Questionnaire {
    serde_json::from_value(json!({
        "id": "aud", "version": 1, "kind": "audit", "status": "published",
        "title": {"ru": "Проверка", "en": "Audit"},
        "sections": [{"id": "s1", "title": {"ru": "Вход", "en": "Entrance"}, "questions": [
            {"id": "q-greet", "type": "yes_no", "text": {"ru": "Поздоровались?", "en": "Greeted?"},
             "comment_allowed": true},
            {"id": "q-wait", "type": "number", "text": {"ru": "Ожидание", "en": "Wait"}}
        ]}]
    }))
    .unwrap()
}

fn response(device: &str, minutes: i64) -> Response {
    let mut r = Response::new_draft(Uuid::new_v4(), "aud", 1, "loc-1", device, t(minutes));
    r.set_answer("q-greet", AnswerValue::No, t(minutes + 1));
    r.set_answer("q-wait", AnswerValue::Number(12.5), t(minutes + 2));
    r.answers.get_mut("q-greet").unwrap().comment = "<script>alert(1)</script> — ünï".into();
    r.status = ResponseStatus::Submitted;
    r.submitted_at = Some(t(minutes + 3));
    r.updated_at = t(minutes + 3);
    r
}

/// A device's data: the audit, two responses, one of everything else.
fn device_data(device: &str, minutes: i64) -> (Contents, Vec<(PhotoMeta, Vec<u8>)>) {
    let responses = vec![response(device, minutes), response(device, minutes + 10)];
    let photo = PhotoMeta {
        id: Uuid::new_v4(),
        response_id: responses[0].id,
        question_id: "q-greet".into(),
        mime: "image/png".into(),
        width: 1,
        height: 1,
        bytes: PNG.len() as u64,
        taken_at: t(minutes + 1),
    };
    let contents = Contents {
        questionnaires: vec![audit()],
        actions: vec![CorrectiveAction {
            id: Uuid::new_v4(),
            response_id: responses[0].id,
            question_id: "q-greet".into(),
            location_id: "loc-1".into(),
            assignee: format!("Anna {device}"),
            due: LocalDate::new(2026, 3, 9),
            status: Default::default(),
            note: "Talk to the team".into(),
            created_at: t(minutes + 5),
            updated_at: t(minutes + 5),
        }],
        responses,
        locations: vec![Location {
            id: "loc-1".into(),
            name: "Main street".into(),
        }],
        employees: vec![Employee {
            id: format!("emp-{device}"),
            name: "Anna".into(),
            role: "Cashier".into(),
            location_id: "loc-1".into(),
            updated_at: t(0),
        }],
        settings: BTreeMap::from([(format!("seen-{device}"), json!({"n": 1, "on": true}))]),
        photos: vec![],
    };
    (contents, vec![(photo, PNG.to_vec())])
}

fn blob(bytes: &[u8], mime: &str) -> web_sys::Blob {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).unwrap()
}

/// Stores `c` and the photos record by record, as the app does.
async fn store_by_hand(store: &Store, c: &Contents, photos: &[(PhotoMeta, Vec<u8>)]) {
    for q in &c.questionnaires {
        store.put_questionnaire(q).await.unwrap();
    }
    for r in &c.responses {
        store.put_response(r).await.unwrap();
    }
    for l in &c.locations {
        store.put_location(l).await.unwrap();
    }
    for e in &c.employees {
        store.put_employee(e).await.unwrap();
    }
    for a in &c.actions {
        store.put_action(a).await.unwrap();
    }
    for (k, v) in &c.settings {
        store.put_setting(k, v).await.unwrap();
    }
    for (meta, bytes) in photos {
        store
            .put_photo(meta, &blob(bytes, &meta.mime))
            .await
            .unwrap();
    }
}

fn added(r: &MergeReport) -> usize {
    r.kinds.iter().map(|k| k.added.len()).sum()
}

fn conflicts(r: &MergeReport) -> usize {
    r.kinds.iter().map(|k| k.conflicts.len()).sum()
}

async fn export(store: &Store, device: &str) -> String {
    let contents = store.export_contents().await.unwrap();
    write_bundle(&contents, t(100), device, "test").unwrap()
}

async fn wipe(name: &str, store: Store) -> Store {
    store.close();
    Database::delete_by_name(name).unwrap().await.unwrap();
    Store::open_named(name).await.unwrap()
}

#[wasm_bindgen_test]
async fn export_wipe_import_gives_identical_data_and_a_second_import_changes_nothing() {
    let name = fresh_name();
    let store = Store::open_named(&name).await.unwrap();
    let (contents, photos) = device_data("phone-a", 0);
    store_by_hand(&store, &contents, &photos).await;
    let before = store.export_contents().await.unwrap();
    assert_eq!(before.responses.len(), 2);
    assert_eq!(before.photos.len(), 1);
    assert_eq!(before.photos[0].bytes().unwrap(), PNG);
    assert_eq!(before.settings, contents.settings);
    let file = export(&store, "phone-a").await;

    // Settings are device-local (exchange::trust): the file carries none,
    // so the wiped device gets everything else back.
    let before = Contents {
        settings: Default::default(),
        ..before
    };
    let store = wipe(&name, store).await;
    assert_eq!(store.export_contents().await.unwrap(), Contents::default());
    let report = store.import_bundle(&file).await.unwrap();
    assert_eq!(added(&report), 7, "{report:?}");
    let after = store.export_contents().await.unwrap();
    assert_eq!(after, before);
    // The photo is a Blob again, as the fill form stores it.
    let (meta, picture) = &store.photos_of(photos[0].0.response_id).await.unwrap()[0];
    assert_eq!(meta, &photos[0].0);
    assert_eq!(picture.type_(), "image/png");
    assert_eq!(picture.size() as usize, PNG.len());

    let again = store.import_bundle(&file).await.unwrap();
    assert!(!again.changed(), "{again:?}");
    assert_eq!(store.export_contents().await.unwrap(), before);
    assert!(store.conflicts().await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn two_devices_merge_to_the_union() {
    let a = Store::open_named(&fresh_name()).await.unwrap();
    let b = Store::open_named(&fresh_name()).await.unwrap();
    let (ca, pa) = device_data("phone-a", 0);
    let (cb, pb) = device_data("phone-b", 60);
    store_by_hand(&a, &ca, &pa).await;
    store_by_hand(&b, &cb, &pb).await;
    let (fa, fb) = (export(&a, "phone-a").await, export(&b, "phone-b").await);

    let office = Store::open_named(&fresh_name()).await.unwrap();
    office.import_bundle(&fa).await.unwrap();
    office.import_bundle(&fb).await.unwrap();
    let got = office.export_contents().await.unwrap();
    let ids = |c: &Contents| {
        let mut v: Vec<Uuid> = c.responses.iter().map(|r| r.id).collect();
        v.sort();
        v
    };
    let mut union: Vec<Uuid> = ids(&ca).into_iter().chain(ids(&cb)).collect();
    union.sort();
    assert_eq!(ids(&got), union);
    assert_eq!(got.questionnaires, vec![audit()]);
    assert_eq!(got.locations.len(), 1);
    assert_eq!(got.employees.len(), 2);
    assert_eq!(got.actions.len(), 2);
    assert_eq!(got.photos.len(), 2);
    // Each device's settings stayed on it.
    assert!(got.settings.is_empty());
    // The same files in the other order give the same store.
    let other = Store::open_named(&fresh_name()).await.unwrap();
    other.import_bundle(&fb).await.unwrap();
    other.import_bundle(&fa).await.unwrap();
    assert_eq!(other.export_contents().await.unwrap(), got);
}

#[wasm_bindgen_test]
async fn a_conflicting_copy_is_stored_beside_the_record_once() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let (contents, _) = device_data("phone-a", 0);
    store_by_hand(&store, &contents, &[]).await;
    // Another device renamed the location: no clock can tell which name
    // is right, so both are kept for a person to choose.
    let mut changed = contents.clone();
    changed.locations[0].name = "Main street, 2nd entrance".into();
    let file = write_bundle(&changed, t(100), "phone-b", "test").unwrap();
    let report = store.import_bundle(&file).await.unwrap();
    assert_eq!(conflicts(&report), 1, "{report:?}");
    let stored = store.conflicts().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].from_device, "phone-b");
    // The stored record stays as it was.
    assert_eq!(store.locations().await.unwrap(), contents.locations);
    store.import_bundle(&file).await.unwrap();
    assert_eq!(store.conflicts().await.unwrap(), stored);
}

#[wasm_bindgen_test]
async fn a_bad_file_changes_nothing_stored() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let (contents, photos) = device_data("phone-a", 0);
    store_by_hand(&store, &contents, &photos).await;
    let before = store.export_contents().await.unwrap();
    let (other, _) = device_data("phone-b", 60);
    let good = write_bundle(&other, t(100), "phone-b", "test").unwrap();
    let bad = [
        good[..good.len() / 2].to_owned(),
        good.replacen("12.5", "13.5", 1),
        good.replacen("\"format_version\":1", "\"format_version\":2", 1),
        "<html><script>alert(1)</script></html>".to_owned(),
    ];
    for text in &bad {
        match store.import_bundle(text).await {
            Err(ImportError::Bundle(_)) => {}
            other => panic!("{other:?}"),
        }
        assert_eq!(store.export_contents().await.unwrap(), before);
    }
}

#[wasm_bindgen_test]
async fn a_write_failing_halfway_leaves_nothing() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let (contents, photos) = device_data("phone-a", 0);
    let (extra, _) = device_data("phone-b", 60);
    store_by_hand(&store, &contents, &photos).await;
    let before = store.export_contents().await.unwrap();
    // Responses, settings and a good photo go first; the second photo's
    // data does not decode, after the rest was put in the transaction.
    let mut good = before.photos[0].clone();
    good.id = Uuid::new_v4();
    let mut broken = good.clone();
    broken.id = Uuid::new_v4();
    broken.bytes_base64 = "not base64!".into();
    let changes = Changes {
        responses: extra.responses.clone(),
        employees: extra.employees.clone(),
        settings: extra.settings.clone(),
        photos: vec![good, broken],
        ..Changes::default()
    };
    assert!(store.apply(&changes).await.is_err());
    assert_eq!(store.export_contents().await.unwrap(), before);
    // Without the broken photo the same changes land whole.
    let changes = Changes {
        photos: changes.photos[..1].to_vec(),
        ..changes
    };
    store.apply(&changes).await.unwrap();
    let after = store.export_contents().await.unwrap();
    assert_eq!(after.responses.len(), 4);
    assert_eq!(after.employees.len(), 2);
    assert_eq!(after.photos.len(), 2);
    assert_eq!(after.settings.len(), 2);
}

#[wasm_bindgen_test]
async fn a_file_whose_later_part_is_malformed_stores_nothing() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let (contents, photos) = device_data("phone-a", 0);
    store_by_hand(&store, &contents, &photos).await;
    let before = store.export_contents().await.unwrap();
    // Another device's file, sealed again after its settings (listed after
    // the responses, which are written as they are read) were broken: the
    // checksum holds, the typed read fails past the responses.
    let (other, _) = device_data("phone-b", 60);
    let good = write_bundle(&other, t(100), "phone-b", "test").unwrap();
    let mut d: serde_json::Value = serde_json::from_str(&good).unwrap();
    d["settings"] = json!([1]);
    d["manifest"]["checksum"] = json!(document_checksum(&d).unwrap());
    let bad = d.to_string();
    assert!(bad.find("\"settings\":[") > bad.find("\"responses\":["));
    match store.import_bundle(&bad).await {
        Err(ImportError::Bundle(BundleError::Malformed { detail })) => {
            assert!(detail.starts_with("settings"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(store.export_contents().await.unwrap(), before);
    assert!(store.conflicts().await.unwrap().is_empty());
    // The file as written goes in whole.
    let report = store.import_bundle(&good).await.unwrap();
    assert_eq!(
        report
            .kind(servicelens::exchange::bundle::RecordKind::Response)
            .added
            .len(),
        2
    );
    assert_eq!(store.export_contents().await.unwrap().responses.len(), 4);
}

/// A database of the current schema whose `response_pages` store (where
/// an import puts responses new to the device) is made by `pages`, so that
/// writing them fails the way a test needs.
async fn store_with_pages(
    pages: impl Fn(&Database) -> indexed_db_futures::Result<()> + 'static,
) -> Store {
    let name = fresh_name();
    let db = Database::open(&name)
        .with_version(SCHEMA_VERSION)
        .with_on_upgrade_needed(move |_, db| {
            for (store, key) in [
                ("responses", "id"),
                ("locations", "id"),
                ("employees", "id"),
                ("actions", "id"),
                ("settings", "key"),
                ("conflicts", "key"),
            ] {
                db.create_object_store(store)
                    .with_key_path(key.into())
                    .build()?;
            }
            db.create_object_store("questionnaires")
                .with_key_path(["id", "version"].into())
                .build()?;
            db.create_object_store("photos")
                .with_key_path("id".into())
                .build()?
                .create_index("by_response", "response_id".into())
                .build()?;
            pages(&db)
        })
        .await
        .unwrap();
    db.close();
    Store::open_named(&name).await.unwrap()
}

#[wasm_bindgen_test]
async fn a_put_failing_while_the_file_is_read_stores_nothing() {
    // Pages keyed by a field they lack: the first page put of the file
    // throws while the file is still being read.
    let store = store_with_pages(|db| {
        db.create_object_store("response_pages")
            .with_key_path("no_such_field".into())
            .build()?;
        Ok(())
    })
    .await;
    let (other, _) = device_data("phone-b", 60);
    let file = write_bundle(&other, t(100), "phone-b", "test").unwrap();
    match store.import_bundle(&file).await {
        Err(ImportError::Storage(_)) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(store.export_contents().await.unwrap(), Contents::default());
}

#[wasm_bindgen_test]
async fn a_put_refused_by_the_database_after_the_file_was_read_stores_nothing() {
    // Two full pages of responses, and a unique index on a page's length:
    // the second page's put breaks it, which IndexedDB reports after the
    // puts were issued, and the transaction aborts with the file's other
    // records.
    let store = store_with_pages(|db| {
        db.create_object_store("response_pages")
            .with_key_path("id".into())
            .build()?
            .create_index("one_per_length", "ids.length".into())
            .with_unique(true)
            .build()?;
        Ok(())
    })
    .await;
    let (mut other, _) = device_data("phone-b", 60);
    other.responses = (0..2 * PAGE_SIZE as i64)
        .map(|i| response("phone-b", i))
        .collect();
    let file = write_bundle(&other, t(100_000), "phone-b", "test").unwrap();
    match store.import_bundle(&file).await {
        Err(ImportError::Storage(_)) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(store.export_contents().await.unwrap(), Contents::default());
    assert!(store.conflicts().await.unwrap().is_empty());
}

/// Every response of `store`, as a reader sees them, by id.
async fn by_id(store: &Store) -> BTreeMap<Uuid, Response> {
    let all = store.responses().await.unwrap();
    let n = all.len();
    let map: BTreeMap<Uuid, Response> = all.into_iter().map(|r| (r.id, r)).collect();
    assert_eq!(map.len(), n, "each response is read once");
    map
}

#[wasm_bindgen_test]
async fn imported_responses_are_read_updated_and_deleted_from_their_pages() {
    // More than two pages of responses from another device.
    let (mut other, _) = device_data("phone-b", 0);
    other.responses = (0..2 * PAGE_SIZE as i64 + 7)
        .map(|i| response("phone-b", i))
        .collect();
    let first = write_bundle(&other, t(100_000), "phone-b", "test").unwrap();
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let report = store.import_bundle(&first).await.unwrap();
    assert!(report.changed());
    let stored = by_id(&store).await;
    let expected: BTreeMap<Uuid, Response> =
        other.responses.iter().map(|r| (r.id, r.clone())).collect();
    assert_eq!(stored, expected);
    // One record per page, not per response.
    let pages = raw_count(&store_name(&store), "response_pages").await;
    assert_eq!(pages, 3);
    assert_eq!(raw_count(&store_name(&store), "responses").await, 0);

    // Found one by one.
    let some = &other.responses[PAGE_SIZE + 3];
    assert_eq!(
        store.get_response(some.id).await.unwrap().as_ref(),
        Some(some)
    );

    // The same file again changes nothing.
    assert!(!store.import_bundle(&first).await.unwrap().changed());
    assert_eq!(by_id(&store).await, expected);

    // A later file with a copy of two paged responses further along (the
    // other device exported them; a submitted response changes in nothing
    // else): their pages are written again, the other members kept.
    let mut newer = other.clone();
    newer.responses = vec![
        other.responses[1].clone(),
        other.responses[PAGE_SIZE * 2 + 1].clone(),
    ];
    for r in &mut newer.responses {
        r.status = ResponseStatus::Exported;
    }
    let second = write_bundle(&newer, t(200_001), "phone-b", "test").unwrap();
    let report = store.import_bundle(&second).await.unwrap();
    assert!(report.changed(), "{report:?}");
    let mut expected = expected;
    for r in &newer.responses {
        expected.insert(r.id, r.clone());
    }
    assert_eq!(by_id(&store).await, expected);
    assert_eq!(raw_count(&store_name(&store), "response_pages").await, 3);

    // Changed on this device: the single record is the one read.
    let mut edited = other.responses[2].clone();
    edited.set_answer("q-wait", AnswerValue::Number(1.0), t(300_000));
    edited.updated_at = t(300_000);
    store.put_response(&edited).await.unwrap();
    expected.insert(edited.id, edited.clone());
    assert_eq!(by_id(&store).await, expected);
    assert_eq!(
        store.get_response(edited.id).await.unwrap(),
        Some(edited.clone())
    );
    // An older file does not bring the page's copy back.
    assert!(!store.import_bundle(&first).await.unwrap().changed());
    assert_eq!(by_id(&store).await, expected);

    // Deleted: gone from its page and from the single records.
    for gone in [other.responses[0].id, edited.id] {
        store.delete_response(gone).await.unwrap();
        expected.remove(&gone);
        assert_eq!(store.get_response(gone).await.unwrap(), None);
    }
    assert_eq!(by_id(&store).await, expected);

    // Export → wipe → import keeps exactly this.
    let name = store_name(&store);
    let file = export(&store, "phone-a").await;
    let before = store.export_contents().await.unwrap();
    let store = wipe(&name, store).await;
    store.import_bundle(&file).await.unwrap();
    assert_eq!(store.export_contents().await.unwrap(), before);
}

/// A page that held only one response is deleted with it.
#[wasm_bindgen_test]
async fn deleting_the_last_response_of_a_page_deletes_the_page() {
    let (other, _) = device_data("phone-b", 0);
    let mut one = other.clone();
    one.responses.truncate(1);
    let store = Store::open_named(&fresh_name()).await.unwrap();
    store
        .import_bundle(&write_bundle(&one, t(100), "phone-b", "test").unwrap())
        .await
        .unwrap();
    assert_eq!(raw_count(&store_name(&store), "response_pages").await, 1);
    store.delete_response(one.responses[0].id).await.unwrap();
    assert_eq!(raw_count(&store_name(&store), "response_pages").await, 0);
    assert!(store.responses().await.unwrap().is_empty());
}

fn store_name(store: &Store) -> String {
    store.name()
}

/// How many records `store_name` of the database `name` holds, counted
/// past the app's code.
async fn raw_count(name: &str, store_name: &str) -> u32 {
    let db = Database::open(name).await.unwrap();
    let tx = db.transaction(store_name).build().unwrap();
    let n = tx.object_store(store_name).unwrap().count().await.unwrap();
    drop(tx);
    db.close();
    n
}
