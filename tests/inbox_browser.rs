//! The manager's pull and open of 10,000 sealed answers in the browser
//! (issue 18's budget: 10 s): the dev CouchDB-protocol server holds the
//! answers in its inbox, and this page reads its `_changes` feed in batches
//! through the app's transport (`fetch`, cross-origin, CORS and all) and
//! opens each batch with the team key (decrypt, the file checks, a bundle
//! per answer), as the manager's device does.
//!
//! Filling the inbox (sealing here, `_bulk_docs` to the server) is not
//! timed: it is the field devices' work, done once.
//!
//! A benchmark, not a test: built only with `--features browser-bench`, so
//! `make test` never runs it; `make bench` does, in release mode, with the
//! server's URL in `SERVICELENS_TEST_COUCH`. Prints
//! `BENCH inbox_pull n=<N> ms=<ms> open_ms=<ms> http_ms=<ms>`.
#![cfg(all(target_arch = "wasm32", feature = "browser-bench"))]

use serde_json::{json, Value};
use servicelens::delivery::{Allowed, ServerConfig};
use servicelens::domain::{AnswerValue, Response, Timestamp};
use servicelens::inbox::{InboxPull, Opener, Outcome, Waiting, DEFAULT_BATCH};
use servicelens::replication::http::{Method, Request};
use servicelens::seal::{self, Binding, KeyRing, TeamKeyPair};
use servicelens::web::transport::send;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const COUCH: Option<&str> = option_env!("SERVICELENS_TEST_COUCH");
const N: usize = 10_000;
/// Documents per `_bulk_docs` while filling the inbox.
const UPLOAD_BATCH: usize = 500;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

fn answer(n: usize, now: Timestamp) -> Response {
    let started = Timestamp::new(now.utc_ms - 3_600_000 + n as i64, 180);
    let mut r = Response::new_draft(
        Uuid::new_v4(),
        "tpl-loyalty-button",
        1,
        &format!("store-{}", n % 40),
        &format!("phone-{n}"),
        started,
    );
    let yes_no = |k: usize| {
        if (n >> k) & 1 == 0 {
            AnswerValue::Yes
        } else {
            AnswerValue::No
        }
    };
    for (k, q) in [
        "q-ink-staff",
        "q-ink-office",
        "q-ink-product",
        "q-iel-recommend",
    ]
    .into_iter()
    .enumerate()
    {
        r.set_answer(q, yes_no(k), started);
    }
    r.submit(started);
    r
}

#[wasm_bindgen_test]
async fn pull_and_open_ten_thousand_sealed_answers() {
    let url = COUCH.expect("SERVICELENS_TEST_COUCH names the dev server");
    // A database of its own, so earlier runs and other tests do not count.
    let inbox = format!("bench-inbox-{}", Uuid::new_v4().simple());
    let server = ServerConfig::parse(url, &inbox, "forms", "team").unwrap();
    let own = web_sys::window().unwrap().location().origin().unwrap();
    let allowed = Allowed::new(&own, Some(&server));
    let admin = Some(("admin", "admin"));
    let put = Request::new(Method::Put, format!("/{inbox}"));
    let made = send(&put, server.url(), admin, &allowed).await.unwrap();
    assert!(made.status == 201 || made.status == 412, "{}", made.status);

    let now = Timestamp::new(js_sys::Date::now() as i64, 180);
    let mut rng = seal::system_rng();
    let key = TeamKeyPair::generate(&mut rng);
    let pk = key.public_key();
    let keys = KeyRing::with_current(key);
    let t = now_ms();
    for chunk in (0..N).collect::<Vec<_>>().chunks(UPLOAD_BATCH) {
        let docs: Vec<Value> = chunk
            .iter()
            .map(|&i| {
                let r = answer(i, now);
                let json = serde_json::to_string(&r).unwrap();
                let doc = seal::seal(&pk, &Binding::of(&r), &json, &mut rng).unwrap();
                serde_json::to_value(&doc).unwrap()
            })
            .collect();
        let bulk = Request::new(Method::Post, format!("/{inbox}/_bulk_docs"))
            .json(json!({ "docs": docs }));
        let r = send(&bulk, server.url(), admin, &allowed).await.unwrap();
        assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    }
    web_sys::console::log_1(&format!("filled the inbox in {:.0} ms", now_ms() - t).into());

    let mut pull = InboxPull::new(&format!("/{inbox}"), None, DEFAULT_BATCH);
    let mut waiting = Waiting::default();
    let (mut opened, mut quarantined) = (0usize, 0usize);
    let (mut http_ms, mut open_ms) = (0.0, 0.0);
    let t = now_ms();
    loop {
        let t_http = now_ms();
        let answer = send(&pull.request(), server.url(), None, &allowed)
            .await
            .unwrap();
        http_ms += now_ms() - t_http;
        let t_open = now_ms();
        let mut batch = pull.read(&answer).unwrap();
        let step = Opener::new(&keys, now).batch(&waiting, std::mem::take(&mut batch.docs));
        for o in &step.outcomes {
            match o {
                Outcome::Opened(o) => {
                    assert_eq!(o.bundle.contents.responses.len(), 1);
                    opened += 1;
                }
                Outcome::Quarantined(q) => {
                    web_sys::console::log_1(&format!("{}: {}", q.doc_id, q.reason.kind()).into());
                    quarantined += 1;
                }
            }
        }
        waiting = step.waiting;
        open_ms += now_ms() - t_open;
        assert!(pull.confirm(&batch.last_seq));
        if !batch.more() {
            break;
        }
    }
    let total = now_ms() - t;
    assert_eq!((opened, quarantined), (N, 0));
    web_sys::console::log_1(
        &format!("BENCH inbox_pull n={N} ms={total:.0} open_ms={open_ms:.0} http_ms={http_ms:.0}")
            .into(),
    );
}
