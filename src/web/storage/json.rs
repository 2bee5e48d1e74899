//! The JSON bridge between our records and IndexedDB's JavaScript values:
//! records cross as JSON text (one `JSON.stringify` or `JSON.parse` per
//! batch, native code) rather than field by field, which is what makes an
//! import and a page read fast. Both the import and the response pages use
//! it, so neither names the other for it.

use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

use super::{err, StorageError};

/// A JavaScript exception as a storage error with its message.
pub(super) fn js(e: JsValue) -> StorageError {
    StorageError(
        e.as_string()
            .or_else(|| {
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
            })
            .unwrap_or_else(|| format!("{e:?}")),
    )
}

/// Records read with `get_all`, through one `JSON.stringify`.
pub(super) fn from_records<T: DeserializeOwned>(
    records: impl Iterator<Item = indexed_db_futures::Result<JsValue>>,
) -> Result<Vec<T>, StorageError> {
    let array = js_sys::Array::new();
    for r in records {
        array.push(&r.map_err(err)?);
    }
    let text = js_sys::JSON::stringify(&array).map_err(js)?;
    serde_json::from_str(&String::from(text)).map_err(err)
}
