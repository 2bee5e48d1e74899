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

/// The header of `column` in `lang`.
fn h(column: crate::export::table::Column, lang: Lang) -> &'static str {
    column.title(lang)
}

fn find<'a>(
    rows: &'a [HashMap<String, String>],
    response: u128,
    question: &str,
    lang: Lang,
) -> &'a HashMap<String, String> {
    let id = uuid(response).to_string();
    rows.iter()
        .find(|r| r[h(C::ResponseId, lang)] == id && r[h(C::QuestionId, lang)] == question)
        .unwrap_or_else(|| panic!("no row for {response} {question}"))
}

use crate::export::table::Column as C;

#[test]
fn long_english() {
    let en = Lang::En;
    let c = sample();
    let text = long_csv((&c).into(), &Selection::All, en);
    assert!(text.contains("\r\n"));
    let (header, rows) = read(&text, en);
    assert_eq!(
        header,
        [
            "Response ID",
            "Questionnaire",
            "Questionnaire ID",
            "Version",
            "Status",
            "Date",
            "Location",
            "Location ID",
            "Employee",
            "Employee ID",
            "Employee description",
            "Submitted",
            "Section",
            "Question ID",
            "Question",
            "Answer",
            "Answer as a number",
            "Comment",
        ]
    );
    assert_eq!(
        rows.len(),
        5 + 4 + 2 + 1,
        "one row per answer, drafts included"
    );

    let wait = find(&rows, 1, "q-wait", en);
    assert_eq!(wait["Questionnaire"], "Audit");
    assert_eq!(wait["Questionnaire ID"], "aud");
    assert_eq!(wait["Version"], "1");
    assert_eq!(wait["Status"], "Submitted");
    assert_eq!(wait["Location ID"], "loc-1");
    assert_eq!(wait["Location"], "Тверская, 1");
    assert_eq!(wait["Employee"], "Анна");
    assert_eq!(wait["Date"], "2026-03-02 10:00");
    assert_eq!(wait["Submitted"], "2026-03-02 10:00");
    assert_eq!(wait["Section"], "Checkout");
    assert_eq!(wait["Question"], "Wait");
    assert_eq!(wait["Answer"], "12.5 s");
    assert_eq!(wait["Answer as a number"], "12.5");

    let greet = find(&rows, 1, "q-greet", en);
    assert_eq!(greet["Answer"], "Yes");
    assert_eq!(greet["Answer as a number"], "1");
    assert_eq!(greet["Comment"], "улыбнулись; \"тепло\"");
    assert_eq!(
        find(&rows, 1, "q-notes", en)["Answer"],
        "Всё хорошо,\nспасибо"
    );
    assert_eq!(find(&rows, 1, "q-pay", en)["Answer"], "Fast");

    let second = find(&rows, 2, "q-greet", en);
    assert_eq!(second["Comment"], "<script>alert('x')</script>");
    assert_eq!(second["Employee ID"], "emp-1; emp-2");
    assert_eq!(second["Employee"], "Анна; Boris");
    assert_eq!(second["Employee description"], "высокий, в очках");
    assert_eq!(second["Location"], "Arbat <b>2</b>");
    // A negative number is a number; a formula-like text is quoted.
    assert_eq!(find(&rows, 2, "q-wait", en)["Answer as a number"], "-0.5");
    assert_eq!(find(&rows, 3, "q-why", en)["Answer"], "'=1+2");
    let draft = find(&rows, 4, "q-nps", en);
    assert_eq!(
        (draft["Status"].as_str(), draft["Submitted"].as_str()),
        ("Draft", "")
    );
    assert_eq!(
        draft["Date"], "2026-03-02 13:20",
        "started, not yet submitted"
    );
}

#[test]
fn long_russian() {
    let ru = Lang::Ru;
    let c = sample();
    let text = long_csv((&c).into(), &Selection::All, ru);
    // A comma-separated reader sees one column: the separator really is `;`.
    let mut commas = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches(BOM).as_bytes());
    assert_eq!(commas.headers().unwrap().len(), 1);
    let (header, rows) = read(&text, ru);
    assert_eq!(
        header[..6],
        [
            "Ответ (ID)",
            "Анкета",
            "Анкета (ID)",
            "Версия",
            "Статус",
            "Дата"
        ]
    );
    assert_eq!(header.len(), LONG_COLUMNS.len());
    let wait = find(&rows, 1, "q-wait", ru);
    assert_eq!(wait["Анкета"], "Проверка");
    assert_eq!(wait["Статус"], "Завершён");
    assert_eq!(
        wait["Дата"], "02.03.2026 10:00",
        "as a Russian Excel reads a date"
    );
    assert_eq!(wait["Раздел"], "Касса");
    assert_eq!(wait["Ответ"], "12,5 с");
    assert_eq!(wait["Ответ числом"], "12,5");
    assert_eq!(wait["Вопрос"], "Ожидание");
    assert_eq!(find(&rows, 2, "q-wait", ru)["Ответ числом"], "-0,5");
    let greet = find(&rows, 2, "q-greet", ru);
    assert_eq!(greet["Ответ"], "Нет");
    assert_eq!(greet["Описание сотрудника"], "высокий, в очках");
    assert_eq!(
        find(&rows, 1, "q-greet", ru)["Комментарий"],
        "улыбнулись; \"тепло\""
    );
    assert_eq!(find(&rows, 2, "q-pay", ru)["Ответ"], "Медленно");
    assert_eq!(find(&rows, 4, "q-nps", ru)["Статус"], "Черновик");
}

#[test]
fn not_applicable_reads_as_the_form_wrote_it() {
    let mut c = sample();
    let r = &mut c.responses[0];
    r.answers.get_mut("q-greet").unwrap().value = crate::domain::AnswerValue::Na;
    for (lang, label) in [(Lang::Ru, "Н/П"), (Lang::En, "N/A")] {
        let (_, rows) = read(&long_csv((&c).into(), &Selection::All, lang), lang);
        let greet = find(&rows, 1, "q-greet", lang);
        assert_eq!(greet[h(C::Answer, lang)], label);
        assert_eq!(greet[h(C::NumericValue, lang)], "");
        let (_, rows) = read(&wide_csv((&c).into(), "aud", &Selection::All, lang), lang);
        let greeting = match lang {
            Lang::Ru => "Поздоровались?",
            Lang::En => "Greeted?",
        };
        assert_eq!(rows[0][greeting], label);
    }
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
    assert!(rows.iter().all(|r| r["Response ID"] == uuid(2).to_string()));

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
    assert!(rows.iter().all(|r| r["Response ID"] == uuid(1).to_string()));

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
        let mut expected: Vec<&str> = WIDE_COLUMNS.iter().map(|c| c.title(lang)).collect();
        let questions = match lang {
            Lang::En => ["Greeted?", "Cleanliness", "Payment", "Wait, s", "Notes"],
            Lang::Ru => [
                "Поздоровались?",
                "Чистота",
                "Оплата",
                "Ожидание, с",
                "Заметки",
            ],
        };
        expected.extend(questions);
        assert_eq!(header, expected);
        assert_eq!(rows.len(), 2);
        let (first, second) = (&rows[0], &rows[1]);
        let col = |row: &HashMap<String, String>, c: C| row[h(c, lang)].clone();
        assert_eq!(col(first, C::ResponseId), uuid(1).to_string());
        assert_eq!(col(first, C::AuditScore), "100");
        let (yes, fast) = match lang {
            Lang::En => ("Yes", "Fast"),
            Lang::Ru => ("Да", "Быстро"),
        };
        assert_eq!(first[questions[0]], yes);
        assert_eq!(first[questions[1]], "5");
        assert_eq!(first[questions[2]], fast);
        assert_eq!(col(first, C::Device), "phone-a");
        let started = match lang {
            Lang::En => "2026-03-02 10:00",
            Lang::Ru => "02.03.2026 10:00",
        };
        assert_eq!(col(first, C::StartedAt), started);
        // Entrance: (0 + 0.25) / 2 = 12.5; checkout: 0; visit: 6.25.
        let (score, wait) = match lang {
            Lang::En => ("6.25", "-0.5"),
            Lang::Ru => ("6,25", "-0,5"),
        };
        assert_eq!(col(second, C::AuditScore), score);
        assert_eq!(second[questions[3]], wait, "a number stays a number");
        assert_eq!(second[questions[4]], "", "unanswered");
        assert_eq!(col(second, C::EmployeeNote), "высокий, в очках");
    }
    let (header, rows) = read(
        &wide_csv((&c).into(), "srv", &Selection::All, Lang::En),
        Lang::En,
    );
    assert_eq!(header.last().unwrap(), "Why?");
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter().all(|r| r["Score"].is_empty()),
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
    // q-card took the payment question's wording: two columns read the
    // same, so each says which question it is.
    assert_eq!(
        header[WIDE_COLUMNS.len()..],
        [
            "Greeted?",
            "Cleanliness",
            "Payment [q-card]",
            "Wait, s",
            "Payment [q-pay]",
            "Notes"
        ]
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
        let (_, rows) = read(&texts[0], lang);
        assert!(
            rows.iter().any(|r| r[h(C::QuestionId, lang)] == "'=1+2"),
            "the question id is kept, made inert"
        );
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
