//! IndexedDB persistence of the domain records. Everything the user enters
//! lives here; nothing leaves the device unless exported.
//!
//! Each write is its own committed transaction: with indexed_db_futures a
//! transaction rolls back unless `commit()` is awaited, so every public
//! function below commits before it returns `Ok`. The commit is requested in
//! the same task as the write, so a tab closed a moment after an answer
//! still stores it.

use std::cell::RefCell;
use std::fmt;

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use uuid::Uuid;

use crate::delivery::OutboxRecord;
use crate::domain::photo::PhotoMeta;
use crate::domain::{CorrectiveAction, Employee, Location, Questionnaire, Response};

mod import;
mod inbox;
mod json;
mod response_pages;
mod sync;
pub use import::ImportError;
pub use sync::TakenRecords;

use crate::schema::{
    ACTIONS, DB_NAME, EMPLOYEES, LOCATIONS, OUTBOX, PHOTOS, PHOTOS_BY_RESPONSE, QUESTIONNAIRES,
    RESPONSES, SCHEMA_VERSION, SETTINGS,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StorageError {}

fn err(e: impl fmt::Display) -> StorageError {
    StorageError(e.to_string())
}

/// An open database. Cheap to clone: clones share the connection.
#[derive(Debug, Clone)]
pub struct Store {
    db: Database,
}

/// Brings the stores up to [`SCHEMA_VERSION`]. Each store is created when
/// it is missing rather than when the old version says so: a database that
/// something else created empty at some version (a devtools session, a page
/// reading it before the app) still gets every store. Records already in a
/// store are never touched; a future change of key or index goes here as a
/// version step.
fn upgrade(_old_version: u32, db: &Database) -> indexed_db_futures::Result<()> {
    let have: std::collections::HashSet<String> = db.object_store_names().collect();
    for store in crate::schema::STORES {
        if have.contains(store.name) {
            continue;
        }
        let key_path = match store.key_path {
            [one] => (*one).into(),
            many => many.to_vec().into(),
        };
        let created = db
            .create_object_store(store.name)
            .with_key_path(key_path)
            .build()?;
        for index in store.indexes {
            created
                .create_index(index.name, index.key_path.into())
                .with_multi_entry(index.multi_entry)
                .build()?;
        }
    }
    Ok(())
}

/// Tells the other wasm instances of the page, after a commit that wrote
/// any of `stores`, when one of them holds records team sync shares
/// (`platform::RECORDS_CHANGED_EVENT`).
pub(super) fn announce_if_shared(stores: &[&str]) {
    use crate::schema::{CONFLICTS, RESPONSE_PAGES};
    let shared = [
        RESPONSES,
        RESPONSE_PAGES,
        QUESTIONNAIRES,
        PHOTOS,
        LOCATIONS,
        EMPLOYEES,
        ACTIONS,
        CONFLICTS,
    ];
    if stores.iter().any(|s| shared.contains(s)) {
        crate::web::platform::announce_records_changed();
    }
}

/// One row of [`SETTINGS`].
#[derive(serde::Serialize, serde::Deserialize)]
struct SettingRecord<T> {
    key: String,
    value: T,
}

impl Store {
    pub async fn open_named(name: &str) -> Result<Store, StorageError> {
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_blocked(|_| {
                ON_BLOCKED.with(|b| {
                    if let Some(f) = b.borrow().as_ref() {
                        f();
                    }
                });
                Ok(())
            })
            .with_on_upgrade_needed(|event, db| {
                // IndexedDB versions are whole numbers carried as f64.
                upgrade(event.old_version() as u32, &db)
            })
            .await
            .map_err(err)?;
        Ok(Store { db })
    }

    /// The database's name.
    pub fn name(&self) -> String {
        self.db.name()
    }

    /// Closes the connection; the app reopens it on the next use.
    pub fn close(self) {
        self.db.close();
    }

    async fn put<T: serde::Serialize>(&self, store: &str, value: &T) -> Result<(), StorageError> {
        // The serializer indexed_db_futures' `.serde()` uses.
        let record = value
            .serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
            .map_err(err)?;
        self.put_object(store, record).await
    }

    /// Like [`Self::put`], the record crossing as JSON text and one native
    /// `JSON.parse`, as an import does (see `import`): serde_wasm_bindgen
    /// builds the object a field at a time across the wasm boundary, and a
    /// response's write is on the path from a tap to the answer being
    /// durable. Same stored shape, except that an absent optional field is
    /// `null`; both read back as `None`.
    async fn put_json<T: serde::Serialize>(
        &self,
        store: &str,
        value: &T,
    ) -> Result<(), StorageError> {
        let json = serde_json::to_string(value).map_err(err)?;
        let record = js_sys::JSON::parse(&json).map_err(|e| StorageError(format!("{e:?}")))?;
        self.put_object(store, record).await
    }

    async fn put_object(
        &self,
        store: &str,
        record: wasm_bindgen::JsValue,
    ) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(store)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        let request = tx
            .object_store(store)
            .map_err(err)?
            .put(record)
            .primitive()
            .map_err(err)?;
        // Commit in the same task as the request: a page closed right after
        // an answer then still finishes the write instead of aborting it.
        tx.commit().await.map_err(err)?;
        request.await.map(|_| ()).map_err(err)?;
        announce_if_shared(&[store]);
        Ok(())
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        key: String,
    ) -> Result<Option<T>, StorageError> {
        let tx = self.db.transaction(store).build().map_err(err)?;
        let found: Option<T> = tx
            .object_store(store)
            .map_err(err)?
            .get(key)
            .serde()
            .map_err(err)?
            .await
            .map_err(err)?;
        Ok(found)
    }

    async fn delete(
        &self,
        store: &str,
        key: impl Into<wasm_bindgen::JsValue>,
    ) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(store)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        let request = tx
            .object_store(store)
            .map_err(err)?
            .delete(key.into())
            .primitive()
            .map_err(err)?;
        tx.commit().await.map_err(err)?;
        request.await.map_err(err)?;
        announce_if_shared(&[store]);
        Ok(())
    }

    async fn all<T: serde::de::DeserializeOwned>(
        &self,
        store: &str,
    ) -> Result<Vec<T>, StorageError> {
        let tx = self.db.transaction(store).build().map_err(err)?;
        let records = tx
            .object_store(store)
            .map_err(err)?
            .get_all()
            .serde()
            .map_err(err)?
            .await
            .map_err(err)?;
        records.collect::<Result<Vec<T>, _>>().map_err(err)
    }

    pub async fn put_response(&self, response: &Response) -> Result<(), StorageError> {
        self.put_json(RESPONSES, response).await
    }

    /// The response's single record, or else its copy in a page.
    pub async fn get_response(&self, id: Uuid) -> Result<Option<Response>, StorageError> {
        match self.get(RESPONSES, id.to_string()).await? {
            Some(r) => Ok(Some(r)),
            None => self.paged_response(id).await,
        }
    }

    /// Deletes a response and its photos. The UI asks first (twice for
    /// results not yet exported).
    pub async fn delete_response(&self, id: Uuid) -> Result<(), StorageError> {
        for (photo, _) in self.photos_of(id).await? {
            self.delete_photo(photo.id).await?;
        }
        self.delete_single_and_paged(id).await
    }

    /// Every response, single records and pages (`crate::response_pages`).
    pub async fn responses(&self) -> Result<Vec<Response>, StorageError> {
        Ok(self.stored_responses().await?.0)
    }

    pub async fn put_location(&self, location: &Location) -> Result<(), StorageError> {
        self.put(LOCATIONS, location).await
    }

    pub async fn locations(&self) -> Result<Vec<Location>, StorageError> {
        self.all(LOCATIONS).await
    }

    pub async fn delete_location(&self, id: &str) -> Result<(), StorageError> {
        self.delete(LOCATIONS, id).await
    }

    pub async fn put_employee(&self, employee: &Employee) -> Result<(), StorageError> {
        self.put(EMPLOYEES, employee).await
    }

    pub async fn employees(&self) -> Result<Vec<Employee>, StorageError> {
        self.all(EMPLOYEES).await
    }

    pub async fn delete_employee(&self, id: &str) -> Result<(), StorageError> {
        self.delete(EMPLOYEES, id).await
    }

    pub async fn put_action(&self, action: &CorrectiveAction) -> Result<(), StorageError> {
        self.put(ACTIONS, action).await
    }

    pub async fn actions(&self) -> Result<Vec<CorrectiveAction>, StorageError> {
        self.all(ACTIONS).await
    }

    pub async fn get_setting<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StorageError> {
        let found: Option<SettingRecord<T>> = self.get(SETTINGS, key.to_owned()).await?;
        Ok(found.map(|r| r.value))
    }

    pub async fn put_setting<T: serde::Serialize>(
        &self,
        key: &str,
        value: &T,
    ) -> Result<(), StorageError> {
        let record = SettingRecord {
            key: key.to_owned(),
            value,
        };
        self.put(SETTINGS, &record).await
    }

    /// Every setting by name, as the backup bundle carries them.
    pub async fn settings(
        &self,
    ) -> Result<std::collections::BTreeMap<String, serde_json::Value>, StorageError> {
        let rows: Vec<SettingRecord<serde_json::Value>> = self.all(SETTINGS).await?;
        Ok(rows.into_iter().map(|r| (r.key, r.value)).collect())
    }

    /// Stores a questionnaire version. A published version already stored is
    /// never overwritten: responses name it and must keep meaning the same.
    pub async fn put_questionnaire(&self, q: &Questionnaire) -> Result<(), StorageError> {
        if let Some(existing) = self.get_questionnaire(&q.id, q.version).await? {
            if existing.status == crate::domain::VersionStatus::Published && existing != *q {
                return Err(StorageError(format!(
                    "questionnaire {} version {} is published and cannot change",
                    q.id, q.version
                )));
            }
        }
        self.put(QUESTIONNAIRES, q).await
    }

    pub async fn get_questionnaire(
        &self,
        id: &str,
        version: u32,
    ) -> Result<Option<Questionnaire>, StorageError> {
        let tx = self.db.transaction(QUESTIONNAIRES).build().map_err(err)?;
        let found: Option<Questionnaire> = tx
            .object_store(QUESTIONNAIRES)
            .map_err(err)?
            .get(indexed_db_futures::KeyRange::Only((id, version)))
            .serde()
            .map_err(err)?
            .await
            .map_err(err)?;
        Ok(found)
    }

    pub async fn questionnaires(&self) -> Result<Vec<Questionnaire>, StorageError> {
        self.all(QUESTIONNAIRES).await
    }

    /// Stores a photo: its description and the picture itself as a Blob,
    /// which IndexedDB keeps natively (no base64 on the device).
    pub async fn put_photo(
        &self,
        meta: &PhotoMeta,
        blob: &web_sys::Blob,
    ) -> Result<(), StorageError> {
        let record = serde_wasm_bindgen::to_value(meta).map_err(err)?;
        js_sys::Reflect::set(&record, &"blob".into(), blob)
            .map_err(|e| StorageError(format!("{e:?}")))?;
        let tx = self
            .db
            .transaction(PHOTOS)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        let request = tx
            .object_store(PHOTOS)
            .map_err(err)?
            .put(record)
            .primitive()
            .map_err(err)?;
        tx.commit().await.map_err(err)?;
        request.await.map(|_| ()).map_err(err)?;
        announce_if_shared(&[PHOTOS]);
        Ok(())
    }

    /// A response's photos in the order they were taken.
    pub async fn photos_of(
        &self,
        response_id: uuid::Uuid,
    ) -> Result<Vec<(PhotoMeta, web_sys::Blob)>, StorageError> {
        use wasm_bindgen::JsCast;
        let tx = self.db.transaction(PHOTOS).build().map_err(err)?;
        let records = tx
            .object_store(PHOTOS)
            .map_err(err)?
            .index(PHOTOS_BY_RESPONSE)
            .map_err(err)?
            .get_all::<wasm_bindgen::JsValue>()
            .with_query(response_id.to_string())
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?;
        let mut out = Vec::new();
        for record in records {
            let record = record.map_err(err)?;
            let blob = js_sys::Reflect::get(&record, &"blob".into())
                .ok()
                .and_then(|b| b.dyn_into::<web_sys::Blob>().ok())
                .ok_or_else(|| StorageError("a stored photo has no picture".into()))?;
            let meta: PhotoMeta = serde_wasm_bindgen::from_value(record).map_err(err)?;
            out.push((meta, blob));
        }
        out.sort_by_key(|(m, _)| m.taken_at);
        Ok(out)
    }

    /// A response's photos with their pictures' bytes, in the order taken.
    pub async fn photo_bytes_of(
        &self,
        response_id: uuid::Uuid,
    ) -> Result<Vec<(PhotoMeta, Vec<u8>)>, StorageError> {
        let mut out = Vec::new();
        for (meta, blob) in self.photos_of(response_id).await? {
            let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
                .await
                .map_err(json::js)?;
            out.push((meta, js_sys::Uint8Array::new(&buffer).to_vec()));
        }
        Ok(out)
    }

    pub async fn delete_photo(&self, id: uuid::Uuid) -> Result<(), StorageError> {
        self.delete(PHOTOS, id.to_string()).await
    }

    /// Stores an answer's place in the outbox (replacing its last state),
    /// as JSON text like the respondent page writes it.
    pub async fn put_outbox(&self, record: &OutboxRecord) -> Result<(), StorageError> {
        self.put_json(OUTBOX, record).await
    }

    pub async fn get_outbox(
        &self,
        response_id: Uuid,
    ) -> Result<Option<OutboxRecord>, StorageError> {
        self.get(OUTBOX, response_id.to_string()).await
    }

    /// Every outbox record that reads; a damaged one is left out and left
    /// stored, so it cannot stop the others' delivery.
    pub async fn outbox(&self) -> Result<Vec<OutboxRecord>, StorageError> {
        let rows: Vec<serde_json::Value> = self.all(OUTBOX).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| serde_json::from_value(r).ok())
            .collect())
    }
}

thread_local! {
    static SHARED: RefCell<Option<Store>> = const { RefCell::new(None) };
    static ON_BLOCKED: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Called when a schema upgrade waits for another tab that still has the
/// old version open; the app tells the user to close it.
pub fn on_upgrade_blocked(f: impl Fn() + 'static) {
    ON_BLOCKED.with(|b| *b.borrow_mut() = Some(Box::new(f)));
}

/// The app's one connection to [`DB_NAME`], opened on first use.
pub async fn shared() -> Result<Store, StorageError> {
    if let Some(store) = SHARED.with(|s| s.borrow().clone()) {
        return Ok(store);
    }
    let store = Store::open_named(DB_NAME).await?;
    // Two callers may race to open; keep the first and let the other go.
    Ok(SHARED.with(|s| s.borrow_mut().get_or_insert(store).clone()))
}
