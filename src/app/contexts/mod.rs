pub mod i18n;
