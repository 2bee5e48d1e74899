pub mod dashboard;
pub mod editor;
pub mod fill;
pub mod fill_start;
pub mod home;
pub mod library;
pub mod not_found;
pub mod settings;
