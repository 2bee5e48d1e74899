pub mod answer_input;
pub mod banners;
pub mod editor;
pub mod nav;
pub mod photos;
pub mod questionnaire_form;
pub mod status;
pub mod visit_header;
