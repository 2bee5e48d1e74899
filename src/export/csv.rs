//! CSV exports: long (one row per answer) and wide (one row per response of
//! one questionnaire, one column per question id).
//!
//! UTF-8 with a byte-order mark, so Excel reads Cyrillic; for Russian `;`
//! between fields and a decimal comma, as Excel in a Russian locale expects,
//! for English `,` and a decimal point. Headers are in the reader's
//! language; dates are written as that language's Excel reads them back.
//!
//! Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
//! carriage return first) is written with a leading `'`: names, comments
//! and question ids come from other people's files, and a cell must show
//! them, not run them. The header row is text like any other. Numbers are
//! written as numbers and never get the apostrophe.
//!
//! Every field is quoted. A file is often opened with the other list
//! separator than it was written with (a Russian Excel reading an English
//! export): unquoted, `ok;+cmd|…` would split there into a cell starting
//! with `+`. Quoted, it stays one cell whichever separator splits the line.

use super::table::{titles, Cell, ExportData, Selection, Tables, LONG_COLUMNS};
use crate::i18n::Lang;

pub use super::table::WIDE_COLUMNS;

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
    w.text_row(titles(&LONG_COLUMNS, lang));
    tables.long_rows(&rows, |cells| w.cells(cells));
    w.finish()
}

/// One row per selected response to `questionnaire_id` (any version), with
/// the audit score; columns [`WIDE_COLUMNS`] then one per question.
pub fn wide_csv(
    data: ExportData<'_>,
    questionnaire_id: &str,
    selection: &Selection<'_>,
    lang: Lang,
) -> String {
    let tables = Tables::new(data, lang);
    let rows = tables.selected(selection);
    let mut w = Writer::new(lang);
    w.text_row(tables.wide_columns(questionnaire_id));
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
            .quote_style(::csv::QuoteStyle::Always)
            .from_writer(BOM.as_bytes().to_vec());
        Writer { inner, lang }
    }

    /// A row of text fields (a header, a directory row), each made inert.
    pub(crate) fn text_row(&mut self, fields: impl IntoIterator<Item = String>) {
        self.row(fields.into_iter().map(|f| neutralise(&f)));
    }

    fn row(&mut self, fields: impl IntoIterator<Item = String>) {
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
        Cell::Moment(t) => super::table::moment_text(*t, lang),
    }
}

/// The characters a spreadsheet starts a formula with.
const FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `s`, made inert for a spreadsheet's formula parser: a `'` before a
/// formula character that starts the text or follows either list separator
/// (past spaces and quotes), so no cell starts a formula whichever
/// separator the spreadsheet splits the line with.
pub fn neutralise(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 1);
    let mut at_start = true;
    for c in s.chars() {
        if at_start && FORMULA.contains(&c) {
            out.push('\'');
        }
        out.push(c);
        at_start = matches!(c, ',' | ';') || (at_start && matches!(c, ' ' | '"'));
    }
    out
}

/// The text [`neutralise`] was given: its apostrophes taken off again, for
/// reading our own files back (the directory CSV).
pub fn restore(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_start = true;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if at_start && c == '\'' && chars.peek().is_some_and(|n| FORMULA.contains(n)) {
            continue;
        }
        out.push(c);
        at_start = matches!(c, ',' | ';') || (at_start && matches!(c, ' ' | '"'));
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
