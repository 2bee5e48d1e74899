//! A small CouchDB 3 for the tests: `GET /db`, `_local` docs with `0-N`
//! revisions, `_changes` with opaque string seqs, `_revs_diff`, `_bulk_get`
//! (which can be switched off), `open_revs`, `_bulk_docs` with
//! `new_edits: false`. Documents live in a [`MemoryStore`]. Every request
//! is logged, and a test can cut the connection or rewrite an answer.

use crate::replication::batch::{Config, Direction, Replicator, Step};
use crate::replication::doc::{Limits, ReplicatedDoc};
use crate::replication::http::{Method, Request, Response, TransportError};
use crate::replication::rev::Rev;
use crate::replication::rev_tree::leaves_under;
use crate::replication::store::LocalStore;
use crate::replication::MemoryStore;
use crate::uri::decode_component;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub type Tamper = Box<dyn FnMut(&Request, Response) -> Response>;

pub struct FakeCouch {
    pub db: String,
    pub store: MemoryStore,
    pub locals: BTreeMap<String, (u64, Value)>,
    /// `Some(status)`: `_bulk_get` answers that, as an old server would.
    pub bulk_get_status: Option<u16>,
    pub requests: Vec<Request>,
    /// Cut the connection on the request with this index (0-based).
    pub drop_at: Option<usize>,
    pub tamper: Option<Tamper>,
}

pub fn seq_text(n: u64) -> String {
    format!("{n}-g1AAAAfakeopaque")
}

fn seq_number(v: &str) -> Option<u64> {
    v.split('-').next()?.parse().ok()
}

impl FakeCouch {
    pub fn new() -> FakeCouch {
        FakeCouch {
            db: "/team".into(),
            store: MemoryStore::new(),
            locals: BTreeMap::new(),
            bulk_get_status: None,
            requests: Vec::new(),
            drop_at: None,
            tamper: None,
        }
    }

    pub fn handle(&mut self, req: &Request) -> Result<Response, TransportError> {
        let index = self.requests.len();
        self.requests.push(req.clone());
        if self.drop_at == Some(index) {
            return Err(TransportError {
                detail: "connection reset".into(),
            });
        }
        let resp = self.route(req);
        Ok(match self.tamper.as_mut() {
            Some(t) => t(req, resp),
            None => resp,
        })
    }

    pub fn count(&self, path_end: &str) -> usize {
        self.requests
            .iter()
            .filter(|r| r.path.ends_with(path_end))
            .count()
    }

    fn route(&mut self, req: &Request) -> Response {
        let Some(rest) = req.path.strip_prefix(&self.db) else {
            return not_found();
        };
        let rest = rest.trim_start_matches('/');
        match (req.method, rest) {
            (Method::Get, "") => Response::json(
                200,
                &json!({"db_name": "team", "instance_start_time": "0",
                        "update_seq": seq_text(self.store.seq())}),
            ),
            (Method::Get, "_changes") => self.changes(req),
            (Method::Post, "_revs_diff") => self.revs_diff(req),
            (Method::Post, "_bulk_get") => match self.bulk_get_status {
                Some(status) => Response::json(status, &json!({"error": "method_not_allowed"})),
                None => self.bulk_get(req),
            },
            (Method::Post, "_bulk_docs") => self.bulk_docs(req),
            (method, path) if path.starts_with("_local/") => self.local(method, path, req),
            (Method::Get, path) => match decode_component(path) {
                Some(id) => self.open_revs(&id, req),
                None => not_found(),
            },
            _ => Response::json(405, &json!({"error": "method_not_allowed"})),
        }
    }

    fn local(&mut self, method: Method, id: &str, req: &Request) -> Response {
        match method {
            Method::Get => match self.locals.get(id) {
                Some((rev, body)) => {
                    let mut body = body.clone();
                    body["_id"] = id.into();
                    body["_rev"] = format!("0-{rev}").into();
                    Response::json(200, &body)
                }
                None => not_found(),
            },
            Method::Put => {
                let body = req.body.clone().unwrap_or(Value::Null);
                let current = self.locals.get(id).map(|(r, _)| format!("0-{r}"));
                let sent = body.get("_rev").and_then(Value::as_str).map(str::to_owned);
                if current != sent {
                    return Response::json(
                        409,
                        &json!({"error": "conflict", "reason": "Document update conflict."}),
                    );
                }
                let next = self.locals.get(id).map_or(1, |(r, _)| r + 1);
                let mut stored = body;
                if let Some(o) = stored.as_object_mut() {
                    o.remove("_id");
                    o.remove("_rev");
                }
                self.locals.insert(id.to_owned(), (next, stored));
                Response::json(
                    201,
                    &json!({"ok": true, "id": id, "rev": format!("0-{next}")}),
                )
            }
            Method::Post => Response::json(405, &json!({"error": "method_not_allowed"})),
        }
    }

    fn changes(&self, req: &Request) -> Response {
        let since = req.param("since").and_then(seq_number).unwrap_or(0);
        let limit: usize = req
            .param("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(usize::MAX);
        let page = self.store.changes_since(&json!(since), limit).unwrap();
        let all = self.store.changes_since(&json!(since), usize::MAX).unwrap();
        let results: Vec<Value> = page
            .results
            .iter()
            .map(|c| {
                let mut row = json!({
                    "seq": seq_text(c.seq.as_u64().unwrap()),
                    "id": c.id,
                    "changes": c.revs.iter().map(|r| json!({"rev": r.to_string()})).collect::<Vec<_>>(),
                });
                if c.deleted {
                    row["deleted"] = true.into();
                }
                row
            })
            .collect();
        let last = page.last_seq.as_u64().unwrap();
        Response::json(
            200,
            &json!({"results": results, "last_seq": seq_text(last),
                    "pending": all.results.len() - page.results.len()}),
        )
    }

    fn revs_diff(&self, req: &Request) -> Response {
        let body = req.body.clone().unwrap_or(Value::Null);
        let mut out = Map::new();
        for (id, revs) in body.as_object().into_iter().flatten() {
            let revs: Vec<Rev> = revs
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| Rev::parse(r.as_str()?).ok())
                .collect();
            let diff = self.store.revs_diff(id, &revs).unwrap();
            if !diff.missing.is_empty() {
                let mut entry = json!({"missing": diff.missing.iter().map(|r| r.to_string()).collect::<Vec<_>>()});
                if !diff.possible_ancestors.is_empty() {
                    entry["possible_ancestors"] = diff
                        .possible_ancestors
                        .iter()
                        .map(|r| r.to_string())
                        .collect::<Vec<_>>()
                        .into();
                }
                out.insert(id.clone(), entry);
            }
        }
        Response::json(200, &Value::Object(out))
    }

    /// The leaves under `rev` as JSON, attachments inline unless an
    /// `atts_since` revision on their path already had them.
    fn read(&self, id: &str, rev: &Rev, atts_since: &[Rev]) -> Vec<Value> {
        let Some(tree) = self.store.rev_tree(id) else {
            return vec![json!({"missing": rev.to_string()})];
        };
        let leaves = leaves_under(tree, rev);
        if leaves.is_empty() {
            return vec![json!({"missing": rev.to_string()})];
        }
        leaves
            .iter()
            .filter_map(|leaf| self.store.read_revision(id, leaf).unwrap())
            .map(|doc: ReplicatedDoc| {
                let through = atts_since
                    .iter()
                    .filter(|a| doc.revisions.contains(a))
                    .map(|a| a.pos)
                    .max()
                    .unwrap_or(0);
                json!({"ok": doc.to_json(through)})
            })
            .collect()
    }

    fn bulk_get(&self, req: &Request) -> Response {
        let body = req.body.clone().unwrap_or(Value::Null);
        let mut results = Vec::new();
        for item in body["docs"].as_array().into_iter().flatten() {
            let id = item["id"].as_str().unwrap_or("");
            let rev = Rev::parse(item["rev"].as_str().unwrap_or("")).unwrap();
            let since = revs_of(&item["atts_since"]);
            let docs: Vec<Value> = self
                .read(id, &rev, &since)
                .into_iter()
                .map(|d| match d.get("missing") {
                    Some(m) => json!({"error": {"id": id, "rev": m, "error": "not_found", "reason": "missing"}}),
                    None => d,
                })
                .collect();
            results.push(json!({"id": id, "docs": docs}));
        }
        Response::json(200, &json!({ "results": results }))
    }

    fn open_revs(&self, id: &str, req: &Request) -> Response {
        let Some(open) = req.param("open_revs") else {
            return not_found();
        };
        let open = revs_of(&serde_json::from_str(open).unwrap_or(Value::Null));
        let since = revs_of(
            &req.param("atts_since")
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or(Value::Null),
        );
        let mut out = Vec::new();
        for rev in &open {
            for d in self.read(id, rev, &since) {
                if !out.contains(&d) {
                    out.push(d);
                }
            }
        }
        Response::json(200, &Value::Array(out))
    }

    fn bulk_docs(&mut self, req: &Request) -> Response {
        let body = req.body.clone().unwrap_or(Value::Null);
        assert_eq!(
            body["new_edits"],
            json!(false),
            "replication writes with new_edits: false"
        );
        let mut errors = Vec::new();
        for doc in body["docs"].as_array().into_iter().flatten() {
            let id = doc["_id"].as_str().unwrap_or("").to_owned();
            let parsed = ReplicatedDoc::from_json(doc.clone(), &Limits::default());
            let result = match parsed {
                Ok(d) => self.store.put_with_history(d).map_err(|e| format!("{e:?}")),
                Err(p) => Err(format!("{p:?}")),
            };
            if let Err(reason) = result {
                errors.push(json!({"id": id, "error": "missing_stub", "reason": reason}));
            }
        }
        Response::json(201, &Value::Array(errors))
    }
}

fn revs_of(v: &Value) -> Vec<Rev> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| Rev::parse(r.as_str()?).ok())
        .collect()
}

fn not_found() -> Response {
    Response::json(404, &json!({"error": "not_found", "reason": "missing"}))
}

pub fn config(direction: Direction, device: &str, session: &str) -> Config {
    Config::new(
        direction,
        "/team",
        "http://127.0.0.1:5984/team",
        device,
        session,
    )
}

/// Drives a replication to its end over the fake server.
pub fn run(cfg: Config, local: &mut MemoryStore, couch: &mut FakeCouch) -> Step {
    let mut rep = Replicator::new(cfg);
    drive(&mut rep, local, couch)
}

pub fn drive(rep: &mut Replicator, local: &mut MemoryStore, couch: &mut FakeCouch) -> Step {
    let mut guard = 0;
    while let Some(req) = rep.next_request(local) {
        let resp = couch.handle(&req);
        rep.on_response(resp);
        guard += 1;
        assert!(guard < 10_000, "the replication does not end");
    }
    rep.poll()
}
