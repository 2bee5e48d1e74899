//! One replication, pull or push, as a state machine with no I/O:
//!
//! database info → both checkpoints → changes (a batch) → revs_diff →
//! fetch (`_bulk_get`, or `open_revs` per document when the server has no
//! `_bulk_get`) → write (`new_edits: false`) → checkpoint on both sides →
//! the next batch, until the feed is empty: done, or in live mode a
//! longpoll (pull) or idle until [`Replicator::wake`] (push).
//!
//! [`Replicator::poll`] says what to do next: an HTTP request for the server
//! or a task for the local store. The answer goes back through
//! [`Replicator::on_response`] or [`Replicator::on_local`]. Local work is a
//! task rather than a call because IndexedDB answers asynchronously; with a
//! synchronous store (tests, [`MemoryStore`]) [`Replicator::next_request`]
//! runs the tasks itself and only hands out requests.
//!
//! A batch is written only after every document in it was fetched and
//! checked, and the checkpoint moves only after the write, so an error at
//! any step leaves the store and the checkpoint as they were (or, after a
//! failed checkpoint write, with a batch that a replay merges again without
//! change).
//!
//! [`MemoryStore`]: super::memory_store::MemoryStore

use super::checkpoint::{
    log_doc_id, next_log, replication_id, resume_since, HistoryEntry, ReplicationLog, Stats,
};
use super::doc::{Limits, ReplicatedDoc};
use super::error::{ReplicationError, Stage};
use super::http::{doc_path, Method, Request, Response, TransportError};
use super::rev::Rev;
use super::store::{ChangesPage, LocalStore, RevsDiffEntry, StoreError};
use super::wire;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Server to device.
    Pull,
    /// Device to server.
    Push,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub direction: Direction,
    /// The database's path on the server, e.g. `/team` (percent-encoded).
    pub db_path: String,
    /// The server's stable identity for the replication id: base URL and
    /// database, no credentials.
    pub remote_id: String,
    /// The device database's stable identity.
    pub local_id: String,
    /// A fresh random id per session (the caller draws it: the core has no
    /// randomness).
    pub session_id: String,
    pub batch_size: usize,
    /// Keep going after catching up.
    pub live: bool,
    pub longpoll_timeout_ms: u64,
    pub limits: Limits,
}

impl Config {
    pub fn new(
        direction: Direction,
        db_path: &str,
        remote_id: &str,
        local_id: &str,
        session_id: &str,
    ) -> Config {
        Config {
            direction,
            db_path: db_path.trim_end_matches('/').to_owned(),
            remote_id: remote_id.to_owned(),
            local_id: local_id.to_owned(),
            session_id: session_id.to_owned(),
            batch_size: 100,
            live: false,
            longpoll_timeout_ms: 25_000,
            limits: Limits::default(),
        }
    }

    pub fn replication_id(&self) -> String {
        match self.direction {
            Direction::Pull => replication_id(&self.remote_id, &self.local_id, &[]),
            Direction::Push => replication_id(&self.local_id, &self.remote_id, &[]),
        }
    }
}

/// Work for the local store.
#[derive(Debug, Clone, PartialEq)]
pub enum LocalTask {
    ReadCheckpoint {
        doc_id: String,
    },
    WriteCheckpoint {
        doc_id: String,
        log: ReplicationLog,
    },
    Changes {
        since: Value,
        limit: usize,
    },
    RevsDiff {
        revs: BTreeMap<String, Vec<Rev>>,
    },
    /// Leaf revisions to push; ones no longer leaves are left out.
    ReadRevisions {
        wanted: Vec<(String, Rev)>,
    },
    /// All or nothing.
    ApplyBatch {
        docs: Vec<ReplicatedDoc>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum LocalValue {
    Checkpoint(Option<ReplicationLog>),
    Changes(ChangesPage),
    RevsDiff(BTreeMap<String, RevsDiffEntry>),
    Revisions(Vec<ReplicatedDoc>),
    Done,
}

/// Runs one task against a synchronous store.
pub fn run_local<S: LocalStore + ?Sized>(
    task: LocalTask,
    store: &mut S,
) -> Result<LocalValue, StoreError> {
    Ok(match task {
        LocalTask::ReadCheckpoint { doc_id } => {
            LocalValue::Checkpoint(store.get_checkpoint(&doc_id)?)
        }
        LocalTask::WriteCheckpoint { doc_id, log } => {
            store.put_checkpoint(&doc_id, &log)?;
            LocalValue::Done
        }
        LocalTask::Changes { since, limit } => {
            LocalValue::Changes(store.changes_since(&since, limit)?)
        }
        LocalTask::RevsDiff { revs } => {
            let mut out = BTreeMap::new();
            for (id, revs) in revs {
                let entry = store.revs_diff(&id, &revs)?;
                if !entry.missing.is_empty() {
                    out.insert(id, entry);
                }
            }
            LocalValue::RevsDiff(out)
        }
        LocalTask::ReadRevisions { wanted } => {
            let mut docs = Vec::new();
            for (id, rev) in wanted {
                docs.extend(store.read_revision(&id, &rev)?);
            }
            LocalValue::Revisions(docs)
        }
        LocalTask::ApplyBatch { docs } => {
            store.apply_batch(docs)?;
            LocalValue::Done
        }
    })
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Http(Request),
    Local(LocalTask),
    /// Live push, caught up: call [`Replicator::wake`] after a local change.
    Idle,
    Done(Summary),
    Failed(ReplicationError),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub stats: Stats,
    /// The last checkpointed source sequence.
    pub last_seq: Value,
    pub batches: u64,
    /// Changes still waiting on the server, when it says (progress bars).
    pub pending: Option<u64>,
    /// Documents the target refused for permissions: `(id, error, reason)`.
    pub rejected: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Source,
    Target,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    DbInfo,
    RemoteLog,
    LocalLog,
    Changes,
    RevsDiff,
    BulkGet,
    OpenRevs(usize),
    ReadLocal,
    Write,
    Checkpoint(Side),
    RefreshRemoteRev(Side),
    Idle,
    Done,
    Failed,
}

#[derive(Debug, Clone, Default)]
struct Batch {
    last_seq: Value,
    asked: BTreeMap<String, Vec<Rev>>,
    diffs: BTreeMap<String, RevsDiffEntry>,
    docs: Vec<ReplicatedDoc>,
    log: Option<ReplicationLog>,
    /// Entries of `diffs` already fetched by `_bulk_get`.
    fetched: usize,
    /// Documents of `docs` a push has already written.
    written: usize,
    /// Where the push's next `_bulk_docs` ends in `docs`, measured once
    /// when the previous one is done.
    write_end: usize,
}

/// The revisions each entry of a batch's diffs misses, by document.
fn wanted_of<'a>(
    diffs: impl Iterator<Item = (&'a String, &'a RevsDiffEntry)>,
) -> BTreeMap<String, Vec<Rev>> {
    diffs
        .map(|(id, d)| (id.clone(), d.missing.clone()))
        .collect()
}

#[derive(Debug, Clone)]
pub struct Replicator {
    cfg: Config,
    log_id: String,
    phase: Phase,
    remote_log: Option<ReplicationLog>,
    remote_log_rev: Option<String>,
    start_seq: Value,
    since: Value,
    checkpointed: Value,
    base_history: Vec<HistoryEntry>,
    batch: Batch,
    bulk_get: bool,
    /// How many documents one `_bulk_get` asks for; `None`, the whole
    /// batch. Halved when an answer is over `Limits::max_response_bytes`
    /// (a batch of many photos) and kept for the rest of the session, so
    /// the batch size counts documents while no answer outgrows the cap.
    fetch_chunk: Option<usize>,
    caught_up: bool,
    retried_checkpoint: bool,
    summary: Summary,
    error: Option<ReplicationError>,
}

impl Replicator {
    pub fn new(cfg: Config) -> Replicator {
        let log_id = log_doc_id(&cfg.replication_id());
        Replicator {
            cfg,
            log_id,
            phase: Phase::DbInfo,
            remote_log: None,
            remote_log_rev: None,
            start_seq: Value::from(0),
            since: Value::from(0),
            checkpointed: Value::from(0),
            base_history: Vec::new(),
            batch: Batch::default(),
            bulk_get: true,
            fetch_chunk: None,
            caught_up: false,
            retried_checkpoint: false,
            summary: Summary::default(),
            error: None,
        }
    }

    /// `_local/<replication id>`.
    pub fn checkpoint_doc_id(&self) -> &str {
        &self.log_id
    }

    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Whether `_bulk_get` is still believed to work.
    pub fn uses_bulk_get(&self) -> bool {
        self.bulk_get
    }

    /// After a local change in live push: look at the changes again.
    pub fn wake(&mut self) {
        if self.phase == Phase::Idle {
            self.phase = Phase::Changes;
        }
    }

    /// What to do next. Asking twice gives the same step.
    pub fn poll(&self) -> Step {
        let pull = self.cfg.direction == Direction::Pull;
        let db = &self.cfg.db_path;
        match self.phase {
            Phase::DbInfo => Step::Http(Request::new(Method::Get, db.clone())),
            Phase::RemoteLog | Phase::RefreshRemoteRev(_) => {
                Step::Http(Request::new(Method::Get, self.remote_log_path()))
            }
            Phase::LocalLog => Step::Local(LocalTask::ReadCheckpoint {
                doc_id: self.log_id.clone(),
            }),
            Phase::Changes if pull => {
                let mut req = Request::new(Method::Get, format!("{db}/_changes"))
                    .query("style", "all_docs")
                    .query("since", since_param(&self.since))
                    .query("limit", self.cfg.batch_size.to_string());
                if self.cfg.live && self.caught_up {
                    req = req
                        .query("feed", "longpoll")
                        .query("timeout", self.cfg.longpoll_timeout_ms.to_string());
                } else {
                    req = req.query("feed", "normal");
                }
                Step::Http(req)
            }
            Phase::Changes => Step::Local(LocalTask::Changes {
                since: self.since.clone(),
                limit: self.cfg.batch_size,
            }),
            Phase::RevsDiff if pull => Step::Local(LocalTask::RevsDiff {
                revs: self.batch.asked.clone(),
            }),
            Phase::RevsDiff => {
                let body: Map<String, Value> = self
                    .batch
                    .asked
                    .iter()
                    .map(|(id, revs)| (id.clone(), revs_json(revs)))
                    .collect();
                Step::Http(
                    Request::new(Method::Post, format!("{db}/_revs_diff"))
                        .json(Value::Object(body)),
                )
            }
            Phase::BulkGet => {
                let mut docs = Vec::new();
                for (id, diff) in self.fetching() {
                    for rev in &diff.missing {
                        let mut item = json!({"id": id, "rev": rev.to_string()});
                        if !diff.possible_ancestors.is_empty() {
                            item["atts_since"] = revs_json(&diff.possible_ancestors);
                        }
                        docs.push(item);
                    }
                }
                Step::Http(
                    Request::new(Method::Post, format!("{db}/_bulk_get"))
                        .query("revs", "true")
                        .query("latest", "true")
                        .query("attachments", "true")
                        .json(json!({ "docs": docs })),
                )
            }
            Phase::OpenRevs(i) => {
                let (id, diff) = self.batch.diffs.iter().nth(i).expect("index within diffs");
                let mut req = Request::new(Method::Get, doc_path(db, id))
                    .query("revs", "true")
                    .query("latest", "true")
                    .query("open_revs", revs_json(&diff.missing).to_string())
                    .query("attachments", "true");
                if !diff.possible_ancestors.is_empty() {
                    req = req.query(
                        "atts_since",
                        revs_json(&diff.possible_ancestors).to_string(),
                    );
                }
                Step::Http(req)
            }
            Phase::ReadLocal => Step::Local(LocalTask::ReadRevisions {
                wanted: self
                    .batch
                    .diffs
                    .iter()
                    .flat_map(|(id, d)| d.missing.iter().map(move |r| (id.clone(), r.clone())))
                    .collect(),
            }),
            Phase::Write if pull => Step::Local(LocalTask::ApplyBatch {
                docs: self.batch.docs.clone(),
            }),
            Phase::Write => {
                let docs: Vec<Value> = self
                    .batch
                    .docs
                    .iter()
                    .take(self.batch.write_end)
                    .skip(self.batch.written)
                    .map(|d| d.to_json(self.stub_through(d)))
                    .collect();
                Step::Http(
                    Request::new(Method::Post, format!("{db}/_bulk_docs"))
                        .json(json!({"docs": docs, "new_edits": false})),
                )
            }
            Phase::Checkpoint(side) => {
                let log = self.batch.log.clone().expect("log prepared");
                if self.is_remote(side) {
                    let mut body = serde_json::to_value(&log).expect("log serializes");
                    body["_id"] = self.log_id.clone().into();
                    if let Some(rev) = &self.remote_log_rev {
                        body["_rev"] = rev.clone().into();
                    }
                    Step::Http(Request::new(Method::Put, self.remote_log_path()).json(body))
                } else {
                    Step::Local(LocalTask::WriteCheckpoint {
                        doc_id: self.log_id.clone(),
                        log,
                    })
                }
            }
            Phase::Idle => Step::Idle,
            Phase::Done => Step::Done(self.summary.clone()),
            Phase::Failed => Step::Failed(self.error.clone().expect("failed with an error")),
        }
    }

    /// Runs local tasks on `store` until the next request; `None` when the
    /// replication is done, failed or idle (see [`Replicator::poll`]).
    pub fn next_request<S: LocalStore + ?Sized>(&mut self, store: &mut S) -> Option<Request> {
        loop {
            match self.poll() {
                Step::Http(req) => return Some(req),
                Step::Local(task) => {
                    let result = run_local(task, store);
                    self.on_local(result);
                }
                _ => return None,
            }
        }
    }

    pub fn on_response(&mut self, result: Result<Response, TransportError>) {
        if !matches!(self.poll(), Step::Http(_)) {
            return;
        }
        let resp = match result {
            Ok(r) => r,
            Err(e) => return self.fail(ReplicationError::Network { detail: e.detail }),
        };
        if let Err(e) = self.handle_response(resp) {
            self.fail(e);
        }
    }

    pub fn on_local(&mut self, result: Result<LocalValue, StoreError>) {
        if !matches!(self.poll(), Step::Local(_)) {
            return;
        }
        let outcome = result
            .map_err(ReplicationError::Local)
            .and_then(|v| self.handle_local(v));
        if let Err(e) = outcome {
            self.fail(e);
        }
    }

    fn fail(&mut self, e: ReplicationError) {
        self.error = Some(e);
        self.phase = Phase::Failed;
    }

    fn remote_log_path(&self) -> String {
        format!("{}/{}", self.cfg.db_path, self.log_id)
    }

    fn is_remote(&self, side: Side) -> bool {
        matches!(
            (self.cfg.direction, side),
            (Direction::Pull, Side::Source) | (Direction::Push, Side::Target)
        )
    }

    /// Attachments at or below the newest ancestor the target holds go as
    /// stubs: they have not changed since, so the target has the bytes.
    fn stub_through(&self, doc: &ReplicatedDoc) -> u64 {
        self.batch
            .diffs
            .get(&doc.id)
            .map(|d| {
                d.possible_ancestors
                    .iter()
                    .filter(|a| doc.revisions.contains(a))
                    .map(|a| a.pos)
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0)
    }

    fn json(&self, resp: &Response, stage: Stage, ok: &[u16]) -> Result<Value, ReplicationError> {
        wire::check_status(resp, stage, ok)?;
        wire::json_body(resp, stage, &self.cfg.limits)
    }

    fn handle_response(&mut self, resp: Response) -> Result<(), ReplicationError> {
        let limits = self.cfg.limits;
        match self.phase {
            Phase::DbInfo => {
                let v = self.json(&resp, Stage::DatabaseInfo, &[200])?;
                wire::parse_db_info(&v)?;
                self.phase = Phase::RemoteLog;
            }
            Phase::RemoteLog | Phase::RefreshRemoteRev(_) => {
                let found = if resp.status == 404 {
                    None
                } else {
                    Some(wire::parse_log(self.json(
                        &resp,
                        Stage::Checkpoint,
                        &[200],
                    )?)?)
                };
                self.remote_log_rev = found.as_ref().and_then(|(_, rev)| rev.clone());
                match self.phase {
                    Phase::RefreshRemoteRev(side) => self.phase = Phase::Checkpoint(side),
                    _ => {
                        self.remote_log = found.map(|(log, _)| log);
                        self.phase = Phase::LocalLog;
                    }
                }
            }
            Phase::Changes => {
                let v = self.json(&resp, Stage::Changes, &[200])?;
                self.summary.pending = v.get("pending").and_then(Value::as_u64);
                let page = wire::parse_changes(v, &limits)?;
                self.on_changes(page)?;
            }
            Phase::RevsDiff => {
                let v = self.json(&resp, Stage::RevsDiff, &[200])?;
                let diffs = wire::parse_revs_diff(v, &self.batch.asked)?;
                self.on_diffs(diffs);
            }
            Phase::BulkGet => {
                if matches!(resp.status, 400 | 404 | 405) {
                    // No `_bulk_get` on this server: ask per document from
                    // now on.
                    self.bulk_get = false;
                    self.phase = Phase::OpenRevs(0);
                    return Ok(());
                }
                let chunk = self.fetching().count();
                let v = match self.json(&resp, Stage::FetchDocs, &[200]) {
                    Err(ReplicationError::ResponseTooLarge { .. }) if chunk > 1 => {
                        self.fetch_chunk = Some(chunk / 2);
                        return Ok(());
                    }
                    answer => answer?,
                };
                let wanted = wanted_of(self.fetching());
                let docs = wire::parse_bulk_get(v, &wanted, &limits)?;
                self.batch.docs.extend(docs);
                self.batch.fetched += chunk;
                if self.batch.fetched >= self.batch.diffs.len() {
                    self.phase = Phase::Write;
                }
            }
            Phase::OpenRevs(i) => {
                let v = self.json(&resp, Stage::FetchDocs, &[200])?;
                let (id, diff) = self.batch.diffs.iter().nth(i).expect("index within diffs");
                let docs = wire::parse_open_revs(v, id, &diff.missing, &limits)?;
                self.batch.docs.extend(docs);
                if i + 1 < self.batch.diffs.len() {
                    self.phase = Phase::OpenRevs(i + 1);
                } else {
                    wire::check_complete(&self.batch.docs, &self.wanted())?;
                    self.phase = Phase::Write;
                }
            }
            Phase::Write => {
                // 202: a CouchDB cluster wrote the batch on fewer nodes than its
                // write quorum; the writes stand and spread by themselves.
                let v = self.json(&resp, Stage::WriteDocs, &[200, 201, 202])?;
                let failures = wire::parse_bulk_docs(v)?;
                let mut refused = 0;
                for (id, error, reason) in failures {
                    if matches!(error.as_str(), "forbidden" | "unauthorized") {
                        refused += 1;
                        self.summary.rejected.push((id, error, reason));
                    } else {
                        return Err(ReplicationError::DocWriteFailed { id, error, reason });
                    }
                }
                let n = self.batch.write_end - self.batch.written;
                self.summary.stats.doc_write_failures += refused;
                self.summary.stats.docs_written += (n as u64).saturating_sub(refused);
                self.batch.written = self.batch.write_end;
                if self.batch.written >= self.batch.docs.len() {
                    self.start_checkpoint();
                } else {
                    self.batch.write_end = self.write_end();
                }
            }
            Phase::Checkpoint(side) => {
                if resp.status == 409 {
                    if self.retried_checkpoint {
                        return Err(ReplicationError::CheckpointConflict);
                    }
                    self.retried_checkpoint = true;
                    self.phase = Phase::RefreshRemoteRev(side);
                    return Ok(());
                }
                let v = self.json(&resp, Stage::Checkpoint, &[200, 201, 202])?;
                self.remote_log_rev = Some(wire::parse_put_rev(&v)?);
                self.retried_checkpoint = false;
                self.after_checkpoint(side);
            }
            _ => {}
        }
        Ok(())
    }

    fn handle_local(&mut self, value: LocalValue) -> Result<(), ReplicationError> {
        match (self.phase, value) {
            (Phase::LocalLog, LocalValue::Checkpoint(local)) => {
                let (source, target) = match self.cfg.direction {
                    Direction::Pull => (self.remote_log.as_ref(), local.as_ref()),
                    Direction::Push => (local.as_ref(), self.remote_log.as_ref()),
                };
                let resume = resume_since(source, target);
                self.start_seq = resume.since.clone();
                self.since = resume.since.clone();
                self.checkpointed = resume.since;
                self.base_history = resume.history;
                self.summary.last_seq = self.since.clone();
                self.phase = Phase::Changes;
            }
            (Phase::Changes, LocalValue::Changes(page)) => self.on_changes(page)?,
            (Phase::RevsDiff, LocalValue::RevsDiff(diffs)) => self.on_diffs(diffs),
            (Phase::ReadLocal, LocalValue::Revisions(docs)) => {
                self.summary.stats.docs_read += docs.len() as u64;
                self.batch.docs = docs;
                if self.batch.docs.is_empty() {
                    self.start_checkpoint();
                } else {
                    self.batch.write_end = self.write_end();
                    self.phase = Phase::Write;
                }
            }
            (Phase::Write, LocalValue::Done) => {
                self.summary.stats.docs_written += self.batch.docs.len() as u64;
                self.start_checkpoint();
            }
            (Phase::Checkpoint(side), LocalValue::Done) => self.after_checkpoint(side),
            (_, other) => {
                return Err(ReplicationError::Local(StoreError::Backend {
                    detail: format!("unexpected local answer {other:?}"),
                }))
            }
        }
        Ok(())
    }

    /// Where the push's next `_bulk_docs` ends: as many of the batch's
    /// documents after `written` as fit in `Limits::max_request_bytes`,
    /// one at least.
    fn write_end(&self) -> usize {
        let max = self.cfg.limits.max_request_bytes;
        let mut bytes = 0;
        let mut end = self.batch.written;
        for d in &self.batch.docs[self.batch.written..] {
            let size = d.wire_bytes(self.stub_through(d));
            if end > self.batch.written && bytes + size > max {
                break;
            }
            bytes += size;
            end += 1;
        }
        end
    }

    /// The entries of the batch's diffs the next `_bulk_get` asks for.
    fn fetching(&self) -> impl Iterator<Item = (&String, &RevsDiffEntry)> {
        let rest = self.batch.diffs.len() - self.batch.fetched;
        let chunk = self.fetch_chunk.map_or(rest, |c| c.min(rest));
        self.batch.diffs.iter().skip(self.batch.fetched).take(chunk)
    }

    fn wanted(&self) -> BTreeMap<String, Vec<Rev>> {
        wanted_of(self.batch.diffs.iter())
    }

    fn on_changes(&mut self, page: ChangesPage) -> Result<(), ReplicationError> {
        if !page.results.is_empty() && page.last_seq == self.since {
            // The same rows again and again would never end.
            return Err(ReplicationError::WrongShape {
                stage: Stage::Changes,
                detail: "the feed does not move past its since".into(),
            });
        }
        let mut asked: BTreeMap<String, Vec<Rev>> = BTreeMap::new();
        for change in &page.results {
            // Never replicated: each peer keeps its own.
            if change.id.starts_with("_local/") {
                continue;
            }
            let revs = asked.entry(change.id.clone()).or_default();
            for rev in &change.revs {
                if !revs.contains(rev) {
                    revs.push(rev.clone());
                }
            }
        }
        self.batch = Batch {
            last_seq: page.last_seq.clone(),
            ..Batch::default()
        };
        if page.results.is_empty() {
            if page.last_seq != self.checkpointed {
                // Seqs can move without documents (deletions of _local
                // docs, other replications): remember how far we read.
                self.start_checkpoint();
            } else {
                self.caught_up = true;
                self.phase = match (self.cfg.live, self.cfg.direction) {
                    (false, _) => Phase::Done,
                    (true, Direction::Pull) => Phase::Changes,
                    (true, Direction::Push) => Phase::Idle,
                };
            }
            return Ok(());
        }
        self.summary.stats.missing_checked += asked.values().map(|r| r.len() as u64).sum::<u64>();
        self.batch.asked = asked;
        if self.batch.asked.is_empty() {
            self.start_checkpoint();
        } else {
            self.phase = Phase::RevsDiff;
        }
        Ok(())
    }

    fn on_diffs(&mut self, diffs: BTreeMap<String, RevsDiffEntry>) {
        self.summary.stats.missing_found +=
            diffs.values().map(|d| d.missing.len() as u64).sum::<u64>();
        self.batch.diffs = diffs;
        self.phase = if self.batch.diffs.is_empty() {
            self.start_checkpoint();
            return;
        } else if self.cfg.direction == Direction::Push {
            Phase::ReadLocal
        } else if self.bulk_get {
            Phase::BulkGet
        } else {
            Phase::OpenRevs(0)
        };
        if self.cfg.direction == Direction::Pull {
            // Counted when fetched, for pull; push counts in ReadLocal.
            let n = self
                .batch
                .diffs
                .values()
                .map(|d| d.missing.len() as u64)
                .sum::<u64>();
            self.summary.stats.docs_read += n;
        }
    }

    fn start_checkpoint(&mut self) {
        if self.batch.last_seq == self.checkpointed {
            self.finish_batch();
            return;
        }
        self.batch.log = Some(next_log(
            &self.cfg.session_id,
            &self.start_seq,
            &self.batch.last_seq,
            &self.base_history,
            self.summary.stats,
        ));
        self.phase = Phase::Checkpoint(Side::Source);
    }

    fn after_checkpoint(&mut self, side: Side) {
        match side {
            Side::Source => self.phase = Phase::Checkpoint(Side::Target),
            Side::Target => {
                self.checkpointed = self.batch.last_seq.clone();
                self.summary.last_seq = self.checkpointed.clone();
                self.finish_batch();
            }
        }
    }

    fn finish_batch(&mut self) {
        self.summary.batches += 1;
        self.since = self.batch.last_seq.clone();
        self.batch = Batch::default();
        self.phase = Phase::Changes;
    }
}

fn revs_json(revs: &[Rev]) -> Value {
    Value::Array(revs.iter().map(|r| Value::from(r.to_string())).collect())
}

/// `since` as the query takes it: a string seq as it is, anything else as
/// its JSON text.
fn since_param(since: &Value) -> String {
    match since {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
