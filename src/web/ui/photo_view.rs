//! A photo shown small that opens full size: a native modal `<dialog>`, so
//! focus stays inside while it is open, Escape closes it and assistive
//! technology announces it as a dialog without any code of ours; a tap
//! beside the picture closes it too, as people expect on a phone.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;

/// The thumbnail of `src` as a button named "Open full size: `label`".
#[component]
pub fn PhotoThumb(#[prop(into)] src: String, #[prop(into)] label: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<html::Dialog>::new();
    let open = move |_| {
        if let Some(d) = dialog.get() {
            // Fails only when it is open already.
            let _ = d.show_modal();
        }
    };
    let close = move || {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    // The dialog's own box is the backdrop around the picture.
    let on_backdrop = move |ev: web_sys::MouseEvent| {
        let target = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        if target.is_some_and(|t| t.tag_name().eq_ignore_ascii_case("dialog")) {
            close();
        }
    };
    let full = src.clone();
    view! {
        <button type="button" class="photo-thumb"
            aria-label=move || format!("{}: {}", i18n.t(Msg::OpenPhotoFullSize), label.get())
            on:click=open>
            <img src=src alt="" width="96" height="96" />
        </button>
        <dialog node_ref=dialog class="photo-view" aria-label=move || label.get() on:click=on_backdrop>
            <img src=full alt=move || label.get() />
            <button type="button" on:click=move |_| close()>{move || i18n.t(Msg::ClosePhoto)}</button>
        </dialog>
    }
}
