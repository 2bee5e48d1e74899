//! The JSON backup bundle: everything on a device in one file, for backups,
//! for moving to a new device and for sending results to the manager.
//!
//! ```json
//! {"format": "servicelens.bundle", "format_version": 1,
//!  "manifest": {"created_at": "…", "device_id": "…", "app_version": "…",
//!               "counts": {"questionnaires": 1, "responses": 2, …},
//!               "checksum": "<hex SHA-256>"},
//!  "questionnaires": […], "responses": […], "locations": […],
//!  "employees": […], "actions": […], "settings": {…}, "photos": […]}
//! ```
//!
//! The checksum is SHA-256 over the canonical JSON of the whole document
//! without `manifest.checksum` (see `canonical`): an edited or damaged file
//! is refused, not half-imported. Format version 0 is what the first build
//! saved: a bare JSON array of responses; it is migrated by wrapping it as
//! the current writer would have.
//!
//! [`parse_bundle`] checks the whole file (sizes, checksum, types, counts,
//! ids, photos, published questionnaires) before it returns anything, so the
//! caller stores all of a file or none of it. Text is data: HTML or script in
//! any field is kept verbatim, and the UI shows it as text.

mod canonical;
mod error;
mod limits;
mod photo;
mod records;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::{CorrectiveAction, Employee, Location, Questionnaire, Response, Timestamp};
use crate::i18n::Lang;

pub(crate) use canonical::value_digest;
pub use error::{BundleError, Limit, PhotoProblem};
pub use limits::{
    max_count, MAX_FILE_BYTES, MAX_ID_CHARS, MAX_ITEMS, MAX_PHOTO_BYTES, MAX_TEXT_CHARS,
};
pub use photo::{ImageType, PhotoRecord, MAX_DIMENSION};

#[cfg(test)]
pub(crate) use photo::samples as photo_samples;

pub const FORMAT: &str = "servicelens.bundle";
pub const FORMAT_VERSION: u64 = 1;

/// Step `n` upgrades a document of format version `n` to `n + 1`.
const MIGRATIONS: [fn(Value) -> Value; FORMAT_VERSION as usize] = [wrap_bare_responses];

/// App settings by name. Values stay JSON: the settings page owns their
/// meaning, the bundle only carries them.
pub type Settings = BTreeMap<String, Value>;

/// The kinds of record a bundle carries, in the order they are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Questionnaire,
    Response,
    Location,
    Employee,
    Action,
    Photo,
    Setting,
}

impl RecordKind {
    pub const ALL: [RecordKind; 7] = [
        RecordKind::Questionnaire,
        RecordKind::Response,
        RecordKind::Location,
        RecordKind::Employee,
        RecordKind::Action,
        RecordKind::Photo,
        RecordKind::Setting,
    ];

    /// The document's field holding this kind, also its key in `counts`.
    pub fn field(self) -> &'static str {
        match self {
            RecordKind::Questionnaire => "questionnaires",
            RecordKind::Response => "responses",
            RecordKind::Location => "locations",
            RecordKind::Employee => "employees",
            RecordKind::Action => "actions",
            RecordKind::Photo => "photos",
            RecordKind::Setting => "settings",
        }
    }

    /// The kind's name in the plural, as a heading: "Responses".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RecordKind::Questionnaire, Lang::Ru) => "Анкеты",
            (RecordKind::Questionnaire, Lang::En) => "Questionnaires",
            (RecordKind::Response, Lang::Ru) => "Ответы",
            (RecordKind::Response, Lang::En) => "Responses",
            (RecordKind::Location, Lang::Ru) => "Точки",
            (RecordKind::Location, Lang::En) => "Locations",
            (RecordKind::Employee, Lang::Ru) => "Сотрудники",
            (RecordKind::Employee, Lang::En) => "Employees",
            (RecordKind::Action, Lang::Ru) => "Корректирующие действия",
            (RecordKind::Action, Lang::En) => "Corrective actions",
            (RecordKind::Photo, Lang::Ru) => "Фото",
            (RecordKind::Photo, Lang::En) => "Photos",
            (RecordKind::Setting, Lang::Ru) => "Настройки",
            (RecordKind::Setting, Lang::En) => "Settings",
        }
    }
}

/// Everything a bundle carries, and everything a store holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contents {
    pub questionnaires: Vec<Questionnaire>,
    pub responses: Vec<Response>,
    pub locations: Vec<Location>,
    pub employees: Vec<Employee>,
    pub actions: Vec<CorrectiveAction>,
    pub settings: Settings,
    pub photos: Vec<PhotoRecord>,
}

impl Contents {
    pub fn counts(&self) -> Counts {
        Counts {
            questionnaires: self.questionnaires.len() as u64,
            responses: self.responses.len() as u64,
            locations: self.locations.len() as u64,
            employees: self.employees.len() as u64,
            actions: self.actions.len() as u64,
            settings: self.settings.len() as u64,
            photos: self.photos.len() as u64,
        }
    }
}

/// Records per kind, as the manifest declares them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Counts {
    pub questionnaires: u64,
    pub responses: u64,
    pub locations: u64,
    pub employees: u64,
    pub actions: u64,
    pub settings: u64,
    pub photos: u64,
}

impl Counts {
    pub fn get(&self, kind: RecordKind) -> u64 {
        match kind {
            RecordKind::Questionnaire => self.questionnaires,
            RecordKind::Response => self.responses,
            RecordKind::Location => self.locations,
            RecordKind::Employee => self.employees,
            RecordKind::Action => self.actions,
            RecordKind::Photo => self.photos,
            RecordKind::Setting => self.settings,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub created_at: Timestamp,
    /// The device that wrote the file; empty for a migrated file that
    /// mixed devices.
    pub device_id: String,
    #[serde(default)]
    pub app_version: String,
    pub counts: Counts,
    pub checksum: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    pub manifest: Manifest,
    pub contents: Contents,
    /// The format version the file was written in, when older than
    /// [`FORMAT_VERSION`] and migrated on reading.
    pub migrated_from: Option<u64>,
}

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    format_version: u64,
    manifest: &'a Manifest,
    questionnaires: &'a [Questionnaire],
    responses: &'a [Response],
    locations: &'a [Location],
    employees: &'a [Employee],
    actions: &'a [CorrectiveAction],
    settings: &'a Settings,
    photos: &'a [PhotoRecord],
}

/// `contents` as a bundle file in the current format, compact (a phone
/// sends it over a slow network).
///
/// Numbers must be finite: JSON has no NaN, serde_json writes one as
/// `null`, and such a file is refused on import.
pub fn write_bundle(
    contents: &Contents,
    created_at: Timestamp,
    device_id: &str,
    app_version: &str,
) -> String {
    let mut manifest = Manifest {
        created_at,
        device_id: device_id.to_owned(),
        app_version: app_version.to_owned(),
        counts: contents.counts(),
        checksum: String::new(),
    };
    // Hashed as a reader will see it, parsed back from text: a float's
    // digits can parse to a neighbouring value, and the reader's hash is of
    // what it parsed.
    let draft = to_json(&document(contents, &manifest));
    let parsed: Map<String, Value> =
        serde_json::from_str(&draft).expect("serde_json reads what it wrote");
    manifest.checksum = canonical::document_checksum(&parsed);
    to_json(&document(contents, &manifest))
}

fn document<'a>(contents: &'a Contents, manifest: &'a Manifest) -> Document<'a> {
    Document {
        format: FORMAT,
        format_version: FORMAT_VERSION,
        manifest,
        questionnaires: &contents.questionnaires,
        responses: &contents.responses,
        locations: &contents.locations,
        employees: &contents.employees,
        actions: &contents.actions,
        settings: &contents.settings,
        photos: &contents.photos,
    }
}

fn to_json(document: &Document<'_>) -> String {
    // Structs and string-keyed maps only: serde_json cannot fail on them.
    serde_json::to_string(document).expect("a bundle serialises to JSON")
}

/// The checksum `document` should carry, or `None` when it is not a JSON
/// object. For tools and tests that build bundles by hand.
pub fn document_checksum(document: &Value) -> Option<String> {
    match document {
        Value::Object(map) => Some(canonical::document_checksum(map)),
        _ => None,
    }
}

/// Reads a bundle of any known format version, or says why not.
pub fn parse_bundle(text: &str) -> Result<Bundle, BundleError> {
    // Notepad and some mail clients prepend a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_FILE_BYTES {
        return Err(limits::too_large(
            Limit::FileSize,
            text.len(),
            MAX_FILE_BYTES as u64,
            String::new(),
        ));
    }
    let document: Value = serde_json::from_str(text).map_err(|e| BundleError::NotJson {
        detail: e.to_string(),
    })?;
    let version = format_version(&document)?;
    let document = MIGRATIONS[version as usize..]
        .iter()
        .fold(document, |doc, step| step(doc));
    let Value::Object(mut document) = document else {
        return Err(BundleError::NotBundle);
    };
    limits::declared_counts(&document)?;
    limits::check(&document)?;
    verify_checksum(&document)?;

    let manifest: Manifest = match document.remove("manifest") {
        Some(m) => serde_json::from_value(m).map_err(|e| malformed("manifest", e))?,
        None => return Err(malformed("manifest", "missing")),
    };
    let contents = Contents {
        questionnaires: records(&mut document, RecordKind::Questionnaire)?,
        responses: records(&mut document, RecordKind::Response)?,
        locations: records(&mut document, RecordKind::Location)?,
        employees: records(&mut document, RecordKind::Employee)?,
        actions: records(&mut document, RecordKind::Action)?,
        settings: match document.remove(RecordKind::Setting.field()) {
            None => Settings::new(),
            Some(Value::Object(map)) => map.into_iter().collect(),
            Some(_) => return Err(malformed("settings", "not an object")),
        },
        photos: records(&mut document, RecordKind::Photo)?,
    };
    let found = contents.counts();
    for kind in RecordKind::ALL {
        let (declared, found) = (manifest.counts.get(kind), found.get(kind));
        if declared != found {
            return Err(BundleError::CountMismatch {
                kind,
                declared,
                found,
            });
        }
    }
    records::check(&contents)?;
    Ok(Bundle {
        manifest,
        contents,
        migrated_from: (version < FORMAT_VERSION).then_some(version),
    })
}

fn malformed(at: &str, e: impl std::fmt::Display) -> BundleError {
    BundleError::Malformed {
        detail: format!("{at}: {e}"),
    }
}

fn records<T: DeserializeOwned>(
    document: &mut Map<String, Value>,
    kind: RecordKind,
) -> Result<Vec<T>, BundleError> {
    let field = kind.field();
    match document.remove(field) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                serde_json::from_value(v).map_err(|e| malformed(&format!("{field}[{i}]"), e))
            })
            .collect(),
        Some(_) => Err(malformed(field, "not a list")),
    }
}

fn verify_checksum(document: &Map<String, Value>) -> Result<(), BundleError> {
    let declared = document
        .get("manifest")
        .and_then(|m| m.get("checksum"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let actual = canonical::document_checksum(document);
    if declared.eq_ignore_ascii_case(&actual) {
        Ok(())
    } else {
        Err(BundleError::ChecksumMismatch {
            declared: declared.to_owned(),
            actual,
        })
    }
}

/// The document's format version: 0 for the first build's bare list.
fn format_version(document: &Value) -> Result<u64, BundleError> {
    let fields = match document {
        Value::Array(_) => return Ok(0),
        Value::Object(fields) => fields,
        _ => return Err(BundleError::NotBundle),
    };
    match fields.get("format") {
        Some(Value::String(name)) if name == FORMAT => {}
        Some(Value::String(name)) => {
            return Err(BundleError::WrongFormat {
                found: name.clone(),
            })
        }
        _ => return Err(BundleError::NotBundle),
    }
    match fields.get("format_version").and_then(Value::as_u64) {
        Some(v) if v > FORMAT_VERSION => Err(BundleError::NewerVersion {
            found: v,
            supported: FORMAT_VERSION,
        }),
        Some(v) if v >= 1 => Ok(v),
        _ => Err(BundleError::BadFormatVersion),
    }
}

/// Version 0 → 1: the list becomes the `responses` of a bundle whose
/// manifest is what the first build would have written: made at the last
/// change, by the one device that wrote every response (or none named), and
/// sealed with the checksum of what was read, since version 0 had none.
fn wrap_bare_responses(list: Value) -> Value {
    let Value::Array(responses) = list else {
        return list;
    };
    let field = |r: &Value, name: &str| r.get(name).and_then(Value::as_str).map(str::to_owned);
    let created_at = responses
        .iter()
        .filter_map(|r| Timestamp::parse_rfc3339(&field(r, "updated_at")?).ok())
        .max()
        .unwrap_or(Timestamp::new(0, 0));
    let mut devices = responses.iter().map(|r| field(r, "device_id"));
    let first = devices.next().flatten().unwrap_or_default();
    let device_id = if devices.all(|d| d.as_deref() == Some(first.as_str())) {
        first
    } else {
        String::new()
    };
    let counts = Counts {
        responses: responses.len() as u64,
        ..Counts::default()
    };
    let mut document = serde_json::json!({
        "format": FORMAT,
        "format_version": 1,
        "manifest": {
            "created_at": created_at,
            "device_id": device_id,
            "app_version": "",
            "counts": counts,
            "checksum": "",
        },
        "responses": responses,
    });
    if let Some(sum) = document_checksum(&document) {
        document["manifest"]["checksum"] = Value::String(sum);
    }
    document
}
