//! The questionnaire editor: a draft version edited in place and saved as
//! it changes, with a live phone preview, and publishing once it validates.

mod condition_editor;
mod question_editor;
mod section_editor;
mod state;
mod toolbar;

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::{Questionnaire, QuestionnaireKind, Response, Section, Text};
use crate::exchange::questionnaire_file;
use crate::i18n::Msg;
use crate::routes::Route;
use crate::web::manager::editor::section_editor::SectionEditor;
use crate::web::manager::editor::state::{new_id, use_editor, Deleted, EditorCtx};
use crate::web::manager::share::QuestionnaireLinks;
use crate::web::ui::autosave::{self, SaveState};
use crate::web::ui::form::questionnaire_form::QuestionnaireForm;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources::locations_or_default;
use crate::web::ui::status::{Loading, StorageFailure};
use crate::web::{platform, storage};

const KINDS: [QuestionnaireKind; 4] = [
    QuestionnaireKind::Audit,
    QuestionnaireKind::Survey,
    QuestionnaireKind::Complaint,
    QuestionnaireKind::OpsReport,
];

fn kind_code(k: QuestionnaireKind) -> &'static str {
    match k {
        QuestionnaireKind::Audit => "audit",
        QuestionnaireKind::Survey => "survey",
        QuestionnaireKind::Complaint => "complaint",
        QuestionnaireKind::OpsReport => "ops_report",
    }
}

#[component]
pub fn EditorPage(id: String, version: u32) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let loaded = LocalResource::new(move || {
        let id = id.clone();
        async move {
            let store = storage::shared().await?;
            let q = store.get_questionnaire(&id, version).await?;
            let locations = locations_or_default(&store, lang).await?;
            Ok::<_, storage::StorageError>(q.map(|q| (q, locations)))
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || loaded.get().map(|res| match res {
                Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                Ok(None) => view! {
                    <p role="alert">{move || i18n.t(Msg::NotFound)}</p>
                    <p><a href=Route::Questionnaires.to_hash()>{move || i18n.t(Msg::NavQuestionnaires)}</a></p>
                }.into_any(),
                Ok(Some((q, locations))) => view! { <Editor q locations /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Editor(q: Questionnaire, locations: Vec<crate::domain::Location>) -> impl IntoView {
    let i18n = use_i18n();
    let ed = EditorCtx::new(q);
    provide_context(ed);
    let issues = RwSignal::new(Vec::<String>::new());
    let published_now = RwSignal::new(false);
    let show_preview = RwSignal::new(false);
    let editable = move || ed.q.with(|q| q.is_editable());
    let section_ids = move || {
        ed.q.with(|q| q.sections.iter().map(|s| s.id.clone()).collect::<Vec<_>>())
    };

    let text_field = move |label: Msg,
                           f: &'static str,
                           get: fn(&Questionnaire) -> String,
                           set: fn(&mut Questionnaire, String)| {
        view! {
            <div class="field">
                <label for=format!("qn-{f}")>{move || i18n.t(label)}</label>
                <input id=format!("qn-{f}") type="text"
                    prop:value=move || ed.q.with(|q| get(q))
                    on:input=move |ev| { let v = event_target_value(&ev); ed.edit(|q| set(q, v)) } />
            </div>
        }
    };

    let add_section = move |_| {
        ed.edit(|q| {
            q.sections.push(Section {
                id: new_id("s"),
                title: Text::from_msg(Msg::UntitledSection),
                weight: 1.0,
                critical_rule: Default::default(),
                questions: Vec::new(),
            })
        })
    };

    let publish = move |_| {
        let mut draft = ed.q.get_untracked();
        let lang = i18n.lang.get_untracked();
        match draft.publish() {
            Err(found) => {
                issues.set(found.iter().map(|i| i.message(lang)).collect());
                leptos::task::spawn_local(platform::focus_element("publish-issues"));
            }
            Ok(()) => {
                issues.set(Vec::new());
                leptos::task::spawn_local(async move {
                    if autosave::save_and_wait(draft.clone(), ed.save_state)
                        .await
                        .is_ok()
                    {
                        ed.q.set(draft);
                        published_now.set(true);
                        // The result is at the top; Publish was at the bottom.
                        platform::focus_element("publish-result").await;
                    }
                });
            }
        }
    };

    let export = move |_| {
        let q = ed.q.get_untracked();
        let name = format!("{}-v{}.servicelens.json", q.id, q.version);
        let _ = platform::download_text(
            &name,
            "application/json",
            &questionnaire_file::to_string(&q),
        );
    };

    // The preview fills an in-memory response that is never stored.
    let preview_resp = RwSignal::new(ed.q.with_untracked(|q| {
        Response::new_draft(Uuid::nil(), &q.id, q.version, "", "", platform::now())
    }));

    view! {
        <h1>{move || i18n.t(Msg::EditorTitle)}</h1>
        <div class="editor-layout">
            <div class="editor-main">
                // One element for the result, kept while its text changes, so
                // the focus moved to it after publishing stays there.
                <div class="notice" role="status" id="publish-result" tabindex="-1" hidden=editable>
                    {move || (!editable()).then(|| {
                        let next = ed.q.with(|q| q.next_draft());
                        view! {
                            <p>{move || i18n.t(if published_now.get() { Msg::Published } else { Msg::StatusPublished })}</p>
                            <p>
                                <a class="button" href=Route::FillStart.to_hash()>{move || i18n.t(Msg::NavNewAudit)}</a>
                                " "
                                <button type="button" on:click=move |_| {
                                    let next = next.clone();
                                    leptos::task::spawn_local(async move {
                                        if let Ok(store) = storage::shared().await {
                                            if store.put_questionnaire(&next).await.is_ok() {
                                                platform::set_hash(&Route::Edit { id: next.id.clone(), version: next.version }.to_hash());
                                            }
                                        }
                                    });
                                }>{move || i18n.t(Msg::EditNewVersion)}</button>
                            </p>
                        }
                    })}
                </div>
                {move || (!editable()).then(|| view! { <QuestionnaireLinks questionnaire=ed.q /> })}
                <fieldset class="editor-body" disabled=move || !editable()>
                    <legend class="visually-hidden">{move || i18n.t(Msg::EditorTitle)}</legend>
                    <div class="field">
                        <label for="qn-kind">{move || i18n.t(Msg::QuestionnaireKind)}</label>
                        <select id="qn-kind" on:change=move |ev| {
                            let code = event_target_value(&ev);
                            if let Some(k) = KINDS.into_iter().find(|k| kind_code(*k) == code) {
                                ed.edit(|q| q.kind = k);
                            }
                        }>
                            {KINDS.into_iter().map(|k| view! {
                                <option value=kind_code(k) selected=move || ed.q.with(|q| q.kind == k)>{move || i18n.t(k.label())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    {text_field(Msg::TitleRu, "title-ru", |q| q.title.ru.clone(), |q, v| q.title.ru = v)}
                    {text_field(Msg::TitleEn, "title-en", |q| q.title.en.clone(), |q, v| q.title.en = v)}
                    {text_field(Msg::DescriptionRu, "desc-ru", |q| q.description.ru.clone(), |q, v| q.description.ru = v)}
                    {text_field(Msg::DescriptionEn, "desc-en", |q| q.description.en.clone(), |q, v| q.description.en = v)}
                    <fieldset>
                        <legend>{move || i18n.t(Msg::PublicWording)}</legend>
                        <p class="help">{move || i18n.t(Msg::PublicWordingHelp)}</p>
                        {text_field(Msg::PublicTitleRu, "public-title-ru", |q| q.public_title.ru.clone(), |q, v| q.public_title.ru = v)}
                        {text_field(Msg::PublicTitleEn, "public-title-en", |q| q.public_title.en.clone(), |q, v| q.public_title.en = v)}
                        {text_field(Msg::PublicIntroRu, "public-intro-ru", |q| q.public_intro.ru.clone(), |q, v| q.public_intro.ru = v)}
                        {text_field(Msg::PublicIntroEn, "public-intro-en", |q| q.public_intro.en.clone(), |q, v| q.public_intro.en = v)}
                    </fieldset>
                    <For each=section_ids key=|id| id.clone() let:sid>
                        <SectionEditor section_id=sid />
                    </For>
                    <button type="button" on:click=add_section>{move || i18n.t(Msg::AddSection)}</button>
                </fieldset>
                <UndoBar />
                {move || {
                    let found = issues.get();
                    (!found.is_empty()).then(|| view! {
                        <div role="alert" class="error" id="publish-issues" tabindex="-1">
                            <p>{move || i18n.t(Msg::FixBeforePublish)}</p>
                            <ul>{found.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                        </div>
                    })
                }}
                {move || match ed.save_state.get() {
                    SaveState::Failed(detail) => Some(view! {
                        <div role="alert" class="error">
                            <p>{move || i18n.t(Msg::SaveFailed)}</p>
                            <p class="detail">{detail}</p>
                        </div>
                    }),
                    _ => None,
                }}
                // Always in reach while the person scrolls a long questionnaire.
                <div class="toolbar editor-bar">
                    <Show when=editable>
                        <button type="button" class="primary" on:click=publish>{move || i18n.t(Msg::Publish)}</button>
                    </Show>
                    // A phone shows the preview on demand, below the editor.
                    <button type="button" class="preview-jump" aria-controls="editor-preview"
                        aria-expanded=move || show_preview.get().to_string()
                        on:click=move |_| {
                            let open = !show_preview.get_untracked();
                            show_preview.set(open);
                            if open {
                                leptos::task::spawn_local(platform::focus_element("editor-preview"));
                            }
                        }>
                        {move || i18n.t(Msg::Preview)}
                    </button>
                    <button type="button" on:click=export>{move || i18n.t(Msg::ExportFile)}</button>
                </div>
            </div>
            <aside class="preview" id="editor-preview" tabindex="-1" aria-label=move || i18n.t(Msg::Preview)
                data-open=move || show_preview.get().to_string()>
                <h2>{move || i18n.t(Msg::Preview)}</h2>
                <div class="phone-frame">
                    <h3>{move || ed.q.with(|q| q.title.get(i18n.lang.get()).to_owned())}</h3>
                    <QuestionnaireForm
                        questionnaire=Signal::derive(move || ed.q.get())
                        resp=preview_resp
                        read_only=Signal::derive(|| false)
                        locations=Signal::stored(locations)
                        on_change=Callback::new(|_: Response| {})
                        id_prefix="preview"
                        photos=None
                    />
                </div>
            </aside>
        </div>
    }
}

/// "Deleted …  Undo" after a section or question is deleted.
#[component]
fn UndoBar() -> impl IntoView {
    let i18n = use_i18n();
    let ed = use_editor();
    move || {
        ed.deleted.get().map(|d| {
            let text = match &d {
                Deleted::Section { section, .. } => section.title.clone(),
                Deleted::Question { question, .. } => question.text.clone(),
            };
            view! {
                <div class="undo" role="status">
                    <span>{move || format!("{}: «{}»", i18n.t(Msg::Deleted), text.get(i18n.lang.get()))}</span>
                    <button type="button" on:click=move |_| ed.undo_delete()>{move || i18n.t(Msg::Undo)}</button>
                </div>
            }
        })
    }
}
