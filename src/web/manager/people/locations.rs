//! Locations: a list of names, each renamed in place.

use leptos::prelude::*;

use super::directory::{Edits, Record};
use crate::domain::Location;
use crate::exchange::directory::{self, DirectoryError};
use crate::i18n::{Lang, Msg};
use crate::web::storage::{StorageError, Store};
use crate::web::ui::i18n::use_i18n;

impl Record for Location {
    const KIND: &'static str = "locations";
    const ID_PREFIX: &'static str = "loc";
    const HEADING: Msg = Msg::LocationsHeading;
    const ADD: Msg = Msg::AddLocation;
    const EXPORT: Msg = Msg::ExportLocationsCsv;
    const IMPORT: Msg = Msg::ImportLocationsCsv;
    const CONFIRM_DELETE: Msg = Msg::ConfirmDeleteLocation;

    fn id(&self) -> &str {
        &self.id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn csv(records: &[Self], lang: Lang) -> String {
        directory::locations_csv(records, lang)
    }

    fn parse(
        text: &str,
        _locations: &[Location],
        new_id: &mut dyn FnMut() -> String,
    ) -> Result<Vec<Self>, DirectoryError> {
        directory::parse_locations(text, new_id)
    }

    fn same(stored: &Self, row: &Self) -> bool {
        stored == row
    }

    async fn put(store: &Store, record: &Self) -> Result<(), StorageError> {
        store.put_location(record).await
    }

    async fn delete(store: &Store, id: &str) -> Result<(), StorageError> {
        store.delete_location(id).await
    }

    type Draft = RwSignal<String>;

    fn draft() -> Self::Draft {
        RwSignal::new(String::new())
    }

    fn take(name: Self::Draft, id: String) -> Option<Self> {
        let text = name.get_untracked().trim().to_owned();
        if text.is_empty() {
            return None;
        }
        name.set(String::new());
        Some(Location { id, name: text })
    }

    fn fields(name: Self::Draft, _locations: Signal<Vec<Location>>) -> AnyView {
        let i18n = use_i18n();
        view! {
            <div class="field">
                <label for="new-location">{move || i18n.t(Msg::NewLocation)}</label>
                <input id="new-location" type="text" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
            </div>
        }
        .into_any()
    }

    fn list(
        records: Signal<Vec<Self>>,
        _locations: Signal<Vec<Location>>,
        edits: Edits<Self>,
    ) -> AnyView {
        let i18n = use_i18n();
        // A rename to nothing, or to the same name, stores nothing.
        let rename = move |l: Location, text: String| {
            let text = text.trim().to_owned();
            if text.is_empty() || text == l.name {
                return;
            }
            edits.save(Location { name: text, ..l });
        };
        view! {
            <ul class="plain-list">
                {move || records.get().into_iter().map(|l| {
                    let label = format!("{}: {}", i18n.t(Msg::LocationName), l.name);
                    let delete_label = format!("{}: {}", i18n.t(Msg::Delete), l.name);
                    let for_rename = l.clone();
                    view! {
                        <li>
                            <input type="text" aria-label=label prop:value=l.name.clone()
                                on:change=move |ev| rename(for_rename.clone(), event_target_value(&ev)) />
                            <button type="button" aria-label=delete_label on:click=move |_| edits.remove(l.clone())>
                                {move || i18n.t(Msg::Delete)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    }
}
