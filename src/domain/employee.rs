//! The people a response can name: a shopper observes them, a complaint is
//! about them, the staff ranking lists them.

use std::collections::HashMap;

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

/// Employees' names by id, for screens that hold ids (responses, filters,
/// rankings). An id nobody has a record for, or whose record has no name,
/// stays as the id: a name is better, but an id still tells people apart.
#[derive(Debug, Clone, Default)]
pub struct EmployeeNames {
    by_id: HashMap<String, String>,
}

impl EmployeeNames {
    pub fn new(employees: &[Employee]) -> EmployeeNames {
        EmployeeNames {
            by_id: employees
                .iter()
                .filter(|e| !e.name.trim().is_empty())
                .map(|e| (e.id.clone(), e.name.trim().to_owned()))
                .collect(),
        }
    }

    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.by_id.get(id).map_or(id, String::as_str)
    }

    /// Several employees in one cell.
    pub fn join(&self, ids: &[String]) -> String {
        ids.iter()
            .map(|id| self.name(id))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emp(id: &str, name: &str) -> Employee {
        Employee {
            id: id.into(),
            name: name.into(),
            role: String::new(),
            location_id: String::new(),
            updated_at: Timestamp::new(0, 0),
        }
    }

    #[test]
    fn names_by_id_fall_back_to_the_id() {
        let names = EmployeeNames::new(&[emp("e1", "Анна Петрова"), emp("e2", "  ")]);
        assert_eq!(names.name("e1"), "Анна Петрова");
        assert_eq!(names.name("e2"), "e2");
        assert_eq!(names.name("gone"), "gone");
        assert_eq!(
            names.join(&["e1".into(), "gone".into()]),
            "Анна Петрова, gone"
        );
        assert_eq!(names.join(&[]), "");
    }

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
