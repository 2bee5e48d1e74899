//! Merging an imported bundle into what this device stores, as a pure
//! function: [`merge`] says which records to put and why, and the browser
//! layer writes [`Changes`] in one IndexedDB transaction, so a file is
//! imported whole or not at all.
//!
//! Rules, per record key (UUID for responses and actions, id for locations,
//! employees, photos and settings, id + version for questionnaires):
//!
//! * not stored → added;
//! * stored and equal → skipped, so importing a file twice changes nothing;
//! * records with a change time (responses, employees, actions): the newer
//!   copy wins, an older one never replaces a newer one; equal times with
//!   different content are a conflict, except a response that differs only
//!   in status, where the one further along (exported > submitted > draft)
//!   wins;
//! * questionnaires: a published version is immutable, so a different copy
//!   of it is a conflict; a published copy replaces a stored draft of the
//!   same version; two different drafts are a conflict;
//! * locations and photos carry no change time: a different copy is a
//!   conflict;
//! * settings belong to the device: a file adds missing ones and never
//!   changes existing ones.
//!
//! A conflict keeps both copies: the stored record stays where it is and
//! the file's copy is put into a separate list of [`Conflict`]s, keyed by
//! kind, id and a digest of the file's copy. Re-importing the same file
//! finds that key and records nothing new; the UI shows both copies and lets
//! the user choose.
//!
//! Responses naming a questionnaire version that is neither stored nor in
//! the file, and photos or actions of a response that is neither, are
//! rejected with the reason: they could not be shown or scored.

mod report;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::bundle::{record_digest, Bundle, Contents, PhotoRecord, RecordKind, Settings};
use crate::domain::{
    CorrectiveAction, Employee, Location, Questionnaire, Response, ResponseStatus, VersionStatus,
};

pub use report::{ConflictReason, KindReport, MergeReport, RejectReason, SkipReason};

/// What the device stores, as far as a merge needs to know.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub contents: Contents,
    pub conflicts: Vec<Conflict>,
}

/// One record of any kind but settings, for keeping a conflicting copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub enum Record {
    Questionnaire(Questionnaire),
    Response(Response),
    Location(Location),
    Employee(Employee),
    Action(CorrectiveAction),
    Photo(PhotoRecord),
}

impl Record {
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::Questionnaire(_) => RecordKind::Questionnaire,
            Record::Response(_) => RecordKind::Response,
            Record::Location(_) => RecordKind::Location,
            Record::Employee(_) => RecordKind::Employee,
            Record::Action(_) => RecordKind::Action,
            Record::Photo(_) => RecordKind::Photo,
        }
    }
}

/// A copy from a file that could not replace the stored record, kept beside
/// it until the user chooses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// `<kind>:<id>:<digest>`, the same for the same copy of the same
    /// record however often it is imported.
    pub key: String,
    /// The record's id as the report shows it.
    pub id: String,
    pub reason: ConflictReason,
    /// The device that wrote the file.
    pub from_device: String,
    pub incoming: Record,
}

/// Records to put, each replacing any stored record with the same key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub questionnaires: Vec<Questionnaire>,
    pub responses: Vec<Response>,
    pub locations: Vec<Location>,
    pub employees: Vec<Employee>,
    pub actions: Vec<CorrectiveAction>,
    pub photos: Vec<PhotoRecord>,
    pub settings: Settings,
    pub conflicts: Vec<Conflict>,
}

impl Changes {
    pub fn len(&self) -> usize {
        self.questionnaires.len()
            + self.responses.len()
            + self.locations.len()
            + self.employees.len()
            + self.actions.len()
            + self.photos.len()
            + self.settings.len()
            + self.conflicts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Puts every record into `snapshot` by key, as the store does: the
    /// reference for the browser layer, and how the tests import.
    pub fn apply_to(&self, snapshot: &mut Snapshot) {
        let c = &mut snapshot.contents;
        upsert(&mut c.questionnaires, &self.questionnaires, |q| {
            (q.id.clone(), q.version)
        });
        upsert(&mut c.responses, &self.responses, |r| r.id);
        upsert(&mut c.locations, &self.locations, |l| l.id.clone());
        upsert(&mut c.employees, &self.employees, |e| e.id.clone());
        upsert(&mut c.actions, &self.actions, |a| a.id);
        upsert(&mut c.photos, &self.photos, |p| p.id);
        for (k, v) in &self.settings {
            c.settings.insert(k.clone(), v.clone());
        }
        upsert(&mut snapshot.conflicts, &self.conflicts, |x| x.key.clone());
    }
}

fn upsert<T: Clone, K: std::hash::Hash + Eq>(
    stored: &mut Vec<T>,
    put: &[T],
    key: impl Fn(&T) -> K,
) {
    let mut at: HashMap<K, usize> = stored
        .iter()
        .enumerate()
        .map(|(i, r)| (key(r), i))
        .collect();
    for r in put {
        match at.get(&key(r)) {
            Some(&i) => stored[i] = r.clone(),
            None => {
                at.insert(key(r), stored.len());
                stored.push(r.clone());
            }
        }
    }
}

enum Outcome {
    Add,
    Update,
    Skip(SkipReason),
    Conflict(ConflictReason),
}

/// Merges `incoming` into `current`; see the module docs for the rules.
pub fn merge(current: &Snapshot, incoming: &Bundle) -> (Changes, MergeReport) {
    match merge_except(current, incoming, &HashSet::new()) {
        Ok(merged) => merged,
        // Only a written response can disagree, and none was.
        Err(_) => unreachable!("no response was written"),
    }
}

/// [`merge`] of a file whose responses `written` are already put: they are
/// reported (added or updated) but not copied into the changes again.
/// `Err` names one that [`merge`] would not put: the caller must then
/// store nothing.
fn merge_except(
    current: &Snapshot,
    incoming: &Bundle,
    written: &HashSet<Uuid>,
) -> Result<(Changes, MergeReport), Uuid> {
    let mut m = Merger {
        changes: Changes::default(),
        report: MergeReport::default(),
        recorded: current.conflicts.iter().map(|c| c.key.as_str()).collect(),
        from_device: &incoming.manifest.device_id,
    };
    let (cur, inc) = (&current.contents, &incoming.contents);

    let stored: HashMap<(&str, u32), &Questionnaire> = cur
        .questionnaires
        .iter()
        .map(|q| ((q.id.as_str(), q.version), q))
        .collect();
    for q in &inc.questionnaires {
        let outcome = questionnaire(stored.get(&(q.id.as_str(), q.version)).copied(), q);
        let id = format!("{} v{}", q.id, q.version);
        m.apply(
            RecordKind::Questionnaire,
            id,
            outcome,
            q,
            |c| &mut c.questionnaires,
            Record::Questionnaire,
        );
    }

    let versions: HashSet<(&str, u32)> = cur
        .questionnaires
        .iter()
        .chain(&inc.questionnaires)
        .map(|q| (q.id.as_str(), q.version))
        .collect();
    let stored: HashMap<Uuid, &Response> = cur.responses.iter().map(|r| (r.id, r)).collect();
    let mut known_responses: HashSet<Uuid> = stored.keys().copied().collect();
    for r in &inc.responses {
        let outcome = response(stored.get(&r.id).copied(), r);
        let missing = !versions.contains(&(r.questionnaire_id.as_str(), r.questionnaire_version));
        if written.contains(&r.id) {
            let report = m.report.kind_mut(RecordKind::Response);
            match outcome {
                Outcome::Add if !missing => report.added.push(r.id.to_string()),
                Outcome::Update if !missing => report.updated.push(r.id.to_string()),
                _ => return Err(r.id),
            }
            known_responses.insert(r.id);
            continue;
        }
        if missing && !matches!(outcome, Outcome::Skip(_)) {
            m.report.kind_mut(RecordKind::Response).rejected.push((
                r.id.to_string(),
                RejectReason::UnknownQuestionnaire {
                    id: r.questionnaire_id.clone(),
                    version: r.questionnaire_version,
                },
            ));
            continue;
        }
        known_responses.insert(r.id);
        m.apply(
            RecordKind::Response,
            r.id.to_string(),
            outcome,
            r,
            |c| &mut c.responses,
            Record::Response,
        );
    }

    let stored: HashMap<&str, &Location> =
        cur.locations.iter().map(|l| (l.id.as_str(), l)).collect();
    for l in &inc.locations {
        let outcome = untimed(stored.get(l.id.as_str()).copied(), l);
        m.apply(
            RecordKind::Location,
            l.id.clone(),
            outcome,
            l,
            |c| &mut c.locations,
            Record::Location,
        );
    }

    let stored: HashMap<&str, &Employee> =
        cur.employees.iter().map(|e| (e.id.as_str(), e)).collect();
    for e in &inc.employees {
        let outcome = timed(stored.get(e.id.as_str()).copied(), e, |e| {
            e.updated_at.utc_ms
        });
        m.apply(
            RecordKind::Employee,
            e.id.clone(),
            outcome,
            e,
            |c| &mut c.employees,
            Record::Employee,
        );
    }

    let stored: HashMap<Uuid, &CorrectiveAction> = cur.actions.iter().map(|a| (a.id, a)).collect();
    for a in &inc.actions {
        let outcome = timed(stored.get(&a.id).copied(), a, |a| a.updated_at.utc_ms);
        if m.orphan(
            RecordKind::Action,
            a.id.to_string(),
            &outcome,
            a.response_id,
            &known_responses,
        ) {
            continue;
        }
        m.apply(
            RecordKind::Action,
            a.id.to_string(),
            outcome,
            a,
            |c| &mut c.actions,
            Record::Action,
        );
    }

    let stored: HashMap<Uuid, &PhotoRecord> = cur.photos.iter().map(|p| (p.id, p)).collect();
    for p in &inc.photos {
        let outcome = untimed(stored.get(&p.id).copied(), p);
        let id = p.id.to_string();
        if m.orphan(
            RecordKind::Photo,
            id.clone(),
            &outcome,
            p.response_id,
            &known_responses,
        ) {
            continue;
        }
        m.apply(
            RecordKind::Photo,
            id,
            outcome,
            p,
            |c| &mut c.photos,
            Record::Photo,
        );
    }

    for (name, value) in &inc.settings {
        let report = m.report.kind_mut(RecordKind::Setting);
        match cur.settings.get(name) {
            None => {
                m.changes.settings.insert(name.clone(), value.clone());
                report.added.push(name.clone());
            }
            Some(v) if v == value => report.skipped.push((name.clone(), SkipReason::Unchanged)),
            Some(_) => report
                .skipped
                .push((name.clone(), SkipReason::LocalSettingKept)),
        }
    }
    Ok((m.changes, m.report))
}

struct Merger<'a> {
    changes: Changes,
    report: MergeReport,
    /// Conflict keys already stored.
    recorded: HashSet<&'a str>,
    from_device: &'a str,
}

impl Merger<'_> {
    fn apply<T: Clone + Serialize>(
        &mut self,
        kind: RecordKind,
        id: String,
        outcome: Outcome,
        record: &T,
        list: fn(&mut Changes) -> &mut Vec<T>,
        wrap: fn(T) -> Record,
    ) {
        let report = self.report.kind_mut(kind);
        match outcome {
            Outcome::Add => {
                list(&mut self.changes).push(record.clone());
                report.added.push(id);
            }
            Outcome::Update => {
                list(&mut self.changes).push(record.clone());
                report.updated.push(id);
            }
            Outcome::Skip(reason) => report.skipped.push((id, reason)),
            Outcome::Conflict(reason) => {
                let key = format!("{}:{id}:{}", kind.field(), &record_digest(record)[..16]);
                if self.recorded.contains(key.as_str()) {
                    report
                        .skipped
                        .push((id, SkipReason::ConflictAlreadyRecorded));
                    return;
                }
                report.conflicts.push((id.clone(), reason));
                self.changes.conflicts.push(Conflict {
                    key,
                    id,
                    reason,
                    from_device: self.from_device.to_owned(),
                    incoming: wrap(record.clone()),
                });
            }
        }
    }

    /// Rejects a new photo or action whose response is nowhere; true when
    /// it did.
    fn orphan(
        &mut self,
        kind: RecordKind,
        id: String,
        outcome: &Outcome,
        response: Uuid,
        known: &HashSet<Uuid>,
    ) -> bool {
        if matches!(outcome, Outcome::Skip(_)) || known.contains(&response) {
            return false;
        }
        self.report.kind_mut(kind).rejected.push((
            id,
            RejectReason::UnknownResponse {
                id: response.to_string(),
            },
        ));
        true
    }
}

fn timed<T: PartialEq>(stored: Option<&T>, incoming: &T, time: impl Fn(&T) -> i64) -> Outcome {
    match stored {
        None => Outcome::Add,
        Some(s) if s == incoming => Outcome::Skip(SkipReason::Unchanged),
        Some(s) => match time(incoming).cmp(&time(s)) {
            std::cmp::Ordering::Greater => Outcome::Update,
            std::cmp::Ordering::Less => Outcome::Skip(SkipReason::OlderThanStored),
            std::cmp::Ordering::Equal => {
                Outcome::Conflict(ConflictReason::SameTimeDifferentContent)
            }
        },
    }
}

fn untimed<T: PartialEq>(stored: Option<&T>, incoming: &T) -> Outcome {
    match stored {
        None => Outcome::Add,
        Some(s) if s == incoming => Outcome::Skip(SkipReason::Unchanged),
        Some(_) => Outcome::Conflict(ConflictReason::Differs),
    }
}

fn status_rank(s: ResponseStatus) -> u8 {
    match s {
        ResponseStatus::Draft => 0,
        ResponseStatus::Submitted => 1,
        ResponseStatus::Exported => 2,
    }
}

/// Marking a response exported may leave its change time alone; the copy
/// further along wins then instead of raising a conflict.
fn response(stored: Option<&Response>, incoming: &Response) -> Outcome {
    let outcome = timed(stored, incoming, |r| r.updated_at.utc_ms);
    let (Outcome::Conflict(_), Some(s)) = (&outcome, stored) else {
        return outcome;
    };
    let same_but_status = Response {
        status: incoming.status,
        ..s.clone()
    } == *incoming;
    match (
        same_but_status,
        status_rank(incoming.status).cmp(&status_rank(s.status)),
    ) {
        (true, std::cmp::Ordering::Greater) => Outcome::Update,
        (true, _) => Outcome::Skip(SkipReason::StatusBehind),
        (false, _) => outcome,
    }
}

fn questionnaire(stored: Option<&Questionnaire>, incoming: &Questionnaire) -> Outcome {
    use VersionStatus::{Draft, Published};
    let Some(s) = stored else {
        return Outcome::Add;
    };
    if s == incoming {
        return Outcome::Skip(SkipReason::Unchanged);
    }
    let same_but_status = Questionnaire {
        status: incoming.status,
        ..s.clone()
    } == *incoming;
    match (s.status, incoming.status) {
        (Published, Draft) if same_but_status => Outcome::Skip(SkipReason::StoredIsPublished),
        (Published, _) => Outcome::Conflict(ConflictReason::PublishedVersionDiffers),
        (Draft, Published) => Outcome::Update,
        (Draft, Draft) => Outcome::Conflict(ConflictReason::DraftsDiffer),
    }
}

/// The responses of a file that [`merge`] will certainly put, told one at a
/// time while the file is read, so the import can write them before the
/// rest of the file is read (src/storage/import.rs). The same rule as
/// [`merge`] against the same stored copy: added or newer, of a
/// questionnaire version stored, built in or already read from the file.
/// A response answering a version the file lists later is left to
/// [`merge`], which may still reject it.
pub struct EarlyResponses<'a> {
    stored: HashMap<Uuid, &'a Response>,
    versions: HashSet<(String, u32)>,
    taken: HashSet<Uuid>,
}

impl<'a> EarlyResponses<'a> {
    pub fn new(current: &'a Snapshot) -> Self {
        let c = &current.contents;
        EarlyResponses {
            stored: c.responses.iter().map(|r| (r.id, r)).collect(),
            versions: c
                .questionnaires
                .iter()
                .map(|q| (q.id.clone(), q.version))
                .collect(),
            taken: HashSet::new(),
        }
    }

    /// The file's questionnaire versions, known from now on.
    pub fn questionnaires(&mut self, file: &[Questionnaire]) {
        self.versions
            .extend(file.iter().map(|q| (q.id.clone(), q.version)));
    }

    /// True when `r` is to be put now; remembered for [`Self::rest`].
    pub fn take(&mut self, r: &Response) -> bool {
        let known = self
            .versions
            .contains(&(r.questionnaire_id.clone(), r.questionnaire_version));
        known
            && !self.taken.contains(&r.id)
            && matches!(
                response(self.stored.get(&r.id).copied(), r),
                Outcome::Add | Outcome::Update
            )
            && self.taken.insert(r.id)
    }

    /// How many were taken.
    pub fn len(&self) -> usize {
        self.taken.len()
    }

    pub fn is_empty(&self) -> bool {
        self.taken.is_empty()
    }

    /// [`merge`] of the file the taken responses came from, without them
    /// in the changes (they are put already) but with them in the report.
    /// `Err` names a taken response [`merge`] would not put, which would
    /// mean the two rules disagree: the caller must then store nothing.
    /// The same as [`Self::rest`] of [`merge`], without copying every
    /// taken response only to drop it.
    pub fn merge_rest(
        &self,
        current: &Snapshot,
        incoming: &Bundle,
    ) -> Result<(Changes, MergeReport), Uuid> {
        merge_except(current, incoming, &self.taken)
    }

    /// `changes` without the responses already taken. `Err` names a taken
    /// response that `changes` does not put, which would mean the two rules
    /// disagree: the caller must then store nothing.
    pub fn rest(&self, mut changes: Changes) -> Result<Changes, Uuid> {
        let before = changes.responses.len();
        changes.responses.retain(|r| !self.taken.contains(&r.id));
        if before - changes.responses.len() == self.taken.len() {
            return Ok(changes);
        }
        let put: HashSet<Uuid> = changes.responses.iter().map(|r| r.id).collect();
        let missing = self.taken.iter().find(|id| !put.contains(id));
        Err(missing.copied().unwrap_or_default())
    }
}
