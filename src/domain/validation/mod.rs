//! What must hold before a questionnaire is published or imported: every
//! problem found at once, each with where it is and a message in both UI
//! languages, so the editor can list them next to the fields.
//!
//! Texts (titles, question texts, option labels) need at least one language:
//! [`Text::get`](super::Text::get) falls back to the other one, so a
//! questionnaire written only in Russian still reads everywhere. The
//! built-in templates are held to both languages by their own tests.
//!
//! [`rules`] says what must hold ([`validate`]); [`issue`] says what a
//! problem is and how it reads in each language.

pub mod issue;
pub mod rules;
#[cfg(test)]
mod tests;

pub use issue::{Issue, IssueKind, IssueLocation};
pub use rules::{earns_points, validate};
