//! The workbook is read back by calamine, an XLSX reader we did not write.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::*;
use crate::exchange::test_data::{sample, uuid};
use crate::export::table::WIDE_COLUMNS;

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).expect("calamine opens the workbook")
}

/// Rows of a sheet as (header → cell) maps.
fn sheet(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> (Vec<String>, Vec<Vec<(String, Data)>>) {
    let range = book.worksheet_range(name).expect("the sheet exists");
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let body = rows
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect();
    (header, body)
}

fn cell<'a>(row: &'a [(String, Data)], column: &str) -> &'a Data {
    &row.iter().find(|(c, _)| c == column).unwrap().1
}

fn kpi_row<'a>(rows: &'a [Vec<(String, Data)>], key: &str) -> &'a [(String, Data)] {
    rows.iter()
        .find(|r| cell(r, "kpi") == &Data::String(key.into()))
        .unwrap_or_else(|| panic!("no KPI row {key}"))
}

#[test]
fn a_sheet_per_questionnaire_and_the_kpis() {
    let c = sample();
    let bytes = workbook((&c).into(), &Selection::All, Lang::En).unwrap();
    let mut book = open(bytes);
    assert_eq!(book.sheet_names(), vec!["aud", "srv", "KPI"]);

    let (header, rows) = sheet(&mut book, "aud");
    assert_eq!(header[..WIDE_COLUMNS.len()], WIDE_COLUMNS);
    assert_eq!(
        header[WIDE_COLUMNS.len()..],
        ["q-greet", "q-clean", "q-pay", "q-wait", "q-notes"]
    );
    assert_eq!(rows.len(), 2);
    let (first, second) = (&rows[0], &rows[1]);
    assert_eq!(
        cell(first, "response_id"),
        &Data::String(uuid(1).to_string())
    );
    assert_eq!(cell(first, "questionnaire_version"), &Data::Float(1.0));
    assert_eq!(cell(first, "audit_score"), &Data::Float(100.0));
    assert_eq!(cell(first, "q-greet"), &Data::String("yes".into()));
    assert_eq!(cell(first, "q-clean"), &Data::Float(5.0));
    assert_eq!(
        cell(first, "q-notes"),
        &Data::String("Всё хорошо,\nспасибо".into())
    );
    assert_eq!(cell(second, "audit_score"), &Data::Float(6.25));
    assert_eq!(cell(second, "q-wait"), &Data::Float(-0.5));
    assert_eq!(
        cell(second, "location_name"),
        &Data::String("Arbat <b>2</b>".into())
    );
    assert_eq!(
        cell(second, "employee_names"),
        &Data::String("Анна; Boris".into())
    );

    let (_, rows) = sheet(&mut book, "srv");
    assert_eq!(rows.len(), 2, "the draft too: the selection is everything");
    // Text that looks like a formula is stored as text, unquoted.
    let answered = rows
        .iter()
        .find(|r| cell(r, "response_id") == &Data::String(uuid(3).to_string()))
        .unwrap();
    assert_eq!(cell(answered, "q-why"), &Data::String("=1+2".into()));
    assert_eq!(
        book.worksheet_formula("srv").unwrap().used_cells().count(),
        0
    );

    let (header, rows) = sheet(&mut book, KPI_SHEET);
    assert_eq!(header, KPI_COLUMNS);
    assert_eq!(rows.len(), 22);
    let audit = kpi_row(&rows, "audit_score");
    assert_eq!(cell(audit, "name"), &Data::String("Audit score".into()));
    assert_eq!(cell(audit, "value"), &Data::Float((100.0 + 6.25) / 2.0));
    assert_eq!(cell(audit, "n"), &Data::Float(2.0));
    assert_eq!(cell(audit, "small_sample"), &Data::Bool(true));
    let nps = kpi_row(&rows, "nps");
    assert_eq!(cell(nps, "value"), &Data::Float(100.0));
    assert_eq!(cell(nps, "n"), &Data::Float(1.0));
    assert!(matches!(cell(nps, "ci_low"), Data::Float(_)));
    let csat = kpi_row(&rows, "csat");
    assert_eq!(cell(csat, "value"), &Data::Empty, "nothing measured");
    assert_eq!(cell(csat, "n"), &Data::Float(0.0));
}

#[test]
fn the_dashboard_filter_limits_sheets_and_kpis() {
    let c = sample();
    let f = Filter {
        locations: vec!["loc-2".into()],
        ..Filter::default()
    };
    let bytes = workbook((&c).into(), &Selection::Dashboard(&f), Lang::Ru).unwrap();
    let mut book = open(bytes);
    assert_eq!(book.sheet_names(), vec!["aud", "KPI"]);
    let (_, rows) = sheet(&mut book, "aud");
    assert_eq!(rows.len(), 1);
    let (_, rows) = sheet(&mut book, KPI_SHEET);
    let audit = kpi_row(&rows, "audit_score");
    assert_eq!(cell(audit, "name"), &Data::String("Оценка проверки".into()));
    assert_eq!(cell(audit, "value"), &Data::Float(6.25));
    // The same figure the dashboard shows.
    let d = Dataset::build(&c.questionnaires, &c.responses);
    let expected = kpi::compute_all(&d, &f).overall.audit.score.value.unwrap();
    assert_eq!(cell(audit, "value"), &Data::Float(expected));
}

#[test]
fn nothing_selected_still_gives_the_kpi_sheet() {
    let c = sample();
    let none = |_: &crate::domain::Response| false;
    let mut book = open(workbook((&c).into(), &Selection::Predicate(&none), Lang::En).unwrap());
    assert_eq!(book.sheet_names(), vec!["KPI"]);
    let (_, rows) = sheet(&mut book, KPI_SHEET);
    assert_eq!(cell(kpi_row(&rows, "audit_score"), "n"), &Data::Float(0.0));
}

#[test]
fn sheet_names_excel_accepts() {
    let taken = vec!["KPI".to_owned(), "aud".to_owned()];
    assert_eq!(sheet_name("a/b:c*d?[e]\\", &taken), "a_b_c_d__e__");
    assert_eq!(sheet_name("AUD", &taken), "AUD (2)");
    assert_eq!(sheet_name("kpi", &taken), "kpi (2)");
    assert_eq!(sheet_name("History", &taken), "sheet");
    assert_eq!(sheet_name("''", &taken), "sheet");
    let long = "я".repeat(40);
    assert_eq!(sheet_name(&long, &taken).chars().count(), 31);
    let taken = vec![long.chars().take(31).collect::<String>()];
    let second = sheet_name(&long, &taken);
    assert_eq!(second.chars().count(), 31);
    assert!(second.ends_with(" (2)"));
}

#[test]
fn long_texts_fit_a_cell_and_keys_are_snake_case() {
    let s = "ё".repeat(MAX_CELL_UNITS + 5);
    assert_eq!(fit_cell(&s).chars().count(), MAX_CELL_UNITS);
    let emoji = "😀".repeat(MAX_CELL_UNITS);
    assert_eq!(fit_cell(&emoji).chars().count(), MAX_CELL_UNITS / 2);
    assert_eq!(fit_cell("ok"), "ok");
    assert_eq!(kpi_key(KpiId::CesEasyShare), "ces_easy_share");
    assert_eq!(kpi_key(KpiId::Nps), "nps");
    for lang in [Lang::Ru, Lang::En] {
        let e = XlsxExportError::TooManyRows {
            questionnaire_id: "q".into(),
            rows: 2_000_000,
        };
        assert!(e.message(lang).contains("2000000"));
        let w = XlsxExportError::Writer { detail: "x".into() };
        assert!(!w.message(lang).is_empty());
    }
}
