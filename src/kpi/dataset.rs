//! The columnar form of the responses that the KPI pass reads.
//!
//! Responses arrive as records with answers keyed by question-id strings;
//! reading those a million times per dashboard refresh would spend the time
//! on hashing and pointer chasing. Ingest does that work once: ids become
//! dense integers, each kept answer becomes a (slot, value) pair in two flat
//! columns, and N/A, text and malformed answers, which no KPI reads, are
//! dropped. Rows are sorted by time so a period is a contiguous range.

use std::collections::HashMap;

use uuid::Uuid;

use crate::domain::metric;
use crate::domain::questionnaire::MetricRole;
use crate::domain::scoring::item_score;
use crate::domain::{
    AnswerValue, CriticalRule, Question, Questionnaire, QuestionnaireKind, Response,
    ResponseStatus, Text,
};

/// Strings to dense indices, in order of first appearance.
#[derive(Debug, Clone, Default)]
pub(crate) struct Interner {
    map: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.map.insert(s.to_owned(), i);
        self.names.push(s.to_owned());
        i
    }

    pub(crate) fn get(&self, s: &str) -> Option<u32> {
        self.map.get(s).copied()
    }

    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }
}

/// Quantities of an ops report, gathered per report before they combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpsField {
    Visitors = 0,
    Receipts,
    Offered,
    WithinT,
    Abandoned,
    Handled,
    Talk,
    Hold,
    AfterCall,
}

pub(crate) const OPS_FIELDS: usize = 9;

/// Measured durations whose mean and median are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeMetric {
    Wait = 0,
    FirstResponse,
    Resolution,
    /// Resolution time recorded on a complaint form.
    ComplaintResolution,
}

pub(crate) const TIME_METRICS: usize = 4;

/// What one kept answer contributes in the KPI pass, decided once per
/// question at ingest so the pass does a single match per answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Op {
    None,
    Nps,
    /// Satisfied when the answer is at least `top`: the top two boxes.
    Csat {
        top: f32,
    },
    Ces,
    Csi {
        attr: u32,
    },
    /// ИНК cause group 0 = staff, 1 = office, 2 = product.
    Ink(u8),
    Loyalty,
    Ops(OpsField),
    Time(TimeMetric),
    Category,
    Resolved,
}

/// One question of one questionnaire version.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    /// Stable item: the same for every version of the questionnaire.
    pub item: u32,
    /// Section index within its version.
    pub section: u16,
    pub weight: f64,
    pub critical: bool,
    /// Scored item of an audit: the value yields an item score.
    pub audit: bool,
    /// Scale bounds: the value is the raw scale answer.
    pub scale: Option<(f64, f64)>,
    pub op: Op,
}

impl Slot {
    /// Item score 0..=1 of a stored value, the same as
    /// [`crate::domain::scoring::item_score`] gives for the original answer.
    #[inline(always)]
    pub(crate) fn item_score(&self, v: f32) -> f64 {
        match self.scale {
            Some((lo, hi)) => (f64::from(v) - lo) / (hi - lo),
            None => f64::from(v),
        }
    }

    /// 0..=1 position of a scale answer within its scale.
    #[inline(always)]
    pub(crate) fn unit(&self, v: f32) -> f64 {
        self.item_score(v)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct QuestionnaireInfo {
    pub id: String,
    pub kind: QuestionnaireKind,
    pub title: Text,
    latest: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct VersionInfo {
    pub questionnaire: u32,
    pub kind: QuestionnaireKind,
    /// Range into `Dataset::sections`.
    pub sections: std::ops::Range<u32>,
}

#[derive(Debug, Clone)]
pub(crate) struct VersionSection {
    /// Stable section key.
    pub key: u32,
    pub weight: f64,
    pub zero_visit: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct SectionKey {
    pub questionnaire: u32,
    pub id: String,
    pub title: Text,
    pub order: u32,
    latest: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct ItemKey {
    pub questionnaire: u32,
    pub id: String,
    pub text: Text,
    pub section: u32,
    latest: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct CsiAttr {
    pub item: u32,
    pub importance: f64,
    latest: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Category {
    pub id: String,
    pub label: Text,
    latest: u32,
}

/// What ingest kept and why it left the rest out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestStats {
    pub responses: u64,
    pub drafts_skipped: u64,
    /// Responses naming a questionnaire version that was not supplied.
    pub unknown_questionnaire: u64,
    /// Responses replaced by a submitted correction (`Response::amend`).
    pub superseded_skipped: u64,
    pub answers_kept: u64,
    /// N/A, text, unscored and malformed answers: no KPI reads them.
    pub answers_dropped: u64,
}

/// All submitted responses in columns, sorted by time.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub(crate) locations: Interner,
    pub(crate) employees: Interner,
    pub(crate) questionnaires: Vec<QuestionnaireInfo>,
    pub(crate) versions: Vec<VersionInfo>,
    pub(crate) sections: Vec<VersionSection>,
    pub(crate) section_keys: Vec<SectionKey>,
    pub(crate) items: Vec<ItemKey>,
    pub(crate) slots: Vec<Slot>,
    pub(crate) csi_attrs: Vec<CsiAttr>,
    pub(crate) categories: Vec<Category>,
    pub(crate) max_sections: usize,

    /// Submission time (start time when never submitted), UTC ms.
    pub(crate) row_time: Vec<i64>,
    pub(crate) row_version: Vec<u32>,
    pub(crate) row_location: Vec<u32>,
    /// Employees of row r are `row_emp[row_emp_start[r]..row_emp_start[r + 1]]`.
    pub(crate) row_emp_start: Vec<u32>,
    pub(crate) row_emp: Vec<u32>,
    /// Answers of row r are `row_ans_start[r]..row_ans_start[r + 1]`.
    pub(crate) row_ans_start: Vec<u32>,
    pub(crate) ans_slot: Vec<u32>,
    pub(crate) ans_val: Vec<f32>,
    /// Rows reporting a visitor count, with the count: the denominators of
    /// ИНК's silent customers and of coverage, read without a full pass.
    pub(crate) visitor_rows: Vec<(u32, f32)>,
    /// Where each row's response stood in the sequence given to the
    /// builder, so a screen can go from rows back to its own records.
    pub(crate) row_source: Vec<u32>,

    pub stats: IngestStats,
}

impl Dataset {
    /// Every version of every questionnaire the responses may name, then
    /// the responses in any order. Drafts are left out, and so are
    /// responses a submitted correction supersedes.
    pub fn build<'a>(
        questionnaires: &[Questionnaire],
        responses: impl IntoIterator<Item = &'a Response>,
    ) -> Dataset {
        let responses: Vec<&Response> = responses.into_iter().collect();
        let replaced = crate::domain::superseded(responses.iter().copied());
        let mut b = DatasetBuilder::new(questionnaires);
        for r in responses {
            if replaced.contains(&r.id) {
                b.data.stats.responses += 1;
                b.data.stats.superseded_skipped += 1;
            } else {
                b.push(r);
            }
        }
        b.finish()
    }

    pub fn len(&self) -> usize {
        self.row_time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row_time.is_empty()
    }

    pub fn answers_len(&self) -> usize {
        self.ans_val.len()
    }

    pub fn location_ids(&self) -> &[String] {
        self.locations.names()
    }

    pub fn employee_ids(&self) -> &[String] {
        self.employees.names()
    }

    pub fn questionnaire_ids(&self) -> impl Iterator<Item = &str> {
        self.questionnaires.iter().map(|q| q.id.as_str())
    }

    /// First and last row time, UTC ms.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        Some((*self.row_time.first()?, *self.row_time.last()?))
    }

    /// Bytes held by the row and answer columns, the part that grows with
    /// the data.
    pub fn column_bytes(&self) -> usize {
        fn b<T>(v: &Vec<T>) -> usize {
            v.capacity() * std::mem::size_of::<T>()
        }
        b(&self.row_time)
            + b(&self.row_version)
            + b(&self.row_location)
            + b(&self.row_emp_start)
            + b(&self.row_emp)
            + b(&self.row_ans_start)
            + b(&self.ans_slot)
            + b(&self.ans_val)
            + b(&self.visitor_rows)
            + b(&self.row_source)
    }

    pub(crate) fn answers(&self, row: usize) -> std::ops::Range<usize> {
        self.row_ans_start[row] as usize..self.row_ans_start[row + 1] as usize
    }

    pub(crate) fn row_employees(&self, row: usize) -> &[u32] {
        &self.row_emp[self.row_emp_start[row] as usize..self.row_emp_start[row + 1] as usize]
    }

    /// Rows with time in `[start, end)`.
    pub(crate) fn rows_between(&self, start: i64, end: i64) -> std::ops::Range<usize> {
        let a = self.row_time.partition_point(|&t| t < start);
        let b = self.row_time.partition_point(|&t| t < end);
        a..b.max(a)
    }
}

/// Where a slot's question lives in the builder's copy of the questionnaires.
#[derive(Debug, Clone, Copy)]
struct QuestionRef {
    version: u32,
    section: u16,
    question: u16,
}

/// Builds a [`Dataset`] one response at a time, so a large store can be
/// streamed in without holding every record in memory at once.
pub struct DatasetBuilder {
    data: Dataset,
    defs: Vec<Questionnaire>,
    slot_refs: Vec<QuestionRef>,
    /// Per version: question ids sorted as `BTreeMap<String, _>` orders
    /// them, with their slot, for a merge join against a response's answers.
    version_questions: Vec<Vec<(String, u32)>>,
    /// Per version: some question has a visibility condition, so each
    /// response's hidden questions must be worked out.
    version_conditional: Vec<bool>,
    version_index: HashMap<String, Vec<(u32, u32)>>,
    categories: Interner,
    row_uuid: Vec<u128>,
}

impl DatasetBuilder {
    pub fn new(questionnaires: &[Questionnaire]) -> DatasetBuilder {
        let mut b = DatasetBuilder {
            data: Dataset {
                locations: Interner::default(),
                employees: Interner::default(),
                questionnaires: Vec::new(),
                versions: Vec::new(),
                sections: Vec::new(),
                section_keys: Vec::new(),
                items: Vec::new(),
                slots: Vec::new(),
                csi_attrs: Vec::new(),
                categories: Vec::new(),
                max_sections: 0,
                row_time: Vec::new(),
                row_version: Vec::new(),
                row_location: Vec::new(),
                row_emp_start: vec![0],
                row_emp: Vec::new(),
                row_ans_start: vec![0],
                ans_slot: Vec::new(),
                ans_val: Vec::new(),
                visitor_rows: Vec::new(),
                row_source: Vec::new(),
                stats: IngestStats::default(),
            },
            defs: Vec::new(),
            slot_refs: Vec::new(),
            version_questions: Vec::new(),
            version_conditional: Vec::new(),
            version_index: HashMap::new(),
            categories: Interner::default(),
            row_uuid: Vec::new(),
        };
        let mut qnr_index: HashMap<String, u32> = HashMap::new();
        let mut section_index: HashMap<(u32, String), u32> = HashMap::new();
        let mut item_index: HashMap<(u32, String), u32> = HashMap::new();
        let mut csi_index: HashMap<u32, u32> = HashMap::new();
        for q in questionnaires {
            let exists = b
                .version_index
                .get(&q.id)
                .is_some_and(|v| v.iter().any(|&(ver, _)| ver == q.version));
            if exists {
                continue;
            }
            b.add_version(
                q,
                &mut qnr_index,
                &mut section_index,
                &mut item_index,
                &mut csi_index,
            );
        }
        b
    }

    fn add_version(
        &mut self,
        q: &Questionnaire,
        qnr_index: &mut HashMap<String, u32>,
        section_index: &mut HashMap<(u32, String), u32>,
        item_index: &mut HashMap<(u32, String), u32>,
        csi_index: &mut HashMap<u32, u32>,
    ) {
        let d = &mut self.data;
        let qi = *qnr_index.entry(q.id.clone()).or_insert_with(|| {
            d.questionnaires.push(QuestionnaireInfo {
                id: q.id.clone(),
                kind: q.kind,
                title: q.title.clone(),
                latest: q.version,
            });
            (d.questionnaires.len() - 1) as u32
        });
        let info = &mut d.questionnaires[qi as usize];
        if q.version >= info.latest {
            info.latest = q.version;
            info.kind = q.kind;
            info.title = q.title.clone();
        }

        let vi = d.versions.len() as u32;
        let sec_start = d.sections.len() as u32;
        let mut questions = Vec::new();
        for (si, section) in q.sections.iter().enumerate() {
            let key = *section_index
                .entry((qi, section.id.clone()))
                .or_insert_with(|| {
                    d.section_keys.push(SectionKey {
                        questionnaire: qi,
                        id: section.id.clone(),
                        title: section.title.clone(),
                        order: si as u32,
                        latest: q.version,
                    });
                    (d.section_keys.len() - 1) as u32
                });
            let sk = &mut d.section_keys[key as usize];
            if q.version >= sk.latest {
                sk.latest = q.version;
                sk.title = section.title.clone();
                sk.order = si as u32;
            }
            d.sections.push(VersionSection {
                key,
                weight: section.weight,
                zero_visit: section.critical_rule == CriticalRule::ZeroVisit,
            });
            for (qj, question) in section.questions.iter().enumerate() {
                let item = *item_index
                    .entry((qi, question.id.clone()))
                    .or_insert_with(|| {
                        d.items.push(ItemKey {
                            questionnaire: qi,
                            id: question.id.clone(),
                            text: question.text.clone(),
                            section: key,
                            latest: q.version,
                        });
                        (d.items.len() - 1) as u32
                    });
                let it = &mut d.items[item as usize];
                if q.version >= it.latest {
                    it.latest = q.version;
                    it.text = question.text.clone();
                    it.section = key;
                }
                let audit = q.kind == QuestionnaireKind::Audit && question.qtype.is_scorable();
                let op = op_for(
                    question,
                    q.kind,
                    item,
                    q.version,
                    &mut d.csi_attrs,
                    csi_index,
                    &mut self.categories,
                    &mut d.categories,
                );
                let scale = question
                    .qtype
                    .scale_range()
                    .map(|(lo, hi)| (f64::from(lo), f64::from(hi)));
                let slot = d.slots.len() as u32;
                d.slots.push(Slot {
                    item,
                    section: si as u16,
                    weight: question.weight,
                    critical: question.critical,
                    audit,
                    scale,
                    op,
                });
                self.slot_refs.push(QuestionRef {
                    version: self.defs.len() as u32,
                    section: si as u16,
                    question: qj as u16,
                });
                questions.push((question.id.clone(), slot));
            }
        }
        questions.sort_by(|a, b| a.0.cmp(&b.0));
        d.versions.push(VersionInfo {
            questionnaire: qi,
            kind: q.kind,
            sections: sec_start..d.sections.len() as u32,
        });
        d.max_sections = d.max_sections.max(q.sections.len());
        self.version_questions.push(questions);
        self.version_conditional
            .push(q.questions().any(|x| x.visible_if.is_some()));
        self.version_index
            .entry(q.id.clone())
            .or_default()
            .push((q.version, vi));
        self.defs.push(q.clone());
    }

    fn question(&self, slot: u32) -> &Question {
        let r = self.slot_refs[slot as usize];
        &self.defs[r.version as usize].sections[r.section as usize].questions[r.question as usize]
    }

    /// The value kept for an answer, or `None` when no KPI reads it.
    fn stored_value(&self, slot: u32, value: &AnswerValue) -> Option<f32> {
        let s = &self.data.slots[slot as usize];
        let q = self.question(slot);
        if s.audit {
            let score = item_score(q, value)?;
            return Some(match value {
                AnswerValue::Yes => 1.0,
                AnswerValue::No => 0.0,
                AnswerValue::Scale(v) => f32::from(*v),
                _ => score as f32,
            });
        }
        match (s.op, value) {
            (Op::None, _) => None,
            (Op::Ink(_) | Op::Loyalty | Op::Resolved, AnswerValue::Yes | AnswerValue::No) => {
                Some(if *value == AnswerValue::Yes { 1.0 } else { 0.0 })
            }
            (Op::Nps | Op::Csat { .. } | Op::Ces | Op::Csi { .. }, AnswerValue::Scale(v)) => {
                let (lo, hi) = q.qtype.scale_range()?;
                (lo..=hi).contains(v).then_some(f32::from(*v))
            }
            // + 0.0 turns −0 into 0, keeping times' bit patterns in order;
            // a number beyond f32 becomes infinite and is dropped.
            (Op::Ops(_) | Op::Time(_), AnswerValue::Number(x)) => {
                let v = *x as f32 + 0.0;
                (v.is_finite() && v >= 0.0).then_some(v)
            }
            (Op::Category, AnswerValue::Choice(ids)) => {
                let id = ids.first()?;
                q.options.iter().any(|o| &o.id == id).then_some(())?;
                self.categories.get(id).map(|c| c as f32)
            }
            _ => None,
        }
    }

    /// Adds one response. Drafts and responses to unknown questionnaire
    /// versions are counted and left out.
    pub fn push(&mut self, r: &Response) {
        let source = self.data.stats.responses as u32;
        self.data.stats.responses += 1;
        if r.status == ResponseStatus::Draft {
            self.data.stats.drafts_skipped += 1;
            return;
        }
        let Some(vi) = self
            .version_index
            .get(r.questionnaire_id.as_str())
            .and_then(|vs| vs.iter().find(|&&(v, _)| v == r.questionnaire_version))
            .map(|&(_, vi)| vi)
        else {
            self.data.stats.unknown_questionnaire += 1;
            return;
        };

        // A hidden question counts as unanswered everywhere, as in
        // `score_audit`: its answer is a leftover from an earlier choice.
        let visibility =
            self.version_conditional[vi as usize].then(|| self.defs[vi as usize].visibility(r));
        // Both sides are sorted by id: one linear walk, no hashing.
        let questions = &self.version_questions[vi as usize];
        let mut qi = 0;
        let mut kept = 0u64;
        let mut dropped = 0u64;
        for (id, answer) in &r.answers {
            while qi < questions.len() && questions[qi].0.as_str() < id.as_str() {
                qi += 1;
            }
            let slot = match questions.get(qi) {
                Some((qid, slot))
                    if qid == id && visibility.as_ref().is_none_or(|v| v.is_visible(id)) =>
                {
                    *slot
                }
                _ => {
                    dropped += 1;
                    continue;
                }
            };
            match self.stored_value(slot, &answer.value) {
                Some(v) => {
                    self.data.ans_slot.push(slot);
                    self.data.ans_val.push(v);
                    kept += 1;
                }
                None => dropped += 1,
            }
        }
        let d = &mut self.data;
        d.stats.answers_kept += kept;
        d.stats.answers_dropped += dropped;
        d.row_ans_start.push(d.ans_val.len() as u32);

        let time = r.occurred_at().utc_ms;
        d.row_time.push(time);
        d.row_version.push(vi);
        let loc = d.locations.intern(&r.location_id);
        d.row_location.push(loc);
        for e in &r.employee_ids {
            if !e.is_empty() {
                let ei = d.employees.intern(e);
                if !d.row_emp[*d.row_emp_start.last().unwrap() as usize..].contains(&ei) {
                    d.row_emp.push(ei);
                }
            }
        }
        d.row_emp_start.push(d.row_emp.len() as u32);
        d.row_source.push(source);
        self.row_uuid.push(uuid_key(r.id));
    }

    pub fn finish(mut self) -> Dataset {
        let n = self.data.row_time.len();
        let key = |i: usize| (self.data.row_time[i], self.row_uuid[i]);
        let sorted = (1..n).all(|i| key(i - 1) <= key(i));
        if !sorted {
            let mut order: Vec<u32> = (0..n as u32).collect();
            order.sort_unstable_by_key(|&i| key(i as usize));
            self.data = reorder(self.data, &order);
        }
        let d = &mut self.data;
        // Growth left up to half of each column unused; the dataset lives as
        // long as the dashboard does.
        d.row_time.shrink_to_fit();
        d.row_version.shrink_to_fit();
        d.row_location.shrink_to_fit();
        d.row_emp_start.shrink_to_fit();
        d.row_emp.shrink_to_fit();
        d.row_ans_start.shrink_to_fit();
        d.row_source.shrink_to_fit();
        d.ans_slot.shrink_to_fit();
        d.ans_val.shrink_to_fit();
        for row in 0..n {
            for a in d.answers(row) {
                if d.slots[d.ans_slot[a] as usize].op == Op::Ops(OpsField::Visitors) {
                    d.visitor_rows.push((row as u32, d.ans_val[a]));
                }
            }
        }
        self.data
    }
}

fn uuid_key(id: Uuid) -> u128 {
    id.as_u128()
}

/// The rows of `d` in `order`.
fn reorder(d: Dataset, order: &[u32]) -> Dataset {
    let n = order.len();
    let mut out = Dataset {
        row_time: Vec::with_capacity(n),
        row_version: Vec::with_capacity(n),
        row_location: Vec::with_capacity(n),
        row_emp_start: Vec::with_capacity(n + 1),
        row_emp: Vec::with_capacity(d.row_emp.len()),
        row_ans_start: Vec::with_capacity(n + 1),
        ans_slot: Vec::with_capacity(d.ans_slot.len()),
        ans_val: Vec::with_capacity(d.ans_val.len()),
        visitor_rows: Vec::new(),
        row_source: Vec::with_capacity(n),
        ..d.clone_dictionaries()
    };
    out.row_emp_start.push(0);
    out.row_ans_start.push(0);
    for &i in order {
        let i = i as usize;
        out.row_time.push(d.row_time[i]);
        out.row_version.push(d.row_version[i]);
        out.row_location.push(d.row_location[i]);
        out.row_source.push(d.row_source[i]);
        out.row_emp.extend_from_slice(d.row_employees(i));
        out.row_emp_start.push(out.row_emp.len() as u32);
        let a = d.answers(i);
        out.ans_slot.extend_from_slice(&d.ans_slot[a.clone()]);
        out.ans_val.extend_from_slice(&d.ans_val[a]);
        out.row_ans_start.push(out.ans_val.len() as u32);
    }
    out
}

impl Dataset {
    /// Everything but the row columns.
    fn clone_dictionaries(&self) -> Dataset {
        Dataset {
            locations: self.locations.clone(),
            employees: self.employees.clone(),
            questionnaires: self.questionnaires.clone(),
            versions: self.versions.clone(),
            sections: self.sections.clone(),
            section_keys: self.section_keys.clone(),
            items: self.items.clone(),
            slots: self.slots.clone(),
            csi_attrs: self.csi_attrs.clone(),
            categories: self.categories.clone(),
            max_sections: self.max_sections,
            row_time: Vec::new(),
            row_version: Vec::new(),
            row_location: Vec::new(),
            row_emp_start: Vec::new(),
            row_emp: Vec::new(),
            row_ans_start: Vec::new(),
            ans_slot: Vec::new(),
            ans_val: Vec::new(),
            visitor_rows: Vec::new(),
            row_source: Vec::new(),
            stats: self.stats,
        }
    }
}

/// Decides what a question feeds. A role on a question whose type cannot
/// carry it (NPS on a text field, [`metric::fits`]) is ignored rather than
/// misread.
fn op_for(
    q: &Question,
    kind: QuestionnaireKind,
    item: u32,
    version: u32,
    csi_attrs: &mut Vec<CsiAttr>,
    csi_index: &mut HashMap<u32, u32>,
    category_index: &mut Interner,
    categories: &mut Vec<Category>,
) -> Op {
    let Some(role) = q.metric.filter(|&role| metric::fits(role, q.qtype, kind)) else {
        return Op::None;
    };
    // `fits` has checked the type: a scale role has a scale with lo < hi.
    let (_, hi) = q.qtype.scale_range().unwrap_or((0, 1));
    use MetricRole as R;
    match role {
        R::Nps => Op::Nps,
        R::Csat => Op::Csat {
            top: f32::from(hi - 1),
        },
        R::Ces => Op::Ces,
        R::CsiAttribute { importance } => {
            if importance.is_finite() && importance >= 0.0 {
                let attr = *csi_index.entry(item).or_insert_with(|| {
                    csi_attrs.push(CsiAttr {
                        item,
                        importance,
                        latest: version,
                    });
                    (csi_attrs.len() - 1) as u32
                });
                let a = &mut csi_attrs[attr as usize];
                if version >= a.latest {
                    a.latest = version;
                    a.importance = importance;
                }
                Op::Csi { attr }
            } else {
                Op::None
            }
        }
        R::InkStaff => Op::Ink(0),
        R::InkOffice => Op::Ink(1),
        R::InkProduct => Op::Ink(2),
        R::Loyalty => Op::Loyalty,
        R::ComplaintResolved => Op::Resolved,
        R::Visitors => Op::Ops(OpsField::Visitors),
        R::Receipts => Op::Ops(OpsField::Receipts),
        R::CallsOffered => Op::Ops(OpsField::Offered),
        R::CallsAnsweredWithinT => Op::Ops(OpsField::WithinT),
        R::CallsAbandoned => Op::Ops(OpsField::Abandoned),
        R::Handled => Op::Ops(OpsField::Handled),
        R::TalkTime => Op::Ops(OpsField::Talk),
        R::HoldTime => Op::Ops(OpsField::Hold),
        R::AfterCallWork => Op::Ops(OpsField::AfterCall),
        R::Wait => Op::Time(TimeMetric::Wait),
        R::FirstResponse => Op::Time(TimeMetric::FirstResponse),
        R::ResolutionTime => Op::Time(if kind == QuestionnaireKind::Complaint {
            TimeMetric::ComplaintResolution
        } else {
            TimeMetric::Resolution
        }),
        // `fits` has kept categories out of audits, whose choices keep
        // their item score in the value column.
        R::ComplaintCategory => {
            for o in &q.options {
                let c = category_index.intern(&o.id) as usize;
                if c == categories.len() {
                    categories.push(Category {
                        id: o.id.clone(),
                        label: o.label.clone(),
                        latest: version,
                    });
                } else if version >= categories[c].latest {
                    categories[c].latest = version;
                    categories[c].label = o.label.clone();
                }
            }
            Op::Category
        }
    }
}
