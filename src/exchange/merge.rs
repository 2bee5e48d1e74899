//! Merging an imported bundle into what this device stores, as a pure
//! function: [`merge`] says which records to put and why, and the browser
//! layer writes [`Changes`] in one IndexedDB transaction, so a file is
//! imported whole or not at all.
//!
//! Rules, per record key (UUID for responses and actions, id for locations,
//! employees, photos and settings, id + version for questionnaires), each
//! an application of the trust model in [`super::trust`]:
//!
//! * not stored → added; stored and equal → skipped, so importing a file
//!   twice changes nothing;
//! * a record dated later than this device's clock allows is rejected;
//! * responses: a submitted one is final — a copy that differs only in
//!   status is taken when it is further along (exported > submitted), any
//!   other difference is rejected. A stored draft gives way to its author's
//!   later copy; a draft copy by another device is a conflict. A correction
//!   (`supersedes`) of a response of another questionnaire or device is
//!   rejected, an accepted one is listed as a replacement;
//! * employees and actions: from this device's own file (one clock) the
//!   newer copy wins; from another device a different copy is a conflict,
//!   except an action's next status step, which is taken; a step skipped is
//!   rejected and a step back skipped;
//! * questionnaires: built-in templates are never taken from a file; a
//!   published version is immutable, so a different copy of it is a
//!   conflict; a file never overwrites a stored draft nor adds a version of
//!   a questionnaire the device is drafting (a conflict);
//! * locations and photos carry no change time: a different copy is a
//!   conflict;
//! * photos and actions attach only to a response in the same file or one
//!   written by the file's device;
//! * settings are device-local and are never taken.
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
//!
//! The merge knows who receives the file ([`Receiver`]): this device's id,
//! to tell its own backups (one clock) from other devices' files, and its
//! clock, to refuse times from the future.

mod report;
mod resolve;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::bundle::{record_digest, Bundle, Contents, PhotoRecord, RecordKind, Settings};
use super::trust::{self, Step};
use crate::domain::{
    CorrectiveAction, Employee, Location, Questionnaire, Response, ResponseStatus, Timestamp,
    VersionStatus,
};

pub use report::{ConflictReason, KindReport, MergeReport, RejectReason, SkipReason};
pub use resolve::{differing_fields, stored_counterpart, Choice};

/// The device a file is imported on: its id and its clock.
#[derive(Debug, Clone, Copy)]
pub struct Receiver<'a> {
    pub device_id: &'a str,
    pub now: Timestamp,
}

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
    /// Records to delete. A file never removes anything; team sync does,
    /// when a peer deleted a store or a member of staff this device had
    /// left as it was (`crate::sync::replica`).
    pub removed: Removed,
}

/// The keys of the records a [`Changes`] deletes: only the kinds a person
/// deletes and whose deletion is shared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed {
    pub locations: Vec<String>,
    pub employees: Vec<String>,
}

impl Removed {
    pub fn len(&self) -> usize {
        self.locations.len() + self.employees.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Changes {
    pub fn len(&self) -> usize {
        self.removed.len()
            + self.questionnaires.len()
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
        c.locations
            .retain(|l| !self.removed.locations.contains(&l.id));
        c.employees
            .retain(|e| !self.removed.employees.contains(&e.id));
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
    Reject(RejectReason),
}

/// Merges `incoming` into `current` on the device `here`; see the module
/// docs for the rules.
pub fn merge(current: &Snapshot, incoming: &Bundle, here: Receiver) -> (Changes, MergeReport) {
    match merge_except(current, incoming, here, &HashSet::new()) {
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
    here: Receiver,
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
    let drafting: HashSet<&str> = cur
        .questionnaires
        .iter()
        .filter(|q| q.status == VersionStatus::Draft)
        .map(|q| q.id.as_str())
        .collect();
    for q in &inc.questionnaires {
        let stored_copy = stored.get(&(q.id.as_str(), q.version)).copied();
        let outcome = questionnaire(stored_copy, q, drafting.contains(q.id.as_str()));
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
    let stored_responses: HashMap<Uuid, &Response> =
        cur.responses.iter().map(|r| (r.id, r)).collect();
    let stored = &stored_responses;
    let in_file: HashMap<Uuid, &Response> = inc.responses.iter().map(|r| (r.id, r)).collect();
    let mut known_responses: HashSet<Uuid> = stored.keys().copied().collect();
    for r in &inc.responses {
        let original = r
            .supersedes
            .and_then(|o| in_file.get(&o).or_else(|| stored.get(&o)).copied());
        let outcome = match response(stored.get(&r.id).copied(), r) {
            _ if trust::in_future(trust::latest_time(r), here.now) => {
                Outcome::Reject(RejectReason::InFuture)
            }
            Outcome::Add | Outcome::Update if original.is_some_and(|o| !r.may_supersede(o)) => {
                Outcome::Reject(RejectReason::ForeignCorrection {
                    original: r.supersedes.unwrap_or_default().to_string(),
                })
            }
            outcome => outcome,
        };
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
        if missing
            && matches!(
                outcome,
                Outcome::Add | Outcome::Update | Outcome::Conflict(_)
            )
        {
            m.report.kind_mut(RecordKind::Response).rejected.push((
                r.id.to_string(),
                RejectReason::UnknownQuestionnaire {
                    id: r.questionnaire_id.clone(),
                    version: r.questionnaire_version,
                },
            ));
            continue;
        }
        // A rejected response is nothing photos or actions may attach to.
        if !matches!(outcome, Outcome::Reject(_)) {
            known_responses.insert(r.id);
        }
        if let (Some(o), false, Outcome::Add | Outcome::Update) = (original, r.is_draft(), &outcome)
        {
            m.report
                .kind_mut(RecordKind::Response)
                .replacements
                .push((r.id.to_string(), o.id.to_string()));
        }
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
    let one_clock = trust::same_clock(&incoming.manifest.device_id, here.device_id);
    for e in &inc.employees {
        let outcome = if trust::in_future(e.updated_at, here.now) {
            Outcome::Reject(RejectReason::InFuture)
        } else {
            timed(stored.get(e.id.as_str()).copied(), e, one_clock, |e| {
                e.updated_at.utc_ms
            })
        };
        m.apply(
            RecordKind::Employee,
            e.id.clone(),
            outcome,
            e,
            |c| &mut c.employees,
            Record::Employee,
        );
    }

    let origin = Origin {
        known: &known_responses,
        in_file: &in_file,
        stored: &stored_responses,
        device: &incoming.manifest.device_id,
    };
    for a in &inc.actions {
        let outcome = if trust::in_future(a.updated_at, here.now)
            || trust::in_future(a.created_at, here.now)
        {
            Outcome::Reject(RejectReason::InFuture)
        } else {
            action(stored_action(&cur.actions, a.id), a, one_clock)
        };
        if m.orphan(
            RecordKind::Action,
            a.id.to_string(),
            &outcome,
            a.response_id,
            &origin,
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

    let stored_photos: HashMap<Uuid, &PhotoRecord> = cur.photos.iter().map(|p| (p.id, p)).collect();
    for p in &inc.photos {
        let outcome = if trust::in_future(p.taken_at, here.now) {
            Outcome::Reject(RejectReason::InFuture)
        } else {
            untimed(stored_photos.get(&p.id).copied(), p)
        };
        let id = p.id.to_string();
        if m.orphan(
            RecordKind::Photo,
            id.clone(),
            &outcome,
            p.response_id,
            &origin,
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
            _ if !trust::setting_travels(name) => report
                .skipped
                .push((name.clone(), SkipReason::DeviceLocalSetting)),
            None => {
                m.changes.settings.insert(name.clone(), value.clone());
                report.added.push(name.clone());
            }
            Some(v) if v == value => report.skipped.push((name.clone(), SkipReason::Unchanged)),
            Some(_) => report
                .skipped
                .push((name.clone(), SkipReason::DeviceLocalSetting)),
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
            Outcome::Reject(reason) => report.rejected.push((id, reason)),
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

    /// Rejects a new photo or action whose response is nowhere, or one of
    /// another device not in the file (`trust::may_attach`); true when it
    /// did.
    fn orphan(
        &mut self,
        kind: RecordKind,
        id: String,
        outcome: &Outcome,
        response: Uuid,
        origin: &Origin,
    ) -> bool {
        if matches!(outcome, Outcome::Skip(_) | Outcome::Reject(_)) {
            return false;
        }
        let reason = if !origin.known.contains(&response) {
            RejectReason::UnknownResponse {
                id: response.to_string(),
            }
        } else {
            let in_file = origin.in_file.contains_key(&response);
            let attaches = match origin
                .in_file
                .get(&response)
                .or(origin.stored.get(&response))
            {
                Some(r) => trust::may_attach(r, in_file, origin.device),
                None => in_file,
            };
            if attaches {
                return false;
            }
            RejectReason::ForeignResponse {
                id: response.to_string(),
            }
        };
        self.report.kind_mut(kind).rejected.push((id, reason));
        true
    }
}

/// Where the responses a photo or an action may attach to come from.
struct Origin<'a> {
    /// Responses stored or taken from the file.
    known: &'a HashSet<Uuid>,
    in_file: &'a HashMap<Uuid, &'a Response>,
    stored: &'a HashMap<Uuid, &'a Response>,
    /// The device that wrote the file.
    device: &'a str,
}

fn stored_action(stored: &[CorrectiveAction], id: Uuid) -> Option<&CorrectiveAction> {
    stored.iter().find(|a| a.id == id)
}

/// A record with a change time: the later change wins only when both copies
/// were stamped by one clock (`one_clock`); otherwise two different copies
/// are a conflict for a person to decide.
fn timed<T: PartialEq>(
    stored: Option<&T>,
    incoming: &T,
    one_clock: bool,
    time: impl Fn(&T) -> i64,
) -> Outcome {
    match stored {
        None => Outcome::Add,
        Some(s) if s == incoming => Outcome::Skip(SkipReason::Unchanged),
        Some(_) if !one_clock => Outcome::Conflict(ConflictReason::OtherDevice),
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

/// A response's copy against the stored one. A submitted response is
/// final: only its status moves on. A draft gives way to its own author's
/// later copy (one clock); another device's different draft is a conflict.
fn response(stored: Option<&Response>, incoming: &Response) -> Outcome {
    let Some(s) = stored else {
        return Outcome::Add;
    };
    if s == incoming {
        return Outcome::Skip(SkipReason::Unchanged);
    }
    let same_but_status = Response {
        status: incoming.status,
        ..s.clone()
    } == *incoming;
    if same_but_status {
        return match status_rank(incoming.status).cmp(&status_rank(s.status)) {
            std::cmp::Ordering::Greater => Outcome::Update,
            _ => Outcome::Skip(SkipReason::StatusBehind),
        };
    }
    if !s.is_draft() {
        return Outcome::Reject(RejectReason::SubmittedIsFinal);
    }
    timed(
        stored,
        incoming,
        trust::same_clock(&s.device_id, &incoming.device_id),
        |r| r.updated_at.utc_ms,
    )
}

/// An action's copy against the stored one: the next status step is taken
/// from anyone (it only moves forward), a skipped step never, a step back
/// is an old copy; any other difference follows [`timed`].
fn action(
    stored: Option<&CorrectiveAction>,
    incoming: &CorrectiveAction,
    one_clock: bool,
) -> Outcome {
    let Some(s) = stored else {
        return Outcome::Add;
    };
    if s == incoming {
        return Outcome::Skip(SkipReason::Unchanged);
    }
    let same_but_status = CorrectiveAction {
        status: incoming.status,
        updated_at: incoming.updated_at,
        ..s.clone()
    } == *incoming;
    match trust::action_step(s.status, incoming.status) {
        Step::Skips => Outcome::Reject(RejectReason::StatusStep),
        Step::Back => Outcome::Skip(SkipReason::StatusBehind),
        Step::Next if same_but_status => Outcome::Update,
        Step::Next | Step::Same => timed(stored, incoming, one_clock, |a| a.updated_at.utc_ms),
    }
}

/// A questionnaire version against the stored one; `drafting` when this
/// device holds a draft of the same questionnaire id.
fn questionnaire(
    stored: Option<&Questionnaire>,
    incoming: &Questionnaire,
    drafting: bool,
) -> Outcome {
    use VersionStatus::{Draft, Published};
    if trust::is_built_in(&incoming.id) {
        return match crate::templates::find(&incoming.id, incoming.version) {
            Some(b) if b == *incoming => Outcome::Skip(SkipReason::Unchanged),
            _ => Outcome::Reject(RejectReason::BuiltInTemplate),
        };
    }
    let Some(s) = stored else {
        return if drafting {
            Outcome::Conflict(ConflictReason::DraftKept)
        } else {
            Outcome::Add
        };
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
        (Draft, Published) => Outcome::Conflict(ConflictReason::DraftKept),
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
    here: Receiver<'a>,
    stored: HashMap<Uuid, &'a Response>,
    versions: HashSet<(String, u32)>,
    taken: HashSet<Uuid>,
}

impl<'a> EarlyResponses<'a> {
    pub fn new(current: &'a Snapshot, here: Receiver<'a>) -> Self {
        let c = &current.contents;
        EarlyResponses {
            here,
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
        // A correction waits for the merge, which sees its original.
        known
            && r.supersedes.is_none()
            && !trust::in_future(trust::latest_time(r), self.here.now)
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
        merge_except(current, incoming, self.here, &self.taken)
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
