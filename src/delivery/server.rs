//! The team's server as a device has it configured, and the one rule for
//! which origins the app may contact: its own and that server's, nothing
//! else ([`Allowed::allows`]; the browser transport applies it before every
//! request).
//!
//! **Reading URLs.** The browser reads URLs by the WHATWG URL standard,
//! which is lenient: it strips controls, takes `\` for `/`, skips extra
//! slashes, takes the *last* `@` as the end of a user name and password,
//! percent-decodes and IDNA-maps host names, and reads `127.1`, `0x7f.1`
//! or `2130706433` as `127.0.0.1`. A check that read URLs differently from
//! the browser could pass a URL that the browser then sends elsewhere
//! (`http://127.0.0.1:5984@evil.example/` goes to `evil.example`). So this
//! reader is stricter than the browser, never looser: it accepts only the
//! plain spelling of an absolute `http`/`https` URL (`scheme://host[:port]`
//! then a path), a scheme-relative `//host…` or a relative reference, and
//! refuses anything the browser would have to repair or reinterpret —
//! controls, spaces and backslashes anywhere, a user name or password,
//! other slash counts, non-ASCII or percent-encoded host names, numeric
//! host names other than a dotted-quad IPv4, empty labels. A refused URL
//! the browser would have sent to an allowed origin costs nothing: the app
//! builds its URLs from a [`ServerConfig`] and its own relative paths, which
//! are always the plain spelling. The transport also reads the URL with
//! the browser's own parser and checks that origin too.
//!
//! A full WHATWG parser (the `url` crate, with IDNA tables) would read every
//! URL the browser reads, at a size the respondent's page cannot afford;
//! the strict subset needs none of it. Host names in another script
//! (`кафе.рф`) are typed in their ASCII form (`xn--80aswg.xn--p1ai`); a
//! settings screen can pass what a manager typed through the browser's
//! `URL` first, which converts it.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

pub const DEFAULT_INBOX_DB: &str = "inbox";
pub const DEFAULT_FORMS_DB: &str = "forms";
pub const DEFAULT_TEAM_DB: &str = "team";

/// CouchDB's limit on a database name.
const MAX_DB_NAME_CHARS: usize = 238;
/// Enough for any server address a person types; keeps error texts short.
const MAX_URL_CHARS: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// `scheme://host[:port]`, spelt as the browser serialises an origin:
/// host in lower case, IPv6 in brackets and compressed, the default port
/// left out.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    scheme: Scheme,
    host: String,
    /// `None` for the scheme's default port.
    port: Option<u16>,
}

impl Origin {
    /// An origin as the browser gives it (`location.origin`): exactly
    /// `scheme://host[:port]`, nothing after. Opaque origins (`null`, as
    /// for a `file:` page) are no origin here.
    pub fn parse(text: &str) -> Option<Origin> {
        let (scheme, after) = scheme_of(text)?;
        let scheme = known_scheme(scheme)?;
        match authority(scheme, after) {
            Ok((origin, "")) => Some(origin),
            _ => None,
        }
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port requests go to, the default one included.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(self.scheme.default_port())
    }

    /// Whether browsers treat the host as this machine: they let an
    /// `https` page call such a host over plain `http`.
    pub fn is_loopback(&self) -> bool {
        let h = self.host.as_str();
        h == "localhost"
            || h.ends_with(".localhost")
            || h == "[::1]"
            || h.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.host)?;
        match self.port {
            Some(port) => write!(f, ":{port}"),
            None => Ok(()),
        }
    }
}

/// The databases a team uses on its server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Database {
    Inbox,
    Forms,
    Team,
}

impl Database {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Database::Inbox, Lang::Ru) => "входящих ответов",
            (Database::Inbox, Lang::En) => "incoming answers",
            (Database::Forms, Lang::Ru) => "опубликованных анкет",
            (Database::Forms, Lang::En) => "published questionnaires",
            (Database::Team, Lang::Ru) => "команды",
            (Database::Team, Lang::En) => "the team",
        }
    }
}

/// The team's server: its base URL (no trailing slash; a path when it sits
/// behind a proxy in a folder) and the names of its three databases
/// (docs/sync.md). Only [`ServerConfig::parse`] makes one, serde included,
/// so every instance has passed its checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ServerConfigFields", into = "ServerConfigFields")]
pub struct ServerConfig {
    url: String,
    origin: Origin,
    inbox_db: String,
    forms_db: String,
    team_db: String,
}

/// What is stored and carried: the four texts, checked again when read.
#[derive(Serialize, Deserialize)]
struct ServerConfigFields {
    url: String,
    inbox_db: String,
    forms_db: String,
    team_db: String,
}

impl TryFrom<ServerConfigFields> for ServerConfig {
    type Error = ServerError;
    fn try_from(f: ServerConfigFields) -> Result<ServerConfig, ServerError> {
        ServerConfig::parse(&f.url, &f.inbox_db, &f.forms_db, &f.team_db)
    }
}

impl From<ServerConfig> for ServerConfigFields {
    fn from(c: ServerConfig) -> ServerConfigFields {
        ServerConfigFields {
            url: c.url,
            inbox_db: c.inbox_db,
            forms_db: c.forms_db,
            team_db: c.team_db,
        }
    }
}

impl ServerConfig {
    /// Checks what a manager typed: an `http`/`https` URL with a host, no
    /// user name or password (they go in their own fields and travel in a
    /// header), no query or fragment; a trailing slash is dropped. Database
    /// names follow CouchDB's rule without `/` and must differ from each
    /// other (the inbox takes anonymous writes, the team database must not).
    pub fn parse(
        url: &str,
        inbox_db: &str,
        forms_db: &str,
        team_db: &str,
    ) -> Result<ServerConfig, ServerError> {
        let text = url.trim();
        if text.is_empty() {
            return Err(ServerError::Empty);
        }
        if text.chars().count() > MAX_URL_CHARS || has_ambiguous_chars(text) {
            return Err(ServerError::Malformed);
        }
        let (scheme, after) = scheme_of(text).ok_or(ServerError::NoScheme)?;
        let scheme = known_scheme(scheme).ok_or_else(|| ServerError::UnsupportedScheme {
            scheme: scheme.to_ascii_lowercase(),
        })?;
        let (origin, tail) = authority(scheme, after).map_err(ServerError::from)?;
        if tail.contains(['?', '#']) {
            return Err(ServerError::QueryOrFragment);
        }
        let path = tail.trim_end_matches('/');
        if !path.is_empty() && !path[1..].split('/').all(is_plain_segment) {
            return Err(ServerError::BadPath {
                path: path.to_owned(),
            });
        }
        let names = [
            (Database::Inbox, inbox_db.trim()),
            (Database::Forms, forms_db.trim()),
            (Database::Team, team_db.trim()),
        ];
        for (which, name) in names {
            if !is_db_name(name) {
                return Err(ServerError::BadDatabase {
                    which,
                    name: name.to_owned(),
                });
            }
        }
        for (i, (a, name_a)) in names.iter().enumerate() {
            for (b, name_b) in &names[i + 1..] {
                if name_a == name_b {
                    return Err(ServerError::SameDatabase {
                        first: *a,
                        second: *b,
                        name: (*name_a).to_owned(),
                    });
                }
            }
        }
        Ok(ServerConfig {
            url: format!("{origin}{path}"),
            origin,
            inbox_db: names[0].1.to_owned(),
            forms_db: names[1].1.to_owned(),
            team_db: names[2].1.to_owned(),
        })
    }

    /// [`ServerConfig::parse`] with the default database names.
    pub fn with_default_dbs(url: &str) -> Result<ServerConfig, ServerError> {
        ServerConfig::parse(url, DEFAULT_INBOX_DB, DEFAULT_FORMS_DB, DEFAULT_TEAM_DB)
    }

    /// The base URL request paths are appended to.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    pub fn inbox_db(&self) -> &str {
        &self.inbox_db
    }

    pub fn forms_db(&self) -> &str {
        &self.forms_db
    }

    pub fn team_db(&self) -> &str {
        &self.team_db
    }

    /// Whether a page served from `page` may call this server at all:
    /// browsers block plain `http` requests from an `https` page (mixed
    /// content), except to this machine.
    pub fn check_reachable_from(&self, page: &Origin) -> Result<(), ServerError> {
        if page.scheme == Scheme::Https
            && self.origin.scheme == Scheme::Http
            && !self.origin.is_loopback()
        {
            return Err(ServerError::InsecureFromSecurePage);
        }
        Ok(())
    }
}

/// The origins the app may contact: its own, and the configured server's
/// when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowed {
    own_origin: Option<Origin>,
    server: Option<Origin>,
}

impl Allowed {
    /// `own_origin` as the browser gives it (`location.origin`); an opaque
    /// one (`null`) allows nothing of its own, relative URLs included.
    pub fn new(own_origin: &str, server: Option<&ServerConfig>) -> Allowed {
        Allowed {
            own_origin: Origin::parse(own_origin),
            server: server.map(|s| s.origin.clone()),
        }
    }

    pub fn own_origin(&self) -> Option<&Origin> {
        self.own_origin.as_ref()
    }

    pub fn server(&self) -> Option<&Origin> {
        self.server.as_ref()
    }

    /// The one rule: whether the app may make a request to `url`. A
    /// relative URL resolves against the app's own page, so it is allowed
    /// when the page has an origin; an absolute or scheme-relative one must
    /// name the app's origin or the server's exactly, in the plain spelling
    /// the module docs describe.
    pub fn allows(&self, url: &str) -> bool {
        if has_ambiguous_chars(url) {
            return false;
        }
        let target = match scheme_of(url) {
            Some((scheme, after)) => match known_scheme(scheme).map(|s| authority(s, after)) {
                Some(Ok((origin, _))) => origin,
                _ => return false,
            },
            None => {
                let Some(own) = &self.own_origin else {
                    return false;
                };
                if !url.starts_with("//") {
                    return true;
                }
                match authority(own.scheme, url) {
                    Ok((origin, _)) => origin,
                    Err(_) => return false,
                }
            }
        };
        self.allows_origin(&target)
    }

    /// Whether `origin` is the app's or the server's.
    pub fn allows_origin(&self, origin: &Origin) -> bool {
        self.own_origin.as_ref() == Some(origin) || self.server.as_ref() == Some(origin)
    }
}

/// Why a server address or database name was refused, in a manager's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerError {
    Empty,
    /// Spaces, controls or backslashes, or far too long.
    Malformed,
    NoScheme,
    UnsupportedScheme {
        scheme: String,
    },
    /// `https:host` or `https:///host`.
    NotTwoSlashes,
    NoHost,
    Credentials,
    NonAsciiHost {
        host: String,
    },
    BadHost {
        host: String,
    },
    BadPort {
        port: String,
    },
    QueryOrFragment,
    BadPath {
        path: String,
    },
    BadDatabase {
        which: Database,
        name: String,
    },
    SameDatabase {
        first: Database,
        second: Database,
        name: String,
    },
    /// An `http` server for an `https` page: the browser will block it.
    InsecureFromSecurePage,
}

/// For serde, which reports a stored configuration that fails its checks
/// in English.
impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl ServerError {
    pub fn message(&self, lang: Lang) -> String {
        use ServerError as E;
        match (self, lang) {
            (E::Empty, Lang::Ru) => {
                "Введите адрес сервера, например https://couch.example.org.".to_owned()
            }
            (E::Empty, Lang::En) => {
                "Enter the server's address, for example https://couch.example.org.".to_owned()
            }
            (E::Malformed, Lang::Ru) => {
                "В адресе сервера есть пробелы или знаки, которых в адресе не бывает. \
                 Скопируйте адрес ещё раз, например https://couch.example.org."
                    .to_owned()
            }
            (E::Malformed, Lang::En) => {
                "The server's address has spaces or characters an address cannot have. \
                 Copy it again, for example https://couch.example.org."
                    .to_owned()
            }
            (E::NoScheme, Lang::Ru) => {
                "Адрес сервера начинается с https:// (или http:// для сервера на этом \
                 компьютере), например https://couch.example.org."
                    .to_owned()
            }
            (E::NoScheme, Lang::En) => {
                "The server's address starts with https:// (or http:// for a server on this \
                 computer), for example https://couch.example.org."
                    .to_owned()
            }
            (E::UnsupportedScheme { scheme }, Lang::Ru) => format!(
                "Адрес «{scheme}:» не подходит: адрес сервера начинается с https:// или http://."
            ),
            (E::UnsupportedScheme { scheme }, Lang::En) => format!(
                "A «{scheme}:» address does not work here: the server's address starts with \
                 https:// or http://."
            ),
            (E::NotTwoSlashes, Lang::Ru) => {
                "После «https:» в адресе идут ровно две косые черты: https://couch.example.org."
                    .to_owned()
            }
            (E::NotTwoSlashes, Lang::En) => {
                "After «https:» the address has exactly two slashes: https://couch.example.org."
                    .to_owned()
            }
            (E::NoHost, Lang::Ru) => {
                "В адресе нет имени сервера, например https://couch.example.org.".to_owned()
            }
            (E::NoHost, Lang::En) => {
                "The address has no server name, for example https://couch.example.org.".to_owned()
            }
            (E::Credentials, Lang::Ru) => {
                "Уберите имя пользователя и пароль из адреса и введите их в поля «Пользователь» \
                 и «Пароль»: адрес показывают и пересылают, пароль в нём стал бы известен всем."
                    .to_owned()
            }
            (E::Credentials, Lang::En) => {
                "Take the user name and password out of the address and type them in the «User» \
                 and «Password» fields: an address is shown and passed around, a password in it \
                 would leak."
                    .to_owned()
            }
            (E::NonAsciiHost { host }, Lang::Ru) => format!(
                "Имя сервера «{host}» написано не латиницей. Введите его латинскую запись \
                 (она начинается с xn--; её показывает хостинг или регистратор)."
            ),
            (E::NonAsciiHost { host }, Lang::En) => format!(
                "The server name «{host}» is not in Latin letters. Type its Latin form (it \
                 starts with xn--; the hosting provider or registrar shows it)."
            ),
            (E::BadHost { host }, Lang::Ru) => format!(
                "«{host}» — не имя сервера и не IP-адрес. Пример: couch.example.org или \
                 192.168.1.20."
            ),
            (E::BadHost { host }, Lang::En) => format!(
                "«{host}» is neither a server name nor an IP address. For example: \
                 couch.example.org or 192.168.1.20."
            ),
            (E::BadPort { port }, Lang::Ru) => {
                format!("Порт «{port}» — не число от 1 до 65535.")
            }
            (E::BadPort { port }, Lang::En) => {
                format!("The port «{port}» is not a number from 1 to 65535.")
            }
            (E::QueryOrFragment, Lang::Ru) => {
                "Адрес сервера заканчивается именем сервера (и папкой, если она есть): уберите \
                 всё, начиная с «?» или «#»."
                    .to_owned()
            }
            (E::QueryOrFragment, Lang::En) => {
                "The server's address ends with the server (and its folder, if any): remove \
                 everything from «?» or «#» on."
                    .to_owned()
            }
            (E::BadPath { path }, Lang::Ru) => format!(
                "Папка «{path}» в адресе сервера не подходит: в ней только латинские буквы, \
                 цифры и знаки - . _ ~, без пустых частей, «.» и «..»."
            ),
            (E::BadPath { path }, Lang::En) => format!(
                "The folder «{path}» in the server's address does not work: only Latin letters, \
                 digits and - . _ ~, with no empty parts, «.» or «..»."
            ),
            (E::BadDatabase { which, name }, Lang::Ru) => format!(
                "Имя базы {} «{name}» не подходит: имя базы CouchDB начинается со строчной \
                 латинской буквы, в нём только строчные латинские буквы, цифры и знаки \
                 _ $ ( ) + -, не длиннее {MAX_DB_NAME_CHARS} знаков.",
                which.label(lang)
            ),
            (E::BadDatabase { which, name }, Lang::En) => format!(
                "The name «{name}» of the database for {} does not work: a CouchDB database \
                 name starts with a lower-case Latin letter and has only lower-case Latin \
                 letters, digits and _ $ ( ) + -, at most {MAX_DB_NAME_CHARS} of them.",
                which.label(lang)
            ),
            (
                E::SameDatabase {
                    first,
                    second,
                    name,
                },
                Lang::Ru,
            ) => format!(
                "Базы {} и {} должны быть разными, а у обеих имя «{name}»: в базу входящих \
                 ответов пишет кто угодно, в базы анкет и команды — только менеджеры.",
                first.label(lang),
                second.label(lang)
            ),
            (
                E::SameDatabase {
                    first,
                    second,
                    name,
                },
                Lang::En,
            ) => format!(
                "The databases for {} and for {} must differ, yet both are named «{name}»: \
                 anyone may write to the incoming answers, only managers to the questionnaires \
                 and the team.",
                first.label(lang),
                second.label(lang)
            ),
            (E::InsecureFromSecurePage, Lang::Ru) => {
                "Приложение открыто по https, и браузер не даст ему обращаться к серверу по \
                 http. Укажите https-адрес сервера."
                    .to_owned()
            }
            (E::InsecureFromSecurePage, Lang::En) => {
                "The app is open over https, so the browser will not let it talk to a server \
                 over http. Give the server's https address."
                    .to_owned()
            }
        }
    }
}

/// Why the authority of a URL was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum AuthorityError {
    NotTwoSlashes,
    NoHost,
    Credentials,
    NonAsciiHost(String),
    BadHost(String),
    BadPort(String),
}

impl From<AuthorityError> for ServerError {
    fn from(e: AuthorityError) -> ServerError {
        match e {
            AuthorityError::NotTwoSlashes => ServerError::NotTwoSlashes,
            AuthorityError::NoHost => ServerError::NoHost,
            AuthorityError::Credentials => ServerError::Credentials,
            AuthorityError::NonAsciiHost(host) => ServerError::NonAsciiHost { host },
            AuthorityError::BadHost(host) => ServerError::BadHost { host },
            AuthorityError::BadPort(port) => ServerError::BadPort { port },
        }
    }
}

/// Characters the browser would strip, drop or reinterpret: controls,
/// spaces (it trims them at the ends and drops tabs and newlines inside)
/// and `\` (a `/` in http URLs).
fn has_ambiguous_chars(text: &str) -> bool {
    text.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'\\')
}

/// The scheme and what follows its `:`, if `text` starts with one
/// (WHATWG's scheme state): an ASCII letter, then letters, digits, `+ - .`.
fn scheme_of(text: &str) -> Option<(&str, &str)> {
    let b = text.as_bytes();
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    let end = b
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')))?;
    (b[end] == b':').then(|| (&text[..end], &text[end + 1..]))
}

fn known_scheme(scheme: &str) -> Option<Scheme> {
    if scheme.eq_ignore_ascii_case("http") {
        Some(Scheme::Http)
    } else if scheme.eq_ignore_ascii_case("https") {
        Some(Scheme::Https)
    } else {
        None
    }
}

/// Reads `//host[:port]` at the start of `after` (what follows the scheme's
/// colon); gives the origin and the rest (path, query, fragment).
fn authority(scheme: Scheme, after: &str) -> Result<(Origin, &str), AuthorityError> {
    let rest = after
        .strip_prefix("//")
        .ok_or(AuthorityError::NotTwoSlashes)?;
    if rest.starts_with('/') {
        return Err(AuthorityError::NotTwoSlashes);
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (auth, tail) = rest.split_at(end);
    if auth.contains('@') {
        return Err(AuthorityError::Credentials);
    }
    let (host, port) = match auth.strip_prefix('[') {
        Some(inner) => {
            let close = inner
                .find(']')
                .ok_or_else(|| AuthorityError::BadHost(auth.to_owned()))?;
            let ip: Ipv6Addr = inner[..close]
                .parse()
                .map_err(|_| AuthorityError::BadHost(auth.to_owned()))?;
            let port = match &inner[close + 1..] {
                "" => None,
                after => Some(
                    after
                        .strip_prefix(':')
                        .ok_or_else(|| AuthorityError::BadHost(auth.to_owned()))?,
                ),
            };
            (ipv6_host(ip), port)
        }
        None => {
            let (host, port) = match auth.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (auth, None),
            };
            (name_host(host)?, port)
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(p) => {
            let n = p
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| p.parse::<u16>().ok())
                .flatten()
                .filter(|&n| n != 0)
                .ok_or_else(|| AuthorityError::BadPort(p.to_owned()))?;
            (n != scheme.default_port()).then_some(n)
        }
    };
    Ok((Origin { scheme, host, port }, tail))
}

/// A host name or IPv4 address in the spelling the browser keeps as it is
/// (lower-cased): ASCII letters, digits, `-` and `_` in non-empty labels,
/// and, when the last label is a number (which makes the browser read the
/// whole as IPv4), exactly a dotted-quad IPv4 address.
fn name_host(host: &str) -> Result<String, AuthorityError> {
    if host.is_empty() {
        return Err(AuthorityError::NoHost);
    }
    if !host.is_ascii() {
        return Err(AuthorityError::NonAsciiHost(host.to_owned()));
    }
    let lower = host.to_ascii_lowercase();
    let bad = || AuthorityError::BadHost(host.to_owned());
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    };
    if !lower.split('.').all(label_ok) {
        return Err(bad());
    }
    let last = lower.rsplit('.').next().unwrap_or_default();
    let numeric = last.bytes().all(|b| b.is_ascii_digit())
        || last
            .strip_prefix("0x")
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if numeric {
        let ip: Ipv4Addr = lower.parse().map_err(|_| bad())?;
        if ip.to_string() != lower {
            return Err(bad());
        }
    }
    Ok(lower)
}

/// An IPv6 host as the browser serialises it (WHATWG "IPv6 serializer"):
/// in brackets, lower-case hex without leading zeros, the first longest
/// run of two or more zero pieces as `::`, never an embedded IPv4.
fn ipv6_host(ip: Ipv6Addr) -> String {
    let pieces = ip.segments();
    let (mut compress, mut best, mut i) = (None, 1, 0);
    while i < 8 {
        if pieces[i] == 0 {
            let start = i;
            while i < 8 && pieces[i] == 0 {
                i += 1;
            }
            if i - start > best {
                best = i - start;
                compress = Some(start);
            }
        } else {
            i += 1;
        }
    }
    let mut out = String::from("[");
    let mut ignore0 = false;
    for (i, &piece) in pieces.iter().enumerate() {
        if ignore0 && piece == 0 {
            continue;
        }
        ignore0 = false;
        if compress == Some(i) {
            out.push_str(if i == 0 { "::" } else { ":" });
            ignore0 = true;
            continue;
        }
        out.push_str(&format!("{piece:x}"));
        if i != 7 {
            out.push(':');
        }
    }
    out.push(']');
    out
}

/// A path segment the browser sends as it is: unreserved characters and
/// valid `%XX` escapes, not `.` or `..` (which it would resolve away).
fn is_plain_segment(seg: &str) -> bool {
    if seg.is_empty() || seg == "." || seg == ".." {
        return false;
    }
    let b = seg.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
                {
                    return false;
                }
                i += 3;
            }
            c if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~') => i += 1,
            _ => return false,
        }
    }
    true
}

/// CouchDB's database name rule (`^[a-z][a-z0-9_$()+/-]*$`) without `/`,
/// which would need escaping in every path and no proxy rule expects.
fn is_db_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_DB_NAME_CHARS
        && b[0].is_ascii_lowercase()
        && b.iter().all(|&c| {
            c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || matches!(c, b'_' | b'$' | b'(' | b')' | b'+' | b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(url: &str) -> ServerConfig {
        ServerConfig::with_default_dbs(url).unwrap()
    }

    fn allowed(own: &str, server_url: &str) -> Allowed {
        Allowed::new(own, Some(&server(server_url)))
    }

    #[test]
    fn parses_a_server_and_its_origin() {
        let s = server("https://couch.example.org");
        assert_eq!(s.url(), "https://couch.example.org");
        assert_eq!(s.origin().to_string(), "https://couch.example.org");
        assert_eq!(s.origin().port(), 443);
        assert_eq!(
            (s.inbox_db(), s.forms_db(), s.team_db()),
            ("inbox", "forms", "team")
        );

        let s = server("  http://127.0.0.1:5984/  ");
        assert_eq!(s.url(), "http://127.0.0.1:5984");
        assert_eq!(s.origin().to_string(), "http://127.0.0.1:5984");
        assert_eq!(s.origin().host(), "127.0.0.1");
        assert!(s.origin().is_loopback());

        // Case, the default port and a proxy folder.
        let s = server("HTTPS://Couch.Example.ORG:443/couch/db-proxy//");
        assert_eq!(s.url(), "https://couch.example.org/couch/db-proxy");
        assert_eq!(s.origin().to_string(), "https://couch.example.org");
        assert_eq!(
            server("http://couch.local:80").origin().to_string(),
            "http://couch.local"
        );
        assert_eq!(
            server("http://[0:0::1]:5984").origin().to_string(),
            "http://[::1]:5984"
        );
        assert_eq!(
            server("http://[2001:DB8:0:0:1:0:0:1]").origin().host(),
            "[2001:db8::1:0:0:1]"
        );
        assert_eq!(
            server("http://[::ffff:10.0.0.1]").origin().host(),
            "[::ffff:a00:1]"
        );
    }

    #[test]
    fn refuses_what_is_not_a_plain_server_address() {
        let err = |url: &str| ServerConfig::with_default_dbs(url).unwrap_err();
        assert_eq!(err("   "), ServerError::Empty);
        assert_eq!(err("couch.example.org"), ServerError::NoScheme);
        assert_eq!(err("127.0.0.1:5984"), ServerError::NoScheme);
        assert_eq!(
            err("ftp://couch.example.org"),
            ServerError::UnsupportedScheme {
                scheme: "ftp".into()
            }
        );
        assert_eq!(
            err("javascript:alert(1)"),
            ServerError::UnsupportedScheme {
                scheme: "javascript".into()
            }
        );
        assert_eq!(err("https:couch.example.org"), ServerError::NotTwoSlashes);
        assert_eq!(
            err("https:///couch.example.org"),
            ServerError::NotTwoSlashes
        );
        assert_eq!(err("https://"), ServerError::NoHost);
        assert_eq!(err("https://:5984"), ServerError::NoHost);
        assert_eq!(
            err("https://admin:secret@couch.example.org"),
            ServerError::Credentials
        );
        assert_eq!(
            err("https://couch.example.org/?a=1"),
            ServerError::QueryOrFragment
        );
        assert_eq!(
            err("https://couch.example.org#x"),
            ServerError::QueryOrFragment
        );
        assert_eq!(err("https://couch.exa mple.org"), ServerError::Malformed);
        assert_eq!(err("https://couch.example.org\\x"), ServerError::Malformed);
        assert_eq!(
            err("https://кафе.рф"),
            ServerError::NonAsciiHost {
                host: "кафе.рф".into()
            }
        );
        for host in [
            "a..b",
            ".a",
            "a.",
            "a%2eb",
            "127.1",
            "0x7f.0.0.1",
            "2130706433",
            "1.2.3.04",
            "a.0x1f",
        ] {
            assert!(
                matches!(err(&format!("http://{host}")), ServerError::BadHost { .. }),
                "{host}"
            );
        }
        for port in ["0", "65536", "x", "59 84", "-1"] {
            let e = ServerConfig::with_default_dbs(&format!("http://h:{port}")).unwrap_err();
            assert!(
                matches!(e, ServerError::BadPort { .. } | ServerError::Malformed),
                "{port}: {e:?}"
            );
        }
        for path in ["/a/../b", "/./a", "/a//b", "/a%zz", "/a b", "/ф"] {
            let e = ServerConfig::with_default_dbs(&format!("https://h{path}")).unwrap_err();
            assert!(
                matches!(e, ServerError::BadPath { .. } | ServerError::Malformed),
                "{path}: {e:?}"
            );
        }
    }

    #[test]
    fn checks_database_names() {
        let s = ServerConfig::parse("https://h", " inbox-2 ", "forms$(x)", "team_a+b").unwrap();
        assert_eq!(
            (s.inbox_db(), s.forms_db(), s.team_db()),
            ("inbox-2", "forms$(x)", "team_a+b")
        );
        for bad in [
            "",
            "Inbox",
            "1inbox",
            "in/box",
            "in box",
            "_users",
            "инбокс",
        ] {
            assert_eq!(
                ServerConfig::parse("https://h", bad, "forms", "team").unwrap_err(),
                ServerError::BadDatabase {
                    which: Database::Inbox,
                    name: bad.trim().to_owned()
                }
            );
        }
        assert!(ServerConfig::parse("https://h", &"a".repeat(238), "f", "t").is_ok());
        assert!(ServerConfig::parse("https://h", &"a".repeat(239), "f", "t").is_err());
        assert_eq!(
            ServerConfig::parse("https://h", "inbox", "forms", "inbox").unwrap_err(),
            ServerError::SameDatabase {
                first: Database::Inbox,
                second: Database::Team,
                name: "inbox".into()
            }
        );
    }

    #[test]
    fn serde_goes_through_the_checks() {
        let s = server("http://127.0.0.1:5984/");
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"url": "http://127.0.0.1:5984", "inbox_db": "inbox",
                               "forms_db": "forms", "team_db": "team"})
        );
        assert_eq!(serde_json::from_value::<ServerConfig>(json).unwrap(), s);
        let forged = serde_json::json!({"url": "http://a@evil.example", "inbox_db": "inbox",
                                        "forms_db": "forms", "team_db": "team"});
        let e = serde_json::from_value::<ServerConfig>(forged).unwrap_err();
        assert!(e.to_string().contains("password"), "{e}");
    }

    #[test]
    fn mixed_content_is_refused_except_to_this_machine() {
        let page = Origin::parse("https://app.example.org").unwrap();
        assert_eq!(
            server("http://couch.example.org").check_reachable_from(&page),
            Err(ServerError::InsecureFromSecurePage)
        );
        for ok in [
            "https://couch.example.org",
            "http://127.0.0.1:5984",
            "http://localhost:5984",
            "http://[::1]:5984",
        ] {
            assert_eq!(server(ok).check_reachable_from(&page), Ok(()), "{ok}");
        }
        let plain = Origin::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            server("http://couch.example.org").check_reachable_from(&plain),
            Ok(())
        );
    }

    #[test]
    fn origins_parse_only_as_the_browser_writes_them() {
        assert_eq!(
            Origin::parse("http://127.0.0.1:8080").unwrap().to_string(),
            "http://127.0.0.1:8080"
        );
        for not in [
            "null",
            "",
            "http://h/",
            "http://h?x",
            "file:///x",
            "http://u@h",
        ] {
            assert_eq!(Origin::parse(not), None, "{not}");
        }
    }

    #[test]
    fn allows_the_app_and_the_server_only() {
        let a = allowed("https://app.example.org", "http://127.0.0.1:5984");
        for ok in [
            "http://127.0.0.1:5984/inbox/resp:x",
            "http://127.0.0.1:5984",
            "HTTP://127.0.0.1:5984/",
            "http://127.0.0.1:05984/x?y=1#z",
            "https://app.example.org/respond.html",
            "https://APP.Example.org:443/x",
            "https://app.example.org:/x",
        ] {
            assert!(a.allows(ok), "{ok}");
        }
        for refused in [
            // Other ports, schemes, hosts.
            "http://127.0.0.1:5985/inbox",
            "http://127.0.0.1/inbox",
            "https://127.0.0.1:5984/inbox",
            "http://app.example.org/",
            "https://app.example.org:8443/",
            "https://evil.example/",
            "https://app.example.org.evil.example/",
            "ws://127.0.0.1:5984/",
            "data:text/plain,x",
            "blob:https://app.example.org/1234",
            "javascript:fetch('//evil.example')",
            // User names, passwords and the last-@ rule.
            "http://127.0.0.1:5984@evil.example/",
            "http://127.0.0.1:5984%40evil.example/",
            "https://app.example.org@evil.example/",
            "https://user:pw@app.example.org/",
            "https://evil.example\\@app.example.org/",
            // What the browser would repair: slashes, backslashes, controls.
            "https:/evil.example/",
            "https:///evil.example/",
            "https:\\\\evil.example/",
            "\\\\evil.example/x",
            "/\\evil.example/x",
            " https://evil.example/",
            "https://evil\t.example/",
            "https://app.example.org\n@evil.example/",
            // Spellings of 127.0.0.1 and IDN the browser maps.
            "http://127.1:5984/",
            "http://2130706433:5984/",
            "http://0x7f.0.0.1:5984/",
            "http://127.0.0.1.:5984/",
            "https://аpp.example.org/",
            "https://xn--pp-8kc.example.org/",
            "https://app.example.org%2e/",
            "https://[::1]/",
            "https://app.example.org:99999/",
            // Scheme-relative URLs to another host.
            "//evil.example/x",
            "//127.0.0.1:5984@evil.example/",
            "///evil.example/x",
        ] {
            assert!(!a.allows(refused), "{refused}");
        }
    }

    #[test]
    fn relative_urls_resolve_to_the_own_origin() {
        let a = allowed("http://127.0.0.1:8080", "https://couch.example.org");
        for ok in [
            "./survey.json",
            "survey.json",
            "/respond.html",
            "?x=1",
            "#/q/1.abc",
            "",
            "a/b:c",
            "//127.0.0.1:8080/x",
        ] {
            assert!(a.allows(ok), "{ok}");
        }
        // A relative-looking text that is a scheme; a scheme-relative URL
        // takes the page's scheme (http here), not the server's.
        assert!(!a.allows("evil:x"));
        assert!(!a.allows("//couch.example.org/inbox"));
        assert!(a.allows("https://couch.example.org/inbox"));
        let opaque = Allowed::new("null", None);
        assert_eq!(opaque.own_origin(), None);
        assert!(!opaque.allows("./survey.json"));
        assert!(!opaque.allows("//127.0.0.1:8080/x"));
    }

    #[test]
    fn without_a_server_only_the_app_is_allowed() {
        let a = Allowed::new("https://app.example.org", None);
        assert_eq!(a.server(), None);
        assert!(a.allows("https://app.example.org/x.json"));
        assert!(!a.allows("https://couch.example.org/inbox"));
        assert!(a.allows_origin(&Origin::parse("https://app.example.org").unwrap()));
        assert!(!a.allows_origin(&Origin::parse("https://couch.example.org").unwrap()));
    }

    #[test]
    fn every_error_reads_in_both_languages() {
        let errors = [
            ServerError::Empty,
            ServerError::Malformed,
            ServerError::NoScheme,
            ServerError::UnsupportedScheme {
                scheme: "ftp".into(),
            },
            ServerError::NotTwoSlashes,
            ServerError::NoHost,
            ServerError::Credentials,
            ServerError::NonAsciiHost {
                host: "кафе.рф".into(),
            },
            ServerError::BadHost {
                host: "a..b".into(),
            },
            ServerError::BadPort { port: "0".into() },
            ServerError::QueryOrFragment,
            ServerError::BadPath { path: "/..".into() },
            ServerError::BadDatabase {
                which: Database::Forms,
                name: "X".into(),
            },
            ServerError::SameDatabase {
                first: Database::Inbox,
                second: Database::Team,
                name: "db".into(),
            },
            ServerError::InsecureFromSecurePage,
        ];
        for e in &errors {
            let (ru, en) = (e.message(Lang::Ru), e.message(Lang::En));
            assert!(ru.chars().any(|c| ('а'..='я').contains(&c)), "{ru}");
            if !matches!(e, ServerError::NonAsciiHost { .. }) {
                assert!(!en.chars().any(|c| ('а'..='я').contains(&c)), "{en}");
            }
            assert_ne!(ru, en);
        }
    }
}
