//! The short-link fallback for surveys too big for a scannable QR code:
//! `https://host/app/#/s/<name>` (optionally `/<location>`), where the
//! questionnaire is a questionnaire file (`crate::exchange::questionnaire_file`)
//! that the manager puts next to the app on the static host as
//! `<name>.json`. The respondent page fetches `./<name>.json` relative to
//! the app, so the file is read from the same origin and sub-path as the
//! app, and validates it like any imported file before showing anything.
//!
//! The location still travels in the link (a host keeps one file per
//! survey version, not one per location): its id and name as compact JSON
//! in base64url, short enough to keep the code small.
//!
//! Names are restricted to lower-case ASCII letters, digits and single
//! hyphens: they become a file name on whatever host the manager uses
//! (case-insensitive file systems, URL encoding, dot files), and a name
//! that cannot escape the app's folder needs no further checks.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::delivery::{InboxTarget, LinkTarget};
use crate::distribution::qr::{self, Ecl, MAX_SCANNABLE_VERSION};
use crate::domain::{Location, Questionnaire};
use crate::link::{link_url, LinkMode, LinkPayload};

/// What precedes the name in a fragment.
pub const FRAGMENT_PREFIX: &str = "#/s/";

/// Longest accepted name: a `q-<uuid>-v<version>` name is about 45.
pub const MAX_NAME_LEN: usize = 64;

/// Longest accepted location token; a location with a 200-character name
/// in Cyrillic is about 600.
pub const MAX_LOCATION_TOKEN_LEN: usize = 1024;

/// Whether `name` may name a short link's file: 1–64 of `a-z 0-9 -`,
/// starting and ending with a letter or digit, no `--`.
pub fn is_valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_NAME_LEN
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && !name.contains("--")
}

/// The file the respondent page fetches for `name`, relative to the app.
pub fn file_name(name: &str) -> String {
    format!("{name}.json")
}

/// The relative URL fetched for `name` (`./<name>.json`): same origin and
/// folder as the app, whatever sub-path it is served from.
pub fn file_url(name: &str) -> String {
    format!("./{}", file_name(name))
}

/// The name the distribution screen proposes for a questionnaire version:
/// its id and version, folded into the allowed alphabet. Stable, so making
/// the poster again names the same file.
pub fn suggested_name(questionnaire: &Questionnaire) -> String {
    let name = slug(&format!("{}-v{}", questionnaire.id, questionnaire.version));
    if name.is_empty() {
        "survey".to_owned()
    } else {
        name
    }
}

/// `text` folded into the name alphabet: lower-case ASCII letters and
/// digits, every other run of characters one hyphen, at most
/// [`MAX_NAME_LEN`]; empty if nothing is left. Also names downloaded files.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c
        } else {
            '-'
        };
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    let mut out: String = out.chars().take(MAX_NAME_LEN).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A parsed short link: which file, and for which location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortLink {
    pub name: String,
    pub location: Option<Location>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortLinkError {
    /// The name breaks [`is_valid_name`].
    BadName,
    /// The location part is not a location this app wrote.
    BadLocation,
}

/// The fragment, `#/s/<name>[/<location>]`.
pub fn fragment(link: &ShortLink) -> String {
    match &link.location {
        None => format!("{FRAGMENT_PREFIX}{}", link.name),
        Some(loc) => format!("{FRAGMENT_PREFIX}{}/{}", link.name, location_token(loc)),
    }
}

/// The full short link for the app at `app_url` (any fragment replaced).
pub fn short_link_url(app_url: &str, link: &ShortLink) -> String {
    let base = app_url.split('#').next().unwrap_or(app_url);
    format!("{base}{}", fragment(link))
}

/// The location as a link segment: compact JSON in base64url.
pub fn location_token(loc: &Location) -> String {
    let json = serde_json::to_vec(loc).expect("a location serialises to JSON");
    URL_SAFE_NO_PAD.encode(json)
}

/// Reads the route's segments after `#/s/`: the name and the optional
/// location token. Nothing half-read: a bad part refuses the whole link.
pub fn parse(name: &str, location: Option<&str>) -> Result<ShortLink, ShortLinkError> {
    if !is_valid_name(name) {
        return Err(ShortLinkError::BadName);
    }
    let location = location.map(parse_location).transpose()?;
    Ok(ShortLink {
        name: name.to_owned(),
        location,
    })
}

/// Reads a location segment of [`location_token`]'s.
pub fn parse_location(token: &str) -> Result<Location, ShortLinkError> {
    if token.is_empty() || token.len() > MAX_LOCATION_TOKEN_LEN {
        return Err(ShortLinkError::BadLocation);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| ShortLinkError::BadLocation)?;
    let loc: Location = serde_json::from_slice(&bytes).map_err(|_| ShortLinkError::BadLocation)?;
    if loc.id.trim().is_empty() || loc.name.trim().is_empty() {
        return Err(ShortLinkError::BadLocation);
    }
    Ok(loc)
}

/// How a survey reaches customers' phones from one poster or screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    /// The full link with the questionnaire inside (`#/q/1.…`).
    pub full_link: String,
    /// The QR version the full link needs at error correction M, or `None`
    /// past version 40.
    pub full_version: Option<u8>,
    /// Set when the full link is past [`MAX_SCANNABLE_VERSION`]: the short
    /// link and its file name to put next to the app.
    pub short: Option<ShortLink>,
}

impl Distribution {
    /// What the QR code should carry: the full link when it scans, the
    /// short link otherwise.
    pub fn qr_text(&self, app_url: &str) -> String {
        match &self.short {
            None => self.full_link.clone(),
            Some(s) => short_link_url(app_url, s),
        }
    }
}

/// Decides between a full link and a short link for a survey handed to
/// customers at `location`, threshold: version [`MAX_SCANNABLE_VERSION`]
/// (20) at error correction M, the densest code cheap phone cameras read
/// from a poster at arm's length. `inbox` is where the answers go, when
/// the manager's inbox is on (`inbox::settings::ManagerInbox::target`).
pub fn plan(
    app_url: &str,
    questionnaire: &Questionnaire,
    location: Option<&Location>,
    mode: LinkMode,
    inbox: Option<&InboxTarget>,
) -> Distribution {
    let payload = LinkPayload {
        questionnaire: questionnaire.clone(),
        location: location.cloned(),
        mode,
        inbox: inbox.map(LinkTarget::from),
    };
    let full_link = link_url(app_url, &payload);
    let full_version = qr::version_for(&full_link, Ecl::M).ok();
    let short = match full_version {
        Some(v) if v <= MAX_SCANNABLE_VERSION => None,
        _ => Some(ShortLink {
            name: suggested_name(questionnaire),
            location: location.cloned(),
        }),
    };
    Distribution {
        full_link,
        full_version,
        short,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::QuestionnaireKind;
    use crate::templates;

    const APP: &str = "https://example.org/app/";

    fn shop() -> Location {
        Location {
            id: "loc-7f3a".into(),
            name: "Магазин на Ленина, 12".into(),
        }
    }

    #[test]
    fn names_are_plain_lower_case_words() {
        for ok in [
            "a",
            "survey-1",
            "q-67e55044-10b1-426f-9247-bb680e5fe0c8-v3",
            "tpl-csi-nps-v1",
        ] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in [
            "", "-a", "a-", "a--b", "A", "a_b", "a.b", "../x", "a/b", "a b", "ж", "%2e", ".json",
        ] {
            assert!(!is_valid_name(bad), "{bad}");
        }
        assert!(is_valid_name(&"a".repeat(MAX_NAME_LEN)));
        assert!(!is_valid_name(&"a".repeat(MAX_NAME_LEN + 1)));
        assert_eq!(file_name("abc"), "abc.json");
        assert_eq!(file_url("abc"), "./abc.json");
    }

    #[test]
    fn suggested_names_are_valid_and_stable() {
        for q in templates::built_in() {
            let name = suggested_name(&q);
            assert!(is_valid_name(&name), "{name}");
            assert_eq!(name, suggested_name(&q));
            assert!(name.ends_with(&format!("-v{}", q.version)), "{name}");
        }
        let mut q = templates::built_in().remove(0);
        q.id = "Q__Weird..ID".into();
        q.version = 12;
        assert_eq!(suggested_name(&q), "q-weird-id-v12");
        q.id = "x".repeat(100);
        let long = suggested_name(&q);
        assert!(is_valid_name(&long) && long.len() == MAX_NAME_LEN, "{long}");
        q.id = "___".into();
        q.version = 1;
        assert_eq!(suggested_name(&q), "v1");
        assert_eq!(slug("Магазин №1"), "1");
        assert_eq!(slug("ЖЖ"), "");
        assert_eq!(slug("loc_Main"), "loc-main");
    }

    #[test]
    fn short_links_round_trip_through_the_route() {
        use crate::routes::Route;
        for location in [None, Some(shop())] {
            let link = ShortLink {
                name: "tpl-csi-nps-v1".into(),
                location,
            };
            let url = short_link_url("https://h/app/#/old", &link);
            assert!(url.starts_with("https://h/app/#/s/tpl-csi-nps-v1"), "{url}");
            let Route::ShortLink { name, location } = Route::parse(&fragment(&link)) else {
                panic!("{url}");
            };
            assert_eq!(parse(&name, location.as_deref()), Ok(link.clone()));
            assert_eq!(
                Route::ShortLink { name, location }.to_hash(),
                fragment(&link)
            );
        }
    }

    #[test]
    fn a_bad_part_refuses_the_whole_short_link() {
        assert_eq!(parse("../secret", None), Err(ShortLinkError::BadName));
        assert_eq!(parse("ok", Some("!!")), Err(ShortLinkError::BadLocation));
        assert_eq!(parse("ok", Some("")), Err(ShortLinkError::BadLocation));
        let not_location = URL_SAFE_NO_PAD.encode(br#"{"x":1}"#);
        assert_eq!(
            parse("ok", Some(&not_location)),
            Err(ShortLinkError::BadLocation)
        );
        let blank = URL_SAFE_NO_PAD.encode(br#"{"id":"","name":"x"}"#);
        assert_eq!(parse("ok", Some(&blank)), Err(ShortLinkError::BadLocation));
        let huge = "A".repeat(MAX_LOCATION_TOKEN_LEN + 4);
        assert_eq!(parse("ok", Some(&huge)), Err(ShortLinkError::BadLocation));
    }

    #[test]
    fn with_the_inbox_on_the_link_names_the_server_and_the_key() {
        let survey = templates::find("tpl-loyalty-button", 1).unwrap();
        let key = crate::seal::TeamKeyPair::generate(&mut crate::seal::system_rng());
        let target = InboxTarget {
            server: crate::delivery::ServerConfig::with_default_dbs("https://couch.example.org")
                .unwrap(),
            key: key.public_key(),
        };
        let d = plan(
            APP,
            &survey,
            Some(&shop()),
            LinkMode::Customer,
            Some(&target),
        );
        let payload = d.full_link.split_once("#/q/").unwrap().1;
        let back = crate::link::decode(payload).unwrap();
        assert_eq!(back.inbox.map(|t| t.check()), Some(Ok(target)));
        let without = plan(APP, &survey, Some(&shop()), LinkMode::Customer, None);
        let payload = without.full_link.split_once("#/q/").unwrap().1;
        assert_eq!(crate::link::decode(payload).unwrap().inbox, None);
        // Still scannable from a poster with the server and key in it.
        assert!(d.short.is_none());
    }

    #[test]
    fn small_surveys_get_a_full_link_and_big_ones_a_short_link() {
        let survey = templates::find("tpl-loyalty-button", 1).unwrap();
        let d = plan(APP, &survey, Some(&shop()), LinkMode::Customer, None);
        assert!(d.short.is_none());
        assert!(d.full_version.unwrap() <= MAX_SCANNABLE_VERSION);
        assert_eq!(d.qr_text(APP), d.full_link);

        // The largest audit is far past version 20 at M.
        let big = templates::built_in()
            .into_iter()
            .max_by_key(|q| crate::exchange::questionnaire_file::to_string(q).len())
            .unwrap();
        let d = plan(APP, &big, Some(&shop()), LinkMode::Customer, None);
        assert!(d.full_version.is_none_or(|v| v > MAX_SCANNABLE_VERSION));
        let short = d.short.clone().expect("a short link is offered");
        assert_eq!(short.name, suggested_name(&big));
        assert_eq!(short.location, Some(shop()));
        let text = d.qr_text(APP);
        assert!(text.starts_with("https://example.org/app/#/s/"));
        assert!(qr::is_scannable(&text), "{}", text.len());
    }

    /// The QR version of every built-in survey's customer link at error
    /// correction M, without and with a location (run with `--nocapture`
    /// for the table). Every one must stay scannable.
    #[test]
    fn qr_versions_of_built_in_surveys() {
        let mut seen = 0;
        println!("| survey | without location | with location |");
        for q in templates::built_in() {
            if q.kind != QuestionnaireKind::Survey {
                continue;
            }
            seen += 1;
            let bare = plan(APP, &q, None, LinkMode::Customer, None);
            let located = plan(APP, &q, Some(&shop()), LinkMode::Customer, None);
            println!(
                "| {} | {} ({} chars) | {} ({} chars) |",
                q.id,
                bare.full_version.unwrap(),
                bare.full_link.len(),
                located.full_version.unwrap(),
                located.full_link.len()
            );
            assert!(bare.short.is_none() && located.short.is_none(), "{}", q.id);
            assert!(bare.full_version <= located.full_version);
            // A manager's copy from the library: own id, same texts.
            let mut copy = q.clone();
            copy.id = "q-67e55044-10b1-426f-9247-bb680e5fe0c8".into();
            let copied = plan(APP, &copy, Some(&shop()), LinkMode::Customer, None);
            println!(
                "| copy of {} | – | {} ({} chars) |",
                q.id,
                copied.full_version.unwrap(),
                copied.full_link.len()
            );
            assert!(copied.short.is_none(), "{}", q.id);
        }
        assert!(seen >= 2);
    }
}
