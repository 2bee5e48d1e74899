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

fn kpi_row<'a>(rows: &'a [Vec<(String, Data)>], name: &str) -> &'a [(String, Data)] {
    rows.iter()
        .find(|r| r[0].1 == Data::String(name.into()))
        .unwrap_or_else(|| panic!("no KPI row {name}"))
}

fn text(s: &str) -> Data {
    Data::String(s.into())
}

#[test]
fn a_sheet_per_questionnaire_and_the_kpis() {
    let c = sample();
    let bytes = workbook((&c).into(), &Selection::All, Lang::En).unwrap();
    let mut book = open(bytes);
    assert_eq!(book.sheet_names(), vec!["Audit", "Survey", "KPIs"]);

    let (header, rows) = sheet(&mut book, "Audit");
    let head: Vec<&str> = WIDE_COLUMNS.iter().map(|c| c.title(Lang::En)).collect();
    assert_eq!(header[..WIDE_COLUMNS.len()], head);
    assert_eq!(
        header[WIDE_COLUMNS.len()..],
        ["Greeted?", "Cleanliness", "Payment", "Wait, s", "Notes"]
    );
    assert_eq!(rows.len(), 2);
    let (first, second) = (&rows[0], &rows[1]);
    assert_eq!(cell(first, "Response ID"), &text(&uuid(1).to_string()));
    assert_eq!(cell(first, "Questionnaire"), &text("Audit"));
    assert_eq!(cell(first, "Version"), &Data::Float(1.0));
    assert_eq!(cell(first, "Status"), &text("Submitted"));
    assert_eq!(cell(first, "Score"), &Data::Float(100.0));
    assert_eq!(cell(first, "Greeted?"), &text("Yes"));
    assert_eq!(cell(first, "Cleanliness"), &Data::Float(5.0));
    assert_eq!(cell(first, "Payment"), &text("Fast"));
    assert_eq!(cell(first, "Notes"), &text("Всё хорошо,\nспасибо"));
    // A date cell, at the wall-clock time of the visit.
    match cell(first, "Date") {
        Data::DateTime(d) => {
            use crate::domain::calendar::days_from_civil;
            // Excel counts days from 1899-12-30.
            let day = days_from_civil(2026, 3, 2) - days_from_civil(1899, 12, 30);
            assert!((d.as_f64() - (day as f64 + 10.0 / 24.0)).abs() < 1e-6);
        }
        other => panic!("not a date: {other:?}"),
    }
    assert_eq!(cell(second, "Score"), &Data::Float(6.25));
    assert_eq!(cell(second, "Wait, s"), &Data::Float(-0.5));
    assert_eq!(cell(second, "Location"), &text("Arbat <b>2</b>"));
    assert_eq!(cell(second, "Location ID"), &text("loc-2"));
    assert_eq!(cell(second, "Employee"), &text("Анна; Boris"));
    assert_eq!(
        cell(second, "Employee description"),
        &text("высокий, в очках")
    );

    let (_, rows) = sheet(&mut book, "Survey");
    assert_eq!(rows.len(), 2, "the draft too: the selection is everything");
    // Text that looks like a formula is stored as text, unquoted.
    let answered = rows
        .iter()
        .find(|r| cell(r, "Response ID") == &text(&uuid(3).to_string()))
        .unwrap();
    assert_eq!(cell(answered, "Why?"), &text("=1+2"));
    assert_eq!(
        book.worksheet_formula("Survey")
            .unwrap()
            .used_cells()
            .count(),
        0
    );

    let (header, rows) = sheet(&mut book, "KPIs");
    let expected: Vec<&str> = KPI_COLUMNS.iter().map(|m| m.text(Lang::En)).collect();
    assert_eq!(header, expected);
    assert_eq!(rows.len(), 22);
    let audit = kpi_row(&rows, "Audit score");
    // (100 + 6.25) / 2 = 53.125, shown with one decimal as on the dashboard.
    assert_eq!(cell(audit, "Value"), &Data::Float(53.1));
    assert_eq!(
        crate::dashboard::cards::Unit::Points.format(53.125, Lang::En),
        "53.1"
    );
    assert_eq!(cell(audit, "Count"), &Data::Float(2.0));
    assert_eq!(cell(audit, "Few responses"), &text("Yes"));
    let nps = kpi_row(&rows, kpi::definition(KpiId::Nps).name.get(Lang::En));
    assert_eq!(cell(nps, "Value"), &Data::Float(100.0));
    assert_eq!(cell(nps, "Count"), &Data::Float(1.0));
    assert!(matches!(cell(nps, "95% interval: from"), Data::Float(_)));
    let csat = kpi_row(&rows, kpi::definition(KpiId::Csat).name.get(Lang::En));
    assert_eq!(cell(csat, "Value"), &Data::Empty, "nothing measured");
    assert_eq!(cell(csat, "Count"), &Data::Float(0.0));
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
    assert_eq!(book.sheet_names(), vec!["Проверка", "Показатели"]);
    let (header, rows) = sheet(&mut book, "Проверка");
    assert_eq!(header[0], "Ответ (ID)");
    assert_eq!(rows.len(), 1);
    assert_eq!(cell(&rows[0], "Поздоровались?"), &text("Нет"));
    assert_eq!(cell(&rows[0], "Статус"), &text("Завершён"));
    let (_, rows) = sheet(&mut book, "Показатели");
    let audit = kpi_row(&rows, "Оценка проверки");
    assert_eq!(cell(audit, "Значение"), &Data::Float(6.2));
    // The same figure the dashboard shows, as it shows it.
    let d = Dataset::build(&c.questionnaires, &c.responses);
    let expected = kpi::compute_all(&d, &f).overall.audit.score.value.unwrap();
    assert_eq!(
        crate::dashboard::cards::Unit::Points.format(expected, Lang::Ru),
        "6,2"
    );
    assert_eq!(cell(audit, "Мало ответов"), &text("Да"));
}

#[test]
fn nothing_selected_still_gives_the_kpi_sheet() {
    let c = sample();
    let none = |_: &crate::domain::Response| false;
    let mut book = open(workbook((&c).into(), &Selection::Predicate(&none), Lang::En).unwrap());
    assert_eq!(book.sheet_names(), vec!["KPIs"]);
    let (_, rows) = sheet(&mut book, "KPIs");
    assert_eq!(
        cell(kpi_row(&rows, "Audit score"), "Count"),
        &Data::Float(0.0)
    );
}

#[test]
fn sheets_are_named_by_title_and_never_twice() {
    let mut c = sample();
    c.questionnaires[1].title = c.questionnaires[0].title.clone();
    let mut book = open(workbook((&c).into(), &Selection::All, Lang::En).unwrap());
    assert_eq!(book.sheet_names(), vec!["Audit", "Audit (2)", "KPIs"]);
    assert_eq!(sheet(&mut book, "Audit (2)").1.len(), 2);
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
fn long_texts_fit_a_cell() {
    let s = "ё".repeat(MAX_CELL_UNITS + 5);
    assert_eq!(fit_cell(&s).chars().count(), MAX_CELL_UNITS);
    let emoji = "😀".repeat(MAX_CELL_UNITS);
    assert_eq!(fit_cell(&emoji).chars().count(), MAX_CELL_UNITS / 2);
    assert_eq!(fit_cell("ok"), "ok");
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
