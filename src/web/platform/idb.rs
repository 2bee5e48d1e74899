//! IndexedDB for the lean wasm binaries, the customer's page and the
//! courier (`web::courier`): the app's database (`crate::schema`: the
//! same name, version and stores as `web::storage` opens) reached
//! through web-sys directly. `storage::Store` goes through
//! indexed_db_futures and serde-wasm-bindgen, which would double the
//! download of a binary that needs four operations.
//!
//! Records cross as JSON: `serde_json` text parsed by the browser's
//! `JSON.parse` (and read back through `JSON.stringify`). That is the shape
//! `storage::Store` writes (maps as objects, numbers as numbers), except
//! that an absent optional field is `null` rather than missing, which every
//! reader of the app treats alike.
//!
//! Every write is its own readwrite transaction. IndexedDB runs readwrite
//! transactions over the same store in the order they were created, so
//! snapshots of one response land in the order they were taken without a
//! queue of our own.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbIndexParameters, IdbObjectStoreParameters, IdbTransactionMode};

use crate::schema::{DB_NAME, SCHEMA_VERSION, STORES};

/// Why a database operation failed, as the browser said it.
pub struct DbError(pub String);

fn js_err(e: JsValue) -> DbError {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| {
            js_sys::Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "IndexedDB".to_owned());
    DbError(text)
}

thread_local! {
    static OPEN: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

/// The binary's one connection, opened (and upgraded) on first use.
pub async fn open() -> Result<IdbDatabase, DbError> {
    if let Some(db) = OPEN.with(|o| o.borrow().clone()) {
        return Ok(db);
    }
    let db = open_named(DB_NAME).await?;
    Ok(OPEN.with(|o| o.borrow_mut().get_or_insert(db).clone()))
}

/// Opens (and upgrades) the database `name` with a connection of its own;
/// the binaries use [`open`], tests a database of their own.
pub async fn open_named(name: &str) -> Result<IdbDatabase, DbError> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| DbError("no IndexedDB".to_owned()))?;
    let request = factory
        .open_with_u32(name, SCHEMA_VERSION)
        .map_err(js_err)?;
    let upgrade = Closure::<dyn FnMut()>::new({
        let request = request.clone();
        move || {
            if let Ok(db) = request.result() {
                create_missing_stores(&db.unchecked_into());
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db: IdbDatabase = settle(&request).await?.unchecked_into();
    drop(upgrade);
    Ok(db)
}

/// The schema's upgrade rule (`crate::schema`): every store that is
/// missing is created, whatever version the database had.
fn create_missing_stores(db: &IdbDatabase) {
    let names = db.object_store_names();
    for store in STORES {
        if names.contains(store.name) {
            continue;
        }
        let params = IdbObjectStoreParameters::new();
        match store.key_path {
            [one] => params.set_key_path(&JsValue::from_str(one)),
            many => {
                params.set_key_path(&many.iter().map(|f| JsValue::from_str(f)).collect::<Array>())
            }
        }
        let Ok(created) = db.create_object_store_with_optional_parameters(store.name, &params)
        else {
            continue;
        };
        for index in store.indexes {
            let options = IdbIndexParameters::new();
            options.set_multi_entry(index.multi_entry);
            let _ = created.create_index_with_str_and_optional_parameters(
                index.name,
                index.key_path,
                &options,
            );
        }
    }
}

/// Resolves with the request's result once it succeeds.
async fn settle(request: &web_sys::IdbRequest) -> Result<JsValue, DbError> {
    let request = request.clone();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let r = request.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r = request.clone();
        let failed = Closure::once_into_js(move || {
            let e = r
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(failed.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(js_err)
}

/// Stores `json` (one record as JSON text) in `store`; resolves when the
/// transaction has committed.
pub async fn put(store: &str, json: &str) -> Result<(), DbError> {
    let db = open().await?;
    let record = JSON::parse(json).map_err(js_err)?;
    let tx = db
        .transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)
        .map_err(js_err)?;
    tx.object_store(store)
        .map_err(js_err)?
        .put(&record)
        .map_err(js_err)?;
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let t = tx.clone();
        let failed = Closure::once_into_js(move || {
            let e = t.error().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        tx.set_oncomplete(Some(done.unchecked_ref()));
        tx.set_onerror(Some(failed.unchecked_ref()));
        tx.set_onabort(Some(failed.unchecked_ref()));
    });
    // Commit now rather than when the event loop is idle: a page closed
    // right after an answer then still finishes the write. (web-sys marks
    // `commit` deprecated only because its WebIDL is newer than the crate's
    // baseline; every current browser has it, and a missing one throws,
    // which is ignored: the transaction then commits when idle.)
    #[allow(deprecated)]
    let _ = tx.commit();
    JsFuture::from(promise).await.map(|_| ()).map_err(js_err)
}

/// The record under `key` in `store` as JSON text, if there is one.
pub async fn get(store: &str, key: &JsValue) -> Result<Option<String>, DbError> {
    let db = open().await?;
    let tx = db.transaction_with_str(store).map_err(js_err)?;
    let request = tx
        .object_store(store)
        .map_err(js_err)?
        .get(key)
        .map_err(js_err)?;
    let found = settle(&request).await?;
    if found.is_undefined() {
        return Ok(None);
    }
    let text = JSON::stringify(&found).map_err(js_err)?;
    Ok(text.as_string())
}

/// Every record in `store`, each as JSON text (one `JSON.stringify` each,
/// so one unreadable record does not hide the others).
pub async fn get_all(store: &str) -> Result<Vec<String>, DbError> {
    let db = open().await?;
    let tx = db.transaction_with_str(store).map_err(js_err)?;
    let request = tx
        .object_store(store)
        .map_err(js_err)?
        .get_all()
        .map_err(js_err)?;
    let found = Array::from(&settle(&request).await?);
    let mut texts = Vec::with_capacity(found.length() as usize);
    for record in found.iter() {
        if let Some(text) = JSON::stringify(&record).map_err(js_err)?.as_string() {
            texts.push(text);
        }
    }
    Ok(texts)
}
