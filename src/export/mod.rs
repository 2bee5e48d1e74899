//! What the manager hands on: the rows of an export (`table`) written as
//! CSV or XLSX.

pub mod csv;
pub mod table;
pub mod xlsx;
