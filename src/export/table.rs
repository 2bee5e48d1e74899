//! Responses as rows, shared by the CSV and XLSX exports: which responses
//! (everything, the dashboard's filter, or any predicate), in which order,
//! and what each cell holds.
//!
//! Column names are stable English snake_case ids whatever the UI language;
//! the cells' texts (question wording, yes/no, option labels) follow it.

use std::collections::{HashMap, HashSet};

use crate::domain::{
    score_audit, AnswerValue, Employee, Location, Question, QuestionType, Questionnaire,
    QuestionnaireKind, Response, ResponseStatus,
};
use crate::exchange::bundle::Contents;
use crate::i18n::{Lang, Msg};
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

/// One cell, typed so XLSX writes numbers as numbers and CSV writes them in
/// the language's decimal convention.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
}

pub const LONG_COLUMNS: [&str; 17] = [
    "response_id",
    "questionnaire_id",
    "questionnaire_version",
    "status",
    "location_id",
    "location_name",
    "employee_ids",
    "employee_names",
    "submitted_at",
    "section_id",
    "question_id",
    "question_text",
    "answer_type",
    "value",
    "value_text",
    "numeric_value",
    "comment",
];

/// The wide layout's columns before one column per question id.
pub const WIDE_COLUMNS: [&str; 12] = [
    "response_id",
    "questionnaire_id",
    "questionnaire_version",
    "status",
    "location_id",
    "location_name",
    "employee_ids",
    "employee_names",
    "device_id",
    "started_at",
    "submitted_at",
    "audit_score",
];

/// Lists inside one cell (employees, chosen options).
const LIST_SEPARATOR: &str = "; ";

/// A questionnaire version with its questions in reading order.
struct Version<'a> {
    q: &'a Questionnaire,
    /// (section id, question).
    order: Vec<(&'a str, &'a Question)>,
    ids: HashSet<&'a str>,
}

impl<'a> Version<'a> {
    fn new(q: &'a Questionnaire) -> Version<'a> {
        let order: Vec<(&str, &Question)> = q
            .sections
            .iter()
            .flat_map(|s| s.questions.iter().map(move |x| (s.id.as_str(), x)))
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

    fn head(&self, r: &Response) -> [Cell; 8] {
        let names: Vec<&str> = r
            .employee_ids
            .iter()
            .map(|e| self.employees.get(e.as_str()).copied().unwrap_or_default())
            .collect();
        [
            Cell::text(r.id.to_string()),
            Cell::text(&r.questionnaire_id),
            Cell::Number(f64::from(r.questionnaire_version)),
            Cell::text(status_code(r.status)),
            Cell::text(&r.location_id),
            Cell::text(
                self.locations
                    .get(r.location_id.as_str())
                    .copied()
                    .unwrap_or_default(),
            ),
            Cell::text(r.employee_ids.join(LIST_SEPARATOR)),
            Cell::text(names.join(LIST_SEPARATOR)),
        ]
    }

    /// One row per answer: in questionnaire order, then answers to
    /// questions the version does not have, by id.
    pub(crate) fn long_rows(&self, rows: &[&Response], mut emit: impl FnMut(&[Cell])) {
        let mut row: Vec<Cell> = Vec::with_capacity(LONG_COLUMNS.len());
        for r in rows {
            let head = self.head(r);
            let submitted = r
                .submitted_at
                .map_or(Cell::Empty, |t| Cell::text(t.to_rfc3339()));
            let v = self.version(r);
            let in_order = v.into_iter().flat_map(|v| &v.order).filter_map(|(s, x)| {
                r.answers
                    .get(&x.id)
                    .map(|a| (*s, x.id.as_str(), Some(*x), a))
            });
            let unknown = r
                .answers
                .iter()
                .filter(|(id, _)| v.is_none_or(|v| !v.ids.contains(id.as_str())))
                .map(|(id, a)| ("", id.as_str(), None, a));
            for (section, qid, question, answer) in in_order.chain(unknown) {
                row.clear();
                row.extend(head.iter().cloned());
                row.push(submitted.clone());
                row.push(Cell::text(section));
                row.push(Cell::text(qid));
                row.push(question.map_or(Cell::Empty, |x| Cell::text(x.text.get(self.lang))));
                row.push(question.map_or(Cell::Empty, |x| Cell::text(type_code(x.qtype))));
                row.push(value(&answer.value));
                row.push(value_text(&answer.value, question, self.lang));
                row.push(numeric(&answer.value));
                row.push(Cell::text(&answer.comment));
                emit(&row);
            }
        }
    }

    /// Question ids of every version of `questionnaire_id`: the newest
    /// version's order, then questions only older versions had.
    fn question_columns(&self, questionnaire_id: &str) -> Vec<&'a str> {
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
            .map(|x| x.id.as_str())
            .filter(|id| seen.insert(*id))
            .collect()
    }

    /// [`WIDE_COLUMNS`], then one column per question id.
    pub(crate) fn wide_columns(&self, questionnaire_id: &str) -> Vec<String> {
        WIDE_COLUMNS
            .iter()
            .copied()
            .chain(self.question_columns(questionnaire_id))
            .map(str::to_owned)
            .collect()
    }

    /// One row per response to `questionnaire_id`, in
    /// [`Tables::wide_columns`].
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
            row.push(Cell::text(&r.device_id));
            row.push(Cell::text(r.started_at.to_rfc3339()));
            row.push(
                r.submitted_at
                    .map_or(Cell::Empty, |t| Cell::text(t.to_rfc3339())),
            );
            let score = q
                .filter(|q| q.kind == QuestionnaireKind::Audit)
                .and_then(|q| score_audit(q, r).visit);
            row.push(score.map_or(Cell::Empty, |s| Cell::Number((s * 100.0).round() / 100.0)));
            for id in &columns {
                row.push(r.answers.get(*id).map_or(Cell::Empty, |a| value(&a.value)));
            }
            emit(&row);
        }
    }
}

fn status_code(s: ResponseStatus) -> &'static str {
    match s {
        ResponseStatus::Draft => "draft",
        ResponseStatus::Submitted => "submitted",
        ResponseStatus::Exported => "exported",
    }
}

/// The type's id as questionnaire files spell it (`yes_no`, `scale5`).
fn type_code(t: QuestionType) -> String {
    match serde_json::to_value(t) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The answer in a form that reads the same in any language: `yes`, `no`,
/// `na`, numbers, the text, chosen option ids.
pub(crate) fn value(v: &AnswerValue) -> Cell {
    match v {
        AnswerValue::Yes => Cell::text("yes"),
        AnswerValue::No => Cell::text("no"),
        AnswerValue::Na => Cell::text("na"),
        AnswerValue::Scale(n) => Cell::Number(f64::from(*n)),
        AnswerValue::Number(x) if x.is_finite() => Cell::Number(*x),
        AnswerValue::Number(_) => Cell::Empty,
        AnswerValue::Text(s) => Cell::text(s),
        AnswerValue::Choice(ids) => Cell::text(ids.join(LIST_SEPARATOR)),
    }
}

/// The answer as the form showed it, in `lang`: "Yes", "12 s", option
/// labels.
pub fn answer_text(v: &AnswerValue, q: Option<&Question>, lang: Lang) -> String {
    match value_text(v, q, lang) {
        Cell::Text(s) => s,
        Cell::Number(x) => decimal(x, lang),
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

/// Shortest exact digits, no grouping (a spreadsheet parses it back), with
/// the language's decimal sign.
pub(crate) fn decimal(x: f64, lang: Lang) -> String {
    let s = format!("{x}");
    match lang {
        Lang::Ru => s.replace('.', ","),
        Lang::En => s,
    }
}
