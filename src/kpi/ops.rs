//! Operational KPIs from daily ops reports: visitor coverage, conversion,
//! contact-centre service level, abandon rate, AHT, and the waits and
//! response/resolution times measured anywhere.

use super::dataset::{OpsField, OPS_FIELDS};
use super::stats::{Kpi, SumCount};

/// (talk + hold + after-call work) per call, in the unit of its inputs.
pub fn aht(talk: f64, hold: f64, after_call: f64) -> f64 {
    talk + hold + after_call
}

/// Sums over ops reports. Each ratio sums only reports that give both of
/// its parts, so a report missing one number does not skew it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OpsCounts {
    pub reports: u64,
    pub visitors: f64,
    pub receipts: f64,
    conv_visitors: f64,
    conv_receipts: f64,
    sl_offered: f64,
    sl_within: f64,
    ab_offered: f64,
    ab_abandoned: f64,
    /// Σ handled × per-call handling time, and Σ handled.
    aht_sum: f64,
    aht_calls: f64,
}

/// One report's numbers, `None` where the report leaves a field out.
pub(crate) type OpsRow = [Option<f64>; OPS_FIELDS];

impl OpsCounts {
    pub(crate) fn add_report(&mut self, r: &OpsRow) {
        let f = |x: OpsField| r[x as usize];
        self.reports += 1;
        if let Some(v) = f(OpsField::Visitors) {
            self.visitors += v;
        }
        if let Some(v) = f(OpsField::Receipts) {
            self.receipts += v;
        }
        if let (Some(v), Some(rc)) = (f(OpsField::Visitors), f(OpsField::Receipts)) {
            self.conv_visitors += v;
            self.conv_receipts += rc;
        }
        if let Some(offered) = f(OpsField::Offered) {
            if let Some(w) = f(OpsField::WithinT) {
                self.sl_offered += offered;
                self.sl_within += w;
            }
            if let Some(a) = f(OpsField::Abandoned) {
                self.ab_offered += offered;
                self.ab_abandoned += a;
            }
        }
        let parts = [OpsField::Talk, OpsField::Hold, OpsField::AfterCall].map(f);
        if parts.iter().any(Option::is_some) {
            let per_call = aht(
                parts[0].unwrap_or(0.0),
                parts[1].unwrap_or(0.0),
                parts[2].unwrap_or(0.0),
            );
            // The times are the report's averages per handled call; a report
            // without a call count weighs as one call.
            let calls = f(OpsField::Handled).unwrap_or(1.0);
            self.aht_sum += calls * per_call;
            self.aht_calls += calls;
        }
    }

    pub fn merge(&mut self, o: &OpsCounts) {
        self.reports += o.reports;
        self.visitors += o.visitors;
        self.receipts += o.receipts;
        self.conv_visitors += o.conv_visitors;
        self.conv_receipts += o.conv_receipts;
        self.sl_offered += o.sl_offered;
        self.sl_within += o.sl_within;
        self.ab_offered += o.ab_offered;
        self.ab_abandoned += o.ab_abandoned;
        self.aht_sum += o.aht_sum;
        self.aht_calls += o.aht_calls;
    }

    pub fn service_level(&self) -> Kpi {
        Kpi::percent(self.sl_within, self.sl_offered)
    }

    pub fn abandon_rate(&self) -> Kpi {
        Kpi::percent(self.ab_abandoned, self.ab_offered)
    }

    pub fn conversion(&self) -> Kpi {
        Kpi::percent(self.conv_receipts, self.conv_visitors)
    }

    /// n is the number of calls handled.
    pub fn aht(&self) -> Kpi {
        let n = self.aht_calls.round().max(0.0) as u64;
        let value = (self.aht_calls > 0.0).then(|| self.aht_sum / self.aht_calls);
        Kpi::new(value, n.max(u64::from(value.is_some())), None)
    }
}

/// A measured duration: mean with its n, and the median.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeStat {
    pub mean: Kpi,
    pub median: Option<f64>,
}

impl TimeStat {
    pub(crate) fn new(s: &SumCount, median: Option<f64>) -> TimeStat {
        TimeStat {
            mean: Kpi::mean(s.sum, s.n),
            median: if s.n > 0 { median } else { None },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpsKpis {
    pub reports: u64,
    /// Σ visitors and Σ receipts of the reports, `None` without reports.
    pub visitors: Option<f64>,
    pub receipts: Option<f64>,
    /// Survey respondents / visitors, 0–100%.
    pub coverage: Kpi,
    /// Receipts / visitors, 0–100%.
    pub conversion: Kpi,
    /// Answered within T / offered, 0–100%.
    pub service_level: Kpi,
    /// Abandoned / offered, 0–100%.
    pub abandon_rate: Kpi,
    /// Average handling time, in the unit of the reports.
    pub aht: Kpi,
    pub wait: TimeStat,
    pub first_response: TimeStat,
    pub resolution: TimeStat,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &[(OpsField, f64)]) -> OpsRow {
        let mut r = [None; OPS_FIELDS];
        for &(f, v) in fields {
            r[f as usize] = Some(v);
        }
        r
    }

    /// PRODUCT.md §3: talk 5.00 + hold 0.50 + ACW 1.20 min → 6.70 min.
    #[test]
    fn aht_worked_example() {
        assert_eq!(format!("{:.2}", aht(5.00, 0.50, 1.20)), "6.70");
        let mut c = OpsCounts::default();
        c.add_report(&row(&[
            (OpsField::Talk, 5.0),
            (OpsField::Hold, 0.5),
            (OpsField::AfterCall, 1.2),
            (OpsField::Handled, 40.0),
        ]));
        let k = c.aht();
        assert_eq!(format!("{:.2}", k.value.unwrap()), "6.70");
        assert_eq!(k.n, 40);
    }

    #[test]
    fn aht_weighs_reports_by_calls_handled() {
        let mut c = OpsCounts::default();
        c.add_report(&row(&[(OpsField::Talk, 4.0), (OpsField::Handled, 30.0)]));
        c.add_report(&row(&[(OpsField::Talk, 8.0), (OpsField::Handled, 10.0)]));
        assert_eq!(c.aht().value, Some(5.0));
    }

    #[test]
    fn call_ratios_and_conversion() {
        let mut c = OpsCounts::default();
        c.add_report(&row(&[
            (OpsField::Offered, 200.0),
            (OpsField::WithinT, 160.0),
            (OpsField::Abandoned, 10.0),
            (OpsField::Visitors, 400.0),
            (OpsField::Receipts, 100.0),
        ]));
        // Only visitors: counts toward Σ visitors but not conversion.
        c.add_report(&row(&[(OpsField::Visitors, 100.0)]));
        assert_eq!(c.service_level().value, Some(80.0));
        assert_eq!(c.abandon_rate().value, Some(5.0));
        assert_eq!(c.conversion().value, Some(25.0));
        assert_eq!(c.conversion().n, 400);
        assert_eq!(c.visitors, 500.0);
        assert_eq!(OpsCounts::default().service_level().value, None);
    }
}
