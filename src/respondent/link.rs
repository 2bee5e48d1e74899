//! A questionnaire arriving in a link (`#/q/<payload>`). The link is
//! checked whole before anything is shown or stored: a broken, truncated or
//! altered link gets its message and changes nothing. A valid one is saved
//! on the device and opens the fill screens (shoppers, staff) or the survey
//! (customers). Shown by the full app and by the lean respondent page alike.

use leptos::prelude::*;
use uuid::Uuid;

use crate::app::autosave::{self, SaveState};
use crate::app::components::questionnaire_form::QuestionnaireForm;
use crate::app::contexts::i18n::use_i18n;
use crate::app::DEFAULT_LOCATION_ID;
use crate::domain::{Location, Response, VersionStatus};
use crate::formats::link::{self, LinkMode, LinkPayload};
use crate::i18n::{Lang, Msg};
use crate::routes::Route;
use crate::storage::StorageError;
use crate::{platform, storage};

#[component]
pub fn LinkPage(payload: String) -> impl IntoView {
    let i18n = use_i18n();
    let decoded = link::decode(&payload);
    match decoded {
        Err(e) => view! {
            <h1>{move || i18n.t(Msg::LinkBroken)}</h1>
            <div role="alert" class="error"><p>{move || e.message(i18n.lang.get())}</p></div>
            <p><a href="#/">{move || i18n.t(Msg::BackHome)}</a></p>
        }
        .into_any(),
        Ok(p) if p.questionnaire.status != VersionStatus::Published => view! {
            <h1>{move || i18n.t(Msg::LinkBroken)}</h1>
            <div role="alert" class="error"><p>{move || i18n.t(Msg::LinkDraftRefused)}</p></div>
        }
        .into_any(),
        Ok(p) => view! { <LinkLanding payload=p /> }.into_any(),
    }
}

enum AdoptError {
    /// Another questionnaire already holds this id and version here.
    Clash,
    Storage(StorageError),
}

impl From<StorageError> for AdoptError {
    fn from(e: StorageError) -> Self {
        AdoptError::Storage(e)
    }
}

impl AdoptError {
    fn message(&self, lang: Lang) -> String {
        match self {
            AdoptError::Clash => Msg::LinkVersionClash.text(lang).to_owned(),
            AdoptError::Storage(e) => format!("{}: {}", Msg::StorageUnavailable.text(lang), e.0),
        }
    }
}

/// Saves the link's questionnaire and location on this device and creates a
/// draft response for them.
async fn adopt(p: &LinkPayload) -> Result<Response, AdoptError> {
    let store = storage::shared().await?;
    let q = &p.questionnaire;
    match store.get_questionnaire(&q.id, q.version).await? {
        Some(existing) if existing != *q => return Err(AdoptError::Clash),
        Some(_) => {}
        None => store.put_questionnaire(q).await?,
    }
    let location_id = match &p.location {
        Some(loc) => {
            if !store.locations().await?.iter().any(|l| l.id == loc.id) {
                store.put_location(loc).await?;
            }
            loc.id.clone()
        }
        None => DEFAULT_LOCATION_ID.to_owned(),
    };
    let draft = Response::new_draft(
        Uuid::new_v4(),
        &q.id,
        q.version,
        &location_id,
        &platform::device_id(),
        platform::now(),
    );
    store.put_response(&draft).await?;
    Ok(draft)
}

#[component]
pub(crate) fn LinkLanding(payload: LinkPayload) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let q = payload.questionnaire.clone();
    let title = q.title.clone();
    let description = q.description.clone();
    let place = payload.location.as_ref().map(|l| l.name.clone());
    let mode = payload.mode;
    let survey_response = RwSignal::new(None::<Response>);
    let payload = StoredValue::new(payload);

    let start = move |_| {
        leptos::task::spawn_local(async move {
            let p = payload.get_value();
            match adopt(&p).await {
                Ok(draft) if p.mode == LinkMode::Fill => {
                    platform::set_hash(&Route::Fill(draft.id).to_hash())
                }
                Ok(draft) => survey_response.set(Some(draft)),
                Err(e) => error.set(Some(e.message(i18n.lang.get_untracked()))),
            }
        });
    };

    view! {
        <h1>{move || title.get(i18n.lang.get()).to_owned()}</h1>
        <p>{move || description.get(i18n.lang.get()).to_owned()}</p>
        {place.map(|name| view! { <p><strong>{move || i18n.t(Msg::Location)}</strong> ": " {name}</p> })}
        {move || error.get().map(|e| view! { <div role="alert" class="error"><p>{e}</p></div> })}
        {move || match survey_response.get() {
            None => view! {
                <button type="button" class="primary" on:click=start>
                    {move || i18n.t(if mode == LinkMode::Fill { Msg::StartFilling } else { Msg::StartSurvey })}
                </button>
            }.into_any(),
            Some(r) => view! { <SurveyRun response=r payload=payload.get_value() restart=survey_response /> }.into_any(),
        }}
    }
}

/// A customer's run through a survey that arrived by link.
#[component]
fn SurveyRun(
    response: Response,
    payload: LinkPayload,
    restart: RwSignal<Option<Response>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let resp = RwSignal::new(response);
    let save_state = RwSignal::new(SaveState::Saved);
    let done = RwSignal::new(false);
    let missing = RwSignal::new(Vec::<String>::new());
    let q = Signal::stored(payload.questionnaire.clone());
    let locations = Signal::stored(
        payload
            .location
            .clone()
            .map(|l: Location| vec![l])
            .unwrap_or_default(),
    );
    let on_change = Callback::new(move |snapshot: Response| autosave::save(snapshot, save_state));
    let submit = move |_| {
        let mut snapshot = resp.get_untracked();
        let unanswered: Vec<String> = q.with_untracked(|q| {
            q.missing_required(&snapshot)
                .into_iter()
                .map(|x| x.text.get(i18n.lang.get_untracked()).to_owned())
                .collect()
        });
        if !unanswered.is_empty() {
            missing.set(unanswered);
            return;
        }
        if snapshot.submit(platform::now()) {
            resp.set(snapshot.clone());
            leptos::task::spawn_local(async move {
                if autosave::save_and_wait(snapshot, save_state).await.is_ok() {
                    done.set(true);
                }
            });
        }
    };
    let again = move |_| {
        let p = payload.clone();
        leptos::task::spawn_local(async move {
            if let Ok(r) = adopt(&p).await {
                restart.set(Some(r));
            }
        });
    };
    let read_only = Signal::derive(move || !resp.with(|r| r.is_draft()));
    view! {
        <Show when=move || !done.get() fallback=move || view! {
            <div class="thanks" role="status">
                <h2>{move || i18n.t(Msg::ThankYou)}</h2>
                <p>{move || i18n.t(Msg::OwnPhoneNotice)}</p>
                <button type="button" on:click=again.clone()>{move || i18n.t(Msg::AnswerAgain)}</button>
            </div>
        }>
            <QuestionnaireForm questionnaire=q resp read_only locations on_change id_prefix="survey" photos=None />
            {move || {
                let m = missing.get();
                (!m.is_empty()).then(|| view! {
                    <div role="alert" class="error">
                        <p>{move || i18n.t(Msg::MissingRequired)}</p>
                        <ul>{m.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
            <button type="button" class="primary" on:click=submit>{move || i18n.t(Msg::Submit)}</button>
        </Show>
    }
}
