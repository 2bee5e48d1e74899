//! Rankings of employees ("best employee of the month") and locations. Only
//! those with enough observations get a rank, so nobody is ranked on two
//! answers; the rest are listed after them with their sample size.

use super::stats::Kpi;

#[derive(Debug, Clone, PartialEq)]
pub struct RankEntry {
    pub id: String,
    pub kpi: Kpi,
    /// 1 = best; equal values share a rank (1, 2, 2, 4). `None` when the
    /// sample is below the filter's minimum.
    pub rank: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rankings {
    /// By mean audit score of the visits they served.
    pub employees_by_audit: Vec<RankEntry>,
    /// By share of customers satisfied with the staff (ИНК Персонал "yes").
    pub employees_by_staff_survey: Vec<RankEntry>,
    pub locations_by_audit: Vec<RankEntry>,
    pub locations_by_nps: Vec<RankEntry>,
    pub locations_by_csat: Vec<RankEntry>,
}

/// Ranks entries by value, higher is better. Entries without a value are
/// dropped.
pub fn rank(entries: impl IntoIterator<Item = (String, Kpi)>, min_n: u64) -> Vec<RankEntry> {
    let mut v: Vec<RankEntry> = entries
        .into_iter()
        .filter(|(_, k)| k.value.is_some())
        .map(|(id, kpi)| RankEntry {
            id,
            kpi,
            rank: None,
        })
        .collect();
    let eligible = |e: &RankEntry| e.kpi.n >= min_n.max(1);
    v.sort_by(|a, b| {
        eligible(b)
            .cmp(&eligible(a))
            .then_with(|| {
                if eligible(a) {
                    b.kpi.value.unwrap().total_cmp(&a.kpi.value.unwrap())
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then_with(|| b.kpi.n.cmp(&a.kpi.n))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut prev: Option<(f64, u32)> = None;
    for (i, e) in v.iter_mut().enumerate() {
        if !eligible(e) {
            break;
        }
        let value = e.kpi.value.unwrap();
        let r = match prev {
            Some((pv, pr)) if pv == value => pr,
            _ => i as u32 + 1,
        };
        e.rank = Some(r);
        prev = Some((value, r));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(v: f64, n: u64) -> Kpi {
        Kpi::new(Some(v), n, None)
    }

    #[test]
    fn small_samples_are_listed_unranked() {
        let r = rank(
            [
                ("ann".to_string(), k(90.0, 12)),
                ("bob".to_string(), k(100.0, 2)),
                ("cat".to_string(), k(95.0, 40)),
                ("dan".to_string(), k(90.0, 20)),
                ("eve".to_string(), Kpi::empty()),
            ],
            5,
        );
        let got: Vec<_> = r.iter().map(|e| (e.id.as_str(), e.rank)).collect();
        assert_eq!(
            got,
            [
                ("cat", Some(1)),
                ("dan", Some(2)),
                ("ann", Some(2)),
                ("bob", None)
            ]
        );
    }
}
