//! Locations and employees: the lists the visit header picks from. Kept by
//! hand here or in a spreadsheet (CSV in and out, `exchange::directory`).
//! An import is checked whole before anything is stored: a file with one
//! bad row changes nothing. Both lists are one `DirectorySection`
//! (`directory.rs`) over their record type (`locations.rs`,
//! `employees.rs`).

mod directory;
mod employees;
mod locations;

use leptos::prelude::*;

use crate::i18n::Msg;
use crate::web::storage;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources;
use crate::web::ui::status::{Loading, StorageFailure};

use directory::DirectorySection;

/// What the page shows after an action: a notice or an error.
#[derive(Clone)]
enum Outcome {
    Done(String),
    Failed(String),
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let outcome = RwSignal::new(None::<Outcome>);
    let data = LocalResource::new(move || {
        reload.track();
        async move {
            let store = storage::shared().await?;
            let locations = resources::locations(&store).await?;
            let mut employees = store.employees().await?;
            employees.sort_by(|a, b| a.name.cmp(&b.name));
            Ok::<_, storage::StorageError>((locations, employees))
        }
    });
    let locations = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|(l, _)| l)
            .unwrap_or_default()
    });
    let employees = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|(_, e)| e)
            .unwrap_or_default()
    });
    let run = Jobs { outcome, reload };

    view! {
        <h1>{move || i18n.t(Msg::PeopleTitle)}</h1>
        {move || outcome.get().map(|o| match o {
            Outcome::Done(text) => view! { <p role="status" class="notice">{text}</p> }.into_any(),
            Outcome::Failed(text) => view! { <div role="alert" class="error"><p>{text}</p></div> }.into_any(),
        })}
        <Suspense fallback=|| view! { <Loading /> }>
            {move || data.get().map(|res| res.err().map(|e| view! { <StorageFailure detail=e.0 /> }))}
        </Suspense>
        <DirectorySection records=locations locations run />
        <DirectorySection records=employees locations run />
    }
}

/// Runs a storage job, then shows its outcome and reloads the lists.
#[derive(Clone, Copy)]
struct Jobs {
    outcome: RwSignal<Option<Outcome>>,
    reload: RwSignal<u32>,
}

impl Jobs {
    fn run(self, job: impl std::future::Future<Output = Outcome> + 'static) {
        leptos::task::spawn_local(async move {
            self.outcome.set(Some(job.await));
            self.reload.update(|n| *n += 1);
        });
    }
}
