//! Kiosk mode on a shared tablet: one survey at one location, customer
//! after customer. The loop's timing is `kiosk::idle::KioskLoop`'s, the
//! route guard `kiosk::gate`'s; this module holds the kiosk's state in
//! IndexedDB (so a reload stays in the kiosk), runs the loop and asks for
//! the manager's PIN.
//!
//! A partial response discarded after inactivity is deleted, not kept as a
//! draft: it is an abandoned answer of an anonymous customer who walked
//! away, nobody can resume it, and keeping it would mix half-answers into
//! the tablet's data (see ARCHITECTURE.md).

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::{Location, Questionnaire, Response};
use crate::i18n::pin_wait;
use crate::i18n::Msg;
use crate::kiosk::idle::{self, KioskLoop, Step, IDLE_SETTING_KEY, THANKS_MS};
use crate::kiosk::pin::{self, Check};
use crate::kiosk::{KioskSetup, ACTIVE_SETTING_KEY, DRAFT_SETTING_KEY};
use crate::routes::Route;
use crate::web::platform;
use crate::web::storage::{self, StorageError};
use crate::web::ui::autosave::{self, SaveState};
use crate::web::ui::form::questionnaire_form::QuestionnaireForm;
use crate::web::ui::form::submit::SubmitAnswers;
use crate::web::ui::i18n::use_i18n;
pub use crate::web::ui::kiosk::provide_kiosk;
use crate::web::ui::kiosk::{try_pin, use_kiosk, KioskCtx};
use crate::web::ui::resources;
use crate::web::ui::status::{Loading, StorageFailure};

async fn leave_kiosk(ctx: KioskCtx) -> Result<(), StorageError> {
    let store = storage::shared().await?;
    store
        .put_setting(ACTIVE_SETTING_KEY, &None::<KioskSetup>)
        .await?;
    platform::exit_fullscreen();
    ctx.setup.set(None);
    Ok(())
}

#[component]
pub fn KioskPage() -> impl IntoView {
    let kiosk = use_kiosk();
    let Some(setup) = kiosk.setup.get_untracked() else {
        // No kiosk set up: the distribution screen starts one.
        platform::set_hash(&Route::Distribute.to_hash());
        return ().into_any();
    };
    let loaded = LocalResource::new(move || {
        let setup = setup.clone();
        async move {
            let store = storage::shared().await?;
            let q = resources::questionnaire(
                &store,
                &setup.questionnaire_id,
                setup.questionnaire_version,
            )
            .await?;
            let location = store
                .locations()
                .await?
                .into_iter()
                .find(|l| l.id == setup.location_id);
            let idle = store.get_setting::<u32>(IDLE_SETTING_KEY).await?;
            discard_left_behind(&store).await?;
            Ok::<_, StorageError>((q, location, idle::idle_secs_from_setting(idle)))
        }
    });
    let i18n = use_i18n();
    (move || match loaded.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => view! { <StorageFailure detail=e.0 /> }.into_any(),
        Some(Ok((None, _, _))) => view! {
            <p role="alert" class="error">{move || i18n.t(Msg::KioskSurveyMissing)}</p>
            <button type="button" on:click=|_| platform::set_hash("#/")>{move || i18n.t(Msg::ExitKiosk)}</button>
        }
        .into_any(),
        Some(Ok((Some(q), location, idle_secs))) => {
            view! { <KioskRun q location idle_secs /> }.into_any()
        }
    })
    .into_any()
}

fn fresh_draft(q: &Questionnaire, location: &Option<Location>) -> Response {
    platform::new_draft(
        q,
        &location.as_ref().map(|l| l.id.clone()).unwrap_or_default(),
    )
}

/// A partial response left by a reload or crash mid-survey is discarded
/// like an idle one; a submitted one is kept.
async fn discard_left_behind(store: &storage::Store) -> Result<(), StorageError> {
    if let Some(id) = store
        .get_setting::<Option<Uuid>>(DRAFT_SETTING_KEY)
        .await?
        .flatten()
    {
        if store.get_response(id).await?.is_some_and(|r| r.is_draft()) {
            store.delete_response(id).await?;
        }
        store.put_setting(DRAFT_SETTING_KEY, &None::<Uuid>).await?;
    }
    Ok(())
}

/// Remembers the response a customer started, so a reload can discard it.
fn remember_draft(id: Uuid) {
    leptos::task::spawn_local(async move {
        if let Ok(store) = storage::shared().await {
            let _ = store.put_setting(DRAFT_SETTING_KEY, &Some(id)).await;
        }
    });
}

/// Waits for the draft's last write, then deletes it, so a write still in
/// flight cannot bring the discarded answers back.
async fn discard(snapshot: Response, save_state: RwSignal<SaveState>) {
    let id = snapshot.id;
    let _ = autosave::save_and_wait(snapshot, save_state).await;
    if let Ok(store) = storage::shared().await {
        let _ = store.delete_response(id).await;
    }
}

#[component]
fn KioskRun(q: Questionnaire, location: Option<Location>, idle_secs: u32) -> impl IntoView {
    let i18n = use_i18n();
    let heading = StoredValue::new(q.clone());
    let place = location.as_ref().map(|l| l.name.clone());
    let draft = RwSignal::new(fresh_draft(&q, &location));
    // Bumped for every fresh survey, so the form is built anew.
    let round = RwSignal::new(0u32);
    let thanks = RwSignal::new(false);
    let save_state = RwSignal::new(SaveState::Saved);
    let clock = StoredValue::new(KioskLoop::new(idle_secs, THANKS_MS, platform::now_ms()));
    let qs = Signal::stored(q.clone());
    let locations = Signal::stored(location.clone().map(|l| vec![l]).unwrap_or_default());
    let q = StoredValue::new(q);
    let location = StoredValue::new(location);

    let next_customer = move || {
        draft.set(fresh_draft(&q.read_value(), &location.read_value()));
        thanks.set(false);
        round.update(|r| *r += 1);
    };
    let on_change = Callback::new(move |snapshot: Response| {
        let first = clock
            .with_value(|c| matches!(c.phase(), idle::Phase::Answering { touched: false, .. }));
        if first {
            remember_draft(snapshot.id);
        }
        clock.update_value(|c| c.answered(platform::now_ms()));
        autosave::save(snapshot, save_state);
    });
    let ticker = set_interval_with_handle(
        move || match clock.try_update_value(|c| c.tick(platform::now_ms())) {
            Some(Step::DiscardPartial) => {
                let old = draft.get_untracked();
                next_customer();
                leptos::task::spawn_local(discard(old, save_state));
            }
            Some(Step::NextCustomer) => next_customer(),
            _ => {}
        },
        std::time::Duration::from_millis(250),
    )
    .ok();
    let touch = move || clock.update_value(|c| c.activity(platform::now_ms()));
    let listeners = [
        window_event_listener(leptos::ev::pointerdown, move |_| touch()),
        window_event_listener(leptos::ev::keydown, move |_| touch()),
        window_event_listener(leptos::ev::scroll, move |_| touch()),
    ];
    on_cleanup(move || {
        if let Some(t) = ticker {
            t.clear();
        }
        for l in listeners {
            l.remove();
        }
    });

    let submitted = Callback::new(move |()| {
        clock.update_value(|c| c.submitted(platform::now_ms()));
        thanks.set(true);
    });
    // A memo: every control's `disabled` reads it, and an answer must not
    // re-run them all.
    let read_only: Signal<bool> = Memo::new(move |_| !draft.with(|r| r.is_draft())).into();
    view! {
        <div class="kiosk">
            <div class="kiosk-bar">
                <button type="button" class="kiosk-exit" on:click=|_| platform::set_hash("#/")>
                    {move || i18n.t(Msg::ExitKiosk)}
                </button>
            </div>
            <h1>{move || heading.with_value(|q| q.public_heading(i18n.lang.get()).to_owned())}</h1>
            {place.map(|name| view! { <p class="kiosk-place">{name}</p> })}
            <Show when=move || !thanks.get() fallback=move || view! {
                <div class="thanks" role="status">
                    <h2>{move || i18n.t(Msg::ThankYou)}</h2>
                    <p>{move || i18n.t(Msg::KioskNextSoon)}</p>
                </div>
            }>
                // Built anew for each customer: no answer and no list of
                // missing ones carries over.
                {move || {
                    round.get();
                    view! {
                        <QuestionnaireForm questionnaire=qs resp=draft read_only locations on_change id_prefix="kiosk" photos=None />
                        <SubmitAnswers questionnaire=qs resp=draft save_state on_stored=submitted id_prefix="kiosk" />
                    }
                }}
            </Show>
        </div>
    }
}

/// Shown instead of any other screen while a kiosk runs. The right PIN
/// leaves kiosk mode and opens the screen asked for.
#[component]
pub fn PinPrompt() -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = use_kiosk();
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let unlock = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let typed = pin.get_untracked();
        leptos::task::spawn_local(async move {
            let result = try_pin(&typed).await;
            busy.set(false);
            let lang = i18n.lang.get_untracked();
            match result {
                Ok(Check::Right) => {
                    if let Err(e) = leave_kiosk(kiosk).await {
                        error.set(Some(e.0));
                    }
                }
                Ok(Check::Wrong { wait_ms }) => {
                    pin.set(String::new());
                    error.set(Some(match wait_ms {
                        Some(ms) => format!("{} {}", i18n.t(Msg::WrongPin), pin_wait(lang, ms)),
                        None => i18n.t(Msg::WrongPin).to_owned(),
                    }));
                }
                Ok(Check::Wait { ms }) => {
                    pin.set(String::new());
                    error.set(Some(pin_wait(lang, ms)));
                }
                Ok(Check::NoPin) => {
                    pin.set(String::new());
                    error.set(Some(i18n.t(Msg::WrongPin).to_owned()));
                }
                Err(e) => error.set(Some(e.0)),
            }
        });
    };
    view! {
        <h1>{move || i18n.t(Msg::PinPromptTitle)}</h1>
        <p>{move || i18n.t(Msg::PinPromptExplain)}</p>
        <form on:submit=move |ev| {
            ev.prevent_default();
            unlock();
        }>
            <div class="field">
                <label for="kiosk-pin">{move || i18n.t(Msg::PinLabel)}</label>
                <input id="kiosk-pin" type="password" inputmode="numeric" autocomplete="off"
                    maxlength=pin::MAX_PIN_LEN.to_string()
                    prop:value=move || pin.get()
                    on:input=move |ev| pin.set(event_target_value(&ev)) />
            </div>
            {move || error.get().map(|e| view! { <div role="alert" class="error"><p>{e}</p></div> })}
            <div class="actions">
                <button type="submit" class="primary" disabled=move || busy.get()>{move || i18n.t(Msg::Unlock)}</button>
                <button type="button" on:click=|_| platform::set_hash(&Route::Kiosk.to_hash())>
                    {move || i18n.t(Msg::BackToKiosk)}
                </button>
            </div>
        </form>
    }
}
