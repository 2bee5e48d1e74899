//! Checks on the typed records: every id present, short and unique within
//! its kind, photos real images, published questionnaires valid.

use std::collections::HashSet;
use std::hash::Hash;

use super::error::{BundleError, Limit};
use super::limits::{text_fits, too_large, MAX_ID_CHARS};
use super::{Contents, RecordKind};
use crate::domain::validation::validate;
use crate::domain::VersionStatus;

/// The checks [`super::parse_bundle`] runs on a file's typed records, for
/// records that arrive typed by another way (an opened inbox answer): one
/// home, so an answer is held to exactly what an imported file is.
pub fn check_contents(c: &Contents) -> Result<(), BundleError> {
    ids(c)?;
    unique(
        RecordKind::Questionnaire,
        &c.questionnaires,
        |q| (q.id.as_str(), q.version),
        |q| format!("{} v{}", q.id, q.version),
    )?;
    unique(
        RecordKind::Response,
        &c.responses,
        |r| r.id,
        |r| r.id.to_string(),
    )?;
    unique(
        RecordKind::Location,
        &c.locations,
        |l| l.id.as_str(),
        |l| l.id.clone(),
    )?;
    unique(
        RecordKind::Employee,
        &c.employees,
        |e| e.id.as_str(),
        |e| e.id.clone(),
    )?;
    unique(
        RecordKind::Action,
        &c.actions,
        |a| a.id,
        |a| a.id.to_string(),
    )?;
    unique(RecordKind::Photo, &c.photos, |p| p.id, |p| p.id.to_string())?;
    for p in &c.photos {
        p.check().map_err(|problem| BundleError::BadPhoto {
            id: p.id.to_string(),
            problem,
        })?;
    }
    for q in &c.questionnaires {
        // A draft is work in progress and may be incomplete; it is backed up
        // as it is. Only what responses can name has to be valid.
        if q.status == VersionStatus::Published {
            let issues = validate(q);
            if !issues.is_empty() {
                return Err(BundleError::InvalidQuestionnaire {
                    id: q.id.clone(),
                    version: q.version,
                    issues,
                });
            }
        }
    }
    Ok(())
}

/// `shown` names a duplicate in the message; only built for one.
fn unique<'a, T, K: Hash + Eq>(
    kind: RecordKind,
    records: &'a [T],
    key: impl Fn(&'a T) -> K,
    shown: impl Fn(&'a T) -> String,
) -> Result<(), BundleError> {
    let mut seen = HashSet::with_capacity(records.len());
    for r in records {
        if !seen.insert(key(r)) {
            return Err(BundleError::DuplicateId { kind, id: shown(r) });
        }
    }
    Ok(())
}

/// Primary keys must be present; every id, primary or a reference, short.
fn ids(c: &Contents) -> Result<(), BundleError> {
    for (i, q) in c.questionnaires.iter().enumerate() {
        let at = || format!("questionnaires[{i}]");
        required(RecordKind::Questionnaire, i, &q.id, at)?;
        for s in &q.sections {
            reference(&s.id, at)?;
            for question in &s.questions {
                reference(&question.id, at)?;
                for o in &question.options {
                    reference(&o.id, at)?;
                }
            }
        }
    }
    for (i, r) in c.responses.iter().enumerate() {
        let at = || format!("responses[{i}]");
        required(RecordKind::Response, i, &r.questionnaire_id, at)?;
        reference(&r.location_id, at)?;
        reference(&r.device_id, at)?;
        for e in &r.employee_ids {
            reference(e, at)?;
        }
    }
    for (i, l) in c.locations.iter().enumerate() {
        required(RecordKind::Location, i, &l.id, || format!("locations[{i}]"))?;
    }
    for (i, e) in c.employees.iter().enumerate() {
        let at = || format!("employees[{i}]");
        required(RecordKind::Employee, i, &e.id, at)?;
        reference(&e.location_id, at)?;
    }
    for (i, a) in c.actions.iter().enumerate() {
        let at = || format!("actions[{i}]");
        required(RecordKind::Action, i, &a.question_id, at)?;
        reference(&a.location_id, at)?;
    }
    for (i, p) in c.photos.iter().enumerate() {
        reference(&p.question_id, || format!("photos[{i}]"))?;
    }
    for (i, name) in c.settings.keys().enumerate() {
        required(RecordKind::Setting, i, name, || "settings".to_owned())?;
    }
    Ok(())
}

/// An id the record cannot do without. A response's questionnaire and an
/// action's item count as such: without them the record means nothing.
/// `at` names the place, built only for the message.
fn required(
    kind: RecordKind,
    index: usize,
    id: &str,
    at: impl Fn() -> String,
) -> Result<(), BundleError> {
    if id.trim().is_empty() {
        return Err(BundleError::EmptyId { kind, index });
    }
    reference(id, at)
}

fn reference(id: &str, at: impl Fn() -> String) -> Result<(), BundleError> {
    if text_fits(id, MAX_ID_CHARS) {
        Ok(())
    } else {
        Err(too_large(
            Limit::IdLength,
            id.chars().count(),
            MAX_ID_CHARS as u64,
            at(),
        ))
    }
}
