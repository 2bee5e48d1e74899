//! XLSX export: one sheet per questionnaire in the wide layout of
//! [`super::csv::wide_csv`], named by its title, then a sheet with the
//! dashboard's overall figures for the same responses, rounded as the
//! dashboard shows them.
//!
//! Numbers are stored as numbers and moments as dates (Excel shows both in
//! the reader's locale), text as text: nothing a cell holds is ever taken
//! as a formula.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::table::{moment_format, Cell, ExportData, Selection, Tables};
use crate::dashboard::cards::unit;
use crate::i18n::{round_as_shown, Lang, Msg};
use crate::kpi::{self, Dataset, Filter, KpiId, KpiSet};

/// Excel's rows per sheet, the header included.
pub const MAX_ROWS: usize = 1_048_576;
/// Excel's longest cell text, in UTF-16 units.
const MAX_CELL_UNITS: usize = 32_767;
/// Excel's longest sheet name.
const MAX_SHEET_NAME: usize = 31;

/// The figures' sheet's name: `Msg::KpiSheet` in the reader's language.
pub const KPI_SHEET: Msg = Msg::KpiSheet;
/// The figures' sheet's columns.
pub const KPI_COLUMNS: [Msg; 6] = [
    Msg::ColKpi,
    Msg::ColValue,
    Msg::ColCount,
    Msg::ColCiLow,
    Msg::ColCiHigh,
    Msg::ColFewAnswers,
];

#[derive(Debug, Clone, PartialEq)]
pub enum XlsxExportError {
    /// More responses than one sheet holds.
    TooManyRows {
        questionnaire_id: String,
        rows: usize,
    },
    /// The writer refused; not expected with the data we give it.
    Writer { detail: String },
}

impl XlsxExportError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                XlsxExportError::TooManyRows {
                    questionnaire_id,
                    rows,
                },
                Lang::Ru,
            ) => format!(
                "Ответов на анкету «{questionnaire_id}» слишком много для одного листа Excel \
                 ({rows}, не более {}). Сузьте фильтр или выгрузите CSV.",
                MAX_ROWS - 1
            ),
            (
                XlsxExportError::TooManyRows {
                    questionnaire_id,
                    rows,
                },
                Lang::En,
            ) => format!(
                "The questionnaire “{questionnaire_id}” has too many responses for one Excel \
                 sheet ({rows}, at most {}). Narrow the filter or export CSV.",
                MAX_ROWS - 1
            ),
            (XlsxExportError::Writer { detail }, Lang::Ru) => {
                format!("Не удалось создать файл Excel: {detail}.")
            }
            (XlsxExportError::Writer { detail }, Lang::En) => {
                format!("The Excel file could not be made: {detail}.")
            }
        }
    }
}

impl From<XlsxError> for XlsxExportError {
    fn from(e: XlsxError) -> Self {
        XlsxExportError::Writer {
            detail: e.to_string(),
        }
    }
}

/// The workbook as the bytes of an `.xlsx` file.
///
/// The KPI sheet is `kpi::compute_all` over the selected responses: with
/// [`Selection::Dashboard`] under that very filter, otherwise under the
/// default one.
pub fn workbook(
    data: ExportData<'_>,
    selection: &Selection<'_>,
    lang: Lang,
) -> Result<Vec<u8>, XlsxExportError> {
    let tables = Tables::new(data, lang);
    let rows = tables.selected(selection);
    let mut book = Workbook::new();
    let header = Format::new().set_bold();
    let moment = Format::new().set_num_format(moment_format(lang));
    let kpi_sheet = KPI_SHEET.text(lang);
    let mut names: Vec<String> = vec![kpi_sheet.to_owned()];

    for qid in Tables::questionnaire_ids(&rows) {
        let count = rows.iter().filter(|r| r.questionnaire_id == qid).count();
        if count >= MAX_ROWS {
            return Err(XlsxExportError::TooManyRows {
                questionnaire_id: qid.to_owned(),
                rows: count,
            });
        }
        let title = tables.title(qid);
        let name = sheet_name(if title.is_empty() { qid } else { &title }, &names);
        names.push(name.clone());
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        let columns = tables.wide_columns(qid);
        for (col, title) in columns.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, title, &header)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        // The questions' headers are sentences: wide enough to read.
        let first = super::table::WIDE_COLUMNS.len() as u16;
        if columns.len() > usize::from(first) {
            sheet.set_column_range_width(first, columns.len() as u16 - 1, 24)?;
        }
        let mut row = 1u32;
        let mut result = Ok(());
        tables.wide_rows(qid, &rows, |cells| {
            if result.is_ok() {
                result = write_row(sheet, row, cells, &moment);
                row += 1;
            }
        });
        result?;
    }

    let filter = match selection {
        Selection::Dashboard(f) => (*f).clone(),
        _ => Filter::default(),
    };
    let dataset = Dataset::build(data.questionnaires, rows.iter().copied());
    let overall = kpi::compute_all(&dataset, &filter).overall;
    let sheet = book.add_worksheet();
    sheet.set_name(kpi_sheet)?;
    for (col, title) in KPI_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, title.text(lang), &header)?;
    }
    sheet.set_column_width(0, 40)?;
    for (i, (id, k)) in kpi_rows(&overall).into_iter().enumerate() {
        let row = i as u32 + 1;
        let shown = |x: f64| round_as_shown(x, unit(id).decimals());
        sheet.write_string(row, 0, kpi::definition(id).name.get(lang))?;
        if let Some(v) = k.value.filter(|v| v.is_finite()) {
            sheet.write_number(row, 1, shown(v))?;
        }
        sheet.write_number(row, 2, k.n as f64)?;
        if let Some(ci) = k.ci {
            sheet.write_number(row, 3, shown(ci.lo))?;
            sheet.write_number(row, 4, shown(ci.hi))?;
        }
        let few = if k.small_sample { Msg::Yes } else { Msg::No };
        sheet.write_string(row, 5, few.text(lang))?;
    }
    Ok(book.save_to_buffer()?)
}

fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[Cell],
    moment: &Format,
) -> Result<(), XlsxError> {
    for (col, cell) in cells.iter().enumerate() {
        let col = col as u16;
        match cell {
            Cell::Empty => {}
            Cell::Number(x) => {
                sheet.write_number(row, col, *x)?;
            }
            Cell::Text(s) => {
                sheet.write_string(row, col, fit_cell(s))?;
            }
            Cell::Moment(t) => {
                // Excel dates carry no zone: the wall-clock time the moment
                // was recorded with, as the screens show it.
                if let Some(((y, mo, d), h, mi)) = t.local_parts() {
                    if let Ok(date) = ExcelDateTime::from_ymd(y as u16, mo, d)
                        .and_then(|x| x.and_hms(u16::from(h), mi, 0))
                    {
                        sheet.write_datetime_with_format(row, col, &date, moment)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// `s` cut to what one cell holds; texts from bundles are far shorter, but
/// a local note need not be.
fn fit_cell(s: &str) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_UNITS {
            return &s[..i];
        }
    }
    s
}

/// A sheet name Excel accepts, unlike every name in `taken` (Excel compares
/// them case-insensitively).
fn sheet_name(id: &str, taken: &[String]) -> String {
    let clean: String = id
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'');
    let base = if clean.trim().is_empty() || clean.eq_ignore_ascii_case("history") {
        "sheet"
    } else {
        clean
    };
    let free = |n: &str| !taken.iter().any(|t| t.to_lowercase() == n.to_lowercase());
    (1..)
        .map(|i| {
            let suffix = if i == 1 {
                String::new()
            } else {
                format!(" ({i})")
            };
            let room = MAX_SHEET_NAME - suffix.chars().count();
            let stem: String = base.chars().take(room).collect();
            format!("{}{suffix}", stem.trim_end_matches('\''))
        })
        .find(|n| free(n))
        .expect("some suffix is free")
}

/// Every scalar KPI of the set, in the dashboard's order. Rankings and weak
/// spots are lists, not figures, and have sheets of their own to come.
pub fn kpi_rows(s: &KpiSet) -> Vec<(KpiId, kpi::Kpi)> {
    let complaints = s.complaints.count;
    vec![
        (KpiId::AuditScore, s.audit.score),
        (KpiId::CriticalFailures, s.audit.critical_failures),
        (KpiId::Nps, s.nps.kpi),
        (KpiId::Csat, s.csat),
        (KpiId::Csi, s.csi.kpi),
        (KpiId::CesMean, s.ces.mean),
        (KpiId::CesEasyShare, s.ces.high_share),
        (KpiId::InkStaff, s.ink[0].kpi),
        (KpiId::InkOffice, s.ink[1].kpi),
        (KpiId::InkProduct, s.ink[2].kpi),
        (KpiId::Loyalty, s.loyalty),
        (KpiId::Coverage, s.ops.coverage),
        (KpiId::Conversion, s.ops.conversion),
        (KpiId::ServiceLevel, s.ops.service_level),
        (KpiId::AbandonRate, s.ops.abandon_rate),
        (KpiId::Aht, s.ops.aht),
        (KpiId::Wait, s.ops.wait.mean),
        (KpiId::FirstResponse, s.ops.first_response.mean),
        (KpiId::Resolution, s.ops.resolution.mean),
        (KpiId::Complaints, kpi::Kpi::count(complaints)),
        (KpiId::ComplaintsResolved, s.complaints.resolved),
        (KpiId::TimeToResolve, s.complaints.time_to_resolve.mean),
    ]
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
