//! The facts and services the app takes from the browser: clock, device,
//! address, files, photos, full screen, the clipboard and share sheet, the lean IndexedDB access
//! ([`idb`]) and the modules a page loads on demand ([`module`]). Kept apart so the pure core never
//! touches them; callers name them through this facade (`platform::now()`).

mod address;
mod clock;
mod device;
mod events;
mod files;
pub mod idb;
mod image;
pub mod module;
mod screen;
mod share;

pub use address::{app_url, current_hash, own_origin, replace_location, set_hash};
pub use clock::{now, now_ms, sleep, timed, today_and_offset};
pub use device::{
    device_id, first_run_hidden, has_shared, hide_first_run, initial_lang, new_draft, note_shared,
    random_salt, remember_lang, remember_role, stored_role,
};
pub use events::{announce_records_changed, on_window_event, RECORDS_CHANGED_EVENT};
pub use files::{download_bytes, download_text, fetch_text, read_file_text, share_or_download};
pub use image::resize_to_jpeg;
pub use screen::{
    exit_fullscreen, focus_control, focus_element, remember_scroll, request_fullscreen,
    saved_scroll, scroll_back,
};
pub use share::{can_share_links, copy_text, share_link};
