//! Importing a backup bundle into IndexedDB in headless Chromium, against
//! Dexie (issue 8): the same synthetic store as `benches/bundle.rs`, written
//! as a bundle, then imported twice in the same page, each into a fresh
//! database:
//!
//! * ours: the file's text (a JS string, as `File.text()` gives it) copied
//!   into wasm and `Store::import_bundle`: the snapshot, then one
//!   transaction in which the responses are put, 500 to a record (response
//!   pages, `formats::pages`), while the file is read (every check), then
//!   the rest of the merge's changes, committed;
//! * ours, staged (for comparison, not the app's path): `parse_bundle`,
//!   `Store::snapshot` + `merge`, `Store::apply`, one after the other, each
//!   timed;
//! * Dexie 4: `JSON.parse` of the same text and `bulkPut` of every record
//!   into the same stores, in one transaction: a record per response, as
//!   the bundle holds them and a Dexie app would store them. The budget's
//!   ratio is against this;
//! * Dexie 4, pages: the same, but the responses grouped into records as
//!   ours stores them (`JSON.stringify` of each 500), to show how much of
//!   the difference is the layout and how much the code.
//!
//! Both write with `durability: "relaxed"` (Dexie's
//! `chromeTransactionDurability`), Chromium's default anyway.
//!
//! The last lines are one per size for scripts:
//! `BENCH import n=<n> ours_ms=<x> dexie_ms=<y> ratio=<r> dexie_pages_ms=<z>`.
//!
//! A benchmark, not a test: it prints figures. Built only with
//! `--features browser-bench`; `make bench-import` runs it in release mode.
//! Dexie is loaded from node_modules (a dev dependency) into this page only;
//! the app ships none of it.
#![cfg(all(target_arch = "wasm32", feature = "browser-bench"))]

use servicelens::domain::Timestamp;
use servicelens::exchange::bundle::{parse_bundle, write_bundle};
use servicelens::exchange::merge::{merge, Receiver};
use servicelens::kpi::synthetic;
use servicelens::response_pages::PAGE_SIZE;
use servicelens::web::storage::Store;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DEXIE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/node_modules/dexie/dist/dexie.mjs"
));

/// The Dexie side, timed in the page: parse, open, one bulkPut per store.
const DEXIE_IMPORT: &str = r#"
return (async () => {
  const t0 = performance.now();
  const doc = JSON.parse(text);
  const t1 = performance.now();
  const db = new Dexie(name, { chromeTransactionDurability: 'relaxed' });
  db.version(1).stores({
    questionnaires: '[id+version]', responses: 'id', locations: 'id',
    employees: 'id', actions: 'id', settings: 'key'
  });
  await db.open();
  const t2 = performance.now();
  await db.transaction('rw', db.questionnaires, db.responses, db.locations,
                       db.employees, db.actions, async () => {
    await db.questionnaires.bulkPut(doc.questionnaires);
    await db.responses.bulkPut(doc.responses);
    await db.locations.bulkPut(doc.locations);
    await db.employees.bulkPut(doc.employees);
    await db.actions.bulkPut(doc.actions);
  });
  const t3 = performance.now();
  const stored = await db.responses.count();
  db.close();
  return [t1 - t0, t3 - t2, stored];
})();
"#;

/// Dexie writing our layout: responses 500 to a record.
const DEXIE_PAGES: &str = r#"
return (async () => {
  const t0 = performance.now();
  const doc = JSON.parse(text);
  const pages = [];
  for (let i = 0; i < doc.responses.length; i += size) {
    const part = doc.responses.slice(i, i + size);
    pages.push({ id: String(i), ids: part.map((r) => r.id), json: JSON.stringify(part) });
  }
  const db = new Dexie(name, { chromeTransactionDurability: 'relaxed' });
  db.version(1).stores({
    questionnaires: '[id+version]', response_pages: 'id, *ids', locations: 'id',
    employees: 'id', actions: 'id', settings: 'key'
  });
  await db.open();
  await db.transaction('rw', db.questionnaires, db.response_pages, db.locations,
                       db.employees, db.actions, async () => {
    await db.questionnaires.bulkPut(doc.questionnaires);
    await db.response_pages.bulkPut(pages);
    await db.locations.bulkPut(doc.locations);
    await db.employees.bulkPut(doc.employees);
    await db.actions.bulkPut(doc.actions);
  });
  const t1 = performance.now();
  const stored = (await db.response_pages.toArray()).reduce((n, p) => n + p.ids.length, 0);
  db.close();
  return [t1 - t0, stored];
})();
"#;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

async fn dexie_class() -> JsValue {
    let parts = js_sys::Array::of1(&JsValue::from_str(DEXIE));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).unwrap();
    let url = web_sys::Url::create_object_url_with_blob(&blob).unwrap();
    let import = js_sys::Function::new_with_args("u", "return import(u)");
    let promise: js_sys::Promise = import
        .call1(&JsValue::NULL, &url.into())
        .unwrap()
        .unchecked_into();
    let module = JsFuture::from(promise).await.expect("Dexie loads");
    js_sys::Reflect::get(&module, &"default".into()).unwrap()
}

#[wasm_bindgen_test]
async fn import_against_dexie() {
    let dexie = dexie_class().await;
    let dexie_import = js_sys::Function::new_with_args("Dexie, text, name", DEXIE_IMPORT);
    let dexie_pages = js_sys::Function::new_with_args("Dexie, text, name, size", DEXIE_PAGES);
    console_log!(
        "Bundle import into IndexedDB, headless Chromium (wasm, release) vs Dexie 4 bulkPut"
    );
    console_log!(
        "{:>9} {:>7} {:>8} | {:>8} | {:>8} {:>8} {:>8} {:>8} | {:>8} {:>8} {:>8} | {:>6} | {:>8}",
        "responses",
        "file MB",
        "write ms",
        "ours ms",
        "parse ms",
        "merge ms",
        "apply ms",
        "staged",
        "JSON ms",
        "bulk ms",
        "Dexie ms",
        "ratio",
        "Dx pages"
    );
    let mut lines = Vec::new();
    for n in [10_000usize, 100_000] {
        let c = synthetic::contents(n, 42);
        let t = now_ms();
        let text = write_bundle(&c, Timestamp::new(synthetic::START_MS, 180), "bench", "0")
            .expect("the synthetic store writes");
        let write = now_ms() - t;
        drop(c);
        let mb = text.len() as f64 / 1e6;
        // The file as the browser hands it over.
        let file = JsValue::from_str(&text);
        drop(text);

        // Ours, as the import screen does it.
        let store = Store::open_named(&format!("bench-ours-{}", Uuid::new_v4()))
            .await
            .unwrap();
        let t0 = now_ms();
        let text = file.as_string().unwrap();
        let report = store
            .import_bundle(&text)
            .await
            .expect("the import commits");
        drop(text);
        let ours = now_ms() - t0;
        assert!(report.changed());
        assert_eq!(store.responses().await.unwrap().len(), n);
        store.close();

        // Ours in stages, to see where the time goes.
        let store = Store::open_named(&format!("bench-staged-{}", Uuid::new_v4()))
            .await
            .unwrap();
        let t0 = now_ms();
        let text = file.as_string().unwrap();
        let bundle = parse_bundle(&text).expect("the file parses");
        drop(text);
        let t1 = now_ms();
        let current = store.snapshot().await.unwrap();
        let (changes, report) = merge(
            &current,
            &bundle,
            Receiver {
                device_id: "bench",
                now: servicelens::domain::Timestamp::new(i64::MAX / 2, 0),
            },
        );
        drop(bundle);
        let t2 = now_ms();
        store.apply(&changes).await.expect("the import commits");
        let t3 = now_ms();
        assert!(report.changed());
        assert_eq!(store.responses().await.unwrap().len(), n);
        drop(changes);
        store.close();

        let promise: js_sys::Promise = dexie_import
            .call3(
                &JsValue::NULL,
                &dexie,
                &file,
                &JsValue::from_str(&format!("bench-dexie-{}", Uuid::new_v4())),
            )
            .unwrap()
            .unchecked_into();
        let result: js_sys::Array = JsFuture::from(promise)
            .await
            .expect("Dexie imports")
            .unchecked_into();
        let (json, bulk) = (
            result.get(0).as_f64().unwrap(),
            result.get(1).as_f64().unwrap(),
        );
        assert_eq!(result.get(2).as_f64(), Some(n as f64));
        let theirs = json + bulk;
        let promise: js_sys::Promise = dexie_pages
            .call4(
                &JsValue::NULL,
                &dexie,
                &file,
                &JsValue::from_str(&format!("bench-dexie-pages-{}", Uuid::new_v4())),
                &JsValue::from_f64(PAGE_SIZE as f64),
            )
            .unwrap()
            .unchecked_into();
        let result: js_sys::Array = JsFuture::from(promise)
            .await
            .expect("Dexie imports pages")
            .unchecked_into();
        let paged = result.get(0).as_f64().unwrap();
        assert_eq!(result.get(1).as_f64(), Some(n as f64));
        console_log!(
            "{:>9} {:>7.1} {:>8.0} | {:>8.0} | {:>8.0} {:>8.0} {:>8.0} {:>8.0} | {:>8.0} {:>8.0} {:>8.0} | {:>6.2} | {:>8.0}",
            n,
            mb,
            write,
            ours,
            t1 - t0,
            t2 - t1,
            t3 - t2,
            t3 - t0,
            json,
            bulk,
            theirs,
            ours / theirs,
            paged
        );
        lines.push(format!(
            "BENCH import n={n} ours_ms={ours:.0} dexie_ms={theirs:.0} ratio={:.3} dexie_pages_ms={paged:.0}",
            ours / theirs
        ));
    }
    console_log!(
        "ours: text into wasm + Store::import_bundle (parse with the responses put as they"
    );
    console_log!(
        "are read, merge, the rest put, one transaction, committed); staged: the same work"
    );
    console_log!(
        "one step after the other (parse, snapshot + merge, apply); ratio = ours / Dexie."
    );
    console_log!(
        "Dexie: JSON.parse + bulkPut per store in one transaction, a record per response;"
    );
    console_log!("Dx pages: the same with the responses 500 to a record, as ours stores them.");
    for line in lines {
        console_log!("{line}");
    }
}
