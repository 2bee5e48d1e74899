//! The browser transport (`web::transport`) against the dev CouchDB-protocol
//! server, in headless Chromium. The server runs on its own port and the
//! test runner serves this page on another, so every request here is
//! cross-origin and the server's CORS is really exercised.
//!
//! The server's URL is compiled in from `SERVICELENS_TEST_COUCH` (a wasm
//! test cannot read the environment when it runs); scripts/test.sh starts
//! the server and sets it. By hand:
//!
//! ```sh
//! scripts/couch-ctl.sh start 5985
//! SERVICELENS_TEST_COUCH=http://127.0.0.1:5985 WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1 \
//!   cargo test --target wasm32-unknown-unknown --test transport
//! scripts/couch-ctl.sh stop 5985
//! ```
//!
//! `WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION` (read by the test runner) serves
//! the test page without COOP/COEP headers, like the app's own pages; under
//! COEP the `no-cors` probe cannot work.
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use servicelens::delivery::{Allowed, Delivery, NoAnswer, Origin, ServerConfig, Status};
use servicelens::domain::{Response as Answer, Timestamp};
use servicelens::replication::http::{Method, Request};
use servicelens::seal::{self, Binding, KeyRing, SealedDoc, TeamKeyPair};
use servicelens::web::transport::{probe, send};
use uuid::Uuid;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The dev server, as scripts/test.sh passes it.
const COUCH: Option<&str> = option_env!("SERVICELENS_TEST_COUCH");
/// A manager of that server (`scripts/couch-ctl.sh`'s default).
const MANAGER: (&str, &str) = ("manager", "manager");

fn server() -> ServerConfig {
    let url = COUCH.unwrap_or_else(|| {
        panic!(
            "SERVICELENS_TEST_COUCH was not set when this test was compiled, so there is no \
             dev server to talk to. Run scripts/test.sh, or start one with \
             `scripts/couch-ctl.sh start 5985` and build with \
             SERVICELENS_TEST_COUCH=http://127.0.0.1:5985."
        )
    });
    ServerConfig::with_default_dbs(url).expect("SERVICELENS_TEST_COUCH is a server URL")
}

fn own_origin() -> String {
    web_sys::window().unwrap().location().origin().unwrap()
}

fn allowed(server: &ServerConfig) -> Allowed {
    Allowed::new(&own_origin(), Some(server))
}

#[wasm_bindgen(inline_js = "
export function countFetches() {
  if (globalThis.__servicelensFetches === undefined) {
    const real = globalThis.fetch;
    globalThis.__servicelensFetches = 0;
    globalThis.fetch = function (...args) {
      globalThis.__servicelensFetches += 1;
      return real.apply(this, args);
    };
  }
}
export function fetches() { return globalThis.__servicelensFetches; }
")]
extern "C" {
    /// Wraps `fetch` to count the requests the page makes.
    #[wasm_bindgen(js_name = countFetches)]
    fn count_fetches();
    fn fetches() -> u32;
}

/// A submitted answer, sealed to `team`.
fn sealed_answer(team: &TeamKeyPair) -> (Answer, SealedDoc) {
    let now = js_sys::Date::now() as i64;
    let mut answer = Answer::new_draft(
        Uuid::new_v4(),
        "csat-visit",
        2,
        "store-12",
        "kiosk-3",
        Timestamp::new(now, 180),
    );
    answer.employee_note = "wasm transport test".into();
    let json = serde_json::to_string(&answer).unwrap();
    let doc = seal::seal(
        &team.public_key(),
        &Binding::of(&answer),
        &json,
        &mut seal::system_rng(),
    )
    .unwrap();
    (answer, doc)
}

fn body_json(response: &servicelens::replication::http::Response) -> Value {
    serde_json::from_slice(&response.body).expect("a JSON answer")
}

#[wasm_bindgen_test]
fn the_server_is_another_origin_so_cors_is_real() {
    let own = Origin::parse(&own_origin()).expect("the test page has an origin");
    assert_ne!(&own, server().origin());
}

#[wasm_bindgen_test]
async fn a_sealed_answer_is_created_once_then_conflicts() {
    let server = server();
    let allowed = allowed(&server);
    let team = TeamKeyPair::generate(&mut seal::system_rng());
    let (answer, doc) = sealed_answer(&team);
    let now = js_sys::Date::now() as u64;

    // Delivered through the state machine: one anonymous PUT, 201.
    let mut delivery = Delivery::new(vec![doc.clone()], now).unwrap();
    let put = delivery.deliver(&server).unwrap();
    assert_eq!(put.request.method, Method::Put);
    let first = send(&put.request, server.url(), None, &allowed).await;
    assert_eq!(first.as_ref().map(|r| r.status), Ok(201), "{first:?}");
    assert_eq!(
        delivery.on_answer(&put.doc_id, &first, now, 0),
        Status::Delivered
    );

    // The same create again (a replay after a lost answer): 409, which the
    // state machine takes as delivered.
    let mut replay = Delivery::new(vec![doc.clone()], now).unwrap();
    let again = send(&put.request, server.url(), None, &allowed)
        .await
        .unwrap();
    assert_eq!(again.status, 409);
    assert_eq!(body_json(&again)["error"], "conflict");
    assert_eq!(
        replay.on_answer(&put.doc_id, &Ok(again), now, 0),
        Status::Delivered
    );

    // What the inbox holds is the sealed document, and it opens with the
    // team's key to the same answer.
    let get = Request::new(Method::Get, format!("/{}/{}", server.inbox_db(), doc.id));
    let stored = send(&get, server.url(), Some(MANAGER), &allowed)
        .await
        .unwrap();
    assert_eq!(stored.status, 200);
    let stored = SealedDoc::from_json(std::str::from_utf8(&stored.body).unwrap()).unwrap();
    assert_eq!(stored, doc);
    let opened = seal::open(&KeyRing::with_current(team), &stored).unwrap();
    assert_eq!(opened.binding, Binding::of(&answer));
}

#[wasm_bindgen_test]
async fn other_origins_are_refused_before_any_request() {
    let server = server();
    let allowed = allowed(&server);
    count_fetches();
    let port = server.origin().port();
    let get = Request::new(Method::Get, "/".into());
    for base in [
        // The same server under another name is another origin.
        format!("http://localhost:{port}"),
        format!("http://127.0.0.1:{}", port + 1),
        format!("http://127.0.0.1:{port}@evil.example"),
        "https://evil.example".to_owned(),
    ] {
        let before = fetches();
        let result = send(&get, &base, None, &allowed).await;
        let error = result.expect_err(&base);
        assert_eq!(NoAnswer::of(&error), NoAnswer::Refused, "{base}: {error:?}");
        assert_eq!(fetches(), before, "{base}: no request was made");
    }
    // The counter does count: an allowed request is one fetch.
    let before = fetches();
    let root = send(&get, server.url(), None, &allowed).await.unwrap();
    assert_eq!(root.status, 200);
    assert_eq!(fetches(), before + 1);
}

#[wasm_bindgen_test]
async fn a_wrong_password_is_a_401_answer() {
    let server = server();
    let allowed = allowed(&server);
    let team_db = Request::new(Method::Get, format!("/{}", server.team_db()));
    let wrong = send(
        &team_db,
        server.url(),
        Some((MANAGER.0, "not-the-password")),
        &allowed,
    )
    .await
    .expect("a 401 is an answer, not a transport error");
    assert_eq!(wrong.status, 401);
    assert_eq!(body_json(&wrong)["error"], "unauthorized");
    // Anonymous is refused too; the right password reads the database.
    let anonymous = send(&team_db, server.url(), None, &allowed).await.unwrap();
    assert_eq!(anonymous.status, 401);
    let right = send(&team_db, server.url(), Some(MANAGER), &allowed)
        .await
        .unwrap();
    assert_eq!(
        right.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&right.body)
    );
    assert_eq!(body_json(&right)["db_name"], server.team_db());
}

#[wasm_bindgen_test]
async fn a_cors_refusal_and_an_unreachable_server_are_told_apart_by_the_probe() {
    let server = server();
    let allowed = allowed(&server);
    // A header the server's CORS does not allow fails the preflight: the
    // server is there but does not answer the page. The browser gives the
    // same TypeError as for no server at all.
    let mut req = Request::new(Method::Get, "/".into());
    req.headers.push(("X-Servicelens-Test".into(), "1".into()));
    let error = send(&req, server.url(), None, &allowed).await.unwrap_err();
    assert_eq!(NoAnswer::of(&error), NoAnswer::Network, "{error:?}");
    assert!(error.detail.contains("TypeError"), "{error:?}");
    // The app's pages are not cross-origin isolated; under COEP
    // `require-corp`, which wasm-bindgen-test-runner sets by default, every
    // `no-cors` answer without a CORP header is blocked and the probe could
    // not tell anything.
    let isolated = js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    assert!(
        !isolated,
        "the test page is cross-origin isolated (COEP require-corp), unlike the app's pages: \
         run the wasm tests with WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1, as scripts/test.sh does"
    );
    assert_eq!(probe(server.origin(), &allowed).await, NoAnswer::NoCors);

    // Nothing answers on port 1 (the browser does not even try it).
    let nowhere = ServerConfig::with_default_dbs("http://127.0.0.1:1").unwrap();
    let allowed = Allowed::new(&own_origin(), Some(&nowhere));
    let error = send(
        &Request::new(Method::Get, "/".into()),
        nowhere.url(),
        None,
        &allowed,
    )
    .await
    .unwrap_err();
    assert_eq!(NoAnswer::of(&error), NoAnswer::Network, "{error:?}");
    assert_eq!(
        probe(nowhere.origin(), &allowed).await,
        NoAnswer::Unreachable
    );

    // The probe keeps to the rule as well.
    count_fetches();
    let before = fetches();
    let other = Origin::parse("https://evil.example").unwrap();
    assert_eq!(probe(&other, &allowed).await, NoAnswer::Refused);
    assert_eq!(fetches(), before);
}

#[wasm_bindgen_test]
async fn a_published_form_is_read_back_by_its_link_and_only_a_manager_publishes() {
    use servicelens::delivery::InboxTarget;
    use servicelens::distribution::form_link::{self, Form, FormError, FormLink};
    use servicelens::domain::VersionStatus;
    use servicelens::link::LinkMode;
    use servicelens::web::transport::{fetch_form, FormFetchError};

    let server = server();
    let allowed = allowed(&server);
    let mut q = servicelens::templates::find("tpl-loyalty-button", 1).unwrap();
    q.id = format!("q-{}", Uuid::new_v4());
    q.status = VersionStatus::Published;
    let form = Form {
        questionnaire: q.clone(),
        mode: LinkMode::Customer,
        locations: vec![],
        employees: vec![],
    };
    let link = FormLink {
        name: form_link::form_name(&q),
        target: InboxTarget {
            server: server.clone(),
            key: TeamKeyPair::generate(&mut seal::system_rng()).public_key(),
        },
        location: None,
    };
    // Not there yet: the reader is told the form is not published.
    assert_eq!(
        fetch_form(&link).await.unwrap_err(),
        FormFetchError::Form(FormError::Missing)
    );
    let publish = form_link::publish_request(&server, &link.name, &form, None);
    let anonymous = send(&publish, server.url(), None, &allowed).await.unwrap();
    assert!(
        anonymous.status == 401 || anonymous.status == 403,
        "{}",
        anonymous.status
    );
    let put = send(&publish, server.url(), Some(MANAGER), &allowed)
        .await
        .unwrap();
    assert_eq!(put.status, 201, "{}", String::from_utf8_lossy(&put.body));

    let (payload, back) = fetch_form(&link).await.unwrap();
    assert_eq!(back, form);
    assert_eq!(payload.questionnaire, q);
    assert_eq!(
        payload.inbox.map(|t| t.check()),
        Some(Ok(link.target.clone()))
    );

    // A draft put under the name is refused by the reader, whoever wrote it.
    let rev = body_json(&put)["rev"].as_str().unwrap().to_owned();
    let mut draft = form.clone();
    draft.questionnaire.status = VersionStatus::Draft;
    let again = form_link::publish_request(&server, &link.name, &draft, Some(&rev));
    let put = send(&again, server.url(), Some(MANAGER), &allowed)
        .await
        .unwrap();
    assert_eq!(put.status, 201);
    assert_eq!(
        fetch_form(&link).await.unwrap_err(),
        FormFetchError::Form(FormError::Draft)
    );
}
