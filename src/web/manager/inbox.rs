//! Answers from the field (`#/inbox`): the team server (address, database
//! names, the manager's sign-in, kept on this device), setting it up with
//! an administrator's password, the team key (make, save as a file, bring
//! from another device, replace while keeping the old ones), turning the
//! inbox on (only once the key file was saved this session), getting new
//! answers and the list of what was set aside.

use leptos::prelude::*;

use crate::delivery::server::{DEFAULT_FORMS_DB, DEFAULT_INBOX_DB, DEFAULT_TEAM_DB};
use crate::delivery::{NoAnswer, ServerConfig};
use crate::i18n::{self, Lang, Msg};
use crate::inbox::settings::{may_turn_on, ManagerInbox, StoredTeamKey};
use crate::inbox::{InboxPull, StoredQuarantine};
use crate::seal::{self, KeyRing};
use crate::uri::encode_component;
use crate::web::manager::team::{self, PullFailure, Pulled};
use crate::web::platform;
use crate::web::storage::{self, StorageError};
use crate::web::transport::{probe, send};
use crate::web::ui::i18n::use_i18n;

/// A key file is a few hundred bytes; anything much larger is not one.
const MAX_KEY_FILE_BYTES: usize = 64 * 1024;

fn storage_text(e: StorageError) -> String {
    e.0
}

fn pull_text(e: PullFailure, lang: Lang) -> String {
    match e {
        PullFailure::Server(e) => e.message(lang),
        PullFailure::Storage(e) => format!("{} {}", Msg::StorageUnavailable.text(lang), e.0),
    }
}

/// "Test connection": reads the inbox's feed as the pull will, and on no
/// answer asks the browser whether the server is there at all.
async fn test_connection(s: &ManagerInbox, lang: Lang) -> Result<(), String> {
    let db = format!("/{}", encode_component(s.server.inbox_db()));
    let mut pull = InboxPull::new(&db, None, 1);
    let allowed = team::allowed(&s.server);
    match send(&pull.request(), s.server.url(), s.auth(), &allowed).await {
        Ok(answer) => pull.read(&answer).map(|_| ()).map_err(|e| e.message(lang)),
        Err(e) => {
            let mut why = NoAnswer::of(&e);
            if why == NoAnswer::Network {
                why = probe(s.server.origin(), &allowed).await;
            }
            Err(why.message(lang))
        }
    }
}

#[derive(Clone, Default)]
struct Loaded {
    server: Option<ManagerInbox>,
    keys: KeyRing,
    quarantine: Vec<StoredQuarantine>,
}

async fn load() -> Result<Loaded, StorageError> {
    let store = storage::shared().await?;
    Ok(Loaded {
        server: store.inbox_server().await?,
        keys: store.key_ring().await?,
        quarantine: store.quarantined().await?,
    })
}

/// What the sections say after an action. Held by the page, since saving
/// reloads the stored state and draws the sections again.
#[derive(Clone, Copy)]
struct Notes {
    server: RwSignal<Option<Result<String, String>>>,
    setup: RwSignal<Option<Result<String, String>>>,
    key: RwSignal<Option<String>>,
    key_error: RwSignal<Option<String>>,
    /// The key whose file was downloaded; the manager still has to say it
    /// is kept.
    downloaded: RwSignal<Option<String>>,
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let notes = Notes {
        server: RwSignal::new(None),
        setup: RwSignal::new(None),
        key: RwSignal::new(None),
        key_error: RwSignal::new(None),
        downloaded: RwSignal::new(None),
    };
    let data = RwSignal::new(None::<Loaded>);
    let load_error = RwSignal::new(None::<String>);
    // The key whose file was saved since this screen opened: known to this
    // session only, so a device never "remembers" a file it cannot show.
    let saved_kid = RwSignal::new(None::<String>);
    let pulled = RwSignal::new(None::<Result<Pulled, String>>);
    let pulling = RwSignal::new(false);
    let auto_pulled = StoredValue::new(false);

    let pull_now = move || {
        if pulling.get_untracked() {
            return;
        }
        let Some(Some(server)) = data.with_untracked(|d| d.as_ref().map(|d| d.server.clone()))
        else {
            return;
        };
        pulling.set(true);
        leptos::task::spawn_local(async move {
            let lang = i18n.lang.get_untracked();
            let result = match storage::shared().await {
                Ok(store) => team::pull(&store, &server)
                    .await
                    .map_err(|e| pull_text(e, lang)),
                Err(e) => Err(storage_text(e)),
            };
            pulled.set(Some(result));
            if let Ok(l) = load().await {
                data.set(Some(l));
            }
            pulling.set(false);
        });
    };

    let reload = move || {
        leptos::task::spawn_local(async move {
            match load().await {
                Ok(l) => {
                    let on = l.server.as_ref().is_some_and(|s| s.on);
                    data.set(Some(l));
                    // Opening the screen with the inbox on gets new answers.
                    if on && !auto_pulled.get_value() {
                        auto_pulled.set_value(true);
                        pull_now();
                    }
                }
                Err(e) => load_error.set(Some(storage_text(e))),
            }
        });
    };
    reload();

    view! {
        <h1>{move || i18n.t(Msg::InboxTitle)}</h1>
        <p>{move || i18n.t(Msg::InboxIntro)}</p>
        {move || load_error.get().map(|e| view! { <crate::web::ui::status::StorageFailure detail=e /> })}
        {move || match data.get() {
            None => view! { <crate::web::ui::status::Loading /> }.into_any(),
            Some(d) => view! {
                <ServerSection server=d.server.clone() notes on_saved=Callback::new(move |_| reload()) />
                <KeySection keys=d.keys.clone() saved_kid notes on_changed=Callback::new(move |_| reload()) />
                <OnSection server=d.server.clone() keys=d.keys.clone() saved_kid on_changed=Callback::new(move |_| reload()) />
                <PullSection on=d.server.as_ref().is_some_and(|s| s.on) pulled pulling on_pull=Callback::new(move |_| pull_now()) />
                <QuarantineSection entries=d.quarantine.clone() />
            }.into_any(),
        }}
    }
}

#[component]
fn ServerSection(
    server: Option<ManagerInbox>,
    notes: Notes,
    on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = server.clone();
    let url = RwSignal::new(
        s.as_ref()
            .map(|s| s.server.url().to_owned())
            .unwrap_or_default(),
    );
    let inbox_db = RwSignal::new(
        s.as_ref()
            .map_or(DEFAULT_INBOX_DB, |s| s.server.inbox_db())
            .to_owned(),
    );
    let forms_db = RwSignal::new(
        s.as_ref()
            .map_or(DEFAULT_FORMS_DB, |s| s.server.forms_db())
            .to_owned(),
    );
    let team_db = RwSignal::new(
        s.as_ref()
            .map_or(DEFAULT_TEAM_DB, |s| s.server.team_db())
            .to_owned(),
    );
    let user = RwSignal::new(s.as_ref().map(|s| s.user.clone()).unwrap_or_default());
    let password = RwSignal::new(s.as_ref().map(|s| s.password.clone()).unwrap_or_default());
    let was_on = s.as_ref().is_some_and(|s| s.on);
    let status = notes.server;
    let admin = RwSignal::new(String::new());
    let admin_password = RwSignal::new(String::new());
    let setup_status = notes.setup;
    let busy = RwSignal::new(false);

    let typed = move || -> Result<ManagerInbox, String> {
        let lang = i18n.lang.get_untracked();
        let server = ServerConfig::parse(
            &url.get_untracked(),
            &inbox_db.get_untracked(),
            &forms_db.get_untracked(),
            &team_db.get_untracked(),
        )
        .map_err(|e| e.message(lang))?;
        Ok(ManagerInbox {
            server,
            user: user.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            on: was_on,
        })
    };
    let save = move |_| {
        let lang = i18n.lang.get_untracked();
        let s = match typed() {
            Ok(s) => s,
            Err(e) => return status.set(Some(Err(e))),
        };
        leptos::task::spawn_local(async move {
            let result = match storage::shared().await {
                Ok(store) => store.put_inbox_server(&s).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    status.set(Some(Ok(Msg::ServerSaved.text(lang).to_owned())));
                    on_saved.run(());
                }
                Err(e) => status.set(Some(Err(storage_text(e)))),
            }
        });
    };
    let test = move |_| {
        let lang = i18n.lang.get_untracked();
        let s = match typed() {
            Ok(s) => s,
            Err(e) => return status.set(Some(Err(e))),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = test_connection(&s, lang)
                .await
                .map(|()| Msg::ConnectionOk.text(lang).to_owned());
            status.set(Some(result));
            busy.set(false);
        });
    };
    let set_up = move |_| {
        let lang = i18n.lang.get_untracked();
        let s = match typed() {
            Ok(s) => s,
            Err(e) => return setup_status.set(Some(Err(e))),
        };
        let (name, pw) = (admin.get_untracked(), admin_password.get_untracked());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = team::set_up(&s.server, name.trim(), &pw)
                .await
                .map(|_| Msg::ServerSetUp.text(lang).to_owned())
                .map_err(|e| e.message(lang));
            // The admin's password is used once and kept nowhere.
            admin_password.set(String::new());
            setup_status.set(Some(result));
            busy.set(false);
        });
    };
    let text_field = move |id: &'static str,
                           label: Msg,
                           value: RwSignal<String>,
                           kind: &'static str,
                           auto: &'static str| {
        view! {
            <div class="field">
                <label for=id>{move || i18n.t(label)}</label>
                <input id=id type=kind autocomplete=auto prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    let shown = |s: RwSignal<Option<Result<String, String>>>| {
        move || {
            s.get().map(|r| match r {
                Ok(t) => view! { <p role="status" class="notice">{t}</p> }.into_any(),
                Err(e) => view! { <div role="alert" class="error"><p>{e}</p></div> }.into_any(),
            })
        }
    };
    view! {
        <section aria-labelledby="server-heading">
            <h2 id="server-heading">{move || i18n.t(Msg::TeamServerHeading)}</h2>
            <p class="muted">{move || i18n.t(Msg::StaysOnDevice)}</p>
            {text_field("server-url", Msg::ServerUrlLabel, url, "url", "url")}
            <details>
                <summary>{move || i18n.t(Msg::DatabaseNames)}</summary>
                {text_field("server-inbox-db", Msg::InboxDbLabel, inbox_db, "text", "off")}
                {text_field("server-forms-db", Msg::FormsDbLabel, forms_db, "text", "off")}
                {text_field("server-team-db", Msg::TeamDbLabel, team_db, "text", "off")}
            </details>
            {text_field("server-user", Msg::ManagerUserLabel, user, "text", "username")}
            {text_field("server-password", Msg::ManagerPasswordLabel, password, "password", "current-password")}
            <div class="toolbar">
                <button type="button" class="primary" on:click=save>{move || i18n.t(Msg::SaveServer)}</button>
                <button type="button" on:click=test disabled=move || busy.get()>{move || i18n.t(Msg::TestConnection)}</button>
            </div>
            {shown(status)}
        </section>
        <section aria-labelledby="setup-heading">
            <h2 id="setup-heading">{move || i18n.t(Msg::SetUpHeading)}</h2>
            <p>{move || i18n.t(Msg::SetUpHelp)}</p>
            {text_field("setup-admin", Msg::AdminUserLabel, admin, "text", "off")}
            {text_field("setup-admin-password", Msg::AdminPasswordLabel, admin_password, "password", "off")}
            <button type="button" on:click=set_up disabled=move || busy.get()>{move || i18n.t(Msg::SetUpServer)}</button>
            {shown(setup_status)}
        </section>
    }
}

#[component]
fn KeySection(
    keys: KeyRing,
    saved_kid: RwSignal<Option<String>>,
    notes: Notes,
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = keys.current().cloned();
    let older: Vec<String> = keys
        .keys()
        .filter(|k| Some(k.kid()) != current.as_ref().map(|c| c.kid()))
        .map(|k| k.kid().to_owned())
        .collect();
    let error = notes.key_error;
    let notice = notes.key;
    let passphrase = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let downloaded = notes.downloaded;
    let import_passphrase = RwSignal::new(String::new());
    let import_file = RwSignal::new_local(None::<web_sys::File>);
    let busy = RwSignal::new(false);

    let make = move |_| {
        let key = seal::TeamKeyPair::generate(&mut seal::system_rng());
        let record = StoredTeamKey::new(&key, platform::now().utc_ms);
        leptos::task::spawn_local(async move {
            let result = match storage::shared().await {
                Ok(store) => store.put_team_key(&record).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => on_changed.run(()),
                Err(e) => error.set(Some(storage_text(e))),
            }
        });
    };
    let current_for_save = current.clone();
    let save_file = move |_| {
        let lang = i18n.lang.get_untracked();
        let Some(key) = current_for_save.clone() else {
            return;
        };
        let (p, q) = (passphrase.get_untracked(), again.get_untracked());
        if p != q {
            return error.set(Some(Msg::PassphrasesDiffer.text(lang).to_owned()));
        }
        busy.set(true);
        error.set(None);
        // The key derivation takes a moment: let the page show it is busy.
        leptos::task::spawn_local(async move {
            platform::sleep(0).await;
            let result = seal::export_key_file(&key, &p, &mut seal::system_rng())
                .map_err(|e| e.message(lang))
                .and_then(|text| {
                    platform::download_text(
                        &format!("servicelens-team-key-{}.json", key.kid()),
                        "application/json",
                        &text,
                    )
                });
            match result {
                Ok(()) => {
                    downloaded.set(Some(key.kid().to_owned()));
                    passphrase.set(String::new());
                    again.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let confirm_saved = move |_| {
        if let Some(kid) = downloaded.get_untracked() {
            saved_kid.set(Some(kid));
        }
    };
    let had_current = current.is_some();
    let import = move |_| {
        let lang = i18n.lang.get_untracked();
        let Some(file) = import_file.get_untracked() else {
            return error.set(Some(Msg::ChooseKeyFile.text(lang).to_owned()));
        };
        let p = import_passphrase.get_untracked();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = async {
                let text = platform::read_file_text(&file, MAX_KEY_FILE_BYTES)
                    .await
                    .map_err(|e| e.message(lang))?;
                platform::sleep(0).await;
                let key = seal::import_key_file(&text, &p).map_err(|e| e.message(lang))?;
                let store = storage::shared().await.map_err(storage_text)?;
                let ring = store.key_ring().await.map_err(storage_text)?;
                if ring.get(key.kid()).is_some() {
                    return Ok(Msg::KeyAlreadyHere.text(lang).to_owned());
                }
                // An imported key becomes current only on a device without
                // one: an old key must not silently replace the key new
                // links are made with.
                let since = if had_current {
                    0
                } else {
                    platform::now().utc_ms
                };
                store
                    .put_team_key(&StoredTeamKey::new(&key, since))
                    .await
                    .map_err(storage_text)?;
                Ok(Msg::KeyImported.text(lang).to_owned())
            }
            .await;
            match result {
                Ok(t) => {
                    notice.set(Some(t));
                    import_passphrase.set(String::new());
                    on_changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let pw_field = move |id: &'static str, label: Msg, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{move || i18n.t(label)}</label>
                <input id=id type="password" autocomplete="new-password" prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    let min_chars = seal::MIN_PASSPHRASE_CHARS;
    let kid = current.as_ref().map(|k| k.kid().to_owned());
    let kid_for_saved = kid.clone();
    view! {
        <section aria-labelledby="key-heading">
            <h2 id="key-heading">{move || i18n.t(Msg::TeamKeyHeading)}</h2>
            <p>{move || i18n.t(Msg::TeamKeyExplain)}</p>
            <div class="warning" role="note"><p>{move || i18n.t(Msg::KeyFileWarning)}</p></div>
            {match kid.clone() {
                None => view! {
                    <button type="button" class="primary" on:click=make>{move || i18n.t(Msg::MakeTeamKey)}</button>
                }.into_any(),
                Some(kid) => view! {
                    <p>{move || i18n.t(Msg::CurrentKeyLabel)}" "<code>{kid.clone()}</code></p>
                    <h3>{move || i18n.t(Msg::SaveKeyFileHeading)}</h3>
                    <p>{move || i18n::passphrase_rule(i18n.lang.get(), min_chars)}</p>
                    {pw_field("key-passphrase", Msg::PassphraseLabel, passphrase)}
                    {pw_field("key-passphrase-again", Msg::PassphraseAgainLabel, again)}
                    <button type="button" class="primary" on:click=save_file disabled=move || busy.get()>{move || i18n.t(Msg::SaveKeyFile)}</button>
                }.into_any(),
            }}
            {move || {
                let current = kid_for_saved.clone();
                let saved = saved_kid.get().is_some() && saved_kid.get() == current;
                let pending = downloaded.get().is_some() && downloaded.get() == current && !saved;
                if saved {
                    Some(view! { <p role="status" class="notice">{move || i18n.t(Msg::KeyFileSaved)}</p> }.into_any())
                } else if pending {
                    Some(view! {
                        <div role="status" class="notice">
                            <p>{move || i18n.t(Msg::KeyFileDownloaded)}</p>
                            <button type="button" class="primary" on:click=confirm_saved>{move || i18n.t(Msg::ConfirmKeyFileSaved)}</button>
                        </div>
                    }.into_any())
                } else {
                    None
                }
            }}
            {(!older.is_empty()).then(|| view! {
                <p>{move || i18n.t(Msg::OlderKeysLabel)}</p>
                <ul class="plain-list">{older.iter().map(|k| view! { <li><code>{k.clone()}</code></li> }).collect_view()}</ul>
            })}
            {had_current.then(|| view! {
                <h3>{move || i18n.t(Msg::NewKeyHeading)}</h3>
                <p>{move || i18n.t(Msg::NewKeyExplain)}</p>
                <button type="button" on:click=make>{move || i18n.t(Msg::MakeNewTeamKey)}</button>
            })}
            <h3>{move || i18n.t(Msg::ImportKeyHeading)}</h3>
            <p>{move || i18n.t(Msg::ImportKeyHelp)}</p>
            <div class="field">
                <label for="key-file">{move || i18n.t(Msg::KeyFileLabel)}</label>
                <input id="key-file" type="file" accept=".json,application/json" on:change=move |ev| {
                    use wasm_bindgen::JsCast;
                    let file = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        .and_then(|i| i.files())
                        .and_then(|f| f.get(0));
                    import_file.set(file);
                } />
            </div>
            {pw_field("import-passphrase", Msg::ImportPassphraseLabel, import_passphrase)}
            <button type="button" on:click=import disabled=move || busy.get()>{move || i18n.t(Msg::ImportKey)}</button>
            {move || busy.get().then(|| view! { <p role="status">{move || i18n.t(Msg::Working)}</p> })}
            {move || notice.get().map(|t| view! { <p role="status" class="notice">{t}</p> })}
            {move || error.get().map(|e| view! { <div role="alert" class="error"><p>{e}</p></div> })}
        </section>
    }
}

#[component]
fn OnSection(
    server: Option<ManagerInbox>,
    keys: KeyRing,
    saved_kid: RwSignal<Option<String>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let is_on = server.as_ref().is_some_and(|s| s.on);
    let stored = StoredValue::new(server.clone());
    let set_on = move |on: bool| {
        let lang = i18n.lang.get_untracked();
        let Some(mut s) = stored.get_value() else {
            return error.set(Some(Msg::SaveServerFirst.text(lang).to_owned()));
        };
        s.on = on;
        leptos::task::spawn_local(async move {
            let result = match storage::shared().await {
                Ok(store) => store.put_inbox_server(&s).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => on_changed.run(()),
                Err(e) => error.set(Some(storage_text(e))),
            }
        });
    };
    let keys = StoredValue::new(keys);
    let blocked = move || keys.with_value(|k| may_turn_on(k, saved_kid.get().as_deref()).err());
    let turn_on = move |_| {
        if blocked().is_none() {
            set_on(true);
        }
    };
    view! {
        <section aria-labelledby="on-heading">
            <h2 id="on-heading">{move || i18n.t(Msg::InboxOnHeading)}</h2>
            <p role="status">{move || i18n.t(if is_on { Msg::InboxIsOn } else { Msg::InboxIsOff })}</p>
            {if is_on {
                view! { <button type="button" on:click=move |_| set_on(false)>{move || i18n.t(Msg::TurnInboxOff)}</button> }.into_any()
            } else {
                view! {
                    {move || blocked().map(|b| view! { <p class="muted">{b.message(i18n.lang.get())}</p> })}
                    <button type="button" class="primary" on:click=turn_on disabled=move || blocked().is_some()>{move || i18n.t(Msg::TurnInboxOn)}</button>
                }.into_any()
            }}
            {move || error.get().map(|e| view! { <div role="alert" class="error"><p>{e}</p></div> })}
        </section>
    }
}

#[component]
fn PullSection(
    on: bool,
    pulled: RwSignal<Option<Result<Pulled, String>>>,
    pulling: RwSignal<bool>,
    on_pull: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="pull-heading">
            <h2 id="pull-heading">{move || i18n.t(Msg::PullHeading)}</h2>
            {(!on).then(|| view! { <p class="muted">{move || i18n.t(Msg::PullNeedsInboxOn)}</p> })}
            <button type="button" class="primary" disabled=move || !on || pulling.get() on:click=move |_| on_pull.run(())>
                {move || i18n.t(Msg::GetNewAnswers)}
            </button>
            <p role="status">{move || {
                let lang = i18n.lang.get();
                if pulling.get() {
                    return Some(i18n.t(Msg::Pulling).to_owned());
                }
                match pulled.get()? {
                    Ok(p) => Some(i18n::pulled_answers(lang, p.added, p.set_aside)),
                    Err(_) => None,
                }
            }}</p>
            {move || match pulled.get() {
                Some(Err(e)) => Some(view! { <div role="alert" class="error"><p>{e}</p></div> }),
                _ => None,
            }}
        </section>
    }
}

#[component]
fn QuarantineSection(entries: Vec<StoredQuarantine>) -> impl IntoView {
    let i18n = use_i18n();
    let count = entries.len();
    view! {
        <section aria-labelledby="quarantine-heading">
            <h2 id="quarantine-heading">{move || i18n.t(Msg::QuarantineHeading)}</h2>
            <p>{move || i18n.t(Msg::QuarantineHelp)}</p>
            {if count == 0 {
                view! { <p class="muted">{move || i18n.t(Msg::QuarantineEmpty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list" aria-label=move || i18n.t(Msg::QuarantineHeading)>
                        {entries.into_iter().map(|q| {
                            let message = q.message.clone();
                            view! {
                                <li class="report error">
                                    <p>{move || message.get(i18n.lang.get()).to_owned()}</p>
                                    <p class="muted"><code>{q.doc_id.clone()}</code>" · "{move || q.at.display(i18n.lang.get())}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
