//! Which question may carry which KPI role: the one rule the editor's role
//! picker, the publish check (`validation`), the KPI engine's ingest
//! (`kpi::dataset`) and the dashboard's drill-down (`dashboard::drill`) all
//! ask, so a role the editor offers is one the check accepts, the engine
//! reads and the drill-down lists, and none of them can drift alone.
//!
//! The rule, by the kind of answer a role reads ([`MetricSource`]):
//!
//! - **Scale** (NPS, CSAT, CES, CSI attribute): a scale question with a
//!   real range (`lo < hi`): CSAT's top-two box is `hi − 1..=hi`, and CSI
//!   normalises by `hi − lo`. NPS further needs the scale's top at most 10:
//!   its classes are 0–6, 7–8 and 9–10, so on a longer scale a 10 would no
//!   longer be the top and promoters would be misplaced. (A shorter scale,
//!   1–5 or 1–7, passes as it always has, though on it no answer can be a
//!   promoter.)
//! - **Yes/no** (ИНК, ИЭЛ, complaint resolved): a yes/no question.
//! - **Number or duration** (operational counts and times): a number or a
//!   duration question.
//! - **Choice** (complaint category): a single or multiple choice outside an
//!   audit. In an audit a choice is a scored item and its value is its item
//!   score, not a category.
//!
//! Until this module the rule was written three times. The three agreed on
//! every question type that exists, but not in their wording, so they would
//! have parted with the next type: validation tested NPS's top only, the
//! engine tested `lo ≤ 10 && hi ≤ 10` and, for CSAT and CSI, `hi > lo`; the
//! drill-down repeated the engine's NPS test; the engine excluded
//! categories on "scored audit item" (audit kind *and* a scorable type)
//! where validation said "audit kind". The rule above takes each clause
//! that has a reason: `lo < hi` for every scale role (what the engine's
//! arithmetic needs), the top of 10 for NPS (the classes; `lo ≤ 10` follows
//! from it), and the questionnaire's kind for categories (the audit's
//! value column is item scores whatever the type).
//!
//! A CSI attribute's importance is a separate matter: publishing wants it
//! positive (`validation`), and the engine, which also reads questionnaires
//! that were never checked (older versions, imported bundles), only drops
//! an importance that is not a finite number ≥ 0.

use super::questionnaire::{MetricRole, QuestionType, QuestionnaireKind};
use crate::i18n::Lang;

/// The kind of answer a role reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricSource {
    Scale,
    YesNo,
    NumberOrDuration,
    Choice,
}

impl MetricSource {
    pub fn of(role: MetricRole) -> MetricSource {
        use MetricRole as R;
        match role {
            R::Nps | R::Csat | R::Ces | R::CsiAttribute { .. } => MetricSource::Scale,
            R::InkStaff | R::InkOffice | R::InkProduct | R::Loyalty | R::ComplaintResolved => {
                MetricSource::YesNo
            }
            R::Visitors
            | R::Receipts
            | R::CallsOffered
            | R::CallsAnsweredWithinT
            | R::CallsAbandoned
            | R::Handled
            | R::TalkTime
            | R::HoldTime
            | R::AfterCallWork
            | R::Wait
            | R::FirstResponse
            | R::ResolutionTime => MetricSource::NumberOrDuration,
            R::ComplaintCategory => MetricSource::Choice,
        }
    }
}

/// Whether answers to a question of type `qtype` in a questionnaire of
/// `kind` can be read as `role` (the rule of the module doc).
pub fn fits(role: MetricRole, qtype: QuestionType, kind: QuestionnaireKind) -> bool {
    match MetricSource::of(role) {
        MetricSource::Scale => match qtype.scale_range() {
            Some((lo, hi)) if lo < hi => !matches!(role, MetricRole::Nps) || hi <= 10,
            _ => false,
        },
        MetricSource::YesNo => qtype == QuestionType::YesNo,
        MetricSource::NumberOrDuration => {
            matches!(qtype, QuestionType::Number | QuestionType::Duration)
        }
        MetricSource::Choice => {
            matches!(
                qtype,
                QuestionType::SingleChoice | QuestionType::MultipleChoice
            ) && kind != QuestionnaireKind::Audit
        }
    }
}

/// The KPI a role feeds, as the dashboard names it.
pub fn label(role: MetricRole, lang: Lang) -> &'static str {
    use MetricRole as R;
    match (role, lang) {
        (R::Nps, _) => "NPS",
        (R::Csat, _) => "CSAT",
        (R::Ces, _) => "CES",
        (R::CsiAttribute { .. }, Lang::Ru) => "атрибут CSI",
        (R::CsiAttribute { .. }, Lang::En) => "CSI attribute",
        (R::InkStaff, Lang::Ru) => "ИНК Персонал",
        (R::InkStaff, Lang::En) => "dissatisfaction index: staff",
        (R::InkOffice, Lang::Ru) => "ИНК Офис",
        (R::InkOffice, Lang::En) => "dissatisfaction index: office",
        (R::InkProduct, Lang::Ru) => "ИНК Продукт",
        (R::InkProduct, Lang::En) => "dissatisfaction index: product",
        (R::Loyalty, Lang::Ru) => "ИЭЛ",
        (R::Loyalty, Lang::En) => "emotional loyalty index",
        (R::Visitors, Lang::Ru) => "посетители",
        (R::Visitors, Lang::En) => "visitors",
        (R::Receipts, Lang::Ru) => "чеки",
        (R::Receipts, Lang::En) => "receipts",
        (R::CallsOffered, Lang::Ru) => "поступившие звонки",
        (R::CallsOffered, Lang::En) => "calls offered",
        (R::CallsAnsweredWithinT, Lang::Ru) => "звонки, принятые за норматив",
        (R::CallsAnsweredWithinT, Lang::En) => "calls answered within target",
        (R::CallsAbandoned, Lang::Ru) => "потерянные звонки",
        (R::CallsAbandoned, Lang::En) => "abandoned calls",
        (R::Handled, Lang::Ru) => "обработанные звонки",
        (R::Handled, Lang::En) => "calls handled",
        (R::TalkTime, Lang::Ru) => "время разговора",
        (R::TalkTime, Lang::En) => "talk time",
        (R::HoldTime, Lang::Ru) => "время удержания",
        (R::HoldTime, Lang::En) => "hold time",
        (R::AfterCallWork, Lang::Ru) => "постобработка",
        (R::AfterCallWork, Lang::En) => "after-call work",
        (R::Wait, Lang::Ru) => "ожидание",
        (R::Wait, Lang::En) => "wait",
        (R::FirstResponse, Lang::Ru) => "время первого ответа",
        (R::FirstResponse, Lang::En) => "first response time",
        (R::ResolutionTime, Lang::Ru) => "время решения",
        (R::ResolutionTime, Lang::En) => "resolution time",
        (R::ComplaintCategory, Lang::Ru) => "категория жалобы",
        (R::ComplaintCategory, Lang::En) => "complaint category",
        (R::ComplaintResolved, Lang::Ru) => "жалоба решена",
        (R::ComplaintResolved, Lang::En) => "complaint resolved",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_has_its_types() {
        use QuestionType as T;
        let survey = QuestionnaireKind::Survey;
        assert!(fits(MetricRole::Nps, T::Nps, survey));
        assert!(fits(MetricRole::Nps, T::Scale10, survey));
        assert!(fits(MetricRole::Csat, T::Scale5, survey));
        assert!(!fits(MetricRole::Nps, T::YesNo, survey));
        assert!(fits(MetricRole::Loyalty, T::YesNo, survey));
        assert!(!fits(MetricRole::Loyalty, T::Scale5, survey));
        assert!(fits(MetricRole::TalkTime, T::Duration, survey));
        assert!(fits(MetricRole::Visitors, T::Number, survey));
        assert!(!fits(MetricRole::Visitors, T::ShortText, survey));
        let cat = MetricRole::ComplaintCategory;
        assert!(fits(cat, T::SingleChoice, QuestionnaireKind::Complaint));
        assert!(fits(cat, T::MultipleChoice, survey));
        assert!(!fits(cat, T::SingleChoice, QuestionnaireKind::Audit));
    }
}
