//! Weak spots: the checklist items failed most often, overall and per
//! location.

use crate::domain::Text;

use super::stats::Kpi;

#[derive(Debug, Clone, PartialEq)]
pub struct WeakSpot {
    pub questionnaire_id: String,
    pub question_id: String,
    pub section_id: String,
    pub text: Text,
    pub failed: u64,
    /// Failed / answered, 0–100% with its Wilson interval.
    pub fail_rate: Kpi,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LocationWeakSpots {
    pub location_id: String,
    pub items: Vec<WeakSpot>,
}

/// Items with at least one failure, most failures first; among equal
/// counts the higher rate first, then by id so the order is stable.
pub(crate) fn most_failed(mut spots: Vec<WeakSpot>, limit: usize) -> Vec<WeakSpot> {
    spots.retain(|s| s.failed > 0);
    spots.sort_by(|a, b| {
        b.failed
            .cmp(&a.failed)
            .then_with(|| {
                let (x, y) = (
                    a.fail_rate.value.unwrap_or(0.0),
                    b.fail_rate.value.unwrap_or(0.0),
                );
                y.total_cmp(&x)
            })
            .then_with(|| a.questionnaire_id.cmp(&b.questionnaire_id))
            .then_with(|| a.question_id.cmp(&b.question_id))
    });
    spots.truncate(limit);
    spots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spot(id: &str, failed: u64, answered: u64) -> WeakSpot {
        WeakSpot {
            questionnaire_id: "a".into(),
            question_id: id.into(),
            section_id: "s".into(),
            text: Text::default(),
            failed,
            fail_rate: Kpi::percent(failed as f64, answered as f64),
        }
    }

    #[test]
    fn most_failed_first_and_limited() {
        let v = most_failed(
            vec![
                spot("a", 3, 10),
                spot("b", 0, 10),
                spot("c", 3, 5),
                spot("d", 7, 100),
            ],
            2,
        );
        let ids: Vec<_> = v.iter().map(|s| s.question_id.as_str()).collect();
        assert_eq!(ids, ["d", "c"]);
    }
}
