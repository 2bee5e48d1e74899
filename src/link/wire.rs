//! The JSON inside a link: `{"q": questionnaire, "l": {"id", "name"},
//! "m": "kiosk"}` with short keys and every model default left out, since
//! each byte grows the QR code.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::error::LinkError;
use super::{LinkMode, LinkPayload};
use crate::delivery::LinkTarget;
use crate::domain::{ChoiceOption, Location, Question, Questionnaire, Section};

/// The JSON inside the link. Short keys because they are not repeated, so
/// deflate cannot shrink them, and every byte grows the QR code.
#[derive(Serialize)]
struct WireOut<'a> {
    q: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    l: Option<&'a Location>,
    #[serde(skip_serializing_if = "is_fill")]
    m: LinkMode,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'a LinkTarget>,
}

#[derive(Deserialize)]
struct WireIn {
    q: Questionnaire,
    #[serde(default)]
    l: Option<Location>,
    #[serde(default)]
    m: LinkMode,
    #[serde(default)]
    d: Option<LinkTarget>,
}

fn is_fill(mode: &LinkMode) -> bool {
    *mode == LinkMode::Fill
}

/// The compact JSON of a payload.
pub(super) fn to_json(payload: &LinkPayload) -> Vec<u8> {
    let mut questionnaire =
        serde_json::to_value(&payload.questionnaire).expect("a questionnaire serialises to JSON");
    drop_defaults(&mut questionnaire);
    let wire = WireOut {
        q: questionnaire,
        l: payload.location.as_ref(),
        m: payload.mode,
        d: payload.inbox.as_ref(),
    };
    serde_json::to_vec(&wire).expect("the link payload serialises to JSON")
}

/// The payload of inflated JSON, if it has the shape; whether the
/// questionnaire is valid is the caller's next check.
pub(super) fn from_json(json: &[u8]) -> Result<LinkPayload, LinkError> {
    let wire: WireIn = serde_json::from_slice(json).map_err(|e| LinkError::Malformed {
        detail: e.to_string(),
    })?;
    if let Some(location) = &wire.l {
        if location.id.trim().is_empty() {
            return Err(LinkError::Malformed {
                detail: "the location has no id".to_owned(),
            });
        }
    }
    Ok(LinkPayload {
        questionnaire: wire.q,
        location: wire.l,
        mode: wire.m,
        inbox: wire.d,
    })
}

/// Removes every field whose value is the one serde fills in when the field
/// is absent, so the link carries only what was actually set.
///
/// The defaults are read from the model itself (deserialise a minimal
/// object, serialise it back) rather than listed here, so a default changed
/// in the model can never turn into a silently changed value in a link.
pub(super) fn drop_defaults(questionnaire: &mut Value) {
    let text = json!({"ru": "", "en": ""});
    let questionnaire_defaults = filled_defaults::<Questionnaire>(json!({
        "id": "", "version": 1, "kind": "survey", "title": text, "sections": []
    }));
    let section_defaults =
        filled_defaults::<Section>(json!({"id": "", "title": text, "questions": []}));
    let question_defaults =
        filled_defaults::<Question>(json!({"id": "", "type": "yes_no", "text": text}));
    let option_defaults = filled_defaults::<ChoiceOption>(json!({"id": "", "label": text}));

    let Value::Object(root) = questionnaire else {
        return;
    };
    strip(root, &questionnaire_defaults);
    for section in objects_in(root, "sections") {
        strip(section, &section_defaults);
        for question in objects_in(section, "questions") {
            strip(question, &question_defaults);
            for option in objects_in(question, "options") {
                strip(option, &option_defaults);
            }
        }
    }
}

/// The fields serde added to `minimal`, with the values it gave them; none
/// if the model no longer accepts `minimal`, so a changed model costs link
/// size, never correctness.
fn filled_defaults<T: DeserializeOwned + Serialize>(minimal: Value) -> Map<String, Value> {
    let Value::Object(given) = &minimal else {
        return Map::new();
    };
    let given: Vec<String> = given.keys().cloned().collect();
    let filled = serde_json::from_value::<T>(minimal)
        .ok()
        .and_then(|t| serde_json::to_value(t).ok());
    match filled {
        Some(Value::Object(mut all)) => {
            all.retain(|k, _| !given.contains(k));
            all
        }
        _ => Map::new(),
    }
}

fn strip(object: &mut Map<String, Value>, defaults: &Map<String, Value>) {
    object.retain(|k, v| defaults.get(k) != Some(v));
}

fn objects_in<'a>(
    object: &'a mut Map<String, Value>,
    key: &str,
) -> impl Iterator<Item = &'a mut Map<String, Value>> {
    object
        .get_mut(key)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Text;
    use crate::link::tests::{deflated_json, framed, survey};
    use crate::link::{decode, encode};

    #[test]
    fn defaults_are_left_out_of_the_link() {
        let mut value = serde_json::to_value(survey()).unwrap();
        drop_defaults(&mut value);
        let text = value.to_string();
        for absent in [
            "\"help\"",
            "\"critical\"",
            "\"na_allowed\"",
            "\"comment_allowed\"",
            "\"photo_allowed\"",
            "\"critical_rule\"",
            "\"weight\"",
        ] {
            assert!(!text.contains(absent), "{absent} in {text}");
        }
        assert!(text.contains("\"required\":true"), "set values stay");
        // A value that differs from the default is kept.
        let mut q = survey();
        q.sections[0].weight = 2.0;
        q.sections[0].questions[0].help = Text::new("", "x");
        let back = decode(&encode(&LinkPayload::new(q.clone()))).unwrap();
        assert_eq!(back.questionnaire, q);
    }

    #[test]
    fn the_model_defaults_are_found() {
        let d = filled_defaults::<Question>(json!({
            "id": "", "type": "yes_no", "text": {"ru": "", "en": ""}
        }));
        assert_eq!(d.get("weight"), Some(&json!(1.0)));
        assert_eq!(d.get("required"), Some(&json!(false)));
        assert!(!d.contains_key("id") && !d.contains_key("text"));
        assert!(filled_defaults::<Question>(json!({"id": 1})).is_empty());
        assert!(filled_defaults::<Question>(json!([])).is_empty());
    }

    #[test]
    fn an_intact_link_with_a_wrong_shape_is_malformed() {
        for json in [
            json!(null),
            json!([1, 2]),
            json!({"q": 1}),
            json!({"x": {}}),
            json!({"q": {"id": "a"}}),
        ] {
            assert!(
                matches!(
                    decode(&deflated_json(&json)),
                    Err(LinkError::Malformed { .. })
                ),
                "{json}"
            );
        }
        let body = miniz_oxide::deflate::compress_to_vec(b"\xff\xfe not utf-8", 6);
        assert!(matches!(
            decode(&framed(&body)),
            Err(LinkError::Malformed { .. })
        ));
        let mut wire = serde_json::to_value(survey()).unwrap();
        wire = json!({"q": wire, "m": "billboard"});
        assert!(matches!(
            decode(&deflated_json(&wire)),
            Err(LinkError::Malformed { .. })
        ));
        let wire =
            json!({"q": serde_json::to_value(survey()).unwrap(), "l": {"id": " ", "name": "x"}});
        assert!(matches!(
            decode(&deflated_json(&wire)),
            Err(LinkError::Malformed { .. })
        ));
    }

    #[test]
    fn unknown_fields_from_a_later_build_are_ignored() {
        let wire = json!({"q": serde_json::to_value(survey()).unwrap(), "future": [1, 2, 3]});
        assert_eq!(
            decode(&deflated_json(&wire)).map(|p| p.questionnaire),
            Ok(survey())
        );
    }
}
