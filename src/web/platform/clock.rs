//! The device clock: now with its UTC offset, today's local date, and
//! performance measures for the benchmarks.

use crate::domain::{LocalDate, Timestamp};

/// Now, on the device clock, with the device's current UTC offset.
pub fn now() -> Timestamp {
    let d = js_sys::Date::new_0();
    // getTimezoneOffset is minutes *behind* UTC.
    Timestamp::new(d.get_time() as i64, -(d.get_timezone_offset() as i16))
}

/// Milliseconds on the device clock, for the kiosk's idle timer.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Today's local date and the device's UTC offset, fixed for the visit so
/// every recomputation uses the same "last 30 days".
pub fn today_and_offset() -> (LocalDate, i32) {
    let now = now();
    let offset = i32::from(now.offset_min);
    (LocalDate::at(now.utc_ms, offset), offset)
}

/// Runs `f` and records its duration as the `performance` measure `name`
/// (browser profilers and the e2e benchmark read it). Only the latest is
/// kept. The measure is given its start time rather than a start mark:
/// clearing the previous mark by name showed in a filter change's profile.
pub fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    use wasm_bindgen::JsCast;
    let Some(p) = web_sys::window().and_then(|w| w.performance()) else {
        return f();
    };
    let start = p.now();
    let out = f();
    p.clear_measures_with_measure_name(name);
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &start.into());
    if let Ok(measure) =
        js_sys::Reflect::get(&p, &"measure".into()).and_then(|m| m.dyn_into::<js_sys::Function>())
    {
        let _ = measure.call2(&p, &name.into(), &options);
    }
    out
}

/// Resolves after `ms` milliseconds (0: after the browser has had a turn,
/// e.g. to paint before a long computation on this thread).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
