//! CSV exports: long (one row per answer) and wide (one row per response of
//! one questionnaire, one column per question id).
//!
//! UTF-8 with a byte-order mark, so Excel reads Cyrillic; for Russian `;`
//! between fields and a decimal comma, as Excel in a Russian locale expects,
//! for English `,` and a decimal point. Column names are the same in both.
//!
//! Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
//! carriage return first) is written with a leading `'`: names and comments
//! come from other people's files, and a cell must show them, not run them.
//! Numbers are written as numbers and never get the quote.

use super::table::{Cell, ExportData, Selection, Tables, LONG_COLUMNS};
use crate::i18n::Lang;

pub use super::table::{filter_matches, WIDE_COLUMNS};

pub const BOM: &str = "\u{feff}";

/// The field separator Excel expects in `lang`'s locale.
pub fn delimiter(lang: Lang) -> u8 {
    match lang {
        Lang::Ru => b';',
        Lang::En => b',',
    }
}

/// One row per answer of every selected response; columns [`LONG_COLUMNS`].
pub fn long_csv(data: ExportData<'_>, selection: &Selection<'_>, lang: Lang) -> String {
    let tables = Tables::new(data, lang);
    let rows = tables.selected(selection);
    let mut w = Writer::new(lang);
    w.row(LONG_COLUMNS.iter().map(|c| (*c).to_owned()));
    tables.long_rows(&rows, |cells| w.cells(cells));
    w.finish()
}

/// One row per selected response to `questionnaire_id` (any version), with
/// the audit score; columns [`WIDE_COLUMNS`] then one per question id.
pub fn wide_csv(
    data: ExportData<'_>,
    questionnaire_id: &str,
    selection: &Selection<'_>,
    lang: Lang,
) -> String {
    let tables = Tables::new(data, lang);
    let rows = tables.selected(selection);
    let mut w = Writer::new(lang);
    w.row(tables.wide_columns(questionnaire_id));
    tables.wide_rows(questionnaire_id, &rows, |cells| w.cells(cells));
    w.finish()
}

/// Questionnaire ids among the selected responses, oldest first: one wide
/// file each.
pub fn questionnaires_in(data: ExportData<'_>, selection: &Selection<'_>) -> Vec<String> {
    let tables = Tables::new(data, Lang::En);
    let rows = tables.selected(selection);
    Tables::questionnaire_ids(&rows)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

pub(crate) struct Writer {
    inner: ::csv::Writer<Vec<u8>>,
    lang: Lang,
}

impl Writer {
    pub(crate) fn new(lang: Lang) -> Writer {
        let inner = ::csv::WriterBuilder::new()
            .delimiter(delimiter(lang))
            .terminator(::csv::Terminator::CRLF)
            .from_writer(BOM.as_bytes().to_vec());
        Writer { inner, lang }
    }

    pub(crate) fn row(&mut self, fields: impl IntoIterator<Item = String>) {
        // Writing to a Vec cannot fail.
        self.inner.write_record(fields).expect("CSV into memory");
    }

    fn cells(&mut self, cells: &[Cell]) {
        let lang = self.lang;
        self.row(cells.iter().map(|c| render(c, lang)));
    }

    pub(crate) fn finish(self) -> String {
        let bytes = self.inner.into_inner().expect("CSV into memory");
        // Every field came from a String.
        String::from_utf8(bytes).expect("CSV of UTF-8 text is UTF-8")
    }
}

fn render(cell: &Cell, lang: Lang) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Number(x) => super::table::decimal(*x, lang),
        Cell::Text(s) => neutralise(s),
    }
}

/// `s`, made inert for a spreadsheet's formula parser.
pub fn neutralise(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
