//! One revision of a document as replication moves it: body, history
//! (`_revisions`) and attachments, read from a peer's JSON with every field
//! checked, and written back in the shape `_bulk_docs` takes.

use super::rev::{Rev, RevError};
use super::rev_tree::{Revisions, RevisionsError};
use crate::i18n::Lang;
use base64::Engine;
use md5::{Digest, Md5};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What one server answer and one document may weigh. A peer that sends
/// more is refused rather than trusted with the device's memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// One response body, in bytes.
    pub max_response_bytes: usize,
    /// About how many bytes one `_bulk_docs` of a push may carry: under
    /// nginx's `client_max_body_size 64m` of docs/nginx-inbox.conf and
    /// CouchDB 3's `max_http_request_size`, so a first push of many
    /// photos goes in several requests. A single larger document still
    /// goes alone.
    pub max_request_bytes: usize,
    /// One document's JSON without attachment data, in bytes.
    pub max_doc_bytes: usize,
    /// One attachment's decoded data, in bytes.
    pub max_attachment_bytes: usize,
    /// One document id, in bytes.
    pub max_id_bytes: usize,
    /// Entries of one `_revisions.ids`.
    pub max_revision_ids: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_response_bytes: 64 << 20,
            max_request_bytes: 32 << 20,
            max_doc_bytes: 1 << 20,
            max_attachment_bytes: 16 << 20,
            max_id_bytes: 512,
            max_revision_ids: 1000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub content_type: String,
    /// `md5-<base64>` of the data, as CouchDB names it.
    pub digest: String,
    pub length: u64,
    /// The position of the revision that last changed this attachment.
    pub revpos: u64,
    /// `None` for a stub: the peer says we hold these bytes already.
    pub data: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplicatedDoc {
    pub id: String,
    pub rev: Rev,
    pub revisions: Revisions,
    pub deleted: bool,
    /// The fields that do not start with `_`.
    pub body: Map<String, Value>,
    pub attachments: BTreeMap<String, Attachment>,
}

/// CouchDB's digest of attachment data.
pub fn md5_digest(data: &[u8]) -> String {
    let hash = Md5::digest(data);
    format!(
        "md5-{}",
        base64::engine::general_purpose::STANDARD.encode(hash)
    )
}

/// What is wrong with one document a peer sent.
#[derive(Debug, Clone, PartialEq)]
pub enum DocProblem {
    NotObject,
    MissingId,
    /// Empty, not text, or longer than the limit.
    BadId,
    MissingRev,
    BadRev(RevError),
    MissingRevisions,
    BadRevisions(RevisionsError),
    TooManyRevisions {
        found: usize,
        max: usize,
    },
    /// `_revisions` describes another revision than `_rev`.
    RevisionsMismatch,
    /// `_deleted` is there and not `true` or `false`.
    BadDeleted,
    /// A field starting with `_` that CouchDB itself would refuse.
    UnknownSpecialField(String),
    BadAttachment {
        name: String,
        reason: &'static str,
    },
    /// The data does not hash to the digest the peer gave.
    DigestMismatch {
        name: String,
    },
    BodyTooLarge {
        found: usize,
        max: usize,
    },
    AttachmentTooLarge {
        name: String,
        found: usize,
        max: usize,
    },
}

impl DocProblem {
    pub fn describe(&self, lang: Lang) -> String {
        use DocProblem as P;
        match (self, lang) {
            (P::NotObject, Lang::Ru) => "это не JSON-объект".into(),
            (P::NotObject, Lang::En) => "it is not a JSON object".into(),
            (P::MissingId, Lang::Ru) => "нет поля _id".into(),
            (P::MissingId, Lang::En) => "it has no _id".into(),
            (P::BadId, Lang::Ru) => "поле _id пустое, не текст или слишком длинное".into(),
            (P::BadId, Lang::En) => "its _id is empty, not text, or too long".into(),
            (P::MissingRev, Lang::Ru) => "нет поля _rev".into(),
            (P::MissingRev, Lang::En) => "it has no _rev".into(),
            (P::BadRev(e), Lang::Ru) => format!("неверная ревизия _rev ({e})"),
            (P::BadRev(e), Lang::En) => format!("its _rev is invalid ({e})"),
            (P::MissingRevisions, Lang::Ru) => "нет истории ревизий _revisions".into(),
            (P::MissingRevisions, Lang::En) => "it has no _revisions history".into(),
            (P::BadRevisions(_), Lang::Ru) => "история ревизий _revisions испорчена".into(),
            (P::BadRevisions(_), Lang::En) => "its _revisions history is damaged".into(),
            (P::TooManyRevisions { found, max }, Lang::Ru) => {
                format!("в истории {found} ревизий, допустимо не более {max}")
            }
            (P::TooManyRevisions { found, max }, Lang::En) => {
                format!("its history has {found} revisions, at most {max} allowed")
            }
            (P::RevisionsMismatch, Lang::Ru) => {
                "история _revisions не сходится с ревизией _rev".into()
            }
            (P::RevisionsMismatch, Lang::En) => {
                "its _revisions history does not match its _rev".into()
            }
            (P::BadDeleted, Lang::Ru) => "поле _deleted — не «да/нет»".into(),
            (P::BadDeleted, Lang::En) => "its _deleted is not true or false".into(),
            (P::UnknownSpecialField(f), Lang::Ru) => format!("недопустимое служебное поле «{f}»"),
            (P::UnknownSpecialField(f), Lang::En) => format!("it has a forbidden field “{f}”"),
            (P::BadAttachment { name, reason }, Lang::Ru) => {
                format!("вложение «{name}» испорчено ({reason})")
            }
            (P::BadAttachment { name, reason }, Lang::En) => {
                format!("its attachment “{name}” is damaged ({reason})")
            }
            (P::DigestMismatch { name }, Lang::Ru) => {
                format!("данные вложения «{name}» не совпадают с его контрольной суммой")
            }
            (P::DigestMismatch { name }, Lang::En) => {
                format!("the data of its attachment “{name}” does not match its checksum")
            }
            (P::BodyTooLarge { found, max }, Lang::Ru) => {
                format!("документ слишком велик: {found} байт, допустимо не более {max}")
            }
            (P::BodyTooLarge { found, max }, Lang::En) => {
                format!("it is too large: {found} bytes, at most {max} allowed")
            }
            (P::AttachmentTooLarge { name, found, max }, Lang::Ru) => {
                format!("вложение «{name}» слишком велико: {found} байт, допустимо не более {max}")
            }
            (P::AttachmentTooLarge { name, found, max }, Lang::En) => format!(
                "its attachment “{name}” is too large: {found} bytes, at most {max} allowed"
            ),
        }
    }
}

/// Fields a peer may send besides the body. Those below `_attachments` are
/// read-only decorations of a read, dropped rather than stored.
const KEPT_SPECIAL: [&str; 5] = ["_id", "_rev", "_revisions", "_deleted", "_attachments"];
const DROPPED_SPECIAL: [&str; 4] = [
    "_conflicts",
    "_deleted_conflicts",
    "_revs_info",
    "_local_seq",
];

impl ReplicatedDoc {
    /// Reads and checks one document as `_bulk_get` or `open_revs` return
    /// it with `revs=true`.
    pub fn from_json(value: Value, limits: &Limits) -> Result<ReplicatedDoc, DocProblem> {
        let Value::Object(mut map) = value else {
            return Err(DocProblem::NotObject);
        };
        let id = match map.remove("_id") {
            None => return Err(DocProblem::MissingId),
            Some(Value::String(s)) if !s.is_empty() && s.len() <= limits.max_id_bytes => s,
            Some(_) => return Err(DocProblem::BadId),
        };
        let rev = match map.remove("_rev") {
            None => return Err(DocProblem::MissingRev),
            Some(Value::String(s)) => Rev::parse(&s).map_err(DocProblem::BadRev)?,
            Some(_) => return Err(DocProblem::BadRev(RevError::Empty)),
        };
        let revisions = parse_revisions(map.remove("_revisions"), limits)?;
        if revisions.rev().as_ref() != Some(&rev) {
            return Err(DocProblem::RevisionsMismatch);
        }
        let deleted = match map.remove("_deleted") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => b,
            Some(_) => return Err(DocProblem::BadDeleted),
        };
        let attachments = match map.remove("_attachments") {
            None | Some(Value::Null) => BTreeMap::new(),
            Some(v) => parse_attachments(v, limits)?,
        };
        for name in DROPPED_SPECIAL {
            map.remove(name);
        }
        if let Some(field) = map.keys().find(|k| k.starts_with('_')) {
            return Err(DocProblem::UnknownSpecialField(field.clone()));
        }
        let size = serde_json::to_vec(&map)
            .map(|v| v.len())
            .unwrap_or(usize::MAX);
        if size > limits.max_doc_bytes {
            return Err(DocProblem::BodyTooLarge {
                found: size,
                max: limits.max_doc_bytes,
            });
        }
        Ok(ReplicatedDoc {
            id,
            rev,
            revisions,
            deleted,
            body: map,
            attachments,
        })
    }

    /// The document for `_bulk_docs` with `new_edits: false`. Attachments
    /// last changed at or below `stub_through` travel as stubs, because the
    /// target holds an ancestor that has them; the others carry their data.
    /// About the bytes of [`ReplicatedDoc::to_json`]'s text, without the
    /// base64 of the pictures.
    pub fn wire_bytes(&self, stub_through: u64) -> usize {
        let body = serde_json::to_string(&self.body).map_or(0, |t| t.len());
        let history = self.revisions.ids.len() * 36;
        let pictures: usize = self
            .attachments
            .values()
            .map(|a| match &a.data {
                Some(data) if a.revpos > stub_through => data.len().div_ceil(3) * 4 + 200,
                _ => 200,
            })
            .sum();
        body + history + pictures + 200
    }

    pub fn to_json(&self, stub_through: u64) -> Value {
        let mut map = self.body.clone();
        for name in KEPT_SPECIAL {
            map.remove(name);
        }
        map.insert("_id".into(), self.id.clone().into());
        map.insert("_rev".into(), self.rev.to_string().into());
        map.insert(
            "_revisions".into(),
            serde_json::to_value(&self.revisions).expect("revisions serialize"),
        );
        if self.deleted {
            map.insert("_deleted".into(), true.into());
        }
        if !self.attachments.is_empty() {
            let mut atts = Map::new();
            for (name, att) in &self.attachments {
                let mut a = Map::new();
                a.insert("content_type".into(), att.content_type.clone().into());
                a.insert("digest".into(), att.digest.clone().into());
                a.insert("revpos".into(), att.revpos.into());
                match &att.data {
                    Some(data) if att.revpos > stub_through => {
                        let text = base64::engine::general_purpose::STANDARD.encode(data);
                        a.insert("data".into(), text.into());
                    }
                    _ => {
                        a.insert("stub".into(), true.into());
                        a.insert("length".into(), att.length.into());
                    }
                }
                atts.insert(name.clone(), Value::Object(a));
            }
            map.insert("_attachments".into(), Value::Object(atts));
        }
        Value::Object(map)
    }
}

fn parse_revisions(value: Option<Value>, limits: &Limits) -> Result<Revisions, DocProblem> {
    let value = value.ok_or(DocProblem::MissingRevisions)?;
    let Value::Object(map) = value else {
        return Err(DocProblem::BadRevisions(RevisionsError::NoIds));
    };
    let start = map
        .get("start")
        .and_then(Value::as_u64)
        .filter(|s| *s >= 1)
        .ok_or(DocProblem::BadRevisions(RevisionsError::NoIds))?;
    let ids = map
        .get("ids")
        .and_then(Value::as_array)
        .ok_or(DocProblem::BadRevisions(RevisionsError::NoIds))?;
    if ids.len() > limits.max_revision_ids {
        return Err(DocProblem::TooManyRevisions {
            found: ids.len(),
            max: limits.max_revision_ids,
        });
    }
    let ids: Option<Vec<String>> = ids.iter().map(|v| v.as_str().map(str::to_owned)).collect();
    let revisions = Revisions {
        start,
        ids: ids.ok_or(DocProblem::BadRevisions(RevisionsError::NoIds))?,
    };
    revisions.check().map_err(DocProblem::BadRevisions)?;
    Ok(revisions)
}

fn parse_attachments(
    value: Value,
    limits: &Limits,
) -> Result<BTreeMap<String, Attachment>, DocProblem> {
    let Value::Object(map) = value else {
        return Err(DocProblem::BadAttachment {
            name: String::new(),
            reason: "not an object",
        });
    };
    let mut out = BTreeMap::new();
    for (name, att) in map {
        let bad = |reason| DocProblem::BadAttachment {
            name: name.clone(),
            reason,
        };
        let Value::Object(att) = att else {
            return Err(bad("not an object"));
        };
        if name.is_empty() || name.starts_with('_') {
            return Err(bad("bad name"));
        }
        let content_type = att
            .get("content_type")
            .and_then(Value::as_str)
            .unwrap_or("application/octet-stream")
            .to_owned();
        let digest = att
            .get("digest")
            .and_then(Value::as_str)
            .filter(|d| d.starts_with("md5-"))
            .ok_or_else(|| bad("no md5 digest"))?
            .to_owned();
        let revpos = att
            .get("revpos")
            .and_then(Value::as_u64)
            .filter(|p| *p >= 1)
            .ok_or_else(|| bad("no revpos"))?;
        let stub = att.get("stub").and_then(Value::as_bool).unwrap_or(false);
        let (data, length) = match att.get("data") {
            Some(Value::String(text)) if !stub => {
                // A cheap bound before decoding: base64 is 4/3 of the data.
                if text.len() / 4 * 3 > limits.max_attachment_bytes + 3 {
                    return Err(DocProblem::AttachmentTooLarge {
                        name: name.clone(),
                        found: text.len() / 4 * 3,
                        max: limits.max_attachment_bytes,
                    });
                }
                let data = base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .map_err(|_| bad("data is not base64"))?;
                if data.len() > limits.max_attachment_bytes {
                    return Err(DocProblem::AttachmentTooLarge {
                        name: name.clone(),
                        found: data.len(),
                        max: limits.max_attachment_bytes,
                    });
                }
                if md5_digest(&data) != digest {
                    return Err(DocProblem::DigestMismatch { name: name.clone() });
                }
                let length = data.len() as u64;
                (Some(data), length)
            }
            None if stub => {
                let length = att
                    .get("length")
                    .and_then(Value::as_u64)
                    .ok_or_else(|| bad("stub without length"))?;
                (None, length)
            }
            _ => return Err(bad("neither data nor a stub")),
        };
        out.insert(
            name.clone(),
            Attachment {
                content_type,
                digest,
                length,
                revpos,
                data,
            },
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(extra: Value) -> Value {
        let mut base = json!({
            "_id": "response:1",
            "_rev": "2-bbb",
            "_revisions": {"start": 2, "ids": ["bbb", "aaa"]},
            "score": 7
        });
        for (k, v) in extra.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    }

    #[test]
    fn md5_digest_matches_couchdb() {
        // MD5("hello world") is 5eb63bbbe01eeed093cb22bb8f5acdc3, here in base64.
        assert_eq!(md5_digest(b"hello world"), "md5-XrY7u+Ae7tCTyyK7j1rNww==");
    }

    #[test]
    fn reads_a_document_with_history_and_attachments() {
        let data = b"\xff\xd8 photo";
        let d = ReplicatedDoc::from_json(
            doc(json!({
                "_attachments": {
                    "photo.jpg": {"content_type": "image/jpeg", "revpos": 2,
                        "digest": md5_digest(data),
                        "data": base64::engine::general_purpose::STANDARD.encode(data)},
                    "old.jpg": {"content_type": "image/jpeg", "revpos": 1,
                        "digest": "md5-AAAAAAAAAAAAAAAAAAAAAA==", "stub": true, "length": 9}
                },
                "_conflicts": ["2-zzz"]
            })),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(d.id, "response:1");
        assert_eq!(d.rev, Rev::new(2, "bbb"));
        assert_eq!(d.revisions.ids, ["bbb", "aaa"]);
        assert_eq!(d.body.get("score"), Some(&json!(7)));
        assert!(!d.body.contains_key("_conflicts"));
        assert_eq!(d.attachments["photo.jpg"].data.as_deref(), Some(&data[..]));
        assert_eq!(d.attachments["old.jpg"].data, None);
        // Back out: the new photo inline, the old one a stub.
        let out = d.to_json(1);
        assert_eq!(
            out["_attachments"]["photo.jpg"]["data"],
            json!(base64::engine::general_purpose::STANDARD.encode(data))
        );
        assert_eq!(out["_attachments"]["old.jpg"]["stub"], json!(true));
        assert_eq!(
            out["_revisions"],
            json!({"start": 2, "ids": ["bbb", "aaa"]})
        );
        // Everything is a stub once the target has revision 2.
        assert_eq!(
            d.to_json(2)["_attachments"]["photo.jpg"]["stub"],
            json!(true)
        );
    }

    #[test]
    fn refuses_what_a_peer_should_not_send() {
        let l = Limits::default();
        let check = |v: Value| ReplicatedDoc::from_json(v, &l).unwrap_err();
        assert_eq!(check(json!([1])), DocProblem::NotObject);
        assert_eq!(check(json!({"_rev": "1-a"})), DocProblem::MissingId);
        assert_eq!(check(doc(json!({"_id": 5}))), DocProblem::BadId);
        assert_eq!(
            check(doc(json!({"_rev": "x"}))),
            DocProblem::BadRev(RevError::NoDash)
        );
        assert_eq!(
            check(doc(
                json!({"_revisions": {"start": 2, "ids": ["ccc", "aaa"]}})
            )),
            DocProblem::RevisionsMismatch
        );
        assert_eq!(
            check(doc(
                json!({"_revisions": {"start": 3, "ids": ["bbb", "aaa"]}})
            )),
            DocProblem::RevisionsMismatch
        );
        assert!(matches!(
            check(doc(json!({"_revisions": {"start": 2, "ids": "bbb"}}))),
            DocProblem::BadRevisions(_)
        ));
        assert_eq!(
            check(doc(json!({"_deleted": "yes"}))),
            DocProblem::BadDeleted
        );
        assert_eq!(
            check(doc(json!({"_evil": 1}))),
            DocProblem::UnknownSpecialField("_evil".into())
        );
        let mut no_revs = doc(json!({}));
        no_revs.as_object_mut().unwrap().remove("_revisions");
        assert_eq!(check(no_revs), DocProblem::MissingRevisions);
        assert_eq!(
            check(doc(
                json!({"_attachments": {"a": {"revpos": 2, "digest": md5_digest(b"x"),
                "data": base64::engine::general_purpose::STANDARD.encode(b"y")}}})
            )),
            DocProblem::DigestMismatch { name: "a".into() }
        );
        assert!(matches!(
            check(doc(
                json!({"_attachments": {"a": {"revpos": 2, "digest": "md5-x", "data": "!!"}}})
            )),
            DocProblem::BadAttachment { .. }
        ));
        let small = Limits {
            max_doc_bytes: 50,
            max_attachment_bytes: 4,
            ..Limits::default()
        };
        let big = doc(json!({"text": "x".repeat(100)}));
        assert!(matches!(
            ReplicatedDoc::from_json(big, &small),
            Err(DocProblem::BodyTooLarge { .. })
        ));
        let big_att = doc(
            json!({"_attachments": {"a": {"revpos": 2, "digest": md5_digest(b"123456"),
            "data": base64::engine::general_purpose::STANDARD.encode(b"123456")}}}),
        );
        assert!(matches!(
            ReplicatedDoc::from_json(big_att, &small),
            Err(DocProblem::AttachmentTooLarge { .. })
        ));
        for p in [DocProblem::MissingId, DocProblem::RevisionsMismatch] {
            assert_ne!(p.describe(Lang::Ru), p.describe(Lang::En));
        }
    }
}
