//! The customer's survey on the lean page, from the link to the thank-you:
//! the link is checked whole first (a broken or draft link gets its message
//! and stores nothing); Start saves the link's questionnaire and location on
//! the phone and creates the response; every answer is stored the moment it
//! is given; Submit checks the required questions, stores the submitted
//! response and thanks the customer, saying honestly that the answers stay
//! on this phone, or, when the link names the team's inbox, whether they
//! reached the shop (`super::deliver`).
//!
//! The same flow as `web::shell::link` (the full app's screen for old
//! `index.html#/q/…` links and shoppers' links), drawn with plain DOM calls;
//! what a link may store is decided once for both, in `link::adopt`.

mod question;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Array;
use uuid::Uuid;
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::dom::{add, clear, el, on, set_hidden, text_el};
use crate::delivery::Status;
use crate::domain::{Edit, Questionnaire, Response};
use crate::i18n::{answered_of, Lang, Msg};
use crate::link::adopt::{self, BuiltIn, Held, OnDevice, Refusal};
use crate::link::{self, LinkMode, LinkPayload};
use crate::routes::Route;
use crate::schema::{LOCATIONS, QUESTIONNAIRES, RESPONSES};
use crate::web::platform;
use crate::web::platform::idb::{self as db, DbError};

/// The full app, next to this page in the same build.
pub const APP_PAGE: &str = "./index.html";

/// Shows the link `payload` (what follows `#/q/`) in `root`.
pub fn open(root: &Element, payload: &str, lang: Lang) {
    clear(root);
    match link::decode(payload) {
        // A customer cannot act on a list of a questionnaire's problems.
        Err(e) => broken(root, lang, &e.summary(lang)),
        Ok(p) => show_payload(root, p, lang),
    }
}

fn show_payload(root: &Element, p: LinkPayload, lang: Lang) {
    {
        match adopt::admit(&p) {
            Err(refusal) => broken(root, lang, &refusal.message(lang)),
            // A tablet's kiosk runs in the full app, behind the manager's PIN.
            Ok(()) if p.mode == LinkMode::Kiosk => {
                platform::replace_location(&format!("{APP_PAGE}{}", platform::current_hash()))
            }
            Ok(()) => {
                if let Some(target) = &p.inbox {
                    super::deliver::resume(target, &p.questionnaire.id, p.questionnaire.version);
                }
                landing(root, Rc::new(p), lang)
            }
        }
    }
}

fn alert(message: &str) -> Element {
    let a = el("div", &[("role", "alert"), ("class", "error")]);
    add(&a, &text_el("p", &[], message));
    a
}

fn broken(root: &Element, lang: Lang, message: &str) {
    add(root, &text_el("h1", &[], Msg::LinkBroken.text(lang)));
    add(root, &alert(message));
    let back = el("p", &[]);
    add(
        &back,
        &text_el(
            "a",
            &[("href", &format!("{APP_PAGE}#/"))],
            Msg::BackHome.text(lang),
        ),
    );
    add(root, &back);
}

fn landing(root: &Element, p: Rc<LinkPayload>, lang: Lang) {
    let q = &p.questionnaire;
    add(root, &text_el("h1", &[], q.public_heading(lang)));
    let intro = q.public_introduction(lang);
    if !intro.trim().is_empty() {
        add(root, &text_el("p", &[], intro));
    }
    if let Some(place) = &p.location {
        let line = el("p", &[]);
        add(&line, &text_el("strong", &[], Msg::Location.text(lang)));
        let _ = line.append_with_str_1(&format!(": {}", place.name));
        add(root, &line);
    }
    let error = el("div", &[]);
    add(root, &error);
    let body = el("div", &[]);
    add(root, &body);
    let label = if p.mode == LinkMode::Fill {
        Msg::StartFilling
    } else {
        Msg::StartSurvey
    };
    let start = text_el(
        "button",
        &[("type", "button"), ("class", "primary")],
        label.text(lang),
    );
    let at_once = p.starts_at_once();
    add(&body, &start);
    if at_once {
        // Shown again only if starting fails, to try again.
        let _ = start.set_attribute("hidden", "");
    }
    let button = start.clone();
    on(&start, "click", move |_| {
        if button.has_attribute("disabled") {
            return;
        }
        let _ = button.set_attribute("disabled", "");
        let (p, body, error, button) = (p.clone(), body.clone(), error.clone(), button.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match adopt(&p).await {
                // A shopper's fill screens are the full app's.
                Ok(draft) if p.mode == LinkMode::Fill => platform::replace_location(&format!(
                    "{APP_PAGE}{}",
                    Route::Fill(draft.id).to_hash()
                )),
                Ok(draft) => run(&body, p, draft, lang),
                Err(e) => {
                    let _ = button.remove_attribute("disabled");
                    let _ = button.remove_attribute("hidden");
                    clear(&error);
                    add(&error, &alert(&e.message(lang)));
                }
            }
        });
    });
    if at_once {
        use wasm_bindgen::JsCast;
        start.unchecked_ref::<web_sys::HtmlElement>().click();
    }
}

enum AdoptError {
    Refused(Refusal),
    Storage(String),
}

impl From<DbError> for AdoptError {
    fn from(e: DbError) -> Self {
        AdoptError::Storage(e.0)
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
            AdoptError::Storage(e) => format!("{}: {e}", Msg::StorageUnavailable.text(lang)),
        }
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AdoptError> {
    serde_json::to_string(value).map_err(|e| AdoptError::Storage(e.to_string()))
}

/// Saves the link's questionnaire and location on this device (each only
/// if it is not there yet, see [`adopt::plan`]) and creates a draft
/// response for them.
async fn adopt(p: &LinkPayload) -> Result<Response, AdoptError> {
    let q = &p.questionnaire;
    let key: JsValue = Array::of2(&q.id.as_str().into(), &q.version.into()).into();
    // from_slice, as `link::decode` reads: one serde_json reader
    // monomorphised in the page instead of two.
    let stored: Option<Result<Questionnaire, _>> = db::get(QUESTIONNAIRES, &key)
        .await?
        .map(|json| serde_json::from_slice(json.as_bytes()));
    let location_known = match &p.location {
        Some(loc) => db::get(LOCATIONS, &loc.id.as_str().into()).await?.is_some(),
        None => false,
    };
    let on_device = OnDevice {
        questionnaire: match &stored {
            None => Held::Nothing,
            Some(Ok(copy)) => Held::Copy(copy),
            Some(Err(_)) => Held::Unreadable,
        },
        built_in: BuiltIn::by_id(&q.id),
        location_known,
    };
    let plan = adopt::plan(p, on_device)?;
    if let Some(q) = plan.store_questionnaire {
        db::put(QUESTIONNAIRES, &to_json(q)?).await?;
    }
    if let Some(loc) = plan.store_location {
        db::put(LOCATIONS, &to_json(loc)?).await?;
    }
    let draft = platform::new_draft(q, plan.location_id);
    db::put(RESPONSES, &to_json(&draft)?).await?;
    Ok(draft)
}

/// One customer's run through the survey, drawn in `body`.
struct Run {
    p: Rc<LinkPayload>,
    lang: Lang,
    resp: RefCell<Response>,
    /// Each question's element, shown or hidden by its condition.
    questions: RefCell<Vec<(String, Element)>>,
    /// Comment fields, shown once their question has an answer.
    comments: RefCell<Vec<(String, Element)>>,
    progress_text: Element,
    progress_bar: Element,
    /// The required questions still missing, once Submit has been tried.
    missing: Element,
    /// A write that failed: its message and Retry.
    save_error: Element,
}

fn run(body: &Element, p: Rc<LinkPayload>, draft: Response, lang: Lang) {
    clear(body);
    let progress_text = el("p", &[("class", "progress"), ("id", "survey-progress")]);
    let progress_bar = el("progress", &[("aria-labelledby", "survey-progress")]);
    let run = Rc::new(Run {
        p,
        lang,
        resp: RefCell::new(draft),
        questions: RefCell::new(Vec::new()),
        comments: RefCell::new(Vec::new()),
        progress_text,
        progress_bar,
        missing: el("div", &[]),
        save_error: el("div", &[]),
    });
    add(body, &run.progress_text);
    add(body, &run.progress_bar);
    for section in &run.p.questionnaire.sections {
        let heading_id = format!("survey-section-{}", section.id);
        let s = el(
            "section",
            &[
                ("class", "checklist-section"),
                ("aria-labelledby", &heading_id),
            ],
        );
        add(
            &s,
            &text_el("h2", &[("id", &heading_id)], section.title.get(lang)),
        );
        for question in &section.questions {
            add(&s, &question::view(&run, question));
        }
        add(body, &s);
    }
    add(body, &run.save_error);
    add(body, &run.missing);
    let submit = text_el(
        "button",
        &[("type", "button"), ("class", "primary")],
        Msg::Submit.text(lang),
    );
    add(body, &submit);
    let (r, body_el) = (run.clone(), body.clone());
    on(&submit, "click", move |_| submit_run(&r, &body_el));
    refresh(&run);
}

/// Shows and hides questions by their conditions and updates the progress
/// and the list of missing answers, after every answer.
fn refresh(run: &Run) {
    let q = &run.p.questionnaire;
    let resp = run.resp.borrow();
    let visibility = q.visibility(&resp);
    for (id, e) in run.questions.borrow().iter() {
        set_hidden(e, !visibility.is_visible(id));
    }
    for (id, e) in run.comments.borrow().iter() {
        set_hidden(e, !resp.answers.contains_key(id));
    }
    let (answered, total) = q.progress(&resp);
    run.progress_text
        .set_text_content(Some(&answered_of(run.lang, answered, total)));
    let _ = run
        .progress_bar
        .set_attribute("max", &total.max(1).to_string());
    let _ = run
        .progress_bar
        .set_attribute("value", &answered.to_string());
    // Once Submit has listed the missing answers, the list follows them.
    if run.missing.child_element_count() > 0 {
        show_missing(run, &resp);
    }
}

/// The alert listing the required questions still unanswered; empty once
/// there are none.
fn show_missing(run: &Run, resp: &Response) {
    clear(&run.missing);
    let missing = run.p.questionnaire.missing_required(resp);
    if missing.is_empty() {
        return;
    }
    let a = alert(Msg::MissingRequired.text(run.lang));
    let list = el("ul", &[]);
    for q in missing {
        add(&list, &text_el("li", &[], q.text.get(run.lang)));
    }
    add(&a, &list);
    add(&run.missing, &a);
}

/// Applies an edit to the response and stores the new snapshot.
fn edit(run: &Rc<Run>, qid: &str, edit: Edit) {
    let snapshot = {
        let mut r = run.resp.borrow_mut();
        r.apply(qid, edit, platform::now()).then(|| r.clone())
    };
    if let Some(snapshot) = snapshot {
        if run.p.inbox.is_some() {
            super::deliver::answering();
        }
        refresh(run);
        save(run.clone(), snapshot);
    }
}

/// Stores a snapshot; a failure keeps the answers on screen and in memory
/// and offers Retry, which stores the newest snapshot.
fn save(run: Rc<Run>, snapshot: Response) {
    wasm_bindgen_futures::spawn_local(async move {
        let written = match serde_json::to_string(&snapshot) {
            Ok(json) => db::put(RESPONSES, &json).await.map_err(|e| e.0),
            Err(e) => Err(e.to_string()),
        };
        clear(&run.save_error);
        if let Err(e) = written {
            let a = alert(Msg::SaveFailed.text(run.lang));
            add(&a, &text_el("p", &[], &e));
            let retry = text_el("button", &[("type", "button")], Msg::Retry.text(run.lang));
            let r = run.clone();
            on(&retry, "click", move |_| {
                save(r.clone(), r.resp.borrow().clone())
            });
            add(&a, &retry);
            add(&run.save_error, &a);
        }
    });
}

fn submit_run(run: &Rc<Run>, body: &Element) {
    let mut snapshot = run.resp.borrow().clone();
    if !run.p.questionnaire.missing_required(&snapshot).is_empty() {
        show_missing(run, &snapshot);
        return;
    }
    if !snapshot.submit(platform::now()) {
        return;
    }
    let (run, body) = (run.clone(), body.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let written = match serde_json::to_string(&snapshot) {
            Ok(json) => db::put(RESPONSES, &json)
                .await
                .map(|_| json)
                .map_err(|e| e.0),
            Err(e) => Err(e.to_string()),
        };
        match written {
            Ok(json) => {
                // Stored first: whatever happens to the delivery, the
                // answer is on the phone.
                let delivery = match &run.p.inbox {
                    None => None,
                    Some(target) => Some(super::deliver::queue(target, &snapshot, &json).await),
                };
                thanks(&body, run.lang, snapshot.id, delivery)
            }
            Err(e) => {
                clear(&run.save_error);
                let a = alert(Msg::SaveFailed.text(run.lang));
                add(&a, &text_el("p", &[], &e));
                add(&run.save_error, &a);
            }
        }
    });
}

/// The thank-you. Without an inbox in the link it says the answers stay on
/// the phone; with one, where their delivery stands, updated as it moves.
/// There is no "Answer again": on a customer's own phone it would only
/// invite a second vote (a kiosk starts a fresh survey by itself).
fn thanks(body: &Element, lang: Lang, response_id: Uuid, delivery: Option<Status>) {
    clear(body);
    let box_ = el("div", &[("class", "thanks"), ("role", "status")]);
    add(&box_, &text_el("h2", &[], Msg::ThankYou.text(lang)));
    match delivery {
        None => add(&box_, &text_el("p", &[], Msg::OwnPhoneNotice.text(lang))),
        Some(status) => {
            let line = el("p", &[]);
            add(&box_, &line);
            super::deliver::follow(response_id, line, lang, status);
        }
    }
    add(body, &box_);
}
