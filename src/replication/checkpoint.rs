//! Replication ids and the replication logs (`_local/<id>` checkpoint
//! documents) kept on both peers, and where a new session resumes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// How many past sessions a log keeps, as CouchDB's replicator does.
pub const HISTORY_LIMIT: usize = 50;

/// Our own scheme for ids, written into every log.
pub const REPLICATION_ID_VERSION: u64 = 1;

/// The sequence to start from when there is no shared history.
pub fn lowest_seq() -> Value {
    Value::from(0)
}

/// The id of one replication: the checkpoint documents are
/// `_local/<replication_id(..)>` on both peers.
///
/// Inputs, and why: `source` and `target` are the peers' stable identities
/// (for the server its base URL and database name, without credentials; for
/// the device its own database id), so pull and push between the same two
/// databases have different ids and neither resumes from the other's seqs.
/// `options` are whatever changes which documents flow (a filter, doc ids),
/// as `name=value` pairs in any order. Live or one-shot is deliberately not an
/// input: both read the same feed, so a live session resumes where the last
/// "Sync now" stopped. The id need not equal CouchDB's own: only this
/// replicator reads these logs. Changing the server URL's spelling (a slash,
/// http or https) gives a new id and so one full, harmless re-check.
pub fn replication_id(source: &str, target: &str, options: &[(&str, &str)]) -> String {
    let mut options: Vec<(&str, &str)> = options.to_vec();
    options.sort();
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        // Length-prefixed, so no choice of names can make two inputs collide.
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(bytes);
    };
    field(b"servicelens-replication");
    field(&REPLICATION_ID_VERSION.to_be_bytes());
    field(source.as_bytes());
    field(target.as_bytes());
    for (name, value) in options {
        field(name.as_bytes());
        field(value.as_bytes());
    }
    let digest = hasher.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The document id of a replication's log.
pub fn log_doc_id(replication_id: &str) -> String {
    format!("_local/{replication_id}")
}

/// One session's record in a log's `history`. Fields other peers add
/// (`start_time`, `docs_read`, ...) are kept as they came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub session_id: String,
    /// An opaque sequence of the source.
    #[serde(default = "lowest_seq")]
    pub recorded_seq: Value,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A replication log, the body of `_local/<id>` without `_id` and `_rev`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplicationLog {
    pub session_id: String,
    #[serde(default = "lowest_seq")]
    pub source_last_seq: Value,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    #[serde(default)]
    pub replication_id_version: u64,
}

/// Where a session starts, and the history its own entries go in front of.
#[derive(Debug, Clone, PartialEq)]
pub struct Resume {
    pub since: Value,
    pub history: Vec<HistoryEntry>,
}

impl Resume {
    pub fn from_scratch() -> Resume {
        Resume {
            since: lowest_seq(),
            history: Vec::new(),
        }
    }
}

/// The newest session both logs recorded, as CouchDB's
/// `compare_replication_logs` (and PouchDB's checkpointer) find it: the same
/// last session means `source_last_seq`; otherwise the histories are walked
/// newest first for a session id both hold, and its `recorded_seq` is used.
/// A missing log on either side means a full replication.
pub fn resume_since(source: Option<&ReplicationLog>, target: Option<&ReplicationLog>) -> Resume {
    let (Some(source), Some(target)) = (source, target) else {
        return Resume::from_scratch();
    };
    if source.session_id == target.session_id {
        return Resume {
            since: source.source_last_seq.clone(),
            history: source.history.clone(),
        };
    }
    compare_history(&source.history, &target.history)
}

fn compare_history(source: &[HistoryEntry], target: &[HistoryEntry]) -> Resume {
    let has = |id: &str, history: &[HistoryEntry]| history.iter().any(|e| e.session_id == id);
    let (mut s, mut t) = (source, target);
    while let (Some(s_head), Some(t_head)) = (s.first(), t.first()) {
        if has(&s_head.session_id, t) {
            return Resume {
                since: s_head.recorded_seq.clone(),
                history: s[1..].to_vec(),
            };
        }
        if has(&t_head.session_id, &s[1..]) {
            return Resume {
                since: t_head.recorded_seq.clone(),
                history: t[1..].to_vec(),
            };
        }
        s = &s[1..];
        t = &t[1..];
    }
    Resume::from_scratch()
}

/// Counts recorded with each checkpoint, as CouchDB records them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub missing_checked: u64,
    pub missing_found: u64,
    pub docs_read: u64,
    pub docs_written: u64,
    pub doc_write_failures: u64,
}

/// The log written at a checkpoint of session `session_id`: this session's
/// entry in front of the history the session resumed from, capped at
/// [`HISTORY_LIMIT`]. Every checkpoint of one session replaces the entry of
/// the previous one, because `base` stays the history found at its start.
pub fn next_log(
    session_id: &str,
    start_seq: &Value,
    seq: &Value,
    base: &[HistoryEntry],
    stats: Stats,
) -> ReplicationLog {
    let mut extra = Map::new();
    extra.insert("start_last_seq".into(), start_seq.clone());
    extra.insert("end_last_seq".into(), seq.clone());
    extra.insert("missing_checked".into(), stats.missing_checked.into());
    extra.insert("missing_found".into(), stats.missing_found.into());
    extra.insert("docs_read".into(), stats.docs_read.into());
    extra.insert("docs_written".into(), stats.docs_written.into());
    extra.insert("doc_write_failures".into(), stats.doc_write_failures.into());
    let mut history = vec![HistoryEntry {
        session_id: session_id.to_owned(),
        recorded_seq: seq.clone(),
        extra,
    }];
    history.extend(base.iter().take(HISTORY_LIMIT - 1).cloned());
    ReplicationLog {
        session_id: session_id.to_owned(),
        source_last_seq: seq.clone(),
        history,
        replication_id_version: REPLICATION_ID_VERSION,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(session: &str, seq: Value) -> HistoryEntry {
        HistoryEntry {
            session_id: session.into(),
            recorded_seq: seq,
            extra: Map::new(),
        }
    }

    fn log(session: &str, last: Value, history: Vec<HistoryEntry>) -> ReplicationLog {
        ReplicationLog {
            session_id: session.into(),
            source_last_seq: last,
            history,
            replication_id_version: 1,
        }
    }

    #[test]
    fn replication_id_is_deterministic_and_tells_inputs_apart() {
        let a = replication_id("https://db.example/team", "device-1", &[]);
        assert_eq!(
            a,
            replication_id("https://db.example/team", "device-1", &[])
        );
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        // Direction matters: push and pull keep separate logs.
        assert_ne!(
            a,
            replication_id("device-1", "https://db.example/team", &[])
        );
        // No concatenation collision.
        assert_ne!(
            replication_id("ab", "c", &[]),
            replication_id("a", "bc", &[])
        );
        // Options count, in any order.
        let f1 = replication_id("s", "t", &[("filter", "x"), ("doc_ids", "a")]);
        let f2 = replication_id("s", "t", &[("doc_ids", "a"), ("filter", "x")]);
        assert_eq!(f1, f2);
        assert_ne!(f1, replication_id("s", "t", &[]));
        assert_eq!(log_doc_id("abc"), "_local/abc");
    }

    #[test]
    fn no_log_on_either_side_is_a_full_replication() {
        let l = log("s1", json!(10), vec![entry("s1", json!(10))]);
        assert_eq!(resume_since(None, Some(&l)), Resume::from_scratch());
        assert_eq!(resume_since(Some(&l), None), Resume::from_scratch());
        assert_eq!(resume_since(None, None).since, json!(0));
    }

    #[test]
    fn same_last_session_resumes_from_source_last_seq() {
        let h = vec![entry("s2", json!("7-abc")), entry("s1", json!("3-x"))];
        let src = log("s2", json!("7-abc"), h.clone());
        let tgt = log("s2", json!("7-abc"), h.clone());
        let r = resume_since(Some(&src), Some(&tgt));
        assert_eq!(r.since, json!("7-abc"));
        assert_eq!(r.history, h);
    }

    #[test]
    fn differing_last_sessions_resume_from_the_newest_shared_one() {
        // The target missed session s3 (its checkpoint write failed).
        let src = log(
            "s3",
            json!(30),
            vec![
                entry("s3", json!(30)),
                entry("s2", json!(20)),
                entry("s1", json!(10)),
            ],
        );
        let tgt = log(
            "s2",
            json!(20),
            vec![entry("s2", json!(20)), entry("s1", json!(10))],
        );
        let r = resume_since(Some(&src), Some(&tgt));
        assert_eq!(r.since, json!(20));
        assert_eq!(r.history, vec![entry("s1", json!(10))]);
        // And the other way round: the source missed it.
        let r = resume_since(Some(&tgt), Some(&src));
        assert_eq!(r.since, json!(20));
    }

    #[test]
    fn histories_with_nothing_in_common_start_over() {
        let src = log("a", json!(5), vec![entry("a", json!(5))]);
        let tgt = log("b", json!(9), vec![entry("b", json!(9))]);
        assert_eq!(resume_since(Some(&src), Some(&tgt)), Resume::from_scratch());
        let empty = log("c", json!(9), vec![]);
        assert_eq!(
            resume_since(Some(&src), Some(&empty)),
            Resume::from_scratch()
        );
    }

    #[test]
    fn next_log_puts_the_session_first_and_caps_history() {
        let base: Vec<HistoryEntry> = (0..80)
            .map(|i| entry(&format!("old{i}"), json!(i)))
            .collect();
        let l = next_log("now", &json!(3), &json!("99-z"), &base, Stats::default());
        assert_eq!(l.session_id, "now");
        assert_eq!(l.source_last_seq, json!("99-z"));
        assert_eq!(l.history.len(), HISTORY_LIMIT);
        assert_eq!(l.history[0].session_id, "now");
        assert_eq!(l.history[0].recorded_seq, json!("99-z"));
        assert_eq!(l.history[1].session_id, "old0");
        // What we write, we read back, and others' extra fields survive.
        let text = serde_json::to_value(&l).unwrap();
        assert_eq!(text["history"][0]["start_last_seq"], json!(3));
        let back: ReplicationLog = serde_json::from_value(text).unwrap();
        assert_eq!(back, l);
    }
}
