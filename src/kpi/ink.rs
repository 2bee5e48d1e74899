//! ИНК, the customer dissatisfaction index (Loyalty Button method), per
//! cause group Персонал / Офис / Продукт:
//! ИНК = N_no / (N_answered + k · N_silent), N_silent = visitors − N_answered.
//!
//! k ∈ [0, 1] is the share of non-respondents whose silence is unrelated to
//! dissatisfaction; with the default 0, or without a visitor count from an
//! ops report, the index is the plain share of "no".

use super::stats::{wilson, Interval, Kpi, Z95};

/// ИНК cause groups, in the order of the seed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InkCause {
    /// Персонал.
    Staff,
    /// Офис.
    Office,
    /// Продукт.
    Product,
}

impl InkCause {
    pub const ALL: [InkCause; 3] = [InkCause::Staff, InkCause::Office, InkCause::Product];
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ink {
    pub cause: InkCause,
    /// 0–100%; n is N_answered; the interval is Wilson's over the corrected
    /// denominator.
    pub kpi: Kpi,
    pub no: u64,
    pub answered: u64,
    pub silent: f64,
    /// Visitor counts were available, so k took effect. When false the UI
    /// says that k has no effect.
    pub visitors_known: bool,
}

/// `visitors` is `None` when no ops report covers the group.
pub fn ink(cause: InkCause, no: u64, answered: u64, visitors: Option<f64>, k: f64) -> Ink {
    let silent = visitors.map(|v| (v - answered as f64).max(0.0));
    ink_with_silent(cause, no, answered, silent, k)
}

/// As [`ink`] with N_silent already known (`None`: no visitor count).
pub(crate) fn ink_with_silent(
    cause: InkCause,
    no: u64,
    answered: u64,
    silent_known: Option<f64>,
    k: f64,
) -> Ink {
    let k = if k.is_finite() {
        k.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let silent = silent_known.unwrap_or(0.0);
    let denom = answered as f64 + k * silent;
    let value = (answered > 0 && denom > 0.0).then(|| 100.0 * no as f64 / denom);
    let ci = wilson(no as f64, denom, Z95).map(|i| Interval {
        lo: 100.0 * i.lo,
        hi: 100.0 * i.hi,
    });
    Ink {
        cause,
        kpi: Kpi::new(value, answered, ci),
        no,
        answered,
        silent,
        visitors_known: silent_known.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_share_without_visitors_or_k() {
        let r = ink(InkCause::Staff, 12, 60, None, 0.5);
        assert_eq!(r.kpi.value, Some(20.0));
        assert!(!r.visitors_known);
        let r = ink(InkCause::Staff, 12, 60, Some(1000.0), 0.0);
        assert_eq!(r.kpi.value, Some(20.0));
        assert!(r.visitors_known);
    }

    #[test]
    fn silent_customers_dilute_the_index() {
        // 60 answered of 260 visitors: 200 silent; k = 0.4 → 12 / (60 + 80).
        let r = ink(InkCause::Office, 12, 60, Some(260.0), 0.4);
        assert_eq!(r.silent, 200.0);
        assert!((r.kpi.value.unwrap() - 1200.0 / 140.0).abs() < 1e-12);
        let ci = r.kpi.ci.unwrap();
        assert!(ci.contains(r.kpi.value.unwrap()));
        // More answers than visitors (bad data) means nobody silent.
        assert_eq!(ink(InkCause::Product, 1, 10, Some(5.0), 1.0).silent, 0.0);
    }
}
