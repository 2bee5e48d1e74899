//! The few facts the app takes from the browser: clock, time zone, preferred
//! languages and a per-device id. Kept apart so the domain never touches them.

use uuid::Uuid;

use crate::domain::Timestamp;
use crate::i18n::Lang;

const DEVICE_ID_KEY: &str = "servicelens.device_id";
const LANG_KEY: &str = "servicelens.lang";

/// Now, on the device clock, with the device's current UTC offset.
pub fn now() -> Timestamp {
    let d = js_sys::Date::new_0();
    // getTimezoneOffset is minutes *behind* UTC.
    Timestamp::new(d.get_time() as i64, -(d.get_timezone_offset() as i16))
}

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

pub fn set_hash(hash: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(hash);
    }
}

/// Leaves this page for `url` (relative to it) without a history entry,
/// so Back does not return to a page that would only send the user on again.
pub fn replace_location(url: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(url);
    }
}

pub fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Offers `text` as a file download. Where the browser can share files
/// (phones), the shopper issue adds the share sheet on top of this.
pub fn download_text(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    download_parts(filename, mime, &parts)
}

/// Saves bytes (an XLSX workbook) as a download.
pub fn download_bytes(filename: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    download_parts(filename, mime, &parts)
}

fn download_parts(filename: &str, mime: &str, parts: &js_sys::Array) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not an anchor".to_owned())?;
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The text of a file the user picked.
pub async fn read_file_text(file: &web_sys::File) -> Result<String, String> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|e| format!("{e:?}"))?;
    text.as_string()
        .ok_or_else(|| "the file is not text".to_owned())
}

/// Decodes a picture the user took or picked and re-encodes it as JPEG no
/// larger than `max_edge` on its longest side, through a canvas on the
/// device: a 12-megapixel phone photo becomes a few hundred KB before it is
/// stored. Fails with a readable message for files that are not pictures.
pub async fn resize_to_jpeg(
    file: &web_sys::Blob,
    max_edge: u32,
) -> Result<(web_sys::Blob, u32, u32), String> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window().ok_or("no window")?;
    let bitmap = window
        .create_image_bitmap_with_blob(file)
        .map_err(|e| format!("{e:?}"))?;
    let bitmap: web_sys::ImageBitmap = wasm_bindgen_futures::JsFuture::from(bitmap)
        .await
        .map_err(|_| "not a picture this browser can read".to_owned())?
        .unchecked_into();
    let (w, h) = crate::domain::photo::fit_within(bitmap.width(), bitmap.height(), max_edge);
    let document = window.document().ok_or("no document")?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    canvas.set_width(w);
    canvas.set_height(h);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(|e| format!("{e:?}"))?
        .ok_or("no 2d canvas")?
        .unchecked_into();
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, f64::from(w), f64::from(h))
        .map_err(|e| format!("{e:?}"))?;
    bitmap.close();
    // toBlob reports through a callback; a Promise makes it awaitable.
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let done =
            wasm_bindgen::closure::Closure::once_into_js(move |blob: wasm_bindgen::JsValue| {
                let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &blob);
            });
        if canvas
            .to_blob_with_type_and_encoder_options(
                done.unchecked_ref(),
                "image/jpeg",
                &wasm_bindgen::JsValue::from_f64(0.85),
            )
            .is_err()
        {
            let _ = reject.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let blob = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| "the picture could not be encoded".to_owned())?;
    let blob: web_sys::Blob = blob
        .dyn_into()
        .map_err(|_| "the picture could not be encoded".to_owned())?;
    Ok((blob, w, h))
}

/// The app's own address without the fragment: where links point back to,
/// whatever host and sub-path the build is served from.
pub fn app_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .unwrap_or_default()
}

/// Hands a file to the phone's share sheet (email, messengers) where the
/// browser can share files, and downloads it otherwise. The share API is
/// looked up at run time: many desktop browsers lack it.
pub async fn share_or_download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    use wasm_bindgen::{JsCast, JsValue};
    let navigator: JsValue = web_sys::window().ok_or("no window")?.navigator().into();
    let can_share = js_sys::Reflect::get(&navigator, &"canShare".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let share = js_sys::Reflect::get(&navigator, &"share".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let (Some(can_share), Some(share)) = (can_share, share) {
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let options = web_sys::FilePropertyBag::new();
        options.set_type(mime);
        if let Ok(file) =
            web_sys::File::new_with_str_sequence_and_options(&parts, filename, &options)
        {
            let data = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&data, &"files".into(), &js_sys::Array::of1(&file));
            if can_share
                .call1(&navigator, &data)
                .ok()
                .and_then(|v| v.as_bool())
                == Some(true)
            {
                if let Ok(p) = share.call1(&navigator, &data) {
                    if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
                        // A cancelled share sheet is not a failure to export:
                        // fall through to the download so the file exists.
                        if wasm_bindgen_futures::JsFuture::from(p).await.is_ok() {
                            return Ok(());
                        }
                    }
                }
            }
        }
    }
    download_text(filename, mime, text)
}

// --- customer surveys and kiosk ---

/// Milliseconds on the device clock, for the kiosk's idle timer.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// 16 random bytes from the browser's cryptographic source (through
/// `uuid`'s getrandom), for salting the kiosk PIN.
pub fn random_salt() -> [u8; 16] {
    *Uuid::new_v4().as_bytes()
}

/// Asks for full screen. Browsers refuse it without a user gesture, in
/// iframes or by policy; the kiosk works in a window too, so a refusal
/// (thrown or as a rejected promise) is swallowed.
pub fn request_fullscreen() {
    use wasm_bindgen::JsCast;
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let Ok(f) = js_sys::Reflect::get(&root, &"requestFullscreen".into()) else {
        return;
    };
    let Ok(f) = f.dyn_into::<js_sys::Function>() else {
        return;
    };
    if let Ok(result) = f.call0(&root) {
        if let Ok(promise) = result.dyn_into::<js_sys::Promise>() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    }
}

/// Leaves full screen if the page is in it.
pub fn exit_fullscreen() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
    }
}

/// Fetches a text file relative to the app (same origin: the CSP allows
/// nothing else). A missing file is `Ok(None)`.
pub async fn fetch_text(url: &str) -> Result<Option<String>, String> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window().ok_or("no window")?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("{e:?}"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "no response".to_owned())?;
    if response.status() == 404 {
        return Ok(None);
    }
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("{e:?}"))?;
    text.as_string()
        .ok_or_else(|| "not text".to_owned())
        .map(Some)
}
