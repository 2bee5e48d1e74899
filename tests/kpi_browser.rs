//! The KPI pass in the browser: the same synthetic data and filter as
//! `benches/kpi.rs`, compiled to wasm and run in headless Chromium, against
//! the same pass written in plain JavaScript (`tests/kpi_js/kpi.js`) over
//! the same columns in the same page, after checking both reports agree.
//!
//! A benchmark, not a test: it prints figures (and one `BENCH kpi …` line
//! per size for `scripts/bench.mjs`). Built only with
//! `--features browser-bench`, so `make test` never runs it; `make bench-kpi`
//! and `make bench` do, in release mode.
#![cfg(all(target_arch = "wasm32", feature = "browser-bench"))]

use serde_json::{json, Map, Value};
use servicelens::kpi::weak_spots::WeakSpot;
use servicelens::kpi::{self, synthetic, Bucket, Filter, Kpi, KpiSet, Period, Report};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

#[wasm_bindgen(module = "/tests/kpi_js/kpi.js")]
extern "C" {
    /// The raw columns and tables unpacked into the arrays the JS pass reads.
    fn prepare(raw: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = computeAll)]
    fn compute_all_js(columns: &JsValue, filter: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = kpiDigest)]
    fn kpi_digest(report: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = kpiDiff)]
    fn kpi_diff(a: &JsValue, b: &JsValue) -> js_sys::Array;
}

fn filter() -> Filter {
    Filter {
        period: Some(Period::new(
            synthetic::START_MS,
            synthetic::START_MS + synthetic::SPAN_MS,
        )),
        bucket: Bucket::Day,
        utc_offset_min: 180,
        silent_k: 0.3,
        compare_previous: true,
        ..Filter::default()
    }
}

fn filter_js(f: &Filter) -> JsValue {
    let v = json!({
        "period": f.period.map(|p| json!({"start_ms": p.start_ms, "end_ms": p.end_ms})),
        "locations": f.locations,
        "employees": f.employees,
        "questionnaires": f.questionnaires,
        "bucket": match f.bucket { Bucket::Day => "day", Bucket::IsoWeek => "week", Bucket::Month => "month" },
        "utc_offset_min": f.utc_offset_min,
        "silent_k": f.silent_k,
        "min_rank_n": f.min_rank_n,
        "compare_previous": f.compare_previous,
        "weak_spots_limit": f.weak_spots_limit,
    });
    js_sys::JSON::parse(&v.to_string()).unwrap()
}

/// The dataset's columns copied into typed arrays and its tables as JSON:
/// what the JS pass reads, built once per size and not timed.
fn columns_js(d: &kpi::Dataset) -> JsValue {
    let c = d.columns();
    let tables = json!({
        "locations": c.locations,
        "employees": c.employees,
        "questionnaires": c.questionnaires,
        "versions": c.versions.iter().map(|v| json!({
            "questionnaire": v.questionnaire, "kind": v.kind,
            "sections_start": v.sections_start, "sections_end": v.sections_end,
        })).collect::<Vec<_>>(),
        "sections": c.sections.iter().map(|s| json!({
            "key": s.key, "weight": s.weight, "zero_visit": s.zero_visit,
        })).collect::<Vec<_>>(),
        "sectionKeys": c.section_keys,
        "items": c.items,
        "slots": c.slots.iter().map(|s| json!({
            "item": s.item, "section": s.section, "weight": s.weight,
            "critical": s.critical, "audit": s.audit,
            "scale": s.scale.map(|(lo, hi)| [lo, hi]),
            "op": s.op.name, "arg": s.op.arg,
        })).collect::<Vec<_>>(),
        "csiAttrs": c.csi_attrs,
        "categories": c.categories,
        "maxSections": c.max_sections,
    });
    let columns = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        js_sys::Reflect::set(&columns, &k.into(), &v).unwrap();
    };
    let times: Vec<f64> = c.row_time.iter().map(|&t| t as f64).collect();
    set("rowTime", js_sys::Float64Array::from(&times[..]).into());
    set(
        "rowVersion",
        js_sys::Uint32Array::from(c.row_version).into(),
    );
    set(
        "rowLocation",
        js_sys::Uint32Array::from(c.row_location).into(),
    );
    set(
        "rowEmpStart",
        js_sys::Uint32Array::from(c.row_emp_start).into(),
    );
    set("rowEmp", js_sys::Uint32Array::from(c.row_emp).into());
    set(
        "rowAnsStart",
        js_sys::Uint32Array::from(c.row_ans_start).into(),
    );
    set("ansSlot", js_sys::Uint32Array::from(c.ans_slot).into());
    set("ansVal", js_sys::Float32Array::from(c.ans_val).into());
    let (rows, counts): (Vec<u32>, Vec<f32>) = c.visitor_rows.iter().copied().unzip();
    set("visitorRow", js_sys::Uint32Array::from(&rows[..]).into());
    set(
        "visitorCount",
        js_sys::Float32Array::from(&counts[..]).into(),
    );
    let raw = js_sys::Object::new();
    js_sys::Reflect::set(
        &raw,
        &"tables".into(),
        &js_sys::JSON::parse(&tables.to_string()).unwrap(),
    )
    .unwrap();
    js_sys::Reflect::set(&raw, &"columns".into(), &columns).unwrap();
    prepare(&raw.into())
}

fn kpi_keys(out: &mut Map<String, Value>, p: &str, k: &Kpi) {
    out.insert(format!("{p}.v"), json!(k.value));
    out.insert(format!("{p}.n"), json!(k.n));
    out.insert(format!("{p}.lo"), json!(k.ci.map(|c| c.lo)));
    out.insert(format!("{p}.hi"), json!(k.ci.map(|c| c.hi)));
}

fn set_keys(out: &mut Map<String, Value>, p: &str, s: &KpiSet) {
    out.insert(format!("{p}responses"), json!(s.responses));
    kpi_keys(out, &format!("{p}audit"), &s.audit.score);
    kpi_keys(out, &format!("{p}audit_crit"), &s.audit.critical_failures);
    kpi_keys(out, &format!("{p}nps"), &s.nps.kpi);
    out.insert(format!("{p}nps.se"), json!(s.nps.se));
    let by_score: Vec<String> = s.nps.counts.by_score.iter().map(u64::to_string).collect();
    out.insert(format!("{p}nps.by_score"), json!(by_score.join(",")));
    kpi_keys(out, &format!("{p}csat"), &s.csat);
    kpi_keys(out, &format!("{p}csi"), &s.csi.kpi);
    for a in &s.csi.attributes {
        kpi_keys(
            out,
            &format!("{p}csi.{}/{}", a.questionnaire_id, a.question_id),
            &a.score,
        );
    }
    kpi_keys(out, &format!("{p}ces.mean"), &s.ces.mean);
    kpi_keys(out, &format!("{p}ces.high"), &s.ces.high_share);
    for (i, x) in s.ink.iter().enumerate() {
        kpi_keys(out, &format!("{p}ink{i}"), &x.kpi);
        out.insert(format!("{p}ink{i}.silent"), json!(x.silent));
        out.insert(
            format!("{p}ink{i}.known"),
            json!(x.visitors_known.to_string()),
        );
    }
    kpi_keys(out, &format!("{p}loyalty"), &s.loyalty);
    let o = &s.ops;
    out.insert(format!("{p}ops.reports"), json!(o.reports));
    out.insert(format!("{p}ops.visitors"), json!(o.visitors));
    out.insert(format!("{p}ops.receipts"), json!(o.receipts));
    for (f, k) in [
        ("coverage", &o.coverage),
        ("conversion", &o.conversion),
        ("service_level", &o.service_level),
        ("abandon_rate", &o.abandon_rate),
        ("aht", &o.aht),
    ] {
        kpi_keys(out, &format!("{p}ops.{f}"), k);
    }
    for (f, t) in [
        ("wait", &o.wait),
        ("first_response", &o.first_response),
        ("resolution", &o.resolution),
    ] {
        kpi_keys(out, &format!("{p}ops.{f}"), &t.mean);
        out.insert(format!("{p}ops.{f}.median"), json!(t.median));
    }
    let c = &s.complaints;
    out.insert(format!("{p}complaints"), json!(c.count));
    kpi_keys(out, &format!("{p}complaints.resolved"), &c.resolved);
    kpi_keys(out, &format!("{p}complaints.ttr"), &c.time_to_resolve.mean);
    out.insert(
        format!("{p}complaints.ttr.median"),
        json!(c.time_to_resolve.median),
    );
    let cats: Vec<String> = c
        .by_category
        .iter()
        .map(|x| format!("{}:{}", x.id, x.count))
        .collect();
    out.insert(format!("{p}complaints.by_category"), json!(cats.join(",")));
}

/// The same flattening as `kpiDigest` in tests/kpi_js/kpi.js.
fn digest(r: &Report) -> Value {
    let mut out = Map::new();
    set_keys(&mut out, "o.", &r.overall);
    if let Some(p) = &r.previous {
        out.insert(
            "p.period".into(),
            json!(format!("{}..{}", p.period.start_ms, p.period.end_ms)),
        );
        set_keys(&mut out, "p.", &p.kpis);
    }
    for (tag, list) in [
        ("L", &r.by_location),
        ("E", &r.by_employee),
        ("Q", &r.by_questionnaire),
    ] {
        let ids: Vec<&str> = list.iter().map(|b| b.id.as_str()).collect();
        out.insert(format!("{tag}.ids"), json!(ids.join(",")));
        for b in list.iter() {
            set_keys(&mut out, &format!("{tag}.{}.", b.id), &b.kpis);
        }
    }
    let labels: Vec<String> = r
        .trend
        .iter()
        .map(|t| {
            format!(
                "{}@{}..{}",
                t.bucket.label, t.bucket.start_ms, t.bucket.end_ms
            )
        })
        .collect();
    out.insert("T.labels".into(), json!(labels.join(",")));
    for t in &r.trend {
        set_keys(&mut out, &format!("T.{}.", t.bucket.label), &t.kpis);
    }
    let ids: Vec<String> = r
        .sections
        .iter()
        .map(|x| format!("{}/{}", x.questionnaire_id, x.section_id))
        .collect();
    out.insert("S.ids".into(), json!(ids.join(",")));
    for x in &r.sections {
        let key = format!("S.{}/{}", x.questionnaire_id, x.section_id);
        kpi_keys(&mut out, &key, &x.score);
        out.insert(format!("{key}.crit"), json!(x.critical_failures));
    }
    let spots = |out: &mut Map<String, Value>, p: &str, list: &[WeakSpot]| {
        let ids: Vec<String> = list
            .iter()
            .map(|w| {
                format!(
                    "{}/{}/{}:{}",
                    w.questionnaire_id, w.section_id, w.question_id, w.failed
                )
            })
            .collect();
        out.insert(format!("{p}.ids"), json!(ids.join(",")));
        for w in list {
            kpi_keys(
                out,
                &format!("{p}.{}/{}", w.questionnaire_id, w.question_id),
                &w.fail_rate,
            );
        }
    };
    spots(&mut out, "W", &r.weak_spots);
    let ids: Vec<&str> = r
        .weak_spots_by_location
        .iter()
        .map(|w| w.location_id.as_str())
        .collect();
    out.insert("WL.ids".into(), json!(ids.join(",")));
    for w in &r.weak_spots_by_location {
        spots(&mut out, &format!("WL.{}", w.location_id), &w.items);
    }
    let k = &r.rankings;
    for (name, list) in [
        ("employees_by_audit", &k.employees_by_audit),
        ("employees_by_staff_survey", &k.employees_by_staff_survey),
        ("locations_by_audit", &k.locations_by_audit),
        ("locations_by_nps", &k.locations_by_nps),
        ("locations_by_csat", &k.locations_by_csat),
    ] {
        let v: Vec<String> = list
            .iter()
            .map(|e| {
                format!(
                    "{}:{}",
                    e.id,
                    e.rank.map_or("-".to_string(), |r| r.to_string())
                )
            })
            .collect();
        out.insert(format!("R.{name}"), json!(v.join(",")));
    }
    Value::Object(out)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The KPI pass (`compute_all`, every KPI and breakdown, the previous
/// period too) in wasm against the same pass in plain JavaScript
/// (tests/kpi_js/kpi.js) over the same columns, in this page. At 10k the
/// two reports must agree on every figure before any time is compared.
/// Sizes from BENCH_KPI_SIZES (e.g. `10000,100000`), default 10k, 100k, 1M.
#[wasm_bindgen_test]
fn kpi_pass_wasm_against_js() {
    let f = filter();
    let fjs = filter_js(&f);
    let sizes: Vec<usize> = option_env!("BENCH_KPI_SIZES")
        .unwrap_or("10000,100000,1000000")
        .split(',')
        .map(|s| s.trim().parse().expect("BENCH_KPI_SIZES: numbers"))
        .collect();
    console_log!(
        "KPI pass in headless Chromium: wasm (release) against plain JS, same columns, same page"
    );
    console_log!(
        "{:>9} {:>9} {:>8} {:>8} {:>7}",
        "responses",
        "build ms",
        "wasm ms",
        "JS ms",
        "ratio"
    );
    for n in sizes {
        let t = now_ms();
        let data = synthetic::generate(n, 42);
        let build = now_ms() - t;
        let cols = columns_js(&data);
        if n <= 10_000 {
            let ours = digest(&kpi::compute_all(&data, &f));
            let ours = js_sys::JSON::parse(&ours.to_string()).unwrap();
            let theirs = kpi_digest(&compute_all_js(&cols, &fjs));
            let diff = kpi_diff(&ours, &theirs);
            let keys = js_sys::Object::keys(&ours.clone().into()).length();
            assert!(
                diff.length() == 0,
                "JS and wasm reports differ at n={n} in {} of {keys} figures: {:?}",
                diff.length(),
                diff.iter()
                    .take(20)
                    .map(|x| x.as_string().unwrap())
                    .collect::<Vec<_>>()
            );
            console_log!("n={n}: the JS report equals the wasm report in all {keys} figures");
        }
        // Alternate the two so neither gets a quieter stretch of the machine.
        let runs = if n >= 1_000_000 { 3 } else { 9 };
        let (mut wasm, mut js) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let t = now_ms();
            let report = kpi::compute_all(&data, &f);
            wasm.push(now_ms() - t);
            assert_eq!(report.overall.responses as usize, n);
            drop(report);
            let t = now_ms();
            let report = compute_all_js(&cols, &fjs);
            js.push(now_ms() - t);
            drop(report);
        }
        let (w, j) = (median(wasm), median(js));
        console_log!(
            "{:>9} {:>9.0} {:>8.1} {:>8.1} {:>7.2}",
            n,
            build,
            w,
            j,
            w / j
        );
        console_log!(
            "BENCH kpi n={n} wasm_ms={w:.2} js_ms={j:.2} ratio={:.3}",
            w / j
        );
    }
    console_log!("ratio = wasm / JS (below 1: wasm faster); medians of 9 runs (3 at 1M)");
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
    let today = servicelens::domain::LocalDate::new(2025, 12, 31).unwrap();
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
                let recent = newest_first.iter().filter(|r| f.admits(r)).take(50).count();
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
