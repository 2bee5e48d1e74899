//! Sealed inbox documents for the end-to-end tests (tests/e2e/inbox-manager.spec.mjs),
//! made as a field device makes them, without a field page: given a customer
//! link the manager's app made (which names the inbox and the team's public
//! key), prints `{ good, other_team, not_response }` as JSON on stdout:
//! `good` are `count` submitted answers to the link's questionnaire sealed to
//! the link's key, `other_team` one sealed to another team's key, and
//! `not_response` plaintext that is not a response sealed to the link's key.
//!
//! cargo run --features fixtures --example seal_fixture -- '<link>' <count>

use servicelens::domain::{AnswerValue, QuestionType, Response, Timestamp};
use servicelens::seal::{self, Binding, TeamKeyPair, TeamPublicKey};
use uuid::Uuid;

fn answer(p: &servicelens::link::LinkPayload, n: usize) -> Response {
    let q = &p.questionnaire;
    let location = p.location.as_ref().map_or("", |l| l.id.as_str());
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let at = Timestamp::new(now_ms - 60_000 - n as i64, 180);
    let mut r = Response::new_draft(Uuid::new_v4(), &q.id, q.version, location, "e2e-phone", at);
    for s in &q.sections {
        for question in &s.questions {
            if !question.required {
                continue;
            }
            let value = match question.qtype {
                QuestionType::YesNo => AnswerValue::Yes,
                other => panic!("seal_fixture answers yes/no questions only, not {other:?}"),
            };
            r.set_answer(&question.id, value, at);
        }
    }
    r.submit(at);
    r
}

fn sealed(key: &TeamPublicKey, r: &Response, json: &str) -> serde_json::Value {
    let doc = seal::seal(key, &Binding::of(r), json, &mut seal::system_rng()).unwrap();
    serde_json::to_value(doc).unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let link = args.get(1).expect("a customer link");
    let count: usize = args.get(2).map_or(1, |c| c.parse().expect("a count"));
    let payload = servicelens::link::decode(link).expect("a link the app made");
    let target = payload
        .inbox
        .as_ref()
        .expect("the link names an inbox")
        .check()
        .expect("the link's target checks");
    let good: Vec<serde_json::Value> = (0..count)
        .map(|n| {
            let r = answer(&payload, n);
            sealed(&target.key, &r, &serde_json::to_string(&r).unwrap())
        })
        .collect();
    let other = TeamKeyPair::generate(&mut seal::system_rng()).public_key();
    let r = answer(&payload, count);
    let other_team = sealed(&other, &r, &serde_json::to_string(&r).unwrap());
    // Sealing refuses what is not a response, so this is forged as a
    // sender with code of its own could.
    let r = answer(&payload, count + 1);
    let not_response = serde_json::to_value(seal::forge(
        &target.key,
        r.id,
        &Binding::of(&r),
        br#"{"hello":"not an answer"}"#,
        &mut seal::system_rng(),
    ))
    .unwrap();
    let out = serde_json::json!({
        "good": good,
        "other_team": other_team,
        "not_response": not_response,
        "server": target.server.url(),
        "inbox": target.server.inbox_db(),
    });
    println!("{out}");
}
