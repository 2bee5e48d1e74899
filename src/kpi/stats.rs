//! Sample statistics shared by every KPI: the value-with-sample-size type,
//! Wilson and adjusted-Wald intervals, medians.

/// z for a two-sided 95% interval, the value PRODUCT.md §3 fixes (1.96, not
/// 1.959964), so the worked examples reproduce to six decimals.
pub const Z95: f64 = 1.96;

/// Below this many observations a KPI is flagged "small sample".
pub const SMALL_SAMPLE: u64 = 30;

/// A closed interval in the unit of the KPI it belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

impl Interval {
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    fn map(self, f: impl Fn(f64) -> f64) -> Interval {
        Interval {
            lo: f(self.lo),
            hi: f(self.hi),
        }
    }
}

/// One KPI figure as the dashboard shows it: the value (absent when nothing
/// was measured), how many observations it rests on, and a 95% interval for
/// proportions and NPS.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kpi {
    pub value: Option<f64>,
    pub n: u64,
    pub small_sample: bool,
    pub ci: Option<Interval>,
}

impl Kpi {
    pub fn empty() -> Kpi {
        Kpi::new(None, 0, None)
    }

    pub fn new(value: Option<f64>, n: u64, ci: Option<Interval>) -> Kpi {
        let value = if n == 0 { None } else { value };
        Kpi {
            value,
            n,
            small_sample: n < SMALL_SAMPLE,
            ci: value.and(ci),
        }
    }

    /// A count of events (complaints filed): exact, so no interval, and
    /// never "not measured": a period without one is 0, not a gap.
    /// "Small sample" still tells that few were counted.
    pub fn count(n: u64) -> Kpi {
        Kpi {
            value: Some(n as f64),
            n,
            small_sample: n < SMALL_SAMPLE,
            ci: None,
        }
    }

    /// A mean without an interval.
    pub fn mean(sum: f64, n: u64) -> Kpi {
        Kpi::new((n > 0).then(|| sum / n as f64), n, None)
    }

    /// `x` of `n` as a percentage with its Wilson interval. Counts beyond
    /// `n` (a data-entry error such as more receipts than visitors) are
    /// capped so the figure stays within 0–100.
    pub fn percent(x: f64, n: f64) -> Kpi {
        let count = n.max(0.0).round() as u64;
        if n.is_nan() || n <= 0.0 {
            return Kpi::new(None, count, None);
        }
        let x = x.clamp(0.0, n);
        let ci = wilson(x, n, Z95).map(|i| i.map(|v| 100.0 * v));
        Kpi::new(Some(100.0 * x / n), count.max(1), ci)
    }

    /// Change from `previous` to `self`, when both were measured.
    pub fn delta(&self, previous: &Kpi) -> Option<f64> {
        Some(self.value? - previous.value?)
    }
}

/// Wilson score interval for `x` successes of `n`, as proportions 0..=1.
/// `n` may be fractional (ИНК with the silent-customer correction).
pub fn wilson(x: f64, n: f64, z: f64) -> Option<Interval> {
    if n.is_nan() || n <= 0.0 || !(0.0..=n).contains(&x) {
        return None;
    }
    let p = x / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Interval {
        lo: (centre - half).max(0.0),
        hi: (centre + half).min(1.0),
    })
}

/// 95% interval of the difference `a − b` of two independent estimates,
/// each given with its own 95% interval: the MOVER construction (Zou &
/// Donner 2008), which for two Wilson intervals is Newcombe's hybrid score
/// interval for a difference of proportions (1998, method 10), and for two
/// adjusted-Wald NPS intervals the matching interval of a change of NPS.
pub fn difference_interval(a: f64, a_ci: Interval, b: f64, b_ci: Interval) -> Interval {
    let d = a - b;
    Interval {
        lo: d - ((a - a_ci.lo).powi(2) + (b_ci.hi - b).powi(2)).sqrt(),
        hi: d + ((a_ci.hi - a).powi(2) + (b - b_ci.lo).powi(2)).sqrt(),
    }
}

/// 95% interval of the difference of two event counts over periods of the
/// same length (complaints this period against the last): each count is
/// Poisson, so the difference has variance `a + b` (normal approximation).
pub fn count_difference_interval(a: u64, b: u64) -> Interval {
    let d = a as f64 - b as f64;
    let half = Z95 * ((a + b) as f64).sqrt();
    Interval {
        lo: d - half,
        hi: d + half,
    }
}

/// Plain standard error of NPS (as a fraction −1..1) from the counts.
pub fn nps_se(promoters: f64, detractors: f64, n: f64) -> Option<f64> {
    if n.is_nan() || n <= 0.0 {
        return None;
    }
    let (p, d) = (promoters / n, detractors / n);
    Some(((p + d - (p - d) * (p - d)) / n).sqrt())
}

/// Adjusted-Wald 95% interval for NPS as a fraction −1..1: add 3 to n and ¾
/// to both promoters and detractors, then centre on the adjusted NPS with
/// SE = √((p + d − (p − d)²)/n) (Rocks, Sauro & Lewis). Keeps a sane width
/// at small n and at NPS near ±100, where the plain Wald interval collapses.
pub fn nps_adjusted_wald(promoters: f64, detractors: f64, n: f64, z: f64) -> Option<Interval> {
    if n.is_nan() || n <= 0.0 {
        return None;
    }
    let n_adj = n + 3.0;
    let p = (promoters + 0.75) / n_adj;
    let d = (detractors + 0.75) / n_adj;
    let nps = p - d;
    let se = ((p + d - nps * nps) / n_adj).sqrt();
    Some(Interval {
        lo: (nps - z * se).max(-1.0),
        hi: (nps + z * se).min(1.0),
    })
}

/// Median of `values`, reordering them. The mean of the two middle values
/// when the count is even.
pub fn median_in_place(values: &mut [f32]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let cmp = |a: &f32, b: &f32| a.total_cmp(b);
    let (left, mid, _) = values.select_nth_unstable_by(n / 2, cmp);
    let upper = f64::from(*mid);
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = left.iter().copied().max_by(cmp).map(f64::from)?;
    Some((lower + upper) / 2.0)
}

/// Median of non-negative floats given as their bit patterns, reordering
/// them. For non-negative IEEE floats the bit patterns order as the values
/// do, and integer selection is several times cheaper than `total_cmp`.
pub fn median_of_nonneg_bits(bits: &mut [u32]) -> Option<f64> {
    let n = bits.len();
    if n == 0 {
        return None;
    }
    let (left, mid, _) = bits.select_nth_unstable(n / 2);
    let upper = f64::from(f32::from_bits(*mid));
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = f64::from(f32::from_bits(*left.iter().max()?));
    Some((lower + upper) / 2.0)
}

/// Running sum and count of a measured quantity (wait, resolution time).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SumCount {
    pub sum: f64,
    pub n: u64,
}

impl SumCount {
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        self.sum += x;
        self.n += 1;
    }

    pub fn merge(&mut self, other: &SumCount) {
        self.sum += other.sum;
        self.n += other.n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_of_two_proportions_matches_newcombes_worked_example() {
        // Newcombe (1998), Table II, example (a): 56/70 against 48/80,
        // method 10 gives 0.0524 to 0.3339.
        let (a, b) = (56.0 / 70.0, 48.0 / 80.0);
        let ci = difference_interval(
            a,
            wilson(56.0, 70.0, Z95).unwrap(),
            b,
            wilson(48.0, 80.0, Z95).unwrap(),
        );
        assert!((ci.lo - 0.0524).abs() < 5e-4, "{ci:?}");
        assert!((ci.hi - 0.3339).abs() < 5e-4, "{ci:?}");
        assert!(!ci.contains(0.0));
    }

    #[test]
    fn a_change_of_counts_is_noise_until_it_is_large() {
        assert!(count_difference_interval(12, 10).contains(0.0));
        assert!(!count_difference_interval(40, 10).contains(0.0));
        assert!(count_difference_interval(0, 0).contains(0.0));
    }

    fn close(a: f64, b: f64, eps: f64) -> bool {
        (a - b).abs() <= eps
    }

    /// PRODUCT.md §3 worked examples, six decimals.
    #[test]
    fn wilson_worked_examples() {
        for (x, n, lo, hi) in [
            (430.0, 474.0, 0.877675, 0.930124),
            (10.0, 14.0, 0.453505, 0.882788),
            (0.0, 20.0, 0.0, 0.161130),
        ] {
            let i = wilson(x, n, Z95).unwrap();
            assert!(close(i.lo, lo, 5e-7), "{x}/{n}: lo {}", i.lo);
            assert!(close(i.hi, hi, 5e-7), "{x}/{n}: hi {}", i.hi);
        }
        assert_eq!(wilson(0.0, 20.0, Z95).unwrap().lo, 0.0);
    }

    #[test]
    fn wilson_rejects_impossible_counts() {
        assert!(wilson(1.0, 0.0, Z95).is_none());
        assert!(wilson(5.0, 4.0, Z95).is_none());
        assert!(wilson(-1.0, 4.0, Z95).is_none());
        let all = wilson(20.0, 20.0, Z95).unwrap();
        assert_eq!(all.hi, 1.0);
    }

    /// n = 324, 162 promoters, 54 detractors: plain SE 4.14 points.
    #[test]
    fn nps_plain_se_worked_example() {
        let se = nps_se(162.0, 54.0, 324.0).unwrap();
        assert!(close(100.0 * se, 4.14, 0.005), "{se}");
    }

    #[test]
    fn adjusted_wald_follows_the_spec_text() {
        let i = nps_adjusted_wald(162.0, 54.0, 324.0, Z95).unwrap();
        let (p, d) = (162.75 / 327.0, 54.75 / 327.0);
        let se = ((p + d - (p - d) * (p - d)) / 327.0_f64).sqrt();
        assert!(close(i.lo, p - d - 1.96 * se, 1e-12));
        assert!(close(i.hi, p - d + 1.96 * se, 1e-12));
        // About ±8 points around the adjusted 33.03.
        assert!(close(100.0 * i.lo, 24.9451, 1e-4), "{}", 100.0 * i.lo);
        assert!(close(100.0 * i.hi, 41.1099, 1e-4), "{}", 100.0 * i.hi);
        // Unanimous small samples still get a real interval.
        let i = nps_adjusted_wald(5.0, 0.0, 5.0, Z95).unwrap();
        assert!(i.lo < 0.8 && i.hi <= 1.0);
    }

    #[test]
    fn kpi_flags_small_samples_and_hides_empty_values() {
        let k = Kpi::percent(10.0, 14.0);
        assert!(k.small_sample);
        assert_eq!(k.n, 14);
        assert!(close(k.ci.unwrap().lo, 45.3505, 1e-3));
        let e = Kpi::percent(0.0, 0.0);
        assert_eq!((e.value, e.ci, e.n, e.small_sample), (None, None, 0, true));
        assert!(!Kpi::percent(430.0, 474.0).small_sample);
        assert_eq!(Kpi::mean(10.0, 4).value, Some(2.5));
    }

    #[test]
    fn medians_of_bits_match() {
        let v = [4.0f32, 0.0, 1.5, 1e6, 3.25, 0.001];
        let mut bits: Vec<u32> = v.iter().map(|x| x.to_bits()).collect();
        let mut floats = v.to_vec();
        assert_eq!(
            median_of_nonneg_bits(&mut bits),
            median_in_place(&mut floats)
        );
        let mut five: Vec<u32> = v[..5].iter().map(|x| x.to_bits()).collect();
        assert_eq!(median_of_nonneg_bits(&mut five), Some(3.25));
        assert_eq!(median_of_nonneg_bits(&mut []), None);
    }

    #[test]
    fn medians() {
        assert_eq!(median_in_place(&mut []), None);
        assert_eq!(median_in_place(&mut [3.0]), Some(3.0));
        assert_eq!(median_in_place(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median_in_place(&mut [9.0, 1.0, 5.0]), Some(5.0));
    }
}
