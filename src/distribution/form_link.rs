//! Short links through the team's server (issue 18): with a server
//! configured, the manager publishes a questionnaire version (and, for a
//! shopper's link, the stores and staff the shopper may pick) as one
//! document of the forms database, and the link names only the form, the
//! server and the key:
//!
//! ```text
//! https://host/app/respond.html#/f/<form name>/<target>[/<location>]
//! ```
//!
//! `<target>` is base64url of the team's 32-byte public key followed by the
//! server's URL (and, only when not the defaults, its three database names
//! after newlines) and a CRC-32 of both, as a long link has (a cut link
//! must not name a shorter, other server), and `<location>` the location token of
//! [`super::short_link`]. With a server URL of 25 characters the link is
//! about 130 characters whatever the questionnaire's size: an SMS, a
//! messenger preview and a small QR code.
//!
//! **Why the key is in the link and not in the form.** The forms database
//! is readable by anyone and written by whoever holds a manager's password
//! on that server. A key read from there would let anyone who got hold of
//! the server swap it and read every answer from then on; the key in the
//! printed link is fixed by the manager who printed it. The form itself is
//! checked as strictly as an imported questionnaire file, and must be a
//! published version.
//!
//! The document, `_id` `form:<name>`:
//!
//! ```json
//! {"type": "servicelens.form", "v": 1, "mode": "customer",
//!  "questionnaire": {"format": "servicelens.questionnaire", …},
//!  "locations": [{"id", "name"}], "employees": [{"id", "name", …}]}
//! ```
//!
//! The name is derived from the questionnaire's id and version
//! ([`form_name`]), so publishing a version again rewrites the same
//! document, and a new version gets a new link while the old posters keep
//! working.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::short_link::{self, is_valid_name, ShortLinkError};

use crate::delivery::server::{DEFAULT_FORMS_DB, DEFAULT_INBOX_DB, DEFAULT_TEAM_DB};
use crate::delivery::{InboxTarget, LinkTarget, ServerConfig};
use crate::domain::{Employee, Location, Questionnaire, VersionStatus};
use crate::exchange::bundle::{MAX_ID_CHARS, MAX_TEXT_CHARS};
use crate::exchange::questionnaire_file::{self, FileError};
use crate::i18n::Lang;
use crate::link::{LinkMode, LinkPayload, RESPONDENT_PAGE};
use crate::replication::http::{doc_path, Method, Request};
use crate::seal::{TeamPublicKey, KEY_BYTES};

/// What precedes the form's name in a fragment.
pub const FRAGMENT_PREFIX: &str = "#/f/";
/// The forms document's `type`.
pub const DOC_TYPE: &str = "servicelens.form";
/// The `v` this build writes and reads.
pub const DOC_VERSION: u32 = 1;
/// The longest target token read: a long server URL with non-default
/// database names is a few hundred characters.
pub const MAX_TARGET_TOKEN_LEN: usize = 1024;
/// The largest form document read: the questionnaire file's own cap, and
/// room for a chain's stores and staff.
pub const MAX_DOC_BYTES: usize = questionnaire_file::MAX_FILE_BYTES + 4 * 1024 * 1024;
/// Stores or staff one form may offer a shopper.
pub const MAX_DIRECTORY_ROWS: usize = 10_000;

/// A parsed form link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormLink {
    pub name: String,
    pub target: InboxTarget,
    pub location: Option<Location>,
}

/// Why a form link or its document is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum FormError {
    /// The link's name, target or location is not one this app wrote.
    BadLink,
    /// The server has no such form (`404`).
    Missing,
    /// The document is not a form of this format.
    NotAForm { detail: String },
    /// Written by a newer build.
    NewerVersion { found: u32, supported: u32 },
    /// Bigger than [`MAX_DOC_BYTES`], or a list longer than
    /// [`MAX_DIRECTORY_ROWS`].
    TooLarge,
    /// The questionnaire inside fails the file's checks.
    File(FileError),
    /// Not a published version.
    Draft,
}

impl FormError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FormError::BadLink, Lang::Ru) => {
                "Ссылка повреждена. Попросите прислать её ещё раз.".to_owned()
            }
            (FormError::BadLink, Lang::En) => {
                "The link is damaged. Ask for it to be sent again.".to_owned()
            }
            (FormError::Missing, Lang::Ru) => {
                "Эта анкета больше не опубликована. Попросите новую ссылку.".to_owned()
            }
            (FormError::Missing, Lang::En) => {
                "This questionnaire is no longer published. Ask for a new link.".to_owned()
            }
            (FormError::NotAForm { detail }, Lang::Ru) => {
                format!("По ссылке нашлась не анкета: {detail}")
            }
            (FormError::NotAForm { detail }, Lang::En) => {
                format!("The link does not lead to a questionnaire: {detail}")
            }
            (FormError::NewerVersion { .. }, Lang::Ru) => {
                "Эта анкета сделана в более новой версии приложения. Обновите страницу.".to_owned()
            }
            (FormError::NewerVersion { .. }, Lang::En) => {
                "This questionnaire was made with a newer version of the app. Reload the page."
                    .to_owned()
            }
            (FormError::TooLarge, Lang::Ru) => "Анкета по ссылке слишком велика.".to_owned(),
            (FormError::TooLarge, Lang::En) => {
                "The questionnaire behind the link is too large.".to_owned()
            }
            (FormError::File(e), _) => e.message(lang),
            (FormError::Draft, Lang::Ru) => {
                "Это черновик анкеты, а не опубликованная версия.".to_owned()
            }
            (FormError::Draft, Lang::En) => {
                "This is a draft of the questionnaire, not a published version.".to_owned()
            }
        }
    }
}

impl From<ShortLinkError> for FormError {
    fn from(_: ShortLinkError) -> FormError {
        FormError::BadLink
    }
}

/// The form's name for a questionnaire version: 12 hex digits of a
/// SHA-256 of its id and version. A digest rather than the id itself,
/// which may be a 36-character UUID: the name is in every link. 48 bits
/// make two versions of one team's questionnaires collide with odds far
/// below one in a million.
pub fn form_name(questionnaire: &Questionnaire) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"servicelens.form\0")
        .chain_update(questionnaire.id.as_bytes())
        .chain_update(b"\0")
        .chain_update(questionnaire.version.to_be_bytes())
        .finalize();
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// The document's id for a form name.
pub fn doc_id(name: &str) -> String {
    format!("form:{name}")
}

/// The fragment, `#/f/<name>/<target>[/<location>]`.
pub fn fragment(link: &FormLink) -> String {
    let mut out = format!(
        "{FRAGMENT_PREFIX}{}/{}",
        link.name,
        URL_SAFE_NO_PAD.encode(target_bytes(&link.target))
    );
    if let Some(loc) = &link.location {
        out.push('/');
        out.push_str(&short_link::location_token(loc));
    }
    out
}

/// The link for `mode`: a customer's opens the lean respondent page beside
/// the app, a kiosk's or shopper's the app itself.
pub fn form_link_url(app_url: &str, link: &FormLink, mode: LinkMode) -> String {
    let base = app_url.split('#').next().unwrap_or(app_url);
    let page = match mode {
        LinkMode::Customer => crate::link::page_beside(base, RESPONDENT_PAGE),
        LinkMode::Fill | LinkMode::Kiosk => base.to_owned(),
    };
    format!("{page}{}", fragment(link))
}

/// Reads the segments after `#/f/`. Nothing half-read: a bad part
/// refuses the whole link.
pub fn parse(name: &str, target: &str, location: Option<&str>) -> Result<FormLink, FormError> {
    if !is_valid_name(name) || target.is_empty() || target.len() > MAX_TARGET_TOKEN_LEN {
        return Err(FormError::BadLink);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(target)
        .map_err(|_| FormError::BadLink)?;
    let target = read_target(&bytes).ok_or(FormError::BadLink)?;
    let location = match location {
        None => None,
        Some(token) => Some(short_link::parse_location(token)?),
    };
    Ok(FormLink {
        name: name.to_owned(),
        target,
        location,
    })
}

fn target_bytes(t: &InboxTarget) -> Vec<u8> {
    let s = &t.server;
    let mut out = t.key.bytes().to_vec();
    out.extend_from_slice(s.url().as_bytes());
    let defaults = [DEFAULT_INBOX_DB, DEFAULT_FORMS_DB, DEFAULT_TEAM_DB];
    let names = [s.inbox_db(), s.forms_db(), s.team_db()];
    if names != defaults {
        for n in names {
            out.push(b'\n');
            out.extend_from_slice(n.as_bytes());
        }
    }
    let crc = crate::link::crc32::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

fn read_target(bytes: &[u8]) -> Option<InboxTarget> {
    let (bytes, crc) = bytes.split_at_checked(bytes.len().checked_sub(4)?)?;
    if crate::link::crc32::hash(bytes).to_be_bytes() != crc {
        return None;
    }
    let key: [u8; KEY_BYTES] = bytes.get(..KEY_BYTES)?.try_into().ok()?;
    let rest = std::str::from_utf8(&bytes[KEY_BYTES..]).ok()?;
    let fields: Vec<&str> = rest.split('\n').collect();
    let server = match fields[..] {
        [url] => ServerConfig::with_default_dbs(url),
        [url, inbox, forms, team] => ServerConfig::parse(url, inbox, forms, team),
        _ => return None,
    }
    .ok()?;
    Some(InboxTarget {
        server,
        key: TeamPublicKey::from_bytes(key),
    })
}

/// The request that reads a form: anonymous, from the forms database.
pub fn read_request(server: &ServerConfig, name: &str) -> Request {
    Request::new(
        Method::Get,
        doc_path(&format!("/{}", server.forms_db()), &doc_id(name)),
    )
}

/// What a manager publishes.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub questionnaire: Questionnaire,
    pub mode: LinkMode,
    /// The stores a shopper may pick; empty for a customer's survey.
    pub locations: Vec<Location>,
    pub employees: Vec<Employee>,
}

#[derive(Serialize)]
struct DocOut<'a> {
    #[serde(rename = "_id")]
    id: String,
    #[serde(rename = "_rev", skip_serializing_if = "Option::is_none")]
    rev: Option<&'a str>,
    #[serde(rename = "type")]
    doc_type: &'static str,
    v: u32,
    mode: LinkMode,
    questionnaire: Value,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    locations: &'a [Location],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    employees: &'a [Employee],
}

#[derive(Deserialize)]
struct DocIn {
    #[serde(rename = "type")]
    doc_type: String,
    v: u32,
    #[serde(default)]
    mode: LinkMode,
    questionnaire: Value,
    #[serde(default)]
    locations: Vec<Location>,
    #[serde(default)]
    employees: Vec<Employee>,
}

/// The publishing request: `PUT` of `form:<name>` with a manager's
/// credentials (the caller adds them), naming `rev` when the form exists
/// already (the server's `409` tells; read it with [`read_request`] and
/// try again with its `_rev`).
pub fn publish_request(
    server: &ServerConfig,
    name: &str,
    form: &Form,
    rev: Option<&str>,
) -> Request {
    let questionnaire: Value =
        serde_json::from_str(&questionnaire_file::to_string(&form.questionnaire))
            .expect("a questionnaire file is JSON");
    let doc = DocOut {
        id: doc_id(name),
        rev,
        doc_type: DOC_TYPE,
        v: DOC_VERSION,
        mode: form.mode,
        questionnaire,
        locations: &form.locations,
        employees: &form.employees,
    };
    Request::new(
        Method::Put,
        doc_path(&format!("/{}", server.forms_db()), &doc_id(name)),
    )
    .json(serde_json::to_value(doc).expect("a form serialises"))
}

/// Reads a fetched form document (its body as text) with the checks of an
/// imported questionnaire file, and turns it and its link into what a
/// long link would have carried.
pub fn read(text: &str, link: &FormLink) -> Result<(LinkPayload, Form), FormError> {
    if text.len() > MAX_DOC_BYTES {
        return Err(FormError::TooLarge);
    }
    let doc: DocIn = serde_json::from_str(text).map_err(|e| FormError::NotAForm {
        detail: e.to_string(),
    })?;
    if doc.doc_type != DOC_TYPE {
        return Err(FormError::NotAForm {
            detail: format!("type “{}”", doc.doc_type),
        });
    }
    if doc.v > DOC_VERSION {
        return Err(FormError::NewerVersion {
            found: doc.v,
            supported: DOC_VERSION,
        });
    }
    if doc.v != DOC_VERSION {
        return Err(FormError::NotAForm {
            detail: format!("v {}", doc.v),
        });
    }
    if doc.locations.len() > MAX_DIRECTORY_ROWS || doc.employees.len() > MAX_DIRECTORY_ROWS {
        return Err(FormError::TooLarge);
    }
    let bad_row = |id: &str, name: &str| {
        id.trim().is_empty()
            || id.chars().count() > MAX_ID_CHARS
            || name.trim().is_empty()
            || name.chars().count() > MAX_TEXT_CHARS
    };
    if doc.locations.iter().any(|l| bad_row(&l.id, &l.name))
        || doc.employees.iter().any(|e| bad_row(&e.id, &e.name))
    {
        return Err(FormError::NotAForm {
            detail: "a store or employee without id or name".to_owned(),
        });
    }
    let questionnaire = questionnaire_file::parse_same_origin(&doc.questionnaire.to_string())
        .map_err(FormError::File)?;
    if questionnaire.status != VersionStatus::Published {
        return Err(FormError::Draft);
    }
    let payload = LinkPayload {
        questionnaire: questionnaire.clone(),
        location: link.location.clone(),
        mode: doc.mode,
        inbox: Some(LinkTarget::from(&link.target)),
    };
    let form = Form {
        questionnaire,
        mode: doc.mode,
        locations: doc.locations,
        employees: doc.employees,
    };
    Ok((payload, form))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Timestamp;
    use crate::seal::{system_rng, TeamKeyPair};
    use crate::templates;

    fn target() -> InboxTarget {
        InboxTarget {
            server: ServerConfig::with_default_dbs("https://couch.example.com").unwrap(),
            key: TeamKeyPair::generate(&mut system_rng()).public_key(),
        }
    }

    fn published() -> Questionnaire {
        let mut q = templates::find("tpl-loyalty-button", 1).unwrap();
        q.status = VersionStatus::Published;
        q
    }

    fn link(location: Option<Location>) -> FormLink {
        FormLink {
            name: form_name(&published()),
            target: target(),
            location,
        }
    }

    /// The body the server gives back: what was put, with its `_rev`.
    fn stored(req: &Request) -> String {
        let mut v: Value = req.body.clone().unwrap();
        v["_rev"] = "1-abc".into();
        v.to_string()
    }

    fn form(mode: LinkMode) -> Form {
        Form {
            questionnaire: published(),
            mode,
            locations: vec![],
            employees: vec![],
        }
    }

    #[test]
    fn a_link_round_trips_and_stays_short() {
        let loc = Location {
            id: "loc-7".into(),
            name: "Тверская, 12".into(),
        };
        for l in [link(None), link(Some(loc))] {
            let url = form_link_url("https://app.example.com/sl/", &l, LinkMode::Customer);
            assert!(url.starts_with("https://app.example.com/sl/respond.html#/f/"));
            let frag = fragment(&l);
            let segs: Vec<&str> = frag[FRAGMENT_PREFIX.len()..].split('/').collect();
            let back = parse(segs[0], segs[1], segs.get(2).copied()).unwrap();
            assert_eq!(back, l);
            if l.location.is_none() {
                // An SMS is 160 characters; a messenger preview shows about as many.
                assert!(url.len() <= 140, "{} characters: {url}", url.len());
            }
        }
        // Non-default database names travel too.
        let mut other = link(None);
        other.target.server =
            ServerConfig::parse("http://127.0.0.1:5984/couch", "answers", "pub", "t").unwrap();
        let frag = fragment(&other);
        let segs: Vec<&str> = frag[FRAGMENT_PREFIX.len()..].split('/').collect();
        assert_eq!(parse(segs[0], segs[1], None).unwrap(), other);
        let kiosk = form_link_url(
            "https://app.example.com/sl/index.html",
            &link(None),
            LinkMode::Kiosk,
        );
        assert!(kiosk.starts_with("https://app.example.com/sl/index.html#/f/"));
    }

    #[test]
    fn a_damaged_link_is_refused_whole() {
        let l = link(None);
        let frag = fragment(&l);
        let segs: Vec<&str> = frag[FRAGMENT_PREFIX.len()..].split('/').collect();
        let cut = &segs[1][..segs[1].len() - 5];
        for (name, target, loc) in [
            ("Bad Name", segs[1], None),
            (segs[0], cut, None),
            (segs[0], "", None),
            (segs[0], segs[1], Some("!!")),
        ] {
            assert_eq!(parse(name, target, loc), Err(FormError::BadLink));
        }
    }

    #[test]
    fn a_published_form_reads_back_as_its_link_would() {
        let l = link(None);
        let mut f = form(LinkMode::Fill);
        f.locations = vec![Location {
            id: "s1".into(),
            name: "Store 1".into(),
        }];
        f.employees = vec![Employee {
            id: "e1".into(),
            name: "Анна".into(),
            role: "кассир".into(),
            location_id: "s1".into(),
            updated_at: Timestamp::new(1_772_434_800_000, 180),
        }];
        let req = publish_request(&l.target.server, &l.name, &f, None);
        assert_eq!(req.method, Method::Put);
        assert_eq!(req.path, format!("/forms/form%3A{}", l.name));
        assert_eq!(l.name.len(), 12);
        let mut v2 = published();
        v2.version = 2;
        assert_ne!(form_name(&v2), l.name);
        let (payload, back) = read(&stored(&req), &l).unwrap();
        assert_eq!(back, f);
        assert_eq!(payload.questionnaire, f.questionnaire);
        assert_eq!(payload.mode, LinkMode::Fill);
        assert_eq!(
            payload.inbox.as_ref().map(LinkTarget::check),
            Some(Ok(l.target.clone()))
        );
        // Publishing again names the revision it replaces.
        let again = publish_request(&l.target.server, &l.name, &f, Some("1-abc"));
        assert_eq!(again.body.unwrap()["_rev"], "1-abc");
    }

    #[test]
    fn what_is_not_a_published_form_is_refused() {
        let l = link(None);
        let good: Value = serde_json::from_str(&stored(&publish_request(
            &l.target.server,
            &l.name,
            &form(LinkMode::Customer),
            None,
        )))
        .unwrap();
        let with = |key: &str, v: Value| {
            let mut d = good.clone();
            d[key] = v;
            d.to_string()
        };
        assert!(matches!(
            read("not json", &l),
            Err(FormError::NotAForm { .. })
        ));
        assert!(matches!(
            read(&with("type", "sealed".into()), &l),
            Err(FormError::NotAForm { .. })
        ));
        assert_eq!(
            read(&with("v", 2.into()), &l).unwrap_err(),
            FormError::NewerVersion {
                found: 2,
                supported: 1
            }
        );
        let mut draft = published();
        draft.status = VersionStatus::Draft;
        let draft_file: Value =
            serde_json::from_str(&questionnaire_file::to_string(&draft)).unwrap();
        assert_eq!(
            read(&with("questionnaire", draft_file), &l).unwrap_err(),
            FormError::Draft
        );
        let mut broken = good["questionnaire"].clone();
        broken["questionnaire"]["sections"] = Value::Array(vec![]);
        assert!(matches!(
            read(&with("questionnaire", broken), &l),
            Err(FormError::File(_))
        ));
        assert!(matches!(
            read(
                &with("locations", serde_json::json!([{"id": "", "name": "x"}])),
                &l
            ),
            Err(FormError::NotAForm { .. })
        ));
        let huge = "x".repeat(MAX_DOC_BYTES + 1);
        assert_eq!(read(&huge, &l).unwrap_err(), FormError::TooLarge);
    }

    #[test]
    fn every_error_reads_in_both_languages() {
        for e in [
            FormError::BadLink,
            FormError::Missing,
            FormError::NotAForm { detail: "x".into() },
            FormError::NewerVersion {
                found: 2,
                supported: 1,
            },
            FormError::TooLarge,
            FormError::Draft,
        ] {
            let (ru, en) = (e.message(Lang::Ru), e.message(Lang::En));
            assert!(!ru.is_empty() && !en.is_empty() && ru != en, "{e:?}");
        }
    }
}
