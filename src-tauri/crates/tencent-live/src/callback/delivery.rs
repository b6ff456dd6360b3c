//! How Tencent sends a callback, as documented: `t` and `sign` are added when it goes out, it is valid
//! for 600 s, the sender waits 20 s for an answer, and a callback not answered 200 is sent again on a
//! published schedule. The emulator delivers by these rules; the inspector's test events follow them.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::secret::Secret;

/// How long a callback stays valid after it is sent (`t` = now + this).
pub const VALIDITY: i64 = 600;

/// How long Tencent waits for an answer before it counts the attempt as failed.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(20);

/// Add `t` and `sign` to a body, as Tencent does: `t` = now + 600, `sign` = md5(key + t).
pub fn seal(body: &mut Value, key: &Secret, now: i64) {
    let t = now + VALIDITY;
    body["t"] = Value::from(t);
    body["sign"] = Value::from(super::sign(key, t));
}

/// Which published retry policy to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RetrySchedule {
    /// The current documentation: every minute up to 12 times; screenshots every 2 minutes up to 5 times.
    #[default]
    Current,
    /// The older published policy: every 60 s, 3 times, for every event.
    Legacy,
}

impl RetrySchedule {
    /// (interval between attempts, number of retries after the first attempt) for an event type.
    pub fn plan(self, event_type: i64) -> (Duration, u32) {
        match (self, event_type) {
            (RetrySchedule::Current, 200) => (Duration::from_secs(120), 5),
            (RetrySchedule::Current, _) => (Duration::from_secs(60), 12),
            (RetrySchedule::Legacy, _) => (Duration::from_secs(60), 3),
        }
    }
}

/// Sending again as Tencent does, on a clock that may run faster (for tests and demos).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Retries {
    pub schedule: RetrySchedule,
    /// Time allowed for the target to answer (Tencent: [`ANSWER_TIMEOUT`]).
    pub timeout: Duration,
    /// Divides every wait and the timeout: 60 turns a one-minute retry interval into one second.
    pub time_scale: f64,
}

impl Default for Retries {
    fn default() -> Self {
        Retries {
            schedule: RetrySchedule::Current,
            timeout: ANSWER_TIMEOUT,
            time_scale: 1.0,
        }
    }
}

impl Retries {
    /// (scaled interval between attempts, retries after the first attempt, scaled answer timeout).
    pub fn plan(&self, event_type: i64) -> (Duration, u32, Duration) {
        let (interval, n) = self.schedule.plan(event_type);
        (self.scaled(interval), n, self.scaled(self.timeout))
    }

    /// `d` on this clock (at least a millisecond).
    pub fn scaled(&self, d: Duration) -> Duration {
        d.div_f64(self.time_scale.max(1e-3)).max(Duration::from_millis(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        assert_eq!(RetrySchedule::Current.plan(1), (Duration::from_secs(60), 12));
        assert_eq!(RetrySchedule::Current.plan(200), (Duration::from_secs(120), 5));
        assert_eq!(RetrySchedule::Legacy.plan(200), (Duration::from_secs(60), 3));
        let fast = Retries {
            time_scale: 20.0,
            ..Retries::default()
        };
        assert_eq!(fast.plan(1), (Duration::from_secs(3), 12, Duration::from_secs(1)));
        assert_eq!(fast.plan(200), (Duration::from_secs(6), 5, Duration::from_secs(1)));
    }

    #[test]
    fn seal_signs_with_the_expiry() {
        let mut body = serde_json::json!({"event_type": 1});
        seal(&mut body, &Secret::new("adasda131312"), 1_700_000_000);
        assert_eq!(body["t"], 1_700_000_600);
        assert_eq!(body["sign"], "8bd10ae357225eb66a17308fd4f602f4");
    }
}
