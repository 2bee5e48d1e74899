//! The "join the team" link: a manager's device hands another manager's
//! device the team server's settings (address, database names, user and
//! password) as `#/join/<payload>`, so nobody types them. The payload is
//! base64url of the settings' JSON; it sits in the URL's fragment, which a
//! browser never sends to any server, but it holds the password, and the
//! screens say so. What it brings is checked like any input from outside:
//! the same `ServerConfig` rules as the settings form, a size cap, and
//! never the inbox's on switch (that needs the team key on the device).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::delivery::ServerConfig;
use crate::i18n::Lang;
use crate::inbox::settings::ManagerInbox;

/// Far above any real settings; a payload longer than this is not one.
pub const MAX_PAYLOAD_CHARS: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Payload {
    /// The link format.
    v: u32,
    server: ServerConfig,
    user: String,
    password: String,
}

/// The `#/join/…` fragment for `inbox`'s server and sign-in.
pub fn join_fragment(inbox: &ManagerInbox) -> String {
    let payload = Payload {
        v: 1,
        server: inbox.server.clone(),
        user: inbox.user.clone(),
        password: inbox.password.clone(),
    };
    let json = serde_json::to_vec(&payload).expect("settings serialise");
    format!("#/join/{}", URL_SAFE_NO_PAD.encode(json))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinError {
    /// Not a join link this build reads (cut short, edited, too long).
    Unreadable,
}

impl JoinError {
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Ru => "Ссылка для подключения не читается: возможно, она скопирована не \
                         полностью. Попросите новую."
                .to_owned(),
            Lang::En => "This join link cannot be read: it may not have been copied whole. \
                         Ask for a new one."
                .to_owned(),
        }
    }
}

/// The settings a join link's payload (the part after `#/join/`) brings,
/// with the inbox off.
pub fn read_join(payload: &str) -> Result<ManagerInbox, JoinError> {
    if payload.len() > MAX_PAYLOAD_CHARS {
        return Err(JoinError::Unreadable);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim())
        .map_err(|_| JoinError::Unreadable)?;
    let p: Payload = serde_json::from_slice(&bytes).map_err(|_| JoinError::Unreadable)?;
    if p.v != 1 || p.user.chars().any(char::is_control) || p.password.contains('\0') {
        return Err(JoinError::Unreadable);
    }
    Ok(ManagerInbox {
        server: p.server,
        user: p.user,
        password: p.password,
        on: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inbox() -> ManagerInbox {
        ManagerInbox {
            server: ServerConfig::parse("https://couch.example.com", "in", "forms", "team")
                .unwrap(),
            user: "maria".into(),
            password: "p:w d".into(),
            on: true,
        }
    }

    #[test]
    fn a_join_link_brings_the_server_and_sign_in_but_never_turns_the_inbox_on() {
        let fragment = join_fragment(&inbox());
        let payload = fragment.strip_prefix("#/join/").unwrap();
        assert!(payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let read = read_join(payload).unwrap();
        assert_eq!(read.server, inbox().server);
        assert_eq!(
            (read.user.as_str(), read.password.as_str()),
            ("maria", "p:w d")
        );
        assert!(!read.on);
        assert_eq!(
            crate::routes::Route::parse(&fragment),
            crate::routes::Route::Join(payload.to_owned())
        );
    }

    #[test]
    fn a_cut_edited_or_hostile_link_is_refused() {
        let fragment = join_fragment(&inbox());
        let payload = fragment.strip_prefix("#/join/").unwrap();
        assert_eq!(
            read_join(&payload[..payload.len() / 2]),
            Err(JoinError::Unreadable)
        );
        assert_eq!(read_join("!!!"), Err(JoinError::Unreadable));
        assert_eq!(
            read_join(&"A".repeat(MAX_PAYLOAD_CHARS + 1)),
            Err(JoinError::Unreadable)
        );
        let hostile = |json: &str| URL_SAFE_NO_PAD.encode(json);
        // A script address never passes the server's rules.
        let bad_url = hostile(
            r#"{"v":1,"server":{"url":"javascript:alert(1)","inbox_db":"in","forms_db":"f","team_db":"t"},"user":"u","password":"p"}"#,
        );
        assert_eq!(read_join(&bad_url), Err(JoinError::Unreadable));
        let newer = hostile(
            r#"{"v":2,"server":{"url":"https://c.example","inbox_db":"in","forms_db":"f","team_db":"t"},"user":"u","password":"p"}"#,
        );
        assert_eq!(read_join(&newer), Err(JoinError::Unreadable));
        for lang in [Lang::Ru, Lang::En] {
            assert!(!JoinError::Unreadable.message(lang).is_empty());
        }
    }
}
