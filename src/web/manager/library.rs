//! The questionnaire library: built-in templates to start from, the user's
//! own questionnaires with their versions, and questionnaire files.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::new_id;
use crate::domain::{Questionnaire, QuestionnaireKind, Section, Text, VersionStatus};
use crate::exchange::{import_file, questionnaire_file};
use crate::i18n::Msg;
use crate::routes::Route;
use crate::templates;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources::latest_versions;
use crate::web::ui::status::{Loading, StorageFailure};
use crate::web::{platform, storage};

fn blank() -> Questionnaire {
    let both = Text::from_msg;
    Questionnaire {
        id: new_id("q"),
        version: 1,
        kind: QuestionnaireKind::Audit,
        status: VersionStatus::Draft,
        title: Text::default(),
        description: Text::default(),
        public_title: Text::default(),
        public_intro: Text::default(),
        sections: vec![Section {
            id: new_id("s"),
            title: both(Msg::UntitledSection),
            weight: 1.0,
            critical_rule: Default::default(),
            questions: Vec::new(),
        }],
    }
}

/// Stores `q` and opens it in the editor.
fn create_and_edit(q: Questionnaire, error: RwSignal<Option<String>>) {
    leptos::task::spawn_local(async move {
        let stored = match storage::shared().await {
            Ok(store) => store.put_questionnaire(&q).await,
            Err(e) => Err(e),
        };
        match stored {
            Ok(()) => platform::set_hash(
                &Route::Edit {
                    id: q.id.clone(),
                    version: q.version,
                }
                .to_hash(),
            ),
            Err(e) => error.set(Some(e.0)),
        }
    });
}

#[component]
pub fn LibraryPage() -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let mine = LocalResource::new(|| async { latest_versions(&storage::shared().await?).await });

    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let lang = i18n.lang.get_untracked();
        leptos::task::spawn_local(async move {
            let text =
                match platform::read_file_text(&file, questionnaire_file::MAX_FILE_BYTES).await {
                    Ok(t) => t,
                    Err(e) => return error.set(Some(e.message(lang))),
                };
            let q = match questionnaire_file::parse(&text) {
                Ok(q) => q,
                Err(e) => return error.set(Some(e.message(lang))),
            };
            // Through the merge like any file: a built-in template or a
            // draft of this device is never replaced by one.
            let bundle = import_file::questionnaire_bundle(q, platform::now());
            let stored = match storage::shared().await {
                Ok(store) => store.import(&bundle).await,
                Err(e) => Err(e),
            };
            match stored {
                Ok(report) if report.changed() => {
                    error.set(None);
                    notice.set(Some(Msg::Imported.text(lang).to_owned()));
                    mine.refetch();
                }
                Ok(report) => error.set(Some(report.message(lang).join("\n"))),
                Err(e) => error.set(Some(e.0)),
            }
        });
    };

    view! {
        <h1>{move || i18n.t(Msg::LibraryTitle)}</h1>
        <div class="toolbar">
            <button type="button" class="primary" on:click=move |_| create_and_edit(blank(), error)>
                {move || i18n.t(Msg::NewBlank)}
            </button>
            <label class="button" for="import-questionnaire">{move || i18n.t(Msg::ImportFile)}</label>
            <input id="import-questionnaire" class="visually-hidden" type="file" accept=".json,application/json" on:change=import />
        </div>
        {move || error.get().map(|e| view! { <div role="alert" class="error"><p>{e}</p></div> })}
        {move || notice.get().map(|n| view! { <p role="status" class="notice">{n}</p> })}
        <section aria-labelledby="mine-heading">
            <h2 id="mine-heading">{move || i18n.t(Msg::MyQuestionnaires)}</h2>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || mine.get().map(|res| match res {
                    Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>{move || i18n.t(Msg::NoQuestionnaires)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|q| view! { <OwnQuestionnaire q error /> }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </section>
        <section aria-labelledby="templates-heading">
            <h2 id="templates-heading">{move || i18n.t(Msg::BuiltInTemplates)}</h2>
            <ul class="cards">
                {templates::current().into_iter().map(|t| {
                    let title = t.title.clone();
                    let description = t.description.clone();
                    let kind = t.kind;
                    let name = Signal::derive(move || title.get(i18n.lang.get()).to_owned());
                    let use_it = move |_| create_and_edit(t.copy_as(new_id("q")), error);
                    view! {
                        <li class="card">
                            <h3>{name}</h3>
                            <p class="muted">{move || i18n.t(kind.label())}</p>
                            <p>{move || description.get(i18n.lang.get()).to_owned()}</p>
                            <button type="button" on:click=use_it
                                aria-label=move || format!("{}: {}", i18n.t(Msg::UseTemplate), name.get())>
                                {move || i18n.t(Msg::UseTemplate)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn OwnQuestionnaire(q: Questionnaire, error: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let title = q.title.clone();
    let name = Signal::derive(move || {
        let t = title.get(i18n.lang.get()).to_owned();
        if t.is_empty() {
            "—".to_owned()
        } else {
            t
        }
    });
    let status = if q.is_editable() {
        Msg::StatusDraft
    } else {
        Msg::StatusPublished
    };
    let meta = {
        let (kind, version) = (q.kind, q.version);
        move || {
            format!(
                "{} · {} {} · {}",
                i18n.t(kind.label()),
                i18n.t(Msg::VersionLabel),
                version,
                i18n.t(status)
            )
        }
    };
    // The published version's links, to hand on again: the newest version
    // when published, else the one before the draft.
    let published = if q.is_editable() {
        q.version.checked_sub(1).filter(|v| *v > 0)
    } else {
        Some(q.version)
    };
    let links = published.map(|version| {
        let href = Route::Links { id: q.id.clone(), version }.to_hash();
        view! {
            <a class="button" href=href aria-label=move || format!("{}: {}", i18n.t(Msg::OpenLinks), name.get())>{move || i18n.t(Msg::OpenLinks)}</a>
        }
    });
    let action = if q.is_editable() {
        let href = Route::Edit {
            id: q.id.clone(),
            version: q.version,
        }
        .to_hash();
        view! {
            <a class="button" href=href aria-label=move || format!("{}: {}", i18n.t(Msg::Edit), name.get())>{move || i18n.t(Msg::Edit)}</a>
        }.into_any()
    } else {
        let next = q.next_draft();
        view! {
            <button type="button" on:click=move |_| create_and_edit(next.clone(), error)
                aria-label=move || format!("{}: {}", i18n.t(Msg::EditNewVersion), name.get())>
                {move || i18n.t(Msg::EditNewVersion)}
            </button>
        }
        .into_any()
    };
    view! {
        <li class="card">
            <h3>{name}</h3>
            <p class="muted">{meta}</p>
            <div class="actions">{action}{links}</div>
        </li>
    }
}
