//! Whole-store reads and the atomic write of an import: what the backup
//! bundle and the merge (src/formats/merge.rs) need from IndexedDB.
//!
//! [`Store::apply`] writes every record of one file in ONE readwrite
//! transaction over all the stores it touches, so a file lands whole or not
//! at all: any failed put, or an error before the commit, aborts the
//! transaction and rolls back what was already put.
//!
//! Speed: a 100k-response import would spend most of its time building JS
//! objects field by field through serde_wasm_bindgen. Records go across as
//! JSON instead, a few thousand per `JSON.parse` (native code) and a loop of
//! puts on the JS side (`put_all.js`, one call per chunk), and every put is
//! issued without waiting for it; only the commit is awaited. Reads of
//! whole stores come back the same way through `JSON.stringify`. The stored
//! objects are the ones serde_wasm_bindgen writes, except that an absent
//! optional field may read `null` instead of `undefined`; both read back as
//! `None`.
//!
//! Responses new to the device are stored many to a record, in response
//! pages (`crate::response_pages` says why and where each response goes;
//! `response_pages.rs` reads and writes them).
//!
//! [`Store::import_bundle`] also overlaps reading the file with writing it:
//! the transaction is opened before the file is read, and the responses
//! new to the device that [`EarlyResponses`] says the merge will put are
//! put a page at a time as soon as a page is full, while IndexedDB's
//! backend (another process) works on the earlier ones. Those puts are
//! provisional like every other: a file refused later (a malformed record
//! further on, a count, a duplicate id) returns before the commit, and
//! dropping the transaction aborts it. The rest of the merge's changes
//! (newer copies of stored responses among them) follow in the same
//! transaction. The import's transaction is `relaxed` (Chromium's default
//! anyway): its commit is reported once the data is written, before the
//! disk has flushed it; the file is still there to import again after a
//! power cut.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use wasm_bindgen::prelude::wasm_bindgen;

use super::json::{from_records, js};
use super::response_pages::{new_page_id, put_page, put_page_text};
use super::{err, SettingRecord, StorageError, Store};
use crate::domain::photo::PhotoMeta;
use crate::domain::{Questionnaire, Response};
use crate::exchange::bundle::{
    parse_bundle_observed, Bundle, BundleError, Contents, PhotoRecord, ReadObserver,
};
use crate::exchange::merge::{
    merge, Changes, Conflict, EarlyResponses, MergeReport, Receiver, Snapshot,
};
use crate::response_pages::{self, Layout, PAGE_SIZE};
use crate::schema::{
    ACTIONS, CONFLICTS, EMPLOYEES, LOCATIONS, PHOTOS, QUESTIONNAIRES, RESPONSES, RESPONSE_PAGES,
    SETTINGS,
};

#[wasm_bindgen(module = "/src/web/storage/put_all.js")]
extern "C" {
    /// Puts every record of the JSON array `json` into `store`.
    #[wasm_bindgen(js_name = putAll, catch)]
    fn put_all(store: &web_sys::IdbObjectStore, json: &str) -> Result<u32, JsValue>;
}

/// Every store an import may write.
pub(super) const IMPORTED: [&str; 9] = [
    QUESTIONNAIRES,
    RESPONSES,
    RESPONSE_PAGES,
    LOCATIONS,
    EMPLOYEES,
    ACTIONS,
    SETTINGS,
    CONFLICTS,
    PHOTOS,
];

/// Records per `JSON.parse`: large enough that the call overhead vanishes,
/// small enough that no single string gets big.
const CHUNK: usize = 2_000;

/// Why a file was not imported. Nothing stored changed in either case.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    /// The file itself: not a bundle, damaged, too large, …
    Bundle(BundleError),
    /// The browser refused the write (quota, a closed database, …).
    Storage(StorageError),
}

impl From<StorageError> for ImportError {
    fn from(e: StorageError) -> Self {
        ImportError::Storage(e)
    }
}

/// This device, receiving a file now.
pub(super) fn receiver(device_id: &str) -> Receiver<'_> {
    Receiver {
        device_id,
        now: crate::web::platform::now(),
    }
}

impl Store {
    /// Reads, merges and stores one bundle file: parse (every check),
    /// [`merge`] with what is stored, one transaction. The report says what
    /// was added, updated, skipped, rejected and kept as a conflict.
    ///
    /// The responses the merge will certainly put are put while the file
    /// is still being read (see the module docs); a file refused at any
    /// point stores nothing.
    pub async fn import_bundle(&self, text: &str) -> Result<MergeReport, ImportError> {
        let (current, layout) = self.known().await?;
        let device = crate::web::platform::device_id();
        let here = receiver(&device);
        let tx = self.import_transaction(&IMPORTED)?;
        let mut early = EarlyWriter {
            decide: EarlyResponses::new(&current, here),
            layout: &layout,
            pages: tx
                .object_store(RESPONSE_PAGES)
                .map_err(err)?
                .as_sys()
                .clone(),
            chunk: Vec::new(),
            ids: String::new(),
            in_chunk: 0,
            failed: None,
        };
        // An early return drops `tx`, which aborts it with every early put.
        let bundle = match parse_bundle_observed(text, &mut early) {
            Ok(bundle) => bundle,
            Err(e) => {
                return Err(match early.failed {
                    Some(storage) => ImportError::Storage(storage),
                    None => ImportError::Bundle(e),
                })
            }
        };
        early.flush().map_err(ImportError::Storage)?;
        let (rest, report) = early.decide.merge_rest(&current, &bundle).map_err(|id| {
            StorageError(format!(
                "response {id} was written early, yet the merge does not put it"
            ))
        })?;
        put_changes(&tx, &rest, &layout, &current.contents.responses)?;
        // Freeing a large file's records takes a while: it is done while
        // the database commits, not before.
        wasm_bindgen_futures::spawn_local(async move { drop((bundle, rest)) });
        tx.commit().await.map_err(err)?;
        super::announce_if_shared(&IMPORTED);
        Ok(report)
    }

    /// Merges a file already read (a bundle, or a questionnaire file read
    /// as one by `formats::import_file`) and stores it in one transaction.
    pub async fn import(&self, bundle: &Bundle) -> Result<MergeReport, StorageError> {
        let (current, layout) = self.known().await?;
        let device = crate::web::platform::device_id();
        let (changes, report) = merge(&current, bundle, receiver(&device));
        self.write(&changes, &layout, &current.contents.responses)
            .await?;
        Ok(report)
    }

    /// What the merge compares a file with: the store, plus this build's
    /// built-ins, which count as known: responses to them are not rejected
    /// for a questionnaire the store never held. With it, where each
    /// stored response lives.
    pub(super) async fn known(&self) -> Result<(Snapshot, Layout), StorageError> {
        let (mut current, layout) = self.snapshot_and_layout().await?;
        let c = &mut current.contents;
        for q in crate::templates::built_in() {
            if !c
                .questionnaires
                .iter()
                .any(|s| s.id == q.id && s.version == q.version)
            {
                c.questionnaires.push(q);
            }
        }
        Ok((current, layout))
    }

    /// One readwrite transaction over `stores` for a whole file.
    pub(super) fn import_transaction(
        &self,
        stores: &[&str],
    ) -> Result<Transaction<'_>, StorageError> {
        self.db
            .transaction(stores.to_vec())
            .with_mode(TransactionMode::Readwrite)
            .with_options(TransactionOptions::new().with_durability(TransactionDurability::Relaxed))
            .build()
            .map_err(err)
    }

    /// Everything stored, conflicts included, as the merge sees it.
    pub async fn snapshot(&self) -> Result<Snapshot, StorageError> {
        Ok(self.snapshot_and_layout().await?.0)
    }

    async fn snapshot_and_layout(&self) -> Result<(Snapshot, Layout), StorageError> {
        let (contents, layout) = self.contents_and_layout().await?;
        let snapshot = Snapshot {
            contents,
            conflicts: self.conflicts().await?,
        };
        Ok((snapshot, layout))
    }

    /// Everything a backup bundle carries, photos read back as bytes.
    pub async fn export_contents(&self) -> Result<Contents, StorageError> {
        Ok(self.contents_and_layout().await?.0)
    }

    async fn contents_and_layout(&self) -> Result<(Contents, Layout), StorageError> {
        let (responses, layout) = self.stored_responses().await?;
        let contents = Contents {
            questionnaires: self.all_json(QUESTIONNAIRES).await?,
            responses,
            locations: self.all_json(LOCATIONS).await?,
            employees: self.all_json(EMPLOYEES).await?,
            actions: self.all_json(ACTIONS).await?,
            settings: self.settings().await?,
            photos: self.photo_records().await?,
        };
        Ok((contents, layout))
    }

    /// Copies from imported files kept beside a stored record.
    pub async fn conflicts(&self) -> Result<Vec<Conflict>, StorageError> {
        self.all_json(CONFLICTS).await
    }

    /// A person's choice on the conflicts screen: stores what the choice
    /// takes (`Conflict::resolve`) and drops the conflict `key`, in one
    /// transaction, so a choice is stored whole or not at all.
    pub async fn resolve_conflict(&self, key: &str, changes: &Changes) -> Result<(), StorageError> {
        let (stored, layout) = self.stored_responses().await?;
        let mut touched = touched_stores(changes);
        if !touched.contains(&CONFLICTS) {
            touched.push(CONFLICTS);
        }
        let tx = self.import_transaction(&touched)?;
        // An early return drops `tx`, which aborts it.
        put_changes(&tx, changes, &layout, &stored)?;
        drop(
            tx.object_store(CONFLICTS)
                .map_err(err)?
                .delete(wasm_bindgen::JsValue::from(key))
                .primitive()
                .map_err(err)?,
        );
        tx.commit().await.map_err(err)?;
        super::announce_if_shared(&touched);
        Ok(())
    }

    /// Writes `changes` in one transaction: all of it or, on any error,
    /// none of it.
    pub async fn apply(&self, changes: &Changes) -> Result<(), StorageError> {
        let (stored, layout) = self.stored_responses().await?;
        self.write(changes, &layout, &stored).await
    }

    /// [`Self::apply`] with the stored responses and their layout already
    /// read.
    async fn write(
        &self,
        changes: &Changes,
        layout: &Layout,
        stored: &[Response],
    ) -> Result<(), StorageError> {
        let touched = touched_stores(changes);
        if touched.is_empty() {
            return Ok(());
        }
        let tx = self.import_transaction(&touched)?;
        // An early return drops `tx`, which aborts it: nothing put so far
        // is kept.
        put_changes(&tx, changes, layout, stored)?;
        tx.commit().await.map_err(err)?;
        super::announce_if_shared(&touched);
        Ok(())
    }

    /// Every record of `store`, read through one `JSON.stringify`.
    pub(super) async fn all_json<T: DeserializeOwned>(
        &self,
        store: &str,
    ) -> Result<Vec<T>, StorageError> {
        let tx = self.db.transaction(store).build().map_err(err)?;
        let records = tx
            .object_store(store)
            .map_err(err)?
            .get_all::<JsValue>()
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?;
        from_records(records)
    }

    /// Every stored photo with its picture's bytes.
    async fn photo_records(&self) -> Result<Vec<PhotoRecord>, StorageError> {
        let tx = self.db.transaction(PHOTOS).build().map_err(err)?;
        let records = tx
            .object_store(PHOTOS)
            .map_err(err)?
            .get_all::<JsValue>()
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?;
        let mut stored = Vec::new();
        for record in records {
            let record = record.map_err(err)?;
            let blob: web_sys::Blob = js_sys::Reflect::get(&record, &"blob".into())
                .ok()
                .and_then(|b| b.dyn_into().ok())
                .ok_or_else(|| StorageError("a stored photo has no picture".into()))?;
            let meta: PhotoMeta = serde_wasm_bindgen::from_value(record).map_err(err)?;
            stored.push((meta, blob));
        }
        drop(tx);
        let mut out = Vec::with_capacity(stored.len());
        for (meta, blob) in stored {
            let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
                .await
                .map_err(js)?;
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            let record = PhotoRecord::new(&meta, &bytes)
                .ok_or_else(|| StorageError(format!("stored photo {} is not an image", meta.id)))?;
            out.push(record);
        }
        out.sort_by_key(|p| (p.taken_at, p.id));
        Ok(out)
    }
}

/// The stores `changes` writes to.
fn touched_stores(changes: &Changes) -> Vec<&'static str> {
    [
        (QUESTIONNAIRES, changes.questionnaires.is_empty()),
        (RESPONSES, changes.responses.is_empty()),
        (RESPONSE_PAGES, changes.responses.is_empty()),
        (LOCATIONS, changes.locations.is_empty()),
        (EMPLOYEES, changes.employees.is_empty()),
        (ACTIONS, changes.actions.is_empty()),
        (SETTINGS, changes.settings.is_empty()),
        (CONFLICTS, changes.conflicts.is_empty()),
        (PHOTOS, changes.photos.is_empty()),
    ]
    .into_iter()
    .filter(|(_, empty)| !empty)
    .map(|(store, _)| store)
    .collect()
}

/// Puts every record of `changes` into `tx` without awaiting the requests;
/// `tx` must cover the stores of the kinds `changes` holds. The responses
/// go where `crate::response_pages::plan` says, given where the `stored` ones
/// live (`layout`).
pub(super) fn put_changes(
    tx: &Transaction<'_>,
    changes: &Changes,
    layout: &Layout,
    stored: &[Response],
) -> Result<(), StorageError> {
    let settings: Vec<SettingRecord<&serde_json::Value>> = changes
        .settings
        .iter()
        .map(|(key, value)| SettingRecord {
            key: key.clone(),
            value,
        })
        .collect();
    put_json(tx, QUESTIONNAIRES, &changes.questionnaires)?;
    put_responses(tx, &changes.responses, layout, stored)?;
    put_json(tx, LOCATIONS, &changes.locations)?;
    put_json(tx, EMPLOYEES, &changes.employees)?;
    put_json(tx, ACTIONS, &changes.actions)?;
    put_json(tx, SETTINGS, &settings)?;
    put_json(tx, CONFLICTS, &changes.conflicts)?;
    for (store, keys) in [
        (LOCATIONS, &changes.removed.locations),
        (EMPLOYEES, &changes.removed.employees),
    ] {
        if keys.is_empty() {
            continue;
        }
        let store = tx.object_store(store).map_err(err)?;
        for key in keys {
            // Not awaited, as the puts: the commit reports a failure.
            drop(
                store
                    .delete(wasm_bindgen::JsValue::from(key.as_str()))
                    .primitive()
                    .map_err(err)?,
            );
        }
    }
    if !changes.photos.is_empty() {
        let store = tx.object_store(PHOTOS).map_err(err)?;
        for p in &changes.photos {
            let record = photo_object(p)?;
            // Not awaited: a failed put aborts the transaction, and the
            // commit reports it.
            drop(store.put(record).primitive().map_err(err)?);
        }
    }
    Ok(())
}

/// Puts an import's responses: newer copies of single records over them,
/// new ones in new pages, newer copies of paged ones by writing their page
/// again.
fn put_responses(
    tx: &Transaction<'_>,
    put: &[Response],
    layout: &Layout,
    stored: &[Response],
) -> Result<(), StorageError> {
    if put.is_empty() {
        return Ok(());
    }
    // The stored copies are looked up only to write a page again.
    let by_id: std::collections::HashMap<uuid::Uuid, &Response> =
        if put.iter().any(|r| layout.page_of(r.id).is_some()) {
            stored.iter().map(|r| (r.id, r)).collect()
        } else {
            Default::default()
        };
    let plan = response_pages::plan(layout, put, |id| by_id.get(&id).copied()).map_err(|e| {
        StorageError(format!(
            "response {} is in a stored page but was not read with it",
            e.0
        ))
    })?;
    put_json(tx, RESPONSES, &plan.singles)?;
    let store = tx.object_store(RESPONSE_PAGES).map_err(err)?;
    for page in plan.fresh.chunks(PAGE_SIZE) {
        put_page(store.as_sys(), &new_page_id(), page)?;
    }
    for (id, members) in &plan.rewrites {
        put_page(store.as_sys(), id, members)?;
    }
    Ok(())
}

/// Puts `records` into `store` of `tx` without awaiting the requests.
pub(super) fn put_json<T: Serialize>(
    tx: &Transaction<'_>,
    store: &str,
    records: &[T],
) -> Result<(), StorageError> {
    if records.is_empty() {
        return Ok(());
    }
    let store = tx.object_store(store).map_err(err)?;
    for chunk in records.chunks(CHUNK) {
        let text = serde_json::to_string(chunk).map_err(err)?;
        put_all(store.as_sys(), &text).map_err(js)?;
    }
    Ok(())
}

/// Puts the responses new to the device that [`EarlyResponses`] takes as
/// the file is read, a page at a time. Newer copies of stored responses
/// wait for the rest of the merge: where they go depends on where the
/// stored copy lives.
struct EarlyWriter<'a> {
    decide: EarlyResponses<'a>,
    layout: &'a Layout,
    pages: web_sys::IdbObjectStore,
    /// `[` and the records of the page so far, comma-separated.
    chunk: Vec<u8>,
    /// Their ids, comma-separated.
    ids: String,
    in_chunk: usize,
    /// Why a put failed; the read stops there.
    failed: Option<StorageError>,
}

impl EarlyWriter<'_> {
    fn flush(&mut self) -> Result<(), StorageError> {
        if self.in_chunk == 0 {
            return Ok(());
        }
        self.chunk.push(b']');
        // serde_json writes UTF-8.
        let text = std::str::from_utf8(&self.chunk).map_err(err)?;
        put_page_text(&self.pages, &new_page_id(), &self.ids, text)?;
        self.chunk.clear();
        self.ids.clear();
        self.in_chunk = 0;
        Ok(())
    }

    fn put(&mut self, r: &Response) -> Result<(), StorageError> {
        let first = self.in_chunk == 0;
        self.chunk.push(if first { b'[' } else { b',' });
        serde_json::to_writer(&mut self.chunk, r).map_err(err)?;
        if !first {
            self.ids.push(',');
        }
        self.ids.push_str(&r.id.to_string());
        self.in_chunk += 1;
        if self.in_chunk == PAGE_SIZE {
            self.flush()?;
        }
        Ok(())
    }
}

impl ReadObserver for EarlyWriter<'_> {
    fn questionnaires(&mut self, questionnaires: &[Questionnaire]) {
        self.decide.questionnaires(questionnaires);
    }

    fn response(&mut self, r: &Response) -> Result<(), String> {
        if self.layout.contains(r.id) || !self.decide.take(r) {
            return Ok(());
        }
        self.put(r).map_err(|e| {
            let shown = e.0.clone();
            self.failed = Some(e);
            shown
        })
    }
}

/// A photo as [`Store::put_photo`] stores it: the metadata plus a Blob of
/// the decoded picture.
fn photo_object(p: &PhotoRecord) -> Result<JsValue, StorageError> {
    let bytes = p
        .bytes()
        .map_err(|e| StorageError(format!("photo {}: {e:?}", p.id)))?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&p.mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(js)?;
    let record = serde_wasm_bindgen::to_value(&p.meta()).map_err(err)?;
    js_sys::Reflect::set(&record, &"blob".into(), &blob).map_err(js)?;
    Ok(record)
}
