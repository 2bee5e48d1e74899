//! Questionnaire definitions: what is asked, how it is weighted, which version.
//!
//! A published version never changes; editing makes a new version with the
//! same stable question ids so results stay comparable across versions.

use serde::{Deserialize, Serialize};

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
    pub title: Text,
    #[serde(default)]
    pub description: Text,
    pub sections: Vec<Section>,
}

impl Questionnaire {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id == id)
    }
}
