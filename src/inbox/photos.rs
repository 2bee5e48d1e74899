//! The photos of a sealed answer: the attachment [`crate::seal::seal_parts`]
//! cuts into parts. Binary, not JSON with base64:
//!
//! ```text
//! u32 BE   format version (1)
//! u32 BE   n, the length of the list
//! n bytes  JSON array of PhotoMeta, in order; each `bytes` is the length
//!          of its image
//! …        the images' bytes, concatenated in the list's order; nothing after
//! ```
//!
//! Why: the sealed document is base64url already, so base64 inside would
//! send every photo 16/9 of its size instead of 4/3, a third more over a
//! shopper's mobile network; the field device concatenates the blobs it
//! holds with no encoder in its download; and the manager's device holds
//! the reassembled attachment once and encodes one photo at a time into the
//! bundle's [`PhotoRecord`] (base64, as a file carries it).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use uuid::Uuid;

use crate::domain::photo::PhotoMeta;
use crate::exchange::bundle::{PhotoRecord, MAX_PHOTO_BYTES};
use crate::i18n::Lang;

/// The format version this build writes and reads.
pub const PHOTOS_VERSION: u32 = 1;
/// Bytes of the list: thousands of photos' metadata; the images are
/// elsewhere.
const MAX_LIST_BYTES: usize = 1 << 20;
/// Photos of one answer: far above a 40-item audit, bounded so a hostile
/// list costs little to refuse.
pub const MAX_PHOTOS: usize = 1_000;

/// Why an answer's photos could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoPayloadError {
    NewerFormat {
        found: u32,
    },
    /// Shorter than its header or list says, or longer than its photos.
    Truncated,
    /// The list is not a JSON array of photo metadata, or too long.
    BadList {
        detail: String,
    },
    /// The photos' lengths do not add up to the bytes there are.
    LengthMismatch {
        declared: u64,
        actual: u64,
    },
    /// A photo naming another response than the answer it was sealed in.
    OtherResponse {
        photo: Uuid,
    },
    TooLarge {
        photo: Uuid,
        bytes: u64,
        max: u64,
    },
}

impl PhotoPayloadError {
    pub fn message(&self, lang: Lang) -> String {
        use PhotoPayloadError as E;
        match (self, lang) {
            (E::NewerFormat { found }, Lang::Ru) => format!(
                "Фотографии ответа записаны более новой версией ServiceLens (формат {found}). \
                 Обновите приложение."
            ),
            (E::NewerFormat { found }, Lang::En) => format!(
                "The answer's photos were written by a newer ServiceLens (format {found}). \
                 Update the app."
            ),
            (E::Truncated, Lang::Ru) => "Фотографии ответа обрываются на середине.".to_owned(),
            (E::Truncated, Lang::En) => "The answer's photos are cut short.".to_owned(),
            (E::BadList { detail }, Lang::Ru) => {
                format!("Список фотографий ответа повреждён ({detail}).")
            }
            (E::BadList { detail }, Lang::En) => {
                format!("The answer's list of photos is damaged ({detail}).")
            }
            (E::LengthMismatch { declared, actual }, Lang::Ru) => format!(
                "Размеры фотографий ответа ({declared} байт) не совпадают с данными ({actual} \
                 байт)."
            ),
            (E::LengthMismatch { declared, actual }, Lang::En) => format!(
                "The answer's photo sizes ({declared} bytes) differ from the data ({actual} \
                 bytes)."
            ),
            (E::OtherResponse { photo }, Lang::Ru) => {
                format!("Фото «{photo}» относится к другому ответу, а не к тому, с которым пришло.")
            }
            (E::OtherResponse { photo }, Lang::En) => {
                format!("The photo “{photo}” names another response than the answer it came with.")
            }
            (E::TooLarge { photo, bytes, max }, Lang::Ru) => {
                format!("Фото «{photo}» слишком велико: {bytes} байт, допустимо не более {max}.")
            }
            (E::TooLarge { photo, bytes, max }, Lang::En) => {
                format!("The photo “{photo}” is too large: {bytes} bytes, at most {max} allowed.")
            }
        }
    }
}

/// The attachment of `photos` (each with its image bytes); each meta's
/// `bytes` is written as its image's length, whatever it said.
pub fn encode(photos: &[(PhotoMeta, &[u8])]) -> Vec<u8> {
    let metas: Vec<PhotoMeta> = photos
        .iter()
        .map(|(m, b)| PhotoMeta {
            bytes: b.len() as u64,
            ..m.clone()
        })
        .collect();
    let list = serde_json::to_vec(&metas).expect("photo metadata serialises");
    let images: usize = photos.iter().map(|(_, b)| b.len()).sum();
    let mut out = Vec::with_capacity(8 + list.len() + images);
    out.extend_from_slice(&PHOTOS_VERSION.to_be_bytes());
    out.extend_from_slice(&(list.len() as u32).to_be_bytes());
    out.extend_from_slice(&list);
    for (_, b) in photos {
        out.extend_from_slice(b);
    }
    out
}

/// The photos of the answer `response_id` as a bundle carries them. The
/// images are not judged here: the bundle's record checks do that, as for
/// a file.
pub fn decode(payload: &[u8], response_id: Uuid) -> Result<Vec<PhotoRecord>, PhotoPayloadError> {
    let word = |at: usize| -> Result<u32, PhotoPayloadError> {
        let b = payload
            .get(at..at + 4)
            .ok_or(PhotoPayloadError::Truncated)?;
        Ok(u32::from_be_bytes(b.try_into().expect("four bytes")))
    };
    let version = word(0)?;
    if version != PHOTOS_VERSION {
        return Err(if version > PHOTOS_VERSION {
            PhotoPayloadError::NewerFormat { found: version }
        } else {
            PhotoPayloadError::BadList {
                detail: format!("version {version}"),
            }
        });
    }
    let list_len = word(4)? as usize;
    if list_len > MAX_LIST_BYTES {
        return Err(PhotoPayloadError::BadList {
            detail: format!("{list_len} bytes"),
        });
    }
    let list = payload
        .get(8..8 + list_len)
        .ok_or(PhotoPayloadError::Truncated)?;
    let metas: Vec<PhotoMeta> =
        serde_json::from_slice(list).map_err(|e| PhotoPayloadError::BadList {
            detail: e.to_string().chars().take(120).collect(),
        })?;
    if metas.len() > MAX_PHOTOS {
        return Err(PhotoPayloadError::BadList {
            detail: format!("{} photos, at most {MAX_PHOTOS}", metas.len()),
        });
    }
    let images = &payload[8 + list_len..];
    for m in &metas {
        if m.response_id != response_id {
            return Err(PhotoPayloadError::OtherResponse { photo: m.id });
        }
        if m.bytes > MAX_PHOTO_BYTES {
            return Err(PhotoPayloadError::TooLarge {
                photo: m.id,
                bytes: m.bytes,
                max: MAX_PHOTO_BYTES,
            });
        }
    }
    // Each is at most MAX_PHOTO_BYTES and there are at most MAX_PHOTOS: no
    // overflow.
    let declared: u64 = metas.iter().map(|m| m.bytes).sum();
    if declared != images.len() as u64 {
        return Err(PhotoPayloadError::LengthMismatch {
            declared,
            actual: images.len() as u64,
        });
    }
    let mut at = 0usize;
    Ok(metas
        .into_iter()
        .map(|m| {
            let bytes = &images[at..at + m.bytes as usize];
            at += bytes.len();
            // The declared type is kept: the bundle's check compares it
            // with what the bytes are, as it does for a file.
            PhotoRecord {
                id: m.id,
                response_id: m.response_id,
                question_id: m.question_id,
                mime: m.mime,
                width: m.width,
                height: m.height,
                taken_at: m.taken_at,
                bytes_base64: STANDARD.encode(bytes),
            }
        })
        .collect())
}
