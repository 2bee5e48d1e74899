//! The field device's side: a submitted response and its photos sealed
//! into the inbox documents to create, in the order to create them.

use super::photos;
use crate::domain::photo::PhotoMeta;
use crate::domain::Response;
use crate::seal::{self, Binding, BindingField, CryptoRng, SealError, SealedDoc, TeamPublicKey};

/// Parts the inbox's `validate_doc_update` accepts for one answer
/// (`couch/inbox.design.json`): the sealing's own limit.
pub const MAX_DELIVERED_PARTS: u32 = seal::MAX_PARTS;

/// A sealed answer: the answer document and its photo parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub answer: SealedDoc,
    /// `resp:<uuid>:1..=n`, in order; empty without photos.
    pub parts: Vec<SealedDoc>,
}

impl Submission {
    /// The sealed documents in sending order, for the field device's
    /// outbox ([`crate::delivery::Delivery::new`]): the parts first, the
    /// answer last. A device cut off mid-upload then leaves only parts
    /// without their answer, which the manager's device holds aside; and
    /// when the answer arrives its parts are already there to read.
    pub fn into_docs(self) -> Vec<SealedDoc> {
        let mut docs = self.parts;
        docs.push(self.answer);
        docs
    }

    /// Every document id, the answer's first: what the outbox tracks.
    pub fn doc_ids(&self) -> Vec<String> {
        std::iter::once(self.answer.id.clone())
            .chain(self.parts.iter().map(|p| p.id.clone()))
            .collect()
    }
}

/// Seals a submitted `response` and its `photos` (each with its image
/// bytes, in the order the audit lists them) to the team key `pk`. The
/// photos travel in the format of [`super::photos`], cut into parts of
/// [`seal::MAX_SEALED_BYTES`].
///
/// Refused before sealing what the manager's device would refuse: a draft,
/// a photo of another response, more photos than
/// [`MAX_DELIVERED_PARTS`] hold.
pub fn seal_submission(
    pk: &TeamPublicKey,
    response: &Response,
    photos: &[(PhotoMeta, &[u8])],
    rng: &mut impl CryptoRng,
) -> Result<Submission, SealError> {
    if response.is_draft() {
        return Err(SealError::NotAResponse {
            detail: "a draft, not submitted".to_owned(),
        });
    }
    if let Some((m, _)) = photos.iter().find(|(m, _)| m.response_id != response.id) {
        return Err(SealError::BindingMismatch {
            field: BindingField::ResponseId,
            bound: response.id.to_string(),
            claimed: m.response_id.to_string(),
        });
    }
    let attachment = if photos.is_empty() {
        Vec::new()
    } else {
        photos::encode(photos)
    };
    let count = attachment.len().div_ceil(seal::MAX_SEALED_BYTES);
    if count > MAX_DELIVERED_PARTS as usize {
        return Err(SealError::TooManyParts {
            count: count as u64,
            max: MAX_DELIVERED_PARTS,
        });
    }
    let json = serde_json::to_string(response).expect("a response serialises");
    let mut docs = seal::seal_parts(
        pk,
        &Binding::of(response),
        &json,
        &attachment,
        seal::MAX_SEALED_BYTES,
        rng,
    )?
    .into_iter();
    let answer = docs.next().expect("the answer comes first");
    Ok(Submission {
        answer,
        parts: docs.collect(),
    })
}
