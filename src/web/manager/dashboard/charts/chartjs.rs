//! The bridge to Chart.js (vendored, loaded by the manager's module): a
//! chart is drawn through chart-js-rs the first time and then updated in
//! place on the live instance; clicks are hit-tested by Chart.js itself.
//! No Leptos here: `KpiChart` decides when to draw.

use chart_js_rs::bar::Bar;
use chart_js_rs::scatter::Scatter;
use chart_js_rs::{
    Animation, ChartExt, ChartOptions, ChartPlugins, ChartScale, Dataset, DatasetData,
    PluginLegend, XYDataset,
};
use leptos::prelude::document;
use wasm_bindgen::JsCast;

use crate::dashboard::charts::NpsGroup;

pub const BLUE: &str = "#1f5f8b";
pub const RED: &str = "#b03a2e";

/// What one chart shows: its series name, the category labels and one
/// value per label (`None` leaves a gap). Compared with the last drawn, so
/// a filter change that leaves a chart's figures alone does not redraw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    name: String,
    pub labels: Vec<String>,
    values: Vec<Option<f64>>,
}

impl Series {
    pub fn new(name: &str, rows: impl IntoIterator<Item = (String, Option<f64>)>) -> Series {
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
pub enum Shape {
    Line,
    /// Bars; horizontal ones put the categories on the y axis.
    Bars {
        horizontal: bool,
        max: Option<f64>,
        colour: Colour,
    },
}

impl Shape {
    /// Horizontal bars of one colour on a 0–100 axis: scores and rates.
    pub fn percent_bars(colour: &'static str) -> Shape {
        Shape::Bars {
            horizontal: true,
            max: Some(100.0),
            colour: Colour::One(colour),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Colour {
    One(&'static str),
    /// The NPS bars, by promoter/passive/detractor group.
    NpsGroups,
}

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
pub fn draw(id: &str, shape: Shape, s: &Series, same_labels: bool) {
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
pub fn sample_tick_labels() {
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

/// Chart.js keeps every instance; one whose canvas leaves the page is
/// destroyed with it.
pub fn destroy(id: &str) {
    let Some(chart) = live_chart(id) else {
        return;
    };
    if let Ok(d) = js_sys::Reflect::get(&chart, &"destroy".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = d.call0(&chart);
    }
}

/// The index of the point or bar under a click on chart `canvas_id`, as
/// Chart.js hit-tests it: bars must be hit, a trend's nearest point along
/// the time axis is taken.
pub fn clicked_index(canvas_id: &str, ev: &web_sys::MouseEvent, along_x: bool) -> Option<usize> {
    use js_sys::{Array, Function, Object, Reflect};
    let chart = live_chart(canvas_id)?;
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
