//! The courier (`servicelens::web::courier`): sealing and delivery, loaded
//! on demand by the customer's page and the full app. Its wasm-bindgen
//! exports are defined here, in this binary alone.

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    /// Starts the page's pump (once), or tries what waits again.
    #[wasm_bindgen]
    pub fn start() {
        servicelens::web::courier::start();
    }

    /// Seals and queues a stored, submitted response; resolves with its
    /// status note (`delivery::status_note`).
    #[wasm_bindgen]
    pub async fn queue(
        target: String,
        response: String,
        photos: js_sys::Array,
    ) -> Result<String, JsValue> {
        let response_id = serde_json::from_str::<servicelens::domain::Response>(&response)
            .map(|r| r.id)
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
        servicelens::web::courier::queue_from_page(&target, &response, &photos)
            .await
            .map(|status| servicelens::delivery::status_note(response_id, status))
            .map_err(|e| JsValue::from_str(&e))
    }
}

/// Nothing starts on load: a page calls `start` or `queue`.
fn main() {}
