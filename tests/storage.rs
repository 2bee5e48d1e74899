//! IndexedDB round trips through the project's storage module, in headless
//! Chromium (`cargo test --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use servicelens::domain::{AnswerValue, Location, Response, ResponseStatus, Timestamp};
use servicelens::web::storage::Store;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_db_name() -> String {
    format!("servicelens-test-{}", Uuid::new_v4())
}

fn sample_response() -> Response {
    let t = Timestamp::new(1_795_459_205_250, 180);
    let mut r = Response::new_draft(
        Uuid::new_v4(),
        "tpl-retail-quick",
        1,
        "loc-main",
        "dev-1",
        t,
    );
    r.set_answer(
        "q-entrance",
        AnswerValue::Yes,
        Timestamp::new(1_795_459_210_000, 180),
    );
    r.set_answer(
        "q-greeting",
        AnswerValue::Na,
        Timestamp::new(1_795_459_220_000, 180),
    );
    r.set_answer(
        "q-wait",
        AnswerValue::Number(42.5),
        Timestamp::new(1_795_459_230_000, 180),
    );
    r.answers.get_mut("q-greeting").unwrap().comment = "<b>not</b> \"escaped\" — ünïcödé".into();
    r
}

#[wasm_bindgen_test]
async fn response_survives_put_get_close_reopen() {
    let name = fresh_db_name();
    let response = sample_response();

    let store = Store::open_named(&name).await.expect("open");
    assert_eq!(store.get_response(response.id).await.unwrap(), None);
    store.put_response(&response).await.expect("put");
    assert_eq!(
        store.get_response(response.id).await.unwrap().as_ref(),
        Some(&response)
    );
    store.close();

    let reopened = Store::open_named(&name).await.expect("reopen");
    assert_eq!(
        reopened.get_response(response.id).await.unwrap().as_ref(),
        Some(&response)
    );
    assert_eq!(reopened.responses().await.unwrap(), vec![response.clone()]);
    reopened.close();
}

#[wasm_bindgen_test]
async fn a_later_put_replaces_the_record() {
    let store = Store::open_named(&fresh_db_name()).await.unwrap();
    let mut response = sample_response();
    store.put_response(&response).await.unwrap();
    response.submit(Timestamp::new(1_795_459_300_000, 180));
    store.put_response(&response).await.unwrap();

    let all = store.responses().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].status, ResponseStatus::Submitted);
    assert_eq!(all[0], response);
}

#[wasm_bindgen_test]
async fn locations_round_trip() {
    let store = Store::open_named(&fresh_db_name()).await.unwrap();
    assert!(store.locations().await.unwrap().is_empty());
    let loc = Location {
        id: "loc-1".into(),
        name: "ТЦ «Галерея»".into(),
    };
    store.put_location(&loc).await.unwrap();
    assert_eq!(store.locations().await.unwrap(), vec![loc]);
}

#[wasm_bindgen_test]
async fn questionnaire_versions_are_kept_apart_and_published_ones_never_change() {
    use servicelens::domain::VersionStatus;
    let store = Store::open_named(&fresh_db_name()).await.unwrap();
    let v1 = servicelens::templates::find("tpl-retail-quick", 1).unwrap();
    assert_eq!(v1.status, VersionStatus::Published);
    store.put_questionnaire(&v1).await.unwrap();
    // Storing the same published version again is harmless.
    store.put_questionnaire(&v1).await.unwrap();

    let mut altered = v1.clone();
    altered.title.en = "Changed after publishing".into();
    assert!(store.put_questionnaire(&altered).await.is_err());
    assert_eq!(
        store.get_questionnaire(&v1.id, 1).await.unwrap(),
        Some(v1.clone())
    );

    let mut v2 = v1.clone();
    v2.version = 2;
    v2.status = VersionStatus::Draft;
    v2.title.en = "Quick store audit, revised".into();
    store.put_questionnaire(&v2).await.unwrap();
    v2.title.en = "Quick store audit, revised twice".into();
    store.put_questionnaire(&v2).await.unwrap();

    assert_eq!(
        store.get_questionnaire(&v1.id, 2).await.unwrap(),
        Some(v2.clone())
    );
    assert_eq!(store.get_questionnaire(&v1.id, 3).await.unwrap(), None);
    assert_eq!(store.questionnaires().await.unwrap().len(), 2);
}

#[wasm_bindgen_test]
async fn photo_blobs_round_trip_by_response() {
    use servicelens::domain::photo::PhotoMeta;
    use wasm_bindgen::JsCast;
    let store = Store::open_named(&fresh_db_name()).await.unwrap();
    let response = Uuid::new_v4();
    let other = Uuid::new_v4();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let make = |id: Uuid, response_id: Uuid, at: i64| PhotoMeta {
        id,
        response_id,
        question_id: "q-entrance".into(),
        mime: "image/jpeg".into(),
        width: 1600,
        height: 1200,
        bytes: bytes.len() as u64,
        taken_at: Timestamp::new(at, 180),
    };
    let blob = || {
        let array = js_sys::Uint8Array::from(bytes.as_slice());
        let parts = js_sys::Array::of1(&array);
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("image/jpeg");
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).unwrap()
    };
    let (first, second, foreign) = (
        make(Uuid::new_v4(), response, 2_000),
        make(Uuid::new_v4(), response, 1_000),
        make(Uuid::new_v4(), other, 500),
    );
    for m in [&first, &second, &foreign] {
        store.put_photo(m, &blob()).await.unwrap();
    }

    let got = store.photos_of(response).await.unwrap();
    assert_eq!(
        got.iter().map(|(m, _)| m.clone()).collect::<Vec<_>>(),
        vec![second.clone(), first.clone()]
    );
    let buffer = wasm_bindgen_futures::JsFuture::from(got[0].1.array_buffer())
        .await
        .unwrap();
    let read = js_sys::Uint8Array::new(&buffer.unchecked_into()).to_vec();
    assert_eq!(read, bytes);
    assert_eq!(got[0].1.type_(), "image/jpeg");

    store.delete_photo(second.id).await.unwrap();
    assert_eq!(store.photos_of(response).await.unwrap().len(), 1);
    assert_eq!(store.photos_of(other).await.unwrap().len(), 1);
}

#[wasm_bindgen_test]
async fn employees_actions_and_settings_round_trip_and_delete() {
    use servicelens::domain::{ActionStatus, CorrectiveAction, Employee};
    let store = Store::open_named(&fresh_db_name()).await.expect("open");
    let t = Timestamp::new(1_795_459_205_250, 180);
    let anna = Employee {
        id: "emp-anna".into(),
        name: "Анна <i>Петрова</i>".into(),
        role: "cashier".into(),
        location_id: "loc-main".into(),
        updated_at: t,
    };
    store.put_employee(&anna).await.expect("put employee");
    assert_eq!(store.employees().await.unwrap(), vec![anna.clone()]);

    let action = CorrectiveAction {
        id: Uuid::new_v4(),
        response_id: Uuid::new_v4(),
        question_id: "q-greeting".into(),
        location_id: "loc-main".into(),
        assignee: "emp-anna".into(),
        due: None,
        status: ActionStatus::Open,
        note: "retrain".into(),
        created_at: t,
        updated_at: t,
    };
    store.put_action(&action).await.expect("put action");
    assert_eq!(store.actions().await.unwrap(), vec![action]);

    assert_eq!(
        store
            .get_setting::<u32>("kiosk.idle_seconds")
            .await
            .unwrap(),
        None
    );
    store
        .put_setting("kiosk.idle_seconds", &45u32)
        .await
        .expect("put setting");
    store
        .put_setting("kiosk.idle_seconds", &60u32)
        .await
        .expect("overwrite setting");
    assert_eq!(
        store
            .get_setting::<u32>("kiosk.idle_seconds")
            .await
            .unwrap(),
        Some(60)
    );
    assert_eq!(
        store.settings().await.unwrap().get("kiosk.idle_seconds"),
        Some(&serde_json::json!(60))
    );

    store
        .delete_employee("emp-anna")
        .await
        .expect("delete employee");
    assert!(store.employees().await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn deleting_a_response_deletes_its_photos_only() {
    use servicelens::domain::photo::PhotoMeta;
    let store = Store::open_named(&fresh_db_name()).await.expect("open");
    let gone = sample_response();
    let kept = sample_response();
    store.put_response(&gone).await.unwrap();
    store.put_response(&kept).await.unwrap();
    let blob = web_sys::Blob::new().unwrap();
    for (n, owner) in [gone.id, gone.id, kept.id].into_iter().enumerate() {
        let meta = PhotoMeta {
            id: Uuid::new_v4(),
            response_id: owner,
            question_id: "q-entrance".into(),
            mime: "image/jpeg".into(),
            bytes: 0,
            width: 1,
            height: 1,
            taken_at: Timestamp::new(1_795_459_205_250 + n as i64, 180),
        };
        store.put_photo(&meta, &blob).await.unwrap();
    }
    store.delete_response(gone.id).await.expect("delete");
    assert_eq!(store.get_response(gone.id).await.unwrap(), None);
    assert!(store.photos_of(gone.id).await.unwrap().is_empty());
    assert_eq!(
        store.get_response(kept.id).await.unwrap(),
        Some(kept.clone())
    );
    assert_eq!(store.photos_of(kept.id).await.unwrap().len(), 1);
}
