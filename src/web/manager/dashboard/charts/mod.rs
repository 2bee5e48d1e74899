//! The dashboard's charts, drawn by Chart.js (vendored) through chart-js-rs,
//! each with a table alternative for screen readers and copying. Series come
//! from `dashboard::charts` and the report; a filter change updates the
//! live charts in place rather than rebuilding them. `KpiChart` is one
//! chart, `figures` what each shows, and `Charts` puts the six together.

mod chartjs;
mod figures;
mod kpi_chart;

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::dashboard::cards::{OPERATIONS, OVERVIEW};
use crate::dashboard::charts::NpsGroup;
use crate::dashboard::drill::{chart_point, ranking, ChartKind, Drill};
use crate::dashboard::DashboardQuery;
use crate::i18n::Msg;
use crate::kpi::{definition, KpiId, Report};
use crate::routes::Route;
use crate::web::manager::data::DashboardData;
use crate::web::platform;
use crate::web::platform::today_and_offset;
use crate::web::ui::i18n::use_i18n;

use chartjs::{sample_tick_labels, Colour, Shape, BLUE, RED};
use figures::*;
use kpi_chart::{KpiChart, Table};

#[component]
pub fn Charts(
    data: Arc<DashboardData>,
    report: Memo<Arc<Report>>,
    query: Memo<DashboardQuery>,
    /// The trend's KPI, also chosen from a KPI tile.
    trend_kpi: RwSignal<KpiId>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let text = move |m: Msg| Signal::derive(move || i18n.t(m).to_owned());
    sample_tick_labels();

    // A point of a chart, and the row of its table, open the same list.
    let (_, offset) = today_and_offset();
    let point_href = move |r: &Report, kind: ChartKind, i: usize| {
        chart_point(kind, i, r, &query.get_untracked(), offset)
            .map(|d| Route::Responses(d).to_hash())
    };
    let open = Callback::new(move |(kind, i): (ChartKind, usize)| {
        if let Some(href) = point_href(&report.get_untracked(), kind, i) {
            platform::set_hash(&href);
        }
    });
    // A ranking's row opens its location's or employee's responses.
    let drill = move |narrow: &dyn Fn(&mut Drill)| {
        let mut d = Drill::of(query.get_untracked());
        narrow(&mut d);
        Route::Responses(d).to_hash()
    };
    let at_location = move |id: &str| drill(&|d| d.query.locations = vec![id.to_owned()]);
    let of_employee = move |id: &str| drill(&|d| d.query.employees = vec![id.to_owned()]);
    // Copy, so that a chart's series and its table can both name rows.
    let data = StoredValue::new(data);
    let location = move |id: &str| data.with_value(|d| d.location_name(id));
    let employee = move |id: &str| data.with_value(|d| d.employee_name(id));
    let trend_title = Signal::derive(move || {
        let kpi = definition(trend_kpi.get()).name.get(lang());
        format!("{}: {kpi}", i18n.t(Msg::ChartTrend))
    });

    view! {
        <section aria-labelledby="dash-charts-h" class="charts">
            <h2 id="dash-charts-h">{move || i18n.t(Msg::ChartTrend)}</h2>
            <p class="note">{move || i18n.t(Msg::ChartClickHint)}</p>

            <KpiChart id="chart-trend" kind=ChartKind::Trend shape=Shape::Line open
                title=trend_title heading=false
                series=move || trend_series(&report.get(), trend_kpi.get(), lang())
                table=Table::folded(TREND_COLS, move || {
                    let r = report.get();
                    trend_rows(&r, trend_kpi.get(), lang(), |i| point_href(&r, ChartKind::Trend, i))
                })>
                <TrendPicker kpi=trend_kpi />
            </KpiChart>

            <KpiChart id="chart-sections" kind=ChartKind::Sections shape=Shape::percent_bars(BLUE) open
                title=text(Msg::ChartSections)
                series=move || section_series(&report.get(), lang())
                table=Table::folded(SECTION_COLS, move || {
                    let r = report.get();
                    section_rows(&r, lang(), |i| point_href(&r, ChartKind::Sections, i))
                }) />

            <KpiChart id="chart-nps" kind=ChartKind::Nps open
                shape=Shape::Bars { horizontal: false, max: None, colour: Colour::NpsGroups }
                title=text(Msg::ChartNps)
                series=move || nps_series(&report.get(), lang())
                table=Table::folded(NPS_COLS, move || {
                    let r = report.get();
                    nps_rows(&r, lang(), |i| point_href(&r, ChartKind::Nps, i))
                })>
                <ul class="legend">
                    {[NpsGroup::Promoter, NpsGroup::Passive, NpsGroup::Detractor].into_iter().map(|g| view! {
                        <li><span class="swatch" style:background-color=g.colour()></span>{move || i18n.t(group_msg(g))}</li>
                    }).collect_view()}
                </ul>
            </KpiChart>

            <KpiChart id="chart-locations" kind=ChartKind::Locations shape=Shape::percent_bars(BLUE) open
                title=text(Msg::ChartLocations)
                series=move || ranking_series(Msg::ChartLocations, &report.get().rankings.locations_by_audit, location, lang())
                table=Table::folded(ranking_cols(Msg::ColLocation), move || {
                    ranking_rows(&report.get().rankings.locations_by_audit, lang(), location, at_location)
                }) />

            <KpiChart id="chart-employees" kind=ChartKind::Employees shape=Shape::percent_bars(BLUE) open
                title=text(Msg::ChartEmployees)
                series=move || ranking_series(Msg::ChartEmployees, &report.get().rankings.employees_by_audit, employee, lang())
                table=Table::folded(ranking_cols(Msg::ColEmployee), move || {
                    ranking_rows(&report.get().rankings.employees_by_audit, lang(), employee, of_employee)
                })>
                <p class="note">{move || i18n.t(Msg::MinRankNote)}</p>
            </KpiChart>

            // Rankings by what customers said, beside the audits' ones.
            {[
                (ChartKind::LocationsByNps, "chart-locations-nps", Msg::ChartLocationsByNps, Msg::ColLocation, false),
                (ChartKind::LocationsByCsat, "chart-locations-csat", Msg::ChartLocationsByCsat, Msg::ColLocation, true),
                (ChartKind::EmployeesByStaffSurvey, "chart-employees-survey", Msg::ChartEmployeesBySurvey, Msg::ColEmployee, true),
            ].into_iter().map(|(kind, id, title, who, percent)| {
                // The ranking names its entries and whether they are places.
                let is_location = ranking(kind, &report.get_untracked()).is_none_or(|(_, at)| at);
                let name = move |id: &str| if is_location { location(id) } else { employee(id) };
                let shape = if percent {
                    Shape::percent_bars(BLUE)
                } else {
                    Shape::Bars { horizontal: true, max: None, colour: Colour::One(BLUE) }
                };
                view! {
                    <KpiChart id=id kind=kind shape=shape open
                        title=text(title)
                        series=move || {
                            let r = report.get();
                            ranking_series(title, ranking(kind, &r).map_or(&[][..], |(e, _)| e), name, lang())
                        }
                        table=Table::folded(ranking_cols(who), move || {
                            let r = report.get();
                            let href = move |id: &str| if is_location { at_location(id) } else { of_employee(id) };
                            ranking_rows(ranking(kind, &r).map_or(&[][..], |(e, _)| e), lang(), name, href)
                        }) />
                }
            }).collect_view()}

            // The weak spots' table is always visible: each row leads to
            // the responses that failed the item.
            <KpiChart id="chart-weak-spots" kind=ChartKind::WeakSpots shape=Shape::percent_bars(RED) open
                title=text(Msg::ChartWeakSpots)
                series=move || weak_spot_series(&report.get(), lang())
                table=Table::shown(WEAK_SPOT_COLS, move || {
                    let (lang, view) = (lang(), query.get());
                    weak_spot_rows(&report.get(), &view, lang)
                }) />
        </section>
    }
}

/// The trend's KPI picker.
#[component]
fn TrendPicker(kpi: RwSignal<KpiId>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let all = || OVERVIEW.iter().chain(OPERATIONS.iter()).copied();
    let options: HashMap<&'static str, KpiId> = all().map(|k| (kpi_key(k), k)).collect();
    view! {
        <div class="field">
            <label for="trend-kpi">{move || i18n.t(Msg::TrendKpi)}</label>
            <select id="trend-kpi" on:change=move |ev| {
                if let Some(k) = options.get(event_target_value(&ev).as_str()) {
                    kpi.set(*k);
                }
            }>
                {move || all().map(|k| view! {
                    <option value=kpi_key(k) selected=move || kpi.get() == k>
                        {definition(k).name.get(lang())}
                    </option>
                }).collect_view()}
            </select>
        </div>
    }
}

fn kpi_key(k: KpiId) -> &'static str {
    // Stable option values for the trend's KPI picker.
    match k {
        KpiId::AuditScore => "audit",
        KpiId::Nps => "nps",
        KpiId::Csi => "csi",
        KpiId::Csat => "csat",
        KpiId::CesMean => "ces",
        KpiId::InkStaff => "ink-staff",
        KpiId::InkOffice => "ink-office",
        KpiId::InkProduct => "ink-product",
        KpiId::Loyalty => "iel",
        KpiId::Coverage => "coverage",
        KpiId::Complaints => "complaints",
        KpiId::CriticalFailures => "critical",
        KpiId::Conversion => "conversion",
        KpiId::ServiceLevel => "service-level",
        KpiId::AbandonRate => "abandon-rate",
        KpiId::Aht => "aht",
        KpiId::Wait => "wait",
        KpiId::FirstResponse => "first-response",
        KpiId::Resolution => "resolution",
        _ => "other",
    }
}
