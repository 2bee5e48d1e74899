//! Our records as CouchDB documents (issue 19, docs/sync.md "The data as
//! documents"): one document per record, with a typed, stable id, the
//! record's own fields at the top level beside `type` and `v`, and a photo's
//! picture as an attachment, so any CouchDB tool or PouchDB app can read
//! them.
//!
//! | record | id | replicated |
//! |---|---|---|
//! | questionnaire version | `questionnaire:<id>:<version>` | published, not built in |
//! | response | `response:<uuid>` | submitted |
//! | photo | `photo:<uuid>`, the picture as attachment `photo` | of a submitted response |
//! | location | `location:<id>` | all |
//! | employee | `employee:<id>` | all |
//! | corrective action | `action:<uuid>` | all |
//!
//! Drafts stay on the device; settings, keys, the outbox and the quarantine
//! never become documents. What comes back from a peer is turned into a
//! [`Contents`] and goes through the same checks and merge as an imported
//! file ([`crate::exchange::bundle::check_contents`], then
//! [`crate::exchange::merge`]): replication is one more way in, not one
//! more set of rules.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::domain::VersionStatus;
use crate::exchange::bundle::{Contents, RecordKind};
use crate::exchange::merge::Record;
use crate::i18n::Lang;
use crate::replication::doc::{md5_digest, Attachment, ReplicatedDoc};

/// The `v` this build writes and reads.
pub const DOC_VERSION: u64 = 1;
/// The attachment holding a photo's picture.
pub const PHOTO_ATTACHMENT: &str = "photo";

/// A document to write: id, the fields that do not start with `_`, and
/// the attachments' content type and bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub id: String,
    pub body: Map<String, Value>,
    pub attachments: BTreeMap<String, (String, Vec<u8>)>,
}

/// The document `type` of a record kind.
pub fn type_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Questionnaire => "questionnaire",
        RecordKind::Response => "response",
        RecordKind::Photo => "photo",
        RecordKind::Location => "location",
        RecordKind::Employee => "employee",
        RecordKind::Action => "action",
        // Settings are device-local and never become documents.
        RecordKind::Setting => "setting",
    }
}

/// The document id: the kind and the record's own key, so two devices
/// that hold the same record name the same document.
/// The document id of the response `id`.
pub fn response_doc_id(id: &uuid::Uuid) -> String {
    format!("{}:{id}", type_name(RecordKind::Response))
}

pub fn doc_id(record: &Record) -> String {
    let key = match record {
        Record::Questionnaire(q) => format!("{}:{}", q.id, q.version),
        Record::Response(r) => r.id.to_string(),
        Record::Photo(p) => p.id.to_string(),
        Record::Location(l) => l.id.clone(),
        Record::Employee(e) => e.id.clone(),
        Record::Action(a) => a.id.to_string(),
    };
    format!("{}:{key}", type_name(record.kind()))
}

/// The kind and key of the record the document `id` holds, for the kinds
/// a person deletes (stores and staff): their deletion is shared.
pub fn removable(id: &str) -> Option<(RecordKind, &str)> {
    [RecordKind::Location, RecordKind::Employee]
        .into_iter()
        .find_map(|kind| {
            id.strip_prefix(type_name(kind))
                .and_then(|rest| rest.strip_prefix(':'))
                .map(|key| (kind, key))
        })
}

/// Whether the record leaves the device: drafts, draft versions and the
/// built-in templates (every build has them) do not.
pub fn replicates(record: &Record) -> bool {
    match record {
        Record::Questionnaire(q) => {
            q.status == VersionStatus::Published && !crate::templates::is_built_in(&q.id)
        }
        Record::Response(r) => !r.is_draft(),
        _ => true,
    }
}

/// The document, or `None` for a record that stays on the device.
/// Whether a photo's response replicates is the caller's to know.
pub fn to_doc(record: &Record) -> Option<Doc> {
    if !replicates(record) {
        return None;
    }
    let mut attachments = BTreeMap::new();
    let fields = match record {
        Record::Questionnaire(q) => to_map(q),
        Record::Response(r) => to_map(r),
        Record::Location(l) => to_map(l),
        Record::Employee(e) => to_map(e),
        Record::Action(a) => to_map(a),
        Record::Photo(p) => {
            let mut m = to_map(p);
            m.remove("bytes_base64");
            // A record read from the store was checked when stored.
            let bytes = STANDARD.decode(&p.bytes_base64).ok()?;
            attachments.insert(PHOTO_ATTACHMENT.to_owned(), (p.mime.clone(), bytes));
            m
        }
    };
    let mut body = Map::new();
    body.insert("type".to_owned(), type_name(record.kind()).into());
    body.insert("v".to_owned(), DOC_VERSION.into());
    body.extend(fields);
    Some(Doc {
        id: doc_id(record),
        body,
        attachments,
    })
}

fn to_map<T: Serialize>(record: &T) -> Map<String, Value> {
    match serde_json::to_value(record).expect("a record serialises") {
        Value::Object(m) => m,
        _ => unreachable!("every record is a JSON object"),
    }
}

/// Why a peer's document is not taken as a record. None of these stops a
/// replication: the document stays in the revision store as the peer sent
/// it, and simply is not one of our records.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum DocError {
    /// Deleted on a peer while this device keeps it: a submitted
    /// response or a published version is never deleted from outside,
    /// and a store or a member of staff edited here outlives the deletion.
    Deleted,
    /// No `type`, or one this build does not know (a newer build's, or
    /// another application's document in the same database).
    UnknownType {
        found: String,
    },
    NewerVersion {
        found: u64,
        supported: u64,
    },
    /// The fields do not make a record of its type.
    Malformed {
        detail: String,
    },
    /// The id is not the one the record's own key gives.
    IdMismatch {
        id: String,
        expected: String,
    },
    /// A draft, which no device replicates.
    Draft,
    /// A photo without its picture.
    NoPicture,
}

impl DocError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (DocError::Deleted, Lang::Ru) => {
                "удалено на другом устройстве; здесь запись сохранена".to_owned()
            }
            (DocError::Deleted, Lang::En) => {
                "deleted on another device; this device keeps its record".to_owned()
            }
            (DocError::UnknownType { found }, Lang::Ru) => {
                format!("неизвестный тип документа «{found}»")
            }
            (DocError::UnknownType { found }, Lang::En) => {
                format!("unknown document type “{found}”")
            }
            (DocError::NewerVersion { found, supported }, Lang::Ru) => format!(
                "документ более новой версии приложения (формат {found}, здесь {supported}); обновите приложение"
            ),
            (DocError::NewerVersion { found, supported }, Lang::En) => format!(
                "a document from a newer version of the app (format {found}, this one reads {supported}); update the app"
            ),
            (DocError::Malformed { detail }, Lang::Ru) => format!("документ повреждён: {detail}"),
            (DocError::Malformed { detail }, Lang::En) => format!("a damaged document: {detail}"),
            (DocError::IdMismatch { id, expected }, Lang::Ru) => {
                format!("документ «{id}» содержит запись «{expected}»")
            }
            (DocError::IdMismatch { id, expected }, Lang::En) => {
                format!("the document “{id}” holds the record “{expected}”")
            }
            (DocError::Draft, Lang::Ru) => "черновик, а черновики не передаются".to_owned(),
            (DocError::Draft, Lang::En) => "a draft, and drafts are not shared".to_owned(),
            (DocError::NoPicture, Lang::Ru) => "фото без изображения".to_owned(),
            (DocError::NoPicture, Lang::En) => "a photo without its picture".to_owned(),
        }
    }
}

/// Reads a peer's document (its winning revision) as a record. The record
/// is checked for its shape and its binding to the id here; everything
/// else (limits, references, the trust rules) when its [`Contents`] go
/// through the import's checks and the merge.
pub fn from_doc(doc: &ReplicatedDoc) -> Result<Record, DocError> {
    if doc.deleted {
        return Err(DocError::Deleted);
    }
    let kind = doc.body.get("type").and_then(Value::as_str).unwrap_or("");
    let v = doc.body.get("v").and_then(Value::as_u64);
    let known = RecordKind::ALL
        .into_iter()
        .filter(|k| *k != RecordKind::Setting)
        .any(|k| type_name(k) == kind);
    if !known {
        return Err(DocError::UnknownType {
            found: kind.to_owned(),
        });
    }
    match v {
        Some(v) if v > DOC_VERSION => {
            return Err(DocError::NewerVersion {
                found: v,
                supported: DOC_VERSION,
            })
        }
        Some(DOC_VERSION) => {}
        _ => {
            return Err(DocError::Malformed {
                detail: "v".to_owned(),
            })
        }
    }
    let mut fields = doc.body.clone();
    fields.remove("type");
    fields.remove("v");
    let record = match kind {
        "questionnaire" => Record::Questionnaire(parse(fields)?),
        "response" => Record::Response(parse(fields)?),
        "location" => Record::Location(parse(fields)?),
        "employee" => Record::Employee(parse(fields)?),
        "action" => Record::Action(parse(fields)?),
        "photo" => {
            let picture = doc
                .attachments
                .get(PHOTO_ATTACHMENT)
                .and_then(picture_of)
                .ok_or(DocError::NoPicture)?;
            fields.insert("bytes_base64".to_owned(), STANDARD.encode(picture).into());
            Record::Photo(parse(fields)?)
        }
        _ => unreachable!("checked against the known types"),
    };
    let expected = doc_id(&record);
    if expected != doc.id {
        return Err(DocError::IdMismatch {
            id: doc.id.clone(),
            expected,
        });
    }
    if !replicates(&record) {
        return Err(DocError::Draft);
    }
    Ok(record)
}

/// The bytes of an attachment the replicator has checked against its
/// digest; a stub (data held elsewhere) is the store's to resolve first.
fn picture_of(a: &Attachment) -> Option<&[u8]> {
    a.data.as_deref()
}

fn parse<T: DeserializeOwned>(fields: Map<String, Value>) -> Result<T, DocError> {
    serde_json::from_value(Value::Object(fields)).map_err(|e| DocError::Malformed {
        detail: e.to_string(),
    })
}

/// Records as the contents of a bundle, for the import's checks and the
/// merge. Settings never come this way.
pub fn into_contents(records: Vec<Record>) -> Contents {
    let mut c = Contents::default();
    for r in records {
        match r {
            Record::Questionnaire(q) => c.questionnaires.push(q),
            Record::Response(r) => c.responses.push(r),
            Record::Photo(p) => c.photos.push(p),
            Record::Location(l) => c.locations.push(l),
            Record::Employee(e) => c.employees.push(e),
            Record::Action(a) => c.actions.push(a),
        }
    }
    c
}

/// The attachment as the replicator sends it: the digest CouchDB names it
/// by, so a picture that has not changed is recognised and not sent again.
pub fn attachment(content_type: &str, data: Vec<u8>, revpos: u64) -> Attachment {
    Attachment {
        content_type: content_type.to_owned(),
        digest: md5_digest(&data),
        length: data.len() as u64,
        revpos,
        data: Some(data),
    }
}

#[cfg(test)]
mod tests;
