//! Data in and out of the device: import files from shoppers' phones and
//! other devices (many at once, picked or dropped), and export everything
//! as a backup bundle, or the responses as CSV or XLSX.
//!
//! Each file is read whole (`formats::import_file`), merged with what is
//! stored and written in one transaction (`Store::import`): a bad file
//! changes nothing, a good one lands whole, and files are taken one after
//! another so each report reflects the files before it.

use leptos::prelude::*;

use crate::exchange::bundle::MAX_FILE_BYTES;
use crate::exchange::bundle::{write_bundle, Contents};
use crate::exchange::import_file;
use crate::export::table::{ExportData, Selection};
use crate::export::{csv, xlsx};
use crate::i18n::{Lang, Msg};
use crate::kpi::Filter;
use crate::routes::Route;
use crate::web::ui::i18n::use_i18n;
use crate::web::{platform, storage};

/// One imported file's outcome: its name and the report's lines.
#[derive(Clone)]
struct FileReport {
    name: String,
    ok: bool,
    lines: Vec<String>,
    /// It kept copies for the person to choose from.
    conflicts: bool,
}

async fn import_one(file: web_sys::File, lang: Lang) -> FileReport {
    let name = file.name();
    let failed = |line: String| FileReport {
        name: file.name(),
        ok: false,
        lines: vec![line],
        conflicts: false,
    };
    let text = match platform::read_file_text(&file, MAX_FILE_BYTES).await {
        Ok(t) => t,
        Err(e) => return failed(e.message(lang)),
    };
    let bundle = match import_file::read(&text, platform::now()) {
        Ok(b) => b,
        Err(e) => return failed(e.message(lang)),
    };
    let result = match storage::shared().await {
        Ok(store) => store.import(&bundle).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(report) => FileReport {
            name,
            ok: true,
            lines: report.message(lang),
            conflicts: report.kinds.iter().any(|k| !k.conflicts.is_empty()),
        },
        Err(e) => failed(format!("{} {}", Msg::ImportNotStored.text(lang), e.0)),
    }
}

/// Everything stored, with the built-in questionnaires the responses
/// answered, so another device can read and score every response.
async fn everything() -> Result<Contents, String> {
    let store = storage::shared().await.map_err(|e| e.0)?;
    let mut contents = store.export_contents().await.map_err(|e| e.0)?;
    contents.add_built_ins_answered();
    Ok(contents)
}

fn stamp() -> String {
    platform::now().local_date_time().replace([' ', ':'], "-")
}

#[component]
pub fn ExchangePage(
    /// The dashboard's filter when opened from it: exports then hold
    /// exactly the responses the dashboard counts.
    filter: Option<Filter>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reports = RwSignal::new(Vec::<FileReport>::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let filter = StoredValue::new(filter);

    let take_files = move |files: Vec<web_sys::File>| {
        if files.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        reports.set(Vec::new());
        let lang = i18n.lang.get_untracked();
        leptos::task::spawn_local(async move {
            for file in files {
                let report = import_one(file, lang).await;
                reports.update(|r| r.push(report));
            }
            busy.set(false);
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files = input
            .files()
            .map(|list| file_vec(&list))
            .unwrap_or_default();
        input.set_value("");
        take_files(files);
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        let files = ev
            .data_transfer()
            .and_then(|d| d.files())
            .map(|list| file_vec(&list))
            .unwrap_or_default();
        take_files(files);
    };

    // Runs an export: builds the file from everything stored, then saves it.
    let export = move |kind: ExportKind| {
        let lang = i18n.lang.get_untracked();
        leptos::task::spawn_local(async move {
            let result = async {
                let mut contents = everything().await?;
                let f = filter.get_value();
                if let (Some(f), ExportKind::Backup) = (&f, kind) {
                    // A filtered backup: the responses the filter picks,
                    // their photos and actions; every questionnaire, place
                    // and person, so the file reads on its own.
                    contents.responses.retain(|r| f.admits(r));
                    let kept: std::collections::HashSet<_> =
                        contents.responses.iter().map(|r| r.id).collect();
                    contents.photos.retain(|p| kept.contains(&p.response_id));
                    contents.actions.retain(|a| kept.contains(&a.response_id));
                }
                let selection = match &f {
                    Some(f) => Selection::Dashboard(f),
                    None => Selection::All,
                };
                let data = ExportData::from(&contents);
                match kind {
                    ExportKind::Backup => {
                        let text = write_bundle(
                            &contents,
                            platform::now(),
                            &platform::device_id(),
                            env!("CARGO_PKG_VERSION"),
                        )
                        .map_err(|e| e.message(lang))?;
                        platform::download_text(
                            &format!("servicelens-backup-{}.json", stamp()),
                            "application/json",
                            &text,
                        )
                    }
                    ExportKind::LongCsv => {
                        let text = csv::long_csv(data, &selection, lang);
                        platform::download_text(
                            &format!("servicelens-answers-{}.csv", stamp()),
                            "text/csv",
                            &text,
                        )
                    }
                    ExportKind::WideCsv => {
                        for qid in csv::questionnaires_in(data, &selection) {
                            let text = csv::wide_csv(data, &qid, &selection, lang);
                            platform::download_text(
                                &format!("servicelens-{qid}-{}.csv", stamp()),
                                "text/csv",
                                &text,
                            )?;
                        }
                        Ok(())
                    }
                    ExportKind::Xlsx => {
                        let bytes =
                            xlsx::workbook(data, &selection, lang).map_err(|e| e.message(lang))?;
                        platform::download_bytes(
                            &format!("servicelens-{}.xlsx", stamp()),
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            &bytes,
                        )
                    }
                }
            }
            .await;
            error.set(result.err());
        });
    };

    view! {
        <h1>{move || i18n.t(Msg::ExchangeTitle)}</h1>
        <section aria-labelledby="import-heading">
            <h2 id="import-heading">{move || i18n.t(Msg::ImportHeading)}</h2>
            <p>{move || i18n.t(Msg::ImportHelp)}</p>
            <div class="drop-zone" on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
                <label class="button primary" for="import-files">{move || i18n.t(Msg::ChooseFiles)}</label>
                <input id="import-files" class="visually-hidden" type="file" multiple accept=".json,application/json" on:change=on_pick />
                <p>{move || i18n.t(Msg::OrDropFiles)}</p>
            </div>
            <p role="status">{move || busy.get().then(|| i18n.t(Msg::Importing))}</p>
            <Show when=move || !reports.with(Vec::is_empty)>
                <ul class="plain-list" aria-label=move || i18n.t(Msg::ImportReport)>
                    {move || reports.get().into_iter().map(|r| {
                        let mut lines = r.lines.into_iter();
                        let headline = lines.next().unwrap_or_default();
                        view! {
                            <li class=if r.ok { "report" } else { "report error" }>
                                <h3>{r.name}</h3>
                                <p>{headline}</p>
                                <ul>{lines.map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Show when=move || reports.with(|r| r.iter().any(|f| f.conflicts))>
                    <p><a href=Route::Conflicts.to_hash()>{move || i18n.t(Msg::ConflictsLink)}</a></p>
                </Show>
            </Show>
        </section>
        <section aria-labelledby="export-heading">
            <h2 id="export-heading">{move || i18n.t(Msg::ExportHeading)}</h2>
            <p>{move || i18n.t(if filter.with_value(Option::is_some) { Msg::ExportFiltered } else { Msg::ExportEverything })}</p>
            <div class="toolbar">
                <button type="button" on:click=move |_| export(ExportKind::Backup)>{move || i18n.t(Msg::ExportBackup)}</button>
                <button type="button" on:click=move |_| export(ExportKind::LongCsv)>{move || i18n.t(Msg::ExportLongCsv)}</button>
                <button type="button" on:click=move |_| export(ExportKind::WideCsv)>{move || i18n.t(Msg::ExportWideCsv)}</button>
                <button type="button" on:click=move |_| export(ExportKind::Xlsx)>{move || i18n.t(Msg::ExportXlsx)}</button>
            </div>
            {move || error.get().map(|e| view! { <div role="alert" class="error"><p>{e}</p></div> })}
        </section>
    }
}

#[derive(Clone, Copy)]
enum ExportKind {
    Backup,
    LongCsv,
    WideCsv,
    Xlsx,
}

fn file_vec(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}
