//! The dashboard's charts, drawn by Chart.js (vendored) through chart-js-rs,
//! each with a table alternative for screen readers and copying. Series come
//! from `dashboard::charts` and the report; a filter change updates the
//! live charts in place rather than rebuilding them.

use std::collections::HashMap;
use std::sync::Arc;

use chart_js_rs::bar::Bar;
use chart_js_rs::scatter::Scatter;
use chart_js_rs::{
    Animation, ChartExt, ChartOptions, ChartPlugins, ChartScale, Dataset, DatasetData,
    PluginLegend, XYDataset,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::dashboard::cards::{unit, OVERVIEW};
use crate::dashboard::charts::{
    nps_distribution, ranked_bars, section_bars, trend, weak_spot_bars, NpsGroup,
};
use crate::dashboard::drill::{chart_point, ChartKind, Drill, ItemRef};
use crate::dashboard::DashboardQuery;
use crate::i18n::{format_decimal, Lang, Msg};
use crate::kpi::ranking::RankEntry;
use crate::kpi::{definition, KpiId, Report};
use crate::routes::Route;
use crate::web::manager::data::DashboardData;
use crate::web::platform;
use crate::web::platform::{timed, today_and_offset};
use crate::web::ui::i18n::use_i18n;

const BLUE: &str = "#1f5f8b";
const RED: &str = "#b03a2e";
const CHART_IDS: [&str; 6] = [
    "chart-trend",
    "chart-sections",
    "chart-nps",
    "chart-locations",
    "chart-employees",
    "chart-weak-spots",
];

fn base_options(horizontal: bool, y_max: Option<f64>) -> ChartOptions {
    let mut value_axis = ChartScale::new().begin_at_zero(true);
    if let Some(m) = y_max {
        value_axis = value_axis.max(m);
    }
    let (x, y) = if horizontal {
        (value_axis, ChartScale::new().scale_type("category"))
    } else {
        (ChartScale::new().scale_type("category"), value_axis)
    };
    let o = ChartOptions::new()
        .responsive(true)
        .maintain_aspect_ratio(false)
        // A filter change must show at once, not after an animation.
        .animation(Animation::new().duration(0))
        .plugins(ChartPlugins::new().legend(PluginLegend::new().display(false)))
        .scales([("x", x), ("y", y)]);
    if horizontal {
        o.index_axis("y")
    } else {
        o
    }
}

/// What one chart shows: its series name, the category labels and one
/// value per label (`None` leaves a gap). Compared with the last drawn, so
/// a filter change that leaves a chart's figures alone does not redraw it.
#[derive(Debug, Clone, PartialEq)]
struct Series {
    name: String,
    labels: Vec<String>,
    values: Vec<Option<f64>>,
}

impl Series {
    fn new(name: &str, rows: impl IntoIterator<Item = (String, Option<f64>)>) -> Series {
        let (labels, values) = rows
            .into_iter()
            .map(|(l, v)| (l, v.map(|v| (v * 100.0).round() / 100.0)))
            .unzip();
        Series {
            name: name.to_owned(),
            labels,
            values,
        }
    }

    fn values_js(&self) -> js_sys::Array {
        self.values
            .iter()
            .map(|v| v.map_or(wasm_bindgen::JsValue::NULL, wasm_bindgen::JsValue::from_f64))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Line,
    /// Bars; horizontal ones put the categories on the y axis.
    Bars {
        horizontal: bool,
        max: Option<f64>,
        colour: Colour,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Colour {
    One(&'static str),
    /// The NPS bars, by promoter/passive/detractor group.
    NpsGroups,
}

/// Plain values against the chart's labels: Chart.js reads them without
/// parsing objects (the category is the label at the same index, on `y`
/// for horizontal bars).
fn dataset(s: &Series) -> XYDataset {
    let values: Vec<serde_json::Value> = s.values.iter().map(|v| serde_json::json!(v)).collect();
    XYDataset::new()
        .label(&s.name)
        .x_axis_id("x")
        .y_axis_id("y")
        .data(DatasetData(serde_json::Value::Array(values)))
}

/// The Chart.js instance drawn on canvas `id`, if any.
fn live_chart(id: &str) -> Option<wasm_bindgen::JsValue> {
    let cls = js_sys::Reflect::get(&js_sys::global(), &"Chart".into()).ok()?;
    let get: js_sys::Function = js_sys::Reflect::get(&cls, &"getChart".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let canvas = document().get_element_by_id(id)?;
    let chart = get.call1(&cls, &canvas).ok()?;
    (!chart.is_undefined()).then_some(chart)
}

/// Swaps a live chart's labels and values in place and redraws it without
/// animation: Chart.js keeps its resolved options and scales, and nothing
/// is serialised to JSON (profiled: rebuilding each chart's whole config
/// through chart-js-rs was most of a filter change's chart time). `false`
/// when the canvas has no chart yet. `same_labels`: the chart already has
/// these labels (a filter of the same period and bucket), so they are not
/// sent again.
fn update_in_place(id: &str, s: &Series, same_labels: bool) -> bool {
    use js_sys::Reflect;
    let go = || -> Option<()> {
        let chart = live_chart(id)?;
        let data = Reflect::get(&chart, &"data".into()).ok()?;
        let datasets: js_sys::Array = Reflect::get(&data, &"datasets".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let ds = datasets.get(0);
        if !same_labels {
            let labels: js_sys::Array = s
                .labels
                .iter()
                .map(|l| wasm_bindgen::JsValue::from_str(l))
                .collect();
            Reflect::set(&data, &"labels".into(), &labels).ok()?;
        }
        Reflect::set(&ds, &"data".into(), &s.values_js()).ok()?;
        Reflect::set(&ds, &"label".into(), &s.name.as_str().into()).ok()?;
        let update: js_sys::Function = Reflect::get(&chart, &"update".into())
            .ok()?
            .dyn_into()
            .ok()?;
        update.call1(&chart, &"none".into()).ok()?;
        Some(())
    };
    go().is_some()
}

/// Draws `s` on canvas `id`: in place when a chart is there, else a new
/// chart through chart-js-rs.
fn draw(id: &str, shape: Shape, s: &Series, same_labels: bool) {
    if update_in_place(id, s, same_labels) {
        return;
    }
    match shape {
        Shape::Line => {
            let line = dataset(s)
                .dataset_type("line")
                .border_color(BLUE)
                .background_color(BLUE)
                .point_radius(3);
            Scatter::new(id)
                .data(Dataset::new().datasets(vec![line]).labels(s.labels.clone()))
                .options(base_options(false, None).span_gaps(false))
                .into_chart()
                .render();
        }
        Shape::Bars {
            horizontal,
            max,
            colour,
        } => {
            let ds = match colour {
                Colour::One(c) => dataset(s).background_color(c),
                Colour::NpsGroups => dataset(s).background_color_array(
                    (0..=10u8)
                        .map(|x| NpsGroup::of(x).colour().to_owned())
                        .collect::<Vec<_>>(),
                ),
            };
            let chart: Bar<Vec<XYDataset>> = Bar::new(id)
                .data(Dataset::new().datasets(vec![ds]).labels(s.labels.clone()))
                .options(base_options(horizontal, max));
            chart.into_chart().render();
        }
    }
}

/// Chart.js measures every tick label to lay out an axis; a trend of a
/// year by day has 365. A sample of them sizes the axis just as well and
/// was a large part of a filter change's time (profiled at 100k responses).
/// Set on Chart.js's global defaults, through properties: no string is
/// evaluated.
fn sample_tick_labels() {
    let set = || -> Option<()> {
        let chart = js_sys::Reflect::get(&js_sys::global(), &"Chart".into()).ok()?;
        let defaults = js_sys::Reflect::get(&chart, &"defaults".into()).ok()?;
        let scale = js_sys::Reflect::get(&defaults, &"scale".into()).ok()?;
        let ticks = js_sys::Reflect::get(&scale, &"ticks".into()).ok()?;
        js_sys::Reflect::set(&ticks, &"sampleSize".into(), &24.into()).ok()?;
        Some(())
    };
    let _ = set();
}

/// Chart.js keeps every instance; one whose canvas left the page is
/// destroyed with it.
fn destroy_charts() {
    let Some(chart_cls) = js_sys::Reflect::get(&js_sys::global(), &"Chart".into()).ok() else {
        return;
    };
    let Ok(get) = js_sys::Reflect::get(&chart_cls, &"getChart".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    else {
        return;
    };
    for id in CHART_IDS {
        if let Some(el) = document().get_element_by_id(id) {
            if let Ok(c) = get.call1(&chart_cls, &el) {
                if let Ok(d) = js_sys::Reflect::get(&c, &"destroy".into())
                    .and_then(|f| f.dyn_into::<js_sys::Function>())
                {
                    let _ = d.call0(&c);
                }
            }
        }
    }
}

fn fmt(v: Option<f64>, decimals: usize, lang: Lang) -> String {
    v.map(|v| format_decimal(v, decimals, lang))
        .unwrap_or_else(|| "—".to_owned())
}

#[component]
pub fn Charts(
    data: Arc<DashboardData>,
    report: Memo<Arc<Report>>,
    query: Memo<DashboardQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let trend_kpi = RwSignal::new(KpiId::AuditScore);
    on_cleanup(destroy_charts);
    sample_tick_labels();

    // One memo per chart: a chart is redrawn only when its own figures
    // (or the language) change.
    // Each drawing is a User Timing measure `dashboard-chart:<id>`.
    let chart = move |id: &'static str, shape: Shape, series: Memo<Series>| {
        // The effect keeps the labels it last drew.
        Effect::new(move |drawn: Option<Vec<String>>| {
            series.with(|s| {
                let same = drawn.as_ref() == Some(&s.labels);
                timed(&format!("dashboard-chart:{id}"), || {
                    draw(id, shape, s, same)
                });
                s.labels.clone()
            })
        });
    };
    let bars = |horizontal, max, colour| Shape::Bars {
        horizontal,
        max,
        colour,
    };
    chart(
        "chart-trend",
        Shape::Line,
        Memo::new(move |_| {
            let id = trend_kpi.get();
            let rows = trend(&report.get(), id);
            Series::new(
                definition(id).name.get(i18n.lang.get()),
                rows.into_iter().map(|p| (p.label, p.value)),
            )
        }),
    );
    chart(
        "chart-sections",
        bars(true, Some(100.0), Colour::One(BLUE)),
        Memo::new(move |_| {
            let lang = i18n.lang.get();
            report.with(|r| {
                Series::new(
                    i18n.t(Msg::ChartSections),
                    section_bars(r)
                        .iter()
                        .map(|s| (s.title.get(lang).to_owned(), s.score.value)),
                )
            })
        }),
    );
    chart(
        "chart-nps",
        bars(false, None, Colour::NpsGroups),
        Memo::new(move |_| {
            Series::new(
                i18n.t(Msg::ChartNps),
                nps_distribution(&report.get())
                    .iter()
                    .map(|(s, n, _)| (s.to_string(), Some(*n as f64))),
            )
        }),
    );
    let d = data.clone();
    chart(
        "chart-locations",
        bars(true, Some(100.0), Colour::One(BLUE)),
        Memo::new(move |_| {
            Series::new(
                i18n.t(Msg::ChartLocations),
                ranked_bars(&report.get().rankings.locations_by_audit)
                    .into_iter()
                    .map(|e| (d.location_name(&e.id), e.kpi.value)),
            )
        }),
    );
    let d = data.clone();
    chart(
        "chart-employees",
        bars(true, Some(100.0), Colour::One(BLUE)),
        Memo::new(move |_| {
            Series::new(
                i18n.t(Msg::ChartEmployees),
                ranked_bars(&report.get().rankings.employees_by_audit)
                    .into_iter()
                    .map(|e| (d.employee_name(&e.id), e.kpi.value)),
            )
        }),
    );
    chart(
        "chart-weak-spots",
        bars(true, Some(100.0), Colour::One(RED)),
        Memo::new(move |_| {
            let lang = i18n.lang.get();
            Series::new(
                i18n.t(Msg::ChartWeakSpots),
                weak_spot_bars(&report.get())
                    .iter()
                    .map(|w| (w.text.get(lang).to_owned(), w.fail_rate.value)),
            )
        }),
    );

    let lang = move || i18n.lang.get();
    let drill = move |f: &dyn Fn(&mut Drill)| {
        let mut d = Drill::of(query.get_untracked());
        f(&mut d);
        Route::Responses(d).to_hash()
    };
    // A point of a chart, and the row of its table, open the same list.
    let (_, offset) = today_and_offset();
    let point_href = move |r: &Report, kind: ChartKind, i: usize| {
        chart_point(kind, i, r, &query.get_untracked(), offset)
            .map(|d| Route::Responses(d).to_hash())
    };
    let open_point = Callback::new(move |(kind, i): (ChartKind, usize)| {
        if let Some(href) = point_href(&report.get_untracked(), kind, i) {
            platform::set_hash(&href);
        }
    });
    let kpi_options: HashMap<&'static str, KpiId> =
        OVERVIEW.iter().map(|&k| (kpi_key(k), k)).collect();
    let d2 = data.clone();
    let d3 = data.clone();
    view! {
        <section aria-labelledby="dash-charts-h" class="charts">
            <h2 id="dash-charts-h">{move || i18n.t(Msg::ChartTrend)}</h2>
            <p class="note">{move || i18n.t(Msg::ChartClickHint)}</p>
            <figure>
                <div class="field">
                    <label for="trend-kpi">{move || i18n.t(Msg::TrendKpi)}</label>
                    <select id="trend-kpi" on:change=move |ev| {
                        if let Some(k) = kpi_options.get(event_target_value(&ev).as_str()) {
                            trend_kpi.set(*k);
                        }
                    }>
                        {move || OVERVIEW.iter().map(|&k| view! {
                            <option value=kpi_key(k) selected=move || trend_kpi.get() == k>
                                {definition(k).name.get(lang())}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <ChartCanvas id="chart-trend" kind=ChartKind::Trend open=open_point title=Signal::derive(move || format!("{}: {}", i18n.t(Msg::ChartTrend), definition(trend_kpi.get()).name.get(lang()))) />
                <TableAlt>
                    <table>
                        <caption>{move || format!("{}: {}", i18n.t(Msg::ChartTrend), definition(trend_kpi.get()).name.get(lang()))}</caption>
                        <thead><tr>
                            <th scope="col">{move || i18n.t(Msg::ColBucket)}</th>
                            <th scope="col" class="num">{move || i18n.t(Msg::ColValue)}</th>
                            <th scope="col" class="num">{move || i18n.t(Msg::ColN)}</th>
                        </tr></thead>
                        <tbody>
                            {move || {
                                let k = trend_kpi.get();
                                let u = unit(k);
                                let r = report.get();
                                trend(&r, k).into_iter().enumerate().map(|(i, p)| view! {
                                    <tr>
                                        <th scope="row"><a href=point_href(&r, ChartKind::Trend, i)>{p.label}</a></th>
                                        <td class="num">{p.value.map(|v| u.format(v, lang())).unwrap_or_else(|| "—".into())}</td>
                                        <td class="num">{p.n}</td>
                                    </tr>
                                }).collect_view()
                            }}
                        </tbody>
                    </table>
                </TableAlt>
            </figure>

            <figure>
                <figcaption><h3>{move || i18n.t(Msg::ChartSections)}</h3></figcaption>
                <ChartCanvas id="chart-sections" kind=ChartKind::Sections open=open_point title=Signal::derive(move || i18n.t(Msg::ChartSections).to_owned()) />
                <TableAlt>
                    <table>
                        <caption>{move || i18n.t(Msg::ChartSections)}</caption>
                        <thead><tr>
                            <th scope="col">{move || i18n.t(Msg::ColSection)}</th>
                            <th scope="col" class="num">{move || i18n.t(Msg::ColScore)}</th>
                            <th scope="col" class="num">{move || i18n.t(Msg::ColN)}</th>
                        </tr></thead>
                        <tbody>
                            {move || { let r = report.get(); r.sections.iter().enumerate().map(|(i, s)| view! {
                                <tr>
                                    <th scope="row">{match point_href(&r, ChartKind::Sections, i) {
                                        Some(href) => view! { <a href=href>{s.title.get(lang()).to_owned()}</a> }.into_any(),
                                        None => s.title.get(lang()).to_owned().into_any(),
                                    }}</th>
                                    <td class="num">{fmt(s.score.value, 1, lang())}</td>
                                    <td class="num">{s.score.n}</td>
                                </tr>
                            }).collect_view() }}
                        </tbody>
                    </table>
                </TableAlt>
            </figure>

            <figure>
                <figcaption><h3>{move || i18n.t(Msg::ChartNps)}</h3></figcaption>
                <ul class="legend">
                    {[NpsGroup::Promoter, NpsGroup::Passive, NpsGroup::Detractor].into_iter().map(|g| view! {
                        <li><span class="swatch" style:background-color=g.colour()></span>{move || i18n.t(group_msg(g))}</li>
                    }).collect_view()}
                </ul>
                <ChartCanvas id="chart-nps" kind=ChartKind::Nps open=open_point title=Signal::derive(move || i18n.t(Msg::ChartNps).to_owned()) />
                <TableAlt>
                    <table>
                        <caption>{move || i18n.t(Msg::ChartNps)}</caption>
                        <thead><tr>
                            <th scope="col">{move || i18n.t(Msg::ColAnswer)}</th>
                            <th scope="col" class="num">{move || i18n.t(Msg::ColCount)}</th>
                            <th scope="col">{move || i18n.t(Msg::ColGroup)}</th>
                        </tr></thead>
                        <tbody>
                            {move || { let r = report.get(); nps_distribution(&r).into_iter().map(|(s, n, g)| view! {
                                <tr>
                                    <th scope="row"><a href=point_href(&r, ChartKind::Nps, usize::from(s))>{s}</a></th>
                                    <td class="num">{n}</td>
                                    <td>{i18n.t(group_msg(g))}</td>
                                </tr>
                            }).collect_view() }}
                        </tbody>
                    </table>
                </TableAlt>
            </figure>

            <figure>
                <figcaption><h3>{move || i18n.t(Msg::ChartLocations)}</h3></figcaption>
                <ChartCanvas id="chart-locations" kind=ChartKind::Locations open=open_point title=Signal::derive(move || i18n.t(Msg::ChartLocations).to_owned()) />
                <RankingTable caption=Msg::ChartLocations who=Msg::ColLocation
                    entries=Signal::derive(move || report.get().rankings.locations_by_audit.clone())
                    name=Arc::new(move |id: &str| d2.location_name(id))
                    link=Arc::new(move |id: &str| { let id = id.to_owned(); drill(&move |d: &mut Drill| d.query.locations = vec![id.clone()]) }) />
            </figure>

            <figure>
                <figcaption><h3>{move || i18n.t(Msg::ChartEmployees)}</h3></figcaption>
                <p class="note">{move || i18n.t(Msg::MinRankNote)}</p>
                <ChartCanvas id="chart-employees" kind=ChartKind::Employees open=open_point title=Signal::derive(move || i18n.t(Msg::ChartEmployees).to_owned()) />
                <RankingTable caption=Msg::ChartEmployees who=Msg::ColEmployee
                    entries=Signal::derive(move || report.get().rankings.employees_by_audit.clone())
                    name=Arc::new(move |id: &str| d3.employee_name(id))
                    link=Arc::new(move |id: &str| { let id = id.to_owned(); drill(&move |d: &mut Drill| d.query.employees = vec![id.clone()]) }) />
            </figure>

            <figure>
                <figcaption><h3>{move || i18n.t(Msg::ChartWeakSpots)}</h3></figcaption>
                <ChartCanvas id="chart-weak-spots" kind=ChartKind::WeakSpots open=open_point title=Signal::derive(move || i18n.t(Msg::ChartWeakSpots).to_owned()) />
                // The weak spots' table is always visible: each row leads to
                // the responses that failed the item.
                <div class="table-scroll">
                    <table>
                        <caption>{move || i18n.t(Msg::ChartWeakSpots)}</caption>
                        <thead><tr>
                            <th scope="col">{move || i18n.t(Msg::ColItem)}</th>
                            <th scope="col" class="num">{move || i18n.t(Msg::ColFailed)}</th>
                            <th scope="col" class="num">{move || i18n.t(Msg::ColFailRate)}</th>
                            <th scope="col" class="num">{move || i18n.t(Msg::ColN)}</th>
                        </tr></thead>
                        <tbody>
                            // Keyed by what a row shows: a filter change
                            // replaces only the rows whose figures changed.
                            <For each=move || {
                                let lang = lang();
                                let view = query.get();
                                report.with(|r| r.weak_spots.iter().map(|w| {
                                    let mut d = Drill::of(view.clone());
                                    d.failed_item = Some(ItemRef { questionnaire_id: w.questionnaire_id.clone(), question_id: w.question_id.clone() });
                                    (Route::Responses(d).to_hash(), w.text.get(lang).to_owned(), w.failed, fmt(w.fail_rate.value, 1, lang), w.fail_rate.n)
                                }).collect::<Vec<_>>())
                            } key=|row| row.clone() let:row>
                                <tr>
                                    <th scope="row"><a href=row.0>{row.1}</a></th>
                                    <td class="num">{row.2}</td>
                                    <td class="num">{row.3}"%"</td>
                                    <td class="num">{row.4}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
            </figure>
        </section>
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
        _ => "other",
    }
}

fn group_msg(g: NpsGroup) -> Msg {
    match g {
        NpsGroup::Promoter => Msg::NpsPromoters,
        NpsGroup::Passive => Msg::NpsPassives,
        NpsGroup::Detractor => Msg::NpsDetractors,
    }
}

/// The index of the point or bar under a click on chart `canvas_id`, as
/// Chart.js hit-tests it: bars must be hit, a trend's nearest point along
/// the time axis is taken.
fn clicked_index(canvas_id: &str, ev: &web_sys::MouseEvent, along_x: bool) -> Option<usize> {
    use js_sys::{Array, Function, Object, Reflect};
    let cls = Reflect::get(&js_sys::global(), &"Chart".into()).ok()?;
    let get: Function = Reflect::get(&cls, &"getChart".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let canvas = document().get_element_by_id(canvas_id)?;
    let chart = get.call1(&cls, &canvas).ok()?;
    if chart.is_undefined() {
        return None;
    }
    let hit: Function = Reflect::get(&chart, &"getElementsAtEventForMode".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let opts = Object::new();
    Reflect::set(&opts, &"intersect".into(), &(!along_x).into()).ok()?;
    if along_x {
        Reflect::set(&opts, &"axis".into(), &"x".into()).ok()?;
    }
    let args = Array::of4(ev, &"nearest".into(), &opts, &true.into());
    let found: Array = hit.apply(&chart, &args).ok()?.dyn_into().ok()?;
    let index = Reflect::get(&found.get(0), &"index".into())
        .ok()?
        .as_f64()?;
    (index >= 0.0).then_some(index as usize)
}

/// A chart's canvas; a click on a point or bar opens its responses. The
/// canvas is an image to assistive technology: the table alternative below
/// it carries the same links for keyboards and screen readers.
#[component]
fn ChartCanvas(
    id: &'static str,
    title: Signal<String>,
    kind: ChartKind,
    open: Callback<(ChartKind, usize)>,
) -> impl IntoView {
    let click = move |ev: web_sys::MouseEvent| {
        if let Some(i) = clicked_index(id, &ev, kind == ChartKind::Trend) {
            open.run((kind, i));
        }
    };
    view! {
        <div class="chart-box">
            <canvas id=id role="img" aria-label=move || title.get() on:click=click></canvas>
        </div>
    }
}

/// A chart's table, folded away under "Show as a table". Its rows are built
/// only while it is open: closed, it is not in the accessibility tree
/// anyway, and a filter change then need not rebuild hundreds of rows that
/// nobody sees (a year by day, every employee).
#[component]
fn TableAlt(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let on_toggle = move |ev: leptos::ev::Event| {
        if let Some(d) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
        {
            open.set(d.open());
        }
    };
    view! {
        <details class="table-alt" on:toggle=on_toggle>
            <summary>{move || i18n.t(Msg::ShowAsTable)}</summary>
            {move || open.get().then(|| view! { <div class="table-scroll">{children()}</div> })}
        </details>
    }
}

#[component]
fn RankingTable(
    caption: Msg,
    who: Msg,
    entries: Signal<Vec<RankEntry>>,
    name: Arc<dyn Fn(&str) -> String + Send + Sync>,
    link: Arc<dyn Fn(&str) -> String + Send + Sync>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    view! {
        <TableAlt>
            <table>
                <caption>{move || i18n.t(caption)}</caption>
                <thead><tr>
                    <th scope="col" class="num">{move || i18n.t(Msg::ColRank)}</th>
                    <th scope="col">{move || i18n.t(who)}</th>
                    <th scope="col" class="num">{move || i18n.t(Msg::ColScore)}</th>
                    <th scope="col" class="num">{move || i18n.t(Msg::ColN)}</th>
                </tr></thead>
                <tbody>
                    {let (name, link) = (name.clone(), link.clone());
                    move || entries.get().into_iter().map(|e| {
                        let rank = e.rank.map(|r| r.to_string()).unwrap_or_else(|| i18n.t(Msg::NotRanked).to_owned());
                        view! {
                            <tr>
                                <td class="num">{rank}</td>
                                <th scope="row"><a href=link(&e.id)>{name(&e.id)}</a></th>
                                <td class="num">{fmt(e.kpi.value, 1, lang())}</td>
                                <td class="num">{e.kpi.n}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableAlt>
    }
}
