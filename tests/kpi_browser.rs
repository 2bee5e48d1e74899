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

/// What the dashboard page does on a filter change, at 100k responses:
/// the query becomes a filter, `compute_all` runs once, the cards and their
/// texts, the trend and NPS series are built, and the latest responses of
/// the view are picked from the loaded records. The DOM and Chart.js update
/// that follows is not in this figure (see tests/e2e/dashboard.spec.mjs,
/// which prints it for the page).
#[wasm_bindgen_test]
fn dashboard_filter_change_in_the_browser() {
    use servicelens::dashboard::cards::cards;
    use servicelens::dashboard::charts::{nps_distribution, trend};
    use servicelens::dashboard::DashboardQuery;
    use servicelens::formats::table::filter_matches;
    use servicelens::i18n::Lang;
    use servicelens::kpi::KpiId;

    let n = 100_000;
    let responses: Vec<_> = synthetic::responses(n, 42).collect();
    let questionnaires = synthetic::questionnaires();
    let t = now_ms();
    let data = kpi::Dataset::build(&questionnaires, &responses);
    let build = now_ms() - t;
    let mut newest_first = responses;
    newest_first.reverse();
    // Synthetic data spans 2025; "today" is its last day.
    let today = (2025, 12, 31);
    let views = [
        "period=all",
        "",
        "period=90d&by=week",
        "period=7d",
        "period=month",
        "period=prev-month&by=month",
        "from=2025-03-01&to=2025-09-30&loc=loc-03",
        "from=2025-03-01&to=2025-09-30&loc=loc-03,loc-17,loc-30&by=week",
        "period=all&emp=emp-05-1,emp-05-2&by=month",
        "period=90d&q=syn-survey",
    ];
    console_log!("Dashboard filter change, {n} responses (dataset built once: {build:.0} ms)");
    console_log!("{:>9} {:>9}  view", "median ms", "max ms");
    let mut worst: f64 = 0.0;
    for v in views {
        let q = DashboardQuery::parse(v);
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let t = now_ms();
                let f = q.filter(today, 180);
                let report = kpi::compute_all(&data, &f);
                let texts: Vec<_> = cards(&report).iter().map(|c| c.text(Lang::Ru)).collect();
                let series = trend(&report, KpiId::AuditScore);
                let dist = nps_distribution(&report);
                let recent = newest_first
                    .iter()
                    .filter(|r| filter_matches(&f, r))
                    .take(50)
                    .count();
                let elapsed = now_ms() - t;
                assert!(
                    texts.len() == 12 && dist.len() == 11 && series.len() == report.trend.len()
                );
                assert!(recent <= 50);
                elapsed
            })
            .collect();
        times.sort_by(f64::total_cmp);
        worst = worst.max(times[4]);
        console_log!(
            "{:>9.1} {:>9.1}  {}",
            times[2],
            times[4],
            if v.is_empty() {
                "(default: 30 days)"
            } else {
                v
            }
        );
    }
    console_log!("worst filter change: {worst:.1} ms (target 100 ms)");
}
