//! The bridge between our records and the revision store (issue 19): which
//! record changes become new revisions, and what a replicated winner makes
//! of a record. Pure: the device keeps, per document, the [`Base`] its
//! record last matched, and asks these functions what to write.
//!
//! **Outgoing.** A record whose document differs from its base (or that
//! has none: a new record) gets one new revision, a child of the base,
//! carrying the base's history ([`outgoing`]). It is written with the
//! replicator's own merge (`put_with_history`), so when a peer has moved
//! the document on meanwhile, the edit becomes a branch beside the peer's
//! and CouchDB's rules pick the winner on every device alike: no change is
//! lost and none silently overwrites another. The revision's hash is a
//! digest of its parent and content, so the same edit made on two devices
//! is one revision, not a conflict.
//!
//! **Incoming.** A winner that arrives is read as a record
//! ([`incoming`], through `documents::from_doc`) and goes through the same
//! checks and merge as an imported file; the device then takes its base
//! only for records the merge took. A record the merge kept as it was (a
//! submitted response a peer tried to change, a location renamed on two
//! devices, which the merge lists as a conflict for a person) keeps its
//! old base, so it is not pushed back as a new edit either: the two copies
//! wait for the person's choice.
//!
//! **Invariant:** a record is written as a new revision only when it
//! differs from the revision it last matched; replicating the same
//! documents again changes nothing.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::documents::{doc_id, from_doc, into_contents, replicates, to_doc, Doc, DocError};
use crate::domain::{CorrectiveAction, Employee, Location, Questionnaire, Response};
use crate::exchange::bundle::{check_contents, Bundle, Contents, Manifest, PhotoRecord};
use crate::exchange::merge::{merge, Changes, MergeReport, Receiver, Record, Snapshot};
use crate::replication::doc::{md5_digest, Attachment, ReplicatedDoc};
use crate::replication::rev::Rev;
use crate::replication::rev_tree::Revisions;

/// What a document's record last matched: the revision with its history
/// (newest first, as `_revisions` carries it), a digest of the document our
/// record makes at that revision, and each attachment's digest and
/// `revpos`, so a picture that has not changed keeps its `revpos` and is
/// not sent again. A deleted base is the deletion the record's removal
/// made or took: a record made again under the same key is its child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Base {
    pub revisions: Revisions,
    pub digest: String,
    pub attachments: BTreeMap<String, (String, u64)>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

impl Base {
    pub fn rev(&self) -> Option<Rev> {
        self.revisions.rev()
    }

    /// The base of a deletion whose history is `revisions`.
    pub fn deletion(revisions: Revisions) -> Base {
        Base {
            revisions,
            // No document's digest: a record made again is a new revision.
            digest: String::new(),
            attachments: BTreeMap::new(),
            deleted: true,
        }
    }

    /// The history of a child `rev` of this base, capped at `revs_limit`.
    pub fn child(&self, rev: &Rev, revs_limit: usize) -> Revisions {
        let mut ids = vec![rev.hash.clone()];
        ids.extend(self.revisions.ids.iter().cloned());
        ids.truncate(revs_limit.max(1));
        Revisions {
            start: rev.pos,
            ids,
        }
    }
}

/// A digest of a document's content: its body (serde_json's maps keep
/// their keys sorted, so the text is canonical) and its attachments'
/// names, types and data digests.
pub fn content_digest(doc: &Doc) -> String {
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(&doc.body).expect("a JSON map serialises"));
    for (name, (content_type, data)) in &doc.attachments {
        h.update([0]);
        h.update(name.as_bytes());
        h.update([0]);
        h.update(content_type.as_bytes());
        h.update([0]);
        h.update(md5_digest(data).as_bytes());
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The new revision `doc` needs over `base`, and the base after it; `None`
/// when the document is what `base` already holds. The history is capped
/// at `revs_limit` entries, as the store stems it.
pub fn outgoing(
    doc: &Doc,
    base: Option<&Base>,
    revs_limit: usize,
) -> Option<(ReplicatedDoc, Base)> {
    let digest = content_digest(doc);
    if base.is_some_and(|b| b.digest == digest) {
        return None;
    }
    let parent = base.and_then(Base::rev);
    let pos = parent.as_ref().map_or(1, |p| p.pos + 1);
    let mut h = Sha256::new();
    h.update(parent.as_ref().map(|p| p.to_string()).unwrap_or_default());
    h.update([0]);
    h.update(digest.as_bytes());
    let hash = hex(&h.finalize()[..16]);
    let rev = Rev::new(pos, hash);
    let revisions = match base {
        Some(b) => b.child(&rev, revs_limit),
        None => Revisions {
            start: pos,
            ids: vec![rev.hash.clone()],
        },
    };
    let mut attachments = BTreeMap::new();
    let mut kept = BTreeMap::new();
    for (name, (content_type, data)) in &doc.attachments {
        let md5 = md5_digest(data);
        let revpos = match base.and_then(|b| b.attachments.get(name)) {
            Some((old, revpos)) if *old == md5 => *revpos,
            _ => pos,
        };
        kept.insert(name.clone(), (md5.clone(), revpos));
        attachments.insert(
            name.clone(),
            Attachment {
                content_type: content_type.clone(),
                digest: md5,
                length: data.len() as u64,
                revpos,
                data: Some(data.clone()),
            },
        );
    }
    let written = ReplicatedDoc {
        id: doc.id.clone(),
        rev,
        revisions: revisions.clone(),
        deleted: false,
        body: doc.body.clone(),
        attachments,
    };
    Some((
        written,
        Base {
            revisions,
            digest,
            attachments: kept,
            deleted: false,
        },
    ))
}

/// A replicated winner as a record, and the base the device takes for it
/// if the merge takes the record: computed from the document the record
/// makes again, so a record taken unchanged is not written back.
pub fn incoming(winner: &ReplicatedDoc) -> Result<(Record, Base), DocError> {
    let record = from_doc(winner)?;
    let ours = to_doc(&record).ok_or(DocError::Draft)?;
    let base = Base {
        revisions: winner.revisions.clone(),
        digest: content_digest(&ours),
        attachments: winner
            .attachments
            .iter()
            .map(|(name, a)| (name.clone(), (a.digest.clone(), a.revpos)))
            .collect(),
        deleted: false,
    };
    Ok((record, base))
}

/// What a pull's winners make of this device's records.
#[derive(Debug, Clone, PartialEq)]
pub struct Taken {
    /// What to store, as an import would: the merge's records and
    /// conflicts.
    pub changes: Changes,
    pub report: MergeReport,
    /// The base of every document whose record the merge took (or already
    /// held as the winner has it).
    pub bases: Vec<(String, Base)>,
    /// Documents that are not one of our records, and why. They stay in
    /// the revision store as the peer sent them.
    pub refused: Vec<(String, DocError)>,
}

/// Reads `winners` (the winning revisions of the documents a pull
/// changed) as records and merges them into `current` with the import's
/// checks and rules ([`crate::exchange::merge`]), under the name of the
/// team database `source` (never this device, so its own-backup rule does
/// not apply). A record that breaks the limits of a file is refused alone.
pub fn take_incoming(
    current: &Snapshot,
    winners: impl IntoIterator<Item = ReplicatedDoc>,
    source: &str,
    here: Receiver,
) -> Taken {
    let mut refused = Vec::new();
    let mut records = Vec::new();
    let mut candidates = BTreeMap::new();
    // One document at a time: a first pull takes a whole team's, and their
    // JSON is larger than the records they become.
    for doc in winners {
        match incoming(&doc) {
            Ok((record, base)) => {
                let alone = into_contents(vec![record.clone()]);
                if let Err(e) = check_contents(&alone) {
                    refused.push((
                        doc.id.clone(),
                        DocError::Malformed {
                            detail: e.message(crate::i18n::Lang::En),
                        },
                    ));
                    continue;
                }
                candidates.insert(doc.id.clone(), (record.clone(), base));
                records.push(record);
            }
            Err(e) => refused.push((doc.id.clone(), e)),
        }
    }
    let contents = into_contents(records);
    let bundle = Bundle {
        manifest: Manifest {
            created_at: here.now,
            device_id: source.to_owned(),
            app_version: String::new(),
            counts: contents.counts(),
            checksum: String::new(),
        },
        contents,
        migrated_from: None,
    };
    let (changes, report) = merge(current, &bundle, here);
    // Taken: the stored record is now the winner's (put by the merge, or
    // equal already). Anything else kept its old base.
    let after = Held::after(&current.contents, &changes);
    let bases = candidates
        .into_iter()
        .filter(|(_, (record, _))| after.holds(record))
        .map(|(id, (_, base))| (id, base))
        .collect();
    Taken {
        changes,
        report,
        bases,
        refused,
    }
}

/// The records as they are once `changes` are applied to `current`, by
/// key, to look a record up without a copy of them all (a first pull
/// compares a whole team's).
struct Held<'a> {
    questionnaires: HashMap<(&'a str, u32), &'a Questionnaire>,
    responses: HashMap<Uuid, &'a Response>,
    locations: HashMap<&'a str, &'a Location>,
    employees: HashMap<&'a str, &'a Employee>,
    actions: HashMap<Uuid, &'a CorrectiveAction>,
    photos: HashMap<Uuid, &'a PhotoRecord>,
}

impl<'a> Held<'a> {
    fn after(current: &'a Contents, changes: &'a Changes) -> Held<'a> {
        // A put replaces the stored record of its key (Changes::apply_to).
        fn index<'a, T, K: std::hash::Hash + Eq>(
            stored: &'a [T],
            put: &'a [T],
            key: impl Fn(&'a T) -> K,
        ) -> HashMap<K, &'a T> {
            stored.iter().chain(put).map(|r| (key(r), r)).collect()
        }
        Held {
            questionnaires: index(&current.questionnaires, &changes.questionnaires, |q| {
                (q.id.as_str(), q.version)
            }),
            responses: index(&current.responses, &changes.responses, |r| r.id),
            locations: index(&current.locations, &changes.locations, |l| l.id.as_str()),
            employees: index(&current.employees, &changes.employees, |e| e.id.as_str()),
            actions: index(&current.actions, &changes.actions, |a| a.id),
            photos: index(&current.photos, &changes.photos, |p| p.id),
        }
    }

    /// Whether the records hold exactly `record`.
    fn holds(&self, record: &Record) -> bool {
        match record {
            Record::Questionnaire(q) => {
                self.questionnaires.get(&(q.id.as_str(), q.version)) == Some(&q)
            }
            Record::Response(r) => self.responses.get(&r.id) == Some(&r),
            Record::Location(l) => self.locations.get(l.id.as_str()) == Some(&l),
            Record::Employee(e) => self.employees.get(e.id.as_str()) == Some(&e),
            Record::Action(a) => self.actions.get(&a.id) == Some(&a),
            Record::Photo(p) => self.photos.get(&p.id) == Some(&p),
        }
    }
}

/// Every record of `contents` that leaves the device, as documents: the
/// replicating kinds, and photos only of responses that replicate.
pub fn documents_of(contents: &Contents) -> Vec<Doc> {
    let shared_responses: std::collections::HashSet<_> = contents
        .responses
        .iter()
        .filter(|r| !r.is_draft())
        .map(|r| r.id)
        .collect();
    let records = contents
        .questionnaires
        .iter()
        .cloned()
        .map(Record::Questionnaire)
        .chain(contents.responses.iter().cloned().map(Record::Response))
        .chain(contents.locations.iter().cloned().map(Record::Location))
        .chain(contents.employees.iter().cloned().map(Record::Employee))
        .chain(contents.actions.iter().cloned().map(Record::Action))
        .chain(
            contents
                .photos
                .iter()
                .filter(|p| shared_responses.contains(&p.response_id))
                .cloned()
                .map(Record::Photo),
        );
    records
        .filter(replicates)
        .filter_map(|r| to_doc(&r))
        .collect()
}

/// Whether the record `record` is the one the document `id` holds.
pub fn is_document(record: &Record, id: &str) -> bool {
    doc_id(record) == id
}

#[cfg(test)]
mod tests;
