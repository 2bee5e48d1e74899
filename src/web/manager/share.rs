//! A link the app made, with what hands it on: Copy, Share (the phone's
//! share sheet, where the browser has one) and its QR code. A link too long
//! for a messenger message or for a code a phone reads says so, and offers
//! the short link where the caller can make one. Shared by the editor, the
//! links screen of a questionnaire and Distribution.

use leptos::prelude::*;

use crate::distribution::link_reach;
use crate::distribution::qr::{self, Ecl};
use crate::i18n::{self, Msg};
use crate::web::platform;
use crate::web::ui::i18n::use_i18n;

#[component]
pub fn LinkField(
    /// The text field's id, unique on the page.
    id: &'static str,
    label: Msg,
    /// `None` while the link is being made.
    #[prop(into)]
    url: Signal<Option<String>>,
    /// Whether to offer the QR code here (Distribution shows its own).
    #[prop(default = true)]
    qr: bool,
    /// Makes a short link (the team server's form) when the link is too
    /// long; absent where none can be made.
    #[prop(default = None)]
    shorten: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let said = RwSignal::new(None::<Msg>);
    let qr_open = RwSignal::new(false);
    let named = move |m: Msg| format!("{}: {}", i18n.t(m), i18n.t(label));
    let copy = move |_| {
        let Some(text) = url.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            said.set(Some(match platform::copy_text(&text).await {
                Ok(()) => Msg::LinkCopied,
                Err(_) => Msg::CopyFailed,
            }));
        });
    };
    let share = move |_| {
        let Some(text) = url.get_untracked() else {
            return;
        };
        let title = i18n.t(label).to_owned();
        leptos::task::spawn_local(async move {
            if platform::share_link(&title, &text).await.is_err() {
                said.set(Some(Msg::ShareFailed));
            }
        });
    };
    let reach = move || url.with(|u| u.as_deref().map(link_reach));
    let qr_code = move || {
        let text = url.get()?;
        Some(match qr::qr_svg(&text, Ecl::M) {
            Ok((svg, _)) if qr::is_scannable(&text) => {
                let src = qr::svg_data_url(&svg);
                view! { <figure class="qr"><img src=src alt=move || named(Msg::QrOfLinkNamed) /></figure> }.into_any()
            }
            _ => view! { <p class="notice">{move || i18n.t(Msg::LinkQrTooDense)}</p> }.into_any(),
        })
    };
    view! {
        <div class="field">
            <label for=id>{move || i18n.t(label)}</label>
            <input id=id type="text" readonly prop:value=move || url.get().unwrap_or_default() on:focus=|ev| {
                use wasm_bindgen::JsCast;
                if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                    input.select();
                }
            } />
            <div class="actions">
                <button type="button" on:click=copy disabled=move || url.with(Option::is_none)
                    aria-label=move || named(Msg::CopyLink)>{move || i18n.t(Msg::CopyLink)}</button>
                {platform::can_share_links().then(|| view! {
                    <button type="button" on:click=share disabled=move || url.with(Option::is_none)
                        aria-label=move || named(Msg::ShareLink)>{move || i18n.t(Msg::ShareLink)}</button>
                })}
                {qr.then(|| view! {
                    <button type="button" aria-expanded=move || qr_open.get().to_string()
                        on:click=move |_| qr_open.update(|o| *o = !*o)
                        aria-label=move || named(Msg::ShowQr)>{move || i18n.t(Msg::ShowQr)}</button>
                })}
            </div>
            <p role="status">{move || said.get().map(|m| i18n.t(m))}</p>
            {move || reach().filter(|r| !r.messenger).map(|r| view! {
                <div class="notice" role="note">
                    <p>{move || i18n::link_too_long(i18n.lang.get(), r.chars)}</p>
                    {shorten.map(|make| view! {
                        <button type="button" on:click=move |_| make.run(())>{move || i18n.t(Msg::ShortFormLinkMake)}</button>
                    })}
                </div>
            })}
            {move || (qr && qr_open.get()).then(qr_code)}
        </div>
    }
}

/// The links of a published questionnaire version: for shoppers and staff,
/// and for customers when it is a survey, each with its short link on
/// demand where a team server is set up. The short link is the team
/// server's form: for a checklist it carries this device's stores and
/// staff, so the shopper picks the real ones.
#[component]
pub fn QuestionnaireLinks(
    #[prop(into)] questionnaire: Signal<crate::domain::Questionnaire>,
) -> impl IntoView {
    use crate::distribution::form_link::Form;
    use crate::domain::QuestionnaireKind;
    use crate::link::{self, LinkMode, LinkPayload};
    use crate::web::manager::team;
    use crate::web::storage;

    let i18n = use_i18n();
    let app_url = platform::app_url();
    // Where answers go while the inbox is on; the links wait for it, so a
    // link copied early never lacks it.
    let inbox = LocalResource::new(|| async {
        let store = storage::shared().await.ok()?;
        team::inbox_target(&store).await.ok()?
    });
    let error = RwSignal::new(None::<String>);
    let url_for = move |mode: LinkMode| {
        let app_url = app_url.clone();
        Signal::derive(move || {
            let target = inbox.get()?;
            let mut payload = LinkPayload::new(questionnaire.get());
            payload.mode = mode;
            payload.inbox = target.map(crate::delivery::LinkTarget::from);
            Some(link::link_url(&app_url, &payload))
        })
    };
    let short_for = move |mode: LinkMode, made: RwSignal<Option<String>>| {
        let has_server = move || inbox.get().flatten().is_some();
        let make = Callback::new(move |()| {
            leptos::task::spawn_local(async move {
                let published = async {
                    let store = storage::shared()
                        .await
                        .map_err(team::PublishFailure::Storage)?;
                    let (locations, employees) = if mode == LinkMode::Fill {
                        (
                            store
                                .locations()
                                .await
                                .map_err(team::PublishFailure::Storage)?,
                            store
                                .employees()
                                .await
                                .map_err(team::PublishFailure::Storage)?,
                        )
                    } else {
                        (vec![], vec![])
                    };
                    let form = Form {
                        questionnaire: questionnaire.get_untracked(),
                        mode,
                        locations,
                        employees,
                    };
                    team::publish_form(&store, &form, None).await
                };
                match published.await {
                    Ok(url) => made.set(url),
                    Err(e) => error.set(Some(e.message(i18n.lang.get_untracked()))),
                }
            });
        });
        (has_server, make)
    };
    let fill_url = url_for(LinkMode::Fill);
    let customer_url = url_for(LinkMode::Customer);
    let is_survey = move || questionnaire.with(|q| q.kind == QuestionnaireKind::Survey);
    let fill_short = RwSignal::new(None::<String>);
    let customer_short = RwSignal::new(None::<String>);
    let (fill_server, make_fill) = short_for(LinkMode::Fill, fill_short);
    let (customer_server, make_customer) = short_for(LinkMode::Customer, customer_short);
    view! {
        <section aria-labelledby="share-heading">
            <h2 id="share-heading">{move || i18n.t(Msg::ShareLinks)}</h2>
            <LinkField id="link-fill" label=Msg::LinkForShoppers url=fill_url />
            // Offered whatever the length: the short link is how the stores
            // and staff reach the shopper.
            {move || (fill_server() && fill_short.with(Option::is_none)).then(|| view! {
                <button type="button" on:click=move |_| make_fill.run(())>{move || i18n.t(Msg::ShortLinkWithStores)}</button>
            })}
            {move || fill_short.get().map(|u| view! { <LinkField id="link-fill-short" label=Msg::ShortLinkForShoppers url=Signal::stored(Some(u)) /> })}
            {move || is_survey().then(|| view! {
                <LinkField id="link-customer" label=Msg::LinkForCustomers url=customer_url
                    shorten=customer_server().then_some(make_customer) />
            })}
            {move || customer_short.get().map(|u| view! { <LinkField id="link-customer-short" label=Msg::ShortLinkForCustomers url=Signal::stored(Some(u)) /> })}
            {move || error.get().map(|e| view! { <div role="alert" class="error"><p>{e}</p></div> })}
        </section>
    }
}
