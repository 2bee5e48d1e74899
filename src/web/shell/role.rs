//! The device's role (`crate::menu`) as the shell's reactive state: read
//! once from device-local storage, remembered whenever it is decided.

use leptos::prelude::*;

use crate::menu::Role;
use crate::web::platform;

#[derive(Clone, Copy)]
pub struct DeviceRole {
    pub role: RwSignal<Option<Role>>,
}

impl DeviceRole {
    /// Remembers a role decided by the device's first screen or a link;
    /// `None` (nothing decided) leaves it as it is.
    pub fn decide(&self, decided: Option<Role>) {
        if let Some(role) = decided {
            self.set(role);
        }
    }

    pub fn set(&self, role: Role) {
        platform::remember_role(role);
        self.role.set(Some(role));
    }
}

pub fn provide_role() -> DeviceRole {
    let role = DeviceRole {
        role: RwSignal::new(platform::stored_role()),
    };
    provide_context(role);
    role
}

pub fn use_role() -> DeviceRole {
    expect_context::<DeviceRole>()
}
