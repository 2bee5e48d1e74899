//! Sealed documents: what a field device writes to the inbox and what the
//! manager's device opens. See the module docs of [`crate::seal`] for what
//! is bound where.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::encoding::{b64, unb64, Reader, Writer};
use super::{
    hpke_open, hpke_receiver, hpke_seal, BindingField, CryptoRng, KeyRing, OpenError, SealError,
    TeamKeyPair, TeamPublicKey, INFO, KEY_BYTES, TAG_BYTES,
};
use crate::domain::Response;

/// The `type` of every sealed document, answer or part.
pub const DOC_TYPE: &str = "sealed";
/// The `v` this build writes and reads.
pub const DOC_VERSION: u32 = 1;
/// Plaintext bytes of one document: a response with its binding header, or
/// one part of its photos. Kept under a megabyte once in base64, the
/// default request cap of a reverse proxy such as nginx.
pub const MAX_SEALED_BYTES: usize = 512 * 1024;
/// Parts of one response: about 50 MB of photos, far above a 40-photo
/// audit; the inbox's `validate_doc_update` allows the same 1–99.
pub const MAX_PARTS: u32 = 99;
/// The JSON of one sealed document, `_rev` and all: what the inbox's
/// `validate_doc_update` can cap documents at.
pub const MAX_DOC_JSON_BYTES: usize = (MAX_SEALED_BYTES + TAG_BYTES).div_ceil(3) * 4 + 1024;

/// Ids and version texts in the binding header; the import checks the
/// real limits, this only keeps the header from growing without bound.
const MAX_BINDING_TEXT_BYTES: usize = 1024;
/// Sealed indices a misplaced part is tried against before it is called
/// damaged: enough for any real audit, bounded against a hostile set.
const MAX_PROBES: u32 = 64;
/// Domain label that starts the associated data.
const AAD_LABEL: &[u8] = b"servicelens/inbox/v1/aad";
/// Index in the associated data of the main document, whose parts are 1..=n.
const MAIN_INDEX: u32 = 0;

/// What a sealed response belongs to. Only the response id is visible
/// outside the ciphertext (in the document id); the rest is sealed with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub questionnaire_id: String,
    pub questionnaire_version: u32,
    pub location_id: String,
    pub response_id: Uuid,
}

impl Binding {
    pub fn of(response: &Response) -> Binding {
        Binding {
            questionnaire_id: response.questionnaire_id.clone(),
            questionnaire_version: response.questionnaire_version,
            location_id: response.location_id.clone(),
            response_id: response.id,
        }
    }
}

/// The photos' parts as the main document declares them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartsInfo {
    pub count: u32,
    /// Length of the reassembled attachment.
    pub bytes: u64,
    pub sha256: [u8; 32],
}

/// An opened answer. `response_json` is the response exactly as sealed; it
/// agrees with `binding`, and still has to pass the checks of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub kid: String,
    pub binding: Binding,
    pub response_json: String,
    pub parts: Option<PartsInfo>,
}

/// A document id of the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocId {
    /// `resp:<uuid>`: the answer.
    Response(Uuid),
    /// `resp:<uuid>:<n>`, n from 1: a part of its photos.
    Part { response: Uuid, index: u32 },
}

impl DocId {
    /// Only the spelling this module writes: lower-case hyphenated UUID,
    /// a part number without leading zeros, nothing more.
    pub fn parse(id: &str) -> Option<DocId> {
        let rest = id.strip_prefix("resp:")?;
        let (uuid_text, index) = match rest.split_once(':') {
            None => (rest, None),
            Some((u, n)) => (u, Some(n)),
        };
        let uuid = Uuid::try_parse(uuid_text).ok()?;
        if uuid.hyphenated().to_string() != uuid_text {
            return None;
        }
        match index {
            None => Some(DocId::Response(uuid)),
            Some(n) => {
                if n.starts_with('0') || !n.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let index: u32 = n.parse().ok()?;
                (1..=MAX_PARTS).contains(&index).then_some(DocId::Part {
                    response: uuid,
                    index,
                })
            }
        }
    }

    pub fn response_id(&self) -> Uuid {
        match *self {
            DocId::Response(u) | DocId::Part { response: u, .. } => u,
        }
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocId::Response(u) => write!(f, "resp:{}", u.hyphenated()),
            DocId::Part { response, index } => write!(f, "resp:{}:{index}", response.hyphenated()),
        }
    }
}

/// A sealed document exactly as the inbox stores it (CouchDB adds `_rev`,
/// which reading ignores).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedDoc {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    pub v: u32,
    pub kid: String,
    /// base64url of HPKE's encapsulated key.
    pub enc: String,
    /// base64url of the ciphertext and its tag.
    pub ct: String,
    /// A part's number (the one its id ends in), in the clear only for the
    /// inbox's `validate_doc_update`; the opener reads the number from the
    /// id and the sealed associated data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<u32>,
    /// On an answer with photos, its parts' count, for the server's checks
    /// as `part`; the sealed header holds the count the opener trusts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts: Option<u32>,
}

impl SealedDoc {
    /// Reads a document as fetched from the inbox; its size is checked
    /// before it is parsed.
    pub fn from_json(text: &str) -> Result<SealedDoc, OpenError> {
        if text.len() > MAX_DOC_JSON_BYTES {
            return Err(OpenError::Oversize {
                bytes: text.len() as u64,
                max: MAX_DOC_JSON_BYTES as u64,
            });
        }
        serde_json::from_str(text).map_err(|e| OpenError::Malformed {
            detail: e.to_string(),
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("strings and a number always serialise")
    }
}

/// The associated data of a document: everything the opener can see
/// before opening.
pub(super) fn aad(kid: &str, response_id: Uuid, index: u32, count: u32) -> Vec<u8> {
    Writer::default()
        .bytes(AAD_LABEL)
        .bytes(kid.as_bytes())
        .fixed(response_id.as_bytes())
        .u32(index)
        .u32(count)
        .finish()
}

pub(super) fn header(binding: &Binding, parts: Option<&PartsInfo>) -> Writer {
    let w = Writer::default()
        .bytes(binding.questionnaire_id.as_bytes())
        .u32(binding.questionnaire_version)
        .bytes(binding.location_id.as_bytes())
        .fixed(binding.response_id.as_bytes());
    match parts {
        None => w.u32(0),
        Some(p) => w.u32(p.count).u64(p.bytes).fixed(&p.sha256),
    }
}

/// What a response says about itself; serde skips everything else.
#[derive(Deserialize)]
struct Claims {
    id: Uuid,
    questionnaire_id: String,
    questionnaire_version: u32,
    #[serde(default)]
    location_id: String,
}

/// The first field where the response's own claims differ from `binding`:
/// `(field, bound, claimed)`.
fn claims_differ(
    binding: &Binding,
    response_json: &str,
) -> Result<Option<(BindingField, String, String)>, String> {
    let c: Claims = serde_json::from_str(response_json).map_err(|e| e.to_string())?;
    let diff = if c.id != binding.response_id {
        Some((
            BindingField::ResponseId,
            binding.response_id.to_string(),
            c.id.to_string(),
        ))
    } else if c.questionnaire_id != binding.questionnaire_id {
        Some((
            BindingField::Questionnaire,
            binding.questionnaire_id.clone(),
            c.questionnaire_id,
        ))
    } else if c.questionnaire_version != binding.questionnaire_version {
        Some((
            BindingField::Version,
            binding.questionnaire_version.to_string(),
            c.questionnaire_version.to_string(),
        ))
    } else if c.location_id != binding.location_id {
        Some((
            BindingField::Location,
            binding.location_id.clone(),
            c.location_id,
        ))
    } else {
        None
    };
    Ok(diff)
}

fn check_before_sealing(binding: &Binding, response_json: &str) -> Result<(), SealError> {
    for text in [&binding.questionnaire_id, &binding.location_id] {
        if text.len() > MAX_BINDING_TEXT_BYTES {
            return Err(SealError::TooLarge {
                bytes: text.len() as u64,
                max: MAX_BINDING_TEXT_BYTES as u64,
            });
        }
    }
    match claims_differ(binding, response_json) {
        Err(detail) => Err(SealError::NotAResponse { detail }),
        Ok(Some((field, bound, claimed))) => Err(SealError::BindingMismatch {
            field,
            bound,
            claimed,
        }),
        Ok(None) => Ok(()),
    }
}

fn sealed_doc(id: DocId, pk: &TeamPublicKey, enc: [u8; KEY_BYTES], ct: &[u8]) -> SealedDoc {
    SealedDoc {
        id: id.to_string(),
        doc_type: DOC_TYPE.to_owned(),
        v: DOC_VERSION,
        kid: pk.kid().to_owned(),
        enc: b64(&enc),
        ct: b64(ct),
        part: match id {
            DocId::Part { index, .. } => Some(index),
            DocId::Response(_) => None,
        },
        parts: None,
    }
}

fn seal_main(
    pk: &TeamPublicKey,
    binding: &Binding,
    response_json: &str,
    parts: Option<&PartsInfo>,
    rng: &mut impl CryptoRng,
) -> Result<SealedDoc, SealError> {
    check_before_sealing(binding, response_json)?;
    let mut plaintext = header(binding, parts).finish();
    plaintext.extend_from_slice(response_json.as_bytes());
    if plaintext.len() > MAX_SEALED_BYTES {
        return Err(SealError::TooLarge {
            bytes: plaintext.len() as u64,
            max: MAX_SEALED_BYTES as u64,
        });
    }
    let aad = aad(pk.kid(), binding.response_id, MAIN_INDEX, 0);
    let (enc, ct) = hpke_seal(pk.bytes(), INFO, &aad, &plaintext, rng).ok_or(SealError::BadKey)?;
    Ok(sealed_doc(
        DocId::Response(binding.response_id),
        pk,
        enc,
        &ct,
    ))
}

/// Seals one response (its JSON, as `serde_json` writes a
/// [`crate::domain::Response`]) into the document `resp:<response id>`.
/// Refused before sealing when the response contradicts `binding`, since
/// the manager would refuse it after.
pub fn seal(
    pk: &TeamPublicKey,
    binding: &Binding,
    response_json: &str,
    rng: &mut impl CryptoRng,
) -> Result<SealedDoc, SealError> {
    seal_main(pk, binding, response_json, None, rng)
}

/// Seals a response with an attachment (its photos, in whatever byte
/// format the caller reads back): the main document first, then parts
/// `resp:<uuid>:1..=n` of at most `max_part` bytes each (capped at
/// [`MAX_SEALED_BYTES`]). An empty attachment gives the main document only.
pub fn seal_parts(
    pk: &TeamPublicKey,
    binding: &Binding,
    response_json: &str,
    attachment: &[u8],
    max_part: usize,
    rng: &mut impl CryptoRng,
) -> Result<Vec<SealedDoc>, SealError> {
    if attachment.is_empty() {
        return Ok(vec![seal(pk, binding, response_json, rng)?]);
    }
    let max_part = max_part.clamp(1, MAX_SEALED_BYTES);
    let count = attachment.len().div_ceil(max_part);
    if count > MAX_PARTS as usize {
        return Err(SealError::TooManyParts {
            count: count as u64,
            max: MAX_PARTS,
        });
    }
    let count = count as u32;
    let info = PartsInfo {
        count,
        bytes: attachment.len() as u64,
        sha256: Sha256::digest(attachment).into(),
    };
    let mut docs = Vec::with_capacity(count as usize + 1);
    let mut main = seal_main(pk, binding, response_json, Some(&info), rng)?;
    main.parts = Some(count);
    docs.push(main);
    for (i, chunk) in attachment.chunks(max_part).enumerate() {
        let index = i as u32 + 1;
        let aad = aad(pk.kid(), binding.response_id, index, count);
        let (enc, ct) = hpke_seal(pk.bytes(), INFO, &aad, chunk, rng).ok_or(SealError::BadKey)?;
        let id = DocId::Part {
            response: binding.response_id,
            index,
        };
        docs.push(sealed_doc(id, pk, enc, &ct));
    }
    Ok(docs)
}

/// The checks every document passes before any decryption: shape, version,
/// size, a key this device holds, base64url fields.
fn unwrap_doc<'k>(
    keys: &'k KeyRing,
    doc: &SealedDoc,
) -> Result<(&'k TeamKeyPair, [u8; KEY_BYTES], Vec<u8>), OpenError> {
    if doc.doc_type != DOC_TYPE {
        return Err(OpenError::Malformed {
            detail: format!("type “{}”", doc.doc_type),
        });
    }
    if doc.v > DOC_VERSION {
        return Err(OpenError::NewerVersion {
            found: doc.v,
            supported: DOC_VERSION,
        });
    }
    if doc.v != DOC_VERSION {
        return Err(OpenError::Malformed {
            detail: format!("v {}", doc.v),
        });
    }
    // base64url of the largest ciphertext allowed, without padding.
    let max_ct_chars = ((MAX_SEALED_BYTES + TAG_BYTES) * 4).div_ceil(3);
    if doc.ct.len() > max_ct_chars {
        return Err(OpenError::Oversize {
            bytes: doc.ct.len() as u64,
            max: max_ct_chars as u64,
        });
    }
    let key = keys.get(&doc.kid).ok_or_else(|| OpenError::UnknownKey {
        kid: doc.kid.chars().take(64).collect(),
    })?;
    let enc: [u8; KEY_BYTES] =
        unb64(&doc.enc)
            .and_then(|e| e.try_into().ok())
            .ok_or_else(|| OpenError::Malformed {
                detail: "enc".to_owned(),
            })?;
    let ct = unb64(&doc.ct).ok_or_else(|| OpenError::Malformed {
        detail: "ct".to_owned(),
    })?;
    Ok((key, enc, ct))
}

fn parse_header(plaintext: &[u8]) -> Option<(Binding, Option<PartsInfo>, &[u8])> {
    let mut r = Reader::new(plaintext);
    let questionnaire_id = r.text()?.to_owned();
    let questionnaire_version = r.u32()?;
    let location_id = r.text()?.to_owned();
    let response_id = Uuid::from_slice(r.fixed(16)?).ok()?;
    let count = r.u32()?;
    let parts = if count == 0 {
        None
    } else {
        let bytes = r.u64()?;
        let sha256: [u8; 32] = r.fixed(32)?.try_into().ok()?;
        // Every part holds at least one byte and at most the document cap.
        let fits = count <= MAX_PARTS
            && bytes >= u64::from(count)
            && bytes <= u64::from(count) * MAX_SEALED_BYTES as u64;
        if !fits {
            return None;
        }
        Some(PartsInfo {
            count,
            bytes,
            sha256,
        })
    };
    let binding = Binding {
        questionnaire_id,
        questionnaire_version,
        location_id,
        response_id,
    };
    Some((binding, parts, r.rest()))
}

/// Opens an answer `resp:<uuid>` with whichever key of `keys` it names,
/// and checks that what it says agrees with what it was sealed under.
pub fn open(keys: &KeyRing, doc: &SealedDoc) -> Result<Opened, OpenError> {
    let response_id = match DocId::parse(&doc.id) {
        Some(DocId::Response(u)) => u,
        Some(DocId::Part { .. }) => return Err(OpenError::NotAnAnswer),
        None => {
            return Err(OpenError::Malformed {
                detail: format!("_id “{}”", doc.id.chars().take(80).collect::<String>()),
            })
        }
    };
    let (key, enc, ct) = unwrap_doc(keys, doc)?;
    let aad = aad(key.kid(), response_id, MAIN_INDEX, 0);
    let plaintext =
        hpke_open(key.private(), &enc, INFO, &aad, &ct).ok_or(OpenError::DecryptFailed)?;
    let (binding, parts, body) =
        parse_header(&plaintext).ok_or_else(|| OpenError::NotAResponse {
            detail: "binding header".to_owned(),
        })?;
    if binding.response_id != response_id {
        return Err(OpenError::BindingMismatch {
            field: BindingField::DocumentId,
            bound: binding.response_id.to_string(),
            claimed: response_id.to_string(),
        });
    }
    let response_json = std::str::from_utf8(body)
        .map_err(|_| OpenError::NotAResponse {
            detail: "not UTF-8".to_owned(),
        })?
        .to_owned();
    match claims_differ(&binding, &response_json) {
        Err(detail) => Err(OpenError::NotAResponse { detail }),
        Ok(Some((field, bound, claimed))) => Err(OpenError::BindingMismatch {
            field,
            bound,
            claimed,
        }),
        Ok(None) => Ok(Opened {
            kid: key.kid().to_owned(),
            binding,
            response_json,
            parts,
        }),
    }
}

/// Reassembles the attachment of an opened answer from its part documents,
/// in any order. Every part must be there once, under its own number, and
/// the whole must be what the answer declared.
pub fn open_parts(keys: &KeyRing, main: &Opened, docs: &[SealedDoc]) -> Result<Vec<u8>, OpenError> {
    let response_id = main.binding.response_id;
    let count = main.parts.as_ref().map_or(0, |p| p.count);
    let mut slots: Vec<Option<&SealedDoc>> = vec![None; count as usize];
    for doc in docs {
        let index = match DocId::parse(&doc.id) {
            Some(DocId::Part { response, index }) if response == response_id => index,
            _ => {
                return Err(OpenError::Malformed {
                    detail: format!(
                        "“{}” is not a part of resp:{response_id}",
                        doc.id.chars().take(80).collect::<String>()
                    ),
                })
            }
        };
        if index > count {
            return Err(OpenError::ExtraPart { index, count });
        }
        let slot = &mut slots[index as usize - 1];
        if slot.is_some() {
            return Err(OpenError::DuplicatePart { index });
        }
        *slot = Some(doc);
    }
    if let Some(missing) = slots.iter().position(Option::is_none) {
        return Err(OpenError::MissingPart {
            index: missing as u32 + 1,
            count,
        });
    }
    let Some(info) = &main.parts else {
        return Ok(Vec::new());
    };
    // The declared length is the sender's word: reserve what the parts
    // can actually hold, not what it claims.
    let room: usize = slots.iter().flatten().map(|d| d.ct.len() / 4 * 3).sum();
    let mut whole = Vec::with_capacity(room.min(info.bytes as usize));
    for (i, doc) in slots.into_iter().flatten().enumerate() {
        let index = i as u32 + 1;
        let part_err = |problem| OpenError::Part {
            index,
            problem: Box::new(problem),
        };
        let (key, enc, ct) = unwrap_doc(keys, doc).map_err(part_err)?;
        let mut rx =
            hpke_receiver(key.private(), &enc, INFO).ok_or(part_err(OpenError::DecryptFailed))?;
        let here = aad(key.kid(), response_id, index, count);
        match rx.open(&ct, &here) {
            Ok(chunk) => whole.extend_from_slice(&chunk),
            Err(_) => {
                let belongs = (1..=count)
                    .filter(|&j| j != index)
                    .take(MAX_PROBES as usize)
                    .find(|&j| rx.open(&ct, &aad(key.kid(), response_id, j, count)).is_ok());
                return Err(match belongs {
                    Some(belongs) => OpenError::MisplacedPart { at: index, belongs },
                    None => part_err(OpenError::DecryptFailed),
                });
            }
        }
        if whole.len() as u64 > info.bytes {
            break;
        }
    }
    let digest: [u8; 32] = Sha256::digest(&whole).into();
    if whole.len() as u64 != info.bytes || digest != info.sha256 {
        return Err(OpenError::PartsMismatch);
    }
    Ok(whole)
}

/// An answer sealed under the id `resp:<doc_id>` around `binding`'s header
/// and any `body`: what a sender holding the link could make with code of
/// its own. For tests, here and in the inbox, of what opening refuses, and
/// for the end-to-end fixture maker (`examples/seal_fixture.rs`, behind the
/// `fixtures` feature, never in the app's build).
#[cfg(any(test, feature = "fixtures"))]
pub fn forge(
    pk: &TeamPublicKey,
    doc_id: Uuid,
    binding: &Binding,
    body: &[u8],
    rng: &mut impl CryptoRng,
) -> SealedDoc {
    let mut plaintext = header(binding, None).finish();
    plaintext.extend_from_slice(body);
    let aad = aad(pk.kid(), doc_id, MAIN_INDEX, 0);
    let (enc, ct) = hpke_seal(pk.bytes(), INFO, &aad, &plaintext, rng).expect("a valid key");
    sealed_doc(DocId::Response(doc_id), pk, enc, &ct)
}
