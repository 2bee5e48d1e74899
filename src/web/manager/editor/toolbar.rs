//! The buttons under a section or a question: move up, move down,
//! duplicate, delete. Buttons rather than drag-and-drop, so keyboards and
//! screen readers can reorder too; each names the item it acts on, since a
//! page has one such toolbar per item.

use leptos::prelude::*;

use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;

/// `name` is the item's accessible name ("Question 2: …"); `index` of
/// `count` decides which moves are possible. `on_move` gets the step, `-1`
/// up or `1` down.
#[component]
pub fn ItemToolbar(
    #[prop(into)] name: Signal<String>,
    #[prop(into)] index: Signal<usize>,
    #[prop(into)] count: Signal<usize>,
    on_move: Callback<isize>,
    on_duplicate: Callback<()>,
    on_delete: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |action: Msg| format!("{}: {}", i18n.t(action), name.get());
    view! {
        <div class="toolbar">
            <button type="button" disabled=move || index.get() == 0 on:click=move |_| on_move.run(-1)
                aria-label=move || label(Msg::MoveUp)>{move || i18n.t(Msg::MoveUp)}</button>
            <button type="button" disabled={move || index.get() + 1 >= count.get()} on:click=move |_| on_move.run(1)
                aria-label=move || label(Msg::MoveDown)>{move || i18n.t(Msg::MoveDown)}</button>
            <button type="button" on:click=move |_| on_duplicate.run(())
                aria-label=move || label(Msg::Duplicate)>{move || i18n.t(Msg::Duplicate)}</button>
            <button type="button" class="danger" on:click=move |_| on_delete.run(())
                aria-label=move || label(Msg::Delete)>{move || i18n.t(Msg::Delete)}</button>
        </div>
    }
}
