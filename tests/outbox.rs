//! A field device's outbox records as both openers store them: the
//! customer's page (`respondent::deliver`, JSON through web-sys) and the
//! full app (`storage::Store`) read each other's records whole.
#![cfg(target_arch = "wasm32")]

use servicelens::delivery::{InboxTarget, OutboxRecord, ServerConfig, Status};
use servicelens::domain::{Response, ResponseStatus, Timestamp};
use servicelens::schema::DB_NAME;
use servicelens::seal::{system_rng, TeamKeyPair};
use servicelens::web::respondent::deliver::PageOutbox;
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
    PageOutbox.keep(&written).await.unwrap();
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
    let read = PageOutbox.records().await.unwrap();
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
