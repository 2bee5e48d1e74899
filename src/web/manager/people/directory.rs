//! One list of the directory (locations, or employees): its records, the
//! form that adds one, and CSV out and in. `Record` is what differs
//! between the two lists; the section and what its buttons do to storage
//! are written once.

use std::future::Future;
use std::marker::PhantomData;

use leptos::prelude::*;
use uuid::Uuid;

use super::{Jobs, Outcome};
use crate::domain::Location;
use crate::exchange::directory::DirectoryError;
use crate::i18n::{Lang, Msg};
use crate::web::platform;
use crate::web::storage::{shared, StorageError, Store};
use crate::web::ui::i18n::{use_i18n, I18n};

/// A kind of directory record, and everything its section does
/// differently: texts, CSV, storage, the list and the add form.
pub trait Record: Clone + PartialEq + Send + Sync + 'static {
    /// `locations` or `employees`: the heading's id is `<KIND>-heading`,
    /// the exported file `servicelens-<KIND>.csv`.
    const KIND: &'static str;
    /// A new record's id is `<ID_PREFIX>-<uuid>`.
    const ID_PREFIX: &'static str;
    const HEADING: Msg;
    const ADD: Msg;
    const EXPORT: Msg;
    const IMPORT: Msg;
    /// Asked before a delete, followed by the record's name.
    const CONFIRM_DELETE: Msg;

    fn id(&self) -> &str;
    fn name(&self) -> &str;

    fn csv(records: &[Self], lang: Lang) -> String;
    /// Every row of a file, or its first problem; `locations` are the
    /// ones a row may name.
    fn parse(
        text: &str,
        locations: &[Location],
        new_id: &mut dyn FnMut() -> String,
    ) -> Result<Vec<Self>, DirectoryError>;
    /// Whether an imported `row` changes nothing of the `stored` record
    /// with its id.
    fn same(stored: &Self, row: &Self) -> bool;

    fn put(store: &Store, record: &Self) -> impl Future<Output = Result<(), StorageError>>;
    fn delete(store: &Store, id: &str) -> impl Future<Output = Result<(), StorageError>>;

    /// The add form's state.
    type Draft: Copy + Send + Sync + 'static;
    fn draft() -> Self::Draft;
    /// The record the add form describes, with id `id`, clearing what the
    /// next one is typed into; `None` while it has no name.
    fn take(draft: Self::Draft, id: String) -> Option<Self>;
    /// The add form's fields (its submit button follows them).
    fn fields(draft: Self::Draft, locations: Signal<Vec<Location>>) -> AnyView;
    /// The records as listed, each with its own buttons.
    fn list(
        records: Signal<Vec<Self>>,
        locations: Signal<Vec<Location>>,
        edits: Edits<Self>,
    ) -> AnyView;
}

fn new_id<R: Record>() -> String {
    format!("{}-{}", R::ID_PREFIX, Uuid::new_v4())
}

/// What a list's buttons do to the stored records; each shows its outcome
/// and reloads the lists.
pub struct Edits<R> {
    run: Jobs,
    i18n: I18n,
    record: PhantomData<fn() -> R>,
}

impl<R> Clone for Edits<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Edits<R> {}

impl<R: Record> Edits<R> {
    /// Stores `record`, new or changed.
    pub fn save(self, record: R) {
        let lang = self.i18n.lang.get_untracked();
        self.run.run(async move {
            let result = match shared().await {
                Ok(store) => R::put(&store, &record).await,
                Err(e) => Err(e),
            };
            stored(result, Msg::SavedDone.text(lang).to_owned())
        });
    }

    /// Deletes `record` once the user confirms.
    pub fn remove(self, record: R) {
        let i18n = self.i18n;
        if !confirm(&format!(
            "{} «{}»?",
            i18n.t(R::CONFIRM_DELETE),
            record.name()
        )) {
            return;
        }
        let lang = i18n.lang.get_untracked();
        self.run.run(async move {
            let result = match shared().await {
                Ok(store) => R::delete(&store, record.id()).await,
                Err(e) => Err(e),
            };
            stored(result, Msg::Deleted.text(lang).to_owned())
        });
    }
}

fn stored(result: Result<(), StorageError>, done: String) -> Outcome {
    match result {
        Ok(()) => Outcome::Done(done),
        Err(e) => Outcome::Failed(e.0),
    }
}

/// "Imported 12: 10 new, 2 changed".
fn import_summary(msg_lang: Lang, added: usize, changed: usize) -> String {
    format!(
        "{} {}: {} {}, {} {}",
        Msg::ImportedRows.text(msg_lang),
        added + changed,
        added,
        Msg::ImportedNew.text(msg_lang),
        changed,
        Msg::ImportedChanged.text(msg_lang),
    )
}

/// The browser's yes/no question; a browser that cannot ask means no.
fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// Splits imported rows into those to store (new, or different by `same`
/// from the stored record with the same id) and counts the new and changed.
fn tally<'a, R: Record>(rows: &'a [R], stored: &[R]) -> (Vec<&'a R>, usize, usize) {
    let (mut added, mut changed) = (0, 0);
    let fresh = rows
        .iter()
        .filter(|row| match stored.iter().find(|s| s.id() == row.id()) {
            Some(stored) if R::same(stored, row) => false,
            Some(_) => {
                changed += 1;
                true
            }
            None => {
                added += 1;
                true
            }
        })
        .collect();
    (fresh, added, changed)
}

fn file_of(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = ev.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0);
    // Choosing the same file again must fire `change` again.
    input.set_value("");
    file
}

/// The section of one kind of record; `locations` are the stored
/// locations (the records themselves, for the locations' section).
#[component]
pub fn DirectorySection<R: Record>(
    records: Signal<Vec<R>>,
    locations: Signal<Vec<Location>>,
    run: Jobs,
) -> impl IntoView {
    let i18n = use_i18n();
    let edits = Edits {
        run,
        i18n,
        record: PhantomData,
    };
    let draft = R::draft();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(record) = R::take(draft, new_id::<R>()) {
            edits.save(record);
        }
    };
    let export = move |_| {
        let lang = i18n.lang.get_untracked();
        let text = R::csv(&records.get_untracked(), lang);
        let file = format!("servicelens-{}.csv", R::KIND);
        if let Err(e) = platform::download_text(&file, "text/csv", &text) {
            run.run(async move { Outcome::Failed(e) });
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(file) = file_of(&ev) else { return };
        let lang = i18n.lang.get_untracked();
        let before = records.get_untracked();
        let places = locations.get_untracked();
        run.run(async move {
            let text =
                match platform::read_file_text(&file, crate::exchange::directory::MAX_FILE_BYTES)
                    .await
                {
                    Ok(t) => t,
                    Err(e) => return Outcome::Failed(e.message(lang)),
                };
            let rows = match R::parse(&text, &places, &mut new_id::<R>) {
                Ok(rows) => rows,
                Err(e) => return Outcome::Failed(e.message(lang)),
            };
            let store = match shared().await {
                Ok(s) => s,
                Err(e) => return Outcome::Failed(e.0),
            };
            let (fresh, added, changed) = tally(&rows, &before);
            for r in fresh {
                if let Err(e) = R::put(&store, r).await {
                    return Outcome::Failed(e.0);
                }
            }
            Outcome::Done(import_summary(lang, added, changed))
        });
    };
    let heading = format!("{}-heading", R::KIND);
    view! {
        <section aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{move || i18n.t(R::HEADING)}</h2>
            {R::list(records, locations, edits)}
            <form on:submit=add>
                {R::fields(draft, locations)}
                <button type="submit">{move || i18n.t(R::ADD)}</button>
            </form>
            <div class="row">
                <button type="button" on:click=export>{move || i18n.t(R::EXPORT)}</button>
                <label class="button">
                    {move || i18n.t(R::IMPORT)}
                    <input type="file" accept=".csv,text/csv" class="visually-hidden" on:change=import />
                </label>
            </div>
        </section>
    }
}
