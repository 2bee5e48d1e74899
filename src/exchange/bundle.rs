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
//! The checksum is SHA-256 over the canonical JSON of the document, each
//! top-level value standing in by its own SHA-256, without
//! `manifest.checksum` (see `scan`): an edited or damaged file is refused,
//! not half-imported, while whitespace and key order do not count. Format
//! version 0 is what the first build saved: a bare JSON array of responses;
//! it is read as the responses of a bundle, with the manifest that build
//! would have written.
//!
//! [`parse_bundle`] checks the whole file (sizes, checksum, types, counts,
//! ids, photos, published questionnaires) before it returns anything, so the
//! caller stores all of a file or none of it. It reads the text twice, once
//! streaming for sizes and the checksum and once into records, and never
//! builds a JSON tree: a 100k-response file stays within a phone's means.
//! Text is data: HTML or script in any field is kept verbatim, and the UI
//! shows it as text.

mod error;
pub mod limits;
mod photo;
mod read;
mod records;
mod scan;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::{CorrectiveAction, Employee, Location, Questionnaire, Response, Timestamp};
use crate::i18n::Lang;

pub use error::{BundleError, Limit, PhotoProblem};
pub use limits::{
    max_count, MAX_DEPTH, MAX_FILE_BYTES, MAX_ID_CHARS, MAX_ITEMS, MAX_PHOTO_BYTES, MAX_TEXT_CHARS,
};
pub use photo::{ImageType, PhotoRecord, MAX_DIMENSION};
pub use records::check_contents;

#[cfg(test)]
pub(crate) use photo::samples as photo_samples;

pub const FORMAT: &str = "servicelens.bundle";
pub const FORMAT_VERSION: u64 = 1;

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
    /// Adds the built-in questionnaire versions the responses name and the
    /// contents lack. Built-ins live in every build, not in the store, yet
    /// a file must carry what its responses answered: another build may
    /// know other versions.
    pub fn add_built_ins_answered(&mut self) {
        let have: std::collections::HashSet<(String, u32)> = self
            .questionnaires
            .iter()
            .map(|q| (q.id.clone(), q.version))
            .collect();
        let wanted: std::collections::BTreeSet<(String, u32)> = self
            .responses
            .iter()
            .map(|r| (r.questionnaire_id.clone(), r.questionnaire_version))
            .filter(|k| !have.contains(k))
            .collect();
        self.questionnaires.extend(
            wanted
                .into_iter()
                .filter_map(|(id, version)| crate::templates::find(&id, version)),
        );
    }

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
/// Refused with [`BundleError::TooLarge`] when the data breaks a limit that
/// [`parse_bundle`] enforces (a note over [`MAX_TEXT_CHARS`], say): a backup
/// that cannot be read back must not look like one. Numbers must be finite:
/// JSON has no NaN, serde_json writes one as `null`, and such a file is
/// refused on import.
pub fn write_bundle(
    contents: &Contents,
    created_at: Timestamp,
    device_id: &str,
    app_version: &str,
) -> Result<String, BundleError> {
    // Device-local settings (the kiosk, its PIN) never leave the device.
    let settings: Settings = contents
        .settings
        .iter()
        .filter(|(key, _)| super::trust::setting_travels(key))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut counts = contents.counts();
    counts.settings = settings.len() as u64;
    let manifest = Manifest {
        created_at,
        device_id: device_id.to_owned(),
        app_version: app_version.to_owned(),
        counts,
        checksum: "0".repeat(64),
    };
    let document = Document {
        format: FORMAT,
        format_version: FORMAT_VERSION,
        manifest: &manifest,
        questionnaires: &contents.questionnaires,
        responses: &contents.responses,
        locations: &contents.locations,
        employees: &contents.employees,
        actions: &contents.actions,
        settings: &settings,
        photos: &contents.photos,
    };
    // Structs and string-keyed maps only: serde_json cannot fail on them.
    let mut text = serde_json::to_string(&document).expect("a bundle serialises to JSON");
    // Hashed as a reader will hash it, from the text: a float's digits can
    // parse to a neighbouring value, and the reader hashes what it parsed.
    let sum = scan::document(&text, true).map_err(scan_error)?.checksum;
    // The placeholder is the first `"checksum":"` outside a string: the
    // manifest comes before any data, and inside a JSON string every quote
    // is escaped.
    let placeholder = format!("\"checksum\":\"{}\"", manifest.checksum);
    let at = text
        .find(&placeholder)
        .expect("the manifest holds the placeholder")
        + "\"checksum\":\"".len();
    text.replace_range(at..at + sum.len(), &sum);
    Ok(text)
}

/// The checksum `document` should carry, whatever its sizes; `None` when it
/// is not a JSON object. For tools and tests that build bundles by hand.
pub fn document_checksum(document: &Value) -> Option<String> {
    if !document.is_object() {
        return None;
    }
    scan::document(&document.to_string(), false)
        .ok()
        .map(|s| s.checksum)
}

/// Hex SHA-256 of the canonical JSON of `record`: the stable name of a
/// record's content.
pub(crate) fn record_digest<T: Serialize>(record: &T) -> String {
    // Records are plain structs with string keys: serialising cannot fail.
    scan::digest(&serde_json::to_string(record).expect("records serialise"))
}

fn scan_error(e: scan::ScanError) -> BundleError {
    match e {
        scan::ScanError::Json(detail) => BundleError::NotJson { detail },
        scan::ScanError::Overflow(o, format, version) => {
            // What the file is, when it said so before the overflow, is
            // the better message.
            match (format, version.as_ref().and_then(Value::as_u64)) {
                (Some(Value::String(f)), _) if f != FORMAT => BundleError::WrongFormat { found: f },
                (Some(_), Some(v)) if v > FORMAT_VERSION => BundleError::NewerVersion {
                    found: v,
                    supported: FORMAT_VERSION,
                },
                _ => BundleError::TooLarge {
                    what: o.what,
                    found: o.found,
                    max: o.max,
                    at: o.at(),
                },
            }
        }
    }
}

/// The bundle's limits (sizes, counts, depth, lengths) applied to any JSON
/// document that arrives from outside, in one streaming pass that builds no
/// tree: questionnaire files and link payloads are held to what a backup
/// may carry, so nothing a device accepts makes its own backups unreadable.
/// The error is `TooLarge` for a limit, `NotJson` for text that is not JSON.
pub fn check_limits(text: &str, max_bytes: usize) -> Result<(), BundleError> {
    if text.len() > max_bytes {
        return Err(limits::too_large(
            Limit::FileSize,
            text.len(),
            max_bytes as u64,
            String::new(),
        ));
    }
    match scan::document(text, true) {
        Ok(_) => Ok(()),
        Err(scan::ScanError::Json(detail)) => Err(BundleError::NotJson { detail }),
        Err(scan::ScanError::Overflow(o, _, _)) => Err(BundleError::TooLarge {
            what: o.what,
            found: o.found,
            max: o.max,
            at: o.at(),
        }),
    }
}

/// Reads a bundle of any known format version, or says why not.
pub fn parse_bundle(text: &str) -> Result<Bundle, BundleError> {
    parse_bundle_observed(text, &mut ())
}

/// Told about a file's records while [`parse_bundle_observed`] reads them,
/// so a caller can start on them before the whole file is read. Nothing
/// shown here is checked yet: the file may still be refused after any
/// call, and whatever the observer did with a record must then be undone
/// (the import writes them into a transaction that it aborts).
pub trait ReadObserver {
    /// The file's questionnaires, once their list has been read (never, or
    /// after the responses, when the file lists them later).
    fn questionnaires(&mut self, _questionnaires: &[Questionnaire]) {}

    /// One response, as soon as it has been read; an error stops the read
    /// and refuses the file.
    fn response(&mut self, _response: &Response) -> Result<(), String> {
        Ok(())
    }
}

/// Observes nothing.
impl ReadObserver for () {}

/// [`parse_bundle`], showing `observer` the records as they are read. Only
/// files of the current format version are shown; the file's checksum and
/// sizes are checked before any record is.
pub fn parse_bundle_observed(
    text: &str,
    observer: &mut dyn ReadObserver,
) -> Result<Bundle, BundleError> {
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
    let scan = scan::document(text, true).map_err(scan_error)?;
    let version = format_version(&scan)?;
    let (manifest, contents) = if version == 0 {
        let responses = read::first_build(text)?;
        (
            first_build_manifest(&responses, scan.checksum),
            Contents {
                responses,
                ..Contents::default()
            },
        )
    } else {
        let declared = scan.declared_checksum.unwrap_or_default();
        if !declared.eq_ignore_ascii_case(&scan.checksum) {
            return Err(BundleError::ChecksumMismatch {
                declared,
                actual: scan.checksum,
            });
        }
        read::current(text, observer)?
    };
    let found = contents.counts();
    for kind in RecordKind::ALL {
        let (declared, max) = (manifest.counts.get(kind), max_count(kind));
        if declared > max {
            return Err(BundleError::TooLarge {
                what: Limit::Count(kind),
                found: declared,
                max,
                at: format!("manifest.counts.{}", kind.field()),
            });
        }
        if declared != found.get(kind) {
            return Err(BundleError::CountMismatch {
                kind,
                declared,
                found: found.get(kind),
            });
        }
    }
    check_contents(&contents)?;
    Ok(Bundle {
        manifest,
        contents,
        migrated_from: (version < FORMAT_VERSION).then_some(version),
    })
}

/// The document's format version: 0 for the first build's bare list.
fn format_version(scan: &scan::Scan) -> Result<u64, BundleError> {
    match scan.shape {
        scan::Shape::Array => return Ok(0),
        scan::Shape::Other => return Err(BundleError::NotBundle),
        scan::Shape::Object => {}
    }
    match &scan.format {
        Some(Value::String(name)) if name == FORMAT => {}
        Some(Value::String(name)) => {
            return Err(BundleError::WrongFormat {
                found: name.clone(),
            })
        }
        _ => return Err(BundleError::NotBundle),
    }
    match scan.format_version.as_ref().and_then(Value::as_u64) {
        Some(v) if v > FORMAT_VERSION => Err(BundleError::NewerVersion {
            found: v,
            supported: FORMAT_VERSION,
        }),
        Some(v) if v >= 1 => Ok(v),
        _ => Err(BundleError::BadFormatVersion),
    }
}

/// The manifest the first build would have written for its list: made at
/// the last change, by the one device that wrote every response (or none
/// named when they differ), sealed with the checksum of what was read.
fn first_build_manifest(responses: &[Response], checksum: String) -> Manifest {
    let mut devices = responses.iter().map(|r| r.device_id.as_str());
    let first = devices.next().unwrap_or_default();
    Manifest {
        created_at: responses
            .iter()
            .map(|r| r.updated_at)
            .max()
            .unwrap_or(Timestamp::new(0, 0)),
        device_id: if devices.all(|d| d == first) {
            first.to_owned()
        } else {
            String::new()
        },
        app_version: String::new(),
        counts: Counts {
            responses: responses.len() as u64,
            ..Counts::default()
        },
        checksum,
    }
}
