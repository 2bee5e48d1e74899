use serde_json::json;

use super::*;
use crate::domain::{AnswerValue, Timestamp};
use crate::exchange::bundle::{parse_bundle, write_bundle, Manifest};
use crate::exchange::test_data::{at, audit, response, sample, survey};
use crate::i18n::Lang;

/// `contents` as it arrives from `device`: written and parsed, as an import
/// would see it.
fn bundle(contents: &Contents, device: &str) -> Bundle {
    parse_bundle(&write_bundle(contents, at(1_000), device, "test").unwrap()).unwrap()
}

fn import(store: &mut Snapshot, contents: &Contents, device: &str) -> MergeReport {
    let (changes, report) = merge(store, &bundle(contents, device));
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
    assert_eq!(
        report.kind(RecordKind::Setting).added,
        vec!["kiosk", "lang"]
    );
    assert!(report.changed());
    assert_eq!(report.message(Lang::En)[0], "Import done.");
}

#[test]
fn importing_the_same_bundle_twice_changes_nothing() {
    let mut store = Snapshot::default();
    import(&mut store, &sample(), "phone-a");
    let before = store.clone();
    let (changes, report) = merge(&store, &bundle(&sample(), "phone-a"));
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

#[test]
fn an_older_copy_never_replaces_a_newer_one() {
    let old = response(1, &audit(), 0, vec![("q-greet", AnswerValue::No, "")]);
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
fn same_time_different_content_is_kept_side_by_side() {
    let mine = response(1, &audit(), 0, vec![("q-greet", AnswerValue::No, "")]);
    let mut theirs = mine.clone();
    theirs.answers.get_mut("q-greet").unwrap().value = AnswerValue::Yes;

    let mut store = store_with(&mine);
    let (changes, report) = merge(&store, &bundle(&only(theirs.clone()), "phone-b"));
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
    let (again, report) = merge(&store, &bundle(&only(theirs.clone()), "phone-b"));
    assert!(again.is_empty());
    assert_eq!(
        report.kind(RecordKind::Response).skipped,
        vec![(mine.id.to_string(), SkipReason::ConflictAlreadyRecorded)]
    );
    // A third copy is a second conflict.
    let mut third = theirs;
    third.answers.get_mut("q-greet").unwrap().comment = "другой".into();
    let (changes, _) = merge(&store, &bundle(&only(third), "phone-c"));
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

    // A stored draft gives way to the published version.
    let mut store = Snapshot {
        contents: questionnaires(vec![Questionnaire {
            status: VersionStatus::Draft,
            ..edited.clone()
        }]),
        conflicts: vec![],
    };
    let report = import(&mut store, &questionnaires(vec![published.clone()]), "x");
    assert_eq!(
        report.kind(RecordKind::Questionnaire).updated,
        vec!["aud v1"]
    );
    assert_eq!(store.contents.questionnaires, vec![published]);

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
fn a_files_settings_never_change_this_devices() {
    let mut store = Snapshot::default();
    store.contents.settings.insert("lang".into(), json!("en"));
    let report = import(&mut store, &sample(), "x");
    let s = report.kind(RecordKind::Setting);
    assert_eq!(s.added, vec!["kiosk"]);
    assert_eq!(
        s.skipped,
        vec![("lang".into(), SkipReason::LocalSettingKept)]
    );
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
fn employees_and_actions_follow_their_change_time() {
    let mut store = Snapshot::default();
    import(&mut store, &sample(), "x");
    let mut c = sample();
    c.employees[0].role = "старший кассир".into();
    c.employees[0].updated_at = at(900);
    c.actions[0].status = crate::domain::ActionStatus::Done;
    c.actions[0].updated_at = Timestamp::new(0, 0);
    let report = import(&mut store, &c, "y");
    assert_eq!(report.kind(RecordKind::Employee).updated, vec!["emp-1"]);
    assert_eq!(
        report.kind(RecordKind::Action).skipped[0].1,
        SkipReason::OlderThanStored
    );
    assert_eq!(store.contents.employees[0].role, "старший кассир");
    assert_eq!(
        store.contents.actions[0].status,
        crate::domain::ActionStatus::Open
    );
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
    let (changes, report) = merge(&Snapshot::default(), &empty);
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
    let (_, report) = merge(&Snapshot::default(), &bundle(&c, "x"));
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
    let mut early = EarlyResponses::new(store);
    early.questionnaires(&b.contents.questionnaires);
    let taken: Vec<Uuid> = b
        .contents
        .responses
        .iter()
        .filter(|r| early.take(r))
        .map(|r| r.id)
        .collect();
    assert_eq!(early.len(), taken.len());
    let (changes, report) = merge(store, &b);
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
    let base = response(1, &audit(), 0, vec![("q-greet", A::No, "")]);
    let mut newer = base.clone();
    newer.updated_at = at(30);
    newer.answers.get_mut("q-greet").unwrap().comment = "later".into();
    let mut clash = base.clone();
    clash.answers.get_mut("q-greet").unwrap().value = A::Yes;
    let exported = Response {
        status: ResponseStatus::Exported,
        ..base.clone()
    };
    for (incoming, expected) in [
        (newer.clone(), 1),
        (base.clone(), 0),
        (clash, 0),
        (exported, 1),
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
    let mut early = EarlyResponses::new(&empty);
    assert!(b.contents.responses.iter().all(|r| !early.take(r)));
    let (changes, _) = merge(&empty, &b);
    assert_eq!(early.rest(changes).unwrap().responses.len(), 4);
}

#[test]
fn a_response_taken_early_that_the_merge_does_not_put_is_an_error() {
    let b = bundle(&sample(), "phone-b");
    let empty = Snapshot::default();
    let mut early = EarlyResponses::new(&empty);
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
