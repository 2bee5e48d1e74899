//! Our replicator against a real CouchDB-protocol server, for the
//! differential test against PouchDB (scripts/replication-differential.test.mjs):
//!
//!   replicate pull <db url> <user:password>
//!       pulls the database into an empty in-memory store, twice (the second
//!       run must resume from the checkpoint and write nothing);
//!   replicate push <db url> <user:password> <seed.json>
//!       fills an in-memory store with the seed's documents (CouchDB's JSON
//!       with `_revisions`, as `_bulk_get` returns them) and pushes it, twice.
//!
//! Prints one JSON object: every document of the local store with its
//! winner, conflicts, whether the winner is deleted, the winner's body and
//! its attachments' digests, and the documents each run wrote. The test
//! compares that with what PouchDB makes of the same database.

// Native only: its HTTP client (ureq) is a native dev-dependency.
#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::collections::BTreeMap;
    use std::io::Read;

    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde_json::{json, Map, Value};
    #[cfg(feature = "bench-data")]
    use servicelens::kpi::synthetic;
    use servicelens::replication::batch::{Config, Direction, Replicator, Step};
    use servicelens::replication::doc::{Limits, ReplicatedDoc};
    use servicelens::replication::http::{Request, Response, TransportError};
    use servicelens::replication::store::LocalStore;
    use servicelens::replication::MemoryStore;
    #[cfg(feature = "bench-data")]
    use servicelens::sync::replica::Replica;

    pub fn main() {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let (mode, url, creds) = match args.as_slice() {
            [m, u, c, ..] => (m.as_str(), u.trim_end_matches('/'), c.as_str()),
            _ => panic!("usage: replicate pull|push|seed <db url> <user:password> [seed.json|n]"),
        };
        // The replicator names paths from the server's root: split the URL.
        let slash = url[url.find("://").map_or(0, |i| i + 3)..]
            .find('/')
            .map(|i| i + url.find("://").map_or(0, |i| i + 3))
            .expect("a database URL");
        let (origin, db_path) = url.split_at(slash);
        let auth = format!("Basic {}", STANDARD.encode(creds));
        #[cfg(feature = "bench-data")]
        if mode == "seed" {
            let n: usize = args.get(3).and_then(|n| n.parse().ok()).expect("a count");
            let mut replica = Replica::new();
            replica.write_outgoing(&synthetic::contents(n, 42));
            let mut store = replica.store;
            let mut cfg = Config::new(Direction::Push, db_path, url, "seed-device", "s0");
            cfg.batch_size = 1_000;
            let summary = run(cfg, &mut store, origin, &auth);
            println!("{}", json!({"docs_written": summary.stats.docs_written}));
            return;
        }
        let mut store = MemoryStore::new();
        let direction = match mode {
            "pull" => Direction::Pull,
            "push" => {
                let seed =
                    std::fs::read_to_string(args.get(3).expect("a seed file")).expect("seed");
                let docs: Vec<Value> = serde_json::from_str(&seed).expect("seed JSON");
                for doc in docs {
                    let doc = ReplicatedDoc::from_json(doc, &Limits::default()).expect("seed doc");
                    store.put_with_history(doc).expect("seeded");
                }
                Direction::Push
            }
            other => panic!("unknown mode {other}"),
        };
        let runs: Vec<Value> = (0..2)
            .map(|n| {
                let cfg = Config::new(direction, db_path, url, "differential-device", &format!("s{n}"));
                let summary = run(cfg, &mut store, origin, &auth);
                json!({"docs_written": summary.stats.docs_written, "docs_read": summary.stats.docs_read})
            })
            .collect();
        println!("{}", json!({"docs": summary_of(&store), "runs": runs}));
    }

    fn run(
        cfg: Config,
        store: &mut MemoryStore,
        origin: &str,
        auth: &str,
    ) -> servicelens::replication::Summary {
        let mut rep = Replicator::new(cfg);
        while let Some(req) = rep.next_request(store) {
            rep.on_response(send(origin, auth, &req));
        }
        match rep.poll() {
            Step::Done(summary) => summary,
            other => panic!("the replication did not finish: {other:?}"),
        }
    }

    fn send(origin: &str, auth: &str, req: &Request) -> Result<Response, TransportError> {
        let agent = ureq::AgentBuilder::new().build();
        let mut call = agent
            .request(req.method.as_str(), &format!("{origin}{}", req.target()))
            .set("Authorization", auth)
            .set("Accept", "application/json");
        for (name, value) in &req.headers {
            call = call.set(name, value);
        }
        let answer = match &req.body {
            Some(body) => call
                .set("Content-Type", "application/json")
                .send_string(&body.to_string()),
            None => call.call(),
        };
        let resp = match answer {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(e) => {
                return Err(TransportError {
                    detail: format!("unreachable: {e}"),
                })
            }
        };
        let status = resp.status();
        let mut body = Vec::new();
        resp.into_reader()
            .read_to_end(&mut body)
            .map_err(|e| TransportError {
                detail: format!("unreachable: {e}"),
            })?;
        Ok(Response::new(status, body))
    }

    fn summary_of(store: &MemoryStore) -> Map<String, Value> {
        let mut out = Map::new();
        for id in store.ids() {
            let winner = store.winning_rev(id).expect("a stored doc has a winner");
            let doc = store
                .read_revision(id, &winner)
                .expect("readable")
                .expect("the winner is a leaf");
            let attachments: BTreeMap<&str, &str> = doc
                .attachments
                .iter()
                .map(|(name, a)| (name.as_str(), a.digest.as_str()))
                .collect();
            let mut conflicts: Vec<String> =
                store.conflicts(id).iter().map(|r| r.to_string()).collect();
            conflicts.sort();
            out.insert(
                id.to_owned(),
                json!({
                    "winner": winner.to_string(),
                    "conflicts": conflicts,
                    "deleted": doc.deleted,
                    "body": if doc.deleted { Value::Null } else { Value::Object(doc.body.clone()) },
                    "attachments": attachments,
                }),
            );
        }
        out
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(target_arch = "wasm32")]
fn main() {}
