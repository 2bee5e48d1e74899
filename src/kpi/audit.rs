//! Audit scores in columnar form: the rules of
//! [`crate::domain::scoring::score_audit`] (which stays the reference; a
//! property test holds the two equal) applied to stored item scores without
//! building a per-visit result.

use crate::domain::scoring::FAIL_BELOW;
use crate::domain::Text;

use super::dataset::VersionSection;
use super::stats::Kpi;

/// Running points of one section within one visit.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SectionTally {
    pub earned: f64,
    pub possible: f64,
    pub critical_failed: bool,
}

impl SectionTally {
    #[inline(always)]
    pub(crate) fn add(&mut self, weight: f64, score: f64, critical: bool) {
        self.critical_failed |= critical && score < FAIL_BELOW;
        self.earned += weight * score;
        self.possible += weight;
    }

    /// 0..=100, `None` when nothing scored was answered.
    pub(crate) fn score(&self) -> Option<f64> {
        (self.possible > 0.0).then(|| {
            if self.critical_failed {
                0.0
            } else {
                100.0 * self.earned / self.possible
            }
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct VisitOutcome {
    pub score: f64,
    pub critical_failed: bool,
}

/// Visit score from its sections' tallies, in questionnaire order; `None`
/// when no section had an answered item.
pub(crate) fn visit(tallies: &[SectionTally], sections: &[VersionSection]) -> Option<VisitOutcome> {
    let mut num = 0.0;
    let mut den = 0.0;
    let mut zeroed = false;
    let mut critical = false;
    for (t, s) in tallies.iter().zip(sections) {
        critical |= t.critical_failed;
        zeroed |= t.critical_failed && s.zero_visit;
        if let Some(v) = t.score() {
            num += s.weight * v;
            den += s.weight;
        }
    }
    (den > 0.0).then(|| VisitOutcome {
        score: if zeroed { 0.0 } else { num / den },
        critical_failed: critical,
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AuditKpis {
    /// Mean visit score, 0–100; n is the number of scored visits.
    pub score: Kpi,
    /// Share of visits with a failed critical item, 0–100%.
    pub critical_failures: Kpi,
}

/// One section across all versions of its questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionStat {
    pub questionnaire_id: String,
    pub section_id: String,
    pub title: Text,
    /// Mean section score over the visits that answered it, 0–100.
    pub score: Kpi,
    pub critical_failures: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sec(weight: f64, zero_visit: bool) -> VersionSection {
        VersionSection {
            key: 0,
            weight,
            zero_visit,
        }
    }

    #[test]
    fn section_sixty_and_renormalisation() {
        let mut a = SectionTally::default();
        for s in [1.0, 1.0, 1.0, 0.0, 0.0] {
            a.add(1.0, s, false);
        }
        assert_eq!(a.score(), Some(60.0));
        let empty = SectionTally::default();
        let v = visit(&[a, empty], &[sec(1.0, false), sec(9.0, false)]).unwrap();
        assert_eq!(v.score, 60.0);
    }

    #[test]
    fn critical_rules() {
        let mut bad = SectionTally::default();
        bad.add(1.0, 0.0, true);
        let mut good = SectionTally::default();
        good.add(1.0, 1.0, false);
        let v = visit(&[bad, good], &[sec(1.0, false), sec(1.0, false)]).unwrap();
        assert_eq!((v.score, v.critical_failed), (50.0, true));
        let v = visit(&[bad, good], &[sec(1.0, true), sec(1.0, false)]).unwrap();
        assert_eq!(v.score, 0.0);
        assert_eq!(visit(&[SectionTally::default()], &[sec(1.0, false)]), None);
    }
}
