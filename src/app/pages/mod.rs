pub mod dashboard;
pub mod fill;
pub mod fill_start;
pub mod home;
pub mod not_found;
pub mod settings;
