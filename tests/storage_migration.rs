//! Opening a database written by an earlier schema version finds every
//! record. The fixtures are the records as the schema-1 build stored them;
//! the schema-1 layout is frozen below, not taken from the current code.
#![cfg(target_arch = "wasm32")]

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use servicelens::domain::{AnswerValue, ResponseStatus};
use servicelens::schema::SCHEMA_VERSION;
use servicelens::web::storage::Store;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const V1_RESPONSES: &str = include_str!("fixtures/schema_v1/responses.json");
const V1_LOCATIONS: &str = include_str!("fixtures/schema_v1/locations.json");

async fn write_schema_v1(name: &str) {
    let db = Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("responses")
                .with_key_path("id".into())
                .build()?;
            db.create_object_store("locations")
                .with_key_path("id".into())
                .build()?;
            Ok(())
        })
        .await
        .expect("open v1");
    let tx = db
        .transaction(["responses", "locations"])
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    for (store, json) in [("responses", V1_RESPONSES), ("locations", V1_LOCATIONS)] {
        let records = js_sys::Array::from(&js_sys::JSON::parse(json).unwrap());
        let os = tx.object_store(store).unwrap();
        for record in records.iter() {
            os.put(record).primitive().unwrap().await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    db.close();
}

#[wasm_bindgen_test]
async fn schema_1_database_opens_with_every_record() {
    assert!(
        SCHEMA_VERSION > 1,
        "this test guards the upgrade from schema 1"
    );
    let name = format!("servicelens-migration-{}", Uuid::new_v4());
    write_schema_v1(&name).await;

    let store = Store::open_named(&name).await.expect("upgrade");
    let mut responses = store.responses().await.expect("responses readable");
    responses.sort_by_key(|r| r.started_at);
    assert_eq!(responses.len(), 2);
    assert_eq!(responses[0].status, ResponseStatus::Submitted);
    assert_eq!(responses[0].answers.len(), 6);
    assert_eq!(
        responses[0].answers["q-greeting"].comment,
        "Никто не подошёл"
    );
    assert_eq!(responses[0].answers["q-needs"].value, AnswerValue::Na);
    assert_eq!(responses[1].status, ResponseStatus::Draft);
    assert_eq!(responses[1].answers["q-entrance"].value, AnswerValue::No);
    let locations = store.locations().await.unwrap();
    assert_eq!(locations.len(), 1);
    assert_eq!(locations[0].name, "Основная точка");
    // The stores added since schema 1 exist and work.
    assert!(store.questionnaires().await.unwrap().is_empty());
    store.close();
}

#[wasm_bindgen_test]
async fn a_database_created_empty_by_someone_else_gets_every_store() {
    let name = format!("servicelens-empty-{}", Uuid::new_v4());
    // What `indexedDB.open(name)` without a version does: version 1, no stores.
    Database::open(&name).await.expect("open bare").close();
    let store = Store::open_named(&name)
        .await
        .expect("open with the app's schema");
    assert!(store.responses().await.unwrap().is_empty());
    assert!(store.employees().await.unwrap().is_empty());
    assert!(store.export_contents().await.is_ok());
    assert!(store.conflicts().await.unwrap().is_empty());
}

/// The lean respondent page (`respondent::db`) creates the schema without
/// this crate's storage code. Responses later imported into that database
/// are found one by one, which needs its `response_pages` index to be
/// multi-entry, as `storage::upgrade` makes it.
#[wasm_bindgen_test]
async fn a_database_the_respondent_page_created_finds_imported_responses_by_id() {
    use servicelens::domain::{Response, Timestamp};
    use servicelens::exchange::bundle::{write_bundle, Contents};
    use servicelens::schema::DB_NAME;

    Database::delete_by_name(DB_NAME).unwrap().await.unwrap();
    let created = servicelens::web::platform::idb::open()
        .await
        .ok()
        .expect("the page opens it");
    assert!(created.object_store_names().contains("response_pages"));
    let q = &servicelens::templates::built_in()[0];
    let at = Timestamp::new(1_772_434_800_000, 180);
    let responses: Vec<Response> = (0..3)
        .map(|_| {
            let mut r = Response::new_draft(Uuid::new_v4(), &q.id, q.version, "", "phone-b", at);
            r.status = ResponseStatus::Submitted;
            r.submitted_at = Some(at);
            r
        })
        .collect();
    let file = write_bundle(
        &Contents {
            responses: responses.clone(),
            ..Contents::default()
        },
        at,
        "phone-b",
        "test",
    )
    .unwrap();

    let store = Store::open_named(DB_NAME).await.unwrap();
    assert!(store.import_bundle(&file).await.unwrap().changed());
    for r in &responses {
        assert_eq!(store.get_response(r.id).await.unwrap().as_ref(), Some(r));
    }
    store.delete_response(responses[1].id).await.unwrap();
    assert_eq!(store.get_response(responses[1].id).await.unwrap(), None);
    assert_eq!(store.responses().await.unwrap().len(), 2);
}

/// The schema-6 layout, frozen: every store before the sealed inbox.
async fn write_schema_v6(name: &str) {
    let db = Database::open(name)
        .with_version(6u32)
        .with_on_upgrade_needed(|_, db| {
            for store in [
                "responses",
                "locations",
                "employees",
                "actions",
                "photos",
                "response_pages",
            ] {
                db.create_object_store(store)
                    .with_key_path("id".into())
                    .build()?;
            }
            for store in ["settings", "conflicts"] {
                db.create_object_store(store)
                    .with_key_path("key".into())
                    .build()?;
            }
            db.create_object_store("questionnaires")
                .with_key_path(["id", "version"].into())
                .build()?;
            Ok(())
        })
        .await
        .expect("open v6");
    let tx = db
        .transaction(["responses", "settings"])
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let responses = js_sys::Array::from(&js_sys::JSON::parse(V1_RESPONSES).unwrap());
    let os = tx.object_store("responses").unwrap();
    for record in responses.iter() {
        os.put(record).primitive().unwrap().await.unwrap();
    }
    let setting = js_sys::JSON::parse(r#"{"key":"device_id","value":"phone-6"}"#).unwrap();
    tx.object_store("settings")
        .unwrap()
        .put(setting)
        .primitive()
        .unwrap()
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db.close();
}

const SEALED_INBOX_STORES: [&str; 3] = ["outbox", "team_keys", "quarantine"];

#[wasm_bindgen_test]
async fn schema_6_database_opened_by_the_app_keeps_its_records_and_gets_the_inbox_stores() {
    assert!(
        SCHEMA_VERSION >= 7,
        "this test guards the upgrade from 6 to 7"
    );
    let name = format!("servicelens-v6-app-{}", Uuid::new_v4());
    write_schema_v6(&name).await;

    let store = Store::open_named(&name).await.expect("upgrade");
    assert_eq!(store.responses().await.unwrap().len(), 2);
    assert_eq!(
        store.get_setting::<String>("device_id").await.unwrap(),
        Some("phone-6".to_owned())
    );
    assert!(store.outbox().await.unwrap().is_empty());
    store.close();
    let db = Database::open(&name).await.unwrap();
    let names: Vec<String> = db.object_store_names().collect();
    for s in SEALED_INBOX_STORES {
        assert!(names.iter().any(|n| n == s), "{s} in {names:?}");
    }
    db.close();
}

#[wasm_bindgen_test]
async fn schema_6_database_opened_by_the_respondent_page_keeps_its_records_and_gets_the_inbox_stores(
) {
    let name = format!("servicelens-v6-page-{}", Uuid::new_v4());
    write_schema_v6(&name).await;

    let db = servicelens::web::platform::idb::open_named(&name)
        .await
        .ok()
        .expect("the page upgrades it");
    assert_eq!(db.version() as u32, SCHEMA_VERSION);
    let names = db.object_store_names();
    for s in SEALED_INBOX_STORES {
        assert!(names.contains(s), "{s}");
    }
    db.close();
    // What the page upgraded, the app reads whole.
    let store = Store::open_named(&name).await.unwrap();
    assert_eq!(store.responses().await.unwrap().len(), 2);
    assert_eq!(
        store.get_setting::<String>("device_id").await.unwrap(),
        Some("phone-6".to_owned())
    );
    store.close();
}

/// The schema-7 layout, frozen: every store before team sync.
async fn write_schema_v7(name: &str) {
    write_schema_v6(name).await;
    let db = Database::open(name)
        .with_version(7u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("outbox")
                .with_key_path("response_id".into())
                .build()?;
            db.create_object_store("team_keys")
                .with_key_path("kid".into())
                .build()?;
            db.create_object_store("quarantine")
                .with_key_path(["doc_id", "kind"].into())
                .build()?;
            Ok(())
        })
        .await
        .expect("open v7");
    db.close();
}

#[wasm_bindgen_test]
async fn schema_7_database_gets_the_sync_stores_and_keeps_a_replica_between_openings() {
    assert_eq!(
        SCHEMA_VERSION, 8,
        "this test guards the upgrade from 7 to 8"
    );
    let name = format!("servicelens-v7-app-{}", Uuid::new_v4());
    write_schema_v7(&name).await;

    let store = Store::open_named(&name).await.expect("upgrade");
    assert_eq!(store.responses().await.unwrap().len(), 2, "records kept");
    let mut replica = store.load_replica().await.unwrap();
    let contents = servicelens::exchange::bundle::Contents {
        locations: vec![servicelens::domain::Location {
            id: "loc-1".into(),
            name: "Main street".into(),
        }],
        ..Default::default()
    };
    assert_eq!(replica.waiting(&contents), 1);
    assert_eq!(replica.write_outgoing(&contents), 1);
    store
        .save_replica(&replica.take_saved(), None)
        .await
        .unwrap();
    store.close();

    let store = Store::open_named(&name).await.unwrap();
    let again = store.load_replica().await.unwrap();
    assert_eq!(again.base("location:loc-1"), replica.base("location:loc-1"));
    assert_eq!(
        again.store.winning_rev("location:loc-1"),
        replica.store.winning_rev("location:loc-1")
    );
    assert_eq!(again.unpushed(), vec!["location:loc-1".to_owned()]);
    assert_eq!(again.waiting(&contents), 1, "written, not pushed yet");
    store.close();
}
