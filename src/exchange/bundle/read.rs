//! The typed pass: records straight from the text (no JSON tree in between),
//! with the place of the first wrong field in the error.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::{BundleError, Contents, Manifest, PhotoRecord, ReadObserver, Settings};
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

/// The elements of a list, each shown to `seen` as soon as it is read; an
/// error (the list's, an element's or `seen`'s) names the list and index.
fn records<'de, T, D, F>(d: D, seen: F) -> Result<Vec<T>, D::Error>
where
    T: Deserialize<'de> + Named,
    D: Deserializer<'de>,
    F: FnMut(&T) -> Result<(), String>,
{
    struct Elements<T, F>(F, PhantomData<T>);

    impl<'de, T, F> Visitor<'de> for Elements<T, F>
    where
        T: Deserialize<'de> + Named,
        F: FnMut(&T) -> Result<(), String>,
    {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }

        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Vec<T>, A::Error> {
            // The scan has bounded the count; the hint is the parser's own.
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
            loop {
                let i = out.len();
                let problem = match seq.next_element::<T>() {
                    Ok(Some(x)) => match (self.0)(&x) {
                        Ok(()) => {
                            out.push(x);
                            continue;
                        }
                        Err(problem) => problem,
                    },
                    Ok(None) => return Ok(out),
                    Err(e) => without_position(&e),
                };
                return Err(de::Error::custom(format!("{}[{i}]: {problem}", T::FIELD)));
            }
        }
    }

    d.deserialize_seq(Elements(seen, PhantomData))
        .map_err(|e| named::<T, D::Error>(e))
}

impl<'de, T: Deserialize<'de> + Named> Deserialize<'de> for Records<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        records(d, |_| Ok(())).map(Records)
    }
}

/// The responses, each shown to the observer as it is read.
struct Responses<'o>(&'o mut dyn ReadObserver);

impl<'de> DeserializeSeed<'de> for Responses<'_> {
    type Value = Records<Response>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        records(d, |r| self.0.response(r)).map(Records)
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

#[derive(Default)]
struct Document {
    manifest: Option<Field<Manifest>>,
    questionnaires: Records<Questionnaire>,
    responses: Records<Response>,
    locations: Records<Location>,
    employees: Records<Employee>,
    actions: Records<CorrectiveAction>,
    settings: Field<Settings>,
    photos: Records<PhotoRecord>,
}

/// The document's fields in any order, unknown ones skipped, each at most
/// once, as `#[derive(Deserialize)]` would read them; written out only to
/// show the observer the questionnaires and each response as they come.
struct DocumentSeed<'o>(&'o mut dyn ReadObserver);

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_> {
    type Value = Document;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocumentSeed<'_> {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a bundle object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        fn once<E: de::Error>(seen: &mut Vec<&'static str>, field: &'static str) -> Result<(), E> {
            if seen.contains(&field) {
                return Err(E::duplicate_field(field));
            }
            seen.push(field);
            Ok(())
        }
        let mut d = Document::default();
        let mut seen = Vec::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "manifest" => {
                    once(&mut seen, "manifest")?;
                    d.manifest = map.next_value()?;
                }
                "questionnaires" => {
                    once(&mut seen, "questionnaires")?;
                    d.questionnaires = map.next_value()?;
                    self.0.questionnaires(&d.questionnaires.0);
                }
                "responses" => {
                    once(&mut seen, "responses")?;
                    d.responses = map.next_value_seed(Responses(&mut *self.0))?;
                }
                "locations" => {
                    once(&mut seen, "locations")?;
                    d.locations = map.next_value()?;
                }
                "employees" => {
                    once(&mut seen, "employees")?;
                    d.employees = map.next_value()?;
                }
                "actions" => {
                    once(&mut seen, "actions")?;
                    d.actions = map.next_value()?;
                }
                "settings" => {
                    once(&mut seen, "settings")?;
                    d.settings = map.next_value()?;
                }
                "photos" => {
                    once(&mut seen, "photos")?;
                    d.photos = map.next_value()?;
                }
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(d)
    }
}

fn malformed(e: serde_json::Error) -> BundleError {
    BundleError::Malformed {
        detail: without_position(&e),
    }
}

/// A document of the current format version, its records shown to
/// `observer` as they are read.
pub(super) fn current(
    text: &str,
    observer: &mut dyn ReadObserver,
) -> Result<(Manifest, Contents), BundleError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let d = DocumentSeed(observer)
        .deserialize(&mut de)
        .map_err(malformed)?;
    de.end().map_err(malformed)?;
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
        let e = current(r#"{"manifest": 5}"#, &mut ()).unwrap_err();
        assert!(
            matches!(&e, BundleError::Malformed { detail } if detail.starts_with("manifest: ")),
            "{e:?}"
        );
        let e = current(r#"{"responses": null, "manifest": {}}"#, &mut ()).unwrap_err();
        assert!(
            matches!(&e, BundleError::Malformed { detail } if detail.starts_with("responses: ")),
            "{e:?}"
        );
    }
}
