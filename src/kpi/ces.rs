//! Customer Effort Score on the 7-point agree scale: the mean, and the share
//! of 5–7 ("easy") answers.

use super::stats::Kpi;

/// Answers at or above this count as low effort.
pub const CES_HIGH_FROM: f32 = 5.0;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CesCounts {
    pub sum: f64,
    pub n: u64,
    pub high: u64,
}

impl CesCounts {
    #[inline(always)]
    pub fn add(&mut self, v: f32) {
        self.sum += f64::from(v);
        self.n += 1;
        self.high += u64::from(v >= CES_HIGH_FROM);
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ces {
    /// 1–7.
    pub mean: Kpi,
    /// Share of 5–7 answers, 0–100% with its Wilson interval.
    pub high_share: Kpi,
}

pub fn ces(c: CesCounts) -> Ces {
    Ces {
        mean: Kpi::mean(c.sum, c.n),
        high_share: Kpi::percent(c.high as f64, c.n as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_share() {
        let mut c = CesCounts::default();
        for v in [7.0, 6.0, 5.0, 4.0, 1.0, 7.0] {
            c.add(v);
        }
        let r = ces(c);
        assert_eq!(r.mean.value, Some(5.0));
        assert!((r.high_share.value.unwrap() - 400.0 / 6.0).abs() < 1e-12);
        assert_eq!(r.high_share.n, 6);
    }
}
