//! CSAT: share of satisfied answers (4–5 on a five-point scale), 0–100%.

use super::stats::Kpi;

/// CSAT from answer counts per scale point, `(point, count)`, where points
/// at or above `top` count as satisfied (4 on a 1–5 scale).
pub fn csat_from_counts(counts: &[(u8, u64)], top: u8) -> Kpi {
    let n: u64 = counts.iter().map(|&(_, c)| c).sum();
    let sat: u64 = counts
        .iter()
        .filter(|&&(p, _)| p >= top)
        .map(|&(_, c)| c)
        .sum();
    csat(sat, n)
}

pub fn csat(satisfied: u64, answered: u64) -> Kpi {
    Kpi::percent(satisfied as f64, answered as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PRODUCT.md §3: 42/32/10/9/14 → 69.16%; 120/40/20/10/10 → 80%.
    #[test]
    fn worked_examples() {
        let k = csat_from_counts(&[(5, 42), (4, 32), (3, 10), (2, 9), (1, 14)], 4);
        assert_eq!(format!("{:.2}", k.value.unwrap()), "69.16");
        assert_eq!(k.n, 107);
        let ci = k.ci.unwrap();
        assert!(ci.lo < 69.16 && 69.16 < ci.hi);
        let k = csat_from_counts(&[(5, 120), (4, 40), (3, 20), (2, 10), (1, 10)], 4);
        assert_eq!(format!("{:.2}", k.value.unwrap()), "80.00");
        assert_eq!(k.n, 200);
    }
}
