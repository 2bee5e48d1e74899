//! Handing a survey to customers: for a published survey and a location,
//! the link, its QR code (on screen, as SVG and PNG), the short-link
//! fallback for surveys too big for a scannable code, posters and kiosk
//! mode. The decisions are `formats::short_link::plan`'s; this page shows
//! them.

use crate::web::manager::share::LinkField;
use leptos::prelude::*;

use super::team;
use crate::delivery::InboxTarget;
use crate::distribution::form_link::Form;
use crate::distribution::qr::{self, Ecl};
use crate::distribution::short_link::{self, plan, Distribution};
use crate::domain::catalog::newest_per_id;
use crate::domain::{Location, Questionnaire, QuestionnaireKind, VersionStatus};
use crate::exchange::questionnaire_file;
use crate::i18n::Msg;
use crate::kiosk::pin::{PinHash, SETTING_KEY as PIN_KEY};
use crate::link::LinkMode;
use crate::routes::{PosterSize, Route};
use crate::templates;
use crate::web::storage::{self, StorageError, Store};
use crate::web::ui::empty::EmptyState;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::kiosk::start_kiosk;
use crate::web::ui::resources::locations_or_default;
use crate::web::ui::status::{Loading, StorageFailure};

/// Pixels per module of the downloadable PNG: a version 10 code is then
/// 570 px square, sharp on an A5 poster at 300 dpi.
const PNG_SCALE: u32 = 10;

/// Surveys customers can be given: the newest published version of each of
/// the user's own, then the built-in surveys (published as shipped).
pub async fn distributable(store: &Store) -> Result<Vec<Questionnaire>, StorageError> {
    let mut out =
        newest_per_id(store.questionnaires().await?.into_iter().filter(|q| {
            q.status == VersionStatus::Published && q.kind == QuestionnaireKind::Survey
        }));
    out.extend(
        templates::current()
            .into_iter()
            .filter(|q| q.kind == QuestionnaireKind::Survey),
    );
    Ok(out)
}

#[derive(Clone)]
struct Loaded {
    surveys: Vec<Questionnaire>,
    locations: Vec<Location>,
    pin_set: bool,
    /// Where answers go while the inbox is on (`team::inbox_target`).
    inbox: Option<InboxTarget>,
}

#[component]
pub fn DistributePage() -> impl IntoView {
    let i18n = use_i18n();
    // The links and posters are in front of the manager: the first run's
    // "share" step is done (`crate::first_run`).
    crate::web::platform::note_shared();
    let lang = i18n.lang.get_untracked();
    let loaded = LocalResource::new(move || async move {
        let store = storage::shared().await?;
        Ok::<_, StorageError>(Loaded {
            surveys: distributable(&store).await?,
            locations: locations_or_default(&store, lang).await?,
            pin_set: store.get_setting::<PinHash>(PIN_KEY).await?.is_some(),
            inbox: team::inbox_target(&store).await?,
        })
    });
    view! {
        <h1>{move || i18n.t(Msg::DistributeTitle)}</h1>
        {move || match loaded.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(e)) => view! { <StorageFailure detail=e.0 /> }.into_any(),
            Some(Ok(l)) if l.surveys.is_empty() => view! {
                <EmptyState icon="qr-code" text=Msg::NoSurveysToDistribute
                    href=Route::Questionnaires.to_hash() action=Msg::FirstRunQuestionnaireGo />
            }
            .into_any(),
            Some(Ok(l)) => view! { <Chooser loaded=l /> }.into_any(),
        }}
    }
}

#[component]
fn Chooser(loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let Loaded {
        surveys,
        locations,
        pin_set,
        inbox,
    } = loaded;
    let key = |q: &Questionnaire| format!("{}/{}", q.id, q.version);
    let survey = RwSignal::new(key(&surveys[0]));
    let location = RwSignal::new(locations.first().map(|l| l.id.clone()).unwrap_or_default());
    let surveys = StoredValue::new(surveys);
    let locations = StoredValue::new(locations);
    let chosen = Memo::new(move |_| {
        let want = survey.get();
        let q = surveys.with_value(|s| s.iter().find(|q| key(q) == want).cloned());
        let loc =
            location.with(|id| locations.with_value(|ls| ls.iter().find(|l| &l.id == id).cloned()));
        q.map(|q| (q, loc))
    });
    let survey_options = surveys.with_value(|s| {
        s.iter()
            .map(|q| {
                let value = key(q);
                let title = q.title.clone();
                let version = q.version;
                view! { <option value=value.clone() selected=move || survey.get() == value>
                    {move || format!("{} (v{version})", title.get(i18n.lang.get()))}
                </option> }
            })
            .collect_view()
    });
    let location_options = locations.with_value(|ls| {
        ls.iter()
            .map(|l| {
                let id = l.id.clone();
                view! { <option value=id.clone() selected=move || location.get() == id>{l.name.clone()}</option> }
            })
            .collect_view()
    });
    view! {
        <div class="field">
            <label for="distribute-survey">{move || i18n.t(Msg::SurveyToDistribute)}</label>
            <select id="distribute-survey" on:change=move |ev| survey.set(event_target_value(&ev))>
                {survey_options}
            </select>
        </div>
        <div class="field">
            <label for="distribute-location">{move || i18n.t(Msg::LocationToDistribute)}</label>
            <select id="distribute-location" on:change=move |ev| location.set(event_target_value(&ev))>
                {location_options}
            </select>
        </div>
        {move || chosen.get().map(|(q, loc)| view! { <Handout q loc pin_set inbox=inbox.clone() /> })}
    }
}

/// Link, QR, posters and kiosk for one survey at one location.
#[component]
fn Handout(
    q: Questionnaire,
    loc: Option<Location>,
    pin_set: bool,
    inbox: Option<InboxTarget>,
) -> impl IntoView {
    let i18n = use_i18n();
    let app_url = crate::web::platform::app_url();
    let d: Distribution = plan(
        &app_url,
        &q,
        loc.as_ref(),
        LinkMode::Customer,
        inbox.as_ref(),
    );
    let qr_text = d.qr_text(&app_url);
    let file_stem = format!(
        "servicelens-qr-{}{}",
        short_link::suggested_name(&q),
        loc.as_ref()
            .map(|l| format!("-{}", short_link::slug(&l.id)))
            .unwrap_or_default()
    );
    let code = qr::qr_svg(&qr_text, Ecl::M);
    let error = RwSignal::new(None::<String>);
    let short = d.short.clone().map(|s| {
        let url = short_link::short_link_url(&app_url, &s);
        let file = short_link::file_name(&s.name);
        let q = q.clone();
        let download_file = {
            let file = file.clone();
            move |_| {
                if let Err(e) = crate::web::platform::download_text(
                    &file,
                    "application/json",
                    &questionnaire_file::to_string(&q),
                ) {
                    error.set(Some(e));
                }
            }
        };
        view! {
            <div class="notice" role="note">
                <p>{move || i18n.t(Msg::QrTooBig)}</p>
                <p>{move || i18n.t(Msg::ShortLinkHowTo)}</p>
            </div>
            <LinkField id="distribute-short-link" label=Msg::ShortLinkLabel url=Signal::stored(Some(url)) />
            <div class="field">
                <label for="distribute-short-file">{move || i18n.t(Msg::ShortLinkFileName)}</label>
                <input id="distribute-short-file" type="text" readonly prop:value=file />
            </div>
            <button type="button" on:click=download_file>{move || i18n.t(Msg::DownloadShortLinkFile)}</button>
        }
    });
    let qr_view = match code {
        Err(_) => {
            view! { <p role="alert" class="error">{move || i18n.t(Msg::QrTooBigForAnyCode)}</p> }
                .into_any()
        }
        Ok((svg, version)) => {
            let src = qr::svg_data_url(&svg);
            let svg_name = format!("{file_stem}.svg");
            let png_name = format!("{file_stem}.png");
            let text = qr_text.clone();
            let download_svg = move |_| {
                if let Err(e) =
                    crate::web::platform::download_text(&svg_name, "image/svg+xml", &svg)
                {
                    error.set(Some(e));
                }
            };
            let download_png = move |_| {
                let result = qr::qr_png(&text, Ecl::M, PNG_SCALE)
                    .map_err(|e| e.message(i18n.lang.get_untracked()))
                    .and_then(|(png, _)| {
                        crate::web::platform::download_bytes(&png_name, "image/png", &png)
                    });
                if let Err(e) = result {
                    error.set(Some(e));
                }
            };
            view! {
                <figure class="qr">
                    <img src=src alt=move || i18n.t(Msg::QrCodeOfLink) />
                    <figcaption>
                        <dl class="qr-facts">
                            <dt>{move || i18n.t(Msg::QrVersionLabel)}</dt>
                            <dd data-testid="qr-version">{version}</dd>
                            <dt>{move || i18n.t(Msg::QrEclLabel)}</dt>
                            <dd>{move || i18n.t(Msg::QrEclM)}</dd>
                        </dl>
                    </figcaption>
                </figure>
                <div class="actions">
                    <button type="button" on:click=download_svg>{move || i18n.t(Msg::DownloadQrSvg)}</button>
                    <button type="button" on:click=download_png>{move || i18n.t(Msg::DownloadQrPng)}</button>
                </div>
            }
            .into_any()
        }
    };
    let poster = |size: PosterSize, msg: Msg| {
        let href = Route::Poster {
            size,
            id: q.id.clone(),
            version: q.version,
            location: loc.as_ref().map(|l| l.id.clone()),
        }
        .to_hash();
        view! { <li><a href=href>{move || i18n.t(msg)}</a></li> }
    };
    let setup = crate::kiosk::KioskSetup {
        questionnaire_id: q.id.clone(),
        questionnaire_version: q.version,
        location_id: loc.as_ref().map(|l| l.id.clone()).unwrap_or_default(),
    };
    // The same kiosk started from the tablet itself: the manager opens this
    // link there (`respondent::link`, behind the tablet's own PIN).
    let inbox_on = inbox.is_some();
    let kiosk_link = crate::link::link_url(
        &app_url,
        &crate::link::LinkPayload {
            location: loc.clone(),
            mode: LinkMode::Kiosk,
            inbox: inbox.map(crate::delivery::LinkTarget::from),
            ..crate::link::LinkPayload::new(q.clone())
        },
    );
    let short_form = inbox_on.then(|| {
        let link = RwSignal::new(None::<String>);
        let busy = RwSignal::new(false);
        let form = Form {
            questionnaire: q.clone(),
            mode: LinkMode::Customer,
            locations: vec![],
            employees: vec![],
        };
        let form = StoredValue::new(form);
        let loc = loc.clone();
        let make = move |_| {
            busy.set(true);
            let loc = loc.clone();
            leptos::task::spawn_local(async move {
                let result = match storage::shared().await {
                    Ok(store) => team::publish_form(&store, &form.get_value(), loc).await,
                    Err(e) => Err(team::PublishFailure::Storage(e)),
                };
                busy.set(false);
                match result {
                    Ok(url) => link.set(url),
                    Err(e) => error.set(Some(e.message(i18n.lang.get_untracked()))),
                }
            });
        };
        view! {
            <section aria-labelledby="short-form-heading">
                <h2 id="short-form-heading">{move || i18n.t(Msg::ShortFormLinkLabel)}</h2>
                <p>{move || i18n.t(Msg::ShortFormLinkExplain)}</p>
                {move || match link.get() {
                    None => view! {
                        <button type="button" on:click=make.clone() disabled=move || busy.get()>
                            {move || i18n.t(Msg::ShortFormLinkMake)}
                        </button>
                    }.into_any(),
                    Some(url) => {
                        let qr = qr::qr_svg(&url, Ecl::M).ok().map(|(svg, _)| qr::svg_data_url(&svg));
                        view! {
                            <LinkField id="distribute-form-link" label=Msg::ShortFormLinkLabel url=Signal::stored(Some(url.clone())) qr=false />
                            {qr.map(|src| view! {
                                <figure class="qr"><img src=src alt=move || i18n.t(Msg::ShortFormLinkQr) /></figure>
                            })}
                        }.into_any()
                    }
                }}
            </section>
        }
    });
    let start = move |_| {
        let setup = setup.clone();
        // Full screen needs the click's user activation: asked for here,
        // before any await.
        crate::web::platform::request_fullscreen();
        leptos::task::spawn_local(async move {
            if let Err(e) = start_kiosk(setup).await {
                error.set(Some(e.0));
            }
        });
    };
    view! {
        <div class="warning" role="note">
            <p>{move || i18n.t(Msg::OwnPhoneWarning)}</p>
        </div>
        <LinkField id="distribute-link" label=Msg::CustomerLinkLabel url=Signal::stored(Some(d.full_link.clone())) qr=false />
        {short}
        {qr_view}
        {short_form}
        {move || error.get().map(|e| view! { <div role="alert" class="error"><p>{e}</p></div> })}
        <section aria-labelledby="posters-heading">
            <h2 id="posters-heading">{move || i18n.t(Msg::PostersHeading)}</h2>
            <ul class="plain-list">
                {poster(PosterSize::A4, Msg::PosterA4)}
                {poster(PosterSize::A5, Msg::PosterA5)}
            </ul>
        </section>
        <section aria-labelledby="kiosk-heading">
            <h2 id="kiosk-heading">{move || i18n.t(Msg::KioskHeading)}</h2>
            <p>{move || i18n.t(Msg::KioskExplain)}</p>
            <LinkField id="distribute-kiosk-link" label=Msg::KioskLinkLabel url=Signal::stored(Some(kiosk_link)) />
            {if pin_set {
                view! { <button type="button" class="primary" on:click=start>{move || i18n.t(Msg::StartKiosk)}</button> }.into_any()
            } else {
                view! { <p><a href=Route::Settings.to_hash()>{move || i18n.t(Msg::KioskNeedsPin)}</a></p> }.into_any()
            }}
        </section>
    }
}
