//! Leptos parts both Leptos front ends (the shell and the manager's module)
//! use: the i18n context, autosave, the questionnaire form with its inputs,
//! status widgets and the resources every screen reads. Nothing here
//! imports a front end.

pub mod action_form;
pub mod autosave;
pub mod delivery;
pub mod empty;
pub mod form;
pub mod i18n;
pub mod kiosk;
pub mod photo_view;
pub mod resources;
pub mod route;
pub mod status;
