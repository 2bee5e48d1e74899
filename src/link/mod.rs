//! A published questionnaire carried inside a link's URL fragment, so a
//! checklist or survey reaches a phone with no server of ours (PRODUCT.md §1,
//! §5): `https://host/app/#/q/1.<data>`.
//!
//! `<data>` is base64url without padding of
//!
//! ```text
//! [body length: LEB128, 1–3 bytes] [body: raw deflate of compact JSON] [CRC-32 of the two, big-endian]
//! ```
//!
//! and the JSON is `{"q": questionnaire, "l": {"id", "name"}, "m": "kiosk",
//! "d": {"u": server, "k": key}}` with defaults left out. The leading `1` is the link format version, kept
//! outside the binary so a newer link is recognised as such even when its
//! binary layout changed.
//!
//! The deflate stream continues a preset dictionary, [`DICTIONARY`]: the
//! JSON keys and enum names every link repeats, and the built-in survey and
//! complaint templates. Without it even the smallest built-in survey needs
//! a version 29 QR code; with it a survey made from a template (the usual
//! case: a copy keeps the texts) needs a small one, and any questionnaire
//! saves its first mention of every key. Same idea as zlib's preset
//! dictionary, done by priming the compressor and pre-filling the inflate
//! window, since miniz has no call for it.
//!
//! Why these pieces:
//! - The fragment never reaches a server, and a static host keeps no state.
//! - Deflate with `miniz_oxide`: pure Rust (builds for wasm32 with no C
//!   toolchain), maintained, small, and its inflate stops at a size cap, which
//!   is the zip-bomb guard. Brotli or zstd compress a little better but bring
//!   far larger decoders into the respondent's download.
//! - CRC-32 rather than a truncated hash: the threat is accidental damage (a
//!   messenger cutting a long link, a mistyped character), not forgery —
//!   anyone can recompute any unkeyed checksum, so a cryptographic hash would
//!   buy nothing. CRC-32 catches every error burst up to 32 bits, so every
//!   single changed character (6 bits) is caught for certain; [`crc32`] is
//!   also what the PNG writer in [`crate::distribution::qr`] needs anyway.
//! - The body length tells a cut-short link ("ask for it again") from an
//!   altered one before the checksum is even looked at. A damaged length
//!   field itself may be reported as cut short; either way nothing is loaded.
//!
//! Decoding checks, in order: prefix, version, characters, length, checksum,
//! inflated size, JSON, then [`validate`]; the first failure is the error,
//! and no partial questionnaire is ever returned.

pub mod adopt;
pub mod crc32;
mod deflate;
mod error;
mod frame;
#[cfg(test)]
mod tests;
mod wire;

use serde::{Deserialize, Serialize};

use crate::delivery::LinkTarget;
use crate::domain::validation::validate;
use crate::domain::{Location, Questionnaire};

pub use deflate::{DICTIONARY, MAX_INFLATED_BYTES};
pub use error::LinkError;
pub use frame::{FRAGMENT_PREFIX, LINK_VERSION};

/// Who opens the link, which decides the screen it opens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkMode {
    /// A shopper's (or staff member's) fill screens: audits, complaints, ops
    /// reports, with drafts and the outbox.
    #[default]
    Fill,
    /// The lean respondent page on a customer's own phone.
    Customer,
    /// The full-screen survey loop on a shared tablet.
    Kiosk,
}

impl LinkMode {
    pub const ALL: [LinkMode; 3] = [LinkMode::Fill, LinkMode::Customer, LinkMode::Kiosk];
}

/// What a link carries.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkPayload {
    /// Meant to be a published version: responses name its id and version,
    /// so a draft that later changes would leave them pointing at questions
    /// nobody can see. The codec carries whatever it is given; offering links
    /// only for published versions is the caller's rule.
    pub questionnaire: Questionnaire,
    /// The location the answers are for. Its name travels too, since the
    /// phone that opens the link usually has no list of locations to look
    /// the id up in.
    pub location: Option<Location>,
    pub mode: LinkMode,
    /// Where the answers go when the device is online: the team's server
    /// and key (issue 18), as the link carries them, checked before use
    /// (`delivery::target`). `None` keeps them on the device, to be handed
    /// over as a file, as before any server was configured.
    pub inbox: Option<LinkTarget>,
}

impl LinkPayload {
    pub fn new(questionnaire: Questionnaire) -> Self {
        LinkPayload {
            questionnaire,
            location: None,
            mode: LinkMode::Fill,
            inbox: None,
        }
    }

    /// Whether a customer goes straight to the questions: on their own
    /// phone, a survey this short is answered faster than a "Start" tap
    /// is explained. A shopper's checklist and a kiosk keep their start.
    pub fn starts_at_once(&self) -> bool {
        self.mode == LinkMode::Customer
            && self.questionnaire.questions().count() <= SHORT_SURVEY_QUESTIONS
    }
}

/// The longest survey that starts without a "Start" tap.
pub const SHORT_SURVEY_QUESTIONS: usize = 5;

/// The fragment, `#/q/1.<data>`, for a link of the app's own address.
pub fn encode(payload: &LinkPayload) -> String {
    frame::write(&deflate::deflate(&wire::to_json(payload)))
}

/// The page customers' links open: the lean respondent build that sits next
/// to the app's `index.html` in every build (`crate::web::respondent`), a fraction
/// of the full app's download.
pub const RESPONDENT_PAGE: &str = "respond.html";

/// The full link: `app_url` (the app's address, any fragment in it
/// replaced) with the payload's fragment. A customer's link opens
/// [`RESPONDENT_PAGE`] beside the app; shoppers and kiosks need the full app.
pub fn link_url(app_url: &str, payload: &LinkPayload) -> String {
    let base = app_url.split('#').next().unwrap_or(app_url);
    let page = match payload.mode {
        LinkMode::Customer => page_beside(base, RESPONDENT_PAGE),
        LinkMode::Fill | LinkMode::Kiosk => base.to_owned(),
    };
    format!("{page}{}", encode(payload))
}

/// `page` in the folder of `url`, without the query: the app may be at
/// `…/app/`, `…/app/index.html` or `…/app/?from=home`.
pub(crate) fn page_beside(url: &str, page: &str) -> String {
    let path = url.split('?').next().unwrap_or(url);
    let host_start = path.find("://").map_or(0, |i| i + 3);
    match path[host_start..].rfind('/') {
        Some(i) => format!("{}{page}", &path[..=host_start + i]),
        // A bare origin (`https://host`) has the root as its folder.
        None => format!("{path}/{page}"),
    }
}

/// Reads a link in any of the forms a user or the router hands over: the
/// whole URL, the fragment (`#/q/1.…`), or just what follows `#/q/` (the
/// payload of [`crate::routes::Route::Link`]).
pub fn decode(link: &str) -> Result<LinkPayload, LinkError> {
    let body = frame::read(link)?;
    let json = deflate::inflate(&body)?;
    let payload = wire::from_json(&json)?;
    // The bundle's limits, as for a file: nothing a link brings may make
    // the device's own backups unreadable.
    if let Err(e) = crate::exchange::bundle::limits::check_questionnaire(&payload.questionnaire) {
        return Err(LinkError::OverLimit { at: e.at });
    }
    let issues = validate(&payload.questionnaire);
    if !issues.is_empty() {
        return Err(LinkError::Invalid(issues));
    }
    Ok(payload)
}
