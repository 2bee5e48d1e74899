//! What a manager's device keeps for the inbox, as records of its
//! device-local stores: the team server with the manager's sign-in and
//! whether the inbox is on (a setting), where the pull stopped (a setting),
//! and the team's key pairs (the `TEAM_KEYS` store). None of it travels:
//! `exchange::trust::setting_travels` is false for these names, and the
//! keys are in no file but the passphrase-protected key file.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Waiting;
use crate::delivery::{InboxTarget, ServerConfig};
use crate::i18n::Lang;
use crate::seal::{KeyError, KeyRing, TeamKeyPair};

/// The setting holding [`ManagerInbox`].
pub const SERVER_SETTING: &str = "inbox.server";
/// The setting holding [`PullState`].
pub const PULL_SETTING: &str = "inbox.pull";

/// The team server as this manager's device uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerInbox {
    pub server: ServerConfig,
    /// The manager's CouchDB user; empty signs in as nobody.
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub password: String,
    /// Links name the inbox, and the screen pulls it, only when on.
    #[serde(default)]
    pub on: bool,
}

impl ManagerInbox {
    pub fn auth(&self) -> Option<(&str, &str)> {
        (!self.user.is_empty()).then_some((self.user.as_str(), self.password.as_str()))
    }

    /// Where new links send their answers: the server and the current key,
    /// only while the inbox is on.
    pub fn target(&self, keys: &KeyRing) -> Option<InboxTarget> {
        let key = keys.current()?;
        self.on.then(|| InboxTarget {
            server: self.server.clone(),
            key: key.public_key(),
        })
    }
}

/// Why the inbox cannot be turned on yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotYet {
    NoKey,
    /// The current key's file was not saved since this screen opened.
    KeyFileNotSaved,
}

impl NotYet {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (NotYet::NoKey, Lang::Ru) => "Сначала создайте ключ команды.".to_owned(),
            (NotYet::NoKey, Lang::En) => "Make the team key first.".to_owned(),
            (NotYet::KeyFileNotSaved, Lang::Ru) => {
                "Сначала сохраните файл ключа: без него ответы нельзя будет прочитать, если это \
                 устройство потеряется."
                    .to_owned()
            }
            (NotYet::KeyFileNotSaved, Lang::En) => {
                "Save the key file first: without it the answers cannot be read if this device \
                 is lost."
                    .to_owned()
            }
        }
    }
}

/// Save before enable: the inbox goes on only once the current key's file
/// was saved (`saved_kid`, known to this session only, and confirmed by the
/// manager), since answers sealed to a key nobody kept are lost with the
/// device.
pub fn may_turn_on(keys: &KeyRing, saved_kid: Option<&str>) -> Result<(), NotYet> {
    let current = keys.current().ok_or(NotYet::NoKey)?;
    if saved_kid != Some(current.kid()) {
        return Err(NotYet::KeyFileNotSaved);
    }
    Ok(())
}

/// Where the pull of one inbox stopped: its checkpoint and the answers
/// waiting for their photo parts. Kept with the inbox it belongs to, so a
/// changed server or database name starts from the beginning.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullState {
    pub source: String,
    #[serde(default)]
    pub since: Option<Value>,
    #[serde(default)]
    pub waiting: Waiting,
}

impl PullState {
    pub fn source_of(server: &ServerConfig) -> String {
        format!("{}/{}", server.url(), server.inbox_db())
    }

    /// This state if it is `server`'s inbox's, else a fresh one.
    pub fn for_server(self, server: &ServerConfig) -> PullState {
        let source = PullState::source_of(server);
        if self.source == source {
            self
        } else {
            PullState {
                source,
                ..PullState::default()
            }
        }
    }
}

/// One record of `TEAM_KEYS`: a key pair with the time it became current
/// (the newest is the current key; older ones stay to open old answers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTeamKey {
    pub kid: String,
    /// The raw private key, base64.
    private: String,
    pub current_since: i64,
}

impl StoredTeamKey {
    pub fn new(key: &TeamKeyPair, current_since: i64) -> StoredTeamKey {
        StoredTeamKey {
            kid: key.kid().to_owned(),
            private: STANDARD.encode(key.private_bytes()),
            current_since,
        }
    }

    pub fn pair(&self) -> Result<TeamKeyPair, KeyError> {
        let bytes = STANDARD
            .decode(&self.private)
            .map_err(|_| KeyError::WrongLength {
                found: 0,
                expected: crate::seal::KEY_BYTES,
            })?;
        TeamKeyPair::from_private_bytes(&bytes)
    }
}

/// The ring of the stored keys: the one current most recently is current.
/// A record that does not make a key, or whose key is not the one its id
/// names, is left out.
pub fn ring(records: &[StoredTeamKey]) -> KeyRing {
    let mut sorted: Vec<&StoredTeamKey> = records.iter().collect();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.current_since));
    let mut ring = KeyRing::new();
    for r in sorted {
        if let Ok(pair) = r.pair() {
            if pair.kid() == r.kid {
                ring.add(pair);
            }
        }
    }
    ring
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::exchange::trust::setting_travels;
    use crate::seal::system_rng;

    fn server(url: &str) -> ServerConfig {
        ServerConfig::with_default_dbs(url).unwrap()
    }

    #[test]
    fn the_settings_never_travel() {
        assert!(!setting_travels(SERVER_SETTING));
        assert!(!setting_travels(PULL_SETTING));
    }

    #[test]
    fn the_server_record_round_trips_and_rechecks_the_url() {
        let s = ManagerInbox {
            server: server("http://127.0.0.1:5984"),
            user: "maria".into(),
            password: "pw".into(),
            on: true,
        };
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(
            serde_json::from_value::<ManagerInbox>(json.clone()).unwrap(),
            s
        );
        let mut bad = json;
        bad["server"]["url"] = "javascript:alert(1)".into();
        assert!(serde_json::from_value::<ManagerInbox>(bad).is_err());
        assert_eq!(s.auth(), Some(("maria", "pw")));
        let anonymous = ManagerInbox {
            user: String::new(),
            ..s
        };
        assert_eq!(anonymous.auth(), None);
    }

    #[test]
    fn links_name_the_inbox_only_when_it_is_on_and_there_is_a_key() {
        let key = TeamKeyPair::generate(&mut system_rng());
        let ring = KeyRing::with_current(key.clone());
        let mut s = ManagerInbox {
            server: server("https://couch.example.org"),
            user: String::new(),
            password: String::new(),
            on: false,
        };
        assert_eq!(s.target(&ring), None);
        s.on = true;
        assert_eq!(s.target(&KeyRing::new()), None);
        let t = s.target(&ring).unwrap();
        assert_eq!(t.key, key.public_key());
        assert_eq!(t.server, s.server);
    }

    #[test]
    fn the_inbox_goes_on_only_after_the_current_keys_file_was_saved() {
        assert_eq!(may_turn_on(&KeyRing::new(), None), Err(NotYet::NoKey));
        let old = TeamKeyPair::generate(&mut system_rng());
        let mut ring = KeyRing::with_current(old.clone());
        assert_eq!(may_turn_on(&ring, None), Err(NotYet::KeyFileNotSaved));
        assert_eq!(may_turn_on(&ring, Some(old.kid())), Ok(()));
        let new = TeamKeyPair::generate(&mut system_rng());
        ring.add(new.clone());
        ring.make_current(new.kid());
        // The old key's file does not cover the new key.
        assert_eq!(
            may_turn_on(&ring, Some(old.kid())),
            Err(NotYet::KeyFileNotSaved)
        );
        assert_eq!(may_turn_on(&ring, Some(new.kid())), Ok(()));
        for lang in Lang::ALL {
            assert!(!NotYet::KeyFileNotSaved.message(lang).is_empty());
        }
    }

    #[test]
    fn a_pull_state_belongs_to_one_inbox() {
        let a = server("http://127.0.0.1:5984");
        let state = PullState {
            source: PullState::source_of(&a),
            since: Some(serde_json::json!("12-g1AAA")),
            waiting: Waiting::default(),
        };
        assert_eq!(state.clone().for_server(&a), state);
        let b = server("http://127.0.0.1:5985");
        let fresh = state.for_server(&b);
        assert_eq!(fresh.since, None);
        assert_eq!(fresh.source, PullState::source_of(&b));
    }

    #[test]
    fn stored_keys_make_a_ring_whose_newest_is_current() {
        let old = TeamKeyPair::generate(&mut system_rng());
        let new = TeamKeyPair::generate(&mut system_rng());
        let records = vec![StoredTeamKey::new(&old, 1), StoredTeamKey::new(&new, 2)];
        let json = serde_json::to_string(&records).unwrap();
        let back: Vec<StoredTeamKey> = serde_json::from_str(&json).unwrap();
        let r = ring(&back);
        assert_eq!(r.len(), 2);
        assert_eq!(r.current(), Some(&new));
        assert_eq!(r.get(old.kid()), Some(&old));
        // A record whose key is not the one it names is not used.
        let mut forged = StoredTeamKey::new(&old, 3);
        forged.kid = new.kid().to_owned();
        assert_eq!(ring(&[forged]).len(), 0);
    }
}
