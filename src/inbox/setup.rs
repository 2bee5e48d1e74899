//! "Set up the server" from a manager's device: what `scripts/couch-install.mjs`
//! installs (the databases, their `_security`, the design documents of
//! `couch/`), as the requests a transport makes one after another, sans IO.
//! The two must install the same thing, so the design documents are the
//! repository's own files and a native test compares [`plan`] with the
//! script's `plan()`. Manager users are not made here: a manager's device
//! signs in as a manager already (docs/sync.md says how to add one).
//!
//! ```text
//! let mut install = Install::new(&server);
//! while let Some(req) = install.request() {
//!     install.answer(&send(&req, admin)?)?;
//! }
//! ```
//!
//! Running it again changes nothing that is already right: an existing
//! database is kept, a design document is written only when it differs.

use std::collections::VecDeque;

use serde_json::{json, Value};

use crate::delivery::ServerConfig;
use crate::i18n::Lang;
use crate::replication::http::{doc_path, Method, Request, Response};
use crate::uri::encode_component;

/// The role a manager's CouchDB user carries; the team database's
/// `_security` names it (`MANAGER_ROLE` of scripts/couch-install.mjs).
pub const MANAGER_ROLE: &str = "servicelens-manager";
pub const INBOX_DESIGN: &str = include_str!("../../couch/inbox.design.json");
pub const FORMS_DESIGN: &str = include_str!("../../couch/forms.design.json");

/// One database as the installer leaves it.
#[derive(Debug, Clone, PartialEq)]
pub struct DbPlan {
    pub db: String,
    pub security: Value,
    pub design: Option<Value>,
}

fn design(text: &str) -> Value {
    serde_json::from_str(text).expect("couch/*.design.json is JSON (checked by a test)")
}

/// No members: anyone may read and write documents, and the design
/// document decides what a write may be. CouchDB 3 makes a new database
/// admin-only, so this must be said.
pub fn public_security() -> Value {
    json!({ "admins": { "names": [], "roles": [] }, "members": { "names": [], "roles": [] } })
}

pub fn team_security() -> Value {
    json!({ "admins": { "names": [], "roles": [] }, "members": { "names": [], "roles": [MANAGER_ROLE] } })
}

/// The databases of `server`, in the script's order.
pub fn plan(server: &ServerConfig) -> Vec<DbPlan> {
    vec![
        DbPlan {
            db: server.inbox_db().to_owned(),
            security: public_security(),
            design: Some(design(INBOX_DESIGN)),
        },
        DbPlan {
            db: server.forms_db().to_owned(),
            security: public_security(),
            design: Some(design(FORMS_DESIGN)),
        },
        DbPlan {
            db: server.team_db().to_owned(),
            security: team_security(),
            design: None,
        },
    ]
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Root,
    Session,
    CreateDb(String),
    Security(String, Value),
    ReadDesign(String, Value),
    WriteDesign(String, Value),
}

/// One installation in progress: [`Install::request`] is the next request,
/// [`Install::answer`] takes its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Install {
    steps: VecDeque<Step>,
    /// What was done, for the screen: "created inbox", …
    pub done: Vec<Done>,
}

/// One thing the installer did or found already right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Created(String),
    Existed(String),
    Security(String),
    Design { db: String, written: bool },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstallError {
    /// The root did not answer like CouchDB.
    NotCouch { status: u16 },
    /// 401 with these credentials.
    WrongPassword,
    /// Signed in, but not a server admin.
    NotAdmin { user: String },
    /// A step was refused.
    Refused {
        what: String,
        status: u16,
        reason: String,
    },
}

impl InstallError {
    pub fn message(&self, lang: Lang) -> String {
        use InstallError as E;
        match (self, lang) {
            (E::NotCouch { status }, Lang::Ru) => format!(
                "По этому адресу отвечает не сервер CouchDB (код {status}). Проверьте адрес."
            ),
            (E::NotCouch { status }, Lang::En) => format!(
                "What answers at this address is not a CouchDB server (status {status}). Check \
                 the address."
            ),
            (E::WrongPassword, Lang::Ru) => {
                "Сервер не принял имя и пароль администратора.".to_owned()
            }
            (E::WrongPassword, Lang::En) => {
                "The server did not accept the administrator's name and password.".to_owned()
            }
            (E::NotAdmin { user }, Lang::Ru) => format!(
                "«{user}» не администратор этого сервера: настроить его может только \
                 администратор."
            ),
            (E::NotAdmin { user }, Lang::En) => format!(
                "“{user}” is not an administrator of this server: only an administrator can \
                 set it up."
            ),
            (
                E::Refused {
                    what,
                    status,
                    reason,
                },
                Lang::Ru,
            ) => format!("Сервер отказал ({what}): код {status} {reason}"),
            (
                E::Refused {
                    what,
                    status,
                    reason,
                },
                Lang::En,
            ) => format!("The server refused ({what}): status {status} {reason}"),
        }
    }
}

fn db_path(db: &str) -> String {
    format!("/{}", encode_component(db))
}

fn doc_id(doc: &Value) -> &str {
    doc.get("_id").and_then(Value::as_str).unwrap_or_default()
}

/// The stored document equals the wanted one but for `_rev`.
pub fn is_current(stored: &Value, wanted: &Value) -> bool {
    let mut stored = stored.clone();
    if let Some(o) = stored.as_object_mut() {
        o.remove("_rev");
    }
    stored == *wanted
}

impl Install {
    /// The admin's `user` is only for the "not an admin" message.
    pub fn new(server: &ServerConfig) -> Install {
        let mut steps = VecDeque::from([
            Step::Root,
            Step::Session,
            Step::CreateDb("_users".to_owned()),
        ]);
        for p in plan(server) {
            steps.push_back(Step::CreateDb(p.db.clone()));
            steps.push_back(Step::Security(p.db.clone(), p.security));
            if let Some(d) = p.design {
                steps.push_back(Step::ReadDesign(p.db, d));
            }
        }
        Install {
            steps,
            done: Vec::new(),
        }
    }

    pub fn is_done(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn request(&self) -> Option<Request> {
        Some(match self.steps.front()? {
            Step::Root => Request::new(Method::Get, "/".to_owned()),
            Step::Session => Request::new(Method::Get, "/_session".to_owned()),
            Step::CreateDb(db) => Request::new(Method::Put, db_path(db)),
            Step::Security(db, sec) => {
                Request::new(Method::Put, format!("{}/_security", db_path(db))).json(sec.clone())
            }
            Step::ReadDesign(db, d) => Request::new(Method::Get, doc_path(&db_path(db), doc_id(d))),
            Step::WriteDesign(db, d) => {
                Request::new(Method::Put, doc_path(&db_path(db), doc_id(d))).json(d.clone())
            }
        })
    }

    /// Takes the answer to [`Install::request`]; `user` names the admin in
    /// a refusal. An error ends the installation (what was done stays done,
    /// and a new run carries on from there).
    pub fn answer(&mut self, r: &Response, user: &str) -> Result<(), InstallError> {
        let Some(step) = self.steps.pop_front() else {
            return Ok(());
        };
        let refused = |what: String| InstallError::Refused {
            what,
            status: r.status,
            reason: r.couch_reason(),
        };
        match step {
            Step::Root => {
                // A server that wants valid users refuses a wrong password
                // already here.
                if r.status == 401 {
                    return Err(InstallError::WrongPassword);
                }
                // CouchDB says `"couchdb": "Welcome"`, the dev server
                // `"express-pouchdb": "Welcome!"`; both give a vendor.
                let couch = serde_json::from_slice::<Value>(&r.body)
                    .ok()
                    .is_some_and(|v| {
                        ["couchdb", "express-pouchdb", "vendor"]
                            .iter()
                            .any(|k| v.get(k).is_some())
                    });
                if r.status != 200 || !couch {
                    return Err(InstallError::NotCouch { status: r.status });
                }
            }
            Step::Session => {
                if r.status == 401 {
                    return Err(InstallError::WrongPassword);
                }
                let admin = serde_json::from_slice::<Value>(&r.body)
                    .ok()
                    .and_then(|v| v.pointer("/userCtx/roles").cloned())
                    .and_then(|roles| roles.as_array().cloned())
                    .is_some_and(|roles| roles.iter().any(|x| x == "_admin"));
                if !admin {
                    return Err(InstallError::NotAdmin {
                        user: user.to_owned(),
                    });
                }
            }
            Step::CreateDb(db) => match r.status {
                201 | 202 => self.done.push(Done::Created(db)),
                412 => self.done.push(Done::Existed(db)),
                401 | 403 => return Err(InstallError::WrongPassword),
                _ => return Err(refused(format!("PUT /{db}"))),
            },
            Step::Security(db, _) => match r.status {
                200 | 201 => self.done.push(Done::Security(db)),
                _ => return Err(refused(format!("PUT /{db}/_security"))),
            },
            Step::ReadDesign(db, mut d) => match r.status {
                200 => {
                    let stored: Value = serde_json::from_slice(&r.body)
                        .map_err(|_| refused(format!("GET /{db}/{}", doc_id(&d))))?;
                    if is_current(&stored, &d) {
                        self.done.push(Done::Design { db, written: false });
                    } else {
                        if let (Some(o), Some(rev)) = (d.as_object_mut(), stored.get("_rev")) {
                            o.insert("_rev".to_owned(), rev.clone());
                        }
                        self.steps.push_front(Step::WriteDesign(db, d));
                    }
                }
                404 => self.steps.push_front(Step::WriteDesign(db, d)),
                _ => return Err(refused(format!("GET /{db}/{}", doc_id(&d)))),
            },
            Step::WriteDesign(db, d) => match r.status {
                201 | 202 => self.done.push(Done::Design { db, written: true }),
                _ => return Err(refused(format!("PUT /{db}/{}", doc_id(&d)))),
            },
        }
        Ok(())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn server() -> ServerConfig {
        ServerConfig::parse("http://127.0.0.1:5984", "in", "fo", "te").unwrap()
    }

    /// The installer script's own `plan()` and `MANAGER_ROLE`, run by Node.
    fn script_plan() -> Value {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/couch-install.mjs");
        let code = format!(
            "import {{ plan, MANAGER_ROLE }} from {script:?};\
             console.log(JSON.stringify({{ role: MANAGER_ROLE, plan: plan({{ inbox: 'in', forms: 'fo', team: 'te' }}) }}));"
        );
        let out = std::process::Command::new("node")
            .args(["--input-type=module", "-e", &code])
            .output()
            .expect("node runs (scripts/setup.sh installs it)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    #[test]
    fn the_plan_is_the_install_scripts() {
        let js = script_plan();
        assert_eq!(js["role"], MANAGER_ROLE);
        let ours: Vec<Value> = plan(&server())
            .into_iter()
            .map(|p| json!({ "db": p.db, "security": p.security, "design": p.design }))
            .collect();
        assert_eq!(js["plan"], Value::Array(ours));
    }

    /// A CouchDB that knows databases and documents, admin `admin`.
    #[derive(Default)]
    struct Fake {
        dbs: BTreeMap<String, BTreeMap<String, Value>>,
        admin: bool,
        writes: usize,
    }

    impl Fake {
        fn handle(&mut self, req: &Request) -> Response {
            let path: Vec<&str> = req.path.trim_start_matches('/').splitn(2, '/').collect();
            match (req.method, path.as_slice()) {
                (Method::Get, [""]) => Response::json(200, &json!({ "couchdb": "Welcome" })),
                (Method::Get, ["_session"]) => {
                    let roles = if self.admin {
                        json!(["_admin"])
                    } else {
                        json!([])
                    };
                    Response::json(
                        200,
                        &json!({ "ok": true, "userCtx": { "name": "x", "roles": roles } }),
                    )
                }
                (Method::Put, [db]) => {
                    if self.dbs.contains_key(*db) {
                        return Response::json(412, &json!({ "error": "file_exists" }));
                    }
                    self.dbs.insert((*db).to_owned(), BTreeMap::new());
                    Response::json(201, &json!({ "ok": true }))
                }
                (method, [db, id]) => {
                    let id = crate::uri::decode_component(id).unwrap();
                    let docs = self.dbs.get_mut(*db).expect("db created first");
                    match method {
                        Method::Get => match docs.get(&id) {
                            Some(d) => Response::json(200, d),
                            None => Response::json(404, &json!({ "error": "not_found" })),
                        },
                        Method::Put => {
                            self.writes += 1;
                            let mut body = req.body.clone().unwrap();
                            let rev = docs.get(&id).and_then(|d| d.get("_rev").cloned());
                            if id != "_security" && body.get("_rev") != rev.as_ref() {
                                return Response::json(409, &json!({ "error": "conflict" }));
                            }
                            body["_rev"] = json!(format!("{}-x", self.writes));
                            docs.insert(id, body);
                            Response::json(201, &json!({ "ok": true }))
                        }
                        Method::Post => unreachable!(),
                    }
                }
                _ => Response::json(400, &json!({ "error": "bad_request" })),
            }
        }
    }

    fn run(fake: &mut Fake) -> Result<Install, InstallError> {
        let mut install = Install::new(&server());
        let mut n = 0;
        while let Some(req) = install.request() {
            install.answer(&fake.handle(&req), "admin")?;
            n += 1;
            assert!(n < 100);
        }
        Ok(install)
    }

    #[test]
    fn installs_everything_and_a_second_run_changes_nothing() {
        let mut fake = Fake {
            admin: true,
            ..Fake::default()
        };
        let first = run(&mut fake).unwrap();
        assert!(first.done.contains(&Done::Created("in".into())));
        assert!(first.done.contains(&Done::Design {
            db: "in".into(),
            written: true
        }));
        assert_eq!(
            fake.dbs["te"]["_security"]["members"]["roles"],
            json!([MANAGER_ROLE])
        );
        let inbox_design = &fake.dbs["in"]["_design/inbox"];
        assert!(is_current(inbox_design, &design(INBOX_DESIGN)));
        assert!(fake.dbs["fo"].contains_key("_design/forms"));
        let writes = fake.writes;
        let second = run(&mut fake).unwrap();
        assert!(second.done.contains(&Done::Existed("in".into())));
        assert!(second.done.contains(&Done::Design {
            db: "fo".into(),
            written: false
        }));
        // Only the three `_security` documents are put again.
        assert_eq!(fake.writes, writes + 3);
    }

    #[test]
    fn an_old_design_document_is_replaced_with_its_revision() {
        let mut fake = Fake {
            admin: true,
            ..Fake::default()
        };
        run(&mut fake).unwrap();
        let old = fake
            .dbs
            .get_mut("in")
            .unwrap()
            .get_mut("_design/inbox")
            .unwrap();
        old["validate_doc_update"] = json!("function () {}");
        let again = run(&mut fake).unwrap();
        assert!(again.done.contains(&Done::Design {
            db: "in".into(),
            written: true
        }));
        assert!(is_current(
            &fake.dbs["in"]["_design/inbox"],
            &design(INBOX_DESIGN)
        ));
    }

    #[test]
    fn a_user_who_is_not_an_admin_is_told_so_before_anything_is_made() {
        let mut fake = Fake::default();
        let e = run(&mut fake).unwrap_err();
        assert_eq!(
            e,
            InstallError::NotAdmin {
                user: "admin".into()
            }
        );
        assert!(fake.dbs.is_empty());
        for lang in Lang::ALL {
            assert!(e.message(lang).contains("admin"));
        }
    }

    #[test]
    fn wrong_passwords_and_foreign_servers_have_their_messages() {
        let mut install = Install::new(&server());
        let e = install
            .answer(&Response::new(200, "<html>"), "a")
            .unwrap_err();
        assert_eq!(e, InstallError::NotCouch { status: 200 });
        let mut install = Install::new(&server());
        let e = install.answer(&Response::new(401, "{}"), "a").unwrap_err();
        assert_eq!(e, InstallError::WrongPassword);
        let mut install = Install::new(&server());
        install
            .answer(&Response::json(200, &json!({ "couchdb": "Welcome" })), "a")
            .unwrap();
        let e = install
            .answer(
                &Response::json(401, &json!({ "error": "unauthorized" })),
                "a",
            )
            .unwrap_err();
        assert_eq!(e, InstallError::WrongPassword);
        assert_ne!(e.message(Lang::Ru), e.message(Lang::En));
    }

    #[test]
    fn requests_name_the_configured_databases_encoded() {
        let s = ServerConfig::parse("https://c.example.org/couch", "my$inbox", "f", "t").unwrap();
        let install = Install::new(&s);
        let paths: Vec<String> = install
            .steps
            .iter()
            .filter_map(|step| match step {
                Step::CreateDb(db) => Some(db_path(db)),
                _ => None,
            })
            .collect();
        assert_eq!(paths, ["/_users", "/my%24inbox", "/f", "/t"]);
    }
}
