//! From a dashboard figure to the responses behind it: the same filters,
//! plus (from a weak spot) the checklist item they failed. The selection is
//! decided per response from the stored record, by the same rules the KPI
//! engine applies, so the list's length equals the figure it came from.

use crate::domain::scoring::{item_score, FAIL_BELOW};
use crate::domain::{Questionnaire, Response};
use crate::formats::table::filter_matches;
use crate::kpi::Filter;

use super::query::{decode_component, encode_component, query_pairs, DashboardQuery};

/// One checklist item, by stable ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRef {
    pub questionnaire_id: String,
    pub question_id: String,
}

/// The list screen's query: a dashboard view plus an optional failed item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Drill {
    pub query: DashboardQuery,
    pub failed_item: Option<ItemRef>,
}

impl Drill {
    pub fn parse(query: &str) -> Drill {
        let failed_item = query_pairs(query)
            .find(|(k, _)| *k == "item")
            .and_then(|(_, v)| {
                let (q, item) = v.split_once('/')?;
                Some(ItemRef {
                    questionnaire_id: decode_component(q)?,
                    question_id: decode_component(item)?,
                })
            })
            .filter(|i| !i.questionnaire_id.is_empty() && !i.question_id.is_empty());
        Drill {
            query: DashboardQuery::parse(query),
            failed_item,
        }
    }

    pub fn to_query(&self) -> String {
        let mut s = self.query.to_query();
        if let Some(i) = &self.failed_item {
            if !s.is_empty() {
                s.push('&');
            }
            s.push_str(&format!(
                "item={}/{}",
                encode_component(&i.questionnaire_id),
                encode_component(&i.question_id)
            ));
        }
        s
    }
}

/// The moment a response counts at: submission, or its start when it was
/// never submitted (imported records), as in the KPI engine.
pub fn counted_at_ms(r: &Response) -> i64 {
    r.submitted_at.unwrap_or(r.started_at).utc_ms
}

/// Whether `r` passes `filter` (and fails `item`, if given). `q` is the exact
/// questionnaire version it answered; without it the engine leaves the
/// response out, and so does this.
pub fn selects(
    filter: &Filter,
    item: Option<&ItemRef>,
    r: &Response,
    q: Option<&Questionnaire>,
) -> bool {
    let Some(q) = q else { return false };
    if !filter_matches(filter, r) {
        return false;
    }
    match item {
        None => true,
        Some(i) => i.questionnaire_id == r.questionnaire_id && failed(q, r, &i.question_id),
    }
}

/// The item was answered, visible, and scored below the pass mark.
pub fn failed(q: &Questionnaire, r: &Response, question_id: &str) -> bool {
    let (Some(question), Some(answer)) = (q.question(question_id), r.answers.get(question_id))
    else {
        return false;
    };
    item_score(question, &answer.value).is_some_and(|s| s < FAIL_BELOW)
        && q.is_visible(question_id, r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::{compute_all, synthetic, Period};

    #[test]
    fn drill_query_round_trips() {
        let d = Drill::parse("period=7d&loc=a&item=tpl-retail%2Fx/q%261");
        let i = d.failed_item.clone().unwrap();
        assert_eq!(i.questionnaire_id, "tpl-retail/x");
        assert_eq!(i.question_id, "q&1");
        assert_eq!(d.query.locations, ["a"]);
        assert_eq!(Drill::parse(&d.to_query()), d);
        assert_eq!(Drill::parse("item=broken").failed_item, None);
        assert_eq!(Drill::parse("item=/q").failed_item, None);
    }

    /// The list behind a figure has as many responses as the figure counts:
    /// every response of the view, and for each weak spot its failures.
    #[test]
    fn selection_agrees_with_the_engine() {
        let questionnaires = synthetic::questionnaires();
        let responses: Vec<Response> = synthetic::responses(3_000, 7).collect();
        let data = crate::kpi::Dataset::build(&questionnaires, &responses);
        let find = |r: &Response| {
            questionnaires
                .iter()
                .find(|q| q.id == r.questionnaire_id && q.version == r.questionnaire_version)
        };
        let loc = data.location_ids()[3].clone();
        let filter = Filter {
            period: Some(Period::new(
                synthetic::START_MS + 30 * 86_400_000,
                synthetic::START_MS + 200 * 86_400_000,
            )),
            locations: vec![loc],
            weak_spots_limit: 5,
            ..Filter::default()
        };
        let report = compute_all(&data, &filter);
        let all = responses
            .iter()
            .filter(|r| selects(&filter, None, r, find(r)))
            .count();
        assert!(all > 0);
        assert_eq!(all as u64, report.overall.responses);
        assert!(!report.weak_spots.is_empty());
        for spot in &report.weak_spots {
            let item = ItemRef {
                questionnaire_id: spot.questionnaire_id.clone(),
                question_id: spot.question_id.clone(),
            };
            let n = responses
                .iter()
                .filter(|r| selects(&filter, Some(&item), r, find(r)))
                .count();
            assert_eq!(n as u64, spot.failed, "{}", spot.question_id);
        }
    }
}
