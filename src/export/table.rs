//! Responses as rows, shared by the CSV and XLSX exports: which responses
//! (everything, the dashboard's filter, or any predicate), in which order,
//! and what each cell holds.
//!
//! Everything a person reads follows their language: the headers, the
//! questionnaire's title, the status, the answers as the form showed them
//! (Да/Нет/Н/П, option labels, the unit). The ids stay in columns of their
//! own beside the names, so two exports can still be joined.

use std::collections::{HashMap, HashSet};

use crate::domain::{
    score_audit, AnswerValue, Employee, Location, Question, Questionnaire, QuestionnaireKind,
    Response, ResponseStatus, Section, Timestamp,
};
use crate::exchange::bundle::Contents;
use crate::i18n::{round_as_shown, Lang, Msg};
use crate::kpi::Filter;

/// What an export reads, borrowed from wherever the caller keeps it.
#[derive(Debug, Clone, Copy)]
pub struct ExportData<'a> {
    pub questionnaires: &'a [Questionnaire],
    pub responses: &'a [Response],
    pub locations: &'a [Location],
    pub employees: &'a [Employee],
}

impl<'a> From<&'a Contents> for ExportData<'a> {
    fn from(c: &'a Contents) -> Self {
        ExportData {
            questionnaires: &c.questionnaires,
            responses: &c.responses,
            locations: &c.locations,
            employees: &c.employees,
        }
    }
}

/// Which responses an export holds.
#[derive(Clone, Copy)]
pub enum Selection<'a> {
    /// Every stored response, drafts included.
    All,
    /// Exactly what the dashboard counts under this filter: submitted
    /// responses to known questionnaire versions, in the period, at the
    /// locations, with the employees, of the questionnaires it names.
    Dashboard(&'a Filter),
    Predicate(&'a dyn Fn(&Response) -> bool),
}

impl std::fmt::Debug for Selection<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Selection::All => f.write_str("All"),
            Selection::Dashboard(filter) => f.debug_tuple("Dashboard").field(filter).finish(),
            Selection::Predicate(_) => f.write_str("Predicate(..)"),
        }
    }
}

/// One cell, typed so XLSX writes numbers as numbers and moments as dates,
/// and CSV writes both in the language's convention.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A moment, shown at the wall-clock time it was recorded with.
    Moment(Timestamp),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
}

/// What a column holds. Its header is in the reader's language; the ids
/// stay beside the names so a file can still be joined with another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    ResponseId,
    Questionnaire,
    QuestionnaireId,
    Version,
    Status,
    /// When the visit or the answer happened (`Response::occurred_at`).
    Date,
    Location,
    LocationId,
    Employees,
    EmployeeIds,
    /// The shopper's description of whom they were served by.
    EmployeeNote,
    StartedAt,
    SubmittedAt,
    Device,
    AuditScore,
    Section,
    QuestionId,
    Question,
    Answer,
    NumericValue,
    Comment,
}

impl Column {
    pub fn msg(self) -> Msg {
        match self {
            Column::ResponseId => Msg::ColResponseId,
            Column::Questionnaire => Msg::ColQuestionnaire,
            Column::QuestionnaireId => Msg::ColQuestionnaireId,
            Column::Version => Msg::VersionLabel,
            Column::Status => Msg::ColStatus,
            Column::Date => Msg::ColDate,
            Column::Location => Msg::ColLocation,
            Column::LocationId => Msg::ColLocationId,
            Column::Employees => Msg::ColEmployee,
            Column::EmployeeIds => Msg::ColEmployeeIds,
            Column::EmployeeNote => Msg::ColEmployeeNote,
            Column::StartedAt => Msg::ColStartedAt,
            Column::SubmittedAt => Msg::ColSubmittedAt,
            Column::Device => Msg::ColDevice,
            Column::AuditScore => Msg::ColScore,
            Column::Section => Msg::ColSection,
            Column::QuestionId => Msg::ColQuestionId,
            Column::Question => Msg::ColQuestion,
            Column::Answer => Msg::ColAnswer,
            Column::NumericValue => Msg::ColNumericValue,
            Column::Comment => Msg::ColComment,
        }
    }

    pub fn title(self, lang: Lang) -> &'static str {
        self.msg().text(lang)
    }
}

/// The columns that start every row (the response, its questionnaire, when,
/// where and whom), then `$tail`.
macro_rules! head_then {
    ($($tail:ident),*) => {
        [
            Column::ResponseId,
            Column::Questionnaire,
            Column::QuestionnaireId,
            Column::Version,
            Column::Status,
            Column::Date,
            Column::Location,
            Column::LocationId,
            Column::Employees,
            Column::EmployeeIds,
            Column::EmployeeNote,
            $(Column::$tail),*
        ]
    };
}

const HEAD: [Column; 11] = head_then!();

pub const LONG_COLUMNS: [Column; 18] = head_then!(
    SubmittedAt,
    Section,
    QuestionId,
    Question,
    Answer,
    NumericValue,
    Comment
);

/// The wide layout's columns before one column per question.
pub const WIDE_COLUMNS: [Column; 15] = head_then!(StartedAt, SubmittedAt, Device, AuditScore);

/// The headers of `columns` in `lang`.
pub fn titles(columns: &[Column], lang: Lang) -> Vec<String> {
    columns.iter().map(|c| c.title(lang).to_owned()).collect()
}

/// Lists inside one cell (employees, chosen options).
const LIST_SEPARATOR: &str = "; ";

/// A questionnaire version with its questions in reading order.
struct Version<'a> {
    q: &'a Questionnaire,
    order: Vec<(&'a Section, &'a Question)>,
    ids: HashSet<&'a str>,
}

impl<'a> Version<'a> {
    fn new(q: &'a Questionnaire) -> Version<'a> {
        let order: Vec<(&Section, &Question)> = q
            .sections
            .iter()
            .flat_map(|s| s.questions.iter().map(move |x| (s, x)))
            .collect();
        let ids = order.iter().map(|(_, x)| x.id.as_str()).collect();
        Version { q, order, ids }
    }
}

pub(crate) struct Tables<'a> {
    data: ExportData<'a>,
    lang: Lang,
    /// Versions by questionnaire id.
    versions: HashMap<&'a str, Vec<Version<'a>>>,
    locations: HashMap<&'a str, &'a str>,
    employees: HashMap<&'a str, &'a str>,
}

impl<'a> Tables<'a> {
    pub(crate) fn new(data: ExportData<'a>, lang: Lang) -> Tables<'a> {
        Tables {
            data,
            lang,
            versions: data.questionnaires.iter().fold(HashMap::new(), |mut m, q| {
                m.entry(q.id.as_str())
                    .or_insert_with(Vec::new)
                    .push(Version::new(q));
                m
            }),
            locations: data
                .locations
                .iter()
                .map(|l| (l.id.as_str(), l.name.as_str()))
                .collect(),
            employees: data
                .employees
                .iter()
                .map(|e| (e.id.as_str(), e.name.as_str()))
                .collect(),
        }
    }

    fn version(&self, r: &Response) -> Option<&Version<'a>> {
        self.versions
            .get(r.questionnaire_id.as_str())?
            .iter()
            .find(|v| v.q.version == r.questionnaire_version)
    }

    /// The selected responses, oldest first (ties by id), so an export of
    /// the same data is the same file.
    pub(crate) fn selected(&self, selection: &Selection<'_>) -> Vec<&'a Response> {
        let replaced = match selection {
            Selection::Dashboard(_) => crate::domain::superseded(self.data.responses),
            _ => Default::default(),
        };
        let mut rows: Vec<&Response> = self
            .data
            .responses
            .iter()
            .filter(|r| match selection {
                Selection::All => true,
                Selection::Dashboard(f) => {
                    self.version(r).is_some() && f.admits(r) && !replaced.contains(&r.id)
                }
                Selection::Predicate(p) => p(r),
            })
            .collect();
        rows.sort_by_key(|r| (r.occurred_at().utc_ms, r.id));
        rows
    }

    /// Questionnaire ids among `rows`, in order of first appearance.
    pub(crate) fn questionnaire_ids(rows: &[&'a Response]) -> Vec<&'a str> {
        let mut seen = HashSet::new();
        rows.iter()
            .map(|r| r.questionnaire_id.as_str())
            .filter(|id| seen.insert(*id))
            .collect()
    }

    /// The questionnaire's title as the reader reads it: the version
    /// answered, else the newest one known.
    fn questionnaire_title(&self, r: &Response) -> String {
        match self.version(r) {
            Some(v) => v.q.title.get(self.lang).to_owned(),
            None => self.title(&r.questionnaire_id),
        }
    }

    /// The newest known title of `questionnaire_id` in the reader's
    /// language; empty for a questionnaire this device does not have.
    pub(crate) fn title(&self, questionnaire_id: &str) -> String {
        self.versions
            .get(questionnaire_id)
            .and_then(|vs| vs.iter().map(|v| v.q).max_by_key(|q| q.version))
            .map(|q| q.title.get(self.lang).trim().to_owned())
            .unwrap_or_default()
    }

    fn head(&self, r: &Response) -> [Cell; HEAD.len()] {
        let names: Vec<&str> = r
            .employee_ids
            .iter()
            .map(|e| self.employees.get(e.as_str()).copied().unwrap_or_default())
            .collect();
        [
            Cell::text(r.id.to_string()),
            Cell::text(self.questionnaire_title(r)),
            Cell::text(&r.questionnaire_id),
            Cell::Number(f64::from(r.questionnaire_version)),
            Cell::text(status_text(r.status, self.lang)),
            Cell::Moment(r.occurred_at()),
            Cell::text(
                self.locations
                    .get(r.location_id.as_str())
                    .copied()
                    .unwrap_or_default(),
            ),
            Cell::text(&r.location_id),
            Cell::text(names.join(LIST_SEPARATOR)),
            Cell::text(r.employee_ids.join(LIST_SEPARATOR)),
            Cell::text(&r.employee_note),
        ]
    }

    /// One row per answer: in questionnaire order, then answers to
    /// questions the version does not have, by id.
    pub(crate) fn long_rows(&self, rows: &[&Response], mut emit: impl FnMut(&[Cell])) {
        let mut row: Vec<Cell> = Vec::with_capacity(LONG_COLUMNS.len());
        for r in rows {
            let head = self.head(r);
            let submitted = r.submitted_at.map_or(Cell::Empty, Cell::Moment);
            let v = self.version(r);
            let in_order = v.into_iter().flat_map(|v| &v.order).filter_map(|(s, x)| {
                r.answers
                    .get(&x.id)
                    .map(|a| (Some(*s), x.id.as_str(), Some(*x), a))
            });
            let unknown = r
                .answers
                .iter()
                .filter(|(id, _)| v.is_none_or(|v| !v.ids.contains(id.as_str())))
                .map(|(id, a)| (None, id.as_str(), None, a));
            for (section, qid, question, answer) in in_order.chain(unknown) {
                row.clear();
                row.extend(head.iter().cloned());
                row.push(submitted.clone());
                row.push(section.map_or(Cell::Empty, |s| Cell::text(s.title.get(self.lang))));
                row.push(Cell::text(qid));
                row.push(question.map_or(Cell::Empty, |x| Cell::text(x.text.get(self.lang))));
                row.push(value_text(&answer.value, question, self.lang));
                row.push(numeric(&answer.value));
                row.push(Cell::text(&answer.comment));
                emit(&row);
            }
        }
    }

    /// The questions of every version of `questionnaire_id`: the newest
    /// version's order, then questions only older versions had, each in
    /// the newest wording that has it.
    fn question_columns(&self, questionnaire_id: &str) -> Vec<&'a Question> {
        let mut versions: Vec<&Questionnaire> = self
            .data
            .questionnaires
            .iter()
            .filter(|q| q.id == questionnaire_id)
            .collect();
        versions.sort_by_key(|q| std::cmp::Reverse(q.version));
        let mut seen = HashSet::new();
        versions
            .iter()
            .flat_map(|q| q.questions())
            .filter(|x| seen.insert(x.id.as_str()))
            .collect()
    }

    /// [`WIDE_COLUMNS`]' headers, then one per question: its text in the
    /// reader's language with its unit ("Wait, s"), and its id after it
    /// where two questions read the same.
    pub(crate) fn wide_columns(&self, questionnaire_id: &str) -> Vec<String> {
        let questions = self.question_columns(questionnaire_id);
        let header = |x: &Question| {
            let text = x.text.get(self.lang).trim();
            let unit = x.unit.get(self.lang).trim();
            match (text.is_empty(), unit.is_empty()) {
                (true, _) => x.id.clone(),
                (false, true) => text.to_owned(),
                (false, false) => format!("{text}, {unit}"),
            }
        };
        let mut count: HashMap<String, usize> = HashMap::new();
        for x in &questions {
            *count.entry(header(x)).or_default() += 1;
        }
        titles(&WIDE_COLUMNS, self.lang)
            .into_iter()
            .chain(questions.iter().map(|x| {
                let h = header(x);
                if count[&h] > 1 && h != x.id {
                    format!("{h} [{}]", x.id)
                } else {
                    h
                }
            }))
            .collect()
    }

    /// One row per response to `questionnaire_id`, in
    /// [`Tables::wide_columns`]: answers as the form showed them, numbers
    /// and scales as numbers a spreadsheet can sum.
    pub(crate) fn wide_rows(
        &self,
        questionnaire_id: &str,
        rows: &[&Response],
        mut emit: impl FnMut(&[Cell]),
    ) {
        let columns = self.question_columns(questionnaire_id);
        let mut row: Vec<Cell> = Vec::with_capacity(WIDE_COLUMNS.len() + columns.len());
        for r in rows
            .iter()
            .filter(|r| r.questionnaire_id == questionnaire_id)
        {
            let q = self.version(r).map(|v| v.q);
            row.clear();
            row.extend(self.head(r));
            row.push(Cell::Moment(r.started_at));
            row.push(r.submitted_at.map_or(Cell::Empty, Cell::Moment));
            row.push(Cell::text(&r.device_id));
            let score = q
                .filter(|q| q.kind == QuestionnaireKind::Audit)
                .and_then(|q| score_audit(q, r).visit);
            // Two decimals, as the response screen shows it.
            row.push(score.map_or(Cell::Empty, |s| Cell::Number(round_as_shown(s, 2))));
            for x in &columns {
                row.push(r.answers.get(&x.id).map_or(Cell::Empty, |a| match a.value {
                    AnswerValue::Scale(_) | AnswerValue::Number(_) => numeric(&a.value),
                    _ => value_text(&a.value, Some(x), self.lang),
                }));
            }
            emit(&row);
        }
    }
}

/// The response's status in the reader's words.
fn status_text(s: ResponseStatus, lang: Lang) -> &'static str {
    match s {
        ResponseStatus::Draft => Msg::ResponseDraft,
        ResponseStatus::Submitted => Msg::ResponseSubmitted,
        ResponseStatus::Exported => Msg::ResponseExported,
    }
    .text(lang)
}

/// The answer as the form showed it, in `lang`: "Yes", "12 s", option
/// labels.
pub fn answer_text(v: &AnswerValue, q: Option<&Question>, lang: Lang) -> String {
    match value_text(v, q, lang) {
        Cell::Text(s) => s,
        Cell::Number(x) => decimal(x, lang),
        Cell::Moment(t) => t.display(lang),
        Cell::Empty => String::new(),
    }
}

/// The answer as the form showed it, in `lang`.
fn value_text(v: &AnswerValue, q: Option<&Question>, lang: Lang) -> Cell {
    let word = |m: Msg| Cell::text(m.text(lang));
    match v {
        AnswerValue::Yes => word(Msg::Yes),
        AnswerValue::No => word(Msg::No),
        AnswerValue::Na => word(Msg::NotApplicable),
        AnswerValue::Scale(n) => Cell::text(n.to_string()),
        AnswerValue::Number(x) if x.is_finite() => {
            let unit = q.map(|q| q.unit.get(lang)).unwrap_or_default();
            let n = decimal(*x, lang);
            Cell::text(if unit.is_empty() {
                n
            } else {
                format!("{n} {unit}")
            })
        }
        AnswerValue::Number(_) => Cell::Empty,
        AnswerValue::Text(s) => Cell::text(s),
        AnswerValue::Choice(ids) => {
            let label = |id: &String| -> String {
                q.and_then(|q| q.options.iter().find(|o| &o.id == id))
                    .map_or_else(|| id.clone(), |o| o.label.get(lang).to_owned())
            };
            Cell::text(
                ids.iter()
                    .map(label)
                    .collect::<Vec<_>>()
                    .join(LIST_SEPARATOR),
            )
        }
    }
}

/// Yes = 1, no = 0, scales and numbers as they are; nothing for the rest.
fn numeric(v: &AnswerValue) -> Cell {
    match v {
        AnswerValue::Yes => Cell::Number(1.0),
        AnswerValue::No => Cell::Number(0.0),
        AnswerValue::Scale(n) => Cell::Number(f64::from(*n)),
        AnswerValue::Number(x) if x.is_finite() => Cell::Number(*x),
        _ => Cell::Empty,
    }
}

/// A moment as the reader's spreadsheet reads a date back, at the wall-clock
/// time it was recorded with: `03.12.2026 14:05` for a Russian Excel,
/// `2026-12-03 14:05` in English (the one order every English locale
/// parses the same way).
pub(crate) fn moment_text(t: Timestamp, lang: Lang) -> String {
    match t.local_parts() {
        Some(((y, mo, d), h, mi)) => match lang {
            Lang::Ru => format!("{d:02}.{mo:02}.{y:04} {h:02}:{mi:02}"),
            Lang::En => format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}"),
        },
        None => String::new(),
    }
}

/// The same layout as an Excel number format, for XLSX date cells.
pub(crate) fn moment_format(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "dd.mm.yyyy hh:mm",
        Lang::En => "yyyy-mm-dd hh:mm",
    }
}

/// Shortest exact digits, no grouping (a spreadsheet parses it back), with
/// the language's decimal sign.
pub(crate) fn decimal(x: f64, lang: Lang) -> String {
    let s = format!("{x}");
    match lang {
        Lang::Ru => s.replace('.', ","),
        Lang::En => s,
    }
}
