//! Where a field device delivers: the team's server and the public key it
//! seals to. A link carries it (`"d"` in [`crate::link`]'s JSON), so a
//! customer's phone that opens the poster's QR code knows both without any
//! setting of its own; a shopper's or kiosk's device keeps the one of the
//! last link it opened for that questionnaire.
//!
//! It comes from outside like the rest of a link, and is checked as
//! strictly as a manager's typed server ([`ServerConfig::parse`]): a link
//! that names a malformed server or key is refused whole. What it cannot
//! be checked for is whose server it is; the person who made the link
//! chose it, as they chose the questions, and the device sends nothing to
//! it but the answers to that link's questionnaire.

use serde::{Deserialize, Serialize};

use super::server::{ServerConfig, DEFAULT_FORMS_DB, DEFAULT_INBOX_DB, DEFAULT_TEAM_DB};
use crate::seal::TeamPublicKey;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TargetWire", into = "TargetWire")]
pub struct InboxTarget {
    pub server: ServerConfig,
    pub key: TeamPublicKey,
}

/// The short form in a link: the URL, the key, and database names only
/// when they are not the defaults (each byte grows the QR code).
#[derive(Serialize, Deserialize)]
struct TargetWire {
    u: String,
    k: TeamPublicKey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    i: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    f: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t: Option<String>,
}

fn unless_default(name: &str, default: &str) -> Option<String> {
    (name != default).then(|| name.to_owned())
}

impl From<InboxTarget> for TargetWire {
    fn from(t: InboxTarget) -> TargetWire {
        TargetWire {
            u: t.server.url().to_owned(),
            i: unless_default(t.server.inbox_db(), DEFAULT_INBOX_DB),
            f: unless_default(t.server.forms_db(), DEFAULT_FORMS_DB),
            t: unless_default(t.server.team_db(), DEFAULT_TEAM_DB),
            k: t.key,
        }
    }
}

impl TryFrom<TargetWire> for InboxTarget {
    type Error = String;
    fn try_from(w: TargetWire) -> Result<InboxTarget, String> {
        let server = ServerConfig::parse(
            &w.u,
            w.i.as_deref().unwrap_or(DEFAULT_INBOX_DB),
            w.f.as_deref().unwrap_or(DEFAULT_FORMS_DB),
            w.t.as_deref().unwrap_or(DEFAULT_TEAM_DB),
        )
        .map_err(|e| e.message(crate::i18n::Lang::En))?;
        Ok(InboxTarget { server, key: w.k })
    }
}

/// The device-local setting (`schema::SETTINGS`) that keeps, for a
/// shopper's phone or a kiosk, the target of the last link opened for
/// questionnaire `questionnaire_id`: its answers go there.
pub fn setting_key(questionnaire_id: &str) -> String {
    format!("inbox.target.{questionnaire_id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::{system_rng, TeamKeyPair};

    fn target(url: &str, inbox: &str) -> InboxTarget {
        InboxTarget {
            server: ServerConfig::parse(url, inbox, "forms", "team").unwrap(),
            key: TeamKeyPair::generate(&mut system_rng()).public_key(),
        }
    }

    #[test]
    fn defaults_stay_out_and_everything_comes_back() {
        let t = target("https://couch.example.com/db", "inbox");
        let json = serde_json::to_string(&t).unwrap();
        assert!(!json.contains("\"i\""), "{json}");
        assert_eq!(serde_json::from_str::<InboxTarget>(&json).unwrap(), t);

        let t = target("http://127.0.0.1:5985", "answers");
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.contains("\"i\":\"answers\""), "{json}");
        assert_eq!(serde_json::from_str::<InboxTarget>(&json).unwrap(), t);
    }

    #[test]
    fn a_bad_server_or_key_is_refused() {
        let key = TeamKeyPair::generate(&mut system_rng())
            .public_key()
            .to_link();
        for bad in [
            format!(r#"{{"u":"ftp://h","k":"{key}"}}"#),
            format!(r#"{{"u":"https://user:pw@h","k":"{key}"}}"#),
            format!(r#"{{"u":"https://h","k":"{key}","i":"forms"}}"#),
            r#"{"u":"https://h","k":"AAAA"}"#.to_owned(),
            r#"{"u":"https://h"}"#.to_owned(),
        ] {
            assert!(serde_json::from_str::<InboxTarget>(&bad).is_err(), "{bad}");
        }
    }
}
