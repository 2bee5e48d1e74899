//! The reference [`LocalStore`]: revision trees, the bodies of every leaf
//! (conflicting ones too, so they can be pushed and shown), attachment data
//! by digest, a sequence counter and checkpoints, all in memory. The tests'
//! fake CouchDB keeps its documents in one too.

use super::checkpoint::ReplicationLog;
use super::doc::{md5_digest, Attachment, ReplicatedDoc};
use super::rev::Rev;
use super::rev_tree::{
    collect_conflicts, collect_leaves, merge, rev_exists, revisions_of, winning_rev, RevTree,
    DEFAULT_REVS_LIMIT,
};
use super::store::{Change, ChangesPage, LocalStore, RevsDiffEntry, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LeafBody {
    rev: Rev,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    deleted: bool,
    /// The body as JSON text: a first pull holds every document of the
    /// team in memory, and a `Map` of `Value`s takes about ten times the
    /// bytes of its text (100,000 responses ran the browser's wasm memory
    /// out). Saved as the text too; a body saved as an object still reads.
    #[serde(with = "body_text")]
    body: Box<str>,
    /// Without data; the bytes live in `StoredDoc::blobs`.
    #[serde(default, with = "stub_map")]
    attachments: BTreeMap<String, Attachment>,
}

/// One document as a device keeps it between sessions (the app's
/// `revisions` store): its tree, the bodies of its leaves, the attachment
/// data they use (base64) and the sequence of its last change. Opaque to
/// everyone but this module.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StoredDoc {
    tree: RevTree,
    #[serde(with = "leaf_list")]
    leaves: BTreeMap<Rev, LeafBody>,
    #[serde(default, with = "blob_map")]
    blobs: BTreeMap<String, Vec<u8>>,
    seq: u64,
}

impl StoredDoc {
    pub fn seq(&self) -> u64 {
        self.seq
    }
}

/// Everything a [`MemoryStore`] holds besides its documents, kept as one
/// record between sessions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StoreState {
    pub seq: u64,
    pub checkpoints: BTreeMap<String, ReplicationLog>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemoryStore {
    docs: BTreeMap<String, StoredDoc>,
    checkpoints: BTreeMap<String, ReplicationLog>,
    seq: u64,
    revs_limit: usize,
    /// Documents and checkpoints changed since [`MemoryStore::take_dirty`]
    /// last ran: what a device must write to keep this store.
    dirty: BTreeSet<String>,
    checkpoints_dirty: bool,
}

/// What changed in a [`MemoryStore`] since it was last saved.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dirty {
    pub docs: Vec<(String, StoredDoc)>,
    /// `Some` when the sequence or a checkpoint moved.
    pub state: Option<StoreState>,
}

impl Dirty {
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty() && self.state.is_none()
    }
}

mod stub_map {
    use super::Attachment;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    #[derive(Serialize, Deserialize)]
    struct Stub {
        content_type: String,
        digest: String,
        length: u64,
        revpos: u64,
    }

    pub fn serialize<S: Serializer>(
        m: &BTreeMap<String, Attachment>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let stubs: BTreeMap<&String, Stub> = m
            .iter()
            .map(|(k, a)| {
                (
                    k,
                    Stub {
                        content_type: a.content_type.clone(),
                        digest: a.digest.clone(),
                        length: a.length,
                        revpos: a.revpos,
                    },
                )
            })
            .collect();
        stubs.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Attachment>, D::Error> {
        let stubs = BTreeMap::<String, Stub>::deserialize(d)?;
        Ok(stubs
            .into_iter()
            .map(|(k, s)| {
                (
                    k,
                    Attachment {
                        content_type: s.content_type,
                        digest: s.digest,
                        length: s.length,
                        revpos: s.revpos,
                        data: None,
                    },
                )
            })
            .collect())
    }
}

mod body_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_json::{Map, Value};

    /// Saved as its text: one string for IndexedDB to copy, where an
    /// object is a call into JavaScript per field.
    pub fn serialize<S: Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(text)
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Saved {
        Text(String),
        /// As devices saved bodies before they were kept as text.
        Object(Map<String, Value>),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Box<str>, D::Error> {
        Ok(match Saved::deserialize(d)? {
            Saved::Text(t) => {
                // Only a JSON object is a body: a string that is not one is
                // a damaged record, refused like any other.
                serde_json::from_str::<Map<String, Value>>(&t).map_err(serde::de::Error::custom)?;
                t.into_boxed_str()
            }
            Saved::Object(body) => super::body_text(&body),
        })
    }
}

/// The text of a body, as `LeafBody` keeps it.
fn body_text(body: &Map<String, Value>) -> Box<str> {
    serde_json::to_string(body)
        .expect("a JSON object serializes")
        .into_boxed_str()
}

/// A body back from its text, which only `body_text` wrote.
fn body_of(text: &str) -> Map<String, Value> {
    serde_json::from_str(text).expect("a body's text is the JSON object it was")
}

mod leaf_list {
    use super::{LeafBody, Rev};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(m: &BTreeMap<Rev, LeafBody>, s: S) -> Result<S::Ok, S::Error> {
        let list: Vec<&LeafBody> = m.values().collect();
        list.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<Rev, LeafBody>, D::Error> {
        let list = Vec::<LeafBody>::deserialize(d)?;
        Ok(list.into_iter().map(|l| (l.rev.clone(), l)).collect())
    }
}

mod blob_map {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(
        m: &BTreeMap<String, Vec<u8>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let text: BTreeMap<&String, String> =
            m.iter().map(|(k, v)| (k, STANDARD.encode(v))).collect();
        text.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Vec<u8>>, D::Error> {
        let text = BTreeMap::<String, String>::deserialize(d)?;
        text.into_iter()
            .map(|(k, v)| STANDARD.decode(v).map(|b| (k, b)).map_err(D::Error::custom))
            .collect()
    }
}

impl Default for MemoryStore {
    fn default() -> MemoryStore {
        MemoryStore::new()
    }
}

/// A new attachment of a local edit.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::with_revs_limit(DEFAULT_REVS_LIMIT)
    }

    pub fn with_revs_limit(revs_limit: usize) -> MemoryStore {
        MemoryStore {
            docs: BTreeMap::new(),
            checkpoints: BTreeMap::new(),
            seq: 0,
            revs_limit: revs_limit.max(1),
            dirty: BTreeSet::new(),
            checkpoints_dirty: false,
        }
    }

    /// A store as a device saved it: its documents (from
    /// [`MemoryStore::take_dirty`], kept by id) and its state. Nothing is
    /// dirty after loading.
    pub fn load(
        docs: impl IntoIterator<Item = (String, StoredDoc)>,
        state: StoreState,
    ) -> MemoryStore {
        let docs: BTreeMap<String, StoredDoc> = docs.into_iter().collect();
        let seq = docs
            .values()
            .map(|d| d.seq)
            .max()
            .unwrap_or(0)
            .max(state.seq);
        MemoryStore {
            docs,
            checkpoints: state.checkpoints,
            seq,
            ..MemoryStore::new()
        }
    }

    /// What changed since the last call: every document written, and the
    /// state when the sequence or a checkpoint moved. Saving it whole keeps
    /// the device's copy equal to this store.
    pub fn take_dirty(&mut self) -> Dirty {
        let ids = std::mem::take(&mut self.dirty);
        let state = (self.checkpoints_dirty || !ids.is_empty()).then(|| StoreState {
            seq: self.seq,
            checkpoints: self.checkpoints.clone(),
        });
        self.checkpoints_dirty = false;
        Dirty {
            docs: ids
                .into_iter()
                .filter_map(|id| self.docs.get(&id).cloned().map(|d| (id, d)))
                .collect(),
            state,
        }
    }

    pub fn checkpoints(&self) -> &BTreeMap<String, ReplicationLog> {
        &self.checkpoints
    }

    /// Whether [`MemoryStore::take_dirty`] has anything to report.
    pub fn is_dirty(&self) -> bool {
        self.checkpoints_dirty || !self.dirty.is_empty()
    }

    /// The last sequence handed out.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.docs.keys().map(String::as_str)
    }

    pub fn rev_tree(&self, id: &str) -> Option<&RevTree> {
        self.docs.get(id).map(|d| &d.tree)
    }

    pub fn winning_rev(&self, id: &str) -> Option<Rev> {
        winning_rev(&self.docs.get(id)?.tree)
    }

    /// Whether the leaf `rev` of `id` is a deletion, without reading it;
    /// `None` when it is not a leaf.
    pub fn leaf_deleted(&self, id: &str, rev: &Rev) -> Option<bool> {
        self.docs.get(id)?.leaves.get(rev).map(|l| l.deleted)
    }

    /// Non-deleted leaves other than the winner.
    pub fn conflicts(&self, id: &str) -> Vec<Rev> {
        self.docs
            .get(id)
            .map(|d| collect_conflicts(&d.tree))
            .unwrap_or_default()
    }

    /// The winner's body; `None` for a missing or deleted document.
    pub fn get(&self, id: &str) -> Option<Map<String, Value>> {
        let doc = self.docs.get(id)?;
        let leaf = doc.leaves.get(&winning_rev(&doc.tree)?)?;
        (!leaf.deleted).then(|| body_of(&leaf.body))
    }

    /// A leaf's body.
    pub fn body(&self, id: &str, rev: &Rev) -> Option<Map<String, Value>> {
        Some(body_of(&self.docs.get(id)?.leaves.get(rev)?.body))
    }

    /// The bytes of the winner's attachment `name`.
    pub fn attachment(&self, id: &str, name: &str) -> Option<&[u8]> {
        let doc = self.docs.get(id)?;
        let leaf = doc.leaves.get(&winning_rev(&doc.tree)?)?;
        let att = leaf.attachments.get(name)?;
        doc.blobs.get(&att.digest).map(Vec::as_slice)
    }

    /// A local edit, as the app makes one: a new revision on top of
    /// `parent`, which must be a leaf (`None` for a new document or to
    /// recreate a deleted one). `attachments` is the revision's full set;
    /// one whose data did not change keeps its `revpos`.
    pub fn edit(
        &mut self,
        id: &str,
        parent: Option<&Rev>,
        body: Value,
        attachments: Vec<NewAttachment>,
    ) -> Result<Rev, StoreError> {
        self.write_edit(id, parent, body, attachments, false)
    }

    pub fn delete(&mut self, id: &str, parent: &Rev) -> Result<Rev, StoreError> {
        self.write_edit(
            id,
            Some(parent),
            Value::Object(Map::new()),
            Vec::new(),
            true,
        )
    }

    fn write_edit(
        &mut self,
        id: &str,
        parent: Option<&Rev>,
        body: Value,
        attachments: Vec<NewAttachment>,
        deleted: bool,
    ) -> Result<Rev, StoreError> {
        let conflict = || StoreError::Conflict { id: id.to_owned() };
        let existing = self.docs.get(id);
        let parent: Option<Rev> = match (parent, existing) {
            (Some(p), Some(doc)) if doc.leaves.contains_key(p) => Some(p.clone()),
            (Some(_), _) => return Err(conflict()),
            (None, None) => None,
            (None, Some(doc)) => {
                let winner = winning_rev(&doc.tree).ok_or_else(conflict)?;
                if !doc.leaves.get(&winner).is_some_and(|l| l.deleted) {
                    return Err(conflict());
                }
                Some(winner)
            }
        };
        let Value::Object(body) = body else {
            return Err(StoreError::Inconsistent { id: id.to_owned() });
        };
        let pos = parent.as_ref().map_or(1, |p| p.pos + 1);
        let parent_atts = parent
            .as_ref()
            .and_then(|p| existing?.leaves.get(p))
            .map(|l| l.attachments.clone())
            .unwrap_or_default();
        let mut atts = BTreeMap::new();
        for a in attachments {
            let digest = md5_digest(&a.data);
            let revpos = match parent_atts.get(&a.name) {
                Some(old) if old.digest == digest => old.revpos,
                _ => pos,
            };
            atts.insert(
                a.name,
                Attachment {
                    content_type: a.content_type,
                    digest,
                    length: a.data.len() as u64,
                    revpos,
                    data: Some(a.data),
                },
            );
        }
        // Deterministic, so the same edit on two devices is one revision.
        let mut hasher = Sha256::new();
        hasher.update(parent.as_ref().map(|p| p.to_string()).unwrap_or_default());
        hasher.update([0, deleted as u8]);
        hasher.update(serde_json::to_vec(&body).expect("json"));
        for (name, a) in &atts {
            hasher.update(name.as_bytes());
            hasher.update(a.digest.as_bytes());
        }
        let hash: String = hasher.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut ids = vec![hash.clone()];
        if let (Some(p), Some(doc)) = (&parent, existing) {
            let history = revisions_of(&doc.tree, p).ok_or_else(conflict)?;
            ids.extend(history.ids);
        }
        let rev = Rev::new(pos, hash);
        let doc = ReplicatedDoc {
            id: id.to_owned(),
            rev: rev.clone(),
            revisions: super::rev_tree::Revisions { start: pos, ids },
            deleted,
            body,
            attachments: atts,
        };
        self.put_with_history(doc)?;
        Ok(rev)
    }

    /// Writes into a copy of each touched document and swaps the copies in
    /// only when every document went in.
    fn apply_all(&mut self, docs: Vec<ReplicatedDoc>) -> Result<(), StoreError> {
        let mut staged: BTreeMap<String, StoredDoc> = BTreeMap::new();
        let mut changed: Vec<String> = Vec::new();
        for doc in docs {
            let id = doc.id.clone();
            let stored = staged
                .entry(id.clone())
                .or_insert_with(|| self.docs.get(&id).cloned().unwrap_or_default());
            if apply_one(stored, doc, self.revs_limit)? && !changed.contains(&id) {
                changed.push(id);
            }
        }
        for id in changed {
            let mut stored = staged.remove(&id).expect("staged");
            self.seq += 1;
            stored.seq = self.seq;
            self.dirty.insert(id.clone());
            self.docs.insert(id, stored);
        }
        Ok(())
    }
}

/// Merges one revision into `stored`; `false` when it was already known.
fn apply_one(
    stored: &mut StoredDoc,
    doc: ReplicatedDoc,
    revs_limit: usize,
) -> Result<bool, StoreError> {
    let inconsistent = || StoreError::Inconsistent { id: doc.id.clone() };
    if doc.revisions.rev().as_ref() != Some(&doc.rev) {
        return Err(inconsistent());
    }
    if rev_exists(&stored.tree, &doc.rev) {
        return Ok(false);
    }
    let path = doc
        .revisions
        .to_path(doc.deleted)
        .map_err(|_| inconsistent())?;
    let mut attachments = BTreeMap::new();
    for (name, mut att) in doc.attachments {
        match att.data.take() {
            Some(data) => {
                if md5_digest(&data) != att.digest {
                    return Err(inconsistent());
                }
                att.length = data.len() as u64;
                stored.blobs.insert(att.digest.clone(), data);
            }
            None if stored.blobs.contains_key(&att.digest) => {}
            None => {
                return Err(StoreError::MissingStub {
                    id: doc.id.clone(),
                    name,
                })
            }
        }
        attachments.insert(name, att);
    }
    stored.tree = merge(&stored.tree, &path, revs_limit).tree;
    stored.leaves.insert(
        doc.rev.clone(),
        LeafBody {
            rev: doc.rev,
            deleted: doc.deleted,
            body: body_text(&doc.body),
            attachments,
        },
    );
    // Like CouchDB after compaction: bodies of leaves only, and the
    // attachment data they still use.
    let leaves: Vec<Rev> = collect_leaves(&stored.tree)
        .into_iter()
        .map(|l| l.rev)
        .collect();
    stored.leaves.retain(|rev, _| leaves.contains(rev));
    let used: Vec<&String> = stored
        .leaves
        .values()
        .flat_map(|l| l.attachments.values().map(|a| &a.digest))
        .collect();
    let used: Vec<String> = used.into_iter().cloned().collect();
    stored.blobs.retain(|digest, _| used.contains(digest));
    Ok(true)
}

fn parse_since(since: &Value) -> Option<u64> {
    match since {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

impl LocalStore for MemoryStore {
    fn revs_diff(&self, id: &str, revs: &[Rev]) -> Result<RevsDiffEntry, StoreError> {
        let Some(doc) = self.docs.get(id) else {
            return Ok(RevsDiffEntry {
                missing: revs.to_vec(),
                possible_ancestors: Vec::new(),
            });
        };
        let mut missing: Vec<Rev> = Vec::new();
        for rev in revs {
            if !rev_exists(&doc.tree, rev) && !missing.contains(rev) {
                missing.push(rev.clone());
            }
        }
        // CouchDB's rule: a leaf is a possible ancestor of a missing
        // revision when it sits lower.
        let possible_ancestors = if missing.is_empty() {
            Vec::new()
        } else {
            collect_leaves(&doc.tree)
                .into_iter()
                .map(|l| l.rev)
                .filter(|leaf| missing.iter().any(|m| leaf.pos < m.pos))
                .collect()
        };
        Ok(RevsDiffEntry {
            missing,
            possible_ancestors,
        })
    }

    fn put_with_history(&mut self, doc: ReplicatedDoc) -> Result<(), StoreError> {
        self.apply_all(vec![doc])
    }

    fn apply_batch(&mut self, docs: Vec<ReplicatedDoc>) -> Result<(), StoreError> {
        self.apply_all(docs)
    }

    fn changes_since(&self, since: &Value, limit: usize) -> Result<ChangesPage, StoreError> {
        let since = parse_since(since).ok_or(StoreError::BadSince)?;
        let mut rows: Vec<(&String, &StoredDoc)> =
            self.docs.iter().filter(|(_, d)| d.seq > since).collect();
        rows.sort_by_key(|(_, d)| d.seq);
        rows.truncate(limit);
        let results: Vec<Change> = rows
            .into_iter()
            .map(|(id, d)| {
                let winner = winning_rev(&d.tree).expect("stored docs have revisions");
                let mut revs = vec![winner.clone()];
                revs.extend(
                    collect_leaves(&d.tree)
                        .into_iter()
                        .map(|l| l.rev)
                        .filter(|r| *r != winner),
                );
                Change {
                    seq: Value::from(d.seq),
                    id: id.clone(),
                    deleted: d.leaves.get(&winner).is_some_and(|l| l.deleted),
                    revs,
                }
            })
            .collect();
        let last_seq = match results.last() {
            Some(c) => c.seq.clone(),
            None => Value::from(self.seq.max(since)),
        };
        Ok(ChangesPage { results, last_seq })
    }

    fn read_revision(&self, id: &str, rev: &Rev) -> Result<Option<ReplicatedDoc>, StoreError> {
        let Some(doc) = self.docs.get(id) else {
            return Ok(None);
        };
        let Some(leaf) = doc.leaves.get(rev) else {
            return Ok(None);
        };
        let revisions = revisions_of(&doc.tree, rev)
            .ok_or_else(|| StoreError::Inconsistent { id: id.to_owned() })?;
        let mut attachments = leaf.attachments.clone();
        for att in attachments.values_mut() {
            att.data = doc.blobs.get(&att.digest).cloned();
        }
        Ok(Some(ReplicatedDoc {
            id: id.to_owned(),
            rev: rev.clone(),
            revisions,
            deleted: leaf.deleted,
            body: body_of(&leaf.body),
            attachments,
        }))
    }

    fn get_checkpoint(&self, doc_id: &str) -> Result<Option<ReplicationLog>, StoreError> {
        Ok(self.checkpoints.get(doc_id).cloned())
    }

    fn put_checkpoint(&mut self, doc_id: &str, log: &ReplicationLog) -> Result<(), StoreError> {
        if self.checkpoints.get(doc_id) != Some(log) {
            self.checkpoints.insert(doc_id.to_owned(), log.clone());
            self.checkpoints_dirty = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn edits_make_histories_and_conflicts() {
        let mut s = MemoryStore::new();
        let r1 = s.edit("a", None, json!({"v": 1}), vec![]).unwrap();
        let r2 = s.edit("a", Some(&r1), json!({"v": 2}), vec![]).unwrap();
        assert_eq!(r2.pos, 2);
        assert_eq!(s.get("a"), json!({"v": 2}).as_object().cloned());
        // Editing a non-leaf is refused.
        assert_eq!(
            s.edit("a", Some(&r1), json!({"v": 3}), vec![]),
            Err(StoreError::Conflict { id: "a".into() })
        );
        // A revision on the other branch, as replication would bring it.
        let other = ReplicatedDoc {
            id: "a".into(),
            rev: Rev::new(2, "zzz"),
            revisions: super::super::rev_tree::Revisions {
                start: 2,
                ids: vec!["zzz".into(), r1.hash.clone()],
            },
            deleted: false,
            body: json!({"v": "other"}).as_object().unwrap().clone(),
            attachments: BTreeMap::new(),
        };
        s.put_with_history(other.clone()).unwrap();
        let seq = s.seq();
        // Replayed: nothing changes, not even the sequence.
        s.put_with_history(other).unwrap();
        assert_eq!(s.seq(), seq);
        let winner = s.winning_rev("a").unwrap();
        assert_eq!(winner.pos, 2);
        assert_eq!(s.conflicts("a").len(), 1);
        let page = s.changes_since(&json!(0), 10).unwrap();
        assert_eq!(page.results.len(), 1);
        assert_eq!(page.results[0].revs.len(), 2);
        assert_eq!(page.results[0].revs[0], winner);
        let d = s.delete("a", &winner).unwrap();
        assert_eq!(s.conflicts("a").len(), 0);
        assert_ne!(s.winning_rev("a"), Some(d));
    }

    #[test]
    fn a_batch_with_one_bad_document_writes_nothing() {
        let mut s = MemoryStore::new();
        s.edit("keep", None, json!({}), vec![]).unwrap();
        let before = s.clone();
        let good = s
            .read_revision("keep", &s.winning_rev("keep").unwrap())
            .unwrap()
            .unwrap();
        let mut fresh = good.clone();
        fresh.id = "new".into();
        let mut stub = fresh.clone();
        stub.id = "stubbed".into();
        stub.attachments.insert(
            "p.jpg".into(),
            Attachment {
                content_type: "image/jpeg".into(),
                digest: md5_digest(b"never sent"),
                length: 10,
                revpos: 1,
                data: None,
            },
        );
        assert_eq!(
            s.apply_batch(vec![fresh, stub]),
            Err(StoreError::MissingStub {
                id: "stubbed".into(),
                name: "p.jpg".into()
            })
        );
        assert_eq!(s, before);
        assert_eq!(s.changes_since(&json!("x"), 1), Err(StoreError::BadSince));
    }

    #[test]
    fn attachments_keep_revpos_until_they_change() {
        let mut s = MemoryStore::new();
        let photo = |d: &[u8]| NewAttachment {
            name: "p.jpg".into(),
            content_type: "image/jpeg".into(),
            data: d.to_vec(),
        };
        let r1 = s
            .edit("photo:1", None, json!({}), vec![photo(b"one")])
            .unwrap();
        let r2 = s
            .edit("photo:1", Some(&r1), json!({"n": 1}), vec![photo(b"one")])
            .unwrap();
        let d2 = s.read_revision("photo:1", &r2).unwrap().unwrap();
        assert_eq!(d2.attachments["p.jpg"].revpos, 1);
        let r3 = s
            .edit("photo:1", Some(&r2), json!({}), vec![photo(b"two")])
            .unwrap();
        let d3 = s.read_revision("photo:1", &r3).unwrap().unwrap();
        assert_eq!(d3.attachments["p.jpg"].revpos, 3);
        assert_eq!(s.attachment("photo:1", "p.jpg"), Some(&b"two"[..]));
        assert_eq!(d3.revisions.ids.len(), 3);
    }

    #[test]
    fn a_body_is_saved_as_its_text_and_read_either_way() {
        let mut s = MemoryStore::new();
        s.edit("a", None, json!({"v": 1, "n": [1, 2]}), vec![])
            .unwrap();
        let (_, doc) = s.take_dirty().docs.pop().unwrap();
        let saved = serde_json::to_value(&doc).unwrap();
        let body = &saved["leaves"][0]["body"];
        assert_eq!(
            serde_json::from_str::<Value>(body.as_str().unwrap()).unwrap(),
            json!({"v": 1, "n": [1, 2]})
        );
        // Saved by a build that kept bodies as objects.
        let mut older = saved.clone();
        older["leaves"][0]["body"] = json!({"v": 1, "n": [1, 2]});
        let back: StoredDoc = serde_json::from_value(older).unwrap();
        assert_eq!(back, doc);
        assert_eq!(serde_json::from_value::<StoredDoc>(saved).unwrap(), doc);
        // Text that is not a JSON object is a damaged record.
        let mut damaged = serde_json::to_value(&doc).unwrap();
        damaged["leaves"][0]["body"] = json!("[1, 2");
        assert!(serde_json::from_value::<StoredDoc>(damaged).is_err());
    }

    #[test]
    fn a_store_saved_from_its_dirty_parts_loads_back_equal() {
        let mut s = MemoryStore::new();
        let photo = NewAttachment {
            name: "p.jpg".into(),
            content_type: "image/jpeg".into(),
            data: vec![0, 1, 2, 255],
        };
        let r1 = s
            .edit("a", None, json!({"v": 1}), vec![photo.clone()])
            .unwrap();
        s.edit("b", None, json!({"v": "b"}), vec![]).unwrap();
        // Saved as the app saves it: JSON per document, one state record.
        let mut saved: BTreeMap<String, String> = BTreeMap::new();
        let mut state = String::new();
        let mut save = |s: &mut MemoryStore| {
            let dirty = s.take_dirty();
            for (id, doc) in dirty.docs {
                saved.insert(id, serde_json::to_string(&doc).unwrap());
            }
            if let Some(st) = dirty.state {
                state = serde_json::to_string(&st).unwrap();
            }
        };
        save(&mut s);
        assert!(!s.is_dirty());
        assert!(s.take_dirty().is_empty(), "nothing changed since");
        s.edit("a", Some(&r1), json!({"v": 2}), vec![photo])
            .unwrap();
        let log: ReplicationLog = serde_json::from_value(json!({
            "session_id": "s1", "source_last_seq": 3, "history": []
        }))
        .unwrap();
        s.put_checkpoint("_local/x", &log).unwrap();
        let dirty = s.take_dirty();
        assert_eq!(dirty.docs.len(), 1, "only the edited document");
        for (id, doc) in dirty.docs {
            saved.insert(id, serde_json::to_string(&doc).unwrap());
        }
        state = serde_json::to_string(&dirty.state.unwrap()).unwrap();
        let loaded = MemoryStore::load(
            saved
                .iter()
                .map(|(id, j)| (id.clone(), serde_json::from_str(j).unwrap())),
            serde_json::from_str(&state).unwrap(),
        );
        assert_eq!(loaded.docs, s.docs);
        assert_eq!(loaded.seq(), s.seq());
        assert_eq!(loaded.get_checkpoint("_local/x").unwrap(), Some(log));
        assert_eq!(loaded.attachment("a", "p.jpg"), Some(&[0, 1, 2, 255][..]));
        assert_eq!(
            loaded.changes_since(&json!(0), 10),
            s.changes_since(&json!(0), 10)
        );
    }
}
