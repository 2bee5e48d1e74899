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
//! JSON instead, a few thousand per `JSON.parse` (native code), and every
//! put is issued without waiting for it; only the commit is awaited. Reads
//! of whole stores come back the same way through `JSON.stringify`. The
//! stored objects are the ones serde_wasm_bindgen writes, except that an
//! absent optional field may read `null` instead of `undefined`; both read
//! back as `None`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};

use super::{
    err, SettingRecord, StorageError, Store, ACTIONS, CONFLICTS, EMPLOYEES, LOCATIONS, PHOTOS,
    QUESTIONNAIRES, RESPONSES, SETTINGS,
};
use crate::domain::photo::PhotoMeta;
use crate::formats::bundle::{parse_bundle, Bundle, BundleError, Contents, PhotoRecord};
use crate::formats::merge::{merge, Changes, Conflict, MergeReport, Snapshot};

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

fn js(e: JsValue) -> StorageError {
    StorageError(
        e.as_string()
            .or_else(|| {
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
            })
            .unwrap_or_else(|| format!("{e:?}")),
    )
}

impl Store {
    /// Reads, merges and stores one bundle file: parse (every check),
    /// [`merge`] with what is stored, one transaction. The report says what
    /// was added, updated, skipped, rejected and kept as a conflict.
    pub async fn import_bundle(&self, text: &str) -> Result<MergeReport, ImportError> {
        let bundle = parse_bundle(text).map_err(ImportError::Bundle)?;
        Ok(self.import(&bundle).await?)
    }

    /// Merges a file already read (a bundle, or a questionnaire file read
    /// as one by `formats::import_file`) and stores it in one transaction.
    pub async fn import(&self, bundle: &Bundle) -> Result<MergeReport, StorageError> {
        let mut current = self.snapshot().await?;
        // This build's built-ins count as known: responses to them are not
        // rejected for a questionnaire the store never held.
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
        let (changes, report) = merge(&current, bundle);
        self.apply(&changes).await?;
        Ok(report)
    }

    /// Everything stored, conflicts included, as the merge sees it.
    pub async fn snapshot(&self) -> Result<Snapshot, StorageError> {
        Ok(Snapshot {
            contents: self.export_contents().await?,
            conflicts: self.conflicts().await?,
        })
    }

    /// Everything a backup bundle carries, photos read back as bytes.
    pub async fn export_contents(&self) -> Result<Contents, StorageError> {
        Ok(Contents {
            questionnaires: self.all_json(QUESTIONNAIRES).await?,
            responses: self.all_json(RESPONSES).await?,
            locations: self.all_json(LOCATIONS).await?,
            employees: self.all_json(EMPLOYEES).await?,
            actions: self.all_json(ACTIONS).await?,
            settings: self.settings().await?,
            photos: self.photo_records().await?,
        })
    }

    /// Copies from imported files kept beside a stored record.
    pub async fn conflicts(&self) -> Result<Vec<Conflict>, StorageError> {
        self.all_json(CONFLICTS).await
    }

    /// Writes `changes` in one transaction: all of it or, on any error,
    /// none of it.
    pub async fn apply(&self, changes: &Changes) -> Result<(), StorageError> {
        let settings: Vec<SettingRecord<&serde_json::Value>> = changes
            .settings
            .iter()
            .map(|(key, value)| SettingRecord {
                key: key.clone(),
                value,
            })
            .collect();
        let touched: Vec<&str> = [
            (QUESTIONNAIRES, changes.questionnaires.is_empty()),
            (RESPONSES, changes.responses.is_empty()),
            (LOCATIONS, changes.locations.is_empty()),
            (EMPLOYEES, changes.employees.is_empty()),
            (ACTIONS, changes.actions.is_empty()),
            (SETTINGS, settings.is_empty()),
            (CONFLICTS, changes.conflicts.is_empty()),
            (PHOTOS, changes.photos.is_empty()),
        ]
        .into_iter()
        .filter(|(_, empty)| !empty)
        .map(|(store, _)| store)
        .collect();
        if touched.is_empty() {
            return Ok(());
        }
        let tx = self
            .db
            .transaction(touched)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        // An early return drops `tx`, which aborts it: nothing put so far
        // is kept.
        put_json(&tx, QUESTIONNAIRES, &changes.questionnaires)?;
        put_json(&tx, RESPONSES, &changes.responses)?;
        put_json(&tx, LOCATIONS, &changes.locations)?;
        put_json(&tx, EMPLOYEES, &changes.employees)?;
        put_json(&tx, ACTIONS, &changes.actions)?;
        put_json(&tx, SETTINGS, &settings)?;
        put_json(&tx, CONFLICTS, &changes.conflicts)?;
        if !changes.photos.is_empty() {
            let store = tx.object_store(PHOTOS).map_err(err)?;
            for p in &changes.photos {
                let record = photo_object(p)?;
                // Not awaited: a failed put aborts the transaction, and the
                // commit below reports it.
                drop(store.put(record).primitive().map_err(err)?);
            }
        }
        tx.commit().await.map_err(err)
    }

    /// Every record of `store`, read through one `JSON.stringify`.
    async fn all_json<T: DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, StorageError> {
        let tx = self.db.transaction(store).build().map_err(err)?;
        let records = tx
            .object_store(store)
            .map_err(err)?
            .get_all::<JsValue>()
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?;
        let array = js_sys::Array::new();
        for r in records {
            array.push(&r.map_err(err)?);
        }
        let text = js_sys::JSON::stringify(&array).map_err(js)?;
        serde_json::from_str(&String::from(text)).map_err(err)
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

/// Puts `records` into `store` of `tx` without awaiting the requests.
fn put_json<T: Serialize>(
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
        let array: js_sys::Array = js_sys::JSON::parse(&text).map_err(js)?.unchecked_into();
        for value in array.iter() {
            drop(store.put(value).primitive().map_err(err)?);
        }
    }
    Ok(())
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
