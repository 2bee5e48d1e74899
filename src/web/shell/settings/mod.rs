mod kiosk;
use leptos::prelude::*;

use crate::i18n::{storage_usage, Lang, Msg};
use crate::menu::Role;
use crate::web::shell::pwa::use_pwa;
use crate::web::shell::role::use_role;
use crate::web::ui::i18n::use_i18n;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let pwa = use_pwa();
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
        <RoleChoice />
        <section aria-labelledby="storage-heading">
            <h2 id="storage-heading">{move || i18n.t(Msg::StorageHeading)}</h2>
            <p>
                {move || i18n.t(match pwa.persisted.get() {
                    Some(true) => Msg::StoragePersistent,
                    Some(false) => Msg::StorageNotPersistent,
                    None => Msg::StorageUnknown,
                })}
            </p>
            {move || pwa.usage.get().map(|(used, quota)| view! {
                <p>{storage_usage(i18n.lang.get(), used, quota)}</p>
                <meter min="0" max=quota.to_string() value=used.to_string() high=(quota * crate::i18n::STORAGE_WARN_SHARE).to_string()
                    aria-label=move || i18n.t(Msg::StorageHeading)></meter>
            })}
        </section>
        <kiosk::KioskSettings />
    }
}

/// Who uses this device: the menu follows. A kiosk is not a role here; it
/// is started from its own section below.
#[component]
fn RoleChoice() -> impl IntoView {
    let i18n = use_i18n();
    let role = use_role();
    view! {
        <fieldset class="question">
            <legend>{move || i18n.t(Msg::RoleHeading)}</legend>
            <p class="help">{move || i18n.t(Msg::RoleHelp)}</p>
            <div class="choices stacked">
                {Role::ALL.into_iter().map(|r| view! {
                    <label class="choice">
                        <input type="radio" name="device-role" value=r.code()
                            prop:checked=move || role.role.get().unwrap_or(Role::Manager) == r
                            on:change=move |_| role.set(r) />
                        {move || i18n.t(r.label())}
                    </label>
                }).collect_view()}
            </div>
        </fieldset>
    }
}
