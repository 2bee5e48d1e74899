//! CSI: importance-weighted mean satisfaction Σwᵢsᵢ / Σwᵢ over attributes
//! (speed, competence, politeness, accessibility, …), rescaled to 0–100 by
//! (x − min)/(max − min).
//!
//! Each attribute is first rescaled on its own scale and averaged over the
//! responses that answered it, then weighted: attributes may use different
//! scales, and an attribute nobody answered drops out and the others are
//! renormalised. On a common scale this equals rescaling the weighted mean.

use super::stats::{Kpi, SumCount};

/// Σwᵢsᵢ / Σwᵢ, or `None` when the weights sum to nothing.
pub fn weighted_mean(pairs: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (num, den) = pairs
        .into_iter()
        .fold((0.0, 0.0), |(n, d), (w, s)| (n + w * s, d + w));
    (den > 0.0).then(|| num / den)
}

/// (x − min)/(max − min) × 100.
pub fn rescale_0_100(x: f64, min: f64, max: f64) -> f64 {
    100.0 * (x - min) / (max - min)
}

#[derive(Debug, Clone, PartialEq)]
pub struct CsiAttribute {
    pub questionnaire_id: String,
    pub question_id: String,
    pub importance: f64,
    /// Mean satisfaction with this attribute, 0–100.
    pub score: Kpi,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Csi {
    /// 0–100; n is the number of responses rating at least one attribute.
    pub kpi: Kpi,
    pub attributes: Vec<CsiAttribute>,
}

/// CSI from per-attribute sums of 0..=1 scores: `(importance, sums)`.
pub(crate) fn csi_from_units<'a>(
    attrs: impl IntoIterator<Item = (f64, &'a SumCount)>,
    respondents: u64,
) -> Option<f64> {
    let v = weighted_mean(
        attrs
            .into_iter()
            .filter(|(_, s)| s.n > 0)
            .map(|(w, s)| (w, s.sum / s.n as f64)),
    )?;
    (respondents > 0).then_some(100.0 * v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PRODUCT.md §3: weights 7,5,9,3,6, scores 8,4,8,3,4 on 1–10 →
    /// 6.0333 → 55.93.
    #[test]
    fn worked_example() {
        let w = [7.0, 5.0, 9.0, 3.0, 6.0];
        let s = [8.0, 4.0, 8.0, 3.0, 4.0];
        let mean = weighted_mean(w.iter().copied().zip(s.iter().copied())).unwrap();
        assert_eq!(format!("{mean:.4}"), "6.0333");
        assert_eq!(format!("{:.2}", rescale_0_100(mean, 1.0, 10.0)), "55.93");
        // The per-attribute route gives the same figure.
        let sums: Vec<SumCount> = s
            .iter()
            .map(|&x| SumCount {
                sum: (x - 1.0) / 9.0,
                n: 1,
            })
            .collect();
        let csi = csi_from_units(w.iter().copied().zip(sums.iter()), 1).unwrap();
        assert_eq!(format!("{csi:.2}"), "55.93");
    }

    #[test]
    fn unanswered_attributes_drop_out() {
        let sums = [SumCount { sum: 1.0, n: 2 }, SumCount { sum: 0.0, n: 0 }];
        let v = csi_from_units([(1.0, &sums[0]), (100.0, &sums[1])], 2).unwrap();
        assert_eq!(v, 50.0);
        assert_eq!(weighted_mean([(0.0, 5.0)]), None);
    }
}
