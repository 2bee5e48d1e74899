//! What this device is: its id, the language its person chose, random bytes,
//! and a new draft made here.

use uuid::Uuid;

use super::clock::now;
use crate::i18n::Lang;

const DEVICE_ID_KEY: &str = "servicelens.device_id";

const LANG_KEY: &str = "servicelens.lang";

/// Who uses this device (`crate::menu::Role`); never exported or synced.
const ROLE_KEY: &str = "servicelens.role";

/// A random id made once per browser profile, recorded in every response so
/// merged data tells which device produced what.
pub fn device_id() -> String {
    if let Some(id) = stored_string(DEVICE_ID_KEY) {
        return id;
    }
    let id = Uuid::new_v4().to_string();
    store_string(DEVICE_ID_KEY, &id);
    id
}

/// A new draft response to `q` at `location_id`, made on this device now
/// (a fresh id, this device's id and clock).
pub fn new_draft(q: &crate::domain::Questionnaire, location_id: &str) -> crate::domain::Response {
    crate::domain::Response::new_draft(
        Uuid::new_v4(),
        &q.id,
        q.version,
        location_id,
        &device_id(),
        now(),
    )
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A string kept in localStorage as JSON text (`"\"ru\""`), the form
/// gloo-storage wrote before, so values stored by earlier builds still
/// read. The browser's JSON does the quoting: no serde on this path, which
/// the customer's lean page takes.
fn stored_string(key: &str) -> Option<String> {
    let raw = local_storage()?.get_item(key).ok()??;
    js_sys::JSON::parse(&raw).ok()?.as_string()
}

fn store_string(key: &str, value: &str) {
    let json = js_sys::JSON::stringify(&wasm_bindgen::JsValue::from_str(value));
    if let (Some(storage), Ok(json)) = (local_storage(), json) {
        let _ = storage.set_item(key, &String::from(json));
    }
}

fn browser_languages() -> Vec<String> {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let mut langs: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if let Some(l) = nav.language() {
        langs.push(l);
    }
    langs
}

/// The language the user chose before, else the browser's preference.
pub fn initial_lang() -> Lang {
    stored_string(LANG_KEY)
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or_else(|| Lang::from_browser(browser_languages().iter().map(String::as_str)))
}

pub fn remember_lang(lang: Lang) {
    store_string(LANG_KEY, lang.code());
}

/// Set once the manager opened the customer links and posters: the
/// first-run checklist's "share" step (`crate::first_run`).
const SHARED_KEY: &str = "servicelens.shared";
/// The manager hid the first-run checklist.
const FIRST_RUN_HIDDEN_KEY: &str = "servicelens.first_run_hidden";

pub fn note_shared() {
    store_string(SHARED_KEY, "yes");
}

pub fn has_shared() -> bool {
    stored_string(SHARED_KEY).is_some()
}

pub fn hide_first_run() {
    store_string(FIRST_RUN_HIDDEN_KEY, "yes");
}

pub fn first_run_hidden() -> bool {
    stored_string(FIRST_RUN_HIDDEN_KEY).is_some()
}

/// The role this device was given, if any (`crate::menu`).
pub fn stored_role() -> Option<crate::menu::Role> {
    stored_string(ROLE_KEY).and_then(|c| crate::menu::Role::from_code(&c))
}

pub fn remember_role(role: crate::menu::Role) {
    store_string(ROLE_KEY, role.code());
}

/// 16 random bytes from the browser's cryptographic source (through
/// `uuid`'s getrandom), for salting the kiosk PIN.
pub fn random_salt() -> [u8; 16] {
    *Uuid::new_v4().as_bytes()
}
