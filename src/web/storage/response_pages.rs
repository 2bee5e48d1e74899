//! Reading and writing [`RESPONSE_PAGES`]: the imported responses kept
//! many to a record, beside the single records of [`RESPONSES`]. Which
//! copy counts and where an import puts what is decided in
//! `formats::pages`; this is the IndexedDB side of it.

use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use uuid::Uuid;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::json::{from_records, js};
use super::{err, StorageError, Store};
use crate::domain::Response;
use crate::response_pages::{page_ids, page_json, read_page, visible, Layout};
use crate::schema::{PAGES_BY_RESPONSE, RESPONSES, RESPONSE_PAGES};

#[wasm_bindgen(module = "/src/web/storage/put_all.js")]
extern "C" {
    /// Puts the page `{id, ids: ids.split(','), json}` into `store`.
    #[wasm_bindgen(js_name = putPage, catch)]
    fn put_page_js(
        store: &web_sys::IdbObjectStore,
        id: &str,
        ids: &str,
        json: &str,
    ) -> Result<(), JsValue>;
}

/// Puts `responses` as the page `id` (new, or replacing the page of that
/// id) without awaiting the request: the transaction's commit reports a
/// failure.
pub(super) fn put_page(
    store: &web_sys::IdbObjectStore,
    id: &str,
    responses: &[&Response],
) -> Result<(), StorageError> {
    let json = page_json(responses).map_err(err)?;
    put_page_text(store, id, &page_ids(responses), &json)
}

/// [`put_page`] of a page already written out: `ids` comma-separated,
/// `json` the responses' JSON array.
pub(super) fn put_page_text(
    store: &web_sys::IdbObjectStore,
    id: &str,
    ids: &str,
    json: &str,
) -> Result<(), StorageError> {
    put_page_js(store, id, ids, json).map_err(js)
}

/// A page id for a page about to be written.
pub(super) fn new_page_id() -> String {
    Uuid::new_v4().to_string()
}

/// The id and responses of a page record.
fn page_of_record(record: &JsValue) -> Result<(String, Vec<Response>), StorageError> {
    let field = |name: &str| {
        js_sys::Reflect::get(record, &name.into())
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(|| StorageError(format!("a stored response page has no {name}")))
    };
    let id = field("id")?;
    let responses = read_page(&field("json")?)
        .map_err(|e| StorageError(format!("stored response page {id}: {e}")))?;
    Ok((id, responses))
}

/// The page record that holds response `id`, found through the index.
async fn page_holding(
    pages: &indexed_db_futures::object_store::ObjectStore<'_>,
    id: Uuid,
) -> Result<Option<JsValue>, StorageError> {
    pages
        .index(PAGES_BY_RESPONSE)
        .map_err(err)?
        .get(id.to_string())
        .primitive()
        .map_err(err)?
        .await
        .map_err(err)
}

impl Store {
    /// Every response a reader sees, and where each one lives, read in
    /// one transaction so the two agree.
    pub(super) async fn stored_responses(&self) -> Result<(Vec<Response>, Layout), StorageError> {
        let tx = self
            .db
            .transaction([RESPONSES, RESPONSE_PAGES])
            .build()
            .map_err(err)?;
        // Both requests are issued before either is awaited.
        let all = |store: &str| {
            tx.object_store(store)
                .map_err(err)?
                .get_all::<JsValue>()
                .primitive()
                .map_err(err)
        };
        let (singles, pages) = (all(RESPONSES)?, all(RESPONSE_PAGES)?);
        let singles: Vec<Response> = from_records(singles.await.map_err(err)?)?;
        let pages = pages.await.map_err(err)?;
        let mut layout = Layout::default();
        for r in &singles {
            layout.add_single(r.id);
        }
        let mut paged = Vec::new();
        for record in pages {
            let (id, responses) = page_of_record(&record.map_err(err)?)?;
            layout.add_page(id, responses.iter().map(|r| r.id).collect());
            paged.extend(responses);
        }
        Ok((visible(singles, paged), layout))
    }

    /// The copy of response `id` in a page, if a page holds it.
    pub(super) async fn paged_response(&self, id: Uuid) -> Result<Option<Response>, StorageError> {
        let tx = self.db.transaction(RESPONSE_PAGES).build().map_err(err)?;
        let Some(record) = page_holding(&tx.object_store(RESPONSE_PAGES).map_err(err)?, id).await?
        else {
            return Ok(None);
        };
        let (_, responses) = page_of_record(&record)?;
        Ok(responses.into_iter().find(|r| r.id == id))
    }

    /// Deletes response `id` wherever it is: its single record, and its
    /// copy in a page (the page written again without it, or deleted when
    /// it held nothing else), in one transaction.
    pub(super) async fn delete_single_and_paged(&self, id: Uuid) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction([RESPONSES, RESPONSE_PAGES])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        tx.object_store(RESPONSES)
            .map_err(err)?
            .delete(id.to_string())
            .primitive()
            .map_err(err)?;
        let pages = tx.object_store(RESPONSE_PAGES).map_err(err)?;
        if let Some(record) = page_holding(&pages, id).await? {
            let (page, responses) = page_of_record(&record)?;
            let kept: Vec<&Response> = responses.iter().filter(|r| r.id != id).collect();
            if kept.is_empty() {
                pages.delete(page).primitive().map_err(err)?;
            } else {
                put_page(pages.as_sys(), &page, &kept)?;
            }
        }
        tx.commit().await.map_err(err)?;
        super::announce_if_shared(&[crate::schema::RESPONSES]);
        Ok(())
    }
}
