//! Net Promoter Score: %promoters (9–10) − %detractors (0–6), −100…100, with
//! the adjusted-Wald 95% interval.

use super::stats::{nps_adjusted_wald, nps_se, Kpi, Z95};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NpsCounts {
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
    /// Answers per score 0..=10, for the distribution chart.
    pub by_score: [u64; 11],
}

impl NpsCounts {
    #[inline(always)]
    pub fn add(&mut self, score: f32) {
        // Ingest keeps only answers within the question's 0–10 scale.
        self.by_score[(score as usize).min(10)] += 1;
        if score >= 9.0 {
            self.promoters += 1;
        } else if score >= 7.0 {
            self.passives += 1;
        } else {
            self.detractors += 1;
        }
    }

    pub fn n(&self) -> u64 {
        self.promoters + self.passives + self.detractors
    }

    pub fn from_scores(scores: impl IntoIterator<Item = u8>) -> NpsCounts {
        let mut c = NpsCounts::default();
        for s in scores {
            c.add(f32::from(s));
        }
        c
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nps {
    /// −100…100 with the adjusted-Wald interval in the same points.
    pub kpi: Kpi,
    pub counts: NpsCounts,
    /// Plain standard error in NPS points.
    pub se: Option<f64>,
}

pub fn nps(counts: NpsCounts) -> Nps {
    let n = counts.n() as f64;
    let (p, d) = (counts.promoters as f64, counts.detractors as f64);
    let value = (n > 0.0).then(|| 100.0 * (p - d) / n);
    let ci = nps_adjusted_wald(p, d, n, Z95).map(|i| super::stats::Interval {
        lo: 100.0 * i.lo,
        hi: 100.0 * i.hi,
    });
    Nps {
        kpi: Kpi::new(value, counts.n(), ci),
        counts,
        se: nps_se(p, d, n).map(|se| 100.0 * se),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PRODUCT.md §3: scores 1..=10 → P=2, passives 2, D=6 → −40.
    #[test]
    fn one_to_ten_is_minus_forty() {
        let c = NpsCounts::from_scores(1..=10);
        assert_eq!((c.promoters, c.passives, c.detractors), (2, 2, 6));
        assert_eq!(c.by_score, [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
        let r = nps(c);
        assert_eq!(r.kpi.value, Some(-40.0));
        assert_eq!(r.kpi.n, 10);
        assert!(r.kpi.small_sample);
        let ci = r.kpi.ci.unwrap();
        assert!(ci.lo >= -100.0 && ci.hi <= 100.0 && ci.lo < ci.hi);
    }

    /// n=324: 162/108/54 → 33.33, plain SE 4.14 points.
    #[test]
    fn large_sample_worked_example() {
        let r = nps(NpsCounts {
            promoters: 162,
            passives: 108,
            detractors: 54,
            ..NpsCounts::default()
        });
        assert_eq!(format!("{:.2}", r.kpi.value.unwrap()), "33.33");
        assert_eq!(format!("{:.2}", r.se.unwrap()), "4.14");
        assert!(!r.kpi.small_sample);
        let ci = r.kpi.ci.unwrap();
        assert_eq!(format!("{:.2} {:.2}", ci.lo, ci.hi), "24.95 41.11");
    }

    #[test]
    fn empty_has_no_value() {
        let r = nps(NpsCounts::default());
        assert_eq!((r.kpi.value, r.kpi.ci, r.se), (None, None, None));
    }
}
