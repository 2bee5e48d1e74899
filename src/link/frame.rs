//! The text around a link's compressed body: `#/q/<version>.<data>`, where
//! `<data>` is base64url without padding of the body's length (LEB128), the
//! body and a CRC-32 of the two. Reading checks, in order, the prefix, the
//! version, the characters, the length and the checksum, so a cut-short
//! link is told from an altered one (see the module doc of [`super`]).

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use super::crc32;
use super::deflate::MAX_INFLATED_BYTES;
use super::error::LinkError;

/// The link format version written by [`super::encode`].
pub const LINK_VERSION: u32 = 1;

/// What precedes the payload in a fragment; [`crate::routes::Route::Link`]
/// carries what follows it.
pub const FRAGMENT_PREFIX: &str = "#/q/";

/// Deflate never grows data by more than a few bytes per 64 KiB block, so a
/// longer text cannot inflate to anything under the cap and is refused
/// before it is decoded.
const MAX_DATA_CHARS: usize = (MAX_INFLATED_BYTES + MAX_INFLATED_BYTES / 64 + 64) / 3 * 4;

/// The length prefix is at most 3 LEB128 bytes (2 MiB), more than any link
/// within [`MAX_DATA_CHARS`] can hold.
const MAX_LENGTH_BYTES: usize = 3;

const CRC_BYTES: usize = 4;

/// Decoding tolerates nonzero leftover bits in the last character so a cut
/// short link is reported by its length rather than as bad base64; the
/// re-encoding check in [`unpack`] still refuses a link that differs from
/// the canonical one.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// The link text, `#/q/1.<data>`, around a compressed body.
pub(super) fn write(body: &[u8]) -> String {
    format!("{FRAGMENT_PREFIX}{LINK_VERSION}.{}", pack(body))
}

/// The checked body of a link in any of the forms a user or the router
/// hands over: the whole URL, the fragment (`#/q/1.…`), or just what
/// follows `#/q/`.
pub(super) fn read(link: &str) -> Result<Vec<u8>, LinkError> {
    let payload = payload_part(link.trim())?;
    let (version, data) = payload.split_once('.').ok_or(LinkError::NotALink)?;
    if version.is_empty() || version.len() > 9 || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::NotALink);
    }
    let version: u32 = version.parse().map_err(|_| LinkError::NotALink)?;
    match version {
        0 => return Err(LinkError::UnknownVersion { found: 0 }),
        LINK_VERSION => {}
        found => {
            return Err(LinkError::NewerVersion {
                found,
                supported: LINK_VERSION,
            })
        }
    }
    unpack(data)
}

fn payload_part(link: &str) -> Result<&str, LinkError> {
    match link.split_once('#') {
        Some((_, fragment)) => fragment.strip_prefix("/q/").ok_or(LinkError::NotALink),
        None => Ok(link.strip_prefix("/q/").unwrap_or(link)),
    }
}

fn pack(body: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(body.len() + MAX_LENGTH_BYTES + CRC_BYTES);
    let mut n = body.len();
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            bytes.push(low);
            break;
        }
        bytes.push(low | 0x80);
    }
    bytes.extend_from_slice(body);
    let crc = crc32::hash(&bytes);
    bytes.extend_from_slice(&crc.to_be_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The checked deflate body of `data`.
fn unpack(data: &str) -> Result<Vec<u8>, LinkError> {
    if data.len() > MAX_DATA_CHARS {
        return Err(LinkError::TooLarge {
            limit: MAX_INFLATED_BYTES,
        });
    }
    if !data
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(LinkError::Altered);
    }
    // One character past a whole number of bytes cannot come from an
    // encoder: it is a cut-off or an addition, which the length decides.
    let dangling = data.len() % 4 == 1;
    let whole = if dangling {
        &data[..data.len() - 1]
    } else {
        data
    };
    let bytes = LENIENT.decode(whole).map_err(|_| LinkError::Altered)?;

    let mut body_len = 0usize;
    let mut header = 0;
    loop {
        let Some(&b) = bytes.get(header) else {
            return Err(LinkError::Truncated);
        };
        body_len |= usize::from(b & 0x7f) << (7 * header);
        header += 1;
        if b & 0x80 == 0 {
            break;
        }
        if header == MAX_LENGTH_BYTES {
            return Err(LinkError::Altered);
        }
    }
    let expected = header + body_len + CRC_BYTES;
    if bytes.len() < expected {
        return Err(LinkError::Truncated);
    }
    if bytes.len() > expected || dangling {
        return Err(LinkError::Altered);
    }
    let (checked, crc) = bytes.split_at(expected - CRC_BYTES);
    if crc32::hash(checked).to_be_bytes() != crc {
        return Err(LinkError::Altered);
    }
    // The lenient decoding ignored the last character's spare bits; a link
    // that differs from the encoder's output only there is still not one we
    // wrote.
    if URL_SAFE_NO_PAD.encode(&bytes) != data {
        return Err(LinkError::Altered);
    }
    Ok(checked[header..].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::link::tests::kiosk_payload;
    use crate::link::{decode, encode};

    #[test]
    fn empty_and_foreign_links_are_not_links() {
        for s in [
            "",
            "   ",
            "#",
            "#/",
            "#/q/",
            "#/q",
            "#/fill/abc",
            "#/x/1.AAAA",
            "https://example.org/app/#/dashboard",
            "https://example.org/",
            "hello",
            "1",
            ".AAAA",
            "x1.AAAA",
            "-1.AAAA",
            "+1.AAAA",
            "#/q/1 .AAAA",
            "#/q/9999999999.AAAA",
            "#/q/١.AAAA",
        ] {
            assert_eq!(decode(s), Err(LinkError::NotALink), "{s:?}");
        }
    }

    #[test]
    fn unknown_and_newer_versions_are_refused() {
        let link = encode(&kiosk_payload());
        let data = link.split_once('.').unwrap().1;
        assert_eq!(
            decode(&format!("#/q/2.{data}")),
            Err(LinkError::NewerVersion {
                found: 2,
                supported: 1
            })
        );
        assert_eq!(
            decode(&format!("#/q/0.{data}")),
            Err(LinkError::UnknownVersion { found: 0 })
        );
        let e = decode("#/q/17.x").unwrap_err();
        assert!(e.message(Lang::En).contains("Update the app"));
        assert!(e.message(Lang::Ru).contains("Обновите приложение"));
    }

    #[test]
    fn a_cut_short_link_is_truncated() {
        let link = encode(&kiosk_payload());
        let prefix = "#/q/1.".len();
        for keep in prefix..link.len() {
            assert_eq!(
                decode(&link[..keep]),
                Err(LinkError::Truncated),
                "cut at {keep} of {}",
                link.len()
            );
        }
    }

    #[test]
    fn a_lengthened_link_is_altered() {
        let link = encode(&kiosk_payload());
        for extra in ["A", "AA", "AAA", "AAAA", "x", "-_", "Zm9vYmFy"] {
            assert_eq!(
                decode(&format!("{link}{extra}")),
                Err(LinkError::Altered),
                "{extra}"
            );
        }
        for extra in [".", ")", "%20", "=", "==", "/", "+"] {
            assert_eq!(
                decode(&format!("{link}{extra}")),
                Err(LinkError::Altered),
                "{extra}"
            );
        }
    }

    #[test]
    fn every_changed_character_is_caught() {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let link = encode(&kiosk_payload());
        let start = "#/q/1.".len();
        for i in start..link.len() {
            for &c in ALPHABET.iter().step_by(7).chain(b"_") {
                if link.as_bytes()[i] == c {
                    continue;
                }
                let mut bytes = link.clone().into_bytes();
                bytes[i] = c;
                let changed = String::from_utf8(bytes).unwrap();
                let e = decode(&changed).unwrap_err();
                assert!(
                    matches!(e, LinkError::Altered | LinkError::Truncated),
                    "position {i}: {e:?}"
                );
                // Only a changed length field can pass for a cut.
                if i >= start + 4 {
                    assert_eq!(e, LinkError::Altered, "position {i}");
                }
            }
        }
        // The last character's spare bits are part of the check too.
        let last = link.len() - 1;
        let mut bytes = link.clone().into_bytes();
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        assert!(decode(std::str::from_utf8(&bytes).unwrap()).is_err());
    }

    #[test]
    fn an_overlong_text_is_refused_before_decoding() {
        let huge = format!("#/q/1.{}", "A".repeat(MAX_DATA_CHARS + 1));
        assert!(matches!(decode(&huge), Err(LinkError::TooLarge { .. })));
    }
}
