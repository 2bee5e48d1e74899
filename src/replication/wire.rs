//! Reading the server's answers: status first, then size, then JSON, then
//! the shape each endpoint promises. Nothing here trusts the server.

use super::checkpoint::ReplicationLog;
use super::doc::{Limits, ReplicatedDoc};
use super::error::{ReplicationError, Stage};
use super::http::Response;
use super::rev::Rev;
use super::store::{Change, ChangesPage, RevsDiffEntry};
use serde_json::Value;
use std::collections::BTreeMap;

type Result<T> = std::result::Result<T, ReplicationError>;

fn shape(stage: Stage, detail: impl Into<String>) -> ReplicationError {
    ReplicationError::WrongShape {
        stage,
        detail: detail.into(),
    }
}

/// `reason` of a CouchDB error body, when there is one.
fn reason_of(resp: &Response) -> String {
    serde_json::from_slice::<Value>(&resp.body)
        .ok()
        .and_then(|v| v.get("reason").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default()
}

/// Maps the statuses that mean the same at every step.
pub fn check_status(resp: &Response, stage: Stage, ok: &[u16]) -> Result<()> {
    match resp.status {
        s if ok.contains(&s) => Ok(()),
        401 => Err(ReplicationError::Unauthorized),
        403 => Err(ReplicationError::Forbidden {
            reason: reason_of(resp),
        }),
        404 if stage == Stage::DatabaseInfo => Err(ReplicationError::DatabaseNotFound),
        s @ 500..=599 => Err(ReplicationError::ServerError {
            status: s,
            reason: reason_of(resp),
        }),
        status => Err(ReplicationError::UnexpectedStatus { stage, status }),
    }
}

pub fn json_body(resp: &Response, stage: Stage, limits: &Limits) -> Result<Value> {
    if resp.body.len() > limits.max_response_bytes {
        return Err(ReplicationError::ResponseTooLarge {
            stage,
            found: resp.body.len(),
            max: limits.max_response_bytes,
        });
    }
    serde_json::from_slice(&resp.body).map_err(|_| ReplicationError::NotJson { stage })
}

fn parse_rev(stage: Stage, v: &Value) -> Result<Rev> {
    let text = v
        .as_str()
        .ok_or_else(|| shape(stage, "a revision is not text"))?;
    Rev::parse(text).map_err(|e| shape(stage, format!("revision {text:?}: {e}")))
}

pub fn parse_db_info(v: &Value) -> Result<Option<Value>> {
    let obj = v
        .as_object()
        .ok_or_else(|| shape(Stage::DatabaseInfo, "not an object"))?;
    Ok(obj.get("update_seq").cloned())
}

/// A `_local` checkpoint and its `_rev`, needed to overwrite it.
pub fn parse_log(v: Value) -> Result<(ReplicationLog, Option<String>)> {
    let rev = v.get("_rev").and_then(Value::as_str).map(str::to_owned);
    let log: ReplicationLog = serde_json::from_value(v)
        .map_err(|e| shape(Stage::Checkpoint, format!("checkpoint: {e}")))?;
    Ok((log, rev))
}

pub fn parse_put_rev(v: &Value) -> Result<String> {
    v.get("rev")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| shape(Stage::Checkpoint, "no rev in the answer"))
}

pub fn parse_changes(v: Value, limits: &Limits) -> Result<ChangesPage> {
    let st = Stage::Changes;
    let Value::Object(mut obj) = v else {
        return Err(shape(st, "not an object"));
    };
    let last_seq = obj
        .remove("last_seq")
        .ok_or_else(|| shape(st, "no last_seq"))?;
    let Some(Value::Array(rows)) = obj.remove("results") else {
        return Err(shape(st, "results is not a list"));
    };
    let mut results = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row
            .get("id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty() && id.len() <= limits.max_id_bytes)
            .ok_or_else(|| shape(st, "a change without a valid id"))?
            .to_owned();
        let seq = row
            .get("seq")
            .cloned()
            .ok_or_else(|| shape(st, format!("change of {id:?} has no seq")))?;
        let changes = row
            .get("changes")
            .and_then(Value::as_array)
            .filter(|c| !c.is_empty())
            .ok_or_else(|| shape(st, format!("change of {id:?} lists no revisions")))?;
        let revs = changes
            .iter()
            .map(|c| parse_rev(st, c.get("rev").unwrap_or(&Value::Null)))
            .collect::<Result<Vec<Rev>>>()?;
        let deleted = match row.get("deleted") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(shape(st, "deleted is not true or false")),
        };
        results.push(Change {
            seq,
            id,
            revs,
            deleted,
        });
    }
    Ok(ChangesPage { results, last_seq })
}

pub fn parse_revs_diff(
    v: Value,
    asked: &BTreeMap<String, Vec<Rev>>,
) -> Result<BTreeMap<String, RevsDiffEntry>> {
    let st = Stage::RevsDiff;
    let Value::Object(obj) = v else {
        return Err(shape(st, "not an object"));
    };
    let mut out = BTreeMap::new();
    for (id, entry) in obj {
        let Some(asked_revs) = asked.get(&id) else {
            return Err(ReplicationError::WrongDocument {
                asked: String::new(),
                got: id,
            });
        };
        let missing = entry
            .get("missing")
            .and_then(Value::as_array)
            .ok_or_else(|| shape(st, format!("{id:?} has no missing list")))?;
        let missing = missing
            .iter()
            .map(|r| parse_rev(st, r))
            .collect::<Result<Vec<Rev>>>()?;
        if let Some(rev) = missing.iter().find(|r| !asked_revs.contains(r)) {
            return Err(ReplicationError::UnaskedRevision {
                id,
                rev: rev.to_string(),
            });
        }
        let possible_ancestors = match entry.get("possible_ancestors") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => list
                .iter()
                .map(|r| parse_rev(st, r))
                .collect::<Result<Vec<Rev>>>()?,
            Some(_) => return Err(shape(st, "possible_ancestors is not a list")),
        };
        if !missing.is_empty() {
            out.insert(
                id,
                RevsDiffEntry {
                    missing,
                    possible_ancestors,
                },
            );
        }
    }
    Ok(out)
}

/// Checks one fetched document against what was asked for it.
fn check_fetched(
    doc_value: Value,
    asked_id: &str,
    asked: &[Rev],
    limits: &Limits,
) -> Result<ReplicatedDoc> {
    let label = doc_value
        .get("_id")
        .and_then(Value::as_str)
        .unwrap_or(asked_id)
        .to_owned();
    let doc = ReplicatedDoc::from_json(doc_value, limits)
        .map_err(|problem| ReplicationError::BadDocument { id: label, problem })?;
    if doc.id != asked_id {
        return Err(ReplicationError::WrongDocument {
            asked: asked_id.to_owned(),
            got: doc.id,
        });
    }
    // With latest=true the server may answer with a descendant of what we
    // asked; it must still name the asked revision in its history.
    if !asked.iter().any(|r| doc.revisions.contains(r)) {
        return Err(ReplicationError::UnaskedRevision {
            id: doc.id,
            rev: doc.rev.to_string(),
        });
    }
    Ok(doc)
}

/// Every asked revision must be covered by a fetched one.
pub fn check_complete(docs: &[ReplicatedDoc], wanted: &BTreeMap<String, Vec<Rev>>) -> Result<()> {
    for (id, revs) in wanted {
        for rev in revs {
            if !docs
                .iter()
                .any(|d| &d.id == id && d.revisions.contains(rev))
            {
                return Err(ReplicationError::Incomplete {
                    id: id.clone(),
                    rev: rev.to_string(),
                });
            }
        }
    }
    Ok(())
}

fn push_unique(out: &mut Vec<ReplicatedDoc>, doc: ReplicatedDoc) {
    if !out.iter().any(|d| d.id == doc.id && d.rev == doc.rev) {
        out.push(doc);
    }
}

pub fn parse_bulk_get(
    v: Value,
    wanted: &BTreeMap<String, Vec<Rev>>,
    limits: &Limits,
) -> Result<Vec<ReplicatedDoc>> {
    let st = Stage::FetchDocs;
    let results = v
        .get("results")
        .and_then(Value::as_array)
        .ok_or_else(|| shape(st, "results is not a list"))?;
    let mut out = Vec::new();
    for result in results {
        let id = result
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| shape(st, "a result without id"))?;
        let Some(asked) = wanted.get(id) else {
            return Err(ReplicationError::WrongDocument {
                asked: String::new(),
                got: id.to_owned(),
            });
        };
        let docs = result
            .get("docs")
            .and_then(Value::as_array)
            .ok_or_else(|| shape(st, format!("{id:?} has no docs list")))?;
        for entry in docs {
            if let Some(doc) = entry.get("ok") {
                push_unique(&mut out, check_fetched(doc.clone(), id, asked, limits)?);
            } else if let Some(err) = entry.get("error") {
                let rev = err.get("rev").and_then(Value::as_str).unwrap_or("?");
                return Err(ReplicationError::RevisionUnavailable {
                    id: id.to_owned(),
                    rev: rev.to_owned(),
                });
            } else {
                return Err(shape(st, format!("{id:?}: neither ok nor error")));
            }
        }
    }
    check_complete(&out, wanted)?;
    Ok(out)
}

/// `GET /db/doc?open_revs=[..]` with `Accept: application/json`: a list of
/// `{"ok": doc}` and `{"missing": rev}`.
pub fn parse_open_revs(
    v: Value,
    id: &str,
    asked: &[Rev],
    limits: &Limits,
) -> Result<Vec<ReplicatedDoc>> {
    let st = Stage::FetchDocs;
    let list = v
        .as_array()
        .ok_or_else(|| shape(st, "open_revs answer is not a list"))?;
    let mut out = Vec::new();
    for entry in list {
        if let Some(doc) = entry.get("ok") {
            push_unique(&mut out, check_fetched(doc.clone(), id, asked, limits)?);
        } else if let Some(rev) = entry.get("missing") {
            return Err(ReplicationError::RevisionUnavailable {
                id: id.to_owned(),
                rev: rev.as_str().unwrap_or("?").to_owned(),
            });
        } else {
            return Err(shape(st, "open_revs entry is neither ok nor missing"));
        }
    }
    Ok(out)
}

/// Per-document failures of `_bulk_docs`: `(id, error, reason)`.
pub fn parse_bulk_docs(v: Value) -> Result<Vec<(String, String, String)>> {
    let st = Stage::WriteDocs;
    let list = v.as_array().ok_or_else(|| shape(st, "not a list"))?;
    let mut failures = Vec::new();
    for item in list {
        let obj = item
            .as_object()
            .ok_or_else(|| shape(st, "an entry is not an object"))?;
        if let Some(error) = obj.get("error") {
            let text = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            failures.push((
                text("id"),
                error.as_str().unwrap_or("error").to_owned(),
                text("reason"),
            ));
        }
    }
    Ok(failures)
}
