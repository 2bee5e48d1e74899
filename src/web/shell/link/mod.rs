//! A questionnaire arriving in a link (`#/q/<payload>`). The link is
//! checked whole before anything is shown or stored: a broken, truncated or
//! altered link gets its message and changes nothing. A valid one is saved
//! on the device and opens the fill screens (shoppers, staff) or the survey
//! (customers). The full app's screen: for `index.html#/q/…` (shoppers'
//! links, kiosk links, and customers' links made before the lean page
//! `respond.html`, which draws the customer's survey itself, see
//! `respondent::survey`).

pub mod form;
pub mod short;

use leptos::prelude::*;

use crate::delivery::LinkTarget;
use crate::domain::{Location, Response};
use crate::i18n::{self, Lang, Msg};
use crate::kiosk::pin::{PinHash, SETTING_KEY as PIN_KEY};
use crate::kiosk::KioskSetup;
use crate::link::adopt::{self, BuiltIn, Held, OnDevice, Refusal};
use crate::link::{self, LinkMode, LinkPayload};
use crate::routes::Route;
use crate::web::shell::role::use_role;
use crate::web::storage::StorageError;
use crate::web::ui::autosave::{self, SaveState};
use crate::web::ui::delivery;
use crate::web::ui::form::questionnaire_form::QuestionnaireForm;
use crate::web::ui::form::submit::SubmitAnswers;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::kiosk::start_kiosk;
use crate::web::ui::status::{Loading, StorageFailure};
use crate::web::{platform, storage};

#[component]
pub fn LinkPage(payload: String) -> impl IntoView {
    let i18n = use_i18n();
    // The full app checks a link's target whole before it keeps it
    // (`delivery::target`): a link whose target fails is refused.
    let decoded =
        link::decode(&payload).and_then(|p| match p.inbox.as_ref().map(LinkTarget::check) {
            Some(Err(detail)) => Err(link::LinkError::Malformed { detail }),
            _ => Ok(p),
        });
    match decoded {
        Err(e) => view! {
            <h1>{move || i18n.t(Msg::LinkBroken)}</h1>
            <div role="alert" class="error"><p>{move || e.message(i18n.lang.get())}</p></div>
            <p><a href="#/">{move || i18n.t(Msg::BackHome)}</a></p>
        }
        .into_any(),
        Ok(p) => match adopt::admit(&p) {
            Err(refusal) => view! {
                <h1>{move || i18n.t(Msg::LinkBroken)}</h1>
                <div role="alert" class="error"><p>{move || refusal.message(i18n.lang.get())}</p></div>
            }
            .into_any(),
            Ok(()) => view! { <LinkLanding payload=p /> }.into_any(),
        },
    }
}

enum AdoptError {
    Refused(Refusal),
    Storage(StorageError),
}

impl From<StorageError> for AdoptError {
    fn from(e: StorageError) -> Self {
        AdoptError::Storage(e)
    }
}

impl From<Refusal> for AdoptError {
    fn from(r: Refusal) -> Self {
        AdoptError::Refused(r)
    }
}

impl AdoptError {
    fn message(&self, lang: Lang) -> String {
        match self {
            AdoptError::Refused(r) => r.message(lang),
            AdoptError::Storage(e) => format!("{}: {}", Msg::StorageUnavailable.text(lang), e.0),
        }
    }
}

/// Saves the link's questionnaire and location on this device and creates a
/// draft response for them.
async fn adopt(p: &LinkPayload) -> Result<Response, AdoptError> {
    let location_id = adopt_survey(p).await?;
    let store = storage::shared().await?;
    let q = &p.questionnaire;
    let draft = platform::new_draft(q, &location_id);
    store.put_response(&draft).await?;
    Ok(draft)
}

/// Saves the link's questionnaire and location on this device (each only
/// if it is not there yet, see [`adopt::plan`]); returns the location's id.
async fn adopt_survey(p: &LinkPayload) -> Result<String, AdoptError> {
    let store = storage::shared().await?;
    let q = &p.questionnaire;
    let stored = store.get_questionnaire(&q.id, q.version).await?;
    let location_known = match &p.location {
        Some(loc) => store.locations().await?.iter().any(|l| l.id == loc.id),
        None => false,
    };
    let own =
        crate::templates::is_built_in(&q.id).then(|| crate::templates::find(&q.id, q.version));
    let on_device = OnDevice {
        // A stored record that does not read fails the read above, as a
        // storage error, so it never reaches the plan as `Unreadable`.
        questionnaire: stored.as_ref().map_or(Held::Nothing, Held::Copy),
        built_in: own
            .as_ref()
            .map_or(BuiltIn::No, |b| BuiltIn::Here(b.as_ref())),
        location_known,
    };
    let plan = adopt::plan(p, on_device)?;
    if let Some(q) = plan.store_questionnaire {
        store.put_questionnaire(q).await?;
    }
    // Answers given on this device to this questionnaire go where the link
    // says; a link without a target (the offline fallback) leaves the
    // one kept from an earlier link.
    if let Some(Ok(target)) = p.inbox.as_ref().map(LinkTarget::check) {
        delivery::remember_target(&store, &q.id, &target).await?;
    }
    if let Some(loc) = plan.store_location {
        store.put_location(loc).await?;
    }
    Ok(plan.location_id.to_owned())
}

/// A link whose questionnaire is fetched first (a short link's file, a
/// form on the team's server): loading, then the landing, or why it
/// cannot open in `message`'s words.
pub(crate) fn fetched_landing<E: Clone + Send + Sync + 'static>(
    loaded: LocalResource<Result<LinkPayload, E>>,
    message: fn(&E, Lang) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    move || match loaded.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => view! {
            <h1>{move || i18n.t(Msg::LinkBroken)}</h1>
            <div role="alert" class="error"><p>{move || message(&e, i18n.lang.get())}</p></div>
        }
        .into_any(),
        Some(Ok(payload)) => view! { <LinkLanding payload /> }.into_any(),
    }
}

#[component]
pub(crate) fn LinkLanding(payload: LinkPayload) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let q = StoredValue::new(payload.questionnaire.clone());
    let at_once = payload.starts_at_once();
    let place = payload.location.as_ref().map(|l| l.name.clone());
    let mode = payload.mode;
    // A checklist link makes a new device a shopper's (`crate::menu`).
    let role = use_role();
    role.decide(crate::menu::on_link(role.role.get_untracked(), mode));
    let survey_response = RwSignal::new(None::<Response>);
    let payload = StoredValue::new(payload);
    // A shopper opening the same link again is offered the audit they left
    // unfinished before a second one is started.
    let unfinished = LocalResource::new(move || async move {
        if mode != LinkMode::Fill {
            return None;
        }
        let stored = storage::shared().await.ok()?.responses().await.ok()?;
        payload.with_value(|p| adopt::unfinished(p, &stored).map(|r| (r.id, r.started_at)))
    });

    let begin = move || {
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
    let start = move |_| begin();
    if at_once {
        begin();
    }

    view! {
        <h1>{move || q.with_value(|q| q.public_heading(i18n.lang.get()).to_owned())}</h1>
        {move || {
            let intro = q.with_value(|q| q.public_introduction(i18n.lang.get()).to_owned());
            (!intro.trim().is_empty()).then(|| view! { <p>{intro}</p> })
        }}
        {place.map(|name| view! { <p><strong>{move || i18n.t(Msg::Location)}</strong> ": " {name}</p> })}
        {move || error.get().map(|e| view! { <div role="alert" class="error"><p>{e}</p></div> })}
        {move || unfinished.get().flatten().map(|(id, started)| {
            view! {
                <div class="notice" role="note">
                    <p>{move || { let lang = i18n.lang.get(); i18n::unfinished_since(lang, &started.display(lang)) }}</p>
                    <button type="button" class="primary" on:click=move |_| platform::set_hash(&Route::Fill(id).to_hash())>
                        {move || i18n.t(Msg::ContinueUnfinished)}
                    </button>
                </div>
            }
        })}
        {move || match survey_response.get() {
            None if mode == LinkMode::Kiosk => view! { <KioskLinkStart payload=payload.get_value() /> }.into_any(),
            // Starting by itself; the button is there again if that failed.
            None if at_once && error.with(Option::is_none) => ().into_any(),
            None => view! {
                <button type="button" class="primary" on:click=start>
                    {move || i18n.t(if mode == LinkMode::Fill { Msg::StartFilling } else { Msg::StartSurvey })}
                </button>
            }.into_any(),
            Some(r) => view! { <SurveyRun response=r payload=payload.get_value() /> }.into_any(),
        }}
    }
}

/// A customer's run through a survey that arrived by link. The thank-you
/// has no "Answer again": on a customer's own phone it would only invite a
/// second vote (a kiosk starts a fresh survey by itself).
#[component]
fn SurveyRun(response: Response, payload: LinkPayload) -> impl IntoView {
    let i18n = use_i18n();
    let resp = RwSignal::new(response);
    let save_state = RwSignal::new(SaveState::Saved);
    let done = RwSignal::new(false);
    let q = Signal::stored(payload.questionnaire.clone());
    let locations = Signal::stored(
        payload
            .location
            .clone()
            .map(|l: Location| vec![l])
            .unwrap_or_default(),
    );
    let on_change = Callback::new(move |snapshot: Response| autosave::save(snapshot, save_state));
    let thanked = Callback::new(move |()| done.set(true));
    // With the inbox in the link, the thank-you says where the delivery
    // stands (the customer's words), following the pump; without, that
    // the answers stay on this phone.
    let delivers = payload.inbox.is_some();
    let delivery_status = delivery::delivery_status(move || resp.with_untracked(|r| r.id));
    let thanks_line = move || {
        let msg = if delivers {
            delivery_status
                .get()
                .map_or(Msg::AnswersSentWhenOnline, |s| s.customer_msg())
        } else {
            Msg::OwnPhoneNotice
        };
        i18n.t(msg)
    };
    // A memo: every control's `disabled` reads it, and an answer must not
    // re-run them all.
    let read_only: Signal<bool> = Memo::new(move |_| !resp.with(|r| r.is_draft())).into();
    view! {
        <Show when=move || !done.get() fallback=move || view! {
            <div class="thanks" role="status">
                <h2>{move || i18n.t(Msg::ThankYou)}</h2>
                <p>{thanks_line}</p>
            </div>
        }>
            <QuestionnaireForm questionnaire=q resp read_only locations on_change id_prefix="survey" photos=None />
            <SubmitAnswers questionnaire=q resp save_state on_stored=thanked id_prefix="survey" />
        </Show>
    }
}

/// A kiosk link opened on the tablet: starts kiosk mode for the link's
/// survey and location, as the distribution screen's Start kiosk does. A
/// tablet without a manager PIN is sent to Settings first, since nothing
/// could then end the kiosk. A kiosk already running on the tablet never
/// gets here: `kiosk::gate` asks for the PIN before any screen but its own.
#[component]
fn KioskLinkStart(payload: LinkPayload) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let pin_set = LocalResource::new(|| async {
        let store = storage::shared().await?;
        let pin = store.get_setting::<PinHash>(PIN_KEY).await?;
        Ok::<_, StorageError>(pin.is_some())
    });
    let payload = StoredValue::new(payload);
    let start = move |_| {
        // Full screen needs the click's user activation: asked for here,
        // before any await.
        platform::request_fullscreen();
        leptos::task::spawn_local(async move {
            let p = payload.get_value();
            let started = async {
                let location_id = adopt_survey(&p).await?;
                let setup = KioskSetup {
                    questionnaire_id: p.questionnaire.id.clone(),
                    questionnaire_version: p.questionnaire.version,
                    location_id,
                };
                start_kiosk(setup).await?;
                Ok::<_, AdoptError>(())
            };
            if let Err(e) = started.await {
                error.set(Some(e.message(i18n.lang.get_untracked())));
            }
        });
    };
    view! {
        <p>{move || i18n.t(Msg::KioskLinkExplain)}</p>
        {move || error.get().map(|e| view! { <div role="alert" class="error"><p>{e}</p></div> })}
        {move || match pin_set.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(e)) => view! { <StorageFailure detail=e.0 /> }.into_any(),
            Some(Ok(true)) => view! {
                <button type="button" class="primary" on:click=start>{move || i18n.t(Msg::StartKiosk)}</button>
            }.into_any(),
            Some(Ok(false)) => view! {
                <p><a href=Route::Settings.to_hash()>{move || i18n.t(Msg::KioskNeedsPin)}</a></p>
            }.into_any(),
        }}
    }
}
