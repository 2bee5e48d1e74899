//! ИЭЛ, the emotional loyalty index: %yes − %no on "Would you recommend us
//! to your friends?", −100…100.

use super::stats::{wilson, Interval, Kpi, Z95};

/// The interval maps Wilson's interval for the share of "yes" through
/// 2p − 1, since with only yes and no, ИЭЛ = 2·%yes − 100.
pub fn iel(yes: u64, no: u64) -> Kpi {
    let n = yes + no;
    let value = (n > 0).then(|| 100.0 * (yes as f64 - no as f64) / n as f64);
    let ci = wilson(yes as f64, n as f64, Z95).map(|i| Interval {
        lo: 100.0 * (2.0 * i.lo - 1.0),
        hi: 100.0 * (2.0 * i.hi - 1.0),
    });
    Kpi::new(value, n, ci)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_minus_no() {
        let k = iel(30, 10);
        assert_eq!(k.value, Some(50.0));
        assert_eq!(k.n, 40);
        assert!(k.ci.unwrap().contains(50.0));
        assert_eq!(iel(0, 5).value, Some(-100.0));
        assert_eq!(iel(0, 0).value, None);
    }
}
