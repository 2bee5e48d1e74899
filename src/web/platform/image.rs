//! Photos resized on the device before they are stored.

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
