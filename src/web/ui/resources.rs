//! Data the pages load from storage, shaped for display.

use crate::domain::catalog::newest_per_id;
use crate::domain::DEFAULT_LOCATION_ID;
use crate::domain::{Location, Questionnaire, QuestionnaireKind, VersionStatus};
use crate::i18n::{Lang, Msg};
use crate::templates;
use crate::web::storage::{StorageError, Store};

/// The device's locations by name, as stored.
pub async fn locations(store: &Store) -> Result<Vec<Location>, StorageError> {
    let mut locations = store.locations().await?;
    locations.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(locations)
}

/// The device's locations for a screen that starts or shows a visit; with
/// none, one default location is created so a first visit can be filled
/// without any set-up. The People screen lists `locations` instead, so a
/// person who deleted every location does not find a default made again
/// behind their back (and, with team sync on, shared with the team).
pub async fn locations_or_default(
    store: &Store,
    lang: Lang,
) -> Result<Vec<Location>, StorageError> {
    let mut locations = locations(store).await?;
    if locations.is_empty() {
        let default = Location {
            id: DEFAULT_LOCATION_ID.to_owned(),
            name: Msg::DefaultLocationName.text(lang).to_owned(),
        };
        store.put_location(&default).await?;
        locations.push(default);
    }
    Ok(locations)
}

pub fn location_name(locations: &[Location], id: &str) -> String {
    locations
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.name.clone())
        .unwrap_or_else(|| id.to_owned())
}

/// A questionnaire version: the user's stored ones first, then built-ins.
pub async fn questionnaire(
    store: &Store,
    id: &str,
    version: u32,
) -> Result<Option<Questionnaire>, StorageError> {
    Ok(match store.get_questionnaire(id, version).await? {
        Some(q) => Some(q),
        None => templates::find(id, version),
    })
}

/// The newest version of each of the user's questionnaires.
pub async fn latest_versions(store: &Store) -> Result<Vec<Questionnaire>, StorageError> {
    Ok(newest_per_id(store.questionnaires().await?))
}

/// What a shopper or staff member can start filling: the newest published
/// version of each of the user's own, and the built-in checklists and forms
/// (surveys are answered by customers, not filled here).
pub async fn fillable(store: &Store) -> Result<Vec<Questionnaire>, StorageError> {
    let mut out = newest_per_id(
        store
            .questionnaires()
            .await?
            .into_iter()
            .filter(|q| q.status == VersionStatus::Published),
    );
    out.extend(
        templates::current()
            .into_iter()
            .filter(|q| q.kind != QuestionnaireKind::Survey),
    );
    Ok(out)
}

/// Every questionnaire version this device knows, by (id, version): built-ins
/// and the user's own, so lists of responses can name and score each one.
pub async fn questionnaire_index(store: &Store) -> Result<QuestionnaireIndex, StorageError> {
    let mut index: QuestionnaireIndex = templates::built_in()
        .into_iter()
        .map(|q| ((q.id.clone(), q.version), q))
        .collect();
    for q in store.questionnaires().await? {
        index.insert((q.id.clone(), q.version), q);
    }
    Ok(index)
}

pub type QuestionnaireIndex = std::collections::HashMap<(String, u32), Questionnaire>;

/// A response's photos, each with a `blob:` URL to show it by; the view
/// that shows them gives the URLs back with [`revoke_on_cleanup`].
pub async fn photo_urls(
    store: &Store,
    response_id: uuid::Uuid,
) -> Result<Vec<(crate::domain::photo::PhotoMeta, String)>, StorageError> {
    Ok(store
        .photos_of(response_id)
        .await?
        .into_iter()
        .map(|(m, blob)| {
            let url = web_sys::Url::create_object_url_with_blob(&blob).unwrap_or_default();
            (m, url)
        })
        .collect())
}

/// Frees `urls` (from [`photo_urls`]) when the calling view goes.
pub fn revoke_on_cleanup(urls: Vec<String>) {
    leptos::prelude::on_cleanup(move || {
        for u in &urls {
            let _ = web_sys::Url::revoke_object_url(u);
        }
    });
}
