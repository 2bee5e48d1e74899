//! Questionnaire definitions: what is asked, how it is weighted, which version.
//!
//! A published version never changes; editing makes a new version with the
//! same stable question ids so results stay comparable across versions.

use serde::{Deserialize, Serialize};

use super::condition::Condition;
use super::validation::{validate, Issue};
use crate::i18n::Lang;

/// Text written in both UI languages. Questionnaires travel between devices
/// whose users may read different languages, so both are kept side by side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub ru: String,
    pub en: String,
}

impl Text {
    pub fn new(ru: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            ru: ru.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`, falling back to the other language when a
    /// translation is missing rather than showing nothing.
    /// A message in both languages, as data: the title of a new blank
    /// questionnaire or section is the manager's to edit from then on.
    pub fn from_msg(m: crate::i18n::Msg) -> Text {
        Text::new(m.text(Lang::Ru), m.text(Lang::En))
    }

    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Ru => (&self.ru, &self.en),
            Lang::En => (&self.en, &self.ru),
        };
        if first.trim().is_empty() {
            second
        } else {
            first
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ru.trim().is_empty() && self.en.trim().is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionnaireKind {
    Audit,
    Survey,
    Complaint,
    OpsReport,
}

/// What a form asks before its questions. One fill engine serves every
/// kind; the kinds differ in these fields and in what the fields mean
/// (a visit's time, the time of an incident, the day of a shift).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderField {
    Location,
    /// `Response::visited_at`.
    When,
    /// `Response::employee_ids` / `employee_note`: the employee observed, the
    /// one a complaint is about, the one filing a report.
    Employee,
}

impl QuestionnaireKind {
    /// The kind's name in the library and the editor.
    pub fn label(self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            QuestionnaireKind::Audit => Msg::KindAudit,
            QuestionnaireKind::Survey => Msg::KindSurvey,
            QuestionnaireKind::Complaint => Msg::KindComplaint,
            QuestionnaireKind::OpsReport => Msg::KindOpsReport,
        }
    }

    /// The header fields a form of this kind shows, in order. A customer's
    /// survey stays anonymous: only its place, which the link carries.
    pub fn header_fields(self) -> &'static [HeaderField] {
        match self {
            QuestionnaireKind::Audit
            | QuestionnaireKind::Complaint
            | QuestionnaireKind::OpsReport => &[
                HeaderField::Location,
                HeaderField::When,
                HeaderField::Employee,
            ],
            QuestionnaireKind::Survey => &[HeaderField::Location],
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    #[default]
    Draft,
    Published,
}

/// What a failed critical item does to the score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriticalRule {
    /// The section containing the failed item scores 0.
    #[default]
    ZeroSection,
    /// The whole visit scores 0.
    ZeroVisit,
}

/// Question types of PRODUCT.md §2. "yes/no/N/A" is `YesNo` with
/// `na_allowed`, since N/A is a per-question property anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    YesNo,
    /// 1–5, shown as stars or faces.
    Scale5,
    Scale10,
    /// 0–10 "would you recommend".
    Nps,
    /// Customer effort, 1–7 agree scale.
    Ces,
    SingleChoice,
    MultipleChoice,
    Number,
    /// Seconds.
    Duration,
    DateTime,
    ShortText,
    LongText,
    Photo,
    EmployeePicker,
    LocationPicker,
}

impl QuestionType {
    /// Every question type, in the order the editor offers them.
    pub const ALL: [QuestionType; 15] = [
        QuestionType::YesNo,
        QuestionType::Scale5,
        QuestionType::Scale10,
        QuestionType::Nps,
        QuestionType::Ces,
        QuestionType::SingleChoice,
        QuestionType::MultipleChoice,
        QuestionType::Number,
        QuestionType::Duration,
        QuestionType::DateTime,
        QuestionType::ShortText,
        QuestionType::LongText,
        QuestionType::Photo,
        QuestionType::EmployeePicker,
        QuestionType::LocationPicker,
    ];

    /// The inclusive range of a scale answer, if this is a scale.
    pub fn scale_range(self) -> Option<(u8, u8)> {
        match self {
            QuestionType::Scale5 => Some((1, 5)),
            QuestionType::Scale10 => Some((1, 10)),
            QuestionType::Nps => Some((0, 10)),
            QuestionType::Ces => Some((1, 7)),
            _ => None,
        }
    }

    /// Types that earn points in an audit. Text, numbers, pickers and photos
    /// are evidence, not scored items.
    pub fn is_scorable(self) -> bool {
        matches!(
            self,
            QuestionType::YesNo
                | QuestionType::Scale5
                | QuestionType::Scale10
                | QuestionType::SingleChoice
                | QuestionType::MultipleChoice
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub id: String,
    pub label: Text,
    #[serde(default)]
    pub points: f64,
}

fn default_weight() -> f64 {
    1.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable across versions: results are grouped by it over time.
    pub id: String,
    #[serde(rename = "type")]
    pub qtype: QuestionType,
    pub text: Text,
    #[serde(default)]
    pub help: Text,
    #[serde(default)]
    pub required: bool,
    #[serde(default = "default_weight")]
    pub weight: f64,
    #[serde(default)]
    pub critical: bool,
    #[serde(default)]
    pub na_allowed: bool,
    #[serde(default)]
    pub comment_allowed: bool,
    #[serde(default)]
    pub photo_allowed: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    /// The KPI this question feeds, if any. Explicit rather than guessed
    /// from the wording, so a reworded or translated question keeps its
    /// metric and older files without the field still load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<MetricRole>,
    /// Shown only when this holds on earlier answers; hidden questions count
    /// as unanswered (see [`super::condition`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_if: Option<Condition>,
    /// What a number is counted in ("seconds", "people"), shown beside the
    /// input and in exports.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub unit: Text,
}

/// What a question's answers mean to the KPI engine (PRODUCT.md §3).
///
/// Serialised as `"nps"` or `{"csi_attribute": {"importance": 7}}`. Counts and
/// times of an ops report are per report: `TalkTime`, `HoldTime` and
/// `AfterCallWork` are that report's averages per handled call, in the unit
/// the question states.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricRole {
    /// 0–10 "would you recommend": NPS.
    Nps,
    /// Satisfaction scale, top-two box (4–5 of 5).
    Csat,
    /// Customer effort, 1–7 agree scale.
    Ces,
    /// One attribute of the CSI (speed, competence, politeness, …) with its
    /// importance weight.
    CsiAttribute {
        importance: f64,
    },
    /// Yes/no "satisfied with the staff": ИНК Персонал, staff ranking.
    InkStaff,
    /// Yes/no "satisfied with the office": ИНК Офис.
    InkOffice,
    /// Yes/no "satisfied with products/prices": ИНК Продукт.
    InkProduct,
    /// Yes/no "would recommend to friends": ИЭЛ.
    Loyalty,
    Visitors,
    Receipts,
    CallsOffered,
    CallsAnsweredWithinT,
    CallsAbandoned,
    /// Calls handled in the report, the weight of its average times.
    Handled,
    TalkTime,
    HoldTime,
    AfterCallWork,
    Wait,
    FirstResponse,
    ResolutionTime,
    /// Single choice: the complaint's category, keyed by option id.
    ComplaintCategory,
    /// Yes/no: the complaint was resolved.
    ComplaintResolved,
}

impl MetricRole {
    /// Every role, for pickers; a CSI attribute starts at middle importance.
    pub const ALL: [MetricRole; 22] = [
        MetricRole::Nps,
        MetricRole::Csat,
        MetricRole::Ces,
        MetricRole::CsiAttribute { importance: 5.0 },
        MetricRole::InkStaff,
        MetricRole::InkOffice,
        MetricRole::InkProduct,
        MetricRole::Loyalty,
        MetricRole::Visitors,
        MetricRole::Receipts,
        MetricRole::CallsOffered,
        MetricRole::CallsAnsweredWithinT,
        MetricRole::CallsAbandoned,
        MetricRole::Handled,
        MetricRole::TalkTime,
        MetricRole::HoldTime,
        MetricRole::AfterCallWork,
        MetricRole::Wait,
        MetricRole::FirstResponse,
        MetricRole::ResolutionTime,
        MetricRole::ComplaintCategory,
        MetricRole::ComplaintResolved,
    ];
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub title: Text,
    #[serde(default = "default_weight")]
    pub weight: f64,
    #[serde(default)]
    pub critical_rule: CriticalRule,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub id: String,
    pub version: u32,
    pub kind: QuestionnaireKind,
    #[serde(default)]
    pub status: VersionStatus,
    /// The manager's name for it: lists, the dashboard, exports.
    pub title: Text,
    /// The manager's description (what it measures, how).
    #[serde(default)]
    pub description: Text,
    /// The headline the person answering reads, when it should differ from
    /// the manager's name ("A few questions about your visit" rather than
    /// "Loyalty button"). Empty: they read the title.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub public_title: Text,
    /// What the person answering reads under the headline. Empty with a
    /// public title: nothing; empty without one: the description.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub public_intro: Text,
    pub sections: Vec<Section>,
}

impl Questionnaire {
    /// The headline a customer or shopper reads.
    pub fn public_heading(&self, lang: Lang) -> &str {
        if self.public_title.is_empty() {
            self.title.get(lang)
        } else {
            self.public_title.get(lang)
        }
    }

    /// The introduction a customer or shopper reads under the headline:
    /// the manager's description is theirs only while nothing was written
    /// for the people answering.
    pub fn public_introduction(&self, lang: Lang) -> &str {
        if !self.public_intro.is_empty() {
            self.public_intro.get(lang)
        } else if self.public_title.is_empty() {
            self.description.get(lang)
        } else {
            ""
        }
    }

    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id == id)
    }

    /// Only drafts change; a published version is frozen because responses
    /// name it and scores must read the same questions they answered.
    pub fn is_editable(&self) -> bool {
        self.status == VersionStatus::Draft
    }

    /// Freezes this version if it passes [`validate`]; otherwise nothing
    /// changes and the issues say what to fix.
    pub fn publish(&mut self) -> Result<(), Vec<Issue>> {
        let issues = validate(self);
        if !issues.is_empty() {
            return Err(issues);
        }
        self.status = VersionStatus::Published;
        Ok(())
    }

    /// The draft that edits this version: the next version number, the same
    /// stable section, question and option ids, so results of both
    /// versions line up on the dashboard.
    pub fn next_draft(&self) -> Questionnaire {
        Questionnaire {
            version: self.version.saturating_add(1),
            status: VersionStatus::Draft,
            ..self.clone()
        }
    }

    /// A new questionnaire started from this one (a built-in template):
    /// its own id, version 1, a draft. Question ids are kept: they are
    /// unique within a questionnaire, which is all they need to be.
    pub fn copy_as(&self, id: impl Into<String>) -> Questionnaire {
        Questionnaire {
            id: id.into(),
            version: 1,
            status: VersionStatus::Draft,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validation::IssueKind;

    fn draft() -> Questionnaire {
        let mut q = crate::templates::find("tpl-retail-quick", 1).unwrap();
        q.status = VersionStatus::Draft;
        q.version = 3;
        q
    }

    #[test]
    fn publishing_freezes_a_valid_draft() {
        let mut q = draft();
        assert!(q.is_editable());
        assert_eq!(q.publish(), Ok(()));
        assert_eq!(q.status, VersionStatus::Published);
        assert!(!q.is_editable());
        assert_eq!(q.version, 3, "publishing keeps the version number");
    }

    #[test]
    fn an_invalid_draft_stays_a_draft() {
        let mut q = draft();
        q.sections[0].questions[0].weight = 0.0;
        q.title = Text::default();
        let issues = q.publish().unwrap_err();
        let kinds: Vec<_> = issues.into_iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            vec![
                IssueKind::EmptyTitle,
                IssueKind::InvalidWeight { weight: 0.0 }
            ]
        );
        assert_eq!(q.status, VersionStatus::Draft);
    }

    #[test]
    fn next_draft_bumps_the_version_and_keeps_ids() {
        let mut published = draft();
        published.publish().unwrap();
        let next = published.next_draft();
        assert_eq!(next.version, 4);
        assert_eq!(next.status, VersionStatus::Draft);
        assert!(next.is_editable());
        assert_eq!(next.id, published.id);
        let ids = |q: &Questionnaire| -> Vec<String> {
            q.sections
                .iter()
                .map(|s| s.id.clone())
                .chain(q.questions().map(|x| x.id.clone()))
                .collect()
        };
        assert_eq!(ids(&next), ids(&published));
        assert_eq!(next.sections, published.sections);
        // The published version itself is untouched.
        assert_eq!(published.status, VersionStatus::Published);
        assert_eq!(published.version, 3);
    }

    #[test]
    fn copy_as_starts_a_new_questionnaire() {
        let template = crate::templates::find("tpl-retail-quick", 1).unwrap();
        let mine = template.copy_as("my-audit");
        assert_eq!((mine.id.as_str(), mine.version), ("my-audit", 1));
        assert!(mine.is_editable());
        assert_eq!(mine.sections, template.sections);
    }
}

/// A fresh id for a questionnaire, section or question: short enough to
/// read in an export and unique in practice.
pub fn new_id(prefix: &str) -> String {
    format!(
        "{prefix}-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    )
}

#[cfg(test)]
mod metric_role_tests {
    use super::MetricRole;

    /// Adding a role breaks this match until `ALL` is reviewed too.
    fn variant_index(r: MetricRole) -> usize {
        use MetricRole as R;
        match r {
            R::Nps => 0,
            R::Csat => 1,
            R::Ces => 2,
            R::CsiAttribute { .. } => 3,
            R::InkStaff => 4,
            R::InkOffice => 5,
            R::InkProduct => 6,
            R::Loyalty => 7,
            R::Visitors => 8,
            R::Receipts => 9,
            R::CallsOffered => 10,
            R::CallsAnsweredWithinT => 11,
            R::CallsAbandoned => 12,
            R::Handled => 13,
            R::TalkTime => 14,
            R::HoldTime => 15,
            R::AfterCallWork => 16,
            R::Wait => 17,
            R::FirstResponse => 18,
            R::ResolutionTime => 19,
            R::ComplaintCategory => 20,
            R::ComplaintResolved => 21,
        }
    }

    #[test]
    fn all_lists_every_role_once() {
        let mut seen: Vec<usize> = MetricRole::ALL.iter().map(|r| variant_index(*r)).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..22).collect::<Vec<_>>());
    }
}
