//! The pure core: questionnaires, responses and scoring. No browser APIs here,
//! so every rule is tested natively with `cargo test`.

pub mod action;
pub mod calendar;
pub mod catalog;
pub mod choice;
pub mod condition;
pub mod condition_clauses;
pub mod employee;
pub mod metric;
pub mod photo;
pub mod questionnaire;
pub mod response;
pub mod scoring;
pub mod timestamp;
pub mod validation;

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod arbitrary;

pub use action::{ActionStatus, CorrectiveAction};
pub use calendar::{LocalDate, DAY_MS};
pub use choice::{Choice, ChoiceLabel};
pub use condition::{CompareOp, Condition, Visibility};
pub use employee::Employee;
pub use questionnaire::{
    new_id, ChoiceOption, CriticalRule, HeaderField, MetricRole, Question, QuestionType,
    Questionnaire, QuestionnaireKind, Section, Text, VersionStatus,
};
pub use response::{
    superseded, Answer, AnswerValue, Edit, Location, Response, ResponseStatus, DEFAULT_LOCATION_ID,
};
pub use scoring::{score_audit, AuditScore, SectionScore};
pub use timestamp::Timestamp;
pub use validation::{validate, Issue, IssueKind, IssueLocation};
