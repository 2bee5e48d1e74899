//! What one batch of opened and quarantined documents does to the store:
//! the middle of the round in the module docs, sans IO, so the browser's
//! storage writes exactly what this returns in one transaction.

use std::collections::BTreeMap;

use super::{quarantine_from_report, Outcome, StoredQuarantine};
use crate::exchange::bundle::RecordKind;
use crate::exchange::merge::{merge, Changes, Receiver, Snapshot};

/// The writes of one batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Taken {
    /// Every record the merges put, in order (a later one of the same key
    /// wins, as in the store).
    pub changes: Changes,
    /// Quarantine entries to put, by their key.
    pub quarantine: BTreeMap<String, StoredQuarantine>,
    /// Document ids now taken: their old quarantine entries go (an answer
    /// set aside for an unknown version, read once the version is here).
    pub settled: Vec<String>,
    /// Responses added to the store.
    pub added: usize,
}

impl Taken {
    /// Entries set aside by this batch.
    pub fn set_aside(&self) -> usize {
        self.quarantine.len()
    }
}

/// Merges each opened answer into `snapshot` (which then holds them, so a
/// second copy in the same batch is skipped) and collects the quarantine.
pub fn take(snapshot: &mut Snapshot, outcomes: Vec<Outcome>, receiver: Receiver) -> Taken {
    let mut taken = Taken::default();
    for o in outcomes {
        match o {
            Outcome::Opened(opened) => {
                let (changes, report) = merge(snapshot, &opened.bundle, receiver);
                changes.apply_to(snapshot);
                taken.added += report.kind(RecordKind::Response).added.len();
                taken
                    .quarantine
                    .retain(|_, q| !opened.doc_ids.contains(&q.doc_id));
                taken.settled.extend(opened.doc_ids.iter().cloned());
                for q in quarantine_from_report(&report, &opened, receiver.now) {
                    let stored = q.stored();
                    taken.quarantine.insert(stored.key(), stored);
                }
                append(&mut taken.changes, changes);
            }
            Outcome::Quarantined(q) => {
                let stored = q.stored();
                taken.quarantine.insert(stored.key(), stored);
            }
        }
    }
    taken
}

fn append(all: &mut Changes, mut more: Changes) {
    all.questionnaires.append(&mut more.questionnaires);
    all.responses.append(&mut more.responses);
    all.locations.append(&mut more.locations);
    all.employees.append(&mut more.employees);
    all.actions.append(&mut more.actions);
    all.photos.append(&mut more.photos);
    all.settings.append(&mut more.settings);
    all.conflicts.append(&mut more.conflicts);
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::inbox::tests::{here, ring, sealed, store, survey_answer, team, value};
    use crate::inbox::{Opener, Waiting};
    use crate::seal::DocId;

    #[test]
    fn a_batch_adds_good_answers_once_and_sets_the_rest_aside() {
        let key = team();
        let keys = ring(&key);
        let good = survey_answer(1, 9);
        let doc = sealed(&key, &good);
        let id = DocId::Response(good.id).to_string();
        let other = team();
        let foreign = sealed(&other, &survey_answer(2, 3));
        let foreign_id = DocId::Response(survey_answer(2, 3).id).to_string();
        let docs = vec![
            (id.clone(), value(&doc)),
            // The same answer twice in one batch is one response.
            (id.clone(), value(&doc)),
            (foreign_id.clone(), value(&foreign)),
            (
                "resp:junk".to_owned(),
                serde_json::json!({ "_id": "resp:junk" }),
            ),
        ];
        let step = Opener::new(&keys, here().now).batch(&Waiting::default(), docs);
        let mut snapshot = store();
        let taken = take(&mut snapshot, step.outcomes, here());
        assert_eq!(taken.added, 1);
        assert_eq!(taken.changes.responses.len(), 1);
        assert_eq!(taken.changes.responses[0].id, good.id);
        assert!(snapshot.contents.responses.iter().any(|r| r.id == good.id));
        assert_eq!(taken.set_aside(), 2, "{:?}", taken.quarantine);
        let kinds: Vec<&str> = taken.quarantine.values().map(|q| q.kind.as_str()).collect();
        assert!(kinds.contains(&"unknown_key"), "{kinds:?}");
        assert!(taken.settled.contains(&id));
        assert!(!taken.quarantine.values().any(|q| q.doc_id == id));
    }
}
