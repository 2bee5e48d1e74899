//! The series behind the dashboard's charts, and the same rows for their
//! table alternatives: one source, so a chart and its table never differ.

use crate::kpi::ranking::RankEntry;
use crate::kpi::weak_spots::WeakSpot;
use crate::kpi::{KpiId, Report, SectionStat};

use super::cards::kpi_of;

/// Bars drawn per bar chart; the table lists them all.
pub const MAX_BARS: usize = 15;

/// The bars of the section-scores chart, in drawing order.
pub fn section_bars(report: &Report) -> &[SectionStat] {
    &report.sections[..report.sections.len().min(MAX_BARS)]
}

/// The bars of a ranking chart: the ranked entries only (the rest have too
/// small a sample), best first.
pub fn ranked_bars(entries: &[RankEntry]) -> Vec<&RankEntry> {
    entries
        .iter()
        .filter(|e| e.rank.is_some())
        .take(MAX_BARS)
        .collect()
}

/// The bars of the weak-spots chart.
pub fn weak_spot_bars(report: &Report) -> &[WeakSpot] {
    &report.weak_spots[..report.weak_spots.len().min(MAX_BARS)]
}

/// One point of a trend line; `value` is `None` for a bucket without data,
/// which the chart shows as a gap.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendRow {
    pub label: String,
    pub value: Option<f64>,
    pub n: u64,
}

pub fn trend(report: &Report, id: KpiId) -> Vec<TrendRow> {
    report
        .trend
        .iter()
        .map(|p| {
            let k = kpi_of(&p.kpis, id).unwrap_or_else(crate::kpi::Kpi::empty);
            TrendRow {
                label: p.bucket.label.clone(),
                value: k.value,
                n: k.n,
            }
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpsGroup {
    Detractor,
    Passive,
    Promoter,
}

impl NpsGroup {
    pub fn of(score: u8) -> NpsGroup {
        match score {
            9.. => NpsGroup::Promoter,
            7..=8 => NpsGroup::Passive,
            _ => NpsGroup::Detractor,
        }
    }

    /// Bar colours with at least 3:1 contrast on white (WCAG 1.4.11).
    pub fn colour(self) -> &'static str {
        match self {
            NpsGroup::Detractor => "#c0392b",
            NpsGroup::Passive => "#8a6d00",
            NpsGroup::Promoter => "#1e7b34",
        }
    }
}

/// (score, answers, group) for 0..=10.
pub fn nps_distribution(report: &Report) -> Vec<(u8, u64, NpsGroup)> {
    report
        .overall
        .nps
        .counts
        .by_score
        .iter()
        .enumerate()
        .map(|(s, &n)| (s as u8, n, NpsGroup::of(s as u8)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DAY_MS;
    use crate::kpi::{compute_all, synthetic, Bucket, Filter, Period};

    #[test]
    fn series_follow_the_report() {
        let data = synthetic::generate(3_000, 5);
        let filter = Filter {
            period: Some(Period::new(
                synthetic::START_MS,
                synthetic::START_MS + 70 * DAY_MS,
            )),
            bucket: Bucket::IsoWeek,
            ..Filter::default()
        };
        let r = compute_all(&data, &filter);
        let t = trend(&r, KpiId::AuditScore);
        assert_eq!(t.len(), r.trend.len());
        assert!(t.len() >= 10);
        let n: u64 = t.iter().map(|p| p.n).sum();
        assert_eq!(n, r.overall.audit.score.n);
        let dist = nps_distribution(&r);
        assert_eq!(dist.len(), 11);
        let c = r.overall.nps.counts;
        let by = |g: NpsGroup| dist.iter().filter(|d| d.2 == g).map(|d| d.1).sum::<u64>();
        assert_eq!(by(NpsGroup::Promoter), c.promoters);
        assert_eq!(by(NpsGroup::Passive), c.passives);
        assert_eq!(by(NpsGroup::Detractor), c.detractors);
        assert!(c.promoters > 0 && c.detractors > 0);
    }

    #[test]
    fn nps_groups() {
        let groups: Vec<_> = (0..=10).map(NpsGroup::of).collect();
        assert_eq!(groups[6], NpsGroup::Detractor);
        assert_eq!(groups[7], NpsGroup::Passive);
        assert_eq!(groups[8], NpsGroup::Passive);
        assert_eq!(groups[9], NpsGroup::Promoter);
    }
}
