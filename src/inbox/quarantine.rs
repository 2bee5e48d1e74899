//! The quarantine: inbox documents that were not taken, each with its
//! reason, so nothing that arrives is counted unchecked or dropped unseen.
//! An entry is never counted: it is not in any bundle. It names the
//! document id, so storing entries keyed by `(doc_id, kind)` makes a
//! re-read batch add nothing twice, and an entry whose document is later
//! taken (a photo part that came long before its answer, see
//! [`super::open::Opened::doc_ids`]) can be dropped by id.

use serde::{Deserialize, Serialize};

use super::photos::PhotoPayloadError;
use super::Opened;
use crate::domain::questionnaire::Text;
use crate::domain::Timestamp;
use crate::exchange::bundle::{BundleError, RecordKind};
use crate::exchange::merge::{MergeReport, RejectReason};
use crate::i18n::Lang;
use crate::seal::{BindingField, OpenError};

/// One document not taken, and when it was found out.
#[derive(Debug, Clone, PartialEq)]
pub struct Quarantined {
    pub doc_id: String,
    pub reason: QuarantineReason,
    pub at: Timestamp,
}

impl Quarantined {
    /// What the device stores and the quarantine list shows: the reason's
    /// words in both languages, so a later build reads the list without
    /// knowing today's error types.
    pub fn stored(&self) -> StoredQuarantine {
        StoredQuarantine {
            doc_id: self.doc_id.clone(),
            kind: self.reason.kind().to_owned(),
            at: self.at,
            message: Text::new(self.reason.message(Lang::Ru), self.reason.message(Lang::En)),
        }
    }
}

/// [`Quarantined`] as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredQuarantine {
    pub doc_id: String,
    pub kind: String,
    pub at: Timestamp,
    pub message: Text,
}

impl StoredQuarantine {
    /// The key the store keeps an entry under.
    pub fn key(&self) -> String {
        format!("{}|{}", self.doc_id, self.kind)
    }
}

/// Why an inbox document was not taken.
#[derive(Debug, Clone, PartialEq)]
pub enum QuarantineReason {
    /// Sealed to a key this device does not hold: another team's, or one
    /// not imported here.
    UnknownKey {
        kid: String,
    },
    /// Does not open under the key it names: changed after sealing, sealed
    /// to another team's key under this key's id, or its ciphertext copied
    /// under another id (the id is in the associated data).
    DecryptFailed,
    /// Not a sealed document at all: other fields, another id shape.
    ForeignShape {
        detail: String,
    },
    /// Sealed by a newer build of the app.
    NewerVersion {
        found: u32,
    },
    /// Opens, but what is sealed inside names another response id than the
    /// document (or another questionnaire, version or place than the
    /// response claims): an answer re-sealed under a new id.
    BindingMismatch {
        field: BindingField,
        bound: String,
        claimed: String,
    },
    /// Opens, but holds no response.
    NotAResponse {
        detail: String,
    },
    /// A draft: field devices send only what was submitted.
    NotSubmitted,
    Oversize {
        bytes: u64,
        max: u64,
    },
    /// The photo parts are there but do not fit together (missing, extra,
    /// duplicated, out of place, of another sending).
    DamagedParts(OpenError),
    /// The photos, once together, are not readable.
    BadPhotos(PhotoPayloadError),
    /// The answer waited for its photo parts longer, or alongside more
    /// answers, than the device keeps track of.
    IncompleteParts {
        count: u32,
        missing: u32,
    },
    /// A photo part whose answer never came, or was itself refused.
    OrphanPart,
    /// Listed by the feed, and gone when read again.
    Gone,
    /// Fails the checks an imported file's records pass.
    InvalidRecord(BundleError),
    /// Answers a questionnaire version this device does not hold.
    UnknownVersion {
        questionnaire_id: String,
        version: u32,
    },
    /// A different copy of a response already stored as submitted.
    ChangedSubmitted,
    /// Any other record of the answer the merge rejected.
    Refused {
        kind: RecordKind,
        id: String,
        reason: RejectReason,
    },
}

impl QuarantineReason {
    /// Why a document did not open.
    pub fn from_open(e: OpenError) -> QuarantineReason {
        use QuarantineReason as Q;
        match e {
            OpenError::Malformed { detail } => Q::ForeignShape { detail },
            OpenError::NotAnAnswer => Q::ForeignShape {
                detail: "a part where an answer was expected".to_owned(),
            },
            OpenError::NewerVersion { found, .. } => Q::NewerVersion { found },
            OpenError::UnknownKey { kid } => Q::UnknownKey { kid },
            OpenError::Oversize { bytes, max } => Q::Oversize { bytes, max },
            OpenError::DecryptFailed => Q::DecryptFailed,
            OpenError::NotAResponse { detail } => Q::NotAResponse { detail },
            OpenError::BindingMismatch {
                field,
                bound,
                claimed,
            } => Q::BindingMismatch {
                field,
                bound,
                claimed,
            },
            parts @ (OpenError::MissingPart { .. }
            | OpenError::ExtraPart { .. }
            | OpenError::DuplicatePart { .. }
            | OpenError::MisplacedPart { .. }
            | OpenError::PartsMismatch
            | OpenError::Part { .. }) => Q::DamagedParts(parts),
        }
    }

    /// A stable snake_case name, for the stored list and logs.
    pub fn kind(&self) -> &'static str {
        use QuarantineReason as Q;
        match self {
            Q::UnknownKey { .. } => "unknown_key",
            Q::DecryptFailed => "decrypt_failed",
            Q::ForeignShape { .. } => "foreign_shape",
            Q::NewerVersion { .. } => "newer_version",
            Q::BindingMismatch { .. } => "binding_mismatch",
            Q::NotAResponse { .. } => "not_a_response",
            Q::NotSubmitted => "not_submitted",
            Q::Oversize { .. } => "oversize",
            Q::DamagedParts(_) => "damaged_parts",
            Q::BadPhotos(_) => "bad_photos",
            Q::IncompleteParts { .. } => "incomplete_parts",
            Q::OrphanPart => "orphan_part",
            Q::Gone => "gone",
            Q::InvalidRecord(_) => "invalid_record",
            Q::UnknownVersion { .. } => "unknown_version",
            Q::ChangedSubmitted => "changed_submitted",
            Q::Refused { .. } => "refused",
        }
    }

    /// For a manager: what happened and whether anything can be done.
    pub fn message(&self, lang: Lang) -> String {
        use QuarantineReason as Q;
        // What opening says already, in the same words.
        let open = |e: OpenError| e.message(lang);
        match (self, lang) {
            (Q::UnknownKey { kid }, _) => open(OpenError::UnknownKey { kid: kid.clone() }),
            (Q::DecryptFailed, _) => open(OpenError::DecryptFailed),
            (Q::ForeignShape { detail }, _) => open(OpenError::Malformed {
                detail: detail.clone(),
            }),
            (Q::NewerVersion { found }, _) => open(OpenError::NewerVersion {
                found: *found,
                supported: crate::seal::DOC_VERSION,
            }),
            (
                Q::BindingMismatch {
                    field,
                    bound,
                    claimed,
                },
                _,
            ) => open(OpenError::BindingMismatch {
                field: *field,
                bound: bound.clone(),
                claimed: claimed.clone(),
            }),
            (Q::NotAResponse { detail }, _) => open(OpenError::NotAResponse {
                detail: detail.clone(),
            }),
            (Q::Oversize { bytes, max }, _) => open(OpenError::Oversize {
                bytes: *bytes,
                max: *max,
            }),
            (Q::DamagedParts(e), _) => e.message(lang),
            (Q::NotSubmitted, Lang::Ru) => {
                "Пришёл черновик, а не отправленный ответ. Его не учитывают.".to_owned()
            }
            (Q::NotSubmitted, Lang::En) => {
                "A draft arrived, not a submitted answer. It is not counted.".to_owned()
            }
            (Q::BadPhotos(e), Lang::Ru) => {
                format!("{} Ответ не учитывают.", e.message(lang))
            }
            (Q::BadPhotos(e), Lang::En) => {
                format!("{} The answer is not counted.", e.message(lang))
            }
            (Q::IncompleteParts { count, missing }, Lang::Ru) => format!(
                "Ответ так и не получил все фотографии: не пришло {missing} частей из {count}. \
                 Его не учитывают; попросите отправить аудит ещё раз или файлом."
            ),
            (Q::IncompleteParts { count, missing }, Lang::En) => format!(
                "The answer never got all its photos: {missing} of {count} parts did not \
                 arrive. It is not counted; ask for the audit to be sent again, or as a file."
            ),
            (Q::OrphanPart, Lang::Ru) => {
                "Часть фотографий без ответа: сам ответ не пришёл или был отклонён.".to_owned()
            }
            (Q::OrphanPart, Lang::En) => {
                "A part of photos without its answer: the answer did not arrive or was refused."
                    .to_owned()
            }
            (Q::Gone, Lang::Ru) => {
                "Документ исчез из входящих, пока его читали. Его не учитывают.".to_owned()
            }
            (Q::Gone, Lang::En) => {
                "The document vanished from the inbox while it was being read. It is not counted."
                    .to_owned()
            }
            (Q::InvalidRecord(e), Lang::Ru) => format!(
                "Ответ не прошёл проверку, как файл при импорте: {}",
                e.message(lang)
            ),
            (Q::InvalidRecord(e), Lang::En) => format!(
                "The answer fails the checks an imported file passes: {}",
                e.message(lang)
            ),
            (
                Q::UnknownVersion {
                    questionnaire_id,
                    version,
                },
                Lang::Ru,
            ) => format!(
                "Ответ на анкету «{questionnaire_id}» версии {version}, которой нет на этом \
                 устройстве. Импортируйте анкету или синхронизируйтесь с командой — ответ \
                 прочитается при следующей загрузке."
            ),
            (
                Q::UnknownVersion {
                    questionnaire_id,
                    version,
                },
                Lang::En,
            ) => format!(
                "An answer to the questionnaire “{questionnaire_id}” version {version}, which \
                 this device does not hold. Import it or sync with the team, and the answer is \
                 read on the next pull."
            ),
            (Q::ChangedSubmitted, Lang::Ru) => {
                "Пришла изменённая копия уже отправленного ответа. Отправленный ответ не \
                 меняется; копию не учитывают."
                    .to_owned()
            }
            (Q::ChangedSubmitted, Lang::En) => {
                "A changed copy of an answer already submitted arrived. A submitted answer never \
                 changes; the copy is not counted."
                    .to_owned()
            }
            (Q::Refused { id, reason, .. }, _) => reason.message(id, lang),
        }
    }
}

/// The quarantine entries for what the merge of `opened` rejected, so that
/// nothing rejected is dropped unseen; empty when the merge took it or
/// skipped it as already stored. A photo rejected only because its
/// response was is not listed again. Conflicts are not here: the merge
/// keeps them for the manager to choose.
pub fn quarantine_from_report(
    report: &MergeReport,
    opened: &Opened,
    at: Timestamp,
) -> Vec<Quarantined> {
    let doc_id = opened.doc_ids.first().cloned().unwrap_or_default();
    let rejected_responses: Vec<&str> = report
        .kind(RecordKind::Response)
        .rejected
        .iter()
        .map(|(id, _)| id.as_str())
        .collect();
    let mut out = Vec::new();
    for kind in RecordKind::ALL {
        for (id, reason) in &report.kind(kind).rejected {
            let reason = match (kind, reason) {
                (RecordKind::Response, RejectReason::UnknownQuestionnaire { id: q, version }) => {
                    QuarantineReason::UnknownVersion {
                        questionnaire_id: q.clone(),
                        version: *version,
                    }
                }
                (RecordKind::Response, RejectReason::SubmittedIsFinal) => {
                    QuarantineReason::ChangedSubmitted
                }
                (_, RejectReason::UnknownResponse { id: r })
                    if rejected_responses.contains(&r.as_str()) =>
                {
                    continue
                }
                (kind, reason) => QuarantineReason::Refused {
                    kind,
                    id: id.clone(),
                    reason: reason.clone(),
                },
            };
            out.push(Quarantined {
                doc_id: doc_id.clone(),
                reason,
                at,
            });
        }
    }
    out
}
