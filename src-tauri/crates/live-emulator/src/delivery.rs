//! Tencent's side of a callback: POST the signed body to the template's URL, wait at most 20 s, and on a
//! timeout or any status but 200 try again on the documented schedule. Every attempt goes into the
//! account's delivery log (DescribeCallbackRecordsList) and to subscribers. Each delivery is its own
//! task, so a target that hangs costs one timeout and never holds up the API.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tencent_live::api::{ApiTime, CallbackEventInfo};
use tencent_live::secret::Secret;

use crate::Shared;

/// How long a callback stays valid after it is sent (`t` = now + this).
pub const VALIDITY: i64 = 600;
/// The most attempts kept in an account's delivery log.
pub const LOG_LIMIT: usize = 10_000;

/// Which published retry policy to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RetrySchedule {
    /// The current documentation: every minute up to 12 times; screenshots every 2 minutes up to 5 times.
    Current,
    /// The older published policy: every 60 s, 3 times, for every event.
    Legacy,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeliveryConfig {
    pub schedule: RetrySchedule,
    /// Time allowed for the target to answer (Tencent: 20 s).
    pub timeout: Duration,
    /// Divides every wait and the timeout: 60 turns a one-minute retry interval into one second.
    pub time_scale: f64,
    /// How long a new binding takes to take effect (Tencent: about 5–10 minutes). None: at once.
    pub binding_delay: Option<Duration>,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            schedule: RetrySchedule::Current,
            timeout: Duration::from_secs(20),
            time_scale: 1.0,
            binding_delay: None,
        }
    }
}

impl DeliveryConfig {
    /// (interval between attempts, number of retries after the first attempt) for an event type.
    pub fn plan(&self, event_type: i64) -> (Duration, u32) {
        match (self.schedule, event_type) {
            (RetrySchedule::Current, 200) => (Duration::from_secs(120), 5),
            (RetrySchedule::Current, _) => (Duration::from_secs(60), 12),
            (RetrySchedule::Legacy, _) => (Duration::from_secs(60), 3),
        }
    }

    pub fn scaled(&self, d: Duration) -> Duration {
        d.div_f64(self.time_scale.max(1e-3)).max(Duration::from_millis(1))
    }
}

/// One attempt to deliver one callback, as subscribers see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    pub account: String,
    pub event_type: i64,
    pub stream_id: String,
    pub url: String,
    /// 1 for the first try.
    pub attempt: u32,
    /// The target's HTTP status, when it answered.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub delivered: bool,
    /// No further attempt follows (delivered, or retries exhausted).
    pub last: bool,
    pub body: Value,
}

/// A callback ready to go: where, with which key.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub account: String,
    pub event_type: i64,
    pub stream_id: String,
    pub url: String,
    pub key: Secret,
    pub body: Value,
}

/// Add `t` and `sign` to a body, as Tencent does: `t` = now + 600, `sign` = md5(key + t).
pub fn seal(body: &mut Value, key: &Secret, now: i64) {
    let t = now + VALIDITY;
    body["t"] = Value::from(t);
    body["sign"] = Value::from(tencent_live::callback::sign(key, t));
}

pub(crate) fn spawn(shared: Arc<Shared>, mut out: Outgoing) {
    seal(&mut out.body, &out.key, shared.clock.now_unix());
    tokio::spawn(async move { deliver(shared, out).await });
}

async fn deliver(shared: Arc<Shared>, out: Outgoing) {
    let config = shared.delivery;
    let (interval, retries) = config.plan(out.event_type);
    let body = out.body.to_string();
    for attempt in 1..=retries + 1 {
        let sent_at = shared.clock.now_unix();
        let result = shared
            .http
            .post(&out.url)
            .header("Content-Type", "application/json")
            .timeout(config.scaled(config.timeout))
            .body(body.clone())
            .send()
            .await;
        let (status, answer, error) = match result {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let text = resp.text().await.unwrap_or_default();
                (Some(status), text.chars().take(2048).collect::<String>(), None)
            }
            Err(e) if e.is_timeout() => (None, String::new(), Some("timed out".to_owned())),
            Err(e) => (None, String::new(), Some(e.to_string())),
        };
        let delivered = status == Some(200);
        let last = delivered || attempt == retries + 1;
        shared.log_delivery(
            &out.account,
            CallbackEventInfo {
                event_time: ApiTime::from_unix(sent_at),
                event_type: out.event_type,
                request: body.clone(),
                response: error.clone().unwrap_or(answer),
                response_time: ApiTime::from_unix(shared.clock.now_unix()),
                result_code: match status {
                    Some(200) => 0,
                    Some(s) => i64::from(s),
                    None => -1,
                },
                stream_id: out.stream_id.clone(),
            },
        );
        let _ = shared.attempts.send(Attempt {
            account: out.account.clone(),
            event_type: out.event_type,
            stream_id: out.stream_id.clone(),
            url: out.url.clone(),
            attempt,
            status,
            error,
            delivered,
            last,
            body: out.body.clone(),
        });
        if last {
            return;
        }
        tokio::time::sleep(config.scaled(interval)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        let current = DeliveryConfig::default();
        assert_eq!(current.plan(1), (Duration::from_secs(60), 12));
        assert_eq!(current.plan(200), (Duration::from_secs(120), 5));
        let legacy = DeliveryConfig {
            schedule: RetrySchedule::Legacy,
            ..current
        };
        assert_eq!(legacy.plan(200), (Duration::from_secs(60), 3));
        let fast = DeliveryConfig {
            time_scale: 60.0,
            ..current
        };
        assert_eq!(fast.scaled(Duration::from_secs(60)), Duration::from_secs(1));
    }

    #[test]
    fn seal_signs_with_the_expiry() {
        let mut body = serde_json::json!({"event_type": 1});
        seal(&mut body, &Secret::new("adasda131312"), 1_700_000_000);
        assert_eq!(body["t"], 1_700_000_600);
        assert_eq!(body["sign"], "8bd10ae357225eb66a17308fd4f602f4");
    }
}
