//! The trust model: what this device takes from another device, the same
//! for every way data arrives (a file, a link, later the inbox and team
//! replication). Each rule is a function here; the merge, the link landing
//! and the exports call them, so there is one place to read what a device
//! accepts and why.
//!
//! - **Device-local settings never travel.** The kiosk lock, its PIN and
//!   attempt counter, and later sync credentials and keys belong to the
//!   device they were set on: an export never writes them and an import
//!   never takes them ([`setting_travels`]).
//! - **A submitted response is final.** Nothing from outside changes it; a
//!   correction is a new response naming the original in `supersedes`, and
//!   it is honoured only from the same questionnaire and the same author
//!   device ([`crate::domain::Response::may_supersede`]).
//! - **A clock never decides alone between two devices.** A time later than
//!   now plus [`CLOCK_TOLERANCE_MS`] is refused ([`in_future`]); two
//!   different copies of a record written on different clocks are kept side
//!   by side for a person to choose ([`same_clock`]). What only moves one way
//!   (a response's status, an action's next step) needs no clock.
//! - **Status steps are not skipped**: an action goes open → done → verified
//!   one step at a time ([`action_step`]).
//! - **Built-in templates and a manager's drafts are never replaced** by a
//!   file or a link ([`is_built_in`]).
//! - **Records attach only to responses of the same origin**: a photo or an
//!   action arrives with its response, or for a response the same device
//!   wrote ([`may_attach`]).

use crate::domain::{ActionStatus, Response, Timestamp};

/// How far ahead of this device's clock a time from another device may be:
/// phones drift and are set by hand, so a small lead is a wrong clock, not
/// an attack; a day ahead is not.
pub const CLOCK_TOLERANCE_MS: i64 = 60 * 60 * 1000;

/// Settings that travel between devices. None do today: every setting so
/// far (`kiosk.*`) is about the device itself. A team-wide setting is added
/// here on purpose, never by a prefix.
const SHARED_SETTINGS: &[&str] = &[];

/// Whether the setting `key` may leave this device in a file and be taken
/// from one.
pub fn setting_travels(key: &str) -> bool {
    SHARED_SETTINGS.contains(&key)
}

/// True when `t` is later than `now` by more than the tolerance.
pub fn in_future(t: Timestamp, now: Timestamp) -> bool {
    t.utc_ms > now.utc_ms.saturating_add(CLOCK_TOLERANCE_MS)
}

/// The latest moment a response claims: any of its times.
pub fn latest_time(r: &Response) -> Timestamp {
    let mut latest = r.started_at;
    let times = [Some(r.updated_at), r.submitted_at, r.visited_at]
        .into_iter()
        .flatten()
        .chain(r.answers.values().map(|a| a.answered_at));
    for t in times {
        if t.utc_ms > latest.utc_ms {
            latest = t;
        }
    }
    latest
}

/// Whether two copies were stamped by one clock, so that the later change
/// time is really the later change: both came from the same device.
pub fn same_clock(device_a: &str, device_b: &str) -> bool {
    !device_a.is_empty() && device_a == device_b
}

/// How an incoming copy of a corrective action's status relates to the
/// stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Same,
    /// The next step (open → done, done → verified).
    Next,
    /// Further than one step ahead: an import may not skip a step.
    Skips,
    /// Behind the stored status: statuses never go back.
    Back,
}

pub fn action_step(stored: ActionStatus, incoming: ActionStatus) -> Step {
    let next = stored.next();
    if incoming == stored {
        Step::Same
    } else if next == Some(incoming) {
        Step::Next
    } else if std::iter::successors(next, |s| s.next()).any(|s| s == incoming) {
        Step::Skips
    } else {
        Step::Back
    }
}

/// Whether `id` is a built-in template's: those come with the app and no
/// file or link may bring another copy of them.
pub fn is_built_in(id: &str) -> bool {
    crate::templates::is_built_in(id)
}

/// Whether a photo or action from a file written on `file_device` may
/// attach to `response`: it arrived in the same file, or that device wrote
/// the response.
pub fn may_attach(response: &Response, in_same_file: bool, file_device: &str) -> bool {
    in_same_file || same_clock(&response.device_id, file_device)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DAY_MS;
    use uuid::Uuid;

    fn at(ms: i64) -> Timestamp {
        Timestamp::new(ms, 0)
    }

    #[test]
    fn no_setting_travels_and_kiosk_settings_least_of_all() {
        for key in [
            "kiosk.active",
            "kiosk.pin",
            "kiosk.draft",
            "kiosk.idle_secs",
            "sync.password",
            "",
        ] {
            assert!(!setting_travels(key), "{key}");
        }
    }

    #[test]
    fn a_clock_a_little_fast_is_tolerated_a_day_ahead_is_not() {
        let now = at(1_000_000_000);
        assert!(!in_future(at(now.utc_ms + CLOCK_TOLERANCE_MS), now));
        assert!(in_future(at(now.utc_ms + CLOCK_TOLERANCE_MS + 1), now));
        assert!(in_future(at(now.utc_ms + DAY_MS), now));
        assert!(!in_future(at(0), now));
        // Year 9999, the finding's date, is far in the future.
        assert!(in_future(at(253_402_214_400_000), now));
    }

    #[test]
    fn a_responses_latest_time_is_any_of_its_times() {
        let mut r = Response::new_draft(Uuid::nil(), "q", 1, "loc", "dev", at(10));
        assert_eq!(latest_time(&r), at(10));
        r.set_answer("a", crate::domain::AnswerValue::Yes, at(50));
        assert_eq!(latest_time(&r).utc_ms, 50);
        r.visited_at = Some(at(90));
        assert_eq!(latest_time(&r).utc_ms, 90);
    }

    #[test]
    fn status_steps_go_one_at_a_time() {
        use ActionStatus::{Done, Open, Verified};
        assert_eq!(action_step(Open, Open), Step::Same);
        assert_eq!(action_step(Open, Done), Step::Next);
        assert_eq!(action_step(Done, Verified), Step::Next);
        assert_eq!(action_step(Open, Verified), Step::Skips);
        assert_eq!(action_step(Verified, Open), Step::Back);
        assert_eq!(action_step(Done, Open), Step::Back);
    }

    #[test]
    fn built_in_template_ids_are_known() {
        assert!(is_built_in("tpl-retail-quick"));
        assert!(!is_built_in("q-mine"));
    }

    #[test]
    fn records_attach_to_their_own_files_or_devices_responses() {
        let r = Response::new_draft(Uuid::nil(), "q", 1, "loc", "phone-a", at(1));
        assert!(may_attach(&r, true, "phone-b"));
        assert!(may_attach(&r, false, "phone-a"));
        assert!(!may_attach(&r, false, "phone-b"));
        assert!(!may_attach(&r, false, ""));
        assert!(!same_clock("", ""));
    }
}
