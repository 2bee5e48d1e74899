//! The IndexedDB schema as data: the database's name and version, every
//! object store with its key path and indexes. The app's opener
//! (`web::storage`) and the respondent page's (`web::platform::idb`) both
//! walk [`STORES`], so the two cannot drift apart.
//!
//! The upgrade rule both follow: every store (and its indexes) that is
//! missing is created, whatever version the database had; nothing is ever
//! dropped or rekeyed, so a database written by any earlier version opens.

pub const DB_NAME: &str = "servicelens";

/// Bump whenever a store or an index is added.
/// History: 1 = responses, locations; 2 = + questionnaires; 3 = + photos;
/// 4 = + employees, actions, settings; 5 = + conflicts; 6 = + response
/// pages; 7 = + outbox, team keys, quarantine (the sealed inbox); 8 = +
/// revisions, sync bases, sync meta (team sync).
pub const SCHEMA_VERSION: u32 = 8;

pub const RESPONSES: &str = "responses";
pub const LOCATIONS: &str = "locations";
/// Keyed by `[id, version]`: every version is kept, published ones unchanged.
pub const QUESTIONNAIRES: &str = "questionnaires";
/// Photo metadata plus the picture as a Blob, indexed by response.
pub const PHOTOS: &str = "photos";
pub const PHOTOS_BY_RESPONSE: &str = "by_response";
pub const EMPLOYEES: &str = "employees";
/// Corrective actions, keyed by id.
pub const ACTIONS: &str = "actions";
/// App settings as `{key, value}`: the bundle carries them by name.
pub const SETTINGS: &str = "settings";
/// Copies from imported files that conflict with a stored record, keyed by
/// `key` (`<kind>:<id>:<digest>`, see `crate::exchange::merge`).
pub const CONFLICTS: &str = "conflicts";
/// Imported responses, many to a record (`crate::response_pages`), keyed
/// by `id` and indexed by every response id in `ids`.
pub const RESPONSE_PAGES: &str = "response_pages";
pub const PAGES_BY_RESPONSE: &str = "by_response";
/// A field device's deliveries to the team's inbox, one per submitted
/// response: a `crate::delivery::Delivery` (its `response_id` is the key)
/// with what the outbox screen shows beside it. Device-local: never in a
/// file, never replicated.
pub const OUTBOX: &str = "outbox";
/// The team's key pairs on a manager's device, keyed by `kid`.
/// Device-local like settings: the private key leaves only inside a
/// passphrase-protected key file.
pub const TEAM_KEYS: &str = "team_keys";
/// Inbox documents that were not taken (`crate::inbox::StoredQuarantine`),
/// keyed by `[doc_id, kind]`. Never counted, never in a file.
pub const QUARANTINE: &str = "quarantine";

/// Team sync's revision store, one record per document
/// (`{id, doc}`: `crate::replication::memory_store::StoredDoc`).
/// Device-local: what it shares goes through replication only.
pub const REVISIONS: &str = "revisions";
/// What each document's record last matched (`{id, base}`:
/// `crate::sync::engine::Base`).
pub const SYNC_BASES: &str = "sync_bases";
/// `{key, value}`: the replica's state (sequence, checkpoints, what is
/// not pushed yet) and whether sync is on.
pub const SYNC_META: &str = "sync_meta";

/// One object store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Store {
    pub name: &'static str,
    /// One field is a plain key path; several are an array key path.
    pub key_path: &'static [&'static str],
    pub indexes: &'static [Index],
}

/// One index of a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Index {
    pub name: &'static str,
    pub key_path: &'static str,
    /// An array field indexed by each of its elements.
    pub multi_entry: bool,
}

const fn keyed(name: &'static str, key_path: &'static [&'static str]) -> Store {
    Store {
        name,
        key_path,
        indexes: &[],
    }
}

/// The whole schema.
pub const STORES: [Store; 15] = [
    keyed(RESPONSES, &["id"]),
    keyed(LOCATIONS, &["id"]),
    keyed(EMPLOYEES, &["id"]),
    keyed(ACTIONS, &["id"]),
    keyed(SETTINGS, &["key"]),
    keyed(CONFLICTS, &["key"]),
    keyed(QUESTIONNAIRES, &["id", "version"]),
    keyed(OUTBOX, &["response_id"]),
    keyed(TEAM_KEYS, &["kid"]),
    keyed(QUARANTINE, &["doc_id", "kind"]),
    keyed(REVISIONS, &["id"]),
    keyed(SYNC_BASES, &["id"]),
    keyed(SYNC_META, &["key"]),
    Store {
        name: PHOTOS,
        key_path: &["id"],
        indexes: &[Index {
            name: PHOTOS_BY_RESPONSE,
            key_path: "response_id",
            multi_entry: false,
        }],
    },
    Store {
        name: RESPONSE_PAGES,
        key_path: &["id"],
        indexes: &[Index {
            name: PAGES_BY_RESPONSE,
            key_path: "ids",
            multi_entry: true,
        }],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_names_are_unique_and_every_store_has_a_key() {
        let mut names: Vec<&str> = STORES.iter().map(|s| s.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), STORES.len());
        assert!(STORES.iter().all(|s| !s.key_path.is_empty()));
    }

    #[test]
    fn keys_are_the_fields_the_records_carry() {
        let key = |name: &str| STORES.iter().find(|s| s.name == name).unwrap().key_path;
        assert_eq!(key(RESPONSES), ["id"]);
        assert_eq!(key(SETTINGS), ["key"]);
        assert_eq!(key(CONFLICTS), ["key"]);
        assert_eq!(key(QUESTIONNAIRES), ["id", "version"]);
        assert_eq!(key(OUTBOX), ["response_id"]);
        assert_eq!(key(TEAM_KEYS), ["kid"]);
        assert_eq!(key(QUARANTINE), ["doc_id", "kind"]);
        assert_eq!(key(REVISIONS), ["id"]);
        assert_eq!(key(SYNC_BASES), ["id"]);
        assert_eq!(key(SYNC_META), ["key"]);
    }

    #[test]
    fn response_pages_are_found_by_every_response_they_hold() {
        let pages = STORES.iter().find(|s| s.name == RESPONSE_PAGES).unwrap();
        assert_eq!(
            pages.indexes,
            [Index {
                name: PAGES_BY_RESPONSE,
                key_path: "ids",
                multi_entry: true
            }]
        );
    }
}
