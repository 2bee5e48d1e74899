pub mod nav;
pub mod status;
