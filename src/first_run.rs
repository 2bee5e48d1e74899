//! A manager's first run: the five steps from an empty device to a first
//! dashboard (stores, staff, a questionnaire, sharing it, first results),
//! each done or not from what the device holds, with the one action that
//! does it. Shown on a manager's home until every step is done or the
//! person hides it.

use crate::i18n::Msg;
use crate::routes::Route;

/// What the device holds, counted by the screen that shows the steps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Locations the person named (the one made for a first visit is not).
    pub named_locations: usize,
    pub employees: usize,
    /// Published versions of the person's own questionnaires (from a
    /// template or from scratch).
    pub published: usize,
    /// The person opened the customer links and posters, answers came from
    /// another device, or a team server takes the field's answers.
    pub shared: bool,
    pub submitted: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Stores,
    Staff,
    Questionnaire,
    Share,
    Results,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Stores,
        Step::Staff,
        Step::Questionnaire,
        Step::Share,
        Step::Results,
    ];

    pub fn is_done(self, f: &Facts) -> bool {
        match self {
            Step::Stores => f.named_locations > 0,
            Step::Staff => f.employees > 0,
            Step::Questionnaire => f.published > 0,
            Step::Share => f.shared,
            Step::Results => f.submitted > 0,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Step::Stores => Msg::FirstRunStores,
            Step::Staff => Msg::FirstRunStaff,
            Step::Questionnaire => Msg::FirstRunQuestionnaire,
            Step::Share => Msg::FirstRunShare,
            Step::Results => Msg::FirstRunResults,
        }
    }

    /// The screen that does the step and the words of its button.
    pub fn action(self) -> (Route, Msg) {
        match self {
            Step::Stores => (Route::People, Msg::FirstRunStoresGo),
            Step::Staff => (Route::People, Msg::FirstRunStaffGo),
            Step::Questionnaire => (Route::Questionnaires, Msg::FirstRunQuestionnaireGo),
            Step::Share => (Route::Distribute, Msg::FirstRunShareGo),
            Step::Results => (Route::dashboard(), Msg::FirstRunResultsGo),
        }
    }
}

/// How many steps are done, and the first one that is not (the one the
/// checklist offers a button for).
pub fn progress(f: &Facts) -> (usize, Option<Step>) {
    let done = Step::ALL.iter().filter(|s| s.is_done(f)).count();
    (done, Step::ALL.into_iter().find(|s| !s.is_done(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_device_starts_with_its_stores() {
        assert_eq!(progress(&Facts::default()), (0, Some(Step::Stores)));
    }

    #[test]
    fn each_step_is_done_by_its_own_fact_in_any_order() {
        let mut f = Facts {
            employees: 2,
            ..Facts::default()
        };
        assert_eq!(progress(&f), (1, Some(Step::Stores)));
        f.named_locations = 1;
        assert_eq!(progress(&f), (2, Some(Step::Questionnaire)));
        f.published = 1;
        f.submitted = 3;
        assert_eq!(progress(&f), (4, Some(Step::Share)));
        f.shared = true;
        assert_eq!(progress(&f), (5, None));
    }

    #[test]
    fn every_step_has_a_screen_to_do_it() {
        for step in Step::ALL {
            let (route, _) = step.action();
            assert_ne!(route, Route::NotFound);
            assert!(!route.to_hash().is_empty());
        }
    }
}
