//! Where a field device delivers: the team's server and the public key it
//! seals to. A link carries it (`"d"` in [`crate::link`]'s JSON), so a
//! customer's phone that opens the poster's QR code knows both without any
//! setting of its own; a shopper's or kiosk's device keeps the one of the
//! last link it opened for that questionnaire.
//!
//! It comes from outside like the rest of a link, and is checked as
//! strictly as a manager's typed server ([`ServerConfig::parse`]) before
//! anything is stored for it or sent to it: a link carries a
//! [`LinkTarget`] (its text, unchecked), and [`LinkTarget::check`] makes
//! the [`InboxTarget`] a device delivers to. The full app checks when it
//! opens a link (and refuses a link whose target fails, whole); the
//! customer's lean page leaves the check to the courier that seals its
//! answers (`web::courier`), so the page a customer waits for carries no
//! address checking: the link's checksum guards the target against damage
//! and the manager's app writes only checked targets, so only a hand-made
//! link can carry a bad one, and its answers then stay on the phone, shown
//! as not accepted. What the check cannot tell is whose server it is; the
//! person who made the link chose it, as they chose the questions, and the
//! device sends nothing to it but the answers to that link's questionnaire.

use serde::{Deserialize, Serialize};

use super::server::{ServerConfig, DEFAULT_FORMS_DB, DEFAULT_INBOX_DB, DEFAULT_TEAM_DB};
use crate::seal::TeamPublicKey;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LinkTarget", into = "LinkTarget")]
pub struct InboxTarget {
    pub server: ServerConfig,
    pub key: TeamPublicKey,
}

/// A target as a link carries it, before [`LinkTarget::check`]: the URL,
/// the key, and database names only when they are not the defaults (each
/// byte grows the QR code). [`InboxTarget`] reads and writes this same
/// JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkTarget {
    u: String,
    k: String,
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

impl From<&InboxTarget> for LinkTarget {
    fn from(t: &InboxTarget) -> LinkTarget {
        LinkTarget {
            u: t.server.url().to_owned(),
            i: unless_default(t.server.inbox_db(), DEFAULT_INBOX_DB),
            f: unless_default(t.server.forms_db(), DEFAULT_FORMS_DB),
            t: unless_default(t.server.team_db(), DEFAULT_TEAM_DB),
            k: t.key.to_link(),
        }
    }
}

impl From<InboxTarget> for LinkTarget {
    fn from(t: InboxTarget) -> LinkTarget {
        LinkTarget::from(&t)
    }
}

impl LinkTarget {
    /// The target a device may deliver to, or why this one is refused.
    pub fn check(&self) -> Result<InboxTarget, String> {
        let server = ServerConfig::parse(
            &self.u,
            self.i.as_deref().unwrap_or(DEFAULT_INBOX_DB),
            self.f.as_deref().unwrap_or(DEFAULT_FORMS_DB),
            self.t.as_deref().unwrap_or(DEFAULT_TEAM_DB),
        )
        .map_err(|e| e.message(crate::i18n::Lang::En))?;
        let key = TeamPublicKey::from_link(&self.k).map_err(|e| e.to_string())?;
        Ok(InboxTarget { server, key })
    }
}

impl TryFrom<LinkTarget> for InboxTarget {
    type Error = String;
    fn try_from(w: LinkTarget) -> Result<InboxTarget, String> {
        w.check()
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
    fn a_link_target_checks_to_the_target_it_was_made_from() {
        let t = target("http://127.0.0.1:5985", "answers");
        let carried = LinkTarget::from(&t);
        assert_eq!(
            serde_json::to_string(&carried).unwrap(),
            serde_json::to_string(&t).unwrap()
        );
        assert_eq!(carried.check(), Ok(t));
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
            if let Ok(carried) = serde_json::from_str::<LinkTarget>(&bad) {
                assert!(carried.check().is_err(), "{bad}");
            }
        }
    }
}
