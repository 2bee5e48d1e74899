//! The public API end to end: every template and mode round trips, every
//! form of a link is read, and damaged links are refused (the pieces' own
//! tests sit beside them), plus the helpers those tests share.

use serde_json::Value;

use super::*;
use crate::domain::validation::IssueKind;
use crate::domain::{QuestionnaireKind, Text, VersionStatus};
use crate::i18n::Lang;
use crate::templates;

pub(super) fn survey() -> Questionnaire {
    templates::find("tpl-loyalty-button", 1).unwrap()
}

pub(super) fn kiosk_payload() -> LinkPayload {
    LinkPayload {
        questionnaire: survey(),
        location: Some(Location {
            id: "loc-1".into(),
            name: "ТЦ «Радуга», 2 этаж".into(),
        }),
        mode: LinkMode::Kiosk,
        inbox: None,
    }
}

/// A link around arbitrary body bytes, framed and checksummed as
/// [`encode`] does, to reach the stages after the checksum.
pub(super) fn framed(body: &[u8]) -> String {
    super::frame::write(body)
}

pub(super) fn deflated_json(json: &Value) -> String {
    framed(&miniz_oxide::deflate::compress_to_vec(
        json.to_string().as_bytes(),
        6,
    ))
}

#[test]
fn every_template_round_trips_in_every_mode() {
    for q in templates::built_in() {
        for mode in LinkMode::ALL {
            for location in [None, kiosk_payload().location] {
                let payload = LinkPayload {
                    questionnaire: q.clone(),
                    location,
                    mode,
                    inbox: None,
                };
                let link = encode(&payload);
                assert!(link.starts_with("#/q/1."), "{link}");
                assert_eq!(decode(&link), Ok(payload.clone()), "{}", q.id);
            }
        }
    }
}

#[test]
fn only_a_short_survey_on_a_customers_phone_starts_at_once() {
    let mut p = kiosk_payload();
    p.mode = LinkMode::Customer;
    assert_eq!(p.questionnaire.questions().count(), 5);
    assert!(p.starts_at_once());
    for mode in [LinkMode::Kiosk, LinkMode::Fill] {
        assert!(
            !LinkPayload { mode, ..p.clone() }.starts_at_once(),
            "{mode:?}"
        );
    }
    let csi = templates::find("tpl-csi-nps", 1).unwrap();
    assert!(csi.questions().count() > SHORT_SURVEY_QUESTIONS);
    assert!(!LinkPayload {
        questionnaire: csi,
        ..p.clone()
    }
    .starts_at_once());
}

/// The finding: a link could carry what no backup may hold (a 20 000
/// character title), after which every backup of the device was refused.
#[test]
fn the_inbox_target_travels_and_a_bad_one_fails_its_check() {
    use crate::delivery::{InboxTarget, LinkTarget, ServerConfig};
    use crate::seal::{system_rng, TeamKeyPair};
    let key = TeamKeyPair::generate(&mut system_rng()).public_key();
    let mut payload = kiosk_payload();
    payload.mode = LinkMode::Customer;
    let plain = encode(&payload);
    let target = InboxTarget {
        server: ServerConfig::with_default_dbs("https://couch.example.com").unwrap(),
        key: key.clone(),
    };
    payload.inbox = Some(LinkTarget::from(&target));
    let link = encode(&payload);
    let back = decode(&link).unwrap();
    assert_eq!(back, payload);
    assert_eq!(back.inbox.unwrap().check(), Ok(target));
    // The key's 43 characters of base64url deflate cannot shrink, and the
    // framing's base64url adds a third: about 125 characters in all.
    assert!(
        link.len() - plain.len() < 140,
        "{} more",
        link.len() - plain.len()
    );

    let json = |d: Value| {
        let mut v =
            serde_json::from_slice::<Value>(&super::wire::to_json(&kiosk_payload())).unwrap();
        v["d"] = d;
        v
    };
    let k = key.to_link();
    for bad in [
        serde_json::json!({"u": "javascript:alert(1)", "k": k}),
        serde_json::json!({"u": "https://h", "k": "short"}),
        serde_json::json!({"u": "https://h", "k": k, "i": "_users"}),
    ] {
        let raw = super::deflate::deflate(&serde_json::to_vec(&json(bad.clone())).unwrap());
        // The link reads; its target fails the check every use makes.
        let read = decode(&framed(&raw)).unwrap();
        assert!(read.inbox.expect("a target").check().is_err(), "{bad}");
    }
    // A `d` that is not a target's shape at all refuses the link whole.
    for bad in [serde_json::json!("https://h"), serde_json::json!({"k": k})] {
        let raw = super::deflate::deflate(&serde_json::to_vec(&json(bad.clone())).unwrap());
        let err = decode(&framed(&raw)).unwrap_err();
        assert!(matches!(err, LinkError::Malformed { .. }), "{bad}: {err:?}");
    }
}

#[test]
fn a_link_is_held_to_the_bundles_limits() {
    let mut q = templates::find("tpl-retail-quick", 1).unwrap();
    q.title.ru = "я".repeat(20_000);
    let link = encode(&LinkPayload {
        questionnaire: q,
        location: None,
        mode: LinkMode::Fill,
        inbox: None,
    });
    assert_eq!(
        decode(&link),
        Err(LinkError::OverLimit {
            at: "title".to_owned()
        })
    );
    for lang in [Lang::Ru, Lang::En] {
        assert!(LinkError::OverLimit { at: "title".into() }
            .message(lang)
            .contains("title"));
    }
}

#[test]
fn every_form_of_the_link_is_read() {
    let payload = kiosk_payload();
    let fragment = encode(&payload);
    let raw = fragment.strip_prefix(FRAGMENT_PREFIX).unwrap();
    let url = link_url("https://example.org/app/#/settings", &payload);
    assert_eq!(url, format!("https://example.org/app/{fragment}"));
    for form in [
        fragment.clone(),
        raw.to_owned(),
        format!("/q/{raw}"),
        url,
        format!("  {fragment}\n"),
    ] {
        assert_eq!(decode(&form), Ok(payload.clone()), "{form}");
    }
}

#[test]
fn customer_links_open_the_respondent_page_beside_the_app() {
    let mut payload = LinkPayload::new(survey());
    payload.mode = LinkMode::Customer;
    let fragment = encode(&payload);
    for (app, page) in [
        (
            "https://example.org/app/",
            "https://example.org/app/respond.html",
        ),
        (
            "https://example.org/app/index.html",
            "https://example.org/app/respond.html",
        ),
        (
            "https://example.org/app/?from=home#/edit/x/1",
            "https://example.org/app/respond.html",
        ),
        ("https://example.org", "https://example.org/respond.html"),
        (
            "http://127.0.0.1:4193/",
            "http://127.0.0.1:4193/respond.html",
        ),
        (
            "https://example.org/a.b/respond.html",
            "https://example.org/a.b/respond.html",
        ),
    ] {
        let url = link_url(app, &payload);
        assert_eq!(url, format!("{page}{fragment}"), "{app}");
        assert_eq!(decode(&url), Ok(payload.clone()));
    }
    for mode in [LinkMode::Fill, LinkMode::Kiosk] {
        payload.mode = mode;
        let url = link_url("https://example.org/app/index.html#/edit/x/1", &payload);
        assert_eq!(
            url,
            format!("https://example.org/app/index.html{}", encode(&payload))
        );
    }
}

#[test]
fn an_invalid_questionnaire_lists_its_issues() {
    let mut q = survey();
    q.sections[0].questions[0].weight = 0.0;
    q.title = Text::default();
    let e = decode(&encode(&LinkPayload::new(q))).unwrap_err();
    let LinkError::Invalid(issues) = &e else {
        panic!("{e:?}");
    };
    let kinds: Vec<_> = issues.iter().map(|i| i.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            IssueKind::EmptyTitle,
            IssueKind::InvalidWeight { weight: 0.0 }
        ]
    );
    assert!(e
        .message(Lang::En)
        .starts_with("The questionnaire in the link has problems (2):\n• "));
    assert_eq!(e.message(Lang::Ru).lines().count(), 3);
    // A customer gets the count, not the list.
    assert_eq!(
        e.summary(Lang::En),
        "The questionnaire in the link has problems (2). Ask for a new link."
    );
    assert_eq!(e.summary(Lang::Ru).lines().count(), 1);
}

#[test]
fn a_draft_travels_as_a_draft() {
    let mut q = survey();
    q.status = VersionStatus::Draft;
    q.kind = QuestionnaireKind::Survey;
    let back = decode(&encode(&LinkPayload::new(q.clone()))).unwrap();
    assert_eq!(back.questionnaire.status, VersionStatus::Draft);
}

/// Prints the link length of each template (`--nocapture`) and keeps
/// them from growing unnoticed.
#[test]
fn built_in_templates_make_short_links() {
    for q in templates::built_in() {
        let fill = encode(&LinkPayload::new(q.clone())).len();
        let kiosk = encode(&LinkPayload {
            questionnaire: q.clone(),
            ..kiosk_payload()
        })
        .len();
        let pretty = crate::exchange::questionnaire_file::to_string(&q).len();
        println!(
            "link {:<22} {:?}: {fill} chars (pretty file {pretty} B){}",
            q.id,
            q.kind,
            if q.kind == QuestionnaireKind::Survey {
                format!(", kiosk with location {kiosk}")
            } else {
                String::new()
            }
        );
        assert!(fill * 4 < pretty, "{}: {fill} vs {pretty}", q.id);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use crate::domain::arbitrary::valid_questionnaire;
    use proptest::prelude::*;

    fn mode() -> impl Strategy<Value = LinkMode> {
        proptest::sample::select(LinkMode::ALL.to_vec())
    }

    fn location() -> impl Strategy<Value = Option<Location>> {
        proptest::option::of(
            ("[a-z0-9-]{1,12}", "\\PC{0,20}").prop_map(|(id, name)| Location { id, name }),
        )
    }

    fn payload() -> impl Strategy<Value = LinkPayload> {
        (valid_questionnaire(), location(), mode()).prop_map(|(questionnaire, location, mode)| {
            LinkPayload {
                questionnaire,
                location,
                mode,
                inbox: None,
            }
        })
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Replace(usize, char),
        Insert(usize, String),
        Delete(usize, usize),
        Truncate(usize),
        Swap(usize, usize),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (any::<usize>(), any::<char>()).prop_map(|(i, c)| Mutation::Replace(i, c)),
            (any::<usize>(), "\\PC{1,4}|[A-Za-z0-9_-]{1,4}")
                .prop_map(|(i, s)| Mutation::Insert(i, s)),
            (any::<usize>(), 1usize..8).prop_map(|(i, n)| Mutation::Delete(i, n)),
            any::<usize>().prop_map(Mutation::Truncate),
            (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Mutation::Swap(i, j)),
        ]
    }

    fn apply(link: &str, m: &Mutation) -> String {
        let mut chars: Vec<char> = link.chars().collect();
        let n = chars.len();
        if n == 0 {
            return match m {
                Mutation::Insert(_, s) => s.clone(),
                _ => String::new(),
            };
        }
        match m {
            Mutation::Replace(i, c) => chars[i % n] = *c,
            Mutation::Insert(i, s) => {
                let at = i % (n + 1);
                chars.splice(at..at, s.chars());
            }
            Mutation::Delete(i, k) => {
                let at = i % n;
                chars.drain(at..(at + k).min(n));
            }
            Mutation::Truncate(i) => chars.truncate(i % n),
            Mutation::Swap(i, j) => chars.swap(i % n, j % n),
        }
        chars.into_iter().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn a_valid_payload_round_trips(p in payload()) {
            let link = encode(&p);
            prop_assert!(link.starts_with("#/q/1."));
            let back = decode(&link).map_err(|e| TestCaseError::fail(e.message(Lang::En)))?;
            prop_assert_eq!(&back, &p);
            prop_assert_eq!(encode(&back), link);
        }

        #[test]
        fn a_mutated_link_never_panics(p in payload(), ms in proptest::collection::vec(mutation(), 1..4)) {
            let link = encode(&p);
            let mut changed = link.clone();
            for m in &ms {
                changed = apply(&changed, m);
            }
            match decode(&changed) {
                // A swap of equal characters, or a change confined to the
                // prefix's accepted forms, may leave the link intact.
                Ok(back) => prop_assert_eq!(back, p),
                Err(e) => prop_assert!(!e.message(Lang::En).is_empty()),
            }
        }

        #[test]
        fn one_changed_character_is_always_an_error(
            p in payload(),
            at in any::<usize>(),
            c in "[A-Za-z0-9_-]",
        ) {
            let link = encode(&p);
            let start = "#/q/1.".len();
            let i = start + at % (link.len() - start);
            let c = c.as_bytes()[0];
            prop_assume!(link.as_bytes()[i] != c);
            let mut bytes = link.into_bytes();
            bytes[i] = c;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(matches!(
                decode(&changed),
                Err(LinkError::Altered | LinkError::Truncated)
            ));
        }

        #[test]
        fn any_text_never_panics(s in "\\PC*|#/q/1\\.[A-Za-z0-9_-]{0,64}|#/q/[0-9]{0,12}\\..{0,16}") {
            let _ = decode(&s);
        }

        #[test]
        fn any_checksummed_body_never_panics(body in proptest::collection::vec(any::<u8>(), 0..256)) {
            let link = framed(&body);
            prop_assert!(decode(&link).is_err());
        }

        #[test]
        fn any_compressed_text_never_panics(json in "\\{\"q\":\\{.{0,80}\\}.{0,20}\\}|.{0,100}") {
            let body = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
            let link = framed(&body);
            let _ = decode(&link);
        }
    }
}
