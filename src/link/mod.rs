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
//! and the JSON is `{"q": questionnaire, "l": {"id", "name"}, "m": "kiosk"}`
//! with defaults left out. The leading `1` is the link format version, kept
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

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use miniz_oxide::deflate::core::{
    compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::domain::validation::{validate, Issue};
use crate::domain::{ChoiceOption, Location, Question, Questionnaire, Section};
use crate::i18n::Lang;

/// The link format version written by [`encode`].
pub const LINK_VERSION: u32 = 1;

/// What precedes the payload in a fragment; [`crate::routes::Route::Link`]
/// carries what follows it.
pub const FRAGMENT_PREFIX: &str = "#/q/";

/// The cap on the inflated JSON. The largest built-in template is about
/// 15 KB as compact JSON, so this leaves room for very large checklists
/// while a crafted link cannot make a phone allocate more than this.
pub const MAX_INFLATED_BYTES: usize = 1 << 20;

/// Deflate never grows data by more than a few bytes per 64 KiB block, so a
/// longer text cannot inflate to anything under the cap and is refused
/// before it is decoded.
const MAX_DATA_CHARS: usize = (MAX_INFLATED_BYTES + MAX_INFLATED_BYTES / 64 + 64) / 3 * 4;

/// miniz's best ratio; links are made once and read on slow phones, and
/// inflating costs the same at any level.
const DEFLATE_LEVEL: i32 = 10;

/// The preset dictionary of link format 1 (see the module docs), as the
/// encoder wrote those templates when the format was made.
///
/// Frozen: posters printed with a version 1 link must open for years, and
/// the same bytes are needed to inflate them. Templates may change; this
/// file may not. A better dictionary means a new [`LINK_VERSION`] that
/// keeps this one for version 1 links.
pub const DICTIONARY: &[u8] = include_bytes!("dictionary_v1.txt");

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
}

impl LinkPayload {
    pub fn new(questionnaire: Questionnaire) -> Self {
        LinkPayload {
            questionnaire,
            location: None,
            mode: LinkMode::Fill,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkError {
    /// No `#/q/<version>.` in it: some other link or text.
    NotALink,
    /// A version number this app never wrote (0).
    UnknownVersion { found: u32 },
    /// Made by a newer build of the app.
    NewerVersion { found: u32, supported: u32 },
    /// Part of the link is missing: cut off by a messenger, a line break or
    /// an incomplete copy.
    Truncated,
    /// Characters changed or added: the checksum, the length or the
    /// alphabet does not match.
    Altered,
    /// Intact as sent, but the compressed data is broken: the link was made
    /// by faulty software, not damaged on the way.
    NotDecompressible,
    /// Inflates to more than [`MAX_INFLATED_BYTES`].
    TooLarge { limit: usize },
    /// Intact and inflatable, but not a questionnaire of the expected shape.
    Malformed { detail: String },
    /// A well-formed questionnaire that fails validation.
    Invalid(Vec<Issue>),
}

impl LinkError {
    /// What went wrong, with every problem of an invalid questionnaire
    /// listed (for the manager and the shopper, who can report them).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LinkError::Invalid(issues) => Issue::bulleted_list(invalid_header(lang), issues, lang),
            other => other.summary(lang),
        }
    }

    /// [`Self::message`] without the list of an invalid questionnaire's
    /// problems: for a customer's phone (`crate::web::respondent`), where nobody
    /// can act on them, and whose download then carries none of their texts.
    pub fn summary(&self, lang: Lang) -> String {
        match (self, lang) {
            (LinkError::NotALink, Lang::Ru) => "Это не ссылка на анкету ServiceLens.".to_owned(),
            (LinkError::NotALink, Lang::En) => {
                "This is not a ServiceLens questionnaire link.".to_owned()
            }
            (LinkError::UnknownVersion { found }, Lang::Ru) => {
                format!("Ссылка в неизвестном формате (версия {found}). Попросите новую ссылку.")
            }
            (LinkError::UnknownVersion { found }, Lang::En) => {
                format!("The link is in an unknown format (version {found}). Ask for a new link.")
            }
            (LinkError::NewerVersion { found, supported }, Lang::Ru) => format!(
                "Ссылка создана более новой версией ServiceLens (формат {found}, это \
                 приложение читает до {supported}). Обновите приложение и откройте ссылку снова."
            ),
            (LinkError::NewerVersion { found, supported }, Lang::En) => format!(
                "The link was made by a newer ServiceLens (format {found}; this app reads up \
                 to {supported}). Update the app and open the link again."
            ),
            (LinkError::Truncated, Lang::Ru) => {
                "Ссылка обрезана: её конец потерялся при копировании или пересылке. Попросите \
                 прислать ссылку ещё раз или передать анкету файлом."
                    .to_owned()
            }
            (LinkError::Truncated, Lang::En) => {
                "The link is cut short: its end was lost when it was copied or sent. Ask for \
                 the link again, or for the questionnaire as a file."
                    .to_owned()
            }
            (LinkError::Altered, Lang::Ru) => {
                "Ссылка повреждена: в ней изменены или добавлены символы, контрольная сумма \
                 не сходится. Попросите прислать ссылку ещё раз."
                    .to_owned()
            }
            (LinkError::Altered, Lang::En) => {
                "The link is damaged: characters in it were changed or added, and its \
                 checksum does not match. Ask for the link again."
                    .to_owned()
            }
            (LinkError::NotDecompressible, Lang::Ru) => {
                "Ссылка дошла целой, но её содержимое не распаковывается: вероятно, её создала \
                 неисправная программа. Попросите передать анкету файлом."
                    .to_owned()
            }
            (LinkError::NotDecompressible, Lang::En) => {
                "The link arrived intact but its contents cannot be unpacked; it was probably \
                 made by faulty software. Ask for the questionnaire as a file."
                    .to_owned()
            }
            (LinkError::TooLarge { limit }, Lang::Ru) => format!(
                "Анкета в ссылке больше допустимого ({} КиБ после распаковки) и не открыта.",
                limit / 1024
            ),
            (LinkError::TooLarge { limit }, Lang::En) => format!(
                "The questionnaire in the link is larger than allowed ({} KiB unpacked) and \
                 was not opened.",
                limit / 1024
            ),
            (LinkError::Malformed { detail }, Lang::Ru) => {
                format!("Анкета в ссылке повреждена или неполна: {detail}.")
            }
            (LinkError::Malformed { detail }, Lang::En) => {
                format!("The questionnaire in the link is damaged or incomplete: {detail}.")
            }
            (LinkError::Invalid(issues), Lang::Ru) => format!(
                "{} ({}). Попросите новую ссылку.",
                invalid_header(lang),
                issues.len()
            ),
            (LinkError::Invalid(issues), Lang::En) => format!(
                "{} ({}). Ask for a new link.",
                invalid_header(lang),
                issues.len()
            ),
        }
    }
}

fn invalid_header(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "В анкете из ссылки есть ошибки",
        Lang::En => "The questionnaire in the link has problems",
    }
}

/// The JSON inside the link. Short keys because they are not repeated, so
/// deflate cannot shrink them, and every byte grows the QR code.
#[derive(Serialize)]
struct WireOut<'a> {
    q: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    l: Option<&'a Location>,
    #[serde(skip_serializing_if = "is_fill")]
    m: LinkMode,
}

#[derive(Deserialize)]
struct WireIn {
    q: Questionnaire,
    #[serde(default)]
    l: Option<Location>,
    #[serde(default)]
    m: LinkMode,
}

fn is_fill(mode: &LinkMode) -> bool {
    *mode == LinkMode::Fill
}

/// The fragment, `#/q/1.<data>`, for a link of the app's own address.
pub fn encode(payload: &LinkPayload) -> String {
    let mut questionnaire =
        serde_json::to_value(&payload.questionnaire).expect("a questionnaire serialises to JSON");
    drop_defaults(&mut questionnaire);
    let wire = WireOut {
        q: questionnaire,
        l: payload.location.as_ref(),
        m: payload.mode,
    };
    let json = serde_json::to_vec(&wire).expect("the link payload serialises to JSON");
    let body = deflate(&json);
    format!("{FRAGMENT_PREFIX}{LINK_VERSION}.{}", pack(&body))
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
fn page_beside(url: &str, page: &str) -> String {
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
    let body = unpack(data)?;
    let json = inflate(&body)?;
    let wire: WireIn = serde_json::from_slice(&json).map_err(|e| LinkError::Malformed {
        detail: e.to_string(),
    })?;
    if let Some(location) = &wire.l {
        if location.id.trim().is_empty() {
            return Err(LinkError::Malformed {
                detail: "the location has no id".to_owned(),
            });
        }
    }
    let issues = validate(&wire.q);
    if !issues.is_empty() {
        return Err(LinkError::Invalid(issues));
    }
    Ok(LinkPayload {
        questionnaire: wire.q,
        location: wire.l,
        mode: wire.m,
    })
}

fn payload_part(link: &str) -> Result<&str, LinkError> {
    match link.split_once('#') {
        Some((_, fragment)) => fragment.strip_prefix("/q/").ok_or(LinkError::NotALink),
        None => Ok(link.strip_prefix("/q/").unwrap_or(link)),
    }
}

/// Raw deflate of `data` as the continuation of a stream that began with
/// [`DICTIONARY`], so matches may reach back into it.
fn deflate(data: &[u8]) -> Vec<u8> {
    let flags = create_comp_flags_from_zip_params(DEFLATE_LEVEL, 0, 0);
    let mut compressor = CompressorOxide::new(flags);
    // A sync flush ends the dictionary's output on a byte boundary, so what
    // follows is a stream of its own for a decoder whose window already
    // holds the dictionary.
    run_compressor(&mut compressor, DICTIONARY, TDEFLFlush::Sync);
    run_compressor(&mut compressor, data, TDEFLFlush::Finish)
}

fn run_compressor(
    compressor: &mut CompressorOxide,
    mut input: &[u8],
    flush: TDEFLFlush,
) -> Vec<u8> {
    let mut out = vec![0; input.len() / 2 + 64];
    let mut pos = 0;
    loop {
        let (status, used, written) = compress(compressor, input, &mut out[pos..], flush);
        pos += written;
        input = input.get(used..).unwrap_or_default();
        let room_left = pos < out.len();
        match status {
            TDEFLStatus::Done => break,
            // Everything flushed when output space remains.
            TDEFLStatus::Okay if input.is_empty() && room_left && flush != TDEFLFlush::Finish => {
                break
            }
            TDEFLStatus::Okay => {
                if !room_left || out.len() - pos < 64 {
                    out.resize(out.len() * 2, 0);
                }
            }
            // Only a misuse of the compressor (input after `Finish`) gets
            // here; the calls above never do that.
            TDEFLStatus::BadParam | TDEFLStatus::PutBufFailed => {
                unreachable!("miniz refused a fresh compressor: {status:?}")
            }
        }
    }
    out.truncate(pos);
    out
}

/// Inflates `body` after [`DICTIONARY`], stopping at
/// [`MAX_INFLATED_BYTES`]: the buffer grows as output arrives and never
/// past the cap, so a small crafted link cannot claim a large allocation.
fn inflate(body: &[u8]) -> Result<Vec<u8>, LinkError> {
    let start = DICTIONARY.len();
    // One byte of room past the cap tells "exactly the cap" from "more".
    let cap = start + MAX_INFLATED_BYTES + 1;
    let mut out = Vec::from(DICTIONARY);
    out.resize((start + body.len().saturating_mul(4) + 1024).min(cap), 0);
    let mut pos = start;
    let mut input = body;
    let mut decompressor = Box::<DecompressorOxide>::default();
    loop {
        let (status, used, written) = decompress(
            &mut decompressor,
            input,
            &mut out,
            pos,
            inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
        );
        pos += written;
        input = input.get(used..).unwrap_or_default();
        match status {
            TINFLStatus::Done if pos - start <= MAX_INFLATED_BYTES => {
                out.truncate(pos);
                return Ok(out.split_off(start));
            }
            TINFLStatus::Done => break,
            TINFLStatus::HasMoreOutput if out.len() < cap => {
                let grown = out.len().saturating_mul(2).min(cap);
                out.resize(grown, 0);
            }
            TINFLStatus::HasMoreOutput => break,
            _ => return Err(LinkError::NotDecompressible),
        }
    }
    Err(LinkError::TooLarge {
        limit: MAX_INFLATED_BYTES,
    })
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

/// Removes every field whose value is the one serde fills in when the field
/// is absent, so the link carries only what was actually set.
///
/// The defaults are read from the model itself (deserialise a minimal
/// object, serialise it back) rather than listed here, so a default changed
/// in the model can never turn into a silently changed value in a link.
fn drop_defaults(questionnaire: &mut Value) {
    let text = json!({"ru": "", "en": ""});
    let questionnaire_defaults = filled_defaults::<Questionnaire>(json!({
        "id": "", "version": 1, "kind": "survey", "title": text, "sections": []
    }));
    let section_defaults =
        filled_defaults::<Section>(json!({"id": "", "title": text, "questions": []}));
    let question_defaults =
        filled_defaults::<Question>(json!({"id": "", "type": "yes_no", "text": text}));
    let option_defaults = filled_defaults::<ChoiceOption>(json!({"id": "", "label": text}));

    let Value::Object(root) = questionnaire else {
        return;
    };
    strip(root, &questionnaire_defaults);
    for section in objects_in(root, "sections") {
        strip(section, &section_defaults);
        for question in objects_in(section, "questions") {
            strip(question, &question_defaults);
            for option in objects_in(question, "options") {
                strip(option, &option_defaults);
            }
        }
    }
}

/// The fields serde added to `minimal`, with the values it gave them; none
/// if the model no longer accepts `minimal`, so a changed model costs link
/// size, never correctness.
fn filled_defaults<T: DeserializeOwned + Serialize>(minimal: Value) -> Map<String, Value> {
    let Value::Object(given) = &minimal else {
        return Map::new();
    };
    let given: Vec<String> = given.keys().cloned().collect();
    let filled = serde_json::from_value::<T>(minimal)
        .ok()
        .and_then(|t| serde_json::to_value(t).ok());
    match filled {
        Some(Value::Object(mut all)) => {
            all.retain(|k, _| !given.contains(k));
            all
        }
        _ => Map::new(),
    }
}

fn strip(object: &mut Map<String, Value>, defaults: &Map<String, Value>) {
    object.retain(|k, v| defaults.get(k) != Some(v));
}

fn objects_in<'a>(
    object: &'a mut Map<String, Value>,
    key: &str,
) -> impl Iterator<Item = &'a mut Map<String, Value>> {
    object
        .get_mut(key)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validation::IssueKind;
    use crate::domain::{QuestionnaireKind, Text, VersionStatus};
    use crate::templates;

    fn survey() -> Questionnaire {
        templates::find("tpl-loyalty-button", 1).unwrap()
    }

    fn kiosk_payload() -> LinkPayload {
        LinkPayload {
            questionnaire: survey(),
            location: Some(Location {
                id: "loc-1".into(),
                name: "ТЦ «Радуга», 2 этаж".into(),
            }),
            mode: LinkMode::Kiosk,
        }
    }

    /// A link around arbitrary body bytes, framed and checksummed as
    /// [`encode`] does, to reach the stages after the checksum.
    fn framed(body: &[u8]) -> String {
        format!("{FRAGMENT_PREFIX}{LINK_VERSION}.{}", pack(body))
    }

    fn deflated_json(json: &Value) -> String {
        framed(&miniz_oxide::deflate::compress_to_vec(
            json.to_string().as_bytes(),
            6,
        ))
    }

    #[test]
    fn every_template_round_trips_in_every_mode() {
        for q in templates::built_in() {
            for mode in LinkMode::ALL {
                for location in [None, kiosk_payload().location] {
                    let payload = LinkPayload {
                        questionnaire: q.clone(),
                        location,
                        mode,
                    };
                    let link = encode(&payload);
                    assert!(link.starts_with("#/q/1."), "{link}");
                    assert_eq!(decode(&link), Ok(payload.clone()), "{}", q.id);
                }
            }
        }
    }

    /// Version 1 links on printed posters inflate only with these exact
    /// bytes; see [`DICTIONARY`] before touching the file.
    #[test]
    fn the_version_1_dictionary_is_frozen() {
        assert_eq!(DICTIONARY.len(), 15651);
        assert_eq!(crate::link::crc32::hash(DICTIONARY), 0x334e_b974);
        assert!(DICTIONARY.len() < 32 * 1024, "deflate reaches back 32 KiB");
    }

    #[test]
    fn the_dictionary_shortens_links_and_plain_deflate_still_reads() {
        let q = survey();
        let json = {
            let mut v = serde_json::to_value(&q).unwrap();
            drop_defaults(&mut v);
            json!({ "q": v }).to_string()
        };
        let plain = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 10);
        let primed = deflate(json.as_bytes());
        assert!(
            primed.len() * 10 < plain.len(),
            "{} vs {}",
            primed.len(),
            plain.len()
        );
        // A stream that does not use the dictionary is read just the same.
        assert_eq!(inflate(&plain).unwrap(), json.as_bytes());
        assert_eq!(decode(&framed(&plain)).unwrap().questionnaire, q);
        // A copy with its own id and a changed question still gains.
        let mut mine = q.copy_as("q-8c1e2d4f-0b7a-4c3e-9f1a-2b3c4d5e6f70");
        mine.sections[0].questions[0].text =
            Text::new("Вас быстро обслужили?", "Were you served quickly?");
        let link = encode(&LinkPayload::new(mine.clone()));
        assert!(link.len() < 250, "{}", link.len());
        assert_eq!(decode(&link).unwrap().questionnaire, mine);
    }

    #[test]
    fn a_reference_before_the_dictionary_is_not_decompressible() {
        // A fixed-Huffman block whose first symbol is a match 32768 bytes
        // back, further than the dictionary reaches. Deflate packs bits from
        // the least significant end; Huffman codes go most significant bit
        // first, extra bits least significant first.
        let mut writer = BitWriter::default();
        writer.put(1, 1); // last block
        writer.put(1, 2); // fixed Huffman codes
        writer.huffman(0b000_0001, 7); // length code 257: 3 bytes
        writer.huffman(29, 5); // distance code 29: 24577 + extra
        writer.put(8191, 13); // 24577 + 8191 = 32768
        writer.huffman(0, 7); // end of block
        assert_eq!(
            decode(&framed(&writer.bytes())),
            Err(LinkError::NotDecompressible)
        );
    }

    #[derive(Default)]
    struct BitWriter {
        bits: u64,
        len: u32,
    }

    impl BitWriter {
        fn put(&mut self, value: u64, count: u32) {
            self.bits |= value << self.len;
            self.len += count;
        }

        fn huffman(&mut self, code: u64, count: u32) {
            let reversed =
                (0..count).fold(0, |acc, i| acc | (((code >> i) & 1) << (count - 1 - i)));
            self.put(reversed, count);
        }

        fn bytes(&self) -> Vec<u8> {
            (0..self.len.div_ceil(8))
                .map(|i| (self.bits >> (8 * i)) as u8)
                .collect()
        }
    }

    #[test]
    fn every_form_of_the_link_is_read() {
        let payload = kiosk_payload();
        let fragment = encode(&payload);
        let raw = fragment.strip_prefix(FRAGMENT_PREFIX).unwrap();
        let url = link_url("https://example.org/app/#/settings", &payload);
        assert_eq!(url, format!("https://example.org/app/{fragment}"));
        for form in [
            fragment.clone(),
            raw.to_owned(),
            format!("/q/{raw}"),
            url,
            format!("  {fragment}\n"),
        ] {
            assert_eq!(decode(&form), Ok(payload.clone()), "{form}");
        }
    }

    #[test]
    fn customer_links_open_the_respondent_page_beside_the_app() {
        let mut payload = LinkPayload::new(survey());
        payload.mode = LinkMode::Customer;
        let fragment = encode(&payload);
        for (app, page) in [
            (
                "https://example.org/app/",
                "https://example.org/app/respond.html",
            ),
            (
                "https://example.org/app/index.html",
                "https://example.org/app/respond.html",
            ),
            (
                "https://example.org/app/?from=home#/edit/x/1",
                "https://example.org/app/respond.html",
            ),
            ("https://example.org", "https://example.org/respond.html"),
            (
                "http://127.0.0.1:4193/",
                "http://127.0.0.1:4193/respond.html",
            ),
            (
                "https://example.org/a.b/respond.html",
                "https://example.org/a.b/respond.html",
            ),
        ] {
            let url = link_url(app, &payload);
            assert_eq!(url, format!("{page}{fragment}"), "{app}");
            assert_eq!(decode(&url), Ok(payload.clone()));
        }
        for mode in [LinkMode::Fill, LinkMode::Kiosk] {
            payload.mode = mode;
            let url = link_url("https://example.org/app/index.html#/edit/x/1", &payload);
            assert_eq!(
                url,
                format!("https://example.org/app/index.html{}", encode(&payload))
            );
        }
    }

    #[test]
    fn defaults_are_left_out_of_the_link() {
        let mut value = serde_json::to_value(survey()).unwrap();
        drop_defaults(&mut value);
        let text = value.to_string();
        for absent in [
            "\"help\"",
            "\"critical\"",
            "\"na_allowed\"",
            "\"comment_allowed\"",
            "\"photo_allowed\"",
            "\"critical_rule\"",
            "\"weight\"",
        ] {
            assert!(!text.contains(absent), "{absent} in {text}");
        }
        assert!(text.contains("\"required\":true"), "set values stay");
        // A value that differs from the default is kept.
        let mut q = survey();
        q.sections[0].weight = 2.0;
        q.sections[0].questions[0].help = Text::new("", "x");
        let back = decode(&encode(&LinkPayload::new(q.clone()))).unwrap();
        assert_eq!(back.questionnaire, q);
    }

    #[test]
    fn the_model_defaults_are_found() {
        let d = filled_defaults::<Question>(json!({
            "id": "", "type": "yes_no", "text": {"ru": "", "en": ""}
        }));
        assert_eq!(d.get("weight"), Some(&json!(1.0)));
        assert_eq!(d.get("required"), Some(&json!(false)));
        assert!(!d.contains_key("id") && !d.contains_key("text"));
        assert!(filled_defaults::<Question>(json!({"id": 1})).is_empty());
        assert!(filled_defaults::<Question>(json!([])).is_empty());
    }

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
    fn a_broken_deflate_stream_with_a_good_checksum_is_not_decompressible() {
        assert_eq!(
            decode(&framed(&[0xff, 0xff, 0xff, 0xff])),
            Err(LinkError::NotDecompressible)
        );
        assert_eq!(decode(&framed(&[])), Err(LinkError::NotDecompressible));
        let good = miniz_oxide::deflate::compress_to_vec(b"{\"q\":1}", 6);
        assert_eq!(
            decode(&framed(&good[..good.len() - 2])),
            Err(LinkError::NotDecompressible)
        );
    }

    #[test]
    fn a_zip_bomb_is_refused_at_the_cap() {
        // 4 MiB of spaces deflate to a few KB.
        let bomb = vec![b' '; 4 << 20];
        let body = miniz_oxide::deflate::compress_to_vec(&bomb, 1);
        assert!(body.len() < 32 * 1024, "{}", body.len());
        let link = framed(&body);
        assert_eq!(
            decode(&link),
            Err(LinkError::TooLarge {
                limit: MAX_INFLATED_BYTES
            })
        );
        // One byte over the cap is over; exactly at the cap is read (and
        // is then just not a questionnaire).
        let over = miniz_oxide::deflate::compress_to_vec(&vec![b' '; MAX_INFLATED_BYTES + 1], 1);
        assert!(matches!(
            decode(&framed(&over)),
            Err(LinkError::TooLarge { .. })
        ));
        let at = miniz_oxide::deflate::compress_to_vec(&vec![b' '; MAX_INFLATED_BYTES], 1);
        assert!(matches!(
            decode(&framed(&at)),
            Err(LinkError::Malformed { .. })
        ));
        assert!(LinkError::TooLarge { limit: 1 << 20 }
            .message(Lang::En)
            .contains("1024 KiB"));
    }

    #[test]
    fn an_overlong_text_is_refused_before_decoding() {
        let huge = format!("#/q/1.{}", "A".repeat(MAX_DATA_CHARS + 1));
        assert!(matches!(decode(&huge), Err(LinkError::TooLarge { .. })));
    }

    #[test]
    fn an_intact_link_with_a_wrong_shape_is_malformed() {
        for json in [
            json!(null),
            json!([1, 2]),
            json!({"q": 1}),
            json!({"x": {}}),
            json!({"q": {"id": "a"}}),
        ] {
            assert!(
                matches!(
                    decode(&deflated_json(&json)),
                    Err(LinkError::Malformed { .. })
                ),
                "{json}"
            );
        }
        let body = miniz_oxide::deflate::compress_to_vec(b"\xff\xfe not utf-8", 6);
        assert!(matches!(
            decode(&framed(&body)),
            Err(LinkError::Malformed { .. })
        ));
        let mut wire = serde_json::to_value(survey()).unwrap();
        wire = json!({"q": wire, "m": "billboard"});
        assert!(matches!(
            decode(&deflated_json(&wire)),
            Err(LinkError::Malformed { .. })
        ));
        let wire =
            json!({"q": serde_json::to_value(survey()).unwrap(), "l": {"id": " ", "name": "x"}});
        assert!(matches!(
            decode(&deflated_json(&wire)),
            Err(LinkError::Malformed { .. })
        ));
    }

    #[test]
    fn unknown_fields_from_a_later_build_are_ignored() {
        let wire = json!({"q": serde_json::to_value(survey()).unwrap(), "future": [1, 2, 3]});
        assert_eq!(
            decode(&deflated_json(&wire)).map(|p| p.questionnaire),
            Ok(survey())
        );
    }

    #[test]
    fn an_invalid_questionnaire_lists_its_issues() {
        let mut q = survey();
        q.sections[0].questions[0].weight = 0.0;
        q.title = Text::default();
        let e = decode(&encode(&LinkPayload::new(q))).unwrap_err();
        let LinkError::Invalid(issues) = &e else {
            panic!("{e:?}");
        };
        let kinds: Vec<_> = issues.iter().map(|i| i.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                IssueKind::EmptyTitle,
                IssueKind::InvalidWeight { weight: 0.0 }
            ]
        );
        assert!(e
            .message(Lang::En)
            .starts_with("The questionnaire in the link has problems (2):\n• "));
        assert_eq!(e.message(Lang::Ru).lines().count(), 3);
        // A customer gets the count, not the list.
        assert_eq!(
            e.summary(Lang::En),
            "The questionnaire in the link has problems (2). Ask for a new link."
        );
        assert_eq!(e.summary(Lang::Ru).lines().count(), 1);
    }

    #[test]
    fn a_draft_travels_as_a_draft() {
        let mut q = survey();
        q.status = VersionStatus::Draft;
        q.kind = QuestionnaireKind::Survey;
        let back = decode(&encode(&LinkPayload::new(q.clone()))).unwrap();
        assert_eq!(back.questionnaire.status, VersionStatus::Draft);
    }

    #[test]
    fn every_error_has_a_message_in_each_language() {
        let all = [
            LinkError::NotALink,
            LinkError::UnknownVersion { found: 0 },
            LinkError::NewerVersion {
                found: 2,
                supported: 1,
            },
            LinkError::Truncated,
            LinkError::Altered,
            LinkError::NotDecompressible,
            LinkError::TooLarge { limit: 1 << 20 },
            LinkError::Malformed { detail: "d".into() },
            LinkError::Invalid(vec![]),
        ];
        for e in all {
            let (ru, en) = (e.message(Lang::Ru), e.message(Lang::En));
            assert!(!ru.is_empty() && !en.is_empty() && ru != en, "{e:?}");
            let (ru, en) = (e.summary(Lang::Ru), e.summary(Lang::En));
            assert!(!ru.is_empty() && !en.is_empty() && ru != en, "{e:?}");
            if !matches!(e, LinkError::Invalid(_)) {
                assert_eq!(e.summary(Lang::En), e.message(Lang::En));
            }
        }
    }

    /// Prints the link length of each template (`--nocapture`) and keeps
    /// them from growing unnoticed.
    #[test]
    fn built_in_templates_make_short_links() {
        for q in templates::built_in() {
            let fill = encode(&LinkPayload::new(q.clone())).len();
            let kiosk = encode(&LinkPayload {
                questionnaire: q.clone(),
                ..kiosk_payload()
            })
            .len();
            let pretty = crate::exchange::questionnaire_file::to_string(&q).len();
            println!(
                "link {:<22} {:?}: {fill} chars (pretty file {pretty} B){}",
                q.id,
                q.kind,
                if q.kind == QuestionnaireKind::Survey {
                    format!(", kiosk with location {kiosk}")
                } else {
                    String::new()
                }
            );
            assert!(fill * 4 < pretty, "{}: {fill} vs {pretty}", q.id);
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use crate::domain::arbitrary::valid_questionnaire;
    use proptest::prelude::*;

    fn mode() -> impl Strategy<Value = LinkMode> {
        proptest::sample::select(LinkMode::ALL.to_vec())
    }

    fn location() -> impl Strategy<Value = Option<Location>> {
        proptest::option::of(
            ("[a-z0-9-]{1,12}", "\\PC{0,20}").prop_map(|(id, name)| Location { id, name }),
        )
    }

    fn payload() -> impl Strategy<Value = LinkPayload> {
        (valid_questionnaire(), location(), mode()).prop_map(|(questionnaire, location, mode)| {
            LinkPayload {
                questionnaire,
                location,
                mode,
            }
        })
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Replace(usize, char),
        Insert(usize, String),
        Delete(usize, usize),
        Truncate(usize),
        Swap(usize, usize),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (any::<usize>(), any::<char>()).prop_map(|(i, c)| Mutation::Replace(i, c)),
            (any::<usize>(), "\\PC{1,4}|[A-Za-z0-9_-]{1,4}")
                .prop_map(|(i, s)| Mutation::Insert(i, s)),
            (any::<usize>(), 1usize..8).prop_map(|(i, n)| Mutation::Delete(i, n)),
            any::<usize>().prop_map(Mutation::Truncate),
            (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Mutation::Swap(i, j)),
        ]
    }

    fn apply(link: &str, m: &Mutation) -> String {
        let mut chars: Vec<char> = link.chars().collect();
        let n = chars.len();
        if n == 0 {
            return match m {
                Mutation::Insert(_, s) => s.clone(),
                _ => String::new(),
            };
        }
        match m {
            Mutation::Replace(i, c) => chars[i % n] = *c,
            Mutation::Insert(i, s) => {
                let at = i % (n + 1);
                chars.splice(at..at, s.chars());
            }
            Mutation::Delete(i, k) => {
                let at = i % n;
                chars.drain(at..(at + k).min(n));
            }
            Mutation::Truncate(i) => chars.truncate(i % n),
            Mutation::Swap(i, j) => chars.swap(i % n, j % n),
        }
        chars.into_iter().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn a_valid_payload_round_trips(p in payload()) {
            let link = encode(&p);
            prop_assert!(link.starts_with("#/q/1."));
            let back = decode(&link).map_err(|e| TestCaseError::fail(e.message(Lang::En)))?;
            prop_assert_eq!(&back, &p);
            prop_assert_eq!(encode(&back), link);
        }

        #[test]
        fn a_mutated_link_never_panics(p in payload(), ms in proptest::collection::vec(mutation(), 1..4)) {
            let link = encode(&p);
            let mut changed = link.clone();
            for m in &ms {
                changed = apply(&changed, m);
            }
            match decode(&changed) {
                // A swap of equal characters, or a change confined to the
                // prefix's accepted forms, may leave the link intact.
                Ok(back) => prop_assert_eq!(back, p),
                Err(e) => prop_assert!(!e.message(Lang::En).is_empty()),
            }
        }

        #[test]
        fn one_changed_character_is_always_an_error(
            p in payload(),
            at in any::<usize>(),
            c in "[A-Za-z0-9_-]",
        ) {
            let link = encode(&p);
            let start = "#/q/1.".len();
            let i = start + at % (link.len() - start);
            let c = c.as_bytes()[0];
            prop_assume!(link.as_bytes()[i] != c);
            let mut bytes = link.into_bytes();
            bytes[i] = c;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(matches!(
                decode(&changed),
                Err(LinkError::Altered | LinkError::Truncated)
            ));
        }

        #[test]
        fn any_text_never_panics(s in "\\PC*|#/q/1\\.[A-Za-z0-9_-]{0,64}|#/q/[0-9]{0,12}\\..{0,16}") {
            let _ = decode(&s);
        }

        #[test]
        fn any_checksummed_body_never_panics(body in proptest::collection::vec(any::<u8>(), 0..256)) {
            let link = format!("{FRAGMENT_PREFIX}{LINK_VERSION}.{}", pack(&body));
            prop_assert!(decode(&link).is_err());
        }

        #[test]
        fn any_compressed_text_never_panics(json in "\\{\"q\":\\{.{0,80}\\}.{0,20}\\}|.{0,100}") {
            let body = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
            let link = format!("{FRAGMENT_PREFIX}{LINK_VERSION}.{}", pack(&body));
            let _ = decode(&link);
        }
    }
}
