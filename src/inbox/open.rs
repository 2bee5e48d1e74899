//! Turning a batch of inbox documents into what the device stores: each
//! answer opened with the team's keys, put together with its photo parts,
//! and checked as an imported file is, as a [`Bundle`] to merge; or a
//! [`Quarantined`] entry with the reason.
//!
//! **Photo parts across batches.** A shopper's answer is `resp:<uuid>` plus
//! parts `resp:<uuid>:1..=n`, and a batch boundary can fall between them.
//! The parts are not kept in memory or on the device while they wait:
//! inbox documents are never changed, so the server keeps them for us.
//! [`Waiting`] remembers only ids — per answer the part count (learnt by
//! opening it) and the part numbers the feed has listed; per response whose
//! answer has not come yet, the part numbers listed — and when an answer's
//! documents are all on the server [`Step::fetches`] asks the caller to
//! read them again in one request ([`super::pull::InboxPull::fetch_request`])
//! and hand them to [`Opener::fetched`]. At most one answer's documents are
//! in memory at a time, whatever the batch size.
//!
//! The caller stores [`Step::waiting`] (serde, a few bytes per entry) in
//! the same write as the batch's records and the checkpoint, and passes it
//! to the next [`Opener::batch`]; after a crash the old state and the old
//! checkpoint come back together and the batch is read again. An answer
//! whose parts do not all come within [`MAX_WAIT_MS`], or that is pushed
//! out by [`MAX_WAITING_ANSWERS`] newer ones, is quarantined as
//! [`QuarantineReason::IncompleteParts`]; parts whose answer does not come
//! likewise as [`QuarantineReason::OrphanPart`] (bounded by
//! [`MAX_EARLY_PARTS`]). Since the server still has them, an answer whose
//! early parts were pushed out still finds them when it comes: its arrival
//! always reads its parts again.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::photos;
use super::quarantine::{QuarantineReason, Quarantined};
use crate::domain::{Questionnaire, Response, ResponseStatus, Timestamp};
use crate::exchange::bundle::{check_contents, check_limits, Bundle, Contents, Manifest};
use crate::exchange::trust;
use crate::seal::{self, DocId, KeyRing, OpenError, SealedDoc, MAX_DOC_JSON_BYTES};

/// Answers waiting for photo parts at once. A real team has a few shoppers
/// uploading at a time; a flood of answers declaring parts that never come
/// pushes the oldest out rather than growing the state.
pub const MAX_WAITING_ANSWERS: usize = 1_000;
/// Part numbers listed before their answer, all responses together.
pub const MAX_EARLY_PARTS: usize = 10_000;
/// How long an answer waits for its parts, or parts for their answer: a
/// shopper's phone that lost its connection mid-upload has a month to
/// come back online.
pub const MAX_WAIT_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// An answer that passed every check, to merge with
/// [`crate::exchange::merge::merge`] and the device's
/// [`crate::exchange::merge::Receiver`].
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// One response and its photos, plus any built-in questionnaire it
    /// answers (built-ins are in every build, not in the store, and the
    /// merge looks for the version in the store or the bundle). The
    /// manifest names the response's device and is dated now.
    pub bundle: Bundle,
    /// The answer's documents, the answer first: quarantine entries under
    /// these ids (a part quarantined as an orphan before its answer came)
    /// are settled.
    pub doc_ids: Vec<String>,
}

/// A batch holds a few of these, each moved out once: no box for the
/// larger variant.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Opened(Opened),
    Quarantined(Quarantined),
}

/// What an opened batch gives: outcomes to store, answers to read again,
/// and the waiting state to store with them.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub outcomes: Vec<Outcome>,
    pub fetches: Vec<Fetch>,
    pub waiting: Waiting,
}

/// An answer whose documents are to be read again: the answer's id first,
/// then its parts in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetch {
    pub response_id: Uuid,
    pub doc_ids: Vec<String>,
}

/// Answers waiting for their photo parts, and parts listed before their
/// answer; see the module docs. Stored by the caller as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    #[serde(default)]
    answers: BTreeMap<Uuid, WaitingAnswer>,
    #[serde(default)]
    early: BTreeMap<Uuid, EarlyParts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct WaitingAnswer {
    count: u32,
    seen: BTreeSet<u32>,
    since: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct EarlyParts {
    indices: BTreeSet<u32>,
    since: Timestamp,
}

impl Waiting {
    /// Answers opened and waiting for photo parts: for a line such as "2
    /// audits are still receiving photos".
    pub fn answers(&self) -> usize {
        self.answers.len()
    }

    /// Parts listed whose answer has not come yet.
    pub fn early_parts(&self) -> usize {
        self.early.values().map(|e| e.indices.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty() && self.early.is_empty()
    }

    fn fetch(&self, id: Uuid) -> Option<Fetch> {
        let w = self.answers.get(&id)?;
        let complete = w.seen.len() as u32 == w.count;
        complete.then(|| fetch_of(id, w.count))
    }

    /// Quarantines what waited too long, then the oldest beyond the caps.
    fn bound(&mut self, now: Timestamp, out: &mut Vec<Outcome>) {
        let expired = |since: Timestamp| now.utc_ms.saturating_sub(since.utc_ms) > MAX_WAIT_MS;
        let mut gone_answers: Vec<Uuid> = self
            .answers
            .iter()
            .filter(|(_, w)| expired(w.since))
            .map(|(id, _)| *id)
            .collect();
        let over = self
            .answers
            .len()
            .saturating_sub(gone_answers.len())
            .saturating_sub(MAX_WAITING_ANSWERS);
        if over > 0 {
            let mut by_age: Vec<(Timestamp, Uuid)> = self
                .answers
                .iter()
                .filter(|(_, w)| !expired(w.since))
                .map(|(id, w)| (w.since, *id))
                .collect();
            by_age.sort();
            gone_answers.extend(by_age.into_iter().take(over).map(|(_, id)| id));
        }
        for id in gone_answers {
            let w = self.answers.remove(&id).expect("listed above");
            out.push(Outcome::Quarantined(Quarantined {
                doc_id: DocId::Response(id).to_string(),
                reason: QuarantineReason::IncompleteParts {
                    count: w.count,
                    missing: w.count - w.seen.len() as u32,
                },
                at: now,
            }));
        }

        let mut gone_early: Vec<Uuid> = self
            .early
            .iter()
            .filter(|(_, e)| expired(e.since))
            .map(|(id, _)| *id)
            .collect();
        let mut total: usize = self
            .early
            .iter()
            .filter(|(_, e)| !expired(e.since))
            .map(|(_, e)| e.indices.len())
            .sum();
        if total > MAX_EARLY_PARTS {
            let mut by_age: Vec<(Timestamp, Uuid)> = self
                .early
                .iter()
                .filter(|(_, e)| !expired(e.since))
                .map(|(id, e)| (e.since, *id))
                .collect();
            by_age.sort();
            for (_, id) in by_age {
                if total <= MAX_EARLY_PARTS {
                    break;
                }
                total -= self.early[&id].indices.len();
                gone_early.push(id);
            }
        }
        for id in gone_early {
            let e = self.early.remove(&id).expect("listed above");
            for index in e.indices {
                out.push(orphan(id, index, now));
            }
        }
    }
}

fn fetch_of(id: Uuid, count: u32) -> Fetch {
    let mut doc_ids = vec![DocId::Response(id).to_string()];
    doc_ids.extend((1..=count).map(|index| {
        DocId::Part {
            response: id,
            index,
        }
        .to_string()
    }));
    Fetch {
        response_id: id,
        doc_ids,
    }
}

fn orphan(response: Uuid, index: u32, now: Timestamp) -> Outcome {
    Outcome::Quarantined(Quarantined {
        doc_id: DocId::Part { response, index }.to_string(),
        reason: QuarantineReason::OrphanPart,
        at: now,
    })
}

/// A document of the feed, its outer shape checked.
enum Doc {
    Answer(Uuid, SealedDoc),
    Part(Uuid, u32, SealedDoc),
}

/// Opens inbox documents with this device's keys at `now`.
pub struct Opener<'a> {
    keys: &'a KeyRing,
    now: Timestamp,
    stored: &'a dyn Fn(Uuid) -> bool,
    /// The built-in templates, parsed once per opener: answers from a kiosk
    /// running one name it thousands of times.
    built_ins: OnceCell<Vec<Questionnaire>>,
}

impl<'a> Opener<'a> {
    pub fn new(keys: &'a KeyRing, now: Timestamp) -> Opener<'a> {
        Opener {
            keys,
            now,
            stored: &|_| false,
            built_ins: OnceCell::new(),
        }
    }

    /// Tells which responses the device already stores: a photo part of
    /// one (a replayed feed) is then known to be taken, and neither waits
    /// nor is quarantined.
    pub fn with_stored(mut self, stored: &'a dyn Fn(Uuid) -> bool) -> Opener<'a> {
        self.stored = stored;
        self
    }

    fn quarantine(&self, doc_id: String, reason: QuarantineReason) -> Outcome {
        Outcome::Quarantined(Quarantined {
            doc_id,
            reason,
            at: self.now,
        })
    }

    /// The outer checks of one document, nothing decrypted: the id's
    /// shape, the size, the sealed fields; for a part also the key and
    /// version, which opening the answer checks for the answer.
    fn classify(&self, id: &str, value: Value) -> Result<Doc, QuarantineReason> {
        let shape = |detail: &str| QuarantineReason::ForeignShape {
            detail: detail.to_owned(),
        };
        let Some(doc_id) = DocId::parse(id) else {
            return Err(shape(&format!(
                "_id “{}”",
                id.chars().take(80).collect::<String>()
            )));
        };
        if !value.is_object() {
            return Err(shape("not a JSON object"));
        }
        if value.get("_id").and_then(Value::as_str) != Some(id) {
            return Err(shape("_id differs from the feed's"));
        }
        let bytes = json_len(&value);
        if bytes > MAX_DOC_JSON_BYTES as u64 {
            return Err(QuarantineReason::Oversize {
                bytes,
                max: MAX_DOC_JSON_BYTES as u64,
            });
        }
        let doc: SealedDoc = serde_json::from_value(value)
            .map_err(|e| shape(&e.to_string().chars().take(120).collect::<String>()))?;
        match doc_id {
            DocId::Response(u) => Ok(Doc::Answer(u, doc)),
            DocId::Part { response, index } => {
                if doc.doc_type != seal::DOC_TYPE {
                    return Err(shape(&format!("type “{}”", doc.doc_type)));
                }
                if doc.v > seal::DOC_VERSION {
                    return Err(QuarantineReason::NewerVersion { found: doc.v });
                }
                if doc.v != seal::DOC_VERSION {
                    return Err(shape(&format!("v {}", doc.v)));
                }
                if self.keys.get(&doc.kid).is_none() {
                    return Err(QuarantineReason::UnknownKey {
                        kid: doc.kid.chars().take(64).collect(),
                    });
                }
                Ok(Doc::Part(response, index, doc))
            }
        }
    }

    /// Opens a batch of the feed against the waiting state `waiting`; the
    /// step holds the new state. Every document gives an outcome, waits, or
    /// is a part of a response already stored.
    pub fn batch(&self, waiting: &Waiting, docs: Vec<(String, Value)>) -> Step {
        let mut waiting = waiting.clone();
        let mut out = Vec::new();
        let mut fetches: Vec<Fetch> = Vec::new();
        let mut answers: Vec<(String, Uuid, SealedDoc)> = Vec::new();
        let mut parts: HashMap<Uuid, BTreeMap<u32, SealedDoc>> = HashMap::new();
        let mut part_order: Vec<Uuid> = Vec::new();
        for (id, value) in docs {
            match self.classify(&id, value) {
                Err(reason) => out.push(self.quarantine(id, reason)),
                Ok(Doc::Answer(u, doc)) => answers.push((id, u, doc)),
                Ok(Doc::Part(u, index, doc)) => {
                    let of = parts.entry(u).or_insert_with(|| {
                        part_order.push(u);
                        BTreeMap::new()
                    });
                    match of.get(&index) {
                        // A feed replay within the batch.
                        Some(first) if *first == doc => {}
                        Some(_) => out.push(self.quarantine(
                            id,
                            QuarantineReason::DamagedParts(OpenError::DuplicatePart { index }),
                        )),
                        None => {
                            of.insert(index, doc);
                        }
                    }
                }
            }
        }

        for (id, u, doc) in answers {
            let here = parts.remove(&u).unwrap_or_default();
            let opened = match seal::open(self.keys, &doc) {
                Ok(o) => o,
                Err(e) => {
                    out.push(self.quarantine(id, QuarantineReason::from_open(e)));
                    // Parts of a refused answer have nothing to belong to.
                    let early = waiting.early.remove(&u).map(|e| e.indices);
                    for index in here.into_keys().chain(early.into_iter().flatten()) {
                        out.push(orphan(u, index, self.now));
                    }
                    continue;
                }
            };
            let count = opened.parts.as_ref().map_or(0, |p| p.count);
            let mut seen: BTreeSet<u32> = waiting
                .early
                .remove(&u)
                .map(|e| e.indices)
                .unwrap_or_default();
            seen.extend(
                waiting
                    .answers
                    .get(&u)
                    .map(|w| w.seen.clone())
                    .unwrap_or_default(),
            );
            seen.extend(here.keys().copied());
            for &index in seen.iter().filter(|&&i| i > count) {
                out.push(self.quarantine(
                    DocId::Part { response: u, index }.to_string(),
                    QuarantineReason::DamagedParts(OpenError::ExtraPart { index, count }),
                ));
            }
            seen.retain(|&i| i <= count);
            let here: Vec<SealedDoc> = here
                .into_iter()
                .filter(|(i, _)| *i <= count)
                .map(|(_, d)| d)
                .collect();
            if here.len() as u32 == count {
                waiting.answers.remove(&u);
                out.push(self.finish(id, opened, &here));
            } else if (self.stored)(u) {
                // Taken whole before: a replay of the feed.
                waiting.answers.remove(&u);
            } else {
                let since = waiting.answers.get(&u).map_or(self.now, |w| w.since);
                waiting
                    .answers
                    .insert(u, WaitingAnswer { count, seen, since });
                // Read again now even when parts seem missing: parts listed
                // long ago may have been pushed out of the waiting state.
                if !fetches.iter().any(|f| f.response_id == u) {
                    fetches.push(fetch_of(u, count));
                }
            }
        }

        for u in part_order {
            let Some(here) = parts.remove(&u) else {
                continue;
            };
            if let Some(w) = waiting.answers.get_mut(&u) {
                for index in here.into_keys() {
                    if index > w.count {
                        out.push(self.quarantine(
                            DocId::Part { response: u, index }.to_string(),
                            QuarantineReason::DamagedParts(OpenError::ExtraPart {
                                index,
                                count: w.count,
                            }),
                        ));
                    } else {
                        w.seen.insert(index);
                    }
                }
                if let Some(f) = waiting.fetch(u) {
                    if !fetches.iter().any(|x| x.response_id == u) {
                        fetches.push(f);
                    }
                }
            } else if !(self.stored)(u) {
                let e = waiting.early.entry(u).or_insert_with(|| EarlyParts {
                    indices: BTreeSet::new(),
                    since: self.now,
                });
                e.indices.extend(here.into_keys());
            }
        }

        waiting.bound(self.now, &mut out);
        // An answer pushed out above is not read again.
        fetches.retain(|f| waiting.answers.contains_key(&f.response_id));
        Step {
            outcomes: out,
            fetches,
            waiting,
        }
    }

    /// Opens an answer read again for `fetch` (`(id, doc)` as
    /// [`super::pull::InboxPull::read_fetched`] gives them). `None` while
    /// some of its parts are not on the server yet: it goes on waiting.
    pub fn fetched(
        &self,
        waiting: &mut Waiting,
        fetch: &Fetch,
        docs: Vec<(String, Option<Value>)>,
    ) -> Option<Outcome> {
        let u = fetch.response_id;
        let main_id = DocId::Response(u).to_string();
        let mut by_id: HashMap<String, Value> = docs
            .into_iter()
            .filter_map(|(id, doc)| Some((id, doc?)))
            .collect();
        let settle = |waiting: &mut Waiting, outcome: Outcome| {
            waiting.answers.remove(&u);
            Some(outcome)
        };
        let Some(value) = by_id.remove(&main_id) else {
            return settle(waiting, self.quarantine(main_id, QuarantineReason::Gone));
        };
        let doc = match self.classify(&main_id, value) {
            Ok(Doc::Answer(_, d)) => d,
            Ok(Doc::Part(..)) => unreachable!("the id is an answer's"),
            Err(reason) => return settle(waiting, self.quarantine(main_id, reason)),
        };
        let opened = match seal::open(self.keys, &doc) {
            Ok(o) => o,
            Err(e) => {
                return settle(
                    waiting,
                    self.quarantine(main_id, QuarantineReason::from_open(e)),
                )
            }
        };
        let count = opened.parts.as_ref().map_or(0, |p| p.count);
        let mut parts = Vec::with_capacity(count as usize);
        let mut seen = BTreeSet::new();
        for index in 1..=count {
            let id = DocId::Part { response: u, index }.to_string();
            let Some(value) = by_id.remove(&id) else {
                continue;
            };
            match self.classify(&id, value) {
                Ok(Doc::Part(_, _, d)) => {
                    parts.push(d);
                    seen.insert(index);
                }
                Ok(Doc::Answer(..)) => unreachable!("the id is a part's"),
                // A part quarantined for its shape leaves the answer
                // incomplete for good.
                Err(reason) => {
                    return settle(
                        waiting,
                        self.quarantine(
                            main_id,
                            QuarantineReason::DamagedParts(OpenError::Part {
                                index,
                                problem: Box::new(reason_as_open(reason)),
                            }),
                        ),
                    );
                }
            }
        }
        if parts.len() as u32 == count {
            return settle(waiting, self.finish(main_id, opened, &parts));
        }
        let since = waiting.answers.get(&u).map_or(self.now, |w| w.since);
        waiting
            .answers
            .insert(u, WaitingAnswer { count, seen, since });
        None
    }

    /// The checks after opening, an imported file's: the response parsed
    /// within the file limits, its photos read, the bundle's record checks.
    fn finish(&self, main_id: String, opened: seal::Opened, parts: &[SealedDoc]) -> Outcome {
        let attachment = if opened.parts.is_some() {
            match seal::open_parts(self.keys, &opened, parts) {
                Ok(a) => Some(a),
                Err(e) => {
                    return self.quarantine(main_id, QuarantineReason::from_open(e));
                }
            }
        } else {
            None
        };
        let u = opened.binding.response_id;
        let doc_ids: Vec<String> = std::iter::once(main_id.clone())
            .chain(parts.iter().map(|p| p.id.clone()))
            .collect();
        let built_ins = || {
            self.built_ins
                .get_or_init(crate::templates::built_in)
                .as_slice()
        };
        match check_answer(
            &opened.response_json,
            attachment.as_deref(),
            u,
            self.now,
            built_ins,
        ) {
            Ok(bundle) => Outcome::Opened(Opened { bundle, doc_ids }),
            Err(reason) => self.quarantine(main_id, reason),
        }
    }
}

/// An opened answer held to what an imported file is: the file limits on
/// the response's JSON (text lengths, depth, items), a response a bundle
/// could hold, submitted, its photos readable and of this response, and
/// the bundle's record checks.
fn check_answer<'b>(
    response_json: &str,
    attachment: Option<&[u8]>,
    response_id: Uuid,
    now: Timestamp,
    built_ins: impl FnOnce() -> &'b [Questionnaire],
) -> Result<Bundle, QuarantineReason> {
    check_limits(response_json, seal::MAX_SEALED_BYTES).map_err(QuarantineReason::InvalidRecord)?;
    let response: Response =
        serde_json::from_str(response_json).map_err(|e| QuarantineReason::NotAResponse {
            detail: e.to_string().chars().take(120).collect(),
        })?;
    if response.status == ResponseStatus::Draft {
        return Err(QuarantineReason::NotSubmitted);
    }
    let photos = match attachment {
        Some(a) => photos::decode(a, response_id).map_err(QuarantineReason::BadPhotos)?,
        None => Vec::new(),
    };
    let device_id = response.device_id.clone();
    // What Contents::add_built_ins_answered adds, without parsing every
    // template for every answer.
    let questionnaires = if trust::is_built_in(&response.questionnaire_id) {
        built_ins()
            .iter()
            .filter(|q| {
                q.id == response.questionnaire_id && q.version == response.questionnaire_version
            })
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let contents = Contents {
        questionnaires,
        responses: vec![response],
        photos,
        ..Contents::default()
    };
    check_contents(&contents).map_err(QuarantineReason::InvalidRecord)?;
    Ok(Bundle {
        manifest: Manifest {
            created_at: now,
            device_id,
            app_version: String::new(),
            counts: contents.counts(),
            checksum: String::new(),
        },
        contents,
        migrated_from: None,
    })
}

/// A part's outer refusal in the words of opening, for
/// [`OpenError::Part`].
fn reason_as_open(reason: QuarantineReason) -> OpenError {
    match reason {
        QuarantineReason::UnknownKey { kid } => OpenError::UnknownKey { kid },
        QuarantineReason::Oversize { bytes, max } => OpenError::Oversize { bytes, max },
        QuarantineReason::NewerVersion { found } => OpenError::NewerVersion {
            found,
            supported: seal::DOC_VERSION,
        },
        QuarantineReason::ForeignShape { detail } => OpenError::Malformed { detail },
        other => OpenError::Malformed {
            detail: other.kind().to_owned(),
        },
    }
}

/// Bytes of `value` as compact JSON, without writing it out.
fn json_len(value: &Value) -> u64 {
    struct Count(u64);
    impl std::io::Write for Count {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0 += b.len() as u64;
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    serde_json::to_writer(&mut c, value).expect("a counter never fails");
    c.0
}
