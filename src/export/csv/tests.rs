//! Every export is read back by the `csv` crate's reader, as a spreadsheet
//! or a script would read it, never by string matching on our own output.

use std::collections::HashMap;

use super::*;
use crate::exchange::test_data::{sample, uuid};
use crate::kpi::{Filter, Period};

/// The header and rows of `text`, after checking the byte-order mark.
fn read(text: &str, lang: Lang) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let body = text.strip_prefix(BOM).expect("starts with a BOM");
    assert!(!body.starts_with(BOM));
    let mut r = ::csv::ReaderBuilder::new()
        .delimiter(delimiter(lang))
        .from_reader(body.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            assert_eq!(rec.len(), header.len(), "every row as wide as the header");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (header, rows)
}

fn find<'a>(
    rows: &'a [HashMap<String, String>],
    response: u128,
    question: &str,
) -> &'a HashMap<String, String> {
    let id = uuid(response).to_string();
    rows.iter()
        .find(|r| r["response_id"] == id && r["question_id"] == question)
        .unwrap_or_else(|| panic!("no row for {response} {question}"))
}

#[test]
fn long_english() {
    let c = sample();
    let text = long_csv((&c).into(), &Selection::All, Lang::En);
    assert!(text.contains("\r\n"));
    let (header, rows) = read(&text, Lang::En);
    assert_eq!(header, LONG_COLUMNS);
    assert_eq!(
        rows.len(),
        5 + 4 + 2 + 1,
        "one row per answer, drafts included"
    );

    let wait = find(&rows, 1, "q-wait");
    assert_eq!(wait["questionnaire_id"], "aud");
    assert_eq!(wait["questionnaire_version"], "1");
    assert_eq!(wait["status"], "submitted");
    assert_eq!(wait["location_id"], "loc-1");
    assert_eq!(wait["location_name"], "Тверская, 1");
    assert_eq!(wait["employee_names"], "Анна");
    assert_eq!(wait["submitted_at"], "2026-03-02T10:00:00+03:00");
    assert_eq!(wait["section_id"], "s2");
    assert_eq!(wait["question_text"], "Wait");
    assert_eq!(wait["answer_type"], "number");
    assert_eq!(wait["value"], "12.5");
    assert_eq!(wait["value_text"], "12.5 s");
    assert_eq!(wait["numeric_value"], "12.5");

    let greet = find(&rows, 1, "q-greet");
    assert_eq!(
        (greet["value"].as_str(), greet["value_text"].as_str()),
        ("yes", "Yes")
    );
    assert_eq!(greet["numeric_value"], "1");
    assert_eq!(greet["comment"], "улыбнулись; \"тепло\"");
    assert_eq!(find(&rows, 1, "q-notes")["value"], "Всё хорошо,\nспасибо");
    assert_eq!(find(&rows, 1, "q-pay")["value_text"], "Fast");

    let second = find(&rows, 2, "q-greet");
    assert_eq!(second["comment"], "<script>alert('x')</script>");
    assert_eq!(second["employee_ids"], "emp-1; emp-2");
    assert_eq!(second["employee_names"], "Анна; Boris");
    assert_eq!(second["location_name"], "Arbat <b>2</b>");
    // A negative number is a number; a formula-like text is quoted.
    assert_eq!(find(&rows, 2, "q-wait")["value"], "-0.5");
    assert_eq!(find(&rows, 3, "q-why")["value"], "'=1+2");
    assert_eq!(find(&rows, 3, "q-nps")["answer_type"], "nps");
    let draft = find(&rows, 4, "q-nps");
    assert_eq!(
        (draft["status"].as_str(), draft["submitted_at"].as_str()),
        ("draft", "")
    );
}

#[test]
fn long_russian() {
    let c = sample();
    let text = long_csv((&c).into(), &Selection::All, Lang::Ru);
    // A comma-separated reader sees one column: the separator really is `;`.
    let mut commas = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches(BOM).as_bytes());
    assert_eq!(commas.headers().unwrap().len(), 1);
    let (header, rows) = read(&text, Lang::Ru);
    assert_eq!(
        header, LONG_COLUMNS,
        "column names do not change with the language"
    );
    let wait = find(&rows, 1, "q-wait");
    assert_eq!(wait["value"], "12,5");
    assert_eq!(wait["value_text"], "12,5 с");
    assert_eq!(wait["numeric_value"], "12,5");
    assert_eq!(wait["question_text"], "Ожидание");
    assert_eq!(find(&rows, 2, "q-wait")["value"], "-0,5");
    let greet = find(&rows, 2, "q-greet");
    assert_eq!(
        (greet["value"].as_str(), greet["value_text"].as_str()),
        ("no", "Нет")
    );
    assert_eq!(
        find(&rows, 1, "q-greet")["comment"],
        "улыбнулись; \"тепло\""
    );
    assert_eq!(find(&rows, 2, "q-pay")["value_text"], "Медленно");
}

#[test]
fn the_dashboard_filter_limits_every_export() {
    let c = sample();
    let all = Filter::default();
    let (_, rows) = read(
        &long_csv((&c).into(), &Selection::Dashboard(&all), Lang::En),
        Lang::En,
    );
    assert_eq!(rows.len(), 11, "the draft is not on the dashboard");

    let loc2 = Filter {
        locations: vec!["loc-2".into()],
        ..Filter::default()
    };
    let (_, rows) = read(
        &long_csv((&c).into(), &Selection::Dashboard(&loc2), Lang::En),
        Lang::En,
    );
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r["response_id"] == uuid(2).to_string()));

    let boris = Filter {
        employees: vec!["emp-2".into()],
        ..Filter::default()
    };
    let (_, rows) = read(
        &long_csv((&c).into(), &Selection::Dashboard(&boris), Lang::En),
        Lang::En,
    );
    assert_eq!(rows.len(), 4);

    // Responses 1 and 2 are at +0 and +60 minutes; response 3 at +120.
    let t0 = c.responses[0].submitted_at.unwrap().utc_ms;
    let first_hour = Filter {
        period: Some(Period::new(t0, t0 + 3_600_000)),
        ..Filter::default()
    };
    let (_, rows) = read(
        &long_csv((&c).into(), &Selection::Dashboard(&first_hour), Lang::En),
        Lang::En,
    );
    assert!(rows.iter().all(|r| r["response_id"] == uuid(1).to_string()));

    let surveys = Filter {
        questionnaires: vec!["srv".into()],
        ..Filter::default()
    };
    assert_eq!(
        questionnaires_in((&c).into(), &Selection::Dashboard(&surveys)),
        vec!["srv"]
    );
    assert_eq!(
        questionnaires_in((&c).into(), &Selection::All),
        vec!["aud", "srv"]
    );

    let drafts_only = |r: &crate::domain::Response| r.submitted_at.is_none();
    let (_, rows) = read(
        &long_csv((&c).into(), &Selection::Predicate(&drafts_only), Lang::En),
        Lang::En,
    );
    assert_eq!(rows.len(), 1);
}

#[test]
fn wide_with_audit_scores() {
    let c = sample();
    for lang in [Lang::En, Lang::Ru] {
        let (header, rows) = read(&wide_csv((&c).into(), "aud", &Selection::All, lang), lang);
        let mut expected: Vec<&str> = WIDE_COLUMNS.to_vec();
        expected.extend(["q-greet", "q-clean", "q-pay", "q-wait", "q-notes"]);
        assert_eq!(header, expected);
        assert_eq!(rows.len(), 2);
        let (first, second) = (&rows[0], &rows[1]);
        assert_eq!(first["response_id"], uuid(1).to_string());
        assert_eq!(first["audit_score"], "100");
        assert_eq!(first["q-greet"], "yes");
        assert_eq!(first["q-clean"], "5");
        assert_eq!(first["q-pay"], "fast");
        assert_eq!(first["device_id"], "phone-a");
        assert_eq!(first["started_at"], "2026-03-02T10:00:00+03:00");
        // Entrance: (0 + 0.25) / 2 = 12.5; checkout: 0; visit: 6.25.
        let (score, wait) = match lang {
            Lang::En => ("6.25", "-0.5"),
            Lang::Ru => ("6,25", "-0,5"),
        };
        assert_eq!(second["audit_score"], score);
        assert_eq!(second["q-wait"], wait);
        assert_eq!(second["q-notes"], "", "unanswered");
    }
    let (header, rows) = read(
        &wide_csv((&c).into(), "srv", &Selection::All, Lang::En),
        Lang::En,
    );
    assert_eq!(header.last().unwrap(), "q-why");
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter().all(|r| r["audit_score"].is_empty()),
        "surveys have no audit score"
    );
    let (_, rows) = read(
        &wide_csv((&c).into(), "nothing", &Selection::All, Lang::En),
        Lang::En,
    );
    assert!(rows.is_empty());
}

#[test]
fn columns_of_every_version() {
    let mut c = sample();
    let mut v2 = c.questionnaires[0].next_draft();
    v2.sections[1].questions.retain(|q| q.id != "q-notes");
    v2.sections[1].questions[0].id = "q-card".into();
    c.questionnaires.push(v2);
    let (header, _) = read(
        &wide_csv((&c).into(), "aud", &Selection::All, Lang::En),
        Lang::En,
    );
    assert_eq!(
        header[WIDE_COLUMNS.len()..],
        ["q-greet", "q-clean", "q-card", "q-wait", "q-pay", "q-notes"]
    );
}

#[test]
fn formula_text_is_neutralised() {
    for s in ["=HYPERLINK(\"x\")", "+1", "-cmd", "@SUM(A1)", "\tx", "\rx"] {
        assert_eq!(neutralise(s), format!("'{s}"));
    }
    for s in ["", "a=b", "1", "Тверская"] {
        assert_eq!(neutralise(s), s);
    }
}

/// Whether a spreadsheet would run `field` as a formula (a number such as
/// `-0,5` is a number).
fn live_formula(field: &str) -> bool {
    field.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && field.replace(',', ".").parse::<f64>().is_err()
}

/// Every field of `text` read with `delimiter`, quotes honoured as a
/// spreadsheet honours them.
fn fields(text: &str, delimiter: u8) -> Vec<String> {
    let mut r = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches(BOM).as_bytes());
    r.records()
        .flat_map(|rec| rec.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

/// The findings: a question id is free text and named a header cell; a
/// payload after the other list separator became a cell of its own when the
/// file was opened with that separator.
#[test]
fn no_cell_is_a_live_formula_under_either_list_separator() {
    let mut c = sample();
    let survey = c.questionnaires.iter_mut().find(|q| q.id == "srv").unwrap();
    survey.sections[0].questions[1].id = "=1+2".into();
    for r in c
        .responses
        .iter_mut()
        .filter(|r| r.questionnaire_id == "srv")
    {
        if let Some(a) = r.answers.remove("q-why") {
            r.answers.insert("=1+2".into(), a);
        }
    }
    c.locations[0].name = "ok;+cmd|' /C calc'!A0".into();
    c.locations[1].name = "ok,=1+2".into();
    c.employees[0].name = "@SUM(A1)".into();
    for lang in [Lang::En, Lang::Ru] {
        let texts = [
            long_csv((&c).into(), &Selection::All, lang),
            wide_csv((&c).into(), "srv", &Selection::All, lang),
            crate::exchange::directory::locations_csv(&c.locations, lang),
            crate::exchange::directory::employees_csv(&c.employees, lang),
        ];
        for text in &texts {
            for delimiter in [b',', b';'] {
                for f in fields(text, delimiter) {
                    assert!(
                        !live_formula(&f),
                        "{lang:?} read with {}: {f:?}",
                        delimiter as char
                    );
                }
            }
        }
        let (header, _) = read(&texts[1], lang);
        assert!(header.contains(&"'=1+2".to_owned()), "{header:?}");
    }
}

#[test]
fn neutralising_is_undone_exactly() {
    for s in [
        "plain",
        "=1+2",
        "ok;+cmd",
        "ok, =1",
        "a;\"@x",
        "-",
        "",
        "Tverskaya; -1 floor",
    ] {
        assert_eq!(restore(&neutralise(s)), s, "{s}");
        assert!(!neutralise(s).starts_with(FORMULA));
    }
    assert_eq!(neutralise("ok;+cmd"), "ok;'+cmd");
    assert_eq!(neutralise("ok, =1"), "ok, '=1");
}
