use leptos::prelude::*;

use crate::app::contexts::i18n::use_i18n;
use crate::i18n::{Lang, Msg};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev| {
        if let Some(lang) = Lang::from_code(&event_target_value(&ev)) {
            i18n.set(lang);
        }
    };
    view! {
        <h1>{move || i18n.t(Msg::SettingsTitle)}</h1>
        <div class="field">
            <label for="settings-language">{move || i18n.t(Msg::Language)}</label>
            <select id="settings-language" on:change=on_change>
                {Lang::ALL
                    .iter()
                    .map(|&l| {
                        view! {
                            <option value=l.code() selected=move || i18n.lang.get() == l lang=l.code()>
                                {l.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
