//! The manager's side of the sealed inbox in headless Chromium, against the
//! dev CouchDB-protocol server (`SERVICELENS_TEST_COUCH`, as in
//! tests/transport.rs; scripts/test.sh starts it): the team keys in
//! IndexedDB, "Set up the server" with the admin's password, and pulls that
//! store answers, quarantine and checkpoint together. By hand:
//!
//! ```sh
//! scripts/couch-ctl.sh start 5985
//! SERVICELENS_TEST_COUCH=http://127.0.0.1:5985 WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1 \
//!   cargo test --target wasm32-unknown-unknown --test inbox_manager
//! scripts/couch-ctl.sh stop 5985
//! ```
#![cfg(target_arch = "wasm32")]

use servicelens::delivery::ServerConfig;
use servicelens::domain::{AnswerValue, Response, Timestamp};
use servicelens::inbox::settings::{ManagerInbox, StoredTeamKey};
use servicelens::inbox::setup::Done;
use servicelens::replication::http::{doc_path, Method, Request};
use servicelens::seal::{self, Binding, TeamKeyPair};
use servicelens::templates;
use servicelens::web::manager::team;
use servicelens::web::storage::Store;
use servicelens::web::transport::send;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const COUCH: Option<&str> = option_env!("SERVICELENS_TEST_COUCH");
/// `scripts/couch-ctl.sh`'s defaults.
const ADMIN: (&str, &str) = ("admin", "admin");
const MANAGER: (&str, &str) = ("manager", "manager");

fn unique() -> String {
    format!("{:x}", (js_sys::Math::random() * 1e15) as u64)
}

fn url() -> &'static str {
    COUCH.unwrap_or_else(|| {
        panic!(
            "SERVICELENS_TEST_COUCH was not set when this test was compiled; run scripts/test.sh \
             or see this file's docs."
        )
    })
}

/// Databases of this test alone, so other tests' answers do not mix in.
fn fresh_server() -> ServerConfig {
    let n = unique();
    ServerConfig::parse(
        url(),
        &format!("inbox{n}"),
        &format!("forms{n}"),
        &format!("team{n}"),
    )
    .unwrap()
}

async fn fresh_store() -> Store {
    Store::open_named(&format!("inbox-manager-test-{}", unique()))
        .await
        .unwrap()
}

/// A customer's submitted answer to the built-in Loyalty Button survey.
fn answer() -> Response {
    let q = templates::find("tpl-loyalty-button", 1).unwrap();
    let now = Timestamp::new(js_sys::Date::now() as i64 - 60_000, 180);
    let mut r = Response::new_draft(Uuid::new_v4(), &q.id, q.version, "shop-1", "phone-1", now);
    for s in &q.sections {
        for question in &s.questions {
            if question.required {
                r.set_answer(&question.id, AnswerValue::Yes, now);
            }
        }
    }
    r.submit(now);
    r
}

/// Creates a sealed document in the inbox, anonymously, as a phone does.
async fn deliver(server: &ServerConfig, doc: &seal::SealedDoc) {
    let value = serde_json::to_value(doc).unwrap();
    let id = value["_id"].as_str().unwrap().to_owned();
    let req = Request::new(
        Method::Put,
        doc_path(&format!("/{}", server.inbox_db()), &id),
    )
    .json(value);
    let r = send(&req, server.url(), None, &team::allowed(server))
        .await
        .unwrap();
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
}

fn sealed(key: &TeamKeyPair, r: &Response) -> seal::SealedDoc {
    let json = serde_json::to_string(r).unwrap();
    seal::seal(
        &key.public_key(),
        &Binding::of(r),
        &json,
        &mut seal::system_rng(),
    )
    .unwrap()
}

#[wasm_bindgen_test]
async fn team_keys_round_trip_and_the_newest_is_current() {
    let store = fresh_store().await;
    assert!(store.key_ring().await.unwrap().is_empty());
    let old = TeamKeyPair::generate(&mut seal::system_rng());
    let new = TeamKeyPair::generate(&mut seal::system_rng());
    store
        .put_team_key(&StoredTeamKey::new(&old, 1_000))
        .await
        .unwrap();
    store
        .put_team_key(&StoredTeamKey::new(&new, 2_000))
        .await
        .unwrap();
    let ring = store.key_ring().await.unwrap();
    assert_eq!(ring.len(), 2);
    assert_eq!(ring.current(), Some(&new));
    assert_eq!(ring.get(old.kid()), Some(&old));
    // Keys are device-local: no export carries them.
    let settings = store.export_contents().await.unwrap().settings;
    let text = serde_json::to_string(&settings).unwrap();
    assert!(!text.contains(old.kid()), "{text}");
}

#[wasm_bindgen_test]
async fn set_up_then_a_pull_stores_answers_quarantine_and_checkpoint_and_a_second_adds_nothing() {
    let server = fresh_server();
    // Not an admin: refused before anything is made.
    let refused = team::set_up(&server, MANAGER.0, MANAGER.1).await;
    assert!(refused.is_err(), "{refused:?}");
    let done = team::set_up(&server, ADMIN.0, ADMIN.1).await.unwrap();
    assert!(done.contains(&Done::Created(server.inbox_db().to_owned())));
    assert!(done.contains(&Done::Design {
        db: server.inbox_db().to_owned(),
        written: true
    }));
    // Again: nothing left to create.
    let again = team::set_up(&server, ADMIN.0, ADMIN.1).await.unwrap();
    assert!(again.contains(&Done::Existed(server.inbox_db().to_owned())));

    let key = TeamKeyPair::generate(&mut seal::system_rng());
    let store = fresh_store().await;
    store
        .put_team_key(&StoredTeamKey::new(&key, 1))
        .await
        .unwrap();
    let inbox = ManagerInbox {
        server: server.clone(),
        user: MANAGER.0.into(),
        password: MANAGER.1.into(),
        on: true,
    };
    store.put_inbox_server(&inbox).await.unwrap();

    let (a, b) = (answer(), answer());
    deliver(&server, &sealed(&key, &a)).await;
    deliver(&server, &sealed(&key, &b)).await;
    let other_team = TeamKeyPair::generate(&mut seal::system_rng());
    let foreign = answer();
    deliver(&server, &sealed(&other_team, &foreign)).await;

    let first = team::pull(&store, &inbox).await.unwrap();
    assert_eq!((first.added, first.set_aside), (2, 1), "{first:?}");
    let stored: Vec<Uuid> = store
        .responses()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert!(stored.contains(&a.id) && stored.contains(&b.id));
    assert!(!stored.contains(&foreign.id));
    let q = store.quarantined().await.unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].kind, "unknown_key");
    assert_eq!(q[0].doc_id, format!("resp:{}", foreign.id));
    let state = store.pull_state(&inbox).await.unwrap();
    assert!(state.since.is_some());

    let second = team::pull(&store, &inbox).await.unwrap();
    assert_eq!((second.added, second.set_aside), (0, 0), "{second:?}");
    assert_eq!(store.responses().await.unwrap().len(), 2);
    assert_eq!(store.quarantined().await.unwrap().len(), 1);

    // A new answer after the checkpoint is the only one read.
    let c = answer();
    deliver(&server, &sealed(&key, &c)).await;
    let third = team::pull(&store, &inbox).await.unwrap();
    assert_eq!((third.added, third.set_aside), (1, 0), "{third:?}");
    assert_eq!(store.responses().await.unwrap().len(), 3);
}
