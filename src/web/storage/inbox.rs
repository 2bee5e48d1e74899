//! The manager's side of the inbox in IndexedDB: the team's keys
//! (`TEAM_KEYS`), the quarantine (`QUARANTINE`), and one pulled batch
//! stored whole: the merged records, the quarantine entries, and the pull's
//! checkpoint with the answers waiting for parts, in ONE transaction, so a
//! checkpoint never moves past answers that were not stored (and answers
//! stored without their checkpoint are only read again, which the merge
//! skips).

use indexed_db_futures::prelude::*;

use super::import::{put_changes, put_json};
use super::{err, SettingRecord, StorageError, Store};
use crate::domain::Response;
use crate::exchange::merge::Snapshot;
use crate::inbox::settings::{
    ring, ManagerInbox, PullState, StoredTeamKey, PULL_SETTING, SERVER_SETTING,
};
use crate::inbox::{StoredQuarantine, Taken};
use crate::response_pages::Layout;
use crate::schema::{QUARANTINE, RESPONSES, RESPONSE_PAGES, SETTINGS, TEAM_KEYS};
use crate::seal::KeyRing;

impl Store {
    pub async fn team_keys(&self) -> Result<Vec<StoredTeamKey>, StorageError> {
        self.all(TEAM_KEYS).await
    }

    pub async fn put_team_key(&self, key: &StoredTeamKey) -> Result<(), StorageError> {
        self.put(TEAM_KEYS, key).await
    }

    /// Every stored key, the newest current.
    pub async fn key_ring(&self) -> Result<KeyRing, StorageError> {
        Ok(ring(&self.team_keys().await?))
    }

    pub async fn inbox_server(&self) -> Result<Option<ManagerInbox>, StorageError> {
        // A record that no longer passes the server's checks reads as none.
        let raw: Option<serde_json::Value> = self.get_setting(SERVER_SETTING).await?;
        Ok(raw.and_then(|v| serde_json::from_value(v).ok()))
    }

    pub async fn put_inbox_server(&self, s: &ManagerInbox) -> Result<(), StorageError> {
        self.put_setting(SERVER_SETTING, s).await
    }

    /// The pull's state for `s`'s inbox (fresh if it was another's).
    pub async fn pull_state(&self, s: &ManagerInbox) -> Result<PullState, StorageError> {
        let raw: Option<serde_json::Value> = self.get_setting(PULL_SETTING).await?;
        let state: PullState = raw
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        Ok(state.for_server(&s.server))
    }

    /// The quarantine, newest first.
    pub async fn quarantined(&self) -> Result<Vec<StoredQuarantine>, StorageError> {
        let mut all: Vec<StoredQuarantine> = self.all(QUARANTINE).await?;
        all.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.doc_id.cmp(&b.doc_id)));
        Ok(all)
    }

    /// What the merge of inbox answers compares with (the store and this
    /// build's built-ins), and where the stored responses live.
    pub async fn inbox_snapshot(&self) -> Result<(Snapshot, Layout), StorageError> {
        self.known().await
    }

    /// Stores one batch: `taken` (from `inbox::take`, over the snapshot of
    /// [`Store::inbox_snapshot`] whose layout is `layout`; `responses` are
    /// the snapshot's responses), the quarantine entries of documents now
    /// taken removed, and `state` as the new pull state, all in one
    /// transaction: everything or, on any error, nothing.
    pub async fn store_inbox_batch(
        &self,
        taken: &Taken,
        layout: &Layout,
        responses: &[Response],
        state: &PullState,
    ) -> Result<(), StorageError> {
        let stale: Vec<StoredQuarantine> = if taken.settled.is_empty() {
            Vec::new()
        } else {
            self.all::<StoredQuarantine>(QUARANTINE)
                .await?
                .into_iter()
                .filter(|q| taken.settled.contains(&q.doc_id))
                .filter(|q| !taken.quarantine.contains_key(&q.key()))
                .collect()
        };
        let mut stores: Vec<&str> = super::import::IMPORTED.to_vec();
        stores.push(QUARANTINE);
        debug_assert!(stores.contains(&SETTINGS) && stores.contains(&RESPONSES));
        debug_assert!(stores.contains(&RESPONSE_PAGES));
        let tx = self.import_transaction(&stores)?;
        // An early return drops `tx`, which aborts it.
        put_changes(&tx, &taken.changes, layout, responses)?;
        if !stale.is_empty() {
            let store = tx.object_store(QUARANTINE).map_err(err)?;
            for q in &stale {
                let key = js_sys::Array::of2(&q.doc_id.as_str().into(), &q.kind.as_str().into());
                drop(
                    store
                        .delete(wasm_bindgen::JsValue::from(key))
                        .primitive()
                        .map_err(err)?,
                );
            }
        }
        let entries: Vec<&StoredQuarantine> = taken.quarantine.values().collect();
        put_json(&tx, QUARANTINE, &entries)?;
        put_json(
            &tx,
            SETTINGS,
            &[SettingRecord {
                key: PULL_SETTING.to_owned(),
                value: state,
            }],
        )?;
        tx.commit().await.map_err(err)?;
        if !taken.changes.is_empty() {
            super::announce_if_shared(&stores);
        }
        Ok(())
    }
}
