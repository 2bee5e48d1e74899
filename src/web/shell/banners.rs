//! App-wide notices: a new version to reload into, a storage upgrade held
//! up by another tab, storage nearly full.

use leptos::prelude::*;

use crate::i18n::Msg;
use crate::web::shell::pwa::{apply_update, use_pwa};
use crate::web::ui::i18n::use_i18n;

#[component]
pub fn Banners() -> impl IntoView {
    let i18n = use_i18n();
    let pwa = use_pwa();
    view! {
        <Show when=move || pwa.update_ready.get()>
            <div class="banner" role="status">
                <span>{move || i18n.t(Msg::UpdateAvailable)}</span>
                <button type="button" class="primary" on:click=move |_| apply_update()>
                    {move || i18n.t(Msg::ReloadToUpdate)}
                </button>
            </div>
        </Show>
        <Show when=move || pwa.upgrade_blocked.get()>
            <div class="banner error" role="alert">{move || i18n.t(Msg::UpgradeBlocked)}</div>
        </Show>
        <Show when=move || pwa.nearly_full()>
            <div class="banner error" role="alert">{move || i18n.t(Msg::StorageNearlyFull)}</div>
        </Show>
    }
}
