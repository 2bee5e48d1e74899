//! From a dashboard figure to the responses behind it: the same filters,
//! plus what the figure counted (a weak spot's failed item, a section's
//! scored visits, one NPS score). The selection is decided per response
//! from the stored record, by the same rules the KPI engine applies, so the
//! list's length equals the figure it came from. [`chart_point`] maps a
//! clicked point or bar of a dashboard chart to its list.

use crate::domain::metric;
use crate::domain::scoring::{item_score, score_audit, FAIL_BELOW};
use crate::domain::{
    AnswerValue, LocalDate, MetricRole, Questionnaire, QuestionnaireKind, Response,
};
use crate::kpi::ranking::RankEntry;
use crate::kpi::{Filter, Report};

use super::charts::{ranked_bars, section_bars, weak_spot_bars};
use super::query::{query_pairs, DashboardQuery, PeriodChoice};
use crate::uri::{decode_component, encode_component};

/// One checklist item, by stable ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRef {
    pub questionnaire_id: String,
    pub question_id: String,
}

/// One section of an audit questionnaire, by stable ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRef {
    pub questionnaire_id: String,
    pub section_id: String,
}

/// The list screen's query: a dashboard view, narrowed to the responses
/// that failed an item, scored a section, or gave one NPS score.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Drill {
    pub query: DashboardQuery,
    pub failed_item: Option<ItemRef>,
    pub section: Option<SectionRef>,
    /// 0..=10.
    pub nps_score: Option<u8>,
}

/// `<a>/<b>` with both parts percent-decoded and non-empty.
fn id_pair(v: &str) -> Option<(String, String)> {
    let (a, b) = v.split_once('/')?;
    let (a, b) = (decode_component(a)?, decode_component(b)?);
    (!a.is_empty() && !b.is_empty()).then_some((a, b))
}

impl Drill {
    /// The whole view, narrowed by nothing.
    pub fn of(query: DashboardQuery) -> Drill {
        Drill {
            query,
            ..Drill::default()
        }
    }

    pub fn parse(query: &str) -> Drill {
        let value = |key: &str| query_pairs(query).find(|(k, _)| *k == key).map(|p| p.1);
        Drill {
            query: DashboardQuery::parse(query),
            failed_item: value("item").and_then(id_pair).map(|(q, i)| ItemRef {
                questionnaire_id: q,
                question_id: i,
            }),
            section: value("section").and_then(id_pair).map(|(q, s)| SectionRef {
                questionnaire_id: q,
                section_id: s,
            }),
            nps_score: value("nps")
                .and_then(|v| v.parse::<u8>().ok())
                .filter(|s| *s <= 10),
        }
    }

    pub fn to_query(&self) -> String {
        let mut parts = vec![self.query.to_query()];
        let pair = |a: &str, b: &str| format!("{}/{}", encode_component(a), encode_component(b));
        if let Some(i) = &self.failed_item {
            parts.push(format!(
                "item={}",
                pair(&i.questionnaire_id, &i.question_id)
            ));
        }
        if let Some(s) = &self.section {
            parts.push(format!(
                "section={}",
                pair(&s.questionnaire_id, &s.section_id)
            ));
        }
        if let Some(n) = self.nps_score {
            parts.push(format!("nps={n}"));
        }
        parts.retain(|p| !p.is_empty());
        parts.join("&")
    }
}

/// The dashboard's charts whose points lead to responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Trend,
    Sections,
    Nps,
    /// Locations by audit score.
    Locations,
    LocationsByNps,
    LocationsByCsat,
    /// Employees by audit score.
    Employees,
    /// Employees by their customers' answers about the staff.
    EmployeesByStaffSurvey,
    WeakSpots,
}

/// What a ranking chart ranks: the entries it draws from, and whether they
/// are locations (else employees). `None` for the other charts.
pub fn ranking(chart: ChartKind, report: &Report) -> Option<(&[RankEntry], bool)> {
    let r = &report.rankings;
    Some(match chart {
        ChartKind::Locations => (&r.locations_by_audit[..], true),
        ChartKind::LocationsByNps => (&r.locations_by_nps[..], true),
        ChartKind::LocationsByCsat => (&r.locations_by_csat[..], true),
        ChartKind::Employees => (&r.employees_by_audit[..], false),
        ChartKind::EmployeesByStaffSurvey => (&r.employees_by_staff_survey[..], false),
        ChartKind::Trend | ChartKind::Sections | ChartKind::Nps | ChartKind::WeakSpots => {
            return None
        }
    })
}

/// The responses behind point `index` of `chart`, as drawn from `report`
/// for the view `view` (`utc_offset_min` as the report was computed with):
/// a trend point is its bucket's days within the period, a section bar its
/// scored visits, an NPS bar the answers with that score, a ranking bar
/// the location's or employee's responses, a weak spot its failures.
/// `None` for an index the chart does not draw.
pub fn chart_point(
    chart: ChartKind,
    index: usize,
    report: &Report,
    view: &DashboardQuery,
    utc_offset_min: i32,
) -> Option<Drill> {
    let mut d = Drill::of(view.clone());
    match chart {
        ChartKind::Trend => {
            let b = &report.trend.get(index)?.bucket;
            let (mut start, mut end) = (b.start_ms, b.end_ms);
            if let Some(p) = report.period {
                start = start.max(p.start_ms);
                end = end.min(p.end_ms);
            }
            if start >= end {
                return None;
            }
            let day = |t: i64| LocalDate::at(t, utc_offset_min);
            d.query.period = PeriodChoice::Custom {
                from: day(start),
                to: day(end - 1),
            };
        }
        ChartKind::Sections => {
            let s = section_bars(report).get(index)?;
            d.section = Some(SectionRef {
                questionnaire_id: s.questionnaire_id.clone(),
                section_id: s.section_id.clone(),
            });
        }
        ChartKind::Nps => d.nps_score = Some(u8::try_from(index).ok().filter(|s| *s <= 10)?),
        ChartKind::Locations
        | ChartKind::LocationsByNps
        | ChartKind::LocationsByCsat
        | ChartKind::Employees
        | ChartKind::EmployeesByStaffSurvey => {
            let (entries, locations) = ranking(chart, report)?;
            let id = ranked_bars(entries).get(index)?.id.clone();
            if locations {
                d.query.locations = vec![id];
            } else {
                d.query.employees = vec![id];
            }
        }
        ChartKind::WeakSpots => {
            let w = weak_spot_bars(report).get(index)?;
            d.failed_item = Some(ItemRef {
                questionnaire_id: w.questionnaire_id.clone(),
                question_id: w.question_id.clone(),
            });
        }
    }
    Some(d)
}

/// The dashboard's order of responses, newest first: by when what they
/// describe happened (`Response::occurred_at`, the KPIs' date too), so the
/// latest-responses list and the period that counts a visit agree.
pub fn newest_first(responses: &mut [Response]) {
    responses.sort_by(|a, b| (b.occurred_at().utc_ms, b.id).cmp(&(a.occurred_at().utc_ms, a.id)));
}

/// Whether `r` passes `filter` and what `drill` narrows it to (fails its
/// item, scored its section, gave its NPS score). `q` is the exact
/// questionnaire version it answered; without it the engine leaves the
/// response out, and so does this.
pub fn selects(filter: &Filter, drill: &Drill, r: &Response, q: Option<&Questionnaire>) -> bool {
    let Some(q) = q else { return false };
    if !filter.admits(r) {
        return false;
    }
    if let Some(i) = &drill.failed_item {
        if i.questionnaire_id != r.questionnaire_id || !failed(q, r, &i.question_id) {
            return false;
        }
    }
    if let Some(s) = &drill.section {
        if s.questionnaire_id != r.questionnaire_id || !section_scored(q, r, &s.section_id) {
            return false;
        }
    }
    if let Some(n) = drill.nps_score {
        if !nps_answers(q, r).any(|v| v == n) {
            return false;
        }
    }
    true
}

/// An audit visit with at least one scored answer in the section: the
/// visits the engine averages into the section's score.
pub fn section_scored(q: &Questionnaire, r: &Response, section_id: &str) -> bool {
    q.kind == QuestionnaireKind::Audit
        && score_audit(q, r)
            .sections
            .iter()
            .any(|s| s.section_id == section_id && s.score.is_some())
}

/// The NPS scores a response gave, as the engine reads them: visible
/// questions in the NPS role on a type that can carry it
/// ([`metric::fits`]), answered in the scale's range.
pub fn nps_answers<'a>(q: &'a Questionnaire, r: &'a Response) -> impl Iterator<Item = u8> + 'a {
    let visibility = q.visibility(r);
    q.sections
        .iter()
        .flat_map(|s| &s.questions)
        .filter(|x| {
            x.metric == Some(MetricRole::Nps) && metric::fits(MetricRole::Nps, x.qtype, q.kind)
        })
        .filter_map(move |x| {
            let (lo, hi) = x.qtype.scale_range()?;
            match r.answers.get(&x.id)?.value {
                AnswerValue::Scale(v) if (lo..=hi).contains(&v) && visibility.is_visible(&x.id) => {
                    Some(v)
                }
                _ => None,
            }
        })
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
    use crate::domain::DAY_MS;
    use crate::kpi::{compute_all, synthetic, Bucket, Dataset, Period};

    /// The one rule of `domain::metric` is the rule of its three users:
    /// publishing refuses exactly the roles it refuses, the engine reads
    /// exactly the roles it accepts, and the drill-down lists NPS answers
    /// exactly where the engine counts them.
    #[test]
    fn every_type_and_role_is_judged_alike_by_the_check_the_engine_and_the_drill() {
        use crate::domain::validation::{validate, IssueKind};
        use crate::domain::{
            ChoiceOption, CriticalRule, Question, QuestionType as T, Section, Text, Timestamp,
            VersionStatus,
        };
        use crate::kpi::dataset::Op;

        // The match makes a new question type a compile error here.
        let types = [
            T::YesNo,
            T::Scale5,
            T::Scale10,
            T::Nps,
            T::Ces,
            T::SingleChoice,
            T::MultipleChoice,
            T::Number,
            T::Duration,
            T::DateTime,
            T::ShortText,
            T::LongText,
            T::Photo,
            T::EmployeePicker,
            T::LocationPicker,
        ];
        for t in types {
            match t {
                T::YesNo
                | T::Scale5
                | T::Scale10
                | T::Nps
                | T::Ces
                | T::SingleChoice
                | T::MultipleChoice
                | T::Number
                | T::Duration
                | T::DateTime
                | T::ShortText
                | T::LongText
                | T::Photo
                | T::EmployeePicker
                | T::LocationPicker => {}
            }
        }
        let kinds = [
            QuestionnaireKind::Audit,
            QuestionnaireKind::Survey,
            QuestionnaireKind::Complaint,
            QuestionnaireKind::OpsReport,
        ];
        let mut accepted = 0;
        let mut refused = 0;
        for kind in kinds {
            for qtype in types {
                for role in MetricRole::ALL {
                    let question = Question {
                        id: "x".into(),
                        qtype,
                        text: Text::new("x", "x"),
                        help: Text::default(),
                        required: false,
                        weight: 1.0,
                        critical: false,
                        na_allowed: false,
                        comment_allowed: false,
                        photo_allowed: false,
                        options: ["a", "b"]
                            .map(|id| ChoiceOption {
                                id: id.into(),
                                label: Text::new(id, id),
                                points: 1.0,
                            })
                            .to_vec(),
                        metric: Some(role),
                        visible_if: None,
                        unit: Text::default(),
                    };
                    let q = Questionnaire {
                        id: "f".into(),
                        version: 1,
                        kind,
                        status: VersionStatus::Published,
                        title: Text::new("Ф", "F"),
                        description: Text::default(),
                        public_title: Text::default(),
                        public_intro: Text::default(),
                        sections: vec![Section {
                            id: "s".into(),
                            title: Text::new("s", "s"),
                            weight: 1.0,
                            critical_rule: CriticalRule::ZeroSection,
                            questions: vec![question],
                        }],
                    };
                    let rule = metric::fits(role, qtype, kind);
                    let case = format!("{role:?} on {qtype:?} in {kind:?}");

                    let published = !validate(&q)
                        .iter()
                        .any(|i| matches!(i.kind, IssueKind::MetricTypeMismatch { .. }));
                    assert_eq!(published, rule, "validation: {case}");

                    let data = Dataset::build(std::slice::from_ref(&q), &[]);
                    assert_eq!(data.slots.len(), 1);
                    assert_eq!(data.slots[0].op != Op::None, rule, "engine: {case}");

                    if role == MetricRole::Nps {
                        let at = Timestamp::new(0, 0);
                        let mut r =
                            Response::new_draft(uuid::Uuid::nil(), "f", 1, "loc", "dev", at);
                        let top = qtype.scale_range().map_or(10, |(_, hi)| hi);
                        r.set_answer("x", AnswerValue::Scale(top), at);
                        assert!(r.submit(at));
                        let listed = nps_answers(&q, &r).count() > 0;
                        assert_eq!(listed, rule, "drill: {case}");
                    }
                    if rule {
                        accepted += 1;
                    } else {
                        refused += 1;
                    }
                }
            }
        }
        // Both outcomes occur, so the agreement is not vacuous.
        assert!(accepted > 50 && refused > 500, "{accepted} {refused}");
    }

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
        let d = Drill::parse("by=week&section=tpl%2F1/s-a&nps=7");
        assert_eq!(
            d.section,
            Some(SectionRef {
                questionnaire_id: "tpl/1".into(),
                section_id: "s-a".into()
            })
        );
        assert_eq!(d.nps_score, Some(7));
        assert_eq!(Drill::parse(&d.to_query()), d);
        assert_eq!(Drill::parse("nps=11").nps_score, None);
        assert_eq!(Drill::parse("nps=x").nps_score, None);
        assert_eq!(Drill::of(DashboardQuery::default()).to_query(), "");
    }

    /// The list behind a figure has as many responses as the figure counts:
    /// every response of the view, and for each weak spot its failures.
    #[test]
    fn selection_agrees_with_the_engine() {
        let questionnaires = synthetic::questionnaires();
        let responses: Vec<Response> = synthetic::responses(3_000, 7).collect();
        let data = Dataset::build(&questionnaires, &responses);
        let find = |r: &Response| {
            questionnaires
                .iter()
                .find(|q| q.id == r.questionnaire_id && q.version == r.questionnaire_version)
        };
        let loc = data.location_ids()[3].clone();
        let filter = Filter {
            period: Some(Period::new(
                synthetic::START_MS + 30 * DAY_MS,
                synthetic::START_MS + 200 * DAY_MS,
            )),
            locations: vec![loc],
            weak_spots_limit: 5,
            ..Filter::default()
        };
        let report = compute_all(&data, &filter);
        let all = responses
            .iter()
            .filter(|r| selects(&filter, &Drill::default(), r, find(r)))
            .count();
        assert!(all > 0);
        assert_eq!(all as u64, report.overall.responses);
        assert!(!report.weak_spots.is_empty());
        for spot in &report.weak_spots {
            let drill = Drill {
                failed_item: Some(ItemRef {
                    questionnaire_id: spot.questionnaire_id.clone(),
                    question_id: spot.question_id.clone(),
                }),
                ..Drill::default()
            };
            let n = responses
                .iter()
                .filter(|r| selects(&filter, &drill, r, find(r)))
                .count();
            assert_eq!(n as u64, spot.failed, "{}", spot.question_id);
        }
    }

    /// Every point of every chart leads to a list as long as the figure it
    /// shows: the bucket's responses, the section's scored visits, the
    /// answers with that NPS score, the ranked group's responses, the weak
    /// spot's failures. The view's own filters stay.
    #[test]
    fn every_chart_point_lists_what_it_counts() {
        let questionnaires = synthetic::questionnaires();
        let responses: Vec<Response> = synthetic::responses(4_000, 11).collect();
        let data = Dataset::build(&questionnaires, &responses);
        let find = |r: &Response| {
            questionnaires
                .iter()
                .find(|q| q.id == r.questionnaire_id && q.version == r.questionnaire_version)
        };
        let offset = 180;
        let today = LocalDate::from_days(synthetic::START_MS / DAY_MS + 200);
        let view = DashboardQuery {
            period: PeriodChoice::Custom {
                from: LocalDate::from_days(synthetic::START_MS / DAY_MS + 20),
                to: LocalDate::from_days(synthetic::START_MS / DAY_MS + 130),
            },
            bucket: Bucket::Month,
            ..DashboardQuery::default()
        };
        let filter = |q: &DashboardQuery| q.filter(today, offset);
        let report = compute_all(&data, &filter(&view));
        let count = |d: &Drill| {
            let f = filter(&d.query);
            responses
                .iter()
                .filter(|r| selects(&f, d, r, find(r)))
                .count() as u64
        };
        let point = |c: ChartKind, i: usize| chart_point(c, i, &report, &view, offset);

        // A month cut by the period's ends counts only its days inside.
        assert!(report.trend.len() >= 4);
        for (i, p) in report.trend.iter().enumerate() {
            let d = point(ChartKind::Trend, i).unwrap();
            assert_eq!(count(&d), p.kpis.responses, "{}", p.bucket.label);
        }
        let first = point(ChartKind::Trend, 0).unwrap();
        assert_eq!(
            first.query.period.days(today).unwrap().0,
            view.period.days(today).unwrap().0
        );
        assert_eq!(point(ChartKind::Trend, report.trend.len()), None);

        assert!(!report.sections.is_empty());
        for (i, s) in section_bars(&report).iter().enumerate() {
            let d = point(ChartKind::Sections, i).unwrap();
            assert_eq!(count(&d), s.score.n, "{}", s.section_id);
        }

        let by_score = report.overall.nps.counts.by_score;
        assert!(by_score.iter().filter(|&&n| n > 0).count() > 5);
        for (s, n) in by_score.iter().enumerate() {
            let d = point(ChartKind::Nps, s).unwrap();
            assert_eq!(d.nps_score, Some(s as u8));
            assert_eq!(count(&d), *n, "NPS {s}");
        }
        assert_eq!(point(ChartKind::Nps, 11), None);

        for chart in [
            ChartKind::Locations,
            ChartKind::LocationsByNps,
            ChartKind::LocationsByCsat,
            ChartKind::Employees,
            ChartKind::EmployeesByStaffSurvey,
        ] {
            let (entries, locations) = ranking(chart, &report).unwrap();
            let ranked = ranked_bars(entries);
            assert!(!ranked.is_empty(), "{chart:?}");
            for (i, e) in ranked.iter().enumerate() {
                let d = point(chart, i).unwrap();
                let groups = if locations {
                    assert_eq!(d.query.locations, [e.id.clone()]);
                    &report.by_location
                } else {
                    assert_eq!(d.query.employees, [e.id.clone()]);
                    &report.by_employee
                };
                let b = groups.iter().find(|b| b.id == e.id).unwrap();
                assert_eq!(count(&d), b.kpis.responses, "{chart:?} {}", e.id);
            }
            assert_eq!(point(chart, ranked.len()), None);
        }

        assert!(!report.weak_spots.is_empty());
        for (i, w) in weak_spot_bars(&report).iter().enumerate() {
            let d = point(ChartKind::WeakSpots, i).unwrap();
            assert_eq!(count(&d), w.failed, "{}", w.question_id);
            assert_eq!(d.query, view);
        }
    }
}
