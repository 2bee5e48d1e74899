//! The typed pass: records straight from the text (no JSON tree in between),
//! with the place of the first wrong field in the error.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use super::{BundleError, Contents, Manifest, PhotoRecord, Settings};
use crate::domain::{CorrectiveAction, Employee, Location, Questionnaire, Response};

/// What a value is called in error messages: its field in the document.
pub(super) trait Named {
    const FIELD: &'static str;
}

impl Named for Questionnaire {
    const FIELD: &'static str = "questionnaires";
}
impl Named for Response {
    const FIELD: &'static str = "responses";
}
impl Named for Location {
    const FIELD: &'static str = "locations";
}
impl Named for Employee {
    const FIELD: &'static str = "employees";
}
impl Named for CorrectiveAction {
    const FIELD: &'static str = "actions";
}
impl Named for PhotoRecord {
    const FIELD: &'static str = "photos";
}
impl Named for Manifest {
    const FIELD: &'static str = "manifest";
}
impl Named for Settings {
    const FIELD: &'static str = "settings";
}

/// A list of records; an error names the list and the index.
pub(super) struct Records<T>(pub Vec<T>);

impl<T> Default for Records<T> {
    fn default() -> Self {
        Records(Vec::new())
    }
}

impl<'de, T: Deserialize<'de> + Named> Deserialize<'de> for Records<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Elements<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de> + Named> Visitor<'de> for Elements<T> {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                // The scan has bounded the count; the hint is the parser's own.
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                loop {
                    let i = out.len();
                    match seq.next_element::<T>() {
                        Ok(Some(x)) => out.push(x),
                        Ok(None) => return Ok(out),
                        Err(e) => {
                            return Err(de::Error::custom(format!(
                                "{}[{i}]: {}",
                                T::FIELD,
                                without_position(&e)
                            )))
                        }
                    }
                }
            }
        }

        d.deserialize_seq(Elements(PhantomData))
            .map(Records)
            .map_err(|e| named::<T, D::Error>(e))
    }
}

/// One value; an error names its field.
pub(super) struct Field<T>(pub T);

impl<T: Default> Default for Field<T> {
    fn default() -> Self {
        Field(T::default())
    }
}

impl<'de, T: Deserialize<'de> + Named> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d)
            .map(Field)
            .map_err(|e| named::<T, D::Error>(e))
    }
}

/// `e` prefixed with `T`'s field, unless an inner level already said where.
fn named<T: Named, E: de::Error>(e: E) -> E {
    let msg = without_position(&e);
    if msg.starts_with(T::FIELD) {
        E::custom(msg)
    } else {
        E::custom(format!("{}: {msg}", T::FIELD))
    }
}

/// serde_json's message without its " at line 1 column 48213", which means
/// nothing in a one-line file.
pub(super) fn without_position(e: &impl fmt::Display) -> String {
    let msg = e.to_string();
    if let Some(at) = msg.rfind(" at line ") {
        let tail = &msg[at + " at line ".len()..];
        let mut words = tail.split(' ');
        let shaped = words.next().is_some_and(|w| w.parse::<u64>().is_ok())
            && words.next() == Some("column")
            && words.next().is_some_and(|w| w.parse::<u64>().is_ok())
            && words.next().is_none();
        if shaped {
            return msg[..at].to_owned();
        }
    }
    msg
}

#[derive(Deserialize)]
struct Document {
    manifest: Option<Field<Manifest>>,
    #[serde(default)]
    questionnaires: Records<Questionnaire>,
    #[serde(default)]
    responses: Records<Response>,
    #[serde(default)]
    locations: Records<Location>,
    #[serde(default)]
    employees: Records<Employee>,
    #[serde(default)]
    actions: Records<CorrectiveAction>,
    #[serde(default)]
    settings: Field<Settings>,
    #[serde(default)]
    photos: Records<PhotoRecord>,
}

fn malformed(e: serde_json::Error) -> BundleError {
    BundleError::Malformed {
        detail: without_position(&e),
    }
}

/// A document of the current format version.
pub(super) fn current(text: &str) -> Result<(Manifest, Contents), BundleError> {
    let d: Document = serde_json::from_str(text).map_err(malformed)?;
    let manifest = d.manifest.ok_or_else(|| BundleError::Malformed {
        detail: "manifest: missing".to_owned(),
    })?;
    Ok((
        manifest.0,
        Contents {
            questionnaires: d.questionnaires.0,
            responses: d.responses.0,
            locations: d.locations.0,
            employees: d.employees.0,
            actions: d.actions.0,
            settings: d.settings.0,
            photos: d.photos.0,
        },
    ))
}

/// Format version 0, the first build's bare list of responses.
pub(super) fn first_build(text: &str) -> Result<Vec<Response>, BundleError> {
    serde_json::from_str::<Records<Response>>(text)
        .map(|r| r.0)
        .map_err(malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_dropped_and_places_kept() {
        assert_eq!(
            without_position(&"missing field `id` at line 1 column 48213"),
            "missing field `id`"
        );
        assert_eq!(
            without_position(&"a text ending at line 7 of a poem"),
            "a text ending at line 7 of a poem"
        );
        let e = first_build(r#"[{"id": 1}]"#).unwrap_err();
        let BundleError::Malformed { detail } = e else {
            panic!("{e:?}")
        };
        assert!(detail.starts_with("responses[0]: invalid type"), "{detail}");
        assert!(!detail.contains("line"), "{detail}");
        let e = current(r#"{"manifest": 5}"#).unwrap_err();
        assert!(
            matches!(&e, BundleError::Malformed { detail } if detail.starts_with("manifest: ")),
            "{e:?}"
        );
        let e = current(r#"{"responses": null, "manifest": {}}"#).unwrap_err();
        assert!(
            matches!(&e, BundleError::Malformed { detail } if detail.starts_with("responses: ")),
            "{e:?}"
        );
    }
}
