//! The requests the replicator asks a transport to make and the answers it
//! takes back. Paths are relative to the server's base URL and already
//! percent-encoded; query values are raw and the transport encodes them
//! (the browser's `URLSearchParams` does), or calls [`Request::target`].
//! Credentials are the transport's business, never the core's.

use crate::uri::encode_component;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: Method,
    /// E.g. `/team/_bulk_get`.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Sent as `application/json` when present.
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn new(method: Method, path: String) -> Request {
        Request {
            method,
            path,
            query: Vec::new(),
            body: None,
            headers: vec![("Accept".into(), "application/json".into())],
        }
    }

    pub fn query(mut self, name: &str, value: impl Into<String>) -> Request {
        self.query.push((name.to_owned(), value.into()));
        self
    }

    pub fn json(mut self, body: Value) -> Request {
        self.body = Some(body);
        self.headers
            .push(("Content-Type".into(), "application/json".into()));
        self
    }

    /// Path and encoded query, to append to the base URL.
    pub fn target(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let query: Vec<String> = self
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
            .collect();
        format!("{}?{}", self.path, query.join("&"))
    }

    /// The query value of `name`, for tests and fakes.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            body: body.into(),
        }
    }

    pub fn json(status: u16, body: &Value) -> Response {
        Response::new(status, serde_json::to_vec(body).expect("json"))
    }

    /// Why CouchDB refused, for a message: its `reason`, else its `error`,
    /// else the body as text; at most 200 characters.
    pub fn couch_reason(&self) -> String {
        #[derive(serde::Deserialize)]
        struct Couch {
            #[serde(default)]
            error: String,
            #[serde(default)]
            reason: String,
        }
        let reason = match serde_json::from_slice::<Couch>(&self.body) {
            Ok(c) if !c.reason.is_empty() => c.reason,
            Ok(c) => c.error,
            Err(_) => String::from_utf8_lossy(&self.body).into_owned(),
        };
        reason.chars().take(200).collect()
    }
}

/// The request never got an answer: offline, refused, cut mid-body, timed
/// out, or blocked by the browser (CORS looks like this from inside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    pub detail: String,
}

/// The path of a document: design documents keep their slash, as CouchDB
/// routes them.
pub fn doc_path(db_path: &str, id: &str) -> String {
    match id.strip_prefix("_design/") {
        Some(name) => format!("{db_path}/_design/{}", encode_component(name)),
        None => format!("{db_path}/{}", encode_component(id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uri::decode_component;

    #[test]
    fn encodes_paths_and_queries() {
        assert_eq!(encode_component("response:1 a/b"), "response%3A1%20a%2Fb");
        assert_eq!(
            decode_component("response%3A1%20a%2Fb").unwrap(),
            "response:1 a/b"
        );
        assert_eq!(decode_component("%zz"), None);
        assert_eq!(doc_path("/team", "_design/app"), "/team/_design/app");
        assert_eq!(doc_path("/team", "photo:ф"), "/team/photo%3A%D1%84");
        let r = Request::new(Method::Get, "/team/x".into())
            .query("open_revs", "[\"1-a\"]")
            .query("latest", "true");
        assert_eq!(r.target(), "/team/x?open_revs=%5B%221-a%22%5D&latest=true");
        assert_eq!(r.param("latest"), Some("true"));
        assert_eq!(Method::Post.as_str(), "POST");
    }
}
