//! What the replicator needs from the device's own database. The app's
//! IndexedDB layer implements it beside our records; [`MemoryStore`] is the
//! reference, used by the tests.
//!
//! [`MemoryStore`]: super::memory_store::MemoryStore

use super::checkpoint::ReplicationLog;
use super::doc::ReplicatedDoc;
use super::rev::Rev;
use crate::i18n::Lang;
use serde_json::Value;

/// `_revs_diff`'s answer for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevsDiffEntry {
    pub missing: Vec<Rev>,
    /// Leaves we hold below a missing revision: the peer need not resend
    /// attachments they already carry.
    pub possible_ancestors: Vec<Rev>,
}

/// One row of a changes feed with `style=all_docs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Opaque: only the peer that made it reads it.
    pub seq: Value,
    pub id: String,
    /// Every leaf, the winner first.
    pub revs: Vec<Rev>,
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangesPage {
    pub results: Vec<Change>,
    pub last_seq: Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// A stub names attachment data the store does not hold.
    MissingStub { id: String, name: String },
    /// A `since` this store never handed out.
    BadSince,
    /// A document that contradicts itself (`_revisions` against `_rev`).
    Inconsistent { id: String },
    /// A local edit on a revision that is not a leaf.
    Conflict { id: String },
    /// The storage itself failed (quota, a closed database).
    Backend { detail: String },
}

impl StoreError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (StoreError::MissingStub { id, name }, Lang::Ru) => format!(
                "Сервер не прислал вложение «{name}» документа «{id}», считая, что оно уже есть \
                 на устройстве, но его здесь нет."
            ),
            (StoreError::MissingStub { id, name }, Lang::En) => format!(
                "The server left out the attachment “{name}” of “{id}” as if this device had \
                 it, but it does not."
            ),
            (StoreError::BadSince, Lang::Ru) => {
                "Отметка синхронизации не подходит к данным устройства.".into()
            }
            (StoreError::BadSince, Lang::En) => {
                "The sync checkpoint does not belong to this device's data.".into()
            }
            (StoreError::Inconsistent { id }, Lang::Ru) => {
                format!("История изменений документа «{id}» противоречива.")
            }
            (StoreError::Inconsistent { id }, Lang::En) => {
                format!("The history of “{id}” contradicts itself.")
            }
            (StoreError::Conflict { id }, Lang::Ru) => {
                format!("Документ «{id}» уже изменён в другом месте.")
            }
            (StoreError::Conflict { id }, Lang::En) => {
                format!("“{id}” was already changed elsewhere.")
            }
            (StoreError::Backend { detail }, Lang::Ru) => {
                format!("Не удалось записать данные на устройстве ({detail}).")
            }
            (StoreError::Backend { detail }, Lang::En) => {
                format!("The device could not store the data ({detail}).")
            }
        }
    }
}

pub trait LocalStore {
    /// Which of `revs` this store lacks, CouchDB's `_revs_diff`.
    fn revs_diff(&self, id: &str, revs: &[Rev]) -> Result<RevsDiffEntry, StoreError>;

    /// Merges one replicated revision into its document's tree
    /// (`new_edits: false`); a revision already known changes nothing.
    fn put_with_history(&mut self, doc: ReplicatedDoc) -> Result<(), StoreError>;

    /// [`put_with_history`](Self::put_with_history) for every document, all
    /// or nothing: on an error nothing is written (one IndexedDB
    /// transaction).
    fn apply_batch(&mut self, docs: Vec<ReplicatedDoc>) -> Result<(), StoreError>;

    /// Documents changed after `since` (this store's own opaque seq, `0` at
    /// first), at most `limit`, oldest first.
    fn changes_since(&self, since: &Value, limit: usize) -> Result<ChangesPage, StoreError>;

    /// A leaf revision with `_revisions` and its attachments' data; `None`
    /// when it is not (or no longer) a leaf.
    fn read_revision(&self, id: &str, rev: &Rev) -> Result<Option<ReplicatedDoc>, StoreError>;

    /// The replication log stored under `_local/<id>`.
    fn get_checkpoint(&self, doc_id: &str) -> Result<Option<ReplicationLog>, StoreError>;

    fn put_checkpoint(&mut self, doc_id: &str, log: &ReplicationLog) -> Result<(), StoreError>;
}
