//! The manager's pull and open of sealed inbox answers (issue 18, budget
//! ≤ 10 s for 10,000).
//!
//! `cargo bench --bench inbox` seals N customer answers (N = 10,000, or the
//! first argument) to a team key, lays them out as an inbox's `_changes`
//! feed, and times what the manager's device does: reading each batch's
//! JSON ([`InboxPull::read`]) and opening it ([`Opener::batch`]: decrypt,
//! the file checks, a bundle per answer). Making the server's answers is
//! not timed; the merge is not part of it either. Prints
//! `BENCH inbox_open n=<N> ms=<ms>` and the time per answer.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use servicelens::domain::{AnswerValue, Response, Timestamp};
use servicelens::inbox::{InboxPull, Opener, Outcome, Waiting, DEFAULT_BATCH};
use servicelens::replication::http::Response as HttpResponse;
use servicelens::seal::{self, Binding, KeyRing, TeamKeyPair};
use uuid::Uuid;

fn answer(n: usize, now: Timestamp) -> Response {
    let started = Timestamp::new(now.utc_ms - 3_600_000 + n as i64, 180);
    let mut r = Response::new_draft(
        Uuid::from_u128(0x4a3c_0000_0000_4000_8000_0000_0000_0000 + n as u128),
        "csat-visit",
        3,
        &format!("store-{}", n % 40),
        &format!("phone-{n}"),
        started,
    );
    r.set_answer("q-nps", AnswerValue::Scale((n % 11) as u8), started);
    r.set_answer("q-clean", AnswerValue::Scale((n % 5 + 1) as u8), started);
    r.set_answer(
        "q-why",
        AnswerValue::Text("Быстро обслужили, но в зале было душно.".into()),
        started,
    );
    r.submit(started);
    r
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.replace('_', "").parse().ok())
        .unwrap_or(10_000);
    let now = Timestamp::new(1_772_434_800_000, 180);
    let mut rng = seal::system_rng();
    let key = TeamKeyPair::generate(&mut rng);
    let pk = key.public_key();
    let keys = KeyRing::with_current(key);

    let t = Instant::now();
    let feed: Vec<Value> = (0..n)
        .map(|i| {
            let r = answer(i, now);
            let json = serde_json::to_string(&r).unwrap();
            let doc = seal::seal(&pk, &Binding::of(&r), &json, &mut rng).unwrap();
            serde_json::to_value(&doc).unwrap()
        })
        .collect();
    let seal_time = t.elapsed();

    let mut pull = InboxPull::new("/inbox", None, DEFAULT_BATCH);
    let mut waiting = Waiting::default();
    let mut timed = Duration::ZERO;
    let (mut opened, mut quarantined, mut bytes) = (0usize, 0usize, 0usize);
    loop {
        // The server's part, not timed: the batch after the checkpoint.
        let req = pull.request();
        let since: usize = req.param("since").unwrap().parse().unwrap();
        let end = (since + DEFAULT_BATCH as usize).min(n);
        let rows: Vec<Value> = (since..end)
            .map(|i| json!({"seq": i + 1, "id": feed[i]["_id"], "changes": [], "doc": feed[i]}))
            .collect();
        let body = json!({"results": rows, "last_seq": end, "pending": n - end});
        let answer = HttpResponse::json(200, &body);
        bytes += answer.body.len();

        let t = Instant::now();
        let mut batch = pull.read(&answer).unwrap();
        let step = Opener::new(&keys, now).batch(&waiting, std::mem::take(&mut batch.docs));
        timed += t.elapsed();

        assert!(step.fetches.is_empty());
        for o in &step.outcomes {
            match o {
                Outcome::Opened(o) => {
                    assert_eq!(o.bundle.contents.responses.len(), 1);
                    opened += 1;
                }
                Outcome::Quarantined(q) => {
                    eprintln!("{}: {}", q.doc_id, q.reason.kind());
                    quarantined += 1;
                }
            }
        }
        waiting = step.waiting;
        assert!(pull.confirm(&batch.last_seq));
        if !batch.more() {
            break;
        }
    }
    assert_eq!((opened, quarantined), (n, 0));

    println!("Inbox: pull and open of sealed answers, batches of {DEFAULT_BATCH}");
    println!(
        "  sealing {n} answers (the field devices' work, for scale): {:.0} ms",
        seal_time.as_secs_f64() * 1e3
    );
    println!(
        "  feed: {:.1} MB of _changes JSON",
        bytes as f64 / (1024.0 * 1024.0)
    );
    println!(
        "  pull + open: {:.0} ms, {:.1} µs per answer",
        timed.as_secs_f64() * 1e3,
        timed.as_secs_f64() * 1e6 / n as f64
    );
    println!("BENCH inbox_open n={n} ms={:.0}", timed.as_secs_f64() * 1e3);
}
