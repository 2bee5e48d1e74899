//! Photos inside a bundle: metadata plus the image as base64 text, so a
//! backup stays one JSON file that survives mail and messengers.
//!
//! The bytes are checked by their magic numbers, not by the declared type:
//! a file claiming `image/png` that holds HTML or a script is refused before
//! the browser layer turns it into a blob and shows it.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::PhotoProblem;
use crate::domain::photo::PhotoMeta;
use crate::domain::Timestamp;

/// Wider or taller than any phone camera takes.
pub const MAX_DIMENSION: u32 = 30_000;

/// A photo as a bundle carries it: the device's [`PhotoMeta`] less the
/// stored size, which the data itself gives, plus the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRecord {
    pub id: Uuid,
    pub response_id: Uuid,
    pub question_id: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub taken_at: Timestamp,
    pub bytes_base64: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    Jpeg,
    Png,
    Webp,
}

impl ImageType {
    pub fn mime(self) -> &'static str {
        match self {
            ImageType::Jpeg => "image/jpeg",
            ImageType::Png => "image/png",
            ImageType::Webp => "image/webp",
        }
    }

    pub fn from_mime(mime: &str) -> Option<ImageType> {
        match mime.trim().to_ascii_lowercase().as_str() {
            "image/jpeg" | "image/jpg" => Some(ImageType::Jpeg),
            "image/png" => Some(ImageType::Png),
            "image/webp" => Some(ImageType::Webp),
            _ => None,
        }
    }

    /// The type the first bytes announce.
    pub fn sniff(bytes: &[u8]) -> Option<ImageType> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(ImageType::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(ImageType::Png),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => {
                Some(ImageType::Webp)
            }
            _ => None,
        }
    }
}

impl PhotoRecord {
    /// The record of a stored photo and its bytes; `None` when the bytes
    /// are not a JPEG, PNG or WebP image. The type is the one the bytes
    /// announce, whatever `meta` says.
    pub fn new(meta: &PhotoMeta, bytes: &[u8]) -> Option<PhotoRecord> {
        let kind = ImageType::sniff(bytes)?;
        Some(PhotoRecord {
            id: meta.id,
            response_id: meta.response_id,
            question_id: meta.question_id.clone(),
            mime: kind.mime().to_owned(),
            width: meta.width,
            height: meta.height,
            taken_at: meta.taken_at,
            bytes_base64: STANDARD.encode(bytes),
        })
    }

    /// What the device stores beside the blob of [`PhotoRecord::bytes`].
    pub fn meta(&self) -> PhotoMeta {
        PhotoMeta {
            id: self.id,
            response_id: self.response_id,
            question_id: self.question_id.clone(),
            mime: self.mime.clone(),
            width: self.width,
            height: self.height,
            bytes: exact_decoded_len(&self.bytes_base64),
            taken_at: self.taken_at,
        }
    }

    /// The image bytes, for a blob.
    pub fn bytes(&self) -> Result<Vec<u8>, PhotoProblem> {
        STANDARD
            .decode(self.bytes_base64.as_bytes())
            .map_err(|_| PhotoProblem::NotBase64)
    }

    /// Everything a bundle promises about a photo: real image bytes of the
    /// declared type and a plausible size.
    pub fn check(&self) -> Result<(), PhotoProblem> {
        let declared =
            ImageType::from_mime(&self.mime).ok_or_else(|| PhotoProblem::UnsupportedType {
                mime: self.mime.clone(),
            })?;
        let bytes = self.bytes()?;
        let actual = ImageType::sniff(&bytes).ok_or(PhotoProblem::NotAnImage)?;
        if actual != declared {
            return Err(PhotoProblem::TypeMismatch {
                declared: self.mime.clone(),
                actual: actual.mime().to_owned(),
            });
        }
        let fits = |d: u32| (1..=MAX_DIMENSION).contains(&d);
        if !fits(self.width) || !fits(self.height) {
            return Err(PhotoProblem::BadDimensions {
                width: self.width,
                height: self.height,
            });
        }
        Ok(())
    }
}

/// Decoded size of `len` characters of padded base64, an upper bound used
/// to refuse a huge photo before decoding it.
pub(super) fn decoded_len(len: usize) -> u64 {
    (len as u64).div_ceil(4) * 3
}

/// Decoded size of valid padded base64, without decoding it.
fn exact_decoded_len(data: &str) -> u64 {
    let padding = data.bytes().rev().take_while(|&b| b == b'=').count() as u64;
    decoded_len(data.len()).saturating_sub(padding.min(2))
}

#[cfg(test)]
pub(crate) mod samples {
    /// The smallest real images: a 1×1 PNG, JPEG and WebP.
    pub const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    pub const JPEG: &[u8] = &[
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9,
    ];
    pub const WEBP: &[u8] = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00";
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;

    fn meta() -> PhotoMeta {
        PhotoMeta {
            id: Uuid::from_u128(7),
            response_id: Uuid::nil(),
            question_id: "q".into(),
            mime: "image/gif".into(),
            width: 1,
            height: 1,
            bytes: 0,
            taken_at: Timestamp::new(0, 180),
        }
    }

    fn photo(bytes: &[u8]) -> PhotoRecord {
        PhotoRecord::new(&meta(), bytes).unwrap()
    }

    #[test]
    fn the_three_formats_are_recognised() {
        assert_eq!(photo(PNG).mime, "image/png");
        assert_eq!(photo(JPEG).mime, "image/jpeg");
        assert_eq!(photo(WEBP).mime, "image/webp");
        for b in [PNG, JPEG, WEBP] {
            assert_eq!(photo(b).check(), Ok(()));
            assert_eq!(photo(b).bytes().unwrap(), b);
        }
        assert!(PhotoRecord::new(&meta(), b"<svg/>").is_none());
        let back = photo(PNG).meta();
        assert_eq!(back.bytes, PNG.len() as u64);
        assert_eq!(back.mime, "image/png", "the bytes say what it is");
        assert_eq!((back.id, back.taken_at), (meta().id, meta().taken_at));
        for n in 0..5 {
            let p = photo(&[JPEG, &vec![0u8; n]].concat());
            assert_eq!(p.meta().bytes, (JPEG.len() + n) as u64);
        }
        assert_eq!(ImageType::sniff(b"GIF89a"), None);
        assert_eq!(ImageType::sniff(b""), None);
    }

    #[test]
    fn lies_about_photos_are_caught() {
        let mut p = photo(PNG);
        p.mime = "image/jpeg".into();
        assert!(matches!(p.check(), Err(PhotoProblem::TypeMismatch { .. })));
        p.mime = "image/svg+xml".into();
        assert!(matches!(
            p.check(),
            Err(PhotoProblem::UnsupportedType { .. })
        ));
        let mut p = photo(PNG);
        p.bytes_base64 = STANDARD.encode("<script>alert(1)</script>");
        assert_eq!(p.check(), Err(PhotoProblem::NotAnImage));
        p.bytes_base64 = "data:image/png;base64,AAAA".into();
        assert_eq!(p.check(), Err(PhotoProblem::NotBase64));
        let mut p = photo(JPEG);
        p.width = 0;
        assert!(matches!(p.check(), Err(PhotoProblem::BadDimensions { .. })));
        p.width = MAX_DIMENSION + 1;
        assert!(matches!(p.check(), Err(PhotoProblem::BadDimensions { .. })));
    }

    #[test]
    fn decoded_length_bound() {
        assert_eq!(decoded_len(0), 0);
        assert_eq!(decoded_len(4), 3);
        assert_eq!(
            decoded_len(STANDARD.encode(PNG).len()),
            PNG.len().div_ceil(3) as u64 * 3
        );
    }
}
