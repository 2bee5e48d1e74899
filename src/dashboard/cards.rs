//! The overview: one card per KPI with its value, sample size, interval,
//! small-sample flag and change against the previous period, ready to be
//! formatted. Which figure of the [`Report`] each card shows is decided
//! here, once.

use crate::i18n::{format_decimal, Lang, Msg};
use crate::kpi::stats::{count_difference_interval, difference_interval};
use crate::kpi::Kpi;
use crate::kpi::{KpiId, KpiSet, Report};

/// How a card's figure reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// 0–100 points (audit score, CSI).
    Points,
    /// 0–100%.
    Percent,
    /// −100…100 (NPS, ИЭЛ).
    Index,
    /// A mean on the 1–7 scale (CES).
    Mean,
    /// A whole count (complaints).
    Count,
}

impl Unit {
    pub fn decimals(self) -> usize {
        match self {
            Unit::Points | Unit::Percent | Unit::Index => 1,
            Unit::Mean => 2,
            Unit::Count => 0,
        }
    }

    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Percent => "%",
            _ => "",
        }
    }

    /// `value` in this unit and language: "66.7%", "66,7%", "−12.5".
    pub fn format(self, value: f64, lang: Lang) -> String {
        format!(
            "{}{}",
            format_decimal(value, self.decimals(), lang),
            self.suffix()
        )
    }

    /// A change, always signed: "+3.2", "−1.0", "±0.0".
    pub fn format_delta(self, delta: f64, lang: Lang) -> String {
        let s = format_decimal(delta.abs(), self.decimals(), lang);
        let zero = format_decimal(0.0, self.decimals(), lang);
        let sign = if s == zero {
            "±"
        } else if delta > 0.0 {
            "+"
        } else {
            "−"
        };
        format!("{sign}{s}")
    }
}

/// The KPIs of the overview, in display order (PRODUCT.md §3, issue 7).
pub const OVERVIEW: [KpiId; 12] = [
    KpiId::AuditScore,
    KpiId::Nps,
    KpiId::Csi,
    KpiId::Csat,
    KpiId::CesMean,
    KpiId::InkStaff,
    KpiId::InkOffice,
    KpiId::InkProduct,
    KpiId::Loyalty,
    KpiId::Coverage,
    KpiId::Complaints,
    KpiId::CriticalFailures,
];

/// The contact-centre and operations KPIs (PRODUCT.md §3, seed 002): their
/// own group of tiles, shown when the view holds operations reports.
pub const OPERATIONS: [KpiId; 7] = [
    KpiId::Conversion,
    KpiId::ServiceLevel,
    KpiId::AbandonRate,
    KpiId::Aht,
    KpiId::Wait,
    KpiId::FirstResponse,
    KpiId::Resolution,
];

pub fn unit(id: KpiId) -> Unit {
    match id {
        KpiId::AuditScore | KpiId::Csi => Unit::Points,
        KpiId::Nps | KpiId::Loyalty => Unit::Index,
        // Times, in the unit the reports are kept in.
        KpiId::CesMean | KpiId::Aht | KpiId::Wait | KpiId::FirstResponse | KpiId::Resolution => {
            Unit::Mean
        }
        KpiId::Complaints => Unit::Count,
        _ => Unit::Percent,
    }
}

/// Whether more of `id` is better: not for complaints, critical failures,
/// abandoned calls and times waited, whose rise the page marks as bad news.
pub fn higher_is_better(id: KpiId) -> bool {
    !matches!(
        id,
        KpiId::Complaints
            | KpiId::CriticalFailures
            | KpiId::AbandonRate
            | KpiId::Aht
            | KpiId::Wait
            | KpiId::FirstResponse
            | KpiId::Resolution
    )
}

/// The figure of `id` in a KPI set; `None` for KPIs the overview does not
/// show.
pub fn kpi_of(set: &KpiSet, id: KpiId) -> Option<Kpi> {
    Some(match id {
        KpiId::AuditScore => set.audit.score,
        KpiId::CriticalFailures => set.audit.critical_failures,
        KpiId::Nps => set.nps.kpi,
        KpiId::Csi => set.csi.kpi,
        KpiId::Csat => set.csat,
        KpiId::CesMean => set.ces.mean,
        KpiId::CesEasyShare => set.ces.high_share,
        KpiId::InkStaff => set.ink[0].kpi,
        KpiId::InkOffice => set.ink[1].kpi,
        KpiId::InkProduct => set.ink[2].kpi,
        KpiId::Loyalty => set.loyalty,
        KpiId::Coverage => set.ops.coverage,
        KpiId::Conversion => set.ops.conversion,
        KpiId::ServiceLevel => set.ops.service_level,
        KpiId::AbandonRate => set.ops.abandon_rate,
        KpiId::Aht => set.ops.aht,
        KpiId::Wait => set.ops.wait.mean,
        KpiId::FirstResponse => set.ops.first_response.mean,
        KpiId::Resolution => set.ops.resolution.mean,
        KpiId::Complaints => Kpi::count(set.complaints.count),
        _ => return None,
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub id: KpiId,
    pub unit: Unit,
    pub kpi: Kpi,
    /// Change against the previous period, when both were measured.
    pub delta: Option<f64>,
    /// Whether that change is more than noise; `None` where the figures
    /// carry no interval to tell (the means: audit score, CSI, CES, ИЭЛ).
    pub verdict: Option<Verdict>,
}

/// A change is real only when its own 95% interval excludes zero; bonuses
/// are paid from these figures, so a move inside the noise says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Rise,
    Fall,
    WithinNoise,
}

impl Verdict {
    pub fn label(self) -> Msg {
        match self {
            Verdict::Rise => Msg::ChangeRise,
            Verdict::Fall => Msg::ChangeFall,
            Verdict::WithinNoise => Msg::ChangeWithinNoise,
        }
    }
}

/// The verdict on the change from `previous` to `now`: for a count, the
/// difference of two Poisson counts; for a figure with an interval
/// (proportions, NPS), the interval of the difference built from both.
fn verdict(unit: Unit, now: &Kpi, previous: &Kpi) -> Option<Verdict> {
    let ci = if unit == Unit::Count {
        count_difference_interval(now.n, previous.n)
    } else {
        difference_interval(now.value?, now.ci?, previous.value?, previous.ci?)
    };
    Some(if ci.lo > 0.0 {
        Verdict::Rise
    } else if ci.hi < 0.0 {
        Verdict::Fall
    } else {
        Verdict::WithinNoise
    })
}

/// A card's figures as the page shows them, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardText {
    /// `None`: nothing measured ("no data").
    pub value: Option<String>,
    /// "n = 1,234".
    pub n: String,
    /// "44.1–67.3%".
    pub interval: Option<String>,
    /// "+3.2".
    pub change: Option<String>,
}

impl Card {
    pub fn text(&self, lang: Lang) -> CardText {
        let u = self.unit;
        CardText {
            value: self.kpi.value.map(|v| u.format(v, lang)),
            n: format!("n = {}", format_decimal(self.kpi.n as f64, 0, lang)),
            interval: self.kpi.ci.map(|ci| {
                format!(
                    "{}–{}{}",
                    format_decimal(ci.lo, u.decimals(), lang),
                    format_decimal(ci.hi, u.decimals(), lang),
                    u.suffix()
                )
            }),
            change: self.delta.map(|d| u.format_delta(d, lang)),
        }
    }
}

/// One card per overview KPI.
pub fn cards(report: &Report) -> Vec<Card> {
    OVERVIEW.iter().filter_map(|&id| card(report, id)).collect()
}

/// The operations group's cards, or none when the view has no operations
/// report (a chain without them is not shown a wall of "no data").
pub fn operations_cards(report: &Report) -> Vec<Card> {
    if report.overall.ops.reports == 0 {
        return Vec::new();
    }
    OPERATIONS
        .iter()
        .filter_map(|&id| card(report, id))
        .collect()
}

/// The card of one KPI; `None` for a KPI the report has no figure for.
/// The page keeps one card per KPI and updates it from this, so a filter
/// change that leaves a figure alone leaves its card alone.
pub fn card(report: &Report, id: KpiId) -> Option<Card> {
    let kpi = kpi_of(&report.overall, id)?;
    let unit = unit(id);
    let previous = report.previous.as_ref().and_then(|p| kpi_of(&p.kpis, id));
    let delta = previous.and_then(|prev| kpi.delta(&prev));
    Some(Card {
        id,
        unit,
        kpi,
        delta,
        verdict: previous
            .filter(|_| delta.is_some())
            .and_then(|prev| verdict(unit, &kpi, &prev)),
    })
}

/// The SVG path of a tile's sparkline: the KPI over the report's trend
/// buckets in a 100 × 24 box, each measured bucket at its place in time and
/// joined to the next measured one (a line broken at every empty day reads
/// as scratches, not as a trend); `None` when fewer than two buckets have a
/// value.
pub fn sparkline(report: &Report, id: KpiId) -> Option<String> {
    let last = report.trend.len().saturating_sub(1).max(1) as f64;
    let points: Vec<(f64, f64)> = report
        .trend
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((100.0 * i as f64 / last, kpi_of(&p.kpis, id)?.value?)))
        .collect();
    if points.len() < 2 {
        return None;
    }
    let (min, max) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(_, v)| {
            (lo.min(v), hi.max(v))
        });
    let d: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(n, &(x, v))| {
            let y = if max > min {
                22.0 - 20.0 * (v - min) / (max - min)
            } else {
                12.0
            };
            format!("{}{x:.1},{y:.1}", if n == 0 { "M" } else { "L" })
        })
        .collect();
    Some(d.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DAY_MS;
    use crate::kpi::{compute_all, synthetic, Bucket, Filter, Period};

    /// A view of a day before any response.
    fn nothing_measured() -> Report {
        let data = synthetic::generate(100, 3);
        let filter = Filter {
            period: Some(Period::new(0, DAY_MS)),
            ..Filter::default()
        };
        compute_all(&data, &filter)
    }

    /// Sixty days of the synthetic chain, with the sixty before to compare.
    fn sixty_days(bucket: Bucket) -> Report {
        let data = synthetic::generate(2_000, 3);
        let filter = Filter {
            period: Some(Period::new(
                synthetic::START_MS + 100 * DAY_MS,
                synthetic::START_MS + 160 * DAY_MS,
            )),
            bucket,
            ..Filter::default()
        };
        compute_all(&data, &filter)
    }

    #[test]
    fn every_overview_kpi_has_a_definition_and_a_figure() {
        let report = sixty_days(Bucket::Day);
        let cards = cards(&report);
        assert_eq!(cards.len(), OVERVIEW.len());
        for c in &cards {
            let _ = crate::kpi::definition(c.id);
            assert!(c.kpi.value.is_some(), "{:?}", c.id);
            assert!(c.delta.is_some(), "{:?}", c.id);
        }
        let nps = cards.iter().find(|c| c.id == KpiId::Nps).unwrap();
        assert_eq!(nps.kpi, report.overall.nps.kpi);
        let prev = report
            .previous
            .as_ref()
            .unwrap()
            .kpis
            .nps
            .kpi
            .value
            .unwrap();
        assert_eq!(nps.delta, Some(nps.kpi.value.unwrap() - prev));
        let complaints = cards.iter().find(|c| c.id == KpiId::Complaints).unwrap();
        assert_eq!(
            complaints.kpi.value,
            Some(report.overall.complaints.count as f64)
        );
    }

    /// The finding: a period with no complaint filed showed "no data" in
    /// the card and the trend, as if complaints had not been counted.
    #[test]
    fn a_period_without_complaints_counts_zero_and_its_change() {
        use crate::domain::QuestionnaireKind;
        use crate::kpi::DatasetBuilder;
        let defs = synthetic::questionnaires();
        let complaint_forms: Vec<&str> = defs
            .iter()
            .filter(|q| q.kind == QuestionnaireKind::Complaint)
            .map(|q| q.id.as_str())
            .collect();
        assert!(!complaint_forms.is_empty());
        let current = synthetic::START_MS + 100 * DAY_MS;
        let mut b = DatasetBuilder::new(&defs);
        for r in synthetic::responses(2_000, 3) {
            // Complaints in the previous period only.
            let in_current = r.started_at.utc_ms >= current;
            if !(in_current && complaint_forms.contains(&r.questionnaire_id.as_str())) {
                b.push(&r);
            }
        }
        let data = b.finish();
        let filter = Filter {
            period: Some(Period::new(current, synthetic::START_MS + 160 * DAY_MS)),
            ..Filter::default()
        };
        let report = compute_all(&data, &filter);
        assert_eq!(report.overall.complaints.count, 0);
        let before = report.previous.as_ref().unwrap().kpis.complaints.count;
        assert!(before > 0);
        let card = cards(&report)
            .into_iter()
            .find(|c| c.id == KpiId::Complaints)
            .unwrap();
        assert_eq!(card.kpi.value, Some(0.0));
        assert_eq!(card.delta, Some(-(before as f64)));
        // The trend's points for the period read 0 too.
        assert_eq!(
            kpi_of(&report.overall, KpiId::Complaints).unwrap().value,
            Some(0.0)
        );
    }

    #[test]
    fn no_previous_period_no_delta() {
        let data = synthetic::generate(300, 3);
        let report = compute_all(&data, &Filter::default());
        assert!(cards(&report).iter().all(|c| c.delta.is_none()));
    }

    #[test]
    fn card_text_reads_every_figure() {
        let card = Card {
            id: KpiId::Csat,
            unit: Unit::Percent,
            kpi: Kpi::percent(83.0, 120.0),
            delta: Some(-2.26),
            verdict: None,
        };
        let t = card.text(Lang::Ru);
        assert_eq!(t.value.as_deref(), Some("69,2%"));
        assert_eq!(t.n, "n = 120");
        let ci = card.kpi.ci.unwrap();
        assert_eq!(
            t.interval,
            Some(format!(
                "{}–{}%",
                format_decimal(ci.lo, 1, Lang::Ru),
                format_decimal(ci.hi, 1, Lang::Ru)
            ))
        );
        assert_eq!(t.change.as_deref(), Some("−2,3"));
        let empty = Card {
            kpi: Kpi::empty(),
            delta: None,
            ..card
        };
        assert_eq!(empty.text(Lang::En).value, None);
    }

    #[test]
    fn units_format_per_language() {
        assert_eq!(Unit::Percent.format(69.1666, Lang::En), "69.2%");
        assert_eq!(Unit::Percent.format(69.1666, Lang::Ru), "69,2%");
        assert_eq!(Unit::Index.format(-40.0, Lang::En), "-40.0");
        assert_eq!(Unit::Mean.format(5.126, Lang::Ru), "5,13");
        assert_eq!(Unit::Count.format(1234.0, Lang::En), "1,234");
        assert_eq!(Unit::Points.format_delta(3.21, Lang::En), "+3.2");
        assert_eq!(Unit::Points.format_delta(-3.21, Lang::Ru), "−3,2");
        assert_eq!(Unit::Points.format_delta(-0.01, Lang::En), "±0.0");
    }

    #[test]
    fn a_change_is_real_only_when_its_interval_excludes_zero() {
        let csat = |x: f64, n: f64| Kpi::percent(x, n);
        // 80% of 70 against 60% of 80: Newcombe's example, a real rise.
        assert_eq!(
            verdict(Unit::Percent, &csat(56.0, 70.0), &csat(48.0, 80.0)),
            Some(Verdict::Rise)
        );
        assert_eq!(
            verdict(Unit::Percent, &csat(48.0, 80.0), &csat(56.0, 70.0)),
            Some(Verdict::Fall)
        );
        // The same ten points on twenty people each: noise.
        assert_eq!(
            verdict(Unit::Percent, &csat(16.0, 20.0), &csat(12.0, 20.0)),
            Some(Verdict::WithinNoise)
        );
        assert_eq!(
            verdict(Unit::Count, &Kpi::count(0), &Kpi::count(3)),
            Some(Verdict::WithinNoise)
        );
        assert_eq!(
            verdict(Unit::Count, &Kpi::count(2), &Kpi::count(30)),
            Some(Verdict::Fall)
        );
        // A mean carries no interval: no verdict rather than a guess.
        assert_eq!(
            verdict(Unit::Points, &Kpi::mean(80.0, 1), &Kpi::mean(60.0, 1)),
            None
        );
    }

    #[test]
    fn the_overview_gives_a_verdict_wherever_it_can() {
        for c in cards(&sixty_days(Bucket::Day)) {
            let expected = c.unit == Unit::Count || c.kpi.ci.is_some();
            assert_eq!(c.verdict.is_some(), expected, "{:?}", c.id);
        }
    }

    #[test]
    fn a_sparkline_joins_the_measured_buckets_of_the_trend() {
        let report = sixty_days(Bucket::IsoWeek);
        let d = sparkline(&report, KpiId::Nps).unwrap();
        assert_eq!(d.matches('M').count(), 1);
        assert!(d.ends_with(|c: char| c.is_ascii_digit()));
        let points = d.split(' ').count();
        let measured = report
            .trend
            .iter()
            .filter(|p| p.kpis.nps.kpi.value.is_some())
            .count();
        assert_eq!(points, measured);
        // Every point inside the box.
        for p in d.split(' ') {
            let (x, y) = p[1..].split_once(',').unwrap();
            let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
            assert!(
                (0.0..=100.0).contains(&x) && (2.0..=22.0).contains(&y),
                "{p}"
            );
        }
        assert_eq!(sparkline(&nothing_measured(), KpiId::Nps), None);
    }

    #[test]
    fn the_operations_group_shows_with_operations_reports_only() {
        let report = sixty_days(Bucket::Day);
        assert!(report.overall.ops.reports > 0);
        let ops = operations_cards(&report);
        assert_eq!(ops.len(), OPERATIONS.len());
        for c in &ops {
            let _ = crate::kpi::definition(c.id);
            assert_eq!(Some(c.kpi), kpi_of(&report.overall, c.id));
        }
        let conversion = ops.iter().find(|c| c.id == KpiId::Conversion).unwrap();
        assert_eq!(conversion.kpi, report.overall.ops.conversion);
        let none = nothing_measured();
        assert!(operations_cards(&none).is_empty());
    }
}
