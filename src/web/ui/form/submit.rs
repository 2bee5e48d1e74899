//! Submit for a questionnaire being filled, shared by the fill screen, the
//! customer's survey run (`respondent::link`) and the kiosk: the required
//! questions still unanswered are listed instead of submitting (the list
//! follows the answers as they come, and each item moves the focus to its
//! question), else the response is marked submitted
//! and stored, and the caller hears of it only once the write has landed;
//! then it is queued for the team's inbox when a link named one
//! (`ui::delivery`).

use leptos::prelude::*;

use crate::domain::{Questionnaire, Response};
use crate::i18n::Msg;
use crate::web::platform;
use crate::web::ui::autosave::{self, SaveState};
use crate::web::ui::delivery;
use crate::web::ui::i18n::use_i18n;

#[component]
pub fn SubmitAnswers(
    questionnaire: Signal<Questionnaire>,
    resp: RwSignal<Response>,
    save_state: RwSignal<SaveState>,
    /// Runs once the submitted response is stored.
    on_stored: Callback<()>,
    /// The form's `id_prefix` (`QuestionnaireForm`), so each missing
    /// question in the list can move the focus to its control.
    id_prefix: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    // Set by a refused Submit: from then on the alert lists what is missing.
    let tried = RwSignal::new(false);
    let missing = Memo::new(move |_| {
        if !tried.get() {
            return Vec::new();
        }
        questionnaire.with(|q| {
            resp.with(|r| {
                q.missing_required(r)
                    .into_iter()
                    .map(|x| (x.id.clone(), x.text.clone()))
                    .collect::<Vec<_>>()
            })
        })
    });
    let submit = move |_| {
        let mut snapshot = resp.get_untracked();
        if questionnaire.with_untracked(|q| !q.missing_required(&snapshot).is_empty()) {
            tried.set(true);
            return;
        }
        if !snapshot.submit(platform::now()) {
            return;
        }
        resp.set(snapshot.clone());
        leptos::task::spawn_local(async move {
            if autosave::save_and_wait(snapshot.clone(), save_state)
                .await
                .is_ok()
            {
                // Its own task: the caller (a kiosk's next customer) never
                // waits for sealing or the network. A response that could
                // not be queued stays stored and leaves as a file.
                leptos::task::spawn_local(async move {
                    let _ = delivery::queue_submitted(&snapshot).await;
                });
                on_stored.run(());
            }
        });
    };
    view! {
        {move || {
            let m = missing.get();
            (!m.is_empty()).then(|| view! {
                <div role="alert" class="error">
                    <p>{move || i18n.t(Msg::MissingRequired)}</p>
                    <ul>
                        {m.into_iter().map(|(qid, text)| {
                            let target = format!("{id_prefix}-{qid}");
                            view! {
                                <li>
                                    <button type="button" class="inline-link" on:click=move |_| platform::focus_control(&target)>
                                        {move || text.get(i18n.lang.get()).to_owned()}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            })
        }}
        <Show when=move || resp.with(|r| r.is_draft())>
            <button type="button" class="primary" on:click=submit>{move || i18n.t(if questionnaire.with(|q| q.kind == crate::domain::QuestionnaireKind::Survey) { Msg::Submit } else { Msg::SubmitFill })}</button>
        </Show>
    }
}
