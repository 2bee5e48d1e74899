//! Kiosk mode (PRODUCT.md §5): one survey at one location on a shared
//! tablet, looping for customer after customer, with the manager's screens
//! behind a PIN. The rules are here, pure; the page is `app/pages/kiosk.rs`.

pub mod idle;
pub mod pin;

use serde::{Deserialize, Serialize};

use crate::routes::Route;

/// The settings key of the active kiosk. Stored in IndexedDB so a reload
/// (or a tablet restarting the browser) comes back into the kiosk, not into
/// the manager's screens.
pub const ACTIVE_SETTING_KEY: &str = "kiosk.active";

/// The settings key of the response a kiosk customer is answering, set at
/// their first answer: a reload or crash mid-survey leaves it behind, and
/// the next kiosk start discards it like an idle one.
pub const DRAFT_SETTING_KEY: &str = "kiosk.draft";

/// Which survey version runs, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskSetup {
    pub questionnaire_id: String,
    pub questionnaire_version: u32,
    pub location_id: String,
}

/// What the router shows for `route`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    Show(Route),
    /// Kiosk mode is on and `route` is not the kiosk: ask for the PIN, then
    /// leave kiosk mode and go to the route.
    AskPin(Route),
}

/// While a kiosk runs, every screen but the kiosk itself is behind the PIN.
pub fn gate(route: Route, kiosk_active: bool) -> Gate {
    if kiosk_active && route != Route::Kiosk {
        Gate::AskPin(route)
    } else {
        Gate::Show(route)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_active_kiosk_sends_every_other_route_to_the_pin() {
        let others = [
            Route::Home,
            Route::Settings,
            Route::dashboard(),
            Route::Responses(Default::default()),
            Route::ResponseDetail(uuid::Uuid::nil()),
            Route::VisitReport(uuid::Uuid::nil()),
            Route::Outbox,
            Route::Submitted(uuid::Uuid::nil()),
            Route::Distribute,
            Route::Questionnaires,
            Route::FillStart,
            Route::Link("1.x".into()),
            Route::People,
            Route::Exchange(None),
            Route::Exchange(Some(Default::default())),
            Route::NotFound,
        ];
        for r in others.clone() {
            assert_eq!(gate(r.clone(), true), Gate::AskPin(r.clone()));
            assert_eq!(gate(r.clone(), false), Gate::Show(r));
        }
        assert_eq!(gate(Route::Kiosk, true), Gate::Show(Route::Kiosk));
        assert_eq!(gate(Route::Kiosk, false), Gate::Show(Route::Kiosk));
    }

    #[test]
    fn the_setup_is_stored_by_its_field_names() {
        let s = KioskSetup {
            questionnaire_id: "tpl-csi-nps".into(),
            questionnaire_version: 1,
            location_id: "loc-main".into(),
        };
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["questionnaire_id"], "tpl-csi-nps");
        assert_eq!(serde_json::from_value::<KioskSetup>(v).unwrap(), s);
    }
}
