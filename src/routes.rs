//! The app's screens as URL fragments (`#/fill/…`). Routing lives in the
//! fragment, not the path, so the build works from any static host under
//! any sub-path and a reload never asks the server for a page it lacks.

use uuid::Uuid;

use crate::dashboard::drill::Drill;
use crate::dashboard::DashboardQuery;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    /// Choose a checklist and start a visit.
    FillStart,
    /// Fill (or read, once submitted) one response.
    Fill(Uuid),
    /// The manager dashboard with its filters in the query
    /// (`#/dashboard?period=90d&loc=…`), so a view can be bookmarked.
    Dashboard(DashboardQuery),
    /// The responses behind a dashboard figure: the same filters plus,
    /// from a weak spot, the item they failed.
    Responses(Drill),
    /// One submitted response with every answer, comment and photo.
    ResponseDetail(Uuid),
    /// One visit's report to hand on or print (`#/report/<id>`).
    VisitReport(Uuid),
    Settings,
    /// The questionnaire library: templates and the user's own.
    Questionnaires,
    /// Submitted results and sending them as a file.
    Outbox,
    /// The outbox right after a shopper submitted `id`: the confirmation
    /// and its one next step, sending it (`#/outbox/<id>`).
    Submitted(Uuid),
    /// Answers from the field: the team server, the team key, the sealed
    /// inbox's pull and what it set aside.
    Inbox,
    /// Team sync with the team database.
    Sync,
    /// Another manager's device hands over the team server's settings
    /// (`crate::sync::join`).
    Join(String),
    /// Locations and employees, with CSV import and export.
    People,
    /// Records that came from a file or a peer and differ from this
    /// device's: both copies, and the person's choice.
    Conflicts,
    /// Importing files from other devices and exporting; with the
    /// dashboard's query (`#/exchange/dashboard?…`) exports hold only what
    /// that view counts.
    Exchange(Option<DashboardQuery>),
    /// Corrective actions: overdue first, each with its next step and what
    /// the next audit of the location said.
    Actions,

    /// The editor for one draft version of a questionnaire.
    Edit {
        id: String,
        version: u32,
    },
    /// The links of a published questionnaire version, to hand on again
    /// (`#/links/<id>/<version>`).
    Links {
        id: String,
        version: u32,
    },
    /// A questionnaire carried in the link itself (`#/q/1.<data>`): the
    /// raw payload after `#/q/`, read by [`crate::link::decode`],
    /// which says what is wrong with a damaged one. The route does not judge
    /// it, so a broken link reaches the screen that explains, not NotFound.
    Link(String),
    /// A survey too big for a QR code, fetched from `./<name>.json` next
    /// to the app (`#/s/<name>[/<location>]`); the parts are read by
    /// [`crate::distribution::short_link::parse`].
    ShortLink {
        name: String,
        location: Option<String>,
    },
    /// A form published on the team's server
    /// (`#/f/<name>/<target>[/<location>]`); the parts are read by
    /// [`crate::distribution::form_link::parse`] on the screen, which
    /// explains a damaged one.
    FormLink {
        name: String,
        target: String,
        location: Option<String>,
    },
    /// QR codes, links and posters for a survey and a location.
    Distribute,
    /// A printable poster for a survey version at a location.
    Poster {
        size: PosterSize,
        id: String,
        version: u32,
        location: Option<String>,
    },
    /// The full-screen survey loop of a shared tablet.
    Kiosk,
    NotFound,
}

/// Paper sizes of the printable poster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PosterSize {
    A4,
    A5,
}

impl PosterSize {
    pub const ALL: [PosterSize; 2] = [PosterSize::A4, PosterSize::A5];

    pub fn code(self) -> &'static str {
        match self {
            PosterSize::A4 => "a4",
            PosterSize::A5 => "a5",
        }
    }

    pub fn from_code(code: &str) -> Option<PosterSize> {
        PosterSize::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Questionnaire ids in routes are the app's own (`tpl-…`, `q-<uuid>`);
/// anything else in a link is refused rather than echoed.
fn is_plain_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// A fragment's path segments and its query.
fn segments(hash: &str) -> (Vec<&str>, &str) {
    let rest = hash.trim_start_matches('#');
    let rest = rest.split('#').next().unwrap_or("");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    (path.split('/').filter(|s| !s.is_empty()).collect(), query)
}

/// The payload of a questionnaire link's fragment (`#/q/<payload>`), what
/// [`Route::parse`] makes a [`Route::Link`] of, without the rest of the
/// router: the customer's lean page (`crate::web::respondent`) needs only this.
pub fn link_payload(hash: &str) -> Option<&str> {
    match segments(hash).0.as_slice() {
        ["q"] => Some(""),
        ["q", payload] => Some(payload),
        _ => None,
    }
}

impl Route {
    /// The dashboard's default view.
    pub fn dashboard() -> Route {
        Route::Dashboard(DashboardQuery::default())
    }

    /// Whether the screen lives in the manager's module (`app::manager`),
    /// the wasm binary the app loads only when such a screen opens: the
    /// dashboard with its charts and drill-downs, corrective actions,
    /// import and export, locations and staff, QR codes and posters, the
    /// questionnaire library and editor, the outbox (its bundle writer), and
    /// the inbox screen (the team key and the pull).
    /// The rest (home, filling a visit, settings, kiosk, links) is what a
    /// first visit needs, and stays in the app's first load.
    pub fn in_manager_module(&self) -> bool {
        matches!(
            self,
            Route::Dashboard(_)
                | Route::Responses(_)
                | Route::ResponseDetail(_)
                | Route::VisitReport(_)
                | Route::Actions
                | Route::Exchange(_)
                | Route::People
                | Route::Distribute
                | Route::Poster { .. }
                | Route::Questionnaires
                | Route::Edit { .. }
                | Route::Links { .. }
                | Route::Outbox
                | Route::Submitted(_)
                | Route::Inbox
                | Route::Sync
                | Route::Join(_)
                | Route::Conflicts
        )
    }

    /// Parses `location.hash`, with or without its leading `#`.
    pub fn parse(hash: &str) -> Route {
        let (segments, query) = segments(hash);
        match segments.as_slice() {
            [] => Route::Home,
            ["fill"] => Route::FillStart,
            ["fill", id] => Uuid::parse_str(id).map_or(Route::NotFound, Route::Fill),
            ["dashboard"] => Route::Dashboard(DashboardQuery::parse(query)),
            ["responses"] => Route::Responses(Drill::parse(query)),
            ["response", id] => Uuid::parse_str(id).map_or(Route::NotFound, Route::ResponseDetail),
            ["report", id] => Uuid::parse_str(id).map_or(Route::NotFound, Route::VisitReport),
            ["settings"] => Route::Settings,
            ["questionnaires"] => Route::Questionnaires,
            ["outbox"] => Route::Outbox,
            ["outbox", id] => Uuid::parse_str(id).map_or(Route::NotFound, Route::Submitted),
            ["inbox"] => Route::Inbox,
            ["sync"] => Route::Sync,
            ["join", payload] => Route::Join((*payload).to_owned()),
            ["people"] => Route::People,
            ["conflicts"] => Route::Conflicts,
            ["exchange"] => Route::Exchange(None),
            ["actions"] => Route::Actions,
            ["exchange", "dashboard"] => Route::Exchange(Some(DashboardQuery::parse(query))),
            ["edit", id, version] if is_plain_id(id) => match version.parse() {
                Ok(version) => Route::Edit {
                    id: (*id).to_owned(),
                    version,
                },
                Err(_) => Route::NotFound,
            },
            ["links", id, version] if is_plain_id(id) => match version.parse() {
                Ok(version) => Route::Links {
                    id: (*id).to_owned(),
                    version,
                },
                Err(_) => Route::NotFound,
            },
            ["q"] => Route::Link(String::new()),
            ["q", payload] => Route::Link((*payload).to_owned()),
            ["s", name] => Route::ShortLink {
                name: (*name).to_owned(),
                location: None,
            },
            ["s", name, location] => Route::ShortLink {
                name: (*name).to_owned(),
                location: Some((*location).to_owned()),
            },
            ["f", name, target] => Route::FormLink {
                name: (*name).to_owned(),
                target: (*target).to_owned(),
                location: None,
            },
            ["f", name, target, location] => Route::FormLink {
                name: (*name).to_owned(),
                target: (*target).to_owned(),
                location: Some((*location).to_owned()),
            },
            ["distribute"] => Route::Distribute,
            ["kiosk"] => Route::Kiosk,
            ["poster", size, id, version, rest @ ..]
                if is_plain_id(id) && rest.len() <= 1 && rest.iter().all(|l| is_plain_id(l)) =>
            {
                match (PosterSize::from_code(size), version.parse()) {
                    (Some(size), Ok(version)) => Route::Poster {
                        size,
                        id: (*id).to_owned(),
                        version,
                        location: rest.first().map(|l| (*l).to_owned()),
                    },
                    _ => Route::NotFound,
                }
            }
            _ => Route::NotFound,
        }
    }

    pub fn to_hash(&self) -> String {
        match self {
            Route::Home | Route::NotFound => "#/".to_owned(),
            Route::FillStart => "#/fill".to_owned(),
            Route::Fill(id) => format!("#/fill/{id}"),
            Route::Dashboard(q) => with_query("#/dashboard", &q.to_query()),
            Route::Responses(d) => with_query("#/responses", &d.to_query()),
            Route::ResponseDetail(id) => format!("#/response/{id}"),
            Route::VisitReport(id) => format!("#/report/{id}"),
            Route::Settings => "#/settings".to_owned(),
            Route::Questionnaires => "#/questionnaires".to_owned(),
            Route::Outbox => "#/outbox".to_owned(),
            Route::Submitted(id) => format!("#/outbox/{id}"),
            Route::Inbox => "#/inbox".to_owned(),
            Route::Sync => "#/sync".to_owned(),
            Route::Join(payload) => format!("#/join/{payload}"),
            Route::People => "#/people".to_owned(),
            Route::Conflicts => "#/conflicts".to_owned(),
            Route::Exchange(None) => "#/exchange".to_owned(),
            Route::Actions => "#/actions".to_owned(),
            Route::Exchange(Some(q)) => with_query("#/exchange/dashboard", &q.to_query()),
            Route::Edit { id, version } => format!("#/edit/{id}/{version}"),
            Route::Links { id, version } => format!("#/links/{id}/{version}"),
            Route::Link(payload) => format!("#/q/{payload}"),
            Route::ShortLink { name, location } => match location {
                None => format!("#/s/{name}"),
                Some(l) => format!("#/s/{name}/{l}"),
            },
            Route::FormLink {
                name,
                target,
                location,
            } => match location {
                None => format!("#/f/{name}/{target}"),
                Some(l) => format!("#/f/{name}/{target}/{l}"),
            },
            Route::Distribute => "#/distribute".to_owned(),
            Route::Kiosk => "#/kiosk".to_owned(),
            Route::Poster {
                size,
                id,
                version,
                location,
            } => match location {
                None => format!("#/poster/{}/{id}/{version}", size.code()),
                Some(l) => format!("#/poster/{}/{id}/{version}/{l}", size.code()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn link_payload_agrees_with_the_router(
            prefix in "(#)?(/)?(q|s|fill|kiosk)?(/)?",
            rest in "[A-Za-z0-9._/?#-]{0,20}",
        ) {
            let hash = format!("{prefix}{rest}");
            let routed = match Route::parse(&hash) {
                Route::Link(p) => Some(p),
                _ => None,
            };
            proptest::prop_assert_eq!(link_payload(&hash).map(str::to_owned), routed);
        }
    }

    #[test]
    fn link_payload_of_links_and_others() {
        assert_eq!(link_payload("#/q/1.AbC-_9"), Some("1.AbC-_9"));
        assert_eq!(link_payload("#/q/1.AbC?utm=x"), Some("1.AbC"));
        assert_eq!(link_payload("#/q"), Some(""));
        assert_eq!(link_payload("#/dashboard"), None);
        assert_eq!(link_payload("#/s/name"), None);
        assert_eq!(link_payload(""), None);
    }

    #[test]
    fn the_first_screen_and_filling_stay_out_of_the_manager_module() {
        for hash in [
            "#/",
            "#/fill",
            "#/settings",
            "#/kiosk",
            "#/q/1.x",
            "#/s/name",
        ] {
            assert!(!Route::parse(hash).in_manager_module(), "{hash}");
        }
        let fill = format!("#/fill/{}", Uuid::nil());
        assert!(!Route::parse(&fill).in_manager_module());
        for hash in [
            "#/dashboard?period=7d",
            "#/responses",
            "#/actions",
            "#/exchange",
            "#/exchange/dashboard?period=all",
            "#/people",
            "#/distribute",
            "#/poster/a4/tpl-x/1",
            "#/questionnaires",
            "#/edit/q-1/1",
            "#/outbox",
            "#/inbox",
            "#/conflicts",
        ] {
            assert!(Route::parse(hash).in_manager_module(), "{hash}");
        }
        let response = format!("#/response/{}", Uuid::nil());
        assert!(Route::parse(&response).in_manager_module());
    }

    #[test]
    fn parses_every_screen() {
        let id = Uuid::parse_str("67e55044-10b1-426f-9247-bb680e5fe0c8").unwrap();
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#"), Route::Home);
        assert_eq!(Route::parse("#/"), Route::Home);
        assert_eq!(Route::parse("#/fill"), Route::FillStart);
        assert_eq!(Route::parse(&format!("#/fill/{id}")), Route::Fill(id));
        assert_eq!(Route::parse("#/dashboard?x=1"), Route::dashboard());
        assert_eq!(Route::parse("#/dashboard"), Route::dashboard());
        assert_eq!(
            Route::parse(&format!("#/response/{id}")),
            Route::ResponseDetail(id)
        );
        assert_eq!(Route::parse("#/settings/"), Route::Settings);
        assert_eq!(Route::parse("#/fill/not-a-uuid"), Route::NotFound);
        assert_eq!(Route::parse("#/<script>"), Route::NotFound);
        assert_eq!(Route::parse("#/questionnaires"), Route::Questionnaires);
        assert_eq!(Route::parse("#/actions"), Route::Actions);
        assert_eq!(Route::parse("#/inbox"), Route::Inbox);
        assert_eq!(Route::parse("#/sync"), Route::Sync);
        assert_eq!(Route::parse("#/inbox/x"), Route::NotFound);
        assert_eq!(Route::parse("#/actions/x"), Route::NotFound);
        assert_eq!(
            Route::parse("#/edit/q-1a2b/3"),
            Route::Edit {
                id: "q-1a2b".into(),
                version: 3
            }
        );
        assert_eq!(Route::parse("#/edit/q-1a2b/x"), Route::NotFound);
        assert_eq!(Route::parse("#/edit/a%22b/1"), Route::NotFound);
    }

    #[test]
    fn a_dashboard_view_survives_a_reload() {
        let hash = "#/dashboard?period=90d&loc=shop-1,shop-2&by=week";
        let Route::Dashboard(q) = Route::parse(hash) else {
            panic!("{hash}");
        };
        assert_eq!(q.locations, ["shop-1", "shop-2"]);
        assert_eq!(Route::Dashboard(q).to_hash(), hash);
        // The default view is the bare route that submitting an audit opens.
        assert_eq!(Route::dashboard().to_hash(), "#/dashboard");
    }

    #[test]
    fn a_link_route_carries_its_payload_unjudged() {
        assert_eq!(Route::parse("#/q/1.AbC-_9"), Route::Link("1.AbC-_9".into()));
        // Damaged payloads still reach the link screen, which explains.
        assert_eq!(Route::parse("#/q/"), Route::Link(String::new()));
        assert_eq!(Route::parse("#/q"), Route::Link(String::new()));
        assert_eq!(Route::parse("#/q/2.xyz"), Route::Link("2.xyz".into()));
        assert_eq!(Route::parse("#/q/<b>"), Route::Link("<b>".into()));
        // A query or second fragment is not part of the payload.
        assert_eq!(Route::parse("#/q/1.AbC?utm=x"), Route::Link("1.AbC".into()));
        assert_eq!(Route::parse("#/q/1.AbC/extra"), Route::NotFound);
    }

    #[test]
    fn an_encoded_link_parses_to_its_own_payload() {
        use crate::link::{decode, encode, LinkMode, LinkPayload};
        let q = crate::templates::find("tpl-loyalty-button", 1).unwrap();
        let payload = LinkPayload {
            mode: LinkMode::Kiosk,
            inbox: None,
            ..LinkPayload::new(q)
        };
        let fragment = encode(&payload);
        let Route::Link(raw) = Route::parse(&fragment) else {
            panic!("{fragment}");
        };
        assert_eq!(Route::Link(raw.clone()).to_hash(), fragment);
        assert_eq!(decode(&raw), Ok(payload));
    }

    #[test]
    fn poster_routes_refuse_odd_parts() {
        assert_eq!(Route::parse("#/poster/a3/q-1/1"), Route::NotFound);
        assert_eq!(Route::parse("#/poster/a4/q-1/x"), Route::NotFound);
        assert_eq!(Route::parse("#/poster/a4/q%22/1"), Route::NotFound);
        assert_eq!(Route::parse("#/poster/a4/q-1/1/l%3C"), Route::NotFound);
        assert_eq!(Route::parse("#/poster/a4/q-1/1/l/extra"), Route::NotFound);
        assert_eq!(Route::parse("#/s/a/b/c"), Route::NotFound);
    }

    #[test]
    fn hash_round_trips() {
        let id = Uuid::new_v4();
        for r in [
            Route::Home,
            Route::FillStart,
            Route::Fill(id),
            Route::dashboard(),
            Route::Dashboard(DashboardQuery::parse(
                "from=2026-01-01&to=2026-02-01&loc=a%26b,c",
            )),
            Route::Responses(Drill::parse("period=7d&item=tpl-x/q1")),
            Route::ResponseDetail(id),
            Route::VisitReport(id),
            Route::Settings,
            Route::Questionnaires,
            Route::Outbox,
            Route::Submitted(id),
            Route::Inbox,
            Route::Sync,
            Route::Join("eyJ2IjoxfQ".into()),
            Route::People,
            Route::Conflicts,
            Route::Exchange(None),
            Route::Exchange(Some(DashboardQuery::default())),
            Route::Actions,
            Route::Links {
                id: "tpl-retail-quick".into(),
                version: 1,
            },
            Route::Edit {
                id: "tpl-retail-quick".into(),
                version: 2,
            },
            Route::Link("1.AbC-_9".into()),
            Route::ShortLink {
                name: "tpl-csi-nps-v1".into(),
                location: None,
            },
            Route::ShortLink {
                name: "x".into(),
                location: Some("eyJpZCI6ImEifQ".into()),
            },
            Route::FormLink {
                name: "3fa2c01b9e7d".into(),
                target: "AbC-_9".into(),
                location: None,
            },
            Route::FormLink {
                name: "3fa2c01b9e7d".into(),
                target: "AbC-_9".into(),
                location: Some("eyJpZCI6ImEifQ".into()),
            },
            Route::Distribute,
            Route::Kiosk,
            Route::Poster {
                size: PosterSize::A5,
                id: "tpl-csi-nps".into(),
                version: 1,
                location: Some("loc-main".into()),
            },
            Route::Poster {
                size: PosterSize::A4,
                id: "q-1".into(),
                version: 3,
                location: None,
            },
        ] {
            assert_eq!(Route::parse(&r.to_hash()), r);
        }
    }
}
