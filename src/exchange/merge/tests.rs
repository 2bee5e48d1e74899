use serde_json::json;

use super::*;
use crate::domain::{AnswerValue, Timestamp};
use crate::exchange::bundle::{parse_bundle, write_bundle, Manifest};
use crate::exchange::test_data::{at, audit, response, sample, survey, uuid};
use crate::i18n::Lang;

/// `contents` as it arrives from `device`: written and parsed, as an import
/// would see it.
fn bundle(contents: &Contents, device: &str) -> Bundle {
    parse_bundle(&write_bundle(contents, at(1_000), device, "test").unwrap()).unwrap()
}

/// The manager's device, some time after every sample record was made.
const HERE: Receiver<'static> = Receiver {
    device_id: "manager",
    now: Timestamp {
        utc_ms: 1_772_434_800_000 + 100_000 * 60_000,
        offset_min: 180,
    },
};

fn import(store: &mut Snapshot, contents: &Contents, device: &str) -> MergeReport {
    let (changes, report) = merge(store, &bundle(contents, device), HERE);
    changes.apply_to(store);
    report
}

fn sorted(mut c: Contents) -> Contents {
    c.questionnaires
        .sort_by(|a, b| (&a.id, a.version).cmp(&(&b.id, b.version)));
    c.responses.sort_by_key(|r| r.id);
    c.locations.sort_by(|a, b| a.id.cmp(&b.id));
    c.employees.sort_by(|a, b| a.id.cmp(&b.id));
    c.actions.sort_by_key(|a| a.id);
    c.photos.sort_by(|a, b| a.id.cmp(&b.id));
    c
}

#[test]
fn into_an_empty_store_everything_is_added() {
    let mut store = Snapshot::default();
    let report = import(&mut store, &sample(), "phone-a");
    assert_eq!(store.contents, sample());
    assert!(store.conflicts.is_empty());
    let r = report.kind(RecordKind::Response);
    assert_eq!(r.added.len(), 4);
    assert_eq!(r.total(), 4);
    assert!(report.kind(RecordKind::Setting).added.is_empty());
    assert!(report.changed());
    assert_eq!(report.message(Lang::En)[0], "Import done.");
}

#[test]
fn importing_the_same_bundle_twice_changes_nothing() {
    let mut store = Snapshot::default();
    import(&mut store, &sample(), "phone-a");
    let before = store.clone();
    let (changes, report) = merge(&store, &bundle(&sample(), "phone-a"), HERE);
    assert!(changes.is_empty(), "{changes:?}");
    assert!(!report.changed());
    for k in &report.kinds {
        assert!(k.skipped.iter().all(|(_, r)| *r == SkipReason::Unchanged));
    }
    changes.apply_to(&mut store);
    assert_eq!(store, before);
    let en = report.message(Lang::En);
    assert_eq!(
        en[0],
        "Nothing changed: everything in the file is already here."
    );
    assert!(
        en.contains(
            &"Responses — added: 0, updated: 0, skipped: 4, rejected: 0, conflicts: 0".to_owned()
        ),
        "{en:#?}"
    );
    assert!(en.contains(&"  skipped, already stored unchanged: 4".to_owned()));
    let ru = report.message(Lang::Ru);
    assert_eq!(ru[0], "Ничего не изменилось: всё из файла уже есть.");
}

#[test]
fn two_devices_merge_to_the_union_in_either_order() {
    let (aud, srv) = (audit(), survey());
    let mut a = Contents {
        questionnaires: vec![aud.clone(), srv.clone()],
        ..Contents::default()
    };
    let mut b = a.clone();
    for n in 0..5 {
        a.responses.push(response(
            10 + n,
            &aud,
            n as i64,
            vec![("q-greet", AnswerValue::Yes, "")],
        ));
        let mut r = response(
            20 + n,
            &srv,
            n as i64,
            vec![("q-nps", AnswerValue::Scale(9), "")],
        );
        r.device_id = "phone-b".into();
        b.responses.push(r);
    }
    // Both devices carry one shared response, unchanged.
    let shared = response(99, &aud, 50, vec![("q-greet", AnswerValue::No, "")]);
    a.responses.push(shared.clone());
    b.responses.push(shared);

    let mut ab = Snapshot::default();
    import(&mut ab, &a, "phone-a");
    let second = import(&mut ab, &b, "phone-b");
    assert_eq!(second.kind(RecordKind::Response).added.len(), 5);
    assert_eq!(second.kind(RecordKind::Response).skipped.len(), 1);

    let mut ba = Snapshot::default();
    import(&mut ba, &b, "phone-b");
    import(&mut ba, &a, "phone-a");

    let ab = sorted(ab.contents);
    assert_eq!(ab, sorted(ba.contents));
    assert_eq!(ab.responses.len(), 11);
    assert_eq!(ab.questionnaires.len(), 2);
}

fn store_with(r: &Response) -> Snapshot {
    Snapshot {
        contents: Contents {
            questionnaires: vec![audit()],
            responses: vec![r.clone()],
            ..Contents::default()
        },
        conflicts: vec![],
    }
}

fn only(r: Response) -> Contents {
    Contents {
        responses: vec![r],
        ..Contents::default()
    }
}

/// `r` as a draft, still being filled on its author's device.
fn draft(r: Response) -> Response {
    Response {
        status: ResponseStatus::Draft,
        submitted_at: None,
        ..r
    }
}

#[test]
fn an_older_copy_of_a_draft_never_replaces_its_authors_newer_one() {
    let old = draft(response(
        1,
        &audit(),
        0,
        vec![("q-greet", AnswerValue::No, "")],
    ));
    let mut new = old.clone();
    new.answers.get_mut("q-greet").unwrap().comment = "fixed later".into();
    new.updated_at = at(30);

    let mut store = store_with(&new);
    let report = import(&mut store, &only(old.clone()), "x");
    assert_eq!(
        report.kind(RecordKind::Response).skipped,
        vec![(old.id.to_string(), SkipReason::OlderThanStored)]
    );
    assert_eq!(store.contents.responses, vec![new.clone()]);

    let mut store = store_with(&old);
    let report = import(&mut store, &only(new.clone()), "x");
    assert_eq!(
        report.kind(RecordKind::Response).updated,
        vec![old.id.to_string()]
    );
    assert_eq!(store.contents.responses, vec![new]);
}

#[test]
fn a_submitted_response_is_never_changed_by_a_file() {
    let submitted = response(1, &audit(), 0, vec![("q-greet", AnswerValue::No, "")]);
    // The finding: the same UUID, far-future change time, other answers,
    // another place and back to draft.
    let mut forged = draft(submitted.clone());
    forged.answers.get_mut("q-greet").unwrap().value = AnswerValue::Yes;
    forged.location_id = "loc-2".into();
    forged.updated_at = Timestamp::new(253_402_214_400_000, 0);
    // The same without the date trick.
    let mut edited = submitted.clone();
    edited.answers.get_mut("q-greet").unwrap().value = AnswerValue::Yes;
    edited.updated_at = at(30);
    for (copy, why) in [
        (forged, RejectReason::InFuture),
        (edited, RejectReason::SubmittedIsFinal),
    ] {
        let mut store = store_with(&submitted);
        let report = import(&mut store, &only(copy), "x");
        assert_eq!(
            report.kind(RecordKind::Response).rejected,
            vec![(submitted.id.to_string(), why)]
        );
        assert_eq!(store.contents.responses, vec![submitted.clone()]);
        assert!(store.conflicts.is_empty());
    }
}

#[test]
fn another_devices_draft_of_the_same_id_is_a_conflict() {
    let mine = draft(response(
        1,
        &audit(),
        0,
        vec![("q-greet", AnswerValue::No, "")],
    ));
    let mut theirs = mine.clone();
    theirs.device_id = "phone-b".into();
    theirs.updated_at = at(60);
    let mut store = store_with(&mine);
    let report = import(&mut store, &only(theirs), "phone-b");
    assert_eq!(
        report.kind(RecordKind::Response).conflicts,
        vec![(mine.id.to_string(), ConflictReason::OtherDevice)]
    );
    assert_eq!(store.contents.responses, vec![mine]);
}

#[test]
fn a_correction_replaces_only_its_own_devices_visit() {
    let original = response(1, &audit(), 0, vec![("q-greet", AnswerValue::No, "")]);
    let store = store_with(&original);
    let mut fixed = original
        .amend(uuid(2), &original.device_id, at(20))
        .unwrap();
    fixed.submit(at(21));
    let (changes, report) = merge(&store, &bundle(&only(fixed.clone()), "phone-a"), HERE);
    let r = report.kind(RecordKind::Response);
    assert_eq!(r.added, vec![fixed.id.to_string()]);
    assert_eq!(
        r.replacements,
        vec![(fixed.id.to_string(), original.id.to_string())]
    );
    assert!(report
        .message(Lang::En)
        .iter()
        .any(|l| l.contains("corrects and replaces")));
    assert_eq!(changes.responses, vec![fixed.clone()]);

    // The finding: a response of any questionnaire naming someone else's
    // visit in `supersedes`.
    for hostile in [
        Response {
            device_id: "phone-x".into(),
            ..fixed.clone()
        },
        Response {
            questionnaire_id: "srv".into(),
            ..fixed.clone()
        },
    ] {
        let mut file = only(hostile.clone());
        file.questionnaires.push(survey());
        let (changes, report) = merge(&store, &bundle(&file, "phone-x"), HERE);
        assert!(changes.responses.is_empty());
        assert_eq!(
            report.kind(RecordKind::Response).rejected,
            vec![(
                hostile.id.to_string(),
                RejectReason::ForeignCorrection {
                    original: original.id.to_string()
                }
            )]
        );
        // Even stored, it would drop nothing from the KPIs.
        assert!(crate::domain::superseded([&original, &hostile]).is_empty());
    }
    assert_eq!(
        crate::domain::superseded([&original, &fixed]),
        [original.id].into_iter().collect()
    );
}

#[test]
fn records_attach_only_to_responses_of_their_origin() {
    let mut store = Snapshot::default();
    import(&mut store, &sample(), "phone-a");
    // Photos and actions of phone-a's visit sent by another device.
    let mut c = sample();
    c.responses.clear();
    for p in &mut c.photos {
        p.id = uuid(300);
    }
    c.actions[0].id = uuid(301);
    let report = import(&mut store, &c, "phone-z");
    let target = sample().photos[0].response_id.to_string();
    assert_eq!(
        report.kind(RecordKind::Photo).rejected,
        vec![(
            uuid(300).to_string(),
            RejectReason::ForeignResponse { id: target.clone() }
        )]
    );
    assert_eq!(
        report.kind(RecordKind::Action).rejected,
        vec![(
            uuid(301).to_string(),
            RejectReason::ForeignResponse { id: target }
        )]
    );
    // The device that wrote the visit may send more of it later.
    let report = import(&mut store, &c, "phone-a");
    assert_eq!(report.kind(RecordKind::Photo).added.len(), 1);
    assert_eq!(report.kind(RecordKind::Action).added.len(), 1);
}

#[test]
fn built_in_templates_and_drafts_are_never_replaced_by_a_file() {
    let built_in = crate::templates::find("tpl-retail-quick", 1).unwrap();
    let mut reworded = built_in.clone();
    reworded.title.ru = "Другие слова".into();
    let store = Snapshot::default();
    let (changes, report) = merge(&store, &bundle(&questionnaires(vec![reworded]), "x"), HERE);
    assert!(changes.questionnaires.is_empty());
    let q = report.kind(RecordKind::Questionnaire);
    assert_eq!(q.rejected[0].1, RejectReason::BuiltInTemplate);
    let (changes, report) = merge(&store, &bundle(&questionnaires(vec![built_in]), "x"), HERE);
    assert!(changes.questionnaires.is_empty());
    let q = report.kind(RecordKind::Questionnaire);
    assert_eq!(q.skipped[0].1, SkipReason::Unchanged);

    // A file adds no version of a questionnaire the manager is drafting.
    let mut drafting = audit();
    drafting.status = VersionStatus::Draft;
    let mut store = Snapshot {
        contents: questionnaires(vec![drafting.clone()]),
        conflicts: vec![],
    };
    let mut v2 = audit();
    v2.version = 2;
    let report = import(&mut store, &questionnaires(vec![v2]), "x");
    assert_eq!(
        report.kind(RecordKind::Questionnaire).conflicts,
        vec![("aud v2".into(), ConflictReason::DraftKept)]
    );
    assert_eq!(store.contents.questionnaires, vec![drafting]);
}

#[test]
fn same_time_different_content_is_kept_side_by_side() {
    let mine = draft(response(
        1,
        &audit(),
        0,
        vec![("q-greet", AnswerValue::No, "")],
    ));
    let mut theirs = mine.clone();
    theirs.answers.get_mut("q-greet").unwrap().value = AnswerValue::Yes;

    let mut store = store_with(&mine);
    let (changes, report) = merge(&store, &bundle(&only(theirs.clone()), "phone-b"), HERE);
    assert!(changes.responses.is_empty());
    assert_eq!(changes.conflicts.len(), 1);
    let c = &changes.conflicts[0];
    assert_eq!(c.reason, ConflictReason::SameTimeDifferentContent);
    assert_eq!(c.from_device, "phone-b");
    assert_eq!(c.incoming, Record::Response(theirs.clone()));
    assert!(c.key.starts_with(&format!("responses:{}:", mine.id)));
    assert_eq!(
        report.kind(RecordKind::Response).conflicts,
        vec![(
            mine.id.to_string(),
            ConflictReason::SameTimeDifferentContent
        )]
    );
    let en = report.message(Lang::En);
    assert!(
        en.iter()
            .any(|l| l.contains("conflict") && l.contains("both copies are kept")),
        "{en:#?}"
    );
    changes.apply_to(&mut store);
    assert_eq!(
        store.contents.responses,
        vec![mine.clone()],
        "the stored copy stays"
    );
    assert_eq!(store.conflicts.len(), 1);

    // The same file again: the conflict is found, nothing new.
    let (again, report) = merge(&store, &bundle(&only(theirs.clone()), "phone-b"), HERE);
    assert!(again.is_empty());
    assert_eq!(
        report.kind(RecordKind::Response).skipped,
        vec![(mine.id.to_string(), SkipReason::ConflictAlreadyRecorded)]
    );
    // A third copy is a second conflict.
    let mut third = theirs;
    third.answers.get_mut("q-greet").unwrap().comment = "другой".into();
    let (changes, _) = merge(&store, &bundle(&only(third), "phone-c"), HERE);
    assert_eq!(changes.conflicts.len(), 1);
    assert_ne!(changes.conflicts[0].key, store.conflicts[0].key);
}

#[test]
fn exported_beats_submitted_at_the_same_time() {
    let submitted = response(1, &audit(), 0, vec![("q-greet", AnswerValue::Yes, "")]);
    let exported = Response {
        status: ResponseStatus::Exported,
        ..submitted.clone()
    };
    let mut store = store_with(&submitted);
    let report = import(&mut store, &only(exported.clone()), "x");
    assert_eq!(report.kind(RecordKind::Response).updated.len(), 1);
    let report = import(&mut store, &only(submitted), "x");
    assert_eq!(
        report.kind(RecordKind::Response).skipped[0].1,
        SkipReason::StatusBehind
    );
    assert_eq!(store.contents.responses, vec![exported]);
}

fn questionnaires(qs: Vec<Questionnaire>) -> Contents {
    Contents {
        questionnaires: qs,
        ..Contents::default()
    }
}

#[test]
fn published_versions_are_immutable() {
    let published = audit();
    let mut edited = published.clone();
    edited.title.en = "Audit, edited".into();
    let mut store = Snapshot {
        contents: questionnaires(vec![published.clone()]),
        conflicts: vec![],
    };
    let report = import(&mut store, &questionnaires(vec![edited.clone()]), "x");
    assert_eq!(
        report.kind(RecordKind::Questionnaire).conflicts,
        vec![("aud v1".into(), ConflictReason::PublishedVersionDiffers)]
    );
    assert_eq!(store.contents.questionnaires, vec![published.clone()]);

    // Its own draft, from before publishing: nothing to do.
    let draft = Questionnaire {
        status: VersionStatus::Draft,
        ..published.clone()
    };
    let report = import(&mut store, &questionnaires(vec![draft.clone()]), "x");
    assert_eq!(
        report.kind(RecordKind::Questionnaire).skipped[0].1,
        SkipReason::StoredIsPublished
    );

    // A stored draft is the manager's: a file's published copy of the
    // same version is kept beside it, never over it.
    let stored_draft = Questionnaire {
        status: VersionStatus::Draft,
        ..edited.clone()
    };
    let mut store = Snapshot {
        contents: questionnaires(vec![stored_draft.clone()]),
        conflicts: vec![],
    };
    let report = import(&mut store, &questionnaires(vec![published.clone()]), "x");
    assert_eq!(
        report.kind(RecordKind::Questionnaire).conflicts,
        vec![("aud v1".into(), ConflictReason::DraftKept)]
    );
    assert_eq!(store.contents.questionnaires, vec![stored_draft]);

    // Two different drafts: both kept.
    let mut store = Snapshot {
        contents: questionnaires(vec![draft.clone()]),
        conflicts: vec![],
    };
    let other = Questionnaire {
        status: VersionStatus::Draft,
        ..edited
    };
    let report = import(&mut store, &questionnaires(vec![other]), "x");
    assert_eq!(
        report.kind(RecordKind::Questionnaire).conflicts[0].1,
        ConflictReason::DraftsDiffer
    );
    assert_eq!(store.contents.questionnaires, vec![draft]);
}

#[test]
fn records_whose_parent_is_nowhere_are_rejected() {
    let mut c = sample();
    c.questionnaires.clear();
    let mut store = Snapshot::default();
    let report = import(&mut store, &c, "x");
    let r = report.kind(RecordKind::Response);
    assert_eq!(r.rejected.len(), 4);
    assert!(matches!(
        &r.rejected[0].1,
        RejectReason::UnknownQuestionnaire { id, version: 1 } if id == "aud"
    ));
    // Their photo and action go with them.
    assert_eq!(report.kind(RecordKind::Photo).rejected.len(), 1);
    assert_eq!(report.kind(RecordKind::Action).rejected.len(), 1);
    assert!(store.contents.responses.is_empty());
    assert!(store.contents.photos.is_empty());
    // Locations, employees and settings do not depend on them.
    assert_eq!(store.contents.locations.len(), 2);
    let en = report.message(Lang::En);
    assert!(
        en.iter()
            .any(|l| l.contains("the questionnaire “aud” version 1 is missing")),
        "{en:#?}"
    );
    let ru = report.message(Lang::Ru);
    assert!(
        ru.iter().any(|l| l.contains("нет анкеты «aud» версии 1")),
        "{ru:#?}"
    );

    // With the questionnaire stored first, the same file goes in.
    let mut store = Snapshot {
        contents: questionnaires(sample().questionnaires),
        conflicts: vec![],
    };
    let report = import(&mut store, &c, "x");
    assert_eq!(report.kind(RecordKind::Response).added.len(), 4);
    assert_eq!(report.kind(RecordKind::Photo).added.len(), 1);
}

#[test]
fn settings_never_travel() {
    // The export leaves the device's settings out…
    let mut with_settings = sample();
    with_settings
        .settings
        .insert("kiosk.pin".into(), json!({"salt": "00", "hash": "00"}));
    with_settings.settings.insert("lang".into(), json!("ru"));
    let exported = bundle(&with_settings, "x");
    assert!(exported.contents.settings.is_empty());
    assert_eq!(exported.manifest.counts.settings, 0);
    // …and a file that carries some (an older build's backup, or a crafted
    // one locking the kiosk with the sender's PIN) changes none.
    let mut store = Snapshot::default();
    store.contents.settings.insert("lang".into(), json!("en"));
    let mut hostile = exported;
    for (key, value) in [
        (
            "kiosk.active",
            json!({"questionnaire_id": "q", "version": 1}),
        ),
        (
            "kiosk.pin",
            json!({"salt": "00", "hash": "00", "iterations": 10_000_000}),
        ),
        ("kiosk.draft", json!("7d0c5a57-2f4e-4b4a-9a0b-000000000001")),
        ("lang", json!("ru")),
    ] {
        hostile.contents.settings.insert(key.into(), value);
    }
    let (changes, report) = merge(&store, &hostile, HERE);
    assert!(changes.settings.is_empty());
    let s = report.kind(RecordKind::Setting);
    assert!(s.added.is_empty());
    assert_eq!(s.skipped.len(), 4);
    assert!(s
        .skipped
        .iter()
        .all(|(_, why)| *why == SkipReason::DeviceLocalSetting));
    changes.apply_to(&mut store);
    assert_eq!(store.contents.settings.len(), 1);
    assert_eq!(store.contents.settings["lang"], json!("en"));
}

#[test]
fn untimed_records_conflict_when_they_differ() {
    let mut store = Snapshot::default();
    import(&mut store, &sample(), "x");
    let mut c = sample();
    c.locations[0].name = "Тверская, 3".into();
    let report = import(&mut store, &c, "y");
    assert_eq!(
        report.kind(RecordKind::Location).conflicts,
        vec![("loc-1".into(), ConflictReason::Differs)]
    );
    assert_eq!(store.contents.locations[0].name, "Тверская, 1");
    assert!(
        matches!(store.conflicts[0].incoming, Record::Location(ref l) if l.name == "Тверская, 3")
    );
}

#[test]
fn another_devices_change_is_a_conflict_never_a_clock_decision() {
    let mut store = Snapshot::default();
    import(&mut store, &sample(), "x");
    let mut c = sample();
    c.employees[0].role = "старший кассир".into();
    c.employees[0].updated_at = at(900);
    let report = import(&mut store, &c, "y");
    assert_eq!(
        report.kind(RecordKind::Employee).conflicts,
        vec![("emp-1".into(), ConflictReason::OtherDevice)]
    );
    assert_eq!(store.contents.employees[0].role, sample().employees[0].role);
}

#[test]
fn this_devices_own_backup_follows_its_one_clock() {
    let mut store = Snapshot::default();
    import(&mut store, &sample(), "x");
    let mut c = sample();
    c.employees[0].role = "старший кассир".into();
    c.employees[0].updated_at = at(900);
    let report = import(&mut store, &c, HERE.device_id);
    assert_eq!(report.kind(RecordKind::Employee).updated, vec!["emp-1"]);
    assert_eq!(store.contents.employees[0].role, "старший кассир");
    // An older copy from the same clock never replaces a newer one.
    let mut old = sample();
    old.employees[0].role = "стажёр".into();
    old.employees[0].updated_at = at(-900);
    let report = import(&mut store, &old, HERE.device_id);
    assert_eq!(
        report.kind(RecordKind::Employee).skipped[0].1,
        SkipReason::OlderThanStored
    );
}

#[test]
fn an_actions_status_moves_one_step_at_a_time() {
    use crate::domain::ActionStatus::{Done, Open, Verified};
    let mut store = Snapshot::default();
    import(&mut store, &sample(), "x");
    assert_eq!(store.contents.actions[0].status, Open);
    // Open → verified in one file skips a step.
    let mut c = sample();
    c.actions[0].status = Verified;
    c.actions[0].updated_at = at(50);
    let report = import(&mut store, &c, "y");
    assert_eq!(
        report.kind(RecordKind::Action).rejected[0].1,
        RejectReason::StatusStep
    );
    assert_eq!(store.contents.actions[0].status, Open);
    // The next step is taken from any device, its clock notwithstanding.
    c.actions[0].status = Done;
    c.actions[0].updated_at = Timestamp::new(0, 0);
    let report = import(&mut store, &c, "y");
    assert_eq!(report.kind(RecordKind::Action).updated.len(), 1);
    assert_eq!(store.contents.actions[0].status, Done);
    // A copy still open is an old one.
    let report = import(&mut store, &sample(), "z");
    assert_eq!(
        report.kind(RecordKind::Action).skipped[0].1,
        SkipReason::StatusBehind
    );
    assert_eq!(store.contents.actions[0].status, Done);
}

#[test]
fn conflicts_serialise_for_storage() {
    let c = Conflict {
        key: "k".into(),
        id: "i".into(),
        reason: ConflictReason::Differs,
        from_device: "d".into(),
        incoming: Record::Photo(sample().photos[0].clone()),
    };
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["incoming"]["kind"], "photo");
    assert_eq!(v["reason"], "differs");
    assert_eq!(serde_json::from_value::<Conflict>(v).unwrap(), c);
    assert_eq!(c.incoming.kind(), RecordKind::Photo);
}

#[test]
fn an_empty_file_and_long_lists_read_well() {
    let empty = Bundle {
        manifest: Manifest {
            created_at: at(0),
            device_id: String::new(),
            app_version: String::new(),
            counts: Default::default(),
            checksum: String::new(),
        },
        contents: Contents::default(),
        migrated_from: None,
    };
    let (changes, report) = merge(&Snapshot::default(), &empty, HERE);
    assert!(changes.is_empty());
    assert_eq!(
        report.message(Lang::En),
        vec!["The file holds nothing to import."]
    );
    assert_eq!(
        report.message(Lang::Ru),
        vec!["В файле нет записей для импорта."]
    );

    let mut c = Contents::default();
    for n in 0..25 {
        c.responses.push(response(n, &audit(), 0, vec![]));
    }
    let (_, report) = merge(&Snapshot::default(), &bundle(&c, "x"), HERE);
    let en = report.message(Lang::En);
    assert_eq!(en[0], "Nothing was stored; the reasons are below.");
    assert_eq!(en.last().unwrap(), "  … and 5 more");
    assert_eq!(en.len(), 1 + 1 + 20 + 1);
    assert_eq!(report.message(Lang::Ru).last().unwrap(), "  … и ещё 5");
}

/// Every response of `file` shown to [`EarlyResponses`] in order, after
/// the file's questionnaires: what it takes is what the merge puts.
fn early_agrees_with_merge(store: &Snapshot, file: &Contents) -> (usize, Changes) {
    let b = bundle(file, "phone-b");
    let mut early = EarlyResponses::new(store, HERE);
    early.questionnaires(&b.contents.questionnaires);
    let taken: Vec<Uuid> = b
        .contents
        .responses
        .iter()
        .filter(|r| early.take(r))
        .map(|r| r.id)
        .collect();
    assert_eq!(early.len(), taken.len());
    let (changes, report) = merge(store, &b, HERE);
    for id in &taken {
        assert!(changes.responses.iter().any(|r| r.id == *id), "{id}");
    }
    let rest = early.rest(changes.clone()).unwrap();
    assert_eq!(rest.responses.len() + taken.len(), changes.responses.len());
    assert!(rest.responses.iter().all(|r| !taken.contains(&r.id)));
    // The merge that skips the taken ones gives the same rest and report.
    assert_eq!(early.merge_rest(store, &b).unwrap(), (rest.clone(), report));
    (taken.len(), rest)
}

#[test]
fn early_responses_are_exactly_those_the_merge_puts() {
    use AnswerValue as A;
    // Into an empty store: every response of a known questionnaire.
    let (taken, rest) = early_agrees_with_merge(&Snapshot::default(), &sample());
    assert_eq!(taken, 4);
    assert!(rest.responses.is_empty());
    assert_eq!(rest.locations.len(), 2);

    // Newer, older, equal, same time different, status ahead.
    let base = draft(response(1, &audit(), 0, vec![("q-greet", A::No, "")]));
    let mut newer = base.clone();
    newer.updated_at = at(30);
    newer.answers.get_mut("q-greet").unwrap().comment = "later".into();
    let mut clash = base.clone();
    clash.answers.get_mut("q-greet").unwrap().value = A::Yes;
    let submitted = Response {
        status: ResponseStatus::Submitted,
        ..base.clone()
    };
    for (incoming, expected) in [
        (newer.clone(), 1),
        (base.clone(), 0),
        (clash, 0),
        (submitted, 1),
    ] {
        let (taken, rest) = early_agrees_with_merge(&store_with(&base), &only(incoming));
        assert_eq!(taken, expected);
        assert!(rest.responses.is_empty());
    }
    let (taken, _) = early_agrees_with_merge(&store_with(&newer), &only(base.clone()));
    assert_eq!(taken, 0);

    // A questionnaire neither stored nor read yet: left to the merge,
    // which rejects it here.
    let mut c = sample();
    c.questionnaires.clear();
    let (taken, rest) = early_agrees_with_merge(&Snapshot::default(), &c);
    assert_eq!(taken, 0);
    assert!(rest.responses.is_empty());

    // Responses read before their questionnaire: left to the merge, which
    // puts them.
    let b = bundle(&sample(), "phone-b");
    let empty = Snapshot::default();
    let mut early = EarlyResponses::new(&empty, HERE);
    assert!(b.contents.responses.iter().all(|r| !early.take(r)));
    let (changes, _) = merge(&empty, &b, HERE);
    assert_eq!(early.rest(changes).unwrap().responses.len(), 4);
}

#[test]
fn a_response_taken_early_that_the_merge_does_not_put_is_an_error() {
    let b = bundle(&sample(), "phone-b");
    let empty = Snapshot::default();
    let mut early = EarlyResponses::new(&empty, HERE);
    early.questionnaires(&b.contents.questionnaires);
    assert!(early.take(&b.contents.responses[0]));
    // The same response twice is taken once.
    assert!(!early.take(&b.contents.responses[0]));
    assert_eq!(
        early.rest(Changes::default()),
        Err(b.contents.responses[0].id)
    );
    // A store that holds a newer copy: the merge would skip it.
    let mut newer = b.contents.responses[0].clone();
    newer.updated_at = at(10_000);
    assert_eq!(early.merge_rest(&store_with(&newer), &b), Err(newer.id));
}
