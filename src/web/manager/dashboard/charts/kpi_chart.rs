//! One dashboard chart in its figure: heading, canvas and table
//! alternative. What differs between the six charts (series, rows, shape,
//! the point → list mapping) is passed in; how a chart is kept live is
//! here, once.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::chartjs::{self, Series, Shape};
use crate::dashboard::drill::ChartKind;
use crate::i18n::Msg;
use crate::web::platform::timed;
use crate::web::ui::i18n::use_i18n;

/// A column of a chart's table: its header, and whether it holds figures
/// (right-aligned).
#[derive(Debug, Clone, Copy)]
pub enum Col {
    Text(Msg),
    Num(Msg),
}

/// A cell of a chart's table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cell {
    /// The row's header as a link to the row's responses (an `<a>` even
    /// without a target, as the trend's and NPS rows always were).
    Link(String, Option<String>),
    /// The row's header as plain text: the row leads to no list.
    Head(String),
    Num(String),
    Text(String),
}

pub type Row = Vec<Cell>;

/// A chart's table: its columns and its rows, rebuilt from the report on
/// demand.
#[derive(Clone)]
pub struct Table {
    cols: Arc<[Col]>,
    rows: Arc<dyn Fn() -> Vec<Row> + Send + Sync>,
    folded: bool,
}

impl Table {
    /// Folded away under "Show as a table", its rows built only while
    /// open: closed, it is not in the accessibility tree anyway, and a
    /// filter change then need not rebuild hundreds of rows that nobody
    /// sees (a year by day, every employee).
    pub fn folded(
        cols: impl Into<Arc<[Col]>>,
        rows: impl Fn() -> Vec<Row> + Send + Sync + 'static,
    ) -> Table {
        Table {
            cols: cols.into(),
            rows: Arc::new(rows),
            folded: true,
        }
    }

    /// Always visible, with rows keyed by what they show: a filter change
    /// replaces only the rows whose figures changed.
    pub fn shown(
        cols: impl Into<Arc<[Col]>>,
        rows: impl Fn() -> Vec<Row> + Send + Sync + 'static,
    ) -> Table {
        Table {
            cols: cols.into(),
            rows: Arc::new(rows),
            folded: false,
        }
    }
}

/// One chart of the dashboard: a figure with its heading (unless
/// `heading` is false: the trend's is the section's), `children` (a
/// legend, a note, a picker), the canvas and the table.
///
/// `series` is memoised: the chart is redrawn only when its own figures
/// (or the language) change, and it is sent its labels only when they
/// differ from the ones it last drew. Each drawing is the User Timing
/// measure `dashboard-chart:<id>`.
#[component]
pub fn KpiChart<S>(
    id: &'static str,
    kind: ChartKind,
    shape: Shape,
    /// The canvas's accessible name, the figure's heading and the table's
    /// caption.
    #[prop(into)]
    title: Signal<String>,
    #[prop(default = true)] heading: bool,
    series: S,
    open: Callback<(ChartKind, usize)>,
    table: Table,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView
where
    S: Fn() -> Series + Send + Sync + 'static,
{
    let series = Memo::new(move |_| series());
    // The effect keeps the labels it last drew.
    Effect::new(move |drawn: Option<Vec<String>>| {
        series.with(|s| {
            let same = drawn.as_ref() == Some(&s.labels);
            timed(&format!("dashboard-chart:{id}"), || {
                chartjs::draw(id, shape, s, same)
            });
            s.labels.clone()
        })
    });
    on_cleanup(move || chartjs::destroy(id));
    view! {
        // A chart with nothing to draw is left off paper.
        <figure data-empty=move || series.with(|s| s.labels.is_empty()).then_some("true")>
            {heading.then(|| view! { <figcaption><h3>{move || title.get()}</h3></figcaption> })}
            {children.map(|c| c())}
            <ChartCanvas id kind open title />
            <ChartTable title table />
        </figure>
    }
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
        if let Some(i) = chartjs::clicked_index(id, &ev, kind == ChartKind::Trend) {
            open.run((kind, i));
        }
    };
    view! {
        <div class="chart-box">
            <canvas id=id role="img" aria-label=move || title.get() on:click=click></canvas>
        </div>
    }
}

#[component]
fn ChartTable(title: Signal<String>, table: Table) -> impl IntoView {
    let i18n = use_i18n();
    let Table { cols, rows, folded } = table;
    let table = move || {
        let head = cols
            .iter()
            .map(|&c| {
                let (msg, class) = match c {
                    Col::Text(m) => (m, None),
                    Col::Num(m) => (m, Some("num")),
                };
                view! { <th scope="col" class=class>{move || i18n.t(msg)}</th> }
            })
            .collect_view();
        let body = if folded {
            let rows = rows.clone();
            view! { {move || rows().into_iter().map(row_view).collect_view()} }.into_any()
        } else {
            let rows = rows.clone();
            view! { <For each=move || rows() key=|row| row.clone() children=row_view /> }.into_any()
        };
        view! {
            <table>
                <caption>{move || title.get()}</caption>
                <thead><tr>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        }
    };
    if folded {
        view! { <TableAlt>{table()}</TableAlt> }.into_any()
    } else {
        view! { <div class="table-scroll" tabindex="0">{table()}</div> }.into_any()
    }
}

fn row_view(row: Row) -> impl IntoView {
    let cells = row
        .into_iter()
        .map(|c| match c {
            Cell::Link(text, href) => {
                view! { <th scope="row"><a href=href>{text}</a></th> }.into_any()
            }
            Cell::Head(text) => view! { <th scope="row">{text}</th> }.into_any(),
            Cell::Num(text) => view! { <td class="num">{text}</td> }.into_any(),
            Cell::Text(text) => view! { <td>{text}</td> }.into_any(),
        })
        .collect_view();
    view! { <tr>{cells}</tr> }
}

/// A chart's table, folded away under "Show as a table" (see
/// `Table::folded`).
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
            {move || open.get().then(|| view! { <div class="table-scroll" tabindex="0">{children()}</div> })}
        </details>
    }
}
