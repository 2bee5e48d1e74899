//! KPI engine benchmark (issue 4): a full pass with every breakdown over
//! synthetic data of 10k, 100k and 1M responses × 15 answers.
//!
//! `cargo bench --features bench-data --bench kpi` prints one row per size:
//! time to build the columnar dataset, time of the full KPI pass (median of
//! several runs), time per response, bytes of the dataset's columns, and
//! the peak heap (whole process, and the extra the pass itself allocates),
//! counted by a global allocator wrapper. Pass sizes as arguments to run
//! others.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use servicelens::kpi::{self, synthetic, Bucket, Filter, Period};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        CURRENT.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            if new_size >= layout.size() {
                let now =
                    CURRENT.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn reset_peak() -> usize {
    let now = CURRENT.load(Relaxed);
    PEAK.store(now, Relaxed);
    now
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000, 1_000_000]
    } else {
        sizes
    };
    // The whole synthetic year, day buckets in Moscow time (366 trend
    // points), every breakdown, and the previous-period comparison.
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

    println!("KPI engine: full pass with all breakdowns (overall, 40 locations, 320 employees,");
    println!("4 questionnaires, 366 days, sections, weak spots, rankings, previous period)");
    println!();
    println!(
        "{:>10} {:>9} {:>10} {:>11} {:>10} {:>11} {:>11} {:>10}",
        "responses",
        "answers",
        "build ms",
        "pass ms",
        "ns/resp",
        "columns MiB",
        "peak MiB",
        "pass MiB"
    );
    for &n in &sizes {
        let base = reset_peak();
        let t = Instant::now();
        let data = synthetic::generate(n, 42);
        let build = t.elapsed();
        let columns = data.column_bytes();

        let runs = if n >= 1_000_000 { 5 } else { 15 };
        let mut times = Vec::with_capacity(runs);
        let mut pass_peak = 0;
        let mut process_peak = 0;
        for _ in 0..runs {
            let before = reset_peak();
            let t = Instant::now();
            let report = kpi::compute_all(&data, &filter);
            times.push(t.elapsed());
            let peak = PEAK.load(Relaxed);
            pass_peak = pass_peak.max(peak - before);
            process_peak = process_peak.max(peak - base);
            assert_eq!(report.overall.responses as usize, n);
            std::hint::black_box(report);
        }
        times.sort();
        let median = times[runs / 2];
        println!(
            "{:>10} {:>9} {:>10.1} {:>11.2} {:>10.0} {:>11.1} {:>11.1} {:>10.2}",
            n,
            data.answers_len(),
            ms(build),
            ms(median),
            median.as_nanos() as f64 / n as f64,
            mib(columns),
            mib(process_peak),
            mib(pass_peak),
        );
    }
    println!();
    println!("answers: kept after ingest (N/A and free text are dropped); build: synthetic");
    println!("records streamed into the columnar dataset; pass: median of 15 runs (5 at 1M);");
    println!("peak: heap held by the dataset plus the pass; pass: heap the pass adds.");
}
