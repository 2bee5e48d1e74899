//! The pure core: questionnaires, responses and scoring. No browser APIs here,
//! so every rule is tested natively with `cargo test`.

pub mod questionnaire;
pub mod response;
pub mod scoring;
pub mod timestamp;

pub use questionnaire::{
    ChoiceOption, CriticalRule, Question, QuestionType, Questionnaire, QuestionnaireKind, Section,
    Text, VersionStatus,
};
pub use response::{Answer, AnswerValue, Location, Response, ResponseStatus};
pub use scoring::{score_audit, AuditScore, SectionScore};
pub use timestamp::Timestamp;
