//! Taking a link's questionnaire and location onto this device: the
//! decision the shell's link landing (fill, survey and kiosk start) and the
//! lean survey page both make when Start is pressed. Each front end reads
//! what its own storage holds into [`OnDevice`], asks [`plan`], and carries
//! out the [`Plan`] it gets; nothing is written when the answer is a
//! [`Refusal`].
//!
//! The rules are checked in order, one per line of [`plan`]. A link never
//! replaces a built-in template (`exchange::trust`): its copy of one is
//! never stored, and a page that carries the templates refuses a copy that
//! differs from its own.

use super::LinkPayload;
use crate::domain::{Location, Questionnaire, Response, VersionStatus, DEFAULT_LOCATION_ID};
use crate::i18n::{Lang, Msg};

/// What the device holds under the link questionnaire's id and version.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Held<'a> {
    Nothing,
    Copy(&'a Questionnaire),
    /// A record under that key that no longer reads as a questionnaire.
    Unreadable,
}

/// Whether the link's questionnaire id is a built-in template's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BuiltIn<'a> {
    No,
    /// A built-in's id, on a page that carries the templates: this build's
    /// copy of the link's version, if there is one.
    Here(Option<&'a Questionnaire>),
    /// A built-in's id, on a page without the templates (the respondent's):
    /// the link's copy is used for this fill only, never stored.
    Elsewhere,
}

impl BuiltIn<'_> {
    /// What `id` is on a page without the templates.
    pub fn by_id(id: &str) -> BuiltIn<'static> {
        if crate::templates::is_built_in(id) {
            BuiltIn::Elsewhere
        } else {
            BuiltIn::No
        }
    }
}

/// What the device already has that the link's contents meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnDevice<'a> {
    pub questionnaire: Held<'a>,
    pub built_in: BuiltIn<'a>,
    /// A location with the link's location id is stored (false when the
    /// link names none).
    pub location_known: bool,
}

/// What to store, and the place the new response is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan<'a> {
    /// The link's questionnaire, when the device has no copy yet.
    pub store_questionnaire: Option<&'a Questionnaire>,
    /// The link's location, when the device does not know it yet. A known
    /// location keeps the name it has here.
    pub store_location: Option<&'a Location>,
    /// The link's location, else the default place every device offers.
    pub location_id: &'a str,
}

/// Why a link's questionnaire is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The link carries a draft: responses would name a version that may
    /// still change.
    Draft,
    /// Another questionnaire already holds this id and version here, and
    /// responses stored with it must keep meaning what they meant.
    Clash,
    /// The link's copy of a built-in template differs from the app's own.
    BuiltIn,
}

impl Refusal {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Refusal::Draft => Msg::LinkDraftRefused.text(lang),
            Refusal::Clash => Msg::LinkVersionClash.text(lang),
            Refusal::BuiltIn => Msg::LinkBuiltInDiffers.text(lang),
        }
        .to_owned()
    }
}

/// Whether a link may be offered at all, before anything is looked up: the
/// landing shows this refusal instead of Start.
pub fn admit(p: &LinkPayload) -> Result<(), Refusal> {
    if p.questionnaire.status != VersionStatus::Published {
        return Err(Refusal::Draft);
    }
    Ok(())
}

/// What to store for the link `p` on a device holding `on_device`.
pub fn plan<'a>(p: &'a LinkPayload, on_device: OnDevice<'_>) -> Result<Plan<'a>, Refusal> {
    admit(p)?;
    let q = &p.questionnaire;
    match on_device.built_in {
        BuiltIn::Here(Some(own)) if own == q => {}
        BuiltIn::Here(_) => return Err(Refusal::BuiltIn),
        BuiltIn::No | BuiltIn::Elsewhere => {}
    }
    let store_questionnaire = match on_device.questionnaire {
        _ if on_device.built_in != BuiltIn::No => None,
        Held::Nothing => Some(q),
        Held::Copy(stored) if stored == q => None,
        Held::Copy(_) | Held::Unreadable => return Err(Refusal::Clash),
    };
    Ok(Plan {
        store_questionnaire,
        store_location: p.location.as_ref().filter(|_| !on_device.location_known),
        location_id: p
            .location
            .as_ref()
            .map_or(DEFAULT_LOCATION_ID, |l| l.id.as_str()),
    })
}

/// The draft a person left unfinished from this link, if any: the newest
/// draft of the link's questionnaire version (at its location, when the
/// link names one). Opening the same link again offers it before a new one,
/// so a shopper does not end with two half-filled copies of one visit.
pub fn unfinished<'a>(p: &LinkPayload, stored: &'a [Response]) -> Option<&'a Response> {
    let q = &p.questionnaire;
    stored
        .iter()
        .filter(|r| r.is_draft())
        .filter(|r| r.questionnaire_id == q.id && r.questionnaire_version == q.version)
        .filter(|r| p.location.as_ref().is_none_or(|l| r.location_id == l.id))
        .max_by_key(|r| (r.updated_at.utc_ms, r.id))
}

/// The stores and staff a checklist's form link brings (the manager's, under
/// the manager's ids), less those this device already has: a record kept
/// here is never changed from outside, so only new ones are stored. The
/// shopper then picks the real store and employee, and the result names
/// them by the ids the manager's devices know.
pub fn directory_to_store<'a>(
    locations: &'a [Location],
    employees: &'a [crate::domain::Employee],
    stored_locations: &[Location],
    stored_employees: &[crate::domain::Employee],
) -> (Vec<&'a Location>, Vec<&'a crate::domain::Employee>) {
    let new_locations = locations
        .iter()
        .filter(|l| !stored_locations.iter().any(|s| s.id == l.id))
        .collect();
    let new_employees = employees
        .iter()
        .filter(|e| !stored_employees.iter().any(|s| s.id == e.id))
        .collect();
    (new_locations, new_employees)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_brings_only_the_stores_and_staff_the_device_lacks() {
        use crate::domain::{Employee, Timestamp};
        let loc = |id: &str, name: &str| Location {
            id: id.into(),
            name: name.into(),
        };
        let emp = |id: &str, name: &str| Employee {
            id: id.into(),
            name: name.into(),
            role: String::new(),
            location_id: String::new(),
            updated_at: Timestamp::new(0, 0),
        };
        let brought = [loc("loc-tv", "Tverskaya"), loc("loc-ar", "Arbat")];
        let staff = [emp("emp-1", "Anna"), emp("emp-2", "Boris")];
        // This device renamed Arbat and knows Boris: its copies stay.
        let (l, e) = directory_to_store(
            &brought,
            &staff,
            &[loc("loc-ar", "Арбат, 5")],
            &[emp("emp-2", "Борис")],
        );
        assert_eq!(l, vec![&brought[0]]);
        assert_eq!(e, vec![&staff[0]]);
        let (l, e) = directory_to_store(&brought, &staff, &brought, &staff);
        assert!(l.is_empty() && e.is_empty());
    }
    use crate::domain::Text;
    use crate::link::LinkMode;
    use crate::templates;

    fn payload(location: Option<&str>) -> LinkPayload {
        LinkPayload {
            questionnaire: templates::find("tpl-loyalty-button", 1).unwrap(),
            location: location.map(|id| Location {
                id: id.into(),
                name: "ТЦ «Радуга»".into(),
            }),
            mode: LinkMode::Customer,
            inbox: None,
        }
    }

    fn fresh() -> OnDevice<'static> {
        OnDevice {
            questionnaire: Held::Nothing,
            built_in: BuiltIn::No,
            location_known: false,
        }
    }

    /// The finding: a QR sticker carrying `tpl-retail-quick` v1 with other
    /// wording replaced the built-in on the device.
    #[test]
    fn a_link_never_replaces_a_built_in_template() {
        let own = templates::find("tpl-loyalty-button", 1).unwrap();
        let p = payload(Some("loc-7"));
        // The same copy: used, nothing stored.
        let same = OnDevice {
            built_in: BuiltIn::Here(Some(&own)),
            ..fresh()
        };
        assert_eq!(plan(&p, same).unwrap().store_questionnaire, None);
        // Reworded: refused, on the page that can tell.
        let mut reworded = p.clone();
        reworded.questionnaire.title.ru = "Другие слова".into();
        assert_eq!(plan(&reworded, same), Err(Refusal::BuiltIn));
        // A version this build does not have: refused too.
        let unknown = OnDevice {
            built_in: BuiltIn::Here(None),
            ..fresh()
        };
        assert_eq!(plan(&p, unknown), Err(Refusal::BuiltIn));
        // The respondent's page cannot compare: it fills, but stores no copy.
        let elsewhere = OnDevice {
            built_in: BuiltIn::by_id(&reworded.questionnaire.id),
            ..fresh()
        };
        assert_eq!(elsewhere.built_in, BuiltIn::Elsewhere);
        let plan = plan(&reworded, elsewhere).unwrap();
        assert_eq!(plan.store_questionnaire, None);
        assert_eq!(plan.location_id, "loc-7");
        assert!(!Refusal::BuiltIn.message(Lang::En).is_empty());
    }

    #[test]
    fn a_new_link_stores_its_questionnaire_and_location() {
        let p = payload(Some("loc-7"));
        let plan = plan(&p, fresh()).unwrap();
        assert_eq!(plan.store_questionnaire, Some(&p.questionnaire));
        assert_eq!(plan.store_location, p.location.as_ref());
        assert_eq!(plan.location_id, "loc-7");
    }

    #[test]
    fn a_link_without_a_location_answers_for_the_default_place() {
        let p = payload(None);
        let plan = plan(&p, fresh()).unwrap();
        assert_eq!(plan.store_questionnaire, Some(&p.questionnaire));
        assert_eq!(plan.store_location, None);
        assert_eq!(plan.location_id, DEFAULT_LOCATION_ID);
        // Whatever the device says about locations, there is none to store.
        let known = OnDevice {
            location_known: true,
            ..fresh()
        };
        assert_eq!(
            super::plan(&p, known).unwrap().location_id,
            DEFAULT_LOCATION_ID
        );
    }

    #[test]
    fn the_same_link_again_stores_nothing_new() {
        let p = payload(Some("loc-7"));
        let stored = p.questionnaire.clone();
        let plan = plan(
            &p,
            OnDevice {
                questionnaire: Held::Copy(&stored),
                built_in: BuiltIn::No,
                location_known: true,
            },
        )
        .unwrap();
        assert_eq!(plan.store_questionnaire, None);
        assert_eq!(plan.store_location, None);
        assert_eq!(plan.location_id, "loc-7");
    }

    #[test]
    fn a_known_location_is_not_stored_again_but_a_new_questionnaire_is() {
        let p = payload(Some("loc-7"));
        let on_device = OnDevice {
            location_known: true,
            ..fresh()
        };
        let plan = plan(&p, on_device).unwrap();
        assert_eq!(plan.store_questionnaire, Some(&p.questionnaire));
        assert_eq!(plan.store_location, None);
        assert_eq!(plan.location_id, "loc-7");
    }

    #[test]
    fn another_questionnaire_under_the_same_id_and_version_is_a_clash() {
        let p = payload(Some("loc-7"));
        let mut reworded = p.questionnaire.clone();
        reworded.title = Text::new("Другой опрос", "Another survey");
        // The manager's own draft of that version on this device.
        let mut draft = p.questionnaire.clone();
        draft.status = VersionStatus::Draft;
        for other in [&reworded, &draft] {
            let on_device = OnDevice {
                questionnaire: Held::Copy(other),
                built_in: BuiltIn::No,
                location_known: false,
            };
            assert_eq!(plan(&p, on_device), Err(Refusal::Clash));
        }
    }

    #[test]
    fn an_unreadable_record_under_the_key_is_a_clash() {
        let p = payload(None);
        let on_device = OnDevice {
            questionnaire: Held::Unreadable,
            built_in: BuiltIn::No,
            location_known: false,
        };
        assert_eq!(plan(&p, on_device), Err(Refusal::Clash));
    }

    #[test]
    fn a_draft_link_is_refused_before_anything_is_looked_up() {
        let mut p = payload(Some("loc-7"));
        assert_eq!(admit(&p), Ok(()));
        p.questionnaire.status = VersionStatus::Draft;
        assert_eq!(admit(&p), Err(Refusal::Draft));
        assert_eq!(plan(&p, fresh()), Err(Refusal::Draft));
        // Even its own stored copy does not make a draft acceptable.
        let stored = p.questionnaire.clone();
        let on_device = OnDevice {
            questionnaire: Held::Copy(&stored),
            built_in: BuiltIn::No,
            location_known: true,
        };
        assert_eq!(plan(&p, on_device), Err(Refusal::Draft));
    }

    #[test]
    fn refusals_speak_both_languages() {
        for r in [Refusal::Draft, Refusal::Clash] {
            for lang in Lang::ALL {
                assert!(!r.message(lang).is_empty());
            }
            assert_ne!(r.message(Lang::Ru), r.message(Lang::En));
        }
        assert_eq!(
            Refusal::Clash.message(Lang::En),
            Msg::LinkVersionClash.text(Lang::En)
        );
        assert_eq!(
            Refusal::Draft.message(Lang::Ru),
            Msg::LinkDraftRefused.text(Lang::Ru)
        );
    }

    #[test]
    fn the_unfinished_draft_is_the_newest_of_this_version_and_place() {
        use crate::domain::{ResponseStatus, Timestamp};
        let p = payload(Some("loc-7"));
        let q = &p.questionnaire;
        let draft = |n: u128, version: u32, location: &str, minute: i64| {
            let at = Timestamp::new(1_772_434_800_000 + minute * 60_000, 180);
            Response::new_draft(
                uuid::Uuid::from_u128(n),
                &q.id,
                version,
                location,
                "phone",
                at,
            )
        };
        let mut submitted = draft(1, q.version, "loc-7", 50);
        submitted.status = ResponseStatus::Submitted;
        let stored = vec![
            draft(2, q.version, "loc-7", 10),
            draft(3, q.version, "loc-7", 20),
            draft(4, q.version + 1, "loc-7", 30),
            draft(5, q.version, "loc-8", 40),
            submitted,
        ];
        assert_eq!(unfinished(&p, &stored).map(|r| r.id.as_u128()), Some(3));
        // A link without a place takes the newest draft wherever it is.
        assert_eq!(
            unfinished(&payload(None), &stored).map(|r| r.id.as_u128()),
            Some(5)
        );
        assert_eq!(unfinished(&p, &stored[3..]), None);
    }
}
