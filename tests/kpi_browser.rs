//! The KPI pass in the browser: the same synthetic data and filter as
//! `benches/kpi.rs`, compiled to wasm and run in headless Chromium.
//!
//! A benchmark, not a test: it prints figures and asserts only that the
//! pass saw every response. Built only with `--features browser-bench`, so
//! `make test` never runs it; `make bench-kpi` does, in release mode.
#![cfg(all(target_arch = "wasm32", feature = "browser-bench"))]

use servicelens::kpi::{self, synthetic, Bucket, Filter, Period};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

#[wasm_bindgen_test]
fn kpi_pass_in_the_browser() {
    let filter = Filter {
        period: Some(Period::new(
            synthetic::START_MS,
            synthetic::START_MS + synthetic::SPAN_MS,
        )),
        bucket: Bucket::Day,
        utc_offset_min: 180,
        silent_k: 0.3,
        compare_previous: true,
        ..Filter::default()
    };
    console_log!("KPI pass in headless Chromium (wasm, release), same filter as benches/kpi.rs");
    console_log!(
        "{:>10} {:>10} {:>11} {:>10}",
        "responses",
        "build ms",
        "pass ms",
        "ns/resp"
    );
    for n in [10_000usize, 100_000] {
        let t = now_ms();
        let data = synthetic::generate(n, 42);
        let build = now_ms() - t;
        let runs = 9;
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let t = now_ms();
                let report = kpi::compute_all(&data, &filter);
                let elapsed = now_ms() - t;
                assert_eq!(report.overall.responses as usize, n);
                elapsed
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let median = times[runs / 2];
        console_log!(
            "{:>10} {:>10.1} {:>11.2} {:>10.0}",
            n,
            build,
            median,
            median * 1e6 / n as f64
        );
    }
}
