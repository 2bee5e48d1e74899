//! The questionnaire form: the same form fills an audit in the shell, runs
//! the kiosk's survey and previews a draft in the editor.

pub mod answer_input;
pub mod photos;
pub mod questionnaire_form;
pub mod submit;
pub mod visit_header;
