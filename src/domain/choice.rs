//! The answers a question offers as a group of radio buttons, for both
//! front ends: the Leptos form and the lean survey page draw the same
//! choices in the same order.

use super::questionnaire::{Question, QuestionType, Text};
use super::response::AnswerValue;
use crate::i18n::{Lang, Msg};

/// One answer of a radio group and what its button says.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: AnswerValue,
    pub label: ChoiceLabel,
}

/// What a choice's button says. The fixed answers are variants rather than
/// a `Msg` held at run time: `text` then names each message as a constant,
/// so a binary links only these texts and not the whole message table (see
/// `Msg::text`), which the lean page's size depends on.
#[derive(Debug, Clone, PartialEq)]
pub enum ChoiceLabel {
    Yes,
    No,
    NotApplicable,
    /// A point of a scale, shown as its number.
    Number(u8),
    /// An option of a single choice, in the questionnaire's own words.
    Option(Text),
}

impl ChoiceLabel {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            ChoiceLabel::Yes => Msg::Yes.text(lang).to_owned(),
            ChoiceLabel::No => Msg::No.text(lang).to_owned(),
            ChoiceLabel::NotApplicable => Msg::NotApplicable.text(lang).to_owned(),
            ChoiceLabel::Number(v) => v.to_string(),
            ChoiceLabel::Option(t) => t.get(lang).to_owned(),
        }
    }
}

impl Question {
    /// The answers a radio group offers for this question, in order: yes
    /// then no, a scale's points from lowest to highest (NPS from 0), or a
    /// single choice's options; then N/A when the question allows it.
    ///
    /// Empty for every other type, N/A included: a multiple choice is one
    /// checkbox per option (with no N/A beside ticked boxes), and numbers,
    /// texts, pickers and photos are fields rather than choices.
    pub fn choices(&self) -> Vec<Choice> {
        let choice = |value, label| Choice { value, label };
        let mut out: Vec<Choice> = match self.qtype {
            QuestionType::YesNo => vec![
                choice(AnswerValue::Yes, ChoiceLabel::Yes),
                choice(AnswerValue::No, ChoiceLabel::No),
            ],
            QuestionType::SingleChoice => self
                .options
                .iter()
                .map(|o| {
                    choice(
                        AnswerValue::Choice(vec![o.id.clone()]),
                        ChoiceLabel::Option(o.label.clone()),
                    )
                })
                .collect(),
            t => match t.scale_range() {
                Some((lo, hi)) => (lo..=hi)
                    .map(|v| choice(AnswerValue::Scale(v), ChoiceLabel::Number(v)))
                    .collect(),
                None => Vec::new(),
            },
        };
        if self.na_allowed && !out.is_empty() {
            out.push(choice(AnswerValue::Na, ChoiceLabel::NotApplicable));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(qtype: &str, na_allowed: bool) -> Question {
        serde_json::from_value(serde_json::json!({
            "id": "q1",
            "type": qtype,
            "text": {"ru": "Вопрос", "en": "Question"},
            "na_allowed": na_allowed,
            "options": [
                {"id": "o-fast", "label": {"ru": "Быстро", "en": "Fast"}},
                {"id": "o-slow", "label": {"ru": "Медленно", "en": ""}},
            ],
        }))
        .unwrap()
    }

    fn values(q: &Question) -> Vec<AnswerValue> {
        q.choices().into_iter().map(|c| c.value).collect()
    }

    fn labels(q: &Question, lang: Lang) -> Vec<String> {
        q.choices().iter().map(|c| c.label.text(lang)).collect()
    }

    #[test]
    fn yes_no_offers_yes_then_no_and_na_last_when_allowed() {
        let q = question("yes_no", false);
        assert_eq!(values(&q), vec![AnswerValue::Yes, AnswerValue::No]);
        assert_eq!(labels(&q, Lang::En), vec!["Yes", "No"]);
        assert_eq!(labels(&q, Lang::Ru), vec!["Да", "Нет"]);
        let q = question("yes_no", true);
        assert_eq!(
            values(&q),
            vec![AnswerValue::Yes, AnswerValue::No, AnswerValue::Na]
        );
        assert_eq!(labels(&q, Lang::En)[2], Msg::NotApplicable.text(Lang::En));
    }

    #[test]
    fn scales_offer_their_points_from_lowest_to_highest() {
        for (t, lo, hi) in [
            ("scale5", 1, 5),
            ("scale10", 1, 10),
            ("nps", 0, 10),
            ("ces", 1, 7),
        ] {
            let q = question(t, false);
            let expected: Vec<AnswerValue> = (lo..=hi).map(AnswerValue::Scale).collect();
            assert_eq!(values(&q), expected, "{t}");
            let numbers: Vec<String> = (lo..=hi).map(|v| v.to_string()).collect();
            assert_eq!(labels(&q, Lang::Ru), numbers, "{t}");
            let with_na = question(t, true);
            assert_eq!(with_na.choices().len(), expected.len() + 1, "{t}");
            assert_eq!(with_na.choices().last().unwrap().value, AnswerValue::Na);
        }
    }

    #[test]
    fn a_single_choice_offers_its_options_in_order() {
        let q = question("single_choice", true);
        assert_eq!(
            values(&q),
            vec![
                AnswerValue::Choice(vec!["o-fast".into()]),
                AnswerValue::Choice(vec!["o-slow".into()]),
                AnswerValue::Na,
            ]
        );
        // A missing translation falls back to the other language.
        assert_eq!(labels(&q, Lang::En), vec!["Fast", "Медленно", "N/A"]);
    }

    #[test]
    fn fields_and_checkbox_groups_offer_no_radio_choices_not_even_na() {
        for t in [
            "multiple_choice",
            "number",
            "duration",
            "date_time",
            "short_text",
            "long_text",
            "photo",
            "employee_picker",
            "location_picker",
        ] {
            assert!(question(t, true).choices().is_empty(), "{t}");
        }
    }

    #[test]
    fn a_single_choice_without_options_offers_nothing() {
        let mut q = question("single_choice", true);
        q.options.clear();
        assert!(q.choices().is_empty());
    }
}
