//! A printable poster for a survey at a location: the call to action, the
//! survey's title, its QR code and the location's name. The print
//! stylesheet (style/main.css) hides the app's chrome; the paper size is
//! in `poster-a4.css` / `poster-a5.css`, linked while the poster is shown.

use leptos::prelude::*;

use super::team;
use crate::distribution::qr::{self, Ecl};
use crate::distribution::short_link::plan;
use crate::i18n::Msg;
use crate::link::LinkMode;
use crate::routes::{PosterSize, Route};
use crate::web::storage::{self, StorageError};
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources;
use crate::web::ui::status::{Loading, StorageFailure};

#[component]
pub fn PosterPage(
    size: PosterSize,
    id: String,
    version: u32,
    location: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = LocalResource::new(move || {
        let (id, location) = (id.clone(), location.clone());
        async move {
            let store = storage::shared().await?;
            let q = resources::questionnaire(&store, &id, version).await?;
            let loc = match location {
                Some(l) => store.locations().await?.into_iter().find(|x| x.id == l),
                None => None,
            };
            let inbox = team::inbox_target(&store).await?;
            Ok::<_, StorageError>((q, loc, inbox))
        }
    });
    let print = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        // The paper size, for as long as the poster is on screen.
        <link rel="stylesheet" href=format!("poster-{}.css", size.code()) />
        <div class="poster-actions">
            <button type="button" class="primary" on:click=print>{move || i18n.t(Msg::PrintPoster)}</button>
            <a href=Route::Distribute.to_hash()>{move || i18n.t(Msg::BackToDistribution)}</a>
        </div>
        {move || match loaded.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(e)) => view! { <StorageFailure detail=e.0 /> }.into_any(),
            Some(Ok((None, _, _))) => view! {
                <p role="alert" class="error">{move || i18n.t(Msg::PosterNotFound)}</p>
            }.into_any(),
            Some(Ok((Some(q), loc, inbox))) => {
                let app_url = crate::web::platform::app_url();
                let text = plan(&app_url, &q, loc.as_ref(), LinkMode::Customer, inbox.as_ref())
                    .qr_text(&app_url);
                let src = qr::qr_svg(&text, Ecl::M).ok().map(|(svg, _)| qr::svg_data_url(&svg));
                // Customers read the poster: their headline, not our name.
                let heading = StoredValue::new(q.clone());
                let class = format!("poster poster-{}", size.code());
                view! {
                    <article class=class aria-label=move || i18n.t(match size {
                        PosterSize::A4 => Msg::PosterA4,
                        PosterSize::A5 => Msg::PosterA5,
                    })>
                        <p class="poster-cta">{move || i18n.t(Msg::PosterCallToAction)}</p>
                        <h1 class="poster-title">{move || heading.with_value(|q| q.public_heading(i18n.lang.get()).to_owned())}</h1>
                        {src.map(|src| view! { <img class="poster-qr" src=src alt=move || i18n.t(Msg::QrCodeOfLink) /> })}
                        <p class="poster-hint">{move || i18n.t(Msg::PosterScanHint)}</p>
                        {loc.map(|l| view! { <p class="poster-location">{l.name}</p> })}
                    </article>
                }.into_any()
            }
        }}
    }
}
