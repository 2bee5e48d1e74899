//! Why a request got no answer at all, as far as a browser lets a page
//! tell. The transport writes the case as the first word of
//! [`TransportError::detail`] (`"network: TypeError: Failed to fetch"`), so
//! the pure cores keep the one error type and the screens can still say
//! what to fix.
//!
//! What a page can and cannot tell apart: `fetch` fails with the same
//! `TypeError` for an unknown host, a refused or reset connection, a bad
//! TLS certificate, a server without CORS for the app's origin, a proxy's
//! own refusal without CORS headers, a mixed-content or
//! Content-Security-Policy block — on purpose, so that a page learns
//! nothing about servers that did not opt in; that is
//! [`NoAnswer::Network`], and Resource Timing gives the same empty entry
//! for each. The transport tells apart what it can: its own refusals
//! ([`NoAnswer::Refused`], [`NoAnswer::MixedContent`]) happen before any
//! request; `navigator.onLine` being false is reliable for
//! [`NoAnswer::Offline`] (true proves nothing); a timeout is its own error;
//! a redirect is seen as such because redirects are not followed.
//!
//! Beyond that only a second request tells: a `no-cors` GET of the
//! server's root needs no opt-in from the server and resolves exactly when
//! the server is there, so after a [`NoAnswer::Network`] it splits
//! [`NoAnswer::NoCors`] from [`NoAnswer::Unreachable`] (DNS failure, a
//! refused connection and a bad certificate stay one case). Browsers allow
//! `no-cors` only with redirects followed, so that probe could be led to
//! another origin by a server that redirects its root: it is a separate
//! call for a person's "Test connection", never made by the transport on
//! its own.

use crate::i18n::Lang;
use crate::replication::http::TransportError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoAnswer {
    /// The app would not contact this origin ([`super::Allowed`]); no
    /// request was made.
    Refused,
    /// The browser says the device is offline.
    Offline,
    /// An `https` page and an `http` server that is not this machine: the
    /// browser blocks it, so no request was made.
    MixedContent,
    /// `fetch`'s `TypeError`: no server answered, or one did without
    /// allowing the app (CORS); the browser does not say which.
    Network,
    /// The server is there but does not answer the app (no CORS for the
    /// app's origin, or a proxy refusing without CORS headers).
    NoCors,
    /// No server answered: wrong address, down, no route, bad certificate.
    Unreachable,
    /// The server answered with a redirect, which the app does not follow
    /// (it could lead to another origin).
    Redirected,
    TimedOut,
    /// The connection broke while the answer was read, or the browser
    /// refused to build the request.
    Broken,
}

const ALL: [NoAnswer; 9] = [
    NoAnswer::Refused,
    NoAnswer::Offline,
    NoAnswer::MixedContent,
    NoAnswer::Network,
    NoAnswer::NoCors,
    NoAnswer::Unreachable,
    NoAnswer::Redirected,
    NoAnswer::TimedOut,
    NoAnswer::Broken,
];

impl NoAnswer {
    pub fn code(self) -> &'static str {
        match self {
            NoAnswer::Refused => "refused",
            NoAnswer::Offline => "offline",
            NoAnswer::MixedContent => "mixed-content",
            NoAnswer::Network => "network",
            NoAnswer::NoCors => "no-cors",
            NoAnswer::Unreachable => "unreachable",
            NoAnswer::Redirected => "redirected",
            NoAnswer::TimedOut => "timeout",
            NoAnswer::Broken => "broken",
        }
    }

    /// The error a transport returns for this case.
    pub fn error(self, detail: &str) -> TransportError {
        TransportError {
            detail: format!("{}: {detail}", self.code()),
        }
    }

    /// The case a transport's detail names; a detail from elsewhere (a
    /// native test transport) reads as [`NoAnswer::Network`].
    pub fn of_detail(detail: &str) -> NoAnswer {
        let code = detail.split(':').next().unwrap_or_default();
        ALL.into_iter()
            .find(|c| c.code() == code)
            .unwrap_or(NoAnswer::Network)
    }

    pub fn of(error: &TransportError) -> NoAnswer {
        NoAnswer::of_detail(&error.detail)
    }

    /// What happened and what to do, for a manager or a shopper.
    pub fn message(self, lang: Lang) -> String {
        use NoAnswer as N;
        let text = match (self, lang) {
            (N::Refused, Lang::Ru) => {
                "Приложение обращается только к своему адресу и к серверу из настроек; этот \
                 адрес — другой, запрос не отправлен."
            }
            (N::Refused, Lang::En) => {
                "The app contacts only its own address and the server in its settings; this \
                 address is neither, so nothing was sent."
            }
            (N::Offline, Lang::Ru) => "Устройство не в сети.",
            (N::Offline, Lang::En) => "The device is offline.",
            (N::MixedContent, Lang::Ru) => {
                "Приложение открыто по https, а сервер указан по http: браузер такие запросы \
                 блокирует. Укажите https-адрес сервера."
            }
            (N::MixedContent, Lang::En) => {
                "The app is open over https and the server's address is http: the browser \
                 blocks such requests. Give the server's https address."
            }
            (N::Network, Lang::Ru) => {
                "Сервер не ответил приложению: он недоступен (адрес, сеть, сервер выключен) или \
                 не разрешает запросы с адреса приложения (CORS); браузер не говорит, что именно. \
                 Кнопка «Проверить связь» уточнит."
            }
            (N::Network, Lang::En) => {
                "The server did not answer the app: it cannot be reached (address, network, \
                 server down) or it does not allow requests from the app's address (CORS); the \
                 browser does not say which. «Test connection» tells more."
            }
            (N::NoCors, Lang::Ru) => {
                "Сервер отвечает, но не приложению: на нём не включён CORS для адреса \
                 приложения (или прокси перед ним отказал без заголовков CORS). Включите CORS \
                 с заголовками accept, authorization, content-type (docs/sync.md)."
            }
            (N::NoCors, Lang::En) => {
                "The server answers, but not to the app: CORS is not enabled on it for the \
                 app's address (or a proxy in front of it refused without CORS headers). Enable \
                 CORS with the headers accept, authorization, content-type (docs/sync.md)."
            }
            (N::Unreachable, Lang::Ru) => {
                "Сервер не отвечает: проверьте адрес, что сервер работает и что есть сеть."
            }
            (N::Unreachable, Lang::En) => {
                "The server does not answer: check the address, that the server is running, \
                 and the network."
            }
            (N::Redirected, Lang::Ru) => {
                "Сервер перенаправляет на другой адрес, а приложение переходит только к серверу \
                 из настроек. Укажите в настройках адрес, на который он перенаправляет."
            }
            (N::Redirected, Lang::En) => {
                "The server redirects to another address, and the app goes only to the server in \
                 its settings. Put the address it redirects to in the settings."
            }
            (N::TimedOut, Lang::Ru) => "Сервер не ответил вовремя.",
            (N::TimedOut, Lang::En) => "The server did not answer in time.",
            (N::Broken, Lang::Ru) => "Связь с сервером оборвалась посреди ответа.",
            (N::Broken, Lang::En) => "The connection to the server broke off mid-answer.",
        };
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_case_travels_in_the_detail() {
        for case in ALL {
            let e = case.error("TypeError: Failed to fetch");
            assert!(e.detail.starts_with(case.code()));
            assert_eq!(NoAnswer::of(&e), case);
            assert_ne!(case.message(Lang::Ru), case.message(Lang::En));
        }
        assert_eq!(NoAnswer::of_detail("connection refused"), NoAnswer::Network);
        assert_eq!(NoAnswer::of_detail(""), NoAnswer::Network);
        assert_eq!(NoAnswer::of_detail("no-cors: x"), NoAnswer::NoCors);
        let codes: std::collections::BTreeSet<_> = ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes.len(), ALL.len());
    }
}
