//! Data the pages load from storage, shaped for display.

use crate::app::DEFAULT_LOCATION_ID;
use crate::domain::Location;
use crate::i18n::{Lang, Msg};
use crate::storage::{Store, StorageError};

/// The device's locations; on first use, one default location is created so
/// a first visit can be filled without any set-up.
pub async fn locations_or_default(store: &Store, lang: Lang) -> Result<Vec<Location>, StorageError> {
    let mut locations = store.locations().await?;
    if locations.is_empty() {
        let default = Location {
            id: DEFAULT_LOCATION_ID.to_owned(),
            name: Msg::DefaultLocationName.text(lang).to_owned(),
        };
        store.put_location(&default).await?;
        locations.push(default);
    }
    locations.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(locations)
}

pub fn location_name(locations: &[Location], id: &str) -> String {
    locations
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.name.clone())
        .unwrap_or_else(|| id.to_owned())
}
