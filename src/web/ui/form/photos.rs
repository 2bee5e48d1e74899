//! Photo evidence for one question: take or pick pictures (the phone's
//! camera opens directly), resized on the device, stored as Blobs, shown as
//! thumbnails with their size, deleted only after a confirmation.

use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::domain::photo::{PhotoMeta, MAX_EDGE};
use crate::i18n::{file_size, Msg};
use crate::web::ui::form::answer_input::PhotoProps;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::photo_view::PhotoThumb;
use crate::web::{platform, storage};

#[derive(Clone, PartialEq)]
struct Shown {
    meta: PhotoMeta,
    /// A blob: URL for the thumbnail, revoked when the list goes away.
    url: String,
}

fn object_url(blob: &web_sys::Blob) -> String {
    web_sys::Url::create_object_url_with_blob(blob).unwrap_or_default()
}

/// The fill screen's [`crate::web::ui::form::answer_input::PhotoSlot`].
pub fn attach(p: PhotoProps) -> AnyView {
    view! {
        <PhotoAttach
            response_id=p.response_id
            question_id=p.question_id
            label=p.label
            read_only=p.read_only
            on_change=p.on_change
            input_id=p.input_id
        />
    }
    .into_any()
}

#[component]
pub fn PhotoAttach(
    response_id: Uuid,
    question_id: String,
    /// The question's text, for the controls' names.
    label: Signal<String>,
    read_only: Signal<bool>,
    /// Receives the question's photo ids after every change.
    on_change: Callback<Vec<Uuid>>,
    input_id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(Vec::<Shown>::new());
    let error = RwSignal::new(None::<String>);
    let qid = StoredValue::new(question_id);

    leptos::task::spawn_local(async move {
        let Ok(store) = storage::shared().await else {
            return;
        };
        match store.photos_of(response_id).await {
            Ok(list) => {
                let mine = list
                    .into_iter()
                    .filter(|(m, _)| m.question_id == qid.get_value())
                    .map(|(meta, blob)| Shown {
                        url: object_url(&blob),
                        meta,
                    })
                    .collect();
                shown.try_set(mine);
            }
            Err(e) => {
                error.try_set(Some(e.0));
            }
        }
    });
    on_cleanup(move || {
        for s in shown.try_get_untracked().unwrap_or_default() {
            let _ = web_sys::Url::revoke_object_url(&s.url);
        }
    });
    let report = move || on_change.run(shown.get_untracked().iter().map(|s| s.meta.id).collect());

    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        input.set_value("");
        let lang = i18n.lang.get_untracked();
        leptos::task::spawn_local(async move {
            for file in files {
                let (blob, width, height) = match platform::resize_to_jpeg(&file, MAX_EDGE).await {
                    Ok(r) => r,
                    Err(_) => {
                        error.set(Some(format!(
                            "{}: {}",
                            Msg::NotAPicture.text(lang),
                            file.name()
                        )));
                        continue;
                    }
                };
                let meta = PhotoMeta {
                    id: Uuid::new_v4(),
                    response_id,
                    question_id: qid.get_value(),
                    mime: "image/jpeg".into(),
                    width,
                    height,
                    bytes: blob.size() as u64,
                    taken_at: platform::now(),
                };
                let stored = match storage::shared().await {
                    Ok(store) => store.put_photo(&meta, &blob).await,
                    Err(e) => Err(e),
                };
                match stored {
                    Ok(()) => {
                        error.set(None);
                        shown.update(|s| {
                            s.push(Shown {
                                url: object_url(&blob),
                                meta,
                            })
                        });
                        report();
                    }
                    Err(e) => error.set(Some(e.0)),
                }
            }
        });
    };

    let delete = move |id: Uuid| {
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(i18n.t(Msg::ConfirmDeletePhoto)).ok())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        leptos::task::spawn_local(async move {
            let deleted = match storage::shared().await {
                Ok(store) => store.delete_photo(id).await,
                Err(e) => Err(e),
            };
            match deleted {
                Ok(()) => {
                    shown.update(|s| {
                        if let Some(i) = s.iter().position(|x| x.meta.id == id) {
                            let gone = s.remove(i);
                            let _ = web_sys::Url::revoke_object_url(&gone.url);
                        }
                    });
                    report();
                }
                Err(e) => error.set(Some(e.0)),
            }
        });
    };

    view! {
        <div class="photos">
            <label class="button" for=input_id.clone() class:disabled=move || read_only.get()>
                // Short on screen, whole for a screen reader (as the comment).
                {move || i18n.t(Msg::AddPhoto)}
                <span class="visually-hidden">{move || format!(" · {}", label.get())}</span>
            </label>
            <input id=input_id class="visually-hidden" type="file" accept="image/*" capture="environment" multiple
                disabled=move || read_only.get() on:change=on_pick />
            {move || error.get().map(|e| view! { <p role="alert" class="error">{e}</p> })}
            <ul class="thumbs" aria-label=move || format!("{} · {}", i18n.t(Msg::Photos), label.get())>
                <For each=move || shown.get() key=|s| s.meta.id let:s>
                    {
                        let id = s.meta.id;
                        let size = s.meta.bytes;
                        let dims = format!("{}×{}", s.meta.width, s.meta.height);
                        view! {
                            <li>
                                <PhotoThumb src=s.url.clone() label=Signal::derive(move || format!("{} · {}", i18n.t(Msg::Photos), label.get())) />
                                <span class="muted">{move || format!("{} · {}", file_size(i18n.lang.get(), size), dims)}</span>
                                <Show when=move || !read_only.get()>
                                    <button type="button" on:click=move |_| delete(id)>{move || i18n.t(Msg::DeletePhoto)}</button>
                                </Show>
                            </li>
                        }
                    }
                </For>
            </ul>
        </div>
    }
}
