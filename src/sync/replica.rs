//! A manager device's side of team sync, whole: the revision store, the
//! [`Base`] of every document, how far our records have read the store's
//! changes, and which of our own revisions the server has not confirmed
//! yet. One sync is
//!
//! 1. [`Replica::write_outgoing`]: every record that changed since its
//!    base becomes one new revision;
//! 2. a push and a pull (`crate::replication::Replicator` over
//!    [`Replica::store`]), then [`Replica::pushed`];
//! 3. [`Replica::take`]: the winners the store got since the last take go
//!    through the import's checks and merge into our records.
//!
//! Between the steps the device saves [`Replica::take_saved`] (with the
//! records a take changed, in the same transaction), so a sync stopped at
//! any point resumes: revisions already stored are not asked for again, and
//! winners not yet taken are taken next time, since [`Replica::take`]
//! starts from the last sequence it took, not from the pull.
//!
//! **Invariant:** a document our record already matches is never merged
//! again; replaying a sync writes nothing and takes nothing.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::documents::{doc_id, from_doc, removable, to_doc, type_name, DocError};
use super::engine::{content_digest, documents_of, outgoing, take_incoming, Base, Taken};
use crate::domain::Timestamp;
use crate::exchange::bundle::{Contents, RecordKind};
use crate::exchange::merge::{Receiver, Record, RejectReason, Removed, Snapshot};
use crate::i18n::Lang;
use crate::replication::doc::ReplicatedDoc;
use crate::replication::memory_store::{StoreState, StoredDoc};
use crate::replication::rev::Rev;
use crate::replication::rev_tree::DEFAULT_REVS_LIMIT;
use crate::replication::store::LocalStore;
use crate::replication::MemoryStore;

/// The record beside the documents: the store's own state, the last
/// sequence taken into records, and our revisions not yet pushed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReplicaState {
    pub store: StoreState,
    #[serde(default)]
    pub taken_seq: u64,
    /// Ids of documents with a revision of ours the server has not had
    /// from a finished push.
    #[serde(default)]
    pub unpushed: BTreeSet<String>,
    /// When the last sync finished.
    #[serde(default)]
    pub last_sync: Option<Timestamp>,
    /// Documents whose copies a person chose between on this device: the
    /// next sync ends their CouchDB conflict ([`Replica::settle`]).
    #[serde(default)]
    pub decided: BTreeSet<String>,
    /// The team's documents this device did not take, and why: shown to
    /// the person, and tried again at every take (an update of the app,
    /// the questionnaire arriving, the clock put right).
    #[serde(default)]
    pub refused: BTreeMap<String, Refusal>,
}

/// Why a team document is not one of this device's records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Refusal {
    /// It does not read as a record, or is a deletion this device does
    /// not follow.
    Document(DocError),
    /// It reads, and the import's rules refuse it.
    Record(RejectReason),
}

impl Refusal {
    /// A line for the person, naming the document `id`.
    pub fn message(&self, id: &str, lang: Lang) -> String {
        match self {
            Refusal::Document(e) => format!("{id}: {}", e.message(lang)),
            Refusal::Record(r) => r.message(id, lang),
        }
    }
}

/// What to write to keep the device's copy equal to the replica.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Saved {
    pub docs: Vec<(String, StoredDoc)>,
    pub bases: Vec<(String, Base)>,
    pub state: Option<ReplicaState>,
}

impl Saved {
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty() && self.bases.is_empty() && self.state.is_none()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Replica {
    pub store: MemoryStore,
    bases: BTreeMap<String, Base>,
    taken_seq: u64,
    unpushed: BTreeSet<String>,
    last_sync: Option<Timestamp>,
    decided: BTreeSet<String>,
    refused: BTreeMap<String, Refusal>,
    bases_dirty: BTreeSet<String>,
    state_dirty: bool,
}

impl Default for Replica {
    fn default() -> Replica {
        Replica::new()
    }
}

impl Replica {
    pub fn new() -> Replica {
        Replica {
            store: MemoryStore::new(),
            bases: BTreeMap::new(),
            taken_seq: 0,
            unpushed: BTreeSet::new(),
            last_sync: None,
            decided: BTreeSet::new(),
            refused: BTreeMap::new(),
            bases_dirty: BTreeSet::new(),
            state_dirty: false,
        }
    }

    /// A replica as the device saved it.
    pub fn load(
        docs: impl IntoIterator<Item = (String, StoredDoc)>,
        bases: impl IntoIterator<Item = (String, Base)>,
        state: ReplicaState,
    ) -> Replica {
        Replica {
            store: MemoryStore::load(docs, state.store),
            bases: bases.into_iter().collect(),
            taken_seq: state.taken_seq,
            unpushed: state.unpushed,
            last_sync: state.last_sync,
            decided: state.decided,
            refused: state.refused,
            ..Replica::new()
        }
    }

    pub fn base(&self, id: &str) -> Option<&Base> {
        self.bases.get(id)
    }

    pub fn last_sync(&self) -> Option<Timestamp> {
        self.last_sync
    }

    /// Writes one revision for every replicating record of `contents` that
    /// differs from its base; how many it wrote.
    pub fn write_outgoing(&mut self, contents: &Contents) -> usize {
        // Our own revisions need no taking: when the records had taken
        // everything, they still have.
        let caught_up = self.taken_seq >= self.store.seq();
        let mut written = 0;
        let docs = documents_of(contents);
        // A store or member of staff deleted here: its document gets a
        // deletion as the child of the revision the record last matched.
        let present: BTreeSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        for id in self.removals(&present) {
            let base = &self.bases[&id];
            let Some(parent) = base.rev() else { continue };
            // The revision our record matched is no longer a leaf: a pull
            // not yet taken holds a peer's edit of it, which outlives the
            // deletion, as on CouchDB (the edit comes back at the take).
            let Ok(rev) = self.store.delete(&id, &parent) else {
                continue;
            };
            let deletion = Base::deletion(base.child(&rev, DEFAULT_REVS_LIMIT));
            self.bases.insert(id.clone(), deletion);
            self.bases_dirty.insert(id.clone());
            self.unpushed.insert(id);
            written += 1;
        }
        for doc in docs {
            let Some((rev, base)) = outgoing(&doc, self.bases.get(&doc.id), DEFAULT_REVS_LIMIT)
            else {
                continue;
            };
            // A revision our own outgoing makes always fits its tree: it is
            // a child of a revision the store holds, or the first.
            if self.store.put_with_history(rev).is_err() {
                continue;
            }
            self.bases.insert(doc.id.clone(), base);
            self.bases_dirty.insert(doc.id.clone());
            self.unpushed.insert(doc.id);
            written += 1;
        }
        if written > 0 {
            if caught_up {
                self.taken_seq = self.store.seq();
            }
            self.state_dirty = true;
        }
        written
    }

    /// The documents of deletable kinds whose record was here, is not in
    /// `present`, and whose deletion is not written yet.
    fn removals(&self, present: &BTreeSet<&str>) -> Vec<String> {
        self.bases
            .iter()
            .filter(|(id, base)| {
                !base.deleted && removable(id).is_some() && !present.contains(id.as_str())
            })
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// How many documents wait to go out: records changed or deleted since
    /// their base, and revisions no finished push has taken.
    pub fn waiting(&self, contents: &Contents) -> usize {
        let docs = documents_of(contents);
        let present: BTreeSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        let deleted = self
            .removals(&present)
            .iter()
            .filter(|id| !self.unpushed.contains(*id))
            .count();
        let unwritten = docs
            .iter()
            .filter(|d| {
                !self.unpushed.contains(&d.id)
                    && self
                        .bases
                        .get(&d.id)
                        .is_none_or(|b| b.digest != content_digest(d))
            })
            .count();
        unwritten + deleted + self.unpushed.len()
    }

    /// The team's documents this device did not take, and why.
    pub fn refused(&self) -> &BTreeMap<String, Refusal> {
        &self.refused
    }

    /// Whether the document `id` reached the server: written, and pushed
    /// since.
    pub fn on_server(&self, id: &str) -> bool {
        self.bases.contains_key(id) && !self.unpushed.contains(id)
    }

    /// A push finished that started with `pushed_ids` unpushed (from
    /// [`Replica::unpushed`]): their revisions are on the server.
    pub fn pushed(&mut self, pushed_ids: impl IntoIterator<Item = String>) {
        for id in pushed_ids {
            if self.unpushed.remove(&id) {
                self.state_dirty = true;
            }
        }
    }

    /// The documents with a revision of ours no push has finished with.
    pub fn unpushed(&self) -> Vec<String> {
        self.unpushed.iter().cloned().collect()
    }

    /// A person chose between the copies of the document `id` on this
    /// device (kept theirs or took the other).
    pub fn decide(&mut self, id: &str) {
        if self.decided.insert(id.to_owned()) {
            self.state_dirty = true;
        }
    }

    /// Ends the CouchDB conflict of every document a person decided on
    /// (after [`Replica::write_outgoing`] wrote their choice): every leaf
    /// but the one our record is on gets a deletion as its child, as
    /// CouchDB resolves a conflict, so every device and the server keep the
    /// chosen copy as the one winner. A document with a copy still waiting
    /// for a person in `current` is left for later. How many leaves it
    /// deleted.
    pub fn settle(&mut self, current: &Snapshot) -> usize {
        let waiting: BTreeSet<String> = current
            .conflicts
            .iter()
            .map(|c| super::documents::doc_id(&c.incoming))
            .collect();
        let mut deleted = 0;
        for id in std::mem::take(&mut self.decided) {
            if waiting.contains(&id) {
                self.decided.insert(id);
                continue;
            }
            let Some(ours) = self.bases.get(&id).and_then(Base::rev) else {
                continue;
            };
            let Some(tree) = self.store.rev_tree(&id) else {
                continue;
            };
            let others: Vec<_> = crate::replication::rev_tree::collect_leaves(tree)
                .into_iter()
                .filter(|l| !l.opts.deleted && l.rev != ours)
                .map(|l| l.rev)
                .collect();
            for leaf in others {
                if self.store.delete(&id, &leaf).is_ok() {
                    deleted += 1;
                    self.unpushed.insert(id.clone());
                }
            }
        }
        self.state_dirty = true;
        deleted
    }

    pub fn finished(&mut self, now: Timestamp) {
        self.last_sync = Some(now);
        self.state_dirty = true;
    }

    /// Merges into `current` the winners of every document the store
    /// changed since the last take, as [`take_incoming`] does, and moves
    /// the bases of what it took. A record our device has not changed since
    /// its base, and whose winner descends from that base (or whose base a
    /// peer deleted, choosing the other copy), is a fast-forward: a
    /// location, employee or action then simply takes the winner (still
    /// through every check); submitted responses and published versions
    /// never change, so for them it stays a merge.
    pub fn take(&mut self, current: &Snapshot, source: &str, here: Receiver) -> Taken {
        let page = self
            .store
            .changes_since(&Value::from(self.taken_seq), usize::MAX)
            .expect("a replica's own sequence");
        // The winners to take, by revision: their documents are read one
        // at a time as the take goes (a first pull's are a whole team's).
        // Documents refused before are tried again with them.
        let refused_before = self.refused.clone();
        let mut retry: BTreeSet<String> = self.refused.keys().cloned().collect();
        let mut winners: Vec<(String, Rev, bool)> = Vec::new();
        for c in &page.results {
            retry.remove(&c.id);
            if self.bases.get(&c.id).and_then(Base::rev).as_ref() != Some(&c.revs[0]) {
                winners.push((c.id.clone(), c.revs[0].clone(), c.deleted));
            }
        }
        for id in retry {
            let winner = self.store.winning_rev(&id).and_then(|rev| {
                let deleted = self.store.leaf_deleted(&id, &rev)?;
                Some((rev, deleted))
            });
            match winner {
                Some((rev, deleted)) => winners.push((id, rev, deleted)),
                None => {
                    self.refused.remove(&id);
                }
            }
        }
        for (id, _, _) in &winners {
            self.refused.remove(id);
        }
        let read =
            |(id, rev, _): &(String, Rev, bool)| self.store.read_revision(id, rev).ok().flatten();
        let (gone, live): (Vec<_>, Vec<_>) = winners.into_iter().partition(|w| w.2);
        // Only the kinds a person edits can fast-forward or be deleted, so
        // only their records are read as documents (never the responses
        // and photos).
        let candidates: Vec<ReplicatedDoc> = live
            .iter()
            .filter(|(id, _, _)| self.bases.contains_key(id))
            .filter_map(read)
            .filter(mutable)
            .collect();
        let deletions = gone
            .iter()
            .any(|(id, _, _)| removable(id).is_some() && self.bases.contains_key(id));
        let ours: BTreeMap<String, String> = if candidates.is_empty() && !deletions {
            BTreeMap::new()
        } else {
            editable_documents(&current.contents)
                .map(|d| {
                    let digest = content_digest(&d);
                    (d.id, digest)
                })
                .collect()
        };
        let forward: BTreeSet<String> = candidates
            .into_iter()
            .filter(|w| {
                let base = &self.bases[&w.id];
                let unchanged = ours.get(&w.id) == Some(&base.digest);
                let descends = base.rev().is_some_and(|b| {
                    w.revisions
                        .start
                        .checked_sub(b.pos)
                        .and_then(|back| w.revisions.ids.get(back as usize))
                        .is_some_and(|h| *h == b.hash)
                });
                // Our revision is no longer a live leaf: a peer built on it
                // or, choosing between copies, deleted it.
                let superseded = base.rev().is_some_and(|b| {
                    self.store.rev_tree(&w.id).is_some_and(|t| {
                        !crate::replication::rev_tree::collect_leaves(t)
                            .iter()
                            .any(|l| l.rev == b && !l.opts.deleted)
                    })
                });
                unchanged && (descends || superseded)
            })
            .map(|w| w.id.clone())
            .collect();
        let (removed, deletion_bases, kept) = self.deletions(current, &gone, &ours);
        let mut taken = if forward.is_empty() {
            take_incoming(current, live.iter().filter_map(read), source, here)
        } else {
            let mut without = current.clone();
            remove_documents(&mut without.contents, &forward);
            take_incoming(&without, live.iter().filter_map(read), source, here)
        };
        taken.changes.removed = removed;
        taken.bases.extend(deletion_bases);
        taken
            .refused
            .extend(kept.into_iter().map(|id| (id, DocError::Deleted)));
        for (id, e) in &taken.refused {
            self.refused
                .insert(id.clone(), Refusal::Document(e.clone()));
        }
        for kind in &taken.report.kinds {
            for (id, reason) in &kind.rejected {
                self.refused.insert(
                    report_doc_id(kind.kind, id),
                    Refusal::Record(reason.clone()),
                );
            }
        }
        if self.refused != refused_before {
            self.state_dirty = true;
        }
        for (id, base) in &taken.bases {
            self.bases.insert(id.clone(), base.clone());
            self.bases_dirty.insert(id.clone());
        }
        let last = page.last_seq.as_u64().unwrap_or(self.taken_seq);
        if last != self.taken_seq {
            self.taken_seq = last;
            self.state_dirty = true;
        }
        taken
    }

    /// What the deleted winners `gone` make of this device's records: the
    /// stores and staff to remove (left as they were here since their
    /// base), the deletion bases to take, and the documents this device
    /// keeps although a peer deleted them (a submitted response, a
    /// published version). A store or member of staff edited here since
    /// its base is kept without a word: the edit, written at the next
    /// sync, outlives the deletion as on CouchDB; one whose copies wait
    /// for a person's choice waits for it.
    fn deletions(
        &self,
        current: &Snapshot,
        gone: &[(String, Rev, bool)],
        ours: &BTreeMap<String, String>,
    ) -> (Removed, Vec<(String, Base)>, Vec<String>) {
        let waiting: BTreeSet<String> = current
            .conflicts
            .iter()
            .map(|c| doc_id(&c.incoming))
            .collect();
        let mut removed = Removed::default();
        let mut bases = Vec::new();
        let mut kept = Vec::new();
        for (id, rev, _) in gone {
            // Never one of our records here, or deleted here already.
            let Some(base) = self.bases.get(id).filter(|b| !b.deleted) else {
                continue;
            };
            let Some(kind) = removable(id) else {
                kept.push(id.clone());
                continue;
            };
            if waiting.contains(id) {
                continue;
            }
            let Some(deletion) = self.store.read_revision(id, rev).ok().flatten() else {
                continue;
            };
            match ours.get(id) {
                Some(digest) if *digest != base.digest => continue,
                Some(_) => match kind {
                    (RecordKind::Location, key) => removed.locations.push(key.to_owned()),
                    (_, key) => removed.employees.push(key.to_owned()),
                },
                None => {}
            }
            bases.push((id.clone(), Base::deletion(deletion.revisions)));
        }
        (removed, bases, kept)
    }

    /// What changed since the last call, to save in one transaction.
    pub fn take_saved(&mut self) -> Saved {
        let dirty = self.store.take_dirty();
        let bases = std::mem::take(&mut self.bases_dirty)
            .into_iter()
            .filter_map(|id| self.bases.get(&id).cloned().map(|b| (id, b)))
            .collect();
        let state = (dirty.state.is_some() || self.state_dirty).then(|| ReplicaState {
            store: dirty.state.unwrap_or_else(|| self.store_state()),
            taken_seq: self.taken_seq,
            unpushed: self.unpushed.clone(),
            last_sync: self.last_sync,
            decided: self.decided.clone(),
            refused: self.refused.clone(),
        });
        self.state_dirty = false;
        Saved {
            docs: dirty.docs,
            bases,
            state,
        }
    }

    fn store_state(&self) -> StoreState {
        StoreState {
            seq: self.store.seq(),
            checkpoints: self.store.checkpoints().clone(),
        }
    }
}

/// Kinds a person edits after they exist: a peer's later revision of one
/// replaces ours when ours has not moved.
fn mutable(doc: &ReplicatedDoc) -> bool {
    matches!(
        from_doc(doc),
        Ok(Record::Location(_) | Record::Employee(_) | Record::Action(_))
    )
}

/// The documents of the records [`mutable`] names.
fn editable_documents(contents: &Contents) -> impl Iterator<Item = super::documents::Doc> + '_ {
    let records = contents
        .locations
        .iter()
        .cloned()
        .map(Record::Location)
        .chain(contents.employees.iter().cloned().map(Record::Employee))
        .chain(contents.actions.iter().cloned().map(Record::Action));
    records.filter_map(|r| to_doc(&r))
}

/// The document id of a record the merge's report names by `id`.
fn report_doc_id(kind: RecordKind, id: &str) -> String {
    match (kind, id.rsplit_once(" v")) {
        // The report names a version "<id> v<version>".
        (RecordKind::Questionnaire, Some((q, version))) => {
            format!("{}:{q}:{version}", type_name(kind))
        }
        _ => format!("{}:{id}", type_name(kind)),
    }
}

fn remove_documents(contents: &mut Contents, ids: &BTreeSet<String>) {
    let gone = |r: Record| ids.contains(&doc_id(&r));
    contents
        .locations
        .retain(|l| !gone(Record::Location(l.clone())));
    contents
        .employees
        .retain(|e| !gone(Record::Employee(e.clone())));
    contents
        .actions
        .retain(|a| !gone(Record::Action(a.clone())));
}

#[cfg(test)]
mod tests;
