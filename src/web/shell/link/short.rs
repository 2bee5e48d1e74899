//! A short link (`#/s/<name>`): the survey is the questionnaire file
//! `./<name>.json` placed next to the app. It is fetched from the app's own
//! folder, read and validated like an imported file, and must be a
//! published version; then it runs like a survey from a full link.

use leptos::prelude::*;

use crate::distribution::short_link;
use crate::domain::VersionStatus;
use crate::exchange::questionnaire_file;
use crate::i18n::{Lang, Msg};
use crate::link::{LinkMode, LinkPayload};
use crate::web::shell::link::fetched_landing;

#[derive(Clone)]
enum Failure {
    BadLink,
    Missing,
    Unreadable(String),
    File(questionnaire_file::FileError),
    Draft,
}

impl Failure {
    fn message(&self, lang: Lang) -> String {
        match self {
            Failure::BadLink => Msg::ShortLinkBroken.text(lang).to_owned(),
            Failure::Missing => Msg::ShortLinkFileMissing.text(lang).to_owned(),
            Failure::Unreadable(detail) => {
                format!("{}: {detail}", Msg::ShortLinkFileUnreadable.text(lang))
            }
            Failure::File(e) => e.message(lang),
            Failure::Draft => Msg::LinkDraftRefused.text(lang).to_owned(),
        }
    }
}

async fn load(name: String, location: Option<String>) -> Result<LinkPayload, Failure> {
    let link = short_link::parse(&name, location.as_deref()).map_err(|_| Failure::BadLink)?;
    let text = crate::web::platform::fetch_text(&short_link::file_url(&link.name))
        .await
        .map_err(Failure::Unreadable)?
        .ok_or(Failure::Missing)?;
    let questionnaire = questionnaire_file::parse_same_origin(&text).map_err(Failure::File)?;
    if questionnaire.status != VersionStatus::Published {
        return Err(Failure::Draft);
    }
    Ok(LinkPayload {
        questionnaire,
        location: link.location,
        mode: LinkMode::Customer,
        inbox: None,
    })
}

#[component]
pub fn ShortLinkPage(name: String, location: Option<String>) -> impl IntoView {
    let loaded = LocalResource::new(move || load(name.clone(), location.clone()));
    fetched_landing(loaded, Failure::message)
}
