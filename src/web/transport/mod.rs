//! The browser's HTTP transport for the pure cores' requests (the sealed
//! inbox's delivery, team sync): `fetch`, and the one place where the
//! app's origin rule is enforced. Every request to a server goes through
//! [`send`], which refuses any URL [`Allowed`] does not allow before a
//! request exists.
//!
//! How each request is made, and why:
//! - `credentials: "omit"`: no cookies, ever. CouchDB's cookie sessions
//!   break when the app and the server are on different sites (third-party
//!   cookies), and Basic auth in a header is the one way the app signs in;
//! - `redirect: "manual"`: a redirect is reported, not followed, since it
//!   could lead to an origin the rule never saw;
//! - `cache: "no-store"`: replication reads must see the server, not a
//!   cached copy;
//! - `referrerPolicy: "no-referrer"`: the server has no need of the page's
//!   address;
//! - a timeout of [`TIMEOUT_MS`], longer than a long-poll `_changes`.
//!
//! Failures are [`TransportError`]s whose detail starts with the
//! [`NoAnswer`] case (see that module for what a browser lets a page tell
//! apart); [`probe`] tells "CORS not enabled" from "unreachable" for a
//! person's "Test connection".
//!
//! [`pump`] runs a field device's outbox over [`send`] on the browser's
//! events and timers, inside the courier module; [`courier`] is how the
//! pages reach that module.

pub mod courier;
pub mod pump;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, Headers, ReferrerPolicy, RequestCache, RequestCredentials, RequestInit,
    RequestMode, RequestRedirect, ResponseType, Url, Window,
};

use crate::delivery::{Allowed, NoAnswer, Origin, Scheme};
use crate::distribution::form_link;
use crate::link::LinkPayload;
use crate::replication::http::{Request, Response, TransportError};

/// The longest a request and its answer may take: above CouchDB's 60 s
/// long-poll default, and enough for a photo part over a slow phone link.
pub const TIMEOUT_MS: u32 = 90_000;
/// [`probe`] only needs the server to answer at all.
const PROBE_TIMEOUT_MS: u32 = 10_000;

/// Makes `req` against the server at `base` (a [`crate::delivery::ServerConfig::url`]:
/// no trailing slash; `req.path` starts with `/`), with Basic auth when
/// `auth` gives a user and password. Any status is an `Ok` answer; `Err`
/// means none came, or the request was refused before it was made.
pub async fn send(
    req: &Request,
    base: &str,
    auth: Option<(&str, &str)>,
    allowed: &Allowed,
) -> Result<Response, TransportError> {
    let url = format!("{base}{}", req.target());
    // The rule first, before anything else touches the URL.
    if !allowed.allows(&url) {
        return Err(refused(&url));
    }
    let window = web_sys::window().ok_or_else(|| NoAnswer::Broken.error("no window"))?;
    // Then the browser's own reading of the URL, which is what fetch would
    // use, must name an allowed origin too.
    let page = window.location().href().map_err(|e| broken(&e))?;
    let parsed = Url::new_with_base(&url, &page).map_err(|_| refused(&url))?;
    let target = match Origin::parse(&parsed.origin()) {
        Some(o) if allowed.allows_origin(&o) && parsed.username().is_empty() => o,
        _ => return Err(refused(&url)),
    };
    if let Some(own) = allowed.own_origin() {
        if own.scheme() == Scheme::Https && target.scheme() == Scheme::Http && !target.is_loopback()
        {
            return Err(NoAnswer::MixedContent.error(&url));
        }
    }

    let init = base_init(TIMEOUT_MS);
    init.set_method(req.method.as_str());
    init.set_mode(RequestMode::Cors);
    init.set_redirect(RequestRedirect::Manual);
    let headers = Headers::new().map_err(|e| broken(&e))?;
    for (name, value) in &req.headers {
        headers.append(name, value).map_err(|e| broken(&e))?;
    }
    if let Some((user, password)) = auth {
        let token = STANDARD.encode(format!("{user}:{password}"));
        headers
            .set("Authorization", &format!("Basic {token}"))
            .map_err(|e| broken(&e))?;
    }
    init.set_headers(&headers);
    if let Some(body) = &req.body {
        let text = serde_json::to_string(body).expect("a JSON value always serialises");
        init.set_body(&JsValue::from_str(&text));
    }

    let href = parsed.href();
    let answer = match JsFuture::from(window.fetch_with_str_and_init(&href, &init)).await {
        Ok(answer) => answer,
        Err(e) => return Err(diagnose(&window, &e)),
    };
    let response: web_sys::Response = answer
        .dyn_into()
        .map_err(|_| NoAnswer::Broken.error("fetch gave no Response"))?;
    if response.type_() == ResponseType::Opaqueredirect {
        return Err(NoAnswer::Redirected.error(&href));
    }
    let status = response.status();
    let buffer = response.array_buffer().map_err(|e| broken(&e))?;
    let buffer = JsFuture::from(buffer)
        .await
        .map_err(|e| match error_name(&e) {
            Some(name) if name == "TimeoutError" => NoAnswer::TimedOut.error(&error_text(&e)),
            _ => broken(&e),
        })?;
    Ok(Response::new(status, Uint8Array::new(&buffer).to_vec()))
}

/// What every request shares: no cookies, no cache, no referrer, a timeout.
fn base_init(timeout_ms: u32) -> RequestInit {
    let init = RequestInit::new();
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    init.set_signal(Some(&AbortSignal::timeout_with_u32(timeout_ms)));
    init
}

/// Names the failure of a fetch that got no answer (see
/// [`crate::delivery::no_answer`]), without another request.
fn diagnose(window: &Window, error: &JsValue) -> TransportError {
    let text = error_text(error);
    if error_name(error).as_deref() == Some("TimeoutError") {
        NoAnswer::TimedOut.error(&text)
    } else if !window.navigator().on_line() {
        NoAnswer::Offline.error(&text)
    } else {
        NoAnswer::Network.error(&text)
    }
}

/// After a [`NoAnswer::Network`], whether the server at `origin` is there
/// at all: [`NoAnswer::NoCors`] if it answers a `no-cors` GET of its root
/// (an opaque answer the page cannot read, which needs no CORS), else
/// [`NoAnswer::Unreachable`]; [`NoAnswer::Refused`] for an origin `allowed`
/// does not allow.
///
/// For a person's "Test connection" only, never for every failure: the
/// browser allows `no-cors` only with redirects followed, so a server that
/// redirects its root elsewhere would lead this one request off the
/// allowed origins. It carries no credentials, body or referrer.
pub async fn probe(origin: &Origin, allowed: &Allowed) -> NoAnswer {
    if !allowed.allows_origin(origin) {
        return NoAnswer::Refused;
    }
    let Some(window) = web_sys::window() else {
        return NoAnswer::Broken;
    };
    let init = base_init(PROBE_TIMEOUT_MS);
    init.set_method("GET");
    init.set_mode(RequestMode::NoCors);
    match JsFuture::from(window.fetch_with_str_and_init(&format!("{origin}/"), &init)).await {
        Ok(_) => NoAnswer::NoCors,
        Err(_) => NoAnswer::Unreachable,
    }
}

/// Reads the form a form link names from the team's forms database,
/// anonymously, and checks it ([`form_link::read`]): the one request a
/// field device makes before it has any answer to send. `Err` explains,
/// in the reader's words, why there is no form to show.
pub async fn fetch_form(
    link: &form_link::FormLink,
) -> Result<(LinkPayload, form_link::Form), FormFetchError> {
    let server = &link.target.server;
    let allowed = Allowed::new(&crate::web::platform::own_origin(), Some(server));
    let answer = send(
        &form_link::read_request(server, &link.name),
        server.url(),
        None,
        &allowed,
    )
    .await
    .map_err(|e| FormFetchError::Offline {
        detail: e.detail.clone(),
    })?;
    match answer.status {
        200 => {}
        404 => return Err(FormFetchError::Form(form_link::FormError::Missing)),
        status => return Err(FormFetchError::Server { status }),
    }
    if answer.body.len() > form_link::MAX_DOC_BYTES {
        return Err(FormFetchError::Form(form_link::FormError::TooLarge));
    }
    let text = String::from_utf8_lossy(&answer.body);
    form_link::read(&text, link).map_err(FormFetchError::Form)
}

/// Why a form could not be shown.
#[derive(Debug, Clone, PartialEq)]
pub enum FormFetchError {
    /// No answer from the server: usually no network yet.
    Offline {
        detail: String,
    },
    /// The server answered, but not with the form.
    Server {
        status: u16,
    },
    Form(form_link::FormError),
}

impl FormFetchError {
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Msg;
        match self {
            FormFetchError::Offline { .. } => Msg::FormLinkOffline.text(lang).to_owned(),
            FormFetchError::Server { .. } => Msg::FormLinkServerFailed.text(lang).to_owned(),
            FormFetchError::Form(e) => e.message(lang),
        }
    }
}

fn refused(url: &str) -> TransportError {
    NoAnswer::Refused.error(&format!(
        "{url} is neither the app's origin nor the configured server"
    ))
}

fn broken(error: &JsValue) -> TransportError {
    NoAnswer::Broken.error(&error_text(error))
}

/// `name` of a thrown `Error` or `DOMException` (`TypeError`,
/// `TimeoutError`, `AbortError`).
fn error_name(error: &JsValue) -> Option<String> {
    Reflect::get(error, &JsValue::from_str("name"))
        .ok()?
        .as_string()
}

fn error_text(error: &JsValue) -> String {
    let message = Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string());
    match (error_name(error), message) {
        (Some(name), Some(message)) => format!("{name}: {message}"),
        _ => format!("{error:?}"),
    }
}
