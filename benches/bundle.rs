//! Backup bundle benchmark (issue 8): `write_bundle` and `parse_bundle` over
//! the synthetic store of 10k and 100k responses × 15 answers (the KPI
//! benchmark's data, with its questionnaires, locations and employees).
//!
//! `cargo bench --features bench-data --bench bundle` prints one row per
//! size: the file's size, then the median time and throughput of writing
//! it and of parsing it (every check included: sizes, checksum, ids,
//! questionnaires). Pass sizes as arguments to run others.

use std::time::{Duration, Instant};

use servicelens::domain::{Employee, Location, Timestamp};
use servicelens::exchange::bundle::{parse_bundle, write_bundle, Contents};
use servicelens::kpi::synthetic;

fn contents(n: usize) -> Contents {
    let at = Timestamp::new(synthetic::START_MS, 180);
    let locations: Vec<Location> = (0..synthetic::LOCATIONS)
        .map(|i| Location {
            id: synthetic::location_id(i),
            name: format!("Магазин №{i}"),
        })
        .collect();
    let employees = (0..synthetic::LOCATIONS)
        .flat_map(|l| {
            (0..synthetic::EMPLOYEES_PER_LOCATION).map(move |j| Employee {
                id: synthetic::employee_id(l, j),
                name: format!("Сотрудник {l}-{j}"),
                role: "Кассир".into(),
                location_id: synthetic::location_id(l),
                updated_at: at,
            })
        })
        .collect();
    Contents {
        questionnaires: synthetic::questionnaires(),
        responses: synthetic::responses(n, 42).collect(),
        locations,
        employees,
        ..Contents::default()
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
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
        vec![10_000, 100_000]
    } else {
        sizes
    };
    println!("Backup bundle: write_bundle and parse_bundle, synthetic responses × 15 answers");
    println!();
    println!(
        "{:>10} {:>9} {:>10} {:>10} {:>10} {:>10}",
        "responses", "file MB", "write ms", "write MB/s", "parse ms", "parse MB/s"
    );
    for &n in &sizes {
        let c = contents(n);
        let at = Timestamp::new(synthetic::START_MS, 180);
        let runs = if n >= 100_000 { 3 } else { 9 };
        let mut text = String::new();
        let mut writes = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            text = write_bundle(&c, at, "bench", "0").expect("the synthetic store writes");
            writes.push(t.elapsed());
        }
        let mut parses = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let b = parse_bundle(&text).expect("a written bundle parses");
            parses.push(t.elapsed());
            assert_eq!(b.contents.responses.len(), n);
            std::hint::black_box(b);
        }
        let mb = text.len() as f64 / 1e6;
        let (w, p) = (median(writes), median(parses));
        println!(
            "{:>10} {:>9.1} {:>10.0} {:>10.1} {:>10.0} {:>10.1}",
            n,
            mb,
            ms(w),
            mb / w.as_secs_f64(),
            ms(p),
            mb / p.as_secs_f64()
        );
    }
    println!();
    println!("median of 9 runs (3 at 100k and more); MB = 10^6 bytes of the file.");
}
