//! Team sync's replica in IndexedDB (`crate::sync::replica`): the revision
//! store (`REVISIONS`), the bases (`SYNC_BASES`) and the replica's state
//! (`SYNC_META`), beside our records, which the screens keep reading. A
//! save writes what changed since the last one, with the records a take
//! changed, in ONE transaction: the records never move without the bases
//! that say they match, and the state never names a revision not stored.

use serde::{Deserialize, Serialize};

use super::import::{put_changes, put_json, IMPORTED};
use super::{err, SettingRecord, StorageError, Store};
use crate::domain::Response;
use crate::exchange::merge::Changes;
use crate::replication::memory_store::StoredDoc;
use crate::response_pages::Layout;
use crate::schema::{REVISIONS, SYNC_BASES, SYNC_META};
use crate::sync::engine::Base;
use crate::sync::replica::{Replica, ReplicaState, Saved};
use crate::sync::SyncSettings;

const STATE_KEY: &str = "replica";
const SETTINGS_KEY: &str = "settings";

#[derive(Serialize, Deserialize)]
struct DocRecord<D> {
    id: String,
    doc: D,
}

#[derive(Serialize, Deserialize)]
struct BaseRecord<B> {
    id: String,
    base: B,
}

/// The records a take changed, with what their write needs: where the
/// stored responses live and which they are.
pub struct TakenRecords<'a> {
    pub changes: &'a Changes,
    pub layout: &'a Layout,
    pub responses: &'a [Response],
}

impl Store {
    /// The replica as last saved (empty on a device that never synced).
    pub async fn load_replica(&self) -> Result<Replica, StorageError> {
        let docs: Vec<DocRecord<StoredDoc>> = self.all_json(REVISIONS).await?;
        let bases: Vec<BaseRecord<Base>> = self.all_json(SYNC_BASES).await?;
        let state: ReplicaState = self.meta(STATE_KEY).await?.unwrap_or_default();
        Ok(Replica::load(
            docs.into_iter().map(|d| (d.id, d.doc)),
            bases.into_iter().map(|b| (b.id, b.base)),
            state,
        ))
    }

    /// Writes `saved` and, when a take changed records, `taken`, in one
    /// transaction: all of it or, on any error, none of it.
    pub async fn save_replica(
        &self,
        saved: &Saved,
        taken: Option<TakenRecords<'_>>,
    ) -> Result<(), StorageError> {
        let taken = taken.filter(|t| !t.changes.is_empty());
        if saved.is_empty() && taken.is_none() {
            return Ok(());
        }
        let mut stores = vec![REVISIONS, SYNC_BASES, SYNC_META];
        if taken.is_some() {
            stores.extend(IMPORTED);
        }
        let tx = self.import_transaction(&stores)?;
        // An early return drops `tx`, which aborts it.
        if let Some(t) = &taken {
            put_changes(&tx, t.changes, t.layout, t.responses)?;
        }
        let docs: Vec<DocRecord<&StoredDoc>> = saved
            .docs
            .iter()
            .map(|(id, doc)| DocRecord {
                id: id.clone(),
                doc,
            })
            .collect();
        put_json(&tx, REVISIONS, &docs)?;
        let bases: Vec<BaseRecord<&Base>> = saved
            .bases
            .iter()
            .map(|(id, base)| BaseRecord {
                id: id.clone(),
                base,
            })
            .collect();
        put_json(&tx, SYNC_BASES, &bases)?;
        if let Some(state) = &saved.state {
            put_json(
                &tx,
                SYNC_META,
                &[SettingRecord {
                    key: STATE_KEY.to_owned(),
                    value: state,
                }],
            )?;
        }
        tx.commit().await.map_err(err)
    }

    pub async fn sync_settings(&self) -> Result<SyncSettings, StorageError> {
        Ok(self.meta(SETTINGS_KEY).await?.unwrap_or_default())
    }

    pub async fn put_sync_settings(&self, s: &SyncSettings) -> Result<(), StorageError> {
        self.put(
            SYNC_META,
            &SettingRecord {
                key: SETTINGS_KEY.to_owned(),
                value: s,
            },
        )
        .await
    }

    /// A `SYNC_META` value; one that no longer reads (an older build's
    /// shape) reads as none.
    async fn meta<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StorageError> {
        let record: Option<SettingRecord<serde_json::Value>> =
            self.get(SYNC_META, key.to_owned()).await?;
        Ok(record.and_then(|r| serde_json::from_value(r.value).ok()))
    }
}
