//! Tencent's side of a callback: POST the signed body to the template's URL, wait at most 20 s, and on a
//! timeout or any status but 200 try again on the documented schedule (the rules themselves are
//! `tencent_live::callback::delivery`). Every attempt goes into the
//! account's delivery log (DescribeCallbackRecordsList) and to subscribers. Each delivery is its own
//! task, so a target that hangs costs one timeout and never holds up the API.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use tencent_live::api::{ApiTime, CallbackEventInfo};
use tencent_live::callback::{seal, Retries, RetrySchedule};
use tencent_live::secret::Secret;

use crate::Shared;

/// The most attempts kept in an account's delivery log.
pub const LOG_LIMIT: usize = 10_000;

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
        let r = Retries::default();
        DeliveryConfig {
            schedule: r.schedule,
            timeout: r.timeout,
            time_scale: r.time_scale,
            binding_delay: None,
        }
    }
}

impl DeliveryConfig {
    /// Tencent's retry rules on this configuration's clock.
    pub fn retries(&self) -> Retries {
        Retries {
            schedule: self.schedule,
            timeout: self.timeout,
            time_scale: self.time_scale,
        }
    }

    pub fn scaled(&self, d: Duration) -> Duration {
        self.retries().scaled(d)
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

pub(crate) fn spawn(shared: Arc<Shared>, mut out: Outgoing) {
    seal(&mut out.body, &out.key, shared.clock.now_unix());
    tokio::spawn(async move { deliver(shared, out).await });
}

async fn deliver(shared: Arc<Shared>, out: Outgoing) {
    let (interval, retries, timeout) = shared.delivery.retries().plan(out.event_type);
    let body = out.body.to_string();
    for attempt in 1..=retries + 1 {
        let sent_at = shared.clock.now_unix();
        let result = shared
            .http
            .post(&out.url)
            .header("Content-Type", "application/json")
            .timeout(timeout)
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
        tokio::time::sleep(interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_scales_tencents_schedule() {
        let legacy = DeliveryConfig {
            schedule: RetrySchedule::Legacy,
            time_scale: 60.0,
            ..DeliveryConfig::default()
        };
        assert_eq!(legacy.retries().plan(200).0, Duration::from_secs(1));
        assert_eq!(legacy.retries().plan(200).1, 3);
        assert_eq!(legacy.scaled(Duration::from_secs(120)), Duration::from_secs(2));
    }
}
