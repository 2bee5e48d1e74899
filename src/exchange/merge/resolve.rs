//! A person's choice between the two copies of a [`Conflict`]: this
//! device's record, or the copy a file or a peer brought. The merge never
//! decides these (no clock may, see the module docs of [`super`]); the
//! conflicts screen shows both and stores the choice.

use serde_json::Value;

use super::{Changes, Conflict, ConflictReason, Record};
use crate::exchange::bundle::Contents;

/// What the person chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    KeepThisDevice,
    TakeOther,
}

impl Conflict {
    /// Whether the other copy may replace this device's: never for a
    /// published version, which stored responses rest on (a changed one
    /// is a new version).
    pub fn may_take_other(&self) -> bool {
        self.reason != ConflictReason::PublishedVersionDiffers
    }

    /// What `choice` stores: nothing to keep this device's copy, the other
    /// copy to take it; `None` when the other copy may not be taken. The
    /// conflict itself goes either way.
    pub fn resolve(&self, choice: Choice) -> Option<Changes> {
        let mut changes = Changes::default();
        match choice {
            Choice::KeepThisDevice => {}
            Choice::TakeOther if self.may_take_other() => match self.incoming.clone() {
                Record::Questionnaire(q) => changes.questionnaires.push(q),
                Record::Response(r) => changes.responses.push(r),
                Record::Location(l) => changes.locations.push(l),
                Record::Employee(e) => changes.employees.push(e),
                Record::Action(a) => changes.actions.push(a),
                Record::Photo(p) => changes.photos.push(p),
            },
            Choice::TakeOther => return None,
        }
        Some(changes)
    }
}

/// This device's record that `incoming` is the other copy of (the same
/// kind and key), if it still holds one.
pub fn stored_counterpart(contents: &Contents, incoming: &Record) -> Option<Record> {
    Some(match incoming {
        Record::Questionnaire(q) => Record::Questionnaire(
            contents
                .questionnaires
                .iter()
                .find(|x| x.id == q.id && x.version == q.version)?
                .clone(),
        ),
        Record::Response(r) => {
            Record::Response(contents.responses.iter().find(|x| x.id == r.id)?.clone())
        }
        Record::Location(l) => {
            Record::Location(contents.locations.iter().find(|x| x.id == l.id)?.clone())
        }
        Record::Employee(e) => {
            Record::Employee(contents.employees.iter().find(|x| x.id == e.id)?.clone())
        }
        Record::Action(a) => {
            Record::Action(contents.actions.iter().find(|x| x.id == a.id)?.clone())
        }
        Record::Photo(p) => Record::Photo(contents.photos.iter().find(|x| x.id == p.id)?.clone()),
    })
}

/// The fields in which two copies differ, with each copy's value as text
/// (a string as it is, anything else as compact JSON; an absent field is
/// empty), in the record's field order.
pub fn differing_fields(ours: &Record, theirs: &Record) -> Vec<(String, String, String)> {
    let fields = |r: &Record| match serde_json::to_value(r) {
        Ok(Value::Object(mut m)) => match m.remove("record") {
            Some(Value::Object(fields)) => fields,
            _ => Default::default(),
        },
        _ => Default::default(),
    };
    let (a, b) = (fields(ours), fields(theirs));
    let text = |v: Option<&Value>| match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| (k.clone(), text(a.get(k)), text(b.get(k))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Location;
    use crate::exchange::test_data::sample;

    fn conflict(reason: ConflictReason, incoming: Record) -> Conflict {
        Conflict {
            key: "k".into(),
            id: "id".into(),
            reason,
            from_device: "tablet".into(),
            incoming,
        }
    }

    #[test]
    fn taking_the_other_copy_stores_it_and_keeping_stores_nothing() {
        let other = Location {
            id: "loc-1".into(),
            name: "Renamed".into(),
        };
        let c = conflict(ConflictReason::Differs, Record::Location(other.clone()));
        assert_eq!(c.resolve(Choice::KeepThisDevice), Some(Changes::default()));
        let taken = c.resolve(Choice::TakeOther).unwrap();
        assert_eq!(taken.locations, vec![other]);
        assert_eq!(taken.len(), 1);
    }

    #[test]
    fn a_published_version_is_never_replaced() {
        let q = sample().questionnaires[0].clone();
        let c = conflict(
            ConflictReason::PublishedVersionDiffers,
            Record::Questionnaire(q),
        );
        assert!(!c.may_take_other());
        assert_eq!(c.resolve(Choice::TakeOther), None);
        assert_eq!(c.resolve(Choice::KeepThisDevice), Some(Changes::default()));
    }

    #[test]
    fn the_two_copies_are_shown_by_the_fields_that_differ() {
        let contents = sample();
        let mut other = contents.employees[0].clone();
        other.name = "Анна К.".into();
        other.role = String::new();
        let ours = stored_counterpart(&contents, &Record::Employee(other.clone())).unwrap();
        let diff = differing_fields(&ours, &Record::Employee(other));
        assert_eq!(
            diff,
            vec![
                ("name".to_owned(), "Анна".to_owned(), "Анна К.".to_owned()),
                ("role".to_owned(), "кассир".to_owned(), String::new()),
            ]
        );
        let gone = Location {
            id: "nowhere".into(),
            name: String::new(),
        };
        assert_eq!(stored_counterpart(&contents, &Record::Location(gone)), None);
    }
}
