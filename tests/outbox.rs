//! A field device's outbox records as both openers store them: the
//! courier (`web::courier`, JSON through web-sys) and the full app
//! (`storage::Store`) read each other's records whole, and the pages'
//! glance (`transport::courier::anything_waits`) reads both.
#![cfg(target_arch = "wasm32")]

use servicelens::delivery::{InboxTarget, OutboxRecord, ServerConfig, Status};
use servicelens::domain::{Response, ResponseStatus, Timestamp};
use servicelens::schema::DB_NAME;
use servicelens::seal::{system_rng, TeamKeyPair};
use servicelens::web::courier::DeviceOutbox;
use servicelens::web::storage::Store;
use servicelens::web::transport::pump::OutboxStore;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn record(now_ms: u64) -> OutboxRecord {
    let target = InboxTarget {
        server: ServerConfig::parse("http://127.0.0.1:5985", "inbox", "forms", "team").unwrap(),
        key: TeamKeyPair::generate(&mut system_rng()).public_key(),
    };
    let q = &servicelens::templates::built_in()[0];
    let at = Timestamp::new(1_772_434_800_000, 180);
    let mut r = Response::new_draft(Uuid::new_v4(), &q.id, q.version, "", "phone", at);
    r.status = ResponseStatus::Submitted;
    r.submitted_at = Some(at);
    OutboxRecord::seal(&target, &r, &[], &mut system_rng(), now_ms).unwrap()
}

#[wasm_bindgen_test]
async fn a_record_the_page_keeps_the_app_reads_and_back() {
    // A time in ms well above 2^32: the back-off's clock must survive as a number.
    let written = record(1_772_434_800_123);
    DeviceOutbox.keep(&written).await.unwrap();
    let store = Store::open_named(DB_NAME).await.unwrap();
    assert_eq!(
        store
            .get_outbox(written.response_id)
            .await
            .unwrap()
            .as_ref(),
        Some(&written)
    );

    let mut moved = written.clone();
    moved.delivery.on_answer(
        &format!("resp:{}", written.response_id),
        &Err(servicelens::replication::http::TransportError {
            detail: "offline: x".to_owned(),
        }),
        1_772_434_900_000,
        7,
    );
    store.put_outbox(&moved).await.unwrap();
    let read = DeviceOutbox.records().await.unwrap();
    let found = read
        .iter()
        .find(|r| r.response_id == written.response_id)
        .expect("the page reads the app's record");
    assert_eq!(found, &moved);
    assert!(
        matches!(found.delivery.status(), Status::WillRetry { at_ms } if at_ms > 1_772_434_900_000)
    );
    assert!(store.outbox().await.unwrap().iter().any(|r| r == &moved));
}

#[wasm_bindgen_test]
async fn the_pages_glance_sees_what_waits_whoever_stored_it() {
    use servicelens::delivery::glance;
    use servicelens::replication::http::Response as Answer;
    use servicelens::schema::OUTBOX;
    use servicelens::web::platform::idb;
    use servicelens::web::transport::courier::anything_waits;

    let store = Store::open_named(DB_NAME).await.unwrap();
    // Whatever earlier tests left is delivered first: nothing waits then.
    for mut r in store.outbox().await.unwrap() {
        while let Some(put) = r.delivery.deliver(&r.server) {
            let created = Answer::json(
                201,
                &serde_json::json!({"ok": true, "id": put.doc_id, "rev": "1-a"}),
            );
            r.delivery
                .on_answer(&put.doc_id, &Ok(created), 1_772_434_900_000, 0);
        }
        assert_eq!(r.delivery.status(), Status::Delivered);
        store.put_outbox(&r).await.unwrap();
    }
    assert!(
        !anything_waits().await.unwrap(),
        "delivered records wait for nothing"
    );

    let by_app = record(1_772_434_800_000);
    store.put_outbox(&by_app).await.unwrap();
    let by_courier = record(1_772_434_800_001);
    DeviceOutbox.keep(&by_courier).await.unwrap();
    let glanced: Vec<_> = idb::get_all(OUTBOX)
        .await
        .ok()
        .unwrap()
        .iter()
        .filter_map(|t| glance(t))
        .collect();
    assert!(
        glanced.contains(&(by_app.response_id.to_string(), true)),
        "the app's record"
    );
    assert!(
        glanced.contains(&(by_courier.response_id.to_string(), true)),
        "the courier's record"
    );
    assert!(anything_waits().await.unwrap());
}
