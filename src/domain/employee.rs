//! The people a response can name: a shopper observes them, a complaint is
//! about them, the staff ranking lists them.

use serde::{Deserialize, Serialize};

use super::timestamp::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employee {
    /// Responses name employees by this id (`Response::employee_ids`).
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub role: String,
    /// Where they usually work; empty when they move between locations.
    #[serde(default)]
    pub location_id: String,
    /// Last change: merges keep the newer of two copies.
    pub updated_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_and_location_may_be_left_out() {
        let e: Employee = serde_json::from_str(
            r#"{"id":"e1","name":"Анна","updated_at":"2026-03-01T10:00:00+03:00"}"#,
        )
        .unwrap();
        assert_eq!((e.role.as_str(), e.location_id.as_str()), ("", ""));
        let back: Employee = serde_json::from_value(serde_json::to_value(&e).unwrap()).unwrap();
        assert_eq!(back, e);
    }
}
