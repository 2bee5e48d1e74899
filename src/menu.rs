//! Who this device is for, and the menu that follows from it. A device
//! opened first from a shopper's checklist link is a shopper's: its menu
//! is their audits, a new audit and what waits to be sent. Any other first
//! open is a manager's, with every manager's screen in the menu. A person
//! who arrives by a link and has not chosen yet (a customer answering a
//! survey) gets no menu at all. The role is a device-local setting: it
//! never travels, and a person changes it in Settings.
//!
//! The role chooses a menu, not what a device may open: a shopper who
//! types a manager's address sees that screen, as in any web app; the
//! data on the device is theirs either way.

use crate::i18n::Msg;
use crate::link::LinkMode;
use crate::routes::Route;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Manager,
    Shopper,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Manager, Role::Shopper];

    pub fn code(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Shopper => "shopper",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            Role::Manager => Msg::RoleManager,
            Role::Shopper => Msg::RoleShopper,
        }
    }
}

/// One entry of the menu. `icon` names an SVG in `public/icons/ui/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub route: Route,
    pub label: Msg,
    pub icon: &'static str,
    /// Shown in the phone's bottom bar; the rest are behind "More".
    pub in_bar: bool,
}

fn item(route: Route, label: Msg, icon: &'static str, in_bar: bool) -> Item {
    Item {
        route,
        label,
        icon,
        in_bar,
    }
}

/// The menu of a role, in its order. A phone's bottom bar holds at most
/// four entries plus "More", so every screen is at most two taps away.
pub fn items(role: Role) -> Vec<Item> {
    match role {
        Role::Manager => vec![
            item(
                Route::dashboard(),
                Msg::NavDashboard,
                "layout-dashboard",
                true,
            ),
            item(
                Route::Responses(Default::default()),
                Msg::NavResponses,
                "inbox",
                true,
            ),
            item(Route::Actions, Msg::NavActions, "list-checks", true),
            item(Route::Home, Msg::NavAudits, "clipboard-check", true),
            item(
                Route::Questionnaires,
                Msg::NavQuestionnaires,
                "file-text",
                false,
            ),
            item(Route::Distribute, Msg::NavDistribute, "qr-code", false),
            item(Route::People, Msg::ManagePeople, "store", false),
            item(Route::Inbox, Msg::NavInbox, "mail", false),
            item(Route::Sync, Msg::SyncTitle, "refresh-cw", false),
            item(
                Route::Exchange(None),
                Msg::NavExchange,
                "arrow-left-right",
                false,
            ),
            item(Route::Settings, Msg::NavSettings, "settings", false),
        ],
        Role::Shopper => vec![
            item(Route::Home, Msg::NavMyAudits, "clipboard-check", true),
            item(Route::FillStart, Msg::NavNewAudit, "circle-plus", true),
            item(Route::Outbox, Msg::NavToSend, "send", true),
            item(Route::Settings, Msg::NavSettings, "settings", true),
        ],
    }
}

/// Whether the menu needs a "More" entry on a phone.
pub fn has_more(items: &[Item]) -> bool {
    items.iter().any(|i| !i.in_bar)
}

/// Whether `current` is the screen of `target` or one reached from it.
fn leads_to(target: &Route, current: &Route) -> bool {
    match target {
        Route::Home => matches!(current, Route::Fill(_) | Route::FillStart),
        Route::FillStart => matches!(current, Route::Fill(_)),
        Route::Questionnaires => matches!(current, Route::Edit { .. } | Route::Links { .. }),
        Route::Distribute => matches!(current, Route::Poster { .. }),
        Route::Dashboard(_) => matches!(current, Route::Dashboard(_)),
        Route::Responses(_) => matches!(
            current,
            Route::Responses(_) | Route::ResponseDetail(_) | Route::VisitReport(_)
        ),
        Route::Sync => matches!(current, Route::Conflicts | Route::Join(_)),
        Route::Exchange(_) => matches!(current, Route::Exchange(_)),
        Route::Settings => matches!(current, Route::Kiosk),
        Route::Outbox => matches!(current, Route::Submitted(_)),
        _ => false,
    }
}

/// The entry the menu marks as where the person is: the screen's own entry,
/// else the first entry it is reached from (a draft being filled belongs to
/// "My audits", not also to "New audit").
pub fn current(items: &[Item], route: &Route) -> Option<usize> {
    items
        .iter()
        .position(|i| i.route == *route)
        .or_else(|| items.iter().position(|i| leads_to(&i.route, route)))
}

/// Whether a route is where a link lands a person who may not use the app
/// otherwise (a customer, or a shopper who has not started yet).
fn is_link(route: &Route) -> bool {
    matches!(
        route,
        Route::Link(_) | Route::ShortLink { .. } | Route::FormLink { .. }
    )
}

/// The menu to show: the chosen role's, a manager's on a device that never
/// chose (the first open of the app itself), none on a link's landing
/// before a role is known.
pub fn shown(stored: Option<Role>, route: &Route) -> Option<Role> {
    match stored {
        Some(role) => Some(role),
        None if is_link(route) => None,
        None => Some(Role::Manager),
    }
}

/// The role a device takes without being asked, to be remembered: a
/// device's first screen decides. A link's landing decides nothing until
/// the link is read ([`on_link`]).
pub fn on_open(stored: Option<Role>, route: &Route) -> Option<Role> {
    match stored {
        None if !is_link(route) && *route != Route::Kiosk => Some(Role::Manager),
        _ => None,
    }
}

/// The role a link gives a device that has none yet: a checklist link makes
/// it a shopper's; a survey or kiosk link makes it nobody's (a customer's
/// phone, or a tablet that becomes a kiosk).
pub fn on_link(stored: Option<Role>, mode: LinkMode) -> Option<Role> {
    match (stored, mode) {
        (None, LinkMode::Fill) => Some(Role::Shopper),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill_link() -> Route {
        Route::Link("1.x".into())
    }

    #[test]
    fn a_checklist_link_makes_a_new_device_a_shoppers() {
        assert_eq!(shown(None, &fill_link()), None);
        assert_eq!(on_open(None, &fill_link()), None);
        assert_eq!(on_link(None, LinkMode::Fill), Some(Role::Shopper));
        let menu = items(Role::Shopper);
        assert!(menu
            .iter()
            .all(|i| !i.route.in_manager_module() || i.route == Route::Outbox));
        assert!(!has_more(&menu));
    }

    #[test]
    fn a_customers_link_gives_no_role_and_no_menu() {
        for mode in [LinkMode::Customer, LinkMode::Kiosk] {
            assert_eq!(on_link(None, mode), None);
        }
        assert_eq!(
            shown(
                None,
                &Route::ShortLink {
                    name: "s".into(),
                    location: None
                }
            ),
            None
        );
        assert_eq!(on_open(None, &Route::Kiosk), None);
    }

    #[test]
    fn a_chosen_role_is_kept_whatever_is_opened() {
        for role in Role::ALL {
            assert_eq!(on_link(Some(role), LinkMode::Fill), None);
            assert_eq!(on_open(Some(role), &Route::Home), None);
            assert_eq!(shown(Some(role), &fill_link()), Some(role));
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(on_open(None, &Route::Home), Some(Role::Manager));
        assert_eq!(shown(None, &Route::Settings), Some(Role::Manager));
    }

    #[test]
    fn every_managers_screen_is_two_taps_away() {
        let menu = items(Role::Manager);
        for route in [
            Route::dashboard(),
            Route::Responses(Default::default()),
            Route::Actions,
            Route::Questionnaires,
            Route::Distribute,
            Route::People,
            Route::Exchange(None),
            Route::Settings,
            Route::Inbox,
            Route::Sync,
        ] {
            assert!(
                menu.iter().any(|i| i.route == route),
                "{route:?} not in the menu"
            );
        }
        assert!(menu.iter().filter(|i| i.in_bar).count() <= 4);
        assert!(has_more(&menu));
    }

    #[test]
    fn the_menu_marks_one_entry_for_the_screen_a_person_is_on() {
        let draft = Route::Fill(uuid::Uuid::nil());
        let shopper = items(Role::Shopper);
        let manager = items(Role::Manager);
        let at = |menu: &[Item], route: &Route| current(menu, route).map(|i| menu[i].label);
        assert_eq!(at(&shopper, &draft), Some(Msg::NavMyAudits));
        assert_eq!(at(&shopper, &Route::FillStart), Some(Msg::NavNewAudit));
        assert_eq!(at(&manager, &Route::FillStart), Some(Msg::NavAudits));
        assert_eq!(
            at(&manager, &Route::ResponseDetail(uuid::Uuid::nil())),
            Some(Msg::NavResponses)
        );
        assert_eq!(at(&manager, &Route::Conflicts), Some(Msg::SyncTitle));
        assert_eq!(at(&shopper, &Route::dashboard()), None);
        assert_eq!(at(&manager, &Route::NotFound), None);
    }
}
