//! Files in and out: downloads, the share sheet, a picked file's text, and
//! text fetched from the app's own origin.

use crate::exchange::import_file::PickedFileError;

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

/// The text of a file the user picked, refused by its size before it is
/// read when it is larger than `max_bytes` (its reader's limit).
pub async fn read_file_text(
    file: &web_sys::File,
    max_bytes: usize,
) -> Result<String, PickedFileError> {
    PickedFileError::check_size(file.size() as u64, max_bytes)?;
    let unreadable = |detail: String| PickedFileError::Unreadable { detail };
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|e| unreadable(format!("{e:?}")))?;
    text.as_string()
        .ok_or_else(|| unreadable("not text".to_owned()))
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
