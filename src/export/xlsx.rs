//! XLSX export: one sheet per questionnaire in the wide layout of
//! [`super::csv::wide_csv`], then a `KPI` sheet with the dashboard's overall
//! figures for the same responses.
//!
//! Numbers are stored as numbers (Excel shows them in the reader's locale)
//! and text as text: nothing a cell holds is ever taken as a formula.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::table::{Cell, ExportData, Selection, Tables};
use crate::i18n::Lang;
use crate::kpi::{self, Dataset, Filter, KpiId, KpiSet};

/// Excel's rows per sheet, the header included.
pub const MAX_ROWS: usize = 1_048_576;
/// Excel's longest cell text, in UTF-16 units.
const MAX_CELL_UNITS: usize = 32_767;
/// Excel's longest sheet name.
const MAX_SHEET_NAME: usize = 31;

pub const KPI_SHEET: &str = "KPI";
pub const KPI_COLUMNS: [&str; 7] = [
    "kpi",
    "name",
    "value",
    "n",
    "ci_low",
    "ci_high",
    "small_sample",
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
    let mut names: Vec<String> = vec![KPI_SHEET.to_owned()];

    for qid in Tables::questionnaire_ids(&rows) {
        let count = rows.iter().filter(|r| r.questionnaire_id == qid).count();
        if count >= MAX_ROWS {
            return Err(XlsxExportError::TooManyRows {
                questionnaire_id: qid.to_owned(),
                rows: count,
            });
        }
        let name = sheet_name(qid, &names);
        names.push(name.clone());
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        for (col, title) in tables.wide_columns(qid).iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, title, &header)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        let mut row = 1u32;
        let mut result = Ok(());
        tables.wide_rows(qid, &rows, |cells| {
            if result.is_ok() {
                result = write_row(sheet, row, cells);
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
    sheet.set_name(KPI_SHEET)?;
    for (col, title) in KPI_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &header)?;
    }
    sheet.set_column_width(1, 40)?;
    for (i, (id, k)) in kpi_rows(&overall).into_iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, kpi_key(id))?;
        sheet.write_string(row, 1, kpi::definition(id).name.get(lang))?;
        if let Some(v) = k.value.filter(|v| v.is_finite()) {
            sheet.write_number(row, 2, v)?;
        }
        sheet.write_number(row, 3, k.n as f64)?;
        if let Some(ci) = k.ci {
            sheet.write_number(row, 4, ci.lo)?;
            sheet.write_number(row, 5, ci.hi)?;
        }
        sheet.write_boolean(row, 6, k.small_sample)?;
    }
    Ok(book.save_to_buffer()?)
}

fn write_row(sheet: &mut Worksheet, row: u32, cells: &[Cell]) -> Result<(), XlsxError> {
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

/// The KPI's id in snake_case, stable across languages.
fn kpi_key(id: KpiId) -> String {
    let mut out = String::new();
    for (i, c) in format!("{id:?}").chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
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
