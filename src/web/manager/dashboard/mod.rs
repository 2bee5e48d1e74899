//! The manager dashboard: filters kept in the URL, a card per KPI, charts
//! with table alternatives, and the latest responses of the view. The data
//! is loaded and the KPI dataset built once per visit; a filter change only
//! reruns `kpi::compute_all` (once) and re-renders from its report.

mod charts;

use std::sync::Arc;

use leptos::prelude::*;

use crate::dashboard::cards::{
    card as card_of, higher_is_better, sparkline, Card, CardText, Verdict, OPERATIONS, OVERVIEW,
};
use crate::dashboard::drill::Drill;
use crate::dashboard::query::{Facet, PRESET_DAYS};
use crate::dashboard::{DashboardQuery, PeriodChoice};
use crate::domain::LocalDate;
use crate::i18n::{format_decimal, Msg};
use crate::kpi::{
    compute_all, definition, definitions::small_sample_note, first_sources, Bucket, KpiId, Report,
};
use crate::routes::Route;
use crate::web::manager::dashboard::charts::Charts;
use crate::web::manager::data::{load, DashboardData};
use crate::web::manager::responses_table::{list_row, ResponsesTable};
use crate::web::platform::{self, timed, today_and_offset};
use crate::web::ui::empty::EmptyState;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::status::{Loading, StorageFailure};

fn go(q: DashboardQuery) {
    platform::set_hash(&Route::Dashboard(q).to_hash());
}

#[component]
pub fn DashboardPage(query: Memo<DashboardQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let data = LocalResource::new(move || load(lang));
    view! {
        <div class="page-head">
            <h1>{move || i18n.t(Msg::DashboardTitle)}</h1>
            <div class="page-actions">
                <button type="button" on:click=move |_| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.print();
                    }
                }>
                    <span class="icon" data-icon="printer" aria-hidden="true"></span>
                    {move || i18n.t(Msg::PrintReport)}
                </button>
                <a class="button" href=move || Route::Exchange(Some(query.get())).to_hash()>
                    <span class="icon" data-icon="download" aria-hidden="true"></span>
                    {move || i18n.t(Msg::ExportThisView)}
                </a>
            </div>
        </div>
        <Suspense fallback=|| view! { <Loading /> }>
            {move || data.get().map(|res| match res {
                Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                Ok(d) => view! { <DashboardView data=d query /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(data: Arc<DashboardData>, query: Memo<DashboardQuery>) -> impl IntoView {
    let (today, offset) = today_and_offset();
    let d = data.clone();
    // The one KPI pass per filter change; everything below reads its report.
    let report = Memo::new_with_compare(
        move |_| {
            let f = query.get().filter(today, offset);
            timed("dashboard-compute", || {
                Arc::new(compute_all(&d.dataset, &f))
            })
        },
        |_, _| true,
    );
    let d = data.clone();
    let trend_kpi = RwSignal::new(KpiId::AuditScore);
    // On paper the filters are gone: the header says what the figures are of.
    let names = data.clone();
    let i18n = use_i18n();
    let in_words = move || {
        let lang = i18n.lang.get();
        query
            .get()
            .in_words(today, lang, &|facet, id| match facet {
                Facet::Location => names.location_name(id),
                Facet::Employee => names.employee_name(id),
                Facet::Questionnaire => names.questionnaire_title(id, lang),
            })
            .into_iter()
            .map(|(label, value)| view! { <div><dt>{label.text(lang)}</dt><dd>{value}</dd></div> })
            .collect_view()
    };
    view! {
        <header class="print-only">
            <p class="muted">{move || i18n.t(Msg::DashReportTitle)}</p>
            <dl class="response-facts">
                {in_words}
                <div><dt>{move || i18n.t(Msg::ReportMade)}</dt><dd>{move || platform::now().display(i18n.lang.get())}</dd></div>
            </dl>
        </header>
        <Filters data=data.clone() query today />
        <Overview report trend_kpi />
        // Charts of nothing are empty frames: the overview says what to do.
        <Show when=move || report.with(|r| r.overall.responses > 0)>
            <Charts data=d.clone() report query trend_kpi />
            <ComplaintsLog report data=d.clone() />
        </Show>
        <RecentResponses data query today offset />
    }
}

fn period_key(p: PeriodChoice) -> String {
    match p {
        PeriodChoice::LastDays(n) => format!("{n}d"),
        PeriodChoice::ThisMonth => "month".into(),
        PeriodChoice::PreviousMonth => "prev-month".into(),
        PeriodChoice::All => "all".into(),
        PeriodChoice::Custom { .. } => "custom".into(),
    }
}

#[component]
fn Filters(
    data: Arc<DashboardData>,
    query: Memo<DashboardQuery>,
    today: LocalDate,
) -> impl IntoView {
    let i18n = use_i18n();
    let on_period = move |ev| {
        let v = event_target_value(&ev);
        let mut q = query.get_untracked();
        q.period = match v.as_str() {
            "month" => PeriodChoice::ThisMonth,
            "prev-month" => PeriodChoice::PreviousMonth,
            "all" => PeriodChoice::All,
            "custom" => {
                let (from, to) = q.period.days(today).unwrap_or((today, today));
                PeriodChoice::Custom { from, to }
            }
            n => n
                .strip_suffix('d')
                .and_then(|n| n.parse().ok())
                .map_or(PeriodChoice::default(), PeriodChoice::LastDays),
        };
        go(q);
    };
    let custom = move || match query.get().period {
        PeriodChoice::Custom { from, to } => Some((from, to)),
        _ => None,
    };
    let set_end = move |is_from: bool, v: String| {
        let Some(day) = LocalDate::parse(&v) else {
            return;
        };
        let mut q = query.get_untracked();
        if let PeriodChoice::Custom { from, to } = q.period {
            let (mut a, mut b) = if is_from { (day, to) } else { (from, day) };
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            q.period = PeriodChoice::Custom { from: a, to: b };
            go(q);
        }
    };
    let on_bucket = move |ev| {
        let mut q = query.get_untracked();
        q.bucket = match event_target_value(&ev).as_str() {
            "week" => Bucket::IsoWeek,
            "month" => Bucket::Month,
            _ => Bucket::Day,
        };
        go(q);
    };
    let lang = i18n.lang.get_untracked();
    let mut loc_options: Vec<(String, String)> = data
        .dataset
        .location_ids()
        .iter()
        .map(|id| (id.clone(), data.location_name(id)))
        .collect();
    loc_options.sort_by(|a, b| a.1.cmp(&b.1));
    let mut emp_options: Vec<(String, String)> = data
        .dataset
        .employee_ids()
        .iter()
        .map(|id| (id.clone(), data.employee_name(id)))
        .collect();
    emp_options.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    let mut q_options: Vec<(String, String)> = data
        .dataset
        .questionnaire_ids()
        .map(|id| (id.to_owned(), data.questionnaire_title(id, lang)))
        .collect();
    q_options.sort_by(|a, b| a.1.cmp(&b.1));

    // The selects' options are rebuilt only when their own choice changes,
    // not on every filter change.
    let period_now = Memo::new(move |_| period_key(query.get().period));
    let bucket = Memo::new(move |_| query.get().bucket);
    let presets = move || {
        let mut v: Vec<(String, Msg)> = PRESET_DAYS
            .iter()
            .zip([Msg::PeriodLast7, Msg::PeriodLast30, Msg::PeriodLast90])
            .map(|(n, m)| (format!("{n}d"), m))
            .collect();
        v.push(("month".into(), Msg::PeriodThisMonth));
        v.push(("prev-month".into(), Msg::PeriodPrevMonth));
        v.push(("all".into(), Msg::PeriodAll));
        v.push(("custom".into(), Msg::PeriodCustom));
        v
    };
    let open = RwSignal::new(false);
    let period_label = move || {
        let current = period_now.get();
        match query.get().period {
            PeriodChoice::Custom { from, to } => format!("{from} – {to}"),
            _ => presets()
                .into_iter()
                .find(|(key, _)| *key == current)
                .map(|(_, msg)| i18n.t(msg).to_owned())
                .unwrap_or_default(),
        }
    };
    view! {
        <section class="dash-filters" aria-labelledby="dash-filters-h" data-open=move || open.get().to_string()>
            <h2 id="dash-filters-h" class="visually-hidden">{move || i18n.t(Msg::DashFilters)}</h2>
            // A phone shows the filters as a sheet behind one button that
            // says what the view counts; a laptop shows them as one bar.
            <button type="button" class="filters-toggle" aria-expanded=move || open.get().to_string()
                aria-controls="dash-filter-fields" on:click=move |_| open.update(|o| *o = !*o)>
                <span class="icon" data-icon="calendar" aria-hidden="true"></span>
                {move || format!("{}: {}", i18n.t(Msg::DashFilters), period_label())}
            </button>
            <div class="filter-fields" id="dash-filter-fields">
            <div class="field">
                <label for="dash-period">{move || i18n.t(Msg::DashPeriod)}</label>
                <select id="dash-period" on:change=on_period>
                    {move || {
                        let current = period_now.get();
                        presets().into_iter().map(|(key, msg)| {
                            let selected = key == current;
                            view! { <option value=key selected=selected>{i18n.t(msg)}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            {move || custom().map(|(from, to)| view! {
                <div class="field-row">
                    <div class="field">
                        <label for="dash-from">{move || i18n.t(Msg::DashFrom)}</label>
                        <input id="dash-from" type="date" prop:value=from.to_string()
                            on:change=move |ev| set_end(true, event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="dash-to">{move || i18n.t(Msg::DashTo)}</label>
                        <input id="dash-to" type="date" prop:value=to.to_string()
                            on:change=move |ev| set_end(false, event_target_value(&ev)) />
                    </div>
                </div>
            })}
            <IdPicker label=Msg::DashLocations options=loc_options query
                get=|q| q.locations.clone() set=|q, v| q.locations = v />
            <IdPicker label=Msg::DashEmployees options=emp_options query
                get=|q| q.employees.clone() set=|q, v| q.employees = v />
            <IdPicker label=Msg::DashQuestionnaires options=q_options query
                get=|q| q.questionnaires.clone() set=|q, v| q.questionnaires = v />
            <div class="field">
                <label for="dash-bucket">{move || i18n.t(Msg::DashTrendBy)}</label>
                <select id="dash-bucket" on:change=on_bucket>
                    {move || {
                        let b = bucket.get();
                        [(Bucket::Day, "day", Msg::BucketDay), (Bucket::IsoWeek, "week", Msg::BucketWeek), (Bucket::Month, "month", Msg::BucketMonth)]
                            .into_iter()
                            .map(|(x, key, msg)| view! { <option value=key selected=x == b>{i18n.t(msg)}</option> })
                            .collect_view()
                    }}
                </select>
            </div>
            <button type="button" on:click=move |_| go(DashboardQuery::default())>
                {move || i18n.t(Msg::ResetFilters)}
            </button>
            </div>
        </section>
    }
}

/// A set of ids to filter by, as checkboxes behind a toggle button; none
/// checked means all.
#[component]
fn IdPicker(
    label: Msg,
    options: Vec<(String, String)>,
    query: Memo<DashboardQuery>,
    get: fn(&DashboardQuery) -> Vec<String>,
    set: fn(&mut DashboardQuery, Vec<String>),
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    // This picker's ids: a change of another filter leaves its checkboxes
    // (every location or employee) untouched.
    let chosen = Memo::new(move |_| get(&query.get()));
    let summary = move || {
        let n = chosen.with(Vec::len);
        if n == 0 {
            format!("{}: {}", i18n.t(label), i18n.t(Msg::DashAllSelected))
        } else {
            format!("{}: {n}", i18n.t(label))
        }
    };
    let panel = format!("picker-{label:?}");
    view! {
        <div class="id-picker">
            <button type="button" class="picker-toggle" aria-expanded=move || open.get().to_string()
                aria-controls=panel.clone() on:click=move |_| open.update(|o| *o = !*o)>
                {summary}
            </button>
            <fieldset id=panel hidden=move || !open.get()>
                <legend>{move || i18n.t(label)}</legend>
                {options.into_iter().map(|(id, name)| {
                    let id2 = id.clone();
                    let checked = move || chosen.with(|c| c.contains(&id2));
                    let toggle = move |ev| {
                        let on = event_target_checked(&ev);
                        let mut q = query.get_untracked();
                        let mut ids = get(&q);
                        ids.retain(|x| *x != id);
                        if on {
                            ids.push(id.clone());
                        }
                        ids.sort();
                        set(&mut q, ids);
                        go(q);
                    };
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=checked on:change=toggle />
                            {name}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        </div>
    }
}

#[component]
fn Overview(report: Memo<Arc<Report>>, trend_kpi: RwSignal<KpiId>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = Memo::new(move |_| report.with(|r| r.overall.responses == 0));
    let has_ops = Memo::new(move |_| report.with(|r| r.overall.ops.reports > 0));
    view! {
        <section aria-labelledby="dash-overview-h">
            <h2 id="dash-overview-h">{move || i18n.t(Msg::DashOverview)}</h2>
            {move || empty.get().then(|| view! {
                <p role="status" class="visually-hidden">{i18n.t(Msg::DashNoResponses)}</p>
                <EmptyState icon="layout-dashboard" title=Msg::DashEmptyTitle text=Msg::DashEmptyText
                    href=Route::Distribute.to_hash() action=Msg::FirstRunShareGo
                    also=(Route::FillStart.to_hash(), Msg::StartAudit) />
            })}
            <Show when=move || !empty.get()>
                <KpiTiles ids=&OVERVIEW first_index=0 report trend_kpi />
            </Show>
        </section>
        <Show when=move || has_ops.get()>
            <section aria-labelledby="dash-ops-h">
                <h2 id="dash-ops-h">{move || i18n.t(Msg::DashOperations)}</h2>
                <KpiTiles ids=&OPERATIONS first_index=OVERVIEW.len() report trend_kpi />
            </section>
        </Show>
    }
}

/// One tile per KPI of `ids`, made once: a filter change updates only the
/// figures that changed (each tile's text is memoised).
#[component]
fn KpiTiles(
    ids: &'static [KpiId],
    first_index: usize,
    report: Memo<Arc<Report>>,
    trend_kpi: RwSignal<KpiId>,
) -> impl IntoView {
    view! {
        <ul class="kpi-cards">
            {ids.iter().enumerate().map(|(i, &id)| {
                let index = first_index + i;
                let card = Memo::new(move |_| card_of(&report.get(), id));
                let present = Memo::new(move |_| card.with(Option::is_some));
                let spark = Memo::new(move |_| sparkline(&report.get(), id));
                move || present.get().then(|| view! { <KpiCard id card index spark trend_kpi /> })
            }).collect_view()}
        </ul>
    }
}

#[component]
fn KpiCard(
    id: KpiId,
    card: Memo<Option<Card>>,
    index: usize,
    spark: Memo<Option<String>>,
    trend_kpi: RwSignal<KpiId>,
) -> impl IntoView {
    let i18n = use_i18n();
    let def = definition(id);
    let heading = format!("kpi-{index}");
    let labelled_by = heading.clone();
    let text = Memo::new(move |_| {
        card.with(|c| c.as_ref().map(|c| c.text(i18n.lang.get())))
            .unwrap_or_else(|| CardText {
                value: None,
                n: String::new(),
                interval: None,
                change: None,
            })
    });
    let small = Memo::new(move |_| card.with(|c| c.as_ref().is_some_and(|c| c.kpi.small_sample)));
    let interval = Memo::new(move |_| text.with(|t| t.interval.clone()));
    let change = Memo::new(move |_| text.with(|t| t.change.clone()));
    let has_interval = Memo::new(move |_| interval.with(Option::is_some));
    let has_change = Memo::new(move |_| change.with(Option::is_some));
    let verdict = Memo::new(move |_| card.with(|c| c.as_ref().and_then(|c| c.verdict)));
    view! {
        <li class="kpi-card">
            <article aria-labelledby=labelled_by>
                <h3 id=heading>{move || def.name.get(i18n.lang.get())}</h3>
                <p class="kpi-value">
                    {move || text.with(|t| t.value.clone()).unwrap_or_else(|| i18n.t(Msg::KpiNoData).to_owned())}
                </p>
                <dl class="kpi-facts">
                    <div><dt>{move || i18n.t(Msg::KpiSampleSize)}</dt><dd>{move || text.with(|t| t.n.clone())}</dd></div>
                    // The rows are made when a figure appears; a new figure
                    // only replaces their text.
                    {move || has_interval.get().then(|| view! {
                        <div><dt>{move || i18n.t(Msg::KpiInterval)}</dt><dd>{move || interval.get().unwrap_or_default()}</dd></div>
                    })}
                    {move || has_change.get().then(|| view! {
                        <div>
                            <dt>{move || i18n.t(Msg::KpiChange)}</dt>
                            <dd>
                                {move || change.get().unwrap_or_default()}
                                {move || verdict.get().map(|v| {
                                    let icon = match v {
                                        Verdict::Rise => "trending-up",
                                        Verdict::Fall => "trending-down",
                                        Verdict::WithinNoise => "minus",
                                    };
                                    view! {
                                        <span class="verdict" data-verdict=format!("{v:?}")
                                            data-good=match v {
                                                Verdict::WithinNoise => "",
                                                Verdict::Rise => if higher_is_better(id) { "true" } else { "false" },
                                                Verdict::Fall => if higher_is_better(id) { "false" } else { "true" },
                                            }>
                                            <span class="visually-hidden">" · "</span>
                                            <span class="icon" data-icon=icon aria-hidden="true"></span>
                                            {move || i18n.t(v.label())}
                                        </span>
                                    }
                                })}
                            </dd>
                        </div>
                    })}
                </dl>
                {move || small.get().then(|| view! { <p class="badge small-sample">{move || i18n.t(Msg::KpiSmallSample)}</p> })}
                {move || spark.get().map(|d| view! {
                    <svg class="sparkline" viewBox="0 0 100 24" preserveAspectRatio="none" aria-hidden="true">
                        <path d=d />
                    </svg>
                })}
                // The tile opens its trend: the chart below switches to this
                // KPI and the focus goes to its picker, so the view follows.
                <button type="button" class="tile-trend"
                    aria-label=move || format!("{}: {}", i18n.t(Msg::ShowTrend), def.name.get(i18n.lang.get()))
                    on:click=move |_| {
                        trend_kpi.set(id);
                        platform::focus_control("trend-kpi");
                    }>
                    <span class="icon" data-icon="trending-up" aria-hidden="true"></span>
                    {move || i18n.t(Msg::ShowTrend)}
                </button>
                <details class="how">
                    <summary>{move || i18n.t(Msg::HowComputed)}</summary>
                    <p>{move || def.formula.get(i18n.lang.get())}</p>
                    <p>{move || i18n.t(Msg::DefRange)}": "{move || def.range.get(i18n.lang.get())}</p>
                    <p>{move || i18n.t(Msg::DefSource)}": "{move || def.source.get(i18n.lang.get())}</p>
                    <p>{move || small_sample_note().get(i18n.lang.get())}</p>
                </details>
            </article>
        </li>
    }
}

/// Complaints of the view: by category and location, share resolved and
/// the median time to resolve.
#[component]
fn ComplaintsLog(report: Memo<Arc<Report>>, data: Arc<DashboardData>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let hours = move |secs: Option<f64>| {
        secs.map(|s| {
            format!(
                "{} {}",
                format_decimal(s / 3600.0, 1, lang()),
                i18n.t(Msg::HoursShort)
            )
        })
        .unwrap_or_else(|| "—".to_owned())
    };
    // Figures and rows are memoised: a filter change rewrites the figures'
    // text and replaces only the rows whose count changed.
    let summary = Memo::new(move |_| {
        report.with(|r| {
            let c = &r.overall.complaints;
            (
                c.count,
                c.resolved
                    .value
                    .map(|v| format!("{}%", format_decimal(v, 1, lang())))
                    .unwrap_or_else(|| "—".into()),
                hours(c.time_to_resolve.median),
            )
        })
    });
    let cats = Memo::new(move |_| {
        report.with(|r| {
            r.overall
                .complaints
                .by_category
                .iter()
                .map(|k| (k.label.get(lang()).to_owned(), k.count))
                .collect::<Vec<_>>()
        })
    });
    let by_loc = Memo::new(move |_| {
        report.with(|r| {
            r.by_location
                .iter()
                .filter(|b| b.kpis.complaints.count > 0)
                .map(|b| (data.location_name(&b.id), b.kpis.complaints.count))
                .collect::<Vec<_>>()
        })
    });
    let rows = move |list: Memo<Vec<(String, u64)>>| {
        view! {
            <For each=move || list.get() key=|row| row.clone() let:row>
                <tr><th scope="row">{row.0}</th><td class="num">{row.1}</td></tr>
            </For>
        }
    };
    view! {
        <section aria-labelledby="dash-complaints-h">
            <h2 id="dash-complaints-h">{move || i18n.t(Msg::ComplaintsTitle)}</h2>
            <dl class="kpi-facts">
                <div><dt>{move || i18n.t(Msg::ColCount)}</dt><dd>{move || summary.with(|s| s.0)}</dd></div>
                <div><dt>{move || i18n.t(Msg::ComplaintsResolved)}</dt><dd>{move || summary.with(|s| s.1.clone())}</dd></div>
                <div><dt>{move || i18n.t(Msg::ComplaintsMedianTime)}</dt><dd>{move || summary.with(|s| s.2.clone())}</dd></div>
            </dl>
            <div class="table-scroll" tabindex="0">
                <table>
                    <caption>{move || i18n.t(Msg::ComplaintsTitle)}": "{move || i18n.t(Msg::ColCategory)}</caption>
                    <thead><tr>
                        <th scope="col">{move || i18n.t(Msg::ColCategory)}</th>
                        <th scope="col" class="num">{move || i18n.t(Msg::ColCount)}</th>
                    </tr></thead>
                    <tbody>{rows(cats)}</tbody>
                </table>
            </div>
            <div class="table-scroll" tabindex="0">
                <table>
                    <caption>{move || i18n.t(Msg::ComplaintsTitle)}": "{move || i18n.t(Msg::ColLocation)}</caption>
                    <thead><tr>
                        <th scope="col">{move || i18n.t(Msg::ColLocation)}</th>
                        <th scope="col" class="num">{move || i18n.t(Msg::ColCount)}</th>
                    </tr></thead>
                    <tbody>{rows(by_loc)}</tbody>
                </table>
            </div>
        </section>
    }
}

/// How many of the view's responses the list shows.
const RECENT: usize = 50;

/// The latest responses of the view (the ones its KPIs count), each
/// opening its full record.
#[component]
fn RecentResponses(
    data: Arc<DashboardData>,
    query: Memo<DashboardQuery>,
    today: LocalDate,
    offset: i32,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = Signal::derive(move || {
        let f = query.get().filter(today, offset);
        // From the KPI dataset's columns, not a walk over every record:
        // that walk was as costly as the KPI pass itself at 100k responses
        // (profiled). The dataset was built from `data.responses` in their
        // order, newest first, so the first positions are the latest.
        first_sources(&data.dataset, &f, RECENT)
            .into_iter()
            .filter_map(|i| data.responses.get(i as usize))
            .map(|r| list_row(&data, r, data.questionnaire(r)))
            .collect::<Vec<_>>()
    });
    let drill = move || Route::Responses(Drill::of(query.get())).to_hash();
    view! {
        <section aria-labelledby="dash-visits-h">
            <h2 id="dash-visits-h">{move || i18n.t(Msg::DashRecentVisits)}</h2>
            <p><a href=drill>{move || i18n.t(Msg::ShowResponses)}</a></p>
            // The visit opens on its fill screen, read-only with its score.
            <ResponsesTable caption=Msg::Visits rows link=Route::Fill />
        </section>
    }
}
