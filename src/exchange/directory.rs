//! Locations and employees as CSV, for managers who keep their staff list in
//! a spreadsheet: `id;name` and `id;name;role;location_id`.
//!
//! Written like the other CSV exports (BOM, `;` and Russian or `,` and
//! English, text a spreadsheet would run as a formula quoted with `'`). Read
//! forgivingly, because people type these files: either separator, BOM or
//! not, columns in any order and named in English or Russian, a blank id
//! gets a new one, and a leading `'` our export added is taken off again.
//! Read strictly where it matters: a file with one bad row is refused whole
//! with the row's line number, so nothing half-imported reaches the store.

use std::collections::HashSet;

use super::bundle::{MAX_ID_CHARS, MAX_TEXT_CHARS};
use crate::domain::{Employee, Location, Timestamp};
use crate::export::csv::{restore, Writer};
use crate::i18n::Lang;

/// Rows one file may hold: far more than any chain's staff list.
pub const MAX_ROWS: usize = 10_000;
/// The largest directory file read: 10 000 rows of long names fit many
/// times over.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

pub const LOCATION_COLUMNS: [&str; 2] = ["id", "name"];
pub const EMPLOYEE_COLUMNS: [&str; 4] = ["id", "name", "role", "location_id"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectoryError {
    /// No header line, or not text a CSV reader can split.
    NotCsv,
    /// The header lacks the `name` column.
    NoNameColumn,
    TooManyRows,
    /// On a 1-based line of the file.
    EmptyName {
        line: usize,
    },
    DuplicateId {
        line: usize,
        id: String,
    },
    TooLong {
        line: usize,
    },
    UnknownLocation {
        line: usize,
        id: String,
    },
}

impl DirectoryError {
    pub fn message(&self, lang: Lang) -> String {
        use DirectoryError::*;
        match (self, lang) {
            (NotCsv, Lang::Ru) => "Файл не похож на таблицу CSV: нет строки заголовков.".into(),
            (NotCsv, Lang::En) => {
                "This file does not look like CSV: there is no header line.".into()
            }
            (NoNameColumn, Lang::Ru) => "В заголовке нет столбца name (название).".into(),
            (NoNameColumn, Lang::En) => "The header has no name column.".into(),
            (TooManyRows, Lang::Ru) => format!("Больше {MAX_ROWS} строк: файл не загружен."),
            (TooManyRows, Lang::En) => {
                format!("More than {MAX_ROWS} rows: the file was not imported.")
            }
            (EmptyName { line }, Lang::Ru) => format!("Строка {line}: пустое название."),
            (EmptyName { line }, Lang::En) => format!("Line {line}: the name is empty."),
            (DuplicateId { line, id }, Lang::Ru) => {
                format!("Строка {line}: идентификатор «{id}» уже встречался выше.")
            }
            (DuplicateId { line, id }, Lang::En) => {
                format!("Line {line}: the id “{id}” appears twice.")
            }
            (TooLong { line }, Lang::Ru) => format!("Строка {line}: слишком длинное значение."),
            (TooLong { line }, Lang::En) => format!("Line {line}: a value is too long."),
            (UnknownLocation { line, id }, Lang::Ru) => {
                format!("Строка {line}: нет точки с идентификатором «{id}».")
            }
            (UnknownLocation { line, id }, Lang::En) => {
                format!("Line {line}: there is no location with the id “{id}”.")
            }
        }
    }
}

pub fn locations_csv(locations: &[Location], lang: Lang) -> String {
    let mut w = Writer::new(lang);
    w.text_row(LOCATION_COLUMNS.iter().map(|c| (*c).to_owned()));
    for l in locations {
        w.text_row([l.id.clone(), l.name.clone()]);
    }
    w.finish()
}

pub fn employees_csv(employees: &[Employee], lang: Lang) -> String {
    let mut w = Writer::new(lang);
    w.text_row(EMPLOYEE_COLUMNS.iter().map(|c| (*c).to_owned()));
    for e in employees {
        w.text_row([&e.id, &e.name, &e.role, &e.location_id].map(|s| s.clone()));
    }
    w.finish()
}

/// Every row of a locations file, or the first problem.
pub fn parse_locations(
    text: &str,
    new_id: &mut dyn FnMut() -> String,
) -> Result<Vec<Location>, DirectoryError> {
    read(text, new_id)?
        .into_iter()
        .map(|row| {
            Ok(Location {
                id: row.id,
                name: row.name,
            })
        })
        .collect()
}

/// Every row of an employees file, or the first problem. A `location_id`
/// must be empty or one of `known_locations`.
pub fn parse_employees(
    text: &str,
    known_locations: &HashSet<&str>,
    now: Timestamp,
    new_id: &mut dyn FnMut() -> String,
) -> Result<Vec<Employee>, DirectoryError> {
    read(text, new_id)?
        .into_iter()
        .map(|row| {
            if !row.location_id.is_empty() && !known_locations.contains(row.location_id.as_str()) {
                return Err(DirectoryError::UnknownLocation {
                    line: row.line,
                    id: row.location_id,
                });
            }
            Ok(Employee {
                id: row.id,
                name: row.name,
                role: row.role,
                location_id: row.location_id,
                updated_at: now,
            })
        })
        .collect()
}

struct Row {
    line: usize,
    id: String,
    name: String,
    role: String,
    location_id: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Column {
    Id,
    Name,
    Role,
    LocationId,
    Other,
}

fn column(header: &str) -> Column {
    match header.trim().to_lowercase().as_str() {
        "id" | "идентификатор" => Column::Id,
        "name" | "название" | "имя" | "фио" => Column::Name,
        "role" | "должность" | "роль" => Column::Role,
        "location_id" | "location" | "точка" => Column::LocationId,
        _ => Column::Other,
    }
}

fn read(text: &str, new_id: &mut dyn FnMut() -> String) -> Result<Vec<Row>, DirectoryError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().next().filter(|l| !l.trim().is_empty());
    let header_line = header_line.ok_or(DirectoryError::NotCsv)?;
    // The separator the header uses; a one-column file has neither.
    let delimiter = if header_line.matches(';').count() >= header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let columns: Vec<Column> = reader
        .headers()
        .map_err(|_| DirectoryError::NotCsv)?
        .iter()
        .map(column)
        .collect();
    if !columns.contains(&Column::Name) {
        return Err(DirectoryError::NoNameColumn);
    }
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|_| DirectoryError::NotCsv)?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(DirectoryError::TooManyRows);
        }
        let mut row = Row {
            line,
            id: String::new(),
            name: String::new(),
            role: String::new(),
            location_id: String::new(),
        };
        for (c, field) in columns.iter().zip(record.iter()) {
            let value = restore(field.trim());
            match c {
                Column::Id => row.id = value,
                Column::Name => row.name = value,
                Column::Role => row.role = value,
                Column::LocationId => row.location_id = value,
                Column::Other => {}
            }
        }
        if row.name.is_empty() {
            return Err(DirectoryError::EmptyName { line });
        }
        let too_long = [&row.id, &row.location_id]
            .iter()
            .any(|s| s.chars().count() > MAX_ID_CHARS)
            || [&row.name, &row.role]
                .iter()
                .any(|s| s.chars().count() > MAX_TEXT_CHARS);
        if too_long {
            return Err(DirectoryError::TooLong { line });
        }
        if row.id.is_empty() {
            row.id = new_id();
        }
        if !seen.insert(row.id.clone()) {
            return Err(DirectoryError::DuplicateId { line, id: row.id });
        }
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("new-{n}")
        }
    }

    fn staff() -> Vec<Employee> {
        let t = Timestamp::new(1_795_459_200_000, 180);
        vec![
            Employee {
                id: "e1".into(),
                name: "Анна Петрова".into(),
                role: "кассир; старший".into(),
                location_id: "loc-1".into(),
                updated_at: t,
            },
            Employee {
                id: "e2".into(),
                name: "=HYPERLINK(\"http://x\")".into(),
                role: "-".into(),
                location_id: String::new(),
                updated_at: t,
            },
        ]
    }

    #[test]
    fn employees_round_trip_in_both_languages() {
        let known = HashSet::from(["loc-1"]);
        for lang in Lang::ALL {
            let text = employees_csv(&staff(), lang);
            assert!(text.starts_with('\u{feff}'));
            let back = parse_employees(&text, &known, staff()[0].updated_at, &mut ids()).unwrap();
            assert_eq!(back, staff(), "{lang:?}");
        }
    }

    #[test]
    fn exports_are_read_by_an_independent_csv_reader_with_formulas_made_inert() {
        let text = employees_csv(&staff(), Lang::Ru);
        let mut r = ::csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        assert_eq!(
            r.headers().unwrap().iter().collect::<Vec<_>>(),
            EMPLOYEE_COLUMNS
        );
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows[0], ["e1", "Анна Петрова", "кассир; старший", "loc-1"]);
        assert_eq!(rows[1][1], "'=HYPERLINK(\"http://x\")");
    }

    #[test]
    fn hand_typed_files_are_read_with_new_ids_and_russian_headers() {
        let text = "Название,ID\nТЦ Мега,\n\nЦентр,loc-c\n";
        let got = parse_locations(text, &mut ids()).unwrap();
        assert_eq!(
            got,
            vec![
                Location {
                    id: "new-1".into(),
                    name: "ТЦ Мега".into()
                },
                Location {
                    id: "loc-c".into(),
                    name: "Центр".into()
                },
            ]
        );
        let locations = locations_csv(&got, Lang::En);
        assert_eq!(parse_locations(&locations, &mut ids()).unwrap(), got);
    }

    #[test]
    fn a_bad_row_refuses_the_whole_file_with_its_line() {
        let known = HashSet::from(["loc-1"]);
        let t = Timestamp::new(0, 0);
        let cases = [
            ("", DirectoryError::NotCsv),
            ("id;role\n1;x\n", DirectoryError::NoNameColumn),
            ("id;name\n1;A\n2;\n", DirectoryError::EmptyName { line: 3 }),
            (
                "id;name\n1;A\n1;B\n",
                DirectoryError::DuplicateId {
                    line: 3,
                    id: "1".into(),
                },
            ),
            (
                "name;location_id\nA;loc-9\n",
                DirectoryError::UnknownLocation {
                    line: 2,
                    id: "loc-9".into(),
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(
                parse_employees(text, &known, t, &mut ids()),
                Err(want.clone()),
                "{text:?}"
            );
            for lang in Lang::ALL {
                assert!(!want.message(lang).is_empty());
            }
        }
        let long = format!("name\n{}\n", "я".repeat(MAX_TEXT_CHARS + 1));
        assert_eq!(
            parse_locations(&long, &mut ids()),
            Err(DirectoryError::TooLong { line: 2 })
        );
        let many = format!("name\n{}", "x\n".repeat(MAX_ROWS + 1));
        assert_eq!(
            parse_locations(&many, &mut ids()),
            Err(DirectoryError::TooManyRows)
        );
    }
}
