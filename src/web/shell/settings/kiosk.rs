//! The kiosk part of Settings: the manager PIN and the idle time.

use leptos::prelude::*;

use crate::i18n::{pin_wait, Msg};
use crate::kiosk::idle::{self, IDLE_SETTING_KEY};
use crate::kiosk::pin::{self, Check, PinHash};
use crate::web::platform;
use crate::web::storage;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::kiosk::try_pin;

#[component]
pub fn KioskSettings() -> impl IntoView {
    let i18n = use_i18n();
    let pin_set = RwSignal::new(None::<bool>);
    let idle_text = RwSignal::new(idle::DEFAULT_IDLE_SECS.to_string());
    let current = RwSignal::new(String::new());
    let new_pin = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let pin_status = RwSignal::new(None::<(bool, String)>);
    let idle_status = RwSignal::new(None::<(bool, String)>);
    leptos::task::spawn_local(async move {
        if let Ok(store) = storage::shared().await {
            if let Ok(h) = store.get_setting::<PinHash>(pin::SETTING_KEY).await {
                pin_set.set(Some(h.is_some()));
            }
            if let Ok(v) = store.get_setting::<u32>(IDLE_SETTING_KEY).await {
                idle_text.set(idle::idle_secs_from_setting(v).to_string());
            }
        }
    });
    let save_pin = move |_| {
        let (a, b) = (new_pin.get_untracked(), repeat.get_untracked());
        if pin::check_new(&a).is_err() {
            pin_status.set(Some((false, i18n.t(Msg::PinBadFormat).to_owned())));
            return;
        }
        if a != b {
            pin_status.set(Some((false, i18n.t(Msg::PinMismatch).to_owned())));
            return;
        }
        let Ok(hash) = PinHash::new(&a, platform::random_salt(), pin::DEFAULT_ITERATIONS) else {
            return;
        };
        let had_pin = pin_set.get_untracked() == Some(true);
        let old = current.get_untracked();
        leptos::task::spawn_local(async move {
            // Changing a PIN needs the one it replaces, tried like any
            // other (wrong ones count towards the wait).
            if had_pin {
                let lang = i18n.lang.get_untracked();
                let refused = match try_pin(&old).await {
                    Ok(Check::Right) => None,
                    Ok(Check::Wrong { wait_ms: Some(ms) } | Check::Wait { ms }) => {
                        Some(format!("{} {}", i18n.t(Msg::WrongPin), pin_wait(lang, ms)))
                    }
                    Ok(_) => Some(i18n.t(Msg::WrongPin).to_owned()),
                    Err(e) => Some(e.0),
                };
                if let Some(why) = refused {
                    current.set(String::new());
                    pin_status.set(Some((false, why)));
                    return;
                }
            }
            let stored = match storage::shared().await {
                Ok(store) => store.put_setting(pin::SETTING_KEY, &hash).await,
                Err(e) => Err(e),
            };
            match stored {
                Ok(()) => {
                    current.set(String::new());
                    new_pin.set(String::new());
                    repeat.set(String::new());
                    pin_set.set(Some(true));
                    pin_status.set(Some((true, i18n.t(Msg::PinSaved).to_owned())));
                }
                Err(e) => pin_status.set(Some((false, e.0))),
            }
        });
    };
    let save_idle = move |_| {
        let value = idle_text
            .get_untracked()
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|v| (idle::MIN_IDLE_SECS..=idle::MAX_IDLE_SECS).contains(v));
        let Some(value) = value else {
            idle_status.set(Some((false, i18n.t(Msg::IdleSecondsRange).to_owned())));
            return;
        };
        leptos::task::spawn_local(async move {
            let stored = match storage::shared().await {
                Ok(store) => store.put_setting(IDLE_SETTING_KEY, &value).await,
                Err(e) => Err(e),
            };
            idle_status.set(Some(match stored {
                Ok(()) => (true, i18n.t(Msg::IdleSecondsSaved).to_owned()),
                Err(e) => (false, e.0),
            }));
        });
    };
    let status = |s: RwSignal<Option<(bool, String)>>| {
        move || {
            s.get().map(|(ok, text)| {
                if ok {
                    view! { <p role="status">{text}</p> }.into_any()
                } else {
                    view! { <div role="alert" class="error"><p>{text}</p></div> }.into_any()
                }
            })
        }
    };
    let pin_input = move |id: &'static str, label: Msg, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{move || i18n.t(label)}</label>
                <input id=id type="password" inputmode="numeric" autocomplete="new-password"
                    maxlength=pin::MAX_PIN_LEN.to_string()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <section aria-labelledby="kiosk-settings-heading">
            <h2 id="kiosk-settings-heading">{move || i18n.t(Msg::KioskSettingsHeading)}</h2>
            {move || pin_set.get().map(|set| view! {
                <p>{move || i18n.t(if set { Msg::PinIsSet } else { Msg::PinNotSet })}</p>
            })}
            {move || (pin_set.get() == Some(true)).then(|| pin_input("settings-current-pin", Msg::CurrentPin, current))}
            {pin_input("settings-new-pin", Msg::NewPin, new_pin)}
            {pin_input("settings-repeat-pin", Msg::RepeatPin, repeat)}
            {status(pin_status)}
            <button type="button" on:click=save_pin>{move || i18n.t(Msg::SavePin)}</button>
            <div class="field">
                <label for="settings-idle">{move || i18n.t(Msg::IdleSecondsLabel)}</label>
                <input id="settings-idle" type="number" inputmode="numeric"
                    min=idle::MIN_IDLE_SECS.to_string() max=idle::MAX_IDLE_SECS.to_string()
                    prop:value=move || idle_text.get()
                    on:input=move |ev| idle_text.set(event_target_value(&ev)) />
            </div>
            {status(idle_status)}
            <button type="button" on:click=save_idle>{move || i18n.t(Msg::SaveIdleSeconds)}</button>
        </section>
    }
}
