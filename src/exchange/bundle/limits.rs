//! Size limits. The streaming scan (`scan`) applies them before anything is
//! typed: a hostile file is refused for its size without building records
//! from it, and a phone is never asked to hold a million-item list it can
//! only fail on later.

use super::error::{BundleError, Limit};
use super::RecordKind;
use crate::domain::{Condition, Questionnaire, Text};

/// A file the browser could still read as one string.
pub const MAX_FILE_BYTES: usize = 1 << 30;
pub const MAX_TEXT_CHARS: usize = 10_000;
pub const MAX_ID_CHARS: usize = 100;
pub const MAX_PHOTO_BYTES: u64 = 50 * 1024 * 1024;
/// Items in any list or map inside a record: sections, questions, options,
/// answers, chosen options, employees of a response, settings' values.
pub const MAX_ITEMS: usize = 10_000;
/// Objects inside objects. Records need six or so, nested conditions a few
/// more; each level copies what it holds once while its keys are sorted,
/// so this also bounds the scan's work on a hostile file.
pub const MAX_DEPTH: usize = 32;

/// Most records of a kind one bundle may hold.
pub fn max_count(kind: RecordKind) -> u64 {
    match kind {
        RecordKind::Response | RecordKind::Action => 2_000_000,
        RecordKind::Questionnaire => 10_000,
        RecordKind::Location | RecordKind::Employee => 100_000,
        RecordKind::Photo => 200_000,
        RecordKind::Setting => 1_000,
    }
}

pub(super) fn too_large(what: Limit, found: usize, max: u64, at: String) -> BundleError {
    BundleError::TooLarge {
        what,
        found: found as u64,
        max,
        at,
    }
}

pub(super) fn text_fits(s: &str, max: usize) -> bool {
    // A byte count within the limit is a char count within it too.
    s.len() <= max || s.chars().count() <= max
}

/// A limit broken by a typed record: what, how much, where. Kept apart from
/// [`BundleError`] so that a page which only checks a link's questionnaire
/// (the respondent's) carries none of the bundle's messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded {
    pub what: Limit,
    pub found: u64,
    pub max: u64,
    pub at: String,
}

impl From<Exceeded> for BundleError {
    fn from(e: Exceeded) -> BundleError {
        BundleError::TooLarge {
            what: e.what,
            found: e.found,
            max: e.max,
            at: e.at,
        }
    }
}

fn exceeded(what: Limit, found: usize, max: u64, at: String) -> Exceeded {
    Exceeded {
        what,
        found: found as u64,
        max,
        at,
    }
}

/// Levels of nested all/any in a visibility condition: within it, a
/// questionnaire stays inside [`MAX_DEPTH`] wherever a file nests it.
pub const MAX_CONDITION_DEPTH: usize = 16;

/// The bundle's limits checked on a typed questionnaire, for what arrives
/// without the streaming scan (a link's payload): every text, id and list,
/// and how deep its conditions nest. A questionnaire that passes fits a
/// backup, so taking it can never make the device's backups unreadable.
pub fn check_questionnaire(q: &Questionnaire) -> Result<(), Exceeded> {
    let id = |s: &str, at: &dyn Fn() -> String| {
        if text_fits(s, MAX_ID_CHARS) {
            Ok(())
        } else {
            Err(exceeded(
                Limit::IdLength,
                s.chars().count(),
                MAX_ID_CHARS as u64,
                at(),
            ))
        }
    };
    let text = |t: &Text, at: &dyn Fn() -> String| {
        for s in [&t.ru, &t.en] {
            if !text_fits(s, MAX_TEXT_CHARS) {
                return Err(exceeded(
                    Limit::TextLength,
                    s.chars().count(),
                    MAX_TEXT_CHARS as u64,
                    at(),
                ));
            }
        }
        Ok(())
    };
    let items = |n: usize, at: &dyn Fn() -> String| {
        if n <= MAX_ITEMS {
            Ok(())
        } else {
            Err(exceeded(Limit::Items, n, MAX_ITEMS as u64, at()))
        }
    };
    id(&q.id, &|| "id".to_owned())?;
    text(&q.title, &|| "title".to_owned())?;
    text(&q.description, &|| "description".to_owned())?;
    text(&q.public_title, &|| "public_title".to_owned())?;
    text(&q.public_intro, &|| "public_intro".to_owned())?;
    items(q.sections.len(), &|| "sections".to_owned())?;
    for (si, s) in q.sections.iter().enumerate() {
        let at = |f: &str| format!("sections[{si}].{f}");
        id(&s.id, &|| at("id"))?;
        text(&s.title, &|| at("title"))?;
        items(s.questions.len(), &|| at("questions"))?;
        for (qi, question) in s.questions.iter().enumerate() {
            let at = |f: &str| format!("sections[{si}].questions[{qi}].{f}");
            id(&question.id, &|| at("id"))?;
            for (t, f) in [
                (&question.text, "text"),
                (&question.help, "help"),
                (&question.unit, "unit"),
            ] {
                text(t, &|| at(f))?;
            }
            items(question.options.len(), &|| at("options"))?;
            for (oi, o) in question.options.iter().enumerate() {
                id(&o.id, &|| at(&format!("options[{oi}].id")))?;
                text(&o.label, &|| at(&format!("options[{oi}].label")))?;
            }
            if let Some(c) = &question.visible_if {
                let depth = condition_depth(c);
                if depth > MAX_CONDITION_DEPTH {
                    return Err(exceeded(
                        Limit::Depth,
                        depth,
                        MAX_CONDITION_DEPTH as u64,
                        at("visible_if"),
                    ));
                }
                condition_items(c, &|| at("visible_if"))?;
            }
        }
    }
    Ok(())
}

fn condition_depth(c: &Condition) -> usize {
    match c {
        Condition::All(cs) | Condition::Any(cs) => {
            1 + cs.iter().map(condition_depth).max().unwrap_or(0)
        }
        Condition::Compare { .. } | Condition::Answered { .. } => 1,
    }
}

fn condition_items(c: &Condition, at: &dyn Fn() -> String) -> Result<(), Exceeded> {
    match c {
        Condition::All(cs) | Condition::Any(cs) => {
            if cs.len() > MAX_ITEMS {
                return Err(exceeded(Limit::Items, cs.len(), MAX_ITEMS as u64, at()));
            }
            cs.iter().try_for_each(|c| condition_items(c, at))
        }
        Condition::Compare { question, .. } | Condition::Answered { question } => {
            if text_fits(question, MAX_ID_CHARS) {
                Ok(())
            } else {
                Err(exceeded(
                    Limit::IdLength,
                    question.chars().count(),
                    MAX_ID_CHARS as u64,
                    at(),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ChoiceOption, CompareOp};

    fn quick() -> Questionnaire {
        crate::templates::find("tpl-retail-quick", 1).unwrap()
    }

    #[test]
    fn every_built_in_fits() {
        for q in crate::templates::built_in() {
            assert_eq!(check_questionnaire(&q), Ok(()), "{}", q.id);
        }
    }

    /// The findings: each of these was taken from a link, after which every
    /// backup of the device was refused.
    #[test]
    fn a_long_title_many_options_or_deep_conditions_are_too_large() {
        let kind = |q: &Questionnaire| check_questionnaire(q).err().map(|e| e.what);
        let mut long = quick();
        long.title.ru = "я".repeat(20_000);
        assert_eq!(kind(&long), Some(Limit::TextLength));
        let mut options = quick();
        options.sections[0].questions[0].options = (0..10_001)
            .map(|i| ChoiceOption {
                id: format!("o{i}"),
                label: Text::new("в", "o"),
                points: 0.0,
            })
            .collect();
        assert_eq!(kind(&options), Some(Limit::Items));
        let mut deep = quick();
        let mut c = Condition::compare("q", CompareOp::Eq, crate::domain::AnswerValue::Yes);
        for _ in 0..40 {
            c = Condition::All(vec![c]);
        }
        deep.sections[0].questions[1].visible_if = Some(c);
        assert_eq!(kind(&deep), Some(Limit::Depth));
        let mut id = quick();
        id.id = "x".repeat(101);
        assert_eq!(kind(&id), Some(Limit::IdLength));
    }
}
