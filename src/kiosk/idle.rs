//! The kiosk's loop as a state machine over a millisecond clock, with no
//! timers of its own: the page feeds it touches, submits and ticks, and does
//! what it answers. Testable natively, and a tick that comes late (a tablet
//! waking from sleep) still decides by the elapsed time.

/// Idle time before a partial response is discarded, unless Settings say
/// otherwise.
pub const DEFAULT_IDLE_SECS: u32 = 60;
/// Bounds for the setting: shorter than 2 s would reset a customer who is
/// reading; an hour is longer than anyone stands at a tablet.
pub const MIN_IDLE_SECS: u32 = 2;
pub const MAX_IDLE_SECS: u32 = 3600;
/// How long the thank-you stays before a fresh survey.
pub const THANKS_MS: u64 = 4_000;

/// The settings key of the idle time in seconds.
pub const IDLE_SETTING_KEY: &str = "kiosk.idle_secs";

/// Reads the idle setting, refusing values outside the bounds.
pub fn idle_secs_from_setting(value: Option<u32>) -> u32 {
    match value {
        Some(v) if (MIN_IDLE_SECS..=MAX_IDLE_SECS).contains(&v) => v,
        _ => DEFAULT_IDLE_SECS,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// A survey on screen. `touched` once the customer answered something:
    /// a blank survey has nothing to discard.
    Answering { last_activity: u64, touched: bool },
    /// The thank-you, since when.
    Thanks { since: u64 },
}

/// What the page must do after a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Nothing to do.
    Wait,
    /// Idle too long with answers given: drop the partial response and
    /// show a fresh survey.
    DiscardPartial,
    /// The thank-you has been shown long enough: show a fresh survey.
    NextCustomer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskLoop {
    idle_ms: u64,
    thanks_ms: u64,
    phase: Phase,
}

impl KioskLoop {
    pub fn new(idle_secs: u32, thanks_ms: u64, now: u64) -> KioskLoop {
        KioskLoop {
            idle_ms: u64::from(idle_secs) * 1000,
            thanks_ms,
            phase: Phase::Answering {
                last_activity: now,
                touched: false,
            },
        }
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// A touch, key or scroll: the customer is still there.
    pub fn activity(&mut self, now: u64) {
        if let Phase::Answering { touched, .. } = self.phase {
            self.phase = Phase::Answering {
                last_activity: now,
                touched,
            };
        }
    }

    /// An answer was given (stored as a draft).
    pub fn answered(&mut self, now: u64) {
        if let Phase::Answering { .. } = self.phase {
            self.phase = Phase::Answering {
                last_activity: now,
                touched: true,
            };
        }
    }

    /// The response was submitted and stored.
    pub fn submitted(&mut self, now: u64) {
        self.phase = Phase::Thanks { since: now };
    }

    /// Advances the clock. A clock that went backwards (the user changed
    /// the time) counts as no time passed.
    pub fn tick(&mut self, now: u64) -> Step {
        match self.phase {
            Phase::Answering {
                last_activity,
                touched,
            } => {
                if touched && now.saturating_sub(last_activity) >= self.idle_ms {
                    self.fresh(now);
                    Step::DiscardPartial
                } else {
                    Step::Wait
                }
            }
            Phase::Thanks { since } => {
                if now.saturating_sub(since) >= self.thanks_ms {
                    self.fresh(now);
                    Step::NextCustomer
                } else {
                    Step::Wait
                }
            }
        }
    }

    fn fresh(&mut self, now: u64) {
        self.phase = Phase::Answering {
            last_activity: now,
            touched: false,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_response_is_discarded_after_the_idle_time() {
        let mut k = KioskLoop::new(60, THANKS_MS, 0);
        k.answered(1_000);
        assert_eq!(k.tick(60_999), Step::Wait);
        assert_eq!(k.tick(61_000), Step::DiscardPartial);
        // Once: the fresh survey is untouched.
        assert_eq!(k.tick(500_000), Step::Wait);
        assert_eq!(
            k.phase(),
            Phase::Answering {
                last_activity: 61_000,
                touched: false
            }
        );
    }

    #[test]
    fn activity_postpones_the_reset() {
        let mut k = KioskLoop::new(2, THANKS_MS, 0);
        k.answered(0);
        k.activity(1_500);
        assert_eq!(k.tick(3_000), Step::Wait);
        k.answered(3_000);
        assert_eq!(k.tick(4_999), Step::Wait);
        assert_eq!(k.tick(5_000), Step::DiscardPartial);
    }

    #[test]
    fn an_untouched_survey_just_waits() {
        let mut k = KioskLoop::new(2, THANKS_MS, 0);
        k.activity(100);
        assert_eq!(k.tick(1_000_000), Step::Wait);
    }

    #[test]
    fn after_submit_the_thanks_stays_then_a_fresh_survey() {
        let mut k = KioskLoop::new(2, 4_000, 0);
        k.answered(500);
        k.submitted(1_000);
        // Idle time does not apply to the thank-you; touches do not extend it.
        assert_eq!(k.tick(3_500), Step::Wait);
        k.activity(4_000);
        k.answered(4_500);
        assert_eq!(k.phase(), Phase::Thanks { since: 1_000 });
        assert_eq!(k.tick(5_000), Step::NextCustomer);
        assert_eq!(
            k.phase(),
            Phase::Answering {
                last_activity: 5_000,
                touched: false
            }
        );
        assert_eq!(k.tick(100_000), Step::Wait);
    }

    #[test]
    fn a_clock_going_backwards_is_no_time_passed() {
        let mut k = KioskLoop::new(2, THANKS_MS, 10_000);
        k.answered(10_000);
        assert_eq!(k.tick(5_000), Step::Wait);
        k.submitted(10_000);
        assert_eq!(k.tick(0), Step::Wait);
    }

    #[test]
    fn the_idle_setting_is_bounded() {
        assert_eq!(idle_secs_from_setting(None), 60);
        assert_eq!(idle_secs_from_setting(Some(2)), 2);
        assert_eq!(idle_secs_from_setting(Some(1)), 60);
        assert_eq!(idle_secs_from_setting(Some(3600)), 3600);
        assert_eq!(idle_secs_from_setting(Some(3601)), 60);
    }
}
